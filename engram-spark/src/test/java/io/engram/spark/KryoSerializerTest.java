package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseRule;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.spark.LocalSpark.Column;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Spark's Kryo serializer ({@code spark.serializer=org.apache.spark.serializer.KryoSerializer}, a
 * common setting) carries every object that crosses a shuffle or comes back from a task. Its Kryo
 * (version 4) cannot serialise a Java record, so the pseudo-inverse rule's Gram slices (a record
 * then) failed {@code fit}, and {@link SparkRecall}'s results could not be collected. The test
 * stops the shared session and runs in a Kryo one, stopped at the end ({@link LocalSpark#session()}
 * then makes the shared one again).
 */
class KryoSerializerTest {

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;

  @Test
  void everyPathRunsUnderTheKryoSerializer() throws IOException {
    LocalSpark.session().stop();
    SparkSession kryo =
        SparkSession.builder()
            .master("local[2]")
            .appName("engram-spark-kryo")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            .getOrCreate();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(kryo.sparkContext());
      float[][] x = LocalSpark.patterns(6, 24, false, 8);
      List<Row> rows = LocalSpark.rows(x, Column.DOUBLES);
      Dataset<Row> df =
          kryo.createDataFrame(sc.parallelize(rows, 3), LocalSpark.schema(Column.DOUBLES));

      // pseudo-inverse: the Gram matrix reduced from column slices (a shuffle), as the core's
      AmariHopfieldNetwork want =
          AmariHopfieldNetwork.create(24, Dynamics.DEFAULT, WeightsMode.AUTO);
      PseudoInverseRule.create().train(want, PatternBlock.of(x), true, null);
      HopfieldMemoryModel pinv = new HopfieldMemory().setRule("pseudo-inverse").fit(df);
      double[] d = ClassicalRulesTest.weightDiff(want, pinv.network());
      assertTrue(d[0] <= 1e-5 * d[1], "|dW| = " + d[0] + ", max " + d[1]);

      // SparkRecall's results collected, as the core recalls
      float[][] cues = LocalSpark.noisy(LocalSpark.patterns(4, 24, true, 9), 10, 3, 10);
      List<RecallResult> core = want.recallBatch(cues, RecallOptions.defaults());
      List<RecalledState> got =
          new ArrayList<>(
              SparkRecall.recall(
                      want, sc.parallelize(Arrays.asList(cues), 3), RecallOptions.defaults())
                  .collect());
      assertEquals(core.size(), got.size());
      for (int q = 0; q < got.size(); q++) {
        assertEquals(q, got.get(q).id());
        assertArrayEquals(core.get(q).state(), got.get(q).state(), "query " + q);
        assertEquals(core.get(q).steps(), got.get(q).steps(), "query " + q);
      }

      // transform, seeded, and a modern memory sharded on the cluster and cut from the driver
      assertEquals(6, pinv.transform(df).count());
      assertEquals(6, pinv.copy(ParamMap.empty()).setSeed(3).transform(df).collectAsList().size());
      HopfieldMemoryModel sharded =
          new HopfieldMemory().setMemory("modern").setBroadcastLimit(0).fit(df);
      List<Row> a = sharded.transform(df).orderBy("id").select("best").collectAsList();
      HopfieldMemoryModel held = new HopfieldMemory().setMemory("modern").fit(df);
      List<Row> b = held.transform(df).orderBy("id").select("best").collectAsList();
      List<Row> c =
          held.copy(ParamMap.empty())
              .setBroadcastLimit(0)
              .transform(df)
              .orderBy("id")
              .select("best")
              .collectAsList();
      assertEquals(b, a);
      assertEquals(b, c);
      for (int q = 0; q < b.size(); q++) {
        assertEquals(q, b.get(q).getInt(0), "each stored pattern retrieves itself");
      }

      // a modern memory continued from an initModel: its patterns validated and collected as one
      // result per task
      String init = tmp.resolve("init").toAbsolutePath().toString();
      held.write().save(init);
      HopfieldMemoryModel more =
          new HopfieldMemory().setMemory("modern").setInitModel(init).fit(df);
      assertArrayEquals(
          concat(
              ((ModernHopfieldMemory) held.storedMemory()).toArray(),
              ((ModernHopfieldMemory) held.storedMemory()).toArray()),
          ((ModernHopfieldMemory) more.storedMemory()).toArray());
    } finally {
      kryo.stop();
    }
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** No record travels between the driver and the executors: Kryo 4 cannot carry one. */
  @Test
  void noSerialisableRecordIsDeclared() throws IOException {
    Pattern record = Pattern.compile("\\brecord\\s+\\w+\\s*\\([^)]*\\)[^{]*\\bSerializable\\b");
    List<String> found = new ArrayList<>();
    try (var files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (record.matcher(Files.readString(f)).find()) {
          found.add(f.toString());
        }
      }
    }
    assertEquals(List.of(), found);
  }
}
