/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: a verifier's cost is bounded by its input's size (issue 14
 * §4).  Each quadratic or amplifying case is built large and checked by
 * what it costs, never by a clock: the work the library counts
 * (attest_cost: comparisons of its sorts and searches, steps of DOC-9),
 * the memory jansson held (attest_json_last_peak), or the limit the code
 * accepts (the limit passes, the limit + 1 is refused).  Run from the
 * repository root (the Makefile does): the examples are opened by
 * relative path.
 */
/* cra_testutil.h's helpers are static; this file uses a few of them */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "cra_testutil.h"

#include "attest/chain.h"
#include "attest/policy.h"
/* libattest internals: attest_cost, attest_buf, attest_json_last_peak */
#include "json_int.h"

#define MIB		(1024UL * 1024)
#define BUDGET(n)	(ATTEST_JSON_MEMORY_FACTOR * (n) + \
			    ATTEST_JSON_MEMORY_SLACK)

/* ceil(log2(n)), n >= 1 */
static unsigned long
log2_up(unsigned long n)
{
	unsigned long k = 0;

	while ((1UL << k) < n)
		k++;
	return k;
}

/* The findings of a check of a predicate object, whatever it returns. */
static attest_cra_findings_t *
findings_of(attest_cra_kind_t kind, const json_t *pred)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_err_t r;

	r = check_json(kind, pred, &ctx, &f);
	assert_true(r == ATTEST_OK || r == ATTEST_ERR_POLICY);
	assert_non_null(f);
	return f;
}

/* Is there an S-3 at @p field whose message names @p limit? */
static int
limit_finding(const attest_cra_findings_t *f, const char *field,
    const char *limit)
{
	size_t i;

	for (i = 0; i < attest_cra_findings_count(f); i++)
		if (strcmp(attest_cra_finding_rule(f, i), "S-3") == 0 &&
		    strcmp(attest_cra_finding_field(f, i), field) == 0 &&
		    strstr(attest_cra_finding_message(f, i), limit) != NULL)
			return 1;
	return 0;
}

static const char *const states[] = { "AT", "BE", "BG", "CY", "CZ", "DE",
	"DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
	"LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK" };
#define NSTATES	(sizeof(states) / sizeof(states[0]))

/* A DoC with @p nm markets and @p nl languages (none of them official). */
static json_t *
doc_with(size_t nm, size_t nl)
{
	attest_cra_kind_t k;
	json_t *pred = load_pred(EX "doc-module-a.json", &k), *m, *l;
	char tag[16];
	size_t i;

	assert_int_equal(k, ATTEST_CRA_DOC);
	assert_non_null(m = json_array());
	assert_non_null(l = json_array());
	for (i = 0; i < nm; i++)
		assert_int_equal(json_array_append_new(m,
		    json_string(states[i % NSTATES])), 0);
	/* well-formed tags, official in no Member State: DOC-9 reads all */
	for (i = 0; i < nl; i++) {
		(void)snprintf(tag, sizeof(tag), "x%c%c", 'a' + (int)(i / 26 %
		    26), 'a' + (int)(i % 26));
		assert_int_equal(json_array_append_new(l, json_string(tag)), 0);
	}
	assert_int_equal(json_object_set_new(pred, "markets", m), 0);
	assert_int_equal(json_object_set_new(pred, "languages", l), 0);
	return pred;
}

/*
 * DOC-9 (markets x languages): a DoC of ATTEST_MAX_MARKETS markets and
 * ATTEST_MAX_LANGUAGES languages is checked in steps linear in the two
 * (each language once against the 27 states, each market once looked
 * up), not in their product; one more market or language is an S-3
 * naming the list and the limit.
 */
