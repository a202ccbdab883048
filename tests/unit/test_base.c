/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: error strings, diagnostics, memory helpers, bounded file
 * reading and atomic file writing (attest/err.h, attest/base.h).
 */
#include <fcntl.h>

#include "testutil.h"

static const attest_err_t all_errs[] = {
	ATTEST_OK,
	ATTEST_ERR_VERIFY,
	ATTEST_ERR_MISMATCH,
	ATTEST_ERR_POLICY,
	ATTEST_ERR_INVALID_ARGUMENT,
	ATTEST_ERR_NO_MEMORY,
	ATTEST_ERR_IO,
	ATTEST_ERR_TOO_LARGE,
	ATTEST_ERR_PARSE,
	ATTEST_ERR_UNSUPPORTED,
	ATTEST_ERR_CRYPTO,
	ATTEST_ERR_PASSPHRASE,
	ATTEST_ERR_EXISTS,
	ATTEST_ERR_NOT_FOUND,
	ATTEST_ERR_KEY,
	ATTEST_ERR_DUPLICATE,
	ATTEST_ERR_NOT_INITIALISED,
	ATTEST_ERR_CANCELLED,
	ATTEST_ERR_AMBIGUOUS,
	ATTEST_ERR_DEVICE,
};
#define NERRS	(sizeof(all_errs) / sizeof(all_errs[0]))

/* The values are ABI: check the numbers themselves. */
static void
test_err_values_abi(void **state)
{
	(void)state;
	assert_int_equal(ATTEST_OK, 0);
	assert_int_equal(ATTEST_ERR_VERIFY, 1);
	assert_int_equal(ATTEST_ERR_MISMATCH, 2);
	assert_int_equal(ATTEST_ERR_POLICY, 3);
	assert_int_equal(ATTEST_ERR_INVALID_ARGUMENT, 10);
	assert_int_equal(ATTEST_ERR_NO_MEMORY, 11);
	assert_int_equal(ATTEST_ERR_IO, 12);
	assert_int_equal(ATTEST_ERR_TOO_LARGE, 13);
	assert_int_equal(ATTEST_ERR_PARSE, 14);
	assert_int_equal(ATTEST_ERR_UNSUPPORTED, 15);
	assert_int_equal(ATTEST_ERR_CRYPTO, 16);
	assert_int_equal(ATTEST_ERR_PASSPHRASE, 17);
	assert_int_equal(ATTEST_ERR_EXISTS, 18);
	assert_int_equal(ATTEST_ERR_NOT_FOUND, 19);
	assert_int_equal(ATTEST_ERR_KEY, 20);
	assert_int_equal(ATTEST_ERR_DUPLICATE, 21);
	assert_int_equal(ATTEST_ERR_NOT_INITIALISED, 22);
	assert_int_equal(ATTEST_ERR_CANCELLED, 23);
	assert_int_equal(ATTEST_ERR_AMBIGUOUS, 24);
	assert_int_equal(ATTEST_ERR_DEVICE, 25);
}

static void
test_strerror_known(void **state)
{
	const char *s, *t;
	size_t i, j;

	(void)state;
	for (i = 0; i < NERRS; i++) {
		s = attest_strerror(all_errs[i]);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, "unknown error");
		/* every code has its own text */
		for (j = 0; j < i; j++) {
			t = attest_strerror(all_errs[j]);
			assert_string_not_equal(s, t);
		}
	}
	assert_string_equal(attest_strerror(ATTEST_OK), "success");
}

static void
test_strerror_unknown(void **state)
{
	static const int unknown[] = { 4, 9, 26, 100, 9999, INT_MAX };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_non_null(attest_strerror((attest_err_t)unknown[i]));
		assert_string_equal(attest_strerror((attest_err_t)unknown[i]),
		    "unknown error");
	}
}

static void
test_err_is_verdict(void **state)
{
	size_t i;
	int want;

	(void)state;
	for (i = 0; i < NERRS; i++) {
		want = all_errs[i] == ATTEST_ERR_VERIFY ||
		    all_errs[i] == ATTEST_ERR_MISMATCH ||
		    all_errs[i] == ATTEST_ERR_POLICY;
		assert_int_equal(attest_err_is_verdict(all_errs[i]), want);
	}
	assert_int_equal(attest_err_is_verdict((attest_err_t)9999), 0);
}

