/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Initialisation, version, byte buffers.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "json_int.h"

_Thread_local unsigned long attest_cost;

/*
 * Set once attest_init() has succeeded, and never cleared.  Written with
 * release and read with acquire ordering, so that a thread that sees it
 * set also sees what libsodium and OpenSSL set up before it.
 */
static atomic_int initialised;

attest_err_t
attest_init(int flags)
{
	attest_err_t r;

	(void)flags;
	if (attest_initialised())
		return ATTEST_OK;
	if ((r = attest_sodium_init()) != ATTEST_OK)
		return r;
	attest_json_init();
	if ((r = attest_ossl_init()) != ATTEST_OK)
		return r;
	atomic_store_explicit(&initialised, 1, memory_order_release);
	return ATTEST_OK;
}

int
attest_initialised(void)
{
	return atomic_load_explicit(&initialised, memory_order_acquire);
}

attest_err_t
attest_need_init(attest_diag_t *diag)
{
	if (attest_initialised())
		return ATTEST_OK;
	return attest_diag_set(diag, ATTEST_ERR_NOT_INITIALISED, NULL, -1,
	    "attest_init() has not been called");
}

const char *
attest_version(void)
{
	return ATTEST_VERSION_STRING;
}

void
attest_freezero(void *ptr, size_t len)
{
	if (ptr == NULL)
		return;
	attest_wipe(ptr, len);
	free(ptr);
}

char *
attest_strdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

attest_err_t
attest_buf_append(struct attest_buf *b, const void *ptr, size_t len)
{
	unsigned char *n;
	size_t cap;

	if (len == 0)
		return ATTEST_OK;
	if (SIZE_MAX - b->len < len + 1)
		return ATTEST_ERR_TOO_LARGE;
	if (b->len + len + 1 > b->cap) {
		cap = b->cap < 256 ? 256 : b->cap;
		while (cap < b->len + len + 1)
			cap = cap > SIZE_MAX / 2 ? b->len + len + 1 : cap * 2;
		/* grow by copy so that old bytes are wiped, not left behind */
		if ((n = malloc(cap)) == NULL)
			return ATTEST_ERR_NO_MEMORY;
		if (b->ptr != NULL) {
			memcpy(n, b->ptr, b->len);
			attest_freezero(b->ptr, b->cap);
		}
		b->ptr = n;
		b->cap = cap;
	}
	memcpy(b->ptr + b->len, ptr, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return ATTEST_OK;
}

attest_err_t
attest_buf_printf(struct attest_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return ATTEST_ERR_TOO_LARGE;
	return attest_buf_append(b, tmp, (size_t)n);
}

void
attest_buf_reset(struct attest_buf *b)
{
	attest_freezero(b->ptr, b->cap);
	b->ptr = NULL;
	b->len = b->cap = 0;
}
