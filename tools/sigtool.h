/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signing and verifying steps shared by attest-sign and attest-doc (and
 * the tools to come): open signers, build a Statement from artifacts,
 * sign and write an envelope, load trusted keys, verify an envelope file.
 * Each returns an exit code (EXIT_OK, or the one reported on stderr).
 */
#ifndef ATTEST_TOOLS_SIGTOOL_H
#define ATTEST_TOOLS_SIGTOOL_H

#include "common.h"

/* Open a signer per key reference; a key given twice is refused. */
int signers_open(const char *const *refs, size_t n, struct secrets *sec,
    attest_signer_t **signers);
void signers_free(attest_signer_t **signers, size_t n);

/*
 * Hash each artifact (digests algs) into a subject, named by its last
 * path component, and serialise the Statement with the predicate JSON.
 * what names the predicate in messages.
 */
int statement_build(char *const *artifacts, int n, unsigned int algs,
    const char *ptype, const unsigned char *pred, size_t pred_len,
    const char *what, unsigned char **out, size_t *out_len);

/* Sign env with every signer, write it as one JSON line to out. */
int envelope_sign_write(attest_envelope_t *env, attest_signer_t **signers,
    const char *const *refs, size_t n, const char *out, int force);

/* Load PEM public keys (plain or FIDO) into a new key set. */
int keyset_load(const char *const *paths, size_t n, attest_keyset_t **out);

/*
 * Read, parse and verify the envelope at path with the trusted keys
 * (threshold 1); sha256, when not NULL, receives the SHA-256 of the file.
 */
int envelope_verify_file(const char *path, const attest_keyset_t *ks,
    attest_verified_t **out, unsigned char sha256[32]);

#endif /* ATTEST_TOOLS_SIGTOOL_H */
