/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests: attest_text_escape() (attest/base.h), the one function that
 * makes a string from a record safe to show as text, and its use by the
 * library's own messages (diagnostics, CRA findings).
 */
#include "testutil.h"

#include "attest/cra.h"


/* attest_text_escape(src, flags) whole, into a static buffer. */
static const char *
esc(const char *src, int flags)
{
	static char buf[1024];
	size_t n;

	n = attest_text_escape(buf, sizeof(buf), src, flags);
	assert_true(n < sizeof(buf));
	assert_int_equal(n, strlen(buf));
	/* measuring alone gives the same length */
	assert_int_equal(attest_text_escape(NULL, 0, src, flags), n);
	return buf;
}

static void
test_plain_text_unchanged(void **state)
{
	static const char *const keep[] = {
		"",
		"Example Devices GmbH",
		"printable ASCII !\"#$%&'()*+,-./0123456789:;<=>?@[]^_`{|}~",
		"a\\x1b is text, and so is \\u202e",	/* backslash as is */
		"Gr\xc3\xbc\xc3\x9f" "e, \xe2\x82\xac 5, \xf0\x9f\x98\x80",
		"\xc2\xa0",		/* U+00A0: after C1, kept */
		"\xe2\x80\x8d",		/* U+200D ZWJ: not a direction */
		"\xe2\x80\xaf",		/* U+202F: after the overrides */
		"\xe2\x81\xa5",		/* U+2065: before the isolates */
		"\xe2\x81\xaa",		/* U+206A: after the isolates */
		"\xd8\x9b\xd8\x9d",	/* U+061B, U+061D: beside ALM */
		"\xef\xbf\xbd",		/* U+FFFD as such */
		"\xf4\x8f\xbf\xbf",	/* U+10FFFF, the last code point */
		"\xed\x9f\xbf\xee\x80\x80", /* U+D7FF, U+E000: around surrogates */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		assert_string_equal(esc(keep[i], 0), keep[i]);
		assert_string_equal(esc(keep[i], ATTEST_TEXT_NEWLINE), keep[i]);
	}
}

static void
test_c0_and_del(void **state)
{
	char in[2] = { 0, 0 }, want[8];
	int c;

	(void)state;
	for (c = 1; c < 0x20; c++) {
		in[0] = (char)c;
		if (c == '\n')
			(void)snprintf(want, sizeof(want), "\\n");
		else if (c == '\r')
			(void)snprintf(want, sizeof(want), "\\r");
		else if (c == '\t')
			(void)snprintf(want, sizeof(want), "\\t");
		else
			(void)snprintf(want, sizeof(want), "\\x%02x", c);
		assert_string_equal(esc(in, 0), want);
		/* the flag keeps newline only */
		assert_string_equal(esc(in, ATTEST_TEXT_NEWLINE),
		    c == '\n' ? "\n" : want);
	}
	assert_string_equal(esc("\x7f", 0), "\\x7f");
	assert_string_equal(esc("\x1b[2J\x07", 0), "\\x1b[2J\\x07");
	assert_string_equal(esc("a\r\nb\tc", 0), "a\\r\\nb\\tc");
	assert_string_equal(esc("a\r\nb\tc", ATTEST_TEXT_NEWLINE),
	    "a\\r\nb\\tc");
	assert_string_equal(esc("\x1b]0;owned\x07", ATTEST_TEXT_NEWLINE),
	    "\\x1b]0;owned\\x07");
}

static void
test_c1(void **state)
{
	char in[3] = { '\xc2', 0, 0 }, want[8];
	unsigned c;

	(void)state;
	for (c = 0x80; c <= 0x9f; c++) {
		in[1] = (char)c;
		(void)snprintf(want, sizeof(want), "\\u%04x", c);
		assert_string_equal(esc(in, 0), want);
		assert_string_equal(esc(in, ATTEST_TEXT_NEWLINE), want);
	}
	/* CSI 2 J, as a C1 control */
	assert_string_equal(esc("\xc2\x9b" "2J", 0), "\\u009b2J");
}

