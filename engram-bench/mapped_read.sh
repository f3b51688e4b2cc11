#!/usr/bin/env bash
# A dense model's W read into a new heap array (as Engram reads models) against the same W mapped
# from the file (a design not built): fresh JVMs, alternated, the order swapped every round
# (io.engram.bench.MappedReadProbe). Trains the model first (N = 4096 by default).
# Usage: engram-bench/mapped_read.sh [ROUNDS] [N]     (run from anywhere; builds unless
# ENGRAM_BENCH_NO_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-10}"
n="${2:-4096}"
if [ "${ENGRAM_BENCH_NO_BUILD:-0}" != "1" ]; then
  mvn -B -q -pl engram-bench,engram-cli -am package -DskipTests
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work/p.npy" "$n" <<'PY'
import sys
import numpy as np
n = int(sys.argv[2])
rng = np.random.default_rng(7)
np.save(sys.argv[1], np.where(rng.random((max(1, n // 10), n)) < 0.5, -1, 1).astype(np.float32))
PY
bin/engram train -q --weights dense --patterns "$work/p.npy" --out "$work/m.npz"
jar=engram-bench/target/benchmarks.jar
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 0 ]; then order="map heap"; else order="heap map"; fi
  for mode in $order; do
    java -cp "$jar" io.engram.bench.MappedReadProbe "$mode" "$work/m.npz"
  done
done > "$work/times.txt"
python3 - "$work/times.txt" "$n" <<'PY'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1])]
by = {m: [r for r in rows if r[0] == m] for m in ("heap", "map")}
assert len({r[4] for r in rows}) == 1, "the two reads disagree"
print("N = %s, %d rounds, fresh JVMs alternated; milliseconds, median (min-max):" % (sys.argv[2], len(by["heap"])))
for m, what in (("heap", "allocate + read"), ("map", "map")):
    t = [float(r[1]) for r in by[m]]; s = [float(r[2]) for r in by[m]]; p = [float(r[3]) for r in by[m]]
    print("  %-4s total %.0f (%.0f-%.0f); %s %.0f; one pass over W %.0f" % (m, st.median(t), min(t), max(t), what, st.median(s), st.median(p)))
ratio = [float(a[1]) / float(b[1]) for a, b in zip(by["heap"], by["map"])]
print("  heap / map per round: median %.2fx (min %.2fx, max %.2fx); same sums" % (st.median(ratio), min(ratio), max(ratio)))
PY
