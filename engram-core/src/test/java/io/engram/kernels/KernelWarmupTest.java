package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The warm-up's round runs every path without error (the warm-up itself swallows errors, so a wrong
 * shape would go unnoticed there), and a warm-up ends, leaving the SIMD kernels to every thread.
 */
class KernelWarmupTest {

  /**
   * A command whose work may stay small runs the twin made before the SIMD kernels are loaded: it
   * must have their lanes (its sums of lanes follow them), also with a narrower species asked for
   * (the 256-bit test run), and exist only where they are the kernels in use.
   */
  @Test
  void theTwinMadeBeforeTheKernelsHasTheirLanes() {
    KernelProvider chosen = Providers.chosen();
    KernelProvider early = Providers.onDemandTwin();
    if (chosen.standIn() == chosen) {
      assertEquals(null, early, "no twin without the SIMD kernels");
    } else {
      assertEquals(chosen.standIn().name(), early.name());
      assertEquals(chosen.fusedTiles(), early.fusedTiles());
    }
  }

  @Test
  void aRoundRunsEveryPathWithoutError() {
    KernelWarmup.Work w = new KernelWarmup.Work();
    for (int i = 0; i < 3; i++) {
      w.round();
    }
  }

  @Test
  void aWarmUpEndsAndHandsTheKernelsBack() {
    // (a test JVM compiles the SIMD kernels later than bin/engram asks for: at most 2 s here)
    int rounds = KernelWarmup.run(2000, true);
    assertEquals(Kernels.isVectorized(), rounds > 0, "rounds run: " + rounds);
    assertFalse(KernelWarmup.useTwin());
    for (int family :
        new int[] {
          KernelWarmup.TILES,
          KernelWarmup.MASKED,
          KernelWarmup.DOTS,
          KernelWarmup.ELEMENTWISE,
          KernelWarmup.RETRIEVAL
        }) {
      assertFalse(KernelWarmup.useTwin(family), "family " + family);
    }
    assertSame(Providers.chosen(), Providers.forCall());
  }

  /**
   * A family is handed back when its trial sees it win, so every kernel of the family that a
   * retrieval calls must be in the trial: a kernel left out may still run the Vector API's boxed
   * fallback after the hand-back (a modern recall lost seconds in {@code maxMin} and {@code
   * expShift} that way).
   */
  @Test
  void theTrialsTimeEveryKernelTheirFamiliesHandBack() {
    KernelProvider real = Providers.chosen();
    java.util.Set<String> called = new java.util.TreeSet<>();
    KernelProvider recording =
        (KernelProvider)
            java.lang.reflect.Proxy.newProxyInstance(
                KernelProvider.class.getClassLoader(),
                new Class<?>[] {KernelProvider.class},
                (proxy, m, args) -> {
                  if (m.getName().equals("standIn")) {
                    return real.standIn();
                  }
                  called.add(m.getName());
                  try {
                    return m.invoke(real, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    new KernelWarmup.Trial(recording).round(0);
    for (String kernel :
        new String[] {
          "maxMin",
          "expShift",
          "scale",
          "axpby",
          "divide",
          "add",
          "axpyRows",
          "axpyRowsEach",
          "axpyRowsEachInto",
          "axpyRowsInto",
          "dot",
          "dot4x4",
          "tile"
        }) {
      org.junit.jupiter.api.Assertions.assertTrue(
          called.contains(kernel), kernel + " is not timed; timed: " + called);
    }
  }

  /**
   * The warm-up waits from the start only for the families every product calls (full tiles,
   * element-wise); masked tiles and dot products join once a call wants them (as a modern
   * retrieval's kernels do), and a call through the switching kernels is what wants them. A dense
   * train + recall, which calls neither, measured 1.15x with them left out (the masked tiles'
   * trial, the one least often won, had kept the warm-up thread busy on one core of two).
   */
  @Test
  void maskedTilesAndDotProductsAreWarmedOnceCalled() {
    assertEquals(KernelWarmup.TILES | KernelWarmup.ELEMENTWISE, KernelWarmup.FROM_START);
    assertTrue(KernelWarmup.wants(KernelWarmup.FROM_START));
    KernelProvider kp = Providers.switching();
    float[] a = KernelWarmup.Work.filled(8 * 64, 1);
    float[] b = KernelWarmup.Work.filled(64 * 32, 2);
    float[] out = new float[KernelProvider.MR * KernelProvider.NR];
    // a partial tile (5 rows of 20 columns) is a masked one; the result is the chosen kernels'
    float[] expected = new float[out.length];
    Providers.chosen().tile(5, 20, 64, a, 0, 64, 1, b, 0, 32, expected, false);
    kp.tile(5, 20, 64, a, 0, 64, 1, b, 0, 32, out, false);
    assertArrayEquals(expected, out);
    assertEquals(Providers.chosen().dot(a, 0, b, 0, 100), kp.dot(a, 0, b, 0, 100));
    if (kp != Providers.chosen()) {
      assertTrue(KernelWarmup.wants(KernelWarmup.MASKED), "a masked tile wants its family");
      assertTrue(KernelWarmup.wants(KernelWarmup.DOTS), "a dot product wants its family");
    }
  }

  @Test
  void aTrialTimesOnlyTheFamiliesAskedFor() {
    KernelProvider simd = Providers.chosen();
    KernelWarmup.Trial trial = new KernelWarmup.Trial(simd);
    int all =
        KernelWarmup.TILES
            | KernelWarmup.MASKED
            | KernelWarmup.DOTS
            | KernelWarmup.ELEMENTWISE
            | KernelWarmup.RETRIEVAL;
    assertEquals(0, trial.round(all));
    for (int i = 0; i < 3; i++) {
      assertEquals(0, trial.round(0) & ~all);
    }
  }
}
