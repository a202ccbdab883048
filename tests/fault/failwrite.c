/* SPDX-License-Identifier: Apache-2.0 */
/*
 * failwrite: an LD_PRELOAD shim that makes the n-th write-side call on
 * the files a tool writes fail, or kills the process there
 * (tests/fault/run.sh, tests/fault/README.md).
 *
 * Only files under FAULT_DIR count: a descriptor (or stdio stream) is
 * tracked when it was opened for writing, or made by mkstemp, on a path
 * under FAULT_DIR; rename, renameat2 and link count when either path is
 * under it.  Standard input, output and error, the inputs the tool reads
 * and whatever libraries write elsewhere (font caches) never count.
 *
 *   FAULT_DIR=DIR	 absolute directory whose files count (required)
 *   FAULT_OP=OP	 which calls count: open, write, fsync, close,
 *			 rename or any (default any)
 *   FAULT_AT=N		 the N-th counted call fails (0 or unset: none)
 *   FAULT_ERRNO=NAME	 ENOSPC (default), EIO, EDQUOT, EROFS, EFBIG
 *   FAULT_SHORT=1	 the N-th write writes half its bytes and every
 *			 later write fails with ENOSPC (a disk that fills
 *			 up); FAULT_SHORT=2: half, then all goes on well
 *   FAULT_KILL=1	 raise(SIGKILL) just before the N-th call instead
 *   FAULT_COUNT=FILE	 at exit, write the number of counted calls there
 *   FAULT_LOG=FILE	 append "N OP PATH" for every counted call
 *   FAULT_SKIP=SUFFIX	 paths ending in SUFFIX never count (a lock file
 *			 beside the output: its calls are not the output's)
 *
 * Calls counted: open/open64/openat/openat64/creat and fopen/fopen64
 * for writing, mkstemp (OP open); write and fwrite (OP write); fsync,
 * fdatasync, fflush of a tracked stream (OP fsync); close and fclose
 * (OP close, the descriptor is closed even when the call "fails", as
 * the kernel does); rename, renameat, renameat2, link (OP rename).
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXFD	1024

enum op { OP_OPEN, OP_WRITE, OP_FSYNC, OP_CLOSE, OP_RENAME, OP_ANY };
static const char *const opname[] = {
	"open", "write", "fsync", "close", "rename", "any"
};

static int		 inited;
static char		 dir[PATH_MAX];
static size_t		 dirlen;
static enum op		 want = OP_ANY;
static long		 at;
static int		 fail_errno = ENOSPC;
static int		 short_mode;
static int		 kill_mode;
static int		 full;		/* after a FAULT_SHORT=1 short write */
static long		 count;
static const char	*count_file;
static const char	*log_file;
static const char	*skip;
static unsigned char	 tracked[MAXFD];

static void
init(void)
{
	const char *s;

	if (inited)
		return;
	inited = 1;
	if ((s = getenv("FAULT_DIR")) != NULL && *s == '/' &&
	    strlen(s) < sizeof(dir)) {
		(void)strcpy(dir, s);
		dirlen = strlen(dir);
		while (dirlen > 1 && dir[dirlen - 1] == '/')
			dir[--dirlen] = '\0';
	}
	if ((s = getenv("FAULT_OP")) != NULL) {
		for (int i = 0; i <= OP_ANY; i++)
			if (strcmp(s, opname[i]) == 0)
				want = (enum op)i;
	}
	if ((s = getenv("FAULT_AT")) != NULL)
		at = strtol(s, NULL, 10);
	if ((s = getenv("FAULT_ERRNO")) != NULL) {
		if (strcmp(s, "EIO") == 0)
			fail_errno = EIO;
		else if (strcmp(s, "EDQUOT") == 0)
			fail_errno = EDQUOT;
		else if (strcmp(s, "EROFS") == 0)
			fail_errno = EROFS;
		else if (strcmp(s, "EFBIG") == 0)
			fail_errno = EFBIG;
	}
	if ((s = getenv("FAULT_SHORT")) != NULL)
		short_mode = atoi(s);
	if ((s = getenv("FAULT_KILL")) != NULL)
		kill_mode = atoi(s);
	count_file = getenv("FAULT_COUNT");
	log_file = getenv("FAULT_LOG");
	if ((skip = getenv("FAULT_SKIP")) != NULL && *skip == '\0')
		skip = NULL;
}

static void *
next(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL)
		abort();
	return f;
}

