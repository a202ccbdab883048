/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signing and verifying steps shared by the tools (see sigtool.h).
 */
#include <openssl/evp.h>

#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "sigtool.h"

int
signers_open(const char *const *refs, size_t n, struct secrets *sec,
    attest_signer_t **signers)
{
	attest_diag_t *diag;
	char what[512], shown[512];
	size_t i, j;
	attest_err_t r;
	int rc = EXIT_ERROR;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		(void)snprintf(what, sizeof(what), "passphrase for %s",
		    shown_keyref(refs[i], shown, sizeof(shown)));
		sec->pass.what = what;
		attest_diag_clear(diag);
		r = attest_signer_open(&signers[i], refs[i], secret_cb, sec,
		    diag);
		sec->pass.what = NULL;
		if (attest_diag_get_warning(diag) != NULL)
			warnx("%s: warning: %s", shown_keyref(refs[i], shown,
			    sizeof(shown)), attest_diag_get_warning(diag));
		if (r != ATTEST_OK) {
			rc = report(shown_keyref(refs[i], shown, sizeof(shown)),
			    diag, r);
			goto out;
		}
		for (j = 0; j < i; j++)
			if (strcmp(attest_signer_keyid(signers[i]),
			    attest_signer_keyid(signers[j])) == 0) {
				warnx("%s: the same key as %s", refs[i],
				    refs[j]);
				goto out;
			}
	}
	rc = EXIT_OK;
out:
	attest_diag_free(&diag);
	return rc;
}

void
signers_free(attest_signer_t **signers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		attest_signer_free(&signers[i]);
}

int
statement_build(char *const *artifacts, int n, unsigned int algs,
    const char *ptype, const unsigned char *pred, size_t pred_len,
    const char *what, unsigned char **out, size_t *out_len)
{
	attest_stmt_t *stmt = NULL;
	attest_digest_t *d = NULL;
	attest_diag_t *diag = NULL;
	size_t idx;
	struct progress pg;
	attest_err_t r;
	int i, rc = EXIT_ERROR;

	if ((stmt = attest_stmt_new()) == NULL ||
	    (diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		progress_init(&pg, artifacts[i]);
		r = attest_digest_file(artifacts[i], algs, &d, progress_cb,
		    &pg, diag);
		progress_end(&pg);
		if (r != ATTEST_OK) {
			rc = report(artifacts[i], diag, r);
			goto out;
		}
		if ((r = attest_stmt_add_subject(stmt,
		    base_name(artifacts[i]), &idx)) != ATTEST_OK ||
		    (r = attest_stmt_add_digests(stmt, idx, d)) != ATTEST_OK) {
			rc = report(artifacts[i], NULL, r);
			goto out;
		}
		attest_digest_free(&d);
	}
	attest_diag_clear(diag);
	if ((r = attest_stmt_set_predicate(stmt, ptype, (const char *)pred,
	    pred_len, diag)) != ATTEST_OK) {
		rc = report(what, diag, r);
		goto out;
	}
	if ((r = attest_stmt_serialize_alloc(stmt, out, out_len)) !=
	    ATTEST_OK) {
		rc = report("statement", NULL, r);
		goto out;
	}
	rc = EXIT_OK;
out:
	attest_digest_free(&d);
	attest_stmt_free(&stmt);
	attest_diag_free(&diag);
	return rc;
}

int
envelope_sign_write(attest_envelope_t *env, attest_signer_t **signers,
    const char *const *refs, size_t n, const char *out, int force)
{
	attest_diag_t *diag;
	unsigned char *text = NULL, *line = NULL;
	size_t len = 0, i;
	char shown[512];
	attest_err_t r;
	int rc = EXIT_ERROR;

	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		attest_diag_clear(diag);
		if ((r = attest_envelope_sign(env, signers[i], diag)) !=
		    ATTEST_OK) {
			rc = report(shown_keyref(refs[i], shown, sizeof(shown)),
			    diag, r);
			goto out;
		}
		if (attest_diag_get_warning(diag) != NULL)
			warnx("%s: warning: %s", shown_keyref(refs[i], shown,
			    sizeof(shown)), attest_diag_get_warning(diag));
	}
	if ((r = attest_envelope_serialize_alloc(env, &text, &len)) !=
	    ATTEST_OK) {
		rc = report(out, NULL, r);
		goto out;
	}
	/* one line of JSON, so that envelopes append to a bundle */
	if ((line = malloc(len + 1)) == NULL)
		errx(EXIT_ERROR, "out of memory");
	memcpy(line, text, len);
	line[len] = '\n';
	attest_diag_clear(diag);
	if ((r = attest_file_write(out, line, len + 1,
	    force ? ATTEST_WRITE_FORCE : 0, diag)) != ATTEST_OK) {
		rc = report(out, diag, r);
		goto out;
	}
	rc = EXIT_OK;
out:
	attest_freezero(text, len);
	free(line);
	attest_diag_free(&diag);
	return rc;
}

int
keyset_load(const char *const *paths, size_t n, attest_keyset_t **out)
{
	attest_diag_t *diag;
	attest_pubkey_t *pk = NULL;
	size_t i;
	attest_err_t r;
	int rc = EXIT_ERROR;

	if ((diag = attest_diag_new()) == NULL ||
	    (*out = attest_keyset_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		attest_diag_clear(diag);
		if ((r = attest_pubkey_load(&pk, paths[i], diag)) !=
		    ATTEST_OK) {
			rc = report(paths[i], diag, r);
			goto out;
		}
		r = attest_keyset_add(*out, pk);
		attest_pubkey_free(&pk);
		if (r == ATTEST_ERR_DUPLICATE) {
			warnx("%s: the same key was given twice", paths[i]);
			goto out;
		} else if (r != ATTEST_OK) {
			rc = report(paths[i], NULL, r);
			goto out;
		}
	}
	rc = EXIT_OK;
out:
	if (rc != EXIT_OK)
		attest_keyset_free(out);
	attest_diag_free(&diag);
	return rc;
}

int
envelope_verify_file(const char *path, const attest_keyset_t *ks,
    attest_verified_t **out, unsigned char sha256[32])
{
	attest_diag_t *diag;
	attest_envelope_t *env = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	attest_err_t r;
	int rc;

	*out = NULL;
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_file_read_alloc(path, ATTEST_MAX_ENVELOPE_BYTES, &buf,
	    &len, diag)) != ATTEST_OK ||
	    (r = attest_envelope_parse(&env, buf, len, diag)) != ATTEST_OK ||
	    (r = attest_envelope_verify(env, ks, 1, out, diag)) != ATTEST_OK) {
		attest_verified_free(out);
		rc = report(path, diag, r);
		goto out;
	}
	if (sha256 != NULL && EVP_Digest(buf, len, sha256, NULL, EVP_sha256(),
	    NULL) != 1)
		errx(EXIT_ERROR, "SHA-256 failed");
	rc = EXIT_OK;
out:
	attest_envelope_free(&env);
	attest_freezero(buf, len);
	attest_diag_free(&diag);
	return rc;
}
