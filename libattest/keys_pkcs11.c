/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PKCS#11 key backend, through p11-kit: RFC 7512 URIs, module loading,
 * token and key matching, login, signing, key generation, listing.
 * The only file that includes p11-kit.  specs/pkcs11.md.
 */
#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "key_int.h"

#define MAX_MATCHES	8		/* candidates listed in an error */
#define MAX_SLOTS	64
#define P11_SIG_MAX	ATTEST_MAX_SIG_BYTES

/* A token we matched: module, slot, session. */
struct p11 {
	CK_FUNCTION_LIST	**mods;		/* registry list, or NULL */
	CK_FUNCTION_LIST	 *single;	/* loaded by module-path */
	CK_FUNCTION_LIST	 *mod;		/* the one in use */
	CK_SLOT_ID		  slot;
	CK_TOKEN_INFO		  tinfo;
	CK_SESSION_HANDLE	  sess;
	int			  have_sess;
	char			  label[33];	/* token label, trimmed */
	char			  modname[256];
};

/* A key on the token. */
struct p11_key {
	struct p11		*p;
	CK_OBJECT_HANDLE	 priv;
	attest_alg_t		 alg;
	CK_MECHANISM_TYPE	 mech;
};

static const struct {
	CK_RV		 rv;
	const char	*name;
} ckr_names[] = {
	{ CKR_OK, "CKR_OK" },
	{ CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR" },
	{ CKR_HOST_MEMORY, "CKR_HOST_MEMORY" },
	{ CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD" },
	{ CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID" },
	{ CKR_ATTRIBUTE_VALUE_INVALID, "CKR_ATTRIBUTE_VALUE_INVALID" },
	{ CKR_DEVICE_ERROR, "CKR_DEVICE_ERROR" },
	{ CKR_DEVICE_MEMORY, "CKR_DEVICE_MEMORY" },
	{ CKR_DEVICE_REMOVED, "CKR_DEVICE_REMOVED" },
	{ CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED" },
	{ CKR_KEY_HANDLE_INVALID, "CKR_KEY_HANDLE_INVALID" },
	{ CKR_KEY_TYPE_INCONSISTENT, "CKR_KEY_TYPE_INCONSISTENT" },
	{ CKR_KEY_FUNCTION_NOT_PERMITTED, "CKR_KEY_FUNCTION_NOT_PERMITTED" },
	{ CKR_MECHANISM_INVALID, "CKR_MECHANISM_INVALID" },
	{ CKR_MECHANISM_PARAM_INVALID, "CKR_MECHANISM_PARAM_INVALID" },
	{ CKR_OBJECT_HANDLE_INVALID, "CKR_OBJECT_HANDLE_INVALID" },
	{ CKR_OPERATION_ACTIVE, "CKR_OPERATION_ACTIVE" },
	{ CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT" },
	{ CKR_PIN_INVALID, "CKR_PIN_INVALID" },
	{ CKR_PIN_LEN_RANGE, "CKR_PIN_LEN_RANGE" },
	{ CKR_PIN_EXPIRED, "CKR_PIN_EXPIRED" },
	{ CKR_PIN_LOCKED, "CKR_PIN_LOCKED" },
	{ CKR_SESSION_CLOSED, "CKR_SESSION_CLOSED" },
	{ CKR_SESSION_HANDLE_INVALID, "CKR_SESSION_HANDLE_INVALID" },
	{ CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE" },
	{ CKR_TEMPLATE_INCONSISTENT, "CKR_TEMPLATE_INCONSISTENT" },
	{ CKR_TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT" },
	{ CKR_TOKEN_NOT_RECOGNIZED, "CKR_TOKEN_NOT_RECOGNIZED" },
	{ CKR_TOKEN_WRITE_PROTECTED, "CKR_TOKEN_WRITE_PROTECTED" },
	{ CKR_USER_ALREADY_LOGGED_IN, "CKR_USER_ALREADY_LOGGED_IN" },
	{ CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN" },
	{ CKR_USER_PIN_NOT_INITIALIZED, "CKR_USER_PIN_NOT_INITIALIZED" },
	{ CKR_USER_TYPE_INVALID, "CKR_USER_TYPE_INVALID" },
	{ CKR_BUFFER_TOO_SMALL, "CKR_BUFFER_TOO_SMALL" },
	{ CKR_CRYPTOKI_NOT_INITIALIZED, "CKR_CRYPTOKI_NOT_INITIALIZED" },
	{ CKR_CRYPTOKI_ALREADY_INITIALIZED, "CKR_CRYPTOKI_ALREADY_INITIALIZED" },
	{ CKR_DATA_LEN_RANGE, "CKR_DATA_LEN_RANGE" },
	{ CKR_FUNCTION_NOT_SUPPORTED, "CKR_FUNCTION_NOT_SUPPORTED" },
};

/* The symbolic name of a CK_RV ("CKR_PIN_INCORRECT"), into buf. */
static const char *
ckr(CK_RV rv, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(ckr_names) / sizeof(ckr_names[0]); i++)
		if (ckr_names[i].rv == rv)
			return ckr_names[i].name;
	(void)snprintf(buf, size, "CKR_0x%08lx", (unsigned long)rv);
	return buf;
}

/* Record a token failure: "what: CKR_X (p11-kit's description)". */
static attest_err_t
p11_fail(attest_diag_t *diag, attest_err_t err, const char *what, CK_RV rv)
{
	char tmp[32];

	return attest_diag_set(diag, err, NULL, -1, "%s: %s (%s)", what,
	    ckr(rv, tmp, sizeof(tmp)), p11_kit_strerror(rv));
}

/* Classify a failure of an operation on an open session. */
static attest_err_t
p11_op_fail(attest_diag_t *diag, const char *what, CK_RV rv)
{
	switch (rv) {
	case CKR_DEVICE_REMOVED:
	case CKR_TOKEN_NOT_PRESENT:
	case CKR_SESSION_HANDLE_INVALID:
	case CKR_SESSION_CLOSED:
		return p11_fail(diag, ATTEST_ERR_DEVICE,
		    "the token was removed", rv);
	case CKR_KEY_HANDLE_INVALID:
	case CKR_OBJECT_HANDLE_INVALID:
		return p11_fail(diag, ATTEST_ERR_NOT_FOUND,
		    "the key is no longer on the token", rv);
	case CKR_MECHANISM_INVALID:
	case CKR_MECHANISM_PARAM_INVALID:
	case CKR_KEY_TYPE_INCONSISTENT:
		return p11_fail(diag, ATTEST_ERR_UNSUPPORTED, what, rv);
	case CKR_HOST_MEMORY:
		return ATTEST_ERR_NO_MEMORY;
	default:
		return p11_fail(diag, ATTEST_ERR_DEVICE, what, rv);
	}
}

/* Copy a blank-padded PKCS#11 string field, trimmed. */
static void
trim(char *out, size_t size, const unsigned char *in, size_t len)
{
	while (len > 0 && in[len - 1] == ' ')
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(out, in, len);
	out[len] = '\0';
}

int
attest_keyref_is_pkcs11(const char *keyref)
{
	return keyref != NULL && strncmp(keyref, "pkcs11:", 7) == 0;
}

static attest_err_t
uri_parse(const char *s, P11KitUri **out, attest_diag_t *diag)
{
	P11KitUri *uri;
	int rc;

	*out = NULL;
	if ((uri = p11_kit_uri_new()) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	rc = p11_kit_uri_parse(s, P11_KIT_URI_FOR_ANY, uri);
	if (rc != P11_KIT_URI_OK) {
		p11_kit_uri_free(uri);
		return attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "not a valid pkcs11: URI: %s", p11_kit_uri_message(rc));
	}
	/* an attribute p11-kit does not know must not match everything */
	if (p11_kit_uri_any_unrecognized(uri)) {
		p11_kit_uri_free(uri);
		return attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, -1,
		    "the pkcs11: URI has attributes p11-kit does not know");
	}
	*out = uri;
	return ATTEST_OK;
}

static void
p11_close(struct p11 *p)
{
	if (p == NULL)
		return;
	/*
	 * No C_Logout: login state is per token and application, and
	 * another session of this process may still use it; closing the
	 * last session logs out (PKCS#11 v2.40 §5.6).
	 */
	if (p->have_sess && p->mod != NULL)
		(void)p->mod->C_CloseSession(p->sess);
	if (p->single != NULL) {
		(void)p11_kit_module_finalize(p->single);
		p11_kit_module_release(p->single);
	}
	if (p->mods != NULL)
		p11_kit_modules_finalize_and_release(p->mods);
	attest_wipe(p, sizeof(*p));
	free(p);
}

/* Find the one token the URI names, in the module(s) it allows. */
static attest_err_t
p11_find_token(struct p11 *p, P11KitUri *uri, attest_diag_t *diag)
{
	CK_FUNCTION_LIST *single[2] = { NULL, NULL }, **list;
	CK_SLOT_ID slots[MAX_SLOTS];
	CK_ULONG nslots;
	CK_TOKEN_INFO ti;
	CK_INFO info;
	const char *mname = p11_kit_uri_get_module_name(uri);
	const char *mpath = p11_kit_uri_get_module_path(uri);
	char *name, found[MAX_MATCHES][80], lbl[33], ser[17];
	size_t nfound = 0, i, j;
	CK_RV rv;

	if (mpath != NULL) {
		if ((p->single = p11_kit_module_load(mpath, 0)) == NULL)
			return attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL,
			    -1, "PKCS#11 module not found or not loadable: %s",
			    mpath);
		if ((rv = p11_kit_module_initialize(p->single)) != CKR_OK) {
			p11_kit_module_release(p->single);
			p->single = NULL;
			return p11_fail(diag, ATTEST_ERR_DEVICE,
			    "cannot initialise the PKCS#11 module", rv);
		}
		single[0] = p->single;
		list = single;
		(void)snprintf(p->modname, sizeof(p->modname), "%s", mpath);
	} else {
		if ((p->mods = p11_kit_modules_load_and_initialize(0)) == NULL)
			return attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL,
			    -1, "p11-kit could not load its registered "
			    "modules");
		list = p->mods;
	}
	for (i = 0; list[i] != NULL; i++) {
		if (mname != NULL) {
			name = p11_kit_module_get_name(list[i]);
			j = name != NULL && strcmp(name, mname) == 0;
			free(name);
			if (!j)
				continue;
		}
		if (list[i]->C_GetInfo(&info) != CKR_OK ||
		    !p11_kit_uri_match_module_info(uri, &info))
			continue;
		nslots = MAX_SLOTS;
		if (list[i]->C_GetSlotList(CK_TRUE, slots, &nslots) != CKR_OK)
			continue;
		for (j = 0; j < nslots; j++) {
			if (list[i]->C_GetTokenInfo(slots[j], &ti) != CKR_OK ||
			    !p11_kit_uri_match_token_info(uri, &ti))
				continue;
			/* an uninitialised token is never what a URI means */
			if (!(ti.flags & CKF_TOKEN_INITIALIZED))
				continue;
			trim(lbl, sizeof(lbl), ti.label, sizeof(ti.label));
			trim(ser, sizeof(ser), ti.serialNumber,
			    sizeof(ti.serialNumber));
			if (nfound < MAX_MATCHES)
				(void)snprintf(found[nfound], sizeof(found[0]),
				    "token=%s;serial=%s", lbl, ser);
			if (nfound++ == 0) {
				p->mod = list[i];
				p->slot = slots[j];
				p->tinfo = ti;
				memcpy(p->label, lbl, sizeof(p->label));
				if (mpath == NULL) {
					name = p11_kit_module_get_name(list[i]);
					(void)snprintf(p->modname,
					    sizeof(p->modname), "%s",
					    name ? name : "(unnamed)");
					free(name);
				}
			}
		}
	}
	if (mname != NULL && p->mod == NULL && nfound == 0) {
		for (i = 0; list[i] != NULL; i++) {
			name = p11_kit_module_get_name(list[i]);
			j = name != NULL && strcmp(name, mname) == 0;
			free(name);
			if (j)
				break;
		}
		if (list[i] == NULL)
			return attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL,
			    -1, "no PKCS#11 module named %s is registered",
			    mname);
	}
	if (nfound == 0)
		return attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL, -1,
		    "no token matches the URI");
	if (nfound > 1) {
		char list_s[MAX_MATCHES * 82] = "";

		for (i = 0; i < nfound && i < MAX_MATCHES; i++) {
			strcat(list_s, i ? ", " : "");
			strcat(list_s, found[i]);
		}
		p->mod = NULL;
		return attest_diag_set(diag, ATTEST_ERR_AMBIGUOUS, NULL, -1,
		    "%zu tokens match the URI (%s); name one with token= or "
		    "serial=", nfound, list_s);
	}
	return ATTEST_OK;
}

static attest_err_t
p11_open_session(struct p11 *p, int rw, attest_diag_t *diag)
{
	CK_FLAGS fl = CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0);
	CK_RV rv;

	if ((rv = p->mod->C_OpenSession(p->slot, fl, NULL, NULL, &p->sess)) !=
	    CKR_OK)
		return p11_op_fail(diag, "cannot open a session", rv);
	p->have_sess = 1;
	return ATTEST_OK;
}

/* Read a PIN from the URI's pin-source: a file: URI or a plain path. */
static attest_err_t
pin_from_source(const char *src, char *pin, size_t size, size_t *len,
    attest_diag_t *diag)
{
	unsigned char *data = NULL, *nl;
	size_t flen = 0, n;
	attest_err_t r;

	if (strncmp(src, "file:", 5) == 0) {
		src += 5;
		/* file:///path and file:/path both name /path */
		if (strncmp(src, "//", 2) == 0)
			src += 2;
	} else if (strchr(src, ':') != NULL && src[0] != '/' &&
	    src[0] != '.')
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, NULL, -1,
		    "pin-source: only file: URIs and paths are supported");
	if ((r = attest_file_read_alloc(src, ATTEST_MAX_PASSPHRASE_BYTES + 2,
	    &data, &flen, NULL)) != ATTEST_OK)
		return attest_diag_set(diag, r, NULL, -1,
		    "pin-source %s: cannot read it", src);
	/* the first line, without "\n" or "\r\n"; the whole file is wiped */
	n = (nl = memchr(data, '\n', flen)) != NULL ?
	    (size_t)(nl - data) : flen;
	if (n > 0 && data[n - 1] == '\r')
		n--;
	if (n > size) {
		attest_freezero(data, flen);
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "pin-source %s: PIN longer than %zu bytes", src, size);
	}
	memcpy(pin, data, n);
	*len = n;
	attest_freezero(data, flen);
	return ATTEST_OK;
}

