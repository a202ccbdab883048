/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Crypto adaptation layer, libsodium half: guarded memory, randomness,
 * constant-time comparison, base64, hex, Ed25519, Argon2id and
 * XChaCha20-Poly1305.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

attest_err_t
attest_sodium_init(void)
{
	return sodium_init() < 0 ? ATTEST_ERR_CRYPTO : ATTEST_OK;
}

void *
attest_secure_alloc(size_t len)
{
	void *p;

	/* before sodium_init(), sodium_malloc() aborts the process */
	if (!attest_initialised())
		return NULL;
	if ((p = sodium_malloc(len == 0 ? 1 : len)) != NULL)
		sodium_memzero(p, len == 0 ? 1 : len);
	return p;
}

void
attest_secure_free(void *ptr)
{
	sodium_free(ptr);	/* wipes; NULL-safe */
}

void
attest_wipe(void *ptr, size_t len)
{
	if (ptr != NULL && len > 0)
		sodium_memzero(ptr, len);
}

void
attest_random(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

int
attest_ct_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

attest_err_t
attest_b64_encode_alloc(const unsigned char *ptr, size_t len, char **out,
    size_t *out_len)
{
	size_t n;

	*out = NULL;
	*out_len = 0;
	if (len > SIZE_MAX / 4 - 4)
		return ATTEST_ERR_TOO_LARGE;
	n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	if ((*out = malloc(n)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	sodium_bin2base64(*out, n, ptr, len, sodium_base64_VARIANT_ORIGINAL);
	*out_len = n - 1;
	return ATTEST_OK;
}

static attest_err_t
b64_decode(const char *s, size_t slen, unsigned char **out, size_t *out_len,
    int secure)
{
	unsigned char *buf;
	size_t cap, n;
	const char *end;

	*out = NULL;
	*out_len = 0;
	if (slen % 4 != 0)
		return ATTEST_ERR_PARSE;
	cap = slen / 4 * 3 + 1;
	buf = secure ? attest_secure_alloc(cap) : malloc(cap);
	if (buf == NULL)
		return ATTEST_ERR_NO_MEMORY;
	/* standard first, then URL-safe: DSSE verifiers accept both */
	if (sodium_base642bin(buf, cap, s, slen, NULL, &n, &end,
	    sodium_base64_VARIANT_ORIGINAL) == 0 && end == s + slen)
		goto ok;
	if (sodium_base642bin(buf, cap, s, slen, NULL, &n, &end,
	    sodium_base64_VARIANT_URLSAFE) == 0 && end == s + slen)
		goto ok;
	if (secure)
		attest_secure_free(buf);
	else
		free(buf);
	return ATTEST_ERR_PARSE;
ok:
	*out = buf;
	*out_len = n;
	return ATTEST_OK;
}

attest_err_t
attest_b64_decode_secure(const char *s, size_t slen, unsigned char **out,
    size_t *out_len)
{
	/* libsodium's decoder is constant-time: right for key material */
	return b64_decode(s, slen, out, out_len, 1);
}

void
attest_hex_encode(char *out, const unsigned char *ptr, size_t len)
{
	sodium_bin2hex(out, 2 * len + 1, ptr, len);
}

int
attest_is_lower_hex(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len % 2 != 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

attest_err_t
attest_ed25519_keypair(unsigned char pk[32], unsigned char sk[64])
{
	return crypto_sign_keypair(pk, sk) == 0 ? ATTEST_OK :
	    ATTEST_ERR_CRYPTO;
}

attest_err_t
attest_ed25519_seed_keypair(unsigned char pk[32], unsigned char sk[64],
    const unsigned char seed[32])
{
	return crypto_sign_seed_keypair(pk, sk, seed) == 0 ? ATTEST_OK :
	    ATTEST_ERR_CRYPTO;
}

attest_err_t
attest_ed25519_sign(unsigned char sig[64], const unsigned char *m,
    size_t mlen, const unsigned char sk[64])
{
	return crypto_sign_detached(sig, NULL, m, mlen, sk) == 0 ?
	    ATTEST_OK : ATTEST_ERR_CRYPTO;
}

attest_err_t
attest_ed25519_verify(const unsigned char *sig, size_t siglen,
    const unsigned char *m, size_t mlen, const unsigned char pk[32])
{
	if (siglen != crypto_sign_BYTES)
		return ATTEST_ERR_VERIFY;
	/*
	 * libsodium refuses a non-canonical S (S >= L), a small-order R or
	 * A, and a non-canonical A: the checks OpenSSL 3.0 lacks.
	 */
	return crypto_sign_verify_detached(sig, m, mlen, pk) == 0 ?
	    ATTEST_OK : ATTEST_ERR_VERIFY;
}

int
attest_ed25519_pk_ok(const unsigned char pk[32])
{
	/* on the curve, canonical, in the main subgroup, not small order */
	return crypto_core_ed25519_is_valid_point(pk) == 1;
}

attest_err_t
attest_kdf_check(unsigned long long ops, unsigned long long mem)
{
	if (ops < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
	    mem < crypto_pwhash_argon2id_MEMLIMIT_MIN)
		return ATTEST_ERR_PARSE;
	if (ops > ATTEST_MAX_KDF_OPSLIMIT || mem > ATTEST_MAX_KDF_MEMLIMIT)
		return ATTEST_ERR_TOO_LARGE;
	return ATTEST_OK;
}

attest_err_t
attest_kdf_argon2id(unsigned char key[32], const char *pass, size_t pass_len,
    const unsigned char salt[16], unsigned long long ops, size_t mem)
{
	attest_err_t r;

	if ((r = attest_kdf_check(ops, mem)) != ATTEST_OK)
		return r;
	if (crypto_pwhash(key, ATTEST_AEAD_KEY, pass, pass_len, salt, ops, mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return ATTEST_ERR_NO_MEMORY;	/* the only way it fails */
	return ATTEST_OK;
}

attest_err_t
attest_aead_encrypt(unsigned char *c, const unsigned char *m, size_t mlen,
    const unsigned char *ad, size_t adlen, const unsigned char nonce[24],
    const unsigned char key[32])
{
	return crypto_aead_xchacha20poly1305_ietf_encrypt(c, NULL, m, mlen, ad,
	    adlen, NULL, nonce, key) == 0 ? ATTEST_OK : ATTEST_ERR_CRYPTO;
}

attest_err_t
attest_aead_decrypt(unsigned char *m, const unsigned char *c, size_t clen,
    const unsigned char *ad, size_t adlen, const unsigned char nonce[24],
    const unsigned char key[32])
{
	if (clen < ATTEST_AEAD_TAG)
		return ATTEST_ERR_PARSE;
	return crypto_aead_xchacha20poly1305_ietf_decrypt(m, NULL, NULL, c,
	    clen, ad, adlen, nonce, key) == 0 ? ATTEST_OK :
	    ATTEST_ERR_PASSPHRASE;
}
