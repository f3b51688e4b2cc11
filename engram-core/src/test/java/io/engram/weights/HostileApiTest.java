package io.engram.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Bad arguments to the weights' public API: named by an IllegalArgumentException, no change. */
class HostileApiTest {

  /**
   * Sums added with a divisor of 0 or NaN, or sums that are NaN, made every weight infinite or NaN
   * (plusGram refused the same divisors); the weights are now left as they were.
   */
  @Test
  void addSumsRefusesADivisorOrSumsThatAreNoNumber() {
    float[] before = {0, 0.5f, 0.5f, 0};
    DenseWeights w = DenseWeights.of(2, before);
    float[] ones = {1, 1, 1, 1};
    for (float d : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> w.addSums(ones, d, false));
      assertEquals("divisor is " + d + ", expected a finite number > 0", e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> w.addSums(new float[] {1, Float.NaN, Float.NaN, 1}, 1f, false));
    assertEquals("sum S[0][1] = NaN, expected finite", e.getMessage());
    // finite sums that a subnormal divisor takes past float32
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> w.addSums(new float[] {0, 1e30f, 1e30f, 0}, Float.MIN_VALUE, true));
    assertEquals(
        "sum S[0][1] = 1.0E30 divided by 1.4E-45 is -Infinity, expected finite", e.getMessage());
    assertArrayEquals(before, w.toDenseArray());
    w.addSums(ones, 2f, true);
    assertArrayEquals(new float[] {-0.5f, 0, 0, -0.5f}, w.toDenseArray());
  }
}
