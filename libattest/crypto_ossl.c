/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Crypto adaptation layer, OpenSSL 3 half: digests, public key parsing,
 * ECDSA and RSA-PSS, PKCS#8 private keys, PEM.
 */
#include <openssl/asn1t.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <limits.h>
#include <string.h>

#include "crypto.h"

static size_t ec_order_len(attest_alg_t);

/* Secure heap for OpenSSL's private key BIGNUMs (mlock'd, guarded). */
#define OSSL_SECURE_HEAP	(64 * 1024)
#define OSSL_SECURE_MIN		32

/*
 * SHA-256 fetched once (attest_init), so that the one-shot digests of
 * payloads and key ids (thousands per second in a chain verification)
 * neither fetch an implementation each time nor leave the CPU's SHA
 * instructions unused, as a portable implementation would.
 */
static EVP_MD *sha256_md;

attest_err_t
attest_ossl_init(void)
{
	if (!CRYPTO_secure_malloc_initialized())
		(void)CRYPTO_secure_malloc_init(OSSL_SECURE_HEAP,
		    OSSL_SECURE_MIN);	/* best effort: RLIMIT_MEMLOCK */
	if (sha256_md == NULL)
		sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	return ATTEST_OK;
}

attest_err_t
attest_sha256(unsigned char out[32], const unsigned char *ptr, size_t len)
{
	unsigned int n = 0;

	if (EVP_Digest(ptr, len, out, &n, sha256_md != NULL ? sha256_md :
	    EVP_sha256(), NULL) != 1 || n != 32)
		return ATTEST_ERR_CRYPTO;
	return ATTEST_OK;
}

