#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""formal.py — `make formal`: the RTL's assertions proved with Yosys and ABC.

Each job reads a block and its formal wrapper (formal/fv_*.sv: small
parameters, the caller's contract as assumptions, properties of its own)
with `read_verilog -formal`. Every assertion is proved alone: Yosys writes
the design with that one assertion as an AIGER model (assumptions as
constraints; registers without a reset value start at arbitrary values, as
in silicon), and ABC (yosys-abc, part of Debian's yosys) runs PDR (property
directed reachability: an unbounded proof, "proved") within a time limit;
where PDR does not finish, bounded model checking (bmc3) from reset to the
job's depth, or the property's own where its first possible failure lies
deeper (DEPTH_OF) ("bounded"). A job may set the wrapper's parameters (the
DRAM controller's liveness job shrinks its queue). Each seeded bug of
tests/mutation/formal.mutants (one RTL line broken) must make its named
property fail; ABC's counterexample, simulated by Yosys (`sim`), is saved as
build/formal/cex/PROPERTY.vcd for GTKWave.

Why not yosys-smtbmc: on this Debian, yosys-smtbmc with boolector 1.5.118
dies on a broken pipe at its first query, and with z3 does not finish step 0
of the 5-cycle FIFO job in 100 s; Yosys's own `sat` (the engine of earlier
versions of this script) needs over two minutes for 9 cycles of the DRAM
controller, where ABC's bmc3 checks 12 cycles in seconds and PDR proves
some properties outright.

