#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# attest-doc under valgrind memcheck: init, check (passing and failing,
# with --sbom), sign, verify (passing and failing, with --doc, --sbom and
# --json), render text, html and pdf (and a refused render).  Any memory
# error or definite/indirect leak fails.  (make check-valgrind)
#
#   sh tests/doc/valgrind.sh BUILD_DIR
#
# The PDF is made with cairo, pango and fontconfig, which keep
# process-wide data they never free (fontconfig's parsed configuration,
# pango's default language): tests/cra/render/pdf.supp suppresses leaks
# allocated below those libraries' own entry points, never a stack that
# libattest or attest-doc allocated.  The last lines say how many blocks
# it suppressed, per entry.  The keys are made outside valgrind.
set -u
B=${1:?usage: valgrind.sh BUILD_DIR}
case $B in
/*)	;;
*)	B=$(pwd)/$B ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd) || exit 2
ROOT=$(cd "$HERE/../.." && pwd) || exit 2
SUPP=$ROOT/tests/cra/render/pdf.supp
EX=$ROOT/keys-example/cra
DOC=$B/attest-doc
PY=/usr/bin/python3
for need in valgrind "$PY"; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "valgrind.sh: $need: not found (make test-deps)" >&2
		exit 2
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/attest-doc-vg.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' HUP INT TERM
cd "$work" || exit 2

pass=0
fail=0
: >used
# vg NAME WANT CMD...: run CMD under memcheck; it must exit WANT with no
# memcheck error
vg() {
	name=$1
	want=$2
	shift 2
	rm -f "$work/vg.log"
	valgrind --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    --suppressions="$SUPP" -s --log-file="$work/vg.log" \
	    "$@" >"$work/out" 2>"$work/err"
	rc=$?
	: >>"$work/vg.log"
	errs=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' \
	    "$work/vg.log" | tail -n 1)
	# "used_suppression: N NAME FILE:LINE suppressed: X bytes in Y blocks"
	grep 'used_suppression:' "$work/vg.log" | grep -F "$SUPP" |
	    sed -e 's/^[-=]*[0-9]*[-=]* *used_suppression: *//' \
	    -e "s|^|$name: |" >>used
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

AT=--at=2028-03-01
"$B/attest-keygen" -t ed25519 --no-passphrase -o maker >/dev/null 2>&1 ||
    exit 2
"$B/attest-keygen" -t ed25519 --no-passphrase -o other >/dev/null 2>&1 ||
    exit 2
echo firmware >fw.bin
sed 's/"1\.4\.2"/"1.4.3"/' "$EX/sbom.cdx.json" >sbom-altered.json

# init, check
vg "init doc" 0 "$DOC" init doc -o tpl-doc.json
vg "init release to stdout" 0 "$DOC" init release -o -
vg "check template (placeholders)" 1 "$DOC" check "$AT" tpl-doc.json
vg "check doc" 0 "$DOC" check "$AT" "$EX/doc-module-h.json"
"$PY" - "$EX/doc-module-h.json" nb.json <<'PY' || exit 2
import json, sys
d = json.load(open(sys.argv[1]))
del d["predicate"]["notified_body"]
json.dump(d, open(sys.argv[2], "w"))
PY
vg "check doc failing (DOC-4)" 1 "$DOC" check "$AT" nb.json

# sign, and the release bound to its DoC and SBOM
vg "sign doc" 0 "$DOC" sign -k maker.key "$AT" --artifact fw.bin \
    -o doc.intoto.json "$EX/doc-module-a.json"
vg "sign refused (DOC-4)" 1 "$DOC" sign -k maker.key "$AT" \
    --artifact fw.bin -o never.intoto.json nb.json
docsha=$("$DOC" verify -K maker.pub "$AT" doc.intoto.json |
    sed -n 's/.*payload SHA-256 //p')
sed "s/0\{64\}/$docsha/" "$EX/release.json" >release.json
vg "check release --doc --sbom" 0 "$DOC" check "$AT" -K maker.pub \
    --doc doc.intoto.json --sbom "$EX/sbom.cdx.json" release.json
vg "check release, altered SBOM (REL-5)" 1 "$DOC" check "$AT" \
    --sbom sbom-altered.json release.json
vg "sign release --doc --sbom" 0 "$DOC" sign -k maker.key "$AT" \
    -K maker.pub --doc doc.intoto.json --sbom "$EX/sbom.cdx.json" \
    --artifact fw.bin -o release.intoto.json release.json

