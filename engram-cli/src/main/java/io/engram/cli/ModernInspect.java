package io.engram.cli;

import io.engram.internal.Json;
import io.engram.learning.PatternBlock;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import io.engram.network.RecallResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code engram inspect} of a modern memory: kind, separation, β or n, P, N, capacity. */
final class ModernInspect {

  private ModernInspect() {}

  static int run(InspectCommand c) throws Exception {
    if (c.heatmap != null) {
      throw new UserError(
          "--heatmap draws a weight matrix, and a modern memory has none (it stores its patterns"
              + " themselves: np.load(model)[\"X\"])");
    }
    c.sizeFor(-1);
    Memory.reading(java.util.Arrays.asList(c.model, c.patterns));
    ModernHopfieldMemory m = Inputs.readModern("MODEL", c.model);
    PatternBlock given = PatternBlock.empty();
    if (c.patterns != null && m.size() == 0) {
      // (the report was printed without the pattern lines, exit 0, as if --patterns was not given)
      throw new UserError(
          c.model
              + ": the modern memory stores no patterns, so there is nothing to compare --patterns"
              + " with; store some first (train --memory modern --init)");
    }
    if (c.patterns != null) {
      given = c.readPatterns(m.numNeurons()).block();
    }
    if (!given.isEmpty() && given.length() != m.numNeurons()) {
      throw new UserError(
          c.patterns
              + ": patterns have length "
              + given.length()
              + ", but the model has N = "
              + m.numNeurons());
    }
    Inputs.checkSigns(m, given, c.patterns, "pattern");
    Map<String, Object> r = describe(m, given, c.patterns);
    PrintWriter out = c.spec.commandLine().getOut();
    if (c.json) {
      out.println(Json.writePretty(r));
    } else {
      printText(out, r);
    }
    out.flush();
    return 0;
  }

  static Map<String, Object> describe(
      ModernHopfieldMemory m, PatternBlock given, java.nio.file.Path patterns) {
    Map<String, Object> r = new LinkedHashMap<>();
    Separation s = m.separation();
    r.put("memory", m.kind());
    r.put("num_neurons", m.numNeurons());
    r.put("stored_patterns", m.size());
    r.put("separation", s.id());
    r.put("beta", s.usesBeta() ? (Object) m.beta() : null);
    r.put("degree", s.usesDegree() ? (Object) m.degree() : null);
    r.put("patterns_bytes", m.memoryBytes());
    r.put("max_pattern_norm", m.maxNorm());
    r.put(
        "capacity_estimate",
        s.usesDegree() && m.numNeurons() >= 2
            ? (Object)
                Math.floor(ModernHopfieldMemory.polynomialCapacity(m.numNeurons(), m.degree()))
            : null);
    if (!given.isEmpty() && m.size() > 0) {
      float[][] rows = Inputs.rows(given);
      List<RecallResult> rs = m.retrieveAll(rows);
      double[] e = energies(m, rows);
      List<Object> energies = new ArrayList<>();
      List<Object> best = new ArrayList<>();
      double sum = 0;
      int fixed = 0;
      for (int k = 0; k < rows.length; k++) {
        Object written = RecallCommand.energyValue(m, e[k]);
        if (!Double.isFinite(((Number) written).doubleValue())) {
          // (it was printed as "mean Infinity, std NaN", JSON null, exit 0)
          throw new UserError(
              patterns
                  + ": the energy of pattern "
                  + k
                  + " is "
                  + written
                  + ", beyond float32 (the stored patterns are too large for an energy of these"
                  + " patterns)");
        }
        energies.add(written);
        sum += e[k];
        best.add(rs.get(k).matches().get(0).index());
        fixed += nearlyEqual(rs.get(k).state(), rows[k]) ? 1 : 0;
      }
      double mean = sum / rows.length;
      double var = 0;
      for (double ek : e) {
        var += (ek - mean) * (ek - mean);
      }
      r.put("pattern_energies", energies);
      r.put("pattern_energy_mean", mean);
      r.put("pattern_energy_std", Math.sqrt(var / rows.length));
      r.put("best_matches", best);
      r.put("patterns_that_are_fixed_points", fixed);
    }
    return r;
  }

