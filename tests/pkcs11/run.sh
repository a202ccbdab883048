#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# End-to-end tests of the PKCS#11 key backend: attest-keygen --pkcs11,
# attest-sign with pkcs11: URIs, attest-verify, on SoftHSM2 tokens.
#
#   sh tests/pkcs11/run.sh BUILD_DIR		(make check-pkcs11)
#
# Every token lives in a token directory under this run's temporary
# folder, reached through SOFTHSM2_CONF; nothing touches a system token.
# Keys are made by attest-keygen --pkcs11 and, independently, by OpenSC's
# pkcs11-tool; each signature is checked by attest-verify, by OpenSSL over
# the PAE rebuilt in Python, and by securesystemslib
# (tests/interop/sslib_dsse.py).  The failures each have their own message
# and exit 2.  Debian's /usr/bin/python3 only.  Prints "N passed,
# M failed" last and exits non-zero when M > 0.

set -u
LIB=$(cd "$(dirname "$0")/.." && pwd)/lib.sh

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/pkcs11/run.sh BUILD_DIR" >&2
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
PY=/usr/bin/python3
HELP="$PY $HERE/p11help.py"
SSLIB="$PY $HERE/../interop/sslib_dsse.py"
MOD=/usr/lib/softhsm/libsofthsm2.so
SPY=/usr/lib/x86_64-linux-gnu/pkcs11-spy.so
SYSTOKENS=/var/lib/softhsm/tokens
PIN=1234
SOPIN=5678

for tool in "$KEYGEN" "$SIGN" "$VERIFY"; do
	if [ ! -x "$tool" ]; then
		echo "run.sh: $tool: not built (run make first)" >&2
		exit 2
	fi
done
for need in "$PY" openssl softhsm2-util pkcs11-tool sha256sum mkfifo; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "run.sh: $need: not found (make test-deps)" >&2
		exit 2
	fi
done
for f in "$MOD" "$SPY"; do
	if [ ! -e "$f" ]; then
		echo "run.sh: $f: not found (apt-get install softhsm2" \
		    "opensc)" >&2
		exit 2
	fi
done
if ! "$PY" -c 'import securesystemslib, cryptography' 2>/dev/null; then
	echo "run.sh: $PY lacks securesystemslib or cryptography" >&2
	exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/attest-pkcs11.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
cd "$T" || exit 2
umask 022

# A sanitizer report must never pass for a verdict: own exit codes, and
# run() greps for reports.  Leaks inside SoftHSM2 and OpenSC's spy (not
# libattest's) are suppressed by lsan.supp and counted; their frames are
# only seen with the slow unwinder.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=87"
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$HERE/lsan.supp"
LSAN_OPTIONS="$LSAN_OPTIONS:print_suppressions=1"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
if command -v setsid >/dev/null 2>&1 && setsid -w true 2>/dev/null; then
	NOTTY="setsid -w"
else
	NOTTY=
fi
# the caller's token configuration, PIN variables and spy never leak in
unset SOFTHSM2_CONF PKCS11SPY PKCS11SPY_OUTPUT ATTEST_PIN 2>/dev/null
: >"$T/null"

# --- helpers ----------------------------------------------------------------

. "$LIB"


# runf FUNCTION ARGS...: the same for a shell function (setsid runs
# programs only; nothing here reads a terminal).
runf() {
	"$@" <"$T/null" >"$T/out" 2>"$T/err"
	RC=$?
}

# sanitized: fail on a sanitizer report; move LeakSanitizer's
# "Suppressions used" block out of $T/err into $T/lsan.used.
sanitized() {
	if grep -q '^Suppressions used:$' "$T/err"; then
		awk -v tally="$T/lsan.used" '
		    /^-+$/ && !inblk && !held { held = $0; next }
		    held && !inblk {
			if ($0 == "Suppressions used:") { inblk = 1; next }
			print held; held = ""
		    }
		    inblk && /^-+$/ { inblk = 0; held = ""; skip = 1; next }
		    inblk { if ($1 ~ /^[0-9]+$/) print >>tally; next }
		    skip && /^$/ { next }
		    { skip = 0; print }
		    END { if (held != "" && !inblk) print held }
		' "$T/err" >"$T/err.tmp" && mv "$T/err.tmp" "$T/err"
	fi
	if grep -E -q 'Sanitizer|runtime error:' "$T/err"; then
		bad "sanitizer report (exit $RC)"
		show
	fi
}

# ossl_verify ALG PUB DATA SIG: OpenSSL's verdict on a libattest signature
ossl_verify() {
	case $1 in
	ed25519)
		openssl pkeyutl -verify -pubin -inkey "$2" -rawin -in "$3" \
		    -sigfile "$4" ;;
	ecdsa-p256)
		openssl dgst -sha256 -verify "$2" -signature "$4" "$3" ;;
	ecdsa-p384)
		openssl dgst -sha384 -verify "$2" -signature "$4" "$3" ;;
	rsa-pss-3072)
		openssl dgst -sha256 -verify "$2" -sigopt rsa_padding_mode:pss \
		    -sigopt rsa_pss_saltlen:32 -signature "$4" "$3" ;;
	*)
		return 2 ;;
	esac
}