/* Copy OpenSSL's output buffer into a malloc'd one the caller frees. */
static attest_err_t
copy_out(const unsigned char *src, long n, unsigned char **der,
    size_t *der_len)
{
	if (n <= 0)
		return ATTEST_ERR_CRYPTO;
	if ((*der = malloc((size_t)n)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	memcpy(*der, src, (size_t)n);
	*der_len = (size_t)n;
	return ATTEST_OK;
}

static const EVP_MD *
md_for(unsigned int alg)
{
	switch (alg) {
	case ATTEST_DIGEST_SHA256:
		return EVP_sha256();
	case ATTEST_DIGEST_SHA384:
		return EVP_sha384();
	case ATTEST_DIGEST_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

/* Which base64 alphabet a string uses: 0 bad, 1 standard, 2 URL-safe. */
static int
b64_alphabet(const char *s, size_t len, size_t *pad)
{
	size_t i, data;
	int std = 0, url = 0;
	char c;

	*pad = 0;
	if (len >= 1 && s[len - 1] == '=')
		*pad = (len >= 2 && s[len - 2] == '=') ? 2 : 1;
	data = len - *pad;
	for (i = 0; i < data; i++) {
		c = s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (c == '+' || c == '/')
			std = 1;
		else if (c == '-' || c == '_')
			url = 1;
		else
			return 0;	/* '=' inside, white space, ... */
	}
	if (std && url)
		return 0;
	return url ? 2 : 1;
}

attest_err_t
attest_b64_decode_alloc(const char *s, size_t slen, unsigned char **out,
    size_t *out_len)
{
	unsigned char *buf = NULL, *re = NULL;
	char *norm = NULL;
	const char *in = s;
	size_t pad, i, cap;
	int kind, n;
	attest_err_t r = ATTEST_ERR_PARSE;

	*out = NULL;
	*out_len = 0;
	if (slen % 4 != 0 || slen > INT_MAX)
		return ATTEST_ERR_PARSE;
	if ((kind = b64_alphabet(s, slen, &pad)) == 0)
		return ATTEST_ERR_PARSE;
	cap = slen / 4 * 3;
	if ((buf = malloc(cap + 1)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if (slen == 0)
		goto ok;
	if (kind == 2) {
		if ((norm = malloc(slen)) == NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto fail;
		}
		for (i = 0; i < slen; i++)
			norm[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
		in = norm;
	}
	if ((n = EVP_DecodeBlock(buf, (const unsigned char *)in,
	    (int)slen)) < 0 || (size_t)n != cap)
		goto fail;
	/* canonical: encoding the result again gives the same text */
	if ((re = malloc(slen + 1)) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	if (EVP_EncodeBlock(re, buf, (int)(cap - pad)) != (int)slen ||
	    memcmp(re, in, slen) != 0)
		goto fail;
ok:
	*out = buf;
	*out_len = cap - pad;
	buf = NULL;
	r = ATTEST_OK;
fail:
	free(buf);
	free(norm);
	free(re);
	return r;
}

struct attest_md {
	EVP_MD_CTX *ctx;
};

struct attest_md *
attest_md_new(unsigned int alg)
{
	struct attest_md *m;
	const EVP_MD *md;

	if ((md = md_for(alg)) == NULL)
		return NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(m->ctx, md, NULL) != 1) {
		attest_md_free(m);
		return NULL;
	}
	return m;
}

attest_err_t
attest_md_update(struct attest_md *m, const unsigned char *p, size_t len)
{
	return EVP_DigestUpdate(m->ctx, p, len) == 1 ? ATTEST_OK :
	    ATTEST_ERR_CRYPTO;
}

attest_err_t
attest_md_final(struct attest_md *m, unsigned char *out, size_t *out_len)
{
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(m->ctx, out, &n) != 1)
		return ATTEST_ERR_CRYPTO;
	*out_len = n;
	return ATTEST_OK;
}

void
attest_md_free(struct attest_md *m)
{
	if (m == NULL)
		return;
	EVP_MD_CTX_free(m->ctx);
	free(m);
}

void
attest_ossl_pkey_free(struct evp_pkey_st *pkey)
{
	EVP_PKEY_free(pkey);
}

int
attest_ossl_pkey_up_ref(struct evp_pkey_st *pkey)
{
	return EVP_PKEY_up_ref(pkey);
}

/* Classify a key; RSA below 2048 bits and other curves are refused. */
static attest_err_t
classify(const EVP_PKEY *pkey, attest_alg_t *alg, attest_diag_t *diag)
{
	char group[64];
	size_t glen = 0;
	BIGNUM *e = NULL;
	int bits, ok;

	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_ED25519:
		*alg = ATTEST_ALG_ED25519;
		return ATTEST_OK;
	case EVP_PKEY_EC:
		if (EVP_PKEY_get_utf8_string_param(pkey,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
		    &glen) != 1)
			return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
			    NULL, -1, "EC key with explicit or unknown curve");
		if (strcmp(group, "prime256v1") == 0) {
			*alg = ATTEST_ALG_ECDSA_P256_SHA256;
			return ATTEST_OK;
		}
		if (strcmp(group, "secp384r1") == 0) {
			*alg = ATTEST_ALG_ECDSA_P384_SHA384;
			return ATTEST_OK;
		}
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, NULL, -1,
		    "EC curve %s is not supported (P-256, P-384)", group);
	case EVP_PKEY_RSA:	/* rsaEncryption; PSS-restricted refused */
		bits = EVP_PKEY_get_bits(pkey);
		if (bits < 2048 || bits > 8192)
			return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
			    NULL, -1, "RSA key of %d bits is not supported "
			    "(2048 to 8192 bits)", bits);
		/*
		 * The public exponent: odd and at least 65537 (an exponent of
		 * 1 makes every message its own signature; 3 invites the
		 * small-exponent attacks), at most 2^256 (FIPS 186-5 A.1.1).
		 */
		if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) !=
		    1)
			return ATTEST_ERR_CRYPTO;
		ok = BN_is_odd(e) && BN_num_bits(e) <= 256 &&
		    BN_cmp(e, BN_value_one()) > 0 &&
		    BN_num_bits(e) >= 17;	/* >= 65537 = 2^16 + 1 */
		BN_free(e);
		if (!ok)
			return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
			    NULL, -1, "RSA public exponent not accepted (an odd "
			    "number from 65537 to 2^256 is)");
		*alg = ATTEST_ALG_RSA_PSS_SHA256;
		return ATTEST_OK;
	}
	return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, NULL, -1,
	    "key type %s is not supported",
	    OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)));
}

/*
 * SubjectPublicKeyInfo as raw parts, through OpenSSL's ASN.1 templates:
 * cheap to parse and to re-encode (no provider decoder or encoder), for
 * the canonical-DER check and the Ed25519 fast path.
 */
typedef struct {
	X509_ALGOR		*alg;
	ASN1_BIT_STRING		*key;
} SPKI_RAW;

ASN1_SEQUENCE(SPKI_RAW) = {
	ASN1_SIMPLE(SPKI_RAW, alg, X509_ALGOR),
	ASN1_SIMPLE(SPKI_RAW, key, ASN1_BIT_STRING)
} static_ASN1_SEQUENCE_END(SPKI_RAW)

