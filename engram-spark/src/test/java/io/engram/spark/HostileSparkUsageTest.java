package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.spark.LocalSpark.Column;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second hostile round, the way Spark users work: null rows in every kind of fit and in the RDD
 * API, patterns whose length differs between partitions, a save path with a colon, metadata edited
 * by hand in place, and one bad row among many in a batch job, a written output and a stream.
 */
class HostileSparkUsageTest {

  private static final int N = 8;
  private static float[][] stored;
  private static Dataset<Row> patterns;
  private static HopfieldMemoryModel model;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    stored = LocalSpark.patterns(4, N, true, 71);
    patterns = LocalSpark.frame(stored, Column.FLOATS, 2);
    model = new HopfieldMemory().fit(patterns);
  }

  private static String dir(Path p) {
    return p.toAbsolutePath().toString();
  }

  /** {@code rows} (each an array, or null) as column features of {@code type}, in 2 partitions. */
  private static Dataset<Row> frame(List<Object[]> rows, org.apache.spark.sql.types.DataType type) {
    List<Row> r = new ArrayList<>();
    for (int k = 0; k < rows.size(); k++) {
      r.add(RowFactory.create((long) k, rows.get(k)));
    }
    StructType schema =
        new StructType().add("id", DataTypes.LongType, false).add("features", type, true);
    return LocalSpark.session().createDataFrame(LocalSpark.context().parallelize(r, 2), schema);
  }

  private static Object[] boxed(float[] x) {
    Object[] o = new Object[x.length];
    for (int i = 0; i < x.length; i++) {
      o[i] = x[i];
    }
    return o;
  }

  /**
   * A null features value in fit is named by pattern, partition and column for every rule, strategy
   * and memory kind, with or without an initModel: the classical rules' statistics (and a modern
   * memory's with an initModel) failed a task with the core's "NullPointerException: x", which
   * {@code fit} passed on as an IllegalStateException naming nothing.
   */
  @Test
  void aNullRowInFitIsNamedForEveryRuleAndMemory() throws IOException {
    List<Object[]> rows = new ArrayList<>();
    for (float[] x : stored) {
      rows.add(boxed(x));
    }
    rows.set(1, null); // row 1: the second of partition 0
    Dataset<Row> nulls = frame(rows, DataTypes.createArrayType(DataTypes.FloatType, true));
    Path classical = tmp.resolve("classical");
    Path modern = tmp.resolve("modern");
    model.write().save(dir(classical));
    new HopfieldMemory().setMemory("modern").fit(patterns).write().save(dir(modern));
    List<Supplier<HopfieldMemory>> fits =
        List.of(
            () -> new HopfieldMemory().setStrategy("collect"),
            () -> new HopfieldMemory().setStrategy("reduce"),
            () -> new HopfieldMemory().setRule("pseudo-inverse"),
            () -> new HopfieldMemory().setRule("pseudo-inverse").setStrategy("collect"),
            () -> new HopfieldMemory().setRule("storkey"),
            () -> new HopfieldMemory().setMemory("modern"),
            () -> new HopfieldMemory().setMemory("modern").setBroadcastLimit(0),
            () -> new HopfieldMemory().setInitModel(dir(classical)),
            () -> new HopfieldMemory().setMemory("modern").setInitModel(dir(modern)));
    for (Supplier<HopfieldMemory> est : fits) {
      HopfieldMemory e = est.get();
      IllegalArgumentException bad =
          assertThrows(IllegalArgumentException.class, () -> e.fit(nulls), e.explainParams());
      assertTrue(
          bad.getMessage().contains("pattern 1 of partition 0: column features is null"),
          bad.getMessage());
    }
    // the initial models are as they were
    assertEquals(
        model.transform(patterns).collectAsList(),
        HopfieldMemoryModel.load(dir(classical)).transform(patterns).collectAsList());
  }

  /**
   * A bad pattern in a modern memory's fit (broadcast, sharded, continuing an initModel) is named
   * by its row within its partition, the partition and the column, as the classical rules name it:
   * it was "pattern 3 has length 7, expected N = 8" (an index in the whole dataset, no column), "in
   * the patterns from index 2: pattern 1 has a non-finite value ..." (the index within a shard) and
   * "HopfieldMemory_...: pattern 0 is null or empty".
   */
  @Test
  void aBadPatternInAModernFitIsNamedByRowPartitionAndColumn() throws IOException {
    Path init = tmp.resolve("init");
    new HopfieldMemory()
        .setMemory("modern")
        .setSeparation("polynomial")
        .fit(patterns)
        .write()
        .save(dir(init));
    List<HopfieldMemory> fits =
        List.of(
            new HopfieldMemory().setMemory("modern").setSeparation("polynomial"),
            new HopfieldMemory()
                .setMemory("modern")
                .setSeparation("polynomial")
                .setBroadcastLimit(0),
            new HopfieldMemory().setMemory("modern").setInitModel(dir(init)));
    float[] nan = stored[3].clone();
    nan[5] = Float.NaN;
    float[] half = stored[3].clone();
    half[2] = 0.5f;
    String at =
        "pattern 1 of partition 1: column features has "; // row 3: the second of partition 1
    for (HopfieldMemory est : fits) {
      String n = est.getInitModel().isEmpty() ? "the first pattern's length" : "the initModel's";
      Map<float[], String> said = new java.util.LinkedHashMap<>();
      said.put(new float[N - 1], at + "length 7, expected N = 8 (" + n + ")");
      said.put(nan, at + "a non-finite value NaN at index 5");
      said.put(half, at + "the value 0.5 at index 2; polynomial separation needs ±1 values");
      for (Map.Entry<float[], String> bad : said.entrySet()) {
        List<Object[]> rows = new ArrayList<>();
        for (float[] x : stored) {
          rows.add(boxed(x));
        }
        rows.set(3, boxed(bad.getKey()));
        Dataset<Row> df = frame(rows, DataTypes.createArrayType(DataTypes.FloatType, false));
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> est.fit(df), est.explainParams());
        assertEquals(bad.getValue(), e.getMessage());
      }
      List<Object[]> rows = new ArrayList<>();
      for (float[] x : stored) {
        rows.add(boxed(x));
      }
      rows.set(0, boxed(new float[0]));
      Dataset<Row> empty = frame(rows, DataTypes.createArrayType(DataTypes.FloatType, false));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> est.fit(empty));
      assertEquals(
          "pattern 0 of partition 0: column features has length 0"
              + (est.getInitModel().isEmpty()
                  ? "; a memory needs N >= 1"
                  : ", expected N = 8 (the initModel's)"),
          e.getMessage());
    }
    // the initial model is as it was
    assertEquals(
        4,
        ((io.engram.memory.ModernHopfieldMemory) HopfieldMemoryModel.load(dir(init)).storedMemory())
            .size());
  }

  /**
   * A null pattern given to the RDD API is named by partition and row, and leaves the network as it
   * was: it was a task failure with the core's "NullPointerException: x".
   */
  @Test
  void aNullPatternInAnRddIsNamedAndChangesNothing() {
    List<float[]> list = new ArrayList<>(Arrays.asList(stored));
    list.set(2, null); // the first of partition 1
    JavaRDD<float[]> rdd = LocalSpark.context().parallelize(list, 2);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(N);
    SparkHebbian.train(
        net,
        HebbianRule.hebbian(HebbianOptions.DEFAULTS),
        LocalSpark.context().parallelize(Arrays.asList(stored), 2));
    float[] before = net.weightMatrix();
    List<Runnable> calls =
        List.of(
            () -> SparkHebbian.train(net, HebbianRule.hebbian(HebbianOptions.DEFAULTS), rdd),
            () ->
                SparkHebbian.train(
                    net,
                    HebbianRule.hebbian(HebbianOptions.DEFAULTS),
                    rdd,
                    SparkHebbian.Strategy.REDUCE));
    for (Runnable call : calls) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
      assertEquals("pattern 0 of partition 1 is null", e.getMessage());
      assertArrayEquals(before, net.weightMatrix());
      assertEquals(1, net.history().size());
    }
  }

  /**
   * Patterns of one length in one partition and another in the next are named by the later
   * partition's first row, the partition and the column, with the earlier partition's length: the
   * core's merge said "patterns have lengths 2 and 3 in different parts", naming neither the
   * partitions nor the column's data (and then "patterns have different lengths: those of partition
   * 0 have length 2, those of partition 1 length 3", naming no row and no column).
   */
  @Test
  void patternsWhoseLengthDiffersBetweenPartitionsAreNamedByPartition() {
    List<Object[]> rows = List.of(boxed(new float[] {1, -1}), boxed(new float[] {1, -1, 1}));
    Dataset<Row> ragged = frame(rows, DataTypes.createArrayType(DataTypes.FloatType, false));
    for (HopfieldMemory est :
        List.of(
            new HopfieldMemory(),
            new HopfieldMemory().setStrategy("reduce"),
            new HopfieldMemory().setRule("pseudo-inverse"),
            new HopfieldMemory().setRule("storkey"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> est.fit(ragged));
      assertEquals(
          "pattern 0 of partition 1: column features has length 3, expected 2 (as the patterns"
              + " of partition 0)",
          e.getMessage());
    }
  }

  /**
   * A stage saved to a folder whose name holds a colon ({@code run:1}, a time of day) saves,
   * overwrites and loads: the folder it is staged in beside the target had the colon too, which
   * Hadoop read as a URI scheme ("URISyntaxException: Relative path in absolute URI:
   * .run:1.engram-...new", a folder the user never named).
   */
  @Test
  void aStageSavedToAFolderWithAColonLoadsBack() throws IOException {
    Path target = tmp.resolve("run:12:30");
    model.write().save(dir(target));
    model.write().overwrite().save(dir(target));
    assertEquals(
        model.transform(patterns).collectAsList(),
        HopfieldMemoryModel.load(dir(target)).transform(patterns).collectAsList());
    try (var beside = Files.list(tmp)) {
      assertEquals(List.of(target), beside.toList()); // no staging folder left
    }
    Path est = tmp.resolve("est:1");
    new HopfieldMemory().setRule("storkey").write().save(dir(est));
    assertEquals("storkey", HopfieldMemory.load(dir(est)).getRule());
  }

  /**
   * Metadata edited by hand in place (its .crc file left beside it) is named as a checksum
   * mismatch, with what to do: Spark said only "Encountered error while reading file ...". Without
   * the .crc files, the edit loads.
   */
  @Test
  void metadataEditedInPlaceIsNamedAsAChecksumMismatch() throws IOException {
    Path saved = tmp.resolve("edited");
    model.write().save(dir(saved));
    Path meta = saved.resolve("metadata");
    Path part;
    try (var files = Files.list(meta)) {
      part = files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().get();
    }
    String text = Files.readString(part);
    assertTrue(text.contains("\"maxIter\":20"), text);
    Files.writeString(part, text.replace("\"maxIter\":20", "\"maxIter\":7"));
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> HopfieldMemoryModel.load(dir(saved)));
    assertEquals(
        "reading "
            + dir(saved)
            + ": metadata/ does not match its checksum (the .crc file Hadoop wrote beside it): it"
            + " was changed after it was saved, by hand perhaps; delete the .crc files in"
            + " metadata/ to keep the change, or save the stage again",
        e.getMessage());
    try (var files = Files.list(meta)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".crc")).toList()) {
        Files.delete(p);
      }
    }
    assertEquals(7, HopfieldMemoryModel.load(dir(saved)).getMaxIter());
  }

  /**
   * By default ({@code handleInvalid} error, as Spark's own stages) one non-finite cue among many
   * fails the job naming its row, partition, column and index: in a batch, in a written output
   * (which is then not there: Spark's commit protocol) and on a stream (the query stops with it).
   */
  @Test
  void oneNonFiniteCueAmongManyFailsTheJobNamingIt() throws Exception {
    float[][] cues = LocalSpark.noisy(stored, 30, 1, 72);
    cues[17][5] = Float.NaN; // partition 1 of 3 (rows 10..19): its row 7
    Dataset<Row> bad = LocalSpark.frame(cues, Column.FLOATS, 3);
    String said = "row 7 of partition 1: column features has a non-finite value NaN at index 5";
    SparkException job =
        assertThrows(SparkException.class, () -> model.transform(bad).collectAsList());
    assertTrue(job.getMessage().contains(said), job.getMessage());
    Path out = tmp.resolve("out");
    assertThrows(SparkException.class, () -> model.transform(bad).write().parquet(dir(out)));
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    if (Files.exists(out)) {
      try (var left = Files.list(out)) {
        assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".parquet")).toList());
      }
    }

    Path in = tmp.resolve("cues");
    bad.write().parquet(dir(in));
    Dataset<Row> stream = LocalSpark.session().readStream().schema(bad.schema()).parquet(dir(in));
    StreamingQuery query =
        model
            .transform(stream)
            .writeStream()
            .format("memory")
            .queryName("bad_" + Long.toHexString(System.nanoTime()))
            .trigger(Trigger.AvailableNow())
            .start();
    try {
      StreamingQueryException e =
          assertThrows(StreamingQueryException.class, query::awaitTermination);
      assertTrue(
          e.getMessage().contains("column features has a non-finite value NaN"), e.getMessage());
    } finally {
      query.stop();
    }
  }

  /**
   * {@code handleInvalid} skip leaves out every row that cannot be recalled (null, another length,
   * a null element, NaN, infinite; not ±1 for a binary separation), and keep gives it null output
   * columns (nullable then in the schema), as VectorAssembler's does, for a classical network (also
   * in a seeded random order, by the rows' index in the dataset), a broadcast and a sharded modern
   * memory, and on a stream; the other rows recall the same under both, and (classical, in order)
   * as the default error mode recalls them in a dataset without the invalid rows.
   */
  @Test
  void handleInvalidSkipLeavesOutAndKeepNullsEveryRowThatCannotBeRecalled() throws Exception {
    List<Object[]> rows = new ArrayList<>();
    float[][] cues = LocalSpark.noisy(stored, 12, 1, 73);
    for (float[] c : cues) {
      rows.add(boxed(c));
    }
    rows.set(1, null);
    rows.set(4, boxed(new float[] {1, -1, 1}));
    rows.get(6)[2] = null;
    rows.get(8)[0] = Float.NaN;
    rows.get(10)[7] = Float.NEGATIVE_INFINITY;
    List<Integer> invalid = List.of(1, 4, 6, 8, 10);
    Dataset<Row> mixed = frame(rows, DataTypes.createArrayType(DataTypes.FloatType, true));
    List<Object[]> goodRows = new ArrayList<>();
    for (int k = 0; k < rows.size(); k++) {
      goodRows.add(invalid.contains(k) ? null : rows.get(k));
    }
    HopfieldMemoryModel modern =
        new HopfieldMemory().setMemory("modern").setSeparation("polynomial").fit(patterns);
    List<HopfieldMemoryModel> models =
        List.of(
            model,
            model.copy(new org.apache.spark.ml.param.ParamMap()).setSeed(5L),
            modern,
            modern.copy(new org.apache.spark.ml.param.ParamMap()).setBroadcastLimit(0));
    List<Object[]> binaryRows = new ArrayList<>(rows);
    binaryRows.set(3, rows.get(3).clone());
    binaryRows.get(3)[3] = 0.5f; // a finite cue that a binary separation refuses
    Dataset<Row> binaryMixed =
        frame(binaryRows, DataTypes.createArrayType(DataTypes.FloatType, true));
    for (HopfieldMemoryModel m : models) {
      boolean binary = m.modelMemory().network() == null;
      Dataset<Row> data = binary ? binaryMixed : mixed;
      List<Integer> bad = new ArrayList<>(invalid);
      if (binary) {
        bad.add(3);
      }
      List<Row> skipped =
          m.copy(new org.apache.spark.ml.param.ParamMap())
              .setHandleInvalid("skip")
              .transform(data)
              .orderBy("id")
              .collectAsList();
      List<Row> kept =
          m.copy(new org.apache.spark.ml.param.ParamMap())
              .setHandleInvalid("keep")
              .transform(data)
              .orderBy("id")
              .collectAsList();
      assertEquals(rows.size() - bad.size(), skipped.size(), m.explainParams());
      assertEquals(rows.size(), kept.size());
      int s = 0;
      for (int k = 0; k < rows.size(); k++) {
        Row row = kept.get(k);
        assertEquals((long) k, row.getLong(0));
        if (bad.contains(k)) {
          for (String c : new String[] {"prediction", "steps", "converged", "energy"}) {
            assertTrue(row.isNullAt(row.fieldIndex(c)), k + " " + c);
          }
          continue;
        }
        Row alone = skipped.get(s++);
        assertEquals((long) k, alone.getLong(0));
        assertEquals(alone, row);
      }
    }
    // the valid rows as the error mode recalls them without the invalid ones (seeded: by index)
    Dataset<Row> good =
        frame(goodRows, DataTypes.createArrayType(DataTypes.FloatType, true)).na().drop();
    assertEquals(
        model.transform(good).orderBy("id").collectAsList(),
        model
            .copy(new org.apache.spark.ml.param.ParamMap())
            .setHandleInvalid("skip")
            .transform(mixed)
            .orderBy("id")
            .collectAsList());
    StructType keepSchema =
        model
            .copy(new org.apache.spark.ml.param.ParamMap())
            .setHandleInvalid("keep")
            .transformSchema(mixed.schema());
    assertTrue(keepSchema.apply("prediction").nullable());
    assertFalse(model.transformSchema(mixed.schema()).apply("prediction").nullable());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> model.setHandleInvalid("drop"));
    assertTrue(e.getMessage().contains("handleInvalid"), e.getMessage());
    // a stream: keep gives every row, the invalid ones with null predictions
    Path in = tmp.resolve("mixed");
    mixed.write().parquet(dir(in));
    Dataset<Row> stream = LocalSpark.session().readStream().schema(mixed.schema()).parquet(dir(in));
    String name = "kept_" + Long.toHexString(System.nanoTime());
    StreamingQuery query =
        model
            .copy(new org.apache.spark.ml.param.ParamMap())
            .setHandleInvalid("keep")
            .transform(stream)
            .writeStream()
            .format("memory")
            .queryName(name)
            .trigger(Trigger.AvailableNow())
            .start();
    try {
      query.awaitTermination();
      assertEquals(
          List.of(RowFactory.create((long) rows.size(), (long) invalid.size())),
          LocalSpark.session()
              .sql("SELECT count(*), count_if(prediction IS NULL) FROM " + name)
              .collectAsList());
    } finally {
      query.stop();
      LocalSpark.session().sql("DROP VIEW IF EXISTS " + name);
    }
    // the estimator passes it to its model, and a saved model keeps it
    HopfieldMemoryModel fitted = new HopfieldMemory().setHandleInvalid("keep").fit(patterns);
    assertEquals("keep", fitted.getHandleInvalid());
    fitted.write().save(dir(tmp.resolve("keep")));
    assertEquals("keep", HopfieldMemoryModel.load(dir(tmp.resolve("keep"))).getHandleInvalid());
  }
}
