/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CRA records: record kinds, and the check of a predicate against the
 * schema and the rules: the manufacturer's records (specs/cra.md §2 to
 * §6, rules §7.1) and the chain of custody's importer and distributor
 * records (specs/chain.md §1, §2).
 *
 * The check collects every finding.  Its order is fixed: first the
 * schema walk (members in the order of the spec tables, then unknown
 * members in document order, then each object's conditional members),
 * then the legal rules in the order of their ids.  Where a legal rule
 * owns a required member (DOC-1 the Annex V items, REL-6 the contact
 * data, ...), a missing or malformed member is reported once, under
 * that rule's id (the "relabel" table below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attest/cra.h"
#include "crypto.h"
#include "formats_int.h"
#include "cra_int.h"
#include "json_int.h"

#define STMT_V1		"https://in-toto.io/Statement/v1"
#define CRA_CELEX	"32024R2847"
#define CRA_REGULATION	"Regulation (EU) 2024/2847"
#define MAX_STR_BYTES	4096
#define PATH_BYTES	256
#define MSG_BYTES	512

/* Kinds -------------------------------------------------------------------- */

attest_cra_kind_t
attest_cra_kind_from_type(const char *predicate_type)
{
	if (predicate_type == NULL)
		return ATTEST_CRA_NONE;
	if (strcmp(predicate_type, ATTEST_CRA_DOC_TYPE) == 0)
		return ATTEST_CRA_DOC;
	if (strcmp(predicate_type, ATTEST_CRA_SDOC_TYPE) == 0)
		return ATTEST_CRA_SDOC;
	if (strcmp(predicate_type, ATTEST_CRA_RELEASE_TYPE) == 0)
		return ATTEST_CRA_RELEASE;
	if (strcmp(predicate_type, ATTEST_CRA_IMPORT_TYPE) == 0)
		return ATTEST_CRA_IMPORT;
	if (strcmp(predicate_type, ATTEST_CRA_DISTRIBUTION_TYPE) == 0)
		return ATTEST_CRA_DISTRIBUTION;
	return ATTEST_CRA_NONE;
}

const char *
attest_cra_predicate_type(attest_cra_kind_t kind)
{
	switch (kind) {
	case ATTEST_CRA_DOC:
		return ATTEST_CRA_DOC_TYPE;
	case ATTEST_CRA_SDOC:
		return ATTEST_CRA_SDOC_TYPE;
	case ATTEST_CRA_RELEASE:
		return ATTEST_CRA_RELEASE_TYPE;
	case ATTEST_CRA_IMPORT:
		return ATTEST_CRA_IMPORT_TYPE;
	case ATTEST_CRA_DISTRIBUTION:
		return ATTEST_CRA_DISTRIBUTION_TYPE;
	case ATTEST_CRA_NONE:
		break;
	}
	return NULL;
}

int
attest_cra_operator_same(const char *name_a, const char *country_a,
    const char *name_b, const char *country_b)
{
	if (name_a == NULL || name_b == NULL || strcmp(name_a, name_b) != 0)
		return 0;
	return country_a == NULL || country_b == NULL ||
	    strcmp(country_a, country_b) == 0;
}

const char *
attest_cra_kind_name(attest_cra_kind_t kind)
{
	switch (kind) {
	case ATTEST_CRA_DOC:
		return "doc";
	case ATTEST_CRA_SDOC:
		return "sdoc";
	case ATTEST_CRA_RELEASE:
		return "release";
	case ATTEST_CRA_IMPORT:
		return "import";
	case ATTEST_CRA_DISTRIBUTION:
		return "distribution";
	case ATTEST_CRA_NONE:
		break;
	}
	return NULL;
}

/* Findings ----------------------------------------------------------------- */

struct cra_finding {
	int		 sev;
	const char	*rule;		/* static */
	char		*field;
	char		*msg;
	const char	*basis;		/* static */
};

struct attest_cra_findings {
	struct cra_finding	*f;
	size_t			 n;
	size_t			 cap;
	size_t			 nerr;
	size_t			 dropped;	/* beyond ATTEST_MAX_FINDINGS */
	size_t			 dropped_err;
};

size_t
attest_cra_findings_count(const attest_cra_findings_t *f)
{
	return f == NULL ? 0 : f->n;
}

size_t
attest_cra_findings_errors(const attest_cra_findings_t *f)
{
	return f == NULL ? 0 : f->nerr;
}

int
attest_cra_finding_severity(const attest_cra_findings_t *f, size_t i)
{
	return (f == NULL || i >= f->n) ? 0 : f->f[i].sev;
}

const char *
attest_cra_finding_rule(const attest_cra_findings_t *f, size_t i)
{
	return (f == NULL || i >= f->n) ? NULL : f->f[i].rule;
}

const char *
attest_cra_finding_field(const attest_cra_findings_t *f, size_t i)
{
	return (f == NULL || i >= f->n) ? NULL : f->f[i].field;
}

const char *
attest_cra_finding_message(const attest_cra_findings_t *f, size_t i)
{
	return (f == NULL || i >= f->n) ? NULL : f->f[i].msg;
}

const char *
attest_cra_finding_basis(const attest_cra_findings_t *f, size_t i)
{
	return (f == NULL || i >= f->n) ? NULL : f->f[i].basis;
}

void
attest_cra_findings_free(attest_cra_findings_t **fp)
{
	attest_cra_findings_t *f;
	size_t i;

	if (fp == NULL || (f = *fp) == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->f[i].field);
		free(f->f[i].msg);
	}
	free(f->f);
	free(f);
	*fp = NULL;
}

/* The state of one check. */
struct cx {
	attest_cra_kind_t		 kind;
	const attest_cra_context_t	*ctx;
	const json_t			*doc_pred;	/* parsed DoC, or NULL */
	const char			*doc_sha;	/* its payload SHA-256 */
	json_t				*doc_owned;	/* ctx's, parsed */
	int				 doc_state;	/* DOC_* */
	char				 doc_hex[65];
	const json_t			*root;
	attest_cra_findings_t		*out;
	int				 oom;
};

static void add(struct cx *, int, const char *, const char *, const char *,
    const char *, ...) ATTEST_PRINTF(6, 7);

static void
add(struct cx *cx, int sev, const char *rule, const char *field,
    const char *basis, const char *fmt, ...)
{
	attest_cra_findings_t *o = cx->out;
	struct cra_finding *n, *f;
	char raw[2 * MSG_BYTES], msg[MSG_BYTES];
	va_list ap;

	/*
	 * Findings beyond ATTEST_MAX_FINDINGS are counted, not kept: a
	 * record of many bad elements or unknown members must not cost a
	 * finding's hundred bytes for each few bytes of its text.
	 */
	if (o->n >= ATTEST_MAX_FINDINGS && strcmp(rule, "S-6") != 0) {
		o->dropped++;
		if (sev == ATTEST_CRA_ERROR) {
			o->dropped_err++;
			o->nerr++;
		}
		return;
	}
	va_start(ap, fmt);
	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* values from the record end up here: no terminal controls */
	(void)attest_text_escape(msg, sizeof(msg), raw, 0);
	if (cx->oom)
		return;
	if (o->n == o->cap) {
		if (o->cap > SIZE_MAX / (2 * sizeof(*n)) ||
		    (n = realloc(o->f, (o->cap ? 2 * o->cap : 16) *
		    sizeof(*n))) == NULL) {
			cx->oom = 1;
			return;
		}
		o->f = n;
		o->cap = o->cap ? 2 * o->cap : 16;
	}
	f = &o->f[o->n];
	f->sev = sev;
	f->rule = rule;
	f->basis = basis;
	/* a field path holds the record's own member names */
	f->field = attest_text_escape_alloc(field, 0);
	f->msg = strdup(msg);
	if (f->field == NULL || f->msg == NULL) {
		free(f->field);
		free(f->msg);
		cx->oom = 1;
		return;
	}
	o->n++;
	if (sev == ATTEST_CRA_ERROR)
		o->nerr++;
}

#define E	ATTEST_CRA_ERROR
#define W	ATTEST_CRA_WARNING

/* Reading the record ------------------------------------------------------- */

/* Member at a dotted path ("a.b.c", no array indices) of @p o, or NULL. */
static const json_t *
get(const json_t *o, const char *path)
{
	char seg[64];
	const char *p = path, *dot;
	size_t n;

	while (o != NULL && *p != '\0') {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(seg))
			return NULL;
		memcpy(seg, p, n);
		seg[n] = '\0';
		o = json_is_object(o) ? json_object_get(o, seg) : NULL;
		p += n + (dot != NULL);
	}
	return o;
}

static int
is_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' &&
		    *s != '\f' && *s != '\v')
			return 0;
	return 1;
}

/* A non-blank string at @p path, else NULL. */
static const char *
str(const json_t *o, const char *path)
{
	const json_t *v = get(o, path);
	const char *s;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	return is_blank(s) ? NULL : s;
}

static int
str_is(const json_t *o, const char *path, const char *want)
{
	const char *s = str(o, path);

	return s != NULL && strcmp(s, want) == 0;
}

static int
is_true(const json_t *o, const char *path)
{
	return json_is_true(get(o, path));
}

/* Present and not an empty array, object or blank string. */
static int
has(const json_t *o, const char *path)
{
	const json_t *v = get(o, path);

	if (v == NULL)
		return 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_object(v))
		return json_object_size(v) > 0;
	if (json_is_string(v))
		return !is_blank(json_string_value(v));
	return 1;
}

/* Dates (specs/cra.md §2, §7.2) -------------------------------------------- */

/* A full date at @p path (1), else 0. */
static int
date_at(const json_t *o, const char *path, struct attest_ymd *out)
{
	const char *s = str(o, path);

	return s != NULL && attest_ymd_parse(s, 0, out) == ATTEST_YMD_DATE;
}

/* A date or month (as its last day) at @p path. */
static int
end_at(const json_t *o, const char *path, struct attest_ymd *out)
{
	const char *s = str(o, path);

	return s != NULL && attest_ymd_parse(s, 0, out) != ATTEST_YMD_BAD;
}

static const struct attest_ymd *
ymd_max(const struct attest_ymd *a, const struct attest_ymd *b)
{
	return attest_ymd_cmp(a, b) >= 0 ? a : b;
}


/* Formats (specs/cra.md §2) ------------------------------------------------ */

static int
is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int
all_of(const char *s, size_t n, int (*pred)(int))
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!pred((unsigned char)s[i]))
			return 0;
	return 1;
}

/* BCP 47 states: what the last subtag was. */
enum { L_LANG, L_EXT1, L_EXT2, L_EXT3, L_SCRIPT, L_REGION, L_VARIANT,
    L_SINGLETON, L_EXTENSION, L_XSTART, L_PRIVATE };

/* The state after subtag @p t (@p n bytes) in state @p st, or -1. */
static int
lang_step(int st, const char *t, size_t n)
{
	if (n < 1 || n > 8 || !all_of(t, n, is_alnum))
		return -1;
	if (st == L_XSTART || st == L_PRIVATE)
		return L_PRIVATE;
	if (st == L_SINGLETON)
		return n >= 2 ? L_EXTENSION : -1;
	if (n == 1)
		return (t[0] == 'x' || t[0] == 'X') ? L_XSTART : L_SINGLETON;
	if (st == L_EXTENSION)
		return L_EXTENSION;
	if (st <= L_EXT2 && n == 3 && all_of(t, n, is_alpha))
		return st + 1;
	if (st < L_SCRIPT && n == 4 && all_of(t, n, is_alpha))
		return L_SCRIPT;
	if (st < L_REGION && ((n == 2 && all_of(t, n, is_alpha)) ||
	    (n == 3 && all_of(t, n, is_digit))))
		return L_REGION;
	if ((n >= 5 && n <= 8) || (n == 4 && is_digit((unsigned char)t[0])))
		return L_VARIANT;
	return -1;
}

/*
 * RFC 5646 §2.1 well-formedness, no registry: a language of 2 or 3
 * letters (specs/cra.md §2; the 4-8 letter forms and the grandfathered
 * tags are refused), up to three extlangs, script, region, variants,
 * extensions, private use; or a private-use tag alone.
 */
static int
lang_ok(const char *s)
{
	const char *p = s, *dash;
	size_t n;
	int st = -2;

	for (;;) {
		dash = strchr(p, '-');
		n = dash != NULL ? (size_t)(dash - p) : strlen(p);
		if (st == -2 && n == 1 && (*p == 'x' || *p == 'X'))
			st = L_XSTART;
		else if (st == -2)
			st = (n == 2 || n == 3) && all_of(p, n, is_alpha) ?
			    L_LANG : -1;
		else
			st = lang_step(st, p, n);
		if (st < 0)
			return 0;
		if (dash == NULL)
			break;
		p = dash + 1;
	}
	return st != L_SINGLETON && st != L_XSTART;
}

static int
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 3986 absolute URI: scheme ":" and URI characters after it. */
static int
uri_ok(const char *s)
{
	static const char ok[] = "-._~:/?#[]@!$&'()*+,;=";
	const char *p;

	if (!is_alpha((unsigned char)*s))
		return 0;
	for (p = s + 1; is_alnum((unsigned char)*p) || *p == '+' ||
	    *p == '-' || *p == '.'; p++)
		;
	if (*p++ != ':' || *p == '\0')
		return 0;
	for (; *p != '\0'; p++) {
		if (*p == '%') {
			if (!is_hex((unsigned char)p[1]) ||
			    !is_hex((unsigned char)p[2]))
				return 0;
			p += 2;
		} else if (!is_alnum((unsigned char)*p) &&
		    strchr(ok, *p) == NULL)
			return 0;
	}
	return 1;
}

/* "https://" and a non-empty host. */
static int
https_ok(const char *s)
{
	const char *h, *end, *at, *colon;

	if (!uri_ok(s) || strncasecmp(s, "https://", 8) != 0)
		return 0;
	h = s + 8;
	end = h + strcspn(h, "/?#");
	for (at = h; at < end; at++)
		if (*at == '@')
			h = at + 1;
	if (*h == '[')
		return (colon = memchr(h, ']', (size_t)(end - h))) != NULL &&
		    colon > h + 1;
	colon = memchr(h, ':', (size_t)(end - h));
	return (colon != NULL ? colon : end) > h;
}

static int
label_char(int c)
{
	return is_alnum(c) || c == '-' || c >= 0x80;
}

/* local@domain, a dot in the domain, no white space. */
static int
email_ok(const char *s)
{
	const char *at = strrchr(s, '@'), *p, *lab;

	if (at == NULL || at == s)
		return 0;
	for (p = s; p < at; p++)
		if ((unsigned char)*p <= ' ' || *p == '@' || *p == 0x7f)
			return 0;
	if (strchr(at + 1, '.') == NULL)
		return 0;
	for (lab = p = at + 1;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == lab || *lab == '-' || p[-1] == '-')
				return 0;
			if (*p == '\0')
				return 1;
			lab = p + 1;
		} else if (!label_char((unsigned char)*p))
			return 0;
	}
}

static int
lower_hex(const char *s, size_t want)
{
	return strlen(s) == want && attest_is_lower_hex(s, want);
}

/* The schema (specs/cra.md §3 to §6) --------------------------------------- */

enum ty_kind {
	K_STR, K_BOOL, K_INT, K_DATE, K_DATE_MONTH, K_COUNTRY, K_EU_STATE,
	K_LANG, K_URI, K_HTTPS, K_EMAIL, K_HEX256, K_HEX512, K_NB_NUMBER,
	K_ENUM, K_OBJ, K_ARR
};

struct mem;
struct cx;

struct ty {
	enum ty_kind		 k;
	const char *const	*vals;	/* K_ENUM: NULL-terminated */
	const struct mem	*mems;	/* K_OBJ: ends with a NULL name */
	const struct ty		*elem;	/* K_ARR */
	long long		 min;	/* K_ARR: elements; K_INT: value */
	/* K_ARR: elements, K_OBJ: members, at most (0: no limit), and the
	 * limits.h name of that limit */
	size_t			 max;
	const char		*max_name;
	int			 one_of; /* K_OBJ: at least one member */
	const char		*sect;	/* K_OBJ: basis of its S-* findings */
	/* K_OBJ: conditional members, checked after the walk */
	void			(*cond)(struct cx *, const json_t *,
				    const char *);
};

#define R	1
#define O	0
#define ON	2	/* optional; null says "not recorded" (a rule warns) */

