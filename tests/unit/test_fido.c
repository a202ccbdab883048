/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FIDO2 backend through the library API, with softfido
 * (tests/fido/softfido.c) linked into this executable as the security
 * key: enrolment, the device list, the key handle as a signer, the
 * callback's notices and PIN, and what a cancelled notice leaves alone.
 * The tool suite (tests/fido/run.sh) covers the failures of the device.
 */
#include "testutil.h"

static char sfdir[TU_PATH_MAX];

/* The test's callback: counts touches, hands out a PIN, may refuse. */
struct cb {
	int		 touches;
	int		 pins;
	const char	*pin;
	int		 refuse_touch;
};

static attest_err_t
cb(void *arg, attest_secret_kind_t kind, const char *what, int confirm,
    char *buf, size_t size, size_t *len)
{
	struct cb *c = arg;

	(void)confirm;
	assert_non_null(what);
	*len = 0;
	if (kind == ATTEST_SECRET_TOUCH) {
		assert_null(buf);
		assert_int_equal(size, 0);
		assert_non_null(strstr(what, "touch the FIDO security key"));
		c->touches++;
		return c->refuse_touch ? ATTEST_ERR_CANCELLED : ATTEST_OK;
	}
	assert_int_equal(kind, ATTEST_SECRET_PIN);
	c->pins++;
	if (c->pin == NULL)
		return ATTEST_ERR_CANCELLED;
	assert_true(strlen(c->pin) <= size);
	memcpy(buf, c->pin, strlen(c->pin));
	*len = strlen(c->pin);
	return ATTEST_OK;
}

static void
config(const char *text)
{
	char path[TU_PATH_MAX];

	tu_write_file(tu_join(path, sfdir, "config"), text, strlen(text));
}

static unsigned long
counter(void)
{
	char path[TU_PATH_MAX];
	unsigned char *b;
	size_t n;
	unsigned long v;

	b = tu_read_file(tu_join(path, sfdir, "dev0/counter"), &n);
	v = strtoul((char *)b, NULL, 10);
	free(b);
	return v;
}

static int
setup(void **state)
{
	(void)state;
	tu_mkdtemp(sfdir);
	assert_int_equal(setenv("SOFTFIDO_DIR", sfdir, 1), 0);
	assert_int_equal(unsetenv("ATTEST_FIDO_DEVICE"), 0);
	return tu_setup(state);
}

static int
teardown(void **state)
{
	(void)state;
	tu_rmtree(sfdir);
	return 0;
}

static void
test_device_list(void **state)
{
	attest_fido_device_t *d = NULL;
	size_t n = 0;

	(void)state;
	config("devices=2\npin=1234\nalgs=es256\n");
	assert_int_equal(attest_fido_device_list(&d, &n, NULL), ATTEST_OK);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].path, "softfido:0");
	assert_string_equal(d[1].product, "softfido 1");
	assert_null(d[0].error);
	assert_string_equal(d[0].algorithms, "es256");
	assert_int_equal(d[0].has_pin, 1);
	assert_int_equal(d[0].firmware, 0x010203);
	assert_string_equal(d[0].aaguid, "6c696261-7474-6573-742d-736f66746964");
	attest_fido_device_list_free(&d, n);
	assert_null(d);
	config("devices=0\n");
	assert_int_equal(attest_fido_device_list(&d, &n, NULL), ATTEST_OK);
	assert_int_equal(n, 0);
	assert_null(d);
}

