/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FIDO2 security keys (libfido2): the public key file, the signature
 * format and its verification, the signer backend, enrolment, the device
 * list, signature counters and attestation.  specs/fido.md is the
 * normative description; the section numbers below refer to it.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cbor.h>
#include <fido.h>

#include "json_int.h"
#include "key_int.h"

#define PUB_MAGIC	"libattest-fido-public-key: 1\n"
#define HANDLE_TYPE	"libattest-fido-credential"
#define ATT_TYPE	"libattest-fido-attestation"
#define CTR_TYPE	"libattest-fido-counters"
#define AUTHDATA_LEN	37	/* rpIdHash(32) flags(1) signCount(4) */
#define BLOB_HEAD	5	/* flags(1) signCount(4) */
#define MAX_DEVICES	64
#define PIN_MAX		256	/* bytes; CTAP2 PINs are at most 63 */

int
attest_alg_is_fido(attest_alg_t alg)
{
	return alg == ATTEST_ALG_FIDO_ES256 || alg == ATTEST_ALG_FIDO_EDDSA;
}

attest_alg_t
attest_fido_base_alg(attest_alg_t alg)
{
	switch (alg) {
	case ATTEST_ALG_FIDO_ES256:
		return ATTEST_ALG_ECDSA_P256_SHA256;
	case ATTEST_ALG_FIDO_EDDSA:
		return ATTEST_ALG_ED25519;
	default:
		return ATTEST_ALG_NONE;
	}
}

static int
cose_alg(attest_alg_t alg)
{
	return alg == ATTEST_ALG_FIDO_ES256 ? COSE_ES256 : COSE_EDDSA;
}

/* §2.2: 1 to 255 bytes of printable ASCII without space. */
static int
rp_id_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > ATTEST_FIDO_RP_ID_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return 0;
	return 1;
}

attest_err_t
attest_pubkey_make_fido(attest_pubkey_t *pk, attest_alg_t alg,
    const char *rp_id, size_t rp_id_len, attest_diag_t *diag)
{
	attest_err_t r;

	if (!attest_alg_is_fido(alg) || pk->alg != attest_fido_base_alg(alg))
		return attest_diag_set(diag, ATTEST_ERR_KEY, "algorithm", -1,
		    "%s needs %s key, the file holds an %s key",
		    attest_alg_name(alg), alg == ATTEST_ALG_FIDO_ES256 ?
		    "a P-256" : "an Ed25519", attest_alg_name(pk->alg));
	if (!rp_id_ok(rp_id, rp_id_len))
		return attest_diag_set(diag, ATTEST_ERR_PARSE, "rp-id", -1,
		    "not 1 to %d bytes of printable ASCII without space",
		    ATTEST_FIDO_RP_ID_MAX);
	if ((pk->rp_id = malloc(rp_id_len + 1)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	memcpy(pk->rp_id, rp_id, rp_id_len);
	pk->rp_id[rp_id_len] = '\0';
	if ((r = attest_sha256(pk->rp_hash, (const unsigned char *)rp_id,
	    rp_id_len)) != ATTEST_OK)
		return r;
	pk->alg = alg;
	return ATTEST_OK;
}

const char *
attest_pubkey_fido_rp_id(const attest_pubkey_t *pk)
{
	return pk == NULL ? NULL : pk->rp_id;
}

attest_err_t
attest_pubkey_set_fido_uv(attest_pubkey_t *pk, int required)
{
	if (pk == NULL || !attest_alg_is_fido(pk->alg))
		return ATTEST_ERR_INVALID_ARGUMENT;
	pk->uv_required = required != 0;
	return ATTEST_OK;
}

/* The public key file (§2) --------------------------------------------- */

int
attest_fido_pub_is(const unsigned char *ptr, size_t len)
{
	return len >= sizeof(PUB_MAGIC) - 1 &&
	    memcmp(ptr, PUB_MAGIC, sizeof(PUB_MAGIC) - 1) == 0;
}

/* One "name: value\n" header line at *pp; the value is not NUL-ended. */
static attest_err_t
header_line(const unsigned char **pp, const unsigned char *end,
    const char *name, const char **val, size_t *val_len, attest_diag_t *diag)
{
	const unsigned char *p = *pp, *nl;
	size_t n = strlen(name);

	if ((size_t)(end - p) < n + 2 || memcmp(p, name, n) != 0 ||
	    p[n] != ':' || p[n + 1] != ' ' ||
	    (nl = memchr(p + n + 2, '\n', (size_t)(end - p) - n - 2)) == NULL)
		return attest_diag_set(diag, ATTEST_ERR_PARSE, name, -1,
		    "missing: a FIDO public key file has the lines "
		    "\"algorithm: ...\" and \"rp-id: ...\" after its first");
	*val = (const char *)p + n + 2;
	*val_len = (size_t)(nl - (p + n + 2));
	*pp = nl + 1;
	return ATTEST_OK;
}

attest_err_t
attest_fido_pub_parse(attest_pubkey_t **out, const unsigned char *ptr,
    size_t len, attest_diag_t *diag)
{
	const unsigned char *p = ptr + sizeof(PUB_MAGIC) - 1, *end = ptr + len;
	const char *an, *rp;
	char name[32];
	size_t an_len, rp_len;
	unsigned char *der = NULL;
	size_t der_len = 0;
	attest_pubkey_t *pk = NULL;
	attest_alg_t alg;
	attest_err_t r;

	*out = NULL;
	if ((r = header_line(&p, end, "algorithm", &an, &an_len, diag)) !=
	    ATTEST_OK || (r = header_line(&p, end, "rp-id", &rp, &rp_len,
	    diag)) != ATTEST_OK)
		return r;
	if (an_len >= sizeof(name))
		an_len = sizeof(name) - 1;
	memcpy(name, an, an_len);
	name[an_len] = '\0';
	if (!attest_alg_is_fido(alg = attest_alg_from_name(name)))
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
		    "algorithm", -1, "\"%s\" is not fido-es256 or fido-eddsa",
		    name);
	/* the PEM block follows at once: no text the reader would skip */
	if ((size_t)(end - p) < 11 || memcmp(p, "-----BEGIN ", 11) != 0)
		return attest_diag_set(diag, ATTEST_ERR_PARSE, NULL,
		    (long long)(p - ptr), "the PEM block must follow the "
		    "rp-id line");
	if ((r = attest_ossl_pem_decode(p, (size_t)(end - p), "PUBLIC KEY",
	    &der, &der_len, diag)) != ATTEST_OK)
		return r;
	if ((r = attest_pubkey_from_spki(&pk, der, der_len, diag)) !=
	    ATTEST_OK || (r = attest_pubkey_make_fido(pk, alg, rp, rp_len,
	    diag)) != ATTEST_OK)
		goto fail;
	*out = pk;
	pk = NULL;
fail:
	free(der);
	attest_pubkey_free(&pk);
	return r;
}

attest_err_t
attest_fido_pub_pem_alloc(const attest_pubkey_t *pk, unsigned char **out,
    size_t *out_len)
{
	struct attest_buf b = { NULL, 0, 0 };
	unsigned char *pem = NULL;
	size_t pem_len = 0;
	attest_err_t r;

	*out = NULL;
	*out_len = 0;
	if ((r = attest_ossl_pem_encode("PUBLIC KEY", pk->spki, pk->spki_len,
	    &pem, &pem_len)) != ATTEST_OK)
		return r;
	if ((r = attest_buf_printf(&b, "%salgorithm: %s\nrp-id: %s\n",
	    PUB_MAGIC, attest_alg_name(pk->alg), pk->rp_id)) == ATTEST_OK &&
	    (r = attest_buf_append(&b, pem, pem_len)) == ATTEST_OK) {
		*out = b.ptr;
		*out_len = b.len;
		b.ptr = NULL;
	}
	attest_buf_reset(&b);
	attest_freezero(pem, pem_len);
	return r;
}

/* Signatures (§3) ------------------------------------------------------- */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
why(struct attest_sigfacts *f, const char *msg)
{
	if (f != NULL)
		(void)snprintf(f->why, sizeof(f->why), "%s", msg);
}

attest_err_t
attest_fido_verify(const attest_pubkey_t *pk, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len,
    struct attest_sigfacts *facts)
{
	unsigned char signed_data[AUTHDATA_LEN + 32];
	unsigned int flags;
	attest_err_t r;

	/* flags(1) signCount(4) signature: ES256 DER 8..72, EdDSA 64 */
	if (sig_len < BLOB_HEAD + 8 || sig_len > BLOB_HEAD + 72 ||
	    (pk->alg == ATTEST_ALG_FIDO_EDDSA &&
	    sig_len != BLOB_HEAD + ATTEST_ED25519_SIG))
		return ATTEST_ERR_VERIFY;
	flags = sig[0];
	/*
	 * The 37-byte authenticatorData has no room for attested
	 * credential data or extensions: a blob claiming them was not made
	 * by this format (§3.2).
	 */
	if (flags & (ATTEST_FIDO_FLAG_AT | ATTEST_FIDO_FLAG_ED)) {
		why(facts, "the flags claim attested credential data (AT) or "
		    "extensions (ED), which this signature format excludes");
		return ATTEST_ERR_VERIFY;
	}
	/* authenticatorData rebuilt from the trusted key's rp id (§3.3) */
	memcpy(signed_data, pk->rp_hash, 32);
	memcpy(signed_data + 32, sig, BLOB_HEAD);
	if ((r = attest_sha256(signed_data + AUTHDATA_LEN, msg, msg_len)) !=
	    ATTEST_OK)
		return r;
	if (pk->alg == ATTEST_ALG_FIDO_EDDSA)
		r = attest_ed25519_verify(sig + BLOB_HEAD, sig_len - BLOB_HEAD,
		    signed_data, sizeof(signed_data), pk->ed25519);
	else
		r = attest_ossl_verify(pk->pkey, ATTEST_ALG_ECDSA_P256_SHA256,
		    signed_data, sizeof(signed_data), sig + BLOB_HEAD,
		    sig_len - BLOB_HEAD);
	if (r != ATTEST_OK)
		return r;
	/* only now are the flags and counter the authenticator's word */
	if (facts != NULL) {
		facts->fido = 1;
		facts->flags = flags;
		facts->counter = be32(sig + 1);
		if ((r = attest_sha256(facts->sig_hash, sig, sig_len)) !=
		    ATTEST_OK)
			return r;
	}
	if (!(flags & ATTEST_FIDO_FLAG_UP)) {
		why(facts, "user presence (UP) not asserted by the "
		    "authenticator");
		return ATTEST_ERR_VERIFY;
	}
	if (pk->uv_required && !(flags & ATTEST_FIDO_FLAG_UV)) {
		why(facts, "user verification (UV) required but not asserted "
		    "by the authenticator");
		return ATTEST_ERR_VERIFY;
	}
	return ATTEST_OK;
}

/* Devices ---------------------------------------------------------------- */

static void
fido_lib_init(void)
{
	fido_init(0);
}

/* Is a device with this path listed now?  1 yes, 0 no. */
static int
device_present(const char *path)
{
	fido_dev_info_t *list;
	size_t n = 0, i;
	int found = 0;

	if ((list = fido_dev_info_new(MAX_DEVICES)) == NULL)
		return 1;
	if (fido_dev_info_manifest(list, MAX_DEVICES, &n) != FIDO_OK)
		n = 0;
	for (i = 0; i < n; i++)
		if (strcmp(fido_dev_info_path(fido_dev_info_ptr(list, i)),
		    path) == 0)
			found = 1;
	fido_dev_info_free(&list, MAX_DEVICES);
	return found;
}

/*
 * The device to use: the one asked for, else the only one present.
 * Several and none chosen is an error, not a guess.
 */
static attest_err_t
pick_device(const char *want, char **path, attest_diag_t *diag)
{
	fido_dev_info_t *list;
	struct attest_buf names = { NULL, 0, 0 };
	size_t n = 0, i;
	int fe;
	attest_err_t r = ATTEST_OK;

	*path = NULL;
	if (want != NULL && *want != '\0')
		return (*path = strdup(want)) == NULL ? ATTEST_ERR_NO_MEMORY :
		    ATTEST_OK;
	if ((list = fido_dev_info_new(MAX_DEVICES)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((fe = fido_dev_info_manifest(list, MAX_DEVICES, &n)) != FIDO_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "cannot list FIDO devices: %s", fido_strerr(fe));
		goto out;
	}
	if (n == 0) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "no FIDO security key found: plug one in (and check the "
		    "permissions of /dev/hidraw*)");
		goto out;
	}
	if (n > 1) {
		for (i = 0; i < n && i < 8; i++)
			(void)attest_buf_printf(&names, "%s%s", i ? ", " : "",
			    fido_dev_info_path(fido_dev_info_ptr(list, i)));
		r = attest_diag_set(diag, ATTEST_ERR_AMBIGUOUS, NULL, -1,
		    "%zu FIDO security keys found (%.*s%s) and none chosen: "
		    "name one (attest-keygen -d DEVICE; ATTEST_FIDO_DEVICE "
		    "when signing)", n,
		    (int)names.len, names.ptr ? (char *)names.ptr : "",
		    n > 8 ? ", ..." : "");
		goto out;
	}
	if ((*path = strdup(fido_dev_info_path(fido_dev_info_ptr(list, 0)))) ==
	    NULL)
		r = ATTEST_ERR_NO_MEMORY;
out:
	attest_buf_reset(&names);
	fido_dev_info_free(&list, MAX_DEVICES);
	return r;
}

