package io.engram.network;

/**
 * One retrieval step of a memory: the unit that {@link RecallEngine} iterates for every memory
 * kind. A step maps states to their next states, {@code ξ ← step(ξ)}, and gives the energy of the
 * state it started from: {@code s ← act(W s - θ)} with {@code E = -½ sᵀWs + θ Σ s} for the
 * classical network, {@code ξ ← Xᵀ softmax(β X ξ)} with its log-sum-exp energy for modern memory.
 *
 * <p>The engine owns everything around the step: the fixed-point stop (a step that leaves a state
 * bit for bit unchanged), the tolerance stops, the iteration limit, listeners, which queries are
 * still live, and the split of a batch over threads. A step owns the arithmetic only; it keeps no
 * state between calls and may be called from several threads at once (on different states).
 *
 * <p>Implement this to plug a new memory kind or update rule into recall: see {@code
 * docs/ARCHITECTURE.md}.
 */
public interface RetrievalStep {

  /** N, the length of every state. */
  int size();

  /**
   * Whether several states are best stepped together (one matrix product for all of them), as for
   * synchronous updates; false when states are stepped one at a time (asynchronous sweeps), in
   * which case {@link #step} is called with {@code count == 1}.
   */
  boolean batched();

  /**
   * Whether one {@link #step} over many states already spreads its work over every thread, and
   * balances it, by itself: the engine then hands it whole batches (up to about 4 MiB of states per
   * call) instead of splitting them over threads. False by default.
   */
  default boolean parallelInside() {
    return false;
  }

  /**
   * Whether {@link #step} makes the arrays of the next states itself where it is given none: the
   * engine then passes {@code null} in {@code next} for a state that has no array yet (its first
   * step, or the step after one from its cue) instead of a new zeroed array, and the step sets that
   * entry to a new array of length N of its own, which the engine keeps. A step that computes its
   * states in a buffer of its own can then copy them out without the zeroing of a new array. False
   * by default.
   */
  default boolean allocatesStates() {
    return false;
  }

  /**
   * Whether {@link #step} computes the energy of its input states at little extra cost (from a
   * product it needs anyway); when false the engine asks for energies only where it must.
   */
  boolean energyComesWithStep();

  /**
   * Whether the next state of a state, bit for bit, its energy and its matches depend on that state
   * alone: not on the query, the sweep, the other states stepped with it or a random source (as for
   * synchronous updates, not for a seeded random asynchronous order). The engine may then end a
   * query caught in a cycle of two states ({@code a, b, a, b, ...}) without stepping it on to the
   * iteration limit, since the state, energy and matches it would end with are known: the result is
   * the same. False by default.
   */
  default boolean dependsOnStateAlone() {
    return false;
  }

  /**
   * One step for {@code count} states: {@code next[c] = step(cur[c])}. Must not modify {@code cur}.
   *
   * @param cur the states, each of length N (read only)
   * @param next where the next states go, each of length N (overwritten; never aliases cur); with
   *     {@link #allocatesStates()}, an entry may be null, which the step sets to a new array
   * @param count how many states (1 when not {@link #batched()})
   * @param queries the index of each state in its batch, for steps whose randomness depends on it
   *     (a seeded random order); read only
   * @param sweep the 0-based number of this step for these states
   * @param changed set to whether {@code next[c]} differs from {@code cur[c]} bit for bit
   * @param energies if not null, set to the energy of {@code cur[c]}
   * @param matches if not null, set to the best-matching stored patterns behind {@code next[c]}
   *     (memories that have stored patterns; others leave it untouched)
   * @param topK how many matches to report per state ({@code matches} not null)
   * @throws IllegalArgumentException if the step overflows float32 (a field or score that is not a
   *     number, from states too large for the memory); the states are then unusable
   */
  void step(
      float[][] cur,
      float[][] next,
      int count,
      int[] queries,
      int sweep,
      boolean[] changed,
      double[] energies,
      RecallResult.Match[][] matches,
      int topK);

  /**
   * {@link #step}, told whether the energies of the input states are needed only where the step
   * leaves a state unchanged: with {@code fixedPointsOnly} (the engine passes it when no step
   * listener and no energy tolerance reads the energies of states that move on), a step may set the
   * energy of a state it changes to NaN instead of computing it. By default every energy is
   * computed, as {@link #step} does.
   */
  default void step(
      float[][] cur,
      float[][] next,
      int count,
      int[] queries,
      int sweep,
      boolean[] changed,
      double[] energies,
      boolean fixedPointsOnly,
      RecallResult.Match[][] matches,
      int topK) {
    step(cur, next, count, queries, sweep, changed, energies, matches, topK);
  }

  /**
   * Multiply-adds one step costs per state (an estimate), used to decide whether a batch is worth
   * splitting over threads.
   */
  long cost();

  /**
   * The energies of {@code count} states.
   *
   * @param states each of length N (read only)
   * @param out set to the energy of each state
   */
  void energies(float[][] states, int count, double[] out);
}