attest_err_t
attest_ossl_spki_parse(const unsigned char *der, size_t len,
    attest_alg_t *alg, EVP_PKEY **pkey, unsigned char ed[32],
    attest_diag_t *diag)
{
	const unsigned char *p = der;
	unsigned char *re = NULL;
	SPKI_RAW *raw = NULL;
	const ASN1_OBJECT *oid = NULL;
	int ptype = V_ASN1_UNDEF, relen;
	EVP_PKEY *k = NULL;
	attest_err_t r = ATTEST_ERR_PARSE;

	*pkey = NULL;
	if (len > ATTEST_MAX_KEYFILE_BYTES || len > LONG_MAX)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "public key too large");
	if ((raw = (SPKI_RAW *)ASN1_item_d2i(NULL, &p, (long)len,
	    ASN1_ITEM_rptr(SPKI_RAW))) == NULL || p != der + len) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "not a DER SubjectPublicKeyInfo");
		goto fail;
	}
	/* canonical DER only: one key, one encoding, one key id */
	if ((relen = ASN1_item_i2d((ASN1_VALUE *)raw, &re,
	    ASN1_ITEM_rptr(SPKI_RAW))) < 0 || (size_t)relen != len ||
	    memcmp(re, der, len) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "SubjectPublicKeyInfo is not canonical DER");
		goto fail;
	}
	X509_ALGOR_get0(&oid, &ptype, NULL, raw->alg);
	if (OBJ_obj2nid(oid) == NID_ED25519) {
		/* RFC 8410: no parameters, 32 bytes, no unused bits */
		if (ptype != V_ASN1_UNDEF || ASN1_STRING_length(raw->key) !=
		    32 || (raw->key->flags & ASN1_STRING_FLAG_BITS_LEFT &&
		    (raw->key->flags & 0x07) != 0)) {
			r = attest_diag_set(diag, ATTEST_ERR_KEY, NULL, -1,
			    "malformed Ed25519 public key");
			goto fail;
		}
		memcpy(ed, ASN1_STRING_get0_data(raw->key), 32);
		if (!attest_ed25519_pk_ok(ed)) {
			r = attest_diag_set(diag, ATTEST_ERR_KEY, NULL, -1,
			    "Ed25519 public key is of small order or not "
			    "canonical");
			goto fail;
		}
		*alg = ATTEST_ALG_ED25519;
		r = ATTEST_OK;
		goto fail;
	}
	p = der;
	if ((k = d2i_PUBKEY(NULL, &p, (long)len)) == NULL || p != der + len) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "not a usable SubjectPublicKeyInfo");
		goto fail;
	}
	if ((r = classify(k, alg, diag)) != ATTEST_OK)
		goto fail;
	/*
	 * One key, one encoding: a compressed point is the same key under
	 * another key id, and could count twice towards a threshold.
	 */
	if (ec_order_len(*alg) != 0 && ptype != V_ASN1_OBJECT) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, NULL, -1,
		    "EC public key must name its curve (explicit "
		    "parameters refused)");
		goto fail;
	}
	if (ec_order_len(*alg) != 0 && (ASN1_STRING_length(raw->key) !=
	    1 + 2 * (int)ec_order_len(*alg) ||
	    ASN1_STRING_get0_data(raw->key)[0] != 0x04)) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, NULL, -1,
		    "EC public key must be an uncompressed point");
		goto fail;
	}
	*pkey = k;
	k = NULL;
	r = ATTEST_OK;
fail:
	OPENSSL_free(re);
	ASN1_item_free((ASN1_VALUE *)raw, ASN1_ITEM_rptr(SPKI_RAW));
	EVP_PKEY_free(k);
	ERR_clear_error();
	return r;
}

attest_err_t
attest_ossl_pem_decode(const unsigned char *pem, size_t len,
    const char *label, unsigned char **der, size_t *der_len,
    attest_diag_t *diag)
{
	BIO *bio = NULL;
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	long dlen = 0;
	char rest[1];
	attest_err_t r = ATTEST_ERR_PARSE;

	*der = NULL;
	*der_len = 0;
	if (len > INT_MAX)
		return ATTEST_ERR_TOO_LARGE;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if (PEM_read_bio(bio, &name, &header, &data, &dlen) != 1) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "no PEM \"%s\" block", label);
		goto fail;
	}
	if (strcmp(name, label) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "PEM block is \"%s\", expected \"%s\"", name, label);
		goto fail;
	}
	if (header != NULL && header[0] != '\0') {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "PEM headers are not allowed");
		goto fail;
	}
	/* nothing but white space may follow the block */
	while (BIO_read(bio, rest, 1) == 1)
		if (rest[0] != '\n' && rest[0] != '\r' && rest[0] != ' ' &&
		    rest[0] != '\t') {
			r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
			    "trailing data after the PEM block");
			goto fail;
		}
	if (dlen <= 0) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "empty PEM block");
		goto fail;
	}
	r = copy_out(data, dlen, der, der_len);
fail:
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_clear_free(data, dlen > 0 ? (size_t)dlen : 0);
	BIO_free(bio);
	ERR_clear_error();
	return r;
}

attest_err_t
attest_ossl_pem_encode(const char *label, const unsigned char *der,
    size_t der_len, unsigned char **out, size_t *out_len)
{
	BIO *bio;
	BUF_MEM *mem = NULL;
	attest_err_t r = ATTEST_ERR_NO_MEMORY;

	*out = NULL;
	*out_len = 0;
	if (der_len > LONG_MAX)
		return ATTEST_ERR_TOO_LARGE;
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if (PEM_write_bio(bio, label, "", der, (long)der_len) <= 0)
		goto fail;
	BIO_get_mem_ptr(bio, &mem);
	if ((*out = malloc(mem->length + 1)) == NULL)
		goto fail;
	memcpy(*out, mem->data, mem->length);
	(*out)[mem->length] = '\0';
	*out_len = mem->length;
	r = ATTEST_OK;
fail:
	BIO_free(bio);
	return r;
}