# new_hsm DIR LABEL...: a token directory DIR with a config DIR/conf and
# one initialised token per LABEL (user PIN $PIN).
new_hsm() {
	_d=$1
	shift
	mkdir -p "$_d/tokens"
	cat >"$_d/conf" <<EOF
directories.tokendir = $_d/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
EOF
	for _l in "$@"; do
		if ! SOFTHSM2_CONF="$_d/conf" softhsm2-util --init-token \
		    --free --label "$_l" --pin "$PIN" --so-pin "$SOPIN" \
		    >/dev/null; then
			echo "run.sh: cannot initialise token $_l in $_d" >&2
			exit 2
		fi
	done
}

# p11tool DIR TOKEN ARGS...: pkcs11-tool logged in to TOKEN of DIR.
p11tool() {
	_d=$1
	_tok=$2
	shift 2
	SOFTHSM2_CONF="$_d/conf" pkcs11-tool --module "$MOD" \
	    --token-label "$_tok" --login --pin "$PIN" "$@"
}

# listing DIR TOKEN OUT: pkcs11-tool's object listing, logged in.
listing() {
	p11tool "$1" "$2" -O >"$3" 2>/dev/null
}

# URI of object LABEL on token t1 of the main token directory
uri() {
	printf 'pkcs11:token=t1;object=%s?module-path=%s' "$1" "$MOD"
}

# the system token store, to show that no test touched it
sysstate() {
	if [ -d "$SYSTOKENS" ] && [ -r "$SYSTOKENS" ]; then
		find "$SYSTOKENS" -exec ls -ld --time-style=+%s.%N {} + \
		    2>/dev/null | sort | sha256sum
	else
		echo unreadable
	fi
}
SYS_BEFORE=$(sysstate)

# --- the main token: t1 (and t2, for a URI that matches both) --------------

H=$T/hsm
new_hsm "$H" t1 t2
export SOFTHSM2_CONF="$H/conf"
printf '%s\n' "$PIN" >"$T/pin"
printf '9999\n' >"$T/badpin"
echo "release artifact" >"$T/art.bin"

ALGS="ed25519 ecdsa-p256 ecdsa-p384 rsa-pss-3072"

# attest-keygen --pkcs11: generated on the token, PREFIX.pub written
for a in $ALGS; do
	t "keygen --pkcs11 -t $a"
	run "$KEYGEN" --pkcs11 "$(uri "ak-$a")" -t "$a" -o "ak-$a" \
	    --pin-file "$T/pin"
	expect_rc 0
	expect_no_err
	expect_file "ak-$a.pub"
	expect_no_file "ak-$a.key"
	kid=$(cat "$T/out")
	expect_eq "printed key id is the PEM's" "$kid" "$(keyid_of "ak-$a.pub")"
	echo "$kid" >"ak-$a.kid"
done

t "keygen: the private keys are sensitive and never extractable"
listing "$H" t1 "$T/lst"
for a in $ALGS; do
	acc=$($HELP access "$T/lst" "ak-$a")
	case $acc in
	*sensitive*"never extractable"*) ok ;;
	*) bad "ak-$a: Access: $acc" ;;
	esac
done

# pkcs11-tool (OpenSC) key pairs: the same four algorithms, and a
# secp256k1 key that libattest does not use
t "pkcs11-tool --keypairgen"
i=11
for kt in ed25519:EC:edwards25519 ecdsa-p256:EC:prime256v1 \
    ecdsa-p384:EC:secp384r1 rsa-pss-3072:rsa:3072 k1:EC:secp256k1; do
	a=${kt%%:*}
	if p11tool "$H" t1 --keypairgen --key-type "${kt#*:}" --label "pt-$a" \
	    --id "$i" >/dev/null 2>&1; then
		ok
	else
		bad "pkcs11-tool could not make pt-$a"
	fi
	i=$((i + 1))
done

# the public keys on the token, read without libattest: pkcs11-tool
# --read-object (RSA; P-256 too), else CKA_EC_POINT from its listing
listing "$H" t1 "$T/lst"
for k in $(for a in $ALGS; do echo "ak-$a pt-$a"; done); do
	t "independent public key of $k"
	case $k in
	*-rsa-pss-3072|*-ecdsa-p256)
		if p11tool "$H" t1 --read-object --type pubkey \
		    --id "$($HELP id "$T/lst" "$k")" -o "$k.ref.der" \
		    >/dev/null 2>&1
		then
			$HELP keyid "$k.ref.der" >"$k.refkid"
		else
			: >"$k.refkid"
		fi
		;;
	*)
		$HELP spki "$T/lst" "$k" "$k.ref.der" >"$k.refkid"
		;;
	esac
	if [ -s "$k.refkid" ]; then
		ok
	else
		bad "no reference public key"
	fi
