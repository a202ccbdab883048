/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest: DSSE envelopes (Dead Simple Signing Envelope v1, JSON).
 *
 * Signatures cover PAE(payloadType, payload).  Several signatures per
 * envelope; verification with a set of trusted keys and a threshold of
 * distinct keys.  Input base64 may be standard or URL-safe (padded);
 * output is standard.  ECDSA signatures are emitted DER; DER and raw r||s
 * are accepted.  Unknown fields are ignored, as the DSSE spec says.
 */
#ifndef ATTEST_DSSE_H
#define ATTEST_DSSE_H

#include <stddef.h>

#include "base.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The payloadType of an in-toto Statement. */
#define ATTEST_PAYLOAD_TYPE_INTOTO	"application/vnd.in-toto+json"

/**
 * Pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP
 * LEN(body) SP body.  Release *out with attest_freezero().
 */
ATTEST_NODISCARD attest_err_t attest_dsse_pae_alloc(const char *type,
    const unsigned char *body, size_t body_len, unsigned char **out,
    size_t *out_len);

typedef struct attest_envelope attest_envelope_t;

attest_envelope_t *attest_envelope_new(void);
void attest_envelope_free(attest_envelope_t **ep);
/**
 * Set the payload and its type (copied).  Removes any signature, since
 * they covered the old payload.
 */
ATTEST_NODISCARD attest_err_t attest_envelope_set_payload(attest_envelope_t *e,
    const char *type, const unsigned char *ptr, size_t len);
/**
 * Sign PAE(type, payload) with @p s and append the signature; a signer
 * failure is described in @p diag (may be NULL).
 */
ATTEST_NODISCARD attest_err_t attest_envelope_sign(attest_envelope_t *e,
    attest_signer_t *s, attest_diag_t *diag);
/**
 * Serialise as one line of compact JSON (no trailing newline).
 * Release *out with attest_freezero().
 */
ATTEST_NODISCARD attest_err_t attest_envelope_serialize_alloc(
    const attest_envelope_t *e, unsigned char **out, size_t *out_len);
/**
 * Parse a JSON envelope.  Duplicate keys, trailing bytes, wrong types,
 * bad base64 and sizes above the limits are refused, with the field in
 * @p diag.  Parsing checks no signature.
 */
ATTEST_NODISCARD attest_err_t attest_envelope_parse(attest_envelope_t **out,
    const unsigned char *ptr, size_t len, attest_diag_t *diag);

/** Unverified accessors, for display and tests; trust nothing they say. */
const char *attest_envelope_payload_type(const attest_envelope_t *e);
size_t attest_envelope_sig_count(const attest_envelope_t *e);
/** @return the keyid hint of signature @p i, or NULL. Borrowed. */
const char *attest_envelope_sig_keyid(const attest_envelope_t *e, size_t i);

/*
 * Verification result: what the trusted keys vouched for.
 */
typedef struct attest_verified attest_verified_t;

/**
 * Verify: each signature is tried against the trusted key its keyid
 * names, or, when the keyid names none, against every trusted key; each
 * trusted key counts once.  Succeeds when at least @p threshold (>= 1)
 * distinct trusted keys verify.  The key's algorithm decides how a
 * signature is checked.
 *
 * @param[out] out  on success, the verified payload and the keys that
 *                  signed; release with attest_verified_free().  On
 *                  ATTEST_ERR_VERIFY it is still set (when @p out is not
 *                  NULL) so the caller can report which keys did verify,
 *                  but its payload is NOT trusted and is not given.
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_VERIFY  fewer than @p threshold distinct keys.
 * \retval ATTEST_ERR_INVALID_ARGUMENT  threshold 0 or above the key count.
 */
ATTEST_NODISCARD attest_err_t attest_envelope_verify(const attest_envelope_t *e,
    const attest_keyset_t *trusted, size_t threshold, attest_verified_t **out,
    attest_diag_t *diag);

void attest_verified_free(attest_verified_t **vp);
/** @return the verified payload type (NULL unless verified). Borrowed. */
const char *attest_verified_payload_type(const attest_verified_t *v);
/** @return the verified payload bytes (NULL when verification failed). */
const unsigned char *attest_verified_payload_ptr(const attest_verified_t *v);
size_t attest_verified_payload_len(const attest_verified_t *v);
/** @return how many distinct trusted keys verified. */
size_t attest_verified_key_count(const attest_verified_t *v);
/** @return the trusted key that verified, @p i < key_count. Borrowed. */
const attest_pubkey_t *attest_verified_key(const attest_verified_t *v,
    size_t i);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_DSSE_H */
