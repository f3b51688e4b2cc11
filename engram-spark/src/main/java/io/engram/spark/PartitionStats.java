package io.engram.spark;

import io.engram.learning.PatternStats;
import java.io.Serializable;
import java.util.Iterator;

/**
 * What one pass over a distributed pattern set learns before training: the core's combinable {@link
 * PatternStats} (P, N, sum, minimum, maximum), or the first problem found (a ragged, null, empty or
 * non-finite pattern, named by partition and row). Partial results merge associatively; the driver
 * reads the result.
 */
final class PartitionStats implements Serializable {
  private static final long serialVersionUID = 3L;

  final PatternStats stats = new PatternStats();
  String error;
  int partition = -1; // where the first of these patterns came from (their length N), -1 for none

  /** The statistics of one partition's patterns. */
  static PartitionStats of(int partition, Iterator<float[]> it) {
    PartitionStats s = new PartitionStats();
    long row = 0;
    while (it.hasNext() && s.error == null) {
      float[] x;
      try {
        x = it.next(); // may convert, and refuse, a row (the DataFrame's features)
      } catch (IllegalArgumentException e) {
        s.error = e.getMessage();
        break;
      }
      if (x == null) {
        // the core's add throws a NullPointerException: a task failure that named nothing
        s.error = "pattern " + row + " of partition " + partition + " is null";
        break;
      }
      try {
        s.stats.add(x);
        s.partition = partition;
      } catch (IllegalArgumentException e) {
        s.error = "pattern " + row + " of partition " + partition + ": " + e.getMessage();
      }
      row++;
    }
    return s;
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
      // the core's combine names no part ("in different parts"): name the partitions, in order
      // (parts merge in the order their tasks end)
      PartitionStats lo = a.partition < b.partition ? a : b;
      PartitionStats hi = lo == a ? b : a;
      a.error =
          "patterns have different lengths: those of partition "
              + lo.partition
              + " have length "
              + lo.stats.length()
              + ", those of partition "
              + hi.partition
              + " length "
              + hi.stats.length();
      return a;
    }
    a.stats.combine(b.stats);
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