An assertion is named by the macro on its source line (`ASSERT_IF(name, ...)
of rtl/pg_assert.svh); several from one line (a generate loop) are one
property.
"""
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

OUT = "build/formal"
PDR_SECONDS = 60  # per property; then bounded model checking to the depth
BMC_SECONDS = 600
WORKERS = max(1, min(2, os.cpu_count() or 1))  # properties proved side by side

# name: top (the wrapper), files, depth (the cycles from reset bounded model
# checking covers where PDR does not close); optional: own (the files whose
# assertions the job proves; default all), params (the wrapper's parameters
# set), only / skip (properties by name). The DRAM controller's jobs prove
# the wrapper's JEDEC rules (the controller's own assertions restate its
# timers and run in every simulation); the IOMMU's, the wrapper's and
# pg_iommu's own (its blocks' run in every simulation; the walker, the CAM
# and the FIFO have jobs of their own).
DRAM = ["rtl/pagoda_pkg.sv", "rtl/pg_first_set.sv", "rtl/pg_fifo.sv", "rtl/pg_dram_ctrl.sv",
        "formal/fv_dram_ctrl.sv"]
JOBS = {
    "cam": dict(top="fv_cam", depth=10,
                files=["rtl/pagoda_pkg.sv", "rtl/pg_first_set.sv", "rtl/pg_plru.sv",
                       "rtl/pg_cam.sv", "formal/fv_cam.sv"]),
    "fifo": dict(top="fv_fifo", depth=12,
                 files=["rtl/pagoda_pkg.sv", "rtl/pg_fifo.sv", "formal/fv_fifo.sv"]),
    "mem_arb": dict(top="fv_mem_arb", depth=10,
                    files=["rtl/pagoda_pkg.sv", "rtl/pg_mem_arb.sv", "formal/fv_mem_arb.sv"]),
    "l2_tlb": dict(top="fv_l2_tlb", depth=8,
                   files=["rtl/pagoda_pkg.sv", "rtl/pg_first_set.sv", "rtl/pg_plru.sv",
                          "rtl/pg_l2_tlb.sv", "formal/fv_l2_tlb.sv"]),
    # The JEDEC rules with a 4-deep queue; the refresh limit to its own depth.
    "dram_ctrl": dict(top="fv_dram_ctrl", depth=16, files=DRAM, own=["formal/fv_dram_ctrl.sv"],
                      skip=["read_answered", "refresh_limit"]),
    # Bounded liveness: a 2-deep queue that drains writes from the first
    # one, a short starvation cap, one postponed refresh in 32 cycles, so
    # that the worst wait fits the depth (and a starved read can meet a
    # stream of writes).
    "dram_live": dict(top="fv_dram_ctrl", depth=44, files=DRAM, own=["formal/fv_dram_ctrl.sv"],
                      only=["read_answered"],
                      params={"QDepth": 2, "Starve": 4, "MaxOwed": 1, "TREFI": 32, "WrHi": 1,
                              "WrLo": 0, "ReadBound": 40}),
    # The refresh limit: a drain (the activated requests' column commands,
    # PREA, REF) fits in tREFI here, as in every part.
    "dram_refresh": dict(top="fv_dram_ctrl", depth=56, files=DRAM, own=["formal/fv_dram_ctrl.sv"],
                         only=["refresh_limit"],
                         params={"QDepth": 2, "MaxOwed": 1, "TREFI": 24}),
    "iommu": dict(top="fv_iommu", depth=16, own=["formal/fv_iommu.sv", "rtl/pg_iommu.sv"],
                  files=["rtl/pagoda_pkg.sv", "rtl/pg_first_set.sv", "rtl/pg_plru.sv",
                         "rtl/pg_cam.sv", "rtl/pg_fifo.sv", "rtl/pg_walker.sv",
                         "rtl/pg_iommu_regs.sv", "rtl/pg_iommu_dtc.sv", "rtl/pg_iommu_flog.sv",
                         "rtl/pg_iommu_cmdq.sv", "rtl/pg_iommu.sv", "formal/fv_iommu.sv"]),
    "walker": dict(top="fv_walker", depth=12,
                   files=["rtl/pagoda_pkg.sv", "rtl/pg_walker.sv", "formal/fv_walker.sv"]),
    "ept_walker": dict(top="fv_ept_walker", depth=14,
                       files=["rtl/pagoda_pkg.sv", "rtl/pg_ept_walker.sv",
                              "formal/fv_ept_walker.sv"]),
}

# Properties whose first possible failure lies past the job's depth get
# their own: tRFC binds from the first REF, 12 cycles after reset (trfc is
# proved outright; the depth is for its seeded bug); a translate-mode walk
# that ends in a fault answers 20 cycles or more after reset.
DEPTH_OF = {("dram_ctrl", "trfc"): 24, ("iommu", "fault_no_dirty"): 24}


def depth_of(job, prop):
    return DEPTH_OF.get((job, prop), JOBS[job]["depth"])


def yosys(script, root="."):
    r = subprocess.run(["yosys", "-p", script], cwd=root, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def read_script(job):
    j = JOBS[job]
    chparam = "".join("chparam -set %s %d %s; " % (k, v, j["top"])
                      for k, v in j.get("params", {}).items())
    return ("read_verilog -formal -sv -Irtl %s; %sprep -flatten -top %s; memory_map; opt -fast; "
            "async2sync; dffunmap; delete t:$cover; opt_clean"
            % (" ".join(j["files"]), chparam, j["top"]))


def keep_only(src):
    """Yosys commands that drop every assertion but those of line SRC."""
    return "select -set keep t:$assert a:src=*%s.* %%i; delete t:$assert @keep %%d" % src


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
    j = JOBS[job]
    own = j.get("own")
    return [(name, src) for src, name in seen.items()
            if (own is None or src.split(":")[0] in own) and name not in j.get("skip", [])
            and ("only" not in j or name in j["only"])]


def write_aigs(job, srcs, out_dir, root="."):
    """One AIGER model per source line of SRCS, out_dir/K.aig, from one Yosys
    run: the design is mapped to gates once, then each model keeps one
    assertion and the logic it depends on."""
    os.makedirs(out_dir, exist_ok=True)
    script = (read_script(job) + "; chformal -assume -early; setundef -undriven -anyseq; "
              "opt -full; techmap; opt -fast; dffunmap; abc -g AND -fast; opt_clean; "
              "write_rtlil %s/gates.il; design -save base" % os.path.abspath(out_dir))
    for k, src in enumerate(srcs):
        script += ("; design -load base; %s; opt_clean; write_aiger -I -B -zinit -map %s/%d.aim %s/%d.aig"
                   % (keep_only(src), os.path.abspath(out_dir), k, os.path.abspath(out_dir), k))
    rc, out = yosys(script, root)
    if rc:
        sys.exit("formal: %s: yosys failed writing AIGER:\n%s" % (job, out[-2000:]))


def abc(aig, command, seconds):
    """ABC's verdict on the model AIG: ('pass', frames) proved or bounded to
    FRAMES cycles (None: unbounded), ('fail', frame) or ('unknown', 0). A
    counterexample is written next to the model (.aiw, AIGER witness)."""
    cex = aig[:-4] + ".aiw"
    script = "read_aiger %s; fold; strash; %s; write_cex -a %s" % (aig, command, cex)
    try:
        r = subprocess.run(["yosys-abc", "-c", script], capture_output=True, text=True,
                           timeout=seconds + 60)
        out = r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        return ("unknown", 0)
    m = re.search(r"was asserted in frame (\d+)", out)
    if m:
        return ("fail", int(m.group(1)))
    if "Property proved" in out:
        return ("pass", None)
    m = re.search(r"No output asserted in (\d+) frames", out)
    if m:
        return ("pass", int(m.group(1)))
    return ("unknown", 0)


def check(job, prop, aig):
    """'proved', 'bounded' (to the property's depth), ('FAILED', frame) or 'unknown'."""
    depth = depth_of(job, prop)
    verdict, frames = abc(aig, "pdr -T %d" % PDR_SECONDS, PDR_SECONDS)
    if verdict == "pass":
        return "proved", None
    if verdict == "fail":
        return "FAILED", frames
    verdict, frames = abc(aig, "bmc3 -F %d -T %d" % (depth, BMC_SECONDS), BMC_SECONDS)
    if verdict == "fail":
        return "FAILED", frames
    if verdict == "pass" and frames >= depth:
        return "bounded", None
    return "unknown", None


def replay(job, src, aig, root, vcd):
    """The counterexample ABC found for the model AIG, simulated by Yosys and
    saved as the VCD file VCD; whether the assertion of line SRC failed in
    it. First on the design before gate mapping (every signal by its name),
    else on the gates the model was written from (registers and ports)."""
    base = os.path.abspath(aig[:-4])
    sim = "sim -r %s.aiw -map %s.aim -clock clk_i -vcd %s" % (base, base, vcd)
    failed = re.compile(r"Assert \S+ \([^)]*%s\.[^)]*\) failed" % re.escape(src))
    rc, out = yosys(read_script(job) + "; chformal -assume -early; setundef -undriven -anyseq; " +
                    keep_only(src) + "; opt_clean; " + sim, root)
    if rc == 0 and failed.search(out):
        return True
    rc, out = yosys("read_rtlil %s/gates.il; %s" % (os.path.dirname(base), sim), root)
    return rc == 0 and failed.search(out) is not None


def seeded_one(path, frm, to, job, prop):
    """Whether the bug (FRM replaced by TO in PATH) makes PROP of JOB fail; a line."""
    work = tempfile.mkdtemp()
    try:
        shutil.copytree("rtl", work + "/rtl")
        shutil.copytree("formal", work + "/formal")
        p = os.path.join(work, path)
        s = open(p).read()
        if s.count(frm) != 1:
            return False, "  STALE    %s: %s" % (path, frm[:60])
        open(p, "w").write(s.replace(frm, to))
        srcs = [src for name, src in properties(job, work) if name == prop]
        write_aigs(job, srcs, work + "/aig", work)
        vcd = os.path.abspath("%s/cex/%s.vcd" % (OUT, prop))
        for k, src in enumerate(srcs):
            aig = "%s/aig/%d.aig" % (work, k)
            verdict, frame = abc(aig, "bmc3 -F %d -T %d" % (depth_of(job, prop), BMC_SECONDS),
                                 BMC_SECONDS)
            if verdict != "fail":
                verdict, frame = abc(aig, "pdr -T %d" % PDR_SECONDS, PDR_SECONDS)
            if verdict == "fail":
                saved = replay(job, src, aig, work, vcd)
                return True, "  caught   %-40s by %s at cycle %d (%s)" % (
                    frm.strip()[:40], prop, frame + 1,
                    os.path.relpath(vcd) if saved else "no VCD: the replay did not fail")
        return False, "  MISSED   %s: %s (%s)" % (path, frm.strip()[:50], prop)
    finally:
        shutil.rmtree(work)


def seeded(only):
    """Each seeded bug must make its property fail: (caught, missed)."""
    bugs = []
    for line in open("tests/mutation/formal.mutants"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        path, frm, to, want = line.split("@@")
        job, prop = want.split(":")
        if not only or job in only:
            bugs.append((path, frm.replace("\\n", "\n"), to.replace("\\n", "\n"), job, prop))
    caught = missed = 0
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        for ok, text in pool.map(lambda b: seeded_one(*b), bugs):
            print(text, flush=True)
            caught += ok
            missed += not ok
    return caught, missed


def main():
    """formal.py [JOB...]: every job or those named."""
    only = sys.argv[1:]
    for j in only:
        if j not in JOBS:
            sys.exit("formal: no job %s (jobs: %s)" % (j, ", ".join(JOBS)))
    os.makedirs(OUT + "/cex", exist_ok=True)
    failed = 0
    rows = []
    t_all = time.time()
    for job in JOBS:
        if only and job not in only:
            continue
        props = properties(job)
        aig_dir = "%s/aig/%s" % (OUT, job)
        shutil.rmtree(aig_dir, ignore_errors=True)
        write_aigs(job, [src for name, src in props], aig_dir)
        def one(k):
            t0 = time.time()
            return check(job, props[k][0], "%s/%d.aig" % (aig_dir, k)) + (time.time() - t0,)
        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            results = pool.map(one, range(len(props)))
            for (name, src), (verdict, frame, secs) in zip(props, results):
                if verdict not in ("proved", "bounded"):
                    failed += 1
                    if frame is not None:
                        vcd = os.path.abspath("%s/cex/%s.vcd" % (OUT, name))
                        replay(job, src, "%s/%d.aig" % (aig_dir, props.index((name, src))), ".",
                               vcd)
                        verdict = "FAILED at cycle %d (%s)" % (frame + 1, os.path.relpath(vcd))
                depth = "-" if verdict == "proved" else str(depth_of(job, name))
                rows.append((job, name, verdict))
                print("  %-9s %-22s %-8s depth %-3s %6.1f s" % (job, name, verdict, depth, secs),
                      flush=True)
    caught, missed = seeded(only)
    n = len(rows)
    proved = sum(1 for r in rows if r[2] == "proved")
    bounded = sum(1 for r in rows if r[2] == "bounded")
    print("formal: %d properties, %d proved, %d bounded, %d failed; "
          "seeded bugs %d caught, %d missed; %.0f s"
          % (n, proved, bounded, failed, caught, missed, time.time() - t_all))
    sys.exit(1 if failed or missed else 0)


if __name__ == "__main__":
    main()
