/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Value formats shared by the record checks and the trust policy: civil
 * dates (specs/cra.md §2, §7.2), UTC times (specs/policy.md §2), ISO
 * 3166-1 country codes.
 */
#include <stdio.h>
#include <string.h>

#include "formats_int.h"

int
attest_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
attest_month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	return m == 2 && attest_is_leap(y) ? 29 : days[m - 1];
}

int
attest_digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int
attest_ymd_parse(const char *s, int times, struct attest_ymd *out)
{
	size_t n = strlen(s);
	int hh, mm, ss;

	out->secs = 0;
	if ((n != 7 && n != 10 && (!times || n != 20)) || s[4] != '-' ||
	    !attest_digits(s, 4, &out->y) ||
	    !attest_digits(s + 5, 2, &out->m) || out->y < 1 || out->m < 1 ||
	    out->m > 12)
		return ATTEST_YMD_BAD;
	if (n == 7) {
		out->d = attest_month_days(out->y, out->m);
		return ATTEST_YMD_MONTH;
	}
	if (s[7] != '-' || !attest_digits(s + 8, 2, &out->d) || out->d < 1 ||
	    out->d > attest_month_days(out->y, out->m))
		return ATTEST_YMD_BAD;
	if (n == 10)
		return ATTEST_YMD_DATE;
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    !attest_digits(s + 11, 2, &hh) || !attest_digits(s + 14, 2, &mm) ||
	    !attest_digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 59)
		return ATTEST_YMD_BAD;
	out->secs = (long)hh * 3600 + mm * 60 + ss;
	return ATTEST_YMD_TIME;
}

int
attest_ymd_cmp(const struct attest_ymd *a, const struct attest_ymd *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return 0;
}

struct attest_ymd
attest_ymd_add_years(struct attest_ymd a, int n)
{
	a.y += n;
	if (a.m == 2 && a.d == 29 && !attest_is_leap(a.y))
		a.d = 28;
	return a;
}

struct attest_ymd
attest_ymd_add_months(struct attest_ymd a, long long n)
{
	long long t;

	if (n > 9999LL * 12)	/* a month count is any JSON integer */
		n = 9999LL * 12;
	t = (long long)a.y * 12 + (a.m - 1) + n;
	if (t > 9999LL * 12)
		t = 9999LL * 12;
	a.y = (int)(t / 12);
	a.m = (int)(t % 12) + 1;
	if (a.d > attest_month_days(a.y, a.m))
		a.d = attest_month_days(a.y, a.m);
	return a;
}

const char *
attest_ymd_str(char buf[ATTEST_DATE_BYTES], const struct attest_ymd *a)
{
	(void)snprintf(buf, ATTEST_DATE_BYTES, "%04d-%02d-%02d", a->y, a->m,
	    a->d);
	return buf;
}

/* ISO 3166-1 alpha-2, the assigned codes (iso-codes 3166-1, 249 codes). */
static const char iso3166[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBT"
    "BVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEH"
    "ERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHT"
    "HUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLS"
    "LTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNI"
    "NLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESG"
    "SHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUG"
    "UMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/* The 27 Member States (ISO codes: Greece is GR, not the EU's "EL"). */
static const char eu27[] =
    "ATBEBGCYCZDEDKEEESFIFRGRHRHUIEITLTLULVMTNLPLPTROSESISK";

static int
in_pairs(const char *table, const char *s)
{
	size_t i;

	if (strlen(s) != 2)
		return 0;
	for (i = 0; table[i] != '\0'; i += 2)
		if (table[i] == s[0] && table[i + 1] == s[1])
			return 1;
	return 0;
}

int
attest_country_ok(const char *s)
{
	return in_pairs(iso3166, s);
}

int
attest_eu_state_ok(const char *s)
{
	return in_pairs(eu27, s);
}
