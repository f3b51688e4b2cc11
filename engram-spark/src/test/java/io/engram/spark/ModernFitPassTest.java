package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import io.engram.spark.LocalSpark.Column;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A modern memory's fit without an initModel reads the features column once, whether its patterns
 * are then collected (within {@code broadcastLimit}) or stay sharded: N is each partition's first
 * pattern's length, found in the job that validates, shards and caches the patterns, and the driver
 * checks that the partitions agree. It read the column twice (the rows per partition, then the
 * shards), after a job that read the first pattern for N.
 */
class ModernFitPassTest {

  private static final int N = 16;
  private static final int P = 12;
  private static final int PARTS = 3;
  private static float[][] x;

  @BeforeAll
  static void data() {
    LocalSpark.session();
    x = LocalSpark.patterns(P, N, true, 93);
  }

  private static HopfieldMemory modern(long broadcastLimit) {
    return new HopfieldMemory()
        .setMemory("modern")
        .setSeparation("polynomial")
        .setBroadcastLimit(broadcastLimit);
  }

  @Test
  void theFeaturesAreReadOnceOnBothPathsAndStoredAsTheCoreStoresThem() throws Exception {
    ModernHopfieldMemory want =
        ModernHopfieldMemory.of(
            N, Separation.POLYNOMIAL, Float.NaN, ModernHopfieldMemory.DEFAULT_DEGREE);
    want.store(x);
    for (long limit : new long[] {1 << 20, 0}) {
      LongAccumulator reads = LocalSpark.context().sc().longAccumulator();
      Dataset<Row> df = LocalSpark.counted(x, Column.FLOATS, PARTS, reads);
      HopfieldMemoryModel[] fitted = new HopfieldMemoryModel[1];
      int jobs = LocalSpark.jobs(() -> fitted[0] = modern(limit).fit(df));
      String path = limit == 0 ? "sharded" : "broadcast";
      assertEquals(P, reads.value(), path + ": rows read");
      assertEquals(limit == 0, fitted[0].isSharded(), path);
      // the one pass; within the limit, one job per partition brings its cached shards to the
      // driver (they are not read from the features again)
      assertEquals(limit == 0 ? 1 : 1 + PARTS, jobs, path + ": jobs");
      ModernHopfieldMemory got = (ModernHopfieldMemory) fitted[0].storedMemory();
      assertEquals(want.size(), got.size(), path);
      assertArrayEquals(want.toArray(), got.toArray(), path);
      assertEquals(want.degree(), got.degree(), path);
      // each stored pattern retrieves itself: the shards' offsets count from their partition's
      // first pattern, and the best pattern is indexed in the whole memory
      List<Row> best = fitted[0].transform(df).orderBy("id").select("best").collectAsList();
      for (int q = 0; q < P; q++) {
        assertEquals(q, best.get(q).getInt(0), path + ": query " + q);
      }
    }
  }

  /** {@link #x} with the rows {@code from .. to - 1} one value shorter. */
  private static float[][] shorter(int from, int to) {
    float[][] y = x.clone();
    for (int k = from; k < to; k++) {
      y[k] = Arrays.copyOf(x[k], N - 1);
    }
    return y;
  }

  /**
   * Patterns of different lengths in different partitions are named as before, by the later
   * partition's first pattern, whether that partition's patterns agree among themselves (the driver
   * finds it, comparing the partitions' N) or not (its task refused a later pattern against its own
   * first one's length).
   */
  @Test
  void partitionsOfDifferentLengthsAreNamedByTheLaterPartitionsFirstPattern() {
    String want =
        "pattern 0 of partition 2: column features has length 15, expected N = 16 (the first"
            + " pattern's length)";
    // 3 partitions of 4 rows: partition 2 is rows 8..11
    for (float[][] y : List.of(shorter(8, 12), shorter(8, 9), shorter(8, 10))) {
      for (long limit : new long[] {1 << 20, 0}) {
        Dataset<Row> df = LocalSpark.frame(y, Column.FLOATS, PARTS);
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> modern(limit).fit(df));
        assertEquals(want, e.getMessage(), "broadcastLimit " + limit);
      }
    }
    // within a partition whose first pattern gives N, a later one is named by its own row
    Dataset<Row> df = LocalSpark.frame(shorter(9, 10), Column.FLOATS, PARTS);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> modern(0).fit(df));
    assertEquals(
        "pattern 1 of partition 2: column features has length 15, expected N = 16 (the first"
            + " pattern's length)",
        e.getMessage());
    // an empty first partition: N is the next one's first pattern's length
    Dataset<Row> gap = LocalSpark.frame(x, Column.FLOATS, P + 2).filter("id > 0");
    assertEquals(P - 1, ((ModernHopfieldMemory) modern(0).fit(gap).storedMemory()).size());
  }

  /** How often row 0 was read. */
  private static final java.util.concurrent.atomic.AtomicInteger FIRST_READS =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The shards that stay on the cluster are checked as the jobs read them: a partition made again
   * from its input (the cache lost) that gives another number of patterns is refused by partition,
   * not indexed wrongly.
   */
  @Test
  void shardsMadeAgainFromAnInputThatChangedAreRefused() {
    FIRST_READS.set(0);
    LongAccumulator reads = LocalSpark.context().sc().longAccumulator();
    org.apache.spark.api.java.JavaRDD<float[]> rdd =
        LocalSpark.context()
            .parallelize(Arrays.asList(x), PARTS)
            .filter(
                v -> {
                  reads.add(1);
                  // row 0 on its first read only (the tasks run in this JVM)
                  return !Arrays.equals(v, x[0]) || FIRST_READS.incrementAndGet() == 1;
                });
    ShardedMemory m =
        ShardedFit.of(
            rdd,
            new ModernRows.Settings(
                Separation.POLYNOMIAL, Double.NaN, ModernHopfieldMemory.DEFAULT_DEGREE),
            null);
    assertEquals(P, m.size());
    assertEquals(P, reads.value());
    assertFalse(m.isStopped());
    m.unpersist(); // the cache lost: the next job makes the shards again from the input
    float[] q = x[0].clone();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              try {
                m.partial(q, 1, 1, true);
              } catch (Exception f) { // a SparkException, the task's failure
                throw ShardedMemory.unwrapped(f);
              }
            });
    assertTrue(e.getMessage().startsWith("partition 0 gave 4 rows when they were counted and "));
    assertTrue(e.getMessage().contains("when read again"), e.getMessage());
  }
}
