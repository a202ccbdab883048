/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PDF form of a CRA record: the text rendering (78 columns, from
 * attest_cra_render) set in a monospaced font on A4 pages with cairo and
 * pango, with a running header and footer, and the CE marking drawn as
 * vector paths with the geometry of libattest/cra_render.c (ce_svg).
 *
 * Lines at column 0 are the renderer's own (titles, Annex V items, the
 * closing block): their label, up to the first ':', is set bold.  The
 * text does not wrap again: every line already fits (78 columns of a
 * 9 pt monospaced font are 149 mm; the text block is 170 mm).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "doc_pdf.h"

#define MM		(72.0 / 25.4)		/* points per millimetre */
#define PAGE_W		(210.0 * MM)		/* A4 */
#define PAGE_H		(297.0 * MM)
#define LEFT		(20.0 * MM)
#define BODY_TOP	(24.0 * MM)
#define BODY_BOTTOM	(275.0 * MM)
#define HEAD_Y		(12.0 * MM)
#define FOOT_Y		(282.0 * MM)
#define BODY_PT		9.0			/* body font size */
#define LINE_H		(BODY_PT * 1.32)	/* line pitch */
#define SMALL_PT	7.5
#define CE_H		(10.0 * MM)		/* >= 5 mm: Annex II */
#define CE_HEADING	"CE marking"
#define NB_PREFIX	"   Followed by the identification number of the " \
			"notified body:"
#define DOC_TITLE	"EU declaration of conformity"

struct pdf {
	cairo_t			*cr;
	PangoLayout		*lay;
	PangoFontDescription	*mono, *small, *nb;
	const struct doc_pdf_opts *o;
	double			 y;
	double			 cw;	/* width of one column */
	int			 page;
	int			 pages;	/* known in the second pass */
	int			 draw;	/* 0: count the pages only */
};

/*
 * Scanning the text rendering.
 */

/* Next line of t[0..len) from *pos: its start and length (no '\n'). */
static int
next_line(const char *t, size_t len, size_t *pos, const char **s, size_t *n)
{
	const char *e;

	if (*pos >= len)
		return 0;
	*s = t + *pos;
	e = memchr(*s, '\n', len - *pos);
	*n = e != NULL ? (size_t)(e - *s) : len - *pos;
	*pos += *n + (e != NULL);
	return 1;
}

static int
starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

static int
is_line(const char *s, size_t n, const char *line)
{
	return n == strlen(line) && memcmp(s, line, n) == 0;
}

/* Copy s[0..n) into buf at *used; NULL when it does not fit. */
static const char *
keep(char *buf, size_t size, size_t *used, const char *s, size_t n)
{
	char *d = buf + *used;

	if (size - *used < n + 1)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	*used += n + 1;
	return d;
}

int
doc_pdf_scan(const unsigned char *text, size_t len, struct doc_pdf_opts *o,
    char *buf, size_t size)
{
	enum { OTHER, DOCUMENT, CE } sec = OTHER;
	const char *t = (const char *)text, *s, *id = NULL, *ver = NULL;
	size_t pos = 0, n, idn = 0, vern = 0, used = 0, k = strlen(NB_PREFIX);
	char ref[256];

	memset(o, 0, sizeof(*o));
	if (!next_line(t, len, &pos, &s, &n) || n == 0 || *s == ' ' ||
	    (o->title = keep(buf, size, &used, s, n)) == NULL)
		return -1;
	while (next_line(t, len, &pos, &s, &n)) {
		if (n > 0 && *s != ' ') {	/* a heading: the renderer's */
			sec = is_line(s, n, "Document") ? DOCUMENT :
			    is_line(s, n, CE_HEADING) ? CE : OTHER;
			if (sec == CE)
				o->ce_marking = strcmp(o->title, DOC_TITLE) ==
				    0;
		} else if (sec == DOCUMENT && id == NULL &&
		    starts(s, n, "   Identifier: ")) {
			id = s + 15;
			idn = n - 15;
		} else if (sec == DOCUMENT && ver == NULL &&
		    starts(s, n, "   Version: ")) {
			ver = s + 12;
			vern = n - 12;
		} else if (sec == CE && o->nb_number == NULL &&
		    starts(s, n, NB_PREFIX)) {
			s += k;
			n -= k;
			/* a value too long for the line is on the next */
			if (n == 0 && !next_line(t, len, &pos, &s, &n))
				break;
			while (n > 0 && *s == ' ') {
				s++;
				n--;
			}
			if ((o->nb_number = keep(buf, size, &used, s, n)) ==
			    NULL)
				return -1;
		}
	}
	if (id != NULL) {
		(void)snprintf(ref, sizeof(ref), "%.*s%s%.*s", (int)idn, id,
		    ver != NULL ? ", version " : "", (int)vern,
		    ver != NULL ? ver : "");
		if ((o->doc_ref = keep(buf, size, &used, ref, strlen(ref))) ==
		    NULL)
			return -1;
	}
	return 0;
}

