package io.engram.spark;

import java.io.Serializable;
import java.util.Iterator;

/**
 * What one pass over a distributed pattern set learns before training: P, N, the sum, minimum and
 * maximum of all values, or the first problem found (a ragged, null, empty or non-finite pattern,
 * named by partition and row). Partial statistics merge associatively; the driver reads the result.
 */
final class PatternStats implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  int n = -1;
  double sum;
  float min = Float.POSITIVE_INFINITY;
  float max = Float.NEGATIVE_INFINITY;
  String error;

  /** The statistics of one partition's patterns. */
  static PatternStats of(int partition, Iterator<float[]> it) {
    PatternStats s = new PatternStats();
    long row = 0;
    while (it.hasNext() && s.error == null) {
      s.add(it.next(), partition, row++);
    }
    return s;
  }

  private void add(float[] x, int partition, long row) {
    String where = "pattern " + row + " of partition " + partition;
    if (x == null) {
      error = where + " is null";
      return;
    }
    if (x.length == 0) {
      error = where + " has length 0; a network needs at least one neuron";
      return;
    }
    if (n >= 0 && x.length != n) {
      error =
          where + " has length " + x.length + ", expected " + n + " (as the patterns before it)";
      return;
    }
    n = x.length;
    for (int i = 0; i < x.length; i++) {
      float v = x[i];
      if (!Float.isFinite(v)) {
        error = where + " has a non-finite value " + v + " at index " + i;
        return;
      }
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    rows++;
  }

  /** Merges {@code b} into {@code a} (either may be reused) and returns the result. */
  static PatternStats merge(PatternStats a, PatternStats b) {
    if (a.error != null || b.rows == 0 && b.error == null) {
      return a;
    }
    if (b.error != null || a.rows == 0) {
      return b;
    }
    if (a.n != b.n) {
      a.error = "patterns have lengths " + a.n + " and " + b.n + " in different partitions";
      return a;
    }
    a.rows += b.rows;
    a.sum += b.sum;
    a.min = Math.min(a.min, b.min);
    a.max = Math.max(a.max, b.max);
    return a;
  }

  /** Throws the first problem found, as the core's {@code PatternBlock} would. */
  void throwIfInvalid() {
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
    if (rows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          rows + " patterns exceed the core's count limit (2^31 - 1)");
    }
  }

  /**
   * {@code rho} as {@link io.engram.learning.HebbianRule#rho}: the float32 of the float64 mean of
   * all values (0 when not centring).
   */
  float rho(boolean subtractMean) {
    return subtractMean && rows > 0 ? (float) (sum / ((double) rows * n)) : 0f;
  }

  /**
   * {@code max |x - rho|} in float32 from the extremes, exactly as the core's check computes it.
   */
  float maxAbsCentred(float rho) {
    return rows == 0 ? 0f : Math.max(Math.abs(max - rho), Math.abs(min - rho));
  }
}
