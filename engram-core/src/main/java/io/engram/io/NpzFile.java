package io.engram.io;

import io.engram.kernels.Kernels;
import io.engram.weights.DenseWeights;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes numpy's {@code .npz} archives: a zip file of {@code .npy} members, one per
 * array, as written by {@code np.savez} (stored) and {@code np.savez_compressed} (deflated).
 * Members that are not {@code .npy} files (e.g. a {@code meta.json}) are allowed; numpy returns
 * them as raw bytes.
 *
 * <p>Keys follow numpy: the array stored in member {@code W.npy} has key {@code W}. Methods that
 * take a key also accept the member name.
 *
 * <p>Reading is defensive and never executes anything (no pickle, no object arrays): the zip
 * directory is checked when the file is opened (no duplicate or directory members, no member name
 * but a plain relative one: none empty, absolute, with an empty, {@code .} or {@code ..} path
 * segment, a backslash, a control character or a Unicode format character such as a bidirectional
 * override), at most {@value #MAX_MEMBERS} members, only stored or deflated members, and no more
 * bytes in the members together than in the file, so that no two members share bytes); a member is
 * read only when its declared size is within the caller's limit, no more than the declared number
 * of bytes is ever inflated (a zip bomb or a lying size is an error, not an out-of-memory), and the
 * CRC-32 of every member is verified. Every problem is an {@link EngramFormatException} naming the
 * file and the member.
 *
 * <p>Writing produces stored (uncompressed) members, as {@code np.savez} does, and replaces the
 * target atomically ({@link AtomicFiles}).
 *
 * <p>An open {@code NpzFile} is not thread-safe; close it when done.
 */
public final class NpzFile implements Closeable {

  /** The most members an archive may have. */
  public static final int MAX_MEMBERS = 4096;

  private final Path file;
  private final ZipFile zip;
  private final Map<String, ZipEntry> members;

  /** The archive's size in bytes when it was opened. */
  private final long fileBytes;

  /** Set by {@link #close}: reads are then refused as the caller's error, not the file's. */
  private volatile boolean closed;

  private NpzFile(Path file, ZipFile zip, Map<String, ZipEntry> members, long fileBytes) {
    this.file = file;
    this.zip = zip;
    this.members = members;
    this.fileBytes = fileBytes;
  }

