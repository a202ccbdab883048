/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: algorithms, public keys, key sets, software private keys,
 * the key file format (specs/keyfile.md) and signers (attest/key.h).
 *
 * OpenSSL is the independent oracle here: it makes the PKCS#8 keys that
 * are imported, computes the key ids, and checks the library's
 * signatures.
 */
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "testutil.h"

/* Small Argon2id work, so that the suite stays fast. */
#define OPS	1ULL
#define MEM	((size_t)8 * 1024 * 1024)
#define PASS	"correct horse battery staple"

static const attest_alg_t algs[] = {
	ATTEST_ALG_ED25519,
	ATTEST_ALG_ECDSA_P256_SHA256,
	ATTEST_ALG_ECDSA_P384_SHA384,
	ATTEST_ALG_RSA_PSS_SHA256,
};
#define NALGS	(sizeof(algs) / sizeof(algs[0]))

/* One generated key per algorithm, made once (RSA 3072 is slow). */
static attest_key_t *gen[NALGS];

/* RFC 8410 SubjectPublicKeyInfo header of an Ed25519 key. */
static const unsigned char ed_spki_head[12] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
};

static int
group_setup(void **state)
{
	size_t i;

	if (tu_setup(state) != 0)
		return -1;
	for (i = 0; i < NALGS; i++)
		if (attest_key_generate(&gen[i], algs[i]) != ATTEST_OK)
			return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NALGS; i++)
		attest_key_free(&gen[i]);
	return 0;
}

/* Helpers --------------------------------------------------------------- */

/* Serialise k, encrypted under PASS when pass is set. */
static unsigned char *
keyfile(const attest_key_t *k, int pass, size_t *len)
{
	unsigned char *out = NULL;

	assert_int_equal(attest_key_serialize_alloc(k, pass ? PASS : NULL,
	    pass ? strlen(PASS) : 0, pass ? OPS : 0, pass ? MEM : 0, &out,
	    len), ATTEST_OK);
	assert_non_null(out);
	return out;
}

/* A private copy of a key, through the unencrypted key file. */
static attest_key_t *
key_copy(const attest_key_t *k)
{
	attest_key_t *c = NULL;
	unsigned char *f;
	size_t len;

	f = keyfile(k, 0, &len);
	assert_int_equal(attest_key_parse(&c, f, len, NULL, NULL, NULL),
	    ATTEST_OK);
	attest_freezero(f, len);
	return c;
}

static attest_signer_t *
signer_for(const attest_key_t *k)
{
	attest_signer_t *s = NULL;
	attest_key_t *c = key_copy(k);

	assert_int_equal(attest_signer_from_key(&s, &c), ATTEST_OK);
	assert_null(c);
	return s;
}

/* Key id as OpenSSL computes it: hex SHA-256 of i2d_PUBKEY. */
static const char *
ossl_keyid(EVP_PKEY *pkey, char out[ATTEST_KEYID_SIZE])
{
	unsigned char *der = NULL, md[32];
	unsigned int mdlen = 0;
	int n;

	assert_true((n = i2d_PUBKEY(pkey, &der)) > 0);
	assert_int_equal(EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(),
	    NULL), 1);
	assert_int_equal(mdlen, 32);
	OPENSSL_free(der);
	return tu_tohex(out, md, 32);
}

/* OpenSSL's reading of a library public key. */
static EVP_PKEY *
ossl_pub(const attest_pubkey_t *pk)
{
	const unsigned char *p = attest_pubkey_spki_ptr(pk);
	EVP_PKEY *k;

	assert_non_null(k = d2i_PUBKEY(NULL, &p,
	    (long)attest_pubkey_spki_len(pk)));
	return k;
}

/* PKCS#8 PEM of an OpenSSL key, encrypted with AES-256-CBC if pass. */
static char *
ossl_pkcs8_pem(EVP_PKEY *pkey, const char *pass, size_t *len)
{
	BIO *bio;
	BUF_MEM *mem = NULL;
	char *out;

	assert_non_null(bio = BIO_new(BIO_s_mem()));
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, pkey,
	    pass ? EVP_aes_256_cbc() : NULL, NULL, 0, NULL,
	    (void *)(uintptr_t)pass), 1);
	BIO_get_mem_ptr(bio, &mem);
	assert_non_null(out = malloc(mem->length + 1));
	memcpy(out, mem->data, mem->length);
	out[mem->length] = '\0';
	*len = mem->length;
	BIO_free(bio);
	return out;
}

/* Check a library signature with OpenSSL. */
static int
ossl_verify(EVP_PKEY *pkey, attest_alg_t alg, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len)
{
	EVP_MD_CTX *ctx;
	EVP_PKEY_CTX *pctx = NULL;
	const EVP_MD *md = NULL;
	int ok;

	if (alg == ATTEST_ALG_ECDSA_P384_SHA384)
		md = EVP_sha384();
	else if (alg != ATTEST_ALG_ED25519)
		md = EVP_sha256();
	assert_non_null(ctx = EVP_MD_CTX_new());
	assert_int_equal(EVP_DigestVerifyInit(ctx, &pctx, md, NULL, pkey), 1);
	if (alg == ATTEST_ALG_RSA_PSS_SHA256) {
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx,
		    RSA_PKCS1_PSS_PADDING), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(pctx,
		    EVP_sha256()), 1);
		/* RSASSA-PSS with a salt as long as the digest */
		assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32), 1);
	}
	ok = EVP_DigestVerify(ctx, sig, sig_len, msg, msg_len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* DER ECDSA signature to raw r||s of n-byte halves. */
static void
der_to_raw(const unsigned char *der, size_t der_len, size_t n,
    unsigned char *raw)
{
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *sig;

	assert_non_null(sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len));
	ECDSA_SIG_get0(sig, &r, &s);
	assert_int_equal(BN_bn2binpad(r, raw, (int)n), (int)n);
	assert_int_equal(BN_bn2binpad(s, raw + n, (int)n), (int)n);
	ECDSA_SIG_free(sig);
}

/* Parse a DER SPKI, expecting @p want. */
static void
expect_der(const unsigned char *der, size_t len, attest_err_t want)
{
	attest_pubkey_t *pk = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_pubkey_parse_der(&pk, der, len, d);
	if (r != want)
		fail_msg("parse_der: %s, expected %s (%s)", attest_strerror(r),
		    attest_strerror(want), attest_diag_get_message(d) ?
		    attest_diag_get_message(d) : "no message");
	if (want == ATTEST_OK)
		assert_non_null(pk);
	else {
		assert_null(pk);
		assert_non_null(attest_diag_get_reason(d));
	}
	attest_pubkey_free(&pk);
	attest_diag_free(&d);
}

/* DER SPKI of an OpenSSL key (free()). */
static unsigned char *
ossl_spki(EVP_PKEY *pkey, size_t *len)
{
	unsigned char *der = NULL, *out;
	int n;

	assert_true((n = i2d_PUBKEY(pkey, &der)) > 0);
	assert_non_null(out = malloc((size_t)n));
	memcpy(out, der, (size_t)n);
	OPENSSL_free(der);
	*len = (size_t)n;
	return out;
}

/* Algorithms ------------------------------------------------------------ */

static void
test_alg_names(void **state)
{
	(void)state;
	assert_string_equal(attest_alg_name(ATTEST_ALG_ED25519), "ed25519");
	assert_string_equal(attest_alg_name(ATTEST_ALG_ECDSA_P256_SHA256),
	    "ecdsa-p256-sha256");
	assert_string_equal(attest_alg_name(ATTEST_ALG_ECDSA_P384_SHA384),
	    "ecdsa-p384-sha384");
	assert_string_equal(attest_alg_name(ATTEST_ALG_RSA_PSS_SHA256),
	    "rsa-pss-sha256");
	assert_null(attest_alg_name(ATTEST_ALG_NONE));
	assert_null(attest_alg_name((attest_alg_t)99));
	assert_int_equal(attest_alg_from_name("ed25519"), ATTEST_ALG_ED25519);
	assert_int_equal(attest_alg_from_name("ecdsa-p256-sha256"),
	    ATTEST_ALG_ECDSA_P256_SHA256);
	assert_int_equal(attest_alg_from_name("ecdsa-p256"),
	    ATTEST_ALG_ECDSA_P256_SHA256);
	assert_int_equal(attest_alg_from_name("ecdsa-p384"),
	    ATTEST_ALG_ECDSA_P384_SHA384);
	assert_int_equal(attest_alg_from_name("rsa-pss-3072"),
	    ATTEST_ALG_RSA_PSS_SHA256);
	assert_int_equal(attest_alg_from_name("rsa-pss-sha256"),
	    ATTEST_ALG_RSA_PSS_SHA256);
	assert_int_equal(attest_alg_from_name("Ed25519"), ATTEST_ALG_NONE);
	assert_int_equal(attest_alg_from_name("rsa"), ATTEST_ALG_NONE);
	assert_int_equal(attest_alg_from_name(""), ATTEST_ALG_NONE);
	assert_int_equal(attest_alg_from_name(NULL), ATTEST_ALG_NONE);
}

/* Generation ------------------------------------------------------------ */

static void
test_key_generate_ok(void **state)
{
	const attest_pubkey_t *pk;
	const char *id;
	size_t i, j;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		assert_int_equal(attest_key_alg(gen[i]), algs[i]);
		assert_non_null(pk = attest_key_pubkey(gen[i]));
		assert_int_equal(attest_pubkey_alg(pk), algs[i]);
		assert_non_null(id = attest_pubkey_keyid(pk));
		assert_int_equal(strlen(id), ATTEST_KEYID_LEN);
		assert_int_equal(strspn(id, "0123456789abcdef"),
		    ATTEST_KEYID_LEN);
		for (j = 0; j < i; j++)
			assert_string_not_equal(id, attest_pubkey_keyid(
			    attest_key_pubkey(gen[j])));
	}
	/* two fresh keys differ */
	{
		attest_key_t *a = NULL, *b = NULL;

		assert_int_equal(attest_key_generate(&a, ATTEST_ALG_ED25519),
		    ATTEST_OK);
		assert_int_equal(attest_key_generate(&b, ATTEST_ALG_ED25519),
		    ATTEST_OK);
		assert_string_not_equal(attest_pubkey_keyid(
		    attest_key_pubkey(a)), attest_pubkey_keyid(
		    attest_key_pubkey(b)));
		attest_key_free(&a);
		attest_key_free(&b);
		assert_null(a);
	}
}

