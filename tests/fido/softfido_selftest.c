/* SPDX-License-Identifier: Apache-2.0 */
/*
 * softfido_selftest: proves tests/fido/softfido.c with nothing but the
 * public libfido2 API.  It is linked with softfido.o, so its
 * fido_dev_info_manifest and fido_dev_open are softfido's.
 *
 * Every scenario gets a fresh $SOFTFIDO_DIR under one mkdtemp directory,
 * which is removed at the end (kept when SOFTFIDO_KEEP is set).  One line
 * per check; the exit status is 1 when any check failed.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fido.h>
#include <fido/eddsa.h>
#include <fido/es256.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#define RP_ID		"example.org"
#define FLAG_UP		0x01
#define FLAG_UV		0x04
#define FLAG_AT		0x40
#define FLAG_ED		0x80

static char	base_dir[PATH_MAX / 2];
static char	cur_dir[PATH_MAX];
static int	nchecks;
static int	nfailed;

static int
check(int ok, const char *fmt, ...)
{
	va_list ap;

	nchecks++;
	if (!ok)
		nfailed++;
	printf("%s ", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return ok;
}

static int
check_r(int got, int want, const char *what)
{
	return check(got == want, "%s: %s (want %s)", what, fido_strerr(got),
	    fido_strerr(want));
}

/*
 * Scenario directories and state files.
 */

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, n, f) != n ||
	    fclose(f) != 0) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		exit(2);
	}
}

static void
set_config(const char *text)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/config", cur_dir);
	write_file(path, text, strlen(text));
}

static void
scenario(const char *name, const char *config)
{
	static int seq;

	printf("== %s\n", name);
	snprintf(cur_dir, sizeof(cur_dir), "%s/%02d-%s", base_dir, ++seq,
	    name);
	if (mkdir(cur_dir, 0700) != 0) {
		fprintf(stderr, "mkdir %s: %s\n", cur_dir, strerror(errno));
		exit(2);
	}
	setenv("SOFTFIDO_DIR", cur_dir, 1);
	set_config(config);
}

static void
write_state(unsigned dev, const char *name, const char *text)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/dev%u", cur_dir, dev);
	(void)mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/dev%u/%s", cur_dir, dev, name);
	write_file(path, text, strlen(text));
}

static int
state_exists(unsigned dev, const char *name)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/dev%u/%s", cur_dir, dev, name);
	return access(path, F_OK) == 0;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/*
 * libfido2 wrappers: each opens the device, does one thing, closes it.
 */

static fido_dev_t *
dev_open(const char *path, int *r)
{
	fido_dev_t *dev;

	if ((dev = fido_dev_new()) == NULL) {
		*r = FIDO_ERR_INTERNAL;
		return NULL;
	}
	if ((*r = fido_dev_open(dev, path)) != FIDO_OK)
		fido_dev_free(&dev);
	return dev;
}

static void
dev_close(fido_dev_t **dev)
{
	if (*dev == NULL)
		return;
	fido_dev_close(*dev);
	fido_dev_free(dev);
}

static int
make_cred(const char *path, int alg, const char *pin, fido_opt_t rk,
    fido_cred_t **out)
{
	static const unsigned char uid[16] = "user-id-alice-01";
	unsigned char cdh[32];
	fido_dev_t *dev;
	fido_cred_t *c;
	int r;

	*out = c = fido_cred_new();
	RAND_bytes(cdh, sizeof(cdh));
	if (c == NULL || fido_cred_set_type(c, alg) != FIDO_OK ||
	    fido_cred_set_clientdata_hash(c, cdh, sizeof(cdh)) != FIDO_OK ||
	    fido_cred_set_rp(c, RP_ID, "Example") != FIDO_OK ||
	    fido_cred_set_user(c, uid, sizeof(uid), "alice", "Alice",
	    NULL) != FIDO_OK ||
	    (rk != FIDO_OPT_OMIT && fido_cred_set_rk(c, rk) != FIDO_OK))
		return FIDO_ERR_INTERNAL;
	if ((dev = dev_open(path, &r)) == NULL)
		return r;
	r = fido_dev_make_cred(dev, c, pin);
	dev_close(&dev);
	return r;
}

/* cred NULL: no allowList (resident credentials). */
static int
get_assert(const char *path, const fido_cred_t *cred, const char *rp,
    const char *pin, fido_opt_t up, fido_assert_t **out)
{
	unsigned char cdh[32];
	fido_dev_t *dev;
	fido_assert_t *a;
	int r;

	*out = a = fido_assert_new();
	RAND_bytes(cdh, sizeof(cdh));
	if (a == NULL || fido_assert_set_rp(a, rp) != FIDO_OK ||
	    fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh)) != FIDO_OK ||
	    (cred != NULL && fido_assert_allow_cred(a, fido_cred_id_ptr(cred),
	    fido_cred_id_len(cred)) != FIDO_OK) ||
	    (up != FIDO_OPT_OMIT && fido_assert_set_up(a, up) != FIDO_OK))
		return FIDO_ERR_INTERNAL;
	if ((dev = dev_open(path, &r)) == NULL)
		return r;
	r = fido_dev_get_assert(dev, a, pin);
	dev_close(&dev);
	return r;
}