struct mem {
	const char	*name;
	const struct ty	*ty;
	int		 req;
};

static const struct ty t_str = { .k = K_STR };
static const struct ty t_bool = { .k = K_BOOL };
static const struct ty t_int1 = { .k = K_INT, .min = 1 };
static const struct ty t_date = { .k = K_DATE };
static const struct ty t_date_month = { .k = K_DATE_MONTH };
static const struct ty t_country = { .k = K_COUNTRY };
static const struct ty t_eu_state = { .k = K_EU_STATE };
static const struct ty t_lang = { .k = K_LANG };
static const struct ty t_uri = { .k = K_URI };
static const struct ty t_https = { .k = K_HTTPS };
static const struct ty t_email = { .k = K_EMAIL };
static const struct ty t_hex256 = { .k = K_HEX256 };
static const struct ty t_hex512 = { .k = K_HEX512 };
static const struct ty t_nb_number = { .k = K_NB_NUMBER };
static const struct ty t_strs = { .k = K_ARR, .elem = &t_str };
static const struct ty t_strs1 = { .k = K_ARR, .elem = &t_str, .min = 1 };
static const struct ty t_langs1 = { .k = K_ARR, .elem = &t_lang, .min = 1,
    .max = ATTEST_MAX_LANGUAGES, .max_name = "ATTEST_MAX_LANGUAGES" };
static const struct ty t_eu_states = { .k = K_ARR, .elem = &t_eu_state,
    .max = ATTEST_MAX_MARKETS, .max_name = "ATTEST_MAX_MARKETS" };

#define ENUM_TY(name, ...) \
	static const char *const name##_v[] = { __VA_ARGS__, NULL }; \
	static const struct ty name = { .k = K_ENUM, .vals = name##_v }

ENUM_TY(t_role_mfr, "manufacturer");
ENUM_TY(t_role_ar, "authorised_representative");
ENUM_TY(t_role_imp, "importer");
ENUM_TY(t_role_dist, "distributor");
ENUM_TY(t_class, "default", "important_class_i", "important_class_ii",
    "critical");
ENUM_TY(t_cert_kind, "eu_type_examination_certificate",
    "quality_system_approval");
ENUM_TY(t_std_kind, "harmonised_standard", "common_specification",
    "technical_specification");
ENUM_TY(t_coverage, "full", "partial");
ENUM_TY(t_level, "basic", "substantial", "high");
ENUM_TY(t_issued_by, "manufacturer", "authorised_representative");
ENUM_TY(t_procedure, "module_a", "module_b_c", "module_h",
    "eu_certification");
ENUM_TY(t_placement, "product", "packaging", "doc", "website");
ENUM_TY(t_regulation, CRA_REGULATION);
ENUM_TY(t_channel_kind, "uri", "email", "phone");
ENUM_TY(t_sbom_format, "cyclonedx", "spdx");
ENUM_TY(t_sbom_depth, "top_level", "transitive", "complete");
ENUM_TY(t_dd_action, "ce_marking", "update_history", "vuln_db",
    "security_tests", "sca", "sbom_review", "support_period",
    "intended_purpose", "supplier_posture", "vsa");

static void cond_operator(struct cx *, const json_t *, const char *);
static void cond_product(struct cx *, const json_t *, const char *);
static void cond_standard(struct cx *, const json_t *, const char *);
static void cond_channel(struct cx *, const json_t *, const char *);
static void cond_modification(struct cx *, const json_t *, const char *);
static void cond_evidence(struct cx *, const json_t *, const char *);
static void cond_check_lang(struct cx *, const json_t *, const char *);
static void cond_check_end(struct cx *, const json_t *, const char *);

#define OBJ_TY(name, sec, ...) \
	static const struct mem name##_m[] = { __VA_ARGS__, \
	    { NULL, NULL, 0 } }; \
	static const struct ty name = { .k = K_OBJ, .mems = name##_m, \
	    .sect = "specs/cra.md " sec }

#define ARR_TY(name, of, n) \
	static const struct ty name = { .k = K_ARR, .elem = &of, .min = n }

/* §3.1 Operator */
OBJ_TY(t_address, "§3.1 Operator", { "lines", &t_strs1, R },
    { "postcode", &t_str, O }, { "city", &t_str, R },
    { "country", &t_country, R });
#define OPERATOR(role) \
	{ "role", &role, R }, { "legal_name", &t_str, R }, \
	{ "trade_name", &t_str, O }, { "postal_address", &t_address, R }, \
	{ "email", &t_email, O }, { "digital_contact", &t_uri, O }, \
	{ "website", &t_uri, O }, { "established_in_union", &t_bool, O }, \
	{ NULL, NULL, 0 }
static const struct mem t_op_mfr_m[] = { OPERATOR(t_role_mfr) };
static const struct mem t_op_ar_m[] = { OPERATOR(t_role_ar) };
static const struct ty t_op_mfr = { .k = K_OBJ, .mems = t_op_mfr_m,
    .sect = "specs/cra.md §3.1 Operator", .cond = cond_operator };
static const struct ty t_op_ar = { .k = K_OBJ, .mems = t_op_ar_m,
    .sect = "specs/cra.md §3.1 Operator", .cond = cond_operator };
static const struct mem t_op_imp_m[] = { OPERATOR(t_role_imp) };
static const struct mem t_op_dist_m[] = { OPERATOR(t_role_dist) };
static const struct ty t_op_imp = { .k = K_OBJ, .mems = t_op_imp_m,
    .sect = "specs/cra.md §3.1 Operator", .cond = cond_operator };
static const struct ty t_op_dist = { .k = K_OBJ, .mems = t_op_dist_m,
    .sect = "specs/cra.md §3.1 Operator", .cond = cond_operator };

/* §3.2 DigestRef */
static const struct mem t_digests_m[] = { { "sha256", &t_hex256, O },
    { "sha512", &t_hex512, O }, { NULL, NULL, 0 } };
static const struct ty t_digests = { .k = K_OBJ, .mems = t_digests_m,
    .one_of = 1, .sect = "specs/cra.md §3.2 DigestRef" };
OBJ_TY(t_dref, "§3.2 DigestRef", { "uri", &t_uri, O },
    { "digests", &t_digests, R }, { "media_type", &t_str, O },
    { "lang", &t_lang, O });
OBJ_TY(t_dref_uri, "§3.2 DigestRef", { "uri", &t_uri, R },
    { "digests", &t_digests, R }, { "media_type", &t_str, O },
    { "lang", &t_lang, O });

/* §3.3 Product */
OBJ_TY(t_range, "§3.3 Product", { "from", &t_str, R }, { "to", &t_str, R });
ARR_TY(t_ranges, t_range, 0);
static const struct mem t_ident_m[] = { { "type", &t_str, O },
    { "batch", &t_str, O }, { "serials", &t_strs, O },
    { "serial_ranges", &t_ranges, O }, { "other_ids", &t_strs, O },
    { NULL, NULL, 0 } };
static const struct ty t_ident = { .k = K_OBJ, .mems = t_ident_m,
    .one_of = 1, .sect = "specs/cra.md §3.3 Product" };
static const struct mem t_product_m[] = { { "name", &t_str, R },
    { "type_designation", &t_str, R }, { "model", &t_str, O },
    { "versions", &t_strs, O }, { "software", &t_bool, R },
    { "identification", &t_ident, R }, { "photo", &t_dref, O },
    { "class", &t_class, R }, { "annex_category", &t_str, O },
    { "is_foss", &t_bool, O }, { NULL, NULL, 0 } };
static const struct ty t_product = { .k = K_OBJ, .mems = t_product_m,
    .sect = "specs/cra.md §3.3 Product", .cond = cond_product };

/* §3.4 NotifiedBody */
OBJ_TY(t_nb_cert, "§3.4 NotifiedBody", { "id", &t_str, R },
    { "kind", &t_cert_kind, R }, { "issued_at", &t_date, R },
    { "valid_until", &t_date, O }, { "digest", &t_dref, O });
OBJ_TY(t_nb, "§3.4 NotifiedBody", { "name", &t_str, R },
    { "number", &t_nb_number, R }, { "certificate", &t_nb_cert, R });

/* §3.5 StandardRef, §3.6 EuCert, §3.7 Signatory */
static const struct mem t_standard_m[] = { { "kind", &t_std_kind, R },
    { "reference", &t_str, R }, { "oj_reference", &t_str, O },
    { "coverage", &t_coverage, R }, { "parts_applied", &t_strs, O },
    { NULL, NULL, 0 } };
static const struct ty t_standard = { .k = K_OBJ, .mems = t_standard_m,
    .sect = "specs/cra.md §3.5 StandardRef", .cond = cond_standard };
static const struct ty t_standards = { .k = K_ARR, .elem = &t_standard,
    .max = ATTEST_MAX_STANDARDS, .max_name = "ATTEST_MAX_STANDARDS" };
OBJ_TY(t_eucert, "§3.6 EuCert", { "scheme", &t_str, R },
    { "certificate_id", &t_str, R }, { "assurance_level", &t_level, R },
    { "issuer", &t_str, R }, { "covers", &t_str, O });
ARR_TY(t_eucerts, t_eucert, 0);
OBJ_TY(t_signatory, "§3.7 Signatory", { "name", &t_str, R },
    { "function", &t_str, R }, { "on_behalf_of", &t_str, R },
    { "place_of_issue", &t_str, R }, { "date_of_issue", &t_date, R });

/* §4 DoC */
OBJ_TY(t_supersedes, "§4", { "doc_id", &t_str, R },
    { "doc_version", &t_int1, R }, { "digests", &t_digests, R });
OBJ_TY(t_object, "§4", { "description", &t_str, R },
    { "traceability_ids", &t_strs, O }, { "photo", &t_dref, O });
OBJ_TY(t_union_act, "§4", { "title", &t_str, R }, { "celex", &t_str, R },
    { "eli", &t_uri, O }, { "oj_reference", &t_str, R });
ARR_TY(t_union_acts, t_union_act, 1);
OBJ_TY(t_foss, "§4", { "public_technical_documentation", &t_dref_uri, R });
OBJ_TY(t_ai, "§4", { "claimed", &t_bool, R }, { "evidence", &t_dref, O });
OBJ_TY(t_ce_doc, "§4", { "placement", &t_placement, R },
    { "website_uri", &t_https, O }, { "nb_number_shown", &t_str, O });
OBJ_TY(t_doc, "§4", { "doc_id", &t_str, R }, { "doc_version", &t_int1, R },
    { "supersedes", &t_supersedes, O }, { "product", &t_product, R },
    { "object", &t_object, R }, { "manufacturer", &t_op_mfr, R },
    { "authorised_representative", &t_op_ar, O },
    { "issued_by", &t_issued_by, R },
    { "sole_responsibility_statement", &t_str, R },
    { "conformity_statement", &t_str, R },
    { "union_acts", &t_union_acts, R }, { "standards", &t_standards, O },
    { "certifications", &t_eucerts, O }, { "procedure", &t_procedure, R },
    { "procedure_description", &t_str, R }, { "foss_32_5", &t_foss, O },
    { "notified_body", &t_nb, O }, { "ai_act_art15", &t_ai, O },
    { "additional_information", &t_str, O },
    { "languages", &t_langs1, R }, { "markets", &t_eu_states, O },
    { "full_text_uri", &t_https, O }, { "ce_marking", &t_ce_doc, R },
    { "signatory", &t_signatory, R });

/* §5 simplified DoC */
OBJ_TY(t_sdoc, "§5", { "manufacturer_name", &t_str, R },
    { "type_designation", &t_str, R }, { "regulation", &t_regulation, R },
    { "full_doc_uri", &t_https, R }, { "full_doc", &t_dref, R },
    { "language", &t_lang, R }, { "text", &t_str, R });

/* §6 release */
static const struct mem t_channel_m[] = { { "kind", &t_channel_kind, R },
    { "value", &t_str, R }, { NULL, NULL, 0 } };
static const struct ty t_channel = { .k = K_OBJ, .mems = t_channel_m,
    .sect = "specs/cra.md §6", .cond = cond_channel };
ARR_TY(t_channels, t_channel, 1);
OBJ_TY(t_spoc, "§6", { "channels", &t_channels, R },
    { "cvd_policy_uri", &t_uri, R });
static const struct mem t_modif_m[] = { { "is", &t_bool, R },
    { "of", &t_dref, O }, { NULL, NULL, 0 } };
static const struct ty t_modif = { .k = K_OBJ, .mems = t_modif_m,
    .sect = "specs/cra.md §6", .cond = cond_modification };
OBJ_TY(t_ce_rel, "§6", { "affixed", &t_bool, R },
    { "placement", &t_placement, R }, { "affixed_at", &t_date, R });
OBJ_TY(t_support, "§6", { "start", &t_date, R }, { "end", &t_date_month, R },
    { "expected_use_months", &t_int1, O }, { "justification", &t_str, O },
    { "basis", &t_dref, O });
OBJ_TY(t_sbom, "§6", { "digests", &t_digests, R }, { "uri", &t_uri, O },
    { "format", &t_sbom_format, R }, { "spec_version", &t_str, R },
    { "depth", &t_sbom_depth, R }, { "profile", &t_str, O },
    { "user_access_uri", &t_uri, O });
OBJ_TY(t_na, "§6", { "requirement", &t_str, R },
    { "justification", &t_str, R });
ARR_TY(t_nas, t_na, 0);
OBJ_TY(t_risk, "§6", { "digests", &t_digests, R },
    { "updated_at", &t_date, R }, { "not_applicable", &t_nas, O });
OBJ_TY(t_techdoc, "§6", { "digests", &t_digests, R },
    { "public_uri", &t_uri, O });
ARR_TY(t_dd_actions, t_dd_action, 1);
OBJ_TY(t_dd, "§6", { "component", &t_str, R },
    { "actions", &t_dd_actions, R }, { "evidence", &t_dref, O });
ARR_TY(t_dds, t_dd, 0);
OBJ_TY(t_secupd, "§6", { "is_security_update", &t_bool, R },
    { "separate_from_functionality", &t_bool, O },
    { "advisory", &t_dref, O }, { "available_until", &t_date, R });
OBJ_TY(t_release, "§6", { "product", &t_product, R },
    { "manufacturer", &t_op_mfr, R },
    { "authorised_representative", &t_op_ar, O }, { "spoc", &t_spoc, R },
    { "placed_on_market_at", &t_date, R },
    { "last_placed_on_market_at", &t_date, O },
    { "substantial_modification", &t_modif, O },
    { "procedure", &t_procedure, R }, { "notified_body", &t_nb, O },
    { "certifications", &t_eucerts, O }, { "doc", &t_dref, R },
    { "sdoc", &t_dref, O }, { "ce_marking", &t_ce_rel, R },
    { "support_period", &t_support, R },
    { "security_support_type", &t_str, O }, { "sbom", &t_sbom, R },
    { "vex", &t_dref, O }, { "risk_assessment", &t_risk, R },
    { "technical_documentation", &t_techdoc, R },
    { "due_diligence", &t_dds, O }, { "security_update", &t_secupd, O },
    { "release_date", &t_date, R }, { "user_information", &t_dref, R },
    { "retention_until", &t_date, R });

/* specs/chain.md §1, §2: the importer and distributor records */
#define CHAIN_TY(name, sec, c, ...) \
	static const struct mem name##_m[] = { __VA_ARGS__, \
	    { NULL, NULL, 0 } }; \
	static const struct ty name = { .k = K_OBJ, .mems = name##_m, \
	    .sect = "specs/chain.md " sec, .cond = c }
/* a record's checks: at most ATTEST_MAX_CHECKS members */
#define CHECKS_TY(name, sec, ...) \
	static const struct mem name##_m[] = { __VA_ARGS__, \
	    { NULL, NULL, 0 } }; \
	static const struct ty name = { .k = K_OBJ, .mems = name##_m, \
	    .sect = "specs/chain.md " sec, .max = ATTEST_MAX_CHECKS, \
	    .max_name = "ATTEST_MAX_CHECKS" }

ENUM_TY(t_result, "pass", "fail", "not_applicable");
ENUM_TY(t_imp_placement, "product", "packaging", "accompanying_document");
ENUM_TY(t_imp_decision, "place_on_market", "withhold");
ENUM_TY(t_dis_decision, "make_available", "withhold");
ENUM_TY(t_stage, "wholesale", "retail");
ENUM_TY(t_notice_kind, "significant_risk", "non_technical_risk",
    "vulnerability", "cessation");
