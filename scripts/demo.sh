#!/usr/bin/env bash
# demo.sh PAGODA — the `make run` tour: the golden model on the example
# traces with what each shows, the same traces on the RTL system (MMU, bus,
# DRAM controller) in lockstep, random traffic, and the DRAM controller alone.
# The seed stories join it as they land (`pagoda scenario --list`).
set -euo pipefail
pagoda=${1:-build/pagoda}
mkdir -p build/waves

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
echo "=== the same traces on the RTL system (MMU, bus decoder, DRAM controller,"
echo "    the DRAM device model checking JEDEC timing), in lockstep with the golden model"
for t in sim/traces/*.trace; do
  "$pagoda" run "$t" | grep -E '^(PASS|FAIL|MISMATCH)'
done
echo "--- what the DRAM saw for basics.trace"
"$pagoda" run sim/traces/basics.trace | grep -E '^counter dram_' | awk '$3 != 0'
echo
echo "=== the DRAM controller alone on a DRAMsim3 request trace (sim/dram/mixed.trace):"
echo "    a sequential sweep (row hits), random traffic (row misses), same-line"
echo "    read-modify-writes, and a quiet gap where refresh runs"
"$pagoda" dram sim/dram/mixed.trace --cmd-trace build/waves/dram_cmds.txt | tail -n 8
echo "--- the first commands (DRAMsim3's command-trace layout: cycle name ch rank bg bank row col)"
head -n 6 build/waves/dram_cmds.txt
echo
echo "=== random traffic: RTL against golden"
"$pagoda" random --seed 1 --ops 5000 | tail -n 2
echo
"$pagoda" run sim/traces/basics.trace --wave build/waves/mmu.fst | grep -E '^waves'
echo
echo "Write your own trace (see README.md, 'Writing a trace') and run:"
echo "  $pagoda golden my.trace --log my.jsonl     # golden model alone"
echo "  $pagoda run my.trace --wave my.fst         # RTL and golden in lockstep"
echo "  $pagoda dram my_dram.trace --cmd-trace c.txt   # the DRAM controller alone"
