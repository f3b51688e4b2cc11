package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
    int rounds = KernelWarmup.run();
    assertEquals(Kernels.isVectorized(), rounds > 0, "rounds run: " + rounds);
    assertFalse(KernelWarmup.useTwin());
  }
}
