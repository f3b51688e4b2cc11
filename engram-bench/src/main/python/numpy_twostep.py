"""The numpy counterpart of the two engram commands, as two processes like them (launched by
whole_process.py): `train` loads the patterns, trains the dense Hebbian weights as
numpy_oneshot.py does and saves W as a .npy file (np.save: no fsync, no atomic rename, unlike
engram's model file); `recall` loads W and the cues and recalls as numpy_oneshot.py does. The same
arithmetic as the one-shot script, split where engram splits it: W goes through a file between
the two.

With --modern, the counterpart of a modern memory's two commands: `train` saves the patterns
themselves (the memory is X), `recall` loads them and takes numpy_oneshot.py's softmax step.

usage: numpy_twostep.py train PATTERNS.npy W.npy [--modern]
       numpy_twostep.py recall W.npy QUERIES.npy OUT.npy [--modern]
"""
import sys

import numpy as np

from numpy_oneshot import hebbian, modern_step, recall


def train(patterns, out, modern):
    x = np.load(patterns).astype(np.float32, copy=False)
    np.save(out, x if modern else hebbian(x))


def recall_file(weights, queries, out, modern):
    w = np.load(weights)
    np.save(out, modern_step(w, np.load(queries)) if modern else recall(w, np.load(queries)))


def main():
    modern = "--modern" in sys.argv[1:]
    args = [v for v in sys.argv[1:] if v != "--modern"]
    if len(args) == 3 and args[0] == "train":
        train(args[1], args[2], modern)
    elif len(args) == 4 and args[0] == "recall":
        recall_file(args[1], args[2], args[3], modern)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
