/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attest-verify: verify a DSSE envelope against trusted public keys, and
 * artifacts against the subjects of the Statement it carries.
 * Opens no key store, asks for nothing, writes only to stdout/stderr.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common.h"

#define MAX_PUBKEYS	256

enum {
	OPT_THRESHOLD = 256, OPT_JSON, OPT_PRINT, OPT_REQUIRE_UV,
	OPT_COUNTER_STATE, OPT_ATT_ROOTS, OPT_VERSION
};

static const struct option longopts[] = {
	{ "pubkey", required_argument, NULL, 'K' },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "print-payload", no_argument, NULL, OPT_PRINT },
	{ "require-uv", no_argument, NULL, OPT_REQUIRE_UV },
	{ "fido-counter-state", required_argument, NULL, OPT_COUNTER_STATE },
	{ "fido-attestation-roots", required_argument, NULL, OPT_ATT_ROOTS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: attest-verify -K PUBKEY [-K PUBKEY ...] [--threshold N]\n"
"           [--require-uv] [--fido-counter-state FILE]\n"
"           [--fido-attestation-roots CA.pem]\n"
"           [--json | --print-payload] ENVELOPE [ARTIFACT ...]\n");
}

#define usage_error(why)	usage_fail(usage, (why))

/* The verdict, collected for --json and the human summary. */
struct verdict {
	json_t		*root;
	json_t		*subjects;
	int		 json;
	int		 print;		/* stdout holds only the payload */
};

static void
verdict_fail(struct verdict *v, const char *why)
{
	if (v->root != NULL) {
		json_object_set_new(v->root, "verified", json_false());
		json_object_set_new(v->root, "error", json_string(why));
	}
}

static int
finish(struct verdict *v, int rc)
{
	char *s;

	if (v->json && v->root != NULL && rc != EXIT_ERROR) {
		if (rc == EXIT_OK)
			json_object_set_new(v->root, "verified", json_true());
		/* non-ASCII as \uXXXX: no C1 or bidi control as such */
		if ((s = json_dumps_whole(v->root, JSON_INDENT(2) |
		    JSON_ENSURE_ASCII)) != NULL) {
			printf("%s\n", s);
			free(s);
		}
	}
	json_decref(v->root);
	return rc;
}

/* Record a verdict failure with the diag message, print it, return 1/2. */
static int
fail_with(struct verdict *v, const char *name, const attest_diag_t *diag,
    attest_err_t r)
{
	const char *msg = attest_diag_get_message(diag);

	verdict_fail(v, msg != NULL ? msg : attest_strerror(r));
	return report(name, diag, r);
}

/* PREFIX.pub -> PREFIX.att; any other name gets .att appended. */
static char *
att_path(const char *pub)
{
	size_t n = strlen(pub);
	char *s;

	if ((s = malloc(n + 8)) == NULL)
		err(EXIT_ERROR, "malloc");
	if (n > 4 && strcmp(pub + n - 4, ".pub") == 0)
		n -= 4;
	(void)snprintf(s, n + 8, "%.*s.att", (int)n, pub);
	return s;
}

/*
 * --fido-attestation-roots: check the attestation file beside a FIDO
 * public key, before any envelope is looked at.
 */
static int
check_attestation(struct verdict *v, const char *pubpath,
    const attest_pubkey_t *pk, const char *roots, json_t *atts)
{
	attest_fido_attestation_info_t info;
	attest_diag_t *diag;
	unsigned char *buf = NULL;
	size_t len = 0;
	char *ap = att_path(pubpath);
	json_t *o;
	attest_err_t r;
	int rc = EXIT_OK;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	(void)attest_diag_set_file(diag, ap);
	if ((r = attest_file_read_alloc(ap, ATTEST_MAX_KEYFILE_BYTES, &buf,
	    &len, diag)) == ATTEST_OK)
		r = attest_fido_attestation_verify(pk, buf, len, roots, &info,
		    diag);
	o = json_object();
	json_object_set_new(o, "keyid", json_string(attest_pubkey_keyid(pk)));
	json_object_set_new(o, "file", json_string(ap));
	json_object_set_new(o, "checked", json_boolean(r == ATTEST_OK));
	if (r == ATTEST_OK) {
		json_object_set_new(o, "aaguid", json_string(info.aaguid));
		json_object_set_new(o, "model", json_string(info.model));
		json_object_set_new(o, "issuer", json_string(info.issuer));
		if (!v->json && !v->print)
			printf("%s: attestation OK: AAGUID %s, %s (issued by "
			    "%s)\n", esc(pubpath), esc(info.aaguid),
			    esc(info.model), esc(info.issuer));
	}
	json_array_append_new(atts, o);
	if (r != ATTEST_OK) {
		/* a key whose hardware origin fails is not trusted: a "no" */
		if (r == ATTEST_ERR_PARSE || r == ATTEST_ERR_UNSUPPORTED ||
		    r == ATTEST_ERR_KEY)
			r = ATTEST_ERR_POLICY;
		rc = fail_with(v, ap, diag, r);
	}
	free(ap);
	attest_freezero(buf, len);
	attest_diag_free(&diag);
	return rc;
}

