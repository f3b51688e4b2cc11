package io.engram.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * What the machine can do (float32 FMA peak, read bandwidth), from {@code MachineProbe}: that class
 * uses the Vector API, so the build compiles it apart (its own source root, after these sources;
 * see the pom) and it is called here by reflection. Compiled before the main sources, it was lost
 * whenever their compilation rebuilt the module after a change in engram-core ("cannot find symbol
 * MachineProbe").
 */
final class Machine {

  private Machine() {}

  /** The float32 FMA peak on {@code threads} threads, GFLOP/s. */
  static double fmaPeak(int threads) {
    return probe("fmaPeak", threads);
  }

  /** The read bandwidth of a large array on {@code threads} threads, GB/s. */
  static double readBandwidth(int threads) {
    return probe("readBandwidth", threads);
  }

  private static double probe(String name, int threads) {
    try {
      Method m = Class.forName("io.engram.bench.MachineProbe").getDeclaredMethod(name, int.class);
      m.setAccessible(true);
      return (Double) m.invoke(null, threads);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the machine probe failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the machine probe is missing from the benchmark jar: build it with"
              + " mvn -B package -pl engram-bench -am",
          e);
    }
  }
}
