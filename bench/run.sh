#!/usr/bin/env bash
# The whole benchmark in one command: builds ota-cancel and the baselines, then measures in one
# go, under the same conditions, and writes bench/RESULTS.md (targets computed by report.py).
#
#   bench/run.sh
#
# Stages, in order (STAGES picks a subset; results of stages not run are kept from the last run):
#   build   mvn package: the jar at the repository root, bench/floor, bench/baseline-sdk,
#           bench/baseline-tea, bench/jmh
#   cold    cold start, whole process, rows floor, sdk, tea, ota-cancel (events/cancel-one.json
#           against the loopback stub), once per flag set: default (no flags), template (the
#           JAVA_TOOL_OPTIONS of template.yaml), recommended (RECOMMENDED_FLAGS); and AppCDS: a
#           training run writes a dynamic archive (-XX:ArchiveClassesAtExit) for ota-cancel and for
#           sdk, then ota-cancel+appcds and sdk+appcds run with -XX:SharedArchiveFile, without and
#           with RECOMMENDED_FLAGS. All these rows are measured interleaved (measure.py --rows)
#   sweep   ota-cancel alone under each candidate flag set (SWEEP_FLAGS), interleaved: which
#           flags help
#   https   the cold rows again against a TLS stub (trust store: the JDK's cacerts + the stub's
#           certificate), default and recommended flags, AppCDS trained over HTTPS, and a
#           one-certificate trust store: what TLS adds, as against the real endpoint
#   breakdown  where the cold start goes: class-load timelines (bench/breakdown.py) of ota-cancel
#           (--version: the bare JVM; default flags, recommended flags, recommended + AppCDS), of sdk
#   batch   50 jobs in one invocation against the IoT emulator (5 calls/s): ota-cancel, then the
#           SDK baseline's plain loop, a fresh emulator for every run
#   jmh     warm path without the network: ota-cancel vs the SDK (bench/jmh), then the pieces of
#           ota-cancel's path (OtaCancelParts, JMH_PARTS_ARGS)
#   report  bench/RESULTS.md from bench/results/*
#
# Env: RUNS=10 WARMUP=2          cold runs per row after warm-ups (SWEEP_RUNS=10 for the sweep)
#      IDLE_WAIT=60              seconds each cold run may wait for idle CPUs (0: don't wait)
#      MAX_OTHER_CPU=0.1         repeat a cold run if other processes used more CPU-seconds meanwhile
#      JAVA=java                 the JVM for every row
#      RECOMMENDED_FLAGS=...     the flag set proposed for the templates
#      BATCH_RUNS=3              runs per batch row
#      JMH_ARGS="-f 2 -wi 5 -i 5 -w 2s -r 2s"
#      STAGES="build cold sweep https breakdown batch jmh report"
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-10}"
warmup="${WARMUP:-2}"
sweep_runs="${SWEEP_RUNS:-10}"
idle_wait="${IDLE_WAIT:-60}"
max_other_cpu="${MAX_OTHER_CPU:-0.1}"
java_cmd="${JAVA:-java}"
stages=" ${STAGES:-build cold sweep https breakdown batch jmh report} "
# The templates' flags, read from template.yaml so the row follows the template (s.yaml has the same).
template_flags="$(sed -n 's/^ *JAVA_TOOL_OPTIONS: *//p' template.yaml | head -n1)"
recommended_flags="${RECOMMENDED_FLAGS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
# Candidates for the sweep, one set per line ("name|flags"); ota-cancel only.
sweep_flags="${SWEEP_FLAGS:-default|
c1|-XX:TieredStopAtLevel=1
serial|-XX:+UseSerialGC
c1+serial|-XX:TieredStopAtLevel=1 -XX:+UseSerialGC
c1+serial-perfdata|-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData
c1+serial+xss|-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss256k -XX:ReservedCodeCacheSize=16m
c1+serial+heap|-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms8m -Xmx128m
interpreter-only|-Xint
no-cds|-Xshare:off}"
batch_runs="${BATCH_RUNS:-3}"
read -r -a jmh_args <<< "${JMH_ARGS:--f 2 -wi 5 -i 5 -w 2s -r 2s}"

results=bench/results
work_dir=bench/target
mkdir -p "$results" "$work_dir"
event_one=bench/events/cancel-one.json     # {"JobId":"job-1","CancelQueuedTask":true}
event_batch=bench/events/cancel-50-demo.json
ota_jar=target/ota-cancel.jar
floor_jar=bench/floor/target/floor.jar
sdk_jar=bench/baseline-sdk/target/baseline-sdk.jar
tea_jar=bench/baseline-tea/target/baseline-tea.jar
java_version="$("$java_cmd" -version 2>&1 | head -n1)"

