/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest: error codes.
 *
 * One error space for the whole library.  Values are ABI: append only.
 * Verdicts (the input was well formed and the answer is "no") are kept
 * apart from input, usage and environment errors (no verdict reached);
 * attest_err_is_verdict() tells them apart, and the tools map verdicts
 * to exit status 1 and everything else to exit status 2.
 */
#ifndef ATTEST_ERR_H
#define ATTEST_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum attest_err {
	ATTEST_OK = 0,

	/* verdicts */
	ATTEST_ERR_VERIFY = 1,		/* signature or threshold not met */
	ATTEST_ERR_MISMATCH = 2,	/* artifact matches no subject */
	ATTEST_ERR_POLICY = 3,		/* a rule of the caller's policy failed */

	/* input, usage and environment errors */
	ATTEST_ERR_INVALID_ARGUMENT = 10,
	ATTEST_ERR_NO_MEMORY = 11,
	ATTEST_ERR_IO = 12,
	ATTEST_ERR_TOO_LARGE = 13,
	ATTEST_ERR_PARSE = 14,
	ATTEST_ERR_UNSUPPORTED = 15,
	ATTEST_ERR_CRYPTO = 16,
	ATTEST_ERR_PASSPHRASE = 17,
	ATTEST_ERR_EXISTS = 18,
	ATTEST_ERR_NOT_FOUND = 19,
	ATTEST_ERR_KEY = 20,
	ATTEST_ERR_DUPLICATE = 21,
	ATTEST_ERR_NOT_INITIALISED = 22,
	ATTEST_ERR_CANCELLED = 23,
	ATTEST_ERR_AMBIGUOUS = 24,	/* several keys or tokens match */
	ATTEST_ERR_DEVICE = 25,		/* token or device failure */
} attest_err_t;

/**
 * Describe an error code.
 *
 * @param[in] err  any value, known or not.
 * @return a static string, never NULL ("unknown error" for unknown values).
 */
const char *attest_strerror(attest_err_t err);

/**
 * Whether an error code is a verdict (the input was understood and
 * rejected) rather than a failure to reach one.
 *
 * @return 1 for ATTEST_ERR_VERIFY, ATTEST_ERR_MISMATCH and
 *         ATTEST_ERR_POLICY, 0 otherwise (ATTEST_OK included).
 */
int attest_err_is_verdict(attest_err_t err);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_ERR_H */
