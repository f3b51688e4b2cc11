package io.engram.cli;

import io.engram.io.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The memory kinds on the command line ({@code --memory classical|modern}) and the rule that an
 * option which does not apply to the chosen kind is an error naming the option, never ignored.
 */
final class MemoryKinds {

  static final String CLASSICAL = "classical";
  static final String MODERN = "modern";

  /** The options of the classical network's learning rule and weights (train only). */
  static final String[] CLASSICAL_TRAINING = {
    "--rule",
    "--ridge",
    "--tolerance",
    "--subtract-mean",
    "--zero-diagonal",
    "--normalize",
    "--preserve-on-resize",
    "--weights"
  };

  /** The classical network's dynamics (train and recall). */
  static final String[] DYNAMICS = {
    "--activation", "--temperature", "--threshold", "--update", "--order", "--seed"
  };

  /** The options of modern memory (train). */
  static final String[] MODERN_TRAINING = {"--beta", "--separation", "--degree", "--remove"};

  private MemoryKinds() {}

  /**
   * {@code classical} or {@code modern}.
   *
   * @throws UserError for any other name
   */
  static String parse(String kind) {
    String k = kind.trim().toLowerCase(Locale.ROOT);
    if (!k.equals(CLASSICAL) && !k.equals(MODERN)) {
      throw new UserError("--memory must be classical or modern, got '" + kind + "'");
    }
    return k;
  }

  /**
   * The kind a model file holds, from its metadata only.
   *
   * @param option the option that names the file, for messages
   */
  static String of(String option, Path model) throws IOException {
    Inputs.checkModelFile(option, model);
    return Inputs.naming(option, model, () -> ModelFile.memoryKind(model));
  }

  /** The kind of a memory read from a file. */
  static String of(io.engram.network.Memory memory) {
    return memory instanceof io.engram.memory.ModernHopfieldMemory ? MODERN : CLASSICAL;
  }

  /** A kind in a sentence: "a classical network", "a modern memory". */
  static String described(String kind) {
    return CLASSICAL.equals(kind) ? "a classical network" : "a " + kind + " memory";
  }

  /** Whether the user gave the option on the command line (not its default). */
  static boolean given(CommandSpec spec, String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /**
   * Rejects every given option of {@code options}: they do not apply to {@code what}.
   *
   * @throws UserError naming the first one given
   */
  static void reject(CommandSpec spec, String what, String... options) {
    for (String o : options) {
      if (given(spec, o)) {
        throw new UserError(o + " does not apply to " + what);
      }
    }
  }
}
