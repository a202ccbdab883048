/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signatures per second through a PKCS#11 token: libattest's signer path
 * (attest_signer_open() on a pkcs11: URI, then attest_envelope_set_payload()
 * + attest_envelope_sign() for each statement) against a raw
 * C_SignInit + C_Sign loop on the same key of the same token, over the
 * same PAE bytes, in the same run.  For ECDSA the raw loop hashes on the
 * host too (SHA-256 of the PAE), since CKM_ECDSA signs a digest.
 *
 *   bench_pkcs11 MODULE TOKEN PIN LABEL:ALG [LABEL:ALG ...]
 *
 * ALG: ed25519 or ecdsa-p256.  bench/run.sh makes the token and keys.
 */
#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <attest.h>

#define STATEMENTS	1000
#define ROUNDS		5

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_pkcs11: %s\n", what);
	exit(2);
}

/* STATEMENTS small in-toto Statements (about 300 bytes) and their PAEs. */
static unsigned char *stmt[STATEMENTS], *pae[STATEMENTS];
static size_t stmt_len[STATEMENTS], pae_len[STATEMENTS];

static void
make_statements(void)
{
	char buf[512];
	int i, n;

	for (i = 0; i < STATEMENTS; i++) {
		n = snprintf(buf, sizeof(buf), "{\"_type\":\"https://"
		    "in-toto.io/Statement/v1\",\"subject\":[{\"name\":"
		    "\"firmware-%04d.bin\","
		    "\"digest\":{\"sha256\":\"%064x\"}}],\"predicateType\":"
		    "\"https://example.com/release/v1\",\"predicate\":"
		    "{\"build\":%d}}", i, i * 2654435761u, i);
		if (n <= 0 || (size_t)n >= sizeof(buf) ||
		    (stmt[i] = malloc((size_t)n)) == NULL)
			die("statement");
		memcpy(stmt[i], buf, (size_t)n);
		stmt_len[i] = (size_t)n;
		if (attest_dsse_pae_alloc(ATTEST_PAYLOAD_TYPE_INTOTO, stmt[i],
		    stmt_len[i], &pae[i], &pae_len[i]) != ATTEST_OK)
			die("PAE");
	}
}

static const char *the_pin;

static attest_err_t
pin_cb(void *arg, attest_secret_kind_t kind, const char *what, int confirm,
    char *buf, size_t size, size_t *len)
{
	(void)arg;
	(void)kind;
	(void)what;
	(void)confirm;
	if (strlen(the_pin) > size)
		return ATTEST_ERR_TOO_LARGE;
	memcpy(buf, the_pin, strlen(the_pin));
	*len = strlen(the_pin);
	return ATTEST_OK;
}

/* The raw side: the module's own function list, one session. */
struct raw {
	CK_FUNCTION_LIST	*m;
	CK_SESSION_HANDLE	 s;
	CK_OBJECT_HANDLE	 key;
	CK_MECHANISM_TYPE	 mech;
};

static void
raw_open(struct raw *r, const char *module, const char *token,
    const char *label, int ecdsa)
{
	CK_SLOT_ID slots[64];
	CK_ULONG n = 64, i, got = 0;
	CK_TOKEN_INFO ti;
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE t[2] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_LABEL, (void *)(uintptr_t)label, strlen(label) },
	};
	char want[32];
	CK_RV rv;

	memset(want, ' ', sizeof(want));
	memcpy(want, token, strlen(token));
	if (r->m == NULL) {
		/* unmanaged: no p11-kit wrapper between us and the module */
		if ((r->m = p11_kit_module_load(module,
		    P11_KIT_MODULE_UNMANAGED)) == NULL)
			die("cannot load the module");
		if ((rv = p11_kit_module_initialize(r->m)) != CKR_OK &&
		    rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
			die("C_Initialize");
		if (r->m->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK)
			die("C_GetSlotList");
		for (i = 0; i < n; i++)
			if (r->m->C_GetTokenInfo(slots[i], &ti) == CKR_OK &&
			    memcmp(ti.label, want, sizeof(want)) == 0)
				break;
		if (i == n)
			die("no such token");
		if (r->m->C_OpenSession(slots[i], CKF_SERIAL_SESSION, NULL,
		    NULL, &r->s) != CKR_OK)
			die("C_OpenSession");
		rv = r->m->C_Login(r->s, CKU_USER,
		    (CK_UTF8CHAR_PTR)(uintptr_t)the_pin, strlen(the_pin));
		if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
			die("C_Login");
	}
	if (r->m->C_FindObjectsInit(r->s, t, 2) != CKR_OK ||
	    r->m->C_FindObjects(r->s, &r->key, 1, &got) != CKR_OK ||
	    r->m->C_FindObjectsFinal(r->s) != CKR_OK || got != 1)
		die("no such key");
	r->mech = ecdsa ? CKM_ECDSA : CKM_EDDSA;
}

