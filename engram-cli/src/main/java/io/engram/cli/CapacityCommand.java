package io.engram.cli;

import io.engram.analysis.CapacityPoint;
import io.engram.analysis.CapacitySweep;
import io.engram.analysis.Corruption;
import io.engram.analysis.PatternSource;
import io.engram.analysis.SweepWork;
import io.engram.learning.PatternBlock;
import io.engram.weights.DenseWeights;
import io.engram.weights.WeightsMode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram capacity}: the capacity lab. */
@Command(
    addMethodSubcommands = false,
    name = "capacity",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
    sortOptions = false,
    description = {
      "Measure how many patterns a memory holds: store P1 < P2 < ... patterns (random +-1, or"
          + " growing prefixes of your own data) and measure at each load the one-step error, the"
          + " share of stored patterns that are exact fixed points, the share of noisy cues"
          + " recalled exactly, the mean final overlap and the mean number of steps, over seeded"
          + " trials with 95% intervals.",
      "Prints a table; writes JSON, CSV and a plot with the theory beside it on request. The"
          + " trials run in parallel on all cores (fewer at a time where they would not fit the"
          + " heap together, and a sweep far beyond the heap is refused before it starts);"
          + " nothing is written until the sweep has finished."
    },
    footer = {
      "",
      "Examples:",
      "  engram capacity --rule hebbian --neurons 1000",
      "  engram capacity --neurons 500 --patterns 25,50,75,100 --plot c.png",
      "  engram capacity --neurons 400 --bias 0.3 --subtract-mean false",
      "  engram capacity --data images/ --size 32x32 --json mine.json",
      "  engram capacity --compare --data faces.npy --patterns 5,10,20,50 --plot which.png"
    })
final class CapacityCommand implements Callable<Integer>, EngramCli.WholeRanges {

  @Spec CommandSpec spec;

  @Option(
      names = "--rule",
      completionCandidates = Candidates.Rules.class,
      paramLabel = "R",
      description =
          "Learning rule of the classical network: hebbian (default), anti-hebbian, storkey or"
              + " pseudo-inverse.")
  String rule;

  @Option(
      names = "--compare",
      description =
          "Sweep every memory on the same patterns, loads and cues: the hebbian, storkey and"
              + " pseudo-inverse rules and modern memory (default beta), and say which holds the"
              + " most (--json, --csv and --plot then hold all four).")
  boolean compare;

  @Option(
      names = "--memory",
      completionCandidates = Candidates.Kinds.class,
      paramLabel = "KIND",
      description = "classical (default: the network trained with --rule) or modern.")
  String memory;

  @Option(
      names = "--beta",
      paramLabel = "B",
      description = "Inverse temperature of --memory modern (default: 1/sqrt(N), as engram train).")
  Double beta;

  @Option(
      names = "--neurons",
      paramLabel = "N",
      description = "N, the pattern length (required, unless --data gives it).")
  Integer neurons;

  @Option(
      names = "--patterns",
      paramLabel = "P1,P2,...",
      description =
          "The loads: numbers of patterns to store, increasing (default: 14 loads from 0.02 N"
              + " to 0.61 N; with --data, 1, 2, ... up to 20 patterns, or 10 loads up to all).")
  String loads;

  @Option(
      names = "--trials",
      defaultValue = "10",
      paramLabel = "T",
      description = "Trials per load, each with its own patterns (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(
      names = "--flip",
      paramLabel = "F",
      description =
          "Share of each cue's bits flipped (default: 0.1, or 0 with --erase or --occlude).")
  Double flip;

  @Option(
      names = "--erase",
      paramLabel = "F",
      description =
          "Share of each cue's bits set to 0 (unknown) at random positions other than the flipped ones: partial cues (default: 0).")
  Double erase;

  @Option(
      names = "--occlude",
      paramLabel = "F",
      description =
          "Share of each cue's bits at its end set to 0 (the bottom rows of an image): occluded cues (default: 0). --flip + --erase + --occlude is at most 1.")
  Double occlude;

  /** The cues of --flip, --erase and --occlude, once checked ({@link #check}). */
  private Corruption cues;

