"""Writes the golden .npy/.npz files that NpyGoldenTest reads, and expected.json describing them.

Run from this folder with python3 and numpy (any 1.x or 2.x):  python3 make_golden.py
The files are checked in; rerun only to add cases.
"""
import io
import json
import zipfile

import numpy as np

cases = []


def values(dtype, n):
    k = np.dtype(dtype).kind
    if k == "b":
        return np.arange(n) % 3 == 1
    if k == "u":
        return np.arange(n) * 20 % 251
    if k == "i":
        return (np.arange(n) - 5) * 7
    return (np.arange(n) - 5) * 0.375


def add(name, arr):
    np.save(name, arr, allow_pickle=False)
    c = np.ascontiguousarray(arr)
    cases.append({
        "file": name,
        "dtype": arr.dtype.kind + str(arr.dtype.itemsize),
        "shape": list(arr.shape),
        "fortran": bool(arr.flags.f_contiguous and not arr.flags.c_contiguous),
        "values": [float(v) for v in c.ravel(order="C")],
    })


for code in ["f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "b1"]:
    for order in ["<", ">"]:
        if code in ("i1", "u1", "b1") and order == ">":
            continue  # one-byte types have no byte order ('|')
        dt = np.dtype(order + code if code not in ("i1", "u1", "b1") else "|" + code)
        tag = {"<": "le", ">": "be"}[order]
        a = values(dt, 12).astype(dt).reshape(3, 4)
        add(f"{code}_{tag}_2d.npy", a)
        add(f"{code}_{tag}_fortran.npy", np.asfortranarray(a))
        add(f"{code}_{tag}_1d.npy", values(dt, 5).astype(dt))
# float16's special values: zeros, the smallest and largest subnormals, the smallest normal, the
# largest finite value, infinities and NaN; expected as the float32 bits numpy's astype gives
special = np.array([0.0, -0.0, 2.0**-24, -(2.0**-14 - 2.0**-24), 2.0**-14, 65504.0, -65504.0,
                    np.inf, -np.inf, np.nan, 1.0 / 3.0, -2.5], dtype="<f2")
np.save("f2_le_special.npy", special, allow_pickle=False)
special_bits = [int(b) for b in special.astype(np.float32).view(np.uint32)]
add("f4_le_empty_1d.npy", np.zeros((0,), dtype="<f4"))
add("f4_le_empty_0x4.npy", np.zeros((0, 4), dtype="<f4"))
add("f8_le_3d.npy", values("f8", 24).astype("<f8").reshape(2, 3, 4))

# archives: np.savez (stored) and np.savez_compressed (deflated)
a = values("f4", 6).astype("<f4").reshape(2, 3)
b = values("i4", 4).astype("<i4")
np.savez("savez.npz", a=a, b=b)
np.savez_compressed("savez_compressed.npz", a=a, b=b)

# a model file written by hand, following docs/MODEL_FORMAT.md (version 1, dense)
n = 4
pat = np.array([[1, -1, 1, -1], [1, 1, -1, -1]], dtype=np.float32)
t = pat - pat.mean()
W = (t.T @ t / len(pat)).astype(np.float32)
np.fill_diagonal(W, 0)
meta = {
    "format": "engram-model",
    "version": 1,
    "num_neurons": n,
    "weights": "dense",
    "dynamics": {"activation": "sign", "temperature": 1.0, "threshold": 0.0, "update": "sync"},
    "history": [{"rule": "hebbian",
                 "options": {"subtract_mean": "true", "zero_diagonal": "true", "normalize": "true"},
                 "patterns": 2, "neurons": n, "rho": float(pat.mean())}],
}
with zipfile.ZipFile("model_v1_dense.npz", "w", zipfile.ZIP_STORED) as z:
    z.writestr("meta.json", json.dumps(meta, indent=2))
    for key, arr in [("W", W), ("state", np.ones(n, dtype=np.float32))]:
        buf = io.BytesIO()
        np.save(buf, arr)
        z.writestr(key + ".npy", buf.getvalue())

with open("expected.json", "w") as f:
    json.dump({"numpy": np.__version__, "arrays": cases,
               "model_v1_dense": {"W": [float(v) for v in W.ravel()]},
               "f2_le_special": special_bits}, f, indent=1)
    f.write("\n")
