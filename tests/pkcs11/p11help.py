#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Helpers for tests/pkcs11/run.sh; Debian's /usr/bin/python3 only.

  p11help.py spki LISTING LABEL OUT.der
      the DER SubjectPublicKeyInfo of the EC or Ed25519 public key object
      labelled LABEL in LISTING (the text of `pkcs11-tool -O`), built from
      its CKA_EC_POINT and CKA_EC_PARAMS (pkcs11-tool 0.23 cannot export a
      P-384 public key itself); prints its SHA-256 in hex (the key id)
  p11help.py keyid PUB
      the key id of a public key file (PEM or DER): SHA-256 of the DER SPKI
  p11help.py envelope ENV OUTDIR ALG
      split a one-signature DSSE envelope into OUTDIR/pae.bin (the PAE,
      rebuilt here from the DSSE v1 spec) and OUTDIR/sig.bin; check the
      signature's shape for ALG (ed25519: 64 bytes; ecdsa-p256/p384: strict
      DER, not raw r||s; rsa-pss-3072: 384 bytes); prints "keyid K"
  p11help.py sslib-verify ENV PUB.pem
      securesystemslib's verdict on every signature of ENV, through
      tests/interop/sslib_dsse.py's verify mode, with its key loader
      extended to P-384 and RSA (rsassa-pss-sha256)
  p11help.py fifo-delete FIFO CMD [ARG ...]
      wait until a reader has opened FIFO, run CMD (which deletes a key),
      then write one line into FIFO and close it: the reader, attest-sign
      hashing FIFO as an artifact, has opened its signer by then
  p11help.py id LISTING LABEL
      the CKA_ID (hex) of the public key object labelled LABEL
  p11help.py label-count LISTING LABEL
      how many objects LISTING (pkcs11-tool -O) labels LABEL
  p11help.py access LISTING LABEL
      the "Access:" line of the private key object labelled LABEL

Exit 0 on success, 1 on a failed check, 2 on any error.
"""

import base64
import errno
import hashlib
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

# SPKI DER prefixes before the raw point (shared/anchors/pkcs11-testing.md
# section 5), by the DER of CKA_EC_PARAMS
SPKI_PREFIX = {
    "06082a8648ce3d030107":
        "3059301306072a8648ce3d020106082a8648ce3d030107034200",
    "06052b81040022": "3076301006072a8648ce3d020106052b81040022036200",
    "06032b6570": "302a300506032b6570032100",
    # pkcs11-tool writes Ed25519's CKA_EC_PARAMS as PrintableString
    # "edwards25519"
    "130c656477617264733235353139": "302a300506032b6570032100",
}


def objects(listing):
    """pkcs11-tool -O text as a list of (header, {field: value})."""
    out = []
    with open(listing, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith(" "):
                out.append((line, {}))
            elif out and ":" in line:
                k, v = line.strip().split(":", 1)
                out[-1][1][k.strip()] = v.strip()
    return out


def unwrap_octet_string(der):
    """The content of a DER OCTET STRING (CKA_EC_POINT)."""
    if len(der) < 2 or der[0] != 0x04:
        raise ValueError("EC_POINT is not an OCTET STRING")
    n, i = der[1], 2
    if n & 0x80:
        k = n & 0x7F
        n, i = int.from_bytes(der[2:2 + k], "big"), 2 + k
    if i + n != len(der):
        raise ValueError("EC_POINT: bad length")
    return der[i:]


def cmd_spki(a):
    hits = [f for h, f in objects(a[0])
            if h.startswith("Public Key Object") and f.get("label") == a[1]]
    if len(hits) != 1:
        raise ValueError("%d public keys labelled %s" % (len(hits), a[1]))
    params = hits[0]["EC_PARAMS"].split()[0].lower()
    point = unwrap_octet_string(bytes.fromhex(hits[0]["EC_POINT"]))
    der = bytes.fromhex(SPKI_PREFIX[params]) + point
    with open(a[2], "wb") as f:
        f.write(der)
    print(hashlib.sha256(der).hexdigest())
    return 0


def cmd_keyid(a):
    from cryptography.hazmat.primitives import serialization
    with open(a[0], "rb") as f:
        data = f.read()
    if data.startswith(b"-----"):
        key = serialization.load_pem_public_key(data)
    else:
        key = serialization.load_der_public_key(data)
    der = key.public_bytes(serialization.Encoding.DER,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    print(hashlib.sha256(der).hexdigest())
    return 0


def pae(payload_type, payload):
    t = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def cmd_envelope(a):
    from cryptography.hazmat.primitives.asymmetric.utils import \
        decode_dss_signature, encode_dss_signature
    with open(a[0], "rb") as f:
        env = json.loads(f.read())
    sigs = env["signatures"]
    if len(sigs) != 1:
        print("%d signatures, expected 1" % len(sigs))
        return 1
    payload = base64.b64decode(env["payload"], validate=True)
    sig = base64.b64decode(sigs[0]["sig"], validate=True)
    with open(os.path.join(a[1], "pae.bin"), "wb") as f:
        f.write(pae(env["payloadType"], payload))
    with open(os.path.join(a[1], "sig.bin"), "wb") as f:
        f.write(sig)
    alg = a[2]
    if alg == "ed25519" and len(sig) != 64:
        print("Ed25519 signature of %d bytes" % len(sig))
        return 1
    if alg == "rsa-pss-3072" and len(sig) != 384:
        print("RSA-3072 signature of %d bytes" % len(sig))
        return 1
    if alg.startswith("ecdsa-"):
        try:
            r, s = decode_dss_signature(sig)
        except ValueError:
            print("ECDSA signature is not DER (%d bytes)" % len(sig))
            return 1
        if encode_dss_signature(r, s) != sig:
            print("ECDSA signature is not strict DER")
            return 1
    print("keyid %s" % sigs[0].get("keyid", ""))
    return 0


def sslib_key_any(path):
    """sslib_dsse's loader, plus P-384 and RSA keys."""
    import sslib_dsse
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from securesystemslib import keys as sslib_keys
    from securesystemslib.signer import SSlibKey

    with open(path, "rb") as f:
        pem = f.read()
    pub = serialization.load_pem_public_key(pem)
    if isinstance(pub, ec.EllipticCurvePublicKey) and \
            pub.curve.name == "secp384r1":
        d = sslib_keys.import_ecdsakey_from_public_pem(
            pem.decode("ascii"), "ecdsa-sha2-nistp384")
    elif isinstance(pub, rsa.RSAPublicKey):
        d = sslib_keys.import_rsakey_from_public_pem(
            pem.decode("ascii"), "rsassa-pss-sha256")
    else:
        return sslib_dsse.ORIG_KEY_LOADER(path)
    return SSlibKey(hashlib.sha256(pem).hexdigest(), d["keytype"],
                    d["scheme"], {"public": d["keyval"]["public"]})


