#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# attest-doc end to end: templates, check, sign, verify (signature,
# artifacts, rules, as of a date), the simplified DoC and the release bound
# to the DoC by its payload SHA-256, and render (text, HTML, PDF) only of
# what verified.  The rules themselves are tested one by one in
# tests/unit/test_cra.c, the renderer's output in tests/cra/render/.
#
#   sh tests/doc/run.sh BUILD_DIR		(make check-cra)
#
# Prints "N passed, M failed" last and exits non-zero when M > 0.

set -u
LIB=$(cd "$(dirname "$0")/.." && pwd)/lib.sh
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/doc/run.sh BUILD_DIR" >&2
	exit 2
fi
case $1 in
/*)	B=$1 ;;
*)	B=$(pwd)/$1 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
ROOT=$(cd "$HERE/../.." && pwd) || exit 2
DOC=$B/attest-doc
KEYGEN=$B/attest-keygen
PY=/usr/bin/python3
EX=$ROOT/keys-example/cra
for need in "$PY" pdftotext pdftoppm sha256sum; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "run.sh: $need: not found (make test-deps)" >&2
		exit 2
	fi
done
T=$(mktemp -d "${TMPDIR:-/tmp}/attest-doc.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
cd "$T" || exit 2
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=87"
export ASAN_OPTIONS UBSAN_OPTIONS
NOTTY=
: >"$T/null"

. "$LIB"

sanitized() {
	if grep -E -q 'Sanitizer|runtime error:' "$T/err"; then
		bad "sanitizer report (exit $RC)"
		show
	fi
}

AT=--at=2028-03-01
"$KEYGEN" -t ed25519 --no-passphrase -o maker >/dev/null 2>&1 || exit 2
"$KEYGEN" -t ed25519 --no-passphrase -o other >/dev/null 2>&1 || exit 2
head -c 100000 /dev/urandom >fw.bin
cp fw.bin fw-tampered.bin
printf 'X' | dd of=fw-tampered.bin bs=1 seek=10 conv=notrunc 2>/dev/null

# --- templates -------------------------------------------------------------

for k in doc:doc-module-a doc:doc-module-h doc:doc-every-field sdoc:sdoc \
    release:release import:import distribution:distribution-wholesale \
    distribution:distribution-retail; do
	kind=${k%%:*}
	ex=${k#*:}
	t "init $kind, filled with $ex, checks like the example"
	run "$DOC" init "$kind" -f -o "tpl-$kind.json"
	expect_rc 0
	run "$DOC" check "$AT" "tpl-$kind.json"
	expect_rc 1
	expect_err "template placeholder not filled in (T-1"
	"$PY" "$HERE/fill.py" "tpl-$kind.json" "$EX/$ex.json" "f-$ex.json" \
	    >/dev/null || bad "fill.py"
	run "$DOC" check "$AT" "f-$ex.json"
	expect_rc 0
	expect_out "record passes every rule as of 2028-03-01"
done

t "init refuses to overwrite"
run "$DOC" init doc -o tpl-doc.json
expect_rc 2
expect_err "exists"

t "init: an unknown kind"
run "$DOC" init dog -o x.json
expect_rc 2
expect_no_file x.json

# --- importer and distributor records (specs/chain.md §2) ------------------

t "init import and distribution write their templates"
for kind in import distribution; do
	run "$DOC" init "$kind" -o "new-$kind.json"
	expect_rc 0
	"$PY" - "new-$kind.json" "$kind" <<'PY' || bad "$kind template"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["predicateType"] == \
    "https://libattest.dev/cra/%s/v1" % sys.argv[2], d["predicateType"]
assert d["predicate"]["custody"]["supplied_by"]["name"].startswith(
    "<REQUIRED"), d["predicate"]["custody"]
PY
done

t "check: the importer record passes, with IMP-1's warning"
run "$DOC" check "$AT" "$EX/import.json"
expect_rc 0
expect_out "import.json: import record passes every rule as of 2028-03-01"
expect_err "import.json: warning: manufacturer.postal_address.country: the manufacturer is established in the Union (DE): this is not an import (IMP-1, Art. 3(16)"

for ex in distribution-wholesale distribution-retail; do
	t "check: $ex passes with no finding"
	run "$DOC" check "$AT" "$EX/$ex.json"
	expect_rc 0
	expect_out "$ex.json: distribution record passes every rule"
	expect_no_err
done

t "check: a mutated distributor record fails, naming the rule"
"$PY" - "$EX/distribution-retail.json" retail-bad.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["predicate"]["custody"]["retain_until"] = "2030-02-15"
del d["predicate"]["supplier"]["postal_address"]
json.dump(d, open(sys.argv[2], "w"))
PY
run "$DOC" check "$AT" retail-bad.json
expect_rc 1
expect_err "retail-bad.json: supplier.postal_address: missing (DIS-5, Art. 23(1)(a)"
expect_err "retail-bad.json: custody.retain_until: must be on or after 2038-02-15 (event_date + 10 years) (CUS-1, Art. 23"
expect_no_out

t "check: an importer outside the Union fails IMP-1"
"$PY" - "$EX/import.json" import-bad.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["predicate"]["importer"]["postal_address"]["country"] = "CH"
d["predicate"]["manufacturer"]["postal_address"]["country"] = "CN"
json.dump(d, open(sys.argv[2], "w"))
PY
run "$DOC" check "$AT" import-bad.json
expect_rc 1
expect_err "import-bad.json: importer.postal_address.country: CH is not an EU Member State: an importer is established in the Union (IMP-1"
grep -q "warning:" "$T/err" && bad "a warning for a manufacturer outside the Union"

t "an importer record signs and verifies; it is not rendered"
run "$DOC" sign -k maker.key "$AT" --artifact fw.bin -o import.intoto.json \
    "$EX/import.json"
expect_rc 0
run "$DOC" verify -K maker.pub "$AT" import.intoto.json
expect_rc 0
expect_out "import record verified, every rule passes as of 2028-03-01"
run "$DOC" render -K maker.pub "$AT" --format html -o import.html \
    import.intoto.json
expect_rc 2
expect_err "predicateType: import records are not rendered"
expect_no_file import.html

# signed records edited by PY (on the predicate p), signed with the
# manufacturer's key by attest-sign (no rules), verified by attest-doc
signed_edit() {	# EXAMPLE TYPE PYTHON OUT
	"$PY" - "$EX/$1" "$3" edit.json <<'PY' || exit 2
import json, sys
d = json.load(open(sys.argv[1]))
p = d.get("predicate", d)
exec(sys.argv[2])
json.dump(p, open(sys.argv[3], "w"))
PY
	"$B/attest-sign" -f -k maker.key --predicate-type \
	    "https://libattest.dev/cra/$2/v1" --predicate edit.json -o "$4" \
	    fw.bin 2>/dev/null || exit 2
}
STD2='{"kind": "harmonised_standard", "reference": "EN 00000-9", "oj_reference": "OJ L, 2027/0009", "coverage": "full"}'
CLASS1='p["product"]["class"] = "important_class_i"; p["product"]["annex_category"] = "III-I-2"'

t "DOC-3: class I under module_a, two harmonised standards in full: passes"
signed_edit doc-module-a.json doc "$CLASS1; p['standards'].append($STD2)" \
    c1-full.intoto.json
run "$DOC" verify -K maker.pub "$AT" c1-full.intoto.json
expect_rc 0

t "DOC-3: class I under module_a, one standard in full beside one in part: refused (Art. 32(2))"
signed_edit doc-module-a.json doc "$CLASS1; s = $STD2; s['coverage'] = 'partial'; s['parts_applied'] = ['5']; p['standards'].append(s)" \
    c1-part.intoto.json
run "$DOC" verify -K maker.pub "$AT" c1-part.intoto.json
expect_rc 1
expect_err "standards[1].coverage: EN 00000-9 is applied only in part"
expect_err "(DOC-3, Art. 32(2)"

t "DOC-3: a harmonised standard without OJ reference gives no presumption (Art. 27(1))"
signed_edit doc-module-a.json doc "$CLASS1; s = $STD2; del s['oj_reference']; p['standards'].append(s)" \
    c1-oj.intoto.json
run "$DOC" verify -K maker.pub "$AT" --json c1-oj.intoto.json
expect_rc 1
expect_out '"rule": "DOC-3"'
expect_out '"field": "standards[1].oj_reference"'

t "CUS-1: a distributor record that says supplied_to is not recorded: a warning"
signed_edit distribution-wholesale.json distribution \
    'p["custody"]["supplied_to"] = None' cus-null.intoto.json
run "$DOC" verify -K maker.pub "$AT" cus-null.intoto.json
expect_rc 0
expect_err "custody.supplied_to: not recorded"
expect_err "(CUS-1"

t "CUS-1: the supplier stays required"
signed_edit distribution-wholesale.json distribution \
    'del p["custody"]["supplied_by"]' cus-noby.intoto.json
run "$DOC" verify -K maker.pub "$AT" cus-noby.intoto.json
expect_rc 1
expect_err "custody.supplied_by: missing"
expect_err "(CUS-1"

# --- check -------------------------------------------------------------------

t "check lists every problem, with rule and basis"
"$PY" - "$ROOT/tests/cra/three-errors.json" three.json <<'PY'
import json, sys
json.dump({"predicateType": "https://libattest.dev/cra/doc/v1",
           "predicate": json.load(open(sys.argv[1]))}, open(sys.argv[2], "w"))
PY
run "$DOC" check "$AT" three.json
expect_rc 1
n=$(grep -c '(S-\|(DOC-\|(REL-\|(SDOC-\|(X-' "$T/err")
expect_eq "findings" "$n" 3

t "check: the message format of the issue"
"$PY" - "$EX/doc-module-h.json" nb.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
del d["predicate"]["notified_body"]["number"]
json.dump(d, open(sys.argv[2], "w"))
PY
run "$DOC" check "$AT" nb.json
expect_rc 1
expect_err_re "nb.json: notified_body.number: missing.*\(DOC-4, Annex V\(7\)"

t "check: not a draft, bad JSON, duplicate keys"
printf '{"predicate": {}}' >nodraft.json
run "$DOC" check nodraft.json
expect_rc 2
expect_err "not a draft"
printf '{' >broken.json
run "$DOC" check broken.json
expect_rc 2
printf '{"predicateType": "x", "predicateType": "y", "predicate": {}}' \
    >dup.json
run "$DOC" check dup.json
expect_rc 2

# --- sign, verify --------------------------------------------------------------

t "sign refuses a record that fails the rules"
run "$DOC" sign -k maker.key "$AT" --artifact fw.bin -o bad.intoto.json nb.json
expect_rc 1
expect_err "not signed"
expect_no_file bad.intoto.json

for ex in doc-module-a doc-module-h; do
	t "sign and verify $ex"
	run "$DOC" sign -k maker.key "$AT" --artifact fw.bin \
	    -o "$ex.intoto.json" "$EX/$ex.json"
	expect_rc 0
	run "$DOC" verify -K maker.pub "$AT" --artifact fw.bin "$ex.intoto.json"
	expect_rc 0
	expect_out "fw.bin: OK"
	expect_out "doc record verified, every rule passes as of 2028-03-01"
done

t "the payload SHA-256 is that of the signed Statement"
run "$DOC" verify -K maker.pub "$AT" --json doc-module-a.intoto.json
expect_rc 0
want=$("$PY" -c 'import base64,hashlib,json,sys
print(hashlib.sha256(base64.b64decode(json.load(open(sys.argv[1]))["payload"])).hexdigest())' \
    doc-module-a.intoto.json)
got=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["payload_sha256"])' "$T/out")
expect_eq "payload_sha256" "$got" "$want"
DOCSHA=$want

t "verify --json: the verdict, kind and findings"
"$PY" - "$T/out" <<'PY' || bad "--json fields"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["verified"] is True and v["kind"] == "doc", v
assert v["predicateType"] == "https://libattest.dev/cra/doc/v1"
assert v["at"] == "2028-03-01" and isinstance(v["findings"], list)
PY

t "verify: a tampered artifact, another key, a tampered envelope"
run "$DOC" verify -K maker.pub "$AT" --artifact fw-tampered.bin \
    doc-module-a.intoto.json
expect_rc 1
run "$DOC" verify -K other.pub "$AT" doc-module-a.intoto.json
expect_rc 1
"$PY" - doc-module-a.intoto.json tampered.intoto.json <<'PY'
import base64, json, sys
e = json.load(open(sys.argv[1]))
s = json.loads(base64.b64decode(e["payload"]))
s["predicate"]["signatory"]["name"] = "Mallory"
e["payload"] = base64.b64encode(json.dumps(s).encode()).decode()
json.dump(e, open(sys.argv[2], "w"))
PY
run "$DOC" verify -K maker.pub "$AT" tampered.intoto.json
expect_rc 1

t "a record signed without rules (attest-sign) is checked on verify"
"$PY" - nb.json nb-pred.json <<'PY'
import json, sys
json.dump(json.load(open(sys.argv[1]))["predicate"], open(sys.argv[2], "w"))
PY
"$B/attest-sign" -k maker.key --predicate-type \
    https://libattest.dev/cra/doc/v1 --predicate nb-pred.json \
    -o sneaky.intoto.json fw.bin 2>/dev/null
run "$DOC" verify -K maker.pub "$AT" sneaky.intoto.json
expect_rc 1
expect_err "(DOC-4"

# --- as of a date ----------------------------------------------------------------

sed "s/0\{64\}/$DOCSHA/" "$EX/release.json" >release.json
sed "s/0\{64\}/$DOCSHA/" "$EX/sdoc.json" >sdoc.json
t "the release, bound to its DoC"
run "$DOC" sign -k maker.key "$AT" --doc doc-module-a.intoto.json \
    -K maker.pub --artifact fw.bin -o release.intoto.json release.json
expect_rc 0
run "$DOC" verify -K maker.pub "$AT" --doc doc-module-a.intoto.json \
    release.intoto.json
expect_rc 0

t "the release as of 2040: support ended, a warning"
run "$DOC" verify -K maker.pub --at 2040-01-01 release.intoto.json
expect_rc 0
expect_err "warning: "
expect_err "(REL-13"

t "the release bound to another DoC"
run "$DOC" verify -K maker.pub "$AT" --doc doc-module-h.intoto.json \
    release.intoto.json
expect_rc 1
expect_err "(REL-8"

SBOM=$EX/sbom.cdx.json
t "the release against its SBOM (--sbom): check and verify pass"
run "$DOC" check "$AT" --sbom "$SBOM" release.json
expect_rc 0
expect_out "release record passes every rule"
run "$DOC" verify -K maker.pub "$AT" --doc doc-module-a.intoto.json \
    --sbom "$SBOM" release.intoto.json
expect_rc 0
expect_out "release record verified, every rule passes as of 2028-03-01"
expect_no_err

t "an altered SBOM fails, REL-5 naming the digest"
sed 's/"1\.4\.2"/"1.4.3"/' "$SBOM" >sbom-altered.json
cmp -s "$SBOM" sbom-altered.json && bad "sed did not alter the SBOM"
run "$DOC" verify -K maker.pub "$AT" --sbom sbom-altered.json \
    release.intoto.json
expect_rc 1
expect_err_re "release\.intoto\.json: sbom\.digests\.sha256: not the SHA-256 of the SBOM given \([0-9a-f]{64}\) \(REL-5, Annex I Part II\(1\)"
run "$DOC" check "$AT" --sbom sbom-altered.json release.json
expect_rc 1
expect_err "release.json: sbom.digests.sha256: not the SHA-256 of the SBOM"
run "$DOC" sign -k maker.key "$AT" --sbom sbom-altered.json \
    --artifact fw.bin -o release-bad.intoto.json release.json
expect_rc 1
expect_err "not signed"
expect_no_file release-bad.intoto.json
run "$DOC" verify -K maker.pub "$AT" --json --sbom sbom-altered.json \
    release.intoto.json
expect_rc 1
"$PY" - "$T/out" <<'PY' || bad "--json: no REL-5 finding on the digest"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["verified"] is False, v
assert any(f["rule"] == "REL-5" and f["severity"] == "error" and
           f["field"] == "sbom.digests.sha256" for f in v["findings"]), v
PY

t "an SBOM of another spec version, its digest right"
sed 's/"specVersion": "1\.6"/"specVersion": "1.5"/' "$SBOM" >sbom-15.json
sha=$(sha256sum sbom-15.json | cut -c1-64)
"$PY" - release.json "$sha" release-15.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["predicate"]["sbom"]["digests"]["sha256"] = sys.argv[2]
json.dump(d, open(sys.argv[3], "w"))
PY
run "$DOC" check "$AT" --sbom sbom-15.json release-15.json
expect_rc 1
expect_err "sbom.spec_version: \"1.6\", but the SBOM given has specVersion \"1.5\" (REL-5"
expect_err "warning: sbom.profile: claims BSI TR-03183-2, which asks for CycloneDX 1.6 or later"

t "--sbom: an unreadable file, a record that is not a release"
run "$DOC" verify -K maker.pub "$AT" --sbom nosuch.json release.intoto.json
expect_rc 2
expect_err "nosuch.json"
run "$DOC" verify -K maker.pub "$AT" --sbom "$SBOM" doc-module-a.intoto.json
expect_rc 2
expect_err "--sbom: only a release record names an SBOM"

t "the simplified DoC, bound to its DoC"
run "$DOC" sign -k maker.key "$AT" --doc doc-module-a.intoto.json \
    -K maker.pub --artifact fw.bin -o sdoc.intoto.json sdoc.json
expect_rc 0
run "$DOC" verify -K maker.pub "$AT" --doc doc-module-a.intoto.json \
    sdoc.intoto.json
expect_rc 0
run "$DOC" sign -k maker.key "$AT" --doc doc-module-a.intoto.json \
    -K maker.pub --artifact fw.bin -o sdoc0.intoto.json "$EX/sdoc.json"
expect_rc 1
expect_err "(SDOC-1"
expect_no_file sdoc0.intoto.json

# --- trust policy (--policy, specs/policy.md) -------------------------------------

"$KEYGEN" -t ed25519 --no-passphrase -o revoked >/dev/null 2>&1 || exit 2
"$KEYGEN" -t ecdsa-p256 --no-passphrase -o late >/dev/null 2>&1 || exit 2
# maker: the manufacturer; other: an importer's key; revoked: the
# manufacturer's, revoked before the DoC's date; late: valid only later
"$PY" - policy.json <<'PY' || exit 2
import json, sys
pem = lambda f: open(f).read()
def key(f, op, role, alg, **kw):
    k = {"operator": op, "roles": [role], "algorithm": alg,
         "public_key": pem(f), "valid_from": "2027-01-01"}
    k.update(kw)
    return k
json.dump({"policy_version": 1, "name": "test policy",
  "operators": [
    {"id": "example-devices", "legal_name": "Example Devices GmbH",
     "country": "DE", "roles": {"manufacturer": {}}},
    {"id": "impo", "legal_name": "Example Import SARL", "country": "FR",
     "roles": {"importer": {}}}],
  "keys": [
    key("maker.pub", "example-devices", "manufacturer", "ed25519"),
    key("other.pub", "impo", "importer", "ed25519"),
    key("revoked.pub", "example-devices", "manufacturer", "ed25519",
        revoked_at="2028-01-01T00:00:00Z"),
    key("late.pub", "example-devices", "manufacturer", "ecdsa-p256-sha256",
        valid_from="2028-06-01")],
  "demands": {"min_support_months": 60}}, open(sys.argv[1], "w"))
PY

t "verify --policy: the manufacturer's key, authorised"
run "$DOC" verify --policy policy.json "$AT" --artifact fw.bin \
    doc-module-a.intoto.json
expect_rc 0
expect_out 'signed for "example-devices" by 1 of the 1 key the trust policy'
expect_out "doc record verified"

t "verify --policy --json: the verdict per key"
run "$DOC" verify --policy policy.json "$AT" --json doc-module-a.intoto.json
expect_rc 0
"$PY" - "$T/out" <<'PY' || bad "--json policy fields"
import json, sys
p = json.load(open(sys.argv[1]))["policy"]
assert p["operator"] == "example-devices" and p["name"] == "test policy", p
assert p["threshold"] == 1 and p["accepted"] == 1, p
assert len(p["keys"]) == 1 and p["keys"][0]["accepted"] is True, p
assert len(p["keys"][0]["keyid"]) == 64, p
PY

t "a DoC signed by an importer's key is refused (X-1)"
run "$DOC" sign -k other.key "$AT" --artifact fw.bin -o imp-doc.intoto.json \
    "$EX/doc-module-a.json"
expect_rc 0
run "$DOC" verify --policy policy.json "$AT" imp-doc.intoto.json
expect_rc 1
expect_err "imp-doc.intoto.json: 0 of the 1 distinct manufacturer keys of \"example-devices\" needed signed the DoC; the key is \"impo\"'s (Example Import SARL, FR), the DoC names \"Example Devices GmbH\" (DE) (P-1; X-1: a key used outside its operator's role, Art. 28(1), 21)"
expect_no_out "verified"
run "$DOC" render --policy policy.json "$AT" --format text -o imp.txt \
    imp-doc.intoto.json
expect_rc 1
expect_no_file imp.txt

t "a signed DoC whose date is no ISO 8601 date: a verdict (X-2), with -K and --policy"
"$PY" - "$EX/doc-module-a.json" baddate.json <<'PY' || exit 2
import json, sys
d = json.load(open(sys.argv[1]))
p = d.get("predicate", d)
p["signatory"]["date_of_issue"] = "10.01.2028"
json.dump(p, open(sys.argv[2], "w"))
PY
"$B/attest-sign" -k maker.key --predicate-type \
    https://libattest.dev/cra/doc/v1 --predicate baddate.json \
    -o baddate.intoto.json fw.bin 2>/dev/null || exit 2
run "$DOC" verify -K maker.pub "$AT" baddate.intoto.json
expect_rc 1
expect_err "signatory.date_of_issue: must be an ISO 8601 date YYYY-MM-DD (a real calendar day) (X-2"
run "$DOC" verify --policy policy.json "$AT" baddate.intoto.json
expect_rc 1
expect_err "signatory.date_of_issue: \"10.01.2028\" is not an ISO 8601 date YYYY-MM-DD (X-2)"

t "the signer's authorisation before the rules (issue 14 §4)"
# a DoC with 65 markets (one over ATTEST_MAX_MARKETS: an S-3), signed
# outside attest-doc: by the importer's key it is refused for the key
# alone, its content never checked; by the manufacturer's key the rules
# run and find it
"$PY" - "$EX/doc-module-a.json" many-markets.json <<'PY' || exit 2
import json, sys
d = json.load(open(sys.argv[1]))
d["predicate"]["markets"] = ["DE"] * 65
json.dump(d["predicate"], open(sys.argv[2], "w"))
PY
for k in other maker; do
	run "$B/attest-sign" -k $k.key -o mm-$k.intoto.json \
	    --predicate-type https://libattest.dev/cra/doc/v1 \
	    --predicate many-markets.json fw.bin
	expect_rc 0
	run "$DOC" verify --policy policy.json "$AT" mm-$k.intoto.json
	expect_rc 1
done
expect_err "mm-maker.intoto.json: markets: more than 64 elements (ATTEST_MAX_MARKETS) (S-3"
run "$DOC" verify --policy policy.json "$AT" mm-other.intoto.json
expect_err "the key is \"impo\"'s (Example Import SARL, FR)"
if grep -q -e "S-3" -e "ATTEST_MAX_MARKETS" -e "DOC-" "$T/err" "$T/out"; then
	bad "rules ran for a record whose signer is not authorised"
	show
else
	ok
fi

t "a key revoked before the DoC's date, a key valid only later"
for k in revoked late; do
	run "$DOC" sign -k $k.key "$AT" --artifact fw.bin -o $k.intoto.json \
	    "$EX/doc-module-a.json"
	expect_rc 0
	run "$DOC" verify --policy policy.json "$AT" $k.intoto.json
	expect_rc 1
done
expect_err "before the key's valid_from 2028-06-01"
run "$DOC" verify --policy policy.json "$AT" revoked.intoto.json
expect_err "the key is revoked since 2028-01-01T00:00:00Z; the DoC is dated 2028-01-10"

t "a DoC dated after --at was not signed yet"
run "$DOC" verify --policy policy.json --at 2028-01-09 doc-module-a.intoto.json
expect_rc 1
expect_err "after the verification date 2028-01-09"

t "--doc under the policy, and the policy's minimum support period (P-2)"
run "$DOC" verify --policy policy.json "$AT" --doc doc-module-a.intoto.json \
    release.intoto.json
expect_rc 0
expect_out 'release.intoto.json: signed for "example-devices"'
sed 's/"min_support_months": 60/"min_support_months": 120/' policy.json \
    >policy-120.json
run "$DOC" verify --policy policy-120.json "$AT" release.intoto.json
expect_rc 1
expect_err "payload.predicate.support_period.end: 2033-01 ends before 2038-01-15: the trust policy demands at least 120 months from the start 2028-01-15 (P-2)"
run "$DOC" verify --policy policy.json "$AT" --doc imp-doc.intoto.json \
    release.intoto.json
expect_rc 1
expect_err "imp-doc.intoto.json: 0 of the 1"

t "render --policy names the policy in the signature facts"
run "$DOC" render --policy policy.json "$AT" --format text -o pol.txt \
    doc-module-a.intoto.json
expect_rc 0
grep -q "policy.json" pol.txt || bad "render: the policy file is not named"

t "render --policy shows the authorised signature, not any valid one"
# the importer's key (in the policy, not authorised for a DoC) adds a
# signature of its own, put first in the envelope: it must not be shown
# as the DoC's signature, only apart as not authorising
"$B/attest-sign" -k other.key --countersign doc-module-a.intoto.json \
    -o doc-co.intoto.json >/dev/null 2>&1 || exit 2
"$PY" - doc-co.intoto.json doc-co-first.intoto.json <<'PY' || exit 2
import json, sys
e = json.load(open(sys.argv[1]))
e["signatures"].reverse()
open(sys.argv[2], "w").write(json.dumps(e) + "\n")
PY
MAKERKID=$(keyid_of maker.pub)
OTHERKID=$(keyid_of other.pub)
run "$DOC" render --policy policy.json "$AT" --format text -o co.txt \
    doc-co-first.intoto.json
expect_rc 0
"$PY" - co.txt "$MAKERKID" "$OTHERKID" <<'PY' || bad "render: the signature shown is not the authorised one"
import re, sys
t = open(sys.argv[1]).read()
sec = " ".join(t[t.index("Signature"):].split())
maker, other = sys.argv[2], sys.argv[3]
# the text renderer may wrap a long value onto the next line
assert re.search(r"Signed for: example-devices", sec), sec
assert re.search(r"Key: " + maker, sec), sec
assert re.search(r"Not authorising: " + other, sec), sec
assert sec.count(other) == 1 and sec.count(maker) == 1, sec
assert "attest-doc verify --policy policy.json" in sec, sec
PY

t "--policy: with -K, a malformed policy, a missing file"
run "$DOC" verify --policy policy.json -K maker.pub "$AT" \
    doc-module-a.intoto.json
expect_rc 2
expect_err "choose one of -K PUBKEY and --policy FILE"
"$PY" - policy.json policy-bad.json <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["operators"][0]["roles"]["manufacturer"]["threshold"] = 4
json.dump(p, open(sys.argv[2], "w"))
PY
run "$DOC" verify --policy policy-bad.json "$AT" doc-module-a.intoto.json
expect_rc 2
expect_err "policy-bad.json: operators[0].roles.manufacturer.threshold: 4, but only 3 keys of \"example-devices\" hold the role"
run "$DOC" verify --policy nonexistent.json "$AT" doc-module-a.intoto.json
expect_rc 2
expect_err "nonexistent.json"

# --- render ------------------------------------------------------------------------

t "render text and html"
run "$DOC" render -K maker.pub "$AT" --format text -o doc.txt \
    doc-module-h.intoto.json
expect_rc 0
for item in "1. " "2. " "3. " "4. " "5. " "6. " "7. " "8. " \
    "Signed for and on behalf of"; do
	grep -F -q -- "$item" doc.txt || bad "doc.txt lacks $item"
done
expect_eq "envelope sha256 shown" \
    "$(grep -c "$(sha256sum doc-module-h.intoto.json | cut -c1-64)" doc.txt)" 1
run "$DOC" render -K maker.pub "$AT" --format html -o doc.html \
    doc-module-h.intoto.json
expect_rc 0
grep -q '<svg' doc.html && ok || bad "no CE marking in the HTML"

t "render pdf, read back by pdftotext, one page to PNG"
run "$DOC" render -K maker.pub "$AT" --format pdf -o doc.pdf \
    doc-module-h.intoto.json
expect_rc 0
pdftotext doc.pdf doc.pdf.txt 2>/dev/null || bad "pdftotext"
for w in "EU declaration of conformity" "Example Devices GmbH" \
    "Signed for and on behalf of" "9999"; do
	grep -F -q "$w" doc.pdf.txt && ok || bad "the PDF lacks $w"
done
pdftoppm -r 40 -png -f 1 -l 1 doc.pdf page >/dev/null 2>&1 || bad "pdftoppm"
[ -s page-1.png ] && ok || bad "no PNG of page 1"

t "a tampered envelope is never rendered"
for f in text html pdf; do
	run "$DOC" render -K maker.pub "$AT" --format "$f" -o "t.$f" \
	    tampered.intoto.json
	expect_rc 1
	expect_no_file "t.$f"
done

t "a record failing the rules is not rendered"
run "$DOC" render -K maker.pub "$AT" --format text -o s.txt \
    sneaky.intoto.json
expect_rc 1
expect_err "not rendered"
expect_no_file s.txt

t "render refuses to overwrite"
run "$DOC" render -K maker.pub "$AT" --format pdf -o doc.pdf \
    doc-module-h.intoto.json
expect_rc 2
expect_err "exists"

# --- text from a signed record (issue 14 §5) -------------------------------------

t "verify, --policy, render: a record's strings cannot drive the terminal"
# ESC [2J, BEL, CSI (U+009B), DEL, U+202E in the product name and the
# description, and in the artifact's name (the subject name)
printf 'firmware\n' >"$HOSTILE.bin"
"$PY" - "$EX/doc-module-a.json" "$HOSTILE_JSON" <<'PY' || exit 2
import json, sys
d = json.load(open(sys.argv[1]))
h = json.loads('"%s"' % sys.argv[2])
d["predicate"]["product"]["name"] = "Notes " + h
d["predicate"]["object"]["description"] = "Notes " + h
json.dump(d, open("hostile-doc.json", "w"))
d["predicate"]["manufacturer"]["legal_name"] = h
d["predicate"]["signatory"]["on_behalf_of"] = h
json.dump(d, open("hostile-mfr.json", "w"))
# and, signed without the rules: an enumerated value and a member name
p = d["predicate"]
p["product"]["class"] = h
p["product"][h] = True
json.dump(p, open("hostile-pred.json", "w"))
PY
run "$DOC" sign -k maker.key "$AT" --artifact "$HOSTILE.bin" \
    -o hostile-doc.intoto.json hostile-doc.json
expect_rc 0
expect_no_controls
run "$DOC" verify -K maker.pub "$AT" --artifact "$HOSTILE.bin" \
    hostile-doc.intoto.json
expect_rc 0
expect_out "$HOSTILE_SHOWN.bin: OK (subject $HOSTILE_SHOWN.bin)"
expect_out "doc record verified"
expect_no_controls
run "$DOC" verify --policy policy.json "$AT" --artifact "$HOSTILE.bin" \
    hostile-doc.intoto.json
expect_rc 0
expect_out 'signed for "example-devices"'
expect_no_controls
run "$DOC" render -K maker.pub "$AT" --format text -o - \
    hostile-doc.intoto.json
expect_rc 0
expect_out "Notes $HOSTILE_SHOWN"
expect_no_controls
# a manufacturer the policy does not know: the refusal quotes its name
run "$DOC" sign -k maker.key "$AT" --artifact fw.bin \
    -o hostile-mfr.intoto.json hostile-mfr.json
expect_rc 0
run "$DOC" verify --policy policy.json "$AT" hostile-mfr.intoto.json
expect_rc 1
expect_err "\"$HOSTILE_SHOWN\""
expect_no_controls

t "verify, check: a finding quoting the record shows it escaped"
"$B/attest-sign" -k maker.key --predicate-type \
    https://libattest.dev/cra/doc/v1 --predicate hostile-pred.json \
    -o hostile-pred.intoto.json fw.bin 2>/dev/null
run "$DOC" verify -K maker.pub "$AT" hostile-pred.intoto.json
expect_rc 1
expect_err "product.class: \"$HOSTILE_SHOWN\" is not one of"
expect_err "product.$HOSTILE_SHOWN: unknown member"
expect_no_controls
"$PY" - hostile-pred.json hostile-draft.json <<'PY' || exit 2
import json, sys
json.dump({"predicateType": "https://libattest.dev/cra/doc/v1",
           "predicate": json.load(open(sys.argv[1]))}, open(sys.argv[2], "w"))
PY
run "$DOC" check "$AT" hostile-draft.json
expect_rc 1
expect_err "product.$HOSTILE_SHOWN: unknown member"
expect_no_controls

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