done

t "keygen printed the token key's key id"
for a in $ALGS; do
	expect_eq "ak-$a" "$(cat "ak-$a.kid")" "$(cat "ak-$a.refkid")"
done

# --export-public of the pkcs11-tool keys: the same key id
for a in $ALGS; do
	t "export-public pt-$a (pkcs11-tool key)"
	run "$KEYGEN" --pkcs11 "$(uri "pt-$a")" --export-public -o "pt-$a"
	expect_rc 0
	expect_no_err
	expect_file "pt-$a.pub"
	kid=$(cat "$T/out")
	expect_eq "key id against pkcs11-tool's public key" "$kid" \
	    "$(cat "pt-$a.refkid")"
	expect_eq "key id of the PEM" "$kid" "$(keyid_of "pt-$a.pub")"
	echo "$kid" >"pt-$a.kid"
done

# --export-public of the attest-keygen keys: the key id keygen printed
for a in $ALGS; do
	t "export-public ak-$a (attest-keygen key)"
	run "$KEYGEN" --pkcs11 "$(uri "ak-$a")" --export-public \
	    -o "ak-$a.again"
	expect_rc 0
	expect_eq "key id" "$(cat "$T/out")" "$(cat "ak-$a.kid")"
	if cmp -s "ak-$a.pub" "ak-$a.again.pub"; then
		ok
	else
		bad "the exported PEM differs from keygen's"
	fi
done

# --- sign with every key, verify four ways --------------------------------

for who in ak pt; do
	for a in $ALGS; do
		k=$who-$a
		t "sign $k"
		run "$SIGN" -k "$(uri "$k")" --pin-file "$T/pin" -o "$k.json" \
		    "$T/art.bin"
		expect_rc 0
		expect_no_err
		expect_file "$k.json"

		t "attest-verify $k"
		run "$VERIFY" -K "$k.pub" "$k.json" "$T/art.bin"
		expect_rc 0
		expect_out "verified by 1 of 1"

		t "envelope of $k: signature form and key id"
		mkdir -p "$T/$k.d"
		run $HELP envelope "$k.json" "$T/$k.d" "$a"
		expect_rc 0
		expect_eq "envelope keyid" "$(cat "$T/out")" \
		    "keyid $(cat "$k.kid")"

		t "openssl verifies $k over the PAE"
		runf ossl_verify "$a" "$k.pub" "$T/$k.d/pae.bin" \
		    "$T/$k.d/sig.bin"
		expect_rc 0
		expect_out "Verified"

		t "openssl rejects $k over another PAE"
		printf 'x' >>"$T/$k.d/pae.bin"
		runf ossl_verify "$a" "$k.pub" "$T/$k.d/pae.bin" \
		    "$T/$k.d/sig.bin"
		if [ "$RC" -ne 0 ]; then ok; else bad "verified"; fi

		t "securesystemslib verifies $k"
		case $a in
		ed25519|ecdsa-p256)
			# the interop script as it is
			run $SSLIB verify "$k.json" "$k.pub"
			;;
		*)
			run $HELP sslib-verify "$k.json" "$k.pub"
			;;
		esac
		expect_rc 0
		expect_out "verified by securesystemslib"

		t "a forged $k envelope is refused"
		run $SSLIB tamper "$k.json" "$k.bad.json"
		expect_rc 0
		run "$VERIFY" -K "$k.pub" "$k.bad.json" "$T/art.bin"
		expect_rc 1
		run $HELP sslib-verify "$k.bad.json" "$k.pub"
		expect_rc 1
	done
done

t "a signature does not verify under another token key"
run "$VERIFY" -K pt-ed25519.pub ak-ed25519.json "$T/art.bin"
expect_rc 1

t "two token keys in one envelope, one login"
rm -f "$T/spy.log"
run env PKCS11SPY="$MOD" PKCS11SPY_OUTPUT="$T/spy.log" "$SIGN" \
    -k "pkcs11:token=t1;object=ak-ed25519?module-path=$SPY" \
    -k "pkcs11:token=t1;object=pt-ecdsa-p384?module-path=$SPY" \
    --pin-file "$T/pin" -o two.json "$T/art.bin"
expect_rc 0
expect_eq "C_Login calls" "$(grep -c '^[0-9]*: C_Login$' "$T/spy.log")" 1
expect_eq "C_Sign calls" "$(grep -c '^[0-9]*: C_Sign$' "$T/spy.log")" 2
run "$VERIFY" -K ak-ed25519.pub -K pt-ecdsa-p384.pub --threshold 2 \
    two.json "$T/art.bin"
expect_rc 0

# --- PIN sources -------------------------------------------------------------

