package io.engram.bench;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures what the machine can do, for the comparison's "fraction of peak" columns: the float32
 * FMA peak (a register-only loop of independent vector FMAs, 1 and all threads; checked against the
 * C reference {@code src/main/c/fma_peak.c} in the same run) and the read bandwidth of a large
 * array. The second file (with PanamaKernels) that imports the Vector API.
 */
final class MachineProbe {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private MachineProbe() {}

  /** Runs {@code body(t)} on {@code threads} threads at once and waits for them. */
  static void onThreads(int threads, IntConsumer body) {
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      final int id = t;
      ts[t] = new Thread(() -> body.accept(id));
      ts[t].start();
    }
    for (Thread t : ts) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Independent FMA chains per thread: at least latency x pipes (4 x 2 on Zen 4/5). */
  static final int CHAINS = 16;

  /**
   * GFLOP/s of {@code threads} threads running {@link #CHAINS} independent 512-bit FMA chains each,
   * counted as 2 flops per lane per FMA. Checked against {@code src/main/c/fma_peak.c} (explicit
   * AVX-512 intrinsics), which {@code compare.sh} runs in the same script. The chains start from
   * different values (identical chains could be merged by the JIT) and every result is consumed;
   * the first, compiling, round is not timed.
   */
  static double fmaPeak(int threads) {
    long iters = 20_000_000L;
    float[] sink = new float[threads];
    onThreads(threads, t -> sink[t] = fmaLoop(iters / 10)); // warm-up: compile fmaLoop
    double best = 0;
    for (int rep = 0; rep < 4; rep++) {
      long t0 = System.nanoTime();
      onThreads(threads, t -> sink[t] = fmaLoop(iters));
      long dt = System.nanoTime() - t0;
      double flops = 2.0 * CHAINS * S.length() * iters * threads;
      best = Math.max(best, flops / dt);
      for (float v : sink) {
        if (Float.isNaN(v)) {
          throw new IllegalStateException();
        }
      }
    }
    return best;
  }

  private static float fmaLoop(long iters) {
    FloatVector a = FloatVector.broadcast(S, 0.999f);
    FloatVector b = FloatVector.broadcast(S, 1e-7f);
    FloatVector c0 = FloatVector.broadcast(S, 1.000f), c1 = FloatVector.broadcast(S, 1.001f);
    FloatVector c2 = FloatVector.broadcast(S, 1.002f), c3 = FloatVector.broadcast(S, 1.003f);
    FloatVector c4 = FloatVector.broadcast(S, 1.004f), c5 = FloatVector.broadcast(S, 1.005f);
    FloatVector c6 = FloatVector.broadcast(S, 1.006f), c7 = FloatVector.broadcast(S, 1.007f);
    FloatVector c8 = FloatVector.broadcast(S, 1.008f), c9 = FloatVector.broadcast(S, 1.009f);
    FloatVector c10 = FloatVector.broadcast(S, 1.010f), c11 = FloatVector.broadcast(S, 1.011f);
    FloatVector c12 = FloatVector.broadcast(S, 1.012f), c13 = FloatVector.broadcast(S, 1.013f);
    FloatVector c14 = FloatVector.broadcast(S, 1.014f), c15 = FloatVector.broadcast(S, 1.015f);
    for (long i = 0; i < iters; i++) {
      c0 = c0.fma(a, b);
      c1 = c1.fma(a, b);
      c2 = c2.fma(a, b);
      c3 = c3.fma(a, b);
      c4 = c4.fma(a, b);
      c5 = c5.fma(a, b);
      c6 = c6.fma(a, b);
      c7 = c7.fma(a, b);
      c8 = c8.fma(a, b);
      c9 = c9.fma(a, b);
      c10 = c10.fma(a, b);
      c11 = c11.fma(a, b);
      c12 = c12.fma(a, b);
      c13 = c13.fma(a, b);
      c14 = c14.fma(a, b);
      c15 = c15.fma(a, b);
    }
    FloatVector s0 = c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7)));
    FloatVector s1 = c8.add(c9).add(c10.add(c11)).add(c12.add(c13).add(c14.add(c15)));
    return s0.add(s1).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }

  /** GB/s reading a 512 MiB array with {@code threads} threads (vector sums). */
  static double readBandwidth(int threads) {
    int n = 128 << 20;
    float[] a = new float[n];
    java.util.Arrays.fill(a, 1f);
    double best = 0;
    for (int rep = 0; rep < 5; rep++) {
      float[] sink = new float[threads];
      long t0 = System.nanoTime();
      onThreads(
          threads,
          t -> {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            FloatVector acc = FloatVector.zero(S);
            int i = from;
            for (; i <= to - S.length(); i += S.length()) {
              acc = acc.add(FloatVector.fromArray(S, a, i));
            }
            sink[t] = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
          });
      long dt = System.nanoTime() - t0;
      best = Math.max(best, 4.0 * n / dt);
    }
    return best;
  }
}
