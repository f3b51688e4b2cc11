package io.engram.spark.bench;

import io.engram.kernels.Kernels;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.spark.RecalledState;
import io.engram.spark.SparkHebbian;
import io.engram.spark.SparkRecall;
import io.engram.weights.WeightsMode;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark {@code local[2]} against the single-machine core on 1 and 2 threads ({@link
 * Kernels#setParallelism}), in the same JVM and run: dense training (REDUCE) and batch recall. A
 * tool, not part of the library (it prints).
 *
 * <p>Usage: {@code SparkBenchmark [P N Q]} (defaults 16384 8192 20000): P ±1 patterns of length N
 * to train on (dense weights); Q copies, 10% flipped, of the first N/10 of them to recall from a
 * network that stores those N/10 (weights chosen automatically, i.e. low-rank; sign, synchronous,
 * at most 20 steps). Each figure is the best of {@code engram.bench.reps} runs (default 2), after a
 * small warm-up.
 */
public final class SparkBenchmark {

  private SparkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int p = args.length > 0 ? Integer.parseInt(args[0]) : 16384;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 8192;
    int q = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
    int reps = Integer.getInteger("engram.bench.reps", 2);
    PrintStream out = System.out;
    float[][] x = new float[p][];
    for (int k = 0; k < p; k++) {
      x[k] = pattern(k, n);
    }
    // recall uses a network below capacity (0.1 N patterns), as recall is used in practice
    int stored = Math.max(1, Math.min(p, n / 10));
    float[][] cues = new float[q][];
    for (int k = 0; k < q; k++) {
      cues[k] = cue(k, stored, n);
    }
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);

    long t0 = System.nanoTime();
    JavaSparkContext sc =
        new JavaSparkContext(
            new SparkConf()
                .setMaster("local[2]")
                .setAppName("engram-spark-benchmark")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.showConsoleProgress", "false"));
    double startup = seconds(t0);
    try {
      // the executors make the same rows from their indices (nothing large is shipped in tasks)
      JavaRDD<float[]> patternRdd =
          sc.parallelize(List.of(0, 1), 2)
              .flatMap(h -> rows(h * p / 2, (h + 1) * p / 2, i -> pattern(i, n)))
              .cache();
      JavaRDD<float[]> cueRdd =
          sc.parallelize(List.of(0, 1, 2, 3, 4, 5, 6, 7), 8)
              .flatMap(h -> rows(h * q / 8, (h + 1) * q / 8, i -> cue(i, stored, n)))
              .cache();
      patternRdd.count();
      cueRdd.count();

      // warm-up on a small slice, all paths
      float[][] wx = Arrays.copyOf(x, 64);
      trainCore(rule, wx, 1);
      trainCore(rule, wx, 2);
      trainSpark(rule, sc.parallelize(Arrays.asList(wx), 2), n);
      recallSpark(
          trainCore(rule, wx, 2), sc.parallelize(Arrays.asList(wx), 2), RecallOptions.defaults());

      out.printf(
          Locale.ROOT,
          "Spark %s local[2] context start: %.2f s; kernels: %s%n",
          sc.version(),
          startup,
          Kernels.isVectorized() ? "Vector API" : "plain Java");
      out.printf(
          Locale.ROOT,
          "training: P = %d, N = %d (%.1f GFLOP useful)%n",
          p,
          n,
          (double) p * n * n / 1e9);
      AmariHopfieldNetwork[] net = new AmariHopfieldNetwork[3];
      double c1 = best(reps, () -> net[0] = trainCore(rule, x, 1));
      double c2 = best(reps, () -> net[1] = trainCore(rule, x, 2));
      double sp = best(reps, () -> net[2] = trainSpark(rule, patternRdd, n));
      row(out, "core, 1 thread (network.train)", c1, c1);
      row(out, "core, 2 threads (network.train)", c2, c1);
      row(out, "spark local[2], 2 partitions, REDUCE", sp, c1);
      out.printf(Locale.ROOT, "  max |W_spark - W_core| = %.3g%n", maxDiff(net[0], net[2]));

      AmariHopfieldNetwork trained = AmariHopfieldNetwork.create(n);
      rule.train(trained, PatternBlock.of(Arrays.copyOf(x, stored)), true, null);
      RecallOptions o = RecallOptions.defaults();
      out.printf(
          Locale.ROOT,
          "recall: Q = %d queries (10%% flipped), N = %d, %d stored (%s weights), sign, sync, <= 20 steps%n",
          q,
          n,
          stored,
          trained.weights().representation());
      long[] steps = new long[3];
      double r1 = best(reps, () -> steps[0] = recallCore(trained, cues, o, 1));
      double r2 = best(reps, () -> steps[1] = recallCore(trained, cues, o, 2));
      double rs = best(reps, () -> steps[2] = recallSpark(trained, cueRdd, o));
      row(out, "core, 1 thread (recallBatch)", r1, r1);
      row(out, "core, 2 threads (recallBatch)", r2, r1);
      row(out, "spark local[2], 8 partitions", rs, r1);
      out.printf(
          Locale.ROOT,
          "  total steps: core %d, 2 threads %d, spark %d%n",
          steps[0],
          steps[1],
          steps[2]);
    } finally {
      sc.stop();
    }
  }

  private static void row(PrintStream out, String what, double s, double base) {
    out.printf(Locale.ROOT, "  %-42s %8.2f s   %5.2fx vs 1 thread%n", what, s, base / s);
  }

  private static double best(int reps, Supplier<Object> run) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < reps; i++) {
      long t = System.nanoTime();
      run.get();
      best = Math.min(best, seconds(t));
    }
    return best;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The core's own training with its kernels on {@code threads} threads, dense weights. */
  private static AmariHopfieldNetwork trainCore(HebbianRule rule, float[][] x, int threads) {
    int before = Kernels.parallelism();
    Kernels.setParallelism(threads);
    try {
      AmariHopfieldNetwork net =
          AmariHopfieldNetwork.create(x[0].length, Dynamics.DEFAULT, WeightsMode.DENSE);
      rule.train(net, PatternBlock.of(x), true, null);
      return net;
    } finally {
      Kernels.setParallelism(before);
    }
  }

  private static AmariHopfieldNetwork trainSpark(HebbianRule rule, JavaRDD<float[]> x, int n) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, WeightsMode.DENSE);
    SparkHebbian.train(net, rule, x, SparkHebbian.Strategy.REDUCE);
    return net;
  }

  /** The core's batch recall with its kernels on {@code threads} threads. */
  private static long recallCore(
      AmariHopfieldNetwork net, float[][] cues, RecallOptions o, int threads) {
    int before = Kernels.parallelism();
    Kernels.setParallelism(threads);
    try {
      long s = 0;
      for (RecallResult r : net.recallBatch(cues, o)) {
        s += r.steps();
      }
      return s;
    } finally {
      Kernels.setParallelism(before);
    }
  }

  private static long recallSpark(
      AmariHopfieldNetwork net, JavaRDD<float[]> cues, RecallOptions o) {
    return SparkRecall.recall(net, cues, o).map(RecalledState::steps).reduce(Integer::sum);
  }

  private static float maxDiff(AmariHopfieldNetwork a, AmariHopfieldNetwork b) {
    float[] x = a.weightMatrix();
    float[] y = b.weightMatrix();
    float m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs(x[i] - y[i]));
    }
    return m;
  }

  /** Pattern k: ±1, from its own seed, so that any JVM makes the same row. */
  private static float[] pattern(long k, int n) {
    SplittableRandom r = new SplittableRandom(0x5EED0000L + k);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextBoolean() ? 1f : -1f;
    }
    return x;
  }

  /** Query k: stored pattern {@code k mod stored} with 10% of its signs flipped. */
  private static float[] cue(long k, int stored, int n) {
    float[] c = pattern(k % stored, n);
    SplittableRandom r = new SplittableRandom(0xC0E0000L + k);
    for (int i = 0; i < n; i++) {
      if (r.nextDouble() < 0.1) {
        c[i] = -c[i];
      }
    }
    return c;
  }

  private static Iterator<float[]> rows(int from, int to, LongFunction<float[]> make) {
    return LongStream.range(from, to).mapToObj(make).iterator();
  }
}
