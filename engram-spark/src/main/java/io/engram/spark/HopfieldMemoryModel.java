package io.engram.spark;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Memory;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Objects;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A trained associative memory as a Spark ML {@link org.apache.spark.ml.Transformer}: {@link
 * #transform} recalls every row's features column and adds the recalled state ({@code
 * predictionCol}), the steps ({@code stepsCol}), whether recall converged ({@code convergedCol})
 * and the energy ({@code energyCol}); the other columns pass through. Results equal the core's
 * {@link AmariHopfieldNetwork#recallBatch} over the rows in order.
 *
 * <p>Made by {@link HopfieldMemory#fit}, read with {@link #load} from a directory that {@code
 * model.write().save(dir)} wrote, or from a bare Engram model file ({@code engram train --out
 * model.npz}), or wrapped around a network trained with the core ({@link #of}). The saved directory
 * holds Spark's {@code metadata/} and {@code data/model.npz}, the very model file {@code engram
 * train} writes: {@code engram inspect} and {@code numpy.load} open it.
 *
 * <p>Recall runs where the rows lie: the network is broadcast once per transform as its model
 * file's bytes and decoded once per executor JVM; 256 rows at a time go through the core's batch
 * kernel. The dynamics parameters default to the network's own settings; setting one overrides it
 * for recall, as the flags of {@code engram recall} do. With a seeded random asynchronous order,
 * each row's permutations depend on its index in the dataset (as a query's do on its position in
 * {@code engram recall}); the index comes from {@code zipWithIndex}, which runs one extra job to
 * count the rows of each partition. A row whose features are null, of a length other than N or not
 * finite fails the job with an {@link IllegalArgumentException} naming the row.
 *
 * <p>Modern memory: while its patterns take at most {@code broadcastLimit} bytes and are on the
 * driver, they are broadcast as the model file and retrieved where the rows lie, exactly as the
 * core's {@code retrieveAll}; otherwise they are sharded over the partitions (kept from {@code
 * fit}, or cut once from the driver's copy) and each retrieval step is one job whose partial
 * softmax sums merge by log-sum-exp on the driver ({@code ShardedMemory}): the rows pass through
 * the driver and transform runs its jobs when called. The {@code best} and {@code weight} columns
 * name the stored pattern that weighed most in the last step.
 *
 * <p>The model never changes its network; transform may run from several threads.
 */
public final class HopfieldMemoryModel extends HopfieldMemoryModelBase implements MLWritable {
  private static final long serialVersionUID = 1L;

  private transient ModelMemory mem; // what the model holds (serialised as its model file)

  /**
   * The training parameters' values ({@link ParamRules#trainingParams}) the model was fitted with:
   * taken when fit, load or {@link #of} made it, kept by {@link #copy}; never mutated (replaced).
   */
  private java.util.HashMap<String, Object> fitted;

  /**
   * @param held the memory (classical or modern), or null with {@code sharded}
   * @param sharded a modern memory's patterns on the cluster, or null
   */
  HopfieldMemoryModel(String uid, Memory held, ShardedMemory sharded) {
    super(uid);
    this.mem = new ModelMemory(held, sharded);
    MemoryParams.setDefaults(this);
    MemoryParams.setModelDefaults(this);
    mem.setDefaults(this);
    markFitted();
  }

  /**
   * Takes the training parameters' values now as those the model was fitted with (fit and load call
   * it once they have set them).
   */
  void markFitted() {
    java.util.HashMap<String, Object> v = new java.util.HashMap<>();
    for (Param<?> q : ParamRules.trainingParams(this)) {
      v.put(q.name(), getOrDefault(q));
    }
    fitted = v;
  }

  /** The value training parameter {@code q} had when the model was fitted. */
  Object fittedValue(Param<?> q) {
    return fitted.get(q.name());
  }

