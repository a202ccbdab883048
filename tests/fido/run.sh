#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# End-to-end tests of the FIDO2 backend: attest-keygen --fido and
# --fido-list, attest-sign with .fido handles, attest-verify with
# --require-uv, --fido-counter-state and --fido-attestation-roots.
#
#   sh tests/fido/run.sh BUILD_DIR		(make check-fido)
#
# The security key is softfido (tests/fido/softfido.c), a software CTAP2
# authenticator loaded into the unmodified tools with LD_PRELOAD: it
# answers libfido2's own CTAPHID and CBOR code through
# fido_dev_set_io_functions, keeps its state under SOFTFIDO_DIR, and is
# told by SOFTFIDO_DIR/config to deny presence, time out, vanish, lose a
# credential or misbehave.  Each signature is checked by attest-verify and,
# independently, by the openssl command over authenticatorData ||
# clientDataHash rebuilt here (fidohelp.py builds the PAE in Python).
# Prints "N passed, M failed" last and exits non-zero when M > 0.

set -u
LIB=$(cd "$(dirname "$0")/.." && pwd)/lib.sh

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/fido/run.sh BUILD_DIR" >&2
	exit 2
fi
case $1 in
/*)	B=$1 ;;
*)	B=$(pwd)/$1 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
KEYGEN=$B/attest-keygen
SIGN=$B/attest-sign
VERIFY=$B/attest-verify
SOFTFIDO=$B/tests/fido/softfido.so
PY=/usr/bin/python3
HELP="$PY $HERE/fidohelp.py"
PIN=4821

for f in "$KEYGEN" "$SIGN" "$VERIFY" "$SOFTFIDO"; do
	if [ ! -e "$f" ]; then
		echo "run.sh: $f: not built (make check-fido builds it)" >&2
		exit 2
	fi
done
for need in "$PY" openssl sha256sum; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "run.sh: $need: not found (make test-deps)" >&2
		exit 2
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/attest-fido.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
cd "$T" || exit 2
umask 022

unset ATTEST_FIDO_DEVICE FIDO_DEBUG 2>/dev/null
: >"$T/null"

# An ASan build needs its runtime first in the preload list.
PRELOAD=$SOFTFIDO
ASANLIB=$(ldd "$SIGN" | awk '/libasan/ { print $3; exit }')
if [ -n "$ASANLIB" ]; then
	PRELOAD="$ASANLIB $SOFTFIDO"
fi
SF=$T/softfido
mkdir "$SF"

. "$LIB"
sanitizer_exit_codes
no_terminal

sanitized() {
	if grep -E -q 'Sanitizer|runtime error:' "$T/err"; then
		bad "sanitizer report (exit $RC)"
		show
	fi
}

# The tools with softfido plugged in (and ATTEST_FIDO_DEVICE when DEV is
# set); the verifier needs no device and runs plain.
fido() {
	run env LD_PRELOAD="$PRELOAD" SOFTFIDO_DIR="$SF" \
	    ${DEV:+ATTEST_FIDO_DEVICE=$DEV} "$@"
}

# config LINE...: the authenticator's configuration, replaced.
config() {
	printf '%s\n' "$@" >"$SF/config"
}

# no_pin_in_output: the PIN never appears in anything a tool printed.
no_pin_in_output() {
	if grep -F -q "$PIN" "$T/out" "$T/err"; then
		bad "the PIN appears in the output"
	else
		ok
	fi
}

# independent ENVELOPE PUB ALG [RPID]: verify the first signature with
# the openssl command over SHA-256(rp id) || flags || counter ||
# SHA-256(PAE), the PAE built in Python.
independent() {
	_d=$T/ind
	rm -rf "$_d"
	mkdir "$_d"
	$HELP split "$1" "$_d" || { bad "fidohelp split"; return; }
	{
		printf '%s' "${4:-attest:}" | openssl dgst -sha256 -binary
		head -c 5 "$_d/blob"
		openssl dgst -sha256 -binary "$_d/pae"
	} >"$_d/data"
	if [ "$(wc -c <"$_d/data")" -ne 69 ]; then
		bad "rebuilt authenticatorData || clientDataHash is not 69 bytes"
		return
	fi
	if [ "$3" = es256 ]; then
		openssl dgst -sha256 -verify "$2" -signature "$_d/sig" \
		    "$_d/data" >"$_d/log" 2>&1
	else
		openssl pkeyutl -verify -pubin -inkey "$2" -rawin \
		    -in "$_d/data" -sigfile "$_d/sig" >"$_d/log" 2>&1
	fi
	if [ $? -eq 0 ]; then
		ok
	else
		bad "openssl does not verify the $3 assertion of $1"
		sed 's/^/\t/' "$_d/log"
	fi
}

# The credential key softfido holds for handle H (PEM), for forging.
cred_pem() {
	_id=$($PY -c 'import json,sys,base64
print(base64.b64decode(json.load(open(sys.argv[1]))["credential_id"]).hex())' "$1")
	sed -n '/-----BEGIN/,/-----END/p' "$SF/dev${2:-0}/cred-$_id"
}

printf 'libattest release 1.0\n' >fw.bin

# --- a test CA and the authenticator's attestation certificate --------------

AAGUID=6c69626174746573742d736f66746964
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout ca.key -out ca.pem -days 3650 -subj "/O=libattest tests/CN=Test FIDO Root" \
    -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign >/dev/null 2>&1 || exit 2
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout other-ca.key -out other-ca.pem -days 3650 -subj "/CN=Other Root" \
    -addext basicConstraints=critical,CA:TRUE >/dev/null 2>&1 || exit 2
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$SF/att-key.pem" -out att.csr \
    -subj "/C=DE/O=libattest tests/OU=Authenticator Attestation/CN=softfido model 1" \
    >/dev/null 2>&1 || exit 2
cat >att.ext <<EXT
basicConstraints=critical,CA:FALSE
1.3.6.1.4.1.45724.1.1.4=DER:04:10:$(echo $AAGUID | sed 's/../&:/g; s/:$//')
EXT
openssl x509 -req -in att.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -days 3650 -extfile att.ext -outform DER -out "$SF/att-cert.der" \
    >/dev/null 2>&1 || exit 2
printf '%s\n' "$PIN" >pin.txt
printf '1111\n' >wrongpin.txt

# --- devices -------------------------------------------------------------------

t "list: one device with its facts"
config devices=1
fido "$KEYGEN" --fido-list
expect_rc 0
expect_out "softfido:0: libattest tests softfido 0"
expect_out "firmware 0x10203"
expect_out "algorithms: es256 eddsa"
expect_out "no PIN set"

t "list: no device"
config devices=0
fido "$KEYGEN" --fido-list
expect_rc 0
expect_out "no FIDO devices"

t "keygen: no device"
fido "$KEYGEN" --fido -o none
expect_rc 2
expect_err "no FIDO security key found"
expect_no_file none.pub

t "keygen: several devices and none chosen"
config devices=2
fido "$KEYGEN" --fido -o two
expect_rc 2
expect_err "2 FIDO security keys found (softfido:0, softfido:1) and none chosen"
expect_no_file two.fido

t "keygen: -d picks one of several"
fido "$KEYGEN" --fido -d softfido:1 -o dev1
expect_rc 0
expect_err "credential on softfido:1"
config devices=1

# --- enrolment -----------------------------------------------------------------

for alg in es256 eddsa; do
	t "keygen $alg: three files, the key id, a touch"
	fido "$KEYGEN" --fido -t $alg -o $alg
	expect_rc 0
	expect_file $alg.pub
	expect_file $alg.fido
	expect_file $alg.att
	expect_err "touch the FIDO security key softfido:0 to create the credential"
	expect_err "attestation packed"
	expect_eq "key id" "$(cat "$T/out")" "$(keyid_of $alg.pub)"
	expect_eq "first line" "$(head -n 1 $alg.pub)" \
	    "libattest-fido-public-key: 1"
	expect_eq "algorithm line" "$(sed -n 2p $alg.pub)" "algorithm: fido-$alg"
	expect_eq "rp id line" "$(sed -n 3p $alg.pub)" "rp-id: attest:"
	if openssl pkey -pubin -in $alg.pub -noout 2>/dev/null; then
		ok
	else
		bad "openssl pkey -pubin does not read $alg.pub"
	fi

	t "sign and verify with a $alg security key"
	fido "$SIGN" -k $alg.fido -o $alg.dsse fw.bin
	expect_rc 0
	expect_err "touch the FIDO security key softfido:0 to sign"
	run "$VERIFY" -K $alg.pub $alg.dsse fw.bin
	expect_rc 0
	expect_out "fw.bin: OK"
	expect_out "FIDO user present, counter"
	expect_out "attestation not checked"

	t "independent check of the $alg assertion with openssl"
	independent $alg.dsse $alg.pub $alg

	t "$alg: attestation against the test CA"
	run "$VERIFY" -K $alg.pub --fido-attestation-roots ca.pem $alg.dsse
	expect_rc 0
	expect_out "attestation OK: AAGUID 6c696261-7474-6573-742d-736f66746964"
	expect_out "softfido model 1"

	t "$alg: attestation against another CA"
	run "$VERIFY" -K $alg.pub --fido-attestation-roots other-ca.pem $alg.dsse
	expect_rc 1
	expect_err "does not chain to the given roots"
done

t "keygen --resident: a discoverable credential"
fido "$KEYGEN" --fido --resident -o rk
expect_rc 0
expect_eq "resident" \
    "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["resident"])' rk.fido)" True
fido "$SIGN" -k rk.fido -o rk.dsse fw.bin
expect_rc 0
run "$VERIFY" -K rk.pub rk.dsse fw.bin
expect_rc 0

t "keygen: the files exist, the device is not touched"
cp "$SF/dev0/counter" counter.before
fido "$KEYGEN" --fido -o es256
expect_rc 2
expect_err "exists"
expect_eq "counter" "$(cat "$SF/dev0/counter")" "$(cat counter.before)"

t "keygen -f replaces"
fido "$KEYGEN" --fido -f -o dev1
expect_rc 0

t "keygen: unsupported algorithm"
config algs=es256
fido "$KEYGEN" --fido -t eddsa -o noed
expect_rc 2
expect_err "does not support this algorithm"
expect_no_file noed.pub
config devices=1

t "keygen: bad -t and mixed options"
fido "$KEYGEN" --fido -t ed25519 -o x
expect_rc 2
expect_err "es256 or eddsa"
fido "$KEYGEN" --fido --pkcs11 pkcs11:token=x -o x
expect_rc 2
fido "$KEYGEN" --uv -o x
expect_rc 2
expect_err "go with --fido"

# --- countersigning ------------------------------------------------------------

t "countersign a manufacturer's envelope with a touch"
"$KEYGEN" -t ed25519 --no-passphrase -o maker >/dev/null 2>&1
"$SIGN" -k maker.key -o release.dsse fw.bin 2>/dev/null
fido "$SIGN" -k es256.fido --countersign release.dsse -o counter.dsse
expect_rc 0
expect_err "countersigning release.dsse: payloadType application/vnd.in-toto+json, 1 signature already"
expect_err "touch the FIDO security key"
run "$VERIFY" -K maker.pub -K es256.pub --threshold 2 counter.dsse fw.bin
expect_rc 0
expect_out "verified by 2 of 2 required keys"
expect_out "FIDO user present"
run "$VERIFY" -K es256.pub counter.dsse fw.bin
expect_rc 0
# the manufacturer's signature is untouched
run "$VERIFY" -K maker.pub counter.dsse fw.bin
expect_rc 0

t "countersign: the same key twice, a bad envelope, no device touched"
cp "$SF/dev0/counter" counter.before
fido "$SIGN" -k es256.fido --countersign counter.dsse -o twice.dsse
expect_rc 2
expect_err "signed it already"
expect_no_file twice.dsse
printf '{"payloadType":"x","payload":"!!","signatures":[]}' >junk.dsse
fido "$SIGN" -k es256.fido --countersign junk.dsse -o junk2.dsse
expect_rc 2
expect_err "junk.dsse"
expect_no_file junk2.dsse
expect_eq "counter" "$(cat "$SF/dev0/counter")" "$(cat counter.before)"

t "countersign in place needs -f"
cp release.dsse inplace.dsse
fido "$SIGN" -k es256.fido --countersign inplace.dsse -o inplace.dsse
expect_rc 2
expect_err "exists"
fido "$SIGN" -k es256.fido --countersign inplace.dsse -f -o inplace.dsse
expect_rc 0
run "$VERIFY" -K maker.pub -K es256.pub --threshold 2 inplace.dsse fw.bin
expect_rc 0

t "countersign takes no artifacts"
fido "$SIGN" -k es256.fido --countersign release.dsse -o x.dsse fw.bin
expect_rc 2
expect_err "as it is"

# --- attestation formats -------------------------------------------------------

t "self attestation: checked at enrolment, refused against roots"
config attestation=self
fido "$KEYGEN" --fido -o self
expect_rc 0
expect_err "attestation packed"
fido "$SIGN" -k self.fido -o self.dsse fw.bin
expect_rc 0
run "$VERIFY" -K self.pub --fido-attestation-roots ca.pem self.dsse
expect_rc 1
expect_err "self attestation"

t "attestation none: refused against roots"
config attestation=none
fido "$KEYGEN" --fido -o noatt
expect_rc 0
expect_err "attestation none"
fido "$SIGN" -k noatt.fido -o noatt.dsse fw.bin
run "$VERIFY" -K noatt.pub --fido-attestation-roots ca.pem noatt.dsse
expect_rc 1
expect_err "fmt none"
config devices=1

t "attestation of another key"
cp es256.att swapped.att
cp eddsa.pub swapped.pub
run "$VERIFY" -K swapped.pub --fido-attestation-roots ca.pem eddsa.dsse
expect_rc 1
expect_err "another key"

t "tampered attestation signature"
$PY - es256.att tampered.att <<'PYEOF'
import base64, json, sys
a = json.load(open(sys.argv[1]))
s = bytearray(base64.b64decode(a["sig"]))
s[10] ^= 1
a["sig"] = base64.b64encode(bytes(s)).decode()
json.dump(a, open(sys.argv[2], "w"))
PYEOF
cp es256.pub tampered.pub
run "$VERIFY" -K tampered.pub --fido-attestation-roots ca.pem es256.dsse
expect_rc 1
expect_err "does not verify"

t "a missing attestation file"
cp es256.pub lonely.pub
run "$VERIFY" -K lonely.pub --fido-attestation-roots ca.pem es256.dsse
expect_rc 2
expect_err "lonely.att"

t "FIDO options without a FIDO key"
"$KEYGEN" -t ed25519 --no-passphrase -o plain >/dev/null 2>&1
run "$VERIFY" -K plain.pub --require-uv es256.dsse
expect_rc 2
expect_err "need a FIDO key"

# --- the verifier's demands ----------------------------------------------------

t "--require-uv: a touch without a PIN is not enough"
run "$VERIFY" -K es256.pub --require-uv es256.dsse
expect_rc 1
expect_err "user verification (UV) required but not asserted"

t "UP clear: a valid signature without presence is refused"
cred_pem es256.fido >cred.pem
$HELP forge es256.dsse cred.pem attest: 0x00 900 noup.dsse
run "$VERIFY" -K es256.pub noup.dsse
expect_rc 1
expect_err "user presence (UP) not asserted"
# the forgery itself is right: with UP it passes
$HELP forge es256.dsse cred.pem attest: 0x01 901 up.dsse
run "$VERIFY" -K es256.pub up.dsse
expect_rc 0

t "ED or AT set in a validly signed blob"
$HELP forge es256.dsse cred.pem attest: 0x81 902 ed.dsse
run "$VERIFY" -K es256.pub ed.dsse
expect_rc 1
expect_err "(ED)"
$HELP forge es256.dsse cred.pem attest: 0x41 903 at.dsse
run "$VERIFY" -K es256.pub at.dsse
expect_rc 1
expect_err "(AT)"

t "rp id of another application"
$HELP forge es256.dsse cred.pem ssh: 0x01 904 ssh.dsse
run "$VERIFY" -K es256.pub ssh.dsse
expect_rc 1
sed 's/^rp-id: attest:$/rp-id: ssh:/' es256.pub >ssh.pub
run "$VERIFY" -K ssh.pub es256.dsse
expect_rc 1

t "signature from another credential"
run "$VERIFY" -K dev1.pub es256.dsse
expect_rc 1

t "truncated sig blobs"
for n in 0 1 4 5 12 40; do
	$HELP cut es256.dsse $n cut.dsse
	run "$VERIFY" -K es256.pub cut.dsse
	if [ $n -eq 0 ]; then
		expect_rc 2
	else
		expect_rc 1
	fi
done

# --- PIN and user verification ---------------------------------------------------

config "pin=$PIN"
t "keygen --uv with a PIN"
fido "$KEYGEN" --fido --uv --pin-file pin.txt -o uv
expect_rc 0
no_pin_in_output
expect_eq "user_verification" \
    "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["user_verification"])' uv.fido)" True

t "sign with the PIN: UV set"
fido "$SIGN" -k uv.fido --pin-file pin.txt -o uv.dsse fw.bin
expect_rc 0
no_pin_in_output
run "$VERIFY" -K uv.pub --require-uv uv.dsse fw.bin
expect_rc 0
expect_out "user present, user verified"

t "independent check of the UV assertion"
independent uv.dsse uv.pub es256

t "PIN from an environment variable"
fido env ATTEST_TEST_PIN="$PIN" "$SIGN" -k uv.fido --pin-env ATTEST_TEST_PIN -o uv2.dsse fw.bin
expect_rc 0

t "keygen on a device with a PIN, no PIN given"
fido "$KEYGEN" --fido -o nopin
expect_rc 2
expect_err "has a PIN and none was given"
expect_no_file nopin.pub

t "wrong PIN: retries left, not retried"
fido "$SIGN" -k uv.fido --pin-file wrongpin.txt -o wrong.dsse fw.bin
expect_rc 2
expect_err "wrong PIN, 7 retries left (not retried)"
expect_no_file wrong.dsse
no_pin_in_output
fido "$SIGN" -k uv.fido --pin-file wrongpin.txt -o wrong.dsse fw.bin
expect_err "wrong PIN, 6 retries left"

t "no terminal and no PIN source"
fido "$SIGN" -k uv.fido -o nopin.dsse fw.bin
expect_rc 2
expect_err "no terminal"
expect_no_file nopin.dsse

t "PIN blocked"
echo 0 >"$SF/dev0/pin_retries"
fido "$SIGN" -k uv.fido --pin-file pin.txt -o blocked.dsse fw.bin
expect_rc 2
expect_err "PIN blocked"
expect_no_file blocked.dsse
echo 8 >"$SF/dev0/pin_retries"

t "UV demanded by the handle but not given by the device"
config "pin=$PIN" fault=no-uv
fido "$SIGN" -k uv.fido --pin-file pin.txt -o nouv.dsse fw.bin
expect_rc 2
expect_err "did not verify the user (UV flag clear)"
expect_no_file nouv.dsse

t "PIN required by the device for a handle without --uv"
config "pin=$PIN" require_pin=1
fido "$SIGN" -k es256.fido -o req.dsse fw.bin
expect_rc 2
expect_err "PIN required"
expect_no_file req.dsse
config devices=1

# --- counters ------------------------------------------------------------------

t "counter state: first, next, the same again"
fido "$SIGN" -k es256.fido -o c1.dsse fw.bin
fido "$SIGN" -k es256.fido -o c2.dsse fw.bin
run "$VERIFY" -K es256.pub --fido-counter-state state.json c1.dsse
expect_rc 0
expect_file state.json
run "$VERIFY" -K es256.pub --fido-counter-state state.json c2.dsse
expect_rc 0
run "$VERIFY" -K es256.pub --fido-counter-state state.json c2.dsse
expect_rc 0

t "counter state: an older signature is a regression"
cp state.json state.before
run "$VERIFY" -K es256.pub --fido-counter-state state.json c1.dsse
expect_rc 1
expect_err "is not above the recorded"
if cmp -s state.json state.before; then ok; else bad "state changed"; fi

t "counter state: a cloned authenticator"
echo 1 >"$SF/dev0/counter"
fido "$SIGN" -k es256.fido -o clone.dsse fw.bin
expect_rc 0
run "$VERIFY" -K es256.pub --fido-counter-state state.json clone.dsse
expect_rc 1
expect_err "cloned authenticator"

t "counter 0: warned at signing, reported, refused with state"
config fault=counter-zero
fido "$SIGN" -k es256.fido -o zero.dsse fw.bin
expect_rc 0
expect_err "does not count signatures"
run "$VERIFY" -K es256.pub zero.dsse
expect_rc 0
expect_out "counter 0 (the authenticator does not count signatures)"
run "$VERIFY" -K es256.pub --fido-counter-state state.json zero.dsse
expect_rc 1
expect_err "counter 0"

t "--json carries flags and counter"
run "$VERIFY" -K es256.pub --json c2.dsse
expect_rc 0
expect_out '"fido"'
expect_out '"UP"'

# --- device failures -------------------------------------------------------------

fault() {
	t "fault $1"
	config "fault=$1"
	fido "$SIGN" -k es256.fido -o fault.dsse fw.bin
	expect_rc 2
	expect_err "$2"
	expect_no_file fault.dsse
}
fault deny-up "user presence denied"
fault timeout "timed out waiting for user presence"
fault lose-cred "credential not on this device"
fault bad-sig "does not verify with the credential's public key"
fault no-up "did not confirm user presence"
fault ed "extension"
fault at "attested credential"
fault disconnect "was removed"
rm -f "$SF/dev0/removed"
config devices=1

t "credential made on another device"
config devices=2
DEV=softfido:1 fido "$SIGN" -k es256.fido -o other.dsse fw.bin
expect_rc 2
expect_err "softfido:1: credential not on this device"
expect_no_file other.dsse

t "ATTEST_FIDO_DEVICE picks the right one of several"
DEV=softfido:0 fido "$SIGN" -k es256.fido -o right.dsse fw.bin
expect_rc 0

t "several devices and none chosen at signing"
fido "$SIGN" -k es256.fido -o none.dsse fw.bin
expect_rc 2
expect_err "none chosen"
config devices=1

t "a damaged handle"
sed 's/"keyid": "\(.\)/"keyid": "0\1/' es256.fido >bad.fido
fido "$SIGN" -k bad.fido -o bad.dsse fw.bin
expect_rc 2
expect_err "keyid"

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
