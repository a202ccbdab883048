/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest: keys.
 *
 * Algorithms, public keys (PEM SubjectPublicKeyInfo, key id = lowercase
 * hex SHA-256 of the DER SPKI), sets of trusted keys, software private
 * keys (generated, imported from PKCS#8 PEM, stored encrypted at rest as
 * specs/keyfile.md describes), and the signer interface that every key
 * backend sits behind.
 */
#ifndef ATTEST_KEY_H
#define ATTEST_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attest_alg {
	ATTEST_ALG_NONE = 0,
	ATTEST_ALG_ED25519 = 1,			/* "ed25519" */
	ATTEST_ALG_ECDSA_P256_SHA256 = 2,	/* "ecdsa-p256-sha256" */
	ATTEST_ALG_ECDSA_P384_SHA384 = 3,	/* "ecdsa-p384-sha384" */
	ATTEST_ALG_RSA_PSS_SHA256 = 4,		/* "rsa-pss-sha256" */
	ATTEST_ALG_FIDO_ES256 = 5,		/* "fido-es256" */
	ATTEST_ALG_FIDO_EDDSA = 6,		/* "fido-eddsa" */
} attest_alg_t;

/** Key id: 64 lowercase hex digits and a NUL. */
#define ATTEST_KEYID_LEN	64
#define ATTEST_KEYID_SIZE	(ATTEST_KEYID_LEN + 1)

/** @return the algorithm id ("ed25519", ...), or NULL for unknown. */
const char *attest_alg_name(attest_alg_t alg);
/**
 * @return the algorithm for an id ("ecdsa-p256-sha256") or a key type
 * name of attest-keygen ("ecdsa-p256", "rsa-pss-3072"); ATTEST_ALG_NONE
 * when unknown.
 */
attest_alg_t attest_alg_from_name(const char *name);

/*
 * Public keys.  Immutable once made; may be shared read-only by threads.
 */
typedef struct attest_pubkey attest_pubkey_t;

/**
 * Parse one PEM "PUBLIC KEY" (SubjectPublicKeyInfo).  The algorithm is
 * decided by the key: Ed25519, EC P-256, EC P-384, RSA (2048 bits or
 * more, used with RSASSA-PSS).  An Ed25519 key of small order or a
 * non-canonical encoding is refused.
 *
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_PARSE        not a PEM public key.
 * \retval ATTEST_ERR_UNSUPPORTED  another key type, curve or size.
 * \retval ATTEST_ERR_KEY          a key that parses but is unusable.
 */
ATTEST_NODISCARD attest_err_t attest_pubkey_parse_pem(attest_pubkey_t **out,
    const unsigned char *ptr, size_t len, attest_diag_t *diag);
/** The same from DER SubjectPublicKeyInfo. */
ATTEST_NODISCARD attest_err_t attest_pubkey_parse_der(attest_pubkey_t **out,
    const unsigned char *ptr, size_t len, attest_diag_t *diag);
/** Read and parse a PEM public key file. */
ATTEST_NODISCARD attest_err_t attest_pubkey_load(attest_pubkey_t **out,
    const char *path, attest_diag_t *diag);
/** Release *pkp and set it to NULL.  NULL-safe. */
void attest_pubkey_free(attest_pubkey_t **pkp);
/** @return a copy of @p pk, or NULL when out of memory. */
attest_pubkey_t *attest_pubkey_dup(const attest_pubkey_t *pk);
/** @return the key's algorithm. */
attest_alg_t attest_pubkey_alg(const attest_pubkey_t *pk);
/** @return the key id (64 lowercase hex digits). Borrowed. */
const char *attest_pubkey_keyid(const attest_pubkey_t *pk);
/** @return the DER SubjectPublicKeyInfo. Borrowed. */
const unsigned char *attest_pubkey_spki_ptr(const attest_pubkey_t *pk);
size_t attest_pubkey_spki_len(const attest_pubkey_t *pk);
/** Encode as PEM "PUBLIC KEY"; release with attest_freezero(). */
ATTEST_NODISCARD attest_err_t attest_pubkey_pem_alloc(const attest_pubkey_t *pk,
    unsigned char **out, size_t *out_len);

