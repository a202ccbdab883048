/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest: in-toto Statement v1.
 *
 * {"_type": "https://in-toto.io/Statement/v1", "subject": [{"name",
 * "digest": {alg: lowercase hex}}], "predicateType": URI, "predicate":
 * object}.  Build, serialise, parse, and match files against subjects.
 */
#ifndef ATTEST_STATEMENT_H
#define ATTEST_STATEMENT_H

#include <stddef.h>

#include "base.h"
#include "digest.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATTEST_STATEMENT_TYPE	"https://in-toto.io/Statement/v1"

typedef struct attest_stmt attest_stmt_t;

attest_stmt_t *attest_stmt_new(void);
void attest_stmt_free(attest_stmt_t **sp);

/**
 * Append a subject named @p name (may be NULL: no name) and return its
 * index in *idx.
 */
ATTEST_NODISCARD attest_err_t attest_stmt_add_subject(attest_stmt_t *s,
    const char *name, size_t *idx);
/**
 * Add one digest to subject @p idx: @p alg is the in-toto algorithm
 * name, @p hex its lowercase hex value (length checked for the SHA-2
 * names).
 * \retval ATTEST_ERR_DUPLICATE  this algorithm is already set.
 * \retval ATTEST_ERR_PARSE      not lowercase hex, or the wrong length.
 */
ATTEST_NODISCARD attest_err_t attest_stmt_add_digest(attest_stmt_t *s,
    size_t idx, const char *alg, const char *hex);
/** Add every digest of a finished context to subject @p idx. */
ATTEST_NODISCARD attest_err_t attest_stmt_add_digests(attest_stmt_t *s,
    size_t idx, const attest_digest_t *d);
/**
 * Set the predicate type (a non-empty URI) and the predicate, a JSON
 * object given as text (NULL: no predicate).  Duplicate keys refused.
 */
ATTEST_NODISCARD attest_err_t attest_stmt_set_predicate(attest_stmt_t *s,
    const char *type, const char *json, size_t json_len, attest_diag_t *diag);

/** Serialise as compact JSON.  Release *out with attest_freezero(). */
ATTEST_NODISCARD attest_err_t attest_stmt_serialize_alloc(
    const attest_stmt_t *s, unsigned char **out, size_t *out_len);
/**
 * Parse and validate a Statement v1: _type exactly v1; subject a
 * non-empty array; each subject a non-empty digest object of string
 * values (the SHA-2 names checked as lowercase hex of the right length);
 * predicateType a non-empty string; predicate, when present, an object.
 * Duplicate keys and trailing bytes are refused; unknown fields ignored.
 */
ATTEST_NODISCARD attest_err_t attest_stmt_parse(attest_stmt_t **out,
    const unsigned char *ptr, size_t len, attest_diag_t *diag);

size_t attest_stmt_subject_count(const attest_stmt_t *s);
/** @return subject @p i's name, or NULL when it has none. Borrowed. */
const char *attest_stmt_subject_name(const attest_stmt_t *s, size_t i);
size_t attest_stmt_digest_count(const attest_stmt_t *s, size_t i);
/** @return the algorithm name of digest @p j of subject @p i. Borrowed. */
const char *attest_stmt_digest_alg(const attest_stmt_t *s, size_t i, size_t j);
const char *attest_stmt_digest_hex(const attest_stmt_t *s, size_t i, size_t j);
/** @return the predicate type. Borrowed. */
const char *attest_stmt_predicate_type(const attest_stmt_t *s);
/**
 * Serialise the predicate as compact JSON ("null" when there is none).
 * Release with attest_freezero().
 */
ATTEST_NODISCARD attest_err_t attest_stmt_predicate_alloc(
    const attest_stmt_t *s, unsigned char **out, size_t *out_len);

/**
 * @return the set of digest algorithms libattest can compute that appear
 * in any subject (to know what to hash a file with).
 */
unsigned int attest_stmt_digest_algs(const attest_stmt_t *s);

/**
 * Match a file's digests against the subjects.  A subject matches when
 * it shares at least one algorithm with @p d and every shared algorithm
 * agrees (compared in constant time); a disagreement on any shared
 * algorithm means that subject does not match.
 *
 * @param[out] idx  the first matching subject.
 * \retval ATTEST_OK
 * \retval ATTEST_ERR_MISMATCH  no subject matches (diag says why).
 */
ATTEST_NODISCARD attest_err_t attest_stmt_match(const attest_stmt_t *s,
    const attest_digest_t *d, size_t *idx, attest_diag_t *diag);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_STATEMENT_H */
