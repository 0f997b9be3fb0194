#!/usr/bin/env python3
"""Run a command N times as a whole process and report medians as one JSON line.

    measure.py --runs 10 --warmup 2 --label NAME [--size-of FILE] [--expect REGEX]
               [--idle-wait SECONDS] [--max-other-cpu SECONDS] [--meta KEY=VALUE ...]
               [--out FILE.jsonl] -- CMD ARGS...
    measure.py --rows ROWS.json --runs 10 --warmup 2 [--idle-wait S] [--max-other-cpu S]

With --rows, several commands are measured interleaved (one run of each per round, the order
reversed every other round) and each row's JSON line goes to stdout and to the row's own "out".

Per run: wall time (time.perf_counter around spawn .. reap), CPU user+sys and peak RSS of the
child alone (os.wait4's rusage, so neither this harness nor other processes are counted).
Warm-up runs (page cache, JIT-less first start) are executed and checked but not recorded.
A run that exits non-zero, or whose stdout does not match --expect, aborts the measurement:
a fast failure must never pass for a fast start.

On a shared 2-core machine one concurrent build doubles a cold start's wall time, so
--idle-wait S makes each run wait (up to S seconds) until the CPUs are idle (< 10 % busy over
0.2 s); the row records how many runs still started on a busy machine (busy_starts).
Each run also records the CPU time everything else used while it ran (other_cpu_s, from
/proc/stat minus the child's own); --max-other-cpu S repeats a run (up to 5 times) when others
took more than S CPU-seconds, and the row counts those repeats (repeated_runs).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone


IDLE_BELOW = 0.10


MAX_REPEATS = 5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ticks():
    """(total, idle) ticks of all CPUs from /proc/stat; iowait counts as idle."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return sum(fields), fields[3] + fields[4]


def cpu_busy_fraction(interval=0.2):
    """Share of all CPUs' time spent busy over `interval`."""
    total0, idle0 = cpu_ticks()
    time.sleep(interval)
    total1, idle1 = cpu_ticks()
    return 1.0 - (idle1 - idle0) / max(1, total1 - total0)


def wait_for_idle(max_wait):
    """Wait until the machine is idle or max_wait passes; returns the last busy fraction seen."""
    deadline = time.monotonic() + max_wait
    while True:
        busy = cpu_busy_fraction()
        if busy < IDLE_BELOW or time.monotonic() >= deadline:
            return busy


def run_once(cmd, out_file, err_file, env=None):
    out_file.seek(0)
    out_file.truncate()
    err_file.seek(0)
    err_file.truncate()
    total0, idle0 = cpu_ticks()
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out_file, stderr=err_file,
                             env=None if env is None else dict(os.environ, **env))
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    total1, idle1 = cpu_ticks()
    machine_busy_s = ((total1 - total0) - (idle1 - idle0)) / CLOCK_TICKS
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    out_file.seek(0)
    err_file.seek(0)
    return {
        "exit": child.returncode,
        "wall_s": wall,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mib": usage.ru_maxrss / 1024.0,  # Linux reports KiB
        # Tick resolution (10 ms) makes this approximate; it can even dip slightly below zero.
        "other_cpu_s": max(0.0, machine_busy_s - usage.ru_utime - usage.ru_stime),
        "stdout": out_file.read().decode(errors="replace"),
        "stderr": err_file.read().decode(errors="replace"),
    }


def check(sample, expect, label, index):
    problem = None
    if sample["exit"] != 0:
        problem = "exit status %d" % sample["exit"]
    elif expect is not None and not re.search(expect, sample["stdout"]):
        problem = "stdout does not match %r" % expect.pattern
    if problem:
        sys.exit("measure.py: %s: run %s failed: %s\n--- stdout\n%s\n--- stderr (tail)\n%s"
                 % (label, index, problem, sample["stdout"][-2000:], sample["stderr"][-2000:]))


def emit(row, out):
    """Prints one result as a JSON line, and appends it to the file `out` when given."""
    line = json.dumps(row)
    print(line, flush=True)
    if out:
        with open(out, "a") as f:
            f.write(line + "\n")


def parse_meta(pairs):
    meta = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            sys.exit("measure.py: --meta wants KEY=VALUE, got %r" % pair)
        meta[key] = value
    return meta


class Row:
    """One command to measure, with its label, check and the fields its JSON line carries."""

    def __init__(self, label, cmd, expect=None, size_of=None, meta=None, out=None, env=None):
        self.label = label
        self.env = env
        self.cmd = cmd
        self.expect = re.compile(expect) if isinstance(expect, str) else expect
        self.size_of = size_of
        self.meta = meta or {}
        self.out = out
        self.samples = []
        self.repeats = 0
        self.load_before = None