t "pin-value in the URI works, with a warning"
run "$SIGN" -k "$(uri ak-ed25519)&pin-value=$PIN" -o pv.json "$T/art.bin"
expect_rc 0
expect_err "warning"
expect_err "pin-value=<hidden>"
if grep -F -q -- "pin-value=$PIN" "$T/err"; then
	bad "the PIN is in a message"
else
	ok
fi
run "$VERIFY" -K ak-ed25519.pub pv.json "$T/art.bin"
expect_rc 0

t "a failure with pin-value in the URI does not print the PIN"
run "$SIGN" -k "pkcs11:token=t1;object=nosuch?module-path=$MOD&pin-value=$PIN" \
    -o never.json "$T/art.bin"
expect_rc 2
expect_err "no private key on token t1 matches the URI"
if grep -F -q -- "pin-value=$PIN" "$T/err"; then
	bad "the PIN is in a message"
else
	ok
fi

t "an empty PIN is not tried"
: > "$T/empty-pin"
run "$SIGN" -k "$(uri ak-ed25519)" --pin-file "$T/empty-pin" -o never.json \
    "$T/art.bin"
expect_rc 2
expect_err "empty PIN for token t1: not tried"
expect_no_file never.json

t "pin-source=file: URI"
run "$SIGN" -k "$(uri ak-ecdsa-p256)&pin-source=file:$T/pin" -o ps1.json \
    "$T/art.bin"
expect_rc 0
expect_no_err
run "$VERIFY" -K ak-ecdsa-p256.pub ps1.json "$T/art.bin"
expect_rc 0

t "pin-source=file:/// URI"
run "$SIGN" -k "$(uri ak-ecdsa-p256)&pin-source=file://$T/pin" \
    -o ps2.json "$T/art.bin"
expect_rc 0
expect_no_err

t "pin-source=plain path"
run "$SIGN" -k "$(uri ak-ecdsa-p256)&pin-source=$T/pin" -o ps3.json \
    "$T/art.bin"
expect_rc 0
expect_no_err

t "--pin-env"
run env ATTEST_PIN="$PIN" "$SIGN" -k "$(uri pt-ed25519)" \
    --pin-env ATTEST_PIN -o pe.json "$T/art.bin"
expect_rc 0
expect_no_err
run "$VERIFY" -K pt-ed25519.pub pe.json "$T/art.bin"
expect_rc 0

t "--pin-env names an unset variable"
run "$SIGN" -k "$(uri pt-ed25519)" --pin-env ATTEST_PIN -o pe2.json \
    "$T/art.bin"
expect_rc 2
expect_err "ATTEST_PIN is not set"
expect_no_file pe2.json

t "no PIN and no terminal"
run "$SIGN" -k "$(uri pt-ed25519)" -o np.json "$T/art.bin"
expect_rc 2
expect_err "no terminal to ask for the PIN"
expect_no_file np.json

t "pin-source file missing"
run "$SIGN" -k "$(uri pt-ed25519)&pin-source=file:$T/nopin" -o nf.json \
    "$T/art.bin"
expect_rc 2
expect_err "pin-source $T/nopin: cannot read it"
expect_no_file nf.json

t "pin-source of another scheme"
run "$SIGN" -k "$(uri pt-ed25519)&pin-source=https://example.com/pin" \
    -o ns.json "$T/art.bin"
expect_rc 2
expect_err "only file: URIs and paths"

t "--pin-file and --pin-env together"
run "$SIGN" -k "$(uri pt-ed25519)" --pin-file "$T/pin" --pin-env X \
    -o pp.json "$T/art.bin"
expect_rc 2
expect_err "choose one of --pin-file, --pin-env"

# --- listing -----------------------------------------------------------------

t "--pkcs11-list with a module-path URI"
run "$KEYGEN" --pkcs11-list "pkcs11:token=t1?module-path=$MOD"
expect_rc 0
expect_out "token t1 (serial "
for who in ak pt; do
	for a in $ALGS; do
		case $a in
		ed25519)	n=ed25519 ;;
		ecdsa-p256)	n=ecdsa-p256-sha256 ;;
		ecdsa-p384)	n=ecdsa-p384-sha384 ;;
		rsa-pss-3072)	n=rsa-pss-sha256 ;;
		esac
		kid=$(cat "$who-$a.kid")
		line="^  key label=$who-$a id=[0-9a-f]+ $n keyid=$kid\$"
		if grep -E -q "$line" "$T/out"; then
			ok
		else
			bad "no line for $who-$a ($n, $(cat "$who-$a.kid"))"
			show
		fi
	done
done
expect_out "key label=pt-k1 id=15 (not usable by libattest)"
if grep -q 'token=t2' "$T/out"; then bad "t2 listed"; else ok; fi
cp "$T/out" "$T/list.txt"

t "the URI the listing prints signs"
luri=$(grep -A 1 '^  key label=pt-ecdsa-p256 ' "$T/list.txt" | tail -n 1 |
    tr -d ' ')
