#!/usr/bin/env bash
# demo.sh PAGODA — the `make run` tour. Today it runs the golden model on the
# example traces and explains what each shows; the RTL scenarios join it as
# they land (`pagoda scenario --list`).
set -euo pipefail
pagoda=${1:-build/pagoda}

show() {
  local trace=$1 what=$2
  echo
  echo "=== $trace — $what"
  "$pagoda" golden "$trace" | grep -v '^counter' | tail -n 25
  echo "--- selected counters"
  "$pagoda" golden "$trace" | grep -E '^counter (dtlb|itlb|l2tlb|walks|walk_reads|pwc_pde|pf_)' |
    awk '$3 != 0'
}

echo "pagoda: the golden x86-64 translation model on the example traces."
echo "Each line is one access: number, op, privilege, virtual address/size,"
echo "status (ok, pf, gp, bus), the physical address or the page-fault error"
echo "code with its bits, and where the translation came from (tlb, l2, walk)."
show sim/traces/basics.trace "page walks, TLB hits, A/D bits, faults"
show sim/traces/protection.trace "WP, NX, SMEP, SMAP, reserved bits"
show sim/traces/processes.trace "two processes at one address, PCIDs, globals"
show sim/traces/large_pages.trace "2 MiB and 1 GiB pages"
echo
echo "=== the same traces on the RTL MMU, in lockstep with the golden model"
for t in sim/traces/*.trace; do
  "$pagoda" run "$t" | grep -E '^(PASS|FAIL|MISMATCH)'
done
echo
echo "=== random traffic: RTL against golden"
"$pagoda" random --seed 1 --ops 5000 | tail -n 2
echo
mkdir -p build/waves
"$pagoda" run sim/traces/basics.trace --wave build/waves/mmu.fst | grep -E '^waves'
echo
echo "Write your own trace (see README.md, 'Writing a trace') and run:"
echo "  $pagoda golden my.trace --log my.jsonl     # golden model alone"
echo "  $pagoda run my.trace --wave my.fst         # RTL and golden in lockstep"
