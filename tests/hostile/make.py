#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write the hostile-input corpus of tests/hostile/ into a directory.

    /usr/bin/python3 tests/hostile/make.py OUT_DIR CHAIN_DIR

OUT_DIR receives every input that tests/hostile/cases.txt names, plus the
valid material they are made from (keys, envelopes, an attestation CA).
CHAIN_DIR holds the example custody chain of keys-example/mkchain.sh (the
bundle and DoC envelope the policy, bundle and draft cases start from).

Ed25519 and EC keys come from fixed seeds and Ed25519 signatures are
deterministic, so most files are the same on every run; RSA keys, ECDSA
signatures and the attestation certificates are fresh each run and test
the same property every time.  Files of "100 MB" are sparse: their size
is declared by the file system, never written.
"""

import base64
import hashlib
import json
import os
import sys

import nacl.bindings as nb
import nacl.signing
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature, encode_dss_signature)
from cryptography.x509.oid import NameOID
import datetime

OUT = None
CHAIN = None
HUGE = 100 * 1024 * 1024
L_ED = 2**252 + 27742317777372353535851937790883648493
N_P256 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
STMT_TYPE = "application/vnd.in-toto+json"


# --- output ------------------------------------------------------------------

def put(name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def put_huge(name, prefix):
    """A sparse file of 100 MB that starts with prefix."""
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(prefix.encode() if isinstance(prefix, str) else prefix)
        f.truncate(HUGE)


def b64(b):
    return base64.b64encode(b).decode()


def b64u(b):
    return base64.urlsafe_b64encode(b).decode()


def pem(der, label="PUBLIC KEY"):
    t = b64(der)
    lines = [t[i:i + 64] for i in range(0, len(t), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (
        label, "\n".join(lines), label)


# --- JSON with duplicates: O([(k, v), ...]) keeps every pair -------------

class O(list):
    pass


class Raw(str):
    """Text put into the JSON as it is (bad escapes, raw bytes)."""


def J(v):
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, O):
        return "{" + ",".join(json.dumps(k) + ":" + J(x) for k, x in v) + "}"
    if isinstance(v, dict):
        return J(O(v.items()))
    if isinstance(v, list):
        return "[" + ",".join(J(x) for x in v) + "]"
    return json.dumps(v)


def deep(n, inner="0"):
    return "[" * n + inner + "]" * n


# --- keys ----------------------------------------------------------------

def seed(tag):
    return hashlib.sha256(b"libattest hostile corpus " + tag.encode()).digest()


ED_SK = nacl.signing.SigningKey(seed("ed25519"))
ED_PK = bytes(ED_SK.verify_key)
ED_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")
ED_SPKI = ED_SPKI_PREFIX + ED_PK
ED2_SK = nacl.signing.SigningKey(seed("ed25519 other"))

P256 = ec.derive_private_key(int.from_bytes(seed("p256"), "big") % N_P256,
                             ec.SECP256R1())
P384 = ec.derive_private_key(int.from_bytes(seed("p384"), "big"),
                             ec.SECP384R1())


def spki_of(k):
    return k.public_key().public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)


def pkcs8_of(k):
    return k.private_bytes(serialization.Encoding.DER,
                           serialization.PrivateFormat.PKCS8,
                           serialization.NoEncryption())


def ed_pkcs8(sk):
    return bytes.fromhex("302e020100300506032b657004220420") + bytes(sk)


def keyid(spki):
    return hashlib.sha256(spki).hexdigest()


P256_SPKI = spki_of(P256)
P384_SPKI = spki_of(P384)
EC_P256_PREFIX = P256_SPKI[:-65]          # up to and with the BIT STRING
EC_P384_PREFIX = P384_SPKI[:-97]


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def ec_spki(curve_oid_der, point):
    alg = tlv(0x30, bytes.fromhex("06072a8648ce3d0201") + curve_oid_der)
    return tlv(0x30, alg + tlv(0x03, b"\x00" + point))


OID_P256 = bytes.fromhex("06082a8648ce3d030107")
OID_P384 = bytes.fromhex("06052b81040022")
OID_K256 = bytes.fromhex("06052b8104000a")


def keyfile(alg, spki, pkcs8, **over):
    d = O([("type", "libattest-private-key"), ("version", 1),
           ("algorithm", alg), ("keyid", keyid(spki)),
           ("public_key", b64(spki)), ("encryption", "none"),
           ("private_key", b64(pkcs8))])
    for k, v in over.items():
        for i, (kk, _) in enumerate(d):
            if kk == k:
                d[i] = (k, v)
    return d


# --- DSSE ----------------------------------------------------------------

def pae(t, body):
    t = t.encode() if isinstance(t, str) else t
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body)


def ed_sign(sk, t, body):
    return sk.sign(pae(t, body)).signature


def p256_sign(t, body):
    return P256.sign(pae(t, body), ec.ECDSA(hashes.SHA256()))


def envelope(body, sig, t=STMT_TYPE, kid=None, b64f=b64):
    s = O([("keyid", kid if kid is not None else keyid(ED_SPKI)),
           ("sig", b64f(sig))])
    return O([("payload", b64f(body)), ("payloadType", t),
              ("signatures", [s])])


def signed(body, t=STMT_TYPE, sk=ED_SK):
    return J(envelope(body, ed_sign(sk, t, body), t)) + "\n"


def statement(**over):
    d = O([("_type", "https://in-toto.io/Statement/v1"),
           ("subject", [O([("name", "fw.bin"),
                           ("digest", O([("sha256", FW_SHA)]))])]),
           ("predicateType", "https://in-toto.io/attestation/release/v0.1"),
           ("predicate", O())])
    for k, v in over.items():
        for i, (kk, _) in enumerate(d):
            if kk == k:
                d[i] = (k, v)
    return d


FW = b"hostile corpus artifact 1.0\n"
FW_SHA = hashlib.sha256(FW).hexdigest()


def flip(b, i, bit=0):
    b = bytearray(b)
    b[i] ^= 1 << bit
    return bytes(b)


def set_env(env, key, value):
    for i, (k, _) in enumerate(env):
        if k == key:
            env[i] = (key, value)
    return env


def mix(text):
    """text with its first '+' or '/' in the URL-safe alphabet, and at
    least one more left in the standard one."""
    at = [i for i, c in enumerate(text) if c in "+/"]
    if len(at) < 2:
        raise SystemExit("make.py: cannot mix alphabets in " + text)
    return text[:at[0]] + {"+": "-", "/": "_"}[text[at[0]]] + \
        text[at[0] + 1:]


def with_sig(sig_text, body=None, t=STMT_TYPE):
    """An envelope whose sig member is the text given."""
    body = body if body is not None else STMT
    env = envelope(body, b"", t)
    env[2] = ("signatures", [O([("keyid", keyid(ED_SPKI)),
                                ("sig", sig_text)])])
    return J(env) + "\n"


def with_payload(payload_text, sig=None):
    env = envelope(STMT, sig if sig is not None else ED_SIG)
    env[0] = ("payload", payload_text)
    return J(env) + "\n"


# --- the corpus ------------------------------------------------------------

def gen_base():
    global STMT, ED_SIG, ENV
    put("fw.bin", FW)
    put("ed.pub", pem(ED_SPKI))
    put("p256.pub", pem(P256_SPKI))
    put("ed.key", J(keyfile("ed25519", ED_SPKI, ed_pkcs8(ED_SK))) + "\n")
    STMT = J(statement()).encode()
    ED_SIG = ed_sign(ED_SK, STMT_TYPE, STMT)
    ENV = J(envelope(STMT, ED_SIG)) + "\n"
    put("ok-env.json", ENV)


def gen_dsse():
    put("env-truncated.json", ENV[:len(ENV) // 2])
    put("env-truncated-b64.json", ENV[:ENV.index('"payloadType"') - 6])
    put("env-empty.json", "")
    put("env-sig-bitflip.json", J(envelope(STMT, flip(ED_SIG, 10))) + "\n")
    put("env-payload-bitflip.json",
        J(envelope(flip(STMT, 40), ED_SIG)) + "\n")
    put("env-type-swap.json",
        J(envelope(STMT, ED_SIG, "application/json")) + "\n")
    # a genuine signature over the Statement, but as another payload type
    put("env-type-swap-signed.json", signed(STMT, "application/json"))
    e = envelope(STMT, ED_SIG)
    e.insert(1, ("payload", b64(b'{"_type":"evil"}')))
    put("env-dup-payload.json", J(e) + "\n")
    e = envelope(STMT, ED_SIG)
    e[2][1][0].append(("sig", b64(flip(ED_SIG, 0))))
    put("env-dup-sig.json", J(e) + "\n")
    e = envelope(STMT, ED_SIG)
    e[2][1][0].insert(0, ("keyid", "0" * 64))
    put("env-dup-keyid.json", J(e) + "\n")
    e = envelope(STMT, ED_SIG)
    e += [("x-ignored", 1), ("x-ignored", 2)]
    put("env-dup-ignored.json", J(e) + "\n")

    # base64 variants
    put("ok-env-urlsafe.json", J(envelope(STMT, ED_SIG, b64f=b64u)) + "\n")
    std = b64(ED_SIG)
    url = b64u(ED_SIG)
    put("b64-sig-mixed-alphabet.json", with_sig(mix(std)))
    put("b64-sig-no-padding.json", with_sig(std.rstrip("=")))
    put("b64-sig-extra-padding.json", with_sig(std + "===="))
    put("b64-sig-misplaced-padding.json", with_sig(std[:8] + "=" + std[9:]))
    put("b64-sig-whitespace.json", with_sig(std[:40] + " " + std[40:-4] +
                                            std[-3:]))
    put("b64-sig-newline.json", with_sig(std[:40] + "\n" + std[40:-4] +
                                         std[-3:]))
    # 64 bytes: the last group is "Xy==" and y has 4 unused low bits
    alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    y = alpha.index(std[-3])
    put("b64-sig-trailing-bits.json",
        with_sig(std[:-3] + alpha[y | 1] + "=="))
    pl = b64(STMT)
    put("b64-payload-invalid-char.json", with_payload("*" + pl[1:]))
    body = next(b for b in (J(statement(predicate=O([("n", "?" * k +
                                                           ">>>???")])))
                            .encode() for k in range(8))
                if sum(c in "+/" for c in b64(b)) >= 2)
    put("b64-payload-mixed-alphabet.json",
        J(set_env(envelope(body, ed_sign(ED_SK, STMT_TYPE, body)),
                  "payload", mix(b64(body)))) + "\n")

    # NUL, UTF-8, types
    put("env-nul-raw.json", ENV.replace('"payloadType":"application',
                                        '"payloadType":"app\x00lication'))
    put("env-nul-escaped.json",
        J(envelope(STMT, ED_SIG, Raw('"application/vnd.in-toto+json'
                                     '\\u0000"'))) + "\n")
    e = envelope(STMT, ED_SIG, kid=Raw('"abc\\u0000def"'))
    put("env-nul-keyid.json", J(e) + "\n")
    put("env-invalid-utf8.json",
        ENV.encode().replace(b'"payloadType":"application',
                             b'"payloadType":"\xff\xfeapplication'))
    put("env-overlong-utf8.json",
        ENV.encode().replace(b'"payloadType":"application',
                             b'"payloadType":"\xc0\xafapplication'))
    put("env-lone-surrogate.json",
        J(envelope(STMT, ED_SIG, Raw('"\\ud800application"'))) + "\n")
    put("env-number-payload.json", J(set_env(envelope(STMT, ED_SIG),
                                             "payload", 12345)) + "\n")
    put("env-number-payloadtype.json", J(envelope(STMT, ED_SIG, 1)) + "\n")
    e = envelope(STMT, ED_SIG)
    e[2][1][0][1] = ("sig", 7)
    put("env-number-sig.json", J(e) + "\n")
    put("env-signatures-object.json",
        J(set_env(envelope(STMT, ED_SIG), "signatures", O())) + "\n")
    put("env-top-array.json", "[" + ENV.strip() + "]\n")
    put("env-deep-10000.json", ENV.strip()[:-1] + ',"x":' +
        deep(10000) + "}\n")
    put("env-deep-top-10000.json", deep(10000) + "\n")
    put_huge("env-100mb.json", ENV.strip()[:-1] + ',"pad":"')
    put("env-trailing-garbage.json", ENV.strip() + "x\n")
    put("env-two-objects.json", ENV + ENV)
    put("env-payloadtype-empty.json", signed(STMT, ""))
    put("env-payloadtype-257.json", signed(STMT, "a" * 257))
    e = envelope(STMT, ED_SIG)
    e[2] = ("signatures", [e[2][1][0]] * 33)
    put("env-33-signatures.json", J(e) + "\n")
    put("env-sig-1025-bytes.json", with_sig(b64(b"\x01" * 1025)))
    put("env-keyid-257.json", J(envelope(STMT, ED_SIG, kid="a" * 257)) +
        "\n")
    put("env-no-signatures.json",
        J(set_env(envelope(STMT, ED_SIG), "signatures", [])) + "\n")
    put("env-no-payload.json", J(O(list(envelope(STMT, ED_SIG))[1:])) + "\n")

    # Ed25519 signatures
    r, s = ED_SIG[:32], int.from_bytes(ED_SIG[32:], "little")
    put("ed-s-plus-l.json",
        J(envelope(STMT, r + (s + L_ED).to_bytes(32, "little"))) + "\n")
    put("ed-s-max.json", J(envelope(STMT, r + b"\xff" * 32)) + "\n")
    ident = b"\x01" + b"\x00" * 31
    put("ed-r-small-order.json",
        J(envelope(STMT, ident + b"\x00" * 32)) + "\n")
    put("ed-sig-63-bytes.json", J(envelope(STMT, ED_SIG[:63])) + "\n")
    put("ed-sig-other-key.json",
        J(envelope(STMT, ed_sign(ED2_SK, STMT_TYPE, STMT))) + "\n")

    # ECDSA P-256 signatures
    der = p256_sign(STMT_TYPE, STMT)
    rr, ss = decode_dss_signature(der)
    kid = keyid(P256_SPKI)

    def ecenv(sig):
        return J(envelope(STMT, sig, kid=kid)) + "\n"
    put("ok-ecdsa.json", ecenv(der))
    # specs/keyfile.md §4.2: a high s is accepted (OpenSSL does not
    # normalise it); both halves of the pair verify
    put("ok-ecdsa-high-s.json", ecenv(encode_dss_signature(rr, N_P256 - ss)))
    put("ecdsa-r-zero.json", ecenv(encode_dss_signature(0, ss)))
    put("ecdsa-s-zero.json", ecenv(encode_dss_signature(rr, 0)))
    put("ecdsa-r-n.json", ecenv(encode_dss_signature(N_P256, ss)))
    put("ecdsa-raw-r-zero.json",
        ecenv(b"\x00" * 32 + ss.to_bytes(32, "big")))
    put("ecdsa-der-trailing.json", ecenv(der + b"\x00"))
    body = der[2:]
    put("ecdsa-der-long-length.json", ecenv(b"\x30\x81" +
                                            bytes([len(body)]) + body))
    put("ecdsa-der-100mb.json", ecenv(b"\x30\x84\x06\x40\x00\x00" + body))
    put("ecdsa-sig-bitflip.json", ecenv(flip(der, len(der) - 3)))


def gen_pub():
    put("pub-truncated-pem.pub", pem(ED_SPKI)[:50])
    put("pub-truncated-der.pub", pem(ED_SPKI[:-5]))
    put("pub-empty-pem.pub", "-----BEGIN PUBLIC KEY-----\n"
        "-----END PUBLIC KEY-----\n")
    pt = P256.public_key().public_numbers()
    x, y = pt.x.to_bytes(32, "big"), pt.y.to_bytes(32, "big")
    bad_y = ((pt.y + 1) % 2**256).to_bytes(32, "big")
    put("pub-p256-not-on-curve.pub",
        pem(ec_spki(OID_P256, b"\x04" + x + bad_y)))
    put("pub-p256-infinity.pub", pem(ec_spki(OID_P256, b"\x00")))
    put("pub-p256-zero-point.pub",
        pem(ec_spki(OID_P256, b"\x04" + b"\x00" * 64)))
    put("pub-p256-compressed.pub",
        pem(ec_spki(OID_P256, bytes([2 + (pt.y & 1)]) + x)))
    # the same P-256 key with the curve spelt out (RFC 3279 ECParameters,
    # specifiedCurve): one key under a second encoding and key id
    p = 2**256 - 2**224 + 2**192 + 2**96 - 1

    def integer(v):
        b = v.to_bytes((v.bit_length() + 8) // 8, "big")
        return tlv(0x02, b)
    gx = 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296
    gy = 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5
    b = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b
    params = tlv(0x30, integer(1) +
                 tlv(0x30, bytes.fromhex("06072a8648ce3d0101") + integer(p)) +
                 tlv(0x30, tlv(0x04, (p - 3).to_bytes(32, "big")) +
                     tlv(0x04, b.to_bytes(32, "big"))) +
                 tlv(0x04, b"\x04" + gx.to_bytes(32, "big") +
                     gy.to_bytes(32, "big")) +
                 integer(N_P256) + integer(1))
    put("pub-p256-explicit-params.pub",
        pem(ec_spki(params, b"\x04" + x + y)))
    put("pub-p384-as-p256.pub", pem(ec_spki(OID_P256, P384_SPKI[-97:])))
    put("pub-p256-as-p384.pub", pem(ec_spki(OID_P384, P256_SPKI[-65:])))
    put("pub-p256-as-secp256k1.pub", pem(ec_spki(OID_K256,
                                                 P256_SPKI[-65:])))
    put("pub-ed25519-as-ec.pub", pem(ec_spki(OID_P256, ED_PK)))
    put("pub-p256-as-ed25519.pub", pem(ED_SPKI_PREFIX[:-3] +
                                       bytes([0x03, 0x42, 0x00]) +
                                       P256_SPKI[-65:]))
    put("pub-ed25519-small-order.pub",
        pem(ED_SPKI_PREFIX + b"\x01" + b"\x00" * 31))
    put("pub-ed25519-non-canonical.pub",
        pem(ED_SPKI_PREFIX + b"\xff" * 31 + b"\x7f"))
    put("pub-ed25519-31-bytes.pub",
        pem(bytes.fromhex("3029300506032b6570032000") + ED_PK[:31]))
    put("pub-x25519.pub", pem(bytes.fromhex("302a300506032b656e032100") +
                              ED_PK))
    r1024 = rsa.generate_private_key(65537, 1024)
    put("pub-rsa-1024.pub", pem(spki_of(r1024)))
    # RSA under id-RSASSA-PSS: the body of an rsaEncryption SPKI with
    # the algorithm swapped
    r2048 = rsa.generate_private_key(65537, 2048)
    rs = spki_of(r2048)
    bitstr = rs[rs.index(b"\x03\x82"):]
    put("pub-rsa-pss-oid.pub", pem(tlv(0x30, tlv(
        0x30, bytes.fromhex("06092a864886f70d01010a")) + bitstr)))
    put("pub-spki-trailing.pub", pem(ED_SPKI + b"\x00"))
    put("pub-spki-ber-length.pub",
        pem(b"\x30\x81\x2a" + ED_SPKI[2:]))
    put("pub-spki-100mb.pub", pem(b"\x30\x84\x06\x40\x00\x00" + ED_SPKI[2:]))
    put("pub-pem-label.pub", pem(ED_SPKI, "PRIVATE KEY"))
    put("pub-pem-headers.pub", pem(ED_SPKI).replace(
        "-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n", 1))
    put("pub-pem-garbage-after.pub", pem(ED_SPKI) + "garbage\n")
    put("pub-pem-bad-base64.pub", pem(ED_SPKI).replace("MCow", "MC*w"))
    put_huge("pub-100mb.pub", pem(ED_SPKI))
    return r1024


def fido_pub(alg, spki, rp="attest:", first="libattest-fido-public-key: 1"):
    return "%s\nalgorithm: %s\nrp-id: %s\n%s" % (first, alg, rp, pem(spki))


def gen_fido_pub():
    put("fido-claims-eddsa-es256-key.pub", fido_pub("fido-eddsa",
                                                    P256_SPKI))
    put("fido-claims-es256-ed25519-key.pub", fido_pub("fido-es256",
                                                      ED_SPKI))
    put("fido-p384-key.pub", fido_pub("fido-es256", P384_SPKI))
    put("fido-unknown-alg.pub", fido_pub("fido-rs256", P256_SPKI))
    put("fido-plain-alg.pub", fido_pub("ed25519", ED_SPKI))
    put("fido-rpid-empty.pub", fido_pub("fido-eddsa", ED_SPKI, rp=""))
    put("fido-rpid-space.pub", fido_pub("fido-eddsa", ED_SPKI,
                                        rp="attest: x"))
    put("fido-no-rpid.pub", "libattest-fido-public-key: 1\n"
        "algorithm: fido-eddsa\n" + pem(ED_SPKI))


def gen_keyfile(r1024):
    ok = keyfile("ed25519", ED_SPKI, ed_pkcs8(ED_SK))
    text = J(ok) + "\n"
    put("key-truncated.key", text[:len(text) // 2])
    d = keyfile("ed25519", ED_SPKI, ed_pkcs8(ED_SK))
    d.insert(0, ("type", "libattest-public-key"))
    put("key-dup-type.key", J(d) + "\n")
    enc = O([("kdf", "argon2id13"), ("opslimit", 1), ("memlimit", 8192),
             ("salt", b64(b"s" * 16)), ("salt", b64(b"t" * 16)),
             ("cipher", "xchacha20poly1305-ietf"),
             ("nonce", b64(b"n" * 24))])
    put("key-dup-in-encryption.key",
        J(keyfile("ed25519", ED_SPKI, b"x" * 64, encryption=enc)) + "\n")

    def kf(name, **over):
        put(name, J(keyfile("ed25519", ED_SPKI, ed_pkcs8(ED_SK), **over)) +
            "\n")
    kf("key-version-string.key", version="1")
    kf("key-version-float.key", version=Raw("1.0"))
    kf("key-version-2.key", version=2)
    kf("key-alg-mismatch.key", algorithm="ecdsa-p256-sha256")
    kf("key-alg-typename.key", algorithm="Ed25519")
    kf("key-keyid-upper.key", keyid=keyid(ED_SPKI).upper())
    kf("key-keyid-number.key", keyid=12345)
    kf("key-nul-algorithm.key", algorithm=Raw('"ed25519\\u0000x"'))
    kf("key-private-whitespace.key",
       private_key=b64(ed_pkcs8(ED_SK))[:20] + " " +
       b64(ed_pkcs8(ED_SK))[20:])
    kf("key-private-no-padding.key",
       private_key=b64(ed_pkcs8(ED_SK)[:-1]).rstrip("="))
    kf("key-private-mixed-alphabet.key",
       private_key=mix(b64(ed_pkcs8(ED_SK))))
    kf("key-other-private.key", private_key=b64(ed_pkcs8(ED2_SK)))
    kf("key-pkcs8-100mb.key", private_key=b64(
        b"\x30\x84\x06\x40\x00\x00" + ed_pkcs8(ED_SK)[2:]))
    kf("key-pkcs8-trailing.key", private_key=b64(ed_pkcs8(ED_SK) + b"\0"))
    bad_kdf = O(enc[:4] + enc[5:])
    bad_kdf[1] = ("opslimit", 1000000)
    put("key-kdf-opslimit-huge.key",
        J(keyfile("ed25519", ED_SPKI, b"x" * 64, encryption=bad_kdf)) + "\n")
    bad_kdf = O(enc[:4] + enc[5:])
    bad_kdf[2] = ("memlimit", 2**40)
    put("key-kdf-memlimit-huge.key",
        J(keyfile("ed25519", ED_SPKI, b"x" * 64, encryption=bad_kdf)) + "\n")
    put("key-invalid-utf8.key", text.replace('"ed25519"', '"ed\xff25519"')
        .encode("latin-1"))
    put("key-deep-10000.key", text.strip()[:-1] + ',"x":' + deep(10000) +
        "}\n")
    put_huge("key-100mb.key", text.strip()[:-1] + ',"pad":"')
    put("key-rsa-1024.key", J(keyfile("rsa-pss-sha256", spki_of(r1024),
                                      pkcs8_of(r1024))) + "\n")
    put("key-ed25519-as-ec.key", J(keyfile(
        "ecdsa-p256-sha256", ec_spki(OID_P256, ED_PK),
        ed_pkcs8(ED_SK))) + "\n")
    put("key-p384-as-p256.key", J(keyfile(
        "ecdsa-p256-sha256", ec_spki(OID_P256, P384_SPKI[-97:]),
        pkcs8_of(P384))) + "\n")
    put("key-top-array.key", "[" + text.strip() + "]\n")


def gen_statement():
    def stmt_env(name, stmt_text):
        body = stmt_text.encode() if isinstance(stmt_text, str) else stmt_text
        put(name, signed(body))
    st = statement()
    st.insert(0, ("_type", "https://in-toto.io/Statement/v0.1"))
    stmt_env("stmt-dup-type.json", J(st))
    sub = O([("name", "fw.bin"), ("name", "other.bin"),
             ("digest", O([("sha256", FW_SHA)]))])
    stmt_env("stmt-dup-subject-name.json", J(statement(subject=[sub])))
    sub = O([("name", "fw.bin"),
             ("digest", O([("sha256", "0" * 64), ("sha256", FW_SHA)]))])
    stmt_env("stmt-dup-digest.json", J(statement(subject=[sub])))
    stmt_env("stmt-dup-predicate.json",
             J(statement(predicate=O([("a", 1), ("a", 2)]))))
    stmt_env("stmt-deep-predicate.json",
             J(statement(predicate=O([("x", Raw(deep(200)))]))))
    stmt_env("stmt-deep-10000.json",
             J(statement(predicate=O([("x", Raw(deep(10000)))]))))
    sub = O([("name", 42), ("digest", O([("sha256", FW_SHA)]))])
    stmt_env("stmt-number-name.json", J(statement(subject=[sub])))
    stmt_env("stmt-number-predicatetype.json",
             J(statement(predicateType=1)))
    sub = O([("name", "fw.bin"), ("digest", O([("sha256", FW_SHA.upper())]))])
    stmt_env("stmt-digest-upper.json", J(statement(subject=[sub])))
    stmt_env("stmt-invalid-utf8.json",
             J(statement()).encode().replace(b"fw.bin", b"fw\xff.bin"))
    stmt_env("stmt-nul-escaped.json",
             J(statement(predicateType=Raw('"https://x\\u0000y"'))))
    stmt_env("stmt-trailing.json", J(statement()) + "{}")
    stmt_env("stmt-truncated.json", J(statement())[:-10])
    stmt_env("stmt-subject-empty.json", J(statement(subject=[])))
    stmt_env("stmt-predicate-null.json", J(statement(predicate=None)))


# --- policies, bundles and drafts (the example chain) -------------------

def gen_policy():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "..", "keys-example",
                           "policy.json")) as f:
        text = f.read()
    pol = json.loads(text)
    put("ok-policy.json", text)

    def pj(name, obj):
        put(name, J(obj) + "\n")

    def to_o(v):
        if isinstance(v, dict):
            return O((k, to_o(x)) for k, x in v.items())
        if isinstance(v, list):
            return [to_o(x) for x in v]
        return v
    p = to_o(pol)
    p.insert(0, ("policy_version", 2))
    pj("pol-dup-version.json", p)
    p = to_o(pol)
    dict(p)["operators"][0].append(("legal_name", "Evil GmbH"))
    pj("pol-dup-operator-name.json", p)
    p = to_o(pol)
    dict(p)["keys"][0].insert(0, ("operator", "example-retail"))
    pj("pol-dup-key-operator.json", p)
    p = to_o(pol)
    dict(dict(p)["operators"][0])["roles"][0][1].append(("threshold", 0))
    pj("pol-dup-threshold.json", p)
    p = to_o(pol)
    dict(p)["keys"][0].append(("public_key", pem(P256_SPKI)))
    pj("pol-dup-public-key.json", p)
    put("pol-truncated.json", text[:len(text) // 2])
    p = json.loads(text)
    p["operators"][0]["legal_name"] = 42
    put("pol-number-legal-name.json", json.dumps(p))
    p = json.loads(text)
    p["keys"][0]["valid_from"] = 20260101
    put("pol-number-valid-from.json", json.dumps(p))
    p = json.loads(text)
    p["keys"][0]["public_key"] = pem(spki_of(
        rsa.generate_private_key(65537, 1024)))
    p["keys"][0]["algorithm"] = "rsa-pss-sha256"
    put("pol-key-rsa-1024.json", json.dumps(p))
    p = json.loads(text)
    p["keys"][0]["algorithm"] = "ecdsa-p256-sha256"
    put("pol-key-alg-mismatch.json", json.dumps(p))
    p = json.loads(text)
    p["keys"][0]["public_key"] = pem(ec_spki(OID_P256, ED_PK))
    p["keys"][0]["algorithm"] = "ecdsa-p256-sha256"
    put("pol-key-ed25519-as-ec.json", json.dumps(p))
    p = json.loads(text)
    p["keys"][0]["public_key"] = pem(ec_spki(
        OID_P256, P256_SPKI[-65:-1] + bytes([P256_SPKI[-1] ^ 1])))
    p["keys"][0]["algorithm"] = "ecdsa-p256-sha256"
    put("pol-key-not-on-curve.json", json.dumps(p))
    p = json.loads(text)
    p["name"] = "Example\u0000Policy"
    put("pol-nul.json", json.dumps(p))
    put("pol-invalid-utf8.json", text.encode().replace(
        b"Example Devices GmbH", b"Example Devices \xc3\x28GmbH", 1))
    put("pol-deep-10000.json", text.strip()[:-1] + ',"comment2":' +
        deep(10000) + "}\n")
    put_huge("pol-100mb.json", text.strip()[:-1] + ',"comment":"')
    p = json.loads(text)
    p["key_events"] = [{"payload": "e30=", "payloadType": STMT_TYPE,
                        "signatures": [{"sig": b64(b"\x00" * 64)}]}]
    put("pol-event-unsigned.json", json.dumps(p))
    p = json.loads(text)
    p["key_events"] = ["not an envelope"]
    put("pol-event-string.json", json.dumps(p))


def gen_bundle():
    with open(os.path.join(CHAIN, "chain.intoto.jsonl"), "rb") as f:
        lines = f.read().split(b"\n")[:-1]
    assert len(lines) == 3

    def bundle(name, ls, end=b"\n"):
        put(name, b"\n".join(ls) + end)
    bundle("ok-bundle.jsonl", lines)
    bundle("bundle-truncated.jsonl", lines[:2] + [lines[2][:200]])
    bundle("bundle-blank-line.jsonl", [lines[0], b"", lines[1], lines[2]])
    env = json.loads(lines[1])
    sig = base64.b64decode(env["signatures"][0]["sig"])
    env["signatures"][0]["sig"] = b64(flip(sig, 5))
    bundle("bundle-sig-bitflip.jsonl", [lines[0], json.dumps(
        env, separators=(",", ":")).encode(), lines[2]])
    env = json.loads(lines[2])
    body = base64.b64decode(env["payload"])
    env["payload"] = b64(body.replace(b'"quantity":', b'"quantity": ', 1)
                         if b'"quantity":' in body else flip(body, 100))
    bundle("bundle-payload-changed.jsonl", [lines[0], lines[1], json.dumps(
        env, separators=(",", ":")).encode()])
    env = json.loads(lines[0])
    env["payloadType"] = "application/json"
    bundle("bundle-type-swap.jsonl", [json.dumps(
        env, separators=(",", ":")).encode(), lines[1], lines[2]])
    bundle("bundle-dup-key.jsonl", [lines[0], lines[1][:-1] +
                                    b',"payloadType":"text/plain"}',
                                    lines[2]])
    bundle("bundle-nul.jsonl", [lines[0], lines[1][:-1] +
                                b',"x":"\\u0000"}', lines[2]])
    bundle("bundle-invalid-utf8.jsonl", [lines[0], lines[1][:-1] +
                                         b',"x":"\xed\xa0\x80"}',
                                         lines[2]])
    bundle("bundle-deep-10000.jsonl", [lines[0], lines[1][:-1] + b',"x":' +
                                       deep(10000).encode() + b"}",
                                       lines[2]])
    bundle("bundle-order-swapped.jsonl", [lines[1], lines[0], lines[2]])
    bundle("bundle-replayed-line.jsonl", [lines[0], lines[1], lines[1],
                                          lines[2]])
    bundle("bundle-65-lines.jsonl", lines + [lines[2]] * 62)
    bundle("bundle-two-on-a-line.jsonl", [lines[0] + lines[1], lines[2]])
    bundle("bundle-not-envelope.jsonl", [lines[0], b'{"a":1}', lines[2]])
    bundle("bundle-crlf.jsonl", [ln + b"\r" for ln in lines])
    with open(os.path.join(OUT, "bundle-100mb.jsonl"), "wb") as f:
        f.write(b"\n".join(lines) + b"\n")
        f.truncate(HUGE)
    put("bundle-empty.jsonl", b"")


def gen_draft():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "..", "keys-example", "cra",
                           "doc-module-a.json")) as f:
        text = f.read()
    put("ok-draft.json", text)
    d = json.loads(text)

    def to_o(v):
        if isinstance(v, dict):
            return O((k, to_o(x)) for k, x in v.items())
        if isinstance(v, list):
            return [to_o(x) for x in v]
        return v
    top = list(d.keys())
    o = to_o(d)
    o.append((top[0], dict(o)[top[0]]))
    put("draft-dup-top.json", J(o) + "\n")
    # a nested object: the first member that is an object
    o = to_o(d)
    k, v = next((k, v) for k, v in o if isinstance(v, O) and v)
    v.append(v[0])
    put("draft-dup-nested.json", J(o) + "\n")
    o = to_o(d)
    man = dict(dict(o)["predicate"])["manufacturer"]
    man.append(("legal_name", "Someone Else GmbH"))
    put("draft-dup-deep.json", J(o) + "\n")
    put("draft-truncated.json", text[:len(text) // 2])
    put("draft-deep-10000.json", text.strip()[:-1] + ',"x":' + deep(10000) +
        "}\n")
    put("draft-nul.json", text.replace('"', '"\\u0000', 3)[::1]
        if False else J(to_o(d))[:-1] + ',"x":"a\\u0000b"}')
    put("draft-invalid-utf8.json", J(to_o(d)).encode()[:-1] +
        b',"x":"\xf8\x88\x80\x80\x80"}')
    put("draft-top-array.json", "[" + text.strip() + "]\n")
    put_huge("draft-100mb.json", text.strip()[:-1] + ',"pad":"')
    put("draft-empty.json", "")
    DRAFT_DICT[0] = d


DRAFT_DICT = [None]


def gen_draft_types():
    d = json.loads(json.dumps(DRAFT_DICT[0]))
    # the first string member of the draft's first object member
    for k, v in d.items():
        if isinstance(v, dict):
            for kk, vv in v.items():
                if isinstance(vv, str):
                    v[kk] = 12345
                    put("draft-number-for-string.json", json.dumps(d))
                    return kk
    raise SystemExit("make.py: no string member in the draft")


# --- FIDO: attestation files (the CBOR inside auth_data) ------------------

def cbor_bytes(b):
    n = len(b)
    if n < 24:
        return bytes([0x40 | n]) + b
    if n < 256:
        return bytes([0x58, n]) + b
    return bytes([0x59]) + n.to_bytes(2, "big") + b


def gen_fido_att():
    rp = "attest:"
    now = datetime.datetime(2025, 1, 1)
    ca_key = ec.derive_private_key(int.from_bytes(seed("ca"), "big") %
                                   N_P256, ec.SECP256R1())
    att_key = ec.derive_private_key(int.from_bytes(seed("att"), "big") %
                                    N_P256, ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                            "hostile corpus CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name)
          .issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now)
          .not_valid_after(now + datetime.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                         critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False,
                                       True, True, False, False),
                         critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(
              ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "hostile authenticator"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME,
                           "Authenticator Attestation"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "hostile"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE")]))
        .issuer_name(ca_name).public_key(att_key.public_key())
        .serial_number(2).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                       critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(
            att_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256()))
    put("att-ca.pem", ca.public_bytes(serialization.Encoding.PEM))
    leaf_der = leaf.public_bytes(serialization.Encoding.DER)

    fk = nacl.signing.SigningKey(seed("fido eddsa"))
    fpk = bytes(fk.verify_key)
    spki = ED_SPKI_PREFIX + fpk
    put("fido.pub", fido_pub("fido-eddsa", spki, rp))
    # a FIDO-signed envelope (specs/fido.md §3): flags UP, counter 1
    ad = hashlib.sha256(rp.encode()).digest() + b"\x01" + (1).to_bytes(4,
                                                                      "big")
    msg = ad + hashlib.sha256(pae(STMT_TYPE, STMT)).digest()
    blob = b"\x01" + (1).to_bytes(4, "big") + fk.sign(msg).signature
    put("fido.dsse", J(envelope(STMT, blob, kid=keyid(spki))) + "\n")

    aaguid = bytes(range(16))
    cred_id = seed("credential id")
    cose = (b"\xa4" + b"\x01\x01" + b"\x03\x27" + b"\x20\x06" + b"\x21" +
            cbor_bytes(fpk))
    cdh = seed("client data hash")

    def authdata(cose_key, flags=0x41, tail=b""):
        return (hashlib.sha256(rp.encode()).digest() + bytes([flags]) +
                (0).to_bytes(4, "big") + aaguid +
                len(cred_id).to_bytes(2, "big") + cred_id + cose_key + tail)

    def att(name, ad_bytes, sign=True, **over):
        sig = att_key.sign(ad_bytes + cdh, ec.ECDSA(hashes.SHA256()))
        d = O([("type", "libattest-fido-attestation"), ("version", 1),
               ("algorithm", "fido-eddsa"), ("rp_id", rp),
               ("keyid", keyid(spki)), ("public_key", b64(spki)),
               ("fmt", "packed"), ("aaguid", aaguid.hex()),
               ("client_data_hash", b64(cdh)), ("auth_data", b64(ad_bytes)),
               ("sig", b64(sig if sign else flip(sig, 8))),
               ("x5c", [b64(leaf_der)])])
        for k, v in over.items():
            for i, (kk, _) in enumerate(d):
                if kk == k:
                    d[i] = (k, v)
        os.makedirs(os.path.join(OUT, name), exist_ok=True)
        put(os.path.join(name, "fido.pub"), fido_pub("fido-eddsa", spki, rp))
        put(os.path.join(name, "fido.att"), J(d) + "\n")
        return d

    att("att-ok", authdata(cose))
    # CBOR of the COSE_Key: an indefinite-length map, a duplicate key (a
    # second x, of another key, after the genuine one), bytes after the
    # key, an x of indefinite length, a declared length of 100 MB
    indef = (b"\xbf" + b"\x01\x01" + b"\x03\x27" + b"\x20\x06" + b"\x21" +
             cbor_bytes(fpk) + b"\xff")
    att("att-cbor-indefinite-map", authdata(indef))
    dup = (b"\xa5" + b"\x01\x01" + b"\x03\x27" + b"\x20\x06" + b"\x21" +
           cbor_bytes(fpk) + b"\x21" + cbor_bytes(bytes(ED2_SK.verify_key)))
    att("att-cbor-duplicate-key", authdata(dup))
    dup2 = (b"\xa5" + b"\x01\x01" + b"\x03\x27" + b"\x20\x06" + b"\x21" +
            cbor_bytes(bytes(ED2_SK.verify_key)) + b"\x21" + cbor_bytes(fpk))
    att("att-cbor-duplicate-key-last", authdata(dup2))
    dup3 = (b"\xa5" + b"\x01\x01" + b"\x03\x27" + b"\x20\x06" + b"\x21" +
            cbor_bytes(fpk) + b"\x21" + cbor_bytes(fpk))
    att("att-cbor-duplicate-same", authdata(dup3))
    dup4 = (b"\xa5" + b"\x01\x01" + b"\x03\x27" + b"\x03\x27" + b"\x20\x06" +
            b"\x21" + cbor_bytes(fpk))
    att("att-cbor-duplicate-alg", authdata(dup4))
    att("att-cbor-trailing-bytes", authdata(cose, tail=b"\x00"))
    att("att-cbor-trailing-item", authdata(cose, tail=b"\xa0"))
    indef_x = (b"\xa4" + b"\x01\x01" + b"\x03\x27" + b"\x20\x06" + b"\x21" +
               b"\x5f" + cbor_bytes(fpk[:16]) + cbor_bytes(fpk[16:]) + b"\xff")
    att("att-cbor-indefinite-bytes", authdata(indef_x))
    big = (b"\xa4" + b"\x01\x01" + b"\x03\x27" + b"\x20\x06" + b"\x21" +
           b"\x5a" + HUGE.to_bytes(4, "big") + fpk)
    att("att-cbor-100mb-length", authdata(big))
    att("att-cbor-truncated", authdata(cose)[:-10])
    att("att-sig-bitflip", authdata(cose), sign=False)
    d = att("att-dup-json-key", authdata(cose))
    d.insert(7, ("fmt", "none"))
    put(os.path.join("att-dup-json-key", "fido.att"), J(d) + "\n")
    att("att-fmt-number", authdata(cose), fmt=7)
    # the attested key is the CBOR of a P-256 key: another algorithm
    p = P256.public_key().public_numbers()
    cose_ec = (b"\xa5\x01\x02\x03\x26\x20\x01\x21" +
               cbor_bytes(p.x.to_bytes(32, "big")) + b"\x22" +
               cbor_bytes(p.y.to_bytes(32, "big")))
    att("att-cbor-other-alg", authdata(cose_ec))


def gen_handle():
    d = O([("type", "libattest-fido-credential"), ("version", 1),
           ("algorithm", "fido-eddsa"), ("rp_id", "attest:"),
           ("keyid", keyid(ED_SPKI)), ("public_key", b64(ED_SPKI)),
           ("credential_id", b64(seed("cred")))])

    def h(name, **over):
        e = O(d)
        for k, v in over.items():
            if k not in dict(e):
                e.append((k, v))
            for i, (kk, _) in enumerate(e):
                if kk == k:
                    e[i] = (k, v)
        put(name, J(e) + "\n")
        return e
    e = h("handle-dup-credential.fido")
    e.append(("credential_id", b64(b"other")))
    put("handle-dup-credential.fido", J(e) + "\n")
    h("handle-alg-es256-ed-key.fido", algorithm="fido-es256")
    h("handle-credential-no-padding.fido",
      credential_id=b64(seed("cred")[:31]).rstrip("="))
    h("handle-credential-empty.fido", credential_id="")
    h("handle-keyid-mismatch.fido", keyid=keyid(P256_SPKI))
    h("handle-uv-string.fido", user_verification="yes")
    h("handle-rpid-number.fido", rp_id=1)


def main():
    global OUT, CHAIN
    if len(sys.argv) != 3:
        sys.exit("usage: make.py OUT_DIR CHAIN_DIR")
    OUT, CHAIN = sys.argv[1], sys.argv[2]
    os.makedirs(OUT, exist_ok=True)
    gen_base()
    gen_dsse()
    r1024 = gen_pub()
    gen_fido_pub()
    gen_keyfile(r1024)
    gen_statement()
    gen_policy()
    gen_bundle()
    gen_draft()
    gen_draft_types()
    gen_fido_att()
    gen_handle()


if __name__ == "__main__":
    main()
