/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attest-chain import | distribute: verify the bundle upstream, make the
 * checks the records allow (specs/chain.md §2), take the rest from the
 * operator's file, check the record's rules, sign it, verify the bundle
 * with it appended under the policy, and write that bundle atomically.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chain_tool.h"
#include "sigtool.h"

/* The records of the verified upstream bundle, parsed. */
struct upstream {
	attest_chain_t	*c;
	json_t		*doc, *rel, *sdoc, *imp, *last;	/* predicates */
	const char	*doc_sha, *rel_sha, *sdoc_sha, *imp_sha, *last_sha;
	attest_cra_kind_t last_kind;
	json_t		*roots[ATTEST_CHAIN_MAX_LINES];
	size_t		 n;
};

static void
upstream_free(struct upstream *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		json_decref(u->roots[i]);
	attest_chain_free(&u->c);
}

/* The string at o.a (b NULL) or o.a.b, or NULL. */
static const char *
sget(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(o, a);

	if (b != NULL)
		v = json_object_get(v, b);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Verify the bundle under the policy; it must hold. */
static int
upstream_load(const struct opts *o, const unsigned char *buf, size_t len,
    struct upstream *u)
{
	attest_chain_options_t co;
	attest_diag_t *diag;
	const unsigned char *p;
	size_t i, plen;
	json_t *pred;
	attest_err_t r;
	int rc = EXIT_OK;

	memset(u, 0, sizeof(*u));
	memset(&co, 0, sizeof(co));
	co.now = o->at;
	co.artifacts = (const char *const *)o->artifact_sha;
	co.nartifacts = (size_t)o->nartifacts;
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	r = attest_chain_verify(o->pol, buf, len, &co, &u->c, diag);
	if (r != ATTEST_OK) {
		warnx("%s: the chain upstream does not hold: %s",
		    esc(o->bundles[0]),
		    attest_diag_get_reason(diag) ? attest_diag_get_reason(diag) :
		    attest_strerror(r));
		rc = exit_for(r);
		goto out;
	}
	u->n = attest_chain_link_count(u->c);
	for (i = 0; i < u->n; i++) {
		p = attest_chain_link_payload(u->c, i, &plen);
		if ((u->roots[i] = json_loadb((const char *)p, plen, 0,
		    NULL)) == NULL)
			errx(EXIT_ERROR, "%s: line %zu: cannot be read again",
			    esc(o->bundles[0]), i + 1);
		pred = json_object_get(u->roots[i], "predicate");
		u->last = pred;
		u->last_sha = attest_chain_link_sha256(u->c, i);
		u->last_kind = attest_chain_link_kind(u->c, i);
		switch (u->last_kind) {
		case ATTEST_CRA_DOC:
			u->doc = pred;
			u->doc_sha = u->last_sha;
			break;
		case ATTEST_CRA_RELEASE:
			u->rel = pred;
			u->rel_sha = u->last_sha;
			break;
		case ATTEST_CRA_SDOC:
			u->sdoc = pred;
			u->sdoc_sha = u->last_sha;
			break;
		case ATTEST_CRA_IMPORT:
			u->imp = pred;
			u->imp_sha = u->last_sha;
			break;
		default:
			break;
		}
	}
out:
	attest_diag_free(&diag);
	return rc;
}

/* The artifacts must be exactly the release's subjects (CH-7). */
static int
artifacts_cover(const struct opts *o, const struct upstream *u)
{
	size_t i;
	int j;

	for (i = 0; i < attest_chain_subject_count(u->c); i++) {
		for (j = 0; j < o->nartifacts; j++)
			if (strcmp(o->artifact_sha[j],
			    attest_chain_subject_sha256(u->c, i)) == 0)
				break;
		if (j == o->nartifacts) {
			warnx("--artifact: the release covers %s (SHA-256 "
			    "%.16s...); give every artifact it covers",
			    attest_chain_subject_name(u->c, i) != NULL ?
			    esc(attest_chain_subject_name(u->c, i)) :
			    "a subject without a name",
			    attest_chain_subject_sha256(u->c, i));
			return EXIT_ERROR;
		}
	}
	return EXIT_OK;
}

/* { "digests": { "sha256": sha } } */
static json_t *
dref(const char *sha)
{
	return json_pack("{s:{s:s}}", "digests", "sha256", sha);
}

/* A check the tool made from a record (specs/chain.md §1.2). */
static json_t *
auto_check(const struct opts *o, int pass, const char *sha, const char *what,
    const char *note)
{
	json_t *c;

	c = json_pack("{s:s, s:[{s:{s:s}, s:s}], s:s, s:s}", "result",
	    pass ? "pass" : "fail", "evidence", "digests", "sha256", sha,
	    "description", what, "checked_at", o->at, "checked_by",
	    "attest-chain");
	if (c != NULL && !pass)
		json_object_set_new(c, "note", json_string(note));
	return c;
}

/*
 * Put an automatic check into checks: the operator's own entry stays
 * when the tool's passes (it may hold more evidence, to which the tool's
 * is added); a failing automatic check replaces it.
 */
static void
merge_check(json_t *checks, const char *name, json_t *mine)
{
	json_t *theirs = json_object_get(checks, name), *ev;

	if (mine == NULL)
		errx(EXIT_ERROR, "out of memory");
	if (theirs == NULL || !json_is_object(theirs) ||
	    strcmp(json_string_value(json_object_get(mine, "result")),
	    "fail") == 0) {
		json_object_set_new(checks, name, mine);
		return;
	}
	if ((ev = json_object_get(theirs, "evidence")) != NULL &&
	    json_is_array(ev))
		json_array_extend(ev, json_object_get(mine, "evidence"));
	else
		json_object_set(theirs, "evidence", json_object_get(mine,
		    "evidence"));
	json_decref(mine);
}

static int
has_content(const json_t *o)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)(uintptr_t)o, k, v) {
		(void)k;
		if ((json_is_string(v) && json_string_length(v) > 0) ||
		    (json_is_array(v) && json_array_size(v) > 0))
			return 1;
	}
	return 0;
}

