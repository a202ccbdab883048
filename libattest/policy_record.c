/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The trust policy applied to a verified CRA record (specs/policy.md
 * §3.1, §4): what the record claims about its signer, then P-1 (the
 * signer authorisation) and P-2 (the minimum support period).
 */
#include <stdio.h>
#include <string.h>

#include "attest/cra.h"
#include "attest/policy.h"
#include "formats_int.h"
#include "json_int.h"
#include "policy_int.h"

#define FIELD_BYTES	128

/* A member the policy check needs; missing is a parse error naming it. */
static attest_err_t
need(const json_t *pred, const char *path, int date, const char **out,
    attest_diag_t *diag)
{
	char field[FIELD_BYTES + 16];
	struct attest_ymd t;

	(void)snprintf(field, sizeof(field), "predicate.%s", path);
	/*
	 * The record is signed and its signature verified: what it lacks
	 * or gets wrong is a verdict on it (exit 1), not an input error,
	 * with or without a policy.
	 */
	if ((*out = attest_json_str_at(pred, path)) == NULL)
		return attest_diag_set(diag, ATTEST_ERR_POLICY, field, -1,
		    "missing: the trust policy check needs it (S-1, "
		    "specs/policy.md §3.1)");
	if (date && attest_ymd_parse(*out, 0, &t) != ATTEST_YMD_DATE)
		return attest_diag_set(diag, ATTEST_ERR_POLICY, field, -1,
		    "\"%.64s\" is not an ISO 8601 date YYYY-MM-DD (X-2)",
		    *out);
	return ATTEST_OK;
}

/* P-2: the support period is at least demands.min_support_months. */
static attest_err_t
min_support(const attest_policy_t *p, const json_t *pred,
    attest_diag_t *diag)
{
	long long months = attest_policy_min_support_months(p);
	struct attest_ymd start, end, least;
	const char *s, *e;
	char buf[ATTEST_DATE_BYTES];
	attest_err_t r;

	if (months == 0)
		return ATTEST_OK;
	if ((r = need(pred, "support_period.start", 1, &s, diag)) !=
	    ATTEST_OK ||
	    (r = need(pred, "support_period.end", 0, &e, diag)) != ATTEST_OK)
		return r;
	(void)attest_ymd_parse(s, 0, &start);
	if (attest_ymd_parse(e, 0, &end) == ATTEST_YMD_BAD)
		return attest_diag_set(diag, ATTEST_ERR_POLICY,
		    "predicate.support_period.end", -1, "\"%.64s\" is not an "
		    "ISO 8601 date or month (REL-1, X-2)", e);
	least = attest_ymd_add_months(start, months);
	if (attest_ymd_cmp(&end, &least) < 0)
		return attest_diag_set(diag, ATTEST_ERR_POLICY,
		    "predicate.support_period.end", -1, "%s ends before %s: "
		    "the trust policy demands at least %lld months from the "
		    "start %s (P-2)", e, attest_ymd_str(buf, &least), months,
		    s);
	return ATTEST_OK;
}

