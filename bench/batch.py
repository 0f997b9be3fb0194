#!/usr/bin/env python3
"""Batch throughput: one invocation cancelling N jobs against the IoT emulator's 5 calls/s quota.

    batch.py --label NAME --event EVENT.json [--runs 3] [--qps 5] [--burst 5] [--out FILE.jsonl]
             [--emulator-jar target/ota-cancel.jar] [--meta K=V ...] -- CMD ARGS...

Each run starts a fresh emulator (`java -jar ota-cancel.jar emulator --port 0`: new state, full
token bucket), points the command at it with IOT_ENDPOINT and the emulator's demo AccessKey, runs
the command once as a whole process (EVENT is appended as its last argument) and stops the
emulator. Recorded per run: wall time (spawn..reap, JVM start included), the exit status, jobs
succeeded/failed and attempts as the command reports them, and the calls the emulator answered
(its stderr has one line per call; throttled ones name Throttling.User).

Understood outputs: ota-cancel's answer (one JSON object: a job's result, or {"Success",
"Results": [...]} with "Attempts" per job), or one JSON line per job (bench/baseline-sdk's batch
mode: {"JobId", "Success", "Code", ...}, one attempt each: sdk-core's default is no retry).

Quota bounds for N jobs at Q calls/s with a bucket of B: nominal N/Q (the issue's "~10 s" for
50 at 5/s); with the burst, the first B calls are free and the rest come one per 1/Q s, so no
client can finish before (N - B)/Q (9 s for 50 at 5/s).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone

from measure import emit, parse_meta

DEMO_KEY_ID = "LTAIdemoEmulatorKey"
DEMO_KEY_SECRET = "emulator-demo-secret"
ENDPOINT_LINE = re.compile(r"IoT emulator at (http://\S+/)")


class Emulator:
    """`java -jar JAR emulator --port 0` in the background; its stderr lines are kept."""

    def __init__(self, java, jar):
        self.lines = []
        self.process = subprocess.Popen([java, "-jar", jar, "emulator", "--port", "0"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.endpoint = None
        ready = threading.Event()

        def pump():
            for line in self.process.stderr:
                self.lines.append(line.rstrip("\n"))
                match = ENDPOINT_LINE.search(line)
                if match and self.endpoint is None:
                    self.endpoint = match.group(1)
                    ready.set()
            ready.set()

        self.reader = threading.Thread(target=pump, daemon=True)
        self.reader.start()
        if not ready.wait(30) or self.endpoint is None:
            self.stop()
            sys.exit("batch.py: the emulator did not start:\n" + "\n".join(self.lines[-20:]))

    def calls(self):
        """(answered, throttled) calls so far, from the emulator's one line per call."""
        calls = [l for l in self.lines if l.startswith("emulator: ")]
        return len(calls), sum("Throttling" in l for l in calls)

    def stop(self):
        self.process.terminate()  # the emulator's shutdown hook closes it cleanly
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(5)


def parse_results(stdout):
    """Per-job dicts from either output shape."""
    text = stdout.strip()
    try:
        answer = json.loads(text)
        if isinstance(answer, dict):
            return answer.get("Results", [answer])
    except ValueError:
        pass
    jobs = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            jobs.append(json.loads(line))
    return jobs


def run_once(cmd, event, java, jar):
    emulator = Emulator(java, jar)
    env = dict(os.environ, IOT_ENDPOINT=emulator.endpoint, ALIBABA_CLOUD_ACCESS_KEY_ID=DEMO_KEY_ID,
               ALIBABA_CLOUD_ACCESS_KEY_SECRET=DEMO_KEY_SECRET)
    env.pop("ALIBABA_CLOUD_SECURITY_TOKEN", None)
    try:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            child = subprocess.Popen(cmd + [event], stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode(errors="replace")
            stderr = err.read().decode(errors="replace")
        time.sleep(0.2)  # let the emulator's last log line arrive
        answered, throttled = emulator.calls()
    finally:
        emulator.stop()
    jobs = parse_results(stdout)
    codes = {}
    for job in jobs:
        if not job.get("Success"):
            code = job.get("Code") or "?"
            codes[code] = codes.get(code, 0) + 1
    return {
        "exit": child.returncode,
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "rss_mib": round(usage.ru_maxrss / 1024.0, 1),
        "jobs": len(jobs),
        "succeeded": sum(1 for job in jobs if job.get("Success")),
        "failed": sum(1 for job in jobs if not job.get("Success")),
        "attempts": sum(int(job.get("Attempts", 1)) for job in jobs),
        "failed_codes": codes,
        "emulator_calls": answered,
        "emulator_throttled": throttled,
        "stderr_tail": stderr[-300:] if not jobs else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", required=True)
    parser.add_argument("--event", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--qps", type=float, default=5.0, help="the emulator's quota (calls/s)")
    parser.add_argument("--burst", type=int, default=5, help="the emulator's bucket size")
    parser.add_argument("--java", default="java", help="JVM for the emulator")
    parser.add_argument("--emulator-jar", default="target/ota-cancel.jar")
    parser.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--out")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("need a command after --")
    with open(args.event) as f:
        event = json.load(f)
    n = len(event.get("JobIds") or event.get("Jobs") or [event.get("JobId")])

    runs = [run_once(cmd, args.event, args.java, args.emulator_jar) for _ in range(args.runs)]
    nominal = n / args.qps
    burst_bound = max(0, n - args.burst) / args.qps
    median_wall = statistics.median(r["wall_s"] for r in runs)
    row = {
        "label": args.label,
        "jobs": n,
        "runs": args.runs,
        "wall_median_s": round(median_wall, 3),
        "wall_s": [r["wall_s"] for r in runs],
        "succeeded": [r["succeeded"] for r in runs],
        "failed": [r["failed"] for r in runs],
        "attempts": [r["attempts"] for r in runs],
        "emulator_calls": [r["emulator_calls"] for r in runs],
        "emulator_throttled": [r["emulator_throttled"] for r in runs],
        "exit": [r["exit"] for r in runs],
        "failed_codes": [r["failed_codes"] for r in runs],
        "cpu_s": [r["cpu_s"] for r in runs],
        "rss_mib": [r["rss_mib"] for r in runs],
        "qps": args.qps,
        "burst": args.burst,
        "bound_nominal_s": round(nominal, 3),
        "bound_burst_s": round(burst_bound, 3),
        "cmd": cmd + [args.event],
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    row.update(parse_meta(args.meta))
    for r in runs:
        if r["stderr_tail"]:
            row.setdefault("stderr_tail", r["stderr_tail"])
    emit(row, args.out)


if __name__ == "__main__":
    main()
