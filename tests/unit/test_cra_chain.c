/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: the chain of custody's records (attest/cra.h,
 * specs/chain.md §1, §2): the importer record (ATTEST_CRA_IMPORT) and the
 * distributor record (ATTEST_CRA_DISTRIBUTION), checked alone.
 *
 * As tests/unit/test_cra.c: every rule of specs/chain.md §2.3 has a
 * failing and a passing case, made by mutating a valid example of
 * keys-example/cra/ (set or delete a member by path); the finding's rule,
 * severity and field are checked.  Run from the repository root (the
 * Makefile does): the examples are opened by relative path.
 */
#include "cra_testutil.h"

#define IM		EX "import.json"
#define DW		EX "distribution-wholesale.json"
#define DR		EX "distribution-retail.json"
#define NMUT		6

/* The rule table ----------------------------------------------------------- */

struct tcase {
	const char	*file;
	struct mut	 m[NMUT];
	const char	*rule;
	int		 sev;	/* E, W, or PASS: no finding of the rule */
	const char	*field;
};

/* A check that failed, with its note; one not applicable. */
#define FAILED		"{\"result\": \"fail\", \"note\": \"not seen\", " \
			"\"checked_at\": \"2028-01-28\"}"
#define NOT_APPL	"{\"result\": \"not_applicable\", \"note\": " \
			"\"does not apply\", \"checked_at\": \"2028-01-28\"}"
#define NOTICE		"[{\"kind\": \"significant_risk\", \"to\": \"msa\", " \
			"\"member_state\": \"FR\", \"at\": \"2028-02-01\"}]"