/* Enrol, write the handle, open it as a signer, sign, verify. */
static void
enrol_sign_verify(attest_alg_t alg, int flags, const char *pin)
{
	struct cb c = { 0, 0, pin, 0 };
	attest_fido_cred_t *cred = NULL;
	attest_signer_t *s = NULL;
	attest_envelope_t *e = attest_envelope_new();
	attest_keyset_t *ks = attest_keyset_new();
	attest_verified_t *v = NULL;
	attest_pubkey_t *pk = NULL;
	attest_diag_t *d = attest_diag_new();
	unsigned char *h = NULL, *pem = NULL;
	size_t hl = 0, pl = 0;
	char path[TU_PATH_MAX];
	unsigned int fl = 0;
	uint32_t ctr = 0;

	if (attest_fido_generate(&cred, NULL, "attest:unit", alg, flags, cb,
	    &c, d) != ATTEST_OK)
		fail_msg("generate: %s", attest_diag_get_message(d));
	assert_int_equal(c.touches, 1);
	assert_int_equal(c.pins, pin != NULL);
	assert_string_equal(attest_fido_cred_device(cred), "softfido:0");
	assert_int_equal(attest_pubkey_alg(attest_fido_cred_pubkey(cred)),
	    alg);
	assert_string_equal(attest_pubkey_fido_rp_id(
	    attest_fido_cred_pubkey(cred)), "attest:unit");
	assert_int_equal(attest_fido_cred_handle_alloc(cred, &h, &hl),
	    ATTEST_OK);
	tu_write_file(tu_join(path, sfdir, "k.fido"), h, hl);
	if (attest_signer_open(&s, path, cb, &c, d) != ATTEST_OK)
		fail_msg("open: %s", attest_diag_get_message(d));
	assert_int_equal(attest_signer_alg(s), alg);
	assert_int_equal(attest_envelope_set_payload(e, "text/plain",
	    (const unsigned char *)"hello", 5), ATTEST_OK);
	if (attest_envelope_sign(e, s, d) != ATTEST_OK)
		fail_msg("sign: %s", attest_diag_get_message(d));
	assert_int_equal(c.touches, 2);
	assert_int_equal(c.pins, pin != NULL ? 2 : 0);
	/* the verifier reads the public key file as written */
	assert_int_equal(attest_pubkey_pem_alloc(attest_fido_cred_pubkey(cred),
	    &pem, &pl), ATTEST_OK);
	assert_int_equal(attest_pubkey_parse_pem(&pk, pem, pl, NULL),
	    ATTEST_OK);
	if (flags & ATTEST_FIDO_UV)
		assert_int_equal(attest_pubkey_set_fido_uv(pk, 1), ATTEST_OK);
	assert_int_equal(attest_keyset_add(ks, pk), ATTEST_OK);
	assert_int_equal(attest_envelope_verify(e, ks, 1, &v, NULL), ATTEST_OK);
	assert_int_equal(attest_verified_fido(v, 0, &fl, &ctr), 1);
	assert_true(fl & ATTEST_FIDO_FLAG_UP);
	assert_int_equal((fl & ATTEST_FIDO_FLAG_UV) != 0, pin != NULL);
	assert_int_equal(ctr, counter());
	attest_verified_free(&v);
	attest_keyset_free(&ks);
	attest_pubkey_free(&pk);
	attest_envelope_free(&e);
	attest_signer_free(&s);
	attest_fido_cred_free(&cred);
	attest_diag_free(&d);
	free(h);
	free(pem);
}

static void
test_es256(void **state)
{
	(void)state;
	config("devices=1\n");
	enrol_sign_verify(ATTEST_ALG_FIDO_ES256, 0, NULL);
}

static void
test_eddsa_resident(void **state)
{
	(void)state;
	config("devices=1\n");
	enrol_sign_verify(ATTEST_ALG_FIDO_EDDSA, ATTEST_FIDO_RESIDENT, NULL);
}

static void
test_uv_with_pin(void **state)
{
	(void)state;
	config("devices=1\npin=2468\n");
	enrol_sign_verify(ATTEST_ALG_FIDO_ES256, ATTEST_FIDO_UV, "2468");
}

/* A refused touch notice stops before the device is asked. */
static void
test_refused_notice(void **state)
{
	struct cb c = { 0, 0, NULL, 1 };
	attest_fido_cred_t *cred = NULL;
	unsigned long before;

	(void)state;
	config("devices=1\n");
	enrol_sign_verify(ATTEST_ALG_FIDO_ES256, 0, NULL);	/* counter file */
	before = counter();
	assert_int_equal(attest_fido_generate(&cred, NULL, NULL,
	    ATTEST_ALG_FIDO_ES256, 0, cb, &c, NULL), ATTEST_ERR_CANCELLED);
	assert_null(cred);
	assert_int_equal(c.touches, 1);
	assert_int_equal(counter(), before);
}

static void
test_bad_arguments(void **state)
{
	attest_fido_cred_t *cred = NULL;
	attest_diag_t *d = attest_diag_new();

	(void)state;
	config("devices=1\n");
	assert_int_equal(attest_fido_generate(&cred, NULL, NULL,
	    ATTEST_ALG_ED25519, 0, NULL, NULL, d), ATTEST_ERR_UNSUPPORTED);
	assert_int_equal(attest_fido_generate(&cred, NULL, "has space",
	    ATTEST_ALG_FIDO_ES256, 0, NULL, NULL, d),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_fido_generate(&cred, "softfido:7", NULL,
	    ATTEST_ALG_FIDO_ES256, 0, NULL, NULL, d), ATTEST_ERR_DEVICE);
	assert_non_null(strstr(attest_diag_get_message(d), "softfido:7"));
	assert_null(cred);
	assert_int_equal(attest_fido_generate(NULL, NULL, NULL,
	    ATTEST_ALG_FIDO_ES256, 0, NULL, NULL, d),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_diag_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_list),
		cmocka_unit_test(test_es256),
		cmocka_unit_test(test_eddsa_resident),
		cmocka_unit_test(test_uv_with_pin),
		cmocka_unit_test(test_refused_notice),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
