/* SPDX-License-Identifier: Apache-2.0 */
/*
 * failalloc: allocation failure at every allocation along the sign and
 * verify paths (tests/fault/README.md).
 *
 *   failalloc POLICY BUNDLE ARTIFACT [PATH]
 *
 * Linked with -Wl,--wrap for malloc, calloc, realloc, strdup, strndup,
 * sodium_malloc and sodium_free, so that every allocation libattest.a
 * makes itself passes through here, and with jansson's allocator set to
 * ours (json_set_alloc_funcs), so that jansson's allocations for
 * libattest count too.  For n = 1, 2, ... the n-th of them fails; each
 * path is run until a run succeeds with no failure injected.  A run with
 * a failure must return ATTEST_ERR_NO_MEMORY (or succeed, when the
 * allocation was one the library can do without: a diagnostic's text),
 * never another error or a verdict, and must leak nothing: after every
 * run (a child process each) LeakSanitizer looks for leaks (the driver
 * is built with -fsanitize=address) and the count of live sodium_malloc blocks must be
 * back to zero.  Prints one line per path; exits 1 when a run broke a
 * rule.
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <attest.h>

/* --- the failing allocator ------------------------------------------------ */

static long	 fail_at;	/* 0: none */
static long	 nalloc;
static int	 injected;
static long	 sodium_live;

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
char	*__real_strdup(const char *);
char	*__real_strndup(const char *, size_t);
void	*__real_sodium_malloc(size_t);
void	 __real_sodium_free(void *);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
char	*__wrap_strdup(const char *);
char	*__wrap_strndup(const char *, size_t);
void	*__wrap_sodium_malloc(size_t);
void	 __wrap_sodium_free(void *);

static int	 trace;		/* FAILALLOC_TRACE: a stack at each failure */
static const char *origin;	/* of the failed allocation */

void __sanitizer_print_stack_trace(void);

static int	 in_parser;	/* inside jansson's json_loadb */
static long	 nparser;	/* its allocations, never failed */

json_t	*__real_json_loadb(const char *, size_t, size_t, json_error_t *);
json_t	*__wrap_json_loadb(const char *, size_t, size_t, json_error_t *);

/*
 * jansson's parser is not failed: its lexer drops allocation failures
 * and goes on with a corrupted state (akheron/jansson#362, open in
 * 2.14): wrong errors, and writes out of bounds (ASan: SEGV in
 * json_loadb).  Its allocations are counted apart; the values libattest
 * builds with jansson, and json_dumps, are failed.
 */
json_t *
__wrap_json_loadb(const char *buf, size_t len, size_t flags,
    json_error_t *e)
{
	json_t *j;

	in_parser++;
	j = __real_json_loadb(buf, len, flags, e);
	in_parser--;
	return j;
}

static int
fails_in(const char *who)
{
	if (in_parser) {
		nparser++;
		return 0;
	}
	nalloc++;
	if (fail_at > 0 && nalloc == fail_at) {
		injected = 1;
		origin = who;
		if (trace)
			__sanitizer_print_stack_trace();
		return 1;
	}
	return 0;
}

static int
fails(void)
{
	return fails_in("libattest");
}

void *
__wrap_malloc(size_t n)
{
	return fails() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t m)
{
	return fails() ? NULL : __real_calloc(n, m);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fails() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	return fails() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return fails() ? NULL : __real_strndup(s, n);
}

void *
__wrap_sodium_malloc(size_t n)
{
	void *p;

	if (fails())
		return NULL;
	if ((p = __real_sodium_malloc(n)) != NULL)
		sodium_live++;
	return p;
}

void
__wrap_sodium_free(void *p)
{
	if (p != NULL)
		sodium_live--;
	__real_sodium_free(p);
}

static void *
json_malloc(size_t n)
{
	return fails_in("jansson") ? NULL : __real_malloc(n);
}

static void
json_free(void *p)
{
	free(p);
}

/* --- fixtures ------------------------------------------------------------- */

static unsigned char	*policy_txt, *bundle_txt, *env_txt, *pub_txt;
static size_t		 policy_len, bundle_len, env_len, pub_len;
static char		 art_hex[65];

