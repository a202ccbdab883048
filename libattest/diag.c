/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diagnostics: where a problem is and why, in a caller-owned object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_int.h"

#define DIAG_FIELD_MAX	256
#define DIAG_REASON_MAX	512
#define DIAG_MSG_MAX	(PATH_MAX_DIAG + DIAG_FIELD_MAX + DIAG_REASON_MAX + 8)
#define PATH_MAX_DIAG	4096
/*
 * A message as formatted, before it is escaped: twice the room, so that
 * where vsnprintf() cuts (perhaps inside a character) is always past
 * where the escaped text is cut, at a whole character.
 */
#define RAW_MAX		(2 * DIAG_REASON_MAX)

struct attest_diag {
	char		*file;
	char		 field[DIAG_FIELD_MAX];
	char		 reason[DIAG_REASON_MAX];
	char		 msg[DIAG_MSG_MAX];
	char		 warning[DIAG_REASON_MAX];
	long long	 offset;
	int		 set;
};

attest_diag_t *
attest_diag_new(void)
{
	attest_diag_t *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->offset = -1;
	return d;
}

void
attest_diag_free(attest_diag_t **dp)
{
	if (dp == NULL || *dp == NULL)
		return;
	free((*dp)->file);
	free(*dp);
	*dp = NULL;
}

void
attest_diag_clear(attest_diag_t *d)
{
	if (d == NULL)
		return;
	d->field[0] = '\0';
	d->reason[0] = '\0';
	d->msg[0] = '\0';
	d->warning[0] = '\0';
	d->offset = -1;
	d->set = 0;
}

attest_err_t
attest_diag_set_file(attest_diag_t *d, const char *file)
{
	char *copy = NULL;

	if (d == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (file != NULL) {
		if (strlen(file) >= PATH_MAX_DIAG)
			return ATTEST_ERR_TOO_LARGE;
		if ((copy = strdup(file)) == NULL)
			return ATTEST_ERR_NO_MEMORY;
	}
	free(d->file);
	d->file = copy;
	return ATTEST_OK;
}

const char *
attest_diag_get_file(const attest_diag_t *d)
{
	return d == NULL ? NULL : d->file;
}

const char *
attest_diag_get_field(const attest_diag_t *d)
{
	if (d == NULL || !d->set || d->field[0] == '\0')
		return NULL;
	return d->field;
}

long long
attest_diag_get_offset(const attest_diag_t *d)
{
	return (d == NULL || !d->set) ? -1 : d->offset;
}

const char *
attest_diag_get_warning(const attest_diag_t *d)
{
	return (d == NULL || d->warning[0] == '\0') ? NULL : d->warning;
}

/*
 * The length of the UTF-8 sequence at @p p and its code point in *cp, or
 * 0 when @p p does not start a valid one (RFC 3629: no overlong form, no
 * surrogate, nothing above U+10FFFF; the NUL ends a truncated sequence).
 */
static size_t
u8_next(const unsigned char *p, unsigned long *cp)
{
	unsigned long c;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xc2)
		return 0;
	if (p[0] < 0xe0) {
		n = 2;
		c = p[0] & 0x1fu;
	} else if (p[0] < 0xf0) {
		n = 3;
		c = p[0] & 0x0fu;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] < 0xf5) {
		n = 4;
		c = p[0] & 0x07u;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		c = (c << 6) | (p[i] & 0x3fu);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return n;
}

/*
 * Must code point @p c be escaped?  C0 and C1 controls, DEL, the
 * bidirectional marks, embeddings, overrides and isolates, and the line
 * and paragraph separators.
 */
