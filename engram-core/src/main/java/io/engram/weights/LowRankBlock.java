package io.engram.weights;

import io.engram.kernels.Kernels;

/**
 * One training call of {@link LowRankWeights}: its centred rows T (P x N), divisor, sign and the
 * column sums of squares q. Immutable once built (the transposed copy is a lazily built cache).
 */
final class LowRankBlock {
  final float[] t; // p x n, row-major
  final int p;
  final float divisor;
  final boolean negate;
  final float[] q; // Σ_k t[k][i]², float32, pattern order
  private volatile float[] transposed; // n x p, for asynchronous updates and products of one column

  /**
   * The largest T ({@code p x n} floats, 4 MiB) whose transposed copy a product of one column
   * builds and keeps ({@link #columnsFirst}): with T and its copy in cache, {@code T s} from the
   * copy took 0.2-0.4 of the time of T read row by row (P = 100-512, N = 1024-4096). Larger, the
   * two no longer share the cache a step reads them from: a predict of P = 1000, N = 4096 took
   * 29-32 against 16.5-16.8 ms, P = 800, N = 8192 9.1-9.2 against 7.0 ms (one JVM, this project's
   * machine, 2026-11-30). A larger T is read row by row, with no memory of its own.
   */
  static final int MAX_COLUMN_COPY_FLOATS = 1 << 20;

  /**
   * Whether a product of one column reads {@code T s} from T's transposed copy ({@link
   * #transposed}), its chains then in the SIMD lanes: at least 16 rows (a vector's lanes) and a
   * copy of at most {@link #MAX_COLUMN_COPY_FLOATS}, or a copy already made.
   */
  static boolean columnsFirst(int p, int n, boolean copied) {
    return Kernels.oneColumnByLanes()
        && p >= 16
        && (copied || (long) p * n <= MAX_COLUMN_COPY_FLOATS);
  }

  /** Whether the transposed copy has been built. */
  boolean hasTransposed() {
    return transposed != null;
  }

  LowRankBlock(float[] t, int p, float divisor, boolean negate, float[] q) {
    this.t = t;
    this.p = p;
    this.divisor = divisor;
    this.negate = negate;
    this.q = q;
  }

  float[] transposed(int n) {
    float[] tt = transposed;
    if (tt == null) {
      synchronized (this) {
        tt = transposed;
        if (tt == null) {
          tt = new float[t.length];
          Kernels.transpose(t, p, n, tt);
          transposed = tt;
        }
      }
    }
    return tt;
  }

  /** {@code v / d}, negated for anti-Hebbian blocks: the dense rule's {@code u = ±acc/P}. */
  float scale(float v) {
    return Checks.scaled(v, divisor, negate);
  }

  /** {@link #scale(float)} in float64. */
  double scale(double v) {
    return Checks.scaled(v, divisor, negate);
  }

  /** {@code max_i q[i] / d}: no entry of this block's term exceeds it (Cauchy-Schwarz). */
  double bound() {
    float m = 0f;
    for (float v : q) {
      m = Math.max(m, v);
    }
    return (double) m / divisor;
  }
}
