package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.PatternBlock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pattern files of more than 2 GiB ({@link Patterns#readFloatRows}): the same values as the reader
 * of ordinary files for every dtype and byte order, the same checks, and files beyond one buffer
 * recognised from their header alone. The reader is exercised on small files (its path does not
 * depend on the size); the one file of more than 2 GiB here is sparse and only its header is read.
 */
class LargePatternFileTest {

  @TempDir Path dir;

  /** A .npy file of the given descr and shape whose data is {@code data}'s bytes. */
  private Path npy(String name, String descr, boolean fortran, String shape, byte[] data)
      throws IOException {
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': "
            + shape
            + ", }";
    int pad = 64 - (10 + dict.length() + 1) % 64;
    String header = dict + " ".repeat(pad % 64) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    b.put(data);
    Path f = dir.resolve(name);
    Files.write(f, b.array());
    return f;
  }

  private static byte[] floats(ByteOrder order, float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  private static byte[] doubles(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }

  /** The streamed reader and the ordinary one give the same patterns. */
  private static void sameAsOrdinary(Path f) throws IOException {
    Patterns.FloatRows r = Patterns.readFloatRows(f);
    PatternBlock b = Patterns.fromArray(Npy.read(f));
    assertEquals(b.count(), r.rows(), f.toString());
    assertEquals(b.length(), r.cols(), f.toString());
    float[] all = new float[b.count() * b.length()];
    for (int k = 0; k < b.count(); k++) {
      System.arraycopy(b.row(k), 0, all, k * b.length(), b.length());
    }
    assertArrayEquals(all, r.values(), f.toString());
  }

  @Test
  void everyDtypeAndByteOrderReadsAsTheOrdinaryReaderReadsIt() throws IOException {
    float[] v = {1f, -1f, 0.5f, -2.25f, 3e38f, -1e-40f};
    sameAsOrdinary(npy("le.npy", "<f4", false, "(2, 3)", floats(ByteOrder.LITTLE_ENDIAN, v)));
    sameAsOrdinary(npy("be.npy", ">f4", false, "(2, 3)", floats(ByteOrder.BIG_ENDIAN, v)));
    sameAsOrdinary(npy("one.npy", "<f4", false, "(6,)", floats(ByteOrder.LITTLE_ENDIAN, v)));
    sameAsOrdinary(npy("f8.npy", "<f8", false, "(3, 2)", doubles(1, -1, 0.1, 1e30, -7, 2)));
    sameAsOrdinary(npy("i2.npy", "<i2", false, "(2, 2)", new byte[] {1, 0, -1, -1, 5, 0, 0, -128}));
    sameAsOrdinary(npy("b1.npy", "|b1", false, "(2, 2)", new byte[] {1, 0, 0, 1}));
    // one row or one column in Fortran order is the same bytes as in C order
    sameAsOrdinary(npy("col.npy", "<f4", true, "(1, 6)", floats(ByteOrder.LITTLE_ENDIAN, v)));
  }

  @Test
  void badFilesAreNamedAsTheOrdinaryReaderNamesThem() throws IOException {
    String m =
        assertThrows(
                EngramFormatException.class,
                () ->
                    Patterns.readFloatRows(
                        npy("big.npy", "<f8", false, "(1, 2)", doubles(1, 1e39))))
            .getMessage();
    assertTrue(
        m.endsWith(
            "big.npy: pattern 0 has the value 1.0E39 at index 1, outside the float32 range"
                + " (patterns are float32)"),
        m);
    m =
        assertThrows(
                EngramFormatException.class,
                () ->
                    Patterns.readFloatRows(npy("short.npy", "<f4", false, "(2, 3)", new byte[20])))
            .getMessage();
    assertTrue(
        m.contains("truncated .npy data: shape [2, 3] of f4 needs 24 bytes, file has 20"), m);
    m =
        assertThrows(
                EngramFormatException.class,
                () -> Patterns.readFloatRows(npy("long.npy", "<f4", false, "(2,)", new byte[12])))
            .getMessage();
    assertTrue(m.endsWith("4 unexpected bytes after the .npy data"), m);
    m =
        assertThrows(
                EngramFormatException.class,
                () -> Patterns.readFloatRows(npy("b.npy", "|b1", false, "(2,)", new byte[] {1, 7})))
            .getMessage();
    assertTrue(m.endsWith("bool element 1 has byte value 7"), m);
    m =
        assertThrows(
                EngramFormatException.class,
                () ->
                    Patterns.readFloatRows(
                        npy("three.npy", "<f4", false, "(1, 1, 2)", new byte[8])))
            .getMessage();
    assertTrue(m.endsWith("patterns must be a 1-D or 2-D array, got shape [1, 1, 2]"), m);
    m =
        assertThrows(
                EngramFormatException.class,
                () ->
                    Patterns.readFloatRows(
                        npy(
                            "fortran.npy",
                            "<f4",
                            true,
                            "(2, 3)",
                            floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6))))
            .getMessage();
    assertTrue(m.contains("save it in C order, e.g. np.save(f, np.ascontiguousarray(x))"), m);
  }

  @Test
  void aFileBeyondOneBufferIsToldFromItsHeaderAndReadNoMoreByTheOrdinaryReader()
      throws IOException {
    // 8200 x 65536 float32 values (2.0 GiB), sparse: nothing but the header is on disk
    Path big = npy("big.npy", "<f4", false, "(8200, 65536)", new byte[0]);
    try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
      raf.setLength(raf.length() + 4L * 8200 * 65536);
    }
    assertTrue(Patterns.beyondOneBuffer(big));
    // by bytes: 536870909 float32 values (2^31 - 12 bytes) are one buffer, one more is not
    assertFalse(Patterns.beyondOneBuffer(npy("i1.npy", "|i1", false, "(4, 5)", new byte[20])));
    assertFalse(Patterns.beyondOneBuffer(npy("f4.npy", "<f4", false, "(536870909,)", new byte[0])));
    assertTrue(Patterns.beyondOneBuffer(npy("f4b.npy", "<f4", false, "(536870910,)", new byte[0])));
    // more elements than one array holds: neither reader takes it (the ordinary one names it)
    assertFalse(
        Patterns.beyondOneBuffer(npy("huge.npy", "<f4", false, "(65536, 65536)", new byte[0])));
  }
}
