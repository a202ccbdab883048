/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FIDO signature verification (specs/fido.md §2, §3, §6) without a
 * device: a software P-256 or Ed25519 key signs authenticatorData ||
 * clientDataHash exactly as an authenticator would (ECDSA-SHA-256 and
 * Ed25519 over the concatenation), so that every flag, rp id, counter
 * and blob shape the verifier must refuse can be made on purpose.
 */
#include "testutil.h"

#define FLAG_UP	0x01
#define FLAG_UV	0x04
#define FLAG_AT	0x40
#define FLAG_ED	0x80

static const char payload[] = "{\"_type\":\"https://in-toto.io/Statement/"
    "v1\",\"subject\":[]}";
static const char ptype[] = "application/vnd.in-toto+json";

struct fx {
	attest_key_t	*key;		/* the "authenticator" key */
	attest_signer_t	*soft;		/* signs like the authenticator */
	attest_pubkey_t	*pub;		/* the trusted FIDO public key */
	char		 dir[TU_PATH_MAX];
};

/* The FIDO public key file text for a plain key's SPKI. */
static char *
fido_pub_text(const attest_pubkey_t *plain, const char *alg, const char *rp)
{
	unsigned char *pem = NULL;
	size_t pem_len = 0;
	char *s;

	assert_int_equal(attest_pubkey_pem_alloc(plain, &pem, &pem_len),
	    ATTEST_OK);
	assert_non_null(s = malloc(pem_len + 256));
	snprintf(s, pem_len + 256, "libattest-fido-public-key: 1\n"
	    "algorithm: %s\nrp-id: %s\n%.*s", alg, rp, (int)pem_len,
	    (const char *)pem);
	attest_freezero(pem, pem_len);
	return s;
}

static attest_pubkey_t *
fido_pub(const attest_pubkey_t *plain, const char *alg, const char *rp)
{
	attest_pubkey_t *pk = NULL;
	attest_diag_t *d = attest_diag_new();
	char *s = fido_pub_text(plain, alg, rp);

	if (attest_pubkey_parse_pem(&pk, (unsigned char *)s, strlen(s), d) !=
	    ATTEST_OK)
		fail_msg("%s", attest_diag_get_message(d));
	free(s);
	attest_diag_free(&d);
	return pk;
}

static int
setup(struct fx *f, attest_alg_t alg)
{
	attest_key_t *k = NULL;

	memset(f, 0, sizeof(*f));
	assert_int_equal(attest_key_generate(&k, alg), ATTEST_OK);
	f->pub = fido_pub(attest_key_pubkey(k), alg == ATTEST_ALG_ED25519 ?
	    "fido-eddsa" : "fido-es256", "attest:");
	assert_int_equal(attest_signer_from_key(&f->soft, &k), ATTEST_OK);
	tu_mkdtemp(f->dir);
	return 0;
}

static int
setup_es256(void **state)
{
	static struct fx f;

	*state = &f;
	return setup(&f, ATTEST_ALG_ECDSA_P256_SHA256);
}

static int
setup_eddsa(void **state)
{
	static struct fx f;

	*state = &f;
	return setup(&f, ATTEST_ALG_ED25519);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	attest_signer_free(&f->soft);
	attest_pubkey_free(&f->pub);
	tu_rmtree(f->dir);
	return 0;
}

/*
 * The DSSE sig blob an authenticator would produce: flags || counter ||
 * signature over SHA-256(rp) || flags || counter || SHA-256(PAE).
 */
