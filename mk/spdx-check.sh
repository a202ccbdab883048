#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every source, script, build file, man page and document of the tree
# names its licence in its first lines (SPDX-License-Identifier); data
# files that cannot carry a comment (JSON, keys, golden outputs, fuzz
# inputs) are described by the README beside them.  Lists what lacks it.
#
#   sh mk/spdx-check.sh		(make check-license)
cd "$(dirname "$0")/.." || exit 2
bad=$(find . \( -path ./.git -o -path './build*' -o -path ./tests/fuzz/corpus \
    -o -path ./tests/fuzz/crashes \) -prune -o -type f \( -name '*.c' \
    -o -name '*.h' -o -name '*.sh' -o -name '*.py' -o -name '*.md' \
    -o -name '*.mk' -o -name '*.map' -o -name '*.in' -o -name '*.supp' \
    -o -name Makefile -o -path './man/*.[0-9]' -o -path ./.ci/run \) \
    -print | sort | while read -r f; do
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0' ||
	    echo "$f"
done)
if [ -n "$bad" ]; then
	echo "spdx: no SPDX-License-Identifier line in:" >&2
	echo "$bad" >&2
	exit 1
fi
n=$(find . \( -path ./.git -o -path './build*' \) -prune -o -type f -print | wc -l)
echo "spdx: every source names its licence ($n files in the tree)"
