# SPDX-License-Identifier: Apache-2.0
# softfido: the software CTAP2.0 authenticator used by the FIDO tests.
# Included by the main Makefile; uses its $(BUILD), $(CC), $(SANFLAGS) and
# $(CFLAGS).  softfido.so is for LD_PRELOAD into unmodified tools,
# softfido.o is linked into test executables (then link $(SOFTFIDO_LIBS)).

SOFTFIDO_LIBS	= -lfido2 -lcbor -lcrypto -ldl
SOFTFIDO_CFLAGS	= -std=c11 -pedantic -Wall -Wextra -Werror -Wshadow \
		  -Wcast-qual -Wwrite-strings -Wmissing-prototypes \
		  -Wconversion -Wsign-conversion -Wimplicit-fallthrough \
		  -D_DEFAULT_SOURCE -fPIC $(SANFLAGS) $(CFLAGS)

$(BUILD)/tests/fido/softfido.o: tests/fido/softfido.c
	@mkdir -p $(dir $@)
	$(CC) $(SOFTFIDO_CFLAGS) -c -o $@ tests/fido/softfido.c

$(BUILD)/tests/fido/softfido.so: $(BUILD)/tests/fido/softfido.o
	$(CC) -shared $(SANFLAGS) $(LDFLAGS) -o $@ \
	    $(BUILD)/tests/fido/softfido.o $(SOFTFIDO_LIBS)

# linked with softfido.o, so the interposition happens in the executable
$(BUILD)/tests/fido/softfido_selftest: tests/fido/softfido_selftest.c \
    $(BUILD)/tests/fido/softfido.o
	$(CC) $(SOFTFIDO_CFLAGS) -o $@ tests/fido/softfido_selftest.c \
	    $(BUILD)/tests/fido/softfido.o $(SANFLAGS) $(LDFLAGS) \
	    $(SOFTFIDO_LIBS)
