/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attest-chain (specs/chain.md): the options its commands share, and the
 * import/distribute command (chain_append.c).
 */
#ifndef ATTEST_TOOLS_CHAIN_TOOL_H
#define ATTEST_TOOLS_CHAIN_TOOL_H

#include "common.h"

#define CHAIN_MAX_KEYS		16
#define CHAIN_MAX_ARTIFACTS	256
#define MAX_BUNDLE_ARGS		4096

struct opts {
	const char	*keyrefs[CHAIN_MAX_KEYS];
	size_t		 nkeys;
	char		*artifacts[CHAIN_MAX_ARTIFACTS];
	char		*artifact_sha[CHAIN_MAX_ARTIFACTS];	/* hex */
	int		 nartifacts;
	const char	*bundles[MAX_BUNDLE_ARGS];
	size_t		 nbundles;
	const char	*policy;
	attest_policy_t	*pol;
	const char	*operator_file;
	const char	*out;
	const char	*at;
	int		 force;
	int		 json;
	int		 links;
	int		 sign_summary;
	size_t		 threads;
	struct secrets	 sec;
	char		 today[11];
	char		 stamp[21];
};

/* The usage text of attest-chain. */
void chain_usage(FILE *f);

/* import (kind ATTEST_CRA_IMPORT) or distribute (ATTEST_CRA_DISTRIBUTION). */
int cmd_append(struct opts *o, attest_cra_kind_t kind, int argc,
    char **argv);

#endif /* ATTEST_TOOLS_CHAIN_TOOL_H */
