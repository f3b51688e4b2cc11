package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.spark.LocalSpark.Column;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classical rules' statistics pass in {@code fit} names a bad pattern by its row within its
 * partition, the partition and the features column, as a modern memory's fit and {@code transform}
 * name it ("pattern 1 of partition 1: column features has length 7, ..."): it named the row and
 * partition but not the column ("pattern 1 of partition 1: pattern has length 7, expected 8"). The
 * RDD API, which has no column, keeps its words.
 */
class ClassicalFitNamingTest {

  private static final int N = 8;
  private static float[][] stored;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    stored = LocalSpark.patterns(4, N, true, 83);
  }

  /** Every classical fit: each rule and strategy, low-rank weights, and an initModel. */
  private List<Supplier<HopfieldMemory>> fits() throws IOException {
    Path init = tmp.resolve("init");
    new HopfieldMemory()
        .fit(LocalSpark.frame(stored, Column.FLOATS, 2))
        .write()
        .save(init.toAbsolutePath().toString());
    return List.of(
        () -> new HopfieldMemory(),
        () -> new HopfieldMemory().setStrategy("collect"),
        () -> new HopfieldMemory().setStrategy("reduce"),
        () -> new HopfieldMemory().setRule("anti-hebbian").setStrategy("reduce"),
        () -> new HopfieldMemory().setWeights("low-rank"),
        () -> new HopfieldMemory().setRule("pseudo-inverse"),
        () -> new HopfieldMemory().setRule("pseudo-inverse").setStrategy("collect"),
        () -> new HopfieldMemory().setRule("storkey"),
        () -> new HopfieldMemory().setInitModel(init.toAbsolutePath().toString()));
  }

  /** {@code rows} as column {@code name} (array of float), two rows per partition. */
  private static Dataset<Row> frame(List<float[]> rows, String name) {
    List<Row> r = new ArrayList<>();
    for (int k = 0; k < rows.size(); k++) {
      r.add(RowFactory.create((long) k, rows.get(k)));
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.LongType, false)
            .add(name, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    return LocalSpark.session()
        .createDataFrame(LocalSpark.context().parallelize(r, rows.size() / 2), schema);
  }

  /** The stored patterns with row {@code k} replaced by {@code x}. */
  private static List<float[]> with(int k, float[] x) {
    List<float[]> rows = new ArrayList<>(Arrays.asList(stored));
    rows.set(k, x);
    return rows;
  }

  /** The bad rows (replacing row 3, the second of partition 1, or row 0) and what fit says. */
  private static Map<List<float[]>, String> bad(String where) {
    float[] nan = stored[3].clone();
    nan[5] = Float.NaN;
    float[] inf = stored[3].clone();
    inf[2] = Float.NEGATIVE_INFINITY;
    Map<List<float[]>, String> said = new LinkedHashMap<>();
    String second = "pattern 1 of partition 1: " + where + " has ";
    said.put(with(3, new float[N - 1]), second + "length 7, expected 8 (as the patterns before)");
    said.put(with(3, nan), second + "a non-finite value NaN at index 5");
    said.put(with(3, inf), second + "a non-finite value -Infinity at index 2");
    said.put(
        with(0, new float[0]),
        "pattern 0 of partition 0: "
            + where
            + " has length 0; a network needs at least one neuron");
    return said;
  }

  @Test
  void aBadPatternInAClassicalFitIsNamedByRowPartitionAndColumn() throws IOException {
    for (Supplier<HopfieldMemory> fit : fits()) {
      for (Map.Entry<List<float[]>, String> b : bad("column pixels").entrySet()) {
        Dataset<Row> df = frame(b.getKey(), "pixels");
        HopfieldMemory est = fit.get().setFeaturesCol("pixels");
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> est.fit(df), est.explainParams());
        assertEquals(b.getValue(), e.getMessage(), est.explainParams());
      }
    }
  }

  /**
   * Patterns of one length in one partition and another in the next: the first pattern of the later
   * partition is named with the column ("those of partition 0 have length 2, those of partition 1
   * length 3" named no row and no column).
   */
  @Test
  void patternsWhoseLengthDiffersBetweenPartitionsAreNamedByRowPartitionAndColumn()
      throws IOException {
    List<float[]> rows =
        List.of(
            new float[] {1, -1},
            new float[] {-1, 1},
            new float[] {1, -1, 1},
            new float[] {1, 1, 1});
    for (Supplier<HopfieldMemory> fit : fits()) {
      HopfieldMemory est = fit.get();
      if (!est.getInitModel().isEmpty()) {
        continue; // (the initModel's N = 8 is checked after the statistics pass)
      }
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> est.fit(frame(rows, "features")),
              est.explainParams());
      assertEquals(
          "pattern 0 of partition 1: column features has length 3, expected 2 (as the patterns"
              + " of partition 0)",
          e.getMessage());
    }
  }

  /**
   * The RDD API has no column: a bad pattern keeps its words ("pattern 1 of partition 1: pattern
   * has ..."), for every call that goes through the statistics pass, and the network is unchanged.
   */
  @Test
  void theRddApiNamesRowAndPartitionAsBefore() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(N);
    float[] before = net.weightMatrix();
    HebbianRule hebbian = HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    List<Consumer<JavaRDD<float[]>>> calls =
        List.of(
            rdd -> SparkHebbian.train(net, hebbian, rdd, SparkHebbian.Strategy.COLLECT),
            rdd -> SparkHebbian.train(net, hebbian, rdd, SparkHebbian.Strategy.REDUCE),
            rdd -> SparkHebbian.trainBlocked(hebbian, rdd, 4, tmp),
            rdd ->
                SparkRules.trainPseudoInverse(
                    net, PseudoInverseRule.create(), rdd, false, SparkRules.DEFAULT_COLLECT_LIMIT),
            rdd ->
                SparkRules.trainStorkey(
                    net, StorkeyRule.create(true), rdd, false, SparkRules.DEFAULT_COLLECT_LIMIT));
    for (Consumer<JavaRDD<float[]>> call : calls) {
      for (Map.Entry<List<float[]>, String> b : bad("pattern").entrySet()) {
        JavaRDD<float[]> rdd = LocalSpark.context().parallelize(b.getKey(), 2);
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> call.accept(rdd));
        assertEquals(b.getValue(), e.getMessage());
      }
      List<float[]> nulls = with(2, null);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> call.accept(LocalSpark.context().parallelize(nulls, 2)));
      assertEquals("pattern 0 of partition 1 is null", e.getMessage());
      List<float[]> ragged =
          List.of(
              new float[] {1, -1},
              new float[] {-1, 1},
              new float[] {1, -1, 1},
              new float[] {1, 1, 1});
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> call.accept(LocalSpark.context().parallelize(ragged, 2)));
      assertEquals(
          "pattern 0 of partition 1: pattern has length 3, expected 2 (as the patterns of"
              + " partition 0)",
          e.getMessage());
    }
    assertArrayEquals(before, net.weightMatrix());
    assertEquals(0, net.history().size());
  }

  /**
   * Partial statistics merged out of partition order (as their tasks end) name the first pattern of
   * the partition that differs from the ones before it: merged partitions are known by the first of
   * them, not by the first to end.
   */
  @Test
  void mergedPartsAreKnownByTheirFirstPartition() {
    float[] three = {1, -1, 1};
    PartitionStats p0 = PartitionStats.of(0, List.of(three).iterator(), "features");
    PartitionStats p1 = PartitionStats.of(1, List.of(new float[] {1, -1}).iterator(), "features");
    PartitionStats p2 = PartitionStats.of(2, List.of(three, three).iterator(), "features");
    PartitionStats merged = PartitionStats.merge(PartitionStats.merge(p2, p0), p1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, merged::throwIfInvalid);
    assertEquals(
        "pattern 0 of partition 1: column features has length 2, expected 3 (as the patterns of"
            + " partition 0)",
        e.getMessage());
  }
}
