#!/usr/bin/env bash
# Before/after of modern retrieval (the first workload of modern_compare.sh) in one JVM, call by
# call: builds engram-core of this tree and of BASE_REV (default: the merge-base with main;
# extracted with git archive into engram-bench/target/modern-base and built there, reactor builds,
# nothing installed), then runs io.engram.bench.ModernBeforeAfter, which loads each core jar in a
# class loader of its own and alternates their retrieveAll calls.
# Usage: engram-bench/modern_before_after.sh [BASE_REV] [ROUNDS] [--canns | --shape B,P,N]
# (--canns: the CANNs image workload, N = 16384, P = 4, 4 cues, instead of the first workload;
# --shape: B queries against P patterns of N values)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-$(git merge-base HEAD main)}
rounds=${2:-20}
mode=()
if [ "${3:-}" = "--canns" ]; then
  mode=(--canns)
elif [ "${3:-}" = "--shape" ]; then
  mode=(--shape "${4:-}")
fi
mvn -B -q -pl engram-bench -am package -DskipTests
dir=engram-bench/target/modern-base
rm -rf "$dir" && mkdir -p "$dir"
git archive "$base" | tar -x -C "$dir"
(cd "$dir" && mvn -B -q -pl engram-core -am package -DskipTests)
jar() { ls "$1"/engram-core/target/engram-core-*.jar | grep -v -e sources -e javadoc -e tests | head -1; }
echo "base $(git rev-parse --short "$base"), new $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted')"
java --add-modules jdk.incubator.vector -Xmx3g ${ENGRAM_BENCH_JAVA_OPTS:-} \
  -cp engram-bench/target/benchmarks.jar io.engram.bench.ModernBeforeAfter \
  "${mode[@]}" "$rounds" "$(jar "$dir")" "$(jar .)"