/*
 * Log in once.  A wrong PIN is never retried: tokens lock after a few
 * failures, and only the user may decide to try again.
 */
static attest_err_t
p11_login(struct p11 *p, P11KitUri *uri, attest_secret_fn *secret,
    void *arg, attest_diag_t *diag)
{
	CK_TOKEN_INFO ti;
	CK_SESSION_INFO si;
	char *pin = NULL, what[128];
	size_t len = 0;
	const char *v;
	attest_err_t r;
	CK_RV rv;

	if (!(p->tinfo.flags & CKF_LOGIN_REQUIRED))
		return ATTEST_OK;
	/* another session of this process logged in already: no PIN */
	if (p->mod->C_GetSessionInfo(p->sess, &si) == CKR_OK &&
	    (si.state == CKS_RO_USER_FUNCTIONS ||
	    si.state == CKS_RW_USER_FUNCTIONS))
		return ATTEST_OK;
	if (p->tinfo.flags & CKF_USER_PIN_LOCKED)
		return attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "the PIN of token %s is locked (CKF_USER_PIN_LOCKED)",
		    p->label);
	if ((pin = attest_secure_alloc(ATTEST_MAX_PASSPHRASE_BYTES + 1)) ==
	    NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((v = p11_kit_uri_get_pin_value(uri)) != NULL) {
		attest_diag_warn(diag, "the PIN is written in the pkcs11: URI "
		    "(pin-value); use pin-source or a PIN file instead");
		if ((len = strlen(v)) > ATTEST_MAX_PASSPHRASE_BYTES) {
			r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL,
			    -1, "pin-value is longer than %d bytes",
			    ATTEST_MAX_PASSPHRASE_BYTES);
			goto out;
		}
		memcpy(pin, v, len);
	} else if ((v = p11_kit_uri_get_pin_source(uri)) != NULL) {
		if ((r = pin_from_source(v, pin, ATTEST_MAX_PASSPHRASE_BYTES,
		    &len, diag)) != ATTEST_OK)
			goto out;
	} else {
		(void)snprintf(what, sizeof(what), "PIN for token %s",
		    p->label);
		if (secret == NULL) {
			r = attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL,
			    -1, "token %s needs a PIN and none was given",
			    p->label);
			goto out;
		}
		if ((r = secret(arg, ATTEST_SECRET_PIN, what, 0, pin,
		    ATTEST_MAX_PASSPHRASE_BYTES, &len)) != ATTEST_OK) {
			attest_diag_set(diag, r, NULL, -1, "no PIN for token "
			    "%s", p->label);
			goto out;
		}
		if (len > ATTEST_MAX_PASSPHRASE_BYTES) {
			r = ATTEST_ERR_TOO_LARGE;
			goto out;
		}
	}
	if (len == 0) {
		/* an empty PIN would only use up one of the token's tries */
		r = attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "empty PIN for token %s: not tried", p->label);
		goto out;
	}
	rv = p->mod->C_Login(p->sess, CKU_USER, (CK_UTF8CHAR_PTR)pin,
	    (CK_ULONG)len);
	if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
		r = ATTEST_OK;
		goto out;
	}
	if (rv == CKR_PIN_INCORRECT) {
		ti.flags = 0;
		(void)p->mod->C_GetTokenInfo(p->slot, &ti);
		r = attest_diag_set(diag, ATTEST_ERR_PASSPHRASE, NULL, -1,
		    "PIN incorrect for token %s (CKR_PIN_INCORRECT)%s; not "
		    "retried", p->label, (ti.flags & CKF_USER_PIN_FINAL_TRY) ?
		    ": one try left before it locks" :
		    (ti.flags & CKF_USER_PIN_COUNT_LOW) ?
		    ": few tries left" : "");
	} else if (rv == CKR_PIN_LOCKED)
		r = p11_fail(diag, ATTEST_ERR_PASSPHRASE, "the PIN is locked",
		    rv);
	else if (rv == CKR_PIN_LEN_RANGE || rv == CKR_PIN_INVALID)
		r = p11_fail(diag, ATTEST_ERR_PASSPHRASE,
		    "the token refused the PIN", rv);
	else
		r = p11_op_fail(diag, "login failed", rv);
