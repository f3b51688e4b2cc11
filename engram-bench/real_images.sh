#!/usr/bin/env bash
# What each memory holds of real images, through the engram command: the capacity lab
# (`engram capacity --data`) on photographs and on faces that Debian's python3-skimage package
# ships (scikit-image's sample data: 20 photographs, and the first 100 images of its Labeled Faces
# in the Wild subset, the faces, 25 x 25), for the Hebbian, Storkey and pseudo-inverse rules and
# modern memory side by side (`engram capacity --compare`), each cue with 20% of its pixels
# flipped, then with the bottom half of each cue occluded (partial cues). Also recall grids of
# faces from noisy cues and from top halves (Hebbian against modern memory).
#
# The package's data folder is used where the package is installed; otherwise the package file
# is fetched with `apt-get download` (Debian's archive; no root needed) and unpacked with
# `dpkg -x` into engram-bench/target/real-images, nothing installed. Results (tables, JSON,
# plots, grids) go to engram-bench/target/real-images/out. Builds bin/engram's jar first unless
# ENGRAM_BENCH_NO_BUILD=1. numpy turns the faces (float64 in [0, 1]) into +-1 patterns, each
# thresholded at its own mean as engram does for images.
# Usage: engram-bench/real_images.sh [TRIALS]   (default 5; about a minute on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-5}
if [ "${ENGRAM_BENCH_NO_BUILD:-0}" != "1" ]; then
  mvn -B -q -pl engram-cli -am package -DskipTests
fi
work=engram-bench/target/real-images
out=$work/out
mkdir -p "$work"
data=/usr/lib/python3/dist-packages/skimage/data
if [ ! -f "$data/lfw_subset.npy" ]; then
  data=$work/deb/usr/lib/python3/dist-packages/skimage/data
  if [ ! -f "$data/lfw_subset.npy" ]; then
    (cd "$work" && rm -f python3-skimage_*.deb && apt-get download python3-skimage >/dev/null) || {
      echo "real_images.sh: python3-skimage is neither installed nor downloadable here" >&2
      exit 2
    }
    dpkg -x "$work"/python3-skimage_*.deb "$work/deb"
  fi
fi
echo "images from $data ($(dpkg-query -W -f='python3-skimage ${Version}' python3-skimage 2>/dev/null \
  || basename "$work"/python3-skimage_*.deb .deb))"
rm -rf "$out" && mkdir -p "$out/photos"
# the photographs; the package's drawings, palettes and test patterns are left out
for f in astronaut.png brick.png camera.png cell.png chelsea.png clock_motion.png coffee.png \
  coins.png grass.png gravel.png horse.png hubble_deep_field.jpg ihc.png moon.png \
  motorcycle_left.png motorcycle_right.png page.png retina.jpg rocket.jpg text.png; do
  cp "$data/$f" "$out/photos/"
done
python3 - "$data/lfw_subset.npy" "$out" <<'EOF'
import sys
import numpy as np

faces = np.load(sys.argv[1])[:100].reshape(100, -1)  # the subset's first 100 images are faces
x = np.where(faces > faces.mean(axis=1, keepdims=True), 1, -1).astype(np.float32)
np.save(sys.argv[2] + "/faces.npy", x)
g = x @ x.T / x.shape[1]
print("faces: %d of %d pixels, mean overlap of two faces %.3f" % (x.shape[0], x.shape[1],
      g[np.triu_indices(len(x), 1)].mean()))
rng = np.random.default_rng(7)
cues = x[:8].copy()
for c in cues:
    flip = rng.choice(c.size, size=round(0.2 * c.size), replace=False)
    c[flip] = -c[flip]
np.save(sys.argv[2] + "/face_cues.npy", cues)
EOF
engram=bin/engram
# every memory on the same patterns, loads and cues (capacity --compare): cues with 20% of their
# pixels flipped, then partial cues, the bottom half of every image occluded (set to 0, unknown)
sweeps() { # OUTPUT-SUFFIX CUE-OPTIONS...
  local suffix=$1
  shift
  echo "== photographs (64 x 64), $*"
  "$engram" capacity --compare --data "$out/photos" --size 64x64 --patterns 2,5,10,15,20 \
    "$@" --trials "$trials" -q --json "$out/photos$suffix.json" --csv "$out/photos$suffix.csv" \
    --plot "$out/photos$suffix.png"
  echo "== faces (25 x 25), $*"
  "$engram" capacity --compare --data "$out/faces.npy" --patterns 5,10,20,50,100 \
    "$@" --trials "$trials" -q --json "$out/faces$suffix.json" --csv "$out/faces$suffix.csv" \
    --plot "$out/faces$suffix.png"
}
sweeps "" --flip 0.2
sweeps -half --occlude 0.5
# 8 faces, all 100 stored
"$engram" train -q --patterns "$out/faces.npy" --out "$out/faces-hebbian.npz"
"$engram" train -q --memory modern --patterns "$out/faces.npy" --out "$out/faces-modern.npz"
python3 -c "import numpy as np, sys; np.save(sys.argv[1], np.load(sys.argv[2])[:8])" \
  "$out/faces8.npy" "$out/faces.npy"
# recall grids of them from 20%-noise cues and from their top halves
"$engram" corrupt -q --patterns "$out/faces8.npy" --occlude 0.5 --out "$out/face_halves.npy"
for cues in face_cues: face_halves:-half; do
  for k in hebbian modern; do
    "$engram" recall -q --model "$out/faces-$k.npz" --queries "$out/${cues%%:*}.npy" \
      --out "$out/recalled${cues#*:}-$k.npy" --stored "$out/faces8.npy" --size 25x25 \
      --grid "$out/faces${cues#*:}-grid-$k.png"
  done
done
echo "written: $out"
