# bearpass: upstream Dropbear + patches/ + plugin/, built into
#   build/out/dropbear            static musl binary, plugin built in
#   build/out/dyn/dropbear        glibc build that loads build/out/dyn/bearpass.so
# See README.md.  Every variable below can be overridden on the command line.

.DELETE_ON_ERROR:
SHELL := /bin/bash

B        ?= build
CC       ?= cc
MUSL_CC  ?= musl-gcc
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)

DROPBEAR_VERSION := $(shell . build/upstream.env && echo $$DROPBEAR_VERSION)
TARBALL  := $(B)/src/dropbear_$(DROPBEAR_VERSION).orig.tar.bz2
SRCDIR   := $(B)/src/dropbear-$(DROPBEAR_VERSION)
STAMP    := $(B)/stamp
PATCHES  := $(addprefix patches/,$(shell cat patches/series))
# bearpass's own version; `dropbear -V` also names the patches applied
BEARPASS_VERSION := $(shell cat VERSION)

# libsodium (issue 11): fetched and pinned like Dropbear (build/upstream.env),
# built static once per C library into a prefix (include/, lib/libsodium.a).
SODIUM_VERSION := $(shell . build/upstream.env && echo $$LIBSODIUM_VERSION)
SODIUM_TARBALL := $(B)/src/libsodium_$(SODIUM_VERSION).orig.tar.gz
SODIUM_SRC     := $(B)/src/libsodium-$(SODIUM_VERSION)
SODIUM_MUSL    := $(B)/work/sodium/musl
SODIUM_GLIBC   := $(B)/work/sodium/glibc

# libsodium include dir and static library of each flavour that links it:
# static (musl), dyn (glibc), asan (the glibc library, not instrumented:
# libsodium's own code is not what the sanitizers are for), unit (the
# dbtest_* binaries, linked with the dyn build's objects) and fuzz (any
# fuzz build of Dropbear's own code; the glibc library, uninstrumented).
SODIUM_STATIC_INC := $(SODIUM_MUSL)/include
SODIUM_STATIC_LIB := $(SODIUM_MUSL)/lib/libsodium.a
SODIUM_DYN_INC    := $(SODIUM_GLIBC)/include
SODIUM_DYN_LIB    := $(SODIUM_GLIBC)/lib/libsodium.a
SODIUM_ASAN_INC   := $(SODIUM_GLIBC)/include
SODIUM_ASAN_LIB   := $(SODIUM_GLIBC)/lib/libsodium.a
SODIUM_UNIT_INC   := $(SODIUM_GLIBC)/include
SODIUM_UNIT_LIB   := $(SODIUM_GLIBC)/lib/libsodium.a
SODIUM_FUZZ_INC   := $(SODIUM_GLIBC)/include
SODIUM_FUZZ_LIB   := $(SODIUM_GLIBC)/lib/libsodium.a

# static: each function and object in its own section, unused ones dropped
# at the final link (--gc-sections)
# and no unwind tables (.eh_frame): nothing in this C program unwinds, and
# they were 46 kB of the stripped binary
SECTIONS_CFLAGS  ?= -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables
SECTIONS_LDFLAGS ?= -Wl,--gc-sections

STATIC_DIR := $(B)/work/static
DYN_DIR    := $(B)/work/dyn
ASAN_DIR   := $(B)/work/asan
UNIT_DIR   := $(B)/work/unit
STOCK_SRC  := $(B)/src/stock-dropbear-$(DROPBEAR_VERSION)
STOCK_DIR  := $(B)/work/stock

# Dropbear configure switches common to every build: no zlib, and none of
# the login-record files a container image does not have.
CONFIGURE_FLAGS ?= --enable-plugin --disable-zlib --disable-lastlog \
	--disable-utmp --disable-utmpx --disable-wtmp --disable-wtmpx \
	--disable-pututline --disable-pututxline