ENUM_TY(t_notice_to, "manufacturer", "msa", "users");

/* §1.2 Evidence, §1.1 Check */
CHAIN_TY(t_evidence, "§1.2 Evidence", cond_evidence, { "uri", &t_uri, O },
    { "digests", &t_digests, O }, { "description", &t_str, O });
ARR_TY(t_evidences, t_evidence, 0);
#define CHECK_MEMS \
	{ "result", &t_result, R }, { "evidence", &t_evidences, O }, \
	{ "note", &t_str, O }, { "checked_at", &t_date, R }, \
	{ "checked_by", &t_str, O }
CHAIN_TY(t_check, "§1.1 Check", NULL, CHECK_MEMS);
CHAIN_TY(t_check_lang, "§1.1 Check", cond_check_lang, CHECK_MEMS,
    { "languages", &t_langs1, O });
CHAIN_TY(t_check_lang_o, "§1.1 Check", NULL, CHECK_MEMS,
    { "languages", &t_langs1, O });
CHAIN_TY(t_check_end, "§1.1 Check", cond_check_end, CHECK_MEMS,
    { "end_seen", &t_date_month, O });

/* §1.3 Custody, §1.4 RiskNotice */
CHAIN_TY(t_party, "§1.3 Custody", NULL, { "name", &t_str, R },
    { "postal_address", &t_address, R });
CHAIN_TY(t_party_to, "§1.3 Custody", NULL, { "name", &t_str, R },
    { "postal_address", &t_address, O });
CHAIN_TY(t_units, "§1.3 Custody", NULL, { "quantity", &t_int1, R },
    { "batch", &t_str, O }, { "serials", &t_strs, O });
CHAIN_TY(t_custody, "§1.3 Custody", NULL, { "supplied_by", &t_party, R },
    { "supplied_to", &t_party_to, ON }, { "units", &t_units, R },
    { "event_date", &t_date, R }, { "retain_until", &t_date, R });
CHAIN_TY(t_notice, "§1.4 RiskNotice", NULL, { "kind", &t_notice_kind, R },
    { "to", &t_notice_to, R }, { "member_state", &t_eu_state, O },
    { "at", &t_date, R });
ARR_TY(t_notices, t_notice, 0);

/* upstream links: DigestRefs whose sha256 the chain links by (§3) */
CHAIN_TY(t_digests256, "§2 upstream", NULL, { "sha256", &t_hex256, R },
    { "sha512", &t_hex512, O });
CHAIN_TY(t_link, "§2 upstream", NULL, { "uri", &t_uri, O },
    { "digests", &t_digests256, R }, { "media_type", &t_str, O },
    { "lang", &t_lang, O });

/* §2.1 importer record */
CHAIN_TY(t_imp_upstream, "§2.1", NULL, { "doc", &t_link, R },
    { "release", &t_link, R }, { "sdoc", &t_link, O });
CHECKS_TY(t_imp_checks, "§2.1",
    { "conformity_assessment_done", &t_check, R },
    { "technical_documentation_drawn_up", &t_check, R },
    { "ce_marking", &t_check, R }, { "doc_accompanies", &t_check, R },
    { "user_information_language", &t_check_lang, R },
    { "identification_13_15", &t_check, R },
    { "manufacturer_contact_13_16", &t_check, R },
    { "support_end_13_19", &t_check_end, R },
    { "conformity_no_reason_to_doubt", &t_check, R });
CHAIN_TY(t_imp_marking, "§2.1", NULL, { "placement", &t_imp_placement, R });
CHAIN_TY(t_import, "§2.1", NULL, { "importer", &t_op_imp, R },
    { "manufacturer", &t_op_mfr, R }, { "product", &t_product, R },
    { "upstream", &t_imp_upstream, R }, { "checks", &t_imp_checks, R },
    { "importer_marking", &t_imp_marking, R },
    { "own_name_or_substantial_modification", &t_bool, R },
    { "decision", &t_imp_decision, R }, { "risk_notices", &t_notices, O },
    { "placed_on_market_at", &t_date, O },
    { "doc_retention_until", &t_date, R }, { "custody", &t_custody, R },
    { "signatory", &t_signatory, R });

/* §2.2 distributor record */
CHAIN_TY(t_dis_upstream, "§2.2", NULL, { "doc", &t_link, R },
    { "release", &t_link, R }, { "import", &t_link, O },
    { "previous_distribution", &t_link, O });
CHECKS_TY(t_dis_checks, "§2.2", { "ce_marking", &t_check, R },
    { "identification_13_15", &t_check, R },
    { "manufacturer_contact_13_16", &t_check, R },
    { "user_information_13_18", &t_check_lang_o, R },
    { "support_end_13_19", &t_check_end, R },
    { "doc_13_20", &t_check, R }, { "importer_contact_19_4", &t_check, O },
    { "documents_received", &t_check, R },
    { "no_reason_to_believe_nonconformity", &t_check, R });
CHAIN_TY(t_distribution, "§2.2", NULL, { "distributor", &t_op_dist, R },
    { "stage", &t_stage, O }, { "manufacturer", &t_op_mfr, R },
    { "supplier", &t_party, R }, { "product", &t_product, R },
    { "upstream", &t_dis_upstream, R }, { "checks", &t_dis_checks, R },
    { "own_name_or_substantial_modification", &t_bool, R },
    { "decision", &t_dis_decision, R }, { "risk_notices", &t_notices, O },
    { "custody", &t_custody, R }, { "signatory", &t_signatory, R });

/* Schema findings and the rules that own some of them ---------------------- */

#define RL_MISSING	1	/* S-1 */
#define RL_FORMAT	2	/* S-3 */
#define RL_ENUM		4	/* S-5 */

/*
 * Members whose absence (or bad form) a legal rule names: the finding
 * carries that rule's id and basis instead of the S-* one.  Paths with
 * "[]" match any index; kind ATTEST_CRA_NONE matches every kind (the
 * release carries a notified body too).
 */
struct relabel {
	attest_cra_kind_t	 kind;
	const char		*path;
	unsigned int		 mask;
	const char		*rule;
	const char		*basis;
	const char		*msg;	/* NULL: the schema's message */
};

#define B_DOC1	"Annex V(1)-(4), (8): every item of the model declaration"
#define B_DOC2	"Annex V(5), Art. 28(3): Union acts with publication " \
		"references"
#define B_DOC4	"Annex V(7): a notified body's name, number and " \
		"certificate"
#define B_DOC8	"Art. 32(5): technical documentation made public"
#define B_REL1	"Art. 13(19): support end with at least month and year"
#define B_REL3	"Art. 13(13): kept 10 years or the support period"
#define B_REL5	"Annex I Part II(1): a machine-readable SBOM"
#define B_REL6	"Art. 13(16), 13(17): manufacturer contact and single " \
		"point of contact"
#define B_REL7	"Art. 13(15): type, batch or serial number"
#define B_SDOC1	"Annex VI, Art. 13(20): the simplified declaration"
#define B_IMP1	"Art. 3(16): an importer is established in the Union and " \
		"places a product from a third country"
#define B_IMP5	"Art. 19(4): the importer's name, postal address and " \
		"contact, and where they are indicated"
#define B_IMP6	"Art. 19(6): a copy of the DoC kept 10 years"
#define B_DIS5	"Art. 23(1)(a): the name and address of the supplier"
#define B_CUS1	"Art. 23: who supplied the product, and to whom, for 10 " \
		"years"

/* An address owned by a rule: the address and its required members. */
#define RL_ADDRESS(kind, at, rule, basis) \
	{ kind, at, RL_MISSING, rule, basis, NULL }, \
	{ kind, at ".lines", RL_MISSING, rule, basis, NULL }, \
	{ kind, at ".city", RL_MISSING, rule, basis, NULL }, \
	{ kind, at ".country", RL_MISSING, rule, basis, NULL }
/* CUS-1, in both chain records */
#define RL_CUSTODY(kind) \
	{ kind, "custody", RL_MISSING, "CUS-1", B_CUS1, NULL }, \
	{ kind, "custody.supplied_by", RL_MISSING, "CUS-1", B_CUS1, NULL }, \
	{ kind, "custody.supplied_by.name", RL_MISSING, "CUS-1", B_CUS1, \
	    NULL }, \
	RL_ADDRESS(kind, "custody.supplied_by.postal_address", "CUS-1", \
	    B_CUS1), \
	{ kind, "custody.retain_until", RL_MISSING, "CUS-1", B_CUS1, NULL }

static const struct relabel relabels[] = {
	{ ATTEST_CRA_DOC, "product", RL_MISSING, "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "product.name", RL_MISSING, "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "product.type_designation", RL_MISSING, "DOC-1",
	    B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "product.identification", RL_MISSING, "DOC-1",
	    B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "object", RL_MISSING, "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "object.description", RL_MISSING, "DOC-1", B_DOC1,
	    NULL },
	{ ATTEST_CRA_DOC, "manufacturer", RL_MISSING, "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "manufacturer.legal_name", RL_MISSING, "DOC-1",
	    B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "manufacturer.postal_address", RL_MISSING, "DOC-1",
	    B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "manufacturer.postal_address.lines", RL_MISSING,
	    "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "manufacturer.postal_address.city", RL_MISSING,
	    "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "manufacturer.postal_address.country", RL_MISSING,
	    "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "authorised_representative.legal_name", RL_MISSING,
	    "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "authorised_representative.postal_address",
	    RL_MISSING, "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "sole_responsibility_statement", RL_MISSING,
	    "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "conformity_statement", RL_MISSING, "DOC-1",
	    B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "signatory", RL_MISSING, "DOC-1", B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "signatory.name", RL_MISSING, "DOC-1", B_DOC1,
	    NULL },
	{ ATTEST_CRA_DOC, "signatory.function", RL_MISSING, "DOC-1", B_DOC1,
	    NULL },
	{ ATTEST_CRA_DOC, "signatory.on_behalf_of", RL_MISSING, "DOC-1",
	    B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "signatory.place_of_issue", RL_MISSING, "DOC-1",
	    B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "signatory.date_of_issue", RL_MISSING, "DOC-1",
	    B_DOC1, NULL },
	{ ATTEST_CRA_DOC, "union_acts", RL_MISSING, "DOC-2", B_DOC2, NULL },
	{ ATTEST_CRA_DOC, "union_acts[].oj_reference", RL_MISSING, "DOC-2",
	    B_DOC2, NULL },
	{ ATTEST_CRA_NONE, "notified_body.name", RL_MISSING, "DOC-4", B_DOC4,
	    NULL },
	{ ATTEST_CRA_NONE, "notified_body.number", RL_MISSING, "DOC-4",
	    B_DOC4, NULL },
	{ ATTEST_CRA_NONE, "notified_body.certificate", RL_MISSING, "DOC-4",
	    B_DOC4, NULL },
	{ ATTEST_CRA_NONE, "notified_body.certificate.id", RL_MISSING,
	    "DOC-4", B_DOC4, NULL },
	{ ATTEST_CRA_DOC, "foss_32_5.public_technical_documentation",
	    RL_MISSING, "DOC-8", B_DOC8, NULL },
	{ ATTEST_CRA_DOC, "foss_32_5.public_technical_documentation.uri",
	    RL_MISSING, "DOC-8", B_DOC8, NULL },
	{ ATTEST_CRA_SDOC, "regulation", RL_ENUM, "SDOC-1", B_SDOC1,
	    "must be exactly \"" CRA_REGULATION "\"" },
	{ ATTEST_CRA_SDOC, "full_doc_uri", RL_FORMAT, "SDOC-1", B_SDOC1,
	    "must be an absolute https URI with a host (libattest policy; "
	    "Annex VI asks for the exact internet address)" },
	{ ATTEST_CRA_RELEASE, "support_period", RL_MISSING, "REL-1", B_REL1,
	    NULL },
	{ ATTEST_CRA_RELEASE, "support_period.end", RL_MISSING | RL_FORMAT,
	    "REL-1", B_REL1, NULL },
	{ ATTEST_CRA_RELEASE, "retention_until", RL_MISSING, "REL-3", B_REL3,
	    NULL },
	{ ATTEST_CRA_RELEASE, "sbom", RL_MISSING, "REL-5", B_REL5, NULL },
	{ ATTEST_CRA_RELEASE, "sbom.digests", RL_MISSING, "REL-5", B_REL5,
	    NULL },
	{ ATTEST_CRA_RELEASE, "sbom.format", RL_MISSING | RL_ENUM, "REL-5",
	    B_REL5, NULL },
	{ ATTEST_CRA_RELEASE, "sbom.depth", RL_MISSING | RL_ENUM, "REL-5",
	    B_REL5, NULL },
	{ ATTEST_CRA_RELEASE, "manufacturer", RL_MISSING, "REL-6", B_REL6,
	    NULL },
	{ ATTEST_CRA_RELEASE, "manufacturer.legal_name", RL_MISSING, "REL-6",
	    B_REL6, NULL },
	{ ATTEST_CRA_RELEASE, "manufacturer.postal_address", RL_MISSING,
	    "REL-6", B_REL6, NULL },
	{ ATTEST_CRA_RELEASE, "manufacturer.postal_address.lines",
	    RL_MISSING, "REL-6", B_REL6, NULL },
	{ ATTEST_CRA_RELEASE, "manufacturer.postal_address.city", RL_MISSING,
	    "REL-6", B_REL6, NULL },
	{ ATTEST_CRA_RELEASE, "manufacturer.postal_address.country",
	    RL_MISSING, "REL-6", B_REL6, NULL },
	{ ATTEST_CRA_RELEASE, "manufacturer.email", RL_MISSING, "REL-6",
	    B_REL6, NULL },
	{ ATTEST_CRA_RELEASE, "spoc", RL_MISSING, "REL-6", B_REL6, NULL },
	{ ATTEST_CRA_RELEASE, "spoc.channels", RL_MISSING, "REL-6", B_REL6,
	    NULL },
	{ ATTEST_CRA_RELEASE, "spoc.cvd_policy_uri", RL_MISSING, "REL-6",
	    B_REL6, NULL },
	{ ATTEST_CRA_RELEASE, "product.identification", RL_MISSING, "REL-7",
	    B_REL7, NULL },
	/* specs/chain.md §2.3 */
	{ ATTEST_CRA_IMPORT, "importer.established_in_union",
	    RL_MISSING | RL_ENUM, "IMP-1", B_IMP1, NULL },
	{ ATTEST_CRA_IMPORT, "importer", RL_MISSING, "IMP-5", B_IMP5, NULL },
	{ ATTEST_CRA_IMPORT, "importer.legal_name", RL_MISSING, "IMP-5",
	    B_IMP5, NULL },
	RL_ADDRESS(ATTEST_CRA_IMPORT, "importer.postal_address", "IMP-5",
	    B_IMP5),
	{ ATTEST_CRA_IMPORT, "importer.email", RL_MISSING, "IMP-5", B_IMP5,
	    NULL },
	{ ATTEST_CRA_IMPORT, "importer_marking", RL_MISSING, "IMP-5", B_IMP5,
	    NULL },
	{ ATTEST_CRA_IMPORT, "importer_marking.placement",
	    RL_MISSING | RL_ENUM, "IMP-5", B_IMP5, NULL },
	{ ATTEST_CRA_IMPORT, "doc_retention_until", RL_MISSING, "IMP-6",
	    B_IMP6, NULL },
	RL_CUSTODY(ATTEST_CRA_IMPORT),
	{ ATTEST_CRA_DISTRIBUTION, "supplier", RL_MISSING, "DIS-5", B_DIS5,
	    NULL },
	{ ATTEST_CRA_DISTRIBUTION, "supplier.name", RL_MISSING, "DIS-5",
	    B_DIS5, NULL },
	RL_ADDRESS(ATTEST_CRA_DISTRIBUTION, "supplier.postal_address",
	    "DIS-5", B_DIS5),
	RL_CUSTODY(ATTEST_CRA_DISTRIBUTION),
};

/* "a[3].b[12]" → "a[].b[]" */
static void
normalise(char *out, size_t size, const char *path)
{
	size_t o = 0;

	for (; *path != '\0' && o + 1 < size; path++) {
		out[o++] = *path;
		if (*path == '[')
			while (is_digit((unsigned char)path[1]))
				path++;
	}
	out[o] = '\0';
}

