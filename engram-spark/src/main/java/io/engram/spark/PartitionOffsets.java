package io.engram.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/** Where each partition of an RDD starts, counted in rows (one job that counts them). */
final class PartitionOffsets {

  private PartitionOffsets() {}

  /**
   * {@code offsets[i]} is the index of partition i's first row and {@code offsets[parts]} the
   * number of rows: {@code parts + 1} values.
   */
  static long[] of(JavaRDD<?> rows) {
    List<Long> counts =
        rows.mapPartitions(
                it -> {
                  long c = 0;
                  for (; it.hasNext(); it.next()) {
                    c++;
                  }
                  return List.of(c).iterator();
                })
            .collect();
    long[] offsets = new long[counts.size() + 1];
    for (int i = 0; i < counts.size(); i++) {
      offsets[i + 1] = offsets[i] + counts.get(i);
    }
    return offsets;
  }
}
