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

from numpy_oneshot import hebbian, recall


def train(patterns, out):
    np.save(out, hebbian(np.load(patterns).astype(np.float32, copy=False)))


def recall_file(weights, queries, out):
    w = np.load(weights)
    np.save(out, recall(w, np.load(queries)))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "recall":
        recall_file(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
