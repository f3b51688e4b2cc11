package io.engram.spark;

import io.engram.kernels.BinaryRows;
import io.engram.kernels.Kernels;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import java.io.Serializable;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A block of consecutive stored patterns of a modern memory kept on the executors: rows {@code
 * offset .. offset + count - 1} of X, row-major, with their largest norm (rows of its partition's
 * patterns where a fit made it, in the one read that counts them: {@link ShardedMemory} adds where
 * the partition starts to the best patterns' indices). {@link #partial} runs the core's retrieval
 * kernel over this block for a batch of states; {@link ShardPartial#merge} joins the blocks'
 * results exactly.
 */
final class PatternShard implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The most values one shard holds: 2^22 floats (16 MiB). */
  static final int MAX_VALUES = 1 << 22;

  final int offset;
  final int count;
  final int n;
  final float[] rows;
  final double maxNorm;

  private PatternShard(int offset, int count, int n, float[] rows, double maxNorm) {
    this.offset = offset;
    this.count = count;
    this.n = n;
    this.rows = rows;
    this.maxNorm = maxNorm;
  }

  /**
   * The rows packed as bits when they are all ±1 ({@link BinaryRows}: ±1 queries' scores counted,
   * the same bits), made on the executor once a batch's first product reaches {@link #BITS_AT_WORK}
   * multiply-adds or at the {@value #BITS_AFTER_BATCHES}th batch over this shard object; not
   * serialised (a shard read again packs again).
   */
  private transient volatile BinaryRows bits;

  private transient volatile boolean packed;

  private transient java.util.concurrent.atomic.AtomicInteger asks;

  /** As the core memory's threshold: 2^28 multiply-adds. */
  static final long BITS_AT_WORK = 1L << 28;

  static final int BITS_AFTER_BATCHES = 4;

  /** The bits for a batch of {@code b} states, or null (not now, too few rows, or not ±1). */
  BinaryRows bitsFor(int b) {
    if (packed) {
      return bits;
    }
    if (count < BinaryRows.MIN_ROWS || b < 2) {
      return null;
    }
    synchronized (this) {
      if (!packed) {
        if (asks == null) {
          asks = new java.util.concurrent.atomic.AtomicInteger();
        }
        if ((long) b * count * n < BITS_AT_WORK && asks.incrementAndGet() < BITS_AFTER_BATCHES) {
          return null;
        }
        bits = BinaryRows.of(rows, count, n);
        packed = true;
      }
      return bits;
    }
  }

  /** Rows per shard for patterns of length N. */
  static int rowsPerShard(int n) {
    return Math.max(1, MAX_VALUES / n);
  }

  /**
   * A shard of {@code count} rows, validated as the core's {@code storeRows} validates patterns for
   * this separation (finite, squared norm in the float32 range, ±1 for the binary separations).
   *
   * @throws IllegalArgumentException naming the pattern by its index in the whole memory
   */
  static PatternShard of(
      int offset, int count, float[] rows, int n, Separation sep, float beta, int degree) {
    return of(offset, count, rows, n, sep, beta, degree, k -> "pattern " + (offset + k));
  }

  /**
   * {@link #of(int, int, float[], int, Separation, float, int)}, a bad pattern named by {@code
   * where} (given its row in this shard: "pattern 1 of partition 0: column features").
   *
   * @throws IllegalArgumentException "{@code <where> has <the core's reason>}"
   */
  static PatternShard of(
      int offset,
      int count,
      float[] rows,
      int n,
      Separation sep,
      float beta,
      int degree,
      IntFunction<String> where) {
    ModernHopfieldMemory check = ModernHopfieldMemory.of(n, sep, beta, degree);
    try {
      check.storeRows(rows, count);
    } catch (IllegalArgumentException e) {
      throw named(rows, count, n, sep, beta, degree, where, e);
    }
    return new PatternShard(offset, count, n, rows, check.maxNorm());
  }

  /**
   * The first of {@code count} rows that the core refuses, named by {@code where}: each row is
   * stored alone until one fails (only once a shard has failed), and its reason ("pattern 0 has a
   * non-finite value NaN at index 5") is given after {@code where} in place of the core's name.
   */
  private static IllegalArgumentException named(
      float[] rows,
      int count,
      int n,
      Separation sep,
      float beta,
      int degree,
      IntFunction<String> where,
      IllegalArgumentException shard) {
    for (int k = 0; k < count; k++) {
      try {
        ModernHopfieldMemory.of(n, sep, beta, degree)
            .storeRows(Arrays.copyOfRange(rows, k * n, (k + 1) * n), 1);
      } catch (IllegalArgumentException e) {
        String own = "pattern 0 ";
        String m = String.valueOf(e.getMessage());
        return new IllegalArgumentException(
            where.apply(k) + (m.startsWith(own) ? " " + m.substring(own.length()) : ": " + m), e);
      }
    }
    return new IllegalArgumentException(
        "in the patterns from " + where.apply(0) + ": " + shard.getMessage(), shard);
  }

  /**
   * This shard's part of one retrieval step for {@code b} states {@code q} (b x N): the core's
   * softmax kernel for softmax and exp ({@code ln Σ e^(β s)}, the normalised mean, the best
   * scores), its separation kernel for polynomial and rectified (the sums), on this thread.
   *
   * @param wantOut whether the next state's sums are needed (not for energies alone)
   */
  ShardPartial partial(
      float[] q, int b, Separation separation, float beta, int degree, int k, boolean wantOut) {
    int kk = Math.min(k, count);
    int[] ti = new int[b * kk];
    float[] ts = new float[b * kk];
    ShardPartial r;
    BinaryRows xb = bitsFor(b);
    if (separation.usesBeta()) {
      float[] out = wantOut ? new float[b * n] : null;
      double[] lse = new double[b];
      OnTaskThread.run(
          () -> {
            Kernels.softmaxRetrieval(b, count, n, q, rows, null, xb, beta, out, lse, kk, ti, ts);
            return null;
          });
      double[] outD = null;
      if (out != null) {
        outD = new double[out.length];
        for (int i = 0; i < out.length; i++) {
          outD[i] = out[i];
        }
      }
      r = ShardPartial.softmax(b, n, lse, outD);
    } else {
      double[] outD = wantOut ? new double[b * n] : null;
      double[] diagonal = new double[b];
      double[] energy = new double[b];
      boolean rectified = separation == Separation.RECTIFIED;
      OnTaskThread.run(
          () -> {
            Kernels.separationRetrieval(
                b, count, n, q, rows, xb, degree, rectified, outD, diagonal, energy, kk, ti, ts);
            return null;
          });
      r = ShardPartial.separation(b, n, outD, diagonal, energy);
    }
    for (int i = 0; i < ti.length; i++) {
      ti[i] += offset;
    }
    return r.withTop(kk, ti, ts);
  }
}
