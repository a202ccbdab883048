/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest internals shared across modules.  Not installed.
 */
#ifndef ATTEST_INT_H
#define ATTEST_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "attest.h"

#if defined(__GNUC__) || defined(__clang__)
#define ATTEST_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ATTEST_PRINTF(a, b)
#endif

/*
 * Record a problem in @p d (NULL-safe): @p field is the field path or
 * NULL, @p offset the byte offset or -1, then a printf-style reason.
 * Returns @p err so callers can write `return diag_set(...)`.
 */
attest_err_t attest_diag_set(attest_diag_t *d, attest_err_t err,
    const char *field, long long offset, const char *fmt, ...)
    ATTEST_PRINTF(5, 6);

#ifdef __clang_analyzer__
/*
 * For scan-build, which does not look into diag.c: the call returns its
 * err argument, so a path that returns it is not a success path.
 */
#define attest_diag_set(d, err, ...) \
	((void)attest_diag_set((d), (err), __VA_ARGS__), (err))
#endif

/*
 * attest_text_escape() of @p s, whole, in a fresh string (free()), or
 * NULL when out of memory.
 */
char *attest_text_escape_alloc(const char *s, int flags);

/*
 * attest_init() has succeeded (base.c).  attest_need_init() is the gate
 * of every public entry point that reaches libsodium or OpenSSL state
 * (guarded memory, randomness, key generation and parsing, signing,
 * digests, verification): ATTEST_OK, or ATTEST_ERR_NOT_INITIALISED
 * recorded in @p diag (NULL-safe).  Functions that take an object made
 * by a gated one (a key, a signer, a policy) need no gate of their own.
 */
int attest_initialised(void);
attest_err_t attest_need_init(attest_diag_t *diag);

/* Record a warning (the call still succeeds). */
void attest_diag_warn(attest_diag_t *d, const char *fmt, ...)
    ATTEST_PRINTF(2, 3);

/*
 * file.c: open @p path for reading ("-": standard input, not to be
 * closed), refusing a directory; the stat result in *st.  Then read,
 * retrying on EINTR; *got 0 at the end.  Errors recorded in diag.
 */
struct stat;
attest_err_t attest_file_open_read(const char *path, int *fd,
    struct stat *st, attest_diag_t *diag);
void attest_file_close_read(const char *path, int fd);
attest_err_t attest_fd_read(int fd, unsigned char *buf, size_t len,
    size_t *got, attest_diag_t *diag);

/* Growable byte buffer for building output. */
struct attest_buf {
	unsigned char	*ptr;
	size_t		 len;
	size_t		 cap;
};
attest_err_t attest_buf_append(struct attest_buf *b, const void *ptr,
    size_t len);
attest_err_t attest_buf_printf(struct attest_buf *b, const char *fmt, ...)
    ATTEST_PRINTF(2, 3);
void attest_buf_reset(struct attest_buf *b);

/*
 * Work done by the loops whose cost the limits bound (comparisons of a
 * sort or search, steps of a rule over a list), on this thread: tests
 * read it to show that a large input costs O(n log n), not O(n^2)
 * (tests/unit/test_bounds.c).  Never reset by the library.
 */
extern _Thread_local unsigned long attest_cost;

/* strdup that copies at most ATTEST_MAX_INPUT_BYTES; NULL stays NULL. */
char *attest_strdup(const char *s);

#endif /* ATTEST_INT_H */
