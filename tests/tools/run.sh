#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# End-to-end tests of attest-keygen, attest-sign and attest-verify.
#
#   sh tests/tools/run.sh BUILD_DIR		(make check-tools)
#
# Runs the built tools in a temporary folder and checks exit codes (0 ok,
# 1 verdict, 2 usage/input/environment), stdout, stderr and the files left
# behind, with forged and malformed inputs that must fail.  JSON and digest
# checks use Debian's /usr/bin/python3 (never a python3 from PATH).  Prints
# "N passed, M failed" last and exits non-zero when M > 0.

set -u
LIB=$(cd "$(dirname "$0")/.." && pwd)/lib.sh

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/tools/run.sh BUILD_DIR" >&2
	exit 2
fi
case $1 in
/*)	B=$1 ;;
*)	B=$(pwd)/$1 ;;
esac
KEYGEN=$B/attest-keygen
SIGN=$B/attest-sign
VERIFY=$B/attest-verify
PY=/usr/bin/python3
VERSION=0.1.0

for tool in "$KEYGEN" "$SIGN" "$VERIFY"; do
	if [ ! -x "$tool" ]; then
		echo "run.sh: $tool: not built (run make first)" >&2
		exit 2
	fi
done
for need in "$PY" openssl sha256sum sha512sum cmp; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "run.sh: $need: not found" >&2
		exit 2
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/attest-tools.XXXXXX") || exit 2
# chmod first: a case makes a directory read-only
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
cd "$T" || exit 2
umask 022

unset ATTEST_PW ATTEST_PW_UNSET 2>/dev/null

# --- helpers ----------------------------------------------------------------

. "$LIB"
sanitizer_exit_codes
no_terminal


# run_in FILE CMD...: the same with stdin from FILE.
run_in() {
	_in=$1
	shift
	$NOTTY "$@" <"$_in" >"$T/out" 2>"$T/err"
	RC=$?
	sanitized
}

sanitized() {
	if grep -E -q 'Sanitizer|runtime error:' "$T/err"; then
		bad "sanitizer report (exit $RC)"
		show
	fi
}

sha() {
	sha256sum <"$1" | cut -d ' ' -f 1
}

# expect_unchanged FILE SHA256
expect_unchanged() {
	if [ -f "$1" ] && [ "$(sha "$1")" = "$2" ]; then
		ok
	else
		bad "$1 was changed"
	fi
}

# expect_changed FILE SHA256
expect_changed() {
	if [ -f "$1" ] && [ "$(sha "$1")" != "$2" ]; then
		ok
	else
		bad "$1 was not replaced"
	fi
}

# expect_listing DIR WANT: "ls -A DIR" on one line is WANT (no leftovers).
expect_listing() {
	_got=$(ls -A "$1" | tr '\n' ' ')
	if [ "$_got" = "$2" ]; then
		ok
	else
		bad "$1 holds \"$_got\", expected \"$2\""
	fi
}

# mode FILE: "-rw-------" and so on.
mode() {
	ls -ln "$1" | cut -c 1-10
}

# Small Argon2id settings: the tests need speed, not strength.
KDF="--kdf-opslimit 1 --kdf-memlimit 8"

: >"$T/null"

# JSON and envelope surgery, Debian's python3 only.
cat >"$T/h.py" <<'EOF'
import base64, json, sys

def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read())

def dump(obj, path):
    with open(path, "w") as f:
        f.write(json.dumps(obj) + "\n")

def walk(obj, path):
    for part in path.split(".") if path else []:
        if part == "#":
            return len(obj)
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj

def main(cmd, a):
    if cmd == "get":            # FILE PATH: value (strings raw)
        v = walk(load(a[0]), a[1])
        print(v if isinstance(v, str) else json.dumps(v, sort_keys=True))
    elif cmd == "canon":        # FILE: canonical JSON text
        print(json.dumps(load(a[0]), sort_keys=True))
    elif cmd == "digest":       # STATEMENT NAME ALG: subject digest
        s = load(a[0])
        hit = [x for x in s["subject"] if x["name"] == a[1]]
        print(hit[0]["digest"][a[2]] if len(hit) == 1 else "no such subject")
    elif cmd == "tamper":       # IN OUT: one payload byte changed
        e = load(a[0])
        p = bytearray(base64.b64decode(e["payload"], validate=True))
        i = p.find(b'"sha256":"')
        # keep the Statement valid: change a digest's first hex digit
        i = i + 10 if i >= 0 else len(p) - 1
        p[i] = ord("0") if p[i] != ord("0") else ord("1")
        e["payload"] = base64.b64encode(bytes(p)).decode()
        dump(e, a[1])
    elif cmd == "set":          # IN OUT FIELD VALUE: top-level string
        e = load(a[0])
        e[a[2]] = a[3]
        dump(e, a[1])
    elif cmd == "set-sig":      # IN OUT INDEX FIELD VALUE
        e = load(a[0])
        e["signatures"][int(a[2])][a[3]] = a[4]
        dump(e, a[1])
    elif cmd == "drop-keyid":   # IN OUT
        e = load(a[0])
        for s in e["signatures"]:
            del s["keyid"]
        dump(e, a[1])
    elif cmd == "swap-sig":     # IN DONOR OUT: IN's keyid, DONOR's sig
        e, d = load(a[0]), load(a[1])
        e["signatures"][0]["sig"] = d["signatures"][0]["sig"]
        dump(e, a[2])
    elif cmd == "append-sig":   # IN DONOR OUT: add DONOR's signatures
        e, d = load(a[0]), load(a[1])
        e["signatures"] += d["signatures"]
        dump(e, a[2])
    elif cmd == "dup-payload":  # IN OUT: "payload" twice in one object
        e = load(a[0])
        parts = ['"payload":' + json.dumps(e["payload"])] * 2
        parts += ['"%s":%s' % (k, json.dumps(v)) for k, v in e.items()
                  if k != "payload"]
        with open(a[1], "w") as f:
            f.write("{" + ",".join(parts) + "}\n")
    elif cmd == "urlsafe":      # IN OUT: base64url without changes
        e = load(a[0])
        e["payload"] = e["payload"].replace("+", "-").replace("/", "_")
        for s in e["signatures"]:
            s["sig"] = s["sig"].replace("+", "-").replace("/", "_")
        dump(e, a[1])
    elif cmd == "nsigs":        # FILE
        print(len(load(a[0])["signatures"]))
    else:
        sys.exit("h.py: unknown command " + cmd)

main(sys.argv[1], sys.argv[2:])
EOF

h() {
	"$PY" "$T/h.py" "$@"
}

# --- common options of all three tools --------------------------------------

for tool in keygen sign verify; do
	bin=$B/attest-$tool

	t "$tool --help"
	run "$bin" --help
	expect_rc 0
	expect_out "usage: attest-$tool"
	expect_no_err

	t "$tool -h"
	run "$bin" -h
	expect_rc 0
	expect_out "usage: attest-$tool"

	t "$tool --version"
	run "$bin" --version
	expect_rc 0
	expect_eq "version line" "$(cat "$T/out")" \
	    "attest-$tool (libattest $VERSION)"
	expect_no_err

	t "$tool unknown option"
	run "$bin" --no-such-option
	expect_rc 2
	expect_err "usage: attest-$tool"
	expect_no_out

	t "$tool unknown short option"
	run "$bin" -Z
	expect_rc 2
	expect_err "usage: attest-$tool"
done

# --- attest-keygen ------------------------------------------------------------

printf 'correct horse battery staple\n' >pw
printf 'wrong passphrase\n' >badpw
: >emptypw
ATTEST_PW='correct horse battery staple'
export ATTEST_PW

# keygen_ok NAME TYPE PASSOPT...: a new key NAME.key / NAME.pub
keygen_ok() {
	_name=$1
	_type=$2
	shift 2
	t "keygen $_type ($_name)"
	run "$KEYGEN" -t "$_type" -o "$_name" $KDF "$@"
	expect_rc 0
	expect_file "$_name.key"
	expect_file "$_name.pub"
	expect_eq "$_name.key mode" "$(mode "$_name.key")" "-rw-------"
	if openssl pkey -pubin -in "$_name.pub" -noout 2>/dev/null; then
		ok
	else
		bad "openssl cannot read $_name.pub"
	fi
	expect_eq "printed key id" "$(cat "$T/out")" "$(keyid_of "$_name.pub")"
	cp "$T/out" "$_name.id"
}

keygen_ok ed ed25519 --passphrase-file pw
keygen_ok p256 ecdsa-p256 --passphrase-env ATTEST_PW
keygen_ok p384 ecdsa-p384 --passphrase-file pw
keygen_ok rsa rsa-pss-3072 --passphrase-env ATTEST_PW
# second keys of the same algorithms: forgeries and thresholds
keygen_ok ed2 ed25519 --passphrase-file pw
keygen_ok p256b ecdsa-p256 --passphrase-file pw

t "keygen key types (openssl -text)"
for kt in "ed ED25519" "p256 P-256" "p384 P-384" "rsa 3072 bit"; do
	set -- $kt
	_pub=$1
	shift
	if openssl pkey -pubin -in "$_pub.pub" -noout -text 2>&1 |
	    grep -q -i -- "$*"; then
		ok
	else
		bad "$_pub.pub: openssl -text lacks \"$*\""
	fi
done

t "keygen encrypted key file"
expect_eq "ed.key encryption" "$(h get ed.key encryption.kdf)" "argon2id13"
expect_eq "ed.key opslimit" "$(h get ed.key encryption.opslimit)" "1"

t "keygen --no-passphrase, default type, umask 000"
umask 000
run "$KEYGEN" -o plain --no-passphrase
umask 022
expect_rc 0
expect_err "not encrypted"
expect_eq "plain.key mode" "$(mode plain.key)" "-rw-------"
expect_eq "plain.key encryption" "$(h get plain.key encryption)" "none"
expect_eq "plain.key algorithm" "$(h get plain.key algorithm)" "ed25519"
expect_eq "printed key id" "$(cat "$T/out")" "$(keyid_of plain.pub)"
cp "$T/out" plain.id

t "keygen refuses existing outputs"
ks=$(sha ed.key)
ps=$(sha ed.pub)
run "$KEYGEN" -t ed25519 -o ed $KDF --passphrase-file pw
expect_rc 2
expect_err "ed.key: exists"
expect_unchanged ed.key "$ks"
expect_unchanged ed.pub "$ps"

t "keygen refuses an existing .pub alone"
printf 'not a key\n' >lonely.pub
ps=$(sha lonely.pub)
run "$KEYGEN" -o lonely --no-passphrase
expect_rc 2
expect_err "lonely.pub: exists"
expect_no_file lonely.key
expect_unchanged lonely.pub "$ps"

t "keygen -f replaces"
cp ed.key old.key
cp ed.pub old.pub
run "$KEYGEN" -f -t ed25519 -o old $KDF --passphrase-file pw
expect_rc 0
expect_changed old.key "$ks"
expect_changed old.pub "$ps"
expect_eq "new key id" "$(cat "$T/out")" "$(keyid_of old.pub)"
expect_eq "old.key mode" "$(mode old.key)" "-rw-------"

t "keygen --force replaces"
run "$KEYGEN" --force -o old --no-passphrase
expect_rc 0
expect_eq "new key id" "$(cat "$T/out")" "$(keyid_of old.pub)"

t "keygen --no-passphrase with --passphrase-file"
run "$KEYGEN" -o x1 --no-passphrase --passphrase-file pw
expect_rc 2
expect_err "choose one of"
expect_no_file x1.key
expect_no_file x1.pub

t "keygen --passphrase-file with --passphrase-env"
run "$KEYGEN" -o x1 --passphrase-file pw --passphrase-env ATTEST_PW
expect_rc 2
expect_err "choose one of"
expect_no_file x1.key

t "keygen unknown -t"
run "$KEYGEN" -t dsa -o x1 --no-passphrase
expect_rc 2
expect_err "-t:"
expect_err "usage: attest-keygen"
expect_no_file x1.key
expect_no_file x1.pub

t "keygen rsa 1024 is not a type"
run "$KEYGEN" -t rsa-pss-1024 -o x1 --no-passphrase
expect_rc 2
expect_no_file x1.key

t "keygen without -o"
run "$KEYGEN" -t ed25519 --no-passphrase
expect_rc 2
expect_err "-o PREFIX is required"

t "keygen empty -o"
run "$KEYGEN" -o "" --no-passphrase
expect_rc 2
expect_no_file .key

t "keygen stray argument"
run "$KEYGEN" -o x1 --no-passphrase extra
expect_rc 2
expect_no_file x1.key

t "keygen --kdf-opslimit 0"
run "$KEYGEN" -o x1 --passphrase-file pw --kdf-opslimit 0
expect_rc 2
expect_err "--kdf-opslimit"
expect_no_file x1.key

t "keygen --kdf-memlimit junk"
run "$KEYGEN" -o x1 --passphrase-file pw --kdf-memlimit 8x
expect_rc 2
expect_err "--kdf-memlimit"

t "keygen empty passphrase file"
run "$KEYGEN" -o x1 $KDF --passphrase-file emptypw
expect_rc 2
expect_err "empty passphrase"
expect_no_file x1.key
expect_no_file x1.pub

t "keygen missing passphrase file"
run "$KEYGEN" -o x1 $KDF --passphrase-file nonexistent
expect_rc 2
expect_err "nonexistent"
expect_no_file x1.key

t "keygen unset passphrase variable"
run "$KEYGEN" -o x1 $KDF --passphrase-env ATTEST_PW_UNSET
expect_rc 2
expect_err "ATTEST_PW_UNSET"
expect_no_file x1.key
expect_no_file x1.pub

if [ -n "$NOTTY" ]; then
	t "keygen without a terminal or passphrase option"
	run "$KEYGEN" -o x1 $KDF
	expect_rc 2
	expect_err "no terminal"
	expect_no_file x1.key
	expect_no_file x1.pub
fi

t "keygen --import-passphrase-file without --import"
run "$KEYGEN" -o x1 --no-passphrase --import-passphrase-file pw
expect_rc 2
expect_err "needs --import"
expect_no_file x1.key

# --- attest-keygen --import -----------------------------------------------

printf 'openssl import pass\n' >ipw
ATTEST_IPW='openssl import pass'
export ATTEST_IPW
gen() {
	openssl genpkey "$@" 2>/dev/null || bad "openssl genpkey $*"
}
gen -algorithm ed25519 -out o-ed.pem
gen -algorithm ed25519 -aes-256-cbc -pass file:ipw -out o-ed-enc.pem
gen -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out o-p256.pem
gen -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc \
    -pass file:ipw -out o-p256-enc.pem
gen -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out o-rsa.pem
gen -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -aes-256-cbc \
    -pass file:ipw -out o-rsa-enc.pem
gen -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out o-rsa1024.pem
gen -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out o-k1.pem

# import_ok PEM PREFIX ALG [IMPORT-PASS-OPTS...]
import_ok() {
	_pem=$1
	_pfx=$2
	_alg=$3
	shift 3
	t "import $_pem"
	if [ $# -gt 0 ]; then
		_passin="-passin file:ipw"
	else
		_passin=
	fi
	# OpenSSL's own view of the public key
	openssl pkey -in "$_pem" $_passin -pubout -out "$_pfx.ossl.pub" \
	    2>/dev/null || bad "openssl pkey -pubout $_pem"
	run "$KEYGEN" --import "$_pem" -o "$_pfx" "$@" $KDF \
	    --passphrase-file pw
	expect_rc 0
	expect_eq "$_pfx.key mode" "$(mode "$_pfx.key")" "-rw-------"
	expect_eq "key id" "$(cat "$T/out")" "$(keyid_of "$_pfx.ossl.pub")"
	expect_eq "$_pfx.pub (DER)" "$(keyid_of "$_pfx.pub")" \
	    "$(keyid_of "$_pfx.ossl.pub")"
	expect_eq "$_pfx.key algorithm" "$(h get "$_pfx.key" algorithm)" \
	    "$_alg"
	# the imported key signs; OpenSSL's public key file verifies
	printf 'imported %s\n' "$_pfx" >"$_pfx.art"
	run "$SIGN" -k "$_pfx.key" --passphrase-file pw -o "$_pfx.dsse" \
	    "$_pfx.art"
	expect_rc 0
	run "$VERIFY" -K "$_pfx.ossl.pub" "$_pfx.dsse" "$_pfx.art"
	expect_rc 0
}

import_ok o-ed.pem i-ed ed25519
import_ok o-ed-enc.pem i-ed-enc ed25519 --import-passphrase-file ipw
import_ok o-p256.pem i-p256 ecdsa-p256-sha256
import_ok o-p256-enc.pem i-p256-enc ecdsa-p256-sha256 \
    --import-passphrase-env ATTEST_IPW
import_ok o-rsa.pem i-rsa rsa-pss-sha256
import_ok o-rsa-enc.pem i-rsa-enc rsa-pss-sha256 --import-passphrase-file ipw

t "import with --import-passphrase-env"
run "$KEYGEN" --import o-p256-enc.pem --import-passphrase-env ATTEST_IPW \
    -o i-env --no-passphrase
expect_rc 0
expect_eq "key id" "$(cat "$T/out")" "$(keyid_of i-p256-enc.ossl.pub)"

t "import wrong passphrase"
for pem in o-ed-enc.pem o-p256-enc.pem o-rsa-enc.pem; do
	run "$KEYGEN" --import "$pem" --import-passphrase-file badpw -o x2 \
	    $KDF --passphrase-file pw
	expect_rc 2
	expect_err "$pem: wrong passphrase"
	expect_no_file x2.key
	expect_no_file x2.pub
done

if [ -n "$NOTTY" ]; then
	t "import encrypted, no passphrase, no terminal"
	run "$KEYGEN" --import o-ed-enc.pem -o x2 --no-passphrase
	expect_rc 2
	expect_err "o-ed-enc.pem"
	expect_no_file x2.key
	expect_no_file x2.pub
fi

t "import RSA 1024"
run "$KEYGEN" --import o-rsa1024.pem -o x2 --no-passphrase
expect_rc 2
expect_err "o-rsa1024.pem: RSA key of 1024 bits"
expect_no_file x2.key
expect_no_file x2.pub

t "import secp256k1"
run "$KEYGEN" --import o-k1.pem -o x2 --no-passphrase
expect_rc 2
expect_err "not supported"
expect_no_file x2.key
expect_no_file x2.pub

t "import a public key"
run "$KEYGEN" --import ed.pub -o x2 --no-passphrase
expect_rc 2
expect_err "ed.pub"
expect_no_file x2.key

t "import a missing file"
run "$KEYGEN" --import nonexistent.pem -o x2 --no-passphrase
expect_rc 2
expect_err "nonexistent.pem"
expect_no_file x2.key

t "import with -t"
run "$KEYGEN" --import o-ed.pem -t ed25519 -o x2 --no-passphrase
expect_rc 2
expect_err "drop -t"
expect_no_file x2.key

t "import refuses existing outputs"
ks=$(sha i-ed.key)
run "$KEYGEN" --import o-ed.pem -o i-ed --no-passphrase
expect_rc 2
expect_err "exists"
expect_unchanged i-ed.key "$ks"

# --- attest-sign / attest-verify round trips ---------------------------------

printf 'release artifact one\n' >a.txt
printf 'second\001\002\003 artifact\n' >b.bin
head -c 100000 /dev/urandom >c.dat 2>/dev/null ||
    dd if=/dev/urandom of=c.dat bs=1000 count=100 2>/dev/null
mkdir sub
printf 'in a folder\n' >"sub/name with space.txt"

# roundtrip KEY ALGNAME PASSOPT...
roundtrip() {
	_k=$1
	_alg=$2
	shift 2
	t "sign+verify $_k"
	run "$SIGN" -k "$_k.key" "$@" -o "$_k.dsse" a.txt b.bin c.dat
	expect_rc 0
	expect_no_out
	expect_file "$_k.dsse"
	expect_eq "payloadType" "$(h get "$_k.dsse" payloadType)" \
	    "application/vnd.in-toto+json"
	expect_eq "signatures[0].keyid" \
	    "$(h get "$_k.dsse" signatures.0.keyid)" "$(cat "$_k.id")"
	run "$VERIFY" -K "$_k.pub" "$_k.dsse" a.txt b.bin c.dat
	expect_rc 0
	expect_out "a.txt: OK (subject a.txt)"
	expect_out "c.dat: OK (subject c.dat)"
	expect_out "verified by 1 of 1 required key"
	run "$VERIFY" --json -K "$_k.pub" "$_k.dsse" a.txt
	expect_rc 0
	expect_eq "--json algorithm" "$(h get "$T/out" keys.0.algorithm)" \
	    "$_alg"
	expect_eq "--json keyid" "$(h get "$T/out" keys.0.keyid)" \
	    "$(cat "$_k.id")"
	# without artifacts only the signature is checked
	run "$VERIFY" -K "$_k.pub" "$_k.dsse"
	expect_rc 0
	t "verify $_k, one byte of an artifact changed"
	cp b.bin b2.bin
	printf '\003' | dd of=b2.bin bs=1 seek=3 conv=notrunc 2>/dev/null
	cp b2.bin "$T/tamp/b.bin"
	run "$VERIFY" -K "$_k.pub" "$_k.dsse" "$T/tamp/b.bin"
	expect_rc 1
	expect_err "b.bin"
}
mkdir tamp

roundtrip ed ed25519 --passphrase-file pw
roundtrip p256 ecdsa-p256-sha256 --passphrase-env ATTEST_PW
roundtrip p384 ecdsa-p384-sha384 --passphrase-file pw
roundtrip rsa rsa-pss-sha256 --passphrase-env ATTEST_PW
roundtrip plain ed25519

t "subjects and default predicate"
run "$VERIFY" --print-payload -K ed.pub ed.dsse
expect_rc 0
cp "$T/out" ed.stmt
expect_eq "_type" "$(h get ed.stmt _type)" "https://in-toto.io/Statement/v1"
expect_eq "subject count" "$(h get ed.stmt 'subject.#')" "3"
expect_eq "sha256 of a.txt" "$(h digest ed.stmt a.txt sha256)" \
    "$(sha256sum <a.txt | cut -d ' ' -f 1)"
expect_eq "sha256 of c.dat" "$(h digest ed.stmt c.dat sha256)" \
    "$(sha256sum <c.dat | cut -d ' ' -f 1)"
expect_eq "predicateType" "$(h get ed.stmt predicateType)" \
    "https://in-toto.io/attestation/release/v0.1"
expect_eq "predicate" "$(h get ed.stmt predicate)" "{}"

t "subject name is the base name"
run "$SIGN" -k plain.key -o sub.dsse "sub/name with space.txt"
expect_rc 0
run "$VERIFY" --print-payload -K plain.pub sub.dsse
cp "$T/out" sub.stmt
expect_eq "subject name" "$(h get sub.stmt subject.0.name)" \
    "name with space.txt"
run "$VERIFY" -K plain.pub sub.dsse "sub/name with space.txt"
expect_rc 0

t "verify an artifact that is not a subject"
run "$VERIFY" -K ed.pub ed.dsse "sub/name with space.txt"
expect_rc 1

t "verify reports every artifact"
run "$VERIFY" --json -K ed.pub ed.dsse a.txt "$T/tamp/b.bin" c.dat
expect_rc 1
expect_eq "verified" "$(h get "$T/out" verified)" "false"
expect_eq "subjects count" "$(h get "$T/out" 'subjects.#')" "3"
expect_eq "a.txt matched" "$(h get "$T/out" subjects.0.matched)" "true"
expect_eq "b.bin matched" "$(h get "$T/out" subjects.1.matched)" "false"
expect_eq "b.bin artifact" "$(h get "$T/out" subjects.1.artifact)" \
    "$T/tamp/b.bin"
expect_eq "c.dat matched" "$(h get "$T/out" subjects.2.matched)" "true"

t "verify a missing artifact"
run "$VERIFY" -K ed.pub ed.dsse nonexistent.bin
expect_rc 2
expect_err "nonexistent.bin"

t "two keys, --threshold 2"
run "$SIGN" -k ed.key -k p256.key --passphrase-file pw -o two.dsse a.txt
expect_rc 0
expect_eq "signature count" "$(h nsigs two.dsse)" "2"
run "$VERIFY" -K ed.pub -K p256.pub --threshold 2 two.dsse a.txt
expect_rc 0
expect_out "verified by 2 of 2 required keys"
run "$VERIFY" --json -K p256.pub -K ed.pub --threshold 2 two.dsse
expect_rc 0
expect_eq "keys" "$(h get "$T/out" 'keys.#')" "2"
expect_eq "threshold" "$(h get "$T/out" threshold)" "2"

t "two keys sharing one --passphrase-env"
# the variable is read once and cleared from the environment
# (tools/common.c): the one capture must serve both keys
run "$SIGN" -k ed.key -k p256.key --passphrase-env ATTEST_PW -o two-env.dsse \
    a.txt
expect_rc 0
expect_eq "signature count" "$(h nsigs two-env.dsse)" "2"
run "$VERIFY" -K ed.pub -K p256.pub --threshold 2 two-env.dsse a.txt
expect_rc 0

t "--threshold 2, one of two keys signed"
run "$VERIFY" -K ed.pub -K p256.pub --threshold 2 ed.dsse a.txt
expect_rc 1
expect_err "1 trusted key verified, 2 required"
run "$VERIFY" --json -K ed.pub -K p256.pub --threshold 2 ed.dsse
expect_rc 1
expect_eq "verified" "$(h get "$T/out" verified)" "false"
expect_eq "keys" "$(h get "$T/out" 'keys.#')" "1"

t "--threshold 2, one key's signature twice"
h append-sig ed.dsse ed.dsse edtwice.dsse
run "$VERIFY" -K ed.pub -K ed2.pub --threshold 2 edtwice.dsse
expect_rc 1

t "--threshold 1 of two keys"
run "$VERIFY" -K ed2.pub -K ed.pub ed.dsse
expect_rc 0

t "--threshold larger than the -K count"
run "$VERIFY" -K ed.pub -K p256.pub --threshold 3 two.dsse
expect_rc 2
expect_err "--threshold"

t "--threshold 0 and junk"
run "$VERIFY" -K ed.pub --threshold 0 ed.dsse
expect_rc 2
run "$VERIFY" -K ed.pub --threshold 1x ed.dsse
expect_rc 2
run "$VERIFY" -K ed.pub --threshold -1 ed.dsse
expect_rc 2

t "--digest sha256,sha512"
run "$SIGN" -k plain.key --digest sha256,sha512 -o d.dsse a.txt c.dat
expect_rc 0
run "$VERIFY" --print-payload -K plain.pub d.dsse
expect_rc 0
cp "$T/out" d.stmt
for f in a.txt c.dat; do
	expect_eq "sha256 of $f" "$(h digest d.stmt $f sha256)" \
	    "$(sha256sum <$f | cut -d ' ' -f 1)"
	expect_eq "sha512 of $f" "$(h digest d.stmt $f sha512)" \
	    "$(sha512sum <$f | cut -d ' ' -f 1)"
done
run "$VERIFY" -K plain.pub d.dsse a.txt c.dat
expect_rc 0
run "$VERIFY" -K plain.pub d.dsse "$T/tamp/b.bin"
expect_rc 1

t "--digest sha384 alone"
run "$SIGN" -k plain.key --digest sha384 -o d384.dsse a.txt
expect_rc 0
run "$VERIFY" --print-payload -K plain.pub d384.dsse
cp "$T/out" d384.stmt
expect_eq "sha384 of a.txt" "$(h digest d384.stmt a.txt sha384)" \
    "$(openssl dgst -sha384 -r a.txt | cut -d ' ' -f 1)"
expect_eq "digest algorithms" "$(h get d384.stmt subject.0.digest)" \
    "{\"sha384\": \"$(openssl dgst -sha384 -r a.txt | cut -d ' ' -f 1)\"}"
run "$VERIFY" -K plain.pub d384.dsse a.txt
expect_rc 0

t "--digest md5"
run "$SIGN" -k plain.key --digest md5 -o x3.dsse a.txt
expect_rc 2
expect_err "--digest"
expect_no_file x3.dsse

t "--predicate-type and --predicate"
cat >pred.json <<'EOF'
{"product": {"name": "widget", "version": "1.2.3"},
 "supportPeriodEnd": "2031-12-31", "checks": [1, 2.5, true, null, "x"]}
EOF
run "$SIGN" -k plain.key --predicate-type https://example.com/cra/doc/v1 \
    --predicate pred.json -o pred.dsse a.txt
expect_rc 0
run "$VERIFY" --print-payload -K plain.pub pred.dsse a.txt
expect_rc 0
cp "$T/out" pred.stmt
expect_eq "predicateType" "$(h get pred.stmt predicateType)" \
    "https://example.com/cra/doc/v1"
expect_eq "predicate" "$(h get pred.stmt predicate)" "$(h canon pred.json)"
run "$VERIFY" --json -K plain.pub pred.dsse a.txt
expect_rc 0
expect_eq "--json predicateType" "$(h get "$T/out" predicateType)" \
    "https://example.com/cra/doc/v1"

t "--print-payload with artifacts prints only the payload"
run "$VERIFY" --print-payload -K plain.pub pred.dsse
cp "$T/out" pred.stmt.noart
run "$VERIFY" --print-payload -K plain.pub pred.dsse a.txt
expect_rc 0
if cmp -s "$T/out" pred.stmt.noart; then
	ok
else
	bad "stdout is not the payload alone"
	show
fi

t "--predicate-type alone"
run "$SIGN" -k plain.key --predicate-type https://example.com/p/v1 \
    -o ptype.dsse a.txt
expect_rc 0
run "$VERIFY" --print-payload -K plain.pub ptype.dsse
expect_eq "predicateType" "$(h get "$T/out" predicateType)" \
    "https://example.com/p/v1"
expect_eq "predicate" "$(h get "$T/out" predicate)" "{}"

t "--predicate without --predicate-type"
run "$SIGN" -k plain.key --predicate pred.json -o x4.dsse a.txt
expect_rc 2
expect_err "--predicate needs --predicate-type"
expect_no_file x4.dsse

t "--predicate with invalid JSON"
printf '{"product": {"name": "widget",\n' >badpred.json
run "$SIGN" -k plain.key --predicate-type https://example.com/p/v1 \
    --predicate badpred.json -o x4.dsse a.txt
expect_rc 2
expect_err "badpred.json"
expect_no_file x4.dsse

t "--predicate that is not an object"
printf '[1, 2, 3]\n' >arrpred.json
run "$SIGN" -k plain.key --predicate-type https://example.com/p/v1 \
    --predicate arrpred.json -o x4.dsse a.txt
expect_rc 2
expect_err "arrpred.json"
expect_no_file x4.dsse

t "--predicate missing"
run "$SIGN" -k plain.key --predicate-type https://example.com/p/v1 \
    --predicate nonexistent.json -o x4.dsse a.txt
expect_rc 2
expect_err "nonexistent.json"
expect_no_file x4.dsse

t "sign to stdout, verify from stdin"
run "$SIGN" -k plain.key -o - a.txt
expect_rc 0
cp "$T/out" stdout.dsse
run_in stdout.dsse "$VERIFY" -K plain.pub - a.txt
expect_rc 0
expect_out "a.txt: OK"

t "verify base64url envelope"
h urlsafe ed.dsse url.dsse
run "$VERIFY" -K ed.pub url.dsse a.txt
expect_rc 0

t "verify without keyid"
h drop-keyid two.dsse nokeyid.dsse
run "$VERIFY" -K ed.pub -K p256.pub --threshold 2 nokeyid.dsse a.txt
expect_rc 0

t "verify with an unknown keyid"
h set-sig ed.dsse otherid.dsse 0 keyid "some-other-scheme:1234"
run "$VERIFY" -K ed.pub otherid.dsse a.txt
expect_rc 0

# --- verify negatives -----------------------------------------------------

t "payload altered"
for k in ed p256 p384 rsa; do
	h tamper "$k.dsse" "$k.tampered.dsse"
	run "$VERIFY" -K "$k.pub" "$k.tampered.dsse"
	expect_rc 1
	expect_err "signature check failed"
	expect_no_out
done

t "payload altered, --json"
run "$VERIFY" --json -K ed.pub ed.tampered.dsse a.txt
expect_rc 1
expect_eq "verified" "$(h get "$T/out" verified)" "false"
expect_eq "keys" "$(h get "$T/out" 'keys.#')" "0"

t "payload altered, --print-payload prints nothing"
run "$VERIFY" --print-payload -K ed.pub ed.tampered.dsse
expect_rc 1
expect_no_out

t "payloadType altered"
for k in ed p256; do
	h set "$k.dsse" "$k.ptype.dsse" payloadType "application/vnd.in-toto+jsoN"
	run "$VERIFY" -K "$k.pub" "$k.ptype.dsse" a.txt
	expect_rc 1
	expect_err "signature check failed"
done

t "untrusted key only"
run "$VERIFY" -K ed2.pub ed.dsse a.txt
expect_rc 1
expect_err "signature check failed"
run "$VERIFY" -K p256.pub ed.dsse a.txt
expect_rc 1

t "untrusted key only, --json"
run "$VERIFY" --json -K ed2.pub ed.dsse a.txt
expect_rc 1
expect_eq "verified" "$(h get "$T/out" verified)" "false"
expect_eq "keys" "$(h get "$T/out" keys)" "[]"
expect_eq "envelope" "$(h get "$T/out" envelope)" "ed.dsse"

t "forged signature (Ed25519, other key)"
# the same Statement signed by ed2: a valid signature, but not by ed
run "$SIGN" -k ed2.key --passphrase-file pw -o ed2.dsse a.txt b.bin c.dat
expect_rc 0
expect_eq "same payload" "$(h get ed2.dsse payload)" "$(h get ed.dsse payload)"
run "$VERIFY" -K ed2.pub ed2.dsse
expect_rc 0
h swap-sig ed.dsse ed2.dsse forged-ed.dsse
run "$VERIFY" -K ed.pub forged-ed.dsse a.txt
expect_rc 1
expect_err "signature check failed"

t "forged signature (ECDSA P-256, other key)"
run "$SIGN" -k p256b.key --passphrase-file pw -o p256b.dsse a.txt b.bin c.dat
expect_rc 0
h swap-sig p256.dsse p256b.dsse forged-p256.dsse
run "$VERIFY" -K p256.pub forged-p256.dsse a.txt
expect_rc 1
run "$VERIFY" --json -K p256.pub forged-p256.dsse a.txt
expect_rc 1
expect_eq "verified" "$(h get "$T/out" verified)" "false"

t "forged signature (Ed25519 signature of another payload)"
h swap-sig pred.dsse ed.dsse forged2.dsse
run "$VERIFY" -K plain.pub -K ed.pub forged2.dsse a.txt
expect_rc 1

t "same key twice with -K"
run "$VERIFY" -K ed.pub -K ed.pub ed.dsse
expect_rc 2
expect_err "the same key"
cp ed.pub ed-copy.pub
run "$VERIFY" -K ed.pub -K ed-copy.pub ed.dsse
expect_rc 2
expect_err "ed-copy.pub: the same key"

t "verify without -K"
run "$VERIFY" ed.dsse
expect_rc 2
expect_err "-K"

t "verify without an envelope"
run "$VERIFY" -K ed.pub
expect_rc 2
expect_err "ENVELOPE"

t "verify with a missing public key"
run "$VERIFY" -K nonexistent.pub ed.dsse
expect_rc 2
expect_err "nonexistent.pub"

t "verify with a private key as -K"
run "$VERIFY" -K plain.key ed.dsse
expect_rc 2
expect_err "plain.key"

t "missing envelope file"
run "$VERIFY" -K ed.pub nonexistent.dsse a.txt
expect_rc 2
expect_err "nonexistent.dsse"
expect_no_out

t "missing envelope file, --json"
run "$VERIFY" --json -K ed.pub nonexistent.dsse
expect_rc 2
expect_no_out

t "malformed envelope: truncated JSON"
head -c 120 ed.dsse >trunc.dsse
run "$VERIFY" -K ed.pub trunc.dsse a.txt
expect_rc 2
expect_err "trunc.dsse"
expect_err "invalid JSON"

t "malformed envelope: empty file"
: >empty.dsse
run "$VERIFY" -K ed.pub empty.dsse
expect_rc 2
expect_err "empty.dsse"

t "malformed envelope: duplicate payload key"
h dup-payload ed.dsse dup.dsse
run "$VERIFY" -K ed.pub dup.dsse a.txt
expect_rc 2
expect_err "duplicate"
expect_err "payload"

t "malformed envelope: sig not base64"
h set-sig ed.dsse badsig.dsse 0 sig "not base64!"
run "$VERIFY" -K ed.pub badsig.dsse a.txt
expect_rc 2
expect_err "signatures[0].sig"

t "malformed envelope: second sig not base64"
h set-sig two.dsse badsig2.dsse 1 sig "AAA"
run "$VERIFY" -K ed.pub -K p256.pub badsig2.dsse
expect_rc 2
expect_err "signatures[1].sig"

t "malformed envelope: empty sig"
h set-sig ed.dsse emptysig.dsse 0 sig ""
run "$VERIFY" -K ed.pub emptysig.dsse
expect_rc 2
expect_err "signatures[0].sig"

t "malformed envelope: payload not base64"
h set ed.dsse badpay.dsse payload "eyJ*"
run "$VERIFY" -K ed.pub badpay.dsse
expect_rc 2
expect_err "payload"

t "malformed envelope: no signatures field"
printf '{"payload":"e30=","payloadType":"application/x-test"}\n' >nosigs.dsse
run "$VERIFY" -K ed.pub nosigs.dsse
expect_rc 2
expect_err "signatures"

t "malformed envelope: payloadType not a string"
printf '{"payload":"e30=","payloadType":7,"signatures":[]}\n' >numtype.dsse
run "$VERIFY" -K ed.pub numtype.dsse
expect_rc 2
expect_err "payloadType"

t "envelope without signatures"
printf '{"payload":"e30=","payloadType":"application/x-test","signatures":[]}\n' \
    >zerosigs.dsse
run "$VERIFY" -K ed.pub zerosigs.dsse
expect_rc 1
expect_err "no signatures"

t "--json object"
run "$VERIFY" --json -K p256.pub p256.dsse a.txt c.dat
expect_rc 0
expect_no_err
expect_eq "verified" "$(h get "$T/out" verified)" "true"
expect_eq "envelope" "$(h get "$T/out" envelope)" "p256.dsse"
expect_eq "keys[0].keyid" "$(h get "$T/out" keys.0.keyid)" "$(cat p256.id)"
expect_eq "keys[0].algorithm" "$(h get "$T/out" keys.0.algorithm)" \
    "ecdsa-p256-sha256"
expect_eq "subjects" "$(h get "$T/out" 'subjects.#')" "2"
expect_eq "subjects[0].artifact" "$(h get "$T/out" subjects.0.artifact)" \
    "a.txt"
expect_eq "subjects[0].matched" "$(h get "$T/out" subjects.0.matched)" "true"
expect_eq "subjects[1].artifact" "$(h get "$T/out" subjects.1.artifact)" \
    "c.dat"
expect_eq "subjects[1].matched" "$(h get "$T/out" subjects.1.matched)" "true"
expect_eq "predicateType" "$(h get "$T/out" predicateType)" \
    "https://in-toto.io/attestation/release/v0.1"

t "--json with a changed artifact"
run "$VERIFY" --json -K p256.pub p256.dsse "$T/tamp/b.bin"
expect_rc 1
expect_eq "verified" "$(h get "$T/out" verified)" "false"
expect_eq "keys[0].keyid" "$(h get "$T/out" keys.0.keyid)" "$(cat p256.id)"
expect_eq "subjects[0].matched" "$(h get "$T/out" subjects.0.matched)" \
    "false"

t "--json and --print-payload"
run "$VERIFY" --json --print-payload -K ed.pub ed.dsse
expect_rc 2
expect_err "--json and --print-payload"
expect_no_out

# --- sign negatives -----------------------------------------------------------

t "sign wrong passphrase"
run "$SIGN" -k ed.key --passphrase-file badpw -o x5.dsse a.txt
expect_rc 2
expect_err "ed.key"
expect_err "wrong passphrase"
expect_no_file x5.dsse

t "sign wrong passphrase (variable)"
ATTEST_PW_WRONG='not the passphrase'
export ATTEST_PW_WRONG
run "$SIGN" -k p256.key --passphrase-env ATTEST_PW_WRONG -o x5.dsse a.txt
expect_rc 2
expect_err "wrong passphrase"
expect_no_file x5.dsse

t "sign encrypted key, unset variable"
run "$SIGN" -k p256.key --passphrase-env ATTEST_PW_UNSET -o x5.dsse a.txt
expect_rc 2
expect_err "ATTEST_PW_UNSET"
expect_no_file x5.dsse

t "sign, a variable longer than any passphrase"
ATTEST_PW_LONG=$(awk 'BEGIN { while (n++ < 1100) printf "x" }')
export ATTEST_PW_LONG
run "$SIGN" -k p256.key --passphrase-env ATTEST_PW_LONG -o x5.dsse a.txt
expect_rc 2
expect_err "the secret in ATTEST_PW_LONG is too long"
expect_no_file x5.dsse
unset ATTEST_PW_LONG

if [ -n "$NOTTY" ]; then
	t "sign encrypted key, no terminal"
	run "$SIGN" -k ed.key -o x5.dsse a.txt
	expect_rc 2
	expect_err "no terminal"
	expect_no_file x5.dsse
fi

t "sign --passphrase-file with --passphrase-env"
run "$SIGN" -k ed.key --passphrase-file pw --passphrase-env ATTEST_PW \
    -o x5.dsse a.txt
expect_rc 2
expect_no_file x5.dsse

t "sign key file altered"
sed 's/"keyid": "\(.\)/"keyid": "0\1/' ed.key >altered.key
cmp -s ed.key altered.key && bad "altered.key equals ed.key"
run "$SIGN" -k altered.key --passphrase-file pw -o x5.dsse a.txt
expect_rc 2
expect_no_file x5.dsse

t "sign with a public key"
run "$SIGN" -k ed.pub -o x5.dsse a.txt
expect_rc 2
expect_err "ed.pub"
expect_no_file x5.dsse

t "sign with a missing key"
run "$SIGN" -k nonexistent.key -o x5.dsse a.txt
expect_rc 2
expect_err "nonexistent.key"
expect_no_file x5.dsse

t "sign output exists"
cp plain.dsse exists.dsse
s=$(sha exists.dsse)
run "$SIGN" -k plain.key -o exists.dsse b.bin
expect_rc 2
expect_err "exists.dsse: exists"
expect_unchanged exists.dsse "$s"

t "sign -f replaces"
run "$SIGN" -k plain.key -f -o exists.dsse b.bin
expect_rc 0
expect_changed exists.dsse "$s"
run "$VERIFY" -K plain.pub exists.dsse b.bin
expect_rc 0
run "$VERIFY" -K plain.pub exists.dsse a.txt
expect_rc 1

t "sign output is a dangling symlink"
ln -s nowhere-target link.dsse
run "$SIGN" -k plain.key -o link.dsse a.txt
expect_rc 2
expect_no_file nowhere-target

t "sign missing artifact"
run "$SIGN" -k plain.key -o x6.dsse a.txt nonexistent.bin
expect_rc 2
expect_err "nonexistent.bin"
expect_no_file x6.dsse

t "sign an artifact that is a directory"
run "$SIGN" -k plain.key -o x6.dsse sub
expect_rc 2
expect_err "sub"
expect_no_file x6.dsse

t "sign without artifacts"
run "$SIGN" -k plain.key -o x6.dsse
expect_rc 2
expect_err "ARTIFACT"
expect_no_file x6.dsse

t "sign without -k"
run "$SIGN" -o x6.dsse a.txt
expect_rc 2
expect_err "-k"
expect_no_file x6.dsse

t "sign without -o"
run "$SIGN" -k plain.key a.txt
expect_rc 2
expect_err "-o"

t "sign into a missing directory"
mkdir outdir
run "$SIGN" -k plain.key -o outdir/missing/x.dsse a.txt
expect_rc 2
expect_err "outdir/missing/x.dsse"
expect_listing outdir ""

t "sign onto a directory with -f (rename fails)"
mkdir outdir/target.dsse
run "$SIGN" -k plain.key -f -o outdir/target.dsse a.txt
expect_rc 2
expect_err "outdir/target.dsse"
expect_listing outdir "target.dsse "
expect_listing outdir/target.dsse ""
rmdir outdir/target.dsse

if [ "$(id -u)" -ne 0 ]; then
	t "sign into a read-only directory"
	mkdir ro
	chmod 555 ro
	run "$SIGN" -k plain.key -o ro/x.dsse a.txt
	expect_rc 2
	expect_err "ro/x.dsse"
	expect_listing ro ""
	chmod 755 ro
else
	echo "skip: sign into a read-only directory (running as root)"
fi

t "sign same key twice"
run "$SIGN" -k plain.key -k plain.key -o x7.dsse a.txt
expect_rc 2
expect_err "the same key"
expect_no_file x7.dsse
cp plain.key plain-copy.key
run "$SIGN" -k plain.key -k plain-copy.key -o x7.dsse a.txt
expect_rc 2
expect_err "plain-copy.key: the same key as plain.key"
expect_no_file x7.dsse

t "sign --payload with artifacts"
printf 'x\n' >pay0.bin
run "$SIGN" -k plain.key --payload pay0.bin --payload-type application/x-test \
    -o x8.dsse a.txt
expect_rc 2
expect_no_file x8.dsse

t "sign --payload without --payload-type"
run "$SIGN" -k plain.key --payload pay0.bin -o x8.dsse
expect_rc 2
expect_err "--payload"
expect_no_file x8.dsse

t "sign --payload with an empty --payload-type"
run "$SIGN" -k plain.key --payload pay0.bin --payload-type "" -o x8.dsse
expect_rc 2
expect_no_file x8.dsse

# --- plain payload mode -----------------------------------------------------

printf 'not a statement \000 \377 binary\nsecond line' >pay.bin
for k in plain p256 rsa; do
	t "plain payload ($k)"
	run "$SIGN" -k "$k.key" --passphrase-file pw --payload pay.bin \
	    --payload-type application/x-test -o "$k.pay.dsse"
	expect_rc 0
	expect_eq "payloadType" "$(h get "$k.pay.dsse" payloadType)" \
	    "application/x-test"
	run "$VERIFY" --print-payload -K "$k.pub" "$k.pay.dsse"
	expect_rc 0
	if cmp -s "$T/out" pay.bin; then
		ok
	else
		bad "--print-payload differs from pay.bin"
	fi
	run "$VERIFY" -K "$k.pub" "$k.pay.dsse"
	expect_rc 0
	expect_out "verified by 1 of 1 required key"
done

t "plain payload with artifacts"
run "$VERIFY" -K plain.pub plain.pay.dsse a.txt
expect_rc 1
expect_err "not an in-toto Statement"
run "$VERIFY" --json -K plain.pub plain.pay.dsse a.txt
expect_rc 1
expect_eq "verified" "$(h get "$T/out" verified)" "false"

t "plain payload altered"
h tamper plain.pay.dsse pay.tampered.dsse
run "$VERIFY" --print-payload -K plain.pub pay.tampered.dsse
expect_rc 1
expect_no_out

t "empty plain payload"
: >pay-empty.bin
run "$SIGN" -k plain.key --payload pay-empty.bin \
    --payload-type application/x-test -o empty.pay.dsse
expect_rc 0
run "$VERIFY" --print-payload -K plain.pub empty.pay.dsse
expect_rc 0
expect_no_out

t "in-toto payloadType on a non-Statement"
printf '{"hello": "world"}' >notstmt.json
run "$SIGN" -k plain.key --payload notstmt.json \
    --payload-type application/vnd.in-toto+json -o notstmt.dsse
expect_rc 0
run "$VERIFY" -K plain.pub notstmt.dsse
expect_rc 1
expect_err "payload"

t "a hostile file cannot put terminal controls into a message"
printf '{"type":"\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m"}' >esc.key
run "$SIGN" -k esc.key -o esc.json "$T/null"
expect_rc 2
if LC_ALL=C grep -q "$(printf '\033')" "$T/err" ||
    LC_ALL=C grep -q "$(printf '\302\233')" "$T/err"; then
	bad "an escape sequence reached stderr"
else
	ok
fi
expect_err "esc.key"

t "attest-verify: a signed subject name cannot drive the terminal"
# a Statement whose subject name, and the artifact's own file name, hold
# ESC [2J, BEL, CSI (U+009B), DEL and U+202E: signed, valid, matched
printf 'firmware\n' >"$HOSTILE.bin"
"$PY" - "$HOSTILE.bin" "$HOSTILE_JSON" hostile.stmt <<'PY' || bad "statement"
import hashlib, json, sys
d = hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest()
name = json.loads('"%s"' % sys.argv[2]) + ".bin"
json.dump({"_type": "https://in-toto.io/Statement/v1",
           "subject": [{"name": name, "digest": {"sha256": d}}],
           "predicateType": "https://example.com/p/v1", "predicate": {}},
          open(sys.argv[3], "w"))
PY
run "$SIGN" -k plain.key --payload hostile.stmt \
    --payload-type application/vnd.in-toto+json -o hostile.dsse
expect_rc 0
run "$VERIFY" -K plain.pub hostile.dsse "$HOSTILE.bin"
expect_rc 0
expect_out "$HOSTILE_SHOWN.bin: OK (subject $HOSTILE_SHOWN.bin)"
expect_no_controls
# an artifact that does not match: its file name in the message
printf 'other\n' >"$HOSTILE.other"
run "$VERIFY" -K plain.pub hostile.dsse "$HOSTILE.other"
expect_rc 1
expect_err "$HOSTILE_SHOWN.other: "
expect_no_controls
# --json keeps the name as signed, JSON-escaped (non-ASCII as \uXXXX;
# DEL stays, as JSON has it)
run "$VERIFY" -K plain.pub --json hostile.dsse "$HOSTILE.bin"
expect_rc 0
expect_out '"subject": "P\u001B[2J\u0007\u009B'
expect_out '\u202EQ.bin"'
"$PY" - "$T/out" "$HOSTILE_JSON" <<'PY' || bad "--json: the name as signed"
import json, sys
raw = open(sys.argv[1], "rb").read()
assert all(c not in raw for c in (b"\x1b", b"\x07", b"\xc2\x9b",
                                  b"\xe2\x80\xae")), raw
name = json.loads('"%s"' % sys.argv[2]) + ".bin"
assert json.loads(raw)["subjects"][0]["subject"] == name
PY

t "attest-verify: a signed payloadType cannot drive the terminal"
printf 'data' >plain.pay
run "$SIGN" -k plain.key --payload plain.pay --payload-type "$HOSTILE" \
    -o hostile-type.dsse
expect_rc 0
run "$VERIFY" -K plain.pub hostile-type.dsse "$T/null"
expect_rc 1
expect_err "payloadType $HOSTILE_SHOWN is not an in-toto Statement"
expect_no_controls

t "attest-verify --print-payload: exact bytes to a pipe, escaped on a terminal"
printf 'line 1\n%s\n' "$HOSTILE" >hostile.pay
run "$SIGN" -k plain.key --payload hostile.pay \
    --payload-type application/x-test -o hostile-pay.dsse
expect_rc 0
run "$VERIFY" -K plain.pub --print-payload hostile-pay.dsse
expect_rc 0
cmp -s "$T/out" hostile.pay && ok || bad "--print-payload changed the bytes"
"$PY" - "$VERIFY" plain.pub hostile-pay.dsse >tty.out 2>"$T/err" <<'PY'
import os, pty, subprocess, sys
m, s = pty.openpty()
p = subprocess.run([sys.argv[1], "-K", sys.argv[2], "--print-payload",
                    sys.argv[3]], stdin=subprocess.DEVNULL, stdout=s)
os.close(s)
out = b""
while True:
    try:
        b = os.read(m, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
sys.stdout.buffer.write(out)
sys.exit(p.returncode)
PY
RC=$?
expect_rc 0
cp tty.out "$T/out"
expect_out "line 1"
expect_out "$HOSTILE_SHOWN"
expect_no_controls

t "attest-sign --countersign: a payloadType cannot drive the terminal"
"$KEYGEN" -o counter --no-passphrase >/dev/null 2>&1 || bad "keygen"
run "$SIGN" -k counter.key --countersign hostile-type.dsse \
    -o hostile-type2.dsse
expect_rc 0
expect_err "countersigning hostile-type.dsse: payloadType $HOSTILE_SHOWN, 1 signature already"
expect_no_controls

t "RSA public exponents: 3 and 1 refused, 65537 accepted"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -pkeyopt rsa_keygen_pubexp:3 -out e3.pem 2>/dev/null
openssl pkey -in e3.pem -pubout -out e3.pub 2>/dev/null
run "$VERIFY" -K e3.pub "$T/null"
expect_rc 2
expect_err "e3.pub: RSA public exponent not accepted"
# e = 1: the modulus of a real key, the exponent replaced (no private key
# can exist; every message is its own signature)
"$PY" - e3.pem e1.pub <<'PY' || bad "cannot build the e = 1 key"
import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
k = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
n = k.public_key().public_numbers().n
try:
    pub = rsa.RSAPublicNumbers(1, n).public_key()
except ValueError:
    pub = None
if pub is None:
    # cryptography refuses e = 1 itself: write the DER by hand
    def der_int(v):
        b = v.to_bytes((v.bit_length() + 8) // 8, "big")
        return b"\x02" + der_len(len(b)) + b
    def der_len(l):
        return bytes([l]) if l < 128 else bytes([0x80 | ((l.bit_length() + 7) // 8)]) + l.to_bytes((l.bit_length() + 7) // 8, "big")
    def seq(b):
        return b"\x30" + der_len(len(b)) + b
    rsakey = seq(der_int(n) + der_int(1))
    algo = seq(bytes.fromhex("06092a864886f70d010101") + b"\x05\x00")
    bits = b"\x03" + der_len(len(rsakey) + 1) + b"\x00" + rsakey
    import base64
    der = seq(algo + bits)
    b64 = base64.b64encode(der).decode()
    pem = "-----BEGIN PUBLIC KEY-----\n" + "\n".join(b64[i:i+64] for i in range(0, len(b64), 64)) + "\n-----END PUBLIC KEY-----\n"
else:
    pem = pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
open(sys.argv[2], "w").write(pem)
PY
run "$VERIFY" -K e1.pub "$T/null"
expect_rc 2
expect_err "e1.pub: RSA public exponent not accepted"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out e65.pem \
    2>/dev/null
openssl pkey -in e65.pem -pubout -out e65.pub 2>/dev/null
run "$VERIFY" -K e65.pub "$T/null"
expect_rc 2
if grep -q "exponent" "$T/err"; then bad "e = 65537 refused"; else ok; fi

# --- done -----------------------------------------------------------------------

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
