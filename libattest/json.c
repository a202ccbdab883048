/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jansson helpers.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "crypto.h"
#include "json_int.h"

/*
 * jansson's memory while it parses, within a budget -------------------------
 *
 * jansson keeps a parsed text as one block per value: an array of small
 * numbers costs some 20 times its text, an array of empty objects some
 * 80 times.  attest_json_load() therefore parses within a budget of
 * ATTEST_JSON_MEMORY_FACTOR times the text plus ATTEST_JSON_MEMORY_SLACK
 * bytes live at once: jansson's allocator is ours (installed once, by
 * attest_init(), over whatever allocator jansson had), and, while a
 * budget is active on the calling thread, an allocation that would go
 * over it fails, which makes jansson give up the parse.
 *
 * One kind of allocation is never failed: the growth of the lexer's token
 * buffer.  jansson 2.14 ignores that failure and goes on with a corrupted
 * buffer (akheron/jansson#362: wrong errors, an assertion, or a write out
 * of bounds; tests/fault/README.md).  The buffer is the first block of a
 * parse (16 bytes) and grows by doubling, a new block and then the free
 * of the old one, so an allocation of twice its size is the growth, or
 * looks like it; it is counted, and may only overshoot the budget by
 * twice the longest token.  The failures the parser handles (a value, an
 * array's or object's table, a string's copy) end the parse with NULL.
 *
 * What is live is counted as the allocator's usable size of each block
 * and its header (glibc's malloc_usable_size), when jansson's allocator
 * was malloc; over another allocator, whose blocks we cannot size,
 * every allocation of the parse counts and frees are not subtracted: a
 * budget still kept, more strictly.
 */

struct json_budget {
	size_t	 limit;		/* bytes that may be live at once */
	size_t	 used, peak;
	int	 over;		/* an allocation was refused */
	int	 blocks;	/* allocations so far */
	void	*lex;		/* the lexer's token buffer */
	size_t	 lex_size;
	void	*grown;		/* its growth, until the old one is freed */
	size_t	 grown_size;
};

static _Thread_local struct json_budget *budget;
static _Thread_local size_t last_peak;
static json_malloc_t under_malloc = malloc;
static json_free_t under_free = free;
static int sized;	/* under_malloc is malloc: blocks have a size */
static pthread_once_t json_once = PTHREAD_ONCE_INIT;

static size_t
block_size(void *p, size_t n)
{
#if defined(__GLIBC__)
	if (sized)
		return malloc_usable_size(p) + sizeof(size_t);
#else
	(void)p;
#endif
	return n + 2 * sizeof(size_t);
}

static void *
budget_malloc(size_t n)
{
	struct json_budget *b = budget;
	size_t cost;
	void *p;
	int lexer;

	if (b == NULL)
		return under_malloc(n);
	/* the first block of a parse is the lexer's buffer; then its growth */
	lexer = b->blocks++ == 0 || (b->lex != NULL && n == 2 * b->lex_size);
	if (b->over && !lexer)
		return NULL;
	if ((p = under_malloc(n)) == NULL)
		return NULL;
	cost = block_size(p, n);
	if (!lexer && (b->used > b->limit || cost > b->limit - b->used)) {
		under_free(p);
		b->over = 1;
		return NULL;
	}
	if (b->lex == NULL) {
		b->lex = p;
		b->lex_size = n;
	} else if (lexer) {
		b->grown = p;
		b->grown_size = n;
	}
	b->used += cost;
	if (b->used > b->peak)
		b->peak = b->used;
	return p;
}

static void
budget_free(void *p)
{
	struct json_budget *b = budget;
	size_t cost;

	if (b != NULL && p != NULL) {
		if (p == b->lex && b->grown != NULL) {
			b->lex = b->grown;
			b->lex_size = b->grown_size;
			b->grown = NULL;
		}
		if (sized) {
			cost = block_size(p, 0);
			b->used = cost < b->used ? b->used - cost : 0;
		}
	}
	under_free(p);
}

