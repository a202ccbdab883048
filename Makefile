# SPDX-License-Identifier: Apache-2.0
# libattest: plain Makefile.  `make`, `make check`, `make demo`,
# `make bench`, `make install PREFIX=/usr/local DESTDIR=`.

VERSION		= 0.1.0
SOVERSION	= 0
PREFIX		?= /usr/local
DESTDIR		?=
BUILD		?= build
SAN		?=

CC		?= cc
CFLAGS		?= -O2 -g
PKGS		= libsodium libcrypto jansson p11-kit-1 libfido2 libcbor
PKG_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	:= $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
		   echo -lsodium -lcrypto -ljansson -lp11-kit -lfido2 -lcbor)

WARN		= -std=c11 -pedantic -Wall -Wextra -Werror -Wshadow \
		  -Wcast-qual -Wwrite-strings -Wmissing-prototypes \
		  -Wconversion -Wsign-conversion -Wimplicit-fallthrough
HARDEN		= -fstack-protector-strong -fPIC
ifeq ($(SAN),)
HARDEN		+= -D_FORTIFY_SOURCE=2
SANFLAGS	=
else
SANFLAGS	= -fsanitize=address,undefined -fno-sanitize-recover=all \
		  -fno-omit-frame-pointer
endif
ALL_CFLAGS	= $(WARN) $(HARDEN) $(SANFLAGS) -D_DEFAULT_SOURCE \
		  -Ilibattest/include -Ilibattest $(PKG_CFLAGS) $(CFLAGS)
LDHARDEN	= -Wl,-z,relro,-z,now
ALL_LDFLAGS	= $(LDHARDEN) $(SANFLAGS) $(LDFLAGS)

LIB_SRCS	= libattest/base.c libattest/err.c libattest/diag.c \
		  libattest/file.c libattest/json.c libattest/digest.c \
		  libattest/crypto_sodium.c libattest/crypto_ossl.c \
		  libattest/keys.c libattest/keyfile.c libattest/signer.c \
		  libattest/dsse.c libattest/statement.c \
		  libattest/keys_pkcs11.c libattest/keys_fido.c \
		  libattest/cra.c libattest/cra_render.c \
		  libattest/formats.c libattest/policy.c \
		  libattest/policy_record.c libattest/chain.c
