/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Software private keys: generation, PKCS#8 import, and the libattest
 * key file (specs/keyfile.md).
 */
#include <stdlib.h>
#include <string.h>

#include "json_int.h"
#include "key_int.h"

#define KEYFILE_TYPE	"libattest-private-key"
#define KEYFILE_VERSION	1
#define KDF_NAME	"argon2id13"
#define CIPHER_NAME	"xchacha20poly1305-ietf"
/* specs/keyfile.md §3: the associated data binds the public half */
#define AD_PREFIX	"libattest-private-key/1"

void
attest_key_free(attest_key_t **kp)
{
	attest_key_t *k;

	if (kp == NULL || (k = *kp) == NULL)
		return;
	attest_secure_free(k->ed_sk);
	attest_ossl_pkey_free(k->pkey);	/* BIGNUMs cleared by OpenSSL */
	attest_pubkey_free(&k->pub);
	free(k);
	*kp = NULL;
}

attest_alg_t
attest_key_alg(const attest_key_t *k)
{
	return k == NULL ? ATTEST_ALG_NONE : k->alg;
}

const attest_pubkey_t *
attest_key_pubkey(const attest_key_t *k)
{
	return k == NULL ? NULL : k->pub;
}

/* Fill k->pub from the private half. */
static attest_err_t
derive_pub(attest_key_t *k)
{
	unsigned char *der = NULL;
	size_t der_len = 0;
	attest_err_t r;

	if ((r = attest_ossl_spki_encode(k->pkey,
	    k->ed_sk != NULL ? k->ed_sk + 32 : NULL, &der, &der_len)) !=
	    ATTEST_OK)
		return r;
	r = attest_pubkey_from_spki(&k->pub, der, der_len, NULL);
	free(der);
	return r;
}

/* Make a key from PKCS#8 DER (guarded memory, not taken). */
static attest_err_t
key_from_pkcs8(attest_key_t **out, const unsigned char *der, size_t len,
    attest_diag_t *diag)
{
	attest_key_t *k;
	unsigned char *seed = NULL, pk[32];
	attest_err_t r;

	*out = NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((r = attest_ossl_pkcs8_parse(der, len, &k->alg, &k->pkey, &seed,
	    diag)) != ATTEST_OK)
		goto fail;
	if (k->alg == ATTEST_ALG_ED25519) {
		if ((k->ed_sk = attest_secure_alloc(ATTEST_ED25519_SK)) ==
		    NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto fail;
		}
		if ((r = attest_ed25519_seed_keypair(pk, k->ed_sk, seed)) !=
		    ATTEST_OK)
			goto fail;
	}
	if ((r = derive_pub(k)) != ATTEST_OK)
		goto fail;
	*out = k;
	k = NULL;
fail:
	attest_secure_free(seed);
	attest_key_free(&k);
	return r;
}