extra_meta=()
stage() { [[ "$stages" == *" $1 "* ]]; }
say() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------- build
if stage build; then
  say "build: ota-cancel, floor, baseline-sdk, baseline-tea, jmh"
  mvn -B -q -Dstyle.color=never -f pom.xml package -DskipTests
  for project in floor baseline-sdk baseline-tea; do
    mvn -B -q -Dstyle.color=never -f "bench/$project/pom.xml" package
  done
  # clean: the benchmarks compile against target/ota-cancel.jar (system scope), whose changes the
  # compiler's staleness check does not see.
  mvn -B -q -Dstyle.color=never -f bench/jmh/pom.xml clean package
fi

# ------------------------------------------------------------------------- the loopback IoT stub
stub_pids=()
cleanup() {
  local pid
  for pid in "${stub_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  stub_pids=()
}
trap cleanup EXIT

start_stub() {  # [--tls-cert C --tls-key K]: sets stub_port
  rm -f "$work_dir/stub.port"
  python3 bench/stub_iot.py --port 0 "$@" > "$work_dir/stub.port" &
  stub_pids+=($!)
  for _ in $(seq 50); do   # the stub prints its port once it is listening
    [[ -s "$work_dir/stub.port" ]] && break
    sleep 0.1
  done
  stub_port="$(head -n1 "$work_dir/stub.port")"
  [[ -n "$stub_port" ]] || { echo "stub did not start" >&2; exit 1; }
}

