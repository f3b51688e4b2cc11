package io.engram.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
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
  void everyTrainOverloadNamesANullPatternsAlike() {
    Trainer t = HebbianTrainer.create(io.engram.network.AmariHopfieldNetwork.create(6));
    // train((float[][]) null) was an IllegalArgumentException "patterns is null", the others a
    // NullPointerException "patterns"
    named("patterns", () -> t.train((PatternBlock) null));
    named("patterns", () -> t.train((PatternBlock) null, null));
    named("patterns", () -> t.train((float[][]) null));
    named("patterns", () -> t.train((java.util.List<float[]>) null));
    named("patterns", () -> PatternBlock.of((float[][]) null));
    named("patterns", () -> PatternBlock.of((java.util.List<float[]>) null));
    named("patterns", () -> PatternBlock.of((double[][]) null));
    named("data", () -> PatternBlock.ofRows((float[]) null, 0, 0));
    named("data", () -> PatternBlock.ofRows((java.nio.FloatBuffer) null, 0, 0));
    // a null row is bad data, named by its index
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.train(A, null));
    assertEquals("pattern 1 is null", e.getMessage());
    assertEquals(0, t.network().storedPatterns());
  }

  @Test
  void aNegativePatternCountPassesNoMagnitudeCheck() {
    HebbianRule.checkMagnitude(1e18f, 1);
    // a negative bound passed every magnitude, however large
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HebbianRule.checkMagnitude(1e30f, -1));
    assertEquals("the number of patterns must be >= 0, got -1", e.getMessage());
  }

  @Test
  void aDefaultToleranceForNegativeSizesIsRefused() {
    // toleranceFor(-1, -1) was -2^-23, a tolerance no option may have
    for (int[] pn : new int[][] {{-1, -1}, {-1, 4}, {4, -1}}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PseudoInverseOptions.DEFAULTS.toleranceFor(pn[0], pn[1]));
      assertEquals(
          "the number of patterns and their length must be >= 0, got P = "
              + pn[0]
              + ", N = "
              + pn[1],
          e.getMessage());
    }
    assertEquals(0.0, PseudoInverseOptions.DEFAULTS.toleranceFor(0, 0));
    assertEquals(100 * 0x1p-23, PseudoInverseOptions.DEFAULTS.toleranceFor(3, 100));
    assertEquals(0.25, PseudoInverseOptions.DEFAULTS.withTolerance(0.25).toleranceFor(3, 100));
  }

  /**
   * Patterns so close to dependent (large equal offsets, small differences: a float32 file read as
   * int32) that the float32 Gram matrix cannot orthonormalize them: the call is refused, naming the
   * cause and the cures. It stored rows of squared length 1.03 where the rule makes 1, and the
   * model written from them was refused by its own reader ("row 1 of V.npy has squared length
   * 1.0322509, expected 1"). A tolerance that drops those directions stores the rest.
   */
  @Test
  void patternsTooCloseToDependentForFloat32AreRefused() {
    float[][] x = {
      {32831, 32959, 32831, 32959, 32831, 32959, 32831, 32831},
      {32831, 32831, 32959, 32959, 32831, 32831, 32959, 32831},
      {32959, 32831, 32831, 32959, 32959, 32831, 32831, 32831}
    };
    for (io.engram.weights.WeightsMode mode : io.engram.weights.WeightsMode.values()) {
      io.engram.network.AmariHopfieldNetwork net = io.engram.network.AmariHopfieldNetwork.create(8);
      net.setWeightsMode(mode);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PseudoInverseRule.create().train(net, PatternBlock.of(x), true, null));
      // the length's last digits are the kernels' (1.0322509 with the SIMD ones, 1.0322399 with
      // the plain-Java ones of the -Pno-simd run: other summation orders)
      assertTrue(
          e.getMessage()
              .matches(
                  "the patterns are too close to dependent for the pseudo-inverse in float32:"
                      + " direction 1 of this call came out with squared length 1\\.032[0-9]*, not"
                      + " 1 \\(the float32 Gram matrix X Xᵀ is too inexact for it\\); drop such"
                      + " directions with a larger tolerance, or use a ridge"),
          mode.id() + ": " + e.getMessage());
      assertEquals(0, net.storedPatterns(), "nothing stored");
    }
    io.engram.network.AmariHopfieldNetwork net = io.engram.network.AmariHopfieldNetwork.create(8);
    PseudoInverseRule.create(PseudoInverseOptions.DEFAULTS.withTolerance(0.01))
        .train(net, PatternBlock.of(x), true, null);
    assertEquals(3, net.storedPatterns());
  }

  /**
   * A training listener that trains, resizes, converts, recalls or takes the energy of the network
   * it reports on is refused (IllegalStateException), and the outer call completes alone: a dense
   * call's listener that trained the same network left weights equal to neither order of the two
   * calls (the outer call wrote its result over the inner one's) while the history listed both.
   */
  @Test
  void aTrainingListenerCannotTrainTheNetworkItReportsOn() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    float[][] first = new float[3][64];
    float[][] outer = new float[4][64];
    for (float[][] ps : new float[][][] {first, outer}) {
      for (float[] row : ps) {
        for (int i = 0; i < row.length; i++) {
          row[i] = r.nextBoolean() ? 1 : -1;
        }
      }
    }
    for (LearningRule rule :
        new LearningRule[] {HebbianRule.hebbian(HebbianOptions.DEFAULTS), StorkeyRule.create()}) {
      AmariHopfieldNetwork net =
          AmariHopfieldNetwork.create(64, Dynamics.DEFAULT, io.engram.weights.WeightsMode.DENSE);
      Trainer trainer = Trainer.of(net, rule, true);
      trainer.train(first);
      java.util.List<String> refused = new java.util.ArrayList<>();
      trainer.train(
          PatternBlock.of(outer),
          (done, total) -> {
            for (Runnable call :
                new Runnable[] {
                  () -> trainer.train(first[0]),
                  () -> net.resize(10, true),
                  () -> net.setWeightsMode(io.engram.weights.WeightsMode.AUTO),
                  () -> net.recall(first[0]), // W may be half updated: no recall, no energy
                  () -> net.energy(first[0])
                }) {
              try {
                call.run();
              } catch (IllegalStateException e) {
                refused.add(e.getMessage());
              }
            }
          });
      assertFalse(refused.isEmpty(), rule.name() + ": the listener was not called");
      assertEquals(
          "cannot train the network from within one of its training calls (a training listener"
              + " that calls back into it): do it after the call returns",
          refused.get(0));
      assertTrue(
          refused.get(1).startsWith("cannot resize the network from within"), refused.get(1));
      assertTrue(
          refused.get(2).startsWith("cannot convert the network from within"), refused.get(2));
      assertTrue(
          refused.get(3).startsWith("cannot recall the network from within"), refused.get(3));
      assertTrue(
          refused.get(4).startsWith("cannot take the energy of the network from within"),
          refused.get(4));
      AmariHopfieldNetwork alone =
          AmariHopfieldNetwork.create(64, Dynamics.DEFAULT, io.engram.weights.WeightsMode.DENSE);
      Trainer t2 = Trainer.of(alone, rule, true);
      t2.train(first);
      t2.train(outer);
      assertArrayEquals(alone.weightMatrix(), net.weightMatrix(), rule.name());
      assertEquals(2, net.history().size());
      assertEquals(64, net.numNeurons());
      trainer.train(first[0]); // and after the call, training goes on as usual
      assertEquals(3, net.history().size());
    }
  }

  /** A double beyond float32 is named as such, not as "a non-finite value 1.0E300". */
  @Test
  void aDoubleBeyondFloat32IsNamedAsSuch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PatternBlock.of(new double[][] {{1, -1}, {1, -1e300}}));
    assertEquals(
        "pattern 1 has a value -1.0E300 at index 1, beyond the float32 range (at most "
            + Float.MAX_VALUE
            + " in magnitude)",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PatternBlock.of(new double[][] {{1, Double.NaN}}));
    assertEquals("pattern 0 has a non-finite value NaN at index 1", e.getMessage());
  }

  /**
   * A ridge of -0.0 was kept as given: the model's options and history read "ridge=-0.0", and its
   * file carried it on.
   */
  @Test
  void aNegativeZeroRidgeIsZero() {
    PseudoInverseOptions o = PseudoInverseOptions.DEFAULTS.withRidge(-0.0).withTolerance(-0.0);
    assertEquals(0.0, o.ridge());
    assertEquals(0.0, o.tolerance());
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(o.ridge()));
    assertEquals(PseudoInverseOptions.DEFAULTS.withTolerance(0), o);
    io.engram.network.AmariHopfieldNetwork net = io.engram.network.AmariHopfieldNetwork.create(6);
    PseudoInverseRule.create(PseudoInverseOptions.DEFAULTS.withRidge(-0.0))
        .train(net, PatternBlock.of(A), true, null);
    assertEquals("0.0", net.history().get(0).options().get("ridge"));
  }
}
