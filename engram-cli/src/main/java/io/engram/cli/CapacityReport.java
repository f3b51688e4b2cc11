package io.engram.cli;

import io.engram.analysis.CapacityPoint;
import io.engram.analysis.CapacityTheory;
import io.engram.analysis.Corruption;
import io.engram.analysis.Estimate;
import io.engram.analysis.PatternSource;
import io.engram.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results of {@code engram capacity} as a table, JSON and CSV. */
final class CapacityReport {

  private CapacityReport() {}

  /** The share of cues recalled exactly that counts as "holds" in the summary. */
  static final double HOLDS = 0.99;

  /** The measured quantities, by their contract names, in the order of the reports. */
  private static final String[] QUANTITIES = {
    "one_step_error", "stable_fraction", "recalled_fraction", "mean_overlap", "mean_steps"
  };

  private static Estimate quantity(CapacityPoint p, int q) {
    return switch (q) {
      case 0 -> p.oneStepError();
      case 1 -> p.stableFraction();
      case 2 -> p.recalledFraction();
      case 3 -> p.meanOverlap();
      default -> p.meanSteps();
    };
  }

  /** Whether the Hebbian theory curves describe this run (Hebbian rule, unbiased random). */
  static boolean hebbianTheory(CapacityCommand.Run run) {
    return run.entry().theory() == LabMemories.Theory.HEBBIAN && run.source().isUnbiasedRandom();
  }