case $luri in
pkcs11:*type=private) ok ;;
*) bad "listed URI: $luri" ;;
esac
run "$SIGN" -k "$luri?module-path=$MOD" --pin-file "$T/pin" -o lu.json \
    "$T/art.bin"
expect_rc 0
run "$VERIFY" -K pt-ecdsa-p256.pub lu.json "$T/art.bin"
expect_rc 0

t "--pkcs11-list of both tokens"
run "$KEYGEN" --pkcs11-list "pkcs11:?module-path=$MOD"
expect_rc 0
expect_out "token t1 (serial "
expect_out "token t2 (serial "

if [ -f /usr/share/p11-kit/modules/softhsm2.module ]; then
	t "--pkcs11-list through the p11-kit registry"
	run "$KEYGEN" --pkcs11-list
	expect_rc 0
	expect_out "token t1 (serial "
	expect_out "module softhsm2)"
	expect_out "key label=ak-ed25519 "
fi

# --- keygen refusals ---------------------------------------------------------

t "keygen refuses a label that exists (its own key)"
run "$KEYGEN" --pkcs11 "$(uri ak-ed25519)" -t ed25519 -o again \
    --pin-file "$T/pin"
expect_rc 2
expect_err "token t1 already has an object with the label or id the URI gives"
expect_no_file again.pub
listing "$H" t1 "$T/lst"
expect_eq "objects labelled ak-ed25519" \
    "$($HELP label-count "$T/lst" ak-ed25519)" 2

t "keygen refuses a label that exists (a pkcs11-tool key)"
run "$KEYGEN" --pkcs11 "$(uri pt-ecdsa-p256)" -t ecdsa-p256 -o again \
    --pin-file "$T/pin"
expect_rc 2
expect_err "token t1 already has an object with the label or id the URI gives"
expect_no_file again.pub
expect_eq "objects labelled pt-ecdsa-p256" \
    "$($HELP label-count "$T/lst" pt-ecdsa-p256)" 2

t "keygen refuses an id that exists"
run "$KEYGEN" --pkcs11 "pkcs11:token=t1;id=%11?module-path=$MOD" \
    -t ed25519 -o again --pin-file "$T/pin"
expect_rc 2
expect_err "already has an object with the label or id the URI gives"

t "keygen refuses an existing label under a new id"
run "$KEYGEN" --pkcs11 "pkcs11:token=t1;object=ak-ed25519;id=%77?module-path=$MOD" \
    -t ed25519 -o again --pin-file "$T/pin"
expect_rc 2
expect_err "already has an object with the label or id the URI gives"
expect_no_file again.pub

t "keygen needs object= or id="
run "$KEYGEN" --pkcs11 "pkcs11:token=t1?module-path=$MOD" -o noname \
    --pin-file "$T/pin"
expect_rc 2
expect_err "name the new key with object= and/or id="
expect_no_file noname.pub

t "keygen: an existing PREFIX.pub stops it before the token"
: >exists.pub
run "$KEYGEN" --pkcs11 "$(uri fresh)" -o exists --pin-file "$T/pin"
expect_rc 2
expect_err "exists.pub: exists"
listing "$H" t1 "$T/lst"
expect_eq "objects labelled fresh" "$($HELP label-count "$T/lst" fresh)" 0

t "keygen: --export-public needs --pkcs11"
run "$KEYGEN" --export-public -o x
expect_rc 2
expect_err "--export-public needs --pkcs11 URI"

t "keygen: --pkcs11 takes a pkcs11: URI"
run "$KEYGEN" --pkcs11 "token=t1;object=x" -o x
expect_rc 2
expect_err "--pkcs11 takes a pkcs11: URI"

# --- failures: each its own message, exit 2 ----------------------------------

t "wrong PIN: one C_Login, never retried (pkcs11-spy)"
W=$T/hsm-wrongpin
new_hsm "$W" tw
p11tool "$W" tw --keypairgen --key-type EC:edwards25519 --label wk --id 01 \
    >/dev/null 2>&1
rm -f "$T/spy.log"
run env SOFTHSM2_CONF="$W/conf" PKCS11SPY="$MOD" \
    PKCS11SPY_OUTPUT="$T/spy.log" "$SIGN" \
    -k "pkcs11:token=tw;object=wk?module-path=$SPY" \
    --pin-file "$T/badpin" -o wp.json "$T/art.bin"
expect_rc 2
expect_err "PIN incorrect for token tw (CKR_PIN_INCORRECT)"
expect_err "not retried"
expect_no_file wp.json
expect_eq "C_Login calls" "$(grep -c '^[0-9]*: C_Login$' "$T/spy.log")" 1
expect_eq "CKR_PIN_INCORRECT returns" \
    "$(grep -c 'CKR_PIN_INCORRECT' "$T/spy.log")" 1
