/* SPDX-License-Identifier: Apache-2.0 */
/*
 * in-toto Statement v1: build, serialise, parse, match.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "json_int.h"

struct stmt_digest {
	char	*alg;
	char	*hex;
};

struct stmt_subject {
	char			*name;		/* NULL: no name */
	struct stmt_digest	*d;
	size_t			 nd;
};

struct attest_stmt {
	struct stmt_subject	*subj;
	size_t			 nsubj;
	size_t			 cap;		/* of subj */
	char			*ptype;
	json_t			*predicate;	/* NULL: none */
};

const json_t *
attest_stmt_predicate_json(const attest_stmt_t *s)
{
	return s == NULL ? NULL : s->predicate;
}

attest_stmt_t *
attest_stmt_new(void)
{
	return calloc(1, sizeof(attest_stmt_t));
}

void
attest_stmt_free(attest_stmt_t **sp)
{
	attest_stmt_t *s;
	size_t i, j;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	for (i = 0; i < s->nsubj; i++) {
		for (j = 0; j < s->subj[i].nd; j++) {
			free(s->subj[i].d[j].alg);
			free(s->subj[i].d[j].hex);
		}
		free(s->subj[i].d);
		free(s->subj[i].name);
	}
	free(s->subj);
	free(s->ptype);
	json_decref(s->predicate);
	free(s);
	*sp = NULL;
}

