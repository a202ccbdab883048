/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: chain of custody verification (attest/chain.h,
 * libattest/chain.c, specs/chain.md §3, §4).
 *
 * Everything is made here: Ed25519 keys from fixed seeds, a trust policy
 * (specs/policy.md) naming them, and each record's Statement (DoC,
 * release, simplified DoC, importer and distributor records, specs/cra.md
 * and specs/chain.md) built from a compact builder with a few overrides,
 * signed into DSSE envelopes with the library's signing API, each record
 * naming the payload SHA-256 of the records before it; the envelopes are
 * joined into a JSON Lines bundle and handed to attest_chain_verify().
 *
 * The policy: "maker" (Maker Devices GmbH, DE, manufacturer, threshold
 * 2: two keys sign each of its records), its twin "maker-at" (the same
 * legal name, AT: another operator), "far" (outside the Union), the
 * importer (its key scoped to maker and far), the wholesaler (which
 * also holds the importer role, through another key) and the retailer.
 *
 * Each cross-check CH-1 to CH-12 has its failing cases, asserted on the
 * rule id that starts the line's (or the chain's) message, never on the
 * rest of the sentence.
 */
#include "testutil.h"

#define NOW		"2028-03-01"
#define PRODUCT		"MKN-2"
#define MAKER		"Maker Devices GmbH"
#define FAR		"Far Devices Ltd"
#define IMPORTER	"Import SARL"
#define WHOLESALE	"Wholesale BV"
#define RETAIL		"Retail Oy"
#define DOC_URI		"https://maker.example.com/cra/doc.html"
#define HEX16(c)	c c c c c c c c c c c c c c c c
#define HEX64(c)	HEX16(c) HEX16(c) HEX16(c) HEX16(c)
#define ELSEWHERE	HEX64("e")	/* a record of no bundle */
#define ART_A		HEX64("a")	/* the release's artifacts */
#define ART_B		HEX64("b")
#define MAXL		(ATTEST_CHAIN_MAX_LINES + 2)

/* Keys --------------------------------------------------------------------- */

enum { K_MAKER, K_QA, K_TWIN, K_FAR, K_IMP, K_WHOLE, K_WIMP, K_RETAIL,
    K_STRANGER, NKEYS };
#define B(k)		(1u << (k))
#define MAKER_KEYS	(B(K_MAKER) | B(K_QA))

static attest_signer_t *key[NKEYS];
static attest_policy_t *pol;		/* with maker-at, the twin */
static attest_policy_t *pol_single;	/* without: one "Maker Devices GmbH" */

/* An Ed25519 signer from the seed (i + 1) repeated: PKCS#8 PEM, imported. */
static attest_signer_t *
seeded_signer(int i)
{
	static const unsigned char pre[16] = { 0x30, 0x2e, 0x02, 0x01, 0x00,
	    0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20 };
	unsigned char der[48];
	char b64[128], pem[256];
	attest_key_t *k = NULL;
	attest_signer_t *s = NULL;

	memcpy(der, pre, sizeof(pre));
	memset(der + sizeof(pre), i + 1, 32);
	sodium_bin2base64(b64, sizeof(b64), der, sizeof(der),
	    sodium_base64_VARIANT_ORIGINAL);
	(void)snprintf(pem, sizeof(pem), "-----BEGIN PRIVATE KEY-----\n%s\n"
	    "-----END PRIVATE KEY-----\n", b64);
	assert_int_equal(attest_key_import_pem(&k, (unsigned char *)pem,
	    strlen(pem), NULL, NULL, NULL), ATTEST_OK);
	assert_int_equal(attest_key_alg(k), ATTEST_ALG_ED25519);
	assert_int_equal(attest_signer_from_key(&s, &k), ATTEST_OK);
	return s;
}

static json_t *
key_entry(int i, const char *op, const char *role)
{
	unsigned char *pem = NULL;
	size_t len = 0;
	json_t *j;

	assert_int_equal(attest_pubkey_pem_alloc(attest_signer_pubkey(key[i]),
	    &pem, &len), ATTEST_OK);
	j = json_pack("{s:s, s:[s], s:s, s:s%, s:s}", "operator", op, "roles",
	    role, "algorithm", "ed25519", "public_key", (char *)pem, len,
	    "valid_from", "2026-01-01");
	attest_freezero(pem, len);
	assert_non_null(j);
	return j;
}

static json_t *
pol_operator(const char *id, const char *name, const char *cc,
    const char *role, int threshold)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:{s:{s:i}}}", "id", id,
	    "legal_name", name, "country", cc, "roles", role, "threshold",
	    threshold);

	assert_non_null(j);
	return j;
}

static attest_policy_t *
make_policy(int twin)
{
	attest_policy_t *p = NULL;
	attest_diag_t *d;
	json_t *j, *ops, *ks, *k;
	char *text;

	assert_non_null(j = json_pack("{s:i, s:s, s:[], s:[], s:{s:i}}",
	    "policy_version", 1, "name", "chain test policy", "operators",
	    "keys", "demands", "min_support_months", 60));
	ops = json_object_get(j, "operators");
	ks = json_object_get(j, "keys");
	json_array_append_new(ops, pol_operator("maker", MAKER, "DE",
	    "manufacturer", 2));
	json_array_append_new(ks, key_entry(K_MAKER, "maker", "manufacturer"));
	json_array_append_new(ks, key_entry(K_QA, "maker", "manufacturer"));
	if (twin) {
		json_array_append_new(ops, pol_operator("maker-at", MAKER,
		    "AT", "manufacturer", 1));
		json_array_append_new(ks, key_entry(K_TWIN, "maker-at",
		    "manufacturer"));
	}
	json_array_append_new(ops, pol_operator("far", FAR, "CN",
	    "manufacturer", 1));
	json_array_append_new(ks, key_entry(K_FAR, "far", "manufacturer"));
	json_array_append_new(ops, pol_operator("importer", IMPORTER, "FR",
	    "importer", 1));
	k = key_entry(K_IMP, "importer", "importer");
	json_object_set_new(k, "manufacturers", json_pack("[s, s]", "maker",
	    "far"));
	json_array_append_new(ks, k);
	/* the wholesaler also imports, with another key */
	k = pol_operator("wholesale", WHOLESALE, "NL", "distributor", 1);
	json_object_set_new(json_object_get(k, "roles"), "importer",
	    json_pack("{s:i}", "threshold", 1));
	json_array_append_new(ops, k);
	json_array_append_new(ks, key_entry(K_WHOLE, "wholesale",
	    "distributor"));
	json_array_append_new(ks, key_entry(K_WIMP, "wholesale", "importer"));
	json_array_append_new(ops, pol_operator("retail", RETAIL, "FI",
	    "distributor", 1));
	json_array_append_new(ks, key_entry(K_RETAIL, "retail",
	    "distributor"));
	assert_non_null(text = json_dumps(j, JSON_COMPACT));
	assert_non_null(d = attest_diag_new());
	if (attest_policy_parse(&p, (unsigned char *)text, strlen(text), d) !=
	    ATTEST_OK)
		fail_msg("policy: %s", attest_diag_get_message(d));
	attest_diag_free(&d);
	free(text);
	json_decref(j);
	return p;
}

static int
group_setup(void **state)
{
	int i;

	if (tu_setup(state) != 0)
		return -1;
	for (i = 0; i < NKEYS; i++)
		key[i] = seeded_signer(i);
	pol = make_policy(1);
	pol_single = make_policy(0);
	return 0;
}

static int
group_teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < NKEYS; i++)
		attest_signer_free(&key[i]);
	attest_policy_free(&pol);
	attest_policy_free(&pol_single);
	return 0;
}

/* Record builders ---------------------------------------------------------- */

/* An override: set the member at a dotted path to JSON text, NULL deletes. */
struct ov {
	const char	*path;
	const char	*json;
};
#define OV(...)		((const struct ov[]){ __VA_ARGS__, { NULL, NULL } })

static void
put(json_t *root, const char *path, const char *text)
{
	char seg[128];
	const char *p = path, *dot;
	json_t *cur = root, *next, *v = NULL;
	size_t n;

	if (text != NULL && (v = json_loads(text, JSON_DECODE_ANY, NULL)) ==
	    NULL)
		fail_msg("override %s: bad JSON %s", path, text);
	while ((dot = strchr(p, '.')) != NULL) {
		n = (size_t)(dot - p);
		assert_true(n > 0 && n < sizeof(seg));
		memcpy(seg, p, n);
		seg[n] = '\0';
		if ((next = json_object_get(cur, seg)) == NULL) {
			assert_non_null(next = json_object());
			assert_int_equal(json_object_set_new(cur, seg, next),
			    0);
		}
		cur = next;
		p = dot + 1;
	}
	if (v == NULL)
		assert_int_equal(json_object_del(cur, p), 0);
	else
		assert_int_equal(json_object_set_new(cur, p, v), 0);
}

static json_t *
address(const char *cc)
{
	return json_pack("{s:[s], s:s, s:s, s:s}", "lines", "Street 1",
	    "postcode", "12345", "city", "City", "country", cc);
}

static json_t *
operator_j(const char *role, const char *name, const char *cc)
{
	json_t *j = json_pack("{s:s, s:s, s:o, s:s}", "role", role,
	    "legal_name", name, "postal_address", address(cc), "email",
	    "compliance@example.com");

	assert_non_null(j);
	if (strcmp(role, "importer") == 0)
		json_object_set_new(j, "established_in_union", json_true());
	return j;
}

static json_t *
party(const char *name, const char *cc)
{
	return json_pack("{s:s, s:o}", "name", name, "postal_address",
	    address(cc));
}

static json_t *
product(void)
{
	return json_pack("{s:s, s:s, s:[s], s:b, s:{s:s, s:s}, s:s}", "name",
	    "Maker Notes", "type_designation", PRODUCT, "versions", "2.0.0",
	    "software", 1, "identification", "type", PRODUCT, "batch",
	    "MKN-2-2028-01", "class", "default");
}

static json_t *
signatory(const char *on_behalf_of, const char *date)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "A. Person",
	    "function", "Compliance officer", "on_behalf_of", on_behalf_of,
	    "place_of_issue", "City", "date_of_issue", date);
}

static json_t *
digest_ref(const char *sha)
{
	return json_pack("{s:{s:s}}", "digests", "sha256", sha);
}