static int
verify_assert(const fido_assert_t *a, const fido_cred_t *c)
{
	es256_pk_t *es;
	eddsa_pk_t *ed;
	int r = FIDO_ERR_INTERNAL;

	if (fido_cred_type(c) == COSE_ES256) {
		if ((es = es256_pk_new()) != NULL &&
		    es256_pk_from_ptr(es, fido_cred_pubkey_ptr(c),
		    fido_cred_pubkey_len(c)) == FIDO_OK)
			r = fido_assert_verify(a, 0, COSE_ES256, es);
		es256_pk_free(&es);
	} else {
		if ((ed = eddsa_pk_new()) != NULL &&
		    eddsa_pk_from_ptr(ed, fido_cred_pubkey_ptr(c),
		    fido_cred_pubkey_len(c)) == FIDO_OK)
			r = fido_assert_verify(a, 0, COSE_EDDSA, ed);
		eddsa_pk_free(&ed);
	}
	return r;
}

static int
retry_count(const char *path, int *n)
{
	fido_dev_t *dev;
	int r;

	*n = -1;
	if ((dev = dev_open(path, &r)) == NULL)
		return r;
	r = fido_dev_get_retry_count(dev, n);
	dev_close(&dev);
	return r;
}

static size_t
manifest(char first[64])
{
	fido_dev_info_t *di;
	size_t n = 0;

	first[0] = '\0';
	if ((di = fido_dev_info_new(16)) == NULL)
		return 0;
	if (fido_dev_info_manifest(di, 16, &n) != FIDO_OK)
		n = 0;
	if (n > 0)
		snprintf(first, 64, "%s",
		    fido_dev_info_path(fido_dev_info_ptr(di, 0)));
	fido_dev_info_free(&di, 16);
	return n;
}

static const char *
alg_name(int alg)
{
	return alg == COSE_ES256 ? "es256" : "eddsa";
}

/*
 * The checks.
 */

static void
test_manifest(void)
{
	const fido_dev_info_t *e;
	fido_dev_info_t *di;
	char want[32];
	size_t n = 0;
	int r;

	scenario("manifest", "devices=3\n");
	di = fido_dev_info_new(8);
	r = fido_dev_info_manifest(di, 8, &n);
	check(r == FIDO_OK && n == 3, "manifest lists 3 devices (%zu)", n);
	for (size_t i = 0; i < n; i++) {
		e = fido_dev_info_ptr(di, i);
		snprintf(want, sizeof(want), "softfido:%zu", i);
		check(strcmp(fido_dev_info_path(e), want) == 0,
		    "device %zu path %s", i, fido_dev_info_path(e));
		check(strcmp(fido_dev_info_manufacturer_string(e),
		    "libattest tests") == 0, "device %zu manufacturer '%s'", i,
		    fido_dev_info_manufacturer_string(e));
		snprintf(want, sizeof(want), "softfido %zu", i);
		check(strcmp(fido_dev_info_product_string(e), want) == 0,
		    "device %zu product '%s'", i,
		    fido_dev_info_product_string(e));
	}
	fido_dev_info_free(&di, 8);
	di = fido_dev_info_new(2);
	r = fido_dev_info_manifest(di, 2, &n);
	check(r == FIDO_OK && n == 2, "manifest honours ilen=2 (%zu)", n);
	fido_dev_info_free(&di, 2);
}