static void
test_version(void **state)
{
	char want[32];

	(void)state;
	assert_non_null(attest_version());
	(void)snprintf(want, sizeof(want), "%d.%d.%d", ATTEST_VERSION_MAJOR,
	    ATTEST_VERSION_MINOR, ATTEST_VERSION_PATCH);
	assert_string_equal(attest_version(), want);
	assert_string_equal(attest_version(), ATTEST_VERSION_STRING);
	/* a second attest_init() is harmless */
	assert_int_equal(attest_init(0), ATTEST_OK);
}

/* Diagnostics ----------------------------------------------------------- */

/* Record a field-level problem through a public parser. */
static attest_err_t
provoke_field(attest_diag_t *d)
{
	static const char env[] = "{\"payload\":\"\",\"payloadType\":1,"
	    "\"signatures\":[]}";
	attest_envelope_t *e = NULL;
	attest_err_t r;

	r = attest_envelope_parse(&e, (const unsigned char *)env,
	    sizeof(env) - 1, d);
	assert_null(e);
	return r;
}

/* Record an offset-level problem (a JSON syntax error). */
static attest_err_t
provoke_offset(attest_diag_t *d)
{
	static const char env[] = "{\"payload\": @}";
	attest_envelope_t *e = NULL;
	attest_err_t r;

	r = attest_envelope_parse(&e, (const unsigned char *)env,
	    sizeof(env) - 1, d);
	assert_null(e);
	return r;
}

static void
test_diag_new_empty(void **state)
{
	attest_diag_t *d;

	(void)state;
	assert_non_null(d = attest_diag_new());
	assert_null(attest_diag_get_file(d));
	assert_null(attest_diag_get_field(d));
	assert_null(attest_diag_get_reason(d));
	assert_null(attest_diag_get_message(d));
	assert_int_equal(attest_diag_get_offset(d), -1);
	attest_diag_free(&d);
	assert_null(d);
	/* NULL-safe */
	attest_diag_free(&d);
	attest_diag_free(NULL);
	attest_diag_clear(NULL);
	assert_null(attest_diag_get_field(NULL));
	assert_null(attest_diag_get_message(NULL));
	assert_null(attest_diag_get_file(NULL));
	assert_null(attest_diag_get_reason(NULL));
	assert_int_equal(attest_diag_get_offset(NULL), -1);
	assert_int_equal(attest_diag_set_file(NULL, "x"),
	    ATTEST_ERR_INVALID_ARGUMENT);
}

static void
test_diag_field_message(void **state)
{
	attest_diag_t *d;
	const char *msg, *reason;
	char want[512];

	(void)state;
	assert_non_null(d = attest_diag_new());
	assert_int_equal(provoke_field(d), ATTEST_ERR_PARSE);
	assert_string_equal(attest_diag_get_field(d), "payloadType");
	assert_int_equal(attest_diag_get_offset(d), -1);
	assert_non_null(reason = attest_diag_get_reason(d));
	assert_non_null(strstr(reason, "string"));
	/* no file: "field: reason" */
	(void)snprintf(want, sizeof(want), "payloadType: %s", reason);
	assert_non_null(msg = attest_diag_get_message(d));
	assert_string_equal(msg, want);
	/* with a file: "file: field: reason" */
	assert_int_equal(attest_diag_set_file(d, "env.json"), ATTEST_OK);
	assert_string_equal(attest_diag_get_file(d), "env.json");
	(void)snprintf(want, sizeof(want), "env.json: payloadType: %s",
	    reason);
	assert_string_equal(attest_diag_get_message(d), want);
	attest_diag_free(&d);
}

static void
test_diag_offset_message(void **state)
{
	attest_diag_t *d;
	const char *reason;
	long long off;
	char want[512];

	(void)state;
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_diag_set_file(d, "-"), ATTEST_OK);
	assert_int_equal(provoke_offset(d), ATTEST_ERR_PARSE);
	assert_null(attest_diag_get_field(d));
	off = attest_diag_get_offset(d);
	assert_true(off >= 0 && off <= 15);
	assert_non_null(reason = attest_diag_get_reason(d));
	(void)snprintf(want, sizeof(want), "-: offset %lld: %s", off,
	    reason);
	assert_string_equal(attest_diag_get_message(d), want);
	attest_diag_free(&d);
}

