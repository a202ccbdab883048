#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# DSSE interop between the attest-* tools and Debian's
# python3-securesystemslib (0.26), both directions, Ed25519 and ECDSA P-256.
#
#   sh tests/interop/run.sh BUILD_DIR		(make check-interop)
#
# The Python side (sslib_dsse.py) builds PAE and envelopes from the DSSE
# spec and uses securesystemslib for keys, signing and verification.
# Prints "N passed, M failed" last and exits non-zero when M > 0.

set -u
LIB=$(cd "$(dirname "$0")/.." && pwd)/lib.sh

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/interop/run.sh BUILD_DIR" >&2
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
SSLIB="$PY $HERE/sslib_dsse.py"
ECDSA_ENVELOPES=16

for tool in "$KEYGEN" "$SIGN" "$VERIFY"; do
	if [ ! -x "$tool" ]; then
		echo "run.sh: $tool: not built (run make first)" >&2
		exit 2
	fi
done
if ! "$PY" -c 'import securesystemslib, cryptography, nacl' 2>/dev/null; then
	echo "run.sh: $PY lacks securesystemslib, cryptography or nacl" \
	    "(apt-get install python3-securesystemslib python3-cryptography" \
	    "python3-nacl)" >&2
	exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/attest-interop.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
cd "$T" || exit 2
umask 022
: >"$T/null"

. "$LIB"
sanitizer_exit_codes
no_terminal


# run CMD...: stdout in $T/out, stderr in $T/err, exit code in RC
run() {
	$NOTTY "$@" <"$T/null" >"$T/out" 2>"$T/err"
	RC=$?
	if grep -E -q 'Sanitizer|runtime error:' "$T/err"; then
		bad "sanitizer report (exit $RC)"
		show
	fi
}

expect_ne() {
	if [ "$2" != "$3" ]; then
		ok
	else
		bad "$1: both are \"$2\""
	fi
}

# jget FILE PATH: a field of a JSON file (dotted path, strings raw)
jget() {
	"$PY" - "$1" "$2" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))
for p in sys.argv[2].split("."):
    v = v[int(p)] if isinstance(v, list) else v[p]
print(v if isinstance(v, str) else json.dumps(v))
EOF
}

printf 'correct horse battery staple\n' >pw
printf 'interop artifact\n' >artifact.bin
printf 'plain payload \000\001\002 for securesystemslib\n' >payload.bin
KDF="--kdf-opslimit 1 --kdf-memlimit 8"

# --- attest-sign -> securesystemslib -----------------------------------------

t "attest-keygen"
run "$KEYGEN" -t ed25519 -o ed $KDF --passphrase-file pw
expect_rc 0
run "$KEYGEN" -t ecdsa-p256 -o p256 $KDF --passphrase-file pw
expect_rc 0

for k in ed p256; do
	t "attest-sign $k -> securesystemslib"
	run "$SIGN" -k "$k.key" --passphrase-file pw -o "$k.dsse" artifact.bin
	expect_rc 0
	run $SSLIB verify "$k.dsse" "$k.pub"
	expect_rc 0
	expect_out "all 1 signatures verified"

	t "attest-sign $k -> securesystemslib, altered copies rejected"
	run $SSLIB reject-altered "$k.dsse" "$k.pub"
	expect_rc 0
	expect_out "altered payload: rejected"
	expect_out "altered payloadType: rejected"

	t "attest-sign $k -> securesystemslib, wrong key rejected"
	if [ "$k" = ed ]; then other="p256"; else other="ed"; fi
	run $SSLIB verify "$k.dsse" "$other.pub"
	expect_rc 1

	t "attest-sign $k --payload -> securesystemslib"
	run "$SIGN" -k "$k.key" --passphrase-file pw --payload payload.bin \
	    --payload-type application/octet-stream -o "$k.pay.dsse"
	expect_rc 0
	run $SSLIB verify "$k.pay.dsse" "$k.pub"
	expect_rc 0
	run $SSLIB reject-altered "$k.pay.dsse" "$k.pub"
	expect_rc 0
done

t "attest-sign two keys -> securesystemslib"
run "$SIGN" -k ed.key -k p256.key --passphrase-file pw -o both.dsse \
    artifact.bin
expect_rc 0
run $SSLIB verify both.dsse ed.pub p256.pub
expect_rc 0
expect_out "all 2 signatures verified"
run $SSLIB reject-altered both.dsse ed.pub p256.pub
expect_rc 0
# one key alone leaves one signature unverified
run $SSLIB verify both.dsse ed.pub
expect_rc 1

t "attest-sign ECDSA, several signatures -> securesystemslib"
i=0
while [ $i -lt 8 ]; do
	run "$SIGN" -k p256.key --passphrase-file pw -o "p256-$i.dsse" \
	    artifact.bin
	expect_rc 0
	run $SSLIB verify "p256-$i.dsse" p256.pub
	expect_rc 0
	i=$((i + 1))
done

# --- securesystemslib -> attest-verify -----------------------------------------

t "securesystemslib ed25519 -> attest-verify"
run $SSLIB sign ed25519 artifact.bin s-ed 1
expect_rc 0
expect_out "envelopes 1"
sslib_ed_id=$(sed -n 's/^keyid //p' "$T/out")
expect_eq "envelope keyid" "$(jget s-ed-000.dsse signatures.0.keyid)" \
    "$sslib_ed_id"