static void
test_info(void)
{
	static const unsigned char aaguid[16] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	};
	fido_cbor_info_t *ci;
	fido_dev_t *dev;
	int r;

	scenario("info", "aaguid=00112233445566778899AABBCCDDEEFF\n");
	fido_init(0);
	dev = dev_open("softfido:0", &r);
	check_r(r, FIDO_OK, "open softfido:0 with fido_init(0)");
	if (dev == NULL)
		return;
	check(fido_dev_is_fido2(dev), "device is FIDO2 (CBOR capability)");
	check(fido_dev_supports_pin(dev) && !fido_dev_has_pin(dev),
	    "clientPin supported, no PIN set");
	ci = fido_cbor_info_new();
	r = fido_dev_get_cbor_info(dev, ci);
	check_r(r, FIDO_OK, "getInfo");
	check(fido_cbor_info_versions_len(ci) == 1 &&
	    strcmp(fido_cbor_info_versions_ptr(ci)[0], "FIDO_2_0") == 0,
	    "versions [FIDO_2_0]");
	check(fido_cbor_info_algorithm_count(ci) == 2 &&
	    fido_cbor_info_algorithm_cose(ci, 0) == COSE_ES256 &&
	    fido_cbor_info_algorithm_cose(ci, 1) == COSE_EDDSA &&
	    strcmp(fido_cbor_info_algorithm_type(ci, 0), "public-key") == 0,
	    "algorithms ES256, EdDSA (%zu)",
	    fido_cbor_info_algorithm_count(ci));
	check(fido_cbor_info_fwversion(ci) == 0x010203,
	    "firmware version 0x%llx",
	    (unsigned long long)fido_cbor_info_fwversion(ci));
	check(fido_cbor_info_aaguid_len(ci) == 16 &&
	    memcmp(fido_cbor_info_aaguid_ptr(ci), aaguid, 16) == 0,
	    "aaguid from config");
	check(fido_cbor_info_maxmsgsiz(ci) == 1200, "maxMsgSize %llu",
	    (unsigned long long)fido_cbor_info_maxmsgsiz(ci));
	check(fido_cbor_info_protocols_len(ci) == 1 &&
	    fido_cbor_info_protocols_ptr(ci)[0] == 1, "pinUvAuthProtocols [1]");
	fido_cbor_info_free(&ci);
	dev_close(&dev);

	dev = dev_open("softfido:1", &r);
	check(dev == NULL && r != FIDO_OK, "open softfido:1 fails with "
	    "devices=1: %s", fido_strerr(r));
	dev_close(&dev);

	set_config("algs=eddsa\n");
	dev = dev_open("softfido:0", &r);
	ci = fido_cbor_info_new();
	r = dev ? fido_dev_get_cbor_info(dev, ci) : r;
	check(r == FIDO_OK && fido_cbor_info_algorithm_count(ci) == 1 &&
	    fido_cbor_info_algorithm_cose(ci, 0) == COSE_EDDSA,
	    "algs=eddsa advertises EdDSA only");
	fido_cbor_info_free(&ci);
	dev_close(&dev);

	set_config("fault=no-such-fault\n");
	dev = dev_open("softfido:0", &r);
	check(dev == NULL, "invalid config makes open fail: %s",
	    fido_strerr(r));
	dev_close(&dev);
	fido_init(FIDO_DISABLE_U2F_FALLBACK);
}

static void
test_cred_self(int alg)
{
	fido_cred_t *c;
	int r;

	r = make_cred("softfido:0", alg, NULL, FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_OK, "make credential (self)");
	check(fido_cred_fmt(c) != NULL && strcmp(fido_cred_fmt(c),
	    "packed") == 0, "fmt packed");
	check(fido_cred_x5c_len(c) == 0, "no x5c");
	check(fido_cred_id_len(c) == 32, "credential id is 32 bytes");
	check(fido_cred_pubkey_len(c) == (alg == COSE_ES256 ? 64u : 32u),
	    "public key length %zu", fido_cred_pubkey_len(c));
	check((fido_cred_flags(c) & (FLAG_UP | FLAG_AT | FLAG_UV)) ==
	    (FLAG_UP | FLAG_AT), "flags UP|AT, no UV (0x%02x)",
	    fido_cred_flags(c));
	check_r(fido_cred_verify_self(c), FIDO_OK, "fido_cred_verify_self");
	check_r(fido_cred_verify(c), FIDO_ERR_INVALID_ARGUMENT,
	    "fido_cred_verify without x5c");
	fido_cred_free(&c);
}

static X509 *
make_cert(EVP_PKEY *key, const char *cn, long serial, X509 *issuer,
    EVP_PKEY *issuer_key)
{
	X509_NAME *name;
	X509 *x;

	if ((x = X509_new()) == NULL)
		return NULL;
	name = X509_get_subject_name(x);
	if (X509_set_version(x, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), serial) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -60) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400) == NULL ||
	    X509_set_pubkey(x, key) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) :
	    name) != 1 || X509_sign(x, issuer_key, EVP_sha256()) <= 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* A CA and an attestation certificate in $SOFTFIDO_DIR; returns the CA. */
static X509 *
make_attestation(unsigned char **der, int *der_len)
{
	EVP_PKEY *ca_key, *att_key;
	X509 *ca = NULL, *att = NULL;
	char path[PATH_MAX + 16];
	FILE *f;

	*der = NULL;
	*der_len = 0;
	ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	att_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (ca_key == NULL || att_key == NULL ||
	    (ca = make_cert(ca_key, "softfido test CA", 1, NULL,
	    ca_key)) == NULL ||
	    (att = make_cert(att_key, "softfido attestation", 2, ca,
	    ca_key)) == NULL ||
	    (*der_len = i2d_X509(att, der)) <= 0)
		goto out;
	snprintf(path, sizeof(path), "%s/att-cert.der", cur_dir);
	write_file(path, *der, (size_t)*der_len);
	snprintf(path, sizeof(path), "%s/att-key.pem", cur_dir);
	if ((f = fopen(path, "w")) != NULL) {
		PEM_write_PrivateKey(f, att_key, NULL, NULL, 0, NULL, NULL);
		fclose(f);
	}
out:
	X509_free(att);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(att_key);
	return ca;
}

