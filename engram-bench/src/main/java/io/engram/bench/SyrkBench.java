package io.engram.bench;

import io.engram.kernels.Kernels;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.WeightsMode;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times {@link Kernels#syrkAdd} (the dense training update) on 1 and 2 threads, for the
 * before/after comparison of {@code engram-bench/syrk_compare.sh}, which runs this class against
 * the old and the new kernels alternately. Prints one line per case, with a checksum of W (the same
 * bits before and after: the update is bit-identical).
 *
 * <p>Usage: {@code SyrkBench LABEL REPS N:P [N:P ...]}: best of REPS (fewer past 5 s, at least 2).
 * A case {@code train:N:P} times the whole dense training instead ({@code HebbianTrainer.train}
 * into a fresh dense network, as the Spark benchmark's core column does).
 */
public final class SyrkBench {

  private SyrkBench() {}

  public static void main(String[] args) {
    String label = args[0];
    int reps = Integer.parseInt(args[1]);
    double peak1 = Machine.fmaPeak(1);
    for (int a = 2; a < args.length; a++) {
      if (args[a].startsWith("train:")) {
        train(label, reps, peak1, args[a].substring(6));
        continue;
      }
      String[] np = args[a].split(":");
      int n = Integer.parseInt(np[0]);
      int p = Integer.parseInt(np[1]);
      float[] t = new float[p * n];
      SplittableRandom rnd = new SplittableRandom(42);
      for (int i = 0; i < t.length; i++) {
        t[i] = rnd.nextBoolean() ? 1f : -1f;
      }
      float[] w = new float[n * n];
      double flop = 1.0 * p * n * (n + 1);
      Kernels.syrkAdd(n, p, t, 0f, w, p, false, false, null); // warm-up
      for (int threads = 1; threads <= 2; threads++) {
        Kernels.setParallelism(threads);
        double best = Double.MAX_VALUE;
        double spent = 0;
        for (int r = 0; r < reps && (r < 2 || spent < 5); r++) { // at least 2, then up to ~5 s
          java.util.Arrays.fill(w, 0f);
          long t0 = System.nanoTime();
          Kernels.syrkAdd(n, p, t, 0f, w, p, r % 2 == 1, false, null);
          double dt = (System.nanoTime() - t0) / 1e9;
          best = Math.min(best, dt);
          spent += dt;
        }
        long sum = 0;
        for (int i = 0; i < w.length; i += 7) {
          sum = sum * 31 + Float.floatToRawIntBits(w[i]);
        }
        System.out.printf(
            Locale.ROOT,
            "%-4s N=%-5d P=%-6d threads=%d  %8.4f s  %6.1f GFLOP/s  %4.1f%% of %d-thread peak (%.0f)  checksum %016x%n",
            label,
            n,
            p,
            threads,
            best,
            flop / best / 1e9,
            100 * flop / best / 1e9 / (peak1 * threads),
            threads,
            peak1 * threads,
            sum);
      }
    }
  }

  private static void train(String label, int reps, double peak1, String spec) {
    String[] np = spec.split(":");
    int n = Integer.parseInt(np[0]);
    int p = Integer.parseInt(np[1]);
    SplittableRandom rnd = new SplittableRandom(42);
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = rnd.nextBoolean() ? 1f : -1f;
      }
    }
    double flop = 1.0 * p * n * (n + 1);
    Compare.trained(n, x, WeightsMode.DENSE); // warm-up
    for (int threads = 1; threads <= 2; threads++) {
      Kernels.setParallelism(threads);
      double best = Double.MAX_VALUE;
      double spent = 0;
      for (int r = 0; r < reps && (r < 2 || spent < 5); r++) { // at least 2, then up to ~5 s
        long t0 = System.nanoTime();
        AmariHopfieldNetwork net = Compare.trained(n, x, WeightsMode.DENSE);
        double dt = (System.nanoTime() - t0) / 1e9;
        best = Math.min(best, dt);
        spent += dt;
        if (net.numNeurons() != n) {
          throw new IllegalStateException();
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%-4s train N=%-5d P=%-6d threads=%d  %8.4f s  %6.1f GFLOP/s  %4.1f%% of %d-thread peak (%.0f)%n",
          label,
          n,
          p,
          threads,
          best,
          flop / best / 1e9,
          100 * flop / best / 1e9 / (peak1 * threads),
          threads,
          peak1 * threads);
    }
  }
}
