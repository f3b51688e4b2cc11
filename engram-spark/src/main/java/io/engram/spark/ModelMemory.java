package io.engram.spark;

import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Memory;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What a {@link HopfieldMemoryModel} holds: a classical network or a modern memory on the driver
 * (never mutated; the model serialises it as its model file), or a modern memory's patterns sharded
 * on the cluster; plus the shards cut once from a modern memory on the driver when its transform
 * runs sharded. Safe to use from several threads.
 */
final class ModelMemory {

  // the memory: a classical network, or a modern memory on the driver; or null for a modern memory
  // kept on the cluster (sharded)
  private final Memory held;
  private final AmariHopfieldNetwork network; // memory, when classical
  private final ShardedMemory sharded; // modern patterns on the cluster, or null
  private ShardedMemory driverShards; // guarded by this

  /**
   * @param held the memory (classical or modern), or null with {@code sharded}
   * @param sharded a modern memory's patterns on the cluster, or null
   * @throws IllegalArgumentException for both or neither
   */
  ModelMemory(Memory held, ShardedMemory sharded) {
    if ((held == null) == (sharded == null)) {
      throw new IllegalArgumentException("a model holds a memory or sharded patterns, not both");
    }
    this.held = held;
    this.network = held instanceof AmariHopfieldNetwork net ? net : null;
    this.sharded = sharded;
  }

  /** The memory on the driver, or null for a modern memory's patterns kept on the cluster. */
  Memory held() {
    return held;
  }

  /** The network, or null for a modern memory. */
  AmariHopfieldNetwork network() {
    return network;
  }

  /** A modern memory's patterns on the cluster, or null. */
  ShardedMemory sharded() {
    return sharded;
  }

  /** N, the number of neurons. */
  int numNeurons() {
    return held != null ? held.numNeurons() : sharded.numNeurons();
  }

  /** The memory kind: {@code classical} or {@code modern}. */
  String kind() {
    return held != null ? held.kind() : sharded.kind();
  }

  /**
   * The memory itself (for patterns on the cluster: collected), never to be mutated.
   *
   * @throws IllegalStateException for patterns on the cluster of a SparkContext that has stopped
   */
  Memory driverMemory() {
    return held != null ? held : alive().collect();
  }

  /**
   * The patterns on the cluster, checked to be there still.
   *
   * @throws IllegalStateException if the SparkContext that held them has stopped: they went with it
   *     (Spark's own message, "SparkContext has been shutdown", named neither the model nor what
   *     was lost)
   */
  private ShardedMemory alive() {
    if (sharded.isStopped()) {
      throw new IllegalStateException(
          "this model's modern memory kept its "
              + sharded.size()
              + " patterns sharded on the cluster (fit with broadcastLimit below their "
              + sharded.memoryBytes()
              + " bytes), and the SparkContext that held them has stopped since: they were lost"
              + " with it. Fit the memory again; to keep a model past its session, save it"
              + " (write().save) or hold it on the driver (HopfieldMemoryModel.of(storedMemory()))"
              + " before the session stops");
    }
    return sharded;
  }

  /** Sets the defaults of {@code p} that describe the memory. */
  void setDefaults(HopfieldMemoryParams p) {
    if (network != null) {
      MemoryParams.setNetworkDefaults(p, network);
    } else {
      MemoryParams.setModernDefaults(
          p, held != null ? (ModernHopfieldMemory) held : sharded.settings());
    }
  }

  /**
   * The shards of the modern memory: kept from fit, or made from the driver's memory once per
   * SparkContext (again in a new session: those made in one that has stopped went with it).
   *
   * @throws IllegalStateException for patterns kept from fit in a SparkContext that has stopped
   */
  synchronized ShardedMemory shards(JavaSparkContext sc) {
    if (sharded != null) {
      return alive();
    }
    if (driverShards == null || !driverShards.livesIn(sc)) {
      driverShards =
          ShardedMemory.of(sc, (ModernHopfieldMemory) held, Math.max(2, sc.defaultParallelism()));
    }
    return driverShards;
  }

  /** The model's {@code toString}: its uid, N and what it stores. */
  String describe(String uid) {
    if (network == null) {
      return "HopfieldMemoryModel: uid="
          + uid
          + ", modern memory, N="
          + numNeurons()
          + ", stored patterns="
          + (held != null ? ((ModernHopfieldMemory) held).size() : sharded.size())
          + (sharded != null ? " (sharded over " + sharded.partitions() + " partitions)" : "");
    }
    return "HopfieldMemoryModel: uid="
        + uid
        + ", N="
        + network.numNeurons()
        + ", weights="
        + network.weightsMode().id()
        + ", stored patterns="
        + network.storedPatterns()
        + ", training calls="
        + network.history().size();
  }
}
