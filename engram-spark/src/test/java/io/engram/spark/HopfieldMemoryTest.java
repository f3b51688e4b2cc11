package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.UpdateMode;
import io.engram.spark.LocalSpark.Column;
import io.engram.weights.WeightsMode;
import java.util.List;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The estimator and the model on DataFrames, against the core on the same data. */
class HopfieldMemoryTest {

  private static final int N = 48;
  private static float[][] stored;
  private static float[][] cues;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    stored = LocalSpark.patterns(5, N, true, 21);
    cues = LocalSpark.noisy(stored, 40, 9, 22);
  }

  /** The core's network for the same call (a new network of N neurons). */
  private static AmariHopfieldNetwork core(
      HebbianRule rule, Dynamics d, WeightsMode mode, float[][] x) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(x[0].length, d, mode);
    rule.train(net, PatternBlock.of(x), rule.hebbianOptions().preserveOnResize(), null);
    return net;
  }

  /** Every transformed row against the core's recallBatch over the cues in order. */
  static void assertRecalled(
      List<RecallResult> want, List<Row> got, String stateCol, boolean energy) {
    assertEquals(want.size(), got.size());
    for (int q = 0; q < want.size(); q++) {
      Row g = got.get(q);
      RecallResult w = want.get(q);
      assertEquals(q, g.<Long>getAs("id"), "row order");
      assertArrayEquals(w.state(), LocalSpark.floats(g, stateCol), "query " + q);
      assertEquals(w.steps(), g.<Integer>getAs("steps"), "query " + q);
      assertEquals(w.converged(), g.<Boolean>getAs("converged"), "query " + q);
      if (energy) {
        assertEquals(w.energy(), g.<Double>getAs("energy"), "query " + q);
      }
    }
  }

  @Test
  void fitsAndRecallsAsTheCoreForEveryInputType() {
    AmariHopfieldNetwork want =
        core(
            HebbianRule.hebbian(HebbianOptions.DEFAULTS),
            Dynamics.DEFAULT,
            WeightsMode.AUTO,
            stored);
    List<RecallResult> recalled = want.recallBatch(cues, RecallOptions.defaults());
    for (Column c : Column.values()) {
      HopfieldMemoryModel model = new HopfieldMemory().fit(LocalSpark.frame(stored, c, 3));
      AmariHopfieldNetwork got = model.network();
      assertArrayEquals(want.weightMatrix(), got.weightMatrix(), c.name());
      assertEquals(want.history(), got.history(), c.name());
      assertEquals(want.weightsMode(), got.weightsMode(), c.name());
      Dataset<Row> out = model.transform(LocalSpark.frame(cues, c, 4));
      StructType schema = out.schema();
      assertEquals(
          List.of("id", "features", "prediction", "steps", "converged", "energy"),
          List.of(schema.fieldNames()));
      Object outType = schema.apply("prediction").dataType();
      Object inType = schema.apply("features").dataType();
      if (c == Column.INTS) {
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false), outType);
      } else {
        assertEquals(inType.toString(), outType.toString(), c.name());
      }
      assertRecalled(recalled, out.collectAsList(), "prediction", true);
    }
  }

  @Test
  void everyTrainingOptionReachesTheCore() {
    float[][] x = LocalSpark.patterns(9, 30, false, 23);
    // four calls: each option on and off, both signs, both representations
    for (int i = 0; i < 4; i++) {
      int bits = i * 5; // 0000, 0101, 1010, 1111
      HebbianOptions o =
          new HebbianOptions((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0);
      boolean anti = i % 2 == 1;
      HebbianRule rule = anti ? HebbianRule.antiHebbian(o) : HebbianRule.hebbian(o);
      String weights = i < 2 ? "dense" : "low-rank";
      WeightsMode mode = WeightsMode.parse(weights);
      AmariHopfieldNetwork want = core(rule, Dynamics.DEFAULT, mode, x);
      HopfieldMemoryModel model =
          new HopfieldMemory()
              .setRule(anti ? "anti-hebbian" : "hebbian")
              .setSubtractMean(o.subtractMean())
              .setZeroDiagonal(o.zeroDiagonal())
              .setNormalize(o.normalizeByPatterns())
              .setPreserveOnResize(o.preserveOnResize())
              .setWeights(weights)
              .fit(LocalSpark.frame(x, Column.FLOATS, 2));
      AmariHopfieldNetwork got = model.network();
      String what = rule + " " + weights;
      assertArrayEquals(want.weightMatrix(), got.weightMatrix(), what);
      assertEquals(want.history(), got.history(), what);
      assertEquals(mode, got.weightsMode(), what);
      // the model reports what it was trained with
      assertEquals(rule.name(), model.getRule(), what);
      assertEquals(o.normalizeByPatterns(), model.getNormalize(), what);
      assertEquals(weights, model.getWeights(), what);
    }
  }

  @Test
  void reduceStrategyMatchesTheCoreExactlyForBipolarPatternsWithoutCentring() {
    float[][] x = LocalSpark.patterns(60, 20, true, 24);
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS.withSubtractMean(false));
    AmariHopfieldNetwork want = core(rule, Dynamics.DEFAULT, WeightsMode.DENSE, x);
    AmariHopfieldNetwork got =
        new HopfieldMemory()
            .setSubtractMean(false)
            .setStrategy("reduce")
            .fit(LocalSpark.frame(x, Column.DOUBLES, 4))
            .network();
    assertArrayEquals(want.weightMatrix(), got.weightMatrix());
    assertEquals(want.history(), got.history());
  }

  @Test
  void dynamicsGoIntoTheNetworkAndOverrideItOnTheModel() {
    Dynamics tanh =
        Dynamics.DEFAULT.withActivation(Activation.TANH).withTemperature(0.5).withThreshold(0.1);
    HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    HopfieldMemoryModel model =
        new HopfieldMemory()
            .setActivation("tanh")
            .setTemperature(0.5)
            .setThreshold(0.1)
            .setMaxIter(7)
            .setTol(1e-3)
            .fit(LocalSpark.frame(stored, Column.FLOATS, 2));
    AmariHopfieldNetwork want = core(rule, tanh, WeightsMode.AUTO, stored);
    assertEquals(tanh, model.network().dynamics());
    RecallOptions o = RecallOptions.defaults().withMaxIterations(7).withEnergyTolerance(1e-3);
    assertRecalled(
        want.recallBatch(cues, o),
        model.transform(LocalSpark.frame(cues, Column.FLOATS, 3)).collectAsList(),
        "prediction",
        true);

    // overrides on the model, as engram recall's flags: sign, async in a seeded random order
    model.setActivation("sign").setSeed(99).setMaxIter(20).setTol(0);
    Dynamics async =
        tanh.withActivation(Activation.SIGN).withUpdateMode(UpdateMode.asynchronous(99L));
    assertRecalled(
        want.recallBatch(cues, RecallOptions.defaults().withDynamics(async)),
        model.transform(LocalSpark.frame(cues, Column.FLOATS, 3)).collectAsList(),
        "prediction",
        true);
    // the network itself is unchanged
    assertEquals(tanh, model.network().dynamics());
  }

  @Test
  void aRandomAsyncNetworkRecallsByRowIndexAcrossPartitionings() {
    Dynamics d = Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(5L));
    HopfieldMemoryModel model =
        new HopfieldMemory().setSeed(5).fit(LocalSpark.frame(stored, Column.FLOATS, 2));
    assertEquals(d, model.network().dynamics());
    assertEquals("async", model.getUpdate());
    assertEquals(5L, model.getSeed());
    List<RecallResult> want =
        core(HebbianRule.hebbian(HebbianOptions.DEFAULTS), d, WeightsMode.AUTO, stored)
            .recallBatch(cues, RecallOptions.defaults());
    for (int parts : new int[] {1, 5}) {
      assertRecalled(
          want,
          model.transform(LocalSpark.frame(cues, Column.FLOATS, parts)).collectAsList(),
          "prediction",
          true);
    }
  }

  @Test
  void outputColumnsCanBeRenamedOrLeftOut() {
    HopfieldMemoryModel model =
        new HopfieldMemory()
            .setFeaturesCol("x.y")
            .setPredictionCol("recalled")
            .setEnergyCol("")
            .setConvergedCol("")
            .fit(LocalSpark.frame(stored, Column.FLOATS, 2).withColumnRenamed("features", "x.y"));
    assertEquals("x.y", model.getFeaturesCol());
    assertEquals("recalled", model.getPredictionCol());
    Dataset<Row> out =
        model.transform(
            LocalSpark.frame(cues, Column.FLOATS, 2).withColumnRenamed("features", "x.y"));
    // a name with a dot is a column name, not a field of a struct
    assertEquals(List.of("id", "x.y", "recalled", "steps"), List.of(out.schema().fieldNames()));
    List<Row> rows = out.collectAsList();
    List<RecallResult> want =
        model.network().recallBatch(cues, RecallOptions.defaults().withReportEnergy(false));
    for (int q = 0; q < cues.length; q++) {
      assertArrayEquals(want.get(q).state(), LocalSpark.floats(rows.get(q), "recalled"));
      assertEquals(want.get(q).steps(), rows.get(q).<Integer>getAs("steps"));
    }
  }

  @Test
  void continuesTrainingFromAnInitialModelAsSuccessiveCoreCalls() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("engram-init");
    try {
      float[][] a = LocalSpark.patterns(6, 20, true, 25);
      float[][] b = LocalSpark.patterns(7, 26, true, 26);
      HebbianRule rule = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
      AmariHopfieldNetwork want =
          core(rule, Dynamics.DEFAULT.withActivation(Activation.TANH), WeightsMode.AUTO, a);
      java.nio.file.Path first = dir.resolve("first.npz");
      io.engram.io.ModelFile.write(first, want);
      HebbianRule.antiHebbian(HebbianOptions.DEFAULTS).train(want, PatternBlock.of(b), true, null);

      HopfieldMemoryModel got =
          new HopfieldMemory()
              .setInitModel(first.toString())
              .setRule("anti-hebbian")
              .fit(LocalSpark.frame(b, Column.FLOATS, 2));
      assertArrayEquals(want.weightMatrix(), got.network().weightMatrix());
      assertEquals(want.history(), got.network().history());
      assertEquals("tanh", got.getActivation()); // the initial model's dynamics
      // an empty dataset leaves the initial model as it was
      AmariHopfieldNetwork same =
          new HopfieldMemory()
              .setInitModel(first.toString())
              .fit(LocalSpark.frame(b, Column.FLOATS, 2).limit(0))
              .network();
      assertEquals(1, same.history().size());
    } finally {
      try (var s = java.nio.file.Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder())
            .map(java.nio.file.Path::toFile)
            .forEach(java.io.File::delete);
      }
    }
  }

  @Test
  void parametersAreValidatedTheSparkWay() {
    HopfieldMemory m = new HopfieldMemory();
    assertThrows(IllegalArgumentException.class, () -> m.setRule("oja"));
    assertThrows(IllegalArgumentException.class, () -> m.setMemory("quantum"));
    assertThrows(IllegalArgumentException.class, () -> m.setActivation("relu"));
    assertThrows(IllegalArgumentException.class, () -> m.setUpdate("sometimes"));
    assertThrows(IllegalArgumentException.class, () -> m.setWeights("sparse"));
    assertThrows(IllegalArgumentException.class, () -> m.setStrategy("guess"));
    assertThrows(IllegalArgumentException.class, () -> m.setTemperature(0));
    assertThrows(IllegalArgumentException.class, () -> m.setTemperature(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> m.setThreshold(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> m.setMaxIter(-1));
    assertThrows(IllegalArgumentException.class, () -> m.setTol(-1e-3));
    // nothing was set by the failed calls
    assertEquals("hebbian", m.getRule());
    assertFalse(m.isSet(m.rule()));

    Dataset<Row> data = LocalSpark.frame(stored, Column.FLOATS, 2);
    StructType schema = data.schema();
    // an option set for a rule or memory kind it does not apply to is ignored, as Spark's own
    // stages ignore theirs (a tuning grid sets every option on every candidate): each fits as
    // the same estimator without it
    HopfieldMemory[] ignoring = {
      new HopfieldMemory().setRidge(1),
      new HopfieldMemory().setRule("storkey").setSubtractMean(false).setStrategy("reduce"),
      new HopfieldMemory().setBeta(2).setBestCol("b"),
      new HopfieldMemory().setMemory("modern").setRule("storkey").setActivation("tanh"),
      new HopfieldMemory().setMemory("modern").setDegree(4),
      new HopfieldMemory().setMemory("modern").setSeparation("polynomial").setBeta(1),
      new HopfieldMemory().setWeights("low-rank").setStrategy("reduce")
    };
    HopfieldMemory[] same = {
      new HopfieldMemory(),
      new HopfieldMemory().setRule("storkey"),
      new HopfieldMemory(),
      new HopfieldMemory().setMemory("modern"),
      new HopfieldMemory().setMemory("modern"),
      new HopfieldMemory().setMemory("modern").setSeparation("polynomial"),
      new HopfieldMemory().setWeights("low-rank")
    };
    for (int i = 0; i < ignoring.length; i++) {
      assertEquals(same[i].transformSchema(schema), ignoring[i].transformSchema(schema));
      assertEquals(
          same[i].fit(data).transform(data).collectAsList(),
          ignoring[i].fit(data).transform(data).collectAsList());
    }

    // update = sync wins over a seed (which orders asynchronous updates only)
    HopfieldMemoryModel sync = new HopfieldMemory().setUpdate("sync").setSeed(3).fit(data);
    assertEquals(
        io.engram.network.UpdateMode.synchronous(), sync.network().dynamics().updateMode());
    assertEquals(
        new HopfieldMemory().fit(data).transform(data).collectAsList(),
        sync.transform(data).collectAsList());
  }

  @Test
  void schemaIsCheckedBeforeAnythingRuns() {
    Dataset<Row> data = LocalSpark.frame(stored, Column.FLOATS, 2);
    HopfieldMemoryModel model = new HopfieldMemory().fit(data);
    StructType schema = data.schema();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.copy(ParamMap.empty()).setFeaturesCol("nope").transformSchema(schema));
    assertTrue(e.getMessage().contains("Column 'nope' does not exist"), e.getMessage());
    // an empty name is quoted, so that it shows ("Column  does not exist" before)
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.copy(ParamMap.empty()).setFeaturesCol("").transformSchema(schema));
    assertTrue(e.getMessage().startsWith("Column '' does not exist"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.copy(ParamMap.empty()).setFeaturesCol("id").transformSchema(schema));
    assertTrue(e.getMessage().contains("but was actually of type bigint"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.copy(ParamMap.empty()).setPredictionCol("ID").transformSchema(schema));
    assertTrue(e.getMessage().contains("Output column ID already exists"), e.getMessage());
    // two output parameters of one name: both named, not "already exists" (it is not the dataset's)
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.copy(ParamMap.empty()).setEnergyCol("prediction").transformSchema(schema));
    assertEquals(
        model.uid()
            + ": predictionCol and energyCol both name the output column prediction; give each"
            + " output column its own name, or an empty one to leave it out",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new HopfieldMemory()
                    .setMemory("modern")
                    .setStepsCol("x")
                    .setWeightCol("x")
                    .transformSchema(schema));
    assertTrue(e.getMessage().contains(": stepsCol and weightCol both name"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> model.copy(ParamMap.empty()).setPredictionCol("").transformSchema(schema));
    // null where a dataset or schema goes: named, not a NullPointerException from deep inside
    HopfieldMemory est = new HopfieldMemory();
    for (Object[] c :
        new Object[][] {
          {
            (org.junit.jupiter.api.function.Executable) () -> model.transform(null),
            model.uid() + ": the dataset is null"
          },
          {
            (org.junit.jupiter.api.function.Executable) () -> model.transformSchema(null),
            model.uid() + ": the schema is null"
          },
          {
            (org.junit.jupiter.api.function.Executable) () -> est.fit((Dataset<?>) null),
            est.uid() + ": the dataset is null"
          },
          {
            (org.junit.jupiter.api.function.Executable) () -> est.transformSchema(null),
            est.uid() + ": the schema is null"
          }
        }) {
      assertEquals(
          c[1],
          assertThrows(
                  IllegalArgumentException.class, (org.junit.jupiter.api.function.Executable) c[0])
              .getMessage());
    }
    // the estimator checks the same, and returns the model's output schema
    assertEquals(model.transformSchema(schema), new HopfieldMemory().transformSchema(schema));
    assertThrows(
        IllegalArgumentException.class, () -> new HopfieldMemory().setFeaturesCol("id").fit(data));
  }

  @Test
  void badRowsFailWithTheirPlaceNamed() {
    HopfieldMemoryModel model =
        new HopfieldMemory().fit(LocalSpark.frame(stored, Column.FLOATS, 2));
    float[][] shortCue = {new float[N - 1]};
    Exception e =
        assertThrows(
            Exception.class,
            () -> model.transform(LocalSpark.frame(shortCue, Column.FLOATS, 1)).collectAsList());
    assertTrue(rootMessage(e).contains("has length 47, expected N = 48"), rootMessage(e));
    float[][] ragged = {stored[0], new float[N - 3]};
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HopfieldMemory().fit(LocalSpark.frame(ragged, Column.FLOATS, 1)));
    assertTrue(e.getMessage().contains("has length 45, expected 48"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HopfieldMemory().fit(LocalSpark.frame(stored, Column.FLOATS, 2).limit(0)));
    assertTrue(e.getMessage().contains("no patterns to train on"), e.getMessage());
  }

  private static String rootMessage(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append(" | ");
    }
    return all.toString();
  }

  @Test
  void followsSparkConventions() {
    HopfieldMemory est = new HopfieldMemory();
    assertTrue(est.uid().startsWith("HopfieldMemory_"));
    assertEquals("abc", new HopfieldMemory("abc").uid());
    // every parameter is documented, with its default, in explainParams
    String explained = est.explainParams();
    // those whose unset state means something of its own have no default (so that
    // copy(extractParamMap()) leaves them unset); their getters give what fit uses without them
    List<String> undefined =
        List.of("maxIter", "weights", "activation", "temperature", "threshold", "update", "seed");
    for (org.apache.spark.ml.param.Param<?> p : est.params()) {
      assertTrue(explained.contains(p.name() + ": "), p.name());
      assertTrue(p.doc().length() > 20, p.name());
      assertEquals(!undefined.contains(p.name()), est.hasDefault(p), p.name());
    }
    assertEquals(
        List.of(20, "auto", "sign", 1.0, 0.0, "sync", 0L),
        List.of(
            est.getMaxIter(),
            est.getWeights(),
            est.getActivation(),
            est.getTemperature(),
            est.getThreshold(),
            est.getUpdate(),
            est.getSeed()));
    assertEquals(1, new HopfieldMemory().setMemory("modern").getMaxIter());
    assertEquals("async", new HopfieldMemory().setSeed(4).getUpdate());
    assertEquals(31, est.params().length);
    assertTrue(
        explained.contains("Supported options: hebbian, anti-hebbian, pseudo-inverse, storkey"));

    HopfieldMemory copy = est.setRule("anti-hebbian").copy(new ParamMap().put(est.maxIter(), 3));
    assertNotSame(est, copy);
    assertEquals(est.uid(), copy.uid());
    assertEquals("anti-hebbian", copy.getRule());
    assertEquals(3, copy.getMaxIter());
    assertEquals(20, est.getMaxIter());

    HopfieldMemoryModel model = est.fit(LocalSpark.frame(stored, Column.FLOATS, 2));
    assertEquals(est.uid(), model.uid());
    assertEquals(est, model.parent());
    assertEquals(28, model.params().length);
    assertEquals(N, model.numNeurons());
    HopfieldMemoryModel mc = model.copy(new ParamMap().put(model.maxIter(), 2));
    assertEquals(2, mc.getMaxIter());
    assertEquals(20, model.getMaxIter());
    assertEquals(est, mc.parent());
    assertTrue(model.toString().contains("N=48"), model.toString());
  }
}