static const char pass[] = "correct horse battery staple";

static attest_err_t
secret(void *arg, attest_secret_kind_t kind, const char *what, int confirm,
    char *buf, size_t size, size_t *len)
{
	(void)arg;
	(void)kind;
	(void)what;
	(void)confirm;
	if (size < sizeof(pass))
		return ATTEST_ERR_TOO_LARGE;
	memcpy(buf, pass, sizeof(pass) - 1);
	*len = sizeof(pass) - 1;
	return ATTEST_OK;
}

/* the error of the first failing step, or ATTEST_OK */
#define STEP(call) do {							\
	if ((r = (call)) != ATTEST_OK)					\
		goto out;						\
} while (0)
#define NEW(var, call) do {						\
	if (((var) = (call)) == NULL) {					\
		r = ATTEST_ERR_NO_MEMORY;				\
		goto out;						\
	}								\
} while (0)

/*
 * The sign path: a key made, written as an encrypted key file and read
 * back, a Statement built, an envelope signed and serialised, the public
 * key as PEM.  keep: keep the envelope and public key for verify.
 */
static attest_err_t
sign_path(attest_alg_t alg, int keep)
{
	attest_diag_t *diag = NULL;
	attest_key_t *key = NULL, *key2 = NULL;
	attest_signer_t *signer = NULL;
	attest_stmt_t *stmt = NULL;
	attest_envelope_t *env = NULL;
	unsigned char *kf = NULL, *st = NULL, *out = NULL, *pem = NULL;
	size_t kf_len = 0, st_len = 0, out_len = 0, pem_len = 0, idx;
	static const char pred[] = "{\"version\":\"1.0\",\"notes\":[1,2]}";
	attest_err_t r;

	NEW(diag, attest_diag_new());
	STEP(attest_key_generate(&key, alg));
	STEP(attest_key_serialize_alloc(key, pass, sizeof(pass) - 1, 1,
	    8UL * 1024 * 1024, &kf, &kf_len));
	STEP(attest_key_parse(&key2, kf, kf_len, secret, NULL, diag));
	STEP(attest_pubkey_pem_alloc(attest_key_pubkey(key2), &pem,
	    &pem_len));
	STEP(attest_signer_from_key(&signer, &key2));
	NEW(stmt, attest_stmt_new());
	STEP(attest_stmt_add_subject(stmt, "fw.bin", &idx));
	STEP(attest_stmt_add_digest(stmt, idx, "sha256", art_hex));
	STEP(attest_stmt_set_predicate(stmt, "https://example.com/release/v1",
	    pred, sizeof(pred) - 1, diag));
	STEP(attest_stmt_serialize_alloc(stmt, &st, &st_len));
	NEW(env, attest_envelope_new());
	STEP(attest_envelope_set_payload(env, "application/vnd.in-toto+json",
	    st, st_len));
	STEP(attest_envelope_sign(env, signer, diag));
	STEP(attest_envelope_serialize_alloc(env, &out, &out_len));
	if (keep) {
		env_txt = out;
		env_len = out_len;
		out = NULL;
		pub_txt = pem;
		pub_len = pem_len;
		pem = NULL;
	}
	r = ATTEST_OK;
out:
	attest_freezero(out, out_len);
	attest_freezero(pem, pem_len);
	attest_freezero(st, st_len);
	attest_freezero(kf, kf_len);
	attest_envelope_free(&env);
	attest_stmt_free(&stmt);
	attest_signer_free(&signer);
	attest_key_free(&key2);
	attest_key_free(&key);
	attest_diag_free(&diag);
	return r;
}

