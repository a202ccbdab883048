/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trust policy (specs/policy.md): parsing, every refusal with its field,
 * the authorisation of verified envelopes by operator, role, dates,
 * scope and threshold, and key lifecycle events (rotations and
 * revocations, §5), built with the library's own signing API.
 */
#include "testutil.h"

static const char ptype[] = "application/vnd.in-toto+json";
static const char payload[] = "{\"_type\":\"https://in-toto.io/Statement/"
    "v1\",\"subject\":[]}";

/*
 * Keys: M1, M2 (manufacturer "acme", threshold 2), I (importer
 * "impo", may speak for acme only), D (distributor "dist", products
 * EXN-2 only, valid 2028-01-01 to 2029-12-31, revoked 2029-06-01T12:00Z),
 * F (a fido-es256 key of "dist", given as plain PEM with its rp_id).
 * N1, N2 (new keys for rotations) and X (an unrelated key) are not in
 * the base policy.
 */
enum { M1, M2, I, D, F, NPOL, N1 = NPOL, N2, X, NK };

static attest_signer_t *signers[NK];

static char *
pem_of(int i)
{
	unsigned char *pem = NULL;
	size_t len = 0;
	char *s;

	assert_int_equal(attest_pubkey_pem_alloc(attest_signer_pubkey(
	    signers[i]), &pem, &len), ATTEST_OK);
	assert_non_null(s = strndup((const char *)pem, len));
	free(pem);
	return s;
}

static json_t *
key_entry(int i, const char *op, const char *role, const char *alg)
{
	char *pem = pem_of(i);
	json_t *j = json_pack("{s:s, s:[s], s:s, s:s, s:s}", "operator", op,
	    "roles", role, "algorithm", alg, "public_key", pem, "valid_from",
	    "2027-01-01");

	free(pem);
	assert_non_null(j);
	return j;
}

/* The base policy; each test mutates a fresh copy. */
static json_t *
base_policy(void)
{
	json_t *p, *ks, *d;

	p = json_pack("{s:i, s:s, s:[{s:s, s:s, s:s, s:{s:{s:i}}},"
	    "{s:s, s:s, s:s, s:{s:{}}}, {s:s, s:s, s:s, s:{s:{}}}],"
	    "s:[], s:{s:i}}",
	    "policy_version", 1, "name", "test policy",
	    "operators",
	    "id", "acme", "legal_name", "ACME Devices GmbH", "country", "DE",
	    "roles", "manufacturer", "threshold", 2,
	    "id", "impo", "legal_name", "Impo SARL", "country", "FR",
	    "roles", "importer",
	    "id", "dist", "legal_name", "Dist BV", "country", "NL",
	    "roles", "distributor",
	    "keys", "demands", "min_support_months", 60);
	assert_non_null(p);
	ks = json_object_get(p, "keys");
	json_array_append_new(ks, key_entry(M1, "acme", "manufacturer",
	    "ed25519"));
	json_array_append_new(ks, key_entry(M2, "acme", "manufacturer",
	    "ecdsa-p256-sha256"));
	json_array_append_new(ks, key_entry(I, "impo", "importer",
	    "ed25519"));
	json_object_set_new(json_array_get(ks, 2), "manufacturers",
	    json_pack("[s]", "acme"));
	d = key_entry(D, "dist", "distributor", "ed25519");
	json_object_set_new(d, "valid_from", json_string("2028-01-01"));
	json_object_set_new(d, "valid_until", json_string("2029-12-31"));
	json_object_set_new(d, "revoked_at",
	    json_string("2029-06-01T12:00:00Z"));
	json_object_set_new(d, "products", json_pack("[s]", "EXN-2"));
	json_array_append_new(ks, d);
	d = key_entry(F, "dist", "distributor", "fido-es256");
	json_object_set_new(d, "rp_id", json_string("attest:"));
	json_array_append_new(ks, d);
	return p;
}

static attest_err_t
parse_json(const json_t *j, attest_policy_t **p, attest_diag_t *d)
{
	char *s = json_dumps(j, JSON_COMPACT);
	attest_err_t r;

	assert_non_null(s);
	r = attest_policy_parse(p, (unsigned char *)s, strlen(s), d);
	free(s);
	return r;
}

static int
group_setup(void **state)
{
	static const attest_alg_t algs[NK] = { ATTEST_ALG_ED25519,
	    ATTEST_ALG_ECDSA_P256_SHA256, ATTEST_ALG_ED25519,
	    ATTEST_ALG_ED25519, ATTEST_ALG_ECDSA_P256_SHA256,
	    ATTEST_ALG_ED25519, ATTEST_ALG_ECDSA_P256_SHA256,
	    ATTEST_ALG_ED25519 };
	attest_key_t *k = NULL;
	int i;

	if (tu_setup(state) != 0)
		return -1;
	for (i = 0; i < NK; i++) {
		assert_int_equal(attest_key_generate(&k, algs[i]), ATTEST_OK);
		assert_int_equal(attest_signer_from_key(&signers[i], &k),
		    ATTEST_OK);
	}
	return 0;
}

static int
group_teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < NK; i++)
		attest_signer_free(&signers[i]);
	return 0;
}

static void
test_parse_ok(void **state)
{
	json_t *j = base_policy();
	attest_policy_t *p = NULL;
	attest_diag_t *d = attest_diag_new();
	const attest_keyset_t *ks;
	const attest_pubkey_t *fk;

	(void)state;
	if (parse_json(j, &p, d) != ATTEST_OK)
		fail_msg("%s", attest_diag_get_message(d));
	assert_string_equal(attest_policy_name(p), "test policy");
	assert_int_equal(attest_policy_min_support_months(p), 60);
	ks = attest_policy_keyset(p);
	assert_int_equal(attest_keyset_count(ks), NPOL);
	/* the algorithm is the policy's: the plain P-256 PEM became FIDO */
	fk = attest_keyset_get(ks, F);
	assert_int_equal(attest_pubkey_alg(fk), ATTEST_ALG_FIDO_ES256);
	assert_string_equal(attest_pubkey_fido_rp_id(fk), "attest:");
	assert_int_equal(attest_pubkey_alg(attest_keyset_get(ks, M2)),
	    ATTEST_ALG_ECDSA_P256_SHA256);
	assert_int_equal(attest_role_from_name("importer"),
	    ATTEST_ROLE_IMPORTER);
	assert_string_equal(attest_role_name(ATTEST_ROLE_DISTRIBUTOR),
	    "distributor");
	assert_null(attest_role_name((attest_role_t)9));
	attest_policy_free(&p);
	assert_null(p);
	attest_diag_free(&d);
	json_decref(j);
}

/* One mutation of the base policy and the refusal it must get. */
struct neg {
	const char	*what;
	void		(*mutate)(json_t *p);
	attest_err_t	 err;
	const char	*field;
};

#define KEY(p, i)	json_array_get(json_object_get((p), "keys"), (i))
#define OP(p, i)	json_array_get(json_object_get((p), "operators"), (i))

static void m_version(json_t *p) { json_object_set_new(p, "policy_version",
    json_integer(2)); }
static void m_noversion(json_t *p) { json_object_del(p, "policy_version"); }
static void m_unknown(json_t *p) { json_object_set_new(p, "trust_all",
    json_true()); }
static void m_noops(json_t *p) { json_array_clear(json_object_get(p,
    "operators")); }
static void m_nokeys(json_t *p) { json_array_clear(json_object_get(p,
    "keys")); }
static void m_dupop(json_t *p) { json_object_set_new(OP(p, 1), "id",
    json_string("acme")); }
static void m_dupname(json_t *p) { json_object_set_new(OP(p, 1),
    "legal_name", json_string("ACME Devices GmbH"));
    json_object_set_new(OP(p, 1), "country", json_string("DE")); }
static void m_badid(json_t *p) { json_object_set_new(OP(p, 1), "id",
    json_string("Impo SARL")); }
static void m_country(json_t *p) { json_object_set_new(OP(p, 0), "country",
    json_string("XX")); }
static void m_oprole(json_t *p) { json_object_set_new(json_object_get(
    OP(p, 1), "roles"), "retailer", json_object()); }
