#!/usr/bin/env bash
# Decode-and-resize throughput of ying's VideoReader against ffmpeg -threads 1, as a ratio in one run.
#   bench/decode.sh [--reps N] [--dir FOLDER] [--sizes 96x64,192x128] [--help]
# Builds core and bench first when their jars are missing or older than the sources.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

jar="$(ls bench/target/ying-bench-*.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$jar" ] || [ ! -f bench/target/classpath.txt ] \
    || [ -n "$(find core/src bench/src core/pom.xml bench/pom.xml pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
  echo "decode.sh: building core and bench (mvn package -DskipTests)..." >&2
  mvn -q -B -pl core,bench -am package -DskipTests >&2
  jar="$(ls bench/target/ying-bench-*.jar | head -n 1)"
fi

# log4j2's config keeps Hadoop's local-filesystem set-up from printing to the results.
exec java -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" ${JAVA_OPTS:-} \
  -cp "$jar:$(cat bench/target/classpath.txt)" ying.bench.DecodeBench "$@"
