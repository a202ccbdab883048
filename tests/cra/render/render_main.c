/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test driver: render a CRA Statement with fixed signature facts.
 *
 *	render_main text|html STATEMENT.json OUT
 *
 * OUT "-" is standard output.  Exit 0 rendered, 2 refused (the reason,
 * from the diagnostics, on standard error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest.h"
#include "attest/cra.h"

/* The signature facts of the golden files (tests/cra/render/\*.txt). */
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
	attest_diag_t *diag;
	unsigned char *in = NULL, *out = NULL;
	size_t in_len = 0, out_len = 0;
	FILE *f;
	int fmt, rc = 2;
	attest_err_t r;

	if (argc != 4 || (strcmp(argv[1], "text") != 0 &&
	    strcmp(argv[1], "html") != 0)) {
		fprintf(stderr, "usage: render_main text|html IN OUT\n");
		return 2;
	}
	fmt = strcmp(argv[1], "text") == 0 ? ATTEST_CRA_TEXT : ATTEST_CRA_HTML;
	if (attest_init(0) != ATTEST_OK || (diag = attest_diag_new()) == NULL)
		return 2;
	if ((r = attest_file_read_alloc(argv[2], 1UL << 20, &in, &in_len,
	    diag)) != ATTEST_OK ||
	    (r = attest_cra_render(in, in_len, &fixed_sig, fmt, &out,
	    &out_len, diag)) != ATTEST_OK) {
		fprintf(stderr, "render_main: %s: %s: %s\n", argv[2],
		    attest_strerror(r), attest_diag_get_message(diag) ?
		    attest_diag_get_message(diag) : "-");
		goto out;
	}
	f = strcmp(argv[3], "-") == 0 ? stdout : fopen(argv[3], "wb");
	if (f == NULL || fwrite(out, 1, out_len, f) != out_len ||
	    (f != stdout && fclose(f) != 0)) {
		perror(argv[3]);
		goto out;
	}
	rc = 0;
out:
	attest_freezero(in, in_len);
	attest_freezero(out, out_len);
	attest_diag_free(&diag);
	return rc;
}
