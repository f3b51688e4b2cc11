package io.engram.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.PatternStats;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Wrapping a matrix checks every value and keeps the largest magnitude. */
class DenseWeightsTest {

  @Test
  void theBoundIsTheLargestMagnitudeOfAnyValue() {
    Random rnd = new Random(31);
    for (int trial = 0; trial < 20; trial++) {
      int n = 1 + rnd.nextInt(40);
      float[] w = new float[n * n];
      float expected = 0f;
      for (int i = 0; i < w.length; i++) {
        int kind = rnd.nextInt(6);
        w[i] =
            kind == 0
                ? -0f
                : kind == 1
                    ? Float.MIN_VALUE * rnd.nextInt(100) * (rnd.nextBoolean() ? 1 : -1)
                    : kind == 2
                        ? (rnd.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE)
                        : (rnd.nextFloat() - 0.5f) * (float) Math.pow(2, rnd.nextInt(60) - 30);
        if (kind == 2 && rnd.nextInt(4) != 0) {
          w[i] = 0.5f; // a few largest values only
        }
        expected = Math.max(expected, Math.abs(w[i]));
      }
      assertEquals(
          expected, (float) DenseWeights.wrap(n, w.clone()).maxAbsBound(), "trial " + trial);
    }
    assertEquals(0f, (float) DenseWeights.wrap(2, new float[] {-0f, 0f, -0f, 0f}).maxAbsBound());
  }

  /**
   * The largest {@code |x - shift|} a rule knows from its statistics gives the same weights and the
   * same bound as the scan of the patterns it spares, for shifts and values of either sign.
   */
  @Test
  void aGramUpdateToldTheLargestCentredValueKeepsTheBoundItsScanGives() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 30; trial++) {
      int n = 1 + rnd.nextInt(24);
      int p = 1 + rnd.nextInt(9);
      float[] x = new float[p * n];
      PatternStats stats = new PatternStats();
      for (int k = 0; k < p; k++) {
        float[] row = new float[n];
        for (int i = 0; i < n; i++) {
          row[i] =
              trial % 3 == 0
                  ? (rnd.nextBoolean() ? 1f : -1f)
                  : (rnd.nextFloat() - 0.3f) * (float) Math.pow(2, rnd.nextInt(20) - 10);
        }
        System.arraycopy(row, 0, x, k * n, n);
        stats.add(row);
      }
      float shift = trial % 2 == 0 ? 0f : stats.mean();
      float divisor = trial % 4 < 2 ? p : 1f;
      boolean negate = trial % 5 == 0;
      DenseWeights scanned = DenseWeights.zeros(n).plusGram(x, p, shift, divisor, negate, null);
      DenseWeights told =
          DenseWeights.zeros(n)
              .plusGram(x, p, shift, divisor, negate, stats.maxAbsDeviation(shift), null);
      assertArrayEquals(scanned.toDenseArray(), told.toDenseArray(), "trial " + trial);
      assertEquals(scanned.maxAbsBound(), told.maxAbsBound(), "trial " + trial);
      float[] w = scanned.toDenseArray();
      float largest = 0f;
      for (float v : w) {
        largest = Math.max(largest, Math.abs(v));
      }
      assertTrue(told.maxAbsBound() >= largest, "trial " + trial);
    }
    float[] x = {1f, -1f};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DenseWeights.zeros(2).plusGram(x, 1, 0f, 1f, false, -1f, null));
    assertEquals("the largest |x - shift| is -1.0, expected >= 0 or NaN (unknown)", e.getMessage());
  }

  @Test
  void aNonFiniteValueIsNamedAtItsFirstPlace() {
    float[] w = new float[9];
    w[7] = Float.NaN;
    w[5] = Float.NEGATIVE_INFINITY;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DenseWeights.wrap(3, w));
    assertEquals("weight W[1][2] is -Infinity, expected finite", e.getMessage());
    float[] v = new float[4];
    v[3] = Float.intBitsToFloat(0xffc00001); // a NaN with the sign bit set
    e = assertThrows(IllegalArgumentException.class, () -> DenseWeights.wrap(2, v));
    assertEquals("weight W[1][1] is NaN, expected finite", e.getMessage());
  }
}
