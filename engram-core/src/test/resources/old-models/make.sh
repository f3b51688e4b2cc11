#!/usr/bin/env bash
# Writes one generation of old models: every kind the given build can train, and each model's
# recall of the fixed cues (states and report) as that build computes it.
#   usage: make.sh ENGRAM OUT     ENGRAM: that build's bin/engram; OUT: the generation's folder
# Inputs come from inputs/ beside this script (made by inputs/make_inputs.py). A model the build
# cannot train (an option it lacks) is skipped and listed in OUT/skipped.txt.
set -u
engram=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
in=$(cd "$(dirname "$0")/inputs" && pwd)
mkdir -p "$2" && cd "$2" || exit 1
: > skipped.txt
: > commands.txt
ln -sfn "$in" in   # the commands below name the inputs as in/...

run() { # logs and runs one command; returns its status (its error line in $err)
  echo "engram $*" >> commands.txt
  local status
  err=$("$engram" "$@" 2>&1 > /dev/null) && status=0 || status=$?
  err=${err%%$'\n'*}
  return $status
}

model() { # model NAME CUES -- TRAIN ARGS... [-- TRAIN ARGS of a second call (--init)]...
  local name=$1 cues=$2; shift 3
  local args=() first=1
  for a in "$@" --; do
    if [ "$a" = -- ]; then
      if [ $first = 1 ]; then
        run train "${args[@]}" --out "$name.npz" || { echo "$name: engram train ${args[*]}: $err" >> skipped.txt; rm -f "$name.npz"; sed -i '$d' commands.txt; return; }
      else
        run train "${args[@]}" --init "$name.npz" --out "$name.npz" || { echo "$name (second call): engram train ${args[*]}: $err" >> skipped.txt; rm -f "$name.npz"; return; }
      fi
      first=0; args=()
    else
      args+=("$a")
    fi
  done
  run recall --model "$name.npz" --queries "in/$cues" --out "$name.recall.npy" --report "$name.report.json"
}

# classical network, Hebbian rules
model hebbian-dense        q.npy   -- --patterns in/p1.npy --weights dense
model hebbian-low-rank     q.npy   -- --patterns in/p1.npy --weights low-rank
model hebbian-auto         q.npy   -- --patterns in/p1.npy
model hebbian-raw-dense    q.npy   -- --patterns in/p1.npy --weights dense --subtract-mean false --normalize false --zero-diagonal false
model hebbian-raw-low-rank q.npy   -- --patterns in/p1.npy --weights low-rank --subtract-mean false --normalize false --zero-diagonal false
model anti-hebbian         q.npy   -- --patterns in/p1.npy --rule anti-hebbian
model hebbian2-dense       q.npy   -- --patterns in/p1.npy --weights dense -- --patterns in/p2.npy
model hebbian2-low-rank    q.npy   -- --patterns in/p1.npy --weights low-rank -- --patterns in/p2.npy
model hebbian-then-anti    q.npy   -- --patterns in/p1.npy -- --patterns in/p2.npy --rule anti-hebbian
model resize-dense         q20.npy -- --patterns in/p1.npy --weights dense -- --patterns in/p3.npy
model resize-low-rank      q20.npy -- --patterns in/p1.npy --weights low-rank -- --patterns in/p3.npy
# dynamics kept in the model
model tanh                 q.npy   -- --patterns in/p1.npy --activation tanh --temperature 0.3 --threshold 0.1
model sigmoid              q.npy   -- --patterns in/p1.npy --activation sigmoid --temperature 0.7 --threshold -0.2
model async-seed           q.npy   -- --patterns in/p1.npy --update async --seed 7
model async-order          q.npy   -- --patterns in/p1.npy --update async --order in/order.npy
model async-order2-low-rank q.npy  -- --patterns in/p1.npy --weights low-rank --update async --order in/order.npy -- --patterns in/p2.npy
# rules beyond Hebb
model pseudo-inverse       q.npy   -- --patterns in/p1.npy --rule pseudo-inverse
model pseudo-inverse-dense q.npy   -- --patterns in/p1.npy --rule pseudo-inverse --weights dense
model pseudo-inverse-ridge q.npy   -- --patterns in/p1.npy --rule pseudo-inverse --ridge 0.5
model pseudo-inverse2      q.npy   -- --patterns in/p1.npy --rule pseudo-inverse -- --patterns in/p2.npy --rule pseudo-inverse
model pseudo-inverse2-dense q.npy  -- --patterns in/p1.npy --rule pseudo-inverse --weights dense -- --patterns in/p2.npy --rule pseudo-inverse
# patterns too close to dependent for float32 (large equal offsets, small differences): builds from
# 5e6ab40 stored rows of V that are not of unit length; today's training refuses them
model pseudo-inverse-near  near.csv -- --patterns in/near.csv --rule pseudo-inverse
model storkey              q.npy   -- --patterns in/p1.npy --rule storkey
model storkey2             q.npy   -- --patterns in/p1.npy --rule storkey -- --patterns in/p2.npy --rule storkey
# modern memory, each separation
model modern-softmax       q.npy   -- --patterns in/p1.npy --memory modern --beta 0.5
model modern-polynomial    qpm.npy -- --patterns in/p1.npy --memory modern --separation polynomial --degree 3
model modern-rectified     qpm.npy -- --patterns in/p1.npy --memory modern --separation rectified --degree 3
model modern-exp           qpm.npy -- --patterns in/p1.npy --memory modern --separation exp --beta 0.2
model modern2-softmax      q.npy   -- --patterns in/p1.npy --memory modern --beta 0.5 -- --patterns in/p2.npy --memory modern
rm -f in
[ -s skipped.txt ] || rm -f skipped.txt
