#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run_traces.sh PAGODA — end-to-end tests of the `pagoda` program:
#  - every sim/traces/*.trace must pass (exit 0), golden alone and in
#    lockstep through the whole system; random MMU traffic on both memories;
#  - the DRAM controller alone on sim/dram/mixed.trace (open and close page),
#    its command trace's layout, random controller traffic, and its bad input;
#  - every tests/traces/repro/*.trace (a bug once found) must pass in
#    lockstep through the whole system;
#  - every tests/traces/{fail,bad}/*.trace must exit with its `# expect-exit:`
#    code and print its `# expect-out:` (stdout) / `# expect-err:` (stderr);
#  - an unreadable file, a binary file and a missing argument are exit 2;
#  - a real program's lackey log (tests/traces/lackey/tiny.log) imported
#    with 4 KiB and 2 MiB pages runs clean on golden and RTL, with --report;
#    bad logs and arguments are exit 2;
#  - every C file is clang-formatted; rtl/pagoda.f names every RTL source;
#  - the committed example traces equal what scripts/gen_traces.c writes.
# Prints "N passed, M failed" last; exits 1 if anything failed.
set -uo pipefail
pagoda=${1:?usage: run_traces.sh PAGODA}
build=$(dirname "$pagoda")
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok()  { pass=$((pass + 1)); echo "  ok    $1"; }
bad() { fail=$((fail + 1)); echo "  FAIL  $1: $2"; }

