/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: PKCS#11 keys (attest/pkcs11.h, attest_signer_open() on a
 * pkcs11: URI), on SoftHSM2 tokens in a directory this program makes
 * (mkdtemp, SOFTHSM2_CONF, C_InitToken) and removes.
 *
 * What only a test inside the process can show: a key destroyed through
 * a second handle on the module while a signer holds it, and one session
 * (and one login) serving many signatures.  The library's error codes
 * for the token failures come next.  Every test is skipped when SoftHSM2
 * is not installed.
 */
#include "testutil.h"

#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>

#define SOFTHSM		"/usr/lib/softhsm/libsofthsm2.so"
#define SPY		"/usr/lib/x86_64-linux-gnu/pkcs11-spy.so"
#define TOKEN		"unit"
#define TOKEN2		"unit2"
#define USER_PIN	"1234"
#define SO_PIN		"5678"
#define MANY		50

/*
 * The ASan build: SoftHSM 2.6.1 leaks 37 bytes in every Ed25519
 * C_SignInit, and OpenSC's spy 16 bytes once; neither is libattest's.
 * The module frames are only seen with the slow unwinder.
 */
const char *__lsan_default_suppressions(void);
const char *__asan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libsofthsm2.so\nleak:pkcs11-spy.so\n";
}

const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

static int have_hsm;
static char dir[TU_PATH_MAX], conf[TU_PATH_MAX];

/* PIN callback: hands out pin, counts calls, records the kind asked. */
struct pin {
	const char		*pin;
	int			 calls;
	attest_secret_kind_t	 kind;
};

static attest_err_t
pin_cb(void *arg, attest_secret_kind_t kind, const char *what, int confirm,
    char *buf, size_t size, size_t *len)
{
	struct pin *p = arg;
	size_t n;

	assert_non_null(what);
	assert_int_equal(confirm, 0);
	p->calls++;
	p->kind = kind;
	if (p->pin == NULL)
		return ATTEST_ERR_CANCELLED;
	if ((n = strlen(p->pin)) > size)
		return ATTEST_ERR_TOO_LARGE;
	memcpy(buf, p->pin, n);
	*len = n;
	return ATTEST_OK;
}

/* "pkcs11:token=unit;object=LABEL?module-path=MODULE" */
static const char *
uri_for(char out[TU_PATH_MAX], const char *label, const char *module)
{
	assert_true(snprintf(out, TU_PATH_MAX,
	    "pkcs11:token=" TOKEN ";object=%s?module-path=%s", label,
	    module) < TU_PATH_MAX);
	return out;
}

/* A second, independent handle on SoftHSM (p11-kit, by path). */
static CK_FUNCTION_LIST *
module_open(void)
{
	CK_FUNCTION_LIST *m;

	assert_non_null(m = p11_kit_module_load(SOFTHSM, 0));
	assert_int_equal(p11_kit_module_initialize(m), CKR_OK);
	return m;
}

static void
module_close(CK_FUNCTION_LIST *m)
{
	assert_int_equal(p11_kit_module_finalize(m), CKR_OK);
	p11_kit_module_release(m);
}

