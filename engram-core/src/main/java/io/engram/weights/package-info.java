/**
 * Weight matrices behind one sealed interface, {@link io.engram.weights.Weights}: dense N x N
 * ({@link io.engram.weights.DenseWeights}), low-rank forms that never build the N x N matrix
 * ({@link io.engram.weights.LowRankWeights}) and the pseudo-inverse rule's projection onto the
 * stored patterns' span, kept as an r x N factor V whose rows span them ({@code W = VᵀV},
 * orthonormal rows without a ridge: {@link io.engram.weights.ProjectionWeights}, with {@link
 * io.engram.weights.ProjectionTarget} choosing the form an update continues), named by {@link
 * io.engram.weights.Representation}. {@link io.engram.weights.WeightsMode} is the user's choice
 * among them. The matrix operations learning rules are built from (symmetric rank-k updates,
 * diagonal handling, conversions) live here; the rules themselves do not.
 */
package io.engram.weights;
