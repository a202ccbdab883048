/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: CRA record validation (attest/cra.h, specs/cra.md §7.1).
 *
 * Every rule id has at least one failing and one passing case: start
 * from a valid example in keys-example/cra/, apply a few JSON
 * mutations (set or delete a member by path), check the finding's rule,
 * severity and field.  Run from the repository root (the Makefile does):
 * the examples and tests/cra/ are opened by relative path.
 */
#include "cra_testutil.h"

#define FX		"tests/cra/"

/*
 * A DoC Statement (the DSSE payload an sdoc or a release refers to),
 * built from doc-module-a.json with mutations; its SHA-256 in hex.
 */
static char *
doc_statement(const struct mut *dm,
    size_t ndm, char hex[65])
{
	attest_cra_kind_t k;
	json_t *pred = load_pred(EX "doc-module-a.json", &k), *st;
	unsigned char md[32];
	char *text;
	size_t i;

	for (i = 0; i < ndm && dm[i].p != NULL; i++)
		mutate(pred, dm[i].p, dm[i].v);
	assert_non_null(st = json_pack("{s:s, s:[{s:s, s:{s:s}}], s:s, s:o}",
	    "_type", STMT_V1, "subject", "name", "example-notes-2.0.0.tar.gz",
	    "digest", "sha256", "cccccccccccccccccccccccccccccccc"
	    "cccccccccccccccccccccccccccccccc", "predicateType",
	    ATTEST_CRA_DOC_TYPE, "predicate", pred));
	assert_non_null(text = json_dumps(st, JSON_COMPACT));
	json_decref(st);
	crypto_hash_sha256(md, (const unsigned char *)text, strlen(text));
	tu_tohex(hex, md, sizeof(md));
	return text;
}

/* a second harmonised standard, with its OJ reference, in full or part */
#define STD2(cov, more)	"{\"kind\": \"harmonised_standard\", \"reference\": " \
	"\"EN 00000-9\", \"oj_reference\": \"OJ L, 2027/0009\", " \
	"\"coverage\": \"" cov "\"" more "}"
#define STD2_FULL	STD2("full", "")
#define STD2_PARTIAL	STD2("partial", ", \"parts_applied\": [\"5\"]")

/* The rule table -------------------------------------------------------- */

struct tcase {
	const char	*file;
	struct mut	 m[5];
	const char	*rule;
	int		 sev;	/* E, W, or PASS: no finding of the rule */
	const char	*field;
	int		 doc;	/* bind a DoC Statement (ctx->doc_statement) */
	struct mut	 dm[2];	/* mutations of that DoC */
};

#define DA	EX "doc-module-a.json"
#define DH	EX "doc-module-h.json"
#define DX	EX "doc-every-field.json"
#define SD	EX "sdoc.json"
#define RL	EX "release.json"

