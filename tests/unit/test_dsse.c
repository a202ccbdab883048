/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: DSSE v1 envelopes (attest/dsse.h).
 *
 * Known answers: the PAE edge cases and the hello-world envelope of the
 * DSSE protocol (tests/vectors/dsse), whose ECDSA P-256 signature
 * is raw r||s.  Then sign / serialise / parse / verify round trips with
 * our own keys, and the ways an envelope can be malformed or fail.
 */
#include "testutil.h"

#define HELLO_VEC	"dsse/dsse_protocol_hello_world.json"
#define PAE_VEC		"dsse/dsse_pae_edge_cases_computed.json"
#define HELLO_TYPE	"http://example.com/HelloWorld"
#define HELLO_B64	"aGVsbG8gd29ybGQ="

/* Keys made once for the whole file. */
static attest_key_t *k_ed, *k_p256, *k_p384;

static int
group_setup(void **state)
{
	if (tu_setup(state) != 0 ||
	    attest_key_generate(&k_ed, ATTEST_ALG_ED25519) != ATTEST_OK ||
	    attest_key_generate(&k_p256, ATTEST_ALG_ECDSA_P256_SHA256) !=
	    ATTEST_OK ||
	    attest_key_generate(&k_p384, ATTEST_ALG_ECDSA_P384_SHA384) !=
	    ATTEST_OK)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	attest_key_free(&k_ed);
	attest_key_free(&k_p256);
	attest_key_free(&k_p384);
	return 0;
}

/* Helpers --------------------------------------------------------------- */

/* A signer over a copy of k (the signer takes the key it is given). */
static attest_signer_t *
signer_for(const attest_key_t *k)
{
	attest_signer_t *s = NULL;
	attest_key_t *c = NULL;
	unsigned char *f = NULL;
	size_t len = 0;

	assert_int_equal(attest_key_serialize_alloc(k, NULL, 0, 0, 0, &f,
	    &len), ATTEST_OK);
	assert_int_equal(attest_key_parse(&c, f, len, NULL, NULL, NULL),
	    ATTEST_OK);
	attest_freezero(f, len);
	assert_int_equal(attest_signer_from_key(&s, &c), ATTEST_OK);
	return s;
}

static attest_keyset_t *
keyset_of(const attest_key_t *a, const attest_key_t *b)
{
	attest_keyset_t *ks;

	assert_non_null(ks = attest_keyset_new());
	if (a != NULL)
		assert_int_equal(attest_keyset_add(ks, attest_key_pubkey(a)),
		    ATTEST_OK);
	if (b != NULL)
		assert_int_equal(attest_keyset_add(ks, attest_key_pubkey(b)),
		    ATTEST_OK);
	return ks;
}

/* The hello-world key from its PEM. */
static attest_keyset_t *
hello_keyset(void)
{
	attest_keyset_t *ks;
	attest_pubkey_t *pk = NULL;
	json_t *root;
	const char *pem;

	root = tu_load_vector(HELLO_VEC);
	pem = tu_jstr(json_object_get(root, "key"), "spkiPem");
	assert_int_equal(attest_pubkey_parse_pem(&pk,
	    (const unsigned char *)pem, strlen(pem), NULL), ATTEST_OK);
	assert_int_equal(attest_pubkey_alg(pk), ATTEST_ALG_ECDSA_P256_SHA256);
	assert_non_null(ks = attest_keyset_new());
	assert_int_equal(attest_keyset_add(ks, pk), ATTEST_OK);
	attest_pubkey_free(&pk);
	json_decref(root);
	return ks;
}

static attest_envelope_t *
parse_ok(const char *text)
{
	attest_envelope_t *e = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_envelope_parse(&e, (const unsigned char *)text,
	    strlen(text), d);
	if (r != ATTEST_OK)
		fail_msg("envelope_parse: %s (%s)", attest_strerror(r),
		    attest_diag_get_message(d));
	attest_diag_free(&d);
	return e;
}

/* Parse must fail with @p want and name @p field (NULL: none). */
static void
expect_parse(const char *text, size_t len, attest_err_t want,
    const char *field)
{
	attest_envelope_t *e = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_envelope_parse(&e, (const unsigned char *)text, len, d);
	if (r != want)
		fail_msg("envelope_parse: %s, expected %s (%s)",
		    attest_strerror(r), attest_strerror(want),
		    attest_diag_get_message(d) ? attest_diag_get_message(d) :
		    "no message");
	assert_null(e);
	tu_assert_field(d, field);
	attest_diag_free(&d);
}

static void
expect_parse_s(const char *text, attest_err_t want, const char *field)
{
	expect_parse(text, strlen(text), want, field);
}

/* Verify, expecting @p want; return the verified payload's length. */
static void
expect_verify(const attest_envelope_t *e, const attest_keyset_t *ks,
    size_t threshold, attest_err_t want, size_t nkeys)
{
	attest_verified_t *v = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_envelope_verify(e, ks, threshold, &v, d);
	if (r != want)
		fail_msg("envelope_verify: %s, expected %s (%s)",
		    attest_strerror(r), attest_strerror(want),
		    attest_diag_get_message(d) ? attest_diag_get_message(d) :
		    "no message");
	if (want == ATTEST_OK) {
		assert_non_null(v);
		assert_null(attest_diag_get_message(d));
		assert_non_null(attest_verified_payload_ptr(v));
	} else if (want == ATTEST_ERR_VERIFY) {
		/* still there, to say which keys verified; no payload */
		assert_non_null(v);
		assert_null(attest_verified_payload_ptr(v));
		assert_int_equal(attest_verified_payload_len(v), 0);
		/* nor a payload type: nothing unverified is handed out */
		assert_null(attest_verified_payload_type(v));
		assert_non_null(attest_diag_get_reason(d));
	} else
		assert_null(v);
	if (v != NULL)
		assert_int_equal(attest_verified_key_count(v), nkeys);
	if (want == ATTEST_OK)
		assert_string_equal(attest_verified_payload_type(v),
		    attest_envelope_payload_type(e));
	attest_verified_free(&v);
	attest_diag_free(&d);
}

/* A one-line envelope with these raw JSON parts (free()). */
static char *
env_text(const char *payload, const char *type, const char *sigs)
{
	size_t n = strlen(payload) + strlen(type) + strlen(sigs) + 64;
	char *t;

	assert_non_null(t = malloc(n));
	(void)snprintf(t, n, "{\"payload\":%s,\"payloadType\":%s,"
	    "\"signatures\":%s}", payload, type, sigs);
	return t;
}

static char *
b64(const unsigned char *ptr, size_t len, int variant)
{
	size_t n = sodium_base64_encoded_len(len, variant);
	char *out;

	assert_non_null(out = malloc(n));
	sodium_bin2base64(out, n, ptr, len, variant);
	return out;
}