/* A check that passed, with its evidence. */
static json_t *
pass(const char *date)
{
	return json_pack("{s:s, s:[{s:s, s:s}], s:s}", "result", "pass",
	    "evidence", "uri", "https://example.com/evidence", "description",
	    "seen", "checked_at", date);
}

static json_t *
checks(const char *const *names, const char *date)
{
	json_t *j = json_object();
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		json_object_set_new(j, names[i], pass(date));
	return j;
}

/* The chain being built: its lines, their payloads' SHA-256, the report. */
struct ch {
	char		*line[MAXL];
	char		 sha[MAXL][65];
	char		*stmt[MAXL];
	size_t		 n;
	int		 doc, rel, sdoc, imp, dis;	/* last, or -1 */
	json_t		*subjects;	/* of every record */
	json_t		*subj_once;	/* of the next record only */
	unsigned char	*buf;		/* the bundle */
	size_t		 len;
	attest_chain_t	*c;
	attest_diag_t	*d;
};

static void
ch_init(struct ch *h)
{
	memset(h, 0, sizeof(*h));
	h->doc = h->rel = h->sdoc = h->imp = h->dis = -1;
	/* one named subject with two digests, one without a name */
	assert_non_null(h->subjects = json_pack("[{s:s, s:{s:s, s:s}}, "
	    "{s:{s:s}}]", "name", "notes-2.0.0.tar.gz", "digest", "sha256",
	    ART_A, "sha512", HEX64("a") HEX64("a"), "digest", "sha256",
	    ART_B));
	assert_non_null(h->d = attest_diag_new());
}

static void
ch_free(struct ch *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->line[i]);
		free(h->stmt[i]);
	}
	json_decref(h->subjects);
	json_decref(h->subj_once);
	free(h->buf);
	attest_chain_free(&h->c);
	attest_diag_free(&h->d);
}

/* A line as it is (not an envelope of ours). */
static size_t
ch_raw(struct ch *h, const char *text)
{
	assert_true(h->n < MAXL);
	assert_non_null(h->line[h->n] = strdup(text));
	return h->n++;
}

/* An envelope of payload, signed by the keys of the mask. */
static size_t
ch_signed(struct ch *h, const char *type, const char *payload,
    unsigned keys)
{
	attest_envelope_t *e;
	unsigned char md[32], *out = NULL;
	size_t len = 0;
	int i;

	assert_true(h->n < MAXL);
	assert_non_null(e = attest_envelope_new());
	assert_int_equal(attest_envelope_set_payload(e, type,
	    (const unsigned char *)payload, strlen(payload)), ATTEST_OK);
	for (i = 0; i < NKEYS; i++)
		if (keys & B(i))
			assert_int_equal(attest_envelope_sign(e, key[i], NULL),
			    ATTEST_OK);
	assert_int_equal(attest_envelope_serialize_alloc(e, &out, &len),
	    ATTEST_OK);
	assert_non_null(h->line[h->n] = strndup((char *)out, len));
	attest_freezero(out, len);
	attest_envelope_free(&e);
	crypto_hash_sha256(md, (const unsigned char *)payload,
	    strlen(payload));
	tu_tohex(h->sha[h->n], md, sizeof(md));
	assert_non_null(h->stmt[h->n] = strdup(payload));
	return h->n++;
}

/* The Statement of pred (taken), with the overrides, signed. */
static size_t
ch_rec(struct ch *h, const char *ptype, json_t *pred, unsigned keys,
    const struct ov *ov)
{
	json_t *st, *subj;
	char *text;
	size_t i;

	assert_non_null(pred);
	for (i = 0; ov != NULL && ov[i].path != NULL; i++)
		put(pred, ov[i].path, ov[i].json);
	subj = h->subj_once != NULL ? h->subj_once : h->subjects;
	assert_non_null(st = json_pack("{s:s, s:O, s:s, s:o}", "_type",
	    ATTEST_STATEMENT_TYPE, "subject", subj, "predicateType", ptype,
	    "predicate", pred));
	json_decref(h->subj_once);
	h->subj_once = NULL;
	assert_non_null(text = json_dumps(st, JSON_COMPACT));
	i = ch_signed(h, ATTEST_PAYLOAD_TYPE_INTOTO, text, keys);
	free(text);
	json_decref(st);
	return i;
}

/* The SHA-256 a record names for the line of kind (its own, or none). */
static const char *
sha_of(const struct ch *h, int i)
{
	return i >= 0 ? h->sha[i] : ELSEWHERE;
}

static size_t
add_doc(struct ch *h, unsigned keys, const struct ov *ov)
{
	json_t *p;
	size_t i;

	p = json_pack("{s:s, s:i, s:o, s:{s:s}, s:o, s:s, s:s, s:s, "
	    "s:[{s:s, s:s, s:s}], s:[{s:s, s:s, s:s, s:s}], s:s, s:s, s:[s], "
	    "s:s, s:{s:s}, s:o}",
	    "doc_id", "MKN-DOC-2", "doc_version", 1,
	    "product", product(),
	    "object", "description", "Maker Notes 2.0.0, a note-taking "
	    "application (test data)",
	    "manufacturer", operator_j("manufacturer", MAKER, "DE"),
	    "issued_by", "manufacturer",
	    "sole_responsibility_statement", "This declaration of conformity "
	    "is issued under the sole responsibility of the manufacturer.",
	    "conformity_statement", "The object of the declaration described "
	    "above is in conformity with the relevant Union harmonisation "
	    "legislation: Regulation (EU) 2024/2847.",
	    "union_acts", "title", "Regulation (EU) 2024/2847 (Cyber "
	    "Resilience Act)", "celex", "32024R2847", "oj_reference",
	    "OJ L, 2024/2847, 20.11.2024",
	    "standards", "kind", "harmonised_standard", "reference",
	    "EN 00000-0:2027 (test reference)", "oj_reference",
	    "OJ L, 2027/0000 (test reference)", "coverage", "full",
	    "procedure", "module_a",
	    "procedure_description", "Internal control (module A), Annex VIII "
	    "Part I of Regulation (EU) 2024/2847.",
	    "languages", "en",
	    "full_text_uri", DOC_URI,
	    "ce_marking", "placement", "doc",
	    "signatory", signatory(MAKER, "2028-01-10"));
	i = ch_rec(h, ATTEST_CRA_DOC_TYPE, p, keys ? keys : MAKER_KEYS, ov);
	h->doc = (int)i;
	return i;
}

static size_t
add_rel(struct ch *h, unsigned keys, const struct ov *ov)
{
	json_t *p;
	size_t i;

	p = json_pack("{s:o, s:o, s:{s:[{s:s, s:s}], s:s}, s:s, s:s, s:o, "
	    "s:{s:b, s:s, s:s}, s:{s:s, s:s, s:i, s:s}, "
	    "s:{s:{s:s}, s:s, s:s, s:s, s:s}, s:{s:{s:s}, s:s}, s:{s:{s:s}}, "
	    "s:s, s:{s:s, s:{s:s}, s:s}, s:s}",
	    "product", product(),
	    "manufacturer", operator_j("manufacturer", MAKER, "DE"),
	    "spoc", "channels", "kind", "email", "value",
	    "security@maker.example.com", "cvd_policy_uri",
	    "https://maker.example.com/security/cvd",
	    "placed_on_market_at", "2028-01-15",
	    "procedure", "module_a",
	    "doc", digest_ref(sha_of(h, h->doc)),
	    "ce_marking", "affixed", 1, "placement", "doc", "affixed_at",
	    "2028-01-10",
	    "support_period", "start", "2028-01-15", "end", "2033-01",
	    "expected_use_months", 60, "justification", "A desktop "
	    "application, five years in use (test data).",
	    "sbom", "digests", "sha256", HEX64("1"), "format", "cyclonedx",
	    "spec_version", "1.6", "depth", "transitive", "profile",
	    "BSI TR-03183-2 2.1.0",
	    "risk_assessment", "digests", "sha256", HEX64("2"), "updated_at",
	    "2028-01-05",
	    "technical_documentation", "digests", "sha256", HEX64("3"),
	    "release_date", "2028-01-15",
	    "user_information", "uri", "https://maker.example.com/ui.html",
	    "digests", "sha256", HEX64("4"), "lang", "en",
	    "retention_until", "2038-01-15");
	i = ch_rec(h, ATTEST_CRA_RELEASE_TYPE, p, keys ? keys : MAKER_KEYS,
	    ov);
	h->rel = (int)i;
	return i;
}

static size_t
add_sdoc(struct ch *h, unsigned keys, const struct ov *ov)
{
	json_t *p, *full;
	size_t i;

	assert_non_null(full = digest_ref(sha_of(h, h->doc)));
	json_object_set_new(full, "uri", json_string(DOC_URI));
	p = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s}",
	    "manufacturer_name", MAKER, "type_designation", PRODUCT,
	    "regulation", "Regulation (EU) 2024/2847",
	    "full_doc_uri", DOC_URI, "full_doc", full, "language", "en",
	    "text", "Hereby, " MAKER " declares that the product with digital "
	    "elements type " PRODUCT " is in compliance with Regulation (EU) "
	    "2024/2847. The full text of the EU declaration of conformity is "
	    "available at the following internet address: " DOC_URI);
	i = ch_rec(h, ATTEST_CRA_SDOC_TYPE, p, keys ? keys : MAKER_KEYS, ov);
	h->sdoc = (int)i;
	return i;
}

