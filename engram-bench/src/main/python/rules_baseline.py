"""numpy baseline for the learning rules (launched by io.engram.bench.RulesCompare).

What a numpy user writes, float32 like Engram:
  - pseudo-inverse training, full:      W = X.T @ np.linalg.pinv(X @ X.T) @ X, then the diagonal 0
  - pseudo-inverse training, low-rank:  Gi = np.linalg.pinv(X @ X.T)
  - pseudo-inverse recall, low-rank:    X.T @ (Gi @ (X @ S)) for 64 cues (one product)
  - Storkey training: the rule vectorised per pattern, buffers allocated once (see storkey()).
Prints one JSON object: best-of-reps seconds per scenario, the OpenBLAS configuration, and a check
that the vectorised Storkey matches the rule written from its definition.
Usage: rules_baseline.py REPS [SCENARIO ...]  (scenarios: pinv_full pinv_lowrank pinv_recall storkey)
"""
import json
import os
import sys
import time

import numpy as np


def best(f, reps):
    # the same rule as the Java side: warm up with at least 1 call and 1 s (at most 50 calls),
    # then the best of reps calls
    t0 = time.perf_counter()
    i = 0
    while i < 50 and (i < 1 or time.perf_counter() - t0 < 1.0):
        f()
        i += 1
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return min(ts)


def bipolar(rng, p, n):
    return rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=(p, n))


def pinv_full(x):
    w = x.T @ np.linalg.pinv(x @ x.T) @ x
    np.fill_diagonal(w, 0)
    return w


def storkey(x, zero_diagonal=True):
    """Storkey's rule, per pattern: h = W x, then
    W += W*(r_i + r_j) + (x_i x_j + u_i x_j + x_i u_j)/N with u = x*diag(W) - h, r = x*x/N
    (the same algebra as Engram's kernel, which is Storkey's h_ij = h_i - w_ii x_i - w_ij x_j);
    float32, every N x N temporary allocated once."""
    p, n = x.shape
    w = np.zeros((n, n), dtype=np.float32)
    s = np.empty_like(w)
    t = np.empty_like(w)
    inv = np.float32(1.0 / n)
    diag = np.einsum("ii->i", w)  # a writable view of the diagonal
    for k in range(p):
        xk = x[k]
        h = w @ xk
        d = diag.copy()
        u = xk * d - h
        r = xk * xk * inv
        np.add.outer(r, r, out=s)
        s *= w
        np.outer(xk, (xk + u) * inv, out=t)
        s += t
        np.outer(u * inv, xk, out=t)
        s += t
        w += s
        if zero_diagonal:
            diag[:] = 0
        else:
            diag[:] = d + (xk * xk - 2 * xk * (h - d * xk)) * inv
    return w


def storkey_definition(x, zero_diagonal=True):
    """The rule as published, float64, O(N^3) per pattern: for the check only."""
    p, n = x.shape
    w = np.zeros((n, n))
    for xk in x.astype(np.float64):
        h = w @ xk
        hij = h[:, None] - (np.diag(w) * xk)[:, None] - w * xk[None, :]
        dw = (np.outer(xk, xk) - xk[:, None] * hij.T - hij * xk[None, :]) / n
        hii = h - np.diag(w) * xk
        np.fill_diagonal(dw, (xk * xk - 2 * xk * hii) / n)
        w = w + dw
        if zero_diagonal:
            np.fill_diagonal(w, 0)
    return w


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    wanted = set(sys.argv[2:]) or {"pinv_full", "pinv_lowrank", "pinv_recall", "storkey"}
    rng = np.random.default_rng(11)
    out = {"numpy": np.__version__, "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
           "seconds": {}}
    sec = out["seconds"]
    check = bipolar(rng, 7, 37)
    out["storkey_check_max_abs_diff"] = float(
        np.abs(storkey(check) - storkey_definition(check)).max())

    p, n = 1000, 16384
    if wanted & {"pinv_full", "pinv_lowrank", "pinv_recall"}:
        x = bipolar(rng, p, n)
        if "pinv_lowrank" in wanted:
            sec["pinv_lowrank"] = best(lambda: np.linalg.pinv(x @ x.T), reps)
        if "pinv_recall" in wanted:
            gi = np.linalg.pinv(x @ x.T)
            s = bipolar(rng, n, 64)
            sec["pinv_recall"] = best(lambda: x.T @ (gi @ (x @ s)), reps)
            del gi
        if "pinv_full" in wanted:
            sec["pinv_full"] = best(lambda: pinv_full(x), reps)
        del x
    if "storkey" in wanted:
        xs = bipolar(rng, 400, 4096)
        sec["storkey"] = best(lambda: storkey(xs), reps)
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