static void
test_cred_x5c(void)
{
	const unsigned char *p;
	unsigned char *der;
	fido_cred_t *c;
	X509 *ca, *got;
	EVP_PKEY *ca_pub;
	int der_len, r;

	scenario("x5c", "");
	ca = make_attestation(&der, &der_len);
	check(ca != NULL, "test CA and attestation certificate made");
	if (ca == NULL)
		return;
	ca_pub = X509_get0_pubkey(ca);
	for (int alg = COSE_ES256; alg >= COSE_EDDSA; alg--) {
		r = make_cred("softfido:0", alg, NULL, FIDO_OPT_OMIT, &c);
		check_r(r, FIDO_OK, alg == COSE_ES256 ?
		    "es256: make credential (x5c)" :
		    "eddsa: make credential (x5c)");
		check_r(fido_cred_verify(c), FIDO_OK, "fido_cred_verify");
		check(fido_cred_x5c_len(c) == (size_t)der_len &&
		    memcmp(fido_cred_x5c_ptr(c), der, (size_t)der_len) == 0,
		    "x5c is att-cert.der (%zu bytes)", fido_cred_x5c_len(c));
		p = fido_cred_x5c_ptr(c);
		got = p ? d2i_X509(NULL, &p, (long)fido_cred_x5c_len(c)) : NULL;
		check(got != NULL && X509_verify(got, ca_pub) == 1,
		    "x5c certificate is signed by the test CA");
		X509_free(got);
		fido_cred_free(&c);
	}
	set_config("attestation=self\n");
	r = make_cred("softfido:0", COSE_ES256, NULL, FIDO_OPT_OMIT, &c);
	check(r == FIDO_OK && fido_cred_x5c_len(c) == 0 &&
	    fido_cred_verify_self(c) == FIDO_OK,
	    "attestation=self overrides the certificate files");
	fido_cred_free(&c);
	set_config("attestation=none\n");
	r = make_cred("softfido:0", COSE_EDDSA, NULL, FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_OK, "make credential (none)");
	check(fido_cred_fmt(c) != NULL && strcmp(fido_cred_fmt(c),
	    "none") == 0, "fmt none");
	check(fido_cred_verify_self(c) != FIDO_OK &&
	    fido_cred_pubkey_len(c) == 32, "none: no signature, key usable");
	fido_cred_free(&c);
	X509_free(ca);
	OPENSSL_free(der);
}

static void
test_assert(int alg)
{
	unsigned char other[32] = { 0 };
	fido_assert_t *a, *b;
	fido_cred_t *c;
	uint32_t s1, s2;
	int r;

	if (make_cred("softfido:0", alg, NULL, FIDO_OPT_OMIT, &c) != FIDO_OK) {
		check(0, "make credential for assertions");
		fido_cred_free(&c);
		return;
	}
	check(fido_cred_sigcount(c) >= 1, "makeCredential counts (%u)",
	    fido_cred_sigcount(c));
	r = get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &a);
	check_r(r, FIDO_OK, "get assertion");
	check(fido_assert_count(a) == 1 && fido_assert_sig_len(a, 0) > 0,
	    "one assertion with a signature");
	check(fido_assert_id_len(a, 0) == 32 &&
	    memcmp(fido_assert_id_ptr(a, 0), fido_cred_id_ptr(c), 32) == 0,
	    "assertion names the credential");
	check((fido_assert_flags(a, 0) & (FLAG_UP | FLAG_UV)) == FLAG_UP,
	    "flags UP, no UV (0x%02x)", fido_assert_flags(a, 0));
	check_r(verify_assert(a, c), FIDO_OK, "fido_assert_verify");
	s1 = fido_assert_sigcount(a, 0);
	r = get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &b);
	s2 = fido_assert_sigcount(b, 0);
	check(r == FIDO_OK && s2 > s1 && s1 > fido_cred_sigcount(c),
	    "counter increases: %u, %u, %u", fido_cred_sigcount(c), s1, s2);
	fido_assert_set_clientdata_hash(b, other, sizeof(other));
	check_r(verify_assert(b, c), FIDO_ERR_INVALID_SIG,
	    "changed clientDataHash");
	fido_assert_free(&a);
	fido_assert_free(&b);

	r = get_assert("softfido:1", c, RP_ID, NULL, FIDO_OPT_OMIT, &a);
	check_r(r, FIDO_ERR_NO_CREDENTIALS, "credential unknown on device 1");
	fido_assert_free(&a);
	r = get_assert("softfido:0", c, "example.com", NULL, FIDO_OPT_OMIT,
	    &a);
	check_r(r, FIDO_ERR_NO_CREDENTIALS, "credential unknown for other rp");
	fido_assert_free(&a);

	write_state(0, "counter", "5\n");
	r = get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &a);
	check(r == FIDO_OK && fido_assert_sigcount(a, 0) == 6,
	    "counter file rewound to 5: next signature counts %u",
	    fido_assert_sigcount(a, 0));
	fido_assert_free(&a);
	fido_cred_free(&c);
}

