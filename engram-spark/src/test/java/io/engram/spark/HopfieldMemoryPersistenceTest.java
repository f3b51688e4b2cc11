package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.ModelFile;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.UpdateMode;
import io.engram.spark.LocalSpark.Column;
import io.engram.weights.WeightsMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving and loading: Spark's layout around the Engram model file, in both directions between Spark
 * and the core's (and so the CLI's) model files, byte for byte.
 */
class HopfieldMemoryPersistenceTest {

  private static float[][] stored;
  private static float[][] cues;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    stored = LocalSpark.patterns(4, 40, true, 31);
    cues = LocalSpark.noisy(stored, 24, 7, 32);
  }

  private static String dir(Path p) {
    return p.toAbsolutePath().toString();
  }

  @Test
  void aSavedModelHoldsTheCoresModelFileByteForByte() throws IOException {
    HopfieldMemoryModel model =
        new HopfieldMemory()
            .setRule("anti-hebbian")
            .setActivation("tanh")
            .setTemperature(0.25)
            .setWeights("dense")
            .setPredictionCol("recalled")
            .setMaxIter(9)
            .fit(LocalSpark.frame(stored, Column.FLOATS, 2));
    Path saved = tmp.resolve("model");
    model.write().save(dir(saved));

    // the core, as `engram train --rule anti-hebbian --activation tanh --temperature 0.25
    // --weights dense` does it
    AmariHopfieldNetwork core =
        AmariHopfieldNetwork.create(
            40,
            Dynamics.DEFAULT.withActivation(Activation.TANH).withTemperature(0.25),
            WeightsMode.DENSE);
    HebbianRule.antiHebbian(HebbianOptions.DEFAULTS)
        .train(core, PatternBlock.of(stored), true, null);
    Path cli = tmp.resolve("cli.npz");
    ModelFile.write(cli, core);
    Path npz = saved.resolve("data/model.npz");
    assertArrayEquals(Files.readAllBytes(cli), Files.readAllBytes(npz));
    assertTrue(Files.isDirectory(saved.resolve("metadata")));
    assertArrayEquals(core.weightMatrix(), ModelFile.read(npz).weightMatrix());

    HopfieldMemoryModel back = HopfieldMemoryModel.load(dir(saved));
    assertEquals(model.uid(), back.uid());
    assertEquals("recalled", back.getPredictionCol());
    assertEquals(9, back.getMaxIter());
    assertEquals("anti-hebbian", back.getRule());
    assertEquals("tanh", back.getActivation());
    assertEquals(0.25, back.getTemperature());
    List<Row> a = model.transform(LocalSpark.frame(cues, Column.FLOATS, 2)).collectAsList();
    List<Row> b = back.transform(LocalSpark.frame(cues, Column.FLOATS, 3)).collectAsList();
    assertEquals(a, b);
    HopfieldMemoryTest.assertRecalled(
        core.recallBatch(cues, RecallOptions.defaults().withMaxIterations(9)), b, "recalled", true);

    // Spark's conventions: no silent overwrite; overwrite() replaces
    assertThrows(IOException.class, () -> model.write().save(dir(saved)));
    back.setMaxIter(3).write().overwrite().save(dir(saved));
    assertEquals(3, HopfieldMemoryModel.load(dir(saved)).getMaxIter());
    assertArrayEquals(Files.readAllBytes(cli), Files.readAllBytes(npz));
  }

  @Test
  void aCliModelFileLoadsAsAModelAndSavesBackUnchanged() throws IOException {
    // a low-rank model with a seeded random asynchronous order, trained in two calls
    AmariHopfieldNetwork core =
        AmariHopfieldNetwork.create(
            40, Dynamics.DEFAULT.withUpdateMode(UpdateMode.asynchronous(7L)), WeightsMode.AUTO);
    HebbianOptions o = HebbianOptions.DEFAULTS.withNormalizeByPatterns(false);
    HebbianRule.hebbian(o).train(core, PatternBlock.of(stored), true, null);
    HebbianRule.hebbian(o).train(core, PatternBlock.of(cues[0], cues[1]), true, null);
    Path cli = tmp.resolve("trained.npz");
    ModelFile.write(cli, core);

    HopfieldMemoryModel model = HopfieldMemoryModel.load(dir(cli));
    // the parameters describe the model file
    assertEquals("async", model.getUpdate());
    assertEquals(7L, model.getSeed());
    assertEquals("sign", model.getActivation());
    assertEquals("auto", model.getWeights());
    assertEquals(false, model.getNormalize());
    assertEquals(40, model.numNeurons());
    HopfieldMemoryTest.assertRecalled(
        core.recallBatch(cues, RecallOptions.defaults()),
        model.transform(LocalSpark.frame(cues, Column.DOUBLES, 3)).collectAsList(),
        "prediction",
        true);

    Path saved = tmp.resolve("saved");
    model.write().save(dir(saved));
    assertArrayEquals(Files.readAllBytes(cli), Files.readAllBytes(saved.resolve("data/model.npz")));
    // the wrapper for a network in memory makes the same file
    Path wrapped = tmp.resolve("wrapped");
    HopfieldMemoryModel.of(core).write().save(dir(wrapped));
    assertArrayEquals(
        Files.readAllBytes(cli), Files.readAllBytes(wrapped.resolve("data/model.npz")));
  }

  @Test
  void pipelinesFitSaveAndLoad() throws IOException {
    Dataset<Row> train = LocalSpark.frame(stored, Column.VECTOR, 2);
    Dataset<Row> test = LocalSpark.frame(cues, Column.VECTOR, 2);
    Pipeline pipeline =
        new Pipeline().setStages(new PipelineStage[] {new HopfieldMemory().setZeroDiagonal(false)});
    PipelineModel fitted = pipeline.fit(train);
    List<Row> want = fitted.transform(test).collectAsList();

    fitted.write().save(dir(tmp.resolve("pipeline-model")));
    PipelineModel loaded = PipelineModel.load(dir(tmp.resolve("pipeline-model")));
    assertEquals(want, loaded.transform(test).collectAsList());

    pipeline.write().save(dir(tmp.resolve("pipeline")));
    Pipeline reloaded = Pipeline.load(dir(tmp.resolve("pipeline")));
    HopfieldMemory est = (HopfieldMemory) reloaded.getStages()[0];
    assertEquals(false, est.getZeroDiagonal());
    assertEquals(want, reloaded.fit(train).transform(test).collectAsList());

    // a model file from the command line as a pipeline stage
    AmariHopfieldNetwork core = AmariHopfieldNetwork.create(40);
    HebbianRule.hebbian(HebbianOptions.DEFAULTS.withZeroDiagonal(false))
        .train(core, PatternBlock.of(stored), true, null);
    Path cli = tmp.resolve("cli.npz");
    ModelFile.write(cli, core);
    PipelineModel fromCli =
        new Pipeline()
            .setStages(new PipelineStage[] {HopfieldMemoryModel.load(dir(cli))})
            .fit(train);
    assertEquals(want, fromCli.transform(test).collectAsList());
  }

  @Test
  void anEstimatorSavesItsParameters() throws IOException {
    HopfieldMemory est =
        new HopfieldMemory()
            .setRule("storkey")
            .setSeed(11)
            .setStrategy("reduce")
            .setInitModel("somewhere.npz");
    est.write().save(dir(tmp.resolve("est")));
    HopfieldMemory back = HopfieldMemory.load(dir(tmp.resolve("est")));
    assertEquals(est.uid(), back.uid());
    assertEquals("storkey", back.getRule());
    assertEquals(11L, back.getSeed());
    assertEquals("reduce", back.getStrategy());
    assertEquals("somewhere.npz", back.getInitModel());
    assertEquals(est.explainParams(), back.explainParams());
  }

  @Test
  void aBadModelFileIsAClearError() throws IOException {
    Path junk = tmp.resolve("junk.npz");
    Files.write(junk, new byte[] {1, 2, 3});
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> HopfieldMemoryModel.load(dir(junk)));
    assertTrue(e.getMessage().contains("junk.npz"), e.getMessage());
    assertThrows(
        UncheckedIOException.class,
        () -> HopfieldMemoryModel.load(dir(tmp.resolve("missing.npz"))));
  }

  @Test
  void aModelSurvivesJavaSerialisation() throws Exception {
    HopfieldMemoryModel model =
        new HopfieldMemory().setMaxIter(4).fit(LocalSpark.frame(stored, Column.FLOATS, 2));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(model);
    }
    HopfieldMemoryModel back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (HopfieldMemoryModel) in.readObject();
    }
    assertEquals(4, back.getMaxIter());
    assertArrayEquals(model.network().weightMatrix(), back.network().weightMatrix());
    Dataset<Row> test = LocalSpark.frame(cues, Column.FLOATS, 2);
    assertEquals(model.transform(test).collectAsList(), back.transform(test).collectAsList());
  }

  /**
   * Spark reads a stage's {@code metadata/} as a dataset, expanding its path as a glob: a stage
   * saved to a folder whose name has a glob character could not be loaded, or (for {@code ?} and
   * {@code *}) was loaded with the metadata of another folder that the pattern matched.
   */
  @Test
  void aStageSavedToAFolderWithGlobCharactersLoadsItsOwnParameters() throws IOException {
    HopfieldMemoryModel model =
        new HopfieldMemory().fit(LocalSpark.frame(stored, Column.FLOATS, 2));
    Path decoy = tmp.resolve("run1");
    model.copy(org.apache.spark.ml.param.ParamMap.empty()).setMaxIter(1).write().save(dir(decoy));
    new HopfieldMemory().setMaxIter(1).write().save(dir(tmp.resolve("est-run1")));
    int k = 2;
    for (String name : List.of("run?", "run*", "run[1]", "run{1,x}", "run\\1")) {
      Path at = tmp.resolve(name);
      model.copy(org.apache.spark.ml.param.ParamMap.empty()).setMaxIter(k).write().save(dir(at));
      HopfieldMemoryModel back = HopfieldMemoryModel.load(dir(at));
      assertEquals(k, back.getMaxIter(), name);
      assertEquals(model.uid(), back.uid(), name);
      Path est = tmp.resolve("est-" + name);
      new HopfieldMemory().setMaxIter(k).write().save(dir(est));
      assertEquals(k, HopfieldMemory.load(dir(est)).getMaxIter(), name);
      // as an initial model, and saved over
      assertEquals(
          2,
          new HopfieldMemory()
              .setInitModel(dir(at))
              .fit(LocalSpark.frame(stored, Column.FLOATS, 2))
              .network()
              .history()
              .size(),
          name);
      back.setMaxIter(k + 10).write().overwrite().save(dir(at));
      assertEquals(k + 10, HopfieldMemoryModel.load(dir(at)).getMaxIter(), name);
      k++;
    }
    assertEquals(1, HopfieldMemoryModel.load(dir(decoy)).getMaxIter());
  }

  /** {@code from}'s model file copied over {@code to}'s, as a hand that swaps files does. */
  private static void swapModelFile(Path from, Path to) throws IOException {
    Files.copy(
        from.resolve(ModelFiles.MODEL),
        to.resolve(ModelFiles.MODEL),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** A save of {@code model} in a folder of its own named {@code name}. */
  private Path saved(HopfieldMemoryModel model, String name) throws IOException {
    Path p = tmp.resolve(name);
    model.write().save(dir(p));
    return p;
  }

  /**
   * A saved model whose {@code data/model.npz} was replaced by another model's is refused, naming
   * what the file holds and what the metadata says: it loaded without a word, and its parameters
   * then still said the old rule.
   */
  @Test
  void aModelFileSwappedForAnothersIsRefusedNamingBoth() throws IOException {
    Dataset<Row> eight = LocalSpark.frame(LocalSpark.patterns(3, 8, true, 41), Column.FLOATS, 2);
    Dataset<Row> sixteen = LocalSpark.frame(LocalSpark.patterns(3, 16, true, 42), Column.FLOATS, 2);
    Path hebbian8 = saved(new HopfieldMemory().fit(eight), "hebbian8");
    Path storkey16 = saved(new HopfieldMemory().setRule("storkey").fit(sixteen), "storkey16");
    Path storkey8 = saved(new HopfieldMemory().setRule("storkey").fit(eight), "storkey8");
    Path hebbian16 = saved(new HopfieldMemory().fit(sixteen), "hebbian16");
    Path modern8 = saved(new HopfieldMemory().setMemory("modern").fit(eight), "modern8");
    String[][] cases = {
      {"storkey16", "a storkey network of N = 16", "a hebbian network of N = 8"},
      {"storkey8", "a storkey network of N = 8", "a hebbian network of N = 8"},
      {"hebbian16", "a hebbian network of N = 16", "a hebbian network of N = 8"},
      {"modern8", "a modern memory (softmax) of N = 8", "a hebbian network of N = 8"},
    };
    for (String[] c : cases) {
      Path target = tmp.resolve("into-" + c[0]);
      copyTree(hebbian8, target);
      swapModelFile(tmp.resolve(c[0]), target);
      UncheckedIOException e =
          assertThrows(UncheckedIOException.class, () -> HopfieldMemoryModel.load(dir(target)));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "reading "
                      + dir(target)
                      + ": data/model.npz holds "
                      + c[1]
                      + ", but metadata/ says "
                      + c[2]
                      + "; was the file replaced?"),
          e.getMessage());
    }
    // and the other way: a network's file in a modern model's folder
    Path target = tmp.resolve("into-modern");
    copyTree(modern8, target);
    swapModelFile(hebbian8, target);
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> HopfieldMemoryModel.load(dir(target)));
    assertTrue(
        e.getMessage()
            .contains(
                "data/model.npz holds a hebbian network of N = 8, but metadata/ says a modern"
                    + " memory (softmax) of N = 8"),
        e.getMessage());
    // each saved model still loads as it was saved
    for (Path p : List.of(hebbian8, storkey16, storkey8, hebbian16, modern8)) {
      HopfieldMemoryModel.load(dir(p));
    }
    assertEquals("storkey", HopfieldMemoryModel.load(dir(storkey8)).getRule());
  }

  /**
   * Metadata saved before the model file was recorded in it (no {@code modelFile} field) is checked
   * against its parameters memory and rule: its own file loads, another rule's is refused.
   */
  @Test
  void metadataWithoutTheRecordIsCheckedAgainstItsParameters() throws IOException {
    Dataset<Row> eight = LocalSpark.frame(LocalSpark.patterns(3, 8, true, 41), Column.FLOATS, 2);
    Path hebbian = saved(new HopfieldMemory().fit(eight), "hebbian");
    Path storkey = saved(new HopfieldMemory().setRule("storkey").fit(eight), "storkey");
    Path old = tmp.resolve("old");
    copyTree(hebbian, old);
    try (var files = Files.list(old.resolve("metadata"))) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".crc")) {
          Files.delete(f);
        } else if (name.startsWith("part-")) {
          String json = Files.readString(f);
          String without = json.replaceAll(",\"modelFile\":\\{[^}]*\\}", "");
          assertTrue(json.contains("\"modelFile\":{") && !without.contains("modelFile"), json);
          Files.writeString(f, without);
        }
      }
    }
    assertEquals("hebbian", HopfieldMemoryModel.load(dir(old)).getRule());
    swapModelFile(storkey, old);
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> HopfieldMemoryModel.load(dir(old)));
    assertTrue(
        e.getMessage()
            .contains(
                "data/model.npz holds a storkey network of N = 8, but metadata/ says a"
                    + " hebbian network; was the file replaced?"),
        e.getMessage());
  }

  /** A copy of the folder {@code from} at {@code to}, without Hadoop's .crc files. */
  private static void copyTree(Path from, Path to) throws IOException {
    try (var all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else if (!p.getFileName().toString().endsWith(".crc")) {
          Files.copy(p, dest);
        }
      }
    }
  }
}
