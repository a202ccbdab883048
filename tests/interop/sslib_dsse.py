#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""DSSE interop with Debian's python3-securesystemslib (0.26).

securesystemslib 0.26 has no DSSE module: this script builds PAE and the
envelope itself from the DSSE v1 spec, and leaves keys, signing and
verification to securesystemslib (keys, signer.SSlibSigner, SSlibKey,
Signature).  python3-cryptography only converts key encodings and decodes
DER signatures.

  sslib_dsse.py verify ENVELOPE PUB.pem [PUB.pem ...]
      every signature must verify under one of the PEM public keys
      (libattest's .pub files); exit 0 yes, 1 no
  sslib_dsse.py reject-altered ENVELOPE PUB.pem [PUB.pem ...]
      a copy with one payload byte changed, and one with another
      payloadType, must be rejected by every key; exit 0 when rejected
  sslib_dsse.py tamper IN OUT
      write IN with one payload byte changed (for attest-verify)
  sslib_dsse.py sign ed25519|ecdsa ARTIFACT PREFIX COUNT
      a new securesystemslib key, PREFIX.pub.pem, and COUNT envelopes
      PREFIX-NNN.dsse over in-toto Statements v1 whose subject is ARTIFACT
      (sha256); for ecdsa, more than COUNT until one signature is high-S.
      Prints "keyid K", then "envelopes N high-s H" for ecdsa.

Exit 2 on any error.  Run it with Debian's /usr/bin/python3.
"""

import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import \
    decode_dss_signature

from securesystemslib import exceptions as sslib_exceptions
from securesystemslib import keys as sslib_keys
from securesystemslib.signer import Signature, SSlibKey, SSlibSigner

PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://example.com/libattest/interop/v1"
# order of the P-256 group (SEC 2, FIPS 186-4 D.1.2.3)
P256_N = int("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
             16)
# max_ecdsa: how many envelopes to sign at most while looking for high-S
MAX_ECDSA = 256


def pae(payload_type, payload):
    """DSSE v1 Pre-Authentication Encoding."""
    t = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def b64decode(s):
    """DSSE accepts standard and URL-safe base64."""
    s = s.replace("-", "+").replace("_", "/")
    return base64.b64decode(s, validate=True)


def load_json(path):
    with open(path, "rb") as f:
        return json.loads(f.read())


def write_json(obj, path):
    with open(path, "w") as f:
        f.write(json.dumps(obj) + "\n")


def sslib_key_from_pem(path):
    """A securesystemslib SSlibKey for a PEM SubjectPublicKeyInfo."""
    with open(path, "rb") as f:
        pem = f.read()
    pub = serialization.load_pem_public_key(pem)
    if isinstance(pub, ed25519.Ed25519PublicKey):
        # securesystemslib's Ed25519 public key is the raw key in hex
        raw = pub.public_bytes(serialization.Encoding.Raw,
                               serialization.PublicFormat.Raw)
        keyval = {"public": raw.hex()}
        keytype, scheme = "ed25519", "ed25519"
    elif isinstance(pub, ec.EllipticCurvePublicKey) and \
            pub.curve.name == "secp256r1":
        # ... and its ECDSA public key is PEM
        d = sslib_keys.import_ecdsakey_from_public_pem(
            pem.decode("ascii"), "ecdsa-sha2-nistp256")
        keyval = {"public": d["keyval"]["public"]}
        keytype, scheme = d["keytype"], d["scheme"]
    else:
        raise ValueError("%s: not an Ed25519 or P-256 key" % path)
    # the key id is securesystemslib's business only: signatures below
    # carry the same one, whatever the envelope says
    keyid = hashlib.sha256(pem).hexdigest()
    return SSlibKey(keyid, keytype, scheme, keyval)


def sig_verifies(key, sig_bytes, data):
    try:
        key.verify_signature(Signature(key.keyid, sig_bytes.hex()), data)
        return True
    except sslib_exceptions.UnverifiedSignatureError:
        return False


def count_verified(env, keys):
    """How many of env's signatures verify under some key, and of how many."""
    payload = b64decode(env["payload"])
    data = pae(env["payloadType"], payload)
    good = 0
    for i, s in enumerate(env["signatures"]):
        sig = b64decode(s["sig"])
        who = [path for path, k in keys if sig_verifies(k, sig, data)]
        print("signatures[%d] (keyid %s): %s" % (
            i, s.get("keyid", "-")[:16],
            "verified by " + who[0] if who else "NOT verified"))
        good += 1 if who else 0
    return good, len(env["signatures"])


def alter_payload(env):
    """A copy of env with one payload byte changed."""
    e = json.loads(json.dumps(env))
    p = bytearray(b64decode(e["payload"]))
    if not p:
        p = bytearray(b"x")
    else:
        i = p.find(b'"sha256":"')
        # in a Statement change a digest, so the JSON stays valid
        i = i + 10 if i >= 0 else len(p) // 2
        p[i] = ord("0") if p[i] != ord("0") else ord("1")
    e["payload"] = base64.b64encode(bytes(p)).decode("ascii")
    return e


def cmd_verify(args):
    env = load_json(args[0])
    keys = [(p, sslib_key_from_pem(p)) for p in args[1:]]
    good, n = count_verified(env, keys)
    if n == 0 or good != n:
        print("%s: %d of %d signatures verified" % (args[0], good, n))
        return 1
    print("%s: all %d signatures verified by securesystemslib" % (args[0], n))
    return 0


def cmd_reject_altered(args):
    env = load_json(args[0])
    keys = [(p, sslib_key_from_pem(p)) for p in args[1:]]
    bad_payload = alter_payload(env)
    bad_type = json.loads(json.dumps(env))
    bad_type["payloadType"] = env["payloadType"] + "x"
    rc = 0
    for what, e in (("altered payload", bad_payload),
                    ("altered payloadType", bad_type)):
        good, n = count_verified(e, keys)
        if good != 0:
            print("%s: %s: %d signatures still verify" % (args[0], what,
                                                           good))
            rc = 1
        else:
            print("%s: %s: rejected" % (args[0], what))
    return rc


def cmd_tamper(args):
    write_json(alter_payload(load_json(args[0])), args[1])
    return 0


def statement(artifact, index):
    with open(artifact, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    stmt = {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": os.path.basename(artifact),
                     "digest": {"sha256": digest}}],
        "predicateType": PREDICATE_TYPE,
        "predicate": {"producer": "securesystemslib", "index": index},
    }
    return json.dumps(stmt, separators=(",", ":")).encode("utf-8")


