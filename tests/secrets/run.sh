#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Secret hygiene (issue 7): after a signing tool has used a private key,
# its passphrase and a token PIN, none of them is left in its memory; the
# tools refuse core dumps; no message of a failing path shows a
# passphrase or PIN.
#
#   sh tests/secrets/run.sh BUILD_DIR		(make check-secrets)
#
# The memory check runs the tool under gdb, stops it at exit() (after
# main has returned and every free has run) and searches every readable
# mapping of the process, the environment block and the freed heap
# included, for the raw key bytes, the passphrase and the PIN
# (tests/secrets/search.py).  gdb is the tool's parent, so
# PR_SET_DUMPABLE 0 does not stop it; that setting is read in the tool
# itself through gdb (prctl PR_GET_DUMPABLE), the core limit in /proc.
#
# Covered: attest-sign with encrypted and unencrypted key files (Ed25519
# seed, P-256 scalar as bytes and as OpenSSL's BIGNUM limbs, and the
# file's base64 of an unencrypted key), and with P-384 and RSA-3072 key
# files (every private number, bytes and limbs); attest-doc sign;
# attest-chain import (its passphrase); attest-keygen making a key, and
# importing a plain or an encrypted PEM (--import-passphrase-file), with
# and without a passphrase; passphrases and PINs from files and from the
# environment (--passphrase-env, --import-passphrase-env, --pin-env); a
# SoftHSM2 token PIN; a FIDO2 PIN, with softfido (tests/fido/softfido.c)
# loaded by gdb's exec-wrapper so that it is preloaded into the tool and
# not into gdb.  The environment cases stop at _exit instead of exit: a
# tool frees its copy of such a secret in an atexit handler, and a
# breakpoint on exit() stops it before the handlers have run.  Each scan
# also checks that the tool wrote its output: a tool that failed early
# would leave nothing to find.  Controls show that the scan finds a key
# in use (guarded memory, OpenSSL's secure heap), a secret still in the
# environment, and the PIN while softfido is asked.
# The constant-time comparisons are checked with valgrind (tests/secrets/ct.c).
set -u
LIB=$(cd "$(dirname "$0")/.." && pwd)/lib.sh
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/secrets/run.sh BUILD_DIR" >&2
	exit 2
