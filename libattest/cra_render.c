/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CRA records for people (specs/cra.md §4-§6): the EU declaration of
 * conformity laid out as Annex V, the simplified declaration of Annex VI
 * and the manufacturer release attestation, rendered from a verified
 * Statement as plain text (78 columns) or as one self-contained HTML page.
 *
 * One walk over the record writes either form through the out_*
 * primitives below.  Every value taken from the record or from the caller
 * goes through clean() (attest_text_escape(): control, line-separator
 * and bidirectional characters shown as "\x1b" or "\u202e", so a value
 * cannot move the cursor of a terminal or reorder what is shown) and, in
 * HTML, through the escaper (& < > " '), so a value cannot add markup.  In the text form a value
 * never starts a line at column 0 (values sit at indent 3 or more, their
 * continuation lines at 5 or more): every line at column 0 is the
 * renderer's own, which tools/doc_pdf.c relies on.
 *
 * Language: English only.  The Annex VI sentence and the labels follow
 * the English language version of Regulation (EU) 2024/2847; further
 * languages may only be added from the official language versions
 * published in the Official Journal, never translated here.
 *
 * Output is deterministic (no clock, no locale, no hash order): the same
 * Statement and signature facts give the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attest/cra.h"
#include "json_int.h"

#define WIDTH		78	/* text form: columns of a line */
#define IND0		3	/* text form: indent of a section's fields */
#define PATHMAX		256	/* field path for messages */

static const char SPACES[] = "                                        ";

struct rd {
	struct attest_buf	 b;
	attest_diag_t		*diag;
	attest_err_t		 err;	/* sticky: the first failure wins */
	int			 html;
	int			 depth;	/* nesting inside a section */
	int			 dl_open; /* HTML: the section's own <dl> */
	int			 in_item; /* HTML: section is an Annex V <li> */
};

struct name {
	const char	*code;
	const char	*text;
};

/*
 * Output and cleaning.
 */

static void
put(struct rd *r, const void *p, size_t n)
{
	if (r->err == ATTEST_OK)
		r->err = attest_buf_append(&r->b, p, n);
}

static void
puts_(struct rd *r, const char *s)
{
	put(r, s, strlen(s));
}

static size_t
u8len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xe0)
		return 2;
	if (c < 0xf0)
		return 3;
	return 4;
}

/*
 * Append @p s to @p o made safe to show: tab becomes a space, CR LF and
 * lone CR become LF (a line break inside a value), and the rest goes
 * through attest_text_escape(), LF kept: a control, line separator or
 * bidirectional character becomes the visible text "\x1b" or "\u202e".
 */
static attest_err_t
clean(struct attest_buf *o, const char *s)
{
	char *t, *e;
	size_t i, j;
	attest_err_t r;

	if (s == NULL)		/* a member that is not a string: nothing */
		return attest_buf_append(o, "", 0);
	if ((t = strdup(s)) == NULL)
		return ATTEST_ERR_NO_MEMORY;
	for (i = j = 0; t[i] != '\0'; i++)
		if (t[i] == '\r' && t[i + 1] == '\n')
			;	/* the LF that follows breaks the line */
		else if (t[i] == '\r')
			t[j++] = '\n';
		else if (t[i] == '\t')
			t[j++] = ' ';
		else
			t[j++] = t[i];
	t[j] = '\0';
	e = attest_text_escape_alloc(t, ATTEST_TEXT_NEWLINE);
	free(t);
	if (e == NULL)
		return ATTEST_ERR_NO_MEMORY;
	r = attest_buf_append(o, e, strlen(e));
	free(e);
	/* an empty value still gives a string */
	if (r == ATTEST_OK && o->ptr == NULL)
		r = attest_buf_append(o, " ", 1);
	return r;
}

