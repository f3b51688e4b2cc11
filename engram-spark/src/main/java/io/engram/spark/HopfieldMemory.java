package io.engram.spark;

import io.engram.learning.HebbianRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.WeightsMode;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Associative memory as a Spark ML {@link Estimator}: {@link #fit} stores the rows of the features
 * column as patterns in a Hopfield network (one training call of the core, {@code engram train}),
 * and returns a {@link HopfieldMemoryModel} that recalls cues. Every option of {@code engram train}
 * is a parameter (see {@link HopfieldMemoryParams} and {@code explainParams()}), plus {@code
 * initModel} (continue training a saved model, {@code --init}) and {@code strategy} (how the
 * outer-product sum is formed on the cluster).
 *
 * <pre>{@code
 * HopfieldMemory memory = new HopfieldMemory().setFeaturesCol("pixels").setRule("hebbian");
 * HopfieldMemoryModel model = memory.fit(patterns);          // array<float>, array<double>, vector
 * Dataset<Row> recalled = model.transform(noisyCues);        // + prediction, steps, converged, energy
 * model.write().overwrite().save("hdfs:///models/faces");   // metadata/ + data/model.npz
 * }</pre>
 *
 * <p>Training equals the core's: bit for bit when the patterns are collected to the driver ({@code
 * strategy = collect}, and {@code auto} while {@code 2P <= N} and P·N is at most 2^26 values), up
 * to float32 rounding of the sum's association when the partial sums are reduced ({@code reduce};
 * exact for ±1 patterns without centring); see {@link SparkHebbian}. The features column is read
 * twice (statistics, then sums): an uncached dataset is persisted ({@code MEMORY_AND_DISK}) for the
 * duration of {@code fit}.
 *
 * <p>This version trains the classical memory with the hebbian and anti-hebbian rules. The other
 * values of {@code memory} (modern) and {@code rule} (pseudo-inverse, storkey) are accepted by the
 * parameters and rejected by {@code fit} and {@code transformSchema} with an {@link
 * IllegalArgumentException} naming the value.
 */