attest_err_t
attest_stmt_add_subject(attest_stmt_t *s, const char *name, size_t *idx)
{
	struct stmt_subject *n;
	char *copy = NULL;

	if (s == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (s->nsubj >= ATTEST_MAX_SUBJECTS)
		return ATTEST_ERR_TOO_LARGE;
	if (name != NULL && !attest_json_utf8_ok(name))
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (name != NULL && (copy = strdup(name)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	/* doubling: ATTEST_MAX_SUBJECTS one by one would copy n^2 / 2 */
	if (s->nsubj == s->cap) {
		if ((n = realloc(s->subj, (s->cap ? 2 * s->cap : 8) *
		    sizeof(*n))) == NULL) {
			free(copy);
			return ATTEST_ERR_NO_MEMORY;
		}
		attest_cost += s->nsubj;	/* what the growth may copy */
		s->subj = n;
		s->cap = s->cap ? 2 * s->cap : 8;
	}
	n = s->subj;
	memset(&n[s->nsubj], 0, sizeof(*n));
	n[s->nsubj].name = copy;
	if (idx != NULL)
		*idx = s->nsubj;
	s->nsubj++;
	return ATTEST_OK;
}

/* Check one digest value; SHA-2 names must have their exact length. */
static attest_err_t
check_digest(const char *alg, const char *hex, size_t hexlen)
{
	unsigned int bit;

	if (*alg == '\0')
		return ATTEST_ERR_PARSE;
	if ((bit = attest_digest_from_name(alg)) != 0)
		return (hexlen == 2 * attest_digest_len(bit) &&
		    attest_is_lower_hex(hex, hexlen)) ? ATTEST_OK :
		    ATTEST_ERR_PARSE;
	/* other algorithms (gitCommit, ...): a non-empty string */
	return hexlen > 0 ? ATTEST_OK : ATTEST_ERR_PARSE;
}

attest_err_t
attest_stmt_add_digest(attest_stmt_t *s, size_t idx, const char *alg,
    const char *hex)
{
	struct stmt_subject *sub;
	struct stmt_digest *n;
	size_t j;
	char *a, *h;

	if (s == NULL || idx >= s->nsubj || alg == NULL || hex == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	sub = &s->subj[idx];
	if (!attest_json_utf8_ok(alg) || !attest_json_utf8_ok(hex) ||
	    check_digest(alg, hex, strlen(hex)) != ATTEST_OK)
		return ATTEST_ERR_PARSE;
	for (j = 0; j < sub->nd; j++)
		if (strcmp(sub->d[j].alg, alg) == 0)
			return ATTEST_ERR_DUPLICATE;
	if (sub->nd >= ATTEST_MAX_DIGESTS)
		return ATTEST_ERR_TOO_LARGE;
	if ((a = strdup(alg)) == NULL || (h = strdup(hex)) == NULL) {
		free(a);
		return ATTEST_ERR_NO_MEMORY;
	}
	if ((n = realloc(sub->d, (sub->nd + 1) * sizeof(*n))) == NULL) {
		free(a);
		free(h);
		return ATTEST_ERR_NO_MEMORY;
	}
	sub->d = n;
	n[sub->nd].alg = a;
	n[sub->nd].hex = h;
	sub->nd++;
	return ATTEST_OK;
}

attest_err_t
attest_stmt_add_digests(attest_stmt_t *s, size_t idx, const attest_digest_t *d)
{
	static const unsigned int bits[] = { ATTEST_DIGEST_SHA256,
	    ATTEST_DIGEST_SHA384, ATTEST_DIGEST_SHA512 };
	const char *hex;
	size_t i, before;
	int any = 0;
	attest_err_t r;

	if (s == NULL || idx >= s->nsubj || d == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	before = s->subj[idx].nd;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if ((hex = attest_digest_get_hex(d, bits[i])) == NULL)
			continue;
		if ((r = attest_stmt_add_digest(s, idx,
		    attest_digest_name(bits[i]), hex)) != ATTEST_OK) {
			/* all or nothing: drop what this call added */
			while (s->subj[idx].nd > before) {
				s->subj[idx].nd--;
				free(s->subj[idx].d[s->subj[idx].nd].alg);
				free(s->subj[idx].d[s->subj[idx].nd].hex);
			}
			return r;
		}
		any = 1;
	}
	return any ? ATTEST_OK : ATTEST_ERR_INVALID_ARGUMENT;
}

attest_err_t
attest_stmt_set_predicate(attest_stmt_t *s, const char *type,
    const char *json, size_t json_len, attest_diag_t *diag)
{
	json_t *p = NULL;
	char *t;
	attest_err_t r;

	if (s == NULL || type == NULL || *type == '\0' ||
	    !attest_json_utf8_ok(type))
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (json != NULL) {
		if (json_len > ATTEST_MAX_PREDICATE_BYTES)
			return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE,
			    NULL, -1, "predicate larger than %lu bytes",
			    (unsigned long)ATTEST_MAX_PREDICATE_BYTES);
		if ((r = attest_json_load((const unsigned char *)json,
		    json_len, &p, diag)) != ATTEST_OK)
			return r;
		/* it will sit one level down, inside the Statement */
		if (!attest_json_depth_ok(p, 2)) {
			json_decref(p);
			return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE,
			    NULL, -1, "predicate nested deeper than %d levels",
			    ATTEST_MAX_JSON_DEPTH - 1);
		}
	}
	if ((t = strdup(type)) == NULL) {
		json_decref(p);
		return ATTEST_ERR_NO_MEMORY;
	}
	free(s->ptype);
	json_decref(s->predicate);
	s->ptype = t;
	s->predicate = p;
	return ATTEST_OK;
}

attest_err_t
attest_stmt_serialize_alloc(const attest_stmt_t *s, unsigned char **out,
    size_t *out_len)
{
	json_t *root = NULL, *arr, *o, *dg;
	size_t i, j;
	attest_err_t r = ATTEST_ERR_NO_MEMORY;

	if (s == NULL || out == NULL || out_len == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	if (s->nsubj == 0 || s->ptype == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	for (i = 0; i < s->nsubj; i++)
		if (s->subj[i].nd == 0)
			return ATTEST_ERR_INVALID_ARGUMENT;
	if ((root = json_object()) == NULL ||
	    json_object_set_new(root, "_type",
	    json_string(ATTEST_STATEMENT_TYPE)) ||
	    json_object_set_new(root, "subject", arr = json_array()))
		goto fail;
	for (i = 0; i < s->nsubj; i++) {
		if ((o = json_object()) == NULL ||
		    json_array_append_new(arr, o))
			goto fail;
		if (s->subj[i].name != NULL && json_object_set_new(o, "name",
		    json_string(s->subj[i].name)))
			goto fail;
		if (json_object_set_new(o, "digest", dg = json_object()))
			goto fail;
		for (j = 0; j < s->subj[i].nd; j++)
			if (json_object_set_new(dg, s->subj[i].d[j].alg,
			    json_string(s->subj[i].d[j].hex)))
				goto fail;
	}
	if (json_object_set_new(root, "predicateType",
	    json_string(s->ptype)))
		goto fail;
	if (s->predicate != NULL &&
	    json_object_set(root, "predicate", s->predicate))
		goto fail;
	r = attest_json_dump_alloc(root, out, out_len);
fail:
	json_decref(root);
	return r;
}

static attest_err_t
parse_subject(attest_stmt_t *s, const json_t *o, size_t i,
    attest_diag_t *diag)
{
	char field[64], f2[128];
	const char *name, *k;
	json_t *dg, *v;
	size_t idx;
	attest_err_t r;

	(void)snprintf(field, sizeof(field), "subject[%zu]", i);
	if (!json_is_object(o))
		return attest_diag_set(diag, ATTEST_ERR_PARSE, field, -1,
		    "must be an object");
	if ((r = attest_json_get_string(o, field, "name", 0, &name, NULL,
	    diag)) != ATTEST_OK)
		return r;
	if ((r = attest_json_get_typed(o, field, "digest", JSON_OBJECT, 1,
	    &dg, diag)) != ATTEST_OK)
		return r;
	if (json_object_size(dg) == 0)
		return attest_diag_set(diag, ATTEST_ERR_PARSE,
		    attest_json_path(f2, sizeof(f2), field, "digest"), -1,
		    "at least one digest required");
	if (json_object_size(dg) > ATTEST_MAX_DIGESTS)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE,
		    attest_json_path(f2, sizeof(f2), field, "digest"), -1,
		    "more than %d digests", ATTEST_MAX_DIGESTS);
	if ((r = attest_stmt_add_subject(s, name, &idx)) != ATTEST_OK)
		return r;
	json_object_foreach(dg, k, v) {
		(void)snprintf(f2, sizeof(f2), "%s.digest.%s", field, k);
		if (!json_is_string(v))
			return attest_diag_set(diag, ATTEST_ERR_PARSE, f2, -1,
			    "must be a string");
		if (check_digest(k, json_string_value(v),
		    json_string_length(v)) != ATTEST_OK)
			return attest_diag_set(diag, ATTEST_ERR_PARSE, f2, -1,
			    attest_digest_from_name(k) ? "must be %zu "
			    "lowercase hex digits" : "must not be empty",
			    2 * attest_digest_len(attest_digest_from_name(k)));
		if ((r = attest_stmt_add_digest(s, idx, k,
		    json_string_value(v))) != ATTEST_OK)
			return attest_diag_set(diag, r, f2, -1, "%s",
			    attest_strerror(r));
	}
	return ATTEST_OK;
}

attest_err_t
attest_stmt_parse(attest_stmt_t **out, const unsigned char *ptr, size_t len,
    attest_diag_t *diag)
{
	attest_stmt_t *s = NULL;
	json_t *root = NULL, *arr, *pred;
	const char *str;
	size_t i, n;
	attest_err_t r;

	if (out == NULL || ptr == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if (len > ATTEST_MAX_PAYLOAD_BYTES)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "statement larger than %lu bytes",
		    (unsigned long)ATTEST_MAX_PAYLOAD_BYTES);
	if ((r = attest_json_load(ptr, len, &root, diag)) != ATTEST_OK)
		return r;
	if ((s = attest_stmt_new()) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	if ((r = attest_json_get_string(root, "", "_type", 1, &str, NULL,
	    diag)) != ATTEST_OK)
		goto fail;
	if (strcmp(str, ATTEST_STATEMENT_TYPE) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, "_type", -1,
		    "\"%s\" is not %s", str, ATTEST_STATEMENT_TYPE);
		goto fail;
	}
	if ((r = attest_json_get_typed(root, "", "subject", JSON_ARRAY, 1,
	    &arr, diag)) != ATTEST_OK)
		goto fail;
	if ((n = json_array_size(arr)) == 0) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "subject", -1,
		    "at least one subject required");
		goto fail;
	}
	if (n > ATTEST_MAX_SUBJECTS) {
		r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, "subject", -1,
		    "more than %d subjects", ATTEST_MAX_SUBJECTS);
		goto fail;
	}
	for (i = 0; i < n; i++)
		if ((r = parse_subject(s, json_array_get(arr, i), i, diag)) !=
		    ATTEST_OK)
			goto fail;
	if ((r = attest_json_get_string(root, "", "predicateType", 1, &str,
	    &n, diag)) != ATTEST_OK)
		goto fail;
	if (n == 0) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "predicateType",
		    -1, "must not be empty");
		goto fail;
	}
	if ((s->ptype = strdup(str)) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	/* specs/statement.md §2: predicate is optional, as in spec/v1 */
	if ((r = attest_json_get_typed(root, "", "predicate", JSON_OBJECT, 0,
	    &pred, diag)) != ATTEST_OK)
		goto fail;
	if (pred != NULL)
		s->predicate = json_incref(pred);
	*out = s;
	s = NULL;
	r = ATTEST_OK;
fail:
	json_decref(root);
	attest_stmt_free(&s);
	return r;
}