def cmd_sslib_verify(a):
    import sslib_dsse
    sslib_dsse.ORIG_KEY_LOADER = sslib_dsse.sslib_key_from_pem
    sslib_dsse.sslib_key_from_pem = sslib_key_any
    return sslib_dsse.cmd_verify(a)


def cmd_fifo_delete(a):
    deadline = time.time() + 60
    while True:
        try:
            fd = os.open(a[0], os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as e:
            if e.errno != errno.ENXIO or time.time() > deadline:
                raise
            time.sleep(0.02)
    r = subprocess.run(a[1:], stdout=subprocess.DEVNULL)
    os.set_blocking(fd, True)
    os.write(fd, b"artifact behind a FIFO\n")
    os.close(fd)
    if r.returncode != 0:
        print("%s: exit %d" % (a[1], r.returncode))
        return 1
    return 0


def cmd_id(a):
    hits = [f for h, f in objects(a[0])
            if h.startswith("Public Key Object") and f.get("label") == a[1]]
    if len(hits) != 1:
        raise ValueError("%d public keys labelled %s" % (len(hits), a[1]))
    print(hits[0]["ID"])
    return 0


def cmd_label_count(a):
    print(sum(1 for _, f in objects(a[0]) if f.get("label") == a[1]))
    return 0


def cmd_access(a):
    hits = [f for h, f in objects(a[0])
            if h.startswith("Private Key Object") and f.get("label") == a[1]]
    if len(hits) != 1:
        raise ValueError("%d private keys labelled %s" % (len(hits), a[1]))
    print(hits[0].get("Access", ""))
    return 0


COMMANDS = {
    "spki": (cmd_spki, 3),
    "keyid": (cmd_keyid, 1),
    "envelope": (cmd_envelope, 3),
    "sslib-verify": (cmd_sslib_verify, 2),
    "fifo-delete": (cmd_fifo_delete, 2),
    "id": (cmd_id, 2),
    "label-count": (cmd_label_count, 2),
    "access": (cmd_access, 2),
}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS or \
            len(argv) - 2 < COMMANDS[argv[1]][1]:
        sys.stderr.write(__doc__)
        return 2
    try:
        return COMMANDS[argv[1]][0](argv[2:])
    except Exception as e:  # an error, never a verdict
        sys.stderr.write("p11help.py: %s: %s: %s\n" % (
            argv[1], type(e).__name__, e))
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