  /**
   * Opens an archive and checks its directory. An archive on a file system other than the default
   * one (a {@link java.nio.file.FileSystems#newFileSystem zip file system}, say) is first copied to
   * the default temporary folder, since {@code java.util.zip} reads local files only; the copy is
   * removed when it is opened (or closed).
   *
   * @throws NoSuchFileException if the file does not exist
   * @throws EngramFormatException if it is not a valid zip archive, has duplicate or directory
   *     members, a member name that is empty, absolute, holds a {@code ..} (or {@code .} or empty)
   *     path segment, a backslash, a control or a format character, too many members, members
   *     neither stored nor deflated, or members whose bytes together are more than the file's
   *     (members that overlap)
   */
  public static NpzFile open(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file)) {
      throw Npy.notFound(file);
    }
    if (!Files.isRegularFile(file)) {
      throw new EngramFormatException(file + ": not a regular file");
    }
    if (!Files.isReadable(file)) {
      // (ZipFile would say "I/O error: FILE (Permission denied)")
      throw new AccessDeniedException(file.toString());
    }
    long fileBytes = Files.size(file);
    boolean local = file.getFileSystem() == FileSystems.getDefault();
    ZipFile zip;
    try {
      // java.util.zip reads files of the default file system only (Path.toFile() is an
      // UnsupportedOperationException elsewhere: a model written into a zip file system through
      // ModelFile.write was then "not a .npz (zip) archive" to ModelFile.read): an archive on
      // another file system is read from a local copy, removed as it is opened
      zip = local ? new ZipFile(file.toFile()) : localCopy(file);
    } catch (ZipException | EOFException | RuntimeException e) {
      String unread = unreadMembers(e);
      throw new EngramFormatException(
          file
              + (unread != null
                  ? ": " + unread
                  : fileBytes == 0
                      ? ": is empty (0 bytes by the size the system gives), not a .npz (zip)"
                          + " archive"
                      : e instanceof EOFException
                          // (the reason was the class name, "EOFException", for a file of /sys
                          // whose stated size, 4096 bytes, is more than it holds)
                          ? ": not a .npz (zip) archive: it ends before the "
                              + fileBytes
                              + " bytes the system gives as its size (a file of /proc or /sys,"
                              + " or one that another process is cutting short?)"
                          : ": not a .npz (zip) archive: " + why(e)),
          e);
    }
    try {
      Map<String, ZipEntry> members = new LinkedHashMap<>();
      long stored = 0; // the members' bytes in the file, together
      Enumeration<? extends ZipEntry> en = zip.entries();
      while (en.hasMoreElements()) {
        ZipEntry e = en.nextElement();
        String name = e.getName();
        if (members.size() >= MAX_MEMBERS) {
          throw new EngramFormatException(file + ": more than " + MAX_MEMBERS + " members");
        }
        if (e.isDirectory()) {
          throw new EngramFormatException(
              file + ": unexpected folder member '" + shown(name) + "'");
        }
        String problem = nameProblem(name);
        if (problem != null) {
          throw new EngramFormatException(
              file
                  + ": member name '"
                  + shown(name)
                  + "' "
                  + problem
                  + "; not a valid .npz member");
        }
        if (e.getMethod() != ZipEntry.STORED && e.getMethod() != ZipEntry.DEFLATED) {
          throw new EngramFormatException(
              file
                  + ": member '"
                  + name
                  + "' uses unsupported compression method "
                  + e.getMethod());
        }
        if (members.put(name, e) != null) {
          throw new EngramFormatException(file + ": duplicate member '" + name + "'");
        }
        long packed = e.getCompressedSize();
        if (packed >= 0) {
          stored += packed;
        }
      }
      if (stored > fileBytes) {
        // each member's bytes lie apart from the others' in a zip: more than the file holds is
        // members that share bytes, a way to make each of many names read the same large data
        throw new EngramFormatException(
            file
                + ": its members claim "
                + stored
                + " bytes in the file, more than its "
                + fileBytes
                + " (members that overlap)");
      }
      return new NpzFile(file, zip, Collections.unmodifiableMap(members), fileBytes);
    } catch (EngramFormatException e) {
      zip.close();
      throw e;
    } catch (RuntimeException e) {
      zip.close();
      throw new EngramFormatException(file + ": corrupt .npz (zip) directory: " + why(e), e);
    }
  }

  /**
   * Opens a copy of {@code file} (on a file system other than the default one, e.g. a zip file
   * system) made in the default temporary folder; the copy's name is removed as it is opened (or
   * when the archive is closed, where the system cannot remove an open file).
   */
  private static ZipFile localCopy(Path file) throws IOException {
    Path copy = Files.createTempFile("engram-", ".npz");
    boolean opened = false;
    try {
      Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      ZipFile zip = new ZipFile(copy.toFile(), ZipFile.OPEN_READ | ZipFile.OPEN_DELETE);
      opened = true;
      return zip;
    } finally {
      if (!opened) {
        Files.deleteIfExists(copy);
      }
    }
  }

  /**
   * Why a member name is not a plain relative name, or null when it is one: refused are an empty
   * name, an absolute one ({@code /x}), a path segment that is empty, {@code .} or {@code ..}
   * ({@code a//b}, {@code ../x}), a backslash (a folder separator to some tools), a control
   * character (NUL, escape sequences: names are shown to users) and a Unicode format character
   * (category Cf: the bidirectional marks, embeddings, overrides and isolates U+200E, U+202A to
   * U+202E, U+2066 to U+2069, which make a name read differently on screen, and the invisible ones
   * such as U+200B or U+FEFF), except the zero-width non-joiner and joiner that Persian and Indic
   * words and emoji need. Names such as numpy's {@code W.npy}, {@code meta.json}, {@code a/b.npy}
   * (numpy's key {@code a/b}) or {@code é.npy} are fine. Engram never extracts members to files;
   * this keeps a hostile archive's names from reaching users or tools that do.
   */
  static String nameProblem(String name) {
    if (name.isEmpty()) {
      return "is empty";
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (Character.isISOControl(c)) {
        return String.format("holds the control character U+%04X", c);
      }
      if (Character.getType(c) == Character.FORMAT && !joiner(c)) {
        return String.format("holds the format character U+%04X", c);
      }
      if (lineBreak(c)) {
        return String.format("holds the line or paragraph separator U+%04X", c);
      }
      if (c == '\\') {
        return "holds a backslash";
      }
      i += Character.charCount(c);
    }
    if (name.startsWith("/")) {
      return "is an absolute path";
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "has " + (segment.isEmpty() ? "an empty" : "a '" + segment + "'") + " path segment";
      }
    }
    return null;
  }

  /**
   * The zero-width non-joiner and joiner (U+200C, U+200D): format characters that words of Persian
   * and of Indic scripts, and emoji sequences, need; they change no order on screen.
   */
  private static boolean joiner(int c) {
    return c == 0x200C || c == 0x200D;
  }

  /**
   * The line and paragraph separators (U+2028, U+2029): line breaks where a name is shown (a
   * terminal, JSON, a web page), which would let a name forge lines of a listing.
   */
  private static boolean lineBreak(int c) {
    int t = Character.getType(c);
    return t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
  }

  /**
   * A member name for a message, its control and format characters and line separators escaped as
   * in Java strings ({@code \\u202e}; one beyond U+FFFF as its two UTF-16 units).
   */
  static String shown(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || lineBreak(c)) {
        for (char u : Character.toChars(c)) {
          b.append(String.format("\\u%04x", (int) u));
        }
      } else {
        b.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    return b.toString();
  }

  /**
   * A shape the caller asks for is not negative: the caller's mistake, named as such, where it went
   * on to be a member "of shape [2, 3], expected [-2, -3]" (a fault of the file) or was accepted.
   */
  private static void checkShape(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("negative shape " + rows + " x " + cols);
    }
  }

  /** A size limit the caller gives is not negative. */
  private static void checkLimit(long limit, String name) {
    if (limit < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + limit);
    }
  }

  /**
   * What the JDK's zip reader refuses in a valid zip archive, in words, or null for another
   * problem: a member compressed with a method other than stored or deflated (Python's {@code
   * zipfile} writes bzip2 and LZMA), or an encrypted one. Such an archive was called "not a .npz
   * (zip) archive: invalid CEN header (bad compression method: 12)".
   */
  private static String unreadMembers(Exception e) {
    String m = e.getMessage();
    if (m == null || !m.startsWith("invalid CEN header (")) {
      return null;
    }
    if (m.equals("invalid CEN header (encrypted entry)")) {
      return "a member is encrypted, which Engram does not read; write the archive without a"
          + " password (np.savez or np.savez_compressed)";
    }
    java.util.regex.Matcher k =
        java.util.regex.Pattern.compile("invalid CEN header \\(bad compression method: (\\d+)\\)")
            .matcher(m);
    if (!k.matches()) {
      return null;
    }
    String method =
        switch (k.group(1)) {
          case "9" -> " (Deflate64)";
          case "12" -> " (bzip2)";
          case "14" -> " (LZMA)";
          case "93" -> " (Zstandard)";
          case "95" -> " (XZ)";
          case "98" -> " (PPMd)";
          case "99" -> " (AES encryption)";
          default -> "";
        };
    return "a member is compressed with zip method "
        + k.group(1)
        + method
        + ", which Engram does not read (only stored and deflated members, as np.savez and"
        + " np.savez_compressed write them); write the archive again with one of those";
  }

  private static String why(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** The archive's path. */
  public Path path() {
    return file;
  }

  /** Member names in archive order, e.g. {@code W.npy}, {@code meta.json}. */
  public Set<String> memberNames() {
    return members.keySet();
  }

  /** Whether the archive has the member (a key like {@code W} means {@code W.npy}). */
  public boolean contains(String keyOrMember) {
    return member(keyOrMember) != null;
  }

  private ZipEntry member(String keyOrMember) {
    // (the public methods name their parameter "keyOrMember", but array's is "key")
    Objects.requireNonNull(keyOrMember, "keyOrMember");
    if (closed) {
      // a read after close was an EngramFormatException blaming the file: "W.npy is corrupt: zip
      // file closed"
      throw new IllegalStateException(file + ": the archive was closed; open it again to read it");
    }
    ZipEntry e = members.get(keyOrMember);
    if (e == null && !keyOrMember.endsWith(".npy")) {
      e = members.get(keyOrMember + ".npy");
    }
    return e;
  }

  /**
   * The shape of an array member, from its .npy header alone (none of its data is read).
   *
   * @throws EngramFormatException if it is missing or its header is not a valid .npy header
   */
  public int[] shape(String keyOrMember) throws IOException {
    ZipEntry e = member(keyOrMember);
    if (e == null) {
      throw new EngramFormatException(file + ": no member '" + keyOrMember + "'");
    }
    String where = file + "!" + e.getName();
    try (InputStream in = zip.getInputStream(e)) {
      return NpyHeader.read(in, where).shape.clone();
    } catch (EngramFormatException ex) {
      throw ex;
    } catch (ZipException | EOFException | RuntimeException ex) {
      throw new EngramFormatException(where + " is corrupt: " + why(ex), ex);
    }
  }

  /**
   * Reads a member's bytes.
   *
   * @param maxBytes the largest size accepted, at least 0
   * @throws EngramFormatException if it is missing, larger than {@code maxBytes} (declared or
   *     actual), shorter than declared, or fails its CRC check
   * @throws IllegalArgumentException if {@code maxBytes} is negative
   */
  public byte[] bytes(String keyOrMember, long maxBytes) throws IOException {
    checkLimit(maxBytes, "maxBytes");
    ZipEntry e = member(keyOrMember);
    if (e == null) {
      throw new EngramFormatException(file + ": no member '" + keyOrMember + "'");
    }
    String name = e.getName();
    long limit = Math.min(maxBytes, Integer.MAX_VALUE - 8L);
    long declared = e.getSize();
    if (declared < 0) {
      throw new EngramFormatException(file + ": member '" + name + "' does not declare its size");
    }
    if (declared > limit) {
      throw new EngramFormatException(
          file
              + ": member '"
              + name
              + "' declares "
              + declared
              + " bytes, more than the "
              + limit
              + " expected");
    }
    CRC32 crc = new CRC32();
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) declared);
    try (InputStream in = zip.getInputStream(e)) {
      byte[] buf = new byte[1 << 16];
      long total = 0;
      int r;
      // read at most one byte more than declared: enough to detect a lie, never a bomb
      while ((r = in.read(buf, 0, (int) Math.min(buf.length, declared + 1 - total))) > 0) {
        total += r;
        if (total > declared) {
          throw new EngramFormatException(
              file
                  + ": member '"
                  + name
                  + "' holds more than the "
                  + declared
                  + " bytes it declares");
        }
        crc.update(buf, 0, r);
        out.write(buf, 0, r);
      }
      if (total < declared) {
        throw new EngramFormatException(
            file + ": member '" + name + "' is truncated: " + total + " of " + declared + " bytes");
      }
    } catch (EngramFormatException ex) {
      throw ex;
    } catch (ZipException | EOFException | RuntimeException ex) {
      throw new EngramFormatException(file + ": member '" + name + "' is corrupt: " + why(ex), ex);
    }
    if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
      throw new EngramFormatException(file + ": member '" + name + "' fails its CRC-32 check");
    }
    return out.toByteArray();
  }

  /** Throws unless the header is that of a float32 {@code rows x cols} array. */
  private static void expectFloatRows(NpyHeader h, String where, int rows, int cols)
      throws EngramFormatException {
    if (h.dtype != DType.FLOAT32) {
      throw new EngramFormatException(
          where + " has dtype " + h.dtype.code() + ", expected " + DType.FLOAT32.code());
    }
    if (h.shape.length != 2 || h.shape[0] != rows || h.shape[1] != cols) {
      throw new EngramFormatException(
          where
              + " has shape "
              + java.util.Arrays.toString(h.shape)
              + ", expected ["
              + rows
              + ", "
              + cols
              + "]");
    }
  }

  /**
   * A float32 {@code rows x cols} member read into a new array ({@link #readFloatRows}), allocated
   * only once the member's declared size shows it can hold that many values ({@link
   * #checkFloatRows}): a small file whose {@code meta.json} claims billions of values is refused
   * without an array of that size.
   *
   * @throws EngramFormatException as {@link #readFloatRows}
   * @throws IllegalArgumentException if {@code rows} or {@code cols} is negative, or {@code rows x
   *     cols} is more than one Java array holds
   */
  public float[] floatRows(String keyOrMember, int rows, int cols) throws IOException {
    checkShape(rows, cols);
    if ((long) rows * cols > Npy.MAX_ELEMENTS) {
      throw new IllegalArgumentException(
          rows + " x " + cols + " floats are more than one array holds");
    }
    ZipEntry e = floatRowsMember(keyOrMember, rows, cols);
    float[] dst = new float[rows * cols];
    readFloatRows(e, rows, cols, dst);
    return dst;
  }

  /**
   * The most bytes one deflated byte can expand to (deflate's limit is about 1032 to 1): a member
   * that declares more than this many times its compressed size cannot hold what it declares.
   */
  static final long MAX_DEFLATE_RATIO = 1032;

  /**
   * Checks, before anything is read or allocated for it, that a member can be a float32 {@code rows
   * x cols} array: it is there, and the size it declares is that of such an array with a {@code
   * .npy} header, and is possible for its bytes in the file (a stored member's size is its size in
   * the file; a deflated member expands at most {@value #MAX_DEFLATE_RATIO} times). Its header,
   * values and CRC are checked as it is read.
   *
   * @throws EngramFormatException if the member is missing or its sizes cannot hold such an array
   */
  public void checkFloatRows(String keyOrMember, int rows, int cols) throws EngramFormatException {
    floatRowsMember(keyOrMember, rows, cols);
  }

  private ZipEntry floatRowsMember(String keyOrMember, int rows, int cols)
      throws EngramFormatException {
    checkShape(rows, cols);
    ZipEntry e = member(keyOrMember);
    if (e == null) {
      throw new EngramFormatException(file + ": no member '" + keyOrMember + "'");
    }
    String name = e.getName();
    long dataBytes = 4L * rows * cols;
    long declared = e.getSize();
    // the shortest .npy header: magic, version, length and at least one byte of its text
    if (declared < dataBytes + 11 || declared > dataBytes + Npy.MAX_HEADER_BYTES + 16) {
      // a header of another dtype or shape is the clearer message, where it can be read
      String where = file + "!" + name;
      NpyHeader h = null;
      try (InputStream in = zip.getInputStream(e)) {
        h = NpyHeader.read(in, where);
      } catch (IOException | RuntimeException ex) {
        // no readable header: the sizes say what is wrong
      }
      if (h != null) {
        expectFloatRows(h, where, rows, cols);
      }
      throw new EngramFormatException(
          file
              + ": member '"
              + name
              + "' declares "
              + declared
              + " bytes, expected a "
              + rows
              + " x "
              + cols
              + " float32 array ("
              + dataBytes
              + " bytes of data and a .npy header)");
    }
    long packed = e.getCompressedSize();
    boolean possible =
        packed <= fileBytes
            && (e.getMethod() == ZipEntry.STORED
                ? packed == declared
                : declared <= Math.max(packed, 1) * MAX_DEFLATE_RATIO);
    if (!possible) {
      throw new EngramFormatException(
          file
              + ": member '"
              + name
              + "' declares "
              + declared
              + " bytes but holds "
              + packed
              + (e.getMethod() == ZipEntry.STORED ? "" : " compressed")
              + " bytes in the file");
    }
    return e;
  }

  /**
   * Reads a float32 {@code rows x cols} matrix member straight into {@code dst} (row-major), a
   * block at a time: the way to read arrays too large for one {@link NdArray} (more than 2 GiB)
   * without a second copy. The member must declare exactly the size its header and shape imply; no
   * more than that is ever inflated, and its CRC-32 is checked. Big-endian data is swapped; Fortran
   * order is converted (square matrices in place, others through one copy).
   *
   * @param dst at least {@code rows * cols} long; overwritten (partly, if this throws)
   * @throws EngramFormatException if the member is missing, not float32, of another shape,
   *     truncated, longer than declared, or fails its CRC check
   * @throws IllegalArgumentException if {@code rows} or {@code cols} is negative or {@code dst} is
   *     shorter than {@code rows * cols} (before anything is read)
   */
  public void readFloatRows(String keyOrMember, int rows, int cols, float[] dst)
      throws IOException {
    Objects.requireNonNull(dst, "dst");
    checkShape(rows, cols);
    if (dst.length < (long) rows * cols) {
      // was found on reading, as "member 'W.npy' is corrupt: Range [0, 0 + 6) out of bounds"
      throw new IllegalArgumentException(
          "dst has "
              + dst.length
              + " values, fewer than "
              + rows
              + " x "
              + cols
              + " = "
              + (long) rows * cols);
    }
    readFloatRows(floatRowsMember(keyOrMember, rows, cols), rows, cols, dst);
  }

  /**
   * {@link #readFloatRows(String, int, int, float[])} of a member {@link #floatRowsMember} took.
   */
  private void readFloatRows(ZipEntry e, int rows, int cols, float[] dst) throws IOException {
    String name = e.getName();
    String where = file + "!" + name;
    long dataBytes = 4L * rows * cols;
    long declared = e.getSize();
    try (InputStream raw = zip.getInputStream(e);
        StoredZip.BoundedCrc in = new StoredZip.BoundedCrc(raw, declared, where)) {
      NpyHeader h = NpyHeader.read(in, where);
      expectFloatRows(h, where, rows, cols);
      long needed = in.consumed() + dataBytes;
      if (needed > declared) {
        throw new EngramFormatException(
            where
                + ": truncated .npy data: shape ["
                + rows
                + ", "
                + cols
                + "] of float32 needs "
                + needed
                + " bytes, the member has "
                + declared);
      }
      if (needed < declared) {
        throw new EngramFormatException(
            where
                + ": "
                + (declared - needed)
                + " unexpected byte"
                + (declared - needed == 1 ? "" : "s")
                + " after the .npy data");
      }
      ByteBuffer b =
          ByteBuffer.allocate(1 << 18)
              .order(h.bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long total = (long) rows * cols;
      long at = 0;
      while (at < total) {
        int floats = (int) Math.min(b.capacity() / 4, total - at);
        NpyHeader.readFully(in, b.array(), floats * 4, where, "data");
        b.clear();
        b.asFloatBuffer().get(dst, (int) at, floats);
        at += floats;
      }
      in.finish();
      if (e.getCrc() != -1 && in.crc() != e.getCrc()) {
        throw new EngramFormatException(file + ": member '" + name + "' fails its CRC-32 check");
      }
      if (h.fortran && rows == cols) {
        for (int i = 0; i < rows; i++) {
          for (int j = i + 1; j < cols; j++) {
            float t = dst[i * cols + j];
            dst[i * cols + j] = dst[j * cols + i];
            dst[j * cols + i] = t;
          }
        }
      } else if (h.fortran) {
        // column-major rows x cols is row-major cols x rows: transposed through one copy (numpy
        // writes C order unless asked, so this is rare)
        Kernels.transpose(java.util.Arrays.copyOf(dst, rows * cols), cols, rows, dst);
      }
    } catch (EngramFormatException ex) {
      throw ex;
    } catch (ZipException | EOFException | RuntimeException ex) {
      throw new EngramFormatException(file + ": member '" + name + "' is corrupt: " + why(ex), ex);
    }
  }

  /**
   * A float32 {@code rows x cols} member to be read where it lies, as its values are needed ({@link
   * FileRows}), instead of into an array now. Only for a stored member whose {@code .npy} is
   * little-endian float32 in C order of that shape, whose bytes all lie in the file and whose
   * CRC-32 (read through once, here) is the declared one, in an archive of the default file system;
   * null otherwise, and the caller reads it with {@link #readFloatRows}, which names whatever is
   * wrong. The returned rows keep the file open, and know the largest {@code |value|} from that
   * pass ({@link DenseWeights.Rows#knownMaxAbsBits}).
   */
  public DenseWeights.Rows floatRowsInPlace(String keyOrMember, int rows, int cols)
      throws IOException {
    ZipEntry e = member(keyOrMember);
    if (e == null
        || e.getMethod() != ZipEntry.STORED
        || rows < 1
        || cols < 1
        || file.getFileSystem() != FileSystems.getDefault()) {
      // (an archive of another file system is read from a local copy: read into the heap)
      return null;
    }
    String where = file + "!" + e.getName();
    long dataBytes = 4L * rows * cols;
    long declared = e.getSize();
    long headerBytes;
    try (InputStream raw = zip.getInputStream(e);
        StoredZip.BoundedCrc in = new StoredZip.BoundedCrc(raw, declared, where)) {
      NpyHeader h = NpyHeader.read(in, where);
      if (h.dtype != DType.FLOAT32
          || h.bigEndian
          || h.fortran
          || h.shape.length != 2
          || h.shape[0] != rows
          || h.shape[1] != cols) {
        return null;
      }
      headerBytes = in.consumed();
    } catch (IOException | RuntimeException ex) {
      return null;
    }
    if (headerBytes + dataBytes != declared) {
      return null;
    }
    java.nio.file.attribute.BasicFileAttributes attrs =
        Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file);
    boolean kept = false;
    try {
      long at = ZipLayout.storedData(ch, e.getName(), declared);
      if (at < 0) {
        return null;
      }
      // one pass over the member: its CRC-32, and on the way the scan the weights make of their
      // values (a second pass over W was 10-15% of reading a dense model; N = 4096 on the project
      // machine, BENCHMARKS.md)
      CRC32 crc = new CRC32();
      ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
      float[] values = new float[b.capacity() / 4];
      // (a header of a length that is not a whole number of floats, which numpy never writes,
      // leaves the values unaligned with the reads: the weights then scan them themselves)
      boolean scan = headerBytes % 4 == 0;
      int maxBits = scan ? 0 : -1;
      for (long done = 0; done < declared; ) {
        b.clear().limit((int) Math.min(b.capacity(), declared - done));
        if (!ZipLayout.readFully(ch, b, at + done)) {
          return null; // cut short meanwhile: the stream read names it
        }
        b.flip();
        if (scan) {
          // the values in this part (numpy's header is a multiple of 64 bytes long)
          int skip = (int) Math.max(0, Math.min(b.limit(), headerBytes - done));
          int count = (b.limit() - skip) / 4;
          b.position(skip);
          b.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, 0, count);
          maxBits = Math.max(maxBits, DenseWeights.maxAbsBits(values, count));
          b.position(0);
        }
        crc.update(b);
        done += b.limit();
      }
      if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
        return null; // read as a stream, whose check names it
      }
      kept = true;
      return new FileRows(file, ch, at + headerBytes, (long) rows * cols, attrs, maxBits);
    } finally {
      if (!kept) {
        ch.close();
      }
    }
  }

  /**
   * Reads and validates one array ({@link Npy#parse}).
   *
   * @param key the key ({@code W}) or member name ({@code W.npy})
   * @param maxDataBytes the largest element data accepted, in bytes (the header comes on top), at
   *     least 0
   * @throws IllegalArgumentException if {@code maxDataBytes} is negative
   */
  public NdArray array(String key, long maxDataBytes) throws IOException {
    Objects.requireNonNull(key, "key");
    checkLimit(maxDataBytes, "maxDataBytes");
    ZipEntry e = member(key);
    String name = e == null ? key : e.getName();
    // (Long.MAX_VALUE plus the header wrapped to a negative limit, which refused every member)
    long limit = Math.min(maxDataBytes, Long.MAX_VALUE - Npy.MAX_HEADER_BYTES - 16);
    byte[] b = bytes(key, limit + Npy.MAX_HEADER_BYTES + 16);
    return Npy.parse(b, file + "!" + name);
  }

  /**
   * Reads every {@code .npy} member of an archive, keyed as numpy does ({@code W.npy} becomes
   * {@code W}); other members are skipped.
   *
   * @param maxTotalBytes the largest total size of the arrays accepted, at least 0
   * @throws IllegalArgumentException if {@code maxTotalBytes} is negative
   */
  public static Map<String, NdArray> readAll(Path file, long maxTotalBytes) throws IOException {
    checkLimit(maxTotalBytes, "maxTotalBytes");
    try (NpzFile npz = open(file)) {
      Map<String, NdArray> out = new LinkedHashMap<>();
      long left = maxTotalBytes;
      for (String name : npz.memberNames()) {
        if (!name.endsWith(".npy")) {
          continue;
        }
        byte[] b = npz.bytes(name, left);
        left -= b.length;
        out.put(name.substring(0, name.length() - 4), Npy.parse(b, file + "!" + name));
      }
      return out;
    }
  }

  /**
   * Closes the archive. Afterwards every method that reads a member, or looks one up ({@link
   * #contains}), throws an {@link IllegalStateException}; closing again does nothing.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    zip.close();
  }

  /** A new archive to fill and write. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects members, then writes them as a stored {@code .npz}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, StoredZip.Content> members = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds an array under {@code key} (member {@code key.npy}).
     *
     * @throws IllegalArgumentException if the key is empty or already used
     */
    public Builder put(String key, NdArray array) {
      Objects.requireNonNull(array, "array");
      checkKey(key);
      add(key + ".npy", (StoredZip.Content) out -> Npy.write(array, out));
      return this;
    }

    /**
     * Adds a float32 {@code rows x cols} matrix under {@code key}, streamed from the source when
     * the archive is written (twice: once for the CRC a stored member declares first, once for the
     * data), so that no copy of the matrix is made.
     *
     * @throws IllegalArgumentException if the key is empty or already used, or the shape is
     *     negative or has rows longer than one Java array holds
     */
    public Builder putFloatRows(String key, int rows, int cols, RowSource source) {
      Objects.requireNonNull(source, "source");
      checkKey(key);
      Npy.checkFloatRows(rows, cols);
      add(key + ".npy", (StoredZip.Content) out -> Npy.writeFloatRows(out, rows, cols, source));
      return this;
    }

    /**
     * Adds a raw member, e.g. {@code meta.json} (numpy returns its bytes).
     *
     * @throws IllegalArgumentException if the name is empty or already used
     */
    public Builder putBytes(String member, byte[] bytes) {
      Objects.requireNonNull(member, "member");
      Objects.requireNonNull(bytes, "bytes");
      byte[] copy = bytes.clone();
      add(member, (StoredZip.Content) out -> out.write(copy));
      return this;
    }

    /** A null key would be the member {@code null.npy}. */
    private static void checkKey(String key) {
      Objects.requireNonNull(key, "key");
    }

    private void add(String member, StoredZip.Content value) {
      Objects.requireNonNull(member, "member");
      String problem = nameProblem(member);
      if (problem != null || member.equals(".npy")) {
        throw new IllegalArgumentException(
            "bad member name '"
                + shown(member)
                + "': "
                + (problem == null ? "its key is empty" : "it " + problem));
      }
      if (members.containsKey(member)) {
        throw new IllegalArgumentException("member '" + member + "' added twice");
      }
      members.put(member, value);
    }

    /** Atomically writes the archive at exactly {@code file}. */
    public void write(Path file) throws IOException {
      Objects.requireNonNull(file, "file");
      AtomicFiles.write(file, this::writeTo);
    }

    /** Writes the archive to a stream (not closed). */
    public void writeTo(OutputStream out) throws IOException {
      Objects.requireNonNull(out, "out");
      ZipOutputStream zip = new ZipOutputStream(out);
      for (Map.Entry<String, StoredZip.Content> m : members.entrySet()) {
        StoredZip.store(zip, m.getKey(), m.getValue());
      }
      zip.finish();
      zip.flush();
    }
  }
}
