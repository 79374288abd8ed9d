#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz.sh [SECONDS] — `make fuzz`: a bounded AFL++ campaign on each parser
# pagoda reads from outside (tests/fuzz/fuzz_*.c): the trace parser with the
# golden model running what parses, the DRAM .ini loader, the DRAMsim3
# request-trace reader, the valgrind lackey importer. SECONDS per harness
# (default 180). The C parts are built with afl-cc (AFL++ from Debian) into
# build/fuzz; the seed corpus is the repository's own inputs (sim/,
# tests/traces/). A crash or hang found is copied to tests/fuzz/findings/
# HARNESS/ to be fixed and kept: make test runs every finding (and the
# seeds) through the harnesses under ASan and UBSan (scripts/sanitize.sh).
set -uo pipefail
secs=${1:-180}
command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz missing (make setup installs afl++)"; exit 1; }
out=build/fuzz
mkdir -p "$out"
# ASan and UBSan in the instrumented build too: a bad read is a crash.
export AFL_USE_ASAN=1 AFL_USE_UBSAN=1
if ! make -s BUILD="$out" CC=afl-cc CFLAGS="-O1 -g" "$out/libpagoda_tb.a" "$out/libpagoda_model.a" \
    >"$out/build.log" 2>&1; then
  tail -20 "$out/build.log"; echo "fuzz: the instrumented build failed"; exit 1
fi
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_QUIET=1
export AFL_NO_AFFINITY=1

# harness : its seeds
harnesses=(
  "fuzz_trace:sim/traces/*.trace sim/dma/*.trace tests/traces/fail/*.trace tests/traces/bad/*.trace"
  "fuzz_ini:sim/dram/*.ini"
  "fuzz_dram_trace:sim/dram/*.trace"
  "fuzz_lackey:tests/traces/lackey/*.log"
)
total_crash=0
for h in "${harnesses[@]}"; do
  name=${h%%:*}
  seeds=${h#*:}
  bin=$out/$name
  afl-cc -O1 -g -std=c11 -D_POSIX_C_SOURCE=200809L -Isw/model -Isw/os -Itb \
    -o "$bin" "tests/fuzz/$name.c" "$out/libpagoda_tb.a" "$out/libpagoda_model.a" 2>>"$out/build.log" ||
    { echo "fuzz: $name does not build"; exit 1; }
  in=$out/$name-seeds
  rm -rf "$in" "$out/$name-out"
  mkdir -p "$in"
  for s in $seeds; do
    # AFL++ wants small seeds: the first 4 KiB of each
    head -c 4096 "$s" >"$in/$(basename "$s")"
  done
  for f in tests/fuzz/findings/"$name"/*; do [ -f "$f" ] && cp "$f" "$in/"; done
  timeout $((secs + 60)) afl-fuzz -V "$secs" -t 2000 -m none -i "$in" -o "$out/$name-out" -- "$bin" @@ \
    >"$out/$name.log" 2>&1
  st=$out/$name-out/default/fuzzer_stats
  execs=$(awk -F: '/^execs_done/ {gsub(/ /, "", $2); print $2}' "$st" 2>/dev/null)
  paths=$(awk -F: '/^corpus_count/ {gsub(/ /, "", $2); print $2}' "$st" 2>/dev/null)
  crashes=$(find "$out/$name-out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "$out/$name-out/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
  echo "fuzz: $name: ${execs:-0} executions in ${secs} s, corpus ${paths:-0}, crashes $crashes, hangs $hangs"
  if [ $((crashes + hangs)) -gt 0 ]; then
    mkdir -p "tests/fuzz/findings/$name"
    for f in "$out/$name-out/default/crashes"/id:* "$out/$name-out/default/hangs"/id:*; do
      [ -f "$f" ] && cp "$f" "tests/fuzz/findings/$name/$(basename "$f" | tr ':,' '__' | cut -c1-40)"
    done
    total_crash=$((total_crash + crashes + hangs))
  fi
done
if [ $total_crash -gt 0 ]; then
  echo "fuzz: $total_crash findings copied to tests/fuzz/findings/ (fix them; make test replays them)"
  exit 1
fi
echo "fuzz: no crash and no hang"
