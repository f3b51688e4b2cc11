#!/usr/bin/env bash
# One command: build the benchmark jar (reactor build, nothing installed) and run the side-by-side
# comparison against numpy + OpenBLAS and Encog 3.4. Run from anywhere; extra args go to Compare
# (--reps K, --no-numpy, --no-encog, --no-scale).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl engram-bench -am package -DskipTests
exec java --add-modules jdk.incubator.vector -Xmx8g ${ENGRAM_BENCH_JAVA_OPTS:-} \
  -cp engram-bench/target/benchmarks.jar io.engram.bench.Compare "$@"
