package io.engram.cli;

import io.engram.cli.ClassFileAnnotations.ClassName;
import io.engram.cli.ClassFileAnnotations.EnumConstant;
import java.lang.annotation.Annotation;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * picocli's annotations as plain objects: each class here implements one of picocli's annotation
 * interfaces over the values a class file holds ({@link ClassFileAnnotations}), the elements not
 * written taking the defaults that picocli's own class file declares. picocli reads them exactly as
 * it reads the JDK's reflective annotation proxies, through the interface's methods.
 */
final class PicocliAnnotations {

  private PicocliAnnotations() {}

  /** The values of one annotation: those written, then its type's defaults. */
  static final class Values {
    private final Map<String, Object> given;
    private final Map<String, Object> defaults;
    private final ClassLoader loader;

    Values(Map<String, Object> given, Map<String, Object> defaults, ClassLoader loader) {
      this.given = given;
      this.defaults = defaults;
      this.loader = loader;
    }

    private Object raw(String name) {
      Object v = given.get(name);
      if (v == null) {
        v = defaults.get(name);
      }
      if (v == null) {
        throw new IllegalStateException("no value and no default for the element " + name);
      }
      return v;
    }

    String string(String name) {
      return (String) raw(name);
    }

    String[] strings(String name) {
      Object[] values = (Object[]) raw(name);
      String[] result = new String[values.length];
      for (int i = 0; i < values.length; i++) {
        result[i] = (String) values[i];
      }
      return result;
    }

    boolean bool(String name) {
      return (Boolean) raw(name);
    }

    int integer(String name) {
      return (Integer) raw(name);
    }

    char character(String name) {
      return (Character) raw(name);
    }

    Class<?> type(String name) {
      return resolve(((ClassName) raw(name)).descriptor());
    }

    Class<?>[] types(String name) {
      Object[] values = (Object[]) raw(name);
      Class<?>[] result = new Class<?>[values.length];
      for (int i = 0; i < values.length; i++) {
        result[i] = resolve(((ClassName) values[i]).descriptor());
      }
      return result;
    }

    <E extends Enum<E>> E constant(String name, Class<E> type) {
      return Enum.valueOf(type, ((EnumConstant) raw(name)).name());
    }