public final class HopfieldMemory extends Estimator<HopfieldMemoryModel>
    implements HopfieldMemoryParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;

  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> stepsCol;
  private final Param<String> convergedCol;
  private final Param<String> energyCol;
  private final IntParam maxIter;
  private final DoubleParam tol;
  private final Param<String> memory;
  private final Param<String> rule;
  private final BooleanParam subtractMean;
  private final BooleanParam zeroDiagonal;
  private final BooleanParam normalize;
  private final BooleanParam preserveOnResize;
  private final Param<String> weights;
  private final Param<String> activation;
  private final DoubleParam temperature;
  private final DoubleParam threshold;
  private final Param<String> update;
  private final LongParam seed;
  private final Param<String> initModel;
  private final Param<String> strategy;

  /** A memory with the default parameters and a random uid. */
  public HopfieldMemory() {
    this(Identifiable.randomUID("HopfieldMemory"));
  }

  /** A memory with the default parameters. */
  public HopfieldMemory(String uid) {
    this.uid = Objects.requireNonNull(uid, "uid");
    featuresCol = MemoryParams.featuresCol(this);
    predictionCol = MemoryParams.predictionCol(this);
    stepsCol = MemoryParams.stepsCol(this);
    convergedCol = MemoryParams.convergedCol(this);
    energyCol = MemoryParams.energyCol(this);
    maxIter = MemoryParams.maxIter(this);
    tol = MemoryParams.tol(this);
    memory = MemoryParams.memory(this);
    rule = MemoryParams.rule(this);
    subtractMean = MemoryParams.subtractMean(this);
    zeroDiagonal = MemoryParams.zeroDiagonal(this);
    normalize = MemoryParams.normalize(this);
    preserveOnResize = MemoryParams.preserveOnResize(this);
    weights = MemoryParams.weights(this);
    activation = MemoryParams.activation(this);
    temperature = MemoryParams.temperature(this);
    threshold = MemoryParams.threshold(this);
    update = MemoryParams.update(this);
    seed = MemoryParams.seed(this);
    initModel =
        new Param<>(
            this,
            "initModel",
            "a model to continue training, as successive engram train --init calls do: a saved"
                + " HopfieldMemoryModel directory or an Engram model file (.npz); its dynamics and"
                + " weights mode apply unless set here. Empty: a new network");
    strategy =
        new Param<>(
            this,
            "strategy",
            "how the outer-product sum is formed: collect (the patterns go to the driver, which"
                + " trains with the core; bit-identical), reduce (one dense N x N partial sum per"
                + " partition, summed in a tree) or auto (collect while 2P <= N and P*N <= 2^26,"
                + " else reduce). Low-rank weights are always collected."
                + " Supported options: auto, collect, reduce.",
            ParamValidators.inArray(MemoryParams.STRATEGIES));
    MemoryParams.setDefaults(this);
    setDefault(initModel, "");
    setDefault(strategy, "auto");
  }

  @Override
  public String uid() {
    return uid;
  }

  // ---- fit ----

  /**
   * Checks the parameters and the features column, and returns the schema the fitted model's
   * transform produces.
   *
   * @throws IllegalArgumentException for a memory kind or rule this version cannot train, a seed
   *     with {@code update = sync}, low-rank weights with {@code strategy = reduce}, a missing or
   *     mistyped features column, or an output column that exists already
   */
  @Override
  public StructType transformSchema(StructType schema) {
    MemoryParams.checkTrainable(this);
    MemoryParams.checkDynamics(this);
    trainingStrategy();
    FeatureColumns.Kind kind = FeatureColumns.kindOf(schema, getFeaturesCol());
    return FeatureColumns.outputSchema(schema, this, kind);
  }

  /**
   * Trains a network on the features column: one training call, on a new network of N neurons (N
   * the rows' length) or on the {@code initModel}.
   *
   * @throws IllegalArgumentException as {@link #transformSchema}; for a null, empty, ragged or
   *     non-finite row (named by partition and row), values that would overflow float32 weights, or
   *     an empty dataset without {@code initModel}
   * @throws java.io.UncheckedIOException if the {@code initModel} cannot be read
   */
  @Override
  public HopfieldMemoryModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    HebbianRule learning = MemoryParams.learningRule(this);
    SparkHebbian.Strategy how = trainingStrategy();
    WeightsMode mode = MemoryParams.weightsMode(this);
    AmariHopfieldNetwork init =
        getInitModel().isEmpty()
            ? null
            : HopfieldMemoryModel.read()
                .session(dataset.sparkSession())
                .load(getInitModel())
                .sharedNetwork(); // read just now: this fit owns it
    Dynamics d = MemoryParams.dynamics(this, init != null ? init.dynamics() : Dynamics.DEFAULT);

    String col = getFeaturesCol();
    FeatureColumns.Kind kind = FeatureColumns.kindOf(dataset.schema(), col);
    JavaRDD<float[]> patterns =
        dataset
            .select(functions.col("`" + col.replace("`", "``") + "`"))
            .javaRDD()
            .map(r -> FeatureColumns.toFloats(r, 0, kind));
    boolean persist = dataset.storageLevel().equals(StorageLevel.NONE());
    if (persist) {
      patterns.persist(StorageLevel.MEMORY_AND_DISK());
    }
    AmariHopfieldNetwork[] net = {init};
    try {
      if (init != null) {
        init.setDynamics(d);
        if (isSet(weights)) {
          init.setWeightsMode(mode);
        }
        SparkHebbian.train(init, learning, patterns, how);
      } else {
        SparkHebbian.train(
            n -> net[0] = AmariHopfieldNetwork.create(n, d, mode), learning, patterns, how);
      }
    } finally {
      if (persist) {
        patterns.unpersist(false);
      }
    }
    if (net[0] == null) {
      throw new IllegalArgumentException(
          uid + ": no patterns to train on (column " + col + " is empty), and no initModel");
    }
    HopfieldMemoryModel model = copyValues(new HopfieldMemoryModel(uid, net[0]), ParamMap.empty());
    MemoryParams.setNetworkDefaults(model, net[0]);
    return model.setParent(this);
  }

  /**
   * @throws IllegalArgumentException for low-rank weights with {@code strategy = reduce}
   */
  private SparkHebbian.Strategy trainingStrategy() {
    String s = getStrategy();
    if ("low-rank".equals(getWeights())) {
      if ("reduce".equals(s)) {
        throw new IllegalArgumentException(
            uid
                + ": weights low-rank need strategy collect or auto (a reduced sum of outer"
                + " products is dense), got strategy reduce");
      }
      return SparkHebbian.Strategy.COLLECT;
    }
    return switch (s) {
      case "collect" -> SparkHebbian.Strategy.COLLECT;
      case "reduce" -> SparkHebbian.Strategy.REDUCE;
      default -> SparkHebbian.Strategy.AUTO;
    };
  }

  @Override
  public HopfieldMemory copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  // ---- persistence ----

  /** A reader for estimators that {@code write().save(path)} saved. */
  public static MLReader<HopfieldMemory> read() {
    return new DefaultParamsReadable<HopfieldMemory>() {}.read();
  }

  /** Reads an estimator that {@code write().save(path)} saved (its parameters). */
  public static HopfieldMemory load(String path) {
    return read().load(path);
  }

  // ---- Params ----

  /**
   * A model to continue training ({@code engram train --init}): a saved model directory or an
   * Engram model file; empty for a new network. Default empty.
   */
  public Param<String> initModel() {
    return initModel;
  }

  /** How the outer-product sum is formed: {@code auto}, {@code collect}, {@code reduce}. */
  public Param<String> strategy() {
    return strategy;
  }

  /** The value of {@link #initModel()} (set, or its default). */
  public String getInitModel() {
    return $(initModel);
  }

  /** The value of {@link #strategy()} (set, or its default). */
  public String getStrategy() {
    return $(strategy);
  }

  @Override
  public Param<String> featuresCol() {
    return featuresCol;
  }

  @Override
  public Param<String> predictionCol() {
    return predictionCol;
  }

  @Override
  public Param<String> stepsCol() {
    return stepsCol;
  }

  @Override
  public Param<String> convergedCol() {
    return convergedCol;
  }

  @Override
  public Param<String> energyCol() {
    return energyCol;
  }

  @Override
  public IntParam maxIter() {
    return maxIter;
  }

  @Override
  public DoubleParam tol() {
    return tol;
  }

  @Override
  public Param<String> memory() {
    return memory;
  }

  @Override
  public Param<String> rule() {
    return rule;
  }

  @Override
  public BooleanParam subtractMean() {
    return subtractMean;
  }

  @Override
  public BooleanParam zeroDiagonal() {
    return zeroDiagonal;
  }

  @Override
  public BooleanParam normalize() {
    return normalize;
  }

  @Override
  public BooleanParam preserveOnResize() {
    return preserveOnResize;
  }

  @Override
  public Param<String> weights() {
    return weights;
  }

  @Override
  public Param<String> activation() {
    return activation;
  }

  @Override
  public DoubleParam temperature() {
    return temperature;
  }

  @Override
  public DoubleParam threshold() {
    return threshold;
  }

  @Override
  public Param<String> update() {
    return update;
  }

  @Override
  public LongParam seed() {
    return seed;
  }

  /** Sets {@link #featuresCol()}. */
  public HopfieldMemory setFeaturesCol(String v) {
    set(featuresCol, v);
    return this;
  }

  /** Sets {@link #predictionCol()}. */
  public HopfieldMemory setPredictionCol(String v) {
    set(predictionCol, v);
    return this;
  }

  /** Sets {@link #stepsCol()}. */
  public HopfieldMemory setStepsCol(String v) {
    set(stepsCol, v);
    return this;
  }

  /** Sets {@link #convergedCol()}. */
  public HopfieldMemory setConvergedCol(String v) {
    set(convergedCol, v);
    return this;
  }

  /** Sets {@link #energyCol()}. */
  public HopfieldMemory setEnergyCol(String v) {
    set(energyCol, v);
    return this;
  }

  /** Sets {@link #maxIter()}. */
  public HopfieldMemory setMaxIter(int v) {
    set(maxIter, v);
    return this;
  }

  /** Sets {@link #tol()}. */
  public HopfieldMemory setTol(double v) {
    set(tol, v);
    return this;
  }

  /** Sets {@link #memory()}. */
  public HopfieldMemory setMemory(String v) {
    set(memory, v);
    return this;
  }

  /** Sets {@link #rule()}. */
  public HopfieldMemory setRule(String v) {
    set(rule, v);
    return this;
  }

  /** Sets {@link #subtractMean()}. */
  public HopfieldMemory setSubtractMean(boolean v) {
    set(subtractMean, v);
    return this;
  }

  /** Sets {@link #zeroDiagonal()}. */
  public HopfieldMemory setZeroDiagonal(boolean v) {
    set(zeroDiagonal, v);
    return this;
  }

  /** Sets {@link #normalize()}. */
  public HopfieldMemory setNormalize(boolean v) {
    set(normalize, v);
    return this;
  }

  /** Sets {@link #preserveOnResize()}. */
  public HopfieldMemory setPreserveOnResize(boolean v) {
    set(preserveOnResize, v);
    return this;
  }

  /** Sets {@link #weights()}. */
  public HopfieldMemory setWeights(String v) {
    set(weights, v);
    return this;
  }

  /** Sets {@link #activation()}. */
  public HopfieldMemory setActivation(String v) {
    set(activation, v);
    return this;
  }

  /** Sets {@link #temperature()}. */
  public HopfieldMemory setTemperature(double v) {
    set(temperature, v);
    return this;
  }

  /** Sets {@link #threshold()}. */
  public HopfieldMemory setThreshold(double v) {
    set(threshold, v);
    return this;
  }

  /** Sets {@link #update()}. */
  public HopfieldMemory setUpdate(String v) {
    set(update, v);
    return this;
  }

  /** Sets {@link #seed()}. */
  public HopfieldMemory setSeed(long v) {
    set(seed, v);
    return this;
  }

  /** Sets {@link #initModel()}. */
  public HopfieldMemory setInitModel(String v) {
    set(initModel, v);
    return this;
  }

  /** Sets {@link #strategy()}. */
  public HopfieldMemory setStrategy(String v) {
    set(strategy, v);
    return this;
  }
}