/* Say which failure it was (issue: "errors say which"). */
static attest_err_t
device_fail(fido_dev_t *dev, const char *path, int fe, const char *doing,
    attest_diag_t *diag)
{
	int retries = -1;

	switch (fe) {
	case FIDO_ERR_TX:
	case FIDO_ERR_RX:
	case FIDO_ERR_RX_NOT_CBOR:
		if (!device_present(path))
			return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
			    "%s: the device was removed while %s", path,
			    doing);
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the device stopped answering while %s (%s)", path,
		    doing, fido_strerr(fe));
	case FIDO_ERR_USER_ACTION_TIMEOUT:
	case FIDO_ERR_ACTION_TIMEOUT:
		return attest_diag_set(diag, ATTEST_ERR_CANCELLED, NULL, -1,
		    "%s: no touch: timed out waiting for user presence while "
		    "%s", path, doing);
	case FIDO_ERR_OPERATION_DENIED:
	case FIDO_ERR_KEEPALIVE_CANCEL:
		return attest_diag_set(diag, ATTEST_ERR_CANCELLED, NULL, -1,
		    "%s: user presence denied while %s", path, doing);
	case FIDO_ERR_PIN_REQUIRED:
		return attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "%s: PIN required: the device demands user verification "
		    "(enrol with --uv so that signing asks for the PIN)", path);
	case FIDO_ERR_PIN_INVALID:
		if (dev == NULL ||
		    fido_dev_get_retry_count(dev, &retries) != FIDO_OK)
			retries = -1;
		if (retries < 0)
			return attest_diag_set(diag, ATTEST_ERR_PASSPHRASE,
			    NULL, -1, "%s: wrong PIN (not retried)", path);
		return attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "%s: wrong PIN, %d retr%s left (not retried)", path,
		    retries, retries == 1 ? "y" : "ies");
	case FIDO_ERR_PIN_AUTH_BLOCKED:
		return attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "%s: too many wrong PINs in a row: remove and reinsert the "
		    "device before the next try", path);
	case FIDO_ERR_PIN_BLOCKED:
		return attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "%s: PIN blocked, no retries left: only a reset of the "
		    "device (which destroys its credentials) unblocks it",
		    path);
	case FIDO_ERR_PIN_NOT_SET:
		return attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "%s: the device has no PIN set", path);
	case FIDO_ERR_NO_CREDENTIALS:
		return attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL, -1,
		    "%s: credential not on this device (made on another "
		    "security key, or deleted)", path);
	case FIDO_ERR_UNSUPPORTED_ALGORITHM:
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, NULL, -1,
		    "%s: the device does not support this algorithm", path);
	default:
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: %s while %s", path, fido_strerr(fe), doing);
	}
}