/* The slot of the token labelled @p label, or of a free one (NULL). */
static int
slot_of(CK_FUNCTION_LIST *m, const char *label, CK_SLOT_ID *slot)
{
	CK_SLOT_ID slots[16];
	CK_ULONG n = 16, i;
	CK_TOKEN_INFO ti;
	char want[32];

	memset(want, ' ', sizeof(want));
	if (label != NULL)
		memcpy(want, label, strlen(label));
	assert_int_equal(m->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
	for (i = 0; i < n; i++) {
		assert_int_equal(m->C_GetTokenInfo(slots[i], &ti), CKR_OK);
		if (label == NULL ? !(ti.flags & CKF_TOKEN_INITIALIZED) :
		    ((ti.flags & CKF_TOKEN_INITIALIZED) &&
		    memcmp(ti.label, want, sizeof(want)) == 0)) {
			*slot = slots[i];
			return 1;
		}
	}
	return 0;
}

/* C_InitToken on a free slot, then the user PIN. */
static void
init_token(CK_FUNCTION_LIST *m, const char *label)
{
	CK_UTF8CHAR lbl[32];
	CK_SLOT_ID slot;
	CK_SESSION_HANDLE s;

	assert_true(slot_of(m, NULL, &slot));
	memset(lbl, ' ', sizeof(lbl));
	memcpy(lbl, label, strlen(label));
	assert_int_equal(m->C_InitToken(slot,
	    (CK_UTF8CHAR_PTR)(uintptr_t)SO_PIN, strlen(SO_PIN), lbl), CKR_OK);
	/* SoftHSM moves an initialised token to a slot of its own */
	assert_true(slot_of(m, label, &slot));
	assert_int_equal(m->C_OpenSession(slot, CKF_SERIAL_SESSION |
	    CKF_RW_SESSION, NULL, NULL, &s), CKR_OK);
	assert_int_equal(m->C_Login(s, CKU_SO,
	    (CK_UTF8CHAR_PTR)(uintptr_t)SO_PIN, strlen(SO_PIN)), CKR_OK);
	assert_int_equal(m->C_InitPIN(s, (CK_UTF8CHAR_PTR)(uintptr_t)USER_PIN,
	    strlen(USER_PIN)), CKR_OK);
	assert_int_equal(m->C_Logout(s), CKR_OK);
	assert_int_equal(m->C_CloseSession(s), CKR_OK);
}

/* Destroy the private key labelled @p label, through a second handle. */
static void
destroy_private_key(const char *label)
{
	CK_FUNCTION_LIST *m = module_open();
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE t[2] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_LABEL, (void *)(uintptr_t)label, strlen(label) },
	};
	CK_OBJECT_HANDLE h;
	CK_ULONG n = 0;
	CK_SESSION_HANDLE s;
	CK_SLOT_ID slot;
	CK_RV rv;

	assert_true(slot_of(m, TOKEN, &slot));
	assert_int_equal(m->C_OpenSession(slot, CKF_SERIAL_SESSION |
	    CKF_RW_SESSION, NULL, NULL, &s), CKR_OK);
	rv = m->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)(uintptr_t)USER_PIN,
	    strlen(USER_PIN));
	assert_true(rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN);
	assert_int_equal(m->C_FindObjectsInit(s, t, 2), CKR_OK);
	assert_int_equal(m->C_FindObjects(s, &h, 1, &n), CKR_OK);
	assert_int_equal(m->C_FindObjectsFinal(s), CKR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(m->C_DestroyObject(s, h), CKR_OK);
	assert_int_equal(m->C_CloseSession(s), CKR_OK);
	module_close(m);
}

/* Generate a key pair on the unit token through libattest. */
static attest_pubkey_t *
generate(const char *label, attest_alg_t alg)
{
	char uri[TU_PATH_MAX];
	struct pin p = { USER_PIN, 0, 0 };
	attest_pubkey_t *pub = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_pkcs11_generate(uri_for(uri, label, SOFTHSM), alg, pin_cb,
	    &p, &pub, d);
	if (r != ATTEST_OK)
		fail_msg("generate %s: %s", label, attest_diag_get_message(d));
	assert_int_equal(attest_pubkey_alg(pub), alg);
	attest_diag_free(&d);
	return pub;
}

static int
group_setup(void **state)
{
	CK_FUNCTION_LIST *m;
	attest_pubkey_t *pub;
	char path[TU_PATH_MAX], text[TU_PATH_MAX + 128];

	if (tu_setup(state) != 0)
		return -1;
	if (access(SOFTHSM, R_OK) != 0)
		return 0;	/* every test skips */
	tu_mkdtemp(dir);
	assert_int_equal(mkdir(tu_join(path, dir, "tokens"), 0700), 0);
	assert_true(snprintf(text, sizeof(text),
	    "directories.tokendir = %s\nobjectstore.backend = file\n"
	    "log.level = ERROR\nslots.removable = false\n"
	    "slots.mechanisms = ALL\n", path) < (int)sizeof(text));
	tu_write_file(tu_join(conf, dir, "softhsm2.conf"), text, strlen(text));
	assert_int_equal(setenv("SOFTHSM2_CONF", conf, 1), 0);
	/* SoftHSM offers a new free slot only from its next C_Initialize */
	m = module_open();
	init_token(m, TOKEN);
	module_close(m);
	m = module_open();
	init_token(m, TOKEN2);
	module_close(m);
	pub = generate("ed", ATTEST_ALG_ED25519);
	attest_pubkey_free(&pub);
	pub = generate("p256", ATTEST_ALG_ECDSA_P256_SHA256);
	attest_pubkey_free(&pub);
	have_hsm = 1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (dir[0] != '\0')
		tu_rmtree(dir);
	return 0;
}

