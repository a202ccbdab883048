/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the CRA predicate checks, attest_cra_check(), for every kind:
 * the first input byte picks the kind (1 doc, 2 sdoc, 3 release,
 * 4 import, 5 distribution: byte % 5 + 1), the rest is the predicate.
 * The second byte's low bits say whether an sdoc or release gets a DoC
 * Statement and a release an SBOM (the fixed files tests/fuzz/cra/),
 * so that the rules that compare with them run too.  Every finding must
 * have a rule, field, message and basis.
 */
#include "fuzz.h"

static unsigned char *doc_stmt, *sbom;
static size_t doc_stmt_len, sbom_len;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	doc_stmt = fuzz_slurp(FUZZ_DIR "/cra/doc-statement.json",
	    &doc_stmt_len);
	sbom = fuzz_slurp(FUZZ_DIR "/../../keys-example/cra/sbom.cdx.json",
	    &sbom_len);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_cra_context_t ctx;
	attest_cra_findings_t *f = NULL;
	attest_diag_t *diag;
	attest_cra_kind_t kind;
	unsigned int flags;
	attest_err_t r;

	if (size < 2)
		return 0;
	kind = (attest_cra_kind_t)(data[0] % 5 + 1);
	flags = data[1];
	memset(&ctx, 0, sizeof(ctx));
	ctx.now = "2028-03-01";
	if (flags & 1) {
		ctx.doc_statement = doc_stmt;
		ctx.doc_statement_len = doc_stmt_len;
	}
	if (flags & 2) {
		ctx.sbom = sbom;
		ctx.sbom_len = sbom_len;
	}
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	r = attest_cra_check(kind, data + 2, size - 2, &ctx, &f, diag);
	fuzz_cra_findings_ok(r, f);
	attest_cra_findings_free(&f);
	attest_diag_free(&diag);
	return 0;
}
