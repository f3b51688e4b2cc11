package io.engram.spark;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * One partition's patterns for a modern memory, validated as they are cut into {@link
 * PatternShard}s: a bad pattern is named as the classical rules name it, by its row within its
 * partition, the partition and the column ("pattern 1 of partition 1: column features has length 7,
 * expected N = 8 (the first pattern's length)"), where the core named it by its index in one store
 * call ("in the patterns from index 2: pattern 1 has ...").
 */
final class ModernRows {

  private ModernRows() {}

  /** What N is where the first pattern gives it, for messages. */
  static final String FIRST = "the first pattern's length";

  /**
   * A modern memory's separation, β (NaN: the separation's default for N) and degree, for any N: an
   * empty memory once N is known ({@link #at}). A final class, not a record (Kryo 4).
   */
  static final class Settings implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final Separation separation;
    private final double beta;
    private final int degree;

    /**
     * @param beta ignored where the separation has none (polynomial, rectified)
     * @param degree ignored where the separation has none (softmax, exp)
     * @throws IllegalArgumentException for a β or degree the separation refuses
     */
    Settings(Separation separation, double beta, int degree) {
      this.separation = separation;
      this.beta = beta;
      this.degree = separation.usesDegree() ? degree : 0;
      at(1); // refused here, on the driver, not in a task
    }

    /** An empty memory of patterns of length {@code n} with these settings. */
    ModernHopfieldMemory at(int n) {
      float b =
          !separation.usesBeta() || Double.isNaN(beta)
              ? ModernHopfieldMemory.defaultBeta(separation, n)
              : (float) beta;
      return ModernHopfieldMemory.of(n, separation, b, degree);
    }
  }

  /**
   * A bad pattern found by {@link #ownLength}, with where it was found: its partition and that
   * partition's first pattern's length (-1: none, or null), which the driver compares with N.
   */
  static final class Rejected extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int firstLength;

    Rejected(IllegalArgumentException cause, int partition, int firstLength) {
      super(cause.getMessage(), cause);
      this.partition = partition;
      this.firstLength = firstLength;
    }
  }

  /**
   * The settings of a modern memory and where its patterns come from, as the tasks need them (a
   * final class, not a record: Kryo 4, Spark's, cannot serialise a record).
   */
  static final class Spec implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    final int n;
    final Separation separation;
    final float beta;
    final int degree;
    final String column;
    final String nFrom;

    /**
     * @param settings an empty memory with N, the separation, β and degree
     * @param column the features column, or null (an RDD)
     * @param nFrom what N is, for the message ("the first pattern's length")
     */
    Spec(ModernHopfieldMemory settings, String column, String nFrom) {
      this.n = settings.numNeurons();
      this.separation = settings.separation();
      this.beta = settings.beta();
      this.degree = settings.degree();
      this.column = column;
      this.nFrom = nFrom;
    }
  }

  /** "pattern 1 of partition 0: column features", or without the column for an RDD. */
  static String where(int partition, long row, String column) {
    return "pattern "
        + row
        + " of partition "
        + partition
        + (column == null ? ":" : ": column " + column);
  }

  /**
   * The shards of partition {@code partition}'s patterns {@code it}, their offsets counted from its
   * first pattern, each validated as the core's {@code storeRows} validates patterns (length N,
   * finite, squared norm in the float32 range, ±1 for the binary separations).
   *
   * @throws IllegalArgumentException (from {@code next}) naming the first bad pattern by its row in
   *     the partition, the partition and the column
   */
  static Iterator<PatternShard> shards(Iterator<float[]> it, int partition, Spec spec) {
    int n = spec.n;
    int rows = PatternShard.rowsPerShard(n);
    return new Iterator<>() {
      private int next; // the row of the next pattern in the partition

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public PatternShard next() {
        float[] block = new float[rows * n];
        int c = 0;
        int first = next; // the row of this shard's first pattern in the partition
        while (c < rows && it.hasNext()) {
          float[] x = it.next();
          String where = where(partition, (long) first + c, spec.column);
          if (x == null) {
            throw new IllegalArgumentException(where + " is null");
          }
          if (x.length != n) {
            throw otherLength(where, x.length, n, spec.nFrom);
          }
          System.arraycopy(x, 0, block, c * n, n);
          c++;
        }
        if (next > Integer.MAX_VALUE - c) {
          throw new IllegalArgumentException(
              "partition " + partition + " holds more than 2^31 - 1 patterns");
        }
        PatternShard s =
            PatternShard.of(
                next,
                c,
                c == rows ? block : Arrays.copyOf(block, c * n),
                n,
                spec.separation,
                spec.beta,
                spec.degree,
                k -> where(partition, (long) first + k, spec.column));
        next += c;
        return s;
      }
    };
  }

  /** "{@code where} has length 7, expected N = 8 (the first pattern's length)". */
  static IllegalArgumentException otherLength(String where, int length, int n, String nFrom) {
    return new IllegalArgumentException(
        where + " has length " + length + ", expected N = " + n + " (" + nFrom + ")");
  }

  /** A first pattern that gives no N: "pattern 0 of partition 0: column c is null". */
  private static IllegalArgumentException noN(int partition, int length, String column) {
    return new IllegalArgumentException(
        where(partition, 0, column)
            + (length < 0 ? " is null" : " has length 0; a memory needs N >= 1"));
  }

  /**
   * {@link #shards} of a partition whose N is its first pattern's length (N is not known before the
   * one read of the patterns; the driver checks that the partitions agree), the shards' offsets
   * counted from the partition's first pattern.
   *
   * @throws Rejected (from {@code next} or {@code hasNext}) naming the first bad pattern as {@link
   *     #shards} does, checked against this partition's N
   */
  static Iterator<PatternShard> ownLength(
      Iterator<float[]> it, int partition, Settings settings, String column) {
    int[] first = {-1};
    Iterator<PatternShard> shards;
    try {
      if (!it.hasNext()) {
        return Collections.emptyIterator();
      }
      float[] x = it.next();
      first[0] = x == null ? -1 : x.length;
      if (first[0] <= 0) {
        throw noN(partition, first[0], column);
      }
      Iterator<float[]> all =
          new Iterator<>() {
            private boolean took;

            @Override
            public boolean hasNext() {
              return !took || it.hasNext();
            }

            @Override
            public float[] next() {
              if (took) {
                return it.next();
              }
              took = true;
              return x;
            }
          };
      shards = shards(all, partition, new Spec(settings.at(x.length), column, FIRST));
    } catch (IllegalArgumentException e) {
      throw new Rejected(e, partition, first[0]);
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return shards.hasNext();
        } catch (IllegalArgumentException e) {
          throw new Rejected(e, partition, first[0]);
        }
      }

      @Override
      public PatternShard next() {
        try {
          return shards.next();
        } catch (IllegalArgumentException e) {
          throw new Rejected(e, partition, first[0]);
        }
      }
    };
  }

  /**
   * The length of the first pattern (in partition order), or -1 for no patterns: one job that reads
   * the first pattern of the first partitions that have one.
   *
   * @throws IllegalArgumentException if that pattern is null or empty, naming it
   */
  static int firstLength(JavaRDD<float[]> patterns, String column) {
    List<int[]> first =
        patterns
            .mapPartitionsWithIndex(
                (part, it) -> {
                  if (!it.hasNext()) {
                    return java.util.Collections.<int[]>emptyIterator();
                  }
                  float[] x = it.next();
                  return List.of(new int[] {part, x == null ? -1 : x.length}).iterator();
                },
                true)
            .take(1);
    if (first.isEmpty()) {
      return -1;
    }
    int[] f = first.get(0);
    if (f[1] <= 0) {
      throw noN(f[0], f[1], column);
    }
    return f[1];
  }
}
