package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engram.spark.LocalSpark.Column;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rows that pass from one typed operation to the next without being stored: Spark's optimiser
 * removes the conversion between two {@code mapPartitions}, so a transform over another's output,
 * or a typed {@code map} after it, sees the very rows the first produced. Their arrays must be what
 * a row read from Spark holds (a {@code Seq}): a Java array there failed the task with "class [F
 * cannot be cast to class scala.collection.Seq".
 */
class TransformChainTest {

  private static float[][] stored;
  private static HopfieldMemoryModel model;

  @BeforeAll
  static void data() {
    stored = LocalSpark.patterns(3, 32, true, 23);
    model = new HopfieldMemory().fit(LocalSpark.frame(stored, Column.FLOATS, 2));
  }

  /** The model recalling column {@code prediction} into {@code again} (and its own columns). */
  private static HopfieldMemoryModel second() {
    return model
        .copy(ParamMap.empty())
        .setFeaturesCol("prediction")
        .setPredictionCol("again")
        .setStepsCol("steps2")
        .setConvergedCol("converged2")
        .setEnergyCol("energy2");
  }

  @Test
  void aTransformOverAnothersOutputRecallsItForEveryColumnType() {
    float[][] cues = LocalSpark.noisy(stored, 6, 3, 9);
    for (Column type : Column.values()) {
      Dataset<Row> once = model.transform(LocalSpark.frame(cues, type, 2));
      List<Row> twice = second().transform(once).orderBy("id").collectAsList();
      assertEquals(6, twice.size(), type.name());
      for (Row r : twice) {
        // a recalled stored pattern is a fixed point: the second recall confirms it in one step
        assertArrayEquals(
            LocalSpark.floats(r, "prediction"), LocalSpark.floats(r, "again"), type.name());
        assertArrayEquals(
            stored[(int) r.getLong(0) % stored.length], LocalSpark.floats(r, "again"), type.name());
        assertEquals(1, r.<Integer>getAs("steps2"), type.name());
      }
    }
  }

  @Test
  void aTypedMapAfterATransformReadsThePredictionAsAList() {
    for (Column type : List.of(Column.FLOATS, Column.DOUBLES, Column.INTS)) {
      List<Integer> lengths =
          model
              .transform(LocalSpark.frame(stored, type, 2))
              .map(
                  (MapFunction<Row, Integer>) r -> r.getList(r.fieldIndex("prediction")).size(),
                  Encoders.INT())
              .collectAsList();
      assertEquals(List.of(32, 32, 32), lengths, type.name());
    }
  }

  @Test
  void rowsThatCodeMadeWithJavaArraysAreRecalled() {
    Dataset<Row> df = LocalSpark.frame(stored, Column.FLOATS, 2);
    List<Row> expected = model.transform(df).orderBy("id").collectAsList();
    for (int form = 0; form < 2; form++) {
      int f = form;
      Dataset<Row> made =
          df.map(
              (MapFunction<Row, Row>)
                  r -> {
                    List<Float> list = r.getList(1);
                    float[] a = new float[list.size()];
                    for (int i = 0; i < a.length; i++) {
                      a[i] = list.get(i);
                    }
                    Object v = f == 0 ? a : (Object) list.toArray(); // float[], Object[]
                    return RowFactory.create(r.getLong(0), v);
                  },
              Encoders.row(df.schema()));
      assertEquals(expected, model.transform(made).orderBy("id").collectAsList(), "form " + form);
    }
  }
}
