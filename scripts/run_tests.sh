#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run_tests.sh BUILD — every test `make test` runs: the cmocka unit tests,
# then the end-to-end trace tests, then both again on a build under ASan and
# UBSan (scripts/sanitize.sh, counted as one). Ends with one "N passed, M failed" line.
set -uo pipefail
build=${1:-build}
units=0
unit_fail=0
for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  units=$((units + 1))
  if ! "$t"; then
    unit_fail=$((unit_fail + 1))
    echo "FAILED: $t"
  fi
done
bash scripts/run_traces.sh "$build/pagoda" | tee "$build/traces.log"
trace_rc=${PIPESTATUS[0]}
# The C parts again under AddressSanitizer and UndefinedBehaviorSanitizer.
units=$((units + 1))
if ! bash scripts/sanitize.sh; then
  unit_fail=$((unit_fail + 1))
  echo "FAILED: scripts/sanitize.sh"
fi
tp=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$build/traces.log" | tail -1)
tf=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$build/traces.log" | tail -1)
echo
echo "summary: $units unit-test programs ($unit_fail failed), trace tests $tp passed / $tf failed"
echo "$((units - unit_fail + ${tp:-0})) passed, $((unit_fail + ${tf:-1})) failed"
[ "$unit_fail" -eq 0 ] && [ "$trace_rc" -eq 0 ]
