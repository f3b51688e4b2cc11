#!/usr/bin/env bash
# Before/after of compare.sh's in-process comparison (io.engram.bench.Compare against numpy and
# Encog): builds the benchmark jar of this tree and of BASE_REV (default 8e56a26, before the
# architecture work of issue 10; extracted with git archive into engram-bench/target/cmp-base and
# built there, reactor builds, nothing installed), then runs the two Compare programs alternately,
# ROUNDS rounds (base first in each), each from its own tree (its own numpy_baseline.py), with the
# same C FMA reference. Each run's report goes to engram-bench/target/cmp/{base,new}-ROUND.md, the
# load average before and after each to engram-bench/target/cmp/log; the table of
# numpy / Engram ratios is printed at the end.
# Usage: engram-bench/compare_before_after.sh [BASE_REV] [ROUNDS] [Compare options, e.g. --reps 2]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
base=${1:-8e56a26}
rounds=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
mvn -B -q -pl engram-bench -am package -DskipTests
dir=engram-bench/target/cmp-base
out=engram-bench/target/cmp
rm -rf "$dir" "$out" && mkdir -p "$dir" "$out"
git archive "$base" | tar -x -C "$dir"
(cd "$dir" && mvn -B -q -pl engram-bench -am package -DskipTests -Dmaven.javadoc.skip=true)
cp engram-bench/target/benchmarks.jar "$out/new.jar"
cp "$dir/engram-bench/target/benchmarks.jar" "$out/base.jar"
gcc -O3 -march=native -pthread -o "$out/fma_peak" engram-bench/src/main/c/fma_peak.c
echo "base $(git rev-parse --short "$base"), new $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted')" | tee "$out/log"
for round in $(seq 1 "$rounds"); do
  for side in base new; do
    [ "$side" = base ] && tree="$dir" || tree="$root"
    echo "round $round $side start $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log"
    (cd "$tree" && java --add-modules jdk.incubator.vector -Xmx8g \
      -Dengram.bench.fmaPeakBinary="$root/$out/fma_peak" -cp "$root/$out/$side.jar" \
      io.engram.bench.Compare "$@" > "$root/$out/$side-$round.md" 2> "$root/$out/$side-$round.err")
    echo "round $round $side end $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log"
  done
done
python3 engram-bench/src/main/python/compare_table.py "$out" "$rounds"