static void
json_install(void)
{
	json_malloc_t m;
	json_free_t f;

	json_get_alloc_funcs(&m, &f);
	if (m == budget_malloc)
		return;
	if (m != NULL && f != NULL) {
		under_malloc = m;
		under_free = f;
	}
	sized = under_malloc == malloc && under_free == free;
	json_set_alloc_funcs(budget_malloc, budget_free);
}

void
attest_json_init(void)
{
	(void)pthread_once(&json_once, json_install);
}

size_t
attest_json_last_peak(void)
{
	return last_peak;
}

size_t
attest_json_budget(size_t len, unsigned int factor)
{
	if (factor == 0 || len > (SIZE_MAX - ATTEST_JSON_MEMORY_SLACK) /
	    factor)
		return SIZE_MAX;
	return factor * len + ATTEST_JSON_MEMORY_SLACK;
}

static int
too_deep(const json_t *j, int depth)
{
	const char *k;
	json_t *v;
	size_t i;

	if (depth > ATTEST_MAX_JSON_DEPTH)
		return 1;
	if (json_is_object(j)) {
		/* jansson's iteration macros take a non-const object */
		json_object_foreach((json_t *)(uintptr_t)j, k, v)
			if (too_deep(v, depth + 1))
				return 1;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (too_deep(v, depth + 1))
				return 1;
	}
	return 0;
}

int
attest_json_depth_ok(const json_t *j, int start)
{
	return !too_deep(j, start);
}

/*
 * Well-formed UTF-8 (RFC 3629 §4: no overlong forms, no surrogates,
 * nothing above U+10FFFF), what jansson accepts in a string.  Checked
 * here rather than by making a json_string(): that allocates, and out
 * of memory would read as "not UTF-8" (tests/fault).
 */
int
attest_json_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int c, min;
	int n, i;

	if (s == NULL)
		return 0;
	while (*p != '\0') {
		c = *p++;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			c &= 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			c &= 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			c &= 0x07;
			min = 0x10000;
		} else
			return 0;
		for (i = 0; i < n; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (*p & 0x3fu);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
	}
	return 1;
}

attest_err_t
attest_json_load(const unsigned char *ptr, size_t len, json_t **out,
    attest_diag_t *diag)
{
	return attest_json_load_within(ptr, len, attest_json_budget(len,
	    ATTEST_JSON_MEMORY_FACTOR), out, diag);
}

attest_err_t
attest_json_load_within(const unsigned char *ptr, size_t len, size_t limit,
    json_t **out, attest_diag_t *diag)
{
	struct json_budget b;
	json_error_t e;
	json_t *j;

	*out = NULL;
	/* NUL before the end would make jansson stop early: reject it */
	if (memchr(ptr, '\0', len) != NULL)
		return attest_diag_set(diag, ATTEST_ERR_PARSE, NULL,
		    (long long)((const unsigned char *)memchr(ptr, '\0', len) -
		    ptr), "NUL byte in JSON text");
	memset(&b, 0, sizeof(b));
	b.limit = limit;
	budget = &b;
	j = json_loadb((const char *)ptr, len, JSON_REJECT_DUPLICATES, &e);
	budget = NULL;
	last_peak = b.peak;
	if (b.over) {
		json_decref(j);
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "more JSON values than its size allows (limit: %zu bytes "
		    "of memory for its %zu bytes, limits.h "
		    "ATTEST_JSON_MEMORY_FACTOR, ATTEST_JSON_MEMORY_SLACK)",
		    limit, len);
	}
	/*
	 * Out of memory is not a fault of the text.  jansson's parser
	 * returns NULL without a message when it cannot allocate a value
	 * (every syntax error has one), and rarely says so with the code
	 * (tests/fault/README.md).
	 */
	if (j == NULL && (json_error_code(&e) == json_error_out_of_memory ||
	    e.text[0] == '\0'))
		return attest_diag_set(diag, ATTEST_ERR_NO_MEMORY, NULL,
		    (long long)e.position, "out of memory parsing JSON");
	if (j == NULL)
		return attest_diag_set(diag, ATTEST_ERR_PARSE, NULL,
		    (long long)e.position, "invalid JSON (line %d, column %d): "
		    "%s", e.line, e.column, e.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return attest_diag_set(diag, ATTEST_ERR_PARSE, NULL, 0,
		    "JSON text is not an object");
	}
	if (too_deep(j, 1)) {
		json_decref(j);
		return attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "JSON nested deeper than %d levels", ATTEST_MAX_JSON_DEPTH);
	}
	*out = j;
	return ATTEST_OK;
}

