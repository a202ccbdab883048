/*
 * Trust policy internals shared by policy_record.c and chain.c.
 */
#ifndef ATTEST_POLICY_INT_H
#define ATTEST_POLICY_INT_H

#include <jansson.h>

#include "attest/cra.h"
#include "attest/policy.h"

/*
 * attest_policy_authorize_record() on a record already parsed: kind and
 * its predicate (specs/policy.md §3.1, §4).
 */
attest_err_t attest_policy_authorize_pred(const attest_policy_t *p,
    const attest_verified_t *v, attest_cra_kind_t kind, const json_t *pred,
    const char *now, attest_policy_verdict_t **out, attest_diag_t *diag);

#endif /* ATTEST_POLICY_INT_H */
