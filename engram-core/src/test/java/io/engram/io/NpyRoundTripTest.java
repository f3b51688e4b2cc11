package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyRoundTripTest {

  @TempDir Path tmp;

  /** A hand-built .npy file. */
  static byte[] npy(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) h.length);
    b.put(h);
    b.put(data);
    return b.array();
  }

  /**
   * A file read from disk keeps little-endian C-order data in the buffer it read (no copy); every
   * layout must give what parsing the same bytes gives (which copies): big-endian, Fortran order,
   * bool, and the plain case, with the values read back element by element and as floats.
   */
  @Test
  void files_read_from_disk_give_what_their_bytes_parse_to() throws IOException {
    ByteBuffer le = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer be = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
    for (int i = 0; i < 6; i++) {
      le.putFloat(i * 1.5f - 2f);
      be.putFloat(i * 1.5f - 2f);
    }
    String[] headers = {
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
      "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }",
      "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
      "{'descr': '>f4', 'fortran_order': True, 'shape': (3, 2), }",
      "{'descr': '|b1', 'fortran_order': False, 'shape': (4, 6), }",
    };
    byte[][] data = {le.array(), be.array(), le.array(), be.array(), new byte[24]};
    data[4][5] = 1;
    for (int c = 0; c < headers.length; c++) {
      byte[] bytes = npy(headers[c], data[c]);
      Path f = tmp.resolve("layout" + c + ".npy");
      Files.write(f, bytes);
      NdArray fromFile = Npy.read(f);
      NdArray fromBytes = Npy.parse(bytes, "bytes");
      assertArrayEquals(fromBytes.shape(), fromFile.shape(), headers[c]);
      assertArrayEquals(fromBytes.toDoubleArray(), fromFile.toDoubleArray(), headers[c]);
      assertArrayEquals(fromBytes.toFloatArray(), fromFile.toFloatArray(), headers[c]);
    }
  }

  @Test
  void floats_round_trip_with_numpy_layout() throws IOException {
    float[] v = {1f, -2.5f, 0f, Float.MIN_VALUE, 3e38f, -0f};
    Path f = tmp.resolve("a.npy");
    Npy.writeFloats(f, v, 2, 3);
    byte[] bytes = Files.readAllBytes(f);
    assertEquals(0, (bytes.length - 6 * 4) % 64, "header padded to 64 bytes");
    String header = new String(bytes, 10, bytes.length - 10 - 24, StandardCharsets.ISO_8859_1);
    assertTrue(
        header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
    NdArray a = Npy.read(f);
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertEquals(DType.FLOAT32, a.dtype());
    float[] back = a.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]));
    }
  }

  @Test
  void one_dimensional_and_empty_shapes() throws IOException {
    Path f = tmp.resolve("b.npy");
    Npy.write(f, NdArray.ofInts(new int[] {3, 1, 2}, 3));
    byte[] bytes = Files.readAllBytes(f);
    assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("'shape': (3,)"));
    assertArrayEquals(new int[] {3, 1, 2}, Npy.read(f).toIntArray());
    Npy.write(f, NdArray.ofFloats(new float[0], 0, 5));
    assertArrayEquals(new int[] {0, 5}, Npy.read(f).shape());
  }

  @Test
  void reads_every_dtype_and_byte_order() throws IOException {
    ByteBuffer be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
    be.putFloat(1.5f).putFloat(-2f);
    NdArray a =
        Npy.parse(
            npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", be.array()), "be");
    assertArrayEquals(new float[] {1.5f, -2f}, a.toFloatArray());
    NdArray i8 =
        Npy.parse(
            npy(
                "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }\n",
                new byte[] {-1, 0, 1}),
            "i1");
    assertArrayEquals(new float[] {-1, 0, 1}, i8.toFloatArray());
    NdArray u8 =
        Npy.parse(
            npy(
                "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }\n",
                new byte[] {(byte) 255, 1}),
            "u1");
    assertArrayEquals(new float[] {255, 1}, u8.toFloatArray());
    NdArray b1 =
        Npy.parse(
            npy("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }\n", new byte[] {1, 0}),
            "b1");
    assertArrayEquals(new float[] {1, 0}, b1.toFloatArray());
    ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    d.putLong(-7).putLong(1L << 40);
    NdArray i64 =
        Npy.parse(
            npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }\n", d.array()), "i8");
    assertArrayEquals(new double[] {-7, 1L << 40}, i64.toDoubleArray());
    // Fortran order: [[1, 2, 3], [4, 5, 6]] stored column by column
    ByteBuffer f = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : new float[] {1, 4, 2, 5, 3, 6}) {
      f.putFloat(v);
    }
    NdArray fo =
        Npy.parse(
            npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }\n", f.array()), "f");
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, fo.toFloatArray());
  }

  @Test
  void every_float16_value_converts_to_the_float32_of_the_same_value() {
    // against the value computed from the fields, for all 65536 bit patterns
    for (int h = 0; h < 1 << 16; h++) {
      int sign = h >>> 15;
      int exponent = (h >>> 10) & 0x1F;
      int mantissa = h & 0x3FF;
      float got = NdArray.halfToFloat((short) h);
      if (exponent == 0x1F) {
        assertTrue(mantissa == 0 ? Float.isInfinite(got) : Float.isNaN(got), "bits " + h);
        if (mantissa == 0) {
          assertEquals(sign == 1, got < 0, "bits " + h);
        }
        continue;
      }
      double magnitude =
          exponent == 0
              ? Math.scalb((double) mantissa, -24)
              : Math.scalb(1024.0 + mantissa, exponent - 25);
      double want = sign == 1 ? -magnitude : magnitude;
      assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), "bits " + h);
    }
  }

  @Test
  void rejects_malformed_files_with_a_named_reason() {
    byte[] four = new byte[4];
    String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n";
    assertMessage(
        "bad magic", () -> Npy.parse("hello world".getBytes(StandardCharsets.US_ASCII), "x"));
    assertMessage("only 3 bytes", () -> Npy.parse(new byte[] {1, 2, 3}, "x"));
    assertMessage(
        "truncated .npy data", () -> Npy.parse(npy(ok.replace("(1,)", "(2,)"), four), "x"));
    assertMessage("unexpected bytes", () -> Npy.parse(npy(ok, new byte[8]), "x"));
    assertMessage("unsupported dtype", () -> Npy.parse(npy(ok.replace("<f4", "<c8"), four), "x"));
    assertMessage("unsupported dtype", () -> Npy.parse(npy(ok.replace("<f4", "O"), four), "x"));
    // a well-formed header of an element type not read is not called malformed
    EngramFormatException complex =
        assertThrows(
            EngramFormatException.class, () -> Npy.parse(npy(ok.replace("<f4", "<c8"), four), "x"));
    assertTrue(!complex.getMessage().contains("malformed"), complex.getMessage());
    // nor a structured array's (it was "malformed .npy header: expected a quoted string at offset
    // 10"): its fields are named, with what to save instead
    EngramFormatException fields =
        assertThrows(
            EngramFormatException.class,
            () ->
                Npy.parse(
                    npy(ok.replace("'<f4'", "[('x', '<f4'), ('y', '<f4')]"), new byte[8]), "x"));
    assertEquals(
        "x: unsupported dtype: a structured array (named fields, [('x', '<f4'), ('y', '<f4')]);"
            + " save a plain array of numbers, e.g. np.save(f, np.stack([a[k] for k in"
            + " a.dtype.names], axis=-1))",
        fields.getMessage());
    assertMessage(
        "unexpected header key",
        () -> Npy.parse(npy(ok.replace("'shape'", "'shapes'"), four), "x"));
    assertMessage("lacks", () -> Npy.parse(npy("{'descr': '<f4', 'shape': (1,), }\n", four), "x"));
    assertMessage(
        "too large", () -> Npy.parse(npy(ok.replace("(1,)", "(99999999999,)"), four), "x"));
    assertMessage(
        "more than", () -> Npy.parse(npy(ok.replace("(1,)", "(65536, 65536)"), four), "x"));
    assertMessage(
        "bool element", () -> Npy.parse(npy(ok.replace("<f4", "|b1"), new byte[] {7}), "x"));
    byte[] v9 = npy(ok, four);
    v9[6] = 9;
    assertMessage("unsupported .npy version 9.0", () -> Npy.parse(v9, "x"));
    byte[] longHeader = npy(ok, four);
    ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 60000);
    assertMessage("truncated .npy header", () -> Npy.parse(longHeader, "x"));
  }

  @Test
  void file_errors_name_the_file() throws IOException {
    Path f = tmp.resolve("broken.npy");
    Files.write(f, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 100, 0, '{'});
    EngramFormatException e = assertThrows(EngramFormatException.class, () -> Npy.read(f));
    assertTrue(e.getMessage().contains("broken.npy"), e.getMessage());
    assertThrows(
        java.nio.file.NoSuchFileException.class, () -> Npy.read(tmp.resolve("missing.npy")));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    EngramFormatException ex = assertThrows(EngramFormatException.class, e);
    assertTrue(
        ex.getMessage().contains(expected), "expected '" + expected + "' in: " + ex.getMessage());
  }

  /** A float32 array's values as a read-only buffer without a copy; other types refuse. */
  @Test
  void aFloat32ArrayHandsItsValuesOnAsABuffer() throws IOException {
    Path f = tmp.resolve("f.npy");
    Npy.writeFloats(f, new float[] {1.5f, -2f, 0f, 3.25f, 7f, -0f}, 2, 3);
    NdArray a = Npy.read(f);
    java.nio.FloatBuffer b = a.floats();
    assertTrue(b.isReadOnly());
    assertEquals(6, b.limit());
    float[] got = new float[6];
    b.get(0, got);
    assertArrayEquals(a.toFloatArray(), got);
    assertArrayEquals(new float[] {1.5f, -2f, 0f, 3.25f, 7f, -0f}, got);
    assertThrows(IllegalStateException.class, () -> NdArray.ofInts(new int[] {1, 2}, 2).floats());
  }

  /**
   * An empty array whose other dimensions multiply past the element limit is read back, as numpy
   * reads it (the running product refused it before reaching the 0); a shape whose product
   * overflows a long is not taken for an empty one.
   */
  @Test
  void anEmptyShapeWithLargeDimensionsIsReadBack() throws IOException {
    Path f = tmp.resolve("empty.npy");
    Npy.writeFloats(f, new float[0], 65536, 65536, 0);
    NdArray a = Npy.read(f);
    assertArrayEquals(new int[] {65536, 65536, 0}, a.shape());
    assertEquals(0, a.size());
    assertEquals(0, Npy.elements(f));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NdArray.ofFloats(new float[0], 65536, 65536, 65536, 65536));
    assertTrue(e.getMessage().contains("do not fill shape"), e.getMessage());
  }

  /**
   * A folder, or a named pipe that no program writes, given to the .npy readers is an error naming
   * it: a folder said only "Is a directory", and a pipe made every reader wait forever.
   */
  @Test
  void aFolderOrPipeIsRefusedByName() throws Exception {
    Path fifo = tmp.resolve("pipe.npy");
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    } catch (IOException e) {
      made = false; // no mkfifo here: the folder alone
    }
    java.util.List<Path> paths = made ? java.util.List.of(tmp, fifo) : java.util.List.of(tmp);
    for (Path p : paths) {
      String what = p.equals(tmp) ? "is a folder" : "not a regular file";
      java.util.List<org.junit.jupiter.api.function.Executable> readers =
          java.util.List.of(
              () -> Npy.read(p),
              () -> Npy.elements(p),
              () -> Patterns.readNpy(p),
              () -> Patterns.beyondOneBuffer(p),
              () -> Patterns.readFloatRows(p));
      for (org.junit.jupiter.api.function.Executable r : readers) {
        EngramFormatException e =
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20),
                () -> assertThrows(EngramFormatException.class, r));
        assertTrue(e.getMessage().startsWith(p + ": " + what), e.getMessage());
      }
    }
  }

  /**
   * {@link Patterns#readFloatRows} gives a file's own shape also when it holds no values: a 5 x 0
   * file was 0 x 0 rows (no patterns), a (0,) one too, where readNpy refuses their length 0.
   */
  @Test
  void emptyPatternFilesKeepTheirShape() throws IOException {
    int[][] shapes = {{5, 0}, {0}, {0, 5}, {3}};
    int[][] read = {{5, 0}, {1, 0}, {0, 5}, {1, 3}};
    for (int k = 0; k < shapes.length; k++) {
      int count = 1;
      for (int d : shapes[k]) {
        count *= d;
      }
      Path f = tmp.resolve("empty" + k + ".npy");
      Npy.writeFloats(f, new float[count], shapes[k]);
      Patterns.FloatRows r = Patterns.readFloatRows(f);
      assertArrayEquals(
          read[k], new int[] {r.rows(), r.cols()}, java.util.Arrays.toString(shapes[k]));
      assertEquals(count, r.values().length);
    }
  }

  /**
   * A file that shrinks while it is read (another program writing or cutting it) is named so, with
   * both sizes: the bytes read until it ended were named as its size, "truncated .npy data: shape
   * [...] needs N bytes, file has B", as if it had been short from the start. A file whose size is
   * unchanged where its bytes end (one of /sys, shorter than its stated size) is parsed as read.
   */
  @Test
  void aFileThatShrinksWhileReadIsNamedSo() throws IOException {
    byte[] whole = Npy.toBytes(NdArray.ofFloats(new float[50_000], 500, 100));
    int cut = 70_000; // past the first 64 KiB piece
    EngramFormatException e =
        assertThrows(
            EngramFormatException.class,
            () -> Npy.readFully(new Cut(whole, cut, cut), whole.length, "p.npy"));
    assertEquals(
        "p.npy: the file changed while it was read: it shrank from "
            + whole.length
            + " to 70000 bytes (another program writing or cutting it?)",
        e.getMessage());
    // the size as stated all along: the bytes there are, parsed as before
    ByteBuffer read = Npy.readFully(new Cut(whole, cut, whole.length), whole.length, "s.npy");
    assertEquals(cut, read.remaining());
    EngramFormatException s =
        assertThrows(EngramFormatException.class, () -> Npy.parse(toArray(read), "s.npy"));
    assertTrue(s.getMessage().contains("truncated .npy data"), s::getMessage);
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  /**
   * A channel over the first {@code end} bytes of {@code bytes}, whose size is {@code bytes.length}
   * until its end is read, then {@code sizeAfter}: a file cut short under its reader.
   */
  private static final class Cut implements java.nio.channels.SeekableByteChannel {
    private final byte[] bytes;
    private final int end;
    private final long sizeAfter;
    private int pos;
    private boolean ended;

    Cut(byte[] bytes, int end, long sizeAfter) {
      this.bytes = bytes;
      this.end = end;
      this.sizeAfter = sizeAfter;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (pos >= end) {
        ended = true;
        return -1;
      }
      int k = Math.min(dst.remaining(), end - pos);
      dst.put(bytes, pos, k);
      pos += k;
      return k;
    }

    @Override
    public long size() {
      return ended ? sizeAfter : bytes.length;
    }

    @Override
    public long position() {
      return pos;
    }

    @Override
    public java.nio.channels.SeekableByteChannel position(long p) {
      pos = (int) p;
      return this;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.nio.channels.SeekableByteChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
