package io.engram.spark;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

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
 * strategy = collect}, and {@code auto} while {@code 2P <= N}, P·N is at most 2^26 values and 4·P·N
 * at most {@code collectLimit} bytes; past it {@code collect} fails before collecting), up to
 * float32 rounding of the sum's association when the partial sums are reduced ({@code reduce};
 * exact for ±1 patterns without centring); see {@link SparkHebbian}. The features column is read
 * twice (statistics, then sums): an uncached dataset is persisted ({@code MEMORY_AND_DISK}) for the
 * duration of {@code fit}.
 *
 * <p>Every memory kind: the Hebbian rules as above; pseudo-inverse with its P x P Gram matrix
 * reduced on the cluster and finished by the core on the driver; Storkey collected to the driver
 * (at most {@code collectLimit} bytes) and trained there; modern memory validated and sharded on
 * the cluster (the features column read once), then collected while it fits {@code broadcastLimit}
 * or kept sharded (see {@link HopfieldMemoryModel}). A parameter set for a rule or memory kind it
 * does not apply to is ignored (see {@link HopfieldMemoryParams}), so that a tuning grid over rules
 * and their options works; so is {@code strategy} with low-rank weights (always collected).
 */
public final class HopfieldMemory extends HopfieldMemoryBase implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  /** A memory with the default parameters and a random uid. */
  public HopfieldMemory() {
    this(Identifiable.randomUID("HopfieldMemory"));
  }

  /** A memory with the default parameters. */
  public HopfieldMemory(String uid) {
    super(uid);
    MemoryParams.setDefaults(this);
    MemoryParams.setEstimatorDefaults(this);
  }

  // ---- fit ----

  /**
   * Checks the parameters and the features column, and returns the schema the fitted model's
   * transform produces. Column names compare as in the active session ({@code
   * spark.sql.caseSensitive}, default false: without case); {@code fit} reads the dataset's.
   *
   * @throws IllegalArgumentException for a null schema, a missing or mistyped features column, or
   *     an output column that exists already
   */
  @Override
  public StructType transformSchema(StructType schema) {
    FeatureColumns.notNull(this, schema, "schema");
    return Fitting.schema(this, schema, FeatureColumns.caseSensitive());
  }

  /**
   * Trains a network on the features column: one training call, on a new network of N neurons (N
   * the rows' length) or on the {@code initModel}.
   *
   * @throws IllegalArgumentException as {@link #transformSchema}; for a null dataset; for a null,
   *     empty, ragged or non-finite row (named by its row within its partition, the partition and
   *     the column: "pattern 1 of partition 1: column features has length 7, ..."), values that
   *     would overflow float32 weights, or an empty dataset without {@code initModel}
   * @throws java.io.UncheckedIOException if the {@code initModel} cannot be read
   */
  @Override
  public HopfieldMemoryModel fit(Dataset<?> dataset) {
    FeatureColumns.notNull(this, dataset, "dataset");
    Fitting.schema(this, dataset.schema(), FeatureColumns.caseSensitive(dataset.sparkSession()));
    return Fitting.fit(this, dataset);
  }

  @Override
  public HopfieldMemory copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  // ---- persistence ----

  /**
   * A writer of the parameters (Spark's {@code metadata/}); an overwrite writes them beside the
   * path and swaps them in once written, as the model's writer does, so a save that fails leaves
   * the previous folder as it was. Saving to the {@code initModel}, or a folder that holds it, is
   * an {@link IllegalArgumentException} (an overwrite would replace it); so is an overwrite of a
   * folder that is neither empty nor a saved stage (it would be deleted).
   */
  @Override
  public MLWriter write() {
    return new ModelPersistence.EstimatorWriter(this);
  }

  /** A reader for estimators that {@code write().save(path)} saved. */
  public static MLReader<HopfieldMemory> read() {
    return new ModelPersistence.EstimatorReader();
  }

  /**
   * Reads an estimator that {@code write().save(path)} saved (its parameters).
   *
   * @throws java.io.UncheckedIOException naming the directory, if its metadata cannot be read, was
   *     written for another class, or holds a parameter the estimator lacks or a value it cannot
   *     hold
   */
  public static HopfieldMemory load(String path) {
    return read().load(path);
  }

  // ---- Params ----

  /** The value of {@link #initModel()} (set, or its default). */
  public String getInitModel() {
    return $(initModel());
  }

  /** The value of {@link #collectLimit()} (set, or its default). */
  public long getCollectLimit() {
    return (Long) $(collectLimit());
  }

  /** Sets {@link #collectLimit()}. */
  public HopfieldMemory setCollectLimit(long v) {
    set(collectLimit(), v);
    return this;
  }

  /** The value of {@link #strategy()} (set, or its default). */
  public String getStrategy() {
    return $(strategy());
  }

  /** Sets {@link #ridge()}. */
  public HopfieldMemory setRidge(double v) {
    set(ridge(), v);
    return this;
  }

  /** Sets {@link #tolerance()}. */
  public HopfieldMemory setTolerance(double v) {
    set(tolerance(), v);
    return this;
  }

  /** Sets {@link #beta()}. */
  public HopfieldMemory setBeta(double v) {
    set(beta(), v);
    return this;
  }

  /** Sets {@link #separation()}. */
  public HopfieldMemory setSeparation(String v) {
    set(separation(), v);
    return this;
  }

  /** Sets {@link #degree()}. */
  public HopfieldMemory setDegree(int v) {
    set(degree(), v);
    return this;
  }

  /** Sets {@link #handleInvalid()}. */
  public HopfieldMemory setHandleInvalid(String v) {
    set(handleInvalid(), v);
    return this;
  }

  /** Sets {@link #bestCol()}. */
  public HopfieldMemory setBestCol(String v) {
    set(bestCol(), v);
    return this;
  }

  /** Sets {@link #weightCol()}. */
  public HopfieldMemory setWeightCol(String v) {
    set(weightCol(), v);
    return this;
  }

  /** Sets {@link #broadcastLimit()}. */
  public HopfieldMemory setBroadcastLimit(long v) {
    set(broadcastLimit(), v);
    return this;
  }

  /** Sets {@link #featuresCol()}. */
  public HopfieldMemory setFeaturesCol(String v) {
    set(featuresCol(), v);
    return this;
  }

  /** Sets {@link #predictionCol()}. */
  public HopfieldMemory setPredictionCol(String v) {
    set(predictionCol(), v);
    return this;
  }

  /** Sets {@link #stepsCol()}. */
  public HopfieldMemory setStepsCol(String v) {
    set(stepsCol(), v);
    return this;
  }

  /** Sets {@link #convergedCol()}. */
  public HopfieldMemory setConvergedCol(String v) {
    set(convergedCol(), v);
    return this;
  }

  /** Sets {@link #energyCol()}. */
  public HopfieldMemory setEnergyCol(String v) {
    set(energyCol(), v);
    return this;
  }

  /** Sets {@link #maxIter()}. */
  public HopfieldMemory setMaxIter(int v) {
    set(maxIter(), v);
    return this;
  }

  /** Sets {@link #tol()}. */
  public HopfieldMemory setTol(double v) {
    set(tol(), v);
    return this;
  }

  /** Sets {@link #memory()}. */
  public HopfieldMemory setMemory(String v) {
    set(memory(), v);
    return this;
  }

  /** Sets {@link #rule()}. */
  public HopfieldMemory setRule(String v) {
    set(rule(), v);
    return this;
  }

  /** Sets {@link #subtractMean()}. */
  public HopfieldMemory setSubtractMean(boolean v) {
    set(subtractMean(), v);
    return this;
  }

  /** Sets {@link #zeroDiagonal()}. */
  public HopfieldMemory setZeroDiagonal(boolean v) {
    set(zeroDiagonal(), v);
    return this;
  }

  /** Sets {@link #normalize()}. */
  public HopfieldMemory setNormalize(boolean v) {
    set(normalize(), v);
    return this;
  }

  /** Sets {@link #preserveOnResize()}. */
  public HopfieldMemory setPreserveOnResize(boolean v) {
    set(preserveOnResize(), v);
    return this;
  }

  /** Sets {@link #weights()}. */
  public HopfieldMemory setWeights(String v) {
    set(weights(), v);
    return this;
  }

  /** Sets {@link #activation()}. */
  public HopfieldMemory setActivation(String v) {
    set(activation(), v);
    return this;
  }

  /** Sets {@link #temperature()}. */
  public HopfieldMemory setTemperature(double v) {
    set(temperature(), v);
    return this;
  }

  /** Sets {@link #threshold()}. */
  public HopfieldMemory setThreshold(double v) {
    set(threshold(), v);
    return this;
  }

  /** Sets {@link #update()}. */
  public HopfieldMemory setUpdate(String v) {
    set(update(), v);
    return this;
  }

  /** Sets {@link #seed()}. */
  public HopfieldMemory setSeed(long v) {
    set(seed(), v);
    return this;
  }

  /** Sets {@link #initModel()}. */
  public HopfieldMemory setInitModel(String v) {
    set(initModel(), v);
    return this;
  }

  /** Sets {@link #strategy()}. */
  public HopfieldMemory setStrategy(String v) {
    set(strategy(), v);
    return this;
  }
}