static void
test_doc9_markets_languages(void **state)
{
	attest_cra_findings_t *f;
	unsigned long before, cost;
	json_t *pred;

	(void)state;
	pred = doc_with(ATTEST_MAX_MARKETS, ATTEST_MAX_LANGUAGES);
	before = attest_cost;
	f = findings_of(ATTEST_CRA_DOC, pred);
	cost = attest_cost - before;
	assert_false(limit_finding(f, "markets", "ATTEST_MAX_MARKETS"));
	assert_false(limit_finding(f, "languages", "ATTEST_MAX_LANGUAGES"));
	/* every market unserved: one DOC-9 warning each, all read */
	assert_true(has_finding(f, "DOC-9", W, "markets[0]"));
	assert_true(has_finding(f, "DOC-9", W, "markets[63]"));
	print_message("DOC-9: %d markets, %d languages: %lu steps\n",
	    ATTEST_MAX_MARKETS, ATTEST_MAX_LANGUAGES, cost);
	assert_true(cost > 0);
	assert_true(cost <= NSTATES * (ATTEST_MAX_MARKETS +
	    ATTEST_MAX_LANGUAGES));
	attest_cra_findings_free(&f);
	json_decref(pred);

	pred = doc_with(ATTEST_MAX_MARKETS + 1, 2);
	f = findings_of(ATTEST_CRA_DOC, pred);
	assert_true(limit_finding(f, "markets", "ATTEST_MAX_MARKETS"));
	assert_false(has_finding(f, "DOC-9", PASS, NULL));
	attest_cra_findings_free(&f);
	json_decref(pred);

	pred = doc_with(2, ATTEST_MAX_LANGUAGES + 1);
	f = findings_of(ATTEST_CRA_DOC, pred);
	assert_true(limit_finding(f, "languages", "ATTEST_MAX_LANGUAGES"));
	assert_false(has_finding(f, "DOC-9", PASS, NULL));
	attest_cra_findings_free(&f);
	json_decref(pred);
}

/* standards: ATTEST_MAX_STANDARDS pass, one more is an S-3. */
static void
test_standards_limit(void **state)
{
	attest_cra_kind_t k;
	attest_cra_findings_t *f;
	json_t *pred, *stds, *one;
	size_t i;

	(void)state;
	pred = load_pred(EX "doc-module-a.json", &k);
	stds = json_object_get(pred, "standards");
	assert_int_equal(json_array_size(stds), 1);
	one = json_deep_copy(json_array_get(stds, 0));
	for (i = 1; i < ATTEST_MAX_STANDARDS; i++)
		assert_int_equal(json_array_append_new(stds,
		    json_deep_copy(one)), 0);
	f = findings_of(k, pred);
	assert_false(limit_finding(f, "standards", "ATTEST_MAX_STANDARDS"));
	assert_int_equal(attest_cra_findings_errors(f), 0);
	attest_cra_findings_free(&f);
	assert_int_equal(json_array_append_new(stds, one), 0);
	f = findings_of(k, pred);
	assert_true(limit_finding(f, "standards", "ATTEST_MAX_STANDARDS"));
	attest_cra_findings_free(&f);
	json_decref(pred);
}

/* checks (importer record): ATTEST_MAX_CHECKS members, then an S-3. */
static void
test_checks_limit(void **state)
{
	attest_cra_kind_t k;
	attest_cra_findings_t *f;
	json_t *pred, *checks;
	char name[32];
	size_t i;

	(void)state;
	pred = load_pred(EX "import.json", &k);
	assert_int_equal(k, ATTEST_CRA_IMPORT);
	checks = json_object_get(pred, "checks");
	for (i = json_object_size(checks); i < ATTEST_MAX_CHECKS; i++) {
		(void)snprintf(name, sizeof(name), "extra_%zu", i);
		assert_int_equal(json_object_set_new(checks, name,
		    json_object()), 0);
	}
	f = findings_of(k, pred);
	assert_false(limit_finding(f, "checks", "ATTEST_MAX_CHECKS"));
	assert_true(has_finding(f, "S-4", E, "checks.extra_63"));
	attest_cra_findings_free(&f);
	assert_int_equal(json_object_set_new(checks, "one_more",
	    json_object()), 0);
	f = findings_of(k, pred);
	assert_true(limit_finding(f, "checks", "ATTEST_MAX_CHECKS"));
	assert_false(has_finding(f, "S-4", E, "checks.extra_63"));
	attest_cra_findings_free(&f);
	json_decref(pred);
}

