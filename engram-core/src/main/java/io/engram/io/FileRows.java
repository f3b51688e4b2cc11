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
 */
final class FileRows implements DenseWeights.Rows {

  /** Bytes per positional read (each thread's buffer). */
  private static final int BUFFER_BYTES = 1 << 20;

  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(
          () -> ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN));

  private final Path file;
  private final FileChannel ch;
  private final long data;
  private final long floats;
  private final Object key;
  private final long size;
  private final FileTime modified;

  /**
   * @param data the file offset of value 0
   * @param floats how many values there are
   * @param attrs the file's attributes when it was opened (read before its contents were checked)
   */
  FileRows(Path file, FileChannel ch, long data, long floats, BasicFileAttributes attrs) {
    this.file = file;
    this.ch = ch;
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
    try {
      while (len > 0) {
        int take = Math.min(len, BUFFER_BYTES / 4);
        b.clear().limit(4 * take);
        long at = data + 4 * from;
        while (b.hasRemaining()) {
          if (ch.read(b, at + b.position()) < 0) {
            throw changed();
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
    }
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

  private IOException changed() {
    return new IOException(
        file
            + ": the file was changed in place while it was read (written over by another program?)");
  }
}
