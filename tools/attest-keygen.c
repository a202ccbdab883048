/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attest-keygen: create or import a signing key.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

enum {
	OPT_NO_PASS = OPT_TOOL, OPT_IMPORT, OPT_IMPORT_PASS_FILE,
	OPT_IMPORT_PASS_ENV, OPT_KDF_OPS, OPT_KDF_MEM, OPT_PKCS11, OPT_EXPORT,
	OPT_LIST, OPT_FIDO, OPT_FIDO_LIST, OPT_RP_ID, OPT_RESIDENT, OPT_UV, OPT_VERSION
};

static const struct option longopts[] = {
	{ "type", required_argument, NULL, 't' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "no-passphrase", no_argument, NULL, OPT_NO_PASS },
	{ "import", required_argument, NULL, OPT_IMPORT },
	{ "import-passphrase-file", required_argument, NULL,
	    OPT_IMPORT_PASS_FILE },
	{ "import-passphrase-env", required_argument, NULL,
	    OPT_IMPORT_PASS_ENV },
	{ "kdf-opslimit", required_argument, NULL, OPT_KDF_OPS },
	{ "kdf-memlimit", required_argument, NULL, OPT_KDF_MEM },
	{ "pkcs11", required_argument, NULL, OPT_PKCS11 },
	{ "export-public", no_argument, NULL, OPT_EXPORT },
	{ "pkcs11-list", no_argument, NULL, OPT_LIST },
	{ "fido", no_argument, NULL, OPT_FIDO },
	{ "fido-list", no_argument, NULL, OPT_FIDO_LIST },
	{ "device", required_argument, NULL, 'd' },
	{ "rp-id", required_argument, NULL, OPT_RP_ID },
	{ "resident", no_argument, NULL, OPT_RESIDENT },
	{ "uv", no_argument, NULL, OPT_UV },
	SECRET_LONGOPTS,
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
"       attest-keygen --pkcs11 URI [-t TYPE] -o PREFIX\n"
"           [--pin-file FILE | --pin-env NAME]\n"
"       attest-keygen --pkcs11 URI --export-public -o PREFIX\n"
"       attest-keygen --pkcs11-list [URI]\n"
"       attest-keygen --fido [-d DEVICE] [-t es256 | eddsa] [--rp-id ID]\n"
"           [--resident] [--uv] [--pin-file FILE | --pin-env NAME]\n"
"           -o PREFIX\n"
"       attest-keygen --fido-list\n"
"TYPE: ed25519 (default), ecdsa-p256, ecdsa-p384, rsa-pss-3072.\n"
"Writes PREFIX.key (private, 0600; not for a token key) and PREFIX.pub\n"
"(PEM), and prints the key id.  --fido writes PREFIX.pub, PREFIX.fido\n"
"(the key handle) and PREFIX.att (the device's attestation).\n");
}

#define usage_error(why)	usage_fail(usage, (why))

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

/*
 * DIR/.BASE.tmp-new, where a new file is staged before it is placed, or
 * DIR/.BASE.tmp-old, where the file it replaces is kept until then.
 */
static char *
stage_name(const char *path, const char *tag)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(path) + strlen(tag) + sizeof("/..tmp-");
	char *s;

	if ((s = malloc(n)) == NULL)
		err(EXIT_ERROR, "malloc");
	if (base == NULL)
		(void)snprintf(s, n, ".%s.tmp-%s", path, tag);
	else
		(void)snprintf(s, n, "%.*s/.%s.tmp-%s", (int)(base - path),
		    path, base + 1, tag);
	return s;
}

/* Write PREFIX.pub and, when print is set, print the key id. */
static int
write_pub(const attest_pubkey_t *pub, const char *pubpath, int force,
    int print)
{
	attest_diag_t *diag;
	unsigned char *pem = NULL;
	size_t pemlen = 0;
	attest_err_t r;
	int rc;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_pubkey_pem_alloc(pub, &pem, &pemlen)) != ATTEST_OK ||
	    (r = attest_file_write(pubpath, pem, pemlen,
	    force ? ATTEST_WRITE_FORCE : 0, diag)) != ATTEST_OK)
		rc = report(pubpath, diag, r);
	else {
		if (print)
			printf("%s\n", attest_pubkey_keyid(pub));
		rc = EXIT_OK;
	}
	attest_freezero(pem, pemlen);
	attest_diag_free(&diag);
	return rc;
}

