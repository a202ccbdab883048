/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trust policy (specs/policy.md): parse the policy, apply its key
 * lifecycle events (rotations and revocations, §5), then decide for a
 * verified envelope whether the keys that signed it may speak for the
 * operator, role, product and date its record names.
 *
 * The policy's key set is what envelopes are verified against, so a
 * key's algorithm (and, for FIDO keys, rp id and user verification)
 * always comes from the policy.  attest_policy_authorize() only looks
 * at keys that have already verified the envelope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/cra.h"
#include "attest/digest.h"
#include "attest/policy.h"
#include "attest/statement.h"
#include "formats_int.h"
#include "json_int.h"
#include "key_int.h"

#define POLICY_VERSION	1
#define NROLES		5	/* indexed by attest_role_t */
#define PATH_BYTES	128
#define WHY_BYTES	384
#define MAX_ID_BYTES	64
#define MAX_REASON_BYTES 256	/* a revocation's reason */

/* The predicate types of key lifecycle events (specs/policy.md §5). */
#define ROTATION_TYPE	"https://libattest.dev/key/rotation/v1"
#define REVOCATION_TYPE	"https://libattest.dev/key/revocation/v1"

struct pol_operator {
	char		*id;
	char		*legal_name;
	char		 country[3];
	size_t		 threshold[NROLES];	/* 0: role not held */
	size_t		 nkeys[NROLES];
};

struct pol_key {
	size_t		 op;		/* index into operators */
	unsigned int	 roles;		/* 1 << attest_role_t */
	struct attest_ymd from, until, revoked;
	char		*from_s, *until_s, *revoked_s;
	char	       **products;	/* NULL: any product */
	size_t		 nproducts;
	size_t		*mfrs;		/* NULL: any manufacturer */
	size_t		 nmfrs;
	int		 require_uv;	/* the key's own require_uv */
	/*
	 * Lifecycle (§5).  A key and the keys rotated from it are one
	 * signer: @signer is the first key of the chain, and thresholds
	 * count signers.  The others say which key_events entry added the
	 * key or moved its valid_until or revoked_at (-1: the policy's
	 * own "keys"), for messages.
	 */
	size_t		 signer;
	long		 parent;	/* the key that rotated to this one */
	long		 event;		/* the rotation that added it */
	struct attest_ymd rotated;	/* that rotation's signed_at */
	char		*rotated_s;
	long		 until_ev, revoked_ev;
	char		*revoked_why;	/* the revocation's reason */
};

/* An operator's id and index, sorted by id once all are parsed. */
struct op_ref {
	const char	*id;
	size_t		 i;
};

struct attest_policy {
	char			*name;
	struct pol_operator	*ops;
	size_t			 nops;
	struct op_ref		*by_id;	/* NULL while operators are parsed */
	struct pol_key		*keys;	/* parallel to ks */
	size_t			 nkeys;
	size_t			 nbase;	/* of them, from "keys" */
	attest_keyset_t		*ks;
	long long		 min_support_months;
};

struct attest_policy_verdict {
	char		 op[MAX_ID_BYTES + 1];
	char		 mfr[MAX_ID_BYTES + 1];	/* "": not resolved */
	size_t		 threshold;
	size_t		 accepted;
	size_t		 n;
	char		 (*keyid)[ATTEST_KEYID_SIZE];
	char		 (*why)[WHY_BYTES];	/* "" when accepted */
};

static const char *const role_names[NROLES] = {
	NULL, "manufacturer", "authorised_representative", "importer",
	"distributor"
};

const char *
attest_role_name(attest_role_t role)
{
	return (unsigned int)role < NROLES ? role_names[role] : NULL;
}

attest_role_t
attest_role_from_name(const char *name)
{
	int i;

	for (i = 1; name != NULL && i < NROLES; i++)
		if (strcmp(name, role_names[i]) == 0)
			return (attest_role_t)i;
	return ATTEST_ROLE_NONE;
}

/* Parsing ------------------------------------------------------------------ */

static const char *
fpath(char buf[PATH_BYTES], const char *base, size_t i, const char *key)
{
	if (key == NULL)
		(void)snprintf(buf, PATH_BYTES, "%s[%zu]", base, i);
	else
		(void)snprintf(buf, PATH_BYTES, "%s[%zu].%s", base, i, key);
	return buf;
}

/* "path.key" */
static const char *
mpath(char buf[PATH_BYTES], const char *path, const char *key)
{
	return attest_json_path(buf, PATH_BYTES, path, key);
}

static attest_err_t
bad(attest_diag_t *diag, const char *field, const char *fmt, const char *a)
{
	return attest_diag_set(diag, ATTEST_ERR_PARSE, field, -1, fmt, a);
}

/* Refuse members of @p o not in the NULL-ended @p names. */
static attest_err_t
known_members(const json_t *o, const char *path, const char *const *names,
    attest_diag_t *diag)
{
	char field[PATH_BYTES];
	const char *k;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)(uintptr_t)o, k, v) {
		for (i = 0; names[i] != NULL; i++)
			if (strcmp(k, names[i]) == 0)
				break;
		if (names[i] == NULL)
			return bad(diag, attest_json_path(field, sizeof(field),
			    path, k), "unknown member (specs/policy.md lists "
			    "the members of %s)", *path == '\0' ? "a policy" :
			    path);
	}
	return ATTEST_OK;
}

/* A non-blank string member (required or not). */
static attest_err_t
get_str(const json_t *o, const char *path, const char *key, int required,
    const char **out, attest_diag_t *diag)
{
	char field[PATH_BYTES];
	const char *s;
	attest_err_t r;

	if ((r = attest_json_get_string(o, path, key, required, out, NULL,
	    diag)) != ATTEST_OK || *out == NULL)
		return r;
	for (s = *out; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';)
		s++;
	if (*s == '\0')
		return bad(diag, attest_json_path(field, sizeof(field), path,
		    key), "is blank%s", "");
	return ATTEST_OK;
}

/* An operator id: 1 to 64 of [a-z0-9._-], starting with a letter or digit. */
static int
id_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > MAX_ID_BYTES || s[0] == '.' || s[0] == '-' ||
	    s[0] == '_')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* A date or UTC time member; absent leaves *s NULL. */
