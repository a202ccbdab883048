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

#endif /* ATTEST_KEY_INT_H */