out:
	attest_secure_free(pin);
	return r;
}

/* Open module, token, session and login for @p uri_s. */
static attest_err_t
p11_open(struct p11 **out, const char *uri_s, P11KitUri **urip, int rw,
    int login, attest_secret_fn *secret, void *arg, attest_diag_t *diag)
{
	struct p11 *p;
	attest_err_t r;

	*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK ||
	    (r = uri_parse(uri_s, urip, diag)) != ATTEST_OK)
		return r;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((r = p11_find_token(p, *urip, diag)) != ATTEST_OK ||
	    (r = p11_open_session(p, rw, diag)) != ATTEST_OK ||
	    (login && (r = p11_login(p, *urip, secret, arg, diag)) !=
	    ATTEST_OK)) {
		p11_close(p);
		return r;
	}
	*out = p;
	return ATTEST_OK;
}

/* Read one attribute into a fresh buffer (NULL when absent). */
static attest_err_t
get_attr(struct p11 *p, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type,
    unsigned char **val, size_t *len)
{
	CK_ATTRIBUTE a = { type, NULL, 0 };
	CK_RV rv;

	*val = NULL;
	*len = 0;
	rv = p->mod->C_GetAttributeValue(p->sess, h, &a, 1);
	if (rv == CKR_ATTRIBUTE_TYPE_INVALID ||
	    rv == CKR_ATTRIBUTE_SENSITIVE || a.ulValueLen == (CK_ULONG)-1)
		return ATTEST_OK;
	if (rv != CKR_OK)
		return ATTEST_ERR_DEVICE;
	if (a.ulValueLen > 65536)
		return ATTEST_ERR_TOO_LARGE;
	if ((a.pValue = malloc(a.ulValueLen + 1)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((rv = p->mod->C_GetAttributeValue(p->sess, h, &a, 1)) != CKR_OK) {
		free(a.pValue);
		return ATTEST_ERR_DEVICE;
	}
	*val = a.pValue;
	*len = a.ulValueLen;
	return ATTEST_OK;
}

/* "label=X;id=0a0b" of an object, for messages. */
static void
describe(struct p11 *p, CK_OBJECT_HANDLE h, char *buf, size_t size)
{
	unsigned char *lbl = NULL, *id = NULL;
	size_t ll = 0, il = 0, i, n;
	int w;

	(void)get_attr(p, h, CKA_LABEL, &lbl, &ll);
	(void)get_attr(p, h, CKA_ID, &id, &il);
	w = snprintf(buf, size, "object=%.*s;id=", (int)(ll > 64 ? 64 : ll),
	    lbl != NULL ? (char *)lbl : "");
	n = w > 0 && (size_t)w < size ? (size_t)w : size - 1;
	for (i = 0; i < il && i < 32 && n + 3 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%%%02x", id[i]);
	free(lbl);
	free(id);
}

/*
 * Find objects of @p cls matching the URI's object attributes.  Returns
 * the count in *n (up to MAX_MATCHES handles).  With @p any_type the
 * URI's type= is not applied (a URI naming a private key still names the
 * public half of its pair).
 */
static attest_err_t
find_objects(struct p11 *p, P11KitUri *uri, CK_OBJECT_CLASS cls,
    const unsigned char *id, size_t id_len, int any_type,
    CK_OBJECT_HANDLE *h, size_t *n, attest_diag_t *diag)
{
	CK_ATTRIBUTE tmpl[8], *ua, *a;
	CK_ULONG nua = 0, k, got = 0;
	size_t nt = 0;
	CK_RV rv;

	*n = 0;
	tmpl[nt].type = CKA_CLASS;
	tmpl[nt].pValue = &cls;
	tmpl[nt++].ulValueLen = sizeof(cls);
	if (id != NULL) {
		tmpl[nt].type = CKA_ID;
		tmpl[nt].pValue = (void *)(uintptr_t)id;
		tmpl[nt++].ulValueLen = id_len;
	}
	ua = p11_kit_uri_get_attributes(uri, &nua);
	for (k = 0; k < nua && nt < 8; k++) {
		a = &ua[k];
		if (a->type == CKA_CLASS) {
			/*
			 * pairing by CKA_ID (id != NULL): a type=private
			 * URI still names the key pair's public half
			 */
			if (id == NULL && !any_type && (a->ulValueLen !=
			    sizeof(CK_OBJECT_CLASS) ||
			    *(CK_OBJECT_CLASS *)a->pValue != cls))
				return ATTEST_OK;	/* type= excludes it */
			continue;
		}
		if (id != NULL && a->type == CKA_ID)
			continue;
		tmpl[nt++] = *a;
	}
	if ((rv = p->mod->C_FindObjectsInit(p->sess, tmpl, (CK_ULONG)nt)) !=
	    CKR_OK)
		return p11_op_fail(diag, "cannot search the token", rv);
	rv = p->mod->C_FindObjects(p->sess, h, MAX_MATCHES, &got);
	(void)p->mod->C_FindObjectsFinal(p->sess);
	if (rv != CKR_OK)
		return p11_op_fail(diag, "cannot search the token", rv);
	*n = got;
	return ATTEST_OK;
}

/* How many objects of any class carry attribute @p a (0 or more). */
static attest_err_t
any_object(struct p11 *p, const CK_ATTRIBUTE *a, size_t *n,
    attest_diag_t *diag)
{
	CK_OBJECT_HANDLE h;
	CK_ATTRIBUTE t = *a;
	CK_ULONG got = 0;
	CK_RV rv;

	*n = 0;
	if ((rv = p->mod->C_FindObjectsInit(p->sess, &t, 1)) != CKR_OK)
		return p11_op_fail(diag, "cannot search the token", rv);
	rv = p->mod->C_FindObjects(p->sess, &h, 1, &got);
	(void)p->mod->C_FindObjectsFinal(p->sess);
	if (rv != CKR_OK)
		return p11_op_fail(diag, "cannot search the token", rv);
	*n = got;
	return ATTEST_OK;
}

static attest_err_t
ambiguous(struct p11 *p, CK_OBJECT_HANDLE *h, size_t n, const char *what,
    attest_diag_t *diag)
{
	/* each entry up to sizeof(one) - 1 bytes, then ", " between them */
	char one[140], list[MAX_MATCHES * (sizeof(one) + 2)] = "";
	size_t i;

	for (i = 0; i < n && i < MAX_MATCHES; i++) {
		describe(p, h[i], one, sizeof(one));
		strcat(list, i ? ", " : "");
		strcat(list, one);
	}
	return attest_diag_set(diag, ATTEST_ERR_AMBIGUOUS, NULL, -1,
	    "%s%zu %s match the URI on token %s (%s); name one with object= "
	    "or id=", n >= MAX_MATCHES ? "at least " : "", n, what, p->label,
	    list);
}

/* The algorithm of a key object, from its attributes. */
static attest_err_t
key_alg(struct p11 *p, CK_OBJECT_HANDLE h, attest_alg_t *alg,
    attest_diag_t *diag)
{
	unsigned char *v = NULL;
	size_t len = 0;
	CK_KEY_TYPE kt;
	attest_err_t r;

	*alg = ATTEST_ALG_NONE;
	if ((r = get_attr(p, h, CKA_KEY_TYPE, &v, &len)) != ATTEST_OK)
		return r;
	if (v == NULL || len != sizeof(kt)) {
		free(v);
		return attest_diag_set(diag, ATTEST_ERR_KEY, NULL, -1,
		    "the key has no CKA_KEY_TYPE");
	}
	memcpy(&kt, v, sizeof(kt));
	free(v);
	switch (kt) {
	case CKK_RSA:
		*alg = ATTEST_ALG_RSA_PSS_SHA256;
		return ATTEST_OK;
	case CKK_EC:
	case CKK_EC_EDWARDS:
		if ((r = get_attr(p, h, CKA_EC_PARAMS, &v, &len)) != ATTEST_OK)
			return r;
		r = v == NULL ? ATTEST_ERR_KEY :
		    attest_ossl_ec_params_alg(v, len, alg);
		free(v);
		if (r == ATTEST_OK && (kt == CKK_EC_EDWARDS) !=
		    (*alg == ATTEST_ALG_ED25519))
			r = ATTEST_ERR_KEY;
		if (r != ATTEST_OK)
			return attest_diag_set(diag, r == ATTEST_ERR_UNSUPPORTED ?
			    r : ATTEST_ERR_KEY, NULL, -1, "the key's curve "
			    "(CKA_EC_PARAMS) is not P-256, P-384 or Ed25519");
		return ATTEST_OK;
	default:
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, NULL, -1,
		    "key type CKK 0x%lx is not supported", (unsigned long)kt);
	}
}

/* Build the public key from a public key object (or RSA private one). */
static attest_err_t
object_pubkey(struct p11 *p, CK_OBJECT_HANDLE h, attest_alg_t alg,
    attest_pubkey_t **pub, attest_diag_t *diag)
{
	unsigned char *a = NULL, *b = NULL, *der = NULL;
	size_t al = 0, bl = 0, dl = 0;
	attest_err_t r;

	*pub = NULL;
	if (alg == ATTEST_ALG_RSA_PSS_SHA256) {
		if ((r = get_attr(p, h, CKA_MODULUS, &a, &al)) != ATTEST_OK ||
		    (r = get_attr(p, h, CKA_PUBLIC_EXPONENT, &b, &bl)) !=
		    ATTEST_OK)
			goto out;
		r = (a == NULL || b == NULL) ? ATTEST_ERR_KEY :
		    attest_ossl_spki_from_rsa(a, al, b, bl, &der, &dl);
	} else {
		if ((r = get_attr(p, h, CKA_EC_POINT, &a, &al)) != ATTEST_OK)
			goto out;
		r = a == NULL ? ATTEST_ERR_KEY :
		    attest_ossl_spki_from_point(alg, a, al, &der, &dl);
	}
	if (r != ATTEST_OK) {
		r = attest_diag_set(diag, r, NULL, -1, "cannot read the public "
		    "key from the token object");
		goto out;
	}
	r = attest_pubkey_from_spki(pub, der, dl, diag);
	if (r == ATTEST_OK && (*pub)->alg != alg) {
		attest_pubkey_free(pub);
		r = attest_diag_set(diag, ATTEST_ERR_KEY, NULL, -1,
		    "the public key object does not match the private key");
	}
out:
	free(a);
	free(b);
	free(der);
	return r;
}

/* The public key object paired with a private key (same CKA_ID). */
static attest_err_t
pair_pubkey(struct p11 *p, P11KitUri *uri, CK_OBJECT_HANDLE priv,
    attest_alg_t alg, attest_pubkey_t **pub, attest_diag_t *diag)
{
	CK_OBJECT_HANDLE h[MAX_MATCHES];
	unsigned char *id = NULL;
	size_t il = 0, n = 0;
	attest_err_t r;

	if (alg == ATTEST_ALG_RSA_PSS_SHA256)
		return object_pubkey(p, priv, alg, pub, diag);
	if ((r = get_attr(p, priv, CKA_ID, &id, &il)) != ATTEST_OK)
		return r;
	r = find_objects(p, uri, CKO_PUBLIC_KEY, id != NULL ? id :
	    (const unsigned char *)"", il, 1, h, &n, diag);
	free(id);
	if (r != ATTEST_OK)
		return r;
	if (n == 0)
		return attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL, -1,
		    "no public key object with the private key's CKA_ID on "
		    "token %s", p->label);
	if (n > 1)
		return ambiguous(p, h, n, "public keys", diag);
	return object_pubkey(p, h[0], alg, pub, diag);
}

static CK_MECHANISM_TYPE
mech_for(attest_alg_t alg)
{
	switch (alg) {
	case ATTEST_ALG_ED25519:
		return CKM_EDDSA;
	case ATTEST_ALG_ECDSA_P256_SHA256:
	case ATTEST_ALG_ECDSA_P384_SHA384:
		return CKM_ECDSA;
	default:
		return CKM_RSA_PKCS_PSS;
	}
}

static const char *
mech_name(CK_MECHANISM_TYPE m)
{
	return m == CKM_EDDSA ? "CKM_EDDSA" : m == CKM_ECDSA ? "CKM_ECDSA" :
	    m == CKM_RSA_PKCS_PSS ? "CKM_RSA_PKCS_PSS" :
	    m == CKM_EC_KEY_PAIR_GEN ? "CKM_EC_KEY_PAIR_GEN" :
	    m == CKM_EC_EDWARDS_KEY_PAIR_GEN ? "CKM_EC_EDWARDS_KEY_PAIR_GEN" :
	    m == CKM_RSA_PKCS_KEY_PAIR_GEN ? "CKM_RSA_PKCS_KEY_PAIR_GEN" :
	    "mechanism";
}

static attest_err_t
check_mech(struct p11 *p, CK_MECHANISM_TYPE m, CK_FLAGS need,
    attest_diag_t *diag)
{
	CK_MECHANISM_INFO mi;
	CK_MECHANISM_TYPE list[256];
	CK_ULONG n = 256, i;
	CK_RV rv;

	/* the list as well as the info: some tokens (SoftHSM2 with
	 * slots.mechanisms) answer the info for mechanisms they refuse */
	if (p->mod->C_GetMechanismList(p->slot, list, &n) == CKR_OK) {
		for (i = 0; i < n && list[i] != m; i++)
			;
		if (i == n)
			return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
			    NULL, -1, "token %s does not support %s", p->label,
			    mech_name(m));
	}
	rv = p->mod->C_GetMechanismInfo(p->slot, m, &mi);
	if (rv == CKR_MECHANISM_INVALID || (rv == CKR_OK &&
	    (mi.flags & need) != need))
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, NULL, -1,
		    "token %s does not support %s", p->label, mech_name(m));
	if (rv != CKR_OK)
		return p11_op_fail(diag, "cannot read the token's mechanisms",
		    rv);
	return ATTEST_OK;
}