static const struct tcase cases[] = {
	/* S-1 missing, also the conditional members of a Check */
	{ IM, { { "checks.ce_marking", DEL } }, "S-1", E,
	    "checks.ce_marking" },
	{ IM, { { "checks.user_information_language.languages", DEL } },
	    "S-1", E, "checks.user_information_language.languages" },
	{ DW, { { "checks.support_end_13_19.end_seen", DEL } }, "S-1", E,
	    "checks.support_end_13_19.end_seen" },
	{ IM, { { "checks.ce_marking.evidence[0]",
	    "{\"description\": \"seen\"}" } }, "S-1", E,
	    "checks.ce_marking.evidence[0]" },
	{ IM, { { "upstream.release.digests", "{\"sha512\": " H128("e")
	    "}" } }, "S-1", E, "upstream.release.digests.sha256" },
	{ DW, { { "custody.supplied_to.name", DEL } }, "S-1", E,
	    "custody.supplied_to.name" },
	{ DW, { { "upstream.doc", DEL } }, "S-1", E, "upstream.doc" },
	/* end_seen and languages are needed only for a pass */
	{ IM, { { "checks.support_end_13_19", FAILED },
	    { "checks.user_information_language", NOT_APPL },
	    { "decision", "\"withhold\"" }, { "risk_notices", NOTICE } },
	    "S-1", PASS, NULL },
	/* S-2 wrong type */
	{ DW, { { "custody.units.quantity", "\"200\"" } }, "S-2", E,
	    "custody.units.quantity" },
	{ IM, { { "own_name_or_substantial_modification", "\"no\"" } },
	    "S-2", E, "own_name_or_substantial_modification" },
	{ DR, { { 0 } }, "S-2", PASS, NULL },
	/* S-3 bad format */
	{ DW, { { "custody.units.quantity", "0" } }, "S-3", E,
	    "custody.units.quantity" },
	{ IM, { { "risk_notices", "[{\"kind\": \"vulnerability\", \"to\": "
	    "\"msa\", \"member_state\": \"CH\", \"at\": \"2028-02-01\"}]" } },
	    "S-3", E, "risk_notices[0].member_state" },
	{ IM, { { "upstream.doc.digests.sha256", "\"ABC\"" } }, "S-3", E,
	    "upstream.doc.digests.sha256" },
	{ IM, { { "risk_notices", NOTICE } }, "S-3", PASS, NULL },
	/* S-4 unknown member: languages and end_seen only where named */
	{ IM, { { "checks.ce_marking.languages", "[\"en\"]" } }, "S-4", E,
	    "checks.ce_marking.languages" },
	{ DW, { { "checks.doc_accompanies", FAILED } }, "S-4", E,
	    "checks.doc_accompanies" },
	{ DW, { { "custody.prev", "{}" } }, "S-4", E, "custody.prev" },
	{ DW, { { 0 } }, "S-4", PASS, NULL },	/* user_information_13_18 */
	/* S-5 enumerations and fixed roles */
	{ DW, { { "distributor.role", "\"importer\"" } }, "S-5", E,
	    "distributor.role" },
	{ IM, { { "importer.role", "\"distributor\"" } }, "S-5", E,
	    "importer.role" },
	{ DW, { { "checks.ce_marking.result", "\"ok\"" } }, "S-5", E,
	    "checks.ce_marking.result" },
	{ DR, { { "stage", "\"online\"" } }, "S-5", E, "stage" },
	{ IM, { { "risk_notices", "[{\"kind\": \"recall\", \"to\": "
	    "\"users\", \"at\": \"2028-02-01\"}]" } }, "S-5", E,
	    "risk_notices[0].kind" },
	{ DR, { { "stage", "\"wholesale\"" } }, "S-5", PASS, NULL },
	/* X-2 a month where a day is needed */
	{ IM, { { "checks.ce_marking.checked_at", "\"2028-01\"" } }, "X-2", E,
	    "checks.ce_marking.checked_at" },
	{ DW, { { "custody.event_date", "\"2028-02\"" } }, "X-2", E,
	    "custody.event_date" },
	{ DW, { { "checks.support_end_13_19.end_seen", "\"2033-01-31\"" } },
	    "X-2", PASS, NULL },

	/* IMP-1 the importer in the Union; the manufacturer outside it */
	{ IM, { { "importer.postal_address.country", "\"CH\"" } }, "IMP-1", E,
	    "importer.postal_address.country" },
	{ IM, { { "importer.established_in_union", "false" } }, "IMP-1", E,
	    "importer.established_in_union" },
	{ IM, { { "importer.established_in_union", DEL } }, "IMP-1", E,
	    "importer.established_in_union" },
	{ IM, { { 0 } }, "IMP-1", W, "manufacturer.postal_address.country" },
	{ IM, { { "manufacturer.postal_address.country", "\"CN\"" } },
	    "IMP-1", PASS, NULL },
	/* IMP-2 place_on_market needs every check pass */
	{ IM, { { "checks.ce_marking", FAILED } }, "IMP-2", E,
	    "checks.ce_marking.result" },
	{ IM, { { "checks.technical_documentation_drawn_up", NOT_APPL } },
	    "IMP-2", E, "checks.technical_documentation_drawn_up.result" },
	{ IM, { { "placed_on_market_at", DEL } }, "IMP-2", E,
	    "placed_on_market_at" },
	{ IM, { { "placed_on_market_at", "\"2027-12-10\"" },
	    { "checks.ce_marking", NOT_APPL } }, "IMP-2", W,
	    "checks.ce_marking.result" },
	{ IM, { { "placed_on_market_at", "\"2027-12-10\"" },
	    { "checks.doc_accompanies", FAILED } }, "IMP-2", W,
	    "checks.doc_accompanies.result" },
	{ IM, { { "placed_on_market_at", "\"2027-12-10\"" },
	    { "checks.conformity_assessment_done", FAILED } }, "IMP-2", E,
	    "checks.conformity_assessment_done.result" },
	{ IM, { { "placed_on_market_at", "\"2027-12-11\"" },
	    { "checks.ce_marking", NOT_APPL } }, "IMP-2", E,
	    "checks.ce_marking.result" },
	{ IM, { { "decision", "\"withhold\"" },
	    { "checks.ce_marking", FAILED }, { "risk_notices", NOTICE } },
	    "IMP-2", PASS, NULL },
	/* IMP-3 a pass has evidence, anything else a note */
	{ IM, { { "checks.ce_marking.evidence", DEL } }, "IMP-3", E,
	    "checks.ce_marking.evidence" },
	{ IM, { { "checks.ce_marking.evidence", "[]" } }, "IMP-3", E,
	    "checks.ce_marking.evidence" },
	{ IM, { { "checks.ce_marking.result", "\"fail\"" } }, "IMP-3", E,
	    "checks.ce_marking.note" },
	{ DW, { { "checks.doc_13_20.evidence", DEL } }, "IMP-3", E,
	    "checks.doc_13_20.evidence" },
	{ DW, { { "checks.importer_contact_19_4.result",
	    "\"not_applicable\"" } }, "IMP-3", E,
	    "checks.importer_contact_19_4.note" },
	{ IM, { { "checks.ce_marking", FAILED },
	    { "decision", "\"withhold\"" }, { "risk_notices", NOTICE } },
	    "IMP-3", PASS, NULL },
	{ DW, { { "checks.importer_contact_19_4", NOT_APPL } }, "IMP-3",
	    PASS, NULL },
	/* IMP-5 the importer's identification and marking */
	{ IM, { { "importer_marking", DEL } }, "IMP-5", E,
	    "importer_marking" },
	{ IM, { { "importer_marking.placement", "\"doc\"" } }, "IMP-5", E,
	    "importer_marking.placement" },
	{ IM, { { "importer.email", DEL } }, "IMP-5", E, "importer.email" },
	{ IM, { { "importer.legal_name", DEL } }, "IMP-5", E,
	    "importer.legal_name" },
	{ IM, { { "importer.postal_address.city", DEL } }, "IMP-5", E,
	    "importer.postal_address.city" },
	{ IM, { { "importer", DEL } }, "IMP-5", E, "importer" },
	{ IM, { { "signatory.on_behalf_of", "\"Example Devices GmbH\"" } },
	    "IMP-5", E, "signatory.on_behalf_of" },
	{ IM, { { "importer.email", DEL }, { "importer.digital_contact",
	    "\"https://import.example.com/contact\"" },
	    { "importer_marking.placement", "\"packaging\"" } }, "IMP-5",
	    PASS, NULL },
	/* IMP-6 the DoC kept 10 years after placing (else after supply) */
	{ IM, { { "doc_retention_until", "\"2038-01-31\"" } }, "IMP-6", E,
	    "doc_retention_until" },
	{ IM, { { "doc_retention_until", DEL } }, "IMP-6", E,
	    "doc_retention_until" },
	{ IM, { { "placed_on_market_at", DEL }, { "decision", "\"withhold\"" },
	    { "risk_notices", NOTICE }, { "doc_retention_until",
	    "\"2038-01-24\"" } }, "IMP-6", E, "doc_retention_until" },
	{ IM, { { "placed_on_market_at", DEL }, { "decision", "\"withhold\"" },
	    { "risk_notices", NOTICE }, { "doc_retention_until",
	    "\"2038-01-25\"" } }, "IMP-6", PASS, NULL },
	{ IM, { { 0 } }, "IMP-6", PASS, NULL },
	/* IMP-7 own name or substantial modification (Art. 21) */
	{ IM, { { "own_name_or_substantial_modification", "true" } }, "IMP-7",
	    E, "own_name_or_substantial_modification" },
	{ IM, { { 0 } }, "IMP-7", PASS, NULL },
	/* IMP-8 a failed check or withhold, and no risk notice */
	{ IM, { { "checks.ce_marking", FAILED },
	    { "decision", "\"withhold\"" } }, "IMP-8", W, "risk_notices" },
	{ IM, { { "decision", "\"withhold\"" } }, "IMP-8", W,
	    "risk_notices" },
	{ IM, { { "decision", "\"withhold\"" }, { "risk_notices", "[]" } },
	    "IMP-8", W, "risk_notices" },
	{ IM, { { "decision", "\"withhold\"" }, { "risk_notices", NOTICE } },
	    "IMP-8", PASS, NULL },

	/* DIS-1 make_available needs every applicable check pass */
	{ DW, { { "checks.ce_marking", FAILED } }, "DIS-1", E,
	    "checks.ce_marking.result" },
	{ DW, { { "checks.documents_received", NOT_APPL } }, "DIS-1", E,
	    "checks.documents_received.result" },
	{ DW, { { "manufacturer.postal_address.country", "\"CN\"" },
	    { "checks.importer_contact_19_4", NOT_APPL } }, "DIS-1", E,
	    "checks.importer_contact_19_4.result" },
	{ DW, { { "custody.event_date", "\"2027-12-01\"" },
	    { "custody.retain_until", "\"2037-12-01\"" },
	    { "checks.ce_marking", FAILED } }, "DIS-1", W,
	    "checks.ce_marking.result" },
	{ DR, { { "custody.event_date", "\"2027-12-10\"" },
	    { "custody.retain_until", "\"2037-12-10\"" },
	    { "checks.doc_13_20", NOT_APPL } }, "DIS-1", W,
	    "checks.doc_13_20.result" },
	{ DR, { { "custody.event_date", "\"2027-12-10\"" },
	    { "custody.retain_until", "\"2037-12-10\"" },
	    { "checks.user_information_13_18", FAILED } }, "DIS-1", E,
	    "checks.user_information_13_18.result" },
	{ DW, { { "checks.importer_contact_19_4", NOT_APPL } }, "DIS-1", PASS,
	    NULL },
	{ DW, { { "checks.importer_contact_19_4", DEL },
	    { "upstream.import", DEL } }, "DIS-1", PASS, NULL },
	{ DW, { { "decision", "\"withhold\"" },
	    { "checks.ce_marking", FAILED } }, "DIS-1", PASS, NULL },
	/* DIS-2 a manufacturer outside the Union needs the importer */
	{ DW, { { "manufacturer.postal_address.country", "\"CN\"" },
	    { "checks.importer_contact_19_4", DEL } }, "DIS-2", E,
	    "checks.importer_contact_19_4" },
	{ DR, { { "manufacturer.postal_address.country", "\"US\"" },
	    { "upstream.import", DEL } }, "DIS-2", E, "upstream.import" },
	{ DW, { { "manufacturer.postal_address.country", "\"CN\"" } },
	    "DIS-2", PASS, NULL },
	{ DW, { { "checks.importer_contact_19_4", DEL },
	    { "upstream.import", DEL } }, "DIS-2", PASS, NULL },
	/* DIS-4 own name or substantial modification (Art. 21) */
	{ DR, { { "own_name_or_substantial_modification", "true" } }, "DIS-4",
	    E, "own_name_or_substantial_modification" },
	{ DR, { { 0 } }, "DIS-4", PASS, NULL },
	/* DIS-5 the supplier's name and address */
	{ DW, { { "supplier", DEL } }, "DIS-5", E, "supplier" },
	{ DW, { { "supplier.name", DEL } }, "DIS-5", E, "supplier.name" },
	{ DR, { { "supplier.postal_address.country", DEL } }, "DIS-5", E,
	    "supplier.postal_address.country" },
	{ DR, { { "supplier.name", "\" \"" } }, "DIS-5", E, "supplier.name" },
	{ DW, { { "signatory.on_behalf_of", "\"Example Import SARL\"" } },
	    "DIS-5", E, "signatory.on_behalf_of" },
	{ DR, { { 0 } }, "DIS-5", PASS, NULL },

	/* CUS-1 custody: who supplied, to whom, kept 10 years */
	{ IM, { { "custody.retain_until", "\"2038-01-24\"" } }, "CUS-1", E,
	    "custody.retain_until" },
	{ IM, { { "custody.retain_until", DEL } }, "CUS-1", E,
	    "custody.retain_until" },
	{ DW, { { "custody.supplied_by", DEL } }, "CUS-1", E,
	    "custody.supplied_by" },
	{ DR, { { "custody.supplied_by.postal_address.lines", DEL } }, "CUS-1",
	    E, "custody.supplied_by.postal_address.lines" },
	{ DR, { { "custody", DEL } }, "CUS-1", E, "custody" },
	{ DW, { { "custody.supplied_to.postal_address", DEL } }, "CUS-1", W,
	    "custody.supplied_to.postal_address" },
	{ DW, { { 0 } }, "CUS-1", PASS, NULL },
	/* 23(1)(b) "where available": null says not recorded, a warning */
	{ DW, { { "custody.supplied_to", "null" } }, "CUS-1", W,
	    "custody.supplied_to" },
	{ IM, { { "custody.supplied_to", "null" } }, "CUS-1", W,
	    "custody.supplied_to" },
	{ DW, { { "custody.supplied_to", DEL } }, "CUS-1", PASS, NULL },
	/* the supplier stays required (23(1)(a)) */
	{ DW, { { "custody.supplied_by", "null" } }, "S-2", E,
	    "custody.supplied_by" },
	/* 29 February + 10 years is 28 February (specs/cra.md §7.2) */
	{ DR, { { "custody.event_date", "\"2028-02-29\"" },
	    { "custody.retain_until", "\"2038-02-28\"" } }, "CUS-1", PASS,
	    NULL },
};

