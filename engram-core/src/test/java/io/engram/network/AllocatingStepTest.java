package io.engram.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine's side of {@link RetrievalStep#allocatesStates()}. */
class AllocatingStepTest {

  /** {@code next = -cur}, making the arrays it is given none of (or, if {@code lazy}, none). */
  private static final class Negate implements RetrievalStep {
    final int n;
    final boolean lazy;
    final AtomicInteger made = new AtomicInteger();
    final AtomicInteger reused = new AtomicInteger();

    Negate(int n, boolean lazy) {
      this.n = n;
      this.lazy = lazy;
    }

    @Override
    public int size() {
      return n;
    }

    @Override
    public boolean batched() {
      return true;
    }

    @Override
    public boolean allocatesStates() {
      return true;
    }

    @Override
    public boolean energyComesWithStep() {
      return false;
    }

    @Override
    public void step(
        float[][] cur,
        float[][] next,
        int count,
        int[] queries,
        int sweep,
        boolean[] changed,
        double[] energies,
        RecallResult.Match[][] matches,
        int topK) {
      for (int c = 0; c < count; c++) {
        if (next[c] == null) {
          if (lazy) {
            continue; // breaks the contract
          }
          next[c] = new float[n];
          made.incrementAndGet();
        } else {
          reused.incrementAndGet();
        }
        for (int i = 0; i < n; i++) {
          next[c][i] = -cur[c][i];
        }
        changed[c] = true;
      }
    }

    @Override
    public long cost() {
      return n;
    }

    @Override
    public void energies(float[][] states, int count, double[] out) {
      for (int c = 0; c < count; c++) {
        out[c] = 0f;
      }
    }
  }

  @Test
  void aStepThatAllocatesGetsNullWhereTheEngineHasNoArrayAndItsArraysAreKept() {
    float[][] cues = {{1, -2, 3}, {4, 5, -6}};
    float[][] copies = {cues[0].clone(), cues[1].clone()};
    Negate step = new Negate(3, false);
    List<RecallResult> rs =
        RecallEngine.run(step, cues, RecallOptions.defaults().withMaxIterations(3));
    for (int q = 0; q < 2; q++) {
      float[] want = copies[q].clone();
      for (int i = 0; i < 3; i++) {
        want[i] = -want[i];
      }
      assertArrayEquals(want, rs.get(q).state(), "three negations of cue " + q);
      assertNotSame(cues[q], rs.get(q).state());
      assertArrayEquals(copies[q], cues[q], "cues untouched");
      assertEquals(3, rs.get(q).steps());
    }
    // per query: a new array for the first step and for the second (the first step's input was
    // the cue, never written), the first step's array again for the third
    assertEquals(4, step.made.get());
    assertEquals(2, step.reused.get());
  }

  @Test
  void aStepThatLeavesAStateWithoutAnArrayIsAnError() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                RecallEngine.run(
                    new Negate(2, true),
                    new float[][] {{1, 2}},
                    RecallOptions.defaults().withMaxIterations(1)));
    assertTrue(e.getMessage().contains("without an array"), e.getMessage());
  }
}
