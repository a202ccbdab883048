/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the FIDO signature counter state file (--fido-counter-state,
 * attest_fido_counter_check(), keys_fido.c ctr_load/ctr_one): a file on
 * disk that a hostile user of the machine may have written.  The
 * verified envelope is fixed (corpus/envelope/fido-es256.dsse, signed by
 * softfido with fido/es256.pub, counter 2); the input is the state file.
 * Invariants: a refusal has a message and leaves the file as it was; an
 * accepted state accepts the same signature again and is then left as
 * it is (the same envelope checked twice moves nothing).
 */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz.h"

static attest_verified_t *ver;
static char dir[] = "/tmp/fuzz-fido-counter.XXXXXX";
static char path[sizeof(dir) + 16], lock[sizeof(dir) + 24];

static void
cleanup(void)
{
	(void)unlink(path);
	(void)unlink(lock);
	(void)rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	attest_envelope_t *e = NULL;
	attest_keyset_t *ks;
	attest_pubkey_t *pk;
	unsigned char *text;
	size_t len;

	(void)argc;
	(void)argv;
	fuzz_init();
	FUZZ_ASSERT(mkdtemp(dir) != NULL);
	(void)snprintf(path, sizeof(path), "%s/state.json", dir);
	(void)snprintf(lock, sizeof(lock), "%s/state.json.lock", dir);
	FUZZ_ASSERT(atexit(cleanup) == 0);
	FUZZ_ASSERT(attest_pubkey_load(&pk, FUZZ_DIR "/fido/es256.pub",
	    NULL) == ATTEST_OK);
	FUZZ_ASSERT((ks = attest_keyset_new()) != NULL);
	FUZZ_ASSERT(attest_keyset_add(ks, pk) == ATTEST_OK);
	text = fuzz_slurp(FUZZ_DIR "/corpus/envelope/fido-es256.dsse", &len);
	FUZZ_ASSERT(attest_envelope_parse(&e, text, len, NULL) == ATTEST_OK);
	FUZZ_ASSERT(attest_envelope_verify(e, ks, 1, &ver, NULL) ==
	    ATTEST_OK);
	FUZZ_ASSERT(attest_verified_fido(ver, 0, NULL, NULL) == 1);
	attest_envelope_free(&e);
	attest_keyset_free(&ks);
	attest_pubkey_free(&pk);
	free(text);
	return 0;
}

static void
put(const uint8_t *data, size_t size)
{
	int fd;

	FUZZ_ASSERT((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >=
	    0);
	FUZZ_ASSERT(write(fd, data, size) == (ssize_t)size);
	FUZZ_ASSERT(close(fd) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_diag_t *diag;
	unsigned char *after = NULL, *again = NULL;
	size_t after_len = 0, again_len = 0;
	attest_err_t r;

	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	put(data, size);
	r = attest_fido_counter_check(path, ver, diag);
	FUZZ_ASSERT(attest_file_read_alloc(path, 1 << 20, &after, &after_len,
	    NULL) == ATTEST_OK);
	if (r != ATTEST_OK) {
		FUZZ_ASSERT(r == ATTEST_ERR_PARSE || r == ATTEST_ERR_POLICY ||
		    r == ATTEST_ERR_TOO_LARGE || r == ATTEST_ERR_UNSUPPORTED);
		FUZZ_ASSERT(attest_diag_get_message(diag) != NULL);
		FUZZ_ASSERT(fuzz_same(data, size, after, after_len));
		goto out;
	}
	attest_diag_clear(diag);
	if (attest_fido_counter_check(path, ver, diag) != ATTEST_OK) {
		fprintf(stderr, "accepted state refused on the second check: "
		    "%s\n", attest_diag_get_message(diag));
		abort();
	}
	FUZZ_ASSERT(attest_file_read_alloc(path, 1 << 20, &again, &again_len,
	    NULL) == ATTEST_OK);
	FUZZ_ASSERT(fuzz_same(after, after_len, again, again_len));
out:
	free(after);
	free(again);
	attest_diag_free(&diag);
	return 0;
}