#define NEED_HSM() do { if (!have_hsm) skip(); } while (0)

/* Open a signer on LABEL of the unit token; fails the test on error. */
static attest_signer_t *
open_signer(const char *label, const char *module, struct pin *p)
{
	char uri[TU_PATH_MAX];
	attest_signer_t *s = NULL;
	attest_diag_t *d;
	attest_err_t r;

	assert_non_null(d = attest_diag_new());
	r = attest_signer_open(&s, uri_for(uri, label, module), pin_cb, p, d);
	if (r != ATTEST_OK)
		fail_msg("open %s: %s", label, attest_diag_get_message(d));
	assert_null(attest_diag_get_warning(d));
	attest_diag_free(&d);
	return s;
}

/* Sign statement number i with s, serialise, parse, verify under s's key. */
static void
sign_and_verify(attest_signer_t *s, int i)
{
	attest_envelope_t *e, *back = NULL;
	attest_keyset_t *ks;
	attest_verified_t *v = NULL;
	attest_diag_t *d;
	unsigned char *text = NULL;
	size_t len = 0;
	char stmt[512];
	int n;

	n = snprintf(stmt, sizeof(stmt), "{\"_type\":\"https://in-toto.io/"
	    "Statement/v1\",\"subject\":[{\"name\":\"artifact-%d.bin\","
	    "\"digest\":{\"sha256\":\"%064d\"}}],\"predicateType\":"
	    "\"https://example.com/unit/v1\",\"predicate\":{\"n\":%d}}", i, i,
	    i);
	assert_true(n > 0 && (size_t)n < sizeof(stmt));
	assert_non_null(d = attest_diag_new());
	assert_non_null(e = attest_envelope_new());
	assert_int_equal(attest_envelope_set_payload(e,
	    ATTEST_PAYLOAD_TYPE_INTOTO, (const unsigned char *)stmt,
	    (size_t)n), ATTEST_OK);
	if (attest_envelope_sign(e, s, d) != ATTEST_OK)
		fail_msg("signature %d: %s", i, attest_diag_get_message(d));
	assert_int_equal(attest_envelope_serialize_alloc(e, &text, &len),
	    ATTEST_OK);
	assert_int_equal(attest_envelope_parse(&back, text, len, d),
	    ATTEST_OK);
	assert_non_null(ks = attest_keyset_new());
	assert_int_equal(attest_keyset_add(ks, attest_signer_pubkey(s)),
	    ATTEST_OK);
	assert_int_equal(attest_envelope_verify(back, ks, 1, &v, d),
	    ATTEST_OK);
	assert_int_equal(attest_verified_payload_len(v), (size_t)n);
	assert_memory_equal(attest_verified_payload_ptr(v), stmt, (size_t)n);
	attest_verified_free(&v);
	attest_keyset_free(&ks);
	attest_envelope_free(&back);
	attest_envelope_free(&e);
	attest_freezero(text, len);
	attest_diag_free(&d);
}

/* How many lines of the spy's log are exactly "N: NAME". */
static int
spy_calls(const char *log, const char *name)
{
	const char *p = log, *c;
	size_t n = strlen(name);
	int count = 0;

	while ((p = strstr(p, name)) != NULL) {
		/* the line is "<digits>: NAME\n" */
		for (c = p; c > log && c[-1] != '\n'; c--)
			;
		if (p - c >= 3 && p[-1] == ' ' && p[-2] == ':' &&
		    strspn(c, "0123456789") == (size_t)(p - c - 2) &&
		    (p[n] == '\n' || p[n] == '\r'))
			count++;
		p += n;
	}
	return count;
}

/* Tests ----------------------------------------------------------------- */

