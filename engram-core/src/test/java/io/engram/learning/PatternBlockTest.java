package io.engram.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The statistics every factory gathers while copying, and the errors it raises on the way. */
class PatternBlockTest {

  private static float[][] rows(int p, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = (float) (r.nextGaussian() * 3);
      }
    }
    return x;
  }

  /** The shape, not the values (it was {@code PatternBlock@1b6d3586}). */
  @Test
  void toStringShowsTheShapeNotTheValues() {
    PatternBlock b = PatternBlock.ofRows(new float[3 * 100], 3, 100);
    assertEquals("PatternBlock[3 x 100]", b.toString());
    assertEquals("PatternBlock[2 x 5]", PatternBlock.of(rows(2, 5, 1)).toString());
    assertEquals("PatternBlock[0 x 0]", PatternBlock.empty().toString());
    String big = PatternBlock.ofRows(new float[1000 * 1000], 1000, 1000).toString();
    assertEquals("PatternBlock[1000 x 1000]", big);
  }

  @Test
  void statisticsMatchAPlainPassForEveryFactory() {
    // lengths around the 4-wide unrolling, values of both signs
    for (int n : new int[] {1, 3, 4, 5, 9, 130}) {
      float[][] x = rows(7, n, n);
      double sum = 0;
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      float[] flat = new float[7 * n];
      double[][] asDouble = new double[7][n];
      for (int k = 0; k < 7; k++) {
        for (int i = 0; i < n; i++) {
          sum += x[k][i];
          min = Math.min(min, x[k][i]);
          max = Math.max(max, x[k][i]);
          flat[k * n + i] = x[k][i];
          asDouble[k][i] = x[k][i];
        }
      }
      for (PatternBlock b :
          List.of(
              PatternBlock.of(x),
              PatternBlock.ofRows(flat, 7, n),
              PatternBlock.of(asDouble),
              PatternBlock.ofRows(java.nio.FloatBuffer.wrap(flat), 7, n))) {
        assertEquals(sum, b.stats().sum(), 1e-9 * Math.max(1, Math.abs(sum)), "sum, n=" + n);
        assertEquals(min, b.stats().min(), 0f, "min, n=" + n);
        assertEquals(max, b.stats().max(), 0f, "max, n=" + n);
      }
    }
  }

  @Test
  void integerSumsAreExactAndTheMeanIsTheFloatOfTheDoubleMean() {
    float[][] x = new float[3][5];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < 5; i++) {
        x[k][i] = (k + i) % 3 == 0 ? 1f : -1f;
      }
    }
    PatternBlock b = PatternBlock.of(x);
    assertEquals(-5.0, b.stats().sum(), 0.0);
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    assertEquals((float) (-5.0 / 15), rule.rho(b.stats()), 0f);
  }

  @Test
  void theFirstBadPatternInRowOrderIsNamed() {
    float[][] x = rows(4, 6, 1);
    x[1][4] = Float.NaN;
    x[3] = new float[5]; // ragged, but after the non-finite row
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PatternBlock.of(x));
    assertTrue(
        e.getMessage().contains("pattern 1") && e.getMessage().contains("index 4"), e.getMessage());

    float[][] y = rows(3, 6, 2);
    y[2][0] = Float.NEGATIVE_INFINITY;
    e = assertThrows(IllegalArgumentException.class, () -> PatternBlock.of(y));
    assertTrue(
        e.getMessage().contains("pattern 2") && e.getMessage().contains("-Infinity"),
        e.getMessage());

    double[][] big = {{1, 2}, {1e300, 0}};
    e = assertThrows(IllegalArgumentException.class, () -> PatternBlock.of(big));
    assertTrue(
        e.getMessage().contains("pattern 1") && e.getMessage().contains("1.0E300"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> PatternBlock.of(new float[] {1f}, null));
    assertTrue(e.getMessage().contains("pattern 1 is null"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> PatternBlock.of(new double[][] {{1}, null}));
    assertTrue(e.getMessage().contains("pattern 1 is null"), e.getMessage());

    float[] flat = {1, 2, 3, Float.POSITIVE_INFINITY};
    e = assertThrows(IllegalArgumentException.class, () -> PatternBlock.ofRows(flat, 2, 2));
    assertTrue(
        e.getMessage().contains("pattern 1") && e.getMessage().contains("index 1"), e.getMessage());
    // the same from a buffer, whose position is neither used nor changed
    java.nio.FloatBuffer buf = java.nio.FloatBuffer.wrap(flat);
    buf.position(3);
    e = assertThrows(IllegalArgumentException.class, () -> PatternBlock.ofRows(buf, 2, 2));
    assertTrue(
        e.getMessage().contains("pattern 1")
            && e.getMessage().contains("index 1")
            && e.getMessage().contains("Infinity"),
        e.getMessage());
    assertEquals(3, buf.position());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PatternBlock.ofRows(java.nio.FloatBuffer.wrap(flat), 3, 2));
    assertTrue(e.getMessage().contains("4 values, expected 3 x 2"), e.getMessage());
    java.nio.FloatBuffer fine = java.nio.FloatBuffer.wrap(new float[] {1, 2, 3, 4});
    java.nio.FloatBuffer view = PatternBlock.ofRows(fine, 2, 2).rows();
    assertEquals(4, view.limit());
    assertEquals(3f, view.get(2), 0f);
    assertThrows(java.nio.ReadOnlyBufferException.class, () -> view.put(0, 5f));
    assertEquals(
        java.util.Arrays.toString(PatternBlock.ofRows(new float[] {1, 2, 3, 4}, 2, 2).toArray()),
        java.util.Arrays.toString(PatternBlock.ofRows(fine, 2, 2).toArray()));
  }

  @Test
  void theOverflowGuardUsesTheExactLargestCentredValue() {
    // |x - rho| is largest at the minimum here; the guard must see it
    // rho = -big/4, so max |x - rho| = 0.75 big, and (0.75 big)² · 2 must pass MAX/4
    float big = (float) Math.sqrt(Float.MAX_VALUE / 4.5) * 1.01f;
    PatternBlock b = PatternBlock.of(new float[][] {{-big, 0f}, {0f, 0f}});
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> rule.prepare(b));
    assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    rule.prepare(PatternBlock.of(new float[][] {{-big / 2, 0f}, {0f, 0f}}));
  }
}
