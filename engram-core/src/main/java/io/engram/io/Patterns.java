package io.engram.io;

import io.engram.learning.PatternBlock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns numpy arrays into validated pattern blocks: a 2-D (P x N) array is P patterns, a 1-D array
 * is one pattern. Values of any supported dtype are converted to float32.
 */
public final class Patterns {

  private Patterns() {}

  /**
   * Patterns from one array: 2-D is P x N, 1-D is one pattern.
   *
   * @throws IllegalArgumentException for other ranks, non-finite values or zero-length patterns
   */
  public static PatternBlock fromArray(NdArray array) {
    Objects.requireNonNull(array, "array");
    NdArray a = array;
    checkFloat32Range(a, 0);
    if (a.rank() == 1) {
      return rows(a, 1, a.dim(0));
    }
    if (a.rank() == 2) {
      if (a.dim(0) == 0) {
        return PatternBlock.empty();
      }
      return rows(a, a.dim(0), a.dim(1));
    }
    throw new IllegalArgumentException(
        "patterns must be a 1-D or 2-D array, got shape " + Arrays.toString(a.shape()));
  }

  /**
   * Patterns from a list of arrays, one pattern each (CANNs' list of 1-D patterns).
   *
   * @throws IllegalArgumentException if an array is null ("pattern 2 is null", as {@link
   *     PatternBlock#of(List)} says) or not 1-D ("pattern 2 is not 1-D: shape [3, 4]"), lengths
   *     differ, or values are not finite
   */
  public static PatternBlock fromArrays(List<NdArray> arrays) {
    Objects.requireNonNull(arrays, "arrays");
    List<float[]> rows = new ArrayList<>(arrays.size());
    for (int k = 0; k < arrays.size(); k++) {
      NdArray a = arrays.get(k);
      if (a == null) {
        throw new IllegalArgumentException("pattern " + k + " is null");
      }
      if (a.rank() != 1) {
        throw new IllegalArgumentException(
            "pattern " + k + " is not 1-D: shape " + Arrays.toString(a.shape()));
      }
      checkFloat32Range(a, k);
      rows.add(a.toFloatArray());
    }
    return PatternBlock.of(rows);
  }

  /**
   * The block of {@code p x n} values of {@code a}: float32 values straight from the array's bytes
   * (a float array of them first was one more copy of a large file: some 45 ms per 10 MB in a fresh
   * JVM), others converted.
   */
  private static PatternBlock rows(NdArray a, int p, int n) {
    if (a.dtype() == DType.FLOAT32) {
      return PatternBlock.ofRows(a.floats(), p, n);
    }
    return PatternBlock.ofRows(a.toFloatArray(), p, n);
  }

  /** float64 values beyond the float32 range would silently become infinities: name them. */
  private static void checkFloat32Range(NdArray a, int firstPattern) {
    if (a.dtype() != DType.FLOAT64) {
      return;
    }
    double[] d = a.toDoubleArray();
    int cols = a.rank() == 2 ? a.dim(1) : Math.max(1, a.size());
    for (int i = 0; i < d.length; i++) {
      if (Double.isFinite(d[i]) && Math.abs(d[i]) > Float.MAX_VALUE) {
        throw new IllegalArgumentException(
            "pattern "
                + (firstPattern + i / cols)
                + " has the value "
                + d[i]
                + " at index "
                + (i % cols)
                + ", outside the float32 range (patterns are float32)");
      }
    }
  }

