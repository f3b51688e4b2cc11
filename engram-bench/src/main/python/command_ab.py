"""Before/after of whole bin/engram commands: two launchers (e.g. this tree's bin/engram and a
baseline's, as whole_process_before_after.sh builds it in engram-bench/target/wp-base) run the
same commands in turn, alternating which goes first, and the median and fastest wall times of
each are printed with their ratio, and the median CPU time (user + system of the processes) with
its ratio: on a loaded two-core machine the CPU time is the steadier of the two.

Usage: python3 command_ab.py NEW_LAUNCHER BASE_LAUNCHER ROUNDS "COMMAND ARGS" ["COMMAND ARGS" ...]
(each quoted command is split on spaces and run in the current folder, stdout discarded; a round
times all of them together for each launcher).
"""
import os
import statistics
import subprocess
import sys
import time


def main():
    new, base, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    commands = [c.split() for c in sys.argv[4:]]
    if not commands:
        sys.exit(__doc__)
    times = {new: [], base: []}
    cpu = {new: [], base: []}

    def run(exe):
        t = time.perf_counter()
        before = os.times()
        for c in commands:
            subprocess.run([exe] + c, check=True, stdout=subprocess.DEVNULL)
        after = os.times()
        cpu[exe].append(after.children_user - before.children_user
                        + after.children_system - before.children_system)
        return time.perf_counter() - t

    for r in range(rounds):
        for exe in (new, base) if r % 2 == 0 else (base, new):
            times[exe].append(run(exe))
    for name, exe in (("new", new), ("baseline", base)):
        print(f"{name}: median {statistics.median(times[exe]):.3f} s, fastest {min(times[exe]):.3f} s, "
              f"CPU median {statistics.median(cpu[exe]):.3f} s")
    print(f"baseline / new (median): {statistics.median(times[base]) / statistics.median(times[new]):.3f}x; "
          f"by the fastest {min(times[base]) / min(times[new]):.3f}x; "
          f"CPU (median) {statistics.median(cpu[base]) / statistics.median(cpu[new]):.3f}x")


if __name__ == "__main__":
    main()
