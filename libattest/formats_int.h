/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Value formats shared by the record checks (cra.c) and the trust policy
 * (policy.c): calendar dates, UTC times, ISO 3166-1 country codes.
 */
#ifndef ATTEST_FORMATS_INT_H
#define ATTEST_FORMATS_INT_H

#define ATTEST_YMD_BAD		0
#define ATTEST_YMD_DATE		1	/* YYYY-MM-DD, a real day */
#define ATTEST_YMD_MONTH	2	/* YYYY-MM, taken as its last day */
#define ATTEST_YMD_TIME		3	/* YYYY-MM-DDTHH:MM:SSZ (UTC) */

/* Enough for "YYYY-MM-DD" and any struct attest_ymd printed. */
#define ATTEST_DATE_BYTES	40

struct attest_ymd {
	int	y, m, d;
	long	secs;		/* seconds into the day (ATTEST_YMD_TIME) */
};

#include <stddef.h>

int attest_is_leap(int y);
/* Are the @p n bytes at @p s decimal digits?  Their value in *out. */
int attest_digits(const char *s, size_t n, int *out);
int attest_month_days(int y, int m);
/*
 * Parse "YYYY-MM-DD" or "YYYY-MM"; with @p times also
 * "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC, no fraction, no leap second).
 * Returns ATTEST_YMD_*; a month becomes its last day.
 */
int attest_ymd_parse(const char *s, int times, struct attest_ymd *out);
/* Compare by day only (the seconds are not looked at). */
int attest_ymd_cmp(const struct attest_ymd *a, const struct attest_ymd *b);
/* Same month and day @p n years on; 29 February becomes 28 February. */
struct attest_ymd attest_ymd_add_years(struct attest_ymd a, int n);
/* Same day @p n months on, or that month's last day when it has none. */
struct attest_ymd attest_ymd_add_months(struct attest_ymd a, long long n);
/* "YYYY-MM-DD" into buf. */
const char *attest_ymd_str(char buf[ATTEST_DATE_BYTES],
    const struct attest_ymd *a);

/* Is @p s an assigned ISO 3166-1 alpha-2 code (upper case)? */
int attest_country_ok(const char *s);
/* Is @p s one of the 27 Member States' ISO 3166-1 codes? */
int attest_eu_state_ok(const char *s);

#endif /* ATTEST_FORMATS_INT_H */
