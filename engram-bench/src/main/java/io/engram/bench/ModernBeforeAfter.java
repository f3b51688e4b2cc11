package io.engram.bench;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Modern retrieval of two builds of engram-core in one JVM, call by call: each core jar in a class
 * loader of its own (its own JIT-compiled kernels and thread pool), the benchmark's first workload
 * (B = 1024 queries, P = 100,000 patterns of N = 256, one softmax step) stored in both, then rounds
 * of one {@code retrieveAll} per build, the order swapped every round. A per-round ratio compares
 * two calls a second apart on the same machine; on a machine whose speed drifts within seconds
 * (shared, or one CPU slowed by its host) that is the comparison that holds. Also checks that both
 * builds give the same bits (states and energies).
 *
 * <p>With {@code --canns}, the CANNs image workload instead (N = 16384, P = 4 ±1 patterns, 4 cues
 * with 30% of their values flipped, one step): each build first warmed up for {@value
 * #CANNS_WARM_SECONDS} s, a round's time per build the fastest of {@value #CANNS_CALLS} calls (one
 * call takes tens of microseconds), and the bits compared and reported but not required to be the
 * same (the largest difference of a state value is printed).
 *
 * <p>With {@code --shape B,P,N}, B queries against P ±1 patterns of length N (each query a stored
 * pattern with 20% of its values flipped), warmed up as the CANNs mode, a round's time per build
 * the fastest of as many calls as fill about 50 ms; the bits are reported, not required.
 *
 * <p>Usage: {@code ModernBeforeAfter [--canns | --shape B,P,N] ROUNDS BASE_CORE_JAR NEW_CORE_JAR};
 * run it with {@code engram-bench/modern_before_after.sh}, which builds both jars.
 */
public final class ModernBeforeAfter {

  /** CANNs mode: seconds of warm-up per build before the rounds. */
  static final int CANNS_WARM_SECONDS = 3;

  /** CANNs mode: calls per build per round, of which the fastest counts. */
  static final int CANNS_CALLS = 2000;

  private ModernBeforeAfter() {}

