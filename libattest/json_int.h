/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jansson helpers: strict loading, typed field access with diagnostics.
 */
#ifndef ATTEST_JSON_INT_H
#define ATTEST_JSON_INT_H

#include <jansson.h>

#include "attest_int.h"

/*
 * Parse one JSON object: duplicate keys, trailing bytes, NUL in strings,
 * invalid UTF-8 and nesting deeper than ATTEST_MAX_JSON_DEPTH refused;
 * so is a text whose values would hold more memory than
 * ATTEST_JSON_MEMORY_FACTOR times its length plus ATTEST_JSON_MEMORY_SLACK
 * (ATTEST_ERR_TOO_LARGE).
 */
attest_err_t attest_json_load(const unsigned char *ptr, size_t len,
    json_t **out, attest_diag_t *diag);
/* @p factor times @p len plus ATTEST_JSON_MEMORY_SLACK, or SIZE_MAX. */
size_t attest_json_budget(size_t len, unsigned int factor);
/* attest_json_load() within a budget of @p limit bytes (an SBOM's; tests). */
attest_err_t attest_json_load_within(const unsigned char *ptr, size_t len,
    size_t limit, json_t **out, attest_diag_t *diag);
/*
 * Install, once, jansson's allocator that keeps attest_json_load()
 * within its memory budget (json.c; called by attest_init()).
 */
void attest_json_init(void);
/*
 * The most jansson held at once (bytes, as counted for the budget) during
 * the last attest_json_load() on this thread, for tests and make bench.
 */
size_t attest_json_last_peak(void);
/*
 * Is @p j nested no deeper than ATTEST_MAX_JSON_DEPTH when it sits at
 * depth @p start (1 = top level) of a document?
 */
int attest_json_depth_ok(const json_t *j, int start);
/* Can @p s be a JSON string (valid UTF-8)? */
int attest_json_utf8_ok(const char *s);
/* Compact serialisation, object keys in insertion order. */
/* json_dumps() that fails instead of leaving parts out (json.c). */
char *attest_json_dumps(const json_t *j, size_t flags);
attest_err_t attest_json_dump_alloc(const json_t *j, unsigned char **out,
    size_t *out_len);
/*
 * Fetch member @p key of @p obj as a string.  A missing member is an error
 * when @p required, else *out = NULL.  @p path names @p obj for messages
 * ("" for the top level).
 */
attest_err_t attest_json_get_string(const json_t *obj, const char *path,
    const char *key, int required, const char **out, size_t *out_len,
    attest_diag_t *diag);
/* Same for an object/array member (type checked). */
attest_err_t attest_json_get_typed(const json_t *obj, const char *path,
    const char *key, json_type type, int required, json_t **out,
    attest_diag_t *diag);
/* Set obj[key] to the standard base64 of ptr (the text is wiped after). */
attest_err_t attest_json_set_b64(json_t *obj, const char *key,
    const unsigned char *ptr, size_t len);
/* "an object", "a string", ... for messages. */
const char *attest_json_type_name(json_type t);
/* Compose "path.key" or "key" into buf. */
const char *attest_json_path(char *buf, size_t size, const char *path,
    const char *key);

/*
 * The member at a dotted path ("manufacturer.postal_address.country")
 * under @p o, or NULL; the string there, or NULL when absent or not one.
 */
const json_t *attest_json_at(const json_t *o, const char *path);
const char *attest_json_str_at(const json_t *o, const char *path);

/* statement.c: the predicate of a parsed Statement, or NULL. Borrowed. */
struct attest_stmt;
const json_t *attest_stmt_predicate_json(const struct attest_stmt *s);

#endif /* ATTEST_JSON_INT_H */
