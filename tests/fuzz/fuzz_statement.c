/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the in-toto Statement v1 parser: attest_stmt_parse(), then a
 * round trip (serialise, parse again, serialise again: same bytes, same
 * subjects, digests and predicate), the predicate written out, and the
 * subjects matched against the digests of a fixed file.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_stmt_t *s = NULL, *s2 = NULL;
	attest_digest_t *d = NULL;
	attest_diag_t *diag;
	unsigned char *out = NULL, *out2 = NULL, *p1 = NULL, *p2 = NULL;
	size_t out_len = 0, out2_len = 0, p1_len = 0, p2_len = 0, i, j, n, idx;
	const char *a, *b;
	attest_err_t r;

	fuzz_init();
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	if (attest_stmt_parse(&s, data, size, diag) != ATTEST_OK) {
		FUZZ_ASSERT(s == NULL);
		goto out;
	}
	FUZZ_ASSERT(attest_stmt_serialize_alloc(s, &out, &out_len) ==
	    ATTEST_OK);
	if (attest_stmt_parse(&s2, out, out_len, diag) != ATTEST_OK) {
		fprintf(stderr, "re-parse: %s\n", attest_diag_get_message(diag));
		abort();
	}
	FUZZ_ASSERT(attest_stmt_serialize_alloc(s2, &out2, &out2_len) ==
	    ATTEST_OK);
	FUZZ_ASSERT(fuzz_same(out, out_len, out2, out2_len));
	FUZZ_ASSERT(strcmp(attest_stmt_predicate_type(s),
	    attest_stmt_predicate_type(s2)) == 0);
	n = attest_stmt_subject_count(s);
	FUZZ_ASSERT(n >= 1 && n == attest_stmt_subject_count(s2));
	for (i = 0; i < n; i++) {
		a = attest_stmt_subject_name(s, i);
		b = attest_stmt_subject_name(s2, i);
		FUZZ_ASSERT((a == NULL) == (b == NULL));
		FUZZ_ASSERT(a == NULL || strcmp(a, b) == 0);
		FUZZ_ASSERT(attest_stmt_digest_count(s, i) ==
		    attest_stmt_digest_count(s2, i));
		for (j = 0; j < attest_stmt_digest_count(s, i); j++) {
			FUZZ_ASSERT(strcmp(attest_stmt_digest_alg(s, i, j),
			    attest_stmt_digest_alg(s2, i, j)) == 0);
			FUZZ_ASSERT(strcmp(attest_stmt_digest_hex(s, i, j),
			    attest_stmt_digest_hex(s2, i, j)) == 0);
		}
	}
	FUZZ_ASSERT(attest_stmt_predicate_alloc(s, &p1, &p1_len) ==
	    ATTEST_OK);
	FUZZ_ASSERT(attest_stmt_predicate_alloc(s2, &p2, &p2_len) ==
	    ATTEST_OK);
	FUZZ_ASSERT(fuzz_same(p1, p1_len, p2, p2_len));
	/* match the subjects against a fixed file's digests */
	if (attest_stmt_digest_algs(s) != 0) {
		FUZZ_ASSERT((d = attest_digest_new(attest_stmt_digest_algs(s)))
		    != NULL);
		FUZZ_ASSERT(attest_digest_update(d, (const unsigned char *)
		    "fuzz\n", 5) == ATTEST_OK);
		FUZZ_ASSERT(attest_digest_final(d) == ATTEST_OK);
		r = attest_stmt_match(s, d, &idx, diag);
		FUZZ_ASSERT(r == ATTEST_OK || r == ATTEST_ERR_MISMATCH);
		FUZZ_ASSERT(r != ATTEST_OK || idx < n);
	}
out:
	attest_digest_free(&d);
	attest_freezero(out, out_len);
	attest_freezero(out2, out2_len);
	attest_freezero(p1, p1_len);
	attest_freezero(p2, p2_len);
	attest_stmt_free(&s);
	attest_stmt_free(&s2);
	attest_diag_free(&diag);
	return 0;
}
