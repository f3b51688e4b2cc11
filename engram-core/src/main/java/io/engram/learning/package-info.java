/**
 * Learning rules and their inputs: {@link io.engram.learning.LearningRule} (a strategy that
 * prepares one training call of a network), the rules ({@link io.engram.learning.HebbianRule} for
 * Hebbian and anti-Hebbian learning, {@link io.engram.learning.PseudoInverseRule} (projection) and
 * {@link io.engram.learning.StorkeyRule}), CANNs-style trainers ({@link
 * io.engram.learning.HebbianTrainer}, {@link io.engram.learning.AntiHebbianTrainer}, {@link
 * io.engram.learning.Trainer}), validated pattern sets ({@link io.engram.learning.PatternBlock})
 * and their combinable statistics ({@link io.engram.learning.PatternStats}).
 */
package io.engram.learning;
