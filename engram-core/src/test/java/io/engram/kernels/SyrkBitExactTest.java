package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#syrkAdd} against a straightforward reference written the way the kernels compute
 * each element (products in pattern order from 0: fused for the SIMD kernels, multiply then add for
 * the scalar ones; then one division by ±divisor; then one add to each side), compared bit for bit
 * over sizes around the k-block and tile edges.
 */
class SyrkBitExactTest {

  private static final int[] NS = {1, 7, 31, 32, 33, 65, 97, 200};

  private static int[] ps() {
    int kc = Syrk.SYRK_KC;
    return new int[] {0, 1, 5, kc - 1, kc, kc + 1, 2 * kc - 1, 2 * kc + 3, 3 * kc + 17};
  }

  static void reference(
      boolean fused, int n, int p, float[] t, float[] w, float divisor, boolean negate) {
    boolean scale = divisor != 1f || negate;
    float d = negate ? -divisor : divisor;
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        float acc = 0f;
        for (int q = 0; q < p; q++) {
          float a = t[q * n + i];
          float b = t[q * n + j];
          acc = fused ? Math.fma(a, b, acc) : acc + a * b;
        }
        float u = scale ? acc / d : acc;
        w[i * n + j] += u;
        if (i != j) {
          w[j * n + i] += u;
        }
      }
    }
  }

  private static void check(KernelProvider kp, boolean fused, long seed) {
    Random rnd = new Random(seed);
    for (int n : NS) {
      for (int p : ps()) {
        float[] t = new float[p * n];
        for (int i = 0; i < t.length; i++) {
          // a mix of bipolar values (the usual patterns) and awkward real ones, -0 included
          int kind = rnd.nextInt(8);
          t[i] =
              kind < 4
                  ? (rnd.nextBoolean() ? 1f : -1f)
                  : kind == 4 ? -0f : rnd.nextFloat() * 3f - 1.5f;
        }
        float[] w0 = new float[n * n];
        for (int i = 0; i < w0.length; i++) {
          w0[i] = rnd.nextFloat() - 0.5f;
        }
        float[][] cases = {{p + 0.5f, 1f}, {3f, 0f}, {1f, 0f}, {1f, 1f}};
        for (float[] c : cases) {
          boolean negate = c[1] != 0f;
          float[] ref = w0.clone();
          float[] got = w0.clone();
          reference(fused, n, p, t, ref, c[0], negate);
          Syrk.syrkAdd(kp, n, p, t, 0f, got, c[0], negate, false, null);
          assertBits(
              ref,
              got,
              n,
              kp.name() + " n=" + n + " p=" + p + " divisor=" + c[0] + " negate=" + negate);
        }
      }
    }
  }

  @Test
  void scalarKernelsAreBitExact() {
    check(ScalarKernels.INSTANCE, false, 11);
  }

  @Test
  void vectorKernelsAreBitExact() {
    KernelProvider v = Providers.vector();
    assumeTrue(v != null, "Vector API module not present");
    check(v, true, 12);
  }

  /**
   * The packed subtraction of {@code shift} and the write-only path for an all-zero W give the same
   * bits as centring first and adding to zeros; several 128-row blocks (n = 300), columns that
   * centre to exactly 0 (so a negated update is -0, which must land as +0 in W).
   */
  private static void checkShiftAndZeroStart(KernelProvider kp, boolean fused, long seed) {
    Random rnd = new Random(seed);
    int kc = Syrk.SYRK_KC;
    for (int n : new int[] {1, 33, 129, 300}) {
      for (int p : new int[] {1, 7, kc + 3}) {
        float shift = 0.25f;
        float[] x = new float[p * n];
        for (int i = 0; i < x.length; i++) {
          // every fifth column centres to 0 exactly
          x[i] = (i % n) % 5 == 0 ? shift : rnd.nextBoolean() ? 1f : -1f;
        }
        float[] t = new float[x.length];
        for (int i = 0; i < t.length; i++) {
          t[i] = x[i] - shift;
        }
        float[] w0 = new float[n * n];
        for (int i = 0; i < w0.length; i++) {
          w0[i] = rnd.nextFloat() - 0.5f;
        }
        for (boolean negate : new boolean[] {false, true}) {
          String where = kp.name() + " n=" + n + " p=" + p + " negate=" + negate;
          float[] ref = new float[n * n];
          reference(fused, n, p, t, ref, p, negate);
          float[] got = new float[n * n];
          Syrk.syrkAdd(kp, n, p, x, shift, got, p, negate, true, null);
          assertBits(ref, got, n, where + " (W zero)");
          float[] ref2 = w0.clone();
          reference(fused, n, p, t, ref2, p, negate);
          float[] got2 = w0.clone();
          Syrk.syrkAdd(kp, n, p, x, shift, got2, p, negate, false, null);
          assertBits(ref2, got2, n, where + " (W random)");
        }
      }
    }
  }

  /** Bit for bit; the messages say whether a value or only the sign of a zero differs. */
  static void assertBits(float[] ref, float[] got, int n, String where) {
    for (int i = 0; i < ref.length; i++) {
      if (Float.floatToRawIntBits(ref[i]) != Float.floatToRawIntBits(got[i])) {
        assertEquals(ref[i], got[i], 0f, where + " element (" + i / n + "," + i % n + ")");
        assertEquals(
            Float.floatToRawIntBits(ref[i]),
            Float.floatToRawIntBits(got[i]),
            where + " sign of zero, element (" + i / n + "," + i % n + ")");
      }
    }
  }

  @Test
  void scalarShiftAndZeroStart() {
    checkShiftAndZeroStart(ScalarKernels.INSTANCE, false, 21);
  }

  @Test
  void vectorShiftAndZeroStart() {
    KernelProvider v = Providers.vector();
    assumeTrue(v != null, "Vector API module not present");
    checkShiftAndZeroStart(v, true, 22);
  }

  @Test
  void nonFiniteShiftIsRejected() {
    float[] w = new float[4];
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                Kernels.syrkAdd(2, 1, new float[] {1f, -1f}, Float.NaN, w, 1f, false, true, null));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("shift"), e.getMessage());
  }

  @Test
  void bitExactOnTwoThreads() {
    int before = Kernels.parallelism();
    try {
      Kernels.setParallelism(2);
      // large enough to split (n * n * p / 2 >= 2^21 multiply-adds)
      int n = 161;
      int p = 2 * Syrk.SYRK_KC + 5;
      Random rnd = new Random(13);
      float[] t = new float[p * n];
      for (int i = 0; i < t.length; i++) {
        t[i] = rnd.nextFloat() * 2f - 1f;
      }
      KernelProvider kp = Providers.chosen();
      float[] ref = new float[n * n];
      float[] got = new float[n * n];
      reference(kp != ScalarKernels.INSTANCE, n, p, t, ref, p, true);
      Syrk.syrkAdd(kp, n, p, t, 0f, got, p, true, false, null);
      assertBits(ref, got, n, kp.name() + " on two threads");
    } finally {
      Kernels.setParallelism(before);
    }
  }
}
