/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz past the signature check (issue 14 §3): the input is a bundle of
 * Statements, signed here by keys that the harness's own trust policy
 * trusts, so that what is fuzzed is what a verifier does with records a
 * trusted key signed: the policy's authorisation of each record, the CRA
 * rules of every kind, the chain's cross-checks and the renderers.
 *
 * Input: byte 0 is flags, the rest JSON Lines, one Statement (the DSSE
 * payload bytes, signed as they are) per line; an empty line stays an
 * empty line of the bundle.
 *   bits 0-4  which of the five keys sign each line (0: all five);
 *   bit 5     the chain demands the artifact fw.bin of keys-example;
 *   bit 6     a release is checked with the SBOM of keys-example;
 *   bit 7     the policy's second manufacturer has the legal name of the
 *             first (another country): an operator is its legal name and
 *             country (issue 14 §1), and a simplified DoC, which names
 *             no country, then has no key that may sign it.
 *
 * The keys are Ed25519, from fixed seeds; the policy, built here, has
 * the operators of keys-example/policy.json (so that the payloads of
 * keys-example/mkchain.sh's chain, re-signed here, make a chain that
 * holds) and a second manufacturer.  Each line: envelope verified against the policy's keys,
 * attest_policy_authorize_record(), attest_cra_check() (with the first
 * DoC of the bundle as the DoC of an sdoc or release), and, for a DoC,
 * sdoc or release the policy accepts, attest_cra_render() as text and
 * HTML with the authorising signatures.  Then attest_chain_verify() of
 * the whole bundle.
 *
 * Invariants: a line signed by trusted keys verifies, with as many keys
 * as signed it; an accepted verdict reached its threshold; the findings'
 * invariants (fuzz.h); a rendering never carries "<script" in HTML; the
 * chain report agrees with the return value, and a chain that holds has
 * every one of its records accepted by the policy on its own.
 *
 * FUZZ_VERBOSE=1 in the environment prints, for each input, each line's
 * verdict and the chain's (to see how far seeds reach).
 */
#include <jansson.h>
#include <sodium.h>

#include "fuzz.h"

#define NOW		"2028-03-01"
#define NKEYS		5
#define MAX_LINES	(ATTEST_CHAIN_MAX_LINES + 1)

/* the operators, and which key (by index) each one holds */
static const struct {
	const char	*id, *legal_name, *country, *role;
	int		 scoped;	/* key may speak for example-devices only */
} ops[NKEYS] = {
	{ "example-devices", "Example Devices GmbH", "DE", "manufacturer", 0 },
	{ "example-import", "Example Import SARL", "FR", "importer", 1 },
	{ "example-wholesale", "Example Wholesale BV", "NL", "distributor", 0 },
	{ "example-retail", "Example Retail Oy", "FI", "distributor", 0 },
	/* another manufacturer; with flag bit 7, of the first's legal name */
	{ "other-devices", "Other Devices AG", "AT", "manufacturer", 0 },
};

static attest_signer_t *signers[NKEYS];
static attest_policy_t *policies[2], *policy;
static unsigned char *sbom;
static size_t sbom_len;
static int verbose;

/* SHA-256 of mkchain.sh's fw.bin */
static const char *const artifacts[] = {
	"fc1a291d913fed46f9d188ff9f6e8f3658434573201bf060e71e44e928da9019",
};

/* The bundle being built. */
struct fbuf {
	unsigned char	*ptr;
	size_t		 len, cap;
};

static void
fbuf_add(struct fbuf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		FUZZ_ASSERT((b->ptr = realloc(b->ptr, b->cap)) != NULL);
	}
	memcpy(b->ptr + b->len, p, n);
	b->len += n;
}

