package io.engram.learning;

import io.engram.network.AmariHopfieldNetwork;

/** The shared part of the Hebbian and anti-Hebbian trainers: one {@link HebbianRule}. */
abstract class OuterProductTrainer extends Trainer {

  private final HebbianRule rule;

  OuterProductTrainer(AmariHopfieldNetwork network, HebbianRule rule) {
    super(network, rule.hebbianOptions().preserveOnResize());
    this.rule = rule;
  }

  @Override
  public final HebbianRule rule() {
    return rule;
  }

  /** The options this trainer was made with. */
  public final HebbianOptions options() {
    return rule.hebbianOptions();
  }
}
