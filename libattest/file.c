/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounded file reading and atomic file writing.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"

#define READ_CHUNK	(64 * 1024)

attest_err_t
attest_file_open_read(const char *path, int *fd, struct stat *st,
    attest_diag_t *diag)
{
	if (strcmp(path, "-") == 0)
		*fd = STDIN_FILENO;
	else if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "cannot open: %s", strerror(errno));
	if (fstat(*fd, st) != 0) {
		(void)attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "cannot stat: %s", strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st->st_mode)) {
		(void)attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "is a directory");
		goto fail;
	}
	return ATTEST_OK;
fail:
	attest_file_close_read(path, *fd);
	*fd = -1;
	return ATTEST_ERR_IO;
}

void
attest_file_close_read(const char *path, int fd)
{
	if (fd >= 0 && strcmp(path, "-") != 0)
		(void)close(fd);
}

attest_err_t
attest_fd_read(int fd, unsigned char *buf, size_t len, size_t *got,
    attest_diag_t *diag)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		*got = 0;
		return attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "read error: %s", strerror(errno));
	}
	*got = (size_t)n;
	return ATTEST_OK;
}

attest_err_t
attest_file_read_alloc(const char *path, size_t max, unsigned char **out,
    size_t *out_len, attest_diag_t *diag)
{
	struct stat st;
	unsigned char *buf = NULL, *n;
	size_t len = 0, cap, got;
	int fd;
	attest_err_t r = ATTEST_ERR_IO;

	*out = NULL;
	*out_len = 0;
	if (path == NULL || max >= SIZE_MAX - 1)
		return ATTEST_ERR_INVALID_ARGUMENT;
	if ((r = attest_file_open_read(path, &fd, &st, diag)) != ATTEST_OK)
		return r;
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "file of %lld bytes is larger than the limit of %zu",
		    (long long)st.st_size, max);
		goto fail;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : READ_CHUNK;
	if (cap > max + 1)
		cap = max + 1;
	if ((buf = malloc(cap + 1)) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE,
				    NULL, -1, "input is larger than the limit "
				    "of %zu bytes", max);
				goto fail;
			}
			cap = cap > max / 2 ? max + 1 : cap * 2;
			if ((n = malloc(cap + 1)) == NULL) {
				r = ATTEST_ERR_NO_MEMORY;
				goto fail;
			}
			memcpy(n, buf, len);
			attest_freezero(buf, len);
			buf = n;
		}
		if ((r = attest_fd_read(fd, buf + len, cap - len, &got,
		    diag)) != ATTEST_OK)
			goto fail;
		if (got == 0)
			break;
		len += got;
	}
	if (len > max) {
		r = attest_diag_set(diag, ATTEST_ERR_TOO_LARGE, NULL, -1,
		    "input is larger than the limit of %zu bytes", max);
		goto fail;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	buf = NULL;
	r = ATTEST_OK;
fail:
	if (buf != NULL)
		attest_freezero(buf, len);
	attest_file_close_read(path, fd);
	return r;
}

int
attest_file_exists(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

static attest_err_t
write_all(int fd, const unsigned char *ptr, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, ptr, len > SSIZE_MAX ? SSIZE_MAX : len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return ATTEST_ERR_IO;
		}
		ptr += n;
		len -= (size_t)n;
	}
	return ATTEST_OK;
}

/* Split path into a directory (for the temporary file and fsync). */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	if ((d = malloc((size_t)(slash - path) + 1)) == NULL)
		return NULL;
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = '\0';
	return d;
}

static int
place(const char *tmp, const char *path, int force)
{
	if (force)
		return rename(tmp, path);
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	/* link fails with EEXIST instead of replacing */
	if (link(tmp, path) != 0)
		return -1;
	(void)unlink(tmp);
	return 0;
}

attest_err_t
attest_file_write(const char *path, const unsigned char *ptr, size_t len,
    int flags, attest_diag_t *diag)
{
	char *dir = NULL, *tmp = NULL;
	unsigned char rnd[8];
	char hex[17];
	size_t tlen;
	int fd = -1, dfd = -1, created = 0;
	mode_t mode;
	attest_err_t r = ATTEST_ERR_IO;

	if (path == NULL || (ptr == NULL && len > 0))
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, ptr, len) != ATTEST_OK ||
		    fflush(stdout) != 0)
			return attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
			    "write to standard output: %s", strerror(errno));
		return ATTEST_OK;
	}
	if (!(flags & ATTEST_WRITE_FORCE) && attest_file_exists(path) == 1)
		return attest_diag_set(diag, ATTEST_ERR_EXISTS, NULL, -1,
		    "exists (not replaced without force)");
	if ((dir = dir_of(path)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	tlen = strlen(path) + 32;
	if ((tmp = malloc(tlen)) == NULL) {
		r = ATTEST_ERR_NO_MEMORY;
		goto fail;
	}
	attest_random(rnd, sizeof(rnd));
	attest_hex_encode(hex, rnd, sizeof(rnd));
	/* beside the target, so that rename stays in one file system */
	(void)snprintf(tmp, tlen, "%s/.%s.tmp-%s", dir,
	    strrchr(path, '/') ? strrchr(path, '/') + 1 : path, hex);
	mode = (flags & ATTEST_WRITE_SECRET) ? 0600 : 0644;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode)) < 0) {
		r = attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "cannot create a temporary file in %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	created = 1;
	if (write_all(fd, ptr, len) != ATTEST_OK) {
		r = attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "write error: %s", strerror(errno));
		goto fail;
	}
	if (fsync(fd) != 0) {
		r = attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "fsync: %s", strerror(errno));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		r = attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "close: %s", strerror(errno));
		goto fail;
	}
	fd = -1;
	if (place(tmp, path, flags & ATTEST_WRITE_FORCE) != 0) {
		r = errno == EEXIST ?
		    attest_diag_set(diag, ATTEST_ERR_EXISTS, NULL, -1,
		    "exists (not replaced without force)") :
		    attest_diag_set(diag, ATTEST_ERR_IO, NULL, -1,
		    "cannot rename into place: %s", strerror(errno));
		goto fail;
	}
	created = 0;
	/* make the rename durable */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		(void)close(dfd);
	}
	r = ATTEST_OK;
fail:
	if (fd >= 0)
		(void)close(fd);
	if (created)
		(void)unlink(tmp);
	free(tmp);
	free(dir);
	return r;
}