LIB_OBJS	= $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB_A		= $(BUILD)/libattest.a
LIB_SO		= $(BUILD)/libattest.so.$(VERSION)
LIB_HDRS	= $(wildcard libattest/include/attest/*.h) \
		  libattest/include/attest.h

TOOLS		= attest-keygen attest-sign attest-verify attest-doc attest-chain
TOOL_BINS	= $(TOOLS:%=$(BUILD)/%)
TOOL_COMMON	= $(BUILD)/tools/common.o $(BUILD)/tools/sigtool.o

UNIT_TESTS	= test_base test_digest test_keys test_vectors test_dsse \
		  test_statement test_pkcs11 test_fido_verify test_fido test_cra \
		  test_cra_chain test_chain test_policy test_bounds test_text \
		  test_init
UNIT_BINS	= $(UNIT_TESTS:%=$(BUILD)/tests/%)


.PHONY: all deps test-deps check check-unit check-tools check-interop check-license \
	check-pkcs11 check-fido check-cra check-chain check-static check-secrets check-man check-install check-valgrind check-asan demo bench \
	fuzz fuzz-build check-fuzz \
	install uninstall clean

all: $(LIB_A) $(LIB_SO) $(TOOL_BINS)

deps:
	@sh mk/deps.sh build

test-deps:
	@sh mk/deps.sh test

$(BUILD)/%.o: %.c $(LIB_HDRS) $(wildcard libattest/*.h tools/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB_A): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $(LIB_OBJS)

$(LIB_SO): $(LIB_OBJS) libattest/libattest.map
	$(CC) -shared -Wl,-soname,libattest.so.$(SOVERSION) \
	    -Wl,--version-script=libattest/libattest.map $(ALL_LDFLAGS) \
	    -o $@ $(LIB_OBJS) $(PKG_LIBS)
	ln -sf libattest.so.$(VERSION) $(BUILD)/libattest.so.$(SOVERSION)
	ln -sf libattest.so.$(VERSION) $(BUILD)/libattest.so

$(BUILD)/attest-%: $(BUILD)/tools/attest-%.o $(TOOL_COMMON) $(LIB_A)
	$(CC) -pie $(ALL_LDFLAGS) -o $@ $< $(TOOL_COMMON) $(LIB_A) $(PKG_LIBS)

# attest-doc: templates compiled in, and the PDF writer (cairo, pango),
# which stays out of libattest (README: Dependencies)
DOC_PKGS	= pangocairo cairo-pdf
DOC_CFLAGS	:= $(shell pkg-config --cflags $(DOC_PKGS) 2>/dev/null)
DOC_LIBS	:= $(shell pkg-config --libs $(DOC_PKGS) 2>/dev/null || \
		   echo -lpangocairo-1.0 -lpango-1.0 -lgobject-2.0 -lglib-2.0 \
		   -lcairo) -lm
DOC_TEMPLATES	= tools/templates/doc.json tools/templates/sdoc.json \
		  tools/templates/release.json tools/templates/import.json \
		  tools/templates/distribution.json

$(BUILD)/tools/templates.c: $(DOC_TEMPLATES) mk/embed.sh
	@mkdir -p $(dir $@)
	sh mk/embed.sh attest_doc_template $(DOC_TEMPLATES) > $@.tmp
	mv $@.tmp $@

# (a template is longer than the 4095 bytes ISO C guarantees for a
# string literal; gcc and clang take any length)
$(BUILD)/tools/templates.o: $(BUILD)/tools/templates.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -fPIE -c -o $@ $<

$(BUILD)/tools/doc_pdf.o: tools/doc_pdf.c tools/doc_pdf.h $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DOC_CFLAGS) -fPIE -c -o $@ $<

$(BUILD)/attest-doc: $(BUILD)/tools/attest-doc.o $(TOOL_COMMON) \
	    $(BUILD)/tools/templates.o $(BUILD)/tools/doc_pdf.o $(LIB_A)
	$(CC) -pie $(ALL_LDFLAGS) -o $@ $< $(TOOL_COMMON) \
	    $(BUILD)/tools/templates.o $(BUILD)/tools/doc_pdf.o $(LIB_A) \
	    $(PKG_LIBS) $(DOC_LIBS)

$(BUILD)/attest-chain: $(BUILD)/tools/attest-chain.o \
	    $(BUILD)/tools/chain_append.o $(TOOL_COMMON) $(LIB_A)
	$(CC) -pie $(ALL_LDFLAGS) -o $@ $< $(BUILD)/tools/chain_append.o \
	    $(TOOL_COMMON) $(LIB_A) $(PKG_LIBS) -pthread

$(BUILD)/tools/attest-chain.o $(BUILD)/tools/chain_append.o: \
	    tools/chain_tool.h
$(BUILD)/tools/attest-chain.o $(BUILD)/tools/chain_append.o \
    $(BUILD)/tools/attest-doc.o $(BUILD)/tools/attest-sign.o \
    $(BUILD)/tools/sigtool.o: tools/sigtool.h

$(BUILD)/tools/%.o: tools/%.c $(LIB_HDRS) tools/common.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIE -c -o $@ $<

# Unit tests (cmocka).  They read the public vectors of tests/vectors
# (their sources and licences in tests/vectors/README.md; VECTORS=DIR for
# another copy of the same layout).
VECTORS		?= $(abspath tests/vectors)
$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h \
	    tests/unit/cra_testutil.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-conversion -Wno-sign-conversion \
	    -Wno-missing-prototypes -o $@ $< $(LIB_A) $(PKG_LIBS) -lcmocka \
	    $(ALL_LDFLAGS)

# softfido is linked in: its fido_dev_open and fido_dev_info_manifest come
# before libfido2's, and libattest.a's calls reach them
$(BUILD)/tests/test_fido: tests/unit/test_fido.c tests/unit/testutil.h \
	    $(LIB_A) $(BUILD)/tests/fido/softfido.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-conversion -Wno-sign-conversion \
	    -Wno-missing-prototypes -o $@ $< $(BUILD)/tests/fido/softfido.o \
	    $(LIB_A) $(PKG_LIBS) -lcmocka -ldl $(ALL_LDFLAGS)

check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do \
	    echo "== $$t"; VECTORS=$(VECTORS) $$t; done

check-tools: $(TOOL_BINS)
	@sh tests/tools/run.sh $(abspath $(BUILD))

check-interop: $(TOOL_BINS)
	@sh tests/interop/run.sh $(abspath $(BUILD))

check-pkcs11: $(TOOL_BINS)
	@sh tests/pkcs11/run.sh $(abspath $(BUILD))

# FIDO2: softfido, a software CTAP2 authenticator (tests/fido/softfido.c),
# proves itself against plain libfido2, then stands in for a security key
include tests/fido/softfido.mk

check-fido: $(TOOL_BINS) $(BUILD)/tests/fido/softfido.so \
	    $(BUILD)/tests/fido/softfido_selftest
	@$(BUILD)/tests/fido/softfido_selftest >$(BUILD)/tests/fido/selftest.log 2>&1 \
	    || { cat $(BUILD)/tests/fido/selftest.log; exit 1; }
	@tail -n 1 $(BUILD)/tests/fido/selftest.log
	@sh tests/fido/run.sh $(abspath $(BUILD))

# CRA records: rendering (golden text, HTML escaping, PDF through
# pdftotext and pdftoppm) and the attest-doc tool end to end
$(BUILD)/tests/cra/render_main: tests/cra/render/render_main.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_A) $(PKG_LIBS) $(ALL_LDFLAGS)

$(BUILD)/tests/cra/pdf_main: tests/cra/render/pdf_main.c \
	    $(BUILD)/tools/doc_pdf.o $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itools -o $@ $< $(BUILD)/tools/doc_pdf.o $(LIB_A) \
	    $(PKG_LIBS) $(DOC_LIBS) $(ALL_LDFLAGS)

check-cra: $(TOOL_BINS) $(BUILD)/tests/cra/render_main \
	    $(BUILD)/tests/cra/pdf_main
	@LSAN_OPTIONS=suppressions=$(abspath tests/cra/render/lsan.supp) \
	    sh tests/cra/render/check.sh $(abspath $(BUILD))/tests/cra
	@LSAN_OPTIONS=suppressions=$(abspath tests/cra/render/lsan.supp) \
	    sh tests/doc/run.sh $(abspath $(BUILD))

# the chain of custody: attest-chain with key files, SoftHSM2 and softfido
check-chain: $(TOOL_BINS) $(BUILD)/tests/fido/softfido.so
	@sh tests/chain/run.sh $(abspath $(BUILD))

# the hostile-input corpus (tests/hostile/cases.txt): every input refused
# with its exit status and message, no crash, no output file
.PHONY: check-hostile
check-hostile: $(TOOL_BINS)
	@sh tests/hostile/run.sh $(abspath $(BUILD))

# Fault injection (tests/fault/README.md): every write of every output
# failed (ENOSPC, EIO, short), and the process killed, at each call in
# turn, through an LD_PRELOAD shim; then every allocation along the sign
# and verify paths failed in turn (-Wl,--wrap, under LeakSanitizer).
# Not under SAN=1: the shim cannot be preloaded before the ASan runtime.
.PHONY: check-fault
FAULT_WRAP	= -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
		  -Wl,--wrap=strdup,--wrap=strndup,--wrap=json_loadb \
		  -Wl,--wrap=sodium_malloc,--wrap=sodium_free
$(BUILD)/tests/fault/failwrite.so: tests/fault/failwrite.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g -Wall -Wextra -Werror -fPIC -shared -o $@ $< -ldl

$(BUILD)/tests/fault/failalloc: tests/fault/failalloc.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -fsanitize=address \
	    -fno-omit-frame-pointer -o $@ $< $(LIB_A) $(PKG_LIBS) \
	    $(FAULT_WRAP) -fsanitize=address $(LDHARDEN)

check-fault: $(TOOL_BINS) $(BUILD)/tests/fault/failwrite.so \
	    $(BUILD)/tests/fault/failalloc $(BUILD)/tests/fido/softfido.so
	@sh tests/fault/run.sh $(abspath $(BUILD))

# Static analysis: clang's analyzer (scan-build) over a separate build of
# the library and tools, and cppcheck; any finding fails.  One checker is
# off: deadcode.DeadStores flags the house idiom
#   if ((r = call()) != ATTEST_OK) { r = attest_diag_set(diag, ...); }
# in which the first value of r is tested and the second returned; it
# is a style note, not a defect.  scan-build is told that
# attest_diag_set() returns its err argument (libattest/attest_int.h).
STATIC_BUILD	= $(BUILD)-scan
check-static:
	@rm -rf $(STATIC_BUILD)
	@scan-build --status-bugs -disable-checker deadcode.DeadStores \
	    -o $(STATIC_BUILD)/report $(MAKE) --no-print-directory \
	    BUILD=$(STATIC_BUILD) CC=clang $(STATIC_BUILD)/libattest.a \
	    $(TOOLS:%=$(STATIC_BUILD)/%) >$(STATIC_BUILD).log 2>&1 || \
	    { grep -E 'warning:|error:|bugs found' $(STATIC_BUILD).log; exit 1; }
	@grep -E 'scan-build: (No bugs found|[0-9]+ bugs found)' $(STATIC_BUILD).log
	@cppcheck --quiet --enable=warning,portability,performance --std=c11 \
	    --error-exitcode=1 --inline-suppr -Ilibattest/include -Ilibattest \
	    libattest tools
	@echo "cppcheck: no findings"

# secret hygiene: nothing left in memory (gdb), no secret in messages,
# constant-time comparisons (valgrind, ctgrind-style)
$(BUILD)/tests/ct: tests/secrets/ct.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_A) $(PKG_LIBS) $(ALL_LDFLAGS)

check-secrets: $(TOOL_BINS) $(BUILD)/tests/ct $(BUILD)/tests/fido/softfido.so
	@sh tests/secrets/run.sh $(abspath $(BUILD))

# every source names its licence (LICENSE: Apache-2.0)
check-license:
	@sh mk/spdx-check.sh

check-man:
	@sh man/check.sh

check-valgrind: $(TOOL_BINS) $(BUILD)/tests/fido/softfido.so
	@sh tests/tools/valgrind.sh $(abspath $(BUILD))
	@sh tests/pkcs11/valgrind.sh $(abspath $(BUILD))
	@sh tests/fido/valgrind.sh $(abspath $(BUILD))
	@sh tests/doc/valgrind.sh $(abspath $(BUILD))
	@sh tests/chain/valgrind.sh $(abspath $(BUILD))
	@HOSTILE_VALGRIND=1 sh tests/hostile/run.sh $(abspath $(BUILD))

# install into a scratch DESTDIR, build a program against the installed
# headers and libattest.so through pkg-config, run it, uninstall
check-install: all
	@sh tests/tools/install.sh

# Fuzzing (tests/fuzz/README.md): one libFuzzer harness per parser,
# the library built again with clang and ASan+UBSan into FUZZ_BUILD.
# `make fuzz FUZZ_SECONDS=N` runs each harness N seconds on its corpus
# (new inputs go to FUZZ_BUILD/new/<name>, not into git);
# `make check-fuzz` replays every corpus and crash file once.
FUZZ_BUILD	= build-fuzz
FUZZ_CC		= clang
FUZZ_SECONDS	?= 60
FUZZERS		= keyfile pubkey envelope statement cra cra_render policy \
		  chain fido_handle fido_att fido_counter pkcs11_uri sbom signed
FUZZ_BINS	= $(FUZZERS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all \
		  -fno-omit-frame-pointer
FUZZ_CFLAGS	= -std=c11 -Wall -Wextra -Werror -Wshadow -g -O1 \
		  -D_DEFAULT_SOURCE -Ilibattest/include -Ilibattest \
		  $(PKG_CFLAGS) $(FUZZ_SAN)
FUZZ_LIB_OBJS	= $(LIB_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_DEFS	= -DFUZZ_DIR='"$(abspath tests/fuzz)"' \
		  -DFUZZ_POLICY='"$(abspath keys-example/policy.json)"'

$(FUZZ_BUILD)/libattest/%.o: libattest/%.c $(LIB_HDRS) \
	    $(wildcard libattest/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/libattest.a: $(FUZZ_LIB_OBJS)
	rm -f $@
	ar rcs $@ $(FUZZ_LIB_OBJS)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h \
	    $(FUZZ_BUILD)/libattest.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_DEFS) -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ_BUILD)/libattest.a $(PKG_LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh fuzz $(abspath $(FUZZ_BUILD)) $(FUZZ_SECONDS) \
	    $(FUZZERS)

check-fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh replay $(abspath $(FUZZ_BUILD)) 0 $(FUZZERS)

check-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 CFLAGS="-O1 -g" \
	    check-unit check-tools check-pkcs11 check-fido check-cra \
	    check-chain check-hostile

check: test-deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check-unit
	@$(MAKE) --no-print-directory check-tools
	@$(MAKE) --no-print-directory check-interop
	@$(MAKE) --no-print-directory check-pkcs11
	@$(MAKE) --no-print-directory check-fido
	@$(MAKE) --no-print-directory check-cra
	@$(MAKE) --no-print-directory check-chain
	@$(MAKE) --no-print-directory check-hostile
	@$(MAKE) --no-print-directory check-fault
	@$(MAKE) --no-print-directory check-man
	@$(MAKE) --no-print-directory check-license
	@$(MAKE) --no-print-directory check-static
	@$(MAKE) --no-print-directory check-secrets
	@$(MAKE) --no-print-directory check-install
	@$(MAKE) --no-print-directory check-valgrind
	@$(MAKE) --no-print-directory check-asan
	@$(MAKE) --no-print-directory check-fuzz
	@echo "make check: all suites passed"

demo: deps
	@$(MAKE) --no-print-directory all
	@sh keys-example/demo.sh $(abspath $(BUILD))

bench: test-deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/bench_verify \
	    $(BUILD)/bench/bench_pkcs11 $(BUILD)/bench/bench_chain_raw \
	    $(BUILD)/bench/bench_mem
	@sh bench/run.sh $(abspath $(BUILD))

$(BUILD)/bench/%: bench/%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-conversion -Wno-sign-conversion \
	    -Wno-missing-prototypes -o $@ $< $(LIB_A) $(PKG_LIBS) $(ALL_LDFLAGS) \
	    -pthread

$(BUILD)/libattest.pc: libattest.pc.in
	@mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    libattest.pc.in > $@

install: all $(BUILD)/libattest.pc
	install -d $(DESTDIR)$(PREFIX)/include/attest \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man3 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/doc/libattest
	install -m 644 LICENSE $(DESTDIR)$(PREFIX)/share/doc/libattest/
	install -m 644 libattest/include/attest.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 libattest/include/attest/*.h \
	    $(DESTDIR)$(PREFIX)/include/attest/
	install -m 644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libattest.so.$(VERSION) \
	    $(DESTDIR)$(PREFIX)/lib/libattest.so.$(SOVERSION)
	ln -sf libattest.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libattest.so
	install -m 644 $(BUILD)/libattest.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.3 $(DESTDIR)$(PREFIX)/share/man/man3/
	@# one link per documented name, so that `man attest_wipe` finds its page
	for f in man/*.3; do p=$${f#man/}; \
	    for n in $$(sed -n 's/^\.Nm \([a-z_0-9]*\).*/\1/p' "$$f" | sort -u); do \
	    [ "$$n.3" = "$$p" ] || ln -sf "$$p" \
	    "$(DESTDIR)$(PREFIX)/share/man/man3/$$n.3"; done; done
	for f in man/*.5; do [ -e "$$f" ] && install -m 644 "$$f" \
	    $(DESTDIR)$(PREFIX)/share/man/man5/ || true; done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/include/attest.h
	rm -rf $(DESTDIR)$(PREFIX)/include/attest
	rm -f $(DESTDIR)$(PREFIX)/lib/libattest.a \
	    $(DESTDIR)$(PREFIX)/lib/libattest.so* \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig/libattest.pc
	rm -f $(TOOLS:%=$(DESTDIR)$(PREFIX)/bin/%)
	for f in man/*.1; do rm -f $(DESTDIR)$(PREFIX)/share/man/man1/$${f#man/}; done
	for f in man/*.3; do rm -f $(DESTDIR)$(PREFIX)/share/man/man3/$${f#man/}; \
	    for n in $$(sed -n 's/^\.Nm \([a-z_0-9]*\).*/\1/p' "$$f"); do \
	    rm -f "$(DESTDIR)$(PREFIX)/share/man/man3/$$n.3"; done; done
	for f in man/*.5; do rm -f $(DESTDIR)$(PREFIX)/share/man/man5/$${f#man/}; done
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/libattest

clean:
	rm -rf build build-asan