static void
test_key_generate_unsupported(void **state)
{
	attest_key_t *k = NULL;

	(void)state;
	assert_int_equal(attest_key_generate(&k, ATTEST_ALG_NONE),
	    ATTEST_ERR_UNSUPPORTED);
	assert_null(k);
	assert_int_equal(attest_key_generate(&k, (attest_alg_t)99),
	    ATTEST_ERR_UNSUPPORTED);
	assert_null(k);
	assert_int_equal(attest_key_generate(NULL, ATTEST_ALG_ED25519),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_key_free(NULL);
	attest_key_free(&k);
	assert_int_equal(attest_key_alg(NULL), ATTEST_ALG_NONE);
	assert_null(attest_key_pubkey(NULL));
}

/* Key files ------------------------------------------------------------- */

static void
test_key_serialize_plain_ok(void **state)
{
	struct tu_secret ts = { "unused", 0 };
	attest_key_t *k = NULL;
	unsigned char *f;
	json_t *root;
	size_t i, len;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		f = keyfile(gen[i], 0, &len);
		assert_int_equal(f[len - 1], '\n');
		assert_non_null(root = json_loadb((const char *)f, len, 0,
		    NULL));
		assert_string_equal(json_string_value(json_object_get(root,
		    "type")), "libattest-private-key");
		assert_int_equal(json_integer_value(json_object_get(root,
		    "version")), 1);
		assert_string_equal(json_string_value(json_object_get(root,
		    "algorithm")), attest_alg_name(algs[i]));
		assert_string_equal(json_string_value(json_object_get(root,
		    "keyid")), attest_pubkey_keyid(attest_key_pubkey(gen[i])));
		assert_string_equal(json_string_value(json_object_get(root,
		    "encryption")), "none");
		json_decref(root);
		/* no passphrase is asked for an unencrypted file */
		assert_int_equal(attest_key_parse(&k, f, len, tu_secret_cb,
		    &ts, NULL), ATTEST_OK);
		assert_int_equal(ts.calls, 0);
		assert_int_equal(attest_key_alg(k), algs[i]);
		assert_string_equal(attest_pubkey_keyid(attest_key_pubkey(k)),
		    attest_pubkey_keyid(attest_key_pubkey(gen[i])));
		attest_key_free(&k);
		attest_freezero(f, len);
	}
}

static void
test_key_serialize_encrypted_ok(void **state)
{
	struct tu_secret ts = { PASS, 0 };
	attest_key_t *k = NULL;
	unsigned char *f, *f2;
	json_t *root, *enc;
	size_t i, len, len2;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		ts.calls = 0;
		f = keyfile(gen[i], 1, &len);
		assert_non_null(root = json_loadb((const char *)f, len, 0,
		    NULL));
		assert_true(json_is_object(enc = json_object_get(root,
		    "encryption")));
		assert_string_equal(json_string_value(json_object_get(enc,
		    "kdf")), "argon2id13");
		assert_string_equal(json_string_value(json_object_get(enc,
		    "cipher")), "xchacha20poly1305-ietf");
		assert_int_equal(json_integer_value(json_object_get(enc,
		    "opslimit")), OPS);
		assert_int_equal(json_integer_value(json_object_get(enc,
		    "memlimit")), MEM);
		json_decref(root);
		assert_int_equal(attest_key_parse(&k, f, len, tu_secret_cb,
		    &ts, NULL), ATTEST_OK);
		assert_int_equal(ts.calls, 1);
		assert_int_equal(attest_key_alg(k), algs[i]);
		assert_string_equal(attest_pubkey_keyid(attest_key_pubkey(k)),
		    attest_pubkey_keyid(attest_key_pubkey(gen[i])));
		/* fresh salt and nonce every time */
		f2 = keyfile(k, 1, &len2);
		assert_false(len == len2 && memcmp(f, f2, len) == 0);
		attest_freezero(f2, len2);
		attest_key_free(&k);
		attest_freezero(f, len);
	}
}

/* An empty passphrase is a passphrase (encrypted, not "none"). */
static void
test_key_serialize_empty_pass(void **state)
{
	struct tu_secret ts = { "", 0 };
	attest_key_t *k = NULL;
	unsigned char *f = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(attest_key_serialize_alloc(gen[0], "", 0, OPS, MEM,
	    &f, &len), ATTEST_OK);
	assert_null(strstr((const char *)f, "\"none\""));
	assert_int_equal(attest_key_parse(&k, f, len, tu_secret_cb, &ts,
	    NULL), ATTEST_OK);
	assert_int_equal(ts.calls, 1);
	attest_key_free(&k);
	attest_freezero(f, len);
}

static void
test_key_serialize_bad_kdf(void **state)
{
	unsigned char *f = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(attest_key_serialize_alloc(gen[0], PASS,
	    strlen(PASS), ATTEST_MAX_KDF_OPSLIMIT + 1, MEM, &f, &len),
	    ATTEST_ERR_TOO_LARGE);
	assert_null(f);
	assert_int_equal(attest_key_serialize_alloc(gen[0], PASS,
	    strlen(PASS), OPS, (size_t)ATTEST_MAX_KDF_MEMLIMIT + 1, &f, &len),
	    ATTEST_ERR_TOO_LARGE);
	assert_null(f);
	/* below Argon2id's own minimum memory */
	assert_int_equal(attest_key_serialize_alloc(gen[0], PASS,
	    strlen(PASS), OPS, 1024, &f, &len), ATTEST_ERR_PARSE);
	assert_null(f);
	assert_int_equal(attest_key_serialize_alloc(NULL, NULL, 0, 0, 0, &f,
	    &len), ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_key_serialize_alloc(gen[0], NULL, 3, 0, 0, &f,
	    &len), ATTEST_ERR_INVALID_ARGUMENT);
}

static void
test_key_parse_wrong_passphrase(void **state)
{
	struct tu_secret ts = { "wrong horse", 0 };
	attest_key_t *k = NULL;
	attest_diag_t *d;
	unsigned char *f;
	size_t len;

	(void)state;
	assert_non_null(d = attest_diag_new());
	f = keyfile(gen[0], 1, &len);
	assert_int_equal(attest_key_parse(&k, f, len, tu_secret_cb, &ts, d),
	    ATTEST_ERR_PASSPHRASE);
	assert_null(k);
	assert_int_equal(ts.calls, 1);
	assert_non_null(strstr(attest_diag_get_reason(d), "passphrase"));
	/* a prefix of the right one is wrong too */
	ts.pass = "correct horse";
	assert_int_equal(attest_key_parse(&k, f, len, tu_secret_cb, &ts, d),
	    ATTEST_ERR_PASSPHRASE);
	assert_null(k);
	attest_freezero(f, len);
	attest_diag_free(&d);
}

static void
test_key_parse_no_callback(void **state)
{
	attest_key_t *k = NULL;
	attest_diag_t *d;
	unsigned char *f;
	size_t len;

	(void)state;
	assert_non_null(d = attest_diag_new());
	f = keyfile(gen[1], 1, &len);
	assert_int_equal(attest_key_parse(&k, f, len, NULL, NULL, d),
	    ATTEST_ERR_PASSPHRASE);
	assert_null(k);
	assert_non_null(strstr(attest_diag_get_reason(d), "no passphrase"));
	attest_freezero(f, len);
	attest_diag_free(&d);
}

static void
test_key_parse_cancelled(void **state)
{
	struct tu_secret ts = { NULL, 0 };
	attest_key_t *k = NULL;
	unsigned char *f;
	size_t len;

	(void)state;
	f = keyfile(gen[0], 1, &len);
	assert_int_equal(attest_key_parse(&k, f, len, tu_secret_cb, &ts,
	    NULL), ATTEST_ERR_CANCELLED);
	assert_null(k);
	assert_int_equal(ts.calls, 1);
	attest_freezero(f, len);
}

/*
 * Tampering with key files.  Each case edits the JSON of a good file and
 * expects a code and the diag field of the edited member.
 */

static json_t *
file_json(const attest_key_t *k, int pass)
{
	unsigned char *f;
	json_t *root;
	size_t len;

	f = keyfile(k, pass, &len);
	assert_non_null(root = json_loadb((const char *)f, len, 0, NULL));
	attest_freezero(f, len);
	return root;
}

static void
expect_text(const char *text, size_t len, attest_err_t want,
    const char *field)
{
	struct tu_secret ts = { PASS, 0 };
	attest_key_t *k = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_key_parse(&k, (const unsigned char *)text, len,
	    tu_secret_cb, &ts, d);
	if (r != want)
		fail_msg("key_parse: %s, expected %s (%s)", attest_strerror(r),
		    attest_strerror(want), attest_diag_get_message(d) ?
		    attest_diag_get_message(d) : "no message");
	assert_null(k);
	tu_assert_field(d, field);
	attest_diag_free(&d);
}

/* Dump root (taken) and expect the parse to fail so. */
static void
expect_json(json_t *root, attest_err_t want, const char *field)
{
	char *text;

	assert_non_null(text = json_dumps(root, JSON_COMPACT));
	json_decref(root);
	expect_text(text, strlen(text), want, field);
	free(text);
}

