/**
 * Memories and recall: the classical {@link io.engram.network.AmariHopfieldNetwork} (weights,
 * state, {@link io.engram.network.Dynamics}), the {@link io.engram.network.Memory} interface every
 * memory kind implements, and the one recall loop, {@link io.engram.network.RecallEngine}, which
 * runs any memory's {@link io.engram.network.RetrievalStep} with its stops, listeners and
 * threading. Training reaches a network as a {@link io.engram.network.WeightUpdate} prepared by a
 * learning rule; this package does not know the rules.
 */
package io.engram.network;