static void
test_resident(void)
{
	fido_assert_t *a;
	fido_cred_t *c;
	int r;

	r = make_cred("softfido:0", COSE_ES256, NULL, FIDO_OPT_TRUE, &c);
	check_r(r, FIDO_OK, "make resident credential");
	r = get_assert("softfido:0", NULL, RP_ID, NULL, FIDO_OPT_OMIT, &a);
	check(r == FIDO_OK && fido_assert_id_len(a, 0) == 32 &&
	    memcmp(fido_assert_id_ptr(a, 0), fido_cred_id_ptr(c), 32) == 0 &&
	    fido_assert_user_id_len(a, 0) == 16 &&
	    verify_assert(a, c) == FIDO_OK,
	    "assertion without allowList finds it: %s", fido_strerr(r));
	fido_assert_free(&a);
	fido_cred_free(&c);
}

static void
test_algs(void)
{
	fido_cred_t *c;

	scenario("algs", "algs=es256\n");
	check_r(make_cred("softfido:0", COSE_EDDSA, NULL, FIDO_OPT_OMIT, &c),
	    FIDO_ERR_UNSUPPORTED_ALGORITHM, "algs=es256: EdDSA credential");
	fido_cred_free(&c);
	check_r(make_cred("softfido:0", COSE_ES256, NULL, FIDO_OPT_OMIT, &c),
	    FIDO_OK, "algs=es256: ES256 credential");
	fido_cred_free(&c);
}

static void
test_pin(void)
{
	fido_assert_t *a;
	fido_cred_t *c;
	fido_dev_t *dev;
	int n, r;

	scenario("pin", "pin=1234\n");
	dev = dev_open("softfido:0", &r);
	check(dev != NULL && fido_dev_has_pin(dev), "getInfo clientPin true");
	dev_close(&dev);
	r = retry_count("softfido:0", &n);
	check(r == FIDO_OK && n == 8,
	    "retries start at 8 (%d)", n);
	r = make_cred("softfido:0", COSE_ES256, "1234", FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_OK, "make credential with PIN");
	check((fido_cred_flags(c) & FLAG_UV) != 0, "credential flags UV "
	    "(0x%02x)", fido_cred_flags(c));
	check_r(fido_cred_verify_self(c), FIDO_OK, "verify_self");
	r = get_assert("softfido:0", c, RP_ID, "1234", FIDO_OPT_OMIT, &a);
	check_r(r, FIDO_OK, "assertion with PIN");
	check((fido_assert_flags(a, 0) & (FLAG_UP | FLAG_UV)) ==
	    (FLAG_UP | FLAG_UV), "assertion flags UP|UV (0x%02x)",
	    fido_assert_flags(a, 0));
	fido_assert_set_uv(a, FIDO_OPT_TRUE);
	check_r(verify_assert(a, c), FIDO_OK, "verify requiring UV");
	fido_assert_free(&a);
	r = get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &a);
	check(r == FIDO_OK && (fido_assert_flags(a, 0) & FLAG_UV) == 0,
	    "assertion without PIN: no UV");
	fido_assert_set_uv(a, FIDO_OPT_TRUE);
	check_r(verify_assert(a, c), FIDO_ERR_INVALID_PARAM,
	    "verify requiring UV without it");
	fido_assert_free(&a);

	r = get_assert("softfido:0", c, RP_ID, "0000", FIDO_OPT_OMIT, &a);
	check_r(r, FIDO_ERR_PIN_INVALID, "wrong PIN");
	fido_assert_free(&a);
	r = retry_count("softfido:0", &n);
	check(r == FIDO_OK && n == 7,
	    "retries down to 7 (%d)", n);
	r = get_assert("softfido:0", c, RP_ID, "1234", FIDO_OPT_OMIT, &a);
	check_r(r, FIDO_OK, "right PIN after a wrong one");
	fido_assert_free(&a);
	r = retry_count("softfido:0", &n);
	check(r == FIDO_OK && n == 8,
	    "retries back to 8 (%d)", n);
	fido_cred_free(&c);

	scenario("pin-auth-blocked", "pin=1234\n");
	r = make_cred("softfido:0", COSE_ES256, "0000", FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_ERR_PIN_INVALID, "wrong PIN 1");
	fido_cred_free(&c);
	r = make_cred("softfido:0", COSE_ES256, "0000", FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_ERR_PIN_INVALID, "wrong PIN 2");
	fido_cred_free(&c);
	r = make_cred("softfido:0", COSE_ES256, "0000", FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_ERR_PIN_AUTH_BLOCKED, "wrong PIN 3");
	fido_cred_free(&c);
	r = make_cred("softfido:0", COSE_ES256, "1234", FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_ERR_PIN_AUTH_BLOCKED, "right PIN while auth-blocked");
	fido_cred_free(&c);
	r = retry_count("softfido:0", &n);
	check(r == FIDO_OK && n == 5,
	    "retries 5 (%d)", n);

	scenario("pin-blocked", "pin=1234\n");
	write_state(0, "pin_retries", "2\n");
	r = make_cred("softfido:0", COSE_ES256, "0000", FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_ERR_PIN_INVALID, "pin_retries=2: wrong PIN");
	fido_cred_free(&c);
	r = retry_count("softfido:0", &n);
	check(r == FIDO_OK && n == 1,
	    "retries 1 (%d)", n);
	r = make_cred("softfido:0", COSE_ES256, "0000", FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_ERR_PIN_BLOCKED, "last wrong PIN");
	fido_cred_free(&c);
	r = make_cred("softfido:0", COSE_ES256, "1234", FIDO_OPT_OMIT, &c);
	check_r(r, FIDO_ERR_PIN_BLOCKED, "right PIN once blocked");
	fido_cred_free(&c);
	r = retry_count("softfido:0", &n);
	check(r == FIDO_OK && n == 0,
	    "retries 0 (%d)", n);

	scenario("no-pin", "");
	r = make_cred("softfido:0", COSE_ES256, "1234", FIDO_OPT_OMIT, &c);
	check(r != FIDO_OK, "PIN given, none set: %s", fido_strerr(r));
	fido_cred_free(&c);
}

