#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# programs.sh PAGODA [OUT.png] [--figures] — `make programs`: real programs'
# memory streams through the whole system.
#
# Each program of sw/programs/ is built (gcc -O1 -static), run under
# valgrind's lackey (every fetch, load, store and modify, libc's start-up
# included), imported with 4 KiB and with 2 MiB pages (`pagoda import
# lackey`), and run on the RTL in lockstep with the golden model (`pagoda run
# --report`); any mismatch or failed expectation stops the script. The
# figures go to build/programs/summary.txt (a table) and OUT.png (default
# docs/pictures/programs.png): TLB misses and walk cycles per 1,000
# accesses, 4 KiB against 2 MiB, and the DRAM row-hit rate. Runs two at a
# time; about fifteen minutes on two cores. --figures only redraws the
# table and the picture from the last run's reports.
set -euo pipefail
pagoda=${1:?usage: programs.sh PAGODA [OUT.png] [--figures]}
png=docs/pictures/programs.png
figures_only=0
for a in "${@:2}"; do
  case $a in
    --figures) figures_only=1 ;;
    *) png=$a ;;
  esac
done
out=build/programs
mkdir -p "$out"

# name : source : arguments
progs=(
  "array_sum:array_sum.c:"
  "list_chase:list_chase.c:"
  "matmul_naive:matmul.c:"
  "matmul_blocked:matmul.c:blocked"
  "hash_insert:hash_insert.c:"
  "copy:copy.c:"
)

# Builds each program and traces it under lackey.
trace_programs() {
  echo "programs: build and trace under valgrind lackey"
  local p name src args bin
  for p in "${progs[@]}"; do
    IFS=: read -r name src args <<<"$p"
    bin="$out/${src%.c}"
    [ "$bin" -nt "sw/programs/$src" ] || gcc -O1 -static -o "$bin" "sw/programs/$src"
    # shellcheck disable=SC2086 # the arguments are words
    valgrind --tool=lackey --trace-mem=yes --log-file="$out/$name.log" "$bin" $args >/dev/null
    printf '  %-16s %9d lackey lines\n' "$name" "$(wc -l <"$out/$name.log")"
  done
}

# One run in lockstep; keeps what is not a per-access result line
# (mismatches, the counters, the verdict, the report).
run_one() {
  local pagoda=$1 out=$2 job=$3
  "$pagoda" run "$out/$job.trace" --report "$out/$job.json" 2>&1 |
    grep -av '^ *[0-9][0-9]* [a-z]' >"$out/$job.out"
  if [ "${PIPESTATUS[0]}" -eq 0 ]; then
    grep -a '^PASS' "$out/$job.out" | sed 's/^/  /'
  else
    echo "  FAIL $job: see $out/$job.out" >&2
    grep -a -m3 'MISMATCH\|FAILED\|Assertion' "$out/$job.out" >&2 || true
    return 1
  fi
}
export -f run_one

# Imports every log with both page sizes, then runs them two at a time.
run_programs() {
  echo "programs: import (4 KiB and 2 MiB pages) and run, RTL against golden"
  local p name pages jobs=()
  for p in "${progs[@]}"; do
    name=${p%%:*}
    for pages in 4k 2m; do
      "$pagoda" import lackey "$out/$name.log" -o "$out/${name}_$pages.trace" --pages "$pages" \
        >"$out/${name}_$pages.import"
      jobs+=("${name}_$pages")
    done
  done
  printf '%s\n' "${jobs[@]}" | xargs -P 2 -I{} bash -c 'run_one "$@"' _ "$pagoda" "$out" {}
}

if [ $figures_only -eq 0 ]; then
  trace_programs
  run_programs
fi

echo "programs: figures"
python3 - "$out" "${progs[@]}" <<'PY' | tee "$out/summary.txt"
import json, sys
out, progs = sys.argv[1], [p.split(":")[0] for p in sys.argv[2:]]
rows = []
print(f"{'program':16} {'pages':5} {'accesses':>9} {'dTLB/1k':>8} {'iTLB/1k':>8} {'L2/1k':>7}"
      f" {'walks/1k':>8} {'walk cyc/1k':>11} {'cyc/walk':>8} {'row hits':>8} {'load lat':>8}")
with open(f"{out}/programs.dat", "w") as dat:
    dat.write("# program dtlb4k dtlb2m walkcyc4k walkcyc2m rowhit4k rowhit2m\n")
    for name in progs:
        r = {}
        for pages in ("4k", "2m"):
            j = json.load(open(f"{out}/{name}_{pages}.json"))
            r[pages] = j
            wc = j["walks_per_1k"] * (j["walk_cycles_mean"] or 0)
            print(f"{name:16} {pages:5} {j['accesses']:9d} {j['dtlb_misses_per_1k']:8.2f}"
                  f" {j['itlb_misses_per_1k']:8.2f} {j['l2tlb_misses_per_1k']:7.2f}"
                  f" {j['walks_per_1k']:8.2f} {wc:11.1f} {j['walk_cycles_mean'] or 0:8.1f}"
                  f" {j['dram_row_hit_rate']:8.4f} {j['load_latency']['mean']:8.1f}")
            r[pages]["walk_cycles_per_1k"] = wc
        dat.write(f"{name} {r['4k']['dtlb_misses_per_1k'] + r['4k']['itlb_misses_per_1k']:.3f}"
                  f" {r['2m']['dtlb_misses_per_1k'] + r['2m']['itlb_misses_per_1k']:.3f}"
                  f" {r['4k']['walk_cycles_per_1k']:.2f} {r['2m']['walk_cycles_per_1k']:.2f}"
                  f" {r['4k']['dram_row_hit_rate']:.4f} {r['2m']['dram_row_hit_rate']:.4f}\n")
PY

gnuplot <<EOF
set terminal pngcairo noenhanced size 1300,460 font "DejaVu Sans,10"
set output "$png"
set multiplot layout 1,3 title "Real programs through the whole system (valgrind lackey -> pagoda import -> pagoda run)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -35 scale 0
set grid ytics
set key top right
set title "L1 TLB misses per 1,000 accesses"
plot "$out/programs.dat" using 2:xtic(1) title "4 KiB pages" lc rgb "#3b6ea5", \
     "" using 3 title "2 MiB pages" lc rgb "#e08a2c"
set title "walk cycles per 1,000 accesses"
plot "$out/programs.dat" using 4:xtic(1) title "4 KiB pages" lc rgb "#3b6ea5", \
     "" using 5 title "2 MiB pages" lc rgb "#e08a2c"
set title "DRAM row-hit rate"
set yrange [0:1]
plot "$out/programs.dat" using 6:xtic(1) title "4 KiB pages" lc rgb "#3b6ea5", \
     "" using 7 title "2 MiB pages" lc rgb "#e08a2c"
unset multiplot
EOF
echo "programs: wrote $png and $out/summary.txt"
