"""Two bin/engram commands of one build against each other (e.g. a recall of a dense model and of a
low-rank one): they run in turn, alternating which goes first, and the median and fastest wall
times of each are printed with their ratio. The companion of command_ab.py, which compares two
builds on the same commands; on a shared machine only ratios from one run of a script count.

Usage: python3 command_pair.py LAUNCHER ROUNDS "COMMAND A ARGS" "COMMAND B ARGS"
(each quoted command is split on spaces and run in the current folder, stdout discarded).
"""
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    exe, rounds = sys.argv[1], int(sys.argv[2])
    commands = {"A": sys.argv[3].split(), "B": sys.argv[4].split()}
    times = {"A": [], "B": []}

    def run(name):
        t = time.perf_counter()
        subprocess.run([exe] + commands[name], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t

    for r in range(rounds):
        for name in ("A", "B") if r % 2 == 0 else ("B", "A"):
            times[name].append(run(name))
    for name in ("A", "B"):
        print(
            f"{name} ({' '.join(commands[name])}): median {statistics.median(times[name]):.3f} s,"
            f" fastest {min(times[name]):.3f} s"
        )
    print(f"B / A (median): {statistics.median(times['B']) / statistics.median(times['A']):.3f}x")


if __name__ == "__main__":
    main()
