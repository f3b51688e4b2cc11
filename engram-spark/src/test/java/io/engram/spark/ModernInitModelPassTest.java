package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * validated (each bad one named by row, partition and column), cached and counted against {@code
 * collectLimit} in one job, and collected from the cache only within it. It read the column twice,
 * a validation job and then the collect.
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
    // reading the initModel, one job over the features (validated, cached, counted), then one per
    // partition that brings its cached patterns to the driver (not the features again)
    assertEquals(loadJobs + 1 + 3, fitJobs);
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
      assertEquals(pastLimit(P, N, bytes, limit), e.getMessage());
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

  /**
   * Past {@code collectLimit}, the tasks send the driver their counts, not their patterns: it
   * failed with the same words, but every partition of at most collectLimit bytes had sent its rows
   * (the driver dropped them), so that many partitions reached {@code spark.driver.maxResultSize}
   * (a job aborted, not this message) or the driver's heap first.
   */
  @Test
  void pastCollectLimitNoPatternReachesTheDriver() throws Exception {
    int n = 1024;
    int p = 64;
    String dir = tmp.resolve("wide").toAbsolutePath().toString();
    new HopfieldMemory()
        .setMemory("modern")
        .fit(LocalSpark.frame(LocalSpark.patterns(2, n, true, 94), Column.FLOATS, 1))
        .write()
        .save(dir);
    long bytes = 4L * p * n;
    long limit = bytes / 2; // each of the 4 partitions' patterns (bytes / 4) within it
    Dataset<Row> df = LocalSpark.frame(LocalSpark.patterns(p, n, true, 95), Column.FLOATS, 4);
    HopfieldMemory est =
        new HopfieldMemory().setMemory("modern").setInitModel(dir).setCollectLimit(limit);
    IllegalArgumentException[] e = new IllegalArgumentException[1];
    long sent =
        LocalSpark.resultBytes(
            () -> e[0] = assertThrows(IllegalArgumentException.class, () -> est.fit(df)));
    assertEquals(pastLimit(p, n, bytes, limit), e[0].getMessage());
    // reading the initModel, and the counts: less than one partition's patterns
    assertTrue(sent < bytes / 4, sent + " bytes sent to the driver");
  }

  /** The fit's message for P x N patterns of {@code bytes} bytes past {@code limit}. */
  private static String pastLimit(long p, long n, long bytes, long limit) {
    return "modern memory with initModel collects the patterns to the driver: "
        + p
        + " x "
        + n
        + " values are "
        + bytes
        + " bytes, more than collectLimit = "
        + limit
        + " bytes"
        + SparkRules.COLLECT_ADVICE;
  }
}
