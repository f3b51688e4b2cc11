package io.engram.spark;

import io.engram.learning.PatternStats;
import io.engram.learning.StorkeyRule;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.Memory;
import io.engram.weights.WeightsMode;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
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
 * <p>Every memory kind: the Hebbian rules as above; pseudo-inverse with its P x P Gram matrix
 * reduced on the cluster and finished by the core on the driver; Storkey collected to the driver
 * (at most {@code collectLimit} bytes) and trained there; modern memory validated and sharded on
 * the cluster, then collected while it fits {@code broadcastLimit} or kept sharded (see {@link
 * HopfieldMemoryModel}). A parameter set for a rule or memory kind it does not apply to is an
 * {@link IllegalArgumentException} from {@code fit} and {@code transformSchema}, naming it.
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
  private final DoubleParam ridge;
  private final DoubleParam tolerance;
  private final DoubleParam beta;
  private final Param<String> separation;
  private final IntParam degree;
  private final Param<String> bestCol;
  private final Param<String> weightCol;
  private final LongParam broadcastLimit;
  private final Param<String> initModel;
  private final Param<String> strategy;
  private final LongParam collectLimit;

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
    ridge = MemoryParams.ridge(this);
    tolerance = MemoryParams.tolerance(this);
    beta = MemoryParams.beta(this);
    separation = MemoryParams.separation(this);
    degree = MemoryParams.degree(this);
    bestCol = MemoryParams.bestCol(this);
    weightCol = MemoryParams.weightCol(this);
    broadcastLimit = MemoryParams.broadcastLimit(this);
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
    collectLimit =
        new LongParam(
            this,
            "collectLimit",
            "the most bytes of patterns (4 P N) that fit collects to the driver: storkey and"
                + " pseudo-inverse always collect them, modern memory with an initModel too; past"
                + " it fit fails before collecting. Default 2^30 (1 GiB)",
            ParamValidators.gtEq(0));
    MemoryParams.setDefaults(this);
    setDefault(initModel, "");
    setDefault(strategy, "auto");
    setDefault(collectLimit, SparkRules.DEFAULT_COLLECT_LIMIT);
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
   * @throws IllegalArgumentException for a parameter set where it does not apply, a seed with
   *     {@code update = sync}, low-rank weights with {@code strategy = reduce}, a missing or
   *     mistyped features column, or an output column that exists already
   */
  @Override
  public StructType transformSchema(StructType schema) {
    ParamRules.checkApplicable(this);
    ParamRules.checkDynamics(this);
    if (!"modern".equals(getMemory())) {
      trainingStrategy();
    }
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
    String col = getFeaturesCol();
    FeatureColumns.Kind kind = FeatureColumns.kindOf(dataset.schema(), col);
    JavaRDD<float[]> patterns =
        dataset
            .select(functions.col("`" + col.replace("`", "``") + "`"))
            .javaRDD()
            .map(r -> FeatureColumns.toFloats(r, 0, kind));
    Memory init =
        getInitModel().isEmpty()
            ? null
            : HopfieldMemoryModel.read()
                .session(dataset.sparkSession())
                .load(getInitModel())
                .driverMemory(); // read just now: this fit owns it
    if ("modern".equals(getMemory())) {
      return fitModern(patterns, init);
    }
    if (init != null && !(init instanceof AmariHopfieldNetwork)) {
      throw new IllegalArgumentException(
          uid
              + ": initModel "
              + getInitModel()
              + " holds a modern memory, but memory is classical");
    }
    return fitClassical(dataset, patterns, (AmariHopfieldNetwork) init);
  }

  private HopfieldMemoryModel fitClassical(
      Dataset<?> dataset, JavaRDD<float[]> patterns, AmariHopfieldNetwork init) {
    SparkHebbian.Strategy how = trainingStrategy();
    WeightsMode mode = ParamRules.weightsMode(this);
    Dynamics d = ParamRules.dynamics(this, init != null ? init.dynamics() : Dynamics.DEFAULT);
    boolean persist = dataset.storageLevel().equals(StorageLevel.NONE());
    if (persist) {
      patterns.persist(StorageLevel.MEMORY_AND_DISK());
    }
    AmariHopfieldNetwork[] net = {init};
    IntFunction<AmariHopfieldNetwork> target;
    if (init != null) {
      init.setDynamics(d);
      if (isSet(weights)) {
        init.setWeightsMode(mode);
      }
      target = n -> init;
    } else {
      target = n -> net[0] = AmariHopfieldNetwork.create(n, d, mode);
    }
    boolean preserve = getPreserveOnResize();
    try {
      switch (getRule()) {
        case "pseudo-inverse" ->
            SparkRules.trainPseudoInverse(
                target,
                ParamRules.pseudoInverseRule(this),
                patterns,
                preserve,
                how != SparkHebbian.Strategy.COLLECT,
                getCollectLimit());
        case "storkey" ->
            SparkRules.trainStorkey(
                target,
                StorkeyRule.create(getZeroDiagonal()),
                patterns,
                preserve,
                getCollectLimit());
        default -> SparkHebbian.train(target, ParamRules.learningRule(this), patterns, how);
      }
    } finally {
      if (persist) {
        patterns.unpersist(false);
      }
    }
    if (net[0] == null) {
      throw new IllegalArgumentException(
          uid
              + ": no patterns to train on (column "
              + getFeaturesCol()
              + " is empty), and no initModel");
    }
    HopfieldMemoryModel model = copyValues(new HopfieldMemoryModel(uid, net[0]), ParamMap.empty());
    MemoryParams.setNetworkDefaults(model, net[0]);
    return model.setParent(this);
  }

  /**
   * Modern memory: the patterns are validated and sharded on the cluster (the features column is
   * read twice: counts, then shards), then collected to the driver when they fit {@code
   * broadcastLimit}, else kept there. With an initModel, the new patterns are collected (at most
   * {@code collectLimit} bytes) and appended to it on the driver.
   */
  private HopfieldMemoryModel fitModern(JavaRDD<float[]> patterns, Memory init) {
    HopfieldMemoryModel model;
    if (init != null) {
      if (!(init instanceof ModernHopfieldMemory m)) {
        throw new IllegalArgumentException(
            uid
                + ": initModel "
                + getInitModel()
                + " holds a classical network, but memory is modern");
      }
      for (Param<?> q : List.<Param<?>>of(separation, beta, degree)) {
        if (isSet(q)) {
          throw new IllegalArgumentException(
              uid + ": " + q.name() + " is set, but a modern initModel keeps its own settings");
        }
      }
      PatternStats st =
          SparkRules.checked(patterns, "modern memory with initModel", getCollectLimit());
      if (st.count() > 0) {
        m.store(patterns.collect().toArray(new float[0][]));
      }
      model = new HopfieldMemoryModel(uid, m, null);
    } else {
      List<float[]> first = patterns.take(1);
      if (first.isEmpty()) {
        throw new IllegalArgumentException(
            uid
                + ": no patterns to train on (column "
                + getFeaturesCol()
                + " is empty), and no initModel");
      }
      if (first.get(0) == null || first.get(0).length == 0) {
        throw new IllegalArgumentException(uid + ": pattern 0 is null or empty");
      }
      ModernHopfieldMemory settings = ParamRules.modernSettings(this, first.get(0).length);
      ShardedMemory shards = ShardedMemory.of(patterns, settings);
      if (shards.memoryBytes() <= getBroadcastLimit()) {
        ModernHopfieldMemory m = shards.collect();
        shards.unpersist();
        model = new HopfieldMemoryModel(uid, m, null);
      } else {
        model = new HopfieldMemoryModel(uid, null, shards);
      }
    }
    model = copyValues(model, ParamMap.empty());
    model.setMemoryDefaults(); // the memory's settings, one step
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

  /**
   * The most bytes of patterns ({@code 4 P N}) that fit collects to the driver (storkey,
   * pseudo-inverse, modern memory with an initModel). Default 2^30.
   */
  public LongParam collectLimit() {
    return collectLimit;
  }

  /** The value of {@link #collectLimit()} (set, or its default). */
  public long getCollectLimit() {
    return (Long) $(collectLimit);
  }

  /** Sets {@link #collectLimit()}. */
  public HopfieldMemory setCollectLimit(long v) {
    set(collectLimit, v);
    return this;
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

  @Override
  public DoubleParam ridge() {
    return ridge;
  }

  @Override
  public DoubleParam tolerance() {
    return tolerance;
  }

  @Override
  public DoubleParam beta() {
    return beta;
  }

  @Override
  public Param<String> separation() {
    return separation;
  }

  @Override
  public IntParam degree() {
    return degree;
  }

  @Override
  public Param<String> bestCol() {
    return bestCol;
  }

  @Override
  public Param<String> weightCol() {
    return weightCol;
  }

  @Override
  public LongParam broadcastLimit() {
    return broadcastLimit;
  }

  /** Sets {@link #ridge()}. */
  public HopfieldMemory setRidge(double v) {
    set(ridge, v);
    return this;
  }

  /** Sets {@link #tolerance()}. */
  public HopfieldMemory setTolerance(double v) {
    set(tolerance, v);
    return this;
  }

  /** Sets {@link #beta()}. */
  public HopfieldMemory setBeta(double v) {
    set(beta, v);
    return this;
  }

  /** Sets {@link #separation()}. */
  public HopfieldMemory setSeparation(String v) {
    set(separation, v);
    return this;
  }

  /** Sets {@link #degree()}. */
  public HopfieldMemory setDegree(int v) {
    set(degree, v);
    return this;
  }

  /** Sets {@link #bestCol()}. */
  public HopfieldMemory setBestCol(String v) {
    set(bestCol, v);
    return this;
  }

  /** Sets {@link #weightCol()}. */
  public HopfieldMemory setWeightCol(String v) {
    set(weightCol, v);
    return this;
  }

  /** Sets {@link #broadcastLimit()}. */
  public HopfieldMemory setBroadcastLimit(long v) {
    set(broadcastLimit, v);
    return this;
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
