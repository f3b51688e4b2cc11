package io.engram.spark;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.DenseWeights;
import java.io.Serializable;

/**
 * A serialisable, read-only copy of a trained network (dense weights and dynamics) for
 * broadcasting. Each JVM that deserialises it rebuilds the network once, on first use, and shares
 * it between its tasks (recall never changes a network and is thread-safe).
 *
 * <p>Memory on each executor: the broadcast float[] plus the rebuilt network, {@code 2 · 4 · N²}
 * bytes for dense weights.
 */
final class NetworkSnapshot implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int n;
  private final float[] weights;
  private final DynamicsSpec dynamics;
  private transient volatile AmariHopfieldNetwork network;

  private NetworkSnapshot(int n, float[] weights, DynamicsSpec dynamics) {
    this.n = n;
    this.weights = weights;
    this.dynamics = dynamics;
  }

  /** A copy of the network's current weights and dynamics (later training does not show). */
  static NetworkSnapshot of(AmariHopfieldNetwork network) {
    return new NetworkSnapshot(
        network.numNeurons(), network.weightMatrix(), DynamicsSpec.of(network.dynamics()));
  }

  int numNeurons() {
    return n;
  }

  /** The network, rebuilt once per JVM. */
  AmariHopfieldNetwork network() {
    AmariHopfieldNetwork net = network;
    if (net == null) {
      synchronized (this) {
        net = network;
        if (net == null) {
          net = AmariHopfieldNetwork.of(DenseWeights.of(n, weights), dynamics.toDynamics());
          network = net;
        }
      }
    }
    return net;
  }
}