# tls_setup: a certificate for 127.0.0.1 (what the TLS stub serves) and two trust stores: the JDK's
# own cacerts plus that certificate (what a real client parses at start-up), and that certificate
# alone (to show what parsing cacerts costs). Sets tls_trust_flags and tls_one_cert_flags.
tls_setup() {
  local dir="$work_dir/tls" java_home
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v "$java_cmd")")")")"
  mkdir -p "$dir"
  rm -f "$dir"/*
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 30 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2> /dev/null
  "$java_home/bin/keytool" -importkeystore -srckeystore "$java_home/lib/security/cacerts" -srcstorepass changeit \
    -destkeystore "$dir/cacerts+stub.p12" -deststoretype PKCS12 -deststorepass changeit -noprompt > /dev/null 2>&1
  "$java_home/bin/keytool" -importcert -alias bench-stub -file "$dir/cert.pem" -keystore "$dir/cacerts+stub.p12" \
    -storepass changeit -noprompt > /dev/null 2>&1
  "$java_home/bin/keytool" -importcert -alias bench-stub -file "$dir/cert.pem" -keystore "$dir/stub-only.p12" \
    -storetype PKCS12 -storepass changeit -noprompt > /dev/null 2>&1
  tls_trust_flags="-Djavax.net.ssl.trustStore=$dir/cacerts+stub.p12 -Djavax.net.ssl.trustStorePassword=changeit"
  tls_one_cert_flags="-Djavax.net.ssl.trustStore=$dir/stub-only.p12 -Djavax.net.ssl.trustStorePassword=changeit"
}

# add_row SPEC OUT LABEL FLAGSET "FLAGS" JAR [ARG...]: queue `java FLAGS -jar JAR ARG... EVENT` as one
# row of SPEC (measured by measure_spec, interleaved with the other rows of SPEC), its JSON line to
# OUT. The flags go on the command line, which is what JAVA_TOOL_OPTIONS amounts to (the JVM only
# adds a "Picked up JAVA_TOOL_OPTIONS" line on stderr). extra_meta=(K=V ...) adds fields;
# row_env="K=V ..." sets environment variables for the row's runs.
add_row() {
  local spec="$1" out="$2" label="$3" flagset="$4" flags="$5" jar="$6"
  shift 6
  local -a flag_args=()
  read -r -a flag_args <<< "$flags"
  local expect='"Success":true'
  [[ "$jar" == "$floor_jar" ]] && expect='"JobId"'
  python3 - "$spec" "$out" "$label" "$jar" "$expect" "$java_version" "$flagset" "$flags" "${row_env:-}" \
    "${#extra_meta[@]}" "${extra_meta[@]}" "$java_cmd" "${flag_args[@]}" -jar "$jar" "$@" "$event_one" <<'PY'
import json, sys
spec, out, label, jar, expect, java, flagset, flags, env, n = sys.argv[1:11]
meta = dict(m.split("=", 1) for m in sys.argv[11:11 + int(n)])
meta.update({"java": java, "flagset": flagset, "java_opts": flags})
cmd = sys.argv[11 + int(n):]
row = {"label": label, "cmd": cmd, "expect": expect, "size_of": jar, "meta": meta, "out": out}
if env:
    row["env"] = dict(pair.split("=", 1) for pair in env.split())
    meta["env"] = env
with open(spec, "a") as f:
    f.write(json.dumps(row) + "\n")
PY
}

# measure_spec SPEC [RUNS]: measures the queued rows, interleaved, and empties SPEC.
measure_spec() {
  local spec="$1" n="${2:-$runs}"
  python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1]) if l.strip()]))' \
    "$spec" > "$spec.json"
  python3 bench/measure.py --rows "$spec.json" --runs "$n" --warmup "$warmup" --idle-wait "$idle_wait" \
    --max-other-cpu "$max_other_cpu" >&2
  : > "$spec"
}

queue_flagset() {  # SPEC FLAGSET "FLAGS": the four rows with these flags, to results/cold-FLAGSET.jsonl
  local spec="$1" flagset="$2" flags="$3" out="$results/cold-$2.jsonl"
  : > "$out"
  add_row "$spec" "$out" floor "$flagset" "$flags" "$floor_jar"
  add_row "$spec" "$out" sdk "$flagset" "$flags" "$sdk_jar"
  add_row "$spec" "$out" tea "$flagset" "$flags" "$tea_jar"
  add_row "$spec" "$out" ota-cancel "$flagset" "$flags" "$ota_jar" invoke
}

# train NAME "FLAGS" JAR [ARG...]: one run that writes the dynamic AppCDS archive NAME.jsa, then a
# check that a run with it really maps classes from it (-Xshare:auto would fall back silently).
# Sets trained_archive and trained_meta (classes from the archive / classes loaded).
train() {
  local name="$1" flags="$2" jar="$3"
  shift 3
  local -a flag_args=()
  read -r -a flag_args <<< "$flags"
  trained_archive="$work_dir/$name.jsa"
  rm -f "$trained_archive"
  "$java_cmd" "${flag_args[@]}" -XX:ArchiveClassesAtExit="$trained_archive" -jar "$jar" "$@" "$event_one" \
    > /dev/null 2> "$work_dir/$name.train.log"
  "$java_cmd" "${flag_args[@]}" -XX:SharedArchiveFile="$trained_archive" \
    -Xlog:class+load=info:file="$work_dir/$name.classes.log" -jar "$jar" "$@" "$event_one" > /dev/null 2>&1
  local top all base
  top="$(grep -c 'shared objects file (top)' "$work_dir/$name.classes.log" || true)"
  base="$(grep -c 'source: shared objects file$' "$work_dir/$name.classes.log" || true)"
  all="$(grep -c 'source:' "$work_dir/$name.classes.log" || true)"
  echo "$name: of $all classes loaded, $top from the app archive, $base from the JDK's" >&2
  if (( top == 0 )); then
    echo "the AppCDS archive $trained_archive is not used" >&2
    exit 1
  fi
  trained_meta="classes $all: $top app archive, $base JDK archive, $((all - top - base)) parsed; archive $(stat -c %s "$trained_archive") bytes"
}

if stage cold || stage sweep || stage breakdown || stage https; then
  python3 bench/report.py --env --java "$java_cmd" > "$results/env.json"
  start_stub
  export IOT_ENDPOINT="http://127.0.0.1:$stub_port/"
  export ALIBABA_CLOUD_ACCESS_KEY_ID=bench-ak-id ALIBABA_CLOUD_ACCESS_KEY_SECRET=bench-ak-secret
  if stage https || stage breakdown; then
    tls_setup
    start_stub --tls-cert "$work_dir/tls/cert.pem" --tls-key "$work_dir/tls/key.pem"
    https_endpoint="https://127.0.0.1:$stub_port/"
  fi
fi

# ----------------------------------------------------------------------------------------- cold
# Every row of every table in one interleaved measurement, so that a slow spell of the machine
# weighs on all rows alike and cross-table comparisons (flags vs no flags) hold too.
spec="$work_dir/rows.jsonl"
: > "$spec"
if stage cold; then
  say "cold: training the AppCDS archives"
  out="$results/cold-appcds.jsonl"
  : > "$out"
  appcds_rows=()
  for variant in "default|" "recommended|$recommended_flags"; do
    flagset="${variant%%|*}" flags="${variant#*|}"
    train "ota-cancel-$flagset" "$flags" "$ota_jar" invoke
    extra_meta=("cds=$trained_meta")
    add_row "$spec" "$out" "ota-cancel+appcds" "$flagset+appcds" "$flags -XX:SharedArchiveFile=$trained_archive" "$ota_jar" invoke
    train "sdk-$flagset" "$flags" "$sdk_jar"
    extra_meta=("cds=$trained_meta")
    add_row "$spec" "$out" "sdk+appcds" "$flagset+appcds" "$flags -XX:SharedArchiveFile=$trained_archive" "$sdk_jar"
    extra_meta=()
  done
  queue_flagset "$spec" default ""
  queue_flagset "$spec" template "$template_flags"
  if [[ "$recommended_flags" != "$template_flags" ]]; then
    queue_flagset "$spec" recommended "$recommended_flags"
  else
    rm -f "$results/cold-recommended.jsonl"
  fi
  say "cold: $(wc -l < "$spec") rows, $runs interleaved rounds after $warmup warm-ups each"
  measure_spec "$spec"
fi

# ---------------------------------------------------------------------------------------- sweep
if stage sweep; then
  out="$results/sweep.jsonl"
  : > "$out"
  while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    name="${line%%|*}" flags="${line#*|}"
    add_row "$spec" "$out" "$name" "sweep" "$flags" "$ota_jar" invoke
  done <<< "$sweep_flags"
  # AppCDS on top of the recommended set, trained with those flags.
  train "sweep-recommended" "$recommended_flags" "$ota_jar" invoke
  extra_meta=("cds=$trained_meta")
  add_row "$spec" "$out" "recommended+appcds" "sweep" \
    "$recommended_flags -XX:SharedArchiveFile=$trained_archive" "$ota_jar" invoke
  extra_meta=()
  say "sweep: $(wc -l < "$spec") rows, $sweep_runs interleaved rounds"
  measure_spec "$spec" "$sweep_runs"
fi

# ---------------------------------------------------------------------------------------- https
# The same cold start against a TLS stub: what the real endpoint (https://iot.<region>.aliyuncs.com)
# costs on top, TLS set-up and one handshake, trust store = the JDK's cacerts + the stub's cert.
if stage https; then
  out="$results/cold-https.jsonl"
  : > "$out"
  row_env="IOT_ENDPOINT=$https_endpoint"
  add_row "$spec" "$out" floor https-default "$tls_trust_flags" "$floor_jar"
  add_row "$spec" "$out" sdk https-default "$tls_trust_flags" "$sdk_jar"
  add_row "$spec" "$out" tea https-default "$tls_trust_flags" "$tea_jar"
  add_row "$spec" "$out" ota-cancel https-default "$tls_trust_flags" "$ota_jar" invoke
  add_row "$spec" "$out" "sdk (recommended)" https-recommended "$tls_trust_flags $recommended_flags" "$sdk_jar"
  add_row "$spec" "$out" "ota-cancel (recommended)" https-recommended "$tls_trust_flags $recommended_flags" "$ota_jar" invoke
  add_row "$spec" "$out" "ota-cancel (1-cert trust store)" https-default "$tls_one_cert_flags" "$ota_jar" invoke
  IOT_ENDPOINT="$https_endpoint" train "ota-cancel-https-recommended" "$tls_trust_flags $recommended_flags" "$ota_jar" invoke
  extra_meta=("cds=$trained_meta")
  add_row "$spec" "$out" "ota-cancel+appcds (recommended)" "https-recommended+appcds" \
    "$tls_trust_flags $recommended_flags -XX:SharedArchiveFile=$trained_archive" "$ota_jar" invoke
  extra_meta=()
  row_env=""
  say "https: $(wc -l < "$spec") rows, $runs interleaved rounds"
  measure_spec "$spec"
fi

# ------------------------------------------------------------------------------------ breakdown
if stage breakdown; then
  out="$results/breakdown.jsonl"
  : > "$out"
  say "breakdown: class-load timelines"
  read -r -a rec_args <<< "$recommended_flags"
  # The bare JVM for this jar: start, load the main class, print the version, exit.
  python3 bench/breakdown.py --label "ota-cancel --version (no work)" --out "$out" \
    -- "$java_cmd" -jar "$ota_jar" --version >&2
  python3 bench/breakdown.py --label "ota-cancel (default)" --out "$out" \
    -- "$java_cmd" -jar "$ota_jar" invoke "$event_one" >&2
  python3 bench/breakdown.py --label "ota-cancel (recommended)" --out "$out" \
    -- "$java_cmd" "${rec_args[@]}" -jar "$ota_jar" invoke "$event_one" >&2
  if [[ -f "$work_dir/ota-cancel-recommended.jsa" ]]; then
    python3 bench/breakdown.py --label "ota-cancel (recommended + AppCDS)" --out "$out" \
      -- "$java_cmd" "${rec_args[@]}" -XX:SharedArchiveFile="$work_dir/ota-cancel-recommended.jsa" \
      -jar "$ota_jar" invoke "$event_one" >&2
  fi
  python3 bench/breakdown.py --label "sdk (default)" --out "$out" -- "$java_cmd" -jar "$sdk_jar" "$event_one" >&2
  read -r -a tls_args <<< "$tls_trust_flags"
  IOT_ENDPOINT="$https_endpoint" python3 bench/breakdown.py --label "ota-cancel over HTTPS (default)" --out "$out" \
    -- "$java_cmd" "${tls_args[@]}" -jar "$ota_jar" invoke "$event_one" >&2
  IOT_ENDPOINT="$https_endpoint" python3 bench/breakdown.py --label "ota-cancel over HTTPS (recommended)" \
    --out "$out" -- "$java_cmd" "${tls_args[@]}" "${rec_args[@]}" -jar "$ota_jar" invoke "$event_one" >&2
  IOT_ENDPOINT="$https_endpoint" python3 bench/breakdown.py --label "sdk over HTTPS (default)" --out "$out" \
    -- "$java_cmd" "${tls_args[@]}" -jar "$sdk_jar" "$event_one" >&2
fi
cleanup

# ---------------------------------------------------------------------------------------- batch
if stage batch; then
  out="$results/batch.jsonl"
  : > "$out"
  say "batch: ota-cancel, 50 jobs, emulator at 5 calls/s"
  python3 bench/batch.py --label ota-cancel --event "$event_batch" --runs "$batch_runs" --java "$java_cmd" \
    --emulator-jar "$ota_jar" --out "$out" --meta "java=$java_version" \
    -- "$java_cmd" -jar "$ota_jar" invoke >&2
  say "batch: sdk plain loop, 50 jobs, emulator at 5 calls/s"
  python3 bench/batch.py --label sdk --event "$event_batch" --runs "$batch_runs" --java "$java_cmd" \
    --emulator-jar "$ota_jar" --out "$out" --meta "java=$java_version" \
    -- "$java_cmd" -jar "$sdk_jar" >&2
fi

# ------------------------------------------------------------------------------------------ jmh
if stage jmh; then
  say "jmh: ${jmh_args[*]}"
  classpath="bench/jmh/target/classes:$ota_jar:$(cat bench/jmh/target/classpath.txt)"
  "$java_cmd" -cp "$classpath" org.openjdk.jmh.Main '(OtaCancelWarm|SdkWarm)\.' "${jmh_args[@]}" -foe true -prof gc \
    -rf json -rff "$results/jmh.json" > "$work_dir/jmh.log"
  sed -n '/^Benchmark  /,$p' "$work_dir/jmh.log" >&2
  printf '%s\n' "${jmh_args[*]} -prof gc" > "$results/jmh.args"
  # The pieces of ota-cancel's path, shorter settings: where its microseconds go.
  read -r -a jmh_parts_args <<< "${JMH_PARTS_ARGS:--f 1 -wi 3 -i 3 -w 1s -r 1s}"
  "$java_cmd" -cp "$classpath" org.openjdk.jmh.Main 'OtaCancelParts\.' "${jmh_parts_args[@]}" -foe true -prof gc \
    -rf json -rff "$results/jmh-parts.json" > "$work_dir/jmh-parts.log"
  sed -n '/^Benchmark  /,$p' "$work_dir/jmh-parts.log" >&2
  printf '%s\n' "${jmh_parts_args[*]} -prof gc" > "$results/jmh-parts.args"
fi

# --------------------------------------------------------------------------------------- report
if stage report; then
  python3 bench/report.py --java "$java_cmd" --template-flags "$template_flags" \
    --recommended-flags "$recommended_flags" > bench/RESULTS.md
  say "wrote bench/RESULTS.md"
fi
