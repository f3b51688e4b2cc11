package io.engram.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads and writes numpy's {@code .npy} format (versions 1.0, 2.0 and 3.0).
 *
 * <p>Reading validates everything before allocating: the magic string, the version, the header
 * length (at most {@value #MAX_HEADER_BYTES} bytes), the header dictionary (exactly the keys {@code
 * descr}, {@code fortran_order}, {@code shape}; no code is ever evaluated), the dtype (bool,
 * int8..int64, uint8..uint64, float16, float32, float64, either byte order), and the data size
 * against the bytes present (truncated files and trailing bytes are errors). Arrays of more than
 * {@value #MAX_ELEMENTS} elements are refused. Fortran-order arrays are converted to C order.
 *
 * <p>Writing produces little-endian C-order version 1.0 files (2.0 when the header needs it) with
 * the header padded to 64 bytes, as numpy does, and replaces the target atomically.
 */
public final class Npy {

  /** The longest header accepted. */
  public static final int MAX_HEADER_BYTES = 1 << 16;

  /** The most elements one array may hold (one Java array). */
  public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /**
   * The most bytes of data {@link #read} holds, in its one buffer (one Java array of bytes); a file
   * of more is read by {@link Patterns#readFloatRows}.
   */
  static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8L;

  private Npy() {}

  /** Bytes per read of {@link #read(Path)}. */
  private static final int READ_PIECE = 1 << 16;

  /**
   * Reads a {@code .npy} file.
   *
   * @throws EngramFormatException naming the file and what is wrong with it
   * @throws IOException if it cannot be read
   */
  public static NdArray read(Path file) throws IOException {
    checkRegular(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > (long) MAX_ELEMENTS + MAX_HEADER_BYTES + 16) {
        throw new EngramFormatException(
            file + ": file of " + size + " bytes is too large for one array");
      }
      return parse(readFully(ch, size, file.toString()), file.toString(), true);
    } catch (NoSuchFileException e) {
      throw notFound(file);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw ReadInterrupts.named(file, e);
    }
  }

  /**
   * The {@code size} bytes of {@code ch} from its position, which were its size when it was opened,
   * or fewer where it ends before them. A file that ends there because it is smaller now shrank
   * while it was read (another program writing or cutting it): {@link #shrank}. Its bytes so far
   * were parsed, and their count named as the file's size in the truncation message ("needs 4128
   * bytes, file has 65408"), as if the file had been short from the start. A file whose size is
   * what it was (one of /sys, which holds less than the 4096 bytes it states) is parsed as read.
   */
  static ByteBuffer readFully(java.nio.channels.SeekableByteChannel ch, long size, String name)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    // a read into a heap buffer goes through a temporary direct buffer as large as what it
    // asks for: 64 KiB at a time, that one stays small (a whole 10 MB file in one read took
    // 110 ms in a fresh JVM, in pieces 45-55 ms: every first touch of a page costs here)
    while (buf.hasRemaining()) {
      int limit = buf.limit();
      buf.limit(Math.min(limit, buf.position() + READ_PIECE));
      int r = ch.read(buf);
      buf.limit(limit);
      if (r < 0) {
        long now = ch.size();
        if (now < size) {
          throw shrank(name, size, now);
        }
        break;
      }
    }
    buf.flip();
    return buf;
  }

  /** The error for a file of {@code from} bytes that ended at {@code to} while it was read. */
  static EngramFormatException shrank(String name, long from, long to) {
    return new EngramFormatException(
        name
            + ": the file changed while it was read: it shrank from "
            + from
            + " to "
            + to
            + " bytes (another program writing or cutting it?)");
  }

  /**
   * The number of elements of a {@code .npy} file, from its header alone (none of its data is
   * read): what the array will be once read, e.g. as float32 patterns, whatever the dtype in the
   * file (a bool file becomes four times its size).
   *
   * @throws EngramFormatException if the file does not start with a valid {@code .npy} header
   * @throws IOException if it cannot be read
   */
  public static long elements(Path file) throws IOException {
    checkRegular(file);
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return elementCount(NpyHeader.read(in, file.toString()).shape);
    } catch (NoSuchFileException e) {
      throw notFound(file);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw ReadInterrupts.named(file, e);
    }
  }

  /**
   * The number of elements of a shape: 0 when a dimension is 0, whatever the others (shape [65536,
   * 65536, 0] is an empty array, which numpy reads and this library writes; a running product
   * refused it on passing the limit before the 0), and above {@link #MAX_ELEMENTS} (not exact,
   * never overflowing) when the product is.
   */
  static long elementCount(int[] shape) {
    for (int d : shape) {
      if (d == 0) {
        return 0;
      }
    }
    long count = 1;
    for (int d : shape) {
      count *= d;
      if (count > MAX_ELEMENTS) {
        return MAX_ELEMENTS + 1L;
      }
    }
    return count;
  }

  /**
   * Refuses a path that is there but is not a regular file, before it is opened: a folder ({@code
   * FILE: is a folder, not a .npy file}; opening it said only {@code Is a directory}, without the
   * name) or a named pipe, socket or device (opening a pipe that no program writes waits forever;
   * these readers read a file by its size). A path that is not there is left to the open, whose
   * error says so ({@link #notFound}).
   *
   * @throws EngramFormatException naming the file and what it is
   */
  static void checkRegular(Path file) throws EngramFormatException {
    Objects.requireNonNull(file, "file");
    java.nio.file.attribute.BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (IOException e) {
      return; // not there, or not to be looked at: the open names it
    }
    if (a.isDirectory()) {
      throw new EngramFormatException(file + ": is a folder, not a .npy file");
    }
    if (!a.isRegularFile()) {
      throw new EngramFormatException(
          file
              + ": not a regular file (a pipe, socket or device); a .npy file is read by its size");
    }
  }

  /**
   * The error for an input file that is not there (for every reader of input files), saying so when
   * the path is a symbolic link (which leads nowhere, or into a loop of links).
   */
  public static NoSuchFileException notFound(Path file) {
    Objects.requireNonNull(file, "file");
    return new NoSuchFileException(
        file.toString(),
        null,
        Files.isSymbolicLink(file)
            ? "a symbolic link to a file that does not exist (or links that loop)"
            : Files.notExists(file)
                ? "file not found"
                // neither there nor not: a folder on the way may not be searched, or the name
                // is more than the system takes
                : unreachable(file));
  }

  /**
   * Why a path that is neither there nor not cannot be looked at: the system's reason where it
   * gives one other than a permission ({@code File name too long}: a name of 300 characters was
   * said to be behind a folder without permission), else a folder on the way that may not be
   * searched.
   */
  private static String unreachable(Path file) {
    try {
      Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (java.nio.file.AccessDeniedException e) {
      // the default below
    } catch (java.nio.file.FileSystemException e) {
      if (e.getReason() != null) {
        return "cannot be reached: " + e.getReason();
      }
    } catch (IOException e) {
      // the default below
    }
    return "cannot be reached (permission denied on a folder above it?)";
  }

  /**
   * Parses {@code .npy} bytes.
   *
   * @param name used in error messages
   */
  public static NdArray parse(byte[] bytes, String name) throws EngramFormatException {
    Objects.requireNonNull(bytes, "bytes");
    return parse(ByteBuffer.wrap(bytes), name);
  }

  static NdArray parse(ByteBuffer in, String name) throws EngramFormatException {
    return parse(in, name, false);
  }

  /**
   * {@link #parse(ByteBuffer, String)}; when {@code owned} (a buffer {@link #read} made and nothing
   * else holds), little-endian C-order data stays in it instead of being copied out: a copy of a
   * large file cost a fresh JVM some 45 ms per 10 MB (each first touch of a page).
   */
  private static NdArray parse(ByteBuffer in, String name, boolean owned)
      throws EngramFormatException {
    in = in.slice().order(ByteOrder.LITTLE_ENDIAN);
    int total = in.remaining();
    if (total < 10) {
      throw new EngramFormatException(name + ": not a .npy file (only " + total + " bytes)");
    }
    for (int i = 0; i < NpyHeader.MAGIC.length; i++) {
      if (in.get(i) != NpyHeader.MAGIC[i]) {
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
      throw NpyHeader.unsupportedVersion(name, major, minor);
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
    NpyHeader h = NpyHeader.parse(header, name);
    int dataStart = pos + (int) headerLen;
    long bytes = dataBytes(h, name, total - dataStart);
    if (bytes > MAX_DATA_BYTES) {
      throw new EngramFormatException(name + ": array of " + bytes + " bytes is too large");
    }
    in.position(dataStart);
    ByteBuffer src = in.slice();
    src.limit((int) bytes);
    boolean swapped = h.bigEndian && h.dtype.size() > 1;
    boolean fortran = h.fortran && h.shape.length > 1;
    ByteBuffer data;
    if (owned && !swapped && !fortran) {
      data = src.order(ByteOrder.LITTLE_ENDIAN);
    } else {
      // swap and fortranToC work on a whole array of the data alone
      data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
      data.put(src);
      data.flip();
    }
    if (swapped) {
      swap(data, h.dtype.size());
    }
    if (fortran) {
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

  /**
   * The bytes of data a header's array takes, checked against the {@code present} bytes after the
   * header: at most {@link #MAX_ELEMENTS} elements, and neither more nor fewer bytes than present.
   *
   * @throws EngramFormatException naming {@code name} and what is wrong
   */
  static long dataBytes(NpyHeader h, String name, long present) throws EngramFormatException {
    long count = elementCount(h.shape);
    if (count > MAX_ELEMENTS) {
      throw new EngramFormatException(
          name
              + ": shape "
              + Arrays.toString(h.shape)
              + " has more than "
              + MAX_ELEMENTS
              + " elements");
    }
    long bytes = count * h.dtype.size();
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
          name
              + ": "
              + (present - bytes)
              + " unexpected byte"
              + (present - bytes == 1 ? "" : "s")
              + " after the .npy data");
    }
    return bytes;
  }

  static void swap(ByteBuffer b, int size) {
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
    Objects.requireNonNull(array, "array");
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
    Objects.requireNonNull(array, "array");
    Objects.requireNonNull(out, "out");
    int[] shape = array.shape();
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[i];
    }
    out.write(NpyHeader.encode(array.dtype(), dims));
    ByteBuffer data = array.buffer();
    byte[] chunk = new byte[1 << 16];
    while (data.hasRemaining()) {
      int n = Math.min(chunk.length, data.remaining());
      data.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }

  /**
   * Streams a float32 {@code rows x cols} matrix (little-endian, C order) from a row source: the
   * header, then the data a block of rows at a time, so a matrix of any size (8 GiB for N = 46340)
   * is written without a second copy in memory. The format has no size limit, nor has this: the
   * whole matrix may be far more than 2 GiB (only a row must fit one array), and its bytes pass
   * through a buffer of at most 1 MiB.
   *
   * @param source copies rows into the caller's buffer; called with increasing {@code from}
   * @throws IllegalArgumentException if the shape is negative or a row is more than one Java array
   *     holds (before anything is written)
   */
  public static void writeFloatRows(OutputStream out, int rows, int cols, RowSource source)
      throws IOException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(source, "source");
    checkFloatRows(rows, cols);
    out.write(NpyHeader.encode(DType.FLOAT32, rows, cols));
    // block * cols <= max(WRITE_PIECE, cols): an int, as are the counts below
    int block = Math.max(1, Math.min(rows, WRITE_PIECE / Math.max(1, cols)));
    float[] f = new float[block * cols];
    ByteBuffer b =
        ByteBuffer.allocate(4 * Math.min(f.length, WRITE_PIECE)).order(ByteOrder.LITTLE_ENDIAN);
    int piece = b.capacity() / 4;
    for (int r = 0; r < rows; r += block) {
      int count = Math.min(block, rows - r);
      source.copyRows(r, count, f);
      int values = count * cols;
      for (int at = 0; at < values; at += piece) {
        int k = Math.min(piece, values - at);
        b.clear();
        b.asFloatBuffer().put(f, at, k);
        out.write(b.array(), 0, 4 * k);
      }
    }
  }

  /**
   * A shape {@link #writeFloatRows} can stream: not negative, and a row fits the one array it is
   * copied into (a row of 2³¹ − 1 values was an OutOfMemoryError, "Requested array size exceeds VM
   * limit").
   */
  static void checkFloatRows(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("negative shape " + rows + " x " + cols);
    }
    if (cols > MAX_ELEMENTS) {
      throw new IllegalArgumentException(
          "a row of "
              + cols
              + " float32 values is more than one Java array holds (at most "
              + MAX_ELEMENTS
              + ")");
    }
  }

  /** The most floats {@link #writeFloatRows} converts to bytes at a time (1 MiB of them). */
  private static final int WRITE_PIECE = 1 << 18;

  /** Atomically writes a float32 matrix streamed from a row source at exactly {@code file}. */
  public static void writeFloatRows(Path file, int rows, int cols, RowSource source)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
    AtomicFiles.write(file, out -> writeFloatRows(out, rows, cols, source));
  }

  /** Atomically writes the array to a {@code .npy} file at exactly {@code file}. */
  public static void write(Path file, NdArray array) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(array, "array");
    AtomicFiles.write(file, out -> write(array, out));
  }

  /** Atomically writes a float32 array of the given shape. */
  public static void writeFloats(Path file, float[] values, int... shape) throws IOException {
    Objects.requireNonNull(file, "file");
    write(file, NdArray.ofFloats(values, shape));
  }
}