/*
 * Findings: a DoC with 100000 unknown members (about 8 bytes of text
 * each) lists ATTEST_MAX_FINDINGS findings and one S-6 that counts the
 * rest; the error count is every error.
 */
static void
test_findings_capped(void **state)
{
	attest_cra_kind_t k;
	attest_cra_findings_t *f;
	json_t *pred;
	char name[32];
	size_t i, n = 100000, last;

	(void)state;
	pred = load_pred(EX "doc-module-a.json", &k);
	for (i = 0; i < n; i++) {
		(void)snprintf(name, sizeof(name), "u%zu", i);
		assert_int_equal(json_object_set_new(pred, name,
		    json_integer(0)), 0);
	}
	f = findings_of(k, pred);
	assert_int_equal(attest_cra_findings_count(f), ATTEST_MAX_FINDINGS +
	    1);
	assert_int_equal(attest_cra_findings_errors(f), n);
	last = attest_cra_findings_count(f) - 1;
	assert_string_equal(attest_cra_finding_rule(f, last), "S-6");
	assert_int_equal(attest_cra_finding_severity(f, last), E);
	assert_non_null(strstr(attest_cra_finding_message(f, last),
	    "ATTEST_MAX_FINDINGS"));
	attest_cra_findings_free(&f);
	json_decref(pred);
}

/*
 * Subjects added one by one: the array grows by doubling, so adding
 * ATTEST_MAX_SUBJECTS copies O(n) elements in all (attest_cost counts
 * the elements a growth may copy), not n^2 / 2.
 */
static void
test_stmt_subjects_grow(void **state)
{
	attest_stmt_t *s;
	unsigned long before;
	size_t i, idx;

	(void)state;
	assert_non_null(s = attest_stmt_new());
	before = attest_cost;
	for (i = 0; i < ATTEST_MAX_SUBJECTS; i++)
		assert_int_equal(attest_stmt_add_subject(s, NULL, &idx),
		    ATTEST_OK);
	assert_int_equal(attest_stmt_add_subject(s, NULL, &idx),
	    ATTEST_ERR_TOO_LARGE);
	assert_true(attest_cost - before <= 2UL * ATTEST_MAX_SUBJECTS);
	attest_stmt_free(&s);
}

/* --- a chain whose release has ATTEST_MAX_SUBJECTS subjects ---------------- */

#define MFR_NAME	"Example Devices GmbH"

static char *
policy_for(const attest_key_t *k)
{
	unsigned char *pem = NULL;
	size_t len = 0;
	json_t *p;
	char *text;

	assert_int_equal(attest_pubkey_pem_alloc(attest_key_pubkey(k), &pem,
	    &len), ATTEST_OK);
	assert_non_null(p = json_pack("{s:i, s:[{s:s, s:s, s:s, s:{s:{}}}], "
	    "s:[{s:s, s:[s], s:s, s:s#, s:s}]}", "policy_version", 1,
	    "operators", "id", "mfr", "legal_name", MFR_NAME, "country", "DE",
	    "roles", "manufacturer", "keys", "operator", "mfr", "roles",
	    "manufacturer", "algorithm", "ed25519", "public_key", pem, len,
	    "valid_from", "2026-01-01"));
	assert_non_null(text = json_dumps(p, JSON_COMPACT));
	json_decref(p);
	attest_freezero(pem, len);
	return text;
}