/* PAE ------------------------------------------------------------------- */

static void
check_pae(const char *type_hex, const char *body_hex, const char *pae_hex)
{
	unsigned char *type, *body, *want, *pae = NULL;
	size_t type_len, body_len, want_len, pae_len = 0;
	char *tstr;

	type = tu_hex(type_hex, &type_len);
	body = tu_hex(body_hex, &body_len);
	want = tu_hex(pae_hex, &want_len);
	assert_non_null(tstr = calloc(1, type_len + 1));
	memcpy(tstr, type, type_len);
	assert_int_equal(attest_dsse_pae_alloc(tstr, body_len ? body : NULL,
	    body_len, &pae, &pae_len), ATTEST_OK);
	assert_int_equal(pae_len, want_len);
	assert_memory_equal(pae, want, want_len);
	attest_freezero(pae, pae_len);
	free(tstr);
	free(type);
	free(body);
	free(want);
}

static void
test_dsse_pae_edge_cases(void **state)
{
	json_t *root, *cases, *c;
	size_t i;

	(void)state;
	root = tu_load_vector(PAE_VEC);
	assert_true(json_is_array(cases = json_object_get(root, "cases")));
	assert_int_equal(json_array_size(cases), 5);
	json_array_foreach(cases, i, c) {
		check_pae(tu_jstr(c, "payloadTypeHex"), tu_jstr(c, "bodyHex"),
		    tu_jstr(c, "paeHex"));
		/* the UTF-8 form of the type is the same bytes */
		{
			char hex[512];
			const char *u = tu_jstr(c, "payloadTypeUtf8");

			assert_true(2 * strlen(u) + 1 <= sizeof(hex));
			assert_string_equal(tu_tohex(hex,
			    (const unsigned char *)u, strlen(u)),
			    tu_jstr(c, "payloadTypeHex"));
		}
	}
	json_decref(root);
}

static void
test_dsse_pae_hello_world(void **state)
{
	json_t *root;
	unsigned char *pae = NULL;
	size_t pae_len = 0;

	(void)state;
	root = tu_load_vector(HELLO_VEC);
	check_pae("687474703a2f2f6578616d706c652e636f6d2f48656c6c6f576f726c64",
	    tu_jstr(root, "payloadHex"), tu_jstr(root, "paeHex"));
	assert_int_equal(attest_dsse_pae_alloc(tu_jstr(root, "payloadType"),
	    (const unsigned char *)tu_jstr(root, "payloadUtf8"),
	    strlen(tu_jstr(root, "payloadUtf8")), &pae, &pae_len), ATTEST_OK);
	assert_int_equal(pae_len, json_integer_value(json_object_get(root,
	    "paeLength")));
	assert_memory_equal(pae, tu_jstr(root, "paeAscii"), pae_len);
	attest_freezero(pae, pae_len);
	json_decref(root);
}

