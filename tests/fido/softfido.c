/* SPDX-License-Identifier: Apache-2.0 */
/*
 * softfido: a software CTAP2.0 authenticator that lives inside the process
 * under test, so that libfido2's own CTAPHID framing and CBOR code run
 * against it.  No hardware, no /dev/uhid, no /dev/hidraw.
 *
 * How it plugs in
 *
 * softfido defines two public libfido2 functions and reaches the real ones
 * with dlsym(RTLD_NEXT):
 *
 *   fido_dev_info_manifest  with $SOFTFIDO_DIR set, lists only the emulated
 *                           devices that are present, as "softfido:0",
 *                           "softfido:1", ...; otherwise the real function.
 *   fido_dev_open           for a "softfido:" path, installs the HID report
 *                           level io functions below, then calls the real
 *                           fido_dev_open; any other path goes straight to
 *                           the real function.
 *
 * The same source works when softfido.so is loaded with LD_PRELOAD into an
 * unmodified program and when softfido.o is linked into a test executable:
 * in both cases these definitions come before libfido2's.  The manifest
 * entries also carry message level transport functions, so a device made
 * with fido_dev_new_with_info() + fido_dev_open_with_info() works too.
 *
 * Layers, bottom up
 *
 *   sf_io_*     64-byte HID reports.  write() reassembles a request and,
 *               once complete, runs it; read() hands out the reply frames.
 *   sf_tp_*     whole CTAPHID messages (fido_dev_new_with_info devices).
 *   sf_hid      CTAPHID INIT, PING, WINK, CBOR, CANCEL; else an error.
 *   sf_ctap     CTAP2 getInfo, makeCredential, getAssertion and clientPIN
 *               (PIN protocol 1: getRetries, getKeyAgreement, getPINToken).
 *
 * State, in $SOFTFIDO_DIR so that it outlives a process
 *
 *   config              key=value lines, read on every open (and by the
 *                       manifest); '#' starts a comment; an unknown key or
 *                       bad value makes every open fail, loudly
 *   att-cert.der        attestation certificate and its P-256 key, used
 *   att-key.pem         for "packed" attestation with x5c
 *   devN/counter        signature counter, one per device
 *   devN/pin_retries    PIN retries left (8 when absent)
 *   devN/removed        created when a "disconnect" fault fires
 *   devN/cred-<hex id>  alg, rk, rpIdHash, user id and private key (PEM)
 *
 * A test may edit counter (a cloned key's counter going backwards) or
 * pin_retries (to reach PIN_BLOCKED without three-attempt power cycles).
 * What a real key loses at power-off (the PIN token and the count of
 * consecutive wrong PINs) lives in process memory, and is forgotten when
 * $SOFTFIDO_DIR changes.  The key agreement key lives in the open handle.
 *
 * Config keys (all optional)
 *
 *   devices=N           emulated devices, default 1 (at most 16)
 *   pin=STRING          PIN of every device (1 to 63 bytes); getInfo
 *                       clientPin follows it.  Like a real key, softfido
 *                       keeps only LEFT(SHA-256(PIN), 16), what clientPIN
 *                       compares, and it reads the config with read(2)
 *                       into a buffer it wipes: no copy of the PIN is
 *                       left in the process under test (tests/secrets)
 *   require_pin=1       makeCredential/getAssertion without pinAuth fail
 *                       with PIN_REQUIRED (otherwise they work, without UV)
 *   algs=es256,eddsa    advertised and accepted algorithms (default both)
 *   attestation=x5c|self|none   default x5c when att-cert.der and
 *                       att-key.pem exist, else self
 *   aaguid=HEX32        default 6c69626174746573742d736f66746964
 *   fault=NAME          see below; fault_device=N limits it to device N
 *
 * Faults act on makeCredential and getAssertion:
 *
 *   deny-up, timeout    status OPERATION_DENIED / USER_ACTION_TIMEOUT
 *   disconnect          the reply is lost (io read fails: FIDO_ERR_RX)
 *                       and devN/removed is written: gone from the
 *                       manifest, later opens fail
 *   lose-cred           getAssertion: NO_CREDENTIALS
 *   bad-sig             assertion signature has one bit flipped (inside r
 *                       for DER ECDSA, so the DER stays valid)
 *   no-up, no-uv        assertion flags without UP / never with UV
 *   at                  assertion flags with AT (authData still 37 bytes)
 *   ed                  assertion flags with ED and {"credProtect": 1}
 *                       appended; libfido2 1.12 parses and ignores it, so
 *                       get_assert and assert_verify both succeed
 *   counter-zero        the counter stays 0 and is reported as 0
 *
 * Options: rk is stored and a getAssertion without allowList finds a
 * resident credential (only one is returned, no getNextAssertion); uv=true
 * is accepted only together with a valid pinAuth (there is no built-in
 * UV), otherwise UNSUPPORTED_OPTION.  excludeList is honoured.
 *
 * The crypto is OpenSSL 3 EVP, the CBOR is libcbor.  Integers are always
 * encoded at their smallest width and map keys in CTAP canonical order,
 * because libfido2 silently ignores anything else.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cbor.h>
#include <fido.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#define SF_PREFIX		"softfido:"
#define SF_MANUFACTURER		"libattest tests"
#define SF_DEFAULT_AAGUID	"6c69626174746573742d736f66746964"
#define SF_MAXDEV		16
#define SF_REPORT_LEN		64
#define SF_INIT_DATA		(SF_REPORT_LEN - 7)
#define SF_CONT_DATA		(SF_REPORT_LEN - 5)
#define SF_MAX_MSG		(SF_INIT_DATA + 128 * SF_CONT_DATA)
#define SF_MAX_FILE		(64 * 1024)
#define SF_MAX_CONFIG		4096
#define SF_MAX_PIN		63	/* CTAP2: at most 63 bytes */
#define SF_MAX_MSG_SIZE		1200	/* advertised in getInfo */
#define SF_FW_VERSION		0x010203
#define SF_CRED_ID_LEN		32
#define SF_MAX_USER_ID		64
#define SF_PIN_RETRIES		8
#define SF_PIN_MISMATCHES	3
#define SF_TOKEN_LEN		32

/* CTAPHID commands, errors, capabilities */
#define HID_PING		0x01
#define HID_MSG			0x03
#define HID_INIT		0x06
#define HID_WINK		0x08
#define HID_CBOR		0x10
#define HID_CANCEL		0x11
#define HID_ERROR		0x3f
#define HID_ERR_INVALID_CMD	0x01
#define HID_ERR_INVALID_LEN	0x03
#define HID_ERR_INVALID_SEQ	0x04
#define HID_ERR_OTHER		0x7f
#define HID_CAPS		0x0d	/* WINK | CBOR | NMSG */

/* CTAP2 commands and clientPIN subcommands */
#define CTAP_MAKE_CRED		0x01
#define CTAP_GET_ASSERT		0x02
#define CTAP_GET_INFO		0x04
#define CTAP_CLIENT_PIN		0x06
#define PIN_GET_RETRIES		0x01
#define PIN_GET_KEY_AGREEMENT	0x02
#define PIN_GET_TOKEN		0x05

/* CTAP status codes */
#define ST_OK			0x00
#define ST_INVALID_COMMAND	0x01
#define ST_INVALID_PARAMETER	0x02
#define ST_INVALID_LENGTH	0x03
#define ST_UNEXPECTED_TYPE	0x11
#define ST_INVALID_CBOR		0x12
#define ST_MISSING_PARAMETER	0x14
#define ST_CREDENTIAL_EXCLUDED	0x19
#define ST_UNSUPPORTED_ALG	0x26
#define ST_OPERATION_DENIED	0x27
#define ST_UNSUPPORTED_OPTION	0x2b
#define ST_NO_CREDENTIALS	0x2e
#define ST_ACTION_TIMEOUT	0x2f
#define ST_PIN_INVALID		0x31
#define ST_PIN_BLOCKED		0x32
#define ST_PIN_AUTH_INVALID	0x33
#define ST_PIN_AUTH_BLOCKED	0x34
#define ST_PIN_NOT_SET		0x35
#define ST_PIN_REQUIRED		0x36
#define ST_OTHER		0x7f

/* authenticator data flags */
#define AD_UP			0x01
#define AD_UV			0x04
#define AD_AT			0x40
#define AD_ED			0x80

/* COSE_ES256, COSE_EDDSA, COSE_ECDH_ES256 (-25): <fido/param.h> */

enum sf_att {
	ATT_DEFAULT,		/* x5c when att-cert.der + att-key.pem exist */
	ATT_X5C,
	ATT_SELF,
	ATT_NONE
};

enum sf_fault {
	F_NONE,
	F_DENY_UP,
	F_TIMEOUT,
	F_DISCONNECT,
	F_BAD_SIG,
	F_LOSE_CRED,
	F_NO_UP,
	F_NO_UV,
	F_ED,
	F_AT,
	F_COUNTER_ZERO
};

static const struct {
	const char	*name;
	enum sf_fault	 fault;
} sf_fault_names[] = {
	{ "none",		F_NONE },
	{ "deny-up",		F_DENY_UP },
	{ "timeout",		F_TIMEOUT },
	{ "disconnect",		F_DISCONNECT },
	{ "bad-sig",		F_BAD_SIG },
	{ "lose-cred",		F_LOSE_CRED },
	{ "no-up",		F_NO_UP },
	{ "no-uv",		F_NO_UV },
	{ "ed",			F_ED },
	{ "at",			F_AT },
	{ "counter-zero",	F_COUNTER_ZERO },
};