attest_err_t
attest_ossl_spki_encode(const EVP_PKEY *pkey, const unsigned char *ed,
    unsigned char **der, size_t *der_len)
{
	EVP_PKEY *tmp = NULL;
	unsigned char *buf = NULL;
	int n;
	attest_err_t r = ATTEST_ERR_CRYPTO;

	*der = NULL;
	*der_len = 0;
	if (pkey == NULL) {
		if ((tmp = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL,
		    ed, 32)) == NULL)
			goto fail;
		pkey = tmp;
	}
	n = i2d_PUBKEY(pkey, &buf);
	r = copy_out(buf, n, der, der_len);
fail:
	OPENSSL_free(buf);
	EVP_PKEY_free(tmp);
	ERR_clear_error();
	return r;
}

static const EVP_MD *
md_for_alg(attest_alg_t alg)
{
	switch (alg) {
	case ATTEST_ALG_ECDSA_P256_SHA256:
	case ATTEST_ALG_RSA_PSS_SHA256:
		return EVP_sha256();
	case ATTEST_ALG_ECDSA_P384_SHA384:
		return EVP_sha384();
	default:
		return NULL;
	}
}

static size_t
ec_order_len(attest_alg_t alg)
{
	return alg == ATTEST_ALG_ECDSA_P256_SHA256 ? 32 :
	    alg == ATTEST_ALG_ECDSA_P384_SHA384 ? 48 : 0;
}

attest_err_t
attest_ossl_ecdsa_raw_to_der(const unsigned char *raw, size_t raw_len,
    unsigned char **der, size_t *der_len)
{
	ECDSA_SIG *sig = NULL;
	BIGNUM *br = NULL, *bs = NULL;
	unsigned char *buf = NULL;
	int n, ilen;
	attest_err_t r = ATTEST_ERR_NO_MEMORY;

	*der = NULL;
	*der_len = 0;
	if (raw_len == 0 || raw_len % 2 != 0 || raw_len > 2 * 66)
		return ATTEST_ERR_PARSE;
	ilen = (int)(raw_len / 2);
	if ((sig = ECDSA_SIG_new()) == NULL ||
	    (br = BN_bin2bn(raw, ilen, NULL)) == NULL ||
	    (bs = BN_bin2bn(raw + ilen, ilen, NULL)) == NULL)
		goto fail;
	if (ECDSA_SIG_set0(sig, br, bs) != 1)
		goto fail;
	br = bs = NULL;
	n = i2d_ECDSA_SIG(sig, &buf);
	r = copy_out(buf, n, der, der_len);
fail:
	BN_free(br);
	BN_free(bs);
	ECDSA_SIG_free(sig);
	OPENSSL_free(buf);
	return r;
}

attest_err_t
attest_ossl_ecdsa_der_to_raw(const unsigned char *der, size_t der_len,
    size_t n, unsigned char *raw)
{
	const unsigned char *p = der;
	ECDSA_SIG *sig;
	const BIGNUM *br, *bs;
	attest_err_t r = ATTEST_ERR_PARSE;

	if (der_len > LONG_MAX)
		return ATTEST_ERR_PARSE;
	if ((sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) == NULL)
		goto fail;
	if (p != der + der_len)
		goto fail;
	ECDSA_SIG_get0(sig, &br, &bs);
	if (n > INT_MAX || BN_bn2binpad(br, raw, (int)n) < 0 ||
	    BN_bn2binpad(bs, raw + n, (int)n) < 0)
		goto fail;
	r = ATTEST_OK;
fail:
	ECDSA_SIG_free(sig);
	ERR_clear_error();
	return r;
}

/* RSASSA-PSS with SHA-256, MGF1-SHA-256, salt = hash length. */
static int
set_pss(EVP_PKEY_CTX *pctx)
{
	return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) ==
	    1 && EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
}

static attest_err_t
digest_verify(const EVP_PKEY *pkey, attest_alg_t alg, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len)
{
	EVP_MD_CTX *ctx;
	EVP_PKEY_CTX *pctx = NULL;
	attest_err_t r = ATTEST_ERR_VERIFY;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	/* EVP_DigestVerifyInit takes a non-const key it does not change */
	if (EVP_DigestVerifyInit(ctx, &pctx, md_for_alg(alg), NULL,
	    (EVP_PKEY *)(uintptr_t)pkey) != 1) {
		r = ATTEST_ERR_CRYPTO;
		goto fail;
	}
	if (alg == ATTEST_ALG_RSA_PSS_SHA256 && !set_pss(pctx)) {
		r = ATTEST_ERR_CRYPTO;
		goto fail;
	}
	if (EVP_DigestVerify(ctx, sig, sig_len, msg, msg_len) == 1)
		r = ATTEST_OK;
fail:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return r;
}

