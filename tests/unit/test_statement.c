/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: in-toto Statement v1 (attest/statement.h).
 *
 * Known cases: the validation cases transcribed from the in-toto Go
 * reference library and the JSON examples of the in-toto spec
 * (tests/vectors/in-toto-attestation).  Where libattest departs
 * from the Go library on purpose, the test says so and asserts
 * libattest's documented behaviour.
 */
#include "testutil.h"

#define CASES_VEC	"in-toto-attestation/statement_validation_cases.json"
#define V1		"https://in-toto.io/Statement/v1"
#define SHA256_ABC	"ba7816bf8f01cfea414140de5dae2223" \
			"b00361a396177a9cb410ff61f20015ad"
#define SHA512_ABC	"ddaf35a193617abacc417349ae204131" \
			"12e6fa4e89a97ea20a9eeee64b55d39a" \
			"2192992a274fc1a836ba3c23a3feebbd" \
			"454d4423643ce80e2a9ac94fa54ca49f"
#define SHA384_ABC	"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163" \
			"1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"

/* Helpers --------------------------------------------------------------- */

static attest_stmt_t *
parse_ok(const char *text)
{
	attest_stmt_t *s = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_stmt_parse(&s, (const unsigned char *)text, strlen(text),
	    d);
	if (r != ATTEST_OK)
		fail_msg("stmt_parse: %s (%s)", attest_strerror(r),
		    attest_diag_get_message(d));
	assert_non_null(s);
	attest_diag_free(&d);
	return s;
}

static void
expect_parse(const char *text, size_t len, attest_err_t want,
    const char *field)
{
	attest_stmt_t *s = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_stmt_parse(&s, (const unsigned char *)text, len, d);
	if (r != want)
		fail_msg("stmt_parse: %s, expected %s (%s)",
		    attest_strerror(r), attest_strerror(want),
		    attest_diag_get_message(d) ? attest_diag_get_message(d) :
		    "no message");
	assert_null(s);
	tu_assert_field(d, field);
	attest_diag_free(&d);
}

static void
expect_parse_s(const char *text, attest_err_t want, const char *field)
{
	expect_parse(text, strlen(text), want, field);
}

/* A statement with one subject whose digest object is @p digest. */
static char *
with_digest(const char *digest)
{
	size_t n = strlen(digest) + 256;
	char *t;

	assert_non_null(t = malloc(n));
	(void)snprintf(t, n, "{\"_type\":\"" V1 "\",\"subject\":[{\"name\":"
	    "\"a\",\"digest\":%s}],\"predicateType\":\"p\"}", digest);
	return t;
}

/* A statement with these raw parts. */
static char *
stmt_text(const char *type, const char *subject, const char *ptype,
    const char *pred)
{
	size_t n = strlen(type) + strlen(subject) + strlen(ptype) +
	    (pred ? strlen(pred) : 0) + 128;
	char *t;

	assert_non_null(t = malloc(n));
	(void)snprintf(t, n, "{\"_type\":%s,\"subject\":%s,"
	    "\"predicateType\":%s%s%s}", type, subject, ptype,
	    pred ? ",\"predicate\":" : "", pred ? pred : "");
	return t;
}

static char *
serialize(const attest_stmt_t *s)
{
	unsigned char *out = NULL;
	size_t len = 0;
	char *t;

	assert_int_equal(attest_stmt_serialize_alloc(s, &out, &len),
	    ATTEST_OK);
	assert_int_equal(strlen((const char *)out), len);
	assert_non_null(t = strdup((const char *)out));
	attest_freezero(out, len);
	return t;
}

static char *
predicate(const attest_stmt_t *s)
{
	unsigned char *out = NULL;
	size_t len = 0;
	char *t;

	assert_int_equal(attest_stmt_predicate_alloc(s, &out, &len),
	    ATTEST_OK);
	assert_non_null(t = strdup((const char *)out));
	assert_int_equal(strlen(t), len);
	attest_freezero(out, len);
	return t;
}

static attest_digest_t *
digest_of(const char *data, unsigned int algs)
{
	attest_digest_t *d;

	assert_non_null(d = attest_digest_new(algs));
	assert_int_equal(attest_digest_update(d, (const unsigned char *)data,
	    strlen(data)), ATTEST_OK);
	assert_int_equal(attest_digest_final(d), ATTEST_OK);
	return d;
}

/* Building and round trips ---------------------------------------------- */

