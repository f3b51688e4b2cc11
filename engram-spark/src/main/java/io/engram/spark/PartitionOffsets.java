package io.engram.spark;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.ToLongFunction;
import org.apache.spark.api.java.JavaRDD;

/**
 * Where each partition of an RDD starts, counted in rows (one job that counts them, or counted as a
 * job made them), and a check that a later read of a partition gives as many rows: the rows are
 * indexed by these offsets, so a read that gives more or fewer (an input that is not the same on
 * every read) would index them wrongly.
 */
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

  /**
   * The rows of partition {@code partition} as they are read again, checked against {@code
   * offsets}.
   *
   * @throws IllegalArgumentException (from {@code next} or {@code hasNext}) once the partition
   *     gives more rows than were counted, or ends with fewer
   */
  static <T> Iterator<T> checked(Iterator<T> rows, int partition, long[] offsets) {
    return checked(rows, partition, offsets, x -> 1);
  }

  /**
   * {@link #checked(Iterator, int, long[])} for elements that hold {@code rows.applyAsLong(x)} rows
   * each (a shard of patterns).
   */
  static <T> Iterator<T> checked(
      Iterator<T> elements, int partition, long[] offsets, ToLongFunction<? super T> rows) {
    long counted = offsets[partition + 1] - offsets[partition];
    return new Iterator<>() {
      private long read;

      @Override
      public boolean hasNext() {
        if (elements.hasNext()) {
          return true;
        }
        if (read != counted) {
          throw changed(partition, counted, read);
        }
        return false;
      }

      @Override
      public T next() {
        if (!elements.hasNext()) {
          throw new NoSuchElementException();
        }
        T x = elements.next();
        long r = rows.applyAsLong(x);
        if (read + r > counted) {
          throw changed(partition, counted, (read + r) + " or more");
        }
        read += r;
        return x;
      }
    };
  }

  private static IllegalArgumentException changed(int partition, long counted, Object now) {
    return new IllegalArgumentException(
        "partition "
            + partition
            + " gave "
            + counted
            + " rows when they were counted and "
            + now
            + " when read again: the input is not the same on every read (a non-deterministic"
            + " filter, sample, function or source); persist or cache it first");
  }
}