static void m_thr0(json_t *p) { json_object_set_new(json_object_get(
    json_object_get(OP(p, 0), "roles"), "manufacturer"), "threshold",
    json_integer(0)); }
static void m_thrhigh(json_t *p) { json_object_set_new(json_object_get(
    json_object_get(OP(p, 0), "roles"), "manufacturer"), "threshold",
    json_integer(3)); }
static void m_thrstr(json_t *p) { json_object_set_new(json_object_get(
    json_object_get(OP(p, 0), "roles"), "manufacturer"), "threshold",
    json_string("2")); }
static void m_noname(json_t *p) { json_object_set_new(OP(p, 0),
    "legal_name", json_string("  ")); }
static void m_keyop(json_t *p) { json_object_set_new(KEY(p, 2), "operator",
    json_string("nobody")); }
static void m_keyrole(json_t *p) { json_array_append_new(json_object_get(
    KEY(p, 2), "roles"), json_string("wholesaler")); }
static void m_keyrole_nothold(json_t *p) { json_array_append_new(
    json_object_get(KEY(p, 2), "roles"), json_string("manufacturer")); }
static void m_keyrole_twice(json_t *p) { json_array_append_new(
    json_object_get(KEY(p, 2), "roles"), json_string("importer")); }
static void m_dupkey(json_t *p) { json_object_set(KEY(p, 2), "public_key",
    json_object_get(KEY(p, 0), "public_key")); }
static void m_alg(json_t *p) { json_object_set_new(KEY(p, 1), "algorithm",
    json_string("ed25519")); }
static void m_alg_unknown(json_t *p) { json_object_set_new(KEY(p, 1),
    "algorithm", json_string("ecdsa-p256-sha1")); }
static void m_alg_rsa(json_t *p) { json_object_set_new(KEY(p, 0),
    "algorithm", json_string("rsa-pss-sha256")); }
static void m_keyid(json_t *p) { json_object_set_new(KEY(p, 0), "keyid",
    json_string("00000000000000000000000000000000000000000000000000000000"
    "00000000")); }
static void m_pem(json_t *p) { json_object_set_new(KEY(p, 0), "public_key",
    json_string("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC "
    "KEY-----\n")); }
static void m_from(json_t *p) { json_object_set_new(KEY(p, 0),
    "valid_from", json_string("2027-02-30")); }
static void m_nofrom(json_t *p) { json_object_del(KEY(p, 0),
    "valid_from"); }
static void m_localtime(json_t *p) { json_object_set_new(KEY(p, 0),
    "valid_from", json_string("2027-01-01T10:00:00+01:00")); }
static void m_until(json_t *p) { json_object_set_new(KEY(p, 3),
    "valid_until", json_string("2027-12-31")); }
static void m_revoked(json_t *p) { json_object_set_new(KEY(p, 3),
    "revoked_at", json_string("yesterday")); }
static void m_uv_plain(json_t *p) { json_object_set_new(KEY(p, 0),
    "require_uv", json_true()); }
static void m_uv_type(json_t *p) { json_object_set_new(KEY(p, 4),
    "require_uv", json_string("yes")); }
static void m_mfr_own(json_t *p) { json_object_set_new(KEY(p, 0),
    "manufacturers", json_pack("[s]", "acme")); }
static void m_mfr_unknown(json_t *p) { json_object_set_new(KEY(p, 2),
    "manufacturers", json_pack("[s]", "impo")); }
static void m_mfr_empty(json_t *p) { json_object_set_new(KEY(p, 2),
    "manufacturers", json_array()); }
static void m_products_empty(json_t *p) { json_object_set_new(KEY(p, 3),
    "products", json_array()); }
static void m_products_num(json_t *p) { json_object_set_new(KEY(p, 3),
    "products", json_pack("[i]", 2)); }
static void m_fido_norp(json_t *p) { json_object_del(KEY(p, 4), "rp_id"); }
static void m_rp_plain(json_t *p) { json_object_set_new(KEY(p, 0), "rp_id",
    json_string("attest:")); }
static void m_keymember(json_t *p) { json_object_set_new(KEY(p, 0),
    "trusted", json_true()); }
static void m_demand(json_t *p) { json_object_set_new(json_object_get(p,
    "demands"), "min_support_months", json_integer(0)); }
static void m_demand_unknown(json_t *p) { json_object_set_new(
    json_object_get(p, "demands"), "min_sbom_depth", json_integer(1)); }
static void m_keys_obj(json_t *p) { json_object_set_new(p, "keys",
    json_object()); }

/* Key lifecycle events (specs/policy.md §5) ----------------------------- */

#define ROT_TYPE	"https://libattest.dev/key/rotation/v1"
#define REV_TYPE	"https://libattest.dev/key/revocation/v1"

/* How an event names its key: subject digests of ... */
enum subj {
	SUBJ_SPKI,	/* the DER SPKI (SHA-256 = key id) */
	SUBJ_PEM,	/* the public key file (what attest-sign NEW.pub makes) */
	SUBJ_WRONG,	/* another key */
	SUBJ_TWO,	/* the key and another key */
};

/* A DSSE envelope of @p body signed by @p who, as a JSON object. */
static json_t *
envelope_of(const char *type, const unsigned char *body, size_t len,
    const int *who, size_t n)
{
	attest_envelope_t *e = attest_envelope_new();
	unsigned char *out = NULL;
	size_t out_len = 0, i;
	json_t *j;

	assert_non_null(e);
	assert_int_equal(attest_envelope_set_payload(e, type, body, len),
	    ATTEST_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(attest_envelope_sign(e, signers[who[i]],
		    NULL), ATTEST_OK);
	assert_int_equal(attest_envelope_serialize_alloc(e, &out, &out_len),
	    ATTEST_OK);
	assert_non_null(j = json_loadb((const char *)out, out_len, 0, NULL));
	attest_freezero(out, out_len);
	attest_envelope_free(&e);
	return j;
}

static void
add_subject(attest_stmt_t *s, int key, int pem)
{
	const char *kid = attest_signer_keyid(signers[key]);
	unsigned char *p = NULL;
	size_t len = 0, idx;
	attest_digest_t *d;

	assert_int_equal(attest_stmt_add_subject(s, kid, &idx), ATTEST_OK);
	if (!pem) {
		/* the key id is the SHA-256 of the DER SPKI */
		assert_int_equal(attest_stmt_add_digest(s, idx, "sha256", kid),
		    ATTEST_OK);
		return;
	}
	assert_int_equal(attest_pubkey_pem_alloc(attest_signer_pubkey(
	    signers[key]), &p, &len), ATTEST_OK);
	assert_non_null(d = attest_digest_new(ATTEST_DIGEST_SHA256 |
	    ATTEST_DIGEST_SHA512));
	assert_int_equal(attest_digest_update(d, p, len), ATTEST_OK);
	assert_int_equal(attest_digest_final(d), ATTEST_OK);
	assert_int_equal(attest_stmt_add_digests(s, idx, d), ATTEST_OK);
	attest_digest_free(&d);
	attest_freezero(p, len);
}

/*
 * A key event: an in-toto Statement of predicate type @p type about key
 * @p about, predicate @p pred (taken), signed by @p who.
 */
static json_t *
event(const char *type, int about, enum subj subj, json_t *pred,
    const int *who, size_t n)
{
	attest_stmt_t *s = attest_stmt_new();
	unsigned char *out = NULL;
	size_t out_len = 0;
	char *pj;
	json_t *j;

	assert_non_null(s);
	switch (subj) {
	case SUBJ_SPKI:
	case SUBJ_PEM:
		add_subject(s, about, subj == SUBJ_PEM);
		break;
	case SUBJ_WRONG:
		add_subject(s, X, 0);
		break;
	case SUBJ_TWO:
		add_subject(s, about, 0);
		add_subject(s, X, 0);
		break;
	}
	assert_non_null(pj = json_dumps(pred, JSON_COMPACT));
	assert_int_equal(attest_stmt_set_predicate(s, type, pj, strlen(pj),
	    NULL), ATTEST_OK);
	assert_int_equal(attest_stmt_serialize_alloc(s, &out, &out_len),
	    ATTEST_OK);
	j = envelope_of(ATTEST_PAYLOAD_TYPE_INTOTO, out, out_len, who, n);
	attest_freezero(out, out_len);
	free(pj);
	json_decref(pred);
	attest_stmt_free(&s);
	return j;
}

/* A rotation predicate: key @p old introduces @p neu (algorithm @p alg). */
static json_t *
rot_pred(int old, int neu, const char *alg, const char *at,
    const char *from)
{
	char *pem = pem_of(neu);
	json_t *j = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}}", "old_keyid",
	    attest_signer_keyid(signers[old]), "signed_at", at, "new_key",
	    "algorithm", alg, "public_key", pem, "valid_from", from);

	free(pem);
	assert_non_null(j);
	return j;
}

