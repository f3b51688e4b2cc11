package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A product's column of C has the same bits however many columns come with it: the narrow products
 * (a few columns, chains along the rows of A) give the register tiles' bits. So a query alone gets
 * the fields it gets in any batch, which the recall's end of a cycle of two states relies on.
 */
class NarrowProductTest {

  private static float[] values(Random rnd, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (rnd.nextFloat() - 0.5f) * (float) Math.pow(2, rnd.nextInt(12) - 6);
    }
    return v;
  }

  @Test
  void aColumnHasTheSameBitsInAnyWidth() {
    Random rnd = new Random(21);
    int wide = 13;
    for (int k : new int[] {64, 100, 1024, 1025, 2500}) {
      for (int m : new int[] {1, 7, 8, 9, 37}) {
        float[] a = values(rnd, m * k);
        float[] b = values(rnd, k * wide);
        float[] c0 = values(rnd, m * wide);
        for (boolean accumulate : new boolean[] {false, true}) {
          float[] all = c0.clone();
          Kernels.gemm(m, wide, k, a, 0, k, 1, b, 0, wide, all, 0, wide, accumulate);
          for (int n = 1; n <= 5; n++) {
            for (int first : new int[] {0, wide - n}) {
              // columns first .. first + n of B as a matrix of their own, C's the same
              float[] bn = new float[k * n];
              float[] cn = new float[m * n];
              for (int q = 0; q < k; q++) {
                System.arraycopy(b, q * wide + first, bn, q * n, n);
              }
              for (int i = 0; i < m; i++) {
                System.arraycopy(c0, i * wide + first, cn, i * n, n);
              }
              Kernels.gemm(m, n, k, a, 0, k, 1, bn, 0, n, cn, 0, n, accumulate);
              for (int i = 0; i < m; i++) {
                for (int x = 0; x < n; x++) {
                  assertEquals(
                      Float.floatToRawIntBits(all[i * wide + first + x]),
                      Float.floatToRawIntBits(cn[i * n + x]),
                      "k="
                          + k
                          + " m="
                          + m
                          + " n="
                          + n
                          + " accumulate="
                          + accumulate
                          + ": C("
                          + i
                          + ", "
                          + (first + x)
                          + ")");
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * One column against an A stored column by column (transposed in place: a symmetric W, the
   * low-rank {@code Tᵀ}), whose chains run in the SIMD lanes: the bits of the same column in a wide
   * product, and of the same A stored row by row, over rows past a work item (512) and k past a
   * block (1024); B's column contiguous or one of many.
   */
  @Test
  void aColumnAgainstATransposedAHasTheTilesBits() {
    Random rnd = new Random(22);
    int wide = 9;
    for (int k : new int[] {1, 3, 64, 1024, 1025, 2100}) {
      for (int m : new int[] {1, 15, 17, 513, 1100}) {
        int lda = m + 3;
        float[] at = values(rnd, k * lda); // A(i, q) = at[i + q * lda]
        float[] ar = new float[m * k]; // the same A row by row
        for (int i = 0; i < m; i++) {
          for (int q = 0; q < k; q++) {
            ar[i * k + q] = at[i + q * lda];
          }
        }
        float[] b = values(rnd, k * wide);
        float[] c0 = values(rnd, m * wide);
        for (boolean accumulate : new boolean[] {false, true}) {
          float[] all = c0.clone();
          Kernels.gemm(m, wide, k, at, 0, 1, lda, b, 0, wide, all, 0, wide, accumulate);
          float[] rows = c0.clone();
          Kernels.gemm(m, wide, k, ar, 0, k, 1, b, 0, wide, rows, 0, wide, accumulate);
          int x = 4;
          float[] one = new float[m * wide];
          float[] contiguous = new float[m];
          float[] bc = new float[k];
          for (int i = 0; i < m; i++) {
            one[i * wide + x] = c0[i * wide + x];
            contiguous[i] = c0[i * wide + x];
          }
          for (int q = 0; q < k; q++) {
            bc[q] = b[q * wide + x];
          }
          // column x of B where it lies (ldb = wide), into column x of a wide C
          Kernels.gemm(m, 1, k, at, 0, 1, lda, b, x, wide, one, x, wide, accumulate);
          Kernels.gemm(m, 1, k, at, 0, 1, lda, bc, 0, 1, contiguous, 0, 1, accumulate);
          for (int i = 0; i < m; i++) {
            String where = "k=" + k + " m=" + m + " accumulate=" + accumulate + ": C(" + i + ")";
            int expected = Float.floatToRawIntBits(all[i * wide + x]);
            assertEquals(expected, Float.floatToRawIntBits(rows[i * wide + x]), where + " rows");
            assertEquals(expected, Float.floatToRawIntBits(one[i * wide + x]), where);
            assertEquals(expected, Float.floatToRawIntBits(contiguous[i]), where + " contiguous");
          }
        }
      }
    }
  }
}