def measure(rows, runs, warmup, idle_wait, max_other_cpu):
    """Measures every row `runs` times after `warmup` unrecorded runs each.

    With several rows the runs are interleaved, round after round, the order reversed every
    other round (A B C, C B A, ...): a machine that slows down for a while then slows every row
    alike instead of whichever row happened to be measured then, so the ratios between rows stay
    honest. Returns the rows' JSON dicts in the rows' order.
    """
    load_before = os.getloadavg()[0]
    for row in rows:
        row.load_before = load_before
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        for row in rows:
            for i in range(warmup):
                check(run_once(row.cmd, out_file, err_file, row.env), row.expect, row.label,
                      "warm-up %d" % (i + 1))
        for i in range(runs):
            for row in (rows if i % 2 == 0 else rows[::-1]):
                for attempt in range(MAX_REPEATS + 1):
                    busy = wait_for_idle(idle_wait) if idle_wait > 0 else None
                    sample = run_once(row.cmd, out_file, err_file, row.env)
                    sample["busy_before"] = busy
                    check(sample, row.expect, row.label, i + 1)
                    contended = max_other_cpu is not None and sample["other_cpu_s"] > max_other_cpu
                    if not contended or attempt == MAX_REPEATS:
                        break
                    row.repeats += 1
                row.samples.append(sample)
    load_after = os.getloadavg()[0]
    interleaved = len(rows) > 1
    return [summary(row, runs, warmup, idle_wait, max_other_cpu, load_after, interleaved) for row in rows]


def summary(row, runs, warmup, idle_wait, max_other_cpu, load_after, interleaved):
    samples = row.samples

    def series(key, digits):
        return [round(s[key], digits) for s in samples]

    def median(key, digits):
        return round(statistics.median(s[key] for s in samples), digits)

    result = {
        "label": row.label,
        "runs": runs,
        "warmup": warmup,
        "wall_median_s": median("wall_s", 4),
        "cpu_median_s": median("cpu_s", 3),
        "rss_median_mib": median("rss_mib", 1),
        "user_median_s": median("user_s", 3),
        "sys_median_s": median("sys_s", 3),
        "wall_min_s": round(min(s["wall_s"] for s in samples), 4),
        "wall_max_s": round(max(s["wall_s"] for s in samples), 4),
        "rss_max_mib": round(max(s["rss_mib"] for s in samples), 1),
    }
    if row.size_of:
        result["size_bytes"] = os.path.getsize(row.size_of)
    result.update({
        "wall_s": series("wall_s", 4),
        "cpu_s": series("cpu_s", 3),
        "rss_mib": series("rss_mib", 1),
        "cmd": row.cmd,
        "other_cpu_median_s": median("other_cpu_s", 3),
        "other_cpu_max_s": round(max(s["other_cpu_s"] for s in samples), 3),
        "repeated_runs": row.repeats if max_other_cpu is not None else None,
        "busy_starts": None if idle_wait <= 0 else sum(s["busy_before"] >= IDLE_BELOW for s in samples),
        "load1_before": round(row.load_before, 2),
        "load1_after": round(load_after, 2),
        "cpus": os.cpu_count(),
        "interleaved": interleaved,
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    result.update(row.meta)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--label")
    parser.add_argument("--rows", metavar="FILE.json",
                        help="measure these rows interleaved instead of one command: a JSON list of "
                             "{label, cmd, expect?, size_of?, meta?, out?, env?} (env: variables set for that row)")
    parser.add_argument("--size-of", metavar="FILE", help="record this file's size (the deployable jar)")
    parser.add_argument("--expect", type=re.compile, help="regex every run's stdout must match")
    parser.add_argument("--idle-wait", type=float, default=0.0, metavar="SECONDS",
                        help="before each run wait up to SECONDS for idle CPUs (0: don't)")
    parser.add_argument("--max-other-cpu", type=float, default=None, metavar="SECONDS",
                        help="repeat a run (up to %d times) if other processes used more CPU than this" % MAX_REPEATS)
    parser.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE", help="extra field for the row")
    parser.add_argument("--out", help="also append the JSON line to this file")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if args.runs < 1:
        parser.error("need --runs >= 1")
    if args.rows:
        with open(args.rows) as f:
            rows = [Row(r["label"], r["cmd"], r.get("expect"), r.get("size_of"), r.get("meta"), r.get("out"),
                        r.get("env")) for r in json.load(f)]
    elif cmd and args.label:
        rows = [Row(args.label, cmd, args.expect, args.size_of, parse_meta(args.meta), args.out)]
    else:
        parser.error("need --label and a command after --, or --rows")

    for row, result in zip(rows, measure(rows, args.runs, args.warmup, args.idle_wait, args.max_other_cpu)):
        emit(result, row.out)


if __name__ == "__main__":
    main()
