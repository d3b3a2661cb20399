#!/usr/bin/env python3
"""One line per benchmark from ordo-one/benchmark's `--format markdown` output: its wall-clock
p50 and p99 with their unit and the number of samples (scripts/benchmark-run quotes these).

    python3 scripts/benchmark_summary.py suite.md
"""
import re
import sys


def summarise(lines):
    name = None
    rows = []
    for line in lines:
        heading = re.match(r"^### (.+)$", line)
        if heading:
            name = heading.group(1).strip()
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        # A metric row: "Time (wall clock) (μs) *", p0, p25, p50, p75, p90, p99, p100, samples.
        if name and len(cells) == 9 and cells[0].startswith("Time (wall clock)"):
            unit = re.search(r"\(([^()]*)\)\s*\*?\s*$", cells[0])
            rows.append((name, cells[3], cells[6], unit.group(1) if unit else "", cells[8]))
            name = None
    return rows


def main():
    if len(sys.argv) != 2:
        print("usage: benchmark_summary.py SUITE.md", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = summarise(f)
    if not rows:
        print(f"benchmark_summary.py: {sys.argv[1]}: no wall-clock rows found", file=sys.stderr)
        return 1
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'p50':>9}  {'p99':>9}  unit  samples")
    for name, p50, p99, unit, samples in rows:
        print(f"{name:<{width}}  {p50:>9}  {p99:>9}  {unit:<4}  {samples}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
