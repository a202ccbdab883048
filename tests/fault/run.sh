#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Write-fault injection: every writing path of the tools, with the n-th
# open, write, fsync, close or rename of its output failing (ENOSPC, EIO),
# the n-th write short (then the disk full, or then all well), and the
# process killed at the n-th call, for every n of a clean run.
#
#   sh tests/fault/run.sh BUILD_DIR		(make check-fault)
#
# BUILD_DIR/tests/fault/failwrite.so is the LD_PRELOAD shim
# (tests/fault/failwrite.c); tests/fault/README.md says what is checked
# and what is accepted.  FAULT_ONLY=NAME runs the cases whose name
# contains NAME.  Prints "N passed, M failed" last; exits non-zero when
# M > 0.

set -u
LIB=$(cd "$(dirname "$0")/.." && pwd)/lib.sh
SRC=$(cd "$(dirname "$0")/../.." && pwd)

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/fault/run.sh BUILD_DIR" >&2
	exit 2
fi
case $1 in
/*)	B=$1 ;;
*)	B=$(pwd)/$1 ;;
esac
SHIM=$B/tests/fault/failwrite.so
SOFTFIDO=$B/tests/fido/softfido.so
PY=/usr/bin/python3
for f in "$SHIM" "$SOFTFIDO" "$B/tests/fault/failalloc" "$B/attest-keygen" "$B/attest-sign" "$B/attest-doc" \
    "$B/attest-chain" "$B/attest-verify"; do
	if [ ! -e "$f" ]; then
		echo "run.sh: $f: not built (make check-fault)" >&2
		exit 2
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/attest-fault.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
umask 022
: >"$T/null"
NOTTY=
. "$LIB"
sanitized() {
	if grep -E -q 'Sanitizer|runtime error:' "$T/err"; then
		bad "sanitizer report (exit $RC)"
		show
	fi
}

# --- inputs (outside the directory whose files count) --------------------

K=$SRC/keys-example
PW=$K/PASSPHRASE-NOT-SECRET.txt
AT=2028-03-01
IN=$T/in
mkdir -p "$IN"
sh "$K/mkchain.sh" "$B" "$IN" 4 >"$T/mkchain.log" 2>&1 || {
	cat "$T/mkchain.log"
	echo "run.sh: cannot build the example chain" >&2
	exit 2
}
# quick KDF settings for the new key's passphrase: this tests the writes
KDF="--kdf-opslimit 1 --kdf-memlimit 8"
# a FIDO credential on softfido (tests/fido) and two signatures it made,
# for the counter state
SF=$T/softfido
mkdir -p "$SF"
{
	env LD_PRELOAD="$SOFTFIDO" SOFTFIDO_DIR="$SF" "$B/attest-keygen" \
	    --fido -o "$IN/fk" &&
	env LD_PRELOAD="$SOFTFIDO" SOFTFIDO_DIR="$SF" "$B/attest-sign" \
	    -k "$IN/fk.fido" -o "$IN/c1.dsse" "$IN/fw.bin" &&
	env LD_PRELOAD="$SOFTFIDO" SOFTFIDO_DIR="$SF" "$B/attest-sign" \
	    -k "$IN/fk.fido" -o "$IN/c2.dsse" "$IN/fw.bin"
} >"$T/fido.log" 2>&1 || {
	cat "$T/fido.log"
	echo "run.sh: cannot make the FIDO inputs" >&2
	exit 2
}

# --- the writing paths -------------------------------------------------------
#
# Each case: a name, the files it writes into $O (space separated), and a
# function that runs it ($FORCE is -f when outputs exist before).

O=$T/o
FORCE=

c_keygen() {
	"$B/attest-keygen" -t ed25519 --passphrase-file "$PW" $KDF \
	    $FORCE -o "$O/k"
}
c_keygen_nopass() {
	"$B/attest-keygen" -t ecdsa-p256 --no-passphrase $FORCE -o "$O/k"
}
c_sign() {
	"$B/attest-sign" -k "$K/manufacturer-release.key" \
	    --passphrase-file "$PW" $FORCE -o "$O/fw.intoto.json" "$IN/fw.bin"
}
c_doc_sign() {
	"$B/attest-doc" sign -k "$K/manufacturer-release.key" \
	    --passphrase-file "$PW" --at $AT --artifact "$IN/fw.bin" \
	    $FORCE -o "$O/doc.intoto.json" "$K/cra/doc-module-a.json"
}
c_render_text() {
	"$B/attest-doc" render -K "$K/manufacturer-release.pub" --at $AT \
	    --format text $FORCE -o "$O/doc.txt" "$IN/doc.intoto.json"
}
c_render_html() {
	"$B/attest-doc" render -K "$K/manufacturer-release.pub" --at $AT \
	    --format html $FORCE -o "$O/doc.html" "$IN/doc.intoto.json"
}
c_render_pdf() {
	"$B/attest-doc" render -K "$K/manufacturer-release.pub" --at $AT \
	    --format pdf $FORCE -o "$O/doc.pdf" "$IN/doc.intoto.json"
}
c_chain_import() {
	"$B/attest-chain" import --policy "$K/policy.json" --at $AT \
	    -k "$K/importer.key" --passphrase-file "$PW" \
	    --bundle "$IN/chain-2.intoto.jsonl" --artifact "$IN/fw.bin" \
	    --operator "$K/cra/import.json" $FORCE -o "$O/chain.intoto.jsonl"
}
c_chain_distribute() {
	"$B/attest-chain" distribute --policy "$K/policy.json" --at $AT \
	    -k "$K/distributor-wholesale.key" --passphrase-file "$PW" \
	    --bundle "$IN/chain-3.intoto.jsonl" --artifact "$IN/fw.bin" \
	    --operator "$K/cra/distribution-wholesale.json" $FORCE \
	    -o "$O/chain.intoto.jsonl"
}
c_fido_keygen() {
	"$B/attest-keygen" --fido $FORCE -o "$O/f"
}
# the state moves on from c1's counter (a first run) to c2's
c_fido_counter() {
	_c=1
	[ -n "$FORCE" ] && _c=2
	"$B/attest-verify" -K "$IN/fk.pub" --fido-counter-state \
	    "$O/state.json" "$IN/c$_c.dsse"
}
c_chain_summary() {
	"$B/attest-chain" verify --policy "$K/policy.json" --at $AT \
	    --sign-summary -k "$K/manufacturer-qa.key" --passphrase-file "$PW" \
	    $FORCE -o "$O/summary.intoto.jsonl" "$IN/chain-4.intoto.jsonl"
}

CASES="keygen:k.key,k.pub keygen_nopass:k.key,k.pub sign:fw.intoto.json
doc_sign:doc.intoto.json render_text:doc.txt render_html:doc.html
render_pdf:doc.pdf chain_import:chain.intoto.jsonl
chain_distribute:chain.intoto.jsonl chain_summary:summary.intoto.jsonl
fido_keygen:f.fido,f.att,f.pub fido_counter:state.json"

# --- checks --------------------------------------------------------------

# complete FILE: FILE is a whole output of its kind, not a torn one.
complete() {
	case $1 in
	*.pub)
		openssl pkey -pubin -noout -in "$1" 2>/dev/null ;;
	*.key)
		# a whole key file signs (its .pub may be another pair's)
		"$B/attest-sign" -k "$1" --passphrase-file "$PW" \
		    -o "$T/probe.json" "$IN/fw.bin" >/dev/null 2>&1
		_r=$?
		rm -f "$T/probe.json"
		return $_r ;;
	*.fido)
		# a whole handle signs with its credential
		env LD_PRELOAD="$SOFTFIDO" SOFTFIDO_DIR="$SF" "$B/attest-sign" \
		    -k "$1" -o "$T/probe.json" "$IN/fw.bin" >/dev/null 2>&1
		_r=$?
		rm -f "$T/probe.json"
		return $_r ;;
	*.att|*/state.json)
		$PY -c 'import json, sys