static attest_err_t
get_time(const json_t *o, const char *path, const char *key, int required,
    char **s, struct attest_ymd *t, attest_diag_t *diag)
{
	char field[PATH_BYTES];
	const char *v;
	int k;
	attest_err_t r;

	if ((r = attest_json_get_string(o, path, key, required, &v, NULL,
	    diag)) != ATTEST_OK || v == NULL)
		return r;
	k = attest_ymd_parse(v, 1, t);
	if (k != ATTEST_YMD_DATE && k != ATTEST_YMD_TIME)
		return bad(diag, attest_json_path(field, sizeof(field), path,
		    key), "\"%s\" is not a date (YYYY-MM-DD) or a UTC time "
		    "(YYYY-MM-DDTHH:MM:SSZ)", v);
	if ((*s = strdup(v)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	return ATTEST_OK;
}

static int
op_ref_cmp(const void *a, const void *b)
{
	attest_cost++;
	return strcmp(((const struct op_ref *)a)->id,
	    ((const struct op_ref *)b)->id);
}

/*
 * The operator of id @p id, or -1: a binary search once the operators are
 * indexed (a key's scope may name every operator: key x manufacturer
 * look-ups were keys x operators x operators), linear before.
 */
static long
find_op(const attest_policy_t *p, const char *id)
{
	struct op_ref key = { id, 0 }, *hit;
	size_t i;

	if (p->by_id != NULL) {
		hit = bsearch(&key, p->by_id, p->nops, sizeof(*p->by_id),
		    op_ref_cmp);
		return hit == NULL ? -1 : (long)hit->i;
	}
	for (i = 0; i < p->nops; i++)
		if (strcmp(p->ops[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* The index of find_op(), once the operators are parsed (ids unique). */
static attest_err_t
index_ops(attest_policy_t *p)
{
	size_t i;

	if ((p->by_id = calloc(p->nops + 1, sizeof(*p->by_id))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	for (i = 0; i < p->nops; i++) {
		p->by_id[i].id = p->ops[i].id;
		p->by_id[i].i = i;
	}
	qsort(p->by_id, p->nops, sizeof(*p->by_id), op_ref_cmp);
	return ATTEST_OK;
}

/*
 * The one operator of the policy that a record's legal name and country
 * name (specs/policy.md §2.2); a NULL country (a record that gives
 * none) matches on the name.  The comparison is attest_cra_operator_same()
 * here as everywhere a record names an operator.
 *
 * @return 1 and its index in *out; 0: none; -1: more than one, *out the
 *         number that matched.
 */
static int
resolve(const attest_policy_t *p, const char *name, const char *country,
    size_t *out)
{
	size_t i, n = 0, at = 0;

	for (i = 0; name != NULL && i < p->nops; i++)
		if (attest_cra_operator_same(p->ops[i].legal_name,
		    p->ops[i].country, name, country)) {
			at = i;
			n++;
		}
	*out = n > 1 ? n : at;
	return n > 1 ? -1 : (int)n;
}

static attest_err_t
parse_operator(attest_policy_t *p, const json_t *o, size_t i,
    attest_diag_t *diag)
{
	static const char *const names[] = { "id", "legal_name", "country",
	    "roles", "comment", NULL };
	static const char *const role_members[] = { "threshold", NULL };
	struct pol_operator *op = &p->ops[i];
	char path[PATH_BYTES], field[PATH_BYTES], tfield[PATH_BYTES];
	const char *id, *name, *country, *comment, *k;
	json_t *roles, *v, *t;
	attest_role_t role;
	size_t n;
	attest_err_t r;

	(void)snprintf(path, sizeof(path), "operators[%zu]", i);
	if (!json_is_object(o))
		return bad(diag, path, "must be an object%s", "");
	if ((r = known_members(o, path, names, diag)) != ATTEST_OK ||
	    (r = get_str(o, path, "id", 1, &id, diag)) != ATTEST_OK ||
	    (r = get_str(o, path, "legal_name", 1, &name, diag)) !=
	    ATTEST_OK ||
	    (r = get_str(o, path, "country", 1, &country, diag)) !=
	    ATTEST_OK ||
	    (r = get_str(o, path, "comment", 0, &comment, diag)) !=
	    ATTEST_OK ||
	    (r = attest_json_get_typed(o, path, "roles", JSON_OBJECT, 1,
	    &roles, diag)) != ATTEST_OK)
		return r;
	if (!id_ok(id))
		return bad(diag, fpath(field, "operators", i, "id"), "\"%s\" "
		    "is not 1 to 64 of a-z, 0-9, '.', '-', '_' (starting with "
		    "a letter or digit)", id);
	if (find_op(p, id) >= 0)
		return attest_diag_set(diag, ATTEST_ERR_DUPLICATE,
		    fpath(field, "operators", i, "id"), -1, "\"%s\" is "
		    "already the id of another operator", id);
	if (!attest_country_ok(country))
		return bad(diag, fpath(field, "operators", i, "country"),
		    "\"%s\" is not an ISO 3166-1 alpha-2 code", country);
	if (resolve(p, name, country, &n) > 0)
		return attest_diag_set(diag, ATTEST_ERR_DUPLICATE,
		    fpath(field, "operators", i, "legal_name"), -1,
		    "\"%s\" in %s is already operator \"%s\": a "
		    "record names an operator by legal name and "
		    "country, so these could not be told apart", name,
		    country, p->ops[n].id);
	if (json_object_size(roles) == 0)
		return bad(diag, fpath(field, "operators", i, "roles"),
		    "names no role%s", "");
	(void)snprintf(path, sizeof(path), "operators[%zu].roles", i);
	json_object_foreach(roles, k, v) {
		attest_json_path(field, sizeof(field), path, k);
		if ((role = attest_role_from_name(k)) == ATTEST_ROLE_NONE)
			return bad(diag, field, "\"%s\" is not a role "
			    "(manufacturer, authorised_representative, "
			    "importer, distributor)", k);
		if (!json_is_object(v))
			return bad(diag, field, "must be an object%s", "");
		if ((r = known_members(v, field, role_members, diag)) !=
		    ATTEST_OK)
			return r;
		op->threshold[role] = 1;
		if ((t = json_object_get(v, "threshold")) != NULL) {
			if (!json_is_integer(t) || json_integer_value(t) < 1 ||
			    json_integer_value(t) > ATTEST_MAX_KEYS)
				return bad(diag, attest_json_path(tfield,
				    sizeof(tfield), field, "threshold"),
				    "must be an integer from 1 to 1024%s", "");
			op->threshold[role] = (size_t)json_integer_value(t);
		}
	}
	if ((op->id = strdup(id)) == NULL ||
	    (op->legal_name = strdup(name)) == NULL) {
		/* not counted in nops yet: policy_free would miss it */
		free(op->id);
		op->id = NULL;
		return ATTEST_ERR_NO_MEMORY;
	}
	memcpy(op->country, country, 3);
	p->nops++;
	return ATTEST_OK;
}

/*
 * The public key of the Key object @p o at @p path (keys[i], or a
 * rotation's new_key), its algorithm checked against the policy's.
 * @p uv: user verification demanded from outside the object; *own_uv
 * receives the object's own require_uv.
 */
static attest_err_t
parse_pubkey(const json_t *o, const char *path, int uv, int *own_uv,
    attest_pubkey_t **out, attest_diag_t *diag)
{
	char f[PATH_BYTES];
	const char *an, *pem, *rp, *kid;
	attest_pubkey_t *pk = NULL;
	attest_alg_t alg, got;
	json_t *j;
	attest_err_t r;

	*own_uv = 0;
	if ((r = get_str(o, path, "algorithm", 1, &an, diag)) != ATTEST_OK ||
	    (r = get_str(o, path, "public_key", 1, &pem, diag)) !=
	    ATTEST_OK ||
	    (r = get_str(o, path, "rp_id", 0, &rp, diag)) != ATTEST_OK ||
	    (r = get_str(o, path, "keyid", 0, &kid, diag)) != ATTEST_OK)
		return r;
	if ((alg = attest_alg_from_name(an)) == ATTEST_ALG_NONE)
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
		    mpath(f, path, "algorithm"), -1, "\"%s\" is not an "
		    "algorithm libattest knows", an);
	if ((r = attest_pubkey_parse_pem(&pk, (const unsigned char *)pem,
	    strlen(pem), diag)) != ATTEST_OK) {
		attest_diag_prefix_field(diag, mpath(f, path, "public_key"));
		return r;
	}
	got = attest_pubkey_alg(pk);
	if (attest_alg_is_fido(alg) && !attest_alg_is_fido(got) &&
	    got == attest_fido_base_alg(alg)) {
		/* a plain PEM key made a FIDO key by the policy's rp_id */
		if (rp == NULL) {
			r = bad(diag, mpath(f, path, "rp_id"), "missing: a %s "
			    "key given as plain PEM needs its relying party "
			    "id", an);
			goto fail;
		}
		if ((r = attest_pubkey_make_fido(pk, alg, rp, strlen(rp),
		    diag)) != ATTEST_OK)
			goto fail;
		got = alg;
	} else if (rp != NULL && (!attest_alg_is_fido(got) ||
	    strcmp(rp, attest_pubkey_fido_rp_id(pk)) != 0)) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, mpath(f, path,
		    "rp_id"), -1, "\"%s\" is not the relying party id of the "
		    "public key%s", rp, attest_alg_is_fido(got) ? "" :
		    " (which is not a FIDO key)");
		goto fail;
	}
	if (got != alg) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, mpath(f, path,
		    "algorithm"), -1, "the policy says %s, the public key is a "
		    "%s key", an, attest_alg_name(got));
		goto fail;
	}
	if (kid != NULL && strcmp(kid, attest_pubkey_keyid(pk)) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, mpath(f, path,
		    "keyid"), -1, "%s is not the key id of the public key (%s)",
		    kid, attest_pubkey_keyid(pk));
		goto fail;
	}
	if ((j = json_object_get(o, "require_uv")) != NULL) {
		if (!json_is_boolean(j)) {
			r = bad(diag, mpath(f, path, "require_uv"), "must be "
			    "true or false%s", "");
			goto fail;
		}
		if (json_is_true(j) && !attest_alg_is_fido(alg)) {
			r = bad(diag, mpath(f, path, "require_uv"), "user "
			    "verification is a FIDO key's; this is a %s key",
			    an);
			goto fail;
		}
		*own_uv = json_is_true(j);
		uv |= *own_uv;
	}
	if (uv && attest_alg_is_fido(alg) &&
	    (r = attest_pubkey_set_fido_uv(pk, 1)) != ATTEST_OK)
		goto fail;
	*out = pk;
	return ATTEST_OK;
fail:
	attest_pubkey_free(&pk);
	return r;
}

static attest_err_t
parse_scope(attest_policy_t *p, struct pol_key *k, const json_t *o,
    size_t i, attest_diag_t *diag)
{
	char field[PATH_BYTES], path[PATH_BYTES];
	unsigned char *named;
	json_t *a, *v;
	size_t j;
	long op;
	attest_err_t r = ATTEST_OK;

	(void)snprintf(path, sizeof(path), "keys[%zu]", i);
	if ((r = attest_json_get_typed(o, path, "products", JSON_ARRAY, 0, &a,
	    diag)) != ATTEST_OK)
		return r;
	if (a != NULL) {
		if (json_array_size(a) == 0)
			return bad(diag, fpath(field, "keys", i, "products"),
			    "is empty (leave it out to allow every "
			    "product)%s", "");
		if ((k->products = calloc(json_array_size(a),
		    sizeof(*k->products))) == NULL)
			return ATTEST_ERR_NO_MEMORY;
		json_array_foreach(a, j, v) {
			(void)snprintf(field, sizeof(field),
			    "keys[%zu].products[%zu]", i, j);
			if (!json_is_string(v) || json_string_length(v) == 0)
				return bad(diag, field, "must be a type "
				    "designation (a non-empty string)%s", "");
			if ((k->products[j] = strdup(json_string_value(v))) ==
			    NULL)
				return ATTEST_ERR_NO_MEMORY;
			k->nproducts++;
		}
	}
	if ((r = attest_json_get_typed(o, path, "manufacturers", JSON_ARRAY,
	    0, &a, diag)) != ATTEST_OK || a == NULL)
		return r;
	if (k->roles == (1u << ATTEST_ROLE_MANUFACTURER))
		return bad(diag, fpath(field, "keys", i, "manufacturers"),
		    "a manufacturer's key speaks for its own operator%s", "");
	if (json_array_size(a) == 0)
		return bad(diag, fpath(field, "keys", i, "manufacturers"),
		    "is empty (leave it out to allow every manufacturer)%s",
		    "");
	if ((k->mfrs = calloc(json_array_size(a), sizeof(*k->mfrs))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	/* which operators are named already: one flag each, not a scan */
	if ((named = calloc(p->nops + 1, 1)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	json_array_foreach(a, j, v) {
		(void)snprintf(field, sizeof(field),
		    "keys[%zu].manufacturers[%zu]", i, j);
		if (!json_is_string(v)) {
			r = bad(diag, field, "must be an operator id%s", "");
			break;
		}
		if ((op = find_op(p, json_string_value(v))) < 0 ||
		    p->ops[op].threshold[ATTEST_ROLE_MANUFACTURER] == 0) {
			r = bad(diag, field, "\"%s\" is not the id of an "
			    "operator with the role manufacturer",
			    json_string_value(v));
			break;
		}
		if (named[op]) {
			r = attest_diag_set(diag, ATTEST_ERR_DUPLICATE, field,
			    -1, "\"%s\" is named twice",
			    json_string_value(v));
			break;
		}
		named[op] = 1;
		k->mfrs[k->nmfrs++] = (size_t)op;
	}
	free(named);
	return r;
}

static attest_err_t
parse_key(attest_policy_t *p, const json_t *o, size_t i, int uv,
    attest_diag_t *diag)
{
	static const char *const names[] = { "operator", "roles",
	    "algorithm", "public_key", "rp_id", "keyid", "valid_from",
	    "valid_until", "revoked_at", "products", "manufacturers",
	    "require_uv", "comment", NULL };
	struct pol_key *k = &p->keys[i];
	struct pol_operator *op;
	char path[PATH_BYTES], field[PATH_BYTES];
	const char *opid, *comment;
	attest_pubkey_t *pk = NULL;
	attest_role_t role;
	json_t *roles, *v;
	size_t j;
	long n;
	attest_err_t r;

	(void)snprintf(path, sizeof(path), "keys[%zu]", i);
	p->nkeys++;	/* so that the key's members are freed */
	k->signer = i;
	k->parent = k->event = k->until_ev = k->revoked_ev = -1;
	if (!json_is_object(o))
		return bad(diag, path, "must be an object%s", "");
	if ((r = known_members(o, path, names, diag)) != ATTEST_OK ||
	    (r = get_str(o, path, "operator", 1, &opid, diag)) != ATTEST_OK ||
	    (r = get_str(o, path, "comment", 0, &comment, diag)) !=
	    ATTEST_OK ||
	    (r = attest_json_get_typed(o, path, "roles", JSON_ARRAY, 1,
	    &roles, diag)) != ATTEST_OK)
		return r;
	if ((n = find_op(p, opid)) < 0)
		return bad(diag, fpath(field, "keys", i, "operator"), "\"%s\" "
		    "is not the id of an operator of this policy", opid);
	k->op = (size_t)n;
	op = &p->ops[k->op];
	if (json_array_size(roles) == 0)
		return bad(diag, fpath(field, "keys", i, "roles"), "names no "
		    "role%s", "");
	json_array_foreach(roles, j, v) {
		(void)snprintf(field, sizeof(field), "keys[%zu].roles[%zu]", i,
		    j);
		if (!json_is_string(v) || (role = attest_role_from_name(
		    json_string_value(v))) == ATTEST_ROLE_NONE)
			return bad(diag, field, "is not a role (manufacturer, "
			    "authorised_representative, importer, "
			    "distributor)%s", "");
		if (k->roles & (1u << role))
			return attest_diag_set(diag, ATTEST_ERR_DUPLICATE,
			    field, -1, "\"%s\" is named twice",
			    json_string_value(v));
		if (op->threshold[role] == 0)
			return bad(diag, field, "operator \"%s\" does not hold "
			    "this role (its \"roles\" do not name it)", op->id);
		k->roles |= 1u << role;
	}
	if ((r = get_time(o, path, "valid_from", 1, &k->from_s, &k->from,
	    diag)) != ATTEST_OK ||
	    (r = get_time(o, path, "valid_until", 0, &k->until_s, &k->until,
	    diag)) != ATTEST_OK ||
	    (r = get_time(o, path, "revoked_at", 0, &k->revoked_s,
	    &k->revoked, diag)) != ATTEST_OK)
		return r;
	if (k->until_s != NULL && (attest_ymd_cmp(&k->until, &k->from) < 0 ||
	    (attest_ymd_cmp(&k->until, &k->from) == 0 &&
	    k->until.secs < k->from.secs)))
		return bad(diag, fpath(field, "keys", i, "valid_until"),
		    "is before valid_from (%s)", k->from_s);
	if ((r = parse_scope(p, k, o, i, diag)) != ATTEST_OK)
		return r;
	if ((r = parse_pubkey(o, path, uv, &k->require_uv, &pk, diag)) !=
	    ATTEST_OK)
		return r;
	r = attest_keyset_add(p->ks, pk);
	if (r == ATTEST_ERR_DUPLICATE)
		r = attest_diag_set(diag, r, fpath(field, "keys", i,
		    "public_key"), -1, "key %s is already in the policy "
		    "(one entry per key: give it several roles instead)",
		    attest_pubkey_keyid(pk));
	attest_pubkey_free(&pk);
	if (r != ATTEST_OK)
		return r;
	for (j = 1; j < NROLES; j++)
		if (k->roles & (1u << j))
			op->nkeys[j]++;
	return ATTEST_OK;
}

/* Key lifecycle (specs/policy.md §5) -------------------------------------- */

/* Compare two times by day, then by second (a date is 00:00:00). */
static int
tcmp(const struct attest_ymd *a, const struct attest_ymd *b)
{
	int c = attest_ymd_cmp(a, b);

	if (c != 0)
		return c;
	return a->secs < b->secs ? -1 : a->secs > b->secs;
}

/* " (key_events[n])" when event @p ev (not -1) made a change, else "". */
static const char *
by_event(char buf[PATH_BYTES], long ev)
{
	buf[0] = '\0';
	if (ev >= 0)
		(void)snprintf(buf, PATH_BYTES, " (key_events[%ld])", ev);
	return buf;
}

/* Where key @p k comes from, for messages: "keys[3]", "key_events[1]". */
static const char *
origin(const attest_policy_t *p, size_t k, char buf[PATH_BYTES])
{
	if (p->keys[k].event < 0)
		(void)snprintf(buf, PATH_BYTES, "keys[%zu]", k);
	else
		(void)snprintf(buf, PATH_BYTES, "key_events[%ld]",
		    p->keys[k].event);
	return buf;
}

/*
 * Why key @p k may not sign a key event dated @p t (0 when it may): the
 * window and revocation rules of records (§2.5), compared by day.
 */
static int
unusable(const attest_policy_t *p, size_t k, const struct attest_ymd *t,
    char why[WHY_BYTES])
{
	const struct pol_key *kk = &p->keys[k];
	char ev[PATH_BYTES];

	why[0] = '\0';
	if (attest_ymd_cmp(t, &kk->from) < 0)
		(void)snprintf(why, WHY_BYTES, "it is valid from %s only",
		    kk->from_s);
	else if (kk->until_s != NULL && attest_ymd_cmp(t, &kk->until) > 0)
		(void)snprintf(why, WHY_BYTES, "its validity ended %s%s",
		    kk->until_s, by_event(ev, kk->until_ev));
	else if (kk->revoked_s != NULL && attest_ymd_cmp(t, &kk->revoked) >= 0)
		(void)snprintf(why, WHY_BYTES, "it is revoked since %s%s",
		    kk->revoked_s, by_event(ev, kk->revoked_ev));
	return why[0] != '\0';
}

/* Did key @p k of the policy verify @p v? */
static int
signed_by(const attest_policy_t *p, const attest_verified_t *v, size_t k)
{
	size_t i;

	for (i = 0; i < attest_verified_key_count(v); i++)
		if (attest_keyset_find(p->ks, attest_pubkey_keyid(
		    attest_verified_key(v, i))) == (long)k)
			return 1;
	return 0;
}

/* A key id member naming a key of the policy; its index in *k. */
static attest_err_t
get_keyref(const attest_policy_t *p, const json_t *o, const char *path,
    const char *key, size_t *k, attest_diag_t *diag)
{
	char f[PATH_BYTES];
	const char *id;
	size_t i;
	long n;
	attest_err_t r;

	if ((r = attest_json_get_string(o, path, key, 1, &id, NULL, diag)) !=
	    ATTEST_OK)
		return r;
	for (i = 0; (id[i] >= '0' && id[i] <= '9') ||
	    (id[i] >= 'a' && id[i] <= 'f'); i++)
		continue;
	if (i != ATTEST_KEYID_LEN || id[i] != '\0')
		return bad(diag, mpath(f, path, key), "\"%s\" is not a key id "
		    "(64 lowercase hex digits: the SHA-256 of the key's DER "
		    "SubjectPublicKeyInfo)", id);
	if ((n = attest_keyset_find(p->ks, id)) < 0)
		return attest_diag_set(diag, ATTEST_ERR_NOT_FOUND,
		    mpath(f, path, key), -1, "key %s is not in the policy "
		    "(neither in \"keys\" nor added by an earlier key event)",
		    id);
	*k = (size_t)n;
	return ATTEST_OK;
}

/*
 * Is the one subject of @p st the key @p pk?  Its digests must match
 * (specs/statement.md §4) the key's DER SubjectPublicKeyInfo, whose
 * SHA-256 is the key id, or its public key file as attest-keygen writes
 * it (attest_pubkey_pem_alloc), which is what `attest-sign ... NEW.pub`
 * hashes.
 */
static attest_err_t
subject_is(const attest_stmt_t *st, const attest_pubkey_t *pk, int *yes)
{
	attest_digest_t *d = NULL;
	unsigned char *pem = NULL;
	size_t pem_len = 0, idx, form;
	attest_err_t r;

	*yes = 0;
	if ((r = attest_pubkey_pem_alloc(pk, &pem, &pem_len)) != ATTEST_OK)
		return r;
	for (form = 0; form < 2 && !*yes; form++) {
		if ((d = attest_digest_new(ATTEST_DIGEST_ALL)) == NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto fail;
		}
		if ((r = attest_digest_update(d, form == 0 ?
		    attest_pubkey_spki_ptr(pk) : pem, form == 0 ?
		    attest_pubkey_spki_len(pk) : pem_len)) != ATTEST_OK ||
		    (r = attest_digest_final(d)) != ATTEST_OK)
			goto fail;
		r = attest_stmt_match(st, d, &idx, NULL);
		if (r == ATTEST_OK)
			*yes = 1;
		else if (r != ATTEST_ERR_MISMATCH)
			goto fail;
		attest_digest_free(&d);
	}
	r = ATTEST_OK;
fail:
	attest_digest_free(&d);
	attest_freezero(pem, pem_len);
	return r;
}

/*
 * File a problem found inside a key event under @p prefix
 * ("key_events[2]" + "signatures[0].sig"); the byte offset, which was
 * into the event's own text and not into the policy, is dropped.
 */
static attest_err_t
nested(attest_diag_t *diag, attest_err_t r, const char *prefix)
{
	char field[2 * PATH_BYTES], reason[WHY_BYTES];
	const char *f, *why;

	if (diag == NULL || (why = attest_diag_get_reason(diag)) == NULL)
		return r;
	(void)snprintf(reason, sizeof(reason), "%s", why);
	if ((f = attest_diag_get_field(diag)) == NULL)
		(void)snprintf(field, sizeof(field), "%s", prefix);
	else
		(void)snprintf(field, sizeof(field), "%s%s%s", prefix,
		    f[0] == '[' ? "" : ".", f);
	return attest_diag_set(diag, r, field, -1, "%s", reason);
}

/*
 * A rotation (§5.2): the old key, valid and not revoked on signed_at,
 * and the new key (proof of possession) both signed it; the new key
 * joins the policy as the old key's successor, with its operator, roles
 * and scope, and old_valid_until may end the old key's window.
 */
static attest_err_t
rotation(attest_policy_t *p, size_t ev, const attest_envelope_t *e,
    const attest_verified_t *v, const attest_stmt_t *st, const json_t *pred,
    int uv, attest_diag_t *diag)
{
	static const char *const names[] = { "old_keyid", "signed_at",
	    "new_key", "old_valid_until", "comment", NULL };
	static const char *const key_names[] = { "algorithm", "public_key",
	    "rp_id", "keyid", "valid_from", "valid_until", NULL };
	char path[PATH_BYTES], pp[PATH_BYTES], kp[PATH_BYTES], f[PATH_BYTES];
	char o2[PATH_BYTES], why[WHY_BYTES];
	struct attest_ymd at, ouv;
	char *at_s = NULL, *ouv_s = NULL;
	const char *comment, *oid;
	struct pol_key *old, *k;
	attest_pubkey_t *pk = NULL;
	attest_keyset_t *one = NULL;
	json_t *nk;
	size_t o, j;
	long dup;
	int yes, own_uv;
	attest_err_t r;

	(void)snprintf(path, sizeof(path), "key_events[%zu]", ev);
	(void)snprintf(pp, sizeof(pp), "key_events[%zu].payload.predicate",
	    ev);
	(void)snprintf(kp, sizeof(kp), "key_events[%zu].payload.predicate."
	    "new_key", ev);
	if ((r = known_members(pred, pp, names, diag)) != ATTEST_OK ||
	    (r = get_keyref(p, pred, pp, "old_keyid", &o, diag)) !=
	    ATTEST_OK ||
	    (r = get_time(pred, pp, "signed_at", 1, &at_s, &at, diag)) !=
	    ATTEST_OK ||
	    (r = get_time(pred, pp, "old_valid_until", 0, &ouv_s, &ouv,
	    diag)) != ATTEST_OK ||
	    (r = get_str(pred, pp, "comment", 0, &comment, diag)) !=
	    ATTEST_OK ||
	    (r = attest_json_get_typed(pred, pp, "new_key", JSON_OBJECT, 1,
	    &nk, diag)) != ATTEST_OK ||
	    (r = known_members(nk, kp, key_names, diag)) != ATTEST_OK)
		goto fail;
	old = &p->keys[o];
	oid = attest_pubkey_keyid(attest_keyset_get(p->ks, o));
	/* the successor's entry, counted now so that its members are freed */
	k = &p->keys[p->nkeys++];
	k->op = old->op;
	k->roles = old->roles;
	k->require_uv = old->require_uv;
	k->signer = old->signer;
	k->parent = (long)o;
	k->event = (long)ev;
	k->until_ev = k->revoked_ev = -1;
	k->rotated = at;
	k->rotated_s = at_s;
	at_s = NULL;
	if ((r = get_time(nk, kp, "valid_from", 1, &k->from_s, &k->from,
	    diag)) != ATTEST_OK ||
	    (r = get_time(nk, kp, "valid_until", 0, &k->until_s, &k->until,
	    diag)) != ATTEST_OK)
		goto fail;
	if (k->until_s != NULL && tcmp(&k->until, &k->from) < 0) {
		r = bad(diag, mpath(f, kp, "valid_until"), "is before "
		    "valid_from (%s)", k->from_s);
		goto fail;
	}
	if (attest_ymd_cmp(&k->from, &k->rotated) < 0) {
		r = bad(diag, mpath(f, kp, "valid_from"), "is before the "
		    "rotation's signed_at (%s): a rotation cannot introduce a "
		    "key for a time before it was signed", k->rotated_s);
		goto fail;
	}
	if (ouv_s != NULL && attest_ymd_cmp(&ouv, &k->rotated) < 0) {
		r = bad(diag, mpath(f, pp, "old_valid_until"), "is before "
		    "signed_at (%s): the old key would not be valid when it "
		    "signed the rotation", k->rotated_s);
		goto fail;
	}
	/* the old key signed it, on a day it may sign */
	if (!signed_by(p, v, o)) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, path, -1, "not signed "
		    "by the old key %s (%s): a rotation needs the signatures "
		    "of the old key and of the new key", oid,
		    origin(p, o, o2));
		goto fail;
	}
	if (unusable(p, o, &k->rotated, why)) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, path, -1, "the old "
		    "key %s (%s) may not sign on %s, the rotation's signed_at: "
		    "%s", oid, origin(p, o, o2), k->rotated_s, why);
		goto fail;
	}
	/* the new key: its algorithm and rp id from here, uv inherited */
	if ((r = parse_pubkey(nk, kp, uv || k->require_uv, &own_uv, &pk,
	    diag)) != ATTEST_OK)
		goto fail;
	if ((dup = attest_keyset_find(p->ks, attest_pubkey_keyid(pk))) >= 0) {
		r = attest_diag_set(diag, ATTEST_ERR_DUPLICATE, mpath(f, kp,
		    "public_key"), -1, "key %s is already in the policy (%s): "
		    "a rotation introduces a new key", attest_pubkey_keyid(pk),
		    origin(p, (size_t)dup, o2));
		goto fail;
	}
	if ((r = subject_is(st, pk, &yes)) != ATTEST_OK)
		goto fail;
	if (!yes) {
		(void)snprintf(f, sizeof(f), "key_events[%zu].payload."
		    "subject[0]", ev);
		r = bad(diag, f, "is not the new key: its digests are neither "
		    "those of the key's DER SubjectPublicKeyInfo (key id %s) "
		    "nor those of its public key file", attest_pubkey_keyid(pk));
		goto fail;
	}
	/* proof of possession: the new key signed the rotation as well */
	if ((one = attest_keyset_new()) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	if ((r = attest_keyset_add(one, pk)) != ATTEST_OK)
		goto fail;
	if ((r = attest_envelope_verify(e, one, 1, NULL, NULL)) != ATTEST_OK) {
		if (r == ATTEST_ERR_VERIFY)
			r = attest_diag_set(diag, ATTEST_ERR_KEY, path, -1,
			    "not signed by the new key %s: a rotation needs "
			    "the signatures of the old key and of the new key "
			    "(proof of possession)", attest_pubkey_keyid(pk));
		goto fail;
	}
	if ((r = attest_keyset_add(p->ks, pk)) != ATTEST_OK) {
		if (r == ATTEST_ERR_TOO_LARGE)
			r = attest_diag_set(diag, r, kp, -1, "the policy "
			    "already has %d keys", ATTEST_MAX_KEYS);
		goto fail;
	}
	/* the old key's scope, copied */
	if (old->products != NULL) {
		if ((k->products = calloc(old->nproducts,
		    sizeof(*k->products))) == NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto fail;
		}
		for (j = 0; j < old->nproducts; j++, k->nproducts++)
			if ((k->products[j] = strdup(old->products[j])) ==
			    NULL) {
				r = ATTEST_ERR_NO_MEMORY;
				goto fail;
			}
	}
	if (old->mfrs != NULL) {
		if ((k->mfrs = calloc(old->nmfrs, sizeof(*k->mfrs))) == NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto fail;
		}
		memcpy(k->mfrs, old->mfrs, old->nmfrs * sizeof(*k->mfrs));
		k->nmfrs = old->nmfrs;
	}
	/* old_valid_until ends the old key's window; it never extends it */
	if (ouv_s != NULL && (old->until_s == NULL ||
	    tcmp(&ouv, &old->until) < 0)) {
		free(old->until_s);
		old->until_s = ouv_s;
		old->until = ouv;
		old->until_ev = (long)ev;
		ouv_s = NULL;
	}
	r = ATTEST_OK;
fail:
	free(at_s);
	free(ouv_s);
	attest_keyset_free(&one);
	attest_pubkey_free(&pk);
	return r;
}

/* Is @p s free of control characters (it is shown in messages)? */
static int
is_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return 0;
	return 1;
}

/*
 * A revocation (§5.3): signed by the revoked key itself, or by another
 * key of its operator that holds one of its roles and may sign on
 * signed_at.  The earliest revoked_at of the policy and its revocations
 * wins.
 */
static attest_err_t
revocation(attest_policy_t *p, size_t ev, const attest_verified_t *v,
    const attest_stmt_t *st, const json_t *pred, attest_diag_t *diag)
{
	static const char *const names[] = { "keyid", "signed_at",
	    "revoked_at", "reason", "comment", NULL };
	char path[PATH_BYTES], pp[PATH_BYTES], f[PATH_BYTES];
	char o2[PATH_BYTES], w[WHY_BYTES];
	char why[2 * WHY_BYTES], first[2 * WHY_BYTES] = "";
	struct attest_ymd at, rv;
	char *at_s = NULL, *rv_s = NULL, *rs = NULL;
	const char *reason, *comment, *kid, *sid;
	const struct pol_key *sk;
	struct pol_key *k;
	size_t t, i;
	long s;
	int ok = 0, yes;
	attest_err_t r;

	(void)snprintf(path, sizeof(path), "key_events[%zu]", ev);
	(void)snprintf(pp, sizeof(pp), "key_events[%zu].payload.predicate",
	    ev);
	if ((r = known_members(pred, pp, names, diag)) != ATTEST_OK ||
	    (r = get_keyref(p, pred, pp, "keyid", &t, diag)) != ATTEST_OK ||
	    (r = get_time(pred, pp, "signed_at", 1, &at_s, &at, diag)) !=
	    ATTEST_OK ||
	    (r = get_time(pred, pp, "revoked_at", 1, &rv_s, &rv, diag)) !=
	    ATTEST_OK ||
	    (r = get_str(pred, pp, "reason", 1, &reason, diag)) !=
	    ATTEST_OK ||
	    (r = get_str(pred, pp, "comment", 0, &comment, diag)) !=
	    ATTEST_OK)
		goto fail;
	if (strlen(reason) > MAX_REASON_BYTES || !is_printable(reason)) {
		r = bad(diag, mpath(f, pp, "reason"), "must be at most %s "
		    "bytes of text without control characters (it is shown "
		    "in messages)", "256");
		goto fail;
	}
	k = &p->keys[t];
	kid = attest_pubkey_keyid(attest_keyset_get(p->ks, t));
	if ((r = subject_is(st, attest_keyset_get(p->ks, t), &yes)) !=
	    ATTEST_OK)
		goto fail;
	if (!yes) {
		(void)snprintf(f, sizeof(f), "key_events[%zu].payload."
		    "subject[0]", ev);
		r = bad(diag, f, "is not the revoked key: its digests are "
		    "neither those of the key's DER SubjectPublicKeyInfo (key "
		    "id %s) nor those of its public key file", kid);
		goto fail;
	}
	/* who signed: the key itself, or a sibling that may sign then */
	for (i = 0; !ok && i < attest_verified_key_count(v); i++) {
		sid = attest_pubkey_keyid(attest_verified_key(v, i));
		if ((s = attest_keyset_find(p->ks, sid)) < 0)
			continue;
		sk = &p->keys[s];
		why[0] = '\0';
		if ((size_t)s == t)
			ok = 1;
		else if (sk->op != k->op)
			(void)snprintf(why, sizeof(why), "key %s is \"%s\"'s",
			    sid, p->ops[sk->op].id);
		else if (!(sk->roles & k->roles))
			(void)snprintf(why, sizeof(why), "key %s holds none of "
			    "the revoked key's roles", sid);
		else if (unusable(p, (size_t)s, &at, w))
			(void)snprintf(why, sizeof(why), "key %s may not sign "
			    "on %s: %s", sid, at_s, w);
		else
			ok = 1;
		if (first[0] == '\0')
			(void)snprintf(first, sizeof(first), "%s", why);
	}
	if (!ok) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, path, -1, "not signed "
		    "by key %s (%s) itself, nor by another key of \"%s\" that "
		    "holds one of its roles and may sign on %s%s%s", kid,
		    origin(p, t, o2), p->ops[k->op].id, at_s,
		    first[0] != '\0' ? ": " : "", first);
		goto fail;
	}
	/* the earliest revocation wins; a later one changes nothing */
	if (k->revoked_s == NULL || tcmp(&rv, &k->revoked) < 0) {
		if ((rs = strdup(reason)) == NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto fail;
		}
		free(k->revoked_s);
		free(k->revoked_why);
		k->revoked_s = rv_s;
		k->revoked = rv;
		k->revoked_ev = (long)ev;
		k->revoked_why = rs;
		rv_s = NULL;
	}
	r = ATTEST_OK;
fail:
	free(at_s);
	free(rv_s);
	return r;
}

