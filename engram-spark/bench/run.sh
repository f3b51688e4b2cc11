#!/usr/bin/env bash
# Spark against the core on 1 and 2 threads (docs/BENCHMARKS.md, "Spark"): training on local[2];
# recall on 1 and 2 executors (local[1], local[2], and a standalone cluster of two one-core
# workers started here from the jars Maven resolved, 127.0.0.1 only).
# Usage: engram-spark/bench/run.sh [P N Q]   (defaults 16384 8192 20000)
#        engram-spark/bench/run.sh modern recall|sharded [P N Q]   (modern memory: ModernBenchmark)
#   JAVA (default: java) picks the JDK; extra JVM flags: BENCH_OPTS, e.g.
#   BENCH_OPTS=-Dengram.bench.train=false engram-spark/bench/run.sh   (recall only)
# Builds with the reactor (never installs), then runs io.engram.spark.bench.SparkBenchmark (a
# test-source class: compiled by every build, not part of the published jar) on the module's test
# classpath with the JVM flags Spark's launcher adds.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
target="$root/engram-spark/target"
# the provided-scope jars: Spark and its dependencies, the benchmark's classpath and the cluster's
# "Spark installation"
mvn -B -q -pl engram-spark -am package -DskipTests \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/spark-classpath.txt -Dmdep.includeScope=provided
core="$(ls "$root"/engram-core/target/engram-core-*.jar | grep -v -e sources -e javadoc -e tests | head -1)"
jar="$(ls "$target"/engram-spark_*.jar | grep -v -e sources -e javadoc -e tests | head -1)"
cp="$target/test-classes:$target/classes:$core:$(cat "$target/spark-classpath.txt")"
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
         java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
         sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
main=io.engram.spark.bench.SparkBenchmark
if [ "${1:-}" = modern ]; then
  main=io.engram.spark.bench.ModernBenchmark
  shift
fi
uptime
# shellcheck disable=SC2086
exec "${JAVA:-java}" "-Xmx${BENCH_XMX:-12g}" --add-modules jdk.incubator.vector \
  -Dlog4j2.configurationFile="$root/engram-spark/bench/log4j2.properties" \
  -XX:+IgnoreUnrecognizedVMOptions $opens \
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  -Dengram.spark.classpathFile="$target/spark-classpath.txt" -Dengram.spark.jar="$jar" \
  ${BENCH_OPTS:-} -cp "$cp" "$main" "$@"