static json_t *
rev_pred(int key, const char *at, const char *revoked, const char *reason)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "keyid",
	    attest_signer_keyid(signers[key]), "signed_at", at, "revoked_at",
	    revoked, "reason", reason);

	assert_non_null(j);
	return j;
}

/* Append an event (taken) to the policy's key_events. */
static void
add_event(json_t *p, json_t *ev)
{
	json_t *a = json_object_get(p, "key_events");

	if (a == NULL) {
		assert_non_null(a = json_array());
		json_object_set_new(p, "key_events", a);
	}
	assert_int_equal(json_array_append_new(a, ev), 0);
}

#define WHO(...)	(const int []){ __VA_ARGS__ }, \
	sizeof((const int []){ __VA_ARGS__ }) / sizeof(int)

/* M1 rotates to N1 on 2028-06-01, both signing. */
static json_t *
rot_m1_n1(void)
{
	return event(ROT_TYPE, N1, SUBJ_SPKI, rot_pred(M1, N1, "ed25519",
	    "2028-06-01", "2028-06-01"), WHO(M1, N1));
}

static void m_ev_obj(json_t *p) { json_object_set_new(p, "key_events",
    json_object()); }
static void m_ev_string(json_t *p) { json_object_set_new(p, "key_events",
    json_pack("[s]", "{\"payloadType\":\"x\"}")); }
static void m_ev_empty(json_t *p) { add_event(p, json_object()); }
static void m_ev_b64(json_t *p)
{
	json_t *e = rot_m1_n1();

	json_object_set_new(e, "payload", json_string("not base64!"));
	add_event(p, e);
}
/* the payload type is signed (PAE): changing it is a forgery */
static void m_ev_forged(json_t *p)
{
	json_t *e = rot_m1_n1();

	json_object_set_new(e, "payloadType", json_string("application/json"));
	add_event(p, e);
}
static void m_ev_ptype(json_t *p)
{
	static const char pl[] = "{\"old_keyid\":\"x\"}";

	add_event(p, envelope_of("application/json", (const unsigned char *)pl,
	    strlen(pl), WHO(M1)));
}
static void m_ev_not_stmt(json_t *p)
{
	static const char pl[] = "{\"predicateType\":\"" ROT_TYPE "\"}";

	add_event(p, envelope_of(ATTEST_PAYLOAD_TYPE_INTOTO,
	    (const unsigned char *)pl, strlen(pl), WHO(M1, N1)));
}
static void m_ev_type(json_t *p) { add_event(p, event(
    "https://libattest.dev/key/rotation/v2", N1, SUBJ_SPKI, rot_pred(M1, N1,
    "ed25519", "2028-06-01", "2028-06-01"), WHO(M1, N1))); }
static void m_ev_two_subjects(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_TWO, rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01"),
    WHO(M1, N1))); }
static void m_ev_member(json_t *p)
{
	json_t *r = rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01");

	json_object_set_new(r, "trusted", json_true());
	add_event(p, event(ROT_TYPE, N1, SUBJ_SPKI, r, WHO(M1, N1)));
}
static void m_rot_key_member(json_t *p)
{
	json_t *r = rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01");

	json_object_set_new(json_object_get(r, "new_key"), "operator",
	    json_string("impo"));
	add_event(p, event(ROT_TYPE, N1, SUBJ_SPKI, r, WHO(M1, N1)));
}
static void m_rot_no_new_sig(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_SPKI, rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01"),
    WHO(M1))); }
static void m_rot_unrelated(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_SPKI, rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01"),
    WHO(X, N1))); }
static void m_rot_sibling(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_SPKI, rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01"),
    WHO(M2, N1))); }
static void m_rot_revoked(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_SPKI, rot_pred(D, N1, "ed25519", "2029-07-01", "2029-07-01"),
    WHO(D, N1))); }
static void m_rot_revoked_day(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_SPKI, rot_pred(D, N1, "ed25519", "2029-06-01T13:00:00Z",
    "2029-06-01"), WHO(D, N1))); }
static void m_rot_expired(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_SPKI, rot_pred(D, N1, "ed25519", "2027-06-01", "2027-06-01"),
    WHO(D, N1))); }
/* a revocation listed later shows the rotation came after the compromise */
static void m_rot_then_revoked(json_t *p)
{
	add_event(p, rot_m1_n1());
	add_event(p, event(REV_TYPE, M1, SUBJ_SPKI, rev_pred(M1, "2028-07-01",
	    "2028-05-01", "key found on a public server"), WHO(M1)));
}
static void m_rot_dup(json_t *p) { add_event(p, event(ROT_TYPE, M2,
    SUBJ_SPKI, rot_pred(M1, M2, "ecdsa-p256-sha256", "2028-06-01",
    "2028-06-01"), WHO(M1, M2))); }
static void m_rot_twice(json_t *p)
{
	add_event(p, rot_m1_n1());
	add_event(p, event(ROT_TYPE, N1, SUBJ_SPKI, rot_pred(M2, N1,
	    "ed25519", "2028-06-01", "2028-06-01"), WHO(M2, N1)));
}
static void m_rot_unknown(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_SPKI, rot_pred(X, N1, "ed25519", "2028-06-01", "2028-06-01"),
    WHO(M1, N1))); }
static void m_rot_keyid(json_t *p)
{
	json_t *r = rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01");

	json_object_set_new(r, "old_keyid", json_string("ABCDEF"));
	add_event(p, event(ROT_TYPE, N1, SUBJ_SPKI, r, WHO(M1, N1)));
}
static void m_rot_subject(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_WRONG, rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01"),
    WHO(M1, N1))); }
static void m_rot_from(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_SPKI, rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-05-01"),
    WHO(M1, N1))); }
static void m_rot_until(json_t *p)
{
	json_t *r = rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01");

	json_object_set_new(json_object_get(r, "new_key"), "valid_until",
	    json_string("2028-05-31"));
	add_event(p, event(ROT_TYPE, N1, SUBJ_SPKI, r, WHO(M1, N1)));
}
static void m_rot_old_until(json_t *p)
{
	json_t *r = rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01");

	json_object_set_new(r, "old_valid_until", json_string("2028-05-31"));
	add_event(p, event(ROT_TYPE, N1, SUBJ_SPKI, r, WHO(M1, N1)));
}
static void m_rot_no_at(json_t *p)
{
	json_t *r = rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01");

	json_object_del(r, "signed_at");
	add_event(p, event(ROT_TYPE, N1, SUBJ_SPKI, r, WHO(M1, N1)));
}
static void m_rot_alg(json_t *p) { add_event(p, event(ROT_TYPE, N1,
    SUBJ_SPKI, rot_pred(M1, N1, "ecdsa-p256-sha256", "2028-06-01",
    "2028-06-01"), WHO(M1, N1))); }
static void m_rot_uv(json_t *p)
{
	json_t *r = rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01");

	json_object_set_new(json_object_get(r, "new_key"), "require_uv",
	    json_true());
	add_event(p, event(ROT_TYPE, N1, SUBJ_SPKI, r, WHO(M1, N1)));
}
/* a chain must be listed in order: N1, its signer, is not known yet */
static void m_chain_order(json_t *p)
{
	add_event(p, event(ROT_TYPE, N2, SUBJ_SPKI, rot_pred(N1, N2,
	    "ecdsa-p256-sha256", "2029-01-01", "2029-01-01"), WHO(N1, N2)));
	add_event(p, rot_m1_n1());
}
static void m_rev_other_op(json_t *p) { add_event(p, event(REV_TYPE, M1,
    SUBJ_SPKI, rev_pred(M1, "2028-03-05", "2028-03-01", "stolen"),
    WHO(I))); }