fi
case $1 in
/*)	B=$1 ;;
*)	B=$(pwd)/$1 ;;
esac
PY=/usr/bin/python3
MOD=/usr/lib/softhsm/libsofthsm2.so
X=$(cd "$HERE/../../keys-example" && pwd) || exit 2
SOFTFIDO=$B/tests/fido/softfido.so
if [ ! -e "$SOFTFIDO" ]; then
	echo "run.sh: $SOFTFIDO: not built (make check-secrets builds it)" >&2
	exit 2
fi
for need in gdb valgrind openssl "$PY" softhsm2-util; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "run.sh: $need: not found (make test-deps)" >&2
		exit 2
	fi
done
T=$(mktemp -d "${TMPDIR:-/tmp}/attest-secrets.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
cd "$T" || exit 2
NOTTY=
: >"$T/null"
. "$LIB"
sanitized() { :; }

PASS='Correct-Horse-7Q2xW9-secret'
PIN=804613
IPASS='Import-Staple-5rT8vN-pem'	# of the encrypted PEM files
FPIN='Fido-PIN-3k9Q7w'			# of the softfido device
printf '%s\n' "$PASS" >pass
printf '%s\n' "$PIN" >pin
printf '%s\n' "$IPASS" >ipass
printf '%s\n' "$FPIN" >fpin
echo "artifact" >art.bin
WRAP=

# scan BREAK NAME=HEX,... -- PROG ARGS...: run PROG under gdb, stop it at
# function BREAK, read every readable mapping of the process (sodium's
# guarded pages included: gcore would skip them, they are MADV_DONTDUMP)
# and set FOUND to the names of the byte strings found.  When WRAP is
# set, gdb starts PROG through it (set exec-wrapper).
scan() {
	_bp=$1
	_what=$2
	shift 3
	if [ -n "$WRAP" ]; then
		_wrap="set exec-wrapper $WRAP"
	else
		_wrap="show exec-wrapper"
	fi
	SEARCH=$_what gdb -nx -batch -ex "$_wrap" \
	    -ex 'set breakpoint pending on' \
	    -ex "break $_bp" -ex run -ex "source $HERE/search.py" -ex kill \
	    --args "$@" >"$T/gdb.out" 2>&1
	if ! grep -q '^FOUND:' "$T/gdb.out"; then
		bad "gdb did not stop at $_bp"
		sed 's/^/\tgdb: /' "$T/gdb.out" | tail -5
		FOUND=ERROR
		return 1
	fi
	FOUND=$(sed -n 's/^FOUND://p' "$T/gdb.out")
}
# none: nothing was found
none() {
	if [ -z "$FOUND" ]; then ok; else bad "left in memory at exit: $FOUND"; fi
}
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
# sees PATTERN WHAT: a control; the last scan found a name matching the
# case pattern PATTERN, else it cannot see WHAT and proves nothing
sees() {
	case $FOUND in
	$1) ok ;;
	*) bad "$2 not found (found: ${FOUND:-nothing}): the scan sees nothing" ;;
	esac
}
# made FILE: the tool under the last scan got as far as writing FILE
made() {
	if [ -s "$1" ]; then
		ok
	else
		bad "$1 was not written: the tool failed before the end"
		sed 's/^/\tgdb: /' "$T/gdb.out" | tail -5
	fi
}

# Keys made with openssl, so that the test knows their raw private bytes
openssl genpkey -algorithm ed25519 -out ed.pem 2>/dev/null || exit 2
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out ec.pem 2>/dev/null || exit 2
ED_SEED=$(openssl pkey -in ed.pem -outform DER | tail -c 32 | od -An -tx1 |
    tr -d ' \n')
EC_D=$(openssl pkey -in ec.pem -text -noout | "$PY" -c '
import sys, re
t = sys.stdin.read()
m = re.search(r"priv:\s*((?:[0-9a-f]{2}:?\s*)+)pub:", t)
print(re.sub(r"[^0-9a-f]", "", m.group(1))[-64:])')
# OpenSSL holds a private scalar as a BIGNUM: little-endian 64-bit limbs,
# least significant first, which is the byte string reversed (on a
# little-endian host)
EC_LIMBS=$("$PY" -c 'import sys; print(bytes.fromhex(sys.argv[1])[::-1].hex())' \
    "$EC_D")
EC_WANT="scalar=$EC_D,limbs=$EC_LIMBS"
for k in ed ec; do
	"$B/attest-keygen" --import $k.pem --passphrase-file pass -o $k \
	    >/dev/null 2>&1 || exit 2
	openssl pkey -in $k.pem -aes256 -passout file:ipass -out $k-enc.pem \
	    2>/dev/null || exit 2
done

t "a signing tool runs with a core file size limit of 0"
if "$PY" - "$B/attest-sign" <<'PY'; then ok; else bad "attest-sign keeps a core limit"; fi
import os, subprocess, sys, time
# the tool waits on its passphrase at the terminal: read its /proc state
p = subprocess.Popen(["setsid", "-w", sys.argv[1], "-k", "ed.key", "-o",
                      "x.json", "art.bin"], stdin=subprocess.PIPE,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.5)
pid = None
for d in os.listdir("/proc"):
    if d.isdigit():
        try:
            if open("/proc/%s/comm" % d).read().strip() == "attest-sign":
                pid = d
        except OSError:
            pass
ok = False
if pid:
    st = open("/proc/%s/status" % pid).read()
    lim = open("/proc/%s/limits" % pid).read()
    core = [l for l in lim.splitlines() if l.startswith("Max core file size")]
    # a process that is not dumpable has its /proc files owned by root;
    # the limit says 0
    ok = bool(core) and core[0].split()[4] == "0"
p.kill()
p.wait()
sys.exit(0 if ok else 1)
PY

t "the scan sees a key in use (a control: the method can fail)"
scan attest_ed25519_sign "seed=$ED_SEED" -- "$B/attest-sign" -k ed.key \
    --passphrase-file pass -o ctl.json art.bin
sees seed "the Ed25519 seed while signing"
t "the scan sees an EC key in use, in OpenSSL's secure heap (a control)"
scan attest_ossl_sign "$EC_WANT" -- "$B/attest-sign" -k ec.key \
    --passphrase-file pass -o ctl-ec.json art.bin
sees '*limbs*' "the P-256 scalar's limbs while signing"

t "the signing tools are not dumpable (PR_GET_DUMPABLE at exit; 1 at main)"
for tool in "attest-sign -k ed.key --passphrase-file pass -o d.json art.bin" \
    "attest-keygen -t ed25519 --passphrase-file pass -f -o dk" \
    "attest-doc sign -k ed.key --passphrase-file pass --artifact art.bin -o dd.json /nonexistent.json" \
    "attest-chain verify --policy /nonexistent x"; do
	for bp in main exit; do
		# shellcheck disable=SC2086
		gdb -nx -batch -ex 'set breakpoint pending on' -ex "break $bp" \
		    -ex run -ex 'print (int)prctl(3, 0, 0, 0, 0)' -ex kill \
		    --args $B/$tool >"$T/gdb.out" 2>&1
		got=$(sed -n 's/^\$1 = //p' "$T/gdb.out")
		want=$([ $bp = main ] && echo 1 || echo 0)
		expect_eq "${tool%% *} dumpable at $bp" "$got" "$want"
	done
done

for k in ed ec; do
	t "attest-sign with the $k key file: no key bytes, no passphrase left"
	if [ $k = ed ]; then want="seed=$ED_SEED"; else want=$EC_WANT; fi
	scan exit "$want,pass=$(hex "$PASS")" -- "$B/attest-sign" -k $k.key \
	    --passphrase-file pass -o sig-$k.json art.bin && none
	made sig-$k.json
done

# P-384 and RSA-3072: every private number, as big-endian bytes and as
# BIGNUM limbs (the bytes reversed; see EC_LIMBS)
needles() {
	"$PY" - "$1" <<'PY'
import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
k = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
if isinstance(k, ec.EllipticCurvePrivateKey):
    n = (k.curve.key_size + 7) // 8
    parts = {"scalar": k.private_numbers().private_value.to_bytes(n, "big")}
else:
    pn = k.private_numbers()
    parts = {}
    for name, v in (("d", pn.d), ("p", pn.p), ("q", pn.q)):
        parts[name] = v.to_bytes((v.bit_length() + 7) // 8, "big")
out = []
for name, b in parts.items():
    out += [name + "=" + b.hex(), name + "-limbs=" + b[::-1].hex()]
print(",".join(out))
PY
}
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
    -out p384.pem 2>/dev/null || exit 2
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 \
    -out rsa.pem 2>/dev/null || exit 2
for k in p384 rsa; do
	want=$(needles $k.pem) || exit 2
	t "attest-keygen --import $k.pem: no private number, no passphrase left"
	scan exit "$want,pass=$(hex "$PASS")" -- "$B/attest-keygen" \
	    --import $k.pem --passphrase-file pass -o $k && none
	made $k.key
	t "attest-sign with the $k key file: no private number, no passphrase left"
	scan exit "$want,pass=$(hex "$PASS")" -- "$B/attest-sign" -k $k.key \
	    --passphrase-file pass -o sig-$k.json art.bin && none
	made sig-$k.json
done
t "the scan sees an RSA key in use (a control)"
scan attest_ossl_sign "$(needles rsa.pem)" -- "$B/attest-sign" -k rsa.key \
    --passphrase-file pass -o ctl-rsa.json art.bin
sees '*limbs*' "the RSA key's limbs while signing"

# attest-doc and attest-chain sign through the same signers as attest-sign
t "attest-doc sign: no key bytes, no passphrase left"
scan exit "seed=$ED_SEED,pass=$(hex "$PASS")" -- "$B/attest-doc" sign \
    -k ed.key --passphrase-file pass --at 2028-03-01 --artifact art.bin \
    -o doc.intoto.json "$X/cra/doc-module-a.json" && none
made doc.intoto.json

# (keys-example's importer key: its bytes are not known here, so the
# scan looks for its passphrase)
t "attest-chain import: the passphrase is not left"
sh "$X/mkchain.sh" "$B" chain 2 >mkchain.log 2>&1 || {
	cat mkchain.log
	exit 2
}
XPASS=$(head -n 1 "$X/PASSPHRASE-NOT-SECRET.txt")
scan exit "pass=$(hex "$XPASS")" -- "$B/attest-chain" import \
    --policy "$X/policy.json" --at 2028-03-01 -k "$X/importer.key" \
    --passphrase-file "$X/PASSPHRASE-NOT-SECRET.txt" \
    --bundle chain/chain-2.intoto.jsonl --artifact chain/fw.bin \
    --operator "$X/cra/import.json" -o chain-imp.intoto.jsonl && none
made chain-imp.intoto.jsonl

t "attest-keygen: the new key's passphrase is not left"
scan exit "pass=$(hex "$PASS")" -- "$B/attest-keygen" -t ed25519 \
    --passphrase-file pass -o new && none
made new.key

# Imported keys, whose bytes the test knows.  OpenSSL 3 frees its DER and
# PEM copies of a key unwiped (the tools give it a wiping allocator,
# tools/common.c harden_process): these found the seed and the scalar.
for k in ed ec; do
	if [ $k = ed ]; then want="seed=$ED_SEED"; else want=$EC_WANT; fi

	t "attest-keygen --import $k.pem --no-passphrase: no key bytes left"
	scan exit "$want" -- "$B/attest-keygen" --import $k.pem \
	    --no-passphrase -o plain-$k && none
	made plain-$k.key
	expect_eq "plain-$k.key encryption" "$(sed -n \
	    's/.*"encryption": *"\([a-z]*\)".*/\1/p' plain-$k.key)" none

	t "attest-sign with the unencrypted $k key file: no key bytes left"
	# and no copy of the file's base64 of the PKCS#8: the key, spelt out
	b64=$(sed -n 's/.*"private_key": *"\([^"]*\)".*/\1/p' plain-$k.key)
	if [ -n "$b64" ]; then
		scan exit "$want,text=$(hex "$b64")" -- "$B/attest-sign" \
		    -k plain-$k.key -o sig-plain-$k.json art.bin && none
		made sig-plain-$k.json
	else
		bad "plain-$k.key has no private_key"
	fi

	t "attest-keygen --import $k.pem --passphrase-file: neither key nor passphrase left"
	scan exit "$want,pass=$(hex "$PASS")" -- "$B/attest-keygen" \
	    --import $k.pem --passphrase-file pass -o imp-$k && none
	made imp-$k.key

	t "attest-keygen --import of an encrypted $k PEM: no key, neither passphrase left"
	scan exit "$want,ipass=$(hex "$IPASS"),pass=$(hex "$PASS")" -- \
	    "$B/attest-keygen" --import $k-enc.pem \
	    --import-passphrase-file ipass --passphrase-file pass \
	    -o enc-$k && none
	made enc-$k.key
