/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trust policy (specs/policy.md): which keys may sign for which economic
 * operator, in which role, for which products, when, and how many.
 */
#ifndef ATTEST_POLICY_H
#define ATTEST_POLICY_H

#include <stddef.h>

#include "base.h"
#include "key.h"
#include "dsse.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The roles of economic operators (CRA Art. 3(13)-(17)), named in
 * policies "manufacturer", "authorised_representative", "importer",
 * "distributor".
 */
typedef enum attest_role {
	ATTEST_ROLE_NONE = 0,
	ATTEST_ROLE_MANUFACTURER = 1,
	ATTEST_ROLE_AUTHORISED_REPRESENTATIVE = 2,
	ATTEST_ROLE_IMPORTER = 3,
	ATTEST_ROLE_DISTRIBUTOR = 4,
} attest_role_t;

/** @return the role's name, or NULL. */
const char *attest_role_name(attest_role_t role);
/** @return the role of a name, or ATTEST_ROLE_NONE. */
attest_role_t attest_role_from_name(const char *name);

typedef struct attest_policy attest_policy_t;

/**
 * Parse a trust policy (specs/policy.md), then apply its key lifecycle
 * events ("key_events", §5) in order: a rotation, signed by the old key
 * and the new key, adds the new key (with the old key's operator, roles
 * and scope) and may end the old key's window; a revocation, signed by
 * the key or another key of its operator, sets or moves back the key's
 * revoked_at.
 *
 * Anything malformed, a duplicate key or operator, an unknown role, a
 * key whose algorithm differs from its public key, a threshold above
 * the number of keys that hold the role, or a key event that does not
 * verify, is signed by the wrong keys, names an unknown key or adds a
 * key already in the policy is refused with the field named in @p diag
 * ("key_events[2].payload.predicate.old_keyid").
 *
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_PARSE        malformed, or a rule of the format broken.
 * \retval ATTEST_ERR_KEY          a key unusable as given; a key event not
 *                                 signed by the keys it needs (an input
 *                                 error, not a verdict).
 * \retval ATTEST_ERR_DUPLICATE    a key, operator, role or manufacturer
 *                                 twice; a rotation to a key already there.
 * \retval ATTEST_ERR_NOT_FOUND    a key event names a key not in the policy.
 * \retval ATTEST_ERR_UNSUPPORTED  another policy version, algorithm or key
 *                                 event type.
 * \retval ATTEST_ERR_TOO_LARGE    above a limit (keys, events, bytes).
 */
ATTEST_NODISCARD attest_err_t attest_policy_parse(attest_policy_t **out,
    const unsigned char *ptr, size_t len, attest_diag_t *diag);
/** Read and parse the policy file at @p path. */
ATTEST_NODISCARD attest_err_t attest_policy_load(attest_policy_t **out,
    const char *path, attest_diag_t *diag);
void attest_policy_free(attest_policy_t **pp);

/** @return the policy's `name`, or NULL when it has none. Borrowed. */
const char *attest_policy_name(const attest_policy_t *p);
/**
 * @return every key of the policy, those its rotations added included
 * (after the keys of "keys", in the order of "key_events"), FIDO user
 * verification set where the policy demands it: verify envelopes
 * against this set (threshold 1), then ask attest_policy_authorize()
 * who signed.  Borrowed.
 */
const attest_keyset_t *attest_policy_keyset(const attest_policy_t *p);
/** @return demands.min_support_months, or 0 when not demanded. */
long long attest_policy_min_support_months(const attest_policy_t *p);

/**
 * What a record claims about its signer: the operator it names in the
 * role it signs in, whom it speaks for, and when it was signed.
 */
typedef struct attest_policy_query {
	attest_role_t	 role;		/* the role the record is signed in */
	const char	*operator_name;	/* legal name the record names */
	const char	*operator_country; /* its country (ISO), or NULL */
	const char	*manufacturer_name; /* the product's manufacturer */
	const char	*product;	/* type designation, or NULL */
	const char	*signed_on;	/* claimed signing date, YYYY-MM-DD */
	const char	*now;		/* verification date, or NULL */
	const char	*label;		/* the record in messages ("DoC") */
	const char	*manufacturer_country; /* its country, or NULL */
} attest_policy_query_t;

