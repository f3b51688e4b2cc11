package io.engram.spark;

import io.engram.memory.LogMeanExp;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.ModernStep;
import io.engram.memory.Separation;
import io.engram.network.Memory;
import io.engram.network.RecallEngine;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.RetrievalStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.storage.StorageLevel;

/**
 * A modern Hopfield memory whose patterns X stay on the cluster, sharded across the partitions of a
 * persisted RDD of {@link PatternShard}s, so that the number of stored patterns grows with the
 * executors' memory rather than the driver's. Retrieval runs the core's recall loop ({@link
 * RecallEngine}) on the driver with a step that is one Spark job: the batch of states (at most 256)
 * travels with the tasks, each task runs the core's retrieval kernel over its shards, the parts
 * come back to the driver and merge exactly in pattern order ({@link ShardPartial}: log-sum-exp for
 * softmax and exp, sums for the polynomial separations), and the driver finishes the step with the
 * core's modern step ({@link ModernStep#over}: next state, energy, best matches). Where the softmax
 * energy's terms would cancel (tiny β, {@code 8 β M ‖ξ‖ < ln P}), the core's float64 log-mean-exp
 * of the scores ({@link LogMeanExp}) is one more job, its shards' parts merged as the core merges
 * them, so that the energy is the core's at every β.
 *
 * <p>Results equal {@link ModernHopfieldMemory#retrieveAll} on the same patterns up to float32
 * rounding of the softmax sums (about 1e-6 relative; the same best pattern except for near ties),
 * and bit for bit for the polynomial and rectified separations on ±1 data. Steps and convergence
 * follow the core's loop. Driver memory: the batch and one part per partition (b x N doubles).
 *
 * <p>Recall may run from several threads; {@link #unpersist} must not run concurrently with it.
 */
final class ShardedMemory implements Memory {

  private final JavaRDD<PatternShard> cached; // persisted
  private final JavaRDD<PatternShard> shards; // read by the jobs: cached, or its checked view
  private final int[] base; // per partition: added to its shards' offsets
  private final int p;
  private final int n;
  private final double maxNorm;
  private final Separation separation;
  private final float beta;
  private final int degree;

  /**
   * @param cached the persisted shards
   * @param shards what the jobs read: {@code cached}, or a view of it that checks it
   * @param base per partition, what to add to its shards' offsets for an index in the memory
   * @param settings an empty memory with N, the separation, β and degree
   */
  ShardedMemory(
      JavaRDD<PatternShard> cached,
      JavaRDD<PatternShard> shards,
      int[] base,
      int p,
      double maxNorm,
      ModernHopfieldMemory settings) {
    this.cached = cached;
    this.shards = shards;
    this.base = base;
    this.p = p;
    this.n = settings.numNeurons();
    this.maxNorm = maxNorm;
    this.separation = settings.separation();
    this.beta = settings.beta();
    this.degree = settings.degree();
  }

  /**
   * The {@link IllegalArgumentException} a task threw, so that bad input fails {@code fit} as it
   * fails the core; other failures as they are.
   */
  static RuntimeException unwrapped(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException bad) {
        return new IllegalArgumentException(bad.getMessage(), e);
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
  }

  /**
   * Shards a memory held on the driver ({@code slices} partitions, persisted and locally
   * checkpointed), e.g. one read from a model file that is too large to broadcast: one job ships
   * the patterns to the executors once.
   */
  static ShardedMemory of(JavaSparkContext sc, ModernHopfieldMemory memory, int slices) {
    int n = memory.numNeurons();
    int rows = PatternShard.rowsPerShard(n);
    float[] x = memory.toArray();
    ModernHopfieldMemory settings =
        ModernHopfieldMemory.of(n, memory.separation(), memory.beta(), memory.degree());
    List<PatternShard> list = new ArrayList<>();
    for (int o = 0; o < memory.size(); o += rows) {
      int c = Math.min(rows, memory.size() - o);
      list.add(
          PatternShard.of(
              o,
              c,
              Arrays.copyOfRange(x, o * n, (o + c) * n),
              n,
              memory.separation(),
              memory.beta(),
              memory.degree()));
    }
    // cached and cut from the parallelised list (local checkpoint), so that the step jobs' tasks
    // do not carry the patterns: they are shipped once, here
    JavaRDD<PatternShard> shards = sc.parallelize(list, Math.max(1, slices)).map(s -> s);
    shards.persist(StorageLevel.MEMORY_AND_DISK());
    shards.rdd().localCheckpoint();
    shards.count();
    return new ShardedMemory(
        shards,
        shards,
        new int[shards.getNumPartitions()],
        memory.size(),
        memory.maxNorm(),
        settings);
  }