expect_eq "C_Sign calls" "$(grep -c '^[0-9]*: C_Sign' "$T/spy.log")" 0

t "wrong PIN on keygen: one C_Login, no key made"
rm -f "$T/spy.log"
run env SOFTHSM2_CONF="$W/conf" PKCS11SPY="$MOD" \
    PKCS11SPY_OUTPUT="$T/spy.log" "$KEYGEN" \
    --pkcs11 "pkcs11:token=tw;object=wk2?module-path=$SPY" \
    --pin-file "$T/badpin" -o wk2
expect_rc 2
expect_err "PIN incorrect for token tw (CKR_PIN_INCORRECT)"
expect_no_file wk2.pub
expect_eq "C_Login calls" "$(grep -c '^[0-9]*: C_Login$' "$T/spy.log")" 1
expect_eq "C_GenerateKeyPair calls" \
    "$(grep -c '^[0-9]*: C_GenerateKeyPair' "$T/spy.log")" 0

# A PIN is at most ATTEST_MAX_PASSPHRASE_BYTES (1024) bytes, its file's
# line end not counted (issue 14 §6: --pin-file counted the newline and
# refused a PIN of 1024 bytes).  SoftHSM2 has no PIN that long: it says
# CKR_PIN_INCORRECT, which shows that the whole PIN reached C_Login.
awk 'BEGIN { while (n++ < 1024) printf "x"; printf "\n" }' >"$T/pin1024"
awk 'BEGIN { while (n++ < 1025) printf "x"; printf "\n" }' >"$T/pin1025"
for how in pin-file pin-source; do
	if [ "$how" = pin-file ]; then
		k1="pkcs11:token=tw;object=wk?module-path=$SPY"
		a1="--pin-file $T/pin1024"
		k2=$k1
		a2="--pin-file $T/pin1025"
		e2="$T/pin1025: PIN longer than 1024 bytes"
	else
		k1="pkcs11:token=tw;object=wk?module-path=$SPY&pin-source=file:$T/pin1024"
		a1=
		k2="pkcs11:token=tw;object=wk?module-path=$SPY&pin-source=file:$T/pin1025"
		a2=
		e2="pin-source $T/pin1025: PIN longer than 1024 bytes"
	fi
	t "$how: a PIN of the maximum length (1024 bytes) reaches the token"
	rm -f "$T/spy.log"
	# shellcheck disable=SC2086
	run env SOFTHSM2_CONF="$W/conf" PKCS11SPY="$MOD" \
	    PKCS11SPY_OUTPUT="$T/spy.log" "$SIGN" -k "$k1" $a1 \
	    -o max.json "$T/art.bin"
	expect_rc 2
	expect_err "PIN incorrect for token tw (CKR_PIN_INCORRECT)"
	expect_eq "C_Login calls" \
	    "$(grep -c '^[0-9]*: C_Login$' "$T/spy.log")" 1
	expect_eq "C_Login PINs of 1024 bytes" \
	    "$(grep -c '^\[in\] pPin\[ulPinLen\] .* / 1024$' "$T/spy.log")" 1
	expect_no_file max.json

	t "$how: a PIN one byte longer is refused before any login"
	rm -f "$T/spy.log"
	# shellcheck disable=SC2086
	run env SOFTHSM2_CONF="$W/conf" PKCS11SPY="$MOD" \
	    PKCS11SPY_OUTPUT="$T/spy.log" "$SIGN" -k "$k2" $a2 \
	    -o max.json "$T/art.bin"
	expect_rc 2
	expect_err "$e2"
	expect_eq "C_Login calls" \
	    "$(grep -c '^[0-9]*: C_Login$' "$T/spy.log" 2>/dev/null)" 0
	expect_no_file max.json
done

t "the right PIN still works on that token"
run env SOFTHSM2_CONF="$W/conf" "$SIGN" \
    -k "pkcs11:token=tw;object=wk?module-path=$MOD" \
    --pin-file "$T/pin" -o wp.json "$T/art.bin"
expect_rc 0

t "missing token"
run "$SIGN" -k "pkcs11:token=nosuch;object=ak-ed25519?module-path=$MOD" \
    --pin-file "$T/pin" -o mt.json "$T/art.bin"
expect_rc 2
expect_err "no token matches the URI"
expect_no_file mt.json

t "missing object"
run "$SIGN" -k "$(uri nosuch)" --pin-file "$T/pin" -o mo.json "$T/art.bin"
expect_rc 2
expect_err "no private key on token t1 matches the URI"
expect_no_file mo.json

t "missing object on export"
run "$KEYGEN" --pkcs11 "$(uri nosuch)" --export-public -o mo \
    --pin-file "$T/pin"
expect_rc 2
expect_err "no public key on token t1 matches the URI"
expect_no_file mo.pub

t "two objects with the same label: ambiguous, candidates listed"
p11tool "$H" t1 --keypairgen --key-type EC:prime256v1 --label dup --id 21 \
    >/dev/null 2>&1
