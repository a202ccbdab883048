#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The main paths of the tools under valgrind memcheck: any memory error or
# definite/indirect leak fails.  (make check-valgrind)
set -u
B=${1:?usage: valgrind.sh BUILD_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
pass=0
fail=0
vg() {
	name=$1
	shift
	if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --error-exitcode=99 "$@" >"$work/out" 2>"$work/err"; then
		rc=0
	else
		rc=$?
	fi
	grep -v -e 'unhandled amd64-linux syscall: 325' \
	    -e 'You may be able to write your own handler' \
	    -e 'README_MISSING_SYSCALL_OR_IOCTL' \
	    -e 'Nevertheless we consider this a bug' \
	    -e 'valgrind.org/support/bug_reports' "$work/err" \
	    > "$work/err2" || true
	if [ "$rc" -eq "$want" ] && ! grep -q '^==[0-9]*==' "$work/err2"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name (exit $rc, want $want)"
		sed 's/^/    /' "$work/err2" | head -40
	fi
}
cd "$work"
printf 'valgrind-test-passphrase\n' > pw
echo artifact > a.bin
echo other > b.bin
for t in ed25519 ecdsa-p256 ecdsa-p384 rsa-pss-3072; do
	want=0 vg "keygen $t" "$B/attest-keygen" -t "$t" -o "$t" \
	    --passphrase-file pw --kdf-opslimit 1 --kdf-memlimit 8
	want=0 vg "sign $t" "$B/attest-sign" -k "$t.key" --passphrase-file pw \
	    --digest sha256,sha384,sha512 -o "$t.json" a.bin
	want=0 vg "verify $t" "$B/attest-verify" --json -K "$t.pub" \
	    "$t.json" a.bin
	want=1 vg "verify $t mismatch" "$B/attest-verify" -K "$t.pub" \
	    "$t.json" b.bin
done
want=1 vg "verify untrusted" "$B/attest-verify" -K ed25519.pub \
    ecdsa-p256.json a.bin
want=0 vg "threshold 2" "$B/attest-sign" -k ed25519.key -k ecdsa-p384.key \
    --passphrase-file pw -o two.json a.bin b.bin
want=0 vg "verify threshold 2" "$B/attest-verify" -K ed25519.pub \
    -K ecdsa-p384.pub --threshold 2 two.json a.bin b.bin
printf 'wrong\n' > bad
want=2 vg "sign wrong passphrase" "$B/attest-sign" -k ed25519.key \
    --passphrase-file bad -o never.json a.bin
printf '{"payload":"e30=","payloadType":"x","signatures":[{"sig":"!!"}]}' \
    > broken.json
want=2 vg "verify malformed" "$B/attest-verify" -K ed25519.pub broken.json
openssl genpkey -algorithm ed25519 -out imp.pem 2>/dev/null
want=0 vg "import" "$B/attest-keygen" --import imp.pem -o imp --no-passphrase
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