/*
 * key_events[i]: a DSSE envelope, verified against the keys the policy
 * has so far (the keys of "keys" and those earlier rotations added),
 * then read as an in-toto Statement of a rotation or a revocation.
 */
static attest_err_t
parse_event(attest_policy_t *p, const json_t *o, size_t i, int uv,
    attest_diag_t *diag)
{
	char path[PATH_BYTES], f[PATH_BYTES];
	unsigned char *txt = NULL, *pj = NULL;
	size_t txt_len = 0, pj_len = 0;
	attest_envelope_t *e = NULL;
	attest_verified_t *v = NULL;
	attest_stmt_t *st = NULL;
	json_t *pred = NULL;
	const char *type;
	int rot;
	attest_err_t r;

	(void)snprintf(path, sizeof(path), "key_events[%zu]", i);
	if (!json_is_object(o))
		return bad(diag, path, "must be a DSSE envelope: a JSON object, "
		    "as attest-sign writes it%s", "");
	if ((r = attest_json_dump_alloc(o, &txt, &txt_len)) != ATTEST_OK)
		goto fail;
	if ((r = attest_envelope_parse(&e, txt, txt_len, diag)) != ATTEST_OK) {
		r = nested(diag, r, path);
		goto fail;
	}
	/* verify first (specs/dsse.md §7); parse the payload after */
	if ((r = attest_envelope_verify(e, p->ks, 1, &v, diag)) != ATTEST_OK) {
		if (r == ATTEST_ERR_VERIFY)
			r = attest_diag_set(diag, ATTEST_ERR_KEY, path, -1,
			    "signed by no key of the policy: a rotation needs "
			    "its old key's signature, a revocation the revoked "
			    "key's or another key of its operator's (a key a "
			    "rotation adds signs only in the events listed "
			    "after that rotation)");
		else
			r = nested(diag, r, path);
		goto fail;
	}
	type = attest_verified_payload_type(v);
	if (strcmp(type, ATTEST_PAYLOAD_TYPE_INTOTO) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, mpath(f, path,
		    "payloadType"), -1, "\"%s\": a key event is an in-toto "
		    "Statement (%s)", type, ATTEST_PAYLOAD_TYPE_INTOTO);
		goto fail;
	}
	if ((r = attest_stmt_parse(&st, attest_verified_payload_ptr(v),
	    attest_verified_payload_len(v), diag)) != ATTEST_OK) {
		r = nested(diag, r, mpath(f, path, "payload"));
		goto fail;
	}
	type = attest_stmt_predicate_type(st);
	rot = strcmp(type, ROTATION_TYPE) == 0;
	if (!rot && strcmp(type, REVOCATION_TYPE) != 0) {
		(void)snprintf(f, sizeof(f), "key_events[%zu].payload."
		    "predicateType", i);
		r = attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, f, -1, "\"%s\" "
		    "is not a key event (%s, %s)", type, ROTATION_TYPE,
		    REVOCATION_TYPE);
		goto fail;
	}
	if (attest_stmt_subject_count(st) != 1) {
		(void)snprintf(f, sizeof(f), "key_events[%zu].payload.subject",
		    i);
		r = bad(diag, f, "a key event has one subject, the key it is "
		    "about%s", "");
		goto fail;
	}
	if ((r = attest_stmt_predicate_alloc(st, &pj, &pj_len)) != ATTEST_OK)
		goto fail;
	(void)snprintf(f, sizeof(f), "key_events[%zu].payload.predicate", i);
	if (pj_len == 4 && memcmp(pj, "null", 4) == 0) {
		r = bad(diag, f, "missing%s", "");
		goto fail;
	}
	if ((r = attest_json_load(pj, pj_len, &pred, diag)) != ATTEST_OK) {
		r = nested(diag, r, f);
		goto fail;
	}
	r = rot ? rotation(p, i, e, v, st, pred, uv, diag) :
	    revocation(p, i, v, st, pred, diag);
