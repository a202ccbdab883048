/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attest-doc: CRA manufacturer records (specs/cra.md): write a template,
 * check a record against the Regulation's rules, sign it, verify it (the
 * signature, the artifacts and the rules, as of any date), and render
 * exactly what was signed as text, HTML or PDF.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "doc_pdf.h"
#include "sigtool.h"

#define MAX_KEYS	16
#define MAX_ARTIFACTS	256
#define MAX_DRAFT	(1024 * 1024)

/* tools/templates/{doc,sdoc,release,import,distribution}.json (templates.c) */
extern const char attest_doc_template_doc[];
extern const char attest_doc_template_sdoc[];
extern const char attest_doc_template_release[];
extern const char attest_doc_template_import[];
extern const char attest_doc_template_distribution[];

enum {
	OPT_ARTIFACT = OPT_TOOL, OPT_AT, OPT_DOC, OPT_JSON, OPT_FORMAT, OPT_VERSION,
	OPT_SBOM, OPT_POLICY
};

static const struct option longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	{ "pubkey", required_argument, NULL, 'K' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "artifact", required_argument, NULL, OPT_ARTIFACT },
	{ "at", required_argument, NULL, OPT_AT },
	{ "doc", required_argument, NULL, OPT_DOC },
	{ "sbom", required_argument, NULL, OPT_SBOM },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "format", required_argument, NULL, OPT_FORMAT },
	SECRET_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: attest-doc init doc | sdoc | release | import | distribution\n"
"           [-f] -o FILE.json\n"
"       attest-doc check [--at DATE]\n"
"           [--doc ENVELOPE -K PUBKEY ... | --policy FILE]\n"
"           [--sbom FILE] FILE.json\n"
"       attest-doc sign -k KEYREF [-k KEYREF ...] --artifact FILE [...]\n"
"           [--at DATE] [--doc ENVELOPE -K PUBKEY ... | --policy FILE]\n"
"           [--sbom FILE]\n"
"           [-f] -o OUT [--passphrase-file FILE | --passphrase-env NAME]\n"
"           [--pin-file FILE | --pin-env NAME] FILE.json\n"
"       attest-doc verify -K PUBKEY [-K PUBKEY ...] | --policy FILE\n"
"           [--artifact FILE ...]\n"
"           [--at DATE] [--doc ENVELOPE] [--sbom FILE] [--json] ENVELOPE\n"
"       attest-doc render -K PUBKEY [-K PUBKEY ...] | --policy FILE\n"
"           --format text | html | pdf\n"
"           [--at DATE] [--doc ENVELOPE] [--sbom FILE] [-f] -o OUT\n"
"           ENVELOPE\n");
}

#define usage_error(why)	usage_fail(usage, (why))

struct opts {
	const char	*keyrefs[MAX_KEYS];
	size_t		 nkeys;
	const char	*pubs[MAX_KEYS];
	size_t		 npubs;
	char		*artifacts[MAX_ARTIFACTS];
	int		 nartifacts;
	const char	*out;
	const char	*at;
	const char	*doc;
	const char	*sbom;
	const char	*policy;
	attest_policy_t	*pol;		/* --policy, loaded once */
	const char	*format;
	int		 force;
	int		 json;
	struct secrets	 sec;
	char		 today[11];
};

/* --- findings --------------------------------------------------------- */

/*
 * Print every finding as FILE: FIELD: WHAT (RULE, BASIS), escaped (the
 * library's field and message are already; escaping them again changes
 * nothing).
 */
static void
print_findings(const char *name, const attest_cra_findings_t *f,
    const char *prefix, int only_warnings)
{
	const char *field;
	size_t i;

	for (i = 0; i < attest_cra_findings_count(f); i++) {
		if (only_warnings && attest_cra_finding_severity(f, i) ==
		    ATTEST_CRA_ERROR)
			continue;
		field = attest_cra_finding_field(f, i);
		warnx("%s: %s%s%s%s%s (%s, %s)", esc(name), prefix,
		    attest_cra_finding_severity(f, i) == ATTEST_CRA_WARNING ?
		    "warning: " : "", esc(field), *field ? ": " : "",
		    esc(attest_cra_finding_message(f, i)),
		    attest_cra_finding_rule(f, i),
		    attest_cra_finding_basis(f, i));
	}
}

