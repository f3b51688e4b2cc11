"""Every bin/engram command cold (one process per call), two builds alternated: the median and
fastest of ROUNDS runs of each command, and base / new by the median (docs/BENCHMARKS.md, run
W27).

Usage, in a folder holding the data (make it once, below):
    python3 command_sweep.py NEW_LAUNCHER BASE_LAUNCHER ROUNDS [WORD ...]
(WORD ...: only the commands that contain one of these words.)

The data (numpy, then the NEW launcher as E):
    python3 -c "import numpy as np; r=np.random.default_rng(0)
    np.save('dp.npy', r.choice([-1.,1.],(400,4096)).astype('f4'))
    np.save('q.npy', r.choice([-1.,1.],(64,4096)).astype('f4'))
    np.save('p1024.npy', r.choice([-1.,1.],(100,1024)).astype('f4'))
    np.save('q1024.npy', r.choice([-1.,1.],(64,1024)).astype('f4'))
    np.save('m256.npy', r.choice([-1.,1.],(10000,256)).astype('f4'))
    np.save('q256.npy', r.choice([-1.,1.],(64,256)).astype('f4'))"
    mkdir -p out cq; $E demo --size 128x128 --images imgs/
    $E corrupt --patterns imgs/ --flip 0.3 --seed 1 --out cq/
    $E train -q --patterns dp.npy --out lm.npz
    $E train -q --patterns dp.npy --out dm.npz --weights dense
    $E train -q --patterns imgs/ --out im.npz
    $E train -q --memory modern --patterns m256.npy --out mm.npz
    $E train -q --patterns p1024.npy --out pi.npz --rule pseudo-inverse
    $E train -q --patterns p1024.npy --out st.npz --rule storkey
"""
import statistics, subprocess, sys, time
new, base, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
C = [
 "--version",
 "train -q --patterns dp.npy --out out/lm.npz",
 "train -q --patterns dp.npy --out out/dm.npz --weights dense",
 "train -q --patterns imgs/ --out out/im.npz",
 "train -q --memory modern --patterns m256.npy --out out/mm.npz",
 "train -q --patterns p1024.npy --out out/pi.npz --rule pseudo-inverse",
 "train -q --patterns p1024.npy --out out/st.npz --rule storkey",
 "recall -q --model lm.npz --queries q.npy --out out/r.npy",
 "recall -q --model dm.npz --queries q.npy --out out/r.npy",
 "recall -q --model im.npz --queries cq/ --out out/rimg/",
 "recall -q --model mm.npz --queries q256.npy --out out/r.npy",
 "recall -q --model pi.npz --queries q1024.npy --out out/r.npy",
 "recall -q --model st.npz --queries q1024.npy --out out/r.npy",
 "export -q --model lm.npz --weights out/w.npy",
 "export -q --model dm.npz --weights out/w.npy",
 "export -q --model im.npz --weights out/w.npy",
 "export -q --model pi.npz --weights out/w.npy",
 "export -q --model st.npz --weights out/w.npy",
 "corrupt -q --patterns dp.npy --flip 0.2 --seed 1 --out out/c.npy",
 "corrupt -q --patterns imgs/ --flip 0.3 --seed 1 --out out/cimg/",
 "corrupt -q --patterns m256.npy --flip 0.2 --seed 1 --out out/c.npy",
 "inspect lm.npz",
 "inspect dm.npz",
 "inspect im.npz",
 "inspect mm.npz",
 "inspect pi.npz",
 "inspect st.npz",
 "inspect lm.npz --patterns dp.npy",
 "inspect mm.npz --patterns m256.npy",
 "capacity --rule hebbian --neurons 1024 --patterns 50,100,150 --trials 1 --seed 1",
 "capacity --rule pseudo-inverse --neurons 1024 --patterns 50,100,150 --trials 1 --seed 1",
 "capacity --rule storkey --neurons 1024 --patterns 50,100,150 --trials 1 --seed 1",
 "capacity --memory modern --neurons 256 --patterns 1000,5000,10000 --trials 1 --seed 1",
 "demo --out out/demo.png",
 "demo --size 128x128 --out out/demo.png",
]
only = sys.argv[4:]
for c in C:
    if only and not any(o in c for o in only):
        continue
    t = {new: [], base: []}
    for r in range(rounds):
        for exe in ((new, base) if r % 2 == 0 else (base, new)):
            s = time.perf_counter()
            p = subprocess.run(["nice", "-n", "19", exe] + c.split(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            t[exe].append(time.perf_counter() - s)
            if p.returncode:
                print("FAIL", exe, c, p.stderr.decode()[:200])
    mn, mb = statistics.median(t[new]), statistics.median(t[base])
    print(f"{c:<88} new {mn:6.3f} ({min(t[new]):6.3f})  base {mb:6.3f} ({min(t[base]):6.3f})  base/new {mb/mn:5.2f}x", flush=True)
