package io.engram.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.DenseWeights;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link HebbianSums} against {@link HebbianRule} through {@code network.train}: bit for bit. */
class HebbianSumsTest {

  private static float[] randomPatterns(int p, int n, boolean bipolar, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] d = new float[p * n];
    for (int i = 0; i < d.length; i++) {
      d[i] = bipolar ? (r.nextBoolean() ? 1f : -1f) : (float) (r.nextGaussian() * 0.7 + 0.3);
    }
    return d;
  }

  /** S = Σ t tᵀ the way the rule accumulates it (the same kernel, divisor 1, no negation). */
  private static float[] sums(PatternBlock block, HebbianRule rule) {
    float rho = rule.rho(block.stats());
    float[] t = block.toArray();
    if (rule.hebbianOptions().subtractMean()) {
      for (int i = 0; i < t.length; i++) {
        t[i] = t[i] - rho;
      }
    }
    DenseWeights s = DenseWeights.zeros(block.length());
    s.plusGram(t, block.count(), 0f, 1f, false, null);
    return s.toDenseArray();
  }

  private static void assertSameNetwork(AmariHopfieldNetwork want, AmariHopfieldNetwork got) {
    assertEquals(want.numNeurons(), got.numNeurons());
    assertArrayEquals(want.weightMatrix(), got.weightMatrix());
    assertArrayEquals(want.state(), got.state());
    assertEquals(want.history(), got.history());
  }

  @Test
  void matchesTheRuleForEveryOptionAndSign() {
    for (int mask = 0; mask < 16; mask++) {
      HebbianOptions o =
          new HebbianOptions((mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0, true);
      HebbianRule rule = (mask & 8) != 0 ? HebbianRule.antiHebbian(o) : HebbianRule.hebbian(o);
      for (boolean bipolar : new boolean[] {true, false}) {
        AmariHopfieldNetwork want = AmariHopfieldNetwork.create(13);
        AmariHopfieldNetwork got = AmariHopfieldNetwork.create(13);
        // two successive calls: the second builds on the first (diagonal kept when not zeroed)
        for (int call = 0; call < 2; call++) {
          PatternBlock b =
              PatternBlock.ofRows(
                  randomPatterns(5 + call, 13, bipolar, mask * 7L + call), 5 + call, 13);
          rule.train(want, b, true, null);
          HebbianSums.apply(got, rule, sums(b, rule), 13, b.count(), rule.rho(b.stats()), true);
          assertSameNetwork(want, got);
        }
      }
    }
  }

  @Test
  void resizesLikeTheRule() {
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    for (boolean preserve : new boolean[] {true, false}) {
      for (int newN : new int[] {6, 15}) {
        AmariHopfieldNetwork want = AmariHopfieldNetwork.create(10);
        AmariHopfieldNetwork got = AmariHopfieldNetwork.create(10);
        PatternBlock first = PatternBlock.ofRows(randomPatterns(3, 10, true, 1), 3, 10);
        rule.train(want, first, preserve, null);
        rule.train(got, first, preserve, null);
        PatternBlock b = PatternBlock.ofRows(randomPatterns(4, newN, false, 2), 4, newN);
        rule.train(want, b, preserve, null);
        HebbianSums.apply(got, rule, sums(b, rule), newN, 4, rule.rho(b.stats()), preserve);
        assertSameNetwork(want, got);
      }
    }
  }

  @Test
  void zeroPatternsIsANoOp() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(4);
    assertNull(
        HebbianSums.apply(
            net, HebbianRule.hebbian(HebbianOptions.DEFAULTS), new float[16], 4, 0, 0f, true));
    assertEquals(0, net.history().size());
  }

  @Test
  void badInputChangesNothing() {
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(3);
    float[] before = net.weightMatrix();
    float[] bad = new float[16];
    bad[5] = Float.POSITIVE_INFINITY;
    assertThrows(
        IllegalArgumentException.class, () -> HebbianSums.apply(net, rule, bad, 4, 2, 0f, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> HebbianSums.apply(net, rule, new float[15], 4, 2, 0f, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> HebbianSums.apply(net, rule, new float[16], 4, -1, 0f, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> HebbianSums.apply(net, rule, new float[16], 4, 2, Float.NaN, true));
    assertEquals(3, net.numNeurons());
    assertArrayEquals(before, net.weightMatrix());
    assertEquals(0, net.history().size());
  }

  @Test
  void magnitudeGuardMatchesTheRuleCheck() {
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS.withSubtractMean(false));
    PatternBlock huge = PatternBlock.of(new float[] {1e19f, 1f}, new float[] {1f, 1f});
    IllegalArgumentException a =
        assertThrows(IllegalArgumentException.class, () -> rule.prepare(huge));
    IllegalArgumentException b =
        assertThrows(IllegalArgumentException.class, () -> HebbianRule.checkMagnitude(1e19f, 2));
    assertEquals(a.getMessage(), b.getMessage());
    HebbianRule.checkMagnitude(1f, 1_000_000);
  }
}