static size_t
add_imp(struct ch *h, unsigned keys, const struct ov *ov)
{
	static const char *const names[] = { "conformity_assessment_done",
	    "technical_documentation_drawn_up", "ce_marking",
	    "doc_accompanies", "user_information_language",
	    "identification_13_15", "manufacturer_contact_13_16",
	    "support_end_13_19", "conformity_no_reason_to_doubt", NULL };
	json_t *p, *up, *ck;
	size_t i;

	assert_non_null(up = json_pack("{s:o, s:o}", "doc",
	    digest_ref(sha_of(h, h->doc)), "release",
	    digest_ref(sha_of(h, h->rel))));
	if (h->sdoc >= 0)
		json_object_set_new(up, "sdoc", digest_ref(h->sha[h->sdoc]));
	ck = checks(names, "2028-01-28");
	json_object_set_new(json_object_get(ck, "user_information_language"),
	    "languages", json_pack("[s]", "en"));
	json_object_set_new(json_object_get(ck, "support_end_13_19"),
	    "end_seen", json_string("2033-01"));
	p = json_pack("{s:o, s:o, s:o, s:o, s:o, s:{s:s}, s:b, s:s, s:s, "
	    "s:s, s:{s:o, s:{s:i}, s:s, s:s}, s:o}",
	    "importer", operator_j("importer", IMPORTER, "FR"),
	    "manufacturer", operator_j("manufacturer", MAKER, "DE"),
	    "product", product(),
	    "upstream", up,
	    "checks", ck,
	    "importer_marking", "placement", "accompanying_document",
	    "own_name_or_substantial_modification", 0,
	    "decision", "place_on_market",
	    "placed_on_market_at", "2028-02-01",
	    "doc_retention_until", "2038-02-01",
	    "custody", "supplied_by", party(MAKER, "DE"), "units", "quantity",
	    500, "event_date", "2028-01-25", "retain_until", "2038-02-01",
	    "signatory", signatory(IMPORTER, "2028-02-01"));
	i = ch_rec(h, ATTEST_CRA_IMPORT_TYPE, p, keys ? keys : B(K_IMP), ov);
	h->imp = (int)i;
	return i;
}

/* A distributor record: the wholesaler's, or the retailer's after it. */
static size_t
add_dis(struct ch *h, int retail, unsigned keys, const struct ov *ov)
{
	static const char *const names[] = { "ce_marking",
	    "identification_13_15", "manufacturer_contact_13_16",
	    "user_information_13_18", "support_end_13_19", "doc_13_20",
	    "importer_contact_19_4", "documents_received",
	    "no_reason_to_believe_nonconformity", NULL };
	const char *who = retail ? RETAIL : WHOLESALE;
	const char *from = retail ? WHOLESALE : IMPORTER;
	const char *day = retail ? "2028-02-18" : "2028-02-08";
	json_t *p, *up, *ck;
	size_t i;

	assert_non_null(up = json_pack("{s:o, s:o}", "doc",
	    digest_ref(sha_of(h, h->doc)), "release",
	    digest_ref(sha_of(h, h->rel))));
	if (h->imp >= 0)
		json_object_set_new(up, "import", digest_ref(h->sha[h->imp]));
	if (h->dis >= 0)
		json_object_set_new(up, "previous_distribution",
		    digest_ref(h->sha[h->dis]));
	ck = checks(names, day);
	json_object_set_new(json_object_get(ck, "support_end_13_19"),
	    "end_seen", json_string("2033-01"));
	p = json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:s, "
	    "s:{s:o, s:{s:i}, s:s, s:s}, s:o}",
	    "distributor", operator_j("distributor", who, retail ? "FI" :
	    "NL"),
	    "stage", retail ? "retail" : "wholesale",
	    "manufacturer", operator_j("manufacturer", MAKER, "DE"),
	    "supplier", party(from, retail ? "NL" : "FR"),
	    "product", product(),
	    "upstream", up,
	    "checks", ck,
	    "own_name_or_substantial_modification", 0,
	    "decision", "make_available",
	    "custody", "supplied_by", party(from, retail ? "NL" : "FR"),
	    "units", "quantity", retail ? 50 : 200,
	    "event_date", retail ? "2028-02-15" : "2028-02-05",
	    "retain_until", retail ? "2038-02-15" : "2038-02-05",
	    "signatory", signatory(who, retail ? "2028-02-20" : "2028-02-10"));
	i = ch_rec(h, ATTEST_CRA_DISTRIBUTION_TYPE, p, keys ? keys :
	    B(retail ? K_RETAIL : K_WHOLE), ov);
	h->dis = (int)i;
	return i;
}

/* DoC, release, importer, wholesaler, retailer: the first n of them. */
static void
std_chain(struct ch *h, int n)
{
	if (n > 0)
		add_doc(h, 0, NULL);
	if (n > 1)
		add_rel(h, 0, NULL);
	if (n > 2)
		add_imp(h, 0, NULL);
	if (n > 3)
		add_dis(h, 0, 0, NULL);
	if (n > 4)
		add_dis(h, 1, 0, NULL);
}

/* Verification ------------------------------------------------------------- */

/* Join the lines, LF after each (after the last one too when lf). */
static void
ch_join(struct ch *h, int lf)
{
	size_t i, len = 0;

	for (i = 0; i < h->n; i++)
		len += strlen(h->line[i]) + 1;
	free(h->buf);
	assert_non_null(h->buf = malloc(len + 1));
	h->len = 0;
	for (i = 0; i < h->n; i++) {
		memcpy(h->buf + h->len, h->line[i], strlen(h->line[i]));
		h->len += strlen(h->line[i]);
		if (lf || i + 1 < h->n)
			h->buf[h->len++] = '\n';
	}
}

/* Verify buf under p; the report in h->c (never NULL then). */
static attest_err_t
verify_buf(struct ch *h, const attest_policy_t *p, const char *now,
    const char *const *art, size_t nart)
{
	attest_chain_options_t o;
	attest_err_t r;

	memset(&o, 0, sizeof(o));
	o.now = now;
	o.artifacts = art;
	o.nartifacts = nart;
	attest_chain_free(&h->c);
	r = attest_chain_verify(p, h->buf, h->len, &o, &h->c, h->d);
	assert_non_null(h->c);
	if (getenv("CHAIN_VERBOSE") != NULL) {
		size_t i;

		for (i = 0; i < attest_chain_link_count(h->c); i++)
			print_message("line %zu: %s\n", i + 1,
			    attest_chain_link_error(h->c, i) ?
			    attest_chain_link_error(h->c, i) : "ok");
		print_message("chain: %s\n", attest_chain_error(h->c) ?
		    attest_chain_error(h->c) : "-");
	}
	/* holds exactly when the return says so; a failure is in diag */
	assert_int_equal(r == ATTEST_OK, attest_chain_holds(h->c));
	if (r != ATTEST_OK) {
		assert_int_equal(r, ATTEST_ERR_VERIFY);
		assert_non_null(attest_diag_get_reason(h->d));
	}
	return r;
}

static attest_err_t
verify_p(struct ch *h, const attest_policy_t *p)
{
	ch_join(h, 1);
	return verify_buf(h, p, NOW, NULL, 0);
}

static attest_err_t
verify(struct ch *h)
{
	return verify_p(h, pol);
}