static attest_err_t
device_open(const char *path, fido_dev_t **out, attest_diag_t *diag)
{
	fido_dev_t *dev;
	int fe;

	*out = NULL;
	fido_lib_init();
	if ((dev = fido_dev_new()) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((fe = fido_dev_open(dev, path)) != FIDO_OK) {
		fido_dev_free(&dev);
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: cannot open the FIDO device: %s", path,
		    fido_strerr(fe));
	}
	if (!fido_dev_is_fido2(dev)) {
		(void)fido_dev_close(dev);
		fido_dev_free(&dev);
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, NULL, -1,
		    "%s: a U2F-only device: FIDO2 (CTAP2) is needed", path);
	}
	*out = dev;
	return ATTEST_OK;
}

static void
device_close(fido_dev_t **dev)
{
	if (*dev != NULL) {
		(void)fido_dev_close(*dev);
		fido_dev_free(dev);
	}
}

/*
 * Ask the callback for the device PIN into guarded memory, when the
 * device has one.  *pin stays NULL when no PIN is set.
 */
static attest_err_t
get_pin(fido_dev_t *dev, const char *path, attest_secret_fn *secret,
    void *arg, char **pin, attest_diag_t *diag)
{
	char what[512];
	size_t len = 0;
	attest_err_t r;

	*pin = NULL;
	if (!fido_dev_has_pin(dev))
		return ATTEST_OK;
	if (secret == NULL)
		return attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "%s: PIN required and no way to ask for it", path);
	if ((*pin = attest_secure_alloc(PIN_MAX + 1)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	(void)snprintf(what, sizeof(what), "PIN of FIDO device %s", path);
	if ((r = secret(arg, ATTEST_SECRET_PIN, what, 0, *pin, PIN_MAX,
	    &len)) != ATTEST_OK || len == 0 || len > PIN_MAX ||
	    memchr(*pin, '\0', len) != NULL) {
		attest_secure_free(*pin);
		*pin = NULL;
		if (r != ATTEST_OK)
			return attest_diag_set(diag, r, NULL, -1,
			    "%s: the device has a PIN and none was given", path);
		return attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "%s: an empty PIN or one with a NUL byte is not tried",
		    path);
	}
	(*pin)[len] = '\0';
	return ATTEST_OK;
}

static void
pin_free(char **pin)
{
	if (*pin != NULL) {
		attest_secure_free(*pin);	/* wipes */
		*pin = NULL;
	}
}

static attest_err_t
touch_notice(attest_secret_fn *secret, void *arg, const char *fmt,
    const char *path, const char *doing)
{
	char what[512];
	size_t len = 0;

	if (secret == NULL)
		return ATTEST_OK;
	(void)snprintf(what, sizeof(what), fmt, path, doing);
	return secret(arg, ATTEST_SECRET_TOUCH, what, 0, NULL, 0, &len);
}

static const char *
cose_name(int c)
{
	switch (c) {
	case COSE_ES256:
		return "es256";
	case COSE_EDDSA:
		return "eddsa";
	case COSE_ES384:
		return "es384";
	case COSE_RS256:
		return "rs256";
	default:
		return NULL;
	}
}

static void
uuid_text(char out[37], const unsigned char *u, size_t len)
{
	char hex[33];

	out[0] = '\0';
	if (len != 16)
		return;
	attest_hex_encode(hex, u, 16);
	(void)snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	    hex + 12, hex + 16, hex + 20);
}

static attest_err_t
device_query(attest_fido_device_t *d)
{
	fido_dev_t *dev = NULL;
	fido_cbor_info_t *ci = NULL;
	struct attest_buf b = { NULL, 0, 0 };
	attest_diag_t *diag = attest_diag_new();
	const char *nm;
	size_t i;
	int fe;
	attest_err_t r;

	if (diag == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((r = device_open(d->path, &dev, diag)) != ATTEST_OK) {
		r = (d->error = strdup(attest_diag_get_reason(diag))) == NULL ?
		    ATTEST_ERR_NO_MEMORY : ATTEST_OK;
		goto out;
	}
	if ((ci = fido_cbor_info_new()) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto out;
	}
	if ((fe = fido_dev_get_cbor_info(dev, ci)) != FIDO_OK) {
		r = (d->error = strdup(fido_strerr(fe))) == NULL ?
		    ATTEST_ERR_NO_MEMORY : ATTEST_OK;
		goto out;
	}
	d->firmware = fido_cbor_info_fwversion(ci);
	uuid_text(d->aaguid, fido_cbor_info_aaguid_ptr(ci),
	    fido_cbor_info_aaguid_len(ci));
	d->has_pin = fido_dev_has_pin(dev) ? 1 :
	    fido_dev_supports_pin(dev) ? 0 : -1;
	for (i = 0; i < fido_cbor_info_algorithm_count(ci); i++) {
		nm = cose_name(fido_cbor_info_algorithm_cose(ci, i));
		r = nm != NULL ? attest_buf_printf(&b, "%s%s", b.len ? " " : "",
		    nm) : attest_buf_printf(&b, "%scose:%d", b.len ? " " : "",
		    fido_cbor_info_algorithm_cose(ci, i));
		if (r != ATTEST_OK)
			goto out;
	}
	if ((r = attest_buf_append(&b, "", 1)) != ATTEST_OK)
		goto out;
	d->algorithms = (char *)b.ptr;
	b.ptr = NULL;
	r = ATTEST_OK;
out:
	attest_buf_reset(&b);
	fido_cbor_info_free(&ci);
	device_close(&dev);
	attest_diag_free(&diag);
	return r;
}

attest_err_t
attest_fido_device_list(attest_fido_device_t **out, size_t *n,
    attest_diag_t *diag)
{
	fido_dev_info_t *list;
	attest_fido_device_t *d = NULL;
	const fido_dev_info_t *di;
	size_t cnt = 0, i;
	int fe;
	attest_err_t r = ATTEST_OK;

	if (out == NULL || n == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	*n = 0;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	fido_lib_init();
	if ((list = fido_dev_info_new(MAX_DEVICES)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((fe = fido_dev_info_manifest(list, MAX_DEVICES, &cnt)) !=
	    FIDO_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "cannot list FIDO devices: %s", fido_strerr(fe));
		goto out;
	}
	if (cnt > 0 && (d = calloc(cnt, sizeof(*d))) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto out;
	}
	for (i = 0; i < cnt; i++) {
		di = fido_dev_info_ptr(list, i);
		d[i].has_pin = -1;
		if ((d[i].path = strdup(fido_dev_info_path(di))) == NULL ||
		    (d[i].manufacturer = strdup(
		    fido_dev_info_manufacturer_string(di))) == NULL ||
		    (d[i].product = strdup(fido_dev_info_product_string(di))) ==
		    NULL) {
			r = ATTEST_ERR_NO_MEMORY;
			goto out;
		}
		if ((r = device_query(&d[i])) != ATTEST_OK)
			goto out;
	}
	*out = d;
	*n = cnt;
	d = NULL;
out:
	attest_fido_device_list_free(&d, cnt);
	fido_dev_info_free(&list, MAX_DEVICES);
	return r;
}

void
attest_fido_device_list_free(attest_fido_device_t **list, size_t n)
{
	size_t i;

	if (list == NULL || *list == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*list)[i].path);
		free((*list)[i].manufacturer);
		free((*list)[i].product);
		free((*list)[i].algorithms);
		free((*list)[i].error);
	}
	free(*list);
	*list = NULL;
}

/* The key handle (§4) and the signer -------------------------------------- */

struct fido_signer {
	attest_pubkey_t		*pub;
	unsigned char		*cred_id;
	size_t			 cred_id_len;
	int			 uv;
	attest_secret_fn	*secret;
	void			*arg;
};

int
attest_fido_handle_is(const unsigned char *ptr, size_t len)
{
	json_t *root = NULL, *t;
	int is;

	if (attest_json_load(ptr, len, &root, NULL) != ATTEST_OK)
		return 0;
	is = json_is_object(root) && (t = json_object_get(root, "type")) !=
	    NULL && json_is_string(t) && strcmp(json_string_value(t),
	    HANDLE_TYPE) == 0;
	json_decref(root);
	return is;
}

/* A "type" and "version" 1 check shared by the handle, att and counters. */
static attest_err_t
check_type(const json_t *root, const char *type, attest_diag_t *diag)
{
	const char *s;
	json_t *v;
	attest_err_t r;

	if ((r = attest_json_get_string(root, "", "type", 1, &s, NULL,
	    diag)) != ATTEST_OK)
		return r;
	if (strcmp(s, type) != 0)
		return attest_diag_set(diag, ATTEST_ERR_PARSE, "type", -1,
		    "not \"%s\"", type);
	if ((r = attest_json_get_typed(root, "", "version", JSON_INTEGER, 1,
	    &v, diag)) != ATTEST_OK)
		return r;
	if (json_integer_value(v) != 1)
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, "version",
		    -1, "unsupported version %lld",
		    (long long)json_integer_value(v));
	return ATTEST_OK;
}

