package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.spark.LocalSpark.Column;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark's tuning over rules and their options, written as a Spark user writes it: {@link
 * ParamGridBuilder}'s grid is a cartesian product, so it sets every option on every candidate, also
 * where the option does not apply (strategy and ridge for Storkey's rule, the rule and ridge for a
 * modern memory). Each candidate fits with what applies to it, and candidates that differ only in
 * options that do not apply fit the same memory and score the same.
 */
class TuningGridTest {

  private static final int N = 16;
  private static Dataset<Row> data;

  @BeforeAll
  static void data() {
    data = LocalSpark.frame(LocalSpark.patterns(8, N, true, 81), Column.FLOATS, 2);
  }

  private static <T> scala.collection.Iterable<T> values(List<T> v) {
    return scala.jdk.javaapi.CollectionConverters.asScala(v);
  }

  /** The index in {@code grid} of the candidate that sets {@code a} and {@code b} so. */
  private static int find(ParamMap[] grid, Param<String> a, String va, Param<String> b, String vb) {
    for (int i = 0; i < grid.length; i++) {
      if (va.equals(grid[i].apply(a)) && vb.equals(grid[i].apply(b))) {
        return i;
      }
    }
    throw new AssertionError("no candidate " + va + ", " + vb);
  }

  @Test
  void aCrossValidatorOverRulesAndStrategiesFitsEveryCandidate() {
    HopfieldMemory est = new HopfieldMemory();
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(est.rule(), values(List.of("hebbian", "storkey")))
            .addGrid(est.strategy(), values(List.of("collect", "reduce")))
            .build();
    assertEquals(4, grid.length);
    CrossValidatorModel cv =
        new CrossValidator()
            .setEstimator(est)
            .setEvaluator(new SparkInteropTest.Overlap())
            .setEstimatorParamMaps(grid)
            .setNumFolds(2)
            .setSeed(5)
            .fit(data);
    double[] metrics = cv.avgMetrics();
    assertEquals(grid.length, metrics.length);
    for (double m : metrics) {
      assertTrue(m > 0 && m <= 1, String.valueOf(m));
    }
    // Storkey's rule always collects: strategy changed nothing, to the last bit
    int collect = find(grid, est.rule(), "storkey", est.strategy(), "collect");
    int reduce = find(grid, est.rule(), "storkey", est.strategy(), "reduce");
    assertEquals(metrics[collect], metrics[reduce]);
    // the Hebbian rule and Storkey's differ: the grid did reach both
    int hebb = find(grid, est.rule(), "hebbian", est.strategy(), "collect");
    assertNotEquals(metrics[hebb], metrics[collect]);
    // the best candidate's model, refitted on all rows, is what its settings fit
    HopfieldMemoryModel best = (HopfieldMemoryModel) cv.bestModel();
    int b = 0;
    for (int i = 1; i < metrics.length; i++) {
      b = metrics[i] > metrics[b] ? i : b;
    }
    HopfieldMemory plain = new HopfieldMemory().setRule(grid[b].apply(est.rule()));
    assertEquals(
        plain.fit(data).transform(data).collectAsList(), best.transform(data).collectAsList());
  }

  @Test
  void aTrainValidationSplitOverMemoriesRulesAndRidgeFitsEveryCandidate() {
    HopfieldMemory est = new HopfieldMemory();
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(est.memory(), values(List.of("classical", "modern")))
            .addGrid(est.rule(), values(List.of("pseudo-inverse", "storkey")))
            .addGrid(est.ridge(), new double[] {0.0, 0.5})
            .build();
    assertEquals(8, grid.length);
    TrainValidationSplitModel tvs =
        new TrainValidationSplit()
            .setEstimator(est)
            .setEvaluator(new SparkInteropTest.Overlap())
            .setEstimatorParamMaps(grid)
            .setTrainRatio(0.75)
            .setSeed(9)
            .fit(data);
    double[] metrics = tvs.validationMetrics();
    assertEquals(grid.length, metrics.length);
    Double modern = null;
    Double storkey = null;
    for (int i = 0; i < grid.length; i++) {
      assertTrue(metrics[i] > 0 && metrics[i] <= 1, String.valueOf(metrics[i]));
      if ("modern".equals(grid[i].apply(est.memory()))) {
        // neither the rule nor ridge applies to a modern memory: every such candidate is one
        if (modern != null) {
          assertEquals(modern, metrics[i], grid[i].toString());
        }
        modern = metrics[i];
      } else if ("storkey".equals(grid[i].apply(est.rule()))) {
        if (storkey != null) {
          assertEquals(storkey, metrics[i], grid[i].toString());
        }
        storkey = metrics[i];
      }
    }
    assertNotEquals(modern, storkey);
    // a candidate's own fit ignores what does not apply to it: storkey with ridge 0.5 is storkey
    HopfieldMemory storkeyRidge = est.copy(new ParamMap().put(est.rule(), "storkey"));
    storkeyRidge.setRidge(0.5);
    assertEquals(
        new HopfieldMemory().setRule("storkey").fit(data).transform(data).collectAsList(),
        storkeyRidge.fit(data).transform(data).collectAsList());
  }
}
