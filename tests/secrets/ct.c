/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctgrind-style constant-time check (make check-secrets): the secret
 * inputs are marked undefined for valgrind memcheck, the comparison runs,
 * and only its result is marked defined again.  A branch or a memory
 * index that depends on the secret bytes is a memcheck error.
 *
 *   ct ct_equal	attest_ct_equal (sodium_memcmp): digests, key ids,
 *			SPKI (statement.c, cra.c, keyfile.c)
 *   ct verify16	crypto_verify_16: the Poly1305 tag check inside
 *			libsodium's XChaCha20-Poly1305 decryption, the MAC
 *			of a key file (keyfile.c)
 *   ct memcmp		plain memcmp: the control, which memcheck must
 *			flag (else the method proves nothing)
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "attest.h"
#include "crypto.h"

int
main(int argc, char **argv)
{
	unsigned char a[64], b[64];
	int same, i;

	if (argc != 2 || attest_init(0) != ATTEST_OK)
		return 2;
	randombytes_buf(a, sizeof(a));
	memcpy(b, a, sizeof(b));
	b[60] ^= 1;			/* differ late, as a forger would */
	for (i = 0; i < 2; i++) {
		VALGRIND_MAKE_MEM_UNDEFINED(a, sizeof(a));
		VALGRIND_MAKE_MEM_UNDEFINED(b, sizeof(b));
		if (strcmp(argv[1], "ct_equal") == 0)
			same = attest_ct_equal(a, b, sizeof(a));
		else if (strcmp(argv[1], "verify16") == 0)
			same = crypto_verify_16(a + 48, b + 48) == 0;
		else if (strcmp(argv[1], "memcmp") == 0)
			same = memcmp(a, b, sizeof(a)) == 0;
		else
			return 2;
		VALGRIND_MAKE_MEM_DEFINED(&same, sizeof(same));
		VALGRIND_MAKE_MEM_DEFINED(a, sizeof(a));
		VALGRIND_MAKE_MEM_DEFINED(b, sizeof(b));
		if (same != i)	/* round 0 differs, round 1 is equal */
			return 3;
		memcpy(b, a, sizeof(b));	/* the second round: equal */
	}
	printf("ct %s: done\n", argv[1]);
	return 0;
}
