/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attest-sign: hash release artifacts and sign an in-toto Statement in a
 * DSSE envelope, or sign any payload as a plain DSSE envelope.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigtool.h"

/* Used when no --predicate-type is given: in-toto's release predicate. */
#define DEFAULT_PREDICATE_TYPE	"https://in-toto.io/attestation/release/v0.1"
#define MAX_KEYS		16

enum {
	OPT_PTYPE = OPT_TOOL, OPT_PREDICATE, OPT_DIGEST, OPT_PAYLOAD,
	OPT_PAYLOAD_TYPE, OPT_COUNTERSIGN, OPT_VERSION
};

static const struct option longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "predicate-type", required_argument, NULL, OPT_PTYPE },
	{ "predicate", required_argument, NULL, OPT_PREDICATE },
	{ "digest", required_argument, NULL, OPT_DIGEST },
	{ "payload", required_argument, NULL, OPT_PAYLOAD },
	{ "payload-type", required_argument, NULL, OPT_PAYLOAD_TYPE },
	{ "countersign", required_argument, NULL, OPT_COUNTERSIGN },
	SECRET_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: attest-sign -k KEYREF [-k KEYREF ...] [-f] -o OUT\n"
"           [--passphrase-file FILE | --passphrase-env NAME]\n"
"           [--pin-file FILE | --pin-env NAME]\n"
"           [--predicate-type URI [--predicate FILE.json]]\n"
"           [--digest sha256[,sha384,sha512]] ARTIFACT ...\n"
"       attest-sign -k KEYREF [-k KEYREF ...] [-f] -o OUT\n"
"           --payload FILE --payload-type TYPE\n"
"       attest-sign -k KEYREF [-k KEYREF ...] [-f] -o OUT\n"
"           --countersign ENVELOPE\n"
"KEYREF: a private key file, a pkcs11: URI, or a FIDO key handle (.fido).\n");
}

#define usage_error(why)	usage_fail(usage, (why))

/* Read the --predicate file (or "{}") and build the Statement. */
static int
build_statement(char **artifacts, int n, unsigned int algs,
    const char *ptype, const char *predfile, unsigned char **out,
    size_t *out_len)
{
	attest_diag_t *diag;
	unsigned char *pred = NULL;
	size_t predlen = 0;
	attest_err_t r;
	int rc;

	if (predfile != NULL) {
		if ((diag = attest_diag_new()) == NULL)
			errx(EXIT_ERROR, "out of memory");
		r = attest_file_read_alloc(predfile,
		    ATTEST_MAX_PREDICATE_BYTES, &pred, &predlen, diag);
		rc = r != ATTEST_OK ? report(predfile, diag, r) : EXIT_OK;
		attest_diag_free(&diag);
		if (rc != EXIT_OK)
			return rc;
	}
	rc = statement_build(artifacts, n, algs, ptype,
	    pred != NULL ? pred : (const unsigned char *)"{}",
	    pred != NULL ? predlen : 2,
	    predfile != NULL ? predfile : "--predicate-type", out, out_len);
	attest_freezero(pred, predlen);
	return rc;
}

/*
 * --countersign: the envelope as it is, plus our signatures over the same
 * PAE.  The signatures already there are not checked here (that is
 * attest-verify's job); a key that already signed is refused.
 */
static int
load_countersign(const char *path, attest_envelope_t **env)
{
	attest_diag_t *diag;
	unsigned char *buf = NULL;
	size_t len = 0;
	attest_err_t r;
	int rc = EXIT_ERROR;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_file_read_alloc(path, ATTEST_MAX_ENVELOPE_BYTES, &buf,
	    &len, diag)) != ATTEST_OK ||
	    (r = attest_envelope_parse(env, buf, len, diag)) != ATTEST_OK) {
		rc = report(path, diag, r);
		goto out;
	}
	/* what is being vouched for, since a security key shows nothing */
	warnx("countersigning %s: payloadType %s, %zu signature%s already",
	    esc(path), esc(attest_envelope_payload_type(*env)),
	    attest_envelope_sig_count(*env),
	    attest_envelope_sig_count(*env) == 1 ? "" : "s");
	rc = EXIT_OK;
out:
	attest_freezero(buf, len);
	attest_diag_free(&diag);
	return rc;
}