static json_t *
fido_json(unsigned int flags, uint32_t counter)
{
	json_t *o = json_object(), *f = json_array();

	if (flags & ATTEST_FIDO_FLAG_UP)
		json_array_append_new(f, json_string("UP"));
	if (flags & ATTEST_FIDO_FLAG_UV)
		json_array_append_new(f, json_string("UV"));
	json_object_set_new(o, "flags", f);
	json_object_set_new(o, "counter", json_integer(counter));
	return o;
}

static json_t *
digest_json(const attest_stmt_t *stmt, size_t i)
{
	json_t *o = json_object();
	size_t j;

	for (j = 0; o != NULL && j < attest_stmt_digest_count(stmt, i); j++)
		json_object_set_new(o, attest_stmt_digest_alg(stmt, i, j),
		    json_string(attest_stmt_digest_hex(stmt, i, j)));
	return o;
}

static int
check_artifacts(struct verdict *v, const attest_stmt_t *stmt, char **arts,
    int n)
{
	attest_digest_t *d = NULL;
	attest_diag_t *diag;
	struct progress pg;
	unsigned int algs = attest_stmt_digest_algs(stmt);
	size_t idx;
	json_t *o;
	attest_err_t r;
	int i, rc = EXIT_OK;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if (algs == 0) {
		verdict_fail(v, "no subject has a sha256, sha384 or sha512 "
		    "digest");
		warnx("no subject has a sha256, sha384 or sha512 digest to "
		    "check artifacts against");
		attest_diag_free(&diag);
		return EXIT_VERDICT;
	}
	for (i = 0; i < n; i++) {
		attest_diag_clear(diag);
		progress_init(&pg, arts[i]);
		r = attest_digest_file(arts[i], algs, &d, progress_cb, &pg,
		    diag);
		progress_end(&pg);
		if (r != ATTEST_OK) {
			rc = fail_with(v, arts[i], diag, r);
			break;
		}
		r = attest_stmt_match(stmt, d, &idx, diag);
		attest_digest_free(&d);
		o = json_object();
		json_object_set_new(o, "artifact", json_string(arts[i]));
		json_object_set_new(o, "matched", json_boolean(r == ATTEST_OK));
		if (r == ATTEST_OK) {
			if (attest_stmt_subject_name(stmt, idx) != NULL)
				json_object_set_new(o, "subject", json_string(
				    attest_stmt_subject_name(stmt, idx)));
			json_object_set_new(o, "digest",
			    digest_json(stmt, idx));
			if (!v->json && !v->print)
				print_subject_ok(arts[i], stmt, idx);
		}
		json_array_append_new(v->subjects, o);
		if (r != ATTEST_OK) {
			rc = fail_with(v, arts[i], diag, r);
			/* keep going: report every artifact */
		}
	}
	attest_diag_free(&diag);
	return rc;
}

/*
 * --print-payload: the signed bytes as they are, for a pipe or a file.
 * On a terminal they are escaped as text (lines kept, a NUL as "\x00"),
 * so that a payload cannot drive it.  0, or -1 on a write error.
 */
