/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trust policy internals shared by policy_record.c and chain.c.
 */
#ifndef ATTEST_POLICY_INT_H
#define ATTEST_POLICY_INT_H

#include <jansson.h>

#include "attest/cra.h"
#include "attest/policy.h"

/*
 * What a record of @p kind claims about its signer (specs/policy.md
 * §3.1): role, operator and manufacturer (legal name and country),
 * product, signing date.  On a missing member (ATTEST_ERR_PARSE, the
 * field in @p diag) *q still holds the role and the label.
 */
attest_err_t attest_policy_query_pred(attest_cra_kind_t kind,
    const json_t *pred, const char *now, attest_policy_query_t *q,
    attest_diag_t *diag);

/*
 * attest_policy_authorize_record() on a record already parsed: kind and
 * its predicate (specs/policy.md §3.1, §4).
 */
attest_err_t attest_policy_authorize_pred(const attest_policy_t *p,
    const attest_verified_t *v, attest_cra_kind_t kind, const json_t *pred,
    const char *now, attest_policy_verdict_t **out, attest_diag_t *diag);

#endif /* ATTEST_POLICY_INT_H */
