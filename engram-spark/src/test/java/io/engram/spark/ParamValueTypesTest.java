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

  /** The choice parameters and their values. */
  private static final java.util.Map<String, java.util.List<String>> CHOICES =
      java.util.Map.of(
          "memory", MemoryParams.MEMORIES,
          "rule", MemoryParams.RULES,
          "separation", MemoryParams.SEPARATIONS,
          "activation", MemoryParams.ACTIVATIONS,
          "update", MemoryParams.UPDATES,
          "weights", MemoryParams.WEIGHTS,
          "strategy", MemoryParams.STRATEGIES,
          "handleInvalid", MemoryParams.HANDLE_INVALID);

  /**
   * Every choice parameter, on the estimator and the model, refuses a value outside its choices
   * naming them all, wherever it is given: it was Spark's "parameter handleInvalid given invalid
   * value drop.", which named none.
   */
  @Test
  void aValueOutsideItsChoicesIsRefusedNamingTheChoices() {
    float[][] x = LocalSpark.patterns(3, 8, true, 5);
    HopfieldMemory est = new HopfieldMemory();
    HopfieldMemoryModel model = est.fit(LocalSpark.frame(x, Column.FLOATS, 1));
    int seen = 0;
    for (Params stage : java.util.List.<Params>of(est, model)) {
      for (java.util.Map.Entry<String, java.util.List<String>> c : CHOICES.entrySet()) {
        if (!stage.hasParam(c.getKey())) {
          continue;
        }
        seen++;
        Param<Object> q = stage.getParam(c.getKey());
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> new ParamMap().put(q, "drop"));
        assertEquals(
            stage.uid()
                + ": "
                + c.getKey()
                + " must be one of "
                + String.join(", ", c.getValue())
                + ", not \"drop\"",
            e.getMessage());
        String upper = c.getValue().get(0).toUpperCase(java.util.Locale.ROOT);
        IllegalArgumentException u =
            assertThrows(IllegalArgumentException.class, () -> stage.set(q, upper));
        assertTrue(
            u.getMessage()
                .endsWith(
                    ", not \""
                        + upper
                        + "\" (values are lower case, without blanks: "
                        + c.getValue().get(0)
                        + ")"),
            u.getMessage());
      }
    }
    assertEquals(15, seen, "the estimator's 8 choice parameters and the model's 7");
    IllegalArgumentException setter =
        assertThrows(IllegalArgumentException.class, () -> est.setHandleInvalid("drop"));
    assertEquals(
        est.uid() + ": handleInvalid must be one of error, skip, keep, not \"drop\"",
        setter.getMessage());
    assertEquals("error", est.getHandleInvalid(), "nothing was set");
    assertThrows(IllegalArgumentException.class, () -> model.setHandleInvalid("Skip"));
    assertEquals("error", model.getHandleInvalid());
  }

  /** A saved stage whose metadata holds a value outside a parameter's choices says the same. */
  @Test
  void savedMetadataWithAValueOutsideItsChoicesNamesTheChoices(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path saved = tmp.resolve("est");
    new HopfieldMemory().setHandleInvalid("skip").write().save(saved.toString());
    try (var files = java.nio.file.Files.list(saved.resolve("metadata"))) {
      for (java.nio.file.Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".crc")) {
          java.nio.file.Files.delete(f);
        } else if (name.startsWith("part-")) {
          java.nio.file.Files.writeString(
              f,
              java.nio.file.Files.readString(f)
                  .replace("\"handleInvalid\":\"skip\"", "\"handleInvalid\":\"drop\""));
        }
      }
    }
    java.io.UncheckedIOException e =
        assertThrows(
            java.io.UncheckedIOException.class, () -> HopfieldMemory.load(saved.toString()));
    assertTrue(
        e.getMessage().startsWith("reading " + saved)
            && e.getMessage()
                .endsWith(": handleInvalid must be one of error, skip, keep, not \"drop\""),
        e.getMessage());
  }
}