  /** States whose energies {@link #energies} takes from one scan over X. */
  static final int ENERGY_BATCH = 1024;

  /**
   * The energy of each row ({@link ModernHopfieldMemory#energy}'s values): from one scan over the
   * stored patterns per {@link #ENERGY_BATCH} rows, where one energy per row scanned X once for
   * each (10,000 patterns of a memory of 10,000: 20 s of a 22 s inspect). The core's scan gives a
   * state's energy the same bits in any batch ({@code RetrievalStep.dependsOnStateAlone}); the rows
   * were checked by the retrieval before.
   */
  static double[] energies(ModernHopfieldMemory m, float[][] rows) {
    io.engram.network.RetrievalStep step = m.retrievalStep(null);
    if (!step.dependsOnStateAlone()) {
      double[] e = new double[rows.length];
      for (int k = 0; k < rows.length; k++) {
        e[k] = m.energy(rows[k]);
      }
      return e;
    }
    double[] e = new double[rows.length];
    double[] part = new double[Math.min(ENERGY_BATCH, rows.length)];
    for (int k0 = 0; k0 < rows.length; k0 += ENERGY_BATCH) {
      int count = Math.min(ENERGY_BATCH, rows.length - k0);
      step.energies(java.util.Arrays.copyOfRange(rows, k0, k0 + count), count, part);
      System.arraycopy(part, 0, e, k0, count);
    }
    return e;
  }

  /**
   * One step leaves the pattern where it was: exactly for the binary separations, within 1e-3 of
   * its largest magnitude for softmax (whose fixed points sit near, not at, the stored patterns);
   * an all-zero pattern only exactly. (The bound was 1e-3 of at least 1: patterns of magnitude
   * 1e-30, which one step takes to their mean, were all counted as fixed points.)
   */
  private static boolean nearlyEqual(float[] a, float[] b) {
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(b[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    return diff <= 1e-3 * scale;
  }

  private static void printText(PrintWriter out, Map<String, Object> r) {
    out.printf(Locale.ROOT, "memory             modern (dense associative memory)%n");
    out.printf(Locale.ROOT, "neurons            %d%n", r.get("num_neurons"));
    out.printf(
        Locale.ROOT,
        "stored patterns    %d, %s (X, float32 P x N)%n",
        r.get("stored_patterns"),
        InspectCommand.bytes(((Number) r.get("patterns_bytes")).longValue()));
    String sep = (String) r.get("separation");
    if (r.get("beta") != null) {
      out.printf(
          Locale.ROOT,
          "separation         %s, beta = %s%n",
          sep,
          InspectCommand.number(r.get("beta")));
    } else {
      out.printf(Locale.ROOT, "separation         %s, degree n = %s%n", sep, r.get("degree"));
    }
    out.printf(
        Locale.ROOT, "largest norm M     %s%n", InspectCommand.number(r.get("max_pattern_norm")));
    if (r.get("capacity_estimate") != null) {
      out.printf(
          Locale.ROOT,
          "capacity           about %s random patterns without error (N^(n-1) / (2 (2n-3)!! ln N))%n",
          InspectCommand.number(r.get("capacity_estimate")));
    } else {
      out.printf(Locale.ROOT, "capacity           exponential in N%n");
    }
    if (r.containsKey("pattern_energies")) {
      List<?> energies = (List<?>) r.get("pattern_energies");
      // float64: a high degree's energies, -Σ F(overlap) with F = x^n, leave float32 (x^30 of an
      // overlap of 100 is 1e60) but not float64 (N^n P < 2^961 for n <= 30)
      String stats =
          "mean "
              + InspectCommand.number(r.get("pattern_energy_mean"))
              + ", std "
              + InspectCommand.number(r.get("pattern_energy_std"));
      out.printf(
          Locale.ROOT,
          "pattern energies   %s; %s of one step%n",
          stats,
          InspectCommand.fixedPoints(
              ((Number) r.get("patterns_that_are_fixed_points")).longValue(), energies.size()));
    }
  }
}
