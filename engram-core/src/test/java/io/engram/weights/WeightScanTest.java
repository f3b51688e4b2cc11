package io.engram.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.kernels.Kernels;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** WeightScan's figures are those of a plain scan of the dense matrix, bit for bit. */
class WeightScanTest {

  /** {min, max} of every entry of W formed densely, as inspect scanned it before. */
  private static float[] scannedRange(Weights w) {
    float[] a = w.toDenseArray();
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : a) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return new float[] {min, max};
  }

  /** The symmetry error entry by entry, as HopfieldAnalyzer computed it before. */
  private static double scannedSymmetryError(Weights w) {
    int n = w.size();
    double asym = 0;
    double norm = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double a = w.get(i, j);
        norm += a * a;
        if (j > i) {
          double d = a - w.get(j, i);
          asym += 2 * d * d;
        }
      }
    }
    return Math.sqrt(asym) / Math.sqrt(norm);
  }

  private static void assertSameRange(Weights w, String what) {
    float[] e = scannedRange(w);
    float[] g = WeightScan.range(w);
    assertEquals(Float.floatToRawIntBits(e[0]), Float.floatToRawIntBits(g[0]), what + " min");
    assertEquals(Float.floatToRawIntBits(e[1]), Float.floatToRawIntBits(g[1]), what + " max");
  }

  /**
   * The range is counted from bits where the kernels chain fused multiply-adds (the SIMD kernels
   * and their twin), whose W it reproduces; the plain-Java kernels' W (each product rounded before
   * it is added) is formed instead.
   */
  private static void assertCounted(LowRankWeights l, String what) {
    if (Kernels.oneColumnByLanes()) {
      assertNotNull(l.entryRange(), what);
    } else {
      assertNull(l.entryRange(), what);
    }
  }

  /** P rows of N values, each one of the two given (with probability 1/2). */
  private static float[] twoValued(Random rnd, int p, int n, float a, float b) {
    float[] t = new float[p * n];
    for (int i = 0; i < t.length; i++) {
      t[i] = rnd.nextBoolean() ? a : b;
    }
    return t;
  }

  @Test
  void lowRankRangeWithoutFormingWIsTheDenseScans() {
    Random rnd = new Random(11);
    for (int n : new int[] {1, 2, 7, 33, 130, 300}) {
      // successive calls of ±1 patterns centred by a rho, mixed Hebbian / anti-Hebbian, normalised
      // or not, the diagonal zeroed after some
      LowRankWeights l = LowRankWeights.zeros(n);
      int[] ps = {3, 400, 1, 70};
      for (int c = 0; c < ps.length; c++) {
        float rho = 0.001f * rnd.nextInt(50);
        l.plusGram(
            twoValued(rnd, ps[c], n, 1f, -1f), ps[c], rho, c == 2 ? 1f : ps[c], c == 1, null);
        if (c != 2) {
          l.zeroDiagonal();
        }
        assertCounted(l, "n=" + n + " after call " + c);
        assertSameRange(l, "n=" + n + " after call " + c);
      }
      // padded with zeros (a third value for the new columns' rows: formed instead)
      LowRankWeights grown = l.resized(n + 3, true);
      assertSameRange(grown, "grown n=" + n);
      assertSameRange(l.resized(Math.max(1, n - 1), true), "shrunk n=" + n);
      assertSameRange(LowRankWeights.zeros(n), "zeros n=" + n);
    }
  }

  @Test
  void manyPatternsUnnormalisedWhereTheFloatSumsRound() {
    // P = 3000 sums of (1 - rho)(±1 - rho) with an inexact rho: the float32 chains round, and the
    // extremes must be those chains' values, not the exact sums
    Random rnd = new Random(5);
    LowRankWeights l = LowRankWeights.zeros(48);
    l.plusGram(twoValued(rnd, 3000, 48, 1f, -1f), 3000, 0.0123f, 1f, false, null);
    assertCounted(l, "P = 3000");
    assertSameRange(l, "P = 3000");
    // equal columns with a rho so small that their entries (Σ t², t = ±1 - rho) differ by less
    // than the chains' rounding: the largest is the floats', which only the window finds
    for (int seed = 0; seed < 4; seed++) {
      Random r = new Random(seed);
      LowRankWeights near = LowRankWeights.zeros(64);
      float[] x = twoValued(r, 3000, 64, 1f, -1f);
      for (int q = 0; q < 3000; q++) {
        for (int i = 0; i < 64; i += 2) {
          x[q * 64 + i + 1] = x[q * 64 + i]; // pairs of equal columns: the largest dot products
        }
      }
      near.plusGram(x, 3000, 3e-7f, 1f, false, null);
      near.zeroDiagonal(); // (the diagonal, replayed exactly, holds the same sums)
      assertSameRange(near, "rho 3e-7, seed " + seed);
    }
    // {0, 1} patterns centred by their mean, not normalised, kept diagonal
    LowRankWeights b = LowRankWeights.zeros(90);
    b.plusGram(twoValued(rnd, 37, 90, 1f, 0f), 37, 0.37f, 1f, false, null);
    assertCounted(b, "{0,1}");
    assertSameRange(b, "{0,1}");
  }

  @Test
  void tiesAndThreeValuedPatternsStillGiveTheScansRange() {
    Random rnd = new Random(3);
    // every pattern the same: every off-diagonal entry ties with the extremes
    float[] x = twoValued(rnd, 1, 200, 1f, -1f);
    float[] same = new float[5 * 200];
    for (int k = 0; k < 5; k++) {
      System.arraycopy(x, 0, same, k * 200, 200);
    }
    LowRankWeights tied = LowRankWeights.zeros(200);
    tied.plusGram(same, 5, 0.01f, 5f, false, null);
    assertSameRange(tied, "tied");
    // three values in one call: no bits; formed
    float[] t = twoValued(rnd, 6, 50, 1f, -1f);
    t[17] = 0.5f;
    LowRankWeights three = LowRankWeights.zeros(50);
    three.plusGram(t, 6, 0f, 6f, false, null);
    assertNull(three.entryRange());
    assertSameRange(three, "three values");
  }

  @Test
  void denseRangeAndSymmetryErrorAreTheScans() {
    Random rnd = new Random(9);
    for (int n : new int[] {1, 3, 65, 200}) {
      DenseWeights d = DenseWeights.zeros(n);
      d.plusGram(twoValued(rnd, 9, n, 1f, -1f), 9, 0.02f, 9f, false, null);
      d.zeroDiagonal();
      assertSameRange(d, "trained n=" + n);
      double sym = WeightScan.symmetryError(d);
      assertEquals(
          Double.doubleToLongBits(scannedSymmetryError(d)), Double.doubleToLongBits(sym), "n=" + n);
      assertTrue(n == 1 || sym == 0.0, "trained weights are symmetric: " + sym);
      float[] a = new float[n * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) rnd.nextGaussian();
      }
      DenseWeights asym = DenseWeights.of(n, a);
      assertSameRange(asym, "random n=" + n);
      assertEquals(
          Double.doubleToLongBits(scannedSymmetryError(asym)),
          Double.doubleToLongBits(WeightScan.symmetryError(asym)),
          "random n=" + n);
      assertTrue(Double.isNaN(WeightScan.symmetryError(DenseWeights.zeros(n))), "zeros n=" + n);
    }
    // symmetric but for the sign of a zero: the sums, which count -0 as 0
    DenseWeights z = DenseWeights.of(2, new float[] {1f, 0f, -0f, 1f});
    assertEquals(0.0, WeightScan.symmetryError(z));
    assertEquals(
        "weights",
        assertThrows(NullPointerException.class, () -> WeightScan.range(null)).getMessage());
    // beyond a dense matrix's size, as toDenseArray (no pair loop of 10^9 pairs)
    LowRankWeights huge = LowRankWeights.zeros(DenseWeights.MAX_SIZE + 1);
    assertThrows(IllegalArgumentException.class, huge::toDenseArray);
    assertThrows(IllegalArgumentException.class, () -> WeightScan.range(huge));
    assertEquals(
        "weights",
        assertThrows(NullPointerException.class, () -> WeightScan.symmetryError(null))
            .getMessage());
  }
}
