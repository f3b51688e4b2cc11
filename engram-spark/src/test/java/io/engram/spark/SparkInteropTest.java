package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.RecallOptions;
import io.engram.spark.LocalSpark.Column;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimator and the model among Spark's own ML pieces, as the README claims they work: after a
 * VectorAssembler in a saved and reloaded Pipeline, under CrossValidator (saved and reloaded), and
 * on a running stream.
 */
class SparkInteropTest {

  private static final int N = 16;
  private static float[][] stored;
  private static float[][] cues;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    stored = LocalSpark.patterns(3, N, true, 51);
    cues = LocalSpark.noisy(stored, 8, 3, 52);
  }

  private static String dir(Path p) {
    return p.toAbsolutePath().toString();
  }

  /**
   * Scalar columns assembled into the features vector (sparse where most values are 0, as
   * VectorAssembler compresses them): fit, transform, save and load as a Pipeline, each recalled
   * state the core's.
   */
  @Test
  void afterAVectorAssemblerInASavedPipeline() throws Exception {
    // rows of N scalar columns c0..c(N-1): the patterns, and cues with most values zeroed
    float[][] sparse = new float[cues.length][];
    for (int q = 0; q < cues.length; q++) {
      sparse[q] = cues[q].clone();
      for (int i = q % 3; i < N; i++) {
        sparse[q][i] = 0;
      }
    }
    String[] names = new String[N];
    org.apache.spark.sql.Column[] scalars = new org.apache.spark.sql.Column[N + 1];
    scalars[0] = functions.col("id");
    for (int i = 0; i < N; i++) {
      names[i] = "c" + i;
      scalars[i + 1] = functions.element_at(functions.col("features"), i + 1).as(names[i]);
    }
    Dataset<Row> train = LocalSpark.frame(stored, Column.DOUBLES, 2).select(scalars);
    Dataset<Row> test = LocalSpark.frame(sparse, Column.DOUBLES, 2).select(scalars);
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new VectorAssembler().setInputCols(names).setOutputCol("pixels"),
                  new HopfieldMemory().setFeaturesCol("pixels").setPredictionCol("recalled")
                });
    PipelineModel fitted = pipeline.fit(train);
    List<Row> got = fitted.transform(test).orderBy("id").collectAsList();
    assertTrue(
        got.stream()
            .anyMatch(r -> r.getAs("pixels") instanceof org.apache.spark.ml.linalg.SparseVector),
        "no sparse cue");
    AmariHopfieldNetwork core = AmariHopfieldNetwork.create(N);
    HebbianRule.hebbian(HebbianOptions.DEFAULTS).train(core, PatternBlock.of(stored), true, null);
    HopfieldMemoryTest.assertRecalled(
        core.recallBatch(sparse, RecallOptions.defaults()), got, "recalled", true);

    fitted.write().save(dir(tmp.resolve("fitted")));
    assertEquals(
        got,
        PipelineModel.load(dir(tmp.resolve("fitted")))
            .transform(test)
            .orderBy("id")
            .collectAsList());
  }

  /**
   * How well a memory recalls rows it did not store: the mean overlap {@code s·x / N} of the
   * recalled state with the row (larger is better). Saved with the validator, as Spark's own
   * evaluators are.
   */
  public static final class Overlap extends Evaluator implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;

    public Overlap() {
      this(Identifiable.randomUID("overlap"));
    }

    public Overlap(String uid) {
      this.uid = uid;
    }

    @Override
    public double evaluate(Dataset<?> d) {
      return d.toDF()
          .agg(
              functions.avg(
                  functions.expr(
                      "aggregate(zip_with(prediction, features, (s, x) -> s * x), 0D,"
                          + " (acc, v) -> acc + v) / size(features)")))
          .first()
          .getDouble(0);
    }

    @Override
    public Evaluator copy(ParamMap extra) {
      return defaultCopy(extra);
    }

    @Override
    public String uid() {
      return uid;
    }

    public static MLReader<Overlap> read() {
      return new DefaultParamsReader<>();
    }
  }

  /**
   * CrossValidator over the rule and maxIter: it fits each setting on each fold, keeps the best,
   * and saves and loads with its settings, its metrics and the best model.
   */
  @Test
  void underACrossValidatorSavedAndLoaded() throws java.io.IOException {
    float[][] rows = LocalSpark.patterns(8, N, true, 53);
    Dataset<Row> data = LocalSpark.frame(rows, Column.FLOATS, 2);
    HopfieldMemory est = new HopfieldMemory();
    ParamMap[] grid = {
      new ParamMap().put(est.rule(), "hebbian").put(est.maxIter(), 5),
      new ParamMap().put(est.rule(), "storkey").put(est.maxIter(), 0)
    };
    CrossValidatorModel cv =
        new CrossValidator()
            .setEstimator(est)
            .setEvaluator(new Overlap())
            .setEstimatorParamMaps(grid)
            .setNumFolds(2)
            .setSeed(7)
            .fit(data);
    double[] metrics = cv.avgMetrics();
    assertEquals(grid.length, metrics.length);
    int best = 0;
    for (int i = 1; i < metrics.length; i++) {
      best = metrics[i] > metrics[best] ? i : best;
    }
    HopfieldMemoryModel model = (HopfieldMemoryModel) cv.bestModel();
    assertEquals(grid[best].apply(est.rule()), model.getRule());
    assertEquals((int) (Integer) grid[best].apply(est.maxIter()), model.getMaxIter());
    // maxIter 0 returns every cue as it is: overlap 1, the best any setting can score
    for (int i = 0; i < grid.length; i++) {
      if ((Integer) grid[i].apply(est.maxIter()) == 0) {
        assertEquals(1.0, metrics[i], 1e-12);
      }
    }

    cv.write().save(dir(tmp.resolve("cv")));
    CrossValidatorModel back = CrossValidatorModel.load(dir(tmp.resolve("cv")));
    assertArrayEquals(metrics, back.avgMetrics());
    assertEquals(grid.length, back.getEstimatorParamMaps().length);
    assertEquals(
        model.transform(data).collectAsList(), back.bestModel().transform(data).collectAsList());
  }

  /** A running stream (files in, memory sink out) is recalled as the same rows in a batch. */
  @Test
  void onARunningStream() throws Exception {
    Dataset<Row> batch = LocalSpark.frame(cues, Column.VECTOR, 2);
    Path in = tmp.resolve("cues");
    batch.write().parquet(dir(in));
    HopfieldMemoryModel model =
        new HopfieldMemory().fit(LocalSpark.frame(stored, Column.FLOATS, 2));
    Dataset<Row> stream = LocalSpark.session().readStream().schema(batch.schema()).parquet(dir(in));
    String name = "recalled_" + Long.toHexString(System.nanoTime());
    StreamingQuery query =
        model
            .transform(stream)
            .writeStream()
            .format("memory")
            .queryName(name)
            .trigger(Trigger.AvailableNow())
            .start();
    try {
      query.awaitTermination();
      List<Row> got = LocalSpark.session().table(name).orderBy("id").collectAsList();
      List<Row> want = new ArrayList<>(model.transform(batch).orderBy("id").collectAsList());
      assertEquals(cues.length, got.size());
      assertEquals(want, got);
    } finally {
      query.stop();
      LocalSpark.session().sql("DROP VIEW IF EXISTS " + name);
    }
  }
}
