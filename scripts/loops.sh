#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# loops.sh RTL_FILES... — no combinational loop anywhere in the system: Yosys
# reads the RTL (SPEC 9's subset), flattens pg_system and runs `check`, which
# names every logic loop (a loop at bit level, not only the coarse one
# Verilator reports as UNOPTFLAT). Fails on any.
set -uo pipefail
log=build/loops.log
mkdir -p build
if ! yosys -q -l "$log" -p "read_verilog -sv -noautowire -I rtl $*; hierarchy -top pg_system; \
    proc; flatten; opt_clean; check" >/dev/null 2>&1; then
  echo "loops: yosys failed; see $log" >&2
  exit 1
fi
if grep -q "found logic loop" "$log"; then
  grep -A6 "found logic loop" "$log" | head -20 >&2
  echo "loops: combinational loop in pg_system (see $log)" >&2
  exit 1
fi
echo "loops: none in the flattened pg_system (Yosys check)"
