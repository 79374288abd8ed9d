#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sanitize.sh — the C parts built with AddressSanitizer and
# UndefinedBehaviorSanitizer (build/san), then every unit test and every
# trace run on that build: the golden model alone on each trace, the RTL in
# lockstep on a few, the DRAM controller on its traces, the importer on the
# lackey log. A trace may pass or fail as it is meant to (the bad and
# failing traces end 2 and 1); what must not happen is a sanitizer report.
# Part of `make test`.
set -uo pipefail
build=build/san
mkdir -p build
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
if ! make -s BUILD="$build" CFLAGS="-O1 -g $san" VL_LDFLAGS="$san" all >"$build.log" 2>&1; then
  tail -20 "$build.log"
  echo "sanitize: the sanitizer build failed (see $build.log)"
  exit 1
fi
# A sanitizer report ends the process with its own code, told apart from
# pagoda's 0, 1 and 2.
export ASAN_OPTIONS=exitcode=86:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=exitcode=87:print_stacktrace=1
pass=0
fail=0
log=$build/sanitize.log
: >"$log"
run() {  # run NAME EXPECTED_CODES COMMAND...
  local name=$1 want=$2 rc
  shift 2
  "$@" >>"$log" 2>&1
  rc=$?
  if [ $rc -eq 86 ] || [ $rc -eq 87 ] || [[ ",$want," != *",$rc,"* ]]; then
    echo "  FAIL  $name (exit $rc; see $log)"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}
for t in "$build"/tests/test_*; do
  run "$(basename "$t")" 0 "$t"
done
for t in sim/traces/*.trace sim/dma/*.trace tests/traces/repro/*.trace tests/traces/hostile/*.trace; do
  run "golden $t" 0 "$build/pagoda" golden "$t" --report "$build/report.json"
done
for t in tests/traces/fail/*.trace; do
  run "golden $t" 1 "$build/pagoda" golden "$t"
done
for t in tests/traces/bad/*.trace; do
  run "golden $t" 2 "$build/pagoda" golden "$t"
done
for t in sim/traces/basics.trace sim/dma/dma.trace tests/traces/repro/byte_stride_stores.trace; do
  run "run $t" 0 "$build/pagoda" run "$t"
done
for t in sim/dram/*.trace; do
  run "dram $t" 0 "$build/pagoda" dram "$t"
done
run "random" 0 "$build/pagoda" random --seed 1 --ops 1500
run "random iommu" 0 "$build/pagoda" random --mix iommu --seed 1 --ops 400
run "import lackey" 0 "$build/pagoda" import lackey tests/traces/lackey/tiny.log -o "$build/tiny.trace"
# The fuzzing harnesses (tests/fuzz/) on their seeds and on every finding
# make fuzz ever kept.
for h in tests/fuzz/fuzz_*.c; do
  name=$(basename "$h" .c)
  if ! gcc -O1 -g $san -std=c11 -D_POSIX_C_SOURCE=200809L -Isw/model -Isw/os -Itb \
      -o "$build/$name" "$h" "$build/libpagoda_tb.a" "$build/libpagoda_model.a" >>"$log" 2>&1; then
    echo "  FAIL  $name does not build"
    fail=$((fail + 1))
    continue
  fi
  case $name in
    fuzz_trace) inputs=(sim/traces/*.trace sim/dma/*.trace tests/traces/*/*.trace) ;;
    fuzz_ini) inputs=(sim/dram/*.ini) ;;
    fuzz_dram_trace) inputs=(sim/dram/*.trace) ;;
    fuzz_lackey) inputs=(tests/traces/lackey/*.log) ;;
    *) inputs=() ;;
  esac
  for f in "${inputs[@]}" tests/fuzz/findings/"$name"/*; do
    [ -f "$f" ] && run "$name $f" 0 "$build/$name" "$f"
  done
done
if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log"; then
  grep -m5 -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log"
  fail=$((fail + 1))
fi
echo "sanitize: $pass runs clean under ASan and UBSan, $fail failed"
[ $fail -eq 0 ]
