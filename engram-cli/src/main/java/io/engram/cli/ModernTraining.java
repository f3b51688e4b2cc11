package io.engram.cli;

import io.engram.io.DType;
import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import io.engram.io.Patterns;
import io.engram.learning.PatternBlock;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code engram train} for modern memory ({@code --memory modern}, or {@code --init} of a modern
 * model): the patterns are appended to the memory's X and the model written. Decides the kind
 * first, so that {@link TrainCommand} runs only the classical path itself.
 */
final class ModernTraining {

  private ModernTraining() {}

  /**
   * Trains modern memory when that is the kind asked for (or the {@code --init} model's kind) and
   * returns the exit status; returns null for the classical network, after rejecting the modern
   * options.
   */
  static Integer runIfModern(TrainCommand t) throws Exception {
    String given = t.memory == null ? null : MemoryKinds.parse(t.memory);
    String kind = given;
    if (t.init != null) {
      String initKind = MemoryKinds.of("--init", t.init);
      if (given != null && !given.equals(initKind)) {
        throw new UserError(
            "--init "
                + t.init
                + " is a "
                + initKind
                + " memory, but --memory "
                + given
                + " was given");
      }
      kind = initKind;
    }
    if (kind == null || kind.equals(MemoryKinds.CLASSICAL)) {
      if (t.remove != null) {
        throw new UserError(
            "--remove forgets stored patterns of a modern memory; "
                + t.init
                + " is a classical network, which keeps no patterns to remove: unlearn one by"
                + " training it with --rule anti-hebbian");
      }
      MemoryKinds.reject(
          t.spec,
          "the classical network (it applies to --memory modern)",
          MemoryKinds.MODERN_TRAINING);
      return null;
    }
    MemoryKinds.reject(t.spec, "modern memory", MemoryKinds.CLASSICAL_TRAINING);
    MemoryKinds.reject(t.spec, "modern memory", MemoryKinds.DYNAMICS);
    Separation sep = null;
    if (t.separation != null) {
      try {
        sep = Separation.parse(t.separation);
      } catch (IllegalArgumentException e) {
        throw new UserError("--" + e.getMessage());
      }
    }
    Images.Size size = t.size == null ? null : Images.Size.parse(t.size);
    Path outFile = Outputs.file("--out", t.out);
    Outputs files = t.outputs(outFile);
    ModernHopfieldMemory memory;
    Rows block;
    int removed = 0;
    try (Progress bar = Progress.start("train", -1, Progress.enabled(t.quiet), System.err)) {
      block = t.patterns.isEmpty() ? Rows.NONE : Rows.direct(t.patterns);
      if (block == null) {
        Inputs.Data data =
            Inputs.naming("--patterns", t.patterns, () -> Inputs.read(t.patterns, size, bar));
        data.warn(t.spec.commandLine().getErr());
        block = Rows.of(data.block());
        Inputs.sizeApplies(size, data.size() != null, "--patterns");
      } else if (t.patterns.isEmpty() && size != null) {
        // (--remove alone: the message said "--patterns holds arrays" of no --patterns at all)
        throw new UserError(
            "--size " + size + " resizes --patterns images, but none are given; leave --size out");
      } else {
        Inputs.sizeApplies(size, false, "--patterns");
      }
      if (t.init != null) {
        files.reading("--init");
        memory = Inputs.readModern("--init", t.init);
        if (!block.isEmpty() && block.length() != memory.numNeurons()) {
          throw new UserError(
              "patterns have length "
                  + block.length()
                  + ", but the --init memory has N = "
                  + memory.numNeurons()
                  + " (modern memory does not resize)");
        }
        if (sep != null || t.beta != null || t.degree != null) {
          Separation s = sep != null ? sep : memory.separation();
          memory.setSeparation(s, beta(t, s, memory.numNeurons(), memory), degree(t, s, memory));
        }
        if (t.remove != null) {
          removed = remove(memory, t.remove, t.init);
        }
      } else {
        if (block.isEmpty()) {
          throw new UserError("no patterns to store, and no --init memory to start from");
        }
        Separation s = sep != null ? sep : Separation.SOFTMAX;
        memory =
            ModernHopfieldMemory.of(
                block.length(), s, beta(t, s, block.length(), null), degree(t, s, null));
      }
      // X.npy must be readable: refused before the patterns are stored, nothing written
      ModelLimits.modern(t.out, memory.size(), block.count(), memory.numNeurons());
      if (!block.isEmpty()) {
        bar.setTask("storing " + Words.count(block.count(), "pattern"));
      }
      memory = block.storeIn(memory);
      checkBetaFits(t, memory);
      bar.setTask("writing " + t.out);
      ModernHopfieldMemory stored = memory;
      files.add("--out", outFile, s -> ModelFile.builder(stored).writeTo(s)).write();
    }
    if (!t.quiet) {
      t.spec
          .commandLine()
          .getOut()
          .println(
              (removed > 0 ? "removed " + Words.count(removed, "pattern") : "")
                  + (removed > 0 && !block.isEmpty() ? ", " : "")
                  + (removed == 0 || !block.isEmpty()
                      ? "stored "
                          + Words.count(block.count(), "pattern")
                          + " of length "
                          + memory.numNeurons()
                      : "")
                  + (removed > 0 && block.isEmpty() ? " from" : " in")
                  + " modern memory ("
                  + settings(memory)
                  + "); P = "
                  + memory.size()
                  + ", N = "
                  + memory.numNeurons()
                  + "; model written to "
                  + Outputs.written(t.out));
    }
    return 0;
  }

