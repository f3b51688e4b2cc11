package io.engram.spark;

import io.engram.learning.PatternBlock;
import io.engram.learning.PatternStats;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.TrainingRecord;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;

/**
 * Training calls of the core's pseudo-inverse and Storkey rules from an RDD of patterns.
 *
 * <ul>
 *   <li><b>Pseudo-inverse</b> ({@link PseudoInverseRule}): on a network that stores no patterns
 *       yet, the P x P Gram matrix {@code X Xᵀ} is reduced from the partitions (column blocks, see
 *       {@link GramBlocks}: the {@code P² N} multiply-adds run on the executors), and the driver
 *       finishes the call with the core ({@link PseudoInverseRule#prepare(PatternBlock, double[])}:
 *       the P x P factorisation and the product with the patterns, which it collects). The result
 *       equals the core's call on the same patterns up to the float32 rounding of the Gram matrix,
 *       and records the same options, rank and solver. A network that already stores patterns
 *       (continued training) is trained by the core on the collected patterns, bit for bit.
 *   <li><b>Storkey</b> ({@link StorkeyRule}): sequential by nature (each pattern's update reads the
 *       weights the previous one left), so the patterns are collected and the core trains: bit for
 *       bit the core's result.
 * </ul>
 *
 * Both collect the patterns to the driver, at most {@code collectLimit} bytes of them ({@code 4 P
 * N}; {@link #DEFAULT_COLLECT_LIMIT} by default); past it the call fails with an {@link
 * IllegalArgumentException} before collecting anything. Bad input (null, ragged, empty or
 * non-finite patterns) is rejected naming the partition and row, and leaves the network unchanged.
 */
public final class SparkRules {

  /** The default limit on the patterns collected to the driver: 2^30 bytes (1 GiB). */
  public static final long DEFAULT_COLLECT_LIMIT = 1L << 30;

  private SparkRules() {}

  /**
   * One pseudo-inverse training call on {@code network}.
   *
   * @return the record of the call, or null for an empty RDD (the network is unchanged)
   * @throws IllegalArgumentException for invalid patterns, patterns over {@code collectLimit}
   *     bytes, P x P matrices the heap cannot hold (three float64 ones on the driver), or what the
   *     core's rule refuses
   */
  public static TrainingRecord trainPseudoInverse(
      AmariHopfieldNetwork network,
      PseudoInverseRule rule,
      JavaRDD<float[]> patterns,
      boolean preserveOnResize,
      long collectLimit) {
    Objects.requireNonNull(network, "network");
    return trainPseudoInverse(
        n -> network, rule, patterns, preserveOnResize, true, collectLimit, null);
  }

  /**
   * As the public {@code train}, on the network that {@code network} gives for N.
   *
   * @param reduceGram reduce the Gram matrix on the cluster when the network stores no patterns
   *     (else the core trains on the collected patterns)
   * @param column the features column the patterns come from, named with a bad one (null: an RDD)
   */
  static TrainingRecord trainPseudoInverse(
      IntFunction<AmariHopfieldNetwork> network,
      PseudoInverseRule rule,
      JavaRDD<float[]> patterns,
      boolean preserveOnResize,
      boolean reduceGram,
      long collectLimit,
      String column) {
    Objects.requireNonNull(rule, "rule");
    PatternStats stats = checked(patterns, "pseudo-inverse", collectLimit, column);
    if (stats.count() == 0) {
      return null;
    }
    int p = (int) stats.count();
    int n = stats.length();
    checkGram(p, n, 3 * 8L * p * p, "3 float64 P x P matrices", "on the driver");
    AmariHopfieldNetwork net = network.apply(n);
    if (!reduceGram || net.storedPatterns() != 0 || n != net.numNeurons()) {
      List<float[]> rows = patterns.collect();
      return rule.train(net, PatternBlock.of(rows), preserveOnResize, null);
    }
    int blocks = Math.max(2, patterns.context().defaultParallelism());
    double[] gram = GramBlocks.gram(patterns, p, n, blocks);
    PatternBlock block = PatternBlock.of(patterns.collect());
    return net.apply(rule.prepare(block, gram), preserveOnResize, null);
  }

  /**
   * One Storkey training call on {@code network}: the patterns are collected and the core trains.
   *
   * @return the record of the call, or null for an empty RDD (the network is unchanged)
   * @throws IllegalArgumentException for invalid patterns, patterns over {@code collectLimit}
   *     bytes, or what the core's rule refuses
   */
  public static TrainingRecord trainStorkey(
      AmariHopfieldNetwork network,
      StorkeyRule rule,
      JavaRDD<float[]> patterns,
      boolean preserveOnResize,
      long collectLimit) {
    Objects.requireNonNull(network, "network");
    return trainStorkey(n -> network, rule, patterns, preserveOnResize, collectLimit, null);
  }