/* The checks both kinds of record make from the manufacturer's records. */
static void
common_checks(const struct opts *o, const struct upstream *u, json_t *checks,
    int importer)
{
	const json_t *ident = json_object_get(json_object_get(u->rel,
	    "product"), "identification");
	const char *end = sget(u->rel, "support_period", "end");
	int affixed = json_is_true(json_object_get(json_object_get(u->rel,
	    "ce_marking"), "affixed"));
	int contact = sget(u->rel, "manufacturer", "legal_name") != NULL &&
	    json_object_get(json_object_get(u->rel, "manufacturer"),
	    "postal_address") != NULL &&
	    (sget(u->rel, "manufacturer", "email") != NULL ||
	    sget(u->rel, "manufacturer", "digital_contact") != NULL);
	json_t *c;

	merge_check(checks, "ce_marking", auto_check(o, affixed, u->rel_sha,
	    "the release attestation states the CE marking affixed",
	    "the release attestation does not state the CE marking "
	    "affixed"));
	merge_check(checks, "identification_13_15", auto_check(o,
	    ident != NULL && has_content(ident), u->rel_sha, "the release "
	    "attestation identifies the product (type, batch, serials or "
	    "other ids)", "the release attestation gives no identification"));
	merge_check(checks, "manufacturer_contact_13_16", auto_check(o,
	    contact, u->rel_sha, "the release attestation names the "
	    "manufacturer with postal address and electronic contact",
	    "the release attestation lacks the manufacturer's contact"));
	c = auto_check(o, end != NULL, u->rel_sha, "the release attestation "
	    "states the end of the support period", "the release attestation "
	    "states no support period end");
	if (c != NULL && end != NULL)
		json_object_set_new(c, "end_seen", json_string(end));
	merge_check(checks, "support_end_13_19", c);
	merge_check(checks, importer ? "doc_accompanies" : "doc_13_20",
	    auto_check(o, 1, u->sdoc_sha != NULL ? u->sdoc_sha : u->doc_sha,
	    u->sdoc_sha != NULL ? "the simplified DoC, bound to the DoC, is "
	    "in the bundle" : "the EU declaration of conformity is in the "
	    "bundle", ""));
}

