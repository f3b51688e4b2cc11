package io.engram.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.DenseWeights;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Storkey rule: its published capacity, continuation, and the guards around it. */
class StorkeyRuleTest {

  private static float[][] bipolar(SplittableRandom r, int p, int n) {
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    return x;
  }

  private static boolean stable(Weights w, float[] x) {
    float[] h = new float[x.length];
    w.multiply(x, h);
    for (int i = 0; i < x.length; i++) {
      if (Math.signum(h[i]) != x[i]) {
        return false;
      }
    }
    return true;
  }

  /** The share of stored patterns that are fixed points, over independent random sets. */
  private static double stableShare(LearningRule rule, int n, int p, int trials, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int stable = 0;
    for (int t = 0; t < trials; t++) {
      float[][] x = bipolar(r, p, n);
      AmariHopfieldNetwork net =
          AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, WeightsMode.DENSE);
      rule.train(net, PatternBlock.of(x), true, null);
      for (float[] xk : x) {
        stable += stable(net.weights(), xk) ? 1 : 0;
      }
    }
    return (double) stable / ((double) trials * p);
  }

  /**
   * Storkey's capacity for random ±1 patterns, N = 100, zero diagonal: about 1.00, 0.99, 0.89 and
   * 0.35 of the stored patterns stable at P = 20, 30, 40, 60 (a numpy run of the same rule, 100
   * sets each: 1.000, 0.990, 0.899, 0.362). 50 sets per point; the bounds are about 3 standard
   * errors of the share (patterns of one set are not independent, so the errors are taken twice the
   * binomial ones).
   */
  @Test
  void storesAsManyRandomPatternsAsPublished() {
    StorkeyRule rule = StorkeyRule.create();
    int trials = 50;
    assertTrue(stableShare(rule, 100, 20, trials, 1) >= 0.995);
    assertEquals(0.99, stableShare(rule, 100, 30, trials, 2), 0.015);
    assertEquals(0.89, stableShare(rule, 100, 40, trials, 3), 0.035);
    assertEquals(0.35, stableShare(rule, 100, 60, trials, 4), 0.06);
    // the Hebbian rule on the same sets holds far fewer
    double hebb = stableShare(HebbianRule.hebbian(HebbianOptions.DEFAULTS), 100, 30, trials, 2);
    assertTrue(hebb < 0.5, "Hebbian share at P = 30: " + hebb);
  }

  @Test
  void successiveCallsContinueTheSameSequence() {
    SplittableRandom r = new SplittableRandom(5);
    float[][] x = bipolar(r, 6, 70);
    AmariHopfieldNetwork once = AmariHopfieldNetwork.create(70);
    StorkeyRule.create().train(once, PatternBlock.of(x), true, null);
    AmariHopfieldNetwork twice = AmariHopfieldNetwork.create(70);
    StorkeyRule.create().train(twice, PatternBlock.of(x[0], x[1], x[2]), true, null);
    StorkeyRule.create().train(twice, PatternBlock.of(x[3], x[4], x[5]), true, null);
    assertArrayEquals(once.weightMatrix(), twice.weightMatrix());
    assertEquals(6, twice.storedPatterns());
    assertEquals("storkey", twice.history().get(1).rule());
    assertEquals("true", twice.history().get(1).options().get("zero_diagonal"));
  }

  @Test
  void continuesHebbianWeightsFromTheirDenseForm() {
    SplittableRandom r = new SplittableRandom(6);
    float[][] a = bipolar(r, 5, 60);
    float[][] b = bipolar(r, 3, 60);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(60); // AUTO: Hebb stays low-rank
    HebbianTrainer.create(net).train(a);
    DenseWeights start = DenseWeights.of(60, net.weightMatrix());
    StorkeyRule.create().train(net, PatternBlock.of(b), true, null);
    assertTrue(net.weights().isDense());
    start.plusStorkey(PatternBlock.of(b).toArray(), 3, true, null);
    assertArrayEquals(start.toDenseArray(), net.weightMatrix());
  }

  @Test
  void needsDenseWeights() {
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(30, Dynamics.DEFAULT, WeightsMode.LOW_RANK);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StorkeyRule.create()
                    .train(
                        net, PatternBlock.of(bipolar(new SplittableRandom(1), 2, 30)), true, null));
    assertTrue(e.getMessage().contains("storkey needs dense weights"), e.getMessage());
    assertEquals(0, net.history().size());
  }

  @Test
  void anUpdateThatWouldOverflowLeavesTheNetworkAsItWas() {
    SplittableRandom r = new SplittableRandom(7);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(20, Dynamics.DEFAULT, WeightsMode.DENSE);
    StorkeyRule.create().train(net, PatternBlock.of(bipolar(r, 2, 20)), true, null);
    Weights before = net.weights();
    float[] w = net.weightMatrix();
    float[][] huge = bipolar(r, 40, 20);
    for (float[] row : huge) {
      for (int i = 0; i < row.length; i++) {
        row[i] *= 1e6f;
      }
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StorkeyRule.create().train(net, PatternBlock.of(huge), true, null));
    assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    assertSame(before, net.weights());
    assertArrayEquals(w, net.weightMatrix());
    assertEquals(1, net.history().size());
  }

  @Test
  void reportsProgressPerPattern() {
    SplittableRandom r = new SplittableRandom(8);
    float[][] x = bipolar(r, 4, 25);
    List<long[]> calls = new ArrayList<>();
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(25);
    StorkeyRule.create()
        .train(net, PatternBlock.of(x), true, (done, total) -> calls.add(new long[] {done, total}));
    assertEquals(4, calls.size());
    for (int k = 0; k < 4; k++) {
      assertArrayEquals(new long[] {(k + 1) * 625L, 4 * 625L}, calls.get(k));
    }
    // a listener changes nothing (one that throws is dropped by the kernels' WorkReport, tested
    // with the training update in TrainingListenerTest)
    AmariHopfieldNetwork quiet = AmariHopfieldNetwork.create(25);
    StorkeyRule.create().train(quiet, PatternBlock.of(x), true, null);
    assertArrayEquals(quiet.weightMatrix(), net.weightMatrix());
  }
}
