/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the libFuzzer harnesses (tests/fuzz/README.md).
 * Each harness is one file, fuzz_<parser>.c, and includes this once.
 */
#ifndef ATTEST_FUZZ_H
#define ATTEST_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attest.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A failed invariant of a harness: report it and abort (a "crash"). */
#define FUZZ_ASSERT(c) do { if (!(c)) { fprintf(stderr, \
	"%s:%d: harness invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

/* The fixed passphrase of the key file seeds (corpus/keyfile/). */
#define FUZZ_PASSPHRASE	"fuzz-passphrase-NOT-SECRET"

static inline void
fuzz_init(void)
{
	static int done;

	if (!done) {
		FUZZ_ASSERT(attest_init(0) == ATTEST_OK);
		done = 1;
	}
}

/* Read a whole small file the harness needs (policy, roots); abort if not. */
static inline unsigned char *
fuzz_slurp(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0, got;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		fprintf(stderr, "fuzz: cannot open %s\n", path);
		abort();
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			FUZZ_ASSERT((buf = realloc(buf, cap + 1)) != NULL);
		}
		if ((got = fread(buf + n, 1, cap - n, f)) == 0)
			break;
		n += got;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Does the byte string [a, a+alen) equal [b, b+blen)? */
static inline int
fuzz_same(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* Does [p, p+len) contain the string s? */
static inline int
fuzz_has(const unsigned char *p, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (memcmp(p + i, s, n) == 0)
			return 1;
	return 0;
}

/*
 * The invariants of attest_cra_check()'s result r with findings f: a
 * refusal is a parse or size error (no findings), else every finding has
 * a rule, field, message, basis and a known severity, and the errors
 * counted agree with the findings and with r.
 */
static inline void
fuzz_cra_findings_ok(attest_err_t r, const attest_cra_findings_t *f)
{
	size_t i, n, nerr = 0;

	if (r != ATTEST_OK && r != ATTEST_ERR_POLICY) {
		FUZZ_ASSERT(r == ATTEST_ERR_PARSE || r == ATTEST_ERR_TOO_LARGE);
		return;
	}
	FUZZ_ASSERT(f != NULL);
	n = attest_cra_findings_count(f);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(attest_cra_finding_rule(f, i) != NULL);
		FUZZ_ASSERT(attest_cra_finding_field(f, i) != NULL);
		FUZZ_ASSERT(attest_cra_finding_message(f, i) != NULL);
		FUZZ_ASSERT(attest_cra_finding_basis(f, i) != NULL);
		if (attest_cra_finding_severity(f, i) == ATTEST_CRA_ERROR)
			nerr++;
		else
			FUZZ_ASSERT(attest_cra_finding_severity(f, i) ==
			    ATTEST_CRA_WARNING);
	}
	FUZZ_ASSERT(nerr == attest_cra_findings_errors(f));
	FUZZ_ASSERT((r == ATTEST_ERR_POLICY) == (nerr > 0));
}

/*
 * The invariants of attest_chain_verify()'s result r with report c: no
 * report only for an error that is no verdict; the report agrees with r;
 * every accessor answers (absent strings are NULL: base.h); a chain that
 * holds has every string of every line (but the date of a simplified
 * DoC, which has none), its product, manufacturer and support end; one
 * that does not says why (on a line or as a whole).  An operator it
 * names is one of policy @p p's.
 */
static inline void
fuzz_chain_report_ok(const attest_policy_t *p, attest_err_t r,
    const attest_chain_t *c)
{
	size_t i, j, n, len, why = 0;
	const char *op;
	int holds;

	if (c == NULL) {
		FUZZ_ASSERT(r != ATTEST_OK && r != ATTEST_ERR_VERIFY);
		return;
	}
	holds = attest_chain_holds(c);
	FUZZ_ASSERT((r == ATTEST_OK) == (holds == 1));
	FUZZ_ASSERT(r == ATTEST_OK || r == ATTEST_ERR_VERIFY);
	n = attest_chain_link_count(c);
	FUZZ_ASSERT(n <= ATTEST_CHAIN_MAX_LINES);
	for (i = 0; i < n; i++) {
		(void)attest_chain_link_kind(c, i);
		(void)attest_chain_link_role(c, i);
		(void)attest_chain_link_accepted(c, i);
		(void)attest_chain_link_threshold(c, i);
		if (attest_chain_link_payload(c, i, &len) != NULL)
			FUZZ_ASSERT(len > 0);
		if (attest_chain_link_error(c, i) != NULL)
			why++;
		if ((op = attest_chain_link_operator(c, i)) != NULL)
			FUZZ_ASSERT(attest_policy_operator_legal_name(p, op) !=
			    NULL);
		for (j = 0; j < attest_chain_link_warning_count(c, i); j++)
			FUZZ_ASSERT(attest_chain_link_warning(c, i, j) != NULL);
		if (holds) {
			FUZZ_ASSERT(attest_chain_link_sha256(c, i) != NULL);
			FUZZ_ASSERT(attest_chain_link_operator(c, i) != NULL);
			/* a simplified DoC states no date (specs/policy.md) */
			FUZZ_ASSERT(attest_chain_link_signed_on(c, i) != NULL ||
			    attest_chain_link_kind(c, i) == ATTEST_CRA_SDOC);
			FUZZ_ASSERT(attest_chain_link_payload(c, i, &len) !=
			    NULL);
		} else {
			(void)attest_chain_link_sha256(c, i);
			(void)attest_chain_link_operator(c, i);
			(void)attest_chain_link_signed_on(c, i);
		}
	}
	if (attest_chain_error(c) != NULL)
		why++;
	if ((op = attest_chain_manufacturer_operator(c)) != NULL)
		FUZZ_ASSERT(attest_policy_operator_legal_name(p, op) != NULL);
	FUZZ_ASSERT(holds ? why == 0 : why > 0);
	for (i = 0; i < attest_chain_subject_count(c); i++) {
		FUZZ_ASSERT(attest_chain_subject_sha256(c, i) != NULL);
		(void)attest_chain_subject_name(c, i);
	}
	if (holds) {
		FUZZ_ASSERT(attest_chain_product(c) != NULL);
		FUZZ_ASSERT(attest_chain_manufacturer(c) != NULL);
		FUZZ_ASSERT(attest_chain_manufacturer_operator(c) != NULL);
		FUZZ_ASSERT(attest_chain_manufacturer_country(c) != NULL);
		FUZZ_ASSERT(attest_chain_support_end(c) != NULL);
	} else {
		(void)attest_chain_product(c);
		(void)attest_chain_manufacturer(c);
		(void)attest_chain_manufacturer_operator(c);
		(void)attest_chain_manufacturer_country(c);
		(void)attest_chain_support_end(c);
	}
}

#endif /* ATTEST_FUZZ_H */