/*
 * Drawing.
 */

/* Set s[0..n) at (x, y) (top left), or ending at x when @p right. */
static void
text_at(struct pdf *p, const PangoFontDescription *f, const char *s,
    size_t n, double x, double y, int right)
{
	int w, h;

	pango_layout_set_attributes(p->lay, NULL);
	pango_layout_set_font_description(p->lay, f);
	pango_layout_set_text(p->lay, s, (int)n);
	pango_layout_get_size(p->lay, &w, &h);
	cairo_move_to(p->cr, right ? x - (double)w / PANGO_SCALE : x, y);
	pango_cairo_show_layout(p->cr, p->lay);
}

static void
furniture(struct pdf *p)
{
	char foot[64];
	const char *note = "This print is not signed: verify the record as "
	    "shown under Signature.";

	text_at(p, p->small, p->o->title, strlen(p->o->title), LEFT, HEAD_Y,
	    0);
	if (p->o->doc_ref != NULL)
		text_at(p, p->small, p->o->doc_ref, strlen(p->o->doc_ref),
		    PAGE_W - LEFT, HEAD_Y, 1);
	cairo_set_line_width(p->cr, 0.4);
	cairo_move_to(p->cr, LEFT, HEAD_Y + SMALL_PT * 1.6);
	cairo_line_to(p->cr, PAGE_W - LEFT, HEAD_Y + SMALL_PT * 1.6);
	cairo_stroke(p->cr);
	(void)snprintf(foot, sizeof(foot), "Page %d of %d", p->page, p->pages);
	text_at(p, p->small, note, strlen(note), LEFT, FOOT_Y, 0);
	text_at(p, p->small, foot, strlen(foot), PAGE_W - LEFT, FOOT_Y, 1);
}

static void
new_page(struct pdf *p)
{
	if (p->draw && p->page > 0)
		cairo_show_page(p->cr);
	p->page++;
	p->y = BODY_TOP;
	if (p->draw)
		furniture(p);
}

/*
 * The CE marking in grid units (see ce_svg in libattest/cra_render.c: 20
 * units high, rings of radius 10 and 7 centred at (10, 10) and (27, 10),
 * cut by x = 11 and x = 28, the E's bar 3 units thick ending at x = 26),
 * @p u points per unit, top left at (x, y).
 */
static void
ce_path(cairo_t *cr, double x, double y, double u)
{
	double ao = atan2(sqrt(99.0), 1.0);	/* outer circle meets the cut */
	double ai = atan2(sqrt(48.0), 1.0);	/* inner circle meets the cut */
	double ab = asin(1.5 / 7.0);		/* inner circle meets the bar */
	double cx = x + 10 * u, ex = x + 27 * u, cy = y + 10 * u;

	cairo_new_sub_path(cr);
	cairo_arc_negative(cr, cx, cy, 10 * u, -ao, ao);
	cairo_arc(cr, cx, cy, 7 * u, ai, 2 * M_PI - ai);
	cairo_close_path(cr);
	cairo_new_sub_path(cr);
	cairo_arc_negative(cr, ex, cy, 10 * u, -ao, ao);
	cairo_arc(cr, ex, cy, 7 * u, ai, M_PI - ab);
	cairo_line_to(cr, ex - u, cy + 1.5 * u);
	cairo_line_to(cr, ex - u, cy - 1.5 * u);
	cairo_arc(cr, ex, cy, 7 * u, M_PI + ab, 2 * M_PI - ai);
	cairo_close_path(cr);
}

