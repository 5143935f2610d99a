#!/usr/bin/env bash
# Presigned MQTT URLs per second on one thread: Tether's MqttUrlPresigner (JMH) against the original pattern's
# Node signer (aws4, ../shared/peers/bench-presign.js), in the same run on the same machine.
#
# Usage, from anywhere: scripts/bench-presign.sh
# Needs: JDK 17, Maven, Node 20 with npm (the npm registry must be reachable for `npm ci`), jq, awk.
# Takes about a minute and a half. The machine may be shared and noisy: run it several times and compare medians.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers_source="${repo}/../shared/peers"
out="${repo}/target/bench"
mkdir -p "${out}"

echo "== building test classes (shared)"
mvn -B -q -f "${repo}/pom.xml" -pl shared -am test-compile -Dcheckstyle.skip
mvn -B -q -f "${repo}/pom.xml" -pl shared dependency:build-classpath \
    -Dmdep.outputFile="${out}/classpath.txt" -Dmdep.includeScope=test
classpath="${repo}/shared/target/test-classes:${repo}/shared/target/classes:$(cat "${out}/classpath.txt")"

echo "== JMH: dev.tether.sigv4.PresignBenchmark (1 fork, 1 thread, 2 x 2 s warm-up, 4 x 3 s measured)"
java -cp "${classpath}" org.openjdk.jmh.Main 'dev.tether.sigv4.PresignBenchmark' \
    -f 1 -t 1 -wi 2 -w 2s -i 4 -r 3s -rf json -rff "${out}/jmh.json" > "${out}/jmh.log"
grep -E "^(Benchmark |PresignBenchmark)" "${out}/jmh.log"

echo "== Node peer: ../shared/peers/bench-presign.js (aws4)"
# ../shared may be read-only, so install the peers' dependencies in a copy.
peers="${repo}/target/peers"
rm -rf "${peers}"
mkdir -p "${peers}"
cp -R "${peers_source}/." "${peers}/"
rm -rf "${peers}/node_modules"
(cd "${peers}" && npm ci --silent --no-audit --no-fund > /dev/null)
node "${peers}/bench-presign.js" 5 > "${out}/peer.json"
cat "${out}/peer.json"

tether=$(jq -r '.[] | select(.benchmark | endswith(".presign")) | .primaryMetric.score' "${out}/jmh.json")
verify=$(jq -r '.[] | select(.benchmark | endswith(".verify")) | .primaryMetric.score' "${out}/jmh.json")
peer=$(jq -r '.presigns_per_s' "${out}/peer.json")
echo "== result"
printf 'tether presign:  %10.0f URLs/s (one thread)\n' "${tether}"
printf 'tether verify:   %10.0f checks/s (one thread)\n' "${verify}"
printf 'aws4 (Node):     %10.0f URLs/s (one core)\n' "${peer}"
awk -v t="${tether}" -v p="${peer}" 'BEGIN { printf "ratio tether/aws4: %.2f\n", t / p }'