static json_t *
findings_json(const attest_cra_findings_t *f)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; a != NULL && i < attest_cra_findings_count(f); i++) {
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "severity",
		    attest_cra_finding_severity(f, i) == ATTEST_CRA_ERROR ?
		    "error" : "warning", "rule", attest_cra_finding_rule(f, i),
		    "field", attest_cra_finding_field(f, i), "message",
		    attest_cra_finding_message(f, i), "basis",
		    attest_cra_finding_basis(f, i));
		json_array_append_new(a, o);
	}
	return a;
}

/*
 * A string left as the template wrote it ("<REQUIRED: ...>" or
 * "<OPTIONAL: ...>") is not data: list every one, by path.
 */
static size_t
placeholders(const char *name, const json_t *j, char *path, size_t size)
{
	const char *key, *s;
	json_t *v;
	size_t n = 0, len = strlen(path), i;

	if (json_is_string(j)) {
		s = json_string_value(j);
		if (strncmp(s, "<REQUIRED", 9) == 0 ||
		    strncmp(s, "<OPTIONAL", 9) == 0) {
			warnx("%s: %s: template placeholder not filled in "
			    "(T-1, fill it in%s)", esc(name), esc(path),
			    s[1] == 'O' ? " or delete the member" : "");
			n++;
		}
	} else if (json_is_object(j)) {
		json_object_foreach((json_t *)(uintptr_t)j, key, v) {
			(void)snprintf(path + len, size - len, "%s%s",
			    len ? "." : "", key);
			n += placeholders(name, v, path, size);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			(void)snprintf(path + len, size - len, "[%zu]", i);
			n += placeholders(name, v, path, size);
		}
	}
	path[len] = '\0';
	return n;
}

/* --- the draft file ---------------------------------------------------- */

struct draft {
	attest_cra_kind_t	 kind;
	const char		*type;
	unsigned char		*pred;		/* compact JSON */
	size_t			 pred_len;
};

