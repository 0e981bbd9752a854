# Sourced by bench/*.sh: builds the bench jar when it is missing or older than a source it depends
# on, then runs one benchmark class on the project's class path, the way bin/ying runs a command.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

run_bench() {
  local main="$1"
  shift
  local jar
  jar="$(ls bench/target/ying-bench-*.jar 2>/dev/null | head -n 1 || true)"
  if [ -z "$jar" ] || [ ! -f bench/target/classpath.txt ] \
      || [ -n "$(find core/src captioner/src dataset-builder/src inference/src bench/src core/pom.xml captioner/pom.xml \
          dataset-builder/pom.xml inference/pom.xml bench/pom.xml pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
    echo "bench: building the bench jar and what it uses (mvn package -DskipTests)..." >&2
    mvn -q -B -pl bench -am package -DskipTests ${BENCH_MAVEN_ARGS:-} >&2
    jar="$(ls bench/target/ying-bench-*.jar | head -n 1)"
  fi
  # Spark on Java 17 needs these opens (the same list as bin/ying); it binds to loopback only.
  local opens=(
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
  # As bin/ying: freed tensors stay in glibc's heap instead of going back to the kernel.
  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
  export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
  # log4j2's config keeps Spark's and Hadoop's start-up chatter out of the results.
  exec java -Xmx"${YING_HEAP:-8g}" "${opens[@]}" -Djava.awt.headless=true -Dai.djl.offline=true \
    -Dying.home="$ROOT" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" ${JAVA_OPTS:-} \
    -cp "$jar:$(cat bench/target/classpath.txt)" "ying.bench.$main" "$@"
}
