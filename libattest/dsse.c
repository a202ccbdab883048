/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSSE v1 envelopes: PAE, sign, serialise, parse, verify.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_int.h"
#include "key_int.h"

struct dsse_sig {
	char		*keyid;		/* NULL when absent */
	unsigned char	*sig;
	size_t		 sig_len;
};

struct attest_envelope {
	char		*type;
	unsigned char	*payload;
	size_t		 payload_len;
	struct dsse_sig	*sigs;
	size_t		 nsigs;
};

struct attest_verified {
	char		*type;
	unsigned char	*payload;	/* NULL unless verified */
	size_t		 payload_len;
	attest_pubkey_t	**keys;
	struct attest_sigfacts *facts;	/* parallel to keys */
	size_t		 nkeys;
};

attest_err_t
attest_dsse_pae_alloc(const char *type, const unsigned char *body,
    size_t body_len, unsigned char **out, size_t *out_len)
{
	char head[64];
	size_t tlen, hlen, blen_digits, total;
	unsigned char *p;
	int n;

	if (type == NULL || out == NULL || out_len == NULL ||
	    (body == NULL && body_len > 0))
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	tlen = strlen(type);
	/* "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body */
	n = snprintf(head, sizeof(head), "DSSEv1 %zu ", tlen);
	if (n < 0 || (size_t)n >= sizeof(head))
		return ATTEST_ERR_INVALID_ARGUMENT;
	hlen = (size_t)n;
	n = snprintf(NULL, 0, " %zu ", body_len);
	if (n < 0)
		return ATTEST_ERR_INVALID_ARGUMENT;
	blen_digits = (size_t)n;
	if (tlen > SIZE_MAX / 4 || body_len > SIZE_MAX / 4)
		return ATTEST_ERR_TOO_LARGE;
	total = hlen + tlen + blen_digits + body_len;
	if ((p = malloc(total + 1)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	memcpy(p, head, hlen);
	memcpy(p + hlen, type, tlen);
	(void)snprintf((char *)p + hlen + tlen, blen_digits + 1, " %zu ",
	    body_len);
	if (body_len > 0)
		memcpy(p + hlen + tlen + blen_digits, body, body_len);
	p[total] = '\0';
	*out = p;
	*out_len = total;
	return ATTEST_OK;
}

attest_envelope_t *
attest_envelope_new(void)
{
	return calloc(1, sizeof(attest_envelope_t));
}

static void
clear_sigs(attest_envelope_t *e)
{
	size_t i;

	for (i = 0; i < e->nsigs; i++) {
		free(e->sigs[i].keyid);
		free(e->sigs[i].sig);
	}
	free(e->sigs);
	e->sigs = NULL;
	e->nsigs = 0;
}

void
attest_envelope_free(attest_envelope_t **ep)
{
	attest_envelope_t *e;

	if (ep == NULL || (e = *ep) == NULL)
		return;
	clear_sigs(e);
	free(e->type);
	free(e->payload);
	free(e);
	*ep = NULL;
}

static attest_err_t
check_type(const char *type, size_t len)
{
	if (len == 0 || len > ATTEST_MAX_PAYLOAD_TYPE_BYTES)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (memchr(type, '\0', len) != NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	return ATTEST_OK;
}

attest_err_t
attest_envelope_set_payload(attest_envelope_t *e, const char *type,
    const unsigned char *ptr, size_t len)
{
	char *t;
	unsigned char *p;

	if (e == NULL || type == NULL || (ptr == NULL && len > 0) ||
	    check_type(type, strlen(type)) != ATTEST_OK ||
	    !attest_json_utf8_ok(type))
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (len > ATTEST_MAX_PAYLOAD_BYTES)
		return ATTEST_ERR_TOO_LARGE;
	if ((t = strdup(type)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((p = malloc(len == 0 ? 1 : len)) == NULL) {
		free(t);
		return ATTEST_ERR_NO_MEMORY;
	}
	if (len > 0)
		memcpy(p, ptr, len);
	clear_sigs(e);
	free(e->type);
	free(e->payload);
	e->type = t;
	e->payload = p;
	e->payload_len = len;
	return ATTEST_OK;
}

static attest_err_t
add_sig(attest_envelope_t *e, const char *keyid, unsigned char *sig,
    size_t sig_len)
{
	struct dsse_sig *n;

	if (e->nsigs >= ATTEST_MAX_SIGNATURES)
		return ATTEST_ERR_TOO_LARGE;
	if ((n = realloc(e->sigs, (e->nsigs + 1) * sizeof(*n))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	e->sigs = n;
	n[e->nsigs].keyid = NULL;
	if (keyid != NULL && (n[e->nsigs].keyid = strdup(keyid)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	n[e->nsigs].sig = sig;
	n[e->nsigs].sig_len = sig_len;
	e->nsigs++;
	return ATTEST_OK;
}

attest_err_t
attest_envelope_sign(attest_envelope_t *e, attest_signer_t *s,
    attest_diag_t *diag)
{
	unsigned char *pae = NULL, *sig = NULL;
	size_t pae_len = 0, sig_len = 0;
	attest_err_t r;

	if (e == NULL || s == NULL || e->type == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (e->nsigs >= ATTEST_MAX_SIGNATURES)
		return ATTEST_ERR_TOO_LARGE;
	if ((r = attest_dsse_pae_alloc(e->type, e->payload, e->payload_len,
	    &pae, &pae_len)) != ATTEST_OK)
		return r;
	if ((r = attest_signer_sign_alloc(s, pae, pae_len, &sig, &sig_len,
	    diag)) != ATTEST_OK)
		goto fail;
	if ((r = add_sig(e, attest_signer_keyid(s), sig, sig_len)) !=
	    ATTEST_OK)
		goto fail;
	sig = NULL;
fail:
	free(sig);
	free(pae);
	return r;
}

attest_err_t
attest_envelope_serialize_alloc(const attest_envelope_t *e,
    unsigned char **out, size_t *out_len)
{
	json_t *root = NULL, *arr, *o;
	size_t i;
	attest_err_t r = ATTEST_ERR_NO_MEMORY;

	if (e == NULL || out == NULL || out_len == NULL || e->type == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	if ((root = json_object()) == NULL)
		goto fail;
	if ((r = attest_json_set_b64(root, "payload", e->payload,
	    e->payload_len)) != ATTEST_OK)
		goto fail;
	r = ATTEST_ERR_NO_MEMORY;
	if (json_object_set_new(root, "payloadType", json_string(e->type)) ||
	    json_object_set_new(root, "signatures", arr = json_array()))
		goto fail;
	for (i = 0; i < e->nsigs; i++) {
		if ((o = json_object()) == NULL || json_array_append_new(arr,
		    o))
			goto fail;
		if (e->sigs[i].keyid != NULL && json_object_set_new(o,
		    "keyid", json_string(e->sigs[i].keyid)))
			goto fail;
		if ((r = attest_json_set_b64(o, "sig", e->sigs[i].sig,
		    e->sigs[i].sig_len)) != ATTEST_OK)
			goto fail;
		r = ATTEST_ERR_NO_MEMORY;
	}
	r = attest_json_dump_alloc(root, out, out_len);
fail:
	json_decref(root);
	return r;
}

attest_err_t
attest_envelope_parse(attest_envelope_t **out, const unsigned char *ptr,
    size_t len, attest_diag_t *diag)
{
	attest_envelope_t *e = NULL;
	json_t *root = NULL, *sigs, *o;
	const char *s;
	size_t n, i;
	char field[64], sfield[80];	/* no aliasing in attest_json_path */
	unsigned char *sig;
	size_t sig_len;
	attest_err_t r;

	if (out == NULL || ptr == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if (len > ATTEST_MAX_ENVELOPE_BYTES)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "envelope larger than %lu bytes",
		    (unsigned long)ATTEST_MAX_ENVELOPE_BYTES);
	if ((r = attest_json_load(ptr, len, &root, diag)) != ATTEST_OK)
		return r;
	if ((e = attest_envelope_new()) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	if ((r = attest_json_get_string(root, "", "payloadType", 1, &s, &n,
	    diag)) != ATTEST_OK)
		goto fail;
	if (n == 0 || n > ATTEST_MAX_PAYLOAD_TYPE_BYTES) {
		r = attest_diag_set(diag, n == 0 ? ATTEST_ERR_PARSE :
		    ATTEST_ERR_TOO_LARGE, "payloadType", -1,
		    n == 0 ? "empty" : "longer than %d bytes",
		    ATTEST_MAX_PAYLOAD_TYPE_BYTES);
		goto fail;
	}
	if ((e->type = strdup(s)) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	if ((r = attest_json_get_string(root, "", "payload", 1, &s, &n,
	    diag)) != ATTEST_OK)
		goto fail;
	if (n / 4 * 3 > ATTEST_MAX_PAYLOAD_BYTES + 2) {
		r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, "payload", -1,
		    "larger than %lu bytes",
		    (unsigned long)ATTEST_MAX_PAYLOAD_BYTES);
		goto fail;
	}
	if ((r = attest_b64_decode_alloc(s, n, &e->payload,
	    &e->payload_len)) != ATTEST_OK) {
		if (r == ATTEST_ERR_PARSE)
			r = attest_diag_set(diag, r, "payload", -1,
			    "invalid base64");
		goto fail;
	}
	if (e->payload_len > ATTEST_MAX_PAYLOAD_BYTES) {
		r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, "payload", -1,
		    "larger than %lu bytes",
		    (unsigned long)ATTEST_MAX_PAYLOAD_BYTES);
		goto fail;
	}
	if ((r = attest_json_get_typed(root, "", "signatures", JSON_ARRAY, 1,
	    &sigs, diag)) != ATTEST_OK)
		goto fail;
	if (json_array_size(sigs) > ATTEST_MAX_SIGNATURES) {
		r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, "signatures",
		    -1, "more than %d signatures", ATTEST_MAX_SIGNATURES);
		goto fail;
	}
	for (i = 0; i < json_array_size(sigs); i++) {
		(void)snprintf(field, sizeof(field), "signatures[%zu]", i);
		o = json_array_get(sigs, i);
		if (!json_is_object(o)) {
			r = attest_diag_set(diag, ATTEST_ERR_PARSE, field, -1,
			    "must be an object");
			goto fail;
		}
		if ((r = attest_json_get_string(o, field, "keyid", 0, &s, &n,
		    diag)) != ATTEST_OK)
			goto fail;
		if (s != NULL && n > ATTEST_MAX_KEYID_BYTES) {
			r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE,
			    attest_json_path(sfield, sizeof(sfield), field,
			    "keyid"), -1, "longer than %d bytes",
			    ATTEST_MAX_KEYID_BYTES);
			goto fail;
		}
		/* an empty keyid is the same as none (DSSE: optional) */
		if ((r = add_sig(e, (s != NULL && n > 0) ? s : NULL, NULL,
		    0)) != ATTEST_OK)
			goto fail;
		if ((r = attest_json_get_string(o, field, "sig", 1, &s, &n,
		    diag)) != ATTEST_OK)
			goto fail;
		if (n / 4 * 3 > ATTEST_MAX_SIG_BYTES + 2) {
			r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE,
			    attest_json_path(sfield, sizeof(sfield), field,
			    "sig"), -1, "longer than %d bytes",
			    ATTEST_MAX_SIG_BYTES);
			goto fail;
		}
		if ((r = attest_b64_decode_alloc(s, n, &sig, &sig_len)) !=
		    ATTEST_OK) {
			if (r == ATTEST_ERR_PARSE)
				r = attest_diag_set(diag, r,
				    attest_json_path(sfield, sizeof(sfield),
				    field, "sig"), -1, "invalid base64");
			goto fail;
		}
		e->sigs[e->nsigs - 1].sig = sig;
		e->sigs[e->nsigs - 1].sig_len = sig_len;
		if (sig_len == 0) {
			r = attest_diag_set(diag, ATTEST_ERR_PARSE,
			    attest_json_path(sfield, sizeof(sfield), field,
			    "sig"), -1, "empty");
			goto fail;
		}
		/* the check before decoding allows for padding: be exact */
		if (sig_len > ATTEST_MAX_SIG_BYTES) {
			r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE,
			    attest_json_path(sfield, sizeof(sfield), field,
			    "sig"), -1, "longer than %d bytes",
			    ATTEST_MAX_SIG_BYTES);
			goto fail;
		}
	}
	*out = e;
	e = NULL;
	r = ATTEST_OK;
fail:
	json_decref(root);
	attest_envelope_free(&e);
	return r;
}

const char *
attest_envelope_payload_type(const attest_envelope_t *e)
{
	return e == NULL ? NULL : e->type;
}

size_t
attest_envelope_sig_count(const attest_envelope_t *e)
{
	return e == NULL ? 0 : e->nsigs;
}

const char *
attest_envelope_sig_keyid(const attest_envelope_t *e, size_t i)
{
	return (e == NULL || i >= e->nsigs) ? NULL : e->sigs[i].keyid;
}

void
attest_verified_free(attest_verified_t **vp)
{
	attest_verified_t *v;
	size_t i;

	if (vp == NULL || (v = *vp) == NULL)
		return;
	for (i = 0; i < v->nkeys; i++)
		attest_pubkey_free(&v->keys[i]);
	free(v->keys);
	free(v->facts);
	free(v->type);
	free(v->payload);
	free(v);
	*vp = NULL;
}

/*
 * Try one signature against trusted key k, unless k already counted:
 * ATTEST_OK (counted now), ATTEST_ERR_VERIFY (no), or an error that is
 * no verdict (out of memory, a crypto library failure).
 */
static attest_err_t
try_key(const attest_keyset_t *trusted, size_t k, unsigned char *counted,
    const unsigned char *pae, size_t pae_len, const struct dsse_sig *sg,
    struct attest_sigfacts *facts, char *why, size_t why_size, size_t i)
{
	attest_err_t r;

	if (counted[k])
		return ATTEST_ERR_VERIFY;
	memset(&facts[k], 0, sizeof(facts[k]));
	r = attest_pubkey_verify_facts(attest_keyset_get(trusted, k), pae,
	    pae_len, sg->sig, sg->sig_len, &facts[k]);
	if (r == ATTEST_OK)
		counted[k] = 1;
	/* a signature that checks out but fails a FIDO demand: say which */
	else if (facts[k].why[0] != '\0' && why[0] == '\0')
		(void)snprintf(why, why_size, "; signatures[%zu] by key %.16s: "
		    "%s", i, attest_pubkey_keyid(attest_keyset_get(trusted,
		    k)), facts[k].why);
	return r;
}

attest_err_t
attest_envelope_verify(const attest_envelope_t *e,
    const attest_keyset_t *trusted, size_t threshold, attest_verified_t **out,
    attest_diag_t *diag)
{
	attest_verified_t *v = NULL;
	unsigned char *pae = NULL, *counted = NULL;
	struct attest_sigfacts *facts = NULL;
	char why[256] = "";
	size_t pae_len = 0, nkeys, i, k, good = 0, blind = 0;
	long hint;
	attest_err_t r;

	if (out != NULL)
		*out = NULL;
	if (e == NULL || trusted == NULL || e->type == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	nkeys = attest_keyset_count(trusted);
	if (threshold == 0 || threshold > nkeys)
		return attest_diag_set(diag, ATTEST_ERR_INVALID_ARGUMENT, NULL,
		    -1, "threshold %zu with %zu trusted key%s", threshold,
		    nkeys, nkeys == 1 ? "" : "s");
	if ((counted = calloc(nkeys, 1)) == NULL ||
	    (facts = calloc(nkeys, sizeof(*facts))) == NULL ||
	    (v = calloc(1, sizeof(*v))) == NULL ||
	    (v->keys = calloc(nkeys, sizeof(*v->keys))) == NULL ||
	    (v->facts = calloc(nkeys, sizeof(*v->facts))) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	if ((r = attest_dsse_pae_alloc(e->type, e->payload, e->payload_len,
	    &pae, &pae_len)) != ATTEST_OK)
		goto fail;
	for (i = 0; i < e->nsigs; i++) {
		/*
		 * The keyid is an unauthenticated hint: when it names a
		 * trusted key only that key is tried; when it names none
		 * (another tool's key id scheme, or no keyid) every key not
		 * yet counted is tried.  Either way a key counts once, so
		 * one key signing twice meets a threshold of one.
		 */
		hint = attest_keyset_find(trusted, e->sigs[i].keyid);
		for (k = hint >= 0 ? (size_t)hint : 0; k < nkeys; k++) {
			/*
			 * Checks of signatures that name no trusted key are
			 * bounded (specs/dsse.md §7): each one hashes the
			 * whole payload, which a hostile envelope makes large.
			 */
			if (hint < 0 && !counted[k] &&
			    blind++ >= ATTEST_MAX_BLIND_CHECKS) {
				(void)snprintf(why, sizeof(why), "; the limit of "
				    "%d checks of signatures whose key id names "
				    "no trusted key was reached",
				    ATTEST_MAX_BLIND_CHECKS);
				break;
			}
			r = try_key(trusted, k, counted, pae, pae_len,
			    &e->sigs[i], facts, why, sizeof(why), i);
			if (r == ATTEST_OK) {
				good++;
				break;
			}
			if (r != ATTEST_ERR_VERIFY) {
				r = attest_diag_set(diag, r, NULL, -1,
				    "signatures[%zu]: cannot be checked: %s", i,
				    attest_strerror(r));
				goto fail;
			}
			if (hint >= 0)
				break;
		}
	}
	for (k = 0; k < nkeys; k++) {
		if (!counted[k])
			continue;
		if ((v->keys[v->nkeys] = attest_pubkey_dup(
		    attest_keyset_get(trusted, k))) == NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto fail;
		}
		v->facts[v->nkeys] = facts[k];
		v->nkeys++;
	}
	if (good < threshold) {
		r = attest_diag_set(diag, ATTEST_ERR_VERIFY, NULL, -1,
		    e->nsigs == 0 ? "the envelope has no signatures" :
		    "signature check failed: %zu trusted key%s verified, "
		    "%zu required%s", good, good == 1 ? "" : "s", threshold,
		    why);
		goto fail;
	}
	/* only now are type and payload trusted, and handed over as bytes */
	if ((v->type = strdup(e->type)) == NULL ||
	    (v->payload = malloc(e->payload_len == 0 ? 1 :
	    e->payload_len)) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	if (e->payload_len > 0)
		memcpy(v->payload, e->payload, e->payload_len);
	v->payload_len = e->payload_len;
	r = ATTEST_OK;
fail:
	free(pae);
	free(counted);
	free(facts);
	if (out != NULL && (r == ATTEST_OK || r == ATTEST_ERR_VERIFY)) {
		*out = v;
		v = NULL;
	}
	attest_verified_free(&v);
	return r;
}

const char *
attest_verified_payload_type(const attest_verified_t *v)
{
	return v == NULL ? NULL : v->type;
}

const unsigned char *
attest_verified_payload_ptr(const attest_verified_t *v)
{
	return v == NULL ? NULL : v->payload;
}

size_t
attest_verified_payload_len(const attest_verified_t *v)
{
	return v == NULL ? 0 : v->payload_len;
}

size_t
attest_verified_key_count(const attest_verified_t *v)
{
	return v == NULL ? 0 : v->nkeys;
}

const attest_pubkey_t *
attest_verified_key(const attest_verified_t *v, size_t i)
{
	return (v == NULL || i >= v->nkeys) ? NULL : v->keys[i];
}

int
attest_verified_fido(const attest_verified_t *v, size_t i,
    unsigned int *flags, uint32_t *counter)
{
	if (v == NULL || i >= v->nkeys || !v->facts[i].fido)
		return 0;
	if (flags != NULL)
		*flags = v->facts[i].flags;
	if (counter != NULL)
		*counter = v->facts[i].counter;
	return 1;
}

const unsigned char *
attest_verified_sig_hash(const attest_verified_t *v, size_t i)
{
	return (v == NULL || i >= v->nkeys) ? NULL : v->facts[i].sig_hash;
}
