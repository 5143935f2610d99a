#!/usr/bin/env bash
# Compares Tether's MQTT-over-WebSocket client with Eclipse Paho and the HiveMQ MQTT client on one embedded HiveMQ
# CE broker, in the same run.
# Usage, from the repository root: scripts/bench-mqtt.sh [round trips] [throughput messages] [payload bytes]
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -pl shared test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Xmx1g -cp "shared/target/test-classes:shared/target/classes:$(cat shared/target/bench.classpath)" \
    dev.tether.mqtt.bench.MqttRoundTripBench "$@"
