package io.engram.bench;

import io.engram.kernels.Kernels;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.RecallOptions;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Where the CANNs image workload's one softmax step (N = 16384, P = 4, 4 cues; {@code
 * ModernBench}'s second workload) spends its time, in one process: the whole {@code retrieveAll}
 * call, the kernel writing into output rows it reuses (hot in the cache), the same kernel into four
 * new rows (what a call returns), the four new rows alone, the scores alone, and the cues'
 * finiteness scan. Each figure is the best, the 10th percentile and the median of 20,000 calls
 * after 2 s of warm-up. Prints Markdown. Run: {@code java --add-modules jdk.incubator.vector
 * -Xmx384m -cp engram-bench/target/benchmarks.jar io.engram.bench.CannsStepParts}.
 */
public final class CannsStepParts {

  private CannsStepParts() {}

  private static final int CALLS = 20_000;
  private static final long WARM_NANOS = 2_000_000_000L;

  private static Object sink;

  public static void main(String[] args) {
    int n = ModernBench.CANNS_N;
    int p = ModernBench.CANNS_P;
    SplittableRandom rnd = new SplittableRandom(7);
    float[] x = new float[p * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    float[][] cues = new float[p][];
    for (int q = 0; q < p; q++) {
      cues[q] = Arrays.copyOfRange(x, q * n, (q + 1) * n);
      for (int i = 0; i < n; i++) {
        if (rnd.nextDouble() < 0.3) {
          cues[q][i] = -cues[q][i];
        }
      }
    }
    float beta = (float) (1 / Math.sqrt(n));
    ModernHopfieldMemory memory = ModernHopfieldMemory.softmax(n);
    memory.storeRows(x, p);
    RecallOptions one = memory.defaultRecallOptions().withReportEnergy(false);
    float[][] hot = new float[p][n];

    System.out.println("## The CANNs step's parts (N = 16384, P = 4, 4 cues)");
    System.out.println();
    System.out.println("- load before: `" + Baselines.loadavg() + "`");
    System.out.println();
    System.out.println("| part | best µs | p10 µs | median µs |");
    System.out.println("| --- | ---: | ---: | ---: |");
    time("retrieveAll (what a user runs)", () -> memory.retrieveAll(cues, one));
    float[][] rows = new float[p][n];
    time("retrieveAll into 4 rows the caller reuses", () -> memory.retrieveAll(cues, one, rows));
    time(
        "kernel into 4 reused rows",
        () -> {
          double[] lse = new double[p];
          Kernels.softmaxRetrievalRows(
              p, p, n, cues, x, beta, hot, lse, 1, new int[p], new float[p]);
          return lse;
        });
    time(
        "kernel into 4 new rows",
        () -> {
          float[][] out = new float[p][];
          for (int q = 0; q < p; q++) {
            out[q] = new float[n];
          }
          double[] lse = new double[p];
          Kernels.softmaxRetrievalRows(
              p, p, n, cues, x, beta, out, lse, 1, new int[p], new float[p]);
          return out;
        });
    time(
        "4 new rows of 16384 floats alone",
        () -> {
          float[][] out = new float[p][];
          for (int q = 0; q < p; q++) {
            out[q] = new float[n];
          }
          return out;
        });
    time(
        "the scores alone (no output rows)",
        () -> {
          double[] lse = new double[p];
          Kernels.softmaxRetrievalRows(
              p, p, n, cues, x, beta, null, lse, 1, new int[p], new float[p]);
          return lse;
        });
    time(
        "the cues' finiteness scan",
        () -> {
          float s = 0;
          for (float[] c : cues) {
            s += Kernels.dot(c, 0, c, 0, n);
          }
          return s;
        });
    System.out.println();
    System.out.println("- load after: `" + Baselines.loadavg() + "`");
  }

  private static void time(String what, Supplier<Object> f) {
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < WARM_NANOS) {
      sink = f.get();
    }
    long[] t = new long[CALLS];
    for (int i = 0; i < CALLS; i++) {
      long s = System.nanoTime();
      sink = f.get();
      t[i] = System.nanoTime() - s;
    }
    Arrays.sort(t);
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f | %.1f | %.1f |%n",
        what,
        t[0] / 1e3,
        t[CALLS / 10] / 1e3,
        t[CALLS / 2] / 1e3);
    if (sink == null) {
      throw new IllegalStateException();
    }
  }
}
