package io.engram.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.TrainingRecord;
import io.engram.weights.DenseWeights;
import io.engram.weights.ProjectionWeights;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pseudo-inverse rule's properties: stored patterns are fixed points for any linearly
 * independent set (random and correlated), successive calls equal one call, dependent patterns, the
 * ridge, and which weights it continues (and which rules continue it).
 */
class PseudoInverseRuleTest {

  private static float[][] bipolar(SplittableRandom r, int p, int n) {
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    return x;
  }

  /** P copies of one random pattern, each with a share {@code flip} of its values flipped. */
  private static float[][] correlated(SplittableRandom r, int p, int n, double flip) {
    float[] base = bipolar(r, 1, n)[0];
    float[][] x = new float[p][];
    for (int k = 0; k < p; k++) {
      x[k] = base.clone();
      for (int i = 0; i < n; i++) {
        if (r.nextDouble() < flip) {
          x[k][i] = -x[k][i];
        }
      }
    }
    return x;
  }

  private static float[] field(AmariHopfieldNetwork net, float[] x) {
    float[] h = new float[x.length];
    net.weights().multiply(x, h);
    return h;
  }

  private static boolean fixedPoint(AmariHopfieldNetwork net, float[] x) {
    float[] h = field(net, x);
    for (int i = 0; i < x.length; i++) {
      if (Math.signum(h[i]) != x[i]) {
        return false;
      }
    }
    return true;
  }

  private static int rank(TrainingRecord r) {
    return Integer.parseInt(r.options().get("effective_rank"));
  }

