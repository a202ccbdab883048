/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest: streaming digests.
 *
 * SHA-256, SHA-384 and SHA-512 through OpenSSL's EVP (which uses the
 * CPU's SHA instructions), several at once from one read pass, in
 * constant memory whatever the size of the input.
 */
#ifndef ATTEST_DIGEST_H
#define ATTEST_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Digest algorithms, as a bit set. */
#define ATTEST_DIGEST_SHA256	0x01u
#define ATTEST_DIGEST_SHA384	0x02u
#define ATTEST_DIGEST_SHA512	0x04u
#define ATTEST_DIGEST_ALL	0x07u

#define ATTEST_DIGEST_MAX_LEN	64	/* SHA-512 */
/* Lowercase hex of the longest digest, with its NUL. */
#define ATTEST_DIGEST_MAX_HEX	(2 * ATTEST_DIGEST_MAX_LEN + 1)

/**
 * @return the in-toto name of one algorithm bit ("sha256", "sha384",
 * "sha512"), or NULL when @p alg is not exactly one known bit.
 */
const char *attest_digest_name(unsigned int alg);

/**
 * @return the algorithm bit for an in-toto digest name, or 0 when the
 * name is not one libattest computes.
 */
unsigned int attest_digest_from_name(const char *name);

/**
 * Parse a comma-separated list such as "sha256,sha512" into a bit set.
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_UNSUPPORTED  an unknown name (recorded in diag).
 * \retval ATTEST_ERR_INVALID_ARGUMENT  an empty list or item.
 */
ATTEST_NODISCARD attest_err_t attest_digest_parse_list(const char *list,
    unsigned int *algs, attest_diag_t *diag);

/** @return the output length in bytes of one algorithm bit, or 0. */
size_t attest_digest_len(unsigned int alg);

/* A multi-digest context. */
typedef struct attest_digest attest_digest_t;

/**
 * @return a context computing every algorithm in @p algs, or NULL (also
 * before attest_init()).
 */
attest_digest_t *attest_digest_new(unsigned int algs);
/** Release *dp and set it to NULL.  NULL-safe. */
void attest_digest_free(attest_digest_t **dp);
/** Feed bytes to every digest of the context. */
ATTEST_NODISCARD attest_err_t attest_digest_update(attest_digest_t *d,
    const unsigned char *ptr, size_t len);
/**
 * Finish.  Afterwards attest_digest_get_hex() answers; update may not be
 * called again.
 */
ATTEST_NODISCARD attest_err_t attest_digest_final(attest_digest_t *d);
/**
 * @return the lowercase hex of one finished digest, or NULL when @p alg
 * was not requested or the context is not finished. Borrowed.
 */
const char *attest_digest_get_hex(const attest_digest_t *d, unsigned int alg);
/** @return the raw bytes of one finished digest (length from _len). */
const unsigned char *attest_digest_get_ptr(const attest_digest_t *d,
    unsigned int alg);

/**
 * Progress callback: @p done bytes of @p total (total is 0 when the size
 * is not known, a pipe say).  Called at most every few megabytes.
 */
typedef void attest_progress_fn(void *arg, uint64_t done, uint64_t total);

/**
 * Hash a whole file ("-" for standard input) into a fresh context, every
 * algorithm in @p algs from one read pass.
 *
 * @param[out] out  the finished context; release with attest_digest_free().
 * @param[in] progress  optional callback, with @p arg.
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_IO  cannot open or read (recorded in diag).
 * \retval ATTEST_ERR_NO_MEMORY
 */
ATTEST_NODISCARD attest_err_t attest_digest_file(const char *path,
    unsigned int algs, attest_digest_t **out, attest_progress_fn *progress,
    void *arg, attest_diag_t *diag);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_DIGEST_H */
