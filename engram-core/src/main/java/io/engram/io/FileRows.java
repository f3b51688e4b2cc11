package io.engram.io;

import io.engram.weights.DenseWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * A float32 little-endian matrix stored in a file, read where it lies as the values are needed
 * (positional reads of the open file into each thread's buffer, then into the caller's array):
 * {@link DenseWeights#overRows} over a model's {@code W.npy}. Not a memory mapping: a file cut
 * short under a mapping faults in the reading thread, which the JVM reports as an {@code
 * InternalError} wherever that thread then is (or, in its CRC-32 routine, by crashing); a short
 * read here is an ordinary error. The file stays open while the weights use it (the JVM closes it
 * when they are collected). {@link #verify} compares the file's size and modification time with
 * those it had when opened, so that a model written over in place while it is read gives an error
 * instead of a result from a mixture of two models; a file replaced by a rename (as Engram writes
 * files) leaves the open one, and its values, as they were.
 *
 * <p>At most {@value #MAX_OPEN} such files are open at once in a JVM (a program that reads many
 * models would otherwise hold a descriptor for each until the weights are collected): the one used
 * least recently is closed, and opened again by its name when it is next read, provided it is still
 * the same file, unchanged (else the read is an error, as for a file written over).
 */
final class FileRows implements DenseWeights.Rows {

  /** Bytes per positional read (each thread's buffer). */
  private static final int BUFFER_BYTES = 1 << 20;

  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(
          () -> ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN));

  /** The most files open at once for reads in place, in this JVM. */
  static final int MAX_OPEN = 64;

  /** The open ones, least recently used first. */
  private static final java.util.LinkedHashMap<FileRows, Boolean> OPEN =
      new java.util.LinkedHashMap<>(16, 0.75f, true);

  private final Path file;
  private FileChannel ch; // guarded by OPEN
  private final long data;
  private final long floats;
  private final Object key;
  private final long size;
  private final FileTime modified;
  private final int knownMaxAbsBits;

  /**
   * @param data the file offset of value 0
   * @param floats how many values there are
   * @param attrs the file's attributes when it was opened (read before its contents were checked)
   * @param knownMaxAbsBits the largest bits of {@code |value|}, found when they were checked
   */
  FileRows(
      Path file,
      FileChannel ch,
      long data,
      long floats,
      BasicFileAttributes attrs,
      int knownMaxAbsBits) {
    this.file = file;
    this.knownMaxAbsBits = knownMaxAbsBits;
    this.ch = ch;
    synchronized (OPEN) {
      OPEN.put(this, Boolean.TRUE);
      closeBeyondLimit();
    }
    this.data = data;
    this.floats = floats;
    this.key = attrs.fileKey();
    this.size = attrs.size();
    this.modified = attrs.lastModifiedTime();
  }

  @Override
  public void copy(long from, float[] dst, int off, int len) {
    if (from < 0 || len < 0 || from + len > floats) {
      throw new IndexOutOfBoundsException(
          "values " + from + ".." + (from + len - 1) + " of " + floats);
    }
    ByteBuffer b = BUFFER.get();
    boolean interrupted = false;
    try {
      while (len > 0) {
        int take = Math.min(len, BUFFER_BYTES / 4);
        b.clear().limit(4 * take);
        long at = data + 4 * from;
        while (true) {
          try {
            if (!ZipLayout.readFully(channel(), b, at)) {
              throw changed();
            }
            break;
          } catch (java.nio.channels.ClosedByInterruptException e) {
            // this thread was interrupted (the JVM closed the file): the read goes on, as the
            // kernels' work does, with the status cleared for it and set again at the end; it
            // threw "FILE: null" out of a recall, which the interrupt did not otherwise stop
            interrupted |= Thread.interrupted();
          } catch (java.nio.channels.ClosedChannelException closed) {
            // closed for the limit meanwhile: channel() opens it again, and the read goes on
            // from where it was
          }
        }
        b.flip();
        b.asFloatBuffer().get(dst, off, take);
        from += take;
        off += take;
        len -= take;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public int knownMaxAbsBits() {
    return knownMaxAbsBits;
  }

  @Override
  public void verify() {
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return; // removed or renamed away: the open file is the one read, unchanged
    }
    if (!Objects.equals(now.fileKey(), key)) {
      return; // another file under that name now: the open one is the one read
    }
    if (now.size() != size || !now.lastModifiedTime().equals(modified)) {
      throw new UncheckedIOException(changed());
    }
  }

  /**
   * The open file: this one's channel, opened again (and checked) if it was closed for the limit.
   */
  private FileChannel channel() throws IOException {
    synchronized (OPEN) {
      if (ch == null || !ch.isOpen()) {
        FileChannel c = FileChannel.open(file);
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!Objects.equals(a.fileKey(), key)
            || a.size() != size
            || !a.lastModifiedTime().equals(modified)) {
          c.close();
          throw new IOException(
              file
                  + ": the file was replaced or changed since it was first read (closed for the"
                  + " limit of "
                  + MAX_OPEN
                  + " open model files, it cannot be read again)");
        }
        ch = c;
      }
      OPEN.put(this, Boolean.TRUE);
      closeBeyondLimit();
      return ch;
    }
  }

  /** Closes the least recently used files beyond {@link #MAX_OPEN} (holding OPEN). */
  private static void closeBeyondLimit() {
    var it = OPEN.entrySet().iterator();
    while (OPEN.size() > MAX_OPEN && it.hasNext()) {
      FileRows old = it.next().getKey();
      it.remove();
      try {
        old.ch.close();
      } catch (IOException e) {
        // closing a read-only file: nothing is lost
      }
    }
  }

  /** Files open for reads in place now (for tests). */
  static int openCount() {
    synchronized (OPEN) {
      return OPEN.size();
    }
  }

  private IOException changed() {
    return new IOException(
        file
            + ": the file was changed in place while it was read (written over by another program?)");
  }
}
