package io.engram.weights;

import static io.engram.fixtures.RandomVectors.bipolar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Low-rank and dense weights agree on every operation. */
class LowRankWeightsTest {

  private static float[] patterns(Random rnd, int p, int n) {
    float[] t = new float[p * n];
    for (int i = 0; i < t.length; i++) {
      t[i] = rnd.nextBoolean() ? 1f : -1f;
      t[i] -= 0.03f; // centred by a rho
    }
    return t;
  }

  /** The same calls on both: successive, mixed Hebbian / anti-Hebbian, with and without zeroing. */
  private static Weights[] trained(Random rnd, int n) {
    DenseWeights d = DenseWeights.zeros(n);
    LowRankWeights l = LowRankWeights.zeros(n);
    int[] ps = {3, 1, 5, 2};
    boolean[] anti = {false, true, false, true};
    boolean[] zero = {false, true, false, false};
    for (int c = 0; c < ps.length; c++) {
      float[] t = patterns(rnd, ps[c], n);
      float div = c == 2 ? 1f : ps[c];
      d.plusGram(t, ps[c], 0f, div, anti[c], null);
      l.plusGram(t, ps[c], 0f, div, anti[c], null);
      if (zero[c]) {
        d.zeroDiagonal();
        l.zeroDiagonal();
      }
    }
    return new Weights[] {d, l};
  }

