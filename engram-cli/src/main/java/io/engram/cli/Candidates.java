package io.engram.cli;

import io.engram.memory.Separation;
import io.engram.network.Activation;
import io.engram.weights.WeightsMode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The values of the options that take one of a fixed set, for the shell completion script ({@code
 * engram completion}; picocli's {@code completionCandidates}). Each list comes from the names the
 * option's parser accepts, so that a new rule or separation is offered without a second list.
 *
 * <p>The {@code true|false} options ({@code --subtract-mean} and the like) and the options that
 * take a path get theirs from {@link CompletionCommand#completionModel}: picocli 4.7's script
 * completes every boolean option as a flag, whatever its arity, and a string as anything.
 */
final class Candidates {

  private Candidates() {}

  /** {@code --rule}: the learning rules of the classical network. */
  static final class Rules implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return LabMemories.RULES.iterator();
    }
  }

  /** {@code --memory}: classical or modern. */
  static final class Kinds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of(MemoryKinds.CLASSICAL, MemoryKinds.MODERN).iterator();
    }
  }

  /** {@code --separation}: softmax, polynomial, rectified, exp. */
  static final class Separations implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Separation.values()).map(Separation::id).iterator();
    }
  }

  /** {@code train --weights}: auto, dense, low-rank. */
  static final class WeightModes implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(WeightsMode.values()).map(WeightsMode::id).iterator();
    }
  }

  /** {@code --activation}: sign, tanh, sigmoid. */
  static final class Activations implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Activation.values()).map(Activation::id).iterator();
    }
  }

  /** {@code --update}: sync or async. */
  static final class Updates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("sync", "async").iterator();
    }
  }
}