fail:
	json_decref(pred);
	attest_freezero(pj, pj_len);
	attest_stmt_free(&st);
	attest_verified_free(&v);
	attest_envelope_free(&e);
	attest_freezero(txt, txt_len);
	return r;
}

/*
 * A rotation stands only when its old key may still sign on its date
 * once every event is applied: a revocation listed after it, or an
 * old_valid_until, that ends the old key on or before that day shows
 * it was signed after the key was compromised or retired.  Revocations
 * are not checked again: they only ever take trust away.
 */
static attest_err_t
recheck_rotations(const attest_policy_t *p, attest_diag_t *diag)
{
	char f[PATH_BYTES], why[WHY_BYTES];
	const struct pol_key *k;
	size_t i;

	for (i = p->nbase; i < p->nkeys; i++) {
		k = &p->keys[i];
		if (!unusable(p, (size_t)k->parent, &k->rotated, why))
			continue;
		(void)snprintf(f, sizeof(f), "key_events[%ld]", k->event);
		return attest_diag_set(diag, ATTEST_ERR_KEY, f, -1, "signed on "
		    "%s by the old key %s, but %s: a key cannot rotate once "
		    "it is revoked or retired (remove this rotation)",
		    k->rotated_s, attest_pubkey_keyid(attest_keyset_get(p->ks,
		    (size_t)k->parent)), why);
	}
	return ATTEST_OK;
}