/**
 * Verify a signature over @p msg with the key's own algorithm (never one
 * named by the signed data).  ECDSA signatures may be DER or raw r||s
 * (IEEE P1363); high-S is accepted.  Ed25519 is strict (canonical S, no
 * small-order R or A), as libsodium checks it.
 *
 * \retval ATTEST_OK          the signature is valid.
 * \retval ATTEST_ERR_VERIFY  it is not.
 */
ATTEST_NODISCARD attest_err_t attest_pubkey_verify(const attest_pubkey_t *pk,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len);

/*
 * Key sets: the trusted keys of a verification.
 */
typedef struct attest_keyset attest_keyset_t;

attest_keyset_t *attest_keyset_new(void);
void attest_keyset_free(attest_keyset_t **ksp);
/**
 * Add a copy of @p pk.
 * \retval ATTEST_ERR_DUPLICATE  a key with the same key id is there.
 * \retval ATTEST_ERR_TOO_LARGE  ATTEST_MAX_KEYS reached.
 */
ATTEST_NODISCARD attest_err_t attest_keyset_add(attest_keyset_t *ks,
    const attest_pubkey_t *pk);
size_t attest_keyset_count(const attest_keyset_t *ks);
/** @return key @p i, or NULL when out of range. Borrowed. */
const attest_pubkey_t *attest_keyset_get(const attest_keyset_t *ks, size_t i);
/** @return the index of the key with this key id, or -1. */
long attest_keyset_find(const attest_keyset_t *ks, const char *keyid);

/*
 * Secrets (key file passphrases, token PINs) are asked for through a
 * callback, only when needed.  The library owns @p buf (guarded memory,
 * wiped after use); the callback writes at most @p size bytes into it and
 * sets *len.  @p kind says which secret (ATTEST_SECRET_*), @p what names
 * it for a prompt ("passphrase for a.key", "PIN for token t"), @p confirm
 * asks for it twice (a new secret).  Return ATTEST_OK, or an error
 * (ATTEST_ERR_CANCELLED) to stop.
 *
 * ATTEST_SECRET_TOUCH is a notice, not a request: a FIDO security key is
 * about to wait for a touch.  Show @p what ("touch the FIDO security key
 * ... to sign"), leave @p buf alone (it is NULL, @p size 0) and return
 * ATTEST_OK; any error stops before the device is asked.
 */
typedef enum attest_secret_kind {
	ATTEST_SECRET_PASSPHRASE = 1,
	ATTEST_SECRET_PIN = 2,
	ATTEST_SECRET_TOUCH = 3,	/* a notice: show what, return OK */
} attest_secret_kind_t;

typedef attest_err_t attest_secret_fn(void *arg, attest_secret_kind_t kind,
    const char *what, int confirm, char *buf, size_t size, size_t *len);

/*
 * Software private keys.  Key material lives in libsodium guarded memory
 * (Ed25519, decrypted key files) or OpenSSL's secure heap (ECDSA, RSA),
 * and is wiped when freed.
 */
typedef struct attest_key attest_key_t;

/**
 * Generate a key: Ed25519 (libsodium), ECDSA P-256 or P-384, RSA 3072
 * (OpenSSL).
 * \retval ATTEST_ERR_UNSUPPORTED  another algorithm.
 */
ATTEST_NODISCARD attest_err_t attest_key_generate(attest_key_t **out,
    attest_alg_t alg);
/**
 * Import a PKCS#8 PEM private key ("PRIVATE KEY" or "ENCRYPTED PRIVATE
 * KEY", as `openssl genpkey` writes).  The passphrase is asked through
 * @p secret only when the PEM is encrypted.
 * \retval ATTEST_ERR_PASSPHRASE   wrong passphrase.
 * \retval ATTEST_ERR_UNSUPPORTED  a key type or size libattest does not use.
 */
ATTEST_NODISCARD attest_err_t attest_key_import_pem(attest_key_t **out,
    const unsigned char *ptr, size_t len, attest_secret_fn *secret,
    void *arg, attest_diag_t *diag);