static void
run_case(const struct tcase *c, size_t n)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_cra_kind_t kind;
	json_t *pred = load_pred(c->file, &kind);
	attest_err_t r;
	size_t i;

	for (i = 0; i < NMUT && c->m[i].p != NULL; i++)
		mutate(pred, c->m[i].p, c->m[i].v);
	r = check_json(kind, pred, &ctx, &f);
	expect_case(n, c->file, c->rule, c->sev, c->field, f, r);
	attest_cra_findings_free(&f);
	json_decref(pred);
}

static void
test_chain_rules(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i], i);
}

/* Every rule of specs/chain.md §2.3 has a failing and a passing case. */
static void
test_chain_rules_covered(void **state)
{
	static const char *const ids[] = { "S-1", "S-2", "S-3", "S-4", "S-5",
	    "X-2", "IMP-1", "IMP-2", "IMP-3", "IMP-5", "IMP-6", "IMP-7",
	    "IMP-8", "DIS-1", "DIS-2", "DIS-4", "DIS-5", "CUS-1" };
	size_t i, j;
	int bad, good;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		bad = good = 0;
		for (j = 0; j < sizeof(cases) / sizeof(cases[0]); j++) {
			if (strcmp(cases[j].rule, ids[i]) != 0)
				continue;
			if (cases[j].sev == PASS)
				good = 1;
			else
				bad = 1;
		}
		if (!bad || !good)
			fail_msg("%s: no %s case", ids[i], bad ? "passing" :
			    "failing");
	}
}