/* Key i: Ed25519 from a fixed seed, through its PKCS#8 PEM. */
static attest_signer_t *
fixed_signer(int i, char **pub_pem)
{
	/* PKCS#8 PrivateKeyInfo of an Ed25519 seed (RFC 8410) */
	static const unsigned char pfx[16] = { 0x30, 0x2e, 0x02, 0x01, 0x00,
	    0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20 };
	unsigned char der[48], *pem = NULL;
	char b64[sizeof(der) * 2], text[200];
	attest_key_t *k = NULL;
	attest_signer_t *s = NULL;
	attest_diag_t *diag;
	size_t len = 0;
	int n;

	memcpy(der, pfx, sizeof(pfx));
	memset(der + sizeof(pfx), 0x5a, 32);
	der[sizeof(der) - 1] = (unsigned char)i;
	sodium_bin2base64(b64, sizeof(b64), der, sizeof(der),
	    sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(text, sizeof(text), "-----BEGIN PRIVATE KEY-----\n%s\n"
	    "-----END PRIVATE KEY-----\n", b64);
	FUZZ_ASSERT(n > 0 && (size_t)n < sizeof(text));
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	if (attest_key_import_pem(&k, (const unsigned char *)text, (size_t)n,
	    NULL, NULL, diag) != ATTEST_OK) {
		fprintf(stderr, "fuzz: key %d: %s\n", i,
		    attest_diag_get_message(diag));
		abort();
	}
	FUZZ_ASSERT(attest_pubkey_pem_alloc(attest_key_pubkey(k), &pem,
	    &len) == ATTEST_OK);
	FUZZ_ASSERT((*pub_pem = strndup((const char *)pem, len)) != NULL);
	attest_freezero(pem, len);
	FUZZ_ASSERT(attest_signer_from_key(&s, &k) == ATTEST_OK);
	attest_diag_free(&diag);
	return s;
}

/*
 * The trust policy: the operators above, key i held by operator i; with
 * same_name, the last operator has the first one's legal name.
 */
static attest_policy_t *
make_policy(char *pub_pem[NKEYS], int same_name)
{
	attest_policy_t *p = NULL;
	json_t *root, *opa, *keys, *op, *key;
	attest_diag_t *diag;
	char *text;
	int i;

	FUZZ_ASSERT((opa = json_array()) != NULL &&
	    (keys = json_array()) != NULL);
	for (i = 0; i < NKEYS; i++) {
		FUZZ_ASSERT((op = json_pack("{s:s, s:s, s:s, s:{s:{s:i}}}",
		    "id", ops[i].id, "legal_name", same_name &&
		    i == NKEYS - 1 ? ops[0].legal_name : ops[i].legal_name,
		    "country", ops[i].country, "roles", ops[i].role,
		    "threshold", 1)) != NULL);
		FUZZ_ASSERT(json_array_append_new(opa, op) == 0);
		FUZZ_ASSERT((key = json_pack("{s:s, s:[s], s:s, s:s, s:s, s:s}",
		    "operator", ops[i].id, "roles", ops[i].role,
		    "algorithm", "ed25519", "public_key", pub_pem[i],
		    "valid_from", "2026-01-01", "valid_until",
		    "2036-12-31")) != NULL);
		if (ops[i].scoped)
			FUZZ_ASSERT(json_object_set_new(key, "manufacturers",
			    json_pack("[s]", ops[0].id)) == 0);
		FUZZ_ASSERT(json_array_append_new(keys, key) == 0);
	}
	FUZZ_ASSERT((root = json_pack("{s:i, s:s, s:o, s:o, s:{s:i}}",
	    "policy_version", 1, "name", "fuzz_signed (fixed keys)",
	    "operators", opa, "keys", keys, "demands",
	    "min_support_months", 60)) != NULL);
	FUZZ_ASSERT((text = json_dumps(root, JSON_COMPACT)) != NULL);
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	if (attest_policy_parse(&p, (const unsigned char *)text,
	    strlen(text), diag) != ATTEST_OK) {
		fprintf(stderr, "fuzz: the harness policy: %s\n",
		    attest_diag_get_message(diag));
		abort();
	}
	attest_diag_free(&diag);
	free(text);
	json_decref(root);
	return p;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *pub_pem[NKEYS];
	int i;

	(void)argc;
	(void)argv;
	fuzz_init();
	for (i = 0; i < NKEYS; i++)
		signers[i] = fixed_signer(i, &pub_pem[i]);
	policies[0] = make_policy(pub_pem, 0);
	policies[1] = make_policy(pub_pem, 1);
	for (i = 0; i < NKEYS; i++)
		free(pub_pem[i]);
	sbom = fuzz_slurp(FUZZ_DIR "/../../keys-example/cra/sbom.cdx.json",
	    &sbom_len);
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	return 0;
}

/* One line of the bundle: signed, verified, authorised, checked. */
struct line {
	const unsigned char	*ptr;	/* the payload (in the input) */
	size_t			 len;
	attest_cra_kind_t	 kind;
	int			 accepted;	/* by the policy, on its own */
};

/* Render a record the policy accepted, with its authorising keys. */
static void
render(const struct line *l, const attest_verified_t *v,
    const attest_policy_verdict_t *vd)
{
	attest_cra_sigkey_t k[NKEYS];
	attest_cra_sigfacts_t sf;
	attest_diag_t *diag;
	unsigned char *out = NULL;
	size_t i, n = attest_policy_verdict_key_count(vd), a = 0, b = n;
	int fmt;
	attest_err_t r;

	FUZZ_ASSERT(n <= NKEYS);
	for (i = 0; i < n; i++) {
		attest_cra_sigkey_t one = { attest_policy_verdict_keyid(vd, i),
		    attest_alg_name(attest_pubkey_alg(attest_verified_key(v,
		    i))) };

		FUZZ_ASSERT(one.keyid != NULL && one.algorithm != NULL);
		if (attest_policy_verdict_refusal(vd, i) == NULL)
			k[a++] = one;
		else
			k[--b] = one;
	}
	FUZZ_ASSERT(a >= 1);
	memset(&sf, 0, sizeof(sf));
	sf.keyid = k[0].keyid;
	sf.algorithm = k[0].algorithm;
	sf.envelope_sha256 =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	sf.envelope_name = "fuzz.intoto.jsonl";
	sf.pubkey_name = "the fuzz policy";
	sf.policy_operator = attest_policy_verdict_operator(vd);
	sf.signers = k;
	sf.nsigners = a;
	sf.others = k + a;
	sf.nothers = n - a;
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	for (fmt = ATTEST_CRA_TEXT; fmt <= ATTEST_CRA_HTML; fmt++) {
		n = 0;
		r = attest_cra_render(l->ptr, l->len, &sf, fmt, &out, &n, diag);
		if (r != ATTEST_OK) {
			/* an accepted DoC, sdoc or release is one to render */
			FUZZ_ASSERT(out == NULL && r != ATTEST_ERR_UNSUPPORTED);
			break;
		}
		FUZZ_ASSERT(out != NULL);
		if (fmt == ATTEST_CRA_HTML)
			FUZZ_ASSERT(!fuzz_has(out, n, "<script"));
		attest_freezero(out, n);
		out = NULL;
	}
	attest_diag_free(&diag);
}

/* The CRA rules on the line's predicate, alone or with the DoC. */
static void
check(const struct line *l, const attest_stmt_t *s, const struct line *doc,
    int with_sbom)
{
	attest_cra_context_t ctx;
	attest_cra_findings_t *f = NULL;
	attest_diag_t *diag;
	unsigned char *pred = NULL;
	size_t plen = 0;
	attest_err_t r;

	if (attest_stmt_predicate_alloc(s, &pred, &plen) != ATTEST_OK)
		return;
	memset(&ctx, 0, sizeof(ctx));
	ctx.now = NOW;
	if (doc != NULL && (l->kind == ATTEST_CRA_SDOC ||
	    l->kind == ATTEST_CRA_RELEASE)) {
		ctx.doc_statement = doc->ptr;
		ctx.doc_statement_len = doc->len;
	}
	if (with_sbom && l->kind == ATTEST_CRA_RELEASE) {
		ctx.sbom = sbom;
		ctx.sbom_len = sbom_len;
	}
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	r = attest_cra_check(l->kind, pred, plen, &ctx, &f, diag);
	fuzz_cra_findings_ok(r, f);
	if (verbose)
		fprintf(stderr, "  %s: CRA rules: %s, %zu errors\n",
		    attest_cra_kind_name(l->kind), attest_strerror(r),
		    attest_cra_findings_errors(f));
	attest_cra_findings_free(&f);
	attest_diag_free(&diag);
	attest_freezero(pred, plen);
}

/*
 * Sign line l with the keys of mask, append the envelope to the bundle,
 * and verify, authorise, check and render it.
 */
static void
one_line(struct line *l, unsigned int mask, const struct line *doc,
    int with_sbom, struct fbuf *bundle)
{
	attest_envelope_t *e;
	attest_verified_t *v = NULL;
	attest_policy_verdict_t *vd = NULL;
	attest_stmt_t *s = NULL;
	attest_diag_t *diag;
	unsigned char *text = NULL;
	size_t len = 0, nsig = 0, i;
	attest_err_t r;
	int k;

	FUZZ_ASSERT((e = attest_envelope_new()) != NULL);
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	FUZZ_ASSERT(attest_envelope_set_payload(e, ATTEST_PAYLOAD_TYPE_INTOTO,
	    l->ptr, l->len) == ATTEST_OK);
	for (k = 0; k < NKEYS; k++)
		if (mask & (1U << k)) {
			FUZZ_ASSERT(attest_envelope_sign(e, signers[k], diag) ==
			    ATTEST_OK);
			nsig++;
		}
	FUZZ_ASSERT(attest_envelope_serialize_alloc(e, &text, &len) ==
	    ATTEST_OK);
	fbuf_add(bundle, text, len);
	attest_freezero(text, len);

	/* signed by trusted keys: it verifies, with every key that signed */
	r = attest_envelope_verify(e, attest_policy_keyset(policy), 1, &v,
	    diag);
	FUZZ_ASSERT(r == ATTEST_OK);
	FUZZ_ASSERT(attest_verified_key_count(v) == nsig);

	r = attest_policy_authorize_record(policy, v, NOW, &vd, diag);
	FUZZ_ASSERT(r == ATTEST_OK || r == ATTEST_ERR_POLICY ||
	    r == ATTEST_ERR_PARSE || r == ATTEST_ERR_UNSUPPORTED ||
	    r == ATTEST_ERR_TOO_LARGE);
	FUZZ_ASSERT(r == ATTEST_OK || attest_diag_get_reason(diag) != NULL);
	if (vd != NULL) {
		FUZZ_ASSERT(attest_policy_verdict_key_count(vd) == nsig);
		for (i = 0; i < nsig; i++)
			FUZZ_ASSERT(attest_policy_verdict_keyid(vd, i) != NULL);
	}
	if (verbose)
		fprintf(stderr, "line of %zu bytes, %zu signatures: policy: "
		    "%s%s%s\n", l->len, nsig, attest_strerror(r),
		    r != ATTEST_OK ? ": " : "", r != ATTEST_OK ?
		    attest_diag_get_message(diag) : "");
	if (r == ATTEST_OK) {
		FUZZ_ASSERT(vd != NULL);
		FUZZ_ASSERT(attest_policy_verdict_operator(vd) != NULL);
		FUZZ_ASSERT(attest_policy_verdict_threshold(vd) >= 1);
		FUZZ_ASSERT(attest_policy_verdict_accepted(vd) >=
		    attest_policy_verdict_threshold(vd));
		l->accepted = 1;
	}

	attest_diag_clear(diag);
	if (attest_stmt_parse(&s, l->ptr, l->len, diag) == ATTEST_OK) {
		l->kind = attest_cra_kind_from_type(
		    attest_stmt_predicate_type(s));
		if (l->kind != ATTEST_CRA_NONE)
			check(l, s, doc, with_sbom);
	}
	if (l->accepted && (l->kind == ATTEST_CRA_DOC ||
	    l->kind == ATTEST_CRA_SDOC || l->kind == ATTEST_CRA_RELEASE))
		render(l, v, vd);
	attest_stmt_free(&s);
	attest_policy_verdict_free(&vd);
	attest_verified_free(&v);
	attest_envelope_free(&e);
	attest_diag_free(&diag);
}

/* The chain of the whole bundle; the report agrees with the lines. */
static void
chain(const struct fbuf *bundle, const struct line *lines,
    size_t nlines, int demand)
{
	attest_chain_options_t o;
	attest_chain_t *c = NULL;
	attest_diag_t *diag;
	size_t i;
	attest_err_t r;

	memset(&o, 0, sizeof(o));
	o.now = NOW;
	if (demand) {
		o.artifacts = artifacts;
		o.nartifacts = 1;
	}
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	r = attest_chain_verify(policy, bundle->ptr, bundle->len, &o, &c,
	    diag);
	fuzz_chain_report_ok(policy, r, c);
	if (verbose)
		fprintf(stderr, "chain: %s%s%s\n", attest_strerror(r),
		    r != ATTEST_OK ? ": " : "", r != ATTEST_OK &&
		    attest_diag_get_message(diag) != NULL ?
		    attest_diag_get_message(diag) : "");
	if (r == ATTEST_OK) {
		/* a chain holds only when each record holds on its own */
		FUZZ_ASSERT(attest_chain_link_count(c) == nlines);
		for (i = 0; i < nlines; i++)
			FUZZ_ASSERT(lines[i].accepted);
	}
	attest_chain_free(&c);
	attest_diag_free(&diag);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct line lines[MAX_LINES];
	struct fbuf bundle = { NULL, 0, 0 };
	const unsigned char *p, *end, *nl;
	const struct line *doc = NULL;
	unsigned int mask;
	size_t n = 0;

	if (size < 1)
		return 0;
	policy = policies[(data[0] & 0x80) != 0];
	mask = data[0] & 0x1f;
	if (mask == 0)
		mask = 0x1f;
	memset(lines, 0, sizeof(lines));
	for (p = data + 1, end = data + size; p < end && n < MAX_LINES;
	    p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p) {
			fbuf_add(&bundle, (const unsigned char *)"\n", 1);
			continue;	/* an empty line of the bundle */
		}
		lines[n].ptr = p;
		lines[n].len = (size_t)(nl - p);
		one_line(&lines[n], mask, doc, data[0] & 0x40, &bundle);
		fbuf_add(&bundle, (const unsigned char *)"\n", 1);
		if (doc == NULL && lines[n].kind == ATTEST_CRA_DOC)
			doc = &lines[n];
		n++;
	}
	chain(&bundle, lines, n, data[0] & 0x20);
	free(bundle.ptr);
	return 0;
}