attest_err_t
attest_key_generate(attest_key_t **out, attest_alg_t alg)
{
	attest_key_t *k;
	unsigned char pk[32];
	attest_err_t r;

	if (out == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if (!attest_initialised())
		return ATTEST_ERR_NOT_INITIALISED;
	if (attest_alg_name(alg) == NULL || attest_alg_is_fido(alg))
		return ATTEST_ERR_UNSUPPORTED;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	k->alg = alg;
	if (alg == ATTEST_ALG_ED25519) {
		if ((k->ed_sk = attest_secure_alloc(ATTEST_ED25519_SK)) ==
		    NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto fail;
		}
		if ((r = attest_ed25519_keypair(pk, k->ed_sk)) != ATTEST_OK)
			goto fail;
	} else if ((r = attest_ossl_generate(alg, &k->pkey)) != ATTEST_OK)
		goto fail;
	if ((r = derive_pub(k)) != ATTEST_OK)
		goto fail;
	*out = k;
	return ATTEST_OK;
fail:
	attest_key_free(&k);
	return r;
}

/* Ask the callback for a secret into guarded memory. */
static attest_err_t
ask_secret(attest_secret_fn *secret, void *arg, const char *what,
    char **pass, size_t *pass_len)
{
	attest_err_t r;

	*pass = NULL;
	*pass_len = 0;
	if (secret == NULL)
		return ATTEST_ERR_PASSPHRASE;
	if ((*pass = attest_secure_alloc(ATTEST_MAX_PASSPHRASE_BYTES + 1)) ==
	    NULL)
		return ATTEST_ERR_NO_MEMORY;
	r = secret(arg, ATTEST_SECRET_PASSPHRASE, what, 0, *pass,
	    ATTEST_MAX_PASSPHRASE_BYTES, pass_len);
	if (r == ATTEST_OK && *pass_len > ATTEST_MAX_PASSPHRASE_BYTES)
		r = ATTEST_ERR_TOO_LARGE;
	if (r != ATTEST_OK) {
		attest_secure_free(*pass);
		*pass = NULL;
		*pass_len = 0;
	}
	return r;
}

attest_err_t
attest_key_import_pem(attest_key_t **out, const unsigned char *ptr,
    size_t len, attest_secret_fn *secret, void *arg, attest_diag_t *diag)
{
	unsigned char *der = NULL;
	size_t der_len = 0, pass_len = 0;
	char *pass = NULL;
	int needs = 0;
	attest_err_t r;

	if (out == NULL || ptr == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	if (len > ATTEST_MAX_KEYFILE_BYTES)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "key file too large");
	r = attest_ossl_import_pem(ptr, len, NULL, 0, &needs, &der, &der_len,
	    diag);
	if (r != ATTEST_OK && needs) {
		if ((r = ask_secret(secret, arg, "passphrase of the PKCS#8 key",
		    &pass, &pass_len)) != ATTEST_OK) {
			r = attest_diag_set(diag, r, NULL, -1,
			    "the key is encrypted and no passphrase was given");
			goto fail;
		}
		r = attest_ossl_import_pem(ptr, len, pass, pass_len, &needs,
		    &der, &der_len, diag);
	}
	if (r != ATTEST_OK)
		goto fail;
	r = key_from_pkcs8(out, der, der_len, diag);
fail:
	attest_secure_free(pass);
	attest_secure_free(der);
	return r;
}

/* The associated data: prefix NUL algorithm NUL SPKI. */
static attest_err_t
build_ad(struct attest_buf *ad, const char *alg, const unsigned char *spki,
    size_t spki_len)
{
	attest_err_t r;

	if ((r = attest_buf_append(ad, AD_PREFIX, sizeof(AD_PREFIX))) !=
	    ATTEST_OK ||
	    (r = attest_buf_append(ad, alg, strlen(alg) + 1)) != ATTEST_OK ||
	    (r = attest_buf_append(ad, spki, spki_len)) != ATTEST_OK)
		return r;
	return ATTEST_OK;
}

attest_err_t
attest_key_serialize_alloc(const attest_key_t *k, const char *pass,
    size_t pass_len, unsigned long long opslimit, size_t memlimit,
    unsigned char **out, size_t *out_len)
{
	json_t *root = NULL, *enc = NULL;
	unsigned char *der = NULL, *ct = NULL, *key = NULL;
	unsigned char salt[ATTEST_KDF_SALT], nonce[ATTEST_AEAD_NONCE];
	struct attest_buf ad = { NULL, 0, 0 };
	size_t der_len = 0, ct_len = 0;
	char *text = NULL;
	attest_err_t r = ATTEST_ERR_NO_MEMORY;

	if (k == NULL || out == NULL || out_len == NULL ||
	    (pass == NULL && pass_len > 0))
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	if (opslimit == 0)
		opslimit = ATTEST_KDF_OPS_DEFAULT;
	if (memlimit == 0)
		memlimit = ATTEST_KDF_MEM_DEFAULT;
	if ((r = attest_ossl_pkcs8_encode(k->pkey, k->ed_sk, &der,
	    &der_len)) != ATTEST_OK)
		goto fail;
	r = ATTEST_ERR_NO_MEMORY;
	if ((root = json_object()) == NULL ||
	    json_object_set_new(root, "type", json_string(KEYFILE_TYPE)) ||
	    json_object_set_new(root, "version",
	    json_integer(KEYFILE_VERSION)) ||
	    json_object_set_new(root, "algorithm",
	    json_string(attest_alg_name(k->alg))) ||
	    json_object_set_new(root, "keyid", json_string(k->pub->keyid)))
		goto fail;
	if ((r = attest_json_set_b64(root, "public_key", k->pub->spki,
	    k->pub->spki_len)) != ATTEST_OK)
		goto fail;
	if (pass == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		if (json_object_set_new(root, "encryption",
		    json_string("none")))
			goto fail;
		if ((r = attest_json_set_b64(root,
		    "private_key", der, der_len)) != ATTEST_OK)
			goto fail;
	} else {
		if ((r = attest_kdf_check(opslimit, memlimit)) != ATTEST_OK)
			goto fail;
		attest_random(salt, sizeof(salt));
		attest_random(nonce, sizeof(nonce));
		r = ATTEST_ERR_NO_MEMORY;
		if ((key = attest_secure_alloc(ATTEST_AEAD_KEY)) == NULL ||
		    (ct = malloc(der_len + ATTEST_AEAD_TAG)) == NULL)
			goto fail;
		if ((r = attest_kdf_argon2id(key, pass, pass_len, salt,
		    opslimit, memlimit)) != ATTEST_OK ||
		    (r = build_ad(&ad, attest_alg_name(k->alg), k->pub->spki,
		    k->pub->spki_len)) != ATTEST_OK ||
		    (r = attest_aead_encrypt(ct, der, der_len, ad.ptr, ad.len,
		    nonce, key)) != ATTEST_OK)
			goto fail;
		ct_len = der_len + ATTEST_AEAD_TAG;
		r = ATTEST_ERR_NO_MEMORY;
		if ((enc = json_object()) == NULL ||
		    json_object_set_new(enc, "kdf", json_string(KDF_NAME)) ||
		    json_object_set_new(enc, "opslimit",
		    json_integer((json_int_t)opslimit)) ||
		    json_object_set_new(enc, "memlimit",
		    json_integer((json_int_t)memlimit)))
			goto fail;
		if ((r = attest_json_set_b64(enc,
		    "salt", salt, sizeof(salt))) != ATTEST_OK)
			goto fail;
		r = ATTEST_ERR_NO_MEMORY;
		if (json_object_set_new(enc, "cipher", json_string(CIPHER_NAME)))
			goto fail;
		if ((r = attest_json_set_b64(enc,
		    "nonce", nonce, sizeof(nonce))) != ATTEST_OK)
			goto fail;
		r = ATTEST_ERR_NO_MEMORY;
		if (json_object_set(root, "encryption", enc))
			goto fail;
		if ((r = attest_json_set_b64(root,
		    "private_key", ct, ct_len)) != ATTEST_OK)
			goto fail;
	}
	r = ATTEST_ERR_NO_MEMORY;
	if ((text = attest_json_dumps(root, JSON_INDENT(2))) == NULL)
		goto fail;
	*out_len = strlen(text);
	if ((*out = malloc(*out_len + 2)) == NULL) {
		*out_len = 0;
		goto fail;
	}
	memcpy(*out, text, *out_len);
	(*out)[(*out_len)++] = '\n';
	(*out)[*out_len] = '\0';
	r = ATTEST_OK;
fail:
	/* an unencrypted key file text holds the key: wipe jansson's copies */
	if (text != NULL)
		attest_freezero(text, strlen(text));
	if (root != NULL) {
		json_t *pk = json_object_get(root, "private_key");
		if (pk != NULL && json_string_length(pk) > 0)
			attest_wipe((void *)(uintptr_t)json_string_value(pk),
			    json_string_length(pk));
	}
	json_decref(enc);
	json_decref(root);
	attest_buf_reset(&ad);
	attest_secure_free(key);
	attest_secure_free(der);
	free(ct);
	return r;
}

static attest_err_t
get_b64(const json_t *obj, const char *path, const char *key, int secure,
    unsigned char **out, size_t *out_len, attest_diag_t *diag)
{
	const char *s;
	size_t n;
	char field[64];
	attest_err_t r;

	if ((r = attest_json_get_string(obj, path, key, 1, &s, &n, diag)) !=
	    ATTEST_OK)
		return r;
	r = secure ? attest_b64_decode_secure(s, n, out, out_len) :
	    attest_b64_decode_alloc(s, n, out, out_len);
	if (r == ATTEST_ERR_PARSE)
		return attest_diag_set(diag, r, attest_json_path(field,
		    sizeof(field), path, key), -1, "invalid base64");
	return r;
}

static attest_err_t
get_uint(const json_t *obj, const char *path, const char *key,
    unsigned long long *out, attest_diag_t *diag)
{
	json_t *v;
	char field[64];
	attest_err_t r;

	if ((r = attest_json_get_typed(obj, path, key, JSON_INTEGER, 1, &v,
	    diag)) != ATTEST_OK)
		return r;
	if (json_integer_value(v) < 0)
		return attest_diag_set(diag, ATTEST_ERR_PARSE,
		    attest_json_path(field, sizeof(field), path, key), -1,
		    "must not be negative");
	*out = (unsigned long long)json_integer_value(v);
	return ATTEST_OK;
}

attest_err_t
attest_key_parse(attest_key_t **out, const unsigned char *ptr, size_t len,
    attest_secret_fn *secret, void *arg, attest_diag_t *diag)
{
	json_t *root = NULL, *encv, *v;
	const char *s, *algname, *keyid, *enc_s;
	unsigned char *spki = NULL, *blob = NULL, *salt = NULL, *nonce = NULL;
	unsigned char *key = NULL, *der = NULL;
	size_t spki_len = 0, blob_len = 0, salt_len = 0, nonce_len = 0;
	size_t pass_len = 0, der_len = 0;
	unsigned long long ops = 0, mem = 0;
	struct attest_buf ad = { NULL, 0, 0 };
	attest_pubkey_t *pub = NULL;
	char *pass = NULL;
	attest_err_t r;

	if (out == NULL || ptr == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	if (len > ATTEST_MAX_KEYFILE_BYTES)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "key file too large");
	if ((r = attest_json_load(ptr, len, &root, diag)) != ATTEST_OK)
		return r;
	if ((r = attest_json_get_string(root, "", "type", 1, &s, NULL,
	    diag)) != ATTEST_OK)
		goto fail;
	if (strcmp(s, KEYFILE_TYPE) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "type", -1,
		    "not a libattest private key (\"%s\")", s);
		goto fail;
	}
	if ((r = attest_json_get_typed(root, "", "version", JSON_INTEGER, 1,
	    &v, diag)) != ATTEST_OK)
		goto fail;
	if (json_integer_value(v) != KEYFILE_VERSION) {
		r = attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, "version", -1,
		    "unsupported key file version %lld",
		    (long long)json_integer_value(v));
		goto fail;
	}
	if ((r = attest_json_get_string(root, "", "algorithm", 1, &algname,
	    NULL, diag)) != ATTEST_OK ||
	    (r = attest_json_get_string(root, "", "keyid", 1, &keyid, NULL,
	    diag)) != ATTEST_OK)
		goto fail;
	if ((r = get_b64(root, "", "public_key", 0, &spki, &spki_len,
	    diag)) != ATTEST_OK)
		goto fail;
	if ((r = attest_pubkey_from_spki(&pub, spki, spki_len, diag)) !=
	    ATTEST_OK) {
		attest_diag_prefix_field(diag, "public_key");
		goto fail;
	}
	if (attest_alg_from_name(algname) != pub->alg ||
	    strcmp(algname, attest_alg_name(pub->alg)) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, "algorithm", -1,
		    "\"%s\" does not match the public key (%s)", algname,
		    attest_alg_name(pub->alg));
		goto fail;
	}
	if (strcmp(keyid, pub->keyid) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, "keyid", -1,
		    "does not match the public key");
		goto fail;
	}
	encv = json_object_get(root, "encryption");
	if (encv == NULL) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "encryption", -1,
		    "missing");
		goto fail;
	}
	if (json_is_string(encv)) {
		if (strcmp(json_string_value(encv), "none") != 0) {
			r = attest_diag_set(diag, ATTEST_ERR_PARSE,
			    "encryption", -1, "must be \"none\" or an object");
			goto fail;
		}
		if ((r = get_b64(root, "", "private_key", 1, &der, &der_len,
		    diag)) != ATTEST_OK)
			goto fail;
	} else if (json_is_object(encv)) {
		if ((r = attest_json_get_string(encv, "encryption", "kdf", 1,
		    &enc_s, NULL, diag)) != ATTEST_OK)
			goto fail;
		if (strcmp(enc_s, KDF_NAME) != 0) {
			r = attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
			    "encryption.kdf", -1, "unsupported KDF \"%s\"",
			    enc_s);
			goto fail;
		}
		if ((r = attest_json_get_string(encv, "encryption", "cipher",
		    1, &enc_s, NULL, diag)) != ATTEST_OK)
			goto fail;
		if (strcmp(enc_s, CIPHER_NAME) != 0) {
			r = attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
			    "encryption.cipher", -1, "unsupported cipher "
			    "\"%s\"", enc_s);
			goto fail;
		}
		if ((r = get_uint(encv, "encryption", "opslimit", &ops,
		    diag)) != ATTEST_OK ||
		    (r = get_uint(encv, "encryption", "memlimit", &mem,
		    diag)) != ATTEST_OK)
			goto fail;
		if ((r = attest_kdf_check(ops, mem)) != ATTEST_OK) {
			/* name the parameter at fault (the default is fine) */
			r = attest_diag_set(diag, r, attest_kdf_check(ops,
			    ATTEST_KDF_MEM_DEFAULT) != ATTEST_OK ?
			    "encryption.opslimit" : "encryption.memlimit", -1,
			    "Argon2id opslimit %llu / memlimit %llu outside "
			    "the accepted range", ops, mem);
			goto fail;
		}
		if ((r = get_b64(encv, "encryption", "salt", 0, &salt,
		    &salt_len, diag)) != ATTEST_OK ||
		    (r = get_b64(encv, "encryption", "nonce", 0, &nonce,
		    &nonce_len, diag)) != ATTEST_OK)
			goto fail;
		if (salt_len != ATTEST_KDF_SALT) {
			r = attest_diag_set(diag, ATTEST_ERR_PARSE,
			    "encryption.salt", -1, "must be %d bytes",
			    ATTEST_KDF_SALT);
			goto fail;
		}
		if (nonce_len != ATTEST_AEAD_NONCE) {
			r = attest_diag_set(diag, ATTEST_ERR_PARSE,
			    "encryption.nonce", -1, "must be %d bytes",
			    ATTEST_AEAD_NONCE);
			goto fail;
		}
		if ((r = get_b64(root, "", "private_key", 0, &blob, &blob_len,
		    diag)) != ATTEST_OK)
			goto fail;
		if (blob_len <= ATTEST_AEAD_TAG) {
			r = attest_diag_set(diag, ATTEST_ERR_PARSE,
			    "private_key", -1, "too short");
			goto fail;
		}
		if ((r = ask_secret(secret, arg, "passphrase", &pass,
		    &pass_len)) != ATTEST_OK) {
			if (r == ATTEST_ERR_PASSPHRASE)
				r = attest_diag_set(diag, r, NULL, -1, "the "
				    "key is encrypted and no passphrase was "
				    "given");
			goto fail;
		}
		r = ATTEST_ERR_NO_MEMORY;
		if ((key = attest_secure_alloc(ATTEST_AEAD_KEY)) == NULL ||
		    (der = attest_secure_alloc(blob_len)) == NULL)
			goto fail;
		der_len = blob_len - ATTEST_AEAD_TAG;
		if ((r = attest_kdf_argon2id(key, pass, pass_len, salt, ops,
		    (size_t)mem)) != ATTEST_OK ||
		    (r = build_ad(&ad, algname, spki, spki_len)) != ATTEST_OK)
			goto fail;
		if ((r = attest_aead_decrypt(der, blob, blob_len, ad.ptr,
		    ad.len, nonce, key)) != ATTEST_OK) {
			r = attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL,
			    -1, "wrong passphrase, or the key file was "
			    "altered");
			goto fail;
		}
	} else {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "encryption", -1,
		    "must be \"none\" or an object");
		goto fail;
	}
	if ((r = key_from_pkcs8(out, der, der_len, diag)) != ATTEST_OK) {
		attest_diag_prefix_field(diag, "private_key");
		goto fail;
	}
	/* the private half must be the one the public half names */
	if ((*out)->pub->spki_len != spki_len ||
	    !attest_ct_equal((*out)->pub->spki, spki, spki_len)) {
		attest_key_free(out);
		r = attest_diag_set(diag, ATTEST_ERR_KEY, "private_key", -1,
		    "does not match public_key");
		goto fail;
	}
	r = ATTEST_OK;
fail:
	/* an unencrypted file's key is in jansson's string: wipe it */
	if (root != NULL && (v = json_object_get(root, "private_key")) !=
	    NULL && json_is_string(v))
		attest_wipe((void *)(uintptr_t)json_string_value(v),
		    json_string_length(v));
	json_decref(root);
	attest_pubkey_free(&pub);
	attest_buf_reset(&ad);
	attest_secure_free(pass);
	attest_secure_free(key);
	attest_secure_free(der);
	free(spki);
	free(blob);
	free(salt);
	free(nonce);
	return r;
}