# verify
vg "verify doc" 0 "$DOC" verify -K maker.pub "$AT" --artifact fw.bin \
    doc.intoto.json
vg "verify release --doc --sbom --json" 0 "$DOC" verify -K maker.pub \
    "$AT" --doc doc.intoto.json --sbom "$EX/sbom.cdx.json" --json \
    release.intoto.json
vg "verify release, altered SBOM (REL-5)" 1 "$DOC" verify -K maker.pub \
    "$AT" --sbom sbom-altered.json release.intoto.json
vg "verify, another key" 1 "$DOC" verify -K other.pub "$AT" \
    doc.intoto.json
"$PY" - doc.intoto.json tampered.intoto.json <<'PY' || exit 2
import base64, json, sys
e = json.load(open(sys.argv[1]))
s = json.loads(base64.b64decode(e["payload"]))
s["predicate"]["signatory"]["name"] = "Mallory"
e["payload"] = base64.b64encode(json.dumps(s).encode()).decode()
json.dump(e, open(sys.argv[2], "w"))
PY
vg "verify tampered" 1 "$DOC" verify -K maker.pub "$AT" \
    tampered.intoto.json
echo other >fw2.bin
vg "verify, an artifact that matches no subject" 1 "$DOC" verify \
    -K maker.pub "$AT" --artifact fw2.bin doc.intoto.json

# under a trust policy: authorised, refused, malformed
"$PY" - policy.json <<'PY' || exit 2
import json, sys
key = lambda f, op, role: {"operator": op, "roles": [role],
    "algorithm": "ed25519", "public_key": open(f).read(),
    "valid_from": "2027-01-01"}
json.dump({"policy_version": 1, "operators": [
    {"id": "maker", "legal_name": "Example Devices GmbH", "country": "DE",
     "roles": {"manufacturer": {}}},
    {"id": "impo", "legal_name": "Example Import SARL", "country": "FR",
     "roles": {"importer": {}}}],
  "keys": [key("maker.pub", "maker", "manufacturer"),
           key("other.pub", "impo", "importer")],
  "demands": {"min_support_months": 60}}, open(sys.argv[1], "w"))
PY
echo '{"policy_version": 1, "operators": []}' >policy-bad.json
"$DOC" sign -k other.key "$AT" --artifact fw.bin -o imp.intoto.json \
    "$EX/doc-module-a.json" 2>/dev/null || exit 2
vg "verify --policy --json" 0 "$DOC" verify --policy policy.json "$AT" \
    --json doc.intoto.json
vg "verify --policy --doc, release" 0 "$DOC" verify --policy policy.json \
    "$AT" --doc doc.intoto.json release.intoto.json
vg "verify --policy, an importer's key on a DoC" 1 "$DOC" verify \
    --policy policy.json "$AT" imp.intoto.json
vg "verify, a malformed policy" 2 "$DOC" verify --policy policy-bad.json \
    "$AT" doc.intoto.json

# render
vg "render text" 0 "$DOC" render -K maker.pub "$AT" --format text \
    -o doc.txt doc.intoto.json
vg "render html" 0 "$DOC" render -K maker.pub "$AT" --format html \
    -o doc.html doc.intoto.json
vg "render pdf" 0 "$DOC" render -K maker.pub "$AT" --format pdf \
    -o doc.pdf doc.intoto.json
vg "render release pdf --sbom" 0 "$DOC" render -K maker.pub "$AT" \
    --sbom "$EX/sbom.cdx.json" --format pdf -o release.pdf \
    release.intoto.json
vg "render refused (tampered)" 1 "$DOC" render -K maker.pub "$AT" \
    --format pdf -o never.pdf tampered.intoto.json
for f in doc.txt doc.html doc.pdf release.pdf; do
	if [ ! -s "$f" ]; then
		echo "FAIL: $f was not written"
		fail=$((fail + 1))
	fi
done

blocks=$(awk '{ for (i = 1; i < NF; i++)
	if ($i == "in" && $(i + 2) ~ /^blocks?$/) s += $(i + 1) }
    END { print s + 0 }' used)
echo "valgrind (attest-doc): cairo/pango/fontconfig-internal leaks" \
    "suppressed by pdf.supp: $blocks blocks"
if [ -s used ]; then
	sed 's/^/    /' used
fi
echo "valgrind (attest-doc): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
