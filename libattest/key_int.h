/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key internals: the structs behind attest_pubkey_t, attest_key_t and
 * attest_signer_t.
 */
#ifndef ATTEST_KEY_INT_H
#define ATTEST_KEY_INT_H

#include "crypto.h"

struct attest_pubkey {
	attest_alg_t		 alg;
	unsigned char		*spki;		/* DER SubjectPublicKeyInfo */
	size_t			 spki_len;
	char			 keyid[ATTEST_KEYID_SIZE];
	unsigned char		 ed25519[32];	/* Ed25519 only */
	struct evp_pkey_st	*pkey;		/* EC, RSA only */
	char			*rp_id;		/* FIDO only */
	unsigned char		 rp_hash[32];	/* FIDO: SHA-256(rp_id) */
	int			 uv_required;	/* FIDO: verifier demands UV */
};

/* What a verified signature said about itself (FIDO keys only). */
struct attest_sigfacts {
	int			 fido;
	unsigned int		 flags;
	uint32_t		 counter;
	unsigned char		 sig_hash[32];	/* SHA-256 of the sig blob */
	char			 why[160];	/* why a valid signature failed */
};

struct attest_key {
	attest_alg_t		 alg;
	attest_pubkey_t		*pub;
	unsigned char		*ed_sk;		/* guarded, 64 bytes */
	struct evp_pkey_st	*pkey;		/* OpenSSL secure heap */
};

struct attest_signer {
	const attest_signer_ops_t *ops;
	void			*ctx;
	attest_pubkey_t		*pub;
	size_t			 sig_size;	/* largest signature */
};

/* Build a public key from DER SPKI (copied). */
attest_err_t attest_pubkey_from_spki(attest_pubkey_t **out,
    const unsigned char *der, size_t len, attest_diag_t *diag);

/* keys_pkcs11.c: open a signer for a pkcs11: URI. */
attest_err_t attest_pkcs11_signer_open(attest_signer_t **out,
    const char *uri, attest_secret_fn *secret, void *arg,
    attest_diag_t *diag);

/* attest_pubkey_verify, and what a FIDO signature said (facts may be NULL). */
/* dsse.c: SHA-256 of the signature blob that verified key i. */
const unsigned char *attest_verified_sig_hash(const attest_verified_t *v,
    size_t i);

attest_err_t attest_pubkey_verify_facts(const attest_pubkey_t *pk,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len, struct attest_sigfacts *facts);

/* keys_fido.c */
int attest_alg_is_fido(attest_alg_t alg);
/* The plain algorithm of a FIDO one (ES256 -> ECDSA P-256, EdDSA -> Ed25519). */
attest_alg_t attest_fido_base_alg(attest_alg_t alg);
/* Turn a parsed plain public key into a FIDO one for rp_id. */
attest_err_t attest_pubkey_make_fido(attest_pubkey_t *pk, attest_alg_t alg,
    const char *rp_id, size_t rp_id_len, attest_diag_t *diag);
/* Parse/write the header of a FIDO public key file (specs/fido.md). */
attest_err_t attest_fido_pub_parse(attest_pubkey_t **out,
    const unsigned char *ptr, size_t len, attest_diag_t *diag);
int attest_fido_pub_is(const unsigned char *ptr, size_t len);
attest_err_t attest_fido_pub_pem_alloc(const attest_pubkey_t *pk,
    unsigned char **out, size_t *out_len);
attest_err_t attest_fido_verify(const attest_pubkey_t *pk,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len, struct attest_sigfacts *facts);
/* Is this key file a FIDO credential handle?  Open a signer for it. */
int attest_fido_handle_is(const unsigned char *ptr, size_t len);
attest_err_t attest_fido_signer_open(attest_signer_t **out,
    const unsigned char *ptr, size_t len, attest_secret_fn *secret,
    void *arg, attest_diag_t *diag);

#endif /* ATTEST_KEY_INT_H */
