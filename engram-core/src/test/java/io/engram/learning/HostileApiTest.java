package io.engram.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments to the learning API: named, never a NullPointerException from inside. */
class HostileApiTest {

  private static final float[] A = {1, -1, 1, -1, 1, 1};
  private static final float[] B = {-1, -1, 1, 1, -1, 1};

  private static void named(String parameter, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertEquals(parameter, e.getMessage());
  }

  @Test
  void rulesAndStatisticsNameANullArgument() {
    HebbianRule hebbian = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    // each was a NullPointerException from patterns.isEmpty(), stats.mean() or other.count
    named("patterns", () -> hebbian.prepare(null));
    named("patterns", () -> HebbianRule.antiHebbian(HebbianOptions.DEFAULTS).prepare(null));
    named("patterns", () -> PseudoInverseRule.create().prepare(null));
    named("patterns", () -> PseudoInverseRule.create().prepare(null, new double[] {1}));
    named("patterns", () -> StorkeyRule.create().prepare(null));
    named("stats", () -> hebbian.rho(null));
    named("other", () -> new PatternStats().combine(null));
    // as the rules' train already said
    named(
        "patterns",
        () -> hebbian.train(io.engram.network.AmariHopfieldNetwork.create(6), null, true, null));
    PatternStats s = new PatternStats().add(A).combine(new PatternStats().add(B));
    assertEquals(2, s.count());
  }

  @Test
  void aNegativePatternCountPassesNoMagnitudeCheck() {
    HebbianRule.checkMagnitude(1e18f, 1);
    // a negative bound passed every magnitude, however large
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HebbianRule.checkMagnitude(1e30f, -1));
    assertEquals("the number of patterns must be >= 0, got -1", e.getMessage());
  }
}
