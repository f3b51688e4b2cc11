package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.spark.LocalSpark.Column;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models used after the SparkSession that made them was stopped, in a new session (a notebook's
 * restarted kernel session, a job that stops its session between stages): what the model holds on
 * the driver keeps working; patterns that lived only on the stopped cluster are named as lost. The
 * test stops the shared session; {@link LocalSpark#session()} makes a new one for the tests after
 * it.
 */
class StoppedSessionTest {

  @TempDir Path tmp;

  /** The recalled states and best matches of {@code out}, by id. */
  private static List<String> recalled(Dataset<Row> out) {
    return out.orderBy("id").select("id", "prediction", "best").collectAsList().stream()
        .map(Row::toString)
        .toList();
  }

  @Test
  void aModelOutlivesItsSessionAndPatternsThatLivedOnlyOnItsClusterAreNamedAsLost()
      throws Exception {
    float[][] x = LocalSpark.patterns(5, 16, true, 17);
    SparkSession first = LocalSpark.session();
    Dataset<Row> df = LocalSpark.frame(x, Column.FLOATS, 2);
    HopfieldMemoryModel classical = new HopfieldMemory().fit(df);
    List<Row> classicalBefore = classical.transform(df).orderBy("id").collectAsList();
    // a modern memory on the driver whose transform runs sharded: the shards are cut in this
    // session's SparkContext
    HopfieldMemoryModel onDriver =
        new HopfieldMemory()
            .setMemory("modern")
            .fit(df)
            .copy(ParamMap.empty())
            .setBroadcastLimit(0);
    List<String> modernBefore = recalled(onDriver.transform(df));
    // a modern memory whose patterns fit left on the cluster alone
    HopfieldMemoryModel sharded =
        new HopfieldMemory().setMemory("modern").setBroadcastLimit(0).fit(df);
    assertTrue(sharded.isSharded());
    Path saved = tmp.resolve("saved");
    sharded.write().save(saved.toString());

    first.stop();
    SparkSession second = LocalSpark.session();
    assertNotSame(first, second);
    Dataset<Row> again = LocalSpark.frame(x, Column.FLOATS, 2);

    assertEquals(classicalBefore, classical.transform(again).orderBy("id").collectAsList());
    // the shards cut in the stopped context are cut again (they failed: "SparkContext has been
    // shutdown")
    assertEquals(modernBefore, recalled(onDriver.transform(again)));
    // the model saved before the stop loads and recalls as the one that was lost
    assertEquals(
        modernBefore, recalled(HopfieldMemoryModel.load(saved.toString()).transform(again)));

    Path other = tmp.resolve("other");
    for (org.junit.jupiter.api.function.Executable use :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> sharded.transform(again).count(),
            sharded::storedMemory,
            () -> sharded.write().save(other.toString()),
            () -> sharded.write().overwrite().save(saved.toString()))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, use);
      assertTrue(
          e.getMessage()
              .startsWith(
                  "this model's modern memory kept its 5 patterns sharded on the cluster (fit with"
                      + " broadcastLimit below their 320 bytes), and the SparkContext that held"
                      + " them has stopped since: they were lost with it."),
          e.getMessage());
    }
    // what a save that failed so leaves: nothing new, the earlier save as it was
    assertFalse(Files.exists(other));
    assertEquals(
        modernBefore, recalled(HopfieldMemoryModel.load(saved.toString()).transform(again)));
    // what needs no job still answers
    assertEquals(16, sharded.numNeurons());
    assertTrue(sharded.toString().contains("stored patterns=5"), sharded.toString());
  }
}
