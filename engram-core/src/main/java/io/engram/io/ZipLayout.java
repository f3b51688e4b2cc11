package io.engram.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Where a stored member's bytes start in a zip archive, which {@link java.util.zip.ZipFile} does
 * not say: the end-of-central-directory record (Zip64 where the archive needs it), the member's
 * central directory entry, then its local header. For reading a member's data in place ({@link
 * NpzFile#floatRowsInPlace}); anything unexpected gives -1, and the caller reads the member as a
 * stream instead (whose checks then name any problem). Only the first entry of a name is looked
 * for: {@link NpzFile#open} refuses archives with duplicate names.
 */
final class ZipLayout {

  private static final int EOCD = 0x06054b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int ZIP64_EOCD = 0x06064b50;
  private static final int CENTRAL = 0x02014b50;
  private static final int LOCAL = 0x04034b50;
  private static final long U32 = 0xFFFFFFFFL;

  /** The largest central directory read (4096 members with long names and fields fit). */
  private static final long MAX_CENTRAL_BYTES = 64L << 20;

  private ZipLayout() {}

  /**
   * The file offset of the data of member {@code name}, stored (not compressed) with {@code size}
   * bytes, or -1 when it cannot be found as such (also when its data would run past the end).
   */
  static long storedData(FileChannel ch, String name, long size) throws IOException {
    long fileSize = ch.size();
    int tailLen = (int) Math.min(fileSize, 22 + 65535);
    ByteBuffer tail = read(ch, fileSize - tailLen, tailLen);
    if (tail == null) {
      return -1;
    }
    int eocd = -1;
    for (int i = tailLen - 22; i >= 0; i--) {
      if (tail.getInt(i) == EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      return -1;
    }
    long entries = tail.getShort(eocd + 10) & 0xFFFF;
    long cdSize = tail.getInt(eocd + 12) & U32;
    long cdOffset = tail.getInt(eocd + 16) & U32;
    if (entries == 0xFFFF || cdSize == U32 || cdOffset == U32) {
      long locatorAt = fileSize - tailLen + eocd - 20;
      ByteBuffer loc = read(ch, locatorAt, 20);
      if (loc == null || loc.getInt(0) != ZIP64_LOCATOR) {
        return -1;
      }
      ByteBuffer z = read(ch, loc.getLong(8), 56);
      if (z == null || z.getInt(0) != ZIP64_EOCD) {
        return -1;
      }
      entries = z.getLong(32);
      cdSize = z.getLong(40);
      cdOffset = z.getLong(48);
    }
    if (cdSize < 0 || cdSize > MAX_CENTRAL_BYTES || cdOffset < 0 || entries < 0) {
      return -1;
    }
    ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
    if (cd == null) {
      return -1;
    }
    byte[] want = name.getBytes(StandardCharsets.UTF_8);
    int at = 0;
    for (long e = 0; e < entries; e++) {
      if (at + 46 > cd.limit() || cd.getInt(at) != CENTRAL) {
        return -1;
      }
      int method = cd.getShort(at + 10) & 0xFFFF;
      long compressed = cd.getInt(at + 20) & U32;
      long uncompressed = cd.getInt(at + 24) & U32;
      int nameLen = cd.getShort(at + 28) & 0xFFFF;
      int extraLen = cd.getShort(at + 30) & 0xFFFF;
      int commentLen = cd.getShort(at + 32) & 0xFFFF;
      long local = cd.getInt(at + 42) & U32;
      int next = at + 46 + nameLen + extraLen + commentLen;
      if (next > cd.limit()) {
        return -1;
      }
      if (nameLen == want.length && sameBytes(cd, at + 46, want)) {
        if (method != 0) {
          return -1;
        }
        // Zip64 extra field: the values that are 0xFFFFFFFF above, in this order
        for (int x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen; ) {
          int id = cd.getShort(x) & 0xFFFF;
          int len = cd.getShort(x + 2) & 0xFFFF;
          if (id == 0x0001) {
            int v = x + 4;
            int end = v + len;
            if (uncompressed == U32 && v + 8 <= end) {
              uncompressed = cd.getLong(v);
              v += 8;
            }
            if (compressed == U32 && v + 8 <= end) {
              compressed = cd.getLong(v);
              v += 8;
            }
            if (local == U32 && v + 8 <= end) {
              local = cd.getLong(v);
            }
          }
          x += 4 + len;
        }
        if (compressed != size || uncompressed != size || local < 0) {
          return -1;
        }
        ByteBuffer lh = read(ch, local, 30);
        if (lh == null || lh.getInt(0) != LOCAL || (lh.getShort(8) & 0xFFFF) != 0) {
          return -1;
        }
        int localName = lh.getShort(26) & 0xFFFF;
        int localExtra = lh.getShort(28) & 0xFFFF;
        ByteBuffer ln = read(ch, local + 30, localName);
        if (localName != want.length || ln == null || !sameBytes(ln, 0, want)) {
          return -1;
        }
        long data = local + 30 + localName + localExtra;
        return data + size <= fileSize ? data : -1;
      }
      at = next;
    }
    return -1;
  }

  private static boolean sameBytes(ByteBuffer b, int at, byte[] want) {
    for (int i = 0; i < want.length; i++) {
      if (b.get(at + i) != want[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code len} bytes at {@code pos} (little-endian), or null when the file has fewer. */
  private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
    if (pos < 0 || len < 0 || pos + len > ch.size()) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    return readFully(ch, b, pos) ? b.flip() : null;
  }

  /**
   * Fills {@code b} from its position to its limit with the file's bytes from {@code pos + }its
   * position (positional reads: the channel's own position is not used); false when the file ends
   * first (b then holds what was read).
   */
  static boolean readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        return false;
      }
    }
    return true;
  }
}