/* Examples ----------------------------------------------------------------- */

/*
 * The three examples pass: no error; the importer record's one finding
 * is IMP-1's warning (its manufacturer is in the Union).  The context's
 * DoC Statement and SBOM are not used for these kinds.
 */
static void
test_chain_examples_valid(void **state)
{
	static const char *const files[] = { IM, DW, DR };
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_cra_kind_t kind;
	json_t *pred;
	size_t i, pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			ctx.doc_statement = (const unsigned char *)"not json";
			ctx.doc_statement_len = 8;
			ctx.sbom = (const unsigned char *)"{}";
			ctx.sbom_len = 2;
		}
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			pred = load_pred(files[i], &kind);
			assert_int_equal(kind, i == 0 ? ATTEST_CRA_IMPORT :
			    ATTEST_CRA_DISTRIBUTION);
			if (check_json(kind, pred, &ctx, &f) != ATTEST_OK ||
			    attest_cra_findings_count(f) != (i == 0 ? 1 : 0) ||
			    (i == 0 && !has_finding(f, "IMP-1", W,
			    "manufacturer.postal_address.country"))) {
				print_message("%s:\n", files[i]);
				print_findings(f);
				fail();
			}
			attest_cra_findings_free(&f);
			json_decref(pred);
		}
	}
}

