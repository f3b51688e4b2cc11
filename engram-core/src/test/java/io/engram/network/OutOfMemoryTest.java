package io.engram.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import io.engram.weights.WeightsMode;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A dense training call that runs out of heap leaves the network exactly as it was: weights bit for
 * bit, their bound (which the overflow guard reads), history, and what later calls make of them.
 * Run in a JVM of its own with a small heap ({@link Child}).
 */
class OutOfMemoryTest {

  static final int N = 1024;

  /** P x N random ±1 patterns, drawn outside the heap and copied into a block (the heap's). */
  static PatternBlock patterns(int p, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    FloatBuffer b =
        ByteBuffer.allocateDirect(4 * p * N).order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int i = 0; i < p * N; i++) {
      b.put(i, r.nextBoolean() ? 1f : -1f);
    }
    return PatternBlock.ofRows(b, p, N);
  }

  /** A dense network trained once, W held in an array (the next call adds to it in place). */
  static AmariHopfieldNetwork trained() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(N, Dynamics.DEFAULT, WeightsMode.DENSE);
    HebbianTrainer.create(net).train(patterns(100, 1));
    net.weights().get(0, 0);
    return net;
  }

  /**
   * In a heap of 64 MiB: W (4 MiB) and a block of 9000 patterns (36 MiB) fit, the update's packed
   * copy of the patterns (36 MiB more) does not. Prints what differs after the failed call, or
   * "unchanged".
   */
  public static final class Child {
    public static void main(String[] args) {
      AmariHopfieldNetwork net = trained();
      float[] w = net.weightMatrix();
      double bound = net.weights().maxAbsBound();
      List<TrainingRecord> history = new ArrayList<>(net.history());
      PatternBlock big = patterns(9000, 2);
      try {
        HebbianTrainer.create(net).train(big);
        System.out.println("trained: no OutOfMemoryError");
        return;
      } catch (OutOfMemoryError expected) {
        big = null;
      }
      List<String> changed = new ArrayList<>();
      if (!Arrays.equals(w, net.weightMatrix())) {
        changed.add("weights");
      }
      if (bound != net.weights().maxAbsBound()) {
        changed.add("bound " + bound + " -> " + net.weights().maxAbsBound());
      }
      if (!history.equals(net.history())) {
        changed.add("history");
      }
      // a later call makes of them what it makes of weights that never saw the failure
      AmariHopfieldNetwork reference = trained();
      HebbianTrainer.create(net).train(patterns(50, 3));
      HebbianTrainer.create(reference).train(patterns(50, 3));
      if (!Arrays.equals(reference.weightMatrix(), net.weightMatrix())) {
        changed.add("the next call's weights");
      }
      System.out.println(changed.isEmpty() ? "unchanged" : "changed: " + changed);
    }
  }

  private static String location(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /**
   * The update packed the patterns inside the kernel after the weights' bound had grown: out of
   * heap there, the bound stayed grown (1.005 -> 2.008 here) over unchanged weights.
   */
  @Test
  void aDenseUpdateWithoutHeapForItsWorkChangesNothing() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        location(AmariHopfieldNetwork.class) + File.pathSeparator + location(OutOfMemoryTest.class);
    Process child =
        new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", cp, Child.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
    assertEquals(0, child.exitValue(), out);
    // (its last line; a line before it may be the kernels' log line)
    assertEquals("unchanged", out.substring(out.lastIndexOf('\n') + 1), out);
  }
}