/* One signed line: a Statement of @p subj (hex sha256s) and @p pred. */
static void
sign_line(const attest_key_t *k, const char *type, const json_t *pred,
    char *const *subj, size_t n, struct attest_buf *out)
{
	attest_signer_t *s = NULL;
	attest_envelope_t *e;
	attest_key_t *copy = NULL;
	unsigned char *f = NULL, *st = NULL, *env = NULL;
	size_t len = 0, st_len = 0, env_len = 0, i, idx;
	char *ptext;

	assert_int_equal(attest_key_serialize_alloc(k, NULL, 0, 0, 0, &f,
	    &len), ATTEST_OK);
	assert_int_equal(attest_key_parse(&copy, f, len, NULL, NULL, NULL),
	    ATTEST_OK);
	attest_freezero(f, len);
	assert_int_equal(attest_signer_from_key(&s, &copy), ATTEST_OK);
	{
		attest_stmt_t *stmt = attest_stmt_new();

		assert_non_null(stmt);
		for (i = 0; i < n; i++) {
			assert_int_equal(attest_stmt_add_subject(stmt, NULL,
			    &idx), ATTEST_OK);
			assert_int_equal(attest_stmt_add_digest(stmt, idx,
			    "sha256", subj[i]), ATTEST_OK);
		}
		assert_non_null(ptext = json_dumps(pred, JSON_COMPACT));
		assert_int_equal(attest_stmt_set_predicate(stmt, type, ptext,
		    strlen(ptext), NULL), ATTEST_OK);
		free(ptext);
		assert_int_equal(attest_stmt_serialize_alloc(stmt, &st,
		    &st_len), ATTEST_OK);
		attest_stmt_free(&stmt);
	}
	assert_non_null(e = attest_envelope_new());
	assert_int_equal(attest_envelope_set_payload(e,
	    "application/vnd.in-toto+json", st, st_len), ATTEST_OK);
	assert_int_equal(attest_envelope_sign(e, s, NULL), ATTEST_OK);
	assert_int_equal(attest_envelope_serialize_alloc(e, &env, &env_len),
	    ATTEST_OK);
	assert_int_equal(attest_buf_append(out, env, env_len), ATTEST_OK);
	assert_int_equal(attest_buf_append(out, "\n", 1), ATTEST_OK);
	attest_freezero(env, env_len);
	attest_envelope_free(&e);
	free(st);
	attest_signer_free(&s);
}

/*
 * CH-7 (the release's subject set, sorted) and CH-12 (each artifact a
 * subject of the release) on a release of ATTEST_MAX_SUBJECTS subjects
 * given in descending order, with every one of them as an artifact: the
 * comparisons stay within a few n log n (an insertion sort and a scan per
 * artifact were n^2 / 2 each, some 2 x 10^9), and CH-12 still finds an
 * artifact that is no subject.
 */
static void
test_chain_many_subjects(void **state)
{
	attest_chain_options_t o;
	attest_policy_t *p = NULL;
	attest_chain_t *c = NULL;
	attest_key_t *k = NULL;
	attest_cra_kind_t kind;
	struct attest_buf bundle = { NULL, 0, 0 };
	json_t *doc, *rel;
	char **subj, *ptext;
	const char **art;
	unsigned long before, cost, n = ATTEST_MAX_SUBJECTS;
	size_t i;
	attest_err_t r;

	(void)state;
	assert_int_equal(attest_key_generate(&k, ATTEST_ALG_ED25519),
	    ATTEST_OK);
	ptext = policy_for(k);
	assert_int_equal(attest_policy_parse(&p, (unsigned char *)ptext,
	    strlen(ptext), NULL), ATTEST_OK);
	free(ptext);
	assert_non_null(subj = calloc(n, sizeof(*subj)));
	assert_non_null(art = calloc(n + 1, sizeof(*art)));
	for (i = 0; i < n; i++) {
		assert_non_null(subj[i] = malloc(65));
		(void)snprintf(subj[i], 65, "%064lx", (unsigned long)(n - i));
		art[i] = subj[i];
	}
	doc = load_pred(EX "doc-module-a.json", &kind);
	rel = load_pred(EX "release.json", &kind);
	sign_line(k, ATTEST_CRA_DOC_TYPE, doc, subj, 1, &bundle);
	sign_line(k, ATTEST_CRA_RELEASE_TYPE, rel, subj, n, &bundle);
	memset(&o, 0, sizeof(o));
	o.now = NOW;
	o.artifacts = art;
	o.nartifacts = n;
	before = attest_cost;
	r = attest_chain_verify(p, bundle.ptr, bundle.len, &o, &c, NULL);
	cost = attest_cost - before;
	assert_true(r == ATTEST_OK || r == ATTEST_ERR_VERIFY);
	assert_non_null(c);
	assert_int_equal(attest_chain_subject_count(c), n);
	assert_true(attest_chain_error(c) == NULL ||
	    strstr(attest_chain_error(c), "CH-12") == NULL);
	print_message("CH-7, CH-12: %lu subjects and artifacts: %lu "
	    "comparisons\n", n, cost);
	assert_true(cost > n);
	assert_true(cost <= 8 * n * log2_up(n) + 100000);
	attest_chain_free(&c);

	/* the last artifact is no subject: CH-12 says so */
	art[n] = HEX64("f");
	o.artifacts = art + 1;
	r = attest_chain_verify(p, bundle.ptr, bundle.len, &o, &c, NULL);
	assert_int_equal(r, ATTEST_ERR_VERIFY);
	assert_non_null(attest_chain_error(c));
	assert_non_null(strstr(attest_chain_error(c), "CH-12"));
	assert_non_null(strstr(attest_chain_error(c), HEX64("f")));
	attest_chain_free(&c);

	for (i = 0; i < n; i++)
		free(subj[i]);
	free(subj);
	free(art);
	json_decref(doc);
	json_decref(rel);
	attest_buf_reset(&bundle);
	attest_policy_free(&p);
	attest_key_free(&k);
}

