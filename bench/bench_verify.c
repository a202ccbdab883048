/* SPDX-License-Identifier: Apache-2.0 */
/*
 * In-process envelope sign/verify rates against the raw library calls on
 * the same bytes, in the same run.  Printed as a table by bench/run.sh.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <attest.h>


static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A Statement of about 1 KiB. */
static unsigned char *
make_statement(size_t *len)
{
	attest_stmt_t *s = attest_stmt_new();
	unsigned char *out = NULL;
	const char *pred = "{\"product\":\"Example Smart Thermostat\","
	    "\"version\":\"2.4.1\",\"supportPeriodEnd\":\"2032-12\"}";
	char name[64], hex[65];
	size_t idx, i;
	int k;

	for (k = 0; k < 6; k++) {
		snprintf(name, sizeof(name), "firmware-part-%d.bin", k);
		for (i = 0; i < 64; i++)
			hex[i] = "0123456789abcdef"[(i * 7 + (size_t)k) % 16];
		hex[64] = '\0';
		if (attest_stmt_add_subject(s, name, &idx) != ATTEST_OK ||
		    attest_stmt_add_digest(s, idx, "sha256", hex) != ATTEST_OK)
			abort();
	}
	if (attest_stmt_set_predicate(s, "https://example.com/release/v1",
	    pred, strlen(pred), NULL) != ATTEST_OK ||
	    attest_stmt_serialize_alloc(s, &out, len) != ATTEST_OK)
		abort();
	attest_stmt_free(&s);
	return out;
}

typedef int bench_fn(void *arg);

#define ROUNDS		7
#define SLICE_SECONDS	0.15

/* Operations per second of fn over one time slice. */
static double
slice(bench_fn *fn, void *arg)
{
	double t0 = now(), t;
	long n = 0;

	do {
		for (int i = 0; i < 16; i++)
			if (fn(arg) != 0) {
				fprintf(stderr, "bench: operation failed\n");
				exit(2);
			}
		n += 16;
		t = now() - t0;
	} while (t < SLICE_SECONDS);
	return (double)n / t;
}

/*
 * The raw call and libattest's, in alternating slices, best slice of
 * each: on a shared virtual machine the speed drifts from second to
 * second, and alternating keeps both sides under the same conditions.
 */
static void
compare(bench_fn *raw, bench_fn *lib, void *arg, double *r_raw,
    double *r_lib)
{
	double a, b;
	int i;

	*r_raw = *r_lib = 0;
	for (i = 0; i < ROUNDS; i++) {
		if ((a = slice(raw, arg)) > *r_raw)
			*r_raw = a;
		if ((b = slice(lib, arg)) > *r_lib)
			*r_lib = b;
	}
}

struct ctx {
	attest_envelope_t	*parsed;
	attest_signer_t		*signer;
	attest_keyset_t		*ks;
	unsigned char		*stmt, *pae, *env, *sig;
	size_t			 stmt_len, pae_len, env_len, sig_len;
	unsigned char		 ed_pk[32], ed_sk[64];
	unsigned char		 ad[37];	/* FIDO authenticatorData */
	EVP_PKEY		*pkey;
};

static int
raw_ed_verify(void *a)
{
	struct ctx *c = a;

	return crypto_sign_verify_detached(c->sig, c->pae, c->pae_len,
	    c->ed_pk);
}

static int
raw_ed_sign(void *a)
{
	struct ctx *c = a;
	unsigned char sig[64];

	return crypto_sign_detached(sig, NULL, c->pae, c->pae_len, c->ed_sk);
}

static int
raw_ec_verify(void *a)
{
	struct ctx *c = a;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok;

	ok = EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, c->pkey) == 1 &&
	    EVP_DigestVerify(m, c->sig, c->sig_len, c->pae, c->pae_len) == 1;
	EVP_MD_CTX_free(m);
	return ok ? 0 : -1;
}

static int
raw_ec_sign(void *a)
{
	struct ctx *c = a;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	unsigned char sig[80];
	size_t n = sizeof(sig);
	int ok;

	ok = EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, c->pkey) == 1 &&
	    EVP_DigestSign(m, sig, &n, c->pae, c->pae_len) == 1;
	EVP_MD_CTX_free(m);
	return ok ? 0 : -1;
}

/*
 * What any FIDO verifier must do (specs/fido.md §3.3): hash the PAE
 * into clientDataHash, then check the authenticator's Ed25519 signature
 * over the 69 bytes authenticatorData || clientDataHash.
 */
static int
raw_fido_verify(void *a)
{
	struct ctx *c = a;
	unsigned char m[69];

	memcpy(m, c->ad, 37);
	crypto_hash_sha256(m + 37, c->pae, c->pae_len);
	return crypto_sign_verify_detached(c->sig + 5, m, sizeof(m),
	    c->ed_pk);
}

