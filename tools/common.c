/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the attest-* tools.
 */
#include <sys/prctl.h>
#include <sys/resource.h>

#include <openssl/crypto.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

int
exit_for(attest_err_t r)
{
	if (r == ATTEST_OK)
		return EXIT_OK;
	return attest_err_is_verdict(r) ? EXIT_VERDICT : EXIT_ERROR;
}

int
report(const char *name, const attest_diag_t *diag, attest_err_t r)
{
	const char *field = attest_diag_get_field(diag);
	const char *reason = attest_diag_get_reason(diag);
	long long off = attest_diag_get_offset(diag);

	/* field and reason come escaped; name may be a hostile file's */
	name = esc(name);
	field = esc(field);
	reason = esc(reason);
	if (reason == NULL)
		warnx("%s: %s", name, attest_strerror(r));
	else if (field != NULL && off >= 0)
		warnx("%s: %s: offset %lld: %s", name, field, off, reason);
	else if (field != NULL)
		warnx("%s: %s: %s", name, field, reason);
	else if (off >= 0)
		warnx("%s: offset %lld: %s", name, off, reason);
	else
		warnx("%s: %s", name, reason);
	return exit_for(r);
}

/* The strings esc() made, per thread: the oldest is freed for a new one. */
static _Thread_local char *esc_held[ESC_HELD];
static _Thread_local size_t esc_next;

const char *
esc(const char *s)
{
	size_t n;
	char *e;

	if (s == NULL)
		return NULL;
	if ((n = attest_text_escape(NULL, 0, s, 0)) == SIZE_MAX ||
	    (e = malloc(n + 1)) == NULL)
		errx(EXIT_ERROR, "out of memory");
	(void)attest_text_escape(e, n + 1, s, 0);
	free(esc_held[esc_next]);
	esc_held[esc_next] = e;
	esc_next = (esc_next + 1) % ESC_HELD;
	return e;
}

void
esc_release(void)
{
	size_t i;

	for (i = 0; i < ESC_HELD; i++) {
		free(esc_held[i]);
		esc_held[i] = NULL;
	}
	esc_next = 0;
}

void
usage_fail(void (*usage)(FILE *), const char *why)
{
	warnx("%s", why);
	usage(stderr);
	exit(EXIT_ERROR);
}

void
print_version(void)
{
	extern const char *__progname;

	printf("%s (libattest %s)\n", __progname, attest_version());
	exit(EXIT_OK);
}

int
parse_uint(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * OpenSSL 3 frees some of its own copies of a private key without
 * cleansing them: the PKCS#8 DER its encoder writes (ASN1_i2d_bio, under
 * EVP_PKEY2PKCS8), the PEM and DER its decoders read (pem2der and
 * der2key, under PEM_read_bio_PrivateKey and EVP_PKCS82PKEY).  Those
 * blocks keep the key until the heap reuses them: tests/secrets found an
 * imported Ed25519 seed and P-256 scalar at exit, and the same happens to
 * every key attest-keygen writes.  The tools give OpenSSL an allocator
 * that wipes each block before it is freed, and never lets realloc move
 * a block (the old one would not be wiped).
 */
static void *
ossl_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return malloc(n);
}

static void
ossl_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	if (p != NULL)
		attest_wipe(p, malloc_usable_size(p));
	free(p);
}

static void *
ossl_realloc(void *p, size_t n, const char *file, int line)
{
	size_t have;
	void *q;

	if (p == NULL)
		return ossl_malloc(n, file, line);
	if (n == 0) {
		ossl_free(p, file, line);
		return NULL;
	}
	if ((have = malloc_usable_size(p)) >= n)
		return p;
	if ((q = malloc(n)) == NULL)
		return NULL;
	memcpy(q, p, have);
	ossl_free(p, file, line);
	return q;
}

