/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: a library function called before attest_init() (issue 14
 * §6).  This binary runs one call of each module first without
 * attest_init(): each returns ATTEST_ERR_NOT_INITIALISED (or, for the
 * functions that return a pointer, NULL) and nothing aborts, though
 * libsodium's guarded memory aborts the process when asked for before
 * sodium_init().  Then, after attest_init(), the same calls reach their
 * work.  Files are the examples of keys-example/ (the tests run from the
 * top of the source tree).
 */
#include "testutil.h"

#define NOW	"2027-06-01"
#define SHA_EMPTY \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static attest_err_t
call_secure_alloc(void)
{
	void *p;

	if ((p = attest_secure_alloc(32)) == NULL)
		return ATTEST_ERR_NOT_INITIALISED;
	attest_secure_free(p);
	return ATTEST_OK;
}

static attest_err_t
call_key_generate(void)
{
	attest_key_t *k = NULL;
	attest_err_t r;

	r = attest_key_generate(&k, ATTEST_ALG_ED25519);
	assert_true(r == ATTEST_OK || k == NULL);
	attest_key_free(&k);
	return r;
}

/* The passphrase of keys-example/ (PASSPHRASE-NOT-SECRET.txt). */
static struct tu_secret example_pass = { "example-passphrase-NOT-SECRET", 0 };

static attest_err_t
call_key_parse(void)
{
	unsigned char *buf;
	size_t len;
	attest_key_t *k = NULL;
	attest_err_t r;

	buf = tu_read_file("keys-example/importer.key", &len);
	example_pass.calls = 0;
	r = attest_key_parse(&k, buf, len, tu_secret_cb, &example_pass, NULL);
	/* the passphrase is never asked for when the key cannot be used */
	if (r == ATTEST_ERR_NOT_INITIALISED)
		assert_int_equal(example_pass.calls, 0);
	attest_key_free(&k);
	free(buf);
	return r;
}

static attest_err_t
call_signer_open(void)
{
	attest_signer_t *s = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	example_pass.calls = 0;
	r = attest_signer_open(&s, "keys-example/manufacturer-qa.key",
	    tu_secret_cb, &example_pass, d);
	if (r == ATTEST_ERR_NOT_INITIALISED) {
		assert_int_equal(example_pass.calls, 0);
		assert_non_null(strstr(attest_diag_get_message(d),
		    "attest_init"));
	}
	attest_signer_free(&s);
	attest_diag_free(&d);
	return r;
}

static attest_err_t
call_pubkey_load(void)
{
	attest_pubkey_t *pk = NULL;
	attest_err_t r;

	r = attest_pubkey_load(&pk, "keys-example/importer.pub", NULL);
	attest_pubkey_free(&pk);
	return r;
}

static attest_err_t
call_digest_file(void)
{
	attest_digest_t *dg = NULL;
	attest_err_t r;

	r = attest_digest_file("keys-example/importer.pub",
	    ATTEST_DIGEST_SHA256, &dg, NULL, NULL, NULL);
	attest_digest_free(&dg);
	if ((dg = attest_digest_new(ATTEST_DIGEST_SHA256)) == NULL)
		assert_int_equal(r, ATTEST_ERR_NOT_INITIALISED);
	attest_digest_free(&dg);
	return r;
}

/* An envelope parses without the library's crypto state (plain data). */
#define ENVELOPE	"{\"payloadType\":\"application/json\"," \
	"\"payload\":\"e30=\",\"signatures\":[]}"

static attest_err_t
call_envelope_verify(void)
{
	attest_envelope_t *e = NULL;
	attest_keyset_t *ks;
	attest_verified_t *v = NULL;
	attest_err_t r;

	assert_int_equal(attest_envelope_parse(&e,
	    (const unsigned char *)ENVELOPE, strlen(ENVELOPE), NULL),
	    ATTEST_OK);
	assert_non_null(ks = attest_keyset_new());
	r = attest_envelope_verify(e, ks, 1, &v, NULL);
	attest_verified_free(&v);
	attest_keyset_free(&ks);
	attest_envelope_free(&e);
	return r;
}

static attest_err_t
call_policy_load(void)
{
	attest_policy_t *p = NULL;
	attest_err_t r;

	r = attest_policy_load(&p, "keys-example/policy.json", NULL);
	attest_policy_free(&p);
	return r;
}

static attest_err_t
call_chain_verify(void)
{
	attest_policy_t *p = NULL;
	attest_chain_options_t o = { NOW, NULL, 0 };
	attest_chain_t *c = NULL;
	attest_err_t r;

	/* before attest_init() there is no policy: the gate comes first */
	if (attest_policy_load(&p, "keys-example/policy.json", NULL) !=
	    ATTEST_OK)
		assert_null(p);
	r = attest_chain_verify(p, (const unsigned char *)"", 0, &o, &c,
	    NULL);
	attest_chain_free(&c);
	attest_policy_free(&p);
	return r;
}

static attest_err_t
call_cra_check(void)
{
	attest_cra_context_t ctx;
	attest_cra_findings_t *f = NULL;
	attest_err_t r;

	memset(&ctx, 0, sizeof(ctx));
	ctx.now = NOW;
	r = attest_cra_check(ATTEST_CRA_IMPORT, (const unsigned char *)"{}", 2,
	    &ctx, &f, NULL);
	attest_cra_findings_free(&f);
	return r;
}

