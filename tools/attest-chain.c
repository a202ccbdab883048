/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attest-chain: the CRA chain of custody (specs/chain.md).  verify checks
 * bundles (manufacturer -> importer -> distributors) under a trust policy,
 * many at once on every core; import and distribute append an importer's
 * or a distributor's signed record to a bundle.
 */
#include <openssl/evp.h>

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <err.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "chain_tool.h"
#include "sigtool.h"

#define MAX_KEYS	CHAIN_MAX_KEYS
#define MAX_ARTIFACTS	CHAIN_MAX_ARTIFACTS
#define MAX_THREADS	64
#define VSA_TYPE	"https://slsa.dev/verification_summary/v1"
#define VERIFIER_ID	"https://libattest.dev/attest-chain"
#define CHAIN_LEVEL	"LIBATTEST_CRA_CUSTODY_CHAIN_V1"

enum {
	OPT_ARTIFACT = OPT_TOOL, OPT_AT, OPT_JSON, OPT_POLICY, OPT_BUNDLE, OPT_OPERATOR,
	OPT_THREADS, OPT_LINKS, OPT_SIGN_SUMMARY, OPT_VERSION
};

static const struct option longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "artifact", required_argument, NULL, OPT_ARTIFACT },
	{ "at", required_argument, NULL, OPT_AT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "bundle", required_argument, NULL, OPT_BUNDLE },
	{ "operator", required_argument, NULL, OPT_OPERATOR },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "links", no_argument, NULL, OPT_LINKS },
	{ "sign-summary", no_argument, NULL, OPT_SIGN_SUMMARY },
	SECRET_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

void
chain_usage(FILE *f)
{
	fprintf(f,
"usage: attest-chain verify --policy FILE [--bundle FILE ...] [PATH ...]\n"
"           [--artifact FILE ...] [--at DATE] [--threads N] [--links]\n"
"           [--json] [--sign-summary -k KEYREF [-k KEYREF ...] [-f] -o OUT]\n"
"       attest-chain import | distribute --policy FILE -k KEYREF [-k ...]\n"
"           --bundle FILE --artifact FILE [...] --operator FILE.json\n"
"           [--at DATE] [-f] -o OUT\n"
"           [--passphrase-file FILE | --passphrase-env NAME]\n"
"           [--pin-file FILE | --pin-env NAME]\n"
"PATH: a bundle (.intoto.jsonl) or a directory of bundles.\n");
}

#define usage_error(why)	usage_fail(chain_usage, (why))

/* Hex SHA-256 of a file, or -1 after a message. */
static int
file_sha256(const char *path, char hex[65])
{
	attest_digest_t *d = NULL;
	attest_diag_t *diag;
	attest_err_t r;
	int rc = EXIT_OK;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_digest_file(path, ATTEST_DIGEST_SHA256, &d, NULL,
	    NULL, diag)) != ATTEST_OK)
		rc = report(path, diag, r);
	else
		(void)snprintf(hex, 65, "%s", attest_digest_get_hex(d,
		    ATTEST_DIGEST_SHA256));
	attest_digest_free(&d);
	attest_diag_free(&diag);
	return rc;
}

/* verify ---------------------------------------------------------------------- */

struct job {
	const char	*path;
	char		*text;		/* what to print for it */
	char		*summary;	/* the VSA Statement, compact JSON */
	int		 rc;
};

struct run {
	const struct opts	*o;
	struct job		*jobs;
	size_t			 njobs;
	size_t			 next;
	pthread_mutex_t		 lock;
	char			 policy_sha[65];
	char			 stamp[21];
};

static int
append(char **s, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int
append(char **s, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*s == NULL ? NULL : *s + *len, *s == NULL ? 0 :
		    *cap - *len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -1;
		if (*s != NULL && *len + (size_t)n < *cap) {
			*len += (size_t)n;
			return 0;
		}
		*cap = (*cap + (size_t)n + 1) * 2;
		if ((*s = realloc(*s, *cap)) == NULL)
			return -1;
	}
}

/*
 * What the text report shows of a string: escaped (esc()), or "-" for
 * something absent (NULL).
 */