/**
 * Parse a libattest private key file (specs/keyfile.md), asking for the
 * passphrase through @p secret when it is encrypted.
 * \retval ATTEST_ERR_PARSE        not a key file, or a field is wrong.
 * \retval ATTEST_ERR_UNSUPPORTED  another version, KDF, cipher or key type.
 * \retval ATTEST_ERR_PASSPHRASE   wrong passphrase or altered file.
 * \retval ATTEST_ERR_TOO_LARGE    KDF parameters above the ceilings.
 * \retval ATTEST_ERR_KEY          the public key does not match.
 */
ATTEST_NODISCARD attest_err_t attest_key_parse(attest_key_t **out,
    const unsigned char *ptr, size_t len, attest_secret_fn *secret,
    void *arg, attest_diag_t *diag);
/**
 * Serialise to the key file format.  With @p pass NULL the key is stored
 * unencrypted; otherwise it is encrypted under Argon2id
 * (opslimit/memlimit 0 = defaults) and XChaCha20-Poly1305.
 * Release *out with attest_freezero().
 */
ATTEST_NODISCARD attest_err_t attest_key_serialize_alloc(const attest_key_t *k,
    const char *pass, size_t pass_len, unsigned long long opslimit,
    size_t memlimit, unsigned char **out, size_t *out_len);
/** Wipe and release *kp, set it to NULL.  NULL-safe. */
void attest_key_free(attest_key_t **kp);
attest_alg_t attest_key_alg(const attest_key_t *k);
/** @return the public half of @p k. Borrowed, lives as long as @p k. */
const attest_pubkey_t *attest_key_pubkey(const attest_key_t *k);

/*
 * Signers: one interface for every key backend.
 */
typedef struct attest_signer attest_signer_t;

/**
 * Operations of a custom signer (a KMS, say).  @p sign writes at most
 * @p sig_size bytes; ECDSA signatures are DER.
 */
typedef struct attest_signer_ops {
	attest_err_t (*sign)(void *ctx, const unsigned char *msg,
	    size_t msg_len, unsigned char *sig, size_t sig_size,
	    size_t *sig_len, attest_diag_t *diag);
	void (*close)(void *ctx);
} attest_signer_ops_t;

/**
 * Make a signer from a software key; the signer takes *kp and sets it to
 * NULL.
 */
ATTEST_NODISCARD attest_err_t attest_signer_from_key(attest_signer_t **out,
    attest_key_t **kp);
/**
 * Make a signer from custom operations.  @p pk is copied; @p ops must
 * stay valid; @p ctx is handed to ops->close on attest_signer_free().
 */
ATTEST_NODISCARD attest_err_t attest_signer_new(attest_signer_t **out,
    const attest_signer_ops_t *ops, void *ctx, const attest_pubkey_t *pk);
/**
 * Open the signer a key reference names: a "pkcs11:" URI (attest/pkcs11.h),
 * else the path of a libattest private key file.  The passphrase or PIN
 * is asked through @p secret.
 */
ATTEST_NODISCARD attest_err_t attest_signer_open(attest_signer_t **out,
    const char *keyref, attest_secret_fn *secret, void *arg,
    attest_diag_t *diag);
/** Close the backend, wipe, release *sp and set it to NULL.  NULL-safe. */
void attest_signer_free(attest_signer_t **sp);
attest_alg_t attest_signer_alg(const attest_signer_t *s);
const char *attest_signer_keyid(const attest_signer_t *s);
/** @return the public key. Borrowed, lives as long as @p s. */
const attest_pubkey_t *attest_signer_pubkey(const attest_signer_t *s);
/**
 * Sign @p msg.  ECDSA signatures come out DER.
 * Release *sig with attest_freezero().  A backend failure is described
 * in @p diag (a token's CKR_* value, say).
 */
ATTEST_NODISCARD attest_err_t attest_signer_sign_alloc(attest_signer_t *s,
    const unsigned char *msg, size_t msg_len, unsigned char **sig,
    size_t *sig_len, attest_diag_t *diag);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_KEY_H */
