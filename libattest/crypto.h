/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one door to libsodium and OpenSSL (as t_cose_crypto.h is for
 * t_cose).  Only crypto_sodium.c and crypto_ossl.c include their headers.
 */
#ifndef ATTEST_CRYPTO_H
#define ATTEST_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "attest_int.h"

struct evp_pkey_st;		/* OpenSSL EVP_PKEY, opaque here */

/* crypto_sodium.c ------------------------------------------------------ */

attest_err_t attest_sodium_init(void);
void attest_random(void *buf, size_t len);
/* Constant-time equality of two buffers of the same length. */
int attest_ct_equal(const void *a, const void *b, size_t len);

/* Standard padded base64, NUL-terminated; free with free(). */
attest_err_t attest_b64_encode_alloc(const unsigned char *ptr, size_t len,
    char **out, size_t *out_len);
/* Same, into guarded memory (free with attest_secure_free), with
 * libsodium's constant-time decoder: for secrets. */
attest_err_t attest_b64_decode_secure(const char *s, size_t slen,
    unsigned char **out, size_t *out_len);
/* One-shot SHA-256 of small inputs. */
attest_err_t attest_sha256(unsigned char out[32], const unsigned char *ptr,
    size_t len);
/* Lowercase hex into out (2*len+1 bytes). */
void attest_hex_encode(char *out, const unsigned char *ptr, size_t len);
/* Is s exactly lowercase hex (even length)? */
int attest_is_lower_hex(const char *s, size_t len);

#define ATTEST_ED25519_PK	32
#define ATTEST_ED25519_SK	64	/* seed || pk, libsodium's form */
#define ATTEST_ED25519_SEED	32
#define ATTEST_ED25519_SIG	64
attest_err_t attest_ed25519_keypair(unsigned char pk[32], unsigned char sk[64]);
attest_err_t attest_ed25519_seed_keypair(unsigned char pk[32],
    unsigned char sk[64], const unsigned char seed[32]);
attest_err_t attest_ed25519_sign(unsigned char sig[64], const unsigned char *m,
    size_t mlen, const unsigned char sk[64]);
attest_err_t attest_ed25519_verify(const unsigned char *sig, size_t siglen,
    const unsigned char *m, size_t mlen, const unsigned char pk[32]);
/* A public key libsodium will use: canonical, not of small order. */
int attest_ed25519_pk_ok(const unsigned char pk[32]);

/* Argon2id13 key derivation, and XChaCha20-Poly1305-IETF. */
#define ATTEST_KDF_SALT		16
#define ATTEST_AEAD_KEY		32
#define ATTEST_AEAD_NONCE	24
#define ATTEST_AEAD_TAG		16
#define ATTEST_KDF_OPS_DEFAULT	3ULL
#define ATTEST_KDF_MEM_DEFAULT	((size_t)64 * 1024 * 1024)
attest_err_t attest_kdf_argon2id(unsigned char key[32], const char *pass,
    size_t pass_len, const unsigned char salt[16], unsigned long long ops,
    size_t mem);
attest_err_t attest_kdf_check(unsigned long long ops, unsigned long long mem);
attest_err_t attest_aead_encrypt(unsigned char *c, const unsigned char *m,
    size_t mlen, const unsigned char *ad, size_t adlen,
    const unsigned char nonce[24], const unsigned char key[32]);
attest_err_t attest_aead_decrypt(unsigned char *m, const unsigned char *c,
    size_t clen, const unsigned char *ad, size_t adlen,
    const unsigned char nonce[24], const unsigned char key[32]);

/* crypto_ossl.c -------------------------------------------------------- */

attest_err_t attest_ossl_init(void);

/*
 * Standard or URL-safe padded base64, canonical only (no stray bits, no
 * white space, no mixed alphabets); free with free().  OpenSSL's
 * table-driven decoder: for public data (payloads, signatures), where it
 * is several times faster than the constant-time one.
 */
attest_err_t attest_b64_decode_alloc(const char *s, size_t slen,
    unsigned char **out, size_t *out_len);


/* Streaming digest, one algorithm bit (ATTEST_DIGEST_*). */
struct attest_md;
struct attest_md *attest_md_new(unsigned int alg);
attest_err_t attest_md_update(struct attest_md *m, const unsigned char *p,
    size_t len);
attest_err_t attest_md_final(struct attest_md *m, unsigned char *out,
    size_t *out_len);
void attest_md_free(struct attest_md *m);

/*
 * Parse DER SubjectPublicKeyInfo, canonical DER only.  Sets the
 * algorithm, and either *pkey (EC, RSA) or ed[32] (Ed25519).
 */
