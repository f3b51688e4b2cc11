package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Storkey kernel against a plain float64 loop written from the rule's definition ({@code h_ij =
 * Σ_{k≠i,j} w_ik x_k}), and the SIMD kernel against the scalar one (bit for bit on W).
 */
class StorkeyKernelTest {

  private static final int[] SIZES = {1, 2, 7, 15, 16, 17, 31, 33, 65, 129, 257};

  /** A symmetric matrix with random entries in [-a, a] and the given diagonal behaviour. */
  private static float[] symmetric(Random rnd, int n, float a, boolean zeroDiagonal) {
    float[] w = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        float v = (rnd.nextFloat() * 2f - 1f) * a;
        w[i * n + j] = v;
        w[j * n + i] = v;
      }
      if (zeroDiagonal) {
        w[i * n + i] = 0f;
      }
    }
    return w;
  }

  private static float[] pattern(Random rnd, int n, boolean bipolar) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = bipolar ? (rnd.nextBoolean() ? 1f : -1f) : rnd.nextFloat() * 2f - 1f;
    }
    return x;
  }

  private static float[] times(float[] w, float[] x, int n) {
    float[] h = new float[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += (double) w[i * n + j] * x[j];
      }
      h[i] = (float) s;
    }
    return h;
  }

  /** The rule as published, O(N³), in float64 from the float32 inputs. */
  private static double[] reference(float[] w, float[] x, int n, boolean zeroDiagonal) {
    double[] out = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double hij = 0;
        double hji = 0;
        for (int k = 0; k < n; k++) {
          if (k != i && k != j) {
            hij += (double) w[i * n + k] * x[k];
            hji += (double) w[j * n + k] * x[k];
          }
        }
        double d = ((double) x[i] * x[j] - x[i] * hji - hij * x[j]) / n;
        out[i * n + j] = w[i * n + j] + d;
      }
      if (zeroDiagonal) {
        out[i * n + i] = 0;
      }
    }
    return out;
  }

  @Test
  void matchesTheDefinition() {
    Random rnd = new Random(11);
    for (int n : new int[] {1, 2, 3, 7, 17, 40}) {
      for (boolean zero : new boolean[] {true, false}) {
        for (boolean bipolar : new boolean[] {true, false}) {
          float[] w = symmetric(rnd, n, 0.3f, zero);
          float[] x = pattern(rnd, n, bipolar);
          double[] want = reference(w, x, n, zero);
          float[] h = times(w, x, n);
          Storkey.update(ScalarKernels.INSTANCE, n, w, x, h, zero, null, null);
          for (int k = 0; k < n * n; k++) {
            assertEquals(want[k], w[k], 2e-6, "n=" + n + " zero=" + zero + " entry " + k);
          }
        }
      }
    }
  }

  @Test
  void keepsTheMatrixExactlySymmetricAndComputesTheNextField() {
    Random rnd = new Random(12);
    int n = 67;
    float[] w = symmetric(rnd, n, 0.2f, false);
    float[] x = pattern(rnd, n, false);
    float[] next = pattern(rnd, n, true);
    float[] hNext = new float[n];
    Storkey.update(ScalarKernels.INSTANCE, n, w, x, times(w, x, n), false, next, hNext);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(
            Float.floatToRawIntBits(w[i * n + j]),
            Float.floatToRawIntBits(w[j * n + i]),
            i + "," + j);
      }
    }
    float[] want = times(w, next, n);
    for (int i = 0; i < n; i++) {
      assertEquals(want[i], hNext[i], 1e-5f, "hNext " + i);
    }
  }

  @Test
  void simdIsBitForBitTheScalarKernelOnW() {
    KernelProvider v = Providers.vector();
    assumeTrue(v != null, "Vector API module not present");
    Random rnd = new Random(13);
    for (int n : SIZES) {
      for (boolean zero : new boolean[] {true, false}) {
        float[] w = symmetric(rnd, n, 0.5f, zero);
        float[] x = pattern(rnd, n, n % 2 == 0);
        float[] next = pattern(rnd, n, true);
        float[] h = times(w, x, n);
        float[] ws = w.clone();
        float[] hs = new float[n];
        float[] hv = new float[n];
        Storkey.update(ScalarKernels.INSTANCE, n, ws, x, h, zero, next, hs);
        Storkey.update(v, n, w, x, h, zero, next, hv);
        assertArrayEquals(ws, w, "n=" + n);
        for (int i = 0; i < n; i++) {
          assertEquals(hs[i], hv[i], 4e-7f * n + 1e-5f, "n=" + n + " hNext " + i);
        }
        // the next field is exactly what gemv gives on the updated matrix
        float[] g = new float[n];
        Kernels.gemv(v, n, n, w, next, g);
        assertArrayEquals(g, hv, "n=" + n);
      }
    }
  }

  @Test
  void aSequenceIsThePatternByPatternUpdate() {
    Random rnd = new Random(15);
    int n = 45;
    int p = 5;
    float[] x = new float[p * n];
    for (int k = 0; k < p; k++) {
      System.arraycopy(pattern(rnd, n, k % 2 == 0), 0, x, k * n, n);
    }
    float[] w = symmetric(rnd, n, 0.1f, false);
    float[] one = w.clone();
    for (int k = 0; k < p; k++) {
      float[] xk = java.util.Arrays.copyOfRange(x, k * n, (k + 1) * n);
      float[] h = new float[n];
      Kernels.gemv(n, n, one, xk, h);
      Kernels.storkeyUpdate(n, one, xk, h, false, null, null);
    }
    long[] seen = new long[2];
    Kernels.storkey(
        n,
        w,
        x,
        p,
        false,
        (done, total) -> {
          seen[0] = done;
          seen[1] = total;
        });
    assertArrayEquals(one, w);
    assertArrayEquals(new long[] {(long) p * n * n, (long) p * n * n}, seen);
  }

  @Test
  void resultDoesNotDependOnThreads() {
    Random rnd = new Random(14);
    int n = 1201; // n² above the parallel threshold
    float[] w = symmetric(rnd, n, 0.1f, true);
    float[] x = pattern(rnd, n, true);
    float[] h = times(w, x, n);
    float[] w2 = w.clone();
    int before = Kernels.parallelism();
    try {
      Kernels.setParallelism(1);
      Kernels.storkeyUpdate(n, w, x, h, true, null, null);
      Kernels.setParallelism(2);
      Kernels.storkeyUpdate(n, w2, x, h, true, null, null);
    } finally {
      Kernels.setParallelism(before);
    }
    assertArrayEquals(w, w2);
  }

  @Test
  void rejectsBadArgumentsAndLeavesWUnchanged() {
    int n = 5;
    float[] w = new float[n * n];
    w[1] = 0.5f;
    float[] before = w.clone();
    float[] x = new float[n];
    float[] h = new float[n];
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.storkeyUpdate(n, w, new float[n - 1], h, true, null, null));
    assertThrows(
        IllegalArgumentException.class, () -> Kernels.storkeyUpdate(n, w, x, x, true, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.storkeyUpdate(n, w, x, h, true, new float[n], null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.storkeyUpdate(n, w, x, h, true, new float[n], h));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.storkeyUpdate(n, new float[n], x, h, true, null, null));
    assertArrayEquals(before, w);
  }
}
