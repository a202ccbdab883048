/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the public key file parser: attest_pubkey_parse_pem(), which
 * takes a PEM SubjectPublicKeyInfo or the FIDO public key text
 * (specs/fido.md §2).  Round trip: a parsed key written back
 * (attest_pubkey_pem_alloc) parses to the same algorithm, key id, SPKI
 * and rp id, and writes the same bytes again.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_pubkey_t *pk = NULL, *pk2 = NULL;
	attest_diag_t *diag;
	unsigned char *out = NULL, *out2 = NULL;
	size_t out_len = 0, out2_len = 0;
	const char *rp, *rp2;

	fuzz_init();
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	if (attest_pubkey_parse_pem(&pk, data, size, diag) != ATTEST_OK) {
		FUZZ_ASSERT(pk == NULL);
		goto out;
	}
	FUZZ_ASSERT(strlen(attest_pubkey_keyid(pk)) == ATTEST_KEYID_LEN);
	FUZZ_ASSERT(attest_pubkey_pem_alloc(pk, &out, &out_len) == ATTEST_OK);
	FUZZ_ASSERT(attest_pubkey_parse_pem(&pk2, out, out_len, NULL) ==
	    ATTEST_OK);
	FUZZ_ASSERT(attest_pubkey_alg(pk) == attest_pubkey_alg(pk2));
	FUZZ_ASSERT(strcmp(attest_pubkey_keyid(pk),
	    attest_pubkey_keyid(pk2)) == 0);
	FUZZ_ASSERT(fuzz_same(attest_pubkey_spki_ptr(pk),
	    attest_pubkey_spki_len(pk), attest_pubkey_spki_ptr(pk2),
	    attest_pubkey_spki_len(pk2)));
	rp = attest_pubkey_fido_rp_id(pk);
	rp2 = attest_pubkey_fido_rp_id(pk2);
	FUZZ_ASSERT((rp == NULL) == (rp2 == NULL));
	FUZZ_ASSERT(rp == NULL || strcmp(rp, rp2) == 0);
	FUZZ_ASSERT(attest_pubkey_pem_alloc(pk2, &out2, &out2_len) ==
	    ATTEST_OK);
	FUZZ_ASSERT(fuzz_same(out, out_len, out2, out2_len));
	/* a copy is the same key */
	attest_pubkey_free(&pk2);
	FUZZ_ASSERT((pk2 = attest_pubkey_dup(pk)) != NULL);
	FUZZ_ASSERT(strcmp(attest_pubkey_keyid(pk),
	    attest_pubkey_keyid(pk2)) == 0);
out:
	attest_freezero(out, out_len);
	attest_freezero(out2, out2_len);
	attest_pubkey_free(&pk);
	attest_pubkey_free(&pk2);
	attest_diag_free(&diag);
	return 0;
}
