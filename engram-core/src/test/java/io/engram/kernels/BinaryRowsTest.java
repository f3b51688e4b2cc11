package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link BinaryRows}: ±1 scores counted from packed bits give the bits of the scores multiplied
 * out, so a retrieval with X's bits gives every output of one without, bit for bit, over awkward
 * lengths, block ends, groups of every size and batches that mix ±1 queries with others.
 */
class BinaryRowsTest {

  private static float[] bipolar(Random rnd, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    return v;
  }

  /** Queries near stored patterns (so that softmax weights are sharp) or far from all. */
  private static float[] queries(Random rnd, float[] x, int p, int n, int b) {
    float[] q = bipolar(rnd, b * n);
    for (int j = 0; j < b; j += 2) {
      int mu = rnd.nextInt(p);
      for (int i = 0; i < n; i++) {
        q[j * n + i] = rnd.nextInt(5) == 0 ? -x[mu * n + i] : x[mu * n + i];
      }
    }
    return q;
  }

  @Test
  void softmaxRetrievalWithTheBitsHasTheBitsOfOneWithout() {
    Random rnd = new Random(17);
    int[][] shapes = {
      {8, 64, 2},
      {9, 1, 3},
      {40, 63, 17},
      {300, 65, 40},
      {257, 200, 33},
      {700, 256, 300},
      {260, 256, 8},
      {64, 1025, 9},
      {30, 4097, 5},
      {1100, 256, 600}
    };
    for (int[] s : shapes) {
      int p = s[0];
      int n = s[1];
      int b = s[2];
      float[] x = bipolar(rnd, p * n);
      BinaryRows xb = BinaryRows.of(x, p, n);
      assertNotNull(xb);
      float[] q = queries(rnd, x, p, n, b);
      for (float beta : new float[] {1f / (float) Math.sqrt(n), 4f / n, 3f}) {
        int k = Math.min(3, p);
        float[] o1 = new float[b * n];
        float[] o2 = new float[b * n];
        double[] l1 = new double[b];
        double[] l2 = new double[b];
        int[] i1 = new int[b * k];
        int[] i2 = new int[b * k];
        float[] t1 = new float[b * k];
        float[] t2 = new float[b * k];
        Kernels.softmaxRetrieval(b, p, n, q, x, null, null, beta, o1, l1, k, i1, t1);
        long counted = BinaryRows.COUNTED.get();
        Kernels.softmaxRetrieval(b, p, n, q, x, null, xb, beta, o2, l2, k, i2, t2);
        assertTrue(BinaryRows.COUNTED.get() > counted, "the bits were counted");
        String what = "p=" + p + " n=" + n + " b=" + b + " beta=" + beta;
        assertArrayEquals(o1, o2, what);
        assertArrayEquals(l1, l2, what);
        assertArrayEquals(i1, i2, what);
        assertArrayEquals(t1, t2, what);
      }
    }
  }

  @Test
  void aBatchMixingQueriesThatAreNotBipolarGivesTheSameBits() {
    Random rnd = new Random(5);
    int p = 600;
    int n = 256;
    int b = 700; // groups of about 234: the first has a query of other values, the rest none
    float[] x = bipolar(rnd, p * n);
    float[] q = queries(rnd, x, p, n, b);
    q[3 * n + 100] = 0.5f;
    q[5 * n + 7] = -0f;
    BinaryRows xb = BinaryRows.of(x, p, n);
    float[] o1 = new float[b * n];
    float[] o2 = new float[b * n];
    double[] l1 = new double[b];
    double[] l2 = new double[b];
    Kernels.softmaxRetrieval(
        b, p, n, q, x, null, null, 0.0625f, o1, l1, 1, new int[b], new float[b]);
    Kernels.softmaxRetrieval(b, p, n, q, x, null, xb, 0.0625f, o2, l2, 1, new int[b], new float[b]);
    assertArrayEquals(o1, o2);
    assertArrayEquals(l1, l2);
  }

  @Test
  void separationRetrievalWithTheBitsHasTheBitsOfOneWithout() {
    Random rnd = new Random(23);
    for (int[] s : new int[][] {{50, 100, 20}, {400, 256, 64}, {9, 130, 3}}) {
      int p = s[0];
      int n = s[1];
      int b = s[2];
      float[] x = bipolar(rnd, p * n);
      float[] q = queries(rnd, x, p, n, b);
      BinaryRows xb = BinaryRows.of(x, p, n);
      for (boolean rectified : new boolean[] {false, true}) {
        double[][] r1 = {new double[b * n], new double[b], new double[b]};
        double[][] r2 = {new double[b * n], new double[b], new double[b]};
        int[] i1 = new int[b * 2];
        int[] i2 = new int[b * 2];
        float[] t1 = new float[b * 2];
        float[] t2 = new float[b * 2];
        Kernels.separationRetrieval(
            b, p, n, q, x, null, 3, rectified, r1[0], r1[1], r1[2], 2, i1, t1);
        long counted = BinaryRows.COUNTED.get();
        Kernels.separationRetrieval(
            b, p, n, q, x, xb, 3, rectified, r2[0], r2[1], r2[2], 2, i2, t2);
        assertTrue(BinaryRows.COUNTED.get() > counted, "the bits were counted");
        for (int j = 0; j < 3; j++) {
          assertArrayEquals(r1[j], r2[j]);
        }
        assertArrayEquals(i1, i2);
        assertArrayEquals(t1, t2);
      }
    }
  }

  @Test
  void onlyExactlyPlusOrMinusOnePacks() {
    for (float v :
        new float[] {0f, -0f, 0.5f, Math.nextUp(1f), Math.nextDown(-1f), Float.NaN, 2f}) {
      float[] x = {1f, -1f, 1f, v};
      assertNull(BinaryRows.of(x, 2, 2), "value " + v);
    }
    BinaryRows xb = BinaryRows.of(new float[] {1f, -1f, -1f, 1f}, 2, 2);
    assertNotNull(xb);
    assertEquals(2, xb.rows());
    // the bits of one X are refused for another
    float[] other = {1f, -1f, -1f, 1f};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Kernels.softmaxRetrieval(
                    1,
                    2,
                    2,
                    new float[] {1f, 1f},
                    other,
                    null,
                    xb,
                    1f,
                    null,
                    new double[1],
                    0,
                    new int[0],
                    new float[0]));
    assertEquals("the packed bits are not those of this X", e.getMessage());
  }
}
