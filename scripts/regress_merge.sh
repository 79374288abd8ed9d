#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# regress_merge.sh [--shard-only] DIR [RESULTS...] — adds up the units of a
# regression (scripts/regress.sh), from one shard or from all of them:
# writes a JUnit XML report (CI systems read it: one testsuite per section,
# one testcase per seed, a failure with the log's first complaints), prints
# the totals, and checks the minimum work of the whole regression:
# 10,000,000 CPU accesses (at least half through the whole system),
# 1,000,000 DMA pieces, 10,000,000 DRAM controller cycles, and no failure.
# RESULTS default to every DIR/shard-*.txt. --shard-only writes the shard's
# JUnit report (DIR/junit-I-of-N.xml) and checks nothing but failures.
set -uo pipefail
only=0
if [ "${1:-}" = "--shard-only" ]; then only=1; shift; fi
dir=${1:?usage: regress_merge.sh [--shard-only] DIR [RESULTS...]}
shift
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$dir"/shard-*.txt)
if [ $only -eq 1 ]; then
  junit=$dir/junit-$(basename "${files[0]}" .txt | sed 's/^shard-//').xml
else
  junit=$dir/junit.xml
fi

python3 - "$dir" "$junit" "$only" "${files[@]}" <<'PY'
import collections, html, re, sys
d, junit, only, files = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4:]
units = []
for f in files:
    for line in open(f):
        p = line.split()
        if len(p) >= 5:
            units.append((p[0], int(p[1]), int(p[2]), int(p[3]), [int(x) if x.isdigit() else x for x in p[4:]]))
by = collections.defaultdict(list)
for u in units:
    by[u[0]].append(u)

def complaints(section, seed):
    try:
        lines = open("%s/logs/%s-%d.log" % (d, section, seed), errors="replace").read().splitlines()
    except OSError:
        return "log missing"
    hits = [l for l in lines if re.search(r"MISMATCH|FAIL|violation|ASSERTION|Assertion", l)]
    return "\n".join((hits or lines[-5:])[:5])

with open(junit, "w") as j:
    fails = sum(1 for u in units if u[2] != 0)
    j.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    j.write('<testsuites name="pagoda regress" tests="%d" failures="%d">\n' % (len(units), fails))
    for section in sorted(by):
        us = sorted(by[section], key=lambda u: u[1])
        f = sum(1 for u in us if u[2] != 0)
        j.write('  <testsuite name="%s" tests="%d" failures="%d" time="%d">\n'
                % (section, len(us), f, sum(u[3] for u in us)))
        for u in us:
            j.write('    <testcase classname="regress.%s" name="seed %d" time="%d">' % (section, u[1], u[3]))
            if u[2] != 0:
                j.write('<failure message="exit %d">%s</failure>' % (u[2], html.escape(complaints(section, u[1]))))
            j.write('</testcase>\n')
        j.write('  </testsuite>\n')
    j.write('</testsuites>\n')

acc = sum(u[4][0] for u in by["mmu"])
acc_sys = sum(u[4][0] for u in by["mmu"] if len(u[4]) > 1 and u[4][1] == "D")
pieces = sum(u[4][0] for u in by["iommu"])
beside = sum(u[4][1] for u in by["iommu"] if len(u[4]) > 1)
cycles = sum(u[4][0] for u in by["dram"])
fails = [u for u in units if u[2] != 0]
print("regress: %d units, %d failed; %d CPU accesses (%d through the whole system), "
      "%d DMA pieces beside %d CPU loads, %d DRAM controller cycles; %d s of CPU time"
      % (len(units), len(fails), acc, acc_sys, pieces, beside, cycles, sum(u[3] for u in units)))
print("regress: JUnit report %s" % junit)
short = []
if not only:
    if acc < 10_000_000: short.append("fewer than 10,000,000 CPU accesses")
    if 2 * acc_sys < acc: short.append("less than half of the CPU accesses through the whole system")
    if pieces < 1_000_000: short.append("fewer than 1,000,000 DMA pieces")
    if cycles < 10_000_000: short.append("fewer than 10,000,000 DRAM controller cycles")
for s in short:
    print("regress: " + s, file=sys.stderr)
sys.exit(1 if fails or short else 0)
PY