void
harden_process(void)
{
	struct rlimit rl = { 0, 0 };

	/* no core file may hold a key, passphrase or PIN */
	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/*
	 * Only taken before OpenSSL's first allocation, which is why it is
	 * here, first thing in main; later it would fail, and the tool
	 * would go on as before.
	 */
	(void)CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free);
}

/*
 * The secret is the first line of the file, without its "\n" or "\r\n":
 * up to @p size bytes, into @p buf.  The whole file read is wiped, the
 * lines after the first too.
 */
static attest_err_t
secret_from_file(const char *path, const char *what, char *buf, size_t size,
    size_t *len)
{
	unsigned char *data = NULL, *nl;
	size_t flen = 0, n;
	attest_err_t r;

	if ((r = attest_file_read_alloc(path, ATTEST_MAX_PASSPHRASE_BYTES + 2,
	    &data, &flen, NULL)) != ATTEST_OK) {
		warnx("%s: cannot read the %s file: %s", path, what,
		    attest_strerror(r));
		return r;
	}
	n = (nl = memchr(data, '\n', flen)) != NULL ?
	    (size_t)(nl - data) : flen;
	if (n > 0 && data[n - 1] == '\r')
		n--;
	if (n > size) {
		attest_freezero(data, flen);
		warnx("%s: %s longer than %zu bytes", path, what, size);
		return ATTEST_ERR_TOO_LARGE;
	}
	memcpy(buf, data, n);
	attest_freezero(data, flen);
	*len = n;
	return ATTEST_OK;
}

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

/* Read one line from the terminal with echo off. */
static attest_err_t
read_tty(const char *prompt, char *buf, size_t size, size_t *len)
{
	struct termios old, quiet;
	struct sigaction sa, oint, oterm;
	size_t n = 0;
	ssize_t got;
	char c;
	int fd, restore = 0;
	attest_err_t r = ATTEST_OK;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0)
		return ATTEST_ERR_PASSPHRASE;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGINT, &sa, &oint);
	(void)sigaction(SIGTERM, &sa, &oterm);
	got_signal = 0;
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		if (tcsetattr(fd, TCSAFLUSH, &quiet) == 0)
			restore = 1;
	}
	(void)!write(fd, prompt, strlen(prompt));
	for (;;) {
		got = read(fd, &c, 1);
		if (got < 0 && errno == EINTR && !got_signal)
			continue;
		if (got <= 0 || got_signal) {
			r = ATTEST_ERR_CANCELLED;
			break;
		}
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 >= size) {
			r = ATTEST_ERR_TOO_LARGE;
			break;
		}
		buf[n++] = c;
	}
	c = 0;
	buf[n < size ? n : size - 1] = '\0';
	(void)!write(fd, "\n", 1);
	if (restore)
		(void)tcsetattr(fd, TCSAFLUSH, &old);
	(void)sigaction(SIGINT, &oint, NULL);
	(void)sigaction(SIGTERM, &oterm, NULL);
	(void)close(fd);
	if (got_signal)
		(void)raise(got_signal);
	if (r != ATTEST_OK) {
		attest_wipe(buf, size);
		return r;
	}
	*len = n;
	return ATTEST_OK;
}

/*
 * The secrets named by --passphrase-env and --pin-env.  Each variable is
 * read once, when its option is seen, into guarded memory; its value is
 * then wiped in place and the variable removed from the environment.
 * Left there, the secret would stay in the process's memory, and in
 * /proc/PID/environ, for the whole run (tests/secrets).  A capture serves
 * every request: attest-sign asks once per key file, and one variable may
 * be named for both the passphrase and the PIN.  They are wiped and
 * released at exit.
 */
struct env_secret {
	struct env_secret *next;
	const char	*name;
	char		*value;		/* guarded memory; NULL: unset */
	size_t		 len;
	int		 too_long;	/* longer than any secret asked for */
};

static struct env_secret *env_secrets;

static void
env_secrets_free(void)
{
	struct env_secret *e;

	while ((e = env_secrets) != NULL) {
		env_secrets = e->next;
		attest_secure_free(e->value);
		free(e);
	}
}

