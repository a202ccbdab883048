/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the attest-* tools: exit codes, messages, secrets,
 * progress, strict number parsing.  No crypto or format logic here.
 */
#ifndef ATTEST_TOOLS_COMMON_H
#define ATTEST_TOOLS_COMMON_H

#include <stdio.h>

#include <attest.h>
#include <jansson.h>

/* Exit codes: DESIGN.md, and every tool's EXIT STATUS. */
#define EXIT_OK		0
#define EXIT_VERDICT	1
#define EXIT_ERROR	2

/* Where a passphrase comes from. */
struct secret_src {
	const char	*file;		/* --passphrase-file */
	const char	*env;		/* --passphrase-env */
	const char	*what;		/* "passphrase for a.key" prefix */
};

/* Where each kind of secret comes from. */
struct secrets {
	struct secret_src pass;		/* key file passphrases */
	struct secret_src pin;		/* token PINs */
};

/*
 * The long options of the secrets' sources, shared by the signing tools;
 * a tool's own options are numbered from OPT_TOOL.
 */
enum {
	OPT_PASS_FILE = 256, OPT_PASS_ENV, OPT_PIN_FILE, OPT_PIN_ENV,
	OPT_TOOL
};
#define SECRET_LONGOPTS \
	{ "passphrase-file", required_argument, NULL, OPT_PASS_FILE }, \
	{ "passphrase-env", required_argument, NULL, OPT_PASS_ENV }, \
	{ "pin-file", required_argument, NULL, OPT_PIN_FILE }, \
	{ "pin-env", required_argument, NULL, OPT_PIN_ENV }

/*
 * Take getopt's option ch into s when it is one of those: 1, else 0.
 * The variable of --passphrase-env or --pin-env is read now, into guarded
 * memory, and cleared from the environment (freed at exit).
 */
int secret_option(struct secrets *s, int ch, const char *arg);
/* The usage error when both sources of one secret are given, or NULL. */
const char *secret_options_conflict(const struct secrets *s);

/* attest_secret_fn reading from a struct secrets (arg), else the tty. */
attest_err_t secret_cb(void *arg, attest_secret_kind_t kind,
    const char *what, int confirm, char *buf, size_t size, size_t *len);

/* Exit status for a library error: 1 for verdicts, 2 for the rest. */
int exit_for(attest_err_t r);

/*
 * Print "prog: NAME: field: reason" from diag (or attest_strerror(r)
 * when diag holds nothing), each part escaped, and return exit_for(r).
 */
int report(const char *name, const attest_diag_t *diag, attest_err_t r);

/*
 * @p s made safe to print as text (attest_text_escape(3)): every string
 * from a record, a key file, a device or a file name that a tool prints
 * goes through it; the tool's own text does not.  The result stays valid
 * for the calling thread until ESC_HELD more calls or esc_release(), so
 * that one printf() may take several; NULL stays NULL.
 */
#define ESC_HELD	16
const char *esc(const char *s);
/* Print "ARTIFACT: OK (subject NAME)" for subject idx of st, escaped. */
void print_subject_ok(const char *artifact, const attest_stmt_t *st,
    size_t idx);
/* Release what esc() holds for the calling thread (a worker, at its end). */
void esc_release(void);

/* Print "prog: why" and the tool's usage on stderr, exit 2. */
void usage_fail(void (*usage)(FILE *), const char *why)
    __attribute__((noreturn));

/* Print the version line and exit 0. */
void print_version(void) __attribute__((noreturn));

/* Strict base-10 parse of an unsigned number in [min, max]. */
int parse_uint(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *out);

/*
 * Refuse core dumps and ptrace-by-peers while secrets are held, and have
 * OpenSSL wipe what it frees.  First thing in main: OpenSSL takes an
 * allocator only before its first allocation.
 */
void harden_process(void);

/* Progress line on stderr (only when it is a terminal). */
struct progress {
	const char	*name;
	int		 tty;
	int		 drawn;
};
void progress_init(struct progress *p, const char *name);
void progress_cb(void *arg, uint64_t done, uint64_t total);
void progress_end(struct progress *p);

/*
 * A key reference as it may be shown: a pkcs11: URI's pin-value, and
 * whatever follows it, is replaced by "<hidden>" so that no PIN reaches
 * a message.  Returns @p keyref itself or @p buf.
 */
const char *shown_keyref(const char *keyref, char *buf, size_t size);

/*
 * Today in UTC as YYYY-MM-DD into day and, when stamp is not NULL, the
 * time now as YYYY-MM-DDTHH:MM:SSZ into stamp.
 */
void utc_now(char day[11], char stamp[21]);
/* Is s of the form YYYY-MM-DD (digits; the library checks the calendar)? */
int is_ymd(const char *s);

/* Last path component (no copy). */
const char *base_name(const char *path);

/*
 * json_dumps() that returns NULL instead of text with parts left out
 * (jansson 2.14 drops an object key it cannot buffer; tests/fault).
 * Free with free().
 */
char *json_dumps_whole(const json_t *j, size_t flags);

#endif /* ATTEST_TOOLS_COMMON_H */