static const char *
dash(const char *s)
{
	return s != NULL ? esc(s) : "-";
}

/* The text report of one bundle: one line, then the links when asked. */
static char *
chain_text(const struct opts *o, const char *path, const attest_chain_t *c,
    int all_links)
{
	char *s = NULL;
	size_t len = 0, cap = 0, i, j;
	const char *e;
	int ok = attest_chain_holds(c), bad = 0;

	if (ok)
		bad |= append(&s, &len, &cap, "%s: OK: %s of %s (%s, policy "
		    "operator %s), %zu records, support until %s (as of %s)\n",
		    esc(path), dash(attest_chain_product(c)),
		    dash(attest_chain_manufacturer(c)),
		    dash(attest_chain_manufacturer_country(c)),
		    dash(attest_chain_manufacturer_operator(c)),
		    attest_chain_link_count(c),
		    dash(attest_chain_support_end(c)),
		    o->at);
	else
		bad |= append(&s, &len, &cap, "%s: FAILED\n", esc(path));
	for (i = 0; i < attest_chain_link_count(c); i++) {
		e = attest_chain_link_error(c, i);
		if (!all_links && e == NULL &&
		    attest_chain_link_warning_count(c, i) == 0)
			continue;
		if (attest_chain_link_kind(c, i) == ATTEST_CRA_NONE)
			bad |= append(&s, &len, &cap, "  line %zu: %s\n", i + 1,
			    e != NULL ? esc(e) : "?");
		else if (e != NULL || all_links)
			bad |= append(&s, &len, &cap, "  line %zu: %s: %s%s%s "
			    "%s %zu/%zu key%s, dated %s, sha256 %.16s: %s\n",
			    i + 1, attest_cra_kind_name(
			    attest_chain_link_kind(c, i)),
			    dash(attest_chain_link_operator(c, i)),
			    attest_chain_link_role(c, i) == ATTEST_ROLE_NONE ?
			    "" : " as ", attest_chain_link_role(c, i) ==
			    ATTEST_ROLE_NONE ? "" : attest_role_name(
			    attest_chain_link_role(c, i)),
			    "signed by", attest_chain_link_accepted(c, i),
			    attest_chain_link_threshold(c, i),
			    attest_chain_link_threshold(c, i) == 1 ? "" : "s",
			    dash(attest_chain_link_signed_on(c, i)),
			    dash(attest_chain_link_sha256(c, i)),
			    e != NULL ? esc(e) : "OK");
		for (j = 0; j < attest_chain_link_warning_count(c, i); j++)
			bad |= append(&s, &len, &cap, "  line %zu: warning: "
			    "%s\n", i + 1, dash(attest_chain_link_warning(c, i,
			    j)));
	}
	if ((e = attest_chain_error(c)) != NULL)
		bad |= append(&s, &len, &cap, "  %s\n", esc(e));
	if (bad) {
		free(s);
		return NULL;
	}
	return s;
}

/*
 * The verification summary of one bundle: an in-toto Statement whose
 * predicate has the shape of a SLSA verification summary (VSA v1), the
 * links in a "libattest" member.
 */
