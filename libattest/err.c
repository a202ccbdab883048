/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error strings.
 */
#include "attest/err.h"

const char *
attest_strerror(attest_err_t err)
{
	switch (err) {
	case ATTEST_OK:
		return "success";
	case ATTEST_ERR_VERIFY:
		return "verification failed";
	case ATTEST_ERR_MISMATCH:
		return "artifact does not match any subject";
	case ATTEST_ERR_POLICY:
		return "policy not satisfied";
	case ATTEST_ERR_INVALID_ARGUMENT:
		return "invalid argument";
	case ATTEST_ERR_NO_MEMORY:
		return "out of memory";
	case ATTEST_ERR_IO:
		return "input/output error";
	case ATTEST_ERR_TOO_LARGE:
		return "input too large";
	case ATTEST_ERR_PARSE:
		return "malformed input";
	case ATTEST_ERR_UNSUPPORTED:
		return "unsupported algorithm or format";
	case ATTEST_ERR_CRYPTO:
		return "cryptographic library failure";
	case ATTEST_ERR_PASSPHRASE:
		return "wrong passphrase or damaged key file";
	case ATTEST_ERR_EXISTS:
		return "output exists";
	case ATTEST_ERR_NOT_FOUND:
		return "not found";
	case ATTEST_ERR_KEY:
		return "unusable key";
	case ATTEST_ERR_DUPLICATE:
		return "duplicate";
	case ATTEST_ERR_NOT_INITIALISED:
		return "library not initialised";
	case ATTEST_ERR_CANCELLED:
		return "cancelled";
	case ATTEST_ERR_AMBIGUOUS:
		return "ambiguous: several match";
	case ATTEST_ERR_DEVICE:
		return "token or device failure";
	}
	return "unknown error";
}

int
attest_err_is_verdict(attest_err_t err)
{
	return err == ATTEST_ERR_VERIFY || err == ATTEST_ERR_MISMATCH ||
	    err == ATTEST_ERR_POLICY;
}