def is_high_s(sig_der):
    _, s = decode_dss_signature(sig_der)
    return s > P256_N // 2


def cmd_sign(args):
    kind, artifact, prefix, count = args[0], args[1], args[2], int(args[3])
    if kind == "ed25519":
        key_dict = sslib_keys.generate_ed25519_key()
        raw = bytes.fromhex(key_dict["keyval"]["public"])
        pem = ed25519.Ed25519PublicKey.from_public_bytes(raw).public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo)
    elif kind == "ecdsa":
        key_dict = sslib_keys.generate_ecdsa_key("ecdsa-sha2-nistp256")
        # already PEM SubjectPublicKeyInfo: written as securesystemslib
        # made it
        pem = key_dict["keyval"]["public"].encode("ascii")
        if not pem.endswith(b"\n"):
            pem += b"\n"
    else:
        raise ValueError("sign: ed25519 or ecdsa, not %r" % kind)
    with open(prefix + ".pub.pem", "wb") as f:
        f.write(pem)
    signer = SSlibSigner(key_dict)
    pubkey = SSlibKey.from_securesystemslib_key(key_dict)
    print("keyid %s" % key_dict["keyid"])

    n = high = 0
    while n < count or (kind == "ecdsa" and high == 0 and n < MAX_ECDSA):
        payload = statement(artifact, n)
        data = pae(PAYLOAD_TYPE, payload)
        sig = signer.sign(data)
        # securesystemslib checks its own signature first
        pubkey.verify_signature(sig, data)
        sig_bytes = bytes.fromhex(sig.signature)
        if kind == "ecdsa" and is_high_s(sig_bytes):
            high += 1
        env = {
            "payload": base64.b64encode(payload).decode("ascii"),
            "payloadType": PAYLOAD_TYPE,
            "signatures": [{
                "keyid": sig.keyid,
                "sig": base64.b64encode(sig_bytes).decode("ascii"),
            }],
        }
        write_json(env, "%s-%03d.dsse" % (prefix, n))
        n += 1
    if kind == "ecdsa":
        print("envelopes %d high-s %d" % (n, high))
        if high == 0:
            print("no high-S signature in %d tries" % n)
            return 1
    else:
        print("envelopes %d" % n)
    return 0


COMMANDS = {
    "verify": (cmd_verify, 2),
    "reject-altered": (cmd_reject_altered, 2),
    "tamper": (cmd_tamper, 2),
    "sign": (cmd_sign, 4),
}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS or \
            len(argv) - 2 < COMMANDS[argv[1]][1]:
        sys.stderr.write(__doc__)
        return 2
    fn = COMMANDS[argv[1]][0]
    try:
        return fn(argv[2:])
    except Exception as e:  # anything unexpected is an error, not a verdict
        sys.stderr.write("sslib_dsse.py: %s: %s: %s\n" % (
            argv[1], type(e).__name__, e))
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
