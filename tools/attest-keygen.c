/*
 * attest-keygen: create or import a signing key.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

enum {
	OPT_NO_PASS = 256, OPT_PASS_FILE, OPT_PASS_ENV, OPT_IMPORT,
	OPT_IMPORT_PASS_FILE, OPT_IMPORT_PASS_ENV, OPT_KDF_OPS, OPT_KDF_MEM,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "type", required_argument, NULL, 't' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "no-passphrase", no_argument, NULL, OPT_NO_PASS },
	{ "passphrase-file", required_argument, NULL, OPT_PASS_FILE },
	{ "passphrase-env", required_argument, NULL, OPT_PASS_ENV },
	{ "import", required_argument, NULL, OPT_IMPORT },
	{ "import-passphrase-file", required_argument, NULL,
	    OPT_IMPORT_PASS_FILE },
	{ "import-passphrase-env", required_argument, NULL,
	    OPT_IMPORT_PASS_ENV },
	{ "kdf-opslimit", required_argument, NULL, OPT_KDF_OPS },
	{ "kdf-memlimit", required_argument, NULL, OPT_KDF_MEM },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: attest-keygen [-f] [-t TYPE] -o PREFIX [--no-passphrase |\n"
"           --passphrase-file FILE | --passphrase-env NAME]\n"
"           [--kdf-opslimit N] [--kdf-memlimit MIB]\n"
"       attest-keygen --import KEY.pem [--import-passphrase-file FILE |\n"
"           --import-passphrase-env NAME] -o PREFIX [passphrase options]\n"
"TYPE: ed25519 (default), ecdsa-p256, ecdsa-p384, rsa-pss-3072.\n"
"Writes PREFIX.key (private, 0600) and PREFIX.pub (PEM), prints the key id.\n");
}

static __attribute__((noreturn)) void
usage_error(const char *why)
{
	warnx("%s", why);
	usage(stderr);
	exit(EXIT_ERROR);
}

static char *
join(const char *prefix, const char *suffix)
{
	size_t n = strlen(prefix) + strlen(suffix) + 1;
	char *s;

	if ((s = malloc(n)) == NULL)
		err(EXIT_ERROR, "malloc");
	(void)snprintf(s, n, "%s%s", prefix, suffix);
	return s;
}

int
main(int argc, char **argv)
{
	struct secret_src pass = { NULL, NULL, "passphrase for the new key" };
	struct secret_src ipass = { NULL, NULL, NULL };
	const char *type = "ed25519", *prefix = NULL, *import = NULL;
	unsigned long long ops = 0, mem_mib = 0;
	char *keypath = NULL, *pubpath = NULL, *passbuf = NULL;
	unsigned char *keytext = NULL, *pubtext = NULL, *pem = NULL;
	size_t keylen = 0, publen = 0, pemlen = 0, passlen = 0;
	attest_diag_t *diag = NULL;
	attest_key_t *key = NULL;
	attest_alg_t alg;
	int ch, force = 0, nopass = 0, type_set = 0, rc = EXIT_ERROR;
	attest_err_t r;

	harden_process();
	while ((ch = getopt_long(argc, argv, "t:o:fh", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			type = optarg;
			type_set = 1;
			break;
		case 'o':
			prefix = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case OPT_NO_PASS:
			nopass = 1;
			break;
		case OPT_PASS_FILE:
			pass.file = optarg;
			break;
		case OPT_PASS_ENV:
			pass.env = optarg;
			break;
		case OPT_IMPORT:
			import = optarg;
			break;
		case OPT_IMPORT_PASS_FILE:
			ipass.file = optarg;
			break;
		case OPT_IMPORT_PASS_ENV:
			ipass.env = optarg;
			break;
		case OPT_KDF_OPS:
			if (parse_uint(optarg, 1, ATTEST_MAX_KDF_OPSLIMIT,
			    &ops) != 0)
				usage_error("--kdf-opslimit: a number from 1 "
				    "to 32");
			break;
		case OPT_KDF_MEM:
			if (parse_uint(optarg, 1, 1024, &mem_mib) != 0)
				usage_error("--kdf-memlimit: MiB from 1 to "
				    "1024");
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
	if (optind != argc)
		usage_error("unexpected argument");
	if (prefix == NULL || *prefix == '\0')
		usage_error("-o PREFIX is required");
	if (nopass + (pass.file != NULL) + (pass.env != NULL) > 1)
		usage_error("choose one of --no-passphrase, --passphrase-file, "
		    "--passphrase-env");
	if (import != NULL && type_set)
		usage_error("--import takes the type from the key; drop -t");
	if (import == NULL && (ipass.file != NULL || ipass.env != NULL))
		usage_error("--import-passphrase-* needs --import");
	if ((alg = attest_alg_from_name(type)) == ATTEST_ALG_NONE)
		usage_error("-t: ed25519, ecdsa-p256, ecdsa-p384 or "
		    "rsa-pss-3072");
	if (attest_init(0) != ATTEST_OK)
		errx(EXIT_ERROR, "cannot initialise libattest");
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	keypath = join(prefix, ".key");
	pubpath = join(prefix, ".pub");
	/* fail before any work, and before asking for a passphrase */
	if (!force && attest_file_exists(keypath) == 1)
		errx(EXIT_ERROR, "%s: exists (use --force to replace it)",
		    keypath);
	if (!force && attest_file_exists(pubpath) == 1)
		errx(EXIT_ERROR, "%s: exists (use --force to replace it)",
		    pubpath);

	if (import != NULL) {
		unsigned char *in = NULL;
		size_t inlen = 0;

		ipass.what = "passphrase of the key to import";
		(void)attest_diag_set_file(diag, import);
		if ((r = attest_file_read_alloc(import,
		    ATTEST_MAX_KEYFILE_BYTES, &in, &inlen, diag)) != ATTEST_OK) {
			rc = report(import, diag, r);
			goto out;
		}
		r = attest_key_import_pem(&key, in, inlen, secret_cb, &ipass,
		    diag);
		attest_freezero(in, inlen);
		if (r != ATTEST_OK) {
			rc = report(import, diag, r);
			goto out;
		}
	} else if ((r = attest_key_generate(&key, alg)) != ATTEST_OK) {
		warnx("cannot generate a %s key: %s", type, attest_strerror(r));
		goto out;
	}

	if (!nopass) {
		if ((passbuf = attest_secure_alloc(
		    ATTEST_MAX_PASSPHRASE_BYTES + 1)) == NULL)
			errx(EXIT_ERROR, "out of memory");
		if ((r = secret_cb(&pass, "passphrase for the new key", 1,
		    passbuf, ATTEST_MAX_PASSPHRASE_BYTES, &passlen)) !=
		    ATTEST_OK)
			goto out;
		if (passlen == 0) {
			warnx("empty passphrase refused (use --no-passphrase "
			    "for an unencrypted key)");
			goto out;
		}
	}
	if ((r = attest_key_serialize_alloc(key, nopass ? NULL : passbuf,
	    passlen, ops, (size_t)mem_mib * 1024 * 1024, &keytext,
	    &keylen)) != ATTEST_OK) {
		warnx("cannot serialise the key: %s", attest_strerror(r));
		goto out;
	}
	if ((r = attest_pubkey_pem_alloc(attest_key_pubkey(key), &pem,
	    &pemlen)) != ATTEST_OK) {
		warnx("cannot encode the public key: %s", attest_strerror(r));
		goto out;
	}
	pubtext = pem;
	publen = pemlen;
	(void)attest_diag_set_file(diag, keypath);
	if ((r = attest_file_write(keypath, keytext, keylen,
	    ATTEST_WRITE_SECRET | (force ? ATTEST_WRITE_FORCE : 0), diag)) !=
	    ATTEST_OK) {
		rc = report(keypath, diag, r);
		goto out;
	}
	attest_diag_clear(diag);
	if ((r = attest_file_write(pubpath, pubtext, publen,
	    force ? ATTEST_WRITE_FORCE : 0, diag)) != ATTEST_OK) {
		rc = report(pubpath, diag, r);
		/* never leave a private key without its public half */
		if (!force)
			(void)unlink(keypath);
		else
			warnx("%s was replaced; %s was not: generate again",
			    keypath, pubpath);
		goto out;
	}
	if (nopass)
		warnx("warning: %s is not encrypted", keypath);
	printf("%s\n", attest_pubkey_keyid(attest_key_pubkey(key)));
	rc = EXIT_OK;
out:
	attest_secure_free(passbuf);
	attest_freezero(keytext, keylen);
	attest_freezero(pem, pemlen);
	attest_key_free(&key);
	attest_diag_free(&diag);
	free(keypath);
	free(pubpath);
	return rc;
}
