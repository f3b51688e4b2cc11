"""The numpy script that one `engram train` + `engram recall` pair is compared with, as a whole
process (launched by whole_process.py): load the patterns, train dense Hebbian weights the
straightforward way (T.T @ T, centred by the mean, divided by P, zero diagonal), load the cues,
recall synchronously (s <- sign(W s)) up to 20 steps, each cue stopping at its fixed point, and
save the states as float32. The same work, in one process, as the two engram commands (which also
write the model to a file and read it back).

With --modern, the counterpart of `engram train --memory modern` + `engram recall` instead: the
patterns are the memory, and each cue takes one softmax step, softmax(beta * q X^T) X with beta =
1/sqrt(N) (engram's defaults), in float32, the maximum subtracted.

usage: numpy_oneshot.py PATTERNS.npy QUERIES.npy OUT.npy [--modern]
"""
import sys

import numpy as np


def hebbian(x):
    """Dense Hebbian weights of the patterns x (P x N): centred, divided by P, zero diagonal."""
    t = x - x.mean(dtype=np.float32)
    w = (t.T @ t) / np.float32(x.shape[0])
    np.fill_diagonal(w, 0)
    return w


def recall(w, queries):
    """Synchronous recall of the queries (B x N) up to 20 steps, each stopping at its fixed point."""
    s = queries.astype(np.float32).T.copy()
    live = np.arange(s.shape[1])
    for _ in range(20):
        if live.size == 0:
            break
        new = np.sign(w @ s[:, live])
        changed = np.any(new != s[:, live], axis=0)
        s[:, live] = new
        live = live[changed]
    return s.T.astype(np.float32)


def modern_step(x, queries):
    """One softmax step of every query (B x N) against the stored patterns x (P x N), float32."""
    x = x.astype(np.float32, copy=False)
    beta = np.float32(1.0 / np.sqrt(x.shape[1]))
    s = beta * (queries.astype(np.float32, copy=False) @ x.T)
    s -= s.max(axis=1, keepdims=True)
    w = np.exp(s)
    w /= w.sum(axis=1, keepdims=True)
    return (w @ x).astype(np.float32, copy=False)


def main():
    args = [v for v in sys.argv[1:] if v != "--modern"]
    if len(args) != 3:
        sys.exit(__doc__)
    patterns, queries, out = args
    if "--modern" in sys.argv[1:]:
        np.save(out, modern_step(np.load(patterns), np.load(queries)))
        return
    w = hebbian(np.load(patterns).astype(np.float32, copy=False))
    np.save(out, recall(w, np.load(queries)))


if __name__ == "__main__":
    main()
