package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LogMeanExp}: the value over blocks of patterns merged is the value over all of them. */
class LogMeanExpTest {

  @Test
  void blocksMergedGiveTheValueOverAllPatterns() {
    Random r = new Random(7);
    int p = 23;
    int n = 40;
    int count = 3;
    float[] x = new float[p * n];
    float[] q = new float[count * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) r.nextGaussian();
    }
    for (float beta : new float[] {1e-30f, 1e-9f, 1e-3f, 0.5f, 30f}) {
      LogMeanExp whole = LogMeanExp.over(x, p, n, q, count, beta);
      // blocks of 5, 1, 0, 10 and 7 patterns, merged in order
      LogMeanExp merged = null;
      int at = 0;
      for (int rows : new int[] {5, 1, 0, 10, 7}) {
        float[] block = Arrays.copyOfRange(x, at * n, (at + rows) * n);
        merged = LogMeanExp.merge(merged, LogMeanExp.over(block, rows, n, q, count, beta));
        at += rows;
      }
      assertEquals(p, merged.rows());
      for (int c = 0; c < count; c++) {
        double want = reference(x, p, n, q, c, beta);
        assertEquals(want, whole.value(c), 1e-12 * Math.abs(want) + 1e-12, "beta " + beta);
        assertEquals(want, merged.value(c), 1e-12 * Math.abs(want) + 1e-12, "beta " + beta);
      }
    }
  }

  /**
   * {@code β⁻¹ ln mean e^(β s)}: at tiny β the mean score plus {@code β Var(s)/2} (the cumulant
   * expansion), else with log and exp directly (no cancellation there), both in float64.
   */
  private static double reference(float[] x, int p, int n, float[] q, int c, double beta) {
    double[] s = new double[p];
    double mean = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int mu = 0; mu < p; mu++) {
      for (int i = 0; i < n; i++) {
        s[mu] += (double) x[mu * n + i] * q[c * n + i];
      }
      mean += s[mu] / p;
      max = Math.max(max, s[mu]);
    }
    if (beta < 1e-6) {
      double var = 0;
      for (double v : s) {
        var += (v - mean) * (v - mean) / p;
      }
      return mean + beta * var / 2;
    }
    double sum = 0;
    for (double v : s) {
      sum += Math.exp(beta * (v - max));
    }
    return max + Math.log(sum / p) / beta;
  }

  @Test
  void nullsAndMismatchedParts() {
    float[] x = {1, -1, 1, 1};
    LogMeanExp a = LogMeanExp.over(x, 2, 2, new float[] {1, 1}, 1, 1f);
    assertSame(a, LogMeanExp.merge(null, a));
    assertSame(a, LogMeanExp.merge(a, null));
    assertNull(LogMeanExp.merge(null, null));
    LogMeanExp b = LogMeanExp.over(x, 2, 2, new float[] {1, 1}, 1, 2f);
    assertThrows(IllegalArgumentException.class, () -> LogMeanExp.merge(a, b));
    assertThrows(
        IllegalArgumentException.class, () -> LogMeanExp.over(x, 3, 2, new float[2], 1, 1f));
    assertThrows(
        IllegalArgumentException.class, () -> LogMeanExp.over(x, 2, 2, new float[2], 1, 0f));
    assertEquals(Double.NaN, LogMeanExp.over(x, 0, 2, new float[2], 1, 1f).value(0));
  }
}
