package io.engram.learning;

import java.io.Serializable;
import java.util.Objects;

/**
 * Statistics of a pattern set gathered in parts and combined: the number of patterns P, their
 * length N, and the sum, minimum and maximum of all values. Parts may be gathered on different
 * threads or machines (a Spark partition each) and merged with {@link #combine}; the result does
 * not depend on how the set was split, except for the float64 rounding of the sum (exact for the
 * integer-valued patterns of practice).
 *
 * <p>What the rules read from it: {@link #mean()} (the Hebbian {@code rho}) and {@link
 * #maxAbsDeviation} (the overflow guard). Mutable and not thread-safe: one instance per part.
 */
public final class PatternStats implements Serializable {

  private static final long serialVersionUID = 1L;

  private long count;
  private int length = -1;
  private double sum;
  private float min = Float.POSITIVE_INFINITY;
  private float max = Float.NEGATIVE_INFINITY;

  /** Empty statistics (no patterns). */
  public PatternStats() {}

  /**
   * Adds one pattern.
   *
   * @return this
   * @throws NullPointerException "x" if {@code x} is null
   * @throws IllegalArgumentException if the pattern is empty, its length differs from the patterns
   *     added before, or a value is not finite; nothing is added then
   */
  public PatternStats add(float[] x) {
    java.util.Objects.requireNonNull(x, "x");
    if (x.length == 0) {
      throw new IllegalArgumentException(
          "pattern has length 0; a network needs at least one neuron");
    }
    if (length >= 0 && x.length != length) {
      throw new IllegalArgumentException(
          "pattern has length " + x.length + ", expected " + length + " (as the patterns before)");
    }
    if (!addRow(x, 0, x.length)) {
      for (int i = 0; i < x.length; i++) {
        if (!Float.isFinite(x[i])) {
          throw new IllegalArgumentException(
              "pattern has a non-finite value " + x[i] + " at index " + i);
        }
      }
    }
    return this;
  }

  /**
   * Adds the values {@code d[off..off+n)} of one pattern of length n (not checked against the
   * others: the caller does); false, with nothing added, if one of them is not finite. One pass;
   * the sum is accumulated in four float64 lanes (a fixed order).
   */
  boolean addRow(float[] d, int off, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    // branches that are rarely taken once the extremes are found (Math.min/max on floats, or
    // selects on random signs, were 1.5-6x slower); a NaN or infinity shows in the sum instead
    float mn = min;
    float mx = max;
    int i = off;
    int end = off + n;
    for (; i <= end - 4; i += 4) {
      float a = d[i];
      float b = d[i + 1];
      float c = d[i + 2];
      float e = d[i + 3];
      s0 += a;
      s1 += b;
      s2 += c;
      s3 += e;
      mn = a < mn ? a : mn;
      mx = a > mx ? a : mx;
      mn = b < mn ? b : mn;
      mx = b > mx ? b : mx;
      mn = c < mn ? c : mn;
      mx = c > mx ? c : mx;
      mn = e < mn ? e : mn;
      mx = e > mx ? e : mx;
    }
    for (; i < end; i++) {
      float a = d[i];
      s0 += a;
      mn = a < mn ? a : mn;
      mx = a > mx ? a : mx;
    }
    // a float64 sum of finite float32 values cannot overflow: it is finite exactly when they are
    double run = (s0 + s1) + (s2 + s3);
    if (!Double.isFinite(run)) {
      return false;
    }
    sum += run;
    min = mn;
    max = mx;
    count++;
    length = n;
    return true;
  }

  /**
   * Merges another part into this one (statistics of the union of both pattern sets).
   *
   * @return this
   * @throws IllegalArgumentException if both parts hold patterns of different lengths
   */
  public PatternStats combine(PatternStats other) {
    Objects.requireNonNull(other, "other");
    if (other.count == 0) {
      return this;
    }
    if (count > 0 && other.length != length) {
      throw new IllegalArgumentException(
          "patterns have lengths " + length + " and " + other.length + " in different parts");
    }
    count += other.count;
    length = other.length;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    return this;
  }

  /** P, the number of patterns. */
  public long count() {
    return count;
  }

  /** N, the pattern length (0 when there are no patterns). */
  public int length() {
    return Math.max(0, length);
  }

  /** The float64 sum of all values. */
  public double sum() {
    return sum;
  }

  /** The smallest value ({@code +Infinity} without patterns). */
  public float min() {
    return min;
  }

  /** The largest value ({@code -Infinity} without patterns). */
  public float max() {
    return max;
  }

  /**
   * The mean of all P x N values as float32 (the float32 of the float64 mean: exact for the
   * integer-valued patterns of practice; the double rounding of a quotient of two floats through
   * double is harmless, 53 >= 2*24 + 2); 0 without patterns. The Hebbian rule's {@code rho}.
   */
  public float mean() {
    return count == 0 ? 0f : (float) (sum / ((double) count * length));
  }

  /**
   * {@code max |x - center|} over all values, in float32: float subtraction is monotonic, so the
   * extremes give it exactly. 0 without patterns.
   */
  public float maxAbsDeviation(float center) {
    return count == 0 ? 0f : Math.max(Math.abs(max - center), Math.abs(min - center));
  }

  /** A copy. */
  public PatternStats copy() {
    PatternStats c = new PatternStats();
    c.combine(this);
    return c;
  }

  @Override
  public String toString() {
    return "PatternStats[P="
        + count
        + ", N="
        + length()
        + ", sum="
        + sum
        + ", min="
        + min
        + ", max="
        + max
        + "]";
  }
}
