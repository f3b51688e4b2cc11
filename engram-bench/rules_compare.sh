#!/usr/bin/env bash
# The learning rules side by side with numpy, ratios in the same run: pseudo-inverse training
# (P = 1000, N = 16384; dense and factored), its factored recall product (64 cues) and Storkey
# training (P = 400, N = 4096). Builds the benchmark jar (reactor build, nothing installed), then
# runs io.engram.bench.RulesCompare, which launches engram-bench/src/main/python/rules_baseline.py
# (python3 + numpy) before each Engram measurement, in rounds. Run from anywhere; args go to
# RulesCompare ([--reps K] [--rounds R] [SCENARIO ...], scenarios pinv_full pinv_lowrank
# pinv_recall storkey; defaults 2 and 2, all). ENGRAM_BENCH_NO_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ENGRAM_BENCH_NO_BUILD:-0}" != "1" ]; then
  mvn -B -q -pl engram-bench -am package -DskipTests
fi
uptime
java --add-modules jdk.incubator.vector -Xmx8g ${ENGRAM_BENCH_JAVA_OPTS:-} \
  -cp engram-bench/target/benchmarks.jar io.engram.bench.RulesCompare "$@" 2>&1 \
  | grep -v '^WARNING: Using incubator modules'
uptime