/* What a token says of itself is escaped: a module is not trusted text. */
static void
list_entry(void *arg, const attest_pkcs11_entry_t *e)
{
	(void)arg;
	if (e->label == NULL) {
		printf("token %s (serial %s, module %s)\n  %s\n", esc(e->token),
		    esc(e->serial), e->module != NULL ? esc(e->module) : "?",
		    e->uri != NULL ? esc(e->uri) : "");
		return;
	}
	printf("  key label=%s id=%s %s%s%s\n    %s\n", esc(e->label),
	    e->id[0] ? esc(e->id) : "(none)",
	    e->alg != ATTEST_ALG_NONE ? attest_alg_name(e->alg) :
	    "(not usable by libattest)", e->keyid != NULL ? " keyid=" : "",
	    e->keyid != NULL ? e->keyid : "", e->uri != NULL ? esc(e->uri) :
	    "");
}

static int
fido_list(void)
{
	attest_diag_t *diag;
	attest_fido_device_t *d = NULL;
	size_t n = 0, i;
	attest_err_t r;
	int rc = EXIT_OK;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_fido_device_list(&d, &n, diag)) != ATTEST_OK)
		rc = report("fido", diag, r);
	else if (n == 0)
		printf("no FIDO devices\n");
	for (i = 0; i < n; i++) {
		/* what a device says of itself is escaped */
		printf("%s: %s %s\n", esc(d[i].path), esc(d[i].manufacturer),
		    esc(d[i].product));
		if (d[i].error != NULL) {
			printf("  (cannot be asked: %s)\n", esc(d[i].error));
			continue;
		}
		printf("  firmware 0x%llx, aaguid %s, %s\n  algorithms: %s\n",
		    (unsigned long long)d[i].firmware,
		    d[i].aaguid[0] ? esc(d[i].aaguid) : "(none)",
		    d[i].has_pin > 0 ? "PIN set" : d[i].has_pin == 0 ?
		    "no PIN set" : "no PIN support",
		    d[i].algorithms != NULL && *d[i].algorithms ?
		    esc(d[i].algorithms) : "(not listed)");
	}
	attest_fido_device_list_free(&d, n);
	attest_diag_free(&diag);
	return rc;
}

/* A file placed with a key: its path, its bytes, where it is staged. */
struct outfile {
	const char		*path;
	const unsigned char	*p;
	size_t			 n;
	char			*stage;		/* .BASE.tmp-new */
	char			*old;		/* .BASE.tmp-old, with -f */
	int			 placed;
};

/*
 * Put a key (a private key file, or a FIDO key handle: out[0]) and its
 * public files (out[1..]) in place.  No rename replaces several files
 * at once, so:
 *  1. every file is written whole to a hidden file beside its target
 *     (a full disk or an I/O error fails here, and nothing has changed);
 *  2. with -f, each public file that exists is linked to .BASE.tmp-old;
 *  3. the public files are renamed into place (linked, without -f, so
 *     that an existing file is never replaced), the key last.
 * When a step of 3 fails, the public files placed are put back from
 * their .tmp-old links (or removed): renames, which need no free space.
 * A failed run leaves the old set or nothing, never a key beside
 * another key's public files (tests/fault).
 */
static int
place_key(struct outfile *out, size_t n, int secret, int force)
{
	attest_diag_t *diag;
	size_t i;
	attest_err_t r;
	int rc = EXIT_ERROR;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		out[i].stage = stage_name(out[i].path, "new");
		out[i].old = i > 0 && force ? stage_name(out[i].path, "old") :
		    NULL;
		out[i].placed = 0;
	}
	for (i = 0; i < n; i++) {
		attest_diag_clear(diag);
		(void)attest_diag_set_file(diag, out[i].path);
		if ((r = attest_file_write(out[i].stage, out[i].p, out[i].n,
		    ATTEST_WRITE_FORCE | (i == 0 && secret ?
		    ATTEST_WRITE_SECRET : 0), diag)) != ATTEST_OK) {
			rc = report(out[i].path, diag, r);
			goto undo;
		}
	}
	for (i = 1; i < n; i++) {
		if (out[i].old == NULL)
			continue;
		(void)unlink(out[i].old);
		if (link(out[i].path, out[i].old) != 0) {
			if (errno != ENOENT) {
				warn("%s", out[i].path);
				goto undo;
			}
			free(out[i].old);	/* nothing to keep */
			out[i].old = NULL;
		}
	}
	for (i = n; i-- > 0;) {		/* the key (out[0]) last */
		if (force ? rename(out[i].stage, out[i].path) != 0 :
		    link(out[i].stage, out[i].path) != 0) {
			warn("%s", out[i].path);
			goto undo;
		}
		out[i].placed = 1;
	}
	rc = EXIT_OK;
