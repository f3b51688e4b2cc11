package io.engram.cli;

import io.engram.io.ModelFile;
import io.engram.learning.LearningRule;
import io.engram.learning.PseudoInverseRule;
import io.engram.learning.StorkeyRule;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.DenseWeights;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;

/**
 * What one member of a model file can hold ({@link ModelFile#MAX_MEMBER_BYTES}), checked by {@code
 * engram train} once it knows P and N and before it stores anything: a modern memory's {@code
 * X.npy} (all its patterns), a low-rank call's {@code T<k>.npy} (that call's patterns) and the
 * pseudo-inverse factor {@code V.npy} (its rank's rows) are each one member, which readers read
 * into one array and refuse beyond that size. The library refuses to write such a member too (when
 * the model is saved, before a file is made); here it is exit 2 before the work, with what to do
 * instead.
 */
final class ModelLimits {

  private ModelLimits() {}

  /**
   * Exit 2 when a modern memory of {@code stored} patterns (the {@code --init} memory's) and {@code
   * added} more, of length {@code n}, cannot be written as one {@code X.npy}.
   */
  static void modern(String out, long stored, long added, int n) {
    String why = ModelFile.memberOverflow(stored + added, n, "patterns");
    if (why != null) {
      throw refused(
          out,
          why
              + (stored > 0 ? "; the --init memory holds " + stored + " of them" : "")
              + "; a modern memory keeps all its patterns in one member (X.npy)");
    }
  }

  /**
   * Exit 2 when the call of {@code p} patterns of length {@code n} into {@code net} (its weights
   * mode set, not yet resized) will leave a member the model file cannot hold: the call's own
   * low-rank factor (Hebbian and anti-Hebbian rules), or V of the factored pseudo-inverse, whose
   * rank can reach the stored rank plus P. The representation is decided as the rules decide it
   * ({@code HebbianRule}'s update, {@code ProjectionTarget.of}); where that is not certain before
   * the call (a resize under the auto mode), the library's own check when the model is saved
   * remains.
   */
  static void classical(String out, AmariHopfieldNetwork net, LearningRule rule, int p, int n) {
    Weights w = net.weights();
    WeightsMode mode = net.weightsMode();
    // dense weights stay dense (W.npy is streamed: no such limit); Storkey's are always dense
    if (p == 0 || w.isDense() || rule instanceof StorkeyRule) {
      return;
    }
    String hint = n <= DenseWeights.MAX_SIZE ? ", or use --weights dense" : "";
    if (rule instanceof PseudoInverseRule) {
      long rank = w.rank();
      if (mode == WeightsMode.LOW_RANK || WeightsMode.lowRankIsCheaper(n, rank + p, 1)) {
        long reach = Math.min(rank + p, n);
        String why = ModelFile.memberOverflow(reach, n, "rows");
        if (why != null) {
          throw refused(
              out,
              "the pseudo-inverse factor V (one member, V.npy) can reach rank "
                  + reach
                  + ": "
                  + why
                  + "; store fewer patterns"
                  + hint);
        }
      }
      return;
    }
    boolean lowRank =
        mode == WeightsMode.LOW_RANK
            || (n == w.size() ? w.lowRankCheaperWith(p) : n > DenseWeights.MAX_SIZE);
    String why = lowRank ? ModelFile.memberOverflow(p, n, "patterns") : null;
    if (why != null) {
      throw refused(
          out,
          why
              + "; low-rank weights keep each training call's patterns in one member (T<k>.npy):"
              + " train them in smaller calls (--init adds one)"
              + hint);
    }
  }

  /** The refusal of an --out model: its path, then why and what to do. */
  private static UserError refused(String out, String whyAndAdvice) {
    return new UserError("--out " + out + ": " + whyAndAdvice);
  }
}