  /**
   * A model around a copy of {@code network} (trained with the core, say), with a random uid.
   *
   * @throws NullPointerException if the network is null
   */
  public static HopfieldMemoryModel of(AmariHopfieldNetwork network) {
    Objects.requireNonNull(network, "network");
    return new HopfieldMemoryModel(
        Identifiable.randomUID("HopfieldMemoryModel"),
        BroadcastNetwork.decode(BroadcastNetwork.modelBytes(network)),
        null);
  }

  /**
   * A model around a copy of any memory: a network ({@link #of(AmariHopfieldNetwork)}) or a modern
   * Hopfield memory (its patterns and settings), with a random uid.
   *
   * @throws IllegalArgumentException for a memory kind without a model file format
   */
  public static HopfieldMemoryModel of(Memory memory) {
    Objects.requireNonNull(memory, "memory");
    if (memory instanceof AmariHopfieldNetwork net) {
      return of(net);
    }
    return new HopfieldMemoryModel(
        Identifiable.randomUID("HopfieldMemoryModel"),
        BroadcastNetwork.decodeMemory(BroadcastNetwork.modelBytes(memory)),
        null);
  }

  /** N, the number of neurons (the length of every pattern and cue). */
  public int numNeurons() {
    return mem.numNeurons();
  }

  /**
   * A copy of the trained network (changing it does not change the model).
   *
   * @throws IllegalArgumentException for a modern memory (see {@link #storedMemory()})
   */
  public AmariHopfieldNetwork network() {
    if (mem.network() == null) {
      throw new IllegalArgumentException(
          uid() + " holds a modern memory, not a network: storedMemory()");
    }
    return BroadcastNetwork.decode(BroadcastNetwork.modelBytes(mem.network()));
  }

  /**
   * A copy of the memory: an {@link AmariHopfieldNetwork} or a {@link ModernHopfieldMemory}
   * (patterns kept on the cluster are collected to the driver).
   */
  public Memory storedMemory() {
    return BroadcastNetwork.decodeMemory(BroadcastNetwork.modelBytes(mem.driverMemory()));
  }

  /** The memory kind: {@code classical} or {@code modern}. */
  public String kind() {
    return mem.kind();
  }

  /** Whether the modern memory's patterns stay sharded on the cluster (not on the driver). */
  public boolean isSharded() {
    return mem.sharded() != null;
  }

  /** What the model holds. */
  ModelMemory modelMemory() {
    return mem;
  }

  // ---- transform ----

  /**
   * The schema {@link #transform} produces. Column names compare as Spark's analyser compares them
   * in the active session: without case unless {@code spark.sql.caseSensitive} is true ({@code
   * transform} reads the dataset's own session).
   *
   * @throws IllegalArgumentException for a null schema, a training parameter set to another value
   *     than the model was fitted with, a missing, ambiguous or mistyped features column, or an
   *     output column that exists already (a parameter that does not apply to the memory the model
   *     holds is ignored)
   */
  @Override
  public StructType transformSchema(StructType schema) {
    FeatureColumns.notNull(this, schema, "schema");
    return Transforming.schema(this, schema, FeatureColumns.caseSensitive());
  }

  /**
   * Recalls every row (see the class's documentation).
   *
   * @throws IllegalArgumentException for a null dataset, or as {@link #transformSchema}; a row
   *     whose features are null, of a length other than N or not finite fails the job with one
   *     naming the row
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    FeatureColumns.notNull(this, dataset, "dataset");
    return Transforming.transform(this, dataset);
  }

  // ---- Params ----

  @Override
  public HopfieldMemoryModel copy(ParamMap extra) {
    HopfieldMemoryModel m =
        copyValues(new HopfieldMemoryModel(uid(), mem.held(), mem.sharded()), extra);
    m.fitted = fitted; // what the memory was fitted with, whatever extra sets
    return m.setParent(parent());
  }

  @Override
  public String toString() {
    return mem.describe(uid());
  }

  /** Sets {@link #handleInvalid()}. */
  public HopfieldMemoryModel setHandleInvalid(String v) {
    set(handleInvalid(), v);
    return this;
  }

