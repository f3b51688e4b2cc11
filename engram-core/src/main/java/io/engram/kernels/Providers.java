package io.engram.kernels;

import java.lang.System.Logger.Level;

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
    requireValidSettings();
    return Holder.VECTOR;
  }

  /** The kernels in use. */
  static KernelProvider chosen() {
    requireValidSettings();
    return Holder.PROVIDER;
  }

  /**
   * The kernels for a call made now on this thread: the ones in use, or, while {@link KernelWarmup}
   * says so, kernels that run their {@link KernelProvider#standIn() stand-in} until the warm-up
   * ends (a long call switches to the kernels in use as soon as it has, at its next kernel call).
   */
  static KernelProvider forCall() {
    requireValidSettings();
    if (KernelWarmup.twinOnly()) {
      KernelProvider twin = OnDemand.TWIN;
      if (twin != null) {
        return twin;
      }
    }
    return KernelWarmup.useTwin() ? Holder.SWITCHING : Holder.PROVIDER;
  }

  /**
   * The kernels that choose per call between the SIMD kernels and their twin ({@link
   * KernelWarmup#useTwin(int)}), as {@link #forCall} gives them while a warm-up runs; the chosen
   * kernels themselves where they have no twin.
   */
  static KernelProvider switching() {
    requireValidSettings();
    return Holder.SWITCHING;
  }

  /** The kernels asked for by {@value Kernels#VECTORIZATION_PROPERTY}: auto, panama or scalar. */
  private static String mode() {
    return Settings.vectorization();
  }

  /**
   * Throws where the kernels' settings cannot be followed (a value the property cannot have, or
   * {@code panama} without the Vector API module): at every call that asks for kernels, never in a
   * class's initialisation (which left the kernels' holder unusable, a NoClassDefFoundError at
   * every later call, and the first error on the warm-up thread).
   *
   * @throws IllegalStateException naming the setting
   */
  static void requireValidSettings() {
    String problem = Check.PROBLEM;
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
  }

  /** The kernels' settings checked once, before the holders read them: the problem, or null. */
  private static final class Check {
    static final String PROBLEM = problem();

    private static String problem() {
      try {
        Settings.checkKernels();
        if (mode().equals("panama") && vectorModule() == null) {
          return Kernels.VECTORIZATION_PROPERTY
              + "=panama but the Vector API is not available: run java with --add-modules"
              + " jdk.incubator.vector";
        }
        return null;
      } catch (IllegalStateException e) {
        return e.getMessage();
      }
    }
  }

  /**
   * The Vector API module, read by this library from now on (as a named module it reads the
   * incubator module only when asked to), or null when the JVM does not have it.
   */
  private static Module vectorModule() {
    Module vector = ModuleLayer.boot().findModule("jdk.incubator.vector").orElse(null);
    if (vector != null) {
      Providers.class.getModule().addReads(vector);
    }
    return vector;
  }

  /** The twin {@link #forCall} returns while {@link KernelWarmup#twinOnly}, or null (for tests). */
  static KernelProvider onDemandTwin() {
    requireValidSettings();
    return OnDemand.TWIN;
  }

  /**
   * The SIMD kernels' plain-Java twin, made without loading the kernels, for the calls of {@link
   * KernelWarmup#twinOnly} (a command whose work may stay small): loading them initialises the
   * Vector API's operators and their method handles, 30-70 ms of a fresh JVM on the project machine
   * (an image recall 482 against 550 ms median without it), which such a command then never pays.
   * Null where the SIMD kernels would not be the ones in use (plain Java chosen, or no Vector API
   * module); {@link Holder} decides then, as for every call once the warm-up starts. The twin's
   * lanes are the kernels' ({@link Kernels#speciesBits}), so a call gets the same bits either way.
   */
  private static final class OnDemand {
    static final KernelProvider TWIN = twin();

    private static KernelProvider twin() {
      String mode = mode();
      if (!(mode.equals("auto") || mode.equals("panama")) || vectorModule() == null) {
        return null;
      }
      try {
        Object species =
            Class.forName("jdk.incubator.vector.FloatVector")
                .getField("SPECIES_PREFERRED")
                .get(null);
        int preferred =
            (Integer)
                Class.forName("jdk.incubator.vector.VectorSpecies")
                    .getMethod("vectorBitSize")
                    .invoke(species);
        return new PanamaTwin(Kernels.speciesBits(preferred) / 32);
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return null;
      }
    }
  }

  /**
   * The SIMD kernels' twin at the width they would have in this JVM, for a JVM without the Vector
   * API module that asks for it ({@link Kernels#TWIN_PROPERTY}); null otherwise, or where the width
   * cannot be read.
   */
  private static KernelProvider twinWithoutModule() {
    if (!Settings.flag(Kernels.TWIN_PROPERTY, false)) {
      return null;
    }
    int bits = preferredBitsWithoutModule();
    return bits > 0 ? new PanamaTwin(Kernels.speciesBits(bits) / 32) : null;
  }

  /**
   * The bit size of the Vector API's preferred species in this JVM, read from {@code java.base}'s
   * vector support without the incubator module: the smallest over the element types of their
   * widest vector (at least 64 bits), as the Vector API reckons its preferred shape; -1 where the
   * package is not exported to this code. {@code PanamaTwinTest} checks it against {@code
   * FloatVector.SPECIES_PREFERRED} where the module is present.
   */
  static int preferredBitsWithoutModule() {
    try {
      java.lang.reflect.Method lanes =
          Class.forName("jdk.internal.vm.vector.VectorSupport")
              .getMethod("getMaxLaneCount", Class.class);
      Class<?>[] types = {
        byte.class, short.class, int.class, long.class, float.class, double.class
      };
      int[] sizes = {8, 16, 32, 64, 32, 64};
      int bits = Integer.MAX_VALUE;
      for (int t = 0; t < types.length; t++) {
        int count = (Integer) lanes.invoke(null, types[t]);
        bits = Math.min(bits, Math.max(count * sizes[t], 64));
      }
      return bits;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return -1;
    }
  }

  private static final class Holder {
    static final KernelProvider VECTOR = loadVector();
    static final KernelProvider PROVIDER = choose();
    static final KernelProvider SWITCHING =
        PROVIDER.standIn() == PROVIDER ? PROVIDER : new Switching(PROVIDER);

    private static KernelProvider loadVector() {
      if (vectorModule() == null) {
        return null;
      }
      try {
        Class<?> c = Class.forName("io.engram.kernels.PanamaKernels");
        return (KernelProvider) c.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return null;
      }
    }

    private static KernelProvider choose() {
      String mode = mode();
      switch (mode) {
        case "scalar":
          return ScalarKernels.INSTANCE;
        case "panama":
          if (VECTOR == null) {
            // the module is there (Check), its kernels failed to load
            throw new IllegalStateException(
                Kernels.VECTORIZATION_PROPERTY
                    + "=panama but the Vector API kernels could not be loaded");
          }
          return VECTOR;
        case "auto":
          if (VECTOR == null) {
            KernelProvider twin = twinWithoutModule();
            if (twin != null) {
              return twin;
            }
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

  /**
   * Each call on the stand-in while the warm-up has not yet seen its family of kernels run
   * compiled, else on the kernels themselves. A class of its own, so that the kernels' methods (and
   * the profiles C2 compiles them from) never see the choice: when the branch taken changes, only
   * these small methods are recompiled.
   */
  private static final class Switching implements KernelProvider {
    private final KernelProvider kernels;
    private final KernelProvider standIn;

    Switching(KernelProvider kernels) {
      this.kernels = kernels;
      this.standIn = kernels.standIn();
    }

    private KernelProvider now(int family) {
      return KernelWarmup.useTwin(family) ? standIn : kernels;
    }

    /** {@link #now} for the dot products, which the warm-up warms once they are called. */
    private KernelProvider dots() {
      KernelWarmup.want(KernelWarmup.DOTS);
      return now(KernelWarmup.DOTS);
    }

    /** {@link #now} for the retrieval family, which the warm-up warms once it is called. */
    private KernelProvider retrieval() {
      KernelWarmup.want(KernelWarmup.RETRIEVAL);
      return now(KernelWarmup.RETRIEVAL);
    }

    @Override
    public String name() {
      return kernels.name();
    }

    @Override
    public boolean fusedTiles() {
      // both the kernels and their stand-in (the same bits)
      return kernels.fusedTiles() && standIn.fusedTiles();
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
      return dots().dot(a, aOff, b, bOff, n);
    }

    @Override
    public void dot4x4(float[] a, int[] aOff, float[][] b, int[] bOff, int n, float[] out) {
      dots().dot4x4(a, aOff, b, bOff, n, out);
    }

    @Override
    public float laneDot(float[] a, int aOff, float[] b, int bOff, int n) {
      return dots().laneDot(a, aOff, b, bOff, n);
    }

    @Override
    public void divide(float[] v, int off, int n, float d) {
      now(KernelWarmup.ELEMENTWISE).divide(v, off, n, d);
    }

    @Override
    public void add(float[] src, int sOff, float[] dst, int dOff, int n) {
      now(KernelWarmup.ELEMENTWISE).add(src, sOff, dst, dOff, n);
    }

    @Override
    public void tile(
        int mr,
        int nr,
        int k,
        float[] a,
        int aOff,
        int aRs,
        int aCs,
        float[] b,
        int bOff,
        int ldb,
        float[] out,
        boolean add) {
      // the SIMD kernels' full tiles (8 rows, panels 32 or 16 wide) compile apart from the rest
      int family = KernelWarmup.TILES;
      if (mr != MR || (ldb != NR && ldb != NR / 2)) {
        family = KernelWarmup.MASKED;
        KernelWarmup.want(family); // (warmed only once called)
      }
      now(family).tile(mr, nr, k, a, aOff, aRs, aCs, b, bOff, ldb, out, add);
    }

    // tileInto and tileAddInto: the interface's definitions, through tile and add above (only a
    // process that warms up calls these kernels, and there the SIMD kernels would take the same
    // path: see KernelWarmup.warmsUp)

    // the retrieval and Storkey kernels below give the same bits in every provider

    @Override
    public void maxMin(float[] v, int off, int ld, int rows, int n, float[] max, float[] min) {
      retrieval().maxMin(v, off, ld, rows, n, max, min);
    }

    @Override
    public void expShift(
        float[] v, int off, int ld, int rows, int n, float beta, float[] shift, float[] sum) {
      retrieval().expShift(v, off, ld, rows, n, beta, shift, sum);
    }

    @Override
    public void scale(float[] v, int off, int n, float f) {
      retrieval().scale(v, off, n, f);
    }

    @Override
    public void axpby(float a, float[] x, int xOff, float b, float[] y, int yOff, int n) {
      retrieval().axpby(a, x, xOff, b, y, yOff, n);
    }

    @Override
    public void axpyRows(
        int rows,
        float[] w,
        int wOff,
        int wStride,
        float[] x,
        int xOff,
        int ldx,
        float[] y,
        int yOff,
        int n) {
      now(KernelWarmup.ELEMENTWISE).axpyRows(rows, w, wOff, wStride, x, xOff, ldx, y, yOff, n);
    }

    @Override
    public void axpyRowsEach(
        int m,
        int rows,
        float[] w,
        int wOff,
        int wStride,
        float[] x,
        int xOff,
        int ldx,
        float[] y,
        int yOff,
        int ldy,
        int n) {
      now(KernelWarmup.ELEMENTWISE)
          .axpyRowsEach(m, rows, w, wOff, wStride, x, xOff, ldx, y, yOff, ldy, n);
    }

    @Override
    public void axpyRowsEachInto(
        int m,
        int rows,
        float[] w,
        int wOff,
        int wStride,
        float[] x,
        int xOff,
        int ldx,
        float[] y,
        int yOff,
        int ldy,
        int n) {
      now(KernelWarmup.ELEMENTWISE)
          .axpyRowsEachInto(m, rows, w, wOff, wStride, x, xOff, ldx, y, yOff, ldy, n);
    }

    @Override
    public void axpyRowsInto(
        int m,
        int rows,
        float[] w,
        int wOff,
        int wStride,
        float[] x,
        int xOff,
        int ldx,
        float[][] y,
        int n) {
      now(KernelWarmup.ELEMENTWISE).axpyRowsInto(m, rows, w, wOff, wStride, x, xOff, ldx, y, n);
    }

    @Override
    public void storkeyRow(
        float[] w,
        int off,
        int j0,
        int j1,
        float xi,
        float ui,
        float ri,
        float[] x,
        float[] u,
        float[] r,
        float invN) {
      now(KernelWarmup.ELEMENTWISE).storkeyRow(w, off, j0, j1, xi, ui, ri, x, u, r, invN);
    }
  }
}