done

# Secrets in the environment: a tool reads the variable once, into
# guarded memory, wipes its value in place and unsets it (tools/common.c),
# and frees its copy in an atexit handler.  Those handlers run after a
# breakpoint on exit() has stopped the tool: these scans stop at _exit.
ATTEST_SECRETS_PASS=$PASS
ATTEST_SECRETS_IPASS=$IPASS
export ATTEST_SECRETS_PASS ATTEST_SECRETS_IPASS

t "the scan sees a secret in the environment (a control: at main it is there)"
scan main "pass=$(hex "$PASS")" -- "$B/attest-sign" -k ed.key \
    --passphrase-env ATTEST_SECRETS_PASS -o ctl-env.json art.bin
sees pass "the passphrase in the environment at main"

t "attest-sign, two key files, --passphrase-env: no key bytes, no passphrase left"
scan _exit "seed=$ED_SEED,$EC_WANT,pass=$(hex "$PASS")" -- "$B/attest-sign" \
    -k ed.key -k ec.key --passphrase-env ATTEST_SECRETS_PASS \
    -o sig-env.json art.bin && none
made sig-env.json

t "attest-keygen --passphrase-env: the passphrase is not left"
scan _exit "pass=$(hex "$PASS")" -- "$B/attest-keygen" -t ed25519 \
    --passphrase-env ATTEST_SECRETS_PASS -o env-new && none
