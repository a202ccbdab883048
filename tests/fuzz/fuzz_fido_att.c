/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the FIDO attestation file check (.att, specs/fido.md §5):
 * attest_fido_attestation_verify() against the roots
 * tests/fuzz/fido/ca.pem.  The key it must belong to is taken from the
 * input itself (its public_key, algorithm and rp_id members, read here
 * with jansson), so that fuzzed files get past the "another key" check
 * to the authenticatorData, signature and certificate code; when they
 * do not give one, the fixed key tests/fuzz/fido/es256.pub is used.
 */
#include <jansson.h>

#include "fuzz.h"
#include "key_int.h"

#define ROOTS	FUZZ_DIR "/fido/ca.pem"

static attest_pubkey_t *fixed;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	if (attest_pubkey_load(&fixed, FUZZ_DIR "/fido/es256.pub", NULL) !=
	    ATTEST_OK)
		abort();
	return 0;
}

/* The FIDO key the file names, or NULL. */
static attest_pubkey_t *
key_of(const uint8_t *data, size_t size)
{
	json_t *root, *pub, *alg, *rp;
	attest_pubkey_t *pk = NULL;
	unsigned char *der = NULL;
	size_t der_len = 0;
	attest_alg_t a;

	if ((root = json_loadb((const char *)data, size, 0, NULL)) == NULL)
		return NULL;
	pub = json_object_get(root, "public_key");
	alg = json_object_get(root, "algorithm");
	rp = json_object_get(root, "rp_id");
	if (!json_is_string(pub) || !json_is_string(alg) ||
	    !json_is_string(rp) ||
	    !attest_alg_is_fido(a = attest_alg_from_name(
	    json_string_value(alg))) ||
	    attest_b64_decode_alloc(json_string_value(pub),
	    json_string_length(pub), &der, &der_len) != ATTEST_OK)
		goto out;
	if (attest_pubkey_parse_der(&pk, der, der_len, NULL) != ATTEST_OK)
		goto out;
	if (attest_pubkey_make_fido(pk, a, json_string_value(rp),
	    json_string_length(rp), NULL) != ATTEST_OK)
		attest_pubkey_free(&pk);
out:
	free(der);
	json_decref(root);
	return pk;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_fido_attestation_info_t info;
	attest_pubkey_t *pk;
	attest_diag_t *diag;

	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	pk = key_of(data, size);
	(void)attest_fido_attestation_verify(pk != NULL ? pk : fixed, data,
	    size, ROOTS, &info, diag);
	/* the info strings are always terminated */
	FUZZ_ASSERT(memchr(info.fmt, '\0', sizeof(info.fmt)) != NULL);
	FUZZ_ASSERT(memchr(info.aaguid, '\0', sizeof(info.aaguid)) != NULL);
	FUZZ_ASSERT(memchr(info.model, '\0', sizeof(info.model)) != NULL);
	FUZZ_ASSERT(memchr(info.issuer, '\0', sizeof(info.issuer)) != NULL);
	attest_pubkey_free(&pk);
	attest_diag_free(&diag);
	return 0;
}