/* The upstream placeholders: 0 doc, a release, b import, c previous. */
static void
test_chain_examples_placeholders(void **state)
{
	static const struct {
		const char	*file;
		const char	*path;
		const char	*want;
	} p[] = {
		{ IM, "doc", HEX64("0") }, { IM, "release", HEX64("a") },
		{ DW, "doc", HEX64("0") }, { DW, "release", HEX64("a") },
		{ DW, "import", HEX64("b") }, { DR, "doc", HEX64("0") },
		{ DR, "release", HEX64("a") }, { DR, "import", HEX64("b") },
		{ DR, "previous_distribution", HEX64("c") },
	};
	attest_cra_kind_t kind;
	json_t *pred, *up;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		pred = load_pred(p[i].file, &kind);
		up = json_object_get(json_object_get(pred, "upstream"),
		    p[i].path);
		assert_string_equal(json_string_value(json_object_get(
		    json_object_get(up, "digests"), "sha256")), p[i].want);
		json_decref(pred);
	}
	pred = load_pred(DW, &kind);
	assert_null(json_object_get(json_object_get(pred, "upstream"),
	    "previous_distribution"));
	json_decref(pred);
}

/* Every optional member set, and a round trip ------------------------------ */

#define EVIDENCE_ALL	"[{\"uri\": \"https://example.com/e\", " \
			"\"digests\": {\"sha256\": " H64("d") ", \"sha512\": " \
			H128("d") "}, \"description\": \"all members\"}]"
#define DREF_ALL(c)	"{\"uri\": \"https://example.com/r\", \"digests\": " \
			"{\"sha256\": " H64(c) ", \"sha512\": " H128(c) "}, " \
			"\"media_type\": \"application/vnd.in-toto+json\", " \
			"\"lang\": \"en\"}"