made env-new.key

t "attest-keygen --import-passphrase-env: no key bytes, neither passphrase left"
scan _exit "seed=$ED_SEED,ipass=$(hex "$IPASS"),pass=$(hex "$PASS")" -- \
    "$B/attest-keygen" --import ed-enc.pem \
    --import-passphrase-env ATTEST_SECRETS_IPASS \
    --passphrase-env ATTEST_SECRETS_PASS -o env-imp && none
made env-imp.key
unset ATTEST_SECRETS_PASS ATTEST_SECRETS_IPASS

t "attest-sign with a SoftHSM2 key: the PIN is not left"
mkdir hsm hsm/tokens
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$T/hsm/tokens" >hsm/conf
export SOFTHSM2_CONF="$T/hsm/conf"
softhsm2-util --init-token --free --label s --pin "$PIN" --so-pin 7777 \
    >/dev/null || exit 2
URI="pkcs11:token=s;object=k?module-path=$MOD"
"$B/attest-keygen" --pkcs11 "$URI" -t ed25519 -o hsm --pin-file pin \
    >/dev/null 2>&1 || exit 2
scan exit "pin=$(hex "$PIN")" -- "$B/attest-sign" -k "$URI" --pin-file pin \
    -o sig-hsm.json art.bin && none
made sig-hsm.json