static void
assert_prefix(const char *s, const char *prefix, const char *what)
{
	if (s == NULL || strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("%s: \"%s\", want it to start with \"%s\"", what,
		    s != NULL ? s : "(none)", prefix);
}

static void
assert_has(const char *s, const char *part, const char *what)
{
	if (s == NULL || strstr(s, part) == NULL)
		fail_msg("%s: \"%s\", want it to contain \"%s\"", what,
		    s != NULL ? s : "(none)", part);
}

static void
assert_lacks(const char *s, const char *part, const char *what)
{
	if (s != NULL && strstr(s, part) != NULL)
		fail_msg("%s: \"%s\" contains \"%s\"", what, s, part);
}

/* Line i (0-based) fails with prefix (NULL: it passes). */
static void
expect_line(const struct ch *h, size_t i, const char *prefix)
{
	char what[32];
	const char *e = attest_chain_link_error(h->c, i);

	(void)snprintf(what, sizeof(what), "line %zu", i + 1);
	if (prefix == NULL && e != NULL)
		fail_msg("%s: \"%s\", want no error", what, e);
	if (prefix != NULL)
		assert_prefix(e, prefix, what);
}

/* Only line i fails, with prefix; the chain as a whole does not. */
static void
expect_only(struct ch *h, size_t i, const char *prefix)
{
	size_t j;

	assert_int_equal(verify(h), ATTEST_ERR_VERIFY);
	assert_int_equal(attest_chain_link_count(h->c), h->n);
	for (j = 0; j < h->n; j++)
		expect_line(h, j, j == i ? prefix : NULL);
	assert_null(attest_chain_error(h->c));
}

/*
 * The line fails with prefix, or (rule, a DoC comparison that the chain
 * may apply within CH-2 before its own cross-check) with CH-2 naming
 * that rule: both refuse the same record for the same reason.
 */
static void
expect_line_or_rule(const struct ch *h, size_t i, const char *prefix,
    const char *rule)
{
	const char *e = attest_chain_link_error(h->c, i);

	if (e != NULL && strncmp(e, "CH-2: ", 6) == 0) {
		assert_has(e, rule, "line");
		return;
	}
	assert_prefix(e, prefix, "line");
}

static const char *
warning_with(const attest_chain_t *c, size_t i, const char *part)
{
	size_t j;

	for (j = 0; j < attest_chain_link_warning_count(c, i); j++)
		if (strstr(attest_chain_link_warning(c, i, j), part) != NULL)
			return attest_chain_link_warning(c, i, j);
	return NULL;
}

/* The chain that holds ----------------------------------------------------- */

/* Which of the builder's subjects the report's subject j is. */
static void
check_subjects(const attest_chain_t *c)
{
	size_t j;
	int seen_a = 0, seen_b = 0;

	assert_int_equal(attest_chain_subject_count(c), 2);
	for (j = 0; j < 2; j++) {
		const char *sha = attest_chain_subject_sha256(c, j);

		assert_non_null(sha);
		if (strcmp(sha, ART_A) == 0) {
			assert_string_equal(attest_chain_subject_name(c, j),
			    "notes-2.0.0.tar.gz");
			seen_a++;
		} else if (strcmp(sha, ART_B) == 0) {
			/* valid in-toto v1: no name, and NULL says so */
			assert_null(attest_chain_subject_name(c, j));
			seen_b++;
		} else
			fail_msg("subject %zu: %s", j, sha);
	}
	assert_int_equal(seen_a, 1);
	assert_int_equal(seen_b, 1);
	assert_null(attest_chain_subject_sha256(c, 2));
	assert_null(attest_chain_subject_name(c, 2));
}

static void
check_link(const struct ch *h, size_t i, attest_cra_kind_t kind,
    const char *op, attest_role_t role, const char *date, size_t threshold)
{
	const attest_chain_t *c = h->c;
	const unsigned char *pl;
	size_t len = 1;

	assert_int_equal(attest_chain_link_kind(c, i), kind);
	assert_string_equal(attest_chain_link_operator(c, i), op);
	assert_int_equal(attest_chain_link_role(c, i), role);
	if (date == NULL)
		assert_null(attest_chain_link_signed_on(c, i));
	else
		assert_string_equal(attest_chain_link_signed_on(c, i), date);
	assert_string_equal(attest_chain_link_sha256(c, i), h->sha[i]);
	assert_non_null(pl = attest_chain_link_payload(c, i, &len));
	assert_int_equal(len, strlen(h->stmt[i]));
	assert_memory_equal(pl, h->stmt[i], len);
	assert_int_equal(attest_chain_link_accepted(c, i), threshold);
	assert_int_equal(attest_chain_link_threshold(c, i), threshold);
	assert_null(attest_chain_link_error(c, i));
}

static void
test_holds(void **state)
{
	const char *art[] = { ART_B, ART_A };
	struct ch h;
	size_t i;

	(void)state;
	ch_init(&h);
	std_chain(&h, 5);
	assert_int_equal(verify(&h), ATTEST_OK);
	assert_true(attest_chain_holds(h.c));
	assert_null(attest_chain_error(h.c));
	assert_int_equal(attest_chain_link_count(h.c), 5);
	check_link(&h, 0, ATTEST_CRA_DOC, "maker", ATTEST_ROLE_MANUFACTURER,
	    "2028-01-10", 2);
	check_link(&h, 1, ATTEST_CRA_RELEASE, "maker",
	    ATTEST_ROLE_MANUFACTURER, "2028-01-15", 2);
	check_link(&h, 2, ATTEST_CRA_IMPORT, "importer", ATTEST_ROLE_IMPORTER,
	    "2028-02-01", 1);
	check_link(&h, 3, ATTEST_CRA_DISTRIBUTION, "wholesale",
	    ATTEST_ROLE_DISTRIBUTOR, "2028-02-10", 1);
	check_link(&h, 4, ATTEST_CRA_DISTRIBUTION, "retail",
	    ATTEST_ROLE_DISTRIBUTOR, "2028-02-20", 1);
	assert_string_equal(attest_chain_product(h.c), PRODUCT);
	assert_string_equal(attest_chain_manufacturer(h.c), MAKER);
	assert_string_equal(attest_chain_manufacturer_operator(h.c), "maker");
	assert_string_equal(attest_chain_manufacturer_country(h.c), "DE");
	assert_string_equal(attest_chain_support_end(h.c), "2033-01");
	check_subjects(h.c);
	/* the importer record's one warning: the manufacturer is in the EU */
	assert_non_null(warning_with(h.c, 2, "IMP-1"));
	for (i = 0; i < 5; i++) {
		size_t j;

		for (j = 0; j < attest_chain_link_warning_count(h.c, i); j++)
			assert_non_null(attest_chain_link_warning(h.c, i, j));
		assert_null(attest_chain_link_warning(h.c, i, j));
	}
	/* out of range */
	assert_int_equal(attest_chain_link_kind(h.c, 5), ATTEST_CRA_NONE);
	assert_null(attest_chain_link_sha256(h.c, 5));
	assert_null(attest_chain_link_error(h.c, 5));
	assert_null(attest_chain_link_operator(h.c, 5));
	assert_null(attest_chain_link_signed_on(h.c, 5));
	assert_int_equal(attest_chain_link_role(h.c, 5), ATTEST_ROLE_NONE);
	assert_int_equal(attest_chain_link_warning_count(h.c, 5), 0);
	assert_null(attest_chain_link_warning(h.c, 5, 0));

	/* without the last LF; with both artifacts, in any order (CH-12) */
	ch_join(&h, 0);
	assert_int_equal(verify_buf(&h, pol, NOW, art, 2), ATTEST_OK);
	assert_int_equal(attest_chain_link_count(h.c), 5);
	/* a report is not needed */
	ch_join(&h, 1);
	{
		attest_chain_options_t o = { NOW, NULL, 0 };

		assert_int_equal(attest_chain_verify(pol, h.buf, h.len, &o,
		    NULL, NULL), ATTEST_OK);
	}
	ch_free(&h);
}

/* The prefixes of the chain hold too: DoC and release alone. */
static void
test_holds_short(void **state)
{
	struct ch h;

	(void)state;
	ch_init(&h);
	std_chain(&h, 2);
	assert_int_equal(verify(&h), ATTEST_OK);
	assert_int_equal(attest_chain_link_count(h.c), 2);
	assert_null(attest_chain_link_error(h.c, 1));
	ch_free(&h);
	/* a distributor straight after the manufacturer: no importer */
	ch_init(&h);
	std_chain(&h, 2);
	add_dis(&h, 0, 0, NULL);
	assert_int_equal(verify(&h), ATTEST_OK);
	ch_free(&h);
}

/* With a simplified DoC (line 3), under a policy with one operator so named */
static void
test_holds_sdoc(void **state)
{
	struct ch h;

	(void)state;
	ch_init(&h);
	add_doc(&h, 0, NULL);
	add_rel(&h, 0, NULL);
	add_sdoc(&h, 0, NULL);
	add_imp(&h, 0, NULL);
	add_dis(&h, 0, 0, NULL);
	assert_int_equal(verify_p(&h, pol_single), ATTEST_OK);
	/* the simplified DoC claims no signing date */
	check_link(&h, 2, ATTEST_CRA_SDOC, "maker", ATTEST_ROLE_MANUFACTURER,
	    NULL, 2);
	check_link(&h, 3, ATTEST_CRA_IMPORT, "importer", ATTEST_ROLE_IMPORTER,
	    "2028-02-01", 1);

	/*
	 * Under the policy with the twin, "Maker Devices GmbH" without a
	 * country names two operators: the simplified DoC is refused (and
	 * only it), before its rules run.
	 */
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 2, "CH-5: ");
	expect_line(&h, 0, NULL);
	expect_line(&h, 3, NULL);
	assert_int_equal(attest_chain_link_accepted(h.c, 2), 0);
	ch_free(&h);

	/* an importer record need not name the simplified DoC */
	ch_init(&h);
	add_doc(&h, 0, NULL);
	add_rel(&h, 0, NULL);
	add_sdoc(&h, 0, NULL);
	add_imp(&h, 0, OV({ "upstream.sdoc", NULL }));
	assert_int_equal(verify_p(&h, pol_single), ATTEST_OK);
	ch_free(&h);
}