static void
set_str(json_t *obj, const char *key, const char *val)
{
	assert_int_equal(json_object_set_new(obj, key, json_string(val)), 0);
}

static void
set_int(json_t *obj, const char *key, json_int_t val)
{
	assert_int_equal(json_object_set_new(obj, key, json_integer(val)), 0);
}

/* Re-encode a base64 member after flipping one bit of its bytes. */
static void
flip_b64(json_t *obj, const char *key, size_t byte)
{
	const char *s = json_string_value(json_object_get(obj, key));
	unsigned char *bin;
	char *b64;
	size_t cap, n, blen;

	assert_non_null(s);
	cap = strlen(s);
	assert_non_null(bin = malloc(cap));
	assert_int_equal(sodium_base642bin(bin, cap, s, strlen(s), NULL, &n,
	    NULL, sodium_base64_VARIANT_ORIGINAL), 0);
	assert_true(byte < n);
	bin[byte] ^= 0x01;
	blen = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	assert_non_null(b64 = malloc(blen));
	sodium_bin2base64(b64, blen, bin, n, sodium_base64_VARIANT_ORIGINAL);
	set_str(obj, key, b64);
	free(bin);
	free(b64);
}

static void
set_b64(json_t *obj, const char *key, const unsigned char *ptr, size_t len)
{
	char *b64;
	size_t blen;

	blen = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	assert_non_null(b64 = malloc(blen));
	sodium_bin2base64(b64, blen, ptr, len, sodium_base64_VARIANT_ORIGINAL);
	set_str(obj, key, b64);
	free(b64);
}

static json_t *
enc_of(json_t *root)
{
	json_t *enc = json_object_get(root, "encryption");

	assert_true(json_is_object(enc));
	return enc;
}

static void
test_key_parse_tampered_keyid(void **state)
{
	json_t *root;

	(void)state;
	root = file_json(gen[0], 1);
	set_str(root, "keyid", "00000000000000000000000000000000"
	    "00000000000000000000000000000000");
	expect_json(root, ATTEST_ERR_KEY, "keyid");
	/* the key id in upper case is a different key id */
	root = file_json(gen[1], 0);
	{
		char up[ATTEST_KEYID_SIZE];
		size_t i;

		(void)snprintf(up, sizeof(up), "%s", attest_pubkey_keyid(
		    attest_key_pubkey(gen[1])));
		for (i = 0; up[i] != '\0'; i++)
			if (up[i] >= 'a' && up[i] <= 'f')
				up[i] = (char)(up[i] - 'a' + 'A');
		set_str(root, "keyid", up);
	}
	expect_json(root, ATTEST_ERR_KEY, "keyid");
	root = file_json(gen[0], 0);
	assert_int_equal(json_object_del(root, "keyid"), 0);
	expect_json(root, ATTEST_ERR_PARSE, "keyid");
	root = file_json(gen[0], 0);
	set_int(root, "keyid", 7);
	expect_json(root, ATTEST_ERR_PARSE, "keyid");
}

static void
test_key_parse_tampered_algorithm(void **state)
{
	json_t *root;

	(void)state;
	root = file_json(gen[0], 1);
	set_str(root, "algorithm", "ecdsa-p256-sha256");
	expect_json(root, ATTEST_ERR_KEY, "algorithm");
	root = file_json(gen[1], 1);
	set_str(root, "algorithm", "ecdsa-p384-sha384");
	expect_json(root, ATTEST_ERR_KEY, "algorithm");
	root = file_json(gen[0], 0);
	set_str(root, "algorithm", "rot13");
	expect_json(root, ATTEST_ERR_KEY, "algorithm");
	/* only the algorithm id, not attest-keygen's key type name */
	root = file_json(gen[1], 0);
	set_str(root, "algorithm", "ecdsa-p256");
	expect_json(root, ATTEST_ERR_KEY, "algorithm");
	root = file_json(gen[0], 0);
	assert_int_equal(json_object_del(root, "algorithm"), 0);
	expect_json(root, ATTEST_ERR_PARSE, "algorithm");
}

static void
test_key_parse_tampered_public_key(void **state)
{
	attest_key_t *other = NULL;
	const attest_pubkey_t *opk;
	json_t *root;

	(void)state;
	assert_int_equal(attest_key_generate(&other, ATTEST_ALG_ED25519),
	    ATTEST_OK);
	opk = attest_key_pubkey(other);
	/* another key's public half: the key id no longer matches */
	root = file_json(gen[0], 1);
	set_b64(root, "public_key", attest_pubkey_spki_ptr(opk),
	    attest_pubkey_spki_len(opk));
	expect_json(root, ATTEST_ERR_KEY, "keyid");
	/*
	 * ... and with its key id as well: the associated data binds the
	 * public half, so decryption fails (no field: it cannot tell a
	 * wrong passphrase from an altered file).
	 */
	root = file_json(gen[0], 1);
	set_b64(root, "public_key", attest_pubkey_spki_ptr(opk),
	    attest_pubkey_spki_len(opk));
	set_str(root, "keyid", attest_pubkey_keyid(opk));
	expect_json(root, ATTEST_ERR_PASSPHRASE, NULL);
	/* unencrypted: the private half does not match */
	root = file_json(gen[0], 0);
	set_b64(root, "public_key", attest_pubkey_spki_ptr(opk),
	    attest_pubkey_spki_len(opk));
	set_str(root, "keyid", attest_pubkey_keyid(opk));
	expect_json(root, ATTEST_ERR_KEY, "private_key");
	/* a P-256 public key on an Ed25519 file: the algorithm disagrees */
	root = file_json(gen[0], 0);
	opk = attest_key_pubkey(gen[1]);
	set_b64(root, "public_key", attest_pubkey_spki_ptr(opk),
	    attest_pubkey_spki_len(opk));
	set_str(root, "keyid", attest_pubkey_keyid(opk));
	expect_json(root, ATTEST_ERR_KEY, "algorithm");
	/* not base64, not a key, a small-order key */
	root = file_json(gen[0], 0);
	set_str(root, "public_key", "not base64!");
	expect_json(root, ATTEST_ERR_PARSE, "public_key");
	root = file_json(gen[0], 0);
	set_str(root, "public_key", "AAAA");
	expect_json(root, ATTEST_ERR_PARSE, "public_key");
	{
		unsigned char spki[44];

		memcpy(spki, ed_spki_head, sizeof(ed_spki_head));
		memset(spki + 12, 0, 32);
		spki[12] = 0x01;
		root = file_json(gen[0], 0);
		set_b64(root, "public_key", spki, sizeof(spki));
		expect_json(root, ATTEST_ERR_KEY, "public_key");
	}
	attest_key_free(&other);
}

static void
test_key_parse_tampered_private_key(void **state)
{
	attest_key_t *other = NULL;
	json_t *root, *oroot;

	(void)state;
	/* one bit of the ciphertext, first and last byte (the tag) */
	root = file_json(gen[0], 1);
	flip_b64(root, "private_key", 0);
	expect_json(root, ATTEST_ERR_PASSPHRASE, NULL);
	root = file_json(gen[2], 1);
	{
		const char *s = json_string_value(json_object_get(root,
		    "private_key"));
		size_t n = strlen(s) / 4 * 3 - (s[strlen(s) - 1] == '=') -
		    (s[strlen(s) - 2] == '=');

		flip_b64(root, "private_key", n - 1);
	}
	expect_json(root, ATTEST_ERR_PASSPHRASE, NULL);
	/* nonce and salt of the right length but altered */
	root = file_json(gen[0], 1);
	flip_b64(enc_of(root), "nonce", 3);
	expect_json(root, ATTEST_ERR_PASSPHRASE, NULL);
	root = file_json(gen[0], 1);
	flip_b64(enc_of(root), "salt", 3);
	expect_json(root, ATTEST_ERR_PASSPHRASE, NULL);
	/* shorter than the tag */
	root = file_json(gen[0], 1);
	set_str(root, "private_key", "AAAAAAAAAAAAAAAAAAAAAA==");
	expect_json(root, ATTEST_ERR_PARSE, "private_key");
	root = file_json(gen[0], 1);
	set_str(root, "private_key", "@@@@");
	expect_json(root, ATTEST_ERR_PARSE, "private_key");
	root = file_json(gen[0], 1);
	assert_int_equal(json_object_del(root, "private_key"), 0);
	expect_json(root, ATTEST_ERR_PARSE, "private_key");
	/* unencrypted: not base64, not PKCS#8, another key's */
	root = file_json(gen[0], 0);
	set_str(root, "private_key", "@@@@");
	expect_json(root, ATTEST_ERR_PARSE, "private_key");
	root = file_json(gen[0], 0);
	set_str(root, "private_key", "AAAAAAAA");
	expect_json(root, ATTEST_ERR_PARSE, "private_key");
	assert_int_equal(attest_key_generate(&other, ATTEST_ALG_ED25519),
	    ATTEST_OK);
	oroot = file_json(other, 0);
	root = file_json(gen[0], 0);
	assert_int_equal(json_object_set(root, "private_key",
	    json_object_get(oroot, "private_key")), 0);
	expect_json(root, ATTEST_ERR_KEY, "private_key");
	/* a P-256 private key under an Ed25519 public key */
	json_decref(oroot);
	oroot = file_json(gen[1], 0);
	root = file_json(gen[0], 0);
	assert_int_equal(json_object_set(root, "private_key",
	    json_object_get(oroot, "private_key")), 0);
	expect_json(root, ATTEST_ERR_KEY, "private_key");
	json_decref(oroot);
	attest_key_free(&other);
}

