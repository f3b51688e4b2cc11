package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.spark.LocalSpark.Column;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A Java caller's value of the wrong type for a parameter: Spark's numeric and boolean parameters
 * are {@code Param<Object>} in Java, so {@code ParamMap.put(seed(), 42)} compiles and boxes an
 * Integer. Each is refused where it is given, naming the stage, the parameter and the type, never a
 * ClassCastException in a getter during fit or transform.
 */
class ParamValueTypesTest {

  /** A value of a type other than {@code p}'s own. */
  private static Object wrongValue(Param<?> p) {
    if (p instanceof IntParam) {
      return 3L;
    }
    if (p instanceof LongParam) {
      return 3;
    }
    if (p instanceof DoubleParam) {
      return 3;
    }
    if (p instanceof BooleanParam) {
      return "true";
    }
    return 3; // a string parameter
  }

  private static String typeOf(Param<?> p) {
    if (p instanceof IntParam) {
      return "an Integer";
    }
    if (p instanceof LongParam) {
      return "a Long";
    }
    if (p instanceof DoubleParam) {
      return "a Double";
    }
    return p instanceof BooleanParam ? "a Boolean" : "a String";
  }

  @SuppressWarnings("unchecked")
  private static void everyParameterRefusesAValueOfAnotherType(Params stage) {
    Param<?>[] all = stage.params();
    assertTrue(all.length >= 27, "the stage's parameters: " + all.length);
    for (Param<?> p : all) {
      Param<Object> q = (Param<Object>) p;
      Object bad = wrongValue(p);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new ParamMap().put(q, bad), p.name());
      assertEquals(
          stage.uid()
              + ": "
              + p.name()
              + " must be "
              + typeOf(p)
              + ", not "
              + (bad instanceof Integer ? "an Integer" : "a " + bad.getClass().getSimpleName())
              + " ("
              + bad
              + ")",
          e.getMessage().replaceAll("; in Java, write .*", ""),
          p.name());
      IllegalArgumentException n =
          assertThrows(IllegalArgumentException.class, () -> new ParamMap().put(q, null));
      assertEquals(stage.uid() + ": " + p.name() + " must not be null", n.getMessage());
    }
  }

  @Test
  void theEstimatorsParametersRefuseValuesOfAnotherTypeWhereTheyAreGiven() {
    everyParameterRefusesAValueOfAnotherType(new HopfieldMemory());
  }

  @Test
  void theModelsParametersRefuseValuesOfAnotherTypeWhereTheyAreGiven() {
    float[][] x = LocalSpark.patterns(3, 8, true, 5);
    everyParameterRefusesAValueOfAnotherType(
        new HopfieldMemory().fit(LocalSpark.frame(x, Column.FLOATS, 1)));
  }

  @Test
  void aJavaIntGivenForALongOrDoubleNamesTheLiteralThatFits() {
    HopfieldMemory est = new HopfieldMemory();
    ParamMap m = new ParamMap();
    IllegalArgumentException seed =
        assertThrows(IllegalArgumentException.class, () -> m.put(est.seed(), 42));
    assertEquals(
        est.uid() + ": seed must be a Long, not an Integer (42); in Java, write 42L",
        seed.getMessage());
    IllegalArgumentException t =
        assertThrows(IllegalArgumentException.class, () -> m.put(est.temperature(), 2));
    assertTrue(t.getMessage().endsWith("; in Java, write 2.0"), t.getMessage());
    assertEquals(0, m.size(), "nothing was put");
  }

  @Test
  void valuesOfTheRightTypeStillReachFitAndTransform() throws Exception {
    float[][] x = LocalSpark.patterns(3, 8, true, 5);
    Dataset<Row> df = LocalSpark.frame(x, Column.FLOATS, 1);
    HopfieldMemory est = new HopfieldMemory();
    HopfieldMemoryModel model =
        est.fit(
            df,
            new ParamMap()
                .put(est.seed(), 42L)
                .put(est.temperature(), 2.0)
                .put(est.subtractMean(), false)
                .put(est.maxIter(), 7));
    assertEquals(42L, model.getSeed());
    assertEquals(2.0, model.getTemperature());
    assertEquals(false, model.getSubtractMean());
    assertEquals(7, model.getMaxIter());
    assertEquals(3, model.transform(df, new ParamMap().put(model.maxIter(), 1)).count());
    // the checked boolean parameter is still a BooleanParam that travels with the stage
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(est);
    }
    HopfieldMemory back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (HopfieldMemory) in.readObject();
    }
    assertThrows(IllegalArgumentException.class, () -> new ParamMap().put(back.normalize(), "yes"));
    assertEquals(true, back.getNormalize());
  }
}
