package io.engram.cli;

import io.engram.cli.ClassFileAnnotations.Annotation;
import io.engram.cli.PicocliAnnotations.CommandValues;
import io.engram.cli.PicocliAnnotations.MixinValues;
import io.engram.cli.PicocliAnnotations.OptionValues;
import io.engram.cli.PicocliAnnotations.ParametersValues;
import io.engram.cli.PicocliAnnotations.SpecValues;
import io.engram.cli.PicocliAnnotations.Values;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IAnnotatedElement;
import picocli.CommandLine.Model.IExtensible;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.IScope;
import picocli.CommandLine.Model.IScoped;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.ITypeInfo;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * picocli command models built without reading annotations through reflection.
 *
 * <p>{@code new CommandLine(command)} reads each annotated field's annotations with {@code
 * java.lang.reflect}, and the JDK makes a proxy class for every annotation type the first time it
 * materialises one (generating its bytecode, defining it in a dynamic module): some 40 ms of every
 * command in a fresh JVM (measured: {@code docs/BENCHMARKS.md}), which Java 17 cannot keep in a
 * class-data archive. This builds the same {@link CommandSpec} through picocli's public model API
 * ({@link OptionSpec#builder(IAnnotatedElement, IFactory)}, {@link
 * CommandSpec#updateCommandAttributes(Command, IFactory)}, {@link CommandSpec#addMixin}), handing
 * picocli annotation values read from the class files ({@link ClassFileAnnotations}) instead of
 * proxies; the fields are still found, typed and set by reflection, which makes no proxy.
 *
 * <p>It covers what Engram's commands use: {@code @Command} (without {@code subcommands} or an
 * inherited scope), {@code @Option}, one {@code @Parameters}, {@code @Mixin} and {@code @Spec} on
 * fields, the standard help options, and field types picocli infers without wildcards. Anything
 * else throws {@link Unsupported}, and {@link #commandLine} then lets picocli read the command by
 * reflection as before. {@code CommandModelsTest} checks that every command's model, help and
 * parsing are the same both ways.
 */
final class CommandModels {

  private CommandModels() {}

  /** A command this model does not build (picocli's reflection then builds it). */
  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The class files read so far (commands, mixins, and picocli's annotation types); commands may be
   * built on several threads at once (in-process runs), so a concurrent map: a race reads a class
   * file twice, to the same values.
   */
  private static final Map<Class<?>, ClassFileAnnotations> READ = new ConcurrentHashMap<>();

  /**
   * The command line of {@code command}: its model built from class files where this class covers
   * it, else by picocli's reflection.
   */
  static CommandLine commandLine(Object command) {
    CommandSpec spec;
    try {
      spec = spec(command);
    } catch (Unsupported | IOException | RuntimeException e) {
      return new CommandLine(command);
    }
    return new CommandLine(spec);
  }

  /**
   * The model of {@code command}, as picocli's {@code CommandSpec.forAnnotatedObject} builds it.
   */
  static CommandSpec spec(Object command) throws Unsupported, IOException {
    IFactory factory = CommandLine.defaultFactory();
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command, factory);
    List<Class<?>> hierarchy = new ArrayList<>();
    for (Class<?> c = command.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      hierarchy.add(0, c);
    }
    boolean helpOptions = false;
    for (Class<?> c : hierarchy) {
      ClassFileAnnotations file = read(c);
      for (Annotation a : file.ofMethods()) {
        if (PicocliAnnotations.isPicocli(a.descriptor())) {
          throw new Unsupported(c.getName() + " has annotated methods");
        }
      }
      Command cmd = null;
      for (Annotation a : file.ofClass()) {
        if (a.descriptor().equals(PicocliAnnotations.descriptor(Command.class))) {
          cmd = new CommandValues(values(a, Command.class, c));
        }
      }
      if (cmd != null) {
        if (cmd.subcommands().length > 0 || cmd.scope() == ScopeType.INHERIT) {
          throw new Unsupported(c.getName() + ": declared subcommands or an inherited scope");
        }
        spec.updateCommandAttributes(cmd, factory);
        injectIntoVersionProvider(spec);
        helpOptions |= cmd.mixinStandardHelpOptions();
      }
      for (Field field : c.getDeclaredFields()) {
        List<Annotation> found = new ArrayList<>();
        for (Annotation a : file.ofField(field.getName())) {
          if (PicocliAnnotations.isPicocli(a.descriptor())) {
            found.add(a);
          }
        }
        if (found.size() > 1) {
          throw new Unsupported(field + " has more than one of picocli's annotations");
        }
        if (found.size() == 1) {
          addMember(spec, new Member(field, command, annotation(found.get(0), c)), factory);
        }
      }
    }
    if (helpOptions) {
      addHelpOptions(spec, factory);
    }
    if (spec.positionalParameters().size() > 1) {
      throw new Unsupported(command.getClass().getName() + ": more than one positional parameter");
    }
    for (ArgSpec arg : spec.args()) {
      arg.messages(spec.usageMessage().messages());
    }
    return spec;
  }

  private static void addMember(CommandSpec spec, Member member, IFactory factory)
      throws Unsupported, IOException {
    if (member.isOption() || member.isParameter()) {
      if (Modifier.isFinal(member.field.getModifiers())) {
        throw new Unsupported(member.field + " is final");
      }
      spec.add(
          member.isOption()
              ? OptionSpec.builder(member, factory).build()
              : PositionalParamSpec.builder(member, factory).build());
    } else if (member.isMixin()) {
      Object mixed = member.binding.get();
      if (mixed == null) {
        try {
          mixed = factory.create(member.field.getType());
        } catch (Exception e) {
          throw new Unsupported("cannot make the mixin of " + member.field + ": " + e);
        }
        member.binding.set(mixed);
      }
      CommandSpec mixin = spec(mixed).withToString(member.getToString());
      spec.addMixin(member.getMixinName(), mixin, member);
      for (IAnnotatedElement element : mixin.specElements()) {
        if (element.getAnnotation(Spec.class).value() == Spec.Target.MIXEE) {
          try {
            element.setter().set(spec);
          } catch (Exception e) {
            throw new Unsupported("cannot inject the spec into " + element + ": " + e);
          }
        }
      }
    } else if (member.isSpec()) {
      if (member.field.getType() != CommandSpec.class) {
        throw new Unsupported(member.field + ": @Spec on a field that is not a CommandSpec");
      }
      spec.addSpecElement(member);
      if (member.getAnnotation(Spec.class).value() == Spec.Target.SELF) {
        member.binding.set(spec);
      }
    } else {
      throw new Unsupported(member.field + ": an annotation this model does not build");
    }
  }

  /** picocli's standard help options ({@code mixinStandardHelpOptions}), read from its class. */
  private static void addHelpOptions(CommandSpec spec, IFactory factory)
      throws Unsupported, IOException {
    Class<?> declaring = helpMixinClass();
    ClassFileAnnotations file = read(declaring);
    HelpRequests requests = new HelpRequests();
    CommandSpec mixin = CommandSpec.wrapWithoutInspection(requests, factory);
    int bound = 0;
    for (Field field : HelpRequests.class.getDeclaredFields()) {
      List<Annotation> found = file.ofField(field.getName());
      if (found.size() != 1) {
        throw new Unsupported(
            "picocli's help mixin has no single annotation on " + field.getName());
      }
      Member member = new Member(field, requests, annotation(found.get(0), declaring));
      member.declared = "boolean " + declaring.getName() + "." + field.getName();
      mixin.add(OptionSpec.builder(member, factory).build());
      bound++;
    }
    if (bound != 2) {
      throw new Unsupported("picocli's help mixin changed");
    }
    for (String name : mixin.optionsMap().keySet()) {
      if (spec.optionsMap().containsKey(name)) {
        throw new Unsupported("the command declares " + name + " itself");
      }
    }
    spec.addMixin(HELP_MIXIN_KEY, mixin);
  }

  /** The key picocli files its standard help options under ({@code mixinStandardHelpOptions()}). */
  private static final String HELP_MIXIN_KEY = "mixinStandardHelpOptions";

  private static Class<?> helpMixinClass() throws Unsupported {
    try {
      return Class.forName(
          CommandLine.class.getName() + "$AutoHelpMixin",
          false,
          CommandLine.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new Unsupported("picocli has no AutoHelpMixin");
    }
  }

  /**
   * The fields the standard help options set: named as picocli's mixin names its own, whose
   * annotations (names, descriptions) are read from picocli's class file.
   */
  static final class HelpRequests {
    boolean helpRequested;
    boolean versionRequested;
  }

  private static void injectIntoVersionProvider(CommandSpec spec) throws Unsupported, IOException {
    Object provider = spec.versionProvider();
    if (provider == null) {
      return;
    }
    Class<?> c = provider.getClass();
    ClassFileAnnotations file = read(c);
    for (Field field : c.getDeclaredFields()) {
      for (Annotation a : file.ofField(field.getName())) {
        if (a.descriptor().equals(PicocliAnnotations.descriptor(Spec.class))) {
          throw new Unsupported(c.getName() + ": @Spec in a version provider");
        }
      }
    }
  }

  private static ClassFileAnnotations read(Class<?> c) throws IOException {
    ClassFileAnnotations file = READ.get(c);
    if (file == null) {
      file = ClassFileAnnotations.of(c);
      READ.put(c, file);
    }
    return file;
  }

  private static Values values(
      Annotation a, Class<? extends java.lang.annotation.Annotation> type, Class<?> declaring)
      throws IOException {
    return new Values(a.values(), read(type).defaults(), declaring.getClassLoader());
  }

  private static java.lang.annotation.Annotation annotation(Annotation a, Class<?> declaring)
      throws Unsupported, IOException {
    String d = a.descriptor();
    if (d.equals(PicocliAnnotations.descriptor(Option.class))) {
      return new OptionValues(values(a, Option.class, declaring));
    }
    if (d.equals(PicocliAnnotations.descriptor(Parameters.class))) {
      return new ParametersValues(values(a, Parameters.class, declaring));
    }
    if (d.equals(PicocliAnnotations.descriptor(Mixin.class))) {
      return new MixinValues(values(a, Mixin.class, declaring));
    }
    if (d.equals(PicocliAnnotations.descriptor(Spec.class))) {
      return new SpecValues(values(a, Spec.class, declaring));
    }
    throw new Unsupported(declaring.getName() + ": the annotation " + d);
  }

  /** One annotated field, as picocli's own {@code TypedMember} presents a field. */
  static final class Member implements IAnnotatedElement, IExtensible {
    final Field field;
    private final java.lang.annotation.Annotation annotation;
    final FieldValue binding;
    private final ITypeInfo typeInfo;

    /** The field's declaration in picocli's spelling (its generic string without modifiers). */
    String declared;

    Member(Field field, Object instance, java.lang.annotation.Annotation annotation)
        throws Unsupported {
      this.field = field;
      this.annotation = annotation;
      field.setAccessible(true);
      this.binding = new FieldValue(field, instance);
      this.typeInfo = typeInfo(field, annotation);
      this.declared = abbreviate(field.toGenericString());
    }

    @Override
    public Object userObject() {
      return field;
    }

    @Override
    public boolean isAnnotationPresent(Class<? extends java.lang.annotation.Annotation> type) {
      return annotation.annotationType() == type;
    }

    @Override
    public <T extends java.lang.annotation.Annotation> T getAnnotation(Class<T> type) {
      return isAnnotationPresent(type) ? type.cast(annotation) : null;
    }

    @Override
    public String getName() {
      return field.getName();
    }

    @Override
    public String getMixinName() {
      String name = ((Mixin) annotation).name();
      return name == null || name.isEmpty() ? getName() : name;
    }

    @Override
    public boolean isArgSpec() {
      return isOption() || isParameter();
    }

    @Override
    public boolean isOption() {
      return annotation instanceof Option;
    }

    @Override
    public boolean isParameter() {
      return annotation instanceof Parameters;
    }

    @Override
    public boolean isArgGroup() {
      return false;
    }

    @Override
    public boolean isMixin() {
      return annotation instanceof Mixin;
    }

    @Override
    public boolean isUnmatched() {
      return false;
    }

    @Override
    public boolean isSpec() {
      return annotation instanceof Spec;
    }

    @Override
    public boolean isParentCommand() {
      return false;
    }

    @Override
    public boolean isMultiValue() {
      return multiValue(field.getType());
    }

    @Override
    public boolean isInteractive() {
      return (annotation instanceof Option o && o.interactive())
          || (annotation instanceof Parameters p && p.interactive());
    }

    @Override
    public boolean hasInitialValue() {
      return true;
    }

    @Override
    public boolean isMethodParameter() {
      return false;
    }

    @Override
    public int getMethodParamPosition() {
      return -1;
    }

    @Override
    public IScope scope() {
      return binding.scope;
    }

    @Override
    public IGetter getter() {
      return binding;
    }

    @Override
    public ISetter setter() {
      return binding;
    }

    @Override
    public ITypeInfo getTypeInfo() {
      return typeInfo;
    }

    @Override
    public String getToString() {
      return isMixin()
          ? abbreviate("mixin from member " + field.toGenericString())
          : "field " + declared;
    }

    @Override
    public String toString() {
      return field.toString();
    }

    /**
     * picocli asks its own elements when to read a field's initial value: as for a field, when
     * first needed ({@code POSTPONED}).
     */
    @Override
    public <T> T getExtension(Class<T> type) {
      if (type.isEnum() && type.getSimpleName().equals("InitialValueState")) {
        for (T constant : type.getEnumConstants()) {
          if (((Enum<?>) constant).name().equals("POSTPONED")) {
            return constant;
          }
        }
      }
      return null;
    }
  }

  private static String abbreviate(String text) {
    return text.replace("private ", "")
        .replace("protected ", "")
        .replace("public ", "")
        .replace("java.lang.", "");
  }

  private static boolean multiValue(Class<?> c) {
    return (c.isArray() && c != char[].class)
        || Collection.class.isAssignableFrom(c)
        || Map.class.isAssignableFrom(c);
  }

  private static boolean optional(Class<?> c) {
    return c != null && c.getName().equals("java.util.Optional");
  }

  /**
   * A field of the object its scope holds, read and set as picocli's field binding does (through
   * the scope, with the same messages).
   */
  static final class FieldValue implements IGetter, ISetter, IScoped {
    private final Field field;
    final IScope scope;

    FieldValue(Field field, Object instance) {
      this.field = field;
      this.scope = new ObjectScope(instance);
    }

    @Override
    public IScope getScope() {
      return scope;
    }

    private Object target() {
      try {
        return scope.get();
      } catch (Exception ex) {
        throw new CommandLine.PicocliException("Could not get scope for field " + field, ex);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      Object target = target();
      try {
        return (T) field.get(target);
      } catch (Exception ex) {
        throw new CommandLine.PicocliException("Could not get value for field " + field, ex);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T set(T value) {
      Object target = target();
      try {
        T result = (T) field.get(target);
        field.set(target, value);
        return result;
      } catch (Exception ex) {
        throw new CommandLine.PicocliException(
            "Could not set value for field " + field + " to " + value, ex);
      }
    }
  }

  /** The object whose fields the members set. */
  static final class ObjectScope implements IScope {
    private Object value;

    ObjectScope(Object value) {
      this.value = value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      return (T) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T set(T value) {
      T old = (T) this.value;
      this.value = value;
      return old;
    }
  }

  /** The type of a field as picocli infers it (its {@code RuntimeTypeInfo} for a field). */
  private static ITypeInfo typeInfo(Field field, java.lang.annotation.Annotation annotation)
      throws Unsupported {
    Class<?>[] declared =
        annotation instanceof Option o
            ? o.type()
            : annotation instanceof Parameters p ? p.type() : new Class<?>[0];
    Class<?> type = field.getType();
    Type generic = field.getGenericType();
    List<String> arguments = new ArrayList<>();
    if (generic instanceof ParameterizedType pt) {
      for (Class<?> c : typeArguments(pt, field)) {
        arguments.add(c.getName());
      }
    }
    Class<?>[] auxiliary;
    if (declared.length > 0) {
      auxiliary = declared;
    } else if (type.isArray()) {
      if (optional(type.getComponentType())) {
        throw new Unsupported(field + ": an array of Optional");
      }
      auxiliary = new Class<?>[] {type.getComponentType()};
    } else if (multiValue(type) || optional(type)) {
      auxiliary =
          generic instanceof ParameterizedType pt
              ? typeArguments(pt, field)
              : new Class<?>[] {String.class, String.class};
    } else {
      auxiliary = new Class<?>[] {type};
    }
    return new FieldType(type, auxiliary, arguments);
  }

  private static Class<?>[] typeArguments(ParameterizedType type, Field field) throws Unsupported {
    Type[] arguments = type.getActualTypeArguments();
    Class<?>[] result = new Class<?>[arguments.length];
    for (int i = 0; i < arguments.length; i++) {
      if (!(arguments[i] instanceof Class<?> c)) {
        throw new Unsupported(field + ": a type argument other than a class");
      }
      result[i] = c;
    }
    return result;
  }

  /** A field's type, its element types and its generic type arguments, as picocli sees them. */
  static final class FieldType implements ITypeInfo {
    private final Class<?> type;
    private final Class<?>[] auxiliary;
    private final List<String> arguments;

    FieldType(Class<?> type, Class<?>[] auxiliary, List<String> arguments) {
      this.type = type;
      this.auxiliary = auxiliary.clone();
      this.arguments = List.copyOf(arguments);
    }

    /** An element type alone, as picocli types one ({@code createForAuxType}). */
    static FieldType element(Class<?> c) {
      Class<?>[] auxiliary;
      if (c.isArray()) {
        auxiliary = new Class<?>[] {c.getComponentType()};
      } else if (multiValue(c) || optional(c)) {
        auxiliary = new Class<?>[] {String.class, String.class};
      } else {
        auxiliary = new Class<?>[] {c};
      }
      return new FieldType(c, auxiliary, List.of());
    }

    @Override
    public boolean isBoolean() {
      return auxiliary[0] == boolean.class || auxiliary[0] == Boolean.class;
    }

    @Override
    public boolean isMultiValue() {
      return multiValue(type);
    }

    @Override
    public boolean isOptional() {
      return optional(type);
    }

    @Override
    public boolean isArray() {
      return type.isArray() && type != char[].class;
    }

    @Override
    public boolean isCollection() {
      return Collection.class.isAssignableFrom(type);
    }

    @Override
    public boolean isMap() {
      return Map.class.isAssignableFrom(type);
    }

    @Override
    public boolean isEnum() {
      return auxiliary[0].isEnum();
    }

    @Override
    public List<String> getEnumConstantNames() {
      List<String> names = new ArrayList<>();
      if (isEnum()) {
        for (Object c : auxiliary[0].getEnumConstants()) {
          names.add(c.toString());
        }
      }
      return names;
    }

    @Override
    public String getClassName() {
      return type.getName();
    }

    @Override
    public String getClassSimpleName() {
      return type.getSimpleName();
    }

    @Override
    public List<ITypeInfo> getAuxiliaryTypeInfos() {
      List<ITypeInfo> infos = new ArrayList<>();
      for (Class<?> c : auxiliary) {
        infos.add(element(c));
      }
      return infos;
    }

    @Override
    public List<String> getActualGenericTypeArguments() {
      return arguments;
    }

    @Override
    public Class<?> getType() {
      return type;
    }

    @Override
    public Class<?>[] getAuxiliaryTypes() {
      return auxiliary;
    }
  }
}
