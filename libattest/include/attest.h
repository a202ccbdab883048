/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libattest: signed supply-chain attestations and CRA declarations.
 * Umbrella header.
 */
#ifndef ATTEST_H
#define ATTEST_H

#include "attest/err.h"
#include "attest/limits.h"
#include "attest/base.h"
#include "attest/digest.h"
#include "attest/key.h"
#include "attest/dsse.h"
#include "attest/statement.h"
#include "attest/pkcs11.h"
#include "attest/fido.h"
#include "attest/cra.h"
#include "attest/policy.h"
#include "attest/chain.h"

#endif /* ATTEST_H */
