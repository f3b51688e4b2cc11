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
 * <p>Usage: {@code ModernBeforeAfter ROUNDS BASE_CORE_JAR NEW_CORE_JAR}; run it with {@code
 * engram-bench/modern_before_after.sh}, which builds both jars.
 */
public final class ModernBeforeAfter {

  private ModernBeforeAfter() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw Baselines.usage(
          "ModernBeforeAfter", "usage: ModernBeforeAfter ROUNDS BASE_CORE_JAR NEW_CORE_JAR");
    }
    int rounds = Baselines.count("ModernBeforeAfter", new String[] {"ROUNDS", args[0]}, 0, 1);
    int n = ModernBench.N;
    int p = ModernBench.P;
    int b = ModernBench.B;
    SplittableRandom rnd = new SplittableRandom(1); // ModernBench's first workload
    float[] x = ModernBench.storedPatterns(rnd);
    float[][] cues = ModernBench.cuesOf(x, rnd);
    Build[] builds = {new Build(args[1], x, n, p), new Build(args[2], x, n, p)};
    x = null;
    String bits0 = builds[0].bits(cues);
    boolean same = bits0.equals(builds[1].bits(cues));
    double[][] t = new double[2][rounds];
    for (int r = -3; r < rounds; r++) { // three rounds of warm-up
      for (int j = 0; j < 2; j++) {
        int which = (r & 1) == 0 ? j : 1 - j;
        double s = builds[which].time(cues);
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
        "B=%d P=%d N=%d, %d rounds: base %.4f s median (fastest %.4f), new %.4f s median (fastest"
            + " %.4f); base / new per round: median %.3fx (quartiles %.3fx-%.3fx); same bits: %s%n",
        b,
        p,
        n,
        rounds,
        base[rounds / 2],
        base[0],
        now[rounds / 2],
        now[0],
        ratio[rounds / 2],
        ratio[rounds / 4],
        ratio[(3 * rounds) / 4],
        same);
    if (!same) {
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

    /** The states' bits and the energies of the first 64 queries, as text. */
    String bits(float[][] cues) throws Exception {
      Object withEnergy =
          options.getClass().getMethod("withReportEnergy", boolean.class).invoke(options, true);
      StringBuilder sb = new StringBuilder();
      Object res = retrieveAll.invoke(memory, Arrays.copyOf(cues, 64), withEnergy);
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
