package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.spark.LocalSpark.Column;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Column names compare as Spark's analyser compares them: without case unless the session's {@code
 * spark.sql.caseSensitive} is true; the output columns' clash check, the features column's lookup
 * and the estimator alike, in {@code transformSchema} (the active session) and {@code transform} /
 * {@code fit} (the dataset's session). The clash check compared without case always: a
 * case-sensitive session could not add {@code ID} beside {@code id}.
 */
class ColumnCaseTest {

  private static float[][] stored;
  private static HopfieldMemoryModel model;
  private static Dataset<Row> plain; // the default session: case-insensitive
  private static Dataset<Row> cased; // a session with spark.sql.caseSensitive = true
  private static SparkSession caseSensitive;

  @BeforeAll
  static void data() {
    stored = LocalSpark.patterns(5, 16, true, 31);
    plain = LocalSpark.frame(stored, Column.FLOATS, 2);
    caseSensitive = LocalSpark.session().newSession();
    caseSensitive.conf().set("spark.sql.caseSensitive", "true");
    cased =
        caseSensitive.createDataFrame(
            LocalSpark.rows(stored, Column.FLOATS), LocalSpark.schema(Column.FLOATS));
    model = new HopfieldMemory().fit(plain);
  }

  /** {@code f} with {@code s} as this thread's active session (the one transformSchema reads). */
  private static <T> T in(SparkSession s, Supplier<T> f) {
    scala.Option<SparkSession> before = SparkSession.getActiveSession();
    SparkSession.setActiveSession(s);
    try {
      return f.get();
    } finally {
      if (before.isDefined()) {
        SparkSession.setActiveSession(before.get());
      } else {
        SparkSession.clearActiveSession();
      }
    }
  }

  private static HopfieldMemoryModel copy() {
    return model.copy(ParamMap.empty());
  }

  @Test
  void withoutCaseAnOutputColumnClashesAndTheFeaturesColumnIsFoundInAnyCase() {
    StructType schema = plain.schema();
    HopfieldMemoryModel id = copy().setPredictionCol("ID");
    for (org.junit.jupiter.api.function.Executable call :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> in(LocalSpark.session(), () -> id.transformSchema(schema)),
            () -> id.transform(plain),
            () -> new HopfieldMemory().setPredictionCol("ID").fit(plain))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
      assertTrue(
          e.getMessage().startsWith("Output column ID already exists (as id)"), e.getMessage());
      assertTrue(e.getMessage().contains("spark.sql.caseSensitive"), e.getMessage());
    }
    // two output columns of one name
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> copy().setStepsCol("Prediction").transform(plain));
    assertTrue(
        e.getMessage()
            .endsWith(
                ": predictionCol and stepsCol both name the output column Prediction (as"
                    + " prediction, without case); give each output column its own name, or an"
                    + " empty one to leave it out"),
        e.getMessage());
    // the features column in another case is the features column
    List<Row> want = model.transform(plain).collectAsList();
    List<Row> got = copy().setFeaturesCol("FEATURES").transform(plain).collectAsList();
    for (int q = 0; q < want.size(); q++) {
      assertArrayEquals(
          LocalSpark.floats(want.get(q), "prediction"),
          LocalSpark.floats(got.get(q), "prediction"));
    }
    assertArrayEquals(
        model.network().weightMatrix(),
        new HopfieldMemory().setFeaturesCol("FEATURES").fit(plain).network().weightMatrix());
    // two columns that differ only in case, neither named exactly: ambiguous, naming both
    Dataset<Row> both =
        plain.select(
            plain.col("features"), functions.reverse(plain.col("features")).as("Features"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> copy().setFeaturesCol("FEATURES").transform(both));
    assertTrue(
        e.getMessage().startsWith("Column 'FEATURES' is ambiguous")
            && e.getMessage().endsWith("the dataset has features, Features"),
        e.getMessage());
  }

  @Test
  void withCaseNamesThatDifferInCaseAreOtherColumns() {
    HopfieldMemoryModel upper = copy().setPredictionCol("ID").setStepsCol("Id");
    List<String> columns = List.of("id", "features", "ID", "Id", "converged", "energy");
    // transformSchema reads the active session; transform the dataset's
    assertEquals(
        columns,
        Arrays.asList(in(caseSensitive, () -> upper.transformSchema(cased.schema())).fieldNames()));
    assertThrows(
        IllegalArgumentException.class,
        () -> in(LocalSpark.session(), () -> upper.transformSchema(cased.schema())));
    assertThrows(IllegalArgumentException.class, () -> upper.transform(plain));
    Dataset<Row> out = in(LocalSpark.session(), () -> upper.transform(cased));
    assertEquals(columns, Arrays.asList(out.columns()));
    List<Row> want = model.transform(plain).collectAsList();
    List<Row> got = out.collectAsList();
    for (int q = 0; q < want.size(); q++) {
      assertArrayEquals(
          LocalSpark.floats(want.get(q), "prediction"), LocalSpark.floats(got.get(q), "ID"));
      assertEquals(want.get(q).<Integer>getAs("steps"), got.get(q).<Integer>getAs("Id"));
    }
    // the estimator alike
    HopfieldMemoryModel fitted = new HopfieldMemory().setPredictionCol("ID").fit(cased);
    assertArrayEquals(model.network().weightMatrix(), fitted.network().weightMatrix());
    // and the features column must be named in its case
    for (org.junit.jupiter.api.function.Executable call :
        List.<org.junit.jupiter.api.function.Executable>of(
            () ->
                in(
                    caseSensitive,
                    () -> copy().setFeaturesCol("FEATURES").transformSchema(cased.schema())),
            () -> copy().setFeaturesCol("FEATURES").transform(cased),
            () -> new HopfieldMemory().setFeaturesCol("FEATURES").fit(cased))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
      assertEquals(
          "Column 'FEATURES' does not exist; the columns are: id, features"
              + " (spark.sql.caseSensitive is true: names compare with case)",
          e.getMessage());
    }
  }
}
