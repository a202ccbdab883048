/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the SBOM checks of REL-5 (specs/cra.md §7.1, §7.2): the SBOM a
 * release names, given to attest_cra_check() in ctx->sbom, is a third
 * party's file and is parsed as CycloneDX, SPDX 2 or SPDX 3 JSON-LD.
 * The predicate is keys-example/cra/release.json's, fixed; the first
 * input byte picks what its "sbom" member claims (byte % 4: CycloneDX
 * 1.6 with the BSI TR-03183-2 profile, CycloneDX 1.5 without a profile,
 * SPDX 2.3 and SPDX 3.0.1 with the profile); the rest is the SBOM.
 * A hostile SBOM is a finding, never a failure of the check itself.
 */
#include "fuzz.h"

#include <jansson.h>

#define NCLAIMS	4

static const struct {
	const char	*format, *version, *profile;
} claims[NCLAIMS] = {
	{ "cyclonedx", "1.6", "BSI TR-03183-2 2.1.0" },
	{ "cyclonedx", "1.5", NULL },
	{ "spdx", "2.3", "BSI TR-03183-2 2.1.0" },
	{ "spdx", "3.0.1", "BSI TR-03183-2 2.1.0" },
};
static char *pred[NCLAIMS];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char *text;
	size_t len, i;
	json_t *root, *p, *sbom;

	(void)argc;
	(void)argv;
	fuzz_init();
	text = fuzz_slurp(FUZZ_DIR "/../../keys-example/cra/release.json",
	    &len);
	FUZZ_ASSERT((root = json_loadb((const char *)text, len, 0, NULL)) !=
	    NULL);
	p = json_object_get(root, "predicate");
	FUZZ_ASSERT((sbom = json_object_get(p, "sbom")) != NULL);
	for (i = 0; i < NCLAIMS; i++) {
		FUZZ_ASSERT(json_object_set_new(sbom, "format",
		    json_string(claims[i].format)) == 0);
		FUZZ_ASSERT(json_object_set_new(sbom, "spec_version",
		    json_string(claims[i].version)) == 0);
		if (claims[i].profile != NULL)
			FUZZ_ASSERT(json_object_set_new(sbom, "profile",
			    json_string(claims[i].profile)) == 0);
		else
			(void)json_object_del(sbom, "profile");
		FUZZ_ASSERT((pred[i] = json_dumps(p, JSON_COMPACT)) != NULL);
	}
	json_decref(root);
	free(text);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_cra_context_t ctx;
	attest_cra_findings_t *f = NULL;
	attest_diag_t *diag;
	const char *p;
	attest_err_t r;

	if (size < 1)
		return 0;
	p = pred[data[0] % NCLAIMS];
	memset(&ctx, 0, sizeof(ctx));
	ctx.now = "2028-03-01";
	ctx.sbom = data + 1;
	ctx.sbom_len = size - 1;
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	r = attest_cra_check(ATTEST_CRA_RELEASE, (const unsigned char *)p,
	    strlen(p), &ctx, &f, diag);
	FUZZ_ASSERT(r == ATTEST_OK || r == ATTEST_ERR_POLICY);
	fuzz_cra_findings_ok(r, f);
	attest_cra_findings_free(&f);
	attest_diag_free(&diag);
	return 0;
}
