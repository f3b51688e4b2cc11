package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.BlockedWeights;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.TrainingRecord;
import io.engram.spark.SparkHebbian.Strategy;
import io.engram.weights.Representation;
import io.engram.weights.WeightsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distributed training against the single-machine core on the same data. */
class SparkHebbianTest {

  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    sc = LocalSpark.context();
  }

  private static JavaRDD<float[]> rdd(float[][] x, int partitions) {
    return sc.parallelize(Arrays.asList(x), partitions);
  }

  private static AmariHopfieldNetwork core(int n0, HebbianRule rule, float[][]... calls) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n0);
    for (float[][] x : calls) {
      rule.train(net, PatternBlock.of(x), rule.hebbianOptions().preserveOnResize(), null);
    }
    return net;
  }

  private static void assertClose(float[] want, float[] got, double atol) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], atol, "element " + i);
    }
  }

  private static void assertSameHistory(AmariHopfieldNetwork want, AmariHopfieldNetwork got) {
    assertEquals(want.history(), got.history());
    assertArrayEquals(want.state(), got.state());
  }

  @Test
  void reduceIsExactForBipolarPatternsWithoutCentring() {
    float[][] x = LocalSpark.patterns(61, 40, true, 1);
    for (boolean anti : new boolean[] {false, true}) {
      for (boolean normalize : new boolean[] {true, false}) {
        HebbianOptions o =
            HebbianOptions.DEFAULTS.withSubtractMean(false).withNormalizeByPatterns(normalize);
        HebbianRule rule = anti ? HebbianRule.antiHebbian(o) : HebbianRule.hebbian(o);
        AmariHopfieldNetwork want = core(40, rule, x);
        AmariHopfieldNetwork got = AmariHopfieldNetwork.create(40);
        SparkHebbian.train(got, rule, rdd(x, 5), Strategy.REDUCE);
        assertArrayEquals(want.weightMatrix(), got.weightMatrix());
        assertSameHistory(want, got);
      }
    }
  }

  @Test
  void reduceMatchesTheCoreWithinFloatToleranceWhenCentring() {
    float[][] x = LocalSpark.patterns(50, 33, false, 2);
    for (boolean zeroDiagonal : new boolean[] {true, false}) {
      HebbianRule rule =
          HebbianRule.hebbian(HebbianOptions.DEFAULTS.withZeroDiagonal(zeroDiagonal));
      AmariHopfieldNetwork want = core(33, rule, x);
      AmariHopfieldNetwork got = AmariHopfieldNetwork.create(33);
      SparkHebbian.train(got, rule, rdd(x, 4), Strategy.REDUCE);
      assertClose(want.weightMatrix(), got.weightMatrix(), 1e-5);
      assertSameHistory(want, got); // rho is the same float32 mean
      // one partition accumulates in the core's order: bit for bit
      AmariHopfieldNetwork one = AmariHopfieldNetwork.create(33);
      SparkHebbian.train(one, rule, rdd(x, 1), Strategy.REDUCE);
      assertArrayEquals(want.weightMatrix(), one.weightMatrix());
    }
  }

  @Test
  void successiveCallsResizeAndContinueAsTheCore() {
    float[][] a = LocalSpark.patterns(12, 20, true, 3);
    float[][] b = LocalSpark.patterns(15, 26, true, 4);
    for (boolean preserve : new boolean[] {true, false}) {
      HebbianRule rule =
          HebbianRule.hebbian(
              HebbianOptions.DEFAULTS.withSubtractMean(false).withPreserveOnResize(preserve));
      AmariHopfieldNetwork want = core(8, rule, a, b);
      AmariHopfieldNetwork got = AmariHopfieldNetwork.create(8);
      SparkHebbian.train(got, rule, rdd(a, 3), Strategy.REDUCE);
      SparkHebbian.train(got, rule, rdd(b, 2), Strategy.REDUCE);
      assertArrayEquals(want.weightMatrix(), got.weightMatrix());
      assertSameHistory(want, got);
    }
  }

  @Test
  void collectIsBitIdenticalAndAutoChoosesIt() {
    float[][] x = LocalSpark.patterns(7, 30, false, 5);
    HebbianRule rule = HebbianRule.antiHebbian(HebbianOptions.DEFAULTS);
    AmariHopfieldNetwork want = core(30, rule, x);
    for (Strategy s : new Strategy[] {Strategy.COLLECT, Strategy.AUTO}) {
      AmariHopfieldNetwork got = AmariHopfieldNetwork.create(30);
      SparkHebbian.train(got, rule, rdd(x, 3), s);
      assertArrayEquals(want.weightMatrix(), got.weightMatrix());
      assertSameHistory(want, got);
    }
  }

  /**
   * {@code COLLECT} refuses patterns past collectLimit after the statistics pass and before the job
   * that collects them (the rows are read once), leaving the network as it was; {@code AUTO}
   * reduces instead.
   */
  @Test
  void collectPastTheLimitFailsBeforeCollectingAndAutoReduces() {
    float[][] x = LocalSpark.patterns(7, 30, true, 9);
    long bytes = 4L * 7 * 30;
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS.withSubtractMean(false));
    org.apache.spark.util.LongAccumulator reads = sc.sc().longAccumulator();
    JavaRDD<float[]> counted =
        rdd(x, 3)
            .map(
                r -> {
                  reads.add(1);
                  return r;
                });
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(30);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkHebbian.train(net, rule, counted, Strategy.COLLECT, bytes - 1));
    assertTrue(
        e.getMessage().contains(bytes + " bytes, more than collectLimit = " + (bytes - 1)),
        e.getMessage());
    assertEquals(7, reads.value()); // the statistics pass only
    assertEquals(0, net.history().size());
    assertArrayEquals(new float[30 * 30], net.weightMatrix());
    assertThrows(
        IllegalArgumentException.class,
        () -> SparkHebbian.train(net, rule, counted, Strategy.COLLECT, -1));
    AmariHopfieldNetwork want = core(30, rule, x);
    SparkHebbian.train(net, rule, counted, Strategy.COLLECT, bytes); // at the limit: fine
    assertArrayEquals(want.weightMatrix(), net.weightMatrix());
    // auto collects these (2P <= N) into low-rank weights; past the limit it reduces: dense
    assertEquals(Representation.LOW_RANK, net.weights().representation());
    AmariHopfieldNetwork reduced = AmariHopfieldNetwork.create(30);
    SparkHebbian.train(reduced, rule, counted, Strategy.AUTO, bytes - 1);
    assertEquals(Representation.DENSE, reduced.weights().representation());
    assertArrayEquals(want.weightMatrix(), reduced.weightMatrix()); // ±1 without centring: exact
  }

  /**
   * A network in low-rank weights mode takes no dense sum: {@code AUTO} collects its patterns (as
   * the estimator does for {@code weights = low-rank}) however many there are, and {@code REDUCE}
   * is refused after the statistics pass, before the job that would sum them (it failed after it).
   */
  @Test
  void autoCollectsForALowRankNetworkAndReduceRefusesOne() {
    float[][] x = LocalSpark.patterns(40, 64, true, 23); // 2P > N: AUTO reduced these
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    AmariHopfieldNetwork want =
        AmariHopfieldNetwork.create(64, Dynamics.DEFAULT, WeightsMode.LOW_RANK);
    rule.train(want, PatternBlock.of(x), true, null);
    AmariHopfieldNetwork net =
        AmariHopfieldNetwork.create(64, Dynamics.DEFAULT, WeightsMode.LOW_RANK);
    SparkHebbian.train(net, rule, rdd(x, 3));
    assertEquals(Representation.LOW_RANK, net.weights().representation());
    assertArrayEquals(want.weightMatrix(), net.weightMatrix());
    assertSameHistory(want, net);

    org.apache.spark.util.LongAccumulator reads = sc.sc().longAccumulator();
    JavaRDD<float[]> counted =
        rdd(x, 3)
            .map(
                r -> {
                  reads.add(1);
                  return r;
                });
    AmariHopfieldNetwork other =
        AmariHopfieldNetwork.create(64, Dynamics.DEFAULT, WeightsMode.LOW_RANK);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkHebbian.train(other, rule, counted, Strategy.REDUCE));
    assertTrue(e.getMessage().contains("low-rank"), e.getMessage());
    assertEquals(40, reads.value()); // the statistics pass only
    assertEquals(0, other.history().size());
  }

  @Test
  void emptyInputIsANoOpAndBadInputChangesNothing() {
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(5);
    assertNull(SparkHebbian.train(net, rule, sc.parallelize(List.<float[]>of(), 2)));
    float[][] ragged = LocalSpark.patterns(6, 5, true, 6);
    ragged[4] = new float[4];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkHebbian.train(net, rule, rdd(ragged, 2), Strategy.REDUCE));
    assertTrue(e.getMessage().contains("has length 4, expected 5"), e.getMessage());
    float[][] nan = LocalSpark.patterns(6, 5, true, 7);
    nan[2][3] = Float.NaN;
    e =
        assertThrows(
            IllegalArgumentException.class, () -> SparkHebbian.train(net, rule, rdd(nan, 2)));
    assertTrue(e.getMessage().contains("non-finite value NaN at index 3"), e.getMessage());
    float[][] huge = {{3e19f, 1f}, {1f, 1f}};
    assertThrows(
        IllegalArgumentException.class,
        () -> SparkHebbian.train(net, rule, rdd(huge, 2), Strategy.REDUCE));
    assertEquals(5, net.numNeurons());
    assertEquals(0, net.history().size());
    assertArrayEquals(new float[25], net.weightMatrix());
  }

  @Test
  void blockedOutputLoadsInTheCoreAndMatchesIt() throws Exception {
    float[][] x = LocalSpark.patterns(40, 37, true, 8);
    for (boolean centre : new boolean[] {false, true}) {
      HebbianRule rule = HebbianRule.antiHebbian(HebbianOptions.DEFAULTS.withSubtractMean(centre));
      AmariHopfieldNetwork want = core(37, rule, x);
      Path dir = Files.createDirectory(tmp.resolve("blocks-" + centre));
      TrainingRecord rec = SparkHebbian.trainBlocked(rule, rdd(x, 3), 8, dir);
      assertEquals(want.history().get(0), rec);
      float[] got = BlockedWeights.read(dir).toDenseArray();
      if (centre) {
        assertClose(want.weightMatrix(), got, 1e-5);
      } else {
        assertArrayEquals(want.weightMatrix(), got);
      }
    }
    assertNull(
        SparkHebbian.trainBlocked(
            HebbianRule.hebbian(HebbianOptions.DEFAULTS),
            sc.parallelize(List.<float[]>of(), 2),
            8,
            tmp));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SparkHebbian.trainBlocked(
                HebbianRule.hebbian(HebbianOptions.DEFAULTS), rdd(x, 2), 0, tmp));
  }
}
