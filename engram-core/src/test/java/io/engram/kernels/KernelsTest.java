package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SIMD kernels against the scalar ones over awkward sizes; the drivers against plain loops. */
class KernelsTest {

  private static final int[] SIZES = {1, 2, 7, 15, 16, 17, 31, 33, 63, 65, 255, 257, 1021, 4097};

  private static float[] random(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextFloat() * 2f - 1f;
    }
    return v;
  }

  /** Summation-order error bound for n products of values in [-1, 1]: grows with n. */
  private static float tol(int n) {
    return 4e-7f * n + 1e-6f;
  }

  private static KernelProvider vector() {
    KernelProvider v = Providers.vector();
    assumeTrue(v != null, "Vector API module not present");
    return v;
  }

  @Test
  void chosenImplementationFollowsTheProperty() {
    String mode = System.getProperty(Kernels.VECTORIZATION_PROPERTY, "auto");
    if (mode.equals("scalar")) {
      assertEquals("scalar", Kernels.implementation());
    } else if (mode.equals("panama")) {
      assertTrue(Kernels.isVectorized(), Kernels.implementation());
    }
  }

  @Test
  void theVectorWidthFollowsTheProperty() {
    Integer bits = Integer.getInteger(Kernels.VECTOR_BITS_PROPERTY);
    KernelProvider v = Providers.vector();
    if (bits != null && v != null) {
      assertEquals("panama-" + bits, v.name());
    }
  }

  @Test
  void dotMatchesScalar() {
    KernelProvider v = vector();
    Random rnd = new Random(1);
    for (int n : SIZES) {
      float[] a = random(rnd, n + 3);
      float[] b = random(rnd, n + 5);
      float s = ScalarKernels.INSTANCE.dot(a, 3, b, 5, n);
      float x = v.dot(a, 3, b, 5, n);
      assertEquals(s, x, tol(n), "n=" + n);
    }
  }

  @Test
  void gemmMatchesScalarAndPlainLoops() {
    KernelProvider v = vector();
    Random rnd = new Random(2);
    int[] ms = {1, 2, 7, 8, 9, 31, 33, 265};
    int[] ns = {1, 2, 7, 16, 17, 31, 32, 33, 65};
    int[] ks = {1, 2, 7, 31, 513, 1021, 2053};
    for (int m : ms) {
      for (int n : ns) {
        for (int k : ks) {
          checkGemm(v, rnd, m, n, k);
        }
      }
    }
  }

  @Test
  void gemmPacksLongProductsInChunks() {
    KernelProvider v = vector();
    Random rnd = new Random(5);
    checkGemm(v, rnd, 9, 65, 21_000); // B is packed 10240 rows at a time for 65 columns
    checkGemm(v, rnd, 10, 7, 70_000); // and 65536 rows at a time for 5..16 columns
  }

  /** C += A B for random A, B, C: scalar against plain double loops, vector against scalar. */
  private static void checkGemm(KernelProvider v, Random rnd, int m, int n, int k) {
    // A transposed in place for odd m, row-major otherwise
    boolean trans = (m & 1) == 1;
    float[] a = random(rnd, m * k + 1);
    float[] b = random(rnd, k * n + 2);
    float[] c0 = random(rnd, m * n);
    float[] cs = c0.clone();
    float[] cv = c0.clone();
    int aRs = trans ? 1 : k;
    int aCs = trans ? m : 1;
    Gemm.gemm(ScalarKernels.INSTANCE, m, n, k, a, 1, aRs, aCs, b, 2, n, cs, 0, n, true);
    Gemm.gemm(v, m, n, k, a, 1, aRs, aCs, b, 2, n, cv, 0, n, true);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double ref = c0[i * n + j];
        for (int q = 0; q < k; q++) {
          ref += (double) a[1 + i * aRs + q * aCs] * b[2 + q * n + j];
        }
        String where = "m=" + m + " n=" + n + " k=" + k + " (" + i + "," + j + ")";
        assertEquals(ref, cs[i * n + j], tol(k), "scalar " + where);
        assertEquals(cs[i * n + j], cv[i * n + j], tol(k), "vector " + where);
      }
    }
  }

  @Test
  void syrkMatchesScalarAndIsSymmetric() {
    KernelProvider v = vector();
    Random rnd = new Random(3);
    for (int n : new int[] {1, 2, 7, 31, 33, 65, 257}) {
      for (int p : new int[] {1, 3, 17}) {
        float[] t = random(rnd, p * n);
        // p = 3 starts from an asymmetric W: each side of the diagonal must get its own update
        float[] w0 = p == 3 ? random(rnd, n * n) : new float[n * n];
        float[] ws = w0.clone();
        float[] wv = w0.clone();
        Syrk.syrkAdd(ScalarKernels.INSTANCE, n, p, t, 0f, ws, p, true, false, null);
        Syrk.syrkAdd(v, n, p, t, 0f, wv, p, true, false, null);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            double ref = 0;
            for (int q = 0; q < p; q++) {
              ref += (double) t[q * n + i] * t[q * n + j];
            }
            ref = w0[i * n + j] - ref / p;
            String where = "n=" + n + " p=" + p + " (" + i + "," + j + ")";
            assertEquals(ref, ws[i * n + j], tol(p), "scalar " + where);
            assertEquals(ws[i * n + j], wv[i * n + j], tol(p), "vector " + where);
            if (p != 3) {
              assertEquals(wv[i * n + j], wv[j * n + i], 0f, "symmetry " + where);
            }
          }
        }
      }
    }
  }

  @Test
  void divideAndAddAreExactlyTheScalarOnes() {
    KernelProvider v = vector();
    Random rnd = new Random(6);
    for (int n : new int[] {1, 2, 7, 16, 17, 31, 33, 1021}) {
      float[] x = random(rnd, n + 3);
      float[] y = random(rnd, n + 5);
      float[] xs = x.clone();
      float[] xv = x.clone();
      ScalarKernels.INSTANCE.divide(xs, 3, n, -3f);
      v.divide(xv, 3, n, -3f);
      assertArrayEquals(xs, xv, "divide n=" + n);
      float[] ys = y.clone();
      float[] yv = y.clone();
      ScalarKernels.INSTANCE.add(x, 1, ys, 5, n);
      v.add(x, 1, yv, 5, n);
      assertArrayEquals(ys, yv, "add n=" + n);
    }
  }

  @Test
  void gemvMatchesScalar() {
    KernelProvider v = vector();
    Random rnd = new Random(4);
    for (int n : SIZES) {
      int m = Math.min(n, 65);
      float[] a = random(rnd, m * n);
      float[] x = random(rnd, n);
      float[] ys = new float[m];
      float[] yv = new float[m];
      Kernels.gemv(ScalarKernels.INSTANCE, m, n, a, x, ys);
      Kernels.gemv(v, m, n, a, x, yv);
      for (int i = 0; i < m; i++) {
        assertEquals(ys[i], yv[i], tol(n), "n=" + n + " row " + i);
      }
    }
  }

  @Test
  void resultsDoNotDependOnThreads() {
    Random rnd = new Random(5);
    int n = 300;
    int p = 40;
    float[] t = random(rnd, p * n);
    float[] w1 = new float[n * n];
    float[] w2 = new float[n * n];
    int before = Kernels.parallelism();
    try {
      Kernels.setParallelism(1);
      Kernels.syrkAdd(n, p, t, 0f, w1, p, false, false, null);
      Kernels.setParallelism(Math.max(2, before));
      Kernels.syrkAdd(n, p, t, 0f, w2, p, false, false, null);
    } finally {
      Kernels.setParallelism(before);
    }
    for (int i = 0; i < w1.length; i++) {
      assertEquals(w1[i], w2[i], 0f, "index " + i);
    }
  }

  @Test
  void rejectsBadArguments() {
    float[] a = new float[4];
    assertThrows(IllegalArgumentException.class, () -> Kernels.dot(a, 2, a, 0, 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.gemm(2, 2, 2, a, 0, 2, 1, a, 0, 2, a, 0, 2, false));
    assertThrows(IllegalArgumentException.class, () -> Kernels.setParallelism(0));
  }

  /**
   * A wide product (more than 1024 columns of B: work split over column panels) gives every element
   * the bits of its fused multiply-add chain, k-block by k-block (1024 values each, the blocks'
   * sums added in order), as the row-group order does; with accumulation too.
   */
  @Test
  void wideProductsKeepTheBitsOfTheFmaChain() {
    Random rnd = new Random(31);
    int m = 19;
    int n = 1100;
    int k = 1500;
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) rnd.nextGaussian();
    }
    float[] start = new float[m * n];
    for (int i = 0; i < start.length; i++) {
      start[i] = (float) rnd.nextGaussian();
    }
    boolean fused = Kernels.isVectorized();
    for (boolean accumulate : new boolean[] {false, true}) {
      float[] c = accumulate ? start.clone() : new float[m * n];
      Kernels.gemm(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n, accumulate);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          float acc = accumulate ? start[i * n + j] : 0f;
          for (int k0 = 0; k0 < k; k0 += 1024) {
            float s = 0f;
            for (int q = k0; q < Math.min(k, k0 + 1024); q++) {
              // the SIMD tiles fuse; the plain-Java tile multiplies, then adds
              s = fused ? Math.fma(a[i * k + q], b[q * n + j], s) : s + a[i * k + q] * b[q * n + j];
            }
            acc = k0 == 0 && !accumulate ? s : acc + s;
          }
          assertEquals(
              Float.floatToIntBits(acc),
              Float.floatToIntBits(c[i * n + j]),
              "C(" + i + "," + j + "), accumulate " + accumulate);
        }
      }
    }
  }
}