static void
test_stmt_build_roundtrip_ok(void **state)
{
	static const char pred[] = "{\"builder\":{\"id\":\"ci\"},\"n\":[1,2]}";
	attest_stmt_t *s, *back;
	attest_digest_t *d;
	size_t idx = 99, i, j;
	char *text, *again, *p1, *p2;

	(void)state;
	assert_non_null(s = attest_stmt_new());
	assert_int_equal(attest_stmt_add_subject(s, "fw.bin", &idx),
	    ATTEST_OK);
	assert_int_equal(idx, 0);
	d = digest_of("abc", ATTEST_DIGEST_SHA256 | ATTEST_DIGEST_SHA512);
	assert_int_equal(attest_stmt_add_digests(s, idx, d), ATTEST_OK);
	attest_digest_free(&d);
	assert_int_equal(attest_stmt_add_subject(s, NULL, &idx), ATTEST_OK);
	assert_int_equal(idx, 1);
	assert_int_equal(attest_stmt_add_digest(s, 1, "sha384", SHA384_ABC),
	    ATTEST_OK);
	assert_int_equal(attest_stmt_add_digest(s, 1, "gitCommit",
	    "d20ace7968ba43c0219f62d71334c1095bab1602"), ATTEST_OK);
	assert_int_equal(attest_stmt_set_predicate(s,
	    "https://example.com/release/v1", pred, strlen(pred), NULL),
	    ATTEST_OK);

	text = serialize(s);
	assert_non_null(strstr(text, "\"_type\":\"" V1 "\""));
	back = parse_ok(text);
	assert_int_equal(attest_stmt_subject_count(back), 2);
	assert_string_equal(attest_stmt_subject_name(back, 0), "fw.bin");
	assert_null(attest_stmt_subject_name(back, 1));
	for (i = 0; i < 2; i++) {
		assert_int_equal(attest_stmt_digest_count(back, i),
		    attest_stmt_digest_count(s, i));
		for (j = 0; j < attest_stmt_digest_count(s, i); j++) {
			assert_string_equal(attest_stmt_digest_alg(back, i, j),
			    attest_stmt_digest_alg(s, i, j));
			assert_string_equal(attest_stmt_digest_hex(back, i, j),
			    attest_stmt_digest_hex(s, i, j));
		}
	}
	assert_string_equal(attest_stmt_digest_alg(back, 0, 0), "sha256");
	assert_string_equal(attest_stmt_digest_hex(back, 0, 0), SHA256_ABC);
	assert_string_equal(attest_stmt_digest_alg(back, 0, 1), "sha512");
	assert_string_equal(attest_stmt_digest_hex(back, 0, 1), SHA512_ABC);
	assert_string_equal(attest_stmt_digest_alg(back, 1, 1), "gitCommit");
	assert_string_equal(attest_stmt_predicate_type(back),
	    "https://example.com/release/v1");
	p1 = predicate(s);
	p2 = predicate(back);
	assert_string_equal(p1, pred);
	assert_string_equal(p2, pred);
	/* serialising the parsed statement gives the same text */
	again = serialize(back);
	assert_string_equal(again, text);
	assert_int_equal(attest_stmt_digest_algs(back), ATTEST_DIGEST_ALL);

	/* out of range getters */
	assert_null(attest_stmt_subject_name(back, 2));
	assert_int_equal(attest_stmt_digest_count(back, 2), 0);
	assert_null(attest_stmt_digest_alg(back, 0, 2));
	assert_null(attest_stmt_digest_hex(back, 2, 0));

	free(p1);
	free(p2);
	free(again);
	free(text);
	attest_stmt_free(&back);
	attest_stmt_free(&s);
	assert_null(s);
	attest_stmt_free(NULL);
	assert_int_equal(attest_stmt_subject_count(NULL), 0);
	assert_null(attest_stmt_predicate_type(NULL));
	assert_int_equal(attest_stmt_digest_algs(NULL), 0);
}

/* No predicate: none is written, "null" is reported. */
static void
test_stmt_build_no_predicate(void **state)
{
	attest_stmt_t *s, *back;
	char *text, *p;

	(void)state;
	assert_non_null(s = attest_stmt_new());
	assert_int_equal(attest_stmt_add_subject(s, "x", NULL), ATTEST_OK);
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha256", SHA256_ABC),
	    ATTEST_OK);
	assert_int_equal(attest_stmt_set_predicate(s, "p", NULL, 0, NULL),
	    ATTEST_OK);
	text = serialize(s);
	assert_null(strstr(text, "\"predicate\""));
	back = parse_ok(text);
	p = predicate(back);
	assert_string_equal(p, "null");
	free(p);
	free(text);
	attest_stmt_free(&back);
	attest_stmt_free(&s);
}