static void
test_arguments(void **state)
{
	attest_chain_options_t o = { NOW, NULL, 0 };
	attest_chain_t *c = (attest_chain_t *)&o;	/* overwritten */
	const unsigned char one[] = "x";
	size_t len = 7;

	(void)state;
	assert_int_equal(attest_chain_verify(NULL, one, 1, &o, &c, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(c);
	assert_int_equal(attest_chain_verify(pol, NULL, 1, &o, &c, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_chain_verify(pol, one, 1, NULL, &c, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	o.now = NULL;
	assert_int_equal(attest_chain_verify(pol, one, 1, &o, &c, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	o.now = "2028-02-30";
	assert_int_equal(attest_chain_verify(pol, one, 1, &o, &c, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	o.now = "2028-03";
	assert_int_equal(attest_chain_verify(pol, one, 1, &o, &c, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	o.now = NOW;
	o.nartifacts = 1;
	assert_int_equal(attest_chain_verify(pol, one, 1, &o, &c, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(c);

	/* every accessor takes NULL */
	attest_chain_free(NULL);
	attest_chain_free(&c);
	assert_int_equal(attest_chain_holds(NULL), 0);
	assert_int_equal(attest_chain_link_count(NULL), 0);
	assert_int_equal(attest_chain_link_kind(NULL, 0), ATTEST_CRA_NONE);
	assert_null(attest_chain_link_sha256(NULL, 0));
	assert_null(attest_chain_link_payload(NULL, 0, &len));
	assert_int_equal(len, 0);
	assert_null(attest_chain_link_payload(NULL, 0, NULL));
	assert_null(attest_chain_link_operator(NULL, 0));
	assert_int_equal(attest_chain_link_role(NULL, 0), ATTEST_ROLE_NONE);
	assert_null(attest_chain_link_signed_on(NULL, 0));
	assert_int_equal(attest_chain_link_accepted(NULL, 0), 0);
	assert_int_equal(attest_chain_link_threshold(NULL, 0), 0);
	assert_null(attest_chain_link_error(NULL, 0));
	assert_int_equal(attest_chain_link_warning_count(NULL, 0), 0);
	assert_null(attest_chain_link_warning(NULL, 0, 0));
	assert_null(attest_chain_error(NULL));
	assert_null(attest_chain_product(NULL));
	assert_null(attest_chain_manufacturer(NULL));
	assert_null(attest_chain_manufacturer_operator(NULL));
	assert_null(attest_chain_manufacturer_country(NULL));
	assert_null(attest_chain_support_end(NULL));
	assert_int_equal(attest_chain_subject_count(NULL), 0);
	assert_null(attest_chain_subject_sha256(NULL, 0));
	assert_null(attest_chain_subject_name(NULL, 0));
}

/* CH-1: every line a DSSE envelope that a policy key signed ---------------- */

static void
ch1_case(const char *line, int signed_by_stranger)
{
	struct ch h;

	ch_init(&h);
	std_chain(&h, 4);
	if (signed_by_stranger)
		add_dis(&h, 1, B(K_STRANGER), NULL);
	else
		ch_raw(&h, line);
	expect_only(&h, 4, "CH-1: ");
	/* a line that fails CH-1 is not read: no kind, digest, payload */
	assert_int_equal(attest_chain_link_kind(h.c, 4), ATTEST_CRA_NONE);
	assert_null(attest_chain_link_sha256(h.c, 4));
	assert_null(attest_chain_link_payload(h.c, 4, NULL));
	assert_null(attest_chain_link_operator(h.c, 4));
	assert_null(attest_chain_link_signed_on(h.c, 4));
	/* diag: the first line at fault */
	assert_prefix(attest_diag_get_reason(h.d), "line 5: CH-1: ", "diag");
	ch_free(&h);
}

static void
test_ch1(void **state)
{
	(void)state;
	ch1_case("not JSON at all", 0);
	ch1_case("{\"payloadType\": \"x\"}", 0);		/* no payload */
	ch1_case("[1, 2, 3]", 0);
	ch1_case("{\"payload\": \"e30=\", \"payloadType\": "
	    "\"application/vnd.in-toto+json\", \"signatures\": []}", 0);
	ch1_case("", 0);					/* blank */
	ch1_case(" ", 0);
	ch1_case(NULL, 1);		/* a key the policy does not hold */
}

/* A CR before the LF, a tab, a space at the end of an envelope line. */
static void
test_ch1_white_space(void **state)
{
	static const char *const tails[] = { "\r", "\t", " " };
	struct ch h;
	size_t i;
	char *l;

	(void)state;
	for (i = 0; i < 3; i++) {
		ch_init(&h);
		std_chain(&h, 3);
		assert_non_null(l = malloc(strlen(h.line[2]) + 2));
		(void)snprintf(l, strlen(h.line[2]) + 2, "%s%s", h.line[2],
		    tails[i]);
		free(h.line[2]);
		h.line[2] = l;
		expect_only(&h, 2, "CH-1: ");
		ch_free(&h);
	}
}

/* CH-2: a Statement of one of the five records, whose rules pass ----------- */

static void
ch2_payload(const char *type, const char *payload, const char *prefix)
{
	struct ch h;

	ch_init(&h);
	std_chain(&h, 4);
	ch_signed(&h, type, payload, B(K_RETAIL));
	expect_only(&h, 4, prefix);
	/* signed by the policy: the digest is known, the payload is not */
	assert_string_equal(attest_chain_link_sha256(h.c, 4), h.sha[4]);
	assert_null(attest_chain_link_payload(h.c, 4, NULL));
	assert_int_equal(attest_chain_link_kind(h.c, 4), ATTEST_CRA_NONE);
	ch_free(&h);
}

static void
test_ch2(void **state)
{
	struct ch h;

	(void)state;
	ch2_payload("text/plain", "{}", "CH-2: ");
	ch2_payload(ATTEST_PAYLOAD_TYPE_INTOTO, "not json", "CH-2: ");
	ch2_payload(ATTEST_PAYLOAD_TYPE_INTOTO, "{\"_type\": \"x\"}",
	    "CH-2: ");
	/* another predicate type, and a record type without a predicate */
	ch2_payload(ATTEST_PAYLOAD_TYPE_INTOTO, "{\"_type\": \""
	    ATTEST_STATEMENT_TYPE "\", \"subject\": [{\"digest\": {\"sha256\": "
	    "\"" ART_A "\"}}], \"predicateType\": "
	    "\"https://slsa.dev/provenance/v1\", \"predicate\": {}}", "CH-2: ");
	ch2_payload(ATTEST_PAYLOAD_TYPE_INTOTO, "{\"_type\": \""
	    ATTEST_STATEMENT_TYPE "\", \"subject\": [{\"digest\": {\"sha256\": "
	    "\"" ART_A "\"}}], \"predicateType\": \""
	    ATTEST_CRA_DISTRIBUTION_TYPE "\"}", "CH-2: ");

	/* the record's own rules: an importer that modified the product */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, 0, OV({ "own_name_or_substantial_modification",
	    "true" }));
	expect_only(&h, 2, "CH-2: ");
	assert_has(attest_chain_link_error(h.c, 2), "IMP-7", "line 3");
	/* it is authorised: who signed it is known */
	assert_string_equal(attest_chain_link_operator(h.c, 2), "importer");
	ch_free(&h);

	/* a DoC that fails its rules */
	ch_init(&h);
	add_doc(&h, 0, OV({ "signatory.on_behalf_of", "\"Someone Else\"" }));
	add_rel(&h, 0, NULL);
	expect_only(&h, 0, "CH-2: ");
	assert_has(attest_chain_link_error(h.c, 0), "DOC-1", "line 1");
	ch_free(&h);
}

/* CH-3: the order of §3 ---------------------------------------------------- */

static void
test_ch3_empty(void **state)
{
	attest_chain_options_t o = { NOW, NULL, 0 };
	attest_chain_t *c = NULL;
	attest_diag_t *d;

	(void)state;
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_chain_verify(pol, (const unsigned char *)"", 0,
	    &o, &c, d), ATTEST_ERR_VERIFY);
	assert_int_equal(attest_chain_link_count(c), 0);
	assert_false(attest_chain_holds(c));
	assert_prefix(attest_chain_error(c), "CH-3: ", "chain");
	assert_prefix(attest_diag_get_reason(d), "CH-3: ", "diag");
	assert_null(attest_chain_product(c));
	assert_null(attest_chain_manufacturer(c));
	assert_null(attest_chain_manufacturer_operator(c));
	assert_null(attest_chain_manufacturer_country(c));
	assert_null(attest_chain_support_end(c));
	assert_int_equal(attest_chain_subject_count(c), 0);
	assert_null(attest_chain_subject_sha256(c, 0));
	assert_null(attest_chain_subject_name(c, 0));
	attest_chain_free(&c);
	assert_null(c);
	/* no buffer at all is an empty bundle too */
	assert_int_equal(attest_chain_verify(pol, NULL, 0, &o, &c, d),
	    ATTEST_ERR_VERIFY);
	assert_prefix(attest_chain_error(c), "CH-3: ", "chain");
	attest_chain_free(&c);
	attest_diag_free(&d);
}

static void
test_ch3(void **state)
{
	struct ch h;

	(void)state;
	/* a DoC alone: line 2 is missing */
	ch_init(&h);
	std_chain(&h, 1);
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 0, NULL);
	assert_prefix(attest_chain_error(h.c), "CH-3: ", "chain");
	/* the DoC verified: the summary names it, there is no release */
	assert_string_equal(attest_chain_product(h.c), PRODUCT);
	assert_string_equal(attest_chain_manufacturer_operator(h.c), "maker");
	assert_null(attest_chain_support_end(h.c));
	assert_int_equal(attest_chain_subject_count(h.c), 0);
	ch_free(&h);

	/* release and DoC swapped */
	ch_init(&h);
	add_rel(&h, 0, NULL);
	add_doc(&h, 0, NULL);
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 0, "CH-3: ");
	expect_line(&h, 1, "CH-3: ");
	assert_null(attest_chain_product(h.c));
	assert_null(attest_chain_manufacturer_operator(h.c));
	ch_free(&h);

	/* a second DoC, a second release */
	ch_init(&h);
	std_chain(&h, 2);
	add_doc(&h, 0, OV({ "doc_version", "2" }, { "supersedes",
	    "{\"doc_id\": \"MKN-DOC-2\", \"doc_version\": 1, "
	    "\"digests\": {\"sha256\": \"" ELSEWHERE "\"}}" }));
	expect_only(&h, 2, "CH-3: ");
	ch_free(&h);
	ch_init(&h);
	std_chain(&h, 2);
	add_rel(&h, 0, OV({ "release_date", "\"2028-01-16\"" }));
	expect_only(&h, 2, "CH-3: ");
	ch_free(&h);

	/* a simplified DoC after the importer record */
	ch_init(&h);
	std_chain(&h, 3);
	add_sdoc(&h, 0, NULL);
	assert_int_equal(verify_p(&h, pol_single), ATTEST_ERR_VERIFY);
	expect_line(&h, 3, "CH-3: ");
	expect_line(&h, 2, NULL);
	ch_free(&h);

	/* an importer record, a distributor record on line 2 */
	ch_init(&h);
	add_doc(&h, 0, NULL);
	add_imp(&h, 0, NULL);
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 1, "CH-3: ");
	ch_free(&h);
	ch_init(&h);
	add_doc(&h, 0, NULL);
	add_dis(&h, 0, 0, NULL);
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 1, "CH-3: ");
	ch_free(&h);

	/* a second importer record */
	ch_init(&h);
	std_chain(&h, 3);
	add_imp(&h, 0, OV({ "signatory.date_of_issue", "\"2028-02-02\"" }));
	expect_only(&h, 3, "CH-3: ");
	ch_free(&h);

	/* lines reordered: the importer record after the wholesaler's */
	ch_init(&h);
	std_chain(&h, 5);
	{
		char *t = h.line[2];

		h.line[2] = h.line[3];
		h.line[3] = t;
	}
	expect_only(&h, 3, "CH-3: ");
	ch_free(&h);
}

/* CH-4: no payload twice --------------------------------------------------- */

static void
test_ch4(void **state)
{
	struct ch h;

	(void)state;
	ch_init(&h);
	std_chain(&h, 5);
	ch_raw(&h, h.line[3]);		/* the wholesaler's record again */
	expect_only(&h, 5, "CH-4: ");
	assert_string_equal(attest_chain_link_sha256(h.c, 5), h.sha[3]);
	ch_free(&h);

	/* the same payload under other signatures is the same record */
	ch_init(&h);
	std_chain(&h, 4);
	ch_signed(&h, ATTEST_PAYLOAD_TYPE_INTOTO, h.stmt[3],
	    B(K_WHOLE) | B(K_RETAIL));
	expect_only(&h, 4, "CH-4: ");
	ch_free(&h);
}

/* CH-5: the signers are authorised, before any content rule ---------------- */

static void
test_ch5_role(void **state)
{
	static const struct ov defects[] = {
		/* as an importer of the wholesaler's */
		{ "importer.legal_name", "\"" WHOLESALE "\"" },
		{ "importer.postal_address.country", "\"NL\"" },
		{ "signatory.on_behalf_of", "\"" WHOLESALE "\"" },
		/* content its rules (IMP-7, IMP-1, IMP-6) and CH-6 refuse */
		{ "own_name_or_substantial_modification", "true" },
		{ "importer.established_in_union", "false" },
		{ "upstream.doc.digests.sha256", "\"" ELSEWHERE "\"" },
		{ "doc_retention_until", "\"2030-01-01\"" },
		{ NULL, NULL }
	};
	struct ch h;
	const char *e;

	(void)state;
	/*
	 * The wholesaler holds the importer role, but its distributor key
	 * does not: the record is refused by CH-5 alone.  Its rules did
	 * not run: no finding in the error, and no warning (the importer
	 * record's own IMP-1 warning, manufacturer in the Union, is absent).
	 */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, B(K_WHOLE), defects);
	expect_only(&h, 2, "CH-5: ");
	e = attest_chain_link_error(h.c, 2);
	assert_lacks(e, "IMP-", "line 3");
	assert_lacks(e, "CH-6", "line 3");
	assert_lacks(e, "CH-2", "line 3");
	assert_int_equal(attest_chain_link_warning_count(h.c, 2), 0);
	assert_int_equal(attest_chain_link_role(h.c, 2), ATTEST_ROLE_IMPORTER);
	assert_string_equal(attest_chain_link_signed_on(h.c, 2), "2028-02-01");
	assert_int_equal(attest_chain_link_accepted(h.c, 2), 0);
	assert_int_equal(attest_chain_link_threshold(h.c, 2), 1);
	ch_free(&h);

	/* the same record signed by the wholesaler's importer key: they run */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, B(K_WIMP), defects);
	expect_only(&h, 2, "CH-2: ");
	assert_has(attest_chain_link_error(h.c, 2), "IMP-", "line 3");
	assert_non_null(warning_with(h.c, 2, "IMP-1"));
	assert_string_equal(attest_chain_link_operator(h.c, 2), "wholesale");
	ch_free(&h);

	/* and without the defects it holds: the key was the only fault */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, B(K_WIMP), OV({ "importer.legal_name",
	    "\"" WHOLESALE "\"" }, { "importer.postal_address.country",
	    "\"NL\"" }, { "signatory.on_behalf_of", "\"" WHOLESALE "\"" }));
	assert_int_equal(verify(&h), ATTEST_OK);
	ch_free(&h);
}

static void
test_ch5(void **state)
{
	struct ch h;

	(void)state;
	/* a DoC signed by the importer's key (another operator and role) */
	ch_init(&h);
	add_doc(&h, B(K_IMP), OV({ "signatory.on_behalf_of", "\"x\"" }));
	add_rel(&h, 0, NULL);
	add_imp(&h, 0, NULL);
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 0, "CH-5: ");
	assert_lacks(attest_chain_link_error(h.c, 0), "DOC-1", "line 1");
	/* the DoC is no authorised record: the summary names no operator */
	assert_null(attest_chain_manufacturer_operator(h.c));
	assert_null(attest_chain_manufacturer_country(h.c));
	ch_free(&h);

	/* one of the two keys the manufacturer's threshold needs */
	ch_init(&h);
	add_doc(&h, B(K_QA), NULL);
	add_rel(&h, 0, NULL);
	expect_only(&h, 0, "CH-5: ");
	assert_int_equal(attest_chain_link_accepted(h.c, 0), 1);
	assert_int_equal(attest_chain_link_threshold(h.c, 0), 2);
	assert_string_equal(attest_chain_link_operator(h.c, 0), "maker");
	ch_free(&h);

	/* the twin's key on the maker's release */
	ch_init(&h);
	std_chain(&h, 1);
	add_rel(&h, B(K_TWIN) | B(K_QA), NULL);
	expect_only(&h, 1, "CH-5: ");
	ch_free(&h);

	/* P-2: a support period shorter than the policy demands */
	ch_init(&h);
	std_chain(&h, 1);
	add_rel(&h, 0, OV({ "support_period.end", "\"2030-01\"" }));
	expect_only(&h, 1, "CH-5: ");
	assert_has(attest_chain_link_error(h.c, 1), "P-2", "line 2");
	ch_free(&h);

	/* the date the policy needs is missing */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, 0, OV({ "signatory.date_of_issue", NULL }));
	expect_only(&h, 2, "CH-5: ");
	assert_null(attest_chain_link_signed_on(h.c, 2));
	ch_free(&h);

	/* signed after the verification date */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, 0, OV({ "signatory.date_of_issue", "\"2028-03-02\"" }));
	expect_only(&h, 2, "CH-5: ");
	ch_free(&h);

	/* an operator the policy does not know */
	ch_init(&h);
	std_chain(&h, 3);
	add_dis(&h, 0, 0, OV({ "distributor.legal_name", "\"Nobody BV\"" },
	    { "signatory.on_behalf_of", "\"Nobody BV\"" }));
	expect_only(&h, 3, "CH-5: ");
	assert_null(attest_chain_link_operator(h.c, 3));
	ch_free(&h);

	/*
	 * The importer's key is scoped to maker and far: an importer record
	 * for the twin (the same legal name, another country) is refused,
	 * its manufacturer being another operator.
	 */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, 0, OV({ "manufacturer.postal_address.country",
	    "\"AT\"" }));
	expect_only(&h, 2, "CH-5: ");
	assert_has(attest_chain_link_error(h.c, 2), "maker-at", "line 3");
	ch_free(&h);
}