  /** P, the number of stored patterns. */
  int size() {
    return p;
  }

  /** Bytes the stored patterns take (4 P N). */
  long memoryBytes() {
    return 4L * p * n;
  }

  /**
   * Whether the SparkContext that holds the shards has stopped (its session was stopped): the
   * shards are gone with it.
   */
  boolean isStopped() {
    return shards.context().isStopped();
  }

  /** Whether the shards live in {@code sc}, which is running. */
  boolean livesIn(JavaSparkContext sc) {
    return shards.context() == sc.sc() && !isStopped();
  }

  /** The number of partitions that hold the shards. */
  int partitions() {
    return shards.getNumPartitions();
  }

  /**
   * The patterns collected to the driver as the core's memory (for a model file or a broadcast).
   *
   * @throws IllegalArgumentException if P N exceeds a Java array (the core's limit)
   */
  ModernHopfieldMemory collect() {
    ModernHopfieldMemory m = ModernHopfieldMemory.of(n, separation, beta, degree);
    m.storeRows(rows(), p);
    return m;
  }

  /**
   * The patterns collected to the driver (P x N, row-major), one partition at a time: one job per
   * partition.
   *
   * @throws IllegalArgumentException if P N exceeds a Java array (the core's limit)
   */
  float[] rows() {
    if (4L * p * n > 4L * (Integer.MAX_VALUE - 8)) {
      throw new IllegalArgumentException(
          "P x N = " + (long) p * n + " values do not fit one Java array on the driver");
    }
    float[] x = new float[p * n];
    int at = 0; // in pattern order: partition by partition, each partition's shards in order
    for (Iterator<PatternShard> it = shards.toLocalIterator(); it.hasNext(); ) {
      PatternShard s = it.next();
      System.arraycopy(s.rows, 0, x, at, s.count * n);
      at += s.count * n;
    }
    return x;
  }

  /** Removes the shards from the executors. */
  void unpersist() {
    cached.unpersist(false);
  }

  @Override
  public int numNeurons() {
    return n;
  }

  @Override
  public String kind() {
    return "modern";
  }

  /** One step, as the core's modern memory. */
  @Override
  public RecallOptions defaultRecallOptions() {
    return RecallOptions.defaults().withMaxIterations(1);
  }

  /**
   * Retrieves each cue as {@link ModernHopfieldMemory#retrieveAll} does, one Spark job per step of
   * each group of at most 256 cues.
   *
   * @throws IllegalArgumentException for an invalid cue (length, finite, ±1 for the binary
   *     separations) or options that set dynamics; nothing runs then
   */
  @Override
  public List<RecallResult> recallBatch(float[][] cues, RecallOptions options) {
    RetrievalStep step = retrievalStep(options);
    for (int q = 0; q < cues.length; q++) {
      float[] c = PartitionRecall.checked(cues[q], q, n);
      if (separation.isBinary()) {
        for (int i = 0; i < n; i++) {
          if (c[i] != 1f && c[i] != -1f) {
            throw new IllegalArgumentException(
                "query "
                    + q
                    + " has the value "
                    + c[i]
                    + " at index "
                    + i
                    + "; "
                    + separation.id()
                    + " separation needs ±1 values");
          }
        }
      }
    }
    // one group of at most 256 queries per step job, one after another (each job uses the cluster)
    return OnTaskThread.run(() -> RecallEngine.run(step, cues, options));
  }

