/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FIDO2 security keys as signing keys (libfido2).  The signature format,
 * the public key, handle and attestation files are specified in
 * specs/fido.md.  Signing goes through the signer interface
 * (attest_signer_open() on a .fido handle); these are the parts that do
 * not fit it: enrolment, the device list, the verifier's demands and the
 * authenticator's attestation.
 */
#ifndef ATTEST_FIDO_H
#define ATTEST_FIDO_H

#include <stddef.h>
#include <stdint.h>

#include "base.h"
#include "key.h"
#include "dsse.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The relying party id of a credential when none is given. */
#define ATTEST_FIDO_RP_ID_DEFAULT	"attest:"
/** Longest relying party id, in bytes. */
#define ATTEST_FIDO_RP_ID_MAX		255

/** authenticatorData flags (WebAuthn §6.1). */
#define ATTEST_FIDO_FLAG_UP	0x01	/* user present */
#define ATTEST_FIDO_FLAG_UV	0x04	/* user verified */
#define ATTEST_FIDO_FLAG_AT	0x40	/* attested credential data */
#define ATTEST_FIDO_FLAG_ED	0x80	/* extension data */

/** attest_fido_generate() flags. */
#define ATTEST_FIDO_RESIDENT	0x01	/* a discoverable (resident) key */
#define ATTEST_FIDO_UV		0x02	/* sign only with user verification */

typedef struct attest_fido_cred attest_fido_cred_t;

/**
 * Create a credential on a FIDO2 device: @p device is a libfido2 path,
 * or NULL for the only device present.  @p rp_id NULL means
 * ATTEST_FIDO_RP_ID_DEFAULT; @p alg is ATTEST_ALG_FIDO_ES256 or
 * ATTEST_ALG_FIDO_EDDSA.  The PIN, when the device has one, is asked
 * through @p secret (ATTEST_SECRET_PIN), and a touch is announced
 * (ATTEST_SECRET_TOUCH).  The attestation the device returns is checked
 * (its signature; not its certificate chain, see
 * attest_fido_attestation_verify()).
 *
 * \retval ATTEST_ERR_DEVICE     no device, device removed, protocol error.
 * \retval ATTEST_ERR_AMBIGUOUS  several devices and none chosen.
 * \retval ATTEST_ERR_CANCELLED  presence denied or the touch timed out.
 * \retval ATTEST_ERR_PASSPHRASE PIN required, wrong, blocked or not set.
 * \retval ATTEST_ERR_UNSUPPORTED the device does not support @p alg.
 */
ATTEST_NODISCARD attest_err_t attest_fido_generate(attest_fido_cred_t **out,
    const char *device, const char *rp_id, attest_alg_t alg, int flags,
    attest_secret_fn *secret, void *arg, attest_diag_t *diag);
void attest_fido_cred_free(attest_fido_cred_t **cp);
/** @return the credential's public key (algorithm and rp id included). */
const attest_pubkey_t *attest_fido_cred_pubkey(const attest_fido_cred_t *c);
/** @return the device path the credential was made on. Borrowed. */
const char *attest_fido_cred_device(const attest_fido_cred_t *c);
/** @return the attestation format ("packed", "none", ...). Borrowed. */
const char *attest_fido_cred_fmt(const attest_fido_cred_t *c);
/** The key handle file (.fido) and the attestation file (.att), JSON. */
ATTEST_NODISCARD attest_err_t attest_fido_cred_handle_alloc(
    const attest_fido_cred_t *c, unsigned char **out, size_t *out_len);
ATTEST_NODISCARD attest_err_t attest_fido_cred_attestation_alloc(
    const attest_fido_cred_t *c, unsigned char **out, size_t *out_len);

/** A FIDO device as listed by attest_fido_device_list(). */
typedef struct attest_fido_device {
	char		*path;
	char		*manufacturer;
	char		*product;
	char		*algorithms;	/* "es256 eddsa ...", COSE names */
	char		*error;		/* why it could not be asked, or NULL */
	char		 aaguid[37];	/* 8-4-4-4-12 hex, or "" */
	uint64_t	 firmware;
	int		 has_pin;	/* 1 PIN set, 0 not set, -1 no PIN */
} attest_fido_device_t;

/** List the FIDO devices present (at most 64), asking each for its info. */
ATTEST_NODISCARD attest_err_t attest_fido_device_list(
    attest_fido_device_t **out, size_t *n, attest_diag_t *diag);
void attest_fido_device_list_free(attest_fido_device_t **list, size_t n);

/** @return the rp id of a FIDO public key, or NULL for other keys. */
const char *attest_pubkey_fido_rp_id(const attest_pubkey_t *pk);
/**
 * Demand user verification (the UV flag) from the signatures of FIDO
 * key @p pk (a trusted key, before it goes into a key set).
 * \retval ATTEST_ERR_INVALID_ARGUMENT  not a FIDO key.
 */
ATTEST_NODISCARD attest_err_t attest_pubkey_set_fido_uv(attest_pubkey_t *pk,
    int required);

/**
 * What the signature of verified key @p i said: its flags and signature
 * counter.  @return 1 for a FIDO key, 0 otherwise.
 */
int attest_verified_fido(const attest_verified_t *v, size_t i,
    unsigned int *flags, uint32_t *counter);

/**
 * Check the signature counters of the FIDO keys of @p v against the
 * state file @p path (created when absent) and record them: each must be
 * above the recorded value, or equal with the same signature (the same
 * envelope checked again); 0 is refused.  Nothing is written unless all
 * keys pass; the file is replaced atomically under a lock (path.lock).
 * \retval ATTEST_ERR_POLICY  a counter did not go up, or is 0.
 */
ATTEST_NODISCARD attest_err_t attest_fido_counter_check(const char *path,
    const attest_verified_t *v, attest_diag_t *diag);

/** What attest_fido_attestation_verify() found. */
typedef struct attest_fido_attestation_info {
	char		fmt[16];	/* "packed", "none", ... */
	char		aaguid[37];	/* 8-4-4-4-12 hex */
	char		model[256];	/* the certificate's subject */
	char		issuer[256];	/* and its issuer */
} attest_fido_attestation_info_t;

/**
 * Check the attestation file (@p ptr, @p len) of FIDO key @p pk: that it
 * belongs to this key, that its signature verifies with its certificate,
 * and that the certificate chains to the PEM certificates in the file
 * @p roots (time is not checked).  @p info is filled as far as known.
 * \retval ATTEST_ERR_POLICY  self or no attestation, wrong chain.
 * \retval ATTEST_ERR_PARSE   a malformed file (the field is named).
 */
ATTEST_NODISCARD attest_err_t attest_fido_attestation_verify(
    const attest_pubkey_t *pk, const unsigned char *ptr, size_t len,
    const char *roots, attest_fido_attestation_info_t *info,
    attest_diag_t *diag);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_FIDO_H */
