package io.engram.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.learning.HebbianOptions;
import io.engram.learning.HebbianRule;
import io.engram.learning.HebbianTrainer;
import io.engram.learning.PatternBlock;
import io.engram.learning.PseudoInverseOptions;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import io.engram.network.Activation;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.Memory;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.TrainingRecord;
import io.engram.network.UpdateMode;
import io.engram.weights.DenseWeights;
import io.engram.weights.LowRankWeights;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A null argument to the public API of the core (the exported packages) is a {@link
 * NullPointerException} whose message is the parameter's name, as {@code Objects.requireNonNull(x,
 * "x")} gives and the JDK does: some methods threw an {@link IllegalArgumentException} ("cues is
 * null"), others a NullPointerException from deep inside, naming nothing. A parameter whose Javadoc
 * gives null a meaning (a listener: none; options: the defaults) is listed in {@link #NULLABLE} and
 * must not throw it. A null inside an array (a row of a {@code float[][]}) is bad data, an
 * IllegalArgumentException naming the row, and is not swept here.
 *
 * <p>The sweep calls every public constructor and method with an argument of a type it can make
 * (small valid values: a 4-neuron network, 4-value patterns), first with all of them given (a call
 * that fails so is left out: its arguments do not fit it), then with each reference argument null
 * in turn. The parameter names come from the class files ({@code -parameters}).
 */
class NullArgumentsTest {

  @TempDir Path dir;

  /** Packages not swept: not exported (kernels, internal). */
  private static final Set<String> INTERNAL = Set.of("io.engram.kernels", "io.engram.internal");

  /**
   * Parameters where null has a documented meaning, as {@code Class.method(parameter)}, with it:
   * these must not throw a NullPointerException for null.
   */
  private static final Map<String, String> NULLABLE =
      Map.ofEntries(
          Map.entry("AmariHopfieldNetwork.retrievalStep(options)", "the network's own dynamics"),
          Map.entry("ModernHopfieldMemory.retrievalStep(options)", "the defaults"),
          Map.entry("Memory.retrievalStep(options)", "the memory's own"),
          Map.entry("RecallOptions.withDynamics(d)", "the network's own dynamics"),
          // a batch's check of one cue: a null cue is a null element of the batch, named by its
          // index as the other checks of the cue ("query 4 is null")
          Map.entry("Cues.check(cue)", "an IllegalArgumentException naming the query"),
          // the raw results of a scan: the arrays a separation does not fill are null
          Map.entry("ScanResult.new(out)", "not filled"),
          Map.entry("ScanResult.new(sums)", "not filled"),
          Map.entry("ScanResult.new(stat)", "not filled"),
          Map.entry("ScanResult.new(energy)", "not filled"),
          Map.entry("ScanResult.new(topIndex)", "not filled"),
          Map.entry("ScanResult.new(topScore)", "not filled"));

  private int fresh;

  private static final float[][] PATTERNS = {{1, -1, 1, -1}, {-1, -1, 1, 1}};

  private AmariHopfieldNetwork network() {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(4);
    HebbianTrainer.create(net).train(PATTERNS);
    return net;
  }

  /** A fresh value of the type, or null when the sweep cannot make one. */
  private Object sample(Class<?> t) throws IOException {
    if (t == int.class) {
      return 4;
    }
    if (t == long.class) {
      return 1L;
    }
    if (t == double.class) {
      return 0.5;
    }
    if (t == float.class) {
      return 0.5f;
    }
    if (t == boolean.class) {
      return true;
    }
    if (t == float[].class) {
      return new float[] {1, -1, 1, -1};
    }
    if (t == float[][].class) {
      return new float[][] {PATTERNS[0].clone(), PATTERNS[1].clone()};
    }
    if (t == double[].class) {
      return new double[] {1, -1, 1, -1};
    }
    if (t == double[][].class) {
      return new double[][] {{1, -1, 1, -1}, {-1, -1, 1, 1}};
    }
    if (t == int[].class) {
      return new int[] {2, 0, 3, 1};
    }
    if (t == Path.class) {
      Path p = dir.resolve("file-" + fresh++ + ".npz");
      ModelFile.write(p, network());
      return p;
    }
    if (t == AmariHopfieldNetwork.class || t == Memory.class) {
      return network();
    }
    if (t == ModernHopfieldMemory.class) {
      ModernHopfieldMemory m = ModernHopfieldMemory.softmax(4);
      m.store(PATTERNS);
      return m;
    }
    if (t == Weights.class) {
      return network().weights();
    }
    if (t == LowRankWeights.class) {
      return LowRankWeights.zeros(4);
    }
    if (t == DenseWeights.class) {
      return network().weights().asDense();
    }
    if (t == Dynamics.class) {
      return Dynamics.DEFAULT;
    }
    if (t == RecallOptions.class) {
      return RecallOptions.defaults();
    }
    if (t == UpdateMode.class) {
      return UpdateMode.synchronous();
    }
    if (t == Activation.class) {
      return Activation.SIGN;
    }
    if (t == WeightsMode.class) {
      return WeightsMode.AUTO;
    }
    if (t == Separation.class) {
      return Separation.SOFTMAX;
    }
    if (t == PatternBlock.class) {
      return PatternBlock.of(PATTERNS);
    }
    if (t == HebbianOptions.class) {
      return HebbianOptions.DEFAULTS;
    }
    if (t == PseudoInverseOptions.class) {
      return PseudoInverseOptions.DEFAULTS;
    }
    if (t == HebbianRule.class) {
      return HebbianRule.hebbian(HebbianOptions.DEFAULTS);
    }
    if (t == NdArray.class) {
      return NdArray.ofFloats(new float[] {1, -1, 1, -1, -1, -1, 1, 1}, 2, 4);
    }
    if (t == TrainingRecord.class) {
      return network().history().get(0);
    }
    if (t == RecallResult.class) {
      return network().recall(PATTERNS[0]);
    }
    if (t == SplittableRandom.class) {
      return new SplittableRandom(1);
    }
    if (t == io.engram.analysis.HopfieldAnalyzer.class) {
      return io.engram.analysis.HopfieldAnalyzer.of(network(), PatternBlock.of(PATTERNS));
    }
    if (t == io.engram.analysis.Corruption.class) {
      return io.engram.analysis.Corruption.of(0.25, 0.25, 0.25);
    }
    if (t == HebbianTrainer.class) {
      return HebbianTrainer.create(network());
    }
    return null;
  }

  /** The public classes of the exported packages, nested ones too. */
  private static List<Class<?>> publicClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(
            AmariHopfieldNetwork.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("io/engram"))) {
      for (Path f : files.sorted().toList()) {
        String rel = root.relativize(f).toString();
        if (!rel.endsWith(".class") || rel.contains("package-info")) {
          continue;
        }
        String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
        String pkg = name.substring(0, name.lastIndexOf('.'));
        if (INTERNAL.contains(pkg)) {
          continue;
        }
        Class<?> c;
        try {
          c = Class.forName(name, false, AmariHopfieldNetwork.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        if (isPublic(c) && !Throwable.class.isAssignableFrom(c) && c != io.engram.Engram.class) {
          classes.add(c);
        }
      }
    }
    return classes;
  }

  private static boolean isPublic(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static String label(Executable e, Parameter p) {
    String name = e instanceof Constructor<?> ? "new" : e.getName();
    return e.getDeclaringClass().getSimpleName() + "." + name + "(" + p.getName() + ")";
  }

  /** A receiver for the instance methods of {@code c}, or null. */
  private Object receiver(Class<?> c) throws IOException {
    Object o = sample(c);
    if (o == null && c == HebbianTrainer.class.getSuperclass()) {
      o = HebbianTrainer.create(network());
    }
    return o;
  }

  private Object[] arguments(Executable e) throws IOException {
    Class<?>[] types = e.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = sample(types[i]);
      if (args[i] == null) {
        return null;
      }
    }
    return args;
  }

  private static Object call(Executable e, Object target, Object[] args) throws Throwable {
    try {
      if (e instanceof Method m) {
        return m.invoke(target, args);
      }
      return ((Constructor<?>) e).newInstance(args);
    } catch (InvocationTargetException x) {
      throw x.getCause();
    }
  }

  @Test
  void aNullArgumentIsANullPointerExceptionNamingTheParameter() throws Exception {
    List<String> wrong = new ArrayList<>();
    Set<String> checked = new TreeSet<>();
    Set<String> nullableSeen = new TreeSet<>();
    for (Class<?> c : publicClasses()) {
      List<Executable> members = new ArrayList<>();
      if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
        for (Constructor<?> k : c.getConstructors()) {
          members.add(k);
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
          members.add(m);
        }
      }
      members.sort(Comparator.comparing(Executable::toGenericString));
      for (Executable e : members) {
        Parameter[] ps = e.getParameters();
        boolean instance = e instanceof Method m && !Modifier.isStatic(m.getModifiers());
        boolean anyReference = false;
        for (Parameter p : ps) {
          anyReference |= !p.getType().isPrimitive();
        }
        if (!anyReference || e.getName().equals("equals")) {
          continue;
        }
        if (instance && receiver(c) == null) {
          continue;
        }
        Object[] valid = arguments(e);
        if (valid == null) {
          continue;
        }
        try {
          call(e, instance ? receiver(c) : null, valid);
        } catch (Throwable t) {
          continue; // the sample arguments do not fit this member
        }
        for (int i = 0; i < ps.length; i++) {
          if (ps[i].getType().isPrimitive()) {
            continue;
          }
          assertTrue(ps[i].isNamePresent(), "compiled without -parameters: " + e);
          String label = label(e, ps[i]);
          Object[] args = arguments(e);
          args[i] = null;
          Throwable thrown = null;
          try {
            call(e, instance ? receiver(c) : null, args);
          } catch (Throwable t) {
            thrown = t;
          }
          if (NULLABLE.containsKey(label)) {
            nullableSeen.add(label);
            if (thrown instanceof NullPointerException) {
              wrong.add(label + ": documented as nullable, threw " + thrown);
            }
            continue;
          }
          checked.add(label);
          if (!(thrown instanceof NullPointerException)
              || !ps[i].getName().equals(thrown.getMessage())) {
            wrong.add(label + ": " + (thrown == null ? "returned normally" : thrown.toString()));
          }
        }
      }
    }
    assertEquals(List.of(), wrong, () -> String.join("\n", wrong));
    // not a sweep of nothing: the API is reached
    // (91 parameters when written; fewer means the sweep lost its reach)
    assertTrue(checked.size() >= 85, () -> checked.size() + " checked: " + checked);
    assertEquals(NULLABLE.keySet(), nullableSeen, "the nullable parameters were all reached");
  }
}