/* A token key opens like a key file: one PIN request, the token's key. */
static void
test_signer_open_ok(void **state)
{
	struct pin p = { USER_PIN, 0, 0 };
	attest_signer_t *s;
	attest_pubkey_t *pub = NULL;
	char uri[TU_PATH_MAX];

	(void)state;
	NEED_HSM();
	s = open_signer("ed", SOFTHSM, &p);
	assert_int_equal(p.calls, 1);
	assert_int_equal(p.kind, ATTEST_SECRET_PIN);
	assert_int_equal(attest_signer_alg(s), ATTEST_ALG_ED25519);
	assert_int_equal(attest_pkcs11_export_public(uri_for(uri, "ed",
	    SOFTHSM), NULL, NULL, &pub, NULL), ATTEST_OK);
	assert_string_equal(attest_signer_keyid(s), attest_pubkey_keyid(pub));
	sign_and_verify(s, 0);
	attest_pubkey_free(&pub);
	attest_signer_free(&s);
}

static void
test_signer_open_wrong_pin(void **state)
{
	struct pin p = { "0000", 0, 0 };
	attest_signer_t *s = NULL;
	attest_diag_t *d;
	char uri[TU_PATH_MAX];

	(void)state;
	NEED_HSM();
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_signer_open(&s, uri_for(uri, "ed", SOFTHSM),
	    pin_cb, &p, d), ATTEST_ERR_PASSPHRASE);
	assert_null(s);
	assert_int_equal(p.calls, 1);	/* never asked twice */
	assert_non_null(strstr(attest_diag_get_message(d),
	    "CKR_PIN_INCORRECT"));
	attest_diag_free(&d);
	/* and the right one still works */
	p.pin = USER_PIN;
	s = open_signer("ed", SOFTHSM, &p);
	attest_signer_free(&s);
}

static void
test_signer_open_pin_value_warns(void **state)
{
	struct pin p = { NULL, 0, 0 };
	attest_signer_t *s = NULL;
	attest_diag_t *d;
	char uri[TU_PATH_MAX];

	(void)state;
	NEED_HSM();
	assert_non_null(d = attest_diag_new());
	uri_for(uri, "p256", SOFTHSM);
	assert_true(strlen(uri) + 32 < sizeof(uri));
	strcat(uri, "&pin-value=" USER_PIN);
	assert_int_equal(attest_signer_open(&s, uri, pin_cb, &p, d),
	    ATTEST_OK);
	assert_int_equal(p.calls, 0);
	assert_non_null(attest_diag_get_warning(d));
	assert_non_null(strstr(attest_diag_get_warning(d), "pin-value"));
	sign_and_verify(s, 1);
	attest_signer_free(&s);
	attest_diag_free(&d);
}

/*
 * Many signatures through one signer: all verify, and (through OpenSC's
 * pkcs11-spy, which logs every call) one session per signer serves them
 * all, and one login serves both signers.  Both signers are open at once:
 * the spy reads its settings only the first time it is loaded.
 */
static void
test_envelope_sign_one_session(void **state)
{
	struct pin p = { USER_PIN, 0, 0 };
	char log[TU_PATH_MAX];
	attest_signer_t *ed, *ec;
	unsigned char *text;
	size_t len;
	int i, spy = access(SPY, R_OK) == 0;

	(void)state;
	NEED_HSM();
	tu_join(log, dir, "spy.log");
	if (spy) {
		assert_int_equal(setenv("PKCS11SPY", SOFTHSM, 1), 0);
		assert_int_equal(setenv("PKCS11SPY_OUTPUT", log, 1), 0);
	}
	ed = open_signer("ed", spy ? SPY : SOFTHSM, &p);
	ec = open_signer("p256", spy ? SPY : SOFTHSM, &p);
	assert_int_equal(p.calls, 1);	/* the second finds a login */
	for (i = 0; i < MANY; i++) {
		sign_and_verify(ed, i);
		sign_and_verify(ec, i);
	}
	attest_signer_free(&ed);
	attest_signer_free(&ec);	/* C_Finalize: the log is complete */
	(void)unsetenv("PKCS11SPY");
	(void)unsetenv("PKCS11SPY_OUTPUT");
	if (!spy) {
		print_message("no %s: sessions not counted\n", SPY);
		return;
	}
	text = tu_read_file(log, &len);
	assert_int_equal(spy_calls((char *)text, "C_OpenSession"), 2);
	assert_int_equal(spy_calls((char *)text, "C_Login"), 1);
	assert_int_equal(spy_calls((char *)text, "C_SignInit"), 2 * MANY);
	assert_int_equal(spy_calls((char *)text, "C_Sign"), 2 * MANY);
	assert_int_equal(spy_calls((char *)text, "C_CloseSession"), 2);
	free(text);
}

