package io.engram.bench;

import io.engram.internal.Json;
import io.engram.kernels.Kernels;
import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The learning rules side by side with numpy ({@code
 * engram-bench/src/main/python/rules_baseline.py}, launched first as a child process with
 * OpenBLAS's own CPU detection), in one run:
 *
 * <ul>
 *   <li>{@code pinv_full}: pseudo-inverse training, P = 1000, N = 16384, dense W (numpy: {@code
 *       X.T @ np.linalg.pinv(X @ X.T) @ X}); Engram with {@code --weights dense} and with the
 *       default (factored) weights;
 *   <li>{@code pinv_lowrank}: the factored form only (numpy: {@code np.linalg.pinv(X @ X.T)});
 *   <li>{@code pinv_recall}: one product of the factored weights with 64 cues (numpy: {@code X.T @
 *       (Gi @ (X @ S))});
 *   <li>{@code storkey}: Storkey training, P = 400, N = 4096 (numpy: the rule vectorised per
 *       pattern).
 * </ul>
 *
 * Each side warms a workload up (at least one call and 1 s), then takes the best of REPS calls.
 * Prints a table of seconds and numpy / Engram ratios (above 1: Engram is faster).
 *
 * <p>Usage: {@code RulesCompare [--reps K] [--python CMD] [SCENARIO ...]}.
 */
public final class RulesCompare {

  private RulesCompare() {}

  public static void main(String[] args) throws Exception {
    int reps = 3;
    String python = "python3";
    Set<String> wanted = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--python" -> python = args[++i];
        default -> wanted.add(args[i]);
      }
    }
    if (wanted.isEmpty()) {
      wanted.addAll(List.of("pinv_full", "pinv_lowrank", "pinv_recall", "storkey"));
    }
    System.out.printf(
        Locale.ROOT,
        "Engram rules vs numpy: kernels %s, %d threads, Java %s%n",
        Kernels.implementation(),
        Kernels.parallelism(),
        Runtime.version());
    Map<String, Object> np = numpy(python, reps, wanted);
    @SuppressWarnings("unchecked")
    Map<String, Object> npSec = (Map<String, Object>) np.get("seconds");
    System.out.println(
        "numpy " + np.get("numpy") + ", Storkey check " + np.get("storkey_check_max_abs_diff"));

    List<String[]> rows = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(11);
    if (wanted.contains("pinv_full")
        || wanted.contains("pinv_lowrank")
        || wanted.contains("pinv_recall")) {
      int p = 1000;
      int n = 16384;
      PatternBlock x = PatternBlock.ofRows(bipolar(rnd, p, n), p, n);
      Supplier<AmariHopfieldNetwork> lowRank = () -> train(x, WeightsMode.AUTO);
      double tLow = best(lowRank::get, reps);
      if (wanted.contains("pinv_full")) {
        double tDense = best(() -> train(x, WeightsMode.DENSE), Math.max(1, reps - 1));
        rows.add(row("pinv train P=1000 N=16384, dense W", "pinv_full", npSec, tDense));
        rows.add(row("  Engram factored (default) vs numpy dense", "pinv_full", npSec, tLow));
      }
      rows.add(row("pinv train, factored vs pinv(X Xᵀ)", "pinv_lowrank", npSec, tLow));
      if (wanted.contains("pinv_recall")) {
        Weights w = lowRank.get().weights();
        int b = 64;
        float[] s = bipolar(rnd, n, b);
        float[] out = new float[n * b];
        double t =
            best(
                () -> {
                  w.multiplyColumns(s, b, out);
                  return out;
                },
                reps);
        rows.add(row("pinv recall product, 64 cues, factored", "pinv_recall", npSec, t));
      }
    }
    if (wanted.contains("storkey")) {
      int p = 400;
      int n = 4096;
      PatternBlock x = PatternBlock.ofRows(bipolar(rnd, p, n), p, n);
      double t =
          best(
              () -> {
                AmariHopfieldNetwork net =
                    AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, WeightsMode.DENSE);
                StorkeyRule.create().train(net, x, true, null);
                return net;
              },
              Math.max(1, reps - 1));
      rows.add(row("storkey train P=400 N=4096", "storkey", npSec, t));
    }
    System.out.printf(
        Locale.ROOT, "%-44s %10s %10s %8s%n", "scenario", "numpy s", "Engram s", "ratio");
    for (String[] r : rows) {
      System.out.printf(Locale.ROOT, "%-44s %10s %10s %8s%n", (Object[]) r);
    }
  }

  private static AmariHopfieldNetwork train(PatternBlock x, WeightsMode mode) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(x.length(), Dynamics.DEFAULT, mode);
    PseudoInverseRule.create().train(net, x, true, null);
    return net;
  }

  private static String[] row(String name, String key, Map<String, Object> np, double engram) {
    Object v = np.get(key);
    double numpy = v == null ? Double.NaN : ((Number) v).doubleValue();
    return new String[] {
      name,
      String.format(Locale.ROOT, "%.4f", numpy),
      String.format(Locale.ROOT, "%.4f", engram),
      String.format(Locale.ROOT, "%.2fx", numpy / engram)
    };
  }

  private static float[] bipolar(SplittableRandom r, int p, int n) {
    float[] x = new float[p * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextBoolean() ? 1f : -1f;
    }
    return x;
  }

  /** Warm-up (at least one call and 1 s, at most 50 calls), then the best of {@code reps}. */
  private static double best(Supplier<Object> f, int reps) {
    long start = System.nanoTime();
    int calls = 0;
    Object sink = null;
    while (calls < 50 && (calls < 1 || System.nanoTime() - start < 1_000_000_000L)) {
      sink = f.get();
      calls++;
    }
    double best = Double.MAX_VALUE;
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      sink = f.get();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    if (sink == null) {
      throw new IllegalStateException("no result");
    }
    return best;
  }

  private static Map<String, Object> numpy(String python, int reps, Set<String> wanted)
      throws IOException, InterruptedException {
    Path script =
        Path.of(
            System.getProperty(
                "engram.bench.rulesScript", "engram-bench/src/main/python/rules_baseline.py"));
    if (!Files.exists(script)) {
      throw new IOException(
          "numpy script not found at "
              + script.toAbsolutePath()
              + " (run from the repository root or set -Dengram.bench.rulesScript)");
    }
    List<String> cmd = new ArrayList<>(List.of(python, script.toString(), Integer.toString(reps)));
    cmd.addAll(wanted);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // the numpy baseline gets OpenBLAS's own CPU detection, not the machine-wide overrides
    pb.environment().remove("OPENBLAS_CORETYPE");
    pb.environment().remove("OPENBLAS_L2_SIZE");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process proc = pb.start();
    String out;
    try (InputStream in = proc.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int rc = proc.waitFor();
    if (rc != 0) {
      throw new IOException("numpy baseline failed with exit status " + rc + ": " + out);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(out.trim());
    return m;
  }
}
