/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the custody bundle verifier, attest_chain_verify()
 * (specs/chain.md): JSON Lines of DSSE envelopes under a fixed policy,
 * keys-example/policy.json, on a fixed date, with the artifact of
 * keys-example/mkchain.sh (fw.bin) required.  The report must be there
 * and agree with the return value (fuzz_chain_report_ok(), fuzz.h).
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
	fuzz_chain_report_ok(policy, r, c);
	attest_chain_free(&c);
	attest_diag_free(&diag);
	return 0;
}
