package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PseudoInverseOptions;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.WeightsMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs of more than 2 GiB, with the numbers of the findings and without gigabytes: {@code train}
 * refuses up front a model whose one member no reader takes (8193 x 65536 modern patterns, a
 * low-rank call of 8200 x 65536), naming the limit; {@code corrupt} and {@code recall} stream a
 * .npy of any size; the out-of-memory estimate of reading a narrow dtype counts its floats.
 */
class SizeLimitsTest {

  @TempDir Path dir;

  private static final HebbianRule HEBB = HebbianRule.hebbian(HebbianOptions.DEFAULTS);

  private static String refused(Runnable check) {
    return assertThrows(UserError.class, check::run).getMessage();
  }

  @Test
  void aModernMemoryNoReaderTakesIsRefusedBeforeItIsStored() {
    String m = refused(() -> ModelLimits.modern("m.npz", 0, 8193, 65536));
    // the reader's own words, and what would fit
    assertTrue(
        m.startsWith(
            "--out m.npz: 8193 patterns of length 65536 (2147745792 bytes) are more than one model"
                + " file member can hold (at most 2147418087 bytes: 8191 of this length)"),
        m);
    ModelLimits.modern("m.npz", 0, 8191, 65536);
    // appending to an --init memory grows X
    String grown = refused(() -> ModelLimits.modern("m.npz", 8000, 193, 65536));
    assertTrue(grown.contains("8193 patterns of length 65536"), grown);
    assertTrue(grown.contains("the --init memory holds 8000 of them"), grown);
  }

  @Test
  void aLowRankCallNoReaderTakesIsRefusedBeforeTheWork() {
    // N = 65536 is low-rank in every mode (dense holds at most N = 46340)
    AmariHopfieldNetwork big = AmariHopfieldNetwork.create(65536, Dynamics.DEFAULT);
    String m = refused(() -> ModelLimits.classical("c.npz", big, HEBB, 8200, 65536));
    assertTrue(
        m.startsWith(
            "--out c.npz: 8200 patterns of length 65536 (2149580800 bytes) are more than one model"
                + " file member can hold"),
        m);
    assertTrue(m.contains("train them in smaller calls (--init adds one)"), m);
    assertTrue(!m.contains("--weights dense"), m);
    ModelLimits.classical("c.npz", big, HEBB, 8191, 65536);
    // the factored pseudo-inverse: V can reach rank P
    PseudoInverseRule pinv = PseudoInverseRule.create(PseudoInverseOptions.DEFAULTS);
    String v = refused(() -> ModelLimits.classical("p.npz", big, pinv, 8200, 65536));
    assertTrue(
        v.contains("the pseudo-inverse factor V (one member, V.npy) can reach rank 8200"), v);
  }

  @Test
  void theRepresentationIsTheOneTheCallWillMake() {
    // auto at N = 40000: low-rank while 4 R + 3 < 2 N, so 15000 patterns stay low-rank (and do not
    // fit one member), 21000 go dense (W.npy is streamed: any size)
    AmariHopfieldNetwork auto = AmariHopfieldNetwork.create(40000, Dynamics.DEFAULT);
    String m = refused(() -> ModelLimits.classical("c.npz", auto, HEBB, 15000, 40000));
    assertTrue(m.endsWith(", or use --weights dense"), m);
    ModelLimits.classical("c.npz", auto, HEBB, 21000, 40000);
    // explicitly low-rank: refused either way; dense, or Storkey (dense only): never
    AmariHopfieldNetwork low =
        AmariHopfieldNetwork.create(40000, Dynamics.DEFAULT, WeightsMode.LOW_RANK);
    refused(() -> ModelLimits.classical("c.npz", low, HEBB, 21000, 40000));
    ModelLimits.classical("c.npz", low, StorkeyRule.create(true), 21000, 40000);
  }
}