/*
 * The key goes away while a signer holds it (destroyed through a second
 * handle on the module): signing fails with ATTEST_ERR_NOT_FOUND and the
 * token's CKR_* in the diagnostics, and the signer still frees cleanly.
 */
static void
test_envelope_sign_key_destroyed(void **state)
{
	static const struct {
		const char	*label;
		attest_alg_t	 alg;
	} keys[] = {
		{ "doomed-ed", ATTEST_ALG_ED25519 },
		{ "doomed-p256", ATTEST_ALG_ECDSA_P256_SHA256 },
	};
	struct pin p = { USER_PIN, 0, 0 };
	attest_signer_t *s;
	attest_envelope_t *e;
	attest_pubkey_t *pub;
	attest_diag_t *d;
	const char *msg;
	size_t k;

	(void)state;
	NEED_HSM();
	for (k = 0; k < 2; k++) {
		pub = generate(keys[k].label, keys[k].alg);
		s = open_signer(keys[k].label, SOFTHSM, &p);
		assert_string_equal(attest_signer_keyid(s),
		    attest_pubkey_keyid(pub));
		sign_and_verify(s, 0);
		destroy_private_key(keys[k].label);
		assert_non_null(d = attest_diag_new());
		assert_non_null(e = attest_envelope_new());
		assert_int_equal(attest_envelope_set_payload(e, "text/plain",
		    (const unsigned char *)"x", 1), ATTEST_OK);
		assert_int_equal(attest_envelope_sign(e, s, d),
		    ATTEST_ERR_NOT_FOUND);
		assert_non_null(msg = attest_diag_get_message(d));
		if (strstr(msg, "CKR_KEY_HANDLE_INVALID") == NULL &&
		    strstr(msg, "CKR_OBJECT_HANDLE_INVALID") == NULL)
			fail_msg("diag names no handle error: %s", msg);
		/* a second try fails the same way: nothing was left open */
		attest_diag_clear(d);
		assert_int_equal(attest_envelope_sign(e, s, d),
		    ATTEST_ERR_NOT_FOUND);
		attest_envelope_free(&e);
		attest_diag_free(&d);
		attest_signer_free(&s);
		attest_pubkey_free(&pub);
	}
}

static void
test_signer_open_no_key(void **state)
{
	struct pin p = { USER_PIN, 0, 0 };
	attest_signer_t *s = NULL;
	char uri[TU_PATH_MAX];

	(void)state;
	NEED_HSM();
	assert_int_equal(attest_signer_open(&s, uri_for(uri, "nosuch",
	    SOFTHSM), pin_cb, &p, NULL), ATTEST_ERR_NOT_FOUND);
	assert_null(s);
	/* a module that is not there */
	assert_int_equal(attest_signer_open(&s, uri_for(uri, "ed",
	    "/nonexistent/libpkcs11.so"), pin_cb, &p, NULL),
	    ATTEST_ERR_NOT_FOUND);
	assert_null(s);
}

/* Two tokens match a URI without token=: ambiguous, both named. */
static void
test_signer_open_two_tokens(void **state)
{
	struct pin p = { USER_PIN, 0, 0 };
	attest_signer_t *s = NULL;
	attest_diag_t *d;
	char uri[TU_PATH_MAX];

	(void)state;
	NEED_HSM();
	assert_non_null(d = attest_diag_new());
	assert_true(snprintf(uri, sizeof(uri), "pkcs11:object=ed?module-path="
	    SOFTHSM) < (int)sizeof(uri));
	assert_int_equal(attest_signer_open(&s, uri, pin_cb, &p, d),
	    ATTEST_ERR_AMBIGUOUS);
	assert_null(s);
	assert_int_equal(p.calls, 0);
	assert_non_null(strstr(attest_diag_get_message(d), "token=" TOKEN ";"));
	assert_non_null(strstr(attest_diag_get_message(d), "token=" TOKEN2));
	attest_diag_free(&d);
}

static void
test_signer_open_unknown_attribute(void **state)
{
	struct pin p = { USER_PIN, 0, 0 };
	attest_signer_t *s = NULL;

	(void)state;
	NEED_HSM();
	assert_int_equal(attest_signer_open(&s, "pkcs11:token=" TOKEN
	    ";object=ed;color=blue?module-path=" SOFTHSM, pin_cb, &p, NULL),
	    ATTEST_ERR_PARSE);
	assert_null(s);
	assert_int_equal(p.calls, 0);
}

