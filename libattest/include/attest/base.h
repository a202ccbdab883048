/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest: initialisation, diagnostics, memory and files.
 *
 * The base layer every other module stands on: attest_init(), the
 * caller-owned diagnostics object that names the file, field and offset
 * of a problem, release of buffers the library hands out, bounded file
 * reading and atomic file writing.
 *
 * One convention holds for every accessor of the library that returns a
 * string: a value that is absent (a member the record does not have, a
 * line that did not verify, an index out of range, a NULL object) is
 * NULL, never "".  The caller tests for NULL before printing it.
 */
#ifndef ATTEST_BASE_H
#define ATTEST_BASE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ATTEST_NODISCARD __attribute__((warn_unused_result))
#else
#define ATTEST_NODISCARD
#endif

#define ATTEST_VERSION_MAJOR	0
#define ATTEST_VERSION_MINOR	1
#define ATTEST_VERSION_PATCH	0
#define ATTEST_VERSION_STRING	"0.1.0"

/* attest_init() flags */
#define ATTEST_INIT_DEBUG	0x01	/* reserved: debug messages */

/**
 * Initialise the library: libsodium, and OpenSSL's secure heap for
 * private key material.  Call once, before any other function and before
 * starting threads.  Calling it again is harmless.  Until it has
 * succeeded, every function that generates, parses or uses keys, signs,
 * digests or verifies returns ATTEST_ERR_NOT_INITIALISED (those that
 * return a pointer, NULL) instead of running on an uninitialised
 * libsodium (attest_init(3) lists them).
 *
 * @param[in] flags  0 or ATTEST_INIT_* flags.
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_CRYPTO  libsodium could not be initialised.
 */
ATTEST_NODISCARD attest_err_t attest_init(int flags);

/**
 * @return the library version, "X.Y.Z"; a static string.
 */
const char *attest_version(void);

/*
 * Diagnostics.  Functions that parse or verify outside input take an
 * optional attest_diag_t * (NULL is allowed).  On failure they record
 * where the problem is (file, field path such as "signatures[1].sig",
 * byte offset when known) and why.
 */
typedef struct attest_diag attest_diag_t;

/** @return a new, empty diagnostics object, or NULL when out of memory. */
attest_diag_t *attest_diag_new(void);
/** Release *dp and set it to NULL.  NULL-safe. */
void attest_diag_free(attest_diag_t **dp);
/** Forget any recorded problem; keep the file name. */
void attest_diag_clear(attest_diag_t *d);
/**
 * Name the input the next calls read (a path, or "-" for stdin); it is
 * copied and prefixed to messages.  NULL clears it.
 */
attest_err_t attest_diag_set_file(attest_diag_t *d, const char *file);
/** @return the file name set, or NULL. Borrowed. */
const char *attest_diag_get_file(const attest_diag_t *d);
/** @return the field path of the problem, or NULL when none. Borrowed. */
const char *attest_diag_get_field(const attest_diag_t *d);
/** @return the byte offset of the problem, or -1 when not known. */
long long attest_diag_get_offset(const attest_diag_t *d);
/** @return the reason alone, or NULL when nothing was recorded. Borrowed. */
const char *attest_diag_get_reason(const attest_diag_t *d);
/**
 * @return a warning recorded by a call that succeeded (a PIN found in a
 * URI, say), or NULL. Borrowed.
 */
const char *attest_diag_get_warning(const attest_diag_t *d);
/**
 * Prefix the recorded field path with @p prefix, for a problem found in
 * data nested inside another input: "subject[0]" becomes
 * "payload.subject[0]".  Does nothing when nothing was recorded.
 */
void attest_diag_prefix_field(attest_diag_t *d, const char *prefix);
/**
 * @return "file: field: offset N: reason" (parts that are unset left
 * out), or NULL
 * when nothing was recorded.  Borrowed: valid until the next call that
 * takes @p d.
 */
const char *attest_diag_get_message(const attest_diag_t *d);