  /**
   * Reads patterns from a {@code .npy} file: of any size up to 2³¹ − 9 values (one whose data is
   * more than one buffer of bytes holds is read with {@link #readFloatRows}).
   */
  public static PatternBlock readNpy(Path file) throws IOException {
    if (beyondOneBuffer(file)) {
      FloatRows r = readFloatRows(file);
      try {
        return PatternBlock.ofRows(r.values(), r.rows(), r.cols());
      } catch (IllegalArgumentException e) {
        throw new EngramFormatException(file + ": " + e.getMessage(), e);
      }
    }
    NdArray a = Npy.read(file);
    try {
      return fromArray(a);
    } catch (IllegalArgumentException e) {
      throw new EngramFormatException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The values of a pattern file as float32 rows: {@code rows x cols}, row-major; the file's shape
   * ({@code 1 x length} for a 1-D file), also when either is 0.
   */
  public record FloatRows(float[] values, int rows, int cols) {

    /** Checks that the values are given. */
    public FloatRows {
      java.util.Objects.requireNonNull(values, "values");
    }

    /** Equal to rows of the same shape and values (compared as {@link Arrays#equals} does). */
    @Override
    public boolean equals(Object o) {
      return o instanceof FloatRows r
          && rows == r.rows
          && cols == r.cols
          && Arrays.equals(values, r.values);
    }

    /** A hash of the shape and the values. */
    @Override
    public int hashCode() {
      return 31 * (31 * rows + cols) + Arrays.hashCode(values);
    }

    /** The shape, not the values (there may be billions) nor an array's identity hash. */
    @Override
    public String toString() {
      return "FloatRows[" + rows + " x " + cols + "]";
    }
  }

  /**
   * Bytes of the file read at a time by {@link #readFloatRows} (a multiple of every dtype's size).
   */
  private static final int PIECE = 1 << 20;

  /**
   * Whether a {@code .npy} file's data, by its header, is more than the one buffer of bytes {@link
   * Npy#read} holds (2³¹ − 9 bytes: more than 536,870,909 float32 values), so that it is read with
   * {@link #readFloatRows} instead.
   *
   * @throws EngramFormatException if the file does not start with a valid {@code .npy} header, or
   *     is a folder, pipe or device
   */
  public static boolean beyondOneBuffer(Path file) throws IOException {
    Npy.checkRegular(file);
    try (InputStream in = Files.newInputStream(file)) {
      NpyHeader h = NpyHeader.read(in, file.toString());
      long count = Npy.elementCount(h.shape);
      return count <= Npy.MAX_ELEMENTS && count * h.dtype.size() > Npy.MAX_DATA_BYTES;
    } catch (NoSuchFileException e) {
      throw Npy.notFound(file);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw ReadInterrupts.named(file, e);
    }
  }

  /**
   * Reads the patterns of a 1-D (one pattern) or 2-D (P x N) {@code .npy} file as float32, a block
   * of the file at a time straight into one array: no buffer of the file's bytes, so the file may
   * hold more than 2 GiB (up to 2³¹ − 9 values: e.g. 8200 x 65536 float32, or float64 values
   * converted). Values are converted as {@link Npy#read} and {@link #fromArray} convert them (a
   * float64 value beyond the float32 range is named with its pattern and index); they are not
   * checked for being finite (a {@link PatternBlock} or a memory checks them). C order only: a
   * Fortran-order 2-D file is refused, saying how to rewrite it.
   *
   * @throws EngramFormatException naming the file and what is wrong with it
   */
  public static FloatRows readFloatRows(Path file) throws IOException {
    Npy.checkRegular(file);
    String name = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      NpyHeader h = NpyHeader.read(Channels.newInputStream(ch), name);
      long dataStart = ch.position();
      long fileSize = ch.size();
      long count = Npy.dataBytes(h, name, fileSize - dataStart) / h.dtype.size();
      if (h.shape.length != 1 && h.shape.length != 2) {
        throw new EngramFormatException(
            name + ": patterns must be a 1-D or 2-D array, got shape " + Arrays.toString(h.shape));
      }
      int rows = h.shape.length == 1 ? 1 : h.shape[0];
      int cols = h.shape[h.shape.length - 1];
      if (h.fortran && h.shape.length == 2 && rows > 1 && cols > 1) {
        throw new EngramFormatException(
            name
                + ": a Fortran-order (column-major) array of more than 2 GiB is not read; save it"
                + " in C order, e.g. np.save(f, np.ascontiguousarray(x))");
      }
      int size = h.dtype.size();
      float[] values = new float[(int) count];
      ByteBuffer piece = ByteBuffer.allocate(PIECE).order(ByteOrder.LITTLE_ENDIAN);
      long at = 0; // elements read
      while (at < count) {
        int k = (int) Math.min(PIECE / size, count - at);
        piece.clear().limit(k * size);
        while (piece.hasRemaining()) {
          if (ch.read(piece) < 0) {
            if (ch.size() < fileSize) {
              throw Npy.shrank(name, fileSize, ch.size());
            }
            throw new EngramFormatException(
                name + ": truncated .npy data (the file ends before its stated size)");
          }
        }
        if (h.bigEndian && size > 1) {
          Npy.swap(piece, size);
        }
        piece.flip();
        NdArray block = new NdArray(h.dtype, new int[] {k}, piece);
        if (h.dtype == DType.FLOAT32) {
          block.floats().get(0, values, (int) at, k);
        } else {
          if (h.dtype == DType.BOOL) {
            for (int i = 0; i < k; i++) {
              byte b = piece.get(i);
              if (b != 0 && b != 1) {
                throw new EngramFormatException(
                    name + ": bool element " + (at + i) + " has byte value " + b);
              }
            }
          }
          float[] f = block.toFloatArray();
          if (h.dtype == DType.FLOAT64) {
            for (int i = 0; i < k; i++) {
              double d = piece.getDouble(i * 8);
              if (Double.isFinite(d) && Math.abs(d) > Float.MAX_VALUE) {
                long e = at + i;
                throw new EngramFormatException(
                    name
                        + ": pattern "
                        + e / cols
                        + " has the value "
                        + d
                        + " at index "
                        + e % cols
                        + ", outside the float32 range (patterns are float32)");
              }
            }
          }
          System.arraycopy(f, 0, values, (int) at, k);
        }
        at += k;
      }
      // the file's own shape, also where it holds no values: a 5 x 0 file was 0 x 0 rows, as
      // though it had no patterns, where readNpy refuses its patterns of length 0
      return new FloatRows(values, rows, cols);
    } catch (NoSuchFileException e) {
      throw Npy.notFound(file);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw ReadInterrupts.named(file, e);
    }
  }
}