static attest_err_t
p11_sign(void *ctx, const unsigned char *msg, size_t msg_len,
    unsigned char *sig, size_t sig_size, size_t *sig_len, attest_diag_t *diag)
{
	struct p11_key *k = ctx;
	struct p11 *p = k->p;
	CK_RSA_PKCS_PSS_PARAMS pss = { CKM_SHA256, CKG_MGF1_SHA256, 32 };
	CK_MECHANISM mech = { k->mech, NULL, 0 };
	unsigned char digest[64], raw[P11_SIG_MAX], *der = NULL;
	const unsigned char *in = msg;
	size_t in_len = msg_len, der_len = 0;
	CK_ULONG out_len = sizeof(raw);
	attest_err_t r;
	CK_RV rv;

	*sig_len = 0;
	if (k->alg != ATTEST_ALG_ED25519) {
		/* the token gets the digest: host-side hashing */
		if ((r = attest_ossl_hash_for(k->alg, msg, msg_len, digest,
		    &in_len)) != ATTEST_OK)
			return r;
		in = digest;
	}
	if (k->alg == ATTEST_ALG_RSA_PSS_SHA256) {
		mech.pParameter = &pss;
		mech.ulParameterLen = sizeof(pss);
	}
	if ((rv = p->mod->C_SignInit(p->sess, &mech, k->priv)) != CKR_OK)
		return p11_op_fail(diag, "cannot start signing", rv);
	rv = p->mod->C_Sign(p->sess, (CK_BYTE_PTR)(uintptr_t)in,
	    (CK_ULONG)in_len, raw, &out_len);
	if (rv != CKR_OK)
		return p11_op_fail(diag, "the token did not sign", rv);
	if (k->alg == ATTEST_ALG_ECDSA_P256_SHA256 ||
	    k->alg == ATTEST_ALG_ECDSA_P384_SHA384) {
		/* CKM_ECDSA gives r||s; DSSE carries DER */
		if ((r = attest_ossl_ecdsa_raw_to_der(raw, out_len, &der,
		    &der_len)) != ATTEST_OK)
			return attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL,
			    -1, "the token returned a malformed ECDSA "
			    "signature");
		if (der_len > sig_size) {
			free(der);
			return ATTEST_ERR_INVALID_ARGUMENT;
		}
		memcpy(sig, der, der_len);
		*sig_len = der_len;
		free(der);
		return ATTEST_OK;
	}
	if (out_len > sig_size)
		return ATTEST_ERR_INVALID_ARGUMENT;
	memcpy(sig, raw, out_len);
	*sig_len = out_len;
	return ATTEST_OK;
}

