#!/usr/bin/env bash
# QoS 1 messages routed per second and their latency with 1,000 MQTT-over-WebSocket connections: the IoT Core
# stand-in (tether-local) against HiveMQ CE embedded, in the same run on the same machine, each broker in a JVM
# of its own (-Xmx1g). Also the resident memory each broker needs per idle connection.
#
# Usage, from anywhere: deploy/local/bench.sh
# Tunables (system properties of the driver): BENCH_OPTS="-Dbench.connections=1000 -Dbench.window=4
#   -Dbench.warmup=5 -Dbench.seconds=15"
# Needs: JDK 17, Maven. Takes about two minutes. Results in target/bench/broker-bench.json.
set -euo pipefail

module="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${module}/../.." && pwd)"
out="${module}/target/bench"
mkdir -p "${out}"

echo "== building the stand-in and the load driver"
# One reactor build, so that the shared module resolves to its freshly compiled classes (no mvn install); the
# classpath file of the last module built, deploy/local, is the one left.
mvn -B -q -f "${repo}/pom.xml" -pl deploy/local -am test-compile dependency:build-classpath -Dcheckstyle.skip \
    -Dmdep.outputFile="${out}/classpath.txt" -Dmdep.includeScope=test
local_cp="${module}/target/test-classes:${module}/target/classes:$(cat "${out}/classpath.txt")"

echo "== building the HiveMQ CE launcher (its own classpath: HiveMQ runs on Netty 4.1)"
mvn -B -q -f "${module}/bench/hivemq/pom.xml" compile dependency:build-classpath \
    -Dmdep.outputFile="${module}/bench/hivemq/target/classpath.txt"
hivemq_cp="${module}/bench/hivemq/target/classes:$(cat "${module}/bench/hivemq/target/classpath.txt")"

cp "${module}/bench/logback-bench.xml" "${out}/logback-bench.xml"
rm -rf "${out}/hivemq"
echo "== running"
java ${BENCH_OPTS:-} -Xmx1g -cp "${local_cp}" dev.tether.local.bench.BrokerBenchmark \
    "${local_cp}" "${hivemq_cp}" "${out}"