static void
test_stmt_serialize_incomplete(void **state)
{
	attest_stmt_t *s;
	unsigned char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(s = attest_stmt_new());
	/* no subject */
	assert_int_equal(attest_stmt_set_predicate(s, "p", "{}", 2, NULL),
	    ATTEST_OK);
	assert_int_equal(attest_stmt_serialize_alloc(s, &out, &len),
	    ATTEST_ERR_INVALID_ARGUMENT);
	/* a subject without a digest */
	assert_int_equal(attest_stmt_add_subject(s, "x", NULL), ATTEST_OK);
	assert_int_equal(attest_stmt_serialize_alloc(s, &out, &len),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(out);
	attest_stmt_free(&s);
	/* no predicate type */
	assert_non_null(s = attest_stmt_new());
	assert_int_equal(attest_stmt_add_subject(s, "x", NULL), ATTEST_OK);
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha256", SHA256_ABC),
	    ATTEST_OK);
	assert_int_equal(attest_stmt_serialize_alloc(s, &out, &len),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_stmt_serialize_alloc(NULL, &out, &len),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(out);
	attest_stmt_free(&s);
}

static void
test_stmt_add_digest_bad(void **state)
{
	attest_stmt_t *s;
	attest_digest_t *d;
	char upper[65], name[16];
	size_t i;

	(void)state;
	assert_non_null(s = attest_stmt_new());
	assert_int_equal(attest_stmt_add_subject(s, "x", NULL), ATTEST_OK);
	/* SHA-2 values: lowercase hex of the exact length */
	(void)snprintf(upper, sizeof(upper), "%s", SHA256_ABC);
	upper[0] = 'B';
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha256", upper),
	    ATTEST_ERR_PARSE);
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha256",
	    SHA256_ABC "00"), ATTEST_ERR_PARSE);
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha256", SHA384_ABC),
	    ATTEST_ERR_PARSE);
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha512", SHA256_ABC),
	    ATTEST_ERR_PARSE);
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha256", ""),
	    ATTEST_ERR_PARSE);
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha256",
	    "za7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
	    ATTEST_ERR_PARSE);
	/* other algorithms: any non-empty value, a non-empty name */
	assert_int_equal(attest_stmt_add_digest(s, 0, "gitCommit", ""),
	    ATTEST_ERR_PARSE);
	assert_int_equal(attest_stmt_add_digest(s, 0, "", "abc"),
	    ATTEST_ERR_PARSE);
	assert_int_equal(attest_stmt_digest_count(s, 0), 0);
	/* one value per algorithm */
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha256", SHA256_ABC),
	    ATTEST_OK);
	assert_int_equal(attest_stmt_add_digest(s, 0, "sha256", SHA256_ABC),
	    ATTEST_ERR_DUPLICATE);
	d = digest_of("abc", ATTEST_DIGEST_SHA256);
	assert_int_equal(attest_stmt_add_digests(s, 0, d),
	    ATTEST_ERR_DUPLICATE);
	attest_digest_free(&d);
	/* no such subject */
	assert_int_equal(attest_stmt_add_digest(s, 1, "sha256", SHA256_ABC),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_stmt_add_digest(s, 0, NULL, SHA256_ABC),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_stmt_add_digest(NULL, 0, "sha256",
	    SHA256_ABC), ATTEST_ERR_INVALID_ARGUMENT);
	/* ATTEST_MAX_DIGESTS per subject */
	for (i = 1; i < ATTEST_MAX_DIGESTS; i++) {
		(void)snprintf(name, sizeof(name), "alg%zu", i);
		assert_int_equal(attest_stmt_add_digest(s, 0, name, "ab"),
		    ATTEST_OK);
	}
	assert_int_equal(attest_stmt_add_digest(s, 0, "onemore", "ab"),
	    ATTEST_ERR_TOO_LARGE);
	assert_int_equal(attest_stmt_digest_count(s, 0), ATTEST_MAX_DIGESTS);
	attest_stmt_free(&s);
}