static void
p11_key_close(void *ctx)
{
	struct p11_key *k = ctx;

	if (k == NULL)
		return;
	p11_close(k->p);
	free(k);
}

static const attest_signer_ops_t p11_ops = { p11_sign, p11_key_close };

attest_err_t
attest_pkcs11_signer_open(attest_signer_t **out, const char *uri_s,
    attest_secret_fn *secret, void *arg, attest_diag_t *diag)
{
	struct p11_key *k = NULL;
	P11KitUri *uri = NULL;
	CK_OBJECT_HANDLE h[MAX_MATCHES];
	attest_pubkey_t *pub = NULL;
	size_t n = 0;
	attest_err_t r;

	*out = NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((r = p11_open(&k->p, uri_s, &uri, 0, 1, secret, arg, diag)) !=
	    ATTEST_OK)
		goto fail;
	if ((r = find_objects(k->p, uri, CKO_PRIVATE_KEY, NULL, 0, 0, h, &n,
	    diag)) != ATTEST_OK)
		goto fail;
	if (n == 0) {
		r = attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL, -1,
		    "no private key on token %s matches the URI",
		    k->p->label);
		goto fail;
	}
	if (n > 1) {
		r = ambiguous(k->p, h, n, "private keys", diag);
		goto fail;
	}
	k->priv = h[0];
	if ((r = key_alg(k->p, k->priv, &k->alg, diag)) != ATTEST_OK)
		goto fail;
	k->mech = mech_for(k->alg);
	if ((r = check_mech(k->p, k->mech, CKF_SIGN, diag)) != ATTEST_OK ||
	    (r = pair_pubkey(k->p, uri, k->priv, k->alg, &pub, diag)) !=
	    ATTEST_OK)
		goto fail;
	if ((r = attest_signer_new(out, &p11_ops, k, pub)) != ATTEST_OK)
		goto fail;
	k = NULL;
