package io.engram.network;

/**
 * Called after every update step of one recall, as CANNs' {@code progress_callback(iteration,
 * energy, converged, energy_change)}. Setting one makes recall compute the energy after every step
 * (one extra matrix-vector product per step for dense weights).
 *
 * <p>Called on the thread that runs the recall; in a parallel batch, from several threads at once,
 * so implementations must be thread-safe there. An exception thrown by a listener aborts the recall
 * and propagates to the caller.
 */
@FunctionalInterface
public interface StepListener {
  /**
   * @param query index of the query in its batch (0 for a single recall)
   * @param iteration 1-based step number
   * @param energy energy after this step
   * @param converged whether this step reached a fixed point (or met the energy tolerance)
   * @param energyChange energy after minus energy before this step
   */
  void onStep(int query, int iteration, double energy, boolean converged, double energyChange);
}
