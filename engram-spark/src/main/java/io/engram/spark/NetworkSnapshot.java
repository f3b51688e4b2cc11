package io.engram.spark;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.DenseWeights;
import io.engram.weights.LowRankWeights;
import io.engram.weights.Weights;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A serialisable, read-only copy of a trained network (weights and dynamics) for broadcasting.
 * Low-rank weights travel as their factors (R x N floats), dense ones as the N x N matrix. Each JVM
 * that deserialises it rebuilds the network once, on first use, and shares it between its tasks
 * (recall never changes a network and is thread-safe).
 *
 * <p>Memory on each executor: the broadcast arrays plus the rebuilt network, {@code 2 · 4 · N²}
 * bytes for dense weights, {@code 2 · 4 · R · N} for low-rank ones.
 */
final class NetworkSnapshot implements Serializable {
  private static final long serialVersionUID = 2L;

  private final int n;
  private final float[] dense; // null for low-rank weights
  private final float[][] factors; // centred patterns of each training call, rows x N
  private final int[] rows;
  private final float[] divisors;
  private final boolean[] negated;
  private final boolean[] zeroDiagonalAfter;
  private final float[] baseDiagonal;
  private final DynamicsSpec dynamics;
  private transient volatile AmariHopfieldNetwork network;

  private NetworkSnapshot(AmariHopfieldNetwork net) {
    this.n = net.numNeurons();
    this.dynamics = DynamicsSpec.of(net.dynamics());
    Weights w = net.weights();
    if (w instanceof LowRankWeights lr) {
      List<LowRankWeights.Factor> fs = lr.factors();
      int k = fs.size();
      dense = null;
      factors = new float[k][];
      rows = new int[k];
      divisors = new float[k];
      negated = new boolean[k];
      zeroDiagonalAfter = new boolean[k];
      for (int b = 0; b < k; b++) {
        LowRankWeights.Factor f = fs.get(b);
        factors[b] = f.patterns();
        rows[b] = f.rows();
        divisors[b] = f.divisor();
        negated[b] = f.negate();
        zeroDiagonalAfter[b] = f.zeroDiagonalAfter();
      }
      baseDiagonal = lr.baseDiagonal();
    } else {
      dense = net.weightMatrix();
      factors = null;
      rows = null;
      divisors = null;
      negated = null;
      zeroDiagonalAfter = null;
      baseDiagonal = null;
    }
  }

  /** A copy of the network's current weights and dynamics (later training does not show). */
  static NetworkSnapshot of(AmariHopfieldNetwork network) {
    return new NetworkSnapshot(network);
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
          net = AmariHopfieldNetwork.of(weights(), dynamics.toDynamics());
          network = net;
        }
      }
    }
    return net;
  }

  private Weights weights() {
    if (dense != null) {
      return DenseWeights.of(n, dense);
    }
    List<LowRankWeights.Factor> fs = new ArrayList<>(factors.length);
    for (int b = 0; b < factors.length; b++) {
      fs.add(
          new LowRankWeights.Factor(
              factors[b], rows[b], divisors[b], negated[b], zeroDiagonalAfter[b]));
    }
    return LowRankWeights.of(n, fs, baseDiagonal);
  }
}
