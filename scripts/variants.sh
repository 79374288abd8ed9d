#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# variants.sh [--shard I/N] — the RTL built with non-default sizes, each
# run in lockstep with the golden model (sized from the build's own
# parameters, pgv_sizes()): the MMU alone, the whole system with DRAM, and
# DMA traffic. A size that only works at its default shows here. Part of
# `make regress`; each build goes to build/variant-K.
set -uo pipefail
shard_i=1
shard_n=1
if [ "${1:-}" = "--shard" ]; then
  shard_i=${2%/*}
  shard_n=${2#*/}
fi
export OBJCACHE=${OBJCACHE:-ccache}
command -v ccache >/dev/null || OBJCACHE=

# MMU sizes (both tops) | system-only sizes
variants=(
  "-GItlbEntries=16 -GDtlbEntries=64 -GL2Sets=64 -GL2Ways=8|-GDramQDepth=32"
  "-GItlbEntries=64 -GDtlbEntries=8 -GL2Sets=256 -GL2Ways=2 -GPwcPdeEntries=16 -GPwcPml4eEntries=2|-GDramQDepth=16"
  "-GItlbEntries=2 -GDtlbEntries=2 -GL2Sets=2 -GL2Ways=2 -GPwcPdeEntries=2 -GPwcPdpteEntries=2 -GPwcPml4eEntries=2|"
)
runs=(
  "random --seed 1 --ops 6000"
  "random --seed 2 --ops 6000"
  "random --seed 7 --ops 6000"
  "random --mix iommu --seed 3 --ops 1500"
)
fail=0
for ((k = 0; k < ${#variants[@]}; k++)); do
  [ $((k % shard_n)) -eq $((shard_i - 1)) ] || continue
  mmu_g=${variants[k]%|*}
  sys_g=${variants[k]#*|}
  b=build/variant-$((k + 1))
  echo "variant $((k + 1)): $mmu_g $sys_g"
  if ! make -s BUILD="$b" MMU_G="$mmu_g" SYS_G="$sys_g" "$b/pagoda" > "$b.log" 2>&1; then
    echo "  FAIL  build (see $b.log)"
    fail=1
    continue
  fi
  for r in "${runs[@]}"; do
    if out=$("$b/pagoda" $r 2>&1); then
      echo "  ok    $r: $(grep -m1 -E 'random (iommu )?seed' <<<"$out")"
    else
      echo "  FAIL  $r"
      grep -m5 -E "MISMATCH|FAIL|Assertion" <<<"$out"
      fail=1
    fi
  done
done
[ $fail -eq 0 ] && echo "variants: every non-default build agrees with the golden model" ||
  echo "variants: failures above"
exit $fail
