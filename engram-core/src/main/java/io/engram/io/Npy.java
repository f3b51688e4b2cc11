package io.engram.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes numpy's {@code .npy} format (versions 1.0, 2.0 and 3.0).
 *
 * <p>Reading validates everything before allocating: the magic string, the version, the header
 * length (at most {@value #MAX_HEADER_BYTES} bytes), the header dictionary (exactly the keys {@code
 * descr}, {@code fortran_order}, {@code shape}; no code is ever evaluated), the dtype (bool,
 * int8..int64, uint8..uint64, float32, float64, either byte order), and the data size against the
 * bytes present (truncated files and trailing bytes are errors). Arrays of more than {@value
 * #MAX_ELEMENTS} elements are refused. Fortran-order arrays are converted to C order.
 *
 * <p>Writing produces little-endian C-order version 1.0 files (2.0 when the header needs it) with
 * the header padded to 64 bytes, as numpy does, and replaces the target atomically.
 */
public final class Npy {

  /** The longest header accepted. */
  public static final int MAX_HEADER_BYTES = 1 << 16;

  /** The most elements one array may hold (one Java array). */
  public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private Npy() {}

  /**
   * Reads a {@code .npy} file.
   *
   * @throws EngramFormatException naming the file and what is wrong with it
   * @throws IOException if it cannot be read
   */
  public static NdArray read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > (long) MAX_ELEMENTS + MAX_HEADER_BYTES + 16) {
        throw new EngramFormatException(
            file + ": file of " + size + " bytes is too large for one array");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          break;
        }
      }
      buf.flip();
      return parse(buf, file.toString());
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "file not found");
    }
  }

  /**
   * Parses {@code .npy} bytes.
   *
   * @param name used in error messages
   */
  public static NdArray parse(byte[] bytes, String name) throws EngramFormatException {
    return parse(ByteBuffer.wrap(bytes), name);
  }

  static NdArray parse(ByteBuffer in, String name) throws EngramFormatException {
    in = in.slice().order(ByteOrder.LITTLE_ENDIAN);
    int total = in.remaining();
    if (total < 10) {
      throw new EngramFormatException(name + ": not a .npy file (only " + total + " bytes)");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (in.get(i) != MAGIC[i]) {
        throw new EngramFormatException(name + ": not a .npy file (bad magic string)");
      }
    }
    int major = in.get(6) & 0xFF;
    int minor = in.get(7) & 0xFF;
    long headerLen;
    int pos;
    if (major == 1 && minor == 0) {
      headerLen = in.getShort(8) & 0xFFFF;
      pos = 10;
    } else if ((major == 2 || major == 3) && minor == 0) {
      if (total < 12) {
        throw new EngramFormatException(name + ": truncated .npy header");
      }
      headerLen = in.getInt(8) & 0xFFFFFFFFL;
      pos = 12;
    } else {
      throw new EngramFormatException(
          name
              + ": unsupported .npy version "
              + major
              + "."
              + minor
              + " (expected 1.0, 2.0 or 3.0)");
    }
    if (headerLen > MAX_HEADER_BYTES) {
      throw new EngramFormatException(
          name
              + ": .npy header of "
              + headerLen
              + " bytes exceeds the limit of "
              + MAX_HEADER_BYTES);
    }
    if (pos + headerLen > total) {
      throw new EngramFormatException(
          name + ": truncated .npy header (file has " + total + " bytes)");
    }
    byte[] hb = new byte[(int) headerLen];
    in.position(pos);
    in.get(hb);
    String header =
        new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header h = Header.parse(header, name);
    int dataStart = pos + (int) headerLen;
    long count = 1;
    for (int d : h.shape) {
      count *= d;
      if (count > MAX_ELEMENTS) {
        throw new EngramFormatException(
            name
                + ": shape "
                + Arrays.toString(h.shape)
                + " has more than "
                + MAX_ELEMENTS
                + " elements");
      }
    }
    long bytes = count * h.dtype.size();
    long present = total - dataStart;
    if (bytes > present) {
      throw new EngramFormatException(
          name
              + ": truncated .npy data: shape "
              + Arrays.toString(h.shape)
              + " of "
              + h.dtype.code()
              + " needs "
              + bytes
              + " bytes, file has "
              + present);
    }
    if (bytes < present) {
      throw new EngramFormatException(
          name + ": " + (present - bytes) + " unexpected bytes after the .npy data");
    }
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new EngramFormatException(name + ": array of " + bytes + " bytes is too large");
    }
    ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    in.position(dataStart);
    ByteBuffer src = in.slice();
    src.limit((int) bytes);
    data.put(src);
    data.flip();
    if (h.bigEndian && h.dtype.size() > 1) {
      swap(data, h.dtype.size());
    }
    if (h.fortran && h.shape.length > 1) {
      data = fortranToC(data, h.shape, h.dtype.size());
    }
    if (h.dtype == DType.BOOL) {
      for (int i = 0; i < data.limit(); i++) {
        byte b = data.get(i);
        if (b != 0 && b != 1) {
          throw new EngramFormatException(name + ": bool element " + i + " has byte value " + b);
        }
      }
    }
    return new NdArray(h.dtype, h.shape, data);
  }

  private static void swap(ByteBuffer b, int size) {
    byte[] a = b.array();
    for (int i = 0; i + size <= a.length; i += size) {
      for (int l = i, r = i + size - 1; l < r; l++, r--) {
        byte t = a[l];
        a[l] = a[r];
        a[r] = t;
      }
    }
  }

  private static ByteBuffer fortranToC(ByteBuffer f, int[] shape, int size) {
    int rank = shape.length;
    int count = f.limit() / size;
    ByteBuffer c = ByteBuffer.allocate(f.limit()).order(ByteOrder.LITTLE_ENDIAN);
    long[] fStride = new long[rank];
    long st = 1;
    for (int d = 0; d < rank; d++) {
      fStride[d] = st;
      st *= shape[d];
    }
    int[] idx = new int[rank];
    byte[] src = f.array();
    byte[] dst = c.array();
    for (int i = 0; i < count; i++) {
      long off = 0;
      for (int d = 0; d < rank; d++) {
        off += idx[d] * fStride[d];
      }
      System.arraycopy(src, (int) (off * size), dst, i * size, size);
      for (int d = rank - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    return c;
  }

  /** The bytes of a {@code .npy} file for the array (little-endian, C order). */
  public static byte[] toBytes(NdArray array) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(array.size() * array.dtype().size() + 128);
    try {
      write(array, out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  /** Writes the {@code .npy} bytes of the array to a stream. */
  public static void write(NdArray array, OutputStream out) throws IOException {
    StringBuilder sb = new StringBuilder();
    DType d = array.dtype();
    String descr = (d.size() == 1 ? "|" : "<") + d.code();
    sb.append("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
    int[] shape = array.shape();
    for (int i = 0; i < shape.length; i++) {
      sb.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        sb.append(i < shape.length - 1 ? ", " : ",");
      }
    }
    sb.append("), }");
    int preamble = 10;
    int len = sb.length() + 1;
    int padded = ((preamble + len + 63) / 64) * 64 - preamble;
    boolean v2 = padded > 65535;
    if (v2) {
      preamble = 12;
      padded = ((preamble + len + 63) / 64) * 64 - preamble;
    }
    while (sb.length() < padded - 1) {
      sb.append(' ');
    }
    sb.append('\n');
    byte[] hb = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer pre = ByteBuffer.allocate(preamble).order(ByteOrder.LITTLE_ENDIAN);
    pre.put(MAGIC);
    pre.put((byte) (v2 ? 2 : 1)).put((byte) 0);
    if (v2) {
      pre.putInt(hb.length);
    } else {
      pre.putShort((short) hb.length);
    }
    out.write(pre.array());
    out.write(hb);
    ByteBuffer data = array.buffer();
    byte[] chunk = new byte[1 << 16];
    while (data.hasRemaining()) {
      int n = Math.min(chunk.length, data.remaining());
      data.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }

  /** Atomically writes the array to a {@code .npy} file at exactly {@code file}. */
  public static void write(Path file, NdArray array) throws IOException {
    AtomicFiles.write(file, out -> write(array, out));
  }

  /** Atomically writes a float32 array of the given shape. */
  public static void writeFloats(Path file, float[] values, int... shape) throws IOException {
    write(file, NdArray.ofFloats(values, shape));
  }

  /** The parsed header dictionary. */
  private static final class Header {
    DType dtype;
    boolean bigEndian;
    boolean fortran;
    int[] shape;

    static Header parse(String text, String name) throws EngramFormatException {
      Parser p = new Parser(text, name);
      Header h = new Header();
      boolean haveDescr = false;
      boolean haveFortran = false;
      boolean haveShape = false;
      p.skipWs();
      p.expect('{');
      while (true) {
        p.skipWs();
        if (p.peek() == '}') {
          p.pos++;
          break;
        }
        String key = p.string();
        p.skipWs();
        p.expect(':');
        p.skipWs();
        switch (key) {
          case "descr":
            if (haveDescr) {
              throw p.error("duplicate key 'descr'");
            }
            haveDescr = true;
            h.descr(p.string(), p);
            break;
          case "fortran_order":
            if (haveFortran) {
              throw p.error("duplicate key 'fortran_order'");
            }
            haveFortran = true;
            h.fortran = p.bool();
            break;
          case "shape":
            if (haveShape) {
              throw p.error("duplicate key 'shape'");
            }
            haveShape = true;
            h.shape = p.tuple();
            break;
          default:
            throw p.error("unexpected header key '" + key + "'");
        }
        p.skipWs();
        if (p.peek() == ',') {
          p.pos++;
        } else if (p.peek() != '}') {
          throw p.error("expected ',' or '}'");
        }
      }
      p.skipWs();
      if (p.pos != text.length()) {
        throw p.error("unexpected text after the header dictionary");
      }
      if (!haveDescr || !haveFortran || !haveShape) {
        throw new EngramFormatException(
            name
                + ": .npy header lacks "
                + (!haveDescr ? "'descr'" : !haveFortran ? "'fortran_order'" : "'shape'"));
      }
      return h;
    }

    void descr(String s, Parser p) throws EngramFormatException {
      if (s.length() < 3) {
        throw p.error("unsupported dtype '" + s + "'");
      }
      char order = s.charAt(0);
      if (order != '<' && order != '>' && order != '|' && order != '=') {
        throw p.error(
            "unsupported dtype '" + s + "' (structured or object arrays are not supported)");
      }
      char kind = s.charAt(1);
      int size;
      try {
        size = Integer.parseInt(s.substring(2));
      } catch (NumberFormatException e) {
        throw p.error("unsupported dtype '" + s + "'");
      }
      DType d = DType.of(kind, size);
      if (d == null) {
        throw p.error(
            "unsupported dtype '"
                + s
                + "' (expected bool, int8..int64, uint8..uint64, float32 or float64)");
      }
      dtype = d;
      bigEndian = order == '>' || (order == '=' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN);
    }
  }

  private static final class Parser {
    final String s;
    final String name;
    int pos;

    Parser(String s, String name) {
      this.s = s;
      this.name = name;
    }

    EngramFormatException error(String what) {
      return new EngramFormatException(name + ": malformed .npy header: " + what);
    }

    char peek() throws EngramFormatException {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos);
    }

    void skipWs() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    void expect(char c) throws EngramFormatException {
      if (peek() != c) {
        throw error("expected '" + c + "' at offset " + pos);
      }
      pos++;
    }

    String string() throws EngramFormatException {
      char q = peek();
      if (q != '\'' && q != '"') {
        throw error("expected a quoted string at offset " + pos);
      }
      int end = s.indexOf(q, pos + 1);
      if (end < 0) {
        throw error("unterminated string");
      }
      String r = s.substring(pos + 1, end);
      pos = end + 1;
      return r;
    }

    boolean bool() throws EngramFormatException {
      if (s.startsWith("True", pos)) {
        pos += 4;
        return true;
      }
      if (s.startsWith("False", pos)) {
        pos += 5;
        return false;
      }
      throw error("expected True or False at offset " + pos);
    }

    int[] tuple() throws EngramFormatException {
      expect('(');
      List<Integer> dims = new ArrayList<>();
      while (true) {
        skipWs();
        if (peek() == ')') {
          pos++;
          break;
        }
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
        if (start == pos) {
          throw error("expected a non-negative dimension at offset " + start);
        }
        String digits = s.substring(start, pos);
        if (pos < s.length() && s.charAt(pos) == 'L') {
          pos++; // Python 2 long suffix
        }
        long v;
        try {
          v = Long.parseLong(digits);
        } catch (NumberFormatException e) {
          throw error("dimension " + digits + " is too large");
        }
        if (v > Integer.MAX_VALUE) {
          throw error("dimension " + digits + " is too large");
        }
        dims.add((int) v);
        if (dims.size() > 32) {
          throw error("more than 32 dimensions");
        }
        skipWs();
        if (peek() == ',') {
          pos++;
        } else if (peek() != ')') {
          throw error("expected ',' or ')' in shape");
        }
      }
      int[] r = new int[dims.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = dims.get(i);
      }
      return r;
    }
  }
}