static int
lib_verify(void *a)
{
	struct ctx *c = a;
	attest_envelope_t *e = NULL;
	attest_verified_t *v = NULL;
	int ok;

	ok = attest_envelope_parse(&e, c->env, c->env_len, NULL) ==
	    ATTEST_OK && attest_envelope_verify(e, c->ks, 1, &v, NULL) ==
	    ATTEST_OK && attest_verified_payload_len(v) == c->stmt_len;
	attest_verified_free(&v);
	attest_envelope_free(&e);
	return ok ? 0 : -1;
}

static int
lib_verify_parsed(void *a)
{
	struct ctx *c = a;
	attest_verified_t *v = NULL;
	int ok;

	ok = attest_envelope_verify(c->parsed, c->ks, 1, &v, NULL) ==
	    ATTEST_OK;
	attest_verified_free(&v);
	return ok ? 0 : -1;
}

static int
lib_sign(void *a)
{
	struct ctx *c = a;
	attest_envelope_t *e = attest_envelope_new();
	unsigned char *out = NULL;
	size_t n = 0;
	int ok;

	ok = attest_envelope_set_payload(e, ATTEST_PAYLOAD_TYPE_INTOTO,
	    c->stmt, c->stmt_len) == ATTEST_OK &&
	    attest_envelope_sign(e, c->signer, NULL) == ATTEST_OK &&
	    attest_envelope_serialize_alloc(e, &out, &n) == ATTEST_OK;
	attest_freezero(out, n);
	attest_envelope_free(&e);
	return ok ? 0 : -1;
}

/* Build the envelope and the raw signature over the same PAE. */
static void
setup(struct ctx *c, attest_alg_t alg)
{
	attest_key_t *k = NULL;
	attest_envelope_t *e = attest_envelope_new();
	memset(c, 0, sizeof(*c));
	c->stmt = make_statement(&c->stmt_len);
	if (attest_dsse_pae_alloc(ATTEST_PAYLOAD_TYPE_INTOTO, c->stmt,
	    c->stmt_len, &c->pae, &c->pae_len) != ATTEST_OK ||
	    attest_key_generate(&k, alg) != ATTEST_OK ||
	    (c->ks = attest_keyset_new()) == NULL ||
	    attest_keyset_add(c->ks, attest_key_pubkey(k)) != ATTEST_OK)
		abort();
	if (alg == ATTEST_ALG_ED25519) {
		crypto_sign_keypair(c->ed_pk, c->ed_sk);
		c->sig = malloc(64);
		crypto_sign_detached(c->sig, NULL, c->pae, c->pae_len,
		    c->ed_sk);
		c->sig_len = 64;
	} else {
		c->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		EVP_MD_CTX *m = EVP_MD_CTX_new();
		c->sig = malloc(80);
		c->sig_len = 80;
		if (EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, c->pkey)
		    != 1 || EVP_DigestSign(m, c->sig, &c->sig_len, c->pae,
		    c->pae_len) != 1)
			abort();
		EVP_MD_CTX_free(m);
	}
	if (attest_signer_from_key(&c->signer, &k) != ATTEST_OK ||
	    attest_envelope_set_payload(e, ATTEST_PAYLOAD_TYPE_INTOTO,
	    c->stmt, c->stmt_len) != ATTEST_OK ||
	    attest_envelope_sign(e, c->signer, NULL) != ATTEST_OK ||
	    attest_envelope_serialize_alloc(e, &c->env, &c->env_len) !=
	    ATTEST_OK)
		abort();
	attest_envelope_free(&e);
	if (attest_envelope_parse(&c->parsed, c->env, c->env_len, NULL) !=
	    ATTEST_OK)
		abort();
}

/*
 * A fido-eddsa envelope: the "authenticator" is a libsodium key that
 * signs authenticatorData || SHA-256(PAE), as a security key would.
 */
