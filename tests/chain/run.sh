#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# attest-chain end to end (specs/chain.md): a custody chain built with
# keys of all three backends mixed (the manufacturer's key file, the
# importer's key on a SoftHSM2 token, the wholesaler's key file, the
# retailer's FIDO key on softfido), verified alone, in a directory and as
# signed summaries; every attack of the issue, each with its message;
# import and distribute refusing what they must.  The record rules
# themselves are tested one by one in tests/unit/test_cra_chain.c, the
# cross-checks CH-1 to CH-12 of libattest/chain.c in
# tests/unit/test_chain.c, the policy in tests/unit/test_policy.c.
#
#   sh tests/chain/run.sh BUILD_DIR		(make check-chain)
#
# Prints "N passed, M failed" last and exits non-zero when M > 0.

set -u
LIB=$(cd "$(dirname "$0")/.." && pwd)/lib.sh
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/chain/run.sh BUILD_DIR" >&2
	exit 2
fi
case $1 in
/*)	B=$1 ;;
*)	B=$(pwd)/$1 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
ROOT=$(cd "$HERE/../.." && pwd) || exit 2
CHAIN=$B/attest-chain
DOC=$B/attest-doc
KEYGEN=$B/attest-keygen
VERIFY=$B/attest-verify
SOFTFIDO=$B/tests/fido/softfido.so
PY=/usr/bin/python3
EX=$ROOT/keys-example/cra
MOD=/usr/lib/softhsm/libsofthsm2.so
PIN=1234
AT=--at=2028-03-01
for f in "$CHAIN" "$DOC" "$KEYGEN" "$SOFTFIDO" "$MOD"; do
	if [ ! -e "$f" ]; then
		echo "run.sh: $f: not found (make check-chain builds it;" \
		    "make test-deps installs softhsm2)" >&2
		exit 2
	fi
done
for need in "$PY" softhsm2-util sha256sum; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "run.sh: $need: not found (make test-deps)" >&2
		exit 2
	fi
done
T=$(mktemp -d "${TMPDIR:-/tmp}/attest-chain.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
cd "$T" || exit 2
umask 022
NOTTY=
: >"$T/null"
unset ATTEST_FIDO_DEVICE FIDO_DEBUG 2>/dev/null

. "$LIB"
sanitizer_exit_codes

sanitized() {
	if grep -E -q 'Sanitizer|runtime error:' "$T/err"; then
		bad "sanitizer report (exit $RC)"
		show
	fi
}

# --- keys: a key file, a SoftHSM2 token key, a FIDO key -------------------

mkdir hsm hsm/tokens
cat >hsm/conf <<EOF
directories.tokendir = $T/hsm/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
EOF
export SOFTHSM2_CONF="$T/hsm/conf"
softhsm2-util --init-token --free --label chain --pin "$PIN" \
    --so-pin 5678 >/dev/null || exit 2
printf '%s\n' "$PIN" >pin
IMPKEY="pkcs11:token=chain;object=importer?module-path=$MOD"

PRELOAD=$SOFTFIDO
ASANLIB=$(ldd "$CHAIN" | awk '/libasan/ { print $3; exit }')
if [ -n "$ASANLIB" ]; then
	PRELOAD="$ASANLIB $SOFTFIDO"
fi
mkdir sf
fido() {
	run env LD_PRELOAD="$PRELOAD" SOFTFIDO_DIR="$T/sf" "$@"
}

for k in maker maker2 wholesale other summary; do
	"$KEYGEN" -t ed25519 --no-passphrase -o $k >/dev/null 2>&1 || exit 2
done
t "keys: a token key for the importer, a FIDO key for the retailer"
run "$KEYGEN" --pkcs11 "$IMPKEY" -t ecdsa-p256 -o importer --pin-file pin
expect_rc 0
fido "$KEYGEN" --fido -o retail
expect_rc 0
expect_file retail.fido

# policy.json: the four operators; each key with its role
"$PY" - policy.json <<'PY' || exit 2
import json, sys
def key(f, op, role, alg, **kw):
    k = {"operator": op, "roles": [role], "algorithm": alg,
         "public_key": open(f).read(), "valid_from": "2027-01-01"}
    k.update(kw)
    return k
json.dump({"policy_version": 1, "name": "chain test policy",
  "operators": [
    {"id": "maker", "legal_name": "Example Devices GmbH", "country": "DE",
     "roles": {"manufacturer": {}}},
    {"id": "impo", "legal_name": "Example Import SARL", "country": "FR",
     "roles": {"importer": {}}},
    {"id": "whole", "legal_name": "Example Wholesale BV", "country": "NL",
     "roles": {"distributor": {}}},
    {"id": "retail", "legal_name": "Example Retail Oy", "country": "FI",
     "roles": {"distributor": {}}}],
  "keys": [
    key("maker.pub", "maker", "manufacturer", "ed25519"),
    key("maker2.pub", "maker", "manufacturer", "ed25519"),
    key("importer.pub", "impo", "importer", "ecdsa-p256-sha256",
        manufacturers=["maker"]),
    key("wholesale.pub", "whole", "distributor", "ed25519"),
    key("retail.pub", "retail", "distributor", "fido-es256")]},
  open(sys.argv[1], "w"), indent=1)
PY
# variants of it: edit(OUT, PYTHON-STATEMENT on p)
variant() {
	"$PY" - policy.json "$1" "$2" <<'PY' || exit 2
import json, sys
p = json.load(open(sys.argv[1]))
K = {k["operator"] + ":" + k["algorithm"]: k for k in p["keys"]}
exec(sys.argv[3])
json.dump(p, open(sys.argv[2], "w"))
PY
}

# --- the chain ------------------------------------------------------------

printf 'Example Notes 2.0.0 (test artifact)\n' >fw.bin
t "the manufacturer signs its DoC and release attestation"
run "$DOC" sign -k maker.key "$AT" --artifact fw.bin -o doc.intoto.json \
    "$EX/doc-module-a.json"
expect_rc 0
DOCSHA=$("$PY" -c 'import base64,hashlib,json,sys
print(hashlib.sha256(base64.b64decode(json.load(open(sys.argv[1]))["payload"])).hexdigest())' \
    doc.intoto.json)
sed "s/0\{64\}/$DOCSHA/" "$EX/release.json" >release.json
run "$DOC" sign -k maker.key "$AT" --policy policy.json \
    --doc doc.intoto.json --artifact fw.bin -o release.intoto.json release.json
expect_rc 0
cat doc.intoto.json release.intoto.json >b2.intoto.jsonl

t "verify: the manufacturer's records alone"
run "$CHAIN" verify --policy policy.json "$AT" --artifact fw.bin \
    b2.intoto.jsonl
expect_rc 0
expect_out "b2.intoto.jsonl: OK: EXN-2 of Example Devices GmbH (DE, policy operator maker), 2 records"

t "import with the token key"
run "$CHAIN" import --policy policy.json "$AT" -k "$IMPKEY" --pin-file pin \
    --bundle b2.intoto.jsonl --artifact fw.bin --operator "$EX/import.json" \
    -o b3.intoto.jsonl
expect_rc 0
expect_out "b3.intoto.jsonl: import record appended as line 3"
expect_err "(IMP-1"

t "distribute: the wholesaler's key file, then the retailer's FIDO key"
run "$CHAIN" distribute --policy policy.json "$AT" -k wholesale.key \
    --bundle b3.intoto.jsonl --artifact fw.bin \
    --operator "$EX/distribution-wholesale.json" -o b4.intoto.jsonl
expect_rc 0
fido "$CHAIN" distribute --policy policy.json "$AT" -k retail.fido \
    --bundle b4.intoto.jsonl --artifact fw.bin \
    --operator "$EX/distribution-retail.json" -o chain.intoto.jsonl
expect_rc 0
expect_out "distribution record appended as line 5"

t "verify the whole chain: every link"
run "$CHAIN" verify --policy policy.json "$AT" --artifact fw.bin \
    chain.intoto.jsonl
expect_rc 0
expect_out "chain.intoto.jsonl: OK: EXN-2 of Example Devices GmbH (DE, policy operator maker), 5 records, support until 2033-01 (as of 2028-03-01)"
expect_out "line 1: doc: maker as manufacturer signed by 1/1 key, dated 2028-01-10"
expect_out "line 3: import: impo as importer signed by 1/1 key, dated 2028-02-01"
expect_out "line 5: distribution: retail as distributor signed by 1/1 key, dated 2028-02-20"
expect_out "line 3: warning: manufacturer.postal_address.country: the manufacturer is established in the Union (DE)"

t "verify --json: the verification summary, field by field"
run "$CHAIN" verify --policy policy.json "$AT" --json --artifact fw.bin \
    chain.intoto.jsonl
expect_rc 0
"$PY" - "$T/out" chain.intoto.jsonl policy.json fw.bin <<'PY' || bad "summary fields"
import base64, hashlib, json, sys
out, bundle, policy, fw = sys.argv[1:]
lines = open(out).read().splitlines()
assert len(lines) == 1, lines
s = json.loads(lines[0])
sha = lambda b: hashlib.sha256(b).hexdigest()
assert s["_type"] == "https://in-toto.io/Statement/v1"
assert s["predicateType"] == "https://slsa.dev/verification_summary/v1"
assert s["subject"] == [{"name": "fw.bin",
                         "digest": {"sha256": sha(open(fw, "rb").read())}}], s
p = s["predicate"]
assert p["verifier"]["id"] == "https://libattest.dev/attest-chain"
assert "libattest" in p["verifier"]["version"]
assert p["timeVerified"].endswith("Z") and len(p["timeVerified"]) == 20
assert p["resourceUri"] == bundle
assert p["policy"] == {"uri": policy,
                       "digest": {"sha256": sha(open(policy, "rb").read())}}
payloads = [base64.b64decode(json.loads(l)["payload"])
            for l in open(bundle).read().splitlines()]
assert p["inputAttestations"] == [
    {"uri": "%s#line=%d" % (bundle, i + 1), "digest": {"sha256": sha(b)}}
    for i, b in enumerate(payloads)], p["inputAttestations"]
assert p["verificationResult"] == "PASSED"
assert p["verifiedLevels"] == ["LIBATTEST_CRA_CUSTODY_CHAIN_V1"]
x = p["libattest"]
assert x["at"] == "2028-03-01" and x["product"] == "EXN-2"
assert x["manufacturer"] == "Example Devices GmbH"
assert x["support_end"] == "2033-01" and x["error"] is None
want = [("doc", "manufacturer", "maker"), ("release", "manufacturer", "maker"),
        ("import", "importer", "impo"), ("distribution", "distributor", "whole"),
        ("distribution", "distributor", "retail")]
assert len(x["links"]) == 5
for i, (l, (kind, role, op)) in enumerate(zip(x["links"], want)):
    assert l["line"] == i + 1 and l["kind"] == kind, l
    assert l["role"] == role and l["operator"] == op, l
    assert l["ok"] is True and l["error"] is None, l
    assert l["keys_accepted"] == 1 and l["keys_required"] == 1, l
    assert l["sha256"] == sha(payloads[i]), l
    assert l["predicateType"] == "https://libattest.dev/cra/%s/v1" % kind
assert x["links"][2]["warnings"] and "IMP-1" in x["links"][2]["warnings"][0]
PY

t "verify --sign-summary: the summary signed, checked by attest-verify"
run "$CHAIN" verify --policy policy.json "$AT" --sign-summary -k summary.key \
    -o summary.intoto.jsonl chain.intoto.jsonl
expect_rc 0
run "$VERIFY" -K summary.pub --print-payload summary.intoto.jsonl
expect_rc 0
expect_out '"verificationResult":"PASSED"'

# --- attacks: each must fail, each with its own message -------------------

# line N of a bundle; a bundle from lines
line() { sed -n "${1}p" "$2"; }
# craft KEYREF BUNDLE LINE PYTHON OUT: re-sign line LINE's record, its
# predicate p edited by PYTHON, with KEYREF (a genuine key of the policy)
craft() {
	"$PY" - "$2" "$3" "$4" draft.json <<'PY' || exit 2
import base64, json, sys
bundle, n, code, out = sys.argv[1:]
s = json.loads(base64.b64decode(json.loads(
    open(bundle).read().splitlines()[int(n) - 1])["payload"]))
p = s["predicate"]
exec(code)
json.dump(p, open(out, "w"))
open(out + ".type", "w").write(s["predicateType"])
PY
	# attest-sign: a signature, no rules (an attacker's record)
	"$B/attest-sign" -f -k "$1" --predicate-type "$(cat draft.json.type)" \
	    --digest sha256,sha512 --predicate draft.json -o "$5" fw.bin \
	    >/dev/null 2>"$T/craft.err" || { cat "$T/craft.err"; exit 2; }
}
verify_fails() {
	run "$CHAIN" verify --policy "${POLICY:-policy.json}" "$AT" "$1"
	expect_rc 1
	expect_out "$1: FAILED"
}

t "release subjects without a name (valid in-toto v1): the chain verifies, nothing crashes"
# the release of b2, re-signed by the manufacturer's key with its
# subjects' names removed: only digests bind a subject
"$PY" - b2.intoto.jsonl nameless.json <<'PY' || exit 2
import base64, json, sys
s = json.loads(base64.b64decode(json.loads(
    open(sys.argv[1]).read().splitlines()[1])["payload"]))
for x in s["subject"]:
    x.pop("name", None)
open(sys.argv[2], "w").write(json.dumps(s))
PY
"$B/attest-sign" -f -k maker.key --payload nameless.json \
    --payload-type application/vnd.in-toto+json -o nameless.intoto.json \
    >/dev/null 2>&1 || exit 2
{ line 1 b2.intoto.jsonl; cat nameless.intoto.json; } >nameless.intoto.jsonl
run "$CHAIN" verify --policy policy.json "$AT" --artifact fw.bin \
    nameless.intoto.jsonl
expect_rc 0
expect_out "nameless.intoto.jsonl: OK: EXN-2 of Example Devices GmbH (DE, policy operator maker), 2 records"
run "$CHAIN" verify --policy policy.json "$AT" --json nameless.intoto.jsonl
expect_rc 0
expect_out '"subject":[{"digest":{"sha256":'
"$PY" -c 'import json,sys
s = json.loads(open(sys.argv[1]).read())
assert s["subject"] and all("name" not in x for x in s["subject"]), s["subject"]' \
    "$T/out" 2>"$T/py.err" || { bad "--json: subjects $(cat "$T/py.err")"; }

t "attack: a record spliced from another product's chain"
sed 's/"EXD-DOC-NOTES-2"/"EXD-DOC-NOTES-3"/' "$EX/doc-module-a.json" >doc3.json
"$DOC" sign -k maker.key "$AT" --artifact fw.bin -o doc3.intoto.json \
    doc3.json >/dev/null 2>&1 || exit 2
D3=$("$PY" -c 'import base64,hashlib,json,sys
print(hashlib.sha256(base64.b64decode(json.load(open(sys.argv[1]))["payload"])).hexdigest())' \
    doc3.intoto.json)
sed "s/0\{64\}/$D3/" "$EX/release.json" >release3.json
"$DOC" sign -k maker.key "$AT" --artifact fw.bin -o release3.intoto.json \
    release3.json >/dev/null 2>&1 || exit 2
cat doc3.intoto.json release3.intoto.json >o2.intoto.jsonl
"$CHAIN" import --policy policy.json "$AT" -k "$IMPKEY" --pin-file pin \
    --bundle o2.intoto.jsonl --artifact fw.bin --operator "$EX/import.json" \
    -o o3.intoto.jsonl >/dev/null 2>&1 || exit 2
{ line 1,2 chain.intoto.jsonl; line 3 o3.intoto.jsonl
  line 4,5 chain.intoto.jsonl; } >splice.intoto.jsonl
verify_fails splice.intoto.jsonl
expect_out "line 3: import: impo as importer"
expect_out "CH-6: upstream.doc.digests.sha256: $D3 is not the payload SHA-256 of the DoC (line 1"
expect_out "a record spliced from another chain, or an altered link"

t "attack: records reordered (distributors swapped; importer after a distributor)"
{ line 1,3 chain.intoto.jsonl; line 5 chain.intoto.jsonl
  line 4 chain.intoto.jsonl; } >swap.intoto.jsonl
verify_fails swap.intoto.jsonl
expect_out "line 4: distribution: retail"
expect_out "CH-6: upstream.previous_distribution.digests.sha256 names line 5 (distributor record), a later line"
{ line 1,2 chain.intoto.jsonl; line 4 chain.intoto.jsonl
  line 3 chain.intoto.jsonl; line 5 chain.intoto.jsonl; } >swap2.intoto.jsonl
verify_fails swap2.intoto.jsonl
expect_out "CH-3: an importer record after a distributor record (line 3): records reordered"

t "attack: a record replayed twice"
{ line 1,4 chain.intoto.jsonl; line 4 chain.intoto.jsonl; } \
    >replay.intoto.jsonl
verify_fails replay.intoto.jsonl
expect_out "line 5: distribution"
expect_out "CH-4: line 4 again (the same payload): a replayed record"

t "attack: a link digest off by one byte, signed by the genuine key"
craft wholesale.key chain.intoto.jsonl 4 '
d = p["upstream"]["import"]["digests"]
d["sha256"] = d["sha256"][:-2] + ("00" if d["sha256"][-2:] != "00" else "01")
' w-off.intoto.json
{ line 1,3 chain.intoto.jsonl; cat w-off.intoto.json; } >off.intoto.jsonl
verify_fails off.intoto.jsonl
expect_out "line 4: distribution: whole as distributor signed by 1/1 key"
expect_out "CH-6: upstream.import.digests.sha256:"
expect_out "is not the payload SHA-256 of the importer record (line 3"

t "the release contradicts its DoC: the chain applies REL-8 (as attest-doc verify --doc does)"
craft maker.key b2.intoto.jsonl 2 \
    'p["product"]["type_designation"] = "EXN-3"' relx.intoto.json
{ line 1 b2.intoto.jsonl; cat relx.intoto.json; } >relx.intoto.jsonl
verify_fails relx.intoto.jsonl
expect_out "line 2: release: maker as manufacturer"
expect_out "CH-2: product.type_designation: differs from the DoC's product.type_designation (EXN-2) (REL-8"

t "the release placed on the market before its DoC was issued: REL-10 in the chain"
craft maker.key b2.intoto.jsonl 2 \
    'p["placed_on_market_at"] = "2028-01-05"; p["ce_marking"]["affixed_at"] = "2028-01-05"' \
    relp.intoto.json
{ line 1 b2.intoto.jsonl; cat relp.intoto.json; } >relp.intoto.jsonl
verify_fails relp.intoto.jsonl
expect_out "(REL-10"

t "attack: an importer's key signs a DoC"
run "$DOC" sign -k "$IMPKEY" --pin-file pin "$AT" --artifact fw.bin \
    -o imp-doc.intoto.json "$EX/doc-module-a.json"
expect_rc 0
{ cat imp-doc.intoto.json; line 2,5 chain.intoto.jsonl; } \
    >impdoc.intoto.jsonl
verify_fails impdoc.intoto.jsonl
expect_out "line 1: doc: maker as manufacturer signed by 0/1 key"
expect_out "CH-5: 0 of the 1 distinct manufacturer keys of \"maker\" needed signed the DoC; the key is \"impo\"'s (Example Import SARL, FR), the DoC names \"Example Devices GmbH\" (DE) (P-1; X-1: a key used outside its operator's role, Art. 28(1), 21)"

# a second operator of the manufacturer's legal name, in Austria, with a
# key of its own (specs/policy.md §2.2: an operator is legal name and
# country); the importer's key stays scoped to "maker"
variant twin.json '
p["operators"].append({"id": "maker-at", "legal_name": "Example Devices GmbH",
    "country": "AT", "roles": {"manufacturer": {}}})
p["keys"].append({"operator": "maker-at", "roles": ["manufacturer"],
    "algorithm": "ed25519", "public_key": open("other.pub").read(),
    "valid_from": "2027-01-01"})'
t "the twin operator changes nothing for the genuine chain"
run "$CHAIN" verify --policy twin.json "$AT" --artifact fw.bin \
    chain.intoto.jsonl
expect_rc 0
expect_out "OK: EXN-2 of Example Devices GmbH (DE, policy operator maker)"

t "attack: the release signed by another operator of the DoC manufacturer's legal name"
craft other.key chain.intoto.jsonl 2 '
p["manufacturer"]["postal_address"]["country"] = "AT"' twin-rel.intoto.json
{ line 1 chain.intoto.jsonl; cat twin-rel.intoto.json; } >twin.intoto.jsonl
POLICY=twin.json verify_fails twin.intoto.jsonl
expect_out "line 2: release: maker-at as manufacturer signed by 1/1 key"
# REL-8 (the release against its DoC, within CH-2) says it first; CH-8
# says it for the records of other operators (below)
expect_out "CH-2: manufacturer: Example Devices GmbH (AT) is not the DoC's manufacturer Example Devices GmbH (DE): an operator is its legal name and country (REL-8"

t "attack: a distributor record for the twin manufacturer, in the genuine chain"
craft wholesale.key chain.intoto.jsonl 4 '
p["manufacturer"]["postal_address"]["country"] = "AT"' twin-dis.intoto.json
{ line 1,3 chain.intoto.jsonl; cat twin-dis.intoto.json; } \
    >twin-dis.intoto.jsonl
POLICY=twin.json verify_fails twin-dis.intoto.jsonl
expect_out "line 4: distribution: whole as distributor signed by 1/1 key"
expect_out "CH-8: manufacturer: the distributor record speaks for \"maker-at\" (Example Devices GmbH, AT), the DoC for \"maker\" (Example Devices GmbH, DE): another operator of the same legal name"

t "a record whose signer is not authorised: no content rule runs for it"
# the importer record, re-signed by the wholesaler's key (a distributor):
# its IMP-1 warning (a manufacturer in the Union) must not be reported,
# because the rules never ran; CH-5 alone is
craft wholesale.key chain.intoto.jsonl 3 'pass' imp-by-whole.intoto.json
{ line 1,2 chain.intoto.jsonl; cat imp-by-whole.intoto.json; } \
    >unauth.intoto.jsonl
verify_fails unauth.intoto.jsonl
expect_out "line 3: import: impo as importer signed by 0/1 key"
expect_out "CH-5: "
expect_out_lacks "line 3: warning"
expect_out_lacks "IMP-1"

t "attack: a distributor's key used after its revocation"
variant revoked.json 'K["whole:ed25519"]["revoked_at"] = "2028-02-05T08:00:00Z"'
POLICY=revoked.json verify_fails chain.intoto.jsonl
expect_out "line 4: distribution: whole as distributor signed by 0/1 key"
expect_out "the key is revoked since 2028-02-05T08:00:00Z; the distributor record is dated 2028-02-10"
t "a record dated before the revocation still holds"
variant revoked-late.json 'K["whole:ed25519"]["revoked_at"] = "2028-02-11"'
run "$CHAIN" verify --policy revoked-late.json "$AT" chain.intoto.jsonl
expect_rc 0

t "attack: a key outside its validity window"
variant window.json 'K["retail:fido-es256"]["valid_until"] = "2028-02-15"'
POLICY=window.json verify_fails chain.intoto.jsonl
expect_out "line 5: distribution: retail"
expect_out "the distributor record is dated 2028-02-20, after the key's valid_until 2028-02-15"

t "attack: a threshold of two met by the same key twice"
variant two.json 'p["operators"][0]["roles"]["manufacturer"]["threshold"] = 2'
"$PY" - doc.intoto.json doc-twice.intoto.json <<'PY' || exit 2
import json, sys
e = json.load(open(sys.argv[1]))
e["signatures"] = e["signatures"] * 2
open(sys.argv[2], "w").write(json.dumps(e, separators=(",", ":")) + "\n")
PY
{ cat doc-twice.intoto.json; line 2 chain.intoto.jsonl; } >twice.intoto.jsonl
POLICY=two.json verify_fails twice.intoto.jsonl
expect_out "CH-5: 1 of the 2 distinct manufacturer keys of \"maker\" needed signed the DoC"
"$B/attest-sign" -k maker2.key --countersign doc.intoto.json \
    -o doc-two.intoto.json >/dev/null 2>&1 || exit 2
"$B/attest-sign" -k maker2.key --countersign release.intoto.json \
    -o release-two.intoto.json >/dev/null 2>&1 || exit 2
cat doc-two.intoto.json release-two.intoto.json >two.intoto.jsonl
t "two distinct keys meet it"
run "$CHAIN" verify --policy two.json "$AT" two.intoto.jsonl
expect_rc 0
expect_out "signed by 2/2 keys"

t "attack: no importer for a manufacturer outside the Union"
variant ch.json 'p["operators"][0]["country"] = "CH"'
"$PY" - "$EX/doc-module-a.json" "$EX/release.json" <<'PY' || exit 2
import json, sys
for src, dst in ((sys.argv[1], "doc-ch.json"), (sys.argv[2], "release-ch.json")):
    d = json.load(open(src))
    d["predicate"]["manufacturer"]["postal_address"]["country"] = "CH"
    json.dump(d, open(dst, "w"))
PY
"$DOC" sign -k maker.key "$AT" --artifact fw.bin -o doc-ch.intoto.json \
    doc-ch.json >/dev/null 2>&1 || exit 2
DCH=$("$PY" -c 'import base64,hashlib,json,sys
print(hashlib.sha256(base64.b64decode(json.load(open(sys.argv[1]))["payload"])).hexdigest())' \
    doc-ch.intoto.json)
sed -i "s/0\{64\}/$DCH/" release-ch.json
"$DOC" sign -k maker.key "$AT" --artifact fw.bin -o release-ch.intoto.json \
    release-ch.json >/dev/null 2>&1 || exit 2
cat doc-ch.intoto.json release-ch.intoto.json >ch2.intoto.jsonl
run "$CHAIN" distribute --policy ch.json "$AT" -k wholesale.key \
    --bundle ch2.intoto.jsonl --artifact fw.bin \
    --operator "$EX/distribution-wholesale.json" -o ch3.intoto.jsonl
expect_rc 1
expect_err "(DIS-2"
expect_no_file ch3.intoto.jsonl
# a distributor record made without the tool, and appended by hand
craft wholesale.key chain.intoto.jsonl 4 '
p["manufacturer"]["postal_address"]["country"] = "CH"
del p["upstream"]["import"]
p["checks"]["importer_contact_19_4"] = {"result": "pass", "evidence": [
    {"uri": "https://importer.example/contact"}], "checked_at": "2028-02-10"}
p["upstream"]["doc"]["digests"]["sha256"] = "'"$DCH"'"
' w-ch.intoto.json
{ cat ch2.intoto.jsonl w-ch.intoto.json; } >noimp.intoto.jsonl
POLICY=ch.json verify_fails noimp.intoto.jsonl
expect_out "(DIS-2"

t "attack: a loop (a record naming a later line)"
R5=$(sed -n 5p chain.intoto.jsonl | "$PY" -c 'import base64,hashlib,json,sys
print(hashlib.sha256(base64.b64decode(json.load(sys.stdin)["payload"])).hexdigest())')
craft wholesale.key chain.intoto.jsonl 4 '
p["upstream"]["previous_distribution"] = {"digests": {"sha256": "'"$R5"'"}}
' w-loop.intoto.json
{ line 1,3 chain.intoto.jsonl; cat w-loop.intoto.json
  line 5 chain.intoto.jsonl; } >loop.intoto.jsonl
verify_fails loop.intoto.jsonl
expect_out "line 4: distribution"
expect_out "names line 5 (distributor record), a later line"

t "attack: a line that is not an envelope, an unsigned line"
{ line 1,2 chain.intoto.jsonl; echo 'this is not JSON'
  line 4,5 chain.intoto.jsonl; } >notenv.intoto.jsonl
verify_fails notenv.intoto.jsonl
expect_out "line 3: CH-1: not a DSSE envelope"
line 4 chain.intoto.jsonl | "$PY" -c 'import json,sys
e = json.load(sys.stdin); e["signatures"] = []
print(json.dumps(e, separators=(",", ":")))' >unsigned.json
{ line 1,3 chain.intoto.jsonl; cat unsigned.json; } >unsigned.intoto.jsonl
verify_fails unsigned.intoto.jsonl
expect_out "CH-1: unsigned: the envelope has no signatures"
{ line 1,2 chain.intoto.jsonl; echo; line 3 chain.intoto.jsonl; } \
    >blank.intoto.jsonl
verify_fails blank.intoto.jsonl
expect_out "CH-1: a blank line"

t "X-3: a record signed after its own retention date is only a warning"
craft wholesale.key chain.intoto.jsonl 4 '
p["custody"]["event_date"] = "2018-01-05"
p["custody"]["retain_until"] = "2028-01-05"
' w-old.intoto.json
{ line 1,3 chain.intoto.jsonl; cat w-old.intoto.json; } >x3.intoto.jsonl
run "$CHAIN" verify --policy policy.json "$AT" x3.intoto.jsonl
expect_rc 0
expect_out "line 4: warning: X-3: signed on 2028-02-10, after the record's own retention date 2028-01-05"
run "$CHAIN" verify --policy policy.json "$AT" chain.intoto.jsonl
if grep -q "X-3" "$T/out"; then bad "X-3 on records kept long enough"; else ok; fi

t "a record whose subjects have no sha256 digest (only sha512)"
craft wholesale.key chain.intoto.jsonl 4 'pass' w-512.intoto.json
"$B/attest-sign" -f -k wholesale.key --predicate-type "$(cat draft.json.type)" \
    --digest sha512 --predicate draft.json -o w-512.intoto.json fw.bin \
    >/dev/null 2>&1 || exit 2
{ line 1,3 chain.intoto.jsonl; cat w-512.intoto.json; } >sha512.intoto.jsonl
verify_fails sha512.intoto.jsonl
expect_out "CH-7: subject[0] (fw.bin) has no sha256 digest"

t "a bundle with CR LF line ends"
sed 's/$/\r/' chain.intoto.jsonl >crlf.intoto.jsonl
verify_fails crlf.intoto.jsonl
expect_out "line 1: CH-1: the line ends in white space (a CR before the LF?)"

t "an artifact that is not the release's"
echo other >other.bin
run "$CHAIN" verify --policy policy.json "$AT" --artifact other.bin \
    chain.intoto.jsonl
expect_rc 1
expect_out "CH-12: the artifact with SHA-256"

# --- import and distribute refuse ------------------------------------------

t "import: place_on_market with a failed check is refused, naming it"
"$PY" - "$EX/import.json" failed.json <<'PY' || exit 2
import json, sys
d = json.load(open(sys.argv[1]))
c = d["predicate"]["checks"]["technical_documentation_drawn_up"]
c["result"] = "fail"
c["note"] = "the manufacturer did not show it"
json.dump(d, open(sys.argv[2], "w"))
PY
run "$CHAIN" import --policy policy.json "$AT" -k "$IMPKEY" --pin-file pin \
    --bundle b2.intoto.jsonl --artifact fw.bin --operator failed.json \
    -o never.intoto.jsonl
expect_rc 1
expect_err "checks.technical_documentation_drawn_up"
expect_err "(IMP-2"
expect_err "failed.json: not signed"
expect_no_file never.intoto.jsonl

t "import: onto a bundle that does not hold; onto one with an importer"
run "$CHAIN" import --policy policy.json "$AT" -k "$IMPKEY" --pin-file pin \
    --bundle splice.intoto.jsonl --artifact fw.bin \
    --operator "$EX/import.json" -o never.intoto.jsonl
expect_rc 1
expect_err "the chain upstream does not hold"
expect_no_file never.intoto.jsonl
run "$CHAIN" import --policy policy.json "$AT" -k "$IMPKEY" --pin-file pin \
    --bundle b3.intoto.jsonl --artifact fw.bin \
    --operator "$EX/import.json" -o never.intoto.jsonl
expect_rc 1
expect_err "already has an importer record"
expect_no_file never.intoto.jsonl

t "distribute with a key the policy gives no distributor role"
run "$CHAIN" distribute --policy policy.json "$AT" -k other.key \
    --bundle b4.intoto.jsonl --artifact fw.bin \
    --operator "$EX/distribution-wholesale.json" -o never.intoto.jsonl
expect_rc 1
expect_err "not written: with the new record the chain does not hold"
expect_no_file never.intoto.jsonl

t "distribute: every artifact of the release; no overwrite without -f"
run "$CHAIN" distribute --policy policy.json "$AT" -k wholesale.key \
    --bundle b3.intoto.jsonl --artifact other.bin \
    --operator "$EX/distribution-wholesale.json" -o never.intoto.jsonl
expect_rc 1
expect_no_file never.intoto.jsonl
cp b4.intoto.jsonl keep.intoto.jsonl
run "$CHAIN" distribute --policy policy.json "$AT" -k wholesale.key \
    --bundle b3.intoto.jsonl --artifact fw.bin \
    --operator "$EX/distribution-wholesale.json" -o keep.intoto.jsonl
expect_rc 2
expect_err "exists (use --force to replace it)"
cmp -s b4.intoto.jsonl keep.intoto.jsonl || bad "the existing file changed"

t "a malformed policy, an operator file of the wrong kind"
variant badpol.json 'p["operators"][1]["roles"]["importer"]["threshold"] = 3'
run "$CHAIN" verify --policy badpol.json "$AT" chain.intoto.jsonl
expect_rc 2
expect_err "badpol.json: operators[1].roles.importer.threshold: 3, but only 1 key"
run "$CHAIN" distribute --policy policy.json "$AT" -k wholesale.key \
    --bundle b3.intoto.jsonl --artifact fw.bin --operator "$EX/import.json" \
    -o never.intoto.jsonl
expect_rc 2
expect_err "must be {\"predicateType\": \"https://libattest.dev/cra/distribution/v1\""

# --- many bundles at once ------------------------------------------------------

t "a directory of bundles: one line each and a summary, on 1 and 2 threads"
mkdir many
i=0
while [ $i -lt 20 ]; do
	cp chain.intoto.jsonl many/p$i.intoto.jsonl
	i=$((i + 1))
done
cp splice.intoto.jsonl many/zz-bad.intoto.jsonl
echo 'not a bundle, not named like one' >many/README
run "$CHAIN" verify --policy policy.json "$AT" --threads 1 many
expect_rc 1
cp "$T/out" one.txt
expect_out "many/p0.intoto.jsonl: OK: EXN-2 of Example Devices GmbH (DE, policy operator maker), 5 records"
expect_out "many/zz-bad.intoto.jsonl: FAILED"
expect_out "21 bundles: 20 hold, 1 fail"
n=$(grep -c ': OK: ' "$T/out")
expect_eq "bundles OK" "$n" 20
run "$CHAIN" verify --policy policy.json "$AT" --threads 2 many
expect_rc 1
cmp -s one.txt "$T/out" || bad "2 threads print another report than 1"
run "$CHAIN" verify --policy policy.json "$AT" --bundle chain.intoto.jsonl \
    --bundle b2.intoto.jsonl --links
expect_rc 0
expect_out "2 bundles: 2 hold, 0 fail"
expect_out "line 2: release: maker as manufacturer"

t "a FIFO named like a bundle does not hang the verifier"
mkdir fifo
cp chain.intoto.jsonl fifo/a.intoto.jsonl
mkfifo fifo/b.intoto.jsonl
run timeout 20 "$CHAIN" verify --policy policy.json "$AT" fifo
expect_rc 2
expect_out "fifo/b.intoto.jsonl: not a regular file"
expect_out "2 bundles: 1 hold, 1 fail"

# --- text from a signed record (issue 14 §5) -----------------------------------

t "verify: a record's strings cannot drive the terminal (summary, links, --json)"
# a product whose type designation, and an artifact whose name (the
# subject name), hold ESC [2J, BEL, CSI (U+009B), DEL and U+202E
cp fw.bin "$HOSTILE.bin"
"$PY" - "$EX/doc-module-a.json" "$HOSTILE_JSON" <<'PY' || exit 2
import json, sys
d = json.load(open(sys.argv[1]))
h = json.loads('"%s"' % sys.argv[2])
d["predicate"]["product"]["type_designation"] = "EXN-2 " + h
json.dump(d, open("hdoc.json", "w"))
PY
run "$DOC" sign -k maker.key "$AT" --artifact "$HOSTILE.bin" \
    -o hdoc.intoto.json hdoc.json
expect_rc 0
HDOCSHA=$("$PY" -c 'import base64,hashlib,json,sys
print(hashlib.sha256(base64.b64decode(json.load(open(sys.argv[1]))["payload"])).hexdigest())' \
    hdoc.intoto.json)
"$PY" - "$EX/release.json" "$HOSTILE_JSON" "$HDOCSHA" <<'PY' || exit 2
import json, sys
d = json.load(open(sys.argv[1]))
h = json.loads('"%s"' % sys.argv[2])
d["predicate"]["product"]["type_designation"] = "EXN-2 " + h
d["predicate"]["doc"]["digests"]["sha256"] = sys.argv[3]
json.dump(d, open("hrel.json", "w"))
PY
run "$DOC" sign -k maker.key "$AT" --policy policy.json \
    --doc hdoc.intoto.json --artifact "$HOSTILE.bin" -o hrel.intoto.json \
    hrel.json
expect_rc 0
cat hdoc.intoto.json hrel.intoto.json >h2.intoto.jsonl
run "$CHAIN" verify --policy policy.json "$AT" --artifact "$HOSTILE.bin" \
    h2.intoto.jsonl
expect_rc 0
expect_out "h2.intoto.jsonl: OK: EXN-2 $HOSTILE_SHOWN of Example Devices GmbH (DE, policy operator maker), 2 records"
expect_out "line 2: release: maker as manufacturer signed by 1/1 key"
expect_no_controls
# the summary: the strings as signed, JSON-escaped, non-ASCII as \uXXXX
run "$CHAIN" verify --policy policy.json "$AT" --json h2.intoto.jsonl
expect_rc 0
"$PY" - "$T/out" "$HOSTILE_JSON" <<'PY' || bad "--json: the strings as signed"
import json, sys
raw = open(sys.argv[1], "rb").read()
assert all(c not in raw for c in (b"\x1b", b"\x07", b"\xc2\x9b",
                                  b"\xe2\x80\xae")), raw
h = json.loads('"%s"' % sys.argv[2])
s = json.loads(raw)
assert s["predicate"]["libattest"]["product"] == "EXN-2 " + h, s
assert s["subject"][0]["name"] == h + ".bin", s["subject"]
PY

t "verify: a chain message quoting a record shows it escaped"
# the release re-signed with its subject's sha256 removed: CH-7 quotes
# the subject's name
"$PY" - hrel.intoto.json hrel-nosha.json <<'PY' || exit 2
import base64, json, sys
s = json.loads(base64.b64decode(json.load(open(sys.argv[1]))["payload"]))
for x in s["subject"]:
    del x["digest"]["sha256"]
open(sys.argv[2], "w").write(json.dumps(s))
PY
"$B/attest-sign" -f -k maker.key --payload hrel-nosha.json \
    --payload-type application/vnd.in-toto+json -o hrel-nosha.intoto.json \
    >/dev/null 2>&1 || exit 2
cat hdoc.intoto.json hrel-nosha.intoto.json >hnosha.intoto.jsonl
verify_fails hnosha.intoto.jsonl
expect_out "CH-7: subject[0] ($HOSTILE_SHOWN.bin) has no sha256 digest"
expect_no_controls

t "import: a check's evidence with those strings, shown escaped"
"$PY" - "$EX/import.json" "$HOSTILE_JSON" <<'PY' || exit 2
import json, sys
d = json.load(open(sys.argv[1]))
h = json.loads('"%s"' % sys.argv[2])
p = d["predicate"]
p["product"]["type_designation"] = "EXN-2 " + h
ev = p["checks"]["ce_marking"]["evidence"][0]
ev["description"] = "seen: " + h
json.dump(d, open("himp.json", "w"))
ev[h] = "x"
json.dump(d, open("himp-bad.json", "w"))
PY
run "$CHAIN" import --policy policy.json "$AT" -k "$IMPKEY" --pin-file pin \
    --bundle h2.intoto.jsonl --artifact "$HOSTILE.bin" \
    --operator himp-bad.json -o h3-bad.intoto.jsonl
expect_rc 1
expect_err "checks.ce_marking.evidence[0].$HOSTILE_SHOWN: unknown member"
expect_no_controls
expect_no_file h3-bad.intoto.jsonl
run "$CHAIN" import --policy policy.json "$AT" -k "$IMPKEY" --pin-file pin \
    --bundle h2.intoto.jsonl --artifact "$HOSTILE.bin" \
    --operator himp.json -o h3.intoto.jsonl
expect_rc 0
expect_out "h3.intoto.jsonl: import record appended as line 3"
expect_no_controls
run "$CHAIN" verify --policy policy.json "$AT" --links h3.intoto.jsonl
expect_rc 0
expect_out "OK: EXN-2 $HOSTILE_SHOWN of Example Devices GmbH"
expect_out "line 3: import: impo as importer signed by 1/1 key"
expect_no_controls

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
