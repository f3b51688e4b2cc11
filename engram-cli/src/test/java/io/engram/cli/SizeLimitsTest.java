package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.Npy;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.PseudoInverseOptions;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs of more than 2 GiB, without gigabytes: {@code train} refuses up front a model whose one
 * member no reader takes (more floats than one Java array holds: 32768 x 65536 modern patterns, a
 * low-rank call of as many), naming the limit; {@code corrupt} and {@code recall} stream a .npy of
 * any size; the out-of-memory estimate of reading a narrow dtype counts its floats.
 */
class SizeLimitsTest {

  @TempDir Path dir;

  private static final HebbianRule HEBB = HebbianRule.hebbian(HebbianOptions.DEFAULTS);

  private static String refused(Runnable check) {
    return assertThrows(UserError.class, check::run).getMessage();
  }

  @Test
  void aModernMemoryNoReaderTakesIsRefusedBeforeItIsStored() {
    String m = refused(() -> ModelLimits.modern("m.npz", 0, 32768, 65536));
    // the reader's own words, and what would fit
    assertTrue(
        m.startsWith(
            "--out m.npz: 32768 patterns of length 65536 (8589934592 bytes) are more than one model"
                + " file member can hold (at most 8589934556 bytes: 32767 of this length)"),
        m);
    ModelLimits.modern("m.npz", 0, 32767, 65536);
    // the 2.0 GiB memory of an earlier finding (8193 x 65536, once refused by every reader)
    ModelLimits.modern("m.npz", 0, 8193, 65536);
    // appending to an --init memory grows X
    String grown = refused(() -> ModelLimits.modern("m.npz", 32000, 768, 65536));
    assertTrue(grown.contains("32768 patterns of length 65536"), grown);
    assertTrue(grown.contains("the --init memory holds 32000 of them"), grown);
  }

  @Test
  void aLowRankCallNoReaderTakesIsRefusedBeforeTheWork() {
    // N = 65536 is low-rank in every mode (dense holds at most N = 46340)
    AmariHopfieldNetwork big = AmariHopfieldNetwork.create(65536, Dynamics.DEFAULT);
    String m = refused(() -> ModelLimits.classical("c.npz", big, HEBB, 32768, 65536));
    assertTrue(
        m.startsWith(
            "--out c.npz: 32768 patterns of length 65536 (8589934592 bytes) are more than one model"
                + " file member can hold"),
        m);
    assertTrue(m.contains("train them in smaller calls (--init adds one)"), m);
    assertTrue(!m.contains("--weights dense"), m);
    ModelLimits.classical("c.npz", big, HEBB, 32767, 65536);
    ModelLimits.classical("c.npz", big, HEBB, 8200, 65536);
    // the factored pseudo-inverse: V can reach rank P
    PseudoInverseRule pinv = PseudoInverseRule.create(PseudoInverseOptions.DEFAULTS);
    String v = refused(() -> ModelLimits.classical("p.npz", big, pinv, 32768, 65536));
    assertTrue(
        v.contains("the pseudo-inverse factor V (one member, V.npy) can reach rank 32768"), v);
    ModelLimits.classical("p.npz", big, pinv, 8200, 65536);
  }

  @Test
  void theRepresentationIsTheOneTheCallWillMake() {
    // auto at N = 40000: low-rank while 4 R + 3 < 2 N (15000 patterns: one member of 2.2 GiB),
    // dense beyond (60000 patterns: W.npy, N² floats); explicitly low-rank, 60000 patterns are
    // more than one member holds; Storkey's weights (dense only) never are
    AmariHopfieldNetwork auto = AmariHopfieldNetwork.create(40000, Dynamics.DEFAULT);
    ModelLimits.classical("c.npz", auto, HEBB, 15000, 40000);
    ModelLimits.classical("c.npz", auto, HEBB, 60000, 40000);
    AmariHopfieldNetwork low =
        AmariHopfieldNetwork.create(40000, Dynamics.DEFAULT, WeightsMode.LOW_RANK);
    String m = refused(() -> ModelLimits.classical("c.npz", low, HEBB, 60000, 40000));
    assertTrue(m.endsWith(", or use --weights dense"), m);
    ModelLimits.classical("c.npz", low, StorkeyRule.create(true), 60000, 40000);
  }