static void
test_diag_clear_keeps_file(void **state)
{
	attest_diag_t *d;

	(void)state;
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_diag_set_file(d, "a.json"), ATTEST_OK);
	assert_int_equal(provoke_field(d), ATTEST_ERR_PARSE);
	attest_diag_clear(d);
	assert_null(attest_diag_get_field(d));
	assert_null(attest_diag_get_reason(d));
	assert_null(attest_diag_get_message(d));
	assert_int_equal(attest_diag_get_offset(d), -1);
	assert_string_equal(attest_diag_get_file(d), "a.json");
	/* a new problem replaces the old one entirely */
	assert_int_equal(provoke_offset(d), ATTEST_ERR_PARSE);
	assert_null(attest_diag_get_field(d));
	assert_int_equal(provoke_field(d), ATTEST_ERR_PARSE);
	assert_int_equal(attest_diag_get_offset(d), -1);
	/* set_file(NULL) forgets the file */
	assert_int_equal(attest_diag_set_file(d, NULL), ATTEST_OK);
	assert_null(attest_diag_get_file(d));
	assert_non_null(attest_diag_get_message(d));
	assert_null(strstr(attest_diag_get_message(d), "a.json"));
	attest_diag_free(&d);
}

static void
test_diag_set_file_too_long(void **state)
{
	attest_diag_t *d;
	char *longname;

	(void)state;
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_diag_set_file(d, "keep"), ATTEST_OK);
	assert_non_null(longname = malloc(8192));
	memset(longname, 'a', 8191);
	longname[8191] = '\0';
	assert_int_equal(attest_diag_set_file(d, longname),
	    ATTEST_ERR_TOO_LARGE);
	/* a failed set leaves the old value */
	assert_string_equal(attest_diag_get_file(d), "keep");
	free(longname);
	attest_diag_free(&d);
}

static void
test_diag_prefix_field(void **state)
{
	attest_diag_t *d;
	char want[512];

	(void)state;
	assert_non_null(d = attest_diag_new());
	/* nothing recorded: nothing to prefix */
	attest_diag_prefix_field(d, "payload");
	assert_null(attest_diag_get_field(d));
	assert_null(attest_diag_get_message(d));
	assert_int_equal(provoke_field(d), ATTEST_ERR_PARSE);
	attest_diag_prefix_field(d, "payload");
	assert_string_equal(attest_diag_get_field(d), "payload.payloadType");
	attest_diag_prefix_field(d, "records[2]");
	assert_string_equal(attest_diag_get_field(d),
	    "records[2].payload.payloadType");
	(void)snprintf(want, sizeof(want), "records[2].payload.payloadType: "
	    "%s", attest_diag_get_reason(d));
	assert_string_equal(attest_diag_get_message(d), want);
	attest_diag_prefix_field(d, NULL);
	assert_string_equal(attest_diag_get_field(d),
	    "records[2].payload.payloadType");
	/* a problem with no field gets the prefix as its field */
	assert_int_equal(provoke_offset(d), ATTEST_ERR_PARSE);
	attest_diag_prefix_field(d, "payload");
	assert_string_equal(attest_diag_get_field(d), "payload");
	attest_diag_free(&d);
}

/* Parsers accept a NULL diag. */
static void
test_diag_null_ok(void **state)
{
	(void)state;
	assert_int_equal(provoke_field(NULL), ATTEST_ERR_PARSE);
	assert_int_equal(provoke_offset(NULL), ATTEST_ERR_PARSE);
}

/* Memory ---------------------------------------------------------------- */

static void
test_secure_alloc_ok(void **state)
{
	unsigned char *p, zero[64];
	void *q;

	(void)state;
	memset(zero, 0, sizeof(zero));
	assert_non_null(p = attest_secure_alloc(sizeof(zero)));
	assert_memory_equal(p, zero, sizeof(zero));
	memset(p, 0xa5, sizeof(zero));
	attest_wipe(p, sizeof(zero));
	assert_memory_equal(p, zero, sizeof(zero));
	attest_secure_free(p);
	attest_secure_free(NULL);
	/* zero-length requests still give a usable pointer */
	assert_non_null(q = attest_secure_alloc(0));
	attest_secure_free(q);
	attest_freezero(NULL, 10);
	assert_non_null(q = malloc(16));
	attest_freezero(q, 16);
	attest_wipe(NULL, 0);
}

/* Reading files --------------------------------------------------------- */

