package io.engram.kernels;

/**
 * Stored patterns whose every value is +1 or -1, packed one bit per value (set for -1; rows of
 * {@code ⌈n/64⌉} longs, the bits past n clear): the scores of ±1 queries against them are then
 * {@code n - 2 h}, h the number of values in which a query and a pattern differ, a count of set
 * bits of their exclusive or. A float32 fused multiply-add chain of ±1 products reaches exactly the
 * same value (every partial sum is an integer of at most n in magnitude, exact in float32 for
 * {@code n <= 2^24}, and a zero sum is +0), so a score counted here has the bits of one multiplied
 * out: the retrieval kernels take them for a block of patterns against a group of ±1 queries, 64
 * values per instruction where the tiles multiply 16 per lane-wide fused multiply-add.
 *
 * <p>Made from X by {@link #of}, which gives null for X with another value anywhere. It holds the X
 * it was made for ({@link #isOf}); a caller drops it when X changes. Immutable.
 */
public final class BinaryRows {

  /** The longest patterns whose ±1 scores are exact in float32: {@code 2^24}. */
  public static final int MAX_N = 1 << 24;

  /** The fewest patterns whose blocks the kernels score in tiles, and so by counted bits: 8. */
  public static final int MIN_ROWS = KernelProvider.MR;

  /** Blocks of scores counted from bits, in this JVM (for tests). */
  static final java.util.concurrent.atomic.AtomicLong COUNTED =
      new java.util.concurrent.atomic.AtomicLong();

  private static final int ONE = Float.floatToRawIntBits(1f);

  private final float[] x;
  private final int p;
  private final int n;
  private final int words;
  private final long[] bits;

  private BinaryRows(float[] x, int p, int n, long[] bits) {
    this.x = x;
    this.p = p;
    this.n = n;
    this.words = words(n);
    this.bits = bits;
  }

  /** Longs per packed row of n values. */
  static int words(int n) {
    return (n + 63) >>> 6;
  }

  /**
   * The first p rows of X (p x n, row-major) packed, or null if a value is not exactly +1 or -1 (or
   * n is beyond {@link #MAX_N}, or the bits would not fit one array).
   */
  public static BinaryRows of(float[] x, int p, int n) {
    if (n < 1 || n > MAX_N || p < 0 || (long) p * words(n) > Integer.MAX_VALUE - 8) {
      return null;
    }
    long[] bits = pack(x, 0, p, n);
    return bits == null ? null : new BinaryRows(x, p, n, bits);
  }

  /** Whether these are the bits of the first {@code p} rows held in {@code x}. */
  public boolean isOf(float[] x, int p) {
    return this.x == x && this.p == p;
  }

  /** Whether these are the bits of (at least) the first {@code p} rows of n values in {@code x}. */
  boolean fits(float[] x, int p, int n) {
    return this.x == x && this.p >= p && this.n == n;
  }

  /** The number of rows, P. */
  public int rows() {
    return p;
  }

  /**
   * Rows {@code first .. first+rows-1} of {@code v} (n values each, row-major) packed, or null at
   * the first value that is not exactly +1 or -1.
   */
  static long[] pack(float[] v, int first, int rows, int n) {
    int words = words(n);
    long[] out = new long[rows * words];
    for (int r = 0; r < rows; r++) {
      int src = (first + r) * n;
      int dst = r * words;
      for (int w = 0; w < words; w++) {
        int i0 = w << 6;
        int m = Math.min(64, n - i0);
        long word = 0;
        for (int i = 0; i < m; i++) {
          int b = Float.floatToRawIntBits(v[src + i0 + i]);
          if ((b & 0x7fffffff) != ONE) {
            return null;
          }
          word |= (long) (b >>> 31) << i;
        }
        out[dst + w] = word;
      }
    }
    return out;
  }

  /**
   * The block of scores {@code sc[r*ld + q] = X[b0 + r] · Q[q]} for {@code r < pb}, {@code q < g},
   * of the packed queries {@code qBits} ({@link #pack} of g queries of the same n).
   */
  void scores(long[] qBits, int g, int b0, int pb, float[] sc, int ld) {
    COUNTED.incrementAndGet();
    if (words == 4) {
      scores4(qBits, g, b0, pb, sc, ld);
      return;
    }
    for (int r = 0; r < pb; r++) {
      int xo = (b0 + r) * words;
      int so = r * ld;
      for (int q = 0, qo = 0; q < g; q++, qo += words) {
        int h = 0;
        for (int w = 0; w < words; w++) {
          h += Long.bitCount(bits[xo + w] ^ qBits[qo + w]);
        }
        sc[so + q] = n - 2 * h;
      }
    }
  }

  /** {@link #scores} for patterns of 193 to 256 values (four longs a row), the loop unrolled. */
  private void scores4(long[] qBits, int g, int b0, int pb, float[] sc, int ld) {
    for (int r = 0; r < pb; r++) {
      int xo = (b0 + r) * 4;
      long x0 = bits[xo];
      long x1 = bits[xo + 1];
      long x2 = bits[xo + 2];
      long x3 = bits[xo + 3];
      int so = r * ld;
      for (int q = 0, qo = 0; q < g; q++, qo += 4) {
        int h =
            Long.bitCount(x0 ^ qBits[qo])
                + Long.bitCount(x1 ^ qBits[qo + 1])
                + Long.bitCount(x2 ^ qBits[qo + 2])
                + Long.bitCount(x3 ^ qBits[qo + 3]);
        sc[so + q] = n - 2 * h;
      }
    }
  }
}
