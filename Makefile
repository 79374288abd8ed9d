# SPDX-License-Identifier: MIT
# pagoda — the two front doors are `make run` and `make test`.
#
# C parts (golden model, kernel library, testbench) are built with gcc into
# static libraries; Verilator links them into its model of the RTL.

BUILD   ?= build
ifeq ($(origin CC),default)
CC := gcc
endif
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CPPFLAGS += -Isw/model -Isw/os -Itb
SETUP   := scripts/setup.sh

MODEL_SRC := $(wildcard sw/model/*.c)
OS_SRC    := $(wildcard sw/os/*.c)
TB_SRC    := tb/pg_trace.c tb/pg_runner.c tb/pg_lockstep.c tb/pg_random.c tb/pg_bench.c \
             tb/pg_dram_cfg.c tb/pg_dram_dev.c tb/pg_dram_run.c tb/pg_dram_trace.c tb/pg_iotest.c tb/pg_iotraffic.c tb/pg_random_io.c \
             tb/pg_scn.c tb/pg_scn_cpu.c tb/pg_scn_keys.c tb/pg_scn_io.c tb/pg_scn_dram.c tb/pg_import.c tb/pg_report.c
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
# The package first, then every module, in the order of rtl/pagoda.f.
RTL_F     := rtl/pagoda.f
RTL_SRC   := $(shell sed -n 's|^\(rtl/[^ ]*\.sv\)$$|\1|p' $(RTL_F))
RTL_INC   := rtl/pg_assert.svh

MODEL_OBJ := $(MODEL_SRC:%.c=$(BUILD)/obj/%.o)
OS_OBJ    := $(OS_SRC:%.c=$(BUILD)/obj/%.o)
TB_OBJ    := $(TB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

LIB_MODEL := $(BUILD)/libpagoda_model.a
LIB_TB    := $(BUILD)/libpagoda_tb.a
PAGODA    := $(BUILD)/pagoda

.PHONY: all run test unit traces traces-gen lint synth regress bench waves coverage pictures programs fusesoc fuzz formal profile clean setup check-tools
.DEFAULT_GOAL := all

all: $(PAGODA) $(UNIT_BIN) $(BUILD)/bench_golden $(BUILD)/gen_traces $(BUILD)/plot_data

# ---- setup --------------------------------------------------------------
# `make run` and `make test` install whatever is missing first; the script
# is quick when nothing is.
setup:
	@bash $(SETUP)

check-tools:
	@bash $(SETUP) --quiet

# ---- C build ------------------------------------------------------------
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB_MODEL): $(MODEL_OBJ) $(OS_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIB_TB): $(TB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The one program: the C objects, the shim and the Verilated models, linked
# by Verilator's own make (the C parts were built by gcc above). The MMU is
# the --exe model; every other top (the DRAM controller alone) is Verilated
# into its own archive first and linked in (its names carry its prefix).
# The controller alone takes 7-bit request ids: `pagoda dram` keeps up to
# 128 requests in flight.
#
# The flags were chosen by measurement (pagoda random --seed 1 --ops 8000 on
# the whole system, best of five, user time): g++ -O2 1.39 s, -O3 1.66 s (more
# code, no faster), -O2 -march=native 1.48 s; without --trace-fst 1.40 s (a
# waveform-capable model costs nothing while no waveform is written, so there
# is one build, and --wave works on it); --threads 2 2.06 s wall (the model is
# too small to split, and regressions run two seeds at once instead).
# --x-assign/--x-initial unique stay: with --seed every register starts
# random, so a missing reset shows.
VL_EXTRA ?=    # more Verilator flags, e.g. --prof-cfuncs (scripts/profile.sh)
VL_CFLAGS ?= -O2  # the C++ compiler's flags for the Verilated models
VL_LDFLAGS ?=  # e.g. --coverage, when the C objects were built with it
VL_TRACE ?= --trace-fst  # empty: a model without waveforms (--wave then writes none, and says so)
VL_COMMON := -O3 --assert -Wall --x-assign unique --x-initial unique $(VL_TRACE) -Irtl $(VL_EXTRA)
# Non-default sizes (scripts/variants.sh): MMU_G for pg_mmu and pg_system
# alike (-GItlbEntries=16 ...; the golden model takes the sizes the build
# reports), SYS_G for pg_system alone (-GDramQDepth=32).
MMU_G ?=
SYS_G ?=
VERILATOR_FLAGS := --cc --exe --build -j 2 $(VL_COMMON) $(MMU_G) --top-module pg_mmu \
  -CFLAGS "$(VL_CFLAGS) -I$(CURDIR)/tb -I$(CURDIR)/$(BUILD)/vdram -I$(CURDIR)/$(BUILD)/vsys" -Mdir $(BUILD)/vobj
VDRAM := $(BUILD)/vdram/Vpg_dram_ctrl__ALL.a
VSYS  := $(BUILD)/vsys/Vpg_system__ALL.a

$(VSYS): $(RTL_SRC) $(RTL_INC) rtl/lint.vlt
	@mkdir -p $(BUILD)/vsys
	verilator --cc --build -j 2 $(VL_COMMON) $(MMU_G) $(SYS_G) --top-module pg_system -CFLAGS "$(VL_CFLAGS)" \
	  -Mdir $(BUILD)/vsys rtl/lint.vlt $(RTL_SRC) \
	  > $(BUILD)/vsys/build.log 2>&1 || { tail -30 $(BUILD)/vsys/build.log; exit 1; }

$(VDRAM): $(RTL_SRC) $(RTL_INC) rtl/lint.vlt
	@mkdir -p $(BUILD)/vdram
	verilator --cc --build -j 2 $(VL_COMMON) --top-module pg_dram_ctrl -CFLAGS "$(VL_CFLAGS)" \
	  -GIdW=7 -Mdir $(BUILD)/vdram rtl/lint.vlt rtl/pagoda_pkg.sv rtl/pg_dram_ctrl.sv \
	  > $(BUILD)/vdram/build.log 2>&1 || { tail -30 $(BUILD)/vdram/build.log; exit 1; }

$(PAGODA): $(BUILD)/obj/tb/pagoda_main.o $(LIB_TB) $(LIB_MODEL) $(RTL_SRC) $(RTL_INC) rtl/lint.vlt tb/pg_vshim.cpp tb/pg_vshim.h $(VDRAM) $(VSYS)
	@mkdir -p $(BUILD)/vobj
	@rm -f $(BUILD)/vobj/pagoda_vl  # its make does not track the C libraries
	verilator $(VERILATOR_FLAGS) rtl/lint.vlt $(RTL_SRC) $(CURDIR)/tb/pg_vshim.cpp \
	  $(CURDIR)/$(BUILD)/obj/tb/pagoda_main.o $(CURDIR)/$(LIB_TB) $(CURDIR)/$(LIB_MODEL) \
	  $(CURDIR)/$(VDRAM) $(CURDIR)/$(VSYS) $(if $(VL_LDFLAGS),-LDFLAGS "$(VL_LDFLAGS)") -o pagoda_vl > $(BUILD)/vobj/build.log 2>&1 || { tail -30 $(BUILD)/vobj/build.log; exit 1; }
	cp $(BUILD)/vobj/pagoda_vl $@.tmp && mv -f $@.tmp $@

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB_TB) $(LIB_MODEL)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_TB) $(LIB_MODEL) -lcmocka

$(BUILD)/bench_golden: scripts/bench_golden.c $(LIB_MODEL)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $^

# The data behind the README's pictures (make pictures).
$(BUILD)/plot_data: scripts/plot_data.c $(LIB_TB) $(LIB_MODEL)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $^

$(BUILD)/gen_traces: scripts/gen_traces.c $(LIB_MODEL)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $^

# Regenerates the example traces of sim/traces/ (they are committed).
traces-gen: $(BUILD)/gen_traces
	$(BUILD)/gen_traces sim/traces

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/obj/*/*/*.d)

# ---- front doors --------------------------------------------------------
run: check-tools $(PAGODA)
	@bash scripts/demo.sh $(PAGODA)

test: check-tools all
	@bash scripts/run_tests.sh $(BUILD)

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do $$t || exit 1; done

traces: $(PAGODA)
	@bash scripts/run_traces.sh $(PAGODA)

# ---- targets that grow with the RTL ---------------------------------------

# Parameters are real: each of these non-default builds (MODULE:-GP=V,...)
# lints clean too: TLB sizes, L2 sets and ways, walk caches, the DRAM
# queue, DMA slots, CAM and PLRU sizes.
LINT_MATRIX := \
  pg_mmu:-GItlbEntries=64,-GDtlbEntries=16 \
  pg_mmu:-GItlbEntries=8,-GDtlbEntries=64,-GL2Sets=64,-GL2Ways=8 \
  pg_mmu:-GL2Sets=256,-GL2Ways=2,-GPwcPdeEntries=16,-GPwcPml4eEntries=2 \
  pg_system:-GItlbEntries=16,-GDtlbEntries=64,-GL2Sets=64,-GL2Ways=8,-GDramQDepth=32 \
  pg_system:-GDramQDepth=16 \
  pg_dram_ctrl:-GQDepth=16 \
  pg_dram_ctrl:-GQDepth=4,-GNumBanks=4,-GTimerW=5,-GStampW=6 \
  pg_dma:-GSlots=8 pg_dma:-GSlots=32 \
  pg_l2_tlb:-GNumSets=512,-GNumWays=2 \
  pg_cam:-GNumEntries=128 \
  pg_plru:-GNumWays=16 pg_plru:-GNumWays=2,-GNumSets=64 \
  pg_iommu:-GIotlbEntries=64,-GDtcEntries=16 pg_iommu:-GIotlbEntries=4,-GDtcEntries=2 \
  pg_first_set:-GN=3 pg_first_set:-GN=12 pg_fifo:-GW=1,-GDepth=2

lint: check-tools
	@for f in $(filter-out rtl/pagoda_pkg.sv,$(RTL_SRC)); do \
	  m=$$(basename $$f .sv); \
	  verilator --lint-only -Wall -Irtl rtl/lint.vlt $(RTL_SRC) --top-module $$m || exit 1; \
	done
	@echo "lint: verilator -Wall clean for every module in rtl/"
	@mkdir -p $(BUILD)
	@grep -v 'UNUSEDPARAM.*pagoda_pkg' rtl/lint.vlt > $(BUILD)/lint_system.vlt
	@verilator --lint-only -Wall -Irtl $(BUILD)/lint_system.vlt $(RTL_SRC) --top-module pg_system || \
	  { echo "lint: a constant of pagoda_pkg is used nowhere in pg_system"; exit 1; }
	@echo "lint: pg_system uses every constant of pagoda_pkg (no UNUSEDPARAM waiver)"
	@for g in $(LINT_MATRIX); do \
	  m=$${g%%:*}; p=$$(echo $${g#*:} | tr , ' '); \
	  verilator --lint-only -Wall -Irtl rtl/lint.vlt $(RTL_SRC) --top-module $$m $$p || \
	    { echo "lint: $$m $$p is not clean"; exit 1; }; \
	  echo "lint: $$m $$p clean"; \
	done
	@bash scripts/loops.sh $(RTL_SRC)

synth: check-tools
	@bash scripts/synth.sh $(RTL_SRC)

# Every assertion of the blocks with a formal wrapper (formal/fv_*.sv) proved
# by Yosys: bounded from reset, then k-induction; seeded bugs must fail.
formal: check-tools
	@python3 scripts/formal.py

# A bounded AFL++ campaign on every parser (FUZZ_SECONDS each).
FUZZ_SECONDS ?= 180
fuzz: check-tools
	@bash scripts/fuzz.sh $(FUZZ_SECONDS)

# A page walk and its neighbours, and the DRAM controller at work, as
# waveforms with ready views.
waves: check-tools $(PAGODA)
	@mkdir -p $(BUILD)/waves
	@$(PAGODA) run sim/traces/basics.trace --wave $(BUILD)/waves/mmu.fst | grep -E '^(PASS|FAIL|waves)'
	@$(PAGODA) dram sim/dram/mixed.trace --wave $(BUILD)/waves/dram.fst | grep -E '^(PASS|FAIL|waves)'
	@$(PAGODA) run sim/dma/dma.trace --wave $(BUILD)/waves/iommu.fst | grep -E '^(PASS|FAIL|waves)'

# The pictures are remade into build/ last: the screenshot and plots still work.
# SHARD=I/N runs this machine's share of the RTL mutants and random seeds
# (N machines run one regression between them); then
# `bash scripts/regress_merge.sh build/regress` over every shard's
# build/regress/shard-*.txt adds them up and writes one JUnit report.
SHARD ?= 1/1
regress: check-tools all
	@bash scripts/run_tests.sh $(BUILD)
	@bash scripts/mutation.sh
	@bash scripts/rtl_mutation.sh --shard $(SHARD)
	@bash scripts/variants.sh --shard $(SHARD)
	@bash scripts/regress.sh $(PAGODA) --shard $(SHARD)
	@bash scripts/pictures.sh $(PAGODA) $(BUILD)/plot_data $(BUILD)/pictures/check

bench: check-tools $(BUILD)/bench_golden $(PAGODA)
	@$(PAGODA) bench
	@$(BUILD)/bench_golden

# Regenerates docs/pictures/ (a GTKWave screenshot of a page walk taken under
# Xvfb, gnuplot PNGs of TLB misses and DRAM utilization); they are committed.
pictures: check-tools $(PAGODA) $(BUILD)/plot_data
	@bash scripts/pictures.sh $(PAGODA) $(BUILD)/plot_data

# Real programs (sw/programs/) traced under valgrind lackey, imported with
# 4 KiB and 2 MiB pages and run on the whole system in lockstep; the table
# in build/programs/summary.txt, the picture in docs/pictures/programs.png.
programs: check-tools $(PAGODA)
	@bash scripts/programs.sh $(PAGODA)

# pagoda.core checked with FuseSoC (from PyPI, in build/fusesoc-venv): its
# lint target, its sim target built, its synth target set up.
fusesoc: check-tools
	@bash scripts/fusesoc.sh

coverage: check-tools
	@bash scripts/coverage.sh

# Where the Verilated models spend a cycle, per RTL module and source line.
profile: check-tools
	@bash scripts/profile.sh

clean:
	rm -rf $(BUILD)