static json_t *
chain_summary(const struct run *run, const char *path,
    const attest_chain_t *c)
{
	const struct opts *o = run->o;
	json_t *subj = json_array(), *inputs = json_array(),
	    *links = json_array(), *pred, *st;
	char uri[4096];
	size_t i, j;

	for (i = 0; i < attest_chain_subject_count(c); i++)
		json_array_append_new(subj, json_pack("{s:s*, s:{s:s}}",
		    "name", attest_chain_subject_name(c, i), "digest", "sha256",
		    attest_chain_subject_sha256(c, i)));
	for (i = 0; i < attest_chain_link_count(c); i++) {
		json_t *w = json_array(), *l;
		const char *sha = attest_chain_link_sha256(c, i);
		attest_cra_kind_t k = attest_chain_link_kind(c, i);

		for (j = 0; j < attest_chain_link_warning_count(c, i); j++)
			json_array_append_new(w, json_string(
			    attest_chain_link_warning(c, i, j)));
		(void)snprintf(uri, sizeof(uri), "%s#line=%zu", path, i + 1);
		if (sha != NULL)
			json_array_append_new(inputs, json_pack("{s:s, s:{s:s}}",
			    "uri", uri, "digest", "sha256", sha));
		l = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, "
		    "s:I, s:b, s:s?, s:o}", "line", (json_int_t)(i + 1), "kind",
		    attest_cra_kind_name(k), "predicateType",
		    attest_cra_predicate_type(k), "sha256", sha, "operator",
		    attest_chain_link_operator(c, i), "role",
		    attest_role_name(attest_chain_link_role(c, i)),
		    "signed_on", attest_chain_link_signed_on(c, i), "keys_accepted",
		    (json_int_t)attest_chain_link_accepted(c, i),
		    "keys_required", (json_int_t)attest_chain_link_threshold(c,
		    i), "ok", attest_chain_link_error(c, i) == NULL, "error",
		    attest_chain_link_error(c, i), "warnings", w);
		json_array_append_new(links, l);
	}
	pred = json_pack("{s:{s:s, s:{s:s}}, s:s, s:s, s:{s:s, s:{s:s}}, "
	    "s:o, s:s, s:[], s:{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, "
	    "s:o}}",
	    "verifier", "id", VERIFIER_ID, "version", "libattest",
	    attest_version(),
	    "timeVerified", run->stamp,
	    "resourceUri", path,
	    "policy", "uri", o->policy, "digest", "sha256", run->policy_sha,
	    "inputAttestations", inputs,
	    "verificationResult", attest_chain_holds(c) ? "PASSED" : "FAILED",
	    "verifiedLevels",
	    "libattest", "at", o->at,
	    "product", attest_chain_product(c),
	    "manufacturer", attest_chain_manufacturer(c),
	    "manufacturer_country", attest_chain_manufacturer_country(c),
	    "manufacturer_operator", attest_chain_manufacturer_operator(c),
	    "support_end", attest_chain_support_end(c),
	    "error", attest_chain_error(c),
	    "links", links);
	if (pred != NULL && attest_chain_holds(c))
		json_array_append_new(json_object_get(pred, "verifiedLevels"),
		    json_string(CHAIN_LEVEL));
	st = json_pack("{s:s, s:o, s:s, s:o}", "_type",
	    "https://in-toto.io/Statement/v1", "subject", subj,
	    "predicateType", VSA_TYPE, "predicate", pred);
	return st;
}