  /**
   * The theory values at one load: {@code theory_one_step_error}, {@code
   * theory_one_step_error_exact}, {@code theory_overlap}; empty when no theory applies.
   */
  static Map<String, Double> theoryAt(CapacityCommand.Run run, int patterns) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (hebbianTheory(run)) {
      m.put("theory_one_step_error", CapacityTheory.oneStepError(run.neurons(), patterns));
      m.put(
          "theory_one_step_error_exact", CapacityTheory.oneStepErrorExact(run.neurons(), patterns));
      m.put("theory_overlap", CapacityTheory.agsOverlap((double) patterns / run.neurons()));
    }
    return m;
  }

  /** The capacities theory gives for this memory at this N (numbers of patterns). */
  static Map<String, Double> capacities(CapacityCommand.Run run) {
    Map<String, Double> m = new LinkedHashMap<>();
    int n = run.neurons();
    if (n < 2) {
      return m;
    }
    switch (run.entry().theory()) {
      case HEBBIAN -> {
        if (run.source().isUnbiasedRandom()) {
          m.put("mceliece_all_fixed_points", CapacityTheory.mcElieceAll(n));
          m.put("mceliece_most_recalled", CapacityTheory.mcEliece(n));
          m.put("ags_critical", CapacityTheory.AGS_CRITICAL_LOAD * n);
        }
      }
      case STORKEY -> m.put("storkey", CapacityTheory.storkey(n));
      case PSEUDO_INVERSE -> m.put("pseudo_inverse", CapacityTheory.pseudoInverse(n));
      case NONE -> {}
    }
    return m;
  }

  /**
   * The largest tested load at which, and at every smaller tested load, at least {@link #HOLDS} of
   * the cues came back exactly (0 when the first load already fails).
   */
  static int holds(List<CapacityPoint> points) {
    int held = 0;
    for (CapacityPoint p : points) {
      if (p.recalledFraction().mean() < HOLDS) {
        break;
      }
      held = p.patterns();
    }
    return held;
  }

  /** The JSON document: the settings, the theory, and {@code "points"} (the contract). */
  static String json(CapacityCommand.Run run) {
    return Json.writePretty(jsonOf(run));
  }

  /**
   * {@code --compare}: {@code {"compare": [...], "holds_most": [...]}}, each run's object as {@link
   * #json} writes it alone, and the names of the memories that hold the most.
   */
  static String compareJson(List<CapacityCommand.Run> runs) {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Object> each = new ArrayList<>();
    for (CapacityCommand.Run run : runs) {
      each.add(jsonOf(run));
    }
    root.put("compare", each);
    root.put("holds_most", new ArrayList<Object>(holdsMost(runs)));
    return Json.writePretty(root);
  }

  /** The names of the runs whose {@link #holds} is the largest (none where every one holds 0). */
  static List<String> holdsMost(List<CapacityCommand.Run> runs) {
    int best = 0;
    for (CapacityCommand.Run run : runs) {
      best = Math.max(best, holds(run.points()));
    }
    List<String> names = new ArrayList<>();
    for (CapacityCommand.Run run : runs) {
      if (best > 0 && holds(run.points()) == best) {
        names.add(run.entry().name());
      }
    }
    return names;
  }

  private static Map<String, Object> jsonOf(CapacityCommand.Run run) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("memory", run.memoryKind());
    root.put("rule", run.memoryKind().equals(MemoryKinds.CLASSICAL) ? run.entry().name() : null);
    if (run.subtractMean() != null || run.entry().theory() == LabMemories.Theory.HEBBIAN) {
      root.put("subtract_mean", run.subtractMean() == null || run.subtractMean());
    }
    if (run.beta() != null) {
      root.put("beta", run.beta());
    }
    root.put("neurons", (long) run.neurons());
    root.put("trials", (long) run.trials());
    root.put("flip", run.cues().flip());
    root.put("flipped_bits", (long) flips(run));
    root.put("erase", run.cues().erase());
    root.put("erased_bits", (long) run.cues().erasures(run.neurons()));
    root.put("occlude", run.cues().occlude());
    root.put("occluded_bits", (long) run.cues().occluded(run.neurons()));
    root.put("seed", run.seed());
    root.put("iterations", run.iterations() == null ? null : (long) run.iterations());
    root.put("source", run.source().kind());
    switch (run.source().kind()) {
      case "biased" -> root.put("bias", run.source().parameter());
      case "correlated" -> root.put("correlation", run.source().parameter());
      case "data" -> root.put("data", run.data().toString());
      default -> {}
    }
    root.put("holds_99", (long) holds(run.points()));
    // what <field>_low and <field>_high are (CAPACITY.md): 95% intervals
    Map<String, Object> intervals = new LinkedHashMap<>();
    for (int q = 0; q < QUANTITIES.length; q++) {
      intervals.put(QUANTITIES[q], q < 3 ? "wilson" : "student-t");
    }
    root.put("intervals", intervals);
    root.put("theory", new LinkedHashMap<String, Object>(capacities(run)));
    List<Object> pts = new ArrayList<>();
    for (CapacityPoint p : run.points()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("patterns", (long) p.patterns());
      m.put("load", p.load());
      for (int q = 0; q < QUANTITIES.length; q++) {
        m.put(QUANTITIES[q], quantity(p, q).mean());
      }
      m.put("trials", (long) p.trials());
      for (int q = 0; q < QUANTITIES.length; q++) {
        m.put(QUANTITIES[q] + "_low", quantity(p, q).low());
        m.put(QUANTITIES[q] + "_high", quantity(p, q).high());
      }
      m.putAll(theoryAt(run, p.patterns()));
      pts.add(m);
    }
    root.put("points", pts);
    return root;
  }

  /** The CSV columns of a point's measurements: load, trials, each quantity with its interval. */
  private static List<String> measuredHead() {
    List<String> head = new ArrayList<>(List.of("patterns", "load", "trials"));
    for (String q : QUANTITIES) {
      head.addAll(List.of(q, q + "_low", q + "_high"));
    }
    return head;
  }

  /** A point's cells under {@link #measuredHead}. */
  private static List<String> measuredCells(CapacityPoint p) {
    List<String> cells = new ArrayList<>();
    cells.add(Integer.toString(p.patterns()));
    cells.add(number(p.load()));
    cells.add(Integer.toString(p.trials()));
    for (int q = 0; q < QUANTITIES.length; q++) {
      Estimate e = quantity(p, q);
      cells.addAll(List.of(number(e.mean()), number(e.low()), number(e.high())));
    }
    return cells;
  }

  /**
   * {@code --compare}: one row per memory and load, its name first, then the measured columns of
   * {@link #csv} (the theory columns, which only the Hebbian rule on random patterns has, left
   * out).
   */
  static String compareCsv(List<CapacityCommand.Run> runs) {
    List<String> head = new ArrayList<>(List.of("memory"));
    head.addAll(measuredHead());
    StringBuilder sb = new StringBuilder(String.join(",", head)).append('\n');
    for (CapacityCommand.Run run : runs) {
      for (CapacityPoint p : run.points()) {
        List<String> cells = new ArrayList<>(List.of(run.entry().name()));
        cells.addAll(measuredCells(p));
        sb.append(String.join(",", cells)).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * {@code --compare}: the share of cues recalled exactly by each memory at each load side by side,
   * what each holds, and which holds the most.
   */
  static String compareTable(List<CapacityCommand.Run> runs) {
    StringBuilder sb = new StringBuilder("Compared: the share of cues recalled exactly\n\n");
    sb.append(String.format(Locale.ROOT, "%6s %6s", "P", "P/N"));
    for (CapacityCommand.Run run : runs) {
      sb.append(String.format(Locale.ROOT, "  %14s", run.entry().name()));
    }
    sb.append('\n');
    List<CapacityPoint> first = runs.get(0).points();
    for (int i = 0; i < first.size(); i++) {
      sb.append(
          String.format(
              Locale.ROOT, "%6d %6s", first.get(i).patterns(), load(first.get(i).load())));
      for (CapacityCommand.Run run : runs) {
        sb.append(
            String.format(Locale.ROOT, "  %14.3f", run.points().get(i).recalledFraction().mean()));
      }
      sb.append('\n');
    }
    sb.append('\n');
    List<String> parts = new ArrayList<>();
    int best = 0;
    for (CapacityCommand.Run run : runs) {
      int held = holds(run.points());
      parts.add(run.entry().name() + " " + held);
      best = Math.max(best, held);
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "Holds (the most patterns with %.0f%% of cues back exactly, up to that load):%n"
                + "  %s.%n",
            100 * HOLDS,
            String.join(", ", parts)));
    List<String> most = holdsMost(runs);
    if (most.isEmpty()) {
      return sb.append(
              "None holds the first load; try fewer patterns or less noise\n  (--patterns, --flip).\n")
          .toString();
    }
    sb.append("Holds the most: ").append(Words.all(most));
    int largest = first.get(first.size() - 1).patterns();
    PatternSource source = runs.get(0).source();
    if (best < largest) {
      sb.append(".\n");
    } else if (source.kind().equals("data") && largest >= source.maxPatterns()) {
      sb.append(" (all ")
          .append(largest)
          .append(" of the given patterns;\n  ")
          .append(
              runs.get(0).cues().erase() > 0 || runs.get(0).cues().occlude() > 0
                  ? "more of each cue hidden (--erase, --occlude) or noise (--flip)"
                  : "more noise with --flip")
          .append(
              most.size() == 1 ? " would show how much it withstands" : " would tell them apart")
          .append(").\n");
    } else {
      sb.append(" (every load measured;\n  give larger loads with --patterns to ")
          .append(most.size() == 1 ? "see how far it goes" : "tell them apart")
          .append(").\n");
    }
    return sb.toString();
  }

  /** One row per load; the columns of the JSON points; empty cells where there is no value. */
  static String csv(CapacityCommand.Run run) {
    List<String> head = measuredHead();
    boolean theory = hebbianTheory(run);
    if (theory) {
      head.addAll(
          List.of("theory_one_step_error", "theory_one_step_error_exact", "theory_overlap"));
    }
    StringBuilder sb = new StringBuilder(String.join(",", head)).append('\n');
    for (CapacityPoint p : run.points()) {
      List<String> cells = measuredCells(p);
      for (double v : theoryAt(run, p.patterns()).values()) {
        cells.add(number(v));
      }
      sb.append(String.join(",", cells)).append('\n');
    }
    return sb.toString();
  }

  private static String number(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "";
  }

  /**
   * A modern memory's inverse temperature, for the table's header and the plot's title: " (beta
   * 2)", or " (beta 1/sqrt N = 0.0447)" for its default (two sweeps with other betas had the same
   * header); empty for the classical network.
   */
  static String beta(CapacityCommand.Run run) {
    if (run.memoryKind().equals(MemoryKinds.CLASSICAL)) {
      return "";
    }
    return run.beta() != null
        ? " (beta " + java.math.BigDecimal.valueOf(run.beta()).stripTrailingZeros() + ")"
        : String.format(
            Locale.ROOT, " (beta 1/sqrt N = %.3g)", (float) (1 / Math.sqrt(run.neurons())));
  }

  /** The table for stdout, with a header line and a summary. */
  static String table(CapacityCommand.Run run) {
    StringBuilder sb = new StringBuilder();
    String rule =
        run.memoryKind().equals(MemoryKinds.CLASSICAL)
            ? run.entry().name()
                + " rule"
                + (run.entry().theory() == LabMemories.Theory.HEBBIAN
                        || run.entry().name().equals("anti-hebbian")
                    ? " (subtract-mean " + (run.subtractMean() == null || run.subtractMean()) + ")"
                    : "")
            : run.memoryKind() + " memory" + beta(run);
    sb.append(
        String.format(
            Locale.ROOT,
            "engram capacity: %s, N = %d, %s, %d trial%s per load, cues with %s, seed %d%n",
            rule,
            run.neurons(),
            run.source(),
            run.trials(),
            run.trials() == 1 ? "" : "s",
            flipped(run),
            run.seed()));
    sb.append(
        "(mean over trials ± half width of the 95% interval, or [low,high] where the interval is"
            + " not symmetric)\n\n");
    boolean theory = hebbianTheory(run);
    // columns at least wide enough for a share's [low,high], and as wide as their widest cell (a
    // lopsided overlap or steps interval, [low,high], pushed the rest of its row along)
    String[] heads = {"one-step error", "stable", "recalled", "overlap", "steps"};
    int[] widths = {26, 20, 20, 15, 12};
    List<String[]> rows = new ArrayList<>();
    for (CapacityPoint p : run.points()) {
      String[] cells = {
        pm(p.oneStepError(), "%.5f"),
        pm(p.stableFraction(), "%.3f"),
        pm(p.recalledFraction(), "%.3f"),
        pm(p.meanOverlap(), "%.4f"),
        pm(p.meanSteps(), "%.2f")
      };
      rows.add(cells);
      for (int i = 0; i < cells.length; i++) {
        widths[i] = Math.max(widths[i], cells[i].length());
      }
    }
    sb.append(String.format(Locale.ROOT, "%6s %6s  %s", "P", "P/N", padded(heads, widths)));
    if (theory) {
      sb.append(" | theory: error   exact     AGS m");
    }
    sb.append('\n');
    for (int r = 0; r < rows.size(); r++) {
      CapacityPoint p = run.points().get(r);
      sb.append(
          String.format(
              Locale.ROOT,
              "%6d %6s  %s",
              p.patterns(),
              load(p.load()),
              padded(rows.get(r), widths)));
      if (theory) {
        Map<String, Double> t = theoryAt(run, p.patterns());
        sb.append(
            String.format(
                Locale.ROOT,
                " |         %.5f %.5f  %.4f",
                t.get("theory_one_step_error"),
                t.get("theory_one_step_error_exact"),
                t.get("theory_overlap")));
      }
      sb.append('\n');
    }
    sb.append('\n');
    int held = holds(run.points());
    sb.append(
        held == 0
            ? String.format(
                Locale.ROOT,
                "Fewer than %.0f%% of the cues came back exactly already at the first load.%n",
                100 * HOLDS)
            : String.format(
                Locale.ROOT,
                "Holds: up to P = %d (%s N) at least %.0f%% of the cues came back exactly.%n",
                held,
                load((double) held / run.neurons()),
                100 * HOLDS));
    Map<String, Double> c = capacities(run);
    if (!c.isEmpty()) {
      sb.append("Theory for random patterns: ");
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, Double> e : c.entrySet()) {
        parts.add(names(e.getKey())[0] + String.format(Locale.ROOT, " %.1f", e.getValue()));
      }
      sb.append(String.join("; ", parts)).append(".\n");
    }
    return sb.toString().replaceAll("(?m)[ \\t]+$", "");
  }

  /** How the table and the figure name a capacity of {@link #capacities}: {description, label}. */
  static String[] names(String key) {
    return switch (key) {
      case "mceliece_all_fixed_points" ->
          new String[] {"all patterns fixed points, N/(4 ln N) =", "N/(4 ln N)"};
      case "mceliece_most_recalled" ->
          new String[] {"almost every pattern recalled, N/(2 ln N) =", "N/(2 ln N)"};
      case "ags_critical" -> new String[] {"retrieval ends at alpha_c N =", "α_c = 0.138"};
      case "storkey" -> new String[] {"Storkey's N/sqrt(2 ln N) =", "N/√(2 ln N)"};
      case "pseudo_inverse" -> new String[] {"pseudo-inverse exact for P < N =", "P = N"};
      default -> new String[] {key + " =", key};
    };
  }

  /**
   * The bits each cue has flipped: round(F N), as the sweep flips them (CapacitySweep), which
   * differs from F N at small N (N = 12, F = 0.1: 1 bit).
   */
  static int flips(CapacityCommand.Run run) {
    return run.cues().flips(run.neurons());
  }

  /**
   * {@code 10% of their bits flipped} where round(F N) is F N; else what is flipped and what was
   * asked: {@code 1 of their 12 bits flipped (10% asked)}; then what was erased and occluded, if
   * anything ({@code 10% of their bits flipped, 20% erased, the last 50% occluded}).
   */
  static String flipped(CapacityCommand.Run run) {
    Corruption c = run.cues();
    int n = run.neurons();
    List<String> parts = new ArrayList<>();
    if (c.flip() > 0 || c.isNone()) {
      parts.add(part("", c.flips(n), c.flip(), n, "flipped", parts.isEmpty()));
    }
    if (c.erase() > 0) {
      parts.add(part("", c.erasures(n), c.erase(), n, "erased", parts.isEmpty()));
    }
    if (c.occlude() > 0) {
      parts.add(part("the last ", c.occluded(n), c.occlude(), n, "occluded", parts.isEmpty()));
    }
    return String.join(", ", parts);
  }

  /**
   * {@code 10% of their bits flipped} ({@code 10% flipped} after the first) where round(F N) is F
   * N; else {@code 1 of their 12 bits flipped (10% asked)}.
   */
  private static String part(String prefix, int k, double f, int n, String verb, boolean first) {
    double asked = f * n;
    // (relative to what was asked: --erase 1e-300 erases no bit of 20, and was "0% ... erased")
    if (Math.abs(k - asked) <= 1e-9 * asked) {
      return prefix + percent(f) + (first ? " of their bits " : " ") + verb;
    }
    return prefix
        + k
        + " of their "
        + Words.count(n, "bit")
        + " "
        + verb
        + " ("
        + percent(f)
        + " asked)";
  }

  /**
   * A load P/N for the table: {@code 0.040}, or below 0.001 (two patterns of N = 40000) with two
   * significant digits, {@code 5.0e-5}, which "0.000" hid; at most 6 characters either way.
   */
  static String load(double v) {
    if (v == 0 || v >= 0.001) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    // "5.0e-05" -> "5.0e-5"
    return String.format(Locale.ROOT, "%.1e", v).replaceFirst("e-0*", "e-");
  }

  /** {@code 10%}, {@code 0.4%}, {@code 1.0e-298%}: to 4 decimals, or 2 digits below them. */
  static String percent(double f) {
    if (f > 0 && 100 * f < 5e-5) {
      // below what 4 decimals show: 1.0e-298%, not 0%
      return String.format(Locale.ROOT, "%.1e%%", 100 * f);
    }
    String s =
        String.format(Locale.ROOT, "%.4f", 100 * f).replaceAll("0+$", "").replaceAll("\\.$", "");
    return s + "%";
  }

  /** The cells, each left-aligned in its width, one blank between them. */
  private static String padded(String[] cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(cells[i]).append(" ".repeat(Math.max(0, widths[i] - cells[i].length())));
    }
    return b.toString();
  }

  /**
   * A table cell: the mean, and its interval as the JSON has it (low and high): {@code 0.502
   * ±0.036} where both ends lie as far from the mean at the cell's precision, else the ends, {@code
   * 0.997 [0.986,1.000]} (a share near 0 or 1, a clipped interval); the mean alone for one trial.
   */
  static String pm(Estimate e, String format) {
    String m = String.format(Locale.ROOT, format, e.mean());
    if (Double.isNaN(e.low())) {
      return m;
    }
    String below = String.format(Locale.ROOT, format, e.mean() - e.low());
    String above = String.format(Locale.ROOT, format, e.high() - e.mean());
    if (below.equals(above)) {
      return m + " ±" + above;
    }
    return m
        + " ["
        + String.format(Locale.ROOT, format, e.low())
        + ","
        + String.format(Locale.ROOT, format, e.high())
        + "]";
  }
}