static attest_err_t
parse_policy(attest_policy_t *p, const json_t *root, attest_diag_t *diag)
{
	static const char *const names[] = { "policy_version", "name",
	    "operators", "keys", "key_events", "demands", "comment", NULL };
	static const char *const demand_names[] = { "require_uv",
	    "min_support_months", NULL };
	char field[PATH_BYTES];
	const char *name, *comment;
	json_t *ops, *keys, *evs = NULL, *dem = NULL, *v;
	size_t i, j;
	int uv = 0;
	attest_err_t r;

	if ((r = known_members(root, "", names, diag)) != ATTEST_OK)
		return r;
	v = json_object_get(root, "policy_version");
	if (v == NULL)
		return bad(diag, "policy_version", "missing%s", "");
	if (!json_is_integer(v) || json_integer_value(v) != POLICY_VERSION)
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
		    "policy_version", -1, "must be 1 (this libattest reads "
		    "version 1 policies)");
	if ((r = get_str(root, "", "name", 0, &name, diag)) != ATTEST_OK ||
	    (r = get_str(root, "", "comment", 0, &comment, diag)) !=
	    ATTEST_OK ||
	    (r = attest_json_get_typed(root, "", "operators", JSON_ARRAY, 1,
	    &ops, diag)) != ATTEST_OK ||
	    (r = attest_json_get_typed(root, "", "keys", JSON_ARRAY, 1, &keys,
	    diag)) != ATTEST_OK ||
	    (r = attest_json_get_typed(root, "", "key_events", JSON_ARRAY, 0,
	    &evs, diag)) != ATTEST_OK ||
	    (r = attest_json_get_typed(root, "", "demands", JSON_OBJECT, 0,
	    &dem, diag)) != ATTEST_OK)
		return r;
	if ((p->name = strdup(name != NULL ? name : "")) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if (dem != NULL) {
		if ((r = known_members(dem, "demands", demand_names, diag)) !=
		    ATTEST_OK)
			return r;
		if ((v = json_object_get(dem, "require_uv")) != NULL) {
			if (!json_is_boolean(v))
				return bad(diag, "demands.require_uv", "must "
				    "be true or false%s", "");
			uv = json_is_true(v);
		}
		if ((v = json_object_get(dem, "min_support_months")) !=
		    NULL) {
			if (!json_is_integer(v) || json_integer_value(v) < 1 ||
			    json_integer_value(v) > 1200)
				return bad(diag, "demands.min_support_months",
				    "must be an integer from 1 to 1200%s", "");
			p->min_support_months = json_integer_value(v);
		}
	}
	if (json_array_size(ops) == 0)
		return bad(diag, "operators", "is empty%s", "");
	if (json_array_size(keys) == 0)
		return bad(diag, "keys", "is empty%s", "");
	if (json_array_size(keys) > ATTEST_MAX_KEYS ||
	    json_array_size(ops) > ATTEST_MAX_KEYS)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "more than %d keys or operators", ATTEST_MAX_KEYS);
	if (json_array_size(evs) > ATTEST_MAX_KEYS)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE,
		    "key_events", -1, "more than %d key events",
		    ATTEST_MAX_KEYS);
	/* room for a key per rotation: "keys" and "key_events" together */
	if ((p->ops = calloc(json_array_size(ops), sizeof(*p->ops))) ==
	    NULL || (p->keys = calloc(json_array_size(keys) +
	    json_array_size(evs), sizeof(*p->keys))) == NULL ||
	    (p->ks = attest_keyset_new()) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	json_array_foreach(ops, i, v)
		if ((r = parse_operator(p, v, i, diag)) != ATTEST_OK)
			return r;
	if ((r = index_ops(p)) != ATTEST_OK)
		return r;
	json_array_foreach(keys, i, v)
		if ((r = parse_key(p, v, i, uv, diag)) != ATTEST_OK)
			return r;
	p->nbase = p->nkeys;
	if (evs != NULL) {
		json_array_foreach(evs, i, v)
			if ((r = parse_event(p, v, i, uv, diag)) != ATTEST_OK)
				return r;
		if ((r = recheck_rotations(p, diag)) != ATTEST_OK)
			return r;
	}
	/* rotated keys are their predecessors' signers: nkeys is unchanged */
	for (i = 0; i < p->nops; i++)
		for (j = 1; j < NROLES; j++) {
			if (p->ops[i].threshold[j] == 0 ||
			    p->ops[i].threshold[j] <= p->ops[i].nkeys[j])
				continue;
			(void)snprintf(field, sizeof(field),
			    "operators[%zu].roles.%s.threshold", i,
			    role_names[j]);
			return attest_diag_set(diag, ATTEST_ERR_PARSE, field,
			    -1, "%zu, but only %zu key%s of \"%s\" hold%s the "
			    "role", p->ops[i].threshold[j], p->ops[i].nkeys[j],
			    p->ops[i].nkeys[j] == 1 ? "" : "s", p->ops[i].id,
			    p->ops[i].nkeys[j] == 1 ? "s" : "");
		}
	return ATTEST_OK;
}

