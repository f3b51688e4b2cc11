/**
 * Weight matrices behind one sealed interface, {@link io.engram.weights.Weights}: dense N x N
 * ({@link io.engram.weights.DenseWeights}) and low-rank forms that never build the N x N matrix
 * ({@link io.engram.weights.LowRankWeights}), named by {@link io.engram.weights.Representation}.
 * {@link io.engram.weights.WeightsMode} is the user's choice among them. The matrix operations
 * learning rules are built from (symmetric rank-k updates, diagonal handling, conversions) live
 * here; the rules themselves do not.
 */
package io.engram.weights;