  /**
   * Removes the stored patterns at {@code indices} from {@code memory} (all or none) and returns
   * how many.
   *
   * @throws UserError for an index that is not a stored pattern's, or one given twice
   */
  private static int remove(
      ModernHopfieldMemory memory, java.util.List<Integer> indices, Path init) {
    int p = memory.size();
    int[] at = new int[indices.size()];
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int j = 0; j < at.length; j++) {
      Integer index = indices.get(j);
      if (index == null || index < 0 || index >= p) {
        throw new UserError(
            "--remove "
                + index
                + ": "
                + init
                + (p == 0
                    ? " stores no patterns"
                    : " stores " + Words.count(p, "pattern") + ", numbered 0 to " + (p - 1)));
      }
      if (!seen.add(index)) {
        throw new UserError("--remove " + index + " is given twice");
      }
      at[j] = index;
    }
    memory.remove(at);
    return at.length;
  }

  /**
   * A number > 0 that the memory computes with in float32: a finite positive value outside that
   * range ({@code 1e-300}, {@code 3.5e38}) is named as such, not as "not finite".
   */
  static float positiveFloat32(String option, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new UserError(option + " must be a finite number > 0, got " + v);
    }
    float f = (float) v;
    if (!(f > 0) || !Float.isFinite(f)) {
      throw new UserError(
          option
              + " "
              + v
              + " is outside float32, in which the memory computes: give a value from "
              + Float.MIN_VALUE
              + " to "
              + Float.MAX_VALUE);
    }
    return f;
  }

  /**
   * Refuses a softmax memory whose β times the score of its largest stored pattern with itself
   * ({@code M²}) overflows float32: no cue near a stored pattern could be recalled from it ({@code
   * --beta 3e38} wrote a model whose recall of its own patterns failed).
   */
  private static void checkBetaFits(TrainCommand t, ModernHopfieldMemory memory) {
    if (!memory.separation().usesBeta() || memory.size() == 0) {
      return;
    }
    double m2 = memory.maxNorm() * memory.maxNorm();
    if (memory.beta() * m2 <= Float.MAX_VALUE) {
      return;
    }
    throw new UserError(
        (t.beta != null ? "--beta " + memory.beta() : "β = " + memory.beta())
            + " is too large for these patterns: times the score of the largest stored pattern"
            + " with itself ("
            + (float) m2
            + ") it overflows float32, so no stored pattern could be recalled; give --beta below "
            + (float) (Float.MAX_VALUE / m2));
  }

  /** β for the separation: the given one, the current memory's, or the default. */
  private static float beta(TrainCommand t, Separation s, int n, ModernHopfieldMemory current) {
    if (!s.usesBeta()) {
      if (t.beta != null) {
        throw new UserError("--beta does not apply to --separation " + s.id());
      }
      return Float.NaN;
    }
    if (t.beta != null) {
      return positiveFloat32("--beta", t.beta);
    }
    if (current != null && current.separation().usesBeta()) {
      return current.beta();
    }
    return ModernHopfieldMemory.defaultBeta(s, n);
  }

  /** The degree for the separation: the given one, the current memory's, or the default. */
  private static int degree(TrainCommand t, Separation s, ModernHopfieldMemory current) {
    if (!s.usesDegree()) {
      if (t.degree != null) {
        throw new UserError("--degree does not apply to --separation " + s.id());
      }
      return 0;
    }
    if (t.degree != null) {
      if (t.degree < 2 || t.degree > ModernHopfieldMemory.MAX_DEGREE) {
        throw new UserError(
            "--degree must be in 2.." + ModernHopfieldMemory.MAX_DEGREE + ", got " + t.degree);
      }
      return t.degree;
    }
    if (current != null && current.separation().usesDegree()) {
      return current.degree();
    }
    return ModernHopfieldMemory.DEFAULT_DEGREE;
  }

  /** E.g. {@code softmax, β = 0.0625} or {@code polynomial, n = 3}. */
  static String settings(ModernHopfieldMemory m) {
    Separation s = m.separation();
    if (s.usesBeta()) {
      return s.id() + ", β = " + m.beta();
    }
    return s.id() + ", n = " + m.degree();
  }

  /**
   * The patterns to store: P x N values row by row, and the file they came from when they were read
   * straight from it (for the messages of the memory's own checks).
   */
  record Rows(FloatBuffer values, int count, int length, Path file, float[] owned) {

    /** No patterns (--remove alone). */
    static final Rows NONE = new Rows(FloatBuffer.allocate(0), 0, 0, null, null);

    static Rows of(PatternBlock b) {
      return new Rows(b.rows(), b.count(), b.length(), null, null);
    }

    /**
     * One {@code .npy} file: float32 values (little-endian, C order once read) as read, without a
     * {@link PatternBlock} between the file and the memory (a copy of the patterns and a scan of
     * them that the memory does again: some 70 ms of a 10 MB store, 12% of the command); other
     * types and shapes through the block, as any pattern file, from the array read once. Null for
     * anything else (images, CSV, several files, a pipe), which {@link Inputs#read} reads.
     */
    static Rows direct(java.util.List<Path> files) throws java.io.IOException {
      if (files.size() != 1) {
        return null;
      }
      Path f = files.get(0);
      if (!Files.isRegularFile(f) || !Inputs.isNpy(f)) {
        return null;
      }
      if (Patterns.beyondOneBuffer(f)) {
        // more than 2 GiB of data: straight from the file into one array of floats
        Patterns.FloatRows r = Patterns.readFloatRows(f);
        return new Rows(FloatBuffer.wrap(r.values()), r.rows(), r.cols(), f, r.values());
      }
      NdArray a = Npy.read(f);
      int rank = a.rank();
      if (a.dtype() == DType.FLOAT32 && (rank == 1 || rank == 2) && a.size() > 0) {
        return new Rows(a.floats(), rank == 1 ? 1 : a.dim(0), a.dim(rank - 1), f, null);
      }
      return of(Inputs.patternsOf(f, a));
    }

    boolean isEmpty() {
      return count == 0;
    }

    /**
     * Stores the rows in {@code memory} and returns the memory holding them: {@code memory}, or,
     * when it is empty and the rows are an array read for it alone, a memory of its settings that
     * keeps that array as X (no second array of X's size: a 2 GiB file needed 4 GiB of heap). A bad
     * pattern is named with the file it is in.
     */
    ModernHopfieldMemory storeIn(ModernHopfieldMemory memory) {
      try {
        if (owned != null && memory.size() == 0) {
          return ModernHopfieldMemory.wrap(
              memory.numNeurons(),
              memory.separation(),
              memory.beta(),
              memory.degree(),
              owned,
              count);
        }
        memory.storeRows(values, count);
        return memory;
      } catch (IllegalArgumentException e) {
        throw file == null ? e : new UserError(file + ": " + e.getMessage(), e);
      }
    }
  }
}