static void
list_cb(void *arg, const attest_pkcs11_entry_t *e)
{
	(void)arg;
	(void)e;
}

static attest_err_t
call_pkcs11_list(void)
{
	return attest_pkcs11_list("pkcs11:?module-path=/nonexistent/p11.so",
	    list_cb, NULL, NULL);
}

static attest_err_t
call_pkcs11_export(void)
{
	attest_pubkey_t *pk = NULL;
	attest_err_t r;

	r = attest_pkcs11_export_public("pkcs11:token=t;object=k"
	    "?module-path=/nonexistent/p11.so", NULL, NULL, &pk, NULL);
	attest_pubkey_free(&pk);
	return r;
}

static attest_err_t
call_fido_generate(void)
{
	attest_fido_cred_t *c = NULL;
	attest_err_t r;

	r = attest_fido_generate(&c, "/nonexistent/hidraw", NULL,
	    ATTEST_ALG_FIDO_ES256, 0, NULL, NULL, NULL);
	attest_fido_cred_free(&c);
	return r;
}

struct call {
	attest_err_t	(*fn)(void);
	attest_err_t	 after;		/* what it returns after attest_init */
};

/*
 * After attest_init(): what each call comes to.  The envelope has no
 * signature and the key set no key (a threshold of 1 is refused); the
 * empty bundle has no DoC; the empty importer record misses every
 * member (error findings: the rules ran); the PKCS#11 module and the FIDO device do not
 * exist.  None of them is ATTEST_ERR_NOT_INITIALISED any more.
 */
static struct call c_secure = { call_secure_alloc, ATTEST_OK };
static struct call c_keygen = { call_key_generate, ATTEST_OK };
static struct call c_keyparse = { call_key_parse, ATTEST_OK };
static struct call c_signer = { call_signer_open, ATTEST_OK };
static struct call c_pubkey = { call_pubkey_load, ATTEST_OK };
static struct call c_digest = { call_digest_file, ATTEST_OK };
static struct call c_verify = { call_envelope_verify,
    ATTEST_ERR_INVALID_ARGUMENT };
static struct call c_policy = { call_policy_load, ATTEST_OK };
static struct call c_chain = { call_chain_verify, ATTEST_ERR_VERIFY };
static struct call c_cra = { call_cra_check, ATTEST_ERR_POLICY };
static struct call c_p11list = { call_pkcs11_list,
    ATTEST_ERR_NOT_FOUND };
static struct call c_p11exp = { call_pkcs11_export,
    ATTEST_ERR_NOT_FOUND };
static struct call c_fido = { call_fido_generate, ATTEST_ERR_DEVICE };

static void
test_before_init(void **state)
{
	struct call *c = *state;

	assert_int_equal(c->fn(), ATTEST_ERR_NOT_INITIALISED);
}

static void
test_after_init(void **state)
{
	struct call *c = *state;

	assert_int_equal(c->fn(), c->after);
}

/* Functions that need no crypto state work before attest_init(). */
static void
test_plain_data_before_init(void **state)
{
	attest_diag_t *d;
	attest_stmt_t *s = NULL;
	unsigned char *out = NULL;
	size_t len = 0, idx;

	(void)state;
	assert_string_equal(attest_strerror(ATTEST_ERR_NOT_INITIALISED),
	    "library not initialised");
	assert_non_null(d = attest_diag_new());
	attest_diag_free(&d);
	assert_non_null(s = attest_stmt_new());
	assert_int_equal(attest_stmt_add_subject(s, "fw.bin", &idx),
	    ATTEST_OK);
	assert_int_equal(attest_stmt_add_digest(s, idx, "sha256", SHA_EMPTY),
	    ATTEST_OK);
	assert_int_equal(attest_stmt_set_predicate(s,
	    "https://example.com/p/v1", "{}", 2, NULL), ATTEST_OK);
	assert_int_equal(attest_stmt_serialize_alloc(s, &out, &len),
	    ATTEST_OK);
	attest_freezero(out, len);
	attest_stmt_free(&s);
}

static int
init_group(void **state)
{
	(void)state;
	return attest_init(0) == ATTEST_OK ? 0 : -1;
}

#define BOTH(c) \
	{ #c " before attest_init", test_before_init, NULL, NULL, &(c) }
#define AFTER(c) \
	{ #c " after attest_init", test_after_init, NULL, NULL, &(c) }

int
main(void)
{
	const struct CMUnitTest before[] = {
		cmocka_unit_test(test_plain_data_before_init),
		BOTH(c_secure), BOTH(c_keygen), BOTH(c_keyparse),
		BOTH(c_signer), BOTH(c_pubkey), BOTH(c_digest),
		BOTH(c_verify), BOTH(c_policy), BOTH(c_chain), BOTH(c_cra),
		BOTH(c_p11list), BOTH(c_p11exp), BOTH(c_fido),
	};
	const struct CMUnitTest after[] = {
		AFTER(c_secure), AFTER(c_keygen), AFTER(c_keyparse),
		AFTER(c_signer), AFTER(c_pubkey), AFTER(c_digest),
		AFTER(c_verify), AFTER(c_policy), AFTER(c_chain), AFTER(c_cra),
		AFTER(c_p11list), AFTER(c_p11exp), AFTER(c_fido),
	};
	int fails;

	fails = cmocka_run_group_tests_name("before attest_init", before,
	    NULL, NULL);
	fails += cmocka_run_group_tests_name("after attest_init", after,
	    init_group, NULL);
	return fails;
}