static attest_err_t
get_b64(const json_t *root, const char *key, int required,
    unsigned char **out, size_t *out_len, attest_diag_t *diag)
{
	const char *s;
	size_t n;
	attest_err_t r;

	*out = NULL;
	*out_len = 0;
	if ((r = attest_json_get_string(root, "", key, required, &s, &n,
	    diag)) != ATTEST_OK || s == NULL)
		return r;
	if (attest_b64_decode_alloc(s, n, out, out_len) != ATTEST_OK ||
	    *out_len == 0) {
		free(*out);
		*out = NULL;
		return attest_diag_set(diag, ATTEST_ERR_PARSE, key, -1,
		    "invalid or empty base64");
	}
	return ATTEST_OK;
}

/* An optional boolean member; absent is false. */
static attest_err_t
get_bool(const json_t *root, const char *key, int *out, attest_diag_t *diag)
{
	json_t *v = json_object_get(root, key);

	*out = 0;
	if (v == NULL)
		return ATTEST_OK;
	if (!json_is_boolean(v))
		return attest_diag_set(diag, ATTEST_ERR_PARSE, key, -1,
		    "must be true or false");
	*out = json_is_true(v);
	return ATTEST_OK;
}

/*
 * The public key, algorithm and rp id members that the handle and the
 * attestation file share; the key id must match the key.
 */
static attest_err_t
parse_key_members(const json_t *root, attest_pubkey_t **out,
    attest_diag_t *diag)
{
	const char *an, *rp, *kid;
	size_t rp_len;
	unsigned char *der = NULL;
	size_t der_len = 0;
	attest_pubkey_t *pk = NULL;
	attest_alg_t alg;
	attest_err_t r;

	*out = NULL;
	if ((r = attest_json_get_string(root, "", "algorithm", 1, &an, NULL,
	    diag)) != ATTEST_OK || (r = attest_json_get_string(root, "",
	    "rp_id", 1, &rp, &rp_len, diag)) != ATTEST_OK ||
	    (r = attest_json_get_string(root, "", "keyid", 1, &kid, NULL,
	    diag)) != ATTEST_OK)
		return r;
	if (!attest_alg_is_fido(alg = attest_alg_from_name(an)))
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
		    "algorithm", -1, "not fido-es256 or fido-eddsa");
	if ((r = get_b64(root, "public_key", 1, &der, &der_len, diag)) !=
	    ATTEST_OK)
		return r;
	if ((r = attest_pubkey_from_spki(&pk, der, der_len, diag)) !=
	    ATTEST_OK) {
		(void)attest_diag_set(diag, r, "public_key", -1, "%s",
		    attest_diag_get_reason(diag));
		goto fail;
	}
	if ((r = attest_pubkey_make_fido(pk, alg, rp, rp_len, diag)) !=
	    ATTEST_OK)
		goto fail;
	if (strcmp(kid, pk->keyid) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_KEY, "keyid", -1,
		    "not the key id of public_key");
		goto fail;
	}
	*out = pk;
	pk = NULL;
fail:
	free(der);
	attest_pubkey_free(&pk);
	return r;
}

static void
fido_signer_close(void *ctx)
{
	struct fido_signer *fs = ctx;

	if (fs == NULL)
		return;
	attest_pubkey_free(&fs->pub);
	free(fs->cred_id);
	free(fs);
}

/* authenticatorData as libfido2 1.12 gives it: a CBOR byte string. */
static attest_err_t
unwrap_authdata(const unsigned char *ptr, size_t len, unsigned char out[37])
{
	struct cbor_load_result res;
	cbor_item_t *item;
	attest_err_t r = ATTEST_ERR_DEVICE;

	if (ptr == NULL || len == 0 ||
	    (item = cbor_load(ptr, len, &res)) == NULL)
		return ATTEST_ERR_DEVICE;
	if (res.read == len && cbor_isa_bytestring(item) &&
	    cbor_bytestring_is_definite(item) &&
	    cbor_bytestring_length(item) == AUTHDATA_LEN) {
		memcpy(out, cbor_bytestring_handle(item), AUTHDATA_LEN);
		r = ATTEST_OK;
	}
	cbor_decref(&item);
	return r;
}

/*
 * Check an assertion before it leaves the signer (§3.4): exactly the
 * 37-byte authenticatorData for our rp id, UP set, UV when the handle
 * demands it, no AT or ED.
 */
static attest_err_t
check_assertion(const struct fido_signer *fs, const char *path,
    const unsigned char ad[37], attest_diag_t *diag)
{
	unsigned int flags = ad[32];

	if (memcmp(ad, fs->pub->rp_hash, 32) != 0)
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the assertion is for another relying party", path);
	if (flags & (ATTEST_FIDO_FLAG_AT | ATTEST_FIDO_FLAG_ED))
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the assertion carries %s data (flags 0x%02x): "
		    "refused, the signature format has no room for it", path,
		    (flags & ATTEST_FIDO_FLAG_ED) ? "extension" :
		    "attested credential", flags);
	if (!(flags & ATTEST_FIDO_FLAG_UP))
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the device did not confirm user presence (UP flag "
		    "clear)", path);
	if (fs->uv && !(flags & ATTEST_FIDO_FLAG_UV))
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the device did not verify the user (UV flag clear) "
		    "and this credential demands it", path);
	return ATTEST_OK;
}

static attest_err_t
fido_sign(void *ctx, const unsigned char *msg, size_t msg_len,
    unsigned char *sig, size_t sig_size, size_t *sig_len, attest_diag_t *diag)
{
	struct fido_signer *fs = ctx;
	struct attest_sigfacts facts;
	fido_dev_t *dev = NULL;
	fido_assert_t *a = NULL;
	unsigned char cdh[32], ad[AUTHDATA_LEN];
	char *path = NULL, *pin = NULL;
	const unsigned char *sp;
	size_t sl;
	int fe;
	attest_err_t r;

	*sig_len = 0;
	/* §3.1: clientDataHash = SHA-256(the message, i.e. the PAE) */
	if ((r = attest_sha256(cdh, msg, msg_len)) != ATTEST_OK)
		return r;
	if ((r = pick_device(getenv("ATTEST_FIDO_DEVICE"), &path, diag)) !=
	    ATTEST_OK || (r = device_open(path, &dev, diag)) != ATTEST_OK)
		goto out;
	if ((a = fido_assert_new()) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto out;
	}
	if ((fe = fido_assert_set_rp(a, fs->pub->rp_id)) != FIDO_OK ||
	    (fe = fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh))) !=
	    FIDO_OK || (fe = fido_assert_allow_cred(a, fs->cred_id,
	    fs->cred_id_len)) != FIDO_OK ||
	    (fe = fido_assert_set_up(a, FIDO_OPT_TRUE)) != FIDO_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "cannot build the assertion request: %s", fido_strerr(fe));
		goto out;
	}
	if (fs->uv) {
		if (fido_dev_has_pin(dev)) {
			if ((r = get_pin(dev, path, fs->secret, fs->arg, &pin,
			    diag)) != ATTEST_OK)
				goto out;
		} else if (fido_dev_has_uv(dev)) {
			if (fido_assert_set_uv(a, FIDO_OPT_TRUE) != FIDO_OK) {
				r = ATTEST_ERR_DEVICE;
				goto out;
			}
		} else {
			r = attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL,
			    -1, "%s: the credential demands user verification "
			    "but the device has no PIN set", path);
			goto out;
		}
	}
	if ((r = touch_notice(fs->secret, fs->arg, "touch the FIDO security "
	    "key %s to %s", path, "sign")) != ATTEST_OK)
		goto out;
	fe = fido_dev_get_assert(dev, a, pin);
	pin_free(&pin);
	if (fe != FIDO_OK) {
		r = device_fail(dev, path, fe, "signing", diag);
		goto out;
	}
	if (fido_assert_count(a) != 1 ||
	    unwrap_authdata(fido_assert_authdata_ptr(a, 0),
	    fido_assert_authdata_len(a, 0), ad) != ATTEST_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the assertion's authenticatorData is not the 37 "
		    "bytes of this format (extensions or a protocol error)",
		    path);
		goto out;
	}
	if ((r = check_assertion(fs, path, ad, diag)) != ATTEST_OK)
		goto out;
	sp = fido_assert_sig_ptr(a, 0);
	sl = fido_assert_sig_len(a, 0);
	if (sp == NULL || sl == 0 || sl > sig_size - BLOB_HEAD) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the assertion has no usable signature", path);
		goto out;
	}
	/* §3.2: flags(1) || signCount(4) || signature */
	memcpy(sig, ad + 32, BLOB_HEAD);
	memcpy(sig + BLOB_HEAD, sp, sl);
	/* a signature that does not verify never leaves the signer */
	memset(&facts, 0, sizeof(facts));
	if (attest_fido_verify(fs->pub, msg, msg_len, sig, sl + BLOB_HEAD,
	    &facts) != ATTEST_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the device returned a signature that does not verify "
		    "with the credential's public key", path);
		goto out;
	}
	if (facts.counter == 0)
		attest_diag_warn(diag, "%s: the device does not count "
		    "signatures (counter 0): a verifier cannot detect a clone",
		    path);
	*sig_len = sl + BLOB_HEAD;
	r = ATTEST_OK;