static unsigned char *
make_blob(attest_signer_t *s, const char *rp, unsigned int flags,
    uint32_t ctr, size_t *blob_len)
{
	unsigned char msg[69], *pae = NULL, *sig = NULL, *blob;
	size_t pae_len = 0, sig_len = 0;

	crypto_hash_sha256(msg, (const unsigned char *)rp, strlen(rp));
	msg[32] = (unsigned char)flags;
	msg[33] = (unsigned char)(ctr >> 24);
	msg[34] = (unsigned char)(ctr >> 16);
	msg[35] = (unsigned char)(ctr >> 8);
	msg[36] = (unsigned char)ctr;
	assert_int_equal(attest_dsse_pae_alloc(ptype,
	    (const unsigned char *)payload, strlen(payload), &pae, &pae_len),
	    ATTEST_OK);
	crypto_hash_sha256(msg + 37, pae, pae_len);
	assert_int_equal(attest_signer_sign_alloc(s, msg, sizeof(msg), &sig,
	    &sig_len, NULL), ATTEST_OK);
	assert_non_null(blob = malloc(sig_len + 5));
	memcpy(blob, msg + 32, 5);
	memcpy(blob + 5, sig, sig_len);
	*blob_len = sig_len + 5;
	free(sig);
	free(pae);
	return blob;
}

