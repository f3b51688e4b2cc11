package io.engram.spark;

import io.engram.learning.StorkeyRule;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.Memory;
import io.engram.weights.WeightsMode;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * What {@link HopfieldMemory#fit} does, per memory kind: a classical network trained by a Hebbian
 * rule (sums formed on the cluster, {@link SparkHebbian}), by pseudo-inverse (Gram matrix reduced
 * on the cluster) or by Storkey (collected to the driver; both {@link SparkRules}), or a modern
 * memory validated and sharded on the cluster, then collected or kept sharded ({@link
 * ShardedMemory}). The estimator's parameters are read through its public getters.
 */
final class Fitting {

  private Fitting() {}

  /**
   * {@link HopfieldMemory#transformSchema}: checks the schema (column names compared with case when
   * {@code caseSensitive}, {@code spark.sql.caseSensitive}); each parameter's value was checked
   * where it was given, and one that does not apply to the memory kind or rule is ignored.
   */
  static StructType schema(HopfieldMemory est, StructType schema, boolean caseSensitive) {
    boolean modern = "modern".equals(est.getMemory());
    FeatureColumns.Found f = FeatureColumns.find(schema, est.getFeaturesCol(), caseSensitive);
    return FeatureColumns.outputSchema(schema, est, f.kind(), modern, caseSensitive);
  }

  /**
   * Trains on the features column of {@code dataset}, whose schema and parameters {@code est} has
   * checked ({@link HopfieldMemory#transformSchema}).
   */
  static HopfieldMemoryModel fit(HopfieldMemory est, Dataset<?> dataset) {
    if (dataset.isStreaming()) {
      throw new IllegalArgumentException(
          est.uid()
              + ": fit needs a batch dataset (it reads the features column twice); this one is"
              + " streaming");
    }
    FeatureColumns.Found f =
        FeatureColumns.find(
            dataset.schema(),
            est.getFeaturesCol(),
            FeatureColumns.caseSensitive(dataset.sparkSession()));
    FeatureColumns.Kind kind = f.kind();
    String col = f.name();
    // the column by its position, under a name no other column has: Spark resolves names without
    // case, and a dataset may hold "features" and "Features" (the projection keeps column pruning)
    Dataset<org.apache.spark.sql.Row> df = dataset.toDF();
    int at = f.index();
    String[] names = new String[df.columns().length];
    for (int i = 0; i < names.length; i++) {
      names[i] = "c" + i;
    }
    JavaRDD<float[]> patterns =
        df.toDF(names)
            .select(functions.col(names[at]))
            .javaRDD()
            .mapPartitionsWithIndex(
                (part, it) -> FeatureColumns.patterns(part, it, kind, col), true);
    Memory init =
        est.getInitModel().isEmpty()
            ? null
            : HopfieldMemoryModel.read()
                .session(dataset.sparkSession())
                .load(est.getInitModel())
                .modelMemory()
                .driverMemory(); // read just now: this fit owns it
    if ("modern".equals(est.getMemory())) {
      return fitModern(est, patterns, init, col);
    }
    if (init != null && !(init instanceof AmariHopfieldNetwork)) {
      throw new IllegalArgumentException(
          est.uid()
              + ": initModel "
              + est.getInitModel()
              + " holds a modern memory, but memory is classical");
    }
    return fitClassical(est, dataset, patterns, (AmariHopfieldNetwork) init, col);
  }

  private static HopfieldMemoryModel fitClassical(
      HopfieldMemory est,
      Dataset<?> dataset,
      JavaRDD<float[]> patterns,
      AmariHopfieldNetwork init,
      String column) {
    SparkHebbian.Strategy how = trainingStrategy(est);
    WeightsMode mode = ParamRules.weightsMode(est);
    Dynamics d = ParamRules.dynamics(est, init != null ? init.dynamics() : Dynamics.DEFAULT);
    boolean persist = dataset.storageLevel().equals(StorageLevel.NONE());
    if (persist) {
      patterns.persist(StorageLevel.MEMORY_AND_DISK());
    }
    AmariHopfieldNetwork[] net = {init};
    IntFunction<AmariHopfieldNetwork> target;
    if (init != null) {
      init.setDynamics(d);
      if (est.isSet(est.weights())) {
        init.setWeightsMode(mode);
      }
      target = n -> init;
    } else {
      target = n -> net[0] = AmariHopfieldNetwork.create(n, d, mode);
    }
    boolean preserve = est.getPreserveOnResize();
    try {
      switch (est.getRule()) {
        case "pseudo-inverse" ->
            SparkRules.trainPseudoInverse(
                target,
                ParamRules.pseudoInverseRule(est),
                patterns,
                preserve,
                how != SparkHebbian.Strategy.COLLECT,
                est.getCollectLimit(),
                column);
        case "storkey" ->
            SparkRules.trainStorkey(
                target,
                StorkeyRule.create(est.getZeroDiagonal()),
                patterns,
                preserve,
                est.getCollectLimit(),
                column);
        default ->
            SparkHebbian.train(
                target, ParamRules.learningRule(est), patterns, how, est.getCollectLimit(), column);
      }
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw e;
    } catch (Exception e) { // a row refused while the persisted features were converted
      throw ShardedMemory.unwrapped(e);
    } finally {
      if (persist) {
        patterns.unpersist(false);
      }
    }
    if (net[0] == null) {
      throw new IllegalArgumentException(
          est.uid()
              + ": no patterns to train on (column "
              + est.getFeaturesCol()
              + " is empty), and no initModel");
    }
    HopfieldMemoryModel model =
        est.copyValues(new HopfieldMemoryModel(est.uid(), net[0], null), ParamMap.empty());
    MemoryParams.setNetworkDefaults(model, net[0]);
    model.markFitted();
    return model.setParent(est);
  }

  /**
   * Modern memory: the patterns are validated and sharded on the cluster in one job (the features
   * column read once; N is the first pattern's length, found in that job), then collected to the
   * driver when they fit {@code broadcastLimit}, else kept there. With an initModel, the new
   * patterns are validated against it, cached and counted in the same way (the column read once),
   * then collected from the cache when they are at most {@code collectLimit} bytes (else the fit
   * fails naming P, and no pattern reaches the driver) and appended to it on the driver.
   */
  private static HopfieldMemoryModel fitModern(
      HopfieldMemory est, JavaRDD<float[]> patterns, Memory init, String column) {
    HopfieldMemoryModel model;
    if (init != null) {
      if (!(init instanceof ModernHopfieldMemory m)) {
        throw new IllegalArgumentException(
            est.uid()
                + ": initModel "
                + est.getInitModel()
                + " holds a classical network, but memory is modern");
      }
      modernInitSettings(est, m);
      SparkRules.checkCollectLimit(est.getCollectLimit());
      long limit = est.getCollectLimit();
      // one job reads the patterns: validated on the executors (each bad pattern named by row,
      // partition and column), cached and counted; within collectLimit they are then collected
      // from the cache, a partition at a time
      ShardedMemory rows =
          ShardedFit.of(
              patterns,
              new ModernRows.Spec(m, column, "the initModel's"),
              count ->
                  SparkRules.checkCollect(
                      count,
                      m.numNeurons(),
                      "modern memory with initModel",
                      limit,
                      SparkRules.COLLECT_ADVICE));
      if (rows != null) {
        try {
          m.storeRows(rows.rows(), rows.size());
        } finally {
          rows.unpersist();
        }
      }
      model = new HopfieldMemoryModel(est.uid(), m, null);
    } else {
      // one job: N (the first pattern's length), the patterns validated, sharded and cached
      ShardedMemory shards = ShardedFit.of(patterns, ParamRules.modernSettings(est), column);
      if (shards == null) {
        throw new IllegalArgumentException(
            est.uid()
                + ": no patterns to train on (column "
                + est.getFeaturesCol()
                + " is empty), and no initModel");
      }
      if (shards.memoryBytes() <= est.getBroadcastLimit()) {
        ModernHopfieldMemory m;
        try {
          m = shards.collect();
        } finally {
          shards.unpersist();
        }
        model = new HopfieldMemoryModel(est.uid(), m, null);
      } else {
        model = new HopfieldMemoryModel(est.uid(), null, shards);
      }
    }
    model = est.copyValues(model, ParamMap.empty());
    model.modelMemory().setDefaults(model); // the memory's settings, one step
    model.markFitted();
    return model.setParent(est);
  }

  /**
   * Refuses a separation, β or degree set to override a modern initModel's own (it keeps them): a
   * value equal to the initModel's, or to the parameter's default (carried by {@code
   * copy(extractParamMap())} or a pipeline's ParamMap), overrides nothing and passes.
   */
  private static void modernInitSettings(HopfieldMemory est, ModernHopfieldMemory m) {
    Separation s = m.separation();
    double beta = s.usesBeta() ? m.beta() : Double.NaN;
    int degree = s.usesDegree() ? m.degree() : est.getDegree();
    List<Object> own = List.<Object>of(s.id(), beta, degree);
    List<Param<?>> params = List.of(est.separation(), est.beta(), est.degree());
    for (int i = 0; i < params.size(); i++) {
      Param<?> q = params.get(i);
      Object v = est.getOrDefault(q);
      if (est.isSet(q) && !v.equals(est.getDefault(q).get()) && !v.equals(own.get(i))) {
        throw new IllegalArgumentException(
            est.uid()
                + ": "
                + q.name()
                + " is set to "
                + v
                + ", but a modern initModel keeps its own settings ("
                + q.name()
                + " "
                + own.get(i)
                + ")");
      }
    }
  }

  /**
   * How the sums are formed: low-rank weights are always collected (a reduced sum of outer products
   * is dense), whatever {@code strategy} says: it does not apply there, and is ignored.
   */
  private static SparkHebbian.Strategy trainingStrategy(HopfieldMemory est) {
    if ("low-rank".equals(est.getWeights())) {
      return SparkHebbian.Strategy.COLLECT;
    }
    return switch (est.getStrategy()) {
      case "collect" -> SparkHebbian.Strategy.COLLECT;
      case "reduce" -> SparkHebbian.Strategy.REDUCE;
      default -> SparkHebbian.Strategy.AUTO;
    };
  }
}
