package io.engram.spark;

import io.engram.kernels.Kernels;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The Gram matrix {@code G = X Xᵀ} (P x P) of a distributed pattern set, reduced from column
 * blocks: {@code G = Σ_c X_c X_cᵀ} over blocks of columns c. Each partition cuts its rows into
 * column slices (one shuffle moves the P x N values once), each column block's task forms its P x P
 * partial with the core's symmetric rank-k kernel (float32, as the core forms its own Gram), and
 * the driver sums the partials in float64. Executor memory per block task: {@code 4 P (N/B) + 4 P²}
 * bytes; driver: {@code 8 P²} bytes plus one partial at a time.
 */
final class GramBlocks {

  private GramBlocks() {}

  /**
   * A slice of columns {@code [c0, c0 + w)} of rows {@code first .. first + count - 1}. A class,
   * not a record: it crosses a shuffle, which Spark's Kryo (version 4) cannot do for a record.
   */
  private static final class Slice implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int first;
    private final int count;
    private final int width;
    private final float[] values;

    Slice(int first, int count, int width, float[] values) {
      this.first = first;
      this.count = count;
      this.width = width;
      this.values = values;
    }

    int first() {
      return first;
    }

    int count() {
      return count;
    }

    int width() {
      return width;
    }

    float[] values() {
      return values;
    }
  }

  /**
   * @param patterns P rows of length N, in order (validated by the caller)
   * @param blocks the number of column blocks B (1..N)
   */
  static double[] gram(JavaRDD<float[]> patterns, int p, int n, int blocks) {
    int b = Math.max(1, Math.min(blocks, n));
    long[] first = PartitionOffsets.of(patterns);
    JavaPairRDD<Integer, Slice> slices =
        patterns
            .mapPartitionsWithIndex(
                (part, it) ->
                    slices(PartitionOffsets.checked(it, part, first), (int) first[part], n, b),
                true)
            .mapToPair(t -> t);
    List<Tuple2<Integer, float[]>> partials =
        slices
            .groupByKey(b)
            .mapValues(s -> blockGram(s, p, n, b))
            .collect(); // ~4 P² bytes per block through the driver, summed one at a time
    double[] g = new double[p * p];
    for (Tuple2<Integer, float[]> t : partials) {
      float[] f = t._2();
      for (int i = 0; i < g.length; i++) {
        g[i] += f[i];
      }
    }
    return g;
  }

  private static int start(int c, int n, int b) {
    return (int) ((long) c * n / b);
  }

  /** A partition's rows cut into B column slices, each row-major (count x width). */
  private static Iterator<Tuple2<Integer, Slice>> slices(
      Iterator<float[]> it, int first, int n, int b) {
    List<float[]> rows = new ArrayList<>();
    it.forEachRemaining(rows::add);
    List<Tuple2<Integer, Slice>> out = new ArrayList<>(b);
    if (rows.isEmpty()) {
      return out.iterator();
    }
    for (int c = 0; c < b; c++) {
      int c0 = start(c, n, b);
      int w = start(c + 1, n, b) - c0;
      float[] v = new float[rows.size() * w];
      for (int r = 0; r < rows.size(); r++) {
        System.arraycopy(rows.get(r), c0, v, r * w, w);
      }
      out.add(new Tuple2<>(c, new Slice(first, rows.size(), w, v)));
    }
    return out.iterator();
  }

  /** {@code X_c X_cᵀ} of one column block, P x P float32 (both triangles). */
  private static float[] blockGram(Iterable<Slice> slices, int p, int n, int b) {
    SparkRules.checkGram(p, n, 2 * 4L * p * p, "2 float32 P x P matrices", "in each task");
    int w = -1;
    float[] t = null; // w x P: the block transposed
    for (Slice s : slices) {
      if (t == null) {
        w = s.width();
        t = new float[w * p];
      }
      for (int r = 0; r < s.count(); r++) {
        int row = s.first() + r;
        for (int j = 0; j < w; j++) {
          t[j * p + row] = s.values()[r * w + j];
        }
      }
    }
    float[] g = new float[p * p];
    if (t != null) {
      float[] tt = t;
      int ww = w;
      OnTaskThread.run(
          () -> {
            Kernels.syrkAdd(p, ww, tt, 0f, g, 1f, false, true, null);
            return null;
          });
    }
    return g;
  }
}