static void
test_key_parse_tampered_salt_nonce(void **state)
{
	json_t *root;

	(void)state;
	root = file_json(gen[0], 1);
	set_str(enc_of(root), "salt", "AAAAAAAAAAAAAAAAAAAA");	/* 15 */
	expect_json(root, ATTEST_ERR_PARSE, "encryption.salt");
	root = file_json(gen[0], 1);
	set_str(enc_of(root), "salt", "AAAAAAAAAAAAAAAAAAAAAAAA"); /* 18 */
	expect_json(root, ATTEST_ERR_PARSE, "encryption.salt");
	root = file_json(gen[0], 1);
	set_str(enc_of(root), "salt", "AAA*");
	expect_json(root, ATTEST_ERR_PARSE, "encryption.salt");
	root = file_json(gen[0], 1);
	set_str(enc_of(root), "nonce", "AAAAAAAAAAAAAAAAAAAAAAAA"); /* 18 */
	expect_json(root, ATTEST_ERR_PARSE, "encryption.nonce");
	root = file_json(gen[0], 1);
	assert_int_equal(json_object_del(enc_of(root), "nonce"), 0);
	expect_json(root, ATTEST_ERR_PARSE, "encryption.nonce");
}

static void
test_key_parse_tampered_kdf(void **state)
{
	json_t *root;

	(void)state;
	/* above the ceilings: refused before any work */
	root = file_json(gen[0], 1);
	set_int(enc_of(root), "opslimit", (json_int_t)ATTEST_MAX_KDF_OPSLIMIT +
	    1);
	expect_json(root, ATTEST_ERR_TOO_LARGE, "encryption.opslimit");
	root = file_json(gen[0], 1);
	set_int(enc_of(root), "opslimit", 1000000000);
	expect_json(root, ATTEST_ERR_TOO_LARGE, "encryption.opslimit");
	root = file_json(gen[0], 1);
	set_int(enc_of(root), "memlimit", (json_int_t)ATTEST_MAX_KDF_MEMLIMIT +
	    1);
	expect_json(root, ATTEST_ERR_TOO_LARGE, "encryption.memlimit");
	/* both: the first is named */
	root = file_json(gen[0], 1);
	set_int(enc_of(root), "opslimit", 1000);
	set_int(enc_of(root), "memlimit", (json_int_t)1 << 40);
	expect_json(root, ATTEST_ERR_TOO_LARGE, "encryption.opslimit");
	/* below Argon2id's minimum */
	root = file_json(gen[0], 1);
	set_int(enc_of(root), "opslimit", 0);
	expect_json(root, ATTEST_ERR_PARSE, "encryption.opslimit");
	root = file_json(gen[0], 1);
	set_int(enc_of(root), "memlimit", 1024);
	expect_json(root, ATTEST_ERR_PARSE, "encryption.memlimit");
	/* within the range but not what encrypted it */
	root = file_json(gen[0], 1);
	set_int(enc_of(root), "opslimit", 2);
	expect_json(root, ATTEST_ERR_PASSPHRASE, NULL);
	/* wrong types */
	root = file_json(gen[0], 1);
	set_int(enc_of(root), "opslimit", -1);
	expect_json(root, ATTEST_ERR_PARSE, "encryption.opslimit");
	root = file_json(gen[0], 1);
	set_str(enc_of(root), "opslimit", "1");
	expect_json(root, ATTEST_ERR_PARSE, "encryption.opslimit");
	root = file_json(gen[0], 1);
	assert_int_equal(json_object_set_new(enc_of(root), "memlimit",
	    json_real(8388608.0)), 0);
	expect_json(root, ATTEST_ERR_PARSE, "encryption.memlimit");
	/* unknown KDF and cipher */
	root = file_json(gen[0], 1);
	set_str(enc_of(root), "kdf", "scrypt");
	expect_json(root, ATTEST_ERR_UNSUPPORTED, "encryption.kdf");
	root = file_json(gen[0], 1);
	set_str(enc_of(root), "cipher", "aes-256-gcm");
	expect_json(root, ATTEST_ERR_UNSUPPORTED, "encryption.cipher");
	root = file_json(gen[0], 1);
	assert_int_equal(json_object_del(enc_of(root), "kdf"), 0);
	expect_json(root, ATTEST_ERR_PARSE, "encryption.kdf");
}

static void
test_key_parse_tampered_header(void **state)
{
	json_t *root;

	(void)state;
	root = file_json(gen[0], 1);
	set_int(root, "version", 2);
	expect_json(root, ATTEST_ERR_UNSUPPORTED, "version");
	root = file_json(gen[0], 1);
	set_int(root, "version", 0);
	expect_json(root, ATTEST_ERR_UNSUPPORTED, "version");
	root = file_json(gen[0], 1);
	set_str(root, "version", "1");
	expect_json(root, ATTEST_ERR_PARSE, "version");
	root = file_json(gen[0], 1);
	assert_int_equal(json_object_del(root, "version"), 0);
	expect_json(root, ATTEST_ERR_PARSE, "version");
	root = file_json(gen[0], 1);
	set_str(root, "type", "libattest-public-key");
	expect_json(root, ATTEST_ERR_PARSE, "type");
	root = file_json(gen[0], 1);
	assert_int_equal(json_object_del(root, "type"), 0);
	expect_json(root, ATTEST_ERR_PARSE, "type");
	root = file_json(gen[0], 0);
	set_str(root, "encryption", "aes");
	expect_json(root, ATTEST_ERR_PARSE, "encryption");
	root = file_json(gen[0], 0);
	set_int(root, "encryption", 0);
	expect_json(root, ATTEST_ERR_PARSE, "encryption");
	root = file_json(gen[0], 0);
	assert_int_equal(json_object_del(root, "encryption"), 0);
	expect_json(root, ATTEST_ERR_PARSE, "encryption");
}