static const struct tcase cases[] = {
	/* S-1 missing (or empty) required member */
	{ DA, { { "doc_id", DEL } }, "S-1", E, "doc_id", 0, { { 0 } } },
	{ DA, { { "procedure_description", "\"  \"" } }, "S-1", E,
	    "procedure_description", 0, { { 0 } } },
	{ DA, { { "product.versions", DEL } }, "S-1", E, "product.versions",
	    0, { { 0 } } },
	{ DA, { { "standards[0].oj_reference", DEL } }, "S-1", E,
	    "standards[0].oj_reference", 0, { { 0 } } },
	{ DH, { { "standards[0].parts_applied", "[]" } }, "S-1", E,
	    "standards[0].parts_applied", 0, { { 0 } } },
	{ DX, { { "authorised_representative.established_in_union", DEL } },
	    "S-1", E, "authorised_representative.established_in_union", 0,
	    { { 0 } } },
	{ DA, { { "manufacturer.email", DEL } }, "S-1", E,
	    "manufacturer.email", 0, { { 0 } } },
	{ RL, { { "risk_assessment.digests", "{}" } }, "S-1", E,
	    "risk_assessment.digests", 0, { { 0 } } },
	{ RL, { { "release_date", DEL } }, "S-1", E, "release_date", 0,
	    { { 0 } } },
	{ RL, { { "substantial_modification", "{\"is\": true}" } }, "S-1", E,
	    "substantial_modification.of", 0, { { 0 } } },
	{ SD, { { "language", DEL } }, "S-1", E, "language", 0, { { 0 } } },
	{ DA, { { "product.versions", DEL }, { "product.software", "false" },
	    { "ce_marking.placement", "\"product\"" } }, "S-1", PASS, NULL, 0,
	    { { 0 } } },
	/* S-2 wrong type */
	{ DA, { { "doc_version", "\"1\"" } }, "S-2", E, "doc_version", 0,
	    { { 0 } } },
	{ DA, { { "product.software", "1" } }, "S-2", E, "product.software",
	    0, { { 0 } } },
	{ RL, { { "spoc.channels", "{}" } }, "S-2", E, "spoc.channels", 0,
	    { { 0 } } },
	{ SD, { { "full_doc", "\"x\"" } }, "S-2", E, "full_doc", 0,
	    { { 0 } } },
	{ DA, { { "doc_version", "3" }, { "supersedes", "{\"doc_id\": "
	    "\"EXD-DOC-NOTES-2\", \"doc_version\": 2, \"digests\": "
	    "{\"sha256\": " H64("a") "}}" } }, "S-2", PASS, NULL, 0,
	    { { 0 } } },
	/* S-3 bad format */
	{ DA, { { "manufacturer.postal_address.country", "\"XX\"" } }, "S-3",
	    E, "manufacturer.postal_address.country", 0, { { 0 } } },
	{ DA, { { "manufacturer.postal_address.country", "\"de\"" } }, "S-3",
	    E, "manufacturer.postal_address.country", 0, { { 0 } } },
	{ DA, { { "languages[0]", "\"english\"" } }, "S-3", E, "languages[0]",
	    0, { { 0 } } },
	{ DA, { { "languages[0]", "\"en-\"" } }, "S-3", E, "languages[0]", 0,
	    { { 0 } } },
	{ DA, { { "languages[0]", "\"en-a\"" } }, "S-3", E, "languages[0]", 0,
	    { { 0 } } },
	{ DA, { { "manufacturer.email", "\"compliance.example.com\"" } },
	    "S-3", E, "manufacturer.email", 0, { { 0 } } },
	{ DA, { { "manufacturer.email", "\"a@example\"" } }, "S-3", E,
	    "manufacturer.email", 0, { { 0 } } },
	/* no ISO 8601 calendar date (issue 14 §7) */
	{ DA, { { "signatory.date_of_issue", "\"2027-02-29\"" } }, "X-2", E,
	    "signatory.date_of_issue", 0, { { 0 } } },
	{ DA, { { "signatory.date_of_issue", "\"2028-1-10\"" } }, "X-2", E,
	    "signatory.date_of_issue", 0, { { 0 } } },
	{ DA, { { "signatory.date_of_issue", "\"10.01.2028\"" } }, "X-2", E,
	    "signatory.date_of_issue", 0, { { 0 } } },
	{ RL, { { "support_period.end", "\"2033\"" } }, "REL-1", E,
	    "support_period.end", 0, { { 0 } } },
	{ DH, { { "notified_body.number", "\"999\"" },
	    { "ce_marking.nb_number_shown", "\"999\"" } }, "S-3", E,
	    "notified_body.number", 0, { { 0 } } },
	{ DA, { { "markets[0]", "\"CH\"" } }, "S-3", E, "markets[0]", 0,
	    { { 0 } } },
	{ DA, { { "full_text_uri", "\"http://www.example.com/doc\"" } },
	    "S-3", E, "full_text_uri", 0, { { 0 } } },
	{ DA, { { "full_text_uri", "\"https:///doc\"" } }, "S-3", E,
	    "full_text_uri", 0, { { 0 } } },
	{ DA, { { "union_acts[0].eli", "\"not a uri\"" } }, "S-3", E,
	    "union_acts[0].eli", 0, { { 0 } } },
	{ DX, { { "supersedes.digests.sha256", H64("A") } }, "S-3", E,
	    "supersedes.digests.sha256", 0, { { 0 } } },
	{ DX, { { "product.photo.digests.sha512", H64("a") } }, "S-3", E,
	    "product.photo.digests.sha512", 0, { { 0 } } },
	{ DA, { { "doc_version", "0" } }, "S-3", E, "doc_version", 0,
	    { { 0 } } },
	{ RL, { { "spoc.channels[0].value", "\"security\"" } }, "S-3", E,
	    "spoc.channels[0].value", 0, { { 0 } } },
	{ SD, { { "language", "\"e\"" } }, "S-3", E, "language", 0,
	    { { 0 } } },
	{ DA, { { "signatory.date_of_issue", "\"2028-02-29\"" },
	    { "languages[0]", "\"zh-Hant-TW-x-private\"" },
	    { "languages[1]", "\"de-CH-1996\"" },
	    { "union_acts[0].eli", "\"urn:example:a%2Fb\"" } }, "S-3", PASS,
	    NULL, 0, { { 0 } } },
	/* S-4 unknown member */
	{ DA, { { "colour", "\"red\"" } }, "S-4", E, "colour", 0, { { 0 } } },
	{ RL, { { "sbom.colour", "\"red\"" } }, "S-4", E, "sbom.colour", 0,
	    { { 0 } } },
	{ DX, { { 0 } }, "S-4", PASS, NULL, 0, { { 0 } } },
	/* S-5 bad enum value */
	{ DA, { { "procedure", "\"module_x\"" } }, "S-5", E, "procedure", 0,
	    { { 0 } } },
	{ DA, { { "manufacturer.role", "\"importer\"" } }, "S-5", E,
	    "manufacturer.role", 0, { { 0 } } },
	{ DX, { { "authorised_representative.established_in_union",
	    "false" } }, "S-5", E,
	    "authorised_representative.established_in_union", 0, { { 0 } } },
	{ RL, { { "due_diligence", "[{\"component\": \"pkg:npm/x@1\", "
	    "\"actions\": [\"prayer\"]}]" } }, "S-5", E,
	    "due_diligence[0].actions[0]", 0, { { 0 } } },
	{ RL, { { "due_diligence", "[{\"component\": \"pkg:npm/x@1\", "
	    "\"actions\": [\"sca\", \"vuln_db\"]}]" } }, "S-5", PASS, NULL, 0,
	    { { 0 } } },
	/* X-2 month-only only for support_period.end */
	{ DA, { { "signatory.date_of_issue", "\"2028-01\"" } }, "X-2", E,
	    "signatory.date_of_issue", 0, { { 0 } } },
	{ RL, { { "retention_until", "\"2038-01\"" } }, "X-2", E,
	    "retention_until", 0, { { 0 } } },
	{ RL, { { "support_period.end", "\"2033-01\"" } }, "X-2", PASS,
	    NULL, 0, { { 0 } } },
	/* DOC-1 Annex V items */
	{ DA, { { "product.name", DEL } }, "DOC-1", E, "product.name", 0,
	    { { 0 } } },
	{ DA, { { "sole_responsibility_statement", "\"\"" } }, "DOC-1", E,
	    "sole_responsibility_statement", 0, { { 0 } } },
	{ DA, { { "product.identification", "{}" } }, "DOC-1", E,
	    "product.identification", 0, { { 0 } } },
	{ DA, { { "signatory.place_of_issue", DEL } }, "DOC-1", E,
	    "signatory.place_of_issue", 0, { { 0 } } },
	{ DA, { { "signatory.on_behalf_of", "\"Someone Else Ltd\"" } },
	    "DOC-1", E, "signatory.on_behalf_of", 0, { { 0 } } },
	{ DA, { { "issued_by", "\"authorised_representative\"" } }, "DOC-1",
	    E, "authorised_representative", 0, { { 0 } } },
	{ DX, { { "issued_by", "\"authorised_representative\"" },
	    { "signatory.on_behalf_of", "\"Example Representation Ltd\"" } },
	    "DOC-1", PASS, NULL, 0, { { 0 } } },
	/* DOC-2 Union acts */
	{ DA, { { "union_acts[0].celex", "\"32019R0881\"" } }, "DOC-2", E,
	    "union_acts", 0, { { 0 } } },
	{ DA, { { "union_acts[0].oj_reference", DEL } }, "DOC-2", E,
	    "union_acts[0].oj_reference", 0, { { 0 } } },
	{ DA, { { "union_acts", "[]" } }, "DOC-2", E, "union_acts", 0,
	    { { 0 } } },
	{ DA, { { "union_acts[1]", "{\"title\": \"Directive 2014/53/EU\", "
	    "\"celex\": \"32014L0053\", \"oj_reference\": \"OJ L 153, "
	    "22.5.2014, p. 62\"}" } }, "DOC-2", PASS, NULL, 0, { { 0 } } },
	/* DOC-3 procedure allowed for the class */
	{ DA, { { "product.class", "\"important_class_ii\"" },
	    { "product.annex_category", "\"III-II-2\"" } }, "DOC-3", E,
	    "procedure", 0, { { 0 } } },
	{ DA, { { "product.class", "\"important_class_i\"" },
	    { "product.annex_category", "\"III-I-2\"" },
	    { "standards[0].coverage", "\"partial\"" },
	    { "standards[0].parts_applied", "[\"5\"]" } }, "DOC-3", E,
	    "procedure", 0, { { 0 } } },
	{ DA, { { "product.class", "\"important_class_i\"" },
	    { "product.annex_category", "\"III-I-2\"" } }, "DOC-3", PASS,
	    NULL, 0, { { 0 } } },
	/* class I under module_a: every standard relied on in full (32(2)) */
	{ DA, { { "product.class", "\"important_class_i\"" },
	    { "product.annex_category", "\"III-I-2\"" },
	    { "standards[1]", STD2_FULL } }, "DOC-3", PASS, NULL, 0,
	    { { 0 } } },
	{ DA, { { "product.class", "\"important_class_i\"" },
	    { "product.annex_category", "\"III-I-2\"" },
	    { "standards[1]", STD2_PARTIAL } }, "DOC-3", E,
	    "standards[1].coverage", 0, { { 0 } } },
	{ DA, { { "product.class", "\"important_class_i\"" },
	    { "product.annex_category", "\"III-I-2\"" },
	    { "standards[1]", "{\"kind\": \"harmonised_standard\", "
	    "\"reference\": \"EN 00000-9\", \"coverage\": \"full\"}" } },
	    "DOC-3", E, "standards[1].oj_reference", 0, { { 0 } } },
	{ DA, { { "standards[0].oj_reference", DEL } }, "DOC-3", W,
	    "standards[0].oj_reference", 0, { { 0 } } },
	{ DA, { { "product.class", "\"important_class_i\"" },
	    { "product.annex_category", "\"III-I-2\"" },
	    { "certifications", "[{\"scheme\": \"EUCC\", "
	    "\"certificate_id\": \"X-1\", \"assurance_level\": \"basic\", "
	    "\"issuer\": \"CB\"}]" } }, "DOC-3", E,
	    "certifications[0].assurance_level", 0, { { 0 } } },
	{ DA, { { "product.class", "\"critical\"" },
	    { "product.annex_category", "\"IV-3\"" } }, "DOC-3", E,
	    "procedure", 0, { { 0 } } },
	{ DH, { { "product.annex_category", DEL } }, "DOC-3", E,
	    "product.annex_category", 0, { { 0 } } },
	{ DH, { { "product.annex_category", "\"III-I-2\"" } }, "DOC-3", E,
	    "product.annex_category", 0, { { 0 } } },
	{ DA, { { "product.annex_category", "\"III-I-2\"" } }, "DOC-3", W,
	    "product.annex_category", 0, { { 0 } } },
	{ DH, { { "procedure", "\"module_a\"" }, { "notified_body", DEL },
	    { "ce_marking.nb_number_shown", DEL }, { "product.is_foss",
	    "true" }, { "foss_32_5", "{\"public_technical_documentation\": "
	    "{\"uri\": \"https://www.example.com/td/\", \"digests\": "
	    "{\"sha256\": " H64("d") "}}}" } }, "DOC-3", PASS, NULL, 0,
	    { { 0 } } },
	/* DOC-4 notified body for module_b_c / module_h */
	{ DH, { { "notified_body", DEL } }, "DOC-4", E, "notified_body", 0,
	    { { 0 } } },
	{ DH, { { "notified_body.certificate.kind",
	    "\"eu_type_examination_certificate\"" } }, "DOC-4", E,
	    "notified_body.certificate.kind", 0, { { 0 } } },
	{ DH, { { "notified_body.number", DEL } }, "DOC-4", E,
	    "notified_body.number", 0, { { 0 } } },
	{ DH, { { "procedure", "\"module_b_c\"" },
	    { "notified_body.certificate.kind",
	    "\"eu_type_examination_certificate\"" },
	    { "ce_marking.nb_number_shown", DEL } }, "DOC-4", PASS, NULL, 0,
	    { { 0 } } },
	{ RL, { { "procedure", "\"module_b_c\"" } }, "DOC-4", E,
	    "notified_body", 0, { { 0 } } },
	/* DOC-5 no notified body under module_a */
	{ DA, { { "notified_body", "{\"name\": \"X\", \"number\": \"9999\", "
	    "\"certificate\": {\"id\": \"c\", \"kind\": "
	    "\"quality_system_approval\", \"issued_at\": \"2027-01-01\"}}" } },
	    "DOC-5", E, "notified_body", 0, { { 0 } } },
	{ DH, { { 0 } }, "DOC-5", PASS, NULL, 0, { { 0 } } },
	/* DOC-6 NB number next to the CE marking */
	{ DH, { { "ce_marking.nb_number_shown", "\"1234\"" } }, "DOC-6", E,
	    "ce_marking.nb_number_shown", 0, { { 0 } } },
	{ DH, { { "ce_marking.nb_number_shown", DEL } }, "DOC-6", E,
	    "ce_marking.nb_number_shown", 0, { { 0 } } },
	{ DA, { { "ce_marking.nb_number_shown", "\"9999\"" } }, "DOC-6", W,
	    "ce_marking.nb_number_shown", 0, { { 0 } } },
	{ DH, { { 0 } }, "DOC-6", PASS, NULL, 0, { { 0 } } },
	/* DOC-7 EU cybersecurity certification */
	{ DA, { { "procedure", "\"eu_certification\"" } }, "DOC-7", E,
	    "certifications", 0, { { 0 } } },
	{ DH, { { "procedure", "\"eu_certification\"" },
	    { "notified_body", DEL }, { "ce_marking.nb_number_shown", DEL },
	    { "certifications", "[{\"scheme\": \"EUCC\", \"certificate_id\": "
	    "\"c1\", \"assurance_level\": \"basic\", \"issuer\": \"CB\"}]" } },
	    "DOC-7", E, "certifications", 0, { { 0 } } },
	{ DH, { { "procedure", "\"eu_certification\"" },
	    { "notified_body", DEL }, { "ce_marking.nb_number_shown", DEL },
	    { "certifications", "[{\"scheme\": \"EUCC\", \"certificate_id\": "
	    "\"c1\", \"assurance_level\": \"high\", \"issuer\": \"CB\"}]" } },
	    "DOC-7", PASS, NULL, 0, { { 0 } } },
	/* DOC-8 FOSS, Art. 32(5) */
	{ DX, { { "product.is_foss", "false" } }, "DOC-8", E,
	    "product.is_foss", 0, { { 0 } } },
	{ DX, { { "foss_32_5.public_technical_documentation.uri", DEL } },
	    "DOC-8", E, "foss_32_5.public_technical_documentation.uri", 0,
	    { { 0 } } },
	{ DX, { { 0 } }, "DOC-8", PASS, NULL, 0, { { 0 } } },
	/* DOC-9 languages of the markets (warning) */
	{ DA, { { "markets", "[\"DE\", \"FR\"]" } }, "DOC-9", W, "markets[1]",
	    0, { { 0 } } },
	{ DA, { { "markets", "[\"DE\", \"BE\", \"LU\"]" } }, "DOC-9", PASS,
	    NULL, 0, { { 0 } } },
	/* DOC-10 CE marking placement */
	{ DA, { { "ce_marking.placement", "\"website\"" } }, "DOC-10", E,
	    "ce_marking.website_uri", 0, { { 0 } } },
	{ DH, { { "ce_marking.placement", "\"website\"" },
	    { "ce_marking.website_uri", "\"https://www.example.com/ce\"" } },
	    "DOC-10", W, "ce_marking.placement", 0, { { 0 } } },
	{ DA, { { "ce_marking.placement", "\"packaging\"" } }, "DOC-10", W,
	    "ce_marking.placement", 0, { { 0 } } },
	{ DX, { { 0 } }, "DOC-10", PASS, NULL, 0, { { 0 } } },
	/* DOC-11 versions */
	{ DA, { { "doc_version", "2" } }, "DOC-11", E, "supersedes", 0,
	    { { 0 } } },
	{ DX, { { "supersedes.doc_id", "\"OTHER\"" } }, "DOC-11", E,
	    "supersedes.doc_id", 0, { { 0 } } },
	{ DX, { { "supersedes.doc_version", "2" } }, "DOC-11", E,
	    "supersedes.doc_version", 0, { { 0 } } },
	{ DX, { { "doc_version", "1" } }, "DOC-11", E, "supersedes", 0,
	    { { 0 } } },
	{ DX, { { 0 } }, "DOC-11", PASS, NULL, 0, { { 0 } } },
	/* DOC-12 no presumption of conformity (warning) */
	{ DA, { { "standards", DEL } }, "DOC-12", W, "standards", 0,
	    { { 0 } } },
	{ DA, { { "standards", "[]" } }, "DOC-12", W, "standards", 0,
	    { { 0 } } },
	{ DA, { { 0 } }, "DOC-12", PASS, NULL, 0, { { 0 } } },
	/* DOC-13 no DoC before the NB certificate */
	{ DH, { { "signatory.date_of_issue", "\"2027-11-19\"" } }, "DOC-13",
	    E, "signatory.date_of_issue", 0, { { 0 } } },
	{ DH, { { "notified_body.certificate.valid_until",
	    "\"2027-12-14\"" } }, "DOC-13", E,
	    "notified_body.certificate.valid_until", 0, { { 0 } } },
	{ DH, { { "signatory.date_of_issue", "\"2027-11-20\"" } }, "DOC-13",
	    PASS, NULL, 0, { { 0 } } },
	/* SDOC-1 */
	{ SD, { { "regulation", "\"Regulation (EU) 2019/881\"" } }, "SDOC-1",
	    E, "regulation", 0, { { 0 } } },
	{ SD, { { "full_doc_uri", "\"http://www.example.com/doc\"" } },
	    "SDOC-1", E, "full_doc_uri", 0, { { 0 } } },
	{ SD, { { "text", "\"Hereby, Example Devices GmbH declares.\"" } },
	    "SDOC-1", E, "text", 0, { { 0 } } },
	{ SD, { { "full_doc.digests", "{\"sha512\": " H128("a") "}" } },
	    "SDOC-1", E, "full_doc.digests.sha256", 0, { { 0 } } },
	{ SD, { { 0 } }, "SDOC-1", PASS, NULL, 1, { { 0 } } },
	{ SD, { { "full_doc.digests.sha256", H64("0") } }, "SDOC-1", E,
	    "full_doc.digests.sha256", 1, { { 0 } } },
	{ SD, { { "manufacturer_name", "\"Other Devices GmbH\"" } },
	    "SDOC-1", E, "manufacturer_name", 1, { { 0 } } },
	{ SD, { { 0 } }, "SDOC-1", E, "type_designation", 1,
	    { { "product.type_designation", "\"EXN-3\"" } } },
	{ SD, { { 0 } }, "SDOC-1", E, "full_doc_uri", 1,
	    { { "full_text_uri", DEL } } },
	/* REL-1 support end after start, month precision */
	{ RL, { { "support_period.end", "\"2027-12\"" } }, "REL-1", E,
	    "support_period.end", 0, { { 0 } } },
	{ RL, { { "support_period.end", "\"2033\"" } }, "REL-1", E,
	    "support_period.end", 0, { { 0 } } },
	{ RL, { { "support_period.end", DEL } }, "REL-1", E,
	    "support_period.end", 0, { { 0 } } },
	{ RL, { { "support_period.end", "\"2033-01-15\"" } }, "REL-1", PASS,
	    NULL, 0, { { 0 } } },
	/* REL-2 at least five years, or the expected use */
	{ RL, { { "support_period.end", "\"2032-12\"" } }, "REL-2", E,
	    "support_period.end", 0, { { 0 } } },
	{ RL, { { "support_period.end", "\"2033-01-14\"" } }, "REL-2", E,
	    "support_period.end", 0, { { 0 } } },
	{ RL, { { "support_period.expected_use_months", "36" },
	    { "support_period.end", "\"2030-12\"" } }, "REL-2", E,
	    "support_period.end", 0, { { 0 } } },
	{ RL, { { "support_period.expected_use_months", "36" },
	    { "support_period.end", "\"2031-06\"" },
	    { "support_period.justification", DEL } }, "REL-2", E,
	    "support_period.justification", 0, { { 0 } } },
	{ RL, { { "support_period.expected_use_months", "36" },
	    { "support_period.end", "\"2031-06\"" } }, "REL-2", PASS, NULL, 0,
	    { { 0 } } },
	{ RL, { { "support_period.expected_use_months", "120" } }, "REL-2", W,
	    "support_period.end", 0, { { 0 } } },
	{ RL, { { "support_period.expected_use_months",
	    "9223372036854775807" } }, "REL-2", W, "support_period.end", 0,
	    { { 0 } } },
	{ RL, { { "support_period.start", "\"2028-02-29\"" },
	    { "support_period.end", "\"2033-02-27\"" } }, "REL-2", E,
	    "support_period.end", 0, { { 0 } } },
	{ RL, { { "support_period.start", "\"2028-02-29\"" },
	    { "support_period.end", "\"2033-02-28\"" } }, "REL-2", PASS, NULL,
	    0, { { 0 } } },
	/* REL-3 retention */
	{ RL, { { "retention_until", "\"2038-01-14\"" } }, "REL-3", E,
	    "retention_until", 0, { { 0 } } },
	{ RL, { { "last_placed_on_market_at", "\"2028-06-30\"" } }, "REL-3",
	    E, "retention_until", 0, { { 0 } } },
	{ RL, { { "last_placed_on_market_at", "\"2028-01-14\"" } }, "REL-3",
	    E, "last_placed_on_market_at", 0, { { 0 } } },
	{ RL, { { "product.identification.serial_ranges", "[{\"from\": "
	    "\"1\", \"to\": \"9\"}]" } }, "REL-3", W,
	    "last_placed_on_market_at", 0, { { 0 } } },
	{ RL, { { "last_placed_on_market_at", "\"2028-06-30\"" },
	    { "retention_until", "\"2038-06-30\"" } }, "REL-3", PASS, NULL, 0,
	    { { 0 } } },
	/* REL-4 security update availability */
	{ RL, { { "security_update", "{\"is_security_update\": true, "
	    "\"available_until\": \"2038-01-14\"}" } }, "REL-4", E,
	    "security_update.available_until", 0, { { 0 } } },
	{ RL, { { "security_update", "{\"is_security_update\": true, "
	    "\"available_until\": \"2038-01-15\"}" } }, "REL-4", PASS, NULL,
	    0, { { 0 } } },
	/* REL-5 SBOM */
	{ RL, { { "sbom", DEL } }, "REL-5", E, "sbom", 0, { { 0 } } },
	{ RL, { { "sbom.format", "\"swid\"" } }, "REL-5", E, "sbom.format", 0,
	    { { 0 } } },
	{ RL, { { "sbom.depth", DEL } }, "REL-5", E, "sbom.depth", 0,
	    { { 0 } } },
	{ RL, { { "sbom.profile", DEL } }, "REL-5", W, "sbom.profile", 0,
	    { { 0 } } },
	{ RL, { { "sbom.format", "\"spdx\"" } }, "REL-5", PASS, NULL, 0,
	    { { 0 } } },
	/* REL-6 manufacturer contact, single point of contact */
	{ RL, { { "manufacturer.email", DEL } }, "REL-6", E,
	    "manufacturer.email", 0, { { 0 } } },
	{ RL, { { "manufacturer.legal_name", DEL } }, "REL-6", E,
	    "manufacturer.legal_name", 0, { { 0 } } },
	{ RL, { { "spoc.channels", "[]" } }, "REL-6", E, "spoc.channels", 0,
	    { { 0 } } },
	{ RL, { { "manufacturer.email", DEL }, { "manufacturer.digital_contact",
	    "\"https://www.example.com/contact\"" } }, "REL-6", PASS, NULL, 0,
	    { { 0 } } },
	/* REL-7 identification */
	{ RL, { { "product.identification", "{}" } }, "REL-7", E,
	    "product.identification", 0, { { 0 } } },
	{ RL, { { "product.identification", "{\"serials\": []}" } }, "REL-7",
	    E, "product.identification", 0, { { 0 } } },
	{ RL, { { "product.identification", DEL } }, "REL-7", E,
	    "product.identification", 0, { { 0 } } },
	{ RL, { { "product.identification", "{\"batch\": \"b1\"}" } },
	    "REL-7", PASS, NULL, 0, { { 0 } } },
	/* REL-8 the DoC of this product */
	{ RL, { { 0 } }, "REL-8", PASS, NULL, 1, { { 0 } } },
	{ RL, { { "doc.digests.sha256", H64("a") } }, "REL-8", E,
	    "doc.digests.sha256", 1, { { 0 } } },
	{ RL, { { "doc.digests", "{\"sha512\": " H128("a") "}" } }, "REL-8", E,
	    "doc.digests.sha256", 1, { { 0 } } },
	{ RL, { { 0 } }, "REL-8", E, "product.type_designation", 1,
	    { { "product.type_designation", "\"EXN-3\"" } } },
	{ RL, { { 0 } }, "REL-8", E, "procedure", 1,
	    { { "procedure", "\"module_h\"" } } },
	{ RL, { { 0 } }, "REL-8", E, "product.class", 1,
	    { { "product.class", "\"important_class_i\"" } } },
	/* an operator is legal name and country: the same name elsewhere */
	{ RL, { { 0 } }, "REL-8", E, "manufacturer", 1,
	    { { "manufacturer.postal_address.country", "\"AT\"" } } },
	{ RL, { { "manufacturer.postal_address.country", "\"AT\"" } },
	    "REL-8", E, "manufacturer", 1, { { 0 } } },
	{ RL, { { 0 } }, "REL-8", E, "manufacturer", 1,
	    { { "manufacturer.legal_name", "\"Example Devices AG\"" } } },
	/* REL-9 sdoc needs the DoC's full_text_uri */
	{ RL, { { "sdoc", "{\"digests\": {\"sha256\": " H64("e") "}}" } },
	    "REL-9", E, "sdoc", 1, { { "full_text_uri", DEL } } },
	{ RL, { { "sdoc", "{\"digests\": {\"sha256\": " H64("e") "}}" } },
	    "REL-9", PASS, NULL, 1, { { 0 } } },
	/* REL-10 CE marking and DoC before placing */
	{ RL, { { "ce_marking.affixed", "false" } }, "REL-10", E,
	    "ce_marking.affixed", 0, { { 0 } } },
	{ RL, { { "ce_marking.affixed_at", "\"2028-01-16\"" } }, "REL-10", E,
	    "ce_marking.affixed_at", 0, { { 0 } } },
	{ RL, { { 0 } }, "REL-10", E, "placed_on_market_at", 1,
	    { { "signatory.date_of_issue", "\"2028-01-16\"" } } },
	{ RL, { { "ce_marking.affixed_at", "\"2028-01-15\"" } }, "REL-10",
	    PASS, NULL, 1, { { "signatory.date_of_issue",
	    "\"2028-01-15\"" } } },
	/* REL-11 category of an important or critical product */
	{ RL, { { "product.class", "\"important_class_i\"" } }, "REL-11", E,
	    "product.annex_category", 0, { { 0 } } },
	{ RL, { { "product.class", "\"critical\"" },
	    { "product.annex_category", "\"IV-4\"" } }, "REL-11", E,
	    "product.annex_category", 0, { { 0 } } },
	{ RL, { { "product.class", "\"important_class_i\"" },
	    { "product.annex_category", "\"III-I-19\"" } }, "REL-11", PASS,
	    NULL, 0, { { 0 } } },
	/* REL-12 placed before the product requirements apply (warning) */
	{ RL, { { "placed_on_market_at", "\"2027-12-10\"" },
	    { "ce_marking.affixed_at", "\"2027-12-01\"" } }, "REL-12", W,
	    "placed_on_market_at", 0, { { 0 } } },
	{ RL, { { "placed_on_market_at", "\"2027-12-10\"" },
	    { "ce_marking.affixed_at", "\"2027-12-01\"" },
	    { "substantial_modification", "{\"is\": true, \"of\": "
	    "{\"digests\": {\"sha256\": " H64("f") "}}}" } }, "REL-12", PASS,
	    NULL, 0, { { 0 } } },
	{ RL, { { "placed_on_market_at", "\"2027-12-11\"" },
	    { "ce_marking.affixed_at", "\"2027-12-01\"" } }, "REL-12", PASS,
	    NULL, 0, { { 0 } } },
	/* REL-13 out of support (warning) */
	{ RL, { { "support_period.start", "\"2020-01-01\"" },
	    { "support_period.end", "\"2025-01\"" } }, "REL-13", W,
	    "support_period.end", 0, { { 0 } } },
	{ RL, { { "support_period.start", "\"2023-02-01\"" },
	    { "support_period.end", "\"2028-03-01\"" } }, "REL-13", PASS,
	    NULL, 0, { { 0 } } },
};

