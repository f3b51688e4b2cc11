package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.weights.DenseWeights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dense matrices of any N (F4): written and read a block of rows at a time, never copied whole,
 * with 64-bit sizes throughout (4 N² overflowed an int above N = 23170).
 */
class LargeDenseTest {

  /** Counts bytes and checks a few of them, discarding the rest. */
  private static final class Counting extends OutputStream {
    long count;
    final ByteArrayOutputStream head = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      if (count < 4096) {
        head.write(b);
      }
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (count < 4096) {
        head.write(b, off, (int) Math.min(len, 4096 - count));
      }
      count += len;
    }
  }

  @Test
  void aMatrixAboveTheOldIntLimitStreamsWithItsExactSize() throws IOException {
    int n = 24_000; // 4 n² = 2.3e9 bytes > Integer.MAX_VALUE
    Counting out = new Counting();
    Npy.writeFloatRows(
        out,
        n,
        n,
        (from, count, dst) -> {
          for (int r = 0; r < count; r++) {
            dst[r * n] = from + r; // first column = row index
          }
        });
    byte[] head = out.head.toByteArray();
    String header = new String(head, 10, 118, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(header.contains("'shape': (24000, 24000)"), header);
    assertEquals(128 + 4L * n * n, out.count);
    ByteBuffer b = ByteBuffer.wrap(head, 128, 8).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0f, b.getFloat());
  }

  @Test
  void denseModelsRoundTripThroughTheStreams(@TempDir Path dir) throws IOException {
    int n = 300;
    float[] w = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        w[i * n + j] = i == j ? 0f : (float) Math.sin(i * 31 + j * 17);
      }
    }
    AmariHopfieldNetwork net = AmariHopfieldNetwork.of(DenseWeights.of(n, w), Dynamics.DEFAULT);
    Path f = dir.resolve("m.npz");
    ModelFile.write(f, net);
    assertArrayEquals(w, ModelFile.read(f).weightMatrix());
    // numpy-compatible: the member is a plain .npy the general reader also accepts
    try (NpzFile z = NpzFile.open(f)) {
      assertArrayEquals(w, z.array("W", 4L * n * n).toFloatArray());
    }
    Path npy = dir.resolve("W.npy");
    Npy.writeFloatRows(npy, n, n, DenseWeights.of(n, w)::copyRows);
    assertArrayEquals(w, Npy.read(npy).toFloatArray());
  }

  @Test
  void bigEndianAndFortranOrderedMembersAreRead(@TempDir Path dir) throws IOException {
    int n = 3;
    float[] c = {0, 1, 2, 3, 0, 5, 6, 7, 0};
    for (boolean fortran : new boolean[] {false, true}) {
      ByteBuffer data = ByteBuffer.allocate(4 * n * n).order(ByteOrder.BIG_ENDIAN);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          data.putFloat(fortran ? c[j * n + i] : c[i * n + j]);
        }
      }
      byte[] npy = npy(">f4", fortran, "(3, 3)", data.array());
      Path f = dir.resolve("z" + fortran + ".npz");
      try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
        z.putNextEntry(new ZipEntry("W.npy"));
        z.write(npy);
        z.closeEntry();
      }
      float[] got = new float[n * n];
      try (NpzFile z = NpzFile.open(f)) {
        z.readFloatRows("W", n, n, got);
      }
      assertArrayEquals(c, got, "fortran=" + fortran);
    }
  }

  @Test
  void badMembersAreNamed(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("bad.npz");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      z.putNextEntry(new ZipEntry("W.npy"));
      z.write(npy("<f8", false, "(2, 2)", new byte[32]));
      z.closeEntry();
      z.putNextEntry(new ZipEntry("V.npy"));
      z.write(npy("<f4", false, "(2, 3)", new byte[24]));
      z.closeEntry();
    }
    try (NpzFile z = NpzFile.open(f)) {
      EngramFormatException a =
          assertThrows(EngramFormatException.class, () -> z.readFloatRows("W", 2, 2, new float[4]));
      assertTrue(a.getMessage().contains("dtype"), a.getMessage());
      EngramFormatException b =
          assertThrows(EngramFormatException.class, () -> z.readFloatRows("V", 2, 2, new float[4]));
      assertTrue(b.getMessage().contains("shape"), b.getMessage());
    }
  }

  static byte[] npy(String descr, boolean fortran, String shape, byte[] data) {
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': "
            + shape
            + ", }";
    StringBuilder h = new StringBuilder(dict);
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    byte[] hb = h.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) hb.length);
    b.put(hb);
    b.put(data);
    return b.array();
  }
}
