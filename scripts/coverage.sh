#!/usr/bin/env bash
# coverage.sh — line and branch coverage of the C code (golden model, kernel
# library, trace parser and runner) under `make test`, as an lcov HTML report
# in build/coverage/html.
set -euo pipefail
out=build/coverage
rm -rf "$out"
make --no-print-directory BUILD="$out" CFLAGS="-O0 -g --coverage" VL_LDFLAGS=--coverage all >/dev/null
bash scripts/run_tests.sh "$out" >/dev/null
lcov --quiet --capture --directory "$out/obj" --rc lcov_branch_coverage=1 \
  --output-file "$out/lcov.info" 2>/dev/null
lcov --quiet --extract "$out/lcov.info" '*/sw/*' '*/tb/*' --rc lcov_branch_coverage=1 \
  --output-file "$out/lcov.info" 2>/dev/null
genhtml --quiet --branch-coverage "$out/lcov.info" --output-directory "$out/html"
lcov --summary "$out/lcov.info" --rc lcov_branch_coverage=1 2>&1 | grep -E 'lines|functions|branches'
echo "coverage: open $out/html/index.html"
