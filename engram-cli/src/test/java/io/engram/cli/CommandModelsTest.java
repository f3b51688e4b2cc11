package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ITypeInfo;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The command models built from class files ({@link CommandModels}) are picocli's own, spec by
 * spec: for the root and every command, each option's and parameter's every attribute, the command
 * attributes, the usage help, and what parsing the same arguments sets in the command's fields.
 * picocli's reflection (the models every command was built with before) is the reference.
 */
class CommandModelsTest {

  /** The root and every command's class, picocli's help command included. */
  private static List<Class<?>> commandClasses() {
    List<Class<?>> classes = new ArrayList<>();
    classes.add(EngramCli.class);
    for (CommandLine c : EngramCli.withAllSubcommands().getSubcommands().values()) {
      classes.add(c.getCommandSpec().userObject().getClass());
    }
    return classes;
  }

  private static Object fresh(Class<?> type) throws Exception {
    Constructor<?> c = type.getDeclaredConstructor();
    c.setAccessible(true);
    return c.newInstance();
  }

  @Test
  void everyCommandIsBuiltFromItsClassFile() throws Exception {
    List<Class<?>> classes = commandClasses();
    assertEquals(10, classes.size(), classes.toString());
    assertTrue(classes.contains(CommandLine.HelpCommand.class), classes.toString());
    for (Class<?> c : classes) {
      // no fallback to reflection: spec() throws where it does not cover a command
      assertNotNull(CommandModels.spec(fresh(c)), c.getName());
    }
  }

  @Test
  void everyModelIsPicocliReflectiveModel() throws Exception {
    for (Class<?> c : commandClasses()) {
      CommandSpec fast = CommandModels.spec(fresh(c));
      CommandSpec reflective = CommandSpec.forAnnotatedObject(fresh(c));
      assertSameCommand(c.getSimpleName(), reflective, fast);
    }
  }

  @Test
  void everyUsageHelpIsTheSame() throws Exception {
    for (Class<?> c : commandClasses()) {
      // with Engram's help layout, as the commands print it
      CommandLine fastLine = new CommandLine(CommandModels.spec(fresh(c)));
      CommandLine reflectiveLine = new CommandLine(fresh(c));
      HelpLayout.install(fastLine);
      HelpLayout.install(reflectiveLine);
      String fast = fastLine.getUsageMessage(Ansi.OFF);
      String reflective = reflectiveLine.getUsageMessage(Ansi.OFF);
      assertEquals(reflective, fast, c.getSimpleName());
      assertTrue(fast.contains("--help"), c.getSimpleName());
    }
  }

  @Test
  void parsingSetsTheSameFields() throws Exception {
    Map<Class<?>, List<String[]>> cases = new LinkedHashMap<>();
    cases.put(
        TrainCommand.class,
        List.of(
            new String[] {"--patterns", "p.npy", "--out", "m.npz"},
            new String[] {
              "--patterns=p.npy", "--out", "m.npz", "--rule", "storkey", "--weights", "dense", "-q"
            },
            new String[] {"--patterns", "p.npy", "--out", "m.npz", "--memory", "modern"}));
    cases.put(
        RecallCommand.class,
        List.of(
            new String[] {"--model", "m.npz", "--queries", "q.npy", "--out", "r.npy"},
            new String[] {
              "--model",
              "m.npz",
              "--queries",
              "q.npy",
              "--out",
              "r.npy",
              "--iterations",
              "7",
              "--update",
              "async",
              "--seed",
              "3",
              "--report",
              "r.json"
            }));
    cases.put(InspectCommand.class, List.<String[]>of(new String[] {"m.npz", "--json"}));
    cases.put(
        CorruptCommand.class,
        List.<String[]>of(
            new String[] {
              "--patterns", "p.npy", "--flip", "0.25", "--seed", "1", "--out", "n.npy"
            }));
    cases.put(
        CapacityCommand.class,
        List.<String[]>of(new String[] {"--rule", "hebbian", "--neurons", "100"}));
    cases.put(
        ExportCommand.class,
        List.<String[]>of(new String[] {"--model", "m.npz", "--weights", "W.npy"}));
    for (Map.Entry<Class<?>, List<String[]>> e : cases.entrySet()) {
      for (String[] args : e.getValue()) {
        Object fast = fresh(e.getKey());
        Object reflective = fresh(e.getKey());
        CommandLine fastLine = new CommandLine(CommandModels.spec(fast));
        CommandLine reflectiveLine = new CommandLine(reflective);
        // both with the converters the CLI registers (paths as given, numbers checked)
        for (CommandLine line : List.of(fastLine, reflectiveLine)) {
          line.registerConverter(java.nio.file.Path.class, java.nio.file.Path::of);
        }
        String what = e.getKey().getSimpleName() + " " + Arrays.toString(args);
        CommandLine.ParseResult a = reflectiveLine.parseArgs(args);
        CommandLine.ParseResult b = fastLine.parseArgs(args);
        assertEquals(a.matchedArgs().size(), b.matchedArgs().size(), what);
        assertEquals(fields(reflective), fields(fast), what);
      }
    }
  }

