package io.engram.analysis;

import java.util.SplittableRandom;

/**
 * How a cue is made from a stored pattern: noisy ({@link #flip}: a share of its values negated, at
 * random positions), partial ({@link #erase}: a share set to 0, "unknown", at random positions), or
 * occluded ({@link #occlude}: its last share set to 0, the bottom rows of an image stored row by
 * row). A 0 in a cue adds nothing to any neuron's field, so a classical network and a modern memory
 * complete the pattern from the values that are left.
 *
 * <p>Of a pattern of N values, the last {@code round(occlude N)} are occluded; among the others,
 * {@code round(flip N)} distinct positions are negated and {@code round(erase N)} further distinct
 * positions are erased, drawn by a partial Fisher-Yates shuffle from the generator given. With
 * neither erasure nor occlusion the positions are those of a flip alone: the same generator gives
 * the same cue as before erasure and occlusion existed. The three shares together are at most 1.
 * Immutable.
 */
public final class Corruption {

  private final double flip;
  private final double erase;
  private final double occlude;

  private Corruption(double flip, double erase, double occlude) {
    this.flip = flip;
    this.erase = erase;
    this.occlude = occlude;
  }

  /** Noise alone: the share {@code flip} of the values negated. */
  public static Corruption flip(double flip) {
    return of(flip, 0, 0);
  }

  /**
   * A corruption of the three shares.
   *
   * @throws IllegalArgumentException for a share outside [0, 1] (NaN included) or shares that add
   *     up to more than 1
   */
  public static Corruption of(double flip, double erase, double occlude) {
    share("flip", flip);
    share("erase", erase);
    share("occlude", occlude);
    // (a margin for decimal fractions that add up to 1, such as 0.7 + 0.2 + 0.1)
    if (flip + erase + occlude > 1 + 1e-9) {
      throw new IllegalArgumentException(
          "flip + erase + occlude must be at most 1 (each position of a cue is corrupted at most"
              + " once), got "
              + flip
              + " + "
              + erase
              + " + "
              + occlude);
    }
    return new Corruption(flip + 0.0, erase + 0.0, occlude + 0.0);
  }

  private static void share(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
    }
  }

  /** The share of values negated. */
  public double flip() {
    return flip;
  }

  /** The share of values set to 0 at random positions. */
  public double erase() {
    return erase;
  }

  /** The share of values set to 0 at the end of the pattern. */
  public double occlude() {
    return occlude;
  }

  /** The values occluded of a pattern of {@code n}: {@code round(occlude n)}. */
  public int occluded(int n) {
    return (int) Math.min(n, Math.round(occlude * n));
  }

  /** The values negated of a pattern of {@code n}: {@code round(flip n)} (within what is left). */
  public int flips(int n) {
    return (int) Math.min(n - occluded(n), Math.round(flip * n));
  }

  /** The values erased of a pattern of {@code n}: {@code round(erase n)} (within what is left). */
  public int erasures(int n) {
    return (int) Math.min(n - occluded(n) - flips(n), Math.round(erase * n));
  }

  /**
   * Whether the cues of a pattern of {@code n} values differ from one generator to another: some
   * but not all of the values left after occlusion are chosen, or both flipped and erased ones
   * (which of them is which varies). Not where the counts round to none, nor where every value left
   * is flipped, or every one erased.
   */
  public boolean varies(int n) {
    int open = n - occluded(n);
    int flips = flips(n);
    int erasures = erasures(n);
    int chosen = flips + erasures;
    return chosen > 0 && (chosen < open || (flips > 0 && erasures > 0));
  }

  /** Whether a cue is the pattern itself (all three shares 0). */
  public boolean isNone() {
    return flip == 0 && erase == 0 && occlude == 0;
  }

  /**
   * Corrupts {@code row} in place.
   *
   * @param positions scratch of at least {@code row.length} ints (its contents are overwritten), so
   *     that many rows need one array
   * @return how many of the negated values were 0, which a negation leaves 0 (0/1 data, say)
   * @throws NullPointerException naming {@code row}, {@code rnd} or {@code positions} if it is null
   * @throws IllegalArgumentException for scratch too short
   */
  public int apply(float[] row, SplittableRandom rnd, int[] positions) {
    java.util.Objects.requireNonNull(row, "row");
    java.util.Objects.requireNonNull(rnd, "rnd");
    java.util.Objects.requireNonNull(positions, "positions");
    int n = row.length;
    if (positions.length < n) {
      throw new IllegalArgumentException(
          "positions has " + positions.length + " ints, fewer than the row's " + n);
    }
    int open = n - occluded(n);
    int flips = flips(n);
    int chosen = flips + erasures(n);
    for (int i = 0; i < open; i++) {
      positions[i] = i;
    }
    int zeros = 0;
    for (int i = 0; i < chosen; i++) { // a partial Fisher-Yates shuffle: distinct positions
      int j = i + rnd.nextInt(open - i);
      int t = positions[i];
      positions[i] = positions[j];
      positions[j] = t;
      int at = positions[i];
      if (i < flips) {
        zeros += row[at] == 0f ? 1 : 0;
        row[at] = -row[at];
      } else {
        row[at] = 0f;
      }
    }
    for (int i = open; i < n; i++) {
      row[i] = 0f;
    }
    return zeros;
  }

  /** {@link #apply(float[], SplittableRandom, int[])} with scratch of its own. */
  public int apply(float[] row, SplittableRandom rnd) {
    java.util.Objects.requireNonNull(row, "row");
    return apply(row, rnd, new int[row.length]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Corruption c
        && Double.compare(flip, c.flip) == 0
        && Double.compare(erase, c.erase) == 0
        && Double.compare(occlude, c.occlude) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(flip) * 961 + Double.hashCode(erase) * 31 + Double.hashCode(occlude);
  }

  /** {@code flip 0.1, erase 0.2, occlude 0.5} (the shares that are not 0; "none" for none). */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    if (flip > 0) {
      b.append("flip ").append(flip);
    }
    if (erase > 0) {
      b.append(b.length() > 0 ? ", " : "").append("erase ").append(erase);
    }
    if (occlude > 0) {
      b.append(b.length() > 0 ? ", " : "").append("occlude ").append(occlude);
    }
    return b.length() == 0 ? "none" : b.toString();
  }
}