/* CH-6: links by payload SHA-256 ------------------------------------------- */

static void
test_ch6_release(void **state)
{
	struct ch h;

	(void)state;
	/*
	 * The release's link to its DoC: a splice.  REL-8 (the release
	 * against its DoC) says the same within CH-2 where the chain
	 * applies it.
	 */
	ch_init(&h);
	std_chain(&h, 1);
	add_rel(&h, 0, OV({ "doc.digests.sha256", "\"" ELSEWHERE "\"" }));
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line_or_rule(&h, 1, "CH-6: ", "REL-8");
	expect_line(&h, 0, NULL);
	ch_free(&h);

	/* the simplified DoC's (SDOC-1 the same) */
	ch_init(&h);
	std_chain(&h, 2);
	add_sdoc(&h, 0, OV({ "full_doc.digests.sha256", "\"" ELSEWHERE
	    "\"" }));
	assert_int_equal(verify_p(&h, pol_single), ATTEST_ERR_VERIFY);
	expect_line_or_rule(&h, 2, "CH-6: ", "SDOC-1");
	expect_line(&h, 1, NULL);
	ch_free(&h);
}

static void
test_ch6(void **state)
{
	struct ch h;

	(void)state;
	/* spliced: a digest of no line of this bundle */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, 0, OV({ "upstream.doc.digests.sha256", "\"" ELSEWHERE
	    "\"" }));
	expect_only(&h, 2, "CH-6: ");
	ch_free(&h);

	/* another line than the one it must name: the DoC for the release */
	ch_init(&h);
	std_chain(&h, 2);
	{
		char link[80];

		(void)snprintf(link, sizeof(link), "\"%s\"", h.sha[0]);
		add_imp(&h, 0, OV({ "upstream.release.digests.sha256",
		    link }));
	}
	expect_only(&h, 2, "CH-6: ");
	assert_has(attest_chain_link_error(h.c, 2), "line 1", "line 3");
	ch_free(&h);

	/* the distributor's links, each spliced in turn */
	{
		static const char *const paths[] = {
		    "upstream.doc.digests.sha256",
		    "upstream.release.digests.sha256",
		    "upstream.import.digests.sha256",
		    "upstream.previous_distribution.digests.sha256" };
		size_t i;

		for (i = 0; i < 4; i++) {
			ch_init(&h);
			std_chain(&h, 4);
			add_dis(&h, 1, 0, OV({ paths[i], "\"" ELSEWHERE
			    "\"" }));
			expect_only(&h, 4, "CH-6: ");
			assert_has(attest_chain_link_error(h.c, 4),
			    paths[i], "line 5");
			ch_free(&h);
		}
	}

	/*
	 * A link to a line signed by the policy that is no record (CH-2):
	 * the previous distributor is the one before it, not that line.
	 */
	ch_init(&h);
	std_chain(&h, 4);
	{
		char link[80];
		size_t x;

		x = ch_signed(&h, "text/plain", "{}", B(K_WHOLE));
		(void)snprintf(link, sizeof(link), "\"%s\"", h.sha[x]);
		add_dis(&h, 1, 0, OV({ "upstream.previous_distribution."
		    "digests.sha256", link }));
	}
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 4, "CH-2: ");
	expect_line(&h, 5, "CH-6: ");
	assert_has(attest_chain_link_error(h.c, 5), "line 5", "line 6");
	expect_line(&h, 3, NULL);
	ch_free(&h);

	/* the bundle has an importer record: the distributor must name it */
	ch_init(&h);
	std_chain(&h, 3);
	add_dis(&h, 0, 0, OV({ "upstream.import", NULL }));
	expect_only(&h, 3, "CH-6: ");
	ch_free(&h);

	/* the second distributor must name the first */
	ch_init(&h);
	std_chain(&h, 4);
	add_dis(&h, 1, 0, OV({ "upstream.previous_distribution", NULL }));
	expect_only(&h, 4, "CH-6: ");
	ch_free(&h);

	/* ... the one just before it, not an earlier one */
	ch_init(&h);
	std_chain(&h, 5);
	{
		char link[80];

		(void)snprintf(link, sizeof(link), "\"%s\"", h.sha[3]);
		h.dis = 4;
		add_dis(&h, 1, 0, OV({ "upstream.previous_distribution."
		    "digests.sha256", link }, { "signatory.date_of_issue",
		    "\"2028-02-21\"" }));
	}
	expect_only(&h, 5, "CH-6: ");
	ch_free(&h);

	/* no importer record in the bundle: a link to one is a splice */
	ch_init(&h);
	std_chain(&h, 2);
	add_dis(&h, 0, 0, OV({ "upstream.import", "{\"digests\": "
	    "{\"sha256\": \"" ELSEWHERE "\"}}" }));
	expect_only(&h, 2, "CH-6: ");
	ch_free(&h);

	/* the first distributor names a previous one the bundle lacks */
	ch_init(&h);
	std_chain(&h, 3);
	add_dis(&h, 0, 0, OV({ "upstream.previous_distribution",
	    "{\"digests\": {\"sha256\": \"" ELSEWHERE "\"}}" }));
	expect_only(&h, 3, "CH-6: ");
	ch_free(&h);

	/* an importer record naming a simplified DoC the bundle lacks */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, 0, OV({ "upstream.sdoc", "{\"digests\": {\"sha256\": \""
	    ELSEWHERE "\"}}" }));
	expect_only(&h, 2, "CH-6: ");
	ch_free(&h);

	/* ... or the wrong one */
	ch_init(&h);
	add_doc(&h, 0, NULL);
	add_rel(&h, 0, NULL);
	add_sdoc(&h, 0, NULL);
	add_imp(&h, 0, OV({ "upstream.sdoc.digests.sha256", "\"" ELSEWHERE
	    "\"" }));
	assert_int_equal(verify_p(&h, pol_single), ATTEST_ERR_VERIFY);
	expect_line(&h, 3, "CH-6: ");
	expect_line(&h, 2, NULL);
	ch_free(&h);
}

