#!/usr/bin/env python3
"""Where a cold start goes: a class-load timeline of one whole-process run, grouped by subsystem.

    breakdown.py --label NAME [--runs 5] [--out FILE.jsonl] -- java [FLAGS] -jar JAR ARGS...

Runs the command with `-Xlog:startuptime` and `-Xlog:class+load` (uptime-stamped, to files) added
after `java`, and reads the timelines:

- `jvm_boot_ms`: JVM start to "Create VM" done (heap, CDS mapping, java.lang initialisation);
- `to_main_ms`: from then to the first class of the jar being loaded by the launcher (the jar
  opened, the manifest read: what every `java -jar` pays);
- per group, the time up to each class load after that, charged to the group of the class loaded
  (approximate: the gap before a class's load line holds its parsing and verification, but also
  whatever ran in between); `classes` and `from_cds` per group;
- `after_last_class_ms`: the last class load to process exit (the rest of the work, output, exit);
- `wall_ms`: the whole process, as measure.py times it (perf_counter around spawn..reap).

Medians over the runs (after one warm-up). Logging itself adds a little to every figure.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

from measure import emit, parse_meta

# First match wins: (group, package prefixes).
GROUPS = [
    ("ota-cancel classes", ("io.otacancel.",)),
    ("jackson (JSON)", ("com.fasterxml.jackson.",)),
    ("platform libraries (aws/fc/crac/codec)", ("com.amazonaws.", "com.aliyun.fc.", "org.crac.",
                                                "org.apache.commons.codec.")),
    ("SDK / HTTP libraries", ("com.aliyuncs.", "com.aliyun.", "org.apache.http", "okhttp3.", "okio.",
                              "com.google.gson.", "org.slf4j.", "javax.xml.bind", "com.sun.xml.bind",
                              "org.jacoco", "org.ini4j", "io.opentracing", "org.bouncycastle.", "kotlin.",
                              "com.aliyun.tea", "org.apache.commons.logging")),
    ("HTTP client, sockets (JDK)", ("sun.net.", "java.net.", "sun.nio.ch.", "jdk.net.", "javax.net.",
                                    "sun.security.ssl.", "jdk.internal.net.")),
    ("security providers, SecureRandom, digests (JDK)", ("java.security.", "sun.security.", "javax.crypto.",
                                                         "com.sun.crypto.", "javax.security.")),
    ("method handles, lambdas, VarHandles (JDK)", ("java.lang.invoke.", "java.lang.constant.", "jdk.internal.vm.",
                                                   "sun.invoke.")),
    ("JDK logging", ("jdk.internal.logger.", "sun.util.logging.", "java.util.logging.", "jdk.internal.event.")),
    ("other JDK classes (collections, I/O, reflection, ...)", ("",)),
]
LOAD_LINE = re.compile(r"^\[(\d+)ns\]\S*\s+(\S+)\s+source:\s*(.*)$")
CREATE_VM = re.compile(r"^\[(\d+)ns\].*Create VM")


def group_of(name):
    for group, prefixes in GROUPS:
        if name.startswith(prefixes):
            return group
    return GROUPS[-1][0]


def run_once(cmd, workdir):
    classes = os.path.join(workdir, "classes.log")
    startup = os.path.join(workdir, "startup.log")
    for path in (classes, startup):
        if os.path.exists(path):
            os.remove(path)
    full = [cmd[0], "-Xlog:class+load=info:file=%s:uptimenanos" % classes,
            "-Xlog:startuptime=info:file=%s:uptimenanos" % startup] + cmd[1:]
    start = time.perf_counter()
    child = subprocess.run(full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit("breakdown.py: exit status %d\n%s" % (child.returncode, child.stderr.decode()[-2000:]))
    create_vm = None
    with open(startup) as f:
        for line in f:
            m = CREATE_VM.match(line)
            if m:
                create_vm = int(m.group(1)) / 1e9
    loads = []
    with open(classes) as f:
        for line in f:
            m = LOAD_LINE.match(line.strip())
            if m:
                loads.append((int(m.group(1)) / 1e9, m.group(2), m.group(3)))
    # The first class the launcher loads from the jar (the main class).
    first_app = next(i for i, (_, name, _) in enumerate(loads)
                     if not name.startswith(("java.", "jdk.", "sun.", "javax.", "com.sun.")))
    groups = {g: {"ms": 0.0, "classes": 0, "from_cds": 0} for g, _ in GROUPS}
    previous = loads[first_app][0]
    for at, name, source in loads[first_app:]:
        g = groups[group_of(name)]
        g["ms"] += (at - previous) * 1000
        g["classes"] += 1
        g["from_cds"] += "shared objects file" in source
        previous = at
    return {
        "wall_ms": wall * 1000,
        "jvm_boot_ms": (create_vm or 0) * 1000,
        "to_main_ms": (loads[first_app][0] - (create_vm or 0)) * 1000,
        "after_last_class_ms": wall * 1000 - loads[-1][0] * 1000,
        "classes_total": len(loads),
        "classes_before_main": first_app,
        "classes_from_cds": sum("shared objects file" in s for _, _, s in loads),
        "groups": groups,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--out")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("need a java command after --")
    with tempfile.TemporaryDirectory() as workdir:
        run_once(cmd, workdir)  # warm-up: page cache
        samples = [run_once(cmd, workdir) for _ in range(args.runs)]

    def med(values):
        return round(statistics.median(values), 1)

    row = {"label": args.label, "runs": args.runs}
    for key in ("wall_ms", "jvm_boot_ms", "to_main_ms", "after_last_class_ms", "classes_total",
                "classes_before_main", "classes_from_cds"):
        row[key] = med([s[key] for s in samples])
    row["groups"] = {
        g: {"ms": med([s["groups"][g]["ms"] for s in samples]),
            "classes": int(med([s["groups"][g]["classes"] for s in samples])),
            "from_cds": int(med([s["groups"][g]["from_cds"] for s in samples]))}
        for g, _ in GROUPS}
    row["cmd"] = cmd
    row["measured_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    row.update(parse_meta(args.meta))
    emit(row, args.out)


if __name__ == "__main__":
    main()