size_t
attest_stmt_subject_count(const attest_stmt_t *s)
{
	return s == NULL ? 0 : s->nsubj;
}

const char *
attest_stmt_subject_name(const attest_stmt_t *s, size_t i)
{
	return (s == NULL || i >= s->nsubj) ? NULL : s->subj[i].name;
}

size_t
attest_stmt_digest_count(const attest_stmt_t *s, size_t i)
{
	return (s == NULL || i >= s->nsubj) ? 0 : s->subj[i].nd;
}

const char *
attest_stmt_digest_alg(const attest_stmt_t *s, size_t i, size_t j)
{
	if (s == NULL || i >= s->nsubj || j >= s->subj[i].nd)
		return NULL;
	return s->subj[i].d[j].alg;
}

const char *
attest_stmt_digest_hex(const attest_stmt_t *s, size_t i, size_t j)
{
	if (s == NULL || i >= s->nsubj || j >= s->subj[i].nd)
		return NULL;
	return s->subj[i].d[j].hex;
}

const char *
attest_stmt_predicate_type(const attest_stmt_t *s)
{
	return s == NULL ? NULL : s->ptype;
}

attest_err_t
attest_stmt_predicate_alloc(const attest_stmt_t *s, unsigned char **out,
    size_t *out_len)
{
	char *t;

	if (s == NULL || out == NULL || out_len == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (s->predicate != NULL)
		return attest_json_dump_alloc(s->predicate, out, out_len);
	if ((t = strdup("null")) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	*out = (unsigned char *)t;
	*out_len = 4;
	return ATTEST_OK;
}

unsigned int
attest_stmt_digest_algs(const attest_stmt_t *s)
{
	unsigned int algs = 0;
	size_t i, j;

	if (s == NULL)
		return 0;
	for (i = 0; i < s->nsubj; i++)
		for (j = 0; j < s->subj[i].nd; j++)
			algs |= attest_digest_from_name(s->subj[i].d[j].alg);
	return algs;
}

attest_err_t
attest_stmt_match(const attest_stmt_t *s, const attest_digest_t *d,
    size_t *idx, attest_diag_t *diag)
{
	const char *mine;
	unsigned int bit;
	size_t i, j, common, agree, conflicts = 0;

	if (s == NULL || d == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	for (i = 0; i < s->nsubj; i++) {
		common = agree = 0;
		for (j = 0; j < s->subj[i].nd; j++) {
			bit = attest_digest_from_name(s->subj[i].d[j].alg);
			if (bit == 0 ||
			    (mine = attest_digest_get_hex(d, bit)) == NULL)
				continue;
			common++;
			if (strlen(mine) == strlen(s->subj[i].d[j].hex) &&
			    attest_ct_equal(mine, s->subj[i].d[j].hex,
			    strlen(mine)))
				agree++;
		}
		if (common > 0 && agree == common) {
			if (idx != NULL)
				*idx = i;
			return ATTEST_OK;
		}
		if (agree > 0)
			conflicts++;
	}
	if (conflicts > 0)
		return attest_diag_set(diag, ATTEST_ERR_MISMATCH, NULL, -1,
		    "a subject agrees on one digest and disagrees on another");
	return attest_diag_set(diag, ATTEST_ERR_MISMATCH, NULL, -1,
	    "digest matches no subject of the statement");
}
