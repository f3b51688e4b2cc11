package io.engram.cli;

import io.engram.io.Npy;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.DenseWeights;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram export}. */
@Command(
    addMethodSubcommands = false,
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
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
  String weights;

  @Option(
      names = {"-q", "--quiet"},
      description = "No summary line.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    Path file = Outputs.file("--weights", weights);
    Outputs files =
        new Outputs()
            .input("--model", model)
            .expectData(
                "--weights",
                file,
                "the weights are written as a float32 .npy array",
                "for a picture of them give inspect --heatmap W.png",
                ".npy",
                ".npz");
    if (MemoryKinds.MODERN.equals(MemoryKinds.of("--model", model))) {
      throw new UserError(
          model
              + " is a modern memory: it has no weight matrix to export; its stored patterns are"
              + " the array X in the model file (np.load(model)[\"X\"])");
    }
    Memory.reading(java.util.List.of(model));
    AmariHopfieldNetwork net = Inputs.readModel("--model", model);
    int n = net.numNeurons();
    // streamed from the weights (formed once when they are low-rank): one copy of W in memory
    Memory.using(net, "exporting the N x N weights", Memory.floats(n, n));
    DenseWeights w = net.weights().asDense();
    files.add("--weights", file, s -> Npy.writeFloatRows(s, n, n, w::copyRows)).write();
    if (quiet) {
      return 0;
    }
    spec.commandLine()
        .getOut()
        .println(
            "wrote the "
                + n
                + " x "
                + n
                + " weights to "
                + Outputs.written(String.valueOf(weights)));
    return 0;
  }
}