attest_err_t
attest_policy_parse(attest_policy_t **out, const unsigned char *ptr,
    size_t len, attest_diag_t *diag)
{
	attest_policy_t *p = NULL;
	json_t *root = NULL;
	attest_err_t r;

	if (out == NULL || ptr == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	if (len > ATTEST_MAX_INPUT_BYTES)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "policy larger than %lu bytes", ATTEST_MAX_INPUT_BYTES);
	if ((r = attest_json_load(ptr, len, &root, diag)) != ATTEST_OK)
		return r;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	if ((r = parse_policy(p, root, diag)) != ATTEST_OK)
		goto fail;
	*out = p;
	p = NULL;
fail:
	json_decref(root);
	attest_policy_free(&p);
	return r;
}

attest_err_t
attest_policy_load(attest_policy_t **out, const char *path,
    attest_diag_t *diag)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	attest_err_t r;

	if (out == NULL || path == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_file_read_alloc(path, ATTEST_MAX_INPUT_BYTES, &buf,
	    &len, diag)) != ATTEST_OK)
		return r;
	r = attest_policy_parse(out, buf, len, diag);
	free(buf);
	return r;
}

void
attest_policy_free(attest_policy_t **pp)
{
	attest_policy_t *p;
	size_t i, j;

	if (pp == NULL || (p = *pp) == NULL)
		return;
	for (i = 0; i < p->nops; i++) {
		free(p->ops[i].id);
		free(p->ops[i].legal_name);
	}
	for (i = 0; i < p->nkeys; i++) {
		free(p->keys[i].from_s);
		free(p->keys[i].until_s);
		free(p->keys[i].revoked_s);
		free(p->keys[i].rotated_s);
		free(p->keys[i].revoked_why);
		for (j = 0; j < p->keys[i].nproducts; j++)
			free(p->keys[i].products[j]);
		free(p->keys[i].products);
		free(p->keys[i].mfrs);
	}
	free(p->ops);
	free(p->by_id);
	free(p->keys);
	free(p->name);
	attest_keyset_free(&p->ks);
	free(p);
	*pp = NULL;
}