  @Test
  void theMixinAndTheSpecFieldsAreSet() throws Exception {
    RecallCommand recall = new RecallCommand();
    CommandSpec spec = CommandModels.spec(recall);
    assertSame(spec, recall.spec);
    assertNotNull(recall.dynamics);
    assertTrue(spec.mixins().containsKey("dynamics"), spec.mixins().keySet().toString());
    assertTrue(spec.mixinStandardHelpOptions());
    assertSame(spec.mixins().get("dynamics").userObject(), recall.dynamics);
  }

  @Test
  void aCommandBeyondWhatItBuildsIsLeftToPicocli() throws Exception {
    assertThrows(CommandModels.Unsupported.class, () -> CommandModels.spec(new WithGroup()));
    CommandLine line = CommandModels.commandLine(new WithGroup());
    assertTrue(line.getCommandSpec().argGroups().size() == 1);
    line.parseArgs("--a", "1");
  }

  /** A command with an argument group, which the class-file model leaves to picocli. */
  @CommandLine.Command(name = "grouped")
  static final class WithGroup {
    static final class Group {
      @CommandLine.Option(names = "--a")
      int a;
    }

    @CommandLine.ArgGroup Group group;
  }

  @Test
  void classFileValuesAreTheAnnotationsValues() throws Exception {
    // every element of every option of train, read both ways
    for (Field f : TrainCommand.class.getDeclaredFields()) {
      CommandLine.Option reflective = f.getAnnotation(CommandLine.Option.class);
      if (reflective == null) {
        continue;
      }
      ClassFileAnnotations file = ClassFileAnnotations.of(TrainCommand.class);
      ClassFileAnnotations.Annotation a = file.ofField(f.getName()).get(0);
      CommandLine.Option fast =
          new PicocliAnnotations.OptionValues(
              new PicocliAnnotations.Values(
                  a.values(),
                  ClassFileAnnotations.of(CommandLine.Option.class).defaults(),
                  TrainCommand.class.getClassLoader()));
      for (java.lang.reflect.Method m : CommandLine.Option.class.getDeclaredMethods()) {
        if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())) {
          assertTrue(
              Objects.deepEquals(m.invoke(reflective), m.invoke(fast)), f.getName() + " " + m);
        }
      }
    }
  }

  private static Map<String, Object> fields(Object command) throws Exception {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field f : command.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      Object v = f.get(command);
      if (v instanceof CommandSpec || v == null) {
        values.put(f.getName(), v == null ? null : "spec");
      } else if (v.getClass() == DynamicsOptions.class) {
        values.put(f.getName(), fields(v));
      } else {
        values.put(f.getName(), v);
      }
    }
    return values;
  }

  private static void assertSameCommand(String what, CommandSpec a, CommandSpec b) {
    assertEquals(a.name(), b.name(), what);
    assertArrayEquals(a.aliases(), b.aliases(), what);
    assertArrayEquals(a.version(), b.version(), what);
    assertEquals(classOf(a.versionProvider()), classOf(b.versionProvider()), what);
    assertEquals(a.helpCommand(), b.helpCommand(), what);
    assertEquals(a.mixinStandardHelpOptions(), b.mixinStandardHelpOptions(), what);
    assertEquals(a.mixins().keySet(), b.mixins().keySet(), what);
    assertEquals(a.exitCodeOnSuccess(), b.exitCodeOnSuccess(), what);
    assertEquals(a.exitCodeOnInvalidInput(), b.exitCodeOnInvalidInput(), what);
    assertEquals(a.exitCodeOnExecutionException(), b.exitCodeOnExecutionException(), what);
    assertEquals(a.scopeType(), b.scopeType(), what);
    assertEquals(a.isAddMethodSubcommands(), b.isAddMethodSubcommands(), what);
    assertEquals(a.parser().separator(), b.parser().separator(), what);
    UsageMessageSpec u = a.usageMessage();
    UsageMessageSpec v = b.usageMessage();
    assertArrayEquals(u.description(), v.description(), what);
    assertArrayEquals(u.header(), v.header(), what);
    assertArrayEquals(u.footer(), v.footer(), what);
    assertArrayEquals(u.customSynopsis(), v.customSynopsis(), what);
    assertEquals(u.sortOptions(), v.sortOptions(), what);
    assertEquals(u.abbreviateSynopsis(), v.abbreviateSynopsis(), what);
    assertEquals(u.width(), v.width(), what);
    assertEquals(u.showDefaultValues(), v.showDefaultValues(), what);
    assertEquals(u.hidden(), v.hidden(), what);
    assertEquals(u.exitCodeList(), v.exitCodeList(), what);
    assertEquals(a.options().size(), b.options().size(), what);
    for (int i = 0; i < a.options().size(); i++) {
      OptionSpec o = a.options().get(i);
      OptionSpec p = b.options().get(i);
      String w = what + " " + o.longestName();
      assertArrayEquals(o.names(), p.names(), w);
      assertEquals(o.usageHelp(), p.usageHelp(), w);
      assertEquals(o.versionHelp(), p.versionHelp(), w);
      assertEquals(o.negatable(), p.negatable(), w);
      assertEquals(o.fallbackValue(), p.fallbackValue(), w);
      assertEquals(o.order(), p.order(), w);
      assertSameArg(w, o, p);
    }
    assertEquals(a.positionalParameters().size(), b.positionalParameters().size(), what);
    for (int i = 0; i < a.positionalParameters().size(); i++) {
      PositionalParamSpec o = a.positionalParameters().get(i);
      PositionalParamSpec p = b.positionalParameters().get(i);
      assertEquals(o.index(), p.index(), what);
      assertSameArg(what + " " + o.paramLabel(), o, p);
    }
    assertEquals(a.specElements().size(), b.specElements().size(), what);
  }

  private static void assertSameArg(String w, ArgSpec o, ArgSpec p) {
    assertEquals(o.arity(), p.arity(), w);
    assertEquals(o.paramLabel(), p.paramLabel(), w);
    assertEquals(o.hideParamSyntax(), p.hideParamSyntax(), w);
    assertEquals(o.type(), p.type(), w);
    assertArrayEquals(o.auxiliaryTypes(), p.auxiliaryTypes(), w);
    assertSameType(w, o.typeInfo(), p.typeInfo());
    assertArrayEquals(o.description(), p.description(), w);
    assertEquals(o.descriptionKey(), p.descriptionKey(), w);
    assertEquals(o.defaultValue(), p.defaultValue(), w);
    assertEquals(o.mapFallbackValue(), p.mapFallbackValue(), w);
    assertEquals(o.showDefaultValue(), p.showDefaultValue(), w);
    assertEquals(o.required(), p.required(), w);
    assertEquals(o.hidden(), p.hidden(), w);
    assertEquals(o.interactive(), p.interactive(), w);
    assertEquals(o.echo(), p.echo(), w);
    assertEquals(o.prompt(), p.prompt(), w);
    assertEquals(o.splitRegex(), p.splitRegex(), w);
    assertEquals(o.splitRegexSynopsisLabel(), p.splitRegexSynopsisLabel(), w);
    assertEquals(o.scopeType(), p.scopeType(), w);
    assertEquals(o.inherited(), p.inherited(), w);
    assertEquals(o.hasInitialValue(), p.hasInitialValue(), w);
    assertEquals(o.initialValue(), p.initialValue(), w);
    assertEquals(o.toString(), p.toString(), w);
    assertEquals(classes(o.converters()), classes(p.converters()), w);
    assertEquals(list(o.completionCandidates()), list(p.completionCandidates()), w);
    assertEquals(classOf(o.parameterConsumer()), classOf(p.parameterConsumer()), w);
    assertEquals(classOf(o.preprocessor()), classOf(p.preprocessor()), w);
    assertEquals(o.getValue() == null, p.getValue() == null, w);
    assertFalse(o.isOption() != p.isOption(), w);
  }

  private static void assertSameType(String w, ITypeInfo a, ITypeInfo b) {
    assertEquals(a.getType(), b.getType(), w);
    assertArrayEquals(a.getAuxiliaryTypes(), b.getAuxiliaryTypes(), w);
    assertEquals(a.getActualGenericTypeArguments(), b.getActualGenericTypeArguments(), w);
    assertEquals(a.isBoolean(), b.isBoolean(), w);
    assertEquals(a.isMultiValue(), b.isMultiValue(), w);
    assertEquals(a.isArray(), b.isArray(), w);
    assertEquals(a.isCollection(), b.isCollection(), w);
    assertEquals(a.isMap(), b.isMap(), w);
    assertEquals(a.isEnum(), b.isEnum(), w);
    assertEquals(a.isOptional(), b.isOptional(), w);
    assertEquals(a.getEnumConstantNames(), b.getEnumConstantNames(), w);
    assertEquals(a.getClassName(), b.getClassName(), w);
    assertEquals(a.getClassSimpleName(), b.getClassSimpleName(), w);
    assertEquals(a.getAuxiliaryTypeInfos().size(), b.getAuxiliaryTypeInfos().size(), w);
    for (int i = 0; i < a.getAuxiliaryTypeInfos().size(); i++) {
      ITypeInfo x = a.getAuxiliaryTypeInfos().get(i);
      ITypeInfo y = b.getAuxiliaryTypeInfos().get(i);
      assertEquals(x.getType(), y.getType(), w);
      assertArrayEquals(x.getAuxiliaryTypes(), y.getAuxiliaryTypes(), w);
    }
  }

  private static List<Class<?>> classes(Object[] objects) {
    List<Class<?>> result = new ArrayList<>();
    for (Object o : objects) {
      result.add(o.getClass());
    }
    return result;
  }

  private static Class<?> classOf(Object o) {
    return o == null ? null : o.getClass();
  }

  private static List<String> list(Iterable<String> values) {
    List<String> result = new ArrayList<>();
    if (values != null) {
      values.forEach(result::add);
    }
    return result;
  }
}
