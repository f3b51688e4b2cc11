package io.engram.network;

import java.util.List;
import java.util.Objects;

/**
 * An associative memory of N-value patterns that recalls stored patterns from cues: the classical
 * {@link AmariHopfieldNetwork} or a modern (dense) Hopfield memory. What the command line, model
 * files and Spark need to treat every memory kind alike.
 *
 * <p>Recall never changes the memory: a trained memory may be recalled from many threads at once.
 */
public interface Memory {

  /** N, the length of every pattern and cue. */
  int numNeurons();

  /** The memory kind as named in model files and on the command line, e.g. {@code classical}. */
  String kind();

  /**
   * The recall options this kind uses by default (for example at most 20 steps for the classical
   * network, one step for modern memory).
   */
  RecallOptions defaultRecallOptions();

  /**
   * Recalls each cue independently (each starts from its own input).
   *
   * @param cues each of length N with finite values; not modified
   * @throws IllegalArgumentException if a cue is invalid; nothing runs then
   */
  List<RecallResult> recallBatch(float[][] cues, RecallOptions options);

  /**
   * {@link #recallBatch(float[][], RecallOptions)} with each query's final state written into the
   * caller's row {@code states[q]} (as numpy's {@code out=}), which its result then holds, not a
   * copy: a loop of recalls that reuses its rows allocates no arrays for the states it returns. The
   * same results, bit for bit. This default recalls, then copies; the memories of this library
   * write into the rows as they step.
   *
   * @param states one row of exactly N values per cue, each an array of its own: not a cue, not
   *     another row (overwritten; what a row held before is not read)
   * @throws IllegalArgumentException as {@link #recallBatch(float[][], RecallOptions)}, or for a
   *     null, short or shared row
   */
  default List<RecallResult> recallBatch(float[][] cues, RecallOptions options, float[][] states) {
    Objects.requireNonNull(cues, "cues");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(states, "states");
    RecallEngine.checkStateRows(states, cues, numNeurons());
    List<RecallResult> results = recallBatch(cues, options);
    List<RecallResult> out = new java.util.ArrayList<>(results.size());
    for (int q = 0; q < results.size(); q++) {
      RecallResult r = results.get(q);
      System.arraycopy(r.state(), 0, states[q], 0, states[q].length);
      out.add(new RecallResult(states[q], r.steps(), r.converged(), r.energy(), r.matches()));
    }
    return out;
  }

  /**
   * The retrieval step this memory recalls with (for custom loops, tools that step a memory, and
   * distributed recall), under the given options' overrides (none when {@code options} is null).
   *
   * @throws IllegalArgumentException if the options do not fit this memory
   */
  RetrievalStep retrievalStep(RecallOptions options);
}
