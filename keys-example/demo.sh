#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make demo: the main job end to end on the example keys (NOT FOR
# PRODUCTION): sign a release artifact, verify it, and watch a tampered
# artifact, a tampered envelope and a forged signature be rejected.
set -eu
B=${1:?usage: demo.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
pw="$here/PASSPHRASE-NOT-SECRET.txt"

step() { printf '\n== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
must_fail() {
	set +e
	printf '$ %s\n' "$*"
	"$@"
	rc=$?
	set -e
	if [ "$rc" -ne 1 ]; then
		echo "demo: expected exit status 1 (rejected), got $rc" >&2
		exit 1
	fi
	echo "(rejected, exit status $rc)"
}

cd "$work"
step "A release artifact: a 4 MiB firmware image"
head -c 4194304 /dev/urandom > thermostat-2.4.1.bin
ls -l thermostat-2.4.1.bin

step "The manufacturer signs it with two keys (release + QA)"
show "$B/attest-sign" -k "$here/manufacturer-release.key" \
    -k "$here/manufacturer-qa.key" --passphrase-file "$pw" \
    --digest sha256,sha512 \
    --predicate-type https://example.com/release/v1 \
    --predicate "$here/release-predicate.json" \
    -o thermostat-2.4.1.intoto.json thermostat-2.4.1.bin

step "Anyone verifies it offline with the public keys (two of two)"
show "$B/attest-verify" -K "$here/manufacturer-release.pub" \
    -K "$here/manufacturer-qa.pub" --threshold 2 \
    thermostat-2.4.1.intoto.json thermostat-2.4.1.bin

step "The signed Statement, as the verifier hands it over"
"$B/attest-verify" -K "$here/manufacturer-release.pub" --print-payload \
    thermostat-2.4.1.intoto.json | /usr/bin/python3 -m json.tool

step "A tampered copy of the firmware (one byte changed) is rejected"
cp thermostat-2.4.1.bin tampered.bin
printf 'X' | dd of=tampered.bin bs=1 seek=1000 conv=notrunc 2>/dev/null
must_fail "$B/attest-verify" -K "$here/manufacturer-release.pub" \
    thermostat-2.4.1.intoto.json tampered.bin

step "A tampered envelope (payload edited) is rejected"
/usr/bin/python3 - thermostat-2.4.1.intoto.json tampered.intoto.json <<'PY'
import base64, json, sys
env = json.load(open(sys.argv[1]))
stmt = json.loads(base64.b64decode(env["payload"]))
stmt["predicate"]["version"] = "9.9.9"
env["payload"] = base64.b64encode(json.dumps(stmt).encode()).decode()
json.dump(env, open(sys.argv[2], "w"))
PY
must_fail "$B/attest-verify" -K "$here/manufacturer-release.pub" \
    tampered.intoto.json thermostat-2.4.1.bin

step "A forgery signed by an untrusted key is rejected"
show "$B/attest-sign" -k "$here/untrusted.key" -o forged.intoto.json \
    tampered.bin
must_fail "$B/attest-verify" -K "$here/manufacturer-release.pub" \
    forged.intoto.json tampered.bin

step "The EU declaration of conformity: checked against the CRA's rules, signed"
cra="$here/cra"
show "$B/attest-doc" check --at 2028-03-01 "$cra/doc-module-a.json"
show "$B/attest-doc" sign -k "$here/manufacturer-release.key" \
    --passphrase-file "$pw" --at 2028-03-01 \
    --artifact thermostat-2.4.1.bin -o doc.intoto.json "$cra/doc-module-a.json"

step "Anyone verifies it offline, as of its date and as of today"
show "$B/attest-doc" verify -K "$here/manufacturer-release.pub" \
    --at 2028-03-01 --artifact thermostat-2.4.1.bin doc.intoto.json
docsha=$("$B/attest-doc" verify -K "$here/manufacturer-release.pub" \
    --at 2028-03-01 doc.intoto.json | sed -n 's/.*payload SHA-256 //p')

step "An importer verifies it under its trust policy (keys bound to operators and roles)"
show "$B/attest-doc" verify --policy "$here/policy.json" --at 2028-03-01 \
    doc.intoto.json

step "The simplified DoC and the release attestation, bound to the DoC and SBOM"
sed "s/0\{64\}/$docsha/" "$cra/sdoc.json" > sdoc.json
sed "s/0\{64\}/$docsha/" "$cra/release.json" > release.json
show "$B/attest-doc" sign -k "$here/manufacturer-release.key" \
    --passphrase-file "$pw" --at 2028-03-01 -K "$here/manufacturer-release.pub" \
    --doc doc.intoto.json --artifact thermostat-2.4.1.bin \
    -o sdoc.intoto.json sdoc.json
show "$B/attest-doc" sign -k "$here/manufacturer-release.key" \
    --passphrase-file "$pw" --at 2028-03-01 -K "$here/manufacturer-release.pub" \
    --doc doc.intoto.json --sbom "$cra/sbom.cdx.json" \
    --artifact thermostat-2.4.1.bin -o release.intoto.json release.json
show "$B/attest-doc" verify -K "$here/manufacturer-release.pub" \
    --at 2028-03-01 --doc doc.intoto.json --sbom "$cra/sbom.cdx.json" \
    release.intoto.json

step "The DoC rendered for people, from the verified payload only"
show "$B/attest-doc" render -K "$here/manufacturer-release.pub" \
    --at 2028-03-01 --format pdf -o doc.pdf doc.intoto.json
show "$B/attest-doc" render -K "$here/manufacturer-release.pub" \
    --at 2028-03-01 --format html -o doc.html doc.intoto.json
"$B/attest-doc" render -K "$here/manufacturer-release.pub" \
    --at 2028-03-01 --format text -o - doc.intoto.json | head -n 24
ls -l doc.pdf doc.html

step "A tampered DoC is never rendered"
/usr/bin/python3 - doc.intoto.json doc-tampered.intoto.json <<'PY'
import base64, json, sys
env = json.load(open(sys.argv[1]))
stmt = json.loads(base64.b64decode(env["payload"]))
stmt["predicate"]["signatory"]["name"] = "Mallory"
env["payload"] = base64.b64encode(json.dumps(stmt).encode()).decode()
json.dump(env, open(sys.argv[2], "w"))
PY
must_fail "$B/attest-doc" render -K "$here/manufacturer-release.pub" \
    --at 2028-03-01 --format pdf -o tampered.pdf doc-tampered.intoto.json

step "The chain of custody starts with the manufacturer's records (one envelope per line)"
cat doc.intoto.json release.intoto.json sdoc.intoto.json >chain-m.intoto.jsonl
pol="$here/policy.json"
chain() {
	show "$B/attest-chain" "$@" --policy "$pol" --at 2028-03-01 \
	    --artifact thermostat-2.4.1.bin
}

step "The importer verifies everything upstream and appends its signed record"
chain import -k "$here/importer.key" --passphrase-file "$pw" \
    --bundle chain-m.intoto.jsonl --operator "$cra/import.json" \
    -o chain-i.intoto.jsonl

step "Two distributors pass it on, wholesale then retail, each adding its record"
chain distribute -k "$here/distributor-wholesale.key" --passphrase-file "$pw" \
    --bundle chain-i.intoto.jsonl --operator "$cra/distribution-wholesale.json" \
    -o chain-w.intoto.jsonl
chain distribute -k "$here/distributor-retail.key" --passphrase-file "$pw" \
    --bundle chain-w.intoto.jsonl --operator "$cra/distribution-retail.json" \
    -o chain.intoto.jsonl

step "Anyone verifies the whole chain offline, with one policy file"
chain verify chain.intoto.jsonl

step "A tampered chain is rejected, the failing link named"
/usr/bin/python3 - chain.intoto.jsonl chain-tampered.intoto.jsonl <<'PY'
import base64, json, sys
lines = open(sys.argv[1]).read().splitlines()
env = json.loads(lines[3])
stmt = json.loads(base64.b64decode(env["payload"]))
stmt["predicate"]["custody"]["units"]["quantity"] = 5000
env["payload"] = base64.b64encode(json.dumps(stmt).encode()).decode()
lines[3] = json.dumps(env, separators=(",", ":"))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
set +e
printf '$ attest-chain verify ... chain-tampered.intoto.jsonl\n'
"$B/attest-chain" verify --policy "$pol" --at 2028-03-01 \
    chain-tampered.intoto.jsonl
rc=$?
set -e
if [ "$rc" -ne 1 ]; then
	echo "demo: expected exit status 1 (rejected), got $rc" >&2
	exit 1
fi
echo "(rejected, exit status $rc)"

printf '\ndemo: sign -> verify -> chain of custody -> tampered rejected: all as expected\n'
