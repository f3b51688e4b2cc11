package io.engram.kernels;

import static io.engram.fixtures.RandomVectors.bipolar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The retrieval kernels ({@link Attention}) against a plain float64 reference that forms the whole
 * score matrix, and the Vector API kernels against the plain-Java ones, over awkward sizes; the
 * exponential against {@link Math#exp}, and bit for bit between the two implementations.
 */
class AttentionTest {

  private static float[] random(Random rnd, int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (rnd.nextFloat() * 2f - 1f) * scale;
    }
    return v;
  }

  private static KernelProvider vector() {
    KernelProvider v = Providers.vector();
    assumeTrue(v != null, "Vector API module not present");
    return v;
  }

  @Test
  void expIsCloseToMathExpAndFlushesTinyResults() {
    for (float x = -87f; x <= 0f; x += 0.0137f) {
      double ref = Math.exp(x);
      assertEquals(ref, Exp.exp(x), 3e-7 * ref, "x=" + x);
    }
    assertEquals(1f, Exp.exp(0f));
    assertEquals(1f, Exp.exp(5f)); // e^min(x, 0)
    assertEquals(0f, Exp.exp(-88f));
    assertEquals(0f, Exp.exp(Float.NEGATIVE_INFINITY));
    assertEquals(0f, Exp.exp(-Float.MAX_VALUE));
    // min(x, 0) on the bits: a NaN with its sign bit set stays NaN, one without gives e^0
    assertTrue(Float.isNaN(Exp.exp(Float.intBitsToFloat(0xffc00000))));
    assertEquals(1f, Exp.exp(Float.intBitsToFloat(0x7fc00000)));
    assertEquals(Float.floatToRawIntBits(1f), Float.floatToRawIntBits(Exp.exp(-0f)));
    assertEquals(Math.exp((double) -87.3f), Exp.exp(-87.3f), 1e-44);
  }

  @Test
  void vectorPrimitivesGiveTheScalarBits() {
    KernelProvider v = vector();
    KernelProvider s = ScalarKernels.INSTANCE;
    Random rnd = new Random(7);
    for (int n : new int[] {1, 7, 16, 17, 33, 255, 1021}) {
      float[] row = random(rnd, n + 2, 200f);
      row[1] = Float.NEGATIVE_INFINITY;
      if (n >= 5) {
        // the signs of zero and of NaN, and +∞: min(x, 0) is taken on the bits in both
        row[3] = Float.intBitsToFloat(0x7fc00000);
        row[4] = Float.intBitsToFloat(0xffc00000);
        row[5] = -0f;
        row[6] = Float.POSITIVE_INFINITY;
      }
      float[] shift = random(rnd, n, 100f);
      float[] sumS = random(rnd, n, 1f);
      float[] sumV = sumS.clone();
      float[] rs = row.clone();
      float[] rv = row.clone();
      s.expShift(rs, 2, 0, 1, n, 0.75f, shift, sumS);
      v.expShift(rv, 2, 0, 1, n, 0.75f, shift, sumV);
      assertArrayEquals(rs, rv, "expShift n=" + n);
      assertArrayEquals(sumS, sumV, "expShift sums n=" + n);
      float[] maxS = random(rnd, n, 1f);
      float[] minS = maxS.clone();
      float[] maxV = maxS.clone();
      float[] minV = maxS.clone();
      s.maxMin(row, 1, 0, 1, n, maxS, minS);
      v.maxMin(row, 1, 0, 1, n, maxV, minV);
      assertArrayEquals(maxS, maxV, "max n=" + n);
      assertArrayEquals(minS, minV, "min n=" + n);
      float[] y = random(rnd, n + 3, 5f);
      float[] ys = y.clone();
      float[] yv = y.clone();
      s.axpby(0.3f, row, 2, 1.7f, ys, 3, n);
      v.axpby(0.3f, row, 2, 1.7f, yv, 3, n);
      assertArrayEquals(ys, yv, "axpby n=" + n);
      s.scale(ys, 1, n, 0.37f);
      v.scale(yv, 1, n, 0.37f);
      assertArrayEquals(ys, yv, "scale n=" + n);
    }
  }

  /** Softmax retrieval in float64 with the whole score matrix formed (the naive formula). */
  private static void naiveSoftmax(
      int b, int p, int n, float[] q, float[] x, float beta, double[] out, double[] lse) {
    for (int c = 0; c < b; c++) {
      double[] s = new double[p];
      double max = Double.NEGATIVE_INFINITY;
      for (int mu = 0; mu < p; mu++) {
        double d = 0;
        for (int i = 0; i < n; i++) {
          d += (double) q[c * n + i] * x[mu * n + i];
        }
        s[mu] = beta * d;
        max = Math.max(max, s[mu]);
      }
      double sum = 0;
      for (int mu = 0; mu < p; mu++) {
        s[mu] = Math.exp(s[mu] - max);
        sum += s[mu];
      }
      lse[c] = max + Math.log(sum);
      for (int i = 0; i < n; i++) {
        double o = 0;
        for (int mu = 0; mu < p; mu++) {
          o += s[mu] / sum * x[mu * n + i];
        }
        out[c * n + i] = o;
      }
    }
  }

  private record Result(float[] out, double[] lse, int[] ti, float[] ts) {}

  private static Result softmax(
      KernelProvider kp, int b, int p, int n, float[] q, float[] x, float beta, int k) {
    float[] out = new float[b * n];
    double[] lse = new double[b];
    int[] ti = new int[b * k];
    float[] ts = new float[b * k];
    Attention.run(
        new Attention.Call(
            kp,
            b,
            p,
            n,
            q,
            x,
            Attention.Weighting.softmax(beta),
            out,
            null,
            lse,
            null,
            k,
            ti,
            ts,
            null));
    return new Result(out, lse, ti, ts);
  }

  @Test
  void softmaxMatchesTheNaiveFormulaOverAwkwardSizes() {
    Random rnd = new Random(11);
    int[][] cases = {
      {1, 1, 1},
      {2, 7, 3},
      {7, 1, 33},
      {17, 255, 31},
      {33, 257, 17},
      {9, 1021, 65},
      {65, 300, 7},
      {3, 4097, 5},
      {1, 9000, 2},
      {257, 40, 9},
      {40, 20, 1500}
    };
    for (int[] cs : cases) {
      int b = cs[0];
      int p = cs[1];
      int n = cs[2];
      float[] q = random(rnd, b * n, 1f);
      float[] x = random(rnd, p * n, 1f);
      float beta = 2.5f;
      double[] ref = new double[b * n];
      double[] lseRef = new double[b];
      naiveSoftmax(b, p, n, q, x, beta, ref, lseRef);
      int k = Math.min(3, p);
      Result s = softmax(ScalarKernels.INSTANCE, b, p, n, q, x, beta, k);
      String where = "b=" + b + " p=" + p + " n=" + n;
      for (int i = 0; i < b * n; i++) {
        assertEquals(ref[i], s.out[i], 2e-5 + 1e-6 * Math.sqrt(n), where + " out " + i);
      }
      for (int c = 0; c < b; c++) {
        assertEquals(lseRef[c], s.lse[c], 1e-5 * (1 + Math.abs(lseRef[c])), where + " lse");
        checkTop(q, x, c, n, p, k, s.ti, s.ts, where);
      }
      if (Providers.vector() != null) {
        Result v = softmax(Providers.vector(), b, p, n, q, x, beta, k);
        for (int i = 0; i < b * n; i++) {
          assertEquals(s.out[i], v.out[i], 2e-5 + 1e-6 * Math.sqrt(n), where + " vector " + i);
        }
        for (int c = 0; c < b; c++) {
          assertEquals(s.lse[c], v.lse[c], 1e-5 * (1 + Math.abs(s.lse[c])), where + " vector lse");
        }
      }
    }
  }

  /** The k best indices are the k largest float64 overlaps (ties aside), best first. */
  private static void checkTop(
      float[] q, float[] x, int c, int n, int p, int k, int[] ti, float[] ts, String where) {
    double[] s = new double[p];
    Integer[] order = new Integer[p];
    for (int mu = 0; mu < p; mu++) {
      for (int i = 0; i < n; i++) {
        s[mu] += (double) q[c * n + i] * x[mu * n + i];
      }
      order[mu] = mu;
    }
    Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
    for (int j = 0; j < k; j++) {
      int got = ti[c * k + j];
      assertEquals(s[order[j]], s[got], 1e-4, where + " top " + j);
      assertEquals(s[got], ts[c * k + j], 1e-4, where + " top score " + j);
      if (j > 0) {
        assertTrue(ts[c * k + j] <= ts[c * k + j - 1], where + " top order");
      }
    }
  }

  @Test
  void aQueryGetsTheSameBitsInAnyBatchAndOnAnyNumberOfThreads() {
    // several chunks (their partials merged, shared at the end); one block of 9 patterns with
    // k-blocked scores; one block of 300 with a short last panel of X; long patterns in chunks of
    // two blocks and of one (a few queries then run on several threads)
    int[][] shapes = {
      {2 * Attention.CHUNK + 300, 40}, {9, 1100}, {300, 77}, {900, 1500}, {700, 5000}
    };
    for (int[] shape : shapes) {
      aQueryGetsTheSameBits(shape[0], shape[1]);
    }
  }

  @Test
  void aMemoryOfFewerThanSixteenChunksComesInFourSoThatAFewQueriesShareTheThreads() {
    assertEquals(Attention.CHUNK, Attention.chunkRows(100_000));
    assertEquals(Attention.CHUNK, Attention.chunkRows(4 * Attention.CHUNK));
    assertEquals(Attention.CHUNK, Attention.chunkRows(Integer.MAX_VALUE));
    // a quarter, in whole blocks, at least one
    assertEquals(2560, Attention.chunkRows(10_000));
    assertEquals(512, Attention.chunkRows(2000));
    assertEquals(Attention.BLOCK, Attention.chunkRows(1000));
    assertEquals(Attention.BLOCK, Attention.chunkRows(10));
  }

  private static void aQueryGetsTheSameBits(int p, int n) {
    Random rnd = new Random(12);
    float[] x = random(rnd, p * n, 1f);
    float[] q = random(rnd, 300 * n, 1f);
    KernelProvider kp = Providers.chosen();
    // β s of a few units whatever n, so that every score reaches the outputs' bits
    float beta = 3f / (float) Math.sqrt(n);
    Result all = softmax(kp, 300, p, n, q, x, beta, 2);
    int before = Kernels.parallelism();
    try {
      for (int threads : new int[] {1, 2, 3}) {
        Kernels.setParallelism(threads);
        for (int[] range : new int[][] {{0, 1}, {5, 9}, {17, 50}, {299, 300}}) {
          int b = range[1] - range[0];
          float[] sub = Arrays.copyOfRange(q, range[0] * n, range[1] * n);
          Result r = softmax(kp, b, p, n, sub, x, beta, 2);
          assertArrayEquals(
              Arrays.copyOfRange(all.out, range[0] * n, range[1] * n),
              r.out,
              "p=" + p + " n=" + n + " threads=" + threads + " queries " + range[0]);
          assertArrayEquals(Arrays.copyOfRange(all.lse, range[0], range[1]), r.lse);
          assertArrayEquals(Arrays.copyOfRange(all.ti, 2 * range[0], 2 * range[1]), r.ti);
        }
      }
    } finally {
      Kernels.setParallelism(before);
    }
  }

  /**
   * Three groups of queries on two threads: the thread that is done first runs chunks of the
   * other's group (checked: some are), and every query gets exactly the bits of one thread, for
   * softmax and separation weights, outputs, statistics and best matches. A chunk that overflows
   * fails the call with its own message, whichever thread runs it, and nothing waits for ever.
   */
  @Test
  void chunksSharedAtTheEndGiveTheBitsOfOneThread() {
    Random rnd = new Random(17);
    int b = 600;
    int p = 6 * Attention.CHUNK + 50;
    int n = 24;
    float[] x = bipolar(rnd, p * n);
    float[] q = bipolar(rnd, b * n);
    KernelProvider kp = Providers.chosen();
    int before = Kernels.parallelism();
    try {
      Kernels.setParallelism(1);
      Result one = softmax(kp, b, p, n, q, x, 0.3f, 3);
      double[][] sepOne = separation(kp, b, p, n, q, x);
      Kernels.setParallelism(2);
      long stolen = Attention.stolenChunks();
      for (int run = 0; run < 20 && (run < 2 || Attention.stolenChunks() == stolen); run++) {
        Result two = softmax(kp, b, p, n, q, x, 0.3f, 3);
        assertArrayEquals(one.out, two.out, "run " + run);
        assertArrayEquals(one.lse, two.lse, "run " + run);
        assertArrayEquals(one.ti, two.ti, "run " + run);
        assertArrayEquals(one.ts, two.ts, "run " + run);
        double[][] sepTwo = separation(kp, b, p, n, q, x);
        for (int i = 0; i < sepOne.length; i++) {
          assertArrayEquals(sepOne[i], sepTwo[i], "separation run " + run + " part " + i);
        }
      }
      assertTrue(Attention.stolenChunks() > stolen, "no chunk ran on another group's thread");
      // a pattern whose scores overflow, in the last chunk (the one taken from the end first)
      float[] bad = x.clone();
      Arrays.fill(bad, (p - 1) * n, p * n, 3e37f);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  assertTimeoutPreemptively(
                      java.time.Duration.ofSeconds(60),
                      () -> softmax(kp, b, p, n, q, bad, 0.3f, 3)));
      assertTrue(e.getMessage().contains("overflowed"), e.getMessage());
    } finally {
      Kernels.setParallelism(before);
    }
  }

  /** Separation retrieval (degree 3): sums, diagonal, energy, 2 best. */
  private static double[][] separation(
      KernelProvider kp, int b, int p, int n, float[] q, float[] x) {
    double[] sums = new double[b * n];
    double[] diag = new double[b];
    double[] energy = new double[b];
    int[] ti = new int[b * 2];
    float[] ts = new float[b * 2];
    Attention.run(
        new Attention.Call(
            kp,
            b,
            p,
            n,
            q,
            x,
            Attention.Weighting.separation(3, false),
            null,
            sums,
            diag,
            energy,
            2,
            ti,
            ts,
            null));
    double[] tis = new double[ti.length];
    for (int i = 0; i < ti.length; i++) {
      tis[i] = ti[i] + 0.5 * ts[i];
    }
    return new double[][] {sums, diag, energy, tis};
  }

  /**
   * Equal scores in many chunks: every query's list holds the smallest indices of its best score,
   * whether chunks run in turn (each one's candidates checked against the lists so far) or in
   * parallel and merged, on any number of threads.
   */
  @Test
  void tiesAcrossChunksKeepTheSmallestIndices() {
    Random rnd = new Random(21);
    int n = 32;
    int kinds = 7;
    int p = 3 * Attention.CHUNK + 100;
    float[] base = bipolar(rnd, kinds * n);
    float[] x = new float[p * n];
    for (int mu = 0; mu < p; mu++) {
      // pattern mu repeats kind mu % 7, except the first 2 chunks' copies of kind 3 (so that
      // query 3's best scores are all in the last chunk, after lists full of lesser ones)
      int kind = mu % kinds == 3 && mu < 2 * Attention.CHUNK ? 4 : mu % kinds;
      System.arraycopy(base, kind * n, x, mu * n, n);
    }
    int b = 300;
    float[] q = new float[b * n];
    for (int c = 0; c < b; c++) {
      System.arraycopy(base, (c % kinds) * n, q, c * n, n);
    }
    int k = 3;
    int before = Kernels.parallelism();
    try {
      for (int threads : new int[] {1, 2, 3}) {
        Kernels.setParallelism(threads);
        for (int batch : new int[] {1, 2, b}) {
          Result r = softmax(Providers.chosen(), batch, p, n, q, x, 0.5f, k);
          for (int c = 0; c < batch; c++) {
            int[] want = smallestIndicesOfBest(q, x, c, n, p, k);
            assertArrayEquals(
                want,
                Arrays.copyOfRange(r.ti, c * k, (c + 1) * k),
                "threads=" + threads + " batch=" + batch + " query " + c);
          }
        }
      }
    } finally {
      Kernels.setParallelism(before);
    }
  }

  /** The k indices of the largest scores (exact: ±1 entries), smaller index first on ties. */
  private static int[] smallestIndicesOfBest(float[] q, float[] x, int c, int n, int p, int k) {
    int[] s = new int[p];
    Integer[] order = new Integer[p];
    for (int mu = 0; mu < p; mu++) {
      for (int i = 0; i < n; i++) {
        s[mu] += (int) (q[c * n + i] * x[mu * n + i]);
      }
      order[mu] = mu;
    }
    Arrays.sort(
        order, (a, b) -> s[a] != s[b] ? Integer.compare(s[b], s[a]) : Integer.compare(a, b));
    int[] top = new int[k];
    for (int j = 0; j < k; j++) {
      top[j] = order[j];
    }
    return top;
  }

  @Test
  void largeInverseTemperatureAndLargeScoresGiveNoNaN() {
    Random rnd = new Random(13);
    int p = 600;
    int n = 64;
    float[] x = random(rnd, p * n, 300f);
    float[] q = random(rnd, 5 * n, 300f);
    float beta = 1e4f; // β s up to about 1e10: every weight but the best underflows to 0
    Result r = softmax(Providers.chosen(), 5, p, n, q, x, beta, 1);
    for (int c = 0; c < 5; c++) {
      int best = r.ti[c];
      for (int i = 0; i < n; i++) {
        assertEquals(x[best * n + i], r.out[c * n + i], 0f, "query " + c);
      }
      assertEquals(beta * (double) r.ts[c], r.lse[c], 1e-6 * Math.abs(r.lse[c]));
    }
    // β s at the edge of float32: still finite
    float edge = Float.MAX_VALUE / 2 / (n * 300f * 300f);
    Result e = softmax(Providers.chosen(), 5, p, n, q, x, edge, 1);
    for (float v : e.out) {
      assertTrue(Float.isFinite(v));
    }
    float[] huge = q.clone();
    huge[3] = 3e38f;
    IllegalArgumentException ex =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Kernels.softmaxRetrieval(
                    5, p, n, huge, x, 1f, new float[5 * n], new double[5], 0, null, null));
    assertTrue(ex.getMessage().contains("overflowed"), ex.getMessage());
  }

  /**
   * The b x p score matrix is never formed: one call for 512 queries against 40,000 patterns
   * (scores: 82 MB) allocates, over every thread, a small fraction of that. Measured on the
   * plain-Java kernels, whose allocations are exactly the driver's (the Vector API allocates its
   * vectors as objects until the JIT has compiled it).
   */
  @Test
  void neverFormsTheScoreMatrix() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no allocation counters");
    com.sun.management.ThreadMXBean tm = (com.sun.management.ThreadMXBean) mx;
    assumeTrue(tm.isThreadAllocatedMemoryEnabled());
    Random rnd = new Random(15);
    int b = 512;
    int p = 40_000;
    int n = 16;
    float[] x = bipolar(rnd, p * n);
    float[] q = bipolar(rnd, b * n);
    float[] out = new float[b * n];
    double[] lse = new double[b];
    int[] ti = new int[b];
    float[] ts = new float[b];
    Attention.Weighting w = Attention.Weighting.softmax(0.5f);
    Attention.run(
        new Attention.Call(
            ScalarKernels.INSTANCE, b, p, n, q, x, w, out, null, lse, null, 1, ti, ts, null));
    // on this thread alone, whose allocations are counted: summed over every thread of the JVM,
    // another thread's (a warm-up, the test runner's) counted too, and failed the bound under load
    long before = tm.getCurrentThreadAllocatedBytes();
    Kernels.sequentially(
        () -> {
          Attention.run(
              new Attention.Call(
                  ScalarKernels.INSTANCE, b, p, n, q, x, w, out, null, lse, null, 1, ti, ts, null));
          return null;
        });
    long after = tm.getCurrentThreadAllocatedBytes();
    long scores = 4L * b * p;
    assertTrue(
        after - before < scores / 40,
        "allocated " + (after - before) + " bytes; the score matrix is " + scores);
  }

  /** The separation field in float64 straight from the binary update rule of the class comment. */
  private static double[] naiveField(
      float[] q, int c, float[] x, int p, int n, int degree, boolean rectified) {
    double[] field = new double[n];
    for (int i = 0; i < n; i++) {
      double f = 0;
      for (int mu = 0; mu < p; mu++) {
        double rest = 0;
        for (int j = 0; j < n; j++) {
          if (j != i) {
            rest += (double) x[mu * n + j] * q[c * n + j];
          }
        }
        double xi = x[mu * n + i];
        f +=
            SeparationWeights.power(xi + rest, degree, rectified)
                - SeparationWeights.power(-xi + rest, degree, rectified);
      }
      field[i] = f;
    }
    return field;
  }

  @Test
  void separationFieldIsTheBinaryUpdateFieldExactly() {
    Random rnd = new Random(14);
    for (boolean rect : new boolean[] {false, true}) {
      for (int degree : new int[] {2, 3, 4}) {
        int b = 5;
        int p = 37;
        int n = 23;
        float[] x = bipolar(rnd, p * n);
        float[] q = bipolar(rnd, b * n);
        for (KernelProvider kp : providers()) {
          double[] out = new double[b * n];
          double[] diag = new double[b];
          double[] energy = new double[b];
          Attention.run(
              new Attention.Call(
                  kp,
                  b,
                  p,
                  n,
                  q,
                  x,
                  Attention.Weighting.separation(degree, rect),
                  null,
                  out,
                  diag,
                  energy,
                  0,
                  null,
                  null,
                  null));
          for (int c = 0; c < b; c++) {
            double[] ref = naiveField(q, c, x, p, n, degree, rect);
            double e = 0;
            for (int mu = 0; mu < p; mu++) {
              double s = 0;
              for (int i = 0; i < n; i++) {
                s += (double) x[mu * n + i] * q[c * n + i];
              }
              e -= SeparationWeights.power(s, degree, rect);
            }
            assertEquals(e, energy[c], 0, "energy");
            for (int i = 0; i < n; i++) {
              // integers, exactly
              assertEquals(ref[i], out[c * n + i] + q[c * n + i] * diag[c], 0, "field " + i);
            }
          }
        }
      }
    }
  }

  private static KernelProvider[] providers() {
    KernelProvider v = Providers.vector();
    return v == null
        ? new KernelProvider[] {ScalarKernels.INSTANCE}
        : new KernelProvider[] {ScalarKernels.INSTANCE, v};
  }

  @Test
  void facadeRejectsBadArguments() {
    float[] q = new float[8];
    float[] x = new float[12];
    double[] lse = new double[2];
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.softmaxRetrieval(2, 3, 4, q, x, 0f, null, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.softmaxRetrieval(2, 3, 4, q, x, Float.NaN, null, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.softmaxRetrieval(2, 4, 4, q, x, 1f, null, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.softmaxRetrieval(2, 3, 4, q, x, 1f, q, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.softmaxRetrieval(2, 3, 4, q, x, 1f, null, lse, 4, new int[8], new float[8]));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.softmaxRetrieval(2, 0, 4, q, x, 1f, null, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Kernels.separationRetrieval(
                2, 3, 4, q, x, 0, false, null, lse, new double[2], 0, null, null));
  }

  /**
   * Queries and outputs held as rows give the bits of the one-array call, top matches included:
   * small memories (1 to 7 patterns, their own path) and larger ones (copied through the one-array
   * call), batches not a multiple of four, lengths around a vector, on several threads.
   */
  @Test
  void rowsGiveTheBitsOfTheOneArrayCall() {
    Random rnd = new Random(77);
    for (int t = 0; t < 400; t++) {
      int p = 1 + rnd.nextInt(t % 5 == 0 ? 40 : 9);
      int n = 1 + rnd.nextInt(t % 9 == 0 ? 3000 : 140);
      int b = 1 + rnd.nextInt(t % 7 == 0 ? 70 : 9);
      int k = rnd.nextInt(p + 1);
      float beta = (float) Math.exp(rnd.nextDouble() * 8 - 5);
      float[] x = new float[p * n];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextGaussian();
      }
      float[] q = new float[b * n];
      float[][] rows = new float[b][];
      for (int c = 0; c < b; c++) {
        // rows longer than n: only the first n values count
        rows[c] = new float[n + c % 3];
        for (int i = 0; i < rows[c].length; i++) {
          rows[c][i] = (float) rnd.nextGaussian();
        }
        System.arraycopy(rows[c], 0, q, c * n, n);
      }
      float[] out = new float[b * n];
      double[] lse = new double[b];
      int[] ti = new int[b * k];
      float[] ts = new float[b * k];
      Kernels.softmaxRetrieval(b, p, n, q, x, beta, out, lse, k, ti, ts);
      float[][] outRows = new float[b][];
      for (int c = 0; c < b; c++) {
        outRows[c] = new float[n + 1];
        outRows[c][n] = 42f;
      }
      double[] lse2 = new double[b];
      int[] ti2 = new int[b * k];
      float[] ts2 = new float[b * k];
      Kernels.softmaxRetrievalRows(b, p, n, rows, x, beta, outRows, lse2, k, ti2, ts2);
      String where = "p=" + p + " n=" + n + " b=" + b + " k=" + k + " beta=" + beta;
      for (int c = 0; c < b; c++) {
        assertArrayEquals(
            Arrays.copyOfRange(out, c * n, (c + 1) * n),
            Arrays.copyOf(outRows[c], n),
            where + " query " + c);
        assertEquals(42f, outRows[c][n], where + ": past n untouched");
      }
      assertArrayEquals(lse, lse2, where);
      assertArrayEquals(ti, ti2, where);
      assertArrayEquals(ts, ts2, where);
    }
  }

  @Test
  void rowsRejectBadArguments() {
    float[] x = new float[12];
    float[][] q = {new float[4], new float[4]};
    double[] lse = new double[2];
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Kernels.softmaxRetrievalRows(
                2, 3, 4, q, x, 1f, new float[][] {new float[4], null}, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Kernels.softmaxRetrievalRows(
                2, 3, 4, q, x, 1f, new float[][] {new float[4], new float[3]}, lse, 0, null, null));
    float[] shared = new float[4];
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Kernels.softmaxRetrievalRows(
                2, 3, 4, q, x, 1f, new float[][] {shared, shared}, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Kernels.softmaxRetrievalRows(
                2, 3, 4, q, x, 1f, new float[][] {new float[4], q[1]}, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Kernels.softmaxRetrievalRows(
                2, 3, 4, q, x, 1f, new float[][] {new float[12], x}, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Kernels.softmaxRetrievalRows(
                2,
                3,
                4,
                new float[][] {new float[4], new float[2]},
                x,
                1f,
                null,
                lse,
                0,
                null,
                null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.softmaxRetrievalRows(2, 3, 4, q, x, 0f, null, lse, 0, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Kernels.softmaxRetrievalRows(2, 4, 4, q, x, 1f, null, lse, 0, null, null));
  }

  /**
   * One query with X's transposed copy at hand (its scores in the SIMD lanes over the copy's rows):
   * every output bit as without, for memories of one block to several chunks and patterns past a
   * k-block of the tiles.
   */
  @Test
  void oneQueryOverTheTransposedCopyGivesTheSameBits() {
    Random rnd = new Random(31);
    for (int[] shape : new int[][] {{8, 16}, {300, 33}, {2600, 64}, {5000, 20}, {700, 1030}}) {
      int p = shape[0];
      int n = shape[1];
      float[] x = new float[p * n];
      for (int i = 0; i < x.length; i++) {
        x[i] = (rnd.nextFloat() - 0.5f) * 2f;
      }
      float[] xT = new float[p * n];
      Kernels.transpose(x, p, n, xT);
      float[] q = new float[n];
      for (int i = 0; i < n; i++) {
        q[i] = rnd.nextFloat() - 0.5f;
      }
      int k = Math.min(3, p);
      float[] o1 = new float[n];
      float[] o2 = new float[n];
      double[] l1 = new double[1];
      double[] l2 = new double[1];
      int[] i1 = new int[k];
      int[] i2 = new int[k];
      float[] s1 = new float[k];
      float[] s2 = new float[k];
      Kernels.softmaxRetrieval(1, p, n, q, x, 0.3f, o1, l1, k, i1, s1);
      Kernels.softmaxRetrieval(1, p, n, q, x, xT, 0.3f, o2, l2, k, i2, s2);
      String what = "P=" + p + " N=" + n;
      for (int i = 0; i < n; i++) {
        assertEquals(
            Float.floatToRawIntBits(o1[i]), Float.floatToRawIntBits(o2[i]), what + " out " + i);
      }
      assertEquals(Double.doubleToRawLongBits(l1[0]), Double.doubleToRawLongBits(l2[0]), what);
      assertArrayEquals(i1, i2, what);
      assertArrayEquals(s1, s2, what);
    }
  }
}
