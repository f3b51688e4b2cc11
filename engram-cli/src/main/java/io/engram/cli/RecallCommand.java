package io.engram.cli;

import io.engram.internal.Json;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.StepListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engram recall}. */
@Command(
    addMethodSubcommands = false,
    name = "recall",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
    sortOptions = false,
    description = {
      "Recall stored patterns from noisy or partial cues.",
      "Each query starts at its cue and runs up to --iterations update steps, stopping early at"
          + " an exact fixed point (same output as running all steps). The model file is never"
          + " changed.",
      "Works on every memory kind: a modern memory retrieves in one step by default (X^T"
          + " softmax(beta X xi)), and its report names the best-matching stored pattern.",
      "Cues may be images (a file or a folder); recalled states can be written as images, and"
          + " the recall grid and energy plot drawn as PNG figures. A progress bar shows on"
          + " stderr when stderr is a terminal and recall takes more than a moment."
    },
    footer = {
      "",
      "Examples:",
      "  engram recall --model model.npz --queries noisy.npy --out recalled.npy",
      "  engram recall --model model.npz --queries noisy.npy --out r.npy --report report.json",
      "  engram recall --model model.npz --queries q.npy --out r.npy --update async --seed 7",
      "  engram recall --model model.npz --queries q.npy --out r.npy --activation tanh --temperature 0.5",
      "  engram recall --model model.npz --queries noisy/ --out recalled/ --grid grid.png --stored images/",
      "  engram recall --model model.npz --queries noisy.npy --size 64x64 --out r.npy --grid grid.png"
          + " --energy-plot energy.png",
      "  engram recall --model modern.npz --queries q.npy --out r.npy --report r.json --top-k 3"
    })
