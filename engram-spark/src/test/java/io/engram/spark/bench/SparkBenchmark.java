package io.engram.spark.bench;

import io.engram.kernels.Kernels;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.spark.HopfieldMemoryModel;
import io.engram.spark.RecalledState;
import io.engram.spark.SparkHebbian;
import io.engram.spark.SparkRecall;
import io.engram.spark.StandaloneCluster;
import io.engram.weights.WeightsMode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Spark against the single-machine core on 1 and 2 threads ({@link Kernels#setParallelism}), in the
 * same process and run: dense training ({@code SparkHebbian}, REDUCE, {@code local[2]}), and batch
 * recall on 1 and 2 executors: {@code local[1]} and {@code local[2]} (one JVM), and, with {@code
 * -Dengram.spark.classpathFile}, a standalone cluster of two one-core workers on this machine
 * (separate executor JVMs) used by 1 and then 2 executors. Recall runs through the RDD API ({@code
 * SparkRecall}) and the DataFrame API ({@code HopfieldMemoryModel.transform}). A tool, not part of
 * the library (it prints); its source lives with the tests so that every build compiles it.
 *
 * <p>Usage: {@code SparkBenchmark [P N Q]} (defaults 16384 8192 20000): P ±1 patterns of length N
 * to train on (dense weights); Q copies, 10% flipped, of the first N/10 of them to recall from a
 * network that stores those N/10 (weights chosen automatically, i.e. low-rank; sign, synchronous,
 * at most 20 steps). Each figure is the best of {@code engram.bench.reps} runs (default 2), after a
 * small warm-up. {@code -Dengram.bench.train=false} skips training.
 */
public final class SparkBenchmark {

  private static final int CUE_PARTITIONS = 8;

  private SparkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int p = args.length > 0 ? Integer.parseInt(args[0]) : 16384;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 8192;
    int q = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
    int reps = Integer.getInteger("engram.bench.reps", 2);
    boolean train = Boolean.parseBoolean(System.getProperty("engram.bench.train", "true"));
    PrintStream out = System.out;
    // recall uses a network below capacity (0.1 N patterns), as recall is used in practice
    int stored = Math.max(1, Math.min(p, n / 10));
    float[][] cues = new float[q][];
    for (int k = 0; k < q; k++) {
      cues[k] = cue(k, stored, n);
    }
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    out.printf(
        Locale.ROOT,
        "kernels: %s; %d cores; java %s%n",
        Kernels.isVectorized() ? "Vector API" : "plain Java",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));

    if (train) {
      train(out, rule, p, n, reps);
    }

    // ---- recall: the core on 1 and 2 threads, then Spark on 1 and 2 executors ----
    float[][] first = new float[stored][];
    for (int k = 0; k < stored; k++) {
      first[k] = pattern(k, n);
    }
    AmariHopfieldNetwork trained = AmariHopfieldNetwork.create(n);
    rule.train(trained, PatternBlock.of(first), true, null);
    RecallOptions o = RecallOptions.defaults();
    out.printf(
        Locale.ROOT,
        "recall: Q = %d queries (10%% flipped), N = %d, %d stored (%s weights), sign, sync,"
            + " <= 20 steps, %d partitions%n",
        q,
        n,
        stored,
        trained.weightsMode().id(),
        CUE_PARTITIONS);
    recallCore(trained, Arrays.copyOf(cues, Math.min(q, 512)), o, 2); // warm-up
    long[] steps = new long[1];
    double r1 = best(reps, () -> steps[0] = recallCore(trained, cues, o, 1));
    double r2 = best(reps, () -> recallCore(trained, cues, o, 2));
    row(out, "core, 1 thread (recallBatch)", r1, r1, q);
    row(out, "core, 2 threads (recallBatch)", r2, r1, q);
    out.printf(Locale.ROOT, "  total steps: %d%n", steps[0]);

    HopfieldMemoryModel model = HopfieldMemoryModel.of(trained);
    for (int cores : new int[] {1, 2}) {
      SparkSession spark = session(local(cores), null);
      try {
        recallSpark(out, spark, "local[" + cores + "]", trained, model, q, stored, n, reps, r1);
      } finally {
        spark.stop();
      }
    }

    onStandaloneCluster(
        out,
        SparkBenchmark.class,
        (spark, where) -> recallSpark(out, spark, where, trained, model, q, stored, n, reps, r1));
  }

  /** What runs on each session of {@link #onStandaloneCluster}. */
  interface OnCluster {
    void run(SparkSession spark, String where) throws Exception;
  }

  /**
   * Where {@code -Dengram.spark.classpathFile} names the test classpath: starts a standalone
   * cluster of two one-core workers on this machine, runs {@code body} on a session of one, then
   * two executor JVMs (the engram jars and {@code benchClass}'s classes shipped to them), and
   * deletes the cluster's files; otherwise says it skipped.
   */
  static void onStandaloneCluster(PrintStream out, Class<?> benchClass, OnCluster body)
      throws Exception {
    String classpathFile = System.getProperty("engram.spark.classpathFile");
    if (classpathFile == null) {
      out.println("(standalone cluster skipped: no -Dengram.spark.classpathFile)");
      return;
    }
    Path work = Files.createTempDirectory("engram-bench-cluster");
    long t0 = System.nanoTime();
    try (StandaloneCluster cluster =
        StandaloneCluster.start(
            work,
            Files.readString(Path.of(classpathFile)).trim(),
            2,
            1,
            System.getProperty("engram.bench.workerMemory", "3g"),
            Duration.ofMinutes(3))) {
      out.printf(Locale.ROOT, "standalone cluster start: %.1f s%n", seconds(t0));
      String jars =
          String.join(
              ",",
              StandaloneCluster.jarOf(AmariHopfieldNetwork.class, work).toString(),
              System.getProperty("engram.spark.jar"),
              StandaloneCluster.jarOf(benchClass, work).toString());
      for (int executors : new int[] {1, 2}) {
        SparkConf conf =
            new SparkConf()
                .setMaster(cluster.masterUrl())
                .set("spark.jars", jars)
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", Integer.toString(executors))
                .set(
                    "spark.executor.memory",
                    System.getProperty("engram.bench.executorMemory", "2500m"))
                .set("spark.executor.extraJavaOptions", StandaloneCluster.kernelFlags());
        SparkSession spark = session(conf, executors);
        try {
          body.run(
              spark, "standalone, " + executors + " executor JVM" + (executors > 1 ? "s" : ""));
        } finally {
          spark.stop();
        }
      }
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static SparkConf local(int cores) {
    return new SparkConf().setMaster("local[" + cores + "]");
  }

  /** A quiet session on the loopback address; waits for {@code executors} when given. */
  static SparkSession session(SparkConf conf, Integer executors) throws InterruptedException {
    conf.setAppName("engram-spark-benchmark")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.showConsoleProgress", "false");
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    if (executors != null) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("executors did not start");
        }
        Thread.sleep(100);
      }
    }
    return spark;
  }

  /** Recall through the RDD and the DataFrame API on one session's executors. */
  private static void recallSpark(
      PrintStream out,
      SparkSession spark,
      String where,
      AmariHopfieldNetwork trained,
      HopfieldMemoryModel model,
      int q,
      int stored,
      int n,
      int reps,
      double base) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // the executors make the queries from their indices (nothing large is shipped in tasks)
    JavaRDD<float[]> cueRdd =
        sc.parallelize(LongStream.range(0, CUE_PARTITIONS).boxed().toList(), CUE_PARTITIONS)
            .flatMap(h -> rows(h * q / CUE_PARTITIONS, (h + 1) * q / CUE_PARTITIONS, stored, n))
            .persist(StorageLevel.MEMORY_AND_DISK());
    cueRdd.count();
    StructType schema =
        new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    Dataset<Row> cueFrame =
        spark
            .createDataFrame(
                sc.parallelize(LongStream.range(0, CUE_PARTITIONS).boxed().toList(), CUE_PARTITIONS)
                    .flatMap(
                        h ->
                            keyedRows(
                                h * q / CUE_PARTITIONS, (h + 1) * q / CUE_PARTITIONS, stored, n)),
                schema)
            .persist(StorageLevel.MEMORY_AND_DISK());
    cueFrame.count();
    RecallOptions o = RecallOptions.defaults();
    long[] steps = new long[2];
    double rdd = best(reps, () -> steps[0] = recallRdd(trained, cueRdd, o));
    double df = best(reps, () -> steps[1] = recallFrame(model, cueFrame));
    row(out, "spark " + where + ", SparkRecall (RDD)", rdd, base, q);
    row(out, "spark " + where + ", HopfieldMemoryModel (DataFrame)", df, base, q);
    out.printf(Locale.ROOT, "  total steps: RDD %d, DataFrame %d%n", steps[0], steps[1]);
    cueRdd.unpersist(true);
    cueFrame.unpersist(true);
  }

  private static long recallRdd(AmariHopfieldNetwork net, JavaRDD<float[]> cues, RecallOptions o) {
    return SparkRecall.recall(net, cues, o).map(RecalledState::steps).reduce(Integer::sum);
  }

  /** Recall every row; the states are converted to the output column (their sizes are summed). */
  private static long recallFrame(HopfieldMemoryModel model, Dataset<Row> cues) {
    Row r =
        model
            .transform(cues)
            .agg(functions.sum("steps"), functions.sum(functions.size(functions.col("prediction"))))
            .first();
    return r.getLong(0);
  }

  private static void train(PrintStream out, HebbianRule rule, int p, int n, int reps)
      throws InterruptedException {
    float[][] x = new float[p][];
    for (int k = 0; k < p; k++) {
      x[k] = pattern(k, n);
    }
    long t0 = System.nanoTime();
    SparkSession spark = session(local(2), null);
    double startup = seconds(t0);
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      // the executors make the same rows from their indices (nothing large is shipped in tasks)
      JavaRDD<float[]> patternRdd =
          sc.parallelize(List.of(0, 1), 2)
              .flatMap(h -> rows(h * p / 2, (h + 1) * p / 2, Long.MAX_VALUE, n))
              .cache();
      patternRdd.count();
      float[][] wx = Arrays.copyOf(x, 64); // warm-up on a small slice, all paths
      trainCore(rule, wx, 1);
      trainCore(rule, wx, 2);
      trainSpark(rule, sc.parallelize(Arrays.asList(wx), 2), n);
      out.printf(Locale.ROOT, "Spark %s local[2] context start: %.2f s%n", sc.version(), startup);
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
      row(out, "core, 1 thread (network.train)", c1, c1, 0);
      row(out, "core, 2 threads (network.train)", c2, c1, 0);
      row(out, "spark local[2], 2 partitions, REDUCE", sp, c1, 0);
      out.printf(Locale.ROOT, "  max |W_spark - W_core| = %.3g%n", maxDiff(net[0], net[2]));
      patternRdd.unpersist(true);
    } finally {
      spark.stop();
    }
  }

  static void row(PrintStream out, String what, double s, double base, int queries) {
    out.printf(
        Locale.ROOT,
        "  %-58s %8.2f s   %5.2fx vs 1 thread%s%n",
        what,
        s,
        base / s,
        queries > 0 ? String.format(Locale.ROOT, "   %8.0f queries/s", queries / s) : "");
  }

  static double best(int reps, Supplier<Object> run) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < reps; i++) {
      long t = System.nanoTime();
      run.get();
      best = Math.min(best, seconds(t));
    }
    return best;
  }

  static double seconds(long t0) {
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
  static float[] pattern(long k, int n) {
    SplittableRandom r = new SplittableRandom(0x5EED0000L + k);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextBoolean() ? 1f : -1f;
    }
    return x;
  }

  /** Query k: stored pattern {@code k mod stored} with 10% of its signs flipped. */
  static float[] cue(long k, long stored, int n) {
    float[] c = pattern(k % stored, n);
    SplittableRandom r = new SplittableRandom(0xC0E0000L + k);
    for (int i = 0; i < n; i++) {
      if (r.nextDouble() < 0.1) {
        c[i] = -c[i];
      }
    }
    return c;
  }

  /** Patterns (stored = MAX_VALUE) or queries {@code from..to-1}. */
  private static Iterator<float[]> rows(long from, long to, long stored, int n) {
    LongFunction<float[]> make =
        stored == Long.MAX_VALUE ? i -> pattern(i, n) : i -> cue(i, stored, n);
    return LongStream.range(from, to).mapToObj(make).iterator();
  }

  private static Iterator<Row> keyedRows(long from, long to, long stored, int n) {
    return LongStream.range(from, to)
        .mapToObj(i -> RowFactory.create(i, cue(i, stored, n)))
        .iterator();
  }
}
