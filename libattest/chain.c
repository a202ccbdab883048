/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Chain of custody verification (specs/chain.md §3, §4): every line of a
 * bundle is verified on its own (CH-1 signature, CH-2 record rules, CH-5
 * trust policy), then the lines against each other (CH-3 order, CH-4
 * replay, CH-6 links, CH-7 subjects, CH-8 product and manufacturer, CH-9
 * dates, CH-10 importer, CH-11 retention, CH-12 artifacts).
 *
 * A payload is parsed only after its signature verified against the
 * policy's keys; a line that fails CH-1 takes part in no other check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/chain.h"
#include "cra_int.h"
#include "crypto.h"
#include "formats_int.h"
#include "json_int.h"
#include "policy_int.h"

#define MSG_BYTES	512
#define MAX_WARNINGS	32

struct link {
	size_t			 line;		/* 1-based */
	attest_cra_kind_t	 kind;
	char			 sha[65];	/* of the payload */
	int			 trusted;	/* signature verified */
	attest_verified_t	*v;
	attest_stmt_t		*stmt;
	const json_t		*pred;		/* the Statement's */
	char			 op[65];		/* policy id of the signer */
	char			 mfr[65];	/* of the manufacturer */
	int			 authorised;	/* CH-5 passed */
	attest_role_t		 role;
	char			 signed_on[11];
	size_t			 accepted, threshold;
	char			*error;
	char			*warn[MAX_WARNINGS];
	size_t			 nwarn;
};

struct attest_chain {
	struct link	 links[ATTEST_CHAIN_MAX_LINES];
	size_t		 n;
	char		*error;
	int		 holds;
	char		*product, *manufacturer, *support_end;
	char		 mfr_op[65], mfr_country[3];	/* the DoC's */
	char		**subj_sha, **subj_name;
	size_t		 nsubj;
};

/* Reports ------------------------------------------------------------------ */

/* A message, its values (from signed records) escaped as text. */
static char *
vfmt(const char *fmt, va_list ap)
{
	char raw[2 * MSG_BYTES], buf[MSG_BYTES];

	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	(void)attest_text_escape(buf, sizeof(buf), raw, 0);
	return strdup(buf);
}

/* The first error of a line is the one reported; later ones add nothing. */
static attest_err_t lerr(struct link *, const char *, ...)
    ATTEST_PRINTF(2, 3);
static attest_err_t
lerr(struct link *l, const char *fmt, ...)
{
	va_list ap;

	if (l->error != NULL)
		return ATTEST_OK;
	va_start(ap, fmt);
	l->error = vfmt(fmt, ap);
	va_end(ap);
	return l->error == NULL ? ATTEST_ERR_NO_MEMORY : ATTEST_OK;
}

static attest_err_t lwarn(struct link *, const char *, ...)
    ATTEST_PRINTF(2, 3);
static attest_err_t
lwarn(struct link *l, const char *fmt, ...)
{
	va_list ap;

	if (l->nwarn == MAX_WARNINGS)
		return ATTEST_OK;
	va_start(ap, fmt);
	l->warn[l->nwarn] = vfmt(fmt, ap);
	va_end(ap);
	if (l->warn[l->nwarn] == NULL)
		return ATTEST_ERR_NO_MEMORY;
	l->nwarn++;
	return ATTEST_OK;
}

static attest_err_t cerr(attest_chain_t *, const char *, ...)
    ATTEST_PRINTF(2, 3);
static attest_err_t
cerr(attest_chain_t *c, const char *fmt, ...)
{
	va_list ap;

	if (c->error != NULL)
		return ATTEST_OK;
	va_start(ap, fmt);
	c->error = vfmt(fmt, ap);
	va_end(ap);
	return c->error == NULL ? ATTEST_ERR_NO_MEMORY : ATTEST_OK;
}

static const char *
label(attest_cra_kind_t k)
{
	switch (k) {
	case ATTEST_CRA_DOC:
		return "DoC";
	case ATTEST_CRA_SDOC:
		return "simplified DoC";
	case ATTEST_CRA_RELEASE:
		return "release attestation";
	case ATTEST_CRA_IMPORT:
		return "importer record";
	case ATTEST_CRA_DISTRIBUTION:
		return "distributor record";
	default:
		return "record";
	}
}

/* One line on its own (CH-1, CH-2 the Statement) ----------------------------- */

