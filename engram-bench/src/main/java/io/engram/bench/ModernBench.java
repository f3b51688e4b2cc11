package io.engram.bench;

import io.engram.kernels.Kernels;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Modern Hopfield retrieval against numpy, in one run: one softmax step {@code Xᵀ softmax(β X ξ)}
 * for B = 1024 queries against P = 100,000 stored patterns of N = 256 (an embedding-memory
 * workload) and the CANNs image workload (N = 16384, P = 4, 4 cues), with the float32 FMA peak
 * measured in the same run (the Java probe of {@code MachineProbe} and the C reference {@code
 * src/main/c/fma_peak.c}), and the memory that retrieval allocates against the size of X and of the
 * B x P score matrix. Prints Markdown. Run it with {@code engram-bench/modern_compare.sh}.
 *
 * <p>Options: {@code --reps K} (best of K, default 5), {@code --rounds R} (default 11), {@code
 * --no-numpy}, {@code --python CMD}. Both sides warm up each workload for at least 3 calls and
 * {@link #WARM_NANOS}. The first workload is also timed in R rounds of one Engram call and one
 * numpy call in turn (numpy kept running, the order swapped every round): the median of the
 * per-round ratios is the figure that a machine shared with other work, whose speed drifts within
 * seconds, moves least.
 */
public final class ModernBench {

  private ModernBench() {}

  static final int B = 1024;
  static final int P = 100_000;
  static final int N = 256;
  static final int CANNS_N = 16384;
  static final int CANNS_P = 4;

  public static void main(String[] args) throws Exception {
    int reps = 5;
    int rounds = 11;
    boolean numpy = true;
    String python = "python3";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Baselines.count("ModernBench", args, i++, 1);
        case "--rounds" -> rounds = Baselines.count("ModernBench", args, i++, 0);
        case "--no-numpy" -> numpy = false;
        case "--python" -> python = Baselines.value("ModernBench", args, i++);
        default -> throw Baselines.usage("ModernBench", "unknown option " + args[i]);
      }
    }
    say("## Modern Hopfield retrieval against numpy");
    say("");
    say("- load before: `" + Baselines.loadavg() + "`");
    Runtime rt = Runtime.getRuntime();
    say(
        String.format(
            Locale.ROOT,
            "- java %s, kernels `%s`, threads %d, max heap %d MiB",
            System.getProperty("java.version"),
            Kernels.implementation(),
            Kernels.parallelism(),
            rt.maxMemory() >> 20));
    int threads = Kernels.parallelism();
    double javaPeak = Machine.fmaPeak(threads);
    String cBinary = System.getProperty("engram.bench.fmaPeakBinary");
    double[] c =
        cBinary == null || !Files.isExecutable(Path.of(cBinary))
            ? null
            : Baselines.fmaPeak(cBinary, threads);
    double peak = c == null ? javaPeak : Math.max(javaPeak, c[1]);
    say(
        String.format(
            Locale.ROOT,
            "- FMA peak, float32, %d threads: Java probe %.0f GFLOP/s, C reference %s; %% of peak"
                + " below is of %.0f GFLOP/s",
            threads,
            javaPeak,
            c == null
                ? "not run"
                : String.format(Locale.ROOT, "%.0f GFLOP/s (1 thread %.0f)", c[1], c[0]),
            peak));

    // 1. B = 1024 queries, P = 100,000 patterns, N = 256, one step
    SplittableRandom rnd = new SplittableRandom(1);
    ModernHopfieldMemory memory = ModernHopfieldMemory.softmax(N); // β = 1/16
    float[][] cues;
    {
      float[] x = storedPatterns(rnd);
      memory.storeRows(x, P);
      cues = cuesOf(x, rnd);
    }
    System.gc();
    RecallOptions one = memory.defaultRecallOptions().withReportEnergy(false);
    double[] engram = best(reps, () -> memory.retrieveAll(cues, one));
    List<RecallResult> rs = memory.retrieveAll(cues, one);
    int right = 0;
    for (int q = 0; q < B; q++) {
      right += rs.get(q).matches().get(0).index() == (int) ((long) q * P / B) ? 1 : 0;
    }
    double[][] paired =
        numpy && rounds > 0
            ? alternated(python, rounds, () -> memory.retrieveAll(cues, one))
            : null;
    long allocated = allocatedDuring(() -> memory.retrieveAll(cues, one));
    System.gc();
    long used = rt.totalMemory() - rt.freeMemory();
    int stored = memory.size(); // keeps the memory (and X) alive through the measurement above

    // 2. CANNs image workload: N = 16384, P = 4, 4 cues with 30% flipped, store + one step
    float[][] xi = new float[CANNS_P][CANNS_N];
    for (float[] r : xi) {
      for (int i = 0; i < CANNS_N; i++) {
        r[i] = rnd.nextBoolean() ? 1f : -1f;
      }
    }
    float[][] ci = new float[CANNS_P][];
    for (int q = 0; q < CANNS_P; q++) {
      ci[q] = xi[q].clone();
      for (int i = 0; i < CANNS_N; i++) {
        if (rnd.nextDouble() < 0.3) {
          ci[q][i] = -ci[q][i];
        }
      }
    }
    ModernHopfieldMemory small = ModernHopfieldMemory.softmax(CANNS_N);
    small.store(xi);
    RecallOptions smallOne = small.defaultRecallOptions().withReportEnergy(false);
    double[] canns = best(reps, () -> small.retrieveAll(ci, smallOne));
    // the same step into the caller's rows, reused from call to call (numpy's out=)
    float[][] rows = new float[CANNS_P][CANNS_N];
    double[] cannsInto = best(reps, () -> small.retrieveAll(ci, smallOne, rows));
    double[] cannsStore =
        best(
            reps,
            () -> {
              ModernHopfieldMemory m = ModernHopfieldMemory.softmax(CANNS_N);
              m.store(xi);
              return m;
            });

    Map<String, Double> np = Map.of();
    Map<String, Double> npCpu = Map.of();
    Object blas = "not run";
    if (numpy) {
      Map<String, Object> res =
          Baselines.numpy(
              python,
              "engram.bench.modernScript",
              "engram-bench/src/main/python/modern_baseline.py",
              Integer.toString(reps));
      np = Baselines.numbers(res, "seconds");
      npCpu = Baselines.numbers(res, "cpu_seconds");
      blas = res.get("openblas");
    }
    say("- numpy/OpenBLAS: `" + blas + "`");
    say("");
    say(
        "| workload | Engram s | numpy s | numpy / Engram | Engram GFLOP/s | % of peak | Engram CPU s"
            + " | numpy CPU s | numpy / Engram CPU |");
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    double flops = 4.0 * B * P * N;
    row(
        "1. one step, B=1024 queries, P=100,000 x N=256",
        engram,
        np.get("attention"),
        npCpu.get("attention"),
        flops,
        peak);
    row(
        "2. CANNs image N=16384 P=4: one step, 4 cues",
        canns,
        np.get("canns"),
        npCpu.get("canns"),
        0,
        peak);
    row(
        "2, into 4 rows the caller reuses (`retrieveAll(cues, options, states)`)",
        cannsInto,
        np.get("canns"),
        npCpu.get("canns"),
        0,
        peak);
    row(
        "2'. CANNs image: store the 4 patterns (checked, copied)",
        cannsStore,
        np.get("canns_store"),
        npCpu.get("canns_store"),
        0,
        peak);
    say("");
    say(
        "Both sides: one step, no energy (numpy computes none); Engram also names each query's best"
            + " match. GFLOP/s counts the two products, 4 B P N flops. Seconds: the fastest of the"
            + " timed calls; CPU seconds: the least process CPU time (all threads) of those calls,"
            + " which a machine shared with other work inflates less than the wall clock."
            + " Workload 1's patterns and queries are ±1: Engram counts their scores from packed"
            + " bits (BinaryRows, the same bits as multiplied out), so its GFLOP/s and % of peak"
            + " count work it no longer multiplies out and can pass the peak; the second product"
            + " (2 B P N flops) is all multiply-adds.");
    if (paired != null) {
      double[] ratio = new double[rounds];
      double engramMin = Double.MAX_VALUE;
      double numpyMin = Double.MAX_VALUE;
      for (int r = 0; r < rounds; r++) {
        ratio[r] = paired[1][r] / paired[0][r];
        engramMin = Math.min(engramMin, paired[0][r]);
        numpyMin = Math.min(numpyMin, paired[1][r]);
      }
      java.util.Arrays.sort(ratio);
      double[] engramSorted = paired[0].clone();
      double[] numpySorted = paired[1].clone();
      java.util.Arrays.sort(engramSorted);
      java.util.Arrays.sort(numpySorted);
      say("");
      say(
          String.format(
              Locale.ROOT,
              "- workload 1 alternated, %d rounds of one Engram call and one numpy call in turn (the"
                  + " order swapped every round, each call after a pause of %d ms): numpy / Engram per round **median %.2fx**"
                  + " (quartiles %.2fx-%.2fx, all %.2fx-%.2fx); fastest calls: Engram %.4f s (%.0f%%"
                  + " of peak), numpy %.4f s; median calls: Engram %.4f s, numpy %.4f s (numpy"
                  + " quartiles %.4f-%.4f s)",
              rounds,
              PAUSE_MILLIS,
              ratio[rounds / 2],
              ratio[rounds / 4],
              ratio[(3 * rounds) / 4],
              ratio[0],
              ratio[rounds - 1],
              engramMin,
              100 * flops / engramMin / 1e9 / peak,
              numpyMin,
              engramSorted[rounds / 2],
              numpySorted[rounds / 2],
              numpySorted[rounds / 4],
              numpySorted[(3 * rounds) / 4]));
    }
    say("");
    double xBytes = 4.0 * P * N;
    say(
        String.format(
            Locale.ROOT,
            "- workload 1: %d of %d queries name their source pattern (of %d) as the best match; X is %.1f MB,"
                + " the B x P score matrix would be %.1f MB; one retrieval call allocated %.1f MB in"
                + " all (every thread: per group of at most 256 queries one 256 x 256 block of"
                + " scores, its packed queries, partial output, results); heap in use after it %.1f"
                + " MB of %.0f MB max",
            right,
            B,
            stored,
            xBytes / 1e6,
            4.0 * B * P / 1e6,
            allocated / 1e6,
            used / 1e6,
            rt.maxMemory() / 1e6));
    if (allocated > 64e6) {
      say(
          "- **warning:** a retrieval call allocated more than 64 MB: some SIMD kernel ran"
              + " uncompiled or with its vectors boxed (C2 left Vector API calls out of a"
              + " compilation); its time above is not the kernels'");
    }
    say("- load after: `" + Baselines.loadavg() + "`");
  }

  /** The first workload's P x N stored patterns, ±1 (row-major). */
  static float[] storedPatterns(SplittableRandom rnd) {
    return storedPatterns(rnd, P, N);
  }

  /** p ±1 patterns of length n, row-major. */
  static float[] storedPatterns(SplittableRandom rnd, int p, int n) {
    float[] x = new float[p * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    return x;
  }

  /**
   * The first workload's B cues: evenly spaced stored patterns with 20% of their values flipped.
   */
  static float[][] cuesOf(float[] x, SplittableRandom rnd) {
    return cuesOf(x, rnd, B, P, N);
  }

  /** b cues: evenly spaced patterns of the p in x (length n) with 20% of their values flipped. */
  static float[][] cuesOf(float[] x, SplittableRandom rnd, int b, int p, int n) {
    float[][] cues = new float[b][];
    for (int q = 0; q < b; q++) {
      int k = (int) ((long) q * p / b);
      cues[q] = java.util.Arrays.copyOfRange(x, k * n, (k + 1) * n);
      for (int i = 0; i < n; i++) {
        if (rnd.nextDouble() < 0.2) {
          cues[q][i] = -cues[q][i];
        }
      }
    }
    return cues;
  }

  private static void row(
      String label, double[] s, Double numpy, Double numpyCpu, double flops, double peak) {
    double gf = flops / s[0] / 1e9;
    // process CPU time moves in steps of milliseconds: shown for calls of 10 ms and more
    boolean cpu = s[0] >= 0.01;
    say(
        String.format(
            Locale.ROOT,
            "| %s | %.4g | %s | %s | %s | %s | %s | %s | %s |",
            label,
            s[0],
            numpy == null ? "" : String.format(Locale.ROOT, "%.4g", numpy),
            numpy == null ? "" : String.format(Locale.ROOT, "**%.2fx**", numpy / s[0]),
            flops == 0 ? "" : String.format(Locale.ROOT, "%.0f", gf),
            flops == 0 ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * gf / peak),
            cpu ? String.format(Locale.ROOT, "%.4g", s[1]) : "",
            cpu && numpyCpu != null ? String.format(Locale.ROOT, "%.4g", numpyCpu) : "",
            cpu && numpyCpu != null ? String.format(Locale.ROOT, "%.2fx", numpyCpu / s[1]) : ""));
  }

  /**
   * Warm-up time of each workload, both sides (modern_baseline.py's WARM_S): 5 s. C2 compiles the
   * drivers of the big step (the loop over blocks of one chunk) only after some 10 calls of 0.35 s;
   * with 1 s of warm-up the timed calls were the 4th to 8th, 5-10% slower than the later ones
   * (measured: 0.375 s for the first calls, 0.335-0.345 s from the 10th).
   */
  static final long WARM_NANOS = 5_000_000_000L;

  /** Timed calls at least, for a call under 10 ms (both sides). */
  static final int SHORT_CALLS = 200;

  /**
   * {fastest wall seconds, least process CPU seconds} of {@code reps} calls (and of at least {@link
   * #SHORT_CALLS} when a call takes under 10 ms), after a warm-up of at least 3 calls and {@link
   * #WARM_NANOS} with no cap on the number of calls.
   */
  static double[] best(int reps, java.util.function.Supplier<?> f) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Object keep = null;
    // warm-up: at least 3 calls and 5 s, with no cap on the calls (a call of microseconds needs
    // thousands before C2 has compiled its kernels); the same rule as modern_baseline.py
    long warm = System.nanoTime();
    for (int i = 0; i < Compare.WARM_CALLS || System.nanoTime() - warm < WARM_NANOS; i++) {
      keep = f.get();
    }
    // timed: reps calls, and at least SHORT_CALLS of them when a call takes under 10 ms
    double wall = Double.MAX_VALUE;
    double cpu = Double.MAX_VALUE;
    for (int i = 0; i < reps || (i < SHORT_CALLS && wall < 0.01); i++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      keep = f.get();
      wall = Math.min(wall, (System.nanoTime() - t0) / 1e9);
      cpu = Math.min(cpu, (os.getProcessCpuTime() - c0) / 1e9);
    }
    if (keep == null) {
      throw new IllegalStateException();
    }
    return new double[] {wall, cpu};
  }

  /**
   * A pause before each alternated call, so that it starts with the other side idle: after a numpy
   * call returns, OpenBLAS keeps a worker thread spinning for its next call, 0.12-0.13 s of a full
   * CPU (measured from {@code /proc} after each {@code --serve} call), which an Engram call started
   * at once shares with its own two threads on this 2-CPU machine. Engram's worker threads park
   * when a call ends.
   */
  static final long PAUSE_MILLIS = 300;

  /**
   * {Engram seconds, numpy seconds} per round: numpy's side kept running ({@code modern_baseline.py
   * --serve}, warmed up there), each round one call of each, Engram first in even rounds and numpy
   * first in odd ones, each after {@link #PAUSE_MILLIS}.
   */
  private static double[][] alternated(String python, int rounds, Runnable engram)
      throws java.io.IOException, InterruptedException {
    ProcessBuilder pb =
        Baselines.numpyProcess(
            python,
            "engram.bench.modernScript",
            "engram-bench/src/main/python/modern_baseline.py",
            "--serve");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process proc = pb.start();
    double[][] t = new double[2][rounds];
    try (java.io.BufferedReader in =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(
                    proc.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        java.io.Writer out =
            new java.io.OutputStreamWriter(
                proc.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8)) {
      String ready = in.readLine();
      if (!"ready".equals(ready)) {
        throw new java.io.IOException("numpy baseline --serve answered " + ready);
      }
      for (int r = 0; r < rounds; r++) {
        for (int side = 0; side < 2; side++) {
          Thread.sleep(PAUSE_MILLIS);
          if ((side == 0) == (r % 2 == 0)) {
            long t0 = System.nanoTime();
            engram.run();
            t[0][r] = (System.nanoTime() - t0) / 1e9;
          } else {
            out.write("run\n");
            out.flush();
            String line = in.readLine();
            if (line == null) {
              throw new java.io.IOException("numpy baseline --serve ended early");
            }
            t[1][r] = Double.parseDouble(line.trim().split(" ")[0]);
          }
        }
      }
    } finally {
      proc.destroy();
      proc.waitFor();
    }
    return t;
  }

  /** Bytes allocated by every thread of the JVM while {@code body} runs. */
  private static long allocatedDuring(Runnable body) {
    com.sun.management.ThreadMXBean tm =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = tm.getAllThreadIds();
    long before = sum(tm.getThreadAllocatedBytes(ids));
    body.run();
    long[] after = tm.getThreadAllocatedBytes(ids);
    return sum(after) - before;
  }

  private static long sum(long[] v) {
    long s = 0;
    for (long x : v) {
      s += Math.max(0, x);
    }
    return s;
  }

  private static void say(String s) {
    System.out.println(s);
  }
}
