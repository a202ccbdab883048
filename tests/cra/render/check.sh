#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Rendering of CRA records: text against golden files, HTML structure and
# escaping, PDF text and raster.
#
#	sh tests/cra/render/check.sh BINDIR
#
# BINDIR holds render_main and pdf_main (built from this directory's
# drivers).  UPDATE=1 rewrites the golden files instead of comparing
# (review the diff before committing them).  Needs pdftotext and pdftoppm
# (poppler-utils).  Exit 0 when every check passes, 1 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: check.sh BINDIR}
render=$bin/render_main
pdf=$bin/pdf_main
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cra-render.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
checks=0

ok() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }

# has FILE STRING WHAT: FILE contains STRING (fixed string)
has() {
	if grep -qF -- "$2" "$1"; then ok; else fail "$3: no '$2' in $1"; fi
}
# hasnt FILE STRING WHAT
hasnt() {
	if grep -qiF -- "$2" "$1"; then fail "$3: '$2' in $1"; else ok; fi
}

annex_v='1. Name, type and identification of the product with digital elements
2. Name and address of the manufacturer or its authorised representative
3. Sole responsibility
4. Object of the declaration
5. Conformity with Union harmonisation legislation
6. Standards, common specifications and cybersecurity certification
7. Notified body and conformity assessment procedure
8. Additional information
Signed for and on behalf of:
(place and date of issue):
(name, function) (signature):'

# annex_v_in FILE MODE: every Annex V item (MODE text: "N. heading" at
# column 0; html: <li id="item-N"><h2>heading</h2>)
annex_v_in() {
	echo "$annex_v" | while IFS= read -r item; do
		case $item in
		[1-8].\ *)
			n=${item%%.*}
			h=${item#*. }
			if [ "$2" = html ]; then
				want="<li id=\"item-$n\"><h2>$h</h2>"
			else
				want=$item
			fi ;;
		*)
			if [ "$2" = html ]; then
				want="<dt>$item</dt>"
			else
				want=$item
			fi ;;
		esac
		grep -qF -- "$want" "$1" || echo "$want"
	done
}

# (a) text: byte for byte against the golden files; deterministic
for k in doc sdoc release hostile; do
	if ! "$render" text "$here/$k.json" "$tmp/$k.txt"; then
		fail "text $k: render failed"
		continue
	fi
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/$k.txt" "$here/$k.txt"
		echo "updated $k.txt"
	elif cmp -s "$tmp/$k.txt" "$here/$k.txt"; then
		ok
	else
		fail "text $k differs from the golden file:"
		diff -u "$here/$k.txt" "$tmp/$k.txt" | head -40
	fi
	"$render" text "$here/$k.json" "$tmp/$k.again.txt" &&
	    cmp -s "$tmp/$k.txt" "$tmp/$k.again.txt" && ok ||
	    fail "text $k: two renders differ"
	# 78 columns (code points), no trailing blanks
	if LC_ALL=C.UTF-8 awk 'length($0) > 78 || /[ \t]$/ { bad = 1 }
	    END { exit bad }' "$tmp/$k.txt"; then ok; else
		fail "text $k: a line over 78 columns or with trailing blanks"
	fi
done
missing=$(annex_v_in "$tmp/doc.txt" text)
[ -z "$missing" ] && ok || fail "text doc: missing Annex V items: $missing"
has "$tmp/sdoc.txt" "Hereby, Nordwind Devices GmbH declares that the product" \
    "text sdoc"
has "$tmp/sdoc.txt" "(1) OJ L, 2024/2847, 20.11.2024, ELI:" "text sdoc"
has "$tmp/sdoc.txt" "http://data.europa.eu/eli/reg/2024/2847/oj." "text sdoc"
has "$tmp/doc.txt" "To verify: attest-doc verify -K maker.pub doc.intoto.json" \
    "text doc"
# control and bidi characters shown, never sent to a terminal
# (attest_text_escape: tests/unit/test_text.c)
has "$tmp/hostile.txt" '\x1b[31mred' "text hostile"
has "$tmp/hostile.txt" '\u202eevil' "text hostile"
has "$tmp/hostile.txt" '\x07\u009b2J\x7f\u2066x\u2069' "text hostile"
for raw in '\033' '\007' '\177' '\302\233' '\342\200\256' \
    '\342\201\246'; do
	if LC_ALL=C grep -q "$(printf "$raw")" "$tmp/hostile.txt"; then
		fail "text hostile: raw $raw"
	else
		ok
	fi
done
# a value never starts a line at column 0: the fake heading stays indented
if grep -qx 'CE marking' "$tmp/hostile.txt" &&
    [ "$(grep -cx 'CE marking' "$tmp/hostile.txt")" = 1 ]; then ok; else
	fail "text hostile: a value made a heading"; fi

# a member of the wrong type refuses the whole render, naming the field
if "$render" text "$here/badtype.json" "$tmp/bad.txt" 2>"$tmp/bad.err"; then
	fail "badtype: rendered"
else
	has "$tmp/bad.err" "predicate.product.name: must be a string" \
	    "badtype"
fi

