package io.engram.network;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How one update step visits the neurons: all at once, or one at a time.
 *
 * <ul>
 *   <li>{@link Synchronous}: {@code s <- act(W s - θ)}, every neuron from the same old state.
 *   <li>{@link FixedOrder}: one sweep visits the neurons in a given permutation, each update seeing
 *       the current state: {@code for i in order: s[i] <- act(W[i]·s - θ)}. The same permutation is
 *       used for every sweep of every query (as CANNs does with an explicit order).
 *   <li>{@link RandomOrder}: as {@link FixedOrder}, with a fresh random permutation for each sweep,
 *       reproducible from the seed: query {@code q} of a batch, sweep {@code k} always gets the
 *       same permutation, whatever the thread that runs it.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public sealed interface UpdateMode
    permits UpdateMode.Synchronous, UpdateMode.FixedOrder, UpdateMode.RandomOrder {

  /** Synchronous updates (CANNs {@code asyn=False}). */
  static UpdateMode synchronous() {
    return Synchronous.INSTANCE;
  }

  /**
   * Asynchronous updates in the given order, used for every sweep.
   *
   * @param order a permutation of {@code 0..N-1}; copied; checked against N when used
   * @throws NullPointerException "order" if {@code order} is null
   * @throws IllegalArgumentException if it is empty (a network has at least one neuron), or not a
   *     permutation of {@code 0..order.length-1} (an entry out of range, negative, or repeated)
   */
  static UpdateMode asynchronous(int[] order) {
    return new FixedOrder(order);
  }

  /** Asynchronous updates in a seeded random order, a new permutation each sweep. */
  static UpdateMode asynchronous(long seed) {
    return new RandomOrder(seed);
  }

  /** True for the one-neuron-at-a-time modes. */
  default boolean isAsynchronous() {
    return !(this instanceof Synchronous);
  }

  /** Synchronous update: every neuron from the previous state. */
  final class Synchronous implements UpdateMode {
    static final Synchronous INSTANCE = new Synchronous();

    private Synchronous() {}

    @Override
    public String toString() {
      return "sync";
    }
  }

  /** Asynchronous update in one fixed permutation. */
  final class FixedOrder implements UpdateMode {
    private final int[] order;

    FixedOrder(int[] order) {
      Objects.requireNonNull(order, "order");
      if (order.length == 0) {
        // (it was taken, and refused only on use: "async order has length 0, expected N = 4")
        throw new IllegalArgumentException(
            "async order is empty; it must be a permutation of 0..N-1, and N is at least 1");
      }
      checkPermutation(order);
      this.order = order.clone();
    }

    /** The permutation (a copy). */
    public int[] order() {
      return order.clone();
    }

    int[] orderUnsafe() {
      return order;
    }

    /** The number of neurons this order is for. */
    public int length() {
      return order.length;
    }

    /**
     * This order for a network resized to {@code n} neurons: the neurons it keeps ({@code 0..n-1})
     * in this order, then any new ones ({@code length()..n-1}) in index order; this one when {@code
     * n == length()}.
     */
    FixedOrder resized(int n) {
      if (n == order.length) {
        return this;
      }
      int[] r = new int[n];
      int k = 0;
      for (int v : order) {
        if (v < n) {
          r[k++] = v;
        }
      }
      for (int v = order.length; v < n; v++) {
        r[k++] = v;
      }
      return new FixedOrder(r);
    }

    private static void checkPermutation(int[] order) {
      boolean[] seen = new boolean[order.length];
      for (int i = 0; i < order.length; i++) {
        int v = order[i];
        if (v < 0 || v >= order.length) {
          throw new IllegalArgumentException(
              "async order entry " + i + " is " + v + ", expected 0.." + (order.length - 1));
        }
        if (seen[v]) {
          throw new IllegalArgumentException(
              "async order is not a permutation: " + v + " appears twice");
        }
        seen[v] = true;
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FixedOrder f && Arrays.equals(order, f.order);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(order);
    }

    @Override
    public String toString() {
      return "async(order of " + order.length + ")";
    }
  }

  /** Asynchronous update in a seeded random permutation per sweep. */
  record RandomOrder(long seed) implements UpdateMode {
    /**
     * Fills {@code out} with the permutation for sweep {@code sweep} of query {@code query}.
     * Deterministic in (seed, query, sweep).
     */
    public void permutation(long query, long sweep, int[] out) {
      SplittableRandom r = new SplittableRandom(mix(seed, query, sweep));
      for (int i = 0; i < out.length; i++) {
        out[i] = i;
      }
      for (int i = out.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
    }

    private static long mix(long seed, long query, long sweep) {
      long z =
          seed * 0x9E3779B97F4A7C15L + query * 0xC2B2AE3D27D4EB4FL + sweep * 0x165667B19E3779F9L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
      return "async(seed " + seed + ")";
    }
  }
}
