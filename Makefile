# forkscope - see README.md.  Plain make; pkg-config finds the libraries.
#   make            build build/forkscope and build/demos/*
#   make run        install what is missing, build, open forkscope's menu
#   make test       the whole test suite; ends with "N passed, N failed"
#   make SAN=1 test the same, built with ASan and UBSan into build-san/
#   make bench      what forkscope costs (CPU a reading against htop, memory, short-lived
#                   processes caught) and how a tick's channel work grows (reports, never fails on time)
#   make fuzz       the recording reader under libFuzzer (clang), FUZZ_RUNS=1000000 inputs
#   make pot        po/forkscope.pot extracted again from the sources (xgettext)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DEMODIR   ?= $(PREFIX)/libexec/forkscope
LOCALEDIR ?= $(PREFIX)/share/locale
CC        ?= cc
CFLAGS    ?= -O2 -g
# make run opens the menu; make run ARGS='--tempo 0.5 zombie' goes straight in
ARGS      ?=

ifeq ($(SAN),1)
BUILD     ?= build-san
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Demos get UBSan only: LeakSanitizer clones a tracer process at every exit,
# which would show up in the very process trees the tests count.
DEMO_SANFLAGS := -fsanitize=undefined -fno-sanitize-recover=undefined
# One case at a time: ASan's allocator (GCC 12's) is not fork-safe, and
# Criterion forks each case from a runner whose threads allocate while other
# cases report; two at a time once left a case's process hung in malloc().
SUITE_JOBS := 1
else
BUILD     ?= build
SANFLAGS  :=
DEMO_SANFLAGS :=
SUITE_JOBS := 2
endif

WARN := -Wall -Wextra -Wcast-align -Wcast-qual -Wformat=2 -Wmissing-prototypes \
        -Wshadow -Wstrict-prototypes -Wundef -Wwrite-strings
ifneq ($(CI),)
WARN += -Werror
endif

PKGS      := libproc2 json-c ncursesw libseccomp
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CRIT_LIBS  = $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP
ENGINE_CFLAGS = $(BASE_CFLAGS) $(SANFLAGS) $(CFLAGS) $(PKG_CFLAGS) -DFORKSCOPE_DEMODIR='"$(DEMODIR)"' \
        -DFORKSCOPE_LOCALEDIR='"$(LOCALEDIR)"' -DFORKSCOPE_LINGUAS='"$(LINGUAS)"'
DEMO_CFLAGS = $(BASE_CFLAGS) $(DEMO_SANFLAGS) $(CFLAGS) -DFORKSCOPE_LOCALEDIR='"$(LOCALEDIR)"'
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

