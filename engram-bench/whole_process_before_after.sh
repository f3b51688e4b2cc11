#!/usr/bin/env bash
# Before/after of the whole-process figures: builds the engram command line of this tree and of
# BASE_REV (default: the merge-base with main; extracted with git archive into
# engram-bench/target/wp-base and built there, reactor builds, nothing installed), then runs
# whole_process.py with both launchers in the same rounds (numpy, this tree, the base, alternated).
# Usage: engram-bench/whole_process_before_after.sh [BASE_REV] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-$(git merge-base HEAD main)}
rounds=${2:-5}
mvn -B -q -pl engram-cli -am package -DskipTests
dir=engram-bench/target/wp-base
rm -rf "$dir" && mkdir -p "$dir"
git archive "$base" | tar -x -C "$dir"
(cd "$dir" && mvn -B -q -pl engram-cli -am package -DskipTests)
echo "base $(git rev-parse --short "$base"), new $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted')"
python3 engram-bench/src/main/python/whole_process.py --reps "$rounds" --baseline "$dir/bin/engram"
