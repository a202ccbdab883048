#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# attest-chain under valgrind memcheck: verify (a chain that holds, one
# that does not, --json, --sign-summary, a directory on two threads),
# import and distribute (written and refused).  Any memory error or
# definite/indirect leak fails.  (make check-valgrind)
#
#   sh tests/chain/valgrind.sh BUILD_DIR
#
# The example chain is built outside valgrind (keys-example/mkchain.sh).
set -u
B=${1:?usage: valgrind.sh BUILD_DIR}
case $B in
/*)	;;
*)	B=$(pwd)/$B ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
ROOT=$(cd "$HERE/../.." && pwd) || exit 2
KX=$ROOT/keys-example
CHAIN=$B/attest-chain
PY=/usr/bin/python3
for need in valgrind "$PY"; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "valgrind.sh: $need: not found (make test-deps)" >&2
		exit 2
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/attest-chain-vg.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' HUP INT TERM
cd "$work" || exit 2

pass=0
fail=0
# vg NAME WANT CMD...: CMD under memcheck must exit WANT with no error
vg() {
	name=$1
	want=$2
	shift 2
	valgrind --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    --log-file="$work/vg.log" "$@" >"$work/out" 2>"$work/err"
	rc=$?
	errs=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' \
	    "$work/vg.log" | tail -n 1)
	if [ "$rc" -eq "$want" ] && [ "${errs:-x}" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name (exit $rc, want $want; errors ${errs:-?})"
		first='^==[0-9]*== \(Invalid\|Conditional\|Syscall\|.* lost \)'
		sed -n "/$first/,/^==[0-9]*== \$/p" "$work/vg.log" |
		    head -60 | sed 's/^/    /'
		sed 's/^/    stderr: /' "$work/err" | head -5
	fi
}

sh "$KX/mkchain.sh" "$B" "$work/c" 5 >/dev/null 2>&1 || exit 2
P="--policy $KX/policy.json --at 2028-03-01"
PW="--passphrase-file $KX/PASSPHRASE-NOT-SECRET.txt"
C=$work/c
"$PY" - "$C/chain.intoto.jsonl" bad.intoto.jsonl <<'PY' || exit 2
import sys
l = open(sys.argv[1]).read().splitlines()
l[3], l[4] = l[4], l[3]
open(sys.argv[2], "w").write("\n".join(l) + "\n")
PY
mkdir many
for i in 1 2 3; do cp "$C/chain.intoto.jsonl" many/p$i.intoto.jsonl; done
cp bad.intoto.jsonl many/p4.intoto.jsonl
"$B/attest-keygen" -t ed25519 --no-passphrase -o sum >/dev/null 2>&1 ||
    exit 2

# shellcheck disable=SC2086
{
vg "verify, holds" 0 "$CHAIN" verify $P --artifact "$C/fw.bin" \
    "$C/chain.intoto.jsonl"
vg "verify, reordered" 1 "$CHAIN" verify $P bad.intoto.jsonl
vg "verify --json" 0 "$CHAIN" verify $P --json "$C/chain.intoto.jsonl"
vg "verify --sign-summary" 0 "$CHAIN" verify $P --sign-summary \
    -k sum.key -o sum.intoto.jsonl "$C/chain.intoto.jsonl"
vg "verify a directory on 2 threads" 1 "$CHAIN" verify $P --threads 2 many
vg "import" 0 "$CHAIN" import $P -k "$KX/importer.key" $PW \
    --bundle "$C/chain-2.intoto.jsonl" --artifact "$C/fw.bin" \
    --operator "$KX/cra/import.json" -o i.intoto.jsonl
vg "distribute" 0 "$CHAIN" distribute $P -k "$KX/distributor-wholesale.key" \
    $PW --bundle i.intoto.jsonl --artifact "$C/fw.bin" \
    --operator "$KX/cra/distribution-wholesale.json" -o w.intoto.jsonl
vg "distribute, refused (not the distributor's key)" 1 "$CHAIN" distribute \
    $P -k "$KX/importer.key" $PW --bundle i.intoto.jsonl \
    --artifact "$C/fw.bin" --operator "$KX/cra/distribution-wholesale.json" \
    -o never.intoto.jsonl
vg "import onto a chain that does not hold" 1 "$CHAIN" import $P \
    -k "$KX/importer.key" $PW --bundle bad.intoto.jsonl \
    --artifact "$C/fw.bin" --operator "$KX/cra/import.json" \
    -o never.intoto.jsonl
}
echo "valgrind (attest-chain): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
