package io.engram.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Stored (uncompressed) ZIP members, as {@link NpzFile} writes and checks them: writing one takes
 * two passes over its content (size and CRC-32 first, as a stored entry declares them up front,
 * then the bytes), so that no copy is made; reading one never goes past its declared size and
 * computes its CRC-32 on the way.
 */
final class StoredZip {

  private StoredZip() {}

  /**
   * A member's stream that never yields more than the declared bytes (reading past them is an
   * error, not an inflation bomb) and computes their CRC-32.
   */
  static final class BoundedCrc extends InputStream {
    private final InputStream in;
    private final long declared;
    private final String where;
    private final CRC32 crc = new CRC32();
    private long consumed;

    BoundedCrc(InputStream in, long declared, String where) {
      this.in = in;
      this.declared = declared;
      this.where = where;
    }

    long consumed() {
      return consumed;
    }

    long crc() {
      return crc.getValue();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (consumed >= declared) {
        return -1;
      }
      int r = in.read(b, off, (int) Math.min(len, declared - consumed));
      if (r > 0) {
        crc.update(b, off, r);
        consumed += r;
      }
      return r;
    }

    /** Checks that the member ends here: all declared bytes read, nothing after them. */
    void finish() throws IOException {
      if (consumed < declared) {
        throw new EngramFormatException(
            where
                + ": "
                + (declared - consumed)
                + " unexpected byte"
                + (declared - consumed == 1 ? "" : "s")
                + " after the .npy data");
      }
      if (in.read() >= 0) {
        throw new EngramFormatException(
            where + ": holds more than the " + declared + " bytes it declares");
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** A member's bytes, written on demand (twice: for the CRC, then into the archive). */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  static void store(ZipOutputStream zip, String name, Content content) throws IOException {
    // stored members need their size and CRC up front: a first pass computes them without a copy
    CrcCounter counter = new CrcCounter();
    content.writeTo(counter);
    zip.putNextEntry(storedEntry(name, counter.count, counter.crc.getValue()));
    content.writeTo(zip);
    zip.closeEntry();
  }

  private static ZipEntry storedEntry(String name, long size, long crc) {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(size);
    e.setCompressedSize(size);
    e.setCrc(crc);
    // a fixed time makes the same content give the same bytes. Two seconds past 1980: the JDK
    // takes 1980-01-01 00:00:00 for its "before 1980" marker and then adds an extended timestamp
    // in UTC, converted with the machine's time zone (so the bytes differed between zones, and the
    // zone's lookup cost a fresh JVM 6-10 ms)
    e.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0, 2));
    return e;
  }

  private static final class CrcCounter extends OutputStream {
    final CRC32 crc = new CRC32();
    long count;

    @Override
    public void write(int b) {
      crc.update(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      crc.update(b, off, len);
      count += len;
    }
  }
}
