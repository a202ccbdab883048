/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the CRA renderer, attest_cra_render(): a Statement (DSSE payload)
 * of a DoC, simplified DoC or release, to plain text and to HTML.  The
 * HTML must never carry a '<' that came from the input: field text is
 * escaped, so every "<script" in the output is a harness failure.
 */
#include "fuzz.h"

static const attest_cra_sigfacts_t sig = {
	.keyid =
	    "3f2ebcea1addb7c904dfef0639a83cf2e1d9bd1f73cb34bc7151c2542961e38a",
	.algorithm = "ed25519",
	.envelope_sha256 =
	    "0000000000000000000000000000000000000000000000000000000000000000",
	.envelope_name = "fuzz.intoto.json",
	.pubkey_name = "fuzz.pub",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *out = NULL;
	size_t out_len = 0;
	attest_diag_t *diag;
	int fmt;

	fuzz_init();
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	for (fmt = ATTEST_CRA_TEXT; fmt <= ATTEST_CRA_HTML; fmt++) {
		if (attest_cra_render(data, size, &sig, fmt, &out, &out_len,
		    diag) != ATTEST_OK) {
			FUZZ_ASSERT(out == NULL);
			break;
		}
		FUZZ_ASSERT(out != NULL);
		if (fmt == ATTEST_CRA_HTML)
			FUZZ_ASSERT(!fuzz_has(out, out_len, "<script"));
		attest_freezero(out, out_len);
		out = NULL;
		out_len = 0;
	}
	attest_diag_free(&diag);
	return 0;
}