# (b) HTML: every Annex V item, the CE marking, escaping of the hostile one
for k in doc sdoc release hostile; do
	"$render" html "$here/$k.json" "$tmp/$k.html" || {
		fail "html $k: render failed"; continue; }
	"$render" html "$here/$k.json" "$tmp/$k.again.html" &&
	    cmp -s "$tmp/$k.html" "$tmp/$k.again.html" && ok ||
	    fail "html $k: two renders differ"
	has "$tmp/$k.html" "<!DOCTYPE html>" "html $k"
	has "$tmp/$k.html" "@page { size: A4;" "html $k"
	has "$tmp/$k.html" "default-src 'none'" "html $k"
	# self-contained: no script, no external resource
	hasnt "$tmp/$k.html" "<script" "html $k"
	# an attribute inside a tag (field text has no raw '<')
	if grep -qiE '<[a-z][^>]*[[:space:]](src|on[a-z]+)=' "$tmp/$k.html"
	then fail "html $k: a src= or on*= attribute"; else ok; fi
	hasnt "$tmp/$k.html" "<link" "html $k"
	hasnt "$tmp/$k.html" "url(" "html $k"
done
missing=$(annex_v_in "$tmp/doc.html" html)
[ -z "$missing" ] && ok || fail "html doc: missing Annex V items: $missing"
has "$tmp/doc.html" '<ol class="annex-v">' "html doc"
has "$tmp/doc.html" 'viewBox="0 0 28 20"' "html doc: CE marking"
has "$tmp/doc.html" '<span class="nb">2345</span>' "html doc: NB number"
has "$tmp/sdoc.html" "is in compliance with Regulation (EU) 2024/2847 (1)." \
    "html sdoc"
h=$tmp/hostile.html
has "$h" "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" \
    "html hostile: escaped"
has "$h" "&lt;/b&gt; &quot;quoted&quot; &#39;single&#39;</dd>" \
    "html hostile: quotes escaped"
has "$h" "&lt;img src=x onerror=alert(1)&gt;" "html hostile: escaped"
has "$h" "&lt;/dd&gt;&lt;/dl&gt;&lt;svg onload=alert(3)&gt;" \
    "html hostile: escaped"
has "$h" "]]&gt;&lt;/style&gt;&lt;script&gt;alert(4)&lt;/script&gt;&lt;!--" \
    "html hostile: escaped"
has "$h" '<span class="nb">2345&lt;/span&gt;&lt;script&gt;alert(5)' \
    "html hostile: NB number escaped"
hasnt "$h" "<b>" "html hostile"
hasnt "$h" "<img" "html hostile"
hasnt "$h" 'href="javascript' "html hostile"
has "$h" '<dd class="v">javascript:alert(1)</dd>' "html hostile: no link"
# exactly one <svg (the CE marking), one </style>
[ "$(grep -o '<svg' "$h" | wc -l)" -eq 1 ] && ok ||
    fail "html hostile: an <svg> from a value"
[ "$(grep -o '</style>' "$h" | wc -l)" -eq 1 ] && ok ||
    fail "html hostile: a </style> from a value"
# control and bidi characters shown in HTML too (entities untouched)
has "$h" '\x1b[31mred\x1b[0m \u202eevil \x07\u009b2J\x7f\u2066x\u2069' \
    "html hostile: controls shown"
for raw in '\033' '\007' '\177' '\302\233' '\342\200\256' \
    '\342\201\246'; do
	if LC_ALL=C grep -q "$(printf "$raw")" "$h"; then
		fail "html hostile: raw $raw"
	else
		ok
	fi
done

# (c) PDF: text layer and page 1 as a PNG
for k in doc hostile sdoc release; do
	if ! "$pdf" "$here/$k.json" "$tmp/$k.pdf" >"$tmp/$k.pdfinfo"; then
		fail "pdf $k: not written"
		continue
	fi
	pdftotext -layout "$tmp/$k.pdf" "$tmp/$k.pdf.txt" || {
		fail "pdf $k: pdftotext failed"; continue; }
	rm -f "$tmp/$k-1.png" "$tmp/$k-01.png"
	if pdftoppm -r 50 -png -f 1 -l 1 "$tmp/$k.pdf" "$tmp/$k" &&
	    png=$(ls "$tmp/$k"-*1.png 2>/dev/null) &&
	    [ "$(head -c 8 "$png" | od -An -c | tr -d ' ')" = \
	    '211PNG\r\n032\n' ]; then ok; else
		fail "pdf $k: page 1 did not become a PNG"
	fi
done
missing=$(annex_v_in "$tmp/doc.pdf.txt" text)
[ -z "$missing" ] && ok || fail "pdf doc: missing Annex V items: $missing"
has "$tmp/doc.pdf.txt" "NW-DOC-TC200, version 2" "pdf doc: header"
has "$tmp/doc.pdf.txt" "Page 1 of" "pdf doc: footer"
has "$tmp/doc.pdfinfo" "nb_number=2345" "pdf doc: NB number found"
has "$tmp/doc.pdfinfo" "ce_marking=1" "pdf doc: CE marking drawn"
has "$tmp/release.pdfinfo" "ce_marking=0" "pdf release: no CE marking"
has "$tmp/sdoc.pdf.txt" "Hereby, Nordwind Devices GmbH declares" "pdf sdoc"

echo "cra render: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
