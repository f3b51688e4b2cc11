#!/usr/bin/env bash
# Accuracy of the pseudo-inverse rule against numpy's float64 X.T @ pinv(X @ X.T) @ X, through the
# engram command (train, export, inspect) on five sets of N = 1000 (random, correlated, real-valued,
# dependent, near-duplicate). Builds bin/engram's jar first (reactor build, nothing installed).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl engram-cli -am package -DskipTests
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 engram-bench/src/main/python/rules_accuracy.py "$dir" bin/engram
