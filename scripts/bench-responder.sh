#!/usr/bin/env bash
# Request round trip and session setup of Tether's container responder against the original pattern's responder
# (../shared/peers/original-responder.js) and the echo floor (../shared/peers/echo-responder.js), through one broker
# (Tether's IoT stand-in, SigV4 checked) in the same run, each in a process of its own.
# Usage, from anywhere: scripts/bench-responder.sh [runs]   (default 1; the README quotes medians of several)
#                       scripts/bench-responder.sh capacity  (sessions one container JVM at -Xmx1g holds)
# Tunables: BENCH_OPTS="-Dbench.rounds=4 -Dbench.sessions=20 -Dbench.roundTrips=50 -Dbench.shortWindow=20"
#           (shortWindow: the claim window of the second Tether responder, in ms; the first has the default)
#           BENCH_OPTS="-Dcapacity.broker=mosquitto -Dcapacity.sessions=10000 -Dcapacity.step=2500"
#           (capacity.broker: stand-in, the default, or mosquitto, Debian's, which start-broker.sh installs)
# Needs: JDK 17, Maven, Node.js 20 with npm (the peers' dependencies are installed with npm ci from their lockfile).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${repo}/responder-service/target/bench"
peers_source="${repo}/../shared/peers"
mkdir -p "${out}"

echo "== building the responder, the stand-in and the load driver"
mvn -B -q -f "${repo}/pom.xml" -pl shared,deploy/local install -DskipTests -Dcheckstyle.skip
mvn -B -q -f "${repo}/pom.xml" -pl responder-service test-compile dependency:build-classpath -Dcheckstyle.skip \
    -Dmdep.outputFile="${out}/classpath.txt" -Dmdep.includeScope=test
cp="${repo}/responder-service/target/test-classes:${repo}/responder-service/target/classes:$(cat "${out}/classpath.txt")"

echo "== installing the peers' dependencies"
rm -rf "${out}/peers"
cp -r "${peers_source}" "${out}/peers"
chmod -R u+w "${out}/peers"
(cd "${out}/peers" && npm ci --no-audit --no-fund --silent)

if [ "${1:-}" = "capacity" ]; then
    echo "== capacity"
    java ${BENCH_OPTS:-} -Xmx2g -cp "${cp}" dev.tether.responder.bench.ResponderCapacity "${cp}" "${out}/capacity" \
        "${out}/peers" \
        | tee "${out}/capacity.txt"
    exit 0
fi

runs="${1:-1}"
for run in $(seq 1 "${runs}"); do
    echo "== run ${run} of ${runs}"
    java ${BENCH_OPTS:-} -Xmx512m -cp "${cp}" dev.tether.responder.bench.ResponderBench "${cp}" "${out}/peers" \
        "${out}/run-${run}" | tee "${out}/run-${run}.txt"
done
