package io.engram.learning;

import io.engram.network.AmariHopfieldNetwork;
import java.util.Objects;

/**
 * CANNs' {@code AntiHebbianTrainer} ("fire together, wire apart"): {@code W <- W - (1/P) Σ_k (x_k -
 * rho)(x_k - rho)ᵀ}, diagonal zeroed, by default. Used to unlearn spurious states or decorrelate
 * patterns; on the same patterns with the same options it exactly cancels a {@link HebbianTrainer}
 * call made on fresh weights.
 *
 * <pre>{@code
 * var unlearn = AntiHebbianTrainer.create(net);           // AntiHebbianTrainer(model)
 * unlearn.train(spuriousStates);
 * }</pre>
 */
public final class AntiHebbianTrainer extends OuterProductTrainer {

  private AntiHebbianTrainer(AmariHopfieldNetwork network, HebbianOptions options) {
    super(network, HebbianRule.antiHebbian(Objects.requireNonNull(options, "options")));
  }

  /** With CANNs' defaults: subtract mean, zero diagonal, normalise by P, preserve on resize. */
  public static AntiHebbianTrainer create(AmariHopfieldNetwork network) {
    return new AntiHebbianTrainer(network, HebbianOptions.DEFAULTS);
  }

  /** With the given options. */
  public static AntiHebbianTrainer create(AmariHopfieldNetwork network, HebbianOptions options) {
    return new AntiHebbianTrainer(network, options);
  }
}