static void
test_file_read_alloc_ok(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	unsigned char *buf = NULL;
	size_t len = 0;
	attest_diag_t *d;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(d = attest_diag_new());
	tu_write_file(tu_join(path, dir, "f"), "hello\0world", 11);
	assert_int_equal(attest_file_read_alloc(path, 1024, &buf, &len, d),
	    ATTEST_OK);
	assert_int_equal(len, 11);
	assert_memory_equal(buf, "hello\0world", 11);
	assert_int_equal(buf[len], '\0');	/* NUL one past the end */
	attest_freezero(buf, len);
	/* exactly at the limit is fine */
	assert_int_equal(attest_file_read_alloc(path, 11, &buf, &len, d),
	    ATTEST_OK);
	assert_int_equal(len, 11);
	attest_freezero(buf, len);
	/* an empty file */
	tu_write_file(path, "", 0);
	assert_int_equal(attest_file_read_alloc(path, 0, &buf, &len, d),
	    ATTEST_OK);
	assert_non_null(buf);
	assert_int_equal(len, 0);
	assert_int_equal(buf[0], '\0');
	attest_freezero(buf, len);
	assert_null(attest_diag_get_message(d));
	attest_diag_free(&d);
	tu_rmtree(dir);
}

/* "-" reads standard input, here a pipe (size unknown in advance). */
static void
test_file_read_alloc_stdin(void **state)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int fds[2], saved;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "from a pipe", 11), 11);
	assert_int_equal(close(fds[1]), 0);
	assert_true((saved = dup(STDIN_FILENO)) >= 0);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(close(fds[0]), 0);
	assert_int_equal(attest_file_read_alloc("-", 1024, &buf, &len, NULL),
	    ATTEST_OK);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(close(saved), 0);
	assert_int_equal(len, 11);
	assert_memory_equal(buf, "from a pipe", 11);
	attest_freezero(buf, len);

	/* a pipe longer than the limit: found while reading */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "0123456789", 10), 10);
	assert_int_equal(close(fds[1]), 0);
	assert_true((saved = dup(STDIN_FILENO)) >= 0);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(close(fds[0]), 0);
	assert_int_equal(attest_file_read_alloc("-", 9, &buf, &len, NULL),
	    ATTEST_ERR_TOO_LARGE);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(close(saved), 0);
	assert_null(buf);
}

static void
test_file_read_alloc_missing(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	unsigned char junk = 'x', *buf = &junk;
	size_t len = 99;
	attest_diag_t *d;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_file_read_alloc(tu_join(path, dir, "nope"),
	    1024, &buf, &len, d), ATTEST_ERR_IO);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_non_null(strstr(attest_diag_get_reason(d),
	    "No such file"));
	attest_diag_free(&d);
	tu_rmtree(dir);
}

static void
test_file_read_alloc_too_large(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	unsigned char *buf = NULL;
	size_t len = 0;
	attest_diag_t *d;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(d = attest_diag_new());
	tu_write_file(tu_join(path, dir, "f"), "0123456789", 10);
	assert_int_equal(attest_file_read_alloc(path, 9, &buf, &len, d),
	    ATTEST_ERR_TOO_LARGE);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_non_null(attest_diag_get_reason(d));
	assert_int_equal(attest_file_read_alloc(path, 0, &buf, &len, NULL),
	    ATTEST_ERR_TOO_LARGE);
	assert_null(buf);
	attest_diag_free(&d);
	tu_rmtree(dir);
}

static void
test_file_read_alloc_directory(void **state)
{
	char dir[TU_PATH_MAX];
	unsigned char *buf = NULL;
	size_t len = 0;
	attest_diag_t *d;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_file_read_alloc(dir, 1024, &buf, &len, d),
	    ATTEST_ERR_IO);
	assert_null(buf);
	assert_non_null(strstr(attest_diag_get_reason(d), "directory"));
	attest_diag_free(&d);
	tu_rmtree(dir);
}