static void
import_checks(const struct opts *o, const struct upstream *u,
    json_t *checks)
{
	char what[256];

	(void)snprintf(what, sizeof(what), "the DoC verifies under the trust "
	    "policy and passes its rules as of %s (procedure %s)", o->at,
	    sget(u->doc, "procedure", NULL) != NULL ?
	    sget(u->doc, "procedure", NULL) : "?");
	merge_check(checks, "conformity_assessment_done", auto_check(o, 1,
	    u->doc_sha, what, ""));
	common_checks(o, u, checks, 1);
}

static void
distribution_checks(const struct opts *o, const struct upstream *u,
    json_t *checks)
{
	json_t *c;

	common_checks(o, u, checks, 0);
	merge_check(checks, "user_information_13_18", auto_check(o,
	    json_object_get(u->rel, "user_information") != NULL, u->rel_sha,
	    "the release attestation names the user information and "
	    "instructions (Annex II)", "the release attestation names no "
	    "user information"));
	if (u->imp != NULL)
		merge_check(checks, "importer_contact_19_4", auto_check(o,
		    sget(u->imp, "importer", "legal_name") != NULL &&
		    (sget(u->imp, "importer", "email") != NULL ||
		    sget(u->imp, "importer", "digital_contact") != NULL),
		    u->imp_sha, "the importer record names the importer with "
		    "its contact", "the importer record lacks the importer's "
		    "contact"));
	else {
		/*
		 * No importer: right for a manufacturer in the Union; for
		 * one outside it DIS-2 and CH-10 refuse the record.
		 */
		c = json_pack("{s:s, s:s, s:s, s:s}", "result",
		    "not_applicable", "note", "the bundle has no importer "
		    "record (a manufacturer established in the Union needs "
		    "none)", "checked_at", o->at, "checked_by", "attest-chain");
		merge_check(checks, "importer_contact_19_4", c);
	}
}

/* Party {name, postal_address} of an Operator. */
static json_t *
party_of(const json_t *op)
{
	return json_pack("{s:O?, s:O?}", "name", json_object_get(op,
	    "legal_name"), "postal_address", json_object_get(op,
	    "postal_address"));
}

/* The predicate: the operator's file, completed from the bundle. */
static int
build(const struct opts *o, attest_cra_kind_t kind, const struct upstream *u,
    json_t *pred)
{
	json_t *up, *checks, *supplier_op = NULL, *custody, *sig;

	/* upstream is the bundle's: whatever the file says is replaced */
	/* the manufacturer is the DoC's (CH-8): the file's is replaced */
	json_object_set(pred, "manufacturer", json_object_get(u->doc,
	    "manufacturer"));
	if (json_object_get(pred, "product") == NULL)
		json_object_set(pred, "product", json_object_get(u->rel,
		    "product"));
	if ((up = json_pack("{s:o, s:o}", "doc", dref(u->doc_sha), "release",
	    dref(u->rel_sha))) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((checks = json_object_get(pred, "checks")) == NULL) {
		checks = json_object();
		json_object_set_new(pred, "checks", checks);
	} else if (!json_is_object(checks)) {
		warnx("%s: checks: must be an object", esc(o->operator_file));
		json_decref(up);
		return EXIT_ERROR;
	}
	if (kind == ATTEST_CRA_IMPORT) {
		if (u->imp != NULL || u->last_kind == ATTEST_CRA_DISTRIBUTION) {
			warnx("%s: the bundle already has %s record",
			    esc(o->bundles[0]),
			    u->imp != NULL ? "an importer" : "a distributor");
			json_decref(up);
			return EXIT_VERDICT;
		}
		if (u->sdoc_sha != NULL)
			json_object_set_new(up, "sdoc", dref(u->sdoc_sha));
		import_checks(o, u, checks);
		supplier_op = json_object_get(u->rel, "manufacturer");
	} else {
		if (u->imp_sha != NULL)
			json_object_set_new(up, "import", dref(u->imp_sha));
		if (u->last_kind == ATTEST_CRA_DISTRIBUTION)
			json_object_set_new(up, "previous_distribution",
			    dref(u->last_sha));
		distribution_checks(o, u, checks);
		supplier_op = u->last_kind == ATTEST_CRA_DISTRIBUTION ?
		    json_object_get(u->last, "distributor") : u->imp != NULL ?
		    json_object_get(u->imp, "importer") :
		    json_object_get(u->rel, "manufacturer");
		if (json_object_get(pred, "supplier") == NULL)
			json_object_set_new(pred, "supplier",
			    party_of(supplier_op));
	}
	json_object_set_new(pred, "upstream", up);
	if ((custody = json_object_get(pred, "custody")) != NULL &&
	    json_is_object(custody) &&
	    json_object_get(custody, "supplied_by") == NULL)
		json_object_set_new(custody, "supplied_by",
		    party_of(supplier_op));
	if ((sig = json_object_get(pred, "signatory")) != NULL &&
	    json_is_object(sig) && json_object_get(sig, "date_of_issue") ==
	    NULL)
		json_object_set_new(sig, "date_of_issue", json_string(o->at));
	return EXIT_OK;
}

/* Print the findings; exit 1 when one is an error. */
static int
rules(const struct opts *o, attest_cra_kind_t kind, const char *text,
    size_t len)
{
	attest_cra_context_t ctx;
	attest_cra_findings_t *f = NULL;
	attest_diag_t *diag;
	size_t i;
	attest_err_t r;
	int rc = EXIT_OK;

	memset(&ctx, 0, sizeof(ctx));
	ctx.now = o->at;
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_cra_check(kind, (const unsigned char *)text, len,
	    &ctx, &f, diag)) != ATTEST_OK) {
		rc = report(o->operator_file, diag, r);
		goto out;
	}
	for (i = 0; i < attest_cra_findings_count(f); i++) {
		int e = attest_cra_finding_severity(f, i) == ATTEST_CRA_ERROR;
		const char *field = attest_cra_finding_field(f, i);

		warnx("%s: %s%s%s%s (%s, %s)", esc(o->operator_file),
		    e ? "" : "warning: ", esc(field), *field != '\0' ? ": " :
		    "", esc(attest_cra_finding_message(f, i)),
		    attest_cra_finding_rule(f, i),
		    attest_cra_finding_basis(f, i));
		if (e)
			rc = EXIT_VERDICT;
	}
