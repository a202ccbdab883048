/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The signer interface, and its software backend.
 */
#include <stdlib.h>
#include <string.h>

#include "key_int.h"

static attest_err_t
soft_sign(void *ctx, const unsigned char *msg, size_t msg_len,
    unsigned char *sig, size_t sig_size, size_t *sig_len, attest_diag_t *diag)
{
	attest_key_t *k = ctx;
	attest_err_t r;

	(void)diag;
	*sig_len = 0;
	if (k->alg == ATTEST_ALG_ED25519) {
		if (sig_size < ATTEST_ED25519_SIG)
			return ATTEST_ERR_INVALID_ARGUMENT;
		if ((r = attest_ed25519_sign(sig, msg, msg_len, k->ed_sk)) ==
		    ATTEST_OK)
			*sig_len = ATTEST_ED25519_SIG;
		return r;
	}
	return attest_ossl_sign(k->pkey, k->alg, msg, msg_len, sig, sig_size,
	    sig_len);
}

static void
soft_close(void *ctx)
{
	attest_key_t *k = ctx;

	attest_key_free(&k);
}

static const attest_signer_ops_t soft_ops = { soft_sign, soft_close };

attest_err_t
attest_signer_new(attest_signer_t **out, const attest_signer_ops_t *ops,
    void *ctx, const attest_pubkey_t *pk)
{
	attest_signer_t *s;

	if (out == NULL || ops == NULL || ops->sign == NULL || pk == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((s->pub = attest_pubkey_dup(pk)) == NULL) {
		free(s);
		return ATTEST_ERR_NO_MEMORY;
	}
	s->ops = ops;
	s->ctx = ctx;
	s->sig_size = ATTEST_MAX_SIG_BYTES;
	*out = s;
	return ATTEST_OK;
}

attest_err_t
attest_signer_from_key(attest_signer_t **out, attest_key_t **kp)
{
	attest_err_t r;

	if (out == NULL || kp == NULL || *kp == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if ((r = attest_signer_new(out, &soft_ops, *kp, (*kp)->pub)) !=
	    ATTEST_OK)
		return r;
	*kp = NULL;
	return ATTEST_OK;
}

attest_err_t
attest_signer_open(attest_signer_t **out, const char *keyref,
    attest_secret_fn *secret, void *arg, attest_diag_t *diag)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	attest_key_t *k = NULL;
	attest_err_t r;

	if (out == NULL || keyref == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	if (attest_keyref_is_pkcs11(keyref))
		return attest_pkcs11_signer_open(out, keyref, secret, arg,
		    diag);
	if ((r = attest_file_read_alloc(keyref, ATTEST_MAX_KEYFILE_BYTES, &buf,
	    &len, diag)) != ATTEST_OK)
		return r;
	if (attest_fido_handle_is(buf, len)) {
		r = attest_fido_signer_open(out, buf, len, secret, arg, diag);
		goto fail;
	}
	if ((r = attest_key_parse(&k, buf, len, secret, arg, diag)) !=
	    ATTEST_OK)
		goto fail;
	r = attest_signer_from_key(out, &k);
fail:
	attest_key_free(&k);
	attest_freezero(buf, len);
	return r;
}

void
attest_signer_free(attest_signer_t **sp)
{
	attest_signer_t *s;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	if (s->ops->close != NULL)
		s->ops->close(s->ctx);
	attest_pubkey_free(&s->pub);
	free(s);
	*sp = NULL;
}

attest_alg_t
attest_signer_alg(const attest_signer_t *s)
{
	return s == NULL ? ATTEST_ALG_NONE : s->pub->alg;
}

const char *
attest_signer_keyid(const attest_signer_t *s)
{
	return s == NULL ? NULL : s->pub->keyid;
}

const attest_pubkey_t *
attest_signer_pubkey(const attest_signer_t *s)
{
	return s == NULL ? NULL : s->pub;
}

attest_err_t
attest_signer_sign_alloc(attest_signer_t *s, const unsigned char *msg,
    size_t msg_len, unsigned char **sig, size_t *sig_len, attest_diag_t *diag)
{
	unsigned char *buf;
	size_t n = 0;
	attest_err_t r;

	if (s == NULL || sig == NULL || sig_len == NULL ||
	    (msg == NULL && msg_len > 0))
		return ATTEST_ERR_INVALID_ARGUMENT;
	*sig = NULL;
	*sig_len = 0;
	if ((buf = malloc(s->sig_size)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((r = s->ops->sign(s->ctx, msg, msg_len, buf, s->sig_size, &n,
	    diag)) != ATTEST_OK) {
		free(buf);
		return r;
	}
	if (n == 0 || n > s->sig_size) {
		free(buf);
		return ATTEST_ERR_CRYPTO;
	}
	*sig = buf;
	*sig_len = n;
	return ATTEST_OK;
}
