package io.engram.weights;

/**
 * Progress of one training call, for the updates that take a while (dense weights: the symmetric
 * rank-k update, {@code P·N·(N+1)/2} multiply-adds). Pass one to a trainer's or learning rule's
 * {@code train(patterns, listener)} or to {@link
 * io.engram.network.AmariHopfieldNetwork#apply(io.engram.network.WeightUpdate, boolean,
 * TrainingListener)}, e.g. to drive a progress bar.
 *
 * <p>Calls come one at a time, from the kernel threads, with {@code done} increasing up to {@code
 * total}. Quick updates (low-rank weights store the patterns in O(P·N)) report nothing; a call that
 * first converts low-rank weights to dense reports that replay as passes of its own, each starting
 * again from 0. The listener should return quickly and must not throw: one that throws is dropped
 * for the rest of the pass (a WARNING is logged) and the training completes, so the weights are
 * never left half-updated. It must not train, resize, convert, recall or take the energy of the
 * network being trained (whose W a dense update changes in place): those calls throw an {@link
 * IllegalStateException} there.
 */
@FunctionalInterface
public interface TrainingListener {

  /** {@code done} of {@code total} units of work (multiply-adds) of the current pass finished. */
  void onProgress(long done, long total);
}
