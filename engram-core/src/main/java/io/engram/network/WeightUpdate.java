package io.engram.network;

import io.engram.weights.TrainingListener;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;

/**
 * One prepared training call of a learning rule: what {@link AmariHopfieldNetwork#apply} applies. A
 * rule (see {@code io.engram.learning.LearningRule}) validates its patterns and turns them into an
 * update; the network then does everything around the arithmetic, the same way for every rule:
 *
 * <ol>
 *   <li>resizes its weights to {@link #neurons()} when N differs (a new matrix: the old one is kept
 *       until the update succeeds);
 *   <li>converts them to dense weights when the update is {@link #denseOnly()} (rejecting the call
 *       when the network's weights mode is {@link WeightsMode#LOW_RANK} or N is too large);
 *   <li>asks {@link #check} whether the update can apply to those weights;
 *   <li>guards float32 overflow: {@link #maxAbsAfter} must stay below {@link
 *       AmariHopfieldNetwork#MAX_WEIGHT};
 *   <li>calls {@link #apply}, then records {@link #record()} in its history.
 * </ol>
 *
 * <p>Every check runs before {@link #apply}, which must not fail: so a failed call leaves the
 * network exactly as it was, even for dense weights updated in place. This library's rules also
 * allocate their work arrays (packed patterns, the kernels' per-thread buffers, a new matrix)
 * before they change weights in place, and the network what it keeps after the update (a resized
 * state, room in its history): a call for which the heap is too small ends in an {@link
 * OutOfMemoryError} with the network as it was.
 */
public interface WeightUpdate {

  /** N, the number of neurons the weights must have (the pattern length). */
  int neurons();

  /** True when the update works on dense weights only (it has no low-rank form). */
  boolean denseOnly();

  /**
   * Rejects weights (already of size {@link #neurons()}) that this update cannot apply to, for
   * example weights another rule made that this rule cannot continue. Must not change them.
   *
   * @param target the weights {@link #apply} would get
   * @param mode the network's weights mode
   * @throws IllegalArgumentException naming the problem
   */
  default void check(Weights target, WeightsMode mode) {}

  /**
   * An upper bound on {@code max |W'_ij|} after the update, for the overflow guard (may be
   * infinite, which fails the guard).
   *
   * @param target the weights {@link #apply} would get
   */
  double maxAbsAfter(Weights target);

  /**
   * Applies the update and returns the resulting weights: {@code target} changed in place, or new
   * weights (another representation, e.g. dense when the low-rank form stops paying off under
   * {@link WeightsMode#AUTO}). Runs after every check and must not fail.
   *
   * @param target the weights, of size {@link #neurons()} (dense if {@link #denseOnly()})
   * @param mode the network's weights mode
   * @param listener progress of long updates (null: none)
   */
  Weights apply(Weights target, WeightsMode mode, TrainingListener listener);

  /**
   * The record of this call for the network's history. The network reads it after {@link #apply}
   * (and its {@code rule()} earlier, for messages), so it may include what {@link #check} or {@link
   * #apply} found out.
   */
  TrainingRecord record();
}
