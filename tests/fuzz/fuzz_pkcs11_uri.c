/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz libattest's handling of RFC 7512 "pkcs11:" URIs (keys_pkcs11.c)
 * without loading any PKCS#11 module: the file is compiled into this
 * harness (its statics are reachable; libattest.a's keys_pkcs11.o is then
 * never pulled in), and the harness calls
 *  - attest_keyref_is_pkcs11() and uri_parse() (p11_kit_uri_parse() plus
 *    our refusal of attributes p11-kit does not know) on the input;
 *  - for a URI that parses: the getters p11_open() uses, a round trip
 *    (p11_kit_uri_format() of it parses again, and formats to the same
 *    text), and entry_uri(), which writes the URIs attest-keygen
 *    --pkcs11-list prints, from the parsed token info, label and id: its
 *    output must parse and name the same label and id;
 *  - trim() on the token label field.
 */
#include "fuzz.h"
#include "../../libattest/keys_pkcs11.c"

/* parse @p s (must succeed) and format it */
static char *
reformat(const char *s)
{
	P11KitUri *u = NULL;
	char *t = NULL;

	if (uri_parse(s, &u, NULL) != ATTEST_OK) {
		fprintf(stderr, "URI does not parse again: %s\n", s);
		abort();
	}
	FUZZ_ASSERT(p11_kit_uri_format(u, P11_KIT_URI_FOR_ANY, &t) ==
	    P11_KIT_URI_OK);
	p11_kit_uri_free(u);
	return t;
}

static int
same_attr(const CK_ATTRIBUTE *a, const CK_ATTRIBUTE *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->ulValueLen == b->ulValueLen && (a->ulValueLen == 0 ||
	    memcmp(a->pValue, b->pValue, a->ulValueLen) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	P11KitUri *uri = NULL, *back = NULL;
	attest_diag_t *diag;
	CK_TOKEN_INFO *ti;
	CK_ATTRIBUTE *lbl, *id;
	char *s, *f1 = NULL, *f2 = NULL, *e = NULL, label[33];

	if (size > 4096)
		return 0;
	fuzz_init();
	FUZZ_ASSERT((s = malloc(size + 1)) != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	FUZZ_ASSERT((diag = attest_diag_new()) != NULL);
	(void)attest_keyref_is_pkcs11(s);
	if (uri_parse(s, &uri, diag) != ATTEST_OK) {
		FUZZ_ASSERT(uri == NULL);
		FUZZ_ASSERT(attest_diag_get_message(diag) != NULL);
		goto out;
	}
	(void)p11_kit_uri_get_module_path(uri);
	(void)p11_kit_uri_get_module_name(uri);
	(void)p11_kit_uri_get_pin_value(uri);
	(void)p11_kit_uri_get_pin_source(uri);
	/* round trip */
	FUZZ_ASSERT(p11_kit_uri_format(uri, P11_KIT_URI_FOR_ANY, &f1) ==
	    P11_KIT_URI_OK);
	f2 = reformat(f1);
	if (strcmp(f1, f2) != 0) {
		fprintf(stderr, "format differs:\n%s\n%s\n", f1, f2);
		abort();
	}
	/* what a listing would print for this token, label and id */
	ti = p11_kit_uri_get_token_info(uri);
	trim(label, sizeof(label), ti->label, sizeof(ti->label));
	FUZZ_ASSERT(strlen(label) < sizeof(label));
	lbl = p11_kit_uri_get_attribute(uri, CKA_LABEL);
	id = p11_kit_uri_get_attribute(uri, CKA_ID);
	e = entry_uri(ti, lbl ? lbl->pValue : NULL, lbl ? lbl->ulValueLen : 0,
	    id ? id->pValue : NULL, id ? id->ulValueLen : 0);
	if (e != NULL) {
		if (uri_parse(e, &back, diag) != ATTEST_OK) {
			fprintf(stderr, "entry_uri gave %s: %s\n", e,
			    attest_diag_get_message(diag));
			abort();
		}
		FUZZ_ASSERT(same_attr(lbl, p11_kit_uri_get_attribute(back,
		    CKA_LABEL)));
		FUZZ_ASSERT(same_attr(id, p11_kit_uri_get_attribute(back,
		    CKA_ID)));
		FUZZ_ASSERT(p11_kit_uri_match_token_info(back, ti));
	}
out:
	free(e);
	free(f1);
	free(f2);
	p11_kit_uri_free(uri);
	p11_kit_uri_free(back);
	attest_diag_free(&diag);
	free(s);
	return 0;
}