static void
setup_fido(struct ctx *c)
{
	static const char hdr[] = "libattest-fido-public-key: 1\n"
	    "algorithm: fido-eddsa\nrp-id: attest:\n";
	attest_pubkey_t *plain = NULL, *pk = NULL;
	unsigned char spki[44] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b,
	    0x65, 0x70, 0x03, 0x21, 0x00 }, m[69], *pem = NULL;
	char *text, *b64p, *b64s, *json;
	size_t pem_len = 0, n, blen;

	memset(c, 0, sizeof(*c));
	c->stmt = make_statement(&c->stmt_len);
	if (attest_dsse_pae_alloc(ATTEST_PAYLOAD_TYPE_INTOTO, c->stmt,
	    c->stmt_len, &c->pae, &c->pae_len) != ATTEST_OK)
		abort();
	crypto_sign_keypair(c->ed_pk, c->ed_sk);
	memcpy(spki + 12, c->ed_pk, 32);
	crypto_hash_sha256(c->ad, (const unsigned char *)"attest:", 7);
	memcpy(c->ad + 32, "\x01\x00\x00\x00\x2a", 5);	/* UP, 42 */
	memcpy(m, c->ad, 37);
	crypto_hash_sha256(m + 37, c->pae, c->pae_len);
	c->sig_len = 69;
	if ((c->sig = malloc(69)) == NULL)
		abort();
	memcpy(c->sig, c->ad + 32, 5);
	crypto_sign_detached(c->sig + 5, NULL, m, sizeof(m), c->ed_sk);
	if (attest_pubkey_parse_der(&plain, spki, sizeof(spki), NULL) !=
	    ATTEST_OK || attest_pubkey_pem_alloc(plain, &pem, &pem_len) !=
	    ATTEST_OK)
		abort();
	n = sizeof(hdr) - 1 + pem_len;
	if ((text = malloc(n)) == NULL)
		abort();
	memcpy(text, hdr, sizeof(hdr) - 1);
	memcpy(text + sizeof(hdr) - 1, pem, pem_len);
	if (attest_pubkey_parse_pem(&pk, (unsigned char *)text, n, NULL) !=
	    ATTEST_OK || (c->ks = attest_keyset_new()) == NULL ||
	    attest_keyset_add(c->ks, pk) != ATTEST_OK)
		abort();
	blen = sodium_base64_ENCODED_LEN(c->stmt_len,
	    sodium_base64_VARIANT_ORIGINAL);
	if ((b64p = malloc(blen)) == NULL || (b64s = malloc(128)) == NULL ||
	    (json = malloc(blen + 512)) == NULL)
		abort();
	sodium_bin2base64(b64p, blen, c->stmt, c->stmt_len,
	    sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(b64s, 128, c->sig, 69,
	    sodium_base64_VARIANT_ORIGINAL);
	c->env_len = (size_t)snprintf(json, blen + 512, "{\"payloadType\":"
	    "\"%s\",\"payload\":\"%s\",\"signatures\":[{\"keyid\":\"%s\","
	    "\"sig\":\"%s\"}]}", ATTEST_PAYLOAD_TYPE_INTOTO, b64p,
	    attest_pubkey_keyid(pk), b64s);
	c->env = (unsigned char *)json;
	if (attest_envelope_parse(&c->parsed, c->env, c->env_len, NULL) !=
	    ATTEST_OK)
		abort();
	free(b64p);
	free(b64s);
	free(text);
	attest_freezero(pem, pem_len);
	attest_pubkey_free(&plain);
	attest_pubkey_free(&pk);
}

static void
teardown(struct ctx *c)
{
	attest_signer_free(&c->signer);
	attest_envelope_free(&c->parsed);
	attest_keyset_free(&c->ks);
	attest_freezero(c->stmt, c->stmt_len);
	attest_freezero(c->pae, c->pae_len);
	attest_freezero(c->env, c->env_len);
	free(c->sig);
	EVP_PKEY_free(c->pkey);
}

int
main(void)
{
	struct ctx c;
	double r_raw, r_lib;

	if (attest_init(0) != ATTEST_OK)
		return 2;
	setup(&c, ATTEST_ALG_ED25519);
	printf("statement: %zu bytes, envelope: %zu bytes\n", c.stmt_len,
	    c.env_len);
	printf("%-34s %12s %12s %7s\n", "operation (1 KiB Statement)",
	    "raw op/s", "libattest", "ratio");
	compare(raw_ed_verify, lib_verify, &c, &r_raw, &r_lib);
	printf("%-34s %12.0f %12.0f %7.2f\n", "ed25519 verify (parse+verify)",
	    r_raw, r_lib, r_lib / r_raw);
	compare(raw_ed_verify, lib_verify_parsed, &c, &r_raw, &r_lib);
	printf("%-34s %12.0f %12.0f %7.2f\n", "ed25519 verify (parsed envelope)",
	    r_raw, r_lib, r_lib / r_raw);
	compare(raw_ed_sign, lib_sign, &c, &r_raw, &r_lib);
	printf("%-34s %12.0f %12.0f %7.2f\n", "ed25519 sign (sign+serialise)",
	    r_raw, r_lib, r_lib / r_raw);
	teardown(&c);
	setup(&c, ATTEST_ALG_ECDSA_P256_SHA256);
	compare(raw_ec_verify, lib_verify, &c, &r_raw, &r_lib);
	printf("%-34s %12.0f %12.0f %7.2f\n", "ecdsa-p256 verify (parse+verify)",
	    r_raw, r_lib, r_lib / r_raw);
	compare(raw_ec_sign, lib_sign, &c, &r_raw, &r_lib);
	printf("%-34s %12.0f %12.0f %7.2f\n", "ecdsa-p256 sign (sign+serialise)",
	    r_raw, r_lib, r_lib / r_raw);
	teardown(&c);
	setup_fido(&c);
	compare(raw_fido_verify, lib_verify, &c, &r_raw, &r_lib);
	printf("%-34s %12.0f %12.0f %7.2f\n", "fido-eddsa verify (parse+verify)",
	    r_raw, r_lib, r_lib / r_raw);
	compare(raw_fido_verify, lib_verify_parsed, &c, &r_raw, &r_lib);
	printf("%-34s %12.0f %12.0f %7.2f\n", "fido-eddsa verify (parsed)",
	    r_raw, r_lib, r_lib / r_raw);
	teardown(&c);
	return 0;
}
