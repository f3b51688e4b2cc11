"""The numpy counterpart of the two engram commands, as two processes like them (launched by
whole_process.py): `train` loads the patterns, trains the dense Hebbian weights as
numpy_oneshot.py does and saves W as a .npy file (np.save: no fsync, no atomic rename, unlike
engram's model file); `recall` loads W and the cues and recalls as numpy_oneshot.py does. The same
arithmetic as the one-shot script, split where engram splits it: W goes through a file between
the two.

usage: numpy_twostep.py train PATTERNS.npy W.npy
       numpy_twostep.py recall W.npy QUERIES.npy OUT.npy
"""
import sys

import numpy as np


def train(patterns, out):
    x = np.load(patterns).astype(np.float32, copy=False)
    t = x - x.mean(dtype=np.float32)
    w = (t.T @ t) / np.float32(x.shape[0])
    np.fill_diagonal(w, 0)
    np.save(out, w)


def recall(weights, queries, out):
    w = np.load(weights)
    s = np.load(queries).astype(np.float32).T.copy()
    live = np.arange(s.shape[1])
    for _ in range(20):
        if live.size == 0:
            break
        new = np.sign(w @ s[:, live])
        changed = np.any(new != s[:, live], axis=0)
        s[:, live] = new
        live = live[changed]
    np.save(out, s.T.astype(np.float32))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "recall":
        recall(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
