package io.engram.cli;

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
      "Make noisy cues: flip the sign of a fraction of each pattern's values.",
      "The positions are chosen at random from --seed (the same seed gives the same cues)."
          + " Exactly round(flip * N) distinct positions are flipped per pattern, as CANNs'"
          + " example does."
    },
    footer = {
      "",
      "Examples:",
      "  engram corrupt --patterns memories.npy --flip 0.3 --seed 42 --out noisy.npy",
      "  engram corrupt --patterns images/ --size 64x64 --flip 0.3 --seed 42 --out noisy/"
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
      defaultValue = "0.3",
      paramLabel = "F",
      description = "Fraction of values flipped per pattern, 0..1 (default: ${DEFAULT-VALUE}).")
  double flip;

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
          "Noisy patterns: float32 .npy at exactly this path (.csv when it ends in .csv); a folder (existing, or ending in /) gets one PNG per pattern.")
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
    if (!(flip >= 0 && flip <= 1)) {
      throw new UserError("--flip must be in [0, 1], got " + flip);
    }
    Images.Size given = size == null ? null : Images.Size.parse(size);
    boolean folder = Outputs.isFolder(out);
    Outputs files =
        new Outputs()
            .inputs("--patterns", patterns)
            .expectData(
                "--out",
                folder ? null : Outputs.file("--out", out),
                "a file gets the noisy patterns as .npy (as .csv when its name ends in .csv)",
                "for images give a folder, --out DIR/ (one PNG per pattern)",
                ".npy",
                ".npz",
                ".csv");
    Memory.reading(patterns);
    Inputs.Data data = Inputs.read(patterns, given, Progress.none());
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
    long zeros = flipCounting(noisy, flip, seed);
    if (zeros > 0) {
      // a sign flip leaves 0 as it was: 0/1 data (a thresholded image saved as 0/1) came out
      // unchanged where it was 0, and the summary would count those as flipped
      spec.commandLine()
          .getErr()
          .println(
              "engram: warning: "
                  + zeros
                  + " of the "
                  + (long) flips(flip, n) * p
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
    if (!quiet) {
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "flipped %d of %s in %s (seed %d); written to %s%n",
              flips(flip, data.block().length()),
              Words.count(data.block().length(), "value"),
              noisy.length == 1 ? "the 1 pattern" : "each of " + noisy.length + " patterns",
              seed,
              EngramCli.printable(String.valueOf(out)));
    }
    return 0;
  }

  /** round(fraction * n). */
  static int flips(double fraction, int n) {
    return (int) Math.round(fraction * n);
  }

  /**
   * Copies of the rows with round(fraction * N) distinct positions each negated, positions drawn
   * from a generator seeded with {@code seed} (rows in order).
   */
  static float[][] flip(float[][] rows, double fraction, long seed) {
    float[][] r = new float[rows.length][];
    for (int k = 0; k < rows.length; k++) {
      r[k] = rows[k].clone();
    }
    return flipInPlace(r, fraction, seed);
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
    long zeros = 0;
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int k = 0; k < r.length; k++) {
      int n = r[k].length;
      // a partial Fisher-Yates shuffle picks the positions without repeats
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      int m = flips(fraction, n);
      for (int i = 0; i < m; i++) {
        int j = i + rnd.nextInt(n - i);
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        float v = r[k][idx[i]];
        zeros += v == 0f ? 1 : 0;
        r[k][idx[i]] = -v;
      }
    }
    return zeros;
  }
}
