#!/usr/bin/env bash
# Modern Hopfield retrieval against numpy + OpenBLAS, with the FMA peak measured in the same run:
# builds the benchmark jar and the C FMA-peak reference (unless ENGRAM_BENCH_NO_BUILD=1, as when
# compare.sh calls it after building both), then runs io.engram.bench.ModernBench in a JVM whose
# heap (-Xmx384m) holds X (102 MB) but not the B x P score matrix (410 MB): that retrieval runs
# at all shows it never forms the scores. Run from anywhere; extra args go to ModernBench
# (--reps K, --no-numpy, --python CMD).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ENGRAM_BENCH_NO_BUILD:-0}" != "1" ]; then
  mvn -B -q -pl engram-bench -am package -DskipTests
  if command -v gcc >/dev/null 2>&1; then
    gcc -O3 -march=native -pthread -o engram-bench/target/fma_peak engram-bench/src/main/c/fma_peak.c
  fi
fi
cpeak=()
if [ -x engram-bench/target/fma_peak ]; then
  cpeak=(-Dengram.bench.fmaPeakBinary=engram-bench/target/fma_peak)
else
  echo "modern_compare.sh: no C FMA-peak reference (gcc missing); the Java probe alone sets the peak" >&2
fi
java --add-modules jdk.incubator.vector -Xmx384m ${ENGRAM_BENCH_JAVA_OPTS:-} "${cpeak[@]}" \
  -cp engram-bench/target/benchmarks.jar io.engram.bench.ModernBench "$@"