/* The capture of variable name, made on first use. */
static const struct env_secret *
env_capture(const char *name)
{
	extern char **environ;
	struct env_secret *e;
	size_t nlen = strlen(name);
	char **ep, *v;

	for (e = env_secrets; e != NULL; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e;
	/* guarded memory needs libsodium, which options come before */
	if (attest_init(0) != ATTEST_OK)
		errx(EXIT_ERROR, "cannot initialise libattest");
	if ((e = calloc(1, sizeof(*e))) == NULL)
		err(EXIT_ERROR, "calloc");
	e->name = name;
	if ((v = getenv(name)) != NULL) {
		/* what is too long is said when the secret is asked for */
		if ((e->len = strlen(v)) > ATTEST_MAX_PASSPHRASE_BYTES)
			e->too_long = 1;
		else if ((e->value = attest_secure_alloc(e->len + 1)) == NULL)
			errx(EXIT_ERROR, "out of memory");
		else
			memcpy(e->value, v, e->len);
	}
	/* every copy: the environment may hold the name more than once */
	for (ep = environ; ep != NULL && *ep != NULL; ep++)
		if (strncmp(*ep, name, nlen) == 0 && (*ep)[nlen] == '=')
			attest_wipe(*ep + nlen + 1, strlen(*ep + nlen + 1));
	(void)unsetenv(name);
	if (env_secrets == NULL && atexit(env_secrets_free) != 0)
		errx(EXIT_ERROR, "atexit failed");
	e->next = env_secrets;
	env_secrets = e;
	return e;
}

static attest_err_t
secret_from_env(const char *name, char *buf, size_t size, size_t *len)
{
	const struct env_secret *e = env_capture(name);

	if (e->value == NULL && !e->too_long) {
		warnx("environment variable %s is not set", name);
		return ATTEST_ERR_PASSPHRASE;
	}
	if (e->too_long || e->len > size) {
		warnx("the secret in %s is too long", name);
		return ATTEST_ERR_TOO_LARGE;
	}
	memcpy(buf, e->value, e->len);
	*len = e->len;
	return ATTEST_OK;
}

attest_err_t
secret_cb(void *arg, attest_secret_kind_t kind, const char *what, int confirm,
    char *buf, size_t size, size_t *len)
{
	const struct secrets *both = arg;
	const struct secret_src *src = both == NULL ? NULL :
	    kind == ATTEST_SECRET_PIN ? &both->pin : &both->pass;
	char prompt[512], *again = NULL;
	size_t alen = 0;
	attest_err_t r;

	*len = 0;
	if (kind == ATTEST_SECRET_TOUCH) {
		/* a notice: the device now waits for a touch */
		warnx("%s", esc(what));
		return ATTEST_OK;
	}
	if (src != NULL && src->file != NULL)
		return secret_from_file(src->file, kind == ATTEST_SECRET_PIN ?
		    "PIN" : "passphrase", buf, size, len);
	/* captured when the option was seen (secret_option) */
	if (src != NULL && src->env != NULL)
		return secret_from_env(src->env, buf, size, len);
	/* what names a token or device by its own label: escaped */
	(void)snprintf(prompt, sizeof(prompt), "Enter %s%s: ",
	    esc((src != NULL && src->what != NULL) ? src->what : what),
	    confirm ? " (new)" : "");
	if ((r = read_tty(prompt, buf, size, len)) != ATTEST_OK) {
		if (r == ATTEST_ERR_PASSPHRASE)
			warnx("no terminal to ask for the %s; use %s", esc(what),
			    kind == ATTEST_SECRET_PIN ?
			    "--pin-file or --pin-env" :
			    "--passphrase-file or --passphrase-env");
		return r;
	}
	if (!confirm)
		return ATTEST_OK;
	if (*len == 0) {
		warnx("empty passphrase refused (use --no-passphrase for an "
		    "unencrypted key)");
		attest_wipe(buf, size);
		return ATTEST_ERR_PASSPHRASE;
	}
	if ((again = attest_secure_alloc(size + 1)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if ((r = read_tty("Enter it again: ", again, size + 1, &alen)) !=
	    ATTEST_OK || alen != *len || CRYPTO_memcmp(again, buf, alen) != 0) {
		if (r == ATTEST_OK) {
			warnx("the passphrases do not match");
			r = ATTEST_ERR_PASSPHRASE;
		}
		attest_wipe(buf, size);
		*len = 0;
	}
	attest_secure_free(again);
	return r;
}

void
progress_init(struct progress *p, const char *name)
{
	p->name = name;
	p->tty = isatty(STDERR_FILENO);
	p->drawn = 0;
}

void
progress_cb(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;

	if (!p->tty)
		return;
	if (total > 0)
		fprintf(stderr, "\rhashing %s: %3u%% (%llu of %llu MiB)",
		    p->name, (unsigned)(done * 100 / total),
		    (unsigned long long)(done >> 20),
		    (unsigned long long)(total >> 20));
	else
		fprintf(stderr, "\rhashing %s: %llu MiB", p->name,
		    (unsigned long long)(done >> 20));
	p->drawn = 1;
}

void
progress_end(struct progress *p)
{
	if (p->tty && p->drawn)
		fprintf(stderr, "\r\033[K");
	p->drawn = 0;
}

const char *
shown_keyref(const char *keyref, char *buf, size_t size)
{
	const char *pv;

	if (!attest_keyref_is_pkcs11(keyref) ||
	    (pv = strstr(keyref, "pin-value=")) == NULL)
		return keyref;
	(void)snprintf(buf, size, "%.*s<hidden>",
	    (int)(pv - keyref + (int)sizeof("pin-value=") - 1), keyref);
	return buf;
}

const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s == NULL ? path : s + 1;
}

int
secret_option(struct secrets *s, int ch, const char *arg)
{
	switch (ch) {
	case OPT_PASS_FILE:
		s->pass.file = arg;
		return 1;
	case OPT_PASS_ENV:
		s->pass.env = arg;
		(void)env_capture(arg);		/* out of the environment now */
		return 1;
	case OPT_PIN_FILE:
		s->pin.file = arg;
		return 1;
	case OPT_PIN_ENV:
		s->pin.env = arg;
		(void)env_capture(arg);
		return 1;
	default:
		return 0;
	}
}

const char *
secret_options_conflict(const struct secrets *s)
{
	if (s->pass.file != NULL && s->pass.env != NULL)
		return "choose one of --passphrase-file, --passphrase-env";
	if (s->pin.file != NULL && s->pin.env != NULL)
		return "choose one of --pin-file, --pin-env";
	return NULL;
}

char *
json_dumps_whole(const json_t *j, size_t flags)
{
	size_t n;
	char *s;

	/* json_dumpb writes into our buffer, which never fails: the two
	 * lengths differ when anything else did */
	if ((n = json_dumpb(j, NULL, 0, flags)) == 0 || n == SIZE_MAX ||
	    (s = malloc(n + 1)) == NULL)
		return NULL;
	if (json_dumpb(j, s, n, flags) != n) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

void
utc_now(char day[11], char stamp[21])
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(day, 11, "%Y-%m-%d", &tm) != 10 ||
	    (stamp != NULL && strftime(stamp, 21, "%Y-%m-%dT%H:%M:%SZ",
	    &tm) != 20))
		errx(EXIT_ERROR, "cannot tell today's date");
}

int
is_ymd(const char *s)
{
	size_t i;

	if (strlen(s) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

void
print_subject_ok(const char *artifact, const attest_stmt_t *st, size_t idx)
{
	const char *name = attest_stmt_subject_name(st, idx);

	printf("%s: OK (subject %s)\n", esc(artifact),
	    name != NULL ? esc(name) : "without name");
}