/* The verify path of attest-verify: envelope, key, signature, Statement. */
static attest_err_t
verify_path(void)
{
	attest_diag_t *diag = NULL;
	attest_pubkey_t *pk = NULL;
	attest_keyset_t *ks = NULL;
	attest_envelope_t *env = NULL;
	attest_verified_t *v = NULL;
	attest_stmt_t *stmt = NULL;
	attest_err_t r;

	NEW(diag, attest_diag_new());
	STEP(attest_envelope_parse(&env, env_txt, env_len, diag));
	STEP(attest_pubkey_parse_pem(&pk, pub_txt, pub_len, diag));
	NEW(ks, attest_keyset_new());
	STEP(attest_keyset_add(ks, pk));
	STEP(attest_envelope_verify(env, ks, 1, &v, diag));
	STEP(attest_stmt_parse(&stmt, attest_verified_payload_ptr(v),
	    attest_verified_payload_len(v), diag));
	r = ATTEST_OK;
out:
	attest_stmt_free(&stmt);
	attest_verified_free(&v);
	attest_envelope_free(&env);
	attest_keyset_free(&ks);
	attest_pubkey_free(&pk);
	attest_diag_free(&diag);
	return r;
}

/* attest-chain verify: the trust policy, then a bundle of four records. */
static attest_err_t
chain_path(void)
{
	attest_diag_t *diag = NULL;
	attest_policy_t *pol = NULL;
	attest_chain_t *c = NULL;
	attest_chain_options_t o;
	const char *arts[1] = { art_hex };
	attest_err_t r;

	memset(&o, 0, sizeof(o));
	o.now = "2028-03-01";
	o.artifacts = arts;
	o.nartifacts = 1;
	NEW(diag, attest_diag_new());
	STEP(attest_policy_parse(&pol, policy_txt, policy_len, diag));
	STEP(attest_chain_verify(pol, bundle_txt, bundle_len, &o, &c, diag));
	/* a verdict "does not hold" is only right for a bad chain */
	if (!attest_chain_holds(c)) {
		fprintf(stderr, "  chain does not hold: %s\n",
		    attest_chain_error(c) ? attest_chain_error(c) : "?");
		r = ATTEST_ERR_VERIFY;
	} else
		r = ATTEST_OK;
out:
	attest_chain_free(&c);
	attest_policy_free(&pol);
	attest_diag_free(&diag);
	return r;
}

/* --- the loop ------------------------------------------------------------- */

struct path {
	const char	 *name;
	attest_err_t	(*run)(void);
};

static attest_err_t run_sign_ed25519(void) { return sign_path(ATTEST_ALG_ED25519, 0); }
static attest_err_t run_sign_p256(void) { return sign_path(ATTEST_ALG_ECDSA_P256_SHA256, 0); }

static const struct path paths[] = {
	{ "sign ed25519", run_sign_ed25519 },
	{ "sign ecdsa-p256", run_sign_p256 },
	{ "verify", verify_path },
	{ "chain verify", chain_path },
};

/*
 * One run with the n-th allocation failing, in a child process so that
 * LeakSanitizer judges each run alone (at the child's exit: exit code
 * ASAN_EXIT).  The child exits DONE when no failure was injected (the
 * run went through: n is past the last allocation), OK or ABSORBED when
 * the failure came out right, WRONG when not.
 */
enum { X_OK_NOMEM = 0, X_ABSORBED = 3, X_DONE = 4, X_WRONG = 5 };
#define ASAN_EXIT	23	/* ASAN_OPTIONS exitcode: a leak or worse */

static int
child(const struct path *p, long n)
{
	attest_err_t r;
	int rc;

	fail_at = n;
	nalloc = 0;
	injected = 0;
	r = p->run();
	fail_at = 0;
	if (!injected) {
		rc = X_DONE;
		if (r != ATTEST_OK) {
			printf("FAIL: %s: no failure injected, yet %s\n",
			    p->name, attest_strerror(r));
			rc = X_WRONG;
		}
	} else if (r == ATTEST_OK) {
		printf("  %s: allocation %ld (%s) failed, and the run went "
		    "through without it\n", p->name, n, origin);
		rc = X_ABSORBED;
	}
	else if (r == ATTEST_ERR_NO_MEMORY)
		rc = X_OK_NOMEM;
	else {
		printf("FAIL: %s: allocation %ld (%s) fails: %s, not "
		    "ATTEST_ERR_NO_MEMORY\n", p->name, n, origin,
		    attest_strerror(r));
		rc = X_WRONG;
	}
	if (sodium_live != 0) {
		printf("FAIL: %s: allocation %ld fails: %ld guarded blocks not "
		    "freed\n", p->name, n, sodium_live);
		rc = X_WRONG;
	}
	fflush(stdout);
	return rc;
}

