#!/usr/bin/env python3
"""The signal sweep of 2026-12-03, by hand: signals at random moments to every writing command.

  usage: python3 engram-cli/src/test/resources/signal-sweep.py [ROUNDS [COMMAND,...]]
  (python3 with numpy; runs in a new temporary folder; about 3 s per round and command)

For each command: outputs from an 'old' run are put in place, the 'new' run is started and a
signal sent after a random delay. Afterwards every output must be the old file or the complete new
one (all old or all new for INT/TERM/HUP), no temporary file may remain (after KILL: the next
write removes them once they are a minute old), the exit status is 0 or 128+signal, and stderr
(progress forced on) ends with a newline.
"""
import os, random, shutil, signal, subprocess, sys, tempfile, time

import numpy as np

E = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "bin", "engram")
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 8
ONLY = sys.argv[2].split(",") if len(sys.argv) > 2 else None
os.chdir(tempfile.mkdtemp(prefix="engram-signal-sweep-"))
BASE = os.path.abspath("work")


def inputs():
    r = np.random.RandomState(5)
    x = r.choice(np.array([-1.0, 1.0], dtype=np.float32), size=(150, 1024))
    np.save("big.npy", x)
    np.save("small.npy", x[:20, :256])
    q = x[:64].copy()
    q[:, :200] *= -1
    np.save("q.npy", q)
    np.save("q2.npy", x[:16])
    subprocess.run([E, "train", "-q", "--patterns", "big.npy", "--weights", "dense", "--out", "m.npz"], check=True)
    subprocess.run([E, "train", "-q", "--patterns", "small.npy", "--out", "ms.npz"], check=True)
INPUTS = ["big.npy", "small.npy", "q.npy", "q2.npy", "m.npz", "ms.npz"]

CMDS = {
    "train": (["train", "--patterns", "small.npy", "--out", "o.npz"],
              ["train", "--patterns", "big.npy", "--weights", "dense", "--out", "o.npz"],
              ["o.npz"]),
    "train-init": (None,
                   ["train", "--patterns", "big.npy", "--init", "o.npz", "--out", "o.npz"],
                   ["o.npz"]),
    "recall": (["recall", "--model", "m.npz", "--queries", "q2.npy", "--out", "r.npy", "--report",
                "r.json", "--grid", "g.png", "--energy-plot", "e.png", "--size", "32x32"],
               ["recall", "--model", "m.npz", "--queries", "q.npy", "--out", "r.npy", "--report",
                "r.json", "--grid", "g.png", "--energy-plot", "e.png", "--size", "32x32"],
               ["r.npy", "r.json", "g.png", "e.png"]),
    "recall-images": (None,
                      ["recall", "--model", "m.npz", "--queries", "q.npy", "--out", "rimg/",
                       "--size", "32x32", "--report", "r.json"],
                      ["r.json", "rimg"]),
    "export": (["export", "--model", "ms.npz", "--weights", "W.npy"],
               ["export", "--model", "m.npz", "--weights", "W.npy"], ["W.npy"]),
    "capacity": (["capacity", "--rule", "hebbian", "--neurons", "300", "--patterns", "10,20,40,60",
                  "--trials", "20", "--seed", "2", "--json", "c.json", "--csv", "c.csv", "--plot",
                  "c.png"],
                 ["capacity", "--rule", "hebbian", "--neurons", "300", "--patterns",
                  "10,20,40,60", "--trials", "60", "--seed", "1", "--json", "c.json", "--csv",
                  "c.csv", "--plot", "c.png"],
                 ["c.json", "c.csv", "c.png"]),
    "demo": (["demo", "--size", "64x64", "--seed", "2", "--out", "d.png", "--images", "imgs/"],
             ["demo", "--size", "128x128", "--seed", "1", "--out", "d.png", "--images", "imgs/"],
             ["d.png", "imgs"]),
    "corrupt": (None,
                ["corrupt", "--patterns", "big.npy", "--flip", "0.2", "--seed", "1", "--out",
                 "noisy/", "--size", "32x32"],
                ["noisy"]),
    "inspect": (None, ["inspect", "m.npz", "--heatmap", "h.png"], ["h.png"]),
}

SIGS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL]


def run(args, cwd, **kw):
    env = dict(os.environ, ENGRAM_PROGRESS="always")
    return subprocess.Popen([E] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, **kw)


def setup(d):
    os.makedirs(d)
    for f in INPUTS:
        os.symlink(os.path.join(BASE, "..", f), os.path.join(d, f))


def snapshot(d, outs):
    """{relative path: bytes} of each output (a folder: its files)."""
    s = {}
    for o in outs:
        p = os.path.join(d, o)
        if os.path.isdir(p):
            for f in sorted(os.listdir(p)):
                if f.endswith(".tmp"):
                    continue
                s[o + "/" + f] = open(os.path.join(p, f), "rb").read()
        elif os.path.exists(p):
            s[o] = open(p, "rb").read()
    return s


def temps(d):
    found = []
    for root, _, files in os.walk(d):
        found += [os.path.join(root, f) for f in files if f.endswith(".tmp")]
    return found


def main():
    inputs()
    print("in", os.getcwd())
    shutil.rmtree(BASE, ignore_errors=True)
    os.makedirs(BASE)
    problems = []
    counts = {}
    for name, (old, new, outs) in CMDS.items():
        if ONLY and name not in ONLY:
            continue
        ref = os.path.join(BASE, name + "-new")
        setup(ref)
        oldd = os.path.join(BASE, name + "-old")
        setup(oldd)
        if name == "train-init":
            subprocess.run([E, "train", "-q", "--patterns", "small.npy", "--out", "o.npz"], cwd=oldd, check=True)
            shutil.copy(os.path.join(oldd, "o.npz"), os.path.join(ref, "o.npz"))
        elif old:
            subprocess.run([E] + old + ["-q"], cwd=oldd, check=True,
                           stdout=subprocess.DEVNULL)
        t0 = time.time()
        p = run(new + ([] if name == "inspect" else ["-q"]), ref, stdout=subprocess.DEVNULL)
        assert p.wait() == 0, name
        full = time.time() - t0
        olds = snapshot(oldd, outs)
        news = snapshot(ref, outs)
        for k in range(ROUNDS):
            sig = SIGS[k % len(SIGS)]
            d = os.path.join(BASE, "%s-%d" % (name, k))
            setup(d)
            for o in outs:
                src = os.path.join(oldd, o)
                if os.path.isdir(src):
                    shutil.copytree(src, os.path.join(d, o))
                elif os.path.exists(src):
                    shutil.copy(src, os.path.join(d, o))
            delay = random.uniform(0.1, full * 1.05) if k % 2 else random.uniform(full * 0.6, full * 1.1)
            err = open(os.path.join(d, "stderr"), "wb")
            p = run(new, d, stdout=subprocess.DEVNULL, stderr=err)
            time.sleep(delay)
            p.send_signal(sig)
            rc = p.wait()
            err.close()
            now = snapshot(d, outs)
            state = "new" if now == news else "old" if now == olds else "MIXED"
            key = (name, sig.name, rc, state)
            counts[key] = counts.get(key, 0) + 1
            e = open(os.path.join(d, "stderr"), "rb").read()
            where = "%s %s after %.2fs of %.2fs: rc %d, %s" % (name, sig.name, delay, full, rc, state)
            if rc not in (0, 128 + sig, -sig):
                problems.append(where + ": exit status; stderr " + repr(e[-300:]))
            if rc == 0 and state != "new":
                problems.append(where + ": exit 0 but outputs not new")
            if state == "MIXED":
                detail = []
                for f in sorted(set(now) | set(olds) | set(news)):
                    v = now.get(f)
                    detail.append("%s:%s" % (f, "new" if v == news.get(f) and v is not None else "old" if v == olds.get(f) and v is not None else "absent" if v is None else "OTHER"))
                problems.append(where + ": " + " ".join(detail[:12]))
            t = temps(d)
            if t and sig != signal.SIGKILL:
                problems.append(where + ": temporary files left " + str(t))
            if t and sig == signal.SIGKILL:
                # the next write into the folder removes them once a minute old
                old_t = time.time() - 120
                for f in t:
                    os.utime(f, (old_t, old_t))
                for folder in sorted(set(os.path.dirname(f) for f in t)):
                    q = subprocess.run([E, "export", "-q", "--model", os.path.join(d, "ms.npz"), "--weights", os.path.join(folder, "zz.npy")], cwd=d)
                left = temps(d)
                if left:
                    problems.append(where + ": temporary files after kill -9 not removed by the next write " + str(left))
            if b"\r" in e and not e.endswith(b"\n") and sig != signal.SIGKILL:
                problems.append(where + ": stderr does not end with a newline: " + repr(e[-120:]))
            if b"Exception" in e or b"\tat " in e:
                problems.append(where + ": stack trace: " + repr(e[-400:]))
    for k in sorted(counts):
        print(k, counts[k])
    print("\n".join(problems) if problems else "no problems")


main()
