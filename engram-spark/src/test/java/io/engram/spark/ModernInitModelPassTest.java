package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.spark.LocalSpark.Column;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A modern memory's fit with an initModel reads the features column once: the patterns are
 * validated (each bad one named by row, partition and column) and counted against {@code
 * collectLimit} in the job that collects them. It read the column twice, a validation job and then
 * the collect.
 */
class ModernInitModelPassTest {

  private static final int N = 16;
  private static final int P = 12;
  private static float[][] first;
  private static float[][] more;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    first = LocalSpark.patterns(5, N, true, 91);
    more = LocalSpark.patterns(P, N, true, 92);
  }

  /** {@link #more} in 3 partitions, each row read adding one to {@code reads}. */
  private static Dataset<Row> counted(LongAccumulator reads) {
    return LocalSpark.counted(more, Column.FLOATS, 3, reads);
  }

  private String init() throws java.io.IOException {
    String dir = tmp.resolve("init").toAbsolutePath().toString();
    new HopfieldMemory()
        .setMemory("modern")
        .fit(LocalSpark.frame(first, Column.FLOATS, 2))
        .write()
        .save(dir);
    return dir;
  }

  @Test
  void theFeaturesAreReadOnceAndAppendedAsTheCoreStoresThem() throws Exception {
    String dir = init();
    HopfieldMemoryModel base = HopfieldMemoryModel.load(dir);
    LongAccumulator reads = LocalSpark.context().sc().longAccumulator();
    Dataset<Row> df = counted(reads);
    HopfieldMemory est = new HopfieldMemory().setMemory("modern").setInitModel(dir);
    HopfieldMemoryModel[] fitted = new HopfieldMemoryModel[1];
    int loadJobs = LocalSpark.jobs(() -> HopfieldMemoryModel.load(dir));
    int fitJobs = LocalSpark.jobs(() -> fitted[0] = est.fit(df));
    assertEquals(P, reads.value()); // each row once
    assertEquals(loadJobs + 1, fitJobs); // reading the initModel, then one job over the features
    ModernHopfieldMemory want = (ModernHopfieldMemory) base.storedMemory();
    want.store(more);
    ModernHopfieldMemory got = (ModernHopfieldMemory) fitted[0].storedMemory();
    assertEquals(want.size(), got.size());
    assertArrayEquals(want.toArray(), got.toArray());
    assertEquals(want.separation(), got.separation());
    assertEquals(want.beta(), got.beta());
  }

  /**
   * Past {@code collectLimit} the fit fails with the words it had, after the one pass, and leaves
   * the initModel as it was; at the limit it passes.
   */
  @Test
  void collectLimitIsCheckedInTheSamePass() throws java.io.IOException {
    String dir = init();
    long bytes = 4L * P * N;
    List<long[]> seen = new ArrayList<>();
    for (long limit : new long[] {bytes - 1, 0}) {
      LongAccumulator reads = LocalSpark.context().sc().longAccumulator();
      Dataset<Row> df = counted(reads);
      HopfieldMemory est =
          new HopfieldMemory().setMemory("modern").setInitModel(dir).setCollectLimit(limit);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> est.fit(df));
      assertEquals(
          "modern memory with initModel collects the patterns to the driver: "
              + P
              + " x "
              + N
              + " values are "
              + bytes
              + " bytes, more than collectLimit = "
              + limit
              + " bytes"
              + SparkRules.COLLECT_ADVICE,
          e.getMessage());
      seen.add(new long[] {limit, reads.value()});
    }
    for (long[] s : seen) {
      assertEquals(P, s[1], "collectLimit " + s[0] + ": rows read");
    }
    assertEquals(5, ((ModernHopfieldMemory) HopfieldMemoryModel.load(dir).storedMemory()).size());
    LongAccumulator reads = LocalSpark.context().sc().longAccumulator();
    HopfieldMemoryModel atLimit =
        new HopfieldMemory()
            .setMemory("modern")
            .setInitModel(dir)
            .setCollectLimit(bytes)
            .fit(counted(reads));
    assertEquals(5 + P, ((ModernHopfieldMemory) atLimit.storedMemory()).size());
    assertEquals(P, reads.value());
  }
}