static const char *
entity(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

/* HTML: append a cleaned, escaped value (text or attribute content). */
static void
hesc(struct rd *r, const char *value)
{
	struct attest_buf c = { NULL, 0, 0 };
	const char *p, *e;

	if (r->err != ATTEST_OK)
		return;
	if ((r->err = clean(&c, value)) != ATTEST_OK)
		goto out;
	for (p = (const char *)c.ptr; *p != '\0'; p = e) {
		for (e = p; *e != '\0' && entity(*e) == NULL; e++)
			;
		put(r, p, (size_t)(e - p));
		if (*e != '\0')
			puts_(r, entity(*e++));
	}
out:
	attest_buf_reset(&c);
}

/*
 * Text form: flowing words into lines of WIDTH columns.  A column is a
 * code point (wide and combining characters are not measured).
 */

struct line {
	size_t	col;
	size_t	indent;		/* of continuation lines */
	int	empty;		/* nothing on the line but its indent */
};

static size_t
cols(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Bytes of the first @p k code points of s[0..n). */
static size_t
cut(const char *s, size_t n, size_t k)
{
	size_t i = 0;

	while (i < n && k-- > 0)
		i += u8len((unsigned char)s[i]);
	return i > n ? n : i;
}

static void
spaces(struct rd *r, size_t n)
{
	for (; n > sizeof(SPACES) - 1; n -= sizeof(SPACES) - 1)
		put(r, SPACES, sizeof(SPACES) - 1);
	put(r, SPACES, n);
}

static void
newline(struct rd *r, struct line *l)
{
	put(r, "\n", 1);
	spaces(r, l->indent);
	l->col = l->indent;
	l->empty = 1;
}

static void
word(struct rd *r, struct line *l, const char *w, size_t n)
{
	size_t wc = cols(w, n), k;

	if (!l->empty && l->col + 1 + wc > WIDTH)
		newline(r, l);
	if (!l->empty) {
		put(r, " ", 1);
		l->col++;
	}
	/* a word longer than the line (a digest, a URI) is cut */
	while (n > 0 && l->col + wc > WIDTH) {
		if ((k = cut(w, n, WIDTH - l->col)) == 0) {
			newline(r, l);
			continue;
		}
		put(r, w, k);
		l->col += cols(w, k);
		l->empty = 0;
		w += k;
		n -= k;
		wc = cols(w, n);
		if (n > 0)
			newline(r, l);
	}
	put(r, w, n);
	l->col += wc;
	l->empty = 0;
}

static void
flow(struct rd *r, struct line *l, const char *s)
{
	const char *e;

	while (*s != '\0') {
		if (*s == '\n') {
			if (!l->empty)
				newline(r, l);
			s++;
		} else if (*s == ' ')
			s++;
		else {
			for (e = s; *e != '\0' && *e != ' ' && *e != '\n'; e++)
				;
			word(r, l, s, (size_t)(e - s));
			s = e;
		}
	}
}

/*
 * One text entry: @p ind spaces, @p lead (an authored label such as
 * "Name:" or "-", or NULL for a paragraph), then @p value flowed, its
 * continuation lines at @p cont.
 */
static void
tline(struct rd *r, size_t ind, const char *lead, size_t cont,
    const char *value)
{
	struct attest_buf c = { NULL, 0, 0 };
	struct line l;

	if (r->err != ATTEST_OK)
		return;
	if ((r->err = clean(&c, value)) != ATTEST_OK)
		goto out;
	spaces(r, ind);
	l.col = ind;
	l.indent = cont;
	l.empty = 1;
	if (lead != NULL) {
		puts_(r, lead);
		l.col += strlen(lead);
		l.empty = 0;
	}
	flow(r, &l, (const char *)c.ptr);
	put(r, "\n", 1);
out:
	attest_buf_reset(&c);
}

/*
 * The primitives, both forms.  HTML: a section is an <li> (Annex V item)
 * or a <section>; its fields a <dl>; a group a <dl> inside a <dd>; a
 * list a <ul> inside a <dd>, each item a value and its own <dl>.
 */

static size_t
ind(const struct rd *r)
{
	return (size_t)(IND0 + 2 * r->depth);
}

static void
need_dl(struct rd *r)
{
	if (r->depth == 0 && !r->dl_open) {
		puts_(r, "<dl>\n");
		r->dl_open = 1;
	}
}

static void
close_dl(struct rd *r)
{
	if (r->depth == 0 && r->dl_open) {
		puts_(r, "</dl>\n");
		r->dl_open = 0;
	}
}

static void
dt(struct rd *r, const char *label)
{
	need_dl(r);
	puts_(r, "<dt>");
	hesc(r, label);		/* authored, but escaped all the same */
	puts_(r, "</dt>");
}

static int
is_web(const char *uri)
{
	return strncasecmp(uri, "https://", 8) == 0 ||
	    strncasecmp(uri, "http://", 7) == 0;
}

/* "Label: value"; a URI (@p uri) becomes a link when it is http(s). */
static void
field_as(struct rd *r, const char *label, const char *value, int uri)
{
	char lead[128];

	if (value == NULL)
		return;
	if (!r->html) {
		(void)snprintf(lead, sizeof(lead), "%s:", label);
		tline(r, ind(r), lead, ind(r) + 2, value);
		return;
	}
	dt(r, label);
	puts_(r, "<dd class=\"v\">");
	if (uri && is_web(value)) {
		puts_(r, "<a href=\"");
		hesc(r, value);
		puts_(r, "\">");
		hesc(r, value);
		puts_(r, "</a>");
	} else
		hesc(r, value);
	puts_(r, "</dd>\n");
}

static void
field(struct rd *r, const char *label, const char *value)
{
	field_as(r, label, value, 0);
}

/* A paragraph of a section (depth 0 only). */
static void
para(struct rd *r, const char *value, const char *cls)
{
	if (!r->html) {
		tline(r, ind(r), NULL, ind(r), value);
		return;
	}
	close_dl(r);
	puts_(r, "<p class=\"");
	puts_(r, cls);
	puts_(r, "\">");
	hesc(r, value);
	puts_(r, "</p>\n");
}

static void
group_begin(struct rd *r, const char *label, const char *html_open)
{
	if (!r->html) {
		spaces(r, ind(r));
		puts_(r, label);
		puts_(r, ":\n");
	} else {
		dt(r, label);
		puts_(r, html_open);
	}
	r->depth++;
}

static void
group_end(struct rd *r, const char *html_close)
{
	r->depth--;
	if (r->html)
		puts_(r, html_close);
}

#define GROUP(r, l)	group_begin((r), (l), "<dd><dl>\n")
#define GROUP_END(r)	group_end((r), "</dl></dd>\n")
#define LIST(r, l)	group_begin((r), (l), "<dd><ul>\n")
#define LIST_END(r)	group_end((r), "</ul></dd>\n")

static void
item_begin(struct rd *r, const char *value)
{
	if (!r->html)
		tline(r, ind(r), "-", ind(r) + 2, value);
	else {
		puts_(r, "<li><span class=\"v\">");
		hesc(r, value);
		puts_(r, "</span><dl>\n");
	}
	r->depth++;
}

static void
item_end(struct rd *r)
{
	r->depth--;
	if (r->html)
		puts_(r, "</dl></li>\n");
}

/* @p num 1-8: an Annex V item; 0: a section; @p heading NULL: none. */
static void
sec_begin(struct rd *r, int num, const char *heading)
{
	char n[16];

	r->depth = 0;
	r->dl_open = 0;
	r->in_item = num > 0;
	if (!r->html) {
		puts_(r, "\n");
		if (num > 0) {
			(void)snprintf(n, sizeof(n), "%d. ", num);
			puts_(r, n);
		}
		if (heading != NULL) {
			puts_(r, heading);
			puts_(r, "\n");
		}
		return;
	}
	if (num > 0) {
		(void)snprintf(n, sizeof(n), "%d", num);
		puts_(r, "<li id=\"item-");
		puts_(r, n);
		puts_(r, "\">");
	} else
		puts_(r, "<section>");
	if (heading != NULL) {
		puts_(r, "<h2>");
		puts_(r, heading);
		puts_(r, "</h2>");
	}
	puts_(r, "\n");
}

static void
sec_end(struct rd *r)
{
	if (!r->html)
		return;
	close_dl(r);
	puts_(r, r->in_item ? "</li>\n" : "</section>\n");
}

/*
 * Reading the record: missing members are skipped, members of the wrong
 * type refuse the whole render (ATTEST_ERR_PARSE, field path in diag).
 */

static const char *
jpath(char buf[PATHMAX], const char *path, const char *key)
{
	return attest_json_path(buf, PATHMAX, path, key);
}

/* Member @p key of @p o if present and of type @p t (JSON_TRUE: a boolean). */
static const json_t *
member(struct rd *r, const json_t *o, const char *path, const char *key,
    json_type t)
{
	char f[PATHMAX];
	json_t *v = NULL;

	if (r->err != ATTEST_OK || o == NULL)
		return NULL;
	if (t != JSON_TRUE) {
		r->err = attest_json_get_typed(o, path, key, t, 0, &v,
		    r->diag);
		return r->err == ATTEST_OK ? v : NULL;
	}
	if ((v = json_object_get(o, key)) != NULL && !json_is_boolean(v)) {
		r->err = attest_diag_set(r->diag, ATTEST_ERR_PARSE,
		    jpath(f, path, key), -1, "must be a boolean");
		return NULL;
	}
	return v;
}

static const char *
str(struct rd *r, const json_t *o, const char *path, const char *key)
{
	return json_string_value(member(r, o, path, key, JSON_STRING));
}

/* Element @p i of array @p a (named @p path) as a string, or NULL. */
static const char *
elem_str(struct rd *r, const json_t *a, const char *path, size_t i)
{
	const json_t *v = json_array_get(a, i);

	if (r->err != ATTEST_OK)
		return NULL;
	if (!json_is_string(v)) {
		r->err = attest_diag_set(r->diag, ATTEST_ERR_PARSE, path,
		    -1, "[%zu]: must be a string", i);
		return NULL;
	}
	return json_string_value(v);
}

static const json_t *
elem_obj(struct rd *r, const json_t *a, const char *path, size_t i,
    char buf[PATHMAX])
{
	const json_t *v = json_array_get(a, i);

	(void)snprintf(buf, PATHMAX, "%s[%zu]", path, i);
	if (r->err != ATTEST_OK)
		return NULL;
	if (!json_is_object(v)) {
		r->err = attest_diag_set(r->diag, ATTEST_ERR_PARSE, buf, -1,
		    "must be an object");
		return NULL;
	}
	return v;
}

static const char *
known(const struct name *tab, const char *code)
{
	for (; code != NULL && tab->code != NULL; tab++)
		if (strcmp(tab->code, code) == 0)
			return tab->text;
	return NULL;
}

static const char *
lookup(const struct name *tab, const char *code)
{
	const char *t = known(tab, code);

	return t != NULL ? t : code;	/* an unknown code: as it is */
}

static void
f_str(struct rd *r, const json_t *o, const char *path, const char *key,
    const char *label)
{
	field(r, label, str(r, o, path, key));
}

static void
f_uri(struct rd *r, const json_t *o, const char *path, const char *key,
    const char *label)
{
	field_as(r, label, str(r, o, path, key), 1);
}

static void
f_enum(struct rd *r, const json_t *o, const char *path, const char *key,
    const char *label, const struct name *tab)
{
	field(r, label, lookup(tab, str(r, o, path, key)));
}

static void
f_bool(struct rd *r, const json_t *o, const char *path, const char *key,
    const char *label)
{
	const json_t *v = member(r, o, path, key, JSON_TRUE);

	if (v != NULL)
		field(r, label, json_is_true(v) ? "yes" : "no");
}

static void
f_int(struct rd *r, const json_t *o, const char *path, const char *key,
    const char *label)
{
	const json_t *v = member(r, o, path, key, JSON_INTEGER);
	char n[32];

	if (v == NULL)
		return;
	(void)snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(v));
	field(r, label, n);
}

static void
put_to(struct rd *r, struct attest_buf *b, const char *s)
{
	if (r->err == ATTEST_OK)
		r->err = attest_buf_append(b, s, strlen(s));
}

/* Append the strings of array @p a to @p j, @p sep between them. */
static void
join(struct rd *r, struct attest_buf *j, const json_t *a, const char *path,
    const char *sep)
{
	const char *s;
	size_t i;

	for (i = 0; i < json_array_size(a); i++) {
		if ((s = elem_str(r, a, path, i)) == NULL)
			return;
		if (i > 0)
			put_to(r, j, sep);
		put_to(r, j, s);
	}
}

/* An array of strings as one field, "a, b, c". */
static void
f_join(struct rd *r, const json_t *o, const char *path, const char *key,
    const char *label)
{
	struct attest_buf j = { NULL, 0, 0 };
	const json_t *a = member(r, o, path, key, JSON_ARRAY);
	char p[PATHMAX];

	if (a == NULL || json_array_size(a) == 0)
		return;
	join(r, &j, a, jpath(p, path, key), ", ");
	if (r->err == ATTEST_OK)
		field(r, label, (const char *)j.ptr);
	attest_buf_reset(&j);
}

/*
 * Names shown for the closed sets of specs/cra.md.
 */

static const struct name procedures[] = {
	{ "module_a", "Internal control (module A, Annex VIII Part I)" },
	{ "module_b_c", "EU-type examination (module B, Annex VIII Part II) "
	    "followed by conformity to type based on internal production "
	    "control (module C, Annex VIII Part III)" },
	{ "module_h", "Conformity based on full quality assurance "
	    "(module H, Annex VIII Part IV)" },
	{ "eu_certification", "European cybersecurity certification scheme "
	    "(Article 27(9), Article 32)" },
	{ NULL, NULL }
};

static const struct name classes[] = {
	{ "default", "Not listed in Annex III or IV" },
	{ "important_class_i", "Important product with digital elements, "
	    "class I (Annex III)" },
	{ "important_class_ii", "Important product with digital elements, "
	    "class II (Annex III)" },
	{ "critical", "Critical product with digital elements (Annex IV)" },
	{ NULL, NULL }
};

static const struct name placements[] = {
	{ "product", "On the product" },
	{ "packaging", "On the packaging" },
	{ "doc", "On the EU declaration of conformity" },
	{ "website", "On the website accompanying the software product" },
	{ NULL, NULL }
};

static const struct name roles[] = {
	{ "manufacturer", "Manufacturer" },
	{ "authorised_representative", "Authorised representative" },
	{ "importer", "Importer" },
	{ "distributor", "Distributor" },
	{ "oss_steward", "Open-source software steward" },
	{ NULL, NULL }
};

static const struct name std_kinds[] = {
	{ "harmonised_standard", "Harmonised standard" },
	{ "common_specification", "Common specification" },
	{ "technical_specification", "Technical specification" },
	{ NULL, NULL }
};

static const struct name coverages[] = {
	{ "full", "Applied in full" },
	{ "partial", "Applied in part" },
	{ NULL, NULL }
};

static const struct name cert_kinds[] = {
	{ "eu_type_examination_certificate",
	    "EU-type examination certificate" },
	{ "quality_system_approval", "Quality system approval" },
	{ NULL, NULL }
};

static const struct name issuers[] = {
	{ "manufacturer", "The manufacturer" },
	{ "authorised_representative", "The authorised representative" },
	{ NULL, NULL }
};

static const struct name channels[] = {
	{ "uri", "Web" },
	{ "email", "Email" },
	{ "phone", "Telephone" },
	{ NULL, NULL }
};

static const struct name sbom_formats[] = {
	{ "cyclonedx", "CycloneDX" },
	{ "spdx", "SPDX" },
	{ NULL, NULL }
};

static const struct name sbom_depths[] = {
	{ "top_level", "Top-level dependencies" },
	{ "transitive", "Transitive dependencies" },
	{ "complete", "Complete" },
	{ NULL, NULL }
};

/*
 * Shared types (specs/cra.md §3).
 */

/* The `digests` member of @p o: SHA-256 and SHA-512. */
static void
digests(struct rd *r, const json_t *o, const char *path)
{
	const json_t *d = member(r, o, path, "digests", JSON_OBJECT);
	char p[PATHMAX];

	jpath(p, path, "digests");
	f_str(r, d, p, "sha256", "SHA-256");
	f_str(r, d, p, "sha512", "SHA-512");
}

static void
digestref_fields(struct rd *r, const json_t *d, const char *path)
{
	f_uri(r, d, path, "uri", "Address");
	digests(r, d, path);
	f_str(r, d, path, "media_type", "Media type");
	f_str(r, d, path, "lang", "Language");
}

/* Object member @p key of @p o as a group named @p label, fields by fn. */
typedef void fields_fn(struct rd *, const json_t *, const char *);

static void
obj_group(struct rd *r, const json_t *o, const char *path, const char *key,
    const char *label, fields_fn *fn)
{
	const json_t *g = member(r, o, path, key, JSON_OBJECT);
	char p[PATHMAX];

	if (g == NULL)
		return;
	GROUP(r, label);
	fn(r, g, jpath(p, path, key));
	GROUP_END(r);
}

/* DigestRef member @p key of @p o (§3.2) as a group named @p label. */
static void
digestref(struct rd *r, const json_t *o, const char *path, const char *key,
    const char *label)
{
	obj_group(r, o, path, key, label, digestref_fields);
}

/* postal_address: its lines, "postcode city", country; one line each. */
static void
address(struct rd *r, const json_t *o, const char *path)
{
	struct attest_buf j = { NULL, 0, 0 };
	const json_t *a = member(r, o, path, "postal_address", JSON_OBJECT);
	const char *pc, *city, *cc;
	char p[PATHMAX], q[PATHMAX];

	if (a == NULL)
		return;
	jpath(p, path, "postal_address");
	join(r, &j, member(r, a, p, "lines", JSON_ARRAY),
	    jpath(q, p, "lines"), "\n");
	pc = str(r, a, p, "postcode");
	city = str(r, a, p, "city");
	cc = str(r, a, p, "country");
	if (pc != NULL || city != NULL) {
		put_to(r, &j, j.len > 0 ? "\n" : "");
		put_to(r, &j, pc != NULL ? pc : "");
		put_to(r, &j, pc != NULL && city != NULL ? " " : "");
		put_to(r, &j, city != NULL ? city : "");
	}
	if (cc != NULL) {
		put_to(r, &j, j.len > 0 ? "\n" : "");
		put_to(r, &j, cc);
	}
	if (r->err == ATTEST_OK && j.len > 0)
		field(r, "Address", (const char *)j.ptr);
	attest_buf_reset(&j);
}

/* Operator (§3.1). */
static void
operator_fields(struct rd *r, const json_t *o, const char *path)
{
	f_enum(r, o, path, "role", "Role", roles);
	f_str(r, o, path, "legal_name", "Name");
	f_str(r, o, path, "trade_name", "Trade name");
	address(r, o, path);
	f_str(r, o, path, "email", "Email");
	f_uri(r, o, path, "digital_contact", "Contact");
	f_uri(r, o, path, "website", "Website");
	f_bool(r, o, path, "established_in_union", "Established in the Union");
}

static void
operator_group(struct rd *r, const json_t *o, const char *path,
    const char *key, const char *label)
{
	obj_group(r, o, path, key, label, operator_fields);
}

/* identification.serial_ranges: "A to B, C to D". */
static void
serial_ranges(struct rd *r, const json_t *id, const char *path)
{
	struct attest_buf j = { NULL, 0, 0 };
	const json_t *a = member(r, id, path, "serial_ranges", JSON_ARRAY);
	const json_t *e;
	const char *from, *to;
	char p[PATHMAX], q[PATHMAX];
	size_t i;

	jpath(p, path, "serial_ranges");
	for (i = 0; i < json_array_size(a); i++) {
		if ((e = elem_obj(r, a, p, i, q)) == NULL)
			break;
		from = str(r, e, q, "from");
		to = str(r, e, q, "to");
		put_to(r, &j, i > 0 ? ", " : "");
		put_to(r, &j, from != NULL ? from : "?");
		put_to(r, &j, " to ");
		put_to(r, &j, to != NULL ? to : "?");
	}
	if (r->err == ATTEST_OK && j.len > 0)
		field(r, "Serial number ranges", (const char *)j.ptr);
	attest_buf_reset(&j);
}

/* Product (§3.3); @p o is the product object. */
static void
product(struct rd *r, const json_t *o, const char *path)
{
	const json_t *id;
	char p[PATHMAX];

	f_str(r, o, path, "name", "Name");
	f_str(r, o, path, "type_designation", "Type");
	f_str(r, o, path, "model", "Model");
	f_join(r, o, path, "versions", "Versions");
	f_bool(r, o, path, "software", "Software only");
	if ((id = member(r, o, path, "identification", JSON_OBJECT)) !=
	    NULL) {
		jpath(p, path, "identification");
		GROUP(r, "Identification");
		f_str(r, id, p, "type", "Type");
		f_str(r, id, p, "batch", "Batch");
		f_join(r, id, p, "serials", "Serial numbers");
		serial_ranges(r, id, p);
		f_join(r, id, p, "other_ids", "Other identifiers");
		GROUP_END(r);
	}
	digestref(r, o, path, "photo", "Photograph");
	f_enum(r, o, path, "class", "Category", classes);
	f_str(r, o, path, "annex_category", "Annex entry");
	f_bool(r, o, path, "is_foss", "Free and open-source software");
}

/* NotifiedBody (§3.4) as a group. */
static void
notified_body(struct rd *r, const json_t *o, const char *path)
{
	const json_t *nb = member(r, o, path, "notified_body", JSON_OBJECT);
	const json_t *c;
	char p[PATHMAX], q[PATHMAX];

	if (nb == NULL)
		return;
	jpath(p, path, "notified_body");
	GROUP(r, "Notified body");
	f_str(r, nb, p, "name", "Name");
	f_str(r, nb, p, "number", "Number");
	if ((c = member(r, nb, p, "certificate", JSON_OBJECT)) != NULL) {
		jpath(q, p, "certificate");
		GROUP(r, "Certificate");
		f_str(r, c, q, "id", "Identifier");
		f_enum(r, c, q, "kind", "Kind", cert_kinds);
		f_str(r, c, q, "issued_at", "Issued on");
		f_str(r, c, q, "valid_until", "Valid until");
		digestref(r, c, q, "digest", "Document");
		GROUP_END(r);
	}
	GROUP_END(r);
}

/*
 * An array of objects as a titled list: one item per element, named by
 * its title_key member, its fields written by fn.
 */
typedef void item_fn(struct rd *, const json_t *, const char *);

static void
obj_list(struct rd *r, const json_t *o, const char *path, const char *key,
    const char *heading, const char *title_key, item_fn *fn)
{
	const json_t *a = member(r, o, path, key, JSON_ARRAY);
	const json_t *e;
	const char *s;
	char p[PATHMAX], q[PATHMAX];
	size_t i;

	if (a == NULL || json_array_size(a) == 0)
		return;
	jpath(p, path, key);
	LIST(r, heading);
	for (i = 0; i < json_array_size(a); i++) {
		if ((e = elem_obj(r, a, p, i, q)) == NULL)
			break;
		s = str(r, e, q, title_key);
		item_begin(r, s != NULL ? s : "");
		fn(r, e, q);
		item_end(r);
	}
	LIST_END(r);
}

/* certifications: array of EuCert (§3.6). */
static void
certifications_item(struct rd *r, const json_t *e, const char *q)
{
	f_str(r, e, q, "certificate_id", "Certificate");
	f_str(r, e, q, "assurance_level", "Assurance level");
	f_str(r, e, q, "issuer", "Issuer");
	f_str(r, e, q, "covers", "Covers");
}

static void
certifications(struct rd *r, const json_t *o, const char *path)
{
	obj_list(r, o, path, "certifications",
	    "European cybersecurity certification", "scheme",
	    certifications_item);
}

static void
procedure(struct rd *r, const json_t *o, const char *path)
{
	f_enum(r, o, path, "procedure", "Procedure", procedures);
}

/*
 * EU declaration of conformity (§4), laid out as Annex V.
 */

static void
doc_meta(struct rd *r, const json_t *o, const char *path)
{
	const json_t *s = member(r, o, path, "supersedes", JSON_OBJECT);
	char p[PATHMAX];

	sec_begin(r, 0, "Document");
	f_str(r, o, path, "doc_id", "Identifier");
	f_int(r, o, path, "doc_version", "Version");
	if (s != NULL) {
		jpath(p, path, "supersedes");
		GROUP(r, "Supersedes");
		f_str(r, s, p, "doc_id", "Identifier");
		f_int(r, s, p, "doc_version", "Version");
		digests(r, s, p);
		GROUP_END(r);
	}
	f_enum(r, o, path, "issued_by", "Issued by", issuers);
	f_join(r, o, path, "languages", "Languages");
	f_join(r, o, path, "markets", "Markets");
	f_uri(r, o, path, "full_text_uri", "Full text");
	sec_end(r);
}

/* Annex V items 1 to 4. */
static void
doc_items_1_4(struct rd *r, const json_t *o, const char *path)
{
	const json_t *x;
	char p[PATHMAX];
	const char *s;

	sec_begin(r, 1, "Name, type and identification of the product with "
	    "digital elements");
	if ((x = member(r, o, path, "product", JSON_OBJECT)) != NULL)
		product(r, x, jpath(p, path, "product"));
	sec_end(r);
	sec_begin(r, 2, "Name and address of the manufacturer or its "
	    "authorised representative");
	operator_group(r, o, path, "manufacturer", "Manufacturer");
	operator_group(r, o, path, "authorised_representative",
	    "Authorised representative");
	sec_end(r);
	sec_begin(r, 3, "Sole responsibility");
	if ((s = str(r, o, path, "sole_responsibility_statement")) != NULL)
		para(r, s, "v");
	sec_end(r);
	sec_begin(r, 4, "Object of the declaration");
	if ((x = member(r, o, path, "object", JSON_OBJECT)) != NULL) {
		jpath(p, path, "object");
		f_str(r, x, p, "description", "Description");
		f_join(r, x, p, "traceability_ids", "Traceability");
		digestref(r, x, p, "photo", "Photograph");
	}
	sec_end(r);
}

static void
union_acts_item(struct rd *r, const json_t *e, const char *q)
{
	f_str(r, e, q, "celex", "CELEX");
	f_str(r, e, q, "oj_reference", "Publication");
	f_uri(r, e, q, "eli", "ELI");
}

static void
union_acts(struct rd *r, const json_t *o, const char *path)
{
	obj_list(r, o, path, "union_acts", "Union harmonisation legislation",
	    "title", union_acts_item);
}

static void
standards_item(struct rd *r, const json_t *e, const char *q)
{
	f_enum(r, e, q, "kind", "Kind", std_kinds);
	f_str(r, e, q, "oj_reference", "Publication");
	f_enum(r, e, q, "coverage", "Coverage", coverages);
	f_join(r, e, q, "parts_applied", "Parts applied");
}

static void
standards(struct rd *r, const json_t *o, const char *path)
{
	obj_list(r, o, path, "standards", "Standards and specifications",
	    "reference", standards_item);
}

/* Annex V items 5 to 8. */
static void
doc_items_5_8(struct rd *r, const json_t *o, const char *path)
{
	const json_t *x;
	const char *s;
	char p[PATHMAX], q[PATHMAX];

	sec_begin(r, 5, "Conformity with Union harmonisation legislation");
	if ((s = str(r, o, path, "conformity_statement")) != NULL)
		para(r, s, "v");
	union_acts(r, o, path);
	sec_end(r);
	sec_begin(r, 6, "Standards, common specifications and cybersecurity "
	    "certification");
	standards(r, o, path);
	certifications(r, o, path);
	sec_end(r);
	sec_begin(r, 7, "Notified body and conformity assessment procedure");
	procedure(r, o, path);
	f_str(r, o, path, "procedure_description", "Description");
	notified_body(r, o, path);
	if ((x = member(r, o, path, "foss_32_5", JSON_OBJECT)) != NULL)
		digestref(r, x, jpath(p, path, "foss_32_5"),
		    "public_technical_documentation",
		    "Public technical documentation (Article 32(5))");
	sec_end(r);
	sec_begin(r, 8, "Additional information");
	if ((s = str(r, o, path, "additional_information")) != NULL)
		para(r, s, "v");
	if ((x = member(r, o, path, "ai_act_art15", JSON_OBJECT)) != NULL) {
		jpath(q, path, "ai_act_art15");
		GROUP(r, "Regulation (EU) 2024/1689, Article 15");
		f_bool(r, x, q, "claimed", "Claimed");
		digestref(r, x, q, "evidence", "Evidence");
		GROUP_END(r);
	}
	sec_end(r);
}

/* "a, b" from two optional strings, into @p j. */
static const char *
pair(struct rd *r, struct attest_buf *j, const char *a, const char *b)
{
	put_to(r, j, a != NULL ? a : "");
	put_to(r, j, a != NULL && b != NULL ? ", " : "");
	put_to(r, j, b != NULL ? b : "");
	return r->err == ATTEST_OK && j->len > 0 ? (const char *)j->ptr : NULL;
}

/* One line of Annex V's closing block: its label, then the value. */
static void
sign_line(struct rd *r, const char *label, const char *value)
{
	if (value == NULL)
		return;
	if (!r->html)
		tline(r, 0, label, IND0, value);
	else {
		dt(r, label);
		puts_(r, "<dd class=\"v\">");
		hesc(r, value);
		puts_(r, "</dd>\n");
	}
}

/* The closing block of Annex V, filled from signatory (§3.7). */
static void
doc_signed(struct rd *r, const json_t *o, const char *path)
{
	const json_t *s = member(r, o, path, "signatory", JSON_OBJECT);
	struct attest_buf a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	char p[PATHMAX];

	if (s == NULL)
		return;
	jpath(p, path, "signatory");
	sec_begin(r, 0, NULL);
	sign_line(r, "Signed for and on behalf of:",
	    str(r, s, p, "on_behalf_of"));
	sign_line(r, "(place and date of issue):", pair(r, &a,
	    str(r, s, p, "place_of_issue"), str(r, s, p, "date_of_issue")));
	sign_line(r, "(name, function) (signature):", pair(r, &b,
	    str(r, s, p, "name"), str(r, s, p, "function")));
	para(r, "Signed electronically: see Signature below.", "note");
	sec_end(r);
	attest_buf_reset(&a);
	attest_buf_reset(&b);
}

/*
 * The CE marking, drawn from geometry (HTML: inline SVG; tools/doc_pdf.c
 * draws the same paths with cairo).
 *
 * Annex II of Regulation (EC) No 765/2008 gives the marking as a
 * graduated drawing.  Its construction, on a grid where the marking is
 * 20 units high and 28 wide:
 *  - "C": the ring between two concentric circles of radius 10 and 7
 *    (stroke 3), centre (10, 10), cut open by the vertical line one unit
 *    right of the centre (x = 11);
 *  - "E": the same ring centred at (27, 10), cut by x = 28, with a middle
 *    bar 3 units thick (y 8.5 to 11.5) from the inner circle to one unit
 *    left of its centre (x = 26);
 *  - the gap between the letters is what remains: 6 units (x 11 to 17,
 *    the E's outer circle starting at 17).
 * The end points are where those lines meet the circles:
 * y = 10 -/+ sqrt(10^2 - 1^2) and sqrt(7^2 - 1^2), x = 27 - sqrt(7^2 -
 * 1.5^2).  The page shows it 10 mm high (14 mm wide): Annex II asks for
 * at least 5 mm.
 */

/* Square root by Newton's method: the library links no libm. */
static double
root(double x)
{
	double y = x > 1 ? x : 1;
	int i;

	for (i = 0; i < 60; i++)
		y = (y + x / y) / 2;
	return y;
}

/* Fixed-point text of v >= 0, four decimals, whatever the locale. */
static void
num(char buf[32], double v)
{
	long long n = (long long)(v * 10000 + 0.5);

	(void)snprintf(buf, 32, "%lld.%04lld", n / 10000, n % 10000);
}

static void
ce_svg(struct rd *r)
{
	char ot[32], ob[32], it[32], ib[32], bx[32], d[512];
	double ho = root(100 - 1), hi = root(49 - 1);

	num(ot, 10 - ho);
	num(ob, 10 + ho);
	num(it, 10 - hi);
	num(ib, 10 + hi);
	num(bx, 27 - root(49 - 2.25));
	puts_(r, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"14mm\" "
	    "height=\"10mm\" viewBox=\"0 0 28 20\" role=\"img\" "
	    "aria-label=\"CE marking\">");
	(void)snprintf(d, sizeof(d), "<path d=\"M11,%s A10,10 0 1 0 11,%s "
	    "L11,%s A7,7 0 1 1 11,%s Z\"/>", ot, ob, ib, it);
	puts_(r, d);
	(void)snprintf(d, sizeof(d), "<path d=\"M28,%s A10,10 0 1 0 28,%s "
	    "L28,%s A7,7 0 0 1 %s,11.5 L26,11.5 L26,8.5 L%s,8.5 "
	    "A7,7 0 0 1 28,%s Z\"/>", ot, ob, ib, bx, bx, it);
	puts_(r, d);
	puts_(r, "</svg>");
}

static void
doc_ce(struct rd *r, const json_t *o, const char *path)
{
	const json_t *ce = member(r, o, path, "ce_marking", JSON_OBJECT);
	const char *nb;
	char p[PATHMAX];

	if (ce == NULL)
		return;
	jpath(p, path, "ce_marking");
	nb = str(r, ce, p, "nb_number_shown");
	sec_begin(r, 0, "CE marking");
	if (r->html) {
		puts_(r, "<p class=\"ce\">");
		ce_svg(r);
		if (nb != NULL) {
			puts_(r, "<span class=\"nb\">");
			hesc(r, nb);
			puts_(r, "</span>");
		}
		puts_(r, "</p>\n");
	}
	f_enum(r, ce, p, "placement", "Placement", placements);
	f_uri(r, ce, p, "website_uri", "Web page");
	field(r, "Followed by the identification number of the notified "
	    "body", nb);
	sec_end(r);
}

static void
render_doc(struct rd *r, const json_t *o, const char *path)
{
	doc_meta(r, o, path);
	if (r->html)
		puts_(r, "<ol class=\"annex-v\">\n");
	doc_items_1_4(r, o, path);
	doc_items_5_8(r, o, path);
	if (r->html)
		puts_(r, "</ol>\n");
	doc_signed(r, o, path);
	doc_ce(r, o, path);
}

/*
 * Simplified EU declaration of conformity (§5): the Annex VI text, in
 * English only (see the top of this file).
 */

static void
render_sdoc(struct rd *r, const json_t *o, const char *path)
{
	struct attest_buf s = { NULL, 0, 0 }, u = { NULL, 0, 0 };
	const char *name = str(r, o, path, "manufacturer_name");
	const char *type = str(r, o, path, "type_designation");
	const char *uri = str(r, o, path, "full_doc_uri");

	put_to(r, &s, "Hereby, ");
	put_to(r, &s, name != NULL ? name : "");
	put_to(r, &s, " declares that the product with digital elements "
	    "type ");
	put_to(r, &s, type != NULL ? type : "");
	put_to(r, &s, " is in compliance with Regulation (EU) 2024/2847 (1).");
	put_to(r, &u, "The full text of the EU declaration of conformity is "
	    "available at the following internet address: ");
	put_to(r, &u, uri != NULL ? uri : "");
	sec_begin(r, 0, "Declaration");
	if (r->err == ATTEST_OK) {
		para(r, (const char *)s.ptr, "v");
		para(r, (const char *)u.ptr, "v");
	}
	para(r, "(1) OJ L, 2024/2847, 20.11.2024, ELI: "
	    "http://data.europa.eu/eli/reg/2024/2847/oj.", "fn");
	sec_end(r);
	sec_begin(r, 0, "Record");
	f_str(r, o, path, "manufacturer_name", "Manufacturer");
	f_str(r, o, path, "type_designation", "Type");
	f_str(r, o, path, "regulation", "Regulation");
	f_uri(r, o, path, "full_doc_uri", "Full text");
	digestref(r, o, path, "full_doc", "Signed EU declaration of "
	    "conformity");
	f_str(r, o, path, "language", "Language");
	f_str(r, o, path, "text", "Text as signed");
	sec_end(r);
	attest_buf_reset(&s);
	attest_buf_reset(&u);
}

/*
 * Manufacturer release attestation (§6).
 */

static void
rel_parties(struct rd *r, const json_t *o, const char *path)
{
	const json_t *x;
	char p[PATHMAX];

	sec_begin(r, 0, "Product with digital elements");
	if ((x = member(r, o, path, "product", JSON_OBJECT)) != NULL)
		product(r, x, jpath(p, path, "product"));
	sec_end(r);
	if ((x = member(r, o, path, "manufacturer", JSON_OBJECT)) != NULL) {
		sec_begin(r, 0, "Manufacturer");
		operator_fields(r, x, jpath(p, path, "manufacturer"));
		sec_end(r);
	}
	if ((x = member(r, o, path, "authorised_representative",
	    JSON_OBJECT)) != NULL) {
		sec_begin(r, 0, "Authorised representative");
		operator_fields(r, x, jpath(p, path,
		    "authorised_representative"));
		sec_end(r);
	}
}

static void
rel_spoc(struct rd *r, const json_t *o, const char *path)
{
	const json_t *x, *a, *e;
	const char *s;
	char p[PATHMAX], q[PATHMAX], c[PATHMAX];
	size_t i;

	if ((x = member(r, o, path, "spoc", JSON_OBJECT)) == NULL)
		return;
	jpath(p, path, "spoc");
	sec_begin(r, 0, "Single point of contact for vulnerabilities");
	a = member(r, x, p, "channels", JSON_ARRAY);
	jpath(q, p, "channels");
	for (i = 0; i < json_array_size(a); i++) {
		if ((e = elem_obj(r, a, q, i, c)) == NULL)
			break;
		/* a label is never the record's text */
		s = known(channels, str(r, e, c, "kind"));
		field_as(r, s != NULL ? s : "Channel", str(r, e, c, "value"),
		    1);
	}
	f_uri(r, x, p, "cvd_policy_uri", "Vulnerability disclosure policy");
	sec_end(r);
}

static void
rel_market(struct rd *r, const json_t *o, const char *path)
{
	const json_t *x;
	char p[PATHMAX];

	sec_begin(r, 0, "Placing on the market");
	f_str(r, o, path, "placed_on_market_at", "First placed on the market");
	f_str(r, o, path, "last_placed_on_market_at",
	    "Last unit placed on the market");
	f_str(r, o, path, "release_date", "Release date");
	if ((x = member(r, o, path, "substantial_modification",
	    JSON_OBJECT)) != NULL) {
		jpath(p, path, "substantial_modification");
		f_bool(r, x, p, "is", "Substantial modification");
		digestref(r, x, p, "of", "Modified product");
	}
	sec_end(r);
	sec_begin(r, 0, "Conformity assessment");
	procedure(r, o, path);
	notified_body(r, o, path);
	certifications(r, o, path);
	digestref(r, o, path, "doc", "EU declaration of conformity");
	digestref(r, o, path, "sdoc", "Simplified EU declaration of "
	    "conformity");
	sec_end(r);
	if ((x = member(r, o, path, "ce_marking", JSON_OBJECT)) != NULL) {
		jpath(p, path, "ce_marking");
		sec_begin(r, 0, "CE marking of the product");
		f_bool(r, x, p, "affixed", "Affixed");
		f_enum(r, x, p, "placement", "Placement", placements);
		f_str(r, x, p, "affixed_at", "Affixed on");
		sec_end(r);
	}
}

static void
rel_support(struct rd *r, const json_t *o, const char *path)
{
	const json_t *x;
	char p[PATHMAX];

	if ((x = member(r, o, path, "support_period", JSON_OBJECT)) != NULL ||
	    member(r, o, path, "security_support_type", JSON_STRING) != NULL) {
		jpath(p, path, "support_period");
		sec_begin(r, 0, "Support period");
		f_str(r, x, p, "start", "Start");
		f_str(r, x, p, "end", "End");
		f_int(r, x, p, "expected_use_months",
		    "Expected use (months)");
		f_str(r, x, p, "justification", "Justification");
		digestref(r, x, p, "basis", "Basis");
		f_str(r, o, path, "security_support_type", "Security support");
		sec_end(r);
	}
	if ((x = member(r, o, path, "sbom", JSON_OBJECT)) == NULL)
		return;
	jpath(p, path, "sbom");
	sec_begin(r, 0, "Software bill of materials");
	f_enum(r, x, p, "format", "Format", sbom_formats);
	f_str(r, x, p, "spec_version", "Format version");
	f_enum(r, x, p, "depth", "Depth", sbom_depths);
	f_str(r, x, p, "profile", "Profile");
	f_uri(r, x, p, "uri", "Address");
	digests(r, x, p);
	f_uri(r, x, p, "user_access_uri", "Access for users");
	sec_end(r);
}

/* A top-level DigestRef member as a section of its own. */
static void
ref_section(struct rd *r, const json_t *o, const char *path,
    const char *key, const char *heading)
{
	const json_t *x = member(r, o, path, key, JSON_OBJECT);
	char p[PATHMAX];

	if (x == NULL)
		return;
	sec_begin(r, 0, heading);
	digestref_fields(r, x, jpath(p, path, key));
	sec_end(r);
}

static void
rel_risk(struct rd *r, const json_t *o, const char *path)
{
	const json_t *x, *a, *e;
	const char *s;
	char p[PATHMAX], q[PATHMAX], c[PATHMAX];
	size_t i;

	if ((x = member(r, o, path, "risk_assessment", JSON_OBJECT)) != NULL) {
		jpath(p, path, "risk_assessment");
		sec_begin(r, 0, "Cybersecurity risk assessment");
		f_str(r, x, p, "updated_at", "Updated on");
		digests(r, x, p);
		a = member(r, x, p, "not_applicable", JSON_ARRAY);
		jpath(q, p, "not_applicable");
		if (json_array_size(a) > 0)
			LIST(r, "Requirements not applicable");
		for (i = 0; i < json_array_size(a); i++) {
			if ((e = elem_obj(r, a, q, i, c)) == NULL)
				break;
			s = str(r, e, c, "requirement");
			item_begin(r, s != NULL ? s : "");
			f_str(r, e, c, "justification", "Justification");
			item_end(r);
		}
		if (json_array_size(a) > 0)
			LIST_END(r);
		sec_end(r);
	}
	if ((x = member(r, o, path, "technical_documentation", JSON_OBJECT)) !=
	    NULL) {
		jpath(p, path, "technical_documentation");
		sec_begin(r, 0, "Technical documentation");
		digests(r, x, p);
		f_uri(r, x, p, "public_uri", "Public address");
		sec_end(r);
	}
}

static void
rel_due_diligence(struct rd *r, const json_t *o, const char *path)
{
	const json_t *a = member(r, o, path, "due_diligence", JSON_ARRAY);
	const json_t *e;
	const char *s;
	char p[PATHMAX], q[PATHMAX];
	size_t i;

	if (a == NULL || json_array_size(a) == 0)
		return;
	jpath(p, path, "due_diligence");
	sec_begin(r, 0, "Due diligence on third-party components");
	LIST(r, "Components");
	for (i = 0; i < json_array_size(a); i++) {
		if ((e = elem_obj(r, a, p, i, q)) == NULL)
			break;
		s = str(r, e, q, "component");
		item_begin(r, s != NULL ? s : "");
		f_join(r, e, q, "actions", "Actions");
		digestref(r, e, q, "evidence", "Evidence");
		item_end(r);
	}
	LIST_END(r);
	sec_end(r);
}

static void
rel_rest(struct rd *r, const json_t *o, const char *path)
{
	const json_t *x;
	char p[PATHMAX];

	if ((x = member(r, o, path, "security_update", JSON_OBJECT)) != NULL) {
		jpath(p, path, "security_update");
		sec_begin(r, 0, "Security update");
		f_bool(r, x, p, "is_security_update", "Security update");
		f_bool(r, x, p, "separate_from_functionality",
		    "Separate from functionality updates");
		digestref(r, x, p, "advisory", "Advisory");
		f_str(r, x, p, "available_until", "Available until");
		sec_end(r);
	}
	ref_section(r, o, path, "user_information",
	    "Information and instructions to the user");
	if (member(r, o, path, "retention_until", JSON_STRING) != NULL) {
		sec_begin(r, 0, "Retention");
		f_str(r, o, path, "retention_until",
		    "Documentation kept until");
		sec_end(r);
	}
}

static void
render_release(struct rd *r, const json_t *o, const char *path)
{
	rel_parties(r, o, path);
	rel_spoc(r, o, path);
	rel_market(r, o, path);
	rel_support(r, o, path);
	ref_section(r, o, path, "vex", "Vulnerability exploitability (VEX)");
	rel_risk(r, o, path);
	rel_due_diligence(r, o, path);
	rel_rest(r, o, path);
}

/*
 * What every record ends with: the artifacts it covers and the signature.
 */

static void
subjects(struct rd *r, const attest_stmt_t *s)
{
	const char *alg, *name;
	size_t i, j;

	sec_begin(r, 0, "Artifacts covered");
	LIST(r, "Artifacts");
	for (i = 0; i < attest_stmt_subject_count(s); i++) {
		name = attest_stmt_subject_name(s, i);
		item_begin(r, name != NULL ? name : "(no name)");
		for (j = 0; j < attest_stmt_digest_count(s, i); j++) {
			alg = attest_stmt_digest_alg(s, i, j);
			if (strcmp(alg, "sha256") == 0)
				field(r, "SHA-256",
				    attest_stmt_digest_hex(s, i, j));
			else if (strcmp(alg, "sha512") == 0)
				field(r, "SHA-512",
				    attest_stmt_digest_hex(s, i, j));
		}
		item_end(r);
	}
	LIST_END(r);
	sec_end(r);
}

static int
is_shell_plain(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("._/+-=:,@%", *s) !=
		    NULL))
			return 0;
	return 1;
}

