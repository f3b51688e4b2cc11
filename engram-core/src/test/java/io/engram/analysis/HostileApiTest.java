package io.engram.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments to the analysis API: named by an IllegalArgumentException. */
class HostileApiTest {

  private static final float[] A = {1, -1, 1, -1, 1, 1};
  private static final float[] B = {-1, -1, 1, 1, -1, 1};

  private static void refused(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /** A null argument: a NullPointerException whose message is the parameter's name. */
  private static void nullNamed(String parameter, Executable call) {
    assertEquals(parameter, assertThrows(NullPointerException.class, call).getMessage());
  }

  @Test
  void analyzerNamesNullsAndNonFiniteStatesInsteadOfNpesOrNaNOverlaps() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6);
    HebbianTrainer.create(net).train(A, B);
    PatternBlock stored = PatternBlock.of(A, B);
    // of(null, ...) was taken (a NullPointerException at the first use, naming nothing), of(net,
    // null) was one; then they were IllegalArgumentExceptions; now each null argument is named
    nullNamed("network", () -> HopfieldAnalyzer.of(null, stored));
    nullNamed("storedPatterns", () -> HopfieldAnalyzer.of(net, null));
    HopfieldAnalyzer analyzer = HopfieldAnalyzer.of(net, stored);
    nullNamed("a", () -> HopfieldAnalyzer.overlap(null, A));
    nullNamed("b", () -> HopfieldAnalyzer.overlap(A, null));
    nullNamed("state", () -> analyzer.overlaps(null));
    nullNamed("state", () -> analyzer.bestMatch(null));
    nullNamed("input", () -> analyzer.analyzeRecall(null, A));
    nullNamed("output", () -> analyzer.analyzeRecall(A, null));
    nullNamed("state", () -> analyzer.energy(null));
    nullNamed("e", () -> analyzer.statistics(null));
    // a NaN state matched pattern 0 with overlap NaN, silently
    float[] nan = A.clone();
    nan[3] = Float.NaN;
    refused("non-finite value NaN at index 3", () -> analyzer.bestMatch(nan));
    refused("non-finite value Infinity at index 0", () -> HopfieldAnalyzer.overlap(B, inf()));
    assertEquals(1.0, analyzer.bestMatch(A).overlap());
  }

  private static float[] inf() {
    float[] v = A.clone();
    v[0] = Float.POSITIVE_INFINITY;
    return v;
  }

  @Test
  void estimateAndSymmetryErrorNameNullsAndABadRange() {
    // NullPointerExceptions from values.length and w.size()
    nullNamed("values", () -> Estimate.of(null, 0, 1));
    nullNamed("weights", () -> HopfieldAnalyzer.symmetryError(null));
    // a NaN bound made the interval NaN, a reversed range made low > high
    refused(
        "must have min <= max, got [NaN, 1.0]",
        () -> Estimate.of(new double[] {1, 2}, Double.NaN, 1));
    refused("must have min <= max, got [1.0, 0.0]", () -> Estimate.of(new double[] {1, 2}, 1, 0));
    Estimate e = Estimate.of(new double[] {1, 2}, 0, Double.POSITIVE_INFINITY);
    assertEquals(1.5, e.mean());
    assertTrue(e.low() >= 0 && e.high() > 2, e::toString);
  }

  @Test
  void sweepWorkRefusesNullsBadCountsAndWorkThatIsNoNumber() {
    int[] loads = {1, 2};
    double[] ok = {1, 2};
    // NullPointerExceptions from loads.clone(), pace.perSecondAt
    NullPointerException n =
        assertThrows(NullPointerException.class, () -> new SweepWork("m", null, 1, 1, ok, ok));
    assertEquals("loads", n.getMessage());
    n = assertThrows(NullPointerException.class, () -> new SweepWork("m", loads, 1, 1, null, ok));
    assertEquals("training", n.getMessage());
    CapacitySweep sweep =
        CapacitySweep.builder(
                MemoryFactory.classical(io.engram.learning.PseudoInverseRule.create()), 8)
            .loads(1, 2)
            .build();
    n = assertThrows(NullPointerException.class, () -> sweep.seconds(null));
    assertEquals("pace", n.getMessage());
    // these were taken: -1 trials, and a NaN (from a WorkModel of the caller's) that made every
    // time of the sweep NaN
    refused(
        "need trials >= 1 and iterations >= 0, got -1 and 1",
        () -> new SweepWork("m", loads, -1, 1, ok, ok));
    refused(
        "recall work of m at load P = 2 is NaN, expected a finite number >= 0",
        () -> new SweepWork("m", loads, 1, 1, ok, new double[] {1, Double.NaN}));
    refused(
        "training work of m at load P = 1 is -1.0",
        () -> new SweepWork("m", loads, 1, 1, new double[] {-1, 1}, ok));
    MemoryFactory nan =
        MemoryFactory.classical(io.engram.learning.PseudoInverseRule.create())
            .withWork(
                new WorkModel() {
                  @Override
                  public String name() {
                    return "mine";
                  }

                  @Override
                  public double training(int p, int n) {
                    return Double.NaN;
                  }

                  @Override
                  public double step(int p, int n) {
                    return 1;
                  }

                  @Override
                  public int defaultIterations() {
                    return 1;
                  }
                });
    refused(
        "training work of mine at load P = 1 is NaN",
        () -> CapacitySweep.builder(nan, 8).loads(1, 2).build().work());
    assertEquals(2, sweep.work().loads().length);
  }

  @Test
  void aFactoryThatBuildsNoMemoryIsNamed() {
    MemoryFactory none = patterns -> null;
    CapacitySweep sweep = CapacitySweep.builder(none, 8).loads(1, 2).trials(2).threads(1).build();
    // was a NullPointerException from memory.numNeurons()
    IllegalStateException e = assertThrows(IllegalStateException.class, sweep::run);
    assertEquals("the memory factory built no memory (null) at load P = 1, N = 8", e.getMessage());
  }

  @Test
  void aPaceAtNoNeuronsIsRefused() {
    CapacitySweep.Pace pace = new CapacitySweep.Pace(1e9, 1e8, 128, 0.5, 0);
    // both were the copy's own pace, as if N = 0 or -3 were a network
    refused("N must be >= 1, got 0", () -> pace.perSecondAt(0));
    refused("N must be >= 1, got -3", () -> pace.setupPerSecondAt(-3));
    assertEquals(1e9, pace.perSecondAt(1));
    assertEquals(2e9, pace.perSecondAt(512), 1e-3);
    assertEquals(1e8 * Math.sqrt(8), pace.setupPerSecondAt(4096), 1e-3); // grown up to N = 1024
  }

  /**
   * A cue made of nothing: a null row or scratch was a NullPointerException without a word (or, for
   * the row, from its length); a null generator was taken where nothing is drawn and failed only
   * where something is. Shares that are no number and -0.0 are the factory's to settle.
   */
  @Test
  void aCorruptionNamesANullRowScratchOrGenerator() {
    Corruption c = Corruption.of(0.25, 0.25, 0.25);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
    nullNamed("row", () -> c.apply(null, rnd, new int[4]));
    nullNamed("row", () -> c.apply(null, rnd));
    nullNamed("positions", () -> c.apply(new float[4], rnd, null));
    nullNamed("rnd", () -> c.apply(new float[4], null, new int[4]));
    // nothing drawn (every value occluded, or none corrupted): still refused, not taken
    nullNamed("rnd", () -> Corruption.of(0, 0, 1).apply(new float[4], null));
    nullNamed("rnd", () -> Corruption.flip(0).apply(new float[0], null));
    refused(
        "positions has 3 ints, fewer than the row's 4",
        () -> c.apply(new float[4], rnd, new int[3]));
    refused("erase must be in [0, 1], got NaN", () -> Corruption.of(0, Double.NaN, 0));
    refused(
        "occlude must be in [0, 1], got NaN",
        () ->
            CapacitySweep.builder(CapacitySweepTest.CANNS, 8).loads(1).occlude(Double.NaN).build());
    assertEquals(Corruption.of(0, 0, 0), Corruption.of(-0.0, -0.0, -0.0));
    assertEquals("none", Corruption.of(-0.0, -0.0, -0.0).toString());
    // an empty row: nothing to corrupt, nothing drawn
    assertEquals(0, c.apply(new float[0], rnd, new int[0]));
  }

  /**
   * An analyzer whose network was resized since it was made names that, not a "state has length 6,
   * expected 8" that the caller never passed.
   */
  @Test
  void anAnalyzerOfANetworkResizedSinceIsNamed() {
    float[] a = {1, -1, 1, -1, 1, 1};
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6);
    HebbianTrainer.create(net).train(a);
    HopfieldAnalyzer analyzer = HopfieldAnalyzer.of(net, PatternBlock.of(a));
    double[] before = analyzer.patternEnergies();
    net.resize(8, true);
    String expected =
        "the network has N = 8 now, but the analyzer's stored patterns have length 6 (the network"
            + " was resized after HopfieldAnalyzer.of): make a new analyzer";
    assertEquals(
        expected,
        assertThrows(IllegalStateException.class, analyzer::patternEnergies).getMessage());
    assertEquals(
        expected, assertThrows(IllegalStateException.class, analyzer::statistics).getMessage());
    net.resize(6, true);
    assertArrayEquals(before, analyzer.patternEnergies());
  }

  /**
   * The largest iteration bound a sweep takes: its modelled work counted {@code 1 + K} steps per
   * cue in int, which wrapped to -2^31 at K = Integer.MAX_VALUE, and the sweep refused to run
   * ("recall work of pseudo-inverse at load P = 1 is -1.2E11"). Recall stops at a fixed point, so
   * the points are those of any bound the recalls never reach.
   */
  @Test
  void theLargestIterationBoundIsCountedWithoutWrapping() {
    CapacitySweep.Builder b =
        CapacitySweep.builder(
                MemoryFactory.classical(io.engram.learning.PseudoInverseRule.create()), 8)
            .loads(1, 2)
            .trials(2)
            .threads(1);
    CapacitySweep most = b.maxIterations(Integer.MAX_VALUE).build();
    SweepWork w = most.work();
    assertEquals(Integer.MAX_VALUE, w.iterations());
    for (double r : w.recall()) {
      assertTrue(r > 1e9 && Double.isFinite(r), w::toString);
    }
    assertEquals(b.maxIterations(1000).build().run(), most.run());
  }

  /**
   * A value outside the quantity's own range made a mean outside its interval (values 5 and 1 of a
   * quantity in [0, 1]: mean 3, interval [0, 1]); finite values whose sum overflows made the mean
   * infinite and the interval NaN.
   */
  @Test
  void anEstimateRefusesValuesOutsideItsRangeAndSumsWithoutOverflow() {
    refused(
        "value 0 is 5.0, outside the quantity's range [0.0, 1.0]",
        () -> Estimate.of(new double[] {5, 1}, 0, 1));
    refused(
        "value 1 is -1.5, outside the quantity's range [-1.0, 1.0]",
        () -> Estimate.of(new double[] {1, -1.5}, -1, 1));
    refused("share 0 is 2.0, not in [0, 1]", () -> Estimate.ofShare(new double[] {2}, 10));
    double big = Double.MAX_VALUE;
    Estimate e = Estimate.of(new double[] {big, big, -big}, -big, big);
    assertEquals(big / 3, e.mean(), big * 1e-15);
    assertEquals(-big, e.low());
    assertEquals(big, e.high());
    Estimate same = Estimate.of(new double[] {big, big}, 0, Double.POSITIVE_INFINITY);
    assertEquals(big, same.mean());
    assertEquals(0.0, same.halfWidth());
    // ordinary values are summed as before, to the bit
    assertEquals(0.5, Estimate.of(new double[] {0.25, 0.75}, 0, 1).mean());
  }

  /** Work over no loads, or over loads out of order, was taken ("2 loads up to P = 1"). */
  @Test
  void sweepWorkTakesOnlyIncreasingLoads() {
    double[] two = {1, 2};
    refused("no loads", () -> new SweepWork("m", new int[0], 1, 1, new double[0], new double[0]));
    refused(
        "loads must be >= 1 and increase without repeats, got [2, 1]",
        () -> new SweepWork("m", new int[] {2, 1}, 1, 1, two, two));
    refused(
        "loads must be >= 1 and increase without repeats, got [0, 1]",
        () -> new SweepWork("m", new int[] {0, 1}, 1, 1, two, two));
    refused(
        "loads must be >= 1 and increase without repeats, got [3, 3]",
        () -> new SweepWork("m", new int[] {3, 3}, 1, 1, two, two));
    assertEquals(1, new SweepWork("m", new int[] {1, 3}, 1, 1, two, two).largestLoad());
  }

  /**
   * A load index outside the loads was an ArrayIndexOutOfBoundsException naming no argument (or a
   * share of 0 for work of nothing), and an infinite pace gave 0 seconds.
   */
  @Test
  void sweepWorkNamesALoadIndexOutOfRangeAndAPaceThatIsNoFiniteNumber() {
    double[] two = {1, 2};
    SweepWork w = new SweepWork("m", new int[] {1, 3}, 1, 1, two, two);
    refused("load index l is -1, expected 0..1 (one per load)", () -> w.share(-1));
    refused("load index l is 2, expected 0..1 (one per load)", () -> w.share(2));
    SweepWork none = new SweepWork("m", new int[] {4}, 1, 1, new double[1], new double[1]);
    refused("load index l is 1, expected 0..0 (one per load)", () -> none.share(1));
    assertEquals(0, none.share(0));
    assertEquals(two[1] * 2 / (2 * (two[0] + two[1])), w.share(1), 1e-15);
    for (double pace : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      refused("pace must be a finite number > 0, got " + pace, () -> w.seconds(pace));
    }
  }

  /** Energies that are no number made statistics of NaN throughout. */
  @Test
  void statisticsRefuseEnergiesThatAreNoNumber() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6);
    HebbianTrainer.create(net).train(A, B);
    HopfieldAnalyzer analyzer = HopfieldAnalyzer.of(net, PatternBlock.of(A, B));
    refused(
        "energy 1 is NaN, expected finite",
        () -> analyzer.statistics(new double[] {-1, Double.NaN}));
    refused(
        "energy 0 is -Infinity, expected finite",
        () -> analyzer.statistics(new double[] {Double.NEGATIVE_INFINITY, 1}));
    HopfieldAnalyzer.Statistics s = analyzer.statistics(new double[] {-3, -1});
    assertEquals(-2.0, s.meanEnergy());
    assertEquals(analyzer.statistics(), analyzer.statistics(analyzer.patternEnergies()));
  }
}
