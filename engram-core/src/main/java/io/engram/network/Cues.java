package io.engram.network;

import java.util.Objects;

/** The checks every memory applies to its cues and states before it uses them. */
public final class Cues {

  private Cues() {}

  /**
   * Checks one cue: not null, length N, at least one value, finite values.
   *
   * @param index its index in the batch, for the message
   * @param expected N
   * @throws IllegalArgumentException naming the problem
   */
  public static void check(float[] cue, int index, int expected) {
    check(cue, "query " + index, expected);
  }

  /**
   * Checks a network's state as {@link #check(float[], int, int)} checks a cue, naming it {@code
   * state}.
   *
   * @throws IllegalArgumentException naming the problem
   */
  static void checkState(float[] state, int expected) {
    Objects.requireNonNull(state, "state");
    check(state, "state", expected);
  }

  private static void check(float[] cue, String name, int expected) {
    if (cue == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (cue.length != expected) {
      throw new IllegalArgumentException(
          name + " has length " + cue.length + ", expected " + expected);
    }
    if (cue.length == 0) {
      throw new IllegalArgumentException(name + " is empty; a network needs at least one neuron");
    }
    for (int i = 0; i < cue.length; i++) {
      if (!Float.isFinite(cue[i])) {
        throw new IllegalArgumentException(
            name + " has a non-finite value " + cue[i] + " at index " + i);
      }
    }
  }

  /**
   * Checks a batch of cues of length N.
   *
   * @throws IllegalArgumentException naming the first bad cue
   */
  public static void checkAll(float[][] cues, int n) {
    Objects.requireNonNull(cues, "cues");
    for (int q = 0; q < cues.length; q++) {
      check(cues[q], q, n);
    }
  }
}
