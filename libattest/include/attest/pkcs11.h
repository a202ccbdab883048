/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest: keys on PKCS#11 tokens (HSMs), through p11-kit.
 *
 * A key is named by an RFC 7512 "pkcs11:" URI wherever a key reference
 * is taken (attest_signer_open() opens one).  Module: the URI's
 * module-path or module-name, else every module p11-kit has registered.
 * Token and key: matched by the URI's attributes; a URI that matches
 * several tokens or keys is an error listing them.  PIN: the URI's
 * pin-source (a file), else the secret callback (kind ATTEST_SECRET_PIN);
 * a pin-value in the URI works but leaves a warning in the diagnostics.
 * specs/pkcs11.md describes the URI forms and PIN sources.
 */
#ifndef ATTEST_PKCS11_H
#define ATTEST_PKCS11_H

#include "base.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @return 1 when @p keyref is a "pkcs11:" URI, else 0. */
int attest_keyref_is_pkcs11(const char *keyref);

/**
 * Generate a key pair on the token @p uri names: private key sensitive
 * and not extractable, both halves on the token, labelled with the URI's
 * object= and id=.  A key with that label or id already there is refused.
 *
 * @param[out] pub  the new public key; release with attest_pubkey_free().
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_EXISTS       a key with that label or id exists.
 * \retval ATTEST_ERR_NOT_FOUND    no module, token or slot matched.
 * \retval ATTEST_ERR_AMBIGUOUS    several tokens matched.
 * \retval ATTEST_ERR_UNSUPPORTED  the token lacks the mechanism.
 * \retval ATTEST_ERR_PASSPHRASE   PIN incorrect or locked.
 * \retval ATTEST_ERR_DEVICE       any other token failure (CKR_* in diag).
 */
ATTEST_NODISCARD attest_err_t attest_pkcs11_generate(const char *uri,
    attest_alg_t alg, attest_secret_fn *pin, void *arg,
    attest_pubkey_t **pub, attest_diag_t *diag);

/**
 * The public key of the key @p uri names (its public key object, read
 * without logging in when the token allows it).
 */
ATTEST_NODISCARD attest_err_t attest_pkcs11_export_public(const char *uri,
    attest_secret_fn *pin, void *arg, attest_pubkey_t **pub,
    attest_diag_t *diag);

/* One line of a listing: a token (label NULL) or one of its keys. */
typedef struct attest_pkcs11_entry {
	const char	*module;	/* module path or name */
	const char	*token;		/* token label */
	const char	*serial;	/* token serial number */
	const char	*label;		/* key CKA_LABEL, NULL for a token */
	const char	*id;		/* key CKA_ID, hex */
	const char	*uri;		/* a pkcs11: URI naming it */
	attest_alg_t	 alg;		/* ATTEST_ALG_NONE: not usable */
	const char	*keyid;		/* libattest key id, or NULL */
} attest_pkcs11_entry_t;

typedef void attest_pkcs11_list_fn(void *arg, const attest_pkcs11_entry_t *e);

/**
 * List the tokens @p uri matches (NULL: all) and their public keys,
 * without logging in.
 */
ATTEST_NODISCARD attest_err_t attest_pkcs11_list(const char *uri,
    attest_pkcs11_list_fn *cb, void *arg, attest_diag_t *diag);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_PKCS11_H */
