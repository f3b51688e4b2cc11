package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ModernStep#squaredNorm}: its one summation order, and non-finite values. */
class SquaredNormTest {

  private static final int[] LENGTHS = {
    0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 1000, 1021, 4097
  };

  /** The order of {@link ModernStep#squaredNorm}, written out as its definition says. */
  private static double byDefinition(float[] v, int off, int n) {
    double[] sums = new double[16];
    int blocks = n / 16;
    for (int b = 0; b < blocks; b++) {
      for (int j = 0; j < 16; j++) {
        double x = v[off + 16 * b + j];
        sums[j] = sums[j] + x * x;
      }
    }
    double[] t = new double[8];
    for (int j = 0; j < 8; j++) {
      t[j] = sums[j] + sums[j + 8];
    }
    double s = ((t[0] + t[4]) + (t[2] + t[6])) + ((t[1] + t[5]) + (t[3] + t[7]));
    for (int i = 16 * blocks; i < n; i++) {
      double x = v[off + i];
      s = s + x * x;
    }
    return s;
  }

  /** Bipolar values, -0, and real values whose squares round when summed. */
  private static float[] values(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = rnd.nextInt(8);
      float x =
          kind < 3
              ? (rnd.nextBoolean() ? 1f : -1f)
              : kind == 3
                  ? -0f
                  : (rnd.nextFloat() - 0.5f) * (float) Math.pow(2, rnd.nextInt(20) - 10);
      v[i] = x * 1e3f * (1 + rnd.nextFloat());
    }
    return v;
  }

  @Test
  void squaredNormsHaveTheBitsOfTheirDefinition() {
    Random rnd = new Random(31);
    for (int n : LENGTHS) {
      for (int off : new int[] {0, 3}) {
        float[] x = values(rnd, off + n + 2);
        double want = byDefinition(x, off, n);
        double got = ModernStep.squaredNorm(x, off, n);
        assertEquals(
            Double.doubleToRawLongBits(want),
            Double.doubleToRawLongBits(got),
            "n=" + n + " off=" + off + ": " + want + " vs " + got);
      }
    }
  }

  @Test
  void bipolarValuesGiveNAndNonFiniteValuesANonFiniteSum() {
    float[] pm = new float[16384 + 5];
    for (int i = 0; i < pm.length; i++) {
      pm[i] = (i % 3 == 0) ? -1f : 1f;
    }
    assertEquals((double) pm.length, ModernStep.squaredNorm(pm, 0, pm.length), 0.0);
    float[] bad = pm.clone();
    bad[4000] = Float.NaN;
    assertTrue(Double.isNaN(ModernStep.squaredNorm(bad, 0, bad.length)));
    bad[4000] = Float.NEGATIVE_INFINITY;
    assertEquals(Double.POSITIVE_INFINITY, ModernStep.squaredNorm(bad, 0, bad.length));
    bad[4000] = 3e38f; // finite, its square beyond float32 but not float64
    assertEquals(
        (double) 3e38f * 3e38f + pm.length - 1, ModernStep.squaredNorm(bad, 0, bad.length), 1e63);
    assertThrows(
        ArrayIndexOutOfBoundsException.class, () -> ModernStep.squaredNorm(pm, 10, pm.length));
  }
}
