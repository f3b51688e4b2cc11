package io.engram.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The dense pair's fixed costs and nothing else, for issue 9 section 3 (BENCHMARKS.md, "the floor
 * under the dense pair"): {@code write N FILE} is a fresh JVM that writes an N x N float32 array
 * the way a model file is written (a temporary file in the same folder, written in 1 MiB chunks,
 * forced to the disk, renamed over FILE), and {@code read FILE} a fresh JVM that reads it back into
 * a float array and checks every value is finite, as a recall does before its first step. No
 * arithmetic, no command line, no Vector API module: two JVMs with a model file between them at the
 * least they can cost. whole_process.py {@code --floor} times the two in the same rounds as numpy's
 * one script.
 */
public final class FloorPair {
  private FloorPair() {}

  public static void main(String[] a) throws IOException {
    if (a.length == 3 && a[0].equals("write")) {
      write(Integer.parseInt(a[1]), Path.of(a[2]));
    } else if (a.length == 2 && a[0].equals("read")) {
      float[] w = read(Path.of(a[1]));
      // (printed, so that the read and the check cannot be left out as dead code)
      System.out.println(w.length);
    } else {
      throw new IllegalArgumentException("usage: FloorPair write N FILE | FloorPair read FILE");
    }
  }

  static void write(int n, Path file) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    long bytes = (long) n * n * Float.BYTES;
    ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long left = bytes;
      int k = 0;
      while (left > 0) {
        chunk.clear();
        int m = (int) Math.min(chunk.capacity(), left);
        // values as a weight matrix has: small multiples of 1/400, none zero everywhere
        for (int i = 0; i < m; i += Float.BYTES) {
          chunk.putFloat(i, ((k++ % 801) - 400) / 400f);
        }
        chunk.limit(m);
        while (chunk.hasRemaining()) {
          ch.write(chunk);
        }
        left -= m;
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static float[] read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size % Float.BYTES != 0 || size / Float.BYTES > Integer.MAX_VALUE) {
        throw new IOException(file + ": not an array of floats");
      }
      float[] w = new float[(int) (size / Float.BYTES)];
      ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      int at = 0;
      while (at < w.length) {
        chunk.clear();
        int m = (int) Math.min(chunk.capacity(), (long) (w.length - at) * Float.BYTES);
        chunk.limit(m);
        while (chunk.hasRemaining()) {
          if (ch.read(chunk) < 0) {
            throw new IOException(file + ": ends early");
          }
        }
        chunk.flip();
        chunk.asFloatBuffer().get(w, at, m / Float.BYTES);
        at += m / Float.BYTES;
      }
      for (float v : w) {
        if (!Float.isFinite(v)) {
          throw new IOException(file + ": a value is not finite");
        }
      }
      return w;
    }
  }
}