struct sf_config {
	unsigned	 ndev;
	int		 has_pin;
	unsigned char	 pin_hash[16];	/* LEFT(SHA-256(pin), 16) */
	int		 require_pin;
	int		 es256;
	int		 eddsa;
	enum sf_att	 att;
	unsigned char	 aaguid[16];
	enum sf_fault	 fault;
	int		 fault_dev;	/* -1: every device */
};

/* A growable byte buffer; errors are sticky and checked once at the end. */
struct sf_buf {
	unsigned char	*ptr;
	size_t		 len;
	size_t		 cap;
	int		 err;
};

struct sf_cred {
	unsigned char	 id[SF_CRED_ID_LEN];
	int		 alg;
	int		 rk;
	unsigned char	 rpid_hash[32];
	unsigned char	 user[SF_MAX_USER_ID];
	size_t		 user_len;
	EVP_PKEY	*key;
};

/* One open device: what io.open returns. */
struct sf_dev {
	char		 root[PATH_MAX];
	char		 dir[PATH_MAX];
	unsigned	 idx;
	struct sf_config cfg;
	int		 dead;		/* disconnected: io fails */
	EVP_PKEY	*ka;		/* clientPIN key agreement key */
	/* request being reassembled */
	int		 req_busy;
	unsigned char	 req_cid[4];
	uint8_t		 req_cmd;
	uint8_t		 req_seq;
	size_t		 req_len;
	struct sf_buf	 req;
	/* reply being handed out */
	int		 rep_busy;
	unsigned char	 rep_cid[4];
	uint8_t		 rep_cmd;
	uint8_t		 rep_seq;
	int		 rep_started;
	size_t		 rep_off;
	struct sf_buf	 rep;
};

/* What a power cycle would reset, per device. */
struct sf_power {
	unsigned char	 token[SF_TOKEN_LEN];
	int		 have_token;
	unsigned	 mismatches;
};

static char		sf_power_root[PATH_MAX];
static struct sf_power	sf_power[SF_MAXDEV];

static void	*sf_io_open(const char *);
static void	 sf_io_close(void *);
static int	 sf_io_read(void *, unsigned char *, size_t, int);
static int	 sf_io_write(void *, const unsigned char *, size_t);
static int	 sf_tp_rx(fido_dev_t *, uint8_t, unsigned char *, size_t, int);
static int	 sf_tp_tx(fido_dev_t *, uint8_t, const unsigned char *, size_t);
static int	 sha256(const void *, size_t, unsigned char[32]);

static const fido_dev_io_t sf_io = {
	sf_io_open,
	sf_io_close,
	sf_io_read,
	sf_io_write,
};

static const fido_dev_transport_t sf_transport = {
	sf_tp_rx,
	sf_tp_tx,
};

/*
 * Small utilities.
 */

static void
sf_warn(const char *what, const char *detail)
{
	fprintf(stderr, "softfido: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
}

static void
buf_add(struct sf_buf *b, const void *p, size_t n)
{
	unsigned char *np;
	size_t cap;

	if (b->err)
		return;
	if (n > SF_MAX_FILE * 4 || b->len + n > SF_MAX_FILE * 4) {
		b->err = 1;
		return;
	}
	if (b->len + n > b->cap) {
		cap = b->cap ? b->cap : 128;
		while (cap < b->len + n)
			cap *= 2;
		if ((np = realloc(b->ptr, cap)) == NULL) {
			b->err = 1;
			return;
		}
		b->ptr = np;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
}

static void
buf_u8(struct sf_buf *b, uint8_t v)
{
	buf_add(b, &v, 1);
}

static void
buf_be16(struct sf_buf *b, uint16_t v)
{
	unsigned char p[2];

	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
	buf_add(b, p, sizeof(p));
}

static void
buf_be32(struct sf_buf *b, uint32_t v)
{
	unsigned char p[4];

	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	buf_add(b, p, sizeof(p));
}

static void
buf_reset(struct sf_buf *b)
{
	b->len = 0;
	b->err = 0;
}

static void
buf_free(struct sf_buf *b)
{
	if (b->ptr != NULL)
		OPENSSL_cleanse(b->ptr, b->cap);
	free(b->ptr);
	memset(b, 0, sizeof(*b));
}

static void
hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

static int
hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex into out; at most cap bytes, *len gets the count. */
static int
hex_decode(const char *s, unsigned char *out, size_t cap, size_t *len)
{
	size_t n = strlen(s);
	int hi, lo;

	if (n % 2 != 0 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		if ((hi = hex_nibble(s[2 * i])) < 0 ||
		    (lo = hex_nibble(s[2 * i + 1])) < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

static int
parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v > max)
		return -1;
	return 0;
}

static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/*
 * Files under $SOFTFIDO_DIR.
 */

static int
sf_path(char *out, size_t cap, const char *dir, const char *name)
{
	int n;

	n = snprintf(out, cap, "%s/%s", dir, name);
	return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

static int
sf_exists(const char *dir, const char *name)
{
	char path[PATH_MAX];

	return sf_path(path, sizeof(path), dir, name) == 0 &&
	    access(path, F_OK) == 0;
}

/* Read a whole (small) file, NUL-terminated. */
static int
sf_read_file(const char *path, struct sf_buf *out)
{
	unsigned char chunk[4096];
	FILE *f;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	if (ferror(f))
		out->err = 1;
	fclose(f);
	buf_u8(out, 0);
	if (out->err)
		return -1;
	out->len--;
	return 0;
}

/* Write a file atomically (temporary file, then rename). */
static int
sf_write_file(const char *path, const void *p, size_t n)
{
	char tmp[PATH_MAX];
	FILE *f;
	int r;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp) ||
	    (f = fopen(tmp, "wb")) == NULL) {
		sf_warn("cannot write", path);
		return -1;
	}
	r = (fwrite(p, 1, n, f) == n) ? 0 : -1;
	if (fclose(f) != 0)
		r = -1;
	if (r == 0 && rename(tmp, path) != 0)
		r = -1;
	if (r != 0) {
		(void)unlink(tmp);
		sf_warn("cannot write", path);
	}
	return r;
}

static unsigned long
sf_read_ulong(const struct sf_dev *d, const char *name, unsigned long dflt)
{
	struct sf_buf b = { 0 };
	char path[PATH_MAX];
	unsigned long v;

	if (sf_path(path, sizeof(path), d->dir, name) < 0 ||
	    sf_read_file(path, &b) < 0 ||
	    parse_ulong(trim((char *)b.ptr), UINT32_MAX, &v) < 0)
		v = dflt;
	buf_free(&b);
	return v;
}

static void
sf_write_ulong(const struct sf_dev *d, const char *name, unsigned long v)
{
	char path[PATH_MAX], text[32];
	int n;

	n = snprintf(text, sizeof(text), "%lu\n", v);
	if (sf_path(path, sizeof(path), d->dir, name) == 0 && n > 0)
		(void)sf_write_file(path, text, (size_t)n);
}

/*
 * Configuration.
 */

static int
sf_config_algs(struct sf_config *c, char *val)
{
	char *tok, *save = NULL;

	c->es256 = c->eddsa = 0;
	for (tok = strtok_r(val, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (strcmp(tok, "es256") == 0)
			c->es256 = 1;
		else if (strcmp(tok, "eddsa") == 0)
			c->eddsa = 1;
		else if (*tok != '\0')
			return -1;
	}
	return 0;
}

static int
sf_config_fault(struct sf_config *c, const char *val)
{
	for (size_t i = 0; i < sizeof(sf_fault_names) /
	    sizeof(sf_fault_names[0]); i++)
		if (strcmp(val, sf_fault_names[i].name) == 0) {
			c->fault = sf_fault_names[i].fault;
			return 0;
		}
	return -1;
}

/*
 * Keys: devices=N, pin=STRING, require_pin=0|1, algs=es256,eddsa,
 * attestation=x5c|self|none, aaguid=HEX32, fault=NAME, fault_device=N.
 */
static int
sf_config_set(struct sf_config *c, const char *key, char *val)
{
	unsigned char hash[32];
	unsigned long v;
	size_t n;

	if (strcmp(key, "devices") == 0) {
		if (parse_ulong(val, SF_MAXDEV, &v) < 0)
			return -1;
		c->ndev = (unsigned)v;
	} else if (strcmp(key, "pin") == 0) {
		if ((n = strlen(val)) == 0 || n > SF_MAX_PIN ||
		    sha256(val, n, hash) < 0)
			return -1;
		memcpy(c->pin_hash, hash, sizeof(c->pin_hash));
		OPENSSL_cleanse(hash, sizeof(hash));
		c->has_pin = 1;
	} else if (strcmp(key, "require_pin") == 0) {
		if (parse_ulong(val, 1, &v) < 0)
			return -1;
		c->require_pin = (int)v;
	} else if (strcmp(key, "algs") == 0) {
		return sf_config_algs(c, val);
	} else if (strcmp(key, "attestation") == 0) {
		if (strcmp(val, "x5c") == 0)
			c->att = ATT_X5C;
		else if (strcmp(val, "self") == 0)
			c->att = ATT_SELF;
		else if (strcmp(val, "none") == 0)
			c->att = ATT_NONE;
		else
			return -1;
	} else if (strcmp(key, "aaguid") == 0) {
		if (strlen(val) != 32 ||
		    hex_decode(val, c->aaguid, sizeof(c->aaguid), &n) < 0)
			return -1;
	} else if (strcmp(key, "fault") == 0) {
		return sf_config_fault(c, val);
	} else if (strcmp(key, "fault_device") == 0) {
		if (parse_ulong(val, SF_MAXDEV - 1, &v) < 0)
			return -1;
		c->fault_dev = (int)v;
	} else
		return -1;
	return 0;
}

static void
sf_config_defaults(struct sf_config *c)
{
	size_t n;

	memset(c, 0, sizeof(*c));
	c->ndev = 1;
	c->es256 = c->eddsa = 1;
	c->att = ATT_DEFAULT;
	c->fault = F_NONE;
	c->fault_dev = -1;
	(void)hex_decode(SF_DEFAULT_AAGUID, c->aaguid, sizeof(c->aaguid), &n);
}

/*
 * The config holds the PIN: it is read with read(2) into a buffer wiped
 * after parsing, not through stdio, whose buffer would be freed with the
 * text still in it.
 */
static int
sf_config_load(const char *root, struct sf_config *c)
{
	char path[PATH_MAX], text[SF_MAX_CONFIG + 1], *line, *next, *eq, *key;
	size_t len = 0;
	ssize_t n = 0;
	int fd, lineno = 0, r = 0;

	sf_config_defaults(c);
	if (sf_path(path, sizeof(path), root, "config") < 0)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	/* one byte more than a config may have, to see that it is too long */
	while (len < sizeof(text) && (n = read(fd, text + len,
	    sizeof(text) - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
	}
	(void)close(fd);
	if (len > SF_MAX_CONFIG || n < 0) {
		OPENSSL_cleanse(text, sizeof(text));
		sf_warn(len > SF_MAX_CONFIG ? "config too long" :
		    "cannot read", path);
		return -1;
	}
	text[len] = '\0';
	for (line = text; r == 0 && line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			r = -1;
			break;
		}
		*eq = '\0';
		if (sf_config_set(c, trim(key), trim(eq + 1)) < 0)
			r = -1;
	}
	OPENSSL_cleanse(text, sizeof(text));
	if (r < 0)
		fprintf(stderr, "softfido: %s:%d: invalid line\n", path,
		    lineno);
	return r;
}

static enum sf_fault
sf_fault(const struct sf_dev *d)
{
	if (d->cfg.fault_dev < 0 || (unsigned)d->cfg.fault_dev == d->idx)
		return d->cfg.fault;
	return F_NONE;
}

static struct sf_power *
sf_power_get(const struct sf_dev *d)
{
	if (strcmp(d->root, sf_power_root) != 0) {
		OPENSSL_cleanse(sf_power, sizeof(sf_power));
		memcpy(sf_power_root, d->root, sizeof(sf_power_root));
	}
	return &sf_power[d->idx];
}

static int
sf_dev_removed(const char *root, unsigned idx)
{
	char name[32];

	(void)snprintf(name, sizeof(name), "dev%u/removed", idx);
	return sf_exists(root, name);
}

static void
sf_dev_remove(struct sf_dev *d)
{
	char path[PATH_MAX];

	d->dead = 1;
	if (sf_path(path, sizeof(path), d->dir, "removed") == 0)
		(void)sf_write_file(path, "1\n", 2);
}

/*
 * Crypto (OpenSSL 3 EVP).
 */

static int
sha256(const void *p, size_t n, unsigned char out[32])
{
	return EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

static int
hmac_sha256(const unsigned char *key, size_t keylen, const unsigned char *p,
    size_t n, unsigned char out[32])
{
	size_t outlen = 0;

	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen, p, n,
	    out, 32, &outlen) == NULL || outlen != 32)
		return -1;
	return 0;
}

/* AES-256-CBC with a zero IV and no padding (PIN protocol 1). */
static int
aes256_cbc(int enc, const unsigned char key[32], const unsigned char *in,
    size_t len, unsigned char *out)
{
	static const unsigned char iv[16];
	EVP_CIPHER_CTX *ctx;
	int n = 0, fin = 0, r = -1;

	if (len % 16 != 0 || len > INT_MAX ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv,
	    enc) == 1 && EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1 &&
	    EVP_CipherFinal_ex(ctx, out + n, &fin) == 1 &&
	    (size_t)n + (size_t)fin == len)
		r = 0;
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

static EVP_PKEY *
key_generate(int alg)
{
	if (alg == COSE_EDDSA)
		return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

static int
ec_point(EVP_PKEY *k, unsigned char x[32], unsigned char y[32])
{
	unsigned char pt[65];
	size_t len = 0;

	if (EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pt,
	    sizeof(pt), &len) != 1 || len != sizeof(pt) || pt[0] != 0x04)
		return -1;
	memcpy(x, pt + 1, 32);
	memcpy(y, pt + 33, 32);
	return 0;
}

static EVP_PKEY *
ec_from_point(const unsigned char *x, const unsigned char *y)
{
	char group[] = "prime256v1";
	unsigned char pt[65];
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pk = NULL;

	pt[0] = 0x04;
	memcpy(pt + 1, x, 32);
	memcpy(pt + 33, y, 32);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt));
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL)
		return NULL;
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pk = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pk;
}