  /** Sets {@link #bestCol()}. */
  public HopfieldMemoryModel setBestCol(String v) {
    set(bestCol(), v);
    return this;
  }

  /** Sets {@link #weightCol()}. */
  public HopfieldMemoryModel setWeightCol(String v) {
    set(weightCol(), v);
    return this;
  }

  /** Sets {@link #broadcastLimit()}. */
  public HopfieldMemoryModel setBroadcastLimit(long v) {
    set(broadcastLimit(), v);
    return this;
  }

  /** Sets {@link #featuresCol()}. */
  public HopfieldMemoryModel setFeaturesCol(String v) {
    set(featuresCol(), v);
    return this;
  }

  /** Sets {@link #predictionCol()}. */
  public HopfieldMemoryModel setPredictionCol(String v) {
    set(predictionCol(), v);
    return this;
  }

  /** Sets {@link #stepsCol()}. */
  public HopfieldMemoryModel setStepsCol(String v) {
    set(stepsCol(), v);
    return this;
  }

  /** Sets {@link #convergedCol()}. */
  public HopfieldMemoryModel setConvergedCol(String v) {
    set(convergedCol(), v);
    return this;
  }

  /** Sets {@link #energyCol()}. */
  public HopfieldMemoryModel setEnergyCol(String v) {
    set(energyCol(), v);
    return this;
  }

  /** Sets {@link #maxIter()}. */
  public HopfieldMemoryModel setMaxIter(int v) {
    set(maxIter(), v);
    return this;
  }

  /** Sets {@link #tol()}. */
  public HopfieldMemoryModel setTol(double v) {
    set(tol(), v);
    return this;
  }

  /** Overrides the network's activation for recall. */
  public HopfieldMemoryModel setActivation(String v) {
    set(activation(), v);
    return this;
  }

  /** Overrides the network's temperature for recall. */
  public HopfieldMemoryModel setTemperature(double v) {
    set(temperature(), v);
    return this;
  }

  /** Overrides the network's threshold for recall. */
  public HopfieldMemoryModel setThreshold(double v) {
    set(threshold(), v);
    return this;
  }

  /** Overrides the network's update mode for recall. */
  public HopfieldMemoryModel setUpdate(String v) {
    set(update(), v);
    return this;
  }

  /** Recall with a random asynchronous order from this seed. */
  public HopfieldMemoryModel setSeed(long v) {
    set(seed(), v);
    return this;
  }

  // ---- persistence ----

  /**
   * Writes Spark's {@code metadata/} (the parameters) and {@code data/model.npz} (the network's
   * Engram model file, byte for byte what {@code engram train} writes). An overwrite is written
   * beside the folder and swapped in once complete; a folder that is neither empty nor a saved
   * stage is refused ({@link IllegalArgumentException}), not deleted.
   */
  @Override
  public MLWriter write() {
    return new ModelPersistence.Writer(this);
  }

  /** A reader for {@link #load}'s inputs. */
  public static MLReader<HopfieldMemoryModel> read() {
    return new ModelPersistence.Reader();
  }

  /**
   * Reads a model: a directory that {@code write().save} wrote, or a bare Engram model file ({@code
   * engram train --out model.npz}), on any file system Spark reaches.
   *
   * @throws java.io.UncheckedIOException naming the file, if it cannot be read or is not a valid
   *     model
   */
  public static HopfieldMemoryModel load(String path) {
    return read().load(path);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    byte[] npz = BroadcastNetwork.modelBytes(mem.driverMemory());
    out.writeInt(npz.length);
    out.write(npz);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (fitted == null) { // written before the model kept its fitted values: its values then
      markFitted();
    }
    byte[] npz = in.readNBytes(in.readInt());
    mem = new ModelMemory(BroadcastNetwork.decodeMemory(npz), null);
  }
}