/**
 * The one operator of the policy that a record names by @p legal_name
 * and @p country (ISO 3166-1 alpha-2; NULL when the record gives none,
 * as a simplified DoC): an operator is its legal name and country
 * together (specs/policy.md §2.2), compared as
 * attest_cra_operator_same() does.  *id receives its policy id
 * (borrowed).
 *
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_NOT_FOUND  no operator of the policy is named so.
 * \retval ATTEST_ERR_DUPLICATE  no country given, and two operators have
 *                               the legal name.
 */
ATTEST_NODISCARD attest_err_t attest_policy_operator_resolve(
    const attest_policy_t *p, const char *legal_name, const char *country,
    const char **id, attest_diag_t *diag);
/**
 * @return the legal name and the country of the operator @p id, or NULL
 * when the policy has no such operator. Borrowed.
 */
const char *attest_policy_operator_legal_name(const attest_policy_t *p,
    const char *id);
const char *attest_policy_operator_country(const attest_policy_t *p,
    const char *id);

typedef struct attest_policy_verdict attest_policy_verdict_t;

/**
 * Decide whether the keys that verified @p v may sign the record that
 * @p q describes: each key must belong to the named operator (legal
 * name and, when given, country), hold the role, be valid and not
 * revoked on the signing date, and be allowed the product and the
 * manufacturer (an operator of the policy by legal name and country,
 * never by name alone); the distinct signers that pass must reach the operator's
 * threshold for the role (a key and the keys rotated from it are one
 * signer: they count once).
 *
 * @return ATTEST_OK when they do, ATTEST_ERR_POLICY (with the reason,
 *         naming the key, in @p diag) when they do not.  *out (when not
 *         NULL) receives the verdict in both cases.
 */
ATTEST_NODISCARD attest_err_t attest_policy_authorize(
    const attest_policy_t *p, const attest_verified_t *v,
    const attest_policy_query_t *q, attest_policy_verdict_t **out,
    attest_diag_t *diag);
/**
 * Apply the policy to a verified CRA record (specs/policy.md §3.1, §4):
 * take from the Statement in @p v the role, operator, manufacturer,
 * product and signing date the record claims, authorise its signers
 * (P-1, attest_policy_authorize()) and check the policy's demands on the
 * record (P-2).  @p now is the verification date, YYYY-MM-DD.
 *
 * @return ATTEST_OK; ATTEST_ERR_POLICY when the policy refuses;
 *         ATTEST_ERR_PARSE when a member the check needs is missing;
 *         ATTEST_ERR_UNSUPPORTED for a payload that is no CRA record.
 */
ATTEST_NODISCARD attest_err_t attest_policy_authorize_record(
    const attest_policy_t *p, const attest_verified_t *v, const char *now,
    attest_policy_verdict_t **out, attest_diag_t *diag);
void attest_policy_verdict_free(attest_policy_verdict_t **vp);
/** @return the operator id in the policy, or NULL when none matched. */
const char *attest_policy_verdict_operator(const attest_policy_verdict_t *v);
/**
 * @return the policy id of the manufacturer the record speaks for (the
 * signer itself in the manufacturer's role; else the operator its
 * manufacturer's legal name and country resolve to), or NULL when it
 * names none of the policy's operators.
 */
const char *attest_policy_verdict_manufacturer(
    const attest_policy_verdict_t *v);
/** @return the distinct keys needed (the role's threshold; 0: none). */
size_t attest_policy_verdict_threshold(const attest_policy_verdict_t *v);
/**
 * @return the distinct signers accepted: keys, a key and its successors
 * by rotation counting once.
 */
size_t attest_policy_verdict_accepted(const attest_policy_verdict_t *v);
/** @return the number of keys that verified (accepted or not). */
size_t attest_policy_verdict_key_count(const attest_policy_verdict_t *v);
/** @return the key id of key @p i. Borrowed. */
const char *attest_policy_verdict_keyid(const attest_policy_verdict_t *v,
    size_t i);
/** @return why key @p i was not accepted, or NULL when it was. Borrowed. */
const char *attest_policy_verdict_refusal(const attest_policy_verdict_t *v,
    size_t i);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_POLICY_H */
