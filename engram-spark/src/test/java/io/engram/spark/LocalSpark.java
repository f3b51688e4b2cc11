package io.engram.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One quiet {@code local[2]} Spark session, bound to the loopback address, shared by every test
 * class of the JVM (starting Spark costs seconds; Spark's shutdown hook stops it), and test data.
 */
final class LocalSpark {

  private static SparkSession session;

  private LocalSpark() {}

  /**
   * The session, made again where a test stopped it ({@code StoppedSessionTest}: a model used after
   * the session that made it was stopped).
   */
  static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("engram-spark-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.ui.showConsoleProgress", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .getOrCreate();
    }
    return session;
  }

  static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
  }

  /** P x N patterns: ±1 when {@code bipolar}, else Gaussian values around 0.3. */
  static float[][] patterns(int p, int n, boolean bipolar, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = bipolar ? (r.nextBoolean() ? 1f : -1f) : (float) (r.nextGaussian() * 0.7 + 0.3);
      }
    }
    return x;
  }

  /** Copies of {@code stored} (cycled), each with {@code flips} random signs flipped. */
  static float[][] noisy(float[][] stored, int count, int flips, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = stored[0].length;
    float[][] cues = new float[count][];
    for (int q = 0; q < count; q++) {
      cues[q] = stored[q % stored.length].clone();
      for (int f = 0; f < flips; f++) {
        int i = r.nextInt(n);
        cues[q][i] = -cues[q][i];
      }
    }
    return cues;
  }

  /** The accepted types of a features column, as test data sees them. */
  enum Column {
    FLOATS(DataTypes.createArrayType(DataTypes.FloatType, false)),
    DOUBLES(DataTypes.createArrayType(DataTypes.DoubleType, false)),
    INTS(DataTypes.createArrayType(DataTypes.IntegerType, false)),
    VECTOR(org.apache.spark.ml.linalg.SQLDataTypes.VectorType());

    final DataType type;

    Column(DataType type) {
      this.type = type;
    }

    Object value(float[] x) {
      double[] d = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        d[i] = x[i];
      }
      return switch (this) {
        case FLOATS -> x;
        case DOUBLES -> d;
        case INTS -> {
          int[] v = new int[x.length];
          for (int i = 0; i < x.length; i++) {
            v[i] = (int) x[i];
          }
          yield v;
        }
        case VECTOR -> Vectors.dense(d);
      };
    }
  }

  /** Rows (id long, features of the given type), one per vector, in order. */
  static List<Row> rows(float[][] x, Column type) {
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < x.length; k++) {
      rows.add(RowFactory.create((long) k, type.value(x[k])));
    }
    return rows;
  }

  /** The schema of {@link #rows}. */
  static StructType schema(Column type) {
    return new StructType().add("id", DataTypes.LongType, false).add("features", type.type, false);
  }

  /**
   * A DataFrame (id long, features of the given type), one row per vector in order, in {@code
   * partitions} partitions.
   */
  static Dataset<Row> frame(float[][] x, Column type, int partitions) {
    return session()
        .createDataFrame(context().parallelize(rows(x, type), partitions), schema(type));
  }

  /**
   * {@link #frame} whose every row read from its source adds one to {@code reads}: how often a job
   * reads the features.
   */
  static Dataset<Row> counted(
      float[][] x, Column type, int partitions, org.apache.spark.util.LongAccumulator reads) {
    return session()
        .createDataFrame(
            context()
                .parallelize(rows(x, type), partitions)
                .map(
                    r -> {
                      reads.add(1);
                      return r;
                    }),
            schema(type));
  }

  /** The Spark jobs started while {@code r} runs. */
  static int jobs(Runnable r) throws java.util.concurrent.TimeoutException {
    java.util.concurrent.atomic.AtomicInteger started =
        new java.util.concurrent.atomic.AtomicInteger();
    listening(
        new org.apache.spark.scheduler.SparkListener() {
          @Override
          public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
            started.incrementAndGet();
          }
        },
        r);
    return started.get();
  }

  /** The bytes the tasks that end while {@code r} runs send the driver as their results. */
  static long resultBytes(Runnable r) throws java.util.concurrent.TimeoutException {
    java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    listening(
        new org.apache.spark.scheduler.SparkListener() {
          @Override
          public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
              bytes.addAndGet(end.taskMetrics().resultSize());
            }
          }
        },
        r);
    return bytes.get();
  }

  /** Runs {@code r} with {@code l} listening, and every event of {@code r} delivered to it. */
  private static void listening(org.apache.spark.scheduler.SparkListener l, Runnable r)
      throws java.util.concurrent.TimeoutException {
    org.apache.spark.SparkContext sc = context().sc();
    sc.listenerBus().waitUntilEmpty();
    sc.addSparkListener(l);
    try {
      r.run();
      sc.listenerBus().waitUntilEmpty();
    } finally {
      sc.removeSparkListener(l);
    }
  }

  /** Row {@code k}'s vector in column {@code name}, as float32. */
  static float[] floats(Row row, String name) {
    Object v = row.getAs(name);
    if (v instanceof org.apache.spark.ml.linalg.Vector vec) {
      double[] d = vec.toArray();
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    List<Object> list = row.getList(row.fieldIndex(name));
    float[] f = new float[list.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) list.get(i)).floatValue();
    }
    return f;
  }
}