/* Lines out of order: a link to a later line. */
static void
test_ch6_later(void **state)
{
	struct ch h;
	char *t;

	(void)state;
	/* the retailer's record before the wholesaler's it names */
	ch_init(&h);
	std_chain(&h, 5);
	t = h.line[3];
	h.line[3] = h.line[4];
	h.line[4] = t;
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 3, "CH-6: ");
	assert_has(attest_chain_link_error(h.c, 3), "line 5", "line 4");
	expect_line(&h, 4, "CH-6: ");	/* names no previous distributor */
	ch_free(&h);

	/*
	 * Three distributors, the second and third swapped: the third
	 * (now line 5) names the second (line 6), a later line; the second
	 * names the first (line 4), not the one now just before it.
	 */
	ch_init(&h);
	std_chain(&h, 5);
	add_dis(&h, 1, 0, OV({ "signatory.date_of_issue", "\"2028-02-21\"" }));
	t = h.line[4];
	h.line[4] = h.line[5];
	h.line[5] = t;
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 3, NULL);
	expect_line(&h, 4, "CH-6: ");
	assert_has(attest_chain_link_error(h.c, 4), "line 6", "line 5");
	expect_line(&h, 5, "CH-6: ");
	assert_has(attest_chain_link_error(h.c, 5), "line 4", "line 6");
	ch_free(&h);
}

/* CH-7: the subjects are the release's ------------------------------------- */

static void
test_ch7(void **state)
{
	struct ch h;

	(void)state;
	/* another artifact */
	ch_init(&h);
	std_chain(&h, 4);
	assert_non_null(h.subj_once = json_pack("[{s:s, s:{s:s}}]", "name",
	    "other.bin", "digest", "sha256", HEX64("c")));
	add_dis(&h, 1, 0, NULL);
	expect_only(&h, 4, "CH-7: ");
	ch_free(&h);

	/* one artifact of the two */
	ch_init(&h);
	std_chain(&h, 4);
	assert_non_null(h.subj_once = json_pack("[{s:{s:s}}]", "digest",
	    "sha256", ART_A));
	add_dis(&h, 1, 0, NULL);
	expect_only(&h, 4, "CH-7: ");
	ch_free(&h);

	/* a subject named by another digest alone, with and without name */
	ch_init(&h);
	std_chain(&h, 4);
	assert_non_null(h.subj_once = json_pack("[{s:{s:s}}, {s:s, s:{s:s}}]",
	    "digest", "sha256", ART_A, "name", "b.bin", "digest", "sha512",
	    HEX64("b") HEX64("b")));
	add_dis(&h, 1, 0, NULL);
	expect_only(&h, 4, "CH-7: ");
	assert_has(attest_chain_link_error(h.c, 4), "b.bin", "line 5");
	ch_free(&h);
	ch_init(&h);
	std_chain(&h, 4);
	assert_non_null(h.subj_once = json_pack("[{s:{s:s}}, {s:{s:s}}]",
	    "digest", "sha256", ART_A, "digest", "sha512",
	    HEX64("b") HEX64("b")));
	add_dis(&h, 1, 0, NULL);
	expect_only(&h, 4, "CH-7: ");
	assert_has(attest_chain_link_error(h.c, 4), "subject[1]", "line 5");
	ch_free(&h);

	/* the same set in another order, one twice, other names: it holds */
	ch_init(&h);
	std_chain(&h, 4);
	assert_non_null(h.subj_once = json_pack("[{s:{s:s}}, {s:s, s:{s:s}}, "
	    "{s:{s:s, s:s}}]", "digest", "sha256", ART_B, "name", "renamed",
	    "digest", "sha256", ART_A, "digest", "sha256", ART_B, "sha384",
	    HEX64("b") HEX16("b") HEX16("b")));
	add_dis(&h, 1, 0, NULL);
	assert_int_equal(verify(&h), ATTEST_OK);
	ch_free(&h);

	/* the release's subject without sha256: every other record differs */
	ch_init(&h);
	std_chain(&h, 1);
	assert_non_null(h.subj_once = json_pack("[{s:s, s:{s:s}}]", "name",
	    "a.bin", "digest", "sha512", HEX64("a") HEX64("a")));
	add_rel(&h, 0, NULL);
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 1, "CH-7: ");
	expect_line(&h, 0, "CH-7: ");
	/* no subject of the release has a SHA-256 to list */
	assert_int_equal(attest_chain_subject_count(h.c), 0);
	ch_free(&h);
}

/* CH-8: the DoC's product and manufacturer, as an operator ----------------- */

static void
test_ch8(void **state)
{
	struct ch h;
	const char *e;

	(void)state;
	/* another product */
	ch_init(&h);
	std_chain(&h, 4);
	add_dis(&h, 1, 0, OV({ "product.type_designation", "\"MKN-3\"" },
	    { "product.identification.type", "\"MKN-3\"" }));
	expect_only(&h, 4, "CH-8: ");
	ch_free(&h);

	/*
	 * The twin: a distributor record (whose key has no manufacturers
	 * scope) for "Maker Devices GmbH" in AT is for another operator
	 * than the DoC's "Maker Devices GmbH" in DE.
	 */
	ch_init(&h);
	std_chain(&h, 4);
	add_dis(&h, 1, 0, OV({ "manufacturer.postal_address.country",
	    "\"AT\"" }));
	expect_only(&h, 4, "CH-8: ");
	e = attest_chain_link_error(h.c, 4);
	assert_has(e, "maker-at", "line 5");
	ch_free(&h);

	/* another manufacturer of another name */
	ch_init(&h);
	std_chain(&h, 3);
	add_dis(&h, 0, 0, OV({ "manufacturer.legal_name", "\"" FAR "\"" },
	    { "manufacturer.postal_address.country", "\"CN\"" }));
	expect_only(&h, 3, "CH-8: ");
	assert_has(attest_chain_link_error(h.c, 3), "far", "line 4");
	ch_free(&h);

	/*
	 * A release signed by the twin, for the twin: its own operator
	 * authorises it (CH-5), but it speaks for another operator than
	 * the DoC's manufacturer (CH-8; REL-8 within CH-2 where applied).
	 */
	ch_init(&h);
	std_chain(&h, 1);
	add_rel(&h, B(K_TWIN), OV({ "manufacturer.postal_address.country",
	    "\"AT\"" }));
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line_or_rule(&h, 1, "CH-8: ", "REL-8");
	assert_string_equal(attest_chain_link_operator(h.c, 1), "maker-at");
	expect_line(&h, 0, NULL);
	ch_free(&h);
}

/*
 * CH-8 with operators the policy does not have: a verifier's report, never
 * a crash (a verdict names no operator: NULL, not an id).
 */
static void
test_ch8_not_in_policy(void **state)
{
	struct ch h;

	(void)state;
	/* a distributor record for a manufacturer the policy lacks */
	ch_init(&h);
	std_chain(&h, 3);
	add_dis(&h, 0, 0, OV({ "manufacturer.legal_name",
	    "\"Unknown Devices SA\"" }));
	expect_only(&h, 3, "CH-8: ");
	assert_string_equal(attest_chain_link_operator(h.c, 3), "wholesale");
	ch_free(&h);

	/*
	 * A DoC whose manufacturer is no operator of the policy: refused
	 * (CH-5), and no later record can speak for it (CH-8).
	 */
	ch_init(&h);
	add_doc(&h, 0, OV({ "manufacturer.legal_name", "\"Unknown Devices "
	    "SA\"" }, { "signatory.on_behalf_of", "\"Unknown Devices SA\"" }));
	add_rel(&h, 0, NULL);
	add_imp(&h, 0, NULL);
	add_dis(&h, 0, 0, NULL);
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 0, "CH-5: ");
	assert_null(attest_chain_link_operator(h.c, 0));
	expect_line_or_rule(&h, 1, "CH-8: ", "REL-8");
	expect_line(&h, 2, "CH-8: ");
	expect_line(&h, 3, "CH-8: ");
	assert_string_equal(attest_chain_manufacturer(h.c),
	    "Unknown Devices SA");
	assert_null(attest_chain_manufacturer_operator(h.c));
	assert_null(attest_chain_manufacturer_country(h.c));
	ch_free(&h);
}

/* CH-9: dates run forward -------------------------------------------------- */

static void
test_ch9(void **state)
{
	struct ch h;

	(void)state;
	/* the retailer dated before the wholesaler */
	ch_init(&h);
	std_chain(&h, 4);
	add_dis(&h, 1, 0, OV({ "signatory.date_of_issue", "\"2028-02-09\"" }));
	expect_only(&h, 4, "CH-9: ");
	ch_free(&h);

	/* the importer before the release */
	ch_init(&h);
	std_chain(&h, 2);
	add_imp(&h, 0, OV({ "signatory.date_of_issue", "\"2028-01-14\"" }));
	expect_only(&h, 2, "CH-9: ");
	ch_free(&h);

	/* the release before the DoC */
	ch_init(&h);
	std_chain(&h, 1);
	add_rel(&h, 0, OV({ "release_date", "\"2028-01-09\"" }));
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line_or_rule(&h, 1, "CH-9: ", "REL-");
	ch_free(&h);

	/* the same day is forward enough */
	ch_init(&h);
	std_chain(&h, 4);
	add_dis(&h, 1, 0, OV({ "signatory.date_of_issue", "\"2028-02-10\"" }));
	assert_int_equal(verify(&h), ATTEST_OK);
	ch_free(&h);

	/* a record that fails CH-5 sets no date for the next */
	ch_init(&h);
	std_chain(&h, 3);
	add_dis(&h, 0, B(K_RETAIL), OV({ "signatory.date_of_issue",
	    "\"2028-02-27\"" }));
	add_dis(&h, 1, 0, NULL);
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	expect_line(&h, 3, "CH-5: ");
	expect_line(&h, 4, NULL);
	ch_free(&h);
}

/* CH-10: a manufacturer outside the Union needs an importer ---------------- */

static const struct ov far_doc[] = {
	{ "manufacturer.legal_name", "\"" FAR "\"" },
	{ "manufacturer.postal_address.country", "\"CN\"" },
	{ "signatory.on_behalf_of", "\"" FAR "\"" },
	{ NULL, NULL }
};
static const struct ov far_mfr[] = {
	{ "manufacturer.legal_name", "\"" FAR "\"" },
	{ "manufacturer.postal_address.country", "\"CN\"" },
	{ NULL, NULL }
};