/*
 * Text.  Strings taken from a record, a key file or a device (a product
 * name, a check's evidence, a subject name) are shown as text only
 * through attest_text_escape(): none then drives a terminal or reorders
 * what is shown.
 */

/* attest_text_escape() flags */
#define ATTEST_TEXT_NEWLINE	0x01	/* keep '\n' (the format allows it) */

/**
 * Copy @p src to @p dst made safe to show as text: every C0 control
 * ('\n' kept with ATTEST_TEXT_NEWLINE) and DEL becomes "\n", "\r", "\t"
 * or "\xNN"; every C1 control (U+0080-U+009F), the bidirectional controls
 * U+061C, U+200E, U+200F, U+202A-U+202E and U+2066-U+2069 and the line
 * and paragraph separators U+2028 and U+2029 become "\uNNNN"; each byte
 * that is not part of valid UTF-8 becomes "\xNN".  Hex digits are lower
 * case.  A backslash is copied as is, so that escaped text escapes to
 * itself.  NULL @p src is the empty string.
 *
 * @p dst is always NUL-terminated when @p size > 0 (@p dst may be NULL
 * when @p size is 0).  What does not fit is left out at a whole
 * character or escape, never inside one.
 * @return the length of the whole escaped text (without the NUL), as
 * snprintf() does: it was cut when the value is >= @p size.  SIZE_MAX
 * when the length does not fit a size_t.
 */
size_t attest_text_escape(char *dst, size_t size, const char *src,
    int flags);

/**
 * Wipe and release a buffer the library returned from an *_alloc
 * function.  NULL-safe.
 */
void attest_freezero(void *ptr, size_t len);

/** Wipe memory in a way the compiler will not remove. */
void attest_wipe(void *ptr, size_t len);

/**
 * Allocate @p len bytes of guarded memory for a secret (libsodium
 * sodium_malloc: guard pages, locked against swapping, zeroed).  Needs
 * attest_init() first.
 * @return the memory, or NULL when out of memory or before attest_init().
 */
void *attest_secure_alloc(size_t len);
/** Wipe and release memory from attest_secure_alloc().  NULL-safe. */
void attest_secure_free(void *ptr);

/*
 * Files.
 */

/**
 * Read a whole file, refusing one larger than @p max bytes before
 * reading it.  "-" reads standard input.
 *
 * @param[out] out, out_len  a fresh buffer, NUL-terminated one byte past
 *             out_len; release with attest_freezero(out, out_len).
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_IO         cannot open or read (errno kept in diag).
 * \retval ATTEST_ERR_TOO_LARGE  larger than @p max.
 * \retval ATTEST_ERR_NO_MEMORY
 */
ATTEST_NODISCARD attest_err_t attest_file_read_alloc(const char *path,
    size_t max, unsigned char **out, size_t *out_len, attest_diag_t *diag);

/* attest_file_write() flags */
#define ATTEST_WRITE_FORCE	0x01	/* replace an existing file */
#define ATTEST_WRITE_SECRET	0x02	/* create 0600 (else 0644 less umask) */

/**
 * Write @p ptr to @p path atomically: a temporary file is created
 * (O_EXCL, O_NOFOLLOW) beside the target, written, fsync'd and renamed
 * into place; the directory is then fsync'd.  Without
 * ATTEST_WRITE_FORCE an existing target is never replaced (renameat2
 * RENAME_NOREPLACE, or link+unlink where that is not supported).  On any
 * failure the temporary file is removed and the target is untouched.
 * "-" writes to standard output.
 *
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_EXISTS  the target exists and FORCE was not given.
 * \retval ATTEST_ERR_IO      any failure to create, write, sync or rename.
 */
ATTEST_NODISCARD attest_err_t attest_file_write(const char *path,
    const unsigned char *ptr, size_t len, int flags, attest_diag_t *diag);

/**
 * @return 1 when @p path names an existing directory entry (a dangling
 * link included), 0 when it does not, -1 on another error.
 */
int attest_file_exists(const char *path);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_BASE_H */