attest_err_t
attest_policy_query_pred(attest_cra_kind_t kind, const json_t *pred,
    const char *now, attest_policy_query_t *qp, attest_diag_t *diag)
{
	attest_policy_query_t q;
	const char *by;
	char path[FIELD_BYTES];
	attest_err_t r;

	memset(&q, 0, sizeof(q));
	q.now = now;
	q.role = ATTEST_ROLE_MANUFACTURER;
	/* the role and label first: a caller reports them on any failure */
	switch (kind) {
	case ATTEST_CRA_DOC:
		q.label = "DoC";
		if ((by = attest_json_str_at(pred, "issued_by")) != NULL &&
		    strcmp(by, "authorised_representative") == 0)
			q.role = ATTEST_ROLE_AUTHORISED_REPRESENTATIVE;
		break;
	case ATTEST_CRA_SDOC:
		q.label = "simplified DoC";
		break;
	case ATTEST_CRA_IMPORT:
		q.label = "importer record";
		q.role = ATTEST_ROLE_IMPORTER;
		break;
	case ATTEST_CRA_DISTRIBUTION:
		q.label = "distributor record";
		q.role = ATTEST_ROLE_DISTRIBUTOR;
		break;
	default:
		q.label = "release attestation";
		break;
	}
	/* as written, for the caller's reports; checked below */
	q.signed_on = kind == ATTEST_CRA_SDOC ? now : attest_json_str_at(pred,
	    kind == ATTEST_CRA_RELEASE ? "release_date" :
	    "signatory.date_of_issue");
	*qp = q;
	switch (kind) {
	case ATTEST_CRA_DOC:
		q.manufacturer_country = attest_json_str_at(pred,
		    "manufacturer.postal_address.country");
		if ((r = need(pred, "manufacturer.legal_name", 0,
		    &q.manufacturer_name, diag)) != ATTEST_OK ||
		    (r = need(pred, "product.type_designation", 0, &q.product,
		    diag)) != ATTEST_OK ||
		    (r = need(pred, "signatory.date_of_issue", 1, &q.signed_on,
		    diag)) != ATTEST_OK)
			return r;
		if (q.role == ATTEST_ROLE_AUTHORISED_REPRESENTATIVE) {
			if ((r = need(pred, "authorised_representative."
			    "legal_name", 0, &q.operator_name, diag)) !=
			    ATTEST_OK)
				return r;
			q.operator_country = attest_json_str_at(pred,
			    "authorised_representative.postal_address.country");
		} else {
			q.operator_name = q.manufacturer_name;
			q.operator_country = q.manufacturer_country;
		}
		break;
	case ATTEST_CRA_SDOC:
		if ((r = need(pred, "manufacturer_name", 0, &q.operator_name,
		    diag)) != ATTEST_OK ||
		    (r = need(pred, "type_designation", 0, &q.product,
		    diag)) != ATTEST_OK)
			return r;
		q.manufacturer_name = q.operator_name;
		q.signed_on = now;	/* the record claims no date */
		break;
	case ATTEST_CRA_IMPORT:
	case ATTEST_CRA_DISTRIBUTION:
		by = kind == ATTEST_CRA_IMPORT ? "importer" : "distributor";
		(void)snprintf(path, sizeof(path), "%s.legal_name", by);
		if ((r = need(pred, path, 0, &q.operator_name, diag)) !=
		    ATTEST_OK ||
		    (r = need(pred, "manufacturer.legal_name", 0,
		    &q.manufacturer_name, diag)) != ATTEST_OK ||
		    (r = need(pred, "product.type_designation", 0, &q.product,
		    diag)) != ATTEST_OK ||
		    (r = need(pred, "signatory.date_of_issue", 1, &q.signed_on,
		    diag)) != ATTEST_OK)
			return r;
		(void)snprintf(path, sizeof(path), "%s.postal_address.country",
		    by);
		q.operator_country = attest_json_str_at(pred, path);
		q.manufacturer_country = attest_json_str_at(pred,
		    "manufacturer.postal_address.country");
		break;
	default:
		if ((r = need(pred, "manufacturer.legal_name", 0,
		    &q.operator_name, diag)) != ATTEST_OK ||
		    (r = need(pred, "product.type_designation", 0, &q.product,
		    diag)) != ATTEST_OK ||
		    (r = need(pred, "release_date", 1, &q.signed_on, diag)) !=
		    ATTEST_OK)
			return r;
		q.manufacturer_name = q.operator_name;
		q.operator_country = attest_json_str_at(pred,
		    "manufacturer.postal_address.country");
		q.manufacturer_country = q.operator_country;
		break;
	}
	*qp = q;
	return ATTEST_OK;
}

/*
 * The policy on a record whose Statement is already parsed (chain.c
 * verifies thousands of records and parses each once).
 */
attest_err_t
attest_policy_authorize_pred(const attest_policy_t *p,
    const attest_verified_t *v, attest_cra_kind_t kind, const json_t *pred,
    const char *now, attest_policy_verdict_t **out, attest_diag_t *diag)
{
	attest_policy_query_t q;
	attest_err_t r;

	if (out != NULL)
		*out = NULL;
	if ((r = attest_policy_query_pred(kind, pred, now, &q, diag)) !=
	    ATTEST_OK)
		return r;
	if ((r = attest_policy_authorize(p, v, &q, out, diag)) != ATTEST_OK)
		return r;
	if (kind == ATTEST_CRA_RELEASE)
		r = min_support(p, pred, diag);
	return r;
}

attest_err_t
attest_policy_authorize_record(const attest_policy_t *p,
    const attest_verified_t *v, const char *now,
    attest_policy_verdict_t **out, attest_diag_t *diag)
{
	json_t *root = NULL, *pred;
	const char *type;
	attest_cra_kind_t kind;
	struct attest_ymd t;
	attest_err_t r;

	if (out != NULL)
		*out = NULL;
	if (p == NULL || v == NULL || now == NULL ||
	    attest_ymd_parse(now, 0, &t) != ATTEST_YMD_DATE)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if ((r = attest_json_load(attest_verified_payload_ptr(v),
	    attest_verified_payload_len(v), &root, diag)) != ATTEST_OK)
		return r;
	type = attest_json_str_at(root, "predicateType");
	pred = json_object_get(root, "predicate");
	kind = attest_cra_kind_from_type(type);
	if (kind == ATTEST_CRA_NONE || !json_is_object(pred))
		r = attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
		    "predicateType", -1, "\"%s\" is not a record the trust "
		    "policy knows how to check (specs/policy.md §3.1)",
		    type != NULL ? type : "(none)");
	else
		r = attest_policy_authorize_pred(p, v, kind, pred, now, out,
		    diag);
	json_decref(root);
	return r;
}