# A PIN or passphrase file is wiped whole, not only its first line, the
# secret (issue 14 §6: the tools and pin-source wiped the first line's
# length and left the rest of the file in the freed heap).  The second
# line is long (900 bytes), so that its freed block is not reused and
# overwritten before exit by chance, and the end of it is searched for.
REST=$(awk 'BEGIN { srand(7); while (n++ < 900)
    printf "%c", 97 + int(rand() * 26) }')
RTAIL=$(printf '%s' "$REST" | tail -c 32)
printf '%s\n%s\n' "$PIN" "$REST" >pin2
printf '%s\n%s\n' "$PASS" "$REST" >pass2
t "--pin-file: the lines after the PIN are not left"
scan exit "pin=$(hex "$PIN"),rest=$(hex "$RTAIL")" -- "$B/attest-sign" \
    -k "$URI" --pin-file pin2 -o sig-pin2.json art.bin && none
made sig-pin2.json
t "pin-source: the lines after the PIN are not left"
scan exit "pin=$(hex "$PIN"),rest=$(hex "$RTAIL")" -- "$B/attest-sign" \
    -k "$URI&pin-source=file:$T/pin2" -o sig-pin3.json art.bin && none
made sig-pin3.json
t "--passphrase-file: the lines after the passphrase are not left"
scan exit "pass=$(hex "$PASS"),rest=$(hex "$RTAIL")" -- "$B/attest-sign" \
    -k ed.key --passphrase-file pass2 -o sig-pass2.json art.bin && none
made sig-pass2.json

t "attest-sign with a SoftHSM2 key and --pin-env: the PIN is not left"
ATTEST_SECRETS_PIN=$PIN
export ATTEST_SECRETS_PIN
scan _exit "pin=$(hex "$PIN")" -- "$B/attest-sign" -k "$URI" \
    --pin-env ATTEST_SECRETS_PIN -o sig-hsm-env.json art.bin && none
made sig-hsm-env.json
unset ATTEST_SECRETS_PIN

# FIDO2: softfido, a software CTAP2 authenticator inside the tool
# (tests/fido/softfido.c, configured as in tests/fido/run.sh), asking for
# a PIN.  gdb starts the tool through env, so that softfido is preloaded
# into the tool and not into gdb.  Like a device, softfido keeps only
# LEFT(SHA-256(PIN), 16) of the PIN it is configured with.
SF=$T/softfido
mkdir "$SF"
printf 'pin=%s\nrequire_pin=1\n' "$FPIN" >"$SF/config"
# an ASan build needs its runtime first in the preload list
PRELOAD=$SOFTFIDO
ASANLIB=$(ldd "$B/attest-sign" | awk '/libasan/ { print $3; exit }')
if [ -n "$ASANLIB" ]; then
	PRELOAD="$ASANLIB:$SOFTFIDO"
fi
WRAP="env LD_PRELOAD='$PRELOAD' SOFTFIDO_DIR='$SF'"

t "attest-keygen --fido --uv: the PIN is not left"
scan exit "fpin=$(hex "$FPIN")" -- "$B/attest-keygen" --fido --uv \
    --pin-file fpin -o fk && none
made fk.fido

t "the scan sees the FIDO PIN while libfido2 is given it (a control)"
scan fido_dev_get_assert "fpin=$(hex "$FPIN")" -- "$B/attest-sign" \
    -k fk.fido --pin-file fpin -o ctl-fido.json art.bin
sees fpin "the PIN while signing with softfido"

t "attest-sign with a FIDO2 key: the PIN is not left"
scan exit "fpin=$(hex "$FPIN")" -- "$B/attest-sign" -k fk.fido \
    --pin-file fpin -o sig-fido.json art.bin && none
made sig-fido.json

t "attest-sign with a FIDO2 key and --pin-env: the PIN is not left"
ATTEST_SECRETS_FPIN=$FPIN
export ATTEST_SECRETS_FPIN
scan _exit "fpin=$(hex "$FPIN")" -- "$B/attest-sign" -k fk.fido \
    --pin-env ATTEST_SECRETS_FPIN -o sig-fido-env.json art.bin && none
