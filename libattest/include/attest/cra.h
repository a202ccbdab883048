/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CRA records: the manufacturer's (specs/cra.md: the EU declaration of
 * conformity, the simplified DoC and the release attestation) and the
 * chain of custody's (specs/chain.md: the importer and distributor
 * records), as in-toto predicates; their validation against the
 * Regulation's rules, and the rendering of the manufacturer's records for
 * people (text, HTML).
 */
#ifndef ATTEST_CRA_H
#define ATTEST_CRA_H

#include <stddef.h>

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATTEST_CRA_DOC_TYPE	"https://libattest.dev/cra/doc/v1"
#define ATTEST_CRA_SDOC_TYPE	"https://libattest.dev/cra/sdoc/v1"
#define ATTEST_CRA_RELEASE_TYPE	"https://libattest.dev/cra/release/v1"
#define ATTEST_CRA_IMPORT_TYPE	"https://libattest.dev/cra/import/v1"
#define ATTEST_CRA_DISTRIBUTION_TYPE \
	"https://libattest.dev/cra/distribution/v1"

typedef enum attest_cra_kind {
	ATTEST_CRA_NONE = 0,
	ATTEST_CRA_DOC = 1,
	ATTEST_CRA_SDOC = 2,
	ATTEST_CRA_RELEASE = 3,
	ATTEST_CRA_IMPORT = 4,
	ATTEST_CRA_DISTRIBUTION = 5,
} attest_cra_kind_t;

/** @return the kind of a predicateType, or ATTEST_CRA_NONE. */
attest_cra_kind_t attest_cra_kind_from_type(const char *predicate_type);
/** @return the predicateType of a kind, or NULL. */
const char *attest_cra_predicate_type(attest_cra_kind_t kind);
/**
 * @return "doc", "sdoc", "release", "import" or "distribution", or NULL.
 */
const char *attest_cra_kind_name(attest_cra_kind_t kind);

/**
 * Do two records name the same economic operator?  An operator is its
 * legal name and its country (ISO 3166-1 alpha-2) together, never its
 * name alone (specs/cra.md §3.1): both are compared byte for byte.  A
 * NULL country stands for a record that gives none (the simplified DoC
 * names its manufacturer by name only); it then matches on the name,
 * and a caller that holds a trust policy resolves such a name to one
 * operator first (attest_policy_operator_resolve()).
 *
 * @return 1 when they are the same operator, 0 when not (or a name is
 *         NULL).
 */
int attest_cra_operator_same(const char *name_a, const char *country_a,
    const char *name_b, const char *country_b);

/**
 * What the rules are checked against.  Members are only ever added at
 * the end: initialise a context with designated initialisers or zero it
 * first (memset), so that members the caller does not know are NULL/0.
 * Borrowed: nothing is kept after attest_cra_check() returns.
 */
typedef struct attest_cra_context {
	/** "now", YYYY-MM-DD (required): the date the rules judge by. */
	const char		*now;
	/**
	 * The signed DoC Statement (DSSE payload bytes) that an sdoc or a
	 * release refers to, already verified by the caller; NULL when not
	 * at hand (the rules that need it then say "not checked").  Not
	 * used for the other kinds.
	 */
	const unsigned char	*doc_statement;
	size_t			 doc_statement_len;
	/**
	 * The SBOM document a release names in its "sbom" member (the
	 * bytes of the file, at most ATTEST_MAX_INPUT_BYTES); NULL when
	 * not at hand.  REL-5 then compares its digests, format and spec
	 * version, and a claimed BSI TR-03183-2 profile (specs/cra.md
	 * §7.1).  Not used for the other kinds.
	 */
	const unsigned char	*sbom;
	size_t			 sbom_len;
} attest_cra_context_t;

#define ATTEST_CRA_ERROR	2	/* refuses */
#define ATTEST_CRA_WARNING	1	/* reported, does not refuse */

typedef struct attest_cra_findings attest_cra_findings_t;