#define REAL(type, name, args)						\
	static type (*real_##name) args;				\
	if (real_##name == NULL)					\
		real_##name = (type (*) args)next(#name)

/* Is path (relative to the working directory) under FAULT_DIR? */
static int
under(const char *path)
{
	char abs[PATH_MAX * 2];

	if (dirlen == 0 || path == NULL)
		return 0;
	if (skip != NULL && strlen(path) >= strlen(skip) &&
	    strcmp(path + strlen(path) - strlen(skip), skip) == 0)
		return 0;
	if (path[0] != '/') {
		char cwd[PATH_MAX];

		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return 0;
		(void)snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
		path = abs;
	}
	return strncmp(path, dir, dirlen) == 0 &&
	    (path[dirlen] == '/' || path[dirlen] == '\0');
}

static int
is_tracked(int fd)
{
	return fd > 2 && fd < MAXFD && tracked[fd];
}

static void
track(int fd, int on)
{
	if (fd > 2 && fd < MAXFD)
		tracked[fd] = (unsigned char)on;
}

static void
logcall(long n, enum op o, const char *what)
{
	int saved = errno;
	FILE *f;

	/* fopen here would be counted: only our own (untracked) paths */
	if (log_file != NULL && (f = fopen(log_file, "a")) != NULL) {
		fprintf(f, "%ld %s %s\n", n, opname[o], what);
		fclose(f);
	}
	errno = saved;
}

/*
 * Count one call of kind o.  Returns 1 when it must fail (errno set),
 * 0 when it goes on; kills the process instead when FAULT_KILL=1.
 */
static int
hit(enum op o, const char *what)
{
	init();
	if (want != OP_ANY && want != o)
		return 0;
	count++;
	logcall(count, o, what);
	if (at <= 0 || count != at)
		return 0;
	if (kill_mode)
		(void)raise(SIGKILL);
	errno = fail_errno;
	return 1;
}

static int
writing(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT) ||
	    (flags & O_TRUNC);
}

static int
do_open(const char *fn, int dfd, const char *path, int flags, mode_t mode)
{
	int fd, count_it;

	init();
	/* openat relative to a directory descriptor: not used by the tools */
	count_it = writing(flags) && (dfd == AT_FDCWD || path[0] == '/') &&
	    under(path);
	if (count_it && hit(OP_OPEN, path))
		return -1;
	if (strcmp(fn, "openat") == 0 || strcmp(fn, "openat64") == 0) {
		int (*f)(int, const char *, int, ...) =
		    (int (*)(int, const char *, int, ...))next(fn);
		fd = f(dfd, path, flags, mode);
	} else {
		int (*f)(const char *, int, ...) =
		    (int (*)(const char *, int, ...))next(fn);
		fd = f(path, flags, mode);
	}
	if (fd >= 0)
		track(fd, count_it);
	return fd;
}

#define MODE_ARG(flags, mode) do {					\
	if (((flags) & O_CREAT) ||					\
	    ((flags) & __O_TMPFILE) == __O_TMPFILE) {			\
		va_list ap;						\
		va_start(ap, flags);					\
		mode = (mode_t)va_arg(ap, int);				\
		va_end(ap);						\
	}								\
} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return do_open("open", AT_FDCWD, path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return do_open("open64", AT_FDCWD, path, flags, mode);
}

int
openat(int dfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return do_open("openat", dfd, path, flags, mode);
}

int
openat64(int dfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return do_open("openat64", dfd, path, flags, mode);
}

int
creat(const char *path, mode_t mode)
{
	return do_open("open", AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC,
	    mode);
}

int
mkstemp(char *tmpl)
{
	int fd, count_it;

	REAL(int, mkstemp, (char *));
	init();
	count_it = under(tmpl);
	if (count_it && hit(OP_OPEN, tmpl))
		return -1;
	fd = real_mkstemp(tmpl);
	if (fd >= 0)
		track(fd, count_it);
	return fd;
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	REAL(ssize_t, write, (int, const void *, size_t));
	if (!is_tracked(fd))
		return real_write(fd, buf, len);
	if (full) {
		(void)hit(OP_WRITE, "(disk full)");
		errno = ENOSPC;
		return -1;
	}
	init();
	if (short_mode && !kill_mode) {
		/* count, but a short write instead of a failure */
		if (want != OP_ANY && want != OP_WRITE)
			return real_write(fd, buf, len);
		count++;
		logcall(count, OP_WRITE, "(short)");
		if (count == at && len > 1) {
			if (short_mode == 1)
				full = 1;
			return real_write(fd, buf, len / 2);
		}
		if (count == at && short_mode == 1) {
			full = 1;
			errno = ENOSPC;
			return -1;
		}
		return real_write(fd, buf, len);
	}
	if (hit(OP_WRITE, "write"))
		return -1;
	return real_write(fd, buf, len);
}