# check NAME WANT_EXIT WANT_OUT WANT_ERR -- command...
check() {
  local name=$1 want=$2 want_out=$3 want_err=$4
  shift 5
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" != "$want" ]; then
    bad "$name" "exit $rc, want $want ($(head -c 300 "$tmp/err"))"
  elif [ -n "$want_out" ] && ! grep -qF -- "$want_out" "$tmp/out"; then
    bad "$name" "stdout lacks '$want_out'"
  elif [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$tmp/err"; then
    bad "$name" "stderr lacks '$want_err' (got: $(head -c 300 "$tmp/err"))"
  else
    ok "$name"
  fi
}

echo "traces: examples (must pass)"
for t in sim/traces/*.trace; do
  check "$t" 0 "PASS $t" "" -- "$pagoda" golden "$t" --log "$tmp/log.jsonl"
done

echo "traces: RTL and golden in lockstep (pagoda run)"
seed=1
for t in sim/traces/*.trace; do
  check "run $t" 0 "PASS $t" "" -- "$pagoda" run "$t" --seed "$seed"
  seed=$((seed + 1))
done

echo "random: RTL against golden (pagoda random)"
for seed in 1 2 3 4; do
  check "random --seed $seed --ops 3000" 0 "PASS random seed $seed" "" -- \
    "$pagoda" random --seed "$seed" --ops 3000
done
# Seeds 6 and 8 run a guest under EPT (EPT A/D on and off): VM switches,
# EPT edits, INVEPT and INVVPID.
for seed in 6 8; do
  check "random --seed $seed --ops 3000 (a guest under EPT)" 0 "a guest under EPT" "" -- \
    "$pagoda" random --seed "$seed" --ops 3000
  grep -q "^PASS random seed $seed" "$tmp/out" || bad "random --seed $seed (guest)" "no PASS line"
done
check "random: bad --mix" 2 "" "the kinds are mmu, iommu and dram" -- "$pagoda" random --mix mmu,disk
check "random --mem ideal" 0 "memory: ideal" "" -- "$pagoda" random --seed 5 --ops 1500 --mem ideal
check "run --mem ideal" 0 "PASS sim/traces/basics.trace" "" -- \
  "$pagoda" run sim/traces/basics.trace --mem ideal
check "run: bad --mem" 2 "" "--mem takes" -- "$pagoda" run sim/traces/basics.trace --mem sram

echo "dram: the controller alone (pagoda dram, pagoda random --mix dram)"
check "dram sim/dram/mixed.trace" 0 "bench timing_violations 0" "" -- \
  "$pagoda" dram sim/dram/mixed.trace --cmd-trace "$tmp/cmd.txt"
# The command trace: DRAMsim3's layout, one line per command, as many reads
# as the run checked.
reads=$(sed -n 's/^PASS: [0-9]* requests, \([0-9]*\) reads checked.*/\1/p' "$tmp/out")
if awk -v want="$reads" '
     NF != 8 || $2 !~ /^(activate|read|read_p|write|write_p|precharge|prechargeall|refresh)$/ ||
     $1 !~ /^[0-9]+$/ || $6 !~ /^[0-9a-f]+$/ || $7 !~ /^[0-9a-f]+$/ || $1 < last {bad = 1}
     {last = $1} $2 ~ /^read/ {n++}
     END {exit !(n == want && !bad && NR > 0)}' "$tmp/cmd.txt"; then
  ok "dram --cmd-trace: layout, order and read count ($reads)"
else
  bad "dram --cmd-trace" "malformed lines or $reads reads not all there"
fi
sed 's/^row_buf_policy = OPEN_PAGE/row_buf_policy = CLOSE_PAGE/; s/^; pagoda only.*/bank_xor_hash = true/' \
  sim/dram/ddr3_1600.ini > "$tmp/close.ini"
check "dram close page, bank hash" 0 "bench timing_violations 0" "" -- \
  "$pagoda" dram sim/dram/mixed.trace --config "$tmp/close.ini" --cmd-trace "$tmp/cmd2.txt"
if grep -q ' read_p ' "$tmp/cmd2.txt"; then ok "close page auto-precharges"; else bad "close page" "no read_p"; fi
# Close page with refreshes due while the queue is busy: the refresh's PREA
# must wait until every auto-precharge has begun (JEDEC; the device model
# calls the early one "auto-precharge pending"), and it does land on one.
sed 's/^row_buf_policy = OPEN_PAGE/row_buf_policy = CLOSE_PAGE/; s/^tREFI = 6240/tREFI = 300/' \
  sim/dram/ddr3_1600.ini > "$tmp/close300.ini"
check "dram close page, refresh after auto-precharge" 0 "bench timing_violations 0" "" -- \
  "$pagoda" dram sim/dram/close_refresh.trace --config "$tmp/close300.ini" --cmd-trace "$tmp/cmd3.txt"
# A PREA at the cycle a bank's auto-precharge begins (tRAS 28, tRTP 6,
# CWL + BL/2 + tWR = 24 in the default settings).
if awk '$2 == "activate" {act[$6] = $1}
        $2 == "read_p" || $2 == "write_p" {
          at = $1 + ($2 == "read_p" ? 6 : 24); if (act[$6] + 28 > at) at = act[$6] + 28; ap[$6] = at }
        $2 == "prechargeall" { for (b in ap) if (ap[b] == $1) found = 1 }
        END {exit !found}' "$tmp/cmd3.txt"; then
  ok "close page: a refresh's PREA waits for an auto-precharge to begin"
else
  bad "close page refresh" "no PREA at the start of an auto-precharge in the command trace"
fi
cycles_of() { awk '$1 == "bench" && $2 == "cycles" {print $3}' "$1"; }
sed 's/^scheduler = FRFCFS/scheduler = FCFS/' sim/dram/ddr3_1600.ini > "$tmp/fcfs.ini"
"$pagoda" dram sim/dram/mixed.trace > "$tmp/frfcfs.out" 2>&1
check "dram scheduler = FCFS (in-order baseline)" 0 "bench timing_violations 0" "" -- \
  "$pagoda" dram sim/dram/mixed.trace --config "$tmp/fcfs.ini"
fr=$(cycles_of "$tmp/frfcfs.out"); fc=$(cycles_of "$tmp/out")
if [ -n "$fr" ] && [ -n "$fc" ] && [ "$fr" -lt "$fc" ]; then
  ok "FR-FCFS takes fewer cycles than FCFS on mixed.trace ($fr against $fc)"
else
  bad "FR-FCFS against FCFS" "cycles '$fr' and '$fc'"
fi
check "run --config (close page, bank hash)" 0 "PASS sim/traces/processes.trace" "" -- \
  "$pagoda" run sim/traces/processes.trace --config "$tmp/close.ini"
check "run: --config with --mem ideal" 2 "" "no use with --mem ideal" -- \
  "$pagoda" run sim/traces/basics.trace --config "$tmp/close.ini" --mem ideal
for seed in 1 2; do
  check "random --mix dram --seed $seed" 0 "PASS random dram seed $seed" "" -- \
    "$pagoda" random --mix dram --seed "$seed" --ops 20000
done

echo "iommu: the directed IOMMU and DMA cases and random DMA traffic on the RTL in lockstep (pagoda random --mix iommu)"
check "random --mix iommu: directed" 0 "PASS iommu directed: 0 of" "" -- "$pagoda" random --mix iommu --seed 1 --ops 1500
cp "$tmp/out" "$tmp/iommu.out"
check "random --mix iommu: random traffic" 0 "PASS random iommu seed 1:" "" -- cat "$tmp/iommu.out"
echo "scenarios: the seed stories on the RTL in lockstep (pagoda scenario)"
check "scenario --list" 0 "processes" "" -- "$pagoda" scenario --list
for name in $("$pagoda" scenario --list | awk '{print $1}'); do
  check "scenario $name" 0 "PASS scenario $name" "" -- "$pagoda" scenario "$name"
done
check "scenario: unknown name" 2 "" "no scenario 'nosuch'" -- "$pagoda" scenario nosuch
check "scenario: missing name" 2 "" "missing NAME" -- "$pagoda" scenario
check "run sim/dma/dma.trace" 0 "PASS sim/dma/dma.trace" "" -- "$pagoda" run sim/dma/dma.trace
check "run sim/dma/cmd_during_dma.trace" 0 "PASS sim/dma/cmd_during_dma.trace" "" -- \
  "$pagoda" run sim/dma/cmd_during_dma.trace
printf '0x40 READ 5\n0x80 FETCH 6\n' > "$tmp/op.trace"
check "dram: bad operation" 2 "" "op.trace:2: 'FETCH': READ or WRITE expected" -- "$pagoda" dram "$tmp/op.trace"
printf '0x40 READ 5\n0x80 READ 4\n' > "$tmp/order.trace"
check "dram: cycles go back" 2 "" "order.trace:2: cycle 4 before" -- "$pagoda" dram "$tmp/order.trace"
printf '0x100000000 READ 5\n' > "$tmp/far.trace"
check "dram: address beyond the DRAM" 2 "" "far.trace:1: address 0x100000000 beyond" -- \
  "$pagoda" dram "$tmp/far.trace"
grep -v '^tRCD' sim/dram/ddr3_1600.ini > "$tmp/nokey.ini"
check "dram: missing .ini key" 2 "" "nokey.ini:15: missing key 'tRCD' in [timing]" -- \
  "$pagoda" dram sim/dram/mixed.trace --config "$tmp/nokey.ini"
sed 's/^tFAW = 24/tFAW = 24ns/' sim/dram/ddr3_1600.ini > "$tmp/badval.ini"
check "dram: malformed .ini value" 2 "" "key 'tFAW' in [timing]: malformed value '24ns'" -- \
  "$pagoda" dram sim/dram/mixed.trace --config "$tmp/badval.ini"
check "dram: missing TRACE" 2 "" "missing TRACE" -- "$pagoda" dram

echo "traces: reproducers of bugs found from outside (whole system, lockstep)"
seed=11
for t in tests/traces/repro/*.trace; do
  check "run $t" 0 "PASS $t" "" -- "$pagoda" run "$t" --seed "$seed"
  seed=$((seed + 1))
done

echo "traces: hostile tables and registers (whole system, lockstep)"
for t in tests/traces/hostile/*.trace; do
  check "run $t" 0 "PASS $t" "" -- "$pagoda" run "$t"
done

echo "traces: failing and bad input"
for t in tests/traces/fail/*.trace tests/traces/bad/*.trace; do
  want=$(sed -n 's/^# expect-exit: //p' "$t")
  want_out=$(sed -n 's/^# expect-out: //p' "$t")
  want_err=$(sed -n 's/^# expect-err: //p' "$t")
  check "$t" "$want" "$want_out" "$want_err" -- "$pagoda" golden "$t"
done

echo "traces: command line"
printf 'wait 1\n\x00\x01binary\n' >"$tmp/binary.trace"
check "binary file" 2 "" "binary.trace:2: binary data" -- "$pagoda" golden "$tmp/binary.trace"
check "unreadable file" 2 "" "cannot read" -- "$pagoda" golden "$tmp/does-not-exist.trace"
check "missing TRACE" 2 "" "missing TRACE" -- "$pagoda" golden
check "unknown option" 2 "" "unknown option '--fast'" -- "$pagoda" golden sim/traces/basics.trace --fast
check "unknown command" 2 "" "unknown command 'gold'" -- "$pagoda" gold
check "run: unknown option" 2 "" "unknown option '--fast'" -- "$pagoda" run sim/traces/basics.trace --fast
check "run: bad seed" 2 "" "--seed takes a number" -- "$pagoda" run sim/traces/basics.trace --seed x1
check "run: bad trace" 2 "" "unknown command 'lod'" -- "$pagoda" run tests/traces/bad/unknown_command.trace
check "run: failed expectation" 1 "FAILED expect.err" "" -- "$pagoda" run tests/traces/fail/wrong_err.trace
check "golden: no --wave" 2 "" "unknown option '--wave'" -- "$pagoda" golden sim/traces/basics.trace --wave x.fst
check "unwritable log" 2 "" "cannot write log" -- "$pagoda" golden sim/traces/basics.trace --log /nonexistent/x.jsonl

# The JSON log has one line per access with the keys of SPEC §7, and for
# an EPT exit its qualification, guest-linear and guest-physical address.
for t in basics vm_ept; do
"$pagoda" golden sim/traces/$t.trace --log "$tmp/$t.jsonl" >"$tmp/$t.out"
if python3 - "$tmp/$t.jsonl" "$tmp/$t.out" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
want = {"n", "op", "priv", "va", "pa", "data", "status", "err", "cycles"}
extra = {"ept": {"qual", "gla", "gpa"}, "eptmc": {"gpa"}}
assert lines, "empty log"
for i, rec in enumerate(lines, 1):
    assert set(rec) == want | extra.get(rec["status"], set()), f"line {i}: keys {sorted(rec)}"
    assert rec["n"] == i, f"line {i}: n={rec['n']}"
    assert rec["status"] in ("ok", "pf", "gp", "bus", "ept", "eptmc")
accesses = sum(1 for l in open(sys.argv[2]) if l[:6].strip().isdigit())
assert accesses == len(lines), f"{accesses} result lines, {len(lines)} log lines"
if "vm_ept" in sys.argv[1]:
    assert {r["status"] for r in lines} >= {"ok", "pf", "ept", "eptmc"}
PY
then ok "json log keys and count ($t)"; else bad "json log keys and count ($t)" "see above"; fi
done

echo "import: a valgrind lackey log, through the whole system"
lk=tests/traces/lackey/tiny.log
for pages in 4k 2m; do
  check "import lackey --pages $pages" 0 "-> $tmp/tiny_$pages.trace" "" -- \
    "$pagoda" import lackey "$lk" -o "$tmp/tiny_$pages.trace" --pages "$pages" --seed 3
  check "golden tiny ($pages) --report" 0 "PASS $tmp/tiny_$pages.trace" "" -- \
    "$pagoda" golden "$tmp/tiny_$pages.trace" --report "$tmp/tiny_${pages}_golden.json"
  check "run tiny ($pages) --report" 0 "--- report (rtl+golden) ---" "" -- \
    "$pagoda" run "$tmp/tiny_$pages.trace" --report "$tmp/tiny_$pages.json"
  grep -q "^PASS $tmp/tiny_$pages.trace" "$tmp/out" || bad "run tiny ($pages)" "no PASS line"
done
# The report's JSON: the same exact figures from golden and RTL, timed ones
# only from the RTL; 2 MiB pages walk less than 4 KiB pages.
if python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
r = {k: json.load(open(f"{d}/tiny_{k}.json")) for k in ("4k", "2m")}
g = {k: json.load(open(f"{d}/tiny_{k}_golden.json")) for k in ("4k", "2m")}
for k in r:
    for key in ("accesses", "loads", "stores", "fetches", "faulted", "itlb_misses_per_1k",
                "dtlb_misses_per_1k", "l2tlb_misses_per_1k", "walks_per_1k", "pwc_hit_rate", "faults"):
        assert r[k][key] == g[k][key], f"{k} {key}: rtl {r[k][key]} golden {g[k][key]}"
    assert g[k]["dram_row_hit_rate"] is None and g[k]["load_latency"] is None
    assert 0 < r[k]["dram_row_hit_rate"] <= 1 and 0 < r[k]["dram_utilization"] < 1
    assert 0 < r[k]["load_latency"]["n"] <= r[k]["loads"]  # faulted loads have none
    assert r[k]["faults"]["not_present"] == r[k]["faulted"] > 0
assert r["2m"]["walks_per_1k"] < r["4k"]["walks_per_1k"], "2 MiB pages should walk less"
assert r["2m"]["faulted"] < r["4k"]["faulted"]
PY
then ok "report JSON: golden and RTL agree; 2 MiB pages walk less"; else bad "report JSON" "see above"; fi
printf '==1== Lackey\nI  401000,4\n L 600000;8\n' >"$tmp/bad.log"
check "import: bad line" 2 "" "$tmp/bad.log:3: expected ','" -- \
  "$pagoda" import lackey "$tmp/bad.log" -o "$tmp/bad.trace"
if [ -e "$tmp/bad.trace" ] || [ -e "$tmp/bad.trace.tmp" ]; then
  bad "import: a bad log leaves no trace" "a trace was left behind"
else
  ok "import: a bad log leaves no trace"
fi
check "import: unknown format" 2 "" "the one format is lackey" -- "$pagoda" import cachegrind "$lk" -o "$tmp/x"
check "import: bad --pages" 2 "" "--pages takes 4k, 2m or mixed" -- \
  "$pagoda" import lackey "$lk" -o "$tmp/x" --pages 1g
check "import: missing -o" 2 "" "usage: pagoda import lackey" -- "$pagoda" import lackey "$lk"
check "import: unreadable log" 2 "" "cannot read" -- "$pagoda" import lackey /nonexistent.log -o "$tmp/x"

# Every C and C++ file is formatted as the repository's .clang-format says.
unformatted=$(git ls-files '*.c' '*.h' '*.cpp' 2>/dev/null | while read -r f; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
if [ -z "$unformatted" ]; then
  ok "clang-format: every C file as .clang-format says"
else
  bad "clang-format" "run 'clang-format -i' on: $(echo $unformatted)"
fi

# rtl/pagoda.f, the one file list, names every RTL source once.
# (A name listed twice makes the sorted lists differ too.)
in_order=$(sed -n 's|^\(rtl/[^ ]*\.sv\)$|\1|p' rtl/pagoda.f)
listed=$(sort <<<"$in_order")
if [ "$listed" = "$(ls rtl/*.sv | sort)" ]; then
  ok "rtl/pagoda.f lists every rtl/*.sv once"
else
  bad "rtl/pagoda.f" "differs from rtl/*.sv: $(diff <(echo "$listed") <(ls rtl/*.sv | sort) | tr '\n' ' ')"
fi

# pagoda.core's RTL fileset is the same list in the same order.
core_list=$(sed -n 's|^ *- \(rtl/[^ :]*\.sv\)$|\1|p' pagoda.core)
if [ "$core_list" = "$in_order" ]; then
  ok "pagoda.core lists rtl/pagoda.f's files in its order"
else
  bad "pagoda.core" "its RTL fileset differs from rtl/pagoda.f"
fi

# Every RTL mutant of make regress still applies: its original text occurs
# once in its file (a refactor that moves the text must move the mutant).
stale=$(python3 - <<'PY'
for line in open("tests/mutation/rtl.mutants"):
    line = line.rstrip("\n")
    if not line or line.startswith(("#", "@lint")):
        continue
    f, frm = line.split("@@")[:2]
    if open(f).read().count(frm.replace("\\n", "\n")) != 1:
        print("%s: %s" % (f, frm[:60]))
PY
)
if [ -z "$stale" ]; then
  ok "tests/mutation/rtl.mutants: every mutant applies to the tree"
else
  bad "tests/mutation/rtl.mutants" "stale: $stale"
fi

# The committed example traces are exactly what the generator writes.
mkdir -p "$tmp/gen"
"$build/gen_traces" "$tmp/gen"
if diff -r -q "$tmp/gen" sim/traces >/dev/null; then
  ok "sim/traces matches scripts/gen_traces.c"
else
  bad "sim/traces matches scripts/gen_traces.c" "run 'make traces-gen' and commit"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
