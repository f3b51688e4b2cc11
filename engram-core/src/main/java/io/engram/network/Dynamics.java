package io.engram.network;

import java.util.Objects;

/**
 * The recall dynamics of a network: activation, temperature {@code T}, threshold {@code θ} and
 * update mode. One step is {@code s <- act(W s - θ)} (synchronous) or one sweep of single-neuron
 * updates (asynchronous).
 *
 * <p>{@code temperature} and {@code threshold} are float32, as the reference computes in float32:
 * the field is {@code W·s - θ} and the activation argument {@code x / T}.
 *
 * @param activation the transfer function
 * @param temperature {@code T > 0}, finite; only {@code tanh} and {@code sigmoid} use it
 * @param threshold {@code θ}, finite
 * @param updateMode synchronous or asynchronous
 */
public record Dynamics(
    Activation activation, float temperature, float threshold, UpdateMode updateMode) {

  /** CANNs' defaults: sign, T = 1, θ = 0, synchronous. */
  public static final Dynamics DEFAULT =
      new Dynamics(Activation.SIGN, 1f, 0f, UpdateMode.synchronous());

  /**
   * Validates the settings.
   *
   * @throws NullPointerException naming {@code activation} or {@code updateMode} if it is null
   * @throws IllegalArgumentException if T is not a finite positive number or θ is not finite
   */
  public Dynamics {
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(updateMode, "updateMode");
    if (!(temperature > 0f) || !Float.isFinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be a finite number > 0, got " + temperature);
    }
    if (!Float.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be finite, got " + threshold);
    }
  }

  /** A copy with another activation. */
  public Dynamics withActivation(Activation activation) {
    return new Dynamics(
        Objects.requireNonNull(activation, "activation"), temperature, threshold, updateMode);
  }

  /**
   * A copy with another temperature.
   *
   * @throws IllegalArgumentException if {@code t} is not a finite number > 0 in float32 (one below
   *     float32's smallest positive value, 1.4E-45, rounds to 0: it is named as given, not as the
   *     0.0 it became)
   */
  public Dynamics withTemperature(double t) {
    float f = checkedFloat("temperature", t);
    if (f == 0f && t > 0) {
      throw new IllegalArgumentException(
          "temperature must be a finite number > 0 in float32, got "
              + t
              + ", which float32 rounds to 0 (its smallest positive value is "
              + Float.MIN_VALUE
              + ")");
    }
    return new Dynamics(activation, f, threshold, updateMode);
  }

  /** A copy with another threshold. */
  public Dynamics withThreshold(double th) {
    return new Dynamics(activation, temperature, checkedFloat("threshold", th), updateMode);
  }

  /** A copy with another update mode. */
  public Dynamics withUpdateMode(UpdateMode mode) {
    return new Dynamics(activation, temperature, threshold, Objects.requireNonNull(mode, "mode"));
  }

  /**
   * Checks that these dynamics fit a network of {@code n} neurons: an explicit asynchronous order
   * must have length N.
   *
   * @throws IllegalArgumentException naming both lengths otherwise
   */
  public void checkFits(int n) {
    if (updateMode instanceof UpdateMode.FixedOrder f && f.length() != n) {
      throw new IllegalArgumentException(
          "async order has length " + f.length() + ", expected N = " + n);
    }
  }

  /**
   * These dynamics for a network resized to {@code n} neurons: an explicit asynchronous order is
   * {@linkplain UpdateMode.FixedOrder#resized resized} with it; anything else is kept.
   */
  Dynamics resizedTo(int n) {
    return updateMode instanceof UpdateMode.FixedOrder f && f.length() != n
        ? withUpdateMode(f.resized(n))
        : this;
  }

  static float checkedFloat(String what, double v) {
    float f = (float) v;
    if (!Float.isFinite(f)) {
      throw new IllegalArgumentException(what + " must be a finite float32 value, got " + v);
    }
    return f;
  }
}
