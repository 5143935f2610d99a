#!/usr/bin/env bash
# GET /session requests per second and latency percentiles: Tether's session service in its container entrypoint,
# without and with scoped credentials, against the original pattern's session endpoint
# (../shared/peers/original-session.js), under the same wrk load in the same run.
#
# Usage, from anywhere: scripts/bench-session.sh [rounds]   (default 3 rounds; medians are reported)
# Needs: JDK 17, Maven, Node 20 with npm (for `npm ci`), wrk (Debian: apt-get install wrk), curl, awk.
# The scoped run assumes the client role through the local stand-in's STS (deploy/local), which also stands in
# for AWS IoT Core's host in the URLs. Only loopback addresses are used. Takes about 5 minutes for 3 rounds.
#
# Environment knobs: BENCH_DURATION (10s), BENCH_WARMUP (10s; with one core the JIT needs longer than 5 s),
# BENCH_CONNECTIONS (50), BENCH_THREADS (1), BENCH_POOL (sessions the scoped run mints ahead, 60000), BENCH_PORT_BASE
# (18080: uses this port and the next four), BENCH_SESSION_JAVA_OPTS (-XX:ActiveProcessorCount=1: the session
# service sizes itself for one core, as on a 1-vCPU task, and leaves the other core of a 2-core machine to wrk; the
# original endpoint, Node.js, runs its JavaScript on one core too).
set -euo pipefail

rounds="${1:-3}"
duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-10s}"
connections="${BENCH_CONNECTIONS:-50}"
threads="${BENCH_THREADS:-1}"
pool="${BENCH_POOL:-60000}"
base="${BENCH_PORT_BASE:-18080}"
# Word splitting is wanted: the variable holds JVM options.
read -r -a session_java_opts <<< "${BENCH_SESSION_JAVA_OPTS:--XX:ActiveProcessorCount=1}"
tether_port=$((base))
scoped_port=$((base + 1))
original_port=$((base + 2))
broker_port=$((base + 3))
sts_port=$((base + 4))

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers_source="${repo}/../shared/peers"
out="${repo}/target/bench-session"
mkdir -p "${out}"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "${pid}" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap cleanup EXIT

for port in "${tether_port}" "${scoped_port}" "${original_port}" "${broker_port}" "${sts_port}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
        echo "port ${port} is taken; set BENCH_PORT_BASE to a free range" >&2
        exit 1
    fi
done

echo "== building session-service and deploy/local (tests skipped)"
# One reactor run, so that each module's classpath names its siblings' freshly built jars (nothing is installed).
mvn -B -q -f "${repo}/pom.xml" -pl session-service,deploy/local -am package dependency:build-classpath \
    -DskipTests -Dcheckstyle.skip -Dmdep.outputFile=target/runtime-classpath.txt -Dmdep.includeScope=runtime
session_cp="${repo}/session-service/target/classes:$(cat "${repo}/session-service/target/runtime-classpath.txt")"
local_cp="${repo}/deploy/local/target/classes:$(cat "${repo}/deploy/local/target/runtime-classpath.txt")"

echo "== installing the original pattern's peers in target/ (../shared is read-only)"
peers="${repo}/target/peers"
rm -rf "${peers}"
mkdir -p "${peers}"
cp -R "${peers_source}/." "${peers}/"
rm -rf "${peers}/node_modules"
(cd "${peers}" && npm ci --silent --no-audit --no-fund > /dev/null)

# The stand-in's public test key for the session service (LocalConfig.defaults()); both session services sign with it.
export AWS_ACCESS_KEY_ID=AKIALOCALSESSION0001
export AWS_SECRET_ACCESS_KEY=local-session-secret
export AWS_REGION=us-east-1

wait_for() {
    local url="$1" what="$2"
    for _ in $(seq 1 300); do
        if curl -fs -o /dev/null "${url}"; then
            return 0
        fi
        sleep 0.1
    done
    echo "${what} did not answer at ${url}" >&2
    exit 1
}

echo "== starting the local stand-in (broker :${broker_port}, STS :${sts_port})"
printf 'brokerPort: %s\nhttpPort: %s\n' "${broker_port}" "${sts_port}" > "${out}/local.yaml"
# Warnings only: the stand-in would otherwise log at debug level, which would slow its STS down.
cat > "${out}/local-logback.xml" <<'XML'
<configuration>
    <appender name="console" class="ch.qos.logback.core.ConsoleAppender">
        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>
    </appender>
    <root level="WARN"><appender-ref ref="console"/></root>
</configuration>
XML
java -Dlogback.configurationFile="${out}/local-logback.xml" -cp "${local_cp}" dev.tether.local.LocalMain \
    "${out}/local.yaml" > "${out}/local.log" 2>&1 &
pids+=($!)

echo "== starting the original pattern's session endpoint (:${original_port})"
SESSION_PORT="${original_port}" IOT_HOST="127.0.0.1:${broker_port}" IOT_SCHEME=ws \
    node "${peers}/original-session.js" > "${out}/original.log" 2>&1 &
pids+=($!)