/* Read FILE.json: {"predicateType": ..., "predicate": {...}}. */
static int
draft_load(const char *path, struct draft *d)
{
	json_error_t je;
	json_t *root = NULL, *t, *p;
	attest_diag_t *diag;
	unsigned char *buf = NULL;
	size_t np, len = 0;
	char where[512] = "";
	attest_err_t r;
	int rc = EXIT_ERROR;

	memset(d, 0, sizeof(*d));
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	r = attest_file_read_alloc(path, MAX_DRAFT, &buf, &len, diag);
	rc = r != ATTEST_OK ? report(path, diag, r) : EXIT_OK;
	attest_diag_free(&diag);
	if (rc != EXIT_OK)
		return rc;
	rc = EXIT_ERROR;
	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (root == NULL) {
		warnx("%s: line %d, column %d: %s", esc(path), je.line,
		    je.column, esc(je.text));
		return EXIT_ERROR;
	}
	if (!json_is_object(root) || (t = json_object_get(root,
	    "predicateType")) == NULL || !json_is_string(t) ||
	    (p = json_object_get(root, "predicate")) == NULL ||
	    !json_is_object(p) || json_object_size(root) != 2) {
		warnx("%s: not a draft: an object with exactly "
		    "\"predicateType\" and \"predicate\" (specs/cra.md §1)",
		    esc(path));
		goto out;
	}
	if ((d->kind = attest_cra_kind_from_type(json_string_value(t))) ==
	    ATTEST_CRA_NONE) {
		warnx("%s: predicateType: not a CRA record type", esc(path));
		goto out;
	}
	d->type = attest_cra_predicate_type(d->kind);
	if ((np = placeholders(path, p, where, sizeof(where))) > 0) {
		warnx("%s: %zu template placeholder%s left", esc(path), np,
		    np == 1 ? "" : "s");
		rc = EXIT_VERDICT;
		goto out;
	}
	if ((d->pred = (unsigned char *)json_dumps_whole(p,
	    JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		errx(EXIT_ERROR, "out of memory");
	d->pred_len = strlen((char *)d->pred);
	rc = EXIT_OK;
out:
	json_decref(root);
	return rc;
}

/*
 * The keys envelopes are verified against: the trust policy's (--policy),
 * borrowed, or the -K files, loaded into *owned.
 */
static int
trusted_keys(const struct opts *o, attest_keyset_t **owned,
    const attest_keyset_t **ks)
{
	int rc;

	*owned = NULL;
	if (o->pol != NULL) {
		*ks = attest_policy_keyset(o->pol);
		return EXIT_OK;
	}
	if ((rc = keyset_load(o->pubs, o->npubs, owned)) == EXIT_OK)
		*ks = *owned;
	return rc;
}

/*
 * With --policy: may the keys that verified the record at path sign it
 * (specs/policy.md §3.1, P-1, P-2)?  The verdict goes to *vdp (when not
 * NULL) and, unless quiet, a line saying who signed to stdout.
 */
static int
policy_check(const struct opts *o, const char *path,
    const attest_verified_t *v, attest_policy_verdict_t **vdp, int quiet)
{
	attest_policy_verdict_t *vd = NULL;
	attest_diag_t *diag;
	attest_err_t r;
	int rc = EXIT_OK;

	if (o->pol == NULL)
		return EXIT_OK;
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	r = attest_policy_authorize_record(o->pol, v, o->at, &vd, diag);
	if (r != ATTEST_OK) {
		attest_diag_prefix_field(diag, attest_diag_get_field(diag) ==
		    NULL ? NULL : "payload");
		rc = report(path, diag, r);
	} else if (!quiet)
		printf("%s: signed for \"%s\" by %zu of the %zu key%s the trust "
		    "policy requires\n", esc(path), esc(
		    attest_policy_verdict_operator(vd)),
		    attest_policy_verdict_accepted(vd),
		    attest_policy_verdict_threshold(vd),
		    attest_policy_verdict_threshold(vd) == 1 ? "" : "s");
	attest_diag_free(&diag);
	if (vdp != NULL)
		*vdp = vd;
	else
		attest_policy_verdict_free(&vd);
	return rc;
}

/*
 * The verified DoC Statement an sdoc or release refers to (--doc), into
 * ctx; its payload stays owned by *vp.
 */
static int
doc_context(const struct opts *o, attest_verified_t **vp,
    attest_cra_context_t *ctx)
{
	attest_keyset_t *owned = NULL;
	const attest_keyset_t *ks;
	int rc;

	*vp = NULL;
	if (o->doc == NULL)
		return EXIT_OK;
	if ((rc = trusted_keys(o, &owned, &ks)) != EXIT_OK)
		return rc;
	rc = envelope_verify_file(o->doc, ks, vp, NULL);
	attest_keyset_free(&owned);
	if (rc == EXIT_OK)
		rc = policy_check(o, o->doc, *vp, NULL, 1);
	if (rc != EXIT_OK)
		return rc;
	ctx->doc_statement = attest_verified_payload_ptr(*vp);
	ctx->doc_statement_len = attest_verified_payload_len(*vp);
	return EXIT_OK;
}

/*
 * The SBOM a release names (--sbom), read whole into *bufp (free()) and
 * handed to the rules (REL-5).  Only a release names one.
 */
static int
sbom_context(const struct opts *o, attest_cra_kind_t kind,
    unsigned char **bufp, attest_cra_context_t *ctx)
{
	attest_diag_t *diag;
	size_t len = 0;
	attest_err_t r;
	int rc = EXIT_OK;

	*bufp = NULL;
	if (o->sbom == NULL)
		return EXIT_OK;
	if (kind != ATTEST_CRA_RELEASE) {
		warnx("--sbom: only a release record names an SBOM, not a %s",
		    attest_cra_kind_name(kind));
		return EXIT_ERROR;
	}
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_file_read_alloc(o->sbom, ATTEST_MAX_INPUT_BYTES, bufp,
	    &len, diag)) != ATTEST_OK)
		rc = report(o->sbom, diag, r);
	else {
		ctx->sbom = *bufp;
		ctx->sbom_len = len;
	}
	attest_diag_free(&diag);
	return rc;
}

/* Run the rules on a predicate; print; EXIT_OK unless an error. */
static int
rules(const char *name, attest_cra_kind_t kind, const unsigned char *pred,
    size_t len, const attest_cra_context_t *ctx,
    attest_cra_findings_t **fout)
{
	attest_cra_findings_t *f = NULL;
	attest_diag_t *diag;
	attest_err_t r;
	int rc;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	r = attest_cra_check(kind, pred, len, ctx, &f, diag);
	if (r != ATTEST_OK && r != ATTEST_ERR_POLICY) {
		rc = report(name, diag, r);
		goto out;
	}
	if (fout == NULL)
		print_findings(name, f, "", 0);
	rc = attest_cra_findings_errors(f) > 0 ? EXIT_VERDICT : EXIT_OK;
out:
	if (fout != NULL)
		*fout = f;
	else
		attest_cra_findings_free(&f);
	attest_diag_free(&diag);
	return rc;
}

/* --- init, check, sign ------------------------------------------------- */

static int
cmd_init(const struct opts *o, int argc, char **argv)
{
	attest_diag_t *diag;
	const char *t;
	attest_err_t r;
	int rc = EXIT_OK;

	if (argc != 1 || o->out == NULL)
		usage_error("init: name doc, sdoc, release, import or "
		    "distribution, and -o FILE.json");
	if (strcmp(argv[0], "doc") == 0)
		t = attest_doc_template_doc;
	else if (strcmp(argv[0], "sdoc") == 0)
		t = attest_doc_template_sdoc;
	else if (strcmp(argv[0], "release") == 0)
		t = attest_doc_template_release;
	else if (strcmp(argv[0], "import") == 0)
		t = attest_doc_template_import;
	else if (strcmp(argv[0], "distribution") == 0)
		t = attest_doc_template_distribution;
	else
		usage_error("init: doc, sdoc, release, import or distribution");
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_file_write(o->out, (const unsigned char *)t,
	    strlen(t), o->force ? ATTEST_WRITE_FORCE : 0, diag)) != ATTEST_OK)
		rc = report(o->out, diag, r);
	attest_diag_free(&diag);
	return rc;
}