static const struct relabel *
find_relabel(attest_cra_kind_t kind, const char *path, unsigned int mask)
{
	char norm[PATH_BYTES];
	size_t i;

	normalise(norm, sizeof(norm), path);
	for (i = 0; i < sizeof(relabels) / sizeof(relabels[0]); i++)
		if ((relabels[i].kind == kind ||
		    relabels[i].kind == ATTEST_CRA_NONE) &&
		    (relabels[i].mask & mask) != 0 &&
		    strcmp(relabels[i].path, norm) == 0)
			return &relabels[i];
	return NULL;
}

static unsigned int
rule_mask(const char *rule)
{
	if (strcmp(rule, "S-1") == 0)
		return RL_MISSING;
	if (strcmp(rule, "S-3") == 0)
		return RL_FORMAT;
	if (strcmp(rule, "S-5") == 0)
		return RL_ENUM;
	return 0;
}

static void schema(struct cx *, const char *, const char *, const char *,
    const char *, ...) ATTEST_PRINTF(5, 6);

/* A schema finding (an error), or the legal rule's that owns the member. */
static void
schema(struct cx *cx, const char *rule, const char *path, const char *sect,
    const char *fmt, ...)
{
	const struct relabel *rl;
	char msg[MSG_BYTES];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((rl = find_relabel(cx->kind, path, rule_mask(rule))) != NULL)
		add(cx, E, rl->rule, path, rl->basis, "%s",
		    rl->msg != NULL ? rl->msg : msg);
	else
		add(cx, E, rule, path, sect, "%s", msg);
}

static const char *
join(char buf[PATH_BYTES], const char *path, const char *key)
{
	return attest_json_path(buf, PATH_BYTES, path, key);
}

/* Format checks: NULL when fine, else what is wrong. */
static const char *
format_problem(enum ty_kind k, const char *s)
{
	switch (k) {
	case K_COUNTRY:
		return attest_country_ok(s) ? NULL :
		    "not an assigned ISO 3166-1 alpha-2 code (upper case)";
	case K_EU_STATE:
		return attest_eu_state_ok(s) ? NULL :
		    "not the ISO 3166-1 code of an EU Member State";
	case K_LANG:
		return lang_ok(s) ? NULL : "not a well-formed BCP 47 tag";
	case K_URI:
		return uri_ok(s) ? NULL : "not an absolute URI";
	case K_HTTPS:
		return https_ok(s) ? NULL :
		    "must be an absolute https URI with a host";
	case K_EMAIL:
		return email_ok(s) ? NULL :
		    "not an email address (local@domain.tld)";
	case K_HEX256:
		return lower_hex(s, 64) ? NULL :
		    "must be 64 lowercase hex digits (SHA-256)";
	case K_HEX512:
		return lower_hex(s, 128) ? NULL :
		    "must be 128 lowercase hex digits (SHA-512)";
	case K_NB_NUMBER:
		return strlen(s) == 4 && all_of(s, 4, is_digit) ? NULL :
		    "must be the 4-digit notified body number (NANDO)";
	default:
		return NULL;
	}
}

/*
 * A date member: X-2 when it is no ISO 8601 calendar date (a month where
 * a day is needed included), unless a legal rule owns the member's
 * format (REL-1 for support_period.end).
 */
static void
check_date(struct cx *cx, const char *s, enum ty_kind k, const char *path,
    const char *sect)
{
	const char *why = k == K_DATE_MONTH ? "must be an ISO 8601 date "
	    "YYYY-MM-DD or month YYYY-MM" : "must be an ISO 8601 date "
	    "YYYY-MM-DD (a real calendar day)";
	struct attest_ymd d;
	int r = attest_ymd_parse(s, 0, &d);

	if (r == ATTEST_YMD_DATE ||
	    (r == ATTEST_YMD_MONTH && k == K_DATE_MONTH))
		return;
	if (r == ATTEST_YMD_MONTH)
		add(cx, E, "X-2", path, "X-2: month-only dates only for "
		    "support_period.end (Art. 13(19))",
		    "must be a date YYYY-MM-DD, not a month");
	else if (find_relabel(cx->kind, path, RL_FORMAT) != NULL)
		schema(cx, "S-3", path, sect, "%s", why);
	else
		add(cx, E, "X-2", path, "X-2: every date of a record is an "
		    "ISO 8601 calendar date (specs/cra.md §2)", "%s", why);
}

static void
enum_problem(struct cx *cx, const struct ty *t, const char *s,
    const char *path, const char *sect)
{
	char list[MSG_BYTES];
	size_t i, o = 0;

	list[0] = '\0';
	for (i = 0; t->vals[i] != NULL && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
		    i > 0 ? ", " : "", t->vals[i]);
	if (t->vals[1] == NULL)
		schema(cx, "S-5", path, sect, "must be \"%s\"", list);
	else
		schema(cx, "S-5", path, sect, "\"%.64s\" is not one of: %s",
		    s, list);
}

static void
walk_string(struct cx *cx, const json_t *v, const struct ty *t,
    const char *path, const char *sect)
{
	const char *s = json_string_value(v), *why;
	size_t i;

	if (is_blank(s)) {
		schema(cx, "S-1", path, sect, "empty");
		return;
	}
	if (json_string_length(v) > MAX_STR_BYTES) {
		schema(cx, "S-3", path, sect, "longer than %d bytes",
		    MAX_STR_BYTES);
		return;
	}
	if (t->k == K_DATE || t->k == K_DATE_MONTH) {
		check_date(cx, s, t->k, path, sect);
		return;
	}
	if (t->k == K_ENUM) {
		for (i = 0; t->vals[i] != NULL; i++)
			if (strcmp(s, t->vals[i]) == 0)
				return;
		enum_problem(cx, t, s, path, sect);
		return;
	}
	if ((why = format_problem(t->k, s)) != NULL)
		schema(cx, "S-3", path, sect, "%s", why);
}

static void walk(struct cx *, const json_t *, const struct ty *,
    const char *, const char *);

/* An object that needs at least one member with content. */
static void
one_of(struct cx *cx, const json_t *v, const struct ty *t, const char *path)
{
	char list[MSG_BYTES];
	const struct mem *m;
	size_t o = 0;

	list[0] = '\0';
	for (m = t->mems; m->name != NULL; m++) {
		if (has(v, m->name))
			return;
		if (o < sizeof(list))
			o += (size_t)snprintf(list + o, sizeof(list) - o,
			    "%s%s", m == t->mems ? "" : ", ", m->name);
	}
	schema(cx, "S-1", path, t->sect, "needs at least one of: %s", list);
}

static void
walk_object(struct cx *cx, const json_t *v, const struct ty *t,
    const char *path)
{
	char sub[PATH_BYTES];
	const struct mem *m;
	const char *k;
	json_t *mv;

	if (t->max > 0 && json_object_size(v) > t->max) {
		schema(cx, "S-3", path, t->sect, "more than %zu members (%s)",
		    t->max, t->max_name);
		return;
	}
	for (m = t->mems; m->name != NULL; m++) {
		mv = json_object_get(v, m->name);
		if (mv != NULL && json_is_null(mv) && m->req == ON)
			continue;
		if (mv != NULL)
			walk(cx, mv, m->ty, join(sub, path, m->name),
			    t->sect);
		else if (m->req == R)
			schema(cx, "S-1", join(sub, path, m->name), t->sect,
			    "missing");
	}
	/* jansson's iteration macros take a non-const object */
	json_object_foreach((json_t *)(uintptr_t)v, k, mv) {
		for (m = t->mems; m->name != NULL; m++)
			if (strcmp(m->name, k) == 0)
				break;
		if (m->name == NULL)
			schema(cx, "S-4", join(sub, path, k), t->sect,
			    "unknown member");
	}
	if (t->one_of)
		one_of(cx, v, t, path);
	if (t->cond != NULL)
		t->cond(cx, v, path);
}

static void
walk_array(struct cx *cx, const json_t *v, const struct ty *t,
    const char *path, const char *sect)
{
	char sub[PATH_BYTES];
	size_t i;

	if ((long long)json_array_size(v) < t->min) {
		schema(cx, "S-1", path, sect, "must have at least %lld "
		    "element%s", t->min, t->min == 1 ? "" : "s");
		return;
	}
	if (t->max > 0 && json_array_size(v) > t->max) {
		schema(cx, "S-3", path, sect, "more than %zu elements (%s)",
		    t->max, t->max_name);
		return;
	}
	for (i = 0; i < json_array_size(v); i++) {
		(void)snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		walk(cx, json_array_get(v, i), t->elem, sub, sect);
	}
}

static int
type_fits(const json_t *v, enum ty_kind k, const char **want)
{
	switch (k) {
	case K_OBJ:
		*want = "an object";
		return json_is_object(v);
	case K_ARR:
		*want = "an array";
		return json_is_array(v);
	case K_BOOL:
		*want = "a boolean";
		return json_is_boolean(v);
	case K_INT:
		*want = "an integer";
		return json_is_integer(v);
	default:
		*want = "a string";
		return json_is_string(v);
	}
}

/* Check @p v against @p t; @p sect is the enclosing object's section. */
static void
walk(struct cx *cx, const json_t *v, const struct ty *t, const char *path,
    const char *sect)
{
	const char *want;

	if (!type_fits(v, t->k, &want)) {
		schema(cx, "S-2", path, sect, "must be %s, not %s", want,
		    attest_json_type_name(json_typeof(v)));
		return;
	}
	if (t->k == K_OBJ)
		walk_object(cx, v, t, path);
	else if (t->k == K_ARR)
		walk_array(cx, v, t, path, sect);
	else if (t->k == K_INT && json_integer_value(v) < t->min)
		schema(cx, "S-3", path, sect, "must be %lld or more", t->min);
	else if (t->k != K_BOOL && t->k != K_INT)
		walk_string(cx, v, t, path, sect);
}

/* Conditional members (specs/cra.md §3, §6: "C") --------------------------- */

static void
cond_operator(struct cx *cx, const json_t *o, const char *path)
{
	char sub[PATH_BYTES];
	const char *role = str(o, "role");

	if (!has(o, "email") && !has(o, "digital_contact"))
		schema(cx, "S-1", join(sub, path, "email"),
		    "Art. 13(16): email or other digital contact",
		    "missing: email or digital_contact is required");
	if (role == NULL || (strcmp(role, "authorised_representative") != 0 &&
	    strcmp(role, "importer") != 0))
		return;
	if (get(o, "established_in_union") == NULL)
		schema(cx, "S-1", join(sub, path, "established_in_union"),
		    "Art. 3(15), 3(16): established in the Union",
		    "missing: required for an %s", role);
	else if (json_is_false(get(o, "established_in_union")))
		schema(cx, "S-5", join(sub, path, "established_in_union"),
		    "Art. 3(15), 3(16): established in the Union",
		    "must be true for an %s", role);
}

static void
cond_product(struct cx *cx, const json_t *o, const char *path)
{
	char sub[PATH_BYTES];
	const json_t *v = json_object_get(o, "versions");

	if (is_true(o, "software") && v == NULL)
		schema(cx, "S-1", join(sub, path, "versions"),
		    "Annex VII 1(b): software versions",
		    "missing: required for a software product");
	else if (is_true(o, "software") && json_is_array(v) &&
	    json_array_size(v) == 0)
		schema(cx, "S-1", join(sub, path, "versions"),
		    "Annex VII 1(b): software versions",
		    "must have at least 1 element for a software product");
}

static void
cond_standard(struct cx *cx, const json_t *o, const char *path)
{
	char sub[PATH_BYTES];

	if (str_is(o, "kind", "harmonised_standard") &&
	    get(o, "oj_reference") == NULL)
		schema(cx, "S-1", join(sub, path, "oj_reference"),
		    "Art. 27(1): harmonised standards published in the OJ",
		    "missing: required for a harmonised standard");
	if (str_is(o, "coverage", "partial") && !has(o, "parts_applied"))
		schema(cx, "S-1", join(sub, path, "parts_applied"),
		    "Annex V(6), Annex VII(5): the parts applied",
		    "missing: required when coverage is partial");
}

static void
cond_channel(struct cx *cx, const json_t *o, const char *path)
{
	char sub[PATH_BYTES];
	const char *v = str(o, "value");

	if (v == NULL)
		return;
	if ((str_is(o, "kind", "email") && !email_ok(v)) ||
	    (str_is(o, "kind", "uri") && !uri_ok(v)))
		schema(cx, "S-3", join(sub, path, "value"), "specs/cra.md §6",
		    "not %s", str_is(o, "kind", "email") ?
		    "an email address" : "an absolute URI");
}

static void
cond_modification(struct cx *cx, const json_t *o, const char *path)
{
	char sub[PATH_BYTES];

	if (is_true(o, "is") && get(o, "of") == NULL)
		schema(cx, "S-1", join(sub, path, "of"),
		    "Art. 3(30): the product substantially modified",
		    "missing: required when is is true");
}

/* specs/chain.md §1.2: evidence names what it is. */
static void
cond_evidence(struct cx *cx, const json_t *o, const char *path)
{
	if (!has(o, "uri") && !has(o, "digests"))
		schema(cx, "S-1", path, "specs/chain.md §1.2 Evidence",
		    "needs at least one of: uri, digests");
}

/* specs/chain.md §1.1: what a check that passed says it saw. */
static void
need_when_pass(struct cx *cx, const json_t *o, const char *path,
    const char *member, const char *basis)
{
	char sub[PATH_BYTES];

	if (str_is(o, "result", "pass") && get(o, member) == NULL)
		schema(cx, "S-1", join(sub, path, member), basis,
		    "missing: required when result is pass");
}

static void
cond_check_lang(struct cx *cx, const json_t *o, const char *path)
{
	need_when_pass(cx, o, path, "languages", "Art. 19(2)(c), Annex II: "
	    "the languages of the user information");
}

static void
cond_check_end(struct cx *cx, const json_t *o, const char *path)
{
	need_when_pass(cx, o, path, "end_seen", "Art. 13(19), 19(2)(d): the "
	    "end of the support period seen");
}

/* Helpers shared by the rules ---------------------------------------------- */

static int
proc_is(const struct cx *cx, const char *p)
{
	return str_is(cx->root, "procedure", p);
}

static int
proc_has_nb(const struct cx *cx)
{
	return proc_is(cx, "module_b_c") || proc_is(cx, "module_h");
}

/* Does an array of objects hold one whose @p key is one of @p vals? */
static int
any_member_in(const json_t *arr, const char *key, const char *a,
    const char *b)
{
	const json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (str_is(e, key, a) || (b != NULL && str_is(e, key, b)))
			return 1;
	return 0;
}

/* An EU certificate at level substantial or high (Art. 32(2)-(4)). */
static int
has_substantial_cert(const struct cx *cx)
{
	return any_member_in(get(cx->root, "certifications"),
	    "assurance_level", "substantial", "high");
}

/*
 * The Annex III / IV category matches the class: "III-I-n" (1-19) for
 * class I, "III-II-n" (1-4) for class II, "IV-n" (1-3) for critical.
 */
static int
category_fits(const char *cls, const char *cat)
{
	const char *pre;
	int max, n;
	size_t len;

	if (strcmp(cls, "important_class_i") == 0)
		pre = "III-I-", max = 19;
	else if (strcmp(cls, "important_class_ii") == 0)
		pre = "III-II-", max = 4;
	else
		pre = "IV-", max = 3;
	len = strlen(pre);
	if (strncmp(cat, pre, len) != 0 || strlen(cat + len) < 1 ||
	    strlen(cat + len) > 2 ||
	    !attest_digits(cat + len, strlen(cat + len), &n) ||
	    cat[len] == '0')
		return 0;
	return n >= 1 && n <= max;
}

/* DOC-3 (DoC) and REL-11 (release): class and Annex III / IV category. */
static void
check_category(struct cx *cx, const char *rule, const char *basis)
{
	const char *cls = str(cx->root, "product.class");
	const char *cat = str(cx->root, "product.annex_category");
	const json_t *v = get(cx->root, "product.annex_category");

	if (cls == NULL || (v != NULL && cat == NULL))
		return;		/* the schema said it */
	if (strcmp(cls, "default") == 0) {
		if (cat != NULL)
			add(cx, W, rule, "product.annex_category", basis,
			    "a default-class product has no Annex III/IV "
			    "category");
		return;
	}
	if (cat == NULL)
		add(cx, E, rule, "product.annex_category", basis,
		    "missing: required for class %s", cls);
	else if (!category_fits(cls, cat))
		add(cx, E, rule, "product.annex_category", basis,
		    "\"%.32s\" is not an %s category of class %s", cat,
		    strcmp(cls, "critical") == 0 ? "Annex IV" : "Annex III",
		    cls);
}