attest_err_t
attest_ossl_verify(const EVP_PKEY *pkey, attest_alg_t alg,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len)
{
	unsigned char *der = NULL;
	size_t der_len = 0, n;
	attest_err_t r;

	if (pkey == NULL || md_for_alg(alg) == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (sig_len == 0 || sig_len > ATTEST_MAX_SIG_BYTES)
		return ATTEST_ERR_VERIFY;
	if ((n = ec_order_len(alg)) != 0 && sig_len == 2 * n) {
		/*
		 * Exactly 2n bytes: raw r||s (IEEE P1363), the form of the
		 * DSSE spec's own vector.  A DER signature of that length is
		 * possible but rare; it is tried if the raw reading fails.
		 */
		if ((r = attest_ossl_ecdsa_raw_to_der(sig, sig_len, &der,
		    &der_len)) != ATTEST_OK)
			return r == ATTEST_ERR_NO_MEMORY ? r :
			    ATTEST_ERR_VERIFY;
		r = digest_verify(pkey, alg, msg, msg_len, der, der_len);
		free(der);
		if (r != ATTEST_ERR_VERIFY || sig[0] != 0x30)
			return r;
	}
	/* RFC 8017 §8.1.2: the signature is exactly k octets */
	if (alg == ATTEST_ALG_RSA_PSS_SHA256 &&
	    sig_len != attest_ossl_sig_size(pkey))
		return ATTEST_ERR_VERIFY;
	/* DER: OpenSSL refuses any encoding but the canonical one */
	return digest_verify(pkey, alg, msg, msg_len, sig, sig_len);
}

attest_err_t
attest_ossl_generate(attest_alg_t alg, EVP_PKEY **out)
{
	*out = NULL;
	switch (alg) {
	case ATTEST_ALG_ECDSA_P256_SHA256:
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		break;
	case ATTEST_ALG_ECDSA_P384_SHA384:
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
		break;
	case ATTEST_ALG_RSA_PSS_SHA256:
		*out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
		break;
	default:
		return ATTEST_ERR_UNSUPPORTED;
	}
	ERR_clear_error();
	return *out == NULL ? ATTEST_ERR_CRYPTO : ATTEST_OK;
}

size_t
attest_ossl_sig_size(const EVP_PKEY *pkey)
{
	int n = EVP_PKEY_get_size(pkey);

	return n > 0 ? (size_t)n : 0;
}

attest_err_t
attest_ossl_sign(EVP_PKEY *pkey, attest_alg_t alg, const unsigned char *msg,
    size_t msg_len, unsigned char *sig, size_t sig_size, size_t *sig_len)
{
	EVP_MD_CTX *ctx;
	EVP_PKEY_CTX *pctx = NULL;
	size_t n = sig_size;
	attest_err_t r = ATTEST_ERR_CRYPTO;

	*sig_len = 0;
	if (md_for_alg(alg) == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if (EVP_DigestSignInit(ctx, &pctx, md_for_alg(alg), NULL, pkey) != 1)
		goto fail;
	if (alg == ATTEST_ALG_RSA_PSS_SHA256 && !set_pss(pctx))
		goto fail;
	if (EVP_DigestSign(ctx, sig, &n, msg, msg_len) != 1)
		goto fail;
	*sig_len = n;
	r = ATTEST_OK;
fail:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return r;
}

attest_err_t
attest_ossl_pkcs8_parse(const unsigned char *der, size_t len,
    attest_alg_t *alg, EVP_PKEY **pkey, unsigned char **seed,
    attest_diag_t *diag)
{
	const unsigned char *p = der;
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	EVP_PKEY *k = NULL;
	size_t slen = 32;
	attest_err_t r = ATTEST_ERR_PARSE;

	*pkey = NULL;
	*seed = NULL;
	if (len > LONG_MAX)
		return ATTEST_ERR_TOO_LARGE;
	if ((p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len)) == NULL ||
	    p != der + len || (k = EVP_PKCS82PKEY(p8)) == NULL) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "not a PKCS#8 private key");
		goto fail;
	}
	if ((r = classify(k, alg, diag)) != ATTEST_OK)
		goto fail;
	if (*alg == ATTEST_ALG_ED25519) {
		if ((*seed = attest_secure_alloc(32)) == NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto fail;
		}
		if (EVP_PKEY_get_raw_private_key(k, *seed, &slen) != 1 ||
		    slen != 32) {
			attest_secure_free(*seed);
			*seed = NULL;
			r = ATTEST_ERR_KEY;
			goto fail;
		}
	} else {
		*pkey = k;
		k = NULL;
	}
	r = ATTEST_OK;