const char *
attest_policy_name(const attest_policy_t *p)
{
	return p == NULL ? NULL : p->name;
}

const attest_keyset_t *
attest_policy_keyset(const attest_policy_t *p)
{
	return p == NULL ? NULL : p->ks;
}

long long
attest_policy_min_support_months(const attest_policy_t *p)
{
	return p == NULL ? 0 : p->min_support_months;
}

/* Authorisation ------------------------------------------------------------ */

/* X-1's legal basis: who may sign which record (specs/cra.md §8) */
#define X1_BASIS	"X-1: a key used outside its operator's role, " \
			"Art. 28(1), 21"

/*
 * Why key k may not sign the record of q on day d ("" when it may).
 * The checks run in a fixed order, so that the first reason is the one
 * a reader needs: whose key it is, its role, its dates, its scope.
 * Returns 1 when the key is used outside its role (another operator's
 * key, or its operator's key for another role): X-1.
 */
static int
refusal(const attest_policy_t *p, const struct pol_key *k,
    const struct pol_operator *named, long mfr, const attest_policy_query_t *q,
    const struct attest_ymd *d, char why[WHY_BYTES])
{
	const struct pol_operator *op;
	size_t i;

	why[0] = '\0';
	if (p->ops == NULL)	/* a parsed policy has operators */
		return 0;
	op = &p->ops[k->op];
	/* the operator itself, not its name: two may share a name (§2.2) */
	if (op != named) {
		(void)snprintf(why, WHY_BYTES, "the key is \"%s\"'s (%s, %s), "
		    "the %s names \"%s\"%s%s%s", op->id, op->legal_name,
		    op->country, q->label, q->operator_name,
		    q->operator_country != NULL ? " (" : "",
		    q->operator_country != NULL ? q->operator_country : "",
		    q->operator_country != NULL ? ")" : "");
		return 1;
	}
	if (!(k->roles & (1u << q->role))) {
		(void)snprintf(why, WHY_BYTES, "the key may sign as ");
		for (i = 1; i < NROLES; i++)
			if (k->roles & (1u << i))
				(void)snprintf(why + strlen(why), WHY_BYTES -
				    strlen(why), "%s%s", role_names[i],
				    (k->roles >> (i + 1)) != 0 ? ", " : "");
		(void)snprintf(why + strlen(why), WHY_BYTES - strlen(why),
		    ", not as %s", role_names[q->role]);
		return 1;
	}
	if (attest_ymd_cmp(d, &k->from) < 0) {
		(void)snprintf(why, WHY_BYTES, "the %s is dated %s, before the "
		    "key's valid_from %s", q->label, q->signed_on, k->from_s);
		return 0;
	}
	if (k->until_s != NULL && attest_ymd_cmp(d, &k->until) > 0) {
		(void)snprintf(why, WHY_BYTES, "the %s is dated %s, after the "
		    "key's valid_until %s", q->label, q->signed_on, k->until_s);
		return 0;
	}
	if (k->revoked_s != NULL && attest_ymd_cmp(d, &k->revoked) >= 0) {
		if (k->revoked_ev >= 0)
			(void)snprintf(why, WHY_BYTES, "the key is revoked "
			    "since %s (key_events[%ld]: %s); the %s is dated "
			    "%s", k->revoked_s, k->revoked_ev, k->revoked_why,
			    q->label, q->signed_on);
		else
			(void)snprintf(why, WHY_BYTES, "the key is revoked "
			    "since %s; the %s is dated %s", k->revoked_s,
			    q->label, q->signed_on);
		return 0;
	}
	if (k->products != NULL) {
		for (i = 0; q->product != NULL && i < k->nproducts; i++)
			if (strcmp(k->products[i], q->product) == 0)
				break;
		if (q->product == NULL || i == k->nproducts) {
			(void)snprintf(why, WHY_BYTES, "the key may not sign "
			    "for product \"%s\" (its \"products\" do not name "
			    "it)", q->product != NULL ? q->product : "(none)");
			return 0;
		}
	}
	/* the manufacturer as an operator (legal name and country) */
	if (k->mfrs != NULL && q->role != ATTEST_ROLE_MANUFACTURER) {
		for (i = 0; mfr >= 0 && i < k->nmfrs; i++)
			if (k->mfrs[i] == (size_t)mfr)
				break;
		if (mfr < 0)
			(void)snprintf(why, WHY_BYTES, "the key may speak only "
			    "for the manufacturers its \"manufacturers\" name, "
			    "and the %s's manufacturer \"%s\"%s%s%s is no "
			    "operator of the policy", q->label,
			    q->manufacturer_name != NULL ?
			    q->manufacturer_name : "(none)",
			    q->manufacturer_country != NULL ? " (" : "",
			    q->manufacturer_country != NULL ?
			    q->manufacturer_country : "",
			    q->manufacturer_country != NULL ? ")" : "");
		else if (i == k->nmfrs)
			(void)snprintf(why, WHY_BYTES, "the key may not speak "
			    "for manufacturer \"%s\" (%s, %s): its "
			    "\"manufacturers\" do not name it", p->ops[mfr].id,
			    p->ops[mfr].legal_name, p->ops[mfr].country);
	}
	return 0;
}

