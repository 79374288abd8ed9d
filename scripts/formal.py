#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""formal.py — `make formal`: the RTL's assertions proved with Yosys.

Each job reads a block and its formal wrapper (formal/fv_*.sv: small
parameters, the caller's contract as assumptions, properties of its own)
with `read_verilog -formal`, then proves every assertion alone with Yosys's
SAT solver: bounded model checking from reset to DEPTH cycles, then
k-induction (`sat -tempinduct`) up to the same depth, reported as "proved"
when it closes. Each seeded bug of tests/mutation/formal.mutants (one RTL
line broken) must make its named property fail; the counterexample is
saved as build/formal/cex/PROPERTY.vcd for GTKWave.

An assertion is named by the macro on its source line (`ASSERT_IF(name, ...)
of rtl/pg_assert.svh); several from one line (a generate loop) are one
property.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

OUT = "build/formal"

# name: (top, files, depth[, flags]); flags: "bounded" (no induction),
# "manual" (run only when named: still too slow for the whole target),
# "init-def" (registers without reset start at arbitrary but defined values,
# as in silicon, instead of undefined ones: for blocks whose arrays are
# garbage until written and read only behind valid bits)
JOBS = {
    "cam": ("fv_cam", ["rtl/pagoda_pkg.sv", "rtl/pg_first_set.sv", "rtl/pg_plru.sv",
                       "rtl/pg_cam.sv", "formal/fv_cam.sv"], 10),
    "fifo": ("fv_fifo", ["rtl/pagoda_pkg.sv", "rtl/pg_fifo.sv", "formal/fv_fifo.sv"], 12),
    "mem_arb": ("fv_mem_arb", ["rtl/pagoda_pkg.sv", "rtl/pg_mem_arb.sv",
                               "formal/fv_mem_arb.sv"], 10),
    "l2_tlb": ("fv_l2_tlb", ["rtl/pagoda_pkg.sv", "rtl/pg_first_set.sv", "rtl/pg_plru.sv",
                             "rtl/pg_l2_tlb.sv", "formal/fv_l2_tlb.sv"], 8, "init-def"),
    "dram_ctrl": ("fv_dram_ctrl", ["rtl/pagoda_pkg.sv", "rtl/pg_first_set.sv", "rtl/pg_fifo.sv",
                                   "rtl/pg_dram_ctrl.sv", "formal/fv_dram_ctrl.sv"], 10, "bounded,init-def,manual"),
    # 12 cycles: walks from any level, a leaf's A/D write from level 3 down
    # (a walk from level 4 writing every A takes 14). Bounded only: its
    # induction does not close at this depth.
    "walker": ("fv_walker", ["rtl/pagoda_pkg.sv", "rtl/pg_walker.sv", "formal/fv_walker.sv"],
               12, "bounded"),
}

SAT_COMMON = "-prove-asserts -set-assumes -set-at 1 rst_ni 0 -set-def-inputs"
SAT_UNDEF = "-enable_undef -set-init-undef"
SAT_DEF = "-set-init-def"


def flags(job):
    return JOBS[job][3].split(",") if len(JOBS[job]) > 3 else []


def sat_opts(job):
    return SAT_COMMON + " " + (SAT_DEF if "init-def" in flags(job) else SAT_UNDEF)


def yosys(script, root="."):
    r = subprocess.run(["yosys", "-p", script], cwd=root, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def read_script(job):
    top, files = JOBS[job][:2]
    return ("read_verilog -formal -sv -Irtl %s; prep -flatten -top %s; memory_map; opt -fast; "
            "async2sync; dffunmap; delete t:$cover" % (" ".join(files), top))


def prop_name(root, src):
    """The macro's first argument on the line SRC (FILE:LINE) or above it."""
    path, line = src.split(":")
    lines = open(os.path.join(root, path)).read().split("\n")
    for k in range(int(line) - 1, max(int(line) - 6, -1), -1):
        m = re.search(r"`(ASSERT\w*|COVER)\((\w+)", lines[k])
        if m:
            return m.group(2)
    return "%s:%s" % (os.path.basename(path), line)


def properties(job, root="."):
    """[(name, src pattern)] of the job's assertions, one per source line."""
    rc, out = yosys(read_script(job) + "; select -list t:$assert", root)
    if rc:
        sys.exit("formal: %s: yosys failed:\n%s" % (job, out[-2000:]))
    seen = {}
    for m in re.finditer(r"\$assert\$([^$\s]+):(\d+)\$", out):
        src = "%s:%s" % (m.group(1), m.group(2))
        seen.setdefault(src, prop_name(root, src))
    return [(name, src) for src, name in seen.items()]


def prove(job, src, mode, root=".", vcd=None):
    """'pass' or 'fail' for the assertions of line SRC alone; mode bmc or ind."""
    depth = JOBS[job][2]
    keep = "select -set keep t:$assert a:src=*%s.* %%i; delete t:$assert @keep %%d" % src
    if mode == "bmc":
        sat = "sat -seq %d %s" % (depth, sat_opts(job))
    else:
        sat = "sat -tempinduct -maxsteps %d %s" % (depth, sat_opts(job))
    if vcd:
        sat += " -dump_vcd " + vcd
    rc, out = yosys(read_script(job) + "; " + keep + "; " + sat, root)
    if "SUCCESS!" in out or "Induction step proven: SUCCESS" in out:
        return "pass"
    if "model found: FAIL" in out or "FAIL!" in out or "failed" in out:
        return "fail"
    return "unknown: " + out[-300:].replace("\n", " ")


def main():
    """formal.py [JOB...]: every job (cam, fifo, mem_arb, l2_tlb, walker) or those named."""
    only = sys.argv[1:]
    for j in only:
        if j not in JOBS:
            sys.exit("formal: no job %s (jobs: %s)" % (j, ", ".join(JOBS)))
    os.makedirs(OUT + "/cex", exist_ok=True)
    failed = 0
    rows = []
    t_all = time.time()
    for job in JOBS:
        if (only and job not in only) or (not only and "manual" in flags(job)):
            continue
        for name, src in properties(job):
            t0 = time.time()
            bmc = prove(job, src, "bmc")
            ind = prove(job, src, "ind") if bmc == "pass" and "bounded" not in flags(job) else "-"
            secs = time.time() - t0
            verdict = "proved" if ind == "pass" else ("bounded" if bmc == "pass" else "FAILED")
            if bmc != "pass":
                failed += 1
            rows.append((job, name, JOBS[job][2], verdict, secs))
            print("  %-8s %-22s depth %-3d %-8s %5.1f s" % (job, name, JOBS[job][2], verdict, secs),
                  flush=True)
    # Seeded bugs: each must make its property fail.
    caught = missed = 0
    for line in open("tests/mutation/formal.mutants"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        path, frm, to, want = line.split("@@")
        job, prop = want.split(":")
        if only and job not in only:
            continue
        work = tempfile.mkdtemp()
        try:
            shutil.copytree("rtl", work + "/rtl")
            shutil.copytree("formal", work + "/formal")
            p = os.path.join(work, path)
            s = open(p).read()
            frm, to = frm.replace("\\n", "\n"), to.replace("\\n", "\n")
            if s.count(frm) != 1:
                print("  STALE    %s: %s" % (path, frm[:60]))
                missed += 1
                continue
            open(p, "w").write(s.replace(frm, to))
            srcs = [src for name, src in properties(job, work) if name == prop]
            vcd = os.path.abspath("%s/cex/%s.vcd" % (OUT, prop))
            got = [prove(job, src, "bmc", work, vcd) for src in srcs]
            if "fail" in got:
                print("  caught   %-22s by %s (counterexample %s)" % (frm.strip()[:40], prop,
                                                                     os.path.relpath(vcd)))
                caught += 1
            else:
                print("  MISSED   %s: %s (%s)" % (path, frm.strip()[:50], prop))
                missed += 1
        finally:
            shutil.rmtree(work)
    n = len(rows)
    proved = sum(1 for r in rows if r[3] == "proved")
    print("formal: %d properties, %d proved by induction, %d bounded, %d failed; "
          "seeded bugs %d caught, %d missed; %.0f s"
          % (n, proved, n - proved - failed, failed, caught, missed, time.time() - t_all))
    sys.exit(1 if failed or missed else 0)


if __name__ == "__main__":
    main()
