#!/usr/bin/env bash
# Dataset-build clips/s on Spark local[1] against local[2] over the same synthetic input, and the scaling.
#   bench/build-dataset.sh [--dir FOLDER] [--videos N] [--reps N] [--warmups N] [--pin] [--help]
# Builds core, dataset-builder and bench first when their jars are missing or older than the sources.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

jar="$(ls bench/target/ying-bench-*.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$jar" ] || [ ! -f bench/target/classpath.txt ] \
    || [ -n "$(find core/src dataset-builder/src bench/src core/pom.xml dataset-builder/pom.xml bench/pom.xml pom.xml \
        -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
  echo "build-dataset.sh: building core, dataset-builder and bench (mvn package -DskipTests)..." >&2
  mvn -q -B -pl dataset-builder,bench -am package -DskipTests >&2
  jar="$(ls bench/target/ying-bench-*.jar | head -n 1)"
fi

# Spark on Java 17 needs these opens (the same list as bin/ying); it binds to loopback only.
OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
)
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java -Xmx"${YING_HEAP:-8g}" "${OPENS[@]}" -Djava.awt.headless=true -Dai.djl.offline=true \
  -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" ${JAVA_OPTS:-} \
  -cp "$jar:$(cat bench/target/classpath.txt)" ying.bench.BuildDatasetBench "$@"
