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
 * The size of one model file member, with the numbers of the models that were written and then
 * refused by every reader (8193 x 65536 modern patterns, a low-rank call of 8200 x 65536), and
 * {@code .npy} matrices of more than 2 GiB streamed without one buffer of their bytes. Nothing here
 * holds gigabytes: the checks are arithmetic, and the large matrix is made row by row and counted.
 */
class MemberLimitTest {

  private static final long ROW = 4L * 65536;

  @Test
  void theLimitIsWhatAReaderTakesWholeLessTheLongestHeader() {
    assertEquals(Integer.MAX_VALUE - 8L - Npy.MAX_HEADER_BYTES - 16, ModelFile.MAX_MEMBER_BYTES);
    // the largest member that fits, with the longest header a reader accepts, is one byte array
    assertTrue(ModelFile.MAX_MEMBER_BYTES + Npy.MAX_HEADER_BYTES + 16 <= Npy.MAX_ELEMENTS);
  }

  @Test
  void membersOfTheFindingsAreRefusedByNameAndTheirLimit() {
    assertEquals(
        "8193 patterns of length 65536 (2147745792 bytes) are more than one model file member"
            + " can hold (at most 2147418087 bytes: 8191 of this length)",
        ModelFile.memberOverflow(8193, 65536, "patterns"));
    String lowRank = ModelFile.memberOverflow(8200, 65536, "patterns");
    assertTrue(lowRank.startsWith("8200 patterns of length 65536 (2149580800 bytes)"), lowRank);
    // the last that fits and the first that does not
    assertNull(ModelFile.memberOverflow(8191, 65536, "patterns"));
    assertTrue(8191 * ROW <= ModelFile.MAX_MEMBER_BYTES && 8192 * ROW > ModelFile.MAX_MEMBER_BYTES);
    assertTrue(ModelFile.memberOverflow(8192, 65536, "rows").startsWith("8192 rows of length"));
    // no overflow on the way: 2^31 rows of 2^31 values (2^64 bytes) are refused, not wrapped
    String huge = ModelFile.memberOverflow(Integer.MAX_VALUE, Integer.MAX_VALUE, "rows");
    assertTrue(huge.contains("(18446744056529682436 bytes)"), huge);
    assertTrue(
        ModelFile.memberOverflow(1, 600_000_000, "patterns").endsWith("not one of this length)"));
    assertNull(ModelFile.memberOverflow(0, 65536, "patterns"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelFile.checkMember("low-rank factor T0: ", 8200, 65536, "patterns"));
    assertTrue(e.getMessage().startsWith("low-rank factor T0: 8200 patterns of length 65536"));
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
}
