package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.engram.kernels.BinaryRows;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A ±1 memory packs X's bits for its batches once they pay (a batch's first product of 2^28
 * multiply-adds, or the fourth batch), and its results stay those of the batches before, bit for
 * bit; storing or removing drops them, and a memory with any other value never has them.
 */
class BinaryBitsTest {

  @Test
  void batchesGiveTheSameResultsBeforeAndAfterTheBitsAreMade() {
    Random rnd = new Random(9);
    int n = 256;
    for (Separation s : new Separation[] {Separation.SOFTMAX, Separation.POLYNOMIAL}) {
      ModernHopfieldMemory m =
          s == Separation.SOFTMAX
              ? ModernHopfieldMemory.softmax(n)
              : ModernHopfieldMemory.polynomial(n, 3);
      float[][] x = new float[300][n];
      for (float[] r : x) {
        for (int i = 0; i < n; i++) {
          r[i] = rnd.nextBoolean() ? 1f : -1f;
        }
      }
      m.store(x);
      float[][] cues = new float[40][];
      for (int q = 0; q < cues.length; q++) {
        cues[q] = ModernHopfieldMemoryTest.flip(rnd, x[q], 50);
      }
      RecallOptions o = m.defaultRecallOptions().withMaxIterations(3).withTopK(2);
      assertNull(made(m), "no bits before a batch");
      List<RecallResult> first = m.retrieveAll(cues, o);
      for (int call = 2; call <= ModernHopfieldMemory.BITS_AFTER_STEPS + 1; call++) {
        List<RecallResult> again = m.retrieveAll(cues, o);
        for (int q = 0; q < cues.length; q++) {
          assertArrayEquals(first.get(q).state(), again.get(q).state(), s + " call " + call);
          assertEquals(first.get(q).energy(), again.get(q).energy());
          assertEquals(first.get(q).matches(), again.get(q).matches());
          assertEquals(first.get(q).steps(), again.get(q).steps());
        }
      }
      assertNotNull(made(m), "the bits were made by the fourth batch");
      // a cue that is not ±1 (or not finite) takes the multiplied path, and is refused as before
      float[][] bad = cues.clone();
      bad[7] = cues[7].clone();
      bad[7][3] = s == Separation.SOFTMAX ? Float.NaN : 0.5f;
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> m.retrieveAll(bad, o));
      org.junit.jupiter.api.Assertions.assertTrue(
          e.getMessage().startsWith("query 7 has"), e.getMessage());
      m.remove(0);
      assertNull(made(m), "dropped with the patterns they were of");
    }
    // values other than ±1: never packed
    ModernHopfieldMemory real = ModernHopfieldMemory.softmax(n);
    real.store(ModernHopfieldMemoryTest.random(rnd, 300, n, 1f));
    for (int call = 0; call < ModernHopfieldMemory.BITS_AFTER_STEPS + 1; call++) {
      real.retrieveAll(ModernHopfieldMemoryTest.random(rnd, 10, n, 1f));
    }
    assertNull(made(real));
  }

  /** The memory's bits when made for its patterns now, else null. */
  private static BinaryRows made(ModernHopfieldMemory m) {
    return m.binaryRowsMade();
  }
}
