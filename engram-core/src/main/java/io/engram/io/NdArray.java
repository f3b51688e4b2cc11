package io.engram.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as read from a {@code .npy} file: a dtype, a shape and the elements in C
 * (row-major) order. Conversions to Java arrays check that every value fits the target type.
 *
 * <p>Immutable; thread-safe.
 */
public final class NdArray {

  private final DType dtype;
  private final int[] shape;
  private final ByteBuffer data; // little-endian, C order, read-only

  NdArray(DType dtype, int[] shape, ByteBuffer data) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * A float32 array of the given shape (data copied).
   *
   * @throws IllegalArgumentException if the values do not fill the shape, a dimension is negative,
   *     the shape has more than 32 dimensions (what a {@code .npy} file holds), or the bytes are
   *     more than one buffer holds
   */
  public static NdArray ofFloats(float[] values, int... shape) {
    Objects.requireNonNull(values, "values");
    checkShape(values.length, shape, DType.FLOAT32);
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new NdArray(DType.FLOAT32, shape, b);
  }

  /** A float64 array of the given shape (data copied); refused as {@link #ofFloats} says. */
  public static NdArray ofDoubles(double[] values, int... shape) {
    Objects.requireNonNull(values, "values");
    checkShape(values.length, shape, DType.FLOAT64);
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(values);
    return new NdArray(DType.FLOAT64, shape, b);
  }

  /** An int32 array of the given shape (data copied); refused as {@link #ofFloats} says. */
  public static NdArray ofInts(int[] values, int... shape) {
    Objects.requireNonNull(values, "values");
    checkShape(values.length, shape, DType.INT32);
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values);
    return new NdArray(DType.INT32, shape, b);
  }

  /**
   * Checks that the shape has at most {@value NpyHeader#MAX_DIMENSIONS} dimensions (numpy's limit,
   * and the reader's), that the values fill the shape and that their bytes fit the one buffer an
   * array holds them in: more than {@link Npy#MAX_ELEMENTS} bytes (e.g. 8200 x 65536 float32
   * values, 2.0 GiB) are refused by name, where {@code 4 * length} would overflow an int; such a
   * matrix is written by streaming it ({@link Npy#writeFloatRows}).
   */
  private static void checkShape(int length, int[] shape, DType dtype) {
    Objects.requireNonNull(shape, "shape");
    if (shape.length > NpyHeader.MAX_DIMENSIONS) {
      // (was taken, and written to a .npy file that Npy.read refused: "more than 32 dimensions")
      throw new IllegalArgumentException(
          "a shape of "
              + shape.length
              + " dimensions is more than the "
              + NpyHeader.MAX_DIMENSIONS
              + " a .npy file holds");
    }
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    // (a product that does not overflow: 2^16 four times is not 0 elements)
    long n = Npy.elementCount(shape);
    if (n != length) {
      throw new IllegalArgumentException(
          length + " values do not fill shape " + Arrays.toString(shape));
    }
    long bytes = (long) dtype.size() * length;
    if (bytes > Npy.MAX_ELEMENTS) {
      throw new IllegalArgumentException(
          "an array of shape "
              + Arrays.toString(shape)
              + " of "
              + dtype.code()
              + " ("
              + bytes
              + " bytes) is more than one array's buffer can hold (at most "
              + Npy.MAX_ELEMENTS
              + " bytes)");
    }
  }

  public DType dtype() {
    return dtype;
  }

  /** The shape, a copy. */
  public int[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /**
   * Dimension i.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= i < rank()}, naming the rank and shape
   */
  public int dim(int i) {
    if (i < 0 || i >= shape.length) {
      throw new IndexOutOfBoundsException(
          "dimension "
              + i
              + " of an array of "
              + shape.length
              + (shape.length == 1 ? " dimension" : " dimensions")
              + " (shape "
              + Arrays.toString(shape)
              + ")");
    }
    return shape[i];
  }

  /** The number of elements. */
  public int size() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return (int) n;
  }

  /**
   * The values of a float32 array, C order, as a read-only buffer over its bytes (no copy): for
   * handing a large array on, e.g. to {@code ModernHopfieldMemory.storeRows}.
   *
   * @throws IllegalStateException if the array is not float32
   */
  public java.nio.FloatBuffer floats() {
    if (dtype != DType.FLOAT32) {
      throw new IllegalStateException("a " + dtype.code() + " array, not float32");
    }
    return buffer().asFloatBuffer().asReadOnlyBuffer();
  }

  /** Raw element bytes, little-endian, C order (read-only view). */
  ByteBuffer buffer() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  private double valueAt(int i) {
    int off = i * dtype.size();
    switch (dtype) {
      case BOOL:
        return data.get(off) != 0 ? 1 : 0;
      case INT8:
        return data.get(off);
      case UINT8:
        return data.get(off) & 0xFF;
      case INT16:
        return data.getShort(off);
      case UINT16:
        return data.getShort(off) & 0xFFFF;
      case INT32:
        return data.getInt(off);
      case UINT32:
        return data.getInt(off) & 0xFFFFFFFFL;
      case INT64:
        return data.getLong(off);
      case UINT64:
        long v = data.getLong(off);
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
      case FLOAT16:
        return halfToFloat(data.getShort(off));
      case FLOAT32:
        return data.getFloat(off);
      case FLOAT64:
        return data.getDouble(off);
      default:
        throw new AssertionError(dtype);
    }
  }

  /**
   * The float32 value of IEEE 754 binary16 bits (numpy's float16), exactly: every half value is a
   * float32 value (subnormals, infinities and NaN included).
   */
  static float halfToFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      // infinity, or NaN with its payload kept in the high mantissa bits
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent != 0) {
      return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
    // zero or subnormal: mantissa x 2^-24, exact in float32
    float magnitude = mantissa * 0x1p-24f;
    return sign == 0 ? magnitude : -magnitude;
  }

  /**
   * All elements as float32 (C order), as numpy's {@code astype(float32)}: integers and float64
   * values are rounded to the nearest float32. Non-finite values are kept (callers validate).
   */
  public float[] toFloatArray() {
    int n = size();
    float[] r = new float[n];
    if (dtype == DType.FLOAT32) {
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
      return r;
    }
    for (int i = 0; i < n; i++) {
      r[i] = (float) valueAt(i);
    }
    return r;
  }

  /** All elements as float64 (C order). */
  public double[] toDoubleArray() {
    int n = size();
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = valueAt(i);
    }
    return r;
  }

  /**
   * All elements as int (C order).
   *
   * @throws IllegalArgumentException if a value is not an integer in int range
   */
  public int[] toIntArray() {
    int n = size();
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      double v = valueAt(i);
      if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("element " + i + " is " + v + ", not an int");
      }
      r[i] = (int) v;
    }
    return r;
  }

  /**
   * Rows of a 2-D array as float32 (a 1-D array is one row).
   *
   * @throws IllegalArgumentException for other ranks
   */
  public float[][] toFloatRows() {
    float[] flat = toFloatArray();
    int rows;
    int cols;
    if (rank() == 1) {
      rows = 1;
      cols = shape[0];
    } else if (rank() == 2) {
      rows = shape[0];
      cols = shape[1];
    } else {
      throw new IllegalArgumentException(
          "expected a 1-D or 2-D array, got shape " + Arrays.toString(shape));
    }
    float[][] r = new float[rows][];
    for (int i = 0; i < rows; i++) {
      r[i] = Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
    }
    return r;
  }

  @Override
  public String toString() {
    return "NdArray[" + dtype.code() + " " + Arrays.toString(shape) + "]";
  }
}
