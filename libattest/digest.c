/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming digests: several algorithms from one read pass.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"

#define NALGS		3
/* Read size: large enough to amortise syscalls, small enough to stay in
 * L2 across the digests; constant memory whatever the file size. */
#define HASH_CHUNK	(256 * 1024)
#define PROGRESS_STEP	(16ULL * 1024 * 1024)

static const struct {
	unsigned int	 bit;
	const char	*name;
	size_t		 len;
} algs_tab[NALGS] = {
	{ ATTEST_DIGEST_SHA256, "sha256", 32 },
	{ ATTEST_DIGEST_SHA384, "sha384", 48 },
	{ ATTEST_DIGEST_SHA512, "sha512", 64 },
};

struct attest_digest {
	unsigned int	 algs;
	int		 done;
	struct attest_md *md[NALGS];
	unsigned char	 out[NALGS][ATTEST_DIGEST_MAX_LEN];
	char		 hex[NALGS][ATTEST_DIGEST_MAX_HEX];
};

static int
slot(unsigned int alg)
{
	int i;

	for (i = 0; i < NALGS; i++)
		if (algs_tab[i].bit == alg)
			return i;
	return -1;
}

const char *
attest_digest_name(unsigned int alg)
{
	int i = slot(alg);

	return i < 0 ? NULL : algs_tab[i].name;
}

unsigned int
attest_digest_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return 0;
	for (i = 0; i < NALGS; i++)
		if (strcmp(name, algs_tab[i].name) == 0)
			return algs_tab[i].bit;
	return 0;
}

size_t
attest_digest_len(unsigned int alg)
{
	int i = slot(alg);

	return i < 0 ? 0 : algs_tab[i].len;
}

attest_err_t
attest_digest_parse_list(const char *list, unsigned int *algs,
    attest_diag_t *diag)
{
	char name[16];
	const char *p = list, *comma;
	size_t n;
	unsigned int bit;

	*algs = 0;
	if (list == NULL || *list == '\0')
		return attest_diag_set(diag, ATTEST_ERR_INVALID_ARGUMENT, NULL,
		    -1, "empty digest list");
	for (;;) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n >= sizeof(name))
			return attest_diag_set(diag, n == 0 ?
			    ATTEST_ERR_INVALID_ARGUMENT : ATTEST_ERR_UNSUPPORTED,
			    NULL, -1, "bad digest name in \"%s\"", list);
		memcpy(name, p, n);
		name[n] = '\0';
		if ((bit = attest_digest_from_name(name)) == 0)
			return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
			    NULL, -1, "unknown digest \"%s\" (sha256, sha384, "
			    "sha512)", name);
		*algs |= bit;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return ATTEST_OK;
}

attest_digest_t *
attest_digest_new(unsigned int algs)
{
	attest_digest_t *d;
	int i;

	if (algs == 0 || (algs & ~ATTEST_DIGEST_ALL) != 0 ||
	    !attest_initialised())
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->algs = algs;
	for (i = 0; i < NALGS; i++)
		if ((algs & algs_tab[i].bit) &&
		    (d->md[i] = attest_md_new(algs_tab[i].bit)) == NULL) {
			attest_digest_free(&d);
			return NULL;
		}
	return d;
}

void
attest_digest_free(attest_digest_t **dp)
{
	int i;

	if (dp == NULL || *dp == NULL)
		return;
	for (i = 0; i < NALGS; i++)
		attest_md_free((*dp)->md[i]);
	free(*dp);
	*dp = NULL;
}

attest_err_t
attest_digest_update(attest_digest_t *d, const unsigned char *ptr, size_t len)
{
	attest_err_t r;
	int i;

	if (d == NULL || d->done)
		return ATTEST_ERR_INVALID_ARGUMENT;
	for (i = 0; i < NALGS; i++)
		if (d->md[i] != NULL &&
		    (r = attest_md_update(d->md[i], ptr, len)) != ATTEST_OK)
			return r;
	return ATTEST_OK;
}

attest_err_t
attest_digest_final(attest_digest_t *d)
{
	size_t n;
	attest_err_t r;
	int i;

	if (d == NULL || d->done)
		return ATTEST_ERR_INVALID_ARGUMENT;
	for (i = 0; i < NALGS; i++) {
		if (d->md[i] == NULL)
			continue;
		if ((r = attest_md_final(d->md[i], d->out[i], &n)) != ATTEST_OK)
			return r;
		attest_hex_encode(d->hex[i], d->out[i], n);
	}
	d->done = 1;
	return ATTEST_OK;
}

const char *
attest_digest_get_hex(const attest_digest_t *d, unsigned int alg)
{
	int i = slot(alg);

	if (d == NULL || !d->done || i < 0 || d->md[i] == NULL)
		return NULL;
	return d->hex[i];
}

const unsigned char *
attest_digest_get_ptr(const attest_digest_t *d, unsigned int alg)
{
	int i = slot(alg);

	if (d == NULL || !d->done || i < 0 || d->md[i] == NULL)
		return NULL;
	return d->out[i];
}

attest_err_t
attest_digest_file(const char *path, unsigned int algs, attest_digest_t **out,
    attest_progress_fn *progress, void *arg, attest_diag_t *diag)
{
	attest_digest_t *d = NULL;
	unsigned char *buf = NULL;
	struct stat st;
	uint64_t total = 0, done = 0, next = PROGRESS_STEP;
	size_t n;
	int fd;
	attest_err_t r = ATTEST_ERR_IO;

	if (out == NULL || path == NULL || algs == 0 ||
	    (algs & ~ATTEST_DIGEST_ALL) != 0)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	if ((r = attest_file_open_read(path, &fd, &st, diag)) != ATTEST_OK)
		return r;
	if (S_ISREG(st.st_mode)) {
		total = (uint64_t)st.st_size;
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	if ((d = attest_digest_new(algs)) == NULL ||
	    (buf = malloc(HASH_CHUNK)) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	for (;;) {
		if ((r = attest_fd_read(fd, buf, HASH_CHUNK, &n, diag)) !=
		    ATTEST_OK)
			goto fail;
		if (n == 0)
			break;
		if ((r = attest_digest_update(d, buf, n)) != ATTEST_OK)
			goto fail;
		done += (uint64_t)n;
		if (progress != NULL && done >= next) {
			progress(arg, done, total);
			next = done + PROGRESS_STEP;
		}
	}
	if ((r = attest_digest_final(d)) != ATTEST_OK)
		goto fail;
	if (progress != NULL)
		progress(arg, done, total);
	*out = d;
	d = NULL;
	r = ATTEST_OK;
fail:
	free(buf);
	attest_digest_free(&d);
	attest_file_close_read(path, fd);
	return r;
}
