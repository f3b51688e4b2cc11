package io.engram.cli;

import io.engram.io.ModelFile;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.LearningRule;
import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseOptions;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.TrainingRecord;
import io.engram.weights.ProjectionTarget;
import io.engram.weights.WeightsMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram train}. */
@Command(
    addMethodSubcommands = false,
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
    sortOptions = false,
    description = {
      "Store patterns in a network with a learning rule and save the model: hebbian (CANNs'"
          + " rule), anti-hebbian (unlearning), pseudo-inverse (projection: every independent"
          + " pattern a fixed point, for correlated data such as images) or storkey (incremental,"
          + " about twice Hebb's capacity). With --memory modern, store them in a modern"
          + " Hopfield memory instead, which keeps the patterns themselves.",
      "All --patterns files together form ONE training call (one mean, one P); for successive"
          + " calls (CANNs' repeated train()), run again with --init.",
      "A folder of images (PNG, JPEG, GIF, BMP) is read as CANNs' image example prepares it:"
          + " grayscale, resized to --size WxH with area averaging, thresholded at its mean to"
          + " +1/-1. Without --size, images of another size than the first are resized to the"
          + " first one's, with a warning. A .csv file holds one pattern per line, its values"
          + " separated by commas, semicolons or spaces; every cell must hold a number."
    },
    footer = {
      "",
      "Examples:",
      "  engram train --patterns memories.npy --out model.npz",
      "  engram train --patterns more.npy --init model.npz --out model.npz",
      "  engram train --patterns spurious.npy --init model.npz --rule anti-hebbian --out model.npz",
      "  engram train --patterns photos/ --size 64x64 --rule pseudo-inverse --out model.npz",
      "  engram train --patterns noisy.npy --rule pseudo-inverse --ridge 10 --out model.npz",
      "  engram train --patterns memories.npy --rule storkey --out model.npz",
      "  engram train --patterns p.csv --zero-diagonal false --activation tanh --temperature 0.5 --out m.npz",
      "  engram train --patterns images/ --size 64x64 --out model.npz",
      "  engram train --memory modern --patterns memories.npy --out modern.npz",
      "  engram train --memory modern --separation polynomial --degree 3 --patterns pm1.npy --out m.npz",
      "  engram train --init modern.npz --remove 3,7 --out modern.npz"
    })
final class TrainCommand implements Callable<Integer>, EngramCli.WholeRanges {

  @Spec CommandSpec spec;

  @Option(
      names = "--patterns",
      paramLabel = "FILE",
      description =
          "Patterns: .npy (P x N or 1-D, any numeric dtype), .csv (one pattern per line), an image, or a folder of images; '-' reads standard input. Repeatable, each file once. Required, except with --remove alone.")
  List<Path> patterns;

  // (split here, not by picocli, whose split dropped a trailing empty part: "--remove 1," was
  // taken as "--remove 1" where "1,,2" was refused)
  @Option(
      names = "--remove",
      paramLabel = "INDEX",
      description =
          "Modern memory with --init: forget the stored patterns at these indices (0-based rows of the model's X, the index recall --report names \"best\"; comma-separated or repeated) before any --patterns are stored; the later ones move up. The classical network unlearns with --rule anti-hebbian instead.")
  List<String> removeValues;

