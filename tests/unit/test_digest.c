/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: streaming multi-digests (attest/digest.h).
 *
 * Known answers are the FIPS 180-4 examples ("abc") and the digests of
 * empty input; file hashing is checked against OpenSSL's one-shot
 * EVP_Digest() over the same bytes.
 */
#include <fcntl.h>

#include <openssl/evp.h>

#include "testutil.h"

static const struct {
	unsigned int	 alg;
	const char	*name;
	size_t		 len;
	const char	*abc;
	const char	*empty;
} kat[] = {
	{ ATTEST_DIGEST_SHA256, "sha256", 32,
	    "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad",
	    "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855" },
	{ ATTEST_DIGEST_SHA384, "sha384", 48,
	    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
	    "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
	    "38b060a751ac96384cd9327eb1b1e36a21fdb71114be0743"
	    "4c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b" },
	{ ATTEST_DIGEST_SHA512, "sha512", 64,
	    "ddaf35a193617abacc417349ae204131"
	    "12e6fa4e89a97ea20a9eeee64b55d39a"
	    "2192992a274fc1a836ba3c23a3feebbd"
	    "454d4423643ce80e2a9ac94fa54ca49f",
	    "cf83e1357eefb8bdf1542850d66d8007"
	    "d620e4050b5715dc83f4a921d36ce9ce"
	    "47d0d13c5d85f2b0ff8318d2877eec2f"
	    "63b931bd47417a81a538327af927da3e" },
};
#define NKAT	(sizeof(kat) / sizeof(kat[0]))

static const EVP_MD *
oracle_md(unsigned int alg)
{
	switch (alg) {
	case ATTEST_DIGEST_SHA256:
		return EVP_sha256();
	case ATTEST_DIGEST_SHA384:
		return EVP_sha384();
	default:
		return EVP_sha512();
	}
}

/* One algorithm at a time through the library. */
static void
digest_one(unsigned int alg, const unsigned char *ptr, size_t len,
    char hex[ATTEST_DIGEST_MAX_HEX])
{
	attest_digest_t *d;

	assert_non_null(d = attest_digest_new(alg));
	assert_int_equal(attest_digest_update(d, ptr, len), ATTEST_OK);
	assert_int_equal(attest_digest_final(d), ATTEST_OK);
	assert_non_null(attest_digest_get_hex(d, alg));
	(void)snprintf(hex, ATTEST_DIGEST_MAX_HEX, "%s",
	    attest_digest_get_hex(d, alg));
	attest_digest_free(&d);
	assert_null(d);
}

static void
test_digest_names(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NKAT; i++) {
		assert_string_equal(attest_digest_name(kat[i].alg),
		    kat[i].name);
		assert_int_equal(attest_digest_from_name(kat[i].name),
		    kat[i].alg);
		assert_int_equal(attest_digest_len(kat[i].alg), kat[i].len);
	}
	assert_int_equal(ATTEST_DIGEST_ALL, ATTEST_DIGEST_SHA256 |
	    ATTEST_DIGEST_SHA384 | ATTEST_DIGEST_SHA512);
	/* not exactly one known bit */
	assert_null(attest_digest_name(0));
	assert_null(attest_digest_name(ATTEST_DIGEST_ALL));
	assert_null(attest_digest_name(0x08));
	assert_int_equal(attest_digest_len(0), 0);
	assert_int_equal(attest_digest_len(ATTEST_DIGEST_SHA256 |
	    ATTEST_DIGEST_SHA512), 0);
	/* names are exact and case-sensitive */
	assert_int_equal(attest_digest_from_name("SHA256"), 0);
	assert_int_equal(attest_digest_from_name("sha-256"), 0);
	assert_int_equal(attest_digest_from_name("sha1"), 0);
	assert_int_equal(attest_digest_from_name("md5"), 0);
	assert_int_equal(attest_digest_from_name(""), 0);
	assert_int_equal(attest_digest_from_name(NULL), 0);
}

static void
test_digest_kat_abc(void **state)
{
	char hex[ATTEST_DIGEST_MAX_HEX];
	size_t i;

	(void)state;
	for (i = 0; i < NKAT; i++) {
		digest_one(kat[i].alg, (const unsigned char *)"abc", 3, hex);
		assert_string_equal(hex, kat[i].abc);
	}
}

static void
test_digest_kat_empty(void **state)
{
	char hex[ATTEST_DIGEST_MAX_HEX];
	attest_digest_t *d;
	size_t i;

	(void)state;
	for (i = 0; i < NKAT; i++) {
		digest_one(kat[i].alg, NULL, 0, hex);
		assert_string_equal(hex, kat[i].empty);
		/* no update at all gives the same */
		assert_non_null(d = attest_digest_new(kat[i].alg));
		assert_int_equal(attest_digest_final(d), ATTEST_OK);
		assert_string_equal(attest_digest_get_hex(d, kat[i].alg),
		    kat[i].empty);
		attest_digest_free(&d);
	}
}