/* The module cannot start: SOFTHSM2_CONF names no file. */
static void
test_signer_open_module_fails(void **state)
{
	struct pin p = { USER_PIN, 0, 0 };
	attest_signer_t *s = NULL;
	attest_diag_t *d;
	char uri[TU_PATH_MAX], bad[TU_PATH_MAX];

	(void)state;
	NEED_HSM();
	assert_non_null(d = attest_diag_new());
	assert_int_equal(setenv("SOFTHSM2_CONF", tu_join(bad, dir, "nosuch"),
	    1), 0);
	assert_int_equal(attest_signer_open(&s, uri_for(uri, "ed", SOFTHSM),
	    pin_cb, &p, d), ATTEST_ERR_DEVICE);
	assert_int_equal(setenv("SOFTHSM2_CONF", conf, 1), 0);
	assert_null(s);
	assert_non_null(strstr(attest_diag_get_message(d),
	    "cannot initialise the PKCS#11 module"));
	attest_diag_free(&d);
}

static void
test_pkcs11_generate_exists(void **state)
{
	struct pin p = { USER_PIN, 0, 0 };
	attest_pubkey_t *pub = NULL;
	char uri[TU_PATH_MAX];

	(void)state;
	NEED_HSM();
	assert_int_equal(attest_pkcs11_generate(uri_for(uri, "ed", SOFTHSM),
	    ATTEST_ALG_ECDSA_P256_SHA256, pin_cb, &p, &pub, NULL),
	    ATTEST_ERR_EXISTS);
	assert_null(pub);
	assert_int_equal(attest_pkcs11_generate(uri_for(uri, "new", SOFTHSM),
	    ATTEST_ALG_NONE, pin_cb, &p, &pub, NULL), ATTEST_ERR_UNSUPPORTED);
	assert_null(pub);
}

/* The listing: tokens, then keys with algorithm and key id. */
struct seen {
	int	tokens, ed, p256;
	char	ed_keyid[ATTEST_KEYID_LEN + 1];
};

static void
list_cb(void *arg, const attest_pkcs11_entry_t *e)
{
	struct seen *s = arg;

	assert_non_null(e->token);
	assert_non_null(e->uri);
	if (e->label == NULL) {
		s->tokens++;
		return;
	}
	if (strcmp(e->label, "ed") == 0) {
		s->ed++;
		assert_int_equal(e->alg, ATTEST_ALG_ED25519);
		assert_non_null(e->keyid);
		snprintf(s->ed_keyid, sizeof(s->ed_keyid), "%s", e->keyid);
	} else if (strcmp(e->label, "p256") == 0) {
		s->p256++;
		assert_int_equal(e->alg, ATTEST_ALG_ECDSA_P256_SHA256);
	}
}

static void
test_pkcs11_list_ok(void **state)
{
	struct pin p = { USER_PIN, 0, 0 };
	struct seen seen;
	attest_signer_t *s;

	(void)state;
	NEED_HSM();
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(attest_pkcs11_list("pkcs11:?module-path=" SOFTHSM,
	    list_cb, &seen, NULL), ATTEST_OK);
	assert_int_equal(seen.tokens, 2);
	assert_int_equal(seen.ed, 1);
	assert_int_equal(seen.p256, 1);
	s = open_signer("ed", SOFTHSM, &p);
	assert_string_equal(seen.ed_keyid, attest_signer_keyid(s));
	attest_signer_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signer_open_ok),
		cmocka_unit_test(test_signer_open_wrong_pin),
		cmocka_unit_test(test_signer_open_pin_value_warns),
		cmocka_unit_test(test_signer_open_no_key),
		cmocka_unit_test(test_signer_open_two_tokens),
		cmocka_unit_test(test_signer_open_unknown_attribute),
		cmocka_unit_test(test_signer_open_module_fails),
		cmocka_unit_test(test_envelope_sign_one_session),
		cmocka_unit_test(test_envelope_sign_key_destroyed),
		cmocka_unit_test(test_pkcs11_generate_exists),
		cmocka_unit_test(test_pkcs11_list_ok),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