static int
run_path(const struct path *p)
{
	long n, nok = 0, absorbed = 0;
	int bad = 0, st, code;
	pid_t pid;

	if (getenv("FAILALLOC_ONLY") != NULL) {
		/* one run, in this process: for a closer look */
		n = strtol(getenv("FAILALLOC_ONLY"), NULL, 10);
		return child(p, n) == X_WRONG;
	}
	for (n = 1;; n++) {
		fflush(stdout);
		if ((pid = fork()) < 0) {
			perror("fork");
			exit(2);
		}
		if (pid == 0)
			exit(child(p, n));
		if (waitpid(pid, &st, 0) != pid) {
			perror("waitpid");
			exit(2);
		}
		code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (code == X_DONE) {
			/* this run, in the parent, for the parser's count */
			fail_at = 0;
			nalloc = nparser = 0;
			(void)p->run();
			break;
		}
		if (code == X_OK_NOMEM)
			nok++;
		else if (code == X_ABSORBED)
			absorbed++;
		else {
			if (code == ASAN_EXIT)
				printf("FAIL: %s: allocation %ld fails: leak "
				    "or sanitizer report (above)\n", p->name,
				    n);
			else if (code != X_WRONG)
				printf("FAIL: %s: allocation %ld fails: "
				    "crash (status %d)\n", p->name, n, code);
			bad++;
		}
	}
	printf("%-16s %5ld allocations, each failed once: %ld returned "
	    "ATTEST_ERR_NO_MEMORY, %ld succeeded without it, %d wrong "
	    "(and %ld in jansson's parser, not failed)\n", p->name, n - 1,
	    nok, absorbed, bad, nparser);
	return bad;
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *p;

	if (attest_file_read_alloc(path, 16UL * 1024 * 1024, &p, len,
	    NULL) != ATTEST_OK) {
		fprintf(stderr, "failalloc: %s: cannot read\n", path);
		exit(2);
	}
	return p;
}

int
main(int argc, char **argv)
{
	attest_digest_t *d;
	unsigned char *art;
	size_t art_len, i;
	int bad = 0;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: failalloc POLICY BUNDLE ARTIFACT "
		    "[PATH]\n");
		return 2;
	}
	/*
	 * Before attest_init(), which puts its budgeted allocator over
	 * whatever jansson has (libattest/json.c): set after it, ours would
	 * replace libattest's and the parses would run without their budget.
	 */
	json_set_alloc_funcs(json_malloc, json_free);
	if (attest_init(0) != ATTEST_OK)
		return 2;
	trace = getenv("FAILALLOC_TRACE") != NULL;
	policy_txt = slurp(argv[1], &policy_len);
	bundle_txt = slurp(argv[2], &bundle_len);
	art = slurp(argv[3], &art_len);
	if ((d = attest_digest_new(ATTEST_DIGEST_SHA256)) == NULL ||
	    attest_digest_update(d, art, art_len) != ATTEST_OK ||
	    attest_digest_final(d) != ATTEST_OK)
		return 2;
	(void)snprintf(art_hex, sizeof(art_hex), "%s",
	    attest_digest_get_hex(d, ATTEST_DIGEST_SHA256));
	attest_digest_free(&d);
	free(art);
	/* an envelope and key for the verify path, no failure injected */
	if (sign_path(ATTEST_ALG_ED25519, 1) != ATTEST_OK) {
		fprintf(stderr, "failalloc: the clean sign path fails\n");
		return 2;
	}
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (argc < 5 || strstr(paths[i].name, argv[4]) != NULL)
			bad += run_path(&paths[i]);
	attest_freezero(env_txt, env_len);
	attest_freezero(pub_txt, pub_len);
	free(policy_txt);
	free(bundle_txt);
	return bad != 0;
}
