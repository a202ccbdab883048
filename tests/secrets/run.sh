#!/bin/sh
# Secret hygiene (issue 7): after a signing tool has used a private key,
# its passphrase and a token PIN, none of them is left in its memory; the
# tools refuse core dumps; no message of a failing path shows a
# passphrase or PIN.
#
#   sh tests/secrets/run.sh BUILD_DIR		(make check-secrets)
#
# The memory check runs the tool under gdb, stops it at exit() (after
# main has returned and every free has run) and searches every readable
# mapping of the process for the raw key bytes, the passphrase and the
# PIN (tests/secrets/search.py).  gdb is the tool's parent, so
# PR_SET_DUMPABLE 0 does not stop it; that setting is read in the tool
# itself through gdb (prctl PR_GET_DUMPABLE), the core limit in /proc.
# The constant-time comparisons are checked with valgrind (tests/secrets/ct.c).
set -u
LIB=$(cd "$(dirname "$0")/.." && pwd)/lib.sh
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/secrets/run.sh BUILD_DIR" >&2
	exit 2
fi
case $1 in
/*)	B=$1 ;;
*)	B=$(pwd)/$1 ;;
esac
PY=/usr/bin/python3
MOD=/usr/lib/softhsm/libsofthsm2.so
for need in gdb valgrind openssl "$PY" softhsm2-util; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "run.sh: $need: not found (make test-deps)" >&2
		exit 2
	fi
done
T=$(mktemp -d "${TMPDIR:-/tmp}/attest-secrets.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
cd "$T" || exit 2
NOTTY=
: >"$T/null"
. "$LIB"
sanitized() { :; }

PASS='Correct-Horse-7Q2xW9-secret'
PIN=804613
printf '%s\n' "$PASS" >pass
printf '%s\n' "$PIN" >pin
echo "artifact" >art.bin

# scan BREAK NAME=HEX,... -- PROG ARGS...: run PROG under gdb, stop it at
# function BREAK, read every readable mapping of the process (sodium's
# guarded pages included: gcore would skip them, they are MADV_DONTDUMP)
# and set FOUND to the names of the byte strings found
scan() {
	_bp=$1
	_what=$2
	shift 3
	SEARCH=$_what gdb -nx -batch -ex 'set breakpoint pending on' \
	    -ex "break $_bp" -ex run -ex "source $HERE/search.py" -ex kill \
	    --args "$@" >"$T/gdb.out" 2>&1
	if ! grep -q '^FOUND:' "$T/gdb.out"; then
		bad "gdb did not stop at $_bp"
		sed 's/^/\tgdb: /' "$T/gdb.out" | tail -5
		FOUND=ERROR
		return 1
	fi
	FOUND=$(sed -n 's/^FOUND://p' "$T/gdb.out")
}
# none: nothing was found
none() {
	if [ -z "$FOUND" ]; then ok; else bad "left in memory at exit: $FOUND"; fi
}
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

# Keys made with openssl, so that the test knows their raw private bytes
openssl genpkey -algorithm ed25519 -out ed.pem 2>/dev/null || exit 2
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out ec.pem 2>/dev/null || exit 2
ED_SEED=$(openssl pkey -in ed.pem -outform DER | tail -c 32 | od -An -tx1 |
    tr -d ' \n')
EC_D=$(openssl pkey -in ec.pem -text -noout | "$PY" -c '
import sys, re
t = sys.stdin.read()
m = re.search(r"priv:\s*((?:[0-9a-f]{2}:?\s*)+)pub:", t)
print(re.sub(r"[^0-9a-f]", "", m.group(1))[-64:])')
for k in ed ec; do
	"$B/attest-keygen" --import $k.pem --passphrase-file pass -o $k \
	    >/dev/null 2>&1 || exit 2
done

t "a signing tool runs with a core file size limit of 0"
if "$PY" - "$B/attest-sign" <<'PY'; then ok; else bad "attest-sign keeps a core limit"; fi
import os, subprocess, sys, time
# the tool waits on its passphrase at the terminal: read its /proc state
p = subprocess.Popen(["setsid", "-w", sys.argv[1], "-k", "ed.key", "-o",
                      "x.json", "art.bin"], stdin=subprocess.PIPE,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.5)
pid = None
for d in os.listdir("/proc"):
    if d.isdigit():
        try:
            if open("/proc/%s/comm" % d).read().strip() == "attest-sign":
                pid = d
        except OSError:
            pass
ok = False
if pid:
    st = open("/proc/%s/status" % pid).read()
    lim = open("/proc/%s/limits" % pid).read()
    core = [l for l in lim.splitlines() if l.startswith("Max core file size")]
    # a process that is not dumpable has its /proc files owned by root;
    # the limit says 0
    ok = bool(core) and core[0].split()[4] == "0"
p.kill()
p.wait()
sys.exit(0 if ok else 1)
PY

t "the scan sees a key in use (a control: the method can fail)"
scan attest_ed25519_sign "seed=$ED_SEED" -- "$B/attest-sign" -k ed.key \
    --passphrase-file pass -o ctl.json art.bin
case $FOUND in
seed) ok ;;
*) bad "the seed was not found while signing: the scan sees nothing" ;;
esac

t "the signing tools are not dumpable (PR_GET_DUMPABLE at exit; 1 at main)"
for tool in "attest-sign -k ed.key --passphrase-file pass -o d.json art.bin" \
    "attest-keygen -t ed25519 --passphrase-file pass -f -o dk" \
    "attest-doc sign -k ed.key --passphrase-file pass --artifact art.bin -o dd.json /nonexistent.json" \
    "attest-chain verify --policy /nonexistent x"; do
	for bp in main exit; do
		# shellcheck disable=SC2086
		gdb -nx -batch -ex 'set breakpoint pending on' -ex "break $bp" \
		    -ex run -ex 'print (int)prctl(3, 0, 0, 0, 0)' -ex kill \
		    --args $B/$tool >"$T/gdb.out" 2>&1
		got=$(sed -n 's/^\$1 = //p' "$T/gdb.out")
		want=$([ $bp = main ] && echo 1 || echo 0)
		expect_eq "${tool%% *} dumpable at $bp" "$got" "$want"
	done
done

for k in ed ec; do
	t "attest-sign with the $k key file: no key bytes, no passphrase left"
	if [ $k = ed ]; then want="seed=$ED_SEED"; else want="scalar=$EC_D"; fi
	scan exit "$want,pass=$(hex "$PASS")" -- "$B/attest-sign" -k $k.key \
	    --passphrase-file pass -o sig-$k.json art.bin && none
done

t "attest-keygen: the new key's passphrase is not left"
scan exit "pass=$(hex "$PASS")" -- "$B/attest-keygen" -t ed25519 \
    --passphrase-file pass -o new && none

t "attest-sign with a SoftHSM2 key: the PIN is not left"
mkdir hsm hsm/tokens
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$T/hsm/tokens" >hsm/conf
export SOFTHSM2_CONF="$T/hsm/conf"
softhsm2-util --init-token --free --label s --pin "$PIN" --so-pin 7777 \
    >/dev/null || exit 2
URI="pkcs11:token=s;object=k?module-path=$MOD"
"$B/attest-keygen" --pkcs11 "$URI" -t ed25519 -o hsm --pin-file pin \
    >/dev/null 2>&1 || exit 2
scan exit "pin=$(hex "$PIN")" -- "$B/attest-sign" -k "$URI" --pin-file pin \
    -o sig-hsm.json art.bin && none

t "no message of a failing path shows the passphrase or the PIN"
printf 'wrong-%s\n' "$PASS" >badpass
printf '1%s\n' "$PIN" >badpin
: >msgs
for cmd in \
    "$B/attest-sign -k ed.key --passphrase-file badpass -o x.json art.bin" \
    "$B/attest-sign -k ed.key --passphrase-file pass -o /nonexistent/x.json art.bin" \
    "$B/attest-sign -k $URI --pin-file badpin -o x.json art.bin" \
    "$B/attest-sign -k pkcs11:token=s;object=k;pin-value=$PIN?module-path=$MOD -o x.json art.bin" \
    "$B/attest-keygen --import ed.key --import-passphrase-file pass -o y" \
    "$B/attest-keygen -t ed25519 --passphrase-file pass -o ed" \
    "$B/attest-doc sign -k ed.key --passphrase-file badpass --artifact art.bin -o d.json /nonexistent.json" \
    "$B/attest-chain import --policy /nonexistent -k ed.key --passphrase-file badpass --bundle x --artifact art.bin --operator y -o z"; do
	# shellcheck disable=SC2086
	$cmd </dev/null >>msgs 2>&1
done
if grep -F -e "$PASS" -e "$PIN" msgs >/dev/null; then
	bad "a message shows a secret:"
	grep -F -e "$PASS" -e "$PIN" msgs | sed 's/^/\t/'
else
	ok
fi
n=$(wc -l <msgs)
if [ "$n" -ge 8 ]; then ok; else bad "only $n lines of messages read"; fi

t "constant time: digest and MAC comparisons (valgrind, ctgrind-style)"
for m in ct_equal verify16; do
	run valgrind -q --error-exitcode=99 "$B/tests/ct" $m
	expect_rc 0
	if grep -q 'Conditional jump' "$T/err"; then
		bad "$m: a branch on secret bytes"
	else
		ok
	fi
done
t "constant time: the control (memcmp) is flagged, so the check can fail"
run valgrind -q --error-exitcode=99 "$B/tests/ct" memcmp
expect_rc 99
expect_err "Conditional jump or move depends on uninitialised value"

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
