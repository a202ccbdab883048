/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest: ceilings on external input.
 *
 * Every input that comes from outside has a ceiling here, checked before
 * anything is allocated for it (ATTEST_ERR_TOO_LARGE).  Artifact hashing
 * streams and has no ceiling.
 */
#ifndef ATTEST_LIMITS_H
#define ATTEST_LIMITS_H

/* A DSSE envelope file, as read from disk. */
#define ATTEST_MAX_ENVELOPE_BYTES	(64UL * 1024 * 1024)
/* A decoded payload (a Statement, say). */
#define ATTEST_MAX_PAYLOAD_BYTES	(48UL * 1024 * 1024)
/* payloadType, in bytes. */
#define ATTEST_MAX_PAYLOAD_TYPE_BYTES	256
/* Signatures in one envelope. */
#define ATTEST_MAX_SIGNATURES		32
/* One decoded signature (RSA 8192 is 1024 bytes). */
#define ATTEST_MAX_SIG_BYTES		1024
/* A keyid hint in an envelope. */
#define ATTEST_MAX_KEYID_BYTES		256
/* Trusted keys in one key set. */
#define ATTEST_MAX_KEYS			1024
/* A private or public key file. */
#define ATTEST_MAX_KEYFILE_BYTES	(64UL * 1024)
/* A passphrase or PIN, in bytes. */
#define ATTEST_MAX_PASSPHRASE_BYTES	1024
/* Subjects in one Statement. */
#define ATTEST_MAX_SUBJECTS		65536
/*
 * Lists of a CRA record (specs/cra.md §2, specs/chain.md §1): a longer
 * one is an S-3 error naming the member and the limit, and its elements
 * are not read.  markets: of a DoC (27 Member States); languages: of a
 * DoC or of a check; standards: of a DoC; checks: members of an importer's
 * or distributor's checks.
 */
#define ATTEST_MAX_MARKETS		64
#define ATTEST_MAX_LANGUAGES		128
#define ATTEST_MAX_STANDARDS		256
#define ATTEST_MAX_CHECKS		64
/*
 * Findings listed for one CRA record; the rest are counted (in the error
 * count too) and summed up in one last finding, S-6.
 */
#define ATTEST_MAX_FINDINGS		256
/* Records (lines) of one custody-chain bundle (specs/chain.md §3). */
#define ATTEST_CHAIN_MAX_LINES		64
/*
 * Signature checks per envelope for signatures whose key id names no
 * trusted key (each is tried against the trusted keys in turn).
 */
#define ATTEST_MAX_BLIND_CHECKS		32
/* Digests in one subject's digest set. */
#define ATTEST_MAX_DIGESTS		16
/* A predicate file handed to the signer. */
#define ATTEST_MAX_PREDICATE_BYTES	(16UL * 1024 * 1024)
/*
 * Memory that parsing one JSON text (a payload, an envelope, a policy)
 * may hold at once: this many times its length, plus the slack below.
 * jansson spends some 5 to 8 times the length on ordinary JSON and up to
 * 80 times on a text made of tiny values ("[{},{},...]"); a text that
 * would need more is refused (ATTEST_ERR_TOO_LARGE) rather than parsed.
 * The slack lets every Statement within the other limits through (65536
 * subjects with a sha256 digest each: 49 MB for 5.8 MB of text).  Three,
 * so that with the verified payload itself a verification holds at most
 * 4 times the payload plus the slack; the price is that ordinary JSON
 * above some 16 MiB is refused too (README, "Memory of a verification").
 */
#define ATTEST_JSON_MEMORY_FACTOR	3
#define ATTEST_JSON_MEMORY_SLACK	(32UL * 1024 * 1024)
/*
 * The same for the SBOM a release is checked against (REL-5): the
 * verifier's own file, not a signed record, and dense JSON (a compact
 * CycloneDX SBOM costs jansson about 10 times its size).
 */
#define ATTEST_SBOM_MEMORY_FACTOR	16
/* JSON nesting depth accepted anywhere. */
#define ATTEST_MAX_JSON_DEPTH		64
/* Argon2id work accepted from a key file (a hostile file must not be
 * able to make loading it take minutes or gigabytes). */
#define ATTEST_MAX_KDF_OPSLIMIT		32ULL
#define ATTEST_MAX_KDF_MEMLIMIT		(1ULL * 1024 * 1024 * 1024)
/* A generic input file read whole (a policy, a payload to sign). */
#define ATTEST_MAX_INPUT_BYTES		(48UL * 1024 * 1024)

#endif /* ATTEST_LIMITS_H */
