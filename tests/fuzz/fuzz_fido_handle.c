/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the FIDO key handle file parser (.fido, specs/fido.md §4):
 * attest_fido_signer_open() from keys_fido.c (internal, key_int.h), the
 * function attest_signer_open() calls for a handle.  It only parses:
 * no device is asked until a signature is made, which this never does.
 */
#include "fuzz.h"
#include "key_int.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_signer_t *s = NULL;
	attest_diag_t *diag;
	const attest_pubkey_t *pk;

	fuzz_init();
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	(void)attest_fido_handle_is(data, size);
	if (attest_fido_signer_open(&s, data, size, NULL, NULL, diag) !=
	    ATTEST_OK) {
		FUZZ_ASSERT(s == NULL);
		goto out;
	}
	FUZZ_ASSERT((pk = attest_signer_pubkey(s)) != NULL);
	FUZZ_ASSERT(attest_alg_is_fido(attest_signer_alg(s)));
	FUZZ_ASSERT(attest_pubkey_fido_rp_id(pk) != NULL);
	FUZZ_ASSERT(strcmp(attest_signer_keyid(s),
	    attest_pubkey_keyid(pk)) == 0);
out:
	attest_signer_free(&s);
	attest_diag_free(&diag);
	return 0;
}
