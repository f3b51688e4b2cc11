package io.engram.cli;

import io.engram.io.ModelFile;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.TrainingRecord;
import io.engram.weights.WeightsMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram train}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Store patterns in a network with the Hebbian (or anti-Hebbian) rule and save the model.",
      "All --patterns files together form ONE training call (one mean, one P);"
          + " for successive calls (CANNs' repeated train()), run again with --init.",
      "A folder of images (PNG, JPEG, GIF, BMP) is read as CANNs' image example prepares it:",
      "grayscale, resized to --size WxH with area averaging, thresholded at its mean to +1/-1."
    },
    footer = {
      "",
      "Examples:",
      "  engram train --patterns memories.npy --out model.npz",
      "  engram train --patterns more.npy --init model.npz --out model.npz",
      "  engram train --patterns spurious.npy --init model.npz --rule anti-hebbian --out model.npz",
      "  engram train --patterns p.csv --zero-diagonal false --activation tanh --temperature 0.5 --out m.npz",
      "  engram train --patterns images/ --size 64x64 --out model.npz",
      "  engram train --memory modern --patterns memories.npy --out modern.npz",
      "  engram train --memory modern --separation polynomial --degree 3 --patterns pm1.npy --out m.npz"
    })
final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--patterns",
      required = true,
      paramLabel = "FILE",
      description =
          "Patterns: .npy (P x N or 1-D, any numeric dtype), .csv (one pattern per line), an image, or a folder of images. Repeatable.")
  List<Path> patterns;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL",
      description = "Model file to write (exactly this path; replaced atomically).")
  Path out;

  @Option(
      names = "--init",
      paramLabel = "MODEL",
      description = "Continue training this model (it may be the --out file).")
  Path init;

  @Option(
      names = "--rule",
      defaultValue = "hebbian",
      paramLabel = "hebbian|anti-hebbian",
      description = "Learning rule (default: ${DEFAULT-VALUE}).")
  String rule;

  @Option(
      names = "--subtract-mean",
      arity = "1",
      defaultValue = "true",
      paramLabel = "true|false",
      description = "Centre patterns by their mean activity rho (default: ${DEFAULT-VALUE}).")
  boolean subtractMean;

  @Option(
      names = "--zero-diagonal",
      arity = "1",
      defaultValue = "true",
      paramLabel = "true|false",
      description = "Set the diagonal of W to 0 after the update (default: ${DEFAULT-VALUE}).")
  boolean zeroDiagonal;

  @Option(
      names = "--normalize",
      arity = "1",
      defaultValue = "true",
      paramLabel = "true|false",
      description = "Divide the update by the number of patterns (default: ${DEFAULT-VALUE}).")
  boolean normalize;

  @Option(
      names = "--preserve-on-resize",
      arity = "1",
      defaultValue = "true",
      paramLabel = "true|false",
      description =
          "When the pattern length differs from the --init model's N, keep its top-left block of W (default: ${DEFAULT-VALUE}).")
  boolean preserveOnResize;

  @Option(
      names = "--weights",
      paramLabel = "auto|dense|low-rank",
      description =
          "Weight representation: auto (low-rank while the stored rank is well below N, then dense), dense (N x N), or low-rank (the centred patterns of each call; any N). Default: auto for a new model, the --init model's own setting otherwise.")
  String weights;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      description = "Resize images to W x H pixels, N = W*H (default: the first image's size).")
  String size;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar and no summary line.")
  boolean quiet;

  @Option(
      names = "--memory",
      paramLabel = "classical|modern",
      description =
          "Memory kind: classical (a Hebbian network of N x N weights; the default) or modern (stores the patterns themselves, retrieves by softmax or a separation function; see --separation). Default: the --init model's kind.")
  String memory;

  @Option(
      names = "--separation",
      paramLabel = "softmax|polynomial|rectified|exp",
      description =
          "Modern memory: softmax retrieval (any real patterns; the default), or the binary update of dense associative memory for +1/-1 patterns with F(x) = x^n, max(x,0)^n or exp(beta x).")
  String separation;

  @Option(
      names = "--beta",
      paramLabel = "B",
      description =
          "Modern memory (softmax, exp): inverse temperature beta > 0 (default: 1/sqrt(N) for softmax, 1 for exp).")
  Double beta;

  @Option(
      names = "--degree",
      paramLabel = "n",
      description = "Modern memory (polynomial, rectified): the degree n, 2..30 (default: 3).")
  Integer degree;

  @Mixin DynamicsOptions dynamics;

  @Override
  public Integer call() throws Exception {
    Integer modern = ModernTraining.runIfModern(this);
    if (modern != null) {
      return modern;
    }
    HebbianOptions opts =
        new HebbianOptions(subtractMean, zeroDiagonal, normalize, preserveOnResize);
    String r = rule.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    HebbianRule learning;
    if (r.equals("hebbian")) {
      learning = HebbianRule.hebbian(opts);
    } else if (r.equals("anti-hebbian") || r.equals("antihebbian")) {
      learning = HebbianRule.antiHebbian(opts);
    } else {
      throw new UserError("--rule must be hebbian or anti-hebbian, got '" + rule + "'");
    }
    WeightsMode mode = weights == null ? null : WeightsMode.parse(weights);

    Images.Size given = size == null ? null : Images.Size.parse(size);
    PatternBlock block;
    TrainingRecord rec;
    AmariHopfieldNetwork net;
    try (Progress bar = Progress.start("train", -1, Progress.enabled(quiet), System.err)) {
      block = Inputs.read(patterns, given, bar).block();
      if (init != null) {
        net = ModelFile.read(init);
        net.setDynamics(dynamics.apply(net.dynamics()));
        if (mode != null) {
          net.setWeightsMode(mode);
        }
      } else {
        if (block.isEmpty()) {
          throw new UserError("no patterns to train on, and no --init model to start from");
        }
        net =
            AmariHopfieldNetwork.create(
                block.length(),
                dynamics.apply(Dynamics.DEFAULT),
                mode == null ? WeightsMode.AUTO : mode);
      }
      bar.setTask("storing " + block.count() + " patterns");
      // the dense update reports its progress (low-rank training is too quick to need it)
      rec = learning.train(net, block, preserveOnResize, bar::fraction);
      bar.setTask("writing " + out);
      ModelFile.write(out, net);
    }
    if (quiet) {
      return 0;
    }
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "%s: %d pattern%s of length %d stored with the %s rule; N = %d, capacity about %d; model written to %s%n",
            rec == null ? "nothing to train" : "trained",
            block.count(),
            block.count() == 1 ? "" : "s",
            block.length(),
            learning.name(),
            net.numNeurons(),
            net.storageCapacity(),
            out);
    return 0;
  }
}
