package io.engram.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the {@link KernelProvider} once, on first use (holder idiom), from the system property
 * {@value Kernels#VECTORIZATION_PROPERTY}: {@code auto} (the Vector API when the {@code
 * jdk.incubator.vector} module is present, else plain Java with one log line naming the flag),
 * {@code panama} (the Vector API or fail) or {@code scalar}. The Vector API kernels are loaded by
 * reflection, so this library loads and runs without the module.
 */
final class Providers {

  private Providers() {}

  /** The Vector API kernels, or null when the module is absent. */
  static KernelProvider vector() {
    return Holder.VECTOR;
  }

  /** The kernels in use. */
  static KernelProvider chosen() {
    return Holder.PROVIDER;
  }

  private static final class Holder {
    static final KernelProvider VECTOR = loadVector();
    static final KernelProvider PROVIDER = choose();

    private static KernelProvider loadVector() {
      Module vector = ModuleLayer.boot().findModule("jdk.incubator.vector").orElse(null);
      if (vector == null) {
        return null;
      }
      try {
        // as a named module, this library reads the incubator module only when asked to
        Providers.class.getModule().addReads(vector);
        Class<?> c = Class.forName("io.engram.kernels.PanamaKernels");
        return (KernelProvider) c.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return null;
      }
    }

    private static KernelProvider choose() {
      String mode =
          System.getProperty(Kernels.VECTORIZATION_PROPERTY, "auto")
              .trim()
              .toLowerCase(Locale.ROOT);
      switch (mode) {
        case "scalar":
          return ScalarKernels.INSTANCE;
        case "panama":
          if (VECTOR == null) {
            throw new IllegalStateException(
                Kernels.VECTORIZATION_PROPERTY
                    + "=panama but the Vector API is not available: run java with --add-modules"
                    + " jdk.incubator.vector");
          }
          return VECTOR;
        case "auto":
          if (VECTOR == null) {
            System.getLogger(Kernels.class.getName())
                .log(
                    Level.INFO,
                    "Engram uses plain-Java kernels; for SIMD add --add-modules"
                        + " jdk.incubator.vector to the java command line");
            return ScalarKernels.INSTANCE;
          }
          return VECTOR;
        default:
          throw new IllegalStateException(
              Kernels.VECTORIZATION_PROPERTY
                  + " is '"
                  + mode
                  + "', expected auto, panama or scalar");
      }
    }
  }
}