static void
draw_ce(struct pdf *p)
{
	double x = LEFT + 3 * p->cw, u = CE_H / 20, need = CE_H + LINE_H;
	const char *nb = p->o->nb_number;
	int base;

	if (p->y + need > BODY_BOTTOM)
		new_page(p);
	if (p->draw) {
		ce_path(p->cr, x, p->y + LINE_H / 3, u);
		cairo_fill(p->cr);
		if (nb != NULL) {
			pango_layout_set_font_description(p->lay, p->nb);
			pango_layout_set_text(p->lay, nb, -1);
			base = pango_layout_get_baseline(p->lay);
			text_at(p, p->nb, nb, strlen(nb), x + 28 * u + 3 * MM,
			    p->y + LINE_H / 3 + CE_H -
			    (double)base / PANGO_SCALE, 0);
		}
	}
	p->y += need;
}

/* One line of the text; a heading's label (to its first ':') bold. */
static void
draw_line(struct pdf *p, const char *s, size_t n)
{
	PangoAttrList *al;
	PangoAttribute *a;
	const char *colon;

	pango_layout_set_font_description(p->lay, p->mono);
	pango_layout_set_text(p->lay, s, (int)n);
	if (n > 0 && *s != ' ' && (al = pango_attr_list_new()) != NULL) {
		colon = memchr(s, ':', n);
		a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
		a->start_index = 0;
		a->end_index = (guint)(colon != NULL ? (size_t)(colon - s) + 1 :
		    n);
		pango_attr_list_insert(al, a);
		pango_layout_set_attributes(p->lay, al);
		pango_attr_list_unref(al);
	}
	cairo_move_to(p->cr, LEFT, p->y);
	pango_cairo_show_layout(p->cr, p->lay);
	pango_layout_set_attributes(p->lay, NULL);
}

static void
lay_out(struct pdf *p, const char *t, size_t len)
{
	const char *s;
	size_t pos = 0, n;

	p->page = 0;
	new_page(p);
	while (next_line(t, len, &pos, &s, &n)) {
		if (n == 0 && p->y == BODY_TOP)
			continue;	/* no blank line at the top of a page */
		/* keep a heading with the line after it */
		if (p->y + (n > 0 && *s != ' ' ? 2 : 1) * LINE_H > BODY_BOTTOM)
			new_page(p);
		if (p->draw && n > 0)
			draw_line(p, s, n);
		p->y += LINE_H;
		if (p->o->ce_marking && is_line(s, n, CE_HEADING))
			draw_ce(p);
	}
	p->pages = p->page;
}

static PangoFontDescription *
font(const char *family, double pt, PangoWeight weight)
{
	PangoFontDescription *f = pango_font_description_new();

	pango_font_description_set_family(f, family);
	pango_font_description_set_weight(f, weight);
	/* absolute: points of the PDF, whatever the font map's dpi */
	pango_font_description_set_absolute_size(f, pt * PANGO_SCALE);
	return f;
}

static void
pdf_free(struct pdf *p)
{
	if (p->lay != NULL)
		g_object_unref(p->lay);
	if (p->mono != NULL)
		pango_font_description_free(p->mono);
	if (p->small != NULL)
		pango_font_description_free(p->small);
	if (p->nb != NULL)
		pango_font_description_free(p->nb);
	if (p->cr != NULL)
		cairo_destroy(p->cr);
}

static int
pdf_setup(struct pdf *p, cairo_surface_t *sf)
{
	int w, h;

	p->cr = cairo_create(sf);
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS ||
	    (p->lay = pango_cairo_create_layout(p->cr)) == NULL)
		return -1;
	p->mono = font("DejaVu Sans Mono,monospace", BODY_PT,
	    PANGO_WEIGHT_NORMAL);
	p->small = font("DejaVu Sans,sans-serif", SMALL_PT,
	    PANGO_WEIGHT_NORMAL);
	p->nb = font("DejaVu Sans,sans-serif", CE_H * 0.55,
	    PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(p->lay, p->mono);
	pango_layout_set_text(p->lay, "MMMMMMMMMM", -1);
	pango_layout_get_size(p->lay, &w, &h);
	p->cw = (double)w / PANGO_SCALE / 10;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	return 0;
}

