/**
 * Learning rules and their inputs: {@link io.engram.learning.LearningRule} (a strategy that
 * prepares one training call of a network), the rules ({@link io.engram.learning.HebbianRule} for
 * Hebbian and anti-Hebbian learning, {@link io.engram.learning.PseudoInverseRule} (projection) and
 * {@link io.engram.learning.StorkeyRule}), CANNs-style trainers ({@link
 * io.engram.learning.HebbianTrainer}, {@link io.engram.learning.AntiHebbianTrainer}, {@link
 * io.engram.learning.Trainer}), validated pattern sets ({@link io.engram.learning.PatternBlock})
 * and their combinable statistics ({@link io.engram.learning.PatternStats}).
 *
 * <p>Null arguments: a null argument is a {@link NullPointerException} whose message is the
 * parameter's name ({@code Objects.requireNonNull(x, "x")}, as the JDK), unless the parameter's
 * documentation gives null a meaning (a listener: none; options: the defaults); a null element
 * inside an array or list argument (a row, a cue of a batch) is bad data, an {@link
 * IllegalArgumentException} naming its index.
 */
package io.engram.learning;
