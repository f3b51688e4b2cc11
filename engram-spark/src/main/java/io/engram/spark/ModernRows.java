package io.engram.spark;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import java.util.Arrays;
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
   * The shards of partition {@code partition}'s patterns {@code it}, its first pattern being
   * pattern {@code offset} of the memory, each validated as the core's {@code storeRows} validates
   * patterns (length N, finite, squared norm in the float32 range, ±1 for the binary separations).
   *
   * @throws IllegalArgumentException (from {@code next}) naming the first bad pattern by its row in
   *     the partition, the partition and the column
   */
  static Iterator<PatternShard> shards(Iterator<float[]> it, int partition, int offset, Spec spec) {
    int n = spec.n;
    int rows = PatternShard.rowsPerShard(n);
    return new Iterator<>() {
      private int next = offset;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public PatternShard next() {
        float[] block = new float[rows * n];
        int c = 0;
        int first = next - offset; // the row of this shard's first pattern in the partition
        while (c < rows && it.hasNext()) {
          float[] x = it.next();
          String where = where(partition, (long) first + c, spec.column);
          if (x == null) {
            throw new IllegalArgumentException(where + " is null");
          }
          if (x.length != n) {
            throw new IllegalArgumentException(
                where
                    + " has length "
                    + x.length
                    + ", expected N = "
                    + n
                    + " ("
                    + spec.nFrom
                    + ")");
          }
          System.arraycopy(x, 0, block, c * n, n);
          c++;
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
      throw new IllegalArgumentException(
          where(f[0], 0, column)
              + (f[1] < 0 ? " is null" : " has length 0; a memory needs N >= 1"));
    }
    return f[1];
  }
}