static void
test_ch10(void **state)
{
	struct ch h;

	(void)state;
	ch_init(&h);
	add_doc(&h, B(K_FAR), far_doc);
	add_rel(&h, B(K_FAR), far_mfr);
	add_dis(&h, 0, 0, far_mfr);
	assert_int_equal(verify(&h), ATTEST_ERR_VERIFY);
	assert_prefix(attest_chain_error(h.c), "CH-10: ", "chain");
	assert_string_equal(attest_chain_manufacturer_operator(h.c), "far");
	assert_string_equal(attest_chain_manufacturer_country(h.c), "CN");
	expect_line(&h, 0, NULL);
	expect_line(&h, 1, NULL);
	/* the record itself says so too (DIS-2), or the missing link does */
	expect_line(&h, 2, "CH-");

	/* the first failure of the bundle as a whole is the one kept */
	{
		const char *art[] = { HEX64("c") };

		ch_join(&h, 1);
		assert_int_equal(verify_buf(&h, pol, NOW, art, 1),
		    ATTEST_ERR_VERIFY);
		assert_prefix(attest_chain_error(h.c), "CH-10: ", "chain");
	}
	ch_free(&h);

	/* with the importer record it holds */
	ch_init(&h);
	add_doc(&h, B(K_FAR), far_doc);
	add_rel(&h, B(K_FAR), far_mfr);
	add_imp(&h, 0, far_mfr);
	add_dis(&h, 0, 0, far_mfr);
	assert_int_equal(verify(&h), ATTEST_OK);
	ch_free(&h);

	/* no distributor, no importer needed yet */
	ch_init(&h);
	add_doc(&h, B(K_FAR), far_doc);
	add_rel(&h, B(K_FAR), far_mfr);
	assert_int_equal(verify(&h), ATTEST_OK);
	ch_free(&h);
}

/* CH-11: the importer keeps the DoC past the support end ------------------- */

static void
test_ch11(void **state)
{
	struct ch h;

	(void)state;
	ch_init(&h);
	std_chain(&h, 1);
	add_rel(&h, 0, OV({ "support_period.end", "\"2040-01\"" },
	    { "retention_until", "\"2040-01-31\"" }));
	add_imp(&h, 0, OV({ "checks.support_end_13_19.end_seen",
	    "\"2040-01\"" }));
	expect_only(&h, 2, "CH-11: ");
	ch_free(&h);

	/* the support end is a month: its last day counts */
	ch_init(&h);
	std_chain(&h, 1);
	add_rel(&h, 0, OV({ "support_period.end", "\"2040-01\"" },
	    { "retention_until", "\"2040-01-31\"" }));
	add_imp(&h, 0, OV({ "checks.support_end_13_19.end_seen",
	    "\"2040-01\"" }, { "doc_retention_until", "\"2040-01-30\"" }));
	expect_only(&h, 2, "CH-11: ");
	ch_free(&h);

	/* to the last day of the support end month is enough */
	ch_init(&h);
	std_chain(&h, 1);
	add_rel(&h, 0, OV({ "support_period.end", "\"2040-01\"" },
	    { "retention_until", "\"2040-01-31\"" }));
	add_imp(&h, 0, OV({ "checks.support_end_13_19.end_seen",
	    "\"2040-01\"" }, { "doc_retention_until", "\"2040-01-31\"" }));
	assert_int_equal(verify(&h), ATTEST_OK);
	ch_free(&h);
}

/* CH-12: each artifact a subject of the release ---------------------------- */

static void
test_ch12(void **state)
{
	const char *art[] = { ART_A, HEX64("c") };
	struct ch h;

	(void)state;
	ch_init(&h);
	std_chain(&h, 5);
	ch_join(&h, 1);
	assert_int_equal(verify_buf(&h, pol, NOW, art, 1), ATTEST_OK);
	assert_int_equal(verify_buf(&h, pol, NOW, art, 2), ATTEST_ERR_VERIFY);
	assert_prefix(attest_chain_error(h.c), "CH-12: ", "chain");
	assert_prefix(attest_diag_get_reason(h.d), "CH-12: ", "diag");
	assert_has(attest_chain_error(h.c), HEX64("c"), "chain");
	ch_free(&h);

	/* a release that failed CH-1 leaves no subject to find */
	ch_init(&h);
	std_chain(&h, 1);
	add_rel(&h, B(K_STRANGER), NULL);
	ch_join(&h, 1);
	assert_int_equal(verify_buf(&h, pol, NOW, art, 1), ATTEST_ERR_VERIFY);
	expect_line(&h, 1, "CH-1: ");
	/* the line goes to diag first */
	assert_prefix(attest_diag_get_reason(h.d), "line 2: CH-1: ", "diag");
	ch_free(&h);
}

/* Warnings: REL-13 and X-3, the records' own ------------------------------- */

static void
test_warnings(void **state)
{
	struct ch h;

	(void)state;
	/*
	 * Ten years on: the support period has ended (REL-13), and the
	 * retailer signs after its own retention date; warnings only.
	 */
	ch_init(&h);
	std_chain(&h, 4);
	add_dis(&h, 1, 0, OV({ "signatory.date_of_issue", "\"2038-03-01\"" }));
	ch_join(&h, 1);
	assert_int_equal(verify_buf(&h, pol, "2038-03-01", NULL, 0),
	    ATTEST_OK);
	assert_non_null(warning_with(h.c, 1, "REL-13"));
	assert_prefix(warning_with(h.c, 4, "X-3"), "X-3: ", "line 5");
	assert_null(warning_with(h.c, 3, "X-3"));
	ch_free(&h);
}

/*
 * A record with more warnings than a report keeps: a DoC for 25 markets
 * (and 15 of them again) none of whose official languages it is in
 * (DOC-9, a warning each).  The report keeps the first 32.
 */
static void
test_many_warnings(void **state)
{
	static const char *const cc[] = { "AT", "BE", "BG", "CY", "CZ", "DE",
	    "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IT", "LT", "LU",
	    "LV", "NL", "PL", "PT", "RO", "SE", "SI", "SK" };
	char markets[512] = "[";
	struct ch h;
	size_t i, n;

	(void)state;
	for (i = 0; i < 40; i++)
		(void)snprintf(markets + strlen(markets), sizeof(markets) -
		    strlen(markets), "%s\"%s\"", i > 0 ? ", " : "",
		    cc[i % 25]);
	(void)snprintf(markets + strlen(markets), sizeof(markets) -
	    strlen(markets), "]");
	ch_init(&h);
	add_doc(&h, 0, OV({ "markets", markets }));
	add_rel(&h, 0, NULL);
	(void)verify(&h);
	n = attest_chain_link_warning_count(h.c, 0);
	if (getenv("CHAIN_VERBOSE") != NULL)
		print_message("DoC: %zu warnings kept\n", n);
	assert_true(n >= 25 && n <= 32);
	for (i = 0; i < n; i++)
		assert_has(attest_chain_link_warning(h.c, 0, i), "DOC-9",
		    "warning");
	assert_null(attest_chain_link_warning(h.c, 0, n));
	ch_free(&h);
}

/* Limits ------------------------------------------------------------------- */

static void
test_limits(void **state)
{
	attest_chain_options_t o = { NOW, NULL, 0 };
	attest_chain_t *c = NULL;
	unsigned char *buf;
	size_t i, n = ATTEST_CHAIN_MAX_LINES;

	(void)state;
	/* 64 lines are read, each on its own */
	assert_non_null(buf = malloc(2 * (n + 1)));
	for (i = 0; i < n + 1; i++) {
		buf[2 * i] = 'x';
		buf[2 * i + 1] = '\n';
	}
	assert_int_equal(attest_chain_verify(pol, buf, 2 * n, &o, &c, NULL),
	    ATTEST_ERR_VERIFY);
	assert_int_equal(attest_chain_link_count(c), n);
	assert_null(attest_chain_error(c));
	assert_prefix(attest_chain_link_error(c, n - 1), "CH-1: ", "line 64");
	attest_chain_free(&c);
	/* 65 lines: the bundle is refused whole, no line read */
	assert_int_equal(attest_chain_verify(pol, buf, 2 * (n + 1), &o, &c,
	    NULL), ATTEST_ERR_VERIFY);
	assert_int_equal(attest_chain_link_count(c), 0);
	assert_has(attest_chain_error(c), "64", "chain");
	attest_chain_free(&c);
	/* the 65th without its LF counts */
	assert_int_equal(attest_chain_verify(pol, buf, 2 * n + 1, &o, &c,
	    NULL), ATTEST_ERR_VERIFY);
	assert_int_equal(attest_chain_link_count(c), 0);
	assert_non_null(attest_chain_error(c));
	attest_chain_free(&c);
	free(buf);

	/* larger than an envelope may be */
	assert_non_null(buf = calloc(1, ATTEST_MAX_ENVELOPE_BYTES + 1));
	assert_int_equal(attest_chain_verify(pol, buf,
	    ATTEST_MAX_ENVELOPE_BYTES + 1, &o, &c, NULL), ATTEST_ERR_VERIFY);
	assert_int_equal(attest_chain_link_count(c), 0);
	assert_non_null(attest_chain_error(c));
	attest_chain_free(&c);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holds),
		cmocka_unit_test(test_holds_short),
		cmocka_unit_test(test_holds_sdoc),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_ch1),
		cmocka_unit_test(test_ch1_white_space),
		cmocka_unit_test(test_ch2),
		cmocka_unit_test(test_ch3_empty),
		cmocka_unit_test(test_ch3),
		cmocka_unit_test(test_ch4),
		cmocka_unit_test(test_ch5_role),
		cmocka_unit_test(test_ch5),
		cmocka_unit_test(test_ch6_release),
		cmocka_unit_test(test_ch6),
		cmocka_unit_test(test_ch6_later),
		cmocka_unit_test(test_ch7),
		cmocka_unit_test(test_ch8),
		cmocka_unit_test(test_ch8_not_in_policy),
		cmocka_unit_test(test_ch9),
		cmocka_unit_test(test_ch10),
		cmocka_unit_test(test_ch11),
		cmocka_unit_test(test_ch12),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_many_warnings),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