/*
 * A trust policy whose importer key may speak for every manufacturer:
 * 1023 manufacturers, each with its key, and the importer's key naming
 * them all.  Each name is looked up in the sorted operators and checked
 * against a flag (a scan of the operators and of the names before it
 * made that keys x operators x operators).
 */
static void
test_policy_scope_many_operators(void **state)
{
	attest_policy_t *p = NULL;
	attest_key_t *k = NULL;
	json_t *ops, *keys, *mfrs, *pol;
	unsigned char *pem = NULL;
	unsigned long before, cost;
	size_t i, len = 0, n = ATTEST_MAX_KEYS - 1;
	char id[16], name[32], *text;

	(void)state;
	assert_non_null(ops = json_array());
	assert_non_null(keys = json_array());
	assert_non_null(mfrs = json_array());
	for (i = 0; i <= n; i++) {
		if (i < n) {
			(void)snprintf(id, sizeof(id), "m%04zu", i);
			(void)snprintf(name, sizeof(name), "Maker %zu", i);
			assert_int_equal(json_array_append_new(mfrs,
			    json_string(id)), 0);
		} else {
			(void)snprintf(id, sizeof(id), "imp");
			(void)snprintf(name, sizeof(name), "Importer");
		}
		assert_int_equal(json_array_append_new(ops, json_pack(
		    "{s:s, s:s, s:s, s:{s:{}}}", "id", id, "legal_name", name,
		    "country", "FR", "roles", i < n ? "manufacturer" :
		    "importer")), 0);
		assert_int_equal(attest_key_generate(&k, ATTEST_ALG_ED25519),
		    ATTEST_OK);
		assert_int_equal(attest_pubkey_pem_alloc(attest_key_pubkey(k),
		    &pem, &len), ATTEST_OK);
		assert_int_equal(json_array_append_new(keys, json_pack(
		    "{s:s, s:[s], s:s, s:s#, s:s}", "operator", id, "roles",
		    i < n ? "manufacturer" : "importer", "algorithm", "ed25519",
		    "public_key", pem, len, "valid_from", "2026-01-01")), 0);
		attest_freezero(pem, len);
		attest_key_free(&k);
	}
	assert_int_equal(json_object_set_new(json_array_get(keys, n),
	    "manufacturers", mfrs), 0);
	assert_non_null(pol = json_pack("{s:i, s:o, s:o}", "policy_version", 1,
	    "operators", ops, "keys", keys));
	assert_non_null(text = json_dumps(pol, JSON_COMPACT));
	before = attest_cost;
	assert_int_equal(attest_policy_parse(&p, (unsigned char *)text,
	    strlen(text), NULL), ATTEST_OK);
	cost = attest_cost - before;
	print_message("policy: %zu operators, a key naming %zu: %lu "
	    "comparisons\n", n + 1, n, cost);
	assert_true(cost <= 4 * 3 * (n + 1) * log2_up(n + 1));
	attest_policy_free(&p);
	/* a manufacturer named twice is still found */
	assert_int_equal(json_array_append_new(json_object_get(
	    json_array_get(keys, n), "manufacturers"), json_string("m0500")),
	    0);
	free(text);
	assert_non_null(text = json_dumps(pol, JSON_COMPACT));
	assert_int_equal(attest_policy_parse(&p, (unsigned char *)text,
	    strlen(text), NULL), ATTEST_ERR_DUPLICATE);
	free(text);
	json_decref(pol);
}

