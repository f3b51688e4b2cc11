package io.engram.network;

import java.util.List;

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
   * The retrieval step this memory recalls with (for custom loops, tools that step a memory, and
   * distributed recall), under the given options' overrides.
   *
   * @throws IllegalArgumentException if the options do not fit this memory
   */
  RetrievalStep retrievalStep(RecallOptions options);
}