/*
 * A file name as one shell word: single-quoted unless plain, "./" before
 * a leading '-' so that it cannot pass for an option.
 */
static void
shell_word(struct rd *r, struct attest_buf *j, const char *s)
{
	char c[2] = { 0, 0 };

	put_to(r, j, " ");
	if (*s == '-')
		put_to(r, j, "./");
	if (*s != '\0' && is_shell_plain(s)) {
		put_to(r, j, s);
		return;
	}
	put_to(r, j, "'");
	for (; *s != '\0'; s++) {
		c[0] = *s;
		put_to(r, j, *s == '\'' ? "'\\''" : c);
	}
	put_to(r, j, "'");
}

/*
 * Under a trust policy the signatures shown are those the policy
 * authorises for the record's operator and role: any holder of a policy
 * key can add a valid signature of its own to an envelope, and must not
 * be shown as the record's signatory.
 */
static void
signature(struct rd *r, const attest_cra_sigfacts_t *sig)
{
	struct attest_buf cmd = { NULL, 0, 0 };
	size_t i;

	put_to(r, &cmd, sig->policy_operator != NULL ?
	    "attest-doc verify --policy" : "attest-doc verify -K");
	shell_word(r, &cmd, sig->pubkey_name);
	shell_word(r, &cmd, sig->envelope_name);
	sec_begin(r, 0, sig->nsigners > 1 ? "Signatures" : "Signature");
	if (sig->policy_operator == NULL) {
		field(r, "Key", sig->keyid);
		field(r, "Algorithm", sig->algorithm);
	} else {
		field(r, "Trust policy", sig->pubkey_name);
		field(r, "Signed for", sig->policy_operator);
		for (i = 0; i < sig->nsigners; i++) {
			field(r, "Key", sig->signers[i].keyid);
			field(r, "Algorithm", sig->signers[i].algorithm);
		}
		for (i = 0; i < sig->nothers; i++)
			field(r, "Not authorising", sig->others[i].keyid);
	}
	field(r, "Envelope", sig->envelope_name);
	field(r, "Envelope SHA-256", sig->envelope_sha256);
	if (r->err == ATTEST_OK)
		field(r, "To verify", (const char *)cmd.ptr);
	sec_end(r);
	attest_buf_reset(&cmd);
}