/* Text-level damage: duplicate keys, trailing bytes, size, not JSON. */
static void
test_key_parse_bad_text(void **state)
{
	unsigned char *f;
	char *t, *p;
	attest_diag_t *d;
	attest_key_t *k = NULL;
	size_t len, n;

	(void)state;
	assert_non_null(d = attest_diag_new());
	f = keyfile(gen[0], 1, &len);
	assert_non_null(t = malloc(len + 256));

	/* a duplicate top-level key: the reason names it */
	n = (size_t)snprintf(t, len + 256, "{\"keyid\": \"x\",%s",
	    (const char *)f + 1);
	assert_int_equal(attest_key_parse(&k, (unsigned char *)t, n,
	    tu_secret_cb, NULL, d), ATTEST_ERR_PARSE);
	assert_null(k);
	assert_true(attest_diag_get_offset(d) >= 0);
	assert_non_null(strstr(attest_diag_get_reason(d), "duplicate"));
	assert_non_null(strstr(attest_diag_get_reason(d), "keyid"));

	/* a duplicate key inside "encryption" */
	assert_non_null(p = strstr((const char *)f, "\"kdf\""));
	n = (size_t)snprintf(t, len + 256, "%.*s\"kdf\": \"argon2id13\", %s",
	    (int)(p - (const char *)f), (const char *)f, p);
	attest_diag_clear(d);
	assert_int_equal(attest_key_parse(&k, (unsigned char *)t, n,
	    tu_secret_cb, NULL, d), ATTEST_ERR_PARSE);
	assert_non_null(strstr(attest_diag_get_reason(d), "kdf"));

	/* trailing garbage; trailing white space is fine */
	n = (size_t)snprintf(t, len + 256, "%sx", (const char *)f);
	attest_diag_clear(d);
	assert_int_equal(attest_key_parse(&k, (unsigned char *)t, n,
	    tu_secret_cb, NULL, d), ATTEST_ERR_PARSE);
	assert_true(attest_diag_get_offset(d) >= (long long)len - 1);
	n = (size_t)snprintf(t, len + 256, "%s{}", (const char *)f);
	assert_int_equal(attest_key_parse(&k, (unsigned char *)t, n,
	    tu_secret_cb, NULL, NULL), ATTEST_ERR_PARSE);
	n = (size_t)snprintf(t, len + 256, "%s \n\t", (const char *)f);
	{
		struct tu_secret ts = { PASS, 0 };

		assert_int_equal(attest_key_parse(&k, (unsigned char *)t, n,
		    tu_secret_cb, &ts, NULL), ATTEST_OK);
		attest_key_free(&k);
	}
	/* a NUL byte inside */
	memcpy(t, f, len);
	t[len / 2] = '\0';
	assert_int_equal(attest_key_parse(&k, (unsigned char *)t, len,
	    tu_secret_cb, NULL, NULL), ATTEST_ERR_PARSE);
	/* truncated */
	assert_int_equal(attest_key_parse(&k, f, len / 2, tu_secret_cb, NULL,
	    NULL), ATTEST_ERR_PARSE);
	/* not an object */
	assert_int_equal(attest_key_parse(&k, (const unsigned char *)"[1]", 3,
	    tu_secret_cb, NULL, NULL), ATTEST_ERR_PARSE);
	assert_int_equal(attest_key_parse(&k, (const unsigned char *)"", 0,
	    tu_secret_cb, NULL, NULL), ATTEST_ERR_PARSE);
	free(t);

	/* larger than ATTEST_MAX_KEYFILE_BYTES, refused before parsing */
	assert_non_null(t = malloc(ATTEST_MAX_KEYFILE_BYTES + 1));
	memset(t, ' ', ATTEST_MAX_KEYFILE_BYTES + 1);
	memcpy(t, f, len);
	attest_diag_clear(d);
	assert_int_equal(attest_key_parse(&k, (unsigned char *)t,
	    ATTEST_MAX_KEYFILE_BYTES + 1, tu_secret_cb, NULL, d),
	    ATTEST_ERR_TOO_LARGE);
	assert_null(k);
	assert_non_null(attest_diag_get_reason(d));
	free(t);
	assert_int_equal(attest_key_parse(NULL, f, len, NULL, NULL, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_key_parse(&k, NULL, 0, NULL, NULL, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_freezero(f, len);
	attest_diag_free(&d);
}

/* PKCS#8 import --------------------------------------------------------- */

static EVP_PKEY *
ossl_keygen(attest_alg_t alg)
{
	EVP_PKEY *k = NULL;

	switch (alg) {
	case ATTEST_ALG_ED25519:
		k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	case ATTEST_ALG_ECDSA_P256_SHA256:
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		break;
	case ATTEST_ALG_ECDSA_P384_SHA384:
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
		break;
	default:
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
		break;
	}
	assert_non_null(k);
	return k;
}

static void
test_key_import_pem_ok(void **state)
{
	static const unsigned char msg[] = "imported key, checked by OpenSSL";
	struct tu_secret ts;
	char want[ATTEST_KEYID_SIZE];
	attest_signer_t *s = NULL;
	attest_key_t *k = NULL;
	EVP_PKEY *pkey;
	unsigned char *sig = NULL;
	char *pem;
	size_t i, len, sig_len = 0;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		pkey = ossl_keygen(algs[i]);
		ossl_keyid(pkey, want);

		/* plain: no passphrase asked */
		pem = ossl_pkcs8_pem(pkey, NULL, &len);
		assert_non_null(strstr(pem, "-----BEGIN PRIVATE KEY-----"));
		ts.pass = "unused";
		ts.calls = 0;
		assert_int_equal(attest_key_import_pem(&k, (unsigned char *)pem,
		    len, tu_secret_cb, &ts, NULL), ATTEST_OK);
		assert_int_equal(ts.calls, 0);
		assert_int_equal(attest_key_alg(k), algs[i]);
		assert_string_equal(attest_pubkey_keyid(attest_key_pubkey(k)),
		    want);
		attest_key_free(&k);
		free(pem);

		/* encrypted with AES-256-CBC under a passphrase */
		pem = ossl_pkcs8_pem(pkey, PASS, &len);
		assert_non_null(strstr(pem,
		    "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
		ts.pass = PASS;
		ts.calls = 0;
		assert_int_equal(attest_key_import_pem(&k, (unsigned char *)pem,
		    len, tu_secret_cb, &ts, NULL), ATTEST_OK);
		assert_int_equal(ts.calls, 1);
		assert_int_equal(attest_key_alg(k), algs[i]);
		assert_string_equal(attest_pubkey_keyid(attest_key_pubkey(k)),
		    want);
		free(pem);

		/* the imported key signs what OpenSSL's key verifies */
		assert_int_equal(attest_signer_from_key(&s, &k), ATTEST_OK);
		assert_int_equal(attest_signer_sign_alloc(s, msg, sizeof(msg),
		    &sig, &sig_len, NULL), ATTEST_OK);
		assert_true(ossl_verify(pkey, algs[i], msg, sizeof(msg), sig,
		    sig_len));
		attest_freezero(sig, sig_len);
		attest_signer_free(&s);
		EVP_PKEY_free(pkey);
	}
}

static void
test_key_import_pem_wrong_passphrase(void **state)
{
	struct tu_secret ts = { "not it", 0 };
	attest_key_t *k = NULL;
	attest_diag_t *d;
	EVP_PKEY *pkey;
	char *pem;
	size_t len;

	(void)state;
	assert_non_null(d = attest_diag_new());
	pkey = ossl_keygen(ATTEST_ALG_ECDSA_P256_SHA256);
	pem = ossl_pkcs8_pem(pkey, PASS, &len);
	assert_int_equal(attest_key_import_pem(&k, (unsigned char *)pem, len,
	    tu_secret_cb, &ts, d), ATTEST_ERR_PASSPHRASE);
	assert_null(k);
	assert_int_equal(ts.calls, 1);
	assert_non_null(attest_diag_get_reason(d));
	/* no callback for an encrypted key */
	attest_diag_clear(d);
	assert_int_equal(attest_key_import_pem(&k, (unsigned char *)pem, len,
	    NULL, NULL, d), ATTEST_ERR_PASSPHRASE);
	assert_null(k);
	assert_non_null(strstr(attest_diag_get_reason(d), "no passphrase"));
	/* the callback gives up */
	ts.pass = NULL;
	assert_int_equal(attest_key_import_pem(&k, (unsigned char *)pem, len,
	    tu_secret_cb, &ts, NULL), ATTEST_ERR_CANCELLED);
	assert_null(k);
	free(pem);
	EVP_PKEY_free(pkey);
	attest_diag_free(&d);
}

static void
expect_import(EVP_PKEY *pkey, attest_err_t want)
{
	attest_key_t *k = NULL;
	attest_diag_t *d;
	char *pem;
	size_t len;

	assert_non_null(pkey);
	assert_non_null(d = attest_diag_new());
	pem = ossl_pkcs8_pem(pkey, NULL, &len);
	assert_int_equal(attest_key_import_pem(&k, (unsigned char *)pem, len,
	    NULL, NULL, d), want);
	assert_null(k);
	assert_non_null(attest_diag_get_reason(d));
	free(pem);
	EVP_PKEY_free(pkey);
	attest_diag_free(&d);
}

static void
test_key_import_pem_unsupported(void **state)
{
	(void)state;
	expect_import(EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024),
	    ATTEST_ERR_UNSUPPORTED);
	expect_import(EVP_PKEY_Q_keygen(NULL, NULL, "X25519"),
	    ATTEST_ERR_UNSUPPORTED);
	expect_import(EVP_PKEY_Q_keygen(NULL, NULL, "ED448"),
	    ATTEST_ERR_UNSUPPORTED);
	expect_import(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521"),
	    ATTEST_ERR_UNSUPPORTED);
	expect_import(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1"),
	    ATTEST_ERR_UNSUPPORTED);
}

static void
test_key_import_pem_junk(void **state)
{
	static const char junk[] = "-----BEGIN PRIVATE KEY-----\n"
	    "AAAA\n-----END PRIVATE KEY-----\n";
	attest_key_t *k = NULL;
	unsigned char *pem = NULL, *big;
	size_t len = 0;

	(void)state;
	assert_int_equal(attest_key_import_pem(&k,
	    (const unsigned char *)"hello", 5, NULL, NULL, NULL),
	    ATTEST_ERR_PARSE);
	assert_int_equal(attest_key_import_pem(&k,
	    (const unsigned char *)junk, sizeof(junk) - 1, NULL, NULL, NULL),
	    ATTEST_ERR_PARSE);
	/* a public key is not a private key */
	assert_int_equal(attest_pubkey_pem_alloc(attest_key_pubkey(gen[0]),
	    &pem, &len), ATTEST_OK);
	assert_int_equal(attest_key_import_pem(&k, pem, len, NULL, NULL,
	    NULL), ATTEST_ERR_PARSE);
	assert_null(k);
	attest_freezero(pem, len);
	/* too large */
	assert_non_null(big = calloc(1, ATTEST_MAX_KEYFILE_BYTES + 1));
	assert_int_equal(attest_key_import_pem(&k, big,
	    ATTEST_MAX_KEYFILE_BYTES + 1, NULL, NULL, NULL),
	    ATTEST_ERR_TOO_LARGE);
	free(big);
	assert_int_equal(attest_key_import_pem(NULL,
	    (const unsigned char *)junk, 1, NULL, NULL,
	    NULL), ATTEST_ERR_INVALID_ARGUMENT);
}

/* Public keys ----------------------------------------------------------- */

static void
test_pubkey_pem_roundtrip(void **state)
{
	const attest_pubkey_t *pk;
	attest_pubkey_t *back = NULL, *dup;
	unsigned char *pem = NULL;
	size_t i, len = 0;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		pk = attest_key_pubkey(gen[i]);
		assert_int_equal(attest_pubkey_pem_alloc(pk, &pem, &len),
		    ATTEST_OK);
		assert_int_equal(strncmp((const char *)pem,
		    "-----BEGIN PUBLIC KEY-----\n", 27), 0);
		assert_non_null(strstr((const char *)pem,
		    "-----END PUBLIC KEY-----\n"));
		assert_int_equal(attest_pubkey_parse_pem(&back, pem, len,
		    NULL), ATTEST_OK);
		assert_int_equal(attest_pubkey_alg(back), algs[i]);
		assert_string_equal(attest_pubkey_keyid(back),
		    attest_pubkey_keyid(pk));
		assert_int_equal(attest_pubkey_spki_len(back),
		    attest_pubkey_spki_len(pk));
		assert_memory_equal(attest_pubkey_spki_ptr(back),
		    attest_pubkey_spki_ptr(pk), attest_pubkey_spki_len(pk));
		assert_non_null(dup = attest_pubkey_dup(back));
		attest_pubkey_free(&back);
		assert_string_equal(attest_pubkey_keyid(dup),
		    attest_pubkey_keyid(pk));
		assert_int_equal(attest_pubkey_alg(dup), algs[i]);
		attest_pubkey_free(&dup);
		assert_null(dup);
		attest_freezero(pem, len);
	}
	attest_pubkey_free(NULL);
	assert_null(attest_pubkey_dup(NULL));
	assert_null(attest_pubkey_keyid(NULL));
	assert_int_equal(attest_pubkey_alg(NULL), ATTEST_ALG_NONE);
	assert_int_equal(attest_pubkey_spki_len(NULL), 0);
	assert_int_equal(attest_pubkey_pem_alloc(NULL, &pem, &len),
	    ATTEST_ERR_INVALID_ARGUMENT);
}

/* The key id is the hex SHA-256 of the DER SPKI, as OpenSSL encodes it. */
static void
test_pubkey_keyid_is_spki_sha256(void **state)
{
	char want[ATTEST_KEYID_SIZE];
	EVP_PKEY *pkey;
	size_t i;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		pkey = ossl_pub(attest_key_pubkey(gen[i]));
		assert_string_equal(attest_pubkey_keyid(attest_key_pubkey(
		    gen[i])), ossl_keyid(pkey, want));
		EVP_PKEY_free(pkey);
	}
}

static void
test_pubkey_load(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	attest_pubkey_t *pk = NULL;
	attest_diag_t *d;
	unsigned char *pem = NULL;
	size_t len = 0;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_pubkey_pem_alloc(attest_key_pubkey(gen[2]),
	    &pem, &len), ATTEST_OK);
	tu_write_file(tu_join(path, dir, "k.pub"), pem, len);
	assert_int_equal(attest_pubkey_load(&pk, path, d), ATTEST_OK);
	assert_string_equal(attest_pubkey_keyid(pk),
	    attest_pubkey_keyid(attest_key_pubkey(gen[2])));
	attest_pubkey_free(&pk);
	assert_int_equal(attest_pubkey_load(&pk, tu_join(path, dir, "none"),
	    d), ATTEST_ERR_IO);
	assert_null(pk);
	assert_int_equal(attest_pubkey_load(&pk, NULL, d),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_freezero(pem, len);
	attest_diag_free(&d);
	tu_rmtree(dir);
}

static void
expect_pem(const char *pem, attest_err_t want)
{
	attest_pubkey_t *pk = NULL;
	attest_diag_t *d;

	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_pubkey_parse_pem(&pk,
	    (const unsigned char *)pem, strlen(pem), d), want);
	assert_null(pk);
	assert_non_null(attest_diag_get_reason(d));
	attest_diag_free(&d);
}

