#!/usr/bin/env bash
# One command: build the benchmark jar and the engram command line (reactor build, nothing
# installed), compile the C FMA-peak reference (gcc -O3 -march=native; skipped with a note when
# gcc is missing) and run
#  1. the side-by-side comparison in one JVM against numpy + OpenBLAS and Encog 3.4 (the Java FMA
#     probe is checked against the C reference inside the same run), then
#  2. the whole-process comparison: bin/engram train + recall, one command at a time as a user
#     runs them, against one numpy script doing the same work and against two numpy scripts that
#     pass W through a .npy file as the two commands do, alternated; the dense case also in one
#     fresh JVM through the library (io.engram.bench.OneProcess: no model file between train and
#     recall); and bin/engram --version.
# Run from anywhere. Options: --reps K (both parts), --whole-process-only, --no-whole-process; the
# rest go to Compare (--no-numpy, --no-encog, --no-scale).
set -euo pipefail
cd "$(dirname "$0")/.."
compare_args=()
whole_args=()
in_process=1
whole_process=1
while [ $# -gt 0 ]; do
  case "$1" in
    --whole-process-only) in_process=0 ;;
    --no-whole-process) whole_process=0 ;;
    --reps)
      compare_args+=(--reps "$2")
      whole_args+=(--reps "$2")
      shift
      ;;
    *) compare_args+=("$1") ;;
  esac
  shift
done
mvn -B -q -pl engram-bench,engram-cli -am package -DskipTests
if [ "$in_process" = 1 ]; then
  cpeak=()
  if command -v gcc >/dev/null 2>&1; then
    gcc -O3 -march=native -pthread -o engram-bench/target/fma_peak engram-bench/src/main/c/fma_peak.c
    cpeak=(-Dengram.bench.fmaPeakBinary=engram-bench/target/fma_peak)
  else
    echo "compare.sh: gcc not found, the C FMA-peak reference is skipped" >&2
  fi
  # shellcheck disable=SC2086
  java --add-modules jdk.incubator.vector -Xmx8g ${ENGRAM_BENCH_JAVA_OPTS:-} "${cpeak[@]}" \
    -cp engram-bench/target/benchmarks.jar io.engram.bench.Compare "${compare_args[@]}"
fi
if [ "$whole_process" = 1 ]; then
  [ "$in_process" = 1 ] && echo
  python3 engram-bench/src/main/python/whole_process.py --one-process --floor "${whole_args[@]}"
fi
# the learning rules against numpy (their own table)
[ "$in_process" = 1 ] && ENGRAM_BENCH_NO_BUILD=1 engram-bench/rules_compare.sh
# modern Hopfield retrieval against numpy (its own harness)
[ "$in_process" = 1 ] && ENGRAM_BENCH_NO_BUILD=1 engram-bench/modern_compare.sh