#define ADDRESS_ALL	"{\"lines\": [\"Voorbeeldstraat 2\", \"Unit 3\"], " \
			"\"postcode\": \"1011 AB\", \"city\": \"Amsterdam\", " \
			"\"country\": \"NL\"}"

/* Shared by both records. */
static const struct mut every_common[] = {
	{ "manufacturer.trade_name", "\"Example Devices\"" },
	{ "manufacturer.digital_contact", "\"https://www.example.com/c\"" },
	{ "manufacturer.established_in_union", "true" },
	{ "product.model", "\"EXN-2 Pro\"" },
	{ "product.identification.serials", "[\"S-1\", \"S-2\"]" },
	{ "product.identification.serial_ranges",
	    "[{\"from\": \"S-10\", \"to\": \"S-20\"}]" },
	{ "product.photo", DREF_ALL("e") },
	{ "product.class", "\"important_class_i\"" },
	{ "product.annex_category", "\"III-I-12\"" },
	{ "product.is_foss", "false" },
	{ "upstream.doc", DREF_ALL("0") },
	{ "upstream.release", DREF_ALL("a") },
	{ "checks.ce_marking.evidence", EVIDENCE_ALL },
	{ "checks.ce_marking.note", "\"a note on a pass\"" },
	{ "risk_notices", "[{\"kind\": \"vulnerability\", \"to\": "
	    "\"manufacturer\", \"member_state\": \"DE\", \"at\": "
	    "\"2028-02-01\"}, {\"kind\": \"cessation\", \"to\": \"users\", "
	    "\"at\": \"2028-02-02\"}]" },
	{ "custody.supplied_to", "{\"name\": \"Example Wholesale BV\", "
	    "\"postal_address\": " ADDRESS_ALL "}" },
	{ "custody.units.serials", "[\"S-1\", \"S-2\"]" },
};

static const struct mut every_import[] = {
	{ "importer.digital_contact", "\"https://import.example.com/c\"" },
	{ "upstream.sdoc", DREF_ALL("f") },
};

static const struct mut every_distribution[] = {
	{ "distributor.digital_contact", "\"https://w.example.com/c\"" },
	{ "distributor.established_in_union", "true" },
	{ "upstream.import", DREF_ALL("b") },
	{ "upstream.previous_distribution", DREF_ALL("c") },
	{ "checks.user_information_13_18.languages", "[\"nl\", \"en\"]" },
};

/*
 * A record with every optional member passes; dumped and parsed again it
 * is the same record with the same findings.
 */
static void
test_chain_every_field_roundtrip(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f1 = NULL, *f2 = NULL;
	attest_cra_kind_t kind;
	json_t *pred, *again;
	const struct mut *extra;
	size_t i, nextra, want, k;
	char *text;

	(void)state;
	for (k = 0; k < 2; k++) {
		pred = load_pred(k == 0 ? IM : DR, &kind);
		extra = k == 0 ? every_import : every_distribution;
		nextra = k == 0 ? sizeof(every_import) /
		    sizeof(every_import[0]) : sizeof(every_distribution) /
		    sizeof(every_distribution[0]);
		for (i = 0; i < sizeof(every_common) /
		    sizeof(every_common[0]); i++)
			mutate(pred, every_common[i].p, every_common[i].v);
		for (i = 0; i < nextra; i++)
			mutate(pred, extra[i].p, extra[i].v);
		assert_non_null(text = json_dumps(pred, JSON_INDENT(2)));
		assert_non_null(again = json_loads(text,
		    JSON_REJECT_DUPLICATES, NULL));
		free(text);
		assert_true(json_equal(pred, again));
		want = k == 0 ? 1 : 0;	/* IMP-1's warning */
		if (check_json(kind, pred, &ctx, &f1) != ATTEST_OK ||
		    attest_cra_findings_count(f1) != want) {
			print_findings(f1);
			fail();
		}
		assert_int_equal(check_json(kind, again, &ctx, &f2),
		    ATTEST_OK);
		same_findings(f1, f2);
		attest_cra_findings_free(&f1);
		attest_cra_findings_free(&f2);
		json_decref(pred);
		json_decref(again);
	}
}