static void
test_bidi_and_separators(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} t[] = {
		{ "\xd8\x9c", "\\u061c" },		/* ALM */
		{ "\xe2\x80\x8e", "\\u200e" },		/* LRM */
		{ "\xe2\x80\x8f", "\\u200f" },		/* RLM */
		{ "\xe2\x80\xa8", "\\u2028" },		/* LINE SEPARATOR */
		{ "\xe2\x80\xa9", "\\u2029" },		/* PARAGRAPH SEP. */
		{ "\xe2\x80\xaa", "\\u202a" },		/* LRE */
		{ "\xe2\x80\xab", "\\u202b" },		/* RLE */
		{ "\xe2\x80\xac", "\\u202c" },		/* PDF */
		{ "\xe2\x80\xad", "\\u202d" },		/* LRO */
		{ "\xe2\x80\xae", "\\u202e" },		/* RLO */
		{ "\xe2\x81\xa6", "\\u2066" },		/* LRI */
		{ "\xe2\x81\xa7", "\\u2067" },		/* RLI */
		{ "\xe2\x81\xa8", "\\u2068" },		/* FSI */
		{ "\xe2\x81\xa9", "\\u2069" },		/* PDI */
		{ "fw\xe2\x80\xae" "nib.exe", "fw\\u202enib.exe" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_string_equal(esc(t[i].in, 0), t[i].out);
		assert_string_equal(esc(t[i].in, ATTEST_TEXT_NEWLINE),
		    t[i].out);
	}
}

static void
test_invalid_utf8(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} t[] = {
		{ "\x80", "\\x80" },			/* lone continuation */
		{ "\xbf" "a", "\\xbfa" },
		{ "\xc0\xaf", "\\xc0\\xaf" },		/* overlong '/' */
		{ "\xc1\xbf", "\\xc1\\xbf" },		/* overlong */
		{ "\xe0\x80\xaf", "\\xe0\\x80\\xaf" },	/* overlong, 3 bytes */
		{ "\xe0\x9f\xbf", "\\xe0\\x9f\\xbf" },	/* overlong U+07FF */
		{ "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf" },
		{ "\xf0\x8f\xbf\xbf", "\\xf0\\x8f\\xbf\\xbf" },
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },	/* surrogate D800 */
		{ "\xed\xbf\xbf", "\\xed\\xbf\\xbf" },	/* surrogate DFFF */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" }, /* > 10FFFF */
		{ "\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80" },
		{ "\xfe\xff", "\\xfe\\xff" },
		{ "\xc3", "\\xc3" },			/* cut at the end */
		{ "\xe2\x80", "\\xe2\\x80" },
		{ "\xf0\x9f\x98", "\\xf0\\x9f\\x98" },
		{ "\xc3" "A", "\\xc3" "A" },		/* then ASCII again */
		{ "\xe2\x80\xc3\xa9", "\\xe2\\x80\xc3\xa9" }, /* then UTF-8 */
		/* a C1 control cut short is a byte, not U+009B */
		{ "\xc2", "\\xc2" },
		{ "\x9b" "2J", "\\x9b" "2J" },		/* 8-bit CSI: a byte */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(esc(t[i].in, 0), t[i].out);
}

/* Escaped text is safe, and escapes to itself. */
static void
test_idempotent(void **state)
{
	const char *in = "P\x1b[2J\x07\xc2\x9b\x7f\xe2\x80\xae\xff\n\\x1b end";
	char once[256];

	(void)state;
	(void)snprintf(once, sizeof(once), "%s", esc(in, 0));
	assert_string_equal(once, "P\\x1b[2J\\x07\\u009b\\x7f\\u202e\\xff"
	    "\\n\\x1b end");
	assert_string_equal(esc(once, 0), once);
	(void)snprintf(once, sizeof(once), "%s", esc(in, ATTEST_TEXT_NEWLINE));
	assert_string_equal(esc(once, ATTEST_TEXT_NEWLINE), once);
}

/*
 * Every size from 0 to one past the whole: the return value is the whole
 * length, the output is NUL-terminated, never written past size, and is
 * the longest run of whole units that fits (no character or escape cut).
 */
static void
test_truncation(void **state)
{
	/* units: a, \x1b, e-acute, \u202e, euro, \xff, \n, z */
	const char *in = "a\x1b\xc3\xa9\xe2\x80\xae\xe2\x82\xac\xff\nz";
	static const char *const unit[] = { "a", "\\x1b", "\xc3\xa9",
	    "\\u202e", "\xe2\x82\xac", "\\xff", "\\n", "z" };
	const size_t nunit = sizeof(unit) / sizeof(unit[0]);
	char whole[64], buf[64], want[64];
	size_t total, size, i, len;

	(void)state;
	total = attest_text_escape(whole, sizeof(whole), in, 0);
	assert_int_equal(total, strlen(whole));
	assert_int_equal(total, 1 + 4 + 2 + 6 + 3 + 4 + 2 + 1);
	for (size = 0; size <= total + 1; size++) {
		memset(buf, 'Q', sizeof(buf));
		assert_int_equal(attest_text_escape(size ? buf : NULL, size,
		    in, 0), total);
		/* the longest prefix of whole units that fits */
		want[0] = '\0';
		for (i = 0, len = 0; i < nunit; i++) {
			if (len + strlen(unit[i]) + 1 > size)
				break;
			memcpy(want + len, unit[i], strlen(unit[i]) + 1);
			len += strlen(unit[i]);
		}
		if (size == 0) {
			assert_int_equal(buf[0], 'Q');
			continue;
		}
		assert_string_equal(buf, want);
		assert_int_equal(buf[size], 'Q');	/* nothing past size */
	}
	/* a unit that does not fit is not skipped for a smaller one */
	assert_int_equal(attest_text_escape(buf, 4, "a\x1b" "b", 0), 6);
	assert_string_equal(buf, "a");
	/* room for the NUL alone */
	assert_int_equal(attest_text_escape(buf, 1, "abc", 0), 3);
	assert_string_equal(buf, "");
}

