package io.engram.cli;

import io.engram.analysis.Corruption;
import io.engram.analysis.HopfieldAnalyzer;
import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram demo}: CANNs' image example end to end, no input needed. */
@Command(
    addMethodSubcommands = false,
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
    sortOptions = false,
    description = {
      "CANNs' image example end to end, with no download and no input.",
      "Four built-in images (drawn by Engram at run time; the project's own, under its licence)"
          + " are thresholded to +1/-1, stored with the Hebbian rule, corrupted (30% of pixels"
          + " flipped), recalled, and the figure (stored / cue / recalled per row) is written to"
          + " the current folder.",
      "With --neurons N, the older demo runs instead: random +-1 patterns, a table, no files.",
      "With --compare: 16 drawn letters (correlated, as real images are) stored in each rule and"
          + " memory kind of this build, recalled from the same noisy cues, one column each"
          + " (--images DIR/ saves the letters, e.g. for engram capacity)."
    },
    footer = {
      "",
      "Examples:",
      "  engram demo",
      "  engram demo --size 32x32 --noise 0.4 --seed 7 --out figure.png",
      "  engram demo --images demo-images/      # also save the built-in images, to train on",
      "  engram demo --neurons 1000 --patterns 20 --noise 0.3",
      "  engram demo --compare                  # writes engram-compare.png",
      "  engram demo --compare --occlude 0.5    # from the top half of each letter"
    })
final class DemoCommand implements Callable<Integer>, EngramCli.WholeRanges {

  @Spec CommandSpec spec;

  @Option(
      names = "--size",
      defaultValue = "128x128",
      paramLabel = "WxH",
      description =
          "Image size, N = W*H neurons (default: ${DEFAULT-VALUE}, as in the CANNs example).")
  String size;

  @Option(
      names = "--patterns",
      paramLabel = "P",
      description =
          "How many images to store, 1..4 (default: 4); with --compare, letters, 1..16 (default:"
              + " 16); with --neurons, random patterns (default: 6).")
  Integer patterns;

  @Option(
      names = "--noise",
      defaultValue = "0.3",
      paramLabel = "F",
      description = "Fraction of each cue's pixels flipped (default: ${DEFAULT-VALUE}).")
  double noise;

