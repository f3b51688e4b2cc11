#!/usr/bin/env bash
# Before/after of the dense training update (Kernels.syrkAdd): builds the benchmark jar (reactor,
# nothing installed), compiles engram-core's main sources at a base revision (default: the
# merge-base with main) into engram-bench/target/syrk-old, then runs io.engram.bench.SyrkBench
# alternately on the old classes (first on the class path, shadowing the jar's) and on the jar.
# Usage: engram-bench/syrk_compare.sh [BASE_REV] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-$(git merge-base HEAD main)}
rounds=${2:-2}
mvn -B -q -pl engram-bench -am package -DskipTests
old=engram-bench/target/syrk-old
rm -rf "$old" && mkdir -p "$old/src" "$old/classes"
git archive "$base" engram-core/src/main | tar -x -C "$old/src"
javac -nowarn -d "$old/classes" --add-modules jdk.incubator.vector \
  $(find "$old/src" -name '*.java') 2>&1 | grep -v -e 'incubator' -e '^1 warning' || true
jvm=(java --add-modules jdk.incubator.vector -Xmx10g)
# kernel alone and the whole dense training (create + train), at the compare.sh and Spark sizes
cases=(4096:400 train:4096:400 8192:16384 train:8192:16384)
echo "base $(git rev-parse --short "$base"), new $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted')"
uptime
for r in $(seq "$rounds"); do
  "${jvm[@]}" -cp "$old/classes:engram-bench/target/benchmarks.jar" io.engram.bench.SyrkBench old 5 "${cases[@]}" 2>/dev/null
  "${jvm[@]}" -cp engram-bench/target/benchmarks.jar io.engram.bench.SyrkBench new 5 "${cases[@]}" 2>/dev/null
  uptime
done