/*
 * json_dumps() without its flaw: when jansson 2.14 cannot grow its
 * buffer while writing an object's key, it leaves the key out and goes
 * on, and returns text that is not what was asked for (tests/fault: a
 * Statement signed with a key missing).  json_dumpb() writes into our
 * buffer, which never fails, and a length that differs between the two
 * passes shows any other failure.
 */
char *
attest_json_dumps(const json_t *j, size_t flags)
{
	size_t n, got;
	char *s;

	if ((n = json_dumpb(j, NULL, 0, flags)) == 0 || n == SIZE_MAX ||
	    (s = malloc(n + 1)) == NULL)
		return NULL;
	if ((got = json_dumpb(j, s, n, flags)) != n) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

attest_err_t
attest_json_dump_alloc(const json_t *j, unsigned char **out, size_t *out_len)
{
	char *s;

	*out = NULL;
	*out_len = 0;
	if ((s = attest_json_dumps(j, JSON_COMPACT)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	*out = (unsigned char *)s;
	*out_len = strlen(s);
	return ATTEST_OK;
}

const char *
attest_json_path(char *buf, size_t size, const char *path, const char *key)
{
	if (path == NULL || *path == '\0')
		(void)snprintf(buf, size, "%s", key);
	else
		(void)snprintf(buf, size, "%s.%s", path, key);
	return buf;
}

const char *
attest_json_type_name(json_type t)
{
	switch (t) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "a value";
}

attest_err_t
attest_json_get_typed(const json_t *obj, const char *path, const char *key,
    json_type type, int required, json_t **out, attest_diag_t *diag)
{
	char field[256];
	json_t *v;

	*out = NULL;
	v = json_object_get(obj, key);
	if (v == NULL) {
		if (!required)
			return ATTEST_OK;
		return attest_diag_set(diag, ATTEST_ERR_PARSE,
		    attest_json_path(field, sizeof(field), path, key), -1,
		    "missing");
	}
	if (json_typeof(v) != type)
		return attest_diag_set(diag, ATTEST_ERR_PARSE,
		    attest_json_path(field, sizeof(field), path, key), -1,
		    "must be %s, not %s", attest_json_type_name(type),
		    attest_json_type_name(json_typeof(v)));
	*out = v;
	return ATTEST_OK;
}

attest_err_t
attest_json_get_string(const json_t *obj, const char *path, const char *key,
    int required, const char **out, size_t *out_len, attest_diag_t *diag)
{
	json_t *v;
	attest_err_t r;

	*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if ((r = attest_json_get_typed(obj, path, key, JSON_STRING, required,
	    &v, diag)) != ATTEST_OK || v == NULL)
		return r;
	*out = json_string_value(v);
	if (out_len != NULL)
		*out_len = json_string_length(v);
	return ATTEST_OK;
}

attest_err_t
attest_json_set_b64(json_t *obj, const char *key, const unsigned char *ptr,
    size_t len)
{
	char *s = NULL;
	size_t n;
	attest_err_t r;

	if ((r = attest_b64_encode_alloc(ptr, len, &s, &n)) != ATTEST_OK)
		return r;
	r = json_object_set_new(obj, key, json_stringn(s, n)) == 0 ?
	    ATTEST_OK : ATTEST_ERR_NO_MEMORY;
	attest_freezero(s, n);
	return r;
}

const json_t *
attest_json_at(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (o != NULL && (dot = strchr(path, '.')) != NULL) {
		if ((n = (size_t)(dot - path)) >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return o == NULL ? NULL : json_object_get(o, path);
}

const char *
attest_json_str_at(const json_t *o, const char *path)
{
	const json_t *v = attest_json_at(o, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}