/* Findings order: the schema walk, then the rules in table order. */
static void
test_chain_order(void **state)
{
	static const struct {
		const char	*rule;
		const char	*field;
		int		 sev;
	} want[] = {
		{ "IMP-5", "importer_marking", E },
		{ "S-4", "extra", E },
		{ "IMP-1", "importer.postal_address.country", E },
		{ "IMP-1", "manufacturer.postal_address.country", W },
		{ "IMP-3", "checks.ce_marking.evidence", E },
		{ "IMP-7", "own_name_or_substantial_modification", E },
		{ "CUS-1", "custody.retain_until", E },
	};
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_cra_kind_t kind;
	attest_diag_t *d;
	json_t *pred = load_pred(IM, &kind);
	char *text;
	size_t i;

	(void)state;
	mutate(pred, "extra", "1");
	mutate(pred, "importer_marking", DEL);
	mutate(pred, "importer.postal_address.country", "\"CH\"");
	mutate(pred, "checks.ce_marking.evidence", DEL);
	mutate(pred, "own_name_or_substantial_modification", "true");
	mutate(pred, "custody.retain_until", "\"2030-01-01\"");
	assert_non_null(d = attest_diag_new());
	assert_non_null(text = json_dumps(pred, JSON_COMPACT));
	assert_int_equal(attest_cra_check(ATTEST_CRA_IMPORT,
	    (const unsigned char *)text, strlen(text), &ctx, &f, d),
	    ATTEST_ERR_POLICY);
	if (attest_cra_findings_count(f) != sizeof(want) / sizeof(want[0]))
		print_findings(f);
	assert_int_equal(attest_cra_findings_count(f),
	    sizeof(want) / sizeof(want[0]));
	assert_int_equal(attest_cra_findings_errors(f), 6);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(attest_cra_finding_rule(f, i),
		    want[i].rule);
		assert_string_equal(attest_cra_finding_field(f, i),
		    want[i].field);
		assert_int_equal(attest_cra_finding_severity(f, i),
		    want[i].sev);
		assert_non_null(attest_cra_finding_basis(f, i));
	}
	/* the basis names the article; diag names the first error */
	assert_non_null(strstr(attest_cra_finding_basis(f, 0), "19(4)"));
	assert_non_null(strstr(attest_cra_finding_basis(f, 6), "Art. 23"));
	tu_assert_field(d, "importer_marking");
	attest_cra_findings_free(&f);
	attest_diag_free(&d);
	free(text);
	json_decref(pred);
}

/* An empty object: every required member, owned ones under their rule. */
static void
test_chain_empty(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;

	(void)state;
	assert_int_equal(attest_cra_check(ATTEST_CRA_IMPORT,
	    (const unsigned char *)"{}", 2, &ctx, &f, NULL),
	    ATTEST_ERR_POLICY);
	assert_int_equal(attest_cra_findings_errors(f), 11);
	assert_int_equal(attest_cra_findings_count(f), 11);
	assert_true(has_finding(f, "IMP-5", E, "importer"));
	assert_true(has_finding(f, "IMP-5", E, "importer_marking"));
	assert_true(has_finding(f, "IMP-6", E, "doc_retention_until"));
	assert_true(has_finding(f, "CUS-1", E, "custody"));
	assert_true(has_finding(f, "S-1", E, "checks"));
	attest_cra_findings_free(&f);
	assert_int_equal(attest_cra_check(ATTEST_CRA_DISTRIBUTION,
	    (const unsigned char *)"{}", 2, &ctx, &f, NULL),
	    ATTEST_ERR_POLICY);
	assert_int_equal(attest_cra_findings_errors(f), 10);
	assert_true(has_finding(f, "DIS-5", E, "supplier"));
	assert_true(has_finding(f, "CUS-1", E, "custody"));
	assert_true(has_finding(f, "S-1", E, "distributor"));
	attest_cra_findings_free(&f);
}

/* API ---------------------------------------------------------------------- */

