package io.engram.spark;

import io.engram.io.ModelFile;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.Memory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A trained network on its way to the executors: broadcast as the bytes of its Engram model file
 * ({@link ModelFile#builder}, the same {@code .npz} that {@code engram train} writes), decoded with
 * {@link ModelFile#read} once per executor JVM and shared by that JVM's tasks (recall never changes
 * a network and is thread-safe). Every representation and dynamics setting that the model file
 * knows travels this way, and nothing else needs to be serialisable.
 *
 * <p>Memory: the driver holds the bytes once while broadcasting; each executor holds the bytes
 * (Spark's block manager) and the decoded network. A model file must stay below 2 GiB (dense N up
 * to about 23,000).
 */
final class BroadcastNetwork implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<Payload> broadcast;

  private BroadcastNetwork(Broadcast<Payload> broadcast) {
    this.broadcast = broadcast;
  }

  /** Broadcasts the model file of {@code network} (a snapshot: later changes are not seen). */
  static BroadcastNetwork of(JavaSparkContext sc, AmariHopfieldNetwork network) {
    return of(sc, network, network.dynamics());
  }

  /**
   * Broadcasts {@code network}'s weights with {@code dynamics} in place of its own (the model file
   * of a read-only view; the network itself is not changed).
   */
  static BroadcastNetwork of(JavaSparkContext sc, AmariHopfieldNetwork network, Dynamics dynamics) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(dynamics, "dynamics");
    AmariHopfieldNetwork view =
        dynamics.equals(network.dynamics())
            ? network
            : AmariHopfieldNetwork.of(network.weights(), dynamics);
    return new BroadcastNetwork(sc.broadcast(new Payload(modelBytes(view))));
  }

  /** Broadcasts the model file of any memory (a modern memory's patterns, say). */
  static BroadcastNetwork ofMemory(JavaSparkContext sc, Memory memory) {
    Objects.requireNonNull(memory, "memory");
    return new BroadcastNetwork(sc.broadcast(new Payload(modelBytes(memory))));
  }

  /** The model file of {@code memory}, as {@link ModelFile#write} would write it. */
  static byte[] modelBytes(Memory memory) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ModelFile.builder(memory).writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding the model file: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** Reads a network from model file bytes (through a temporary file, deleted at once). */
  static AmariHopfieldNetwork decode(byte[] npz) {
    return (AmariHopfieldNetwork) decodeMemory(npz);
  }

  /** Reads a memory of any kind from model file bytes. */
  static Memory decodeMemory(byte[] npz) {
    try {
      Path tmp = Files.createTempFile("engram-model-", ".npz");
      try {
        Files.write(tmp, npz);
        return ModelFile.readMemory(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("decoding a broadcast model: " + e.getMessage(), e);
    }
  }

  /**
   * The network, decoded on first use in this JVM and shared by its tasks: read only (recall),
   * never train or resize it.
   */
  AmariHopfieldNetwork network() {
    return (AmariHopfieldNetwork) broadcast.value().memory();
  }

  /** The memory, as {@link #network()} (any kind). */
  Memory memory() {
    return broadcast.value().memory();
  }

  /** Removes the broadcast's blocks from the driver and the executors. */
  void destroy() {
    broadcast.destroy();
  }

  /** What is broadcast: the bytes, and the network decoded from them once per JVM. */
  private static final class Payload implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] npz;
    private transient volatile Memory memory;

    Payload(byte[] npz) {
      this.npz = npz;
    }

    Memory memory() {
      Memory net = memory;
      if (net == null) {
        synchronized (this) {
          net = memory;
          if (net == null) {
            net = decodeMemory(npz);
            memory = net;
          }
        }
      }
      return net;
    }
  }
}
