package io.engram.kernels;

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

  @Test
  void aFullRetrievalTileAsksTheWarmUpForItsFamily() {
    KernelProvider kp = Providers.switching();
    float[] a = new float[12 * 4];
    float[] b = new float[4 * 32];
    float[] c = new float[12 * 32];
    float[] scratch = new float[KernelProvider.TALL * KernelProvider.NR];
    // a partial tile is the masked tiles' family; a full one (12 or 8 rows, B 32 wide) its own
    kp.tileInto(5, 32, 4, a, 0, 4, 1, b, 0, 32, c, 0, 32, scratch);
    kp.tileAddInto(12, 32, 4, a, 0, 4, 1, b, 0, 32, c, 0, 32, scratch);
    assertTrue(KernelWarmup.retrievalWanted() || kp == Providers.chosen(), "asked for");
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