/* One pass over the statements, raw; returns signatures per second. */
static double
raw_pass(struct raw *r, int ecdsa)
{
	CK_MECHANISM mech = { r->mech, NULL, 0 };
	unsigned char sig[512], md[32];
	const unsigned char *in;
	CK_ULONG out, in_len;
	double t0 = now();
	int i;

	for (i = 0; i < STATEMENTS; i++) {
		in = pae[i];
		in_len = pae_len[i];
		if (ecdsa) {
			if (EVP_Digest(pae[i], pae_len[i], md, NULL,
			    EVP_sha256(), NULL) != 1)
				die("SHA-256");
			in = md;
			in_len = sizeof(md);
		}
		out = sizeof(sig);
		if (r->m->C_SignInit(r->s, &mech, r->key) != CKR_OK ||
		    r->m->C_Sign(r->s, (CK_BYTE_PTR)(uintptr_t)in, in_len, sig,
		    &out) != CKR_OK)
			die("raw C_SignInit/C_Sign");
	}
	return STATEMENTS / (now() - t0);
}

/* One pass through libattest's signer; signatures per second. */
static double
lib_pass(attest_signer_t *s, attest_envelope_t *e)
{
	double t0 = now();
	int i;

	for (i = 0; i < STATEMENTS; i++)
		if (attest_envelope_set_payload(e, ATTEST_PAYLOAD_TYPE_INTOTO,
		    stmt[i], stmt_len[i]) != ATTEST_OK ||
		    attest_envelope_sign(e, s, NULL) != ATTEST_OK)
			die("attest_envelope_sign");
	return STATEMENTS / (now() - t0);
}

int
main(int argc, char **argv)
{
	struct raw r;
	attest_signer_t *s;
	attest_envelope_t *e;
	attest_diag_t *d;
	char uri[4096], *alg;
	double a, b, best_raw, best_lib;
	int k, i, ecdsa;

	if (argc < 5) {
		fprintf(stderr, "usage: bench_pkcs11 MODULE TOKEN PIN "
		    "LABEL:ALG ...\n");
		return 2;
	}
	if (attest_init(0) != ATTEST_OK)
		die("attest_init");
	the_pin = argv[3];
	make_statements();
	memset(&r, 0, sizeof(r));
	printf("%-46s %10s %10s %7s\n",
	    "PKCS#11 sign, SoftHSM2 (1000 Statements)",
	    "raw sig/s", "libattest", "ratio");
	for (k = 4; k < argc; k++) {
		if ((alg = strchr(argv[k], ':')) == NULL)
			die("LABEL:ALG");
		*alg++ = '\0';
		ecdsa = strcmp(alg, "ecdsa-p256") == 0;
		if (!ecdsa && strcmp(alg, "ed25519") != 0)
			die("ALG: ed25519 or ecdsa-p256");
		raw_open(&r, argv[1], argv[2], argv[k], ecdsa);
		if (snprintf(uri, sizeof(uri), "pkcs11:token=%s;object=%s"
		    "?module-path=%s", argv[2], argv[k], argv[1]) >=
		    (int)sizeof(uri))
			die("URI too long");
		if ((d = attest_diag_new()) == NULL ||
		    (e = attest_envelope_new()) == NULL)
			die("out of memory");
		if (attest_signer_open(&s, uri, pin_cb, NULL, d) != ATTEST_OK) {
			fprintf(stderr, "bench_pkcs11: %s\n",
			    attest_diag_get_message(d));
			return 2;
		}
		/* alternate passes, best of each: the VM's speed drifts */
		best_raw = best_lib = 0;
		for (i = 0; i < ROUNDS; i++) {
			if ((a = raw_pass(&r, ecdsa)) > best_raw)
				best_raw = a;
			if ((b = lib_pass(s, e)) > best_lib)
				best_lib = b;
		}
		printf("%-46s %10.0f %10.0f %7.2f%s\n", ecdsa ?
		    "ecdsa-p256 (CKM_ECDSA, SHA-256 on host)" :
		    "ed25519 (CKM_EDDSA)", best_raw, best_lib,
		    best_lib / best_raw, best_lib / best_raw >= 0.8 ? "" :
		    "  (below the 0.8 target)");
		attest_signer_free(&s);
		attest_envelope_free(&e);
		attest_diag_free(&d);
	}
	(void)r.m->C_CloseSession(r.s);
	(void)p11_kit_module_finalize(r.m);
	p11_kit_module_release(r.m);
	for (i = 0; i < STATEMENTS; i++) {
		free(stmt[i]);
		attest_freezero(pae[i], pae_len[i]);
	}
	return 0;
}
