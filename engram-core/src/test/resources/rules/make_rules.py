"""Reference cases for Engram's pseudo-inverse and Storkey rules, written by plain numpy (float64).

Run from this folder: python3 make_rules.py  (writes rules.json; numpy only, fixed seeds).
Each case lists its training calls (successive train() / --init calls, each a list of patterns),
the options, and the expected dense W after the last call; pseudo-inverse cases also give the
effective rank (numpy.linalg.matrix_rank of all patterns). The formulas are the textbook ones,
written independently of Engram's block update and kernels.
"""
import json

import numpy as np


def pinv_rule(calls, zero_diagonal, ridge):
    x = np.concatenate([np.asarray(c, dtype=np.float64) for c in calls])
    g = x @ x.T
    if ridge > 0:
        w = x.T @ np.linalg.inv(g + ridge * np.eye(len(x))) @ x
    else:
        w = x.T @ np.linalg.pinv(g) @ x
    if zero_diagonal:
        np.fill_diagonal(w, 0)
    return w, int(np.linalg.matrix_rank(x))


def storkey_rule(calls, zero_diagonal, w0):
    n = len(calls[0][0])
    w = np.zeros((n, n)) if w0 is None else np.array(w0, dtype=np.float64)
    for call in calls:
        for x in np.asarray(call, dtype=np.float64):
            h = w @ x
            # h_ij = sum_{k != i, j} w_ik x_k = h_i - w_ii x_i - w_ij x_j
            hij = h[:, None] - (np.diag(w) * x)[:, None] - w * x[None, :]
            d = (np.outer(x, x) - x[:, None] * hij.T - hij * x[None, :]) / n
            # the diagonal: h_ii = h_i - w_ii x_i (k = i left out once)
            hii = h - np.diag(w) * x
            np.fill_diagonal(d, (x * x - 2 * x * hii) / n)
            w = w + d
            if zero_diagonal:
                np.fill_diagonal(w, 0)
    return w


def bipolar(rng, p, n):
    return rng.choice([-1.0, 1.0], size=(p, n))


def f32(a):
    """Values exactly representable in float32 (the patterns Engram stores)."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def main():
    rng = np.random.default_rng(20261129)
    cases = {"pseudo_inverse": [], "storkey": []}

    def pi(name, calls, zero_diagonal=True, ridge=0.0):
        calls = [f32(c).tolist() for c in calls]
        w, rank = pinv_rule(calls, zero_diagonal, ridge)
        cases["pseudo_inverse"].append(
            {"name": name, "calls": calls, "zero_diagonal": zero_diagonal, "ridge": ridge,
             "rank": rank, "W": w.tolist()})

    a = bipolar(rng, 4, 12)
    pi("independent, zero diagonal", [a])
    pi("independent, diagonal kept", [a], zero_diagonal=False)
    b = bipolar(rng, 2, 10)
    pi("duplicate pattern", [np.stack([b[0], b[1], b[0]])])
    c = bipolar(rng, 2, 10)
    pi("dependent pattern (x1 + x2, 0.5 x1 - 1.5 x2)",
       [np.stack([c[0], c[1], c[0] + c[1], 0.5 * c[0] - 1.5 * c[1]])], zero_diagonal=False)
    d = bipolar(rng, 5, 14)
    pi("two calls (--init) equal one call of all rows", [d[:3], d[3:]])
    pi("two calls, the second repeats a stored pattern", [d[:3], np.stack([d[3], d[1]])],
       zero_diagonal=False)
    e = bipolar(rng, 4, 10)
    pi("ridge 2, two calls", [e[:2], e[2:]], ridge=2.0)
    base = rng.standard_normal(16)
    g = np.stack([base + 0.3 * rng.standard_normal(16) for _ in range(5)])
    pi("correlated real-valued patterns", [g], zero_diagonal=False)
    pi("more patterns than neurons (rank N)", [bipolar(rng, 8, 6)], zero_diagonal=False)

    def sk(name, calls, zero_diagonal=True, w0=None):
        calls = [f32(c).tolist() for c in calls]
        w = storkey_rule(calls, zero_diagonal, w0)
        cases["storkey"].append(
            {"name": name, "calls": calls, "zero_diagonal": zero_diagonal,
             "initial_W": None if w0 is None else np.asarray(w0).tolist(), "W": w.tolist()})

    s = bipolar(rng, 4, 10)
    sk("three patterns, zero diagonal", [s[:3]])
    sk("three patterns, diagonal kept", [s[:3]], zero_diagonal=False)
    sk("two calls (--init) continue the same sequence", [s[:2], s[2:]])
    w0 = f32(rng.uniform(-0.2, 0.2, size=(10, 10)))
    w0 = f32((w0 + w0.T) / 2)
    np.fill_diagonal(w0, 0)
    sk("continues existing weights", [s[:2]], w0=w0)
    sk("real values in [-1, 1]", [rng.uniform(-1, 1, size=(3, 8))], zero_diagonal=False)

    with open("rules.json", "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
