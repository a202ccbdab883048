#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install the Debian packages libattest builds and tests with, when missing.
# Usage: mk/deps.sh [build|test]   (test installs the test tools too)
set -eu
pkgs="build-essential pkg-config libsodium-dev libssl-dev libjansson-dev \
libcbor-dev libfido2-dev libp11-kit-dev libcmocka-dev libcairo2-dev \
libpango1.0-dev"
if [ "${1:-build}" = test ]; then
	pkgs="$pkgs python3 python3-securesystemslib python3-cryptography \
python3-nacl mandoc valgrind clang clang-tools cppcheck gdb openssl softhsm2 \
opensc p11-kit time \
poppler-utils"
fi
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "deps: missing Debian packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: installed:$missing" >&2
