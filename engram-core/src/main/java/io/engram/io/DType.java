package io.engram.io;

/**
 * The numpy element types Engram reads; it writes {@link #FLOAT32}, {@link #FLOAT64} and {@link
 * #INT32}.
 */
public enum DType {
  BOOL('b', 1),
  INT8('i', 1),
  UINT8('u', 1),
  INT16('i', 2),
  UINT16('u', 2),
  INT32('i', 4),
  UINT32('u', 4),
  INT64('i', 8),
  UINT64('u', 8),
  /** IEEE 754 half precision (numpy {@code float16}): read, converted exactly to float32. */
  FLOAT16('f', 2),
  FLOAT32('f', 4),
  FLOAT64('f', 8);

  private final char kind;
  private final int size;

  DType(char kind, int size) {
    this.kind = kind;
    this.size = size;
  }

  /** Bytes per element. */
  public int size() {
    return size;
  }

  /** numpy's kind character: b, i, u or f. */
  public char kind() {
    return kind;
  }

  /** The numpy type string without byte order, e.g. {@code f4}. */
  public String code() {
    return "" + kind + size;
  }

  /** The dtype for a kind and size, or null. */
  static DType of(char kind, int size) {
    for (DType d : values()) {
      if (d.kind == kind && d.size == size) {
        return d;
      }
    }
    return null;
  }
}
