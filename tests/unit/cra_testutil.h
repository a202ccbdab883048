/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the CRA record unit tests (test_cra.c, test_cra_chain.c):
 * load a draft from keys-example/cra/, mutate a member by path, run the
 * check, look for a finding.
 */
#ifndef ATTEST_CRA_TESTUTIL_H
#define ATTEST_CRA_TESTUTIL_H

#include "testutil.h"

#include "attest/cra.h"

#define EX		"keys-example/cra/"
#define NOW		"2028-03-01"
#define STMT_V1		"https://in-toto.io/Statement/v1"
#define E		ATTEST_CRA_ERROR
#define W		ATTEST_CRA_WARNING
#define PASS		0
#define DEL		NULL
#define HEX16(c)	c c c c c c c c c c c c c c c c
#define HEX64(c)	HEX16(c) HEX16(c) HEX16(c) HEX16(c)
#define H64(c)		"\"" HEX64(c) "\""		/* a JSON string */
#define H128(c)		"\"" HEX64(c) HEX64(c) "\""

struct mut {
	const char	*p;
	const char	*v;	/* JSON text; NULL deletes */
};

/* The predicate of a draft file; its kind in *kind. */
static json_t *
load_pred(const char *path, attest_cra_kind_t *kind)
{
	json_error_t e;
	json_t *j, *p;

	if ((j = json_load_file(path, JSON_REJECT_DUPLICATES, &e)) == NULL)
		fail_msg("%s: line %d: %s (run from the repository root)",
		    path, e.line, e.text);
	*kind = attest_cra_kind_from_type(json_string_value(
	    json_object_get(j, "predicateType")));
	assert_int_not_equal(*kind, ATTEST_CRA_NONE);
	assert_non_null(p = json_object_get(j, "predicate"));
	json_incref(p);
	json_decref(j);
	return p;
}

/*
 * Set (@p val is JSON text) or delete (@p val NULL) the member at
 * @p path ("a.b[2].c") of @p root.  Setting index n of an n-element
 * array appends.
 */
static void
mutate(json_t *root, const char *path, const char *val)
{
	char seg[128];
	const char *p = path;
	json_t *cur = root, *next, *v = NULL;
	size_t n, idx;
	int is_idx, last;

	if (val != NULL && (v = json_loads(val, JSON_DECODE_ANY, NULL)) ==
	    NULL)
		fail_msg("mutation %s: bad JSON %s", path, val);
	for (;;) {
		is_idx = *p == '[';
		n = is_idx ? strcspn(p + 1, "]") : strcspn(p, ".[");
		assert_true(n > 0 && n < sizeof(seg));
		memcpy(seg, p + is_idx, n);
		seg[n] = '\0';
		p += n + (is_idx ? 2 : 0);
		last = *p == '\0';
		idx = is_idx ? (size_t)strtoul(seg, NULL, 10) : 0;
		if (last)
			break;
		next = is_idx ? json_array_get(cur, idx) :
		    json_object_get(cur, seg);
		if (next == NULL)
			fail_msg("mutation %s: no %s", path, seg);
		cur = next;
		if (*p == '.')
			p++;
	}
	if (v == NULL && is_idx)
		assert_int_equal(json_array_remove(cur, idx), 0);
	else if (v == NULL)
		assert_int_equal(json_object_del(cur, seg), 0);
	else if (is_idx && idx == json_array_size(cur))
		assert_int_equal(json_array_append_new(cur, v), 0);
	else if (is_idx)
		assert_int_equal(json_array_set_new(cur, idx, v), 0);
	else
		assert_int_equal(json_object_set_new(cur, seg, v), 0);
}

/* Run the check on a predicate object. */
static attest_err_t
check_json(attest_cra_kind_t kind, const json_t *pred,
    const attest_cra_context_t *ctx, attest_cra_findings_t **f)
{
	char *text;
	attest_err_t r;

	assert_non_null(text = json_dumps(pred, JSON_COMPACT));
	r = attest_cra_check(kind, (const unsigned char *)text, strlen(text),
	    ctx, f, NULL);
	free(text);
	return r;
}

static void
print_findings(const attest_cra_findings_t *f)
{
	size_t i;

	for (i = 0; i < attest_cra_findings_count(f); i++)
		print_message("  %s %s %s: %s (%s)\n",
		    attest_cra_finding_severity(f, i) == E ? "E" : "W",
		    attest_cra_finding_rule(f, i),
		    attest_cra_finding_field(f, i),
		    attest_cra_finding_message(f, i),
		    attest_cra_finding_basis(f, i));
}

static int
has_finding(const attest_cra_findings_t *f, const char *rule, int sev,
    const char *field)
{
	size_t i;

	for (i = 0; i < attest_cra_findings_count(f); i++)
		if (strcmp(attest_cra_finding_rule(f, i), rule) == 0 &&
		    (sev == PASS || attest_cra_finding_severity(f, i) == sev) &&
		    (field == NULL ||
		    strcmp(attest_cra_finding_field(f, i), field) == 0))
			return 1;
	return 0;
}

/* The same findings, in the same order. */
static void
same_findings(const attest_cra_findings_t *a, const attest_cra_findings_t *b)
{
	size_t i;

	assert_int_equal(attest_cra_findings_count(a),
	    attest_cra_findings_count(b));
	for (i = 0; i < attest_cra_findings_count(a); i++) {
		assert_int_equal(attest_cra_finding_severity(a, i),
		    attest_cra_finding_severity(b, i));
		assert_string_equal(attest_cra_finding_rule(a, i),
		    attest_cra_finding_rule(b, i));
		assert_string_equal(attest_cra_finding_field(a, i),
		    attest_cra_finding_field(b, i));
		assert_string_equal(attest_cra_finding_message(a, i),
		    attest_cra_finding_message(b, i));
	}
}

/*
 * Case n of a rule table: with sev PASS, no finding of rule and no error
 * at all; else a finding of rule with that severity at field.  r is the
 * check's return.  CRA_VERBOSE=1 prints every case's findings.
 */
static void
expect_case(size_t n, const char *file, const char *rule, int sev,
    const char *field, const attest_cra_findings_t *f, attest_err_t r)
{
	assert_non_null(f);
	if (getenv("CRA_VERBOSE") != NULL) {
		print_message("case %zu: %s %s\n", n, rule,
		    field ? field : "(pass)");
		print_findings(f);
	}
	if ((sev == PASS && (has_finding(f, rule, PASS, NULL) ||
	    attest_cra_findings_errors(f) > 0)) || (sev != PASS &&
	    !has_finding(f, rule, sev, field))) {
		print_message("case %zu (%s): want %s %s at %s; got:\n", n,
		    file, rule, sev == PASS ? "none" : sev == E ? "E" : "W",
		    field ? field : "-");
		print_findings(f);
		fail();
	}
	assert_int_equal(r, attest_cra_findings_errors(f) > 0 ?
	    ATTEST_ERR_POLICY : ATTEST_OK);
}

#endif /* ATTEST_CRA_TESTUTIL_H */