p11tool "$H" t1 --keypairgen --key-type EC:prime256v1 --label dup --id 22 \
    >/dev/null 2>&1
run "$SIGN" -k "$(uri dup)" --pin-file "$T/pin" -o am.json "$T/art.bin"
expect_rc 2
expect_err "2 private keys match the URI on token t1"
expect_err "object=dup;id=%21"
expect_err "object=dup;id=%22"
expect_err "name one with object= or id="
expect_no_file am.json
run "$KEYGEN" --pkcs11 "$(uri dup)" --export-public -o am
expect_rc 2
expect_err "2 public keys match the URI on token t1"
run "$SIGN" -k "pkcs11:token=t1;object=dup;id=%22?module-path=$MOD" \
    --pin-file "$T/pin" -o am.json "$T/art.bin"
expect_rc 0

# the longest candidate descriptions (a 62-byte label, 22-byte ids: 139
# bytes each), as many as are listed: once overflowed the list buffer
t "ambiguous among 8 keys with long labels and ids"
A=$T/hsm-many
new_hsm "$A" tm
lbl=$(printf 'm%.0s' $(seq 62))
for i in 1 2 3 4 5 6 7 8; do
	p11tool "$A" tm --keypairgen --key-type EC:prime256v1 --label "$lbl" \
	    --id "0$i$(printf 'cd%.0s' $(seq 21))" >/dev/null 2>&1 ||
	    bad "pkcs11-tool could not make key $i"
done
run env SOFTHSM2_CONF="$A/conf" "$SIGN" \
    -k "pkcs11:token=tm;object=$lbl?module-path=$MOD" --pin-file "$T/pin" \
    -o am8.json "$T/art.bin"
expect_rc 2
expect_err "at least 8 private keys match the URI on token tm"
expect_no_file am8.json

t "a URI that matches two tokens: ambiguous, candidates listed"
run "$SIGN" -k "pkcs11:object=ak-ed25519?module-path=$MOD" \
    --pin-file "$T/pin" -o at.json "$T/art.bin"
expect_rc 2
expect_err "2 tokens match the URI"
expect_err "token=t1;serial="
expect_err "token=t2;serial="
expect_no_file at.json

t "unsupported key type: secp256k1 (pkcs11-tool)"
run "$SIGN" -k "$(uri pt-k1)" --pin-file "$T/pin" -o k1.json "$T/art.bin"
expect_rc 2
expect_err "the key's curve (CKA_EC_PARAMS) is not P-256, P-384 or Ed25519"
expect_no_file k1.json
run "$KEYGEN" --pkcs11 "$(uri pt-k1)" --export-public -o k1
expect_rc 2
expect_err "is not P-256, P-384 or Ed25519"

# SoftHSM's slots.mechanisms: an allow-list without CKM_EDDSA.  (Its
# "-CKM_X" deny form ignores the first name in SoftHSM 2.6.1, and its
# C_GetMechanismInfo ignores the setting: C_SignInit is what refuses.)
t "a token without CKM_EDDSA"
mechs=CKM_EC_KEY_PAIR_GEN,CKM_ECDSA,CKM_EC_EDWARDS_KEY_PAIR_GEN
mechs=$mechs,CKM_RSA_PKCS_KEY_PAIR_GEN,CKM_RSA_PKCS_PSS
sed "s/^slots.mechanisms = ALL\$/slots.mechanisms = $mechs/" "$H/conf" \
    >"$H/conf-noeddsa"
run env SOFTHSM2_CONF="$H/conf-noeddsa" "$SIGN" -k "$(uri ak-ed25519)" \
    --pin-file "$T/pin" -o nm.json "$T/art.bin"
expect_rc 2
expect_err_re "does not support CKM_EDDSA|CKR_MECHANISM_INVALID"
expect_no_file nm.json
run env SOFTHSM2_CONF="$H/conf-noeddsa" "$SIGN" -k "$(uri ak-ecdsa-p256)" \
    --pin-file "$T/pin" -o nm.json "$T/art.bin"
expect_rc 0

t "module path that does not exist"
run "$SIGN" -k "pkcs11:token=t1;object=ak-ed25519?module-path=$T/nosuch.so" \
    --pin-file "$T/pin" -o mp.json "$T/art.bin"
expect_rc 2
expect_err "PKCS#11 module not found or not loadable: $T/nosuch.so"
expect_no_file mp.json
run "$KEYGEN" --pkcs11-list "pkcs11:?module-path=$T/nosuch.so"
expect_rc 2
expect_err "PKCS#11 module not found or not loadable"

t "module path that is not a PKCS#11 module"
run "$SIGN" -k "pkcs11:token=t1;object=ak-ed25519?module-path=$T/pin" \
    --pin-file "$T/pin" -o mp.json "$T/art.bin"
expect_rc 2
expect_err "PKCS#11 module not found or not loadable: $T/pin"

