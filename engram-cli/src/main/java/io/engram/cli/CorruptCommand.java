package io.engram.cli;

import io.engram.analysis.Corruption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram corrupt}: noisy cues, reproducibly. */
@Command(
    addMethodSubcommands = false,
    name = "corrupt",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
    sortOptions = false,
    description = {
      "Make noisy or partial cues: flip the sign of a fraction of each pattern's values, erase"
          + " a fraction to 0 (unknown), or occlude its end (the bottom rows of an image).",
      "The positions are chosen at random from --seed (the same seed gives the same cues)."
          + " Exactly round(flip * N) distinct positions are flipped per pattern, as CANNs'"
          + " example does, and round(erase * N) others erased. A 0 adds nothing to a neuron's"
          + " field: recall completes the pattern from the values left."
    },
    footer = {
      "",
      "Examples:",
      "  engram corrupt --patterns memories.npy --flip 0.3 --seed 42 --out noisy.npy",
      "  engram corrupt --patterns images/ --size 64x64 --flip 0.3 --seed 42 --out noisy/",
      "  engram corrupt --patterns images/ --size 64x64 --occlude 0.5 --out halves.npy"
    })
final class CorruptCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--patterns",
      required = true,
      paramLabel = "FILE|DIR",
      description =
          "Patterns: .npy, .csv, an image or a folder of images. Repeatable, each file once.")
  List<Path> patterns;

  @Option(
      names = "--flip",
      paramLabel = "F",
      description =
          "Fraction of values flipped per pattern, 0..1 (default: 0.3, or 0 with --erase or --occlude).")
  Double flip;

  @Option(
      names = "--erase",
      paramLabel = "F",
      description =
          "Fraction of values set to 0 per pattern, at random positions other than the flipped ones, 0..1 (default: 0).")
  Double erase;

  @Option(
      names = "--occlude",
      paramLabel = "F",
      description =
          "Fraction of values at the end of each pattern set to 0: the bottom rows of an image, 0..1 (default: 0). --flip + --erase + --occlude is at most 1.")
  Double occlude;

  /** --flip when neither --erase nor --occlude is given. */
  static final double DEFAULT_FLIP = 0.3;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE|DIR/",
      description =
          "The cues: float32 .npy at exactly this path (.csv when it ends in .csv); a folder (existing, or ending in /) gets one PNG per pattern.")
  String out;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      description =
          "Resize images to W x H; also the shape of PNG output for .npy/.csv input (default: square).")
  String size;

  @Option(
      names = {"-q", "--quiet"},
      description = "No summary line.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    Corruption corruption = corruption(flip, erase, occlude, DEFAULT_FLIP);
    Images.Size given = size == null ? null : Images.Size.parse(size);
    boolean folder = Outputs.isFolder(out);
    Outputs files =
        new Outputs()
            .inputs("--patterns", patterns)
            .expectData(
                "--out",
                folder ? null : Outputs.file("--out", out),
                "a file gets the cues as .npy (as .csv when its name ends in .csv)",
                "for images give a folder, --out DIR/ (one PNG per pattern)",
                ".npy",
                ".npz",
                ".csv");
    Memory.reading(patterns);
    Inputs.Data data =
        Inputs.naming("--patterns", patterns, () -> Inputs.read(patterns, given, Progress.none()));
    data.warn(spec.commandLine().getErr());
    // --size resizes image patterns, or shapes the images of a folder --out
    Inputs.sizeApplies(given, data.size() != null || folder, "--patterns and --out");
    if (data.block().isEmpty()) {
      throw new UserError("no patterns to corrupt");
    }
    int p = data.block().count();
    int n = data.block().length();
    // the block as read and the noisy rows; the .npy output is streamed from the rows
    Memory.need(
        "corrupting " + Words.count(p, "pattern") + " of length " + n, 2 * Memory.floats(p, n));
    // the rows are copies already: flipped where they are, not copied again
    float[][] noisy = Inputs.rows(data.block());
    long zeros = corruptCounting(noisy, corruption, seed);
    if (zeros > 0) {
      // a sign flip leaves 0 as it was: 0/1 data (a thresholded image saved as 0/1) came out
      // unchanged where it was 0, and the summary would count those as flipped
      spec.commandLine()
          .getErr()
          .println(
              "engram: warning: "
                  + zeros
                  + " of the "
                  + (long) corruption.flips(n) * p
                  + " values flipped were 0, which a sign flip leaves 0 (corrupt negates values,"
                  + " as for +1/-1 patterns; for 0/1 data, map it to +1/-1 first: 2x - 1)");
      spec.commandLine().getErr().flush();
    }
    if (folder) {
      files.addImages("--out", out, noisy, data.imageSize(given, "--size"), data, "noisy");
    } else {
      files.addRowsByName("--out", Outputs.file("--out", out), noisy, data.block().length());
    }
    files.write();
    if (folder && (corruption.erase() > 0 || corruption.occlude() > 0)) {
      // (recall --queries halves/ read the gray as black or white: nothing was completed)
      spec.commandLine()
          .getErr()
          .println(
              "engram: note: the PNGs show erased and occluded values as gray; an image read as a"
                  + " cue is thresholded to +1/-1, which loses them: recall partial cues from a .npy"
                  + " or .csv of them (--out cues.npy)");
      spec.commandLine().getErr().flush();
    }
    if (!quiet) {
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "%s of %s in %s%s; written to %s%n",
              done(
                  corruption,
                  n,
                  flip != null
                      ? null
                      : erase != null ? "erased" : occlude != null ? "occluded" : null),
              Words.count(n, "value"),
              noisy.length == 1 ? "the 1 pattern" : "each of " + noisy.length + " patterns",
              seeded(corruption, n, seed),
              Outputs.written(String.valueOf(out)));
    }
    return 0;
  }

  /**
   * " (seed S)" where cues of N values made by {@code c} draw something at random, else nothing:
   * occlusion alone draws nothing, any seed gives the same cues, and naming one said otherwise
   * (corrupt's summary, the demo's title).
   */
  static String seeded(Corruption c, int n, long seed) {
    return c.varies(n) ? " (seed " + seed + ")" : "";
  }

  /**
   * The cues of --flip, --erase and --occlude (corrupt's and capacity's): --flip is {@code
   * defaultFlip} where neither --erase nor --occlude is given, else 0 unless given (a series of
   * --erase 0, 0.1, ... had the default flip in its first cues only); an option not given is 0. The
   * library's refusals ({@link Corruption#of}) name the options.
   */
  static Corruption corruption(Double flip, Double erase, Double occlude, double defaultFlip) {
    double f = flip != null ? flip : erase == null && occlude == null ? defaultFlip : 0;
    try {
      return Corruption.of(f, erase == null ? 0 : erase, occlude == null ? 0 : occlude);
    } catch (IllegalArgumentException e) {
      // "erase must be in [0, 1], got -0.1", "flip + erase + occlude must be at most 1 ..."
      throw new UserError(
          e.getMessage()
              .replace("flip", "--flip")
              .replace("erase", "--erase")
              .replace("occlude", "--occlude"));
    }
  }

  /** round(fraction * n). */
  static int flips(double fraction, int n) {
    return Corruption.flip(fraction).flips(n);
  }

  /**
   * What the corruption does to a pattern of n values: {@code flipped 3}, {@code flipped 3, erased
   * 2 and occluded 5}; a cue left as it is names the option given, {@code given} ({@code --erase
   * 0}: "erased 0", not "flipped 0"), or is {@code flipped 0} ({@code given} null: --flip, or
   * none).
   */
  static String done(Corruption c, int n, String given) {
    List<String> parts = new java.util.ArrayList<>();
    if (c.isNone() && given != null) {
      return given + " 0";
    }
    if (c.flip() > 0 || c.isNone()) {
      parts.add("flipped " + c.flips(n));
    }
    if (c.erase() > 0) {
      parts.add("erased " + c.erasures(n));
    }
    if (c.occlude() > 0) {
      parts.add("occluded " + c.occluded(n));
    }
    return Words.all(parts);
  }

  /**
   * Copies of the rows with round(fraction * N) distinct positions each negated, positions drawn
   * from a generator seeded with {@code seed} (rows in order).
   */
  static float[][] flip(float[][] rows, double fraction, long seed) {
    return corrupted(rows, Corruption.flip(fraction), seed);
  }

  /** Copies of the rows corrupted by {@code c} ({@link #corruptCounting}), rows in order. */
  static float[][] corrupted(float[][] rows, Corruption c, long seed) {
    float[][] r = new float[rows.length][];
    for (int k = 0; k < rows.length; k++) {
      r[k] = rows[k].clone();
    }
    corruptCounting(r, c, seed);
    return r;
  }

  /** {@link #flip} on the rows themselves (the same positions for the same seed); returns them. */
  static float[][] flipInPlace(float[][] r, double fraction, long seed) {
    flipCounting(r, fraction, seed);
    return r;
  }

  /**
   * {@link #flipInPlace}, returning how many of the values flipped were zero (which a sign flip
   * leaves zero).
   */
  static long flipCounting(float[][] r, double fraction, long seed) {
    return corruptCounting(r, Corruption.flip(fraction), seed);
  }

  /**
   * The rows corrupted in place, in order, by one generator seeded with {@code seed}; returns how
   * many of the values flipped were zero.
   */
  static long corruptCounting(float[][] r, Corruption c, long seed) {
    long zeros = 0;
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] positions = new int[r.length == 0 ? 0 : r[0].length];
    for (float[] row : r) {
      if (positions.length < row.length) {
        positions = new int[row.length];
      }
      zeros += c.apply(row, rnd, positions);
    }
    return zeros;
  }
}