static void
test_require_pin(void)
{
	fido_assert_t *a;
	fido_cred_t *c, *c2;
	int r;

	scenario("require-pin", "pin=1234\nrequire_pin=1\n");
	check_r(make_cred("softfido:0", COSE_ES256, NULL, FIDO_OPT_OMIT, &c),
	    FIDO_ERR_PIN_REQUIRED, "make credential without PIN");
	fido_cred_free(&c);
	check_r(make_cred("softfido:0", COSE_ES256, "1234", FIDO_OPT_OMIT,
	    &c), FIDO_OK, "make credential with PIN");
	r = get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &a);
	check_r(r, FIDO_ERR_PIN_REQUIRED, "assertion without PIN");
	fido_assert_free(&a);
	r = get_assert("softfido:0", c, RP_ID, "1234", FIDO_OPT_OMIT, &a);
	fido_assert_set_uv(a, FIDO_OPT_TRUE);
	check(r == FIDO_OK && verify_assert(a, c) == FIDO_OK,
	    "assertion with PIN verifies with UV: %s", fido_strerr(r));
	fido_assert_free(&a);
	fido_cred_free(&c);

	set_config("require_pin=1\n");
	check_r(make_cred("softfido:0", COSE_EDDSA, NULL, FIDO_OPT_OMIT, &c2),
	    FIDO_ERR_PIN_REQUIRED, "require_pin, no PIN set, no PIN given");
	fido_cred_free(&c2);
}

/* A fresh scenario with one credential, then the fault configured. */
static fido_cred_t *
fault_setup(const char *name, const char *config, int alg, const char *pin)
{
	fido_cred_t *c;
	char text[256];

	scenario(name, config);
	if (make_cred("softfido:0", alg, pin, FIDO_OPT_OMIT, &c) != FIDO_OK) {
		check(0, "make credential before the fault");
		fido_cred_free(&c);
		return NULL;
	}
	snprintf(text, sizeof(text), "%sfault=%s\n", config, name);
	set_config(text);
	return c;
}

static void
test_fault_errors(const char *name, int want)
{
	fido_assert_t *a;
	fido_cred_t *c, *c2;
	char what[64];

	if ((c = fault_setup(name, "", COSE_ES256, NULL)) == NULL)
		return;
	snprintf(what, sizeof(what), "%s: make credential", name);
	check_r(make_cred("softfido:0", COSE_ES256, NULL, FIDO_OPT_OMIT, &c2),
	    want, what);
	fido_cred_free(&c2);
	snprintf(what, sizeof(what), "%s: get assertion", name);
	check_r(get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &a),
	    want, what);
	fido_assert_free(&a);
	fido_cred_free(&c);
}

