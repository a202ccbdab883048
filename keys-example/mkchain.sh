#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build the example custody chain with the example keys (NOT FOR
# PRODUCTION): the manufacturer signs its DoC and release attestation,
# the importer and two distributors append their records.
#
#   sh keys-example/mkchain.sh BUILD_DIR OUT_DIR [RECORDS]
#
# RECORDS: 2 (DoC, release), 3 (+ importer), 4 (+ wholesaler), 5 (+
# retailer, the default).  Writes OUT_DIR/fw.bin (the product's one
# artifact), OUT_DIR/chain.intoto.jsonl, and the intermediate bundles
# OUT_DIR/chain-N.intoto.jsonl.  Used by make demo, make bench and tests.
set -eu
B=${1:?usage: mkchain.sh BUILD_DIR OUT_DIR [RECORDS]}
out=${2:?usage: mkchain.sh BUILD_DIR OUT_DIR [RECORDS]}
records=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
cra=$here/cra
pw=$here/PASSPHRASE-NOT-SECRET.txt
at=2028-03-01
mkdir -p "$out"
cd "$out"
printf 'Example Notes 2.0.0 (example artifact, not a real product)\n' >fw.bin

"$B/attest-doc" sign -f -k "$here/manufacturer-release.key" \
    --passphrase-file "$pw" --at $at --artifact fw.bin -o doc.intoto.json \
    "$cra/doc-module-a.json"
docsha=$("$B/attest-doc" verify --policy "$here/policy.json" --at $at \
    doc.intoto.json | sed -n 's/.*payload SHA-256 //p')
sed "s/0\{64\}/$docsha/" "$cra/release.json" >release.json
"$B/attest-doc" sign -f -k "$here/manufacturer-release.key" \
    --passphrase-file "$pw" --at $at --policy "$here/policy.json" \
    --doc doc.intoto.json --sbom "$cra/sbom.cdx.json" --artifact fw.bin \
    -o release.intoto.json release.json
cat doc.intoto.json release.intoto.json >chain-2.intoto.jsonl

n=2
for step in import:importer:import distribute:distributor-wholesale:distribution-wholesale \
    distribute:distributor-retail:distribution-retail; do
	[ "$n" -lt "$records" ] || break
	cmd=${step%%:*}
	rest=${step#*:}
	key=${rest%%:*}
	input=${rest#*:}
	"$B/attest-chain" "$cmd" -f --policy "$here/policy.json" --at $at \
	    -k "$here/$key.key" --passphrase-file "$pw" \
	    --bundle "chain-$n.intoto.jsonl" --artifact fw.bin \
	    --operator "$cra/$input.json" -o "chain-$((n + 1)).intoto.jsonl"
	n=$((n + 1))
done
cp "chain-$n.intoto.jsonl" chain.intoto.jsonl