static void
run_case(const struct tcase *c, size_t n)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_cra_kind_t kind;
	json_t *pred = load_pred(c->file, &kind);
	char hex[65], *doc = NULL, quoted[70];
	attest_err_t r;
	size_t i;

	if (c->doc) {
		doc = doc_statement(c->dm, 2, hex);
		ctx.doc_statement = (const unsigned char *)doc;
		ctx.doc_statement_len = strlen(doc);
		(void)snprintf(quoted, sizeof(quoted), "\"%s\"", hex);
		mutate(pred, kind == ATTEST_CRA_SDOC ?
		    "full_doc.digests.sha256" : "doc.digests.sha256", quoted);
	}
	for (i = 0; i < 5 && c->m[i].p != NULL; i++)
		mutate(pred, c->m[i].p, c->m[i].v);
	r = check_json(kind, pred, &ctx, &f);
	expect_case(n, c->file, c->rule, c->sev, c->field, f, r);
	attest_cra_findings_free(&f);
	json_decref(pred);
	free(doc);
}

static void
test_cra_rules(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i], i);
}

/* Every rule id has a failing and a passing case in the table. */
static void
test_cra_rules_covered(void **state)
{
	static const char *const ids[] = { "S-1", "S-2", "S-3", "S-4", "S-5",
	    "X-2", "DOC-1", "DOC-2", "DOC-3", "DOC-4", "DOC-5", "DOC-6",
	    "DOC-7", "DOC-8", "DOC-9", "DOC-10", "DOC-11", "DOC-12",
	    "DOC-13", "SDOC-1", "REL-1", "REL-2", "REL-3", "REL-4", "REL-5",
	    "REL-6", "REL-7", "REL-8", "REL-9", "REL-10", "REL-11", "REL-12",
	    "REL-13" };
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

/* REL-5 against the SBOM itself (ctx->sbom) ------------------------------ */

#define SB		EX "sbom.cdx.json"
#define RAW		1	/* the SBOM text as is, not parsed */
#define D256		1	/* set sbom.digests.sha256 to the real one */
#define D512		2	/* set sbom.digests.sha512 to the real one */
#define NOT_BSI		{ "sbom.profile", "\"NTIA minimum elements\"" }
#define AS_SPDX(v)	{ "sbom.format", "\"spdx\"" }, \
			{ "sbom.spec_version", "\"" v "\"" }

/* Small SPDX documents (the example SBOM is CycloneDX). */
static const char spdx2[] = "{\"spdxVersion\": \"SPDX-2.3\","
    " \"dataLicense\": \"CC0-1.0\", \"SPDXID\": \"SPDXRef-DOCUMENT\","
    " \"name\": \"example-notes\", \"documentNamespace\":"
    " \"https://www.example.com/spdx/example-notes-2.0.0\","
    " \"creationInfo\": {\"created\": \"2028-01-10T09:00:00Z\","
    " \"creators\": [\"Organization: Example Devices GmbH\"]},"
    " \"packages\": [{\"SPDXID\": \"SPDXRef-notes\", \"name\":"
    " \"example-notes\", \"versionInfo\": \"2.0.0\","
    " \"downloadLocation\": \"NOASSERTION\"}]}";
static const char spdx3[] = "{\"@context\":"
    " \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\", \"@graph\": ["
    "{\"type\": \"CreationInfo\", \"@id\": \"_:ci\", \"specVersion\":"
    " \"3.0.1\", \"created\": \"2028-01-10T09:00:00Z\", \"createdBy\":"
    " [\"https://www.example.com/agent/example-devices\"]},"
    " {\"type\": \"software_Package\", \"spdxId\":"
    " \"https://www.example.com/spdx/example-notes\", \"creationInfo\":"
    " \"_:ci\", \"name\": \"example-notes\", \"software_packageVersion\":"
    " \"2.0.0\", \"verifiedUsing\": [{\"type\": \"Hash\", \"algorithm\":"
    " \"sha512\", \"hashValue\": \"" HEX64("e") HEX64("e") "\"}]}]}";

struct scase {
	const char	*text;	/* NULL: keys-example/cra/sbom.cdx.json */
	int		 raw;	/* RAW: text as is */
	struct mut	 sm[3];	/* mutations of the SBOM */
	int		 set;	/* D256 | D512: the release names its digests */
	struct mut	 rm[3];	/* then these mutations of the release */
	int		 sev;	/* E, W, or PASS: no REL-5 finding, no error */
	const char	*field;
	const char	*msg;	/* in the finding's message */
	const char	*absent; /* in no REL-5 finding's message */
};

static const struct scase scases[] = {
	/* the right digests: sha256, sha512, both */
	{ NULL, 0, { { 0 } }, D256 | D512, { { 0 } }, PASS, NULL, NULL,
	    NULL },
	{ NULL, 0, { { 0 } }, D256, { { 0 } }, PASS, NULL, NULL, NULL },
	{ NULL, 0, { { 0 } }, D512, { { 0 } }, PASS, NULL, NULL, NULL },
	/* a digest that is not the SBOM's */
	{ NULL, 0, { { 0 } }, D256 | D512,
	    { { "sbom.digests.sha256", H64("a") } }, E, "sbom.digests.sha256",
	    "not the SHA-256 of the SBOM given", NULL },
	{ NULL, 0, { { 0 } }, D256 | D512,
	    { { "sbom.digests.sha512", H128("b") } }, E,
	    "sbom.digests.sha512", "not the SHA-512 of the SBOM given", NULL },
	{ NULL, 0, { { 0 } }, D512, { { "sbom.digests.sha512", H128("b") } },
	    E, "sbom.digests.sha512", "not the SHA-512", NULL },
	/* the SBOM altered after the release named it */
	{ NULL, 0, { { "components[0].version", "\"1.4.3\"" } }, 0, { { 0 } },
	    E, "sbom.digests.sha256", "not the SHA-256", NULL },
	/* not the declared format */
	{ NULL, 0, { { "bomFormat", "\"SPDX\"" } }, D256, { { 0 } }, E,
	    "sbom.format", "not CycloneDX JSON", NULL },
	{ NULL, 0, { { "bomFormat", DEL } }, D256, { { 0 } }, E,
	    "sbom.format", "not CycloneDX JSON", NULL },
	{ NULL, 0, { { 0 } }, D256, { AS_SPDX("1.6") }, E, "sbom.format",
	    "neither SPDX 2 JSON", NULL },
	{ spdx2, 0, { { 0 } }, D256, { { 0 } }, E, "sbom.format",
	    "not CycloneDX JSON", NULL },
	{ "{}", 0, { { 0 } }, D256, { AS_SPDX("2.3") }, E, "sbom.format",
	    "neither SPDX 2 JSON", NULL },
	/* not JSON, or JSON but not an object */
	{ "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>", RAW,
	    { { 0 } }, D256, { { 0 } }, E, "sbom.format",
	    "not a CycloneDX JSON document", NULL },
	{ "[1]", RAW, { { 0 } }, D256, { { 0 } }, E, "sbom.format",
	    "not a CycloneDX JSON document", NULL },
	{ "{\"bomFormat\": \"CycloneDX\", \"bomFormat\": \"CycloneDX\"}", RAW,
	    { { 0 } }, D256, { { 0 } }, E, "sbom.format", "duplicate", NULL },
	/* another spec version */
	{ NULL, 0, { { 0 } }, D256, { { "sbom.spec_version", "\"1.5\"" } }, E,
	    "sbom.spec_version", "has specVersion \"1.6\"", NULL },
	{ NULL, 0, { { "specVersion", DEL } }, D256, { { 0 } }, E,
	    "sbom.spec_version", "no specVersion", NULL },
	/* SPDX 2 JSON */
	{ spdx2, 0, { { 0 } }, D256, { AS_SPDX("2.3"), NOT_BSI }, PASS, NULL,
	    NULL, NULL },
	{ spdx2, 0, { { 0 } }, D256, { AS_SPDX("2.2"), NOT_BSI }, E,
	    "sbom.spec_version", "spdxVersion \"SPDX-2.3\"", NULL },
	{ spdx2, 0, { { 0 } }, D256, { AS_SPDX("2.3") }, W, "sbom.profile",
	    "SPDX 3.0.1 or later", NULL },
	/* SPDX 3 JSON-LD */
	{ spdx3, 0, { { 0 } }, D256, { AS_SPDX("3.0.1") }, PASS, NULL, NULL,
	    NULL },
	{ spdx3, 0, { { 0 } }, D256, { AS_SPDX("3.0.0") }, E,
	    "sbom.spec_version", "is SPDX 3.0.1 (its @context)", NULL },
	{ spdx3, 0, { { "@graph[0].specVersion", "\"3.0.0\"" } }, D256,
	    { AS_SPDX("3.0.1") }, E, "sbom.spec_version",
	    "@graph[0].specVersion \"3.0.0\"", NULL },
	{ spdx3, 0, { { "@context", "\"https://example.com/ctx\"" } }, D256,
	    { AS_SPDX("3.0.1") }, E, "sbom.format", "neither SPDX 2", NULL },
	{ spdx3, 0, { { "@graph[1].software_packageVersion", DEL } }, D256,
	    { AS_SPDX("3.0.1") }, W, "sbom.profile",
	    "@graph[1] has no software_packageVersion (1 of 1", NULL },
	{ spdx3, 0, { { "@graph[0].createdBy", "[]" } }, D256,
	    { AS_SPDX("3.0.1") }, W, "sbom.profile", "has createdBy", NULL },
	{ spdx3, 0, { { "@graph[1].verifiedUsing", DEL } }, D256,
	    { AS_SPDX("3.0.1"), NOT_BSI }, PASS, NULL, NULL, NULL },
	/* a claimed BSI TR-03183-2 profile: its fields */
	{ NULL, 0, { { "metadata.timestamp", DEL } }, D256, { { 0 } }, W,
	    "sbom.profile", "has no metadata.timestamp", NULL },
	{ NULL, 0, { { "metadata.authors", DEL },
	    { "metadata.manufacturer", DEL } }, D256, { { 0 } }, W,
	    "sbom.profile", "names no creator", NULL },
	{ NULL, 0, { { "metadata.authors", DEL } }, D256, { { 0 } }, PASS,
	    NULL, NULL, NULL },
	{ NULL, 0, { { "components[1].version", DEL } }, D256, { { 0 } }, W,
	    "sbom.profile", "components[1] has no version (1 of 3", NULL },
	{ NULL, 0, { { "components[2].hashes", "[]" } }, D256, { { 0 } }, W,
	    "sbom.profile", "components[2] has no hashes", NULL },
	{ NULL, 0, { { "components[0].components", "[{\"type\": \"library\","
	    " \"name\": \" \", \"version\": \"1\", \"hashes\": [{\"alg\":"
	    " \"SHA-256\", \"content\": " H64("d") "}]}]" } }, D256, { { 0 } },
	    W, "sbom.profile", "components[0].components[0] has no name (1 of "
	    "4", NULL },
	{ NULL, 0, { { "specVersion", "\"1.5\"" } }, D256,
	    { { "sbom.spec_version", "\"1.5\"" } }, W, "sbom.profile",
	    "CycloneDX 1.6 or later", NULL },
	/* no BSI profile claimed: its fields are not asked for */
	{ NULL, 0, { { "metadata.timestamp", DEL },
	    { "components[1].version", DEL } }, D256, { NOT_BSI }, PASS, NULL,
	    NULL, NULL },
	{ NULL, 0, { { "metadata.timestamp", DEL } }, D256,
	    { { "sbom.profile", DEL } }, W, "sbom.profile", "no profile named",
	    "claims" },
};

static int
has_message(const attest_cra_findings_t *f, const char *rule, int sev,
    const char *field, const char *msg)
{
	size_t i;

	for (i = 0; i < attest_cra_findings_count(f); i++)
		if (strcmp(attest_cra_finding_rule(f, i), rule) == 0 &&
		    (sev == PASS || attest_cra_finding_severity(f, i) == sev) &&
		    (field == NULL ||
		    strcmp(attest_cra_finding_field(f, i), field) == 0) &&
		    (msg == NULL ||
		    strstr(attest_cra_finding_message(f, i), msg) != NULL))
			return 1;
	return 0;
}

/* The SBOM bytes of a case (free()). */
static char *
sbom_text(const struct scase *c)
{
	json_error_t e;
	json_t *j;
	char *text;
	size_t i;

	if (c->raw)
		return strdup(c->text);
	if (c->text == NULL)
		j = json_load_file(SB, JSON_REJECT_DUPLICATES, &e);
	else
		j = json_loads(c->text, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL)
		fail_msg("SBOM: line %d: %s", e.line, e.text);
	for (i = 0; i < 3 && c->sm[i].p != NULL; i++)
		mutate(j, c->sm[i].p, c->sm[i].v);
	assert_non_null(text = json_dumps(j, JSON_INDENT(2)));
	json_decref(j);
	return text;
}

static void
run_scase(const struct scase *c, size_t n)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_cra_kind_t kind;
	json_t *pred = load_pred(RL, &kind);
	unsigned char md[crypto_hash_sha512_BYTES];
	char hex[2 * crypto_hash_sha512_BYTES + 1], q[2 * sizeof(hex) + 64];
	char *sbom = sbom_text(c);
	attest_err_t r;
	size_t i, len = strlen(sbom);

	ctx.sbom = (const unsigned char *)sbom;
	ctx.sbom_len = len;
	if (c->set != 0) {
		/* known answers from libsodium, not from libattest */
		crypto_hash_sha256(md, ctx.sbom, len);
		tu_tohex(hex, md, crypto_hash_sha256_BYTES);
		i = (size_t)snprintf(q, sizeof(q), "{\"sha256\": \"%s\"", hex);
		crypto_hash_sha512(md, ctx.sbom, len);
		tu_tohex(hex, md, crypto_hash_sha512_BYTES);
		(void)snprintf(q + i, sizeof(q) - i, ", \"sha512\": \"%s\"}",
		    hex);
		mutate(pred, "sbom.digests", q);
		if (!(c->set & D256))
			mutate(pred, "sbom.digests.sha256", DEL);
		if (!(c->set & D512))
			mutate(pred, "sbom.digests.sha512", DEL);
	}
	for (i = 0; i < 3 && c->rm[i].p != NULL; i++)
		mutate(pred, c->rm[i].p, c->rm[i].v);
	r = check_json(kind, pred, &ctx, &f);
	assert_non_null(f);
	if (getenv("CRA_VERBOSE") != NULL) {
		print_message("SBOM case %zu: %s\n", n, c->field ? c->field :
		    "(pass)");
		print_findings(f);
	}
	if ((c->sev == PASS && (has_finding(f, "REL-5", PASS, NULL) ||
	    attest_cra_findings_errors(f) > 0)) || (c->sev != PASS &&
	    !has_message(f, "REL-5", c->sev, c->field, c->msg)) ||
	    (c->absent != NULL &&
	    has_message(f, "REL-5", PASS, NULL, c->absent))) {
		print_message("SBOM case %zu: want %s at %s (%s); got:\n", n,
		    c->sev == PASS ? "none" : c->sev == E ? "E" : "W",
		    c->field ? c->field : "-", c->msg ? c->msg : "");
		print_findings(f);
		fail();
	}
	assert_int_equal(r, attest_cra_findings_errors(f) > 0 ?
	    ATTEST_ERR_POLICY : ATTEST_OK);
	attest_cra_findings_free(&f);
	json_decref(pred);
	free(sbom);
}

