/**
 * Engram core: associative memories (the classical Amari-Hopfield network with Hebbian,
 * anti-Hebbian and further learning rules, modern Hopfield memory), recall, analysis, weight
 * representations and numpy-compatible files. One dependency: EJML (dense symmetric factorizations
 * for the pseudo-inverse rule).
 *
 * <p>Exported: the API packages. Not exported: {@code io.engram.kernels} (the SIMD and plain-Java
 * kernels behind the API; their settings are in {@link io.engram.Engram}) and {@code
 * io.engram.internal} (a JSON reader and writer, shared with the command line only). The Vector API
 * module {@code jdk.incubator.vector} is read at run time when the JVM has it ({@code --add-modules
 * jdk.incubator.vector}); without it the plain-Java kernels run.
 */
// "module": io.engram.cli, the qualified export's target, is built after this module;
// "requires-automatic": EJML's jars are automatic modules
@SuppressWarnings({"module", "requires-automatic"})
module io.engram.core {
  // EJML 0.46.1 has no module descriptor nor Automatic-Module-Name: these are the names the JDK
  // derives from its jar names
  requires ejml.core;
  requires ejml.ddense;

  exports io.engram;
  exports io.engram.analysis;
  exports io.engram.io;
  exports io.engram.learning;
  exports io.engram.memory;
  exports io.engram.network;
  exports io.engram.weights;
  exports io.engram.internal to
      io.engram.cli;
}
