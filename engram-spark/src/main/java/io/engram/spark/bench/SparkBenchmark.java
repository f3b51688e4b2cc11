package io.engram.spark.bench;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.HebbianSums;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.spark.RecalledState;
import io.engram.spark.SparkHebbian;
import io.engram.spark.SparkRecall;
import io.engram.weights.DenseWeights;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark {@code local[2]} against the single-machine core on 1 and 2 threads, in the same JVM and
 * run: dense training (REDUCE) and batch recall. A tool, not part of the library (it prints).
 *
 * <p>Usage: {@code SparkBenchmark [P N Q]} (defaults 8192 4096 2000): P ±1 patterns of length N
 * to train on; Q copies, 10% flipped, of the first N/10 of them to recall from a network that stores
 * those N/10 (sign, synchronous, at most 20 steps). Each
 * figure is the best of {@code engram.bench.reps} runs (default 2), after a small warm-up.
 */
public final class SparkBenchmark {

  private SparkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int p = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
    int q = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
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
      trainCore1(rule, wx);
      trainCore2(rule, wx);
      trainSpark(rule, sc.parallelize(Arrays.asList(wx), 2), n);
      recallSpark(trainCore1(rule, wx), sc.parallelize(Arrays.asList(wx), 2), RecallOptions.defaults());

      out.printf(Locale.ROOT, "Spark %s local[2] context start: %.2f s%n", sc.version(), startup);
      out.printf(Locale.ROOT, "training: P = %d, N = %d (%.1f GFLOP useful)%n", p, n, (double) p * n * n / 1e9);
      AmariHopfieldNetwork[] net = new AmariHopfieldNetwork[3];
      double c1 = best(reps, () -> net[0] = trainCore1(rule, x));
      double c2 = best(reps, () -> net[1] = trainCore2(rule, x));
      double sp = best(reps, () -> net[2] = trainSpark(rule, patternRdd, n));
      row(out, "core, 1 thread (network.train)", c1, c1);
      row(out, "core, 2 threads (halves + HebbianSums)", c2, c1);
      row(out, "spark local[2], 2 partitions, REDUCE", sp, c1);
      out.printf(Locale.ROOT, "  max |W_spark - W_core| = %.3g%n", maxDiff(net[0], net[2]));

      AmariHopfieldNetwork trained = trainCore1(rule, Arrays.copyOf(x, stored));
      RecallOptions o = RecallOptions.defaults();
      out.printf(
          Locale.ROOT,
          "recall: Q = %d queries (10%% flipped), N = %d, %d stored, sign, sync, <= 20 steps%n",
          q,
          n,
          stored);
      long[] steps = new long[3];
      double r1 = best(reps, () -> steps[0] = recallCore(trained, cues, o, 1));
      double r2 = best(reps, () -> steps[1] = recallCore(trained, cues, o, 2));
      double rs = best(reps, () -> steps[2] = recallSpark(trained, cueRdd, o));
      row(out, "core, 1 thread (recallBatch)", r1, r1);
      row(out, "core, 2 threads (recall per query)", r2, r1);
      row(out, "spark local[2], 8 partitions", rs, r1);
      out.printf(Locale.ROOT, "  total steps: core %d, 2 threads %d, spark %d%n", steps[0], steps[1], steps[2]);
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

  private static AmariHopfieldNetwork trainCore1(HebbianRule rule, float[][] x) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(x[0].length);
    net.train(rule, PatternBlock.of(x), true);
    return net;
  }

  /** The core on two threads: each sums half of the centred patterns, then one HebbianSums. */
  private static AmariHopfieldNetwork trainCore2(HebbianRule rule, float[][] x) {
    int n = x[0].length;
    PatternBlock all = PatternBlock.of(x);
    float rho = rule.rho(all);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<float[]>> parts = new ArrayList<>();
      int half = x.length / 2;
      for (int[] r : new int[][] {{0, half}, {half, x.length}}) {
        parts.add(pool.submit(() -> {
          int rows = r[1] - r[0];
          float[] t = new float[rows * n];
          for (int k = 0; k < rows; k++) {
            for (int i = 0; i < n; i++) {
              t[k * n + i] = x[r[0] + k][i] - rho;
            }
          }
          DenseWeights s = DenseWeights.zeros(n);
          s.addHebbian(t, rows, 1f, false);
          return s.toDenseArray();
        }));
      }
      float[] a = parts.get(0).get();
      float[] b = parts.get(1).get();
      for (int i = 0; i < a.length; i++) {
        a[i] += b[i];
      }
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
      HebbianSums.apply(net, rule, a, n, x.length, rho, true);
      return net;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
  }

  private static AmariHopfieldNetwork trainSpark(HebbianRule rule, JavaRDD<float[]> x, int n) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    SparkHebbian.train(net, rule, x, SparkHebbian.Strategy.REDUCE);
    return net;
  }

  private static long recallCore(AmariHopfieldNetwork net, float[][] cues, RecallOptions o, int threads) {
    if (threads == 1) {
      long s = 0;
      for (RecallResult r : net.recallBatch(cues, o)) {
        s += r.steps();
      }
      return s;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(pool.submit(() -> {
          long s = 0;
          for (int i = first; i < cues.length; i += threads) {
            s += net.recall(cues[i], o, i).steps();
          }
          return s;
        }));
      }
      long s = 0;
      for (Future<Long> f : parts) {
        s += f.get();
      }
      return s;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
  }

  private static long recallSpark(AmariHopfieldNetwork net, JavaRDD<float[]> cues, RecallOptions o) {
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
