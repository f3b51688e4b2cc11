package io.engram.weights;

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
  private volatile float[] transposed; // n x p, for asynchronous updates

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
          for (int k = 0; k < p; k++) {
            for (int i = 0; i < n; i++) {
              tt[i * p + k] = t[k * n + i];
            }
          }
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
