"""How close Engram's pseudo-inverse weights are to numpy's float64 X.T @ pinv(X @ X.T) @ X.

Engram forms the Gram matrix X Xᵀ in float32 (exact for ±1 patterns, rounded for real values) and
factors it in float64; this checks whether that suffices. Usage (engram-bench/rules_accuracy.sh runs
it): rules_accuracy.py DIR ENGRAM  -- writes the pattern sets to DIR, trains and exports with the
engram command (factored and dense weights, diagonal kept), prints one line per set and form.
"""
import json
import os
import subprocess
import sys

import numpy as np


def sets(rng, n):
    base = rng.choice([-1.0, 1.0], size=n)
    cor = np.tile(base, (100, 1))
    cor[rng.random(cor.shape) < 0.1] *= -1
    g = rng.standard_normal(n)
    x1, x2 = rng.standard_normal(n), rng.standard_normal(n)
    near = np.tile(base, (30, 1))
    for k in range(30):
        near[k, rng.choice(n, 3, replace=False)] *= -1
    return {
        "random +-1, P=200": rng.choice([-1.0, 1.0], size=(200, n)),
        "+-1, 10% flips of one pattern, P=100": cor,
        "real, one pattern + 30% noise, P=100": np.stack(
            [g + 0.3 * rng.standard_normal(n) for _ in range(100)]),
        "real, x1, x2, x1+x2 and 20 more, P=23": np.stack(
            [x1, x2, x1 + x2] + [rng.standard_normal(n) for _ in range(20)]),
        "+-1, 30 copies 3 values apart, P=30": near,
    }


def main():
    out, engram = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(5)
    n = 1000
    for k, (name, x) in enumerate(sets(rng, n).items()):
        x = x.astype(np.float32)
        p = os.path.join(out, "set%d.npy" % k)
        np.save(p, x)
        xd = x.astype(np.float64)
        want = xd.T @ np.linalg.pinv(xd @ xd.T) @ xd
        rank = np.linalg.matrix_rank(xd)
        for form in ("low-rank", "dense"):
            m = os.path.join(out, "set%d-%s.npz" % (k, form))
            w = os.path.join(out, "set%d-%s-W.npy" % (k, form))
            subprocess.run([engram, "train", "--patterns", p, "--rule", "pseudo-inverse",
                            "--zero-diagonal", "false", "--weights", form, "--out", m, "-q"],
                           check=True)
            subprocess.run([engram, "export", "--model", m, "--weights", w], check=True,
                           stdout=subprocess.DEVNULL)
            got = np.load(w).astype(np.float64)
            info = json.loads(subprocess.run([engram, "inspect", m, "--json"], check=True,
                                             capture_output=True, text=True).stdout)
            opts = info["history"][0]["options"]
            print("%-38s %-8s rank numpy %3d Engram %3s (%s)  max|W - W_numpy| %.1e" % (
                name, form, rank, opts["effective_rank"], opts["solver"],
                np.abs(got - want).max()))


if __name__ == "__main__":
    main()
