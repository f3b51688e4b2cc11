#!/usr/bin/env bash
# Spark local[2] vs the core on 1 and 2 threads (docs/BENCHMARKS.md, "Spark").
# Usage: engram-spark/bench/run.sh [P N Q]   (defaults 16384 8192 20000)
# Builds with the reactor (never installs), then runs io.engram.spark.bench.SparkBenchmark on
# Spark's classpath with the JVM flags Spark's launcher adds. JAVA (default: java) picks the JDK.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mvn -B -q -pl engram-spark -am package -DskipTests \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=compile
cp="$root/engram-spark/target/classes:$(cat "$root/engram-spark/target/bench-classpath.txt")"
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
         java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
         sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
uptime
exec "${JAVA:-java}" -Xmx12g --add-modules jdk.incubator.vector -Dlog4j2.configurationFile="$root/engram-spark/bench/log4j2.properties" -XX:+IgnoreUnrecognizedVMOptions $opens \
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  -cp "$cp" io.engram.spark.bench.SparkBenchmark "$@"
