"""Writes exp.json: one synchronous step of the exp separation (F(x) = e^(βx), ±1 patterns) in
float64, for io.engram.memory.ExpSeparationReferenceTest. Run `python3 make_exp.py` here (numpy;
the small cases are checked against 100-digit decimals straight from the rule, a few seconds).

exp.json: {"betas": [...], "cases": [{"name", "patterns": ["+-..", ...], "queries": [...],
"steps": [one list per beta: the next state of each query]}]}, values written as + and -."""
import json
from decimal import Decimal, getcontext

import numpy as np

BETAS = [1e-30, 1e-12, 1e-10, 1e-6, 1e-3, 1.0, 10.0]


def step(x, xi, beta):
    """ξ_i <- sgn Σ_μ [F(x_μi + h_μi) - F(-x_μi + h_μi)], h_μi = Σ_{j≠i} x_μj ξ_j; a zero sum keeps ξ_i.

    The sum is 2 sinh(β) Σ_μ x_μi e^(β h_μi), whose sign is that of Σ_μ x_μi e^(β (h_μi - h_max)),
    computed as Σ_μ x_μi + Σ_μ x_μi expm1(β (h_μi - h_max)) (the first sum an exact integer) so
    that the terms of order β are not lost to rounding at tiny β (e^(1e-30 h) is 1 in float64)."""
    s = x @ xi
    h = s[:, None] - x * xi[None, :]
    e = np.expm1(beta * (h - h.max(axis=0)[None, :]))
    f = x.sum(axis=0) + (x * e).sum(axis=0)
    return np.where(f > 0, 1.0, np.where(f < 0, -1.0, xi))


def step_decimal(x, xi, beta):
    """The same sum with 100-digit decimals, straight from the rule."""
    getcontext().prec = 100
    b = Decimal(beta)
    xs = x.astype(int).tolist()
    q = xi.astype(int).tolist()
    s = [sum(a * c for a, c in zip(row, q)) for row in xs]
    out = []
    for i in range(len(q)):
        f = sum((Decimal(s[m] - row[i] * q[i]) * b).exp() * row[i] for m, row in enumerate(xs))
        out.append(q[i] if f == 0 else (1 if f > 0 else -1))
    return np.array(out, dtype=float)


def signs(v):
    return "".join("+" if e > 0 else "-" for e in v)


def case(name, rng, p, n, flips, check):
    x = np.where(rng.random((p, n)) < 0.5, -1.0, 1.0)
    queries = []
    for k in range(min(p, 6)):
        queries.append(x[k].copy())
        cue = x[k].copy()
        cue[rng.choice(n, flips, replace=False)] *= -1
        queries.append(cue)
    out = {"name": name, "patterns": [signs(r) for r in x], "queries": [signs(q) for q in queries]}
    steps = []
    for beta in BETAS:
        beta = float(np.float32(beta))  # the memory's β is a float32
        got = [step(x, q, beta) for q in queries]
        if check:
            for q, g in zip(queries, got):
                assert (step_decimal(x, q, beta) == g).all(), (name, beta)
        steps.append([signs(g) for g in got])
    out["steps"] = steps
    return out


rng = np.random.default_rng(2026)
cases = [
    case("P = 8, N = 256 (ties in about a quarter of the columns)", rng, 8, 256, 25, True),
    case("P = 5, N = 64 (a memory of fewer than 8 patterns)", rng, 5, 64, 6, True),
    case("P = 6, N = 40", rng, 6, 40, 4, True),
    case("P = 300, N = 64 (more than one block of 256 patterns)", rng, 300, 64, 6, False),
]
with open("exp.json", "w") as f:
    json.dump({"betas": BETAS, "cases": cases}, f, indent=0)
    f.write("\n")