static void
test_cra_sbom(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(scases) / sizeof(scases[0]); i++)
		run_scase(&scases[i], i);
}

/* The SBOM is only a release's: a doc or an sdoc ignores it. */
static void
test_cra_sbom_not_release(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_cra_kind_t kind;
	json_t *pred;

	(void)state;
	ctx.sbom = (const unsigned char *)"not json";
	ctx.sbom_len = 8;
	pred = load_pred(DA, &kind);
	assert_int_equal(check_json(kind, pred, &ctx, &f), ATTEST_OK);
	assert_int_equal(attest_cra_findings_count(f), 0);
	attest_cra_findings_free(&f);
	json_decref(pred);
}

/* Examples, round trip, collection --------------------------------------- */

static const char *const examples[] = { "doc-module-a.json",
    "doc-module-h.json", "doc-every-field.json", "sdoc.json",
    "release.json" };

static void
test_cra_examples_valid(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_cra_kind_t kind;
	char path[TU_PATH_MAX];
	json_t *pred;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		(void)snprintf(path, sizeof(path), EX "%s", examples[i]);
		pred = load_pred(path, &kind);
		if (check_json(kind, pred, &ctx, &f) != ATTEST_OK ||
		    attest_cra_findings_count(f) != 0) {
			print_message("%s:\n", path);
			print_findings(f);
			fail();
		}
		attest_cra_findings_free(&f);
		json_decref(pred);
	}
}

