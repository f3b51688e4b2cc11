package io.engram.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.Patterns;
import io.engram.learning.HebbianTrainer;
import io.engram.weights.LowRankWeights;
import io.engram.weights.WeightsMode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * equals, hashCode and toString of the value types that hold arrays: records compare arrays by
 * reference and print them as {@code [F@1b6d3586}, so two recalls of the same cue were unequal.
 */
class ValueTypesTest {

  private static final float[][] PATTERNS = {
    {1, -1, 1, -1, 1, 1, -1, -1}, {-1, -1, 1, 1, -1, 1, 1, -1}
  };

  @Test
  void recallResultsOfTheSameValuesAreEqual() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(8);
    HebbianTrainer.create(net).train(PATTERNS);
    RecallResult a = net.recall(PATTERNS[0].clone());
    RecallResult b = net.recall(PATTERNS[0].clone());
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(
        "RecallResult[state="
            + Arrays.toString(PATTERNS[0])
            + ", steps=1, converged=true, energy="
            + a.energy()
            + ", matches=[]]",
        a.toString());
    RecallResult other = net.recall(PATTERNS[1].clone());
    assertNotEquals(a, other);
    float[] changed = a.state().clone();
    changed[7] = -changed[7];
    assertNotEquals(a, new RecallResult(changed, a.steps(), a.converged(), a.energy()));
    assertNotEquals(a, new RecallResult(a.state(), a.steps() + 1, a.converged(), a.energy()));
    assertNotEquals(
        a,
        new RecallResult(
            a.state(),
            a.steps(),
            a.converged(),
            a.energy(),
            List.of(new RecallResult.Match(0, 1f))));
    // NaN energies (reporting off) are equal, as Double.equals has them
    assertEquals(
        new RecallResult(new float[] {1}, 0, false, Double.NaN),
        new RecallResult(new float[] {1}, 0, false, Double.NaN));
  }

  @Test
  void aLongStateIsShownByItsFirstValuesAndLength() {
    String s = new RecallResult(new float[100], 3, false, -1.5).toString();
    assertTrue(s.startsWith("RecallResult[state=[0.0, 0.0, "), s);
    assertTrue(s.contains(", ... (100 values)], steps=3, converged=false, energy=-1.5"), s);
    assertFalse(s.contains("[F@"), s);
  }

  @Test
  void aTrainingRecordShowsShortPartsInFullAndLongOnesAbbreviated() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("subtract_mean", "true");
    options.put("ridge", "0.5");
    // as a record shows its parts (a map as AbstractMap.toString does)
    assertEquals(
        "TrainingRecord[rule=hebbian, options={subtract_mean=true, ridge=0.5}, patterns=2,"
            + " neurons=4, rho=0.25, stores=false]",
        new TrainingRecord("hebbian", options, 2, 4, 0.25f, false).toString());
    assertEquals(
        "TrainingRecord[rule=x, options={}, patterns=0, neurons=0, rho=NaN, stores=true]",
        new TrainingRecord("x", Map.of(), 0, 0, Float.NaN).toString());

    int atMost = TrainingRecord.LONGEST;
    String edge = "v".repeat(atMost);
    assertTrue(
        new TrainingRecord("r", Map.of("k", edge), 1, 1, 0).toString().contains("k=" + edge + "}"));

    String big = "a".repeat(10_000_000);
    String s =
        new TrainingRecord(
                "r".repeat(atMost + 1), Map.of("k".repeat(atMost + 1), big), 1, 1, Float.NaN)
            .toString();
    assertTrue(s.length() < 500, () -> s.length() + " characters");
    String shown = "a".repeat(TrainingRecord.SHOWN);
    assertTrue(s.contains("=" + shown + "... (10000000 characters)}"), s);
    assertTrue(s.startsWith("TrainingRecord[rule=r"), s);
    assertTrue(s.contains("... (" + (atMost + 1) + " characters), options={k"), s);
    assertTrue(s.contains("k... (" + (atMost + 1) + " characters)=a"), s);
    assertTrue(s.endsWith(", patterns=1, neurons=1, rho=NaN, stores=true]"), s);

    // a surrogate pair across the cut is left whole
    String pairs = "\uD83D\uDE00".repeat(atMost);
    String p = new TrainingRecord("r", Map.of("k", pairs), 1, 1, 0).toString();
    assertTrue(
        p.contains("k=" + pairs.substring(0, TrainingRecord.SHOWN) + "... (" + 2 * atMost), p);
    String shifted = "x" + pairs;
    String q = new TrainingRecord("r", Map.of("k", shifted), 1, 1, 0).toString();
    assertTrue(q.contains("k=" + shifted.substring(0, TrainingRecord.SHOWN - 1) + "... ("), q);
  }

  /** The settings, not {@code RecallOptions@1b6d3586}; listeners as set or none. */
  @Test
  void recallOptionsShowTheirSettings() {
    assertEquals(
        "RecallOptions[maxIterations=20, energyTolerance=off, stateTolerance=off, topK=1,"
            + " dynamics=the network's, stepListener=none, queryListener=none,"
            + " reportEnergy=true]",
        RecallOptions.defaults().toString());
    Dynamics d = Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(7));
    RecallOptions o =
        RecallOptions.defaults()
            .withMaxIterations(3)
            .withEnergyTolerance(0.5)
            .withStateTolerance(1e-6)
            .withTopK(0)
            .withDynamics(d)
            .withStepListener((query, iteration, energy, converged, change) -> {})
            .withQueryListener((query, done, total, result) -> {})
            .withReportEnergy(false);
    assertEquals(
        "RecallOptions[maxIterations=3, energyTolerance=0.5, stateTolerance=1.0E-6, topK=0,"
            + " dynamics="
            + d
            + ", stepListener=set, queryListener=set, reportEnergy=false]",
        o.toString());
    assertTrue(d.toString().contains("async(seed 7)"), d::toString);
  }

  @Test
  void aRecallResultOfANullOrANegativePartIsRefused() {
    assertEquals(
        "state",
        assertThrows(NullPointerException.class, () -> new RecallResult(null, 1, true, 0))
            .getMessage());
    assertEquals(
        "steps must be >= 0, got -1",
        assertThrows(
                IllegalArgumentException.class, () -> new RecallResult(new float[1], -1, true, 0))
            .getMessage());
    assertEquals(
        "matches",
        assertThrows(
                NullPointerException.class, () -> new RecallResult(new float[1], 1, true, 0, null))
            .getMessage());
    assertEquals(
        "match 1 is null",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new RecallResult(
                        new float[1],
                        1,
                        true,
                        0,
                        Arrays.asList(new RecallResult.Match(0, 1f), null)))
            .getMessage());
  }

  @Test
  void lowRankFactorsOfTheSameWeightsAreEqual() {
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(8, Dynamics.DEFAULT, WeightsMode.LOW_RANK);
    HebbianTrainer.create(net).train(PATTERNS);
    LowRankWeights w = (LowRankWeights) net.weights();
    List<LowRankWeights.Factor> a = w.factors();
    List<LowRankWeights.Factor> b = w.factors(); // copies of the arrays
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    LowRankWeights.Factor f = a.get(0);
    assertEquals(
        "Factor[patterns=float[16], rows=2, divisor=2.0, negate=false, zeroDiagonalAfter=true]",
        f.toString());
    assertNotEquals(
        f,
        new LowRankWeights.Factor(
            f.patterns(), f.rows(), f.divisor(), true, f.zeroDiagonalAfter()));
  }

  @Test
  void floatRowsOfTheSameValuesAreEqual() {
    Patterns.FloatRows a = new Patterns.FloatRows(new float[] {1, 2, 3, 4}, 2, 2);
    Patterns.FloatRows b = new Patterns.FloatRows(new float[] {1, 2, 3, 4}, 2, 2);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, new Patterns.FloatRows(new float[] {1, 2, 3, 4}, 1, 4));
    assertNotEquals(a, new Patterns.FloatRows(new float[] {1, 2, 3, 5}, 2, 2));
    assertEquals("FloatRows[2 x 2]", a.toString());
  }
}
