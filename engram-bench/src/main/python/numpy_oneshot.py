"""The numpy script that one `engram train` + `engram recall` pair is compared with, as a whole
process (launched by whole_process.py): load the patterns, train dense Hebbian weights the
straightforward way (T.T @ T, centred by the mean, divided by P, zero diagonal), load the cues,
recall synchronously (s <- sign(W s)) up to 20 steps, each cue stopping at its fixed point, and
save the states as float32. The same work, in one process, as the two engram commands (which also
write the model to a file and read it back).

usage: numpy_oneshot.py PATTERNS.npy QUERIES.npy OUT.npy
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


def main():
    patterns, queries, out = sys.argv[1:4]
    w = hebbian(np.load(patterns).astype(np.float32, copy=False))
    np.save(out, recall(w, np.load(queries)))


if __name__ == "__main__":
    main()