ENGINE_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
ENGINE_OBJ := $(ENGINE_SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/player_assets.o
# the exported page's player: sources of their own, embedded at build time
PLAYER     := player/page.html player/player.css player/player.js
DEMO_LIB_SRC := $(wildcard demos/lib/*.c)
DEMO_LIB_OBJ := $(DEMO_LIB_SRC:demos/lib/%.c=$(BUILD)/obj/demos/lib/%.o)
DEMO_SRC   := $(wildcard demos/*.c)
DEMOS      := $(DEMO_SRC:demos/%.c=$(BUILD)/demos/%)
# the Python twins of the multiprocessing demos, and the hook Python
# programs forkscope starts load (copied beside the program)
PY_DEMO_SRC := $(wildcard demos/python/*.py)
PY_DEMOS   := $(PY_DEMO_SRC:demos/python/%=$(BUILD)/demos/python/%)
HOOK       := $(BUILD)/hook/sitecustomize.py
TEST_SRC   := $(wildcard tests/test_*.c)
TESTS      := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_HELPER_OBJ := $(BUILD)/obj/tests/helpers.o $(BUILD)/obj/tests/tmux.o
# small programs the tests run under forkscope (a wide tree, PID reuse...)
TEST_PROG_SRC := $(wildcard tests/progs/*.c)
TEST_PROGS := $(TEST_PROG_SRC:tests/progs/%.c=$(BUILD)/tests/progs/%)
# the catalogues (po/LANG.po), built beside the program: build/locale
LINGUAS    := $(patsubst po/%.po,%,$(wildcard po/*.po))
MO         := $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/forkscope.mo)
XGETTEXT_FLAGS := --from-code=UTF-8 --language=C -k_ -kN_ -kP_:1,2 \
        --add-comments=TRANSLATORS: --package-name=forkscope --no-location --sort-output
BENCH_SRC  := $(wildcard bench/*.c)
BENCHES    := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
# libFuzzer needs clang; the target links only what the reader needs
FUZZ_RUNS  ?= 1000000
FUZZER     := build-fuzz/fuzz_recording
FUZZ_SRC   := fuzz/fuzz_recording.c src/recording.c src/outfile.c src/obs.c src/frame.c src/util.c
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -g -O1 -fno-omit-frame-pointer \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

.PHONY: all run test bench fuzz deps install uninstall clean screenshots pot
# the demos' shared objects are kept, so a second make builds nothing
.SECONDARY: $(DEMO_LIB_OBJ)
all: $(BUILD)/forkscope $(DEMOS) $(PY_DEMOS) $(HOOK) $(MO)

$(BUILD)/locale/%/LC_MESSAGES/forkscope.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt -c -o $@ $<

# POT=FILE writes it elsewhere (tests/test_i18n.c compares the sources'
# strings with the catalogue so)
POT ?= po/forkscope.pot
pot:
	xgettext $(XGETTEXT_FLAGS) -o $(POT) src/*.c demos/*.c demos/lib/*.c
	@# the Python twins' own lines (demo.py's _ and ngettext, Python's defaults)
	xgettext $(subst --language=C,--language=Python,$(XGETTEXT_FLAGS)) -j -o $(POT) \
		demos/python/*.py

deps:
	@scripts/install-deps

run: deps
	@$(MAKE) --no-print-directory all
	@# Ctrl-C, q after a signal: an ending the user chose, not a build failure
	@$(BUILD)/forkscope $(ARGS) || { rc=$$?; [ $$rc -ge 129 ] && [ $$rc -le 143 ]; }

test: deps
	@$(MAKE) --no-print-directory all $(TESTS) $(TEST_PROGS) $(FUZZER) $(BUILD)/bench/bench_cost
	@SUITE_JOBS=$(SUITE_JOBS) tests/run-suites $(BUILD) $(FUZZER)

bench:
	@scripts/install-deps --bench
	@$(MAKE) --no-print-directory all $(BENCHES)
	@for b in $(BENCHES); do $$b || exit 1; done

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZER)
	fuzz/run $(FUZZER) $(FUZZ_RUNS)

screenshots: all
	@scripts/install-deps --screenshots
	scripts/screenshots $(BUILD)

$(BUILD)/gen/player_assets.c: $(PLAYER) scripts/embed
	@mkdir -p $(@D)
	scripts/embed $@ player_html player/page.html player_css player/player.css \
		player_js player/player.js

$(BUILD)/obj/player_assets.o: $(BUILD)/gen/player_assets.c src/player_assets.h
	@mkdir -p $(@D)
	$(CC) $(ENGINE_CFLAGS) -Isrc -c -o $@ $<

$(BUILD)/libforkscope.a: $(ENGINE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/forkscope: $(BUILD)/obj/main.o $(BUILD)/libforkscope.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ENGINE_CFLAGS) -c -o $@ $<

$(BUILD)/obj/demos/lib/%.o: demos/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(DEMO_CFLAGS) -c -o $@ $<

$(BUILD)/demos/%: demos/%.c $(DEMO_LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(DEMO_CFLAGS) $(DEMO_SANFLAGS) $(LDFLAGS) -o $@ $< $(DEMO_LIB_OBJ) -pthread -lrt

$(BUILD)/demos/python/%.py: demos/python/%.py
	@mkdir -p $(@D)
	cp $< $@

$(HOOK): hook/sitecustomize.py
	@mkdir -p $(@D)
	cp $< $@

$(BUILD)/tests/progs/%: tests/progs/%.c
	@mkdir -p $(@D)
	$(CC) $(DEMO_CFLAGS) $(LDFLAGS) -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(ENGINE_CFLAGS) -Isrc -DFORKSCOPE_BIN='"$(abspath $(BUILD))/forkscope"' -DTEST_PROGS='"$(abspath $(BUILD))/tests/progs"' -DBENCH_DIR='"$(abspath $(BUILD))/bench"' -DSOURCE_DIR='"$(abspath .)"' -c -o $@ $<

# the exported page's DOM and drawing are read with libxml2's parsers
XML_CFLAGS = $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
XML_LIBS   = $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
$(BUILD)/obj/tests/test_export.o: ENGINE_CFLAGS += $(XML_CFLAGS)
$(BUILD)/tests/test_export: PKG_LIBS += $(XML_LIBS)

$(BUILD)/tests/test_%: $(BUILD)/obj/tests/test_%.o $(TEST_HELPER_OBJ) $(BUILD)/libforkscope.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(CRIT_LIBS) -lm -pthread

.PRECIOUS: $(BUILD)/obj/bench/%.o
$(BUILD)/obj/bench/%.o: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(ENGINE_CFLAGS) -Isrc -c -o $@ $<

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(BUILD)/libforkscope.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) -lm

$(FUZZER): $(FUZZ_SRC) $(wildcard src/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) $(shell pkg-config --cflags json-c) -Isrc -o $@ $(FUZZ_SRC) \
	        $(shell pkg-config --libs json-c) -lm

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DEMODIR)
	install -m 755 $(BUILD)/forkscope $(DESTDIR)$(BINDIR)/forkscope
	install -m 755 $(DEMOS) $(DESTDIR)$(DEMODIR)/
	install -d $(DESTDIR)$(DEMODIR)/python $(DESTDIR)$(DEMODIR)/hook
	install -m 644 $(PY_DEMOS) $(DESTDIR)$(DEMODIR)/python/
	install -m 644 $(HOOK) $(DESTDIR)$(DEMODIR)/hook/
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/forkscope.mo \
			$(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/ || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/forkscope
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/forkscope.mo; done
	rm -rf $(DESTDIR)$(DEMODIR)

clean:
	rm -rf build build-san build-fuzz

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/*/*.d $(BUILD)/obj/*/*/*.d)
