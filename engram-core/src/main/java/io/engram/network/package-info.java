/**
 * Memories and recall: the classical {@link io.engram.network.AmariHopfieldNetwork} (weights,
 * state, {@link io.engram.network.Dynamics}), the {@link io.engram.network.Memory} interface every
 * memory kind implements, and the one recall loop, {@link io.engram.network.RecallEngine}, which
 * runs any memory's {@link io.engram.network.RetrievalStep} with its stops, listeners and
 * threading. Training reaches a network as a {@link io.engram.network.WeightUpdate} prepared by a
 * learning rule; this package does not know the rules.
 *
 * <p>Null arguments: a null argument is a {@link NullPointerException} whose message is the
 * parameter's name ({@code Objects.requireNonNull(x, "x")}, as the JDK), unless the parameter's
 * documentation gives null a meaning (a listener: none; options: the defaults); a null element
 * inside an array or list argument (a row, a cue of a batch) is bad data, an {@link
 * IllegalArgumentException} naming its index.
 */
package io.engram.network;