  /** Counts what is written; keeps nothing. */
  private static final class Counting extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  /**
   * The .npy of 8200 rows of 65536 floats (2.0 GiB: one buffer of its bytes overflowed an int,
   * "capacity < 0") is streamed from the rows; here all rows are one array, so the test holds 256
   * KiB.
   */
  @Test
  void rowsOfMoreThan2GiBAreWrittenAsNpy() throws IOException {
    float[] row = new float[65536];
    Arrays.fill(row, -1f);
    float[][] rows = new float[8200][];
    Arrays.fill(rows, row);
    Counting out = new Counting();
    Outputs.npyRows(rows, 65536).writeTo(out);
    assertEquals(128 + 4L * 8200 * 65536, out.count);
    // small ones are read back as they were
    float[][] small = {{1f, -2f, 3f}, {4f, 5f, -6f}};
    Path f = dir.resolve("r.npy");
    new Outputs().addRows("--out", f, small, 3).write();
    assertArrayEquals(new float[] {1f, -2f, 3f, 4f, 5f, -6f}, Npy.read(f).toFloatArray());
  }

  @Test
  void corruptFlipsTheRowsItCopiedAsFlipDoes() {
    SplittableRandom r = new SplittableRandom(5);
    float[][] rows = new float[7][33];
    for (float[] x : rows) {
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    float[][] original = new float[7][];
    for (int k = 0; k < 7; k++) {
      original[k] = rows[k].clone();
    }
    float[][] copies = CorruptCommand.flip(rows, 0.3, 42);
    // the rows given are left as they were (demo flips its stored patterns into cues)
    assertArrayEquals(original, rows);
    // each copy has round(0.3 * 33) = 10 of its values negated, the others as they were
    for (int k = 0; k < 7; k++) {
      int negated = 0;
      for (int i = 0; i < 33; i++) {
        if (copies[k][i] != rows[k][i]) {
          assertEquals(-rows[k][i], copies[k][i], "row " + k + ", value " + i);
          negated++;
        }
      }
      assertEquals(10, negated, "row " + k);
    }
    float[][] same = new float[7][];
    for (int k = 0; k < 7; k++) {
      same[k] = rows[k].clone();
    }
    assertArrayEquals(copies, CorruptCommand.flipInPlace(same, 0.3, 42));
  }

  /**
   * A bool .npy of 1000 x 1000 (1 MB) becomes 4 MB of floats: reading it needs the file and twice
   * its floats, not three times the file (the advice said 1.50 GiB for a bool file whose floats
   * alone were 2.0 GiB).
   */
  @Test
  void readingANarrowDtypeCountsItsFloats() throws IOException {
    Path f = dir.resolve("b.npy");
    String dict = "{'descr': '|b1', 'fortran_order': False, 'shape': (1000, 1000), }";
    // padded with spaces and a newline to 128 bytes in all, as numpy writes it
    String h = dict + " ".repeat(127 - 10 - dict.length()) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + h.length() + 1_000_000).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) h.length());
    b.put(h.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Files.write(f, b.array());
    assertEquals(1_000_000L, Npy.elements(f));
    long size = Files.size(f);
    Memory.reset();
    try {
      Memory.reading(List.of(f));
      String a = Memory.advice();
      assertTrue(a.contains("(" + Memory.bytes(4_000_000) + " as floats)"), a);
      assertTrue(a.contains("needs about " + Memory.bytes(size + 8_000_000) + " of heap"), a);
    } finally {
      Memory.reset();
    }
  }
}