static void
test_pubkey_parse_pem_junk(void **state)
{
	unsigned char *pem = NULL;
	char *t, *p;
	size_t len = 0;

	(void)state;
	assert_int_equal(attest_pubkey_pem_alloc(attest_key_pubkey(gen[0]),
	    &pem, &len), ATTEST_OK);
	assert_non_null(t = malloc(len + 128));

	expect_pem("", ATTEST_ERR_PARSE);
	expect_pem("not a key", ATTEST_ERR_PARSE);
	/* another label */
	(void)snprintf(t, len + 128, "%s", (const char *)pem);
	while ((p = strstr(t, "PUBLIC KEY")) != NULL)
		memcpy(p, "PUBLIC KEX", 10);
	expect_pem(t, ATTEST_ERR_PARSE);
	/* trailing data after the block; white space is fine */
	(void)snprintf(t, len + 128, "%sjunk\n", (const char *)pem);
	expect_pem(t, ATTEST_ERR_PARSE);
	(void)snprintf(t, len + 128, "%s%s", (const char *)pem,
	    (const char *)pem);
	expect_pem(t, ATTEST_ERR_PARSE);
	(void)snprintf(t, len + 128, "%s \n\n", (const char *)pem);
	{
		attest_pubkey_t *pk = NULL;

		assert_int_equal(attest_pubkey_parse_pem(&pk,
		    (unsigned char *)t, strlen(t), NULL), ATTEST_OK);
		attest_pubkey_free(&pk);
	}
	/* PEM headers */
	(void)snprintf(t, len + 128, "-----BEGIN PUBLIC KEY-----\n"
	    "Comment: x\n\n%s", (const char *)pem + 27);
	expect_pem(t, ATTEST_ERR_PARSE);
	/* an empty block, a damaged body */
	expect_pem("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
	    ATTEST_ERR_PARSE);
	(void)snprintf(t, len + 128, "%s", (const char *)pem);
	t[30] = '*';
	expect_pem(t, ATTEST_ERR_PARSE);
	free(t);
	attest_freezero(pem, len);
	{
		attest_pubkey_t *pk = NULL;
		char *big;

		assert_non_null(big = malloc(ATTEST_MAX_KEYFILE_BYTES + 2));
		memset(big, '\n', ATTEST_MAX_KEYFILE_BYTES + 1);
		big[ATTEST_MAX_KEYFILE_BYTES + 1] = '\0';
		assert_int_equal(attest_pubkey_parse_pem(&pk,
		    (unsigned char *)big, ATTEST_MAX_KEYFILE_BYTES + 1, NULL),
		    ATTEST_ERR_TOO_LARGE);
		free(big);
	}
}

static void
test_pubkey_parse_der_ok(void **state)
{
	const attest_pubkey_t *pk;
	size_t i;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		pk = attest_key_pubkey(gen[i]);
		expect_der(attest_pubkey_spki_ptr(pk),
		    attest_pubkey_spki_len(pk), ATTEST_OK);
	}
}

static void
test_pubkey_parse_der_junk(void **state)
{
	const attest_pubkey_t *pk = attest_key_pubkey(gen[1]);
	unsigned char buf[512];
	size_t len = attest_pubkey_spki_len(pk);
	attest_pubkey_t *out = NULL;

	(void)state;
	assert_true(len + 2 <= sizeof(buf));
	memcpy(buf, attest_pubkey_spki_ptr(pk), len);
	/* truncated, one byte more, empty */
	expect_der(buf, len - 1, ATTEST_ERR_PARSE);
	buf[len] = 0x00;
	expect_der(buf, len + 1, ATTEST_ERR_PARSE);
	expect_der(buf, 0, ATTEST_ERR_PARSE);
	/* a BER long-form length: same key, not canonical DER */
	assert_int_equal(buf[0], 0x30);
	assert_int_equal(buf[1], len - 2);
	buf[0] = 0x30;
	buf[1] = 0x81;
	buf[2] = (unsigned char)(len - 2);
	memcpy(buf + 3, attest_pubkey_spki_ptr(pk) + 2, len - 2);
	expect_der(buf, len + 1, ATTEST_ERR_PARSE);
	/* a point that is not on the curve: OpenSSL refuses to decode it */
	memcpy(buf, attest_pubkey_spki_ptr(pk), len);
	buf[len - 1] ^= 0x01;
	expect_der(buf, len, ATTEST_ERR_PARSE);
	assert_int_equal(attest_pubkey_parse_der(NULL, buf, len, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_pubkey_parse_der(&out, NULL, 0, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
}

static void
test_pubkey_parse_der_unsupported(void **state)
{
	static const char *const groups[] = { "P-521", "secp256k1",
	    "P-224" };
	unsigned char *der;
	EVP_PKEY *pkey;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		assert_non_null(pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
		    groups[i]));
		der = ossl_spki(pkey, &len);
		expect_der(der, len, ATTEST_ERR_UNSUPPORTED);
		free(der);
		EVP_PKEY_free(pkey);
	}
	assert_non_null(pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
	    (size_t)1024));
	der = ossl_spki(pkey, &len);
	expect_der(der, len, ATTEST_ERR_UNSUPPORTED);
	free(der);
	EVP_PKEY_free(pkey);
	assert_non_null(pkey = EVP_PKEY_Q_keygen(NULL, NULL, "X25519"));
	der = ossl_spki(pkey, &len);
	expect_der(der, len, ATTEST_ERR_UNSUPPORTED);
	free(der);
	EVP_PKEY_free(pkey);
}

/*
 * One key, one encoding, one key id: a compressed EC point (the same key
 * under another key id) is refused.
 */
static void
test_pubkey_parse_der_ec_compressed(void **state)
{
	static const char *const groups[] = { "P-256", "P-384" };
	unsigned char *der;
	EVP_PKEY *pkey;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		assert_non_null(pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
		    groups[i]));
		der = ossl_spki(pkey, &len);
		expect_der(der, len, ATTEST_OK);
		free(der);
		assert_int_equal(EVP_PKEY_set_utf8_string_param(pkey,
		    OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
		    OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_COMPRESSED), 1);
		der = ossl_spki(pkey, &len);
		assert_true(der[len - (i == 0 ? 33 : 49)] == 0x02 ||
		    der[len - (i == 0 ? 33 : 49)] == 0x03);
		expect_der(der, len, ATTEST_ERR_KEY);
		free(der);
		EVP_PKEY_free(pkey);
	}
}

/*
 * Ed25519 public keys of small order, or not canonically encoded, are
 * refused (libsodium crypto_core_ed25519_is_valid_point).
 */
static void
test_pubkey_parse_der_ed25519_small_order(void **state)
{
	static const char *const bad[] = {
		/* the identity (0, 1) */
		"01000000000000000000000000000000"
		    "00000000000000000000000000000000",
		/* (sqrt(-1), 0), of order 4 */
		"00000000000000000000000000000000"
		    "00000000000000000000000000000000",
		/* (0, -1), of order 2 */
		"ecffffffffffffffffffffffffffffff"
		    "ffffffffffffffffffffffffffffff7f",
		/* points of order 8 */
		"c7176a703d4dd84fba3c0b760d10670f"
		    "2a2053fa2c39ccc64ec7fd7792ac037a",
		"26e8958fc2b227b045c3f489f2ef98f0"
		    "d5dfac05d3c63339b13802886d53fc05",
		/* y = p + 1: a non-canonical encoding of the identity */
		"eeffffffffffffffffffffffffffffff"
		    "ffffffffffffffffffffffffffffff7f",
	};
	unsigned char spki[44], pk[32], sk[64], *raw;
	size_t i, n;

	(void)state;
	memcpy(spki, ed_spki_head, sizeof(ed_spki_head));
	/* a real key passes through the same path */
	crypto_sign_keypair(pk, sk);
	memcpy(spki + 12, pk, 32);
	expect_der(spki, sizeof(spki), ATTEST_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		raw = tu_hex(bad[i], &n);
		assert_int_equal(n, 32);
		memcpy(spki + 12, raw, 32);
		free(raw);
		expect_der(spki, sizeof(spki), ATTEST_ERR_KEY);
	}
	/* a 31-byte key */
	spki[1] = 0x29;
	spki[10] = 0x20;
	memcpy(spki + 12, pk, 31);
	expect_der(spki, 43, ATTEST_ERR_KEY);
	sodium_memzero(sk, sizeof(sk));
}

/* Key sets -------------------------------------------------------------- */

