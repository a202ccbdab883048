#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Shared helpers of the shell test suites (tests/*/run.sh), sourced by them.
# They count checks in npass/nfail, report failures under the current case
# name, and read the last command's $T/out, $T/err and $RC.

# sanitizer_exit_codes: a sanitizer report must never pass for a verdict
# (ASan's default exit code is 1): give ASan and UBSan exit codes of their
# own (86, 87); run() also greps for their reports.
sanitizer_exit_codes() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=87"
	export ASAN_OPTIONS UBSAN_OPTIONS
}

# no_terminal: set NOTTY so that run() gives the tools no terminal (they
# then fail instead of waiting for a passphrase), where setsid can.
no_terminal() {
	if command -v setsid >/dev/null 2>&1 && setsid -w true 2>/dev/null; then
		NOTTY="setsid -w"
	else
		NOTTY=
	fi
}

npass=0
nfail=0
CASE=
RC=0

# t NAME: start a case; checks report under this name.
t() {
	CASE=$1
}

ok() {
	npass=$((npass + 1))
}

# bad WHY: record a failure of the current case.
bad() {
	nfail=$((nfail + 1))
	printf 'FAIL: %s: %s\n' "$CASE" "$1"
}

# run CMD...: run with stdin from /dev/null, no terminal; stdout in
# $T/out, stderr in $T/err, exit code in RC.
run() {
	$NOTTY "$@" <"$T/null" >"$T/out" 2>"$T/err"
	RC=$?
	sanitized
}

# expect_rc N: the last command exited with N.
expect_rc() {
	if [ "$RC" -eq "$1" ]; then
		ok
	else
		bad "exit $RC, expected $1"
		show
	fi
}

# expect_err STRING: stderr of the last command contains STRING.
expect_err() {
	if grep -F -q -- "$1" "$T/err"; then
		ok
	else
		bad "stderr lacks \"$1\""
		show
	fi
}

# expect_out STRING: stdout of the last command contains STRING.
expect_out() {
	if grep -F -q -- "$1" "$T/out"; then
		ok
	else
		bad "stdout lacks \"$1\""
		show
	fi
}

expect_no_out() {
	if [ ! -s "$T/out" ]; then
		ok
	else
		bad "stdout not empty"
		show
	fi
}

# stdout does not contain STRING
expect_out_lacks() {
	if grep -F -q -- "$1" "$T/out"; then
		bad "stdout has \"$1\""
		show
	else
		ok
	fi
}

expect_no_err() {
	if [ ! -s "$T/err" ]; then
		ok
	else
		bad "stderr not empty"
		show
	fi
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok
	else
		bad "$1: got \"$2\", expected \"$3\""
	fi
}

expect_file() {
	if [ -f "$1" ]; then
		ok
	else
		bad "$1 was not written"
		show
	fi
}

# show: the first lines of the last command's stderr and stdout (awk
# ends an unterminated last line too).
show() {
	if [ -s "$T/err" ]; then
		awk 'NR <= 20 { print "\tstderr: " $0 }' "$T/err"
	fi
	if [ -s "$T/out" ]; then
		awk 'NR <= 20 { print "\tstdout: " $0 }' "$T/out"
	fi
}

# expect_err_re ERE: stderr matches the extended regular expression.
expect_err_re() {
	if grep -E -q -- "$1" "$T/err"; then
		ok
	else
		bad "stderr does not match /$1/"
		show
	fi
}

# expect_no_file PATH: nothing (not even a dangling link) is at PATH.
expect_no_file() {
	if [ ! -e "$1" ] && [ ! -L "$1" ]; then
		ok
	else
		bad "$1 exists but must not"
	fi
}

# keyid_of PUB: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo,
# computed by OpenSSL.
keyid_of() {
	openssl pkey -pubin -in "$1" -outform DER | sha256sum | cut -d ' ' -f 1
}

# The hostile text of the escaping tests (issue 14 §5): ESC [ 2 J, BEL,
# CSI as a C1 control (U+009B), DEL, RIGHT-TO-LEFT OVERRIDE (U+202E), and
# how attest_text_escape shows it.
HOSTILE=$(printf 'P\033[2J\007\302\233\177\342\200\256Q')
HOSTILE_SHOWN='P\x1b[2J\x07\u009b\x7f\u202eQ'
# ... and as a JSON string body, for records built by hand.
HOSTILE_JSON='P\u001b[2J\u0007\u009b\u007f\u202eQ'

# expect_no_controls: neither stdout nor stderr of the last command holds
# any of those characters as such (shown with cat -v when one does).
expect_no_controls() {
	_raw=
	for _c in '\033' '\007' '\302\233' '\177' '\342\200\256'; do
		if LC_ALL=C grep -q "$(printf "$_c")" "$T/out" "$T/err"; then
			_raw="$_raw $_c"
		fi
	done
	if [ -z "$_raw" ]; then
		ok
	else
		bad "raw$_raw reached stdout or stderr"
		show | cat -v
	fi
}
