#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# attest-sign and attest-keygen through SoftHSM2 under valgrind memcheck:
# any memory error or definite/indirect leak fails.  (make check-valgrind)
#
#   sh tests/pkcs11/valgrind.sh BUILD_DIR
#
# Leaks whose stacks lie entirely inside SoftHSM2 or p11-kit are
# suppressed by tests/pkcs11/softhsm.supp and counted apart: the last
# lines say how many blocks it suppressed, per entry.  The token directory
# is a temporary one (SOFTHSM2_CONF).
set -u
B=${1:?usage: valgrind.sh BUILD_DIR}
case $B in
/*)	;;
*)	B=$(pwd)/$B ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
SUPP=$HERE/softhsm.supp
MOD=/usr/lib/softhsm/libsofthsm2.so
for need in valgrind softhsm2-util pkcs11-tool; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "valgrind.sh: $need: not found (make test-deps)" >&2
		exit 2
	fi
done
if [ ! -e "$MOD" ]; then
	echo "valgrind.sh: $MOD: not found (apt-get install softhsm2)" >&2
	exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/attest-pkcs11-vg.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' HUP INT TERM
cd "$work" || exit 2

mkdir tokens
cat >softhsm2.conf <<EOF
directories.tokendir = $work/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
EOF
SOFTHSM2_CONF=$work/softhsm2.conf
export SOFTHSM2_CONF
unset PKCS11SPY PKCS11SPY_OUTPUT 2>/dev/null
softhsm2-util --init-token --free --label vg --pin 1234 --so-pin 5678 \
    >/dev/null || exit 2
P="--module $MOD --token-label vg --login --pin 1234"
# shellcheck disable=SC2086
pkcs11-tool $P --keypairgen --key-type EC:prime256v1 --label p256 --id 01 \
    >/dev/null 2>&1 || exit 2
printf '1234\n' >pin
printf '9999\n' >badpin
echo artifact >a.bin
U="pkcs11:token=vg;object"
Q="module-path=$MOD"

pass=0
fail=0
: >used
# vg NAME CMD...: want=N in the environment is the expected exit code
# shellcheck disable=SC2154
vg() {
	name=$1
	shift
	rm -f "$work/vg.log"
	valgrind --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    --suppressions="$SUPP" -s --log-file="$work/vg.log" \
	    "$@" >"$work/out" 2>"$work/err"
	rc=$?
	: >>"$work/vg.log"
	errs=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' \
	    "$work/vg.log" | tail -n 1)
	# "used_suppression: N NAME FILE:LINE suppressed: X bytes in Y blocks"
	grep 'used_suppression:' "$work/vg.log" | grep -F "$SUPP" |
	    sed -e 's/^[-=]*[0-9]*[-=]* *used_suppression: *//' \
	    -e "s|^|$name: |" >>used
	if [ "$rc" -eq "$want" ] && [ "${errs:-x}" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name (exit $rc, want $want; errors ${errs:-?})"
		# the error records: from their first line to a blank one
		first='^==[0-9]*== \(Invalid\|Conditional\|Syscall\|.* lost \)'
		sed -n "/$first/,/^==[0-9]*== \$/p" "$work/vg.log" |
		    head -60 | sed 's/^/    /'
		sed 's/^/    stderr: /' "$work/err" | head -5
	fi
}

want=0 vg "keygen --pkcs11 ed25519" "$B/attest-keygen" \
    --pkcs11 "$U=ed?$Q" -t ed25519 -o ed --pin-file pin
want=0 vg "sign ed25519 (keygen key)" "$B/attest-sign" \
    -k "$U=ed?$Q" --pin-file pin -o ed.json a.bin
want=0 vg "sign ecdsa-p256 (pkcs11-tool key)" "$B/attest-sign" \
    -k "$U=p256?$Q&pin-source=file:$work/pin" -o p256.json a.bin
want=0 vg "sign with two token keys" "$B/attest-sign" \
    -k "$U=ed?$Q" -k "$U=p256?$Q" --pin-file pin -o two.json a.bin
want=0 vg "export-public" "$B/attest-keygen" --pkcs11 "$U=p256?$Q" \
    --export-public -o p256
want=0 vg "pkcs11-list" "$B/attest-keygen" --pkcs11-list "pkcs11:?$Q"
want=2 vg "sign wrong PIN" "$B/attest-sign" -k "$U=ed?$Q" \
    --pin-file badpin -o never.json a.bin
want=2 vg "sign missing key" "$B/attest-sign" -k "$U=nosuch?$Q" \
    --pin-file pin -o never.json a.bin
want=2 vg "sign missing module" "$B/attest-sign" \
    -k "$U=ed?module-path=$work/nosuch.so" --pin-file pin -o never.json a.bin
# the signatures are good (no valgrind needed for that)
"$B/attest-verify" -K ed.pub -K p256.pub --threshold 2 two.json a.bin \
    >/dev/null || { echo "FAIL: two.json does not verify"; fail=$((fail + 1)); }

blocks=$(awk '{ for (i = 1; i < NF; i++)
	if ($i == "in" && $(i + 2) ~ /^blocks?$/) s += $(i + 1) }
    END { print s + 0 }' used)
echo "valgrind (pkcs11): SoftHSM2/p11-kit-internal leaks suppressed by" \
    "softhsm.supp: $blocks blocks"
if [ -s used ]; then
	sed 's/^/    /' used
fi
echo "valgrind (pkcs11): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