out:
	pin_free(&pin);
	fido_assert_free(&a);
	device_close(&dev);
	free(path);
	return r;
}

static const attest_signer_ops_t fido_ops = { fido_sign, fido_signer_close };

attest_err_t
attest_fido_signer_open(attest_signer_t **out, const unsigned char *ptr,
    size_t len, attest_secret_fn *secret, void *arg, attest_diag_t *diag)
{
	struct fido_signer *fs;
	json_t *root = NULL;
	attest_err_t r;

	*out = NULL;
	if ((fs = calloc(1, sizeof(*fs))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	fs->secret = secret;
	fs->arg = arg;
	if ((r = attest_json_load(ptr, len, &root, diag)) != ATTEST_OK ||
	    (r = check_type(root, HANDLE_TYPE, diag)) != ATTEST_OK ||
	    (r = parse_key_members(root, &fs->pub, diag)) != ATTEST_OK ||
	    (r = get_b64(root, "credential_id", 1, &fs->cred_id,
	    &fs->cred_id_len, diag)) != ATTEST_OK ||
	    (r = get_bool(root, "user_verification", &fs->uv, diag)) !=
	    ATTEST_OK)
		goto fail;
	if (fs->cred_id_len > 1024) {
		r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE,
		    "credential_id", -1, "longer than 1024 bytes");
		goto fail;
	}
	if ((r = attest_signer_new(out, &fido_ops, fs, fs->pub)) != ATTEST_OK)
		goto fail;
	(*out)->sig_size = BLOB_HEAD + 72;
	fs = NULL;
fail:
	json_decref(root);
	fido_signer_close(fs);
	return r;
}

/* Enrolment (§4, §5) -------------------------------------------------------- */

struct attest_fido_cred {
	attest_pubkey_t	*pub;
	char		*device;
	char		*fmt;
	unsigned char	*cred_id, *authdata, *sig, *x5c;
	size_t		 cred_id_len, authdata_len, sig_len, x5c_len;
	unsigned char	 cdh[32];
	unsigned char	 aaguid[16];
	int		 uv, resident;
};

void
attest_fido_cred_free(attest_fido_cred_t **cp)
{
	attest_fido_cred_t *c;

	if (cp == NULL || (c = *cp) == NULL)
		return;
	attest_pubkey_free(&c->pub);
	free(c->device);
	free(c->fmt);
	free(c->cred_id);
	free(c->authdata);
	free(c->sig);
	free(c->x5c);
	free(c);
	*cp = NULL;
}

static attest_err_t
dup_bytes(unsigned char **out, size_t *out_len, const unsigned char *p,
    size_t n)
{
	*out = NULL;
	*out_len = 0;
	if (p == NULL || n == 0)
		return ATTEST_OK;
	if ((*out = malloc(n)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	memcpy(*out, p, n);
	*out_len = n;
	return ATTEST_OK;
}

/* The DER SPKI of the COSE public key libfido2 decoded from authData. */
static attest_err_t
cred_spki(const fido_cred_t *cred, attest_alg_t alg, unsigned char **der,
    size_t *der_len)
{
	const unsigned char *p = fido_cred_pubkey_ptr(cred);
	size_t n = fido_cred_pubkey_len(cred);
	unsigned char pt[65];

	if (p == NULL)
		return ATTEST_ERR_KEY;
	if (alg == ATTEST_ALG_FIDO_EDDSA) {
		if (n != 32)
			return ATTEST_ERR_KEY;
		return attest_ossl_spki_encode(NULL, p, der, der_len);
	}
	if (n != 64)			/* libfido2: x || y */
		return ATTEST_ERR_KEY;
	pt[0] = 0x04;
	memcpy(pt + 1, p, 64);
	return attest_ossl_spki_from_point(ATTEST_ALG_ECDSA_P256_SHA256, pt,
	    sizeof(pt), der, der_len);
}

/* Check what the device said it made (its attestation signature). */
static attest_err_t
cred_check(fido_cred_t *cred, const char *path, int want_uv,
    attest_diag_t *diag)
{
	const char *fmt = fido_cred_fmt(cred);
	int fe;

	if (!(fido_cred_flags(cred) & ATTEST_FIDO_FLAG_UP))
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the device did not confirm user presence", path);
	if (want_uv && !(fido_cred_flags(cred) & ATTEST_FIDO_FLAG_UV))
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the device did not verify the user (UV)", path);
	if (fmt == NULL || strcmp(fmt, "none") == 0)
		return ATTEST_OK;
	fe = fido_cred_x5c_len(cred) > 0 ? fido_cred_verify(cred) :
	    fido_cred_verify_self(cred);
	if (fe != FIDO_OK)
		return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the device's attestation (%s%s) does not verify: %s",
		    path, fmt, fido_cred_x5c_len(cred) > 0 ? ", x5c" :
		    ", self", fido_strerr(fe));
	return ATTEST_OK;
}

static attest_err_t
cred_keep(attest_fido_cred_t *c, fido_cred_t *cred, attest_alg_t alg,
    const char *rp_id, attest_diag_t *diag)
{
	unsigned char *der = NULL;
	size_t der_len = 0, n;
	attest_err_t r;

	if ((r = cred_spki(cred, alg, &der, &der_len)) != ATTEST_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: the device returned an unusable public key",
		    c->device);
		goto out;
	}
	if ((r = attest_pubkey_from_spki(&c->pub, der, der_len, diag)) !=
	    ATTEST_OK || (r = attest_pubkey_make_fido(c->pub, alg, rp_id,
	    strlen(rp_id), diag)) != ATTEST_OK)
		goto out;
	if (fido_cred_id_len(cred) == 0 || fido_cred_id_len(cred) > 1024) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "%s: credential id of %zu bytes", c->device,
		    fido_cred_id_len(cred));
		goto out;
	}
	if ((c->fmt = strdup(fido_cred_fmt(cred) ? fido_cred_fmt(cred) :
	    "none")) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto out;
	}
	if ((r = dup_bytes(&c->cred_id, &c->cred_id_len, fido_cred_id_ptr(cred),
	    fido_cred_id_len(cred))) != ATTEST_OK ||
	    (r = dup_bytes(&c->authdata, &c->authdata_len,
	    fido_cred_authdata_raw_ptr(cred),
	    fido_cred_authdata_raw_len(cred))) != ATTEST_OK ||
	    (r = dup_bytes(&c->sig, &c->sig_len, fido_cred_sig_ptr(cred),
	    fido_cred_sig_len(cred))) != ATTEST_OK ||
	    (r = dup_bytes(&c->x5c, &c->x5c_len, fido_cred_x5c_ptr(cred),
	    fido_cred_x5c_len(cred))) != ATTEST_OK)
		goto out;
	if ((n = fido_cred_aaguid_len(cred)) == 16)
		memcpy(c->aaguid, fido_cred_aaguid_ptr(cred), 16);
