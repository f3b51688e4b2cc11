package io.engram.memory;

import java.io.Serializable;

/**
 * The scores' log-mean-exp {@code β⁻¹ ln (mean_μ e^(β s_μ))}, {@code s_μ = x_μ·ξ}, of {@code count}
 * states over stored patterns, in float64 and without the cancellation of {@code β⁻¹ (ln Σ_μ e^(β
 * s_μ) - ln P)} at tiny β: {@code s_max + β⁻¹ log1p(mean_μ expm1(β (s_μ - s_max)))}, which tends to
 * the mean score as β → 0. The softmax energy takes it where {@code 8 β M ‖ξ‖ < ln P} ({@link
 * ModernStep}).
 *
 * <p>It is made over one block of patterns ({@link #over}), and the parts of consecutive blocks
 * merge into the value over all of them ({@link #merge}: per state the largest score and {@code Σ_μ
 * expm1(β (s_μ - s_max))}, rescaled to the common maximum with {@code exp} and {@code expm1}, terms
 * of one sign, so nothing cancels), so that patterns held in parts (sharded over machines) give the
 * value of the patterns in one array up to float64 rounding. Mutable while merging; not
 * thread-safe.
 */
public final class LogMeanExp implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float beta;
  private final int count;
  private long rows;
  private final double[] max; // per state: the largest score (-Infinity over no rows)
  private final double[] sum; // per state: Σ_μ expm1(β (s_μ - max)), in [-rows, 0]

  private LogMeanExp(float beta, int count, long rows, double[] max, double[] sum) {
    this.beta = beta;
    this.count = count;
    this.rows = rows;
    this.max = max;
    this.sum = sum;
  }

  /**
   * The parts over {@code rows} patterns {@code x} (rows x n, row-major) for {@code count} states
   * (count x n, row-major): each score a float64 dot product in index order.
   *
   * @throws IllegalArgumentException for a negative count of rows or states, β not above 0, or
   *     arrays shorter than the counts say
   */
  public static LogMeanExp over(float[] x, int rows, int n, float[] states, int count, float beta) {
    if (rows < 0 || count < 0 || n < 1 || !(beta > 0)) {
      throw new IllegalArgumentException(
          "need rows, count >= 0, N >= 1 and beta > 0, got rows="
              + rows
              + " count="
              + count
              + " N="
              + n
              + " beta="
              + beta);
    }
    if (x.length < (long) rows * n || states.length < (long) count * n) {
      throw new IllegalArgumentException(
          "arrays of "
              + x.length
              + " and "
              + states.length
              + " values for "
              + rows
              + " rows and "
              + count
              + " states of N = "
              + n);
    }
    double[] max = new double[count];
    double[] sum = new double[count];
    double[] scores = new double[rows];
    for (int c = 0; c < count; c++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int mu = 0; mu < rows; mu++) {
        // one chain in index order, as documented: a real-valued float64 sum depends on the order
        // (ModernStep.exactExp's ±1 scores are exact integers, so it sums them in four chains)
        double dot = 0;
        for (int i = 0, o = mu * n, s = c * n; i < n; i++, o++, s++) {
          dot += (double) x[o] * states[s];
        }
        scores[mu] = dot;
        m = Math.max(m, dot);
      }
      double e = 0;
      for (int mu = 0; mu < rows; mu++) {
        e += Math.expm1(beta * (scores[mu] - m));
      }
      max[c] = m;
      sum[c] = e;
    }
    return new LogMeanExp(beta, count, rows, max, sum);
  }

  /**
   * Merges {@code later} (the parts over later patterns) into {@code earlier}; either may be null.
   * Returns the merged parts (one of the arguments, modified).
   *
   * @throws IllegalArgumentException for parts of other β or numbers of states
   */
  public static LogMeanExp merge(LogMeanExp earlier, LogMeanExp later) {
    if (earlier == null || later == null) {
      return earlier == null ? later : earlier;
    }
    if (earlier.beta != later.beta || earlier.count != later.count) {
      throw new IllegalArgumentException(
          "parts of beta "
              + earlier.beta
              + " and "
              + later.beta
              + " for "
              + earlier.count
              + " and "
              + later.count
              + " states do not merge");
    }
    if (later.rows == 0) {
      return earlier;
    }
    if (earlier.rows == 0) {
      return later;
    }
    for (int c = 0; c < earlier.count; c++) {
      double m = Math.max(earlier.max[c], later.max[c]);
      earlier.sum[c] =
          earlier.rescaled(earlier.sum[c], earlier.rows, earlier.max[c], m)
              + earlier.rescaled(later.sum[c], later.rows, later.max[c], m);
      earlier.max[c] = m;
    }
    earlier.rows += later.rows;
    return earlier;
  }

  /**
   * {@code Σ expm1(β (s - to))} from {@code sum = Σ expm1(β (s - from))} over {@code rows} scores:
   * {@code sum e^d + rows expm1(d)}, {@code d = β (from - to) <= 0}.
   */
  private double rescaled(double sum, long rows, double from, double to) {
    if (from == to) {
      return sum;
    }
    double d = beta * (from - to);
    return sum * Math.exp(d) + rows * Math.expm1(d);
  }

  /** The number of states. */
  public int count() {
    return count;
  }

  /** The number of patterns the parts cover. */
  public long rows() {
    return rows;
  }

  /**
   * State {@code c}'s {@code β⁻¹ ln (mean_μ e^(β s_μ))} over the patterns the parts cover (NaN over
   * none).
   */
  public double value(int c) {
    if (rows == 0) {
      return Double.NaN;
    }
    return max[c] + Math.log1p(sum[c] / rows) / beta;
  }
}
