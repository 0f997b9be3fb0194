#!/usr/bin/env python3
"""Render measure.py's JSON lines as a Markdown table, with ratios against two reference rows.

    render.py [--base sdk] [--floor floor] [--title TEXT] FILE.jsonl ... > RESULTS.md

A label measured more than once keeps its last row. Ratios are row / reference, so "0.50×"
under "vs sdk" means half the SDK's figure. "Above floor" subtracts the floor row: what the
function itself costs beyond starting a JVM and parsing the event with Jackson.
"""
import argparse
import json
import sys


def load_rows(paths):
    rows = {}
    for path in paths:
        with (sys.stdin if path == "-" else open(path)) as lines:
            for line in lines:
                if line.strip():
                    row = json.loads(line)
                    rows.pop(row["label"], None)  # re-insert: keeps the last row, in last-measured order
                    rows[row["label"]] = row
    return rows


def ratio(value, reference):
    if value is None or not reference:
        return "–"
    return "%.2f×" % (value / reference)


def number(value, fmt):
    return "–" if value is None else fmt % value


def table(rows, base_label="sdk", floor_label="floor", title="Cold start: whole process, medians"):
    """The Markdown table (a list of lines) of `rows` ({label: row}), with ratios against the
    rows labelled base_label and floor_label (left blank when those rows are absent)."""
    base = rows.get(base_label, {})
    floor = rows.get(floor_label, {})

    def size_mb(row):
        return row["size_bytes"] / 1e6 if "size_bytes" in row else None

    out = ["## " + title, ""] if title else []
    out.append("| Row | Wall (s) | CPU user+sys (s) | Peak RSS (MiB) | Jar (MB) "
               "| Wall vs %s | CPU vs %s | RSS vs %s | Jar vs %s "
               "| Wall vs %s | CPU vs %s | RSS vs %s | Wall above %s (ms) | CPU above %s (ms) |"
               % ((base_label,) * 4 + (floor_label,) * 5))
    out.append("|---|" + "---:|" * 13)
    for label, row in rows.items():
        wall, cpu, rss = row["wall_median_s"], row["cpu_median_s"], row["rss_median_mib"]
        cells = [
            "`%s`" % label,
            number(wall, "%.3f"), number(cpu, "%.3f"), number(rss, "%.1f"), number(size_mb(row), "%.1f"),
            ratio(wall, base.get("wall_median_s")), ratio(cpu, base.get("cpu_median_s")),
            ratio(rss, base.get("rss_median_mib")), ratio(size_mb(row), size_mb(base) if base else None),
            ratio(wall, floor.get("wall_median_s")), ratio(cpu, floor.get("cpu_median_s")),
            ratio(rss, floor.get("rss_median_mib")),
            number(None if not floor else (wall - floor["wall_median_s"]) * 1000, "%.0f"),
            number(None if not floor else (cpu - floor["cpu_median_s"]) * 1000, "%.0f"),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out


def notes(rows):
    """One line per row: runs, wall range, contention seen, conditions, the command."""
    out = []
    for label, row in rows.items():
        parts = ["%d runs after %d warm-ups" % (row["runs"], row["warmup"]),
                 "wall %.3f–%.3f s" % (row["wall_min_s"], row["wall_max_s"]),
                 "peak RSS ≤ %.1f MiB" % row["rss_max_mib"]]
        if row.get("busy_starts") is not None:
            parts.append("%d busy starts" % row["busy_starts"])
        if row.get("repeated_runs") is not None:
            parts.append("%d contended runs repeated" % row["repeated_runs"])
        if "other_cpu_max_s" in row:
            parts.append("others' CPU during a run ≤ %.2f s" % row["other_cpu_max_s"])
        parts.append("load1 %.2f→%.2f" % (row["load1_before"], row["load1_after"]))
        parts.append(row["measured_at"])
        extra = [k for k in row if k not in KNOWN_FIELDS]
        parts += ["%s: %s" % (k, row[k]) for k in extra]
        out.append("- `%s`: %s; `%s`" % (label, "; ".join(parts), " ".join(row["cmd"])))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="sdk", help="label of the baseline row (default sdk)")
    parser.add_argument("--floor", default="floor", help="label of the floor row (default floor)")
    parser.add_argument("--title", default="Cold start: whole process, medians")
    parser.add_argument("files", nargs="*", default=["-"])
    args = parser.parse_args()
    rows = load_rows(args.files)
    if not rows:
        sys.exit("render.py: no rows")
    out = table(rows, args.base, args.floor, args.title)
    out += ["", "Per row: runs after warm-ups, wall range, contention seen, conditions.", ""]
    out += notes(rows)
    print("\n".join(out))


KNOWN_FIELDS = {
    "label", "runs", "warmup", "wall_median_s", "cpu_median_s", "rss_median_mib", "user_median_s", "sys_median_s",
    "wall_min_s", "wall_max_s", "rss_max_mib", "size_bytes", "wall_s", "cpu_s", "rss_mib", "cmd", "busy_starts",
    "load1_before", "load1_after", "cpus", "measured_at", "other_cpu_median_s", "other_cpu_max_s", "repeated_runs",
}

if __name__ == "__main__":
    main()
