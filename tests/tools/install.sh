#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make install into a scratch DESTDIR; compile and run a program against the
# installed header and shared library through pkg-config; make uninstall
# leaves nothing behind.
set -eu
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT INT TERM
prefix=/usr/local
make -s install PREFIX=$prefix DESTDIR="$d" >/dev/null
cat > "$d/t.c" <<'C'
#include <attest.h>
#include <stdio.h>
#include <string.h>
int
main(void)
{
	attest_key_t *k = NULL;
	attest_signer_t *s = NULL;
	attest_envelope_t *e = attest_envelope_new();
	attest_keyset_t *ks = attest_keyset_new();
	attest_verified_t *v = NULL;
	int ok;

	ok = attest_init(0) == ATTEST_OK &&
	    attest_key_generate(&k, ATTEST_ALG_ED25519) == ATTEST_OK &&
	    attest_keyset_add(ks, attest_key_pubkey(k)) == ATTEST_OK &&
	    attest_signer_from_key(&s, &k) == ATTEST_OK &&
	    attest_envelope_set_payload(e, "text/plain",
	    (const unsigned char *)"hi", 2) == ATTEST_OK &&
	    attest_envelope_sign(e, s, NULL) == ATTEST_OK &&
	    attest_envelope_verify(e, ks, 1, &v, NULL) == ATTEST_OK &&
	    attest_verified_payload_len(v) == 2;
	printf("libattest %s: %s\n", attest_version(), ok ? "ok" : "FAILED");
	attest_verified_free(&v);
	attest_envelope_free(&e);
	attest_keyset_free(&ks);
	attest_signer_free(&s);
	return ok ? 0 : 1;
}
C
export PKG_CONFIG_SYSROOT_DIR="$d"
export PKG_CONFIG_PATH="$d$prefix/lib/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror -o "$d/t" "$d/t.c" $(pkg-config --cflags --libs libattest)
LD_LIBRARY_PATH="$d$prefix/lib" "$d/t"
readelf -d "$d/t" | grep -q 'NEEDED.*libattest.so.0' ||
	{ echo "install: the program is not linked to libattest.so.0"; exit 1; }
for f in bin/attest-keygen bin/attest-sign bin/attest-verify \
    include/attest.h lib/libattest.a lib/libattest.so.0 \
    share/man/man1/attest-verify.1 share/man/man3/attest_init.3 \
    share/man/man3/attest_wipe.3 share/man/man5/attest-keyfile.5 \
    share/doc/libattest/LICENSE; do
	[ -e "$d$prefix/$f" ] || { echo "install: $f missing"; exit 1; }
done
make -s uninstall PREFIX=$prefix DESTDIR="$d" >/dev/null
left=$(find "$d$prefix" -type f -o -type l | wc -l)
[ "$left" -eq 0 ] || { echo "install: uninstall left $left files"; exit 1; }
echo "install: 1 passed, 0 failed"