fail:
	PKCS8_PRIV_KEY_INFO_free(p8);	/* clears the key octets */
	EVP_PKEY_free(k);
	ERR_clear_error();
	return r;
}

attest_err_t
attest_ossl_pkcs8_encode(const EVP_PKEY *pkey, const unsigned char *ed_seed,
    unsigned char **der, size_t *der_len)
{
	EVP_PKEY *tmp = NULL;
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	unsigned char *buf = NULL, *p;
	int n;
	attest_err_t r = ATTEST_ERR_CRYPTO;

	*der = NULL;
	*der_len = 0;
	if (pkey == NULL) {
		if ((tmp = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
		    ed_seed, 32)) == NULL)
			goto fail;
		pkey = tmp;
	}
	if ((p8 = EVP_PKEY2PKCS8(pkey)) == NULL ||
	    (n = i2d_PKCS8_PRIV_KEY_INFO(p8, NULL)) <= 0)
		goto fail;
	if ((buf = attest_secure_alloc((size_t)n)) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	p = buf;
	if (i2d_PKCS8_PRIV_KEY_INFO(p8, &p) != n) {
		attest_secure_free(buf);
		goto fail;
	}
	*der = buf;
	*der_len = (size_t)n;
	r = ATTEST_OK;
fail:
	PKCS8_PRIV_KEY_INFO_free(p8);
	EVP_PKEY_free(tmp);
	ERR_clear_error();
	return r;
}

struct pass_arg {
	const char	*pass;
	size_t		 len;
	int		 asked;
};

static int
pem_pass_cb(char *buf, int size, int rwflag, void *u)
{
	struct pass_arg *pa = u;

	(void)rwflag;
	pa->asked = 1;
	if (pa->pass == NULL || size < 0 || pa->len > (size_t)size)
		return -1;
	memcpy(buf, pa->pass, pa->len);
	return (int)pa->len;
}

attest_err_t
attest_ossl_import_pem(const unsigned char *pem, size_t len, const char *pass,
    size_t pass_len, int *needs_pass, unsigned char **der, size_t *der_len,
    attest_diag_t *diag)
{
	BIO *bio = NULL;
	EVP_PKEY *k = NULL;
	struct pass_arg pa = { pass, pass_len, 0 };
	attest_err_t r = ATTEST_ERR_PARSE;

	*der = NULL;
	*der_len = 0;
	*needs_pass = 0;
	if (len > INT_MAX)
		return ATTEST_ERR_TOO_LARGE;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	k = PEM_read_bio_PrivateKey(bio, NULL, pem_pass_cb, &pa);
	if (k == NULL) {
		if (pa.asked && pass == NULL) {
			*needs_pass = 1;
			r = ATTEST_ERR_PASSPHRASE;
		} else if (pa.asked)
			r = attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL,
			    -1, "wrong passphrase for the PKCS#8 key");
		else
			r = attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
			    "not a PEM PKCS#8 private key");
		goto fail;
	}
	r = attest_ossl_pkcs8_encode(k, NULL, der, der_len);
fail:
	EVP_PKEY_free(k);
	BIO_free(bio);
	ERR_clear_error();
	return r;
}

/* PKCS#11 helpers ------------------------------------------------------ */

