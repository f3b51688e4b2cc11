package io.engram.spark;

import io.engram.memory.ModernHopfieldMemory;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * A modern fit's one read of the features: one job in which each task validates its partition's
 * patterns, cuts them into {@link PatternShard}s that are cached ({@code MEMORY_AND_DISK}) and
 * returns their count, N and largest norm, so that the driver knows P, N and where each partition
 * starts without reading the patterns again. The result is a {@link ShardedMemory}, kept on the
 * cluster or collected from the cache (its shards, not the features).
 */
final class ShardedFit {

  private ShardedFit() {}

  /** One partition's shards: their rows, N (-1: none) and largest norm. */
  static final class Tally implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    long count;
    int n = -1;
    double maxNorm;
  }

  /**
   * The patterns of an RDD (in its order: partition by partition), validated as the core's {@code
   * store} validates them: N is each partition's first pattern's length, and the partitions must
   * agree. Where a task refuses a pattern, one more job reads the first pattern, whose length is N
   * (see {@link #refused}).
   *
   * @param settings the separation, β and degree
   * @param column the features column the patterns come from, for messages (null: an RDD)
   * @return the memory, or null for an empty RDD
   * @throws IllegalArgumentException for a null, ragged or invalid pattern (named by its row, its
   *     partition and the column, as the classical rules name it), more than 2^31 - 1 patterns, or
   *     (later, from a job) a partition whose shards, made again from the input (the cache lost),
   *     hold another number of rows (an input that is not the same on every read)
   */
  static ShardedMemory of(JavaRDD<float[]> patterns, ModernRows.Settings settings, String column) {
    JavaRDD<PatternShard> cached =
        patterns.mapPartitionsWithIndex(
            (part, it) -> ModernRows.ownLength(it, part, settings, column), true);
    return made(cached, e -> refused(e, patterns, column), settings::at, p -> {}, column);
  }

  /**
   * The patterns of an RDD validated against a known N and settings ({@code spec}), as {@link
   * #of(JavaRDD, ModernRows.Settings, String)} but for N.
   *
   * @param counted given P once the job has counted the patterns, before anything else is checked
   *     (it may refuse them, e.g. past collectLimit)
   * @return the memory, or null for an empty RDD
   */
  static ShardedMemory of(JavaRDD<float[]> patterns, ModernRows.Spec spec, LongConsumer counted) {
    JavaRDD<PatternShard> cached =
        patterns.mapPartitionsWithIndex((part, it) -> ModernRows.shards(it, part, spec), true);
    return made(
        cached,
        ShardedMemory::unwrapped,
        n -> ModernHopfieldMemory.of(n, spec.separation, spec.beta, spec.degree),
        counted,
        spec.column);
  }

  private static ShardedMemory made(
      JavaRDD<PatternShard> cached,
      Function<Exception, RuntimeException> failed,
      IntFunction<ModernHopfieldMemory> settings,
      LongConsumer counted,
      String column) {
    cached.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Tally> tallies;
      try {
        tallies =
            cached
                .mapPartitions(
                    it -> {
                      Tally t = new Tally();
                      while (it.hasNext()) {
                        PatternShard s = it.next();
                        t.count += s.count;
                        t.n = s.n;
                        t.maxNorm = Math.max(t.maxNorm, s.maxNorm);
                      }
                      return List.of(t).iterator();
                    })
                .collect();
      } catch (Exception e) {
        throw failed.apply(e);
      }
      return summed(cached, tallies, settings, counted, column);
    } catch (RuntimeException e) {
      cached.unpersist(false);
      throw e;
    }
  }

  private static ShardedMemory summed(
      JavaRDD<PatternShard> cached,
      List<Tally> tallies,
      IntFunction<ModernHopfieldMemory> settings,
      LongConsumer counted,
      String column) {
    long[] offsets = new long[tallies.size() + 1];
    int n = -1;
    double maxNorm = 0;
    for (int i = 0; i < tallies.size(); i++) {
      Tally t = tallies.get(i);
      if (t.count > 0) {
        if (n < 0) {
          n = t.n;
        } else if (t.n != n) {
          throw ModernRows.otherLength(ModernRows.where(i, 0, column), t.n, n, ModernRows.FIRST);
        }
      }
      offsets[i + 1] = offsets[i] + t.count;
      maxNorm = Math.max(maxNorm, t.maxNorm);
    }
    long total = offsets[tallies.size()];
    counted.accept(total);
    if (total == 0) {
      cached.unpersist(false);
      return null;
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(total + " patterns exceed 2^31 - 1");
    }
    int[] base = new int[tallies.size()];
    for (int i = 0; i < base.length; i++) {
      base[i] = (int) offsets[i];
    }
    // the shards as the jobs read them: a partition made again (the cache lost) from an input
    // that is not the same on every read would index its rows wrongly, and is refused
    JavaRDD<PatternShard> checked =
        cached.mapPartitionsWithIndex(
            (part, it) -> PartitionOffsets.checked(it, part, offsets, s -> s.count), true);
    return new ShardedMemory(cached, checked, base, (int) total, maxNorm, settings.apply(n));
  }

  /**
   * The failure of the job that shards the patterns, as it was when a first job had read the first
   * pattern (N): a first pattern that is null or empty is named first; a partition whose first
   * pattern's length is not N is named by that pattern (its task checked its patterns against that
   * length); else the task's {@link IllegalArgumentException}.
   */
  private static RuntimeException refused(Exception e, JavaRDD<float[]> patterns, String column) {
    RuntimeException r = ShardedMemory.unwrapped(e);
    if (!(r instanceof IllegalArgumentException)) {
      return r;
    }
    int n;
    try {
      n = ModernRows.firstLength(patterns, column);
    } catch (Exception first) {
      return ShardedMemory.unwrapped(first);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ModernRows.Rejected bad) {
        if (n > 0 && bad.firstLength >= 0 && bad.firstLength != n) {
          IllegalArgumentException other =
              ModernRows.otherLength(
                  ModernRows.where(bad.partition, 0, column), bad.firstLength, n, ModernRows.FIRST);
          other.initCause(e);
          return other;
        }
        break;
      }
    }
    return r;
  }
}