static void
test_chain_kinds(void **state)
{
	(void)state;
	assert_int_equal(ATTEST_CRA_IMPORT, 4);
	assert_int_equal(ATTEST_CRA_DISTRIBUTION, 5);
	assert_string_equal(ATTEST_CRA_IMPORT_TYPE,
	    "https://libattest.dev/cra/import/v1");
	assert_string_equal(ATTEST_CRA_DISTRIBUTION_TYPE,
	    "https://libattest.dev/cra/distribution/v1");
	assert_int_equal(attest_cra_kind_from_type(ATTEST_CRA_IMPORT_TYPE),
	    ATTEST_CRA_IMPORT);
	assert_int_equal(attest_cra_kind_from_type(
	    ATTEST_CRA_DISTRIBUTION_TYPE), ATTEST_CRA_DISTRIBUTION);
	assert_string_equal(attest_cra_predicate_type(ATTEST_CRA_IMPORT),
	    ATTEST_CRA_IMPORT_TYPE);
	assert_string_equal(attest_cra_predicate_type(
	    ATTEST_CRA_DISTRIBUTION), ATTEST_CRA_DISTRIBUTION_TYPE);
	assert_string_equal(attest_cra_kind_name(ATTEST_CRA_IMPORT),
	    "import");
	assert_string_equal(attest_cra_kind_name(ATTEST_CRA_DISTRIBUTION),
	    "distribution");
	assert_int_equal(attest_cra_kind_from_type(
	    "https://libattest.dev/cra/import/v2"), ATTEST_CRA_NONE);
	assert_int_equal(attest_cra_kind_from_type(
	    "https://libattest.dev/cra/custody/v1"), ATTEST_CRA_NONE);
	assert_null(attest_cra_predicate_type((attest_cra_kind_t)6));
	assert_null(attest_cra_kind_name((attest_cra_kind_t)6));
}

/* Not JSON, not an object: refused as for the other kinds. */
static void
test_chain_not_json(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = (attest_cra_findings_t *)1;

	(void)state;
	assert_int_equal(attest_cra_check(ATTEST_CRA_IMPORT,
	    (const unsigned char *)"[1]", 3, &ctx, &f, NULL),
	    ATTEST_ERR_PARSE);
	assert_null(f);
	assert_int_equal(attest_cra_check(ATTEST_CRA_DISTRIBUTION,
	    (const unsigned char *)"{", 1, &ctx, &f, NULL), ATTEST_ERR_PARSE);
	assert_null(f);
	assert_int_equal(attest_cra_check((attest_cra_kind_t)6,
	    (const unsigned char *)"{}", 2, &ctx, &f, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(f);
}

/* The renderer refuses these records cleanly. */
static void
test_chain_render_unsupported(void **state)
{
	static const char *const files[] = { IM, DR };
	attest_cra_sigfacts_t sf = { .keyid = "k", .algorithm = "ed25519",
	    .envelope_sha256 = HEX64("0"), .envelope_name = "e.json",
	    .pubkey_name = "k.pub" };
	attest_cra_kind_t kind;
	unsigned char *out = (unsigned char *)1;
	size_t len = 1, i;
	attest_diag_t *d;
	json_t *pred, *st;
	char *text;

	(void)state;
	for (i = 0; i < 2; i++) {
		pred = load_pred(files[i], &kind);
		assert_non_null(st = json_pack("{s:s, s:[{s:s, s:{s:s}}], "
		    "s:s, s:o}", "_type", STMT_V1, "subject", "name",
		    "example-notes-2.0.0.tar.gz", "digest", "sha256",
		    HEX64("c"), "predicateType",
		    attest_cra_predicate_type(kind), "predicate", pred));
		assert_non_null(text = json_dumps(st, JSON_COMPACT));
		assert_non_null(d = attest_diag_new());
		assert_int_equal(attest_cra_render((const unsigned char *)text,
		    strlen(text), &sf, ATTEST_CRA_HTML, &out, &len, d),
		    ATTEST_ERR_UNSUPPORTED);
		assert_null(out);
		assert_int_equal(len, 0);
		assert_non_null(attest_diag_get_message(d));
		assert_int_equal(attest_cra_render((const unsigned char *)text,
		    strlen(text), &sf, ATTEST_CRA_TEXT, &out, &len, NULL),
		    ATTEST_ERR_UNSUPPORTED);
		assert_null(out);
		attest_diag_free(&d);
		free(text);
		json_decref(st);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_kinds),
		cmocka_unit_test(test_chain_examples_valid),
		cmocka_unit_test(test_chain_examples_placeholders),
		cmocka_unit_test(test_chain_rules_covered),
		cmocka_unit_test(test_chain_rules),
		cmocka_unit_test(test_chain_every_field_roundtrip),
		cmocka_unit_test(test_chain_order),
		cmocka_unit_test(test_chain_empty),
		cmocka_unit_test(test_chain_not_json),
		cmocka_unit_test(test_chain_render_unsupported),
	};

	return cmocka_run_group_tests(tests, tu_setup, NULL);
}
