#!/usr/bin/env python3
"""Write bench/RESULTS.md from bench/results/* (what bench/run.sh measured), targets computed.

    report.py [--results bench/results] [--template-flags F] [--recommended-flags F] > RESULTS.md
    report.py --env [--java java] > bench/results/env.json    (the machine and JVM, at measuring time)

Every verdict in the "Targets" section is computed here from the measured rows; nothing is typed in.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render  # noqa: E402  (same directory)

# The targets.
COLD_WALL_VS_SDK = 0.45
COLD_WALL_VS_FLOOR = 1.0
COLD_CPU_VS_SDK = 0.4
COLD_RSS_MIB = 56.0
JAR_MB = 3.0  # decimal megabytes: 3,000,000 bytes
BATCH_VS_BOUND = 1.05

FLAGSETS = [("default", "default flags (none)"), ("template", "template flags"),
            ("recommended", "recommended flags")]


def env_info(java):
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stderr.strip() or \
                subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.SubprocessError) as e:
            return "unavailable (%s)" % e

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kib = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kib = int(f.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    mvn = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in
           subprocess.run(["mvn", "-v", "-B"], capture_output=True, text=True).stdout.splitlines()]
    return {
        "java": run([java, "-version"]).splitlines(),
        "maven": mvn[0] if mvn else "?",
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def load_jsonl(path):
    rows = {}
    if os.path.exists(path):
        rows = render.load_rows([path])
    return rows


def fmt_ratio(value):
    return "–" if value is None else "%.2f×" % value


def verdict(ok):
    return "✅ met" if ok else "❌ missed"


def cold_figures(rows, ours="ota-cancel"):
    """Ratios for the ota-cancel row against sdk and floor of the same table."""
    o, s, f = rows.get(ours), rows.get("sdk"), rows.get("floor")
    if not (o and s and f):
        return None
    return {
        "wall_vs_sdk": o["wall_median_s"] / s["wall_median_s"],
        "wall_vs_floor": o["wall_median_s"] / f["wall_median_s"],
        "cpu_vs_sdk": o["cpu_median_s"] / s["cpu_median_s"],
        "rss_max": o["rss_max_mib"],
        "rss_median": o["rss_median_mib"],
        "wall": o["wall_median_s"],
        "size_bytes": o.get("size_bytes"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", default="bench/results")
    parser.add_argument("--java", default="java")
    parser.add_argument("--env", action="store_true", help="print the machine/JVM JSON and stop")
    parser.add_argument("--template-flags", default="")
    parser.add_argument("--recommended-flags", default="")
    args = parser.parse_args()
    if args.env:
        print(json.dumps(env_info(args.java), indent=1))
        return

    res = args.results
    cold = {name: load_jsonl(os.path.join(res, "cold-%s.jsonl" % name)) for name, _ in FLAGSETS}
    cds = load_jsonl(os.path.join(res, "cold-appcds.jsonl"))
    sweep = load_jsonl(os.path.join(res, "sweep.jsonl"))
    https = load_jsonl(os.path.join(res, "cold-https.jsonl"))
    batch = load_jsonl(os.path.join(res, "batch.jsonl"))
    jmh = []
    if os.path.exists(os.path.join(res, "jmh.json")):
        with open(os.path.join(res, "jmh.json")) as f:
            jmh = json.load(f)
    env = {}
    if os.path.exists(os.path.join(res, "env.json")):
        with open(os.path.join(res, "env.json")) as f:
            env = json.load(f)
    jmh_args = ""
    if os.path.exists(os.path.join(res, "jmh.args")):
        with open(os.path.join(res, "jmh.args")) as f:
            jmh_args = f.read().strip()

    if "recommended" not in cold or not cold["recommended"]:
        # recommended == template: the template table stands for both
        cold["recommended"] = cold.get("template", {})

    # AppCDS table: ota-cancel+appcds and sdk+appcds (each trained with the recommended flags, or
    # with none), next to floor/sdk/tea measured with the same base flags and no archive.
    cds_tables = {}
    for base in ("default", "recommended"):
        rows = {}
        for label in ("floor", "sdk", "tea", "ota-cancel"):
            if label in cold.get(base, {}):
                rows[label] = cold[base][label]
        for line in _rows_of(os.path.join(res, "cold-appcds.jsonl")):
            if line.get("flagset") == base + "+appcds":
                rows[line["label"]] = line
        if any(k.endswith("+appcds") for k in rows):
            cds_tables[base] = rows

    out = ["# ota-cancel benchmark results", ""]
    out.append("Written by `bench/report.py` from `bench/results/*` as measured by `bench/run.sh`; "
               "every verdict below is computed from those files. Compare rows within this file only: "
               "they were measured in one go on one machine.")
    out.append("")

    # ---------------------------------------------------------------- targets
    out += ["## Targets", ""]
    figs = {name: cold_figures(cold.get(name, {})) for name, _ in FLAGSETS}
    cds_rows = cds_tables.get("recommended", {})
    figs["appcds"] = cold_figures(cds_rows, "ota-cancel+appcds") if cds_rows else None
    columns = [("default", "default flags"), ("template", "template flags"),
               ("recommended", "recommended flags"), ("appcds", "recommended + AppCDS")]
    out.append("The verdict is taken with the JVM's default flags (no `JAVA_TOOL_OPTIONS`), as the issue "
               "states the targets; the other columns are the same figures with the flag sets below "
               "(every row of a table, baselines included, ran with that table's flags; the AppCDS column "
               "compares ota-cancel with its archive against floor and sdk with the same flags and no archive).")
    out.append("")
    out.append("| Target | Threshold | Verdict (default flags) | " + " | ".join(c[1] for c in columns) + " |")
    out.append("|---|---|---|" + "---:|" * len(columns))

    def target_row(name, threshold, key, limit, fmt):
        cells = []
        for col, _ in columns:
            f = figs.get(col)
            cells.append("–" if not f else "%s %s" % (fmt(f[key]), "✅" if f[key] <= limit else "❌"))
        d = figs.get("default")
        out.append("| %s | %s | %s | %s |" % (name, threshold, "–" if not d else verdict(d[key] <= limit),
                                               " | ".join(cells)))
        return d is not None and d[key] <= limit

    checks = []
    checks.append(target_row("Cold wall vs the official SDK (median)", "≤ %.2f×" % COLD_WALL_VS_SDK,
                             "wall_vs_sdk", COLD_WALL_VS_SDK, fmt_ratio))
    checks.append(target_row("Cold wall vs the floor (median)", "≤ %.2f×" % COLD_WALL_VS_FLOOR,
                             "wall_vs_floor", COLD_WALL_VS_FLOOR, fmt_ratio))
    checks.append(target_row("Cold CPU (user+sys) vs the SDK (median)", "≤ %.2f×" % COLD_CPU_VS_SDK,
                             "cpu_vs_sdk", COLD_CPU_VS_SDK, fmt_ratio))
    checks.append(target_row("Cold peak RSS (largest of the runs)", "≤ %.0f MiB" % COLD_RSS_MIB,
                             "rss_max", COLD_RSS_MIB, lambda v: "%.1f MiB" % v))
    d = figs.get("default")
    if d and d.get("size_bytes"):
        size_mb = d["size_bytes"] / 1e6
        out.append("| Deployable jar `target/ota-cancel.jar` | ≤ %.1f MB (%d bytes) | %s | %.2f MB (%d bytes) | | | |"
                   % (JAR_MB, JAR_MB * 1e6, verdict(size_mb <= JAR_MB), size_mb, d["size_bytes"]))
    # batch
    ours_b, sdk_b = batch.get("ota-cancel"), batch.get("sdk")
    if ours_b:
        worst = max(ours_b["wall_s"])
        ok = worst <= BATCH_VS_BOUND * ours_b["bound_nominal_s"] and max(ours_b["failed"]) == 0
        out.append("| Batch: %d jobs at %g calls/s, no job failed | ≤ %.2f × %.1f s = %.2f s | %s | "
                   "slowest of %d runs %.2f s (%.3f× nominal, %.3f× burst bound %.1f s), failed %s | | | |"
                   % (ours_b["jobs"], ours_b["qps"], BATCH_VS_BOUND, ours_b["bound_nominal_s"],
                      BATCH_VS_BOUND * ours_b["bound_nominal_s"], verdict(ok), ours_b["runs"], worst,
                      worst / ours_b["bound_nominal_s"], worst / ours_b["bound_burst_s"],
                      ours_b["bound_burst_s"], "/".join(str(x) for x in ours_b["failed"])))
    pairs = jmh_pairs(jmh)
    if pairs:
        out.append("| Warm overhead vs the SDK's same path (JMH) | reported | %s | | | |"
                   % "; ".join("%s %.2f×" % (name, r["ratio"]) for name, r in pairs.items()))
    out.append("")
    hf = cold_figures(https)
    if hf:
        hr = cold_figures({"sdk": https.get("sdk (recommended)"), "floor": https.get("floor"),
                           "ota-cancel": https.get("ota-cancel (recommended)")})
        ha = cold_figures({"sdk": https.get("sdk (recommended)"), "floor": https.get("floor"),
                           "ota-cancel": https.get("ota-cancel+appcds (recommended)")})
        out.append("For information, not the issue's wording (its targets are for a loopback endpoint): the same "
                   "cold-start figures against a **TLS** loopback stub, as a real call to "
                   "`https://iot.<region>.aliyuncs.com` needs (see \"Cold start over HTTPS\" below).")
        out.append("")
        out.append("| Over HTTPS | Threshold | default flags | recommended flags | recommended + AppCDS (trained over HTTPS) |")
        out.append("|---|---|---:|---:|---:|")
        for name, threshold, key, limit, fmt in [
                ("Cold wall vs the SDK", "≤ %.2f×" % COLD_WALL_VS_SDK, "wall_vs_sdk", COLD_WALL_VS_SDK, fmt_ratio),
                ("Cold wall vs the floor", "≤ %.2f×" % COLD_WALL_VS_FLOOR, "wall_vs_floor", COLD_WALL_VS_FLOOR, fmt_ratio),
                ("Cold CPU vs the SDK", "≤ %.2f×" % COLD_CPU_VS_SDK, "cpu_vs_sdk", COLD_CPU_VS_SDK, fmt_ratio),
                ("Cold peak RSS (largest run)", "≤ %.0f MiB" % COLD_RSS_MIB, "rss_max", COLD_RSS_MIB,
                 lambda v: "%.1f MiB" % v)]:
            out.append("| %s | %s | %s |" % (name, threshold, " | ".join(
                "–" if not f else "%s %s" % (fmt(f[key]), "✅" if f[key] <= limit else "❌") for f in (hf, hr, ha))))
        out.append("")
        out.append("(The floor row does no network call, so \"vs the floor\" over HTTPS compares ota-cancel's TLS "
                   "call with a JVM that only parses the event; the recommended columns compare with sdk under the "
                   "same flags.)")
        out.append("")

    # ---------------------------------------------------------------- recommended flags
    rec = cold.get("recommended", {})
    out += ["## JVM flags", ""]
    out.append("- Template flags (`template.yaml` / `s.yaml` `JAVA_TOOL_OPTIONS`): `%s`" % (args.template_flags or "–"))
    out.append("- Recommended flags (measured below, `RECOMMENDED_FLAGS` of run.sh): `%s`" % (args.recommended_flags or "–"))
    if sweep:
        base = sweep.get("default")
        out += ["", "### Flag sweep: ota-cancel alone, one row per candidate", ""]
        out.append("| Flags | Wall (s) | CPU (s) | Peak RSS median / max (MiB) | Wall vs no flags | CPU vs no flags | RSS vs no flags |")
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for label, row in sweep.items():
            out.append("| `%s`: `%s` | %.3f | %.3f | %.1f / %.1f | %s | %s | %s |" % (
                label, row.get("java_opts") or "(none)", row["wall_median_s"], row["cpu_median_s"],
                row["rss_median_mib"], row["rss_max_mib"],
                fmt_ratio(row["wall_median_s"] / base["wall_median_s"]) if base else "–",
                fmt_ratio(row["cpu_median_s"] / base["cpu_median_s"]) if base else "–",
                fmt_ratio(row["rss_median_mib"] / base["rss_median_mib"]) if base else "–"))
        out.append("")
        out.append("Each sweep row: %d runs after the warm-ups, all rows measured interleaved (one run of each "
                   "per round) against the same stub; differences under ~10 ms are within the noise of this "
                   "shared 2-core machine."
                   % next(iter(sweep.values()))["runs"])
    out.append("")

    # ---------------------------------------------------------------- cold tables
    titles = {"default": "Cold start, default flags (none)",
              "template": "Cold start, template flags `%s`%s" % (
                  args.template_flags, " (= recommended)" if args.template_flags == args.recommended_flags else ""),
              "recommended": "Cold start, recommended flags `%s`" % args.recommended_flags}
    shown = set()
    for name, _ in FLAGSETS:
        rows = cold.get(name)
        if not rows or id(rows) in shown:
            continue
        shown.add(id(rows))
        out += render.table(rows, "sdk", "floor", titles[name] + " — whole process, medians")
        out.append("")
    for base, rows in cds_tables.items():
        flags = args.recommended_flags if base == "recommended" else "none"
        out += render.table(rows, "sdk", "floor",
                            "Cold start with an AppCDS archive (base flags: %s) — whole process, medians" % flags)
        out.append("")
        out.append("`floor`, `sdk`, `tea`, `ota-cancel` here are the rows of the %s table (no archive); "
                   "`*+appcds` ran with `-XX:SharedArchiveFile=` of an archive written by one training run "
                   "of the same jar and event (`-XX:ArchiveClassesAtExit=`), checked to be in use."
                   % ("template (= recommended)" if base == "recommended" and cold.get("recommended") is cold.get("template")
                      else base))
        out.append("")

    if https:
        out += render.table(https, "sdk", "floor",
                            "Cold start over HTTPS (loopback TLS stub) — whole process, medians")
        out.append("")
        out.append("Every row here calls `https://127.0.0.1:PORT/` (the stub with `--tls-cert`, an RSA-2048 "
                   "certificate for 127.0.0.1) with a trust store made of the JDK's own `cacerts` plus that "
                   "certificate (`-Djavax.net.ssl.trustStore=`), so start-up parses as many roots as a real "
                   "client; `ota-cancel (1-cert trust store)` trusts that certificate alone, to show what parsing "
                   "`cacerts` costs. `floor` makes no call. Rows measured interleaved like the loopback tables; "
                   "the AppCDS archive was trained over HTTPS.")
        out.append("")

    # ---------------------------------------------------------------- breakdown
    breakdown = _rows_of(os.path.join(res, "breakdown.jsonl"))
    if breakdown:
        out += ["## Where the cold start goes (class-load timeline, medians of %d runs)" % breakdown[0]["runs"], ""]
        out.append("| Phase | " + " | ".join("`%s`" % r["label"] for r in breakdown) + " |")
        out.append("|---|" + "---:|" * len(breakdown))

        def line(name, cell):
            out.append("| %s | %s |" % (name, " | ".join(cell(r) for r in breakdown)))

        line("JVM boot (`Create VM`: heap, CDS mapping, java.lang init)", lambda r: "%.0f ms" % r["jvm_boot_ms"])
        line("launcher: jar opened, main class loaded", lambda r: "%.0f ms" % r["to_main_ms"])
        for group in breakdown[0]["groups"]:
            line(group, lambda r, g=group: "%.0f ms (%d cl., %d CDS)" % (
                r["groups"][g]["ms"], r["groups"][g]["classes"], r["groups"][g]["from_cds"]))
        line("last class load → process exit (work after it, output, JVM exit)",
             lambda r: "%.0f ms" % r["after_last_class_ms"])
        line("**whole process (with logging on)**", lambda r: "**%.0f ms**" % r["wall_ms"])
        line("classes loaded: total / from CDS / before main", lambda r: "%d / %d / %d" % (
            r["classes_total"], r["classes_from_cds"], r["classes_before_main"]))
        out.append("")
        out.append("From `bench/breakdown.py`: the run is repeated with `-Xlog:class+load` and `-Xlog:startuptime` "
                   "(nanosecond uptime); after the main class, the time up to each class load is charged to the "
                   "group of the class loaded (its parsing and verification, plus whatever code ran since the "
                   "previous load), so a group's figure is approximate but its order of magnitude is not. "
                   "\"cl.\" = classes loaded in the group, \"CDS\" = of which mapped from a CDS archive "
                   "(the JDK's or the AppCDS one) instead of parsed and verified.")
        out.append("")

    # ---------------------------------------------------------------- batch
    if batch:
        out += ["## Batch: 50 jobs in one invocation against the emulator's 5 calls/s", ""]
        out.append("| Row | Runs | Wall median (s) | Wall per run (s) | vs nominal bound | vs burst bound | "
                   "Jobs succeeded / failed (per run) | Attempts | Emulator calls (throttled) | Failure codes | Exit |")
        out.append("|---|---:|---:|---|---:|---:|---|---|---|---|---|")
        for label, row in batch.items():
            codes = {}
            for c in row["failed_codes"]:
                for k, v in c.items():
                    codes[k] = codes.get(k, 0) + v
            out.append("| `%s` | %d | %.2f | %s | %.3f× | %.3f× | %s | %s | %s | %s | %s |" % (
                label, row["runs"], row["wall_median_s"], ", ".join("%.2f" % w for w in row["wall_s"]),
                row["wall_median_s"] / row["bound_nominal_s"], row["wall_median_s"] / row["bound_burst_s"],
                ", ".join("%d / %d" % (s, f) for s, f in zip(row["succeeded"], row["failed"])),
                ", ".join(str(a) for a in row["attempts"]),
                ", ".join("%d (%d)" % (c, t) for c, t in zip(row["emulator_calls"], row["emulator_throttled"])),
                ", ".join("%s ×%d" % kv for kv in sorted(codes.items())) or "–",
                ", ".join(str(e) for e in row["exit"])))
        any_row = next(iter(batch.values()))
        out.append("")
        out.append("Bounds for %d jobs at %g calls/s: nominal %d / %g = **%.1f s** (the issue's bound); the "
                   "emulator's token bucket holds %d calls, so the first %d may go at once and the other %d "
                   "need %d / %g = **%.1f s** at least (burst bound): no client can finish sooner. Wall is the "
                   "whole process (JVM start included), spawn to exit. Each run has a fresh emulator "
                   "(`java -jar target/ota-cancel.jar emulator --port 0`), demo AccessKey, event "
                   "`bench/events/cancel-50-demo.json` (`demo-job-1`..`demo-job-50`, `CancelQueuedTask`). "
                   "`sdk` is bench/baseline-sdk's plain loop with sdk-core's defaults (no retry policy), so a "
                   "throttled call is a failed job."
                   % (any_row["jobs"], any_row["qps"], any_row["jobs"], any_row["qps"], any_row["bound_nominal_s"],
                      any_row["burst"], any_row["burst"], any_row["jobs"] - any_row["burst"],
                      any_row["jobs"] - any_row["burst"], any_row["qps"], any_row["bound_burst_s"]))
        out.append("")

    # ---------------------------------------------------------------- jmh
    if jmh:
        out += ["## Warm invocation overhead (JMH, no network)", ""]
        out.append("| Benchmark | Mode | Score (µs/op) | Error (99.9 %) | Allocated (B/op) |")
        out.append("|---|---|---:|---:|---:|")
        for b in jmh:
            pm = b["primaryMetric"]
            alloc = alloc_norm(b)
            error = pm["scoreError"]
            out.append("| `%s` | %s | %.2f | %s | %s |" % (
                short(b["benchmark"]), b["mode"], pm["score"],
                "± %.2f" % error if isinstance(error, (int, float)) else "–",
                "–" if alloc is None else "%.0f" % alloc))
        out.append("")
        out.append("| Path | ota-cancel (µs/op) | SDK (µs/op) | ota-cancel / SDK | Allocation ota-cancel / SDK |")
        out.append("|---|---:|---:|---:|---:|")
        for name, r in pairs.items():
            out.append("| `%s` | %.2f | %.2f | **%.2f×** | %s |" % (name, r["ours"], r["sdk"], r["ratio"],
                                                           fmt_ratio(r["alloc_ratio"])))
        out.append("")
        out.append("`steps`: event bytes → parse + validation → API parameters → sign (fresh timestamp and UUID "
                   "nonce on both sides, as in production) → read a canned IoT answer → result JSON. Ours: "
                   "`RequestParser.parseJson`, `RpcV2Signer.sign`, `IotAnswer.read`, `BatchResult`/`Json.write`. "
                   "SDK: databind `readTree`, `CancelOTATaskByJobRequest`, `signRequest` (URL composed), the SDK's "
                   "JSON reader + generated unmarshaller, databind output. `client`: the same through each "
                   "client's own call path (`IotClient.cancel` with a canned `Transport`; "
                   "`DefaultAcsClient.getAcsResponse` with a canned `IHttpClient`). One JVM (%s), JMH `%s`; "
                   "sources in `bench/jmh/`." % (jmh[0].get("jvmArgs") and " ".join(jmh[0]["jvmArgs"]) or
                                                  jmh[0].get("vmVersion", "?"), jmh_args))
        out.append("")

    parts_path = os.path.join(res, "jmh-parts.json")
    if os.path.exists(parts_path):
        with open(parts_path) as f:
            parts = json.load(f)
        parts_args = ""
        if os.path.exists(os.path.join(res, "jmh-parts.args")):
            with open(os.path.join(res, "jmh-parts.args")) as f:
                parts_args = f.read().strip()
        out.append("Where ota-cancel's warm microseconds go (`OtaCancelParts`, JMH `%s`):" % parts_args)
        out.append("")
        out.append("| Piece | µs/op | Error | Allocated (B/op) |")
        out.append("|---|---:|---:|---:|")
        for b in parts:
            pm = b["primaryMetric"]
            error = pm["scoreError"]
            alloc = alloc_norm(b)
            out.append("| `%s` | %.2f | %s | %s |" % (
                short(b["benchmark"]), pm["score"], "± %.2f" % error if isinstance(error, (int, float)) else "–",
                "–" if alloc is None else "%.0f" % alloc))
        out.append("")
        out.append("`parse` = `RequestParser.parseJson`; `sign` = API parameters + `RpcV2Signer.sign` with "
                   "`Instant.now()` and a UUID nonce, `signFixed` the same with a fixed time and nonce, `nonce` = "
                   "`UUID.randomUUID().toString()` alone; `answer` = `IotAnswer.read`; `write` = `Json.write` of a "
                   "one-job result.")
        out.append("")

    # ---------------------------------------------------------------- reproduce + machine
    out += ["## Reproduce", ""]
    out.append("```sh")
    out.append("bench/run.sh        # builds everything, measures every table above, writes this file")
    out.append("```")
    out.append("")
    out.append("What it runs (see the script's header for the knobs: `RUNS`, `IDLE_WAIT`, `STAGES`, "
               "`RECOMMENDED_FLAGS`, ...):")
    out.append("")
    out.append("```sh")
    out.append("mvn -B -q -f pom.xml package -DskipTests")
    out.append("for p in floor baseline-sdk baseline-tea jmh; do mvn -B -q -f bench/$p/pom.xml package; done")
    out.append("python3 bench/stub_iot.py --port 0      # loopback IoT stub; IOT_ENDPOINT=http://127.0.0.1:PORT/")
    out.append("# AppCDS archives: one training run each, e.g.")
    out.append("java -XX:ArchiveClassesAtExit=bench/target/ota-cancel-default.jsa -jar target/ota-cancel.jar invoke bench/events/cancel-one.json")
    out.append("# every cold row below, measured interleaved (one run of each per round): "
               "python3 bench/measure.py --rows ROWS.json --runs %d --warmup %d --idle-wait … --max-other-cpu …"
               % (next(iter(cold["default"].values()))["runs"], next(iter(cold["default"].values()))["warmup"])
               if cold.get("default") else "# cold rows: python3 bench/measure.py --rows ROWS.json …")
    for row in list(cold.get("default", {}).values()) + _rows_of(os.path.join(res, "cold-appcds.jsonl")):
        out.append(" ".join(row["cmd"]))
    out.append("# … the same rows with the template's and the recommended flags before -jar")
    for row in batch.values():
        out.append("python3 bench/batch.py --label %s --event bench/events/cancel-50-demo.json --runs %d -- %s"
                   % (row["label"], row["runs"], " ".join(row["cmd"][:-1])))
    if jmh:
        out.append("java -cp bench/jmh/target/classes:target/ota-cancel.jar:$(cat bench/jmh/target/classpath.txt) "
                   "org.openjdk.jmh.Main '(OtaCancelWarm|SdkWarm)\\.' %s -rf json -rff bench/results/jmh.json" % jmh_args)
        out.append("java -cp … org.openjdk.jmh.Main 'OtaCancelParts\\.' -f 1 -wi 3 -i 3 -w 1s -r 1s -prof gc "
                   "-rf json -rff bench/results/jmh-parts.json")
    out.append("python3 bench/report.py … > bench/RESULTS.md")
    out.append("```")
    out.append("")
    if env:
        out += ["## Machine and JVM", ""]
        out.append("- JVM: %s" % " / ".join(env.get("java", [])))
        out.append("- CPU: %s, %s CPUs; memory %s GiB; Linux %s; %s; Python %s" % (
            env.get("cpu"), env.get("cpus"), env.get("memory_gib"), env.get("kernel"),
            re.sub(r"\x1b\[[0-9;]*m", "", env.get("maven", "")),
            env.get("python")))
        out.append("- A shared machine: others' builds may run at any time. `measure.py` waits (up to "
                   "`IDLE_WAIT` s) for idle CPUs before each cold run and repeats runs during which other "
                   "processes used more than `MAX_OTHER_CPU` CPU-seconds; the conditions of each row are below.")
        out.append("")

    # ---------------------------------------------------------------- conditions
    out += ["## Conditions per row", ""]
    for name, _ in FLAGSETS:
        rows = cold.get(name)
        if rows and not (name == "recommended" and rows is cold.get("template")):
            out.append("%s:" % titles[name])
            out.append("")
            out += render.notes(rows)
            out.append("")
    if cds:
        out.append("AppCDS:")
        out.append("")
        out += render.notes({"%s (%s)" % (r["label"], r["flagset"]): r for r in _rows_of(os.path.join(res, "cold-appcds.jsonl"))})
        out.append("")
    if https:
        out.append("HTTPS:")
        out.append("")
        out += render.notes(https)
        out.append("")
    if sweep:
        out.append("Sweep:")
        out.append("")
        out += render.notes(sweep)
        out.append("")
    print("\n".join(out))


def _rows_of(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    rows.append(json.loads(line))
    return rows


def short(name):
    return name.replace("io.otacancel.core.", "").replace("io.otacancel.bench.jmh.", "")


def alloc_norm(b):
    for key in ("gc.alloc.rate.norm", "·gc.alloc.rate.norm"):
        metric = b.get("secondaryMetrics", {}).get(key)
        if metric:
            return metric["score"]
    return None


def jmh_pairs(jmh):
    """{method: {ours, sdk, ratio, alloc_ratio}} for methods present in both benchmark classes."""
    ours, sdk = {}, {}
    for b in jmh:
        cls, _, method = b["benchmark"].rpartition(".")
        if cls.endswith("OtaCancelWarm"):
            ours[method] = b
        elif cls.endswith("SdkWarm"):
            sdk[method] = b
    pairs = {}
    for method in ours:
        if method in sdk:
            o, s = ours[method], sdk[method]
            ao, as_ = alloc_norm(o), alloc_norm(s)
            pairs[method] = {
                "ours": o["primaryMetric"]["score"], "sdk": s["primaryMetric"]["score"],
                "ratio": o["primaryMetric"]["score"] / s["primaryMetric"]["score"],
                "alloc_ratio": ao / as_ if ao and as_ else None,
            }
    return pairs


if __name__ == "__main__":
    main()