/* Rules DOC-4, DOC-5, DOC-7 (shared by the DoC and the release) ------------ */

static void
rule_doc4(struct cx *cx)
{
	int bc = proc_is(cx, "module_b_c");

	if (!proc_has_nb(cx))
		return;
	if (get(cx->root, "notified_body") == NULL) {
		add(cx, E, "DOC-4", "notified_body", bc ?
		    "Annex V(7): module_b_c needs a notified body" :
		    "Annex V(7): module_h needs a notified body", "missing");
		return;
	}
	if (str(cx->root, "notified_body.certificate.kind") == NULL)
		return;
	if (bc && !str_is(cx->root, "notified_body.certificate.kind",
	    "eu_type_examination_certificate"))
		add(cx, E, "DOC-4", "notified_body.certificate.kind",
		    "Annex VIII Part II 6: module B issues an EU-type "
		    "examination certificate",
		    "must be eu_type_examination_certificate for module_b_c");
	else if (!bc && !str_is(cx->root, "notified_body.certificate.kind",
	    "quality_system_approval"))
		add(cx, E, "DOC-4", "notified_body.certificate.kind",
		    "Annex VIII Part IV 3.3: module H approves the quality "
		    "system", "must be quality_system_approval for module_h");
}

static void
rule_doc5(struct cx *cx)
{
	if (proc_is(cx, "module_a") && get(cx->root, "notified_body") != NULL)
		add(cx, E, "DOC-5", "notified_body",
		    "Annex VIII Part I; FAQ 6.1: module A involves no "
		    "notified body", "must be absent under module_a");
}

static void
rule_doc7(struct cx *cx)
{
	const char *cls = str(cx->root, "product.class");

	if (!proc_is(cx, "eu_certification"))
		return;
	if (!has(cx->root, "certifications"))
		add(cx, E, "DOC-7", "certifications",
		    "Art. 32(1)(d): a European cybersecurity certificate",
		    "missing: eu_certification needs at least one "
		    "certificate");
	else if (cls != NULL && strcmp(cls, "default") != 0 &&
	    !has_substantial_cert(cx))
		add(cx, E, "DOC-7", "certifications",
		    "Art. 32(2)-(4), 27(9): assurance level at least "
		    "substantial",
		    "needs a certificate at assurance level substantial or "
		    "high for class %s", cls);
}

/* DoC rules (specs/cra.md §7.1) -------------------------------------------- */

static void
rule_doc1(struct cx *cx)
{
	const char *who = str(cx->root, "signatory.on_behalf_of");
	const char *mfr = str(cx->root, "manufacturer.legal_name");
	const char *ar = str(cx->root, "authorised_representative.legal_name");

	if (str_is(cx->root, "issued_by", "authorised_representative") &&
	    get(cx->root, "authorised_representative") == NULL)
		add(cx, E, "DOC-1", "authorised_representative",
		    "Annex V(2): name and address of the issuer",
		    "missing: issued_by is authorised_representative");
	if (who != NULL && (mfr == NULL || strcmp(who, mfr) != 0) &&
	    (ar == NULL || strcmp(who, ar) != 0))
		add(cx, E, "DOC-1", "signatory.on_behalf_of",
		    "Annex V(8): signed for and on behalf of the issuer",
		    "must be the legal_name of the manufacturer or of the "
		    "authorised representative");
}

static void
rule_doc2(struct cx *cx)
{
	const json_t *acts = get(cx->root, "union_acts");

	if (json_is_array(acts) && json_array_size(acts) > 0 &&
	    !any_member_in(acts, "celex", CRA_CELEX, NULL))
		add(cx, E, "DOC-2", "union_acts",
		    "Annex V(5), Art. 28(3): the Union acts declared",
		    "must include Regulation (EU) 2024/2847 (CELEX "
		    CRA_CELEX ")");
}

/*
 * Art. 32(2): module A for class I only where every essential
 * requirement is covered in full by harmonised standards (OJ-cited),
 * common specifications or a certificate at level substantial or
 * above.  Coverage per requirement is not in the record: one such
 * standard or specification applied in full, or one such certificate,
 * is taken as the claim.
 */
static int
full_presumption(const struct cx *cx)
{
	const json_t *stds = get(cx->root, "standards"), *e;
	size_t i;

	json_array_foreach(stds, i, e)
		if (str_is(e, "coverage", "full") &&
		    ((str_is(e, "kind", "harmonised_standard") &&
		    str(e, "oj_reference") != NULL) ||
		    str_is(e, "kind", "common_specification")))
			return 1;
	return has_substantial_cert(cx);
}

/*
 * DOC-3 on each harmonised standard, common specification and
 * certification relied on: a harmonised standard without its OJ
 * reference gives no presumption of conformity (Art. 27(1)); under
 * module_a an important class I product needs each applied in full and
 * each certificate at level substantial or high (Art. 32(2)): @p class_i.
 */
static void
doc3_relied_on(struct cx *cx, int class_i)
{
	const json_t *e;
	const char *ref;
	char path[PATH_BYTES];
	size_t i;

	json_array_foreach(get(cx->root, "standards"), i, e) {
		if ((ref = str(e, "reference")) == NULL)
			ref = "the standard";
		if (str_is(e, "kind", "harmonised_standard") &&
		    str(e, "oj_reference") == NULL) {
			(void)snprintf(path, sizeof(path),
			    "standards[%zu].oj_reference", i);
			add(cx, class_i ? E : W, "DOC-3", path, "Art. 27(1): "
			    "presumption of conformity only from harmonised "
			    "standards published in the OJ", "%.128s has no "
			    "OJ reference: it gives no presumption of "
			    "conformity%s", ref, class_i ?
			    " (module_a of an important class I product "
			    "relies on it)" : "");
		}
		if (class_i && str_is(e, "coverage", "partial") &&
		    (str_is(e, "kind", "harmonised_standard") ||
		    str_is(e, "kind", "common_specification"))) {
			(void)snprintf(path, sizeof(path),
			    "standards[%zu].coverage", i);
			add(cx, E, "DOC-3", path, "Art. 32(2): important "
			    "class I under module_a", "%.128s is applied only "
			    "in part: module_a needs every harmonised "
			    "standard, common specification or certification "
			    "relied on applied in full, else module_b_c, "
			    "module_h or eu_certification", ref);
		}
	}
	if (!class_i)
		return;
	json_array_foreach(get(cx->root, "certifications"), i, e)
		if (str_is(e, "assurance_level", "basic")) {
			(void)snprintf(path, sizeof(path),
			    "certifications[%zu].assurance_level", i);
			add(cx, E, "DOC-3", path, "Art. 32(2): important "
			    "class I under module_a", "a certificate at level "
			    "basic is relied on: module_a needs level "
			    "substantial or high");
		}
}

static void
rule_doc3(struct cx *cx)
{
	const char *cls = str(cx->root, "product.class");
	int foss = get(cx->root, "foss_32_5") != NULL;

	check_category(cx, "DOC-3", "Art. 7, 8, Annex III, IV: the product "
	    "category");
	doc3_relied_on(cx, cls != NULL && strcmp(cls, "important_class_i") ==
	    0 && proc_is(cx, "module_a") && !foss);
	if (cls == NULL || !proc_is(cx, "module_a"))
		return;
	if (strcmp(cls, "important_class_i") == 0 && !foss &&
	    !full_presumption(cx))
		add(cx, E, "DOC-3", "procedure", "Art. 32(2): important "
		    "class I", "module_a needs harmonised standards, common "
		    "specifications or a certificate (level substantial or "
		    "high) applied in full, or foss_32_5");
	else if (strcmp(cls, "important_class_ii") == 0 && !foss)
		add(cx, E, "DOC-3", "procedure", "Art. 32(3), 32(5): "
		    "important class II", "module_a is allowed only with "
		    "foss_32_5");
	else if (strcmp(cls, "critical") == 0)
		add(cx, E, "DOC-3", "procedure", "Art. 32(4), 8(1): critical "
		    "products", "module_a is not allowed (Art. 32(5) covers "
		    "Annex III only)");
}

static void
rule_doc6(struct cx *cx)
{
	const char *shown = str(cx->root, "ce_marking.nb_number_shown");
	const char *num = str(cx->root, "notified_body.number");

	if (proc_is(cx, "module_h")) {
		if (shown == NULL && get(cx->root,
		    "ce_marking.nb_number_shown") == NULL)
			add(cx, E, "DOC-6", "ce_marking.nb_number_shown",
			    "Art. 30(4): the notified body's number follows "
			    "the CE marking (module H)", "missing");
		else if (shown != NULL && num != NULL &&
		    strcmp(shown, num) != 0)
			add(cx, E, "DOC-6", "ce_marking.nb_number_shown",
			    "Art. 30(4): the notified body's number follows "
			    "the CE marking (module H)",
			    "must equal notified_body.number (%s)", num);
	} else if (shown != NULL)
		add(cx, W, "DOC-6", "ce_marking.nb_number_shown",
		    "Art. 30(4): a number next to the CE marking only for "
		    "module H", "a notified body number is shown, but the "
		    "procedure is not module_h");
}

static void
rule_doc8(struct cx *cx)
{
	if (get(cx->root, "foss_32_5") != NULL &&
	    !is_true(cx->root, "product.is_foss"))
		add(cx, E, "DOC-8", "product.is_foss", "Art. 32(5): free and "
		    "open-source products", "must be true when foss_32_5 is "
		    "given");
}

/*
 * DOC-9.  The CRA gives no language table (28(2) defers to the Member
 * States); as a warning, each market should have one of its official
 * languages among the DoC's languages (primary subtags compared).
 */
static const struct {
	char		 cc[3];
	const char	*langs;
} official[] = {
	{ "AT", "de" }, { "BE", "nl fr de" }, { "BG", "bg" }, { "CY", "el tr" },
	{ "CZ", "cs" }, { "DE", "de" }, { "DK", "da" }, { "EE", "et" },
	{ "ES", "es ca eu gl" }, { "FI", "fi sv" }, { "FR", "fr" },
	{ "GR", "el" }, { "HR", "hr" }, { "HU", "hu" }, { "IE", "ga en" },
	{ "IT", "it" }, { "LT", "lt" }, { "LU", "lb fr de" }, { "LV", "lv" },
	{ "MT", "mt en" }, { "NL", "nl" }, { "PL", "pl" }, { "PT", "pt" },
	{ "RO", "ro" }, { "SE", "sv" }, { "SI", "sl" }, { "SK", "sk" },
};

/* Is the primary subtag of @p tag one of the space-separated @p list? */
static int
lang_in(const char *tag, const char *list)
{
	size_t n = strcspn(tag, "-"), w;

	while (*list != '\0') {
		w = strcspn(list, " ");
		if (w == n && strncasecmp(tag, list, n) == 0)
			return 1;
		list += w + (list[w] == ' ');
	}
	return 0;
}

#define NOFFICIAL	(sizeof(official) / sizeof(official[0]))

/*
 * Which Member States of official[] one of @p langs serves, in one pass
 * over the languages: each market is then looked up, never compared with
 * every language (markets x languages was quadratic).
 */
static void
served_states(const json_t *langs, unsigned char served[NOFFICIAL])
{
	const json_t *l;
	size_t i, j;

	for (j = 0; j < NOFFICIAL; j++)
		served[j] = 0;
	json_array_foreach(langs, i, l) {
		if (!json_is_string(l))
			continue;
		for (j = 0; j < NOFFICIAL; j++) {
			attest_cost++;
			if (!served[j] &&
			    lang_in(json_string_value(l), official[j].langs))
				served[j] = 1;
		}
	}
}

static int
market_served(const unsigned char served[NOFFICIAL], const char *cc)
{
	size_t j;

	for (j = 0; j < NOFFICIAL; j++) {
		attest_cost++;
		if (strcmp(official[j].cc, cc) == 0)
			return served[j];
	}
	return 1;	/* not a Member State: S-3 said it */
}

static void
rule_doc9(struct cx *cx)
{
	const json_t *mk = get(cx->root, "markets"), *m;
	const json_t *langs = get(cx->root, "languages");
	unsigned char served[NOFFICIAL];
	char field[PATH_BYTES];
	size_t i;

	/* over their limits: S-3 said it, and the lists are not read */
	if (!json_is_array(langs) || json_array_size(langs) >
	    ATTEST_MAX_LANGUAGES || json_array_size(mk) > ATTEST_MAX_MARKETS)
		return;
	served_states(langs, served);
	json_array_foreach(mk, i, m) {
		if (!json_is_string(m) || market_served(served,
		    json_string_value(m)))
			continue;
		(void)snprintf(field, sizeof(field), "markets[%zu]", i);
		add(cx, W, "DOC-9", field, "Art. 28(2): languages required "
		    "by the Member State", "no official language of %s among "
		    "languages (check the national rules)",
		    json_string_value(m));
	}
}

static void
rule_doc10(struct cx *cx)
{
	const char *b = "Art. 30(1): where the CE marking is affixed";
	const json_t *sw = get(cx->root, "product.software");

	if (str_is(cx->root, "ce_marking.placement", "website")) {
		if (get(cx->root, "ce_marking.website_uri") == NULL)
			add(cx, E, "DOC-10", "ce_marking.website_uri", b,
			    "missing: required for placement website");
		if (json_is_false(sw))
			add(cx, W, "DOC-10", "ce_marking.placement", b,
			    "website is for software products; this product "
			    "is not software only");
	} else if (json_is_true(sw) && (str_is(cx->root,
	    "ce_marking.placement", "product") || str_is(cx->root,
	    "ce_marking.placement", "packaging")))
		add(cx, W, "DOC-10", "ce_marking.placement", b,
		    "for software the CE marking goes on the DoC or the "
		    "website");
}

static void
rule_doc11(struct cx *cx)
{
	const char *b = "Art. 28(2): the DoC updated as appropriate";
	const json_t *ver = get(cx->root, "doc_version");
	const json_t *sver = get(cx->root, "supersedes.doc_version");
	const char *id = str(cx->root, "doc_id");
	const char *sid = str(cx->root, "supersedes.doc_id");

	if (!json_is_integer(ver))
		return;
	if (json_integer_value(ver) > 1 &&
	    get(cx->root, "supersedes") == NULL) {
		add(cx, E, "DOC-11", "supersedes", b, "missing: required "
		    "when doc_version is greater than 1");
		return;
	}
	if (get(cx->root, "supersedes") == NULL)
		return;
	if (json_integer_value(ver) == 1)
		add(cx, E, "DOC-11", "supersedes", b, "doc_version 1 "
		    "supersedes nothing");
	if (id != NULL && sid != NULL && strcmp(id, sid) != 0)
		add(cx, E, "DOC-11", "supersedes.doc_id", b, "must equal "
		    "doc_id");
	if (json_is_integer(sver) && json_integer_value(ver) > 1 &&
	    json_integer_value(sver) >= json_integer_value(ver))
		add(cx, E, "DOC-11", "supersedes.doc_version", b, "must be "
		    "lower than doc_version");
}

static void
rule_doc12(struct cx *cx)
{
	if (!has(cx->root, "standards") && !has(cx->root, "certifications"))
		add(cx, W, "DOC-12", "standards", "Art. 27, Annex VII(5): "
		    "presumption of conformity", "no standards and no "
		    "certifications: no presumption of conformity is claimed");
}

static void
rule_doc13(struct cx *cx)
{
	const char *b = "Art. 13(12); FAQ 6.8: no DoC before a positive "
	    "conformity assessment";
	struct attest_ymd issue, cert, until;
	char buf[ATTEST_DATE_BYTES];

	if (!proc_has_nb(cx) ||
	    !date_at(cx->root, "signatory.date_of_issue", &issue))
		return;
	if (date_at(cx->root, "notified_body.certificate.issued_at", &cert) &&
	    attest_ymd_cmp(&issue, &cert) < 0)
		add(cx, E, "DOC-13", "signatory.date_of_issue", b, "before the "
		    "notified body certificate was issued (%s)",
		    attest_ymd_str(buf, &cert));
	if (date_at(cx->root, "notified_body.certificate.valid_until",
	    &until) && attest_ymd_cmp(&until, &issue) < 0)
		add(cx, E, "DOC-13", "notified_body.certificate.valid_until",
		    b, "the certificate expired before the DoC's date of "
		    "issue");
}

