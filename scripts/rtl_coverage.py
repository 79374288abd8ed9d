#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""rtl_coverage.py MERGED.dat OUT_DIR — RTL coverage per module from Verilator's
coverage data (merged by verilator_coverage): line (statements and branches),
toggle, and every cover point with its count.

Writes OUT_DIR/summary.txt and OUT_DIR/cover_points.txt and prints the
summary. A point counts as covered when any instance of its module reached
it (points are keyed by source position, not by instance); cover points are
listed per instance, since each instance is a different use (the iTLB is not
the IOTLB)."""
import collections
import re
import sys


def records(path):
    """(fields, count) per 'C' line; fields are Verilator's key/value pairs."""
    with open(path, encoding="latin-1") as f:
        for line in f:
            m = re.match(r"C '(.*)' (\d+)$", line.rstrip("\n"))
            if not m:
                continue
            fields = {}
            for pair in m.group(1).split("\x01"):
                if "\x02" in pair:
                    k, v = pair.split("\x02", 1)
                    fields[k] = v
            yield fields, int(m.group(2))


def main():
    dat, out = sys.argv[1], sys.argv[2]
    # (module, kind) -> {point key: count summed over instances}
    points = collections.defaultdict(lambda: collections.defaultdict(int))
    covers = collections.defaultdict(int)  # (module, instance) -> count
    for fields, count in records(dat):
        page = fields.get("page", "")
        kind, _, module = page.partition("/")
        module = module.split("__")[0]
        kind = {"v_line": "line", "v_branch": "line", "v_toggle": "toggle",
                "v_user": "cover"}.get(kind)
        if not kind:
            continue
        key = (fields.get("f"), fields.get("l"), fields.get("n"), fields.get("o"))
        if kind == "cover":
            # The instance path ends with the cover point's name. The MMU and
            # the controller run alone and inside the system: one instance.
            inst = fields.get("h", fields.get("o", "?")).replace("TOP.", "", 1)
            inst = re.sub(r"^pg_system\.u_mmu\.", "pg_mmu.", inst)
            inst = re.sub(r"^pg_system\.u_dram\.", "pg_dram_ctrl.", inst)
            covers[(module, inst)] += count
        else:
            points[(module, kind)][key] += count
    covers = [(m, i, c) for (m, i), c in covers.items()]
    modules = sorted({m for m, _ in points} | {c[0] for c in covers})
    lines = ["%-14s %16s %18s %14s" % ("module", "line", "toggle", "cover points")]
    for m in modules:
        row = [m]
        for kind in ("line", "toggle"):
            p = points.get((m, kind), {})
            hit = sum(1 for c in p.values() if c)
            row.append("%5.1f%% (%d/%d)" % (100.0 * hit / len(p), hit, len(p)) if p else "-")
        cm = [c for c in covers if c[0] == m]
        row.append("%d/%d hit" % (sum(1 for c in cm if c[2]), len(cm)) if cm else "-")
        lines.append("%-14s %16s %18s %14s" % tuple(row))
    hit = sum(1 for c in covers if c[2])
    lines.append("cover points: %d of %d reached" % (hit, len(covers)))
    for c in covers:
        if not c[2]:
            lines.append("  never reached: %s (%s)" % (c[1], c[0]))
    summary = "\n".join(lines) + "\n"
    with open(out + "/summary.txt", "w") as f:
        f.write(summary)
    with open(out + "/cover_points.txt", "w") as f:
        for c in sorted(covers):
            f.write("%-14s %-60s %12d\n" % c)
    sys.stdout.write(summary)


if __name__ == "__main__":
    main()