/* PIN protocol 1 shared secret: SHA-256 of the ECDH x-coordinate. */
static int
ecdh_secret(EVP_PKEY *own, EVP_PKEY *peer, unsigned char out[32])
{
	EVP_PKEY_CTX *ctx;
	unsigned char z[32];
	size_t zlen = sizeof(z);
	int r = -1;

	if ((ctx = EVP_PKEY_CTX_new(own, NULL)) == NULL)
		return -1;
	if (EVP_PKEY_derive_init(ctx) == 1 &&
	    EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
	    EVP_PKEY_derive(ctx, z, &zlen) == 1 && zlen == sizeof(z) &&
	    sha256(z, sizeof(z), out) == 0)
		r = 0;
	OPENSSL_cleanse(z, sizeof(z));
	EVP_PKEY_CTX_free(ctx);
	return r;
}

/* Sign a || b: ECDSA-SHA-256 (DER) for EC keys, Ed25519 otherwise. */
static int
sign_concat(EVP_PKEY *k, const unsigned char *a, size_t alen,
    const unsigned char *b, size_t blen, struct sf_buf *sig)
{
	struct sf_buf msg = { 0 };
	unsigned char out[160];
	size_t outlen = sizeof(out);
	const EVP_MD *md;
	EVP_MD_CTX *ctx;
	int r = -1;

	md = EVP_PKEY_is_a(k, "ED25519") ? NULL : EVP_sha256();
	buf_add(&msg, a, alen);
	buf_add(&msg, b, blen);
	if (msg.err || (ctx = EVP_MD_CTX_new()) == NULL) {
		buf_free(&msg);
		return -1;
	}
	if (EVP_DigestSignInit(ctx, NULL, md, NULL, k) == 1 &&
	    EVP_DigestSign(ctx, out, &outlen, msg.ptr, msg.len) == 1) {
		buf_add(sig, out, outlen);
		r = sig->err ? -1 : 0;
	}
	EVP_MD_CTX_free(ctx);
	buf_free(&msg);
	return r;
}

/*
 * Flip one bit of a signature.  For DER ECDSA it is the last byte of r, so
 * that the encoding stays valid and only the value is wrong.
 */
static void
corrupt_sig(unsigned char *sig, size_t len)
{
	size_t rlen;

	if (len >= 8 && sig[0] == 0x30 && sig[2] == 0x02) {
		rlen = sig[3];
		if (rlen >= 2 && 4 + rlen <= len) {
			sig[3 + rlen] ^= 0x01;
			return;
		}
	}
	if (len > 0)
		sig[0] ^= 0x01;
}

static int
key_to_pem(EVP_PKEY *k, struct sf_buf *out)
{
	BIO *bio;
	char *p = NULL;
	long n;
	int r = -1;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return -1;
	if (PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) == 1 &&
	    (n = BIO_get_mem_data(bio, &p)) > 0) {
		buf_add(out, p, (size_t)n);
		r = out->err ? -1 : 0;
	}
	BIO_free(bio);
	return r;
}

static EVP_PKEY *
key_from_pem(const char *pem)
{
	EVP_PKEY *k;
	BIO *bio;

	if ((bio = BIO_new_mem_buf(pem, -1)) == NULL)
		return NULL;
	k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return k;
}

/*
 * CBOR helpers.  Builders consume their arguments, also on failure, so
 * that calls nest without leaks.
 */

static cbor_item_t *
cb_uint(uint64_t v)
{
	if (v <= UINT8_MAX)
		return cbor_build_uint8((uint8_t)v);
	if (v <= UINT16_MAX)
		return cbor_build_uint16((uint16_t)v);
	if (v <= UINT32_MAX)
		return cbor_build_uint32((uint32_t)v);
	return cbor_build_uint64(v);
}

static cbor_item_t *
cb_int(int64_t v)
{
	uint64_t n;

	if (v >= 0)
		return cb_uint((uint64_t)v);
	n = (uint64_t)(-(v + 1));
	if (n <= UINT8_MAX)
		return cbor_build_negint8((uint8_t)n);
	if (n <= UINT16_MAX)
		return cbor_build_negint16((uint16_t)n);
	if (n <= UINT32_MAX)
		return cbor_build_negint32((uint32_t)n);
	return cbor_build_negint64(n);
}

static cbor_item_t *
cb_bytes(const void *p, size_t n)
{
	return cbor_build_bytestring(p, n);
}

static int
cb_put(cbor_item_t *map, cbor_item_t *k, cbor_item_t *v)
{
	struct cbor_pair pair;
	int r = -1;

	if (map != NULL && k != NULL && v != NULL) {
		pair.key = k;
		pair.value = v;
		if (cbor_map_add(map, pair))
			r = 0;
	}
	if (k != NULL)
		cbor_decref(&k);
	if (v != NULL)
		cbor_decref(&v);
	return r;
}

static int
cb_push(cbor_item_t *array, cbor_item_t *v)
{
	int r = -1;

	if (array != NULL && v != NULL && cbor_array_push(array, v))
		r = 0;
	if (v != NULL)
		cbor_decref(&v);
	return r;
}