final class RecallCommand implements Callable<Integer>, EngramCli.WholeRanges {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description = "A model written by 'engram train'.")
  Path model;

  @Option(
      names = "--queries",
      required = true,
      paramLabel = "FILE|DIR",
      description =
          "Cues: .npy (B x N or 1-D), .csv, an image, or a folder of images, each of the model's length N; '-' reads standard input.")
  Path queries;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE|DIR/",
      description =
          "Recalled states: float32 .npy (B x N) written at exactly this path (.csv when it ends in .csv; '-' writes .npy to standard output, and the summary line to stderr); a folder (an existing one, or a path ending in /) gets one PNG per query.")
  String out;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      description =
          "Image shape of a pattern, for image output and figures (default: the cue images' size, else square).")
  String size;

  @Option(
      names = "--grid",
      paramLabel = "FILE.png",
      description =
          "Draw the recall figure: one row per query with (stored,) cue and recalled images and their overlaps.")
  String grid;

  @Option(
      names = "--stored",
      paramLabel = "FILE|DIR",
      description =
          "The stored patterns (file or image folder), row k matching query k, for the grid's first column and overlaps.")
  Path stored;

  @Option(
      names = "--energy-plot",
      paramLabel = "FILE.png",
      description = "Plot the energy of each query after every step.")
  String energyPlot;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar and no summary line.")
  boolean quiet;

  @Option(
      names = "--iterations",
      paramLabel = "K",
      description =
          "At most K update steps per query (default: 20 for a classical network, 1 for modern"
              + " memory); 0 returns the cues as they are. No cap and no run-until-converged: a"
              + " query that meets no stop by step K ends there, reported \"converged\": false; one"
              + " caught between two states ends at once, reported as after K steps (not with"
              + " --energy-plot or a tolerance, which follow every step).")
  Integer iterations;

  @Option(
      names = "--state-tolerance",
      paramLabel = "X",
      description =
          "Also stop when a step moves no value of the state by X or more (for continuous states, e.g. modern memory with --iterations above 1).")
  Double stateTolerance;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      description =
          "Modern memory: list the K best-matching stored patterns per query in the report (\"matches\"; default: only \"best\").")
  Integer topK;

  @Option(
      names = "--energy-tolerance",
      paramLabel = "X",
      description = "Also stop when a step changes the energy by less than X (for tanh/sigmoid).")
  Double energyTolerance;

  @Option(
      names = "--report",
      paramLabel = "FILE.json",
      description = "Write per-query steps, convergence and energy as JSON.")
  String report;

  @Mixin DynamicsOptions dynamics;

  @Override
  public long[] range(String option) {
    return switch (option) {
      case "--iterations" -> new long[] {0, Integer.MAX_VALUE};
      case "--top-k" -> new long[] {1, Integer.MAX_VALUE};
      default -> null;
    };
  }

  @Override
  public Integer call() throws Exception {
    if (iterations != null && iterations < 0) {
      throw new UserError("--iterations must be >= 0, got " + iterations);
    }
    Images.Size given = size == null ? null : Images.Size.parse(size);
    boolean folder = Outputs.isFolder(out);
    Path outFile = folder ? null : Outputs.file("--out", out);
    Path reportFile = report == null ? null : Outputs.file("--report", report);
    Path gridFile = grid == null ? null : Outputs.file("--grid", grid);
    Path energyFile = energyPlot == null ? null : Outputs.file("--energy-plot", energyPlot);
    Outputs files =
        new Outputs()
            .input("--model", model)
            .input("--queries", queries)
            .input("--stored", stored)
            .input("--order", dynamics.order)
            .expectData(
                "--out",
                outFile,
                "a file gets the recalled states as .npy (as .csv when its name ends in .csv)",
                "for images give a folder, --out DIR/ (one PNG per query)",
                ".npy",
                ".npz",
                ".csv")
            .expectData(
                "--report",
                reportFile,
                "--report is written as JSON",
                "give a name ending in .json",
                ".json")
            .expectPng("--grid", gridFile)
            .expectPng("--energy-plot", energyFile);
    Memory.reading(java.util.Arrays.asList(model, queries, stored));
    io.engram.network.Memory net = Inputs.readMemory("--model", model);
    if (net instanceof ModernHopfieldMemory m && m.size() == 0) {
      // (the library's "the memory stores no patterns yet" named no file)
      throw new UserError(
          model
              + ": the modern memory stores no patterns, so there is nothing to recall; store some"
              + " first (train --memory modern --init)");
    }
    if (Memory.inPlace(net)) {
      // the model's W stays in its file: what is read into memory is the queries
      Memory.reset();
      Memory.reading(java.util.Arrays.asList(queries, stored));
    }
    RecallOptions opts = recallOptions(net);
    if (topK != null && report == null) {
      // the matches are listed in the report only: without one, --top-k was ignored without a word
      throw new UserError(
          "--top-k lists the best matches in the report; give --report FILE.json too");
    }
    if (stored != null && grid == null) {
      // the stored patterns are the grid's first column and what its overlaps are against: without
      // a grid, --stored was read and ignored without a word
      throw new UserError(
          "--stored gives the --grid figure its first column and overlaps; give --grid FILE.png"
              + " too");
    }
    int n = net.numNeurons();
    if (given != null) {
      // checked only for image outputs and the grid: with a .npy --out a wrong size passed
      // without a word (and image cues were resized to it, then refused for their length)
      Inputs.sizeFitsModel(given, n);
    }
    Inputs.Data data =
        Inputs.naming(
            "--queries", queries, () -> Inputs.readQueries(queries, given, n, Progress.none()));
    // --size resizes image queries, or shapes image outputs (--out DIR/, --grid): with none of
    // them it did nothing, without a word
    Inputs.sizeApplies(given, data.size() != null || folder || grid != null, "--queries and --out");
    data.warn(spec.commandLine().getErr());
    float[][] q = Inputs.rows(data.block());
    // the queries, each one's current, next and previous state (RecallEngine: the previous one to
    // end a cycle of two states), and the output's bytes
    Memory.using(
        net, "recalling " + Words.count(q.length, "query"), 5 * Memory.floats(q.length, n));
    for (int i = 0; i < q.length; i++) {
      if (q[i].length != n) {
        throw new UserError(
            "--queries "
                + queries
                + ": query "
                + i
                + " has length "
                + q[i].length
                + ", but the model has N = "
                + Words.count(n, "neuron"));
      }
    }
    Inputs.checkSigns(net, data.block(), queries, "query");
    float[][] storedRows = null;
    List<String> storedNames = null;
    if (stored != null) {
      Images.Size storedSize = data.size() != null ? data.size() : given;
      Inputs.Data sd =
          Inputs.naming(
              "--stored",
              stored,
              () -> Inputs.read(java.util.List.of(stored), storedSize, Progress.none()));
      sd.warn(spec.commandLine().getErr());
      if (sd.block().length() != n || sd.block().count() != q.length) {
        throw new UserError(
            stored
                + ": --stored must hold one pattern of length "
                + n
                + " per query ("
                + q.length
                + "), got "
                + sd.block().count()
                + " of length "
                + sd.block().length());
      }
      storedRows = Inputs.rows(sd.block());
      storedNames = sd.names();
    }
    Images.Size shape = folder || grid != null ? data.imageSize(given, "--size") : null;

    EnergyTrace trace = energyPlot == null ? null : new EnergyTrace(q.length);
    if (trace != null) {
      opts = opts.withStepListener(trace);
    }
    List<RecallResult> results;
    try (Progress bar = Progress.start("recall", q.length, Progress.enabled(quiet), System.err)) {
      results = net.recallBatch(q, opts.withQueryListener((i, done, total, r) -> bar.step()));
    }
    List<RecallResult> weighed = results;
    if (report != null && net instanceof ModernHopfieldMemory && opts.maxIterations() == 0) {
      // no step ran, so no stored pattern was weighed: the report's "best" and "weight" (and
      // --top-k's list) are the cue's own, the weights a first step would use; the states stay
      // the cues (the report listed no match for any query before)
      weighed =
          net.recallBatch(
              q,
              opts.withMaxIterations(1)
                  .withStepListener(null)
                  .withReportEnergy(false)
                  .withoutEnergyTolerance());
    }

    if (report != null || trace != null) {
      for (int i = 0; i < results.size(); i++) {
        double e = results.get(i).energy();
        if (!Double.isFinite(e)) {
          // (the report wrote "energy": null for it, exit 0, where inspect --patterns refuses it)
          throw new UserError(
              queries
                  + ": the energy of query "
                  + i
                  + " is "
                  + e
                  + ", beyond float32 ("
                  + (net instanceof ModernHopfieldMemory
                      ? "the stored patterns are too large for an energy of these cues"
                      : "the model's weights are too large for an energy -1/2 s\u1d40Ws of these"
                          + " states")
                  + "); leave --report and --energy-plot out to recall without energies");
        }
      }
    }
    float[][] states = new float[q.length][];
    int converged = 0;
    List<Object> entries = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      RecallResult r = results.get(i);
      states[i] = r.state();
      converged += r.converged() ? 1 : 0;
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("steps", r.steps());
      e.put("converged", r.converged());
      e.put("energy", energyValue(net, r.energy()));
      List<RecallResult.Match> matches = weighed.get(i).matches();
      if (!matches.isEmpty()) {
        e.put("best", matches.get(0).index());
        e.put("weight", matches.get(0).weight());
        if (topK != null) {
          List<Object> ms = new ArrayList<>();
          for (RecallResult.Match m : matches) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("index", m.index());
            mm.put("weight", m.weight());
            ms.add(mm);
          }
          e.put("matches", ms);
        }
      }
      entries.add(e);
    }
    if (folder) {
      files.addImages("--out", out, states, shape, data, "recalled");
    } else {
      files.addRowsByName("--out", outFile, states, n);
    }
    if (report != null) {
      Map<String, Object> rep = new LinkedHashMap<>();
      rep.put("model", model.toString());
      rep.put("num_neurons", n);
      rep.put("memory", net.kind());
      rep.put("iterations", opts.maxIterations());
      rep.put("queries", entries);
      byte[] bytes = (Json.writePretty(rep) + "\n").getBytes(StandardCharsets.UTF_8);
      files.add("--report", reportFile, s -> s.write(bytes));
    }
    if (grid != null) {
      Figures.GridText text =
          new Figures.GridText(
              "recalled by " + model,
              "stored: " + stored,
              "cue: " + queries,
              Figures.GridText.names(storedNames, q.length),
              Figures.GridText.names(data.names(), q.length));
      files.addPng("--grid", gridFile, Figures.recallGrid(storedRows, q, states, shape, text));
    }
    if (trace != null) {
      files.addPng(
          "--energy-plot",
          energyFile,
          Figures.energyPlot(trace.energies(results), energyFormula(net)));
    }
    files.write();
    if (!quiet) {
      // concatenated, not printf: a process's first String.format costs 10-35 ms
      // (InspectCommand.bytes)
      spec.commandLine()
          .getOut()
          .println(
              "recalled "
                  + q.length
                  + " quer"
                  + (q.length == 1 ? "y" : "ies")
                  + " of N = "
                  + n
                  + ": "
                  + steps(net, opts.maxIterations(), converged)
                  + "; states written to "
                  + Outputs.written(out));
    }
    return 0;
  }

  /**
   * What the recall did, for the summary line: "0 converged within 1 step" said nothing of a modern
   * memory's one-step retrieval (a step that changes the cue is no fixed point, and is the
   * retrieval), nor of --iterations 0.
   */
  private static String steps(io.engram.network.Memory net, int iterations, int converged) {
    if (iterations == 0) {
      return "no step (--iterations 0): the cues as they are";
    }
    if (net instanceof ModernHopfieldMemory && iterations == 1) {
      return "one retrieval step each";
    }
    return converged
        + " converged (reached a fixed point) within "
        + Words.count(iterations, "step");
  }

  /**
   * The recall options for this memory kind: its defaults, then the flags; dynamics for the
   * classical network, top-k for modern memory (each an error for the other kind).
   */
  private RecallOptions recallOptions(io.engram.network.Memory memory) throws java.io.IOException {
    RecallOptions opts = memory.defaultRecallOptions();
    if (memory instanceof AmariHopfieldNetwork classical) {
      MemoryKinds.reject(spec, "a classical network (it applies to modern memory)", "--top-k");
      Dynamics used = dynamics.apply(classical.dynamics());
      dynamics.orderFits(used, classical.numNeurons(), "the model has");
      opts = opts.withDynamics(used);
      dynamics.temperatureApplies(opts.dynamics());
    } else {
      MemoryKinds.reject(spec, "modern memory", MemoryKinds.DYNAMICS);
      if (topK != null) {
        if (topK < 1) {
          throw new UserError("--top-k must be >= 1, got " + topK);
        }
        ModernHopfieldMemory m = (ModernHopfieldMemory) memory;
        opts = opts.withTopK(Math.min(topK, Math.max(1, m.size())));
      }
    }
    if (iterations != null) {
      opts = opts.withMaxIterations(iterations);
    }
    // (the library's messages name "energy tolerance", not the option)
    RecallOptions before = opts;
    if (energyTolerance != null) {
      opts =
          UserError.naming("--energy-tolerance", () -> before.withEnergyTolerance(energyTolerance));
    }
    RecallOptions withEnergy = opts;
    if (stateTolerance != null) {
      opts =
          UserError.naming(
              "--state-tolerance", () -> withEnergy.withStateTolerance(stateTolerance));
    }
    if (report == null && energyPlot == null) {
      // no output shows the energies: a query stopped at its limit (every one of a modern memory's
      // single step) would cost one more pass over the weights or the patterns for its energy
      opts = opts.withReportEnergy(false);
    }
    return opts;
  }

  /**
   * An energy of {@code memory} as a report holds it: a Float where the memory computes its
   * energies in float32 (the classical network; modern memory with softmax and exp), so that JSON
   * writes the shortest decimal that reads back as that float ({@code -38.079723}, not the widened
   * {@code -38.0797233581543}); a Double where they are float64 (the polynomial separations, whose
   * energies leave the float32 range).
   */
  static Object energyValue(io.engram.network.Memory memory, double energy) {
    boolean float64 = memory instanceof ModernHopfieldMemory m && !m.separation().usesBeta();
    return float64 ? (Object) energy : (Object) (float) energy;
  }

  /** The energy the plot of {@code net} shows, as a formula for its axis. */
  static String energyFormula(io.engram.network.Memory net) {
    if (net instanceof ModernHopfieldMemory m) {
      return switch (m.separation()) {
        case SOFTMAX ->
            "E = -lse(\u03b2, X\u03be) + \u00bd\u03be\u1d40\u03be + \u03b2\u207b\u00b9ln P + \u00bdM\u00b2";
        case EXP -> "E = -\u03b2\u207b\u00b9 ln \u03a3_\u03bc exp(\u03b2 x_\u03bc\u00b7\u03be)";
        case POLYNOMIAL -> "E = -\u03a3_\u03bc (x_\u03bc\u00b7\u03be)\u207f";
        case RECTIFIED -> "E = -\u03a3_\u03bc max(x_\u03bc\u00b7\u03be, 0)\u207f";
      };
    }
    return "E = -\u00bd s\u1d40Ws + \u03b8\u03a3s";
  }

  /**
   * Collects the energy after every step of every query the plot draws (thread-safe), in a bounded
   * space: every step up to {@link #KEPT} of them; beyond, the first and the last step and, between
   * them, the lowest and the highest energy of each of {@code KEPT / 4} runs of steps (what the
   * plot draws of a long recall, {@link Figures#addThinned}), made again as more steps come. A
   * cycle recalled for {@code --iterations 20000000} kept all 20 million energies of each query
   * (160 MB a query) and ran out of memory, with advice that named the reading of the input.
   */
  static final class EnergyTrace implements StepListener {

    /** The most points a query's trace holds before it is thinned to its envelope. */
    static final int KEPT = 4 * Figures.ENERGY_POINTS;

    /** Per query the plot draws (the first {@link Figures#MAX_ROWS}): its steps and energies. */
    private final int[][] steps;

    private final double[][] perQuery;

    private final int[] counts;

    EnergyTrace(int queries) {
      int drawn = Math.min(queries, Figures.MAX_ROWS);
      steps = new int[drawn][16];
      perQuery = new double[drawn][16];
      counts = new int[drawn];
    }

    @Override
    public synchronized void onStep(
        int query, int iteration, double energy, boolean converged, double change) {
      if (query >= perQuery.length) {
        return; // not drawn
      }
      if (iteration == 1) {
        add(query, 0, energy - change); // the cue's energy
      }
      add(query, iteration, energy);
    }

    private void add(int query, int step, double e) {
      int c = counts[query];
      if (c == perQuery[query].length) {
        if (c < KEPT) {
          int grown = Math.min(KEPT, c + (c >> 1));
          perQuery[query] = java.util.Arrays.copyOf(perQuery[query], grown);
          steps[query] = java.util.Arrays.copyOf(steps[query], grown);
        } else {
          c = thin(query);
        }
      }
      steps[query][c] = step;
      perQuery[query][c] = e;
      counts[query] = c + 1;
    }

    /**
     * Thins a full trace in place to its first and last point and the envelope between them (at
     * most {@code KEPT / 2 + 2} points); returns how many it keeps.
     */
    private int thin(int query) {
      int[] st = steps[query];
      double[] v = perQuery[query];
      int n = counts[query];
      int[] out = {1}; // the first point stays where it is
      Figures.envelope(
          st,
          v,
          n - 1,
          1,
          KEPT / 4,
          (step, energy) -> {
            st[out[0]] = step;
            v[out[0]] = energy;
            out[0]++;
          });
      st[out[0]] = st[n - 1];
      v[out[0]] = v[n - 1];
      return out[0] + 1;
    }

    /**
     * Per query: the cue's energy, then the energy after each step (all of them, or of a long
     * recall what {@link #thin} kept); a query of no steps: its final energy.
     */
    synchronized List<Figures.Trace> energies(List<RecallResult> results) {
      List<Figures.Trace> r = new ArrayList<>();
      for (int q = 0; q < results.size(); q++) {
        int c = q < counts.length ? counts[q] : 0;
        r.add(
            c == 0
                ? Figures.Trace.whole(new double[] {results.get(q).energy()})
                : new Figures.Trace(
                    java.util.Arrays.copyOf(steps[q], c), java.util.Arrays.copyOf(perQuery[q], c)));
      }
      return r;
    }
  }
}