/* Load the draft at path into d and run the rules on it (with --doc). */
static int
draft_check(const struct opts *o, const char *path, struct draft *d)
{
	attest_cra_context_t ctx = { .now = o->at };
	attest_verified_t *docv = NULL;
	unsigned char *sbom = NULL;
	int rc;

	if ((rc = draft_load(path, d)) != EXIT_OK)
		return rc;
	if ((rc = doc_context(o, &docv, &ctx)) == EXIT_OK &&
	    (rc = sbom_context(o, d->kind, &sbom, &ctx)) == EXIT_OK)
		rc = rules(path, d->kind, d->pred, d->pred_len, &ctx, NULL);
	attest_verified_free(&docv);
	free(sbom);
	return rc;
}

static int
cmd_check(struct opts *o, int argc, char **argv)
{
	struct draft d;
	int rc;

	if (argc != 1)
		usage_error("check: name one FILE.json");
	rc = draft_check(o, argv[0], &d);
	if (rc == EXIT_OK)
		printf("%s: %s record passes every rule as of %s\n",
		    esc(argv[0]),
		    attest_cra_kind_name(d.kind), o->at);
	free(d.pred);
	return rc;
}

static int
cmd_sign(struct opts *o, int argc, char **argv)
{
	attest_signer_t *signers[MAX_KEYS];
	attest_envelope_t *env = NULL;
	unsigned char *stmt = NULL;
	size_t stmt_len = 0;
	struct draft d;
	int rc;

	memset(signers, 0, sizeof(signers));
	memset(&d, 0, sizeof(d));
	if (argc != 1 || o->nkeys == 0 || o->out == NULL)
		usage_error("sign: -k KEYREF, -o OUT and one FILE.json");
	if (o->nartifacts == 0)
		usage_error("sign: name the product's artifacts with --artifact "
		    "FILE (the subject of the Statement)");
	if (!o->force && strcmp(o->out, "-") != 0 &&
	    attest_file_exists(o->out) == 1) {
		warnx("%s: exists (use --force to replace it)", esc(o->out));
		return EXIT_ERROR;
	}
	/* a record that fails the rules is never signed */
	if ((rc = draft_check(o, argv[0], &d)) != EXIT_OK) {
		if (rc == EXIT_VERDICT)
			warnx("%s: not signed", esc(argv[0]));
		goto out;
	}
	if ((rc = signers_open(o->keyrefs, o->nkeys, &o->sec, signers)) !=
	    EXIT_OK ||
	    (rc = statement_build(o->artifacts, o->nartifacts,
	    ATTEST_DIGEST_SHA256 | ATTEST_DIGEST_SHA512, d.type, d.pred,
	    d.pred_len, argv[0], &stmt, &stmt_len)) != EXIT_OK)
		goto out;
	if ((env = attest_envelope_new()) == NULL ||
	    attest_envelope_set_payload(env, ATTEST_PAYLOAD_TYPE_INTOTO, stmt,
	    stmt_len) != ATTEST_OK)
		errx(EXIT_ERROR, "out of memory");
	rc = envelope_sign_write(env, signers, o->keyrefs, o->nkeys, o->out,
	    o->force);
out:
	signers_free(signers, o->nkeys);
	attest_envelope_free(&env);
	attest_freezero(stmt, stmt_len);
	free(d.pred);
	return rc;
}