/*
 * The page.
 */

static const char *const titles[] = {
	NULL,
	"EU declaration of conformity",
	"Simplified EU declaration of conformity",
	"Manufacturer release attestation",
};

static const char *const subtitles[] = {
	NULL,
	"Regulation (EU) 2024/2847 (Cyber Resilience Act), Annex V",
	"Regulation (EU) 2024/2847 (Cyber Resilience Act), Annex VI",
	"Regulation (EU) 2024/2847 (Cyber Resilience Act), Article 13",
};

/*
 * A4 print style.  The Content-Security-Policy forbids scripts and every
 * fetch, as a second wall behind the escaping.
 */
static const char html_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n"
    "<meta name=\"generator\" content=\"libattest\">\n"
    "<style>\n"
    "@page { size: A4; margin: 20mm 18mm 20mm 18mm; }\n"
    "html { font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, "
    "sans-serif; font-size: 10pt; line-height: 1.35; color: #000; "
    "background: #fff; }\n"
    "body { max-width: 174mm; margin: 0 auto; padding: 6mm 0; }\n"
    "h1 { font-size: 16pt; margin: 0 0 1mm; }\n"
    "h2 { font-size: 11pt; margin: 5mm 0 1.5mm; break-after: avoid; }\n"
    ".sub { margin: 0 0 3mm; }\n"
    "ol.annex-v { margin: 0; padding-left: 7mm; }\n"
    "ol.annex-v > li::marker { font-weight: bold; font-size: 11pt; }\n"
    "dl { display: grid; grid-template-columns: 46mm 1fr; "
    "gap: 0.8mm 4mm; margin: 0 0 2mm; }\n"
    "dd dl { grid-template-columns: 36mm 1fr; margin: 0; }\n"
    "dt { font-weight: bold; }\n"
    "dd { margin: 0; }\n"
    "ul { margin: 0; padding-left: 5mm; }\n"
    "li > dl { margin: 0.5mm 0 1.5mm; }\n"
    ".v { white-space: pre-line; overflow-wrap: anywhere; }\n"
    ".note, .fn { font-size: 9pt; }\n"
    ".ce { margin: 1mm 0 2mm; }\n"
    ".ce svg { width: 14mm; height: 10mm; vertical-align: bottom; }\n"
    ".ce .nb { font-size: 16pt; font-weight: bold; margin-left: 2mm; "
    "line-height: 1; }\n"
    "a { color: inherit; }\n"
    "@media print { a { text-decoration: none; } }\n"
    "</style>\n";

