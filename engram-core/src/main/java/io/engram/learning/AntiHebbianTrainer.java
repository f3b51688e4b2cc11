package io.engram.learning;

import io.engram.network.AmariHopfieldNetwork;

/**
 * CANNs' {@code AntiHebbianTrainer}: {@code W <- W - (1/P) Σ_k (x_k - rho)(x_k - rho)ᵀ}, diagonal
 * zeroed, by default. See {@link HebbianRule} for the exact rule and {@link Trainer} for training
 * and recall.
 *
 * <pre>{@code
 * var net = AmariHopfieldNetwork.create(100);
 * var trainer = AntiHebbianTrainer.create(net);           // AntiHebbianTrainer(model)
 * trainer.train(spurious);                                 // unlearn spurious states
 * RecallResult r = trainer.predict(noisy);                 // trainer.predict(noisy)
 * }</pre>
 */
public final class AntiHebbianTrainer extends Trainer {

  private final HebbianRule rule;

  private AntiHebbianTrainer(AmariHopfieldNetwork network, HebbianOptions options) {
    super(network, options.preserveOnResize());
    this.rule = HebbianRule.antiHebbian(options);
  }

  /** With CANNs' defaults: subtract mean, zero diagonal, normalise by P, preserve on resize. */
  public static AntiHebbianTrainer create(AmariHopfieldNetwork network) {
    return new AntiHebbianTrainer(network, HebbianOptions.DEFAULTS);
  }

  public static AntiHebbianTrainer create(AmariHopfieldNetwork network, HebbianOptions options) {
    return new AntiHebbianTrainer(network, java.util.Objects.requireNonNull(options, "options"));
  }

  @Override
  public HebbianRule rule() {
    return rule;
  }

  public HebbianOptions options() {
    return rule.hebbianOptions();
  }
}