static void
test_null_and_empty(void **state)
{
	char buf[8] = "xxxxxxx";

	(void)state;
	assert_int_equal(attest_text_escape(buf, sizeof(buf), NULL, 0), 0);
	assert_string_equal(buf, "");
	assert_int_equal(attest_text_escape(NULL, 0, NULL, 0), 0);
	assert_int_equal(attest_text_escape(NULL, 0, "\x1b", 0), 4);
	/* dst NULL with a size: measured only, nothing written */
	assert_int_equal(attest_text_escape(NULL, 16, "ab", 0), 2);
}

/* The hostile strings of the tests: none of their raw bytes may stay. */
static void
assert_tame(const char *s)
{
	assert_null(strchr(s, '\x1b'));
	assert_null(strchr(s, '\x07'));
	assert_null(strchr(s, '\x7f'));
	assert_null(strstr(s, "\xc2\x9b"));
	assert_null(strstr(s, "\xe2\x80\xae"));
}

/* A CRA finding quotes the record: its message and field are escaped. */
static void
test_cra_findings_escaped(void **state)
{
	attest_cra_context_t ctx = { .now = "2028-03-01" };
	attest_cra_findings_t *f = NULL;
	json_error_t je;
	json_t *j, *p, *prod;
	char *text;
	size_t i;
	int msg = 0, field = 0;

	(void)state;
	/* the example DoC (run from the repository root) */
	if ((j = json_load_file("keys-example/cra/doc-module-a.json", 0,
	    &je)) == NULL)
		fail_msg("doc-module-a.json: %s", je.text);
	assert_non_null(p = json_object_get(j, "predicate"));
	assert_non_null(prod = json_object_get(p, "product"));
	/* an enumerated value (S-5 quotes it) and a member name (S-4) */
	json_object_set_new(prod, "class", json_string(
	    "x\x1b[2J\x07\xc2\x9b\x7f\xe2\x80\xae"));
	json_object_set_new(prod, "k\x1b[2J\xe2\x80\xae", json_true());
	assert_non_null(text = json_dumps(p, JSON_COMPACT));
	assert_int_equal(attest_cra_check(ATTEST_CRA_DOC,
	    (const unsigned char *)text, strlen(text), &ctx, &f, NULL),
	    ATTEST_ERR_POLICY);
	assert_true(attest_cra_findings_count(f) > 0);
	for (i = 0; i < attest_cra_findings_count(f); i++) {
		assert_tame(attest_cra_finding_message(f, i));
		assert_tame(attest_cra_finding_field(f, i));
		if (strstr(attest_cra_finding_message(f, i),
		    "x\\x1b[2J\\x07\\u009b\\x7f\\u202e") != NULL)
			msg = 1;
		if (strcmp(attest_cra_finding_field(f, i),
		    "product.k\\x1b[2J\\u202e") == 0)
			field = 1;
	}
	assert_true(msg);
	assert_true(field);
	attest_cra_findings_free(&f);
	free(text);
	json_decref(j);
}

/* A diagnostic quotes its input: its reason and field are escaped. */
static void
test_diag_escaped(void **state)
{
	attest_diag_t *d;
	attest_stmt_t *st = NULL;
	/* the message quotes _type */
	const char *stmt = "{\"_type\":\"x\\u001b[2J\\u202e\","
	    "\"subject\":[],\"predicateType\":\"x\",\"predicate\":{}}";

	(void)state;
	assert_non_null(d = attest_diag_new());
	assert_int_not_equal(attest_stmt_parse(&st, (const unsigned char *)
	    stmt, strlen(stmt), d), ATTEST_OK);
	assert_non_null(attest_diag_get_message(d));
	assert_tame(attest_diag_get_message(d));
	assert_non_null(strstr(attest_diag_get_message(d), "\\x1b[2J\\u202e"));
	attest_diag_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_unchanged),
		cmocka_unit_test(test_c0_and_del),
		cmocka_unit_test(test_c1),
		cmocka_unit_test(test_bidi_and_separators),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_null_and_empty),
		cmocka_unit_test(test_cra_findings_escaped),
		cmocka_unit_test(test_diag_escaped),
	};

	/* the CRA check and the Statement parser need the library */
	if (attest_init(0) != ATTEST_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
