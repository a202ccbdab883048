/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the DSSE envelope parser: attest_envelope_parse(), then
 *  - round trip: serialise, parse the output again (must succeed),
 *    serialise again: the same bytes, payload type, signatures, key ids;
 *  - verification against a fixed key set (the example keys of
 *    keys-example/ and the FIDO keys of tests/fuzz/fido/), threshold 1,
 *    so that the signature decoders (DER, raw r||s, FIDO blobs) run on
 *    whatever the input carries.
 */
#include "fuzz.h"

static attest_keyset_t *trusted;

static const char *const keyfiles[] = {
	FUZZ_DIR "/../../keys-example/manufacturer-release.pub",
	FUZZ_DIR "/../../keys-example/manufacturer-qa.pub",
	FUZZ_DIR "/../../keys-example/importer.pub",
	FUZZ_DIR "/../../keys-example/distributor-wholesale.pub",
	FUZZ_DIR "/../../keys-example/distributor-retail.pub",
	FUZZ_DIR "/fido/es256.pub",
	FUZZ_DIR "/fido/eddsa.pub",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	attest_pubkey_t *pk;
	size_t i;

	(void)argc;
	(void)argv;
	fuzz_init();
	FUZZ_ASSERT((trusted = attest_keyset_new()) != NULL);
	for (i = 0; i < sizeof(keyfiles) / sizeof(keyfiles[0]); i++) {
		if (attest_pubkey_load(&pk, keyfiles[i], NULL) != ATTEST_OK) {
			fprintf(stderr, "fuzz: cannot load %s\n", keyfiles[i]);
			abort();
		}
		FUZZ_ASSERT(attest_keyset_add(trusted, pk) == ATTEST_OK);
		attest_pubkey_free(&pk);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_envelope_t *e = NULL, *e2 = NULL;
	attest_verified_t *v = NULL;
	attest_diag_t *diag;
	unsigned char *out = NULL, *out2 = NULL;
	size_t out_len = 0, out2_len = 0, i, n;
	const char *k1, *k2;
	attest_err_t r;

	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	if (attest_envelope_parse(&e, data, size, diag) != ATTEST_OK) {
		FUZZ_ASSERT(e == NULL);
		goto out;
	}
	FUZZ_ASSERT(attest_envelope_serialize_alloc(e, &out, &out_len) ==
	    ATTEST_OK);
	if (attest_envelope_parse(&e2, out, out_len, diag) != ATTEST_OK) {
		fprintf(stderr, "re-parse: %s\n", attest_diag_get_message(diag));
		abort();
	}
	FUZZ_ASSERT(attest_envelope_serialize_alloc(e2, &out2, &out2_len) ==
	    ATTEST_OK);
	FUZZ_ASSERT(fuzz_same(out, out_len, out2, out2_len));
	FUZZ_ASSERT(strcmp(attest_envelope_payload_type(e),
	    attest_envelope_payload_type(e2)) == 0);
	n = attest_envelope_sig_count(e);
	FUZZ_ASSERT(n == attest_envelope_sig_count(e2));
	for (i = 0; i < n; i++) {
		k1 = attest_envelope_sig_keyid(e, i);
		k2 = attest_envelope_sig_keyid(e2, i);
		FUZZ_ASSERT((k1 == NULL) == (k2 == NULL));
		FUZZ_ASSERT(k1 == NULL || strcmp(k1, k2) == 0);
	}
	attest_diag_clear(diag);
	r = attest_envelope_verify(e, trusted, 1, &v, diag);
	FUZZ_ASSERT(r == ATTEST_OK || r == ATTEST_ERR_VERIFY);
	if (r == ATTEST_OK) {
		FUZZ_ASSERT(v != NULL && attest_verified_key_count(v) >= 1);
		FUZZ_ASSERT(attest_verified_payload_ptr(v) != NULL ||
		    attest_verified_payload_len(v) == 0);
	} else if (v != NULL)
		FUZZ_ASSERT(attest_verified_payload_ptr(v) == NULL);
out:
	attest_verified_free(&v);
	attest_freezero(out, out_len);
	attest_freezero(out2, out2_len);
	attest_envelope_free(&e);
	attest_envelope_free(&e2);
	attest_diag_free(&diag);
	return 0;
}