/*
 * The PDF of the text rendering, made in memory and written through
 * attest_file_write: atomic, never over an existing file without force,
 * and no temporary file of its own to leave behind (tests/fault).
 */
static int
pdf_write(const char *out, int force, const unsigned char *txt,
    size_t len)
{
	struct doc_pdf_opts po;
	attest_diag_t *diag;
	unsigned char *pdf = NULL;
	size_t pdf_len = 0;
	char buf[1024], err[256];
	attest_err_t r;
	int rc = EXIT_ERROR;

	if (strcmp(out, "-") == 0) {
		warnx("-o -: a PDF goes to a file");
		return EXIT_ERROR;
	}
	if (doc_pdf_scan(txt, len, &po, buf, sizeof(buf)) != 0) {
		warnx("%s: the text rendering has no title", esc(out));
		goto out;
	}
	if (doc_pdf_render_alloc(txt, len, &po, &pdf, &pdf_len, err,
	    sizeof(err)) != 0) {
		warnx("%s: %s", esc(out), esc(err));
		goto out;
	}
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_file_write(out, pdf, pdf_len, force ?
	    ATTEST_WRITE_FORCE : 0, diag)) != ATTEST_OK)
		rc = report(out, diag, r);
	else
		rc = EXIT_OK;
	attest_diag_free(&diag);
out:
	free(pdf);
	doc_pdf_cleanup();
	return rc;
}

/* --- verify, render ------------------------------------------------------ */

/* What verify and render share: the envelope, its Statement and kind. */
struct checked {
	attest_keyset_t		*ks;
	attest_verified_t	*v;
	attest_policy_verdict_t	*vd;	/* with --policy */
	attest_stmt_t		*stmt;
	attest_cra_kind_t	 kind;
	unsigned char		*pred;
	size_t			 pred_len;
	unsigned char		 sha256[32];
};

static void
checked_free(struct checked *c)
{
	attest_keyset_free(&c->ks);
	attest_verified_free(&c->v);
	attest_policy_verdict_free(&c->vd);
	attest_stmt_free(&c->stmt);
	attest_freezero(c->pred, c->pred_len);
}

/* The signature first; only then is the payload parsed. */
static int
verify_envelope(const struct opts *o, const char *path, struct checked *c,
    int quiet)
{
	attest_diag_t *diag;
	attest_err_t r;
	int rc;

	const attest_keyset_t *ks;

	memset(c, 0, sizeof(*c));
	if (o->npubs == 0 && o->pol == NULL)
		usage_error("-K PUBKEY or --policy FILE is required");
	if ((rc = trusted_keys(o, &c->ks, &ks)) != EXIT_OK ||
	    (rc = envelope_verify_file(path, ks, &c->v, c->sha256)) !=
	    EXIT_OK)
		return rc;
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	rc = EXIT_VERDICT;
	if (strcmp(attest_verified_payload_type(c->v),
	    ATTEST_PAYLOAD_TYPE_INTOTO) != 0)
		warnx("%s: payloadType: not an in-toto Statement", esc(path));
	else if ((r = attest_stmt_parse(&c->stmt,
	    attest_verified_payload_ptr(c->v),
	    attest_verified_payload_len(c->v), diag)) != ATTEST_OK) {
		attest_diag_prefix_field(diag, "payload");
		(void)report(path, diag, ATTEST_ERR_VERIFY);
	} else if ((c->kind = attest_cra_kind_from_type(
	    attest_stmt_predicate_type(c->stmt))) == ATTEST_CRA_NONE)
		warnx("%s: predicateType %s: not a CRA record", esc(path),
		    esc(attest_stmt_predicate_type(c->stmt)));
	else if (attest_stmt_predicate_alloc(c->stmt, &c->pred,
	    &c->pred_len) != ATTEST_OK)
		errx(EXIT_ERROR, "out of memory");
	else
		rc = policy_check(o, path, c->v, &c->vd, quiet);
	attest_diag_free(&diag);
	return rc;
}

