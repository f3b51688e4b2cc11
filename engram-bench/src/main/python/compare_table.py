"""The before/after table of compare_before_after.sh: for each workload of Compare's main table,
numpy / Engram per round for the base and the new build, the median of each, and their quotient
(new / base; 1.00 = the same speed relative to numpy), plus Engram's own seconds (best of the
rounds). Usage: compare_table.py DIR ROUNDS (reads DIR/{base,new}-ROUND.md)."""
import re
import statistics
import sys


def rows(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\| (\d+[ab]?'?\. [^|]+?) \| ([0-9.]+) \| ([0-9.]+) \| \*\*([0-9.]+)x\*\*", line)
        if m:
            # the same row in both builds: "auto (low-rank)" was printed "auto (LOW_RANK)" later
            key = m.group(1).replace("LOW_RANK", "low-rank")
            out[key] = (float(m.group(2)), float(m.group(3)), float(m.group(4)))
    return out


def machine(path):
    """Load average before the run, and the Java FMA probe on all threads (GFLOP/s): how much of
    the shared machine the run had."""
    text = open(path, encoding="utf-8").read()
    load = re.search(r"load before: `([0-9.]+)", text)
    probe = re.search(r"512-bit\): [0-9]+ GFLOP/s \(1 thread\), ([0-9]+) GFLOP/s", text)
    return (load.group(1) if load else "?", probe.group(1) if probe else "?")


def main():
    d, rounds = sys.argv[1], int(sys.argv[2])
    runs = {s: [rows(f"{d}/{s}-{r}.md") for r in range(1, rounds + 1)] for s in ("base", "new")}
    names = list(runs["base"][0])
    for s in ("base", "new"):
        print(f"- {s}: " + "; ".join(
            f"round {r}: load {machine(f'{d}/{s}-{r}.md')[0]}, FMA probe "
            f"{machine(f'{d}/{s}-{r}.md')[1]} GFLOP/s" for r in range(1, rounds + 1)))
    print()
    print("| workload | base: numpy / Engram per round | new: numpy / Engram per round "
          "| median base | median new | new / base | Engram s, best of rounds: base / new |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for w in names:
        b = [r[w][2] for r in runs["base"] if w in r]
        n = [r[w][2] for r in runs["new"] if w in r]
        eb = min(r[w][0] for r in runs["base"] if w in r)
        en = min(r[w][0] for r in runs["new"] if w in r)
        mb, mn = statistics.median(b), statistics.median(n)
        print(f"| {w} | {', '.join(f'{x:.2f}' for x in b)} | {', '.join(f'{x:.2f}' for x in n)} "
              f"| {mb:.2f} | {mn:.2f} | {mn / mb:.2f} | {eb:.4f} / {en:.4f} |")


if __name__ == "__main__":
    main()