out:
	attest_cra_findings_free(&f);
	attest_diag_free(&diag);
	return rc;
}

/* The bundle with the new line, verified under the policy: must hold. */
static int
verify_appended(const struct opts *o, const unsigned char *buf, size_t len)
{
	attest_chain_options_t co;
	attest_chain_t *c = NULL;
	attest_diag_t *diag;
	attest_err_t r;
	int rc = EXIT_OK;

	memset(&co, 0, sizeof(co));
	co.now = o->at;
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_chain_verify(o->pol, buf, len, &co, &c, diag)) !=
	    ATTEST_OK) {
		warnx("%s: not written: with the new record the chain does not "
		    "hold: %s", esc(o->out), attest_diag_get_reason(diag) ?
		    attest_diag_get_reason(diag) : attest_strerror(r));
		rc = exit_for(r);
	}
	attest_chain_free(&c);
	attest_diag_free(&diag);
	return rc;
}

int
cmd_append(struct opts *o, attest_cra_kind_t kind, int argc, char **argv)
{
	attest_signer_t *signers[CHAIN_MAX_KEYS];
	attest_envelope_t *env = NULL;
	attest_diag_t *diag;
	struct upstream u;
	unsigned char *buf = NULL, *stmt = NULL, *line = NULL, *all = NULL;
	size_t len = 0, stmt_len = 0, line_len = 0, all_len = 0, k;
	json_t *draft = NULL, *pred;
	json_error_t je;
	char *text = NULL;
	const char *type;
	attest_err_t r;
	int rc;

	(void)argv;
	memset(signers, 0, sizeof(signers));
	memset(&u, 0, sizeof(u));
	if (argc != 0 || o->nbundles != 1 || o->nkeys == 0 ||
	    o->out == NULL || o->operator_file == NULL || o->nartifacts == 0)
		usage_fail(chain_usage, "import/distribute: --bundle, -k, --artifact, "
		    "--operator and -o are required, nothing else");
	if (!o->force && strcmp(o->out, "-") != 0 &&
	    attest_file_exists(o->out) == 1) {
		warnx("%s: exists (use --force to replace it)", esc(o->out));
		return EXIT_ERROR;
	}
	if ((diag = attest_diag_new()) == NULL)
		errx(EXIT_ERROR, "out of memory");
	if ((r = attest_file_read_alloc(o->bundles[0],
	    ATTEST_MAX_ENVELOPE_BYTES, &buf, &len, diag)) != ATTEST_OK) {
		rc = report(o->bundles[0], diag, r);
		goto out;
	}
	if ((rc = upstream_load(o, buf, len, &u)) != EXIT_OK ||
	    (rc = artifacts_cover(o, &u)) != EXIT_OK)
		goto out;
	/* the operator's part: a draft as attest-doc reads them */
	if ((draft = json_load_file(o->operator_file, JSON_REJECT_DUPLICATES,
	    &je)) == NULL) {
		warnx("%s: line %d: %s", esc(o->operator_file), je.line,
		    esc(je.text));
		rc = EXIT_ERROR;
		goto out;
	}
	type = json_string_value(json_object_get(draft, "predicateType"));
	pred = json_object_get(draft, "predicate");
	if (type == NULL || strcmp(type, attest_cra_predicate_type(kind)) !=
	    0 || !json_is_object(pred)) {
		warnx("%s: must be {\"predicateType\": \"%s\", \"predicate\": "
		    "{...}} (attest-doc init %s writes a template)",
		    esc(o->operator_file), attest_cra_predicate_type(kind),
		    attest_cra_kind_name(kind));
		rc = EXIT_ERROR;
		goto out;
	}
	if ((rc = build(o, kind, &u, pred)) != EXIT_OK)
		goto out;
	if ((text = json_dumps_whole(pred, JSON_COMPACT |
	    JSON_PRESERVE_ORDER)) == NULL)
		errx(EXIT_ERROR, "out of memory");
	/* a record that fails its rules (IMP-2: a failed check) is not signed */
	if ((rc = rules(o, kind, text, strlen(text))) != EXIT_OK) {
		if (rc == EXIT_VERDICT)
			warnx("%s: not signed", esc(o->operator_file));
		goto out;
	}
	if ((rc = signers_open(o->keyrefs, o->nkeys, &o->sec, signers)) !=
	    EXIT_OK ||
	    (rc = statement_build(o->artifacts, o->nartifacts,
	    ATTEST_DIGEST_SHA256 | ATTEST_DIGEST_SHA512, type,
	    (const unsigned char *)text, strlen(text), o->operator_file, &stmt,
	    &stmt_len)) != EXIT_OK)
		goto out;
	if ((env = attest_envelope_new()) == NULL ||
	    attest_envelope_set_payload(env, ATTEST_PAYLOAD_TYPE_INTOTO, stmt,
	    stmt_len) != ATTEST_OK)
		errx(EXIT_ERROR, "out of memory");
	for (k = 0; k < o->nkeys; k++)
		if ((r = attest_envelope_sign(env, signers[k], diag)) !=
		    ATTEST_OK) {
			rc = report(o->keyrefs[k], diag, r);
			goto out;
		}
	if (attest_envelope_serialize_alloc(env, &line, &line_len) !=
	    ATTEST_OK || (all = malloc(len + line_len + 2)) == NULL)
		errx(EXIT_ERROR, "out of memory");
	memcpy(all, buf, len);
	all_len = len;
	if (all_len > 0 && all[all_len - 1] != '\n')
		all[all_len++] = '\n';
	memcpy(all + all_len, line, line_len);
	all_len += line_len;
	all[all_len++] = '\n';
	if ((rc = verify_appended(o, all, all_len)) != EXIT_OK)
		goto out;
	attest_diag_clear(diag);
	if ((r = attest_file_write(o->out, all, all_len, o->force ?
	    ATTEST_WRITE_FORCE : 0, diag)) != ATTEST_OK) {
		rc = report(o->out, diag, r);
		goto out;
	}
	printf("%s: %s record appended as line %zu\n", esc(o->out),
	    attest_cra_kind_name(kind), u.n + 1);
	rc = EXIT_OK;
out:
	signers_free(signers, o->nkeys);
	attest_envelope_free(&env);
	upstream_free(&u);
	json_decref(draft);
	free(text);
	free(buf);
	free(stmt);
	free(line);
	free(all);
	attest_diag_free(&diag);
	return rc;
}