static void
test_keyset_ok(void **state)
{
	attest_keyset_t *ks;
	const attest_pubkey_t *pk;
	size_t i;

	(void)state;
	assert_non_null(ks = attest_keyset_new());
	assert_int_equal(attest_keyset_count(ks), 0);
	for (i = 0; i < NALGS; i++)
		assert_int_equal(attest_keyset_add(ks,
		    attest_key_pubkey(gen[i])), ATTEST_OK);
	assert_int_equal(attest_keyset_count(ks), NALGS);
	for (i = 0; i < NALGS; i++) {
		pk = attest_key_pubkey(gen[i]);
		assert_int_equal(attest_keyset_find(ks,
		    attest_pubkey_keyid(pk)), (long)i);
		/* a copy, not the caller's object */
		assert_ptr_not_equal(attest_keyset_get(ks, i), pk);
		assert_string_equal(attest_pubkey_keyid(
		    attest_keyset_get(ks, i)), attest_pubkey_keyid(pk));
	}
	assert_null(attest_keyset_get(ks, NALGS));
	assert_int_equal(attest_keyset_find(ks, "0000000000000000000000000000"
	    "000000000000000000000000000000000000"), -1);
	/* a prefix of a key id finds nothing */
	{
		char pre[17];

		(void)snprintf(pre, sizeof(pre), "%s", attest_pubkey_keyid(
		    attest_key_pubkey(gen[0])));
		assert_int_equal(attest_keyset_find(ks, pre), -1);
	}
	assert_int_equal(attest_keyset_find(ks, NULL), -1);
	assert_int_equal(attest_keyset_find(NULL, "x"), -1);
	attest_keyset_free(&ks);
	assert_null(ks);
	attest_keyset_free(NULL);
	assert_int_equal(attest_keyset_count(NULL), 0);
	assert_null(attest_keyset_get(NULL, 0));
}

static void
test_keyset_duplicate(void **state)
{
	attest_keyset_t *ks;
	attest_pubkey_t *again = NULL;
	const attest_pubkey_t *pk = attest_key_pubkey(gen[3]);

	(void)state;
	assert_non_null(ks = attest_keyset_new());
	assert_int_equal(attest_keyset_add(ks, pk), ATTEST_OK);
	assert_int_equal(attest_keyset_add(ks, pk), ATTEST_ERR_DUPLICATE);
	/* the same key parsed again is the same key */
	assert_int_equal(attest_pubkey_parse_der(&again,
	    attest_pubkey_spki_ptr(pk), attest_pubkey_spki_len(pk), NULL),
	    ATTEST_OK);
	assert_int_equal(attest_keyset_add(ks, again), ATTEST_ERR_DUPLICATE);
	assert_int_equal(attest_keyset_count(ks), 1);
	assert_int_equal(attest_keyset_add(ks, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_keyset_add(NULL, pk),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_pubkey_free(&again);
	attest_keyset_free(&ks);
}

static void
test_keyset_too_large(void **state)
{
	unsigned char spki[44], pk[32], sk[64];
	attest_keyset_t *ks;
	attest_pubkey_t *p = NULL;
	size_t i;

	(void)state;
	assert_non_null(ks = attest_keyset_new());
	memcpy(spki, ed_spki_head, sizeof(ed_spki_head));
	for (i = 0; i <= ATTEST_MAX_KEYS; i++) {
		crypto_sign_keypair(pk, sk);
		memcpy(spki + 12, pk, 32);
		assert_int_equal(attest_pubkey_parse_der(&p, spki,
		    sizeof(spki), NULL), ATTEST_OK);
		assert_int_equal(attest_keyset_add(ks, p), i < ATTEST_MAX_KEYS ?
		    ATTEST_OK : ATTEST_ERR_TOO_LARGE);
		attest_pubkey_free(&p);
	}
	assert_int_equal(attest_keyset_count(ks), ATTEST_MAX_KEYS);
	sodium_memzero(sk, sizeof(sk));
	attest_keyset_free(&ks);
}

/* Signers --------------------------------------------------------------- */

static void
test_signer_sign_verify_ok(void **state)
{
	static const unsigned char msg[] = "DSSEv1 4 type 4 body";
	attest_signer_t *s;
	const attest_pubkey_t *pk;
	unsigned char *sig = NULL, *sig2 = NULL, raw[96];
	size_t i, sig_len = 0, sig2_len = 0, n;
	EVP_PKEY *opk;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		s = signer_for(gen[i]);
		assert_int_equal(attest_signer_alg(s), algs[i]);
		assert_string_equal(attest_signer_keyid(s),
		    attest_pubkey_keyid(attest_key_pubkey(gen[i])));
		pk = attest_signer_pubkey(s);
		assert_string_equal(attest_pubkey_keyid(pk),
		    attest_signer_keyid(s));
		assert_int_equal(attest_signer_sign_alloc(s, msg, sizeof(msg),
		    &sig, &sig_len, NULL), ATTEST_OK);
		assert_int_equal(attest_pubkey_verify(pk, msg, sizeof(msg),
		    sig, sig_len), ATTEST_OK);
		/* OpenSSL agrees */
		opk = ossl_pub(pk);
		assert_true(ossl_verify(opk, algs[i], msg, sizeof(msg), sig,
		    sig_len));
		EVP_PKEY_free(opk);
		switch (algs[i]) {
		case ATTEST_ALG_ED25519:
			assert_int_equal(sig_len, 64);
			/* deterministic */
			assert_int_equal(attest_signer_sign_alloc(s, msg,
			    sizeof(msg), &sig2, &sig2_len, NULL), ATTEST_OK);
			assert_int_equal(sig2_len, sig_len);
			assert_memory_equal(sig, sig2, sig_len);
			attest_freezero(sig2, sig2_len);
			break;
		case ATTEST_ALG_ECDSA_P256_SHA256:
		case ATTEST_ALG_ECDSA_P384_SHA384:
			/* DER out; raw r||s of the same verifies too */
			assert_int_equal(sig[0], 0x30);
			n = algs[i] == ATTEST_ALG_ECDSA_P256_SHA256 ? 32 : 48;
			der_to_raw(sig, sig_len, n, raw);
			assert_int_equal(attest_pubkey_verify(pk, msg,
			    sizeof(msg), raw, 2 * n), ATTEST_OK);
			raw[5] ^= 0x20;
			assert_int_equal(attest_pubkey_verify(pk, msg,
			    sizeof(msg), raw, 2 * n), ATTEST_ERR_VERIFY);
			break;
		default:
			assert_int_equal(sig_len, 384);
			break;
		}
		/* an empty message signs too */
		attest_freezero(sig, sig_len);
		assert_int_equal(attest_signer_sign_alloc(s, NULL, 0, &sig,
		    &sig_len, NULL), ATTEST_OK);
		assert_int_equal(attest_pubkey_verify(pk, NULL, 0, sig,
		    sig_len), ATTEST_OK);
		attest_freezero(sig, sig_len);
		attest_signer_free(&s);
		assert_null(s);
	}
	attest_signer_free(NULL);
	assert_int_equal(attest_signer_alg(NULL), ATTEST_ALG_NONE);
	assert_null(attest_signer_keyid(NULL));
	assert_null(attest_signer_pubkey(NULL));
}

static void
test_signer_verify_altered(void **state)
{
	static const unsigned char msg[] = "the signed message";
	unsigned char alt[sizeof(msg)], *sig = NULL, *big;
	const attest_pubkey_t *pk, *wrong;
	attest_signer_t *s;
	size_t i, sig_len = 0;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		s = signer_for(gen[i]);
		pk = attest_signer_pubkey(s);
		assert_int_equal(attest_signer_sign_alloc(s, msg, sizeof(msg),
		    &sig, &sig_len, NULL), ATTEST_OK);
		/* altered message */
		memcpy(alt, msg, sizeof(msg));
		alt[0] ^= 0x01;
		assert_int_equal(attest_pubkey_verify(pk, alt, sizeof(alt),
		    sig, sig_len), ATTEST_ERR_VERIFY);
		assert_int_equal(attest_pubkey_verify(pk, msg,
		    sizeof(msg) - 1, sig, sig_len), ATTEST_ERR_VERIFY);
		/* altered signature, truncated, extended, empty */
		sig[sig_len / 2] ^= 0x01;
		assert_int_equal(attest_pubkey_verify(pk, msg, sizeof(msg),
		    sig, sig_len), ATTEST_ERR_VERIFY);
		sig[sig_len / 2] ^= 0x01;
		assert_int_equal(attest_pubkey_verify(pk, msg, sizeof(msg),
		    sig, sig_len), ATTEST_OK);
		assert_int_equal(attest_pubkey_verify(pk, msg, sizeof(msg),
		    sig, sig_len - 1), ATTEST_ERR_VERIFY);
		assert_non_null(big = calloc(1, ATTEST_MAX_SIG_BYTES + 1));
		memcpy(big, sig, sig_len);
		assert_int_equal(attest_pubkey_verify(pk, msg, sizeof(msg),
		    big, sig_len + 1), ATTEST_ERR_VERIFY);
		assert_int_equal(attest_pubkey_verify(pk, msg, sizeof(msg),
		    big, ATTEST_MAX_SIG_BYTES + 1), ATTEST_ERR_VERIFY);
		free(big);
		assert_int_equal(attest_pubkey_verify(pk, msg, sizeof(msg),
		    sig, 0), ATTEST_ERR_VERIFY);
		/* another key, of another algorithm */
		wrong = attest_key_pubkey(gen[(i + 1) % NALGS]);
		assert_int_equal(attest_pubkey_verify(wrong, msg, sizeof(msg),
		    sig, sig_len), ATTEST_ERR_VERIFY);
		assert_int_equal(attest_pubkey_verify(NULL, msg, sizeof(msg),
		    sig, sig_len), ATTEST_ERR_INVALID_ARGUMENT);
		assert_int_equal(attest_pubkey_verify(pk, NULL, 1, sig,
		    sig_len), ATTEST_ERR_INVALID_ARGUMENT);
		attest_freezero(sig, sig_len);
		attest_signer_free(&s);
	}
}

