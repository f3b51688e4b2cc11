#!/usr/bin/env bash
# The environment sweep of 2026-12-03, by hand (root, Linux, util-linux, e2fsprogs, python3 with
# numpy): every command that writes, on a dense model of N = 4096 (67 MB), under a file size limit
# (ulimit -f), on a full tmpfs, on a read-only and an immutable file system, with its output folder
# renamed away mid-write. Each case prints the command's stderr and exit status, and says whether
# the folder's files are as they were (same names, sizes, contents; no temporary file). Expected:
# one line "engram: ...", exit 2, "unchanged". The automated parts are EnvironmentSweepTest (a
# 1 MiB tmpfs in a mount namespace) and engram-core's EnvironmentFailuresTest.
#   usage: sudo engram-cli/src/test/resources/env-sweep.sh [WORK_FOLDER]
set -u
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
E="$root/bin/engram"
W="${1:-$(mktemp -d)}"
cd "$W" || exit 2
python3 -c "
import numpy as np
r = np.random.default_rng(1)
np.save('p.npy', np.where(r.random((20, 4096)) < .5, -1, 1).astype(np.float32))
np.save('q.npy', np.where(r.random((4, 4096)) < .5, -1, 1).astype(np.float32))"
cmds() { # the command lines writing into folder $1
  echo "train --patterns $W/p.npy --weights dense --out $1/m.npz -q"
  echo "recall --model $W/m.npz --queries $W/q.npy --out $1/r.npy --grid $1/g.png --report $1/rep.json --size 64x64 -q"
  echo "export --model $W/m.npz --weights $1/w.npy -q"
  echo "inspect $W/m.npz --heatmap $1/h.png"
  echo "corrupt --patterns $W/p.npy --flip 0.1 --out $1/c.npy -q"
  echo "capacity --neurons 100 --patterns 5,10 --trials 2 --json $1/cap.json --csv $1/cap.csv --plot $1/cap.png"
  echo "demo --size 32x32 --out $1/d.png --images $1/imgs/"
}
snap() { (cd "$1" && find . -mindepth 1 -printf '%p %s\n' | sort && find . -type f -exec md5sum {} + | sort -k2); }
sweep() { # $1: folder, then a wrapper command (may be empty)
  local d=$1 line before
  shift
  before="$(snap "$d")"
  while read -r line; do
    # (stderr through a pipe: under ulimit -f a file would be limited too)
    { "$@" "$E" $line 2>&1 >/dev/null; echo "  exit $?"; } | cat
  done < <(cmds "$d")
  [ "$(snap "$d")" = "$before" ] && echo "  $d: unchanged" || echo "  $d: CHANGED"
}
mkdir -p base && "$E" train --patterns p.npy --weights dense --out m.npz -q &&
  while read -r line; do "$E" $line >/dev/null; done < <(cmds base)

echo "== ulimit -f 16 (KiB)"
cp -a base f && sweep f bash -c 'ulimit -f 16; exec "$@"' -

echo "== a full tmpfs (4 KiB left)"
mkdir -p full && mount -t tmpfs -o size=200m tmpfs full && cp -a base/. full/ &&
  fallocate -l $(($(df -B1 --output=avail full | tail -1) - 4096)) full/.filler &&
  sweep full && umount full

echo "== a read-only tmpfs"
mkdir -p ro && mount -t tmpfs -o size=200m tmpfs ro && cp -a base/. ro/ && mount -o remount,ro ro &&
  sweep ro && umount ro

echo "== immutable outputs, then an immutable folder (ext4 on a loop device)"
truncate -s 300M ext4.img && mkfs.ext4 -q -F ext4.img && mkdir -p ext &&
  mount -o loop ext4.img ext && cp -a base/. ext/ && chattr +i ext/*.* && sweep ext &&
  chattr -i ext/*.* && chattr +i ext && sweep ext && chattr -i ext && umount ext && rm ext4.img

echo "== the output folder renamed away while train writes"
mkdir -p moving && ("$E" train --patterns p.npy --weights dense --out moving/m.npz -q; echo "  exit $?") &
for _ in $(seq 400); do ls -A moving 2>/dev/null | grep -q 'engram.*tmp' && break; sleep 0.01; done
mv moving moved && wait && echo "  left in the renamed folder: $(ls -A moved)"
