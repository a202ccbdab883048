/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the private key file parser (specs/keyfile.md): attest_key_parse()
 * with a fixed test passphrase, then a round trip: the parsed key written
 * back unencrypted, parsed again and written again must give the same
 * bytes and the same key id.
 *
 * Argon2id cost: a file may ask for up to opslimit 32 and 1 GiB, seconds
 * per input.  The harness reads the parameters itself first and gives
 * the passphrase only when they are tiny (opslimit <= 2, memlimit <= 1
 * MiB, as in the seeds); otherwise the callback refuses and the parser
 * stops just before the KDF, every check before it still fuzzed.
 */
#include <jansson.h>

#include "fuzz.h"

#define CHEAP_OPS	2
#define CHEAP_MEM	(1024 * 1024)

static attest_err_t
pass_cb(void *arg, attest_secret_kind_t kind, const char *what, int confirm,
    char *buf, size_t size, size_t *len)
{
	size_t n = strlen(FUZZ_PASSPHRASE);

	(void)what;
	(void)confirm;
	if (arg == NULL || kind != ATTEST_SECRET_PASSPHRASE || size < n)
		return ATTEST_ERR_CANCELLED;
	memcpy(buf, FUZZ_PASSPHRASE, n);
	*len = n;
	return ATTEST_OK;
}

/* Are the KDF parameters absent or cheap?  When in doubt, no. */
static int
kdf_cheap(const uint8_t *data, size_t size)
{
	json_t *root, *enc, *ops, *mem;
	int ok = 0;

	if ((root = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return 0;
	enc = json_object_get(root, "encryption");
	if (enc == NULL || json_is_string(enc))
		ok = 1;
	else if ((ops = json_object_get(enc, "opslimit")) != NULL &&
	    (mem = json_object_get(enc, "memlimit")) != NULL &&
	    json_is_integer(ops) && json_is_integer(mem) &&
	    json_integer_value(ops) <= CHEAP_OPS &&
	    json_integer_value(mem) <= CHEAP_MEM)
		ok = 1;
	json_decref(root);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	attest_key_t *k = NULL, *k2 = NULL;
	attest_diag_t *diag;
	unsigned char *out = NULL, *out2 = NULL;
	size_t out_len = 0, out2_len = 0;
	int cheap;
	attest_err_t r;

	fuzz_init();
	cheap = kdf_cheap(data, size);
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	if ((r = attest_key_parse(&k, data, size, pass_cb, cheap ? diag : NULL,
	    diag)) != ATTEST_OK) {
		FUZZ_ASSERT(k == NULL);
		/* every refusal is explained, but the callback's own "no" */
		FUZZ_ASSERT(r == ATTEST_ERR_CANCELLED ||
		    attest_diag_get_message(diag) != NULL);
		goto out;
	}
	FUZZ_ASSERT(k != NULL);
	FUZZ_ASSERT(attest_key_serialize_alloc(k, NULL, 0, 0, 0, &out,
	    &out_len) == ATTEST_OK);
	FUZZ_ASSERT(attest_key_parse(&k2, out, out_len, NULL, NULL, NULL) ==
	    ATTEST_OK);
	FUZZ_ASSERT(attest_key_alg(k) == attest_key_alg(k2));
	FUZZ_ASSERT(strcmp(attest_pubkey_keyid(attest_key_pubkey(k)),
	    attest_pubkey_keyid(attest_key_pubkey(k2))) == 0);
	FUZZ_ASSERT(attest_key_serialize_alloc(k2, NULL, 0, 0, 0, &out2,
	    &out2_len) == ATTEST_OK);
	FUZZ_ASSERT(fuzz_same(out, out_len, out2, out2_len));
out:
	attest_freezero(out, out_len);
	attest_freezero(out2, out2_len);
	attest_key_free(&k);
	attest_key_free(&k2);
	attest_diag_free(&diag);
	return 0;
}
