#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# attest-keygen --fido, attest-sign with a .fido handle and attest-verify
# under valgrind memcheck, with softfido (LD_PRELOAD) as the security key:
# any memory error or definite/indirect leak fails, on the success paths
# and on a device failure, a wrong PIN and a counter regression.
# (make check-valgrind)
#
#   sh tests/fido/valgrind.sh BUILD_DIR
set -u
B=${1:?usage: valgrind.sh BUILD_DIR}
case $B in
/*)	;;
*)	B=$(pwd)/$B ;;
esac
SOFTFIDO=$B/tests/fido/softfido.so
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind.sh: valgrind: not found (make test-deps)" >&2
	exit 2
fi
if [ ! -e "$SOFTFIDO" ]; then
	echo "valgrind.sh: $SOFTFIDO: not built" >&2
	exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/attest-fido-vg.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' HUP INT TERM
cd "$work" || exit 2
mkdir sf
SOFTFIDO_DIR=$work/sf
export SOFTFIDO_DIR
unset ATTEST_FIDO_DEVICE 2>/dev/null
printf '4821\n' >pin
printf '1111\n' >badpin
echo artifact >a.bin

pass=0
fail=0
# vg NAME WANT CMD...: run CMD under memcheck, softfido preloaded
vg() {
	name=$1
	want=$2
	shift 2
	rm -f "$work/vg.log"
	LD_PRELOAD=$SOFTFIDO valgrind --leak-check=full \
	    --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    --log-file="$work/vg.log" "$@" >"$work/out" 2>"$work/err"
	rc=$?
	errs=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' \
	    "$work/vg.log" | tail -n 1)
	if [ "$rc" -eq "$want" ] && [ "${errs:-x}" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: exit $rc (want $want), errors ${errs:-?}"
		sed 's/^/\t/' "$work/err" | head -n 10
		grep -E '^==[0-9]+== (Invalid|Conditional|Use of|.*definitely|.*indirectly)' \
		    "$work/vg.log" | head -n 10
	fi
}

echo devices=1 >sf/config
vg "list" 0 "$B/attest-keygen" --fido-list
vg "keygen es256" 0 "$B/attest-keygen" --fido -o es
vg "keygen eddsa" 0 "$B/attest-keygen" --fido -t eddsa -o ed
vg "sign es256" 0 "$B/attest-sign" -k es.fido -o es.dsse a.bin
vg "sign eddsa" 0 "$B/attest-sign" -k ed.fido -o ed.dsse a.bin
vg "verify" 0 "$B/attest-verify" -K es.pub --fido-counter-state st es.dsse a.bin
vg "verify regression" 1 "$B/attest-verify" -K es.pub \
    --fido-counter-state st --require-uv es.dsse
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout ca.key -out ca.pem -days 30 -subj "/CN=vg root" \
    >/dev/null 2>&1 || exit 2
vg "attestation (self)" 1 "$B/attest-verify" -K es.pub \
    --fido-attestation-roots ca.pem es.dsse
printf 'devices=1\nfault=lose-cred\n' >sf/config
vg "sign lost credential" 2 "$B/attest-sign" -k es.fido -o x.dsse a.bin
printf 'devices=1\nfault=disconnect\n' >sf/config
vg "sign disconnect" 2 "$B/attest-sign" -k es.fido -o x.dsse a.bin
rm -f sf/dev0/removed
printf 'devices=1\npin=4821\n' >sf/config
vg "keygen --uv" 0 "$B/attest-keygen" --fido --uv --pin-file pin -o uv
vg "sign with PIN" 0 "$B/attest-sign" -k uv.fido --pin-file pin -o uv.dsse a.bin
vg "sign wrong PIN" 2 "$B/attest-sign" -k uv.fido --pin-file badpin -o y.dsse a.bin
printf 'devices=2\n' >sf/config
vg "sign two devices" 2 "$B/attest-sign" -k es.fido -o z.dsse a.bin
echo "valgrind (FIDO): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