static void
run_job(struct run *run, struct job *j)
{
	const struct opts *o = run->o;
	attest_chain_options_t co;
	attest_chain_t *c = NULL;
	attest_diag_t *diag;
	unsigned char *buf = NULL;
	size_t len = 0, cap;
	struct stat st;
	json_t *sum;
	attest_err_t r;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	memset(&co, 0, sizeof(co));
	co.now = o->at;
	co.artifacts = (const char *const *)o->artifact_sha;
	co.nartifacts = (size_t)o->nartifacts;
	/*
	 * A bundle is a regular file: a FIFO (from a hostile archive, say)
	 * would block the open, and with it this thread, for ever.
	 */
	if (stat(j->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		j->rc = EXIT_ERROR;
		len = cap = 0;
		if (append(&j->text, &len, &cap, "%s: not a regular file\n",
		    esc(j->path)) != 0)
			errx(EXIT_ERROR, "out of memory");
		goto out;
	}
	if ((r = attest_file_read_alloc(j->path, ATTEST_MAX_ENVELOPE_BYTES,
	    &buf, &len, diag)) != ATTEST_OK) {
		j->rc = EXIT_ERROR;
		len = cap = 0;
		if (append(&j->text, &len, &cap, "%s: cannot be read: %s\n",
		    esc(j->path), attest_diag_get_reason(diag) ?
		    attest_diag_get_reason(diag) : attest_strerror(r)) != 0)
			errx(EXIT_ERROR, "out of memory");
		goto out;
	}
	r = attest_chain_verify(o->pol, buf, len, &co, &c, diag);
	if (r != ATTEST_OK && r != ATTEST_ERR_VERIFY)
		errx(EXIT_ERROR, "%s: %s", esc(j->path), attest_strerror(r));
	j->rc = r == ATTEST_OK ? EXIT_OK : EXIT_VERDICT;
	if ((j->text = chain_text(o, j->path, c, o->links ||
	    run->njobs == 1)) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if (o->json || o->sign_summary) {
		/* non-ASCII as \uXXXX: no C1 or bidi control as such */
		if ((sum = chain_summary(run, j->path, c)) == NULL ||
		    (j->summary = json_dumps_whole(sum, JSON_COMPACT |
		    JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII)) == NULL)
			errx(EXIT_ERROR, "out of memory");
		json_decref(sum);
	}
out:
	attest_chain_free(&c);
	free(buf);
	attest_diag_free(&diag);
}

static void *
worker(void *arg)
{
	struct run *run = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&run->lock);
		i = run->next++;
		pthread_mutex_unlock(&run->lock);
		if (i >= run->njobs) {
			esc_release();		/* this thread's */
			return NULL;
		}
		run_job(run, &run->jobs[i]);
	}
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An array of *cap elements of size bytes, grown by at least more. */
static void *
grow(void *a, size_t *cap, size_t size, size_t more)
{
	void *n;

	if ((n = realloc(a, (*cap * 2 + more) * size)) == NULL)
		errx(EXIT_ERROR, "out of memory");	/* the process ends */
	*cap = *cap * 2 + more;
	return n;
}

/* Add the bundle at path, or the *.intoto.jsonl of the directory path. */
static void
add_path(const char *path, struct job **jobs, size_t *nj,
    size_t *cap)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t nn = 0, cn = 0, i, n;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if ((dir = opendir(path)) == NULL)
			err(EXIT_ERROR, "%s", esc(path));
		while ((de = readdir(dir)) != NULL) {
			if (!has_suffix(de->d_name, ".intoto.jsonl"))
				continue;
			if (nn == cn)
				names = grow(names, &cn, sizeof(*names), 16);
			n = strlen(path) + strlen(de->d_name) + 2;
			if ((names[nn] = malloc(n)) == NULL)
				errx(EXIT_ERROR, "out of memory");
			(void)snprintf(names[nn++], n, "%s/%s", path,
			    de->d_name);
		}
		closedir(dir);
		if (nn > 1)
			qsort(names, nn, sizeof(*names), cmp_str);
	} else {
		if ((names = malloc(sizeof(*names))) == NULL ||
		    (names[0] = strdup(path)) == NULL)
			errx(EXIT_ERROR, "out of memory");
		nn = 1;
	}
	for (i = 0; i < nn; i++) {
		if (*nj == *cap)
			*jobs = grow(*jobs, cap, sizeof(**jobs), 64);
		memset(&(*jobs)[*nj], 0, sizeof(**jobs));
		(*jobs)[(*nj)++].path = names[i];
	}
	free(names);
}

/* Sign every summary into one bundle of envelopes at o->out. */
static int
sign_summaries(struct opts *o, const struct run *run)
{
	attest_signer_t *signers[MAX_KEYS];
	attest_envelope_t *env = NULL;
	attest_diag_t *diag;
	unsigned char *text = NULL;
	char *all = NULL;
	size_t len = 0, alen = 0, acap = 0, i, k;
	attest_err_t r;
	int rc;

	memset(signers, 0, sizeof(signers));
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((rc = signers_open(o->keyrefs, o->nkeys, &o->sec, signers)) !=
	    EXIT_OK)
		goto out;
	for (i = 0; i < run->njobs; i++) {
		if (run->jobs[i].summary == NULL)
			continue;
		if ((env = attest_envelope_new()) == NULL ||
		    attest_envelope_set_payload(env, ATTEST_PAYLOAD_TYPE_INTOTO,
		    (const unsigned char *)run->jobs[i].summary,
		    strlen(run->jobs[i].summary)) != ATTEST_OK)
			errx(EXIT_ERROR, "out of memory");
		for (k = 0; k < o->nkeys; k++)
			if ((r = attest_envelope_sign(env, signers[k], diag)) !=
			    ATTEST_OK) {
				rc = report(o->keyrefs[k], diag, r);
				goto out;
			}
		if (attest_envelope_serialize_alloc(env, &text, &len) !=
		    ATTEST_OK || append(&all, &alen, &acap, "%.*s\n",
		    (int)len, (const char *)text) != 0)
			errx(EXIT_ERROR, "out of memory");
		free(text);
		text = NULL;
		attest_envelope_free(&env);
	}
	if ((r = attest_file_write(o->out, (const unsigned char *)all, alen,
	    o->force ? ATTEST_WRITE_FORCE : 0, diag)) != ATTEST_OK)
		rc = report(o->out, diag, r);
out:
	signers_free(signers, o->nkeys);
	attest_envelope_free(&env);
	free(text);
	free(all);
	attest_diag_free(&diag);
	return rc;
}