static void
doc_rules(struct cx *cx)
{
	rule_doc1(cx);
	rule_doc2(cx);
	rule_doc3(cx);
	rule_doc4(cx);
	rule_doc5(cx);
	rule_doc6(cx);
	rule_doc7(cx);
	rule_doc8(cx);
	rule_doc9(cx);
	rule_doc10(cx);
	rule_doc11(cx);
	rule_doc12(cx);
	rule_doc13(cx);
}

/* The DoC Statement an sdoc or a release refers to (ctx->doc_statement) ---- */

/*
 * The DoC an sdoc or a release is checked against, whichever way it came:
 * parsed and hashed by the caller (the chain: doc_pred, doc_sha) or as
 * the Statement bytes of ctx->doc_statement (attest-doc verify --doc),
 * parsed here once.  Every rule that relates the record to its DoC asks
 * this, so that each applies wherever both records are present.
 */
enum { DOC_UNREAD, DOC_NONE, DOC_BAD, DOC_OK };

static const json_t *
the_doc(struct cx *cx)
{
	const attest_cra_context_t *c = cx->ctx;
	unsigned char md[32];
	json_t *p;

	if (cx->doc_state == DOC_UNREAD) {
		cx->doc_state = DOC_NONE;
		if (cx->doc_pred != NULL)
			cx->doc_state = DOC_OK;
		else if (c->doc_statement != NULL) {
			cx->doc_state = DOC_BAD;
			if (attest_sha256(md, c->doc_statement,
			    c->doc_statement_len) != ATTEST_OK) {
				cx->oom = 1;
				return NULL;
			}
			attest_hex_encode(cx->doc_hex, md, sizeof(md));
			if (attest_json_load(c->doc_statement,
			    c->doc_statement_len, &cx->doc_owned, NULL) !=
			    ATTEST_OK)
				return NULL;
			p = json_object_get(cx->doc_owned, "predicate");
			if (str_is(cx->doc_owned, "_type", STMT_V1) &&
			    str_is(cx->doc_owned, "predicateType",
			    ATTEST_CRA_DOC_TYPE) && json_is_object(p)) {
				cx->doc_pred = p;
				cx->doc_sha = cx->doc_hex;
				cx->doc_state = DOC_OK;
			}
		}
	}
	return cx->doc_state == DOC_OK ? cx->doc_pred : NULL;
}

/* Is a DoC given to check against (valid or not)? */
static int
has_doc(struct cx *cx)
{
	(void)the_doc(cx);
	return cx->doc_state == DOC_OK || cx->doc_state == DOC_BAD;
}

/*
 * The DoC, after comparing its payload SHA-256 with @p hex_path of the
 * record: its predicate (borrowed) or NULL, findings under @p rule.
 */
static const json_t *
load_doc(struct cx *cx, const char *rule, const char *hex_path,
    const char *basis)
{
	const char *want = str(cx->root, hex_path);
	const json_t *doc = the_doc(cx);

	if (want == NULL) {
		add(cx, E, rule, hex_path, basis, "missing: the SHA-256 of "
		    "the signed DoC Statement");
		return NULL;
	}
	if (doc == NULL) {
		if (cx->doc_state == DOC_BAD)
			add(cx, E, rule, hex_path, basis, "the DoC given is "
			    "not a Statement with a predicate of type "
			    ATTEST_CRA_DOC_TYPE);
		return NULL;
	}
	if (strlen(want) != 64 || !attest_ct_equal(cx->doc_sha, want, 64))
		add(cx, E, rule, hex_path, basis, "not the SHA-256 of the DoC "
		    "Statement given (%s)", cx->doc_sha);
	return doc;
}

/* @p mine and the DoC's @p theirs must be equal strings when both given. */
static void
same(struct cx *cx, const json_t *doc, const char *rule, const char *mine,
    const char *theirs, const char *basis)
{
	const char *a = str(cx->root, mine), *b = str(doc, theirs);

	if (a != NULL && (b == NULL || strcmp(a, b) != 0))
		add(cx, E, rule, mine, basis, "differs from the DoC's %s "
		    "(%.128s)", theirs, b != NULL ? b : "none");
}

/*
 * The operator at @p mine and the DoC's manufacturer must be one
 * operator: legal name and country (attest_cra_operator_same()).
 */
static void
same_operator(struct cx *cx, const json_t *doc, const char *rule,
    const char *mine, const char *basis)
{
	char name[PATH_BYTES], country[PATH_BYTES];
	const char *a, *ac, *b, *bc;

	(void)snprintf(name, sizeof(name), "%s.legal_name", mine);
	(void)snprintf(country, sizeof(country), "%s.postal_address.country",
	    mine);
	if ((a = str(cx->root, name)) == NULL)
		return;		/* the record's own rules say it */
	ac = str(cx->root, country);
	b = str(doc, "manufacturer.legal_name");
	bc = str(doc, "manufacturer.postal_address.country");
	if (!attest_cra_operator_same(a, ac != NULL ? ac : "", b,
	    bc != NULL ? bc : ""))
		add(cx, E, rule, mine, basis, "%.128s (%.8s) is not the DoC's "
		    "manufacturer %.128s (%.8s): an operator is its legal name "
		    "and country", a, ac != NULL ? ac : "no country",
		    b != NULL ? b : "none", bc != NULL ? bc : "no country");
}

/* SDOC-1 ------------------------------------------------------------------- */

static void
sdoc_text(struct cx *cx)
{
	const char *text = str(cx->root, "text");
	const char *need[4];
	size_t i;

	if (text == NULL)
		return;
	need[0] = str(cx->root, "manufacturer_name");
	need[1] = str(cx->root, "type_designation");
	need[2] = "2024/2847";
	need[3] = str(cx->root, "full_doc_uri");
	for (i = 0; i < 4; i++)
		if (need[i] != NULL && strstr(text, need[i]) == NULL)
			add(cx, E, "SDOC-1", "text", B_SDOC1, "must contain "
			    "\"%.128s\" (the Annex VI sentence)", need[i]);
}

static void
rule_sdoc1(struct cx *cx)
{
	const json_t *doc;

	sdoc_text(cx);
	if (get(cx->root, "full_doc.digests") != NULL &&
	    get(cx->root, "full_doc.digests.sha256") == NULL)
		add(cx, E, "SDOC-1", "full_doc.digests.sha256", B_SDOC1,
		    "missing: the SHA-256 of the signed DoC Statement");
	if (!has_doc(cx) || str(cx->root, "full_doc.digests.sha256") ==
	    NULL)
		return;
	if ((doc = load_doc(cx, "SDOC-1", "full_doc.digests.sha256",
	    B_SDOC1)) == NULL)
		return;
	same(cx, doc, "SDOC-1", "manufacturer_name", "manufacturer.legal_name",
	    B_SDOC1);
	same(cx, doc, "SDOC-1", "type_designation",
	    "product.type_designation", B_SDOC1);
	same(cx, doc, "SDOC-1", "full_doc_uri", "full_text_uri",
	    "Art. 13(20), Annex II(6): the DoC's internet address");
}

/* Release rules ------------------------------------------------------------ */

static void
rule_rel1(struct cx *cx)
{
	struct attest_ymd s, e;

	if (date_at(cx->root, "support_period.start", &s) &&
	    end_at(cx->root, "support_period.end", &e) &&
	    attest_ymd_cmp(&e, &s) <= 0)
		add(cx, E, "REL-1", "support_period.end", B_REL1, "must be "
		    "after support_period.start");
}

/*
 * REL-2 as amended (anchors §10.0): at least five years; where the
 * expected use is shorter, at least the expected use, with a
 * justification; shorter than an expected use of five years or more is
 * a warning.  Periods run as in Regulation 1182/71 Art. 3: from
 * 2028-03-01, five years end on 2033-03-01.
 */
static void
rule_rel2(struct cx *cx)
{
	const char *b = "Art. 13(8): at least five years, or the expected "
	    "use time";
	const json_t *m = get(cx->root, "support_period.expected_use_months");
	struct attest_ymd s, e, five, use;
	long long months = json_is_integer(m) ? json_integer_value(m) : 0;
	char buf[ATTEST_DATE_BYTES];

	if (!date_at(cx->root, "support_period.start", &s) ||
	    !end_at(cx->root, "support_period.end", &e) || months < 0)
		return;
	five = attest_ymd_add_years(s, 5);
	use = attest_ymd_add_months(s, months);
	if (months > 0 && months < 60) {
		if (attest_ymd_cmp(&e, &use) < 0)
			add(cx, E, "REL-2", "support_period.end", b, "before "
			    "the end of the expected use (%s)",
			    attest_ymd_str(buf, &use));
		else if (attest_ymd_cmp(&e, &five) < 0 &&
		    !has(cx->root, "support_period.justification"))
			add(cx, E, "REL-2", "support_period.justification", b,
			    "missing: a support period under five years "
			    "needs one");
		return;
	}
	if (attest_ymd_cmp(&e, &five) < 0)
		add(cx, E, "REL-2", "support_period.end", b, "less than five "
		    "years after the start (at least %s)",
		    attest_ymd_str(buf, &five));
	else if (months > 0 && attest_ymd_cmp(&e, &use) < 0)
		add(cx, W, "REL-2", "support_period.end", b, "before the end "
		    "of the expected use (%s)", attest_ymd_str(buf, &use));
}

static void
rule_rel3(struct cx *cx)
{
	struct attest_ymd placed, last, end, keep, ten;
	const struct attest_ymd *from = &placed;
	const json_t *id = get(cx->root, "product.identification");
	char buf[ATTEST_DATE_BYTES];

	if (!date_at(cx->root, "placed_on_market_at", &placed))
		return;
	if (date_at(cx->root, "last_placed_on_market_at", &last)) {
		if (attest_ymd_cmp(&last, &placed) < 0)
			add(cx, E, "REL-3", "last_placed_on_market_at",
			    B_REL3, "before placed_on_market_at");
		from = ymd_max(&last, &placed);
	} else if (has(id, "serial_ranges") ||
	    json_array_size(get(id, "serials")) > 1)
		add(cx, W, "REL-3", "last_placed_on_market_at", B_REL3,
		    "missing: retention is counted from the first unit; a "
		    "series needs the last placing date");
	ten = attest_ymd_add_years(*from, 10);
	keep = end_at(cx->root, "support_period.end", &end) ?
	    *ymd_max(&ten, &end) : ten;
	if (date_at(cx->root, "retention_until", &last) &&
	    attest_ymd_cmp(&last, &keep) < 0)
		add(cx, E, "REL-3", "retention_until", B_REL3, "must be on or "
		    "after %s", attest_ymd_str(buf, &keep));
}

static void
rule_rel4(struct cx *cx)
{
	struct attest_ymd rel, end, until, keep;
	char buf[ATTEST_DATE_BYTES];

	if (!is_true(cx->root, "security_update.is_security_update") ||
	    !date_at(cx->root, "release_date", &rel) ||
	    !date_at(cx->root, "security_update.available_until", &until))
		return;
	keep = attest_ymd_add_years(rel, 10);
	if (end_at(cx->root, "support_period.end", &end))
		keep = *ymd_max(&keep, &end);
	if (attest_ymd_cmp(&until, &keep) < 0)
		add(cx, E, "REL-4", "security_update.available_until",
		    "Art. 13(9): security updates available 10 years or the "
		    "support period", "must be on or after %s",
		    attest_ymd_str(buf, &keep));
}

/*
 * REL-5 against the SBOM itself (ctx->sbom, specs/cra.md §7.1, §7.2):
 * its digests, that it is the declared format and spec version, and the
 * few fields a claimed BSI TR-03183-2 profile needs.
 */

#define BSI_PROFILE	"BSI TR-03183-2"
#define SPDX3_CONTEXT	"https://spdx.org/rdf/"
#define SPDX3_CTX_FILE	"/spdx-context.jsonld"
#define SHOWN_BYTES	40

enum { SB_NONE, SB_CDX, SB_SPDX2, SB_SPDX3 };