  /** --flip when neither --erase nor --occlude is given. */
  static final double DEFAULT_FLIP = 0.1;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Seed of the patterns and the noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--iterations",
      paramLabel = "K",
      description =
          "At most K recall steps from a cue (default: the memory's, 20 classical, 1 modern).")
  Integer iterations;

  @Option(
      names = "--subtract-mean",
      arity = "1",
      preprocessor = EngramCli.TrueOrFalse.class,
      paramLabel = "true|false",
      description =
          "Hebbian rules: centre the patterns by their mean, as engram train does (default: true;"
              + " no measurable difference for unbiased random patterns).")
  Boolean subtractMean;

  @Option(
      names = "--bias",
      paramLabel = "A",
      description = "Random patterns of mean activity A in (-1, 1): each bit +1 with p = (1+A)/2.")
  Double bias;

  @Option(
      names = "--correlation",
      paramLabel = "C",
      description =
          "Random patterns correlated through a common prototype: mean overlap C in [0, 1).")
  Double correlation;

  @Option(
      names = "--data",
      paramLabel = "FILE|DIR",
      description =
          "Your own +-1 patterns (.npy, .csv, an image or a folder of images), stored as growing"
              + " prefixes: how many of them can the memory hold?")
  Path data;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      description = "Resize --data images to W x H (default: the first image's size).")
  String size;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
  String json;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write the results as CSV.")
  String csv;

  @Option(
      names = "--plot",
      paramLabel = "FILE.png",
      description = "Draw the curves with the theory beside them (PNG).")
  String plot;

  @Option(
      names = "--time-limit",
      paramLabel = "DURATION",
      description =
          "Refuse a sweep estimated to take longer than this (default: 1h), e.g. 90s, 30m, 6h,"
              + " 2d, or none. The estimate is printed for a sweep of more than 10 s.")
  String timeLimit;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar and no time estimate (a sweep over the limit is refused).")
  boolean quiet;

  /** The default of {@code --time-limit}: a sweep estimated at more is refused up front. */
  static final long DEFAULT_LIMIT_SECONDS = 3600;

  /** Sweeps estimated at more than this many seconds have their estimate printed on stderr. */
  static final double SAY_ESTIMATE_SECONDS = 10;

  /**
   * The wall time the calibration may take ({@link CapacitySweep#calibrate}), about; it also
   * compiles the code the sweep then runs.
   */
  static final long CALIBRATION_NANOS = 4_000_000_000L;

  /**
   * Modelled work below which a sweep is not timed under the default limit: a few seconds at the
   * pace of sweeps of N = 512 and more on the project's machine, and under the default hour even at
   * the slowest pace measured there (5e7 a second, a small copy in a cold JVM).
   */
  static final double QUICK_WORK = 5e10;

  /** Modelled work below which a sweep is not timed even under a limit given with --time-limit. */
  static final double TINY_WORK = 1e7;

  /** What a run was: the settings and the memory's entry, for the reports. */
  record Run(
      LabMemories.Entry entry,
      String memoryKind,
      Boolean subtractMean,
      Double beta,
      int neurons,
      int trials,
      Corruption cues,
      long seed,
      Integer iterations,
      PatternSource source,
      Path data,
      List<CapacityPoint> points) {}

  @Override
  public Integer call() throws Exception {
    List<LabMemories.Entry> entries = entries();
    check();
    // the range first, with or without --data (before its file is read: "--neurons -1 does not
    // match the --data patterns of length 64" told no range)
    if (neurons != null && (neurons < 1 || neurons > DenseWeights.MAX_SIZE)) {
      throw new UserError("--neurons must be in 1.." + DenseWeights.MAX_SIZE + ", got " + neurons);
    }
    PatternSource source;
    int n;
    if (data != null) {
      PatternBlock block = readData();
      source = dataSource(block);
      n = block.length();
      if (neurons != null && neurons != n) {
        throw new UserError(
            "--neurons " + neurons + " does not match the --data patterns of length " + n);
      }
    } else {
      if (neurons == null) {
        throw new UserError("--neurons N is required (or --data, which gives N)");
      }
      n = neurons;
      source =
          bias != null
              ? PatternSource.biased(bias)
              : correlation != null
                  ? PatternSource.correlated(correlation)
                  : PatternSource.random();
    }
    if (data != null && !cues.varies(n) && trials > 1) {
      // (a trial draws nothing here: its patterns are the data in file order, its cues have no
      // random positions; 10 trials ran the same sweep 10 times, with intervals of 0. Told by the
      // counts: --erase 1e-300 erases no bit, --flip 1 flips every one, the same in every trial.
      // Said once every check has passed, as every note is: a refusal is one line)
      tell(
          "engram: note: with --data and cues without random positions (no value flipped or"
              + " erased, or all of them), every trial is the same; running 1 trial, not "
              + trials);
      trials = 1;
    }
    // with --compare, every memory at the first one's loads (the Hebbian rule's by default)
    int[] p = loads(entries.get(0), n, source.maxPatterns());
    int maxP = p[p.length - 1];
    Path jsonFile = json == null ? null : Outputs.file("--json", json);
    Path csvFile = csv == null ? null : Outputs.file("--csv", csv);
    Path plotFile = plot == null ? null : Outputs.file("--plot", plot);
    // every output checked before the sweep (not a folder, an input or another output), and before
    // its time is estimated: a sweep refused for its time as well was refused for that alone, a
    // time measured on a loaded machine, where the output was the problem (seen in CI)
    Outputs files =
        new Outputs()
            .input("--data", data)
            .expectData(
                "--json",
                jsonFile,
                "--json is written as JSON",
                "give a name ending in .json (for a picture of the curves give --plot FILE.png)",
                ".json")
            .expectData(
                "--csv",
                csvFile,
                "--csv is written as CSV text",
                "give a name ending in .csv (for a picture of the curves give --plot FILE.png)",
                ".csv")
            .expectPng("--plot", plotFile);
    int wanted = Math.min(trials, io.engram.Engram.parallelism());
    long heap = Memory.maxHeap();
    List<CapacitySweep> sweeps = new ArrayList<>();
    double limitSeconds = timeLimitSeconds();
    double seconds = 0;
    double slowest = -1;
    String slowestName = null;
    List<Double> estimates = new ArrayList<>();
    for (LabMemories.Entry entry : entries) {
      int atOnce = trialsAtOnce(entry.name(), n, maxP, wanted, heap);
      if (atOnce == 0) {
        // far beyond this JVM: say so now, not after the smaller loads have run for minutes
        throw new UserError(shortfall(entry.name(), n, maxP, 1, heap));
      }
      if (atOnce < wanted) {
        tell(
            "engram: running "
                + atOnce
                + " of the "
                + (compare ? entry.name() + " " : "")
                + "trials at a time, not "
                + wanted
                + ": "
                + Memory.shortfall(
                    sweepWork(n, maxP, wanted),
                    withMargin(sweepBytes(entry.name(), n, maxP, wanted)),
                    heap,
                    Memory.physical()));
      }
      CapacitySweep sweep =
          CapacitySweep.builder(entry.factory(), n)
              .source(source)
              .loads(p)
              .trials(trials)
              .corruption(cues)
              .seed(seed)
              .maxIterations(iterations == null ? 0 : iterations)
              .threads(atOnce)
              .build();
      noteMemory(entry.name(), n, maxP, atOnce);
      // (with --compare a sweep over the limit is refused with the others' time, by tellTotal: a
      // refusal of the first alone suggested a limit that the next one was refused under)
      double alone = estimateTime(entry.name(), sweep, limitSeconds, !compare);
      seconds += alone;
      if (alone > slowest) {
        slowest = alone;
        slowestName = entry.name();
      }
      sweeps.add(sweep);
      estimates.add(alone);
    }
    if (compare && seconds > limitSeconds && seconds <= limitSeconds * COLD_ERROR) {
      // over the limit: each sweep timed again, warm, before the refusal (retimed)
      seconds = 0;
      slowest = -1;
      for (int k = 0; k < sweeps.size(); k++) {
        double alone = retimed(sweeps.get(k), estimates.get(k), 0);
        seconds += alone;
        if (alone > slowest) {
          slowest = alone;
          slowestName = entries.get(k).name();
        }
      }
    }
    if (compare) {
      tellTotal(entries.size(), n, p, seconds, limitSeconds, slowestName, slowest);
    }
    // what the sweeps will be, once every check has passed: a refusal is one line (a line of
    // trials run fewer at a time, or of the time a sweep takes, came before a later refusal)
    PrintWriter err = spec.commandLine().getErr();
    for (String line : told) {
      err.println(line);
    }
    err.flush();
    List<Run> runs = new ArrayList<>();
    for (int k = 0; k < entries.size(); k++) {
      LabMemories.Entry entry = entries.get(k);
      CapacitySweep sweep = sweeps.get(k);
      List<CapacityPoint> points;
      try (Progress bar =
          Progress.start(
              "capacity " + entry.name(), sweep.totalWork(), Progress.enabled(quiet), System.err)) {
        points =
            sweep.run(
                new CapacitySweep.Listener() {
                  @Override
                  public void progress(long done, long total) {}

                  // the bar in modelled work, so that its time estimate holds from the first load
                  @Override
                  public void progressWork(double done, double total) {
                    bar.fraction((long) (1e6 * done / total), 1_000_000L);
                  }
                },
                null);
      }
      boolean modern = entry.name().equals(MemoryKinds.MODERN);
      runs.add(
          new Run(
              entry,
              compare
                  ? (modern ? MemoryKinds.MODERN : MemoryKinds.CLASSICAL)
                  : memory == null ? MemoryKinds.CLASSICAL : memory.trim().toLowerCase(Locale.ROOT),
              compare ? null : subtractMean,
              compare ? null : beta,
              n,
              trials,
              cues,
              seed,
              iterations,
              source,
              data,
              points));
    }
    if (json != null) {
      byte[] b =
          ((compare ? CapacityReport.compareJson(runs) : CapacityReport.json(runs.get(0))) + "\n")
              .getBytes(StandardCharsets.UTF_8);
      files.add("--json", jsonFile, s -> s.write(b));
    }
    if (csv != null) {
      byte[] b =
          (compare ? CapacityReport.compareCsv(runs) : CapacityReport.csv(runs.get(0)))
              .getBytes(StandardCharsets.UTF_8);
      files.add("--csv", csvFile, s -> s.write(b));
    }
    if (plot != null) {
      files.addPng(
          "--plot",
          plotFile,
          compare ? CapacityChart.drawCompared(runs) : CapacityChart.draw(runs.get(0)));
    }
    files.write();
    // the table goes to stdout, unless an output took it (--json -): then to stderr, after it
    boolean taken =
        Outputs.STDOUT.equals(jsonFile)
            || Outputs.STDOUT.equals(csvFile)
            || Outputs.STDOUT.equals(plotFile);
    PrintWriter table = taken ? spec.commandLine().getErr() : spec.commandLine().getOut();
    for (Run run : runs) {
      table.print(CapacityReport.table(run));
      if (compare) {
        table.println();
      }
    }
    if (compare) {
      table.print(CapacityReport.compareTable(runs));
    }
    table.flush();
    return 0;
  }

  /** Lines for stderr, written once every check has passed ({@link #call}). */
  private final List<String> told = new ArrayList<>();

  private void tell(String line) {
    told.add(line);
  }

  /**
   * With --compare: the sweeps' time together, said when it is over {@link #SAY_ESTIMATE_SECONDS}
   * and refused over the limit (each was checked alone by {@link #estimateTime}).
   */
  private void tellTotal(
      int memories,
      int n,
      int[] p,
      double seconds,
      double limitSeconds,
      String slowestName,
      double slowest) {
    String what =
        "these "
            + memories
            + " capacity sweeps (N = "
            + n
            + ", "
            + loadsText(p)
            + ", "
            + Words.count(trials, "trial")
            + " each)";
    if (seconds > limitSeconds) {
      throw new UserError(
          what
              + " would take about "
              + duration(seconds)
              + " in all, more than the limit of "
              + limit(limitSeconds)
              + "; "
              + Math.round(100 * slowest / seconds)
              + "% of it is the "
              + slowestName
              + " sweep. Sweep fewer neurons, loads or trials (--neurons, --patterns, --trials), or give"
              + " --time-limit "
              + suggestedLimit(seconds)
              + " to run them");
    }
    if (seconds > SAY_ESTIMATE_SECONDS && !quiet) {
      tell("engram: " + what + " should take about " + duration(seconds) + " in all");
    }
  }

  /**
   * Tells the sweep's time before it starts, from its work ({@link CapacitySweep#work()}) and a
   * measured pace ({@link CapacitySweep#calibrate}): one line on stderr when it is over {@link
   * #SAY_ESTIMATE_SECONDS} (not with {@code -q}), and refused (exit 2, one line) when it is over
   * the limit. A sweep too small to matter is not timed; a calibration that fails leaves the sweep
   * to fail (or not) on its own. With {@code alone} false (one of --compare's sweeps) it only
   * returns the estimate: the sum is told or refused by {@link #tellTotal}.
   */
  private double estimateTime(
      String memoryName, CapacitySweep sweep, double limitSeconds, boolean alone) {
    SweepWork work = sweep.work();
    if (work.total() < (timeLimit == null ? QUICK_WORK : TINY_WORK)
        || limitSeconds == Double.POSITIVE_INFINITY && quiet) {
      return 0;
    }
    CapacitySweep.Pace pace;
    try {
      pace = sweep.calibrate(CALIBRATION_NANOS, null);
    } catch (java.util.concurrent.CancellationException e) {
      throw e;
    } catch (RuntimeException e) {
      return 0;
    }
    double seconds = sweep.seconds(pace);
    if (alone && seconds > limitSeconds && seconds <= limitSeconds * COLD_ERROR) {
      seconds = retimed(sweep, seconds, limitSeconds);
    }
    if (alone && seconds > limitSeconds) {
      throw new UserError(refusal(memoryName, work, sweep.neurons(), seconds, limitSeconds));
    }
    if (alone && seconds > SAY_ESTIMATE_SECONDS && !quiet) {
      tell(
          "engram: "
              + describe(memoryName, work, sweep.neurons())
              + " should take about "
              + duration(seconds)
              + " (from timed copies of it, the largest at N = "
              + pace.neurons()
              + ")");
    }
    return seconds;
  }

  /**
   * A sweep's time estimated again before it is refused for it: calibrated anew, up to {@value
   * #RETIMINGS} times while the estimate is over {@code limitSeconds} and the last calibration
   * brought it down by a fifth or more; the least estimate. The first calibration runs the sweep's
   * code cold, and on a busy machine the JIT (its threads sharing the cores with everything else)
   * may not have compiled it by the time the copies' rounds look settled: their paces were then 5
   * to 20 times too slow (a sweep of 20 s estimated at 2 to 7 min, one of 25 s at 5 min, at load
   * 5-9), enough to refuse a sweep well within the limit. Later calibrations run the code the
   * earlier ones compiled; a sweep truly over the limit stays over in all of them, and is refused
   * after one more calibration where the estimate no longer falls (at once where the first estimate
   * is more than {@value #COLD_ERROR} times the limit).
   */
  private static double retimed(CapacitySweep sweep, double seconds, double limitSeconds) {
    return retimed(
        () -> sweep.seconds(sweep.calibrate(CALIBRATION_NANOS, null)), seconds, limitSeconds);
  }

  /** {@link #retimed(CapacitySweep, double, double)} with the estimates {@code again} gives. */
  static double retimed(
      java.util.function.DoubleSupplier again, double seconds, double limitSeconds) {
    for (int k = 0; k < RETIMINGS && seconds > limitSeconds; k++) {
      double next;
      try {
        next = again.getAsDouble();
      } catch (java.util.concurrent.CancellationException e) {
        throw e;
      } catch (RuntimeException e) {
        break;
      }
      boolean fell = next * 5 < seconds * 4;
      seconds = Math.min(seconds, next);
      if (!fell) {
        break;
      }
    }
    return seconds;
  }

  /** The most calibrations {@link #retimed} runs again. */
  static final int RETIMINGS = 3;

  /**
   * How far over the limit a first estimate may be and still be timed again ({@link #retimed}):
   * beyond the worst error of a cold calibration seen (20 times), the sweep is refused at once.
   */
  static final double COLD_ERROR = 30;

  /** {@code storkey, N = 4000, 11 loads up to P = 2400, 10 trials}. */
  static String describe(String memory, SweepWork work, int n) {
    int[] p = work.loads();
    return "this capacity sweep ("
        + memory
        + ", N = "
        + n
        + ", "
        + loadsText(p)
        + ", "
        + Words.count(work.trials(), "trial")
        + ")";
  }

  /** {@code P = 20}, or {@code 11 loads up to P = 2400}. */
  private static String loadsText(int[] p) {
    return p.length == 1 ? "P = " + p[0] : p.length + " loads up to P = " + p[p.length - 1];
  }

  /** The one line of a sweep over the limit: the estimate, where it goes, what to do. */
  static String refusal(String memory, SweepWork work, int n, double seconds, double limitSeconds) {
    int l = work.largestLoad();
    double training = work.training()[l];
    double recall = work.recall()[l];
    String part =
        training > 2 * recall
            ? "training"
            : recall > 2 * training ? "recall" : "training and recall";
    return describe(memory, work, n)
        + " would take about "
        + duration(seconds)
        + ", more than the limit of "
        + limit(limitSeconds)
        + "; "
        + Math.round(100 * work.share(l))
        + "% of it is the "
        + part
        + " at P = "
        + work.loads()[l]
        + ". Sweep fewer neurons, loads or trials (--neurons, --patterns, --trials), or give"
        + " --time-limit "
        + suggestedLimit(seconds)
        + " to run it";
  }

  /** A limit above the estimate, by half of it, in whole units ({@code 90m}, {@code 4d}). */
  static String suggestedLimit(double seconds) {
    double s = seconds * 1.5;
    if (s < 3600) {
      return (long) Math.ceil(s / 60) + "m";
    }
    if (s < 2 * 86400) {
      return (long) Math.ceil(s / 3600) + "h";
    }
    return (long) Math.ceil(s / 86400) + "d";
  }

  /**
   * A {@code --time-limit} as the user gave it, exactly: {@code 90 s}, {@code 30 min}, {@code 1
   * hour}, {@code 2 days}, {@code 500 ms}, in the largest unit that holds it in whole numbers.
   * ({@link #duration} rounds an estimate: a limit of 90 s read "the limit of 2 min", and an
   * estimate of 100 s "about 2 min, more than the limit of 2 min".) A limit no unit holds whole is
   * written with its decimals in the largest unit it fills, or in ms below 1 ms: {@code 1.5 ms},
   * {@code 0.0001 ms} ({@link #duration} rounded those to 2 ms and 1 ms).
   */
  static String limit(double seconds) {
    String[] units = {" day", " hour", " min", " s", " ms"};
    double[] sizes = {86400, 3600, 60, 1, 0.001};
    for (int u = 0; u < units.length; u++) {
      double v = seconds / sizes[u];
      if (v >= 1 && v <= MAX_LIMIT_SECONDS && Math.abs(v - Math.rint(v)) < 1e-12 * v) {
        long whole = Math.round(v);
        boolean plural = whole != 1 && (u == 0 || u == 1);
        return whole + units[u] + (plural ? "s" : "");
      }
    }
    int u = 0;
    while (u < units.length - 1 && seconds < sizes[u]) {
      u++;
    }
    // 12 significant digits: those of the value given, without the noise of the unit's division
    // (closer to whole than 1e-12 was taken as whole above; 1e-9 took 10^12 s for 277777778 hours)
    double v = seconds / sizes[u];
    String digits =
        new java.math.BigDecimal(v)
            .round(new java.math.MathContext(12))
            .stripTrailingZeros()
            .toPlainString();
    boolean plural = u <= 1 && v != 1;
    return digits + units[u] + (plural ? "s" : "");
  }

  /**
   * {@code 0.4 s}, {@code 40 s}, {@code 12 min}, {@code 3.5 hours}, {@code 2.1 days}, {@code 3
   * years}.
   */
  static String duration(double seconds) {
    if (seconds < 1) {
      return Math.max(1, Math.round(seconds * 1000)) + " ms";
    }
    if (seconds >= 3600 && seconds < 48 * 3600 && seconds % 3600 == 0) {
      long h = (long) (seconds / 3600);
      return h + (h == 1 ? " hour" : " hours");
    }
    if (seconds < 90) {
      return oneDecimal(seconds) + " s";
    }
    if (seconds < 90 * 60) {
      return Math.round(seconds / 60) + " min";
    }
    if (seconds < 48 * 3600) {
      return oneDecimal(seconds / 3600) + " hours";
    }
    if (seconds < 730 * 86400) {
      return oneDecimal(seconds / 86400) + " days";
    }
    return oneDecimal(seconds / (365.25 * 86400)) + " years";
  }

  private static String oneDecimal(double v) {
    return v < 10 ? String.format(Locale.ROOT, "%.1f", v) : Long.toString(Math.round(v));
  }

  /**
   * {@code --time-limit} in seconds: the default hour, a duration ({@code 90s}, {@code 30m}, {@code
   * 1.5h}, {@code 2d}, {@code 500ms}, {@code 1e4s}, or ISO-8601 {@code PT2H}), or {@code none}
   * (infinity).
   */
  double timeLimitSeconds() {
    if (timeLimit == null) {
      return DEFAULT_LIMIT_SECONDS;
    }
    return parseLimit(timeLimit);
  }

  /** The longest {@code --time-limit}: 10^12 seconds (some 31,700 years). */
  static final double MAX_LIMIT_SECONDS = 1e12;

  static double parseLimit(String given) {
    String t = given.trim().toLowerCase(Locale.ROOT);
    if (t.equals("none") || t.equals("unlimited")) {
      return Double.POSITIVE_INFINITY;
    }
    UserError bad =
        new UserError(
            "--time-limit must be a duration such as 90s, 30m, 6h or 2d, or none; got '"
                + given
                + "'");
    boolean negative = t.startsWith("-");
    if (negative) {
      t = t.substring(1).strip(); // '-1h', '-PT1H': a duration, but below 0 (named so below)
    }
    double seconds;
    if (t.startsWith("p")) { // ISO-8601, PT2H
      try {
        java.time.Duration d = java.time.Duration.parse(t);
        // not toMillis: PT0.0001S was 0 ms, and so no time at all
        seconds = d.getSeconds() + d.getNano() / 1e9;
      } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
        throw bad;
      }
    } else {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "(\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)\\s*(ms|s|sec|m|min|h|d)")
              .matcher(t);
      if (!m.matches()) {
        throw bad;
      }
      double v = Double.parseDouble(m.group(1));
      seconds =
          switch (m.group(2)) {
            case "ms" -> v / 1000;
            case "s", "sec" -> v;
            case "m", "min" -> v * 60;
            case "h" -> v * 3600;
            default -> v * 86400;
          };
    }
    if (negative) {
      seconds = -seconds;
    }
    if (!(seconds > 0)) {
      // '0s' was told it "must be a duration", which it is
      throw new UserError(
          "--time-limit must be more than 0 (or none for no limit); got '" + given + "'");
    }
    if (seconds > MAX_LIMIT_SECONDS) {
      throw new UserError(
          "--time-limit must be at most 10^12 seconds (some 31,700 years; or none for no limit);"
              + " got '"
              + given
              + "'");
    }
    return seconds;
  }

  /** Notes the heap the sweep needs ({@link #sweepBytes}), for the out-of-memory advice. */
  static void noteMemory(String memory, int n, int maxP, int atOnce) {
    Memory.need(sweepWork(n, maxP, atOnce), sweepBytes(memory, n, maxP, atOnce));
  }

  /** What a sweep of {@code atOnce} trials at a time lacks in a heap of {@code heap} bytes. */
  private static String shortfall(String memory, int n, int maxP, int atOnce, long heap) {
    return Memory.shortfall(
        sweepWork(n, maxP, atOnce), sweepBytes(memory, n, maxP, atOnce), heap, Memory.physical());
  }

  private static String sweepWork(int n, int maxP, int atOnce) {
    return "a capacity sweep of N = "
        + n
        + " up to P = "
        + maxP
        + " ("
        + atOnce
        + (atOnce == 1 ? " trial" : " trials")
        + " at a time)";
  }

  /**
   * The heap a sweep needs, about: per trial running at once, its patterns, cues and their copies
   * (about 7 P N floats at the largest load P) and the memory's weights: N x N for the rules that
   * keep dense weights, twice that for Storkey's (its update runs on a copy), N x N and some 6 P x
   * P floats for the pseudo-inverse (the Gram matrix in float32 and float64, its factor in float64
   * and float32), about 2 P N for low-rank Hebbian weights and a modern memory. Checked against the
   * least {@code -Xmx} that ran (2026-11-30): Storkey N = 4000 up to 1000, one trial, 240 MB
   * estimated, ran in 250 MB and not in 200; two trials 480 MB, ran in 500 and not in 400;
   * pseudo-inverse N = 4000 up to 2000, 368 MB, ran in 370 and not in 320; N = 2000 up to 1900, 220
   * MB, ran in 250 and not in 200; low-rank Hebbian N = 8000 up to 1000, two trials, 576 MB, ran in
   * 600 and not in 450; modern N = 2000 up to 4000, two trials, 576 MB, ran in 450.
   */
  static long sweepBytes(String memory, int n, int maxP, int atOnce) {
    long pn = Memory.floats(maxP, n);
    long weights =
        switch (memory) {
          case "storkey" -> 2 * Memory.floats(n, n);
          case "pseudo-inverse" -> Memory.floats(n, n) + 6 * Memory.floats(maxP, maxP);
          case "modern" -> 2 * pn;
          default -> WeightsMode.lowRankIsCheaper(n, maxP, 1) ? 2 * pn : Memory.floats(n, n);
        };
    return (long) atOnce * (7 * pn + weights);
  }

  /**
   * How many of the trials to run at once so that the sweep fits a heap of {@code heap} bytes:
   * {@code wanted}, or fewer when their estimate ({@link #sweepBytes}, a quarter more for what it
   * leaves out, and 64 MiB for the rest of the program) exceeds the heap (the results do not depend
   * on it; a trial alone uses the threads in its kernels); at least 1; but 0 (refused before
   * anything runs) when one trial's estimate alone is more than 1.5 times the heap (the estimates
   * above are within about a fifth of what the sweeps needed).
   */
  static int trialsAtOnce(String memory, int n, int maxP, int wanted, long heap) {
    long one = sweepBytes(memory, n, maxP, 1);
    if (one > heap + heap / 2) {
      return 0;
    }
    int k = Math.max(1, wanted);
    while (k > 1) {
      if (withMargin(sweepBytes(memory, n, maxP, k)) <= heap) {
        break;
      }
      k--;
    }
    return k;
  }

  /**
   * The heap that trials needing {@code b} bytes are run in together only if it has: a quarter
   * more, and 64 MiB for the rest (and what the message names: "2 trials need 5.22 GiB; this JVM
   * may use 5.89 GiB" read as though they fitted).
   */
  static long withMargin(long b) {
    return b + b / 4 + (64L << 20);
  }

  /** The memories to sweep: the one asked for, or with --compare the four. */
  private List<LabMemories.Entry> entries() {
    if (!compare) {
      return List.of(entry());
    }
    for (String o : new String[] {"--rule", "--memory", "--beta", "--subtract-mean"}) {
      if (MemoryKinds.given(spec, o)) {
        throw new UserError(
            o
                + (o.equals("--rule") || o.equals("--memory")
                    ? " chooses one memory"
                    : " sets an option of one memory")
                + ", and --compare sweeps all of them (hebbian, storkey, pseudo-inverse, modern)"
                + " with their defaults; leave one of the two out");
      }
    }
    return List.of(
        LabMemories.rule("hebbian", null),
        LabMemories.rule("storkey", null),
        LabMemories.rule("pseudo-inverse", null),
        LabMemories.memory(MemoryKinds.MODERN, null));
  }

  /** The memory to measure, from --rule / --memory, and the options that apply to it. */
  private LabMemories.Entry entry() {
    // the kind first: an unknown one was taken for modern memory, and the options that depend on
    // the kind were named instead ("--rule applies to the classical network, not to --memory foo")
    boolean modern = memory != null && MemoryKinds.parse(memory).equals(MemoryKinds.MODERN);
    if (modern) {
      // (in train's words: MemoryKinds.reject)
      MemoryKinds.reject(spec, "modern memory", "--rule", "--subtract-mean");
      return LabMemories.memory(memory, beta);
    }
    MemoryKinds.reject(spec, "the classical network (it applies to --memory modern)", "--beta");
    return LabMemories.rule(rule == null ? "hebbian" : rule, subtractMean);
  }

  /** The most --trials. */
  static final int MAX_TRIALS = 100_000;

  /** The most --iterations. */
  static final int MAX_ITERATIONS = 100_000;

  @Override
  public long[] range(String option) {
    return switch (option) {
      case "--neurons" -> new long[] {1, DenseWeights.MAX_SIZE};
      case "--trials" -> new long[] {1, MAX_TRIALS};
      case "--iterations" -> new long[] {1, MAX_ITERATIONS};
      default -> null;
    };
  }

  private void check() {
    givenLoads(); // (parsed again by loads(): a file name given there is named first)
    timeLimitSeconds();
    if (trials < 1 || trials > MAX_TRIALS) {
      throw new UserError("--trials must be in 1.." + MAX_TRIALS + ", got " + trials);
    }
    // (-0.0 comes back as 0.0: it was printed as "-0%" and "-0.0" in the header, title and JSON)
    cues = CorruptCommand.corruption(flip, erase, occlude, DEFAULT_FLIP);
    if (iterations != null && (iterations < 1 || iterations > MAX_ITERATIONS)) {
      throw new UserError("--iterations must be in 1.." + MAX_ITERATIONS + ", got " + iterations);
    }
    // a float: the memory computes in float32
    if (beta != null) {
      ModernTraining.positiveFloat32("--beta", beta);
    }
    int sources = (bias != null ? 1 : 0) + (correlation != null ? 1 : 0) + (data != null ? 1 : 0);
    if (sources > 1) {
      throw new UserError("give at most one of --bias, --correlation and --data");
    }
    if (bias != null && !(bias > -1 && bias < 1)) {
      throw new UserError("--bias must be in (-1, 1), got " + bias);
    }
    if (correlation != null && !(correlation >= 0 && correlation < 1)) {
      throw new UserError("--correlation must be in [0, 1), got " + correlation);
    }
    if (size != null && data == null) {
      throw new UserError("--size applies to --data images only");
    }
    // -0.0 passes the checks above and is zero, but printed as "-0%" and "-0.0" (the header, the
    // plot's title, the JSON): from here on it is 0.0
    bias = bias == null ? null : bias + 0.0;
    correlation = correlation == null ? null : correlation + 0.0;
  }

  private PatternBlock readData() throws java.io.IOException {
    if (!Files.exists(data)) {
      // (a name too long for the system was "no such file or folder" too)
      String why =
          Files.notExists(data) && !Files.isSymbolicLink(data)
              ? "no such file or folder"
              : io.engram.io.Npy.notFound(data).getReason();
      throw new UserError("--data " + data + ": " + why);
    }
    Images.Size given = size == null ? null : Images.Size.parse(size);
    Inputs.Data d =
        Inputs.naming("--data", data, () -> Inputs.read(List.of(data), given, Progress.none()));
    PatternBlock block = d.block();
    if (block.isEmpty()) {
      throw new UserError("--data " + data + ": holds no patterns");
    }
    if (given != null && d.size() == null) {
      // an array's length is N: --size would resize nothing, and was ignored without a word
      throw new UserError(
          "--size applies to --data images only; "
              + data
              + " holds patterns of length "
              + block.length()
              + ", not images");
    }
    // images of mixed sizes: the warning line train and recall print
    d.warn(spec.commandLine().getErr());
    return block;
  }

  private PatternSource dataSource(PatternBlock block) {
    try {
      return PatternSource.of(block);
    } catch (IllegalArgumentException e) {
      throw new UserError("--data " + data + ": " + e.getMessage(), e);
    }
  }

  /**
   * A --patterns value that is not a number; a file name there (as {@code engram train --patterns}
   * takes one) gets told where a file goes.
   */
  private static UserError notALoad(String s) {
    boolean file =
        s.contains("/") || s.contains(java.io.File.separator) || s.matches(".*\\.\\p{Alpha}\\w*");
    return new UserError(
        "--patterns: '"
            + s
            + "' is not a whole number"
            + EngramCli.asciiDigitsHint(s)
            + (file
                ? " (--patterns takes the loads, numbers of patterns such as 25,50,100; to"
                    + " measure your own patterns give them with --data FILE)"
                : ""));
  }

  /**
   * The --patterns values as numbers (null when not given), each part a whole number, else {@link
   * #notALoad}; before anything else is asked of the command line ({@link #check}), so that a file
   * name there is named first.
   */
  private int[] givenLoads() {
    if (loads == null) {
      return null;
    }
    String[] parts = loads.split(",", -1);
    int[] p = new int[parts.length];
    for (int i = 0; i < p.length; i++) {
      String s = parts[i].trim();
      try {
        p[i] = (int) EngramCli.wholeNumber(s, Integer.MIN_VALUE, Integer.MAX_VALUE);
      } catch (NumberFormatException e) {
        if (s.matches("[+-]?[0-9]+")) {
          // a whole number out of int's range: it was called "not a whole number"
          throw new UserError(
              s.startsWith("-")
                  ? "--patterns must be >= 1, got " + s
                  : "--patterns "
                      + s
                      + " is too large (a load is at most "
                      + Integer.MAX_VALUE
                      + " patterns)");
        }
        throw notALoad(s);
      }
    }
    return p;
  }

  /** The loads: --patterns checked, or the default sweep of the memory (or of the data). */
  private int[] loads(LabMemories.Entry entry, int n, int available) {
    if (loads == null) {
      return available < Integer.MAX_VALUE
          ? spread(available)
          : defaultLoads(entry.defaultLoads(), n);
    }
    int[] p = givenLoads();
    for (int i = 0; i < p.length; i++) {
      if (p[i] < 1) {
        throw new UserError("--patterns must be >= 1, got " + p[i]);
      }
      if (i > 0 && p[i] <= p[i - 1]) {
        throw new UserError(
            "--patterns must increase without repeats, got " + p[i] + " after " + p[i - 1]);
      }
    }
    int max = p[p.length - 1];
    if (max > available) {
      throw new UserError(
          "--patterns "
              + max
              + " is more than the "
              + Words.count(available, "pattern")
              + " in --data");
    }
    if ((long) max * n > Integer.MAX_VALUE - 8) {
      throw new UserError(
          "--patterns " + max + " with N = " + n + " is too many values for one array");
    }
    return p;
  }

  /** {@code round(α N)} for each default α, at least 1, repeats dropped. */
  static int[] defaultLoads(double[] alphas, int n) {
    List<Integer> p = new ArrayList<>();
    for (double a : alphas) {
      int v = Math.max(1, (int) Math.round(a * n));
      if (p.isEmpty() || v > p.get(p.size() - 1)) {
        p.add(v);
      }
    }
    return p.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Every load up to {@code count} when it is at most 20, else 10 spread evenly up to it. */
  static int[] spread(int count) {
    if (count <= 20) {
      return java.util.stream.IntStream.rangeClosed(1, count).toArray();
    }
    double[] fractions = new double[10];
    for (int i = 0; i < 10; i++) {
      fractions[i] = (i + 1) / 10.0;
    }
    return defaultLoads(fractions, count);
  }
}
