"""Whole-process comparison: `bin/engram train` + `bin/engram recall`, one command at a time as a
user runs them, against numpy_oneshot.py doing the same work in one Python process, and against
numpy_twostep.py doing it in two processes as engram does (W saved to a .npy file and loaded
back); and the time of `bin/engram --version`. Launched by engram-bench/compare.sh (after its
build).

The cases: a dense classical network, the CANNs image workload (low-rank), and a modern memory
(`train --memory modern`, then `recall`: one softmax step; numpy's scripts take that step with
`--modern`).

Each round runs every case once, numpy and engram alternating (their order reversed every round);
the table gives the minimum and the median over the rounds, and numpy / engram for both (above 1:
engram is faster). Inputs are made here with fixed seeds, in a folder under engram-bench/target (a
real disk, as a user's working folder), and deleted at the end.

With --baseline PATH (the bin/engram of another build, e.g. made by
engram-bench/whole_process_before_after.sh), that launcher's commands run in the same rounds and a
second table gives its times and baseline / engram.

usage: whole_process.py [--reps K] [--engram PATH] [--baseline PATH] [--python CMD] [--keep]
       [--one-process] [--floor]
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))


def patterns(rng, p, n):
    return rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=(p, n))


def cues(rng, x, b, flip):
    c = x[np.arange(b) % x.shape[0]].copy()
    c[rng.random(c.shape) < flip] *= -1
    return c


# name, N, P, cues, flipped fraction, engram train options, numpy scripts' options
CASES = [
    ("dense N=4096 P=400, 64 cues (--weights dense)", 4096, 400, 64, 0.2, ["--weights", "dense"], []),
    ("CANNs image N=16384 P=4, 4 cues (auto: low-rank)", 16384, 4, 4, 0.3, [], []),
    # a modern memory: the numpy scripts take one softmax step (engram recall's default for it)
    ("modern N=256 P=10000, 64 cues (--memory modern)", 256, 10000, 64, 0.2, ["--memory", "modern"],
     ["--modern"]),
]


def same_states(a, b, modern):
    """Hebbian states are ±1 and must be equal; a modern step's float32 states differ from numpy's
    in the last bits (other summation orders): within 1e-4 of numpy's, and the largest difference
    shown."""
    if a.shape != b.shape:
        return False, "NO (shape)"
    if not modern:
        ok = np.array_equal(a, b)
        return ok, "yes" if ok else "NO"
    d = float(np.max(np.abs(a.astype(np.float64) - b))) if a.size else 0.0
    ok = d <= 1e-4
    return ok, ("within %.1g" % d) if ok else ("NO (%.3g apart)" % d)


def timed(cmd, env=None):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    t = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr.decode()))
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--engram", default=os.path.join(ROOT, "bin", "engram"))
    ap.add_argument("--baseline", help="the bin/engram of another build, run in the same rounds")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--keep", action="store_true", help="keep the input and output files")
    ap.add_argument("--one-process", action="store_true",
                    help="also the dense case in one fresh JVM through the library (io.engram.bench."
                         "OneProcess in engram-bench/target/benchmarks.jar, built by compare.sh): no "
                         "model file, one JVM start")
    ap.add_argument("--floor", action="store_true",
                    help="also the dense pair's fixed costs alone (io.engram.bench.FloorPair in "
                         "engram-bench/target/benchmarks.jar): two fresh JVMs, the first writing an "
                         "N x N float32 W as a model file is written (fsync, rename), the second "
                         "reading it back and checking it is finite; no arithmetic")
    a = ap.parse_args()

    work = os.path.join(ROOT, "engram-bench", "target", "whole-process")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    # numpy as Compare runs it: the machine's OpenBLAS core-type overrides removed
    np_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    script = os.path.join(HERE, "numpy_oneshot.py")
    twostep = os.path.join(HERE, "numpy_twostep.py")
    rng = np.random.default_rng(1)
    files = []
    for i, (_, n, p, b, flip, _, _) in enumerate(CASES):
        x = patterns(rng, p, n)
        pf, qf = os.path.join(work, "p%d.npy" % i), os.path.join(work, "q%d.npy" % i)
        np.save(pf, x)
        np.save(qf, cues(rng, x, b, flip))
        files.append((pf, qf))

    print("## Whole process: bin/engram commands against numpy scripts")
    print()
    print("- load before: `%s`, %d CPUs" % (" ".join("%.2f" % v for v in os.getloadavg()), os.cpu_count()))
    jv = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    print("- %s; python %s, numpy %s" % (jv[0] if jv else "java ?", platform.python_version(), np.__version__))
    print("- %d rounds, numpy and engram alternating" % a.reps)

    launchers = [("engram", a.engram)] + ([("baseline", a.baseline)] if a.baseline else [])
    numpy_t = [[] for _ in CASES]
    numpy2_t = [[] for _ in CASES]
    train_t = {name: [[] for _ in CASES] for name, _ in launchers}
    recall_t = {name: [[] for _ in CASES] for name, _ in launchers}
    version_t = {name: [] for name, _ in launchers}
    one_t = []
    floor_t = []
    bench_jar = os.path.join(ROOT, "engram-bench", "target", "benchmarks.jar")
    if (a.one_process or a.floor) and not os.path.isfile(bench_jar):
        sys.exit("--one-process and --floor need %s: build it with engram-bench/compare.sh or "
                 "mvn -B -q -pl engram-bench -am package -DskipTests" % bench_jar)
    # the launcher's JIT settings, without its class-data archive (made for the command line's
    # classes, not the benchmark jar's)
    one_cmd = ["java", "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector",
               "-XX:CompileCommand=quiet",
               "-XX:CompileCommand=CompileThresholdScaling,io.engram.kernels.PanamaKernels::*,0.05",
               "-XX:+UnlockDiagnosticVMOptions",
               "-XX:CompilerDirectivesFile=" + os.path.join(ROOT, "engram-cli", "src", "main", "jvm",
                                                            "compiler-directives.json"),
               "-cp", bench_jar, "io.engram.bench.OneProcess"]
    for r in range(a.reps):
        for i, (_, n, p, b, flip, opts, npopts) in enumerate(CASES):
            pf, qf = files[i]
            out_n = os.path.join(work, "rn%d.npy" % i)
            w_n, out_n2 = os.path.join(work, "w%d.npy" % i), os.path.join(work, "rn2-%d.npy" % i)

            def run_numpy2():
                t = timed([a.python, twostep, "train", pf, w_n] + npopts, env=np_env)
                numpy2_t[i].append(t + timed([a.python, twostep, "recall", w_n, qf, out_n2] + npopts, env=np_env))

            runs = [lambda: numpy_t[i].append(timed([a.python, script, pf, qf, out_n] + npopts, env=np_env)),
                    run_numpy2]
            if a.floor and i == 0:
                floor_w = os.path.join(work, "floor-w.bin")
                floor_cmd = ["java", "-Xshare:auto", "-cp", bench_jar, "io.engram.bench.FloorPair"]
                runs.append(lambda: floor_t.append(
                    timed(floor_cmd + ["write", str(n), floor_w]) + timed(floor_cmd + ["read", floor_w])))
            if a.one_process and i == 0:
                runs.append(lambda: one_t.append(
                    timed(one_cmd + [pf, qf, os.path.join(work, "r0-one.npy")])))
            for name, exe in launchers:
                def run_engram(name=name, exe=exe):
                    model = os.path.join(work, "m%d-%s.npz" % (i, name))
                    out_e = os.path.join(work, "r%d-%s.npy" % (i, name))
                    train_t[name][i].append(timed([exe, "train", "--patterns", pf, "--out", model] + opts))
                    recall_t[name][i].append(timed([exe, "recall", "--model", model, "--queries", qf, "--out", out_e]))
                runs.append(run_engram)
            # numpy first in even rounds, last in odd ones
            for f in (runs if r % 2 == 0 else runs[::-1]):
                f()
        for name, exe in (launchers if r % 2 == 0 else launchers[::-1]):
            version_t[name].append(timed([exe, "--version"]))

    print("- load after: `%s`" % " ".join("%.2f" % v for v in os.getloadavg()))
    print()
    print("| workload | numpy one script s (min, median) | numpy two scripts s (min, median) "
          "| engram train + recall s (min, median) | of which train, recall (median) "
          "| numpy one script / engram (median; min) | numpy two scripts / engram (median; min) | same states |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    pairs = {}
    for i, (name, *_rest) in enumerate(CASES):
        for launcher, _ in launchers:
            pairs[launcher, i] = [t + u for t, u in zip(train_t[launcher][i], recall_t[launcher][i])]
        pair = pairs["engram", i]
        nm, em = statistics.median(numpy_t[i]), statistics.median(pair)
        n2m = statistics.median(numpy2_t[i])
        states = os.path.join(work, "r%d-engram.npy" % i)
        checks = [same_states(np.load(states), np.load(os.path.join(work, f % i)), bool(CASES[i][6]))
                  for f in ("rn%d.npy", "rn2-%d.npy")]
        same = all(ok for ok, _ in checks)
        label = checks[0][1] if same else "; ".join(t for ok, t in checks if not ok)
        print("| %s | %.3f, %.3f | %.3f, %.3f | %.3f, %.3f | %.3f, %.3f | **%.2fx**; %.2fx | **%.2fx**; %.2fx | %s |" % (
            name, min(numpy_t[i]), nm, min(numpy2_t[i]), n2m, min(pair), em, statistics.median(train_t["engram"][i]),
            statistics.median(recall_t["engram"][i]), nm / em, min(numpy_t[i]) / min(pair), n2m / em,
            min(numpy2_t[i]) / min(pair), label))
    if one_t:
        om, nm0 = statistics.median(one_t), statistics.median(numpy_t[0])
        ok, label = same_states(np.load(os.path.join(work, "r0-one.npy")),
                                np.load(os.path.join(work, "rn0.npy")), False)
        print("| %s, one JVM through the library (OneProcess, no model file) | %.3f, %.3f | | %.3f, %.3f "
              "| | **%.2fx**; %.2fx | | %s |" % (CASES[0][0], min(numpy_t[0]), nm0, min(one_t), om, nm0 / om,
                                                 min(numpy_t[0]) / min(one_t), label))
    if floor_t:
        fm, nm0 = statistics.median(floor_t), statistics.median(numpy_t[0])
        print("| %s: its fixed costs alone (FloorPair: two JVMs, W written with fsync and read back, "
              "no arithmetic) | %.3f, %.3f | | %.3f, %.3f | | **%.2fx**; %.2fx | | |" % (
                  CASES[0][0], min(numpy_t[0]), nm0, min(floor_t), fm, nm0 / fm,
                  min(numpy_t[0]) / min(floor_t)))
    v = version_t["engram"]
    print("| `engram --version` | | | %.3f, %.3f | | | | |" % (min(v), statistics.median(v)))
    if a.baseline:
        print()
        print("Baseline `%s`, in the same rounds:" % a.baseline)
        print()
        print("| workload | baseline train + recall s (min, median) | of which train, recall (median) "
              "| numpy / baseline (median) | baseline / engram (median; min) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for i, (name, *_rest) in enumerate(CASES):
            bp, ep = pairs["baseline", i], pairs["engram", i]
            bm = statistics.median(bp)
            print("| %s | %.3f, %.3f | %.3f, %.3f | %.2fx | **%.2fx**; %.2fx |" % (
                name, min(bp), bm, statistics.median(train_t["baseline"][i]),
                statistics.median(recall_t["baseline"][i]), statistics.median(numpy_t[i]) / bm,
                bm / statistics.median(ep), min(bp) / min(ep)))
        bv = version_t["baseline"]
        print("| `engram --version` | %.3f, %.3f | | | **%.2fx**; %.2fx |" % (
            min(bv), statistics.median(bv), statistics.median(bv) / statistics.median(v), min(bv) / min(v)))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
