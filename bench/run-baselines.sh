#!/usr/bin/env bash
# Cold-start baselines: build the floor, SDK and Tea jars, start the loopback IoT stub, and time
# each jar as a whole process with bench/measure.py. Rows go to bench/results/baselines.jsonl,
# the table to bench/RESULTS.md (and stdout).
#
# Usage: bench/run-baselines.sh [LABEL JAR [ARG...]]
#        With LABEL JAR, that jar is measured too, last, in the same conditions, as
#        `java -jar JAR ARG... EVENT`; e.g. bench/run-baselines.sh ota-cancel target/ota-cancel.jar invoke
# Env:   RUNS=10 WARMUP=2       runs per row after warm-ups
#        IDLE_WAIT=60            seconds each run may wait for idle CPUs (0: don't wait)
#        MAX_OTHER_CPU=0.1       repeat a run if other processes used more CPU-seconds meanwhile
#        JAVA=java JAVA_OPTS=    the JVM and its flags, the same for every row
#        SKIP_BUILD=1            reuse the jars already in bench/*/target
#        OUT=bench/results/baselines.jsonl
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-10}"
warmup="${WARMUP:-2}"
idle_wait="${IDLE_WAIT:-60}"
max_other_cpu="${MAX_OTHER_CPU:-0.1}"
java_cmd="${JAVA:-java}"
read -r -a java_opts <<< "${JAVA_OPTS:-}"
out="${OUT:-bench/results/baselines.jsonl}"
event=bench/events/cancel-one.json

if [[ -z "${SKIP_BUILD:-}" ]]; then
  for project in floor baseline-sdk baseline-tea; do
    mvn -B -q -Dstyle.color=never -f "bench/$project/pom.xml" package
  done
fi

work="$(mktemp -d)"
stub_pid=""
cleanup() {
  if [[ -n "$stub_pid" ]]; then kill "$stub_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 bench/stub_iot.py --port 0 > "$work/stub.port" &
stub_pid=$!
for _ in $(seq 50); do   # the stub prints its port once it is listening
  [[ -s "$work/stub.port" ]] && break
  sleep 0.1
done
port="$(head -n1 "$work/stub.port")"
[[ -n "$port" ]] || { echo "stub did not start" >&2; exit 1; }

export IOT_ENDPOINT="http://127.0.0.1:$port/"
export ALIBABA_CLOUD_ACCESS_KEY_ID=bench-ak-id ALIBABA_CLOUD_ACCESS_KEY_SECRET=bench-ak-secret
java_version="$("$java_cmd" -version 2>&1 | head -n1)"

mkdir -p "$(dirname "$out")"
: > "$out"
measure() {  # label jar expect-regex [arg...]: java -jar jar arg... event
  local label="$1" jar="$2" expect="$3"
  shift 3
  python3 bench/measure.py --runs "$runs" --warmup "$warmup" --idle-wait "$idle_wait" --max-other-cpu "$max_other_cpu" \
    --label "$label" --size-of "$jar" --expect "$expect" --out "$out" \
    --meta "java=$java_version" --meta "java_opts=${JAVA_OPTS:-}" \
    -- "$java_cmd" "${java_opts[@]}" -jar "$jar" "$@" "$event" > /dev/null
}
measure floor bench/floor/target/floor.jar '"JobId"'
measure sdk bench/baseline-sdk/target/baseline-sdk.jar '"Success":true'
measure tea bench/baseline-tea/target/baseline-tea.jar '"Success":true'
if (( $# >= 2 )); then
  measure "$1" "$2" '"Success":true' "${@:3}"
fi

python3 bench/render.py "$out" > bench/RESULTS.md
cat bench/RESULTS.md
