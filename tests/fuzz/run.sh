#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run or replay the libFuzzer harnesses (tests/fuzz/README.md).
#
#   sh tests/fuzz/run.sh fuzz   FUZZ_BUILD SECONDS NAME...   (make fuzz)
#   sh tests/fuzz/run.sh replay FUZZ_BUILD 0 NAME...         (make check-fuzz)
#
# fuzz: each harness runs SECONDS on tests/fuzz/corpus/NAME (read only)
# and tests/fuzz/crashes/NAME; new inputs go to FUZZ_BUILD/new/NAME, crash
# inputs to FUZZ_BUILD/crash/NAME/.  One summary line per harness:
# executions, coverage (cov: edges, ft: features), corpus size.
# replay: every file of corpus/NAME and crashes/NAME run once; any crash,
# sanitizer report or leak fails.  Exit 1 when a harness failed.
set -u
mode=${1:?usage: run.sh fuzz|replay FUZZ_BUILD SECONDS NAME...}
B=${2:?FUZZ_BUILD}
secs=${3:?SECONDS}
shift 3
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:allocator_may_return_null=1"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS UBSAN_OPTIONS
failed=
LOG=$B/log
mkdir -p "$LOG"

for name in "$@"; do
	bin=$B/fuzz_$name
	corpus=$HERE/corpus/$name
	crashes=$HERE/crashes/$name
	log=$LOG/$name.$mode.log
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin: not built" >&2
		exit 2
	fi
	mkdir -p "$crashes"
	case $mode in
	fuzz)
		new=$B/new/$name
		mkdir -p "$new" "$B/crash/$name"
		# -rss_limit_mb: a 1 GiB allocation (a declared size) is a bug
		"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		    -max_len=65536 -print_final_stats=1 \
		    -artifact_prefix="$B/crash/$name/" \
		    "$new" "$corpus" "$crashes" >"$log" 2>&1
		rc=$?
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
		cov=$(printf '%s\n' "$done_line" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
		ft=$(printf '%s\n' "$done_line" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
		corp=$(printf '%s\n' "$done_line" | sed -n 's/.*corp: \([^ ]*\).*/\1/p')
		if [ $rc -eq 0 ]; then
			printf 'fuzz_%-12s %4ss  %9s execs  cov %5s  ft %6s  corpus %s\n' \
			    "$name" "$secs" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
			    "${corp:-?}"
		else
			printf 'fuzz_%-12s FAILED (exit %d), see %s; input in %s\n' \
			    "$name" $rc "$log" "$B/crash/$name/"
			grep -E 'ERROR|SUMMARY|runtime error|invariant' "$log" |
			    head -n 5 | sed 's/^/	/'
			failed="$failed $name"
		fi
		;;
	replay)
		n=$(find "$corpus" "$crashes" -type f ! -name README.md | wc -l)
		if find "$corpus" "$crashes" -type f ! -name README.md -print0 |
		    xargs -0 -r "$bin" -runs=1 -timeout=20 >"$log" 2>&1; then
			printf 'fuzz_%-12s %4d inputs replayed: ok\n' "$name" "$n"
		else
			printf 'fuzz_%-12s replay FAILED, see %s\n' "$name" "$log"
			grep -E 'ERROR|SUMMARY|runtime error|invariant|Running:' \
			    "$log" | tail -n 6 | sed 's/^/	/'
			failed="$failed $name"
		fi
		;;
	*)
		echo "run.sh: unknown mode $mode" >&2
		exit 2
		;;
	esac
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed"
	exit 1
fi
exit 0
