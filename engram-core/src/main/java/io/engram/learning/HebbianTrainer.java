package io.engram.learning;

import io.engram.network.AmariHopfieldNetwork;
import java.util.Objects;

/**
 * CANNs' {@code HebbianTrainer}: {@code W <- W + (1/P) Σ_k (x_k - rho)(x_k - rho)ᵀ}, diagonal
 * zeroed, by default. See {@link HebbianRule} for the exact rule and {@link Trainer} for training
 * and recall.
 *
 * <pre>{@code
 * var net = AmariHopfieldNetwork.create(100);
 * var trainer = HebbianTrainer.create(net);               // HebbianTrainer(model)
 * trainer.train(patterns);                                 // trainer.train(patterns)
 * RecallResult r = trainer.predict(noisy);                 // trainer.predict(noisy)
 * }</pre>
 */
public final class HebbianTrainer extends OuterProductTrainer {

  private HebbianTrainer(AmariHopfieldNetwork network, HebbianOptions options) {
    super(network, HebbianRule.hebbian(Objects.requireNonNull(options, "options")));
  }

  /** With CANNs' defaults: subtract mean, zero diagonal, normalise by P, preserve on resize. */
  public static HebbianTrainer create(AmariHopfieldNetwork network) {
    return new HebbianTrainer(network, HebbianOptions.DEFAULTS);
  }

  /** With the given options. */
  public static HebbianTrainer create(AmariHopfieldNetwork network, HebbianOptions options) {
    return new HebbianTrainer(network, options);
  }
}
