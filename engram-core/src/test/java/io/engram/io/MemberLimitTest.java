package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The size of one model file member (the floats of one Java array, some 8 GiB), and {@code .npy}
 * matrices of more than 2 GiB streamed without one buffer of their bytes. Nothing here holds
 * gigabytes: the checks are arithmetic, and the large matrix is made row by row and counted.
 */
class MemberLimitTest {

  private static final long ROW = 4L * 65536;

  @Test
  void theLimitIsTheFloatsOfOneJavaArray() {
    assertEquals(4L * Npy.MAX_ELEMENTS, ModelFile.MAX_MEMBER_BYTES);
    assertEquals(8589934556L, ModelFile.MAX_MEMBER_BYTES);
  }

  @Test
  void membersBeyondOneArrayAreRefusedByNameAndTheirLimit() {
    // the models of the earlier findings (2.0 GiB members, which readers then took whole into
    // one array of bytes) are members like any other now: read a block at a time into floats
    assertNull(ModelFile.memberOverflow(8193, 65536, "patterns"));
    assertNull(ModelFile.memberOverflow(8200, 65536, "patterns"));
    assertEquals(
        "32768 patterns of length 65536 (8589934592 bytes) are more than one model file member"
            + " can hold (at most 8589934556 bytes: 32767 of this length)",
        ModelFile.memberOverflow(32768, 65536, "patterns"));
    // the last that fits and the first that does not
    assertNull(ModelFile.memberOverflow(32767, 65536, "patterns"));
    assertTrue(
        32767 * ROW <= ModelFile.MAX_MEMBER_BYTES && 32768 * ROW > ModelFile.MAX_MEMBER_BYTES);
    assertTrue(ModelFile.memberOverflow(32768, 65536, "rows").startsWith("32768 rows of length"));
    // no overflow on the way: 2^31 rows of 2^31 values (2^64 bytes) are refused, not wrapped
    String huge = ModelFile.memberOverflow(Integer.MAX_VALUE, Integer.MAX_VALUE, "rows");
    assertTrue(huge.contains("(18446744056529682436 bytes)"), huge);
    assertTrue(
        ModelFile.memberOverflow(1, 3_000_000_000L, "patterns")
            .endsWith("not one of this length)"));
    assertNull(ModelFile.memberOverflow(0, 65536, "patterns"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelFile.checkMember("low-rank factor T0: ", 40000, 65536, "patterns"));
    assertTrue(e.getMessage().startsWith("low-rank factor T0: 40000 patterns of length 65536"));
  }

  /** Counts the bytes written and their CRC-32, keeping the first ones (the header). */
  private static final class Counting extends OutputStream {
    final CRC32 crc = new CRC32();
    final byte[] head = new byte[256];
    long count;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (count < head.length) {
        System.arraycopy(b, off, head, (int) count, (int) Math.min(len, head.length - count));
      }
      crc.update(b, off, len);
      count += len;
    }
  }

  /**
   * 8200 x 65536 float32 values (2.0 GiB, more than any Java array of bytes) stream into a .npy:
   * every byte is there, in order, after a header that names the shape; the values are made on the
   * fly from the row index, so the test holds one row.
   */
  @Test
  void aFloatMatrixOfMoreThan2GiBIsStreamedWhole() throws IOException {
    int rows = 8200;
    int cols = 65536;
    Counting out = new Counting();
    Npy.writeFloatRows(
        out,
        rows,
        cols,
        (from, count, dst) -> {
          for (int k = 0; k < count; k++) {
            Arrays.fill(dst, k * cols, (k + 1) * cols, from + k);
          }
        });
    String header = new String(out.head, StandardCharsets.ISO_8859_1);
    int end = header.indexOf('\n') + 1;
    assertTrue(header.contains("'shape': (8200, 65536)"), header);
    assertEquals(end + 4L * rows * cols, out.count);
    CRC32 expected = new CRC32();
    expected.update(out.head, 0, end);
    ByteBuffer row = ByteBuffer.allocate(4 * cols).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows; r++) {
      row.clear();
      while (row.hasRemaining()) {
        row.putFloat(r);
      }
      expected.update(row.array());
    }
    assertEquals(expected.getValue(), out.crc.getValue());
  }

  @Test
  void aNullNounOrNegativeSizesAreRefused() {
    // a null noun was written into the message: "32768 null of length 65536 ..."
    NullPointerException npe =
        assertThrows(
            NullPointerException.class, () -> ModelFile.memberOverflow(32768, 65536, null));
    assertEquals("noun", npe.getMessage());
    assertThrows(NullPointerException.class, () -> ModelFile.memberOverflow(1, 1, null));
    // negative sizes were members that fit (null)
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ModelFile.memberOverflow(-1, 65536, "rows"));
    assertEquals("rows and cols must be >= 0, got -1 rows of length 65536", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelFile.memberOverflow(3, -2, "rows"));
    assertNull(ModelFile.memberOverflow(0, 0, "rows"));
  }
}
