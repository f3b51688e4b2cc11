package io.engram.weights;

import static io.engram.fixtures.RandomVectors.bipolar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Factored and dense pseudo-inverse weights agree on every operation of {@link Weights}. */
class ProjectionWeightsTest {

  private static float[] rows(Random rnd, int k, int n) {
    float[] v = new float[k * n];
    for (int q = 0; q < k; q++) {
      // of unit length, as the rule makes them (ProjectionWeights.of refuses other rows)
      double[] g = new double[n];
      double sq = 0;
      for (int i = 0; i < n; i++) {
        g[i] = rnd.nextGaussian();
        sq += g[i] * g[i];
      }
      for (int i = 0; i < n; i++) {
        v[q * n + i] = (float) (g[i] / Math.sqrt(sq));
      }
    }
    return v;
  }

  /** VᵀV (minus its diagonal when zeroed), in float64. */
  private static double[] reference(float[] v, int k, int n, boolean zeroed) {
    double[] w = new double[n * n];
    for (int q = 0; q < k; q++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          w[i * n + j] += (double) v[q * n + i] * v[q * n + j];
        }
      }
    }
    if (zeroed) {
      for (int i = 0; i < n; i++) {
        w[i * n + i] = 0;
      }
    }
    return w;
  }

  @Test
  void everyOperationAgreesWithTheDenseMatrix() {
    Random rnd = new Random(3);
    for (int n : new int[] {1, 2, 7, 33, 130}) {
      for (boolean zeroed : new boolean[] {true, false}) {
        int k = Math.max(1, n / 3);
        int k2 = k < n ? 1 : 0; // a second call, while the rank stays at most N
        float[] v1 = rows(rnd, k, n);
        float[] v2 = rows(rnd, k2, n);
        ProjectionWeights pw = ProjectionWeights.empty(n, 0).plusRows(v1, k).plusRows(v2, k2);
        pw.setDiagonalZeroed(zeroed);
        float[] all = new float[(k + k2) * n];
        System.arraycopy(v1, 0, all, 0, v1.length);
        System.arraycopy(v2, 0, all, v1.length, v2.length);
        double[] want = reference(all, k + k2, n, zeroed);
        String m = "n=" + n + " zeroed=" + zeroed;
        assertEquals(k + k2, pw.rank(), m);
        float[] dense = pw.toDenseArray();
        double bound = pw.maxAbsBound();
        for (int i = 0; i < n * n; i++) {
          assertEquals(want[i], dense[i], 1e-5, m + " dense " + i);
          assertEquals(want[i], pw.get(i / n, i % n), 1e-5, m + " get " + i);
          assertTrue(Math.abs(dense[i]) <= bound, m + " bound");
        }
        float[] s = bipolar(rnd, n);
        float[] out = new float[n];
        pw.multiply(s, out);
        Weights.FieldTracker t = pw.fieldTracker(s.clone());
        for (int i = 0; i < n; i++) {
          double f = 0;
          for (int j = 0; j < n; j++) {
            f += want[i * n + j] * s[j];
          }
          assertEquals(f, out[i], 1e-4, m + " multiply " + i);
          assertEquals(f, pw.rowDot(i, s), 1e-4, m + " rowDot " + i);
          assertEquals(f, t.field(i), 1e-4, m + " tracker " + i);
        }
        int l = 3;
        float[] cols = new float[n * l];
        for (int i = 0; i < cols.length; i++) {
          cols[i] = rnd.nextBoolean() ? 1f : -1f;
        }
        float[] got = new float[n * l];
        pw.multiplyColumns(cols, l, got);
        float[] want2 = new float[n * l];
        DenseWeights.of(n, dense).multiplyColumns(cols, l, want2);
        for (int i = 0; i < got.length; i++) {
          assertEquals(want2[i], got[i], 1e-4, m + " columns " + i);
        }
        DenseWeights d = pw.asDense();
        assertTrue(d.isProjection());
        assertEquals(k + k2, d.projectionRank());
        assertArrayEquals(dense, d.toDenseArray());
      }
    }
  }

  @Test
  void theTrackerFollowsChangedNeurons() {
    Random rnd = new Random(4);
    int n = 40;
    ProjectionWeights pw = ProjectionWeights.empty(n, 0).plusRows(rows(rnd, 6, n), 6);
    float[] s = bipolar(rnd, n);
    Weights.FieldTracker t = pw.fieldTracker(s);
    for (int step = 0; step < 20; step++) {
      int i = rnd.nextInt(n);
      float before = s[i];
      s[i] = -s[i];
      t.changed(i, before, s[i]);
      int j = rnd.nextInt(n);
      assertEquals(pw.rowDot(j, s), t.field(j), 1e-5);
    }
  }

  @Test
  void otherUpdatesAndResizesConvertExactly() {
    Random rnd = new Random(5);
    int n = 20;
    float[] v = rows(rnd, 4, n);
    ProjectionWeights pw = ProjectionWeights.of(n, v, 4, 0, true);
    float[] x = bipolar(rnd, n);
    Weights hebb = pw.plusGram(x, 1, 0f, 1f, false, null);
    assertInstanceOf(LowRankWeights.class, hebb);
    DenseWeights d = DenseWeights.of(n, pw.toDenseArray());
    d.plusGram(x, 1, 0f, 1f, false, null);
    float[] a = hebb.toDenseArray();
    float[] b = d.toDenseArray();
    for (int i = 0; i < a.length; i++) {
      assertEquals(b[i], a[i], 1e-6, "hebb " + i);
    }
    assertEquals(4, pw.rank(), "plusGram leaves the projection as it was");

    Weights shrunk = pw.resized(12, true);
    assertInstanceOf(LowRankWeights.class, shrunk);
    Weights grown = pw.resized(25, true);
    ProjectionWeights g = assertInstanceOf(ProjectionWeights.class, grown);
    assertEquals(4, g.rank());
    float[] full = pw.toDenseArray();
    for (int i = 0; i < 25; i++) {
      for (int j = 0; j < 25; j++) {
        float want = i < n && j < n && i != j ? full[i * n + j] : 0f;
        assertEquals(want, g.get(i, j), 1e-6, i + "," + j);
        if (i < 12 && j < 12) {
          assertEquals(i == j ? 0f : full[i * n + j], shrunk.get(i, j), 1e-6, i + "," + j);
        }
      }
    }
    assertEquals(0, ((ProjectionWeights) pw.resized(30, false)).rank());
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> ProjectionWeights.empty(0, 0));
    assertThrows(IllegalArgumentException.class, () -> ProjectionWeights.empty(3, -1));
    assertThrows(IllegalArgumentException.class, () -> ProjectionWeights.empty(3, Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> ProjectionWeights.of(3, new float[4], 1, 0, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> ProjectionWeights.of(2, new float[] {Float.NaN, 0}, 1, 0, true));
    ProjectionWeights pw = ProjectionWeights.empty(2, 0);
    assertThrows(IllegalArgumentException.class, () -> pw.plusRows(new float[6], 3));
    assertThrows(IllegalArgumentException.class, () -> pw.residual(new float[3], 1));
    assertEquals(0, pw.rank());
    DenseWeights hebb = DenseWeights.of(2, new float[] {0, 1, 1, 0});
    for (WeightsMode mode : WeightsMode.values()) {
      assertThrows(IllegalArgumentException.class, () -> ProjectionTarget.of(hebb, mode, 1, 0));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> hebb.plusProjectionRows(new float[2], 1, 0, true, null));
    assertThrows(
        IllegalArgumentException.class, () -> hebb.withProjection(-1, 0, new float[] {0, 0}));
    assertThrows(
        IllegalArgumentException.class, () -> hebb.withProjection(0, 3, new float[] {0, 0}));
    assertArrayEquals(new float[] {0, 1, 1, 0}, hebb.toDenseArray());
    assertTrue(!hebb.isProjection());
    DenseWeights marked = DenseWeights.zeros(2).withProjection(0, 0, new float[2]);
    ProjectionTarget t = ProjectionTarget.of(marked, WeightsMode.DENSE, 1, 0);
    assertThrows(
        IllegalArgumentException.class, () -> ProjectionTarget.of(marked, WeightsMode.DENSE, 1, 2));
    assertEquals(0, t.rank());
    assertTrue(t.isDense());
  }
}
