package io.engram.network;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Provenance of one training call: which rule, with which options, on how many patterns.
 *
 * @param rule the rule's name, e.g. {@code hebbian}
 * @param options the rule's options as strings (e.g. {@code subtract_mean=true}); copied
 * @param patterns P, the number of patterns of the call
 * @param neurons N after the call
 * @param rho the mean subtracted from the patterns, or NaN when none was
 * @param stores whether the call stores its patterns (false for unlearning, e.g. anti-Hebbian):
 *     {@link AmariHopfieldNetwork#storedPatterns()} counts the patterns of storing calls
 */
public record TrainingRecord(
    String rule,
    Map<String, String> options,
    int patterns,
    int neurons,
    float rho,
    boolean stores) {

  /** A record of a call that stores its patterns. */
  public TrainingRecord(
      String rule, Map<String, String> options, int patterns, int neurons, float rho) {
    this(rule, options, patterns, neurons, rho, true);
  }

  /**
   * Validates what a model file must be able to hold, and copies the options (unmodifiable, in
   * their order).
   *
   * @throws NullPointerException naming {@code rule} or {@code options} if it is null
   * @throws IllegalArgumentException if an option's key or value is null, P or N is negative, or
   *     rho is infinite: a model file wrote such a record and then refused to read it back ({@code
   *     missing 'rule'}, {@code 'patterns' is -1}), or read it back changed (a null option as the
   *     text {@code null}, an infinite rho as NaN)
   */
  public TrainingRecord {
    java.util.Objects.requireNonNull(rule, "rule");
    java.util.Objects.requireNonNull(options, "options");
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(
            "option "
                + (e.getKey() == null ? "key is null" : "'" + e.getKey() + "' has a null value"));
      }
    }
    if (patterns < 0 || neurons < 0) {
      throw new IllegalArgumentException(
          "patterns and neurons must be >= 0, got P = " + patterns + ", N = " + neurons);
    }
    if (Float.isInfinite(rho)) {
      throw new IllegalArgumentException("rho must be finite (or NaN for none), got " + rho);
    }
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * The parts as a record shows them ({@code TrainingRecord[rule=hebbian,
   * options={subtract_mean=true}, patterns=2, neurons=4, rho=0.5, stores=true]}), except that a
   * rule name, option key or option value longer than {@value #LONGEST} characters is abbreviated
   * to its first {@value #SHOWN} characters and its length ({@code abcd... (10000000 characters)}):
   * a big option value was printed in full. Shorter ones are shown exactly.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("TrainingRecord[rule=").append(shown(rule));
    b.append(", options={");
    String sep = "";
    for (Map.Entry<String, String> e : options.entrySet()) {
      b.append(sep).append(shown(e.getKey())).append('=').append(shown(e.getValue()));
      sep = ", ";
    }
    return b.append("}, patterns=")
        .append(patterns)
        .append(", neurons=")
        .append(neurons)
        .append(", rho=")
        .append(rho)
        .append(", stores=")
        .append(stores)
        .append(']')
        .toString();
  }

  /** The longest text {@link #toString} shows in full. */
  static final int LONGEST = 100;

  /** The characters {@link #toString} shows of a longer text. */
  static final int SHOWN = 64;

  private static String shown(String s) {
    if (s.length() <= LONGEST) {
      return s;
    }
    // not between the two halves of a surrogate pair
    int end = Character.isHighSurrogate(s.charAt(SHOWN - 1)) ? SHOWN - 1 : SHOWN;
    return s.substring(0, end) + "... (" + s.length() + " characters)";
  }
}
