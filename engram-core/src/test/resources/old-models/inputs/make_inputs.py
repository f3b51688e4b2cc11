# Makes the inputs the old-model generations were trained and recalled with (numpy, fixed seed).
import numpy as np
rng = np.random.default_rng(20261129)
sign = lambda a: np.where(a < 0, -1.0, 1.0).astype(np.float32)
p1 = sign(rng.standard_normal((4, 16)))          # first training call: 4 patterns, N = 16
p2 = sign(rng.standard_normal((2, 16)))          # second call (--init)
p3 = sign(rng.standard_normal((2, 20)))          # a call of another length: resizes to N = 20
q = p1[[0, 1, 2, 3]].copy()                      # cues: stored patterns with 2-4 values flipped,
for i, k in enumerate([2, 3, 4, 3]):
    q[i, rng.choice(16, k, replace=False)] *= -1
q[3, 12:] = 0                                    # the last cue also partial (4 values unknown)
q = np.vstack([q, sign(rng.standard_normal((1, 16)))])   # and a random cue
q20 = p3.copy()                                  # cues for the resized models: p3, 3 flips each
q20[0, rng.choice(20, 3, replace=False)] *= -1
q20[1, rng.choice(20, 3, replace=False)] *= -1
order = rng.permutation(16).astype(np.int32)
qpm = np.where(q == 0, 1, q).astype(np.float32)   # q in +-1 only (binary modern separations need it)
# patterns too close to dependent for the float32 Gram matrix (large equal offsets, differences of 128;
# a float32 file read as int32), N = 12: the case of BadInputTest, its columns twice
near = np.tile([[32831, 32959, 32831, 32959, 32831, 32959],
                [32831, 32831, 32959, 32959, 32831, 32831],
                [32959, 32831, 32831, 32959, 32959, 32831]], (1, 2))
np.savetxt("near.csv", near, fmt="%d", delimiter=",")
for name, a in dict(p1=p1, p2=p2, p3=p3, q=q, qpm=qpm, q20=q20, order=order).items():
    np.save(name + ".npy", a)