static void m_rev_unrelated(json_t *p) { add_event(p, event(REV_TYPE, M1,
    SUBJ_SPKI, rev_pred(M1, "2028-03-05", "2028-03-01", "stolen"),
    WHO(X))); }
static void m_rev_unknown(json_t *p) { add_event(p, event(REV_TYPE, X,
    SUBJ_SPKI, rev_pred(X, "2028-03-05", "2028-03-01", "stolen"),
    WHO(M1))); }
/* M2 may sign from 2027-01-01 only */
static void m_rev_sibling_early(json_t *p) { add_event(p, event(REV_TYPE, M1,
    SUBJ_SPKI, rev_pred(M1, "2026-12-01", "2026-11-01", "stolen"),
    WHO(M2))); }
/* a sibling holding none of the key's roles */
static void m_rev_sibling_role(json_t *p)
{
	json_t *roles = json_object_get(OP(p, 0), "roles");

	json_object_set_new(roles, "importer", json_object());
	json_object_del(json_object_get(roles, "manufacturer"), "threshold");
	json_object_set_new(KEY(p, 1), "roles", json_pack("[s]", "importer"));
	add_event(p, event(REV_TYPE, M1, SUBJ_SPKI, rev_pred(M1, "2028-03-05",
	    "2028-03-01", "stolen"), WHO(M2)));
}
static void m_rev_subject(json_t *p) { add_event(p, event(REV_TYPE, M1,
    SUBJ_WRONG, rev_pred(M1, "2028-03-05", "2028-03-01", "stolen"),
    WHO(M1))); }
static void m_rev_no_reason(json_t *p)
{
	json_t *r = rev_pred(M1, "2028-03-05", "2028-03-01", "stolen");

	json_object_del(r, "reason");
	add_event(p, event(REV_TYPE, M1, SUBJ_SPKI, r, WHO(M1)));
}
static void m_rev_reason_ctl(json_t *p) { add_event(p, event(REV_TYPE, M1,
    SUBJ_SPKI, rev_pred(M1, "2028-03-05", "2028-03-01", "stolen\n\033[2J"),
    WHO(M1))); }
static void m_rev_time(json_t *p) { add_event(p, event(REV_TYPE, M1,
    SUBJ_SPKI, rev_pred(M1, "2028-03-05", "2028-03-01T10:00:00+01:00",
    "stolen"), WHO(M1))); }