  /**
   * As the public {@code trainStorkey}, on the network for N; {@code column} as for pseudo-inverse.
   */
  static TrainingRecord trainStorkey(
      IntFunction<AmariHopfieldNetwork> network,
      StorkeyRule rule,
      JavaRDD<float[]> patterns,
      boolean preserveOnResize,
      long collectLimit,
      String column) {
    Objects.requireNonNull(rule, "rule");
    PatternStats stats = checked(patterns, "storkey", collectLimit, column);
    if (stats.count() == 0) {
      return null;
    }
    AmariHopfieldNetwork net = network.apply(stats.length());
    return rule.train(net, PatternBlock.of(patterns.collect()), preserveOnResize, null);
  }

  /**
   * Fails, naming P, where a pseudo-inverse call's P x P matrices cannot be held: past what a Java
   * array holds, or {@code bytes} past this JVM's heap (an {@link OutOfMemoryError} in a Spark task
   * stops the executor's JVM, in local mode the application's own).
   *
   * @param what the matrices {@code bytes} counts, for the message
   * @param where "on the driver", "in each task"
   * @throws IllegalArgumentException naming P, N, the sizes and the heap
   */
  static void checkGram(long p, int n, long bytes, String what, String where) {
    long heap = Runtime.getRuntime().maxMemory();
    String dependent =
        p > n
            ? "; patterns beyond N = " + n + " are linearly dependent (at most N are stored)"
            : "";
    if (p * p > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "pseudo-inverse forms a P x P Gram matrix: P = "
              + p
              + " patterns make "
              + p * p
              + " values, more than a Java array holds"
              + dependent);
    }
    if (bytes > heap) {
      throw new IllegalArgumentException(
          "pseudo-inverse forms a P x P Gram matrix: P = "
              + p
              + " patterns need "
              + what
              + " ("
              + (bytes >> 20)
              + " MiB) "
              + where
              + ", more than this JVM's heap ("
              + (heap >> 20)
              + " MiB)"
              + dependent);
    }
  }

  /**
   * Validates the patterns (one pass) and checks that they may be collected.
   *
   * @param column the features column the patterns come from, or null (an RDD)
   * @throws IllegalArgumentException for invalid patterns (named by row, partition and column) or
   *     {@code 4 P N > collectLimit}
   */
  static PatternStats checked(
      JavaRDD<float[]> patterns, String rule, long collectLimit, String column) {
    checkCollectLimit(collectLimit);
    PatternStats s = SparkHebbian.validated(patterns, column);
    checkCollect(s, rule, collectLimit, COLLECT_ADVICE);
    return s;
  }

  /** What a call that must collect its patterns may do where they are more than collectLimit. */
  static final String COLLECT_ADVICE =
      "; raise collectLimit where the driver's heap holds them (this rule learns from every"
          + " pattern at once, in one place), or train on fewer patterns";

  /**
   * @throws IllegalArgumentException for a negative {@code collectLimit}
   */
  static void checkCollectLimit(long collectLimit) {
    if (collectLimit < 0) {
      throw new IllegalArgumentException("collectLimit must be >= 0, got " + collectLimit);
    }
  }

  /**
   * Fails, before anything is collected, where the patterns {@code s} counts are more than {@code
   * collectLimit} bytes ({@code 4 P N}).
   *
   * @param rule who collects them, for the message
   * @param advice appended to the message: what else the caller may do ("" for nothing)
   * @throws IllegalArgumentException naming P, N, the bytes and collectLimit
   */
  static void checkCollect(PatternStats s, String rule, long collectLimit, String advice) {
    checkCollect(s.count(), s.length(), rule, collectLimit, advice);
  }

  /** {@link #checkCollect(PatternStats, String, long, String)} for P = {@code count}, N. */
  static void checkCollect(long count, int n, String rule, long collectLimit, String advice) {
    long bytes = 4L * count * n;
    if (bytes > collectLimit) {
      throw new IllegalArgumentException(
          rule
              + " collects the patterns to the driver: "
              + count
              + " x "
              + n
              + " values are "
              + bytes
              + " bytes, more than collectLimit = "
              + collectLimit
              + " bytes"
              + advice);
    }
  }
}