static int
cmd_verify(struct opts *o, int argc, char **argv)
{
	struct run run;
	pthread_t tids[MAX_THREADS];
	size_t cap = 0, i, nt, held = 0;
	int rc = EXIT_OK, e;

	memset(&run, 0, sizeof(run));
	run.o = o;
	if (o->nbundles == 0 && argc == 0)
		usage_error("verify: name a bundle (--bundle FILE, or a PATH)");
	if (o->sign_summary && (o->nkeys == 0 || o->out == NULL))
		usage_error("--sign-summary needs -k KEYREF and -o OUT");
	if (o->sign_summary && !o->force && strcmp(o->out, "-") != 0 &&
	    attest_file_exists(o->out) == 1) {
		warnx("%s: exists (use --force to replace it)", esc(o->out));
		return EXIT_ERROR;
	}
	if (file_sha256(o->policy, run.policy_sha) != EXIT_OK)
		return EXIT_ERROR;
	for (i = 0; i < o->nbundles; i++)
		add_path(o->bundles[i], &run.jobs, &run.njobs, &cap);
	for (i = 0; i < (size_t)argc; i++)
		add_path(argv[i], &run.jobs, &run.njobs, &cap);
	if (run.njobs == 0) {
		warnx("no bundle (a file named *.intoto.jsonl) in the paths "
		    "given");
		free(run.jobs);
		return EXIT_ERROR;
	}
	(void)snprintf(run.stamp, sizeof(run.stamp), "%s", o->stamp);
	pthread_mutex_init(&run.lock, NULL);
	nt = o->threads < run.njobs ? o->threads : run.njobs;
	for (i = 1; i < nt; i++)
		if ((e = pthread_create(&tids[i], NULL, worker, &run)) != 0)
			errx(EXIT_ERROR, "pthread_create: %s", strerror(e));
	(void)worker(&run);
	for (i = 1; i < nt; i++)
		(void)pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&run.lock);
	for (i = 0; i < run.njobs; i++) {
		struct job *j = &run.jobs[i];

		if (o->json && j->summary != NULL)
			printf("%s\n", j->summary);
		else if (!o->json)
			fputs(j->text, stdout);
		else
			fputs(j->text, stderr);
		if (j->rc == EXIT_OK)
			held++;
		if (j->rc > rc)
			rc = j->rc;
	}
	if (!o->json && run.njobs > 1)
		printf("%zu bundle%s: %zu hold, %zu fail\n", run.njobs,
		    run.njobs == 1 ? "" : "s", held, run.njobs - held);
	if (o->sign_summary && rc != EXIT_ERROR && (e = sign_summaries(o,
	    &run)) != EXIT_OK)
		rc = e;
	for (i = 0; i < run.njobs; i++) {
		free(run.jobs[i].text);
		free(run.jobs[i].summary);
		free((char *)(uintptr_t)run.jobs[i].path);
	}
	free(run.jobs);
	return rc;
}

/* main ---------------------------------------------------------------------- */

