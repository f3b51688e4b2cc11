package io.engram.memory;

import static io.engram.fixtures.RandomVectors.bipolar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Softmax retrieval: the formula, its limits in β, its energy, storing, removing, extremes. */
class ModernHopfieldMemoryTest {

  static float[][] random(Random rnd, int rows, int n, float scale) {
    float[][] x = new float[rows][n];
    for (float[] r : x) {
      for (int i = 0; i < n; i++) {
        r[i] = (float) (rnd.nextGaussian() * scale);
      }
    }
    return x;
  }

  static float[] flip(Random rnd, float[] v, int flips) {
    float[] c = v.clone();
    for (int f = 0; f < flips; f++) {
      int i = rnd.nextInt(c.length);
      c[i] = -c[i];
    }
    return c;
  }

  /** The attention formula in float64, the whole softmax formed: {@code Xᵀ softmax(β X ξ)}. */
  static double[] attention(float[][] x, float[] xi, double beta, double[] weights) {
    int p = x.length;
    int n = xi.length;
    double[] s = new double[p];
    double max = Double.NEGATIVE_INFINITY;
    for (int mu = 0; mu < p; mu++) {
      for (int i = 0; i < n; i++) {
        s[mu] += (double) x[mu][i] * xi[i];
      }
      s[mu] *= beta;
      max = Math.max(max, s[mu]);
    }
    double sum = 0;
    for (int mu = 0; mu < p; mu++) {
      weights[mu] = Math.exp(s[mu] - max);
      sum += weights[mu];
    }
    double[] out = new double[n];
    for (int mu = 0; mu < p; mu++) {
      weights[mu] /= sum;
      for (int i = 0; i < n; i++) {
        out[i] += weights[mu] * x[mu][i];
      }
    }
    return out;
  }

  /** {@code E = -β⁻¹ ln Σ e^(β x·ξ) + ½ ξᵀξ + β⁻¹ ln P + ½ M²} in float64. */
  static double energy(float[][] x, float[] xi, double beta) {
    double max = Double.NEGATIVE_INFINITY;
    double m2 = 0;
    double[] s = new double[x.length];
    for (int mu = 0; mu < x.length; mu++) {
      double sq = 0;
      for (int i = 0; i < xi.length; i++) {
        s[mu] += beta * x[mu][i] * xi[i];
        sq += (double) x[mu][i] * x[mu][i];
      }
      m2 = Math.max(m2, sq);
      max = Math.max(max, s[mu]);
    }
    double sum = 0;
    for (double v : s) {
      sum += Math.exp(v - max);
    }
    double half = 0;
    for (float v : xi) {
      half += 0.5 * v * v;
    }
    return -(max + Math.log(sum)) / beta + half + Math.log(x.length) / beta + 0.5 * m2;
  }

