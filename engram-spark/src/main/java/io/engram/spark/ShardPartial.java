package io.engram.spark;

import java.io.Serializable;

/**
 * One retrieval step of a batch of b states over some of the stored patterns, in a form whose parts
 * merge exactly into the step over all of them.
 *
 * <ul>
 *   <li>softmax and exp: per state {@code lse = ln Σ_μ e^(β s_μ)} and the normalised weighted mean
 *       {@code out = Σ_μ e^(β s_μ - lse) x_μ}. Two parts merge by log-sum-exp: {@code L =
 *       ln(e^lse_a + e^lse_b)} (computed from the larger one), {@code out = e^(lse_a - L) out_a +
 *       e^(lse_b - L) out_b}, which is the same as carrying the maximum score m, {@code Σ e^(β s -
 *       m)} and {@code Σ e^(β s - m) x} and never overflows;
 *   <li>polynomial and rectified: the sums of the separation kernel ({@code Σ c_μ x_μ}, {@code Σ
 *       d_μ}, {@code -Σ F(s_μ)}), which add (exact integers for ±1 data below 2^53);
 *   <li>both: the k best (index, score) pairs, best first; on equal scores the earlier pattern
 *       first, as the core's kernel orders them.
 * </ul>
 *
 * Parts must merge in the order of their patterns (the first argument of {@link #merge} holds the
 * earlier ones) for ties to resolve as in the core. Mutable while merging; not thread-safe.
 */
final class ShardPartial implements Serializable {
  private static final long serialVersionUID = 1L;

  final int b;
  final int n;
  final boolean softmax;
  double[] lse; // softmax: b values; -Infinity for no patterns
  double[] out; // b x n, or null
  double[] diagonal; // separation: b values
  double[] energy; // separation: b values
  int k; // best pairs kept per state
  int[] topIndex; // b x k
  float[] topScore; // b x k

  private ShardPartial(int b, int n, boolean softmax) {
    this.b = b;
    this.n = n;
    this.softmax = softmax;
  }

  static ShardPartial softmax(int b, int n, double[] lse, double[] out) {
    ShardPartial p = new ShardPartial(b, n, true);
    p.lse = lse;
    p.out = out;
    return p;
  }

  static ShardPartial separation(int b, int n, double[] out, double[] diagonal, double[] energy) {
    ShardPartial p = new ShardPartial(b, n, false);
    p.out = out;
    p.diagonal = diagonal;
    p.energy = energy;
    return p;
  }

  ShardPartial withTop(int k, int[] topIndex, float[] topScore) {
    this.k = k;
    this.topIndex = topIndex;
    this.topScore = topScore;
    return this;
  }

  /**
   * Merges {@code later} (parts over later patterns) into {@code earlier}; either may be null (no
   * patterns). Returns the merged part (one of the arguments, modified).
   *
   * @param maxK the most best pairs to keep per state
   */
  static ShardPartial merge(ShardPartial earlier, ShardPartial later, int maxK) {
    if (earlier == null) {
      return later;
    }
    if (later == null) {
      return earlier;
    }
    ShardPartial a = earlier;
    ShardPartial z = later;
    int b = a.b;
    int n = a.n;
    if (a.softmax) {
      for (int c = 0; c < b; c++) {
        double la = a.lse[c];
        double lz = z.lse[c];
        if (lz == Double.NEGATIVE_INFINITY) {
          continue;
        }
        if (la == Double.NEGATIVE_INFINITY) {
          a.lse[c] = lz;
          if (a.out != null) {
            System.arraycopy(z.out, c * n, a.out, c * n, n);
          }
          continue;
        }
        double m = Math.max(la, lz);
        double l = m + Math.log(Math.exp(la - m) + Math.exp(lz - m));
        a.lse[c] = l;
        if (a.out != null) {
          double wa = Math.exp(la - l);
          double wz = Math.exp(lz - l);
          for (int i = c * n, e = i + n; i < e; i++) {
            a.out[i] = wa * a.out[i] + wz * z.out[i];
          }
        }
      }
    } else {
      for (int c = 0; c < b; c++) {
        a.diagonal[c] += z.diagonal[c];
        a.energy[c] += z.energy[c];
      }
      if (a.out != null) {
        for (int i = 0; i < a.out.length; i++) {
          a.out[i] += z.out[i];
        }
      }
    }
    int k = Math.min(maxK, a.k + z.k);
    if (k > 0) {
      int[] ti = new int[b * k];
      float[] ts = new float[b * k];
      for (int c = 0; c < b; c++) {
        int i = 0;
        int j = 0;
        for (int r = 0; r < k; r++) {
          boolean takeA = j >= z.k || i < a.k && a.topScore[c * a.k + i] >= z.topScore[c * z.k + j];
          if (takeA) {
            ti[c * k + r] = a.topIndex[c * a.k + i];
            ts[c * k + r] = a.topScore[c * a.k + i];
            i++;
          } else {
            ti[c * k + r] = z.topIndex[c * z.k + j];
            ts[c * k + r] = z.topScore[c * z.k + j];
            j++;
          }
        }
      }
      a.topIndex = ti;
      a.topScore = ts;
    }
    a.k = k;
    return a;
  }
}