j = json.load(open(sys.argv[1]))
assert j["type"] in ("libattest-fido-attestation", "libattest-fido-counters")
assert j.get("keys") or j.get("public_key")' "$1" 2>/dev/null ;;
	*.json|*.jsonl)
		$PY -c 'import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
assert lines[-1] == b"" and len(lines) > 1
for l in lines[:-1]:
    assert "signatures" in json.loads(l)' "$1" 2>/dev/null ;;
	*.pdf)
		tail -c 7 "$1" | grep -q '%%EOF' ;;
	*)
		cmp -s "$1" "$T/ref/${1##*/}" ;;
	esac
}

# reset: put $O back in the state before the run: empty, or the outputs
# of an earlier run (kept in $T/orig).
reset() {
	rm -rf "$O"
	mkdir "$O"
	if [ -n "$FORCE" ]; then
		cp -p "$T/orig"/* "$O"/
	fi
}

# fault ENV...: run the case's command under the shim with ENV.
fault() {
	case $NAME in
	fido_*)	_pre="$SHIM $SOFTFIDO" ;;
	*)	_pre=$SHIM ;;
	esac
	# the counter state's lock file is not the output (FAULT_SKIP)
	env LD_PRELOAD="$_pre" SOFTFIDO_DIR="$SF" FAULT_DIR="$O" \
	    FAULT_SKIP=.lock "$@" sh -c \
	    ". \"$T/cases.sh\"; c_$NAME" <"$T/null" >"$T/out" 2>"$T/err"
	RC=$?
	sanitized
}

# leftovers KILLED: $O holds only the outputs (and, when KILLED=1, the
# hidden temporary files a SIGKILL cannot clean up; README.md).
leftovers() {
	for _f in $(ls -A "$O"); do
		case ",$OUTS," in
		*",$_f,"*)	continue ;;
		esac
		case $NAME:$_f in
		fido_counter:state.json.lock)	continue ;;
		esac
		if [ "$1" = 1 ]; then
			case $_f in
			.*.tmp-*|*.pdf-??????)	continue ;;
			esac
		fi
		bad "left behind: $_f"
	done
	ok
}

# outputs_intact KILLED: every output is absent (or as before, with
# --force); after a kill it may instead be a complete new output.
outputs_intact() {
	for _f in $(echo "$OUTS" | tr , ' '); do
		if [ -n "$FORCE" ]; then
			if cmp -s "$O/$_f" "$T/orig/$_f"; then
				ok
				continue
			fi
		elif [ ! -e "$O/$_f" ] && [ ! -L "$O/$_f" ]; then
			ok
			continue
		fi
		if [ "$1" = 1 ] && [ -f "$O/$_f" ] && complete "$O/$_f"; then
			ok
			continue
		fi
		if [ -e "$O/$_f" ]; then
			bad "$_f: $(wc -c <"$O/$_f") bytes, neither as before nor complete"
		else
			bad "$_f: removed"
		fi
	done
}

# expect_failed: exit 2 and a message on stderr.
expect_failed() {
	expect_rc 2
	if [ -s "$T/err" ]; then ok; else bad "no message"; fi
}

# --- the cases ---------------------------------------------------------------

# the case functions, for sh -c under the shim
{
	echo "B='$B'; K='$K'; PW='$PW'; AT=$AT; IN='$IN'; KDF='$KDF'; O='$O'"
	echo "SF='$SF'"
	sed -n '/^c_[a-z_]*() {$/,/^}$/p' "$0"
} >"$T/cases.sh"

total_points=0
summary=
for spec in $CASES; do
	NAME=${spec%%:*}
	OUTS=${spec#*:}
	case $NAME in
	*${FAULT_ONLY:-}*)	;;
	*)			continue ;;
	esac
	for F in "" -f; do
		label=$NAME${F:+ -f}
		t "$label: clean run"
		rm -rf "$T/orig" "$T/ref" && mkdir "$T/orig" "$T/ref"
		FORCE=
		export FORCE
		reset
		if [ -n "$F" ]; then
			# the outputs before: a first clean run
			fault
			expect_rc 0
			cp -p "$O"/* "$T/orig"/
			FORCE=$F
			reset
		fi
		fault FAULT_COUNT="$T/count"
		expect_rc 0
		n_any=$(cat "$T/count" 2>/dev/null || echo 0)
		for _f in $(echo "$OUTS" | tr , ' '); do
			expect_file "$O/$_f"
			cp "$O/$_f" "$T/ref/" 2>/dev/null
			complete "$O/$_f" && ok || bad "$_f: clean output incomplete"
		done
		reset
		fault FAULT_OP=write FAULT_COUNT="$T/count"
		n_write=$(cat "$T/count" 2>/dev/null || echo 0)
		if [ "$n_any" -lt 5 ]; then
			bad "only $n_any counted calls: the shim sees nothing"
		fi
		n=1
		while [ "$n" -le "$n_any" ]; do
			for e in ENOSPC EIO; do
				t "$label: call $n fails with $e"
				reset
				fault FAULT_AT=$n FAULT_ERRNO=$e
				expect_failed
				outputs_intact 0
				leftovers 0
			done
			t "$label: killed at call $n"
			reset
			fault FAULT_AT=$n FAULT_KILL=1
			expect_rc 137
			outputs_intact 1
			leftovers 1
			n=$((n + 1))
		done
		n=1
		while [ "$n" -le "$n_write" ]; do
			t "$label: write $n short, then the disk full"
			reset
			fault FAULT_OP=write FAULT_AT=$n FAULT_SHORT=1
			expect_failed
			outputs_intact 0
			leftovers 0
			t "$label: write $n short, then all well"
			reset
			fault FAULT_OP=write FAULT_AT=$n FAULT_SHORT=2
			case $NAME in
			render_pdf)	;;	# stdio: no harmless short fwrite
			*)
				expect_rc 0
				for _f in $(echo "$OUTS" | tr , ' '); do
					complete "$O/$_f" && ok ||
					    bad "$_f: incomplete"
				done
				leftovers 0 ;;
			esac
			n=$((n + 1))
		done
		total_points=$((total_points + n_any))
		summary="$summary$(printf '  %-22s %3d calls (%d writes)' \
		    "$label" "$n_any" "$n_write")
"
	done
done
FORCE=

# The counter state's lock cannot be made: nothing is written, exit 2.
case fido_counter in
*${FAULT_ONLY:-}*)
	t "fido_counter: the lock file cannot be created"
	NAME=fido_counter OUTS=state.json
	reset
	fault FAULT_OP=open FAULT_AT=1 FAULT_SKIP=
	expect_failed
	expect_err "state.json.lock: cannot lock"
	outputs_intact 0
	leftovers 0
	;;
esac

# --- allocation failure (tests/fault/failalloc.c) ----------------------------

if [ -z "${FAULT_ONLY:-}" ] || [ "$FAULT_ONLY" = alloc ]; then
	t "allocation failure"
	ASAN_OPTIONS=exitcode=23 "$B/tests/fault/failalloc" "$K/policy.json" \
	    "$IN/chain-4.intoto.jsonl" "$IN/fw.bin" >"$T/alloc" 2>&1
	RC=$?
	if [ "$RC" -eq 0 ]; then
		ok
	else
		bad "failalloc exit $RC"
		grep -v '^  ' "$T/alloc" | head -n 60
	fi
	alloc_summary=$(grep -E '^[a-z].* allocations,' "$T/alloc")
fi

printf 'injection points per path (each: ENOSPC, EIO, SIGKILL; each write also short twice):\n%s' "$summary"
printf '%d points in all\n' "$total_points"
if [ -n "${alloc_summary:-}" ]; then
	printf 'allocation failure, per path:\n%s\n' "$alloc_summary" |
	    sed 's/^\([a-z]\)/  \1/'
fi
printf '%d passed, %d failed\n' "$npass" "$nfail"
[ "$nfail" -eq 0 ]