fail:
	attest_pubkey_free(&pub);
	p11_key_close(k);
	p11_kit_uri_free(uri);
	return r;
}

attest_err_t
attest_pkcs11_export_public(const char *uri_s, attest_secret_fn *pin,
    void *arg, attest_pubkey_t **pub, attest_diag_t *diag)
{
	struct p11 *p = NULL;
	P11KitUri *uri = NULL;
	CK_OBJECT_HANDLE h[MAX_MATCHES];
	attest_alg_t alg;
	size_t n = 0;
	attest_err_t r;

	if (uri_s == NULL || pub == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*pub = NULL;
	if ((r = p11_open(&p, uri_s, &uri, 0, 0, pin, arg, diag)) !=
	    ATTEST_OK)
		goto out;
	if ((r = find_objects(p, uri, CKO_PUBLIC_KEY, NULL, 0, 1, h, &n,
	    diag)) != ATTEST_OK)
		goto out;
	if (n == 0) {
		/* a token that hides public objects until login */
		if ((r = p11_login(p, uri, pin, arg, diag)) != ATTEST_OK ||
		    (r = find_objects(p, uri, CKO_PUBLIC_KEY, NULL, 0, 1, h, &n,
		    diag)) != ATTEST_OK)
			goto out;
	}
	if (n == 0) {
		r = attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL, -1,
		    "no public key on token %s matches the URI", p->label);
		goto out;
	}
	if (n > 1) {
		r = ambiguous(p, h, n, "public keys", diag);
		goto out;
	}
	if ((r = key_alg(p, h[0], &alg, diag)) != ATTEST_OK)
		goto out;
	r = object_pubkey(p, h[0], alg, pub, diag);
out:
	p11_close(p);
	p11_kit_uri_free(uri);
	return r;
}

