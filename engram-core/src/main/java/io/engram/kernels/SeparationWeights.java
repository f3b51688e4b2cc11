package io.engram.kernels;

/**
 * The separation-function weights of {@link Kernels#separationRetrieval} for one block of scores,
 * and their product with the block of patterns, in float64: for ±1 data every value is an exact
 * integer while it stays below 2^53, so that a field that should be zero is exactly zero.
 * Stateless.
 */
final class SeparationWeights {

  private SeparationWeights() {}

  /**
   * For the scores {@code sc[r*ld + q]} ({@code r < pb}): {@code wd[r*g + q] = (F(s+2) - F(s-2)) /
   * 2} (when {@code wd} is not null), {@code diag[q] += (2F(s) - F(s-2) - F(s+2)) / 2} and {@code
   * energy[q] -= F(s)}, with {@code F(v) = vⁿ} or {@code max(v, 0)ⁿ}.
   */
  static void weights(
      float[] sc,
      int ld,
      int g,
      int pb,
      int degree,
      boolean rectified,
      double[] wd,
      double[] diag,
      double[] energy) {
    for (int r = 0; r < pb; r++) {
      for (int q = 0; q < g; q++) {
        double s = sc[r * ld + q];
        double fm = power(s - 2, degree, rectified);
        double f0 = power(s, degree, rectified);
        double fp = power(s + 2, degree, rectified);
        if (wd != null) {
          wd[r * g + q] = (fp - fm) * 0.5;
        }
        diag[q] += (2 * f0 - fm - fp) * 0.5;
        energy[q] -= f0;
      }
    }
  }

  /** {@code od[q] += Σ_r wd[r*g + q] X[b0 + r]} (X is p x n, od is g x n). */
  static void accumulate(float[] x, int n, double[] wd, int g, int b0, int pb, double[] od) {
    for (int r = 0; r < pb; r++) {
      int xo = (b0 + r) * n;
      for (int q = 0; q < g; q++) {
        double w = wd[r * g + q];
        if (w == 0) {
          continue;
        }
        int oo = q * n;
        for (int i = 0; i < n; i++) {
          od[oo + i] += w * x[xo + i];
        }
      }
    }
  }

  /** {@code vⁿ}, or {@code max(v, 0)ⁿ} when rectified, by repeated multiplication. */
  static double power(double v, int degree, boolean rectified) {
    if (rectified && v <= 0) {
      return 0;
    }
    double r = 1;
    for (int i = 0; i < degree; i++) {
      r *= v;
    }
    return r;
  }
}