/* The sdoc and the release, bound to a real DoC Statement, still pass. */
static void
test_cra_examples_bound(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_cra_kind_t kind;
	char hex[65], quoted[70], *doc;
	json_t *pred;

	(void)state;
	doc = doc_statement(NULL, 0, hex);
	ctx.doc_statement = (const unsigned char *)doc;
	ctx.doc_statement_len = strlen(doc);
	(void)snprintf(quoted, sizeof(quoted), "\"%s\"", hex);
	pred = load_pred(EX "sdoc.json", &kind);
	mutate(pred, "full_doc.digests.sha256", quoted);
	assert_int_equal(check_json(kind, pred, &ctx, &f), ATTEST_OK);
	assert_int_equal(attest_cra_findings_count(f), 0);
	attest_cra_findings_free(&f);
	json_decref(pred);
	/* a statement that is not a DoC */
	free(doc);
	assert_non_null(doc = strdup("{\"_type\":\"" STMT_V1 "\","
	    "\"predicateType\":\"" ATTEST_CRA_SDOC_TYPE "\","
	    "\"predicate\":{}}"));
	ctx.doc_statement = (const unsigned char *)doc;
	ctx.doc_statement_len = strlen(doc);
	pred = load_pred(EX "release.json", &kind);
	assert_int_equal(check_json(kind, pred, &ctx, &f), ATTEST_ERR_POLICY);
	assert_true(has_finding(f, "REL-8", E, "doc.digests.sha256"));
	attest_cra_findings_free(&f);
	json_decref(pred);
	free(doc);
}