# Plugin code: warnings on and fatal, so it stays warning free.
PLUGIN_WARN   ?= -Wall -Wextra -Werror
PLUGIN_CFLAGS ?= -O2 -g
PLUGIN_SRCS   := $(wildcard plugin/*.c)
PLUGIN_PURE   := $(filter-out plugin/glue.c,$(PLUGIN_SRCS))
PLUGIN_HDRS   := $(wildcard plugin/*.h)
SANITIZE      ?= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

dropbear_includes = -DLOCALOPTIONS_H_EXISTS -DDROPBEAR_SERVER -I$(1) -I$(SRCDIR)/src -I$(SRCDIR)/libtomcrypt/src/headers -Iplugin

.PHONY: all check run bench fuzz fuzz-build package clean distclean unit FORCE
all: $(B)/out/dropbear $(B)/out/dyn/dropbear $(B)/out/dyn/bearpass.so

# --- packages, source, patches -------------------------------------------

$(STAMP)/deps-build: build/deps.sh
	@mkdir -p $(@D)
	sh build/deps.sh build
	@touch $@

$(STAMP)/deps-test: build/deps.sh
	@mkdir -p $(@D)
	sh build/deps.sh test
	@touch $@

$(TARBALL): build/upstream.env build/fetch.sh | $(STAMP)/deps-build
	sh build/fetch.sh $(B)/src
	@touch $@

$(STAMP)/patched: $(TARBALL) patches/series $(PATCHES)
	@mkdir -p $(@D)
	rm -rf $(SRCDIR) $(SRCDIR).tmp
	mkdir -p $(SRCDIR).tmp
	tar -xjf $(TARBALL) -C $(SRCDIR).tmp --strip-components=1
	@set -e; for p in $$(cat patches/series); do \
		echo "  PATCH $$p"; \
		if ! patch -d $(SRCDIR).tmp -p1 -s -F0 --no-backup-if-mismatch < patches/$$p; then \
			echo "error: patches/$$p does not apply to Dropbear $(DROPBEAR_VERSION)" >&2; \
			exit 1; \
		fi; \
	done
	mv $(SRCDIR).tmp $(SRCDIR)
	@touch $@

# --- libsodium -----------------------------------------------------------
# autoreconf (not upstream's autogen.sh, which downloads config.guess)
# makes the configure script Debian's orig tarball does not carry.

$(SODIUM_TARBALL): build/upstream.env build/fetch.sh | $(STAMP)/deps-build
	sh build/fetch.sh $(B)/src libsodium
	@touch $@

$(STAMP)/sodium-src: $(SODIUM_TARBALL)
	@mkdir -p $(@D)
	rm -rf $(SODIUM_SRC) $(SODIUM_SRC).tmp
	mkdir -p $(SODIUM_SRC).tmp
	tar -xzf $(SODIUM_TARBALL) -C $(SODIUM_SRC).tmp --strip-components=1
	cd $(SODIUM_SRC).tmp && autoreconf -fi > autoreconf.log 2>&1 || { tail -n 20 autoreconf.log; exit 1; }
	mv $(SODIUM_SRC).tmp $(SODIUM_SRC)
	@touch $@

SODIUM_CONFIGURE_FLAGS ?= --disable-shared --enable-static --with-pic \
	--without-pthreads --disable-dependency-tracking

# $(1) prefix, $(2) CC, $(3) CFLAGS
define build_sodium
	rm -rf $(1) $(1)-build && mkdir -p $(1)-build
	cd $(1)-build && CC=$(2) CFLAGS="$(3)" $(abspath $(SODIUM_SRC))/configure \
		$(SODIUM_CONFIGURE_FLAGS) --prefix=$(abspath $(1)) \
		> configure.log 2>&1 || { tail -n 20 configure.log; exit 1; }
	$(MAKE) -s -C $(1)-build -j$(JOBS) install > $(1)-build/make.log 2>&1 \
		|| { tail -n 30 $(1)-build/make.log; exit 1; }
endef

$(SODIUM_MUSL)/lib/libsodium.a: $(STAMP)/sodium-src | $(STAMP)/deps-build
	$(call build_sodium,$(SODIUM_MUSL),$(MUSL_CC),-O2 $(SECTIONS_CFLAGS) -ffile-prefix-map=$(abspath $(B))=build)

$(SODIUM_GLIBC)/lib/libsodium.a: $(STAMP)/sodium-src | $(STAMP)/deps-build
	$(call build_sodium,$(SODIUM_GLIBC),$(CC),-O2 -g)

# --- Dropbear builds -----------------------------------------------------
# $(1) build dir, $(2) environment for configure, $(3) extra configure flags

define configure_dropbear
	rm -rf $(1) && mkdir -p $(1)
	cd $(1) && $(2) $(abspath $(SRCDIR))/configure $(CONFIGURE_FLAGS) $(3) \
		> configure.log 2>&1 || { tail -n 20 configure.log; exit 1; }
endef

# -ffile-prefix-map: the released binary does not depend on where B is
# (Dropbear's asserts hold __FILE__), so builds are reproducible.
# Each build has its libsodium's headers on the include path and its
# libsodium.a in LIBS (only the members Dropbear calls are linked in).
$(STATIC_DIR)/config.status: $(STAMP)/patched $(SODIUM_STATIC_LIB) | $(STAMP)/deps-build
	$(call configure_dropbear,$(STATIC_DIR),CC=$(MUSL_CC) \
		CPPFLAGS="-DBEARPASS_STATIC -I$(abspath $(SODIUM_STATIC_INC))" \
		CFLAGS="-Os $(SECTIONS_CFLAGS) -ffile-prefix-map=$(abspath $(B))=build" \
		LDFLAGS="$(SECTIONS_LDFLAGS)" LIBS="$(abspath $(SODIUM_STATIC_LIB))",--enable-static)

$(DYN_DIR)/config.status: $(STAMP)/patched $(SODIUM_DYN_LIB) | $(STAMP)/deps-build
	$(call configure_dropbear,$(DYN_DIR),CC=$(CC) CPPFLAGS="-I$(abspath $(SODIUM_DYN_INC))" \
		CFLAGS="-O2 -g" LIBS="$(abspath $(SODIUM_DYN_LIB))",)

# The ASan build (tests only) starts a rekey after 8 MB instead of 1 GB, so
# that the load suite reaches a server-initiated key exchange in seconds.
ASAN_REKEY ?= -DKEX_REKEY_DATA=8388608
$(ASAN_DIR)/config.status: $(STAMP)/patched $(SODIUM_ASAN_LIB) | $(STAMP)/deps-build
	$(call configure_dropbear,$(ASAN_DIR),CC=$(CC) CPPFLAGS="-I$(abspath $(SODIUM_ASAN_INC))" \
		CFLAGS="-O1 -g $(SANITIZE) $(ASAN_REKEY)" LDFLAGS="$(SANITIZE)" LIBS="$(abspath $(SODIUM_ASAN_LIB))",--disable-harden)

%/localoptions.h: build/localoptions.h %/config.status VERSION patches/series
	{ printf '#define BEARPASS_VERSION_SUFFIX " (bearpass %s, %s patches)"\n' \
		'$(BEARPASS_VERSION)' '$(words $(PATCHES))'; cat $<; } > $@

# generated by Dropbear's Makefile; the plugin's glue includes Dropbear's headers
.SECONDARY: $(STATIC_DIR)/default_options_guard.h $(DYN_DIR)/default_options_guard.h \
	$(ASAN_DIR)/default_options_guard.h $(STATIC_DIR)/localoptions.h \
	$(DYN_DIR)/localoptions.h $(ASAN_DIR)/localoptions.h
# Each build's dropbear rule needs the guard first: otherwise Dropbear's
# own Makefile and this rule could write it at the same time under -j2
# (seen after a patch changed default_options.h).
%/default_options_guard.h: %/localoptions.h
	$(MAKE) -s -C $* default_options_guard.h

# static: the plugin objects go into an archive linked at the end of
# Dropbear's link line (PLUGIN_LIBS replaces its "-ldl -rdynamic").
STATIC_PLUGIN_OBJS := $(patsubst plugin/%.c,$(STATIC_DIR)/plugin/%.o,$(PLUGIN_SRCS))
$(STATIC_DIR)/plugin/%.o: plugin/%.c $(PLUGIN_HDRS) $(STATIC_DIR)/default_options_guard.h $(STAMP)/patched
	@mkdir -p $(@D)
	$(MUSL_CC) -Os $(SECTIONS_CFLAGS) -DBEARPASS_STATIC $(PLUGIN_WARN) $(call dropbear_includes,$(STATIC_DIR)) \
		-I$(SODIUM_STATIC_INC) -c $< -o $@

$(STATIC_DIR)/libbearpass.a: $(STATIC_PLUGIN_OBJS)
	rm -f $@ && ar rcs $@ $^

$(STATIC_DIR)/dropbear: $(STATIC_DIR)/libbearpass.a $(STATIC_DIR)/default_options_guard.h FORCE
	@if [ -f $@ ] && [ $(STATIC_DIR)/libbearpass.a -nt $@ ]; then rm -f $@; fi
	$(MAKE) -s -C $(STATIC_DIR) -j$(JOBS) PROGRAMS=dropbear \
		PLUGIN_LIBS=$(abspath $(STATIC_DIR)/libbearpass.a) dropbear

$(B)/out/dropbear: $(STATIC_DIR)/dropbear
	@mkdir -p $(@D)
	cp $< $@.tmp && strip $@.tmp && mv $@.tmp $@

# dynamic (glibc) and sanitizer builds: the plugin is a shared object
DYN_PROGRAMS := dropbear dbclient dropbearkey dropbearconvert

$(DYN_DIR)/dropbear: $(DYN_DIR)/default_options_guard.h FORCE
	$(MAKE) -s -C $(DYN_DIR) -j$(JOBS) PROGRAMS="$(DYN_PROGRAMS)" $(DYN_PROGRAMS)

$(ASAN_DIR)/dropbear: $(ASAN_DIR)/default_options_guard.h FORCE
	$(MAKE) -s -C $(ASAN_DIR) -j$(JOBS) PROGRAMS=dropbear dropbear

$(B)/out/dyn/dropbear: $(DYN_DIR)/dropbear
	@mkdir -p $(@D)
	cp $(addprefix $(DYN_DIR)/,$(DYN_PROGRAMS)) $(@D)/

$(B)/out/dyn/bearpass.so: $(PLUGIN_SRCS) $(PLUGIN_HDRS) $(DYN_DIR)/default_options_guard.h $(STAMP)/patched
	@mkdir -p $(@D)
	$(CC) -shared -fPIC $(PLUGIN_CFLAGS) $(PLUGIN_WARN) $(call dropbear_includes,$(DYN_DIR)) \
		-I$(SODIUM_DYN_INC) $(PLUGIN_SRCS) -o $@

$(B)/out/asan/dropbear: $(ASAN_DIR)/dropbear
	@mkdir -p $(@D)
	cp $< $@

$(B)/out/asan/bearpass.so: $(PLUGIN_SRCS) $(PLUGIN_HDRS) $(ASAN_DIR)/default_options_guard.h $(STAMP)/patched
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O1 -g $(SANITIZE) $(PLUGIN_WARN) $(call dropbear_includes,$(ASAN_DIR)) \
		-I$(SODIUM_ASAN_INC) $(PLUGIN_SRCS) -o $@

# --- tests ---------------------------------------------------------------

UNIT_CFLAGS ?= -std=c99 -D_GNU_SOURCE $(PLUGIN_WARN) $(SANITIZE) -g -Iplugin -Itests/unit
UNIT_HDRS   := $(wildcard tests/unit/*.h)
UNIT_BINS   := $(patsubst tests/unit/%.c,$(UNIT_DIR)/%,$(wildcard tests/unit/test_*.c))

$(UNIT_DIR)/test_%: tests/unit/test_%.c $(PLUGIN_PURE) $(PLUGIN_HDRS) $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) $< $(PLUGIN_PURE) -o $@

# certificates and keys made by ssh-keygen for the unit tests
FIXTURES := $(B)/work/fixtures
$(FIXTURES)/.stamp: tests/fixtures/mkcerts.sh | $(STAMP)/deps-test
	rm -rf $(FIXTURES) && mkdir -p $(FIXTURES)
	sh tests/fixtures/mkcerts.sh $(FIXTURES) > $(FIXTURES)/mkcerts.log 2>&1 || { cat $(FIXTURES)/mkcerts.log; exit 1; }
	@touch $@

# dbtest_*: unit tests that need Dropbear's own code (real signature
# checks through the glue's verifier), linked against the dynamic build's
# objects.  Dropbear's include paths come first: its headers include
# "config.h" meaning its own.  -Wno-clobbered: the tests longjmp out of
# dropbear_exit().
DB_ARCHIVE := $(DYN_DIR)/libdbobjs.a
DB_MAINS   := svr-main.o cli-main.o dropbearkey.o dropbearconvert.o
DBTEST_BINS := $(patsubst tests/unit/%.c,$(UNIT_DIR)/%,$(wildcard tests/unit/dbtest_*.c))

$(DB_ARCHIVE): $(DYN_DIR)/dropbear
	rm -f $@ && ar rcs $@ $(filter-out $(addprefix $(DYN_DIR)/obj/,$(DB_MAINS)),$(wildcard $(DYN_DIR)/obj/*.o))

$(UNIT_DIR)/dbtest_%: tests/unit/dbtest_%.c $(PLUGIN_SRCS) $(PLUGIN_HDRS) $(UNIT_HDRS) $(DB_ARCHIVE) $(SODIUM_UNIT_LIB)
	@mkdir -p $(@D)
	$(CC) -std=gnu99 $(PLUGIN_WARN) -Wno-clobbered -g -O1 \
		$(call dropbear_includes,$(DYN_DIR)) -I$(SODIUM_UNIT_INC) -Itests/unit $< $(PLUGIN_SRCS) \
		$(DBTEST_EXTRA) $(DB_ARCHIVE) \
		$(DYN_DIR)/libtomcrypt/libtomcrypt.a $(DYN_DIR)/libtommath/libtommath.a \
		$(SODIUM_UNIT_LIB) -lcrypt -lutil -o $@

# dbtest_curve25519 once more against the static build's objects and its
# musl libsodium: the known answers of the code in the shipped binary
STATIC_DB_ARCHIVE := $(STATIC_DIR)/libdbobjs.a
$(STATIC_DB_ARCHIVE): $(STATIC_DIR)/dropbear
	rm -f $@ && ar rcs $@ $(filter-out $(addprefix $(STATIC_DIR)/obj/,$(DB_MAINS)),$(wildcard $(STATIC_DIR)/obj/*.o))

$(UNIT_DIR)/dbtest_curve25519-musl: tests/unit/dbtest_curve25519.c tests/unit/t.h $(STATIC_DB_ARCHIVE) \
		$(STATIC_DIR)/libbearpass.a $(SODIUM_STATIC_LIB)
	@mkdir -p $(@D)
	$(MUSL_CC) -static -std=gnu99 $(PLUGIN_WARN) -Wno-clobbered -g -O1 -DBEARPASS_STATIC \
		$(call dropbear_includes,$(STATIC_DIR)) -I$(SODIUM_STATIC_INC) -Itests/unit $< \
		-Wl,--start-group $(STATIC_DB_ARCHIVE) $(STATIC_DIR)/libbearpass.a \
		$(STATIC_DIR)/libtomcrypt/libtomcrypt.a $(STATIC_DIR)/libtommath/libtommath.a \
		$(SODIUM_STATIC_LIB) -Wl,--end-group -o $@

# dbtest_ciphers also runs its vectors through the portable cipher code:
# chachapoly.c and gcm.c compiled again with their fast paths off and
# their mode symbols renamed portable_*.
PORTABLE_CIPHER_OBJS := $(UNIT_DIR)/portable-chachapoly.o $(UNIT_DIR)/portable-gcm.o
PORTABLE_CIPHER_FLAGS := -DDROPBEAR_CHACHAPOLY_SODIUM=0 -DDROPBEAR_GCM_AESNI=0 \
	-Ddropbear_chachapoly=portable_chachapoly \
	-Ddropbear_mode_chachapoly=portable_mode_chachapoly -Ddropbear_mode_gcm=portable_mode_gcm
$(UNIT_DIR)/portable-%.o: $(DYN_DIR)/dropbear
	@mkdir -p $(@D)
	$(CC) -O1 -g $(PORTABLE_CIPHER_FLAGS) $(call dropbear_includes,$(DYN_DIR)) \
		-I$(SODIUM_UNIT_INC) -c $(SRCDIR)/src/$*.c -o $@
$(UNIT_DIR)/dbtest_ciphers: tests/unit/dbtest_ciphers_vectors.h $(PORTABLE_CIPHER_OBJS)
$(UNIT_DIR)/dbtest_ciphers: DBTEST_EXTRA = $(PORTABLE_CIPHER_OBJS)

# dbtest_sha256 also runs libtomcrypt's SHA-256 without the SHA
# extensions: sha256.c compiled again with them off and its symbols
# renamed portable_*.
PORTABLE_SHA256_OBJ := $(UNIT_DIR)/portable-sha256.o
$(PORTABLE_SHA256_OBJ): $(DYN_DIR)/dropbear
	@mkdir -p $(@D)
	$(CC) -O1 -g -DDROPBEAR_SHA256_SHANI=0 \
		$(foreach f,init process done test desc,-Dsha256_$(f)=portable_sha256_$(f)) \
		$(call dropbear_includes,$(DYN_DIR)) \
		-c $(SRCDIR)/libtomcrypt/src/hashes/sha2/sha256.c -o $@
$(UNIT_DIR)/dbtest_sha256: $(PORTABLE_SHA256_OBJ)
$(UNIT_DIR)/dbtest_sha256: DBTEST_EXTRA = $(PORTABLE_SHA256_OBJ)

unit: $(UNIT_BINS) $(DBTEST_BINS) $(UNIT_DIR)/dbtest_curve25519-musl $(FIXTURES)/.stamp

# --- fuzzing -------------------------------------------------------------
# libFuzzer targets (clang, ASan+UBSan): make fuzz runs each for
# FUZZ_SECONDS, FUZZ_JOBS of them at once; make check runs each for
# FUZZ_CHECK_SECONDS.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 5
FUZZ_JOBS    ?= 1
FUZZ_TARGETS ?=
FUZZ_DIR     := $(B)/work/fuzz
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(PLUGIN_PURE) $(PLUGIN_HDRS) | $(STAMP)/deps-test
	@mkdir -p $(@D)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-D_GNU_SOURCE -Iplugin $< $(PLUGIN_PURE) -o $@

# Dropbear's own harnesses (its fuzz/ directory) built from the patched
# tree, the plugin linked in as in the static binary (-A bearpass,FILE
# comes from DROPBEAR_FUZZ_PLUGIN, patch 0021), so that the patches are
# fuzzed too.  glue.c is built with FUZZ_SKIP_WRAP: its files are real
# files, not the fuzzer's fake descriptors.  No alignment check here:
# libtomcrypt's LTC_FAST loads words from unaligned buffers on purpose
# (fine on the CPUs it enables that for); the plugin's own targets keep it.
DBFUZZ_DIR     := $(B)/work/dbfuzz
DBFUZZ_TARGETS ?= fuzzer-preauth fuzzer-preauth_nomaths fuzzer-pubkey fuzzer-verify
DBFUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=alignment \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
DBFUZZ_BINS    := $(addprefix $(FUZZ_DIR)/,$(DBFUZZ_TARGETS))
DBFUZZ_PLUGIN_OBJS := $(patsubst plugin/%.c,$(DBFUZZ_DIR)/plugin/%.o,$(PLUGIN_SRCS))

.SECONDARY: $(DBFUZZ_DIR)/default_options_guard.h $(DBFUZZ_DIR)/localoptions.h
$(DBFUZZ_DIR)/config.status: $(STAMP)/patched $(SODIUM_FUZZ_LIB) | $(STAMP)/deps-build $(STAMP)/deps-test
	$(call configure_dropbear,$(DBFUZZ_DIR),CC=$(FUZZ_CC) CXX=$(FUZZ_CC)++ \
		CPPFLAGS="-DBEARPASS_STATIC -I$(abspath $(SODIUM_FUZZ_INC))" CFLAGS="$(DBFUZZ_CFLAGS)" \
		LDFLAGS="$(DBFUZZ_CFLAGS)" LIBS="$(abspath $(SODIUM_FUZZ_LIB))",--enable-fuzz --disable-harden)

$(DBFUZZ_DIR)/plugin/%.o: plugin/%.c $(PLUGIN_HDRS) $(DBFUZZ_DIR)/default_options_guard.h $(STAMP)/patched
	@mkdir -p $(@D)
	$(FUZZ_CC) $(DBFUZZ_CFLAGS) -DBEARPASS_STATIC -DFUZZ_SKIP_WRAP $(PLUGIN_WARN) \
		$(call dropbear_includes,$(DBFUZZ_DIR)) -I$(SODIUM_FUZZ_INC) -c $< -o $@

$(DBFUZZ_DIR)/libbearpass.a: $(DBFUZZ_PLUGIN_OBJS)
	rm -f $@ && ar rcs $@ $^

$(DBFUZZ_DIR)/.built: $(DBFUZZ_DIR)/libbearpass.a $(DBFUZZ_DIR)/localoptions.h FORCE
	@if [ -f $@ ] && [ $(DBFUZZ_DIR)/libbearpass.a -nt $@ ]; then rm -f $(addprefix $(DBFUZZ_DIR)/,$(DBFUZZ_TARGETS)); fi
	@# FUZZ_TARGETS is also a variable of Dropbear's Makefile: a value given
	@# on our command line (make fuzz FUZZ_TARGETS=...) must not reach it
	$(MAKE) -s -C $(DBFUZZ_DIR) -j$(JOBS) FUZZ_TARGETS="$(DBFUZZ_TARGETS)" \
		FUZZLIB="-fsanitize=fuzzer $(abspath $(DBFUZZ_DIR)/libbearpass.a $(SODIUM_FUZZ_LIB))" $(DBFUZZ_TARGETS)
	@touch $@

$(DBFUZZ_BINS): $(FUZZ_DIR)/%: $(DBFUZZ_DIR)/.built
	@mkdir -p $(@D)
	cp $(DBFUZZ_DIR)/$* $@

fuzz-build: $(FUZZ_BINS) $(DBFUZZ_BINS) $(FIXTURES)/.stamp

fuzz: fuzz-build
	B=$(B) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_TARGETS="$(FUZZ_TARGETS)" bash tests/fuzz/run.sh

check: all $(B)/out/asan/dropbear $(B)/out/asan/bearpass.so $(STOCK_DIR)/dropbear unit fuzz-build $(STAMP)/deps-test
	B=$(B) FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS) bash tests/run.sh

# --- demo ----------------------------------------------------------------

run: all $(STAMP)/deps-test
	B=$(B) bash build/demo.sh

# --- release and measurements ------------------------------------------

package: all
	B=$(B) bash packaging/package.sh

# stock Dropbear from the same tarball, no patches, static musl: the
# baseline make bench compares against besides OpenSSH's sshd
$(STAMP)/stock-src: $(TARBALL)
	@mkdir -p $(@D)
	rm -rf $(STOCK_SRC) && mkdir -p $(STOCK_SRC)
	tar -xjf $(TARBALL) -C $(STOCK_SRC) --strip-components=1
	@touch $@

$(STOCK_DIR)/dropbear: $(STAMP)/stock-src build/stock-localoptions.h | $(STAMP)/deps-build
	rm -rf $(STOCK_DIR) && mkdir -p $(STOCK_DIR)
	cd $(STOCK_DIR) && CC=$(MUSL_CC) CFLAGS=-Os $(abspath $(STOCK_SRC))/configure $(filter-out --enable-plugin,$(CONFIGURE_FLAGS)) \
		--enable-static > configure.log 2>&1 || { tail -n 20 configure.log; exit 1; }
	cp build/stock-localoptions.h $(STOCK_DIR)/localoptions.h
	$(MAKE) -s -C $(STOCK_DIR) -j$(JOBS) PROGRAMS=dropbear PLUGIN_LIBS= dropbear
	strip $@

bench: all $(STOCK_DIR)/dropbear $(STAMP)/deps-test
	B=$(B) bash bench/run.sh

clean:
	rm -rf $(B)/work $(B)/out $(B)/demo $(STAMP)/patched $(SRCDIR) $(STAMP)/sodium-src $(SODIUM_SRC)

# also forgets the downloaded tarball
distclean:
	rm -rf $(B)/src $(B)/work $(B)/out $(B)/demo $(STAMP)

FORCE:
