"""numpy baseline for Engram's side-by-side comparison (launched by io.engram.bench.Compare).

The same dense math as Engram, written the straightforward way: T.T @ T for training, W @ S per
synchronous step for recall. Prints one JSON object: best-of-reps seconds per scenario, and the
OpenBLAS configuration actually loaded.
"""
import ctypes
import glob
import json
import os
import sys
import time

import numpy as np


def openblas_info():
    info = {"numpy": np.__version__}
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "libscipy_openblas*.so"))
    for lib in libs:
        try:
            so = ctypes.CDLL(lib)
            for name, key in (("scipy_openblas_get_corename64_", "corename"),
                              ("scipy_openblas_get_config64_", "config")):
                f = getattr(so, name)
                f.restype = ctypes.c_char_p
                info[key] = f().decode()
            nt = so.scipy_openblas_get_num_threads64_
            nt.restype = ctypes.c_int
            info["threads"] = nt()
        except (OSError, AttributeError):
            pass
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    info["OPENBLAS_L2_SIZE"] = os.environ.get("OPENBLAS_L2_SIZE")
    return info


def best(f, reps):
    # the same warm-up as the Java side: at least 3 calls and 1 s, at most 50 calls
    t_warm = time.perf_counter()
    i = 0
    while i < 50 and (i < 3 or time.perf_counter() - t_warm < 1.0):
        f()
        i += 1
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return min(ts)


def patterns(rng, p, n):
    return rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=(p, n))


def cues(rng, x, b, flip):
    c = x[np.arange(b) % x.shape[0]].copy()
    c[rng.random(c.shape) < flip] *= -1
    return c


def train(x):
    t = x - x.mean(dtype=np.float32)
    w = (t.T @ t) / np.float32(x.shape[0])
    np.fill_diagonal(w, 0)
    return w


def recall_fixed(w, s, steps):
    for _ in range(steps):
        s = np.sign(w @ s)
    return s


def recall_until_fixed(w, s, steps):
    s = s.copy()
    live = np.arange(s.shape[1])
    for _ in range(steps):
        if live.size == 0:
            break
        new = np.sign(w @ s[:, live])
        changed = np.any(new != s[:, live], axis=0)
        s[:, live] = new
        live = live[changed]
    return s


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    rng = np.random.default_rng(1)
    out = {"openblas": openblas_info(), "seconds": {}}
    sec = out["seconds"]

    n, p, b = 4096, 400, 64
    x = patterns(rng, p, n)
    sec["train_4096"] = best(lambda: train(x), reps)
    w = train(x)
    s0 = cues(rng, x, b, 0.2).T.copy()
    sec["recall20_4096"] = best(lambda: recall_fixed(w, s0, 20), reps)
    sec["recallfp_4096"] = best(lambda: recall_until_fixed(w, s0, 20), reps)
    del w

    n, p, b = 16384, 4, 4
    x = patterns(rng, p, n)
    c = cues(rng, x, b, 0.3).T.copy()

    def canns():
        w = train(x)
        return recall_until_fixed(w, c, 20)

    sec["canns_16384"] = best(canns, max(1, reps - 1))
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
