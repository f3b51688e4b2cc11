package io.engram.spark;

import io.engram.io.BlockedWeights;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.WeightsMode;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The per-partition kernels of distributed training: centring, and the partial sums {@code Σ_k t_k
 * t_kᵀ} over one partition's patterns, accumulated in float32 in the partition's order.
 */
final class PartialSums {

  /** Rows per chunk: at most this many values are buffered at once (64 MiB of floats). */
  private static final int CHUNK_VALUES = 1 << 24;

  private PartialSums() {}

  /** Rows per chunk for pattern length n. */
  static int chunkRows(int n) {
    return Math.max(1, CHUNK_VALUES / n);
  }

  /**
   * Reads up to {@code rows} patterns into {@code buf} as {@code t = x - rho} (float32), or copied
   * when not centring.
   *
   * @return the number of patterns read
   */
  static int fill(Iterator<float[]> it, int n, float rho, boolean centre, float[] buf, int rows) {
    int k = 0;
    while (k < rows && it.hasNext()) {
      float[] x = it.next();
      if (x == null || x.length != n) {
        // the statistics pass saw every pattern; a change since means the input is not stable
        throw new IllegalStateException(
            "a pattern changed length between passes (expected " + n + "); persist the input RDD");
      }
      int off = k * n;
      if (centre) {
        for (int i = 0; i < n; i++) {
          buf[off + i] = x[i] - rho;
        }
      } else {
        System.arraycopy(x, 0, buf, off, n);
      }
      k++;
    }
    return k;
  }

  /**
   * The dense N x N partial sum of one partition, computed by the core: the chunks of centred
   * patterns are trained, in order, into a dense network with the raw rule ({@link #RAW_SUM}: no
   * centring, no 1/P, no zero diagonal), whose weights are then exactly {@code Σ t tᵀ} accumulated
   * as the core's own training accumulates it. Empty for an empty partition, so that no zero matrix
   * is ever shipped.
   */
  static Iterator<float[]> dense(Iterator<float[]> it, int n, float rho, boolean centre) {
    if (!it.hasNext()) {
      return Collections.emptyIterator();
    }
    checkDenseFits(n, "in each task");
    int chunk = chunkRows(n);
    float[] buf = new float[chunk * n];
    AmariHopfieldNetwork acc = AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, WeightsMode.DENSE);
    int k;
    while ((k = fill(it, n, rho, centre, buf, chunk)) > 0) {
      float[] t = k == chunk ? buf : Arrays.copyOf(buf, k * n);
      int rows = k;
      OnTaskThread.run(() -> RAW_SUM.train(acc, PatternBlock.ofRows(t, rows, n), false, null));
    }
    return List.of(acc.weightMatrix()).iterator();
  }

  /**
   * The dense N x N float arrays a reduce holds at once, in a task (the partial, the copy it
   * returns, its serialised bytes) and on the driver (the sum, a partial arriving, the network's
   * weights).
   */
  static final int DENSE_COPIES = 3;

  /**
   * Fails, naming the sizes, where {@value #DENSE_COPIES} dense N x N float arrays do not fit this
   * JVM's heap: an {@link OutOfMemoryError} in a Spark task stops the executor's JVM, in local mode
   * the application's own.
   *
   * @param where "on the driver", "in each task"
   * @throws IllegalArgumentException naming N, the sizes and the heap
   */
  static void checkDenseFits(int n, String where) {
    checkFits(
        n,
        "strategy reduce sums dense N x N partials: N = " + n + " needs",
        where,
        "collect the patterns into low-rank weights, or use SparkHebbian.trainBlocked");
  }

  /**
   * {@link #checkDenseFits} for the blocks of blocked training: {@value #DENSE_COPIES} blocks of
   * {@code min(B, N)²} floats (one being summed, one arriving, one in transit).
   *
   * @throws IllegalArgumentException naming N, B, the sizes and the heap
   */
  static void checkBlockFits(int n, int blockSize, String where) {
    checkFits(
        Math.min(blockSize, n),
        "blocked training sums blocks of min(B, N) x min(B, N) floats: B = "
            + blockSize
            + " and N = "
            + n
            + " need",
        where,
        "use a smaller block size");
  }

  /**
   * Fails where {@value #DENSE_COPIES} float arrays of {@code side x side} do not fit this JVM's
   * heap, with the message "{@code what} 3 x S MiB {@code where}, more than this JVM's heap (H
   * MiB); {@code instead}".
   *
   * @throws IllegalArgumentException naming the sizes and the heap
   */
  private static void checkFits(long side, String what, String where, String instead) {
    long one = 4L * side * side;
    long heap = Runtime.getRuntime().maxMemory();
    if (DENSE_COPIES * one > heap) {
      throw new IllegalArgumentException(
          what
              + " "
              + DENSE_COPIES
              + " x "
              + (one >> 20)
              + " MiB "
              + where
              + ", more than this JVM's heap ("
              + (heap >> 20)
              + " MiB); "
              + instead);
    }
  }

  /** {@code W <- W + Σ x xᵀ}: the Hebbian rule with every option off. */
  private static final HebbianRule RAW_SUM =
      HebbianRule.hebbian(new HebbianOptions(false, false, false, false));

  /** {@code a += b}, element-wise; returns {@code a}. */
  static float[] add(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /**
   * The upper blocks (I <= J) of one partition's partial sum, as (key, block) pairs with key {@code
   * I · g + J}, produced lazily: one chunk of patterns at a time, one block at a time. Block (I, J)
   * holds rows {@code [I·B, ..)} by columns {@code [J·B, ..)}, row-major.
   */
  static Iterator<scala.Tuple2<Long, float[]>> blocks(
      Iterator<float[]> it, int n, int blockSize, float rho, boolean centre) {
    checkBlockFits(n, blockSize, "in each task");
    int g = BlockedWeights.gridSize(n, blockSize); // in long: n + blockSize - 1 may pass 2^31
    int chunk = chunkRows(n);
    return new Iterator<>() {
      private final float[] buf = new float[chunk * n];
      private int rows;
      private int bi = g;
      private int bj = g;

      @Override
      public boolean hasNext() {
        if (bi < g) {
          return true;
        }
        rows = fill(it, n, rho, centre, buf, chunk);
        bi = rows > 0 ? 0 : g;
        bj = 0;
        return rows > 0;
      }

      @Override
      public scala.Tuple2<Long, float[]> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        float[] b = block(buf, rows, n, blockSize, bi, bj);
        scala.Tuple2<Long, float[]> out = new scala.Tuple2<>((long) bi * g + bj, b);
        if (++bj == g) {
          bi++;
          bj = bi;
        }
        return out;
      }
    };
  }

  /**
   * {@code Σ_k t_k[I-rows] t_k[J-cols]ᵀ} over {@code p} centred rows, float32, in row order (the
   * same products and order as the core's kernel, so a diagonal block is exactly symmetric).
   */
  static float[] block(float[] t, int p, int n, int blockSize, int bi, int bj) {
    int r0 = bi * blockSize;
    int c0 = bj * blockSize;
    int rows = Math.min(blockSize, n - r0);
    int cols = Math.min(blockSize, n - c0);
    float[] acc = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      int out = r * cols;
      for (int k = 0; k < p; k++) {
        int row = k * n;
        float a = t[row + r0 + r];
        for (int c = 0; c < cols; c++) {
          acc[out + c] += a * t[row + c0 + c];
        }
      }
    }
    return acc;
  }
}