static void
test_stmt_set_predicate_bad(void **state)
{
	static const char dup[] = "{\"a\":1,\"a\":2}";
	attest_stmt_t *s;
	attest_diag_t *d;
	char *big;

	(void)state;
	assert_non_null(s = attest_stmt_new());
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_stmt_set_predicate(s, "", "{}", 2, d),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_stmt_set_predicate(s, NULL, "{}", 2, d),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_stmt_set_predicate(s, "p", dup,
	    strlen(dup), d), ATTEST_ERR_PARSE);
	assert_non_null(strstr(attest_diag_get_reason(d), "duplicate"));
	assert_int_equal(attest_stmt_set_predicate(s, "p", "[1]", 3, d),
	    ATTEST_ERR_PARSE);
	assert_int_equal(attest_stmt_set_predicate(s, "p", "{} x", 4, d),
	    ATTEST_ERR_PARSE);
	assert_non_null(big = malloc(ATTEST_MAX_PREDICATE_BYTES + 1));
	memset(big, ' ', ATTEST_MAX_PREDICATE_BYTES + 1);
	big[0] = '{';
	big[ATTEST_MAX_PREDICATE_BYTES] = '}';
	assert_int_equal(attest_stmt_set_predicate(s, "p", big,
	    ATTEST_MAX_PREDICATE_BYTES + 1, d), ATTEST_ERR_TOO_LARGE);
	free(big);
	/* nothing was set */
	assert_null(attest_stmt_predicate_type(s));
	attest_diag_free(&d);
	attest_stmt_free(&s);
}

/* Upstream validation cases --------------------------------------------- */

/*
 * What libattest answers for each case of the Go library's tests, by
 * case name.  Two differ from upstream, on purpose:
 *
 * - "_type version v0.1": the Go library still accepts the legacy
 *   Statement v0.1 type; libattest reads Statement v1 only (attest_stmt
 *   _parse: "_type exactly v1"), so it is refused as unsupported.
 * - "missing predicate": the Go library requires a predicate, but
 *   spec/v1/statement.md makes it optional ("unset is treated the same
 *   as set-but-empty"); libattest follows the spec and accepts it.
 */
static const struct {
	const char	*name;
	attest_err_t	 want;
	const char	*field;
} cases[] = {
	{ "valid statement (TestJsonUnmarshalStatement)", ATTEST_OK, NULL },
	{ "wrong _type host (TestBadStatementType)", ATTEST_ERR_UNSUPPORTED,
	    "_type" },
	{ "_type version v1 (TestStatementTypeVersions)", ATTEST_OK, NULL },
	{ "_type version v0.1 (TestStatementTypeVersions)",
	    ATTEST_ERR_UNSUPPORTED, "_type" },
	{ "_type version v2 (TestStatementTypeVersions)",
	    ATTEST_ERR_UNSUPPORTED, "_type" },
	{ "_type version v0.2 (TestStatementTypeVersions)",
	    ATTEST_ERR_UNSUPPORTED, "_type" },
	{ "no subjects (TestBadStatementSubject)", ATTEST_ERR_PARSE,
	    "subject" },
	/* a subject needs a digest here (no name- or uri-only subjects) */
	{ "subject missing RD required field (TestBadStatementSubject)",
	    ATTEST_ERR_PARSE, "subject[0].digest" },
	{ "subject missing digest (TestBadStatementSubject)",
	    ATTEST_ERR_PARSE, "subject[0].digest" },
	{ "empty predicateType (TestBadStatementPredicate)",
	    ATTEST_ERR_PARSE, "predicateType" },
	{ "missing predicate (TestBadStatementPredicate)", ATTEST_OK, NULL },
};

static void
test_stmt_parse_upstream_cases(void **state)
{
	json_t *root, *arr, *c;
	attest_stmt_t *s;
	const char *name, *input, *expect;
	size_t i, k, seen = 0;
	char *p;

	(void)state;
	root = tu_load_vector(CASES_VEC);
	assert_true(json_is_array(arr = json_object_get(root, "cases")));
	assert_int_equal(json_array_size(arr),
	    sizeof(cases) / sizeof(cases[0]));
	json_array_foreach(arr, i, c) {
		name = tu_jstr(c, "name");
		input = tu_jstr(c, "input");
		expect = tu_jstr(c, "expect");
		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
			if (strcmp(cases[k].name, name) == 0)
				break;
		if (k == sizeof(cases) / sizeof(cases[0]))
			fail_msg("case \"%s\" not in the table", name);
		seen++;
		/* the table departs from upstream only where said above */
		if (strncmp(expect, "valid", 5) == 0 &&
		    cases[k].want != ATTEST_OK)
			assert_non_null(strstr(name, "v0.1"));
		if (strncmp(expect, "invalid", 7) == 0 &&
		    cases[k].want == ATTEST_OK)
			assert_non_null(strstr(name, "missing predicate"));
		if (cases[k].want != ATTEST_OK) {
			expect_parse_s(input, cases[k].want, cases[k].field);
			continue;
		}
		s = parse_ok(input);
		assert_int_equal(attest_stmt_subject_count(s), 1);
		assert_string_equal(attest_stmt_subject_name(s, 0), "theSub");
		assert_string_equal(attest_stmt_digest_alg(s, 0, 0), "alg1");
		assert_string_equal(attest_stmt_digest_hex(s, 0, 0), "abc123");
		assert_string_equal(attest_stmt_predicate_type(s),
		    "thePredicate");
		/* "alg1" is not an algorithm libattest computes */
		assert_int_equal(attest_stmt_digest_algs(s), 0);
		p = predicate(s);
		if (strstr(name, "missing predicate") != NULL)
			assert_string_equal(p, "null");
		else
			assert_string_equal(p,
			    "{\"keyObj\":{\"subKey\":\"subVal\"}}");
		free(p);
		attest_stmt_free(&s);
	}
	assert_int_equal(seen, sizeof(cases) / sizeof(cases[0]));
	json_decref(root);
}

