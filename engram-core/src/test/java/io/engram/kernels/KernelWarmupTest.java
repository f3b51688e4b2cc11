package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * The warm-up's round runs every path without error (the warm-up itself swallows errors, so a wrong
 * shape would go unnoticed there), and a warm-up ends, leaving the SIMD kernels to every thread.
 */
class KernelWarmupTest {

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
          KernelWarmup.TILES, KernelWarmup.MASKED, KernelWarmup.DOTS, KernelWarmup.ELEMENTWISE
        }) {
      assertFalse(KernelWarmup.useTwin(family), "family " + family);
    }
    assertSame(Providers.chosen(), Providers.forCall());
  }

  @Test
  void aTrialTimesOnlyTheFamiliesAskedFor() {
    KernelProvider simd = Providers.chosen();
    KernelWarmup.Trial trial = new KernelWarmup.Trial(simd);
    int all =
        KernelWarmup.TILES | KernelWarmup.MASKED | KernelWarmup.DOTS | KernelWarmup.ELEMENTWISE;
    assertEquals(0, trial.round(all));
    for (int i = 0; i < 3; i++) {
      assertEquals(0, trial.round(0) & ~all);
    }
  }
}
