package io.engram.weights;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The smallest and largest entry of low-rank weights' dense matrix ({@link
 * LowRankWeights#toDenseArray()}), the same floats, without forming it, where every stored call's
 * centred patterns take at most two values (±1 patterns centred by one scalar: the default
 * training). Forming W costs {@code N² P / 2} multiply-adds; here a pair's products are counted
 * from bits instead ({@code N² P / 128} AND-and-count steps), and only the few entries that can be
 * the extremes are computed as the dense replay computes them.
 *
 * <p>How. Per call b, with values {@code hi} and {@code lo} and {@code s_i} the bits of column i
 * that hold {@code hi}, {@code Σ_q t_qi t_qj = A·hh + (c_i + c_j - 2A)·hl + (P - c_i - c_j + A)·ll}
 * exactly ({@code A = popcount(s_i & s_j)}, {@code c_i = popcount(s_i)}, {@code hh = hi·hi}, ...).
 * The float32 entry the replay makes (a chain of fused multiply-adds in pattern order, divided by
 * ±divisor, the calls added in turn) differs from that exact value by at most E, a bound on the
 * rounding of those steps. So the largest entry lies among the pairs whose exact value is within 2E
 * of the largest exact value (and the smallest alike); those are computed as the replay does. The
 * diagonal is replayed entry by entry (N P). Stateless.
 */
final class LowRankRange {

  private LowRankRange() {}

  /** Candidates kept before giving up (the caller then forms W): 8 MiB of pairs. */
  static final int MAX_CANDIDATES = 1 << 20;