/* Raw bytes agree with the hex. */
static void
test_digest_get_ptr(void **state)
{
	attest_digest_t *d;
	unsigned char *want;
	size_t i, len;

	(void)state;
	assert_non_null(d = attest_digest_new(ATTEST_DIGEST_ALL));
	assert_int_equal(attest_digest_update(d, (const unsigned char *)"abc",
	    3), ATTEST_OK);
	assert_null(attest_digest_get_ptr(d, ATTEST_DIGEST_SHA256));
	assert_int_equal(attest_digest_final(d), ATTEST_OK);
	for (i = 0; i < NKAT; i++) {
		want = tu_hex(kat[i].abc, &len);
		assert_int_equal(len, kat[i].len);
		assert_memory_equal(attest_digest_get_ptr(d, kat[i].alg), want,
		    len);
		free(want);
	}
	assert_null(attest_digest_get_ptr(d, 0x08));
	assert_null(attest_digest_get_ptr(NULL, ATTEST_DIGEST_SHA256));
	attest_digest_free(&d);
}

/* Every algorithm in one pass, fed in uneven pieces, equals one by one. */
static void
test_digest_multi_equals_single(void **state)
{
	unsigned char buf[100000];
	char hex[ATTEST_DIGEST_MAX_HEX];
	attest_digest_t *d;
	size_t i, off, step;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + (i >> 8));
	assert_non_null(d = attest_digest_new(ATTEST_DIGEST_ALL));
	for (off = 0, step = 1; off < sizeof(buf); off += step, step += 97) {
		if (step > sizeof(buf) - off)
			step = sizeof(buf) - off;
		assert_int_equal(attest_digest_update(d, buf + off, step),
		    ATTEST_OK);
	}
	assert_int_equal(attest_digest_final(d), ATTEST_OK);
	for (i = 0; i < NKAT; i++) {
		digest_one(kat[i].alg, buf, sizeof(buf), hex);
		assert_string_equal(attest_digest_get_hex(d, kat[i].alg), hex);
	}
	attest_digest_free(&d);

	/* a subset computes only what was asked */
	assert_non_null(d = attest_digest_new(ATTEST_DIGEST_SHA256 |
	    ATTEST_DIGEST_SHA512));
	assert_int_equal(attest_digest_update(d, (const unsigned char *)"abc",
	    3), ATTEST_OK);
	assert_int_equal(attest_digest_final(d), ATTEST_OK);
	assert_string_equal(attest_digest_get_hex(d, ATTEST_DIGEST_SHA256),
	    kat[0].abc);
	assert_null(attest_digest_get_hex(d, ATTEST_DIGEST_SHA384));
	assert_string_equal(attest_digest_get_hex(d, ATTEST_DIGEST_SHA512),
	    kat[2].abc);
	attest_digest_free(&d);
}

static void
test_digest_new_bad_algs(void **state)
{
	(void)state;
	assert_null(attest_digest_new(0));
	assert_null(attest_digest_new(0x08));
	assert_null(attest_digest_new(ATTEST_DIGEST_ALL | 0x10));
	attest_digest_free(NULL);
}

