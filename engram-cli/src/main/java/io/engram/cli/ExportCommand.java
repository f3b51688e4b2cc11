package io.engram.cli;

import io.engram.io.ModelFile;
import io.engram.io.Npy;
import io.engram.network.AmariHopfieldNetwork;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram export}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a model's dense float32 N x N weight matrix as .npy.",
      "A modern memory has no weight matrix: its stored patterns are np.load(model)[\"X\"]."
    },
    footer = {"", "Example:", "  engram export --model model.npz --weights W.npy"})
final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description = "A model written by 'engram train'.")
  Path model;

  @Option(
      names = "--weights",
      required = true,
      paramLabel = "W.npy",
      description = "Where to write the weights (exactly this path).")
  Path weights;

  @Override
  public Integer call() throws Exception {
    if (MemoryKinds.MODERN.equals(MemoryKinds.of(model))) {
      throw new UserError(
          model
              + " is a modern memory: it has no weight matrix to export; its stored patterns are"
              + " the array X in the model file (np.load(model)[\"X\"])");
    }
    AmariHopfieldNetwork net = ModelFile.read(model);
    int n = net.numNeurons();
    Npy.writeFloats(weights, net.weightMatrix(), n, n);
    spec.commandLine().getOut().println("wrote the " + n + " x " + n + " weights to " + weights);
    return 0;
  }
}