# the test means something only when the key ids differ
expect_ne "securesystemslib vs libattest key id" "$sslib_ed_id" \
    "$(keyid_of s-ed.pub.pem)"
run "$VERIFY" -K s-ed.pub.pem s-ed-000.dsse artifact.bin
expect_rc 0
expect_out "artifact.bin: OK (subject artifact.bin)"
run "$VERIFY" --json -K s-ed.pub.pem s-ed-000.dsse artifact.bin
expect_rc 0
expect_eq "--json keyid (libattest's)" "$(jget "$T/out" keys.0.keyid)" \
    "$(keyid_of s-ed.pub.pem)"
expect_eq "--json algorithm" "$(jget "$T/out" keys.0.algorithm)" ed25519
expect_eq "--json predicateType" "$(jget "$T/out" predicateType)" \
    "https://example.com/libattest/interop/v1"
# and securesystemslib agrees with itself through a libattest .pub
run $SSLIB verify s-ed-000.dsse s-ed.pub.pem
expect_rc 0

t "securesystemslib ed25519 -> attest-verify, tampered"
run $SSLIB tamper s-ed-000.dsse s-ed-tampered.dsse
expect_rc 0
run "$VERIFY" -K s-ed.pub.pem s-ed-tampered.dsse artifact.bin
expect_rc 1
run "$VERIFY" -K s-ed.pub.pem s-ed-tampered.dsse
expect_rc 1

t "securesystemslib ed25519 -> attest-verify, other key"
run "$VERIFY" -K ed.pub s-ed-000.dsse artifact.bin
expect_rc 1

t "securesystemslib ecdsa -> attest-verify"
run $SSLIB sign ecdsa artifact.bin s-ec $ECDSA_ENVELOPES
expect_rc 0
cp "$T/out" s-ec.log
sslib_ec_id=$(sed -n 's/^keyid //p' s-ec.log)
nenv=$(sed -n 's/^envelopes \([0-9]*\) high-s [0-9]*$/\1/p' s-ec.log)
nhigh=$(sed -n 's/^envelopes [0-9]* high-s \([0-9]*\)$/\1/p' s-ec.log)
nenv=${nenv:-0}
nhigh=${nhigh:-0}
echo "securesystemslib ECDSA P-256: $nenv envelopes, $nhigh high-S signatures"
expect_ne "securesystemslib vs libattest key id" "$sslib_ec_id" \
    "$(keyid_of s-ec.pub.pem)"
if [ "$nenv" -ge "$ECDSA_ENVELOPES" ]; then
	ok
else
	bad "only $nenv envelopes signed"
fi
if [ "$nhigh" -ge 1 ]; then
	ok
else
	bad "no high-S signature among $nenv"
fi
i=0
nver=0
while [ $i -lt "$nenv" ]; do
	f=$(printf 's-ec-%03d.dsse' $i)
	run "$VERIFY" -K s-ec.pub.pem "$f" artifact.bin
	expect_rc 0
	[ "$RC" -eq 0 ] && nver=$((nver + 1))
	i=$((i + 1))
done
echo "attest-verify accepted $nver of $nenv securesystemslib ECDSA envelopes"
expect_eq "verified envelopes" "$nver" "$nenv"

t "securesystemslib ecdsa -> attest-verify --json"
run "$VERIFY" --json -K s-ec.pub.pem s-ec-000.dsse artifact.bin
expect_rc 0
expect_eq "--json keyid (libattest's)" "$(jget "$T/out" keys.0.keyid)" \
    "$(keyid_of s-ec.pub.pem)"
expect_eq "--json algorithm" "$(jget "$T/out" keys.0.algorithm)" \
    ecdsa-p256-sha256

t "securesystemslib ecdsa -> attest-verify, tampered"
i=0
while [ $i -lt 4 ]; do
	f=$(printf 's-ec-%03d' $i)
	run $SSLIB tamper "$f.dsse" "$f.tampered.dsse"
	expect_rc 0
	run "$VERIFY" -K s-ec.pub.pem "$f.tampered.dsse" artifact.bin
	expect_rc 1
	i=$((i + 1))
done

t "securesystemslib ecdsa -> attest-verify, other key"
run "$VERIFY" -K p256.pub s-ec-000.dsse artifact.bin
expect_rc 1

t "securesystemslib ecdsa -> attest-verify, changed artifact"
printf 'interop artifacT\n' >changed.bin
cp changed.bin artifact2.bin
run "$VERIFY" -K s-ec.pub.pem s-ec-000.dsse artifact2.bin
expect_rc 1

t "securesystemslib, both keys -> attest-verify --threshold 2"
# s-ed-000 and s-ec-000 carry the same Statement (same artifact, index 0):
# one envelope with both signatures
expect_eq "same payload" "$(jget s-ed-000.dsse payload)" \
    "$(jget s-ec-000.dsse payload)"
"$PY" - s-ed-000.dsse s-ec-000.dsse both-sslib.dsse <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
a["signatures"] += b["signatures"]
json.dump(a, open(sys.argv[3], "w"))
EOF
run "$VERIFY" -K s-ed.pub.pem -K s-ec.pub.pem --threshold 2 \
    both-sslib.dsse artifact.bin
expect_rc 0
expect_out "verified by 2 of 2 required keys"
run "$VERIFY" -K s-ed.pub.pem -K ed.pub --threshold 2 both-sslib.dsse
expect_rc 1

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
