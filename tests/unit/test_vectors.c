/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: public known-answer vectors for signing and verification.
 *
 * - RFC 8032 §7.1 Ed25519: the library, given the seed as a PKCS#8 key,
 *   must produce the RFC's signature byte for byte and verify it.
 * - Project Wycheproof (testvectors_v1): every test of every group must
 *   get the verdict the file gives (valid -> ATTEST_OK, invalid ->
 *   ATTEST_ERR_VERIFY), the key coming from publicKeyDer through
 *   attest_pubkey_parse_der.  A group whose key the library refuses must
 *   hold only invalid tests.
 *
 * Vectors are read from $VECTORS (tests/vectors: see its README.md).
 */
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "testutil.h"

/* RFC 8032 ---------------------------------------------------------------- */

/* PKCS#8 PEM of an Ed25519 seed, made by OpenSSL (free()). */
static char *
seed_pem(const unsigned char seed[32], size_t *len)
{
	EVP_PKEY *pkey;
	BIO *bio;
	BUF_MEM *mem = NULL;
	char *out;

	assert_non_null(pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519,
	    NULL, seed, 32));
	assert_non_null(bio = BIO_new(BIO_s_mem()));
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, pkey, NULL, NULL,
	    0, NULL, NULL), 1);
	BIO_get_mem_ptr(bio, &mem);
	assert_non_null(out = malloc(mem->length + 1));
	memcpy(out, mem->data, mem->length);
	out[mem->length] = '\0';
	*len = mem->length;
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	return out;
}

static void
test_signer_sign_rfc8032(void **state)
{
	static const unsigned char head[12] = { 0x30, 0x2a, 0x30, 0x05, 0x06,
	    0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };
	json_t *root, *tests, *t;
	attest_key_t *k = NULL;
	attest_signer_t *s = NULL;
	attest_pubkey_t *pk = NULL;
	const attest_pubkey_t *kpk;
	unsigned char *seed, *pub, *msg, *want, *sig = NULL, spki[44];
	size_t i, n, seed_len, pub_len, msg_len, want_len, sig_len, pem_len;
	char *pem;

	(void)state;
	root = tu_load_vector("rfc8032/ed25519_rfc8032_7_1.json");
	assert_true(json_is_array(tests = json_object_get(root, "tests")));
	n = json_array_size(tests);
	assert_int_equal(n, 5);
	json_array_foreach(tests, i, t) {
		seed = tu_hex(tu_jstr(t, "secretKey"), &seed_len);
		pub = tu_hex(tu_jstr(t, "publicKey"), &pub_len);
		msg = tu_hex(tu_jstr(t, "message"), &msg_len);
		want = tu_hex(tu_jstr(t, "signature"), &want_len);
		assert_int_equal(seed_len, 32);
		assert_int_equal(pub_len, 32);
		assert_int_equal(want_len, 64);
		assert_int_equal(msg_len, json_integer_value(
		    json_object_get(t, "messageLength")));

		/* the key, through the library's PKCS#8 import */
		pem = seed_pem(seed, &pem_len);
		assert_int_equal(attest_key_import_pem(&k,
		    (unsigned char *)pem, pem_len, NULL, NULL, NULL),
		    ATTEST_OK);
		free(pem);
		assert_int_equal(attest_key_alg(k), ATTEST_ALG_ED25519);
		kpk = attest_key_pubkey(k);
		/* its public half is the RFC's A */
		memcpy(spki, head, sizeof(head));
		memcpy(spki + sizeof(head), pub, 32);
		assert_int_equal(attest_pubkey_spki_len(kpk), sizeof(spki));
		assert_memory_equal(attest_pubkey_spki_ptr(kpk), spki,
		    sizeof(spki));

		/* Ed25519 is deterministic: the RFC's bytes exactly */
		assert_int_equal(attest_signer_from_key(&s, &k), ATTEST_OK);
		assert_int_equal(attest_signer_sign_alloc(s, msg, msg_len,
		    &sig, &sig_len, NULL), ATTEST_OK);
		assert_int_equal(sig_len, 64);
		assert_memory_equal(sig, want, 64);
		attest_freezero(sig, sig_len);

		/* and it verifies with the public key alone */
		assert_int_equal(attest_pubkey_parse_der(&pk, spki,
		    sizeof(spki), NULL), ATTEST_OK);
		assert_int_equal(attest_pubkey_verify(pk, msg, msg_len, want,
		    want_len), ATTEST_OK);
		want[63] ^= 0x01;
		assert_int_equal(attest_pubkey_verify(pk, msg, msg_len, want,
		    want_len), ATTEST_ERR_VERIFY);
		want[63] ^= 0x01;
		if (msg_len > 0) {
			msg[0] ^= 0x80;
			assert_int_equal(attest_pubkey_verify(pk, msg, msg_len,
			    want, want_len), ATTEST_ERR_VERIFY);
		}
		print_message("rfc8032: %s ok\n", tu_jstr(t, "name"));
		attest_pubkey_free(&pk);
		attest_signer_free(&s);
		free(seed);
		free(pub);
		free(msg);
		free(want);
	}
	json_decref(root);
}