/* --- memory: jansson within ATTEST_JSON_MEMORY_FACTOR x + SLACK ----------- */

/* A Statement whose predicate is {"a":[V,V,...]}, about @p size bytes. */
static unsigned char *
tiny_values(size_t size, const char *v, size_t *len)
{
	static const char head[] = "{\"_type\":\"" STMT_V1 "\",\"subject\":"
	    "[{\"digest\":{\"sha256\":" H64("0") "}}],\"predicateType\":\"x\","
	    "\"predicate\":{\"a\":[";
	struct attest_buf b = { NULL, 0, 0 };
	size_t vl = strlen(v);

	assert_int_equal(attest_buf_append(&b, head, strlen(head)),
	    ATTEST_OK);
	assert_int_equal(attest_buf_append(&b, v, vl), ATTEST_OK);
	while (b.len + vl + 4 < size) {
		assert_int_equal(attest_buf_append(&b, ",", 1), ATTEST_OK);
		assert_int_equal(attest_buf_append(&b, v, vl), ATTEST_OK);
	}
	assert_int_equal(attest_buf_append(&b, "]}}", 3), ATTEST_OK);
	*len = b.len;
	return b.ptr;
}

/* Parse it as a Statement: the result; jansson's peak within budget. */
static attest_err_t
parse_tiny(size_t size, const char *v, int verbose)
{
	attest_stmt_t *s = NULL;
	attest_diag_t *d;
	unsigned char *text;
	size_t len;
	attest_err_t r;

	text = tiny_values(size, v, &len);
	assert_non_null(d = attest_diag_new());
	r = attest_stmt_parse(&s, text, len, d);
	if (verbose)
		print_message("%zu MiB of %s: %s, jansson peak %zu bytes "
		    "(%.1f x the text; budget %lu)\n", size / MIB, v,
		    attest_strerror(r), attest_json_last_peak(),
		    (double)attest_json_last_peak() / (double)len,
		    (unsigned long)BUDGET(len));
	assert_true(attest_json_last_peak() <= BUDGET(len));
	if (r == ATTEST_ERR_TOO_LARGE)
		assert_non_null(strstr(attest_diag_get_message(d),
		    "more JSON values than its size allows"));
	attest_stmt_free(&s);
	attest_diag_free(&d);
	free(text);
	return r;
}

/*
 * A payload of many tiny values: 16 MiB of 0s (about 20 x its size in
 * jansson) or of {} (about 80 x) is refused within 4 x 16 MiB + the
 * slack, with a message that says why; 1 MiB of 0s fits in the slack,
 * 1 MiB of {} does not.  An ordinary text of 16 MiB (100-byte strings)
 * parses.
 */
static void
test_json_tiny_values(void **state)
{
	(void)state;
	assert_int_equal(parse_tiny(16 * MIB, "0", 1), ATTEST_ERR_TOO_LARGE);
	assert_int_equal(parse_tiny(16 * MIB, "{}", 1), ATTEST_ERR_TOO_LARGE);
	assert_int_equal(parse_tiny(1 * MIB, "0", 1), ATTEST_OK);
	assert_int_equal(parse_tiny(1 * MIB, "{}", 1), ATTEST_ERR_TOO_LARGE);
	assert_int_equal(parse_tiny(16 * MIB, "\"" HEX64("0") HEX16("1")
	    HEX16("2") "\"", 1), ATTEST_OK);
}

