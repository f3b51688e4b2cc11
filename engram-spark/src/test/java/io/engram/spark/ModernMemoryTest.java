package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.ModelFile;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.spark.LocalSpark.Column;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modern memory through the estimator: broadcast and sharded retrieval against the core. */
class ModernMemoryTest {

  private static final int N = 32;
  private static float[][] real;
  private static float[][] realCues;
  private static float[][] bipolar;
  private static float[][] bipolarCues;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    real = LocalSpark.patterns(300, N, false, 51);
    realCues = noisyReal(real, 37, 52);
    bipolar = LocalSpark.patterns(120, N, true, 53);
    bipolarCues = LocalSpark.noisy(bipolar, 37, 6, 54);
  }

  private static float[][] noisyReal(float[][] x, int count, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[][] c = new float[count][];
    for (int q = 0; q < count; q++) {
      c[q] = x[(q * 7) % x.length].clone();
      for (int i = 0; i < N; i++) {
        c[q][i] += (float) (r.nextGaussian() * 0.4);
      }
    }
    return c;
  }

  private static ModernHopfieldMemory core(Separation s, float beta, int degree, float[][] x) {
    ModernHopfieldMemory m = ModernHopfieldMemory.of(N, s, beta, degree);
    m.store(x);
    return m;
  }

  /**
   * Rows against the core: exactly ({@code tol = 0}) or with states, energies and weights within
   * {@code tol} (relative to 1) and the same best pattern, steps and convergence.
   */
  static void assertRetrieved(List<RecallResult> want, List<Row> got, double tol) {
    assertEquals(want.size(), got.size());
    for (int q = 0; q < want.size(); q++) {
      Row g = got.get(q);
      RecallResult w = want.get(q);
      String at = "query " + q;
      assertEquals(q, g.<Long>getAs("id"), "row order");
      float[] state = LocalSpark.floats(g, "prediction");
      int n = state.length;
      if (tol == 0) {
        assertArrayEquals(w.state(), state, at);
        assertEquals(w.energy(), g.<Double>getAs("energy"), at);
        assertEquals((double) w.matches().get(0).weight(), g.<Double>getAs("weight"), at);
      } else {
        for (int i = 0; i < n; i++) {
          assertEquals(w.state()[i], state[i], tol * Math.max(1, Math.abs(w.state()[i])), at);
        }
        double e = w.energy();
        assertEquals(e, g.<Double>getAs("energy"), tol * Math.max(1, Math.abs(e)) * 10, at);
        assertEquals(w.matches().get(0).weight(), g.<Double>getAs("weight"), tol, at);
      }
      assertEquals(w.matches().get(0).index(), g.<Integer>getAs("best"), at);
      if (tol == 0) {
        assertEquals(w.steps(), g.<Integer>getAs("steps"), at);
        assertEquals(w.converged(), g.<Boolean>getAs("converged"), at);
      } else {
        // convergence is a bit-exact fixed point, which the merge's rounding may reach a step
        // earlier or later than the core's single pass
        assertTrue(Math.abs(w.steps() - g.<Integer>getAs("steps")) <= 1, at);
      }
    }
  }

  @Test
  void broadcastRetrievalIsTheCores() {
    Dataset<Row> data = LocalSpark.frame(real, Column.FLOATS, 3);
    Dataset<Row> cues = LocalSpark.frame(realCues, Column.DOUBLES, 2);
    HopfieldMemoryModel model = new HopfieldMemory().setMemory("modern").fit(data);
    assertFalse(model.isSharded());
    assertEquals(1, model.getMaxIter(), "one step, as the core's default");
    ModernHopfieldMemory want = core(Separation.SOFTMAX, (float) (1 / Math.sqrt(N)), 0, real);
    assertArrayEquals(want.toArray(), ((ModernHopfieldMemory) model.storedMemory()).toArray());
    assertRetrieved(
        want.retrieveAll(realCues), model.transform(cues).orderBy("id").collectAsList(), 0);
  }

  @Test
  void shardedRetrievalMergesToTheCoresResult() {
    Dataset<Row> data = LocalSpark.frame(real, Column.FLOATS, 4);
    Dataset<Row> cues = LocalSpark.frame(realCues, Column.FLOATS, 3);
    for (float beta : new float[] {0.2f, 2f}) {
      HopfieldMemoryModel model =
          new HopfieldMemory()
              .setMemory("modern")
              .setBeta(beta)
              .setBroadcastLimit(0)
              .setMaxIter(3)
              .fit(data);
      assertTrue(model.isSharded());
      ModernHopfieldMemory want = core(Separation.SOFTMAX, beta, 0, real);
      RecallOptions o = want.defaultRecallOptions().withMaxIterations(3);
      assertRetrieved(want.retrieveAll(realCues, o), model.transform(cues).collectAsList(), 2e-6);
      // saved through the driver: the core's model file of the same patterns
      assertArrayEquals(want.toArray(), ((ModernHopfieldMemory) model.storedMemory()).toArray());
    }
  }

  @Test
  void shardedBinarySeparationsAreTheCores() {
    Dataset<Row> data = LocalSpark.frame(bipolar, Column.INTS, 3);
    Dataset<Row> cues = LocalSpark.frame(bipolarCues, Column.FLOATS, 2);
    for (Separation s : new Separation[] {Separation.POLYNOMIAL, Separation.RECTIFIED}) {
      HopfieldMemoryModel model =
          new HopfieldMemory()
              .setMemory("modern")
              .setSeparation(s.id())
              .setDegree(4)
              .setBroadcastLimit(0)
              .setMaxIter(5)
              .fit(data);
      ModernHopfieldMemory want = core(s, Float.NaN, 4, bipolar);
      RecallOptions o = want.defaultRecallOptions().withMaxIterations(5);
      // exact integer sums: bit for bit
      assertRetrieved(want.retrieveAll(bipolarCues, o), model.transform(cues).collectAsList(), 0);
    }
    HopfieldMemoryModel exp =
        new HopfieldMemory()
            .setMemory("modern")
            .setSeparation("exp")
            .setBeta(0.3)
            .setBroadcastLimit(0)
            .fit(data);
    ModernHopfieldMemory want = core(Separation.EXP, 0.3f, 0, bipolar);
    assertRetrieved(want.retrieveAll(bipolarCues), exp.transform(cues).collectAsList(), 2e-6);

    // a binary separation refuses other values, naming the pattern
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new HopfieldMemory()
                    .setMemory("modern")
                    .setSeparation("polynomial")
                    .fit(LocalSpark.frame(real, Column.FLOATS, 2)));
    assertTrue(e.getMessage().contains("pattern"), e.getMessage());
  }

  @Test
  void modelFilesOfTheCliLoadIntoAPipelineAndSaveAsTheCliWrites() throws IOException {
    ModernHopfieldMemory want = core(Separation.SOFTMAX, 0.7f, 0, real);
    Path cli = tmp.resolve("modern.npz");
    ModelFile.write(cli, want); // what engram train --memory modern --beta 0.7 writes
    Dataset<Row> cues = LocalSpark.frame(realCues, Column.VECTOR, 2);
    HopfieldMemoryModel loaded = HopfieldMemoryModel.load(cli.toString());
    assertEquals("modern", loaded.getMemory());
    assertEquals(0.7f, (float) loaded.getBeta());
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {loaded}).fit(cues);
    List<RecallResult> expected = want.retrieveAll(realCues);
    assertRetrieved(expected, pipeline.transform(cues).orderBy("id").collectAsList(), 0);
    // the same model, sharded from the driver past the broadcast limit
    assertRetrieved(
        expected,
        loaded
            .copy(new org.apache.spark.ml.param.ParamMap())
            .setBroadcastLimit(0)
            .transform(cues)
            .collectAsList(),
        2e-6);

    // a sharded model saves the very file the core writes
    HopfieldMemoryModel sharded =
        new HopfieldMemory()
            .setMemory("modern")
            .setBeta(0.7)
            .setBroadcastLimit(0)
            .fit(LocalSpark.frame(real, Column.FLOATS, 3));
    String dir = tmp.resolve("saved").toString();
    pipelineOf(sharded).write().save(dir);
    PipelineModel back = PipelineModel.load(dir);
    HopfieldMemoryModel m = (HopfieldMemoryModel) back.stages()[0];
    assertArrayEquals(want.toArray(), ((ModernHopfieldMemory) m.storedMemory()).toArray());
    Path saved;
    try (var files = java.nio.file.Files.walk(Path.of(dir))) {
      saved = files.filter(f -> f.endsWith("data/model.npz")).findFirst().orElseThrow();
    }
    assertArrayEquals(
        java.nio.file.Files.readAllBytes(cli), java.nio.file.Files.readAllBytes(saved), "bytes");
    assertEquals(0L, m.getBroadcastLimit());
    assertRetrieved(expected, back.transform(cues).collectAsList(), 2e-6);
  }

  private static PipelineModel pipelineOf(HopfieldMemoryModel m) {
    return new Pipeline()
        .setStages(new PipelineStage[] {m})
        .fit(LocalSpark.frame(realCues, Column.FLOATS, 1));
  }

  @Test
  void dynamicsDoNotApplyToModernMemory() {
    Dataset<Row> patterns = LocalSpark.frame(real, Column.FLOATS, 2);
    HopfieldMemoryModel model = new HopfieldMemory().setMemory("modern").fit(patterns);
    Dataset<Row> cues = LocalSpark.frame(realCues, Column.FLOATS, 2);
    List<Row> want = model.transform(cues).collectAsList();
    // ignored, as every parameter that does not apply (a tuning grid sets them on every candidate)
    HopfieldMemoryModel tanh = model.copy(ParamMap.empty()).setActivation("tanh").setSeed(3);
    assertEquals(want, tanh.transform(cues).collectAsList());
    HopfieldMemory async = new HopfieldMemory().setMemory("modern").setUpdate("async");
    assertEquals(
        new HopfieldMemory().setMemory("modern").transformSchema(cues.schema()),
        async.transformSchema(cues.schema()));
    assertEquals(want, async.fit(patterns).transform(cues).collectAsList());
  }
}