out:
	free(der);
	return r;
}

attest_err_t
attest_fido_generate(attest_fido_cred_t **out, const char *device,
    const char *rp_id, attest_alg_t alg, int flags,
    attest_secret_fn *secret, void *arg, attest_diag_t *diag)
{
	attest_fido_cred_t *c = NULL;
	fido_dev_t *dev = NULL;
	fido_cred_t *cred = NULL;
	unsigned char uid[32];
	char *pin = NULL;
	int fe;
	attest_err_t r;

	if (out == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	if (!attest_alg_is_fido(alg))
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, NULL, -1,
		    "a FIDO key is fido-es256 or fido-eddsa");
	if (rp_id == NULL)
		rp_id = ATTEST_FIDO_RP_ID_DEFAULT;
	if (!rp_id_ok(rp_id, strlen(rp_id)))
		return attest_diag_set(diag, ATTEST_ERR_INVALID_ARGUMENT,
		    "rp-id", -1, "not 1 to %d bytes of printable ASCII "
		    "without space", ATTEST_FIDO_RP_ID_MAX);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	c->uv = (flags & ATTEST_FIDO_UV) != 0;
	c->resident = (flags & ATTEST_FIDO_RESIDENT) != 0;
	if ((r = pick_device(device, &c->device, diag)) != ATTEST_OK ||
	    (r = device_open(c->device, &dev, diag)) != ATTEST_OK)
		goto out;
	if ((cred = fido_cred_new()) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto out;
	}
	attest_random(c->cdh, sizeof(c->cdh));
	attest_random(uid, sizeof(uid));
	if ((fe = fido_cred_set_type(cred, cose_alg(alg))) != FIDO_OK ||
	    (fe = fido_cred_set_clientdata_hash(cred, c->cdh,
	    sizeof(c->cdh))) != FIDO_OK ||
	    (fe = fido_cred_set_rp(cred, rp_id, "libattest")) != FIDO_OK ||
	    (fe = fido_cred_set_user(cred, uid, sizeof(uid), "libattest",
	    "libattest signing key", NULL)) != FIDO_OK ||
	    (fe = fido_cred_set_rk(cred, c->resident ? FIDO_OPT_TRUE :
	    FIDO_OPT_OMIT)) != FIDO_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
		    "cannot build the credential request: %s",
		    fido_strerr(fe));
		goto out;
	}
	/* a device with a PIN wants it for makeCredential (CTAP 2.0) */
	if ((r = get_pin(dev, c->device, secret, arg, &pin, diag)) !=
	    ATTEST_OK)
		goto out;
	if (pin == NULL && c->uv) {
		if (!fido_dev_has_uv(dev)) {
			r = attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL,
			    -1, "%s: --uv needs a device with a PIN set or "
			    "built-in user verification", c->device);
			goto out;
		}
		(void)fido_cred_set_uv(cred, FIDO_OPT_TRUE);
	}
	if ((r = touch_notice(secret, arg, "touch the FIDO security key %s "
	    "to %s", c->device, "create the credential")) != ATTEST_OK)
		goto out;
	fe = fido_dev_make_cred(dev, cred, pin);
	pin_free(&pin);
	if (fe != FIDO_OK) {
		r = device_fail(dev, c->device, fe, "creating the credential",
		    diag);
		goto out;
	}
	if ((r = cred_check(cred, c->device, c->uv, diag)) != ATTEST_OK ||
	    (r = cred_keep(c, cred, alg, rp_id, diag)) != ATTEST_OK)
		goto out;
	*out = c;
	c = NULL;
out:
	pin_free(&pin);
	fido_cred_free(&cred);
	device_close(&dev);
	attest_fido_cred_free(&c);
	return r;
}

const attest_pubkey_t *
attest_fido_cred_pubkey(const attest_fido_cred_t *c)
{
	return c == NULL ? NULL : c->pub;
}

const char *
attest_fido_cred_device(const attest_fido_cred_t *c)
{
	return c == NULL ? NULL : c->device;
}

const char *
attest_fido_cred_fmt(const attest_fido_cred_t *c)
{
	return c == NULL ? NULL : c->fmt;
}

/* The members the handle and the attestation file share. */
static attest_err_t
key_members(json_t *root, const char *type, const attest_pubkey_t *pk)
{
	if (json_object_set_new(root, "type", json_string(type)) ||
	    json_object_set_new(root, "version", json_integer(1)) ||
	    json_object_set_new(root, "algorithm",
	    json_string(attest_alg_name(pk->alg))) ||
	    json_object_set_new(root, "rp_id", json_string(pk->rp_id)) ||
	    json_object_set_new(root, "keyid", json_string(pk->keyid)))
		return ATTEST_ERR_NO_MEMORY;
	return attest_json_set_b64(root, "public_key", pk->spki, pk->spki_len);
}