static void
hex_of(const unsigned char *h, char out[65])
{
	size_t i;

	for (i = 0; i < 32; i++)
		(void)snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* SHA-256 of the signed Statement bytes (specs/cra.md §5, §6). */
static void
payload_sha256(const struct checked *c, char out[65])
{
	unsigned char h[32];

	if (EVP_Digest(attest_verified_payload_ptr(c->v),
	    attest_verified_payload_len(c->v), h, NULL, EVP_sha256(), NULL) !=
	    1)
		errx(EXIT_ERROR, "SHA-256 failed");
	hex_of(h, out);
}

static int
artifacts_match(const struct opts *o, const struct checked *c,
    json_t *subjects)
{
	attest_digest_t *d = NULL;
	attest_diag_t *diag;
	size_t idx;
	attest_err_t r;
	int i, rc = EXIT_OK;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	for (i = 0; i < o->nartifacts; i++) {
		attest_diag_clear(diag);
		if ((r = attest_digest_file(o->artifacts[i],
		    attest_stmt_digest_algs(c->stmt), &d, NULL, NULL, diag)) ==
		    ATTEST_OK)
			r = attest_stmt_match(c->stmt, d, &idx, diag);
		attest_digest_free(&d);
		json_array_append_new(subjects, json_pack("{s:s, s:b}",
		    "artifact", o->artifacts[i], "matched", r == ATTEST_OK));
		if (r != ATTEST_OK) {
			if (report(o->artifacts[i], diag, r) == EXIT_ERROR)
				rc = EXIT_ERROR;
			else if (rc == EXIT_OK)
				rc = EXIT_VERDICT;
		} else if (!o->json)
			print_subject_ok(o->artifacts[i], c->stmt, idx);
	}
	attest_diag_free(&diag);
	return rc;
}

/* The trust policy's verdict for --json. */
static json_t *
verdict_json(const struct opts *o, const attest_policy_verdict_t *vd)
{
	json_t *keys = json_array();
	size_t i;

	for (i = 0; i < attest_policy_verdict_key_count(vd); i++) {
		const char *why = attest_policy_verdict_refusal(vd, i);

		json_array_append_new(keys, json_pack("{s:s, s:b, s:s?}",
		    "keyid", attest_policy_verdict_keyid(vd, i), "accepted",
		    why == NULL, "refusal", why));
	}
	return json_pack("{s:s, s:s?, s:s?, s:I, s:I, s:o}", "file",
	    o->policy,
	    "name", attest_policy_name(o->pol), "operator",
	    attest_policy_verdict_operator(vd), "threshold",
	    (json_int_t)attest_policy_verdict_threshold(vd), "accepted",
	    (json_int_t)attest_policy_verdict_accepted(vd), "keys", keys);
}

static int
cmd_verify(struct opts *o, int argc, char **argv)
{
	attest_cra_context_t ctx = { .now = o->at };
	attest_cra_findings_t *f = NULL, *ft = NULL;
	attest_verified_t *docv = NULL;
	unsigned char *sbom = NULL;
	struct checked c;
	json_t *out = json_object(), *subjects = json_array();
	char hex[65];
	int rc, rcr, rca;

	if (argc != 1)
		usage_error("verify: name one ENVELOPE");
	if ((rc = verify_envelope(o, argv[0], &c, o->json)) != EXIT_OK)
		goto out;
	if ((rc = doc_context(o, &docv, &ctx)) != EXIT_OK ||
	    (rc = sbom_context(o, c.kind, &sbom, &ctx)) != EXIT_OK)
		goto out;
	rca = artifacts_match(o, &c, subjects);
	/* the law's rules on the verified payload, as of --at ... */
	if ((rcr = rules(argv[0], c.kind, c.pred, c.pred_len, &ctx, &f)) ==
	    EXIT_ERROR) {
		rc = rcr;
		goto out;
	}
	if (!o->json)
		print_findings(argv[0], f, "", 0);
	/* ... and as of today, when that is another day: warnings only */
	if (strcmp(o->at, o->today) != 0) {
		ctx.now = o->today;
		if (rules(argv[0], c.kind, c.pred, c.pred_len, &ctx, &ft) ==
		    EXIT_ERROR) {
			rc = EXIT_ERROR;
			goto out;
		}
		if (!o->json)
			print_findings(argv[0], ft, "as of today: ", 1);
	}
	rc = rca != EXIT_OK ? rca : rcr;
	/* what a simplified DoC or a release names this record by */
	payload_sha256(&c, hex);
	if (!o->json && rc == EXIT_OK)
		printf("%s: %s record verified, every rule passes as of %s\n"
		    "%s: payload SHA-256 %s\n", esc(argv[0]),
		    attest_cra_kind_name(c.kind), o->at, esc(argv[0]), hex);
	json_object_set_new(out, "payload_sha256", json_string(hex));
	json_object_set_new(out, "kind", json_string(attest_cra_kind_name(
	    c.kind)));
	json_object_set_new(out, "predicateType", json_string(
	    attest_cra_predicate_type(c.kind)));
	json_object_set_new(out, "at", json_string(o->at));
	json_object_set_new(out, "findings", findings_json(f));
	if (ft != NULL)
		json_object_set_new(out, "findings_today", findings_json(ft));
	if (c.vd != NULL)
		json_object_set_new(out, "policy", verdict_json(o, c.vd));
out:
	if (o->json && rc != EXIT_ERROR) {
		char *s;

		json_object_set_new(out, "envelope", json_string(argv[0]));
		json_object_set_new(out, "verified", json_boolean(rc ==
		    EXIT_OK));
		json_object_set_new(out, "subjects", json_incref(subjects));
		/* non-ASCII as \uXXXX: no C1 or bidi control as such */
		if ((s = json_dumps_whole(out, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII)) != NULL)
			printf("%s\n", s);
		free(s);
	}
	json_decref(subjects);
	json_decref(out);
	attest_cra_findings_free(&f);
	attest_cra_findings_free(&ft);
	attest_verified_free(&docv);
	free(sbom);
	checked_free(&c);
	return rc;
}

/*
 * Under --policy, the signatures a rendering shows: those the policy
 * authorises for the record (the verdict accepted their keys), then the
 * other valid ones, apart.  *keys holds both lists.
 */
static void
authorising(const struct checked *c, attest_cra_sigfacts_t *sf,
    attest_cra_sigkey_t **keys)
{
	size_t i, n = attest_policy_verdict_key_count(c->vd), a = 0, b = n;
	attest_cra_sigkey_t *k;

	if ((k = calloc(n + 1, sizeof(*k))) == NULL)
		errx(EXIT_ERROR, "out of memory");
	/* the verdict's keys are the verified keys, in their order */
	for (i = 0; i < n; i++) {
		attest_cra_sigkey_t one = { attest_policy_verdict_keyid(c->vd,
		    i), attest_alg_name(attest_pubkey_alg(attest_verified_key(
		    c->v, i))) };

		if (attest_policy_verdict_refusal(c->vd, i) == NULL)
			k[a++] = one;
		else
			k[--b] = one;
	}
	sf->policy_operator = attest_policy_verdict_operator(c->vd);
	sf->signers = k;
	sf->nsigners = a;
	sf->others = k + a;
	sf->nothers = n - a;
	*keys = k;
}

static int
cmd_render(struct opts *o, int argc, char **argv)
{
	attest_cra_context_t ctx = { .now = o->at };
	attest_verified_t *docv = NULL;
	unsigned char *sbom = NULL;
	attest_cra_sigfacts_t sf;
	attest_cra_sigkey_t *keys = NULL;
	attest_diag_t *diag;
	struct checked c;
	unsigned char *txt = NULL;
	size_t len = 0;
	char hex[65], kid[ATTEST_KEYID_SIZE];
	int fmt, rc;
	attest_err_t r;

	if (argc != 1 || o->out == NULL || o->format == NULL)
		usage_error("render: --format, -o OUT and one ENVELOPE");
	if (strcmp(o->format, "text") == 0)
		fmt = ATTEST_CRA_TEXT;
	else if (strcmp(o->format, "html") == 0)
		fmt = ATTEST_CRA_HTML;
	else if (strcmp(o->format, "pdf") == 0)
		fmt = 0;
	else
		usage_error("--format: text, html or pdf");
	if (!o->force && strcmp(o->out, "-") != 0 &&
	    attest_file_exists(o->out) == 1) {
		warnx("%s: exists (use --force to replace it)", esc(o->out));
		return EXIT_ERROR;
	}
	/* never rendered: a record whose signature or rules fail */
	if ((rc = verify_envelope(o, argv[0], &c, 1)) != EXIT_OK ||
	    (rc = doc_context(o, &docv, &ctx)) != EXIT_OK ||
	    (rc = sbom_context(o, c.kind, &sbom, &ctx)) != EXIT_OK)
		goto out;
	if ((rc = rules(argv[0], c.kind, c.pred, c.pred_len, &ctx, NULL)) !=
	    EXIT_OK) {
		warnx("%s: not rendered", esc(argv[0]));
		goto out;
	}
	hex_of(c.sha256, hex);
	(void)snprintf(kid, sizeof(kid), "%s", attest_pubkey_keyid(
	    attest_verified_key(c.v, 0)));
	memset(&sf, 0, sizeof(sf));
	if (c.vd != NULL)
		authorising(&c, &sf, &keys);
	sf.keyid = kid;
	sf.algorithm = attest_alg_name(attest_pubkey_alg(
	    attest_verified_key(c.v, 0)));
	sf.envelope_sha256 = hex;
	sf.envelope_name = base_name(argv[0]);
	sf.pubkey_name = base_name(o->pol != NULL ? o->policy : o->pubs[0]);
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_cra_render(attest_verified_payload_ptr(c.v),
	    attest_verified_payload_len(c.v), &sf, fmt == 0 ? ATTEST_CRA_TEXT :
	    fmt, &txt, &len, diag)) != ATTEST_OK)
		rc = report(argv[0], diag, r);
	else if (fmt != 0 && (r = attest_file_write(o->out, txt, len,
	    o->force ? ATTEST_WRITE_FORCE : 0, diag)) != ATTEST_OK)
		rc = report(o->out, diag, r);
	else if (fmt == 0)
		rc = pdf_write(o->out, o->force, txt, len);
	attest_diag_free(&diag);
