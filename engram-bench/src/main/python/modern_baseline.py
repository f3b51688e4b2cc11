"""numpy baseline for Engram's modern Hopfield retrieval (launched by io.engram.bench.ModernBench).

One softmax retrieval step, softmax(beta * Q @ X.T) @ X in float32, written the efficient numpy
way (the B x P scores formed once and normalised in place), for the same workloads as the Java
side: B = 1024 queries against P = 100,000 patterns of N = 256, and the CANNs image workload
(N = 16384, P = 4, 4 cues: one step; and "storing" the patterns, a copy). Prints one JSON object: best-of-reps seconds per
workload, the least process CPU seconds (all threads) of those calls, and the OpenBLAS
configuration actually loaded.

With --shape B,P,N [REPS], it times one step of that shape alone (best and median seconds).

With --serve, it sets up only the first workload, warms it up, prints "ready" and then times one
call per line "run" read from stdin, printing "WALL CPU" seconds for each: ModernBench alternates
those calls with its own, so that both sides of each pair of calls meet the same machine.
"""
import json
import sys
import time

import numpy as np

try:
    from numpy_baseline import openblas_info
except ImportError:  # pragma: no cover - the sibling script is missing
    def openblas_info():
        return {"numpy": np.__version__}


# seconds of warm-up per workload, as ModernBench.WARM_NANOS
WARM_S = 5.0


def best(f, reps):
    # the same rule as the Java side (ModernBench.best): warm-up at least 3 calls and WARM_S, no
    # cap on the calls; timed reps calls, and at least 200 of them when a call takes under 10 ms
    t_warm = time.perf_counter()
    i = 0
    while i < 3 or time.perf_counter() - t_warm < WARM_S:
        f()
        i += 1
    ts = []
    cs = []
    while len(ts) < reps or (len(ts) < 200 and min(ts) < 0.01):
        c0 = time.process_time()
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
        cs.append(time.process_time() - c0)
    return min(ts), min(cs)


def retrieve(x, q, beta):
    s = q @ x.T
    s *= beta
    s -= s.max(axis=1, keepdims=True)
    np.exp(s, out=s)
    s /= s.sum(axis=1, keepdims=True)
    return s @ x


def attention_workload(rng, pm):
    b, p, n = 1024, 100_000, 256
    x = rng.choice(pm, size=(p, n))
    q = x[(np.arange(b) * p) // b].copy()
    q[rng.random(q.shape) < 0.2] *= -1
    beta = np.float32(1 / np.sqrt(n))
    return lambda: retrieve(x, q, beta)


def serve(f):
    best(f, 1)  # the same warm-up as best(); one timed call
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        c0 = time.process_time()
        t0 = time.perf_counter()
        f()
        print(f"{time.perf_counter() - t0!r} {time.process_time() - c0!r}", flush=True)


def shape_workload(rng, pm, b, p, n):
    # B queries against P +-1 patterns of N values, each query a stored pattern with 20% flipped
    x = rng.choice(pm, size=(p, n))
    q = x[(np.arange(b) * p) // b].copy()
    q[rng.random(q.shape) < 0.2] *= -1
    beta = np.float32(1 / np.sqrt(n))
    return lambda: retrieve(x, q, beta)


def main():
    rng = np.random.default_rng(1)
    pm = np.array([-1.0, 1.0], dtype=np.float32)
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(attention_workload(rng, pm))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--shape":
        # --shape B,P,N [REPS]: one retrieval step of that shape, best of REPS (at least 200 when
        # a call takes under 10 ms) after the usual warm-up; prints best and median seconds
        try:
            b, p, n = (int(v) for v in sys.argv[2].split(","))
            reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
            if min(b, p, n, reps) < 1:
                raise ValueError("every value must be at least 1")
        except (IndexError, ValueError):
            print("modern_baseline.py: --shape needs B,P,N [REPS]", file=sys.stderr)
            sys.exit(2)
        f = shape_workload(rng, pm, b, p, n)
        best(f, 1)
        ts = []
        while len(ts) < reps or (len(ts) < 200 and min(ts) < 0.01):
            t0 = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t0)
        ts.sort()
        print(json.dumps({"shape": [b, p, n], "best": ts[0], "median": ts[len(ts) // 2],
                          "calls": len(ts), "openblas": openblas_info()}))
        return
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    out = {"attention": best(attention_workload(rng, pm), reps)}

    cn, cp = 16384, 4
    xi = rng.choice(pm, size=(cp, cn))
    ci = xi.copy()
    ci[rng.random(ci.shape) < 0.3] *= -1
    cbeta = np.float32(1 / np.sqrt(cn))
    out["canns"] = best(lambda: retrieve(xi, ci, cbeta), reps)
    out["canns_store"] = best(lambda: np.array(xi, dtype=np.float32, copy=True), reps)
    print(json.dumps({"seconds": {k: v[0] for k, v in out.items()},
                      "cpu_seconds": {k: v[1] for k, v in out.items()},
                      "openblas": openblas_info()}))


if __name__ == "__main__":
    main()