  /**
   * {@code {min, max}} of the dense matrix's entries, or null where a call's patterns take more
   * than two values, or where too many entries lie close to an extreme (the caller forms W then).
   */
  static float[] of(int n, List<LowRankBlock> blocks, float[] base, BitSet zeroAfter) {
    int nb = blocks.size();
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    // the diagonal, as the replay makes it: base, each call added, zeroed where it was
    for (int i = 0; i < n; i++) {
      float v = base[i];
      for (int k = 0; k < nb; k++) {
        v = zeroAfter.get(k) ? 0f : v + term(blocks.get(k), n, i, i);
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (n == 1) {
      return new float[] {min, max};
    }
    if (nb == 0) {
      // every entry off the diagonal is +0
      return new float[] {Math.min(min, 0f), Math.max(max, 0f)};
    }
    int[] words = new int[nb];
    long[][] bits = new long[nb][];
    double[] k1 = new double[nb];
    double[] rowTerm = new double[n];
    double slack = 0;
    long rounded = 0;
    for (int k = 0; k < nb; k++) {
      LowRankBlock b = blocks.get(k);
      float hi = Float.NaN;
      float lo = Float.NaN;
      for (float v : b.t) {
        if (v == hi || v == lo) {
          continue;
        }
        if (hi != hi) {
          hi = v;
        } else if (lo != lo) {
          lo = v;
        } else {
          return null; // a third value
        }
      }
      if (hi != hi) {
        hi = 0f; // no patterns (p = 0)
      }
      if (lo != lo) {
        lo = hi;
      }
      int w = (b.p + 63) >>> 6;
      long[] s = new long[n * w];
      int[] count = new int[n];
      for (int q = 0; q < b.p; q++) {
        long bit = 1L << (q & 63);
        int word = q >>> 6;
        for (int i = 0, o = q * n; i < n; i++) {
          if (b.t[o + i] == hi) {
            s[i * w + word] |= bit;
            count[i]++;
          }
        }
      }
      double d = b.negate ? -(double) b.divisor : b.divisor;
      double hh = (double) hi * hi; // exact: a float product fits a double
      double hl = (double) hi * lo;
      double ll = (double) lo * lo;
      k1[k] = (hh - 2 * hl + ll) / d;
      for (int i = 0; i < n; i++) {
        rowTerm[i] += (count[i] * (hl - ll) + 0.5 * b.p * ll) / d;
      }
      words[k] = w;
      bits[k] = s;
      double m = Math.max(Math.abs((double) hi), Math.abs((double) lo));
      double mag = b.p * m * m / b.divisor; // no entry of this call's term exceeds it
      // the float32 chain of P fused multiply-adds, the division and the additions of the nb calls
      // each round by at most 2^-24 of a magnitude below mag: (P + 1 + nb) 2^-24 mag; counted four
      // times over, plus this double arithmetic's own rounding
      slack += Math.scalb((b.p + nb + 2) * mag, -22) + Math.scalb(mag, -40);
      rounded += b.p + 2L;
    }
    // and where the sums are subnormal, an absolute error of half the least float per rounding
    slack += (rounded + nb) * (double) Float.MIN_VALUE;
    double window = 2 * slack;
    // one pass over the pairs: those within the window of the running extremes are kept
    Candidates high = new Candidates(true);
    Candidates low = new Candidates(false);
    double[] approx = new double[n];
    for (int i = 0; i < n - 1; i++) {
      Arrays.fill(approx, i + 1, n, 0);
      for (int k = 0; k < nb; k++) {
        long[] s = bits[k];
        int w = words[k];
        double c = k1[k];
        int oi = i * w;
        if (w == 7) {
          // the default P = 400 (and any of 385..448), unrolled
          long s0 = s[oi], s1 = s[oi + 1], s2 = s[oi + 2], s3 = s[oi + 3];
          long s4 = s[oi + 4], s5 = s[oi + 5], s6 = s[oi + 6];
          for (int j = i + 1, oj = j * 7; j < n; j++, oj += 7) {
            int a =
                Long.bitCount(s0 & s[oj])
                    + Long.bitCount(s1 & s[oj + 1])
                    + Long.bitCount(s2 & s[oj + 2])
                    + Long.bitCount(s3 & s[oj + 3])
                    + Long.bitCount(s4 & s[oj + 4])
                    + Long.bitCount(s5 & s[oj + 5])
                    + Long.bitCount(s6 & s[oj + 6]);
            approx[j] += a * c;
          }
        } else {
          for (int j = i + 1, oj = j * w; j < n; j++, oj += w) {
            int a = 0;
            for (int x = 0; x < w; x++) {
              a += Long.bitCount(s[oi + x] & s[oj + x]);
            }
            approx[j] += a * c;
          }
        }
      }
      double ri = rowTerm[i];
      for (int j = i + 1; j < n; j++) {
        double a = approx[j] + ri + rowTerm[j];
        if (a >= high.extreme - window && !high.add(i, j, a, window)) {
          return null;
        }
        if (a <= low.extreme + window && !low.add(i, j, a, window)) {
          return null;
        }
      }
    }
    // the candidates, computed as the replay computes them
    for (int c = 0; c < high.count; c++) {
      max = Math.max(max, entry(blocks, n, high.pairs[c]));
    }
    for (int c = 0; c < low.count; c++) {
      min = Math.min(min, entry(blocks, n, low.pairs[c]));
    }
    return new float[] {min, max};
  }

  /**
   * The pairs whose approximate value lay within the window of the running extreme (largest for
   * {@code high}, else smallest) when they were met; compacted against the final extreme's window
   * as the list fills.
   */
  private static final class Candidates {
    final boolean high;
    double extreme;
    long[] pairs = new long[256];
    double[] values = new double[256];
    int count;

    Candidates(boolean high) {
      this.high = high;
      this.extreme = high ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Adds pair (i, j) of approximate value a; false when there are too many to keep. */
    boolean add(int i, int j, double a, double window) {
      extreme = high ? Math.max(extreme, a) : Math.min(extreme, a);
      if (count == pairs.length) {
        int kept = 0;
        for (int c = 0; c < count; c++) {
          if (high ? values[c] >= extreme - window : values[c] <= extreme + window) {
            pairs[kept] = pairs[c];
            values[kept++] = values[c];
          }
        }
        count = kept;
        if (count > pairs.length / 2) {
          if (pairs.length >= MAX_CANDIDATES) {
            return false;
          }
          pairs = Arrays.copyOf(pairs, 2 * pairs.length);
          values = Arrays.copyOf(values, pairs.length);
        }
      }
      pairs[count] = ((long) i << 32) | j;
      values[count++] = a;
      return true;
    }
  }

  /** The replay's float32 entry (i, j), i != j: +0, each call's term added in turn. */
  private static float entry(List<LowRankBlock> blocks, int n, long pair) {
    int i = (int) (pair >>> 32);
    int j = (int) pair;
    float v = 0f;
    for (LowRankBlock b : blocks) {
      v = v + term(b, n, i, j);
    }
    return v;
  }

  /**
   * One call's term of entry (i, j) as the kernels make it: {@code acc = Σ_q t_qi t_qj} as a chain
   * of fused multiply-adds in pattern order from +0, then {@code acc / ±divisor} (one IEEE
   * division; none for divisor 1 unless negated).
   */
  private static float term(LowRankBlock b, int n, int i, int j) {
    float acc = 0f;
    for (int q = 0, o = 0; q < b.p; q++, o += n) {
      acc = Math.fma(b.t[o + i], b.t[o + j], acc);
    }
    if (b.divisor != 1f || b.negate) {
      acc = acc / (b.negate ? -b.divisor : b.divisor);
    }
    return acc;
  }
}
