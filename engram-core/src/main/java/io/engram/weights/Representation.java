package io.engram.weights;

import java.util.Locale;

/**
 * The closed set of weight representations, one constant per {@link Weights} implementation. Model
 * files name the representation by its {@link #id()}; each has one codec ({@code
 * io.engram.io.WeightsCodec}) found through an exhaustive switch over these constants, so adding a
 * representation makes the compiler point at every place that must handle it.
 */
public enum Representation {
  /** {@link DenseWeights}: the N x N matrix. */
  DENSE,
  /** {@link LowRankWeights}: the centred patterns of each Hebbian call. */
  LOW_RANK,
  /** {@link ProjectionWeights}: the pseudo-inverse rule's factor {@code V}, {@code W = VᵀV}. */
  PROJECTION;

  /** The name in model files and messages: {@code dense}, {@code low-rank}, {@code projection}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The representation with this {@link #id()}.
   *
   * @throws IllegalArgumentException naming the value and the known ones
   */
  public static Representation fromId(String id) {
    for (Representation r : values()) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Representation r : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(r.id());
    }
    throw new IllegalArgumentException(
        "unsupported weight representation '" + id + "' (this Engram reads: " + known + ")");
  }
}