static attest_err_t
dump_pretty(json_t *root, unsigned char **out, size_t *out_len)
{
	char *s;
	size_t n;

	if ((s = attest_json_dumps(root, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	n = strlen(s);
	if ((*out = malloc(n + 1)) == NULL) {
		free(s);
		return ATTEST_ERR_NO_MEMORY;
	}
	memcpy(*out, s, n);
	(*out)[n] = '\n';
	*out_len = n + 1;
	free(s);
	return ATTEST_OK;
}

attest_err_t
attest_fido_cred_handle_alloc(const attest_fido_cred_t *c,
    unsigned char **out, size_t *out_len)
{
	json_t *root;
	attest_err_t r;

	if (c == NULL || out == NULL || out_len == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	if ((root = json_object()) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((r = key_members(root, HANDLE_TYPE, c->pub)) == ATTEST_OK &&
	    (r = attest_json_set_b64(root, "credential_id", c->cred_id,
	    c->cred_id_len)) == ATTEST_OK) {
		if (json_object_set_new(root, "user_verification",
		    json_boolean(c->uv)) || json_object_set_new(root,
		    "resident", json_boolean(c->resident)))
			r = ATTEST_ERR_NO_MEMORY;
		else
			r = dump_pretty(root, out, out_len);
	}
	json_decref(root);
	return r;
}

attest_err_t
attest_fido_cred_attestation_alloc(const attest_fido_cred_t *c,
    unsigned char **out, size_t *out_len)
{
	json_t *root, *arr = NULL;
	char hex[33];
	char *b64 = NULL;
	size_t n;
	attest_err_t r;

	if (c == NULL || out == NULL || out_len == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	if ((root = json_object()) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	attest_hex_encode(hex, c->aaguid, sizeof(c->aaguid));
	if ((r = key_members(root, ATT_TYPE, c->pub)) != ATTEST_OK)
		goto out;
	if (json_object_set_new(root, "fmt", json_string(c->fmt)) ||
	    json_object_set_new(root, "aaguid", json_string(hex))) {
		r = ATTEST_ERR_NO_MEMORY;
		goto out;
	}
	if ((r = attest_json_set_b64(root, "client_data_hash", c->cdh,
	    sizeof(c->cdh))) != ATTEST_OK ||
	    (r = attest_json_set_b64(root, "auth_data", c->authdata,
	    c->authdata_len)) != ATTEST_OK)
		goto out;
	if (c->sig_len > 0 && (r = attest_json_set_b64(root, "sig", c->sig,
	    c->sig_len)) != ATTEST_OK)
		goto out;
	if (c->x5c_len > 0) {
		if ((r = attest_b64_encode_alloc(c->x5c, c->x5c_len, &b64,
		    &n)) != ATTEST_OK)
			goto out;
		/* root owns arr at once, so no path leaks it */
		if (json_object_set_new(root, "x5c", arr = json_array()) ||
		    json_array_append_new(arr, json_string(b64))) {
			r = ATTEST_ERR_NO_MEMORY;
			goto out;
		}
	}
	r = dump_pretty(root, out, out_len);
out:
	free(b64);
	json_decref(root);
	return r;
}

/* Attestation (§5) ---------------------------------------------------------- */

/*
 * The enrolment authenticatorData is exactly rpIdHash, flags, signCount,
 * the attested credential data (AAGUID, credential id length and id, one
 * CBOR COSE_Key) and, with ED, one CBOR extensions map (WebAuthn §6.1).
 * libfido2 1.12 ignores bytes after them; they are refused here (no
 * trailing bytes, STYLE §10).
 */
/*
 * The items still to read while walking one CBOR item with libcbor's
 * streaming decoder, which allocates nothing (cbor_load would allocate
 * what a declared array or map length says, 14 GB for a few bytes of
 * input: found by fuzzing).  Each item takes at least one byte, so more
 * pending items than bytes left is refused at once; indefinite lengths
 * are refused (a COSE_Key has none).
 */
struct cbor_walk {
	size_t	need;
	size_t	left;
	int	bad;
};

static void
walk_add(struct cbor_walk *w, size_t n, size_t per)
{
	if (n > (SIZE_MAX - w->need) / per || w->need + n * per > w->left)
		w->bad = 1;
	else
		w->need += n * per;
}

static void
walk_array(void *ctx, size_t n)
{
	walk_add(ctx, n, 1);
}

static void
walk_map(void *ctx, size_t n)
{
	walk_add(ctx, n, 2);
}

static void
walk_tag(void *ctx, uint64_t tag)
{
	(void)tag;
	walk_add(ctx, 1, 1);
}

static void
walk_indef(void *ctx)
{
	((struct cbor_walk *)ctx)->bad = 1;
}

/* The length of the one CBOR item at p, or 0 when it is not well formed. */
static size_t
cbor_item_len(const unsigned char *p, size_t len)
{
	struct cbor_callbacks cb = cbor_empty_callbacks;
	struct cbor_decoder_result res;
	struct cbor_walk w = { 1, len, 0 };
	size_t off = 0;

	cb.array_start = walk_array;
	cb.map_start = walk_map;
	cb.tag = walk_tag;
	cb.indef_array_start = walk_indef;
	cb.indef_map_start = walk_indef;
	cb.byte_string_start = walk_indef;
	cb.string_start = walk_indef;
	cb.indef_break = walk_indef;
	while (w.need > 0 && !w.bad) {
		res = cbor_stream_decode(p + off, len - off, &cb, &w);
		if (res.status != CBOR_DECODER_FINISHED || res.read == 0)
			return 0;
		off += res.read;
		w.left = len - off;
		w.need--;
		if (w.need > w.left)
			w.bad = 1;
	}
	return w.bad ? 0 : off;
}

#define AD_EXACT	0
#define AD_MALFORMED	1
#define AD_TRAILING	2

/*
 * Walk authenticatorData with attested credential data: AD_EXACT when its
 * items end exactly at the end, AD_TRAILING when bytes follow them.
 */
static int
authdata_walk(const unsigned char *ad, size_t len)
{
	size_t off = AUTHDATA_LEN + 16, id_len, n;
	int items;

	if (len < off + 2 || !(ad[32] & ATTEST_FIDO_FLAG_AT))
		return AD_MALFORMED;
	id_len = (size_t)ad[off] << 8 | ad[off + 1];
	off += 2;
	if (len - off < id_len)
		return AD_MALFORMED;
	off += id_len;
	for (items = (ad[32] & ATTEST_FIDO_FLAG_ED) ? 2 : 1; items > 0;
	    items--) {
		if (off >= len || (n = cbor_item_len(ad + off, len - off)) == 0)
			return AD_MALFORMED;
		off += n;
	}
	return off == len ? AD_EXACT : AD_TRAILING;
}

static attest_err_t
att_cred(const json_t *root, const attest_pubkey_t *pk, fido_cred_t *cred,
    unsigned char **leaf, size_t *leaf_len, attest_diag_t *diag)
{
	unsigned char *cdh = NULL, *ad = NULL, *sig = NULL, *der = NULL;
	size_t cdh_len, ad_len, sig_len, der_len = 0;
	const char *fmt, *s;
	json_t *x5c, *e;
	attest_err_t r;
	int n;

	if ((r = attest_json_get_string(root, "", "fmt", 1, &fmt, NULL,
	    diag)) != ATTEST_OK)
		return r;
	if (strcmp(fmt, "none") == 0)
		return attest_diag_set(diag, ATTEST_ERR_POLICY, "fmt", -1,
		    "the authenticator gave no attestation (fmt none)");
	if (strcmp(fmt, "packed") != 0)
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, "fmt",
		    -1, "\"%s\": only packed attestation is checked", fmt);
	if ((r = get_b64(root, "client_data_hash", 1, &cdh, &cdh_len,
	    diag)) != ATTEST_OK || (r = get_b64(root, "auth_data", 1, &ad,
	    &ad_len, diag)) != ATTEST_OK || (r = get_b64(root, "sig", 1, &sig,
	    &sig_len, diag)) != ATTEST_OK ||
	    (r = attest_json_get_typed(root, "", "x5c", JSON_ARRAY, 0, &x5c,
	    diag)) != ATTEST_OK)
		goto out;
	if (fido_cred_set_type(cred, cose_alg(pk->alg)) != FIDO_OK ||
	    fido_cred_set_fmt(cred, fmt) != FIDO_OK ||
	    fido_cred_set_rp(cred, pk->rp_id, NULL) != FIDO_OK ||
	    fido_cred_set_clientdata_hash(cred, cdh, cdh_len) != FIDO_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "client_data_hash",
		    -1, "not 32 bytes");
		goto out;
	}
	/* walked first, without allocating: libfido2 uses cbor_load */
	if ((n = authdata_walk(ad, ad_len)) == AD_TRAILING) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "auth_data", -1,
		    "bytes after the attested credential data");
		goto out;
	}
	if (n != AD_EXACT ||
	    fido_cred_set_authdata_raw(cred, ad, ad_len) != FIDO_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "auth_data", -1,
		    "not the authenticatorData of a new credential");
		goto out;
	}
	/* the attested key must be this key */
	if ((r = cred_spki(cred, pk->alg, &der, &der_len)) != ATTEST_OK ||
	    der_len != pk->spki_len || memcmp(der, pk->spki, der_len) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, "auth_data", -1,
		    "attests another public key than key %s", pk->keyid);
		goto out;
	}
	if (fido_cred_set_sig(cred, sig, sig_len) != FIDO_OK) {
		r = ATTEST_ERR_NO_MEMORY;
		goto out;
	}
	if (x5c == NULL || json_array_size(x5c) == 0) {
		if (fido_cred_verify_self(cred) != FIDO_OK) {
			r = attest_diag_set(diag, ATTEST_ERR_POLICY, "sig", -1,
			    "the self attestation does not verify");
			goto out;
		}
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, "x5c", -1,
		    "self attestation: the key vouches for itself, there is "
		    "no certificate to check against the roots");
		goto out;
	}
	if (json_array_size(x5c) != 1 || (e = json_array_get(x5c, 0)) ==
	    NULL || !json_is_string(e)) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "x5c", -1,
		    "must be an array of one base64 certificate");
		goto out;
	}
	s = json_string_value(e);
	if (attest_b64_decode_alloc(s, json_string_length(e), leaf,
	    leaf_len) != ATTEST_OK || *leaf_len == 0 ||
	    fido_cred_set_x509(cred, *leaf, *leaf_len) != FIDO_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "x5c[0]", -1,
		    "invalid base64");
		goto out;
	}
	if (fido_cred_verify(cred) != FIDO_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, "sig", -1,
		    "the attestation signature does not verify with the "
		    "certificate (or rp id, flags or data do not match)");
		goto out;
	}
	r = ATTEST_OK;
out:
	free(cdh);
	free(ad);
	free(sig);
	free(der);
	return r;
}