attest_err_t
attest_pkcs11_generate(const char *uri_s, attest_alg_t alg,
    attest_secret_fn *pin, void *arg, attest_pubkey_t **pub,
    attest_diag_t *diag)
{
	struct p11 *p = NULL;
	P11KitUri *uri = NULL;
	CK_ATTRIBUTE *lbl, *id, rid, pubt[10], privt[10];
	unsigned char idbuf[16];
	CK_OBJECT_HANDLE hpub, hpriv;
	CK_MECHANISM mech = { 0, NULL, 0 };
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_ULONG bits = 3072;
	CK_KEY_TYPE kt;
	CK_OBJECT_CLASS cpub = CKO_PUBLIC_KEY, cpriv = CKO_PRIVATE_KEY;
	unsigned char params[16], e65537[3] = { 0x01, 0x00, 0x01 };
	size_t plen = 0, n = 0, np = 0, nv = 0;
	attest_err_t r;
	CK_RV rv;

	if (uri_s == NULL || pub == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*pub = NULL;
	if ((r = p11_open(&p, uri_s, &uri, 1, 1, pin, arg, diag)) !=
	    ATTEST_OK)
		goto out;
	lbl = p11_kit_uri_get_attribute(uri, CKA_LABEL);
	id = p11_kit_uri_get_attribute(uri, CKA_ID);
	if (lbl == NULL && id == NULL) {
		r = attest_diag_set(diag, ATTEST_ERR_INVALID_ARGUMENT, NULL,
		    -1, "name the new key with object= and/or id= in the URI");
		goto out;
	}
	if (id == NULL) {
		/* the two halves are paired by CKA_ID: give them a fresh one */
		attest_random(idbuf, sizeof(idbuf));
		rid.type = CKA_ID;
		rid.pValue = idbuf;
		rid.ulValueLen = sizeof(idbuf);
		id = &rid;
	}
	/*
	 * Never make a second key that a URI could also name: no object of
	 * the token may carry the new label, nor the new id.
	 */
	if ((lbl != NULL && (r = any_object(p, lbl, &n, diag)) != ATTEST_OK) ||
	    (lbl != NULL && n > 0))
		goto exists;
	if ((id != &rid && (r = any_object(p, id, &n, diag)) != ATTEST_OK) ||
	    (id != &rid && n > 0))
		goto exists;
	switch (alg) {
	case ATTEST_ALG_ED25519:
		mech.mechanism = CKM_EC_EDWARDS_KEY_PAIR_GEN;
		kt = CKK_EC_EDWARDS;
		break;
	case ATTEST_ALG_ECDSA_P256_SHA256:
	case ATTEST_ALG_ECDSA_P384_SHA384:
		mech.mechanism = CKM_EC_KEY_PAIR_GEN;
		kt = CKK_EC;
		break;
	case ATTEST_ALG_RSA_PSS_SHA256:
		mech.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
		kt = CKK_RSA;
		break;
	default:
		r = ATTEST_ERR_UNSUPPORTED;
		goto out;
	}
	if ((r = check_mech(p, mech.mechanism, CKF_GENERATE_KEY_PAIR,
	    diag)) != ATTEST_OK || (r = check_mech(p, mech_for(alg), CKF_SIGN,
	    diag)) != ATTEST_OK)
		goto out;
#define ATTR(t, n, v, l) do { (t)[(n)].type = (v); (t)[(n)].pValue = (l); \
	(t)[(n)].ulValueLen = sizeof(*(l)); (n)++; } while (0)
	ATTR(pubt, np, CKA_CLASS, &cpub);
	ATTR(pubt, np, CKA_KEY_TYPE, &kt);
	ATTR(pubt, np, CKA_TOKEN, &yes);
	ATTR(pubt, np, CKA_VERIFY, &yes);
	ATTR(pubt, np, CKA_PRIVATE, &no);
	ATTR(privt, nv, CKA_CLASS, &cpriv);
	ATTR(privt, nv, CKA_KEY_TYPE, &kt);
	ATTR(privt, nv, CKA_TOKEN, &yes);
	ATTR(privt, nv, CKA_PRIVATE, &yes);
	ATTR(privt, nv, CKA_SENSITIVE, &yes);
	ATTR(privt, nv, CKA_EXTRACTABLE, &no);
	ATTR(privt, nv, CKA_SIGN, &yes);
#undef ATTR
	if (alg == ATTEST_ALG_RSA_PSS_SHA256) {
		pubt[np].type = CKA_MODULUS_BITS;
		pubt[np].pValue = &bits;
		pubt[np++].ulValueLen = sizeof(bits);
		pubt[np].type = CKA_PUBLIC_EXPONENT;
		pubt[np].pValue = e65537;
		pubt[np++].ulValueLen = sizeof(e65537);
	} else {
		if ((r = attest_ossl_ec_params_der(alg, params, sizeof(params),
		    &plen)) != ATTEST_OK)
			goto out;
		pubt[np].type = CKA_EC_PARAMS;
		pubt[np].pValue = params;
		pubt[np++].ulValueLen = plen;
	}
	if (lbl != NULL) {
		pubt[np++] = *lbl;
		privt[nv++] = *lbl;
	}
	if (id != NULL) {
		pubt[np++] = *id;
		privt[nv++] = *id;
	}
	rv = p->mod->C_GenerateKeyPair(p->sess, &mech, pubt, (CK_ULONG)np,
	    privt, (CK_ULONG)nv, &hpub, &hpriv);
	if (rv != CKR_OK) {
		r = p11_op_fail(diag, "the token could not generate the key",
		    rv);
		goto out;
	}
	if ((r = object_pubkey(p, hpub, alg, pub, diag)) != ATTEST_OK) {
		/* leave no half-made key pair behind */
		(void)p->mod->C_DestroyObject(p->sess, hpriv);
		(void)p->mod->C_DestroyObject(p->sess, hpub);
	}
	goto out;
exists:
	if (r == ATTEST_OK)
		r = attest_diag_set(diag, ATTEST_ERR_EXISTS, NULL, -1,
		    "token %s already has an object with the label or id "
		    "the URI gives", p->label);
out:
	p11_close(p);
	p11_kit_uri_free(uri);
	return r;
}

/* Format a URI naming one token (and object), for listings. */
static char *
entry_uri(const CK_TOKEN_INFO *ti, const unsigned char *lbl, size_t ll,
    const unsigned char *id, size_t il)
{
	P11KitUri *u;
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE a;
	char *s = NULL;

	if ((u = p11_kit_uri_new()) == NULL)
		return NULL;
	memcpy(p11_kit_uri_get_token_info(u), ti, sizeof(*ti));
	if (lbl != NULL) {
		a.type = CKA_LABEL;
		a.pValue = (void *)(uintptr_t)lbl;
		a.ulValueLen = ll;
		(void)p11_kit_uri_set_attribute(u, &a);
	}
	if (id != NULL) {
		a.type = CKA_ID;
		a.pValue = (void *)(uintptr_t)id;
		a.ulValueLen = il;
		(void)p11_kit_uri_set_attribute(u, &a);
	}
	if (lbl != NULL || id != NULL) {
		a.type = CKA_CLASS;
		a.pValue = &cls;
		a.ulValueLen = sizeof(cls);
		(void)p11_kit_uri_set_attribute(u, &a);
	}
	if (p11_kit_uri_format(u, lbl != NULL || id != NULL ?
	    P11_KIT_URI_FOR_OBJECT_ON_TOKEN : P11_KIT_URI_FOR_TOKEN, &s) !=
	    P11_KIT_URI_OK)
		s = NULL;
	p11_kit_uri_free(u);
	return s;
}