undo:
	for (i = 0; i < n; i++) {
		if (rc != EXIT_OK && out[i].placed) {
			if (out[i].old == NULL)
				(void)unlink(out[i].path);
			else if (rename(out[i].old, out[i].path) != 0)
				warn("%s was replaced and cannot be put back "
				    "from %s", out[i].path, out[i].old);
		}
		if (out[i].old != NULL)
			(void)unlink(out[i].old);
		(void)unlink(out[i].stage);
		free(out[i].stage);
		free(out[i].old);
	}
	attest_diag_free(&diag);
	return rc;
}

/* --fido: make a credential, write PREFIX.pub, .fido and .att. */
static int
fido_main(const char *device, const char *rp_id, attest_alg_t alg,
    int flags, struct secrets *sec, const char *prefix, int force)
{
	attest_diag_t *diag;
	attest_fido_cred_t *cred = NULL;
	unsigned char *h = NULL, *a = NULL, *p = NULL;
	size_t hl = 0, al = 0, pl = 0;
	struct outfile out[3];
	char *hpath, *apath, *ppath;
	attest_err_t r;
	int rc = EXIT_ERROR;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	hpath = join(prefix, ".fido");
	apath = join(prefix, ".att");
	ppath = join(prefix, ".pub");
	/* refuse before the device is touched */
	if (!force && (attest_file_exists(hpath) == 1 ||
	    attest_file_exists(apath) == 1 || attest_file_exists(ppath) == 1)) {
		warnx("%s.{pub,fido,att}: exists (use --force to replace)",
		    prefix);
		goto out;
	}
	if ((r = attest_fido_generate(&cred, device, rp_id, alg, flags,
	    secret_cb, sec, diag)) != ATTEST_OK) {
		rc = report(device != NULL ? device : "fido", diag, r);
		goto out;
	}
	if ((r = attest_fido_cred_handle_alloc(cred, &h, &hl)) != ATTEST_OK ||
	    (r = attest_fido_cred_attestation_alloc(cred, &a, &al)) !=
	    ATTEST_OK ||
	    (r = attest_pubkey_pem_alloc(attest_fido_cred_pubkey(cred), &p,
	    &pl)) != ATTEST_OK) {
		warnx("%s", attest_strerror(r));
		goto out;
	}
	/* the handle is placed last, as a private key is */
	out[0] = (struct outfile){ .path = hpath, .p = h, .n = hl };
	out[1] = (struct outfile){ .path = apath, .p = a, .n = al };
	out[2] = (struct outfile){ .path = ppath, .p = p, .n = pl };
	if ((rc = place_key(out, 3, 0, force)) != EXIT_OK)
		goto out;
	printf("%s\n", attest_pubkey_keyid(attest_fido_cred_pubkey(cred)));
	warnx("%s credential on %s, rp id %s, attestation %s", attest_alg_name(
	    alg), esc(attest_fido_cred_device(cred)), esc(
	    attest_pubkey_fido_rp_id(attest_fido_cred_pubkey(cred))),
	    esc(attest_fido_cred_fmt(cred)));
	rc = EXIT_OK;
out:
	free(h);
	free(a);
	free(p);
	free(hpath);
	free(apath);
	free(ppath);
	attest_fido_cred_free(&cred);
	attest_diag_free(&diag);
	return rc;
}