static void
test_stmt_parse_spec_examples(void **state)
{
	static const char *const files[] = {
		"in-toto-attestation/spec-examples/test-result_example.json",
		"in-toto-attestation/spec-examples/reference_example_1.json",
		"in-toto-attestation/spec-examples/reference_example_2.json",
	};
	char path[TU_PATH_MAX];
	unsigned char *buf;
	attest_stmt_t *s;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		buf = tu_read_file(tu_vector_path(path, files[i]), &len);
		s = parse_ok((const char *)buf);
		assert_true(attest_stmt_subject_count(s) >= 1);
		assert_non_null(attest_stmt_predicate_type(s));
		if (i == 0) {
			/* a subject with no name and only a gitCommit */
			assert_int_equal(attest_stmt_subject_count(s), 1);
			assert_null(attest_stmt_subject_name(s, 0));
			assert_string_equal(attest_stmt_digest_alg(s, 0, 0),
			    "gitCommit");
			assert_string_equal(attest_stmt_digest_hex(s, 0, 0),
			    "d20ace7968ba43c0219f62d71334c1095bab1602");
			assert_string_equal(attest_stmt_predicate_type(s),
			    "https://in-toto.io/attestation/test-result/v0.1");
		}
		if (i == 2)
			assert_int_equal(attest_stmt_subject_count(s), 2);
		attest_stmt_free(&s);
		free(buf);
	}
}

/* Malformed statements -------------------------------------------------- */

static void
test_stmt_parse_wrong_types(void **state)
{
	static const struct {
		const char	*type;
		const char	*subject;
		const char	*ptype;
		const char	*pred;
		const char	*field;
	} c[] = {
		{ "1", "[{\"digest\":{\"a\":\"b\"}}]", "\"p\"", NULL,
		    "_type" },
		{ "\"" V1 "\"", "{}", "\"p\"", NULL, "subject" },
		{ "\"" V1 "\"", "\"x\"", "\"p\"", NULL, "subject" },
		{ "\"" V1 "\"", "[\"x\"]", "\"p\"", NULL, "subject[0]" },
		{ "\"" V1 "\"", "[{\"digest\":{\"a\":\"b\"}},1]", "\"p\"",
		    NULL, "subject[1]" },
		{ "\"" V1 "\"", "[{\"name\":1,\"digest\":{\"a\":\"b\"}}]",
		    "\"p\"", NULL, "subject[0].name" },
		{ "\"" V1 "\"", "[{\"digest\":[\"b\"]}]", "\"p\"", NULL,
		    "subject[0].digest" },
		{ "\"" V1 "\"", "[{\"digest\":\"b\"}]", "\"p\"", NULL,
		    "subject[0].digest" },
		{ "\"" V1 "\"", "[{\"digest\":{\"a\":1}}]", "\"p\"", NULL,
		    "subject[0].digest.a" },
		{ "\"" V1 "\"", "[{\"digest\":{\"a\":\"b\"}}]", "1", NULL,
		    "predicateType" },
		{ "\"" V1 "\"", "[{\"digest\":{\"a\":\"b\"}}]", "null", NULL,
		    "predicateType" },
		{ "\"" V1 "\"", "[{\"digest\":{\"a\":\"b\"}}]", "\"p\"",
		    "[]", "predicate" },
		{ "\"" V1 "\"", "[{\"digest\":{\"a\":\"b\"}}]", "\"p\"",
		    "\"x\"", "predicate" },
		{ "\"" V1 "\"", "[{\"digest\":{\"a\":\"b\"}}]", "\"p\"",
		    "null", "predicate" },
	};
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		text = stmt_text(c[i].type, c[i].subject, c[i].ptype,
		    c[i].pred);
		expect_parse_s(text, ATTEST_ERR_PARSE, c[i].field);
		free(text);
	}
	/* missing members */
	expect_parse_s("{\"subject\":[{\"digest\":{\"a\":\"b\"}}],"
	    "\"predicateType\":\"p\"}", ATTEST_ERR_PARSE, "_type");
	expect_parse_s("{\"_type\":\"" V1 "\",\"predicateType\":\"p\"}",
	    ATTEST_ERR_PARSE, "subject");
	expect_parse_s("{\"_type\":\"" V1 "\",\"subject\":[{\"digest\":"
	    "{\"a\":\"b\"}}]}", ATTEST_ERR_PARSE, "predicateType");
	/* not a JSON object */
	expect_parse_s("[]", ATTEST_ERR_PARSE, NULL);
	expect_parse_s("", ATTEST_ERR_PARSE, NULL);
	/* the type URI is compared exactly */
	text = stmt_text("\"" V1 "/\"", "[{\"digest\":{\"a\":\"b\"}}]",
	    "\"p\"", NULL);
	expect_parse_s(text, ATTEST_ERR_UNSUPPORTED, "_type");
	free(text);
	text = stmt_text("\"HTTPS://in-toto.io/Statement/v1\"",
	    "[{\"digest\":{\"a\":\"b\"}}]", "\"p\"", NULL);
	expect_parse_s(text, ATTEST_ERR_UNSUPPORTED, "_type");
	free(text);
	{
		attest_stmt_t *s = NULL;

		assert_int_equal(attest_stmt_parse(NULL,
		    (const unsigned char *)"{}", 2, NULL),
		    ATTEST_ERR_INVALID_ARGUMENT);
		assert_int_equal(attest_stmt_parse(&s, NULL, 0, NULL),
		    ATTEST_ERR_INVALID_ARGUMENT);
	}
}

