/*
 * Shared helpers of the libFuzzer harnesses (tests/fuzz/README.md).
 * Each harness is one file, fuzz_<parser>.c, and includes this once.
 */
#ifndef ATTEST_FUZZ_H
#define ATTEST_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <attest.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A failed invariant of a harness: report it and abort (a "crash"). */
#define FUZZ_ASSERT(c) do { if (!(c)) { fprintf(stderr, \
	"%s:%d: harness invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

/* The fixed passphrase of the key file seeds (corpus/keyfile/). */
#define FUZZ_PASSPHRASE	"fuzz-passphrase-NOT-SECRET"

static inline void
fuzz_init(void)
{
	static int done;

	if (!done) {
		FUZZ_ASSERT(attest_init(0) == ATTEST_OK);
		done = 1;
	}
}

/* Read a whole small file the harness needs (policy, roots); abort if not. */
static inline unsigned char *
fuzz_slurp(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0, got;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		fprintf(stderr, "fuzz: cannot open %s\n", path);
		abort();
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			FUZZ_ASSERT((buf = realloc(buf, cap + 1)) != NULL);
		}
		if ((got = fread(buf + n, 1, cap - n, f)) == 0)
			break;
		n += got;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Does the byte string [a, a+alen) equal [b, b+blen)? */
static inline int
fuzz_same(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* Does [p, p+len) contain the string s? */
static inline int
fuzz_has(const unsigned char *p, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (memcmp(p + i, s, n) == 0)
			return 1;
	return 0;
}

#endif /* ATTEST_FUZZ_H */
