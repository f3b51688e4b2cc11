#!/usr/bin/env bash
# One command: build the benchmark jar (reactor build, nothing installed), compile the C FMA-peak
# reference (gcc -O3 -march=native; skipped with a note when gcc is missing) and run the
# side-by-side comparison against numpy + OpenBLAS and Encog 3.4. The Java FMA probe is checked
# against the C reference inside the same run. Run from anywhere; extra args go to Compare
# (--reps K, --no-numpy, --no-encog, --no-scale).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl engram-bench -am package -DskipTests
cpeak=()
if command -v gcc >/dev/null 2>&1; then
  gcc -O3 -march=native -pthread -o engram-bench/target/fma_peak engram-bench/src/main/c/fma_peak.c
  cpeak=(-Dengram.bench.fmaPeakBinary=engram-bench/target/fma_peak)
else
  echo "compare.sh: gcc not found, the C FMA-peak reference is skipped" >&2
fi
ENGRAM_BENCH_NO_BUILD=1 engram-bench/modern_compare.sh  # modern Hopfield retrieval vs numpy (own harness)
exec java --add-modules jdk.incubator.vector -Xmx8g ${ENGRAM_BENCH_JAVA_OPTS:-} "${cpeak[@]}" \
  -cp engram-bench/target/benchmarks.jar io.engram.bench.Compare "$@"
