#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pictures.sh — regenerates the README's pictures in docs/pictures/ (make pictures):
#
#   page_walk.png         GTKWave showing one cold load's page walk on the RTL, taken
#                         headless: GTKWave under Xvfb, the screen grabbed by ImageMagick
#   tlb_misses.png        dTLB misses and page walks per 1,000 random loads against the
#                         dTLB's entries, for 4 KiB and 2 MiB pages (golden model sweep;
#                         the RTL, built with 32 entries, replays each stream in lockstep
#                         and must land on the golden curve exactly)
#   dram_utilization.png  data-bus utilization per access pattern on the RTL controller,
#                         FR-FCFS against the in-order (FCFS) baseline
#   architecture.svg      the block diagram of docs/architecture.md, drawn by Graphviz
#                         from docs/src/architecture.dot
#
# Every number comes from a run made here; a run that fails stops the script.
# Usage: pictures.sh PAGODA PLOT_DATA [OUT]   (OUT: docs/pictures; make regress uses
# another so that checking the script leaves the committed pictures alone)
set -euo pipefail
[ $# -eq 2 ] || [ $# -eq 3 ] || { echo "usage: pictures.sh PAGODA PLOT_DATA [OUT]" >&2; exit 2; }
pagoda=$1
plot_data=$2
out=${3:-docs/pictures}
work=build/pictures
mkdir -p "$out" "$work"

die() { echo "pictures: $*" >&2; exit 1; }
counter() { awk -v n="$1" '$1 == "counter" && $2 == n {print $3}' "$2"; }
figure() { awk -v n="$1" '$1 == "bench" && $2 == n {print $3}' "$2"; }

# ---- the block diagram --------------------------------------------------------------------
dot -Tsvg docs/src/architecture.dot -o "$out/architecture.svg" || die "dot failed"
echo "pictures: $out/architecture.svg"

# ---- TLB misses against entries and page size ---------------------------------------------
echo "pictures: TLB sweep on the golden model, then the RTL at 32 entries"
"$plot_data" tlb "$work"
# the golden model's row for 32 entries: misses and walks per workload
read -r -a g32 < <(awk '$1 == 32' "$work/tlb.dat")
rtl_row="32"
col=1
for w in 4k_1m 4k_16m 2m_16m; do
  "$pagoda" run "$work/tlb_$w.trace" > "$work/tlb_$w.out" 2>&1 ||
    die "pagoda run $work/tlb_$w.trace failed (see $work/tlb_$w.out)"
  loads=$(counter loads "$work/tlb_$w.out")
  misses=$(counter dtlb_misses "$work/tlb_$w.out")
  walks=$(counter walks "$work/tlb_$w.out")
  cycles=$(counter cycles "$work/tlb_$w.out")
  m=$(awk -v a="$misses" -v n="$loads" 'BEGIN {printf "%.2f", 1000 * a / n}')
  k=$(awk -v a="$walks" -v n="$loads" 'BEGIN {printf "%.2f", 1000 * a / n}')
  [ "$m" = "${g32[$col]}" ] && [ "$k" = "${g32[$((col + 1))]}" ] ||
    die "$w: the RTL's $m misses / $k walks per 1,000 loads are not the golden model's ${g32[$col]} / ${g32[$((col + 1))]}"
  printf "  %-7s RTL: %s dTLB misses, %s walks per 1,000 loads (golden: the same), %s cycles a load\n" \
    "$w" "$m" "$k" "$(awk -v c="$cycles" -v n="$loads" 'BEGIN {printf "%.1f", c / n}')"
  rtl_row="$rtl_row $m $k"
  col=$((col + 2))
done
echo "$rtl_row" > "$work/tlb_rtl.dat"

gnuplot <<EOF
set terminal pngcairo size 1200,580 font "DejaVu Sans,11"
set output "$out/tlb_misses.png"
set multiplot layout 1,2 title "Random 8-byte loads over an array: 20,000 loads per point (golden model; RTL at its built size)"
set logscale x 2
set xrange [3:700]
set xtics (4, 8, 16, 32, 64, 128, 256, 512)
set yrange [0:1050]
set grid
set key outside bottom center horizontal maxrows 2
set xlabel "L1 dTLB entries"
set ylabel "per 1,000 loads"
array workload[3] = ["4 KiB pages, 1 MiB array", "4 KiB pages, 16 MiB array", "2 MiB pages, 16 MiB array"]
array panel[2] = ["L1 dTLB misses", "Page walks (after the 512-entry L2 TLB)"]
# tlb.dat: entries, then misses and walks for each workload in turn
do for [o = 0:1] {
  set title panel[o + 1]
  plot for [k = 0:2] "$work/tlb.dat" using 1:(column(2 + 2 * k + o)) \
         with linespoints lw 2 pt 7 title workload[k + 1], \
       for [k = 0:2] "$work/tlb_rtl.dat" using 1:(column(2 + 2 * k + o)) \
         with points pt 6 ps 2.5 lc rgb "black" title (k == 0 ? "RTL, lockstep" : "")
}
unset multiplot
EOF

# ---- DRAM utilization per access pattern ----------------------------------------------------
echo "pictures: DRAM patterns on the RTL controller, FR-FCFS and FCFS"
"$plot_data" dram "$work"
sed 's/^scheduler = FRFCFS/scheduler = FCFS/' sim/dram/ddr3_1600.ini > "$work/fcfs.ini"
grep -q '^scheduler = FCFS' "$work/fcfs.ini" || die "sim/dram/ddr3_1600.ini has no 'scheduler = FRFCFS' line"
: > "$work/dram.dat"
for p in sequential random random_rw streams_8_banks two_rows_1_bank; do
  for s in frfcfs fcfs; do
    cfg=sim/dram/ddr3_1600.ini
    [ $s = fcfs ] && cfg=$work/fcfs.ini
    "$pagoda" dram "$work/dram_$p.trace" --config "$cfg" > "$work/dram_${p}_$s.out" 2>&1 ||
      die "pagoda dram $work/dram_$p.trace ($s) failed (see $work/dram_${p}_$s.out)"
  done
  fr=$(figure utilization "$work/dram_${p}_frfcfs.out")
  fc=$(figure utilization "$work/dram_${p}_fcfs.out")
  hr=$(figure row_hit_rate "$work/dram_${p}_frfcfs.out")
  hc=$(figure row_hit_rate "$work/dram_${p}_fcfs.out")
  printf "  %-16s utilization FR-FCFS %s  FCFS %s   row hits %s / %s\n" "$p" "$fr" "$fc" "$hr" "$hc"
  echo "\"$(echo "$p" | tr _ ' ')\" $fr $fc $hr $hc" >> "$work/dram.dat"
done

gnuplot <<EOF
set terminal pngcairo size 1000,480 font "DejaVu Sans,11"
set output "$out/dram_utilization.png"
set title "DDR3-1600 data-bus utilization, 20,000 requests per pattern (RTL controller, JEDEC-checked)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:1.1]
set ytics 0.2
set grid ytics
set ylabel "data bus busy fraction"
set key top right box opaque
plot "$work/dram.dat" using 2:xtic(1) title "FR-FCFS (row hits first)" lc rgb "#2a7ab0", \
     "" using 3 title "FCFS (in order)" lc rgb "#d9822b", \
     "" using 0:(\$2 + 0.03):(sprintf("%.2f", \$2)) with labels offset -2.2,0 notitle, \
     "" using 0:(\$3 + 0.03):(sprintf("%.2f", \$3)) with labels offset 2.2,0 notitle
EOF

# ---- a page walk in GTKWave --------------------------------------------------------------------
echo "pictures: one cold load's page walk in GTKWave (under Xvfb)"
# the basics trace's page tables and its first load (a walk of all four levels)
{ awk '{print} /^load /{exit}' sim/traces/basics.trace; echo "wait 24"; } > "$work/walk.trace"
"$pagoda" run "$work/walk.trace" --wave "$work/walk.fst" > "$work/walk.out" 2>&1 ||
  die "pagoda run $work/walk.trace failed (see $work/walk.out)"
[ "$(counter walks "$work/walk.out")" = 1 ] || die "the walk trace did not walk once"
# when a signal first rises, by its full name, from the waveform as VCD text
fst2vcd "$work/walk.fst" > "$work/walk.vcd" 2>/dev/null || die "fst2vcd could not read $work/walk.fst"
rises() {
  awk -v want="$1" '
    /^\$scope/   { path = path (path == "" ? "" : ".") $3; next }
    /^\$upscope/ { sub(/\.?[^.]*$/, "", path); next }
    /^\$var/     { if (path "." $5 == want) id = $4; next }
    /^#/         { t = substr($0, 2); next }
    id != "" && $0 == "1" id { print t; found = 1; exit }
    END          { if (!found) exit 1 }' "$work/walk.vcd"
}
mmu=TOP.pg_system.u_mmu
t_req=$(rises $mmu.req_valid_i) || die "no request in the walk's waveform"
t_done=$(rises $mmu.u_walker.done_o) || die "no walk in the walk's waveform"
t_rsp=$(rises $mmu.rsp_valid_o) || die "no response in the walk's waveform"
# the window shows the whole run; markers at the load, the walk's end and the
# response (the marker's values are shown beside the signal names)
cat > "$work/walk.tcl" <<EOF
gtkwave::/Time/Zoom/Zoom_Best_Fit
gtkwave::setNamedMarker A $t_req "load issued"
gtkwave::setNamedMarker B $t_done "walk done"
gtkwave::setMarker $t_rsp
EOF
rm -f "$work/page_walk.png"
timeout 120 xvfb-run -a -s "-screen 0 1800x760x24" bash -c '
  gtkwave -S "$1" "$2" sim/waves/walk.gtkw > "$3" 2>&1 &
  gw=$!
  for i in $(seq 1 40); do   # wait for the window, then for it to draw
    sleep 0.5
    xwininfo -root -tree 2>/dev/null | grep -q "GTKWave - " && break
  done
  sleep 3
  import -window root "$4"
  kill $gw' _ "$work/walk.tcl" "$work/walk.fst" "$work/gtkwave.log" "$work/page_walk.png" ||
  die "the screenshot failed (see $work/gtkwave.log)"
[ -s "$work/page_walk.png" ] || die "no screenshot was written"
# a blank grab has only a handful of colours
colours=$(convert "$work/page_walk.png" -format %k info:)
[ "$colours" -gt 8 ] || die "the screenshot is blank ($colours colours)"
cp "$work/page_walk.png" "$out/page_walk.png"

echo "pictures: wrote $out/page_walk.png $out/tlb_misses.png $out/dram_utilization.png"