static void
test_stmt_parse_bad_digests(void **state)
{
	static const struct {
		const char	*digest;
		const char	*field;
	} c[] = {
		/* uppercase hex */
		{ "{\"sha256\":\"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A"
		    "9CB410FF61F20015AD\"}", "subject[0].digest.sha256" },
		{ "{\"sha256\":\"Ba7816bf8f01cfea414140de5dae2223b00361a396177a"
		    "9cb410ff61f20015ad\"}", "subject[0].digest.sha256" },
		/* wrong length: short, long, odd, another algorithm's */
		{ "{\"sha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a"
		    "9cb410ff61f20015\"}", "subject[0].digest.sha256" },
		{ "{\"sha256\":\"" SHA256_ABC "00\"}",
		    "subject[0].digest.sha256" },
		{ "{\"sha256\":\"" SHA256_ABC "0\"}",
		    "subject[0].digest.sha256" },
		{ "{\"sha512\":\"" SHA256_ABC "\"}",
		    "subject[0].digest.sha512" },
		{ "{\"sha384\":\"" SHA512_ABC "\"}",
		    "subject[0].digest.sha384" },
		{ "{\"sha256\":\"\"}", "subject[0].digest.sha256" },
		/* not hex, white space */
		{ "{\"sha256\":\"za7816bf8f01cfea414140de5dae2223b00361a396177a"
		    "9cb410ff61f20015ad\"}", "subject[0].digest.sha256" },
		{ "{\"sha256\":\" " SHA256_ABC "\"}",
		    "subject[0].digest.sha256" },
		/* the first digest fine, the second bad */
		{ "{\"sha256\":\"" SHA256_ABC "\",\"sha512\":\"00\"}",
		    "subject[0].digest.sha512" },
		/* empty object, empty value of another algorithm */
		{ "{}", "subject[0].digest" },
		{ "{\"gitCommit\":\"\"}", "subject[0].digest.gitCommit" },
		{ "{\"\":\"abc\"}", "subject[0].digest." },
	};
	char *text, big[2048];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		text = with_digest(c[i].digest);
		expect_parse_s(text, ATTEST_ERR_PARSE, c[i].field);
		free(text);
	}
	/* more digests than ATTEST_MAX_DIGESTS */
	n = (size_t)snprintf(big, sizeof(big), "{");
	for (i = 0; i <= ATTEST_MAX_DIGESTS; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
		    "%s\"alg%zu\":\"ab\"", i ? "," : "", i);
	(void)snprintf(big + n, sizeof(big) - n, "}");
	text = with_digest(big);
	expect_parse_s(text, ATTEST_ERR_TOO_LARGE, "subject[0].digest");
	free(text);
}

