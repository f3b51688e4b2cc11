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
}
