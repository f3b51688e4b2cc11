package io.engram.analysis;

import io.engram.learning.PatternBlock;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Where the patterns of a {@link CapacitySweep} come from: random ±1 patterns (unbiased, biased to
 * a mean activity, or correlated through a common prototype), or the user's own ±1 data, stored as
 * growing prefixes. Random patterns are drawn anew for every trial from the trial's generator.
 *
 * <p>Immutable, thread-safe.
 */
public final class PatternSource {

  private enum Kind {
    RANDOM,
    BIASED,
    CORRELATED,
    DATA
  }

  private final Kind kind;
  private final double parameter;
  private final PatternBlock data;

  private PatternSource(Kind kind, double parameter, PatternBlock data) {
    this.kind = kind;
    this.parameter = parameter;
    this.data = data;
  }

  /** Unbiased random patterns: every bit +1 or -1 with probability ½, independently. */
  public static PatternSource random() {
    return new PatternSource(Kind.RANDOM, 0, null);
  }

  /**
   * Biased random patterns of mean activity {@code a}: every bit +1 with probability {@code (1 + a)
   * / 2}, else -1, independently (so the mean of a pattern is a, and two patterns overlap by a² on
   * average).
   *
   * @param a in (-1, 1)
   * @throws IllegalArgumentException if a is outside (-1, 1) or NaN
   */
  public static PatternSource biased(double a) {
    if (!(a > -1 && a < 1)) {
      throw new IllegalArgumentException("mean activity must be in (-1, 1), got " + a);
    }
    return new PatternSource(Kind.BIASED, a, null);
  }

  /**
   * Correlated random patterns: each trial draws one random ±1 prototype, and every pattern copies
   * each of its bits with probability {@code (1 + √c) / 2} and flips it otherwise, independently.
   * Each pattern then overlaps the prototype by √c and two patterns overlap each other by c on
   * average.
   *
   * @param c the mean overlap of two patterns, in [0, 1)
   * @throws IllegalArgumentException if c is outside [0, 1) or NaN
   */
  public static PatternSource correlated(double c) {
    if (!(c >= 0 && c < 1)) {
      throw new IllegalArgumentException("pattern overlap must be in [0, 1), got " + c);
    }
    return new PatternSource(Kind.CORRELATED, c, null);
  }

  /**
   * The user's patterns: a sweep stores the first P of them at load P (every trial the same ones;
   * trials then differ only in the noise of the cues).
   *
   * @param data at least one pattern, every value +1 or -1
   * @throws IllegalArgumentException if the block is empty or holds a value other than ±1 (the
   *     message names the first one)
   */
  public static PatternSource of(PatternBlock data) {
    Objects.requireNonNull(data, "data");
    if (data.isEmpty()) {
      throw new IllegalArgumentException("no patterns in the data");
    }
    for (int k = 0; k < data.count(); k++) {
      for (int i = 0; i < data.length(); i++) {
        float v = data.get(k, i);
        if (v != 1f && v != -1f) {
          throw new IllegalArgumentException(
              "the capacity lab needs +1/-1 patterns; pattern "
                  + k
                  + " has "
                  + v
                  + " at index "
                  + i);
        }
      }
    }
    return new PatternSource(Kind.DATA, 0, data);
  }

  /** {@code random}, {@code biased}, {@code correlated} or {@code data}. */
  public String kind() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The mean activity (biased), the pattern overlap (correlated), else 0. */
  public double parameter() {
    return parameter;
  }

  /**
   * Whether these are unbiased independent random patterns, the setting of {@link CapacityTheory}
   * (random, biased with a = 0, or correlated with c = 0).
   */
  public boolean isUnbiasedRandom() {
    return kind != Kind.DATA && parameter == 0;
  }

  /** The most patterns a sweep can store: the data's count, else unlimited. */
  public int maxPatterns() {
    return kind == Kind.DATA ? data.count() : Integer.MAX_VALUE;
  }

  /** The data's pattern length N, or -1 for random patterns (any N). */
  public int length() {
    return kind == Kind.DATA ? data.length() : -1;
  }

  /**
   * {@code count} patterns of length {@code n}, row-major, drawn from {@code rnd} (the data's first
   * rows for data).
   */
  float[] draw(int count, int n, SplittableRandom rnd) {
    float[] x = new float[Math.multiplyExact(count, n)];
    switch (kind) {
      case DATA -> {
        for (int k = 0; k < count; k++) {
          System.arraycopy(data.row(k), 0, x, k * n, n);
        }
      }
      case RANDOM -> {
        for (int i = 0; i < x.length; i += 64) {
          long bits = rnd.nextLong();
          for (int b = 0; b < 64 && i + b < x.length; b++) {
            x[i + b] = (bits >>> b & 1) == 0 ? -1f : 1f;
          }
        }
      }
      case BIASED -> {
        double up = (1 + parameter) / 2;
        for (int i = 0; i < x.length; i++) {
          x[i] = rnd.nextDouble() < up ? 1f : -1f;
        }
      }
      case CORRELATED -> {
        float[] prototype = new float[n];
        for (int i = 0; i < n; i++) {
          prototype[i] = rnd.nextBoolean() ? 1f : -1f;
        }
        double keep = (1 + Math.sqrt(parameter)) / 2;
        for (int i = 0; i < x.length; i++) {
          float b = prototype[i % n];
          x[i] = rnd.nextDouble() < keep ? b : -b;
        }
      }
    }
    return x;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case RANDOM -> "random +-1 patterns";
      case BIASED -> "random +-1 patterns of mean activity " + parameter;
      case CORRELATED -> "random +-1 patterns with mean overlap " + parameter;
      case DATA -> data.count() + (data.count() == 1 ? " given pattern" : " given patterns");
    };
  }
}
