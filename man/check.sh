#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# man/check.sh: check the manual pages.  Run from the repository root
# (make check-man).
#
#  1. mandoc -Tlint on every page: no message of level "warning" or above,
#     and no "style" message either, except "referenced manual not found"
#     (it depends on what the machine has installed); references to our
#     own pages are checked here instead.
#  2. The .Nm names of the NAME sections of man/*.3 are exactly the global
#     symbols of libattest/libattest.map, each on one page only, and each
#     page's SYNOPSIS declares exactly the functions its NAME lists.
#  3. Every SYNOPSIS prototype is compiled against <attest.h>: a prototype
#     that differs from the header's is a conflicting declaration.
#  4. Every section 3 page has an EXAMPLES section, and its .Bd -literal
#     blocks, unescaped and put together, compile with
#     cc -std=c11 -Wall -Wextra -Werror (compile only, no link).
#  5. Each tool's long and short options (tools/attest-*.c) are documented
#     in its section 1 page, and the page documents no other.
#
# Prints one summary line and exits 0, or lists every problem and exits 1.
set -u

CC=${CC:-cc}
MAP=libattest/libattest.map
INC=libattest/include
ECFLAGS="-std=c11 -Wall -Wextra -Werror -I$INC"

if [ ! -f "$MAP" ] || [ ! -d man ]; then
	echo "man/check.sh: run from the repository root" >&2
	exit 2
fi
if ! command -v mandoc >/dev/null 2>&1; then
	echo "man/check.sh: mandoc not found (make test-deps, or" \
	    "apt-get install mandoc)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/attest-man.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

failed=0
problem() {
	echo "man: $*" >&2
	failed=1
}

pages=$(ls man/*.[1-9] 2>/dev/null)
if [ -z "$pages" ]; then
	problem "no pages in man/"
	exit 1
fi
npages=0

# --- 1. lint ---------------------------------------------------------
for p in $pages; do
	npages=$((npages + 1))
	mandoc -Tlint -Wstyle "$p" >"$tmp/lint" 2>&1
	grep -v -e 'referenced manual not found' -e 'mandoc\.db' \
	    "$tmp/lint" >"$tmp/lint.left"
	if [ -s "$tmp/lint.left" ]; then
		problem "$p: mandoc -Tlint:"
		cat "$tmp/lint.left" >&2
	fi
	if ! mandoc -Tlint -Wwarning "$p" >/dev/null 2>&1; then
		problem "$p: mandoc -Tlint -Wwarning failed"
	fi
	# our own cross-references must resolve to a page in man/
	sed -n 's/^\.Xr \(attest[-_a-z0-9]*\) \([1-9]\).*/\1.\2/p' "$p" |
	    sort -u | while read -r ref; do
		[ -f "man/$ref" ] || echo "$ref"
	done >"$tmp/xr"
	if [ -s "$tmp/xr" ]; then
		problem "$p: .Xr to pages that do not exist:" \
		    "$(tr '\n' ' ' <"$tmp/xr")"
	fi
done

# --- 2. symbols ------------------------------------------------------
awk '/^[ \t]*global:/ { g = 1; next }
     /^[ \t]*local:/ { g = 0 }
     g && /;/ { gsub(/[ \t;]/, ""); if ($0 != "") print }' "$MAP" |
    sort >"$tmp/map"

# .Nm names in the NAME section, and function names in the SYNOPSIS
nm_of() {
	awk '/^\.Sh / { s = $2 } s == "NAME" && /^\.Nm / {
	    n = $2; sub(/,$/, "", n); print n }' "$1"
}
fn_of() {
	awk '/^\.Sh / { s = $2 } s == "SYNOPSIS" && /^\.F[no] / { print $2 }' \
	    "$1"
}

