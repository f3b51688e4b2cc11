package io.engram.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .npy} header: its parsed dictionary ({@code descr}, {@code fortran_order}, {@code
 * shape}), reading it from bytes or a stream, and writing one. Every problem is an {@link
 * EngramFormatException} naming the array.
 */
final class NpyHeader {

  /**
   * The most dimensions a {@code .npy} array has here (numpy's limit before 2.0): read and written.
   */
  static final int MAX_DIMENSIONS = 32;

  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  DType dtype;
  boolean bigEndian;
  boolean fortran;
  int[] shape;

  static NpyHeader parse(String text, String name) throws EngramFormatException {
    Parser p = new Parser(text, name);
    NpyHeader h = new NpyHeader();
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
          if (p.peek() == '[') {
            // a structured array's fields, [('x', '<f4'), ...]: well-formed, and not read (it was
            // "malformed .npy header: expected a quoted string at offset 10")
            throw p.unsupported(
                "unsupported dtype: a structured array (named fields, "
                    + p.upTo(']')
                    + "); save a plain array of numbers, e.g. np.save(f,"
                    + " np.stack([a[k] for k in a.dtype.names], axis=-1))");
          }
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
    String expected =
        "unsupported dtype '"
            + s
            + "' (expected bool, int8..int64, uint8..uint64, float16, float32 or float64)";
    if (s.length() >= 2 && "<>|=".indexOf(s.charAt(0)) >= 0 && s.charAt(1) == 'O') {
      // what np.save writes for an array of Python objects (allow_pickle): a valid header
      throw p.unsupported(
          "unsupported dtype '"
              + s
              + "': an array of Python objects (pickled), which Engram does not read; save an"
              + " array of numbers, e.g. np.save(f, np.asarray(a, dtype=np.float32))");
    }
    if (s.length() < 3) {
      throw p.error("unsupported dtype '" + s + "'");
    }
    char order = s.charAt(0);
    if (order != '<' && order != '>' && order != '|' && order != '=') {
      throw p.unsupported(
          "unsupported dtype '" + s + "' (structured or object arrays are not supported)");
    }
    char kind = s.charAt(1);
    int size;
    try {
      size = Integer.parseInt(s.substring(2));
    } catch (NumberFormatException e) {
      if (Character.isLetter(kind)) {
        // a type numpy writes with a unit or more (datetime64 '<M8[s]', timedelta '<m8[ns]'):
        // a well-formed header of an array Engram does not read, not a malformed one
        throw p.unsupported(expected);
      }
      throw p.error("unsupported dtype '" + s + "'");
    }
    DType d = DType.of(kind, size);
    if (d == null) {
      throw p.unsupported(expected);
    }
    dtype = d;
    bigEndian = order == '>' || (order == '=' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN);
  }

  /**
   * Reads a header from a stream: magic, version, length (at most {@link Npy#MAX_HEADER_BYTES}),
   * dictionary. The stream is left at the first data byte.
   */
  static NpyHeader read(InputStream in, String name) throws IOException {
    byte[] pre = new byte[8];
    readFully(in, pre, name, "header");
    for (int i = 0; i < MAGIC.length; i++) {
      if (pre[i] != MAGIC[i]) {
        throw new EngramFormatException(name + ": not a .npy file (bad magic string)");
      }
    }
    int major = pre[6] & 0xFF;
    int minor = pre[7] & 0xFF;
    long headerLen;
    if (major == 1 && minor == 0) {
      byte[] l = new byte[2];
      readFully(in, l, name, "header");
      headerLen = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
    } else if ((major == 2 || major == 3) && minor == 0) {
      byte[] l = new byte[4];
      readFully(in, l, name, "header");
      headerLen = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    } else {
      throw NpyHeader.unsupportedVersion(name, major, minor);
    }
    if (headerLen > Npy.MAX_HEADER_BYTES) {
      throw new EngramFormatException(
          name
              + ": .npy header of "
              + headerLen
              + " bytes exceeds the limit of "
              + Npy.MAX_HEADER_BYTES);
    }
    byte[] hb = new byte[(int) headerLen];
    readFully(in, hb, name, "header");
    return parse(
        new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), name);
  }

  static void readFully(InputStream in, byte[] b, String name, String what) throws IOException {
    readFully(in, b, b.length, name, what);
  }

  /** Reads exactly {@code len} bytes into {@code b} from index 0. */
  static void readFully(InputStream in, byte[] b, int len, String name, String what)
      throws IOException {
    int off = 0;
    while (off < len) {
      int r = in.read(b, off, len - off);
      if (r < 0) {
        throw new EngramFormatException(name + ": truncated .npy " + what);
      }
      off += r;
    }
  }

  /**
   * The preamble and header of a little-endian, C-order array of this dtype and shape (version 1.0,
   * or 2.0 when the header needs more than 65535 bytes), padded to a multiple of 64 bytes.
   */
  static byte[] encode(DType d, long... shape) {
    StringBuilder sb = new StringBuilder();
    String descr = (d.size() == 1 ? "|" : "<") + d.code();
    sb.append("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
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
    ByteBuffer out = ByteBuffer.allocate(preamble + hb.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC);
    out.put((byte) (v2 ? 2 : 1)).put((byte) 0);
    if (v2) {
      out.putInt(hb.length);
    } else {
      out.putShort((short) hb.length);
    }
    out.put(hb);
    return out.array();
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

    /** A well-formed header of an array Engram does not read (its element type). */
    EngramFormatException unsupported(String what) {
      return new EngramFormatException(name + ": " + what);
    }

    /** The text from here to the first {@code end} (included; cut after 60 characters). */
    String upTo(char end) {
      int e = s.indexOf(end, pos);
      String t = e < 0 ? s.substring(pos) : s.substring(pos, e + 1);
      return t.length() > 60 ? t.substring(0, 57) + "..." : t;
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
        if (dims.size() > MAX_DIMENSIONS) {
          throw error("more than " + MAX_DIMENSIONS + " dimensions");
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

  /** The error for a {@code .npy} version this reader does not know (it reads 1.0, 2.0, 3.0). */
  static EngramFormatException unsupportedVersion(String name, int major, int minor) {
    return new EngramFormatException(
        name + ": unsupported .npy version " + major + "." + minor + " (expected 1.0, 2.0 or 3.0)");
  }
}
