#!/usr/bin/env bash
# The capacity command's time estimate on a busy machine: alternates two builds' launchers, each
# run with three busy loops beside it, and prints per run the exit status, the wall time and the
# estimate line (told, or the refusal's). docs/CLI.md, "How long a sweep takes".
#   engram-bench/capacity_estimate_ab.sh NEW_LAUNCHER BASE_LAUNCHER [ROUNDS] [CAPACITY ARGS...]
set -u
new=$1 base=$2 rounds=${3:-4}
shift $(($# < 3 ? $# : 3))
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--rule hebbian --neurons 1000 --trials 10 --time-limit 45s)
for ((r = 1; r <= rounds; r++)); do
  for which in new base; do
    if [ "$which" = new ]; then e=$new; else e=$base; fi
    loops=()
    for _ in 1 2 3; do
      (while :; do :; done) &
      loops+=($!)
    done
    sleep 0.5
    t0=$(date +%s.%N)
    err=$("$e" capacity "${args[@]}" 2>&1 >/dev/null)
    rc=$?
    line=$(grep -o "should take about [^(]*\|would take about [^,]*" <<<"$err" | head -1)
    t1=$(date +%s.%N)
    kill "${loops[@]}" 2>/dev/null
    wait "${loops[@]}" 2>/dev/null
    printf '%d %-4s exit %d  %5.1f s  load %s  %s\n' "$r" "$which" "$rc" \
      "$(echo "$t1 - $t0" | bc)" "$(cut -d' ' -f1 /proc/loadavg)" "$line"
  done
done
