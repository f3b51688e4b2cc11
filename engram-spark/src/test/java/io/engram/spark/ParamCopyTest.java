package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.UpdateMode;
import io.engram.spark.LocalSpark.Column;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stage.copy(stage.extractParamMap())}, which Spark's tuning, pipelines and users rely on,
 * gives an equal stage for every memory kind and rule, estimator and fitted model: the same
 * parameter values, and the same fit and transform (a seed, the dynamics of an initModel and a
 * synchronous network's recall included).
 */
class ParamCopyTest {

  private static final int N = 24;
  private static float[][] stored;
  private static Dataset<Row> patterns;
  private static Dataset<Row> cues;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    stored = LocalSpark.patterns(3, N, true, 71);
    patterns = LocalSpark.frame(stored, Column.FLOATS, 2);
    cues = LocalSpark.frame(LocalSpark.noisy(stored, 6, 4, 72), Column.FLOATS, 2);
  }

  private static void train(AmariHopfieldNetwork net, float[][] x) {
    HebbianRule.hebbian(HebbianOptions.DEFAULTS).train(net, PatternBlock.of(x), true, null);
  }

  /** Every parameter of {@code a} is defined in {@code b} exactly when in {@code a}, equal. */
  static void assertSameParams(Params a, Params b) {
    assertEquals(a.params().length, b.params().length);
    for (Param<?> p : a.params()) {
      Param<?> q = b.getParam(p.name());
      assertEquals(a.isDefined(p), b.isDefined(q), p.name());
      if (a.isDefined(p)) {
        assertEquals(a.getOrDefault(p), b.getOrDefault(q), p.name());
      }
    }
  }

  /** The estimators of every kind, each with a setting of its own. */
  private static List<Supplier<HopfieldMemory>> estimators() {
    return List.of(
        () -> new HopfieldMemory(),
        () -> new HopfieldMemory().setRule("anti-hebbian").setNormalize(false),
        () -> new HopfieldMemory().setRule("pseudo-inverse").setRidge(0.25),
        () -> new HopfieldMemory().setRule("storkey"),
        () -> new HopfieldMemory().setMemory("modern").setBeta(0.5),
        () -> new HopfieldMemory().setMemory("modern").setSeparation("polynomial").setDegree(4),
        () -> new HopfieldMemory().setSeed(5),
        () -> new HopfieldMemory().setRule("storkey").setActivation("tanh").setTemperature(0.5));
  }

  @Test
  void aCopyOfAnEstimatorWithItsParamMapFitsAndTransformsAsTheOriginal() {
    for (Supplier<HopfieldMemory> make : estimators()) {
      HopfieldMemory est = make.get();
      HopfieldMemory copy = est.copy(est.extractParamMap());
      assertSameParams(est, copy);
      HopfieldMemoryModel a = est.fit(patterns);
      HopfieldMemoryModel b = copy.fit(patterns);
      String what = est.extractParamMap().toString();
      assertEquals(a.storedMemory().kind(), b.storedMemory().kind(), what);
      if (a.storedMemory() instanceof AmariHopfieldNetwork na) {
        AmariHopfieldNetwork nb = (AmariHopfieldNetwork) b.storedMemory();
        assertEquals(na.dynamics(), nb.dynamics(), what);
      }
      assertEquals(a.transform(cues).collectAsList(), b.transform(cues).collectAsList(), what);
      assertSameParams(a, b);
    }
  }

  @Test
  void aCopyOfAModelWithItsParamMapTransformsAsTheOriginal() {
    for (Supplier<HopfieldMemory> make : estimators()) {
      HopfieldMemoryModel model = make.get().fit(patterns);
      HopfieldMemoryModel copy = model.copy(model.extractParamMap());
      assertSameParams(model, copy);
      String what = model.extractParamMap().toString();
      assertEquals(
          model.transform(cues).collectAsList(), copy.transform(cues).collectAsList(), what);
      assertEquals(
          model.transform(cues).collectAsList(),
          model.transform(cues, model.extractParamMap()).collectAsList(),
          what);
    }
  }

  /**
   * A model around a synchronous network recalls synchronously after the copy (a seed carried as
   * set would have meant a random asynchronous order), and one around a seeded network keeps its
   * seed.
   */
  @Test
  void theCopyKeepsTheNetworksUpdateMode() {
    AmariHopfieldNetwork sync = AmariHopfieldNetwork.create(N);
    train(sync, stored);
    HopfieldMemoryModel plain = HopfieldMemoryModel.of(sync);
    assertFalse(plain.isDefined(plain.seed()));
    assertEquals(0L, plain.getSeed());
    HopfieldMemoryModel copy = plain.copy(plain.extractParamMap());
    assertFalse(copy.isSet(copy.seed()));
    assertEquals(plain.transform(cues).collectAsList(), copy.transform(cues).collectAsList());

    AmariHopfieldNetwork seeded = AmariHopfieldNetwork.create(N);
    seeded.setDynamics(Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(9L)));
    train(seeded, stored);
    HopfieldMemoryModel random = HopfieldMemoryModel.of(seeded);
    assertEquals(9L, random.getSeed());
    assertEquals("async", random.getUpdate());
    HopfieldMemoryModel randomCopy = random.copy(random.extractParamMap());
    assertEquals(
        random.transform(cues).collectAsList(), randomCopy.transform(cues).collectAsList());
  }

  /**
   * An estimator that continues an initModel keeps the initModel's dynamics and weights mode after
   * the copy: those parameters, unset, mean "the initModel's", and a copy leaves them unset.
   */
  @Test
  void theCopyOfAnEstimatorWithAnInitModelKeepsTheInitModelsDynamics() throws java.io.IOException {
    AmariHopfieldNetwork init = AmariHopfieldNetwork.create(N);
    init.setDynamics(
        Dynamics.DEFAULT.withActivation(Activation.TANH).withTemperature(0.5).withThreshold(0.1));
    train(init, new float[][] {stored[0]});
    String dir = tmp.resolve("init").toAbsolutePath().toString();
    HopfieldMemoryModel.of(init).write().save(dir);
    HopfieldMemory est = new HopfieldMemory().setInitModel(dir);
    HopfieldMemory copy = est.copy(est.extractParamMap());
    for (HopfieldMemory e : List.of(est, copy)) {
      assertFalse(e.isDefined(e.activation()));
      assertFalse(e.isDefined(e.seed()));
    }
    HopfieldMemoryModel a = est.fit(patterns);
    HopfieldMemoryModel b = copy.fit(patterns);
    assertEquals(init.dynamics(), a.network().dynamics());
    assertEquals(init.dynamics(), b.network().dynamics());
    assertEquals(a.transform(cues).collectAsList(), b.transform(cues).collectAsList());
  }

  /**
   * A model saved by an earlier version, whose metadata holds a default seed 0 for a network with a
   * fixed asynchronous order, loads without that default: a copy through extractParamMap would have
   * set it, and recalled in a random order from seed 0.
   */
  @Test
  void aSavedDefaultSeedOfAnEarlierVersionIsNotTakenUp() throws java.io.IOException {
    int[] order = new int[N];
    for (int i = 0; i < N; i++) {
      order[i] = N - 1 - i;
    }
    AmariHopfieldNetwork fixed =
        AmariHopfieldNetwork.create(
            N, Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(order)));
    train(fixed, stored);
    HopfieldMemoryModel model = HopfieldMemoryModel.of(fixed);
    Path saved = tmp.resolve("fixed");
    model.write().save(saved.toAbsolutePath().toString());
    Path part;
    try (var parts = java.nio.file.Files.list(saved.resolve("metadata"))) {
      part = parts.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().get();
    }
    String meta = java.nio.file.Files.readString(part);
    assertFalse(meta.contains("\"seed\""), meta);
    java.nio.file.Files.writeString(
        part, meta.replace("\"defaultParamMap\":{", "\"defaultParamMap\":{\"seed\":0,"));
    try (var crcs = java.nio.file.Files.list(saved.resolve("metadata"))) {
      for (Path c : crcs.filter(p -> p.toString().endsWith(".crc")).toList()) {
        java.nio.file.Files.delete(c);
      }
    }
    HopfieldMemoryModel back = HopfieldMemoryModel.load(saved.toAbsolutePath().toString());
    assertFalse(back.isDefined(back.seed()));
    List<Row> want = model.transform(cues).collectAsList();
    assertEquals(want, back.copy(back.extractParamMap()).transform(cues).collectAsList());
  }

  /** A copy saved and loaded is still equal, and fits and transforms as the original. */
  @Test
  void aCopySavedAndLoadedStaysEqual() throws java.io.IOException {
    HopfieldMemory est = new HopfieldMemory().setRule("storkey").setSeed(3);
    HopfieldMemory copy = est.copy(est.extractParamMap());
    String dir = tmp.resolve("est").toAbsolutePath().toString();
    copy.write().save(dir);
    HopfieldMemory back = HopfieldMemory.load(dir);
    assertSameParams(est, back);
    assertTrue(back.isSet(back.seed()));
    HopfieldMemoryModel model = est.fit(patterns);
    List<Row> want = model.transform(cues).collectAsList();
    assertEquals(want, back.fit(patterns).transform(cues).collectAsList());
    // a model's copy too
    String at = tmp.resolve("model").toAbsolutePath().toString();
    model.copy(model.extractParamMap()).write().save(at);
    HopfieldMemoryModel loaded = HopfieldMemoryModel.load(at);
    assertSameParams(model, loaded);
    assertEquals(want, loaded.transform(cues).collectAsList());
  }
}
