package io.engram.cli;

import io.engram.analysis.CapacityTheory;
import io.engram.analysis.HopfieldAnalyzer;
import io.engram.internal.Json;
import io.engram.io.ModelFile;
import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.WeightScan;
import io.engram.weights.Weights;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code engram inspect}. */
@Command(
    addMethodSubcommands = false,
    name = "inspect",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
    description =
        "Describe a model: neurons, stored patterns, weights, capacity, symmetry, dynamics; for modern memory its kind, separation, beta or n, P and N.",
    footer = {
      "",
      "Examples:",
      "  engram inspect model.npz",
      "  engram inspect model.npz --patterns memories.npy   # adds pattern energies and overlaps",
      "  engram inspect model.npz --patterns images/ --size 64x64",
      "  engram inspect model.npz --json",
      "  engram inspect model.npz --heatmap W.png"
    })
final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model written by 'engram train'.")
  Path model;

  @Option(
      names = "--patterns",
      paramLabel = "FILE",
      description =
          "The stored patterns (.npy/.csv/images), to report their energies and whether they are fixed points.")
  Path patterns;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      description =
          "The shape --patterns images are resized to, of N pixels (default: their own size when it has N pixels, else the square of N).")
  String size;

  @Option(names = "--json", description = "Print JSON for scripts instead of text.")
  boolean json;

  @Option(
      names = "--heatmap",
      paramLabel = "FILE.png",
      description = "Also draw the weight matrix as a heat map (block means above N = 256).")
  String heatmap;

  @Override
  public Integer call() throws Exception {
    if (MemoryKinds.MODERN.equals(MemoryKinds.of("MODEL", model))) {
      return ModernInspect.run(this);
    }
    sizeFor(-1);
    Path heatmapFile = heatmap == null ? null : Outputs.file("--heatmap", heatmap);
    Outputs files =
        new Outputs()
            .input("MODEL", model)
            .input("--patterns", patterns)
            .expectPng("--heatmap", heatmapFile);
    Memory.reading(java.util.Arrays.asList(model, patterns));
    AmariHopfieldNetwork net = Inputs.readModel("MODEL", model);
    Memory.using(
        net,
        "inspecting",
        !net.weights().isDense() && net.numNeurons() <= MAX_LOW_RANK_SCAN
            ? Memory.floats(net.numNeurons(), net.numNeurons())
            : 0);
    PatternBlock stored = PatternBlock.empty();
    if (patterns != null) {
      stored = readPatterns(net.numNeurons()).block();
    }
    if (!stored.isEmpty() && stored.length() != net.numNeurons()) {
      throw new UserError(
          patterns
              + ": patterns have length "
              + stored.length()
              + ", but the model has N = "
              + net.numNeurons());
    }
    Map<String, Object> r = describe(net, stored);
    if (heatmap != null) {
      files.addPng("--heatmap", heatmapFile, Figures.weightHeatmap(net.weights())).write();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.writePretty(r));
    } else {
      printText(out, r, plusMinusOne(stored));
    }
    out.flush();
    return 0;
  }

  /** Largest N whose low-rank weights inspect forms densely to report their range. */
  static final int MAX_LOW_RANK_SCAN = 8192;

  /** The rule of the network's last training call (hebbian for an untrained one). */
  static String lastRule(AmariHopfieldNetwork net) {
    return net.history().isEmpty() ? "hebbian" : net.history().get(net.history().size() - 1).rule();
  }

  /**
   * The capacity of the rule that trained the network last (Hebb's 0.14 N says nothing about the
   * pseudo-inverse, which holds up to N independent patterns, nor about Storkey's rule), as inspect
   * and train's summary line give it.
   */
  static long capacityEstimate(AmariHopfieldNetwork net) {
    int n = net.numNeurons();
    return switch (lastRule(net)) {
      case "pseudo-inverse" -> n;
      // N / sqrt(2 ln N) has no value at N = 1 (ln 1 = 0): inspect of such a model failed
      case "storkey" -> n < 2 ? 1 : Math.round(CapacityTheory.storkey(n));
      default -> net.storageCapacity();
    };
  }

  static Map<String, Object> describe(AmariHopfieldNetwork net, PatternBlock stored) {
    Map<String, Object> r = new LinkedHashMap<>();
    int n = net.numNeurons();
    r.put("num_neurons", n);
    r.put("stored_patterns", net.storedPatterns());
    r.put("training_calls", net.history().size());
    r.put("weights", net.weights().representation().id());
    r.put("weights_bytes", net.weights().memoryBytes());
    String rule = lastRule(net);
    long capacity = capacityEstimate(net);
    r.put("capacity_estimate", capacity);
    r.put(
        "capacity_basis",
        switch (rule) {
          case "pseudo-inverse" -> "N: every linearly independent pattern is a fixed point";
          case "storkey" ->
              n < 2
                  ? "1: one neuron holds one pattern (Storkey's N / sqrt(2 ln N) from N = 2)"
                  : "N / sqrt(2 ln N) (Storkey)";
          default -> "0.14 N, the Hebbian rule on random patterns";
        });
    r.put("capacity_usage", capacity == 0 ? 0.0 : (double) net.storedPatterns() / capacity);
    double sym = HopfieldAnalyzer.symmetryError(net.weights());
    r.put("symmetry_error", Double.isNaN(sym) ? null : (Object) sym);
    Weights w = net.weights();
    // the weights' own float32 values (as Float: JSON writes the shortest decimal of the float)
    float diag = 0;
    for (int i = 0; i < n; i++) {
      diag = Math.max(diag, Math.abs(w.get(i, i)));
    }
    r.put("max_abs_diagonal", diag);
    // the range needs every entry: read in place for dense weights; for low-rank ones up to N =
    // 8192 counted from bits where the patterns allow it, else formed (256 MiB); beyond that it is
    // not reported
    if (w.isDense() || n <= MAX_LOW_RANK_SCAN) {
      float[] range = WeightScan.range(w);
      r.put("weight_min", range[0]);
      r.put("weight_max", range[1]);
    } else {
      r.put("weight_min", null);
      r.put("weight_max", null);
    }
    Map<String, Object> facts = ModelFile.describeWeights(w);
    if (facts.containsKey("rank")) {
      r.put("rank", facts.get("rank"));
    }
    Dynamics d = net.dynamics();
    Map<String, Object> dyn = new LinkedHashMap<>();
    dyn.put("activation", d.activation().id());
    dyn.put("temperature", d.temperature());
    dyn.put("threshold", d.threshold());
    dyn.put("update", d.updateMode().toString());
    r.put("dynamics", dyn);
    r.put("history", markRules(ModelFile.historyJson(net.history())));
    if (!stored.isEmpty()) {
      HopfieldAnalyzer a = HopfieldAnalyzer.of(net, stored);
      // once (statistics() computes them again: a product of one column per pattern)
      double[] patternEnergies = a.patternEnergies();
      HopfieldAnalyzer.Statistics st = a.statistics(patternEnergies);
      List<Object> energies = new ArrayList<>();
      for (double e : patternEnergies) {
        energies.add((float) e); // the network's energy is float32 (exact in the double)
      }
      r.put("pattern_energies", energies);
      r.put("pattern_energy_mean", st.meanEnergy());
      r.put("pattern_energy_std", st.stdEnergy());
      r.put("patterns_that_are_fixed_points", fixedPoints(net, stored));
      int m = overlapSample(stored.count(), n);
      if (m >= 2) {
        r.put("pattern_mean_overlap", meanOverlap(stored, m));
        r.put("pattern_mean_overlap_of", m);
        r.put("random_mean_overlap", Math.sqrt(2 / (Math.PI * n)));
      }
      r.put("last_rule", rule);
    }
    return r;
  }

  /**
   * The history entries with {@code engram_rule} after each {@code rule}: whether the rule is one
   * of Engram's own ({@link LabMemories#RULES}); false for a program's own {@code LearningRule} or
   * a name edited into the file, which the text output marks {@code (not one of Engram's rules)}.
   * The JSON gave such a name without a mark.
   */
  static List<Object> markRules(List<Object> history) {
    List<Object> marked = new ArrayList<>(history.size());
    for (Object o : history) {
      @SuppressWarnings("unchecked")
      Map<String, Object> h = (Map<String, Object>) o;
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : h.entrySet()) {
        m.put(e.getKey(), e.getValue());
        if (e.getKey().equals("rule")) {
          m.put("engram_rule", LabMemories.RULES.contains(e.getValue()));
        }
      }
      marked.add(m);
    }
    return marked;
  }

  /** Patterns recalled together by {@link #fixedPoints(AmariHopfieldNetwork, PatternBlock)}. */
  static final int FIXED_POINT_BATCH = 256;

  /**
   * How many of the patterns one step leaves exactly as they are, each recalled from itself for one
   * step: in batches of {@link #FIXED_POINT_BATCH} (one product of many columns a step, where one
   * recall per pattern made a product of one column each). A batch's element is identical to that
   * pattern's recall alone ({@link AmariHopfieldNetwork#recall(float[],
   * io.engram.network.RecallOptions, int)}); its query index only orders a seeded asynchronous
   * sweep, and whether a sweep changes a state does not depend on the order (the first neuron in
   * any order that would change the state does so, all before it having left it as it was).
   */
  static int fixedPoints(AmariHopfieldNetwork net, PatternBlock stored) {
    var once = io.engram.network.RecallOptions.defaults().withMaxIterations(1);
    int fixed = 0;
    for (int k0 = 0; k0 < stored.count(); k0 += FIXED_POINT_BATCH) {
      float[][] cues = new float[Math.min(FIXED_POINT_BATCH, stored.count() - k0)][];
      for (int c = 0; c < cues.length; c++) {
        cues[c] = stored.row(k0 + c);
      }
      for (var res : net.recallBatch(cues, once)) {
        fixed += res.converged() ? 1 : 0;
      }
    }
    return fixed;
  }

  /** At most this many multiply-adds for the mean overlap of the given patterns (2^26). */
  static final long OVERLAP_WORK = 1L << 26;

  /**
   * How many of the first patterns the mean overlap is taken over: all of them while their pairs
   * take about {@link #OVERLAP_WORK} multiply-adds at most (182 patterns of N = 4096), fewer for
   * longer ones (12 of N = 10^6).
   */
  static int overlapSample(int count, int n) {
    long m = (long) Math.floor(Math.sqrt(2.0 * OVERLAP_WORK / n)) + 1;
    return (int) Math.min(count, Math.max(2, m));
  }

  /** The mean of |x·y| / N over the pairs of the first {@code m} patterns. */
  static double meanOverlap(PatternBlock stored, int m) {
    double sum = 0;
    for (int a = 0; a < m; a++) {
      float[] x = stored.row(a);
      for (int b = a + 1; b < m; b++) {
        sum += Math.abs(HopfieldAnalyzer.overlap(x, stored.row(b)));
      }
    }
    return sum / ((double) m * (m - 1) / 2);
  }

  /** Whether every value of the patterns is +1 or -1. */
  static boolean plusMinusOne(PatternBlock stored) {
    for (int k = 0; k < stored.count(); k++) {
      for (float v : stored.row(k)) {
        if (v != 1 && v != -1) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The report as text; {@code pm1}: whether the --patterns are +-1 values, the only ones whose
   * overlap the hint may compare with random +-1 patterns'.
   */
  private static void printText(PrintWriter out, Map<String, Object> r, boolean pm1) {
    out.printf(Locale.ROOT, "neurons            %d%n", r.get("num_neurons"));
    out.printf(
        Locale.ROOT,
        "stored patterns    %d in %s%n",
        r.get("stored_patterns"),
        Words.count(((Number) r.get("training_calls")).longValue(), "training call"));
    out.printf(
        Locale.ROOT,
        "weights            %s, %s%n",
        r.get("weights"),
        bytes(((Number) r.get("weights_bytes")).longValue()));
    out.printf(
        Locale.ROOT,
        "capacity           about %s (%s); usage %.0f%%%n",
        Words.count(((Number) r.get("capacity_estimate")).longValue(), "pattern"),
        r.get("capacity_basis"),
        100 * ((Number) r.get("capacity_usage")).doubleValue());
    Object sym = r.get("symmetry_error");
    out.printf(
        Locale.ROOT,
        "symmetry error     %s%n",
        sym == null
            ? "n/a (all-zero weights)"
            : String.format(Locale.ROOT, "%.3g (|W-Wt|/|W|)", ((Number) sym).doubleValue()));
    if (r.get("weight_min") != null) {
      out.printf(
          Locale.ROOT,
          "weight range       [%s, %s], max |diagonal| %s%n",
          number(r.get("weight_min")),
          number(r.get("weight_max")),
          number(r.get("max_abs_diagonal")));
    } else {
      out.printf(
          Locale.ROOT,
          "weight range       not scanned (low-rank, N > %d), max |diagonal| %.3g%n",
          MAX_LOW_RANK_SCAN,
          r.get("max_abs_diagonal"));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> dyn = (Map<String, Object>) r.get("dynamics");
    out.printf(
        Locale.ROOT,
        "dynamics           %s activation, T = %s, threshold = %s, %s%n",
        dyn.get("activation"),
        number(dyn.get("temperature")),
        number(dyn.get("threshold")),
        updates(String.valueOf(dyn.get("update"))));
    @SuppressWarnings("unchecked")
    List<Object> hist = (List<Object>) r.get("history");
    for (int i = 0; i < hist.size(); i++) {
      @SuppressWarnings("unchecked")
      Map<String, Object> h = (Map<String, Object>) hist.get(i);
      out.printf(
          Locale.ROOT,
          "training call %-4d %s rule%s, P = %s, N = %s, %s%n",
          i + 1,
          h.get("rule"),
          // a rule of a program's own (LearningRule is the library's extension point), or a name
          // edited into the file: it was shown as if Engram had such a rule
          Boolean.TRUE.equals(h.get("engram_rule")) ? "" : " (not one of Engram's rules)",
          h.get("patterns"),
          h.get("neurons"),
          h.get("rho") == null ? "not centred" : "rho = " + number(h.get("rho")));
      if (h.get("options") instanceof Map<?, ?> o && !o.isEmpty()) {
        out.printf(Locale.ROOT, "                   %s%n", options(o));
      }
    }
    if (r.containsKey("pattern_energies")) {
      out.printf(
          Locale.ROOT,
          "pattern energies   mean %s, std %s; %s%n",
          number(r.get("pattern_energy_mean")),
          number(r.get("pattern_energy_std")),
          fixedPoints(
              ((Number) r.get("patterns_that_are_fixed_points")).longValue(),
              ((List<?>) r.get("pattern_energies")).size()));
      long count = ((List<?>) r.get("pattern_energies")).size();
      long loose = count - ((Number) r.get("patterns_that_are_fixed_points")).longValue();
      if (r.containsKey("pattern_mean_overlap")) {
        double mean = ((Number) r.get("pattern_mean_overlap")).doubleValue();
        double random = ((Number) r.get("random_mean_overlap")).doubleValue();
        long of = ((Number) r.get("pattern_mean_overlap_of")).longValue();
        out.printf(
            Locale.ROOT,
            "pattern overlap    %s, the mean |x.y|/N of two%s (random +/-1: %.3f)%n",
            // three decimals as an overlap of +-1 patterns has them; real values can make it
            // large: six significant digits then (it printed 38 digits and ".000")
            Math.abs(mean) < 1000 ? String.format(Locale.ROOT, "%.3f", mean) : number(mean),
            of < count ? " of the first " + of : "",
            random);
        // the capacity line speaks of random patterns: correlated data (images) that the rule
        // blends were left without a word on what to do
        // only for +-1 patterns (|x.y|/N of real values grows with their scale: independent
        // values of 100 were called correlated) and a rule that stores them (anti-hebbian
        // unlearns them, so that they are not fixed points)
        Object last = r.get("last_rule");
        if (loose > 0
            && pm1
            && ("hebbian".equals(last) || "storkey".equals(last))
            && mean > 3 * random) {
          out.printf(
              Locale.ROOT,
              "hint               the patterns are correlated, and the %s rule%n"
                  + "                   blends such patterns far below its capacity for random"
                  + " ones;%n"
                  + "                   the pseudo-inverse rule (train --rule pseudo-inverse)"
                  + " or%n"
                  + "                   modern memory (train --memory modern) stores them%n",
              r.get("last_rule"));
        }
      }
    }
  }

  /**
   * {@code --size}, checked: it resizes {@code --patterns} images, so it needs them, and it has the
   * model's N pixels ({@code n}; -1 before the model is read). The warning of cue images of another
   * size names it, and inspect had none: the step-by-step example of docs/CLI.md warned on its last
   * line and left no way to choose the shape.
   */
  Images.Size sizeFor(int n) {
    if (size == null) {
      return null;
    }
    Images.Size given = Images.Size.parse(size);
    if (patterns == null) {
      throw new UserError("--size resizes the --patterns images; give --patterns too");
    }
    if (n >= 0) {
      Inputs.sizeFitsModel(given, n);
    }
    return given;
  }

  /**
   * The {@code --patterns} of a model of {@code n} neurons, their warnings written; a file that
   * holds none is an error.
   */
  Inputs.Data readPatterns(int n) throws java.io.IOException {
    Images.Size given = sizeFor(n);
    Inputs.Data data =
        Inputs.naming(
            "--patterns",
            patterns,
            () -> Inputs.read(List.of(patterns), given, n, Progress.none()));
    if (data.block().isEmpty()) {
      // (an empty file was taken, and the report left its pattern lines out without a word)
      throw new UserError("--patterns " + patterns + ": holds no patterns");
    }
    Inputs.sizeApplies(given, data.size() != null, "--patterns");
    data.warn(spec.commandLine().getErr());
    return data;
  }

  /** {@code 2 of 3 patterns are fixed points}, {@code 1 of 1 pattern is a fixed point}. */
  static String fixedPoints(long fixed, long of) {
    return fixed
        + " of "
        + Words.count(of, "pattern")
        + (fixed == 1 ? " is a fixed point" : " are fixed points");
  }

  /**
   * A number for people: at most 6 significant digits, no trailing zeros ({@code 0.0416667}, not
   * {@code 0.0416666679084301}; {@code 1}, not {@code 1.0}).
   */
  static String number(Object v) {
    if (!(v instanceof Number n)) {
      return String.valueOf(v);
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      return String.valueOf(d);
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return String.valueOf((long) d);
    }
    String s = String.format(Locale.ROOT, "%.6g", d);
    if (s.contains("e")) {
      String mantissa = s.substring(0, s.indexOf('e'));
      String exp = s.substring(s.indexOf('e'));
      return stripZeros(mantissa) + exp;
    }
    return stripZeros(s);
  }

  private static String stripZeros(String s) {
    if (!s.contains(".")) {
      return s;
    }
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** A training call's options in words: {@code subtract mean, zero diagonal, no normalize}. */
  static String options(Map<?, ?> options) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<?, ?> e : options.entrySet()) {
      String name = String.valueOf(e.getKey()).replace('_', ' ');
      String value = String.valueOf(e.getValue());
      parts.add(
          value.equals("true")
              ? name
              : value.equals("false")
                  ? "no " + name
                  : name + " " + (e.getValue() instanceof Number ? number(e.getValue()) : value));
    }
    return String.join(", ", parts);
  }

  /** The update mode in words. */
  static String updates(String mode) {
    if (mode.equals("sync")) {
      return "synchronous updates";
    }
    if (mode.startsWith("async(seed ")) {
      return "asynchronous updates in a random order (seed "
          + mode.substring("async(seed ".length(), mode.length() - 1)
          + ")";
    }
    if (mode.startsWith("async(order of ")) {
      return "asynchronous updates in a fixed order";
    }
    return mode;
  }

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    if (b < 1024 * 1024) {
      return scaled(b, 10, 10) + " KiB";
    }
    if (b < 1024L * 1024 * 1024) {
      return scaled(b, 20, 10) + " MiB";
    }
    return scaled(b, 30, 100) + " GiB";
  }

  /**
   * {@code b / 2^shift} with one ({@code scale} 10) or two (100) decimals, rounded half up: what
   * {@code %.1f} and {@code %.2f} give for that quotient (exact in a double), without {@code
   * String.format}, whose first use costs a fresh JVM 10-35 ms (the locale data), which every
   * command that reads a file paid here for a line it shows only when out of memory.
   */
  static String scaled(long b, int shift, long scale) {
    if (b > (Long.MAX_VALUE - (1L << shift)) / scale) {
      return String.format(Locale.ROOT, scale == 10 ? "%.1f" : "%.2f", b / (double) (1L << shift));
    }
    long q = (b * scale + (1L << (shift - 1))) >> shift;
    String frac = Long.toString(q % scale);
    return (q / scale) + "." + (scale == 100 && frac.length() == 1 ? "0" + frac : frac);
  }
}
