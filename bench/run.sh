#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make bench: libattest against the raw library calls and peer tools, in
# one run, on this machine.  Not part of make check (no timing asserts).
#   BENCH_SIZE_MIB=1024 (the hashed file), BENCH_RUNS=3 (best of)
set -eu
B=${1:?usage: run.sh BUILD_DIR}
size_mib=${BENCH_SIZE_MIB:-1024}
runs=${BENCH_RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/attest-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# seconds (float) that a command takes, best of $runs
best() {
	/usr/bin/python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
best = None
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    d = time.perf_counter() - t
    best = d if best is None or d < best else best
print("%.4f" % best)
PY
}

# peak RSS in KiB of one run (GNU time: the process itself, not a fork
# of this shell or of python, whose pages a child's ru_maxrss would count)
rss() {
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
}

echo "libattest bench: $(uname -m), $(nproc) cores, $(openssl version)"
echo "file: ${size_mib} MiB, best of ${runs} runs"
echo
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/big.bin"
"$B/attest-keygen" -t ed25519 -o "$work/k" --no-passphrase >/dev/null 2>&1
cat "$work/big.bin" > /dev/null	# in the page cache for every contender

t_ossl=$(best openssl dgst -sha256 "$work/big.bin")
t_sign=$(best "$B/attest-sign" -f -k "$work/k.key" -o "$work/e.json" \
    "$work/big.bin")
t_s512=$(best openssl dgst -sha512 "$work/big.bin")
t_both=$(best "$B/attest-sign" -f -k "$work/k.key" --digest sha256,sha512 \
    -o "$work/e2.json" "$work/big.bin")
r_sign=$(rss "$B/attest-sign" -f -k "$work/k.key" -o "$work/e.json" \
    "$work/big.bin")
r_ossl=$(rss openssl dgst -sha256 "$work/big.bin")
t_ver=$(best "$B/attest-verify" -K "$work/k.pub" "$work/e.json" \
    "$work/big.bin")

/usr/bin/python3 - "$size_mib" "$t_ossl" "$t_sign" "$t_s512" "$t_both" \
    "$r_sign" "$r_ossl" "$t_ver" <<'PY'
import sys
mib, t_ossl, t_sign, t_s512, t_both, r_sign, r_ossl, t_ver = sys.argv[1:]
mib = float(mib)
def mbs(t): return mib * 1.048576 / float(t)
print("%-46s %10s %10s %7s" % ("hashing (MB/s)", "openssl", "libattest", "ratio"))
print("%-46s %10.0f %10.0f %7.2f" % ("sha256: openssl dgst vs attest-sign",
      mbs(t_ossl), mbs(t_sign), float(t_ossl) / float(t_sign)))
print("%-46s %10.0f %10.0f %7.2f" % ("sha256+sha512 one pass vs dgst -sha512",
      mbs(t_s512), mbs(t_both), float(t_s512) / float(t_both)))
print("%-46s %10.0f %10s" % ("attest-verify of the same file (MB/s)",
      mbs(t_ver), ""))
print("%-46s %10d %10d" % ("peak RSS, KiB (openssl dgst, attest-sign)",
      int(r_ossl), int(r_sign)))
PY

# one small envelope: the wall time of a whole attest-verify process
echo hello > "$work/small.txt"
"$B/attest-sign" -k "$work/k.key" -o "$work/small.json" "$work/small.txt"
/usr/bin/python3 - "$B/attest-verify" "$work/k.pub" "$work/small.json" \
    "$work/small.txt" <<'PY'
import subprocess, sys, time
cmd = [sys.argv[1], "-K", sys.argv[2], sys.argv[3], sys.argv[4]]
n = 200
t = time.perf_counter()
for _ in range(n):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
d = (time.perf_counter() - t) / n
t = time.perf_counter()
for _ in range(n):
    subprocess.run(["/bin/true"], check=True)
base = (time.perf_counter() - t) / n
print("%-46s %9.2f ms (process start alone: %.2f ms)" %
      ("attest-verify, one small envelope, wall", d * 1000, base * 1000))
PY
echo
"$B/bench/bench_verify"

# memory: records of many small values, 1 MiB and 16 MiB (bench_mem: the
# library's parse, and the envelopes), then the peak RSS of attest-verify
# on each, above that of the small envelope, against the payload's size
echo
mkdir "$work/mem"
"$B/bench/bench_mem" "$work/mem"
r_base=$(rss "$B/attest-verify" -K "$work/k.pub" "$work/small.json")
for f in zeros-1 zeros-16 objects-1 objects-16; do
	printf '%s %s\n' "$f" "$(rss "$B/attest-verify" -K "$work/mem/k.pub" \
	    "$work/mem/$f.json")"
done | /usr/bin/python3 -c '
import sys
base = int(sys.argv[1])
print("%-46s %10s %12s %7s" % ("attest-verify, peak RSS above a small record",
      "payload", "KiB", "ratio"))
for line in sys.stdin:
    name, kib = line.split()
    mib = int(name.split("-")[1])
    extra = int(kib) - base
    print("%-46s %10d %12d %7.2f" % (name + " MiB", mib * 1048576, extra,
          extra * 1024.0 / (mib * 1048576)))
' "$r_base"

# PKCS#11: signing through SoftHSM2, on a token directory made here
echo
mod=/usr/lib/softhsm/libsofthsm2.so
if [ -e "$mod" ] && command -v softhsm2-util >/dev/null 2>&1; then
	mkdir "$work/tokens"
	cat >"$work/softhsm2.conf" <<CONF
directories.tokendir = $work/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
CONF
	SOFTHSM2_CONF=$work/softhsm2.conf
	export SOFTHSM2_CONF
	softhsm2-util --init-token --free --label bench --pin 1234 \
	    --so-pin 5678 >/dev/null
	printf '1234\n' >"$work/pin"
	for a in ed25519 ecdsa-p256; do
		"$B/attest-keygen" --pkcs11 \
		    "pkcs11:token=bench;object=$a?module-path=$mod" -t "$a" \
		    -o "$work/hsm-$a" --pin-file "$work/pin" >/dev/null
	done
	"$B/bench/bench_pkcs11" "$mod" bench 1234 ed25519:ed25519 \
	    ecdsa-p256:ecdsa-p256
	# the large file: the same attest-sign with the software key and
	# with the token key, runs alternating, best of each
	/usr/bin/python3 - "$runs" "$size_mib" "$B/attest-sign" "$work" \
	    "pkcs11:token=bench;object=ed25519?module-path=$mod" <<'PY'
import subprocess, sys, time
runs, mib, sign, work, uri = int(sys.argv[1]), sys.argv[2], *sys.argv[3:]
soft = [sign, "-f", "-k", work + "/k.key", "-o", work + "/s.json",
        work + "/big.bin"]
hsm = [sign, "-f", "-k", uri, "--pin-file", work + "/pin", "-o",
       work + "/h.json", work + "/big.bin"]
best = {}
for _ in range(runs):
    for name, cmd in (("soft", soft), ("hsm", hsm)):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        d = time.perf_counter() - t
        best[name] = min(best.get(name, d), d)
print("%-46s %10s %10s %7s" % ("attest-sign, %s MiB file, ed25519 (s)" % mib,
      "key file", "SoftHSM2", "ratio"))
print("%-46s %10.3f %10.3f %7.2f" % ("wall time, software key vs token key",
      best["soft"], best["hsm"], best["soft"] / best["hsm"]))
PY
	"$B/attest-verify" -K "$work/hsm-ed25519.pub" "$work/h.json" \
	    "$work/big.bin" >/dev/null
else
	echo "PKCS#11: $mod or softhsm2-util not installed: skipped"
fi

# custody chains: attest-chain verify on BENCH_CHAINS bundles of four
# records each (DoC, release, importer, distributor; Ed25519 keys of
# keys-example), against libsodium verifying the same signatures, on one
# and on two threads.  The bundles are hard links to one bundle: the
# verifier still reads, parses and checks each one in full.
echo
chains=${BENCH_CHAINS:-10000}
ex=$(cd "$(dirname "$0")/../keys-example" && pwd)
sh "$ex/mkchain.sh" "$B" "$work/chain" 4 >/dev/null
mkdir "$work/chains"
i=0
while [ "$i" -lt "$chains" ]; do
	ln "$work/chain/chain.intoto.jsonl" "$work/chains/p$i.intoto.jsonl"
	i=$((i + 1))
done
cv() {
	"$B/attest-chain" verify --policy "$ex/policy.json" --at 2028-03-01 \
	    --threads "$1" "$work/chains"
}
t_c1=$(best "$B/attest-chain" verify --policy "$ex/policy.json" \
    --at 2028-03-01 --threads 1 "$work/chains")
t_c2=$(best "$B/attest-chain" verify --policy "$ex/policy.json" \
    --at 2028-03-01 --threads 2 "$work/chains")
cv 1 | tail -n 1
r_1=$("$B/bench/bench_chain_raw" "$ex/policy.json" \
    "$work/chain/chain.intoto.jsonl" "$chains" 1)
r_2=$("$B/bench/bench_chain_raw" "$ex/policy.json" \
    "$work/chain/chain.intoto.jsonl" "$chains" 2)
/usr/bin/python3 - "$chains" "$t_c1" "$t_c2" "$r_1" "$r_2" <<'PY'
import sys
n = int(sys.argv[1]); c1, c2 = float(sys.argv[2]), float(sys.argv[3])
r1, sigs = sys.argv[4].split(); r2 = float(sys.argv[5].split()[0])
r1 = float(r1); sigs = int(sigs)
print("%-46s %10s %10s %7s" % ("custody chains, %d x 4 records (sig/s)" % n,
      "libsodium", "libattest", "ratio"))
print("%-46s %10.0f %10.0f %7.2f" % ("attest-chain verify, 1 thread",
      sigs / r1, sigs / c1, r1 / c1))
print("%-46s %10.0f %10.0f %7.2f" % ("attest-chain verify, 2 threads",
      sigs / r2, sigs / c2, r2 / c2))
print("%-46s %10.2f %10.2f" % ("speed-up, 2 threads over 1", r1 / r2, c1 / c2))
print("%-46s %10s %10.0f" % ("chains per second, 2 threads", "", n / c2))
PY
