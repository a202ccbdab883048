# SPDX-License-Identifier: Apache-2.0
"""Helpers of tests/fido/run.sh, independent of libattest's C code.

  split ENVELOPE DIR
      write DIR/pae (the DSSE PAE, built here), DIR/blob (the first sig,
      decoded), DIR/flags, DIR/counter (decimal) and DIR/sig (the
      authenticator's signature: the blob without its 5-byte head).
  forge ENVELOPE CRED.pem RPID FLAGS COUNTER OUT
      re-sign the envelope's PAE as an authenticator holding CRED.pem
      (the software authenticator's credential key) would, with the given
      flags and counter: a valid signature with chosen flags.
  cut ENVELOPE N OUT
      keep only the first N bytes of the first signature's blob.
  setsig ENVELOPE BLOBFILE OUT
      replace the first signature's blob.

Only Debian's python3 with python3-cryptography.
"""
import base64
import hashlib
import json
import struct
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519


def pae(ptype, payload):
    t = ptype.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def load(path):
    with open(path, "rb") as f:
        env = json.load(f)
    return env, base64.b64decode(env["payload"], validate=True)


def save(env, path):
    with open(path, "w") as f:
        json.dump(env, f)


def split(envpath, outdir):
    env, payload = load(envpath)
    blob = base64.b64decode(env["signatures"][0]["sig"], validate=True)
    with open(outdir + "/pae", "wb") as f:
        f.write(pae(env["payloadType"], payload))
    with open(outdir + "/blob", "wb") as f:
        f.write(blob)
    with open(outdir + "/sig", "wb") as f:
        f.write(blob[5:])
    with open(outdir + "/flags", "w") as f:
        f.write("%d\n" % blob[0])
    with open(outdir + "/counter", "w") as f:
        f.write("%d\n" % struct.unpack(">I", blob[1:5])[0])


def forge(envpath, credpem, rpid, flags, counter, out):
    env, payload = load(envpath)
    with open(credpem, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    head = bytes([flags]) + struct.pack(">I", counter)
    ad = hashlib.sha256(rpid.encode()).digest() + head
    msg = ad + hashlib.sha256(pae(env["payloadType"], payload)).digest()
    if isinstance(key, ed25519.Ed25519PrivateKey):
        sig = key.sign(msg)
    else:
        sig = key.sign(msg, ec.ECDSA(hashes.SHA256()))
    env["signatures"][0]["sig"] = base64.b64encode(head + sig).decode()
    save(env, out)


def cut(envpath, n, out):
    env, _ = load(envpath)
    blob = base64.b64decode(env["signatures"][0]["sig"], validate=True)
    env["signatures"][0]["sig"] = base64.b64encode(blob[:n]).decode()
    save(env, out)


def setsig(envpath, blobfile, out):
    env, _ = load(envpath)
    with open(blobfile, "rb") as f:
        env["signatures"][0]["sig"] = base64.b64encode(f.read()).decode()
    save(env, out)


def main(argv):
    cmd = argv[1]
    if cmd == "split":
        split(argv[2], argv[3])
    elif cmd == "forge":
        forge(argv[2], argv[3], argv[4], int(argv[5], 0), int(argv[6]),
              argv[7])
    elif cmd == "cut":
        cut(argv[2], int(argv[3]), argv[4])
    elif cmd == "setsig":
        setsig(argv[2], argv[3], argv[4])
    else:
        sys.exit("fidohelp.py: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
