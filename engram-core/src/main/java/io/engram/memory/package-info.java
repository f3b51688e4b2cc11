/**
 * Memory kinds beyond the classical network: the modern Hopfield memory ({@link
 * io.engram.memory.ModernHopfieldMemory}, dense associative memory), which stores the patterns
 * themselves and retrieves through the softmax or a {@link io.engram.memory.Separation} function,
 * and its retrieval step ({@link io.engram.memory.ModernStep}), which the network package's one
 * recall loop ({@code RecallEngine}) runs; the step's scan over the stored patterns is a strategy,
 * so that a memory holding them elsewhere (sharded on a cluster) finishes its steps the same way.
 * Built on the network's {@code Memory} and {@code RetrievalStep} and on the retrieval kernels;
 * model files of this kind are read and written by {@code io.engram.io}.
 *
 * <p>Null arguments: a null argument is a {@link NullPointerException} whose message is the
 * parameter's name ({@code Objects.requireNonNull(x, "x")}, as the JDK), unless the parameter's
 * documentation gives null a meaning (a listener: none; options: the defaults); a null element
 * inside an array or list argument (a row, a cue of a batch) is bad data, an {@link
 * IllegalArgumentException} naming its index.
 */
package io.engram.memory;
