package io.engram.weights;

/** Checks and bounds shared by the two forms of pseudo-inverse weights. */
final class Projection {

  private Projection() {}

  /** A ridge λ must be a finite number >= 0. */
  static void checkRidge(double ridge) {
    if (!(ridge >= 0) || !Double.isFinite(ridge)) {
      throw new IllegalArgumentException("ridge is " + ridge + ", expected a finite number >= 0");
    }
  }

  /** N finite values. */
  static void checkDiagonal(float[] d, int n) {
    if (d == null || d.length != n) {
      throw new IllegalArgumentException(
          "projection diagonal has length " + (d == null ? "null" : d.length) + ", expected " + n);
    }
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(d[i])) {
        throw new IllegalArgumentException("projection diagonal[" + i + "] is " + d[i]);
      }
    }
  }

  /** {@code max |d_i|}. */
  static double maxAbs(float[] d) {
    float m = 0f;
    for (float v : d) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /**
   * An upper bound on every entry of {@code VᵀV} for k rows of length n: {@code max_i Σ_k v_ki²}
   * (Cauchy-Schwarz), with a margin for float32 rounding.
   */
  static double rowBound(float[] v, int k, int n) {
    double[] q = new double[n];
    for (int r = 0; r < k; r++) {
      int o = r * n;
      for (int i = 0; i < n; i++) {
        q[i] += (double) v[o + i] * v[o + i];
      }
    }
    double m = 0;
    for (double x : q) {
      m = Math.max(m, x);
    }
    return m * (1 + (k + 2) * 0x1p-22);
  }
}