out:
	free(keys);
	free(txt);
	free(sbom);
	attest_verified_free(&docv);
	checked_free(&c);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o;
	const char *cmd, *why;
	int ch;

	harden_process();
	memset(&o, 0, sizeof(o));
	utc_now(o.today, NULL);
	if (argc >= 2 && strcmp(argv[1], "--version") == 0)
		print_version();
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		exit(EXIT_OK);
	}
	if (argc < 2)
		usage_error("name a command: init, check, sign, verify, render");
	cmd = argv[1];
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "k:K:o:fh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'k':
			if (o.nkeys == MAX_KEYS)
				usage_error("too many -k (at most 16)");
			o.keyrefs[o.nkeys++] = optarg;
			break;
		case 'K':
			if (o.npubs == MAX_KEYS)
				usage_error("too many -K (at most 16)");
			o.pubs[o.npubs++] = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'f':
			o.force = 1;
			break;
		case OPT_ARTIFACT:
			if (o.nartifacts == MAX_ARTIFACTS)
				usage_error("too many --artifact (at most 256)");
			o.artifacts[o.nartifacts++] = optarg;
			break;
		case OPT_AT:
			if (!is_ymd(optarg))
				usage_error("--at: a date YYYY-MM-DD");
			o.at = optarg;
			break;
		case OPT_DOC:
			o.doc = optarg;
			break;
		case OPT_SBOM:
			o.sbom = optarg;
			break;
		case OPT_POLICY:
			o.policy = optarg;
			break;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_FORMAT:
			o.format = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case OPT_VERSION:
			print_version();
		default:
			if (secret_option(&o.sec, ch, optarg))
				break;
			usage(stderr);
			exit(EXIT_ERROR);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.at == NULL)
		o.at = o.today;
	if ((why = secret_options_conflict(&o.sec)) != NULL)
		usage_error(why);
	if (o.policy != NULL && o.npubs > 0)
		usage_error("choose one of -K PUBKEY and --policy FILE");
	if (o.doc != NULL && o.npubs == 0 && o.policy == NULL)
		usage_error("--doc needs -K PUBKEY or --policy FILE to verify "
		    "it");
	if (attest_init(0) != ATTEST_OK)
		errx(EXIT_ERROR, "cannot initialise libattest");
	if (o.policy != NULL) {
		attest_diag_t *diag = attest_diag_new();
		attest_err_t r;

		if (diag == NULL)
			errx(EXIT_ERROR, "out of memory");
		if ((r = attest_policy_load(&o.pol, o.policy, diag)) !=
		    ATTEST_OK)
			exit(report(o.policy, diag, r));
		attest_diag_free(&diag);
	}
	if (strcmp(cmd, "init") == 0)
		ch = cmd_init(&o, argc, argv);
	else if (strcmp(cmd, "check") == 0)
		ch = cmd_check(&o, argc, argv);
	else if (strcmp(cmd, "sign") == 0)
		ch = cmd_sign(&o, argc, argv);
	else if (strcmp(cmd, "verify") == 0)
		ch = cmd_verify(&o, argc, argv);
	else if (strcmp(cmd, "render") == 0)
		ch = cmd_render(&o, argc, argv);
	else
		usage_error("unknown command: init, check, sign, verify, "
		    "render");
	attest_policy_free(&o.pol);
	return ch;
}