static void
page_begin(struct rd *r, attest_cra_kind_t kind, const json_t *pred)
{
	const char *id = json_string_value(json_object_get(pred, "doc_id"));

	if (!r->html) {
		puts_(r, titles[kind]);
		puts_(r, "\n");
		puts_(r, subtitles[kind]);
		puts_(r, "\n");
		return;
	}
	puts_(r, html_head);
	puts_(r, "<title>");
	puts_(r, titles[kind]);
	if (kind == ATTEST_CRA_DOC && id != NULL) {
		puts_(r, " ");
		hesc(r, id);
	}
	puts_(r, "</title>\n</head>\n<body>\n<header>\n<h1>");
	puts_(r, titles[kind]);
	puts_(r, "</h1>\n<p class=\"sub\">");
	puts_(r, subtitles[kind]);
	puts_(r, "</p>\n</header>\n<main>\n");
}

static void
page_end(struct rd *r)
{
	if (r->html)
		puts_(r, "</main>\n</body>\n</html>\n");
}

static int
keys_ok(const attest_cra_sigkey_t *k, size_t n)
{
	size_t i;

	if (n > 0 && k == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (k[i].keyid == NULL || k[i].algorithm == NULL ||
		    !attest_json_utf8_ok(k[i].keyid) ||
		    !attest_json_utf8_ok(k[i].algorithm))
			return 0;
	return 1;
}

static int
sig_ok(const attest_cra_sigfacts_t *s)
{
	if (s != NULL && s->policy_operator != NULL &&
	    (s->nsigners == 0 || !attest_json_utf8_ok(s->policy_operator) ||
	    !keys_ok(s->signers, s->nsigners) ||
	    !keys_ok(s->others, s->nothers)))
		return 0;
	return s != NULL && s->keyid != NULL && s->algorithm != NULL &&
	    s->envelope_sha256 != NULL && s->envelope_name != NULL &&
	    s->pubkey_name != NULL && attest_json_utf8_ok(s->keyid) &&
	    attest_json_utf8_ok(s->algorithm) &&
	    attest_json_utf8_ok(s->envelope_sha256) &&
	    attest_json_utf8_ok(s->envelope_name) &&
	    attest_json_utf8_ok(s->pubkey_name);
}

/* Parse the Statement: its subjects, kind and predicate object. */
static attest_err_t
load(const unsigned char *stmt, size_t len, attest_stmt_t **s,
    json_t **root, attest_cra_kind_t *kind, attest_diag_t *diag)
{
	attest_err_t r;

	if ((r = attest_stmt_parse(s, stmt, len, diag)) != ATTEST_OK)
		return r == ATTEST_ERR_UNSUPPORTED ? ATTEST_ERR_PARSE : r;
	if ((*kind = attest_cra_kind_from_type(
	    attest_stmt_predicate_type(*s))) ==
	    ATTEST_CRA_NONE)
		return attest_diag_set(diag, ATTEST_ERR_PARSE, "predicateType",
		    -1, "not a CRA record type");
	if ((r = attest_json_load(stmt, len, root, diag)) != ATTEST_OK)
		return r;
	if (!json_is_object(json_object_get(*root, "predicate")))
		return attest_diag_set(diag, ATTEST_ERR_PARSE, "predicate", -1,
		    "missing, or not an object");
	return ATTEST_OK;
}

attest_err_t
attest_cra_render(const unsigned char *stmt, size_t len,
    const attest_cra_sigfacts_t *sig, int format, unsigned char **out,
    size_t *out_len, attest_diag_t *diag)
{
	struct rd r;
	attest_stmt_t *s = NULL;
	json_t *root = NULL;
	const json_t *pred;
	attest_cra_kind_t kind = ATTEST_CRA_NONE;

	if (out == NULL || out_len == NULL)
		return ATTEST_ERR_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	if (format != ATTEST_CRA_TEXT && format != ATTEST_CRA_HTML)
		return attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED, NULL, -1,
		    "unknown render format %d", format);
	if (stmt == NULL || !sig_ok(sig))
		return ATTEST_ERR_INVALID_ARGUMENT;
	memset(&r, 0, sizeof(r));
	r.diag = diag;
	r.html = format == ATTEST_CRA_HTML;
	if ((r.err = load(stmt, len, &s, &root, &kind, diag)) != ATTEST_OK)
		goto fail;
	/* the chain of custody's records (specs/chain.md) are not rendered */
	if (kind != ATTEST_CRA_DOC && kind != ATTEST_CRA_SDOC &&
	    kind != ATTEST_CRA_RELEASE) {
		r.err = attest_diag_set(diag, ATTEST_ERR_UNSUPPORTED,
		    "predicateType", -1, "%s records are not rendered (only "
		    "the DoC, the simplified DoC and the release attestation)",
		    attest_cra_kind_name(kind));
		goto fail;
	}
	pred = json_object_get(root, "predicate");
	page_begin(&r, kind, pred);
	if (kind == ATTEST_CRA_DOC)
		render_doc(&r, pred, "predicate");
	else if (kind == ATTEST_CRA_SDOC)
		render_sdoc(&r, pred, "predicate");
	else
		render_release(&r, pred, "predicate");
	subjects(&r, s);
	signature(&r, sig);
	page_end(&r);
	if (r.err != ATTEST_OK)
		goto fail;
	*out = r.b.ptr;
	*out_len = r.b.len;
	r.b.ptr = NULL;
fail:
	attest_buf_reset(&r.b);
	json_decref(root);
	attest_stmt_free(&s);
	return r.err;
}