attest_err_t
attest_ossl_hash_for(attest_alg_t alg, const unsigned char *msg,
    size_t msg_len, unsigned char *out, size_t *out_len)
{
	unsigned int n = 0;
	const EVP_MD *md = md_for_alg(alg);

	if (md == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (EVP_Digest(msg, msg_len, out, &n, md, NULL) != 1)
		return ATTEST_ERR_CRYPTO;
	*out_len = n;
	return ATTEST_OK;
}

attest_err_t
attest_ossl_ec_params_alg(const unsigned char *der, size_t len,
    attest_alg_t *alg)
{
	const unsigned char *p = der;
	ASN1_OBJECT *oid = NULL;
	ASN1_PRINTABLESTRING *ps = NULL;
	attest_err_t r = ATTEST_ERR_UNSUPPORTED;
	int nid;

	*alg = ATTEST_ALG_NONE;
	if (len == 0 || len > LONG_MAX)
		return ATTEST_ERR_PARSE;
	if (der[0] == V_ASN1_OBJECT) {
		if ((oid = d2i_ASN1_OBJECT(NULL, &p, (long)len)) == NULL ||
		    p != der + len) {
			r = ATTEST_ERR_PARSE;
			goto out;
		}
		nid = OBJ_obj2nid(oid);
		if (nid == NID_X9_62_prime256v1)
			*alg = ATTEST_ALG_ECDSA_P256_SHA256;
		else if (nid == NID_secp384r1)
			*alg = ATTEST_ALG_ECDSA_P384_SHA384;
		else if (nid == NID_ED25519)
			*alg = ATTEST_ALG_ED25519;
	} else if (der[0] == V_ASN1_PRINTABLESTRING) {
		/* the form OpenSC's pkcs11-tool writes for Ed25519 */
		if ((ps = d2i_ASN1_PRINTABLESTRING(NULL, &p, (long)len)) ==
		    NULL || p != der + len) {
			r = ATTEST_ERR_PARSE;
			goto out;
		}
		if (ASN1_STRING_length(ps) == 12 &&
		    memcmp(ASN1_STRING_get0_data(ps), "edwards25519", 12) == 0)
			*alg = ATTEST_ALG_ED25519;
	}
	if (*alg != ATTEST_ALG_NONE)
		r = ATTEST_OK;
out:
	ASN1_OBJECT_free(oid);
	ASN1_PRINTABLESTRING_free(ps);
	ERR_clear_error();
	return r;
}

attest_err_t
attest_ossl_ec_params_der(attest_alg_t alg, unsigned char *out, size_t size,
    size_t *out_len)
{
	unsigned char *p = out;
	const ASN1_OBJECT *oid;
	int nid, n;

	switch (alg) {
	case ATTEST_ALG_ECDSA_P256_SHA256:
		nid = NID_X9_62_prime256v1;
		break;
	case ATTEST_ALG_ECDSA_P384_SHA384:
		nid = NID_secp384r1;
		break;
	case ATTEST_ALG_ED25519:
		nid = NID_ED25519;
		break;
	default:
		return ATTEST_ERR_UNSUPPORTED;
	}
	if ((oid = OBJ_nid2obj(nid)) == NULL ||
	    (n = i2d_ASN1_OBJECT(oid, NULL)) <= 0 || (size_t)n > size ||
	    i2d_ASN1_OBJECT(oid, &p) != n)
		return ATTEST_ERR_CRYPTO;
	*out_len = (size_t)n;
	return ATTEST_OK;
}

attest_err_t
attest_ossl_spki_from_point(attest_alg_t alg, const unsigned char *pt,
    size_t pt_len, unsigned char **der, size_t *der_len)
{
	const unsigned char *p = pt;
	ASN1_OCTET_STRING *os = NULL;
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *k = NULL;
	const char *group;
	size_t want;
	attest_err_t r = ATTEST_ERR_KEY;

	*der = NULL;
	*der_len = 0;
	if (pt_len == 0 || pt_len > 1024)
		return ATTEST_ERR_KEY;
	want = alg == ATTEST_ALG_ED25519 ? 32 : 1 + 2 * ec_order_len(alg);
	/*
	 * CKA_EC_POINT is a DER OCTET STRING; some tokens (and libfido2)
	 * give it bare.  The length decides, not the first byte: a bare
	 * point 04 || X || Y whose X begins with the right byte also parses
	 * as DER.
	 */
	if (pt_len != want && pt[0] == V_ASN1_OCTET_STRING &&
	    (os = d2i_ASN1_OCTET_STRING(NULL, &p, (long)pt_len)) != NULL &&
	    p == pt + pt_len) {
		pt = ASN1_STRING_get0_data(os);
		pt_len = (size_t)ASN1_STRING_length(os);
	}
	if (alg == ATTEST_ALG_ED25519) {
		r = pt_len == 32 ? attest_ossl_spki_encode(NULL, pt, der,
		    der_len) : ATTEST_ERR_KEY;
		goto out;
	}
	group = alg == ATTEST_ALG_ECDSA_P256_SHA256 ? "P-256" :
	    alg == ATTEST_ALG_ECDSA_P384_SHA384 ? "P-384" : NULL;
	if (group == NULL || pt_len != 1 + 2 * ec_order_len(alg))
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)(uintptr_t)group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	    (void *)(uintptr_t)pt, pt_len);
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	r = attest_ossl_spki_encode(k, NULL, der, der_len);
out:
	EVP_PKEY_free(k);
	EVP_PKEY_CTX_free(ctx);
	ASN1_OCTET_STRING_free(os);
	ERR_clear_error();
	return r;
}

attest_err_t
attest_ossl_spki_from_rsa(const unsigned char *n, size_t n_len,
    const unsigned char *e, size_t e_len, unsigned char **der,
    size_t *der_len)
{
	BIGNUM *bn = NULL, *be = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *k = NULL;
	attest_err_t r = ATTEST_ERR_KEY;

	*der = NULL;
	*der_len = 0;
	if (n_len == 0 || n_len > 1024 || e_len == 0 || e_len > 16 ||
	    n_len > INT_MAX || e_len > INT_MAX)
		return ATTEST_ERR_KEY;
	if ((bn = BN_bin2bn(n, (int)n_len, NULL)) == NULL ||
	    (be = BN_bin2bn(e, (int)e_len, NULL)) == NULL ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	r = attest_ossl_spki_encode(k, NULL, der, der_len);
out:
	EVP_PKEY_free(k);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	BN_free(be);
	ERR_clear_error();
	return r;
}

/* FIDO attestation certificates ----------------------------------------- */

/* id-fido-gen-ce-aaguid (FIDO Alliance, WebAuthn §8.2.1) */
#define OID_FIDO_AAGUID	"1.3.6.1.4.1.45724.1.1.4"

static void
name_text(const X509_NAME *n, char *buf, size_t size)
{
	BIO *b;
	long len;
	char *p = NULL;

	buf[0] = '\0';
	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB)
	    >= 0 && (len = BIO_get_mem_data(b, &p)) > 0 && p != NULL) {
		if ((size_t)len >= size)
			len = (long)size - 1;
		memcpy(buf, p, (size_t)len);
		buf[len] = '\0';
	}
	BIO_free(b);
}

