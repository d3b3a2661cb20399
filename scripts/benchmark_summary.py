#!/usr/bin/env python3
"""One line per benchmark and metric from ordo-one/benchmark's `--format markdown` output: the
wall clock and any custom metric (plays/s, a stage's time), p50 and p99 with the unit and the
number of samples; allocation counts are left out (scripts/benchmark-run quotes these). For a
metric where larger is better ordo-one reports percentiles of the worst side, so p99 is then
the slowest 1%.

    python3 scripts/benchmark_summary.py suite.md
"""
import re
import sys


def summarise(lines):
    name = None
    rows = []
    seen_header = False
    for line in lines:
        heading = re.match(r"^### (.+)$", line)
        if heading:
            name = heading.group(1).strip()
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        # A metric row: "Time (wall clock) (μs) *", p0, p25, p50, p75, p90, p99, p100, samples.
        if not name or len(cells) != 9 or cells[0] in ("Metric", "") or cells[0].startswith(":"):
            continue
        if cells[0].startswith("Malloc") or cells[0].startswith("Memory"):
            continue
        metric = re.sub(r"\s*\*\s*$", "", cells[0])
        unit = re.search(r"\(([^()]*)\)$", metric)
        label = metric[: unit.start()].strip() if unit else metric
        label = "time" if label == "Time (wall clock)" else label
        rows.append((name, label, cells[3], cells[6], unit.group(1) if unit else "", cells[8]))
    return rows


def main():
    if len(sys.argv) != 2:
        print("usage: benchmark_summary.py SUITE.md", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = summarise(f)
    if not rows:
        print(f"benchmark_summary.py: {sys.argv[1]}: no metric rows found", file=sys.stderr)
        return 1
    width = max(len(r[0]) for r in rows)
    mwidth = max(len(r[1]) for r in rows)
    print(f"{'benchmark':<{width}}  {'metric':<{mwidth}}  {'p50':>9}  {'p99':>9}  unit  samples")
    for name, metric, p50, p99, unit, samples in rows:
        print(f"{name:<{width}}  {metric:<{mwidth}}  {p50:>9}  {p99:>9}  {unit:<4}  {samples}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