/* A custom signer: a software signer behind the ops interface. */
struct custom {
	attest_signer_t	*inner;
	int		 closed;
	int		 zero;	/* claim a zero-length signature */
};

static attest_err_t
custom_sign(void *ctx, const unsigned char *msg, size_t msg_len,
    unsigned char *sig, size_t sig_size, size_t *sig_len, attest_diag_t *diag)
{
	struct custom *c = ctx;
	unsigned char *s = NULL;
	size_t n = 0;
	attest_err_t r;

	*sig_len = 0;
	if ((r = attest_signer_sign_alloc(c->inner, msg, msg_len, &s, &n,
	    diag)) != ATTEST_OK)
		return r;
	if (n > sig_size) {
		attest_freezero(s, n);
		return ATTEST_ERR_INVALID_ARGUMENT;
	}
	memcpy(sig, s, n);
	*sig_len = c->zero ? 0 : n;
	attest_freezero(s, n);
	return ATTEST_OK;
}

static void
custom_close(void *ctx)
{
	struct custom *c = ctx;

	c->closed++;
	attest_signer_free(&c->inner);
}

static const attest_signer_ops_t custom_ops = { custom_sign, custom_close };

static void
test_signer_new_custom(void **state)
{
	static const unsigned char msg[] = "kms";
	struct custom c = { NULL, 0, 0 };
	const attest_signer_ops_t no_sign = { NULL, NULL };
	attest_signer_t *s = NULL;
	unsigned char *sig = NULL;
	size_t sig_len = 0;

	(void)state;
	c.inner = signer_for(gen[1]);
	assert_int_equal(attest_signer_new(&s, &custom_ops, &c,
	    attest_key_pubkey(gen[1])), ATTEST_OK);
	assert_int_equal(attest_signer_alg(s), ATTEST_ALG_ECDSA_P256_SHA256);
	assert_string_equal(attest_signer_keyid(s),
	    attest_pubkey_keyid(attest_key_pubkey(gen[1])));
	assert_int_equal(attest_signer_sign_alloc(s, msg, sizeof(msg), &sig,
	    &sig_len, NULL), ATTEST_OK);
	assert_int_equal(attest_pubkey_verify(attest_signer_pubkey(s), msg,
	    sizeof(msg), sig, sig_len), ATTEST_OK);
	attest_freezero(sig, sig_len);
	/* a backend that claims an empty signature is refused */
	c.zero = 1;
	assert_int_equal(attest_signer_sign_alloc(s, msg, sizeof(msg), &sig,
	    &sig_len, NULL), ATTEST_ERR_CRYPTO);
	assert_null(sig);
	assert_int_equal(attest_signer_sign_alloc(s, NULL, 1, &sig,
	    &sig_len, NULL), ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(c.closed, 0);
	attest_signer_free(&s);
	assert_int_equal(c.closed, 1);
	assert_null(c.inner);

	assert_int_equal(attest_signer_new(&s, NULL, NULL,
	    attest_key_pubkey(gen[0])), ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_signer_new(&s, &no_sign, NULL,
	    attest_key_pubkey(gen[0])), ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_signer_new(&s, &custom_ops, &c, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(s);
}

static void
test_signer_from_key_bad_args(void **state)
{
	attest_signer_t *s = NULL;
	attest_key_t *k = NULL;

	(void)state;
	assert_int_equal(attest_signer_from_key(&s, &k),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_signer_from_key(&s, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_null(s);
}

static void
test_signer_open(void **state)
{
	static const unsigned char msg[] = "from a file";
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	struct tu_secret ts = { PASS, 0 };
	attest_signer_t *s = NULL;
	attest_diag_t *d;
	unsigned char *f, *sig = NULL;
	size_t len, sig_len = 0;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(d = attest_diag_new());
	f = keyfile(gen[2], 1, &len);
	tu_write_file(tu_join(path, dir, "a.key"), f, len);
	attest_freezero(f, len);
	assert_int_equal(attest_signer_open(&s, path, tu_secret_cb, &ts, d),
	    ATTEST_OK);
	assert_int_equal(ts.calls, 1);
	assert_string_equal(attest_signer_keyid(s),
	    attest_pubkey_keyid(attest_key_pubkey(gen[2])));
	assert_int_equal(attest_signer_sign_alloc(s, msg, sizeof(msg), &sig,
	    &sig_len, NULL), ATTEST_OK);
	assert_int_equal(attest_pubkey_verify(attest_key_pubkey(gen[2]), msg,
	    sizeof(msg), sig, sig_len), ATTEST_OK);
	attest_freezero(sig, sig_len);
	attest_signer_free(&s);
	/* wrong passphrase, missing file, not a key file */
	ts.pass = "nope";
	assert_int_equal(attest_signer_open(&s, path, tu_secret_cb, &ts, d),
	    ATTEST_ERR_PASSPHRASE);
	assert_null(s);
	assert_int_equal(attest_signer_open(&s, tu_join(path, dir, "none"),
	    tu_secret_cb, &ts, d), ATTEST_ERR_IO);
	assert_null(s);
	tu_write_file(tu_join(path, dir, "b.key"), "{}", 2);
	assert_int_equal(attest_signer_open(&s, path, tu_secret_cb, &ts, d),
	    ATTEST_ERR_PARSE);
	assert_null(s);
	assert_int_equal(attest_signer_open(&s, NULL, NULL, NULL, d),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_diag_free(&d);
	tu_rmtree(dir);
}

/*
 * A bare EC point 04 || X || Y whose X begins with 0x3f is also a valid
 * DER OCTET STRING of 63 bytes: the SPKI must come from the bare point
 * (the length decides), and the DER-wrapped form must still work.
 * (libattest-internal; PKCS#11 CKA_EC_POINT and libfido2 keys.)
 */
attest_err_t attest_ossl_spki_from_point(attest_alg_t, const unsigned char *,
    size_t, unsigned char **, size_t *);

static void
test_spki_from_point_ambiguous(void **state)
{
	static const char hex[] = "043f400a2d5524f38d8d3b4546cf944829a667955a"
	    "fbb4615caa5a8714fa815b6fc89509fff6ad338ac6c485f3e19c32e959fbb479"
	    "3c96d5d794d0fa994d8407e3";
	unsigned char pt[67], *a = NULL, *b = NULL;
	size_t n, alen = 0, blen = 0, i;
	attest_pubkey_t *pk = NULL;

	(void)state;
	n = strlen(hex) / 2;
	assert_int_equal(n, 65);
	for (i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &pt[i + 2]);
	assert_int_equal(attest_ossl_spki_from_point(
	    ATTEST_ALG_ECDSA_P256_SHA256, pt + 2, 65, &a, &alen), ATTEST_OK);
	pt[0] = 0x04;
	pt[1] = 65;
	assert_int_equal(attest_ossl_spki_from_point(
	    ATTEST_ALG_ECDSA_P256_SHA256, pt, 67, &b, &blen), ATTEST_OK);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_int_equal(attest_pubkey_parse_der(&pk, a, alen, NULL),
	    ATTEST_OK);
	attest_pubkey_free(&pk);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alg_names),
		cmocka_unit_test(test_spki_from_point_ambiguous),
		cmocka_unit_test(test_key_generate_ok),
		cmocka_unit_test(test_key_generate_unsupported),
		cmocka_unit_test(test_key_serialize_plain_ok),
		cmocka_unit_test(test_key_serialize_encrypted_ok),
		cmocka_unit_test(test_key_serialize_empty_pass),
		cmocka_unit_test(test_key_serialize_bad_kdf),
		cmocka_unit_test(test_key_parse_wrong_passphrase),
		cmocka_unit_test(test_key_parse_no_callback),
		cmocka_unit_test(test_key_parse_cancelled),
		cmocka_unit_test(test_key_parse_tampered_keyid),
		cmocka_unit_test(test_key_parse_tampered_algorithm),
		cmocka_unit_test(test_key_parse_tampered_public_key),
		cmocka_unit_test(test_key_parse_tampered_private_key),
		cmocka_unit_test(test_key_parse_tampered_salt_nonce),
		cmocka_unit_test(test_key_parse_tampered_kdf),
		cmocka_unit_test(test_key_parse_tampered_header),
		cmocka_unit_test(test_key_parse_bad_text),
		cmocka_unit_test(test_key_import_pem_ok),
		cmocka_unit_test(test_key_import_pem_wrong_passphrase),
		cmocka_unit_test(test_key_import_pem_unsupported),
		cmocka_unit_test(test_key_import_pem_junk),
		cmocka_unit_test(test_pubkey_pem_roundtrip),
		cmocka_unit_test(test_pubkey_keyid_is_spki_sha256),
		cmocka_unit_test(test_pubkey_load),
		cmocka_unit_test(test_pubkey_parse_pem_junk),
		cmocka_unit_test(test_pubkey_parse_der_ok),
		cmocka_unit_test(test_pubkey_parse_der_junk),
		cmocka_unit_test(test_pubkey_parse_der_unsupported),
		cmocka_unit_test(test_pubkey_parse_der_ec_compressed),
		cmocka_unit_test(test_pubkey_parse_der_ed25519_small_order),
		cmocka_unit_test(test_keyset_ok),
		cmocka_unit_test(test_keyset_duplicate),
		cmocka_unit_test(test_keyset_too_large),
		cmocka_unit_test(test_signer_sign_verify_ok),
		cmocka_unit_test(test_signer_verify_altered),
		cmocka_unit_test(test_signer_new_custom),
		cmocka_unit_test(test_signer_from_key_bad_args),
		cmocka_unit_test(test_signer_open),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
