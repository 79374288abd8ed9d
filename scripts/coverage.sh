#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# coverage.sh — coverage of the C code and of the RTL under `make test`,
# merged with the RTL coverage `make regress` collected (if it ran).
#
# One build in build/coverage: the C parts with gcc --coverage, the
# Verilated models with line, toggle (signals up to 32 bits wide: wider ones
# are data, and toggling them costs ten times the simulation) and user
# coverage (the `COVER points of rtl/pg_assert.svh). Every model writes what
# it covered when it closes (PAGODA_COVERAGE_DIR); verilator_coverage merges
# the files.
#
# Reports: the C code's lines, functions and branches (lcov; HTML in
# build/coverage/html); the RTL per module, line and toggle, and every cover
# point with its count (build/coverage/rtl/summary.txt and cover_points.txt;
# HTML in build/coverage/rtl/html).
#
# coverage.sh --build only builds that instrumented pagoda (make regress runs
# its coverage seeds on it).
set -euo pipefail
out=build/coverage
rtl=$out/rtl
build() {
  make --no-print-directory BUILD="$out" CFLAGS="-O0 -g --coverage" VL_LDFLAGS=--coverage \
    VL_EXTRA="--coverage --coverage-max-width 32" all >/dev/null
}
if [ "${1:-}" = "--build" ]; then
  build
  exit 0
fi
rm -rf "$rtl"
build
mkdir -p "$rtl/test"
find "$out/obj" -name '*.gcda' -delete
PAGODA_COVERAGE_DIR=$PWD/$rtl/test bash scripts/run_tests.sh "$out" >/dev/null

echo "C code (golden model, kernel library, testbench) under make test:"
lcov --quiet --capture --directory "$out/obj" --rc lcov_branch_coverage=1 \
  --output-file "$out/lcov.info" 2>/dev/null
lcov --quiet --extract "$out/lcov.info" '*/sw/*' '*/tb/*' --rc lcov_branch_coverage=1 \
  --output-file "$out/lcov.info" 2>/dev/null
genhtml --quiet --branch-coverage "$out/lcov.info" --output-directory "$out/html"
lcov --summary "$out/lcov.info" --rc lcov_branch_coverage=1 2>&1 | grep -E 'lines|functions|branches'

# The RTL: make test's runs, and make regress's if it collected any.
dats=("$rtl"/test/*.dat)
from="make test"
if compgen -G "build/regress/coverage/*.dat" >/dev/null; then
  dats+=(build/regress/coverage/*.dat)
  from="make test and make regress"
fi
verilator_coverage --write "$rtl/merged.dat" "${dats[@]}"
verilator_coverage --write-info "$rtl/merged.info" "$rtl/merged.dat"
genhtml --quiet "$rtl/merged.info" --output-directory "$rtl/html" 2>/dev/null || true
echo
echo "RTL under $from (${#dats[@]} model runs merged):"
python3 scripts/rtl_coverage.py "$rtl/merged.dat" "$rtl"
echo
echo "coverage: open $out/html/index.html (C) and $rtl/html/index.html (RTL);"
echo "          every cover point's count: $rtl/cover_points.txt"