static void
test_fault_disconnect(void)
{
	fido_assert_t *a;
	fido_cred_t *c, *c2;
	fido_dev_t *dev;
	char first[64];
	int r;

	scenario("disconnect", "devices=2\n");
	if (make_cred("softfido:0", COSE_ES256, NULL, FIDO_OPT_OMIT, &c) !=
	    FIDO_OK) {
		check(0, "make credential before the fault");
		fido_cred_free(&c);
		return;
	}
	set_config("devices=2\nfault=disconnect\nfault_device=0\n");
	check(manifest(first) == 2, "manifest lists 2 devices before");
	r = get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &a);
	check_r(r, FIDO_ERR_RX, "disconnect: get assertion");
	fido_assert_free(&a);
	check(state_exists(0, "removed"), "dev0/removed written");
	check(manifest(first) == 1 && strcmp(first, "softfido:1") == 0,
	    "manifest lists only softfido:1 (%s)", first);
	dev = dev_open("softfido:0", &r);
	check(dev == NULL, "open softfido:0 fails: %s", fido_strerr(r));
	dev_close(&dev);
	r = make_cred("softfido:1", COSE_ES256, NULL, FIDO_OPT_OMIT, &c2);
	check_r(r, FIDO_OK, "fault_device=0 leaves softfido:1 working");
	fido_cred_free(&c2);
	set_config("devices=2\nfault=disconnect\nfault_device=1\n");
	r = make_cred("softfido:1", COSE_ES256, NULL, FIDO_OPT_OMIT, &c2);
	check_r(r, FIDO_ERR_RX, "disconnect: make credential");
	fido_cred_free(&c2);
	check(manifest(first) == 0, "manifest now empty");
	fido_cred_free(&c);
}

static void
test_fault_bad_sig(int alg)
{
	fido_assert_t *a;
	fido_cred_t *c;
	int r;

	if ((c = fault_setup("bad-sig", "", alg, NULL)) == NULL)
		return;
	r = get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &a);
	check_r(r, FIDO_OK, "bad-sig: get assertion");
	check_r(verify_assert(a, c), FIDO_ERR_INVALID_SIG,
	    alg == COSE_ES256 ? "bad-sig es256: verify" :
	    "bad-sig eddsa: verify");
	fido_assert_free(&a);
	fido_cred_free(&c);
}

/* An assertion under `name'; returns its flags, or -1. */
static int
fault_assert(const char *name, const char *config, const char *pin,
    fido_assert_t **a, fido_cred_t **c)
{
	int r;

	*a = NULL;
	if ((*c = fault_setup(name, config, COSE_EDDSA, pin)) == NULL)
		return -1;
	r = get_assert("softfido:0", *c, RP_ID, pin, FIDO_OPT_OMIT, a);
	if (!check_r(r, FIDO_OK, "get assertion"))
		return -1;
	return fido_assert_flags(*a, 0);
}

static void
test_fault_flags(void)
{
	fido_assert_t *a;
	fido_cred_t *c;
	int f;

	f = fault_assert("no-up", "", NULL, &a, &c);
	check(f >= 0 && (f & FLAG_UP) == 0, "no-up: flags lack UP (0x%02x)",
	    f);
	check_r(verify_assert(a, c), FIDO_OK, "no-up: still correctly signed");
	fido_assert_set_up(a, FIDO_OPT_TRUE);
	check_r(verify_assert(a, c), FIDO_ERR_INVALID_PARAM,
	    "no-up: verify requiring UP");
	fido_assert_free(&a);
	fido_cred_free(&c);

	f = fault_assert("no-uv", "pin=1234\n", "1234", &a, &c);
	check(f >= 0 && (f & FLAG_UV) == 0 && (f & FLAG_UP),
	    "no-uv: right PIN, flags lack UV (0x%02x)", f);
	check_r(verify_assert(a, c), FIDO_OK, "no-uv: correctly signed");
	fido_assert_set_uv(a, FIDO_OPT_TRUE);
	check_r(verify_assert(a, c), FIDO_ERR_INVALID_PARAM,
	    "no-uv: verify requiring UV");
	fido_assert_free(&a);
	fido_cred_free(&c);

	f = fault_assert("ed", "", NULL, &a, &c);
	check(f >= 0 && (f & FLAG_ED), "ed: flags show ED (0x%02x)", f);
	check_r(verify_assert(a, c), FIDO_OK, "ed: verify");
	fido_assert_free(&a);
	fido_cred_free(&c);

	f = fault_assert("at", "", NULL, &a, &c);
	check(f >= 0 && (f & FLAG_AT), "at: flags show AT (0x%02x)", f);
	check_r(verify_assert(a, c), FIDO_OK, "at: verify");
	fido_assert_free(&a);
	fido_cred_free(&c);
}

