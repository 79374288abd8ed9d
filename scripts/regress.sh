#!/usr/bin/env bash
# regress.sh PAGODA [SEEDS] [OPS] — the long random regression: SEEDS seeds
# (default 20) of OPS operations each (default 60000, about 52000 accesses),
# two at a time, RTL against golden (odd seeds through the whole system with
# DRAM, even seeds the MMU alone on an ideal memory); then random DMA traffic
# through the IOMMU, RTL against golden, at least 100,000 DMA pieces; then the
# DRAM controller alone for at least 10,000,000 cycles. One line per seed and
# totals.
set -uo pipefail
pagoda=${1:?usage: regress.sh PAGODA [SEEDS] [OPS]}
seeds=${2:-20}
ops=${3:-60000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0

# run_seeds FIRST COUNT FIGURE ARGS...: `pagoda random --seed S ARGS` for
# COUNT seeds from FIRST, two at a time. Prints each run's last line (and its
# first complaints when it failed), counts failed runs in $fail, and sums in
# $sum the number the sed expression FIGURE takes from each log.
run_seeds() {
  local first=$1 count=$2 figure=$3 s v
  shift 3
  seq "$first" $((first + count - 1)) |
    xargs -P 2 -I{} sh -c "'$pagoda' random --seed {} $* > '$out/{}.log' 2>&1; echo \$? > '$out/{}.rc'"
  sum=0
  for s in $(seq "$first" $((first + count - 1))); do
    tail -1 "$out/$s.log"
    [ "$(cat "$out/$s.rc")" = 0 ] ||
      { fail=$((fail + 1)); grep -m5 -E "MISMATCH|FAIL|violation|STALL" "$out/$s.log"; }
    v=$(sed -n "$figure" "$out/$s.log")
    sum=$((sum + ${v:-0}))
  done
}

# at_least MIN MESSAGE: a section ran too little when its $sum is below MIN.
at_least() {
  [ "$sum" -ge "$1" ] || { echo "$2" >&2; fail=$((fail + 1)); }
}

start=$(date +%s)
run_seeds 101 "$seeds" 's/^random seed [0-9]*: \([0-9]*\) accesses.*/\1/p' --ops "$ops"
echo "regress: $seeds seeds, $sum random accesses, $fail failed, $(( $(date +%s) - start )) s"

# Random DMA traffic through the IOMMU (with the directed cases first), the
# whole system against the golden model; every DMA compared over all of
# memory and checked for isolation.
iseeds=${IOMMU_SEEDS:-4}
start=$(date +%s)
run_seeds 301 "$iseeds" 's/^.*random iommu seed [0-9]*: .*, \([0-9]*\) pieces,.*/\1/p' \
  --mix iommu --ops 8000
echo "regress iommu: $iseeds seeds, $sum DMA pieces, $(( $(date +%s) - start )) s"
at_least 100000 "regress iommu: fewer than 100,000 DMA pieces"

# The DRAM controller alone: random phases and settings, at least 10,000,000
# cycles in all, no timing violation and no data mismatch.
dseeds=${DRAM_SEEDS:-6}
start=$(date +%s)
run_seeds 201 "$dseeds" 's/^random dram seed [0-9]*: .* requests .*, \([0-9]*\) cycles,.*/\1/p' \
  --mix dram --ops 400000
echo "regress dram: $dseeds seeds, $sum cycles, $(( $(date +%s) - start )) s"
at_least 10000000 "regress dram: fewer than 10,000,000 cycles"
[ "$fail" -eq 0 ]