static int
u8_unsafe(unsigned long c, int flags)
{
	if (c == '\n')
		return !(flags & ATTEST_TEXT_NEWLINE);
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c ||
	    c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

size_t
attest_text_escape(char *dst, size_t size, const char *src, int flags)
{
	const unsigned char *p = (const unsigned char *)(src != NULL ? src :
	    "");
	const char *unit;
	unsigned long c = 0;
	size_t need = 0, out = 0, n, k;
	char e[24];	/* one escape, sized for any unsigned long */
	int full = 0;

	if (dst == NULL)
		size = 0;
	while (*p != '\0') {
		unit = e;
		if ((n = u8_next(p, &c)) == 0) {
			/* not UTF-8: the byte itself, by value */
			(void)snprintf(e, sizeof(e), "\\x%02x", (unsigned)*p);
			n = 1;
		} else if (!u8_unsafe(c, flags))
			unit = NULL;
		else if (c == '\n')
			(void)snprintf(e, sizeof(e), "\\n");
		else if (c == '\r')
			(void)snprintf(e, sizeof(e), "\\r");
		else if (c == '\t')
			(void)snprintf(e, sizeof(e), "\\t");
		else if (c < 0x80)
			(void)snprintf(e, sizeof(e), "\\x%02lx", c);
		else
			(void)snprintf(e, sizeof(e), "\\u%04lx", c);
		k = unit != NULL ? strlen(unit) : n;
		/* a whole unit or nothing; after one is left out, nothing */
		if (!full && size > 0 && k < size - out) {
			memcpy(dst + out, unit != NULL ? unit : (const char *)p,
			    k);
			out += k;
		} else
			full = 1;
		need = need > SIZE_MAX - k ? SIZE_MAX : need + k;
		p += n;
	}
	if (size > 0)
		dst[out] = '\0';
	return need;
}

char *
attest_text_escape_alloc(const char *s, int flags)
{
	size_t n = attest_text_escape(NULL, 0, s, flags);
	char *e;

	if (n == SIZE_MAX || (e = malloc(n + 1)) == NULL)
		return NULL;
	(void)attest_text_escape(e, n + 1, s, flags);
	return e;
}

void
attest_diag_warn(attest_diag_t *d, const char *fmt, ...)
{
	char raw[RAW_MAX];
	va_list ap;

	if (d == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* values from hostile files end up here: no terminal controls */
	(void)attest_text_escape(d->warning, sizeof(d->warning), raw, 0);
}

const char *
attest_diag_get_reason(const attest_diag_t *d)
{
	return (d == NULL || !d->set) ? NULL : d->reason;
}

const char *
attest_diag_get_message(const attest_diag_t *d)
{
	attest_diag_t *w;
	size_t n = 0;
	int r;

	if (d == NULL || !d->set)
		return NULL;
	/* msg is a cache of the parts; the object is logically const */
	w = (attest_diag_t *)(uintptr_t)d;
	w->msg[0] = '\0';
	if (d->file != NULL) {
		r = snprintf(w->msg, sizeof(w->msg), "%s: ", d->file);
		if (r > 0)
			n = (size_t)r < sizeof(w->msg) ? (size_t)r :
			    sizeof(w->msg) - 1;
	}
	if (d->field[0] != '\0') {
		r = snprintf(w->msg + n, sizeof(w->msg) - n, "%s: ", d->field);
		if (r > 0)
			n += (size_t)r < sizeof(w->msg) - n ? (size_t)r :
			    sizeof(w->msg) - n - 1;
	}
	if (d->offset >= 0) {
		r = snprintf(w->msg + n, sizeof(w->msg) - n, "offset %lld: ",
		    d->offset);
		if (r > 0)
			n += (size_t)r < sizeof(w->msg) - n ? (size_t)r :
			    sizeof(w->msg) - n - 1;
	}
	(void)snprintf(w->msg + n, sizeof(w->msg) - n, "%s", d->reason);
	return w->msg;
}

/* (the name in parentheses: attest_int.h may define it as a macro) */
attest_err_t
(attest_diag_set)(attest_diag_t *d, attest_err_t err, const char *field,
    long long offset, const char *fmt, ...)
{
	char raw[RAW_MAX];
	va_list ap;

	if (d == NULL)
		return err;
	d->set = 1;
	d->offset = offset;
	/* values from hostile files end up here: no terminal controls */
	(void)attest_text_escape(d->field, sizeof(d->field), field, 0);
	va_start(ap, fmt);
	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	(void)attest_text_escape(d->reason, sizeof(d->reason), raw, 0);
	return err;
}

void
attest_diag_prefix_field(attest_diag_t *d, const char *prefix)
{
	char tmp[2 * DIAG_FIELD_MAX + 2];

	if (d == NULL || !d->set || prefix == NULL)
		return;
	if (d->field[0] == '\0')
		(void)snprintf(tmp, sizeof(tmp), "%s", prefix);
	else if (d->field[0] == '[')
		(void)snprintf(tmp, sizeof(tmp), "%s%s", prefix, d->field);
	else
		(void)snprintf(tmp, sizeof(tmp), "%s.%s", prefix, d->field);
	/* keep what fits; a field path is never longer in practice */
	memcpy(d->field, tmp, sizeof(d->field) - 1);
	d->field[sizeof(d->field) - 1] = '\0';
}
