package io.engram.spark;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * What {@link HopfieldMemoryModel#transformSchema} and {@link HopfieldMemoryModel#transform} do:
 * the output schema; a classical network broadcast and recalled where the rows lie ({@link
 * RowRecall}, with global row indices for a seeded random order); a modern memory broadcast while
 * it fits {@code broadcastLimit} and is on the driver, else sharded, each retrieval step one job
 * over the shards and the rows passing through the driver. The model's parameters are read through
 * its public getters.
 */
final class Transforming {

  private Transforming() {}

  /**
   * The schema {@code model}'s transform produces (checking the parameters and features column),
   * column names compared with case when {@code caseSensitive} ({@code spark.sql.caseSensitive}).
   */
  static StructType schema(HopfieldMemoryModel model, StructType schema, boolean caseSensitive) {
    fittedWith(model);
    // the dynamics of a modern memory's model, and bestCol, weightCol and broadcastLimit of a
    // network's, do not apply: ignored, as on the estimator
    boolean modernHeld = model.modelMemory().network() == null;
    if (!modernHeld && model.isSet(model.temperature())) {
      temperatureApplies(model);
    }
    ShardedMemory kept = model.modelMemory().sharded();
    if (kept != null
        && model.isSet(model.broadcastLimit())
        && model.getBroadcastLimit() >= kept.memoryBytes()) {
      // fit kept the patterns on the cluster; transform does not collect them to broadcast them
      throw new IllegalArgumentException(
          model.uid()
              + ": broadcastLimit "
              + model.getBroadcastLimit()
              + " would broadcast the patterns ("
              + kept.memoryBytes()
              + " bytes), but fit left them sharded on the cluster, and transform retrieves from"
              + " them there; HopfieldMemoryModel.of(model.storedMemory()) collects them to the"
              + " driver, to broadcast them");
    }
    FeatureColumns.Found f = FeatureColumns.find(schema, model.getFeaturesCol(), caseSensitive);
    // the memory the model holds decides its columns, not its memory parameter (for reference)
    boolean modern = model.modelMemory().network() == null;
    return FeatureColumns.outputSchema(schema, model, f.kind(), modern, caseSensitive);
  }

  /**
   * Refuses a training parameter (the rule, ridge, beta...) set on the model to another value than
   * it was fitted with ({@code copy(ParamMap)}, a pipeline's or a tuning grid's ParamMap, {@code
   * set}): it would change nothing, as the model recalls with the memory it holds. The same value
   * passes, as a CrossValidator gives its models the ParamMap they were fitted with.
   */
  private static void fittedWith(HopfieldMemoryModel model) {
    for (Param<?> q : ParamRules.trainingParams(model)) {
      if (!model.isSet(q)) {
        continue;
      }
      Object now = model.getOrDefault(q);
      Object was = model.fittedValue(q);
      if (!java.util.Objects.equals(now, was)) {
        throw new IllegalArgumentException(
            model.uid()
                + ": "
                + q.name()
                + " is set to "
                + now
                + ", but the model was fitted with "
                + was
                + "; "
                + q.name()
                + " applies only to fitting (the model recalls with the memory it holds): fit a"
                + " HopfieldMemory with it, or leave it as fitted");
      }
    }
  }

  /**
   * Refuses a temperature set for a recall whose activation is sign, which has no temperature (it
   * would change nothing), as {@code engram recall --temperature} does; the estimator keeps one in
   * the network, for a later recall with tanh or sigmoid, as {@code engram train} does, and the
   * model it fits carries that value: the network's own temperature is not refused.
   */
  private static void temperatureApplies(HopfieldMemoryModel model) {
    boolean set = model.isSet(model.activation());
    Activation a =
        set
            ? Activation.parse(model.getActivation())
            : model.modelMemory().network().dynamics().activation();
    // a model carries the estimator's temperature, which its network stores: that one overrides
    // nothing (a tanh fit then recalled with sign, as HopfieldMemoryTest does)
    float stored = model.modelMemory().network().dynamics().temperature();
    if (a == Activation.SIGN && (float) model.getTemperature() != stored) {
      throw new IllegalArgumentException(
          model.uid()
              + (set
                  ? ": temperature does not apply to activation sign (only tanh(x/T) and"
                      + " sigmoid(x/T) use T); leave temperature unset"
                  : ": temperature does not apply to the network's sign activation (only tanh(x/T)"
                      + " and sigmoid(x/T) use T); set activation tanh or sigmoid too, or leave"
                      + " temperature unset"));
    }
  }

  /** Recalls every row of {@code dataset} with {@code model}. */
  static Dataset<Row> transform(HopfieldMemoryModel model, Dataset<?> dataset) {
    // column names compare as the dataset's session resolves them
    boolean caseSensitive = FeatureColumns.caseSensitive(dataset.sparkSession());
    StructType out = schema(model, dataset.schema(), caseSensitive);
    Dataset<Row> df = dataset.toDF();
    FeatureColumns.Found features =
        FeatureColumns.find(df.schema(), model.getFeaturesCol(), caseSensitive);
    AmariHopfieldNetwork network = model.modelMemory().network();
    if (network == null) {
      return transformModern(model, df, out, features);
    }
    Dynamics d = ParamRules.dynamics(model, network.dynamics());
    SparkRecall.checkOrder(d, network.numNeurons());
    RecallSpec spec = ParamRules.recallSpec(model, d);
    if (spec.randomOrder() && df.isStreaming()) {
      throw new IllegalArgumentException(
          model.uid()
              + ": a seeded random asynchronous order needs each row's index in the dataset, which"
              + " a streaming dataset does not have; recall a stream with update = sync");
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    RowRecall f =
        rowRecall(
            model,
            df,
            features,
            BroadcastNetwork.of(sc, network, d),
            spec,
            false,
            false,
            null,
            out);
    if (!spec.randomOrder()) {
      return df.mapPartitions(f, Encoders.row(out));
    }
    JavaRDD<Row> rows = df.javaRDD().zipWithIndex().mapPartitions(f::callIndexed, true);
    return df.sparkSession().createDataFrame(rows, out);
  }

  /**
   * The per-row recall of {@code df}'s feature column with the model's output columns; {@code net}
   * null where the rows pass through the driver (sharded modern memory).
   */
  private static RowRecall rowRecall(
      HopfieldMemoryModel model,
      Dataset<Row> df,
      FeatureColumns.Found features,
      BroadcastNetwork net,
      RecallSpec spec,
      boolean best,
      boolean weight,
      Separation separation,
      StructType out) {
    return new RowRecall(
        net,
        spec,
        features.index(),
        features.name(),
        features.kind(),
        !model.getStepsCol().isEmpty(),
        !model.getConvergedCol().isEmpty(),
        !model.getEnergyCol().isEmpty(),
        best,
        weight,
        separation,
        out,
        model.getHandleInvalid());
  }

  /** Rows recalled on the driver at a time on the sharded path. */
  static final int SHARDED_CHUNK = 4096;

  /**
   * Modern memory: broadcast while the patterns are at most {@code broadcastLimit} bytes and on the
   * driver; else sharded (each step a job over the shards), the rows passing through the driver.
   */
  private static Dataset<Row> transformModern(
      HopfieldMemoryModel model, Dataset<Row> df, StructType out, FeatureColumns.Found features) {
    RecallSpec spec = ParamRules.recallSpec(model, Dynamics.DEFAULT);
    boolean best = !model.getBestCol().isEmpty();
    boolean weight = !model.getWeightCol().isEmpty();
    ModernHopfieldMemory local = (ModernHopfieldMemory) model.modelMemory().held();
    Separation sep =
        local != null ? local.separation() : model.modelMemory().sharded().settings().separation();
    // a cue that is not ±1 for a binary separation is refused by row, as one of another length is
    RowRecall f = rowRecall(model, df, features, null, spec, best, weight, sep, out);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    if (local != null && local.memoryBytes() <= model.getBroadcastLimit()) {
      RowRecall g = f.with(BroadcastNetwork.ofMemory(sc, local));
      return df.mapPartitions(g, Encoders.row(out));
    }
    if (df.isStreaming()) {
      throw new IllegalArgumentException(
          model.uid()
              + ": a sharded modern memory retrieves on the driver, the rows passing through it,"
              + " which a streaming dataset cannot; "
              + (local != null
                  ? "a broadcastLimit of at least " + local.memoryBytes() + " bytes broadcasts it"
                  : "HopfieldMemoryModel.of(model.storedMemory()) holds its patterns on the driver,"
                      + " to broadcast them"));
    }
    ShardedMemory shards = model.modelMemory().shards(sc);
    RecallOptions options = spec.toOptions();
    int n = shards.numNeurons();
    List<Row> results = new ArrayList<>();
    List<Row> chunk = new ArrayList<>(SHARDED_CHUNK);
    long index = 0;
    for (Iterator<Row> it = df.toLocalIterator(); it.hasNext(); ) {
      chunk.add(it.next());
      if (chunk.size() == SHARDED_CHUNK || !it.hasNext()) {
        results.addAll(f.recallChunk(chunk, index, n, cues -> shards.recallBatch(cues, options)));
        index += chunk.size();
        chunk.clear();
      }
    }
    int slices = Math.max(1, df.rdd().getNumPartitions());
    return df.sparkSession().createDataFrame(sc.parallelize(results, slices), out);
  }
}