/* The release names the example SBOM, the file's bytes as they are. */
static void
test_cra_examples_sbom(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_cra_kind_t kind;
	unsigned char *buf;
	json_t *pred;
	size_t len;

	(void)state;
	buf = tu_read_file(SB, &len);
	ctx.sbom = buf;
	ctx.sbom_len = len;
	pred = load_pred(RL, &kind);
	if (check_json(kind, pred, &ctx, &f) != ATTEST_OK ||
	    attest_cra_findings_count(f) != 0) {
		print_findings(f);
		fail();
	}
	attest_cra_findings_free(&f);
	/* one byte short: the digest no longer matches */
	ctx.sbom_len = len - 1;
	assert_int_equal(check_json(kind, pred, &ctx, &f), ATTEST_ERR_POLICY);
	assert_true(has_finding(f, "REL-5", E, "sbom.digests.sha256"));
	attest_cra_findings_free(&f);
	json_decref(pred);
	free(buf);
}

/* Parse → dump → check again: the same findings (none, and some). */
static void
test_cra_roundtrip(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f1 = NULL, *f2 = NULL;
	attest_cra_kind_t kind;
	json_t *pred, *again;
	char *text;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		pred = load_pred(EX "doc-every-field.json", &kind);
		if (pass == 1) {
			mutate(pred, "procedure", "\"module_a\"");
			mutate(pred, "languages[4]", "\"--\"");
		}
		assert_non_null(text = json_dumps(pred, JSON_INDENT(2)));
		assert_non_null(again = json_loads(text, JSON_REJECT_DUPLICATES,
		    NULL));
		free(text);
		(void)check_json(kind, pred, &ctx, &f1);
		(void)check_json(kind, again, &ctx, &f2);
		assert_true(json_equal(pred, again));
		assert_int_equal(attest_cra_findings_count(f1) > 0, pass);
		same_findings(f1, f2);
		attest_cra_findings_free(&f1);
		attest_cra_findings_free(&f2);
		json_decref(pred);
		json_decref(again);
	}
}