attest_err_t
attest_policy_authorize(const attest_policy_t *p, const attest_verified_t *v,
    const attest_policy_query_t *q, attest_policy_verdict_t **out,
    attest_diag_t *diag)
{
	attest_policy_verdict_t *vd = NULL;
	struct attest_ymd d, now;
	const struct pol_operator *op = NULL, *mop = NULL;
	const char *first = NULL;
	size_t *signers = NULL;
	char raw[WHY_BYTES];
	int ambiguous = 0, found, mfr_found = 0, x1 = 0, x;
	size_t i, j = 0, n, at, mfr_n = 0;
	long k, mfr = -1;
	attest_err_t r;

	if (out != NULL)
		*out = NULL;
	if (p == NULL || v == NULL || q == NULL || q->operator_name == NULL ||
	    q->signed_on == NULL || q->label == NULL ||
	    attest_role_name(q->role) == NULL ||
	    attest_ymd_parse(q->signed_on, 0, &d) != ATTEST_YMD_DATE)
		return ATTEST_ERR_INVALID_ARGUMENT;
	n = attest_verified_key_count(v);
	if ((vd = calloc(1, sizeof(*vd))) == NULL ||
	    (vd->keyid = calloc(n + 1, sizeof(*vd->keyid))) == NULL ||
	    (vd->why = calloc(n + 1, sizeof(*vd->why))) == NULL ||
	    (signers = calloc(n + 1, sizeof(*signers))) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	vd->n = n;
	/*
	 * The operator the record names: legal name and country.  A record
	 * that gives no country (a simplified DoC) names an operator only
	 * when one operator of the policy has that legal name.
	 */
	if ((found = resolve(p, q->operator_name, q->operator_country,
	    &at)) > 0)
		op = &p->ops[at];
	else if (found < 0) {
		ambiguous = 1;
		j = at;
	}
	if (op != NULL) {
		(void)snprintf(vd->op, sizeof(vd->op), "%s", op->id);
		vd->threshold = op->threshold[q->role];
	}
	/*
	 * The manufacturer it speaks for, as an operator too: the signer
	 * itself in the manufacturer's role, else resolved on its own (a
	 * manufacturer the policy does not list is none of its operators:
	 * only keys scoped to manufacturers care).
	 */
	if (q->role == ATTEST_ROLE_MANUFACTURER)
		mop = op;
	else if ((mfr_found = resolve(p, q->manufacturer_name,
	    q->manufacturer_country, &at)) > 0)
		mop = &p->ops[at];
	else if (mfr_found < 0)
		mfr_n = at;
	if (mop != NULL) {
		mfr = (long)(mop - p->ops);
		(void)snprintf(vd->mfr, sizeof(vd->mfr), "%s", mop->id);
	}
	/*
	 * The verified keys are distinct: a key signing twice counts once.
	 * A key and its successors (§5.2) are one signer and count once.
	 */
	for (i = 0; i < n; i++) {
		const char *kid = attest_pubkey_keyid(attest_verified_key(v,
		    i));

		(void)snprintf(vd->keyid[i], ATTEST_KEYID_SIZE, "%s", kid);
		if ((k = attest_keyset_find(p->ks, kid)) < 0) {
			(void)snprintf(vd->why[i], WHY_BYTES, "the key is not "
			    "in the policy");
			continue;
		}
		x = refusal(p, &p->keys[k], op, mfr, q, &d, raw);
		/* it quotes the record: no terminal controls */
		(void)attest_text_escape(vd->why[i], WHY_BYTES, raw, 0);
		if (x && !x1) {
			/* a key outside its role is the reason to give */
			first = vd->why[i];
			x1 = 1;
		}
		if (vd->why[i][0] != '\0') {
			if (first == NULL)
				first = vd->why[i];
			continue;
		}
		for (j = 0; j < vd->accepted; j++)
			if (signers[j] == p->keys[k].signer)
				break;
		if (j == vd->accepted)
			signers[vd->accepted++] = p->keys[k].signer;
	}
	if (q->now != NULL && attest_ymd_parse(q->now, 0, &now) ==
	    ATTEST_YMD_DATE && attest_ymd_cmp(&d, &now) > 0) {
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, NULL, -1,
		    "the %s is dated %s, after the verification date %s: it "
		    "cannot have been signed yet (P-1)", q->label,
		    q->signed_on, q->now);
		vd->accepted = 0;
	} else if (ambiguous)
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, NULL, -1,
		    "%zu operators of the policy are named \"%s\" and the %s "
		    "gives no country: no key may sign it (P-1)", j,
		    q->operator_name, q->label);
	else if (op == NULL)
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, NULL, -1,
		    "the policy names no operator \"%s\"%s%s: no key may "
		    "sign its %s (P-1; " X1_BASIS ")", q->operator_name,
		    q->operator_country != NULL ? " in " : "",
		    q->operator_country != NULL ? q->operator_country : "",
		    q->label);
	else if (vd->threshold == 0)
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, NULL, -1,
		    "\"%s\" does not hold the role %s in the policy: no key "
		    "may sign its %s in that role (P-1; " X1_BASIS ")", op->id,
		    role_names[q->role], q->label);
	else if (mfr_found < 0) {
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, NULL, -1,
		    "%zu operators of the policy are named \"%s\" and the %s "
		    "gives no country for its manufacturer: it names no one "
		    "manufacturer (P-1)", mfr_n, q->manufacturer_name,
		    q->label);
		vd->accepted = 0;
	}
	else if (vd->accepted < vd->threshold)
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, NULL, -1,
		    "%zu of the %zu distinct %s keys of \"%s\" needed signed "
		    "the %s%s%s (P-1%s)", vd->accepted, vd->threshold,
		    role_names[q->role], op->id, q->label,
		    first != NULL ? "; " : "", first != NULL ? first : "",
		    x1 ? "; " X1_BASIS : "");
	else
		r = ATTEST_OK;
fail:
	free(signers);
	if (out != NULL && (r == ATTEST_OK || r == ATTEST_ERR_POLICY)) {
		*out = vd;
		vd = NULL;
	}
	attest_policy_verdict_free(&vd);
	return r;
}

void
attest_policy_verdict_free(attest_policy_verdict_t **vp)
{
	if (vp == NULL || *vp == NULL)
		return;
	free((*vp)->keyid);
	free((*vp)->why);
	free(*vp);
	*vp = NULL;
}

const char *
attest_policy_verdict_operator(const attest_policy_verdict_t *v)
{
	return v == NULL || v->op[0] == '\0' ? NULL : v->op;
}

const char *
attest_policy_verdict_manufacturer(const attest_policy_verdict_t *v)
{
	return v == NULL || v->mfr[0] == '\0' ? NULL : v->mfr;
}

attest_err_t
attest_policy_operator_resolve(const attest_policy_t *p,
    const char *legal_name, const char *country, const char **id,
    attest_diag_t *diag)
{
	size_t at;
	int found;

	if (id != NULL)
		*id = NULL;
	if (p == NULL || legal_name == NULL || id == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if ((found = resolve(p, legal_name, country, &at)) > 0) {
		*id = p->ops[at].id;
		return ATTEST_OK;
	}
	if (found < 0)
		return attest_diag_set(diag, ATTEST_ERR_DUPLICATE, NULL, -1,
		    "%zu operators of the policy are named \"%s\" and no "
		    "country is given: the name alone names no one operator",
		    at, legal_name);
	return attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL, -1,
	    "the policy names no operator \"%s\"%s%s", legal_name,
	    country != NULL ? " in " : "", country != NULL ? country : "");
}

static const struct pol_operator *
op_by_id(const attest_policy_t *p, const char *id)
{
	long i;

	if (p == NULL || id == NULL || (i = find_op(p, id)) < 0)
		return NULL;
	return &p->ops[i];
}

const char *
attest_policy_operator_legal_name(const attest_policy_t *p, const char *id)
{
	const struct pol_operator *op = op_by_id(p, id);

	return op == NULL ? NULL : op->legal_name;
}

const char *
attest_policy_operator_country(const attest_policy_t *p, const char *id)
{
	const struct pol_operator *op = op_by_id(p, id);

	return op == NULL ? NULL : op->country;
}

size_t
attest_policy_verdict_threshold(const attest_policy_verdict_t *v)
{
	return v == NULL ? 0 : v->threshold;
}

size_t
attest_policy_verdict_accepted(const attest_policy_verdict_t *v)
{
	return v == NULL ? 0 : v->accepted;
}

size_t
attest_policy_verdict_key_count(const attest_policy_verdict_t *v)
{
	return v == NULL ? 0 : v->n;
}

const char *
attest_policy_verdict_keyid(const attest_policy_verdict_t *v, size_t i)
{
	return v == NULL || i >= v->n ? NULL : v->keyid[i];
}

const char *
attest_policy_verdict_refusal(const attest_policy_verdict_t *v, size_t i)
{
	if (v == NULL || i >= v->n || v->why[i][0] == '\0')
		return NULL;
	return v->why[i];
}