attest_err_t attest_ossl_spki_parse(const unsigned char *der, size_t len,
    attest_alg_t *alg, struct evp_pkey_st **pkey, unsigned char ed[32],
    attest_diag_t *diag);
/* Decode the first PEM block with the given label into DER. */
attest_err_t attest_ossl_pem_decode(const unsigned char *pem, size_t len,
    const char *label, unsigned char **der, size_t *der_len,
    attest_diag_t *diag);
attest_err_t attest_ossl_pem_encode(const char *label,
    const unsigned char *der, size_t der_len, unsigned char **out,
    size_t *out_len);
/* DER SPKI of a key (pkey) or of a raw Ed25519 public key (ed). */
attest_err_t attest_ossl_spki_encode(const struct evp_pkey_st *pkey,
    const unsigned char *ed, unsigned char **der, size_t *der_len);
void attest_ossl_pkey_free(struct evp_pkey_st *pkey);
int attest_ossl_pkey_up_ref(struct evp_pkey_st *pkey);

attest_err_t attest_ossl_verify(const struct evp_pkey_st *pkey,
    attest_alg_t alg, const unsigned char *msg, size_t msg_len,
    const unsigned char *sig, size_t sig_len);
attest_err_t attest_ossl_generate(attest_alg_t alg, struct evp_pkey_st **out);
attest_err_t attest_ossl_sign(struct evp_pkey_st *pkey, attest_alg_t alg,
    const unsigned char *msg, size_t msg_len, unsigned char *sig,
    size_t sig_size, size_t *sig_len);
/* Maximum signature size of a key. */
size_t attest_ossl_sig_size(const struct evp_pkey_st *pkey);

/*
 * Private keys as PKCS#8 DER.  Parse: Ed25519 comes back as its seed in
 * guarded memory (*seed, 32 bytes, attest_secure_free), others as *pkey.
 */
attest_err_t attest_ossl_pkcs8_parse(const unsigned char *der, size_t len,
    attest_alg_t *alg, struct evp_pkey_st **pkey, unsigned char **seed,
    attest_diag_t *diag);
/* Encode into guarded memory (attest_secure_free). */
attest_err_t attest_ossl_pkcs8_encode(const struct evp_pkey_st *pkey,
    const unsigned char *ed_seed, unsigned char **der, size_t *der_len);
/* Decrypt/decode a PEM PKCS#8 key, with an optional passphrase. */
attest_err_t attest_ossl_import_pem(const unsigned char *pem, size_t len,
    const char *pass, size_t pass_len, int *needs_pass,
    unsigned char **der, size_t *der_len, attest_diag_t *diag);

/* ECDSA: raw r||s (2*n bytes) to DER; DER to raw r||s. */
attest_err_t attest_ossl_ecdsa_raw_to_der(const unsigned char *raw,
    size_t raw_len, unsigned char **der, size_t *der_len);
attest_err_t attest_ossl_ecdsa_der_to_raw(const unsigned char *der,
    size_t der_len, size_t n, unsigned char *raw);

/* PKCS#11 support: host-side hashing, CKA_EC_PARAMS, SPKI from parts. */
attest_err_t attest_ossl_hash_for(attest_alg_t alg, const unsigned char *msg,
    size_t msg_len, unsigned char *out, size_t *out_len);
attest_err_t attest_ossl_ec_params_alg(const unsigned char *der, size_t len,
    attest_alg_t *alg);
attest_err_t attest_ossl_ec_params_der(attest_alg_t alg, unsigned char *out,
    size_t size, size_t *out_len);
attest_err_t attest_ossl_spki_from_point(attest_alg_t alg,
    const unsigned char *pt, size_t pt_len, unsigned char **der,
    size_t *der_len);
attest_err_t attest_ossl_spki_from_rsa(const unsigned char *n, size_t n_len,
    const unsigned char *e, size_t e_len, unsigned char **der,
    size_t *der_len);

/*
 * FIDO attestation: check a DER leaf certificate (version 3, not a CA, its
 * AAGUID extension, when present, equal to aaguid) and its chain to the
 * PEM roots in the file roots; the subject and issuer as one-line text.
 * ATTEST_ERR_POLICY when the certificate is not acceptable.
 */
attest_err_t attest_ossl_fido_cert_check(const unsigned char *leaf,
    size_t leaf_len, const char *roots, const unsigned char aaguid[16],
    char *model, size_t model_size, char *issuer, size_t issuer_size,
    attest_diag_t *diag);

#endif /* ATTEST_CRYPTO_H */
