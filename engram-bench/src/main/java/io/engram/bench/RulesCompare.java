package io.engram.bench;

import io.engram.kernels.Kernels;
import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
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
 * Per round and scenario numpy runs first, then Engram, each warming the workload up (at least one
 * call and 1 s) and taking the best of REPS calls; the table gives the best of all rounds on each
 * side and the ratio numpy / Engram (above 1: Engram is faster). Alternating the two in rounds
 * keeps a change of the machine's load from favouring one side.
 *
 * <p>Usage: {@code RulesCompare [--reps K] [--rounds R] [--python CMD] [SCENARIO ...]}.
 */
public final class RulesCompare {

  private RulesCompare() {}

  public static void main(String[] args) throws Exception {
    int reps = 2;
    int rounds = 2;
    String python = "python3";
    Set<String> wanted = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Baselines.count("RulesCompare", args, i++, 1);
        case "--rounds" -> rounds = Baselines.count("RulesCompare", args, i++, 1);
        case "--python" -> python = Baselines.value("RulesCompare", args, i++);
        default -> wanted.add(args[i]);
      }
    }
    if (wanted.isEmpty()) {
      wanted.addAll(List.of("pinv_full", "pinv_lowrank", "pinv_recall", "storkey"));
    }
    System.out.printf(
        Locale.ROOT,
        "Engram rules vs numpy: kernels %s, %d threads, Java %s; %d rounds, numpy then Engram per"
            + " scenario, best of %d calls each%n",
        Kernels.implementation(),
        Kernels.parallelism(),
        Runtime.version(),
        rounds,
        reps);
    SplittableRandom rnd = new SplittableRandom(11);
    int p = 1000;
    int n = 16384;
    PatternBlock x = null;
    if (wanted.contains("pinv_full")
        || wanted.contains("pinv_lowrank")
        || wanted.contains("pinv_recall")) {
      x = PatternBlock.ofRows(bipolar(rnd, p, n), p, n);
    }
    PatternBlock xs =
        wanted.contains("storkey") ? PatternBlock.ofRows(bipolar(rnd, 400, 4096), 400, 4096) : null;
    float[] cues = wanted.contains("pinv_recall") ? bipolar(rnd, n, 64) : null;
    Map<String, double[]> best = new java.util.LinkedHashMap<>(); // name -> {numpy, engram}
    String check = "";
    for (int round = 0; round < rounds; round++) {
      for (String scenario : wanted) {
        Map<String, Object> np =
            Baselines.numpy(
                python,
                "engram.bench.rulesScript",
                "engram-bench/src/main/python/rules_baseline.py",
                Integer.toString(reps),
                scenario);
        check = String.valueOf(np.get("storkey_check_max_abs_diff"));
        @SuppressWarnings("unchecked")
        double tn =
            ((Number) ((Map<String, Object>) np.get("seconds")).get(scenario)).doubleValue();
        PatternBlock px = x;
        switch (scenario) {
          case "pinv_full" -> {
            double td = best(() -> train(px, WeightsMode.DENSE), reps);
            double tf = best(() -> train(px, WeightsMode.AUTO), reps);
            keep(best, "pinv train P=1000 N=16384: Engram dense W", tn, td);
            keep(best, "  Engram factored (default) vs the same numpy", tn, tf);
          }
          case "pinv_lowrank" -> {
            double tf = best(() -> train(px, WeightsMode.AUTO), reps);
            keep(best, "pinv train, factored vs numpy pinv(X Xᵀ)", tn, tf);
          }
          case "pinv_recall" -> {
            Weights w = train(px, WeightsMode.AUTO).weights();
            float[] out = new float[n * 64];
            double t =
                best(
                    () -> {
                      w.multiplyColumns(cues, 64, out);
                      return out;
                    },
                    reps);
            keep(best, "pinv recall product, 64 cues, factored", tn, t);
          }
          case "storkey" -> {
            double t =
                best(
                    () -> {
                      AmariHopfieldNetwork net =
                          AmariHopfieldNetwork.create(4096, Dynamics.DEFAULT, WeightsMode.DENSE);
                      StorkeyRule.create().train(net, xs, true, null);
                      return net;
                    },
                    reps);
            keep(best, "storkey train P=400 N=4096", tn, t);
          }
          default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
      }
    }
    System.out.println("numpy Storkey vs its definition: max |difference| " + check);
    System.out.printf(
        Locale.ROOT,
        "%-46s %10s %10s %8s%n",
        "scenario (best of all rounds)",
        "numpy s",
        "Engram s",
        "ratio");
    for (Map.Entry<String, double[]> e : best.entrySet()) {
      double[] t = e.getValue();
      System.out.printf(
          Locale.ROOT, "%-46s %10.4f %10.4f %7.2fx%n", e.getKey(), t[0], t[1], t[0] / t[1]);
    }
  }

  private static void keep(Map<String, double[]> best, String name, double numpy, double engram) {
    double[] t = best.computeIfAbsent(name, k -> new double[] {Double.MAX_VALUE, Double.MAX_VALUE});
    t[0] = Math.min(t[0], numpy);
    t[1] = Math.min(t[1], engram);
  }

  private static AmariHopfieldNetwork train(PatternBlock x, WeightsMode mode) {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(x.length(), Dynamics.DEFAULT, mode);
    PseudoInverseRule.create().train(net, x, true, null);
    return net;
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
}