/**
 * Check a predicate (JSON object text) of kind @p kind against every rule
 * of specs/cra.md §7 (a DoC, simplified DoC or release) or specs/chain.md
 * §2.3 (an importer or distributor record), collecting every finding (not
 * only the first).  The chain rules that need the other records of a
 * bundle (specs/chain.md §4) are not checked here.
 *
 * \retval ATTEST_OK            no error finding (warnings may be there).
 * \retval ATTEST_ERR_POLICY    at least one error finding.
 * \retval ATTEST_ERR_PARSE     not JSON, or not an object (diag says where).
 * \retval ATTEST_ERR_TOO_LARGE the predicate, or ctx->sbom, over its limit.
 * \retval ATTEST_ERR_INVALID_ARGUMENT  no ctx or ctx->now not a date.
 */
ATTEST_NODISCARD attest_err_t attest_cra_check(attest_cra_kind_t kind,
    const unsigned char *predicate, size_t len,
    const attest_cra_context_t *ctx, attest_cra_findings_t **out,
    attest_diag_t *diag);

size_t attest_cra_findings_count(const attest_cra_findings_t *f);
size_t attest_cra_findings_errors(const attest_cra_findings_t *f);
/** ATTEST_CRA_ERROR or ATTEST_CRA_WARNING; 0 when out of range. */
int attest_cra_finding_severity(const attest_cra_findings_t *f, size_t i);
/** "DOC-4", "REL-2", "S-1" ... Borrowed. */
const char *attest_cra_finding_rule(const attest_cra_findings_t *f, size_t i);
/** "notified_body.number", or "" for the record as a whole. Borrowed. */
const char *attest_cra_finding_field(const attest_cra_findings_t *f,
    size_t i);
/** "missing", "not an ISO 3166-1 alpha-2 code" ... Borrowed. */
const char *attest_cra_finding_message(const attest_cra_findings_t *f,
    size_t i);
/** "Annex V(7): module_b_c needs a notified body". Borrowed. */
const char *attest_cra_finding_basis(const attest_cra_findings_t *f,
    size_t i);
void attest_cra_findings_free(attest_cra_findings_t **fp);

/** What the renderer shows about the signature (all required). */
/** One signature of a rendered record: its key id and algorithm id. */
typedef struct attest_cra_sigkey {
	const char	*keyid;
	const char	*algorithm;
} attest_cra_sigkey_t;

/**
 * The signature facts a rendering shows.  Members are only ever added at
 * the end: zero the struct first.
 */
typedef struct attest_cra_sigfacts {
	const char	*keyid;		/* the key that verified */
	const char	*algorithm;	/* its algorithm id */
	const char	*envelope_sha256; /* hex SHA-256 of the envelope file */
	const char	*envelope_name;	/* how to refer to the envelope */
	const char	*pubkey_name;	/* how to refer to the public key, or
					   to the trust policy */
	/*
	 * Verified under a trust policy (policy_operator not NULL): the
	 * policy id of the operator the record names, the signatures the
	 * policy authorises for that operator and role (nsigners >= 1;
	 * shown as the record's signatures instead of keyid/algorithm), and
	 * other valid signatures, shown apart and marked as not authorising.
	 */
	const char		 *policy_operator;
	const attest_cra_sigkey_t *signers;
	size_t			  nsigners;
	const attest_cra_sigkey_t *others;
	size_t			  nothers;
} attest_cra_sigfacts_t;

#define ATTEST_CRA_TEXT		1
#define ATTEST_CRA_HTML		2

/**
 * Render a verified CRA Statement (the DSSE payload bytes, after the
 * signature checked out) as plain text or as one self-contained HTML
 * page, with the signature facts.  Field text is escaped in HTML.
 *
 * \retval ATTEST_ERR_PARSE        not a Statement of a CRA predicate.
 * \retval ATTEST_ERR_UNSUPPORTED  an unknown format, or an importer or
 *                                 distributor record (not rendered).
 */
ATTEST_NODISCARD attest_err_t attest_cra_render(const unsigned char *stmt,
    size_t len, const attest_cra_sigfacts_t *sig, int format,
    unsigned char **out, size_t *out_len, attest_diag_t *diag);

#ifdef __cplusplus
}
#endif

#endif /* ATTEST_CRA_H */