static void
test_fault_counter_zero(void)
{
	fido_assert_t *a, *b;
	fido_cred_t *c, *c2;
	int r;

	if ((c = fault_setup("counter-zero", "", COSE_ES256, NULL)) == NULL)
		return;
	r = make_cred("softfido:0", COSE_ES256, NULL, FIDO_OPT_OMIT, &c2);
	check(r == FIDO_OK && fido_cred_sigcount(c2) == 0,
	    "counter-zero: credential counter 0 (%u)", fido_cred_sigcount(c2));
	fido_cred_free(&c2);
	r = get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &a);
	(void)get_assert("softfido:0", c, RP_ID, NULL, FIDO_OPT_OMIT, &b);
	check(r == FIDO_OK && fido_assert_sigcount(a, 0) == 0 &&
	    fido_assert_sigcount(b, 0) == 0,
	    "counter-zero: two assertions count 0, 0 (%u, %u)",
	    fido_assert_sigcount(a, 0), fido_assert_sigcount(b, 0));
	check_r(verify_assert(b, c), FIDO_OK, "counter-zero: verify");
	fido_assert_free(&a);
	fido_assert_free(&b);
	fido_cred_free(&c);
}

static void
test_faults(void)
{
	fido_assert_t *a;
	fido_cred_t *c, *c2;

	test_fault_errors("deny-up", FIDO_ERR_OPERATION_DENIED);
	test_fault_errors("timeout", FIDO_ERR_USER_ACTION_TIMEOUT);
	test_fault_disconnect();
	if ((c = fault_setup("lose-cred", "", COSE_ES256, NULL)) != NULL) {
		check_r(get_assert("softfido:0", c, RP_ID, NULL,
		    FIDO_OPT_OMIT, &a), FIDO_ERR_NO_CREDENTIALS,
		    "lose-cred: get assertion");
		fido_assert_free(&a);
		check_r(make_cred("softfido:0", COSE_ES256, NULL,
		    FIDO_OPT_OMIT, &c2), FIDO_OK,
		    "lose-cred: make credential still works");
		fido_cred_free(&c2);
		fido_cred_free(&c);
	}
	test_fault_bad_sig(COSE_ES256);
	test_fault_bad_sig(COSE_EDDSA);
	test_fault_flags();
	test_fault_counter_zero();
}

/* fido_dev_new_with_info + fido_dev_open_with_info: message transport. */
static void
test_with_info(void)
{
	unsigned char cdh[32];
	fido_dev_info_t *di;
	fido_assert_t *a;
	fido_cred_t *c;
	fido_dev_t *dev = NULL;
	size_t n = 0;
	int r;

	scenario("with-info", "");
	if (make_cred("softfido:0", COSE_EDDSA, NULL, FIDO_OPT_OMIT, &c) !=
	    FIDO_OK) {
		check(0, "make credential");
		fido_cred_free(&c);
		return;
	}
	di = fido_dev_info_new(4);
	if (fido_dev_info_manifest(di, 4, &n) == FIDO_OK && n == 1)
		dev = fido_dev_new_with_info(fido_dev_info_ptr(di, 0));
	r = dev ? fido_dev_open_with_info(dev) : FIDO_ERR_INTERNAL;
	check_r(r, FIDO_OK, "fido_dev_open_with_info");
	a = fido_assert_new();
	RAND_bytes(cdh, sizeof(cdh));
	fido_assert_set_rp(a, RP_ID);
	fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh));
	fido_assert_allow_cred(a, fido_cred_id_ptr(c), fido_cred_id_len(c));
	if (r == FIDO_OK)
		r = fido_dev_get_assert(dev, a, NULL);
	check(r == FIDO_OK && verify_assert(a, c) == FIDO_OK,
	    "assertion over the transport functions: %s", fido_strerr(r));
	if (dev != NULL) {
		fido_dev_close(dev);
		fido_dev_free(&dev);
	}
	fido_assert_free(&a);
	fido_dev_info_free(&di, 4);
	fido_cred_free(&c);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(base_dir, sizeof(base_dir), "%s/softfido.XXXXXX",
	    tmp ? tmp : "/tmp");
	if (mkdtemp(base_dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}

	test_manifest();
	test_info();		/* fido_init(0), then DISABLE_U2F_FALLBACK */
	scenario("self", "devices=2\n");
	for (int alg = COSE_ES256; alg >= COSE_EDDSA; alg--) {
		printf("-- %s\n", alg_name(alg));
		test_cred_self(alg);
		test_assert(alg);
	}
	test_resident();
	test_cred_x5c();
	test_algs();
	test_pin();
	test_require_pin();
	test_faults();
	test_with_info();

	if (getenv("SOFTFIDO_KEEP") == NULL)
		(void)nftw(base_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	else
		printf("kept %s\n", base_dir);
	printf("%d checks, %d failed\n", nchecks, nfailed);
	return nfailed ? 1 : 0;
}
