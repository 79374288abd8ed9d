#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# regress.sh PAGODA [--shard I/N] [--out DIR] — the long random regression,
# RTL against golden, in units of one seed:
#  - mmu:   MMU_SEEDS seeds (default 56) of MMU_OPS operations (default
#           60000): odd seeds through the whole system with DRAM, even ones
#           the MMU alone on an ideal memory that stalls; three seeds in four
#           issue program-like streams. At least 10,000,000 CPU accesses,
#           at least half of them through the whole system.
#  - iommu: IOMMU_SEEDS seeds (default 12) of 8000 operations of random DMA
#           traffic, half of the DMAs beside CPU load streams: at least
#           1,000,000 DMA pieces.
#  - dram:  DRAM_SEEDS seeds (default 6) of the controller alone under random
#           phases and settings (close page and FCFS among them): at least
#           10,000,000 cycles, no JEDEC violation, no data mismatch.
#  - cover: a few seeds of each kind on the coverage build
#           (scripts/coverage.sh --build), their RTL coverage kept in
#           DIR/coverage for make coverage to merge.
# With --shard I/N this machine runs every unit whose number is I modulo N
# (numbered in the order above), so N machines, a CI matrix or a job array
# run one regression between them; each shard writes DIR/shard-I-of-N.txt
# (one line per unit) and DIR/junit-I-of-N.xml. scripts/regress_merge.sh
# then adds the shards up, checks the minimum work and writes one summary
# and one JUnit report; without --shard this script does that itself.
set -uo pipefail
pagoda=${1:?usage: regress.sh PAGODA [--shard I/N] [--out DIR]}
shift
shard_i=1 shard_n=1 out=build/regress
while [ $# -gt 0 ]; do
  case $1 in
    --shard) shard_i=${2%/*}; shard_n=${2#*/}; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "regress.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
mmu_seeds=${MMU_SEEDS:-56}
mmu_ops=${MMU_OPS:-60000}
io_seeds=${IOMMU_SEEDS:-12}
dram_seeds=${DRAM_SEEDS:-6}
mkdir -p "$out/logs" "$out/coverage"
tag="$shard_i-of-$shard_n"
results=$out/shard-$tag.txt
: > "$results"

# The units: "section seed command...", numbered from 1.
units=()
for s in $(seq 101 $((100 + mmu_seeds))); do units+=("mmu $s random --seed $s --ops $mmu_ops"); done
for s in $(seq 301 $((300 + io_seeds))); do units+=("iommu $s random --mix iommu --seed $s --ops 8000"); done
for s in $(seq 201 $((200 + dram_seeds))); do units+=("dram $s random --mix dram --seed $s --ops 400000"); done
for s in 1 2 3 6; do units+=("cover $s random --seed $s --ops 20000"); done
for s in 1 2; do units+=("cover $((300 + s)) random --mix iommu --seed $s --ops 3000"); done
for s in 1 3 4; do units+=("cover $((200 + s)) random --mix dram --seed $s --ops 100000"); done

mine=()
for ((k = 0; k < ${#units[@]}; k++)); do
  [ $((k % shard_n)) -eq $((shard_i - 1)) ] && mine+=("${units[k]}")
done
if printf '%s\n' "${mine[@]}" | grep -q '^cover '; then
  bash scripts/coverage.sh --build || { echo "regress: the coverage build failed" >&2; exit 1; }
fi

# One unit: runs it, then appends "section seed rc seconds figure" to
# $results, where figure is what the section counts (CPU accesses, DMA
# pieces plus CPU loads beside them, cycles).
run_unit() {
  local section=$1 seed=$2 log="$out/logs/$1-$2.log" bin=$pagoda rc t0 fig
  shift 2
  if [ "$section" = cover ]; then
    bin=build/coverage/pagoda
    export PAGODA_COVERAGE_DIR=$PWD/$out/coverage
  fi
  t0=$(date +%s)
  timeout 3600 "$bin" "$@" > "$log" 2>&1
  rc=$?
  case $section in
    mmu) fig=$(sed -n 's/^random seed [0-9]*: \([0-9]*\) accesses.*(memory: \([A-Za-z]\).*/\1 \2/p' "$log") ;;
    iommu) fig=$(sed -n 's/^.*random iommu seed [0-9]*: .*, \([0-9]*\) pieces,.* beside \([0-9]*\) CPU loads.*/\1 \2/p' "$log") ;;
    dram) fig=$(sed -n 's/^random dram seed [0-9]*: .* requests .*, \([0-9]*\) cycles,.*/\1/p' "$log") ;;
    *) fig=0 ;;
  esac
  echo "$section $seed $rc $(( $(date +%s) - t0 )) ${fig:-0}"
}
export -f run_unit
export pagoda out

printf '%s\n' "${mine[@]}" | xargs -P 2 -I{} bash -c 'run_unit {}' >> "$results"
sort -k1,1 -k2n -o "$results" "$results"
while read -r section seed rc secs fig; do
  [ "$rc" = 0 ] && st=ok || st=FAIL
  printf '%-5s %-6s seed %-4s %5s s  %s\n' "$st" "$section" "$seed" "$secs" "$fig"
  [ "$rc" = 0 ] || grep -m5 -E "MISMATCH|FAIL|violation|ASSERTION|Assertion" "$out/logs/$section-$seed.log"
done < "$results"

if [ "$shard_n" -eq 1 ]; then
  bash scripts/regress_merge.sh "$out" "$results"
else
  bash scripts/regress_merge.sh --shard-only "$out" "$results"
fi