static void
test_stmt_parse_duplicate_key(void **state)
{
	attest_stmt_t *s = NULL;
	attest_diag_t *d;
	char *text;

	(void)state;
	assert_non_null(d = attest_diag_new());
	text = with_digest("{\"sha256\":\"" SHA256_ABC "\",\"sha256\":\""
	    SHA256_ABC "\"}");
	assert_int_equal(attest_stmt_parse(&s, (unsigned char *)text,
	    strlen(text), d), ATTEST_ERR_PARSE);
	assert_null(s);
	assert_true(attest_diag_get_offset(d) > 0);
	assert_non_null(strstr(attest_diag_get_reason(d), "duplicate"));
	assert_non_null(strstr(attest_diag_get_reason(d), "sha256"));
	free(text);
	text = stmt_text("\"" V1 "\"", "[{\"digest\":{\"a\":\"b\"}}],"
	    "\"subject\":[{\"digest\":{\"c\":\"d\"}}]", "\"p\"", NULL);
	attest_diag_clear(d);
	assert_int_equal(attest_stmt_parse(&s, (unsigned char *)text,
	    strlen(text), d), ATTEST_ERR_PARSE);
	assert_non_null(strstr(attest_diag_get_reason(d), "subject"));
	free(text);
	/* in the predicate as well */
	text = stmt_text("\"" V1 "\"", "[{\"digest\":{\"a\":\"b\"}}]",
	    "\"p\"", "{\"x\":{\"k\":1,\"k\":2}}");
	expect_parse_s(text, ATTEST_ERR_PARSE, NULL);
	free(text);
	attest_diag_free(&d);
}

static void
test_stmt_parse_trailing(void **state)
{
	char *text, *t;
	size_t n;

	(void)state;
	text = with_digest("{\"sha256\":\"" SHA256_ABC "\"}");
	n = strlen(text) + 8;
	assert_non_null(t = malloc(n));
	(void)snprintf(t, n, "%s{}", text);
	expect_parse_s(t, ATTEST_ERR_PARSE, NULL);
	(void)snprintf(t, n, "%s,", text);
	expect_parse_s(t, ATTEST_ERR_PARSE, NULL);
	/* truncated */
	expect_parse(text, strlen(text) - 1, ATTEST_ERR_PARSE, NULL);
	free(t);
	free(text);
}

static void
test_stmt_parse_too_large(void **state)
{
	unsigned char *buf;

	(void)state;
	assert_non_null(buf = malloc(ATTEST_MAX_PAYLOAD_BYTES + 1));
	memset(buf, ' ', ATTEST_MAX_PAYLOAD_BYTES + 1);
	buf[0] = '{';
	buf[ATTEST_MAX_PAYLOAD_BYTES] = '}';
	expect_parse((const char *)buf, ATTEST_MAX_PAYLOAD_BYTES + 1,
	    ATTEST_ERR_TOO_LARGE, NULL);
	free(buf);
}

/* Unknown fields are ignored (a ResourceDescriptor has many). */
static void
test_stmt_parse_unknown_fields_ok(void **state)
{
	attest_stmt_t *s;
	char *text;

	(void)state;
	text = stmt_text("\"" V1 "\"", "[{\"name\":\"a\",\"uri\":\"https://x\","
	    "\"digest\":{\"sha256\":\"" SHA256_ABC "\"},\"annotations\":{}}]",
	    "\"p\"", "{}");
	s = parse_ok(text);
	assert_int_equal(attest_stmt_digest_algs(s), ATTEST_DIGEST_SHA256);
	attest_stmt_free(&s);
	free(text);
}

/* Matching -------------------------------------------------------------- */

static void
test_stmt_match_ok(void **state)
{
	attest_stmt_t *s;
	attest_digest_t *d;
	size_t idx = 99;
	char *text;

	(void)state;
	/* the second subject is "abc", with two digests */
	text = stmt_text("\"" V1 "\"", "[{\"name\":\"other\",\"digest\":"
	    "{\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
	    "a495991b7852b855\"}},{\"name\":\"abc\",\"digest\":{\"sha256\":\""
	    SHA256_ABC "\",\"sha512\":\"" SHA512_ABC "\"}}]", "\"p\"", NULL);
	s = parse_ok(text);
	assert_int_equal(attest_stmt_digest_algs(s), ATTEST_DIGEST_SHA256 |
	    ATTEST_DIGEST_SHA512);
	d = digest_of("abc", ATTEST_DIGEST_ALL);
	assert_int_equal(attest_stmt_match(s, d, &idx, NULL), ATTEST_OK);
	assert_int_equal(idx, 1);
	attest_digest_free(&d);
	/* sharing one algorithm is enough */
	d = digest_of("abc", ATTEST_DIGEST_SHA512);
	assert_int_equal(attest_stmt_match(s, d, &idx, NULL), ATTEST_OK);
	assert_int_equal(idx, 1);
	attest_digest_free(&d);
	/* the empty file is the first subject */
	d = digest_of("", ATTEST_DIGEST_SHA256);
	assert_int_equal(attest_stmt_match(s, d, NULL, NULL), ATTEST_OK);
	attest_digest_free(&d);
	attest_stmt_free(&s);
	free(text);
}

