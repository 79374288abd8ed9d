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
start=$(date +%s)
seq 101 $((100 + seeds)) | xargs -P 2 -I{} sh -c "'$pagoda' random --seed {} --ops $ops > '$out/{}.log' 2>&1; echo \$? > '$out/{}.rc'"
fail=0
accesses=0
for s in $(seq 101 $((100 + seeds))); do
  tail -1 "$out/$s.log"
  [ "$(cat "$out/$s.rc")" = 0 ] || { fail=$((fail + 1)); grep -m5 MISMATCH "$out/$s.log"; }
  a=$(sed -n 's/^random seed [0-9]*: \([0-9]*\) accesses.*/\1/p' "$out/$s.log")
  accesses=$((accesses + ${a:-0}))
done
echo "regress: $seeds seeds, $accesses random accesses, $fail failed, $(( $(date +%s) - start )) s"

# Random DMA traffic through the IOMMU (with the directed cases first), the
# whole system against the golden model; every DMA compared over all of
# memory and checked for isolation.
iseeds=${IOMMU_SEEDS:-4}
start=$(date +%s)
seq 301 $((300 + iseeds)) | xargs -P 2 -I{} sh -c "'$pagoda' random --mix iommu --seed {} --ops 8000 > '$out/i{}.log' 2>&1; echo \$? > '$out/i{}.rc'"
pieces=0
for s in $(seq 301 $((300 + iseeds))); do
  tail -1 "$out/i$s.log"
  [ "$(cat "$out/i$s.rc")" = 0 ] || { fail=$((fail + 1)); grep -m5 -E "MISMATCH|FAIL" "$out/i$s.log"; }
  p=$(sed -n 's/^.*random iommu seed [0-9]*: .*, \([0-9]*\) pieces,.*/\1/p' "$out/i$s.log")
  pieces=$((pieces + ${p:-0}))
done
echo "regress iommu: $iseeds seeds, $pieces DMA pieces, $(( $(date +%s) - start )) s"
if [ "$pieces" -lt 100000 ]; then
  echo "regress iommu: fewer than 100,000 DMA pieces" >&2
  fail=$((fail + 1))
fi

# The DRAM controller alone: random phases and settings, at least 10,000,000
# cycles in all, no timing violation and no data mismatch.
dseeds=${DRAM_SEEDS:-6}
start=$(date +%s)
seq 201 $((200 + dseeds)) | xargs -P 2 -I{} sh -c "'$pagoda' random --mix dram --seed {} --ops 400000 > '$out/d{}.log' 2>&1; echo \$? > '$out/d{}.rc'"
cycles=0
for s in $(seq 201 $((200 + dseeds))); do
  tail -1 "$out/d$s.log"
  [ "$(cat "$out/d$s.rc")" = 0 ] || { fail=$((fail + 1)); grep -m5 -E "MISMATCH|violation|STALL" "$out/d$s.log"; }
  c=$(sed -n 's/^random dram seed [0-9]*: .* requests .*, \([0-9]*\) cycles,.*/\1/p' "$out/d$s.log")
  cycles=$((cycles + ${c:-0}))
done
echo "regress dram: $dseeds seeds, $cycles cycles, $(( $(date +%s) - start )) s"
if [ "$cycles" -lt 10000000 ]; then
  echo "regress dram: fewer than 10,000,000 cycles" >&2
  fail=$((fail + 1))
fi
[ "$fail" -eq 0 ]