static void
test_digest_state_misuse(void **state)
{
	attest_digest_t *d;

	(void)state;
	assert_non_null(d = attest_digest_new(ATTEST_DIGEST_SHA256));
	/* not finished: no answer yet */
	assert_null(attest_digest_get_hex(d, ATTEST_DIGEST_SHA256));
	assert_int_equal(attest_digest_final(d), ATTEST_OK);
	/* finished: no more input, no second final */
	assert_int_equal(attest_digest_update(d, (const unsigned char *)"x",
	    1), ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_digest_final(d), ATTEST_ERR_INVALID_ARGUMENT);
	assert_string_equal(attest_digest_get_hex(d, ATTEST_DIGEST_SHA256),
	    kat[0].empty);
	/* not requested */
	assert_null(attest_digest_get_hex(d, ATTEST_DIGEST_SHA384));
	assert_null(attest_digest_get_hex(NULL, ATTEST_DIGEST_SHA256));
	assert_int_equal(attest_digest_update(NULL, NULL, 0),
	    ATTEST_ERR_INVALID_ARGUMENT);
	assert_int_equal(attest_digest_final(NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_digest_free(&d);
}

/* Files ----------------------------------------------------------------- */

struct progress {
	int		calls;
	uint64_t	last_done;
	uint64_t	last_total;
	int		monotonic;
};

static void
progress_cb(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;

	if (p->calls > 0 && done < p->last_done)
		p->monotonic = 0;
	p->calls++;
	p->last_done = done;
	p->last_total = total;
}

#define FILE_BYTES	(3 * 1024 * 1024 + 12345)

static void
test_digest_file_ok(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	unsigned char *buf, md[EVP_MAX_MD_SIZE];
	char hex[ATTEST_DIGEST_MAX_HEX];
	unsigned int mdlen;
	struct progress p = { 0, 0, 0, 1 };
	attest_digest_t *d = NULL;
	size_t i;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(buf = malloc(FILE_BYTES));
	randombytes_buf(buf, FILE_BYTES);
	tu_write_file(tu_join(path, dir, "blob"), buf, FILE_BYTES);
	assert_int_equal(attest_digest_file(path, ATTEST_DIGEST_ALL, &d,
	    progress_cb, &p, NULL), ATTEST_OK);
	assert_non_null(d);
	for (i = 0; i < NKAT; i++) {
		assert_int_equal(EVP_Digest(buf, FILE_BYTES, md, &mdlen,
		    oracle_md(kat[i].alg), NULL), 1);
		assert_int_equal(mdlen, kat[i].len);
		assert_string_equal(attest_digest_get_hex(d, kat[i].alg),
		    tu_tohex(hex, md, mdlen));
		assert_memory_equal(attest_digest_get_ptr(d, kat[i].alg), md,
		    mdlen);
	}
	/* called, and the last call is at the total */
	assert_true(p.calls >= 1);
	assert_true(p.monotonic);
	assert_int_equal(p.last_done, FILE_BYTES);
	assert_int_equal(p.last_total, FILE_BYTES);
	attest_digest_free(&d);

	/* no callback is fine too */
	assert_int_equal(attest_digest_file(path, ATTEST_DIGEST_SHA384, &d,
	    NULL, NULL, NULL), ATTEST_OK);
	assert_null(attest_digest_get_hex(d, ATTEST_DIGEST_SHA256));
	assert_non_null(attest_digest_get_hex(d, ATTEST_DIGEST_SHA384));
	attest_digest_free(&d);
	free(buf);
	tu_rmtree(dir);
}

/*
 * A sparse file larger than the progress step: intermediate calls come,
 * in order, and the last one is at the total.
 */
static void
test_digest_file_progress(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	const off_t size = 33 * 1024 * 1024 + 7;
	struct progress p = { 0, 0, 0, 1 };
	attest_digest_t *d = NULL;
	int fd;

	(void)state;
	tu_mkdtemp(dir);
	assert_true((fd = open(tu_join(path, dir, "sparse"),
	    O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(attest_digest_file(path, ATTEST_DIGEST_SHA256, &d,
	    progress_cb, &p, NULL), ATTEST_OK);
	assert_true(p.calls >= 3);
	assert_true(p.monotonic);
	assert_int_equal(p.last_done, (uint64_t)size);
	assert_int_equal(p.last_total, (uint64_t)size);
	attest_digest_free(&d);
	tu_rmtree(dir);
}

static void
test_digest_file_empty(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	struct progress p = { 0, 0, 0, 1 };
	attest_digest_t *d = NULL;
	size_t i;

	(void)state;
	tu_mkdtemp(dir);
	tu_write_file(tu_join(path, dir, "empty"), "", 0);
	assert_int_equal(attest_digest_file(path, ATTEST_DIGEST_ALL, &d,
	    progress_cb, &p, NULL), ATTEST_OK);
	for (i = 0; i < NKAT; i++)
		assert_string_equal(attest_digest_get_hex(d, kat[i].alg),
		    kat[i].empty);
	assert_int_equal(p.calls, 1);
	assert_int_equal(p.last_done, 0);
	attest_digest_free(&d);
	tu_rmtree(dir);
}

/* "-" hashes standard input; from a pipe the total is not known (0). */
static void
test_digest_file_stdin(void **state)
{
	struct progress p = { 0, 0, 0, 1 };
	attest_digest_t *d = NULL;
	int fds[2], saved;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "abc", 3), 3);
	assert_int_equal(close(fds[1]), 0);
	assert_true((saved = dup(STDIN_FILENO)) >= 0);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(close(fds[0]), 0);
	assert_int_equal(attest_digest_file("-", ATTEST_DIGEST_ALL, &d,
	    progress_cb, &p, NULL), ATTEST_OK);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(close(saved), 0);
	assert_string_equal(attest_digest_get_hex(d, ATTEST_DIGEST_SHA256),
	    kat[0].abc);
	assert_string_equal(attest_digest_get_hex(d, ATTEST_DIGEST_SHA512),
	    kat[2].abc);
	assert_int_equal(p.calls, 1);
	assert_int_equal(p.last_done, 3);
	assert_int_equal(p.last_total, 0);
	attest_digest_free(&d);
}

static void
test_digest_file_missing(void **state)
{
	char dir[TU_PATH_MAX], path[TU_PATH_MAX];
	attest_digest_t *d = NULL;
	attest_diag_t *diag;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(diag = attest_diag_new());
	assert_int_equal(attest_digest_file(tu_join(path, dir, "none"),
	    ATTEST_DIGEST_SHA256, &d, NULL, NULL, diag), ATTEST_ERR_IO);
	assert_null(d);
	assert_non_null(attest_diag_get_reason(diag));
	attest_diag_free(&diag);
	tu_rmtree(dir);
}

static void
test_digest_file_directory(void **state)
{
	char dir[TU_PATH_MAX];
	attest_digest_t *d = NULL;
	attest_diag_t *diag;

	(void)state;
	tu_mkdtemp(dir);
	assert_non_null(diag = attest_diag_new());
	assert_int_equal(attest_digest_file(dir, ATTEST_DIGEST_SHA256, &d,
	    NULL, NULL, diag), ATTEST_ERR_IO);
	assert_null(d);
	assert_non_null(strstr(attest_diag_get_reason(diag), "directory"));
	attest_diag_free(&diag);
	tu_rmtree(dir);
}

/* Lists ----------------------------------------------------------------- */

static void
test_digest_parse_list_ok(void **state)
{
	unsigned int algs = 0;

	(void)state;
	assert_int_equal(attest_digest_parse_list("sha256", &algs, NULL),
	    ATTEST_OK);
	assert_int_equal(algs, ATTEST_DIGEST_SHA256);
	assert_int_equal(attest_digest_parse_list("sha256,sha512", &algs,
	    NULL), ATTEST_OK);
	assert_int_equal(algs, ATTEST_DIGEST_SHA256 | ATTEST_DIGEST_SHA512);
	assert_int_equal(attest_digest_parse_list("sha512,sha384,sha256",
	    &algs, NULL), ATTEST_OK);
	assert_int_equal(algs, ATTEST_DIGEST_ALL);
	/* a repeated name is harmless */
	assert_int_equal(attest_digest_parse_list("sha384,sha384", &algs,
	    NULL), ATTEST_OK);
	assert_int_equal(algs, ATTEST_DIGEST_SHA384);
}

static void
test_digest_parse_list_unknown(void **state)
{
	unsigned int algs = 99;
	attest_diag_t *d;

	(void)state;
	assert_non_null(d = attest_diag_new());
	assert_int_equal(attest_digest_parse_list("sha256,md5", &algs, d),
	    ATTEST_ERR_UNSUPPORTED);
	assert_non_null(strstr(attest_diag_get_reason(d), "md5"));
	assert_int_equal(algs & ~ATTEST_DIGEST_ALL, 0);
	assert_int_equal(attest_digest_parse_list("SHA256", &algs, d),
	    ATTEST_ERR_UNSUPPORTED);
	assert_int_equal(attest_digest_parse_list("sha256 ", &algs, d),
	    ATTEST_ERR_UNSUPPORTED);
	/* a name longer than any known one */
	assert_int_equal(attest_digest_parse_list(
	    "sha256sha256sha256sha256", &algs, d), ATTEST_ERR_UNSUPPORTED);
	attest_diag_free(&d);
}

static void
test_digest_parse_list_empty_item(void **state)
{
	static const char *bad[] = { "", ",", "sha256,", ",sha256",
	    "sha256,,sha512" };
	unsigned int algs;
	attest_diag_t *d;
	size_t i;

	(void)state;
	assert_non_null(d = attest_diag_new());
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		attest_diag_clear(d);
		assert_int_equal(attest_digest_parse_list(bad[i], &algs, d),
		    ATTEST_ERR_INVALID_ARGUMENT);
		assert_non_null(attest_diag_get_reason(d));
	}
	assert_int_equal(attest_digest_parse_list(NULL, &algs, NULL),
	    ATTEST_ERR_INVALID_ARGUMENT);
	attest_diag_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest_names),
		cmocka_unit_test(test_digest_kat_abc),
		cmocka_unit_test(test_digest_kat_empty),
		cmocka_unit_test(test_digest_get_ptr),
		cmocka_unit_test(test_digest_multi_equals_single),
		cmocka_unit_test(test_digest_new_bad_algs),
		cmocka_unit_test(test_digest_state_misuse),
		cmocka_unit_test(test_digest_file_ok),
		cmocka_unit_test(test_digest_file_progress),
		cmocka_unit_test(test_digest_file_empty),
		cmocka_unit_test(test_digest_file_stdin),
		cmocka_unit_test(test_digest_file_missing),
		cmocka_unit_test(test_digest_file_directory),
		cmocka_unit_test(test_digest_parse_list_ok),
		cmocka_unit_test(test_digest_parse_list_unknown),
		cmocka_unit_test(test_digest_parse_list_empty_item),
	};

	return cmocka_run_group_tests(tests, tu_setup, NULL);
}
