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
 * Signature checks per envelope for signatures whose key id names no
 * trusted key (each is tried against the trusted keys in turn).
 */
#define ATTEST_MAX_BLIND_CHECKS		32
/* Digests in one subject's digest set. */
#define ATTEST_MAX_DIGESTS		16
/* A predicate file handed to the signer. */
#define ATTEST_MAX_PREDICATE_BYTES	(16UL * 1024 * 1024)
/* JSON nesting depth accepted anywhere. */
#define ATTEST_MAX_JSON_DEPTH		64
/* Argon2id work accepted from a key file (a hostile file must not be
 * able to make loading it take minutes or gigabytes). */
#define ATTEST_MAX_KDF_OPSLIMIT		32ULL
#define ATTEST_MAX_KDF_MEMLIMIT		(1ULL * 1024 * 1024 * 1024)
/* A generic input file read whole (a policy, a payload to sign). */
#define ATTEST_MAX_INPUT_BYTES		(48UL * 1024 * 1024)

#endif /* ATTEST_LIMITS_H */