t "the module cannot start (SOFTHSM2_CONF names no file)"
run env SOFTHSM2_CONF="$T/nosuch.conf" "$SIGN" -k "$(uri ak-ed25519)" \
    --pin-file "$T/pin" -o ms.json "$T/art.bin"
expect_rc 2
expect_err "cannot initialise the PKCS#11 module"
expect_no_file ms.json

t "unknown URI attribute"
run "$SIGN" -k "pkcs11:token=t1;object=ak-ed25519;color=blue?module-path=$MOD" \
    --pin-file "$T/pin" -o ua.json "$T/art.bin"
expect_rc 2
expect_err "the pkcs11: URI has attributes p11-kit does not know"
expect_no_file ua.json
run "$KEYGEN" --pkcs11 "pkcs11:token=t1;object=ua;x-vendor=1?module-path=$MOD" \
    -o ua --pin-file "$T/pin"
expect_rc 2
expect_err "the pkcs11: URI has attributes p11-kit does not know"
expect_no_file ua.pub

t "malformed URI"
run "$SIGN" -k "pkcs11:token=t1;id=%zz?module-path=$MOD" --pin-file "$T/pin" \
    -o mu.json "$T/art.bin"
expect_rc 2
expect_err "not a valid pkcs11: URI"

# the private key goes away while attest-sign hashes its artifact (a
# FIFO): the signer is open, C_SignInit finds no key
t "key deleted between opening the signer and signing"
D=$T/hsm-delete
new_hsm "$D" td
p11tool "$D" td --keypairgen --key-type EC:prime256v1 --label gone --id 01 \
    >/dev/null 2>&1
p11tool "$D" td --keypairgen --key-type EC:prime256v1 --label gone2 \
    --id 02 >/dev/null 2>&1
mkfifo "$T/art.fifo"
SOFTHSM2_CONF="$D/conf" $NOTTY "$SIGN" \
    -k "pkcs11:token=td;object=gone?module-path=$MOD" --pin-file "$T/pin" \
    -o dl.json "$T/art.fifo" <"$T/null" >"$T/out" 2>"$T/err" &
spid=$!
SOFTHSM2_CONF="$D/conf" $HELP fifo-delete "$T/art.fifo" pkcs11-tool \
    --module "$MOD" --token-label td --login --pin "$PIN" --delete-object \
    --type privkey --label gone >"$T/fifo.out" 2>&1 ||
    bad "fifo-delete: $(cat "$T/fifo.out")"
wait "$spid"
RC=$?
sanitized
expect_rc 2
expect_err "the key is no longer on the token"
expect_err_re "CKR_(KEY|OBJECT)_HANDLE_INVALID"
expect_no_file dl.json

t "key deleted between listing and signing"
run env SOFTHSM2_CONF="$D/conf" "$KEYGEN" --pkcs11-list \
    "pkcs11:token=td?module-path=$MOD"
expect_rc 0
luri=$(grep -A 1 '^  key label=gone2 ' "$T/out" | tail -n 1 | tr -d ' ')
p11tool "$D" td --delete-object --type privkey --label gone2 >/dev/null 2>&1
run env SOFTHSM2_CONF="$D/conf" "$SIGN" -k "$luri?module-path=$MOD" \
    --pin-file "$T/pin" -o dl2.json "$T/art.bin"
expect_rc 2
expect_err "no private key on token td matches the URI"
expect_no_file dl2.json

t "a token's own label cannot drive the terminal (listing, PIN prompt)"
# a token labelled ESC [2J, BEL, CSI (U+009B), DEL, U+202E
new_hsm "$T/hh" "$HOSTILE"
ENC=$("$PY" -c 'import os, sys, urllib.parse
print(urllib.parse.quote(os.fsencode(sys.argv[1]), safe=""))' "$HOSTILE")
run env SOFTHSM2_CONF="$T/hh/conf" "$KEYGEN" --pkcs11-list \
    "pkcs11:?module-path=$MOD"
expect_rc 0
expect_out "token $HOSTILE_SHOWN (serial "
expect_no_controls
run env SOFTHSM2_CONF="$T/hh/conf" "$KEYGEN" --pkcs11 \
    "pkcs11:token=$ENC;object=hk?module-path=$MOD" -t ed25519 -o hk
expect_rc 2
expect_err "no terminal to ask for the PIN for token $HOSTILE_SHOWN"
expect_no_controls
expect_no_file hk.pub

t "no system token was touched"
expect_eq "system token store" "$(sysstate)" "$SYS_BEFORE"

if [ -s "$T/lsan.used" ]; then
	awk '{ n[$3] += $1; b[$3] += $2 } END { for (m in n) printf \
	    "LeakSanitizer: suppressed %d leaked blocks (%d bytes)" \
	    " inside %s\n", n[m], b[m], m }' "$T/lsan.used" | sort
fi
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
