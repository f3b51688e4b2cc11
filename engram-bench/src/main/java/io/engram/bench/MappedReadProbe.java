package io.engram.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a dense model's W costs to get at in a fresh JVM, read into a new heap array (as the model
 * reader does today) or mapped from the file (a design not built): one process per measurement, run
 * by {@code engram-bench/mapped_read.sh}, which alternates the two. Each process times, from its
 * start: the array's allocation (the JVM zeroes it; on a virtual machine every first-touched page
 * may fault to the host), the file read into it, and one pass over W (the finite scan any reader
 * needs, and what a recall step reads); or the mapping and the same pass over the mapped bytes,
 * whose pages come from the page cache. The pass is warmed up first on a small array or buffer, so
 * that it runs compiled in both.
 *
 * <p>The model must be one that {@code engram train --weights dense} wrote: a stored (not deflated)
 * {@code W.npy} as the archive's first member, float32, little-endian, C order (checked).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.engram.bench.MappedReadProbe heap|map MODEL.npz};
 * prints one line: {@code heap|map total_ms setup_ms pass_ms checksum}.
 */
public final class MappedReadProbe {

  private MappedReadProbe() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !(args[0].equals("heap") || args[0].equals("map"))) {
      System.err.println("usage: MappedReadProbe heap|map MODEL.npz");
      System.exit(2);
    }
    boolean heap = args[0].equals("heap");
    // the pass compiled before the clock starts, in both modes
    float[] small = new float[1 << 12];
    ByteBuffer smallBuf = ByteBuffer.allocateDirect(4 << 12).order(ByteOrder.LITTLE_ENDIAN);
    double warm = 0;
    for (int i = 0; i < 20_000; i++) {
      warm += heap ? sum(small, small.length) : sum(smallBuf.asFloatBuffer(), small.length);
    }
    long t0 = System.nanoTime();
    try (FileChannel ch = FileChannel.open(Path.of(args[1]), StandardOpenOption.READ)) {
      Layout w = layout(ch);
      long t1;
      double total;
      if (heap) {
        float[] a = new float[w.n * w.n];
        ByteBuffer b = ByteBuffer.allocate(1 << 18).order(ByteOrder.LITTLE_ENDIAN);
        long at = w.offset;
        int filled = 0;
        while (filled < a.length) {
          b.clear();
          b.limit((int) Math.min(b.capacity(), 4L * (a.length - filled)));
          while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
              throw new IOException(args[1] + ": truncated");
            }
          }
          at += b.limit();
          b.flip();
          FloatBuffer f = b.asFloatBuffer();
          int k = f.remaining();
          f.get(a, filled, k);
          filled += k;
        }
        t1 = System.nanoTime();
        total = sum(a, a.length);
      } else {
        FloatBuffer f =
            ch.map(FileChannel.MapMode.READ_ONLY, w.offset, 4L * w.n * w.n)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        t1 = System.nanoTime();
        total = sum(f, w.n * w.n);
      }
      long t2 = System.nanoTime();
      System.out.printf(
          java.util.Locale.ROOT,
          "%s %.1f %.1f %.1f %.6g%n",
          args[0],
          (t2 - t0) / 1e6,
          (t1 - t0) / 1e6,
          (t2 - t1) / 1e6,
          total + (warm == 12345 ? 1 : 0));
    }
  }

  /** N and the file offset of W's values. */
  private record Layout(int n, long offset) {}

  /** The first member's local header, then its .npy header: stored, float32 LE, C order, N x N. */
  private static Layout layout(FileChannel ch) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    ch.read(h, 0);
    if (h.getInt(0) != 0x04034b50 || h.getShort(8) != 0) {
      throw new IOException("not a stored zip member at the start of the file");
    }
    long npy = 30L + (h.getShort(26) & 0xffff) + (h.getShort(28) & 0xffff);
    ByteBuffer p = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    ch.read(p, npy);
    int headerLen = p.get(6) == 1 ? (p.getShort(8) & 0xffff) : p.getInt(8);
    int prefix = p.get(6) == 1 ? 10 : 12;
    ByteBuffer d = ByteBuffer.allocate(headerLen);
    ch.read(d, npy + prefix);
    String dict = new String(d.array(), java.nio.charset.StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(dict);
    if (!dict.contains("'descr': '<f4'")
        || !dict.contains("'fortran_order': False")
        || !m.find()
        || !m.group(1).equals(m.group(2))) {
      throw new IOException("W.npy is not a square float32 little-endian C-order array: " + dict);
    }
    return new Layout(Integer.parseInt(m.group(1)), npy + prefix + headerLen);
  }

  private static double sum(float[] a, int len) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += a[i];
    }
    return s;
  }

  private static double sum(FloatBuffer f, int len) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += f.get(i);
    }
    return s;
  }
}