/* Wycheproof -------------------------------------------------------------- */

struct wp_count {
	size_t	ran;
	size_t	valid;
	size_t	invalid;
	size_t	refused_groups;
	size_t	disagree;
};

static void
wp_disagree(struct wp_count *c, const char *file, const json_t *t,
    const char *expect, const char *got)
{
	const json_t *fl;
	char flags[256];
	size_t i, n = 0;

	flags[0] = '\0';
	json_array_foreach(json_object_get(t, "flags"), i, fl) {
		int w = snprintf(flags + n, sizeof(flags) - n, "%s%s",
		    i ? "," : "", json_string_value(fl));

		if (w < 0 || (size_t)w >= sizeof(flags) - n)
			break;
		n += (size_t)w;
	}
	print_error("DISAGREE %s tcId %lld (%s) [%s]: expected %s, "
	    "library says %s\n", file, (long long)json_integer_value(
	    json_object_get(t, "tcId")), json_string_value(json_object_get(t,
	    "comment")), flags, expect, got);
	c->disagree++;
}

/*
 * Run one Wycheproof verify file.  @p alg is the algorithm every key of
 * the file must be read as; @p p1363_len, when not 0, is the only
 * signature length a P1363 file's valid tests may have.
 */
static void
wp_run(const char *name, attest_alg_t alg, size_t p1363_len)
{
	char rel[256];
	json_t *root, *groups, *g, *tests, *t;
	attest_pubkey_t *pk;
	attest_diag_t *d;
	struct wp_count c = { 0, 0, 0, 0, 0 };
	unsigned char *der, *msg, *sig;
	size_t gi, ti, der_len, msg_len, sig_len;
	const char *result;
	attest_err_t r, kr;
	int valid;

	(void)snprintf(rel, sizeof(rel), "wycheproof/testvectors_v1/%s", name);
	root = tu_load_vector(rel);
	assert_non_null(d = attest_diag_new());
	assert_true(json_is_array(groups = json_object_get(root,
	    "testGroups")));
	json_array_foreach(groups, gi, g) {
		der = tu_hex(tu_jstr(g, "publicKeyDer"), &der_len);
		pk = NULL;
		attest_diag_clear(d);
		kr = attest_pubkey_parse_der(&pk, der, der_len, d);
		free(der);
		if (kr == ATTEST_OK && attest_pubkey_alg(pk) != alg)
			fail_msg("%s group %zu: key read as %s", name, gi,
			    attest_alg_name(attest_pubkey_alg(pk)));
		if (kr != ATTEST_OK) {
			c.refused_groups++;
			print_message("%s: group %zu key refused: %s (%s)\n",
			    name, gi, attest_strerror(kr),
			    attest_diag_get_message(d));
		}
		assert_true(json_is_array(tests = json_object_get(g,
		    "tests")));
		json_array_foreach(tests, ti, t) {
			result = tu_jstr(t, "result");
			valid = strcmp(result, "valid") == 0;
			/* these files use no "acceptable" */
			if (!valid && strcmp(result, "invalid") != 0)
				fail_msg("%s: result \"%s\" not handled", name,
				    result);
			c.ran++;
			if (valid)
				c.valid++;
			else
				c.invalid++;
			if (kr != ATTEST_OK) {
				/* a refused key can only hold invalid tests */
				if (valid)
					wp_disagree(&c, name, t, "valid",
					    "key refused");
				continue;
			}
			msg = tu_hex(tu_jstr(t, "msg"), &msg_len);
			sig = tu_hex(tu_jstr(t, "sig"), &sig_len);
			if (valid && p1363_len != 0)
				assert_int_equal(sig_len, p1363_len);
			r = attest_pubkey_verify(pk, msg, msg_len, sig,
			    sig_len);
			if (valid && r != ATTEST_OK)
				wp_disagree(&c, name, t, "valid",
				    attest_strerror(r));
			else if (!valid && r != ATTEST_ERR_VERIFY)
				wp_disagree(&c, name, t, "invalid",
				    attest_strerror(r));
			free(msg);
			free(sig);
		}
		attest_pubkey_free(&pk);
	}
	print_message("%s: %zu vectors ran (%zu valid, %zu invalid), "
	    "%zu groups, %zu with a refused key, %zu disagreements\n", name,
	    c.ran, c.valid, c.invalid, json_array_size(groups),
	    c.refused_groups, c.disagree);
	assert_int_equal(c.ran, json_integer_value(json_object_get(root,
	    "numberOfTests")));
	assert_int_equal(c.disagree, 0);
	attest_diag_free(&d);
	json_decref(root);
}

