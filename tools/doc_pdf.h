/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attest-doc render --format pdf: an A4 PDF of the text rendering of a
 * CRA record (attest_cra_render() with ATTEST_CRA_TEXT), laid out with
 * pango and written with cairo.  Kept out of libattest so that the
 * library does not depend on cairo or pango.
 */
#ifndef DOC_PDF_H
#define DOC_PDF_H

#include <stddef.h>

struct doc_pdf_opts {
	/* running header, left: the record's title (required) */
	const char	*title;
	/* running header, right: "DOC-ID, version N", or NULL */
	const char	*doc_ref;
	/* draw the CE marking under the "CE marking" heading */
	int		 ce_marking;
	/* the notified body number drawn after the marking, or NULL */
	const char	*nb_number;
};

/*
 * Fill @p o from a text rendering: title from its first line, doc_ref from
 * the "Identifier" and "Version" of its "Document" section, ce_marking
 * when it is an EU declaration of conformity with a "CE marking" section,
 * nb_number from that section.  This reads only lines the renderer wrote
 * itself (at column 0, or at indent 3 right under such a heading): record
 * values never start there (libattest/cra_render.c).  The strings are
 * copied into @p buf, of @p size bytes, and point there.
 *
 * @return 0, or -1 when @p text is not a rendering or @p buf is too small.
 */
int doc_pdf_scan(const unsigned char *text, size_t len,
    struct doc_pdf_opts *o, char *buf, size_t size);

/* The largest PDF doc_pdf_render_alloc() makes. */
#define DOC_PDF_MAX_BYTES	(256UL * 1024 * 1024)

/*
 * Make the PDF in memory: pages as needed, each with a header (title,
 * doc_ref) and a footer (page N of M).  Nothing touches the file system,
 * so that the caller writes the whole PDF at once (attest_file_write:
 * temporary file and rename) and no write error can be lost inside
 * cairo.
 *
 * @param[out] out the PDF, of *out_len bytes; the caller frees it with
 * free().  NULL on failure.
 * @return 0, or -1 with a message in @p err (of @p err_size bytes).
 */
int doc_pdf_render_alloc(const unsigned char *text, size_t len,
    const struct doc_pdf_opts *o, unsigned char **out, size_t *out_len,
    char *err, size_t err_size);

/*
 * doc_pdf_render_alloc(), then the PDF written to @p path (created or
 * truncated; for tests and tools that rename it themselves).
 *
 * @return 0, or -1 with a message in @p err (of @p err_size bytes); a
 * partial file may then be left at @p path for the caller to remove.
 */
int doc_pdf_render(const unsigned char *text, size_t len,
    const struct doc_pdf_opts *o, const char *path, char *err,
    size_t err_size);

/*
 * Release what pango keeps for the whole process (its default font map
 * and the fonts it caches), so that leak checkers see only real leaks.
 * Call once before exiting, from the thread that rendered, after the
 * last doc_pdf_render().  fontconfig's configuration and pango's default
 * language stay (tests/cra/render/pdf.supp, lsan.supp).
 */
void doc_pdf_cleanup(void);

#endif /* DOC_PDF_H */
