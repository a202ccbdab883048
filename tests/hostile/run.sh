#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The hostile-input corpus: every case of tests/hostile/cases.txt.
#
#   sh tests/hostile/run.sh BUILD_DIR		(make check-hostile)
#
# Builds the example custody chain (keys-example/mkchain.sh), writes the
# inputs with tests/hostile/make.py (Debian's /usr/bin/python3, with
# python3-nacl and python3-cryptography) into a temporary folder, then
# runs each case's command and checks: the exit status is the one the
# manifest gives (1 or 2 for a hostile input, 0 for an ok-* control); the
# message (stdout and stderr) matches its regex, and a "!" line after a
# case, when there is one, does not; no sanitizer report; nothing at
# $OUT, the output path of the commands that write one.  Prints
# "N passed, M failed" last and exits non-zero when M > 0.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LIB=$HERE/../lib.sh
X=$(cd "$HERE/../../keys-example" && pwd)
CASES=$HERE/cases.txt

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/hostile/run.sh BUILD_DIR" >&2
	exit 2
fi
case $1 in
/*)	B=$1 ;;
*)	B=$(pwd)/$1 ;;
esac
PY=/usr/bin/python3

for tool in attest-keygen attest-sign attest-verify attest-doc attest-chain; do
	if [ ! -x "$B/$tool" ]; then
		echo "run.sh: $B/$tool: not built (run make first)" >&2
		exit 2
	fi
done
if ! "$PY" -c 'import nacl, cryptography' 2>/dev/null; then
	echo "run.sh: $PY with nacl and cryptography is needed" \
	    "(apt-get install python3-nacl python3-cryptography)" >&2
	exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/attest-hostile.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
cd "$T" || exit 2
umask 022

unset ATTEST_FIDO_DEVICE 2>/dev/null

. "$LIB"
sanitizer_exit_codes
no_terminal

sanitized() {
	if grep -E -q 'Sanitizer|runtime error:' "$T/err"; then
		bad "sanitizer report (exit $RC)"
		show
	fi
}

: >"$T/null"
D=$T/in
OUT=$T/out.never
export B D X OUT

t "setup"
if ! sh "$X/mkchain.sh" "$B" "$T/chain" 3 >"$T/setup.log" 2>&1; then
	bad "keys-example/mkchain.sh failed"
	cat "$T/setup.log"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! "$PY" "$HERE/make.py" "$D" "$T/chain" >"$T/setup.log" 2>&1; then
	bad "make.py failed"
	cat "$T/setup.log"
	echo "0 passed, 1 failed"
	exit 1
fi
cp "$T/chain/fw.bin" "$D/chain-fw.bin"
cp "$T/chain/doc.intoto.json" "$D/chain-doc.json"

# check_case: the checks of the case just run ($name, $want, $re).
check_case() {
	expect_rc "$want"
	cat "$T/out" "$T/err" | tr '\n' ' ' >"$T/all"
	if [ "$re" != "-" ]; then
		if grep -E -q -- "$re" "$T/all"; then
			ok
		else
			bad "output does not match /$re/"
			show
		fi
	fi
	expect_no_file "$OUT"
	rm -f "$OUT"
}

TAB=$(printf '\t')
nhostile=0
ncontrol=0
seen=" "
while IFS=$TAB read -r name want re cmd; do
	case $name in
	''|'#'*)
		continue ;;
	'!')	# the case before must not match this
		if grep -E -q -- "$want" "$T/all"; then
			bad "output matches /$want/ but must not"
			show
		else
			ok
		fi
		continue ;;
	esac
	t "$name"
	case $seen in
	*" $name "*)	bad "case name used twice" ;;
	esac
	seen="$seen$name "
	case $want in
	0)	ncontrol=$((ncontrol + 1)) ;;
	1|2)	nhostile=$((nhostile + 1)) ;;
	*)	bad "exit status $want in the manifest"; continue ;;
	esac
	# every input the command names must exist: a missing one would be
	# refused too, for the wrong reason
	for f in $(printf '%s\n' "$cmd" | tr ' ' '\n' | grep '^\$D/'); do
		f=$D/${f#\$D/}
		case $f in
		*.out)	continue ;;
		esac
		if [ ! -e "$f" ]; then
			bad "input $f was not made"
		fi
	done
	rm -f "$OUT"
	# HOSTILE_VALGRIND=1 (make check-valgrind): the tool under memcheck;
	# a memory error or a definite/indirect leak exits 99, not $want
	if [ -n "${HOSTILE_VALGRIND:-}" ]; then
		cmd="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99 $cmd"
	fi
	$NOTTY sh -c "$cmd" <"$T/null" >"$T/out" 2>"$T/err"
	RC=$?
	sanitized
	check_case
done <"$CASES"

if [ "$nhostile" -lt 60 ]; then
	t "corpus size"
	bad "only $nhostile hostile cases"
fi
echo "hostile inputs: $nhostile cases, $ncontrol controls"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
