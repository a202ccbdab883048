/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Algorithms, public keys and key sets.
 */
#include <stdlib.h>
#include <string.h>

#include "key_int.h"

static const struct {
	attest_alg_t	 alg;
	const char	*name;
	const char	*keygen_name;
} alg_tab[] = {
	{ ATTEST_ALG_ED25519, "ed25519", "ed25519" },
	{ ATTEST_ALG_ECDSA_P256_SHA256, "ecdsa-p256-sha256", "ecdsa-p256" },
	{ ATTEST_ALG_ECDSA_P384_SHA384, "ecdsa-p384-sha384", "ecdsa-p384" },
	{ ATTEST_ALG_RSA_PSS_SHA256, "rsa-pss-sha256", "rsa-pss-3072" },
	{ ATTEST_ALG_FIDO_ES256, "fido-es256", "fido-es256" },
	{ ATTEST_ALG_FIDO_EDDSA, "fido-eddsa", "fido-eddsa" },
};
#define NALG (sizeof(alg_tab) / sizeof(alg_tab[0]))

const char *
attest_alg_name(attest_alg_t alg)
{
	size_t i;

	for (i = 0; i < NALG; i++)
		if (alg_tab[i].alg == alg)
			return alg_tab[i].name;
	return NULL;
}

attest_alg_t
attest_alg_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return ATTEST_ALG_NONE;
	for (i = 0; i < NALG; i++)
		if (strcmp(name, alg_tab[i].name) == 0 ||
		    strcmp(name, alg_tab[i].keygen_name) == 0)
			return alg_tab[i].alg;
	return ATTEST_ALG_NONE;
}