/* Three independent errors, three findings, in check order. */
static void
test_cra_collects_all(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;
	attest_diag_t *d;
	unsigned char *buf;
	size_t len;

	(void)state;
	assert_non_null(d = attest_diag_new());
	buf = tu_read_file(FX "three-errors.json", &len);
	assert_int_equal(attest_cra_check(ATTEST_CRA_DOC, buf, len, &ctx, &f,
	    d), ATTEST_ERR_POLICY);
	if (attest_cra_findings_count(f) != 3)
		print_findings(f);
	assert_int_equal(attest_cra_findings_count(f), 3);
	assert_int_equal(attest_cra_findings_errors(f), 3);
	assert_string_equal(attest_cra_finding_rule(f, 0), "S-1");
	assert_string_equal(attest_cra_finding_field(f, 0), "doc_id");
	assert_string_equal(attest_cra_finding_rule(f, 1), "S-5");
	assert_string_equal(attest_cra_finding_field(f, 1), "procedure");
	assert_string_equal(attest_cra_finding_rule(f, 2), "S-3");
	assert_string_equal(attest_cra_finding_field(f, 2), "markets[0]");
	assert_non_null(attest_cra_finding_message(f, 2));
	assert_non_null(attest_cra_finding_basis(f, 2));
	/* diag names the first error */
	tu_assert_field(d, "doc_id");
	/* out of range */
	assert_int_equal(attest_cra_finding_severity(f, 3), 0);
	assert_null(attest_cra_finding_rule(f, 3));
	assert_null(attest_cra_finding_field(f, 3));
	assert_null(attest_cra_finding_message(f, 3));
	assert_null(attest_cra_finding_basis(f, 3));
	attest_cra_findings_free(&f);
	attest_cra_findings_free(&f);
	assert_int_equal(attest_cra_findings_count(NULL), 0);
	assert_int_equal(attest_cra_findings_errors(NULL), 0);
	attest_cra_findings_free(NULL);
	free(buf);
	attest_diag_free(&d);
}