/* --pkcs11 modes: generate on the token, export, list. */
static int
pkcs11_main(const char *uri, int list, int export, attest_alg_t alg,
    struct secrets *sec, const char *pubpath, int force)
{
	attest_diag_t *diag;
	attest_pubkey_t *pub = NULL;
	char shown[512];
	attest_err_t r;
	int rc;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if (list)
		r = attest_pkcs11_list(uri, list_entry, NULL, diag);
	else if (export)
		r = attest_pkcs11_export_public(uri, secret_cb, sec, &pub,
		    diag);
	else
		r = attest_pkcs11_generate(uri, alg, secret_cb, sec, &pub,
		    diag);
	if (attest_diag_get_warning(diag) != NULL)
		warnx("warning: %s", attest_diag_get_warning(diag));
	if (r != ATTEST_OK)
		rc = report(uri != NULL ? shown_keyref(uri, shown,
		    sizeof(shown)) : "pkcs11", diag, r);
	else
		rc = list ? EXIT_OK : write_pub(pub, pubpath, force, 1);
	attest_pubkey_free(&pub);
	attest_diag_free(&diag);
	return rc;
}

int
main(int argc, char **argv)
{
	struct secrets sec, isec;
	const char *type = "ed25519", *prefix = NULL, *import = NULL;
	const char *p11 = NULL, *device = NULL, *rp_id = NULL;
	unsigned long long ops = 0, mem_mib = 0;
	char *keypath = NULL, *pubpath = NULL, *passbuf = NULL;
	struct outfile out[2];
	unsigned char *keytext = NULL, *pem = NULL;
	size_t keylen = 0, pemlen = 0, passlen = 0;
	attest_diag_t *diag = NULL;
	attest_key_t *key = NULL;
	attest_alg_t alg;
	int ch, force = 0, nopass = 0, type_set = 0, list = 0, export = 0;
	int fido = 0, fido_ls = 0, fflags = 0;
	int rc = EXIT_ERROR;
	attest_err_t r;

	harden_process();
	memset(&sec, 0, sizeof(sec));
	memset(&isec, 0, sizeof(isec));
	sec.pass.what = "passphrase for the new key";
	isec.pass.what = "passphrase of the key to import";
	while ((ch = getopt_long(argc, argv, "t:o:d:fh", longopts, NULL)) != -1) {
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
		case OPT_IMPORT:
			import = optarg;
			break;
		case OPT_IMPORT_PASS_FILE:
			isec.pass.file = optarg;
			break;
		case OPT_IMPORT_PASS_ENV:
			/* captured and cleared now, as --passphrase-env */
			(void)secret_option(&isec, OPT_PASS_ENV, optarg);
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
		case OPT_PKCS11:
			p11 = optarg;
			break;
		case OPT_EXPORT:
			export = 1;
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_FIDO:
			fido = 1;
			break;
		case OPT_FIDO_LIST:
			fido_ls = 1;
			break;
		case 'd':
			device = optarg;
			break;
		case OPT_RP_ID:
			rp_id = optarg;
			break;
		case OPT_RESIDENT:
			fflags |= ATTEST_FIDO_RESIDENT;
			break;
		case OPT_UV:
			fflags |= ATTEST_FIDO_UV;
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
	if (fido_ls) {
		if (argc != 2)
			usage_error("--fido-list takes no other option");
		if (attest_init(0) != ATTEST_OK)
			errx(EXIT_ERROR, "cannot initialise libattest");
		return fido_list();
	}
	if (!fido && (device != NULL || rp_id != NULL || fflags))
		usage_error("-d, --rp-id, --resident and --uv go with --fido");
	if (fido) {
		if (!type_set)
			type = "es256";
		if (strcmp(type, "es256") == 0 ||
		    strcmp(type, "fido-es256") == 0)
			alg = ATTEST_ALG_FIDO_ES256;
		else if (strcmp(type, "eddsa") == 0 ||
		    strcmp(type, "fido-eddsa") == 0)
			alg = ATTEST_ALG_FIDO_EDDSA;
		else
			usage_error("-t with --fido: es256 or eddsa");
		if (p11 != NULL || list || export || import != NULL ||
		    nopass || sec.pass.file || sec.pass.env || ops || mem_mib)
			usage_error("--fido makes a key on a security key: no "
			    "--pkcs11, --import or passphrase options");
		if (optind != argc)
			usage_error("unexpected argument");
		if (prefix == NULL || *prefix == '\0')
			usage_error("-o PREFIX is required");
		if (sec.pin.file != NULL && sec.pin.env != NULL)
			usage_error("choose one of --pin-file, --pin-env");
		if (attest_init(0) != ATTEST_OK)
			errx(EXIT_ERROR, "cannot initialise libattest");
		return fido_main(device, rp_id, alg, fflags, &sec, prefix,
		    force);
	}
	if (type == NULL ||
	    (alg = attest_alg_from_name(type)) == ATTEST_ALG_NONE ||
	    attest_alg_name(alg) == NULL || strncmp(type, "fido-", 5) == 0)
		usage_error("-t: ed25519, ecdsa-p256, ecdsa-p384 or "
		    "rsa-pss-3072");
	if (sec.pin.file != NULL && sec.pin.env != NULL)
		usage_error("choose one of --pin-file, --pin-env");
	if (list) {
		if (p11 != NULL || export || prefix != NULL || import != NULL ||
		    argc - optind > 1)
			usage_error("--pkcs11-list takes at most one URI");
		if (attest_init(0) != ATTEST_OK)
			errx(EXIT_ERROR, "cannot initialise libattest");
		return pkcs11_main(optind < argc ? argv[optind] : NULL, 1, 0,
		    alg, &sec, NULL, 0);
	}
	if (optind != argc)
		usage_error("unexpected argument");
	if (prefix == NULL || *prefix == '\0')
		usage_error("-o PREFIX is required");
	if (export && p11 == NULL)
		usage_error("--export-public needs --pkcs11 URI");
	if (p11 != NULL && (import != NULL || nopass || sec.pass.file ||
	    sec.pass.env || ops || mem_mib))
		usage_error("a token key has no key file: no --import or "
		    "passphrase options with --pkcs11");
	if (p11 != NULL && !attest_keyref_is_pkcs11(p11))
		usage_error("--pkcs11 takes a pkcs11: URI");
	if (p11 == NULL && (sec.pin.file || sec.pin.env))
		usage_error("--pin-file and --pin-env go with --pkcs11");
	if (nopass + (sec.pass.file != NULL) + (sec.pass.env != NULL) > 1)
		usage_error("choose one of --no-passphrase, --passphrase-file, "
		    "--passphrase-env");
	if (import != NULL && type_set)
		usage_error("--import takes the type from the key; drop -t");
	if (import == NULL && (isec.pass.file != NULL ||
	    isec.pass.env != NULL))
		usage_error("--import-passphrase-* needs --import");
	if (attest_init(0) != ATTEST_OK)
		errx(EXIT_ERROR, "cannot initialise libattest");
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	keypath = join(prefix, ".key");
	pubpath = join(prefix, ".pub");
	/* fail before any work, and before asking for a secret */
	if (!force && p11 == NULL && attest_file_exists(keypath) == 1) {
		warnx("%s: exists (use --force to replace it)", keypath);
		goto out;
	}
	if (!force && attest_file_exists(pubpath) == 1) {
		warnx("%s: exists (use --force to replace it)", pubpath);
		goto out;
	}
	if (p11 != NULL) {
		rc = pkcs11_main(p11, 0, export, alg, &sec, pubpath, force);
		goto out;
	}

	if (import != NULL) {
		unsigned char *in = NULL;
		size_t inlen = 0;

		(void)attest_diag_set_file(diag, import);
		if ((r = attest_file_read_alloc(import,
		    ATTEST_MAX_KEYFILE_BYTES, &in, &inlen, diag)) != ATTEST_OK) {
			rc = report(import, diag, r);
			goto out;
		}
		r = attest_key_import_pem(&key, in, inlen, secret_cb, &isec,
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
		if ((r = secret_cb(&sec, ATTEST_SECRET_PASSPHRASE,
		    "passphrase for the new key", 1, passbuf,
		    ATTEST_MAX_PASSPHRASE_BYTES, &passlen)) != ATTEST_OK)
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
		warnx("%s", attest_strerror(r));
		goto out;
	}
	out[0] = (struct outfile){ .path = keypath, .p = keytext,
	    .n = keylen };
	out[1] = (struct outfile){ .path = pubpath, .p = pem, .n = pemlen };
	if ((rc = place_key(out, 2, 1, force)) != EXIT_OK)
		goto out;
	printf("%s\n", attest_pubkey_keyid(attest_key_pubkey(key)));
	if (nopass)
		warnx("warning: %s is not encrypted", keypath);
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
