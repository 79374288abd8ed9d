#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# demo.sh PAGODA — the `make run` tour: every seed story (`pagoda scenario`)
# narrated on the RTL system in lockstep with the golden model, each writing
# a waveform; then the example traces, random traffic and the DRAM
# controller alone; it ends by naming the waveforms and how to open each.
set -euo pipefail
pagoda=${1:-build/pagoda}
waves=build/waves
mkdir -p "$waves"

# progress DONE TOTAL LABEL: one line, redrawn in place on a terminal.
progress() {
  local done=$1 total=$2 label=$3 width=30
  local fill=$((done * width / total))
  local bar
  bar=$(printf '%*s' "$fill" '' | tr ' ' '#')$(printf '%*s' $((width - fill)) '' | tr ' ' '.')
  if [ -t 1 ]; then
    printf '\r[%s] %d/%d %-40s' "$bar" "$done" "$total" "$label"
    [ "$done" -lt "$total" ] || echo
  else
    printf '[%s] %d/%d %s\n' "$bar" "$done" "$total" "$label"
  fi
}

echo "pagoda: how a machine turns an address into data."
echo "Every story below runs on the RTL (MMU, bus, DRAM controller, IOMMU, DMA engines)"
echo "in lockstep with the golden model; every claim it makes is checked."
echo
mapfile -t names < <("$pagoda" scenario --list | awk '{print $1}')
total=${#names[@]}
i=0
for name in "${names[@]}"; do
  i=$((i + 1))
  echo "################################################################ story $i of $total"
  "$pagoda" scenario "$name" --wave "$waves/$name.fst" | tee "$waves/$name.log" | grep -v '^waves:'
  echo
done

echo "################################################################ the RTL at work"
echo "The example traces (sim/traces/) on the system, and random traffic:"
traces=(sim/traces/*.trace)
steps=$((${#traces[@]} + 3))
step=0
for t in "${traces[@]}"; do
  progress "$step" "$steps" "$t"
  "$pagoda" run "$t" > "$waves/run.log" || { echo; cat "$waves/run.log"; exit 1; }
  step=$((step + 1))
done
progress "$step" "$steps" "random MMU traffic"
"$pagoda" random --seed 1 --ops 3000 > "$waves/random.log" || { echo; tail "$waves/random.log"; exit 1; }
step=$((step + 1))
progress "$step" "$steps" "random DMA traffic through the IOMMU"
"$pagoda" random --mix iommu --seed 1 --ops 800 > "$waves/random_iommu.log" ||
  { echo; tail "$waves/random_iommu.log"; exit 1; }
step=$((step + 1))
progress "$step" "$steps" "the DRAM controller alone"
"$pagoda" dram sim/dram/mixed.trace > "$waves/dram_mixed.log" ||
  { echo; tail "$waves/dram_mixed.log"; exit 1; }
step=$((step + 1))
progress "$step" "$steps" "done"
grep -h -E '^PASS' "$waves/random.log" "$waves/random_iommu.log" | sed 's/^/  /'
grep -E 'bandwidth|row' "$waves/dram_mixed.log" | head -n 3 | sed 's/^/  /'

echo
echo "Waveforms: each story's, and the command that opens it with its view:"
for name in "${names[@]}"; do
  # the scenario's own line: "waves: F  (open: gtkwave F VIEW)"
  open=$(sed -n 's/^waves: [^ ]*  (open: \(.*\))$/\1/p' "$waves/$name.log")
  printf '  %-11s %s\n' "$name" "$open"
done
echo
echo "Next: pagoda scenario --list; pagoda golden|run TRACE (README.md, 'Writing a trace');"
echo "      make pictures (a page walk in GTKWave, TLB misses, DRAM utilization: docs/pictures/)."