/*
 * The envelope is parsed within its budget too: an unknown member of
 * 16 MiB of 0s is refused before anything is verified.
 */
static void
test_json_envelope_budget(void **state)
{
	static const char head[] = "{\"payloadType\":\"x\",\"payload\":\"\","
	    "\"signatures\":[],\"x\":[0";
	struct attest_buf b = { NULL, 0, 0 };
	attest_envelope_t *e = NULL;
	attest_diag_t *d;

	(void)state;
	assert_int_equal(attest_buf_append(&b, head, strlen(head)),
	    ATTEST_OK);
	while (b.len < 16 * MIB)
		assert_int_equal(attest_buf_append(&b, ",0", 2), ATTEST_OK);
	assert_int_equal(attest_buf_append(&b, "]}", 2), ATTEST_OK);
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_envelope_parse(&e, b.ptr, b.len, d),
	    ATTEST_ERR_TOO_LARGE);
	assert_true(attest_json_last_peak() <= BUDGET(b.len));
	attest_diag_free(&d);
	attest_buf_reset(&b);
}

/*
 * Every budget from 0 up to what a text needs: the parse succeeds as it
 * would without one, or is refused as too large, never anything else
 * (jansson's lexer, whose failed buffer growth it does not survive, is
 * never failed: a long string, number, key and literal grow it here).
 */
static void
test_json_every_budget(void **state)
{
	static const char *const texts[] = {
		"{\"a\":[1,\"abc\",{\"k\":[true,null,1.5e3,false]},"
		    "\"0123456789012345678901234567890123456789\","
		    "-12345678901234567,\"\\u00e9\\ud83d\\ude00xyz\"],"
		    "\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\":{}}",
		"{\"x\":12345678901234567890123456789012345678901234567890}",
		"{\"x\":1234567890123456.78901234567890123456789e10}",
		"{\"x\":[truetruetruetruetruetruetruetruetruetrue]}",
		"{\"a\":1,\"a\":2}",
		"{\"s\":\"" HEX64("a") HEX64("b") "\\n\",\"t\":[[],[{}],"
		    "{\"u\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}]}",
		"{\"k\":\"unterminated " HEX64("a"),
		"{\"" HEX16("k") HEX16("k") "\":nul}",
	};
	attest_err_t full, r;
	json_t *j;
	size_t t, lim, need, len, refused;

	(void)state;
	for (t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		len = strlen(texts[t]);
		full = attest_json_load_within((const unsigned char *)texts[t],
		    len, SIZE_MAX, &j, NULL);
		json_decref(j);
		need = attest_json_last_peak();
		refused = 0;
		for (lim = 0; lim <= need + 64; lim++) {
			r = attest_json_load_within((const unsigned char *)
			    texts[t], len, lim, &j, NULL);
			json_decref(j);
			if (r == ATTEST_ERR_TOO_LARGE) {
				refused++;
				continue;
			}
			if (r != full)
				fail_msg("text %zu, budget %zu: %s, not %s", t,
				    lim, attest_strerror(r),
				    attest_strerror(full));
		}
		assert_true(refused > 0);
		/* enough is enough: the full need always gets through */
		assert_int_equal(attest_json_load_within((const unsigned char *)
		    texts[t], len, need, &j, NULL), full);
		json_decref(j);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc9_markets_languages),
		cmocka_unit_test(test_standards_limit),
		cmocka_unit_test(test_checks_limit),
		cmocka_unit_test(test_findings_capped),
		cmocka_unit_test(test_stmt_subjects_grow),
		cmocka_unit_test(test_chain_many_subjects),
		cmocka_unit_test(test_policy_scope_many_operators),
		cmocka_unit_test(test_json_tiny_values),
		cmocka_unit_test(test_json_envelope_budget),
		cmocka_unit_test(test_json_every_budget),
	};

	return cmocka_run_group_tests(tests, tu_setup, NULL);
}
