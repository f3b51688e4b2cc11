package io.engram.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The transpose of a row-major {@code rows x cols} matrix ({@code cols x rows}, row-major), made
 * once it has been asked for {@code at} times (null before), for a caller whose reads of the matrix
 * column by column repeat: a copy costs as much memory again and some products' time, which a
 * single read does not pay back. It holds the matrix it was made for ({@link #isOf}); a caller
 * drops it when the matrix changes. Thread-safe: made at most once.
 */
public final class TransposedCopy implements Supplier<float[]> {
  private final float[] a;
  private final int rows;
  private final int cols;
  private final int at;
  private final AtomicInteger asks = new AtomicInteger();
  private volatile float[] copy;

  /**
   * @param a the matrix, {@code rows x cols} row-major (not copied, not modified: the caller keeps
   *     it unchanged while this is in use)
   * @param at the ask at which the copy is made (1: the first)
   */
  public TransposedCopy(float[] a, int rows, int cols, int at) {
    this.a = a;
    this.rows = rows;
    this.cols = cols;
    this.at = at;
  }

  /** Whether this is the transpose of the first {@code rows} rows held in {@code a}. */
  public boolean isOf(float[] a, int rows) {
    return this.a == a && this.rows == rows;
  }

  /** The transpose, made at the {@code at}th ask; null before. */
  @Override
  public float[] get() {
    float[] t = copy;
    if (t != null || asks.incrementAndGet() < at) {
      return t;
    }
    synchronized (this) {
      if (copy == null) {
        float[] c = new float[rows * cols];
        Kernels.transpose(a, rows, cols, c);
        copy = c;
      }
      return copy;
    }
  }

  /** Whether the transpose has been made. */
  public boolean made() {
    return copy != null;
  }
}
