/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The raw signature rate a chain verification is compared with: the
 * Ed25519 signatures of every line of one bundle, verified COUNT times
 * with libsodium alone (the PAE made once), on THREADS threads.
 *
 *   bench_chain_raw POLICY BUNDLE COUNT THREADS
 *
 * Prints the seconds taken.  bench/run.sh times attest-chain verify on
 * COUNT copies of the bundle and divides.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include <attest.h>

#define MAX_SIGS	64

struct sig {
	unsigned char	*pae;
	size_t		 pae_len;
	unsigned char	 sig[64];
	unsigned char	 pk[32];
};

static struct sig sigs[MAX_SIGS];
static size_t nsigs, count;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned char *
b64(const char *s, size_t *len)
{
	size_t n = strlen(s);
	unsigned char *out = malloc(n + 1);

	if (out == NULL || sodium_base642bin(out, n, s, n, NULL, len, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0)
		abort();
	return out;
}

static void *
work(void *arg)
{
	size_t n = *(size_t *)arg, i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < nsigs; j++)
			if (crypto_sign_verify_detached(sigs[j].sig,
			    sigs[j].pae, sigs[j].pae_len, sigs[j].pk) != 0)
				abort();
	return NULL;
}

int
main(int argc, char **argv)
{
	attest_policy_t *p = NULL;
	const attest_keyset_t *ks;
	char line[1 << 20];
	FILE *f;
	pthread_t tid[64];
	size_t per[64], threads, i;
	double t;

	if (argc != 5 || attest_init(0) != ATTEST_OK ||
	    attest_policy_load(&p, argv[1], NULL) != ATTEST_OK ||
	    (f = fopen(argv[2], "r")) == NULL)
		return 2;
	count = strtoul(argv[3], NULL, 10);
	threads = strtoul(argv[4], NULL, 10);
	if (threads < 1 || threads > 64)
		return 2;
	ks = attest_policy_keyset(p);
	while (fgets(line, sizeof(line), f) != NULL) {
		json_t *e = json_loads(line, 0, NULL), *s;
		unsigned char *payload, *sig;
		size_t plen, slen, k;
		long ki;

		if (e == NULL)
			return 2;
		payload = b64(json_string_value(json_object_get(e, "payload")),
		    &plen);
		json_array_foreach(json_object_get(e, "signatures"), k, s) {
			const attest_pubkey_t *pk;

			if (nsigs == MAX_SIGS)
				return 2;
			ki = attest_keyset_find(ks, json_string_value(
			    json_object_get(s, "keyid")));
			if (ki < 0 || attest_pubkey_alg(pk = attest_keyset_get(ks,
			    (size_t)ki)) != ATTEST_ALG_ED25519)
				return 3;	/* the bench signs with Ed25519 */
			sig = b64(json_string_value(json_object_get(s, "sig")),
			    &slen);
			if (slen != 64 || attest_dsse_pae_alloc(
			    json_string_value(json_object_get(e,
			    "payloadType")), payload, plen,
			    &sigs[nsigs].pae, &sigs[nsigs].pae_len) != ATTEST_OK)
				return 2;
			memcpy(sigs[nsigs].sig, sig, 64);
			memcpy(sigs[nsigs].pk, attest_pubkey_spki_ptr(pk) +
			    attest_pubkey_spki_len(pk) - 32, 32);
			nsigs++;
			free(sig);
		}
		free(payload);
		json_decref(e);
	}
	fclose(f);
	t = now();
	for (i = 0; i < threads; i++) {
		per[i] = count / threads + (i < count % threads ? 1 : 0);
		if (pthread_create(&tid[i], NULL, work, &per[i]) != 0)
			return 2;
	}
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	printf("%.4f %zu\n", now() - t, nsigs * count);
	attest_policy_free(&p);
	return 0;
}