static attest_envelope_t *
envelope_with(const unsigned char *blob, size_t blob_len)
{
	char b64p[512], b64s[512], json[2048];
	attest_envelope_t *e = NULL;

	sodium_bin2base64(b64p, sizeof(b64p), (const unsigned char *)payload,
	    strlen(payload), sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(b64s, sizeof(b64s), blob, blob_len,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(json, sizeof(json), "{\"payloadType\":\"%s\",\"payload\":"
	    "\"%s\",\"signatures\":[{\"sig\":\"%s\"}]}", ptype, b64p, b64s);
	assert_int_equal(attest_envelope_parse(&e, (unsigned char *)json,
	    strlen(json), NULL), ATTEST_OK);
	return e;
}

/* Verify blob against pk; return the result and the diag reason. */
static attest_err_t
verify_blob(const attest_pubkey_t *pk, const unsigned char *blob,
    size_t blob_len, attest_verified_t **vout, char *msg, size_t msg_size)
{
	attest_keyset_t *ks = attest_keyset_new();
	attest_envelope_t *e = envelope_with(blob, blob_len);
	attest_verified_t *v = NULL;
	attest_diag_t *d = attest_diag_new();
	attest_err_t r;

	assert_int_equal(attest_keyset_add(ks, pk), ATTEST_OK);
	r = attest_envelope_verify(e, ks, 1, &v, d);
	if (msg != NULL)
		snprintf(msg, msg_size, "%s", attest_diag_get_message(d) ?
		    attest_diag_get_message(d) : "");
	if (vout != NULL)
		*vout = v;
	else
		attest_verified_free(&v);
	attest_diag_free(&d);
	attest_envelope_free(&e);
	attest_keyset_free(&ks);
	return r;
}

static void
expect(const attest_pubkey_t *pk, const unsigned char *blob, size_t len,
    attest_err_t want, const char *needle)
{
	char msg[1024];
	attest_err_t r = verify_blob(pk, blob, len, NULL, msg, sizeof(msg));

	if (r != want)
		fail_msg("got %s, want %s (%s)", attest_strerror(r),
		    attest_strerror(want), msg);
	if (needle != NULL && strstr(msg, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", msg, needle);
}

static void
test_valid_and_facts(void **state)
{
	struct fx *f = *state;
	attest_verified_t *v = NULL;
	unsigned int flags = 0;
	uint32_t ctr = 0;
	size_t n;
	unsigned char *b = make_blob(f->soft, "attest:", FLAG_UP | FLAG_UV, 42,
	    &n);

	assert_int_equal(verify_blob(f->pub, b, n, &v, NULL, 0), ATTEST_OK);
	assert_int_equal(attest_verified_key_count(v), 1);
	assert_int_equal(attest_verified_fido(v, 0, &flags, &ctr), 1);
	assert_int_equal(flags, FLAG_UP | FLAG_UV);
	assert_int_equal(ctr, 42);
	attest_verified_free(&v);
	/* the same blob is no plain ES256/Ed25519 signature of the PAE */
	expect(attest_signer_pubkey(f->soft), b, n, ATTEST_ERR_VERIFY, NULL);
	free(b);
}

static void
test_up_required(void **state)
{
	struct fx *f = *state;
	size_t n;
	unsigned char *b = make_blob(f->soft, "attest:", FLAG_UV, 1, &n);

	expect(f->pub, b, n, ATTEST_ERR_VERIFY, "user presence (UP)");
	free(b);
}

static void
test_uv_on_demand(void **state)
{
	struct fx *f = *state;
	attest_pubkey_t *uv = attest_pubkey_dup(f->pub);
	size_t n, m;
	unsigned char *b = make_blob(f->soft, "attest:", FLAG_UP, 2, &n);
	unsigned char *c = make_blob(f->soft, "attest:", FLAG_UP | FLAG_UV, 3,
	    &m);

	assert_int_equal(attest_pubkey_set_fido_uv(uv, 1), ATTEST_OK);
	expect(f->pub, b, n, ATTEST_OK, NULL);
	expect(uv, b, n, ATTEST_ERR_VERIFY, "user verification (UV)");
	expect(uv, c, m, ATTEST_OK, NULL);
	/* UV cannot be demanded of a plain key */
	assert_int_equal(attest_pubkey_set_fido_uv(
	    (attest_pubkey_t *)(uintptr_t)attest_signer_pubkey(f->soft), 1),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_pubkey_free(&uv);
	free(b);
	free(c);
}

static void
test_rp_id_of_another_application(void **state)
{
	struct fx *f = *state;
	attest_pubkey_t *ssh = fido_pub(attest_signer_pubkey(f->soft),
	    attest_pubkey_alg(f->pub) == ATTEST_ALG_FIDO_EDDSA ? "fido-eddsa" :
	    "fido-es256", "ssh:");
	size_t n;
	unsigned char *b = make_blob(f->soft, "ssh:", FLAG_UP, 5, &n);

	/* signed for ssh:, checked as attest: */
	expect(f->pub, b, n, ATTEST_ERR_VERIFY, NULL);
	/* the verifier takes the rp id from the key, so ssh: would pass */
	expect(ssh, b, n, ATTEST_OK, NULL);
	attest_pubkey_free(&ssh);
	free(b);
}

static void
test_at_ed_flags_refused(void **state)
{
	struct fx *f = *state;
	size_t n;
	unsigned char *b = make_blob(f->soft, "attest:", FLAG_UP | FLAG_ED, 6,
	    &n);
	unsigned char *c = make_blob(f->soft, "attest:", FLAG_UP | FLAG_AT, 7,
	    &n);

	expect(f->pub, b, n, ATTEST_ERR_VERIFY, "(ED)");
	expect(f->pub, c, n, ATTEST_ERR_VERIFY, "(AT)");
	free(b);
	free(c);
}

static void
test_blob_shapes(void **state)
{
	struct fx *f = *state;
	size_t n, i;
	unsigned char *b = make_blob(f->soft, "attest:", FLAG_UP, 8, &n);

	/* every truncation fails, none crashes */
	for (i = 1; i < n; i++)
		expect(f->pub, b, i, ATTEST_ERR_VERIFY, NULL);
	/* the flags and counter are signed: changing them breaks it */
	b[0] ^= FLAG_UV;
	expect(f->pub, b, n, ATTEST_ERR_VERIFY, NULL);
	b[0] ^= FLAG_UV;
	b[4] ^= 1;
	expect(f->pub, b, n, ATTEST_ERR_VERIFY, NULL);
	b[4] ^= 1;
	b[n - 1] ^= 0x10;
	expect(f->pub, b, n, ATTEST_ERR_VERIFY, NULL);
	b[n - 1] ^= 0x10;
	expect(f->pub, b, n, ATTEST_OK, NULL);
	free(b);
}

static void
test_other_credential(void **state)
{
	struct fx *f = *state;
	attest_key_t *k = NULL;
	attest_signer_t *other = NULL;
	size_t n;
	unsigned char *b;

	assert_int_equal(attest_key_generate(&k,
	    attest_pubkey_alg(f->pub) == ATTEST_ALG_FIDO_EDDSA ?
	    ATTEST_ALG_ED25519 : ATTEST_ALG_ECDSA_P256_SHA256), ATTEST_OK);
	assert_int_equal(attest_signer_from_key(&other, &k), ATTEST_OK);
	b = make_blob(other, "attest:", FLAG_UP, 9, &n);
	expect(f->pub, b, n, ATTEST_ERR_VERIFY, NULL);
	free(b);
	attest_signer_free(&other);
}

static attest_err_t
counter_check(struct fx *f, const char *state, uint32_t ctr,
    unsigned int flags, char *msg, size_t msg_size)
{
	attest_verified_t *v = NULL;
	attest_diag_t *d = attest_diag_new();
	size_t n;
	unsigned char *b = make_blob(f->soft, "attest:", flags, ctr, &n);
	attest_err_t r;

	assert_int_equal(verify_blob(f->pub, b, n, &v, NULL, 0), ATTEST_OK);
	r = attest_fido_counter_check(state, v, d);
	snprintf(msg, msg_size, "%s", attest_diag_get_message(d) ?
	    attest_diag_get_message(d) : "");
	attest_diag_free(&d);
	attest_verified_free(&v);
	free(b);
	return r;
}

static void
test_counter_state(void **state)
{
	struct fx *f = *state;
	char path[TU_PATH_MAX], msg[1024];
	unsigned char *before, *after;
	size_t bl, al;
	attest_verified_t *v = NULL;
	size_t n;
	unsigned char *b = make_blob(f->soft, "attest:", FLAG_UP, 10, &n);

	tu_join(path, f->dir, "counters.json");
	(void)unlink(path);
	assert_int_equal(counter_check(f, path, 5, FLAG_UP, msg, sizeof(msg)),
	    ATTEST_OK);
	assert_int_equal(counter_check(f, path, 6, FLAG_UP, msg, sizeof(msg)),
	    ATTEST_OK);
	/* a regression (a clone) and an equal counter on another signature */
	assert_int_equal(counter_check(f, path, 3, FLAG_UP, msg, sizeof(msg)),
	    ATTEST_ERR_POLICY);
	assert_non_null(strstr(msg, "not above the recorded 6"));
	before = tu_read_file(path, &bl);
	/* (another signature: Ed25519 would repeat the same flags' one) */
	assert_int_equal(counter_check(f, path, 6, FLAG_UP | FLAG_UV, msg,
	    sizeof(msg)), ATTEST_ERR_POLICY);
	/* a counter of 0 is refused when counting is demanded */
	assert_int_equal(counter_check(f, path, 0, FLAG_UP, msg, sizeof(msg)),
	    ATTEST_ERR_POLICY);
	assert_non_null(strstr(msg, "counter 0"));
	after = tu_read_file(path, &al);
	/* refusals change nothing */
	assert_int_equal(bl, al);
	assert_memory_equal(before, after, bl);
	free(before);
	free(after);
	/* the same envelope checked twice passes twice */
	assert_int_equal(verify_blob(f->pub, b, n, &v, NULL, 0), ATTEST_OK);
	assert_int_equal(attest_fido_counter_check(path, v, NULL), ATTEST_OK);
	assert_int_equal(attest_fido_counter_check(path, v, NULL), ATTEST_OK);
	attest_verified_free(&v);
	free(b);
	/* a damaged state file is refused, not reset */
	tu_write_file(path, "{\"type\":\"libattest-fido-counters\","
	    "\"version\":1,\"keys\":[]}", 56);
	assert_int_equal(counter_check(f, path, 11, FLAG_UP, msg, sizeof(msg)),
	    ATTEST_ERR_PARSE);
	/* sig_sha256 must be 64 lowercase hex digits, as written */
	{
		char text[512];
		int tl = snprintf(text, sizeof(text), "{\"type\":"
		    "\"libattest-fido-counters\",\"version\":1,\"keys\":"
		    "{\"%s\":{\"counter\":4,\"sig_sha256\":\"%064d\"}}}",
		    attest_pubkey_keyid(f->pub), 0);

		tu_write_file(path, text, (size_t)tl);
		assert_int_equal(counter_check(f, path, 11, FLAG_UP, msg,
		    sizeof(msg)), ATTEST_OK);
		memset(strstr(text, "\"sig_sha256\":\"") + 14, 'g', 64);
		tu_write_file(path, text, (size_t)tl);
		assert_int_equal(counter_check(f, path, 12, FLAG_UP, msg,
		    sizeof(msg)), ATTEST_ERR_PARSE);
		assert_non_null(strstr(msg, "sig_sha256"));
	}
}

static void
test_pub_file(void **state)
{
	struct fx *f = *state;
	const attest_pubkey_t *plain = attest_signer_pubkey(f->soft);
	const char *alg = attest_pubkey_alg(f->pub) == ATTEST_ALG_FIDO_EDDSA ?
	    "fido-eddsa" : "fido-es256";
	const char *wrong = attest_pubkey_alg(f->pub) == ATTEST_ALG_FIDO_EDDSA ?
	    "fido-es256" : "fido-eddsa";
	attest_pubkey_t *pk = NULL;
	unsigned char *pem = NULL;
	size_t pem_len = 0;
	char *s = fido_pub_text(plain, alg, "attest:"), *t;
	const char *bad_rp[] = { "", "has space", "tab\there", "\x7f" };
	size_t i;

	/* written back byte for byte; same key id as the plain key */
	assert_int_equal(attest_pubkey_pem_alloc(f->pub, &pem, &pem_len),
	    ATTEST_OK);
	assert_int_equal(pem_len, strlen(s));
	assert_memory_equal(pem, s, pem_len);
	assert_string_equal(attest_pubkey_keyid(f->pub),
	    attest_pubkey_keyid(plain));
	assert_string_equal(attest_pubkey_fido_rp_id(f->pub), "attest:");
	assert_null(attest_pubkey_fido_rp_id(plain));
	attest_freezero(pem, pem_len);
	free(s);
	/* the key type must match the algorithm */
	s = fido_pub_text(plain, wrong, "attest:");
	assert_int_equal(attest_pubkey_parse_pem(&pk, (unsigned char *)s,
	    strlen(s), NULL), ATTEST_ERR_KEY);
	free(s);
	s = fido_pub_text(plain, "ecdsa-p256-sha256", "attest:");
	assert_int_equal(attest_pubkey_parse_pem(&pk, (unsigned char *)s,
	    strlen(s), NULL), ATTEST_ERR_UNSUPPORTED);
	free(s);
	for (i = 0; i < sizeof(bad_rp) / sizeof(bad_rp[0]); i++) {
		s = fido_pub_text(plain, alg, bad_rp[i]);
		assert_int_equal(attest_pubkey_parse_pem(&pk,
		    (unsigned char *)s, strlen(s), NULL), ATTEST_ERR_PARSE);
		free(s);
	}
	/* text between the header and the PEM block, a missing line */
	s = fido_pub_text(plain, alg, "attest:");
	assert_non_null(t = malloc(strlen(s) + 16));
	i = (size_t)(strstr(s, "-----BEGIN") - s);
	snprintf(t, strlen(s) + 16, "%.*scomment\n%s", (int)i, s, s + i);
	assert_int_equal(attest_pubkey_parse_pem(&pk, (unsigned char *)t,
	    strlen(t), NULL), ATTEST_ERR_PARSE);
	t[0] = '\0';
	snprintf(t, strlen(s) + 16, "libattest-fido-public-key: 1\n%s",
	    strstr(s, "rp-id:"));
	assert_int_equal(attest_pubkey_parse_pem(&pk, (unsigned char *)t,
	    strlen(t), NULL), ATTEST_ERR_PARSE);
	assert_null(pk);
	free(t);
	free(s);
	/* no private key file may claim a FIDO algorithm */
	assert_int_equal(attest_key_generate((attest_key_t **)&pk,
	    ATTEST_ALG_FIDO_ES256), ATTEST_ERR_UNSUPPORTED);
}

/* specs/fido.md §3.5, made with python3-nacl from RFC 8032 TEST 1. */
static void
test_spec_example(void **state)
{
	static const char pub[] = "libattest-fido-public-key: 1\n"
	    "algorithm: fido-eddsa\nrp-id: attest:\n"
	    "-----BEGIN PUBLIC KEY-----\n"
	    "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
	    "-----END PUBLIC KEY-----\n";
	static const char env[] = "{\"payloadType\":\"application/vnd."
	    "in-toto+json\",\"payload\":\"eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90"
	    "by5pby9TdGF0ZW1lbnQvdjEifQ==\",\"signatures\":[{\"keyid\":"
	    "\"06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792"
	    "fa9\",\"sig\":\"BQAAAAeAgDeoB3YUzx7ZwT8dr6SzImGPZDWiAemnL9QmkG"
	    "AIvCuu0whEwFBIU7SliciXjaIdSSAfvX4unMK0QrEfYJQB\"}]}";
	attest_pubkey_t *pk = NULL;
	attest_keyset_t *ks = attest_keyset_new();
	attest_envelope_t *e = NULL;
	attest_verified_t *v = NULL;
	unsigned int flags = 0;
	uint32_t ctr = 0;

	(void)state;
	assert_int_equal(attest_pubkey_parse_pem(&pk, (const unsigned char *)
	    pub, strlen(pub), NULL), ATTEST_OK);
	assert_int_equal(attest_pubkey_alg(pk), ATTEST_ALG_FIDO_EDDSA);
	assert_string_equal(attest_pubkey_keyid(pk), "06e3fd8fda29bb60ab5955"
	    "7de61edb0aecdb231134be30e75b455f8e1b792fa9");
	assert_int_equal(attest_pubkey_set_fido_uv(pk, 1), ATTEST_OK);
	assert_int_equal(attest_keyset_add(ks, pk), ATTEST_OK);
	assert_int_equal(attest_envelope_parse(&e, (const unsigned char *)env,
	    strlen(env), NULL), ATTEST_OK);
	assert_int_equal(attest_envelope_verify(e, ks, 1, &v, NULL), ATTEST_OK);
	assert_int_equal(attest_verified_fido(v, 0, &flags, &ctr), 1);
	assert_int_equal(flags, 0x05);
	assert_int_equal(ctr, 7);
	attest_verified_free(&v);
	attest_envelope_free(&e);
	attest_keyset_free(&ks);
	attest_pubkey_free(&pk);
}

int
main(void)
{
	const struct CMUnitTest es256[] = {
		cmocka_unit_test(test_valid_and_facts),
		cmocka_unit_test(test_up_required),
		cmocka_unit_test(test_uv_on_demand),
		cmocka_unit_test(test_rp_id_of_another_application),
		cmocka_unit_test(test_at_ed_flags_refused),
		cmocka_unit_test(test_blob_shapes),
		cmocka_unit_test(test_other_credential),
		cmocka_unit_test(test_counter_state),
		cmocka_unit_test(test_pub_file),
	};
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_spec_example),
	};
	int fails;

	if (attest_init(0) != ATTEST_OK)
		return 1;
	fails = cmocka_run_group_tests_name("spec", fixed, NULL, NULL);
	fails += _cmocka_run_group_tests("fido-es256", es256,
	    sizeof(es256) / sizeof(es256[0]), setup_es256, teardown);
	fails += _cmocka_run_group_tests("fido-eddsa", es256,
	    sizeof(es256) / sizeof(es256[0]), setup_eddsa, teardown);
	return fails;
}