  @Option(
      names = "--occlude",
      paramLabel = "F",
      description =
          "Hide the bottom F of each cue (set to 0, unknown): the memory completes the image from the rest. --noise is then 0 unless given.")
  Double occlude;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Random seed of the noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      defaultValue = "engram-demo.png",
      paramLabel = "FILE.png",
      description = "The figure (default: ${DEFAULT-VALUE} in the current folder).")
  String out;

  @Option(
      names = "--images",
      paramLabel = "DIR/",
      description =
          "Also write the built-in images (as stored, +1 white) as PNGs into this folder.")
  String images;

  @Option(
      names = "--neurons",
      paramLabel = "N",
      description = "Run the random-pattern demo with N neurons instead (writes no files).")
  Integer neurons;

  @Option(
      names = "--compare",
      description =
          "Compare the rules and memory kinds on correlated letters (default size 32x32, noise"
              + " 0.2, figure engram-compare.png).")
  boolean compare;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    if (!(noise >= 0 && noise <= 1)) {
      throw new UserError("--noise must be in [0, 1], got " + noise);
    }
    noise += 0.0; // -0.0 is 0.0, not "-0% noise"
    if (compare) {
      return compareDemo();
    }
    if (neurons != null) {
      // the random-pattern demo prints a table and writes nothing: these were ignored without a
      // word (no images where --images asked for them)
      var given = spec.commandLine().getParseResult();
      for (String o : new String[] {"--out", "--images", "--size", "--occlude"}) {
        if (given.hasMatchedOption(o)) {
          throw new UserError(
              o
                  + " does not apply to --neurons: the random-pattern demo prints a table and"
                  + " writes no files ("
                  + (o.equals("--size")
                      ? "its N is --neurons"
                      : "the image demo, without --neurons, does")
                  + ")");
        }
      }
      return randomDemo(neurons, patterns == null ? 6 : patterns);
    }
    int p = patterns == null ? DemoImages.NAMES.size() : patterns;
    if (p < 1 || p > DemoImages.NAMES.size()) {
      throw new UserError(
          "--patterns must be in 1.." + DemoImages.NAMES.size() + " for the image demo, got " + p);
    }
    Images.Size s = Images.Size.parse(size);
    if (s.pixels() > 16384) {
      throw new UserError(
          "--size " + s + " is " + s.pixels() + " neurons; the demo allows up to 16384 (128x128)");
    }
    Path outFile = Outputs.file("--out", out);
    Outputs files = new Outputs().expectPng("--out", outFile);
    Corruption corruption = cues(noise);
    float[][] stored;
    float[][] cues;
    List<RecallResult> results;
    try (Progress bar = Progress.start("demo", 2L * p, Progress.enabled(quiet), System.err)) {
      stored = DemoImages.patterns(p, s);
      cues = CorruptCommand.corrupted(stored, corruption, seed);
      AmariHopfieldNetwork net = AmariHopfieldNetwork.create(s.pixels());
      HebbianTrainer.create(net).train(stored);
      for (int k = 0; k < p; k++) {
        bar.step();
      }
      results =
          net.recallBatch(
              cues, RecallOptions.defaults().withQueryListener((q, d, t, r) -> bar.step()));
    }
    float[][] recalled = new float[p][];
    int exact = 0;
    double before = 0;
    double after = 0;
    for (int k = 0; k < p; k++) {
      recalled[k] = results.get(k).state();
      double o = HopfieldAnalyzer.overlap(recalled[k], stored[k]);
      exact += o == 1.0 ? 1 : 0;
      after += o / p;
      before += HopfieldAnalyzer.overlap(cues[k], stored[k]) / p;
    }
    Figures.GridText text =
        new Figures.GridText(
            title(corruption, s.pixels(), seed),
            "stored",
            "cue",
            DemoImages.NAMES.subList(0, p),
            DemoImages.NAMES.subList(0, p));
    files.addPng("--out", outFile, Figures.recallGrid(stored, cues, recalled, s, text));
    if (images != null) {
      files.addImages(
          "--images", images, stored, s, new Inputs.Data(null, s, DemoImages.NAMES), "image");
    }
    files.write();
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "Engram demo: %d of %s came back exactly from cues %s (mean overlap %.3f -> %.3f;"
            + " %s); figure written to %s%s%n",
        exact,
        Words.count(p, "image"),
        described(corruption),
        before,
        after,
        Words.count(s.pixels(), "neuron"),
        Outputs.written(String.valueOf(out)),
        imagesWritten(p));
    w.flush();
    return 0;
  }

  /** {@code --compare}: the letters in every memory of this build, one column each. */
  private int compareDemo() throws java.io.IOException {
    if (neurons != null) {
      throw new UserError("--neurons and --compare do not go together");
    }
    var given = spec.commandLine().getParseResult();
    int p = patterns == null ? DemoLetters.NAMES.size() : patterns;
    if (p < 1 || p > DemoLetters.NAMES.size()) {
      throw new UserError(
          "--patterns must be in 1.." + DemoLetters.NAMES.size() + " for --compare, got " + p);
    }
    Images.Size s = Images.Size.parse(given.hasMatchedOption("--size") ? size : "32x32");
    if (s.pixels() > 4096) {
      throw new UserError(
          "--size " + s + " is " + s.pixels() + " neurons; --compare allows up to 4096 (64x64)");
    }
    Corruption corruption = cues(given.hasMatchedOption("--noise") ? noise : 0.2);
    Path file = Outputs.file("--out", given.hasMatchedOption("--out") ? out : "engram-compare.png");
    Outputs files = new Outputs().expectPng("--out", file);
    List<LabMemories.Entry> memories = LabMemories.compareColumns();
    float[][] stored = DemoLetters.patterns(p, s);
    float[][] cues = CorruptCommand.corrupted(stored, corruption, seed);
    List<CompareDemo.Column> columns;
    try (Progress bar =
        Progress.start("compare", memories.size(), Progress.enabled(quiet), System.err)) {
      columns = CompareDemo.run(stored, cues, memories, bar);
    }
    files.addPng(
        "--out", file, CompareDemo.figure(stored, cues, columns, s, described(corruption)));
    if (images != null) {
      files.addImages(
          "--images",
          images,
          stored,
          s,
          new Inputs.Data(null, s, DemoLetters.fileNames()),
          "letter");
    }
    files.write();
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "Engram demo --compare: %s of %s (%d neurons), cues %s:%n",
        Words.count(p, "letter"),
        s,
        s.pixels(),
        described(corruption));
    for (CompareDemo.Column c : columns) {
      w.printf(
          Locale.ROOT,
          "  %-22s %2d of %d recalled exactly, mean overlap %.3f%n",
          c.name() + ":",
          c.exact(),
          p,
          c.meanOverlap());
    }
    w.printf(
        Locale.ROOT,
        "figure written to %s%s%n",
        Outputs.written(String.valueOf(file)),
        imagesWritten(p));
    w.flush();
    return 0;
  }

  /**
   * The cues of the image and compare demos: {@code flip} of the pixels flipped (--noise, or its
   * default), or with --occlude the bottom share hidden, --noise then 0 unless given.
   */
  private Corruption cues(double flip) {
    if (occlude == null) {
      return Corruption.flip(flip);
    }
    if (!(occlude >= 0 && occlude <= 1)) {
      throw new UserError("--occlude must be in [0, 1], got " + occlude);
    }
    double f = spec.commandLine().getParseResult().hasMatchedOption("--noise") ? flip : 0;
    if (f + occlude > 1 + 1e-9) {
      throw new UserError(
          "--noise + --occlude must be at most 1 (each pixel of a cue is changed at most once), got "
              + f
              + " + "
              + occlude);
    }
    return Corruption.of(f, 0, occlude);
  }

  /**
   * {@code 30% flipped}, {@code with the bottom 50% hidden}, or both; shares as the capacity lab
   * writes them ({@code 0.4%}: "0%" was printed for 66 pixels hidden).
   */
  static String described(Corruption c) {
    if (c.occlude() == 0) {
      return flipped(c);
    }
    return c.flip() == 0 ? "with the " + hidden(c) : flipped(c) + ", the " + hidden(c);
  }

  private static String flipped(Corruption c) {
    return CapacityReport.percent(c.flip()) + " flipped";
  }

  private static String hidden(Corruption c) {
    return "bottom " + CapacityReport.percent(c.occlude()) + " hidden";
  }

  /** The closing line's note of the {@code count} images written with {@code --images}, if any. */
  private String imagesWritten(int count) {
    return images == null
        ? ""
        : "; "
            + count
            + " image"
            + (count == 1 ? "" : "s")
            + " written to "
            + EngramCli.printable(String.valueOf(images));
  }

  /**
   * The image demo's figure title: the neurons and how the cues were made, and the seed where the
   * cues drew something at random ({@link CorruptCommand#seeded}).
   */
  static String title(Corruption corruption, int pixels, long seed) {
    // (the neurons left out where both are said: the title was cut short)
    return "Engram demo: "
        + (corruption.occlude() == 0
            ? pixels + " neurons, cues " + flipped(corruption)
            : corruption.flip() == 0
                ? pixels + " neurons, " + hidden(corruption)
                : flipped(corruption) + ", " + hidden(corruption))
        + CorruptCommand.seeded(corruption, pixels, seed);
  }

  /** The most --neurons (random patterns). */
  static final int MAX_NEURONS = 20_000;

  /** The most --patterns of random patterns (with --neurons); the images and letters are fewer. */
  static final int MAX_RANDOM_PATTERNS = 10_000;

  @Override
  public long[] range(String option) {
    return switch (option) {
      case "--neurons" -> new long[] {1, MAX_NEURONS};
      case "--patterns" -> new long[] {1, MAX_RANDOM_PATTERNS};
      default -> null;
    };
  }

  private int randomDemo(int n, int count) {
    if (n < 1 || n > MAX_NEURONS) {
      throw new UserError("--neurons must be in 1.." + MAX_NEURONS + ", got " + n);
    }
    if (count < 1 || count > MAX_RANDOM_PATTERNS) {
      throw new UserError("--patterns must be in 1.." + MAX_RANDOM_PATTERNS + ", got " + count);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    float[][] stored = new float[count][n];
    for (float[] p : stored) {
      for (int i = 0; i < n; i++) {
        p[i] = rnd.nextBoolean() ? 1f : -1f;
      }
    }
    float[][] cues = CorruptCommand.flip(stored, noise, seed + 1);
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    // bars, as every other command has: --neurons 20000 --patterns 10000 stores for tens of
    // seconds and recalls for minutes, and printed nothing until its table
    boolean bars = Progress.enabled(quiet);
    try (Progress bar = Progress.start("storing", -1, bars, System.err)) {
      HebbianTrainer.create(net).train(PatternBlock.of(stored), bar::fraction);
    }
    List<RecallResult> results;
    try (Progress bar = Progress.start("recalling", count, bars, System.err)) {
      results =
          net.recallBatch(
              cues, RecallOptions.defaults().withQueryListener((q, d, t, r) -> bar.step()));
    }

    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "Engram demo: %s stored in a Hopfield network of %s (capacity about %d)%n",
        Words.count(count, "random +-1 pattern"),
        Words.count(n, "neuron"),
        net.storageCapacity());
    out.printf(
        Locale.ROOT,
        "each cue has %d of %s flipped (%.0f%% noise)%n%n",
        CorruptCommand.flips(noise, n),
        Words.count(n, "bit"),
        100 * noise);
    out.println("pattern  cue overlap  recalled overlap  steps  converged");
    int exact = 0;
    double sum = 0;
    for (int k = 0; k < count; k++) {
      RecallResult r = results.get(k);
      double before = HopfieldAnalyzer.overlap(cues[k], stored[k]);
      double after = HopfieldAnalyzer.overlap(r.state(), stored[k]);
      exact += after == 1.0 ? 1 : 0;
      sum += after;
      out.printf(
          Locale.ROOT,
          "%7d  %11.3f  %16.3f  %5d  %s%n",
          k + 1,
          before,
          after,
          r.steps(),
          r.converged() ? "yes" : "no");
    }
    out.printf(
        Locale.ROOT,
        "%n%d of %s came back exactly; mean overlap %.3f (1.0 = perfect recall)%n",
        exact,
        Words.count(count, "pattern"),
        sum / count);
    out.flush();
    return 0;
  }
}
