package io.engram.learning;

import io.engram.network.AmariHopfieldNetwork;

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
public final class HebbianTrainer extends Trainer {

  private final HebbianRule rule;

  private HebbianTrainer(AmariHopfieldNetwork network, HebbianOptions options) {
    super(network, options.preserveOnResize());
    this.rule = HebbianRule.hebbian(options);
  }

  /** With CANNs' defaults: subtract mean, zero diagonal, normalise by P, preserve on resize. */
  public static HebbianTrainer create(AmariHopfieldNetwork network) {
    return new HebbianTrainer(network, HebbianOptions.DEFAULTS);
  }

  public static HebbianTrainer create(AmariHopfieldNetwork network, HebbianOptions options) {
    return new HebbianTrainer(network, java.util.Objects.requireNonNull(options, "options"));
  }

  @Override
  public HebbianRule rule() {
    return rule;
  }

  public HebbianOptions options() {
    return rule.hebbianOptions();
  }
}