int
main(int argc, char **argv)
{
	struct secrets sec;
	const char *keyrefs[MAX_KEYS], *out = NULL, *ptype = NULL;
	const char *predfile = NULL, *digests = "sha256", *payfile = NULL;
	const char *paytype = NULL, *counter = NULL, *why;
	attest_signer_t *signers[MAX_KEYS];
	attest_envelope_t *env = NULL;
	attest_diag_t *diag = NULL;
	unsigned char *payload = NULL;
	size_t paylen = 0, nkeys = 0, i, j;
	unsigned int algs = 0;
	int ch, force = 0, rc = EXIT_ERROR;
	attest_err_t r;

	harden_process();
	memset(signers, 0, sizeof(signers));
	memset(&sec, 0, sizeof(sec));
	while ((ch = getopt_long(argc, argv, "k:o:fh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			if (nkeys == MAX_KEYS)
				usage_error("too many -k (at most 16)");
			keyrefs[nkeys++] = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case OPT_PTYPE:
			ptype = optarg;
			break;
		case OPT_PREDICATE:
			predfile = optarg;
			break;
		case OPT_DIGEST:
			digests = optarg;
			break;
		case OPT_PAYLOAD:
			payfile = optarg;
			break;
		case OPT_PAYLOAD_TYPE:
			paytype = optarg;
			break;
		case OPT_COUNTERSIGN:
			counter = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case OPT_VERSION:
			print_version();
		default:
			if (secret_option(&sec, ch, optarg))
				break;
			usage(stderr);
			exit(EXIT_ERROR);
		}
	}
	argc -= optind;
	argv += optind;
	if (nkeys == 0)
		usage_error("at least one -k KEYREF is required");
	if (out == NULL)
		usage_error("-o OUT is required");
	if ((why = secret_options_conflict(&sec)) != NULL)
		usage_error(why);
	if (counter != NULL && (payfile != NULL || paytype != NULL ||
	    argc > 0 || ptype != NULL || predfile != NULL ||
	    strcmp(digests, "sha256") != 0))
		usage_error("--countersign signs an envelope as it is: no "
		    "artifacts, payload, predicate or digest options");
	if ((payfile == NULL) != (paytype == NULL))
		usage_error("--payload and --payload-type go together");
	if (payfile != NULL && (argc > 0 || ptype != NULL ||
	    predfile != NULL))
		usage_error("--payload signs one payload: no artifacts or "
		    "predicate");
	if (payfile == NULL && counter == NULL && argc == 0)
		usage_error("name at least one ARTIFACT (or use --payload)");
	if (predfile != NULL && ptype == NULL)
		usage_error("--predicate needs --predicate-type");
	if (attest_init(0) != ATTEST_OK)
		errx(EXIT_ERROR, "cannot initialise libattest");
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if (payfile == NULL && counter == NULL &&
	    (r = attest_digest_parse_list(digests, &algs,
	    diag)) != ATTEST_OK) {
		rc = report("--digest", diag, r);
		goto done;
	}
	/* fail before hashing gigabytes or asking for a passphrase */
	if (!force && strcmp(out, "-") != 0 && attest_file_exists(out) == 1) {
		warnx("%s: exists (use --force to replace it)", out);
		goto done;
	}
	/* a bad envelope fails before any secret is asked for */
	if (counter != NULL) {
		if ((rc = load_countersign(counter, &env)) != EXIT_OK)
			goto done;
		rc = EXIT_ERROR;
	}
	if ((rc = signers_open(keyrefs, nkeys, &sec, signers)) != EXIT_OK)
		goto done;
	rc = EXIT_ERROR;
	if (counter != NULL) {
		/* a key that signed already would count once: refuse */
		for (i = 0; i < attest_envelope_sig_count(env); i++)
			for (j = 0; j < nkeys; j++)
				if (attest_envelope_sig_keyid(env, i) != NULL &&
				    strcmp(attest_envelope_sig_keyid(env, i),
				    attest_signer_keyid(signers[j])) == 0) {
					warnx("%s: key %s signed it already",
					    esc(counter), attest_signer_keyid(
					    signers[j]));
					goto done;
				}
	} else if (payfile != NULL) {
		attest_diag_clear(diag);
		if ((r = attest_file_read_alloc(payfile,
		    ATTEST_MAX_PAYLOAD_BYTES, &payload, &paylen, diag)) !=
		    ATTEST_OK) {
			rc = report(payfile, diag, r);
			goto done;
		}
	} else {
		if ((rc = build_statement(argv, argc, algs,
		    ptype != NULL ? ptype : DEFAULT_PREDICATE_TYPE, predfile,
		    &payload, &paylen)) != EXIT_OK)
			goto done;
		rc = EXIT_ERROR;
		paytype = ATTEST_PAYLOAD_TYPE_INTOTO;
	}
	if (env == NULL && (env = attest_envelope_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if (counter == NULL && (r = attest_envelope_set_payload(env, paytype,
	    payload, paylen)) != ATTEST_OK) {
		rc = report(payfile != NULL ? "--payload-type" : "payload",
		    NULL, r);
		goto done;
	}
	rc = envelope_sign_write(env, signers, keyrefs, nkeys, out, force);
done:
	signers_free(signers, nkeys);
	attest_envelope_free(&env);
	attest_freezero(payload, paylen);
	attest_diag_free(&diag);
	return rc;
}