: >"$tmp/nm.all"
nsec3=0
for p in man/*.3; do
	[ -f "$p" ] || continue
	nsec3=$((nsec3 + 1))
	nm_of "$p" | sort >"$tmp/nm.page"
	fn_of "$p" | sort >"$tmp/fn.page"
	if ! cmp -s "$tmp/nm.page" "$tmp/fn.page"; then
		problem "$p: NAME and SYNOPSIS list different functions:" \
		    "$(comm -3 "$tmp/nm.page" "$tmp/fn.page" | tr -d '\t' |
		    tr '\n' ' ')"
	fi
	cat "$tmp/nm.page" >>"$tmp/nm.all"
done
sort "$tmp/nm.all" | uniq -d >"$tmp/dup"
if [ -s "$tmp/dup" ]; then
	problem "documented on more than one page:" \
	    "$(tr '\n' ' ' <"$tmp/dup")"
fi
sort -u "$tmp/nm.all" >"$tmp/nm"
comm -23 "$tmp/map" "$tmp/nm" >"$tmp/undoc"
comm -13 "$tmp/map" "$tmp/nm" >"$tmp/extra"
if [ -s "$tmp/undoc" ]; then
	problem "exported but not in any .Nm of man/*.3:" \
	    "$(tr '\n' ' ' <"$tmp/undoc")"
fi
if [ -s "$tmp/extra" ]; then
	problem "in a .Nm of man/*.3 but not exported by $MAP:" \
	    "$(tr '\n' ' ' <"$tmp/extra")"
fi
nsyms=$(comm -12 "$tmp/map" "$tmp/nm" | wc -l | tr -d ' ')

# Turn the mdoc escapes of a literal block back into C.  \e last, so
# that the backslash it makes is not read as the start of another escape.
unescape() {
	sed -e 's/\\&//g' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" \
	    -e 's/\\(dq/"/g' -e 's/\\e/\\/g'
}

# --- 3. SYNOPSIS prototypes -------------------------------------------
nsyn=0
for p in man/*.3; do
	[ -f "$p" ] || continue
	c="$tmp/syn-$(basename "$p" .3).c"
	{
		echo "#include <attest.h>"
		awk '
		function args(line,    out, a, q, i, ch) {
			# the arguments of a macro line, quotes honoured
			out = ""; a = ""; q = 0; n = 0
			for (i = 1; i <= length(line); i++) {
				ch = substr(line, i, 1)
				if (ch == "\"") { q = !q; continue }
				if (ch == " " && !q) {
					if (a != "") { argv[++n] = a; a = "" }
					continue
				}
				a = a ch
			}
			if (a != "") argv[++n] = a
			return n
		}
		/^\.Sh / { s = $2; next }
		s != "SYNOPSIS" { next }
		/^\.Ft / { ft = substr($0, 5); next }
		/^\.Fn / {
			k = args(substr($0, 5)); line = ft " " argv[1] "("
			for (j = 2; j <= k; j++)
				line = line (j > 2 ? ", " : "") argv[j]
			print line ");"; next
		}
		/^\.Fo / { fo = $2; fa = ""; na = 0; next }
		/^\.Fa / && fo != "" {
			k = args(substr($0, 5))
			for (j = 1; j <= k; j++)
				fa = fa (na++ ? ", " : "") argv[j]
			next
		}
		/^\.Fc/ && fo != "" { print ft " " fo "(" fa ");"; fo = "" }
		' "$p" | unescape
	} >"$c"
	if ! $CC $ECFLAGS -c -o "$tmp/syn.o" "$c" >"$tmp/cc.out" 2>&1; then
		problem "$p: SYNOPSIS does not match the headers:"
		cat "$tmp/cc.out" >&2
	else
		nsyn=$((nsyn + 1))
	fi
done

# --- 4. EXAMPLES -----------------------------------------------------
nex=0
for p in man/*.3; do
	[ -f "$p" ] || continue
	c="$tmp/ex-$(basename "$p" .3).c"
	awk '/^\.Sh / { s = $2; next }
	     s != "EXAMPLES" { next }
	     /^\.Bd -literal/ { lit = 1; next }
	     /^\.Ed/ { lit = 0; next }
	     lit { print }' "$p" | unescape >"$c"
	if [ ! -s "$c" ]; then
		problem "$p: no EXAMPLES code"
		continue
	fi
	if ! $CC $ECFLAGS -c -o "$tmp/ex.o" "$c" >"$tmp/cc.out" 2>&1; then
		problem "$p: EXAMPLES do not compile:"
		cat "$tmp/cc.out" >&2
	else
		nex=$((nex + 1))
	fi
done

# --- 5. tool options --------------------------------------------------
for src in tools/attest-*.c; do
	[ -f "$src" ] || continue
	tool=$(basename "$src" .c)
	page="man/$tool.1"
	if [ ! -f "$page" ]; then
		problem "$src: no page $page"
		continue
	fi
	# long options: the first string of each entry of the option table
	sed -n '/struct option/,/^};/p' "$src" |
	    sed -n 's/^[ \t]*{ *"\([a-z0-9-]*\)".*/\1/p' >"$tmp/opt.list"
	# the secrets' options of tools/common.h
	if grep -q '^[[:space:]]*SECRET_LONGOPTS,' "$src"; then
		printf '%s\n' passphrase-file passphrase-env pin-file pin-env \
		    >>"$tmp/opt.list"
	fi
	sort -u "$tmp/opt.list" >"$tmp/opt.src"
	# short options: the optstring of getopt_long
	sed -n 's/.*getopt_long([^"]*"\([^"]*\)".*/\1/p' "$src" |
	    tr -d ':' | fold -w1 | sort -u >"$tmp/sopt.src"
	# options the page names: every "Fl -long" and "Fl x" on any line
	: >"$tmp/opt.raw"
	: >"$tmp/sopt.raw"
	awk '{
		line = $0
		while (match(line, /Fl -?[A-Za-z0-9][A-Za-z0-9-]*/)) {
			w = substr(line, RSTART + 3, RLENGTH - 3)
			line = substr(line, RSTART + RLENGTH)
			if (w ~ /^-/)
				print substr(w, 2) >> long
			else if (length(w) == 1)
				print w >> short
		}
	}' long="$tmp/opt.raw" short="$tmp/sopt.raw" "$page"
	sort -u "$tmp/opt.raw" >"$tmp/opt.page"
	sort -u "$tmp/sopt.raw" >"$tmp/sopt.page"
	for kind in opt sopt; do
		miss=$(comm -23 "$tmp/$kind.src" "$tmp/$kind.page" |
		    tr '\n' ' ')
		more=$(comm -13 "$tmp/$kind.src" "$tmp/$kind.page" |
		    tr '\n' ' ')
		[ -n "$miss" ] && problem "$page: options of $src not" \
		    "documented: $miss"
		[ -n "$more" ] && problem "$page: documents options" \
		    "$src does not have: $more"
	done
done

if [ "$failed" -ne 0 ]; then
	echo "man: FAILED" >&2
	exit 1
fi
echo "man: $npages pages lint-clean, $nsyms symbols documented," \
    "$nsyn synopses and $nex examples compiled"