static void
list_keys(struct p11 *p, const char *module, attest_pkcs11_list_fn *cb,
    void *arg)
{
	CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
	CK_ATTRIBUTE t = { CKA_CLASS, &cls, sizeof(cls) };
	CK_OBJECT_HANDLE h[ATTEST_MAX_KEYS];	/* listed per token, at most */
	CK_ULONG got = 0, i;
	attest_pkcs11_entry_t e;
	attest_pubkey_t *pub = NULL;
	unsigned char *lbl, *id;
	size_t ll, il, j;
	char lbuf[256], ibuf[129], ser[17], *uri;

	if (p->mod->C_FindObjectsInit(p->sess, &t, 1) != CKR_OK)
		return;
	if (p->mod->C_FindObjects(p->sess, h, ATTEST_MAX_KEYS, &got) != CKR_OK)
		got = 0;
	(void)p->mod->C_FindObjectsFinal(p->sess);
	trim(ser, sizeof(ser), p->tinfo.serialNumber,
	    sizeof(p->tinfo.serialNumber));
	for (i = 0; i < got; i++) {
		memset(&e, 0, sizeof(e));
		lbl = id = NULL;
		ll = il = 0;
		(void)get_attr(p, h[i], CKA_LABEL, &lbl, &ll);
		(void)get_attr(p, h[i], CKA_ID, &id, &il);
		(void)snprintf(lbuf, sizeof(lbuf), "%.*s",
		    (int)(ll > 200 ? 200 : ll), lbl ? (char *)lbl : "");
		for (j = 0; j < il && j < 64; j++)
			(void)snprintf(ibuf + 2 * j, 3, "%02x", id[j]);
		ibuf[2 * (il < 64 ? il : 64)] = '\0';
		e.module = module;
		e.token = p->label;
		e.serial = ser;
		e.label = lbuf;
		e.id = ibuf;
		if (key_alg(p, h[i], &e.alg, NULL) == ATTEST_OK &&
		    object_pubkey(p, h[i], e.alg, &pub, NULL) == ATTEST_OK)
			e.keyid = attest_pubkey_keyid(pub);
		else
			e.alg = ATTEST_ALG_NONE;
		uri = entry_uri(&p->tinfo, lbl, ll, il > 0 ? id : NULL, il);
		e.uri = uri;
		cb(arg, &e);
		free(uri);
		attest_pubkey_free(&pub);
		free(lbl);
		free(id);
	}
}

attest_err_t
attest_pkcs11_list(const char *uri_s, attest_pkcs11_list_fn *cb, void *arg,
    attest_diag_t *diag)
{
	CK_FUNCTION_LIST **mods = NULL, *single = NULL, *one[2] = { 0, 0 };
	CK_FUNCTION_LIST **list;
	CK_SLOT_ID slots[MAX_SLOTS];
	CK_ULONG nslots, j;
	CK_TOKEN_INFO ti;
	CK_INFO info;
	P11KitUri *uri = NULL;
	struct p11 p;
	attest_pkcs11_entry_t e;
	const char *mpath = NULL, *mname = NULL;
	char *name, ser[17], *u;
	size_t i;
	attest_err_t r;

	if (cb == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	if (uri_s != NULL) {
		if ((r = uri_parse(uri_s, &uri, diag)) != ATTEST_OK)
			return r;
		mpath = p11_kit_uri_get_module_path(uri);
		mname = p11_kit_uri_get_module_name(uri);
	}
	if (mpath != NULL) {
		if ((single = p11_kit_module_load(mpath, 0)) == NULL) {
			r = attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL,
			    -1, "PKCS#11 module not found or not loadable: %s",
			    mpath);
			goto out;
		}
		if (p11_kit_module_initialize(single) != CKR_OK) {
			p11_kit_module_release(single);
			single = NULL;
			r = attest_diag_set(diag, ATTEST_ERR_DEVICE, NULL, -1,
			    "cannot initialise the PKCS#11 module %s", mpath);
			goto out;
		}
		one[0] = single;
		list = one;
	} else if ((list = mods = p11_kit_modules_load_and_initialize(0)) ==
	    NULL) {
		r = attest_diag_set(diag, ATTEST_ERR_NOT_FOUND, NULL, -1,
		    "p11-kit could not load its registered modules");
		goto out;
	}
	for (i = 0; list[i] != NULL; i++) {
		name = mpath != NULL ? NULL : p11_kit_module_get_name(list[i]);
		if (mname != NULL && (name == NULL || strcmp(name, mname))) {
			free(name);
			continue;
		}
		if (list[i]->C_GetInfo(&info) != CKR_OK || (uri != NULL &&
		    !p11_kit_uri_match_module_info(uri, &info))) {
			free(name);
			continue;
		}
		nslots = MAX_SLOTS;
		if (list[i]->C_GetSlotList(CK_TRUE, slots, &nslots) != CKR_OK)
			nslots = 0;
		for (j = 0; j < nslots; j++) {
			if (list[i]->C_GetTokenInfo(slots[j], &ti) != CKR_OK ||
			    !(ti.flags & CKF_TOKEN_INITIALIZED) ||
			    (uri != NULL &&
			    !p11_kit_uri_match_token_info(uri, &ti)))
				continue;
			memset(&p, 0, sizeof(p));
			p.mod = list[i];
			p.slot = slots[j];
			p.tinfo = ti;
			trim(p.label, sizeof(p.label), ti.label,
			    sizeof(ti.label));
			trim(ser, sizeof(ser), ti.serialNumber,
			    sizeof(ti.serialNumber));
			memset(&e, 0, sizeof(e));
			e.module = mpath != NULL ? mpath : name;
			e.token = p.label;
			e.serial = ser;
			u = entry_uri(&ti, NULL, 0, NULL, 0);
			e.uri = u;
			cb(arg, &e);
			free(u);
			if (p.mod->C_OpenSession(p.slot, CKF_SERIAL_SESSION,
			    NULL, NULL, &p.sess) != CKR_OK)
				continue;
			p.have_sess = 1;
			list_keys(&p, e.module, cb, arg);
			(void)p.mod->C_CloseSession(p.sess);
		}
		free(name);
	}
	r = ATTEST_OK;
out:
	if (single != NULL) {
		(void)p11_kit_module_finalize(single);
		p11_kit_module_release(single);
	}
	if (mods != NULL)
		p11_kit_modules_finalize_and_release(mods);
	p11_kit_uri_free(uri);
	return r;
}
