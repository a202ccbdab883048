/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CRA record checks on parsed JSON, for chain.c (which parses each record
 * once and checks thousands of them).
 */
#ifndef ATTEST_CRA_INT_H
#define ATTEST_CRA_INT_H

#include <jansson.h>

#include "attest/cra.h"

/*
 * attest_cra_check() on the parsed predicate @p pred.  With @p doc_pred
 * (the predicate of the DoC an sdoc or release refers to, already parsed
 * and verified) and @p doc_sha (the hex SHA-256 of its payload) instead
 * of ctx->doc_statement.
 */
attest_err_t attest_cra_check_json(attest_cra_kind_t kind,
    const json_t *pred, const attest_cra_context_t *ctx,
    const json_t *doc_pred, const char *doc_sha,
    attest_cra_findings_t **out, attest_diag_t *diag);

#endif /* ATTEST_CRA_INT_H */