tether_env=(TETHER_ENDPOINT="ws://127.0.0.1:${broker_port}/mqtt"
    TETHER_CHANNEL_SECRET=bench-only-channel-secret-of-32-bytes-or-more)
echo "== starting Tether without scoped credentials (:${tether_port})"
env "${tether_env[@]}" TETHER_HTTP_PORT="${tether_port}" \
    java "${session_java_opts[@]}" -cp "${session_cp}" dev.tether.session.container.SessionMain > "${out}/tether.log" 2>&1 &
pids+=($!)

wait_for_port() {
    for _ in $(seq 1 300); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "nothing listens on port $1 ($2)" >&2
    exit 1
}
wait_for_port "${sts_port}" "the stand-in's STS"
echo "== starting Tether with scoped credentials, ${pool} minted ahead (:${scoped_port})"
env "${tether_env[@]}" TETHER_HTTP_PORT="${scoped_port}" \
    TETHER_CLIENT_ROLE_ARN=arn:aws:iam::000000000000:role/tether-client \
    TETHER_SESSION_POOL_SIZE="${pool}" TETHER_CHANNEL_TTL_SECONDS=3600 \
    AWS_ENDPOINT_URL_STS="http://127.0.0.1:${sts_port}" \
    java "${session_java_opts[@]}" -cp "${session_cp}" dev.tether.session.container.SessionMain > "${out}/scoped.log" 2>&1 &
pids+=($!)

wait_for "http://127.0.0.1:${original_port}/session" "original-session.js"
wait_for "http://127.0.0.1:${tether_port}/session" "Tether"
wait_for "http://127.0.0.1:${scoped_port}/session" "Tether (scoped)"

pool_ready() {
    curl -fs "http://127.0.0.1:${scoped_port}/metrics" | awk '/^tether_session_pool_ready/ { print int($2) }'
}

wait_for_pool() {
    local started=$SECONDS ready=0
    while [ $((SECONDS - started)) -lt 300 ]; do
        ready=$(pool_ready)
        if [ "${ready:-0}" -ge "${pool}" ]; then
            echo "   pool full: ${ready} sessions after $((SECONDS - started)) s"
            return 0
        fi
        sleep 1
    done
    echo "   pool not full after 300 s: ${ready} of ${pool}"
}

# wrk prints latency with a unit; this turns "12.34ms", "850.00us" or "1.02s" into milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
        printf "%.2f", n }'
}

run() {
    local name="$1" port="$2" round="$3"
    local log="${out}/wrk-${name}-${round}.txt"
    wrk -t"${threads}" -c"${connections}" -d"${duration}" --latency "http://127.0.0.1:${port}/session" > "${log}"
    local rps p50 p99 errors
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "${log}")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "${log}")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "${log}")")
    errors=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "${log}")
    printf '%-16s round %s: %10.0f requests/s  p50 %7.2f ms  p99 %7.2f ms  non-2xx %s\n' \
        "${name}" "${round}" "${rps}" "${p50}" "${p99}" "${errors:-0}"
    echo "${name} ${round} ${rps} ${p50} ${p99} ${errors:-0}" >> "${out}/results.txt"
}

echo "== warming up each endpoint (${warmup} each, not counted)"
wait_for_pool
for port in "${original_port}" "${tether_port}" "${scoped_port}"; do
    wrk -t"${threads}" -c"${connections}" -d"${warmup}" "http://127.0.0.1:${port}/session" > /dev/null
done

rm -f "${out}/results.txt"
echo "== measuring: wrk -t${threads} -c${connections} -d${duration} --latency, ${rounds} rounds"
# Refilling the pool costs CPU (STS calls to the stand-in on this same machine), so every run starts with a full
# pool: then no refill competes with the endpoint being measured, and the scoped run is served from the pool.
for round in $(seq 1 "${rounds}"); do
    wait_for_pool
    run tether-scoped "${scoped_port}" "${round}"
    wait_for_pool
    run original "${original_port}" "${round}"
    run tether "${tether_port}" "${round}"
done

median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "== medians of ${rounds} rounds"
for name in original tether tether-scoped; do
    rps=$(awk -v n="${name}" '$1 == n { print $3 }' "${out}/results.txt" | median)
    p50=$(awk -v n="${name}" '$1 == n { print $4 }' "${out}/results.txt" | median)
    p99=$(awk -v n="${name}" '$1 == n { print $5 }' "${out}/results.txt" | median)
    printf '%-16s %10.0f requests/s  p50 %7.2f ms  p99 %7.2f ms\n' "${name}" "${rps}" "${p50}" "${p99}"
    echo "${name} ${rps} ${p50} ${p99}" >> "${out}/medians.txt.new"
done
mv "${out}/medians.txt.new" "${out}/medians.txt"
awk '{ rps[$1] = $2; p99[$1] = $4 } END {
    printf "ratio tether/original:        %.2fx requests/s, p99 %.2fx\n", rps["tether"] / rps["original"], p99["tether"] / p99["original"]
    printf "ratio tether-scoped/original: %.2fx requests/s, p99 %.2fx\n", rps["tether-scoped"] / rps["original"], p99["tether-scoped"] / p99["original"]
}' "${out}/medians.txt"