/* API ------------------------------------------------------------------ */

static void
test_cra_kinds(void **state)
{
	static const attest_cra_kind_t k[] = { ATTEST_CRA_DOC,
	    ATTEST_CRA_SDOC, ATTEST_CRA_RELEASE };
	static const char *const names[] = { "doc", "sdoc", "release" };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(attest_cra_kind_from_type(
		    attest_cra_predicate_type(k[i])), k[i]);
		assert_string_equal(attest_cra_kind_name(k[i]), names[i]);
	}
	assert_int_equal(attest_cra_kind_from_type(NULL), ATTEST_CRA_NONE);
	assert_int_equal(attest_cra_kind_from_type(
	    "https://libattest.dev/cra/doc/v2"), ATTEST_CRA_NONE);
	assert_null(attest_cra_predicate_type(ATTEST_CRA_NONE));
	assert_null(attest_cra_kind_name(ATTEST_CRA_NONE));
}

static void
expect_refused(attest_cra_kind_t kind, const char *text, size_t len,
    const attest_cra_context_t *ctx, attest_err_t want)
{
	attest_cra_findings_t *f = (attest_cra_findings_t *)1;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_cra_check(kind, (const unsigned char *)text, len, ctx, &f,
	    d);
	if (r != want)
		fail_msg("%s, expected %s", attest_strerror(r),
		    attest_strerror(want));
	assert_null(f);
	assert_non_null(attest_diag_get_message(d));
	attest_diag_free(&d);
}

static void
test_cra_check_bad_args(void **state)
{
	attest_cra_context_t ok = { .now = NOW };
	attest_cra_context_t badnow = { .now = "2028-02-30" };
	attest_cra_context_t month = { .now = "2028-02" };
	attest_cra_context_t nonow = { .now = NULL };
	attest_cra_context_t big = { .now = NOW, .sbom = (const unsigned char *)
	    "{}", .sbom_len = ATTEST_MAX_INPUT_BYTES + 1 };
	attest_cra_findings_t *f = NULL;

	(void)state;
	expect_refused(ATTEST_CRA_DOC, "{}", 2, NULL,
	    ATTEST_ERR_INVALID_ARGUMENT);
	expect_refused(ATTEST_CRA_DOC, "{}", 2, &badnow,
	    ATTEST_ERR_INVALID_ARGUMENT);
	expect_refused(ATTEST_CRA_DOC, "{}", 2, &month,
	    ATTEST_ERR_INVALID_ARGUMENT);
	expect_refused(ATTEST_CRA_DOC, "{}", 2, &nonow,
	    ATTEST_ERR_INVALID_ARGUMENT);
	expect_refused(ATTEST_CRA_NONE, "{}", 2, &ok,
	    ATTEST_ERR_INVALID_ARGUMENT);
	/* an SBOM over its ceiling is refused before it is read */
	expect_refused(ATTEST_CRA_RELEASE, "{}", 2, &big,
	    ATTEST_ERR_TOO_LARGE);
	assert_int_equal(attest_cra_check(ATTEST_CRA_DOC,
	    (const unsigned char *)"{}", 2, &ok, NULL, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_cra_check(ATTEST_CRA_DOC, NULL, 0, &ok, &f,
	    NULL), ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(f);
}

static void
test_cra_check_not_json(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	unsigned char *buf;
	size_t len;

	(void)state;
	expect_refused(ATTEST_CRA_DOC, "{", 1, &ctx, ATTEST_ERR_PARSE);
	expect_refused(ATTEST_CRA_DOC, "[1]", 3, &ctx, ATTEST_ERR_PARSE);
	expect_refused(ATTEST_CRA_SDOC, "\"x\"", 3, &ctx, ATTEST_ERR_PARSE);
	expect_refused(ATTEST_CRA_DOC, "{} {}", 5, &ctx, ATTEST_ERR_PARSE);
	expect_refused(ATTEST_CRA_DOC, "{\"a\":\"\0\"}", 9, &ctx,
	    ATTEST_ERR_PARSE);
	expect_refused(ATTEST_CRA_DOC, "{\"a\":\"\xff\"}", 8, &ctx,
	    ATTEST_ERR_PARSE);
	buf = tu_read_file(FX "duplicate-keys.json", &len);
	expect_refused(ATTEST_CRA_RELEASE, (const char *)buf, len, &ctx,
	    ATTEST_ERR_PARSE);
	free(buf);
}

/* An empty object: every required member of each kind is reported. */
static void
test_cra_check_empty(void **state)
{
	attest_cra_context_t ctx = { .now = NOW };
	attest_cra_findings_t *f = NULL;

	(void)state;
	assert_int_equal(attest_cra_check(ATTEST_CRA_SDOC,
	    (const unsigned char *)"{}", 2, &ctx, &f, NULL),
	    ATTEST_ERR_POLICY);
	assert_int_equal(attest_cra_findings_errors(f), 7);
	attest_cra_findings_free(&f);
	assert_int_equal(attest_cra_check(ATTEST_CRA_RELEASE,
	    (const unsigned char *)"{}", 2, &ctx, &f, NULL),
	    ATTEST_ERR_POLICY);
	assert_true(has_finding(f, "REL-5", E, "sbom"));
	assert_true(has_finding(f, "REL-6", E, "spoc"));
	assert_true(has_finding(f, "REL-3", E, "retention_until"));
	attest_cra_findings_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cra_kinds),
		cmocka_unit_test(test_cra_examples_valid),
		cmocka_unit_test(test_cra_examples_bound),
		cmocka_unit_test(test_cra_examples_sbom),
		cmocka_unit_test(test_cra_rules_covered),
		cmocka_unit_test(test_cra_rules),
		cmocka_unit_test(test_cra_sbom),
		cmocka_unit_test(test_cra_sbom_not_release),
		cmocka_unit_test(test_cra_roundtrip),
		cmocka_unit_test(test_cra_collects_all),
		cmocka_unit_test(test_cra_check_bad_args),
		cmocka_unit_test(test_cra_check_not_json),
		cmocka_unit_test(test_cra_check_empty),
	};

	return cmocka_run_group_tests(tests, tu_setup, NULL);
}