/* The PDF grows in memory: written once, whole, by the caller. */
struct membuf {
	unsigned char	*ptr;
	size_t		 len;
	size_t		 cap;
	int		 failed;	/* cairo may drop a write error */
};

static cairo_status_t
mem_write(void *arg, const unsigned char *data, unsigned int n)
{
	struct membuf *m = arg;
	unsigned char *p;
	size_t cap;

	if (m->failed || n > DOC_PDF_MAX_BYTES - m->len) {
		m->failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	if (m->len + n > m->cap) {
		cap = m->cap != 0 ? m->cap : 64 * 1024;
		while (cap < m->len + n)
			cap = cap > DOC_PDF_MAX_BYTES / 2 ? DOC_PDF_MAX_BYTES :
			    cap * 2;
		if ((p = realloc(m->ptr, cap)) == NULL) {
			m->failed = 1;
			return CAIRO_STATUS_NO_MEMORY;
		}
		m->ptr = p;
		m->cap = cap;
	}
	memcpy(m->ptr + m->len, data, n);
	m->len += n;
	return CAIRO_STATUS_SUCCESS;
}

int
doc_pdf_render_alloc(const unsigned char *text, size_t len,
    const struct doc_pdf_opts *o, unsigned char **out, size_t *out_len,
    char *err, size_t err_size)
{
	cairo_surface_t *sf;
	struct membuf m;
	struct pdf p;
	char title[512];
	int rc = -1;

	*out = NULL;
	*out_len = 0;
	if (o == NULL || o->title == NULL || len > INT_MAX ||
	    !g_utf8_validate((const char *)text, (gssize)len, NULL)) {
		(void)snprintf(err, err_size, "not a text rendering");
		return -1;
	}
	memset(&p, 0, sizeof(p));
	memset(&m, 0, sizeof(m));
	p.o = o;
	sf = cairo_pdf_surface_create_for_stream(mem_write, &m, PAGE_W,
	    PAGE_H);
	(void)snprintf(title, sizeof(title), "%s%s%s", o->title,
	    o->doc_ref != NULL ? " " : "", o->doc_ref != NULL ?
	    o->doc_ref : "");
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR,
	    "attest-doc (libattest)");
	if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS ||
	    pdf_setup(&p, sf) != 0) {
		(void)snprintf(err, err_size, "cannot start the PDF: %s",
		    cairo_status_to_string(cairo_surface_status(sf)));
		goto out;
	}
	lay_out(&p, (const char *)text, len);	/* count the pages */
	p.draw = 1;
	lay_out(&p, (const char *)text, len);
	cairo_show_page(p.cr);
	cairo_destroy(p.cr);
	p.cr = NULL;
	cairo_surface_finish(sf);
	if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS || m.failed) {
		(void)snprintf(err, err_size, "cannot make the PDF: %s",
		    m.failed ? "out of memory or too large" :
		    cairo_status_to_string(cairo_surface_status(sf)));
		goto out;
	}
	*out = m.ptr;
	*out_len = m.len;
	m.ptr = NULL;
	rc = 0;
out:
	free(m.ptr);
	pdf_free(&p);
	cairo_surface_destroy(sf);
	return rc;
}

int
doc_pdf_render(const unsigned char *text, size_t len,
    const struct doc_pdf_opts *o, const char *path, char *err,
    size_t err_size)
{
	unsigned char *pdf;
	size_t pdf_len;
	FILE *f;
	int rc = -1;

	if (doc_pdf_render_alloc(text, len, o, &pdf, &pdf_len, err,
	    err_size) != 0)
		return -1;
	if ((f = fopen(path, "wb")) == NULL) {
		(void)snprintf(err, err_size, "%s: cannot create", path);
		goto out;
	}
	if (fwrite(pdf, 1, pdf_len, f) != pdf_len) {
		(void)fclose(f);
		(void)snprintf(err, err_size, "%s: write error", path);
		goto out;
	}
	if (fclose(f) != 0) {
		(void)snprintf(err, err_size, "%s: write error", path);
		goto out;
	}
	rc = 0;
out:
	free(pdf);
	return rc;
}

void
doc_pdf_cleanup(void)
{
	/* pango keeps a font map per thread, with its font caches */
	pango_cairo_font_map_set_default(NULL);
}
