/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CRA chain of custody (specs/chain.md): a bundle of signed records,
 * manufacturer -> importer -> distributors, verified offline under a
 * trust policy.
 */
#ifndef ATTEST_CHAIN_H
#define ATTEST_CHAIN_H

#include <stddef.h>

#include "base.h"
#include "cra.h"
#include "limits.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Lines (records) in one bundle: ATTEST_CHAIN_MAX_LINES, limits.h. */

/** What a chain is verified against, besides the policy. */
typedef struct attest_chain_options {
	/** "now", YYYY-MM-DD (required): the date the rules judge by. */
	const char		*now;
	/** Hex SHA-256 of artifacts that must be subjects of the release. */
	const char *const	*artifacts;
	size_t			 nartifacts;
} attest_chain_options_t;

typedef struct attest_chain attest_chain_t;

/**
 * Verify the bundle of @p len bytes at @p ptr (JSON Lines, one DSSE
 * envelope per line) under the trust policy @p p, every line and every
 * link of specs/chain.md §4; the report goes to *out in every case but
 * a bad argument or lack of memory.
 *
 * @return ATTEST_OK when the whole chain holds; ATTEST_ERR_VERIFY when a
 *         line or a link fails (the first failure in @p diag, every one
 *         in the report).
 */
ATTEST_NODISCARD attest_err_t attest_chain_verify(const attest_policy_t *p,
    const unsigned char *ptr, size_t len, const attest_chain_options_t *o,
    attest_chain_t **out, attest_diag_t *diag);
void attest_chain_free(attest_chain_t **cp);

/** @return 1 when the whole chain holds. */
int attest_chain_holds(const attest_chain_t *c);
/** @return the number of lines (records) read. */
size_t attest_chain_link_count(const attest_chain_t *c);
/** @return the record kind of line @p i (0-based), or ATTEST_CRA_NONE. */
attest_cra_kind_t attest_chain_link_kind(const attest_chain_t *c, size_t i);
/** @return the hex SHA-256 of line @p i's payload, or NULL. Borrowed. */
const char *attest_chain_link_sha256(const attest_chain_t *c, size_t i);
/**
 * @return the verified payload (the Statement) of line @p i and its
 * length in *len, or NULL when the line did not verify. Borrowed.
 */
const unsigned char *attest_chain_link_payload(const attest_chain_t *c,
    size_t i, size_t *len);
/** @return the policy id of the operator that signed line @p i, or NULL. */
const char *attest_chain_link_operator(const attest_chain_t *c, size_t i);
/** @return the role line @p i was signed in. */
attest_role_t attest_chain_link_role(const attest_chain_t *c, size_t i);
/** @return the signing date line @p i claims, or NULL. Borrowed. */
const char *attest_chain_link_signed_on(const attest_chain_t *c, size_t i);
/** @return distinct keys accepted for line @p i and the threshold. */
size_t attest_chain_link_accepted(const attest_chain_t *c, size_t i);
size_t attest_chain_link_threshold(const attest_chain_t *c, size_t i);
/** @return why line @p i fails ("CH-6: ..."), or NULL. Borrowed. */
const char *attest_chain_link_error(const attest_chain_t *c, size_t i);
/** @return the warnings of line @p i ("REL-13: ..."). Borrowed. */
size_t attest_chain_link_warning_count(const attest_chain_t *c, size_t i);
const char *attest_chain_link_warning(const attest_chain_t *c, size_t i,
    size_t j);
/** @return the failure of the bundle as a whole (line 0: no line), or NULL. */
const char *attest_chain_error(const attest_chain_t *c);
/** @return the product's type designation and manufacturer (DoC), or NULL. */
const char *attest_chain_product(const attest_chain_t *c);
const char *attest_chain_manufacturer(const attest_chain_t *c);
/**
 * @return the policy id and the country of the DoC's manufacturer: the
 * operator (legal name and country) that every record of the chain
 * speaks for (CH-8), or NULL when the DoC did not verify. Borrowed.
 */
const char *attest_chain_manufacturer_operator(const attest_chain_t *c);
const char *attest_chain_manufacturer_country(const attest_chain_t *c);
/** @return the support period end the release states, or NULL. */
const char *attest_chain_support_end(const attest_chain_t *c);
/**
 * @return the release's subjects with a SHA-256 digest: the digest (hex)
 * and the subject's name, NULL when the subject has none (a Statement's
 * subject need not be named: its digests bind it). Borrowed.
 */
size_t attest_chain_subject_count(const attest_chain_t *c);
const char *attest_chain_subject_sha256(const attest_chain_t *c, size_t i);
const char *attest_chain_subject_name(const attest_chain_t *c, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_CHAIN_H */
