package io.engram.learning;

import java.util.Map;

/**
 * Provenance of one training call: which rule, with which options, on how many patterns.
 *
 * @param rule the rule's name, e.g. {@code hebbian}
 * @param options the rule's options as strings (e.g. {@code subtract_mean=true})
 * @param patterns P, the number of patterns of the call
 * @param neurons N after the call
 * @param rho the mean subtracted from the patterns, or NaN when none was
 */
public record TrainingRecord(
    String rule, Map<String, String> options, int patterns, int neurons, float rho) {
  public TrainingRecord {
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }
}