  @Override
  public RetrievalStep retrievalStep(RecallOptions options) {
    if (options != null && options.dynamics() != null) {
      throw new IllegalArgumentException(
          "modern memory has no neuron dynamics (activation, threshold, update mode) to override");
    }
    // the core's step, with a scan that is one Spark job over the shards; at tiny beta the softmax
    // energy's log-mean-exp of the scores is one more (the core's parts, merged as the core merges)
    ModernStep.Scan scan =
        new ModernStep.Scan() {
          @Override
          public ModernStep.ScanResult scan(float[] q, int count, int k, boolean wantOut) {
            ShardPartial r = partial(q, count, k, wantOut);
            return new ModernStep.ScanResult(
                null, r.out, r.softmax ? r.lse : r.diagonal, r.energy, r.topIndex, r.topScore);
          }

          @Override
          public LogMeanExp logMeanExp(float[] states, int count) {
            return ShardedMemory.this.logMeanExp(states, count);
          }
        };
    return ModernStep.over(scan, p, n, separation, beta, maxNorm);
  }

  /**
   * The scores' {@link LogMeanExp} of {@code count} states (count x N) over all the patterns, in
   * float64: each shard's part by the core ({@link LogMeanExp#over}), merged in pattern order
   * ({@link LogMeanExp#merge}) in each task and then on the driver: one Spark job.
   */
  LogMeanExp logMeanExp(float[] states, int count) {
    float b = beta;
    int width = n;
    FlatMapFunction<Iterator<PatternShard>, LogMeanExp> task =
        it -> {
          LogMeanExp acc = null;
          while (it.hasNext()) {
            PatternShard s = it.next();
            acc = LogMeanExp.merge(acc, LogMeanExp.over(s.rows, s.count, width, states, count, b));
          }
          return acc == null ? List.<LogMeanExp>of().iterator() : List.of(acc).iterator();
        };
    LogMeanExp acc = null;
    for (LogMeanExp part : shards.mapPartitions(task).collect()) {
      acc = LogMeanExp.merge(acc, part);
    }
    return acc;
  }

  /** The parts of one step for states {@code q} (b x N), merged in pattern order: one Spark job. */
  ShardPartial partial(float[] q, int b, int k, boolean wantOut) {
    PartialTask task = new PartialTask(q, b, separation, beta, degree, k, wantOut, base);
    ShardPartial acc = null;
    for (ShardPartial s : shards.mapPartitionsWithIndex(task, true).collect()) {
      acc = ShardPartial.merge(acc, s, k);
    }
    return acc;
  }

  /**
   * The task of a step: the parts of one partition's shards, merged in order, their best patterns
   * indexed in the whole memory.
   */
  private static final class PartialTask
      implements Function2<Integer, Iterator<PatternShard>, Iterator<ShardPartial>> {
    private static final long serialVersionUID = 1L;

    private final float[] q;
    private final int b;
    private final Separation separation;
    private final float beta;
    private final int degree;
    private final int k;
    private final boolean wantOut;
    private final int[] base;

    PartialTask(
        float[] q,
        int b,
        Separation separation,
        float beta,
        int degree,
        int k,
        boolean wantOut,
        int[] base) {
      this.q = q;
      this.b = b;
      this.separation = separation;
      this.beta = beta;
      this.degree = degree;
      this.k = k;
      this.wantOut = wantOut;
      this.base = base;
    }

    @Override
    public Iterator<ShardPartial> call(Integer part, Iterator<PatternShard> it) {
      ShardPartial acc = null;
      while (it.hasNext()) {
        acc =
            ShardPartial.merge(
                acc, it.next().partial(q, b, separation, beta, degree, k, wantOut), k);
      }
      if (acc != null && acc.topIndex != null) {
        for (int i = 0; i < acc.topIndex.length; i++) {
          acc.topIndex[i] += base[part];
        }
      }
      return acc == null ? List.<ShardPartial>of().iterator() : List.of(acc).iterator();
    }
  }

  /** The settings of the patterns' separation. */
  ModernHopfieldMemory settings() {
    return ModernHopfieldMemory.of(n, separation, beta, degree);
  }

  @Override
  public String toString() {
    return "ShardedMemory[N=" + n + ", P=" + p + ", " + separation.id() + "]";
  }
}