static void
test_file_read_alloc_bad_args(void **state)
{
	unsigned char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(attest_file_read_alloc(NULL, 10, &buf, &len, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_file_read_alloc("/dev/null", SIZE_MAX, &buf,
	    &len, NULL), ATTEST_ERR_INVALID_ARGUMENT);
}

/* Writing files --------------------------------------------------------- */

static void
assert_file_is(const char *path, const char *content)
{
	unsigned char *buf;
	size_t len;

	buf = tu_read_file(path, &len);
	assert_int_equal(len, strlen(content));
	assert_memory_equal(buf, content, len);
	free(buf);
}

static void
test_file_write_ok(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	struct stat st;
	mode_t old;

	(void)state;
	old = umask(022);
	tu_mkdtemp(dir);
	assert_int_equal(attest_file_write(tu_join(path, dir, "out"),
	    (const unsigned char *)"content\n", 8, 0, NULL), ATTEST_OK);
	assert_file_is(path, "content\n");
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(tu_dir_count(dir, "out"), 1);
	assert_int_equal(attest_file_exists(path), 1);
	/* an empty file */
	assert_int_equal(attest_file_write(tu_join(path, dir, "empty"), NULL,
	    0, 0, NULL), ATTEST_OK);
	assert_file_is(path, "");
	assert_int_equal(tu_dir_count(dir, NULL), 2);
	tu_rmtree(dir);
	(void)umask(old);
}

/* "-" writes to standard output, here redirected to a file. */
static void
test_file_write_stdout(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	int fd, saved;

	(void)state;
	tu_mkdtemp(dir);
	assert_true((fd = open(tu_join(path, dir, "out"),
	    O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
	fflush(stdout);
	assert_true((saved = dup(STDOUT_FILENO)) >= 0);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	assert_int_equal(close(fd), 0);
	assert_int_equal(attest_file_write("-",
	    (const unsigned char *)"to stdout", 9, 0, NULL), ATTEST_OK);
	fflush(stdout);
	assert_int_equal(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	assert_int_equal(close(saved), 0);
	assert_file_is(path, "to stdout");
	/* nothing but the redirect target in the directory */
	assert_int_equal(tu_dir_count(dir, "out"), 1);
	tu_rmtree(dir);
}

static void
test_file_write_relative(void **state)
{
	char dir[TU_PATH_MAX], cwd[TU_PATH_MAX];

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	/* no directory part: the temporary file goes in "." */
	assert_int_equal(attest_file_write("rel", (const unsigned char *)"r",
	    1, 0, NULL), ATTEST_OK);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(tu_dir_count(dir, "rel"), 1);
	tu_rmtree(dir);
}

static void
test_file_write_exists(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	attest_diag_t *d;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(d = attest_diag_new());
	tu_write_file(tu_join(path, dir, "out"), "old", 3);
	assert_int_equal(attest_file_write(path, (const unsigned char *)"new",
	    3, 0, d), ATTEST_ERR_EXISTS);
	assert_non_null(attest_diag_get_reason(d));
	assert_file_is(path, "old");
	assert_int_equal(tu_dir_count(dir, "out"), 1);
	/* SECRET alone does not imply FORCE */
	assert_int_equal(attest_file_write(path, (const unsigned char *)"new",
	    3, ATTEST_WRITE_SECRET, d), ATTEST_ERR_EXISTS);
	assert_file_is(path, "old");
	assert_int_equal(tu_dir_count(dir, "out"), 1);
	attest_diag_free(&d);
	tu_rmtree(dir);
}

/* A dangling symbolic link is an existing entry: never written through. */
static void
test_file_write_exists_dangling_link(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX], victim[TU_PATH_MAX];

	(void)state;
	tu_mkdtemp(dir);
	tu_join(victim, dir, "victim");
	assert_int_equal(symlink(victim, tu_join(path, dir, "link")), 0);
	assert_int_equal(attest_file_exists(path), 1);
	assert_int_equal(attest_file_write(path, (const unsigned char *)"x",
	    1, 0, NULL), ATTEST_ERR_EXISTS);
	assert_int_equal(attest_file_exists(victim), 0);
	assert_int_equal(tu_dir_count(dir, "link"), 1);
	tu_rmtree(dir);
}

static void
test_file_write_force(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];

	(void)state;
	tu_mkdtemp(dir);
	tu_write_file(tu_join(path, dir, "out"), "old content", 11);
	assert_int_equal(attest_file_write(path, (const unsigned char *)"new",
	    3, ATTEST_WRITE_FORCE, NULL), ATTEST_OK);
	assert_file_is(path, "new");
	assert_int_equal(tu_dir_count(dir, "out"), 1);
	tu_rmtree(dir);
}

static void
test_file_write_secret(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	struct stat st;
	mode_t old;

	(void)state;
	/* 0600 whatever the umask, even a permissive one */
	old = umask(0);
	tu_mkdtemp(dir);
	assert_int_equal(attest_file_write(tu_join(path, dir, "k"),
	    (const unsigned char *)"s", 1, ATTEST_WRITE_SECRET, NULL),
	    ATTEST_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* replacing with FORCE|SECRET: still 0600 */
	assert_int_equal(attest_file_write(path, (const unsigned char *)"t",
	    1, ATTEST_WRITE_SECRET | ATTEST_WRITE_FORCE, NULL), ATTEST_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_file_is(path, "t");
	/* without SECRET the mode is 0644 (less the umask, here none) */
	assert_int_equal(attest_file_write(tu_join(path, dir, "p"),
	    (const unsigned char *)"p", 1, 0, NULL), ATTEST_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(tu_dir_count(dir, NULL), 2);
	tu_rmtree(dir);
	(void)umask(old);
}

static void
test_file_write_missing_dir(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	attest_diag_t *d;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_file_write(tu_join(path, dir, "nodir/out"),
	    (const unsigned char *)"x", 1, 0, d), ATTEST_ERR_IO);
	assert_non_null(attest_diag_get_reason(d));
	assert_int_equal(tu_dir_count(dir, NULL), 0);
	assert_int_equal(attest_file_write(path, (const unsigned char *)"x",
	    1, ATTEST_WRITE_FORCE | ATTEST_WRITE_SECRET, d), ATTEST_ERR_IO);
	assert_int_equal(tu_dir_count(dir, NULL), 0);
	attest_diag_free(&d);
	tu_rmtree(dir);
}

/*
 * The temporary file is created and written, then the rename fails (the
 * target is a non-empty directory): the temporary must be removed.
 */
static void
test_file_write_rename_fails(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX], inner[TU_PATH_MAX];
	attest_diag_t *d;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(d = attest_diag_new());
	assert_int_equal(mkdir(tu_join(path, dir, "target"), 0700), 0);
	tu_write_file(tu_join(inner, path, "keep"), "k", 1);
	assert_int_equal(attest_file_write(path, (const unsigned char *)"x",
	    1, ATTEST_WRITE_FORCE, d), ATTEST_ERR_IO);
	assert_non_null(strstr(attest_diag_get_reason(d), "rename"));
	assert_int_equal(tu_dir_count(dir, "target"), 1);
	assert_int_equal(tu_dir_count(path, "keep"), 1);
	/* without FORCE the directory is an existing target */
	assert_int_equal(attest_file_write(path, (const unsigned char *)"x",
	    1, 0, d), ATTEST_ERR_EXISTS);
	assert_int_equal(tu_dir_count(dir, "target"), 1);
	attest_diag_free(&d);
	tu_rmtree(dir);
}

static void
test_file_write_bad_args(void **state)
{
	(void)state;
	assert_int_equal(attest_file_write(NULL, (const unsigned char *)"x",
	    1, 0, NULL), ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_file_write("/tmp/x", NULL, 1, 0, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
}

static void
test_file_exists(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX], sub[TU_PATH_MAX];

	(void)state;
	tu_mkdtemp(dir);
	assert_int_equal(attest_file_exists(dir), 1);
	assert_int_equal(attest_file_exists(tu_join(path, dir, "none")), 0);
	tu_write_file(path, "", 0);
	assert_int_equal(attest_file_exists(path), 1);
	/* a path through a regular file: neither yes nor no */
	assert_int_equal(attest_file_exists(tu_join(sub, path, "x")), -1);
	tu_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_values_abi),
		cmocka_unit_test(test_strerror_known),
		cmocka_unit_test(test_strerror_unknown),
		cmocka_unit_test(test_err_is_verdict),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_diag_new_empty),
		cmocka_unit_test(test_diag_field_message),
		cmocka_unit_test(test_diag_offset_message),
		cmocka_unit_test(test_diag_clear_keeps_file),
		cmocka_unit_test(test_diag_set_file_too_long),
		cmocka_unit_test(test_diag_prefix_field),
		cmocka_unit_test(test_diag_null_ok),
		cmocka_unit_test(test_secure_alloc_ok),
		cmocka_unit_test(test_file_read_alloc_ok),
		cmocka_unit_test(test_file_read_alloc_stdin),
		cmocka_unit_test(test_file_read_alloc_missing),
		cmocka_unit_test(test_file_read_alloc_too_large),
		cmocka_unit_test(test_file_read_alloc_directory),
		cmocka_unit_test(test_file_read_alloc_bad_args),
		cmocka_unit_test(test_file_write_ok),
		cmocka_unit_test(test_file_write_stdout),
		cmocka_unit_test(test_file_write_relative),
		cmocka_unit_test(test_file_write_exists),
		cmocka_unit_test(test_file_write_exists_dangling_link),
		cmocka_unit_test(test_file_write_force),
		cmocka_unit_test(test_file_write_secret),
		cmocka_unit_test(test_file_write_missing_dir),
		cmocka_unit_test(test_file_write_rename_fails),
		cmocka_unit_test(test_file_write_bad_args),
		cmocka_unit_test(test_file_exists),
	};

	return cmocka_run_group_tests(tests, tu_setup, NULL);
}
