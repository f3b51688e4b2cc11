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
 *
 * <p>Null arguments: a null argument is a {@link NullPointerException} whose message is the
 * parameter's name ({@code Objects.requireNonNull(x, "x")}, as the JDK), unless the parameter's
 * documentation gives null a meaning (a listener: none; options: the defaults); a null element
 * inside an array or list argument (a row, a cue of a batch) is bad data, an {@link
 * IllegalArgumentException} naming its index.
 */
package io.engram.weights;
