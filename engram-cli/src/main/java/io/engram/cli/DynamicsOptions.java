package io.engram.cli;

import io.engram.network.Activation;
import io.engram.network.Dynamics;
import io.engram.network.UpdateMode;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The dynamics flags shared by train and recall; each overrides the setting it names. */
final class DynamicsOptions {

  @Option(
      names = "--activation",
      completionCandidates = Candidates.Activations.class,
      paramLabel = "sign|tanh|sigmoid",
      description = "Neuron activation (default: sign, or the model's).")
  String activation;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description =
          "Temperature T > 0 for tanh(x/T) and sigmoid(x/T) (default: 1, or the model's). The sign"
              + " activation has none: train keeps T in the model (for a recall with --activation"
              + " tanh or sigmoid), recall refuses it.")
  Double temperature;

  @Option(
      names = "--threshold",
      paramLabel = "X",
      description = "Threshold θ in act(W s - θ) (default: 0, or the model's).")
  Double threshold;

  @Option(
      names = "--update",
      completionCandidates = Candidates.Updates.class,
      paramLabel = "sync|async",
      description =
          "Synchronous or asynchronous (one neuron at a time) updates (default: sync, or the model's).")
  String update;

  @Option(
      names = "--order",
      paramLabel = "FILE.npy",
      description =
          "Asynchronous update order: a 1-D int .npy permutation of 0..N-1, used for every sweep (implies --update async).")
  Path order;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "Asynchronous updates in a random order per sweep, reproducible from this seed (implies --update async).")
  Long seed;

  /**
   * Refuses {@code --temperature} where the dynamics a recall runs have the sign activation, which
   * has no temperature: the flag would change nothing (recall stores no setting; train keeps T in
   * the model, for a later recall with tanh or sigmoid, and does not call this).
   *
   * @param used the dynamics the recall runs, every flag applied
   */
  void temperatureApplies(Dynamics used) {
    if (temperature != null && used.activation() == Activation.SIGN) {
      throw new UserError(
          activation != null
              ? "--temperature does not apply to --activation sign (only tanh(x/T) and"
                  + " sigmoid(x/T) use T); leave --temperature out"
              : "--temperature does not apply to the model's sign activation (only tanh(x/T) and"
                  + " sigmoid(x/T) use T); give --activation tanh or sigmoid too, or leave"
                  + " --temperature out");
    }
  }

  /**
   * Refuses an {@code --order} of another length than N, naming the option and its file (recall
   * passed on the library's "async order has length 2, expected N = 6").
   *
   * @param used the dynamics with every flag applied
   * @param whose what has N, e.g. "the model has"
   */
  void orderFits(Dynamics used, int n, String whose) {
    if (order != null && used.updateMode() instanceof UpdateMode.FixedOrder f && f.length() != n) {
      throw new UserError(
          "--order "
              + order
              + ": has "
              + f.length()
              + " entries, but "
              + whose
              + " N = "
              + n
              + "; an order is a permutation of 0..N-1");
    }
  }

  /**
   * The activation {@code --activation} names, refused as --update is (the library's "unknown
   * activation 'x', expected one of ..." named no option).
   */
  static Activation activation(String given) {
    try {
      return Activation.parse(given);
    } catch (IllegalArgumentException e) {
      throw new UserError("--activation must be sign, tanh or sigmoid, got '" + given + "'", e);
    }
  }

  /** The base dynamics with every flag given applied. */
  Dynamics apply(Dynamics base) throws IOException {
    Dynamics d = base;
    if (activation != null) {
      d = d.withActivation(activation(activation));
    }
    // the library's messages name "temperature", not the option (--temperature 1e39 said
    // "temperature must be a finite float32 value, got 1.0E39")
    Dynamics given = d;
    if (temperature != null) {
      d = UserError.naming("--temperature", () -> given.withTemperature(temperature));
    }
    Dynamics tempered = d;
    if (threshold != null) {
      d = UserError.naming("--threshold", () -> tempered.withThreshold(threshold));
    }
    if (order != null && seed != null) {
      throw new UserError("--order and --seed are alternatives; give one");
    }
    String u = update == null ? null : update.trim().toLowerCase(java.util.Locale.ROOT);
    if (u != null && !u.equals("sync") && !u.equals("async")) {
      throw new UserError("--update must be sync or async, got '" + update + "'");
    }
    if ("sync".equals(u) && (order != null || seed != null)) {
      throw new UserError("--order and --seed need --update async");
    }
    if (order != null) {
      // (the library's "async order entry 0 is 3, expected 0..2" named neither option nor file)
      // (and every other refusal of the file: "o.npy: an order must be a 1-D array" did not)
      d =
          d.withUpdateMode(
              Inputs.naming(
                  "--order", order, () -> UpdateMode.asynchronous(Inputs.readOrder(order))));
    } else if (seed != null) {
      d = d.withUpdateMode(UpdateMode.asynchronous(seed));
    } else if ("sync".equals(u)) {
      d = d.withUpdateMode(UpdateMode.synchronous());
    } else if ("async".equals(u) && !d.updateMode().isAsynchronous()) {
      d = d.withUpdateMode(UpdateMode.asynchronous(0L));
    }
    return d;
  }
}