  private static AmariHopfieldNetwork train(float[][] x, WeightsMode mode, PseudoInverseOptions o) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(x[0].length, Dynamics.DEFAULT, mode);
    PseudoInverseRule.create(o).train(net, PatternBlock.of(x), true, null);
    return net;
  }

  @Test
  void everyIndependentStoredPatternIsAFixedPoint() {
    SplittableRandom r = new SplittableRandom(7);
    int checked = 0;
    for (int trial = 0; trial < 60; trial++) {
      int n = 16 + r.nextInt(150);
      int p = 1 + r.nextInt(n - 1); // P < N
      float[][] x =
          trial % 3 == 0 ? bipolar(r, p, n) : correlated(r, p, n, 0.02 + 0.2 * r.nextDouble());
      WeightsMode mode = WeightsMode.values()[trial % 3];
      for (boolean zero : new boolean[] {false, true}) {
        AmariHopfieldNetwork net =
            train(x, mode, PseudoInverseOptions.DEFAULTS.withZeroDiagonal(zero));
        if (rank(net.history().get(0)) < p) {
          continue; // dependent by chance: not this property
        }
        // with the diagonal zeroed, (W x)_i = (1 - P_ii) x_i: a fixed point while P_ii < 1
        float[] d =
            net.weights().isDense()
                ? ((DenseWeights) net.weights()).projectionDiagonal()
                : ((ProjectionWeights) net.weights()).fullDiagonal();
        float maxD = 0f;
        for (float v : d) {
          maxD = Math.max(maxD, v);
        }
        if (zero && maxD > 0.999f) {
          continue;
        }
        for (int k = 0; k < p; k++) {
          assertTrue(fixedPoint(net, x[k]), "trial " + trial + " N=" + n + " P=" + p + " k=" + k);
        }
        checked++;
      }
    }
    assertTrue(checked > 90, "sets checked: " + checked);
  }

  /**
   * Patterns so small that their float32 squares leave the normal range (±1e-25) are refused by
   * name: the Gram matrix underflowed and the call stored nothing (rank 0, W all zeros), silently.
   * The same patterns at a workable scale are stored.
   */
  @Test
  void patternsTooSmallForFloat32ProductsAreRefused() {
    float[][] x = {{1, -1, 1, -1, 1, 1}, {1, 1, -1, -1, 1, -1}};
    for (float scale : new float[] {1e-25f, 1e-20f}) {
      float[][] tiny = new float[x.length][];
      for (int k = 0; k < x.length; k++) {
        tiny[k] = x[k].clone();
        for (int i = 0; i < tiny[k].length; i++) {
          tiny[k][i] *= scale;
        }
      }
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6, Dynamics.DEFAULT, WeightsMode.AUTO);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PseudoInverseRule.create().train(net, PatternBlock.of(tiny), true, null));
      assertTrue(e.getMessage().startsWith("pattern values of at most "), e.getMessage());
      assertEquals(0, net.history().size(), "nothing stored");
    }
    AmariHopfieldNetwork ok = train(x, WeightsMode.AUTO, PseudoInverseOptions.DEFAULTS);
    assertEquals(2, ok.weights().rank());
  }

  /**
   * A ridge so large that every float32 weight (about x_i x_j / (|x|² + λ)) underflows is refused
   * by name: --ridge 1e308 stored nothing (W all zeros), silently. The largest ridge it names is
   * taken, and stores the patterns.
   */
  @Test
  void aRidgeThatZeroesEveryWeightIsRefused() {
    float[][] x = {{1, -1, 1, -1, 1, 1}, {1, 1, -1, -1, 1, -1}};
    for (double ridge : new double[] {1e308, 1e39}) {
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6, Dynamics.DEFAULT, WeightsMode.AUTO);
      PseudoInverseOptions o = PseudoInverseOptions.DEFAULTS.withRidge(ridge);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PseudoInverseRule.create(o).train(net, PatternBlock.of(x), true, null));
      assertTrue(
          e.getMessage().startsWith("the ridge " + ridge + " is too large for these patterns"),
          e.getMessage());
      assertEquals(0, net.history().size(), "nothing stored");
    }
    double most = 1 / (double) Float.MIN_NORMAL - 6;
    AmariHopfieldNetwork ok =
        train(x, WeightsMode.DENSE, PseudoInverseOptions.DEFAULTS.withRidge(most * 0.999));
    float largest = 0;
    for (float w : ok.weights().toDenseArray()) {
      largest = Math.max(largest, Math.abs(w));
    }
    assertTrue(largest >= Float.MIN_NORMAL / 2, "weights stored: " + largest);
  }

  /**
   * Patterns so large that their float32 Gram matrix overflows (±1e19: squared norms of 6e38) are
   * refused by name, as too small ones are: the message was "the Gram matrix has a non-finite value
   * Infinity", which named neither the patterns nor what to do.
   */
  @Test
  void patternsTooLargeForFloat32ProductsAreRefused() {
    float[][] x = {{1, -1, 1, -1, 1, 1}, {1, 1, -1, -1, 1, -1}};
    for (float scale : new float[] {1e19f, 3e38f}) {
      float[][] big = new float[x.length][];
      for (int k = 0; k < x.length; k++) {
        big[k] = x[k].clone();
        for (int i = 0; i < big[k].length; i++) {
          big[k][i] *= scale;
        }
      }
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6, Dynamics.DEFAULT, WeightsMode.AUTO);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PseudoInverseRule.create().train(net, PatternBlock.of(big), true, null));
      assertEquals(
          "pattern values up to "
              + scale
              + " in magnitude are too large for the pseudo-inverse's float32 products (their"
              + " Gram matrix X Xᵀ overflows float32); scale the patterns down: the projection"
              + " does not depend on their scale",
          e.getMessage());
      assertEquals(0, net.history().size(), "nothing stored");
    }
  }

  @Test
  void storedPatternsRecallInOneStepWithEitherUpdateMode() {
    SplittableRandom r = new SplittableRandom(8);
    float[][] x = correlated(r, 30, 200, 0.1);
    AmariHopfieldNetwork net = train(x, WeightsMode.AUTO, PseudoInverseOptions.DEFAULTS);
    assertInstanceOf(ProjectionWeights.class, net.weights());
    for (Dynamics d :
        new Dynamics[] {
          Dynamics.DEFAULT,
          Dynamics.DEFAULT.withUpdateMode(io.engram.network.UpdateMode.asynchronous(3))
        }) {
      for (float[] xk : x) {
        var res = net.recall(xk, RecallOptions.defaults().withDynamics(d));
        assertTrue(res.converged());
        assertArrayEquals(xk, res.state());
      }
    }
  }

  @Test
  void successiveCallsEqualOneCallInEveryMode() {
    SplittableRandom r = new SplittableRandom(9);
    int n = 64;
    float[][] a = correlated(r, 20, n, 0.2);
    float[][] b = correlated(r, 20, n, 0.2);
    float[][] all = new float[40][];
    System.arraycopy(a, 0, all, 0, 20);
    System.arraycopy(b, 0, all, 20, 20);
    for (boolean zero : new boolean[] {true, false}) {
      for (double ridge : new double[] {0, 3}) {
        PseudoInverseOptions o =
            PseudoInverseOptions.DEFAULTS.withZeroDiagonal(zero).withRidge(ridge);
        float[] once = train(all, WeightsMode.DENSE, o).weightMatrix();
        for (WeightsMode mode : WeightsMode.values()) {
          AmariHopfieldNetwork net = train(a, mode, o);
          PseudoInverseRule.create(o).train(net, PatternBlock.of(b), true, null);
          if (mode == WeightsMode.AUTO) {
            // 40 rows of 64 neurons: the second call crosses over to dense weights
            assertTrue(net.weights().isDense());
          }
          float[] twice = net.weightMatrix();
          for (int i = 0; i < once.length; i++) {
            assertEquals(once[i], twice[i], 2e-5, mode + " zero=" + zero + " ridge=" + ridge);
          }
          assertEquals(40, net.storedPatterns());
          assertEquals(40, rank(net.history().get(1)));
        }
      }
    }
  }

  @Test
  void duplicateAndDependentPatternsAreStoredWithTheirRank() {
    SplittableRandom r = new SplittableRandom(10);
    int n = 50;
    float[][] base = bipolar(r, 4, n);
    float[][] x = new float[7][];
    System.arraycopy(base, 0, x, 0, 4);
    x[4] = base[1].clone(); // a duplicate
    x[5] = new float[n];
    x[6] = new float[n];
    for (int i = 0; i < n; i++) {
      x[5][i] = base[0][i] + base[2][i]; // dependent
      x[6][i] = 0.5f * base[3][i] - 2f * base[1][i];
    }
    for (WeightsMode mode : WeightsMode.values()) {
      AmariHopfieldNetwork net = train(x, mode, PseudoInverseOptions.DEFAULTS);
      TrainingRecord rec = net.history().get(0);
      assertEquals(4, rank(rec), mode.id());
      assertEquals("eigen", rec.options().get("solver"));
      assertEquals(7, net.storedPatterns());
      for (int k = 0; k < 5; k++) {
        assertTrue(fixedPoint(net, x[k]), mode + " pattern " + k);
      }
      // a second call of only stored patterns adds nothing
      TrainingRecord again =
          PseudoInverseRule.create().train(net, PatternBlock.of(base[0], base[2]), true, null);
      assertEquals(4, rank(again));
      assertEquals("0", again.options().get("rank_added"));
    }
    TrainingRecord independent =
        train(base, WeightsMode.AUTO, PseudoInverseOptions.DEFAULTS).history().get(0);
    assertEquals("cholesky", independent.options().get("solver"));
  }

  @Test
  void aStatedToleranceDecidesWhatCountsAsDependent() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 40;
    float[][] x = bipolar(r, 3, n);
    float[] near = x[0].clone();
    near[5] = -near[5]; // one value away from pattern 0: distance 2, relative 2/sqrt(40)
    float[][] all = {x[0], x[1], x[2], near};
    assertEquals(
        4, rank(train(all, WeightsMode.AUTO, PseudoInverseOptions.DEFAULTS).history().get(0)));
    TrainingRecord loose =
        train(all, WeightsMode.AUTO, PseudoInverseOptions.DEFAULTS.withTolerance(0.5))
            .history()
            .get(0);
    assertEquals(3, rank(loose));
    assertEquals("0.500000", loose.options().get("tolerance"));
  }

  @Test
  void aRidgeShrinksTowardsHebbAndIsKeptByTheModel() {
    SplittableRandom r = new SplittableRandom(12);
    float[][] x = bipolar(r, 5, 30);
    AmariHopfieldNetwork net =
        train(
            x,
            WeightsMode.AUTO,
            PseudoInverseOptions.DEFAULTS.withZeroDiagonal(false).withRidge(30));
    // with λ = N each stored pattern's own field is about half of it: x·W x ≈ N/2
    float[] h = field(net, x[0]);
    double overlap = 0;
    for (int i = 0; i < 30; i++) {
      overlap += h[i] * x[0][i];
    }
    assertTrue(overlap > 10 && overlap < 20, "overlap " + overlap);
    float[] before = net.weightMatrix();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PseudoInverseRule.create(PseudoInverseOptions.DEFAULTS.withRidge(1))
                    .train(net, PatternBlock.of(bipolar(r, 1, 30)), true, null));
    assertTrue(e.getMessage().contains("ridge 1.0 differs from the model's 30.0"), e.getMessage());
    assertArrayEquals(before, net.weightMatrix());
    assertEquals(1, net.history().size());
  }

  /**
   * More patterns than neurons: without a ridge the projection onto their span (rank N), with a
   * ridge a refusal that names the ridge and the limit (it said "numerical noise in the patterns?"
   * for 80 random ±1 patterns of N = 64), in one call and across two, the model left as it was.
   */
  @Test
  void moreThanNPatternsWithARidgeAreRefusedNamingTheRidge() {
    SplittableRandom r = new SplittableRandom(21);
    int n = 32;
    float[][] x = bipolar(r, 40, n);
    AmariHopfieldNetwork plain = train(x, WeightsMode.AUTO, PseudoInverseOptions.DEFAULTS);
    assertEquals(n, rank(plain.history().get(0)));
    for (int first : new int[] {0, 30}) {
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
      PseudoInverseRule rule = PseudoInverseRule.create(PseudoInverseOptions.DEFAULTS.withRidge(1));
      if (first > 0) {
        rule.train(net, PatternBlock.of(java.util.Arrays.copyOf(x, first)), true, null);
      }
      float[] before = net.weightMatrix();
      float[][] rest = java.util.Arrays.copyOfRange(x, first, x.length);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> rule.train(net, PatternBlock.of(rest), true, null));
      assertTrue(
          e.getMessage().startsWith("with a ridge (1.0) every pattern is a direction of its own")
              && e.getMessage().contains("at most N = 32")
              && e.getMessage().contains("would make 40"),
          e.getMessage());
      assertArrayEquals(before, net.weightMatrix());
      assertEquals(first > 0 ? 1 : 0, net.history().size());
    }
  }

  @Test
  void doesNotContinueWeightsOfOtherRulesAndHebbDoesNotContinueIt() {
    SplittableRandom r = new SplittableRandom(13);
    float[][] x = bipolar(r, 5, 40);
    for (WeightsMode mode : WeightsMode.values()) {
      AmariHopfieldNetwork hebb = AmariHopfieldNetwork.create(40, Dynamics.DEFAULT, mode);
      HebbianTrainer.create(hebb).train(x);
      float[] w = hebb.weightMatrix();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PseudoInverseRule.create().train(hebb, PatternBlock.of(x), true, null));
      assertTrue(e.getMessage().contains("another rule"), e.getMessage());
      assertArrayEquals(w, hebb.weightMatrix());

      AmariHopfieldNetwork pinv = train(x, mode, PseudoInverseOptions.DEFAULTS);
      Weights before = pinv.weights();
      float[] wp = pinv.weightMatrix();
      for (HebbianRule rule :
          new HebbianRule[] {
            HebbianRule.hebbian(HebbianOptions.DEFAULTS),
            HebbianRule.antiHebbian(HebbianOptions.DEFAULTS)
          }) {
        IllegalArgumentException e2 =
            assertThrows(
                IllegalArgumentException.class,
                () -> rule.train(pinv, PatternBlock.of(x[0]), true, null));
        assertTrue(e2.getMessage().startsWith(rule.name() + " does not continue a pseudo-inverse"));
        assertSame(before, pinv.weights());
        assertArrayEquals(wp, pinv.weightMatrix());
        assertEquals(1, pinv.history().size());
      }
    }
  }

  @Test
  void storkeyContinuesPseudoInverseWeightsWhichThenAreNoLongerAProjection() {
    SplittableRandom r = new SplittableRandom(14);
    float[][] x = bipolar(r, 5, 40);
    AmariHopfieldNetwork net = train(x, WeightsMode.AUTO, PseudoInverseOptions.DEFAULTS);
    StorkeyRule.create().train(net, PatternBlock.of(bipolar(r, 2, 40)), true, null);
    assertTrue(net.weights().isDense());
    assertTrue(!((DenseWeights) net.weights()).isProjection());
    assertThrows(
        IllegalArgumentException.class,
        () -> PseudoInverseRule.create().train(net, PatternBlock.of(x[0]), true, null));
  }

  /**
   * The default tolerance stops growing at 1/16 (N = 2^19): at N = 2^23, {@code N·2⁻²³} is 1, which
   * dropped every pattern (effective rank 0, W = 0) however orthogonal the patterns were.
   */
  @Test
  void theDefaultToleranceOfLongPatternsStaysBelowOne() {
    assertEquals(0x1p-5, PseudoInverseOptions.DEFAULTS.toleranceFor(3, 1 << 18));
    assertEquals(0x1p-4, PseudoInverseOptions.DEFAULTS.toleranceFor(3, 1 << 19));
    assertEquals(0x1p-4, PseudoInverseOptions.DEFAULTS.toleranceFor(1 << 30, 1 << 23));
    assertEquals(0x1p-4, PseudoInverseOptions.DEFAULTS.toleranceFor(3, Integer.MAX_VALUE));
    int n = 1 << 23;
    float[][] x = new float[2][n];
    for (int i = 0; i < n; i++) {
      x[0][i] = 1f;
      x[1][i] = (i & 1) == 0 ? 1f : -1f; // orthogonal to the first
    }
    TrainingRecord rec =
        train(x, WeightsMode.LOW_RANK, PseudoInverseOptions.DEFAULTS).history().get(0);
    assertEquals(2, rank(rec));
    assertEquals(
        String.format(java.util.Locale.ROOT, "%.6g", 0x1p-4), rec.options().get("tolerance"));
  }

  @Test
  void theRecordNamesRuleOptionsAndRank() {
    float[][] x = bipolar(new SplittableRandom(15), 3, 20);
    TrainingRecord rec = train(x, WeightsMode.AUTO, PseudoInverseOptions.DEFAULTS).history().get(0);
    assertEquals("pseudo-inverse", rec.rule());
    assertEquals("true", rec.options().get("zero_diagonal"));
    assertEquals("0.0", rec.options().get("ridge"));
    assertEquals(
        String.format(java.util.Locale.ROOT, "%.6g", 20 * 0x1p-23), rec.options().get("tolerance"));
    assertEquals("3", rec.options().get("effective_rank"));
    assertTrue(Float.isNaN(rec.rho()));
    assertTrue(rec.stores());
  }

  @Test
  void growingKeepsAProjectionOfThePaddedPatterns() {
    SplittableRandom r = new SplittableRandom(16);
    float[][] x = bipolar(r, 4, 30);
    for (WeightsMode mode : new WeightsMode[] {WeightsMode.LOW_RANK, WeightsMode.DENSE}) {
      AmariHopfieldNetwork net =
          train(x, mode, PseudoInverseOptions.DEFAULTS.withZeroDiagonal(false));
      float[][] y = bipolar(r, 2, 40); // longer patterns: the network grows to 40 neurons
      PseudoInverseRule.create(PseudoInverseOptions.DEFAULTS.withZeroDiagonal(false))
          .train(net, PatternBlock.of(y), true, null);
      assertEquals(40, net.numNeurons());
      assertEquals(6, rank(net.history().get(1)));
      for (float[] yk : y) {
        assertTrue(fixedPoint(net, yk), mode.id());
      }
    }
  }

  @Test
  void aGramMatrixComputedElsewhereGivesTheSameCall() {
    SplittableRandom r = new SplittableRandom(17);
    int p = 12;
    int n = 40;
    float[][] x = correlated(r, p, n, 0.3);
    double[] g = new double[p * p]; // B Bᵀ in float64, as a cluster would sum it
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < n; k++) {
          g[i * p + j] += (double) x[i][k] * x[j][k];
        }
      }
    }
    for (double ridge : new double[] {0, 3}) {
      PseudoInverseRule rule =
          PseudoInverseRule.create(PseudoInverseOptions.DEFAULTS.withRidge(ridge));
      AmariHopfieldNetwork want = AmariHopfieldNetwork.create(n);
      rule.train(want, PatternBlock.of(x), true, null);
      AmariHopfieldNetwork got = AmariHopfieldNetwork.create(n);
      got.apply(rule.prepare(PatternBlock.of(x), g), true, null);
      float[] w = want.weightMatrix();
      float[] v = got.weightMatrix();
      double diff = 0;
      double max = 0;
      for (int i = 0; i < w.length; i++) {
        diff = Math.max(diff, Math.abs(w[i] - v[i]));
        max = Math.max(max, Math.abs(w[i]));
      }
      assertTrue(diff <= 1e-5 * max, "ridge " + ridge + ": " + diff + " of " + max);
      assertEquals(want.history(), got.history());
    }
    // only for weights that store nothing yet; a failed call leaves the network as it was
    PseudoInverseRule rule = PseudoInverseRule.create();
    AmariHopfieldNetwork more = AmariHopfieldNetwork.create(n);
    rule.train(more, PatternBlock.of(x[0]), true, null);
    float[] before = more.weightMatrix();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> more.apply(rule.prepare(PatternBlock.of(x), g), true, null));
    assertTrue(e.getMessage().contains("effective rank 1"), e.getMessage());
    assertArrayEquals(before, more.weightMatrix());
    assertEquals(1, more.history().size());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> rule.prepare(PatternBlock.of(x), new double[5]));
    assertTrue(e.getMessage().contains("expected P x P = 144"), e.getMessage());
  }
}
