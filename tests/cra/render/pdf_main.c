/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test driver: the PDF of a CRA Statement, through the text rendering
 * with the fixed signature facts of render_main.c and tools/doc_pdf.c.
 *
 *	pdf_main STATEMENT.json OUT.pdf
 *
 * Exit 0 written, 2 refused or failed (the reason on standard error).
 */
#include <stdio.h>
#include <stdlib.h>

#include "attest.h"
#include "attest/cra.h"
#include "doc_pdf.h"

static const attest_cra_sigfacts_t fixed_sig = {
	.keyid =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	.algorithm = "ed25519",
	.envelope_sha256 =
	    "5f1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff0",
	.envelope_name = "doc.intoto.json",
	.pubkey_name = "maker.pub",
};

int
main(int argc, char **argv)
{
	struct doc_pdf_opts o;
	attest_diag_t *diag;
	unsigned char *in = NULL, *txt = NULL;
	size_t in_len = 0, txt_len = 0;
	char buf[1024], err[512];
	int rc = 2;
	attest_err_t r;

	if (argc != 3) {
		fprintf(stderr, "usage: pdf_main IN OUT.pdf\n");
		return 2;
	}
	if (attest_init(0) != ATTEST_OK || (diag = attest_diag_new()) == NULL)
		return 2;
	if ((r = attest_file_read_alloc(argv[1], 1UL << 20, &in, &in_len,
	    diag)) != ATTEST_OK ||
	    (r = attest_cra_render(in, in_len, &fixed_sig, ATTEST_CRA_TEXT,
	    &txt, &txt_len, diag)) != ATTEST_OK) {
		fprintf(stderr, "pdf_main: %s: %s\n", argv[1],
		    attest_diag_get_message(diag) ?
		    attest_diag_get_message(diag) : attest_strerror(r));
		goto out;
	}
	if (doc_pdf_scan(txt, txt_len, &o, buf, sizeof(buf)) != 0) {
		fprintf(stderr, "pdf_main: %s: not a text rendering\n",
		    argv[1]);
		goto out;
	}
	printf("title=%s\ndoc_ref=%s\nce_marking=%d\nnb_number=%s\n",
	    o.title, o.doc_ref ? o.doc_ref : "-", o.ce_marking,
	    o.nb_number ? o.nb_number : "-");
	if (doc_pdf_render(txt, txt_len, &o, argv[2], err, sizeof(err)) != 0) {
		fprintf(stderr, "pdf_main: %s\n", err);
		goto out;
	}
	rc = 0;
out:
	attest_freezero(in, in_len);
	attest_freezero(txt, txt_len);
	attest_diag_free(&diag);
	doc_pdf_cleanup();
	return rc;
}
