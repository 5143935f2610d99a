#!/usr/bin/env bash
# Cold and warm starts on the Lambda stand-in: tether-local.jar runs the responder on Lambda in process mode (each
# instance its own JVM with AWS's runtime interface client); a load driver opens sessions and times GET /session to
# the responder's ready, for new instances (cold) and reused ones (warm), and times the original pattern's Node.js
# responder from process start to subscribed, in the same run. Prints every sample and the medians.
#
# Usage, from anywhere: scripts/bench-lambda.sh [samples]   (default 10)
# Needs: JDK 17, Maven, Node 20 with npm. Uses loopback ports 28080, 29001 and 29002 (BENCH_PORT_BASE moves them).
set -euo pipefail

samples="${1:-10}"
base="${BENCH_PORT_BASE:-28080}"
http_port="${base}"
broker_port=$((base + 921))
aws_port=$((base + 922))

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${repo}/target/bench-lambda"
mkdir -p "${out}"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "${pid}" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== building tether-local.jar and the driver (tests skipped)"
mvn -B -q ${BENCH_MAVEN_ARGS:-} -f "${repo}/pom.xml" -pl deploy/run -am install dependency:build-classpath -DskipTests -Dcheckstyle.skip \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
driver_cp="${repo}/deploy/run/target/test-classes:$(cat "${repo}/deploy/run/target/test-classpath.txt")"

echo "== installing the original pattern's peers in target/ (../shared is read-only)"
peers="${out}/peers"
rm -rf "${peers}"
mkdir -p "${peers}"
cp -R "${repo}/../shared/peers/." "${peers}/"
rm -rf "${peers}/node_modules"
(cd "${peers}" && npm ci --silent --no-audit --no-fund > /dev/null)

echo "== starting tether-local.jar (responder on Lambda, process mode, idle timeout 60 s)"
java -jar "${repo}/deploy/local/target/tether-local.jar" --http-port "${http_port}" --broker-port "${broker_port}" \
    --aws-port "${aws_port}" --idle-timeout 60 --lambda-concurrency 20 > "${out}/tether-local.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 120); do
    grep -q "Press Ctrl-C" "${out}/tether-local.log" && break
    sleep 0.5
done
grep -q "Press Ctrl-C" "${out}/tether-local.log" || { echo "tether-local.jar did not start; see ${out}/tether-local.log" >&2; exit 1; }

echo "== measuring ${samples} samples of each"
# The peer connects with the stand-in's responder key, as the original pattern's function uses its own credentials.
cat > "${out}/driver-logback.xml" <<'XML'
<configuration><root level="WARN"/></configuration>
XML
AWS_ACCESS_KEY_ID=AKIALOCALRESPONDER01 AWS_SECRET_ACCESS_KEY=local-responder-secret AWS_REGION=us-east-1 \
    java -Dlogback.configurationFile="${out}/driver-logback.xml" -cp "${driver_cp}" dev.tether.run.bench.ColdStartBench "http://127.0.0.1:${http_port}/session" \
    "ws://127.0.0.1:${broker_port}/mqtt" "${peers}/original-responder.js" "${samples}" | tee "${out}/result.txt"

echo "== REPORT lines of the responder function (Init Duration on cold starts)"
grep "tether-responder REPORT" "${out}/tether-local.log" | sed 's/.*REPORT/REPORT/' | head -n $((samples * 2)) || true
