package io.engram.spark;

import io.engram.io.BlockedWeights;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.HebbianSums;
import io.engram.learning.PatternBlock;
import io.engram.learning.PatternStats;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.TrainingRecord;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Hebbian and anti-Hebbian training from a distributed pattern set: one call is one training call
 * of the core ({@link HebbianRule#train}), with the same options and the same result:
 *
 * <pre>
 *   rho = float32 mean of all P x N values        (one aggregate over the RDD: sum and count)
 *   t_k = x_k - rho                               (float32, on the executors)
 *   S   = Σ_k t_k t_kᵀ                            (see the strategies)
 *   W  &lt;- W ± S / P;  diag(W) = 0 if zeroDiagonal (on the driver, {@link HebbianSums})
 * </pre>
 *
 * <p>Strategies ({@link Strategy}): {@code COLLECT} brings the patterns to the driver and trains
 * there with the core (bit-identical to the core; the right choice for low-rank networks, whose
 * memory is P·N rather than N²), at most {@code collectLimit} bytes of them ({@code 4 P N}; {@link
 * SparkRules#DEFAULT_COLLECT_LIMIT} by default), refused past it before anything is collected;
 * {@code REDUCE} computes one dense partial {@code S} per partition ({@code mapPartitions}, in
 * pattern order with the core's kernel) and sums the partials with a tree reduction ({@code
 * treeReduce}: no N x N zero value is shipped with the tasks). {@code REDUCE} equals the core up to
 * float32 rounding of the sum's association (exactly whenever every partial sum is exact, e.g. ±1
 * patterns without centring; bit for bit with one partition). For N too large for one machine,
 * {@link #trainBlocked} reduces by block and writes the weights block by block.
 *
 * <p>The RDD is read twice (statistics, then sums): persist it if it is expensive to compute or not
 * the same on every read (a non-deterministic filter or source). Validation matches the core (same
 * length, finite values, overflow guard), with the problem named by partition and row; a failed
 * call leaves the network unchanged. Not thread-safe for one network (it mutates it, as {@code
 * train} does).
 */
public final class SparkHebbian {

  /** How the outer-product sum is formed. */
  public enum Strategy {
    /**
     * {@link #COLLECT} while {@code 2P <= N} (where low-rank weights pay) and the patterns are at
     * most {@link #AUTO_COLLECT_MAX_VALUES} values and {@code collectLimit} bytes, and always for a
     * network in low-rank weights mode (which takes no dense sum); else {@link #REDUCE}.
     */
    AUTO,
    /** Collect the patterns to the driver and train there with the core. */
    COLLECT,
    /** Dense partial sums per partition, combined with a tree reduction. */
    REDUCE
  }

  /** The largest P·N that {@link Strategy#AUTO} collects (2^26 values, 256 MiB). */
  public static final long AUTO_COLLECT_MAX_VALUES = 1L << 26;

  /** The depth of the tree reduction of dense partials (Spark's default). */
  private static final int TREE_DEPTH = 2;

  private SparkHebbian() {}

  /**
   * One training call with {@link Strategy#AUTO} (at most {@link SparkRules#DEFAULT_COLLECT_LIMIT}
   * bytes collected), resizing as the rule's {@link HebbianOptions#preserveOnResize()} says (as
   * {@code HebbianTrainer} does).
   *
   * @return the record appended to the network's history, or null for an empty RDD
   */
  public static TrainingRecord train(
      AmariHopfieldNetwork network, HebbianRule rule, JavaRDD<float[]> patterns) {
    return train(network, rule, patterns, Strategy.AUTO);
  }

  /**
   * One training call with a chosen strategy, at most {@link SparkRules#DEFAULT_COLLECT_LIMIT}
   * bytes of patterns collected.
   *
   * @see #train(AmariHopfieldNetwork, HebbianRule, JavaRDD, Strategy, long)
   */
  public static TrainingRecord train(
      AmariHopfieldNetwork network,
      HebbianRule rule,
      JavaRDD<float[]> patterns,
      Strategy strategy) {
    return train(network, rule, patterns, strategy, SparkRules.DEFAULT_COLLECT_LIMIT);
  }

  /**
   * One training call with a chosen strategy.
   *
   * @param network the network to train (the driver's copy; mutated)
   * @param rule the Hebbian or anti-Hebbian rule and its options
   * @param patterns the patterns, each of the same length N, finite values
   * @param collectLimit the most bytes of patterns ({@code 4 P N}) collected to the driver: past it
   *     {@code COLLECT} fails before collecting, and {@code AUTO} reduces
   * @return the record appended to the network's history, or null for an empty RDD
   * @throws IllegalArgumentException for a ragged, empty-length, null or non-finite pattern, values
   *     that would overflow float32 weights, ({@code COLLECT}) patterns over {@code collectLimit}
   *     bytes or a negative {@code collectLimit}, or ({@code REDUCE}) a network in low-rank weights
   *     mode or dense N x N sums that do not fit the heap three times; the network is then
   *     unchanged
   */
  public static TrainingRecord train(
      AmariHopfieldNetwork network,
      HebbianRule rule,
      JavaRDD<float[]> patterns,
      Strategy strategy,
      long collectLimit) {
    Objects.requireNonNull(network, "network");
    return train(n -> network, rule, patterns, strategy, collectLimit, null);
  }

  /**
   * {@link #train(AmariHopfieldNetwork, HebbianRule, JavaRDD, Strategy, long)} on the network that
   * {@code network} gives for the pattern length N, asked once the statistics pass has found N
   * (never for an empty RDD or invalid patterns), before the strategy is settled: its weights mode
   * decides it where it is low-rank.
   *
   * @param column the features column the patterns come from, named with a bad one (null: an RDD)
   */
  static TrainingRecord train(
      IntFunction<AmariHopfieldNetwork> network,
      HebbianRule rule,
      JavaRDD<float[]> patterns,
      Strategy strategy,
      long collectLimit,
      String column) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(strategy, "strategy");
    SparkRules.checkCollectLimit(collectLimit);
    HebbianOptions o = rule.hebbianOptions();
    PatternStats stats = stats(patterns, o, column);
    if (stats.count() == 0) {
      return null;
    }
    int p = (int) stats.count();
    int n = stats.length();
    AmariHopfieldNetwork net = network.apply(n);
    boolean lowRank = net.weightsMode() == WeightsMode.LOW_RANK;
    if (lowRank && strategy == Strategy.REDUCE) {
      // (the job ran, then the network refused the dense sum)
      throw new IllegalArgumentException(
          "a network in low-rank weights mode needs strategy COLLECT or AUTO (a reduced sum of"
              + " outer products is dense), got REDUCE");
    }
    boolean collect =
        strategy == Strategy.COLLECT
            || strategy == Strategy.AUTO
                && (lowRank
                    || 2L * p <= n
                        && (long) p * n <= AUTO_COLLECT_MAX_VALUES
                        && 4L * p * n <= collectLimit);
    if (collect) {
      // before the job: the driver holds every pattern
      SparkRules.checkCollect(
          stats,
          rule.name() + " (strategy collect, or low-rank weights)",
          collectLimit,
          "; raise collectLimit, or sum them on the cluster with strategy reduce (dense weights)");
    } else {
      // before the job: a task that runs out of heap stops its JVM, here perhaps the application's
      PartialSums.checkDenseFits(n, "on the driver");
    }
    if (collect) {
      List<float[]> rows = patterns.collect();
      return rule.train(net, PatternBlock.of(rows), o.preserveOnResize(), null);
    }
    float rho = o.subtractMean() ? stats.mean() : 0f;
    boolean centre = o.subtractMean();
    float[] sums =
        patterns
            .mapPartitions(it -> PartialSums.dense(it, n, rho, centre))
            .treeReduce(PartialSums::add, TREE_DEPTH);
    return HebbianSums.apply(net, rule, sums, n, p, rho, o.preserveOnResize());
  }

  /**
   * One training call on zero weights for N too large to hold on one machine: the partial sums are
   * reduced by (row block, column block), finished on the executors ({@code ± S / P}, zero
   * diagonal) and streamed to the driver one partition at a time, which writes them with {@link
   * BlockedWeights} (the upper blocks as {@code .npy}, then the manifest). The result equals {@code
   * train} on a fresh network up to the float32 association of the sums; {@link
   * BlockedWeights#read} loads it where N fits a dense matrix.
   *
   * <p>Executor memory: one chunk of patterns and the partition's map-side blocks (Spark spills
   * them to disk when needed); driver memory: one partition of finished blocks.
   *
   * @param dir an existing folder on the driver's file system; its blocks and manifest are replaced
   *     once every block is written (they are written to a hidden folder inside it first)
   * @param blockSize B, the side of a block (N need not be a multiple)
   * @return the record of the call (also in the manifest), or null for an empty RDD (nothing is
   *     written)
   * @throws IllegalArgumentException as {@link #train}, for a block size below 1, or blocks of
   *     {@code min(B, N)²} floats that do not fit the heap three times
   * @throws UncheckedIOException if {@code dir} is not a folder, or writing fails: before the
   *     blocks are complete, or where a file to replace is not a regular file, {@code dir} is left
   *     as it was; while they are moved into place, without a manifest
   */
  public static TrainingRecord trainBlocked(
      HebbianRule rule, JavaRDD<float[]> patterns, int blockSize, Path dir) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(dir, "dir");
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size must be >= 1, got " + blockSize);
    }
    HebbianOptions o = rule.hebbianOptions();
    PatternStats stats = stats(patterns, o, null);
    if (stats.count() == 0) {
      return null;
    }
    if (!Files.isDirectory(dir)) {
      throw new UncheckedIOException(
          new NotDirectoryException(dir + ": not an existing folder, where blocks are written"));
    }
    int p = (int) stats.count();
    int n = stats.length();
    PartialSums.checkBlockFits(n, blockSize, "on the driver");
    float rho = o.subtractMean() ? stats.mean() : 0f;
    boolean centre = o.subtractMean();
    int g = BlockedWeights.gridSize(n, blockSize);
    int blocks = (int) Math.min(Integer.MAX_VALUE, (long) g * (g + 1) / 2);
    int parts = Math.max(1, Math.min(blocks, patterns.getNumPartitions()));
    float divisor = o.normalizeByPatterns() ? (float) p : 1f;
    boolean negate = rule.isAnti();
    boolean zeroDiagonal = o.zeroDiagonal();
    Iterator<Tuple2<Long, float[]>> finished =
        patterns
            .mapPartitionsToPair(it -> PartialSums.blocks(it, n, blockSize, rho, centre))
            .reduceByKey(PartialSums::add, parts)
            .map(kv -> finish(kv, g, blockSize, divisor, negate, zeroDiagonal))
            .toLocalIterator();
    TrainingRecord rec =
        new TrainingRecord(
            rule.name(), rule.options(), p, n, centre ? rho : Float.NaN, !rule.isAnti());
    try {
      removeStaleStages(dir);
      Path stage = Files.createTempDirectory(dir, ".engram-blocks-");
      try {
        while (finished.hasNext()) {
          Tuple2<Long, float[]> kv = finished.next();
          int bi = (int) (kv._1() / g);
          int bj = (int) (kv._1() % g);
          BlockedWeights.writeBlock(stage, n, blockSize, bi, bj, kv._2());
        }
        replaceBlocks(stage, dir, n, blockSize, rec);
      } finally {
        deleteStage(stage);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "writing blocked weights to " + dir + ": " + e.getMessage(), e);
    }
    return rec;
  }

  /**
   * Moves the blocks written to {@code stage} into {@code dir} and writes the manifest: first
   * checks that every file to replace is a regular file (nothing is changed otherwise), then
   * removes the old manifest, so that a folder with a manifest always holds one complete call.
   */
  private static void replaceBlocks(Path stage, Path dir, int n, int blockSize, TrainingRecord rec)
      throws IOException {
    List<Path> blocks;
    try (Stream<Path> s = Files.list(stage)) {
      blocks = s.toList();
    }
    for (Path b : blocks) {
      checkReplaceable(dir.resolve(b.getFileName().toString()));
    }
    Path manifest = dir.resolve(BlockedWeights.MANIFEST);
    checkReplaceable(manifest);
    Files.deleteIfExists(manifest);
    for (Path b : blocks) {
      Files.move(
          b,
          dir.resolve(b.getFileName().toString()),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    BlockedWeights.writeManifest(dir, n, blockSize, rec);
  }

  private static void checkReplaceable(Path target) throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileSystemException(
          target.toString(), null, "not a regular file; it is not replaced (nothing was)");
    }
  }

  /**
   * Removes the staging folders ({@code .engram-blocks-*}) that calls whose JVM died left in {@code
   * dir}, once a day old (a call running now is never that old); best effort.
   */
  static void removeStaleStages(Path dir) throws IOException {
    long before = System.currentTimeMillis() - ModelPersistence.STALE_AFTER_MILLIS;
    try (java.nio.file.DirectoryStream<Path> s =
        Files.newDirectoryStream(dir, ".engram-blocks-*")) {
      for (Path stage : s) {
        if (Files.isDirectory(stage, LinkOption.NOFOLLOW_LINKS)
            && Files.getLastModifiedTime(stage, LinkOption.NOFOLLOW_LINKS).toMillis() < before) {
          try {
            deleteStage(stage);
          } catch (IOException e) {
            // someone else's, or not ours to remove after all: left
          }
        }
      }
    }
  }

  private static void deleteStage(Path stage) throws IOException {
    try (Stream<Path> s = Files.list(stage)) {
      for (Path f : s.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(stage);
  }

  /**
   * {@code u = ± S / P} on one block, as {@link HebbianSums} adds it to zero weights ({@code 0 +
   * u}, so that a zero is never negative), diagonal zeroed on diagonal blocks when asked.
   */
  private static Tuple2<Long, float[]> finish(
      Tuple2<Long, float[]> kv,
      int g,
      int blockSize,
      float divisor,
      boolean negate,
      boolean zeroDiagonal) {
    float[] b = kv._2();
    for (int i = 0; i < b.length; i++) {
      float u = b[i];
      if (divisor != 1f) {
        u = u / divisor;
      }
      if (negate) {
        u = -u;
      }
      b[i] = 0f + u;
    }
    int bi = (int) (kv._1() / g);
    if (zeroDiagonal && bi == kv._1() % g) {
      int cols = (int) Math.round(Math.sqrt(b.length)); // a diagonal block is square
      for (int r = 0; r < cols; r++) {
        b[r * cols + r] = 0f;
      }
    }
    return kv;
  }

  /**
   * One pass: P, N, sum, min and max; throws the first problem found, or values that would overflow
   * float32 weights (the core's guard, with the core's rho).
   */
  private static PatternStats stats(JavaRDD<float[]> patterns, HebbianOptions o, String column) {
    PatternStats s = validated(patterns, column);
    if (s.count() > 0) {
      float rho = o.subtractMean() ? s.mean() : 0f;
      HebbianRule.checkMagnitude(s.maxAbsDeviation(rho), s.count());
    }
    return s;
  }

  /**
   * P, N and the sums of the patterns, in one pass that also validates them.
   *
   * @param column the features column the patterns come from, or null (an RDD)
   * @throws IllegalArgumentException for a null, empty, ragged or non-finite pattern (named by its
   *     row within its partition, the partition and the column)
   */
  static PatternStats validated(JavaRDD<float[]> patterns, String column) {
    Objects.requireNonNull(patterns, "patterns");
    PartitionStats part =
        patterns
            .mapPartitionsWithIndex(
                (i, it) -> List.of(PartitionStats.of(i, it, column)).iterator(), false)
            .fold(new PartitionStats(), PartitionStats::merge);
    part.throwIfInvalid();
    return part.stats;
  }
}
