package io.engram.bench;

import io.engram.kernels.Kernels;
import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.encog.ml.data.specific.BiPolarNeuralData;
import org.encog.neural.thermal.HopfieldNetwork;

/**
 * The side-by-side comparison: Engram against a numpy + OpenBLAS script (launched from here, with
 * the OpenBLAS core-type overrides removed from its environment only) and Encog 3.4's {@code
 * HopfieldNetwork}, on the workloads of issue #3, all in one run so that the ratios share the
 * machine's state. Prints a Markdown table. Run it with {@code engram-bench/compare.sh}.
 *
 * <p>Options: {@code --reps K} (best of K, default 5), {@code --no-numpy}, {@code --no-encog},
 * {@code --no-scale} (skip N = 1,000,000), {@code --python CMD}.
 *
 * <p>Both sides warm up the same way before the K timed calls: at least 3 calls and at least 1 s
 * (at most 50 calls). On the JVM the first calls of a workload run partly interpreted or in C1 code
 * while the JIT compiles the kernels; numpy needs no warm-up, and gets the same rule.
 */
public final class Compare {

  private Compare() {}

  private static final StringBuilder OUT = new StringBuilder();

  private static void say(String s) {
    OUT.append(s).append('\n');
    System.out.println(s);
  }

  public static void main(String[] args) throws Exception {
    int reps = 5;
    boolean numpy = true;
    boolean encog = true;
    boolean scale = true;
    String python = "python3";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Baselines.count("Compare", args, i++, 1);
        case "--no-numpy" -> numpy = false;
        case "--no-encog" -> encog = false;
        case "--no-scale" -> scale = false;
        case "--python" -> python = Baselines.value("Compare", args, i++);
        default -> throw Baselines.usage("Compare", "unknown option " + args[i]);
      }
    }
    say("## Engram side-by-side comparison");
    say("");
    say(
        "- load before: `"
            + Baselines.loadavg()
            + "`, "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs");
    say(
        "- java "
            + System.getProperty("java.version")
            + ", kernels `"
            + Kernels.implementation()
            + "`, threads "
            + Kernels.parallelism()
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MiB");

    int threads = Kernels.parallelism();
    double peak1 = Machine.fmaPeak(1);
    double peak2 = Machine.fmaPeak(threads);
    double bw = Machine.readBandwidth(threads);
    say(
        String.format(
            Locale.ROOT,
            "- Java FMA probe (float32, 512-bit): %.0f GFLOP/s (1 thread), %.0f GFLOP/s (%d threads); read bandwidth %.1f GB/s",
            peak1,
            peak2,
            threads,
            bw));
    // the C reference (compare.sh compiles src/main/c/fma_peak.c), run right after the Java probe
    String cBinary = System.getProperty("engram.bench.fmaPeakBinary");
    if (cBinary == null) {
      say("- C FMA reference: not run (compare.sh builds it with gcc)");
    }
    double[] c = cBinary == null ? null : Baselines.fmaPeak(cBinary, threads);
    if (c != null) {
      say(
          String.format(
              Locale.ROOT,
              "- C FMA reference (gcc -O3 -march=native, AVX-512 intrinsics): %.0f GFLOP/s (1 thread), %.0f"
                  + " GFLOP/s (%d threads), AVX2 %.0f GFLOP/s (1 thread); clock about %.2f GHz, so %.0f FLOP/cycle/core"
                  + " with 512-bit FMAs; Java / C = %.2f (1 thread), %.2f (%d threads)%s",
              c[0],
              c[1],
              threads,
              c[2],
              c[3],
              c[0] / c[3],
              peak1 / c[0],
              peak2 / c[1],
              threads,
              Math.abs(peak1 / c[0] - 1) > 0.15 ? " -- JAVA PROBE DISAGREES WITH C" : ""));
      // the reference peak for "% of peak": the larger of the two same-run measurements
      peak2 = Math.max(peak2, c[1]);
    }

    SplittableRandom rnd = new SplittableRandom(1);
    List<Row> rows = new ArrayList<>();

    // 1 + 2: dense N = 4096, P = 400, 64 cues with 20% flipped
    int n = 4096;
    int p = 400;
    int b = 64;
    float[][] x = pm1(rnd, p, n);
    float[][] cues = noisy(rnd, x, b, 0.2);
    double train = best(reps, () -> trained(n, x, WeightsMode.DENSE));
    AmariHopfieldNetwork dense = trained(n, x, WeightsMode.DENSE);
    // the flops Engram's SYRK needs (upper triangle with the diagonal), not numpy's 2·P·N²
    double trainFlop = 1.0 * p * n * (n + 1);
    rows.add(new Row("1. dense training N=4096 P=400", "train_4096", train, trainFlop, 1.0 * p));
    double fixed20 = best(reps, () -> twentySteps(dense.weights(), cues));
    double recallFlop = 20 * 2.0 * n * n * b;
    rows.add(
        new Row(
            "2a. dense batch recall, 64 cues x 20 steps",
            "recall20_4096",
            fixed20,
            recallFlop,
            20.0 * b));
    double[] stepsOut = new double[1];
    double fp = best(reps, () -> fixedPoint(dense, cues, stepsOut));
    rows.add(
        new Row(
            "2b. dense batch recall, fixed-point stop (" + (int) stepsOut[0] + " query-steps)",
            "recallfp_4096",
            fp,
            2.0 * n * n * stepsOut[0],
            stepsOut[0]));
    double trainLr = best(reps, () -> trained(n, x, WeightsMode.AUTO));
    AmariHopfieldNetwork auto = trained(n, x, WeightsMode.AUTO);
    double fpLr = best(reps, () -> fixedPoint(auto, cues, stepsOut));
    rows.add(
        new Row(
            "1'. training, auto (" + auto.weights().representation() + ")",
            "train_4096",
            trainLr,
            Double.NaN,
            Double.NaN));
    rows.add(
        new Row(
            "2b'. fixed-point recall, auto (" + auto.weights().representation() + ")",
            "recallfp_4096",
            fpLr,
            Double.NaN,
            Double.NaN));

    // 3: the CANNs image example
    int ni = 16384;
    float[][] xi = pm1(rnd, 4, ni);
    float[][] ci = noisy(rnd, xi, 4, 0.3);
    double canns =
        best(
            reps,
            () -> {
              AmariHopfieldNetwork net = trained(ni, xi, WeightsMode.AUTO);
              return net.recallBatch(ci, RecallOptions.defaults());
            });
    rows.add(
        new Row(
            "3. CANNs image N=16384 P=4, train + recall 4 cues (auto)",
            "canns_16384",
            canns,
            Double.NaN,
            Double.NaN));

    // Encog, on a subset (its cost is linear in patterns and in query-sweeps), scaled up
    Map<String, Double> enc = Map.of();
    if (encog) {
      enc = encog(x, cues, train, fixed20);
    }
    Map<String, Double> np = Map.of();
    Map<String, Object> blas = Map.of();
    if (numpy) {
      Map<String, Object> res =
          Baselines.numpy(
              python,
              "engram.bench.script",
              "engram-bench/src/main/python/numpy_baseline.py",
              Integer.toString(reps));
      np = Baselines.numbers(res, "seconds");
      @SuppressWarnings("unchecked")
      Map<String, Object> bl = (Map<String, Object>) res.get("openblas");
      blas = bl;
    }
    say("- numpy/OpenBLAS: `" + blas + "`");
    say("");
    say(
        "| workload | Engram s | numpy s | numpy / Engram | Encog s (scaled) | Encog / Engram | Engram GFLOP/s | % of "
            + Math.round(peak2)
            + " peak |");
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Row r : rows) {
      Double ns = np.get(r.key);
      Double es = r.label.contains("'") ? null : enc.get(r.key);
      double gf = r.flops / r.seconds / 1e9;
      say(
          String.format(
              Locale.ROOT,
              "| %s | %.4f | %s | %s | %s | %s | %s | %s |",
              r.label,
              r.seconds,
              ns == null ? "" : String.format(Locale.ROOT, "%.4f", ns),
              ns == null ? "" : String.format(Locale.ROOT, "**%.2fx**", ns / r.seconds),
              es == null ? "" : String.format(Locale.ROOT, "%.1f", es),
              es == null ? "" : String.format(Locale.ROOT, "**%.0fx**", es / r.seconds),
              Double.isNaN(gf) ? "" : String.format(Locale.ROOT, "%.0f", gf),
              Double.isNaN(gf) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * gf / peak2)));
    }

    products(dense.weights(), cues);
    if (scale) {
      scale(rnd);
    }
    say("");
    say("- load after: `" + Baselines.loadavg() + "`");
  }

  /**
   * Milliseconds per dense product W·S for the numbers of live queries that fixed-point recall goes
   * through, in this process after the workloads above (so that a kernel whose compiled code
   * depends on the mix it has seen shows it), best of 5 each, with GFLOP/s.
   */
  private static void products(Weights w, float[][] cues) {
    int n = w.size();
    StringBuilder sb = new StringBuilder();
    for (int l : new int[] {1, 2, 4, 8, 9, 16, 17, 32, 33, 48, 64}) {
      float[] s = new float[n * l];
      float[] f = new float[n * l];
      for (int c = 0; c < l; c++) {
        for (int i = 0; i < n; i++) {
          s[i * l + c] = cues[c % cues.length][i];
        }
      }
      long best = Long.MAX_VALUE;
      for (int rep = 0; rep < 6; rep++) {
        long t0 = System.nanoTime();
        w.multiplyColumns(s, l, f);
        best = Math.min(best, System.nanoTime() - t0);
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%s%d: %.2f ms (%.0f)",
              sb.length() == 0 ? "" : ", ",
              l,
              best / 1e6,
              2.0 * n * n * l / best));
    }
    say("");
    say(
        "5. dense products W·S, N=4096, by live queries (ms per product, GFLOP/s in brackets; same process): "
            + sb);
  }

  private record Row(String label, String key, double seconds, double flops, double units) {}

  private static void scale(SplittableRandom rnd) {
    int n = 1_000_000;
    int p = 50;
    float[][] x = pm1(rnd, p, n);
    float[][] cues = noisy(rnd, x, 8, 0.2);
    System.gc();
    long t0 = System.nanoTime();
    AmariHopfieldNetwork net = trained(n, x, WeightsMode.AUTO);
    long t1 = System.nanoTime();
    List<RecallResult> r = net.recallBatch(cues, RecallOptions.defaults());
    long t2 = System.nanoTime();
    int correct = 0;
    int steps = 0;
    for (int q = 0; q < r.size(); q++) {
      steps = Math.max(steps, r.get(q).steps());
      if (java.util.Arrays.equals(r.get(q).state(), x[q])) {
        correct++;
      }
    }
    Runtime rt = Runtime.getRuntime();
    say("");
    say(
        String.format(
            Locale.ROOT,
            "4. scale N=1,000,000 P=50 (%s, %.0f MiB of weights): train %.3f s, recall of 8 cues %.3f s"
                + " (at most %d steps, %d/8 recalled exactly), heap max %d MiB, used now %d MiB",
            net.weights().representation(),
            net.weights().memoryBytes() / 1048576.0,
            (t1 - t0) / 1e9,
            (t2 - t1) / 1e9,
            steps,
            correct,
            rt.maxMemory() >> 20,
            (rt.totalMemory() - rt.freeMemory()) >> 20));
  }

  private static Map<String, Double> encog(
      float[][] x, float[][] cues, double train, double recall) {
    int n = x[0].length;
    int pe = 8;
    HopfieldNetwork h = new HopfieldNetwork(n);
    long t0 = System.nanoTime();
    for (int k = 0; k < pe; k++) {
      h.addPattern(bipolar(x[k]));
    }
    double perPattern = (System.nanoTime() - t0) / 1e9 / pe;
    for (int k = pe; k < 2 * pe; k++) { // measured again, warm
      long t = System.nanoTime();
      h.addPattern(bipolar(x[k]));
      perPattern = Math.min(perPattern, (System.nanoTime() - t) / 1e9);
    }
    double perSweep = Double.MAX_VALUE;
    for (int rep = 0; rep < 3; rep++) {
      h.setCurrentState(bipolar(cues[rep]));
      long t = System.nanoTime();
      h.run();
      perSweep = Math.min(perSweep, (System.nanoTime() - t) / 1e9);
    }
    say(
        String.format(
            Locale.ROOT,
            "- Encog 3.4 HopfieldNetwork N=%d: addPattern %.3f s per pattern, run() %.3f s per sweep"
                + " (measured on %d patterns / 3 sweeps, scaled linearly to 400 patterns and 64 x 20 sweeps)",
            n,
            perPattern,
            perSweep,
            2 * pe));
    return Map.of(
        "train_4096", perPattern * x.length,
        "recall20_4096", perSweep * cues.length * 20);
  }

  private static BiPolarNeuralData bipolar(float[] v) {
    boolean[] b = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i] > 0;
    }
    return new BiPolarNeuralData(b);
  }

  static AmariHopfieldNetwork trained(int n, float[][] x, WeightsMode mode) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, mode);
    HebbianTrainer.create(net).train(PatternBlock.of(x));
    if (net.weights().isDense()) {
      // W made now, as numpy's training makes it: new dense weights trained once with few
      // patterns keep them until W is first used (DenseWeights.isDeferred), which would time the
      // packing alone here and the update in whatever used W next
      net.weights().get(0, 0);
    }
    return net;
  }

  /** Exactly 20 synchronous sign steps for all cues: the same work as numpy's W @ S loop. */
  static float[] twentySteps(Weights w, float[][] cues) {
    int n = w.size();
    int b = cues.length;
    float[] s = new float[n * b];
    float[] f = new float[n * b];
    for (int c = 0; c < b; c++) {
      for (int i = 0; i < n; i++) {
        s[i * b + c] = cues[c][i];
      }
    }
    for (int step = 0; step < 20; step++) {
      w.multiplyColumns(s, b, f);
      // sign with sign(0) = 0, as numpy's np.sign, without data-dependent branches (Math.signum's
      // mispredict on random signs: 1.2 ms of the 6 ms per step here)
      for (int i = 0; i < s.length; i++) {
        s[i] = f[i] == 0f ? 0f : Math.copySign(1f, f[i]);
      }
    }
    return s;
  }

  static List<RecallResult> fixedPoint(
      AmariHopfieldNetwork net, float[][] cues, double[] querySteps) {
    List<RecallResult> r = net.recallBatch(cues, RecallOptions.defaults());
    int total = 0;
    for (RecallResult q : r) {
      total += q.steps();
    }
    querySteps[0] = total;
    return r;
  }

  /** Warm-up before timing: at least this many calls and this long, at most WARM_MAX calls. */
  static final int WARM_CALLS = 3;

  static final long WARM_NANOS = 1_000_000_000L;

  static final int WARM_MAX = 50;

  static double best(int reps, Supplier<?> f) {
    Object keep = null;
    long warm = System.nanoTime();
    for (int i = 0;
        i < WARM_MAX && (i < WARM_CALLS || System.nanoTime() - warm < WARM_NANOS);
        i++) {
      keep = f.get();
    }
    double best = Double.MAX_VALUE;
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      keep = f.get();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    if (keep == null) {
      throw new IllegalStateException();
    }
    return best;
  }

  static float[][] pm1(SplittableRandom r, int rows, int n) {
    float[][] x = new float[rows][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    return x;
  }

  static float[][] noisy(SplittableRandom r, float[][] x, int rows, double flip) {
    float[][] c = new float[rows][];
    for (int q = 0; q < rows; q++) {
      c[q] = x[q % x.length].clone();
      for (int i = 0; i < c[q].length; i++) {
        if (r.nextDouble() < flip) {
          c[q][i] = -c[q][i];
        }
      }
    }
    return c;
  }
}
