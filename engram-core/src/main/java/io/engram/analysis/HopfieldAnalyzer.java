package io.engram.analysis;

import io.engram.learning.PatternBlock;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.WeightScan;
import io.engram.weights.Weights;
import java.util.Objects;

/**
 * Diagnostics for a trained network, as CANNs' {@code HopfieldAnalyzer}: energies of the stored
 * patterns, overlaps, the best match of a recalled state, capacity estimate and usage, energy
 * statistics and the weight symmetry error.
 *
 * <p>Overlap is {@code m(a, b) = a·b / N} (1 for identical ±1 patterns, -1 for opposite ones).
 * Energies here are {@code E = -1/2 sᵀWs + θ Σ s} with the network's threshold (CANNs' analyzer
 * omits the threshold term; with θ = 0 they agree). All sums are accumulated in float64.
 *
 * <p>Stateless apart from the network and patterns it was made with; it does not copy the network,
 * so results follow later training. Not thread-safe with concurrent training.
 */
public final class HopfieldAnalyzer {

  private final AmariHopfieldNetwork network;
  private final PatternBlock patterns;

  private HopfieldAnalyzer(AmariHopfieldNetwork network, PatternBlock patterns) {
    this.network = network;
    this.patterns = patterns;
  }

  /**
   * An analyzer for the network and the patterns stored in it (may be empty).
   *
   * @throws NullPointerException naming {@code network} or {@code storedPatterns} if it is null
   * @throws IllegalArgumentException if the pattern length differs from N
   */
  public static HopfieldAnalyzer of(AmariHopfieldNetwork network, PatternBlock storedPatterns) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(storedPatterns, "storedPatterns");
    if (!storedPatterns.isEmpty() && storedPatterns.length() != network.numNeurons()) {
      throw new IllegalArgumentException(
          "stored patterns have length "
              + storedPatterns.length()
              + ", network has N = "
              + network.numNeurons());
    }
    return new HopfieldAnalyzer(network, storedPatterns);
  }

  /**
   * {@code a·b / N}.
   *
   * @throws NullPointerException naming {@code a} or {@code b} if it is null
   * @throws IllegalArgumentException if a vector is empty, the lengths differ, or a value is not
   *     finite (the overlap would be NaN or infinite)
   */
  public static double overlap(float[] a, float[] b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    if (a.length != b.length) {
      throw new IllegalArgumentException("overlap of lengths " + a.length + " and " + b.length);
    }
    if (a.length == 0) {
      throw new IllegalArgumentException("overlap of empty vectors");
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    if (!Double.isFinite(s)) {
      // float products never overflow a double sum: a value is infinite or NaN
      for (int i = 0; i < a.length; i++) {
        float bad = !Float.isFinite(a[i]) ? a[i] : b[i];
        if (!Float.isFinite(bad)) {
          throw new IllegalArgumentException(
              "overlap of a vector with a non-finite value " + bad + " at index " + i);
        }
      }
    }
    return s / a.length;
  }

  /**
   * The energy of each stored pattern.
   *
   * @throws IllegalStateException if the network has been resized since the analyzer was made, so
   *     that the patterns no longer fit it (the network's own error named a "state" of the wrong
   *     length)
   */
  public double[] patternEnergies() {
    if (!patterns.isEmpty() && patterns.length() != network.numNeurons()) {
      throw new IllegalStateException(
          "the network has N = "
              + network.numNeurons()
              + " now, but the analyzer's stored patterns have length "
              + patterns.length()
              + " (the network was resized after HopfieldAnalyzer.of): make a new analyzer");
    }
    double[] e = new double[patterns.count()];
    for (int k = 0; k < e.length; k++) {
      e[k] = energy(patterns.row(k));
    }
    return e;
  }

  /**
   * {@code -1/2 sᵀWs + θ Σ s}: the network's energy ({@link AmariHopfieldNetwork#energy(float[])},
   * summed in float64 and rounded to float32 once).
   */
  public double energy(float[] state) {
    return network.energy(state);
  }

  /** Overlap of the state with each stored pattern. */
  public double[] overlaps(float[] state) {
    Objects.requireNonNull(state, "state");
    double[] m = new double[patterns.count()];
    for (int k = 0; k < m.length; k++) {
      m[k] = overlap(state, patterns.row(k));
    }
    return m;
  }

  /**
   * The stored pattern closest to the state (largest overlap; the first on ties).
   *
   * @throws IllegalStateException if no patterns were given
   */
  public Match bestMatch(float[] state) {
    Objects.requireNonNull(state, "state");
    if (patterns.isEmpty()) {
      throw new IllegalStateException("no stored patterns to match against");
    }
    double[] m = overlaps(state);
    int best = 0;
    for (int k = 1; k < m.length; k++) {
      if (m[k] > m[best]) {
        best = k;
      }
    }
    return new Match(best, m[best]);
  }

  /**
   * CANNs' {@code analyze_recall}: best match of the output, input/output overlap, output energy.
   */
  public RecallDiagnostics analyzeRecall(float[] input, float[] output) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Match m = patterns.isEmpty() ? null : bestMatch(output);
    return new RecallDiagnostics(
        m == null ? -1 : m.index(),
        m == null ? Double.NaN : m.overlap(),
        overlap(input, output),
        energy(output));
  }

  /** {@code max(1, floor(0.14 N))}. */
  public int capacityEstimate() {
    return network.storageCapacity();
  }

  /** Stored patterns / capacity estimate. */
  public double capacityUsage() {
    return (double) patterns.count() / Math.max(1, capacityEstimate());
  }

  /** Count, capacity and pattern-energy statistics, as CANNs' {@code get_statistics}. */
  public Statistics statistics() {
    return statistics(patternEnergies());
  }

  /**
   * {@link #statistics()} from the pattern energies already computed ({@link #patternEnergies()}'s
   * values, in its order), so that a caller that wants both computes them once.
   *
   * @throws NullPointerException "e" if {@code e} is null
   * @throws IllegalArgumentException if {@code e} does not hold one energy per pattern, or one of
   *     them is NaN or infinite (no energy of a state is: {@link #energy} refuses those)
   */
  public Statistics statistics(double[] e) {
    Objects.requireNonNull(e, "e");
    if (e.length != patterns.count()) {
      throw new IllegalArgumentException(
          "energies: " + e.length + " given, expected one per pattern (" + patterns.count() + ")");
    }
    for (int k = 0; k < e.length; k++) {
      if (!Double.isFinite(e[k])) {
        // (was taken: statistics whose mean, spread, minimum and maximum were all NaN)
        throw new IllegalArgumentException("energy " + k + " is " + e[k] + ", expected finite");
      }
    }
    double mean = Double.NaN;
    double std = Double.NaN;
    double min = Double.NaN;
    double max = Double.NaN;
    if (e.length > 0) {
      double s = 0;
      min = Double.POSITIVE_INFINITY;
      max = Double.NEGATIVE_INFINITY;
      for (double v : e) {
        s += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      mean = s / e.length;
      double var = 0;
      for (double v : e) {
        var += (v - mean) * (v - mean);
      }
      std = Math.sqrt(var / e.length);
    }
    return new Statistics(
        patterns.count(), capacityEstimate(), capacityUsage(), mean, std, min, max);
  }

  /**
   * {@code ‖W - Wᵀ‖_F / ‖W‖_F}; 0 for symmetric weights, NaN for all-zero weights. Weights in a
   * low-rank form ({@code Σ ±T_bᵀT_b / d_b + diag(g)}) are symmetric by construction (their entries
   * {@code W[i][j]} and {@code W[j][i]} are the same sums in the same order): 0 without a scan, NaN
   * when they hold nothing. Dense weights are scanned in O(N²) ({@link WeightScan#symmetryError}).
   */
  public static double symmetryError(Weights weights) {
    return WeightScan.symmetryError(weights);
  }

  /** {@link #symmetryError(Weights)} of this network. */
  public double symmetryError() {
    return symmetryError(network.weights());
  }

  /** A best match: pattern index and overlap. */
  public record Match(int index, double overlap) {}

  /**
   * @param bestMatchIndex index of the closest stored pattern, -1 without patterns
   * @param bestMatchOverlap its overlap, NaN without patterns
   * @param inputOutputOverlap overlap of cue and output
   * @param outputEnergy energy of the output
   */
  public record RecallDiagnostics(
      int bestMatchIndex,
      double bestMatchOverlap,
      double inputOutputOverlap,
      double outputEnergy) {}

  /**
   * @param numPatterns stored patterns given to the analyzer
   * @param capacityEstimate {@code max(1, floor(0.14 N))}
   * @param capacityUsage numPatterns / capacityEstimate
   * @param meanEnergy mean pattern energy (NaN without patterns)
   * @param stdEnergy population standard deviation
   * @param minEnergy minimum
   * @param maxEnergy maximum
   */
  public record Statistics(
      int numPatterns,
      int capacityEstimate,
      double capacityUsage,
      double meanEnergy,
      double stdEnergy,
      double minEnergy,
      double maxEnergy) {}
}