static attest_err_t
read_line(const attest_policy_t *p, struct link *l, const unsigned char *ptr,
    size_t len)
{
	attest_envelope_t *e = NULL;
	attest_diag_t *d;
	unsigned char h[32];
	attest_err_t r;

	if ((d = attest_diag_new()) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if (len == 0) {
		r = lerr(l, "CH-1: a blank line (a bundle has one envelope on "
		    "every line)");
		goto done;
	}
	if (ptr[len - 1] == '\r' || ptr[len - 1] == ' ' ||
	    ptr[len - 1] == '\t') {
		r = lerr(l, "CH-1: the line ends in white space (a CR before "
		    "the LF?): a bundle's lines end in LF alone (specs/chain.md "
		    "§3)");
		goto done;
	}
	if ((r = attest_envelope_parse(&e, ptr, len, d)) != ATTEST_OK) {
		if (r == ATTEST_ERR_NO_MEMORY)
			goto done;
		r = lerr(l, "CH-1: not a DSSE envelope: %s%s%s",
		    attest_diag_get_field(d) ? attest_diag_get_field(d) : "",
		    attest_diag_get_field(d) ? ": " : "",
		    attest_diag_get_reason(d) ? attest_diag_get_reason(d) :
		    attest_strerror(r));
		goto done;
	}
	if (attest_envelope_sig_count(e) == 0) {
		r = lerr(l, "CH-1: unsigned: the envelope has no signatures");
		goto done;
	}
	if ((r = attest_envelope_verify(e, attest_policy_keyset(p), 1, &l->v,
	    d)) != ATTEST_OK) {
		if (r != ATTEST_ERR_VERIFY)
			goto done;
		r = lerr(l, "CH-1: %s", attest_diag_get_reason(d) ?
		    attest_diag_get_reason(d) : attest_strerror(ATTEST_ERR_VERIFY));
		attest_verified_free(&l->v);
		goto done;
	}
	/* only now is the payload looked at */
	if ((r = attest_sha256(h, attest_verified_payload_ptr(l->v),
	    attest_verified_payload_len(l->v))) != ATTEST_OK)
		goto done;
	attest_hex_encode(l->sha, h, sizeof(h));
	if (strcmp(attest_verified_payload_type(l->v),
	    ATTEST_PAYLOAD_TYPE_INTOTO) != 0) {
		r = lerr(l, "CH-2: payloadType \"%.64s\" is not an in-toto "
		    "Statement", attest_verified_payload_type(l->v));
		goto done;
	}
	if ((r = attest_stmt_parse(&l->stmt, attest_verified_payload_ptr(l->v),
	    attest_verified_payload_len(l->v), d)) != ATTEST_OK) {
		if (r == ATTEST_ERR_NO_MEMORY)
			goto done;
		r = lerr(l, "CH-2: not a Statement: %s%s%s",
		    attest_diag_get_field(d) ? attest_diag_get_field(d) : "",
		    attest_diag_get_field(d) ? ": " : "",
		    attest_diag_get_reason(d) ? attest_diag_get_reason(d) : "");
		goto done;
	}
	l->kind = attest_cra_kind_from_type(attest_stmt_predicate_type(
	    l->stmt));
	l->pred = attest_stmt_predicate_json(l->stmt);
	if (l->kind == ATTEST_CRA_NONE || !json_is_object(l->pred)) {
		l->kind = ATTEST_CRA_NONE;
		r = lerr(l, "CH-2: predicateType \"%.128s\" is not a record of "
		    "a custody chain", attest_stmt_predicate_type(l->stmt));
		goto done;
	}
	l->trusted = 1;
done:
	attest_envelope_free(&e);
	attest_diag_free(&d);
	return r;
}

/* CH-2: the record's own rules, as of now. */
static attest_err_t
record_rules(struct link *l, const struct link *doc, const char *now)
{
	attest_cra_context_t ctx;
	attest_cra_findings_t *f = NULL;
	const json_t *doc_pred = NULL;
	size_t i;
	attest_err_t r;

	memset(&ctx, 0, sizeof(ctx));
	ctx.now = now;
	if (doc != NULL && doc->authorised && (l->kind == ATTEST_CRA_SDOC ||
	    l->kind == ATTEST_CRA_RELEASE))
		doc_pred = doc->pred;
	r = attest_cra_check_json(l->kind, l->pred, &ctx, doc_pred,
	    doc_pred != NULL ? doc->sha : NULL, &f, NULL);
	if (r != ATTEST_OK && r != ATTEST_ERR_POLICY)
		return r == ATTEST_ERR_NO_MEMORY ? r : lerr(l, "CH-2: the "
		    "record cannot be checked: %s", attest_strerror(r));
	r = ATTEST_OK;
	for (i = 0; r == ATTEST_OK && i < attest_cra_findings_count(f); i++) {
		const char *field = attest_cra_finding_field(f, i);

		if (attest_cra_finding_severity(f, i) == ATTEST_CRA_ERROR)
			r = lerr(l, "CH-2: %s%s%s (%s, %s)", field,
			    *field != '\0' ? ": " : "",
			    attest_cra_finding_message(f, i),
			    attest_cra_finding_rule(f, i),
			    attest_cra_finding_basis(f, i));
		else
			r = lwarn(l, "%s%s%s (%s, %s)", field,
			    *field != '\0' ? ": " : "",
			    attest_cra_finding_message(f, i),
			    attest_cra_finding_rule(f, i),
			    attest_cra_finding_basis(f, i));
	}
	attest_cra_findings_free(&f);
	return r;
}

/* CH-5: may the keys that signed it sign it? */
static attest_err_t
authorise(const attest_policy_t *p, struct link *l, const char *now)
{
	attest_policy_verdict_t *vd = NULL;
	attest_policy_query_t q;
	attest_diag_t *d;
	const char *s;
	attest_err_t r;

	if ((d = attest_diag_new()) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	/* what the record claims: its role and date, even when it fails */
	(void)attest_policy_query_pred(l->kind, l->pred, now, &q, NULL);
	l->role = q.role;
	if (l->kind != ATTEST_CRA_SDOC && q.signed_on != NULL &&
	    strlen(q.signed_on) == 10)
		memcpy(l->signed_on, q.signed_on, 11);
	r = attest_policy_authorize_pred(p, l->v, l->kind, l->pred, now, &vd,
	    d);
	if (vd != NULL) {
		/* NULL when the policy has no such operator: "" here */
		if ((s = attest_policy_verdict_operator(vd)) != NULL)
			(void)snprintf(l->op, sizeof(l->op), "%s", s);
		if ((s = attest_policy_verdict_manufacturer(vd)) != NULL)
			(void)snprintf(l->mfr, sizeof(l->mfr), "%s", s);
		l->accepted = attest_policy_verdict_accepted(vd);
		l->threshold = attest_policy_verdict_threshold(vd);
	}
	l->authorised = r == ATTEST_OK;
	if (r != ATTEST_OK && r != ATTEST_ERR_NO_MEMORY &&
	    r != ATTEST_ERR_INVALID_ARGUMENT)
		r = lerr(l, "CH-5: %s%s%s", attest_diag_get_field(d) ?
		    attest_diag_get_field(d) : "", attest_diag_get_field(d) ?
		    ": " : "", attest_diag_get_reason(d) ?
		    attest_diag_get_reason(d) : attest_strerror(r));
	attest_policy_verdict_free(&vd);
	attest_diag_free(&d);
	return r;
}

/* The lines against each other ---------------------------------------------- */

/* CH-3: where each kind may stand. */
static attest_err_t
order(struct link *l, size_t i, const struct link *links)
{
	size_t j;

	switch (l->kind) {
	case ATTEST_CRA_DOC:
		if (i != 0)
			return lerr(l, "CH-3: a DoC on line %zu: the DoC is line "
			    "1, and the only one", l->line);
		break;
	case ATTEST_CRA_RELEASE:
		if (i != 1)
			return lerr(l, "CH-3: a release attestation on line "
			    "%zu: it is line 2, after the DoC, and the only one",
			    l->line);
		break;
	case ATTEST_CRA_SDOC:
		if (i != 2)
			return lerr(l, "CH-3: a simplified DoC on line %zu: it "
			    "can only be line 3, after the release", l->line);
		break;
	case ATTEST_CRA_IMPORT:
		if (i < 2)
			return lerr(l, "CH-3: an importer record on line %zu, "
			    "before the DoC and release it checks", l->line);
		for (j = 0; j < i; j++) {
			if (links[j].kind == ATTEST_CRA_IMPORT)
				return lerr(l, "CH-3: a second importer "
				    "record (the first is line %zu)",
				    links[j].line);
			if (links[j].kind == ATTEST_CRA_DISTRIBUTION)
				return lerr(l, "CH-3: an importer record "
				    "after a distributor record (line %zu): "
				    "records reordered", links[j].line);
		}
		break;
	case ATTEST_CRA_DISTRIBUTION:
		if (i < 2)
			return lerr(l, "CH-3: a distributor record on line "
			    "%zu, before the DoC and release it checks",
			    l->line);
		break;
	default:
		break;
	}
	return ATTEST_OK;
}

/* CH-6: the link at path names line to, which is l or after it. */
static attest_err_t
loop(struct link *l, const char *path, const struct link *to)
{
	return lerr(l, "CH-6: %s names line %zu (%s), %s", path, to->line,
	    label(to->kind), to->line == l->line ? "itself: a loop" :
	    "a later line: records out of order, or a loop");
}

/*
 * CH-6: the digest at path in l must be the payload SHA-256 of want.
 * Says what the digest names instead: a later line or l itself (a loop),
 * another line, or nothing in this bundle (a splice).
 */
static attest_err_t
link_to(struct link *l, const char *path, const struct link *want,
    const struct link *links, size_t n)
{
	const char *got = attest_json_str_at(l->pred, path);
	size_t j;

	if (got == NULL)
		return lerr(l, "CH-6: %s: missing: the record must name the %s "
		    "(line %zu) by its payload SHA-256", path,
		    label(want->kind), want->line);
	if (strcmp(got, want->sha) == 0)
		return ATTEST_OK;
	for (j = 0; j < n; j++)
		if (strcmp(got, links[j].sha) == 0)
			break;
	if (j < n && links[j].line >= l->line)
		return loop(l, path, &links[j]);
	if (j < n)
		return lerr(l, "CH-6: %s names line %zu (%s), not the %s (line "
		    "%zu)", path, links[j].line, label(links[j].kind),
		    label(want->kind), want->line);
	return lerr(l, "CH-6: %s: %.64s is not the payload SHA-256 of the %s "
	    "(line %zu: %s) nor of any line of this bundle: a record spliced "
	    "from another chain, or an altered link", path, got,
	    label(want->kind), want->line, want->sha);
}

/*
 * A link that must be absent (nothing in the bundle for it to name); one
 * that names a later line, or the line itself, is a loop.
 */
static attest_err_t
no_link(struct link *l, const char *path, const char *why,
    const struct link *links, size_t n)
{
	char dpath[96];
	const char *got;
	size_t j;

	if (attest_json_at(l->pred, path) == NULL)
		return ATTEST_OK;
	(void)snprintf(dpath, sizeof(dpath), "%s.digests.sha256", path);
	if ((got = attest_json_str_at(l->pred, dpath)) != NULL)
		for (j = 0; j < n; j++)
			if (links[j].line >= l->line &&
			    strcmp(got, links[j].sha) == 0)
				return loop(l, dpath, &links[j]);
	return lerr(l, "CH-6: %s: names a record this bundle does not hold "
	    "(%s)", path, why);
}

static const struct link *
find_kind(const struct link *links, size_t n, attest_cra_kind_t k,
    size_t before)
{
	size_t j;

	for (j = 0; j < n && j < before; j++)
		if (links[j].trusted && links[j].kind == k)
			return &links[j];
	return NULL;
}

static attest_err_t
links(struct link *l, size_t i, struct link *all, size_t n)
{
	const struct link *doc, *rel, *sdoc, *imp, *prev = NULL;
	size_t j;
	attest_err_t r = ATTEST_OK;

	doc = find_kind(all, n, ATTEST_CRA_DOC, i);
	rel = find_kind(all, n, ATTEST_CRA_RELEASE, i);
	sdoc = find_kind(all, n, ATTEST_CRA_SDOC, i);
	imp = find_kind(all, n, ATTEST_CRA_IMPORT, n);
	for (j = i; j-- > 0;)
		if (all[j].trusted && all[j].kind == ATTEST_CRA_DISTRIBUTION) {
			prev = &all[j];
			break;
		}
	switch (l->kind) {
	case ATTEST_CRA_RELEASE:
		if (doc != NULL)
			r = link_to(l, "doc.digests.sha256", doc, all, n);
		break;
	case ATTEST_CRA_SDOC:
		if (doc != NULL)
			r = link_to(l, "full_doc.digests.sha256", doc, all, n);
		break;
	case ATTEST_CRA_IMPORT:
		if (doc != NULL)
			r = link_to(l, "upstream.doc.digests.sha256", doc, all,
			    n);
		if (r == ATTEST_OK && rel != NULL)
			r = link_to(l, "upstream.release.digests.sha256", rel,
			    all, n);
		if (r == ATTEST_OK && sdoc != NULL &&
		    attest_json_at(l->pred, "upstream.sdoc") != NULL)
			r = link_to(l, "upstream.sdoc.digests.sha256", sdoc,
			    all, n);
		else if (r == ATTEST_OK && sdoc == NULL)
			r = no_link(l, "upstream.sdoc", "no simplified DoC "
			    "that verifies", all, n);
		break;
	case ATTEST_CRA_DISTRIBUTION:
		if (doc != NULL)
			r = link_to(l, "upstream.doc.digests.sha256", doc, all,
			    n);
		if (r == ATTEST_OK && rel != NULL)
			r = link_to(l, "upstream.release.digests.sha256", rel,
			    all, n);
		if (r == ATTEST_OK && imp != NULL)
			r = link_to(l, "upstream.import.digests.sha256", imp,
			    all, n);
		else if (r == ATTEST_OK)
			r = no_link(l, "upstream.import", "no importer "
			    "record that verifies", all, n);
		if (r == ATTEST_OK && prev != NULL)
			r = link_to(l, "upstream.previous_distribution.digests."
			    "sha256", prev, all, n);
		else if (r == ATTEST_OK)
			r = no_link(l, "upstream.previous_distribution",
			    "no distributor record before this one that "
			    "verifies", all, n);
		break;
	default:
		break;
	}
	return r;
}

/* Two hex digests, through pointers to them (qsort, bsearch). */
static int
hex_cmp(const void *a, const void *b)
{
	attest_cost++;
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The SHA-256 digests of a Statement's subjects, sorted, each once, as
 * one string: "HEX HEX ... ".  Sorted with qsort, written in one pass
 * (up to ATTEST_MAX_SUBJECTS of them: an insertion sort and strcat were
 * quadratic).
 */
static char *
subject_set(const attest_stmt_t *s)
{
	size_t i, j, n = attest_stmt_subject_count(s), k = 0, o = 0, w;
	const char **v;
	char *out;

	if ((v = calloc(n + 1, sizeof(*v))) == NULL ||
	    (out = calloc(n + 1, 65)) == NULL) {
		free(v);
		return NULL;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < attest_stmt_digest_count(s, i); j++)
			if (strcmp(attest_stmt_digest_alg(s, i, j), "sha256") ==
			    0)
				v[k++] = attest_stmt_digest_hex(s, i, j);
	qsort(v, k, sizeof(*v), hex_cmp);
	/* one sha256 per subject (a digest set names it once), 64 digits */
	for (i = 0; i < k; i++) {
		if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
			continue;
		if ((w = strlen(v[i])) > 64)
			w = 64;
		memcpy(out + o, v[i], w);
		o += w;
		out[o++] = ' ';
	}
	out[o] = '\0';
	free(v);
	return out;
}

/* 1 + the index of the first subject without a sha256 digest, or 0. */
static size_t
no_sha256(const attest_stmt_t *s)
{
	size_t i, j;

	for (i = 0; i < attest_stmt_subject_count(s); i++) {
		for (j = 0; j < attest_stmt_digest_count(s, i); j++)
			if (strcmp(attest_stmt_digest_alg(s, i, j), "sha256") ==
			    0)
				break;
		if (j == attest_stmt_digest_count(s, i))
			return i + 1;
	}
	return 0;
}

static int
same_str(const json_t *a, const char *pa, const json_t *b, const char *pb)
{
	const char *x = attest_json_str_at(a, pa), *y = attest_json_str_at(b,
	    pb);

	return x != NULL && y != NULL && strcmp(x, y) == 0;
}

/* CH-7 to CH-9, CH-11 for line l against the manufacturer's records. */
static const char *
or_none(const char *s)
{
	return s != NULL ? s : "(none)";
}

/*
 * CH-8: the record speaks for the DoC's manufacturer.  Both are the
 * operators the policy resolved (legal name and country), never a name
 * compared with a name.
 */
static attest_err_t
same_manufacturer(const attest_policy_t *p, struct link *l,
    const struct link *doc)
{
	const char *n;

	if (doc->mfr[0] == '\0')
		return lerr(l, "CH-8: manufacturer: the DoC's manufacturer "
		    "\"%.128s\" (%.8s) is no operator of the policy, so no "
		    "record can be shown to speak for it",
		    or_none(attest_json_str_at(doc->pred,
		    "manufacturer.legal_name")), or_none(attest_json_str_at(
		    doc->pred, "manufacturer.postal_address.country")));
	if (strcmp(l->mfr, doc->mfr) == 0)
		return ATTEST_OK;
	if (l->mfr[0] == '\0')
		return lerr(l, "CH-8: manufacturer: the %s names a manufacturer "
		    "that is no operator of the policy, not the DoC's \"%s\" "
		    "(%s, %s)", label(l->kind), doc->mfr,
		    attest_policy_operator_legal_name(p, doc->mfr),
		    attest_policy_operator_country(p, doc->mfr));
	n = attest_policy_operator_legal_name(p, l->mfr);
	return lerr(l, "CH-8: manufacturer: the %s speaks for \"%s\" (%s, %s), "
	    "the DoC for \"%s\" (%s, %s): another operator%s", label(l->kind),
	    l->mfr, n, attest_policy_operator_country(p, l->mfr), doc->mfr,
	    attest_policy_operator_legal_name(p, doc->mfr),
	    attest_policy_operator_country(p, doc->mfr),
	    strcmp(n, attest_policy_operator_legal_name(p, doc->mfr)) == 0 ?
	    " of the same legal name" : "");
}

static attest_err_t
agree(const attest_policy_t *p, struct link *l, const struct link *doc,
    const struct link *rel, const char *rel_subjects, const char *last_date,
    size_t last_line)
{
	char *subj;
	const char *end, *keep, *nm;
	struct attest_ymd a, b;
	size_t miss;
	attest_err_t r = ATTEST_OK;

	/* the links and subjects are compared by SHA-256: each must have it */
	if ((miss = no_sha256(l->stmt)) != 0) {
		/* a subject need not have a name */
		nm = attest_stmt_subject_name(l->stmt, miss - 1);
		r = lerr(l, "CH-7: subject[%zu]%s%.128s%s has no sha256 "
		    "digest: records are matched to artifacts by SHA-256",
		    miss - 1, nm != NULL ? " (" : "", nm != NULL ? nm : "",
		    nm != NULL ? ")" : "");
	}
	if (r == ATTEST_OK && rel != NULL && rel_subjects != NULL &&
	    l != rel) {
		if ((subj = subject_set(l->stmt)) == NULL)
			return ATTEST_ERR_NO_MEMORY;
		if (strcmp(subj, rel_subjects) != 0)
			r = lerr(l, "CH-7: the subjects are not the release's "
			    "(line %zu): the record covers other artifacts",
			    rel->line);
		free(subj);
	}
	if (r == ATTEST_OK && doc != NULL && (l->kind == ATTEST_CRA_IMPORT ||
	    l->kind == ATTEST_CRA_DISTRIBUTION)) {
		if (!same_str(l->pred, "product.type_designation", doc->pred,
		    "product.type_designation"))
			r = lerr(l, "CH-8: product.type_designation: not the "
			    "DoC's \"%.128s\": a record of another product",
			    attest_json_str_at(doc->pred,
			    "product.type_designation"));
	}
	if (r == ATTEST_OK && doc != NULL && l != doc)
		r = same_manufacturer(p, l, doc);
	if (r == ATTEST_OK && l->signed_on[0] != '\0' && last_date != NULL &&
	    strcmp(l->signed_on, last_date) < 0)
		r = lerr(l, "CH-9: dated %s, before line %zu (%s): records run "
		    "forward in time", l->signed_on, last_line, last_date);
	if (r == ATTEST_OK && (keep = attest_json_str_at(l->pred,
	    l->kind == ATTEST_CRA_RELEASE ? "retention_until" :
	    l->kind == ATTEST_CRA_IMPORT ? "doc_retention_until" :
	    l->kind == ATTEST_CRA_DISTRIBUTION ? "custody.retain_until" :
	    "-")) != NULL && l->signed_on[0] != '\0' &&
	    strcmp(l->signed_on, keep) > 0)
		r = lwarn(l, "X-3: signed on %s, after the record's own "
		    "retention date %s", l->signed_on, keep);
	if (r == ATTEST_OK && l->kind == ATTEST_CRA_IMPORT && rel != NULL &&
	    (end = attest_json_str_at(rel->pred, "support_period.end")) !=
	    NULL && (keep = attest_json_str_at(l->pred,
	    "doc_retention_until")) != NULL &&
	    attest_ymd_parse(end, 0, &a) != ATTEST_YMD_BAD &&
	    attest_ymd_parse(keep, 0, &b) == ATTEST_YMD_DATE &&
	    attest_ymd_cmp(&b, &a) < 0)
		r = lerr(l, "CH-11: doc_retention_until %s is before the "
		    "release's support end %s (IMP-6, Art. 19(6))", keep, end);
	return r;
}

static attest_err_t
chain_facts(attest_chain_t *c, const struct link *doc,
    const struct link *rel)
{
	const char *s;
	size_t i, j, k = 0;

	if (doc != NULL) {
		if ((s = attest_json_str_at(doc->pred,
		    "product.type_designation")) != NULL &&
		    (c->product = strdup(s)) == NULL)
			return ATTEST_ERR_NO_MEMORY;
		if ((s = attest_json_str_at(doc->pred,
		    "manufacturer.legal_name")) != NULL &&
		    (c->manufacturer = strdup(s)) == NULL)
			return ATTEST_ERR_NO_MEMORY;
	}
	if (rel == NULL)
		return ATTEST_OK;
	if ((s = attest_json_str_at(rel->pred, "support_period.end")) !=
	    NULL && (c->support_end = strdup(s)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	c->nsubj = attest_stmt_subject_count(rel->stmt);
	if ((c->subj_sha = calloc(c->nsubj + 1, sizeof(char *))) == NULL ||
	    (c->subj_name = calloc(c->nsubj + 1, sizeof(char *))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	for (i = 0; i < c->nsubj; i++)
		for (j = 0; j < attest_stmt_digest_count(rel->stmt, i); j++) {
			if (strcmp(attest_stmt_digest_alg(rel->stmt, i, j),
			    "sha256") != 0)
				continue;
			/* a subject need not have a name: NULL, as in the
			 * Statement */
			s = attest_stmt_subject_name(rel->stmt, i);
			if ((c->subj_sha[k] = strdup(attest_stmt_digest_hex(
			    rel->stmt, i, j))) == NULL ||
			    (s != NULL && (c->subj_name[k] = strdup(s)) ==
			    NULL))
				return ATTEST_ERR_NO_MEMORY;
			k++;
			break;
		}
	c->nsubj = k;
	return ATTEST_OK;
}

/*
 * CH-12: each artifact is a subject of the release.  The subjects are
 * sorted once and each artifact looked up (artifacts x subjects was
 * quadratic).
 */
static attest_err_t
artifacts_covered(attest_chain_t *c, const attest_chain_options_t *o)
{
	const char **v;
	size_t i;
	attest_err_t r = ATTEST_OK;

	if (o->nartifacts == 0)
		return ATTEST_OK;
	if ((v = calloc(c->nsubj + 1, sizeof(*v))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	for (i = 0; i < c->nsubj; i++)
		v[i] = c->subj_sha[i];
	qsort(v, c->nsubj, sizeof(*v), hex_cmp);
	for (i = 0; r == ATTEST_OK && i < o->nartifacts; i++)
		if (o->artifacts[i] == NULL || bsearch(&o->artifacts[i], v,
		    c->nsubj, sizeof(*v), hex_cmp) == NULL)
			r = cerr(c, "CH-12: the artifact with SHA-256 %.64s is "
			    "not a subject of the release",
			    o->artifacts[i] != NULL ? o->artifacts[i] :
			    "(none)");
	free(v);
	return r;
}

static attest_err_t
cross_check(const attest_policy_t *p, attest_chain_t *c,
    const attest_chain_options_t *o)
{
	struct link *L = c->links, *doc = NULL, *rel = NULL;
	const char *last_date = NULL, *country;
	char *rel_subjects = NULL;
	size_t i, j, last_line = 0;
	int has_import = 0;
	attest_err_t r = ATTEST_OK;

	if (c->n > 0 && L[0].trusted && L[0].kind == ATTEST_CRA_DOC)
		doc = &L[0];
	if (c->n > 1 && L[1].trusted && L[1].kind == ATTEST_CRA_RELEASE)
		rel = &L[1];
	if (rel != NULL && (rel_subjects = subject_set(rel->stmt)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	for (i = 0; r == ATTEST_OK && i < c->n; i++) {
		struct link *l = &L[i];

		if (!l->trusted)
			continue;
		if (l->kind == ATTEST_CRA_IMPORT)
			has_import = 1;
		for (j = 0; j < i; j++)
			if (L[j].trusted && strcmp(L[j].sha, l->sha) == 0) {
				r = lerr(l, "CH-4: line %zu again (the same "
				    "payload): a replayed record", L[j].line);
				break;
			}
		if (r == ATTEST_OK)
			r = order(l, i, L);
		/*
		 * The signer's authorisation first: the content rules and
		 * the cross-checks run only for a record whose signers the
		 * policy allows, so that a key holder outside the record's
		 * role or scope cannot make the verifier do their work.
		 */
		if (r == ATTEST_OK)
			r = authorise(p, l, o->now);
		if (!l->authorised)
			continue;
		if (r == ATTEST_OK)
			r = record_rules(l, doc, o->now);
		if (r == ATTEST_OK)
			r = links(l, i, L, c->n);
		if (r == ATTEST_OK)
			r = agree(p, l, doc, rel, rel_subjects, last_date,
			    last_line);
		if (l->signed_on[0] != '\0') {
			last_date = l->signed_on;
			last_line = l->line;
		}
	}
	free(rel_subjects);
	if (r != ATTEST_OK)
		return r;
	if (doc != NULL && doc->authorised && doc->mfr[0] != '\0') {
		(void)snprintf(c->mfr_op, sizeof(c->mfr_op), "%s", doc->mfr);
		(void)snprintf(c->mfr_country, sizeof(c->mfr_country), "%s",
		    attest_policy_operator_country(p, doc->mfr));
	}
	if (c->n == 0)
		r = cerr(c, "CH-3: an empty bundle");
	else if (doc == NULL && L[0].error == NULL)
		r = cerr(c, "CH-3: line 1 is not the manufacturer's DoC");
	else if (rel == NULL && (c->n < 2 || L[1].error == NULL))
		r = cerr(c, "CH-3: line 2 is not the manufacturer's release "
		    "attestation");
	if (r == ATTEST_OK && doc != NULL && !has_import &&
	    (country = attest_json_str_at(doc->pred,
	    "manufacturer.postal_address.country")) != NULL &&
	    !attest_eu_state_ok(country))
		for (i = 0; i < c->n; i++)
			if (L[i].kind == ATTEST_CRA_DISTRIBUTION) {
				r = cerr(c, "CH-10: the manufacturer is "
				    "established outside the Union (%s) and the "
				    "bundle has no importer record before its "
				    "distributors (DIS-2, Art. 20(2)(b), 19)",
				    country);
				break;
			}
	if (r == ATTEST_OK)
		r = chain_facts(c, doc, rel);
	if (r == ATTEST_OK)
		r = artifacts_covered(c, o);
	return r;
}

/* The bundle ----------------------------------------------------------------- */

/* Lines of a bundle: LF-terminated, the last one may lack its LF. */
static size_t
count_lines(const unsigned char *ptr, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (ptr[i] == '\n')
			n++;
	if (len > 0 && ptr[len - 1] != '\n')
		n++;
	return n;
}

attest_err_t
attest_chain_verify(const attest_policy_t *p, const unsigned char *ptr,
    size_t len, const attest_chain_options_t *o, attest_chain_t **out,
    attest_diag_t *diag)
{
	attest_chain_t *c;
	const unsigned char *line, *nl, *end;
	struct attest_ymd now;
	size_t i;
	attest_err_t r = ATTEST_OK;

	if (out != NULL)
		*out = NULL;
	if ((r = attest_need_init(diag)) != ATTEST_OK)
		return r;
	if (p == NULL || (ptr == NULL && len > 0) || o == NULL ||
	    o->now == NULL || attest_ymd_parse(o->now, 0, &now) !=
	    ATTEST_YMD_DATE || (o->nartifacts > 0 && o->artifacts == NULL))
		return ATTEST_ERR_INVALID_ARGUMENT;
	if (ptr == NULL)
		ptr = (const unsigned char *)"";	/* an empty bundle */
	end = ptr + len;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	if (len > ATTEST_MAX_ENVELOPE_BYTES)
		r = cerr(c, "the bundle is larger than %lu bytes",
		    ATTEST_MAX_ENVELOPE_BYTES);
	else if (count_lines(ptr, len) > ATTEST_CHAIN_MAX_LINES)
		/* before any line is read: the lines of a bundle refused
		 * whole are never checked, so none may be reported */
		r = cerr(c, "more than %d lines", ATTEST_CHAIN_MAX_LINES);
	for (line = ptr; r == ATTEST_OK && c->error == NULL && line < end;
	    line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;	/* the last line may lack its LF */
		if (c->n == ATTEST_CHAIN_MAX_LINES) {
			r = cerr(c, "more than %d lines",
			    ATTEST_CHAIN_MAX_LINES);
			break;
		}
		c->links[c->n].line = c->n + 1;
		r = read_line(p, &c->links[c->n], line, (size_t)(nl - line));
		c->n++;
	}
	if (r == ATTEST_OK && c->error == NULL)
		r = cross_check(p, c, o);
	if (r != ATTEST_OK) {	/* no memory, or a bad argument */
		attest_chain_free(&c);
		return r;
	}
	/*
	 * The first line at fault goes into diag, before a failure of the
	 * chain as a whole, which may only follow from it (a release line
	 * whose signature fails leaves CH-12 no release to check).
	 */
	c->holds = c->error == NULL;
	for (i = 0; i < c->n; i++)
		if (c->links[i].error != NULL) {
			if (r == ATTEST_OK)
				r = attest_diag_set(diag, ATTEST_ERR_VERIFY,
				    NULL, -1, "line %zu: %s", c->links[i].line,
				    c->links[i].error);
			c->holds = 0;
		}
	if (c->holds == 0 && r == ATTEST_OK)
		r = attest_diag_set(diag, ATTEST_ERR_VERIFY, NULL, -1, "%s",
		    c->error);
	if (out != NULL)
		*out = c;
	else
		attest_chain_free(&c);
	return r;
}

void
attest_chain_free(attest_chain_t **cp)
{
	attest_chain_t *c;
	size_t i, j;

	if (cp == NULL || (c = *cp) == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		struct link *l = &c->links[i];

		attest_verified_free(&l->v);
		attest_stmt_free(&l->stmt);
		free(l->error);
		for (j = 0; j < l->nwarn; j++)
			free(l->warn[j]);
	}
	/* either array may be missing: the second calloc may have failed */
	for (i = 0; i < c->nsubj + 1; i++) {
		if (c->subj_sha != NULL)
			free(c->subj_sha[i]);
		if (c->subj_name != NULL)
			free(c->subj_name[i]);
	}
	free(c->subj_sha);
	free(c->subj_name);
	free(c->error);
	free(c->product);
	free(c->manufacturer);
	free(c->support_end);
	free(c);
	*cp = NULL;
}

/* Accessors ------------------------------------------------------------------ */

#define LINK(c, i)	((c) != NULL && (i) < (c)->n ? &(c)->links[i] : NULL)

int
attest_chain_holds(const attest_chain_t *c)
{
	return c != NULL && c->holds;
}

size_t
attest_chain_link_count(const attest_chain_t *c)
{
	return c == NULL ? 0 : c->n;
}

attest_cra_kind_t
attest_chain_link_kind(const attest_chain_t *c, size_t i)
{
	const struct link *l = LINK(c, i);

	return l == NULL ? ATTEST_CRA_NONE : l->kind;
}

const char *
attest_chain_link_sha256(const attest_chain_t *c, size_t i)
{
	const struct link *l = LINK(c, i);

	return l == NULL || l->sha[0] == '\0' ? NULL : l->sha;
}

const unsigned char *
attest_chain_link_payload(const attest_chain_t *c, size_t i, size_t *len)
{
	const struct link *l = LINK(c, i);

	if (len != NULL)
		*len = 0;
	if (l == NULL || !l->trusted)
		return NULL;
	if (len != NULL)
		*len = attest_verified_payload_len(l->v);
	return attest_verified_payload_ptr(l->v);
}

const char *
attest_chain_link_operator(const attest_chain_t *c, size_t i)
{
	const struct link *l = LINK(c, i);

	return l == NULL || l->op[0] == '\0' ? NULL : l->op;
}

attest_role_t
attest_chain_link_role(const attest_chain_t *c, size_t i)
{
	const struct link *l = LINK(c, i);

	return l == NULL ? ATTEST_ROLE_NONE : l->role;
}

const char *
attest_chain_link_signed_on(const attest_chain_t *c, size_t i)
{
	const struct link *l = LINK(c, i);

	return l == NULL || l->signed_on[0] == '\0' ? NULL : l->signed_on;
}

size_t
attest_chain_link_accepted(const attest_chain_t *c, size_t i)
{
	const struct link *l = LINK(c, i);

	return l == NULL ? 0 : l->accepted;
}

size_t
attest_chain_link_threshold(const attest_chain_t *c, size_t i)
{
	const struct link *l = LINK(c, i);

	return l == NULL ? 0 : l->threshold;
}

const char *
attest_chain_link_error(const attest_chain_t *c, size_t i)
{
	const struct link *l = LINK(c, i);

	return l == NULL ? NULL : l->error;
}

size_t
attest_chain_link_warning_count(const attest_chain_t *c, size_t i)
{
	const struct link *l = LINK(c, i);

	return l == NULL ? 0 : l->nwarn;
}

const char *
attest_chain_link_warning(const attest_chain_t *c, size_t i, size_t j)
{
	const struct link *l = LINK(c, i);

	return l == NULL || j >= l->nwarn ? NULL : l->warn[j];
}

const char *
attest_chain_error(const attest_chain_t *c)
{
	return c == NULL ? NULL : c->error;
}

const char *
attest_chain_product(const attest_chain_t *c)
{
	return c == NULL ? NULL : c->product;
}

const char *
attest_chain_manufacturer(const attest_chain_t *c)
{
	return c == NULL ? NULL : c->manufacturer;
}

const char *
attest_chain_manufacturer_operator(const attest_chain_t *c)
{
	return c == NULL || c->mfr_op[0] == '\0' ? NULL : c->mfr_op;
}

const char *
attest_chain_manufacturer_country(const attest_chain_t *c)
{
	return c == NULL || c->mfr_country[0] == '\0' ? NULL :
	    c->mfr_country;
}

const char *
attest_chain_support_end(const attest_chain_t *c)
{
	return c == NULL ? NULL : c->support_end;
}

size_t
attest_chain_subject_count(const attest_chain_t *c)
{
	return c == NULL ? 0 : c->nsubj;
}

const char *
attest_chain_subject_sha256(const attest_chain_t *c, size_t i)
{
	return c == NULL || i >= c->nsubj ? NULL : c->subj_sha[i];
}

const char *
attest_chain_subject_name(const attest_chain_t *c, size_t i)
{
	return c == NULL || i >= c->nsubj ? NULL : c->subj_name[i];
}