static int
print_payload(const unsigned char *p, size_t len)
{
	char *copy, *e;
	size_t i, n, m;
	int rc = 0;

	if (!isatty(STDOUT_FILENO))
		return fwrite(p, 1, len, stdout) == len ? 0 : -1;
	if ((copy = malloc(len + 1)) == NULL)
		errx(EXIT_ERROR, "out of memory");
	memcpy(copy, p, len);
	copy[len] = '\0';
	for (i = 0; rc == 0 && i < len; i += n + 1) {
		n = strlen(copy + i);
		if ((m = attest_text_escape(NULL, 0, copy + i,
		    ATTEST_TEXT_NEWLINE)) == SIZE_MAX ||
		    (e = malloc(m + 1)) == NULL)
			errx(EXIT_ERROR, "out of memory");
		(void)attest_text_escape(e, m + 1, copy + i,
		    ATTEST_TEXT_NEWLINE);
		if (fputs(e, stdout) == EOF ||
		    (i + n < len && fputs("\\x00", stdout) == EOF))
			rc = -1;
		free(e);
	}
	free(copy);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *pubpaths[MAX_PUBKEYS], *envpath;
	struct verdict v = { NULL, NULL, 0, 0 };
	attest_keyset_t *ks = NULL;
	attest_pubkey_t *pk = NULL;
	attest_envelope_t *env = NULL;
	attest_verified_t *ver = NULL;
	attest_stmt_t *stmt = NULL;
	attest_diag_t *diag = NULL;
	unsigned char *buf = NULL;
	unsigned long long threshold = 1;
	size_t len = 0, npub = 0, i, nfido = 0;
	int ch, print = 0, rc = EXIT_ERROR, require_uv = 0;
	const char *ctr_state = NULL, *roots = NULL;
	unsigned int fflags;
	uint32_t counter;
	json_t *keys, *atts = NULL;
	attest_err_t r;

	while ((ch = getopt_long(argc, argv, "K:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'K':
			if (npub == MAX_PUBKEYS)
				usage_error("too many -K");
			pubpaths[npub++] = optarg;
			break;
		case OPT_THRESHOLD:
			if (parse_uint(optarg, 1, MAX_PUBKEYS, &threshold) != 0)
				usage_error("--threshold: a number from 1 to "
				    "the number of -K keys");
			break;
		case OPT_JSON:
			v.json = 1;
			break;
		case OPT_PRINT:
			print = 1;
			break;
		case OPT_REQUIRE_UV:
			require_uv = 1;
			break;
		case OPT_COUNTER_STATE:
			ctr_state = optarg;
			break;
		case OPT_ATT_ROOTS:
			roots = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case OPT_VERSION:
			print_version();
		default:
			usage(stderr);
			exit(EXIT_ERROR);
		}
	}
	argc -= optind;
	argv += optind;
	if (npub == 0)
		usage_error("at least one -K PUBKEY is required");
	if (argc < 1)
		usage_error("name the ENVELOPE to verify");
	if (v.json && print)
		usage_error("--json and --print-payload both use stdout");
	if (print && roots != NULL)
		usage_error("--print-payload and --fido-attestation-roots both "
		    "use stdout");
	v.print = print;
	if (threshold > npub)
		usage_error("--threshold is larger than the number of -K keys");
	envpath = argv[0];
	if (attest_init(0) != ATTEST_OK)
		errx(EXIT_ERROR, "cannot initialise libattest");
	if ((diag = attest_diag_new()) == NULL || (ks = attest_keyset_new()) ==
	    NULL || (v.root = json_object()) == NULL ||
	    (v.subjects = json_array()) == NULL || (atts = json_array()) ==
	    NULL)
		errx(EXIT_ERROR, "out of memory");
	for (i = 0; i < npub; i++) {
		attest_diag_clear(diag);
		if ((r = attest_pubkey_load(&pk, pubpaths[i], diag)) !=
		    ATTEST_OK) {
			rc = report(pubpaths[i], diag, r);
			goto done;
		}
		if (attest_pubkey_fido_rp_id(pk) != NULL) {
			nfido++;
			if (require_uv &&
			    attest_pubkey_set_fido_uv(pk, 1) != ATTEST_OK)
				errx(EXIT_ERROR, "cannot demand UV");
			if (roots != NULL && (rc = check_attestation(&v,
			    pubpaths[i], pk, roots, atts)) != EXIT_OK) {
				attest_pubkey_free(&pk);
				goto done;
			}
		}
		r = attest_keyset_add(ks, pk);
		attest_pubkey_free(&pk);
		if (r == ATTEST_ERR_DUPLICATE) {
			warnx("%s: the same key was given twice",
			    esc(pubpaths[i]));
			goto done;
		} else if (r != ATTEST_OK) {
			rc = report(pubpaths[i], NULL, r);
			goto done;
		}
	}
	attest_diag_clear(diag);
	if ((r = attest_file_read_alloc(envpath, ATTEST_MAX_ENVELOPE_BYTES,
	    &buf, &len, diag)) != ATTEST_OK ||
	    (r = attest_envelope_parse(&env, buf, len, diag)) != ATTEST_OK) {
		rc = report(envpath, diag, r);
		goto done;
	}
	/* the text is parsed: not held while the payload is (issue 14 §4) */
	attest_freezero(buf, len);
	buf = NULL;
	len = 0;
	if (nfido == 0 && (require_uv || ctr_state != NULL || roots != NULL)) {
		warnx("--require-uv, --fido-counter-state and "
		    "--fido-attestation-roots need a FIDO key among the -K keys");
		goto done;
	}
	if (roots != NULL)
		json_object_set_new(v.root, "attestations", json_incref(atts));
	json_object_set_new(v.root, "envelope", json_string(envpath));
	json_object_set_new(v.root, "threshold", json_integer(
	    (json_int_t)threshold));
	r = attest_envelope_verify(env, ks, (size_t)threshold, &ver, diag);
	attest_envelope_free(&env);	/* ver holds the payload */
	keys = json_array();
	for (i = 0; i < attest_verified_key_count(ver); i++) {
		const attest_pubkey_t *k = attest_verified_key(ver, i);
		json_t *o = json_object();

		json_object_set_new(o, "keyid",
		    json_string(attest_pubkey_keyid(k)));
		json_object_set_new(o, "algorithm",
		    json_string(attest_alg_name(attest_pubkey_alg(k))));
		if (attest_verified_fido(ver, i, &fflags, &counter))
			json_object_set_new(o, "fido", fido_json(fflags,
			    counter));
		json_array_append_new(keys, o);
	}
	json_object_set_new(v.root, "keys", keys);
	if (r != ATTEST_OK) {
		rc = fail_with(&v, envpath, diag, r);
		goto done;
	}
	/* from here on only the verified payload is looked at */
	json_object_set_new(v.root, "payloadType",
	    json_string(attest_verified_payload_type(ver)));
	if (strcmp(attest_verified_payload_type(ver),
	    ATTEST_PAYLOAD_TYPE_INTOTO) == 0) {
		attest_diag_clear(diag);
		if ((r = attest_stmt_parse(&stmt,
		    attest_verified_payload_ptr(ver),
		    attest_verified_payload_len(ver), diag)) != ATTEST_OK) {
			attest_diag_prefix_field(diag, "payload");
			/* signed, but not a Statement we accept: a "no" */
			rc = fail_with(&v, envpath, diag, ATTEST_ERR_VERIFY);
			goto done;
		}
		json_object_set_new(v.root, "predicateType",
		    json_string(attest_stmt_predicate_type(stmt)));
	} else if (argc > 1) {
		verdict_fail(&v, "payload is not an in-toto Statement; "
		    "artifacts cannot be checked");
		warnx("%s: payloadType %s is not an in-toto Statement; "
		    "artifacts cannot be checked", esc(envpath),
		    esc(attest_verified_payload_type(ver)));
		rc = EXIT_VERDICT;
		goto done;
	}
	json_object_set_new(v.root, "subjects", json_incref(v.subjects));
	if (argc > 1 && (rc = check_artifacts(&v, stmt, argv + 1,
	    argc - 1)) != EXIT_OK)
		goto done;
	/* the counters move on only for an envelope that passed everything */
	if (ctr_state != NULL) {
		attest_diag_clear(diag);
		if ((r = attest_fido_counter_check(ctr_state, ver, diag)) !=
		    ATTEST_OK) {
			rc = fail_with(&v, ctr_state, diag, r);
			goto done;
		}
	}
	for (i = 0; !v.json && !print && i < attest_verified_key_count(ver);
	    i++) {
		if (!attest_verified_fido(ver, i, &fflags, &counter))
			continue;
		printf("key %s: FIDO %s%s, counter %lu%s%s\n",
		    attest_pubkey_keyid(attest_verified_key(ver, i)),
		    (fflags & ATTEST_FIDO_FLAG_UP) ? "user present" : "",
		    (fflags & ATTEST_FIDO_FLAG_UV) ? ", user verified" : "",
		    (unsigned long)counter, counter == 0 ?
		    " (the authenticator does not count signatures)" : "",
		    roots == NULL ? "; attestation not checked" : "");
	}
	if (print) {
		if (print_payload(attest_verified_payload_ptr(ver),
		    attest_verified_payload_len(ver)) != 0 ||
		    fflush(stdout) != 0) {
			warnx("stdout: write error");
			rc = EXIT_ERROR;
			goto done;
		}
	} else if (!v.json)
		printf("%s: verified by %zu of %llu required key%s\n",
		    esc(envpath), attest_verified_key_count(ver), threshold,
		    threshold == 1 ? "" : "s");
	rc = EXIT_OK;
done:
	rc = finish(&v, rc);
	json_decref(v.subjects);
	json_decref(atts);
	attest_stmt_free(&stmt);
	attest_verified_free(&ver);
	attest_envelope_free(&env);
	attest_keyset_free(&ks);
	attest_diag_free(&diag);
	attest_freezero(buf, len);
	return rc;
}