static int
cb_serialize(const cbor_item_t *item, struct sf_buf *out)
{
	unsigned char *p = NULL;
	size_t n, alloc = 0;

	if ((n = cbor_serialize_alloc(item, &p, &alloc)) == 0) {
		free(p);
		return -1;
	}
	buf_add(out, p, n);
	free(p);
	return out->err ? -1 : 0;
}

static int
cb_intval(const cbor_item_t *item, int64_t *v)
{
	uint64_t n;

	if (item == NULL ||
	    (!cbor_isa_uint(item) && !cbor_isa_negint(item)) ||
	    (n = cbor_get_int(item)) > INT64_MAX)
		return -1;
	*v = cbor_isa_uint(item) ? (int64_t)n : -1 - (int64_t)n;
	return 0;
}

static int
cb_is_text(const cbor_item_t *item, const char *s)
{
	size_t n = strlen(s);

	return item != NULL && cbor_isa_string(item) &&
	    cbor_string_is_definite(item) && cbor_string_length(item) == n &&
	    memcmp(cbor_string_handle(item), s, n) == 0;
}

/* The value of integer key `key' in `map', or NULL. */
static const cbor_item_t *
cb_get(const cbor_item_t *map, int64_t key)
{
	struct cbor_pair *p;
	int64_t k;

	if (map == NULL || !cbor_isa_map(map) ||
	    (p = cbor_map_handle(map)) == NULL)
		return NULL;
	for (size_t i = 0; i < cbor_map_size(map); i++)
		if (cb_intval(p[i].key, &k) == 0 && k == key)
			return p[i].value;
	return NULL;
}

/* The value of text key `key' in `map', or NULL. */
static const cbor_item_t *
cb_get_text(const cbor_item_t *map, const char *key)
{
	struct cbor_pair *p;

	if (map == NULL || !cbor_isa_map(map) ||
	    (p = cbor_map_handle(map)) == NULL)
		return NULL;
	for (size_t i = 0; i < cbor_map_size(map); i++)
		if (cb_is_text(p[i].key, key))
			return p[i].value;
	return NULL;
}

static int
cb_get_bytes(const cbor_item_t *item, const unsigned char **p, size_t *n)
{
	if (item == NULL || !cbor_isa_bytestring(item) ||
	    !cbor_bytestring_is_definite(item))
		return -1;
	*p = cbor_bytestring_handle(item);
	*n = cbor_bytestring_length(item);
	return 0;
}

static int
cb_get_string(const cbor_item_t *item, char *out, size_t cap)
{
	size_t n;

	if (item == NULL || !cbor_isa_string(item) ||
	    !cbor_string_is_definite(item) ||
	    (n = cbor_string_length(item)) >= cap)
		return -1;
	memcpy(out, cbor_string_handle(item), n);
	out[n] = '\0';
	return strlen(out) == n ? 0 : -1;
}

static int
cb_get_bool(const cbor_item_t *item, int *v)
{
	if (item == NULL || !cbor_isa_float_ctrl(item) || !cbor_is_bool(item))
		return -1;
	*v = cbor_get_bool(item) ? 1 : 0;
	return 0;
}

/* COSE_Key of a public key: EC2 P-256 or OKP Ed25519. */
static cbor_item_t *
cose_key(EVP_PKEY *k, int alg)
{
	unsigned char x[32], y[32];
	size_t xlen = sizeof(x);
	cbor_item_t *m;
	int err = 0;

	if (alg == COSE_EDDSA) {
		if (EVP_PKEY_get_raw_public_key(k, x, &xlen) != 1 ||
		    xlen != sizeof(x) || (m = cbor_new_definite_map(4)) == NULL)
			return NULL;
		err |= cb_put(m, cb_int(1), cb_int(1));		/* kty OKP */
		err |= cb_put(m, cb_int(3), cb_int(alg));
		err |= cb_put(m, cb_int(-1), cb_int(6));	/* Ed25519 */
		err |= cb_put(m, cb_int(-2), cb_bytes(x, sizeof(x)));
	} else {
		if (ec_point(k, x, y) < 0 ||
		    (m = cbor_new_definite_map(5)) == NULL)
			return NULL;
		err |= cb_put(m, cb_int(1), cb_int(2));		/* kty EC2 */
		err |= cb_put(m, cb_int(3), cb_int(alg));
		err |= cb_put(m, cb_int(-1), cb_int(1));	/* P-256 */
		err |= cb_put(m, cb_int(-2), cb_bytes(x, sizeof(x)));
		err |= cb_put(m, cb_int(-3), cb_bytes(y, sizeof(y)));
	}
	if (err) {
		cbor_decref(&m);
		return NULL;
	}
	return m;
}

/* {"id": id, "type": "public-key"} */
static cbor_item_t *
cb_cred_descriptor(const unsigned char *id, size_t len)
{
	cbor_item_t *m;

	if ((m = cbor_new_definite_map(2)) == NULL)
		return NULL;
	if (cb_put(m, cbor_build_string("id"), cb_bytes(id, len)) < 0 ||
	    cb_put(m, cbor_build_string("type"),
	    cbor_build_string("public-key")) < 0)
		cbor_decref(&m);
	return m;
}

/*
 * Credentials: devN/cred-<hex id>, a few key=value lines then the PEM key.
 */

static void
sf_cred_free(struct sf_cred *c)
{
	EVP_PKEY_free(c->key);
	OPENSSL_cleanse(c, sizeof(*c));
}

static int
sf_cred_path(const struct sf_dev *d, const unsigned char *id, char *out,
    size_t cap)
{
	char name[8 + 2 * SF_CRED_ID_LEN];

	memcpy(name, "cred-", 5);
	hex_encode(id, SF_CRED_ID_LEN, name + 5);
	return sf_path(out, cap, d->dir, name);
}

static int
sf_cred_save(const struct sf_dev *d, const struct sf_cred *c)
{
	struct sf_buf b = { 0 };
	char path[PATH_MAX], hex[2 * SF_MAX_USER_ID + 1], line[64];
	int n, r = -1;

	n = snprintf(line, sizeof(line), "alg=%d\nrk=%d\nrpid=", c->alg,
	    c->rk);
	buf_add(&b, line, (size_t)n);
	hex_encode(c->rpid_hash, sizeof(c->rpid_hash), hex);
	buf_add(&b, hex, strlen(hex));
	buf_add(&b, "\nuser=", 6);
	hex_encode(c->user, c->user_len, hex);
	buf_add(&b, hex, strlen(hex));
	buf_add(&b, "\n", 1);
	if (key_to_pem(c->key, &b) == 0 && !b.err &&
	    sf_cred_path(d, c->id, path, sizeof(path)) == 0)
		r = sf_write_file(path, b.ptr, b.len);
	buf_free(&b);
	return r;
}

