package io.engram.weights;

import static io.engram.fixtures.RandomVectors.bipolar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Dense weights read W column by column for a product of one column when W equals its transpose bit
 * for bit; they rely on every update keeping a symmetric W symmetric, and on looking at weights
 * handed over before trusting them. A query alone then gets the bits of the same query in a batch,
 * and an asymmetric W still gets {@code W s}, not {@code Wᵀ s}.
 */
class DenseSymmetryTest {

  private static float[] values(Random rnd, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (rnd.nextFloat() - 0.5f) * (float) Math.pow(2, rnd.nextInt(10) - 5);
    }
    return v;
  }

  private static void assertSymmetric(DenseWeights d, String after) {
    assertTrue(
        DenseWeights.isSymmetric(d.toDenseArray(), d.size()), "not symmetric after " + after);
  }

  /** One column alone has the bits of the same column among five (tiles over W row by row). */
  private static void assertAloneAsInABatch(DenseWeights d, Random rnd, String what) {
    int n = d.size();
    int l = 5;
    float[] batch = values(rnd, n * l);
    float[] all = new float[n * l];
    d.multiplyColumns(batch, l, all);
    for (int x : new int[] {0, 3}) {
      float[] s = new float[n];
      for (int i = 0; i < n; i++) {
        s[i] = batch[i * l + x];
      }
      float[] out = new float[n];
      d.multiplyColumns(s, 1, out);
      for (int i = 0; i < n; i++) {
        assertEquals(
            Float.floatToRawIntBits(all[i * l + x]),
            Float.floatToRawIntBits(out[i]),
            what + ": row " + i + " of column " + x);
      }
    }
  }

  @Test
  void everyUpdateKeepsASymmetricWSymmetric() {
    Random rnd = new Random(5);
    for (int n : new int[] {1, 7, 65, 300}) {
      DenseWeights d = DenseWeights.zeros(n);
      assertSymmetric(d, "zeros");
      int p = 9;
      float[] x = bipolar(rnd, p * n);
      d.plusGram(x, p, 0.125f, p, false, null);
      assertSymmetric(d, "Hebbian (plusGram)");
      d.plusGram(values(rnd, 3 * n), 3, -0.3f, 3, true, null);
      assertSymmetric(d, "anti-Hebbian (plusGram)");
      d.zeroDiagonal();
      assertSymmetric(d, "zeroDiagonal");
      float[] sums = new float[n * n];
      float[] t = values(rnd, 2 * n);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          sums[i * n + j] = t[i] * t[n + j] + t[j] * t[n + i];
        }
      }
      d.addSums(sums, 7f, false);
      assertSymmetric(d, "addSums");
      d.plusStorkey(bipolar(rnd, 2 * n), 2, true, null);
      assertSymmetric(d, "plusStorkey");
      d.plusStorkey(bipolar(rnd, n), 1, false, null);
      assertSymmetric(d, "plusStorkey, diagonal kept");
      assertSymmetric(d.resized(n + 3, true), "resized up");
      assertSymmetric(d.resized(Math.max(1, n - 2), true), "resized down");
      assertSymmetric(d.copy(), "copy");
      DenseWeights pi = DenseWeights.zeros(n);
      float[] v = values(rnd, 2 * n);
      pi.plusProjectionRows(v, 2, 0, true, null);
      assertSymmetric(pi, "plusProjectionRows");
      pi.plusProjectionRows(values(rnd, n), 1, 0, false, null);
      assertSymmetric(pi, "plusProjectionRows, diagonal kept");
      assertAloneAsInABatch(d, rnd, "trained n=" + n);
      assertAloneAsInABatch(pi, rnd, "projection n=" + n);
    }
  }

  @Test
  void weightsHandedOverAreLookedAtBeforeTheyAreReadByColumns() {
    Random rnd = new Random(6);
    int n = 200;
    // asymmetric: W s, not Wᵀ s, whatever the width
    float[] a = values(rnd, n * n);
    DenseWeights asym = DenseWeights.of(n, a);
    assertFalse(DenseWeights.isSymmetric(a, n));
    assertAloneAsInABatch(asym, rnd, "asymmetric");
    float[] s = values(rnd, n);
    float[] out = new float[n];
    asym.multiplyColumns(s, 1, out);
    for (int i = 0; i < n; i++) {
      double ws = 0;
      double wts = 0;
      for (int j = 0; j < n; j++) {
        ws += (double) a[i * n + j] * s[j];
        wts += (double) a[j * n + i] * s[j];
      }
      assertEquals(ws, out[i], 1e-4 * (1 + Math.abs(ws)), "row " + i);
      assertTrue(i > 3 || Math.abs(ws - wts) > 1e-3, "the test's W must tell W from its transpose");
    }
    // differing only in the sign of one zero pair: not trusted as symmetric
    float[] z = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        float v = (rnd.nextFloat() - 0.5f);
        z[i * n + j] = v;
        z[j * n + i] = v;
      }
    }
    assertTrue(DenseWeights.isSymmetric(z, n));
    z[3 * n + 150] = 0f;
    z[150 * n + 3] = -0f;
    assertFalse(DenseWeights.isSymmetric(z, n));
    // symmetric, handed over: read by columns after the look, the same bits
    float[] sym = z.clone();
    sym[150 * n + 3] = 0f;
    assertAloneAsInABatch(DenseWeights.wrap(n, sym), rnd, "symmetric, handed over");
    // weights found asymmetric, then updated, are looked at again: still W s
    DenseWeights fixed = DenseWeights.of(n, z);
    assertAloneAsInABatch(fixed, rnd, "before the update");
    float[] diag = new float[n];
    fixed.setDiagonal(diag);
    assertAloneAsInABatch(fixed, rnd, "after the update");
  }

  /**
   * Weights found asymmetric read a transposed copy of W for products of one column from the
   * {@value DenseWeights#COPY_AT}th on (the bits of the rows' chains), and an update drops it: the
   * products after it are those of the new W, never of the copy.
   */
  @Test
  void asymmetricWeightsReadTheirTransposedCopyWithTheRowsBitsAndNeverAStaleOne() {
    Random rnd = new Random(7);
    int n = 300;
    DenseWeights d = DenseWeights.of(n, values(rnd, n * n));
    assertFalse(d.hasTransposedCopy());
    for (int k = 0; k < 3; k++) {
      assertAloneAsInABatch(d, rnd, "asymmetric, round " + k);
    }
    assertEquals(
        io.engram.kernels.Kernels.oneColumnByLanes(),
        d.hasTransposedCopy(),
        "a copy where one column runs in the lanes");
    float[] diag = values(rnd, n);
    d.setDiagonal(diag);
    assertFalse(d.hasTransposedCopy(), "an update drops the copy");
    float[] s = values(rnd, n);
    DenseWeights fresh = DenseWeights.of(n, d.toDenseArray());
    float[] expected = new float[n];
    float[] two = new float[2 * n];
    for (int i = 0; i < n; i++) {
      two[2 * i] = s[i];
      two[2 * i + 1] = s[i];
    }
    float[] both = new float[2 * n];
    fresh.multiplyColumns(two, 2, both);
    for (int i = 0; i < n; i++) {
      expected[i] = both[2 * i];
    }
    for (int k = 0; k < 3; k++) {
      float[] out = new float[n];
      d.multiplyColumns(s, 1, out);
      for (int i = 0; i < n; i++) {
        assertEquals(
            Float.floatToRawIntBits(expected[i]),
            Float.floatToRawIntBits(out[i]),
            "product " + k + " after the update, row " + i);
      }
    }
  }
}
