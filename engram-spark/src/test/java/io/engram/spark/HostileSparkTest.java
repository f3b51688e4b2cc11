package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.spark.LocalSpark.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile user of the Spark API: saves that would destroy their own inputs, tampered model
 * directories, and parameters and rows that must fail with a clear error, never a Spark task
 * failure with an obscure cause or a silently wrong result.
 */
class HostileSparkTest {

  private static float[][] stored;
  private static Dataset<Row> patterns;
  private static HopfieldMemoryModel model;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    stored = LocalSpark.patterns(4, 16, true, 41);
    patterns = LocalSpark.frame(stored, Column.FLOATS, 2);
    model = new HopfieldMemory().fit(patterns);
  }

  private static String dir(Path p) {
    return p.toAbsolutePath().toString();
  }

  @Test
  void anEstimatorIsNotSavedOverItsInitialModel() throws IOException {
    Path init = tmp.resolve("init");
    model.write().save(dir(init));
    byte[] before = Files.readAllBytes(init.resolve(ModelFiles.MODEL));
    HopfieldMemory est = new HopfieldMemory().setInitModel(dir(init));
    for (Path target : new Path[] {init, tmp}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> est.write().overwrite().save(dir(target)));
      assertTrue(e.getMessage().contains("initModel"), e.getMessage());
    }
    assertArrayEquals(before, Files.readAllBytes(init.resolve(ModelFiles.MODEL)));
    // elsewhere it saves, and fits from the model it names
    est.write().overwrite().save(dir(tmp.resolve("est")));
    assertEquals(16, HopfieldMemory.load(dir(tmp.resolve("est"))).fit(patterns).numNeurons());
  }
}