static int
sf_cred_header(struct sf_cred *c, char *hdr)
{
	char *line, *save = NULL;
	unsigned long v;
	size_t n;

	for (line = strtok_r(hdr, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		line = trim(line);
		if (strncmp(line, "alg=-", 5) == 0) {
			if (parse_ulong(line + 5, 255, &v) < 0)
				return -1;
			c->alg = -(int)v;
		} else if (strncmp(line, "rk=", 3) == 0) {
			if (parse_ulong(line + 3, 1, &v) < 0)
				return -1;
			c->rk = (int)v;
		} else if (strncmp(line, "rpid=", 5) == 0) {
			if (hex_decode(line + 5, c->rpid_hash,
			    sizeof(c->rpid_hash), &n) < 0 ||
			    n != sizeof(c->rpid_hash))
				return -1;
		} else if (strncmp(line, "user=", 5) == 0) {
			if (hex_decode(line + 5, c->user, sizeof(c->user),
			    &c->user_len) < 0)
				return -1;
		}
	}
	return (c->alg == COSE_ES256 || c->alg == COSE_EDDSA) ? 0 : -1;
}

static int
sf_cred_load(const struct sf_dev *d, const unsigned char *id, size_t len,
    struct sf_cred *c)
{
	struct sf_buf b = { 0 };
	char path[PATH_MAX], *pem, *hdr = NULL;
	int r = -1;

	memset(c, 0, sizeof(*c));
	if (len != SF_CRED_ID_LEN ||
	    sf_cred_path(d, id, path, sizeof(path)) < 0 ||
	    sf_read_file(path, &b) < 0)
		goto out;
	memcpy(c->id, id, SF_CRED_ID_LEN);
	if ((pem = strstr((char *)b.ptr, "-----BEGIN")) == NULL ||
	    (hdr = strndup((char *)b.ptr, (size_t)(pem - (char *)b.ptr))) ==
	    NULL || sf_cred_header(c, hdr) < 0 ||
	    (c->key = key_from_pem(pem)) == NULL)
		goto out;
	r = 0;
out:
	free(hdr);
	buf_free(&b);
	if (r < 0)
		sf_cred_free(c);
	return r;
}

/* A resident credential of this device for rpIdHash (no allowList). */
static int
sf_cred_find_rk(const struct sf_dev *d, const unsigned char *rpid_hash,
    struct sf_cred *c)
{
	unsigned char id[SF_CRED_ID_LEN];
	struct dirent *e;
	size_t n;
	DIR *dir;
	int r = -1;

	if ((dir = opendir(d->dir)) == NULL)
		return -1;
	while (r < 0 && (e = readdir(dir)) != NULL) {
		if (strncmp(e->d_name, "cred-", 5) != 0 ||
		    strlen(e->d_name) != 5 + 2 * SF_CRED_ID_LEN ||
		    hex_decode(e->d_name + 5, id, sizeof(id), &n) < 0 ||
		    sf_cred_load(d, id, n, c) < 0)
			continue;
		if (c->rk && memcmp(c->rpid_hash, rpid_hash, 32) == 0)
			r = 0;
		else
			sf_cred_free(c);
	}
	closedir(dir);
	return r;
}

/* The first allowList entry that is a credential of this device for rp. */
static uint8_t
sf_cred_find(const struct sf_dev *d, const cbor_item_t *allow,
    const unsigned char *rpid_hash, struct sf_cred *c, int *resident)
{
	const unsigned char *id;
	cbor_item_t **v;
	size_t len;

	*resident = 0;
	if (allow == NULL || (cbor_isa_array(allow) &&
	    cbor_array_size(allow) == 0)) {
		*resident = 1;
		return sf_cred_find_rk(d, rpid_hash, c) == 0 ? ST_OK :
		    ST_NO_CREDENTIALS;
	}
	if (!cbor_isa_array(allow) || (v = cbor_array_handle(allow)) == NULL)
		return ST_UNEXPECTED_TYPE;
	for (size_t i = 0; i < cbor_array_size(allow); i++) {
		if (cb_get_bytes(cb_get_text(v[i], "id"), &id, &len) < 0 ||
		    sf_cred_load(d, id, len, c) < 0)
			continue;
		if (memcmp(c->rpid_hash, rpid_hash, 32) == 0)
			return ST_OK;
		sf_cred_free(c);
	}
	return ST_NO_CREDENTIALS;
}

/*
 * Authenticator behaviour shared by makeCredential and getAssertion.
 */

/* The "touch": where the deny-up, timeout and disconnect faults act. */
static uint8_t
sf_user_presence(struct sf_dev *d)
{
	switch (sf_fault(d)) {
	case F_DENY_UP:
		return ST_OPERATION_DENIED;
	case F_TIMEOUT:
		return ST_ACTION_TIMEOUT;
	case F_DISCONNECT:
		sf_dev_remove(d);
		return ST_OTHER;	/* never delivered */
	default:
		return ST_OK;
	}
}

static uint32_t
sf_counter_next(const struct sf_dev *d)
{
	unsigned long n;

	if (sf_fault(d) == F_COUNTER_ZERO)
		return 0;
	n = (sf_read_ulong(d, "counter", 0) + 1) & 0xffffffffUL;
	sf_write_ulong(d, "counter", n);
	return (uint32_t)n;
}

/* Parse options {"rk": b, "up": b, "uv": b}; absent ones are left alone. */
static uint8_t
sf_options(const cbor_item_t *opts, int *rk, int *up, int *uv)
{
	const cbor_item_t *v;

	if (opts == NULL)
		return ST_OK;
	if (!cbor_isa_map(opts))
		return ST_UNEXPECTED_TYPE;
	if (((v = cb_get_text(opts, "rk")) != NULL && cb_get_bool(v, rk) < 0) ||
	    ((v = cb_get_text(opts, "up")) != NULL && cb_get_bool(v, up) < 0) ||
	    ((v = cb_get_text(opts, "uv")) != NULL && cb_get_bool(v, uv) < 0))
		return ST_UNEXPECTED_TYPE;
	return ST_OK;
}

/*
 * Check pinAuth = LEFT(HMAC-SHA-256(pinToken, clientDataHash), 16).
 * Sets *uv when it verifies.
 */
static uint8_t
sf_pin_auth(struct sf_dev *d, const unsigned char *cdh, size_t cdh_len,
    const cbor_item_t *auth, const cbor_item_t *proto, int *uv)
{
	struct sf_power *pw = sf_power_get(d);
	const unsigned char *mac;
	unsigned char want[32];
	size_t len;
	int64_t p;

	*uv = 0;
	if (auth == NULL)
		return d->cfg.require_pin ? ST_PIN_REQUIRED : ST_OK;
	if (proto == NULL)
		return ST_MISSING_PARAMETER;
	if (cb_intval(proto, &p) < 0 || p != 1 ||
	    cb_get_bytes(auth, &mac, &len) < 0)
		return ST_PIN_AUTH_INVALID;
	if (!d->cfg.has_pin)
		return ST_PIN_NOT_SET;
	if (!pw->have_token || len != 16 ||
	    hmac_sha256(pw->token, sizeof(pw->token), cdh, cdh_len,
	    want) < 0 || CRYPTO_memcmp(want, mac, 16) != 0)
		return ST_PIN_AUTH_INVALID;
	*uv = 1;
	return ST_OK;
}

/*
 * authenticatorGetInfo (0x04).
 */

static cbor_item_t *
sf_info_algs(const struct sf_config *c)
{
	static const int algs[] = { COSE_ES256, COSE_EDDSA };
	cbor_item_t *a, *m;
	int on, err = 0;

	if ((a = cbor_new_definite_array(2)) == NULL)
		return NULL;
	for (size_t i = 0; i < 2; i++) {
		on = algs[i] == COSE_ES256 ? c->es256 : c->eddsa;
		if (!on)
			continue;
		m = cbor_new_definite_map(2);
		err |= cb_put(m, cbor_build_string("alg"), cb_int(algs[i]));
		err |= cb_put(m, cbor_build_string("type"),
		    cbor_build_string("public-key"));
		err |= cb_push(a, m);
	}
	if (err)
		cbor_decref(&a);
	return a;
}

static uint8_t
sf_get_info(struct sf_dev *d, cbor_item_t **out)
{
	cbor_item_t *m, *v, *o, *p;
	int err = 0;

	if ((m = cbor_new_definite_map(7)) == NULL)
		return ST_OTHER;
	v = cbor_new_definite_array(1);
	err |= cb_push(v, cbor_build_string("FIDO_2_0"));
	err |= cb_put(m, cb_uint(1), v);
	err |= cb_put(m, cb_uint(3), cb_bytes(d->cfg.aaguid, 16));
	/* canonical order: shorter keys first */
	o = cbor_new_definite_map(4);
	err |= cb_put(o, cbor_build_string("rk"), cbor_build_bool(true));
	err |= cb_put(o, cbor_build_string("up"), cbor_build_bool(true));
	err |= cb_put(o, cbor_build_string("plat"), cbor_build_bool(false));
	err |= cb_put(o, cbor_build_string("clientPin"),
	    cbor_build_bool(d->cfg.has_pin != 0));
	err |= cb_put(m, cb_uint(4), o);
	err |= cb_put(m, cb_uint(5), cb_uint(SF_MAX_MSG_SIZE));
	p = cbor_new_definite_array(1);
	err |= cb_push(p, cb_uint(1));
	err |= cb_put(m, cb_uint(6), p);
	err |= cb_put(m, cb_uint(10), sf_info_algs(&d->cfg));
	err |= cb_put(m, cb_uint(14), cb_uint(SF_FW_VERSION));
	if (err) {
		cbor_decref(&m);
		return ST_OTHER;
	}
	*out = m;
	return ST_OK;
}

/*
 * authenticatorMakeCredential (0x01).
 */

static uint8_t
sf_pick_alg(const struct sf_dev *d, const cbor_item_t *params, int *alg)
{
	cbor_item_t **v;
	int64_t a;

	if (params == NULL)
		return ST_MISSING_PARAMETER;
	if (!cbor_isa_array(params) || (v = cbor_array_handle(params)) == NULL)
		return ST_UNEXPECTED_TYPE;
	for (size_t i = 0; i < cbor_array_size(params); i++) {
		if (!cb_is_text(cb_get_text(v[i], "type"), "public-key") ||
		    cb_intval(cb_get_text(v[i], "alg"), &a) < 0)
			continue;
		if ((a == COSE_ES256 && d->cfg.es256) ||
		    (a == COSE_EDDSA && d->cfg.eddsa)) {
			*alg = (int)a;
			return ST_OK;
		}
	}
	return ST_UNSUPPORTED_ALG;
}

static uint8_t
sf_check_exclude(const struct sf_dev *d, const cbor_item_t *excl,
    const unsigned char *rpid_hash)
{
	struct sf_cred c;
	int resident;
	uint8_t st;

	if (excl == NULL || (cbor_isa_array(excl) &&
	    cbor_array_size(excl) == 0))
		return ST_OK;
	st = sf_cred_find(d, excl, rpid_hash, &c, &resident);
	if (st == ST_OK) {
		sf_cred_free(&c);
		return ST_CREDENTIAL_EXCLUDED;
	}
	return st == ST_NO_CREDENTIALS ? ST_OK : st;
}

static int
sf_new_cred(struct sf_cred *c, int alg, const unsigned char *rpid_hash,
    const cbor_item_t *user, int rk)
{
	const unsigned char *uid;
	size_t uid_len;

	memset(c, 0, sizeof(*c));
	c->alg = alg;
	c->rk = rk;
	memcpy(c->rpid_hash, rpid_hash, 32);
	if (cb_get_bytes(cb_get_text(user, "id"), &uid, &uid_len) == 0 &&
	    uid_len <= sizeof(c->user)) {
		memcpy(c->user, uid, uid_len);
		c->user_len = uid_len;
	}
	if (RAND_bytes(c->id, sizeof(c->id)) != 1 ||
	    (c->key = key_generate(alg)) == NULL)
		return -1;
	return 0;
}

/* rpIdHash | flags | counter | aaguid | idlen | id | COSE_Key */
static int
sf_cred_authdata(const struct sf_dev *d, const struct sf_cred *c,
    uint8_t flags, struct sf_buf *ad)
{
	cbor_item_t *pk;
	int r;

	buf_add(ad, c->rpid_hash, 32);
	buf_u8(ad, flags);
	buf_be32(ad, sf_counter_next(d));
	buf_add(ad, d->cfg.aaguid, 16);
	buf_be16(ad, SF_CRED_ID_LEN);
	buf_add(ad, c->id, SF_CRED_ID_LEN);
	if ((pk = cose_key(c->key, c->alg)) == NULL)
		return -1;
	r = cb_serialize(pk, ad);
	cbor_decref(&pk);
	return r;
}

static enum sf_att
sf_att_mode(const struct sf_dev *d)
{
	if (d->cfg.att != ATT_DEFAULT)
		return d->cfg.att;
	if (sf_exists(d->root, "att-cert.der") &&
	    sf_exists(d->root, "att-key.pem"))
		return ATT_X5C;
	return ATT_SELF;
}

/* attStmt for "packed" with x5c: signed by att-key.pem, alg ES256. */
static cbor_item_t *
sf_att_x5c(const struct sf_dev *d, const struct sf_buf *ad,
    const unsigned char *cdh, size_t cdh_len)
{
	struct sf_buf cert = { 0 }, pem = { 0 }, sig = { 0 };
	char path[PATH_MAX];
	cbor_item_t *m = NULL, *x5c;
	EVP_PKEY *k = NULL;
	int err = 0;

	if (sf_path(path, sizeof(path), d->root, "att-cert.der") < 0 ||
	    sf_read_file(path, &cert) < 0 ||
	    sf_path(path, sizeof(path), d->root, "att-key.pem") < 0 ||
	    sf_read_file(path, &pem) < 0 ||
	    (k = key_from_pem((char *)pem.ptr)) == NULL ||
	    !EVP_PKEY_is_a(k, "EC") ||
	    sign_concat(k, ad->ptr, ad->len, cdh, cdh_len, &sig) < 0) {
		sf_warn("x5c attestation needs att-cert.der and a P-256 "
		    "att-key.pem", d->root);
		goto out;
	}
	if ((m = cbor_new_definite_map(3)) == NULL)
		goto out;
	err |= cb_put(m, cbor_build_string("alg"), cb_int(COSE_ES256));
	err |= cb_put(m, cbor_build_string("sig"), cb_bytes(sig.ptr, sig.len));
	x5c = cbor_new_definite_array(1);
	err |= cb_push(x5c, cb_bytes(cert.ptr, cert.len));
	err |= cb_put(m, cbor_build_string("x5c"), x5c);
	if (err)
		cbor_decref(&m);
out:
	EVP_PKEY_free(k);
	buf_free(&cert);
	buf_free(&pem);
	buf_free(&sig);
	return m;
}

/* attStmt for "packed" self attestation: signed by the credential key. */
static cbor_item_t *
sf_att_self(const struct sf_cred *c, const struct sf_buf *ad,
    const unsigned char *cdh, size_t cdh_len)
{
	struct sf_buf sig = { 0 };
	cbor_item_t *m = NULL;

	if (sign_concat(c->key, ad->ptr, ad->len, cdh, cdh_len, &sig) == 0 &&
	    (m = cbor_new_definite_map(2)) != NULL &&
	    (cb_put(m, cbor_build_string("alg"), cb_int(c->alg)) < 0 ||
	    cb_put(m, cbor_build_string("sig"), cb_bytes(sig.ptr, sig.len)) < 0))
		cbor_decref(&m);
	buf_free(&sig);
	return m;
}

static uint8_t
sf_cred_reply(const struct sf_dev *d, const struct sf_cred *c,
    const struct sf_buf *ad, const unsigned char *cdh, size_t cdh_len,
    cbor_item_t **out)
{
	cbor_item_t *m, *fmt, *stmt;
	int err = 0;

	switch (sf_att_mode(d)) {
	case ATT_NONE:
		fmt = cbor_build_string("none");
		stmt = cbor_new_definite_map(0);
		break;
	case ATT_X5C:
		fmt = cbor_build_string("packed");
		stmt = sf_att_x5c(d, ad, cdh, cdh_len);
		break;
	default:
		fmt = cbor_build_string("packed");
		stmt = sf_att_self(c, ad, cdh, cdh_len);
		break;
	}
	m = cbor_new_definite_map(3);
	err |= cb_put(m, cb_uint(1), fmt);
	err |= cb_put(m, cb_uint(2), cb_bytes(ad->ptr, ad->len));
	err |= cb_put(m, cb_uint(3), stmt);
	if (err) {
		if (m != NULL)
			cbor_decref(&m);
		return ST_OTHER;
	}
	*out = m;
	return ST_OK;
}

static uint8_t
sf_make_cred(struct sf_dev *d, const cbor_item_t *req, cbor_item_t **out)
{
	const unsigned char *cdh;
	unsigned char rpid_hash[32];
	struct sf_buf ad = { 0 };
	struct sf_cred c;
	char rpid[256];
	size_t cdh_len;
	int alg = 0, rk = 0, up = 1, uv_opt = 0, uv = 0;
	uint8_t st, flags;

	if (cb_get_bytes(cb_get(req, 1), &cdh, &cdh_len) < 0 ||
	    cb_get_string(cb_get_text(cb_get(req, 2), "id"), rpid,
	    sizeof(rpid)) < 0 || cb_get(req, 3) == NULL)
		return ST_MISSING_PARAMETER;
	if ((st = sf_pick_alg(d, cb_get(req, 4), &alg)) != ST_OK ||
	    (st = sf_options(cb_get(req, 7), &rk, &up, &uv_opt)) != ST_OK ||
	    (st = sf_pin_auth(d, cdh, cdh_len, cb_get(req, 8), cb_get(req, 9),
	    &uv)) != ST_OK)
		return st;
	if (uv_opt && !uv)
		return ST_UNSUPPORTED_OPTION;	/* no built-in UV */
	if (sha256(rpid, strlen(rpid), rpid_hash) < 0)
		return ST_OTHER;
	if ((st = sf_check_exclude(d, cb_get(req, 5), rpid_hash)) != ST_OK ||
	    (st = sf_user_presence(d)) != ST_OK)
		return st;
	if (sf_new_cred(&c, alg, rpid_hash, cb_get(req, 3), rk) < 0) {
		sf_cred_free(&c);
		return ST_OTHER;
	}
	flags = AD_UP | AD_AT | (uv ? AD_UV : 0);
	st = ST_OTHER;
	if (sf_cred_authdata(d, &c, flags, &ad) == 0 && !ad.err &&
	    sf_cred_save(d, &c) == 0)
		st = sf_cred_reply(d, &c, &ad, cdh, cdh_len, out);
	buf_free(&ad);
	sf_cred_free(&c);
	return st;
}

/*
 * authenticatorGetAssertion (0x02).
 */

static uint8_t
sf_assert_flags(const struct sf_dev *d, int up, int uv)
{
	uint8_t flags = 0;

	if (up && sf_fault(d) != F_NO_UP)
		flags |= AD_UP;
	if (uv && sf_fault(d) != F_NO_UV)
		flags |= AD_UV;
	if (sf_fault(d) == F_AT)
		flags |= AD_AT;
	if (sf_fault(d) == F_ED)
		flags |= AD_ED;
	return flags;
}

/* rpIdHash | flags | counter [| extensions] */
static int
sf_assert_authdata(const struct sf_dev *d, const struct sf_cred *c,
    uint8_t flags, struct sf_buf *ad)
{
	cbor_item_t *ext;
	int r = 0;

	buf_add(ad, c->rpid_hash, 32);
	buf_u8(ad, flags);
	buf_be32(ad, sf_counter_next(d));
	if (flags & AD_ED) {
		if ((ext = cbor_new_definite_map(1)) == NULL ||
		    cb_put(ext, cbor_build_string("credProtect"),
		    cb_uint(1)) < 0 || cb_serialize(ext, ad) < 0)
			r = -1;
		if (ext != NULL)
			cbor_decref(&ext);
	}
	return (r < 0 || ad->err) ? -1 : 0;
}

static uint8_t
sf_assert_reply(const struct sf_cred *c, int resident,
    const struct sf_buf *ad, struct sf_buf *sig, cbor_item_t **out)
{
	cbor_item_t *m, *user;
	int err = 0;

	if ((m = cbor_new_definite_map(4)) == NULL)
		return ST_OTHER;
	err |= cb_put(m, cb_uint(1), cb_cred_descriptor(c->id, sizeof(c->id)));
	err |= cb_put(m, cb_uint(2), cb_bytes(ad->ptr, ad->len));
	err |= cb_put(m, cb_uint(3), cb_bytes(sig->ptr, sig->len));
	if (resident) {
		user = cbor_new_definite_map(1);
		err |= cb_put(user, cbor_build_string("id"),
		    cb_bytes(c->user, c->user_len));
		err |= cb_put(m, cb_uint(4), user);
	}
	if (err) {
		cbor_decref(&m);
		return ST_OTHER;
	}
	*out = m;
	return ST_OK;
}

static uint8_t
sf_get_assert(struct sf_dev *d, const cbor_item_t *req, cbor_item_t **out)
{
	const unsigned char *cdh;
	unsigned char rpid_hash[32];
	struct sf_buf ad = { 0 }, sig = { 0 };
	struct sf_cred c;
	char rpid[256];
	size_t cdh_len;
	int rk = 0, up = 1, uv_opt = 0, uv = 0, resident;
	uint8_t st;

	if (cb_get_string(cb_get(req, 1), rpid, sizeof(rpid)) < 0 ||
	    cb_get_bytes(cb_get(req, 2), &cdh, &cdh_len) < 0)
		return ST_MISSING_PARAMETER;
	if ((st = sf_options(cb_get(req, 5), &rk, &up, &uv_opt)) != ST_OK ||
	    (st = sf_pin_auth(d, cdh, cdh_len, cb_get(req, 6), cb_get(req, 7),
	    &uv)) != ST_OK)
		return st;
	if (uv_opt && !uv)
		return ST_UNSUPPORTED_OPTION;	/* no built-in UV */
	if (sha256(rpid, strlen(rpid), rpid_hash) < 0)
		return ST_OTHER;
	if ((st = sf_cred_find(d, cb_get(req, 3), rpid_hash, &c,
	    &resident)) != ST_OK)
		return st;
	if (sf_fault(d) == F_LOSE_CRED)
		st = ST_NO_CREDENTIALS;
	else
		st = sf_user_presence(d);
	if (st == ST_OK) {
		st = ST_OTHER;
		if (sf_assert_authdata(d, &c, sf_assert_flags(d, up, uv),
		    &ad) == 0 && sign_concat(c.key, ad.ptr, ad.len, cdh,
		    cdh_len, &sig) == 0) {
			if (sf_fault(d) == F_BAD_SIG)
				corrupt_sig(sig.ptr, sig.len);
			st = sf_assert_reply(&c, resident, &ad, &sig, out);
		}
	}
	buf_free(&ad);
	buf_free(&sig);
	sf_cred_free(&c);
	return st;
}

/*
 * authenticatorClientPIN (0x06), PIN protocol 1.
 */

static EVP_PKEY *
sf_key_agreement(struct sf_dev *d)
{
	if (d->ka == NULL)
		d->ka = key_generate(COSE_ES256);
	return d->ka;
}

static uint8_t
sf_pin_retries(struct sf_dev *d, cbor_item_t **out)
{
	cbor_item_t *m;

	m = cbor_new_definite_map(1);
	if (cb_put(m, cb_uint(3),
	    cb_uint(sf_read_ulong(d, "pin_retries", SF_PIN_RETRIES))) < 0) {
		if (m != NULL)
			cbor_decref(&m);
		return ST_OTHER;
	}
	*out = m;
	return ST_OK;
}

static uint8_t
sf_pin_key_agreement(struct sf_dev *d, cbor_item_t **out)
{
	cbor_item_t *m;
	EVP_PKEY *k;

	if ((k = sf_key_agreement(d)) == NULL)
		return ST_OTHER;
	m = cbor_new_definite_map(1);
	if (cb_put(m, cb_uint(1), cose_key(k, COSE_ECDH_ES256)) < 0) {
		if (m != NULL)
			cbor_decref(&m);
		return ST_OTHER;
	}
	*out = m;
	return ST_OK;
}

/* Decrypt pinHashEnc and compare it with LEFT(SHA-256(pin), 16). */
static int
sf_pin_matches(struct sf_dev *d, const unsigned char *secret,
    const unsigned char *enc)
{
	unsigned char dec[16];
	int r;

	if (aes256_cbc(0, secret, enc, 16, dec) < 0)
		return -1;
	r = CRYPTO_memcmp(dec, d->cfg.pin_hash, 16) == 0 ? 1 : 0;
	OPENSSL_cleanse(dec, sizeof(dec));
	return r;
}

static uint8_t
sf_pin_mismatch(struct sf_dev *d, struct sf_power *pw, unsigned long left)
{
	EVP_PKEY_free(d->ka);		/* a new key agreement key */
	d->ka = NULL;
	pw->mismatches++;
	if (left == 0)
		return ST_PIN_BLOCKED;
	if (pw->mismatches >= SF_PIN_MISMATCHES)
		return ST_PIN_AUTH_BLOCKED;
	return ST_PIN_INVALID;
}

static uint8_t
sf_pin_token_reply(const unsigned char *secret, const struct sf_power *pw,
    cbor_item_t **out)
{
	unsigned char enc[SF_TOKEN_LEN];
	cbor_item_t *m;

	if (aes256_cbc(1, secret, pw->token, sizeof(pw->token), enc) < 0)
		return ST_OTHER;
	m = cbor_new_definite_map(1);
	if (cb_put(m, cb_uint(2), cb_bytes(enc, sizeof(enc))) < 0) {
		if (m != NULL)
			cbor_decref(&m);
		return ST_OTHER;
	}
	*out = m;
	return ST_OK;
}

static uint8_t
sf_pin_token(struct sf_dev *d, const cbor_item_t *req, cbor_item_t **out)
{
	struct sf_power *pw = sf_power_get(d);
	const cbor_item_t *ka = cb_get(req, 3);
	const unsigned char *enc, *x, *y;
	unsigned char secret[32];
	size_t enc_len, xlen, ylen;
	unsigned long left;
	EVP_PKEY *peer, *own;
	uint8_t st;
	int ok;

	if (!d->cfg.has_pin)
		return ST_PIN_NOT_SET;
	if (ka == NULL || cb_get_bytes(cb_get(req, 6), &enc, &enc_len) < 0)
		return ST_MISSING_PARAMETER;
	if (cb_get_bytes(cb_get(ka, -2), &x, &xlen) < 0 || xlen != 32 ||
	    cb_get_bytes(cb_get(ka, -3), &y, &ylen) < 0 || ylen != 32 ||
	    enc_len != 16)
		return ST_INVALID_PARAMETER;
	if ((left = sf_read_ulong(d, "pin_retries", SF_PIN_RETRIES)) == 0)
		return ST_PIN_BLOCKED;
	if (pw->mismatches >= SF_PIN_MISMATCHES)
		return ST_PIN_AUTH_BLOCKED;
	if ((own = sf_key_agreement(d)) == NULL ||
	    (peer = ec_from_point(x, y)) == NULL)
		return ST_INVALID_PARAMETER;
	ok = ecdh_secret(own, peer, secret);
	EVP_PKEY_free(peer);
	if (ok < 0)
		return ST_OTHER;
	sf_write_ulong(d, "pin_retries", --left);
	if ((ok = sf_pin_matches(d, secret, enc)) < 0)
		st = ST_OTHER;
	else if (ok == 0)
		st = sf_pin_mismatch(d, pw, left);
	else {
		pw->mismatches = 0;
		sf_write_ulong(d, "pin_retries", SF_PIN_RETRIES);
		if (!pw->have_token &&
		    RAND_bytes(pw->token, sizeof(pw->token)) == 1)
			pw->have_token = 1;
		st = pw->have_token ? sf_pin_token_reply(secret, pw, out) :
		    ST_OTHER;
	}
	OPENSSL_cleanse(secret, sizeof(secret));
	return st;
}

static uint8_t
sf_client_pin(struct sf_dev *d, const cbor_item_t *req, cbor_item_t **out)
{
	int64_t proto, sub;

	if (cb_intval(cb_get(req, 1), &proto) < 0 ||
	    cb_intval(cb_get(req, 2), &sub) < 0)
		return ST_MISSING_PARAMETER;
	if (proto != 1)
		return ST_INVALID_PARAMETER;
	switch (sub) {
	case PIN_GET_RETRIES:
		return sf_pin_retries(d, out);
	case PIN_GET_KEY_AGREEMENT:
		return sf_pin_key_agreement(d, out);
	case PIN_GET_TOKEN:
		return sf_pin_token(d, req, out);
	default:
		return ST_INVALID_COMMAND;	/* setPIN, changePIN, ... */
	}
}

/*
 * CTAP2 dispatch: msg = command byte | CBOR parameters.  The reply is a
 * status byte, followed by a CBOR map on success.
 */
static void
sf_ctap(struct sf_dev *d, const unsigned char *msg, size_t len,
    struct sf_buf *out)
{
	struct cbor_load_result res;
	cbor_item_t *req = NULL, *resp = NULL;
	uint8_t st;

	if (len < 1) {
		buf_u8(out, ST_INVALID_LENGTH);
		return;
	}
	if (len > 1 && ((req = cbor_load(msg + 1, len - 1, &res)) == NULL ||
	    !cbor_isa_map(req))) {
		st = ST_INVALID_CBOR;
		goto out;
	}
	switch (msg[0]) {
	case CTAP_GET_INFO:
		st = sf_get_info(d, &resp);
		break;
	case CTAP_MAKE_CRED:
		st = sf_make_cred(d, req, &resp);
		break;
	case CTAP_GET_ASSERT:
		st = sf_get_assert(d, req, &resp);
		break;
	case CTAP_CLIENT_PIN:
		st = sf_client_pin(d, req, &resp);
		break;
	default:
		st = ST_INVALID_COMMAND;
		break;
	}
out:
	buf_u8(out, st);
	if (st == ST_OK && resp != NULL && cb_serialize(resp, out) < 0) {
		buf_reset(out);
		buf_u8(out, ST_OTHER);
	}
	if (resp != NULL)
		cbor_decref(&resp);
	if (req != NULL)
		cbor_decref(&req);
}

/*
 * CTAPHID: run one complete request and queue its reply in d->rep.
 */

static void
sf_hid_init(struct sf_dev *d, const unsigned char *nonce)
{
	unsigned char cid[4];

	do {
		if (RAND_bytes(cid, sizeof(cid)) != 1) {
			d->rep.err = 1;
			return;
		}
	} while (memcmp(cid, "\0\0\0\0", 4) == 0 ||
	    memcmp(cid, "\xff\xff\xff\xff", 4) == 0);
	buf_add(&d->rep, nonce, 8);
	buf_add(&d->rep, cid, sizeof(cid));
	buf_u8(&d->rep, 2);		/* CTAPHID protocol version */
	buf_u8(&d->rep, 1);		/* device version 1.2.3 */
	buf_u8(&d->rep, 2);
	buf_u8(&d->rep, 3);
	buf_u8(&d->rep, HID_CAPS);
}

/* Queue d->rep as the reply to `cid'. */
static void
sf_reply_queue(struct sf_dev *d, const unsigned char *cid, uint8_t cmd)
{
	memcpy(d->rep_cid, cid, 4);
	d->rep_cmd = cmd;
	d->rep_seq = 0;
	d->rep_off = 0;
	d->rep_started = 0;
	d->rep_busy = 1;
}

static void
sf_hid_error(struct sf_dev *d, const unsigned char *cid, uint8_t code)
{
	buf_reset(&d->rep);
	buf_u8(&d->rep, code);
	sf_reply_queue(d, cid, HID_ERROR);
}

static void
sf_hid(struct sf_dev *d, const unsigned char *cid, uint8_t cmd,
    const unsigned char *data, size_t len)
{
	buf_reset(&d->rep);
	d->rep_busy = 0;
	switch (cmd) {
	case HID_INIT:
		if (len != 8) {
			sf_hid_error(d, cid, HID_ERR_INVALID_LEN);
			return;
		}
		sf_hid_init(d, data);
		break;
	case HID_PING:
		buf_add(&d->rep, data, len);
		break;
	case HID_WINK:
		break;
	case HID_CBOR:
		sf_ctap(d, data, len, &d->rep);
		break;
	case HID_CANCEL:
		return;				/* no reply */
	default:				/* MSG (U2F) included */
		sf_hid_error(d, cid, HID_ERR_INVALID_CMD);
		return;
	}
	if (d->dead)
		buf_reset(&d->rep);		/* the reply is lost */
	else if (d->rep.err)
		sf_hid_error(d, cid, HID_ERR_OTHER);
	else
		sf_reply_queue(d, cid, cmd);
}

/*
 * HID report level io (fido_dev_io_t).
 */

static int
sf_parse_path(const char *path, unsigned *idx)
{
	size_t n = strlen(SF_PREFIX);
	unsigned long v;

	if (path == NULL || strncmp(path, SF_PREFIX, n) != 0 ||
	    parse_ulong(path + n, SF_MAXDEV - 1, &v) < 0)
		return -1;
	*idx = (unsigned)v;
	return 0;
}

static void *
sf_io_open(const char *path)
{
	const char *root = getenv("SOFTFIDO_DIR");
	struct sf_dev *d;
	char name[32];
	unsigned idx;

	if (root == NULL || sf_parse_path(path, &idx) < 0 ||
	    (d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	(void)snprintf(name, sizeof(name), "dev%u", idx);
	d->idx = idx;
	if (snprintf(d->root, sizeof(d->root), "%s", root) >=
	    (int)sizeof(d->root) ||
	    sf_path(d->dir, sizeof(d->dir), root, name) < 0 ||
	    sf_config_load(root, &d->cfg) < 0 || idx >= d->cfg.ndev ||
	    sf_dev_removed(root, idx) ||
	    (mkdir(d->dir, 0700) != 0 && errno != EEXIST)) {
		free(d);
		return NULL;
	}
	return d;
}

static void
sf_io_close(void *handle)
{
	struct sf_dev *d = handle;

	if (d == NULL)
		return;
	buf_free(&d->req);
	buf_free(&d->rep);
	EVP_PKEY_free(d->ka);
	OPENSSL_cleanse(d, sizeof(*d));		/* the PIN hash */
	free(d);
}

static int
sf_io_read(void *handle, unsigned char *buf, size_t len, int ms)
{
	struct sf_dev *d = handle;
	size_t n, left;

	(void)ms;
	if (d->dead || !d->rep_busy || len < SF_REPORT_LEN)
		return -1;
	memset(buf, 0, SF_REPORT_LEN);
	memcpy(buf, d->rep_cid, 4);
	left = d->rep.len - d->rep_off;
	if (!d->rep_started) {
		n = left < SF_INIT_DATA ? left : SF_INIT_DATA;
		buf[4] = d->rep_cmd | 0x80;
		buf[5] = (unsigned char)(d->rep.len >> 8);
		buf[6] = (unsigned char)d->rep.len;
		if (n > 0)
			memcpy(buf + 7, d->rep.ptr + d->rep_off, n);
		d->rep_started = 1;
	} else {
		n = left < SF_CONT_DATA ? left : SF_CONT_DATA;
		buf[4] = d->rep_seq++;
		memcpy(buf + 5, d->rep.ptr + d->rep_off, n);
	}
	d->rep_off += n;
	if (d->rep_off == d->rep.len)
		d->rep_busy = 0;
	return SF_REPORT_LEN;
}

/* Start reassembling a request from its initialisation frame. */
static void
sf_req_start(struct sf_dev *d, const unsigned char *frame)
{
	size_t n;

	buf_reset(&d->req);
	memcpy(d->req_cid, frame, 4);
	d->req_cmd = frame[4] & 0x7f;
	d->req_len = (size_t)frame[5] << 8 | frame[6];
	d->req_seq = 0;
	if (d->req_len > SF_MAX_MSG) {
		d->req_busy = 0;
		sf_hid_error(d, frame, HID_ERR_INVALID_LEN);
		return;
	}
	n = d->req_len < SF_INIT_DATA ? d->req_len : SF_INIT_DATA;
	buf_add(&d->req, frame + 7, n);
	d->req_busy = 1;
}

static void
sf_req_continue(struct sf_dev *d, const unsigned char *frame)
{
	size_t n, left;

	if (!d->req_busy || memcmp(frame, d->req_cid, 4) != 0)
		return;				/* not ours: ignore */
	if (frame[4] != d->req_seq) {
		d->req_busy = 0;
		sf_hid_error(d, frame, HID_ERR_INVALID_SEQ);
		return;
	}
	d->req_seq++;
	left = d->req_len - d->req.len;
	n = left < SF_CONT_DATA ? left : SF_CONT_DATA;
	buf_add(&d->req, frame + 5, n);
}

static int
sf_io_write(void *handle, const unsigned char *buf, size_t len)
{
	struct sf_dev *d = handle;
	const unsigned char *frame = buf + 1;	/* skip the report ID */

	if (d->dead || len != SF_REPORT_LEN + 1)
		return -1;
	if (frame[4] & 0x80)
		sf_req_start(d, frame);
	else
		sf_req_continue(d, frame);
	if (d->req_busy && d->req.len == d->req_len) {
		d->req_busy = 0;
		if (d->req.err)
			sf_hid_error(d, d->req_cid, HID_ERR_OTHER);
		else
			sf_hid(d, d->req_cid, d->req_cmd, d->req.ptr,
			    d->req.len);
	}
	return (int)len;	/* a disconnect shows on the next read */
}

/*
 * Message level transport (fido_dev_transport_t), for devices made with
 * fido_dev_new_with_info() from the manifest.
 */

static int
sf_tp_tx(fido_dev_t *dev, uint8_t cmd, const unsigned char *buf, size_t len)
{
	static const unsigned char bcast[4] = { 0xff, 0xff, 0xff, 0xff };
	struct sf_dev *d = fido_dev_io_handle(dev);

	if (d == NULL || d->dead)
		return -1;
	sf_hid(d, bcast, cmd, buf, len);
	return 0;		/* a disconnect shows on the next rx */
}

static int
sf_tp_rx(fido_dev_t *dev, uint8_t cmd, unsigned char *buf, size_t len,
    int ms)
{
	struct sf_dev *d = fido_dev_io_handle(dev);
	size_t n;

	(void)ms;
	if (d == NULL || d->dead || !d->rep_busy || d->rep_cmd != cmd ||
	    (n = d->rep.len) > len || n > INT_MAX)
		return -1;
	if (n > 0)
		memcpy(buf, d->rep.ptr, n);
	d->rep_busy = 0;
	return (int)n;
}

/*
 * The interposed libfido2 functions.
 */

typedef int sf_open_fn(fido_dev_t *, const char *);
typedef int sf_manifest_fn(fido_dev_info_t *, size_t, size_t *);

static void *
sf_next(const char *name)
{
	void *sym;

	if ((sym = dlsym(RTLD_NEXT, name)) == NULL)
		sf_warn("dlsym", dlerror());
	return sym;
}

int
fido_dev_info_manifest(fido_dev_info_t *devlist, size_t ilen, size_t *olen)
{
	static sf_manifest_fn *real;
	const char *root = getenv("SOFTFIDO_DIR");
	struct sf_config cfg;
	char path[32], product[32];
	void *sym;
	int r;

	if (root == NULL) {
		if (real == NULL) {
			if ((sym = sf_next("fido_dev_info_manifest")) == NULL)
				return FIDO_ERR_INTERNAL;
			memcpy(&real, &sym, sizeof(real));
		}
		return real(devlist, ilen, olen);
	}
	*olen = 0;
	if (sf_config_load(root, &cfg) < 0)
		return FIDO_ERR_INTERNAL;
	for (unsigned i = 0; i < cfg.ndev && *olen < ilen; i++) {
		if (sf_dev_removed(root, i))
			continue;
		(void)snprintf(path, sizeof(path), "%s%u", SF_PREFIX, i);
		(void)snprintf(product, sizeof(product), "softfido %u", i);
		if ((r = fido_dev_info_set(devlist, *olen, path,
		    SF_MANUFACTURER, product, &sf_io, &sf_transport)) !=
		    FIDO_OK)
			return r;
		(*olen)++;
	}
	return FIDO_OK;
}

int
fido_dev_open(fido_dev_t *dev, const char *path)
{
	static sf_open_fn *real;
	void *sym;
	int r;

	if (real == NULL) {
		if ((sym = sf_next("fido_dev_open")) == NULL)
			return FIDO_ERR_INTERNAL;
		memcpy(&real, &sym, sizeof(real));
	}
	if (path != NULL && strncmp(path, SF_PREFIX, strlen(SF_PREFIX)) == 0 &&
	    (r = fido_dev_set_io_functions(dev, &sf_io)) != FIDO_OK)
		return r;
	return real(dev, path);
}