int
fsync(int fd)
{
	REAL(int, fsync, (int));
	if (is_tracked(fd) && hit(OP_FSYNC, "fsync"))
		return -1;
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(int, fdatasync, (int));
	if (is_tracked(fd) && hit(OP_FSYNC, "fdatasync"))
		return -1;
	return real_fdatasync(fd);
}

int
close(int fd)
{
	int e, r;

	REAL(int, close, (int));
	if (!is_tracked(fd))
		return real_close(fd);
	track(fd, 0);
	if (hit(OP_CLOSE, "close")) {
		e = errno;
		(void)real_close(fd);
		errno = e;
		return -1;
	}
	r = real_close(fd);
	return r;
}

static int
rename_hit(const char *a, const char *b, const char *what)
{
	init();
	return (under(a) || under(b)) && hit(OP_RENAME, what);
}

int
rename(const char *a, const char *b)
{
	REAL(int, rename, (const char *, const char *));
	if (rename_hit(a, b, b))
		return -1;
	return real_rename(a, b);
}

int
renameat(int da, const char *a, int db, const char *b)
{
	REAL(int, renameat, (int, const char *, int, const char *));
	if (rename_hit(a, b, b))
		return -1;
	return real_renameat(da, a, db, b);
}

int
renameat2(int da, const char *a, int db, const char *b, unsigned int flags)
{
	REAL(int, renameat2, (int, const char *, int, const char *,
	    unsigned int));
	if (rename_hit(a, b, b))
		return -1;
	return real_renameat2(da, a, db, b, flags);
}

int
link(const char *a, const char *b)
{
	REAL(int, link, (const char *, const char *));
	if (rename_hit(a, b, b))
		return -1;
	return real_link(a, b);
}

/* --- stdio, for libraries that write through it (cairo's PDF) --------- */

static int
fwriting(const char *mode)
{
	return strpbrk(mode, "wa+") != NULL;
}

static FILE *
do_fopen(const char *fn, const char *path, const char *mode)
{
	FILE *(*f)(const char *, const char *) =
	    (FILE *(*)(const char *, const char *))next(fn);
	FILE *fp;
	int count_it;

	init();
	count_it = fwriting(mode) && under(path);
	if (count_it && hit(OP_OPEN, path))
		return NULL;
	if ((fp = f(path, mode)) != NULL)
		track(fileno(fp), count_it);
	return fp;
}

FILE *
fopen(const char *path, const char *mode)
{
	return do_fopen("fopen", path, mode);
}

FILE *
fopen64(const char *path, const char *mode)
{
	return do_fopen("fopen64", path, mode);
}

size_t
fwrite(const void *buf, size_t size, size_t n, FILE *fp)
{
	REAL(size_t, fwrite, (const void *, size_t, size_t, FILE *));
	if (!is_tracked(fileno(fp)))
		return real_fwrite(buf, size, n, fp);
	if (full) {
		(void)hit(OP_WRITE, "(disk full)");
		errno = ENOSPC;
		return 0;
	}
	init();
	if (short_mode && !kill_mode) {
		if (want != OP_ANY && want != OP_WRITE)
			return real_fwrite(buf, size, n, fp);
		count++;
		logcall(count, OP_WRITE, "(short fwrite)");
		if (count == at) {
			if (short_mode == 1)
				full = 1;
			/* stdio writes all or reports an error: no
			 * harmless short fwrite exists */
			if (short_mode == 1) {
				errno = ENOSPC;
				return real_fwrite(buf, size, n / 2, fp);
			}
		}
		return real_fwrite(buf, size, n, fp);
	}
	if (hit(OP_WRITE, "fwrite"))
		return 0;
	return real_fwrite(buf, size, n, fp);
}

int
fflush(FILE *fp)
{
	REAL(int, fflush, (FILE *));
	if (fp != NULL && is_tracked(fileno(fp)) &&
	    hit(OP_FSYNC, "fflush"))
		return EOF;
	return real_fflush(fp);
}

int
fclose(FILE *fp)
{
	int fd, e;

	REAL(int, fclose, (FILE *));
	if (!is_tracked(fd = fileno(fp)))
		return real_fclose(fp);
	track(fd, 0);
	if (hit(OP_CLOSE, "fclose")) {
		e = errno;
		(void)real_fclose(fp);
		errno = e;
		return EOF;
	}
	return real_fclose(fp);
}

__attribute__((destructor)) static void
report(void)
{
	FILE *f;

	if (count_file != NULL && (f = fopen(count_file, "w")) != NULL) {
		fprintf(f, "%ld\n", count);
		fclose(f);
	}
}
