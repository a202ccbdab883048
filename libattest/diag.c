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

void
attest_tame_text(char *s)
{
	unsigned char *p;

	for (p = (unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			p[0] = p[1] = '?';	/* C1, as UTF-8 (CSI is 0x9b) */
		else if (*p == 0xc2 && p[1] != '\0')
			p++;
}

void
attest_diag_warn(attest_diag_t *d, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(d->warning, sizeof(d->warning), fmt, ap);
	va_end(ap);
	attest_tame_text(d->warning);
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
	va_list ap;

	if (d == NULL)
		return err;
	d->set = 1;
	d->offset = offset;
	if (field != NULL)
		(void)snprintf(d->field, sizeof(d->field), "%s", field);
	else
		d->field[0] = '\0';
	va_start(ap, fmt);
	(void)vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
	/* values from hostile files end up here: no terminal controls */
	attest_tame_text(d->field);
	attest_tame_text(d->reason);
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
