/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the trust policy parser, attest_policy_parse() (specs/policy.md),
 * key lifecycle events (rotations, revocations, their signatures)
 * included.  A policy that parses must answer its getters sanely.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_policy_t *p = NULL;
	attest_diag_t *diag;
	const attest_keyset_t *ks;
	size_t i;

	fuzz_init();
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	if (attest_policy_parse(&p, data, size, diag) != ATTEST_OK) {
		FUZZ_ASSERT(p == NULL);
		goto out;
	}
	FUZZ_ASSERT(attest_policy_name(p) != NULL);
	FUZZ_ASSERT(attest_policy_min_support_months(p) >= 0);
	FUZZ_ASSERT((ks = attest_policy_keyset(p)) != NULL);
	for (i = 0; i < attest_keyset_count(ks); i++)
		FUZZ_ASSERT(attest_keyset_find(ks, attest_pubkey_keyid(
		    attest_keyset_get(ks, i))) == (long)i);
out:
	attest_policy_free(&p);
	attest_diag_free(&diag);
	return 0;
}
