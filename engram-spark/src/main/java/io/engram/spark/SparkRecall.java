package io.engram.spark;

import io.engram.kernels.Kernels;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.UpdateMode;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Batch recall on Spark: the trained network is broadcast once (a snapshot of its weights, dense or
 * low-rank, and dynamics), and the queries are recalled where they lie, {@value #CHUNK} at a time
 * through the core's batch kernel ({@link AmariHopfieldNetwork#recallBatch}); with a seeded random
 * asynchronous order, one at a time as {@link AmariHopfieldNetwork#recall(float[], RecallOptions,
 * int)} with the query's id as its batch index. Nothing is collected: the result is a lazy RDD of
 * the same partitioning, so it scales to any number of queries (write it out, or aggregate it).
 *
 * <p>Per query: {@code s <- cue}, then up to {@code maxIterations} steps of the network's dynamics
 * (or the options' override), stopping at an exact fixed point; the result carries the final state,
 * the steps, whether it converged and the energy {@code E = -1/2 sᵀWs + θ Σ s}. Results equal the
 * core's {@code recallBatch} over the queries in id order; a seeded random asynchronous order uses
 * the id as the query index, so ids must then lie in {@code 0..2^31-1}.
 *
 * <p>A query of the wrong length or with a non-finite value fails its task, and so the job, with
 * the core's {@link IllegalArgumentException} as the cause. Stateless; safe to call from several
 * driver threads.
 */
public final class SparkRecall {

  private SparkRecall() {}

  /**
   * Recalls queries keyed by id.
   *
   * @param network the trained network; snapshot now (later changes to it are not seen)
   * @param queries (id, cue) pairs; each cue must have length N and finite values
   * @param options recall options; listeners are not supported (they would run on executors)
   * @return one result per query, lazily computed, in the queries' partitioning and order
   * @throws IllegalArgumentException if the options carry listeners or an asynchronous order whose
   *     length is not N
   */
  public static JavaRDD<RecalledState> recall(
      AmariHopfieldNetwork network, JavaPairRDD<Long, float[]> queries, RecallOptions options) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(queries, "queries");
    Spec spec = Spec.of(network, options);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(queries.context());
    Broadcast<NetworkSnapshot> net = sc.broadcast(NetworkSnapshot.of(network));
    return queries.mapPartitions(it -> recallAll(net.value(), spec, it), true);
  }

  /**
   * Recalls queries without ids; each result's id is its query's index in the RDD's order ({@code
   * zipWithIndex}, which runs one small job to count the partitions when there are several).
   */
  public static JavaRDD<RecalledState> recall(
      AmariHopfieldNetwork network, JavaRDD<float[]> queries, RecallOptions options) {
    Objects.requireNonNull(queries, "queries");
    return recall(network, queries.zipWithIndex().mapToPair(Tuple2::swap), options);
  }

  /**
   * Queries recalled together on one task: one pass over the weights serves the whole chunk (the
   * core's blocked batch kernel) instead of one pass per query.
   */
  static final int CHUNK = 256;

  private static Iterator<RecalledState> recallAll(
      NetworkSnapshot snapshot, Spec spec, Iterator<Tuple2<Long, float[]>> it) {
    AmariHopfieldNetwork net = snapshot.network();
    RecallOptions options = spec.toOptions();
    return new Iterator<>() {
      private final ArrayDeque<RecalledState> ready = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        return !ready.isEmpty() || it.hasNext();
      }

      @Override
      public RecalledState next() {
        if (ready.isEmpty()) {
          if (!it.hasNext()) {
            throw new NoSuchElementException();
          }
          fill();
        }
        return ready.removeFirst();
      }

      private void fill() {
        if (spec.randomOrder) {
          // a seeded random order depends on the query's index: one query at a time, by id
          Tuple2<Long, float[]> q = it.next();
          long id = q._1();
          RecallResult r =
              Kernels.sequentially(() -> net.recall(q._2(), options, spec.queryIndex(id)));
          ready.add(new RecalledState(id, r.state(), r.steps(), r.converged(), r.energy()));
          return;
        }
        List<Long> ids = new ArrayList<>(CHUNK);
        List<float[]> cues = new ArrayList<>(CHUNK);
        while (it.hasNext() && cues.size() < CHUNK) {
          Tuple2<Long, float[]> q = it.next();
          ids.add(q._1());
          cues.add(q._2());
        }
        // Spark runs one task per core already: the kernels stay on this task's thread
        List<RecallResult> rs =
            Kernels.sequentially(() -> net.recallBatch(cues.toArray(new float[0][]), options));
        for (int i = 0; i < rs.size(); i++) {
          RecallResult r = rs.get(i);
          ready.add(new RecalledState(ids.get(i), r.state(), r.steps(), r.converged(), r.energy()));
        }
      }
    };
  }

  /** The serialisable part of {@link RecallOptions}. */
  private static final class Spec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxIterations;
    private final double energyTolerance;
    private final boolean reportEnergy;
    private final DynamicsSpec override; // null: the network's
    private final boolean randomOrder;

    private Spec(
        int maxIterations,
        double energyTolerance,
        boolean reportEnergy,
        DynamicsSpec override,
        boolean randomOrder) {
      this.maxIterations = maxIterations;
      this.energyTolerance = energyTolerance;
      this.reportEnergy = reportEnergy;
      this.override = override;
      this.randomOrder = randomOrder;
    }

    static Spec of(AmariHopfieldNetwork network, RecallOptions o) {
      Objects.requireNonNull(o, "options");
      if (o.stepListener() != null || o.queryListener() != null) {
        throw new IllegalArgumentException(
            "recall listeners are not supported on Spark (they would run on the executors)");
      }
      Dynamics d = o.dynamics() != null ? o.dynamics() : network.dynamics();
      if (d.updateMode() instanceof UpdateMode.FixedOrder f && f.length() != network.numNeurons()) {
        throw new IllegalArgumentException(
            "async order has length " + f.length() + ", expected N = " + network.numNeurons());
      }
      return new Spec(
          o.maxIterations(),
          o.energyTolerance(),
          o.reportEnergy(),
          o.dynamics() == null ? null : DynamicsSpec.of(o.dynamics()),
          d.updateMode() instanceof UpdateMode.RandomOrder);
    }

    RecallOptions toOptions() {
      RecallOptions o =
          RecallOptions.defaults().withMaxIterations(maxIterations).withReportEnergy(reportEnergy);
      if (!Double.isNaN(energyTolerance)) {
        o = o.withEnergyTolerance(energyTolerance);
      }
      return override == null ? o : o.withDynamics(override.toDynamics());
    }

    /** The batch index the core uses for this id (only a random order depends on it). */
    int queryIndex(long id) {
      if (id >= 0 && id <= Integer.MAX_VALUE) {
        return (int) id;
      }
      if (randomOrder) {
        throw new IllegalArgumentException(
            "query id " + id + " is outside 0..2^31-1, needed for a seeded random async order");
      }
      return 0;
    }
  }
}
