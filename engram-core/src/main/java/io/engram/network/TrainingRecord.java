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

  /** Copies the options (unmodifiable, in their order). */
  public TrainingRecord {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }
}