  /**
   * Where β times a finite score overflows float32, the message names β (it blamed the cues, which
   * were the stored patterns themselves), for a memory read by rows and one scanned in blocks.
   */
  @Test
  void aBetaThatOverflowsIsNamedAsTheCause() {
    for (int p : new int[] {2, 3000}) {
      int n = 64;
      float[] x = new float[p * n];
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(p);
      for (int i = 0; i < x.length; i++) {
        x[i] = rnd.nextBoolean() ? 1f : -1f;
      }
      ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 3e38f);
      m.storeRows(x, p);
      float[] cue = java.util.Arrays.copyOf(x, n);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.retrieve(cue), "P = " + p);
      assertTrue(
          e.getMessage()
              .startsWith(
                  "retrieval overflowed float32: β = 3.0E38 times a score X·ξ of 64.0 is not a finite float; β is too large for these patterns and cues (below "),
          e.getMessage());
    }
  }

  /**
   * A cue whose scores overflow to infinities of both signs has NaN scores: the message said
   * "scores from NaN to NaN", a range of nothing; it says what a NaN score is.
   */
  @Test
  void aNaNScoreIsNamedAsAnOverflowNotARange() {
    int n = 16;
    float[] x = new float[2 * n];
    // terms 2 * 3e38 and -2 * 3e38: +Infinity and -Infinity, whatever order a kernel adds them in
    x[0] = 2;
    x[1] = -2;
    x[n] = -2;
    x[n + 1] = 2;
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 0.25f);
    m.storeRows(x, 2);
    float[] cue = new float[n];
    java.util.Arrays.fill(cue, 3e38f);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.retrieve(cue));
    // the SIMD kernels' sums reach NaN (+Infinity plus -Infinity); the plain-Java ones, summing
    // in another order, scores of -Infinity and +Infinity: either is named, never "NaN to NaN"
    String m0 = "retrieval overflowed float32: a score X·ξ times β = 0.25 is not a finite float (";
    String end = "); the cues are too large for these patterns";
    String msg = e.getMessage();
    assertTrue(
        msg.equals(m0 + "a score is NaN: its terms overflowed to infinities of both signs" + end)
            || msg.equals(m0 + "scores from -Infinity to Infinity" + end),
        msg);
  }

  @Test
  void rowsFromABufferAreStoredAsFromAnArray() {
    float[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    ModernHopfieldMemory a = ModernHopfieldMemory.softmax(3);
    ModernHopfieldMemory b = ModernHopfieldMemory.softmax(3);
    a.storeRows(v, 3);
    java.nio.FloatBuffer buf = java.nio.FloatBuffer.wrap(v).asReadOnlyBuffer();
    buf.position(2); // not used
    assertEquals(0, b.storeRows(buf, 3));
    assertEquals(2, buf.position());
    assertArrayEquals(a.toArray(), b.toArray());
    assertEquals(3, b.storeRows(java.nio.FloatBuffer.wrap(new float[] {0, 1, 0}), 1));
    assertEquals(4, b.size());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.storeRows(buf, 2));
    assertTrue(e.getMessage().contains("9 values are not 2 patterns of length 3"), e.getMessage());
    assertThrows(NullPointerException.class, () -> b.storeRows((java.nio.FloatBuffer) null, 1));
    // a negative count is named as one (it was "3 values are not -1 patterns of length 3")
    for (org.junit.jupiter.api.function.Executable negative :
        new org.junit.jupiter.api.function.Executable[] {
          () -> b.storeRows(new float[3], -1),
          () -> b.storeRows(java.nio.FloatBuffer.wrap(new float[3]), -1),
          () -> ModernHopfieldMemory.wrap(3, Separation.SOFTMAX, 1f, 0, new float[3], -1)
        }) {
      assertEquals(
          "count must be >= 0, got -1",
          assertThrows(IllegalArgumentException.class, negative).getMessage());
    }
    assertEquals(4, b.size());
  }

  /** A memory over an array handed over: the same as one stored from it, checked the same. */
  @Test
  void aWrappedArrayIsTheMemorysOwn() {
    float[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    ModernHopfieldMemory stored = ModernHopfieldMemory.softmax(3, 0.5f);
    stored.storeRows(v, 3);
    ModernHopfieldMemory wrapped =
        ModernHopfieldMemory.wrap(3, Separation.SOFTMAX, 0.5f, 0, v.clone(), 3);
    assertEquals(3, wrapped.size());
    assertArrayEquals(stored.toArray(), wrapped.toArray());
    assertEquals(stored.maxNorm(), wrapped.maxNorm());
    float[] cue = {1, 2, 2.5f};
    assertArrayEquals(stored.retrieve(cue).state(), wrapped.retrieve(cue).state());
    assertEquals(3, wrapped.store(new float[][] {{0, 1, 0}})); // appends as usual
    assertEquals(4, wrapped.size());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModernHopfieldMemory.wrap(
                    3, Separation.SOFTMAX, 0.5f, 0, new float[] {1, Float.NaN, 3}, 1));
    assertTrue(
        e.getMessage().contains("pattern 0 has a non-finite value NaN at index 1"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ModernHopfieldMemory.wrap(3, Separation.SOFTMAX, 0.5f, 0, new float[8], 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> ModernHopfieldMemory.wrap(3, Separation.SOFTMAX, -1f, 0, new float[3], 1));
    assertEquals(
        0, ModernHopfieldMemory.wrap(3, Separation.SOFTMAX, 0.5f, 0, new float[0], 0).size());
  }

  @Test
  void copyRowsGivesTheStoredRowsAndRefusesRowsBeyondP() {
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(3);
    m.storeRows(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3);
    m.store(new float[][] {{10, 11, 12}}); // X grown past P: the room after P is not a row
    float[] dst = new float[7];
    m.copyRows(1, 2, dst);
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 0}, dst);
    m.copyRows(3, 1, dst);
    assertArrayEquals(new float[] {10, 11, 12}, java.util.Arrays.copyOf(dst, 3));
    m.copyRows(4, 0, dst);
    assertThrows(IllegalArgumentException.class, () -> m.copyRows(3, 2, new float[6]));
    assertThrows(IllegalArgumentException.class, () -> m.copyRows(-1, 1, dst));
    assertThrows(IllegalArgumentException.class, () -> m.copyRows(0, 3, new float[8]));
    assertThrows(IllegalArgumentException.class, () -> m.copyRows(0, -1, dst));
  }

  @Test
  void oneStepIsTheAttentionFormula() {
    Random rnd = new Random(1);
    int n = 37;
    float[][] x = random(rnd, 53, n, 0.5f);
    float beta = 0.8f;
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, beta);
    m.store(x);
    float[][] cues = random(rnd, 9, n, 0.5f);
    List<RecallResult> rs = m.retrieveAll(cues, m.defaultRecallOptions().withTopK(3));
    for (int c = 0; c < cues.length; c++) {
      double[] w = new double[x.length];
      double[] ref = attention(x, cues[c], beta, w);
      RecallResult r = rs.get(c);
      assertEquals(1, r.steps());
      for (int i = 0; i < n; i++) {
        assertEquals(ref[i], r.state()[i], 1e-5, "query " + c + " value " + i);
      }
      assertEquals(energy(x, r.state(), beta), r.energy(), 1e-4 * (1 + Math.abs(r.energy())));
      assertEquals(3, r.matches().size());
      int best = 0;
      for (int mu = 1; mu < w.length; mu++) {
        best = w[mu] > w[best] ? mu : best;
      }
      assertEquals(best, r.matches().get(0).index());
      for (RecallResult.Match match : r.matches()) {
        assertEquals(w[match.index()], match.weight(), 1e-5);
      }
    }
  }

  @Test
  void smallBetaGivesTheMeanOfThePatterns() {
    Random rnd = new Random(2);
    int n = 64;
    float[][] x = bipolar(rnd, 40, n);
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 1e-6f);
    m.store(x);
    float[] cue = flip(rnd, x[5], 10);
    float[] state = m.retrieve(cue).state();
    for (int i = 0; i < n; i++) {
      double mean = 0;
      for (float[] r : x) {
        mean += r[i] / x.length;
      }
      assertEquals(mean, state[i], 1e-4, "value " + i);
    }
  }

  @Test
  void largeBetaGivesTheNearestPattern() {
    Random rnd = new Random(3);
    int n = 128;
    float[][] x = bipolar(rnd, 500, n);
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 50f);
    m.store(x);
    for (int k = 0; k < 20; k++) {
      int target = rnd.nextInt(x.length);
      RecallResult r = m.retrieve(flip(rnd, x[target], 25));
      assertArrayEquals(x[target], r.state(), "pattern " + target);
      assertEquals(target, r.matches().get(0).index());
      assertEquals(1f, r.matches().get(0).weight(), 0f);
    }
  }

  @Test
  void energyNeverRises() {
    Random rnd = new Random(4);
    int n = 24;
    float[][] x = random(rnd, 30, n, 1f);
    for (float beta : new float[] {0.05f, 0.3f, 1f, 4f}) {
      ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, beta);
      m.store(x);
      List<List<Double>> trace = new ArrayList<>();
      float[][] cues = random(rnd, 12, n, 2f);
      for (int c = 0; c < cues.length; c++) {
        trace.add(new ArrayList<>());
      }
      RecallOptions o =
          m.defaultRecallOptions()
              .withMaxIterations(25)
              .withStepListener(
                  (q, it, e, conv, change) -> {
                    synchronized (trace) {
                      if (it == 1) {
                        trace.get(q).add(e - change);
                      }
                      trace.get(q).add(e);
                    }
                  });
      m.retrieveAll(cues, o);
      for (int c = 0; c < cues.length; c++) {
        List<Double> es = trace.get(c);
        assertTrue(es.size() >= 2);
        // the cue's energy is the float64 formula's
        assertEquals(energy(x, cues[c], beta), es.get(0), 1e-4 * (1 + Math.abs(es.get(0))));
        for (int t = 1; t < es.size(); t++) {
          double before = es.get(t - 1);
          double after = es.get(t);
          // float32 rounding of E (about 1e-7 of its size) is the only allowed rise
          assertTrue(
              after <= before + 2e-6f * (1 + Math.abs(before)),
              "β=" + beta + " query " + c + " step " + t + ": " + before + " -> " + after);
          assertTrue(after >= -1e-4f * (1 + Math.abs(before)), "E >= 0");
        }
      }
    }
  }

  /**
   * At tiny β the energy is {@code -lse(β, Xξ) + β⁻¹ ln P + ...}, two terms of size {@code ln P/β}
   * whose difference is the mean score: it cancelled to noise over β (β = 1e-30: 0.0 reported for
   * 26.72; β = 1e-10: 23.28). Checked against the cumulant expansion {@code β⁻¹ ln mean e^(β s) =
   * s̄ + β Var(s)/2 + O(β² s³)} in float64, for stored patterns, a noisy cue and the state one step
   * reaches (the mean of the patterns), over memories read by rows and scanned in blocks.
   */
  @Test
  void theEnergyAtTinyBetaKeepsTheMeanScore() {
    Random rnd = new Random(11);
    int n = 64;
    for (int p : new int[] {5, 300}) {
      float[][] x = new float[p][];
      for (int mu = 0; mu < p; mu++) {
        x[mu] = bipolar(rnd, n);
      }
      for (float beta : new float[] {1e-30f, 1e-10f, 1e-6f}) {
        ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, beta);
        m.store(x);
        float[] cue = flip(new Random(3), x[1], 10);
        RecallResult r = m.retrieve(cue);
        for (float[] state : new float[][] {x[0], cue, r.state()}) {
          double expected = smallBetaEnergy(x, state, beta);
          double got = state == r.state() ? r.energy() : m.energy(state);
          assertEquals(expected, got, 2e-6 * expected, "P=" + p + " β=" + beta);
        }
      }
    }
  }

  /** {@code -(s̄ + β Var(s)/2) + ½ ξᵀξ + ½ M²}: the softmax energy to second order in β. */
  private static double smallBetaEnergy(float[][] x, float[] xi, double beta) {
    double mean = 0;
    double sumSq = 0;
    double m2 = 0;
    for (float[] row : x) {
      double s = 0;
      double norm = 0;
      for (int i = 0; i < xi.length; i++) {
        s += (double) row[i] * xi[i];
        norm += (double) row[i] * row[i];
      }
      mean += s / x.length;
      sumSq += s * s / x.length;
      m2 = Math.max(m2, norm);
    }
    double half = 0;
    for (float v : xi) {
      half += 0.5 * v * v;
    }
    return -(mean + beta * (sumSq - mean * mean) / 2) + half + 0.5 * m2;
  }

  @Test
  void storeAppendsAndRemoveForgets() {
    Random rnd = new Random(5);
    int n = 50;
    float[][] a = bipolar(rnd, 6, n);
    float[][] b = bipolar(rnd, 4, n);
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 2f);
    assertEquals(0, m.store(a));
    assertEquals(6, m.store(b));
    assertEquals(10, m.size());
    assertArrayEquals(b[2], m.pattern(8));
    RecallResult r = m.retrieve(flip(rnd, b[2], 5));
    assertEquals(8, r.matches().get(0).index());
    assertArrayEquals(b[2], r.state());

    // one call with all ten gives the same bits
    ModernHopfieldMemory once = ModernHopfieldMemory.softmax(n, 2f);
    float[][] all = new float[10][];
    System.arraycopy(a, 0, all, 0, 6);
    System.arraycopy(b, 0, all, 6, 4);
    once.store(all);
    float[] cue = flip(rnd, a[1], 7);
    assertArrayEquals(once.retrieve(cue).state(), m.retrieve(cue).state());

    assertArrayEquals(a[3], m.remove(3));
    assertEquals(9, m.size());
    assertArrayEquals(a[4], m.pattern(3)); // later patterns move up
    RecallResult after = m.retrieve(a[3]);
    assertTrue(
        after.matches().get(0).index() != 3 || !java.util.Arrays.equals(after.state(), a[3]));
    assertFalse(java.util.Arrays.equals(a[3], after.state()), "the removed pattern is forgotten");
    RecallResult moved = m.retrieve(flip(rnd, b[2], 5));
    assertEquals(7, moved.matches().get(0).index());
    assertThrows(IllegalArgumentException.class, () -> m.remove(9));
    assertThrows(IllegalArgumentException.class, () -> m.remove(-1));
    while (m.size() > 0) {
      m.remove(m.size() - 1);
    }
    assertEquals(0.0, m.maxNorm());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.retrieve(cue));
    assertTrue(e.getMessage().contains("no patterns"), e.getMessage());
  }

  @Test
  void severalPatternsAreRemovedInOneCallAsOneAtATime() {
    int n = 40;
    SplittableRandom rnd = new SplittableRandom(17);
    float[][] a = new float[12][n];
    for (int k = 0; k < a.length; k++) {
      for (int i = 0; i < n; i++) {
        a[k][i] = (float) rnd.nextGaussian() * (k == 5 ? 9 : 1); // pattern 5 the largest
      }
    }
    ModernHopfieldMemory bulk = ModernHopfieldMemory.softmax(n, 0.5f);
    bulk.store(a);
    ModernHopfieldMemory single = ModernHopfieldMemory.softmax(n, 0.5f);
    single.store(a);
    double largest = bulk.maxNorm();
    // refused as a whole: an index out of range or given twice removes nothing
    for (int[] bad : new int[][] {{1, 12}, {3, -1}, {4, 2, 4}}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> bulk.remove(bad));
      assertTrue(
          e.getMessage().contains("is not in 0..11") || e.getMessage().contains("given twice"),
          e.getMessage());
      assertEquals(12, bulk.size());
      assertArrayEquals(single.toArray(), bulk.toArray());
      assertEquals(largest, bulk.maxNorm());
    }
    // an empty memory is named as empty, not "not in 0..-1"
    ModernHopfieldMemory empty = ModernHopfieldMemory.softmax(n, 0.5f);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> empty.remove(new int[] {0}));
    assertEquals("pattern index 0: the memory is empty (P = 0), it has no pattern", e.getMessage());
    float[][] removed = bulk.remove(new int[] {9, 0, 5, 11});
    assertArrayEquals(a[9], removed[0]);
    assertArrayEquals(a[0], removed[1]);
    assertArrayEquals(a[5], removed[2]);
    assertArrayEquals(a[11], removed[3]);
    for (int index : new int[] {11, 9, 5, 0}) {
      single.remove(index);
    }
    assertEquals(8, bulk.size());
    assertArrayEquals(single.toArray(), bulk.toArray());
    assertArrayEquals(a[1], bulk.pattern(0));
    assertEquals(single.maxNorm(), bulk.maxNorm());
    assertTrue(bulk.maxNorm() < largest / 3, "M is the largest norm of the patterns kept");
    float[] cue = a[7].clone();
    assertArrayEquals(single.retrieve(cue).state(), bulk.retrieve(cue).state());
    assertEquals(0, bulk.remove(new int[0]).length);
    assertEquals(8, bulk.size());
  }

  @Test
  void patternsStoredOneAtATimeGrowXByHalvesNotByOnes() {
    // each store used to copy all of X: quadratic, 13-16 s for 20,000 single stores of N = 256
    Random rnd = new Random(9);
    int n = 8;
    int total = 3000;
    float[][] x = random(rnd, total, n, 2f);
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 4f);
    int grows = 0;
    int cap = m.capacity();
    double maxSq = 0;
    for (int k = 0; k < total; k++) {
      assertEquals(k, k % 2 == 0 ? m.store(new float[][] {x[k]}) : m.storeRows(x[k], 1));
      grows += m.capacity() != cap ? 1 : 0;
      cap = m.capacity();
      assertTrue(cap >= m.size() && cap <= Math.max(2, 3 * m.size() / 2 + 1), "capacity " + cap);
      double sq = 0;
      for (float v : x[k]) {
        sq += (double) v * v;
      }
      maxSq = Math.max(maxSq, sq);
    }
    assertTrue(grows <= 25, grows + " times X grew for " + total + " single stores");
    assertEquals(total, m.size());
    assertEquals(Math.sqrt(maxSq), m.maxNorm(), 1e-9 * Math.sqrt(maxSq));
    float[] flat = m.toArray();
    assertEquals(total * n, flat.length, "toArray holds the stored patterns only");
    for (int k = 0; k < total; k++) {
      assertArrayEquals(x[k], java.util.Arrays.copyOfRange(flat, k * n, (k + 1) * n));
    }
    // the same bits as one call with all of them
    ModernHopfieldMemory once = ModernHopfieldMemory.softmax(n, 4f);
    once.store(x);
    float[] cue = x[1234].clone();
    cue[0] = -cue[0];
    assertArrayEquals(once.retrieve(cue).state(), m.retrieve(cue).state());
  }

  @Test
  void xGrowsByHalfItselfButAtMost64MiBAndNeverPastAJavaArray() {
    assertEquals(5, ModernHopfieldMemory.grownRows(0, 5, 8));
    assertEquals(15, ModernHopfieldMemory.grownRows(10, 11, 8));
    assertEquals(110, ModernHopfieldMemory.grownRows(10, 110, 8)); // more than half at once
    // rows of 2^20 floats: at most 16 rows (64 MiB) of room
    assertEquals(1016, ModernHopfieldMemory.grownRows(1000, 1001, 1 << 20));
    // never past MAX_FLOATS
    long most = ModernHopfieldMemory.MAX_FLOATS / (1 << 20);
    assertEquals(most, ModernHopfieldMemory.grownRows(most - 3, most - 2, 1 << 20));
  }

  @Test
  void storesIntoTheRoomOfXChangeNothingThatIsStoredOrRunning() {
    Random rnd = new Random(10);
    int n = 16;
    float[][] x = random(rnd, 40, n, 1f);
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 3f);
    for (int k = 0; k < 30; k++) {
      m.store(new float[][] {x[k]});
    }
    assertTrue(m.capacity() > m.size(), "X has room after single stores");
    // a step taken now keeps the 30 patterns while later ones are written into the room past them
    RetrievalStepHolder held = new RetrievalStepHolder(m.retrievalStep(null));
    float[] before = m.toArray();
    // a failed store into the room: nothing changes
    float[] bad = x[30].clone();
    bad[5] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> m.store(new float[][] {x[30], bad}));
    assertThrows(IllegalArgumentException.class, () -> m.storeRows(bad, 1));
    assertThrows(
        IllegalArgumentException.class, () -> m.storeRows(java.nio.FloatBuffer.wrap(bad), 1));
    assertEquals(30, m.size());
    assertArrayEquals(before, m.toArray());
    for (int k = 30; k < 40; k++) {
      m.store(new float[][] {x[k]});
    }
    assertEquals(40, m.size());
    ModernHopfieldMemory first30 = ModernHopfieldMemory.softmax(n, 3f);
    first30.store(java.util.Arrays.copyOf(x, 30));
    float[][] cues = {x[3].clone(), x[35].clone(), x[29].clone()};
    List<RecallResult> old = held.run(cues);
    List<RecallResult> ref = first30.retrieveAll(cues, first30.defaultRecallOptions());
    for (int q = 0; q < cues.length; q++) {
      assertArrayEquals(ref.get(q).state(), old.get(q).state());
      assertTrue(old.get(q).matches().get(0).index() < 30);
    }
    // removal after stores into the room
    assertArrayEquals(x[35], m.remove(35));
    assertEquals(39, m.size());
    assertArrayEquals(x[36], m.pattern(35));
    assertArrayEquals(x[39], m.pattern(38));
  }

  /** A retrieval step taken at one time and run later with the memory's default options. */
  private record RetrievalStepHolder(io.engram.network.RetrievalStep step) {
    List<RecallResult> run(float[][] cues) {
      return io.engram.network.RecallEngine.run(
          step, cues, RecallOptions.defaults().withMaxIterations(1));
    }
  }

  @Test
  void maxNormFollowsStoreAndRemove() {
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(2, 1f);
    m.store(new float[][] {{3, 4}, {1, 0}});
    assertEquals(5.0, m.maxNorm(), 0);
    m.remove(0);
    assertEquals(1.0, m.maxNorm(), 0);
    // E at a stored pattern alone: -1 + ½ + 0 + ½ = 0
    assertEquals(0f, m.energy(new float[] {1, 0}), 1e-6f);
  }

  @Test
  void extremeInverseTemperatureGivesNoNaN() {
    Random rnd = new Random(6);
    int n = 256;
    float[][] x = bipolar(rnd, 300, n);
    for (float[] r : x) {
      for (int i = 0; i < n; i++) {
        r[i] *= 100f; // dot products up to 2.56e6; β times them up to 2.56e10
      }
    }
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 1e4f);
    m.store(x);
    for (int k = 0; k < 10; k++) {
      int target = rnd.nextInt(x.length);
      RecallResult r = m.retrieve(flip(rnd, x[target], 60), m.defaultRecallOptions().withTopK(2));
      assertArrayEquals(x[target], r.state());
      assertTrue(Double.isFinite(r.energy()), "energy " + r.energy());
      assertEquals(1f, r.matches().get(0).weight());
      assertEquals(0f, r.matches().get(1).weight());
    }
    // β s beyond float32: a clear error, not NaN
    ModernHopfieldMemory hot = ModernHopfieldMemory.softmax(n, 1e35f);
    hot.store(x);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> hot.retrieve(x[0]));
    assertTrue(e.getMessage().contains("overflowed float32"), e.getMessage());
  }

  @Test
  void aQueryGetsTheSameResultAloneAndInABatch() {
    Random rnd = new Random(7);
    int n = 30;
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 0.7f);
    m.store(random(rnd, 5000, n, 1f));
    float[][] cues = random(rnd, 300, n, 1f);
    RecallOptions o = m.defaultRecallOptions().withMaxIterations(3).withTopK(2);
    List<RecallResult> batch = m.retrieveAll(cues, o);
    for (int c : new int[] {0, 131, 299}) {
      RecallResult alone = m.retrieve(cues[c], o);
      assertArrayEquals(batch.get(c).state(), alone.state());
      assertEquals(batch.get(c).energy(), alone.energy());
      assertEquals(batch.get(c).matches(), alone.matches());
    }
  }

  /**
   * Queries retrieved one at a time, past the steps after which the memory keeps X's transposed
   * copy for them (their scores then in the SIMD lanes): the bits of the same queries in a batch,
   * for patterns short and longer than a k-block, and after a store or a removal the patterns
   * stored then, never the copy of those before.
   */
  @Test
  void queriesAloneReadTheTransposedCopyWithTheBatchBitsAndNeverAStaleOne() {
    Random rnd = new Random(17);
    for (int n : new int[] {30, 1030}) {
      ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 0.05f);
      m.store(random(rnd, 700, n, 1f));
      float[][] cues = random(rnd, 12, n, 1f);
      RecallOptions o = m.defaultRecallOptions().withMaxIterations(2).withTopK(3);
      List<RecallResult> batch = m.retrieveAll(cues, o);
      for (int c = 0; c < cues.length; c++) {
        RecallResult alone = m.retrieve(cues[c], o);
        String what = "N=" + n + " query " + c;
        assertArrayEquals(batch.get(c).state(), alone.state(), what);
        assertEquals(
            Double.doubleToRawLongBits(batch.get(c).energy()),
            Double.doubleToRawLongBits(alone.energy()),
            what);
        assertEquals(batch.get(c).matches(), alone.matches(), what);
      }
      // a new pattern equal to a cue: the best match from now on
      float[] cue = cues[4];
      int added = m.store(new float[][] {cue.clone()});
      RecallOptions one = m.defaultRecallOptions().withTopK(1);
      for (int t = 0; t < ModernHopfieldMemory.COPY_AFTER_STEPS + 2; t++) {
        assertEquals(added, m.retrieve(cue, one).matches().get(0).index(), "N=" + n + " stored");
      }
      m.remove(added);
      RecallResult after = m.retrieve(cue, one);
      assertTrue(after.matches().get(0).index() < added, "N=" + n + " removed");
      assertEquals(
          m.retrieveAll(new float[][] {cue, cues[0]}, one).get(0).matches(), after.matches());
    }
  }

  @Test
  void stateToleranceStopsContinuousRetrieval() {
    Random rnd = new Random(8);
    int n = 40;
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 0.5f);
    m.store(bipolar(rnd, 10, n));
    float[] cue = flip(rnd, m.pattern(2), 4);
    RecallOptions plain = m.defaultRecallOptions().withMaxIterations(100);
    RecallResult r = m.retrieve(cue, plain.withStateTolerance(1e-4));
    assertTrue(r.converged());
    assertTrue(r.steps() < 100, "steps " + r.steps());
    // the tolerance is what stopped it: without it the same retrieval runs on to its exact fixed
    // point; with it, it stops at the first step that moves no value by the tolerance
    RecallResult exact = m.retrieve(cue, plain);
    assertTrue(r.steps() < exact.steps(), r.steps() + " steps, " + exact.steps() + " without");
    assertStopsAtTheFirstStepWithin(m, cue, plain, 1e-4f, r);
    // a smaller beta mixes the patterns: the state creeps and meets no exact fixed point in 100
    // steps, and each tolerance ends it where its own moves fall below it
    ModernHopfieldMemory slow = ModernHopfieldMemory.softmax(n, 0.1f);
    slow.store(bipolar(rnd, 10, n));
    float[] slowCue = flip(rnd, slow.pattern(2), 4);
    RecallResult creeping = slow.retrieve(slowCue, plain);
    for (float tol : new float[] {1e-2f, 1e-4f, 1e-6f}) {
      RecallResult stopped = slow.retrieve(slowCue, plain.withStateTolerance(tol));
      assertTrue(stopped.converged(), "tolerance " + tol);
      assertTrue(
          stopped.steps() < creeping.steps(),
          stopped.steps() + " steps, " + creeping.steps() + " without");
      assertStopsAtTheFirstStepWithin(slow, slowCue, plain, tol, stopped);
    }
  }

  /**
   * {@code r}, retrieved with state tolerance {@code tol}, ended at the first step that moved no
   * value by {@code tol} or more, with the state that many steps without the tolerance give.
   */
  private static void assertStopsAtTheFirstStepWithin(
      ModernHopfieldMemory m, float[] cue, RecallOptions plain, float tol, RecallResult r) {
    int k = r.steps();
    float[] last = m.retrieve(cue, plain.withMaxIterations(k)).state();
    assertArrayEquals(last, r.state(), "tolerance " + tol);
    float[] before = k > 1 ? m.retrieve(cue, plain.withMaxIterations(k - 1)).state() : cue;
    assertTrue(
        maxChange(before, last) < tol,
        "step " + k + " moved " + maxChange(before, last) + " >= " + tol);
    if (k > 1) {
      float[] earlier = k > 2 ? m.retrieve(cue, plain.withMaxIterations(k - 2)).state() : cue;
      assertTrue(
          maxChange(earlier, before) >= tol,
          "step " + (k - 1) + " moved only " + maxChange(earlier, before) + " < " + tol);
    }
  }

  /** The largest move of a value, in float32 as the tolerance is documented. */
  private static float maxChange(float[] a, float[] b) {
    float m = 0f;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void badInputIsRejectedAndChangesNothing() {
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(3, 1f);
    m.store(new float[][] {{1, 2, 3}});
    assertThrows(
        IllegalArgumentException.class,
        () -> m.store(new float[][] {{1, 1, 1}, {1, Float.NaN, 1}}));
    assertThrows(IllegalArgumentException.class, () -> m.store(new float[][] {{1, 1}}));
    assertThrows(IllegalArgumentException.class, () -> m.store(new float[][] {{3e19f, 3e19f, 0}}));
    assertEquals(1, m.size());
    assertThrows(IllegalArgumentException.class, () -> m.retrieve(new float[] {1, 2}));
    assertThrows(
        IllegalArgumentException.class,
        () -> m.retrieve(new float[] {1, Float.POSITIVE_INFINITY, 2}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            m.retrieve(
                new float[] {1, 2, 3}, RecallOptions.defaults().withDynamics(Dynamics.DEFAULT)));
    assertThrows(IllegalArgumentException.class, () -> ModernHopfieldMemory.softmax(3, Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> ModernHopfieldMemory.softmax(3, 0f));
    assertThrows(IllegalArgumentException.class, () -> ModernHopfieldMemory.softmax(0));
    assertThrows(IllegalArgumentException.class, () -> ModernHopfieldMemory.polynomial(3, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> ModernHopfieldMemory.of(3, Separation.POLYNOMIAL, 1f, 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> ModernHopfieldMemory.of(3, Separation.SOFTMAX, 1f, 3));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.setSeparation(Separation.POLYNOMIAL, Float.NaN, 3));
    assertTrue(e.getMessage().contains("±1"), e.getMessage());
    assertEquals(Separation.SOFTMAX, m.separation());
    assertEquals("modern", m.kind());
  }

  /**
   * A small memory's softmax step reads the states where they are and writes the next ones into
   * their arrays; over several steps (arrays reused from step to step), with energies and top
   * matches, it gives the bits of the same step over the one-array scan ({@link ModernStep#over}).
   */
  @Test
  void smallMemoryStepsByRowsGiveTheBitsOfTheScan() {
    Random rnd = new Random(41);
    for (int p = 1; p <= 9; p++) {
      for (int n : new int[] {5, 64, 333}) {
        ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 4f / (float) Math.sqrt(n));
        m.store(random(rnd, p, n, 1f));
        float[] x = m.toArray();
        float beta = m.beta();
        int pp = p;
        ModernStep.Scan scan =
            (q, count, k, wantOut) -> {
              float[] out = wantOut ? new float[count * n] : null;
              double[] stat = new double[count];
              int[] ti = new int[count * k];
              float[] ts = new float[count * k];
              io.engram.kernels.Kernels.softmaxRetrieval(
                  count, pp, n, q, x, beta, out, stat, k, ti, ts);
              return new ModernStep.ScanResult(out, null, stat, null, ti, ts);
            };
        ModernStep byScan = ModernStep.over(scan, p, n, Separation.SOFTMAX, beta, m.maxNorm());
        float[][] cues = random(rnd, 6, n, 1f);
        RecallOptions o = m.defaultRecallOptions().withMaxIterations(4).withTopK(Math.min(2, p));
        List<RecallResult> a = m.retrieveAll(cues, o);
        List<RecallResult> b = io.engram.network.RecallEngine.run(byScan, cues, o);
        for (int c = 0; c < cues.length; c++) {
          String where = "p=" + p + " n=" + n + " cue " + c;
          assertArrayEquals(b.get(c).state(), a.get(c).state(), where);
          assertEquals(b.get(c).steps(), a.get(c).steps(), where);
          assertEquals(b.get(c).energy(), a.get(c).energy(), where);
          assertEquals(b.get(c).matches(), a.get(c).matches(), where);
        }
      }
    }
  }

  /**
   * Without a step listener the step skips the energies of states it changes; every result still
   * reports the energy of its own state, converged or not, small memory (rows) or large (scan), and
   * a listener still sees every step's energy.
   */
  @Test
  void resultsReportTheEnergyOfTheirStateWhateverTheStepSkipped() {
    Random rnd = new Random(43);
    for (int p : new int[] {4, 40}) {
      int n = 96;
      ModernHopfieldMemory m = ModernHopfieldMemory.softmax(n, 0.5f);
      float[][] x = bipolar(rnd, p, n);
      m.store(x);
      float[][] cues = new float[8][];
      for (int c = 0; c < cues.length; c++) {
        // a stored pattern itself converges; a noisy one moves first
        cues[c] = c % 2 == 0 ? x[c % p].clone() : flip(rnd, x[c % p], 30);
      }
      for (int it = 1; it <= 3; it++) {
        List<RecallResult> rs = m.retrieveAll(cues, m.defaultRecallOptions().withMaxIterations(it));
        for (int c = 0; c < cues.length; c++) {
          RecallResult r = rs.get(c);
          assertEquals(
              m.energy(r.state()), r.energy(), "p=" + p + " iterations " + it + " cue " + c);
        }
      }
      List<Double> seen = new ArrayList<>();
      m.retrieveAll(
          cues,
          m.defaultRecallOptions()
              .withMaxIterations(3)
              .withStepListener((q, step, e, conv, change) -> seen.add(e)));
      assertFalse(seen.isEmpty());
      assertTrue(seen.stream().noneMatch(e -> e.isNaN()), "p=" + p + ": " + seen);
    }
  }

  @Test
  void everyFactoryRefusesAnNThatNoStoredPatternFits() {
    // each made a memory that refused every pattern it was given
    int n = (int) ModernHopfieldMemory.MAX_FLOATS + 1;
    List<org.junit.jupiter.api.function.Executable> calls =
        List.of(
            () -> ModernHopfieldMemory.softmax(Integer.MAX_VALUE),
            () -> ModernHopfieldMemory.softmax(n),
            () -> ModernHopfieldMemory.softmax(n, 1f),
            () -> ModernHopfieldMemory.polynomial(n, 3),
            () -> ModernHopfieldMemory.rectified(n, 3),
            () -> ModernHopfieldMemory.exponential(n, 1f),
            () -> ModernHopfieldMemory.of(n, Separation.SOFTMAX, 1f, 0),
            () -> ModernHopfieldMemory.wrap(n, Separation.SOFTMAX, 1f, 0, new float[0], 0));
    for (org.junit.jupiter.api.function.Executable call : calls) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
      assertTrue(
          e.getMessage().contains("is more than one stored pattern can hold"), e.getMessage());
      assertTrue(e.getMessage().contains("at most 2147483639 floats"), e.getMessage());
    }
    // the largest N is still made (its patterns are stored one at a time, in one array)
    assertEquals(n - 1, ModernHopfieldMemory.softmax(n - 1).numNeurons());
  }
}