/* The AAGUID extension of a leaf, if any: 1 found, 0 absent, -1 bad. */
static int
cert_aaguid(X509 *x, unsigned char out[16])
{
	ASN1_OBJECT *obj;
	X509_EXTENSION *ext;
	const ASN1_OCTET_STRING *os;
	ASN1_OCTET_STRING *inner = NULL;
	const unsigned char *p;
	int i, ret = -1;

	if ((obj = OBJ_txt2obj(OID_FIDO_AAGUID, 1)) == NULL)
		return -1;
	if ((i = X509_get_ext_by_OBJ(x, obj, -1)) < 0) {
		ASN1_OBJECT_free(obj);
		return 0;
	}
	ASN1_OBJECT_free(obj);
	if ((ext = X509_get_ext(x, i)) == NULL ||
	    X509_EXTENSION_get_critical(ext) ||
	    (os = X509_EXTENSION_get_data(ext)) == NULL)
		return -1;
	p = ASN1_STRING_get0_data(os);
	if ((inner = d2i_ASN1_OCTET_STRING(NULL, &p,
	    ASN1_STRING_length(os))) != NULL &&
	    p == ASN1_STRING_get0_data(os) + ASN1_STRING_length(os) &&
	    ASN1_STRING_length(inner) == 16) {
		memcpy(out, ASN1_STRING_get0_data(inner), 16);
		ret = 1;
	}
	ASN1_OCTET_STRING_free(inner);
	return ret;
}

attest_err_t
attest_ossl_fido_cert_check(const unsigned char *leaf, size_t leaf_len,
    const char *roots, const unsigned char aaguid[16], char *model,
    size_t model_size, char *issuer, size_t issuer_size, attest_diag_t *diag)
{
	const unsigned char *p = leaf;
	X509 *x = NULL;
	X509_STORE *st = NULL;
	X509_STORE_CTX *ctx = NULL;
	unsigned char ext[16];
	int rc, bc;
	attest_err_t r = ATTEST_ERR_POLICY;

	model[0] = issuer[0] = '\0';
	if (leaf_len > LONG_MAX ||
	    (x = d2i_X509(NULL, &p, (long)leaf_len)) == NULL ||
	    p != leaf + leaf_len) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "x5c", -1,
		    "not one DER X.509 certificate");
		goto out;
	}
	name_text(X509_get_subject_name(x), model, model_size);
	name_text(X509_get_issuer_name(x), issuer, issuer_size);
	/* WebAuthn §8.2.1: version 3, not a CA, AAGUID extension matches */
	bc = X509_get_extension_flags(x) & EXFLAG_CA;
	if (X509_get_version(x) != 2 || bc) {
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, "x5c", -1,
		    "the attestation certificate is not a version 3 end-entity "
		    "certificate");
		goto out;
	}
	if ((rc = cert_aaguid(x, ext)) < 0 ||
	    (rc == 1 && memcmp(ext, aaguid, 16) != 0)) {
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, "x5c", -1,
		    "the certificate's AAGUID extension (%s) does not match "
		    "the credential's AAGUID", rc < 0 ? "malformed" :
		    "another authenticator model");
		goto out;
	}
	if ((st = X509_STORE_new()) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto out;
	}
	if (X509_STORE_load_file(st, roots) != 1) {
		r = attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "%s: cannot load the attestation roots (PEM certificates)",
		    roots);
		goto out;
	}
	/*
	 * An attestation certificate vouches for how a key was made, once:
	 * its validity period says nothing about a signature checked ten
	 * years later, so time is not checked.  A root file may hold an
	 * intermediate CA as the anchor (partial chain).
	 */
	if (X509_STORE_CTX_init(ctx, st, x, NULL) != 1) {
		r = ATTEST_ERR_CRYPTO;
		goto out;
	}
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME |
	    X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_X509_STRICT);
	if (X509_verify_cert(ctx) != 1) {
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, "x5c", -1,
		    "the attestation certificate (%s) does not chain to the "
		    "given roots: %s", model, X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
		goto out;
	}
	r = ATTEST_OK;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	X509_free(x);
	ERR_clear_error();
	return r;
}