static void
test_dsse_pae_bad_args(void **state)
{
	unsigned char *pae = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(attest_dsse_pae_alloc(NULL, NULL, 0, &pae, &len),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_dsse_pae_alloc("t", NULL, 1, &pae, &len),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_dsse_pae_alloc("t", NULL, 0, NULL, &len),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(pae);
}

/* The hello-world envelope ---------------------------------------------- */

static void
test_envelope_hello_world_ok(void **state)
{
	attest_keyset_t *ks;
	attest_envelope_t *e;
	attest_verified_t *v = NULL;
	json_t *root;
	char *text;

	(void)state;
	ks = hello_keyset();
	root = tu_load_vector(HELLO_VEC);

	/* the envelope as protocol.md prints it */
	e = parse_ok(tu_jstr(root, "envelopeFromProtocolMdText"));
	assert_string_equal(attest_envelope_payload_type(e), HELLO_TYPE);
	assert_int_equal(attest_envelope_sig_count(e), 1);
	assert_null(attest_envelope_sig_keyid(e, 0));
	assert_int_equal(attest_envelope_verify(e, ks, 1, &v, NULL),
	    ATTEST_OK);
	assert_int_equal(attest_verified_payload_len(v), 11);
	assert_memory_equal(attest_verified_payload_ptr(v), "hello world", 11);
	assert_string_equal(attest_verified_payload_type(v), HELLO_TYPE);
	assert_int_equal(attest_verified_key_count(v), 1);
	assert_string_equal(attest_pubkey_keyid(attest_verified_key(v, 0)),
	    attest_pubkey_keyid(attest_keyset_get(ks, 0)));
	assert_null(attest_verified_key(v, 1));
	attest_verified_free(&v);
	assert_null(v);
	attest_envelope_free(&e);
	assert_null(e);

	/* the doctest's envelope: a keyid hint no trusted key has */
	assert_non_null(text = json_dumps(json_object_get(root,
	    "envelopeFromSigningSpecDoctest"), JSON_COMPACT));
	e = parse_ok(text);
	assert_string_equal(attest_envelope_sig_keyid(e, 0), "66301bbf");
	expect_verify(e, ks, 1, ATTEST_OK, 1);
	attest_envelope_free(&e);
	free(text);

	/* verify without asking for the result */
	e = parse_ok(tu_jstr(root, "envelopeFromProtocolMdText"));
	assert_int_equal(attest_envelope_verify(e, ks, 1, NULL, NULL),
	    ATTEST_OK);
	attest_envelope_free(&e);
	json_decref(root);
	attest_keyset_free(&ks);
}

/* Standard and URL-safe base64 of the same signature both verify. */
static void
test_envelope_hello_world_base64_variants(void **state)
{
	static const char *const keys[] = { "sigStandard", "sigUrlSafe" };
	attest_keyset_t *ks;
	attest_envelope_t *e;
	json_t *root, *var;
	char sigs[256], *text;
	size_t i;

	(void)state;
	ks = hello_keyset();
	root = tu_load_vector(PAE_VEC);
	var = json_object_get(root, "base64Variants");
	for (i = 0; i < 2; i++) {
		(void)snprintf(sigs, sizeof(sigs), "[{\"sig\":\"%s\"}]",
		    tu_jstr(var, keys[i]));
		text = env_text("\"" HELLO_B64 "\"", "\"" HELLO_TYPE "\"",
		    sigs);
		e = parse_ok(text);
		expect_verify(e, ks, 1, ATTEST_OK, 1);
		attest_envelope_free(&e);
		free(text);
	}
	json_decref(root);
	attest_keyset_free(&ks);
}

/* The same signature DER-encoded verifies as well. */
static void
test_envelope_hello_world_der_sig(void **state)
{
	attest_keyset_t *ks;
	attest_envelope_t *e;
	json_t *root;
	unsigned char *der;
	char sigs[256], *s64, *text;
	size_t der_len;

	(void)state;
	ks = hello_keyset();
	root = tu_load_vector(HELLO_VEC);
	der = tu_hex(tu_jstr(root, "signatureDerHex"), &der_len);
	assert_int_equal(der[0], 0x30);
	s64 = b64(der, der_len, sodium_base64_VARIANT_ORIGINAL);
	(void)snprintf(sigs, sizeof(sigs), "[{\"keyid\":\"%s\","
	    "\"sig\":\"%s\"}]", attest_pubkey_keyid(attest_keyset_get(ks, 0)),
	    s64);
	text = env_text("\"" HELLO_B64 "\"", "\"" HELLO_TYPE "\"", sigs);
	e = parse_ok(text);
	expect_verify(e, ks, 1, ATTEST_OK, 1);
	attest_envelope_free(&e);
	free(text);
	/* DER with one bit changed does not */
	der[der_len - 1] ^= 0x01;
	free(s64);
	s64 = b64(der, der_len, sodium_base64_VARIANT_ORIGINAL);
	(void)snprintf(sigs, sizeof(sigs), "[{\"sig\":\"%s\"}]", s64);
	text = env_text("\"" HELLO_B64 "\"", "\"" HELLO_TYPE "\"", sigs);
	e = parse_ok(text);
	expect_verify(e, ks, 1, ATTEST_ERR_VERIFY, 0);
	attest_envelope_free(&e);
	free(text);
	free(s64);
	free(der);
	json_decref(root);
	attest_keyset_free(&ks);
}

static void
test_envelope_hello_world_negative_cases(void **state)
{
	attest_keyset_t *ks;
	attest_envelope_t *e;
	json_t *root, *cases, *c;
	char *text;
	size_t i;

	(void)state;
	ks = hello_keyset();
	root = tu_load_vector(PAE_VEC);
	assert_true(json_is_array(cases = json_object_get(root,
	    "negativeCases")));
	assert_int_equal(json_array_size(cases), 2);
	json_array_foreach(cases, i, c) {
		assert_non_null(text = json_dumps(json_object_get(c,
		    "envelope"), JSON_COMPACT));
		e = parse_ok(text);
		expect_verify(e, ks, 1, ATTEST_ERR_VERIFY, 0);
		attest_envelope_free(&e);
		free(text);
	}
	json_decref(root);
	attest_keyset_free(&ks);
}

/* Round trips ----------------------------------------------------------- */

static attest_envelope_t *
signed_envelope(const char *type, const char *payload, const attest_key_t *a,
    const attest_key_t *b)
{
	attest_envelope_t *e;
	attest_signer_t *s;

	assert_non_null(e = attest_envelope_new());
	assert_int_equal(attest_envelope_set_payload(e, type,
	    (const unsigned char *)payload, strlen(payload)), ATTEST_OK);
	if (a != NULL) {
		s = signer_for(a);
		assert_int_equal(attest_envelope_sign(e, s, NULL), ATTEST_OK);
		attest_signer_free(&s);
	}
	if (b != NULL) {
		s = signer_for(b);
		assert_int_equal(attest_envelope_sign(e, s, NULL), ATTEST_OK);
		attest_signer_free(&s);
	}
	return e;
}

static char *
serialize(const attest_envelope_t *e)
{
	unsigned char *out = NULL;
	size_t len = 0;
	char *t;

	assert_int_equal(attest_envelope_serialize_alloc(e, &out, &len),
	    ATTEST_OK);
	assert_int_equal(strlen((const char *)out), len);
	assert_null(memchr(out, '\n', len));
	assert_non_null(t = strdup((const char *)out));
	attest_freezero(out, len);
	return t;
}

static void
test_envelope_roundtrip_threshold_ok(void **state)
{
	static const char payload[] = "{\"_type\":\"x\"}";
	attest_envelope_t *e, *back;
	attest_keyset_t *ks;
	attest_verified_t *v = NULL;
	char *text;

	(void)state;
	e = signed_envelope(ATTEST_PAYLOAD_TYPE_INTOTO, payload, k_ed,
	    k_p256);
	assert_int_equal(attest_envelope_sig_count(e), 2);
	text = serialize(e);
	back = parse_ok(text);
	assert_string_equal(attest_envelope_payload_type(back),
	    ATTEST_PAYLOAD_TYPE_INTOTO);
	assert_int_equal(attest_envelope_sig_count(back), 2);
	assert_string_equal(attest_envelope_sig_keyid(back, 0),
	    attest_pubkey_keyid(attest_key_pubkey(k_ed)));
	assert_string_equal(attest_envelope_sig_keyid(back, 1),
	    attest_pubkey_keyid(attest_key_pubkey(k_p256)));
	assert_null(attest_envelope_sig_keyid(back, 2));

	ks = keyset_of(k_ed, k_p256);
	assert_int_equal(attest_envelope_verify(back, ks, 2, &v, NULL),
	    ATTEST_OK);
	assert_int_equal(attest_verified_key_count(v), 2);
	assert_int_equal(attest_verified_payload_len(v), strlen(payload));
	assert_memory_equal(attest_verified_payload_ptr(v), payload,
	    strlen(payload));
	attest_verified_free(&v);
	expect_verify(back, ks, 1, ATTEST_OK, 2);
	/* the envelope we signed verifies as it is, too */
	expect_verify(e, ks, 2, ATTEST_OK, 2);
	/* serialising the parsed envelope gives the same text */
	{
		char *again = serialize(back);

		assert_string_equal(again, text);
		free(again);
	}
	attest_keyset_free(&ks);
	attest_envelope_free(&back);
	attest_envelope_free(&e);
	free(text);
}

/* Every algorithm, RSA-PSS included, and an empty payload. */
static void
test_envelope_roundtrip_each_alg(void **state)
{
	attest_key_t *rsa = NULL;
	attest_envelope_t *e, *back;
	attest_keyset_t *ks;
	char *text;

	(void)state;
	assert_int_equal(attest_key_generate(&rsa, ATTEST_ALG_RSA_PSS_SHA256),
	    ATTEST_OK);
	e = signed_envelope("application/octet-stream", "", k_p384, rsa);
	text = serialize(e);
	assert_non_null(strstr(text, "\"payload\":\"\""));
	back = parse_ok(text);
	ks = keyset_of(k_p384, rsa);
	expect_verify(back, ks, 2, ATTEST_OK, 2);
	attest_keyset_free(&ks);
	attest_envelope_free(&back);
	attest_envelope_free(&e);
	free(text);
	attest_key_free(&rsa);
}

static void
test_envelope_set_payload_clears_sigs(void **state)
{
	attest_envelope_t *e;

	(void)state;
	e = signed_envelope("t", "one", k_ed, NULL);
	assert_int_equal(attest_envelope_sig_count(e), 1);
	assert_int_equal(attest_envelope_set_payload(e, "t",
	    (const unsigned char *)"two", 3), ATTEST_OK);
	assert_int_equal(attest_envelope_sig_count(e), 0);
	attest_envelope_free(&e);
}

static void
test_envelope_set_payload_bad(void **state)
{
	attest_envelope_t *e;
	attest_signer_t *s;
	unsigned char *out = NULL, *big;
	char type[ATTEST_MAX_PAYLOAD_TYPE_BYTES + 2];
	size_t len = 0;

	(void)state;
	assert_non_null(e = attest_envelope_new());
	/* nothing to sign or serialise yet */
	s = signer_for(k_ed);
	assert_int_equal(attest_envelope_sign(e, s, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_envelope_serialize_alloc(e, &out, &len),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(out);
	assert_int_equal(attest_envelope_set_payload(e, "",
	    (const unsigned char *)"x", 1), ATTEST_ERR_INVALID_ARGUMENT);
	memset(type, 't', sizeof(type) - 1);
	type[sizeof(type) - 1] = '\0';
	assert_int_equal(attest_envelope_set_payload(e, type,
	    (const unsigned char *)"x", 1), ATTEST_ERR_INVALID_ARGUMENT);
	type[ATTEST_MAX_PAYLOAD_TYPE_BYTES] = '\0';
	assert_int_equal(attest_envelope_set_payload(e, type,
	    (const unsigned char *)"x", 1), ATTEST_OK);
	assert_int_equal(attest_envelope_set_payload(e, NULL,
	    (const unsigned char *)"x", 1), ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_envelope_set_payload(e, "t", NULL, 1),
	    ATTEST_ERR_INVALID_ARGUMENT);
	/* above ATTEST_MAX_PAYLOAD_BYTES: refused before copying */
	assert_non_null(big = malloc(ATTEST_MAX_PAYLOAD_BYTES + 1));
	assert_int_equal(attest_envelope_set_payload(e, "t", big,
	    ATTEST_MAX_PAYLOAD_BYTES + 1), ATTEST_ERR_TOO_LARGE);
	free(big);
	/* a failed set kept the previous payload */
	assert_string_equal(attest_envelope_payload_type(e), type);
	attest_signer_free(&s);
	attest_envelope_free(&e);
	attest_envelope_free(NULL);
	assert_null(attest_envelope_payload_type(NULL));
	assert_int_equal(attest_envelope_sig_count(NULL), 0);
}

/* ATTEST_MAX_SIGNATURES on the signing side. */
static void
test_envelope_sign_too_many(void **state)
{
	attest_envelope_t *e;
	attest_signer_t *s;
	size_t i;

	(void)state;
	e = signed_envelope("t", "p", NULL, NULL);
	s = signer_for(k_ed);
	for (i = 0; i < ATTEST_MAX_SIGNATURES; i++)
		assert_int_equal(attest_envelope_sign(e, s, NULL), ATTEST_OK);
	assert_int_equal(attest_envelope_sign(e, s, NULL), ATTEST_ERR_TOO_LARGE);
	assert_int_equal(attest_envelope_sig_count(e), ATTEST_MAX_SIGNATURES);
	attest_signer_free(&s);
	attest_envelope_free(&e);
}

/* A payload in URL-safe base64 verifies like the standard one. */
static void
test_envelope_urlsafe_payload_ok(void **state)
{
	static const unsigned char bin[] = { 0xfb, 0xff, 0xfe, 0x00 };
	attest_envelope_t *e;
	attest_keyset_t *ks;
	attest_signer_t *s;
	attest_verified_t *v = NULL;
	char *std, *url, *text, sigs[256], *s64;
	unsigned char *sig = NULL, *pae = NULL;
	size_t sig_len = 0, pae_len = 0;

	(void)state;
	std = b64(bin, sizeof(bin), sodium_base64_VARIANT_ORIGINAL);
	url = b64(bin, sizeof(bin), sodium_base64_VARIANT_URLSAFE);
	assert_string_equal(std, "+//+AA==");
	assert_string_equal(url, "-__-AA==");
	/* sign PAE by hand, so that the envelope text is all ours */
	s = signer_for(k_ed);
	assert_int_equal(attest_dsse_pae_alloc("t", bin, sizeof(bin), &pae,
	    &pae_len), ATTEST_OK);
	assert_int_equal(attest_signer_sign_alloc(s, pae, pae_len, &sig,
	    &sig_len, NULL), ATTEST_OK);
	s64 = b64(sig, sig_len, sodium_base64_VARIANT_URLSAFE);
	(void)snprintf(sigs, sizeof(sigs), "[{\"sig\":\"%s\"}]", s64);
	ks = keyset_of(k_ed, NULL);
	text = env_text("\"-__-AA==\"", "\"t\"", sigs);
	e = parse_ok(text);
	assert_int_equal(attest_envelope_verify(e, ks, 1, &v, NULL),
	    ATTEST_OK);
	assert_int_equal(attest_verified_payload_len(v), sizeof(bin));
	assert_memory_equal(attest_verified_payload_ptr(v), bin, sizeof(bin));
	attest_verified_free(&v);
	attest_envelope_free(&e);
	free(text);
	/* serialised again, it comes out standard */
	text = env_text("\"+//+AA==\"", "\"t\"", sigs);
	e = parse_ok(text);
	expect_verify(e, ks, 1, ATTEST_OK, 1);
	free(text);
	text = serialize(e);
	assert_non_null(strstr(text, "\"+//+AA==\""));
	assert_null(strchr(text, '-'));
	assert_null(strchr(text, '_'));
	attest_envelope_free(&e);
	free(text);
	attest_keyset_free(&ks);
	attest_freezero(sig, sig_len);
	attest_freezero(pae, pae_len);
	attest_signer_free(&s);
	free(s64);
	free(std);
	free(url);
}

/* Unknown fields are ignored, at the top and in a signature. */
static void
test_envelope_unknown_fields_ok(void **state)
{
	attest_envelope_t *e, *src;
	attest_keyset_t *ks;
	json_t *j;
	char *text;

	(void)state;
	src = signed_envelope("t", "payload", k_ed, NULL);
	text = serialize(src);
	assert_non_null(j = json_loads(text, 0, NULL));
	free(text);
	assert_int_equal(json_object_set_new(j, "extra",
	    json_pack("{s:[i,i],s:n}", "a", 1, 2, "b")), 0);
	assert_int_equal(json_object_set_new(json_array_get(
	    json_object_get(j, "signatures"), 0), "cert", json_string("x")),
	    0);
	assert_non_null(text = json_dumps(j, JSON_COMPACT));
	json_decref(j);
	e = parse_ok(text);
	ks = keyset_of(k_ed, NULL);
	expect_verify(e, ks, 1, ATTEST_OK, 1);
	attest_keyset_free(&ks);
	attest_envelope_free(&e);
	attest_envelope_free(&src);
	free(text);
}

/* keyid hints: empty = none; one naming another trusted key is obeyed. */
static void
test_envelope_keyid_hint(void **state)
{
	attest_envelope_t *src, *e;
	attest_keyset_t *ks;
	json_t *j, *sig0;
	char *text;

	(void)state;
	src = signed_envelope("t", "hint", k_p256, NULL);
	text = serialize(src);
	assert_non_null(j = json_loads(text, 0, NULL));
	free(text);
	sig0 = json_array_get(json_object_get(j, "signatures"), 0);
	ks = keyset_of(k_ed, k_p256);

	assert_int_equal(json_object_set_new(sig0, "keyid", json_string("")),
	    0);
	assert_non_null(text = json_dumps(j, JSON_COMPACT));
	e = parse_ok(text);
	assert_null(attest_envelope_sig_keyid(e, 0));
	expect_verify(e, ks, 1, ATTEST_OK, 1);
	attest_envelope_free(&e);
	free(text);

	assert_int_equal(json_object_del(sig0, "keyid"), 0);
	assert_non_null(text = json_dumps(j, JSON_COMPACT));
	e = parse_ok(text);
	expect_verify(e, ks, 1, ATTEST_OK, 1);
	attest_envelope_free(&e);
	free(text);

	/* the hint names the other trusted key: only that one is tried */
	assert_int_equal(json_object_set_new(sig0, "keyid", json_string(
	    attest_pubkey_keyid(attest_key_pubkey(k_ed)))), 0);
	assert_non_null(text = json_dumps(j, JSON_COMPACT));
	e = parse_ok(text);
	expect_verify(e, ks, 1, ATTEST_ERR_VERIFY, 0);
	attest_envelope_free(&e);
	free(text);

	json_decref(j);
	attest_keyset_free(&ks);
	attest_envelope_free(&src);
}

/*
 * Signatures that name no trusted key are tried against every key, but
 * at most ATTEST_MAX_BLIND_CHECKS times per envelope (specs/dsse.md §7):
 * 31 junk signatures before the good one spend the budget with two
 * trusted keys; the good one first still verifies.
 */
static void
test_envelope_blind_check_limit(void **state)
{
	attest_envelope_t *src, *e;
	attest_keyset_t *ks;
	attest_diag_t *d = attest_diag_new();
	json_t *j, *sigs, *good, *junk;
	char *text;
	int i;

	(void)state;
	src = signed_envelope("t", "limit", k_p256, NULL);
	text = serialize(src);
	assert_non_null(j = json_loads(text, 0, NULL));
	free(text);
	sigs = json_object_get(j, "signatures");
	good = json_incref(json_array_get(sigs, 0));
	json_object_del(good, "keyid");
	json_array_clear(sigs);
	/* the good signature with one base64 digit of r changed */
	{
		char *bad = strdup(json_string_value(json_object_get(good,
		    "sig")));

		assert_non_null(bad);
		bad[20] = bad[20] == 'A' ? 'B' : 'A';
		junk = json_pack("{s:s}", "sig", bad);
		free(bad);
	}
	for (i = 0; i < 31; i++)
		json_array_append(sigs, junk);
	json_array_append(sigs, good);
	ks = keyset_of(k_ed, k_p256);
	assert_non_null(text = json_dumps(j, JSON_COMPACT));
	e = parse_ok(text);
	assert_int_equal(attest_envelope_verify(e, ks, 1, NULL, d),
	    ATTEST_ERR_VERIFY);
	assert_non_null(strstr(attest_diag_get_message(d), "the limit of 32 "
	    "checks"));
	attest_envelope_free(&e);
	free(text);
	/* the good signature first: verified before the junk */
	json_array_clear(sigs);
	json_array_append(sigs, good);
	for (i = 0; i < 31; i++)
		json_array_append(sigs, junk);
	assert_non_null(text = json_dumps(j, JSON_COMPACT));
	e = parse_ok(text);
	expect_verify(e, ks, 1, ATTEST_OK, 1);
	attest_envelope_free(&e);
	free(text);
	json_decref(junk);
	json_decref(good);
	json_decref(j);
	attest_keyset_free(&ks);
	attest_envelope_free(&src);
	attest_diag_free(&d);
}

/* Verification failures ------------------------------------------------- */

/* Re-serialise src with one member replaced. */
static attest_envelope_t *
edited(const attest_envelope_t *src, const char *key, const char *val)
{
	attest_envelope_t *e;
	json_t *j;
	char *text;

	text = serialize(src);
	assert_non_null(j = json_loads(text, 0, NULL));
	free(text);
	assert_int_equal(json_object_set_new(j, key, json_string(val)), 0);
	assert_non_null(text = json_dumps(j, JSON_COMPACT));
	json_decref(j);
	e = parse_ok(text);
	free(text);
	return e;
}

static void
test_envelope_verify_altered_payload(void **state)
{
	attest_envelope_t *src, *e;
	attest_keyset_t *ks;
	char *p64;

	(void)state;
	src = signed_envelope("t", "hello world", k_ed, k_p256);
	ks = keyset_of(k_ed, k_p256);
	p64 = b64((const unsigned char *)"hello worle", 11,
	    sodium_base64_VARIANT_ORIGINAL);
	e = edited(src, "payload", p64);
	expect_verify(e, ks, 1, ATTEST_ERR_VERIFY, 0);
	attest_envelope_free(&e);
	free(p64);
	/* one byte more */
	p64 = b64((const unsigned char *)"hello world\n", 12,
	    sodium_base64_VARIANT_ORIGINAL);
	e = edited(src, "payload", p64);
	expect_verify(e, ks, 1, ATTEST_ERR_VERIFY, 0);
	attest_envelope_free(&e);
	free(p64);
	attest_keyset_free(&ks);
	attest_envelope_free(&src);
}

static void
test_envelope_verify_altered_payload_type(void **state)
{
	attest_envelope_t *src, *e;
	attest_keyset_t *ks;

	(void)state;
	src = signed_envelope("application/vnd.in-toto+json", "{}", k_ed,
	    k_p384);
	ks = keyset_of(k_ed, k_p384);
	e = edited(src, "payloadType", "application/vnd.in-toto+JSON");
	expect_verify(e, ks, 1, ATTEST_ERR_VERIFY, 0);
	attest_envelope_free(&e);
	e = edited(src, "payloadType", "application/json");
	expect_verify(e, ks, 1, ATTEST_ERR_VERIFY, 0);
	attest_envelope_free(&e);
	attest_keyset_free(&ks);
	attest_envelope_free(&src);
}

static void
test_envelope_verify_untrusted_key(void **state)
{
	attest_envelope_t *e;
	attest_keyset_t *ks;

	(void)state;
	e = signed_envelope("t", "p", k_p384, NULL);
	ks = keyset_of(k_ed, k_p256);
	expect_verify(e, ks, 1, ATTEST_ERR_VERIFY, 0);
	attest_keyset_free(&ks);
	/* one trusted, one not: threshold 1 met, 2 not */
	attest_envelope_free(&e);
	e = signed_envelope("t", "p", k_p384, k_ed);
	ks = keyset_of(k_ed, k_p256);
	expect_verify(e, ks, 1, ATTEST_OK, 1);
	expect_verify(e, ks, 2, ATTEST_ERR_VERIFY, 1);
	attest_keyset_free(&ks);
	attest_envelope_free(&e);
}

/* The same key signing twice counts once. */
static void
test_envelope_verify_same_key_twice(void **state)
{
	attest_envelope_t *e, *back;
	attest_keyset_t *ks;
	attest_verified_t *v = NULL;
	char *text;

	(void)state;
	e = signed_envelope("t", "twice", k_p256, k_p256);
	assert_int_equal(attest_envelope_sig_count(e), 2);
	text = serialize(e);
	back = parse_ok(text);
	ks = keyset_of(k_p256, k_ed);
	assert_int_equal(attest_envelope_verify(back, ks, 2, &v, NULL),
	    ATTEST_ERR_VERIFY);
	/* which keys did verify is still reported */
	assert_int_equal(attest_verified_key_count(v), 1);
	assert_string_equal(attest_pubkey_keyid(attest_verified_key(v, 0)),
	    attest_pubkey_keyid(attest_key_pubkey(k_p256)));
	assert_null(attest_verified_payload_ptr(v));
	attest_verified_free(&v);
	expect_verify(back, ks, 1, ATTEST_OK, 1);
	attest_keyset_free(&ks);
	attest_envelope_free(&back);
	attest_envelope_free(&e);
	free(text);
}

static void
test_envelope_verify_bad_threshold(void **state)
{
	attest_envelope_t *e;
	attest_keyset_t *ks, *empty;
	attest_diag_t *d;

	(void)state;
	assert_non_null(d = attest_diag_new());
	e = signed_envelope("t", "p", k_ed, k_p256);
	ks = keyset_of(k_ed, k_p256);
	expect_verify(e, ks, 3, ATTEST_ERR_INVALID_ARGUMENT, 0);
	expect_verify(e, ks, 0, ATTEST_ERR_INVALID_ARGUMENT, 0);
	assert_int_equal(attest_envelope_verify(e, ks, 3, NULL, d),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(attest_diag_get_reason(d), "threshold"));
	assert_non_null(empty = attest_keyset_new());
	expect_verify(e, empty, 1, ATTEST_ERR_INVALID_ARGUMENT, 0);
	assert_int_equal(attest_envelope_verify(NULL, ks, 1, NULL, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_envelope_verify(e, NULL, 1, NULL, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_keyset_free(&empty);
	attest_keyset_free(&ks);
	attest_envelope_free(&e);
	attest_diag_free(&d);
}

static void
test_envelope_verify_no_signatures(void **state)
{
	attest_envelope_t *e;
	attest_keyset_t *ks;
	attest_diag_t *d;
	char *text;

	(void)state;
	text = env_text("\"" HELLO_B64 "\"", "\"t\"", "[]");
	e = parse_ok(text);
	free(text);
	assert_int_equal(attest_envelope_sig_count(e), 0);
	ks = keyset_of(k_ed, NULL);
	expect_verify(e, ks, 1, ATTEST_ERR_VERIFY, 0);
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_envelope_verify(e, ks, 1, NULL, d),
	    ATTEST_ERR_VERIFY);
	assert_non_null(strstr(attest_diag_get_reason(d), "no signatures"));
	attest_diag_free(&d);
	attest_keyset_free(&ks);
	attest_envelope_free(&e);
}

/* Malformed envelopes --------------------------------------------------- */

#define SIG_OK	"\"A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajab" \
		"ZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==\""

static void
test_envelope_parse_truncated(void **state)
{
	char *text;
	size_t len, cut;
	attest_envelope_t *e = NULL;

	(void)state;
	text = env_text("\"" HELLO_B64 "\"", "\"" HELLO_TYPE "\"",
	    "[{\"sig\":" SIG_OK "}]");
	len = strlen(text);
	/* every proper prefix is refused */
	for (cut = 0; cut < len; cut++)
		assert_int_equal(attest_envelope_parse(&e,
		    (unsigned char *)text, cut, NULL), ATTEST_ERR_PARSE);
	assert_null(e);
	expect_parse(text, len - 1, ATTEST_ERR_PARSE, NULL);
	free(text);
}

static void
test_envelope_parse_duplicate_key(void **state)
{
	attest_envelope_t *e = NULL;
	attest_diag_t *d;
	const char *dup1 = "{\"payload\":\"" HELLO_B64 "\",\"payload\":\""
	    HELLO_B64 "\",\"payloadType\":\"t\",\"signatures\":[]}";
	const char *dup2 = "{\"payload\":\"" HELLO_B64 "\",\"payloadType\":"
	    "\"t\",\"signatures\":[{\"sig\":" SIG_OK ",\"sig\":" SIG_OK "}]}";

	(void)state;
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_envelope_parse(&e, (const unsigned char *)dup1,
	    strlen(dup1), d), ATTEST_ERR_PARSE);
	assert_null(e);
	assert_true(attest_diag_get_offset(d) > 0);
	assert_non_null(strstr(attest_diag_get_reason(d), "duplicate"));
	assert_non_null(strstr(attest_diag_get_reason(d), "payload"));
	attest_diag_clear(d);
	assert_int_equal(attest_envelope_parse(&e, (const unsigned char *)dup2,
	    strlen(dup2), d), ATTEST_ERR_PARSE);
	assert_null(e);
	assert_non_null(strstr(attest_diag_get_reason(d), "duplicate"));
	assert_non_null(strstr(attest_diag_get_reason(d), "sig"));
	attest_diag_free(&d);
}

static void
test_envelope_parse_trailing(void **state)
{
	static const char *const tails[] = { "x", "{}", "\n{}", "0", "]" };
	attest_envelope_t *e;
	char *text, *t;
	size_t i, n;

	(void)state;
	text = env_text("\"" HELLO_B64 "\"", "\"t\"", "[]");
	n = strlen(text) + 8;
	assert_non_null(t = malloc(n));
	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		(void)snprintf(t, n, "%s%s", text, tails[i]);
		expect_parse_s(t, ATTEST_ERR_PARSE, NULL);
	}
	/* white space after the object is fine */
	(void)snprintf(t, n, "%s \r\n", text);
	e = parse_ok(t);
	attest_envelope_free(&e);
	/* a NUL byte before the end */
	(void)snprintf(t, n, "%sx", text);
	t[strlen(text)] = '\0';
	expect_parse(t, strlen(text) + 1, ATTEST_ERR_PARSE, NULL);
	free(t);
	free(text);
}

static void
test_envelope_parse_wrong_types(void **state)
{
	static const struct {
		const char	*payload;
		const char	*type;
		const char	*sigs;
		const char	*field;
	} c[] = {
		{ "1", "\"t\"", "[]", "payload" },
		{ "null", "\"t\"", "[]", "payload" },
		{ "[\"" HELLO_B64 "\"]", "\"t\"", "[]", "payload" },
		{ "\"" HELLO_B64 "\"", "1", "[]", "payloadType" },
		{ "\"" HELLO_B64 "\"", "\"\"", "[]", "payloadType" },
		{ "\"" HELLO_B64 "\"", "\"t\"", "{}", "signatures" },
		{ "\"" HELLO_B64 "\"", "\"t\"", "\"sig\"", "signatures" },
		{ "\"" HELLO_B64 "\"", "\"t\"", "[1]", "signatures[0]" },
		{ "\"" HELLO_B64 "\"", "\"t\"", "[{\"sig\":" SIG_OK "},[]]",
		    "signatures[1]" },
		{ "\"" HELLO_B64 "\"", "\"t\"", "[{\"sig\":1}]",
		    "signatures[0].sig" },
		{ "\"" HELLO_B64 "\"", "\"t\"", "[{\"keyid\":\"k\"}]",
		    "signatures[0].sig" },
		{ "\"" HELLO_B64 "\"", "\"t\"", "[{\"sig\":\"\"}]",
		    "signatures[0].sig" },
		{ "\"" HELLO_B64 "\"", "\"t\"", "[{\"sig\":" SIG_OK
		    ",\"keyid\":7}]", "signatures[0].keyid" },
		{ "\"" HELLO_B64 "\"", "\"t\"", "[{\"sig\":" SIG_OK
		    ",\"keyid\":null}]", "signatures[0].keyid" },
	};
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		text = env_text(c[i].payload, c[i].type, c[i].sigs);
		expect_parse_s(text, ATTEST_ERR_PARSE, c[i].field);
		free(text);
	}
	/* missing members */
	expect_parse_s("{\"payloadType\":\"t\",\"signatures\":[]}",
	    ATTEST_ERR_PARSE, "payload");
	expect_parse_s("{\"payload\":\"\",\"signatures\":[]}",
	    ATTEST_ERR_PARSE, "payloadType");
	expect_parse_s("{\"payload\":\"\",\"payloadType\":\"t\"}",
	    ATTEST_ERR_PARSE, "signatures");
	/* not an object at all */
	expect_parse_s("[]", ATTEST_ERR_PARSE, NULL);
	expect_parse_s("\"x\"", ATTEST_ERR_PARSE, NULL);
	expect_parse_s("", ATTEST_ERR_PARSE, NULL);
	{
		attest_envelope_t *e = NULL;

		assert_int_equal(attest_envelope_parse(NULL,
		    (const unsigned char *)"{}", 2, NULL),
		    ATTEST_ERR_INVALID_ARGUMENT);
		assert_int_equal(attest_envelope_parse(&e, NULL, 0, NULL),
		    ATTEST_ERR_INVALID_ARGUMENT);
	}
}

static void
test_envelope_parse_bad_base64(void **state)
{
	static const struct {
		const char	*payload;
		const char	*sig;
		const char	*field;
	} c[] = {
		/* not base64 */
		{ "\"aGVsbG8g*29ybGQ=\"", SIG_OK, "payload" },
		{ "\"aGVsbG8gd29ybGQ= \"", SIG_OK, "payload" },
		{ "\"aGVsbG8g\\nd29ybGQ=\"", SIG_OK, "payload" },
		{ "\"" HELLO_B64 "\"", "\"A3Jq!QGt\"", "signatures[1].sig" },
		/* bad or missing padding */
		{ "\"aGVsbG8gd29ybGQ\"", SIG_OK, "payload" },
		{ "\"aGVsbG8gd29ybGQ==\"", SIG_OK, "payload" },
		{ "\"aGVsbG8gd29yb===\"", SIG_OK, "payload" },
		{ "\"aGVs=G8gd29ybGQ=\"", SIG_OK, "payload" },
		{ "\"=\"", SIG_OK, "payload" },
		{ "\"" HELLO_B64 "\"", "\"A3JqsQ\"", "signatures[1].sig" },
		/* stray bits: 'R' decodes like 'Q' but is not canonical */
		{ "\"aGVsbG8gd29ybGR=\"", SIG_OK, "payload" },
		{ "\"" HELLO_B64 "\"", "\"A3J=\"", "signatures[1].sig" },
		/* standard and URL-safe alphabets mixed */
		{ "\"" HELLO_B64 "\"",
		    "\"A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ-O88SjtR6rDAajabZKci"
		    "JTfUiHqJPcIAriEGAHTVeCUjW2JIZA==\"", "signatures[1].sig" },
	};
	char sigs[512], *text;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		/* the bad signature second, so that its index shows */
		(void)snprintf(sigs, sizeof(sigs), "[{\"sig\":" SIG_OK "},"
		    "{\"sig\":%s}]", c[i].sig);
		text = env_text(c[i].payload, "\"" HELLO_TYPE "\"", sigs);
		expect_parse_s(text, ATTEST_ERR_PARSE, c[i].field);
		free(text);
	}
}

static void
test_envelope_parse_too_large(void **state)
{
	static const char head[] = "{\"payloadType\":\"t\",\"signatures\":[],"
	    "\"payload\":\"";
	static const char tail[] = "\"}";
	const size_t total = ATTEST_MAX_ENVELOPE_BYTES + 1;
	unsigned char *buf;
	char type[ATTEST_MAX_PAYLOAD_TYPE_BYTES + 2], *text;
	char sigs[2048], big[1500];

	(void)state;
	/* a well-formed envelope one byte above the ceiling */
	assert_non_null(buf = malloc(total));
	memcpy(buf, head, sizeof(head) - 1);
	memset(buf + sizeof(head) - 1, 'A', total - (sizeof(head) - 1) -
	    (sizeof(tail) - 1));
	memcpy(buf + total - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
	expect_parse((const char *)buf, total, ATTEST_ERR_TOO_LARGE, NULL);
	free(buf);

	/* a payloadType above its ceiling */
	memset(type, 't', sizeof(type) - 1);
	type[sizeof(type) - 1] = '\0';
	(void)snprintf(sigs, sizeof(sigs), "\"%s\"", type);
	text = env_text("\"\"", sigs, "[]");
	expect_parse_s(text, ATTEST_ERR_TOO_LARGE, "payloadType");
	free(text);

	/* a keyid hint above its ceiling */
	memset(big, 'k', ATTEST_MAX_KEYID_BYTES + 1);
	big[ATTEST_MAX_KEYID_BYTES + 1] = '\0';
	(void)snprintf(sigs, sizeof(sigs), "[{\"keyid\":\"%s\",\"sig\":"
	    SIG_OK "}]", big);
	text = env_text("\"\"", "\"t\"", sigs);
	expect_parse_s(text, ATTEST_ERR_TOO_LARGE, "signatures[0].keyid");
	free(text);

	/* the largest signature, ATTEST_MAX_SIG_BYTES once decoded */
	memset(big, 'A', 1368);
	memcpy(big + 1364, "AA==", 4);	/* 341 * 3 + 1 = 1024 bytes */
	big[1368] = '\0';
	(void)snprintf(sigs, sizeof(sigs), "[{\"sig\":\"%s\"}]", big);
	text = env_text("\"\"", "\"t\"", sigs);
	{
		attest_envelope_t *e = parse_ok(text);

		attest_envelope_free(&e);
	}
	free(text);
	/* one and two bytes more: the same number of base64 characters */
	memcpy(big + 1364, "AAA=", 4);	/* 1025 bytes */
	(void)snprintf(sigs, sizeof(sigs), "[{\"sig\":\"%s\"}]", big);
	text = env_text("\"\"", "\"t\"", sigs);
	expect_parse_s(text, ATTEST_ERR_TOO_LARGE, "signatures[0].sig");
	free(text);
	memcpy(big + 1364, "AAAA", 4);	/* 1026 bytes */
	(void)snprintf(sigs, sizeof(sigs), "[{\"sig\":\"%s\"}]", big);
	text = env_text("\"\"", "\"t\"", sigs);
	expect_parse_s(text, ATTEST_ERR_TOO_LARGE, "signatures[0].sig");
	free(text);
	memset(big, 'A', 1372);		/* 1029 bytes */
	big[1372] = '\0';
	(void)snprintf(sigs, sizeof(sigs), "[{\"sig\":\"%s\"}]", big);
	text = env_text("\"\"", "\"t\"", sigs);
	expect_parse_s(text, ATTEST_ERR_TOO_LARGE, "signatures[0].sig");
	free(text);
}

static void
test_envelope_parse_too_many_signatures(void **state)
{
	size_t n, i, cap = (ATTEST_MAX_SIGNATURES + 2) * 120;
	char *sigs, *text;
	attest_envelope_t *e;

	(void)state;
	assert_non_null(sigs = malloc(cap));
	for (n = ATTEST_MAX_SIGNATURES; n <= ATTEST_MAX_SIGNATURES + 1; n++) {
		(void)snprintf(sigs, cap, "[");
		for (i = 0; i < n; i++)
			(void)snprintf(sigs + strlen(sigs), cap - strlen(sigs),
			    "%s{\"sig\":" SIG_OK "}", i ? "," : "");
		(void)snprintf(sigs + strlen(sigs), cap - strlen(sigs), "]");
		text = env_text("\"" HELLO_B64 "\"", "\"t\"", sigs);
		if (n == ATTEST_MAX_SIGNATURES) {
			e = parse_ok(text);
			assert_int_equal(attest_envelope_sig_count(e), n);
			attest_envelope_free(&e);
		} else
			expect_parse_s(text, ATTEST_ERR_TOO_LARGE,
			    "signatures");
		free(text);
	}
	free(sigs);
}

static void
test_envelope_parse_too_deep(void **state)
{
	char text[512];
	size_t i, n = 0;

	(void)state;
	n += (size_t)snprintf(text, sizeof(text), "{\"payload\":\"\","
	    "\"payloadType\":\"t\",\"signatures\":[],\"x\":");
	for (i = 0; i < ATTEST_MAX_JSON_DEPTH + 1; i++)
		text[n++] = '[';
	for (i = 0; i < ATTEST_MAX_JSON_DEPTH + 1; i++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = '\0';
	expect_parse_s(text, ATTEST_ERR_TOO_LARGE, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dsse_pae_edge_cases),
		cmocka_unit_test(test_dsse_pae_hello_world),
		cmocka_unit_test(test_dsse_pae_bad_args),
		cmocka_unit_test(test_envelope_hello_world_ok),
		cmocka_unit_test(test_envelope_hello_world_base64_variants),
		cmocka_unit_test(test_envelope_hello_world_der_sig),
		cmocka_unit_test(test_envelope_hello_world_negative_cases),
		cmocka_unit_test(test_envelope_roundtrip_threshold_ok),
		cmocka_unit_test(test_envelope_roundtrip_each_alg),
		cmocka_unit_test(test_envelope_set_payload_clears_sigs),
		cmocka_unit_test(test_envelope_set_payload_bad),
		cmocka_unit_test(test_envelope_sign_too_many),
		cmocka_unit_test(test_envelope_urlsafe_payload_ok),
		cmocka_unit_test(test_envelope_unknown_fields_ok),
		cmocka_unit_test(test_envelope_keyid_hint),
		cmocka_unit_test(test_envelope_blind_check_limit),
		cmocka_unit_test(test_envelope_verify_altered_payload),
		cmocka_unit_test(test_envelope_verify_altered_payload_type),
		cmocka_unit_test(test_envelope_verify_untrusted_key),
		cmocka_unit_test(test_envelope_verify_same_key_twice),
		cmocka_unit_test(test_envelope_verify_bad_threshold),
		cmocka_unit_test(test_envelope_verify_no_signatures),
		cmocka_unit_test(test_envelope_parse_truncated),
		cmocka_unit_test(test_envelope_parse_duplicate_key),
		cmocka_unit_test(test_envelope_parse_trailing),
		cmocka_unit_test(test_envelope_parse_wrong_types),
		cmocka_unit_test(test_envelope_parse_bad_base64),
		cmocka_unit_test(test_envelope_parse_too_large),
		cmocka_unit_test(test_envelope_parse_too_many_signatures),
		cmocka_unit_test(test_envelope_parse_too_deep),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
