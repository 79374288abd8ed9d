#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# rtl_mutation.sh [--shard I/N] — breaks one rule of the RTL (or of the
# testbench's side of a handshake) at a time and requires the run to catch
# it: an assertion of rtl/pg_assert.svh, the lockstep comparison with the
# golden model (MISMATCH), or the DRAM device model's JEDEC checker.
#
# tests/mutation/rtl.mutants, one mutant per line:
#   FILE@@ORIGINAL@@BROKEN@@CATCHER
# ORIGINAL must occur exactly once in FILE; CATCHER names what must catch it:
# an assertion's name (the run prints "Assertion failed in ...NAME"), or
# MISMATCH, or JEDEC. A line "@lint MODULE -GNAME=V@@CHECK" builds MODULE with
# an illegal parameter: the build must fail naming the parameter check CHECK.
#
# Each mutant is built in a scratch copy (ccache keeps the unchanged parts of
# the Verilated C++) and run on workloads that stop at their first failure.
# A mutant survives when every workload passes; it is caught "elsewhere"
# when something other than its CATCHER stopped it. Part of `make regress`.
# MUTANTS=FILE runs another list (one mutant while mending it).
set -uo pipefail
shard_i=1
shard_n=1
if [ "${1:-}" = "--shard" ]; then
  shard_i=${2%/*}
  shard_n=${2#*/}
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r sw tb tests scripts sim rtl Makefile "$work"/
# Mutants start from this snapshot, so editing the tree during a run does
# not mix versions.
mkdir -p "$work/pristine"
cp -r sw tb tests rtl "$work/pristine"/
list="$work/mutants"
cp "${MUTANTS:-tests/mutation/rtl.mutants}" "$list"
export OBJCACHE=${OBJCACHE:-ccache}
command -v ccache >/dev/null || OBJCACHE=
build() { make -s BUILD=build VL_CFLAGS=-O1 build/pagoda >"$work/build.log" 2>&1; }
(cd "$work" && build) || { echo "rtl mutation: the unmutated copy does not build" >&2; exit 1; }
sed 's/^row_buf_policy = OPEN_PAGE/row_buf_policy = CLOSE_PAGE/; s/^tREFI = 6240/tREFI = 300/' \
  sim/dram/ddr3_1600.ini > "$work/close300.ini"

# The workloads, in order; the first that fails ends the mutant's run.
workloads=(
  "random --seed 14 --ops 2500"
  "run sim/traces/vm_ept.trace"
  "random --seed 3 --ops 2500"
  "run sim/traces/la57.trace"
  "run sim/traces/pkeys.trace"
  "random --mix iommu --seed 1 --ops 800"
  "run tests/traces/repro/byte_stride_stores.trace"
  "run sim/dma/cmd_during_dma.trace"
  "dram sim/dram/close_refresh.trace --config $work/close300.ini"
  "random --mix dram --seed 4 --ops 30000"
  "random --mix dram --seed 203 --ops 20000"
  "random --seed 5 --ops 4000"
  "random --seed 6 --ops 4000"
  "scenario vm"
)

# What stopped a failed run: the names of the assertions that failed at the
# first failing cycle (all of them: several may fail at one clock edge),
# else MISMATCH or JEDEC.
caught_by() {
  local a
  a=$(sed -n 's/^\[\([0-9]*\)\] %Error: .*Assertion failed in TOP\.[^:]*\.\([a-z_0-9]*\): .*/\1 \2/p' "$1" |
      awk 'NR == 1 {t = $1} $1 == t {printf "%s%s", sep, $2; sep = ","}')
  if [ -n "$a" ]; then echo "$a"
  elif grep -q "JEDEC violation\|timing violations [1-9]\|MISMATCH DRAM timing" "$1"; then echo JEDEC
  elif grep -q "MISMATCH\|FAILED" "$1"; then echo MISMATCH
  else echo "exit $2"; fi
}

n=0 caught=0 elsewhere=0 survived=0 broken=0
k=0
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  k=$((k + 1))
  [ $(( (k - 1) % shard_n )) -eq $((shard_i - 1)) ] || continue
  n=$((n + 1))
  if [ "${line#@lint }" != "$line" ]; then
    spec=${line#@lint }
    want=${spec##*@@}
    spec=${spec%@@*}
    module=${spec%% *}
    param=${spec#* }
    if (cd "$work" && verilator --lint-only -Wall -Irtl rtl/lint.vlt rtl/pagoda_pkg.sv rtl/pg_*.sv \
          --top-module "$module" "$param") >"$work/out" 2>&1; then
      echo "  SURVIVED  lint $module $param (built)"
      survived=$((survived + 1))
    elif grep -q "parameter check '$want' failed" "$work/out"; then
      echo "  caught    lint $module $param  by $want"
      caught=$((caught + 1))
    else
      echo "  ELSEWHERE lint $module $param: $(grep -m1 Error "$work/out")"
      elsewhere=$((elsewhere + 1))
    fi
    continue
  fi
  file=${line%%@@*}; rest=${line#*@@}
  from=${rest%%@@*}; rest=${rest#*@@}
  to=${rest%%@@*}; want=${rest#*@@}
  cp "$work/pristine/$file" "$work/$file"
  if ! python3 - "$work/$file" "$from" "$to" <<'PY'
import sys
p, f, t = sys.argv[1:4]
f, t = f.replace("\\n", "\n"), t.replace("\\n", "\n")
s = open(p).read()
if s.count(f) != 1:
    sys.exit("mutant does not apply: %s" % f.strip())
open(p, "w").write(s.replace(f, t))
PY
  then
    echo "  STALE     $file: $from"
    broken=$((broken + 1))
    continue
  fi
  if ! (cd "$work" && build); then
    echo "  BROKEN    $file: $from (does not build)"
    broken=$((broken + 1))
    cp "$work/pristine/$file" "$work/$file"
    continue
  fi
  got=""
  for w in "${workloads[@]}"; do
    (cd "$work" && timeout 300 build/pagoda $w) >"$work/out" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
      got=$(caught_by "$work/out" $rc)
      break
    fi
  done
  if [ -z "$got" ]; then
    echo "  SURVIVED  $file: $from  (want $want)"
    survived=$((survived + 1))
  elif [[ ",$got," == *",$want,"* ]]; then
    echo "  caught    $file: $(echo "$from" | head -c 60)  by $got"
    caught=$((caught + 1))
  else
    echo "  ELSEWHERE $file: $(echo "$from" | head -c 60)  by $got (want $want)"
    elsewhere=$((elsewhere + 1))
  fi
  cp "$work/pristine/$file" "$work/$file"
done < "$list"
(cd "$work" && build)
echo "rtl mutation: $caught of $n caught by the check they target, $elsewhere by another," \
     "$survived survived, $broken did not apply or build (shard $shard_i/$shard_n)"
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ]
