#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# profile.sh [OPS] — where the Verilated models spend a cycle, per RTL module.
#
# Builds pagoda into build/prof with Verilator's --prof-cfuncs (every
# generated function is named after the module and source line it comes
# from) and gprof instrumentation, then profiles two workloads: the whole
# system in lockstep on random MMU traffic (pagoda random, OPS operations,
# default 5000) and the DRAM controller alone on 50,000 random reads. For each
# it prints the share of the run per module (the scheduler's own work, eval,
# counted apart), then the ten costliest source lines. The C testbench and
# golden model are outside the instrumented models ("(testbench)").
set -euo pipefail
ops=${1:-5000}
out=build/prof
make --no-print-directory BUILD="$out" VL_EXTRA=--prof-cfuncs VL_CFLAGS="-O2 -pg" \
  VL_LDFLAGS=-pg "$out/pagoda" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 50,000 uniformly random 64-byte reads in 1 GiB, all offered at cycle 0.
awk 'BEGIN { x = 99; for (i = 0; i < 50000; i++) {
       x = (x * 1103515245 + 12345) % 2147483648
       printf "0x%08x READ 0\n", (x % 16777216) * 64 } }' > "$work/reads.trace"

# report NAME: per-module shares and the hottest lines of gmon.out.
report() {
  gprof -b -p "$out/pagoda" "$work/gmon.out" 2>/dev/null | awk -v title="$1" '
    NR > 5 && $1 ~ /^[0-9.]+$/ && NF >= 4 {
      name = $NF; self = $3; total += self
      if (match(name, /__PROF__[a-z_0-9]+__l[0-9]+/)) {
        where = substr(name, RSTART + 8, RLENGTH - 8)
        mod = where; sub(/__l[0-9]+$/, "", mod)
        line = where; sub(/^.*__l/, "", line)
        bymod[mod] += self; byline[mod ":" line] += self
      } else if (name ~ /^V.*___eval/) {
        bymod["(eval: Verilator scheduling)"] += self
      } else {
        bymod["(testbench)"] += self
      }
    }
    END {
      printf "%s\n", title
      for (m in bymod) printf "  %-30s %5.1f%%\n", m, 100 * bymod[m] / total | "sort -k2 -nr"
      close("sort -k2 -nr")
      printf "  costliest lines:\n"
      for (l in byline) printf "    %-28s %5.1f%%\n", l, 100 * byline[l] / total | "sort -k2 -nr | head -10"
      close("sort -k2 -nr | head -10")
    }'
}

(cd "$work" && "$OLDPWD/$out/pagoda" random --seed 1 --ops "$ops" >/dev/null)
report "whole system, lockstep, pagoda random --seed 1 --ops $ops"
rm -f "$work/gmon.out"
(cd "$work" && "$OLDPWD/$out/pagoda" dram reads.trace >/dev/null)
report "DRAM controller alone, 50,000 random reads"