static void
test_stmt_match_mismatch(void **state)
{
	attest_stmt_t *s;
	attest_digest_t *d;
	attest_diag_t *diag;
	size_t idx = 99;
	char *text;

	(void)state;
	assert_non_null(diag = attest_diag_new());
	text = with_digest("{\"sha256\":\"" SHA256_ABC "\"}");
	s = parse_ok(text);
	d = digest_of("abd", ATTEST_DIGEST_ALL);
	assert_int_equal(attest_stmt_match(s, d, &idx, diag),
	    ATTEST_ERR_MISMATCH);
	assert_int_equal(idx, 99);
	assert_non_null(strstr(attest_diag_get_reason(diag),
	    "matches no subject"));
	assert_true(attest_err_is_verdict(ATTEST_ERR_MISMATCH));
	/* no algorithm in common */
	attest_digest_free(&d);
	d = digest_of("abc", ATTEST_DIGEST_SHA384);
	assert_int_equal(attest_stmt_match(s, d, &idx, NULL),
	    ATTEST_ERR_MISMATCH);
	attest_digest_free(&d);
	assert_int_equal(attest_stmt_match(NULL, d, &idx, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_stmt_match(s, NULL, &idx, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_stmt_free(&s);
	free(text);
	attest_diag_free(&diag);
}

/* Agreeing on sha256 is not enough when sha512 disagrees. */
static void
test_stmt_match_partial_conflict(void **state)
{
	attest_stmt_t *s;
	attest_digest_t *d;
	attest_diag_t *diag;
	char *text;

	(void)state;
	assert_non_null(diag = attest_diag_new());
	text = with_digest("{\"sha256\":\"" SHA256_ABC "\",\"sha512\":\""
	    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
	    "\"}");
	s = parse_ok(text);
	d = digest_of("abc", ATTEST_DIGEST_SHA256 | ATTEST_DIGEST_SHA512);
	assert_int_equal(attest_stmt_match(s, d, NULL, diag),
	    ATTEST_ERR_MISMATCH);
	assert_non_null(strstr(attest_diag_get_reason(diag), "disagrees"));
	attest_digest_free(&d);
	/* computing only sha256, the disagreement is not seen: a match */
	d = digest_of("abc", ATTEST_DIGEST_SHA256);
	assert_int_equal(attest_stmt_match(s, d, NULL, NULL), ATTEST_OK);
	attest_digest_free(&d);
	attest_stmt_free(&s);
	free(text);
	attest_diag_free(&diag);
}

/* A subject with only algorithms libattest does not compute. */
static void
test_stmt_match_unknown_algs(void **state)
{
	attest_stmt_t *s;
	attest_digest_t *d;
	char *text;

	(void)state;
	text = with_digest("{\"gitCommit\":\"" SHA256_ABC "\",\"sha1\":"
	    "\"a9993e364706816aba3e25717850c26c9cd0d89d\"}");
	s = parse_ok(text);
	assert_int_equal(attest_stmt_digest_algs(s), 0);
	d = digest_of("abc", ATTEST_DIGEST_ALL);
	assert_int_equal(attest_stmt_match(s, d, NULL, NULL),
	    ATTEST_ERR_MISMATCH);
	attest_digest_free(&d);
	attest_stmt_free(&s);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stmt_build_roundtrip_ok),
		cmocka_unit_test(test_stmt_build_no_predicate),
		cmocka_unit_test(test_stmt_serialize_incomplete),
		cmocka_unit_test(test_stmt_add_digest_bad),
		cmocka_unit_test(test_stmt_set_predicate_bad),
		cmocka_unit_test(test_stmt_parse_upstream_cases),
		cmocka_unit_test(test_stmt_parse_spec_examples),
		cmocka_unit_test(test_stmt_parse_wrong_types),
		cmocka_unit_test(test_stmt_parse_bad_digests),
		cmocka_unit_test(test_stmt_parse_duplicate_key),
		cmocka_unit_test(test_stmt_parse_trailing),
		cmocka_unit_test(test_stmt_parse_too_large),
		cmocka_unit_test(test_stmt_parse_unknown_fields_ok),
		cmocka_unit_test(test_stmt_match_ok),
		cmocka_unit_test(test_stmt_match_mismatch),
		cmocka_unit_test(test_stmt_match_partial_conflict),
		cmocka_unit_test(test_stmt_match_unknown_algs),
	};

	return cmocka_run_group_tests(tests, tu_setup, NULL);
}
