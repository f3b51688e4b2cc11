package io.engram.spark.bench;

import io.engram.kernels.Kernels;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.RecallResult;
import io.engram.spark.HopfieldMemory;
import io.engram.spark.HopfieldMemoryModel;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.apache.spark.SparkConf;
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
 * Modern Hopfield memory (softmax, β = 1/√N unless {@code -Dengram.bench.beta}) on Spark against
 * the core on 1 and 2 threads, in one process and run. A tool, not part of the library (it prints).
 *
 * <ul>
 *   <li>{@code recall P N Q}: P ±1 patterns of length N, Q copies with 10% of their signs flipped;
 *       the core's {@code retrieveAll} on 1 and 2 threads, then {@code
 *       HopfieldMemoryModel.transform} on 1 and 2 executors ({@code local[1]}, {@code local[2]},
 *       and a standalone cluster of two one-core workers when {@code -Dengram.spark.classpathFile}
 *       is given), broadcast (X on every executor) and sharded ({@code broadcastLimit = 0}: X split
 *       over the partitions, one job per step of each 256 queries, partial softmax sums merged by
 *       log-sum-exp on the driver).
 *   <li>{@code sharded P N Q}: P ±1 patterns generated on the executors ({@code local[2]}) are
 *       fitted as a sharded modern memory (never on the driver) and Q cues (stored patterns with 4
 *       signs flipped, β = 1 unless set) retrieved through the sharded path (after a warm-up
 *       transform of 2 cues, timed apart); prints the times, the JVM's heap after each phase, and
 *       whether every cue found its pattern. With {@code -Dengram.bench.core=true} the core
 *       retrieves the same cues from the same patterns on 2 threads for comparison (needs about 3 x
 *       4 P N bytes more heap).
 * </ul>
 */
public final class ModernBenchmark {

  private static final int PARTS = 8;