/* The policy, loaded once, and the artifacts' SHA-256. */
static int
load_inputs(struct opts *o)
{
	attest_diag_t *diag;
	attest_err_t r;
	int i, rc = EXIT_OK;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_policy_load(&o->pol, o->policy, diag)) != ATTEST_OK) {
		(void)report(o->policy, diag, r);
		rc = EXIT_ERROR;
	}
	for (i = 0; rc == EXIT_OK && i < o->nartifacts; i++) {
		if ((o->artifact_sha[i] = malloc(65)) == NULL)
			errx(EXIT_ERROR, "out of memory");
		rc = file_sha256(o->artifacts[i], o->artifact_sha[i]);
	}
	attest_diag_free(&diag);
	return rc;
}

static void
opts_free(struct opts *o)
{
	int i;

	for (i = 0; i < o->nartifacts; i++)
		free(o->artifact_sha[i]);
	attest_policy_free(&o->pol);
}

int
main(int argc, char **argv)
{
	struct opts o;
	const char *cmd, *why;
	unsigned long long n;
	long ncpu;
	int ch, rc;

	harden_process();
	memset(&o, 0, sizeof(o));
	utc_now(o.today, o.stamp);
	if (argc >= 2 && strcmp(argv[1], "--version") == 0)
		print_version();
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		chain_usage(stdout);
		exit(EXIT_OK);
	}
	if (argc < 2)
		usage_error("name a command: verify, import, distribute");
	cmd = argv[1];
	argc--;
	argv++;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o.threads = ncpu < 1 ? 1 : ncpu > MAX_THREADS ? MAX_THREADS :
	    (size_t)ncpu;
	while ((ch = getopt_long(argc, argv, "k:o:fh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'k':
			if (o.nkeys == MAX_KEYS)
				usage_error("at most 16 -k keys");
			o.keyrefs[o.nkeys++] = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'f':
			o.force = 1;
			break;
		case OPT_ARTIFACT:
			if (o.nartifacts == MAX_ARTIFACTS)
				usage_error("at most 256 --artifact files");
			o.artifacts[o.nartifacts++] = optarg;
			break;
		case OPT_AT:
			if (!is_ymd(optarg))
				usage_error("--at: a date YYYY-MM-DD");
			o.at = optarg;
			break;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_POLICY:
			o.policy = optarg;
			break;
		case OPT_BUNDLE:
			if (o.nbundles == MAX_BUNDLE_ARGS)
				usage_error("at most 4096 --bundle files");
			o.bundles[o.nbundles++] = optarg;
			break;
		case OPT_OPERATOR:
			o.operator_file = optarg;
			break;
		case OPT_THREADS:
			if (parse_uint(optarg, 1, MAX_THREADS, &n) != 0)
				usage_error("--threads: a number from 1 to 64");
			o.threads = (size_t)n;
			break;
		case OPT_LINKS:
			o.links = 1;
			break;
		case OPT_SIGN_SUMMARY:
			o.sign_summary = 1;
			break;
		case 'h':
			chain_usage(stdout);
			exit(EXIT_OK);
		case OPT_VERSION:
			print_version();
		default:
			if (secret_option(&o.sec, ch, optarg))
				break;
			chain_usage(stderr);
			exit(EXIT_ERROR);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.at == NULL)
		o.at = o.today;
	if (o.policy == NULL)
		usage_error("--policy FILE is required");
	if ((why = secret_options_conflict(&o.sec)) != NULL)
		usage_error(why);
	if (attest_init(0) != ATTEST_OK)
		errx(EXIT_ERROR, "cannot initialise libattest");
	if (strcmp(cmd, "verify") != 0 && strcmp(cmd, "import") != 0 &&
	    strcmp(cmd, "distribute") != 0)
		usage_error("unknown command: verify, import, distribute");
	if ((rc = load_inputs(&o)) != EXIT_OK)
		;	/* said */
	else if (strcmp(cmd, "verify") == 0)
		rc = cmd_verify(&o, argc, argv);
	else
		rc = cmd_append(&o, strcmp(cmd, "import") == 0 ?
		    ATTEST_CRA_IMPORT : ATTEST_CRA_DISTRIBUTION, argc, argv);
	opts_free(&o);
	return rc;
}
