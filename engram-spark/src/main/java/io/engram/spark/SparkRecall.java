package io.engram.spark;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.UpdateMode;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Batch recall on Spark: the trained network is broadcast once as its model file's bytes (decoded
 * once per executor JVM), and the queries are recalled where they lie, {@value
 * PartitionRecall#CHUNK} at a time through the core's batch kernel ({@link
 * AmariHopfieldNetwork#recallBatch}); with a seeded random asynchronous order, one at a time as
 * {@link AmariHopfieldNetwork#recall(float[], RecallOptions, int)} with the query's id as its batch
 * index. Nothing is collected: the result is a lazy RDD of the same partitioning, so it scales to
 * any number of queries (write it out, or aggregate it).
 *
 * <p>Per query: {@code s <- cue}, then up to {@code maxIterations} steps of the network's dynamics
 * (or the options' override), stopping at an exact fixed point; the result carries the final state,
 * the steps, whether it converged and the energy {@code E = -1/2 sᵀWs + θ Σ s}. Results equal the
 * core's {@code recallBatch} over the queries in id order; a seeded random asynchronous order uses
 * the id as the query index, so ids must then lie in {@code 0..2^31-1}.
 *
 * <p>A query of the wrong length or with a non-finite value fails its task, and so the job, with an
 * {@link IllegalArgumentException} naming the query's id as the cause; so does a null id.
 * Stateless; safe to call from several driver threads (while nothing trains the network).
 *
 * <p>For DataFrames and ML pipelines, see {@link HopfieldMemoryModel}.
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
    Objects.requireNonNull(options, "options");
    if (options.stepListener() != null || options.queryListener() != null) {
      throw new IllegalArgumentException(
          "recall listeners are not supported on Spark (they would run on the executors)");
    }
    Dynamics d = options.dynamics() != null ? options.dynamics() : network.dynamics();
    checkOrder(d, network.numNeurons());
    RecallSpec spec = RecallSpec.of(options, d.updateMode() instanceof UpdateMode.RandomOrder);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(queries.context());
    BroadcastNetwork net = BroadcastNetwork.of(sc, network, d);
    return queries.mapPartitions(
        it ->
            PartitionRecall.recall(
                net.network(),
                spec,
                it,
                q -> queryOf(q)._2(),
                q -> queryOf(q)._1(),
                (q, r) ->
                    new RecalledState(q._1(), r.state(), r.steps(), r.converged(), r.energy())),
        true);
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
   * {@code q}, checked to have an id.
   *
   * @throws IllegalArgumentException for a null pair or a null id (which would fail the task with a
   *     NullPointerException)
   */
  private static Tuple2<Long, float[]> queryOf(Tuple2<Long, float[]> q) {
    if (q == null) {
      throw new IllegalArgumentException("a query is null, not an (id, cue) pair");
    }
    if (q._1() == null) {
      throw new IllegalArgumentException("a query's id is null; ids must be numbers");
    }
    return q;
  }

  /**
   * @throws IllegalArgumentException if {@code d} has a fixed asynchronous order whose length is
   *     not N
   */
  static void checkOrder(Dynamics d, int n) {
    if (d.updateMode() instanceof UpdateMode.FixedOrder f && f.length() != n) {
      throw new IllegalArgumentException(
          "async order has length " + f.length() + ", expected N = " + n);
    }
  }
}