made sig-fido-env.json
unset ATTEST_SECRETS_FPIN
WRAP=

t "no message of a failing path shows the passphrase or the PIN"
printf 'wrong-%s\n' "$PASS" >badpass
printf '1%s\n' "$PIN" >badpin
printf 'x%s\n' "$FPIN" >badfpin
# longer than any secret a tool takes (1024 bytes), the passphrase in it
LONG=$(awk -v p="$PASS" 'BEGIN { while (n++ < 40) printf "%s", p }')
FIDO="env LD_PRELOAD=$PRELOAD SOFTFIDO_DIR=$SF"
: >msgs
# each writes to an output of its own, which does not exist: a run that
# stops at "exists" would never reach its secret
for cmd in \
    "$B/attest-sign -k ed.key --passphrase-file badpass -o m1.json art.bin" \
    "$B/attest-sign -k ed.key --passphrase-file pass -o /nonexistent/x.json art.bin" \
    "$B/attest-sign -k $URI --pin-file badpin -o m2.json art.bin" \
    "$B/attest-sign -k pkcs11:token=s;object=k;pin-value=$PIN?module-path=$MOD -o m3.json art.bin" \
    "$B/attest-keygen --import ed.key --import-passphrase-file pass -o m4" \
    "$B/attest-keygen -t ed25519 --passphrase-file pass -o ed" \
    "$B/attest-doc sign -k ed.key --passphrase-file badpass --artifact art.bin -o m5.json /nonexistent.json" \
    "$B/attest-chain import --policy /nonexistent -k ed.key --passphrase-file badpass --bundle x --artifact art.bin --operator y -o m6" \
    "env ATTEST_SECRETS_BAD=wrong-$PASS $B/attest-sign -k ed.key --passphrase-env ATTEST_SECRETS_BAD -o m7.json art.bin" \
    "env ATTEST_SECRETS_BAD=$LONG $B/attest-sign -k ed.key --passphrase-env ATTEST_SECRETS_BAD -o m8.json art.bin" \
    "env ATTEST_SECRETS_BAD=1$PIN $B/attest-sign -k $URI --pin-env ATTEST_SECRETS_BAD -o m9.json art.bin" \
    "env ATTEST_SECRETS_BAD=wrong-$IPASS $B/attest-keygen --import ed-enc.pem --import-passphrase-env ATTEST_SECRETS_BAD --no-passphrase -o m10" \
    "env ATTEST_SECRETS_BAD=$PASS $B/attest-keygen -t ed25519 --passphrase-env ATTEST_SECRETS_BAD -o ed" \
    "$FIDO $B/attest-sign -k fk.fido --pin-file badfpin -o m11.json art.bin" \
    "$FIDO env ATTEST_SECRETS_BAD=x$FPIN $B/attest-sign -k fk.fido --pin-env ATTEST_SECRETS_BAD -o m12.json art.bin" \
    "$FIDO $B/attest-keygen --fido --uv --pin-file badfpin -o m13"; do
	# shellcheck disable=SC2086
	$cmd </dev/null >one 2>&1
	if [ ! -s one ]; then
		bad "no message from: ${cmd#"$B/"}"
	fi
	cat one >>msgs
done
if grep -F -e "$PASS" -e "$PIN" -e "$IPASS" -e "$FPIN" msgs >/dev/null; then
	bad "a message shows a secret:"
	grep -F -e "$PASS" -e "$PIN" -e "$IPASS" -e "$FPIN" msgs |
	    sed 's/^/\t/'
else
	ok
fi
# the failing paths were reached: wrong secrets said so
for want in "wrong passphrase" "PIN incorrect" "too long" "wrong PIN"; do
	if grep -F -q -e "$want" msgs; then
		ok
	else
		bad "no message says \"$want\""
	fi
done

t "constant time: digest and MAC comparisons (valgrind, ctgrind-style)"
for m in ct_equal verify16; do
	run valgrind -q --error-exitcode=99 "$B/tests/ct" $m
	expect_rc 0
	if grep -q 'Conditional jump' "$T/err"; then
		bad "$m: a branch on secret bytes"
	else
		ok
	fi
done
t "constant time: the control (memcmp) is flagged, so the check can fail"
run valgrind -q --error-exitcode=99 "$B/tests/ct" memcmp
expect_rc 99
expect_err "Conditional jump or move depends on uninitialised value"

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