  /** The indices of --remove ({@link #indices}), or null without it. */
  List<Integer> remove;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL",
      description =
          "Model file to write (exactly this path; replaced atomically; through a symbolic link, the file it points to).")
  String out;

  @Option(
      names = "--init",
      paramLabel = "MODEL",
      description = "Continue training this model (it may be the --out file).")
  Path init;

  @Option(
      names = "--rule",
      completionCandidates = Candidates.Rules.class,
      defaultValue = "hebbian",
      paramLabel = "hebbian|anti-hebbian|pseudo-inverse|storkey",
      description =
          "Learning rule (default: ${DEFAULT-VALUE}; with --init, the model's own where it is"
              + " pseudo-inverse or storkey). pseudo-inverse: W = X^T (X X^T)^+ X over all"
              + " patterns stored so far (--init adds rows); storkey: Storkey's incremental rule"
              + " (dense weights).")
  String rule;

  @Option(
      names = "--ridge",
      paramLabel = "LAMBDA",
      description =
          "pseudo-inverse only: (X X^T + LAMBDA I)^-1 instead of the pseudo-inverse, for noisy,"
              + " nearly dependent patterns (a +/-1 pattern of N values has x.x = N; default 0,"
              + " or the --init model's)."
              + " A model keeps one ridge and holds at most N patterns with it.")
  Double ridge;

  @Option(
      names = "--tolerance",
      paramLabel = "RCOND",
      description =
          "pseudo-inverse only: relative tolerance for linear dependence (a pattern counts when"
              + " its part outside the stored ones exceeds RCOND times the largest pattern's norm;"
              + " default max(P, N) * 2^-23).")
  Double tolerance;

  @Option(
      names = "--subtract-mean",
      arity = "1",
      preprocessor = EngramCli.TrueOrFalse.class,
      defaultValue = "true",
      paramLabel = "true|false",
      description =
          "hebbian/anti-hebbian: centre patterns by their mean activity rho (default: ${DEFAULT-VALUE}, or the --init model's).")
  boolean subtractMean;

  @Option(
      names = "--zero-diagonal",
      arity = "1",
      preprocessor = EngramCli.TrueOrFalse.class,
      defaultValue = "true",
      paramLabel = "true|false",
      description =
          "Set the diagonal of W to 0 after the update (default: ${DEFAULT-VALUE}, or the --init model's).")
  boolean zeroDiagonal;

  @Option(
      names = "--normalize",
      arity = "1",
      preprocessor = EngramCli.TrueOrFalse.class,
      defaultValue = "true",
      paramLabel = "true|false",
      description =
          "hebbian/anti-hebbian: divide the update by the number of patterns (default: ${DEFAULT-VALUE}, or the --init model's).")
  boolean normalize;

  @Option(
      names = "--preserve-on-resize",
      arity = "1",
      preprocessor = EngramCli.TrueOrFalse.class,
      defaultValue = "true",
      paramLabel = "true|false",
      description =
          "When the pattern length differs from the --init model's N, keep its top-left block of W (default: ${DEFAULT-VALUE}, or the --init model's).")
  boolean preserveOnResize;

  @Option(
      names = "--weights",
      completionCandidates = Candidates.WeightModes.class,
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
      completionCandidates = Candidates.Kinds.class,
      paramLabel = "classical|modern",
      description =
          "Memory kind: classical (a Hopfield network of N x N weights, trained with --rule; the default) or modern (stores the patterns themselves, retrieves by softmax or a separation function; see --separation). Default: the --init model's kind.")
  String memory;

  @Option(
      names = "--separation",
      completionCandidates = Candidates.Separations.class,
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

  /**
   * The inputs and the one output of a training call, checked against each other (the model may
   * replace its --init), and the inputs noted for the out-of-memory advice; for every memory kind.
   */
  Outputs outputs(Path outFile) throws java.io.IOException {
    List<Path> reading = new java.util.ArrayList<>(patterns);
    reading.add(init);
    Memory.reading(reading);
    return new Outputs()
        .inputs("--patterns", patterns)
        .input("--init", init)
        .input("--order", dynamics.order)
        .allowSame("--out", "--init")
        .expectData(
            "--out",
            outFile,
            "the model is an .npz archive",
            "give a name ending in .npz",
            // (np.load reads either name by its contents; a .csv or .json name would be text)
            ".npz",
            ".npy");
  }

  @Override
  public long[] range(String option) {
    return option.equals("--degree")
        ? new long[] {2, io.engram.memory.ModernHopfieldMemory.MAX_DEGREE}
        : null;
  }

  @Override
  public Integer call() throws Exception {
    remove = removeValues == null ? null : indices(removeValues);
    if (patterns == null) {
      if (remove == null) {
        // (picocli's own check while --patterns was required; --remove alone needs none)
        throw new UserError(
            "Missing required option: '--patterns=FILE' (only a modern memory's --remove goes"
                + " without it)");
      }
      patterns = List.of();
    }
    if (remove != null && init == null) {
      throw new UserError(
          "--remove forgets patterns stored in a model; give it with --init MODEL (and --out for"
              + " the result, which may be the same file)");
    }
    Integer modern = ModernTraining.runIfModern(this);
    if (modern != null) {
      return modern;
    }
    // without --rule, an --init model continues with its own rule (made once it is read)
    LearningRule learning =
        init != null && !given("--rule") ? null : learningRule(rule, Double.NaN, false);
    WeightsMode mode = weights == null ? null : weightsMode(weights);
    lowRankApplies(learning, mode);

    Images.Size given = size == null ? null : Images.Size.parse(size);
    Path outFile = Outputs.file("--out", out);
    Outputs files = outputs(outFile);
    PatternBlock block;
    TrainingRecord rec;
    AmariHopfieldNetwork net = null; // (from --init, or made once N and the dynamics are known)
    try (Progress bar = Progress.start("train", -1, Progress.enabled(quiet), System.err)) {
      Inputs.Data data =
          Inputs.naming("--patterns", patterns, () -> Inputs.read(patterns, given, bar));
      data.warn(spec.commandLine().getErr());
      block = data.block();
      Inputs.sizeApplies(given, data.size() != null, "--patterns");
      Dynamics dyn;
      int n; // N of the network as trained: of the patterns (or of --init without any)
      if (init != null) {
        files.reading("--init");
        net = Inputs.readModel("--init", init);
        // the rule (given, or the model's) with the options the model's last call of it kept
        // where they are not given, and the model's ridge; (a Storkey model's dense weights
        // refuse --weights low-rank below, naming --init)
        boolean fromModel = learning == null;
        String name = fromModel ? ruleOf(net) : rule;
        keepOptions(net);
        double keptRidge = ProjectionTarget.ridgeOf(net.weights());
        sameRidge(keptRidge);
        learning = learningRule(name, keptRidge, fromModel);
        Memory.training(
            net, block.count(), block.length(), mode != null ? mode : net.weightsMode());
        dyn = dynamics.apply(net.dynamics());
        n = block.isEmpty() ? net.numNeurons() : block.length();
        if (mode != null) {
          setWeightsMode(net, mode);
        }
      } else {
        if (block.isEmpty()) {
          // (the files named: 'no patterns to train on' did not say which input was empty, an
          // empty pipe or a CSV of comments alone)
          java.util.List<String> names = new java.util.ArrayList<>();
          for (Path f : patterns == null ? java.util.List.<Path>of() : patterns) {
            names.add(Inputs.named(f));
          }
          throw new UserError(
              (names.isEmpty()
                      ? "no patterns to train on"
                      : String.join(", ", names)
                          + (names.size() == 1 ? " holds" : " hold")
                          + " no patterns to train on")
                  + ", and no --init model to start from");
        }
        Memory.training(null, block.count(), block.length(), mode);
        dyn = dynamics.apply(Dynamics.DEFAULT);
        n = block.length();
      }
      dynamics.orderFits(dyn, n, block.isEmpty() ? "the --init model has" : "the patterns have");
      if (init == null) {
        net =
            AmariHopfieldNetwork.create(
                block.length(), dyn, mode == null ? WeightsMode.AUTO : mode);
      }
      // what the model file can hold, before the work (the library refuses it when saving too)
      ModelLimits.classical(out, net, learning, block.count(), block.length());
      bar.setTask("storing " + Words.count(block.count(), "pattern"));
      // the dense update reports its progress (low-rank training is too quick to need it)
      rec = learning.train(net, block, preserveOnResize, bar::fraction);
      warnIfCentredAway(learning, block);
      if (init != null) {
        net.setDynamics(dyn); // after training, which may have changed N
      }
      bar.setTask("writing " + out);
      AmariHopfieldNetwork trained = net;
      files.add("--out", outFile, s -> ModelFile.builder(trained).writeTo(s)).write();
    }
    if (quiet) {
      return 0;
    }
    // concatenated, not printf: a process's first String.format costs 10-35 ms
    // (InspectCommand.bytes)
    spec.commandLine()
        .getOut()
        .println(
            (rec == null ? "nothing to train" : "trained")
                + ": "
                + block.count()
                + " pattern"
                + (block.count() == 1 ? "" : "s")
                + " of length "
                + block.length()
                + " stored with the "
                + learning.name()
                + " rule; N = "
                + net.numNeurons()
                + ", "
                + (rec != null && rec.options().containsKey("effective_rank")
                    ? "effective rank " + rec.options().get("effective_rank") + " (at most N)"
                    : "capacity about " + InspectCommand.capacityEstimate(net))
                + "; model written to "
                + Outputs.written(out));
    return 0;
  }

  /**
   * A warning when the Hebbian rules' centring leaves nothing of the patterns: every value equal
   * (all +1, all -1, all 0) makes {@code x - rho} zero, so the call changes no weight and every
   * state then goes to 0 (sign(0) = 0). It was trained, written and reported as stored without a
   * word.
   */
  private void warnIfCentredAway(LearningRule learning, PatternBlock block) {
    if (learning instanceof HebbianRule
        && subtractMean
        && !block.isEmpty()
        && block.stats().min() == block.stats().max()) {
      spec.commandLine()
          .getErr()
          .println(
              "engram: warning: every value of the patterns is "
                  + block.stats().min()
                  + ", so --subtract-mean (rho = "
                  + block.stats().mean()
                  + ") leaves them all zero: this call changes no weight; --subtract-mean false"
                  + " stores them");
    }
  }

  /** Whether this option was given on the command line (not only its default). */
  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** Exit 2 for --weights low-rank with the storkey rule (the library named no option). */
  private static void lowRankApplies(LearningRule learning, WeightsMode mode) {
    if (mode == WeightsMode.LOW_RANK && learning instanceof StorkeyRule) {
      // (the library's "storkey needs dense weights, but the network's weights mode is low-rank")
      throw new UserError(
          "--weights low-rank does not apply to the storkey rule, which keeps dense weights; give"
              + " --weights dense or auto, or leave --weights out");
    }
  }

  /**
   * The rule an --init model continues with when --rule is not given: the pseudo-inverse for
   * pseudo-inverse weights (which no other rule continues), storkey where its last training call
   * was Storkey's, hebbian otherwise (also after an anti-hebbian unlearning call, which is made on
   * purpose, once). It was always hebbian: a pseudo-inverse model then needed --rule pseudo-inverse
   * (and its --ridge) repeated on every call, and a Storkey model silently took Hebbian outer
   * products.
   */
  static String ruleOf(AmariHopfieldNetwork net) {
    if (ProjectionTarget.holdsProjection(net.weights())) {
      return "pseudo-inverse";
    }
    return InspectCommand.lastRule(net).equals("storkey") ? "storkey" : "hebbian";
  }

  /**
   * The options that the --init model's training records keep and this call does not give, each as
   * the model's latest call that recorded it had it: {@code --zero-diagonal} (every rule records
   * it), and {@code --subtract-mean}, {@code --normalize} and {@code --preserve-on-resize} (the
   * Hebbian rules record them). Without them each was its default (true), so a model trained with
   * {@code --zero-diagonal false} had its diagonal zeroed by a call that only added patterns. (The
   * ridge is the weights' own, {@link #sameRidge}; {@code --tolerance} belongs to one call and is
   * not taken.)
   */
  private void keepOptions(AmariHopfieldNetwork net) {
    List<TrainingRecord> history = net.history();
    subtractMean = keptFlag(history, "subtract_mean", "--subtract-mean", subtractMean);
    normalize = keptFlag(history, "normalize_by_patterns", "--normalize", normalize);
    zeroDiagonal = keptFlag(history, "zero_diagonal", "--zero-diagonal", zeroDiagonal);
    preserveOnResize =
        keptFlag(history, "preserve_on_resize", "--preserve-on-resize", preserveOnResize);
  }

  /** The option's value: given, else the latest record's that holds it, else {@code now}. */
  private boolean keptFlag(List<TrainingRecord> history, String key, String option, boolean now) {
    if (given(option)) {
      return now;
    }
    for (int i = history.size() - 1; i >= 0; i--) {
      String v = history.get(i).options().get(key);
      if (v != null) {
        return Boolean.parseBoolean(v);
      }
    }
    return now;
  }

  /**
   * Refuses a --ridge other than the --init model's: pseudo-inverse weights are {@code W = Xᵀ (X Xᵀ
   * + λ I)⁻¹ X} over all the patterns stored so far, kept as a factor of them for that λ, and the
   * model keeps no patterns to factor again for another. (Without --ridge the call takes the
   * model's; a missing --ridge counted as 0, which then conflicted with a model trained with one.)
   */
  private void sameRidge(double keptRidge) {
    if (ridge != null && !Double.isNaN(keptRidge) && ridge.doubleValue() != keptRidge) {
      throw new UserError(
          "--ridge "
              + ridge
              + " differs from the ridge "
              + keptRidge
              + " of --init "
              + init
              + ", which keeps one ridge for all its patterns (W = Xt (X Xt + ridge I)^-1 X over"
              + " all of them, and it holds no patterns to factor again); leave --ridge out to"
              + " continue with "
              + keptRidge
              + ", or train a new model from all the patterns");
    }
  }

  /**
   * The rule named {@code name}, with its options; options of other rules are errors. {@code
   * keptRidge}: the ridge of the --init model's pseudo-inverse weights (NaN for none), which a call
   * without --ridge continues with (a missing --ridge counted as 0, which the model's own ridge
   * then refused). {@code fromModel}: the rule is the --init model's, not given.
   */
  private LearningRule learningRule(String name, double keptRidge, boolean fromModel) {
    String r = LabMemories.ruleName(name);
    String shown =
        "the "
            + r
            + " rule"
            + (fromModel ? ", which the --init model continues with (no --rule given):" : "");
    switch (r) {
      case "hebbian", "anti-hebbian" -> {
        rejectOptions(shown, "--ridge", "--tolerance");
        HebbianOptions opts =
            new HebbianOptions(subtractMean, zeroDiagonal, normalize, preserveOnResize);
        return r.equals("hebbian") ? HebbianRule.hebbian(opts) : HebbianRule.antiHebbian(opts);
      }
      case "pseudo-inverse" -> {
        rejectOptions(shown, "--subtract-mean", "--normalize");
        PseudoInverseOptions o = PseudoInverseOptions.DEFAULTS.withZeroDiagonal(zeroDiagonal);
        Double lambda = ridge != null ? ridge : Double.isNaN(keptRidge) ? null : keptRidge;
        try {
          o = lambda == null ? o : o.withRidge(lambda);
        } catch (IllegalArgumentException e) {
          throw new UserError("--ridge: " + e.getMessage());
        }
        if (tolerance != null && !(tolerance >= 0 && tolerance < 1)) {
          // checked here: the library reads NaN as "the default" (typed, it was taken, exit 0),
          // and its message offers NaN so
          throw new UserError("--tolerance must be a number in [0, 1), got " + tolerance);
        }
        try {
          o = tolerance == null ? o : o.withTolerance(tolerance);
        } catch (IllegalArgumentException e) {
          throw new UserError("--tolerance: " + e.getMessage());
        }
        return PseudoInverseRule.create(o);
      }
      case "storkey" -> {
        rejectOptions(shown, "--subtract-mean", "--normalize", "--ridge", "--tolerance");
        return StorkeyRule.create(zeroDiagonal);
      }
      default -> throw new IllegalStateException(r);
    }
  }

  /**
   * Gives the --init network the representation --weights names, refused where its weights have no
   * low-rank form (a storkey or pseudo-inverse model): the library's words ("dense weights with
   * nonzero off-diagonal entries ... have no exact low-rank form without their training patterns;
   * train in low-rank mode instead") named no option.
   */
  private void setWeightsMode(AmariHopfieldNetwork net, WeightsMode mode) {
    try {
      net.setWeightsMode(mode);
    } catch (IllegalArgumentException e) {
      if (mode != WeightsMode.LOW_RANK) {
        throw e;
      }
      throw new UserError(
          "--weights "
              + mode.id()
              + " does not apply to --init "
              + init
              + ": its weights have no exact low-rank form without their training patterns; train"
              + " a new model with --weights "
              + mode.id()
              + ", or leave --weights out",
          e);
    }
  }

  /**
   * The representation {@code --weights} names, refused as --rule and --memory are (the library's
   * "unknown weights mode 'x', expected one of ..." named no option).
   */
  static WeightsMode weightsMode(String given) {
    try {
      return WeightsMode.parse(given);
    } catch (IllegalArgumentException e) {
      throw new UserError("--weights must be auto, dense or low-rank, got '" + given + "'", e);
    }
  }

  /**
   * Exit 2 naming the first of these options that was given: it does not apply to the rule ({@code
   * rule}: "the storkey rule").
   */
  private void rejectOptions(String rule, String... names) {
    for (String o : names) {
      if (given(o)) {
        throw new UserError(
            o
                + " does not apply to "
                + rule
                + (rule.endsWith(":") ? " " : " (")
                + (o.equals("--ridge") || o.equals("--tolerance")
                    ? "pseudo-inverse only"
                    : "hebbian and anti-hebbian only")
                + (rule.endsWith(":") ? "" : ")"));
      }
    }
  }

  /**
   * The indices of {@code --remove}: each value comma-separated whole numbers, every part one
   * ({@code 3,7}, repeated as {@code --remove 3 --remove 7}); an empty part anywhere ({@code 1,},
   * {@code ,1}, {@code 1,,2}) or one that is not a whole number is an error. Whether each names a
   * stored pattern is checked against the model ({@link ModernTraining}).
   */
  static List<Integer> indices(List<String> values) {
    List<Integer> out = new java.util.ArrayList<>();
    for (String v : values) {
      if (v.chars().allMatch(c -> c == ',')) {
        // (--remove , wrote the --init model again, unchanged, exit 0)
        throw new UserError(
            "--remove names no pattern index; give e.g. --remove 3 or --remove 3,7");
      }
      for (String part : v.split(",", -1)) {
        try {
          out.add((int) EngramCli.wholeNumber(part, Integer.MIN_VALUE, Integer.MAX_VALUE));
        } catch (NumberFormatException e) {
          throw new UserError(
              "--remove "
                  + v
                  + ": '"
                  + part
                  + "' is not a pattern index; give whole numbers separated by commas, e.g."
                  + " --remove 3,7");
        }
      }
    }
    return out;
  }
}