attest_err_t
attest_pubkey_from_spki(attest_pubkey_t **out, const unsigned char *der,
    size_t len, attest_diag_t *diag)
{
	attest_pubkey_t *pk;
	unsigned char id[32];
	attest_err_t r;

	*out = NULL;
	if ((pk = calloc(1, sizeof(*pk))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((r = attest_ossl_spki_parse(der, len, &pk->alg, &pk->pkey,
	    pk->ed25519, diag)) != ATTEST_OK)
		goto fail;
	if ((pk->spki = malloc(len)) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	memcpy(pk->spki, der, len);
	pk->spki_len = len;
	/* specs/keyfile.md §2: key id = hex SHA-256 of the DER SPKI */
	if ((r = attest_sha256(id, der, len)) != ATTEST_OK)
		goto fail;
	attest_hex_encode(pk->keyid, id, sizeof(id));
	*out = pk;
	return ATTEST_OK;
fail:
	attest_pubkey_free(&pk);
	return r;
}

attest_err_t
attest_pubkey_parse_der(attest_pubkey_t **out, const unsigned char *ptr,
    size_t len, attest_diag_t *diag)
{
	attest_err_t r;

	if (out == NULL || ptr == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	return attest_pubkey_from_spki(out, ptr, len, diag);
}

attest_err_t
attest_pubkey_parse_pem(attest_pubkey_t **out, const unsigned char *ptr,
    size_t len, attest_diag_t *diag)
{
	unsigned char *der = NULL;
	size_t der_len = 0;
	attest_err_t r;

	if (out == NULL || ptr == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	if (len > ATTEST_MAX_KEYFILE_BYTES)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "public key file too large");
	if (attest_fido_pub_is(ptr, len))
		return attest_fido_pub_parse(out, ptr, len, diag);
	if ((r = attest_ossl_pem_decode(ptr, len, "PUBLIC KEY", &der, &der_len,
	    diag)) != ATTEST_OK)
		return r;
	r = attest_pubkey_from_spki(out, der, der_len, diag);
	free(der);
	return r;
}

attest_err_t
attest_pubkey_load(attest_pubkey_t **out, const char *path,
    attest_diag_t *diag)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	attest_err_t r;

	if (out == NULL || path == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_file_read_alloc(path, ATTEST_MAX_KEYFILE_BYTES, &buf,
	    &len, diag)) != ATTEST_OK)
		return r;
	r = attest_pubkey_parse_pem(out, buf, len, diag);
	attest_freezero(buf, len);
	return r;
}

void
attest_pubkey_free(attest_pubkey_t **pkp)
{
	attest_pubkey_t *pk;

	if (pkp == NULL || (pk = *pkp) == NULL)
		return;
	attest_ossl_pkey_free(pk->pkey);
	free(pk->spki);
	free(pk->rp_id);
	free(pk);
	*pkp = NULL;
}

attest_pubkey_t *
attest_pubkey_dup(const attest_pubkey_t *pk)
{
	attest_pubkey_t *c;

	if (pk == NULL || (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	*c = *pk;
	c->spki = NULL;
	c->pkey = NULL;
	c->rp_id = NULL;
	if ((c->spki = malloc(pk->spki_len)) == NULL ||
	    (pk->rp_id != NULL && (c->rp_id = strdup(pk->rp_id)) == NULL)) {
		free(c->spki);
		free(c);
		return NULL;
	}
	memcpy(c->spki, pk->spki, pk->spki_len);
	/* a public key is immutable: share OpenSSL's object by reference */
	if (pk->pkey != NULL) {
		if (attest_ossl_pkey_up_ref(pk->pkey) != 1) {
			free(c->spki);
			free(c->rp_id);
			free(c);
			return NULL;
		}
		c->pkey = pk->pkey;
	}
	return c;
}

attest_alg_t
attest_pubkey_alg(const attest_pubkey_t *pk)
{
	return pk == NULL ? ATTEST_ALG_NONE : pk->alg;
}

const char *
attest_pubkey_keyid(const attest_pubkey_t *pk)
{
	return pk == NULL ? NULL : pk->keyid;
}

const unsigned char *
attest_pubkey_spki_ptr(const attest_pubkey_t *pk)
{
	return pk == NULL ? NULL : pk->spki;
}

size_t
attest_pubkey_spki_len(const attest_pubkey_t *pk)
{
	return pk == NULL ? 0 : pk->spki_len;
}

attest_err_t
attest_pubkey_pem_alloc(const attest_pubkey_t *pk, unsigned char **out,
    size_t *out_len)
{
	if (pk == NULL || out == NULL || out_len == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (attest_alg_is_fido(pk->alg))
		return attest_fido_pub_pem_alloc(pk, out, out_len);
	return attest_ossl_pem_encode("PUBLIC KEY", pk->spki, pk->spki_len,
	    out, out_len);
}

attest_err_t
attest_pubkey_verify(const attest_pubkey_t *pk, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len)
{
	return attest_pubkey_verify_facts(pk, msg, msg_len, sig, sig_len,
	    NULL);
}

attest_err_t
attest_pubkey_verify_facts(const attest_pubkey_t *pk,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len, struct attest_sigfacts *facts)
{
	if (pk == NULL || (msg == NULL && msg_len > 0) ||
	    (sig == NULL && sig_len > 0))
		return ATTEST_ERR_INVALID_ARGUMENT;
	switch (pk->alg) {
	case ATTEST_ALG_ED25519:
		return attest_ed25519_verify(sig, sig_len, msg, msg_len,
		    pk->ed25519);
	case ATTEST_ALG_ECDSA_P256_SHA256:
	case ATTEST_ALG_ECDSA_P384_SHA384:
	case ATTEST_ALG_RSA_PSS_SHA256:
		return attest_ossl_verify(pk->pkey, pk->alg, msg, msg_len, sig,
		    sig_len);
	case ATTEST_ALG_FIDO_ES256:
	case ATTEST_ALG_FIDO_EDDSA:
		return attest_fido_verify(pk, msg, msg_len, sig, sig_len,
		    facts);
	default:
		return ATTEST_ERR_UNSUPPORTED;
	}
}

/* Key sets ------------------------------------------------------------ */

struct attest_keyset {
	attest_pubkey_t	**keys;
	size_t		  n;
	size_t		  cap;
};

attest_keyset_t *
attest_keyset_new(void)
{
	return calloc(1, sizeof(attest_keyset_t));
}

void
attest_keyset_free(attest_keyset_t **ksp)
{
	size_t i;

	if (ksp == NULL || *ksp == NULL)
		return;
	for (i = 0; i < (*ksp)->n; i++)
		attest_pubkey_free(&(*ksp)->keys[i]);
	free((*ksp)->keys);
	free(*ksp);
	*ksp = NULL;
}

attest_err_t
attest_keyset_add(attest_keyset_t *ks, const attest_pubkey_t *pk)
{
	attest_pubkey_t **n;
	size_t cap;

	if (ks == NULL || pk == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (attest_keyset_find(ks, pk->keyid) >= 0)
		return ATTEST_ERR_DUPLICATE;
	if (ks->n >= ATTEST_MAX_KEYS)
		return ATTEST_ERR_TOO_LARGE;
	if (ks->n == ks->cap) {
		cap = ks->cap == 0 ? 4 : ks->cap * 2;
		if ((n = realloc(ks->keys, cap * sizeof(*n))) == NULL)
			return ATTEST_ERR_NO_MEMORY;
		ks->keys = n;
		ks->cap = cap;
	}
	if ((ks->keys[ks->n] = attest_pubkey_dup(pk)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	ks->n++;
	return ATTEST_OK;
}

size_t
attest_keyset_count(const attest_keyset_t *ks)
{
	return ks == NULL ? 0 : ks->n;
}

const attest_pubkey_t *
attest_keyset_get(const attest_keyset_t *ks, size_t i)
{
	return (ks == NULL || i >= ks->n) ? NULL : ks->keys[i];
}

long
attest_keyset_find(const attest_keyset_t *ks, const char *keyid)
{
	size_t i;

	if (ks == NULL || keyid == NULL ||
	    strlen(keyid) != ATTEST_KEYID_LEN)
		return -1;
	for (i = 0; i < ks->n; i++)
		if (memcmp(ks->keys[i]->keyid, keyid, ATTEST_KEYID_LEN) == 0)
			return (long)i;
	return -1;
}
