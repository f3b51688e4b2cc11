package io.engram.spark;

import io.engram.learning.PatternStats;
import java.io.Serializable;
import java.util.Iterator;

/**
 * What one pass over a distributed pattern set learns before training: the core's combinable {@link
 * PatternStats} (P, N, sum, minimum, maximum), or the first problem found (a ragged, null, empty or
 * non-finite pattern, named by its row within its partition, the partition and, for a DataFrame's,
 * the features column: "pattern 1 of partition 1: column features has length 7, expected 8 (as the
 * patterns before)", as a modern memory's fit and {@code transform} name it; an RDD's "pattern 1 of
 * partition 1: pattern has ..."). Partial results merge associatively; the driver reads the result.
 */
final class PartitionStats implements Serializable {
  private static final long serialVersionUID = 4L;

  final PatternStats stats = new PatternStats();
  String error;
  String column; // the features column, or null (an RDD, or no patterns)
  int partition = -1; // where the first of these patterns came from (their length N), -1 for none

  /**
   * The statistics of one partition's patterns.
   *
   * @param column the features column, or null (an RDD's patterns)
   */
  static PartitionStats of(int partition, Iterator<float[]> it, String column) {
    PartitionStats s = new PartitionStats();
    s.column = column;
    long row = 0;
    while (it.hasNext() && s.error == null) {
      float[] x;
      try {
        x = it.next(); // may convert, and refuse, a row (the DataFrame's features, column named)
      } catch (IllegalArgumentException e) {
        s.error = e.getMessage();
        break;
      }
      if (x == null) {
        // the core's add throws a NullPointerException: a task failure that named nothing
        s.error =
            column == null
                ? "pattern " + row + " of partition " + partition + " is null"
                : where(partition, row, column) + " is null";
        break;
      }
      try {
        s.stats.add(x);
        s.partition = partition;
      } catch (IllegalArgumentException e) {
        s.error = named(partition, row, column, e.getMessage());
      }
      row++;
    }
    return s;
  }

  /**
   * "pattern 1 of partition 0: column features", or "...: pattern" without a column (an RDD's
   * patterns: the words the core's message begins with).
   */
  private static String where(int partition, long row, String column) {
    return "pattern "
        + row
        + " of partition "
        + partition
        + (column == null ? ": pattern" : ": column " + column);
  }

  /**
   * The core's message about one pattern ("pattern has length 7, expected 8 (as the patterns
   * before)") with the pattern named by row, partition and column.
   */
  private static String named(int partition, long row, String column, String core) {
    String subject = "pattern ";
    return core.startsWith(subject)
        ? where(partition, row, column) + " " + core.substring(subject.length())
        : where(partition, row, column) + ": " + core;
  }

  /** Merges {@code b} into {@code a} (either may be reused) and returns the result. */
  static PartitionStats merge(PartitionStats a, PartitionStats b) {
    if (a.error != null || b.stats.count() == 0 && b.error == null) {
      return a;
    }
    if (b.error != null || a.stats.count() == 0) {
      return b;
    }
    if (a.stats.length() != b.stats.length()) {
      // the core's combine names no part ("in different parts"): name the first pattern of the
      // later partition (parts merge in the order their tasks end)
      PartitionStats lo = a.partition < b.partition ? a : b;
      PartitionStats hi = lo == a ? b : a;
      a.error =
          named(
              hi.partition,
              0,
              hi.column,
              "pattern has length "
                  + hi.stats.length()
                  + ", expected "
                  + lo.stats.length()
                  + " (as the patterns of partition "
                  + lo.partition
                  + ")");
      return a;
    }
    a.stats.combine(b.stats);
    a.partition = Math.min(a.partition, b.partition); // the first partition these patterns fill
    return a;
  }

  /** Throws the first problem found, as the core's {@code PatternBlock} would. */
  void throwIfInvalid() {
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
    if (stats.count() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          stats.count() + " patterns exceed the core's count limit (2^31 - 1)");
    }
  }
}
