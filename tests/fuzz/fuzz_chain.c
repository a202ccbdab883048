/*
 * Fuzz the custody bundle verifier, attest_chain_verify()
 * (specs/chain.md): JSON Lines of DSSE envelopes under a fixed policy,
 * keys-example/policy.json, on a fixed date, with the artifact of
 * keys-example/mkchain.sh (fw.bin) required.  The report must be there
 * and agree with the return value.
 */
#include "fuzz.h"

static attest_policy_t *policy;

/* SHA-256 of mkchain.sh's fw.bin */
static const char *const artifacts[] = {
	"fc1a291d913fed46f9d188ff9f6e8f3658434573201bf060e71e44e928da9019",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	attest_diag_t *diag;

	(void)argc;
	(void)argv;
	fuzz_init();
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	if (attest_policy_load(&policy, FUZZ_POLICY, diag) != ATTEST_OK) {
		fprintf(stderr, "fuzz: %s: %s\n", FUZZ_POLICY,
		    attest_diag_get_message(diag));
		abort();
	}
	attest_diag_free(&diag);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_chain_options_t o;
	attest_chain_t *c = NULL;
	attest_diag_t *diag;
	size_t i, j, n, len;
	attest_err_t r;

	memset(&o, 0, sizeof(o));
	o.now = "2028-03-01";
	/* the first byte says whether the artifact is demanded */
	if (size > 0 && (data[0] & 1)) {
		o.artifacts = artifacts;
		o.nartifacts = 1;
	}
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	r = attest_chain_verify(policy, data, size, &o, &c, diag);
	if (c == NULL) {
		FUZZ_ASSERT(r != ATTEST_OK && r != ATTEST_ERR_VERIFY);
		goto out;
	}
	FUZZ_ASSERT((r == ATTEST_OK) == (attest_chain_holds(c) == 1));
	n = attest_chain_link_count(c);
	FUZZ_ASSERT(n <= ATTEST_CHAIN_MAX_LINES);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(attest_chain_link_sha256(c, i) != NULL);
		FUZZ_ASSERT(attest_chain_link_operator(c, i) != NULL);
		FUZZ_ASSERT(attest_chain_link_signed_on(c, i) != NULL);
		(void)attest_chain_link_payload(c, i, &len);
		(void)attest_chain_link_error(c, i);
		for (j = 0; j < attest_chain_link_warning_count(c, i); j++)
			FUZZ_ASSERT(attest_chain_link_warning(c, i, j) != NULL);
	}
	FUZZ_ASSERT(attest_chain_product(c) != NULL);
	FUZZ_ASSERT(attest_chain_manufacturer(c) != NULL);
	FUZZ_ASSERT(attest_chain_support_end(c) != NULL);
	for (i = 0; i < attest_chain_subject_count(c); i++)
		FUZZ_ASSERT(attest_chain_subject_sha256(c, i) != NULL);
out:
	attest_chain_free(&c);
	attest_diag_free(&diag);
	return 0;
}