/* A value taken from the SBOM, fit for a message: printable ASCII. */
static const char *
shown(char buf[SHOWN_BYTES], const char *s)
{
	size_t i;

	for (i = 0; i < SHOWN_BYTES - 4 && s[i] != '\0'; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (s[i] != '\0') {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/* Is dotted version @p v below @p min ("1.5" < "1.6" < "1.10")? */
static int
version_below(const char *v, const char *min)
{
	unsigned long a, b;
	char *end;

	while (*min != '\0') {
		if (!is_digit((unsigned char)*v))
			return 1;
		a = strtoul(v, &end, 10);
		v = end;
		b = strtoul(min, &end, 10);
		min = end;
		if (a != b)
			return a < b;
		if (*min == '.')
			min++;
		if (*v == '.')
			v++;
		else if (*v != '\0')
			return 1;
	}
	return 0;
}

/* Each digest of sbom.digests against the SBOM's bytes. */
static void
sbom_digests(struct cx *cx)
{
	static const struct {
		const char	*path;
		unsigned int	 alg;
		const char	*name;
	} d[] = {
		{ "sbom.digests.sha256", ATTEST_DIGEST_SHA256, "SHA-256" },
		{ "sbom.digests.sha512", ATTEST_DIGEST_SHA512, "SHA-512" },
	};
	attest_digest_t *md;
	const char *want, *got;
	size_t i, n;

	if ((md = attest_digest_new(ATTEST_DIGEST_SHA256 |
	    ATTEST_DIGEST_SHA512)) == NULL ||
	    attest_digest_update(md, cx->ctx->sbom, cx->ctx->sbom_len) !=
	    ATTEST_OK || attest_digest_final(md) != ATTEST_OK) {
		attest_digest_free(&md);
		cx->oom = 1;
		return;
	}
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		got = attest_digest_get_hex(md, d[i].alg);
		n = 2 * attest_digest_len(d[i].alg);
		/* absent, or not lowercase hex: the schema said it (S-3) */
		if ((want = str(cx->root, d[i].path)) == NULL ||
		    !lower_hex(want, n))
			continue;
		if (!attest_ct_equal(want, got, n))
			add(cx, E, "REL-5", d[i].path, B_REL5, "not the %s of "
			    "the SBOM given (%s)", d[i].name, got);
	}
	attest_digest_free(&md);
}

/* The SBOM, parsed as strictly as any JSON libattest reads, or NULL. */
static json_t *
sbom_load(struct cx *cx, const char *fmt)
{
	attest_diag_t *d;
	json_t *j = NULL;
	const char *why;

	if ((d = attest_diag_new()) == NULL) {
		cx->oom = 1;
		return NULL;
	}
	/* an SBOM is no signed record: a budget of its own (limits.h) */
	if (attest_json_load_within(cx->ctx->sbom, cx->ctx->sbom_len,
	    attest_json_budget(cx->ctx->sbom_len, ATTEST_SBOM_MEMORY_FACTOR),
	    &j, d) != ATTEST_OK) {
		why = attest_diag_get_message(d);
		add(cx, E, "REL-5", "sbom.format", B_REL5, "\"%s\", but the "
		    "SBOM given is not a %s JSON document: %s", fmt,
		    strcmp(fmt, "spdx") == 0 ? "SPDX" : "CycloneDX",
		    why != NULL ? why : "not JSON");
	}
	attest_diag_free(&d);
	return j;
}

/* CycloneDX JSON: bomFormat, and specVersion equal to sbom.spec_version. */
static int
sbom_cyclonedx(struct cx *cx, const json_t *j, const char *ver)
{
	const char *v = str(j, "specVersion");
	char buf[SHOWN_BYTES], mine[SHOWN_BYTES];

	if (!str_is(j, "bomFormat", "CycloneDX")) {
		add(cx, E, "REL-5", "sbom.format", B_REL5, "\"cyclonedx\", but "
		    "the SBOM given is not CycloneDX JSON (no bomFormat "
		    "\"CycloneDX\")");
		return SB_NONE;
	}
	if (ver != NULL && v == NULL)
		add(cx, E, "REL-5", "sbom.spec_version", B_REL5, "\"%s\", but "
		    "the SBOM given has no specVersion", shown(mine, ver));
	else if (ver != NULL && strcmp(v, ver) != 0)
		add(cx, E, "REL-5", "sbom.spec_version", B_REL5, "\"%s\", but "
		    "the SBOM given has specVersion \"%s\"", shown(mine, ver),
		    shown(buf, v));
	return SB_CDX;
}

/*
 * The version in an SPDX 3 JSON-LD @context (a string, or an array
 * holding one) "https://spdx.org/rdf/VERSION/spdx-context.jsonld", or
 * NULL when it has none.
 */
static const char *
spdx3_version(const json_t *ctx, char out[SHOWN_BYTES])
{
	const json_t *c;
	const char *s;
	size_t i, n, pre = strlen(SPDX3_CONTEXT), suf = strlen(SPDX3_CTX_FILE);

	for (i = 0; json_is_string(ctx) ? i < 1 : i < json_array_size(ctx);
	    i++) {
		c = json_is_string(ctx) ? ctx : json_array_get(ctx, i);
		if (!json_is_string(c))
			continue;
		s = json_string_value(c);
		n = strlen(s);
		if (n <= pre + suf || n - pre - suf >= SHOWN_BYTES ||
		    strncmp(s, SPDX3_CONTEXT, pre) != 0 ||
		    strcmp(s + n - suf, SPDX3_CTX_FILE) != 0 ||
		    !is_digit((unsigned char)s[pre]))
			continue;
		memcpy(out, s + pre, n - pre - suf);
		out[n - pre - suf] = '\0';
		if (strspn(out, "0123456789.") == n - pre - suf)
			return out;
	}
	return NULL;
}

/* Is @p n a JSON-LD node of type @p type ("type", or "@type")? */
static int
is_type(const json_t *n, const char *type)
{
	return str_is(n, "type", type) || str_is(n, "@type", type);
}

/*
 * SPDX 2 JSON (spdxVersion "SPDX-" sbom.spec_version), or SPDX 3
 * JSON-LD (its @context names sbom.spec_version, @graph an array, and
 * any CreationInfo's specVersion is that too).
 */
static int
sbom_spdx(struct cx *cx, const json_t *j, const char *ver)
{
	const json_t *graph = json_object_get(j, "@graph"), *n;
	const char *v;
	char buf[SHOWN_BYTES], mine[SHOWN_BYTES];
	size_t i;

	if (json_is_string(json_object_get(j, "spdxVersion"))) {
		v = json_string_value(json_object_get(j, "spdxVersion"));
		if (ver != NULL && (strncmp(v, "SPDX-", 5) != 0 ||
		    strcmp(v + 5, ver) != 0))
			add(cx, E, "REL-5", "sbom.spec_version", B_REL5,
			    "\"%s\", but the SBOM given has spdxVersion \"%s\" "
			    "(not \"SPDX-%s\")", shown(mine, ver),
			    shown(buf, v), mine);
		return SB_SPDX2;
	}
	if ((v = spdx3_version(json_object_get(j, "@context"), buf)) == NULL ||
	    !json_is_array(graph)) {
		add(cx, E, "REL-5", "sbom.format", B_REL5, "\"spdx\", but the "
		    "SBOM given is neither SPDX 2 JSON (spdxVersion) nor "
		    "SPDX 3 JSON-LD (@context " SPDX3_CONTEXT "VERSION"
		    SPDX3_CTX_FILE ", @graph)");
		return SB_NONE;
	}
	if (ver != NULL && strcmp(v, ver) != 0) {
		add(cx, E, "REL-5", "sbom.spec_version", B_REL5, "\"%s\", but "
		    "the SBOM given is SPDX %s (its @context)",
		    shown(mine, ver), v);
		return SB_SPDX3;
	}
	json_array_foreach(graph, i, n) {
		if (ver == NULL || !is_type(n, "CreationInfo") ||
		    (v = str(n, "specVersion")) == NULL ||
		    strcmp(v, ver) == 0)
			continue;
		add(cx, E, "REL-5", "sbom.spec_version", B_REL5, "\"%s\", but "
		    "the SBOM given has @graph[%zu].specVersion \"%s\"",
		    shown(mine, ver), i, shown(buf, v));
		break;
	}
	return SB_SPDX3;
}

/* Components that lack a member the profile needs. */
struct lacking {
	const char	*mem[3];
	size_t		 n[3];
	char		 first[3][PATH_BYTES];
	size_t		 total;
};

static void
need_members(struct lacking *l, const json_t *c, const char *path)
{
	size_t i;

	l->total++;
	for (i = 0; i < 3; i++)
		if (!has(c, l->mem[i]) && l->n[i]++ == 0)
			(void)snprintf(l->first[i], PATH_BYTES, "%s", path);
}

/* Every CycloneDX component, nested ones too (the depth is bounded). */
static void
cdx_components(struct lacking *l, const json_t *a, const char *path)
{
	char p[PATH_BYTES], sub[PATH_BYTES];
	const json_t *c;
	size_t i;

	json_array_foreach(a, i, c) {
		(void)snprintf(p, sizeof(p), "%s[%zu]", path, i);
		need_members(l, c, p);
		if (json_is_array(json_object_get(c, "components")))
			cdx_components(l, json_object_get(c, "components"),
			    join(sub, p, "components"));
	}
}

static void
profile_lacking(struct cx *cx, const struct lacking *l, const char *what)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (l->n[i] > 0)
			add(cx, W, "REL-5", "sbom.profile", B_REL5, "claims "
			    BSI_PROFILE ", but the SBOM's %s has no %s (%zu of "
			    "%zu %s lack it)", l->first[i], l->mem[i], l->n[i],
			    l->total, what);
}

static void
bsi_cyclonedx(struct cx *cx, const json_t *j)
{
	struct lacking l = { { "name", "version", "hashes" }, { 0 }, { "" },
	    0 };
	const char *v = str(j, "specVersion");
	char buf[SHOWN_BYTES];

	if (v != NULL && version_below(v, "1.6"))
		add(cx, W, "REL-5", "sbom.profile", B_REL5, "claims "
		    BSI_PROFILE ", which asks for CycloneDX 1.6 or later "
		    "(specVersion \"%s\")", shown(buf, v));
	if (!has(j, "metadata.timestamp"))
		add(cx, W, "REL-5", "sbom.profile", B_REL5, "claims "
		    BSI_PROFILE ", but the SBOM has no metadata.timestamp");
	if (!has(j, "metadata.authors") && !has(j, "metadata.manufacturer") &&
	    !has(j, "metadata.supplier"))
		add(cx, W, "REL-5", "sbom.profile", B_REL5, "claims "
		    BSI_PROFILE ", but the SBOM names no creator "
		    "(metadata.authors, metadata.manufacturer or "
		    "metadata.supplier)");
	if (json_is_array(json_object_get(j, "components")))
		cdx_components(&l, json_object_get(j, "components"),
		    "components");
	profile_lacking(cx, &l, "components");
}

static void
bsi_spdx3(struct cx *cx, const json_t *j)
{
	struct lacking l = { { "name", "software_packageVersion",
	    "verifiedUsing" }, { 0 }, { "" }, 0 };
	const json_t *graph = json_object_get(j, "@graph"), *n, *ci;
	int created = 0, by = 0;
	char p[PATH_BYTES];
	size_t i;

	json_array_foreach(graph, i, n) {
		ci = is_type(n, "CreationInfo") ? n :
		    json_object_get(n, "creationInfo");
		if (json_is_object(ci)) {
			created |= has(ci, "created");
			by |= has(ci, "createdBy");
		}
		if (is_type(n, "software_Package")) {
			(void)snprintf(p, sizeof(p), "@graph[%zu]", i);
			need_members(&l, n, p);
		}
	}
	if (!created)
		add(cx, W, "REL-5", "sbom.profile", B_REL5, "claims "
		    BSI_PROFILE ", but no CreationInfo of the SBOM has "
		    "created");
	if (!by)
		add(cx, W, "REL-5", "sbom.profile", B_REL5, "claims "
		    BSI_PROFILE ", but no CreationInfo of the SBOM has "
		    "createdBy");
	profile_lacking(cx, &l, "software_Package elements");
}

/* A claimed BSI TR-03183-2 profile: the few fields checked (§7.2). */
static void
sbom_profile(struct cx *cx, const json_t *j, int kind)
{
	const char *p = str(cx->root, "sbom.profile"), *v;
	char buf[SHOWN_BYTES];

	if (p == NULL || strncmp(p, BSI_PROFILE, strlen(BSI_PROFILE)) != 0)
		return;
	if (kind == SB_CDX)
		bsi_cyclonedx(cx, j);
	else if (kind == SB_SPDX3) {
		v = spdx3_version(json_object_get(j, "@context"), buf);
		if (v != NULL && version_below(v, "3.0.1"))
			add(cx, W, "REL-5", "sbom.profile", B_REL5, "claims "
			    BSI_PROFILE ", which asks for SPDX 3.0.1 or later "
			    "(SPDX %s)", v);
		bsi_spdx3(cx, j);
	} else
		add(cx, W, "REL-5", "sbom.profile", B_REL5, "claims "
		    BSI_PROFILE ", which asks for SPDX 3.0.1 or later (the "
		    "SBOM given is SPDX 2)");
}

static void
sbom_check(struct cx *cx)
{
	const char *fmt = str(cx->root, "sbom.format");
	const char *ver = str(cx->root, "sbom.spec_version");
	json_t *j;
	int kind;

	sbom_digests(cx);
	/* a format outside the enumeration: REL-5 said so already */
	if (fmt == NULL || (strcmp(fmt, "cyclonedx") != 0 &&
	    strcmp(fmt, "spdx") != 0))
		return;
	if ((j = sbom_load(cx, fmt)) == NULL)
		return;
	if (strcmp(fmt, "cyclonedx") == 0)
		kind = sbom_cyclonedx(cx, j, ver);
	else
		kind = sbom_spdx(cx, j, ver);
	if (kind != SB_NONE)
		sbom_profile(cx, j, kind);
	json_decref(j);
}

static void
rule_rel5(struct cx *cx)
{
	if (!json_is_object(get(cx->root, "sbom")))
		return;
	if (get(cx->root, "sbom.profile") == NULL)
		add(cx, W, "REL-5", "sbom.profile", B_REL5, "no profile "
		    "named (e.g. BSI TR-03183-2)");
	if (cx->ctx->sbom != NULL)
		sbom_check(cx);
}

static void
rule_rel8(struct cx *cx)
{
	const char *b = "Art. 13(12), 28: the DoC of this product";
	const json_t *doc;

	if (!has_doc(cx))
		return;
	if ((doc = load_doc(cx, "REL-8", "doc.digests.sha256", b)) == NULL)
		return;
	same(cx, doc, "REL-8", "product.type_designation",
	    "product.type_designation", b);
	same_operator(cx, doc, "REL-8", "manufacturer", b);
	same(cx, doc, "REL-8", "product.class", "product.class", b);
	same(cx, doc, "REL-8", "procedure", "procedure", b);
	same(cx, doc, "REL-8", "notified_body.number",
	    "notified_body.number", b);
	same(cx, doc, "REL-8", "notified_body.certificate.id",
	    "notified_body.certificate.id", b);
	if (get(cx->root, "notified_body") == NULL &&
	    get(doc, "notified_body") != NULL)
		add(cx, E, "REL-8", "notified_body", b, "missing: the DoC "
		    "names one");
}

/* The DoC's date of issue, when the DoC is at hand and valid. */
static int
doc_issue(struct cx *cx, struct attest_ymd *out)
{
	const json_t *doc = the_doc(cx);

	return doc != NULL && date_at(doc, "signatory.date_of_issue", out);
}

static void
rule_rel9(struct cx *cx)
{
	const json_t *doc = the_doc(cx);

	/* (a DoC that is no DoC: REL-8 said it) */
	if (doc != NULL && get(cx->root, "sdoc") != NULL &&
	    str(doc, "full_text_uri") == NULL)
		add(cx, E, "REL-9", "sdoc", "Art. 13(20): the simplified DoC "
		    "gives the full DoC's address", "the DoC has no "
		    "full_text_uri for the simplified DoC to point to");
}

static void
rule_rel10(struct cx *cx)
{
	const char *b = "Art. 13(12), 30(3): CE marking and DoC before "
	    "placing on the market";
	struct attest_ymd placed, at, issue;
	char buf[ATTEST_DATE_BYTES];

	if (json_is_false(get(cx->root, "ce_marking.affixed")))
		add(cx, E, "REL-10", "ce_marking.affixed", b, "must be true");
	if (!date_at(cx->root, "placed_on_market_at", &placed))
		return;
	if (date_at(cx->root, "ce_marking.affixed_at", &at) &&
	    attest_ymd_cmp(&at, &placed) > 0)
		add(cx, E, "REL-10", "ce_marking.affixed_at", b, "after "
		    "placed_on_market_at");
	if (doc_issue(cx, &issue) && attest_ymd_cmp(&issue, &placed) > 0)
		add(cx, E, "REL-10", "placed_on_market_at", b, "before the "
		    "DoC's date of issue (%s)", attest_ymd_str(buf, &issue));
}

static void
rule_rel12(struct cx *cx)
{
	static const struct attest_ymd applies = { .y = 2027, .m = 12,
	    .d = 11 };
	struct attest_ymd placed;

	if (date_at(cx->root, "placed_on_market_at", &placed) &&
	    attest_ymd_cmp(&placed, &applies) < 0 &&
	    !is_true(cx->root, "substantial_modification.is"))
		add(cx, W, "REL-12", "placed_on_market_at", "Art. 69(2), "
		    "71(2): the product requirements apply from 2027-12-11",
		    "placed before 2027-12-11 and not substantially "
		    "modified: the CRA's product requirements do not bind "
		    "these units");
}

static void
rule_rel13(struct cx *cx, const struct attest_ymd *now)
{
	struct attest_ymd e;

	if (end_at(cx->root, "support_period.end", &e) &&
	    attest_ymd_cmp(&e, now) < 0)
		add(cx, W, "REL-13", "support_period.end", "Art. 13(19): end "
		    "of the support period", "the support period has ended: "
		    "out of support");
}

static void
release_rules(struct cx *cx, const struct attest_ymd *now)
{
	rule_rel1(cx);
	rule_rel2(cx);
	rule_rel3(cx);
	rule_rel4(cx);
	rule_rel5(cx);
	/* REL-6, REL-7: owned members, reported by the schema walk */
	rule_rel8(cx);
	rule_rel9(cx);
	rule_rel10(cx);
	check_category(cx, "REL-11", "Art. 7, 8: an important or critical "
	    "product's category");
	rule_rel12(cx);
	rule_rel13(cx, now);
	/* the procedure rules of the DoC hold for the release too (§6) */
	rule_doc4(cx);
	rule_doc5(cx);
	rule_doc7(cx);
}

/* Importer and distributor records (specs/chain.md §2.3) ------------------- */

#define B_IMP2	"Art. 19(2), 19(3): the importer's checks before placing " \
		"on the market"
#define B_IMP3	"Art. 19(2) last subparagraph, 20(2): what a check rests on"
#define B_DIS1	"Art. 20(2), 20(3): the distributor's checks before " \
		"making available"
#define B_DIS2	"Art. 20(2)(b), 19(4): the importer of a product made " \
		"outside the Union"
#define B_EARLY	"Art. 69(2): the product requirements apply to units " \
		"placed from 2027-12-11"

/*
 * Is the operator at @p op established in the Union (1), outside it (0),
 * or is its country unknown (-1, the schema said why)?  "Outside the
 * Union": the country of its postal address is not a Member State.
 */
static int
in_union(const struct cx *cx, const char *op, const char **country)
{
	char path[PATH_BYTES];
	const char *c;

	(void)snprintf(path, sizeof(path), "%s.postal_address.country", op);
	*country = c = str(cx->root, path);
	if (c == NULL || !attest_country_ok(c))
		return -1;
	return attest_eu_state_ok(c) ? 1 : 0;
}

/* Were the units placed (the date at @p path) before 2027-12-11? */
static int
placed_early(const struct cx *cx, const char *path)
{
	static const struct attest_ymd applies = { .y = 2027, .m = 12,
	    .d = 11 };
	struct attest_ymd d;

	return date_at(cx->root, path, &d) && attest_ymd_cmp(&d, &applies) < 0;
}

/* The result of check @p name, or NULL (absent, or not a result). */
static const char *
result_of(const struct cx *cx, const char *name)
{
	const json_t *c = json_object_get(get(cx->root, "checks"), name);
	const char *r = str(c, "result");

	if (r == NULL || (strcmp(r, "pass") != 0 && strcmp(r, "fail") != 0 &&
	    strcmp(r, "not_applicable") != 0))
		return NULL;
	return r;
}

/*
 * IMP-2, DIS-1: with decision @p go, every check of @p checks that is
 * given passes.  A check other than pass of @p early1 or @p early2 is a
 * warning for units placed before 2027-12-11 (the date at @p placed);
 * @p na_ok, when not NULL, is a check that may be not_applicable.
 */
static void
checks_pass(struct cx *cx, const char *rule, const char *basis,
    const struct ty *checks, const char *go, const char *placed,
    const char *early1, const char *early2, const char *na_ok)
{
	char field[PATH_BYTES];
	const struct mem *m;
	const char *r, *when = str(cx->root, placed);
	int early = placed_early(cx, placed), soft;

	for (m = checks->mems; m->name != NULL; m++) {
		if ((r = result_of(cx, m->name)) == NULL ||
		    strcmp(r, "pass") == 0)
			continue;
		if (na_ok != NULL && strcmp(m->name, na_ok) == 0 &&
		    strcmp(r, "not_applicable") == 0)
			continue;
		soft = early && (strcmp(m->name, early1) == 0 ||
		    strcmp(m->name, early2) == 0);
		(void)snprintf(field, sizeof(field), "checks.%s.result",
		    m->name);
		if (soft)
			add(cx, W, rule, field, B_EARLY, "%s, for units placed "
			    "before 2027-12-11 (%s %s): the CRA's product "
			    "requirements do not bind them", r, placed, when);
		else
			add(cx, E, rule, field, basis, "%s: decision %s needs "
			    "the check to pass", r, go);
	}
}

static void
rule_imp1(struct cx *cx)
{
	const char *c;

	if (in_union(cx, "importer", &c) == 0)
		add(cx, E, "IMP-1", "importer.postal_address.country", B_IMP1,
		    "%s is not an EU Member State: an importer is "
		    "established in the Union", c);
	if (in_union(cx, "manufacturer", &c) == 1)
		add(cx, W, "IMP-1", "manufacturer.postal_address.country",
		    B_IMP1, "the manufacturer is established in the Union "
		    "(%s): this is not an import", c);
}

static void
rule_imp2(struct cx *cx)
{
	if (!str_is(cx->root, "decision", "place_on_market"))
		return;
	if (get(cx->root, "placed_on_market_at") == NULL)
		add(cx, E, "IMP-2", "placed_on_market_at", B_IMP2, "missing: "
		    "required when decision is place_on_market");
	checks_pass(cx, "IMP-2", B_IMP2, &t_imp_checks, "place_on_market",
	    "placed_on_market_at", "ce_marking", "doc_accompanies", NULL);
}

/* IMP-3 (both records): a pass has evidence, anything else a note. */
static void
rule_imp3(struct cx *cx, const struct ty *checks)
{
	char field[PATH_BYTES];
	const json_t *c, *ev;
	const struct mem *m;
	const char *r;

	for (m = checks->mems; m->name != NULL; m++) {
		if ((r = result_of(cx, m->name)) == NULL)
			continue;
		c = json_object_get(get(cx->root, "checks"), m->name);
		ev = json_object_get(c, "evidence");
		if (strcmp(r, "pass") == 0 && (ev == NULL ||
		    (json_is_array(ev) && json_array_size(ev) == 0))) {
			(void)snprintf(field, sizeof(field),
			    "checks.%s.evidence", m->name);
			add(cx, E, "IMP-3", field, B_IMP3, "%s: a check that "
			    "passed needs at least one piece of evidence",
			    ev == NULL ? "missing" : "empty");
		} else if (strcmp(r, "pass") != 0 &&
		    json_object_get(c, "note") == NULL) {
			(void)snprintf(field, sizeof(field), "checks.%s.note",
			    m->name);
			add(cx, E, "IMP-3", field, B_IMP3, "missing: a check "
			    "that is %s needs a note saying why", r);
		}
	}
}

/* IMP-5, DIS-5: the record is signed for the operator it is of. */
static void
signed_for(struct cx *cx, const char *rule, const char *op)
{
	const char *basis = "specs/chain.md §2.3: signed for and on behalf "
	    "of the operator the record is of";
	char path[PATH_BYTES];
	const char *who = str(cx->root, "signatory.on_behalf_of"), *name;

	(void)snprintf(path, sizeof(path), "%s.legal_name", op);
	if (who != NULL && (name = str(cx->root, path)) != NULL &&
	    strcmp(who, name) != 0)
		add(cx, E, rule, "signatory.on_behalf_of", basis, "must be the "
		    "legal_name of the %s (%.128s)", op, name);
}

static void
rule_imp6(struct cx *cx)
{
	const char *from = "placed_on_market_at";
	struct attest_ymd at, keep, until;
	char buf[ATTEST_DATE_BYTES];

	if (get(cx->root, from) == NULL)
		from = "custody.event_date";
	if (!date_at(cx->root, from, &at) ||
	    !date_at(cx->root, "doc_retention_until", &until))
		return;
	keep = attest_ymd_add_years(at, 10);
	if (attest_ymd_cmp(&until, &keep) < 0)
		add(cx, E, "IMP-6", "doc_retention_until", B_IMP6, "must be on "
		    "or after %s (%s + 10 years)", attest_ymd_str(buf, &keep),
		    from);
}

/* IMP-7, DIS-4: Art. 21 makes the operator a manufacturer. */
static void
own_name(struct cx *cx, const char *rule, const char *who)
{
	if (is_true(cx->root, "own_name_or_substantial_modification"))
		add(cx, E, rule, "own_name_or_substantial_modification",
		    "Art. 21: an importer or distributor placing the product "
		    "under its own name or trademark, or modifying it "
		    "substantially, is its manufacturer", "true: the %s is "
		    "then the manufacturer and needs its own DoC and release "
		    "attestation, not this record", who);
}

static void
rule_imp8(struct cx *cx)
{
	const struct mem *m;
	const char *r, *why = NULL;

	if (has(cx->root, "risk_notices"))
		return;
	for (m = t_imp_checks.mems; why == NULL && m->name != NULL; m++)
		if ((r = result_of(cx, m->name)) != NULL &&
		    strcmp(r, "fail") == 0)
			why = m->name;
	if (why != NULL)
		add(cx, W, "IMP-8", "risk_notices", "Art. 19(3): the "
		    "manufacturer and the authorities informed of a risk",
		    "none, but checks.%s failed: were the manufacturer and "
		    "the market surveillance authorities to be told?", why);
	else if (str_is(cx->root, "decision", "withhold"))
		add(cx, W, "IMP-8", "risk_notices", "Art. 19(3): the "
		    "manufacturer and the authorities informed of a risk",
		    "none, but the decision is withhold: were the "
		    "manufacturer and the market surveillance authorities to "
		    "be told?");
}

static void
rule_dis1(struct cx *cx)
{
	const char *c;

	if (!str_is(cx->root, "decision", "make_available"))
		return;
	checks_pass(cx, "DIS-1", B_DIS1, &t_dis_checks, "make_available",
	    "custody.event_date", "ce_marking", "doc_13_20",
	    in_union(cx, "manufacturer", &c) == 1 ? "importer_contact_19_4" :
	    NULL);
}

static void
rule_dis2(struct cx *cx)
{
	const char *c;

	if (in_union(cx, "manufacturer", &c) != 0)
		return;
	if (json_is_object(get(cx->root, "checks")) &&
	    get(cx->root, "checks.importer_contact_19_4") == NULL)
		add(cx, E, "DIS-2", "checks.importer_contact_19_4", B_DIS2,
		    "missing: the manufacturer is established outside the "
		    "Union (%s)", c);
	if (json_is_object(get(cx->root, "upstream")) &&
	    get(cx->root, "upstream.import") == NULL)
		add(cx, E, "DIS-2", "upstream.import", B_DIS2, "missing: the "
		    "manufacturer is established outside the Union (%s): the "
		    "importer record is required", c);
}

#define B_CUS1_TO	"Art. 23(1)(b): the name and address of whom the " \
			"product was supplied to, where available"

static void
rule_cus1(struct cx *cx)
{
	const json_t *to = get(cx->root, "custody.supplied_to");
	struct attest_ymd ev, keep, until;
	char buf[ATTEST_DATE_BYTES];

	if (date_at(cx->root, "custody.event_date", &ev) &&
	    date_at(cx->root, "custody.retain_until", &until)) {
		keep = attest_ymd_add_years(ev, 10);
		if (attest_ymd_cmp(&until, &keep) < 0)
			add(cx, E, "CUS-1", "custody.retain_until", B_CUS1,
			    "must be on or after %s (event_date + 10 years)",
			    attest_ymd_str(buf, &keep));
	}
	/*
	 * Art. 23(1)(b) asks for the operator the units were supplied to
	 * "where available": a record says it is not recorded with
	 * supplied_to null (a warning, not an error); the supplier
	 * (23(1)(a)) stays required.  Absent: no operator was supplied yet
	 * (or only users), nothing to say.
	 */
	if (json_is_null(to))
		add(cx, W, "CUS-1", "custody.supplied_to", B_CUS1_TO,
		    "not recorded: the record says it does not name the "
		    "operator the units were supplied to");
	else if (json_is_object(to) && get(to, "postal_address") == NULL)
		add(cx, W, "CUS-1", "custody.supplied_to.postal_address",
		    B_CUS1_TO, "missing: the operator supplied is named "
		    "without an address");
}

static void
import_rules(struct cx *cx)
{
	rule_imp1(cx);
	rule_imp2(cx);
	rule_imp3(cx, &t_imp_checks);
	/* IMP-5: owned members, reported by the schema walk, and: */
	signed_for(cx, "IMP-5", "importer");
	rule_imp6(cx);
	own_name(cx, "IMP-7", "importer");
	rule_imp8(cx);
	rule_cus1(cx);
}

static void
distribution_rules(struct cx *cx)
{
	rule_imp3(cx, &t_dis_checks);
	rule_dis1(cx);
	rule_dis2(cx);
	own_name(cx, "DIS-4", "distributor");
	/* DIS-5: owned members, reported by the schema walk, and: */
	signed_for(cx, "DIS-5", "distributor");
	rule_cus1(cx);
}

/* The check ---------------------------------------------------------------- */

/* The first error, into diag. */
static void
first_error(const struct cx *cx, attest_diag_t *diag)
{
	const struct cra_finding *f;
	size_t i;

	for (i = 0; i < cx->out->n; i++) {
		f = &cx->out->f[i];
		if (f->sev != E)
			continue;
		(void)attest_diag_set(diag, ATTEST_ERR_POLICY, f->field, -1,
		    "%s (%s, %s); %zu error(s) in all", f->msg, f->rule,
		    f->basis, cx->out->nerr);
		return;
	}
}

static const struct ty *
schema_of(attest_cra_kind_t kind)
{
	switch (kind) {
	case ATTEST_CRA_DOC:
		return &t_doc;
	case ATTEST_CRA_SDOC:
		return &t_sdoc;
	case ATTEST_CRA_RELEASE:
		return &t_release;
	case ATTEST_CRA_IMPORT:
		return &t_import;
	case ATTEST_CRA_DISTRIBUTION:
		return &t_distribution;
	case ATTEST_CRA_NONE:
		break;
	}
	return NULL;
}

static attest_err_t
check_args(attest_cra_kind_t kind, const unsigned char *predicate,
    const attest_cra_context_t *ctx, attest_cra_findings_t **out,
    struct attest_ymd *now, attest_diag_t *diag)
{
	if (out != NULL)
		*out = NULL;
	if (out == NULL || predicate == NULL || schema_of(kind) == NULL)
		return attest_diag_set(diag, ATTEST_ERR_INVALID_ARGUMENT,
		    NULL, -1, "no output, no predicate or an unknown kind");
	if (ctx == NULL || ctx->now == NULL ||
	    attest_ymd_parse(ctx->now, 0, now) != ATTEST_YMD_DATE)
		return attest_diag_set(diag, ATTEST_ERR_INVALID_ARGUMENT,
		    NULL, -1, "the context's now must be a date YYYY-MM-DD");
	return attest_need_init(diag);
}

/*
 * The walk and the rules on a parsed predicate; with @p doc_pred the DoC
 * an sdoc or release refers to, already parsed, and its payload SHA-256.
 */
static attest_err_t
check_root(attest_cra_kind_t kind, const json_t *root,
    const attest_cra_context_t *ctx, const json_t *doc_pred,
    const char *doc_sha, const struct attest_ymd *now,
    attest_cra_findings_t **out, attest_diag_t *diag)
{
	struct cx cx;
	attest_err_t r;

	memset(&cx, 0, sizeof(cx));
	cx.kind = kind;
	cx.ctx = ctx;
	cx.root = root;
	cx.doc_pred = doc_pred;
	cx.doc_sha = doc_sha;
	if ((cx.out = calloc(1, sizeof(*cx.out))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	walk(&cx, root, schema_of(kind), "", "");
	if (kind == ATTEST_CRA_DOC)
		doc_rules(&cx);
	else if (kind == ATTEST_CRA_SDOC)
		rule_sdoc1(&cx);
	else if (kind == ATTEST_CRA_IMPORT)
		import_rules(&cx);
	else if (kind == ATTEST_CRA_DISTRIBUTION)
		distribution_rules(&cx);
	else
		release_rules(&cx, now);
	if (cx.out->dropped > 0) {
		/* counted in nerr already: the summary itself is not one */
		add(&cx, cx.out->dropped_err > 0 ? E : W, "S-6", "",
		    "specs/cra.md §2: at most ATTEST_MAX_FINDINGS findings are "
		    "listed", "%zu more finding%s (%zu error%s) not listed: at "
		    "most %d are (ATTEST_MAX_FINDINGS)", cx.out->dropped,
		    cx.out->dropped == 1 ? "" : "s", cx.out->dropped_err,
		    cx.out->dropped_err == 1 ? "" : "s", ATTEST_MAX_FINDINGS);
		if (cx.out->dropped_err > 0 && !cx.oom)
			cx.out->nerr--;
	}
	json_decref(cx.doc_owned);
	if (cx.oom) {
		attest_cra_findings_free(&cx.out);
		return ATTEST_ERR_NO_MEMORY;
	}
	r = cx.out->nerr > 0 ? ATTEST_ERR_POLICY : ATTEST_OK;
	if (r == ATTEST_ERR_POLICY)
		first_error(&cx, diag);
	*out = cx.out;
	return r;
}

attest_err_t
attest_cra_check(attest_cra_kind_t kind, const unsigned char *predicate,
    size_t len, const attest_cra_context_t *ctx, attest_cra_findings_t **out,
    attest_diag_t *diag)
{
	struct attest_ymd now;
	json_t *root = NULL;
	attest_err_t r;

	if ((r = check_args(kind, predicate, ctx, out, &now, diag)) !=
	    ATTEST_OK)
		return r;
	if (len > ATTEST_MAX_PREDICATE_BYTES)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "predicate larger than %lu bytes",
		    (unsigned long)ATTEST_MAX_PREDICATE_BYTES);
	if (kind == ATTEST_CRA_RELEASE && ctx->sbom != NULL &&
	    ctx->sbom_len > ATTEST_MAX_INPUT_BYTES)
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, "sbom", -1,
		    "SBOM larger than %lu bytes",
		    (unsigned long)ATTEST_MAX_INPUT_BYTES);
	if ((r = attest_json_load(predicate, len, &root, diag)) != ATTEST_OK)
		return r;
	r = check_root(kind, root, ctx, NULL, NULL, &now, out, diag);
	json_decref(root);
	return r;
}

attest_err_t
attest_cra_check_json(attest_cra_kind_t kind, const json_t *pred,
    const attest_cra_context_t *ctx, const json_t *doc_pred,
    const char *doc_sha, attest_cra_findings_t **out, attest_diag_t *diag)
{
	struct attest_ymd now;
	attest_err_t r;

	if ((r = check_args(kind, (const unsigned char *)"", ctx, out, &now,
	    diag)) != ATTEST_OK)
		return r;
	if (!json_is_object(pred) || (doc_pred != NULL && (doc_sha == NULL ||
	    strlen(doc_sha) != 64)))
		return ATTEST_ERR_INVALID_ARGUMENT;
	return check_root(kind, pred, ctx, doc_pred, doc_sha, &now, out, diag);
}
