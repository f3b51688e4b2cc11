package io.engram.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
