package io.engram.network;

import java.util.Locale;

/**
 * The neuron transfer function of an {@link AmariHopfieldNetwork}, as in CANNs' {@code
 * AmariHopfieldNetwork(activation=...)}.
 *
 * <ul>
 *   <li>{@link #SIGN}: {@code sign(x)}, with {@code sign(0) = 0} (returned as {@code +0.0f}); the
 *       temperature is ignored.
 *   <li>{@link #TANH}: {@code tanh(x / T)}, computed as {@code (float) Math.tanh(x / T)} so that
 *       large fields saturate to exactly {@code ±1.0f}.
 *   <li>{@link #SIGMOID}: {@code 1 / (1 + exp(-x / T))}.
 * </ul>
 *
 * <p>The argument {@code x / T} is formed in float32, exactly as the reference does. A NaN field
 * gives NaN (it cannot arise from validated, finite inputs). Thread-safe: constants only.
 */
public enum Activation {
  /** {@code sign(x)} with {@code sign(0) = 0}. */
  SIGN {
    @Override
    public float apply(float x, float temperature) {
      return sign(x);
    }
  },
  /** {@code tanh(x / T)}. */
  TANH {
    @Override
    public float apply(float x, float temperature) {
      return (float) Math.tanh(x / temperature);
    }
  },
  /** {@code 1 / (1 + e^(-x/T))}. */
  SIGMOID {
    @Override
    public float apply(float x, float temperature) {
      float z = x / temperature;
      return (float) (1.0 / (1.0 + Math.exp(-(double) z)));
    }
  };

  /**
   * Applies the activation to one field value.
   *
   * @param x the field {@code W[i]·s - θ}
   * @param temperature {@code T > 0}; ignored by {@link #SIGN}
   * @return the new neuron state
   */
  public abstract float apply(float x, float temperature);

  /**
   * {@code sign(x)} without data-dependent branches (the fields' signs are random, so comparisons
   * mispredict half the time): 1 for {@code x > 0}, -1 for {@code x < 0}, {@code +0.0f} for ±0, NaN
   * unchanged (same bits).
   */
  static float sign(float x) {
    int b = Float.floatToRawIntBits(x);
    int mag = b & 0x7fffffff;
    int unit = (b & 0x80000000) | 0x3f800000;
    return Float.intBitsToFloat(mag == 0 ? 0 : mag > 0x7f800000 ? b : unit);
  }

  /**
   * The lower-case name used in files and on the command line ({@code sign}, {@code tanh}, ...).
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code sign}, {@code tanh} or {@code sigmoid} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Activation parse(String name) {
    if (name != null) {
      for (Activation a : values()) {
        if (a.id().equalsIgnoreCase(name.trim())) {
          return a;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + name + "', expected one of sign, tanh, sigmoid");
  }
}
