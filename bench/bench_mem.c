/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory of verifying a record made of many small values (issue 14 §4):
 * Statements of 1 MiB and 16 MiB whose predicate is one array of 0s, or
 * of small objects {"n":0}, signed here with a fresh Ed25519 key.  For
 * each, in this process: the envelope parsed and verified, the Statement
 * parsed, and the most jansson held at once while parsing it, against
 * the payload's size.  The envelopes and the public key are written to
 * DIR for bench/run.sh, which measures attest-verify's peak RSS on them.
 *
 *   bench_mem DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attest.h>

/* libattest internals (json_int.h): what the last parse held at most */
size_t attest_json_last_peak(void);

#define MIB	(1024UL * 1024)

static void
die(const char *what, attest_err_t r)
{
	fprintf(stderr, "bench_mem: %s: %s\n", what, attest_strerror(r));
	exit(1);
}

/* A Statement of about @p size bytes: predicate {"a":[V,V,...]}. */
static unsigned char *
statement(size_t size, const char *v, size_t *len)
{
	static const char head[] = "{\"_type\":\"https://in-toto.io/Statement/"
	    "v1\",\"subject\":[{\"name\":\"x\",\"digest\":{\"sha256\":\""
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "\"}}],\"predicateType\":\"https://example.com/many/v1\","
	    "\"predicate\":{\"a\":[";
	size_t vl = strlen(v), n = strlen(head);
	unsigned char *p;

	if ((p = malloc(size + vl + 8)) == NULL)
		die("statement", ATTEST_ERR_NO_MEMORY);
	memcpy(p, head, n);
	memcpy(p + n, v, vl);
	n += vl;
	while (n + vl + 4 < size) {
		p[n++] = ',';
		memcpy(p + n, v, vl);
		n += vl;
	}
	memcpy(p + n, "]}}", 3);
	*len = n + 3;
	return p;
}

static void
write_file(const char *path, const unsigned char *p, size_t len)
{
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "bench_mem: %s: cannot write\n", path);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	static const struct {
		const char	*name, *v;
	} kinds[] = { { "zeros", "0" }, { "objects", "{\"n\":0}" } };
	static const size_t sizes[] = { 1 * MIB, 16 * MIB };
	attest_key_t *k = NULL;
	attest_signer_t *s = NULL;
	attest_keyset_t *ks;
	unsigned char *pem, *st, *env;
	size_t pem_len, st_len, env_len, i, j;
	char path[4096];
	attest_err_t r;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_mem DIR\n");
		return 2;
	}
	if ((r = attest_init(0)) != ATTEST_OK)
		die("attest_init", r);
	if ((r = attest_key_generate(&k, ATTEST_ALG_ED25519)) != ATTEST_OK ||
	    (r = attest_pubkey_pem_alloc(attest_key_pubkey(k), &pem,
	    &pem_len)) != ATTEST_OK || (ks = attest_keyset_new()) == NULL ||
	    (r = attest_keyset_add(ks, attest_key_pubkey(k))) != ATTEST_OK)
		die("key", r);
	(void)snprintf(path, sizeof(path), "%s/k.pub", argv[1]);
	write_file(path, pem, pem_len);
	attest_freezero(pem, pem_len);
	if ((r = attest_signer_from_key(&s, &k)) != ATTEST_OK)
		die("signer", r);
	printf("%-46s %10s %12s %7s\n", "memory, many small values (library)",
	    "payload", "jansson peak", "ratio");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			attest_envelope_t *e = attest_envelope_new(), *pe = NULL;
			attest_verified_t *v = NULL;
			attest_stmt_t *stmt = NULL;
			attest_diag_t *d = attest_diag_new();
			char what[64];

			st = statement(sizes[j], kinds[i].v, &st_len);
			if (e == NULL || d == NULL ||
			    (r = attest_envelope_set_payload(e,
			    ATTEST_PAYLOAD_TYPE_INTOTO, st, st_len)) !=
			    ATTEST_OK || (r = attest_envelope_sign(e, s,
			    NULL)) != ATTEST_OK ||
			    (r = attest_envelope_serialize_alloc(e, &env,
			    &env_len)) != ATTEST_OK)
				die("sign", r);
			(void)snprintf(path, sizeof(path), "%s/%s-%zu.json",
			    argv[1], kinds[i].name, sizes[j] / MIB);
			write_file(path, env, env_len);
			if ((r = attest_envelope_parse(&pe, env, env_len,
			    NULL)) != ATTEST_OK || (r = attest_envelope_verify(
			    pe, ks, 1, &v, NULL)) != ATTEST_OK)
				die("verify", r);
			r = attest_stmt_parse(&stmt,
			    attest_verified_payload_ptr(v),
			    attest_verified_payload_len(v), d);
			(void)snprintf(what, sizeof(what), "%zu MiB of %s: %s",
			    sizes[j] / MIB, kinds[i].v, r == ATTEST_OK ?
			    "parsed" : r == ATTEST_ERR_TOO_LARGE ? "refused" :
			    attest_strerror(r));
			printf("%-46s %10zu %12zu %7.2f\n", what, st_len,
			    attest_json_last_peak(),
			    (double)attest_json_last_peak() / (double)st_len);
			attest_stmt_free(&stmt);
			attest_verified_free(&v);
			attest_envelope_free(&pe);
			attest_envelope_free(&e);
			attest_diag_free(&d);
			attest_freezero(env, env_len);
			free(st);
		}
	printf("(budget: %d x the payload + %lu MiB; refused means "
	    "ATTEST_ERR_TOO_LARGE)\n", ATTEST_JSON_MEMORY_FACTOR,
	    (unsigned long)(ATTEST_JSON_MEMORY_SLACK / MIB));
	attest_signer_free(&s);
	attest_keyset_free(&ks);
	return 0;
}
