package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.ModelFile;
import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseOptions;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.TrainingRecord;
import io.engram.spark.LocalSpark.Column;
import io.engram.weights.Representation;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pseudo-inverse and Storkey rules through the estimator, against the core, and collectLimit on
 * every rule that collects the patterns.
 */
class ClassicalRulesTest {

  private static final int N = 48;
  private static float[][] correlated;
  private static float[][] bipolar;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    correlated = LocalSpark.patterns(20, N, false, 41); // Gaussian around 0.3: correlated
    bipolar = LocalSpark.patterns(7, N, true, 42);
  }

  private static AmariHopfieldNetwork corePseudoInverse(PseudoInverseOptions o, float[][] x) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(N, Dynamics.DEFAULT, WeightsMode.AUTO);
    PseudoInverseRule.create(o).train(net, PatternBlock.of(x), true, null);
    return net;
  }

  /** The largest |difference| of the weights, and the largest |weight| of {@code want}. */
  static double[] weightDiff(AmariHopfieldNetwork want, AmariHopfieldNetwork got) {
    double diff = 0;
    double max = 0;
    int n = want.numNeurons();
    assertEquals(n, got.numNeurons());
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        float w = want.weights().get(i, j);
        diff = Math.max(diff, Math.abs(w - got.weights().get(i, j)));
        max = Math.max(max, Math.abs(w));
      }
    }
    return new double[] {diff, max};
  }

  @Test
  void pseudoInverseReducesTheGramMatrixToTheCoresResult() {
    Dataset<Row> data = LocalSpark.frame(correlated, Column.FLOATS, 3);
    for (double ridge : new double[] {0, 2.5}) {
      PseudoInverseOptions o = PseudoInverseOptions.DEFAULTS.withRidge(ridge);
      AmariHopfieldNetwork want = corePseudoInverse(o, correlated);
      AmariHopfieldNetwork got =
          new HopfieldMemory().setRule("pseudo-inverse").setRidge(ridge).fit(data).network();
      double[] d = weightDiff(want, got);
      // the Gram matrix is summed from column blocks: float32 rounding, well inside the core's
      // own tolerance for dependence (max(P, N) 2^-23 relative)
      assertTrue(d[0] <= 1e-5 * d[1], "ridge " + ridge + ": |dW| = " + d[0] + ", max " + d[1]);
      TrainingRecord w = want.history().get(0);
      TrainingRecord g = got.history().get(0);
      assertEquals(w.rule(), g.rule());
      assertEquals(w.options(), g.options());
      assertEquals(w.patterns(), g.patterns());
      // every stored pattern is still recalled as the core recalls it
      assertEquals(
          signs(want.recallBatch(correlated, RecallOptions.defaults())),
          signs(got.recallBatch(correlated, RecallOptions.defaults())));
    }
    // collected: the core's call, bit for bit
    AmariHopfieldNetwork want = corePseudoInverse(PseudoInverseOptions.DEFAULTS, correlated);
    AmariHopfieldNetwork got =
        new HopfieldMemory().setRule("pseudo-inverse").setStrategy("collect").fit(data).network();
    assertEquals(0.0, weightDiff(want, got)[0]);
  }

  private static String signs(java.util.List<io.engram.network.RecallResult> rs) {
    StringBuilder b = new StringBuilder();
    for (io.engram.network.RecallResult r : rs) {
      b.append(java.util.Arrays.toString(r.state())).append(r.steps()).append('\n');
    }
    return b.toString();
  }

  @Test
  void pseudoInverseModelsTravelAsTheCliModelFile() throws IOException {
    Dataset<Row> data = LocalSpark.frame(correlated, Column.DOUBLES, 2);
    HopfieldMemoryModel model =
        new HopfieldMemory().setRule("pseudo-inverse").setTolerance(1e-4).fit(data);
    String dir = tmp.resolve("pinv").toString();
    model.write().save(dir);
    AmariHopfieldNetwork file = ModelFile.read(Path.of(dir, "data", "model.npz"));
    assertEquals(0.0, weightDiff(model.network(), file)[0]);
    assertEquals("0.000100000", file.history().get(0).options().get("tolerance"));
    HopfieldMemoryModel back = HopfieldMemoryModel.load(dir);
    assertEquals("pseudo-inverse", back.getRule());
    assertEquals(model.transform(data).collectAsList(), back.transform(data).collectAsList());

    // a model file of the core (as engram train --rule pseudo-inverse writes it) loads as well
    Path cli = tmp.resolve("cli.npz");
    ModelFile.write(cli, corePseudoInverse(PseudoInverseOptions.DEFAULTS, correlated));
    HopfieldMemoryModel fromCli = HopfieldMemoryModel.load(cli.toString());
    assertEquals("pseudo-inverse", fromCli.getRule());
    assertTrue(Files.size(cli) > 0);
    assertEquals(0.0, weightDiff(ModelFile.read(cli), fromCli.network())[0]);
  }

  @Test
  void storkeyIsTheCoresBitForBit() {
    for (boolean zero : new boolean[] {true, false}) {
      AmariHopfieldNetwork want =
          AmariHopfieldNetwork.create(N, Dynamics.DEFAULT, WeightsMode.DENSE);
      StorkeyRule.create(zero).train(want, PatternBlock.of(bipolar), true, null);
      AmariHopfieldNetwork got =
          new HopfieldMemory()
              .setRule("storkey")
              .setZeroDiagonal(zero)
              .fit(LocalSpark.frame(bipolar, Column.INTS, 3))
              .network();
      assertEquals(0.0, weightDiff(want, got)[0], "zero diagonal " + zero);
      assertEquals(want.history(), got.history());
    }
  }

  @Test
  void collectingPastTheLimitFailsBeforeCollecting() {
    Dataset<Row> data = LocalSpark.frame(bipolar, Column.FLOATS, 2);
    long bytes = 4L * bipolar.length * N;
    for (String rule : new String[] {"storkey", "pseudo-inverse"}) {
      HopfieldMemory est = new HopfieldMemory().setRule(rule).setCollectLimit(bytes - 1);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> est.fit(data));
      assertTrue(e.getMessage().contains(bytes + " bytes"), e.getMessage());
      assertTrue(e.getMessage().contains("collectLimit = " + (bytes - 1)), e.getMessage());
      // what to do about it, as the Hebbian collect paths say
      assertTrue(
          e.getMessage().contains("; raise collectLimit where the driver's heap"), e.getMessage());
      est.setCollectLimit(bytes).fit(data); // at the limit: fine
    }
  }

  /**
   * The Hebbian rules collect the patterns with strategy collect and with low-rank weights:
   * collectLimit bounds them as it does Storkey's (they were collected whatever their size), and
   * strategy auto sums them on the cluster rather than collect past it.
   */
  @Test
  void hebbianCollectingPastTheLimitFailsBeforeCollectingAndAutoReduces() {
    Dataset<Row> data = LocalSpark.frame(bipolar, Column.FLOATS, 2);
    long bytes = 4L * bipolar.length * N;
    for (HopfieldMemory est :
        List.of(
            new HopfieldMemory().setStrategy("collect"),
            new HopfieldMemory().setRule("anti-hebbian").setWeights("low-rank"))) {
      est.setCollectLimit(bytes - 1);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> est.fit(data));
      assertTrue(e.getMessage().contains(bytes + " bytes"), e.getMessage());
      assertTrue(e.getMessage().contains("collectLimit = " + (bytes - 1)), e.getMessage());
      assertTrue(e.getMessage().contains("raise collectLimit"), e.getMessage());
      est.setCollectLimit(bytes).fit(data); // at the limit: fine
    }
    // auto collects these (2P <= N) into low-rank weights; past the limit it reduces: dense
    HopfieldMemory auto = new HopfieldMemory().setSubtractMean(false);
    AmariHopfieldNetwork collected = auto.setCollectLimit(bytes).fit(data).network();
    AmariHopfieldNetwork reduced = auto.setCollectLimit(bytes - 1).fit(data).network();
    assertEquals(Representation.LOW_RANK, collected.weights().representation());
    assertEquals(Representation.DENSE, reduced.weights().representation());
    assertEquals(0.0, weightDiff(collected, reduced)[0]); // ±1 without centring: exact
  }
}