    private Class<?> resolve(String descriptor) {
      switch (descriptor) {
        case "V":
          return void.class;
        case "Z":
          return boolean.class;
        case "B":
          return byte.class;
        case "C":
          return char.class;
        case "S":
          return short.class;
        case "I":
          return int.class;
        case "J":
          return long.class;
        case "F":
          return float.class;
        case "D":
          return double.class;
        default:
          break;
      }
      String name =
          descriptor.startsWith("L")
              ? descriptor.substring(1, descriptor.length() - 1).replace('/', '.')
              : descriptor.replace('/', '.');
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("class " + name + " named in an annotation not found", e);
      }
    }
  }

  /**
   * The elements {@link Option} and {@link Parameters} share (picocli declares them in both), over
   * class-file values.
   */
  @SuppressWarnings("unchecked")
  abstract static class ArgValues {
    final Values v;

    ArgValues(Values v) {
      this.v = v;
    }

    public String[] description() {
      return v.strings("description");
    }

    public String arity() {
      return v.string("arity");
    }

    public String paramLabel() {
      return v.string("paramLabel");
    }

    public boolean hideParamSyntax() {
      return v.bool("hideParamSyntax");
    }

    public Class<?>[] type() {
      return v.types("type");
    }

    public Class<? extends ITypeConverter<?>>[] converter() {
      return (Class<? extends ITypeConverter<?>>[]) v.types("converter");
    }

    public String split() {
      return v.string("split");
    }

    public String splitSynopsisLabel() {
      return v.string("splitSynopsisLabel");
    }

    public boolean hidden() {
      return v.bool("hidden");
    }

    public String defaultValue() {
      return v.string("defaultValue");
    }

    public Visibility showDefaultValue() {
      return v.constant("showDefaultValue", Visibility.class);
    }

    public Class<? extends Iterable<String>> completionCandidates() {
      return (Class<? extends Iterable<String>>) v.type("completionCandidates");
    }

    public boolean interactive() {
      return v.bool("interactive");
    }

    public boolean echo() {
      return v.bool("echo");
    }

    public String prompt() {
      return v.string("prompt");
    }

    public String descriptionKey() {
      return v.string("descriptionKey");
    }

    public ScopeType scope() {
      return v.constant("scope", ScopeType.class);
    }

    public Class<? extends IParameterConsumer> parameterConsumer() {
      return (Class<? extends IParameterConsumer>) v.type("parameterConsumer");
    }

    public String mapFallbackValue() {
      return v.string("mapFallbackValue");
    }

    public Class<? extends IParameterPreprocessor> preprocessor() {
      return (Class<? extends IParameterPreprocessor>) v.type("preprocessor");
    }
  }

  /** {@link Option} over class-file values. */
  static final class OptionValues extends ArgValues implements Option {
    OptionValues(Values v) {
      super(v);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
      return Option.class;
    }

    @Override
    public String[] names() {
      return v.strings("names");
    }

    @Override
    public boolean required() {
      return v.bool("required");
    }

    @Override
    public boolean help() {
      return v.bool("help");
    }

    @Override
    public boolean usageHelp() {
      return v.bool("usageHelp");
    }

    @Override
    public boolean versionHelp() {
      return v.bool("versionHelp");
    }

    @Override
    public int order() {
      return v.integer("order");
    }

    @Override
    public boolean negatable() {
      return v.bool("negatable");
    }

    @Override
    public String fallbackValue() {
      return v.string("fallbackValue");
    }
  }

  /** {@link Parameters} over class-file values. */
  static final class ParametersValues extends ArgValues implements Parameters {
    ParametersValues(Values v) {
      super(v);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
      return Parameters.class;
    }

    @Override
    public String index() {
      return v.string("index");
    }
  }

  /** {@link Command} over class-file values. */
  @SuppressWarnings("unchecked")
  static final class CommandValues implements Command {
    private final Values v;

    CommandValues(Values v) {
      this.v = v;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
      return Command.class;
    }

    @Override
    public String name() {
      return v.string("name");
    }

    @Override
    public String[] aliases() {
      return v.strings("aliases");
    }

    @Override
    public Class<?>[] subcommands() {
      return v.types("subcommands");
    }

    @Override
    public boolean subcommandsRepeatable() {
      return v.bool("subcommandsRepeatable");
    }

    @Override
    public boolean addMethodSubcommands() {
      return v.bool("addMethodSubcommands");
    }

    @Override
    public String separator() {
      return v.string("separator");
    }

    @Override
    public String[] version() {
      return v.strings("version");
    }

    @Override
    public Class<? extends IVersionProvider> versionProvider() {
      return (Class<? extends IVersionProvider>) v.type("versionProvider");
    }

    @Override
    public boolean mixinStandardHelpOptions() {
      return v.bool("mixinStandardHelpOptions");
    }

    @Override
    public boolean helpCommand() {
      return v.bool("helpCommand");
    }

    @Override
    public String headerHeading() {
      return v.string("headerHeading");
    }

    @Override
    public String[] header() {
      return v.strings("header");
    }

    @Override
    public String synopsisHeading() {
      return v.string("synopsisHeading");
    }

    @Override
    public boolean abbreviateSynopsis() {
      return v.bool("abbreviateSynopsis");
    }

    @Override
    public String[] customSynopsis() {
      return v.strings("customSynopsis");
    }

    @Override
    public String synopsisSubcommandLabel() {
      return v.string("synopsisSubcommandLabel");
    }

    @Override
    public String descriptionHeading() {
      return v.string("descriptionHeading");
    }

    @Override
    public String[] description() {
      return v.strings("description");
    }

    @Override
    public String parameterListHeading() {
      return v.string("parameterListHeading");
    }

    @Override
    public String optionListHeading() {
      return v.string("optionListHeading");
    }

    @Override
    public boolean sortOptions() {
      return v.bool("sortOptions");
    }

    @Override
    public boolean sortSynopsis() {
      return v.bool("sortSynopsis");
    }

    @Override
    public char requiredOptionMarker() {
      return v.character("requiredOptionMarker");
    }

    @Override
    public Class<? extends IDefaultValueProvider> defaultValueProvider() {
      return (Class<? extends IDefaultValueProvider>) v.type("defaultValueProvider");
    }

    @Override
    public boolean showDefaultValues() {
      return v.bool("showDefaultValues");
    }

    @Override
    public boolean showAtFileInUsageHelp() {
      return v.bool("showAtFileInUsageHelp");
    }

    @Override
    public boolean showEndOfOptionsDelimiterInUsageHelp() {
      return v.bool("showEndOfOptionsDelimiterInUsageHelp");
    }

    @Override
    public String commandListHeading() {
      return v.string("commandListHeading");
    }

    @Override
    public String footerHeading() {
      return v.string("footerHeading");
    }

    @Override
    public String[] footer() {
      return v.strings("footer");
    }

    @Override
    public boolean hidden() {
      return v.bool("hidden");
    }

    @Override
    public String resourceBundle() {
      return v.string("resourceBundle");
    }

    @Override
    public int usageHelpWidth() {
      return v.integer("usageHelpWidth");
    }

    @Override
    public boolean usageHelpAutoWidth() {
      return v.bool("usageHelpAutoWidth");
    }

    @Override
    public int exitCodeOnSuccess() {
      return v.integer("exitCodeOnSuccess");
    }

    @Override
    public int exitCodeOnUsageHelp() {
      return v.integer("exitCodeOnUsageHelp");
    }

    @Override
    public int exitCodeOnVersionHelp() {
      return v.integer("exitCodeOnVersionHelp");
    }

    @Override
    public int exitCodeOnInvalidInput() {
      return v.integer("exitCodeOnInvalidInput");
    }

    @Override
    public int exitCodeOnExecutionException() {
      return v.integer("exitCodeOnExecutionException");
    }

    @Override
    public String exitCodeListHeading() {
      return v.string("exitCodeListHeading");
    }

    @Override
    public String[] exitCodeList() {
      return v.strings("exitCodeList");
    }

    @Override
    public ScopeType scope() {
      return v.constant("scope", ScopeType.class);
    }

    @Override
    public Class<? extends IModelTransformer> modelTransformer() {
      return (Class<? extends IModelTransformer>) v.type("modelTransformer");
    }

    @Override
    public Class<? extends IParameterPreprocessor> preprocessor() {
      return (Class<? extends IParameterPreprocessor>) v.type("preprocessor");
    }
  }

  /** {@link Mixin} over class-file values. */
  static final class MixinValues implements Mixin {
    private final Values v;

    MixinValues(Values v) {
      this.v = v;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
      return Mixin.class;
    }

    @Override
    public String name() {
      return v.string("name");
    }
  }

  /** {@link Spec} over class-file values. */
  static final class SpecValues implements Spec {
    private final Values v;

    SpecValues(Values v) {
      this.v = v;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
      return Spec.class;
    }

    @Override
    public Spec.Target value() {
      return v.constant("value", Spec.Target.class);
    }
  }

  /** The descriptor of picocli's annotation {@code type} as a class file names it. */
  static String descriptor(Class<? extends Annotation> type) {
    return "L" + type.getName().replace('.', '/') + ";";
  }

  /** Whether {@code descriptor} names one of picocli's annotation types. */
  static boolean isPicocli(String descriptor) {
    return descriptor.startsWith("L" + CommandLine.class.getName().replace('.', '/') + "$");
  }
}