  public static void main(String[] args) throws Exception {
    boolean canns = args.length > 0 && args[0].equals("--canns");
    int[] shape = null;
    if (canns) {
      args = Arrays.copyOfRange(args, 1, args.length);
    } else if (args.length > 0 && args[0].equals("--shape")) {
      if (args.length < 2) {
        throw Baselines.usage("ModernBeforeAfter", "--shape needs B,P,N");
      }
      String[] f = args[1].split(",", -1);
      if (f.length != 3) {
        throw Baselines.usage("ModernBeforeAfter", "--shape needs B,P,N, got '" + args[1] + "'");
      }
      shape = new int[3];
      for (int i = 0; i < 3; i++) {
        shape[i] = Baselines.count("ModernBeforeAfter", new String[] {"--shape", f[i]}, 0, 1);
      }
      if ((long) shape[1] * shape[2] > 1L << 28 || (long) shape[0] * shape[2] > 1L << 28) {
        throw Baselines.usage("ModernBeforeAfter", "--shape " + args[1] + " is too large");
      }
      args = Arrays.copyOfRange(args, 2, args.length);
    }
    if (args.length != 3) {
      throw Baselines.usage(
          "ModernBeforeAfter",
          "usage: ModernBeforeAfter [--canns | --shape B,P,N] ROUNDS BASE_CORE_JAR NEW_CORE_JAR");
    }
    int rounds = Baselines.count("ModernBeforeAfter", new String[] {"ROUNDS", args[0]}, 0, 1);
    for (int i = 1; i <= 2; i++) {
      if (!new File(args[i]).isFile()) {
        throw Baselines.usage("ModernBeforeAfter", "no core jar at " + args[i]);
      }
    }
    int n = canns ? ModernBench.CANNS_N : shape != null ? shape[2] : ModernBench.N;
    int p = canns ? ModernBench.CANNS_P : shape != null ? shape[1] : ModernBench.P;
    SplittableRandom rnd = new SplittableRandom(1); // ModernBench's first workload
    float[] x;
    float[][] cues;
    if (shape != null) {
      // ±1 patterns; each cue a stored pattern with 20% of its values flipped
      x = ModernBench.storedPatterns(rnd, p, n);
      cues = ModernBench.cuesOf(x, rnd, shape[0], p, n);
    } else if (canns) {
      x = new float[p * n];
      for (int i = 0; i < x.length; i++) {
        x[i] = rnd.nextBoolean() ? 1f : -1f;
      }
      cues = new float[p][];
      for (int q = 0; q < p; q++) {
        cues[q] = Arrays.copyOfRange(x, q * n, (q + 1) * n);
        for (int i = 0; i < n; i++) {
          if (rnd.nextDouble() < 0.3) {
            cues[q][i] = -cues[q][i];
          }
        }
      }
    } else {
      x = ModernBench.storedPatterns(rnd);
      cues = ModernBench.cuesOf(x, rnd);
    }
    int b = cues.length;
    Build[] builds = {new Build(args[1], x, n, p), new Build(args[2], x, n, p)};
    x = null;
    float[][] states0 = builds[0].states(cues);
    float[][] states1 = builds[1].states(cues);
    String bits0 = builds[0].bits(cues);
    boolean same = bits0.equals(builds[1].bits(cues));
    double largest = 0;
    for (int q = 0; q < states0.length; q++) {
      for (int i = 0; i < n; i++) {
        largest = Math.max(largest, Math.abs((double) states0[q][i] - states1[q][i]));
      }
    }
    int calls = 1;
    if (canns || shape != null) {
      double fastest = Double.MAX_VALUE;
      for (Build build : builds) {
        long end = System.nanoTime() + CANNS_WARM_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end) {
          fastest = Math.min(fastest, build.time(cues));
        }
      }
      // a round's time per build: the fastest of its calls, as many as fill about 50 ms
      calls = canns ? CANNS_CALLS : (int) Math.max(1, Math.min(CANNS_CALLS, 0.05 / fastest));
    }
    double[][] t = new double[2][rounds];
    for (int r = -3; r < rounds; r++) { // three rounds of warm-up
      for (int j = 0; j < 2; j++) {
        int which = (r & 1) == 0 ? j : 1 - j;
        double s = Double.MAX_VALUE;
        for (int c = 0; c < calls; c++) {
          s = Math.min(s, builds[which].time(cues));
        }
        if (r >= 0) {
          t[which][r] = s;
        }
      }
    }
    double[] ratio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ratio[r] = t[0][r] / t[1][r];
    }
    Arrays.sort(ratio);
    double[] base = t[0].clone();
    double[] now = t[1].clone();
    Arrays.sort(base);
    Arrays.sort(now);
    System.out.printf(
        Locale.ROOT,
        "%sB=%d P=%d N=%d, %d rounds%s: base %.4g s median (fastest %.4g), new %.4g s median"
            + " (fastest %.4g); base / new per round: median %.3fx (quartiles %.3fx-%.3fx); same"
            + " bits: %s%s%n",
        canns ? "CANNs image workload, " : "",
        b,
        p,
        n,
        rounds,
        calls > 1 ? " (each the fastest of " + calls + " calls per build)" : "",
        base[rounds / 2],
        base[0],
        now[rounds / 2],
        now[0],
        ratio[rounds / 2],
        ratio[rounds / 4],
        ratio[(3 * rounds) / 4],
        same,
        same
            ? ""
            : String.format(Locale.ROOT, " (largest difference of a state value %.3g)", largest));
    if (!same && !canns && shape == null) {
      System.exit(1);
    }
  }

  /** One build's memory, driven through its public API by reflection. */
  private static final class Build {
    private final Object memory;
    private final Object options;
    private final Method retrieveAll;

    Build(String jar, float[] x, int n, int p) throws Exception {
      ClassLoader cl =
          new URLClassLoader(
              new URL[] {new File(jar).toURI().toURL()}, ClassLoader.getPlatformClassLoader());
      Class<?> m = cl.loadClass("io.engram.memory.ModernHopfieldMemory");
      memory = m.getMethod("softmax", int.class).invoke(null, n);
      m.getMethod("storeRows", float[].class, int.class).invoke(memory, x, p);
      Object o = m.getMethod("defaultRecallOptions").invoke(memory);
      options = o.getClass().getMethod("withReportEnergy", boolean.class).invoke(o, false);
      retrieveAll = m.getMethod("retrieveAll", float[][].class, options.getClass());
    }

    double time(float[][] cues) throws Exception {
      long t0 = System.nanoTime();
      retrieveAll.invoke(memory, cues, options);
      return (System.nanoTime() - t0) / 1e9;
    }

    /** The states of the first 64 queries. */
    float[][] states(float[][] cues) throws Exception {
      Object res =
          retrieveAll.invoke(memory, Arrays.copyOf(cues, Math.min(64, cues.length)), options);
      java.util.List<float[]> out = new java.util.ArrayList<>();
      for (Object r : (Iterable<?>) res) {
        out.add((float[]) r.getClass().getMethod("state").invoke(r));
      }
      return out.toArray(new float[0][]);
    }

    /** The states' bits and the energies of the first 64 queries, as text. */
    String bits(float[][] cues) throws Exception {
      Object withEnergy =
          options.getClass().getMethod("withReportEnergy", boolean.class).invoke(options, true);
      StringBuilder sb = new StringBuilder();
      Object res =
          retrieveAll.invoke(memory, Arrays.copyOf(cues, Math.min(64, cues.length)), withEnergy);
      for (Object r : (Iterable<?>) res) {
        for (float f : (float[]) r.getClass().getMethod("state").invoke(r)) {
          sb.append(Integer.toHexString(Float.floatToRawIntBits(f))).append(',');
        }
        sb.append(r.getClass().getMethod("energy").invoke(r)).append(';');
      }
      return sb.toString();
    }
  }
}