static const struct neg negs[] = {
	{ "version 2", m_version, ATTEST_ERR_UNSUPPORTED, "policy_version" },
	{ "no version", m_noversion, ATTEST_ERR_PARSE, "policy_version" },
	{ "unknown member", m_unknown, ATTEST_ERR_PARSE, "trust_all" },
	{ "no operators", m_noops, ATTEST_ERR_PARSE, "operators" },
	{ "no keys", m_nokeys, ATTEST_ERR_PARSE, "keys" },
	{ "keys not an array", m_keys_obj, ATTEST_ERR_PARSE, "keys" },
	{ "duplicate operator", m_dupop, ATTEST_ERR_DUPLICATE,
	    "operators[1].id" },
	{ "bad operator id", m_badid, ATTEST_ERR_PARSE, "operators[1].id" },
	{ "two operators with one legal name and country", m_dupname,
	    ATTEST_ERR_DUPLICATE, "operators[1].legal_name" },
	{ "country", m_country, ATTEST_ERR_PARSE, "operators[0].country" },
	{ "unknown operator role", m_oprole, ATTEST_ERR_PARSE,
	    "operators[1].roles.retailer" },
	{ "threshold 0", m_thr0, ATTEST_ERR_PARSE,
	    "operators[0].roles.manufacturer.threshold" },
	{ "threshold above keys", m_thrhigh, ATTEST_ERR_PARSE,
	    "operators[0].roles.manufacturer.threshold" },
	{ "threshold a string", m_thrstr, ATTEST_ERR_PARSE,
	    "operators[0].roles.manufacturer.threshold" },
	{ "blank legal name", m_noname, ATTEST_ERR_PARSE,
	    "operators[0].legal_name" },
	{ "key of no operator", m_keyop, ATTEST_ERR_PARSE,
	    "keys[2].operator" },
	{ "unknown key role", m_keyrole, ATTEST_ERR_PARSE,
	    "keys[2].roles[1]" },
	{ "role the operator lacks", m_keyrole_nothold, ATTEST_ERR_PARSE,
	    "keys[2].roles[1]" },
	{ "role twice", m_keyrole_twice, ATTEST_ERR_DUPLICATE,
	    "keys[2].roles[1]" },
	{ "duplicate key", m_dupkey, ATTEST_ERR_DUPLICATE,
	    "keys[2].public_key" },
	{ "algorithm not the key's", m_alg, ATTEST_ERR_KEY,
	    "keys[1].algorithm" },
	{ "unknown algorithm", m_alg_unknown, ATTEST_ERR_UNSUPPORTED,
	    "keys[1].algorithm" },
	{ "an Ed25519 key as RSA", m_alg_rsa, ATTEST_ERR_KEY,
	    "keys[0].algorithm" },
	{ "keyid not the key's", m_keyid, ATTEST_ERR_KEY, "keys[0].keyid" },
	{ "bad PEM", m_pem, ATTEST_ERR_PARSE, "keys[0].public_key" },
	{ "impossible date", m_from, ATTEST_ERR_PARSE, "keys[0].valid_from" },
	{ "no valid_from", m_nofrom, ATTEST_ERR_PARSE, "keys[0].valid_from" },
	{ "local time", m_localtime, ATTEST_ERR_PARSE, "keys[0].valid_from" },
	{ "until before from", m_until, ATTEST_ERR_PARSE,
	    "keys[3].valid_until" },
	{ "revoked_at not a time", m_revoked, ATTEST_ERR_PARSE,
	    "keys[3].revoked_at" },
	{ "uv on a plain key", m_uv_plain, ATTEST_ERR_PARSE,
	    "keys[0].require_uv" },
	{ "uv a string", m_uv_type, ATTEST_ERR_PARSE, "keys[4].require_uv" },
	{ "manufacturers on a manufacturer key", m_mfr_own, ATTEST_ERR_PARSE,
	    "keys[0].manufacturers" },
	{ "manufacturers names a non-manufacturer", m_mfr_unknown,
	    ATTEST_ERR_PARSE, "keys[2].manufacturers[0]" },
	{ "manufacturers empty", m_mfr_empty, ATTEST_ERR_PARSE,
	    "keys[2].manufacturers" },
	{ "products empty", m_products_empty, ATTEST_ERR_PARSE,
	    "keys[3].products" },
	{ "products not strings", m_products_num, ATTEST_ERR_PARSE,
	    "keys[3].products[0]" },
	{ "FIDO key without rp_id", m_fido_norp, ATTEST_ERR_PARSE,
	    "keys[4].rp_id" },
	{ "rp_id on a plain key", m_rp_plain, ATTEST_ERR_KEY,
	    "keys[0].rp_id" },
	{ "unknown key member", m_keymember, ATTEST_ERR_PARSE,
	    "keys[0].trusted" },
	{ "demand out of range", m_demand, ATTEST_ERR_PARSE,
	    "demands.min_support_months" },
	{ "unknown demand", m_demand_unknown, ATTEST_ERR_PARSE,
	    "demands.min_sbom_depth" },
	/* key lifecycle events (specs/policy.md §5) */
	{ "key_events not an array", m_ev_obj, ATTEST_ERR_PARSE,
	    "key_events" },
	{ "an event as a string", m_ev_string, ATTEST_ERR_PARSE,
	    "key_events[0]" },
	{ "an event that is no envelope", m_ev_empty, ATTEST_ERR_PARSE,
	    "key_events[0].payloadType" },
	{ "an event with bad base64", m_ev_b64, ATTEST_ERR_PARSE,
	    "key_events[0].payload" },
	{ "a forged event", m_ev_forged, ATTEST_ERR_KEY, "key_events[0]" },
	{ "an event not in-toto", m_ev_ptype, ATTEST_ERR_UNSUPPORTED,
	    "key_events[0].payloadType" },
	{ "an event not a Statement", m_ev_not_stmt, ATTEST_ERR_PARSE,
	    "key_events[0].payload._type" },
	{ "an unknown predicate type", m_ev_type, ATTEST_ERR_UNSUPPORTED,
	    "key_events[0].payload.predicateType" },
	{ "an event with two subjects", m_ev_two_subjects, ATTEST_ERR_PARSE,
	    "key_events[0].payload.subject" },
	{ "an unknown rotation member", m_ev_member, ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.trusted" },
	{ "an operator in new_key", m_rot_key_member, ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.new_key.operator" },
	{ "require_uv in new_key", m_rot_uv, ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.new_key.require_uv" },
	{ "rotation not signed by the new key", m_rot_no_new_sig,
	    ATTEST_ERR_KEY, "key_events[0]" },
	{ "rotation signed by an unrelated key", m_rot_unrelated,
	    ATTEST_ERR_KEY, "key_events[0]" },
	{ "rotation signed by a sibling, not the old key", m_rot_sibling,
	    ATTEST_ERR_KEY, "key_events[0]" },
	{ "rotation by a key revoked before", m_rot_revoked, ATTEST_ERR_KEY,
	    "key_events[0]" },
	{ "rotation on the day of the revocation", m_rot_revoked_day,
	    ATTEST_ERR_KEY, "key_events[0]" },
	{ "rotation before the old key's window", m_rot_expired,
	    ATTEST_ERR_KEY, "key_events[0]" },
	{ "rotation, then a revocation from before it", m_rot_then_revoked,
	    ATTEST_ERR_KEY, "key_events[0]" },
	{ "rotation to a key of the policy", m_rot_dup, ATTEST_ERR_DUPLICATE,
	    "key_events[0].payload.predicate.new_key.public_key" },
	{ "the same key introduced twice", m_rot_twice, ATTEST_ERR_DUPLICATE,
	    "key_events[1].payload.predicate.new_key.public_key" },
	{ "rotation of an unknown key", m_rot_unknown, ATTEST_ERR_NOT_FOUND,
	    "key_events[0].payload.predicate.old_keyid" },
	{ "old_keyid not a key id", m_rot_keyid, ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.old_keyid" },
	{ "rotation about another key", m_rot_subject, ATTEST_ERR_PARSE,
	    "key_events[0].payload.subject[0]" },
	{ "new key valid before the rotation", m_rot_from, ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.new_key.valid_from" },
	{ "new key valid_until before valid_from", m_rot_until,
	    ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.new_key.valid_until" },
	{ "old key ends before it signed", m_rot_old_until, ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.old_valid_until" },
	{ "rotation without signed_at", m_rot_no_at, ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.signed_at" },
	{ "new key's algorithm not its own", m_rot_alg, ATTEST_ERR_KEY,
	    "key_events[0].payload.predicate.new_key.algorithm" },
	{ "chain out of order", m_chain_order, ATTEST_ERR_KEY,
	    "key_events[0]" },
	{ "revocation by another operator's key", m_rev_other_op,
	    ATTEST_ERR_KEY, "key_events[0]" },
	{ "revocation by an unrelated key", m_rev_unrelated, ATTEST_ERR_KEY,
	    "key_events[0]" },
	{ "revocation of an unknown key", m_rev_unknown, ATTEST_ERR_NOT_FOUND,
	    "key_events[0].payload.predicate.keyid" },
	{ "revocation by a sibling not yet valid", m_rev_sibling_early,
	    ATTEST_ERR_KEY, "key_events[0]" },
	{ "revocation by a sibling in another role", m_rev_sibling_role,
	    ATTEST_ERR_KEY, "key_events[0]" },
	{ "revocation about another key", m_rev_subject, ATTEST_ERR_PARSE,
	    "key_events[0].payload.subject[0]" },
	{ "revocation without reason", m_rev_no_reason, ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.reason" },
	{ "revocation reason with control characters", m_rev_reason_ctl,
	    ATTEST_ERR_PARSE, "key_events[0].payload.predicate.reason" },
	{ "revoked_at in local time", m_rev_time, ATTEST_ERR_PARSE,
	    "key_events[0].payload.predicate.revoked_at" },
};

static void
test_parse_negatives(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(negs) / sizeof(negs[0]); i++) {
		json_t *j = base_policy();
		attest_policy_t *p = NULL;
		attest_diag_t *d = attest_diag_new();
		attest_err_t r;

		negs[i].mutate(j);
		r = parse_json(j, &p, d);
		if (r != negs[i].err)
			fail_msg("%s: %s, expected %s (%s)", negs[i].what,
			    attest_strerror(r), attest_strerror(negs[i].err),
			    attest_diag_get_message(d) ?
			    attest_diag_get_message(d) : "");
		assert_null(p);
		tu_assert_field(d, negs[i].field);
		attest_diag_free(&d);
		json_decref(j);
	}
}

static void
test_parse_not_json(void **state)
{
	static const char *const bad[] = { "", "[]", "{\"policy_version\":1,"
	    "\"policy_version\":1}", "{\"policy_version\":1} x" };
	attest_policy_t *p = NULL;
	attest_diag_t *d = attest_diag_new();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(attest_policy_parse(&p, (const unsigned char *)
		    bad[i], strlen(bad[i]), d), ATTEST_ERR_PARSE);
		assert_null(p);
	}
	assert_int_equal(attest_policy_load(&p, "/nonexistent/policy.json",
	    d), ATTEST_ERR_IO);
	attest_diag_free(&d);
}

/* An envelope signed by the listed keys, verified under the policy. */
static attest_verified_t *
signed_by(const attest_policy_t *p, const int *who, size_t n)
{
	attest_envelope_t *e = attest_envelope_new();
	attest_verified_t *v = NULL;
	attest_diag_t *d = attest_diag_new();
	size_t i;

	assert_int_equal(attest_envelope_set_payload(e, ptype,
	    (const unsigned char *)payload, strlen(payload)), ATTEST_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(attest_envelope_sign(e, signers[who[i]], d),
		    ATTEST_OK);
	if (attest_envelope_verify(e, attest_policy_keyset(p), 1, &v, d) !=
	    ATTEST_OK)
		fail_msg("%s", attest_diag_get_message(d));
	attest_envelope_free(&e);
	attest_diag_free(&d);
	return v;
}

struct az {
	const char	*what;
	int		 who[3];
	size_t		 n;
	attest_policy_query_t q;
	attest_err_t	 want;
	size_t		 accepted;
	const char	*why;	/* in the message (NULL: OK expected) */
};

#define MFR(date) { ATTEST_ROLE_MANUFACTURER, "ACME Devices GmbH", "DE", \
	"ACME Devices GmbH", "EXN-2", (date), NULL, "DoC", "DE" }
#define IMP(name, date) { ATTEST_ROLE_IMPORTER, "Impo SARL", "FR", (name), \
	"EXN-2", (date), NULL, "importer record", "DE" }
#define DIS(prod, date) { ATTEST_ROLE_DISTRIBUTOR, "Dist BV", "NL", \
	"ACME Devices GmbH", (prod), (date), NULL, "distributor record", \
	"DE" }

static const struct az azs[] = {
	{ "both manufacturer keys", { M1, M2 }, 2, MFR("2028-01-10"),
	    ATTEST_OK, 2, NULL },
	{ "one of two", { M1 }, 1, MFR("2028-01-10"), ATTEST_ERR_POLICY, 1,
	    "1 of the 2 distinct manufacturer keys" },
	{ "the same key twice", { M1, M1 }, 2, MFR("2028-01-10"),
	    ATTEST_ERR_POLICY, 1, "1 of the 2" },
	{ "an importer key signing a DoC", { I, M1 }, 2, MFR("2028-01-10"),
	    ATTEST_ERR_POLICY, 1, "the key is \"impo\"'s (Impo SARL, FR), "
	    "the DoC names \"ACME Devices GmbH\" (DE)" },
	{ "before valid_from", { M1, M2 }, 2, MFR("2026-12-31"),
	    ATTEST_ERR_POLICY, 0, "before the key's valid_from 2027-01-01" },
	{ "an unknown manufacturer", { M1, M2 }, 2, { ATTEST_ROLE_MANUFACTURER,
	    "ACME Devices Ltd", "DE", "ACME Devices Ltd", "EXN-2",
	    "2028-01-10", NULL, "DoC", "DE" }, ATTEST_ERR_POLICY, 0,
	    "names no operator \"ACME Devices Ltd\" in DE" },
	{ "another country", { M1, M2 }, 2, { ATTEST_ROLE_MANUFACTURER,
	    "ACME Devices GmbH", "AT", "ACME Devices GmbH", "EXN-2",
	    "2028-01-10", NULL, "DoC", "DE" }, ATTEST_ERR_POLICY, 0,
	    "names no operator" },
	{ "a role the operator lacks", { I }, 1, { ATTEST_ROLE_DISTRIBUTOR,
	    "Impo SARL", "FR", "ACME Devices GmbH", "EXN-2", "2028-01-10",
	    NULL, "distributor record", "DE" }, ATTEST_ERR_POLICY, 0,
	    "does not hold the role distributor" },
	{ "importer for acme", { I }, 1, IMP("ACME Devices GmbH",
	    "2028-02-01"), ATTEST_OK, 1, NULL },
	{ "importer for another manufacturer", { I }, 1, IMP("Other AG",
	    "2028-02-01"), ATTEST_ERR_POLICY, 0, "may speak only for the "
	    "manufacturers its \"manufacturers\" name, and the importer "
	    "record's manufacturer \"Other AG\" (DE) is no operator" },
	{ "distributor in its window", { D }, 1, DIS("EXN-2", "2028-03-01"),
	    ATTEST_OK, 1, NULL },
	{ "distributor the day before revocation", { D }, 1,
	    DIS("EXN-2", "2029-05-31"), ATTEST_OK, 1, NULL },
	{ "distributor on the day of revocation", { D }, 1,
	    DIS("EXN-2", "2029-06-01"), ATTEST_ERR_POLICY, 0,
	    "revoked since 2029-06-01T12:00:00Z; the distributor record is "
	    "dated 2029-06-01" },
	{ "distributor after valid_until", { D }, 1, DIS("EXN-2",
	    "2030-01-01"), ATTEST_ERR_POLICY, 0, "after the key's "
	    "valid_until 2029-12-31" },
	{ "distributor, another product", { D }, 1, DIS("EXN-3",
	    "2028-03-01"), ATTEST_ERR_POLICY, 0, "may not sign for product "
	    "\"EXN-3\"" },
	{ "distributor key as manufacturer", { D }, 1,
	    { ATTEST_ROLE_MANUFACTURER, "Dist BV", "NL", "Dist BV", "EXN-2",
	    "2028-03-01", NULL, "DoC", "NL" },
	    ATTEST_ERR_POLICY, 0, "\"dist\" does not hold the role "
	    "manufacturer" },
	{ "signed after now", { M1, M2 }, 2, { ATTEST_ROLE_MANUFACTURER,
	    "ACME Devices GmbH", "DE", "ACME Devices GmbH", "EXN-2",
	    "2028-01-10", "2028-01-09", "DoC", "DE" }, ATTEST_ERR_POLICY, 0,
	    "after the verification date 2028-01-09" },
	{ "no country stated", { M1, M2 }, 2, { ATTEST_ROLE_MANUFACTURER,
	    "ACME Devices GmbH", NULL, NULL, "EXN-2", "2028-01-10", NULL,
	    "simplified DoC", NULL }, ATTEST_OK, 2, NULL },
};

static void
test_authorize(void **state)
{
	json_t *j = base_policy();
	attest_policy_t *p = NULL;
	attest_diag_t *d = attest_diag_new();
	size_t i;

	(void)state;
	assert_int_equal(parse_json(j, &p, d), ATTEST_OK);
	for (i = 0; i < sizeof(azs) / sizeof(azs[0]); i++) {
		attest_verified_t *v = signed_by(p, azs[i].who, azs[i].n);
		attest_policy_verdict_t *vd = NULL;
		const char *msg;
		attest_err_t r;

		attest_diag_clear(d);
		r = attest_policy_authorize(p, v, &azs[i].q, &vd, d);
		msg = attest_diag_get_message(d);
		if (r != azs[i].want)
			fail_msg("%s: %s (%s)", azs[i].what,
			    attest_strerror(r), msg ? msg : "");
		assert_non_null(vd);
		if (attest_policy_verdict_accepted(vd) != azs[i].accepted)
			fail_msg("%s: %zu accepted, expected %zu",
			    azs[i].what, attest_policy_verdict_accepted(vd),
			    azs[i].accepted);
		if (azs[i].why != NULL && (msg == NULL ||
		    strstr(msg, azs[i].why) == NULL))
			fail_msg("%s: message \"%s\" lacks \"%s\"", azs[i].what,
			    msg ? msg : "", azs[i].why);
		attest_policy_verdict_free(&vd);
		attest_verified_free(&v);
	}
	attest_policy_free(&p);
	attest_diag_free(&d);
	json_decref(j);
}

/* The verdict's per-key facts. */
/*
 * Two operators may share a legal name in different countries; a key of
 * one never counts for the other, and a record without a country that
 * names both is refused.
 */
static void
test_same_name(void **state)
{
	json_t *j = base_policy();
	attest_policy_t *p = NULL;
	attest_diag_t *d = attest_diag_new();
	attest_policy_query_t q = { ATTEST_ROLE_IMPORTER, "Impo SARL", "BE",
	    "ACME Devices GmbH", "EXN-2", "2028-02-01", NULL, "importer record",
	    "DE" };
	const int who[] = { I };
	attest_verified_t *v;
	json_t *op, *k;

	(void)state;
	/* a second "Impo SARL", in Belgium, with its own importer key (M2's) */
	op = json_pack("{s:s, s:s, s:s, s:{s:{}}}", "id", "impo-be",
	    "legal_name", "Impo SARL", "country", "BE", "roles", "importer");
	json_array_append_new(json_object_get(j, "operators"), op);
	k = KEY(j, 1);
	json_object_set_new(k, "operator", json_string("impo-be"));
	json_object_set_new(k, "roles", json_pack("[s]", "importer"));
	json_object_set_new(OP(j, 0), "roles", json_pack("{s:{}}",
	    "manufacturer"));
	json_object_set_new(json_object_get(OP(j, 0), "roles"),
	    "manufacturer", json_pack("{s:i}", "threshold", 1));
	if (parse_json(j, &p, d) != ATTEST_OK)
		fail_msg("%s", attest_diag_get_message(d));
	/* the French importer's key does not sign for the Belgian one */
	v = signed_by(p, who, 1);
	assert_int_equal(attest_policy_authorize(p, v, &q, NULL, d),
	    ATTEST_ERR_POLICY);
	assert_non_null(strstr(attest_diag_get_message(d), "the key is "
	    "\"impo\"'s (Impo SARL, FR)"));
	/* without a country the name is ambiguous */
	q.operator_country = NULL;
	assert_int_equal(attest_policy_authorize(p, v, &q, NULL, d),
	    ATTEST_ERR_POLICY);
	assert_non_null(strstr(attest_diag_get_message(d), "2 operators of "
	    "the policy are named \"Impo SARL\""));
	/* with its own country, it is the French importer's record */
	q.operator_country = "FR";
	assert_int_equal(attest_policy_authorize(p, v, &q, NULL, d),
	    ATTEST_OK);
	attest_verified_free(&v);
	attest_policy_free(&p);
	attest_diag_free(&d);
	json_decref(j);
}

/*
 * The manufacturer a record speaks for is an operator too: a key scoped
 * to "ACME Devices GmbH" of Germany does not speak for the Austrian
 * company of the same legal name (the scope compared the name alone).
 */
static void
test_scope_same_name(void **state)
{
	json_t *j = base_policy();
	attest_policy_t *p = NULL;
	attest_diag_t *d = attest_diag_new();
	attest_policy_query_t q = IMP("ACME Devices GmbH", "2028-02-01");
	attest_policy_verdict_t *vd = NULL;
	const int who[] = { I };
	const char *id;
	attest_verified_t *v;
	json_t *op;

	(void)state;
	op = json_pack("{s:s, s:s, s:s, s:{s:{}}}", "id", "acme-at",
	    "legal_name", "ACME Devices GmbH", "country", "AT", "roles",
	    "manufacturer");
	json_array_append_new(json_object_get(j, "operators"), op);
	json_array_append_new(json_object_get(j, "keys"), key_entry(X,
	    "acme-at", "manufacturer", "ed25519"));
	if (parse_json(j, &p, d) != ATTEST_OK)
		fail_msg("%s", attest_diag_get_message(d));
	v = signed_by(p, who, 1);
	/* for the German manufacturer of its scope: accepted */
	assert_int_equal(attest_policy_authorize(p, v, &q, &vd, d),
	    ATTEST_OK);
	assert_string_equal(attest_policy_verdict_operator(vd), "impo");
	assert_string_equal(attest_policy_verdict_manufacturer(vd), "acme");
	attest_policy_verdict_free(&vd);
	/* for the Austrian one of the same legal name: refused */
	q.manufacturer_country = "AT";
	assert_int_equal(attest_policy_authorize(p, v, &q, &vd, d),
	    ATTEST_ERR_POLICY);
	assert_string_equal(attest_policy_verdict_manufacturer(vd),
	    "acme-at");
	assert_non_null(strstr(attest_diag_get_message(d), "may not speak "
	    "for manufacturer \"acme-at\" (ACME Devices GmbH, AT)"));
	attest_policy_verdict_free(&vd);
	/* no country: the name alone names two operators */
	q.manufacturer_country = NULL;
	assert_int_equal(attest_policy_authorize(p, v, &q, &vd, d),
	    ATTEST_ERR_POLICY);
	assert_int_equal(attest_policy_verdict_accepted(vd), 0);
	assert_non_null(strstr(attest_diag_get_message(d), "2 operators of "
	    "the policy are named \"ACME Devices GmbH\" and the importer "
	    "record gives no country for its manufacturer"));
	attest_policy_verdict_free(&vd);
	/* a manufacturer the policy does not list, for a scoped key */
	q.manufacturer_country = "CH";
	assert_int_equal(attest_policy_authorize(p, v, &q, &vd, d),
	    ATTEST_ERR_POLICY);
	assert_null(attest_policy_verdict_manufacturer(vd));
	assert_non_null(strstr(attest_diag_get_message(d), "is no operator "
	    "of the policy"));
	attest_policy_verdict_free(&vd);
	/* resolution on its own */
	assert_int_equal(attest_policy_operator_resolve(p, "ACME Devices GmbH",
	    "AT", &id, d), ATTEST_OK);
	assert_string_equal(id, "acme-at");
	assert_string_equal(attest_policy_operator_legal_name(p, id),
	    "ACME Devices GmbH");
	assert_string_equal(attest_policy_operator_country(p, id), "AT");
	assert_int_equal(attest_policy_operator_resolve(p, "ACME Devices GmbH",
	    NULL, &id, d), ATTEST_ERR_DUPLICATE);
	assert_null(id);
	assert_int_equal(attest_policy_operator_resolve(p, "Impo SARL", NULL,
	    &id, d), ATTEST_OK);
	assert_string_equal(id, "impo");
	assert_int_equal(attest_policy_operator_resolve(p, "ACME Devices GmbH",
	    "CH", &id, d), ATTEST_ERR_NOT_FOUND);
	assert_null(attest_policy_operator_legal_name(p, "nobody"));
	assert_null(attest_policy_operator_country(NULL, "acme"));
	attest_verified_free(&v);
	attest_policy_free(&p);
	attest_diag_free(&d);
	json_decref(j);
}

static void
test_verdict(void **state)
{
	json_t *j = base_policy();
	attest_policy_t *p = NULL;
	attest_diag_t *d = attest_diag_new();
	const attest_policy_query_t q = MFR("2028-01-10");
	const int who[] = { M1, I };
	attest_verified_t *v;
	attest_policy_verdict_t *vd = NULL;
	size_t i, refused = 0;

	(void)state;
	assert_int_equal(parse_json(j, &p, d), ATTEST_OK);
	v = signed_by(p, who, 2);
	assert_int_equal(attest_policy_authorize(p, v, &q, &vd, d),
	    ATTEST_ERR_POLICY);
	assert_string_equal(attest_policy_verdict_operator(vd), "acme");
	assert_int_equal(attest_policy_verdict_threshold(vd), 2);
	assert_int_equal(attest_policy_verdict_key_count(vd), 2);
	for (i = 0; i < 2; i++) {
		const char *kid = attest_policy_verdict_keyid(vd, i);
		const char *why = attest_policy_verdict_refusal(vd, i);

		assert_non_null(kid);
		if (strcmp(kid, attest_signer_keyid(signers[I])) == 0) {
			assert_non_null(why);
			refused++;
		} else {
			assert_string_equal(kid, attest_signer_keyid(
			    signers[M1]));
			assert_null(why);
		}
	}
	assert_int_equal(refused, 1);
	assert_null(attest_policy_verdict_keyid(vd, 2));
	/* bad arguments */
	assert_int_equal(attest_policy_authorize(p, v, NULL, NULL, d),
	    ATTEST_ERR_INVALID_ARGUMENT);
	{
		attest_policy_query_t bad = q;

		bad.signed_on = "2028-01";
		assert_int_equal(attest_policy_authorize(p, v, &bad, NULL, d),
		    ATTEST_ERR_INVALID_ARGUMENT);
		bad = q;
		bad.role = ATTEST_ROLE_NONE;
		assert_int_equal(attest_policy_authorize(p, v, &bad, NULL, d),
		    ATTEST_ERR_INVALID_ARGUMENT);
	}
	attest_policy_verdict_free(&vd);
	attest_verified_free(&v);
	attest_policy_free(&p);
	attest_diag_free(&d);
	json_decref(j);
}

/* Key lifecycle: rotations and revocations at work ----------------------- */

#define QM(date)	((attest_policy_query_t)MFR(date))
#define QI(name, date)	((attest_policy_query_t)IMP(name, date))
#define QD(prod, date)	((attest_policy_query_t)DIS(prod, date))

/* Parse @p j (taken), failing the test with the message when refused. */
static attest_policy_t *
parse_ok(json_t *j)
{
	attest_policy_t *p = NULL;
	attest_diag_t *d = attest_diag_new();

	if (parse_json(j, &p, d) != ATTEST_OK)
		fail_msg("%s", attest_diag_get_message(d));
	attest_diag_free(&d);
	json_decref(j);
	return p;
}

/*
 * Authorise a record described by @p q, signed by @p who, under @p p;
 * check the result, the distinct signers accepted and (when not NULL)
 * a piece of the message.
 */
static void
check_az(const attest_policy_t *p, const int *who, size_t n,
    attest_policy_query_t q, attest_err_t want, size_t accepted,
    const char *why)
{
	attest_verified_t *v = signed_by(p, who, n);
	attest_policy_verdict_t *vd = NULL;
	attest_diag_t *d = attest_diag_new();
	const char *msg;
	attest_err_t r;

	r = attest_policy_authorize(p, v, &q, &vd, d);
	msg = attest_diag_get_message(d);
	if (r != want)
		fail_msg("%s record of %s: %s (%s)", q.label, q.signed_on,
		    attest_strerror(r), msg ? msg : "");
	if (attest_policy_verdict_accepted(vd) != accepted)
		fail_msg("%s record of %s: %zu accepted, expected %zu", q.label,
		    q.signed_on, attest_policy_verdict_accepted(vd), accepted);
	if (why != NULL && (msg == NULL || strstr(msg, why) == NULL))
		fail_msg("message \"%s\" lacks \"%s\"", msg ? msg : "", why);
	attest_policy_verdict_free(&vd);
	attest_verified_free(&v);
	attest_diag_free(&d);
}

static void
test_rotation_ok(void **state)
{
	json_t *j = base_policy();
	json_t *r = rot_pred(M1, N1, "ed25519", "2028-06-01", "2028-06-01");
	attest_policy_t *p;
	const attest_keyset_t *ks;

	(void)state;
	json_object_set_new(r, "old_valid_until", json_string("2028-12-31"));
	add_event(j, event(ROT_TYPE, N1, SUBJ_SPKI, r, WHO(M1, N1)));
	p = parse_ok(j);
	/* the new key is in the key set envelopes are verified against */
	ks = attest_policy_keyset(p);
	assert_int_equal(attest_keyset_count(ks), NPOL + 1);
	assert_int_equal(attest_keyset_find(ks, attest_signer_keyid(
	    signers[N1])), NPOL);
	/* N1 signs for acme as manufacturer from its valid_from on */
	check_az(p, WHO(N1, M2), QM("2028-07-01"), ATTEST_OK, 2, NULL);
	check_az(p, WHO(N1, M2), QM("2028-06-01"), ATTEST_OK, 2, NULL);
	check_az(p, WHO(N1, M2), QM("2028-05-31"), ATTEST_ERR_POLICY, 1,
	    "before the key's valid_from 2028-06-01");
	/* M1 and its successor are one signer: threshold 2 is not met */
	check_az(p, WHO(M1, N1), QM("2028-07-01"), ATTEST_ERR_POLICY, 1,
	    "1 of the 2 distinct manufacturer keys");
	/* old_valid_until ended M1's window */
	check_az(p, WHO(M1, M2), QM("2028-12-31"), ATTEST_OK, 2, NULL);
	check_az(p, WHO(M1, M2), QM("2029-01-01"), ATTEST_ERR_POLICY, 1,
	    "after the key's valid_until 2028-12-31");
	attest_policy_free(&p);
}

/* The subject attest-sign makes from NEW.pub; the scope is inherited. */
static void
test_rotation_inherits(void **state)
{
	json_t *j = base_policy();
	attest_policy_t *p;

	(void)state;
	add_event(j, event(ROT_TYPE, N2, SUBJ_PEM, rot_pred(I, N2,
	    "ecdsa-p256-sha256", "2027-06-01T09:30:00Z", "2027-06-01"),
	    WHO(N2, I)));
	p = parse_ok(j);
	check_az(p, WHO(N2), QI("ACME Devices GmbH", "2028-02-01"), ATTEST_OK,
	    1, NULL);
	check_az(p, WHO(N2), QI("Other AG", "2028-02-01"), ATTEST_ERR_POLICY,
	    0, "manufacturer \"Other AG\" (DE) is no operator of the policy");
	check_az(p, WHO(N2), QM("2028-02-01"), ATTEST_ERR_POLICY, 0,
	    "the key is \"impo\"'s");
	attest_policy_free(&p);
}

static void
test_rotation_chain(void **state)
{
	json_t *j = base_policy();
	attest_policy_t *p;

	(void)state;
	add_event(j, rot_m1_n1());
	add_event(j, event(ROT_TYPE, N2, SUBJ_SPKI, rot_pred(N1, N2,
	    "ecdsa-p256-sha256", "2029-01-01", "2029-01-01"), WHO(N1, N2)));
	p = parse_ok(j);
	assert_int_equal(attest_keyset_count(attest_policy_keyset(p)),
	    NPOL + 2);
	check_az(p, WHO(N2, M2), QM("2029-02-01"), ATTEST_OK, 2, NULL);
	check_az(p, WHO(N2, M2), QM("2028-12-31"), ATTEST_ERR_POLICY, 1,
	    "before the key's valid_from 2029-01-01");
	/* M1, N1 and N2 are one signer */
	check_az(p, WHO(M1, N1, N2), QM("2029-02-01"), ATTEST_ERR_POLICY, 1,
	    "1 of the 2");
	attest_policy_free(&p);
}

/* A revocation dated after the rotation leaves the rotation standing. */
static void
test_rotation_then_revocation(void **state)
{
	json_t *j = base_policy();
	attest_policy_t *p;

	(void)state;
	add_event(j, rot_m1_n1());
	add_event(j, event(REV_TYPE, M1, SUBJ_SPKI, rev_pred(M1, "2028-07-02",
	    "2028-07-01", "superseded"), WHO(N1)));
	p = parse_ok(j);
	check_az(p, WHO(N1, M2), QM("2028-08-01"), ATTEST_OK, 2, NULL);
	check_az(p, WHO(M1, M2), QM("2028-06-30"), ATTEST_OK, 2, NULL);
	check_az(p, WHO(M1, M2), QM("2028-07-01"), ATTEST_ERR_POLICY, 1,
	    "revoked since 2028-07-01 (key_events[1]: superseded)");
	attest_policy_free(&p);
}

/* Revoked by itself or by a sibling of its operator: the same effect. */
static void
test_revocation(void **state)
{
	static const int by[2] = { M1, M2 };
	json_t *j;
	attest_policy_t *p;
	size_t i;

	(void)state;
	/* without the revocation, a DoC of 2028-04-01 is accepted */
	p = parse_ok(base_policy());
	check_az(p, WHO(M1, M2), QM("2028-04-01"), ATTEST_OK, 2, NULL);
	attest_policy_free(&p);
	for (i = 0; i < 2; i++) {
		j = base_policy();
		add_event(j, event(REV_TYPE, M1, i == 0 ? SUBJ_SPKI : SUBJ_PEM,
		    rev_pred(M1, "2028-03-05T08:00:00Z", "2028-03-01",
		    "laptop stolen"), &by[i], 1));
		p = parse_ok(j);
		check_az(p, WHO(M1, M2), QM("2028-04-01"), ATTEST_ERR_POLICY,
		    1, "the key is revoked since 2028-03-01 (key_events[0]: "
		    "laptop stolen); the DoC is dated 2028-04-01");
		check_az(p, WHO(M1, M2), QM("2028-03-01"), ATTEST_ERR_POLICY,
		    1, "revoked since 2028-03-01");
		check_az(p, WHO(M1, M2), QM("2028-02-29"), ATTEST_OK, 2,
		    NULL);
		attest_policy_free(&p);
	}
}

/* The earliest of the policy's revoked_at and the revocations wins. */
static void
test_revocation_earliest(void **state)
{
	json_t *j;
	attest_policy_t *p;

	(void)state;
	/* later than the policy's 2029-06-01T12:00:00Z: nothing changes */
	j = base_policy();
	add_event(j, event(REV_TYPE, D, SUBJ_SPKI, rev_pred(D, "2029-09-02",
	    "2029-09-01", "retired"), WHO(D)));
	p = parse_ok(j);
	check_az(p, WHO(D), QD("EXN-2", "2029-05-31"), ATTEST_OK, 1, NULL);
	check_az(p, WHO(D), QD("EXN-2", "2029-06-01"), ATTEST_ERR_POLICY, 0,
	    "revoked since 2029-06-01T12:00:00Z; the distributor record");
	attest_policy_free(&p);
	/*
	 * earlier: moves it back, even when signed by the key after its
	 * revocation (a revocation only takes trust away); a later one
	 * after that does not move it forward again
	 */
	j = base_policy();
	add_event(j, event(REV_TYPE, D, SUBJ_SPKI, rev_pred(D, "2029-07-01",
	    "2029-01-01", "compromised"), WHO(D)));
	add_event(j, event(REV_TYPE, D, SUBJ_SPKI, rev_pred(D, "2029-07-02",
	    "2029-03-01", "compromised"), WHO(D)));
	p = parse_ok(j);
	check_az(p, WHO(D), QD("EXN-2", "2028-12-31"), ATTEST_OK, 1, NULL);
	check_az(p, WHO(D), QD("EXN-2", "2029-02-01"), ATTEST_ERR_POLICY, 0,
	    "revoked since 2029-01-01 (key_events[0]: compromised)");
	attest_policy_free(&p);
}

/* An empty key_events is allowed and changes nothing. */
static void
test_key_events_empty(void **state)
{
	json_t *j = base_policy();
	attest_policy_t *p;

	(void)state;
	json_object_set_new(j, "key_events", json_array());
	p = parse_ok(j);
	assert_int_equal(attest_keyset_count(attest_policy_keyset(p)), NPOL);
	attest_policy_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_negatives),
		cmocka_unit_test(test_parse_not_json),
		cmocka_unit_test(test_authorize),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_scope_same_name),
		cmocka_unit_test(test_same_name),
		cmocka_unit_test(test_rotation_ok),
		cmocka_unit_test(test_rotation_inherits),
		cmocka_unit_test(test_rotation_chain),
		cmocka_unit_test(test_rotation_then_revocation),
		cmocka_unit_test(test_revocation),
		cmocka_unit_test(test_revocation_earliest),
		cmocka_unit_test(test_key_events_empty),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