  private ModernBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "recall";
    int p = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int q = args.length > 3 ? Integer.parseInt(args[3]) : 2048;
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "kernels: %s; %d cores; java %s; max heap %.1f GiB%n",
        Kernels.isVectorized() ? "Vector API" : "plain Java",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() / (double) (1L << 30));
    if (mode.equals("sharded")) {
      sharded(out, p, n, q);
    } else {
      recall(out, p, n, q);
    }
  }

  private static StructType schema() {
    return new StructType()
        .add("id", DataTypes.LongType, false)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
  }

  /** Rows {@code from..to-1}: stored pattern k (stored = 0) or cue k of {@code stored}. */
  private static Iterator<Row> rows(long from, long to, long stored, int n) {
    return LongStream.range(from, to)
        .mapToObj(
            i ->
                RowFactory.create(
                    i,
                    stored == 0 ? SparkBenchmark.pattern(i, n) : SparkBenchmark.cue(i, stored, n)))
        .iterator();
  }

  /** A frame generated on the executors, {@code parts} partitions. */
  private static Dataset<Row> frame(SparkSession spark, long count, long stored, int n, int parts) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(
        sc.parallelize(LongStream.range(0, parts).boxed().toList(), parts)
            .flatMap(h -> rows(h * count / parts, (h + 1) * count / parts, stored, n)),
        schema());
  }

  private static long bestSum(HopfieldMemoryModel model, Dataset<Row> cues) {
    return model.transform(cues).agg(functions.sum("best")).first().getLong(0);
  }

  private static void recall(PrintStream out, int p, int n, int q) throws Exception {
    int reps = Integer.getInteger("engram.bench.reps", 2);
    float[][] x = new float[p][];
    for (int k = 0; k < p; k++) {
      x[k] = SparkBenchmark.pattern(k, n);
    }
    float[][] cues = new float[q][];
    for (int k = 0; k < q; k++) {
      cues[k] = SparkBenchmark.cue(k, p, n);
    }
    ModernHopfieldMemory core = ModernHopfieldMemory.softmax(n, beta(n));
    core.store(x);
    out.printf(
        Locale.ROOT,
        "modern recall: P = %d stored, N = %d, Q = %d queries (10%% flipped), softmax beta = %.4g,"
            + " one step, %d partitions%n",
        p,
        n,
        q,
        core.beta(),
        PARTS);
    retrieveCore(core, java.util.Arrays.copyOf(cues, Math.min(q, 256)), 2); // warm-up
    long[] best = new long[1];
    double c1 = SparkBenchmark.best(reps, () -> best[0] = retrieveCore(core, cues, 1));
    double c2 = SparkBenchmark.best(reps, () -> retrieveCore(core, cues, 2));
    SparkBenchmark.row(out, "core, 1 thread (retrieveAll)", c1, c1, q);
    SparkBenchmark.row(out, "core, 2 threads (retrieveAll)", c2, c1, q);
    HopfieldMemoryModel model = HopfieldMemoryModel.of(core);
    for (int cores : new int[] {1, 2}) {
      SparkSession spark =
          SparkBenchmark.session(new SparkConf().setMaster("local[" + cores + "]"), null);
      try {
        recallSpark(out, spark, "local[" + cores + "]", model, p, n, q, reps, c1, best[0]);
      } finally {
        spark.stop();
      }
    }
    SparkBenchmark.onStandaloneCluster(
        out,
        ModernBenchmark.class,
        (spark, where) -> recallSpark(out, spark, where, model, p, n, q, reps, c1, best[0]));
  }

  private static void recallSpark(
      PrintStream out,
      SparkSession spark,
      String where,
      HopfieldMemoryModel model,
      int p,
      int n,
      int q,
      int reps,
      double base,
      long bestWant) {
    Dataset<Row> cues = frame(spark, q, p, n, PARTS).persist(StorageLevel.MEMORY_AND_DISK());
    cues.count();
    HopfieldMemoryModel sharded = model.copy(new org.apache.spark.ml.param.ParamMap());
    sharded.setBroadcastLimit(0);
    long[] got = new long[2];
    bestSum(model, cues); // warm-up: broadcast, executors' kernels
    double b = SparkBenchmark.best(reps, () -> got[0] = bestSum(model, cues));
    bestSum(sharded, cues.limit(1)); // shards the patterns (cached) once
    double s = SparkBenchmark.best(reps, () -> got[1] = bestSum(sharded, cues));
    SparkBenchmark.row(out, "spark " + where + ", broadcast X", b, base, q);
    SparkBenchmark.row(out, "spark " + where + ", sharded X (broadcastLimit 0)", s, base, q);
    out.printf(
        Locale.ROOT,
        "  sum of best indices: core %d, broadcast %d, sharded %d%n",
        bestWant,
        got[0],
        got[1]);
    cues.unpersist(true);
  }

  private static long retrieveCore(ModernHopfieldMemory m, float[][] cues, int threads) {
    int before = Kernels.parallelism();
    Kernels.setParallelism(threads);
    try {
      long s = 0;
      for (RecallResult r : m.retrieveAll(cues)) {
        s += r.matches().get(0).index();
      }
      return s;
    } finally {
      Kernels.setParallelism(before);
    }
  }

  private static float beta(int n) {
    String b = System.getProperty("engram.bench.beta");
    return b != null ? Float.parseFloat(b) : (float) (1 / Math.sqrt(n));
  }

  // ---- sharded: P = 10^7 ----

  /** Cue c: pattern {@code source(c)} with 4 signs flipped. */
  private static float[] shardedCue(int c, int p, int n) {
    float[] x = SparkBenchmark.pattern(source(c, p), n);
    SplittableRandom r = new SplittableRandom(0xF11F0000L + c);
    for (int f = 0; f < 4; f++) {
      int i = r.nextInt(n);
      x[i] = -x[i];
    }
    return x;
  }

  private static long source(int c, int p) {
    return (c * 104_729L + 7) % p;
  }

  private static String heap() {
    System.gc();
    var h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return String.format(Locale.ROOT, "%.2f GiB", h.getUsed() / (double) (1L << 30));
  }

  private static void sharded(PrintStream out, int p, int n, int q) throws Exception {
    SparkSession spark = SparkBenchmark.session(new SparkConf().setMaster("local[2]"), null);
    try {
      float beta = Float.parseFloat(System.getProperty("engram.bench.beta", "1"));
      int parts = Math.max(2, (int) ((4L * p * n) >> 26)); // about 64 MiB of patterns each
      out.printf(
          Locale.ROOT,
          "sharded modern memory: P = %d stored (+-1, generated on the executors), N = %d"
              + " (%.2f GB of float32), %d partitions, Q = %d cues (4 of N signs flipped),"
              + " softmax beta = %s, one step; heap before: %s%n",
          p,
          n,
          4.0 * p * n / 1e9,
          parts,
          q,
          beta,
          heap());
      long t0 = System.nanoTime();
      HopfieldMemoryModel model =
          new HopfieldMemory().setMemory("modern").setBeta(beta).fit(frame(spark, p, 0, n, parts));
      double fit = SparkBenchmark.seconds(t0);
      out.printf(
          Locale.ROOT,
          "  fit (validate, shard, cache): %.1f s; sharded: %s; heap after fit: %s%n",
          fit,
          model.isSharded(),
          heap());
      List<Row> cueRows = new ArrayList<>();
      float[][] cues = new float[q][];
      for (int c = 0; c < q; c++) {
        cues[c] = shardedCue(c, p, n);
        cueRows.add(RowFactory.create((long) c, cues[c]));
      }
      Dataset<Row> cueFrame = spark.createDataFrame(cueRows, schema());
      t0 = System.nanoTime();
      model.transform(cueFrame.limit(2)).collectAsList(); // warm-up: the kernels' JIT, the jobs
      out.printf(
          Locale.ROOT, "  warm-up transform of 2 cues: %.1f s%n", SparkBenchmark.seconds(t0));
      t0 = System.nanoTime();
      List<Row> got = model.transform(cueFrame).orderBy("id").collectAsList();
      double recall = SparkBenchmark.seconds(t0);
      int found = 0;
      double minWeight = 1;
      for (int c = 0; c < q; c++) {
        Row r = got.get(c);
        if (r.<Integer>getAs("best") == source(c, p)) {
          found++;
        }
        minWeight = Math.min(minWeight, r.<Double>getAs("weight"));
      }
      out.printf(
          Locale.ROOT,
          "  transform of %d cues (sharded, 1 step): %.1f s (%.2f s per cue, %.2g pattern-scores"
              + "/s); %d of %d found their pattern (smallest best weight %.3f); heap after: %s%n",
          q,
          recall,
          recall / q,
          (double) p * q / recall,
          found,
          q,
          minWeight,
          heap());
      if (Boolean.getBoolean("engram.bench.core")) {
        float[] flat = new float[p * n];
        for (int k = 0; k < p; k++) {
          System.arraycopy(SparkBenchmark.pattern(k, n), 0, flat, k * n, n);
        }
        ModernHopfieldMemory core = ModernHopfieldMemory.softmax(n, beta);
        core.storeRows(flat, p);
        flat = null;
        t0 = System.nanoTime();
        List<RecallResult> want = core.retrieveAll(cues);
        double c2 = SparkBenchmark.seconds(t0);
        double diff = 0;
        int same = 0;
        for (int c = 0; c < q; c++) {
          float[] s = io.engram.spark.bench.ModernBenchmark.floats(got.get(c));
          for (int i = 0; i < n; i++) {
            diff = Math.max(diff, Math.abs(s[i] - want.get(c).state()[i]));
          }
          if (want.get(c).matches().get(0).index() == got.get(c).<Integer>getAs("best")) {
            same++;
          }
        }
        out.printf(
            Locale.ROOT,
            "  core on the driver, 2 threads: %.1f s (sharded Spark %.2fx of it); same best %d"
                + " of %d; max |state difference| %.2g%n",
            c2,
            c2 / recall,
            same,
            q,
            diff);
      }
    } finally {
      spark.stop();
    }
  }

  static float[] floats(Row r) {
    List<Object> l = r.getList(r.fieldIndex("prediction"));
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) l.get(i)).floatValue();
    }
    return f;
  }
}
