#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# synth.sh RTL_FILES... — synthesizes every module with Yosys (SPEC §9):
# read_verilog -sv -noautowire, synth -top M, check -assert, stat. Fails on
# any Yosys warning about implicit or undriven wires, and on the SystemVerilog
# that Yosys 0.23 reads silently wrong (see the checks below). Prints cells
# and flip-flops per module.
set -uo pipefail
files=("$@")
out=build/synth
mkdir -p "$out"
fail=0

# Constructs Yosys 0.23 misreads without a warning (SPEC §9).
for f in "${files[@]}"; do
  code=$(sed 's://.*$::' "$f")
  if grep -nE '^\s*(pagoda_pkg::)?[a-z_]+_t\s+[a-z_]+\s*\[' <<<"$code"; then
    echo "synth: $f: unpacked array of a struct type (Yosys 0.23 drops its writes); use logic [W-1:0]" >&2
    fail=1
  fi
  if grep -nE "^\s*import\b|\breturn\b|'\{|\binside\b" <<<"$code"; then
    echo "synth: $f: construct outside the Yosys subset of SPEC §9" >&2
    fail=1
  fi
done
[ $fail -eq 0 ] || exit 1

printf '%-24s %10s %10s\n' module cells flops
for f in "${files[@]}"; do
  m=$(sed -n 's/^module \([a-z_0-9]*\).*/\1/p' "$f" | head -1)
  [ -n "$m" ] || continue
  log="$out/$m.log"
  if ! yosys -q -l "$log" -p "read_verilog -sv -noautowire -I rtl ${files[*]}; synth -top $m; check -assert; stat" \
      >/dev/null 2>&1; then
    echo "synth: $m failed; see $log" >&2
    grep -E "ERROR|Error" "$log" | head -5 >&2
    fail=1
    continue
  fi
  if grep -iE "warning.*(implicit|undriven|no driver|is used but has no driver)" "$log"; then
    echo "synth: $m: implicit or undriven wires (see $log)" >&2
    fail=1
  fi
  # The last statistics block: the whole hierarchy, or the lone module.
  stats=$(awk -v m="=== $m ===" '$0 == m || /=== design hierarchy ===/ {buf = ""; f = 1}
                                  f && /^=== / && $0 != m && !/design hierarchy/ {f = 0}
                                  f {buf = buf $0 "\n"} END {printf "%s", buf}' "$log")
  cells=$(awk '/Number of cells/ {print $4; exit}' <<<"$stats")
  flops=$(awk '/\$_.*DFF/ {s += $2} END {print s + 0}' <<<"$stats")
  printf '%-24s %10s %10s\n' "$m" "$cells" "$flops"
done
exit $fail