attest_err_t
attest_fido_attestation_verify(const attest_pubkey_t *pk,
    const unsigned char *ptr, size_t len, const char *roots,
    attest_fido_attestation_info_t *info, attest_diag_t *diag)
{
	attest_fido_attestation_info_t dummy;
	attest_pubkey_t *apk = NULL;
	fido_cred_t *cred = NULL;
	json_t *root = NULL;
	unsigned char *leaf = NULL;
	size_t leaf_len = 0;
	const char *fmt;
	attest_err_t r;

	if (pk == NULL || ptr == NULL || roots == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	if (!attest_alg_is_fido(pk->alg))
		return attest_diag_set(diag, ATTEST_ERR_INVALID_ARGUMENT, NULL,
		    -1, "not a FIDO key");
	if ((r = attest_json_load(ptr, len, &root, diag)) != ATTEST_OK ||
	    (r = check_type(root, ATT_TYPE, diag)) != ATTEST_OK ||
	    (r = parse_key_members(root, &apk, diag)) != ATTEST_OK)
		goto out;
	if (strcmp(apk->keyid, pk->keyid) != 0 || apk->alg != pk->alg ||
	    strcmp(apk->rp_id, pk->rp_id) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_POLICY, "keyid", -1,
		    "the attestation is for another key (or algorithm or rp "
		    "id) than %s", pk->keyid);
		goto out;
	}
	if (attest_json_get_string(root, "", "fmt", 1, &fmt, NULL, NULL) ==
	    ATTEST_OK)
		(void)snprintf(info->fmt, sizeof(info->fmt), "%s", fmt);
	fido_lib_init();
	if ((cred = fido_cred_new()) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto out;
	}
	if ((r = att_cred(root, pk, cred, &leaf, &leaf_len, diag)) !=
	    ATTEST_OK)
		goto out;
	uuid_text(info->aaguid, fido_cred_aaguid_ptr(cred),
	    fido_cred_aaguid_len(cred));
	if (fido_cred_aaguid_len(cred) != 16) {
		r = attest_diag_set(diag, ATTEST_ERR_PARSE, "auth_data", -1,
		    "no AAGUID");
		goto out;
	}
	r = attest_ossl_fido_cert_check(leaf, leaf_len, roots,
	    fido_cred_aaguid_ptr(cred), info->model, sizeof(info->model),
	    info->issuer, sizeof(info->issuer), diag);
out:
	free(leaf);
	fido_cred_free(&cred);
	attest_pubkey_free(&apk);
	json_decref(root);
	return r;
}

/* Signature counters (§6) --------------------------------------------------- */

static attest_err_t
ctr_load(const char *path, json_t **keys_out, json_t **root_out,
    attest_diag_t *diag)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	json_t *root = NULL, *keys;
	attest_err_t r;

	*keys_out = *root_out = NULL;
	if (attest_file_exists(path) == 0) {
		if ((root = json_object()) == NULL ||
		    json_object_set_new(root, "type", json_string(CTR_TYPE)) ||
		    json_object_set_new(root, "version", json_integer(1)) ||
		    json_object_set_new(root, "keys", json_object())) {
			json_decref(root);
			return ATTEST_ERR_NO_MEMORY;
		}
		*root_out = root;
		*keys_out = json_object_get(root, "keys");
		return ATTEST_OK;
	}
	if ((r = attest_file_read_alloc(path, ATTEST_MAX_INPUT_BYTES, &buf,
	    &len, diag)) != ATTEST_OK)
		return r;
	if ((r = attest_json_load(buf, len, &root, diag)) != ATTEST_OK ||
	    (r = check_type(root, CTR_TYPE, diag)) != ATTEST_OK ||
	    (r = attest_json_get_typed(root, "", "keys", JSON_OBJECT, 1, &keys,
	    diag)) != ATTEST_OK) {
		json_decref(root);
		free(buf);
		return r;
	}
	free(buf);
	*root_out = root;
	*keys_out = keys;
	return ATTEST_OK;
}

/* One key's check: 0 passes (*update set when the record moves on). */
static attest_err_t
ctr_one(json_t *keys, const char *keyid, uint32_t ctr,
    const unsigned char sh[32], int *update, attest_diag_t *diag)
{
	char field[128], hex[65];
	json_t *e, *c;
	const char *h;
	attest_err_t r;

	*update = 1;
	(void)snprintf(field, sizeof(field), "keys.%s", keyid);
	if (ctr == 0)
		return attest_diag_set(diag, ATTEST_ERR_POLICY, NULL, -1,
		    "key %s: the authenticator does not count signatures "
		    "(counter 0), and the counter state demands counting",
		    keyid);
	if ((e = json_object_get(keys, keyid)) == NULL)
		return ATTEST_OK;
	if (!json_is_object(e) || (r = attest_json_get_typed(e, field,
	    "counter", JSON_INTEGER, 1, &c, diag)) != ATTEST_OK ||
	    (r = attest_json_get_string(e, field, "sig_sha256", 1, &h, NULL,
	    diag)) != ATTEST_OK || json_integer_value(c) < 0 ||
	    json_integer_value(c) > 0xffffffffLL || strlen(h) != 64 ||
	    strspn(h, "0123456789abcdef") != 64)
		return attest_diag_set(diag, ATTEST_ERR_PARSE, field, -1,
		    "not {\"counter\": 0..4294967295, \"sig_sha256\": 64 hex}");
	attest_hex_encode(hex, sh, 32);
	if ((json_int_t)ctr == json_integer_value(c) && strcmp(h, hex) == 0) {
		*update = 0;	/* the same signature, checked again */
		return ATTEST_OK;
	}
	if ((json_int_t)ctr <= json_integer_value(c))
		return attest_diag_set(diag, ATTEST_ERR_POLICY, NULL, -1,
		    "key %s: signature counter %lu is not above the recorded "
		    "%lld: a cloned authenticator, or signatures checked out "
		    "of order", keyid, (unsigned long)ctr,
		    (long long)json_integer_value(c));
	return ATTEST_OK;
}

attest_err_t
attest_fido_counter_check(const char *path, const attest_verified_t *v,
    attest_diag_t *diag)
{
	json_t *root = NULL, *keys = NULL, *e;
	char lock[4096], hex[65];
	unsigned char *out = NULL;
	size_t i, out_len = 0;
	uint32_t ctr;
	int fd = -1, update, changed = 0;
	attest_err_t r;

	if (path == NULL || v == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if ((size_t)snprintf(lock, sizeof(lock), "%s.lock", path) >=
	    sizeof(lock))
		return ATTEST_ERR_INVALID_ARGUMENT;
	/* one verifier at a time reads, checks and replaces the state */
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0 || flock(fd, LOCK_EX) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "%s: cannot lock: %s", lock, strerror(errno));
		goto out;
	}
	if ((r = ctr_load(path, &keys, &root, diag)) != ATTEST_OK)
		goto out;
	/* check every key first: a failure writes nothing */
	for (i = 0; i < attest_verified_key_count(v); i++) {
		if (!attest_verified_fido(v, i, NULL, &ctr))
			continue;
		if ((r = ctr_one(keys, attest_pubkey_keyid(
		    attest_verified_key(v, i)), ctr,
		    attest_verified_sig_hash(v, i), &update, diag)) !=
		    ATTEST_OK)
			goto out;
	}
	for (i = 0; i < attest_verified_key_count(v); i++) {
		if (!attest_verified_fido(v, i, NULL, &ctr))
			continue;
		(void)ctr_one(keys, attest_pubkey_keyid(attest_verified_key(v,
		    i)), ctr, attest_verified_sig_hash(v, i), &update, NULL);
		if (!update)
			continue;
		attest_hex_encode(hex, attest_verified_sig_hash(v, i), 32);
		if ((e = json_object()) == NULL ||
		    json_object_set_new(keys, attest_pubkey_keyid(
		    attest_verified_key(v, i)), e) ||
		    json_object_set_new(e, "counter", json_integer(ctr)) ||
		    json_object_set_new(e, "sig_sha256", json_string(hex))) {
			r = ATTEST_ERR_NO_MEMORY;
			goto out;
		}
		changed = 1;
	}
	if (changed && ((r = dump_pretty(root, &out, &out_len)) != ATTEST_OK ||
	    (r = attest_file_write(path, out, out_len, ATTEST_WRITE_FORCE,
	    diag)) != ATTEST_OK))
		goto out;
	r = ATTEST_OK;
out:
	free(out);
	json_decref(root);
	if (fd >= 0)
		(void)close(fd);	/* releases the lock */
	return r;
}