static void
test_pubkey_verify_wycheproof_ed25519(void **state)
{
	(void)state;
	wp_run("ed25519_test.json", ATTEST_ALG_ED25519, 0);
}

static void
test_pubkey_verify_wycheproof_p256_der(void **state)
{
	(void)state;
	wp_run("ecdsa_secp256r1_sha256_test.json",
	    ATTEST_ALG_ECDSA_P256_SHA256, 0);
}

static void
test_pubkey_verify_wycheproof_p256_p1363(void **state)
{
	(void)state;
	wp_run("ecdsa_secp256r1_sha256_p1363_test.json",
	    ATTEST_ALG_ECDSA_P256_SHA256, 64);
}

static void
test_pubkey_verify_wycheproof_p384_der(void **state)
{
	(void)state;
	wp_run("ecdsa_secp384r1_sha384_test.json",
	    ATTEST_ALG_ECDSA_P384_SHA384, 0);
}

static void
test_pubkey_verify_wycheproof_p384_p1363(void **state)
{
	(void)state;
	wp_run("ecdsa_secp384r1_sha384_p1363_test.json",
	    ATTEST_ALG_ECDSA_P384_SHA384, 96);
}

static void
test_pubkey_verify_wycheproof_rsa_pss_2048(void **state)
{
	(void)state;
	wp_run("rsa_pss_2048_sha256_mgf1_32_test.json",
	    ATTEST_ALG_RSA_PSS_SHA256, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signer_sign_rfc8032),
		cmocka_unit_test(test_pubkey_verify_wycheproof_ed25519),
		cmocka_unit_test(test_pubkey_verify_wycheproof_p256_der),
		cmocka_unit_test(test_pubkey_verify_wycheproof_p256_p1363),
		cmocka_unit_test(test_pubkey_verify_wycheproof_p384_der),
		cmocka_unit_test(test_pubkey_verify_wycheproof_p384_p1363),
		cmocka_unit_test(test_pubkey_verify_wycheproof_rsa_pss_2048),
	};

	return cmocka_run_group_tests(tests, tu_setup, NULL);
}
