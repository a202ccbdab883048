/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the libattest unit tests: whole-file reading, hex
 * decoding, locating and loading the public test vectors (VECTORS, set
 * by the Makefile to the absolute path of tests/vectors), scratch
 * directories and a passphrase callback.
 *
 * Everything here is static inline so that each test file takes only
 * what it uses.  Failures are cmocka assertions: a helper that cannot do
 * its job fails the test that called it.
 */
#ifndef ATTEST_TESTUTIL_H
#define ATTEST_TESTUTIL_H

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "attest.h"

#define TU_PATH_MAX	4096

/* Read a whole file into a fresh NUL-terminated buffer (free()). */
static inline unsigned char *
tu_read_file(const char *path, size_t *len)
{
	FILE *f;
	unsigned char *buf;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Write a whole file with stdio, replacing it (test fixtures only). */
static inline void
tu_write_file(const char *path, const void *ptr, size_t len)
{
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL)
		fail_msg("cannot create %s", path);
	assert_int_equal(fwrite(ptr, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Decode lowercase or uppercase hex into a fresh buffer (free()). */
static inline unsigned char *
tu_hex(const char *hex, size_t *len)
{
	size_t cap = strlen(hex) / 2 + 1;
	unsigned char *buf;
	const char *end = NULL;

	assert_int_equal(strlen(hex) % 2, 0);
	assert_non_null(buf = malloc(cap));
	assert_int_equal(sodium_hex2bin(buf, cap, hex, strlen(hex), NULL, len,
	    &end), 0);
	assert_ptr_equal(end, hex + strlen(hex));
	return buf;
}

/* Lowercase hex of bytes, into out (2 * len + 1 bytes). */
static inline const char *
tu_tohex(char *out, const unsigned char *ptr, size_t len)
{
	return sodium_bin2hex(out, 2 * len + 1, ptr, len);
}

/* Absolute path of a file under the vectors directory. */
static inline const char *
tu_vector_path(char out[TU_PATH_MAX], const char *rel)
{
	const char *dir = getenv("VECTORS");
	int n;

	if (dir == NULL || *dir == '\0')
		dir = "tests/vectors";
	n = snprintf(out, TU_PATH_MAX, "%s/%s", dir, rel);
	assert_true(n > 0 && n < TU_PATH_MAX);
	return out;
}

/* Load a vector file's JSON (json_decref()). */
static inline json_t *
tu_load_vector(const char *rel)
{
	char path[TU_PATH_MAX];
	json_error_t e;
	json_t *j;

	tu_vector_path(path, rel);
	if ((j = json_load_file(path, JSON_REJECT_DUPLICATES, &e)) == NULL)
		fail_msg("%s: line %d: %s (is VECTORS set?)", path, e.line,
		    e.text);
	return j;
}

/* A string member of a vector object; fails the test when missing. */
static inline const char *
tu_jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("vector field \"%s\" missing or not a string", key);
	return json_string_value(v);
}

/* A fresh private scratch directory under $TMPDIR or /tmp. */
static inline void
tu_mkdtemp(char out[TU_PATH_MAX])
{
	const char *t = getenv("TMPDIR");

	if (t == NULL || *t == '\0')
		t = "/tmp";
	assert_true(snprintf(out, TU_PATH_MAX, "%s/attest-test.XXXXXX", t) <
	    TU_PATH_MAX);
	assert_non_null(mkdtemp(out));
}

/* Join a directory and a name. */
static inline const char *
tu_join(char out[TU_PATH_MAX], const char *dir, const char *name)
{
	assert_true(snprintf(out, TU_PATH_MAX, "%s/%s", dir, name) <
	    TU_PATH_MAX);
	return out;
}

/*
 * How many entries a directory has (without "." and ".."); when @p only
 * is not NULL, also check that the single entry is named @p only.
 */
static inline size_t
tu_dir_count(const char *dir, const char *only)
{
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (only != NULL && strcmp(de->d_name, only) != 0)
			fail_msg("%s: unexpected entry %s", dir, de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/* Remove a scratch directory and what it holds (one level deep). */
static inline void
tu_rmtree(const char *dir)
{
	char path[TU_PATH_MAX];
	DIR *d;
	struct dirent *de;
	struct stat st;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		tu_join(path, dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			tu_rmtree(path);
		else
			(void)unlink(path);
	}
	closedir(d);
	(void)rmdir(dir);
}

/*
 * Passphrase callback: hands out pass (NULL: refuse with
 * ATTEST_ERR_CANCELLED) and counts the calls.
 */
struct tu_secret {
	const char	*pass;
	int		 calls;
};

static inline attest_err_t
tu_secret_cb(void *arg, attest_secret_kind_t kind, const char *what,
    int confirm, char *buf, size_t size, size_t *len)
{
	struct tu_secret *ts = arg;
	size_t n;

	(void)confirm;
	assert_int_equal(kind, ATTEST_SECRET_PASSPHRASE);
	assert_non_null(what);
	ts->calls++;
	if (ts->pass == NULL)
		return ATTEST_ERR_CANCELLED;
	if ((n = strlen(ts->pass)) > size)
		return ATTEST_ERR_TOO_LARGE;
	memcpy(buf, ts->pass, n);
	*len = n;
	return ATTEST_OK;
}

/* The diag field is exactly @p want (NULL: no field recorded). */
static inline void
tu_assert_field(const attest_diag_t *d, const char *want)
{
	const char *got = attest_diag_get_field(d);

	if (want == NULL && got != NULL)
		fail_msg("diag field \"%s\", none expected (%s)", got,
		    attest_diag_get_message(d));
	if (want != NULL && (got == NULL || strcmp(got, want) != 0))
		fail_msg("diag field %s%s%s, expected \"%s\" (%s)",
		    got ? "\"" : "", got ? got : "(none)", got ? "\"" : "",
		    want, attest_diag_get_message(d) ?
		    attest_diag_get_message(d) : "no message");
	assert_non_null(attest_diag_get_reason(d));
}

/* Group setup shared by every test binary. */
static inline int
tu_setup(void **state)
{
	(void)state;
	return attest_init(0) == ATTEST_OK ? 0 : -1;
}

#endif /* ATTEST_TESTUTIL_H */
