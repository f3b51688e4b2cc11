package io.engram.weights;

import java.util.Objects;

/**
 * Figures over every entry of a weight matrix, at the cost the representation allows: dense weights
 * are read in place (no copy, no entry-by-entry calls), low-rank weights are not formed where their
 * entries can be had from bits ({@code LowRankRange}). Each result is exactly what a scan of {@link
 * Weights#toDenseArray()} gives. Stateless; safe to call from many threads while the weights are
 * not modified.
 */
public final class WeightScan {

  private WeightScan() {}

  /**
   * {@code ‖W - Wᵀ‖_F / ‖W‖_F} in float64 (the sums taken over the rows in order, entry by entry);
   * 0 for symmetric weights, NaN for all-zero weights. Weights in a low-rank form ({@code Σ
   * ±T_bᵀT_b / d_b + diag(g)}) and pseudo-inverse factors are symmetric by construction (their
   * entries {@code W[i][j]} and {@code W[j][i]} are the same sums in the same order): 0 without a
   * scan, NaN when they hold nothing. Dense weights equal to their transpose bit for bit (every
   * trained model) give 0 after a blocked comparison and NaN when every entry is zero (the sums are
   * then not needed: {@code sqrt(0) / sqrt(norm)}); others are summed in O(N²).
   *
   * @throws NullPointerException "weights" if {@code weights} is null
   */
  public static double symmetryError(Weights weights) {
    Objects.requireNonNull(weights, "weights");
    Weights w = weights;
    int n = w.size();
    if (!(w instanceof DenseWeights dw)) {
      boolean zero = w.rank() == 0;
      for (int i = 0; zero && i < n; i++) {
        zero = w.get(i, i) == 0f;
      }
      return zero ? Double.NaN : 0.0;
    }
    float[] a = dw.array();
    if (DenseWeights.isSymmetric(a, n)) {
      // asym is 0 (every W_ij - W_ji is 0); norm is 0 only when every entry is ±0 (the square of
      // a nonzero float is a nonzero double)
      for (float v : a) {
        if (v != 0f) {
          return 0.0;
        }
      }
      return Double.NaN;
    }
    double asym = 0;
    double norm = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = a[i * n + j];
        norm += v * v;
        if (j > i) {
          double d = v - a[j * n + i];
          asym += 2 * d * d;
        }
      }
    }
    return Math.sqrt(asym) / Math.sqrt(norm);
  }

  /**
   * The smallest and largest entry of W, {@code {min, max}}: exactly those of {@link
   * Weights#toDenseArray()} (the same floats). Dense weights are read in place. Low-rank weights
   * whose stored calls' centred patterns each take at most two values (±1 or {0,1} patterns centred
   * by one scalar) are not formed: their pairs are counted from bits in about {@code N² P / 128}
   * word operations, and only the entries that can be the extremes are computed as the dense replay
   * computes them; other low-rank weights, and pseudo-inverse factors, are formed ({@code N²}
   * floats).
   *
   * @throws NullPointerException "weights" if {@code weights} is null
   * @throws IllegalArgumentException as {@link Weights#toDenseArray()} (N too large for a dense
   *     matrix)
   */
  public static float[] range(Weights weights) {
    Objects.requireNonNull(weights, "weights");
    Weights w = weights;
    if (w instanceof LowRankWeights lr) {
      float[] r = lr.entryRange();
      if (r != null) {
        return r;
      }
    }
    float[] a = w instanceof DenseWeights dw ? dw.array() : w.toDenseArray();
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : a) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return new float[] {min, max};
  }
}
