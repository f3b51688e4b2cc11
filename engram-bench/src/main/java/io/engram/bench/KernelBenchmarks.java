package io.engram.bench;

import io.engram.kernels.Kernels;
import io.engram.learning.HebbianTrainer;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.weights.DenseWeights;
import io.engram.weights.LowRankWeights;
import io.engram.weights.WeightsMode;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The kernels, scalar and SIMD side by side: JMH runs every {@code impl} value in its own fork, and
 * the setup forces the implementation before the kernels load. Awkward sizes on purpose.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar engram-bench/target/benchmarks.jar KernelBenchmarks
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class KernelBenchmarks {

  /** Sets the implementation for this fork; must run before anything touches {@link Kernels}. */
  static void force(String impl) {
    System.setProperty(Kernels.VECTORIZATION_PROPERTY, impl);
    String got = Kernels.implementation();
    if (impl.equals("scalar") != got.equals("scalar")) {
      throw new IllegalStateException("wanted " + impl + " kernels, got " + got);
    }
  }

  static float[] pm1(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextBoolean() ? 1f : -1f;
    }
    return v;
  }

  /** Dot product. */
  @State(Scope.Thread)
  public static class Dot {
    @Param({"scalar", "panama"})
    public String impl;

    @Param({"1", "7", "31", "1021", "4097", "65537"})
    public int n;

    float[] a;
    float[] b;

    @Setup
    public void setup() {
      force(impl);
      SplittableRandom r = new SplittableRandom(1);
      a = pm1(r, n);
      b = pm1(r, n);
    }
  }

  @Benchmark
  public float dot(Dot s) {
    return Kernels.dot(s.a, 0, s.b, 0, s.n);
  }

  /** One synchronous recall step for B states: {@code F = W S}, dense. */
  @State(Scope.Thread)
  public static class DenseStep {
    @Param({"scalar", "panama"})
    public String impl;

    @Param({"1021", "4097"})
    public int n;

    @Param({"1", "31", "64"})
    public int b;

    DenseWeights w;
    float[] s;
    float[] out;

    @Setup
    public void setup() {
      force(impl);
      SplittableRandom r = new SplittableRandom(2);
      w = DenseWeights.zeros(n);
      w.get(0, 0); // W made first: the update runs here, not deferred to the first product
      w.plusGram(pm1(r, 20 * n), 20, 0f, 20f, false, null);
      s = pm1(r, n * b);
      out = new float[n * b];
    }
  }

  @Benchmark
  public float[] denseMultiply(DenseStep st) {
    st.w.multiplyColumns(st.s, st.b, st.out);
    return st.out;
  }

  /**
   * Dense weights handed over that are not symmetric (a sequence memory's W, say), one column: from
   * the second product on, read from W's transposed copy.
   */
  @State(Scope.Thread)
  public static class AsymmetricStep {
    @Param({"panama"})
    public String impl;

    @Param({"509", "1021", "2045"})
    public int n;

    DenseWeights w;
    float[] s;
    float[] out;

    @Setup
    public void setup() {
      force(impl);
      SplittableRandom r = new SplittableRandom(5);
      float[] a = new float[n * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (r.nextDouble() - 0.5);
      }
      w = DenseWeights.of(n, a);
      s = pm1(r, n);
      out = new float[n];
    }
  }

  @Benchmark
  public float[] asymmetricMultiply(AsymmetricStep st) {
    st.w.multiplyColumns(st.s, 1, st.out);
    return st.out;
  }

  /** Dense Hebbian training: the symmetric rank-P update. */
  @State(Scope.Thread)
  public static class Syrk {
    @Param({"scalar", "panama"})
    public String impl;

    @Param({"1021", "4097"})
    public int n;

    @Param({"63", "400"})
    public int p;

    float[] t;
    float[] w;

    @Setup
    public void setup() {
      force(impl);
      t = pm1(new SplittableRandom(3), p * n);
      w = new float[n * n];
    }
  }

  @Benchmark
  public float[] syrk(Syrk st) {
    Kernels.syrkAdd(st.n, st.p, st.t, 0f, st.w, st.p, false, false, null);
    return st.w;
  }

  /** One recall step with low-rank weights: {@code Tᵀ(T S)}. */
  @State(Scope.Thread)
  public static class LowRankStep {
    @Param({"scalar", "panama"})
    public String impl;

    @Param({"4097", "16385"})
    public int n;

    @Param({"4", "100", "400"})
    public int p;

    @Param({"1", "64"})
    public int b;

    LowRankWeights w;
    float[] s;
    float[] out;

    @Setup
    public void setup() {
      force(impl);
      SplittableRandom r = new SplittableRandom(4);
      w = LowRankWeights.zeros(n);
      w.plusGram(pm1(r, p * n), p, 0f, p, false, null);
      s = pm1(r, n * b);
      out = new float[n * b];
    }
  }

  @Benchmark
  public float[] lowRankMultiply(LowRankStep st) {
    st.w.multiplyColumns(st.s, st.b, st.out);
    return st.out;
  }

  /**
   * One cue recalled alone to its fixed point, as a CANNs user's {@code trainer.predict(cue)} in a
   * loop does: P = N/10 random patterns, Hebbian, the cue a stored pattern with 10% of its values
   * flipped (a few synchronous steps, each a product of one column).
   */
  @State(Scope.Thread)
  public static class PredictOne {
    @Param({"scalar", "panama"})
    public String impl;

    @Param({"1024", "4096"})
    public int n;

    @Param({"DENSE", "LOW_RANK"})
    public String mode;

    HebbianTrainer trainer;
    float[] cue;

    @Setup
    public void setup() {
      force(impl);
      SplittableRandom r = new SplittableRandom(5);
      int p = n / 10;
      float[][] x = new float[p][];
      for (int k = 0; k < p; k++) {
        x[k] = pm1(r, n);
      }
      AmariHopfieldNetwork net =
          AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, WeightsMode.valueOf(mode));
      trainer = HebbianTrainer.create(net);
      trainer.train(x);
      net.weights().get(0, 0); // dense W made now, not by the first measured call (isDeferred)
      cue = x[p / 2].clone();
      for (int i = 0; i < n; i++) {
        if (r.nextDouble() < 0.1) {
          cue[i] = -cue[i];
        }
      }
    }
  }

  @Benchmark
  public RecallResult predictOne(PredictOne st) {
    return st.trainer.predict(st.cue);
  }

  /**
   * One query retrieved from a modern memory (one softmax step, its best match named), as an
   * embedding lookup one query at a time does: P random ±1 patterns of N = 256, the query a stored
   * pattern with a fifth of its values flipped.
   */
  @State(Scope.Thread)
  public static class ModernOne {
    @Param({"scalar", "panama"})
    public String impl;

    @Param({"2000", "10000"})
    public int p;

    ModernHopfieldMemory memory;
    float[] query;
    RecallOptions options;

    @Setup
    public void setup() {
      force(impl);
      SplittableRandom r = new SplittableRandom(6);
      int n = 256;
      memory = ModernHopfieldMemory.softmax(n);
      memory.storeRows(pm1(r, p * n), p);
      query = memory.pattern(p / 2);
      for (int i = 0; i < n; i += 5) {
        query[i] = -query[i];
      }
      options = memory.defaultRecallOptions().withReportEnergy(false);
    }
  }

  @Benchmark
  public RecallResult modernOne(ModernOne st) {
    return st.memory.retrieve(st.query, st.options);
  }
}
