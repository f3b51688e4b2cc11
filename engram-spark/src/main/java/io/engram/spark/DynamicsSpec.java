package io.engram.spark;

import io.engram.network.Activation;
import io.engram.network.Dynamics;
import io.engram.network.UpdateMode;
import java.io.Serializable;

/** A serialisable copy of {@link Dynamics} (the core's update modes are not serialisable). */
final class DynamicsSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Activation activation;
  private final float temperature;
  private final float threshold;
  private final int[] order; // fixed asynchronous order, or null
  private final Long seed; // random asynchronous seed, or null; both null: synchronous

  private DynamicsSpec(
      Activation activation, float temperature, float threshold, int[] order, Long seed) {
    this.activation = activation;
    this.temperature = temperature;
    this.threshold = threshold;
    this.order = order;
    this.seed = seed;
  }

  static DynamicsSpec of(Dynamics d) {
    UpdateMode m = d.updateMode();
    int[] order = m instanceof UpdateMode.FixedOrder f ? f.order() : null;
    Long seed = m instanceof UpdateMode.RandomOrder r ? r.seed() : null;
    return new DynamicsSpec(d.activation(), d.temperature(), d.threshold(), order, seed);
  }

  Dynamics toDynamics() {
    UpdateMode m =
        order != null
            ? UpdateMode.asynchronous(order)
            : seed != null ? UpdateMode.asynchronous(seed.longValue()) : UpdateMode.synchronous();
    return new Dynamics(activation, temperature, threshold, m);
  }
}
