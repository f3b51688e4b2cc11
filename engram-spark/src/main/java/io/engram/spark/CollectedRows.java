package io.engram.spark;

import io.engram.memory.ModernHopfieldMemory;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.reflect.ClassTag;
import scala.runtime.BoxedUnit;

/**
 * The patterns of a modern memory's fit with an initModel, validated and collected to the driver in
 * one job (one read of the features column): each task validates its partition's patterns as {@link
 * ModernRows#shards} does (a bad one named by its row within its partition, the partition and the
 * column) and counts them, and the driver counts what arrives against {@code collectLimit} ({@code
 * 4 P N} bytes). Past the limit only the counts are kept, so that the fit fails with P as it did
 * when a validation job counted the patterns before the collect; nothing past the limit is held (a
 * task drops its rows once its own partition is past it, the driver every task's once all it has
 * received are).
 */
final class CollectedRows {

  /** P, the number of patterns. */
  final long count;

  /** Each partition's rows in order, null for an empty partition; null past collectLimit. */
  private final Part[] parts;

  private final int n;

  private CollectedRows(long count, Part[] parts, int n) {
    this.count = count;
    this.parts = parts;
    this.n = n;
  }

  /**
   * One partition's patterns: their number, and their rows (row-major blocks of whole patterns, in
   * order) while they are at most collectLimit bytes, else null. A final class, not a record: Kryo
   * 4, Spark's, cannot serialise a record.
   */
  static final class Part implements Serializable {
    private static final long serialVersionUID = 1L;

    long count;
    float[][] blocks;
  }

  /** A task's result: the one element of its partition of parts. */
  private static final class Only
      extends scala.runtime.AbstractFunction1<scala.collection.Iterator<Part>, Part>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Part apply(scala.collection.Iterator<Part> it) {
      return it.next();
    }
  }

  /**
   * Validates and collects {@code patterns} in one job.
   *
   * @param spec the memory's N and separation, the column, and what N is for the message
   * @throws org.apache.spark.SparkException as a failed job (its cause the {@link
   *     IllegalArgumentException} naming the first bad pattern)
   */
  static CollectedRows of(JavaRDD<float[]> patterns, ModernRows.Spec spec, long collectLimit) {
    int n = spec.n;
    JavaRDD<Part> parts =
        patterns.mapPartitionsWithIndex(
            (part, it) ->
                List.of(part(ModernRows.shards(it, part, 0, spec), n, collectLimit)).iterator(),
            true);
    Part[] got = new Part[parts.getNumPartitions()];
    long[] total = {0};
    boolean[] over = {false};
    // on the driver, as each task's result arrives (one at a time, in the order the tasks end)
    scala.Function2<Object, Part, BoxedUnit> received =
        (i, p) -> {
          total[0] += p.count;
          if (!over[0] && 4L * total[0] * n > collectLimit) {
            over[0] = true;
            java.util.Arrays.fill(got, null);
          }
          if (!over[0] && p.count > 0) {
            got[(Integer) i] = p;
          }
          return BoxedUnit.UNIT;
        };
    ClassTag<Part> tag = scala.reflect.ClassTag$.MODULE$.apply(Part.class);
    patterns.context().runJob(parts.rdd(), new Only(), received, tag);
    return new CollectedRows(total[0], over[0] ? null : got, n);
  }

  /** One partition's part: every pattern validated and counted, the rows kept while they fit. */
  private static Part part(Iterator<PatternShard> shards, int n, long collectLimit) {
    Part p = new Part();
    List<float[]> kept = new ArrayList<>();
    while (shards.hasNext()) {
      PatternShard s = shards.next();
      p.count += s.count;
      if (kept != null && 4L * p.count * n <= collectLimit) {
        kept.add(s.rows);
      } else {
        kept = null; // past the limit: counted only
      }
    }
    p.blocks = kept == null ? null : kept.toArray(new float[0][]);
    return p;
  }

  /**
   * Appends the collected patterns to {@code m} in order, in one store call where they fit one Java
   * array (else block by block: the core refuses them past its limit).
   *
   * @throws IllegalStateException past collectLimit (the caller checks {@link #count} first)
   */
  void storeInto(ModernHopfieldMemory m) {
    if (parts == null) {
      throw new IllegalStateException("the patterns were more than collectLimit: not collected");
    }
    if (count == 0) {
      return;
    }
    if (count * n > Integer.MAX_VALUE - 8) {
      for (Part p : parts) {
        for (float[] b : p == null ? new float[0][] : p.blocks) {
          m.storeRows(b, b.length / n);
        }
      }
      return;
    }
    float[] x = new float[(int) count * n];
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] != null) {
        for (float[] b : parts[i].blocks) {
          System.arraycopy(b, 0, x, at, b.length);
          at += b.length;
        }
        parts[i] = null; // held once: the copy, not both
      }
    }
    m.storeRows(x, (int) count);
  }
}
