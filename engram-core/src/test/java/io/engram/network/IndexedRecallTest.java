package io.engram.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PatternBlock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code recall(cue, options, q)} is element q of {@code recallBatch}, for every update mode. */
class IndexedRecallTest {

  @Test
  void matchesTheBatchElement() {
    int n = 24;
    SplittableRandom r = new SplittableRandom(3);
    float[][] cues = new float[9][n];
    float[] pats = new float[3 * n];
    for (int i = 0; i < pats.length; i++) {
      pats[i] = r.nextBoolean() ? 1f : -1f;
    }
    for (float[] c : cues) {
      for (int i = 0; i < n; i++) {
        c[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n);
    HebbianRule.hebbian(HebbianOptions.DEFAULTS)
        .train(net, PatternBlock.ofRows(pats, 3, n), true, null);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = n - 1 - i;
    }
    for (UpdateMode m :
        new UpdateMode[] {
          UpdateMode.synchronous(), UpdateMode.asynchronous(order), UpdateMode.asynchronous(11L)
        }) {
      RecallOptions o = RecallOptions.defaults().withDynamics(Dynamics.DEFAULT.withUpdateMode(m));
      List<RecallResult> batch = net.recallBatch(cues, o);
      for (int q = 0; q < cues.length; q++) {
        RecallResult one = net.recall(cues[q], o, q);
        assertArrayEquals(batch.get(q).state(), one.state());
        assertEquals(batch.get(q).steps(), one.steps());
        assertEquals(batch.get(q).converged(), one.converged());
        assertEquals(batch.get(q).energy(), one.energy());
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> net.recall(cues[0], RecallOptions.defaults(), -1));
  }
}