  private static void assertSame(float[] e, float[] g, double tol, String what) {
    assertEquals(e.length, g.length, what + " length");
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], g[i], tol, what + " [" + i + "]");
    }
  }

  @Test
  void denseConversionApplyAndEnergyAgree() {
    Random rnd = new Random(7);
    for (int n : new int[] {1, 2, 7, 33, 130}) {
      Weights[] w = trained(rnd, n);
      DenseWeights d = (DenseWeights) w[0];
      LowRankWeights l = (LowRankWeights) w[1];
      assertEquals(11, l.rank());
      assertSame(d.toDenseArray(), l.toDenseArray(), 1e-5, "W n=" + n);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          assertEquals(d.get(i, j), l.get(i, j), 1e-5, "get " + i + "," + j);
        }
      }
      float[] s = bipolar(rnd, n);
      float[] fd = new float[n];
      float[] fl = new float[n];
      d.multiply(s, fd);
      l.multiply(s, fl);
      assertSame(fd, fl, 1e-4 * (1 + n), "Ws n=" + n);
      for (int i = 0; i < n; i++) {
        assertEquals(fd[i], l.rowDot(i, s), 1e-4 * (1 + n), "row " + i);
      }
      int cols = 3;
      float[] st = new float[n * cols];
      for (int i = 0; i < st.length; i++) {
        st[i] = rnd.nextBoolean() ? 1f : -1f;
      }
      float[] od = new float[st.length];
      float[] ol = new float[st.length];
      d.multiplyColumns(st, cols, od);
      l.multiplyColumns(st, cols, ol);
      assertSame(od, ol, 1e-4 * (1 + n), "WS n=" + n);
    }
  }

  @Test
  void fieldTrackerFollowsChanges() {
    Random rnd = new Random(8);
    int n = 50;
    Weights[] w = trained(rnd, n);
    float[] s = bipolar(rnd, n);
    Weights.FieldTracker tr = w[1].fieldTracker(s);
    for (int r = 0; r < 200; r++) {
      int i = rnd.nextInt(n);
      float before = s[i];
      s[i] = rnd.nextInt(3) - 1;
      tr.changed(i, before, s[i]);
      int j = rnd.nextInt(n);
      assertEquals(w[0].rowDot(j, s), tr.field(j), 1e-4, "field " + j + " after " + r);
    }
  }

  @Test
  void resizeGrowsAndShrinksLikeDense() {
    Random rnd = new Random(9);
    Weights[] w = trained(rnd, 20);
    for (int m : new int[] {5, 20, 31}) {
      for (boolean keep : new boolean[] {true, false}) {
        Weights d = w[0].resized(m, keep);
        Weights l = w[1].resized(m, keep);
        assertEquals("low-rank", l.representation().id());
        assertSame(d.toDenseArray(), l.toDenseArray(), 1e-5, "resize " + m + " " + keep);
      }
    }
  }

  /** Every factor accessor refuses a call that is not stored, naming it, and none says false. */
  @Test
  void factorAccessorsRefuseACallThatIsNotStored() {
    LowRankWeights none = LowRankWeights.zeros(4);
    LowRankWeights one = none.plusGram(new float[] {1, -1, 1, -1}, 1, 0f, 1f, false, null);
    one.zeroDiagonal();
    assertEquals(true, one.zeroesDiagonalAfter(0));
    for (LowRankWeights w : new LowRankWeights[] {none, one}) {
      int calls = w.blockCount();
      for (int k : new int[] {-1, calls, calls + 6}) {
        java.util.List<org.junit.jupiter.api.function.Executable> accessors =
            java.util.List.of(
                () -> w.factorRows(k),
                () -> w.factorDivisor(k),
                () -> w.factorNegated(k),
                () -> w.zeroesDiagonalAfter(k),
                () -> w.copyFactorRows(k, 0, 0, new float[0]));
        for (org.junit.jupiter.api.function.Executable a : accessors) {
          IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, a);
          // (weights without factors: no range "0..-1" to name)
          assertEquals(
              calls == 0
                  ? "factor " + k + ": the weights hold no factor (no training call stored)"
                  : "factor "
                      + k
                      + " is not in 0.."
                      + (calls - 1)
                      + " ("
                      + calls
                      + (calls == 1 ? " training call stored)" : " training calls stored)"),
              e.getMessage());
        }
      }
    }
  }

  @Test
  void conversionsAndModes() {
    Random rnd = new Random(10);
    Weights[] w = trained(rnd, 9);
    LowRankWeights l = (LowRankWeights) w[1];
    float[] exact = l.toDenseArray();
    assertSame(exact, l.asDense().toDenseArray(), 0, "to dense");
    assertThrows(IllegalArgumentException.class, () -> LowRankWeights.from(w[0]));
    DenseWeights diag = DenseWeights.zeros(3);
    LowRankWeights fromDiag = LowRankWeights.from(diag);
    assertEquals(0, fromDiag.rank());
    assertEquals(WeightsMode.LOW_RANK, WeightsMode.parse("low-rank"));
    assertEquals(WeightsMode.LOW_RANK, WeightsMode.parse("LOW_RANK"));
    assertEquals(WeightsMode.AUTO, WeightsMode.parse(" auto "));
    assertEquals("low-rank", WeightsMode.LOW_RANK.id());
    assertThrows(IllegalArgumentException.class, () -> WeightsMode.parse("sparse"));
    assertEquals(true, WeightsMode.lowRankIsCheaper(4096, 400, 1));
    assertEquals(false, WeightsMode.lowRankIsCheaper(100, 60, 1));
    assertEquals(true, WeightsMode.lowRankIsCheaper(1_000_000, 900_000, 1));
  }

  /** Null arguments are named (they were NullPointerExceptions from w.size() and the loop). */
  @Test
  void nullWeightsFactorsAndFactorAreNamed() {
    assertEquals(
        "weights",
        assertThrows(NullPointerException.class, () -> LowRankWeights.from(null)).getMessage());
    assertEquals(
        "factors",
        assertThrows(NullPointerException.class, () -> LowRankWeights.of(2, null, new float[2]))
            .getMessage());
    IllegalArgumentException e;
    LowRankWeights.Factor ok = new LowRankWeights.Factor(new float[] {1, -1}, 1, 1f, false, true);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LowRankWeights.of(2, java.util.Arrays.asList(ok, null), new float[2]));
    assertEquals("factor 1 is null", e.getMessage());
    assertEquals(1, LowRankWeights.of(2, java.util.List.of(ok), new float[2]).rank());
  }

  @Test
  void theCostModelRefusesNegativeCounts() {
    // a negative rank or count of calls said low-rank was cheaper
    for (long[] c : new long[][] {{100, -60, 1}, {100, 10, -1}, {-1, 0, 0}}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> WeightsMode.lowRankIsCheaper((int) c[0], c[1], c[2]));
      assertEquals(
          "N, rank and blocks must be >= 0, got N = "
              + c[0]
              + ", rank "
              + c[1]
              + ", blocks "
              + c[2],
          e.getMessage());
    }
    // counts past any N are dense, without 4R + 3B wrapping around to a negative number
    assertEquals(false, WeightsMode.lowRankIsCheaper(100, Long.MAX_VALUE / 2, 1));
    assertEquals(false, WeightsMode.lowRankIsCheaper(100, 1, Long.MAX_VALUE / 2));
    assertEquals(false, WeightsMode.lowRankIsCheaper(0, 0, 0));
    assertEquals(true, WeightsMode.lowRankIsCheaper(100, 49, 1));
    assertEquals(false, WeightsMode.lowRankIsCheaper(100, 50, 1));
  }

  private static float[] bipolarRows(Random rnd, int p, int n) {
    float[] t = new float[p * n];
    for (int i = 0; i < t.length; i++) {
      t[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    return t;
  }

  /**
   * The dense form of low-rank weights with a diagonal of +0s starts from all-zero weights, so that
   * the first call's update is deferred where it is small enough (rows computed as an export asks
   * for them): every row has the bits of dense training, read whole or a few rows at a time.
   */
  @Test
  void denseFormOfLowRankWeightsIsDenseTrainingsBits() {
    Random rnd = new Random(4);
    for (int n : new int[] {5, 64, 200}) {
      for (boolean anti : new boolean[] {false, true}) {
        LowRankWeights l = LowRankWeights.zeros(n);
        DenseWeights d = DenseWeights.zeros(n);
        int[] ps = {3, 2};
        for (int c = 0; c < ps.length; c++) {
          float[] x = bipolarRows(rnd, ps[c], n);
          l.plusGram(x, ps[c], 0.01f, ps[c], anti && c == 0, null);
          d.plusGram(x, ps[c], 0.01f, ps[c], anti && c == 0, null);
          l.zeroDiagonal();
          d.zeroDiagonal();
          float[] expected = d.toDenseArray();
          DenseWeights formed = l.asDense();
          assertEquals(c == 0 && DenseWeights.defers(n, ps[c]), formed.isDeferred(), "n=" + n);
          float[] rows = new float[3 * n];
          for (int i = 0; i < n; i += 3) {
            int count = Math.min(3, n - i);
            formed.copyRows(i, count, rows);
            for (int k = 0; k < count * n; k++) {
              assertEquals(
                  Float.floatToRawIntBits(expected[i * n + k]),
                  Float.floatToRawIntBits(rows[k]),
                  "n=" + n + " call " + c + " anti " + anti + " entry " + (i * n + k));
            }
          }
          float[] whole = l.toDenseArray();
          for (int k = 0; k < whole.length; k++) {
            assertEquals(
                Float.floatToRawIntBits(expected[k]), Float.floatToRawIntBits(whole[k]), "at " + k);
          }
        }
      }
    }
  }
}
