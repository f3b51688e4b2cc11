package io.engram.cli;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime-visible annotations of one class, read from its class file's bytes rather than
 * through {@code java.lang.reflect}.
 *
 * <p>Reflection materialises every annotation as an instance of a proxy class that the JDK
 * generates the first time a JVM reads an annotation of that type; Java 17 cannot keep those
 * classes in a class-data archive, so a fresh JVM spends some tens of milliseconds making them (see
 * {@link CommandModels}). The class file holds the same values: this reads them (the constant pool,
 * the fields' and the class's {@code RuntimeVisibleAnnotations}, and an annotation type's {@code
 * AnnotationDefault}s) as plain values.
 *
 * <p>Element values are kept as the class file gives them: {@code String}, the boxed primitive of
 * the element's type, {@link EnumConstant}, {@link ClassName}, {@link Annotation} or {@code
 * Object[]} for an array.
 */
final class ClassFileAnnotations {

  /** An enum constant: the enum's type descriptor and the constant's name. */
  record EnumConstant(String descriptor, String name) {}

  /** A class literal: its return descriptor ({@code Ljava/lang/String;}, {@code I}, {@code V}). */
  record ClassName(String descriptor) {}

  /** One annotation: its type descriptor and the elements written in it (not the defaults). */
  record Annotation(String descriptor, Map<String, Object> values) {}

  private final List<Annotation> classAnnotations;
  private final Map<String, List<Annotation>> fieldAnnotations;
  private final List<Annotation> methodAnnotations;
  private final Map<String, Object> defaults;

  private ClassFileAnnotations(
      List<Annotation> classAnnotations,
      Map<String, List<Annotation>> fieldAnnotations,
      List<Annotation> methodAnnotations,
      Map<String, Object> defaults) {
    this.classAnnotations = classAnnotations;
    this.fieldAnnotations = fieldAnnotations;
    this.methodAnnotations = methodAnnotations;
    this.defaults = defaults;
  }

  /** Reads the class file of {@code type} from its class loader. */
  static ClassFileAnnotations of(Class<?> type) throws IOException {
    String resource = type.getName().replace('.', '/') + ".class";
    ClassLoader loader = type.getClassLoader();
    try (InputStream in =
        loader == null
            ? ClassLoader.getSystemResourceAsStream(resource)
            : loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no class file for " + type.getName());
      }
      return parse(in.readAllBytes());
    }
  }

  /** The class's own annotations. */
  List<Annotation> ofClass() {
    return classAnnotations;
  }

  /** The annotations of the field named {@code name} (empty when it has none). */
  List<Annotation> ofField(String name) {
    return fieldAnnotations.getOrDefault(name, List.of());
  }

  /** The annotations of every method and method parameter, together. */
  List<Annotation> ofMethods() {
    return methodAnnotations;
  }

  /** For an annotation type: each element's default value, by element name. */
  Map<String, Object> defaults() {
    return defaults;
  }

  static ClassFileAnnotations parse(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    Object[] pool = readPool(in);
    in.readUnsignedShort(); // access
    in.readUnsignedShort(); // this
    in.readUnsignedShort(); // super
    in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
    Map<String, List<Annotation>> fields = new LinkedHashMap<>();
    int fieldCount = in.readUnsignedShort();
    for (int i = 0; i < fieldCount; i++) {
      in.readUnsignedShort(); // access
      String name = (String) pool[in.readUnsignedShort()];
      in.readUnsignedShort(); // descriptor
      List<Annotation> found = new ArrayList<>();
      readAttributes(in, pool, found, null);
      if (!found.isEmpty()) {
        fields.put(name, found);
      }
    }
    List<Annotation> ofMethods = new ArrayList<>();
    Map<String, Object> defaults = new LinkedHashMap<>();
    int methodCount = in.readUnsignedShort();
    for (int i = 0; i < methodCount; i++) {
      in.readUnsignedShort(); // access
      String name = (String) pool[in.readUnsignedShort()];
      in.readUnsignedShort(); // descriptor
      Object[] defaultValue = new Object[1];
      readAttributes(in, pool, ofMethods, defaultValue);
      if (defaultValue[0] != null) {
        defaults.put(name, defaultValue[0]);
      }
    }
    List<Annotation> ofClass = new ArrayList<>();
    readAttributes(in, pool, ofClass, null);
    return new ClassFileAnnotations(
        Collections.unmodifiableList(ofClass),
        Collections.unmodifiableMap(fields),
        Collections.unmodifiableList(ofMethods),
        Collections.unmodifiableMap(defaults));
  }

  private static Object[] readPool(DataInputStream in) throws IOException {
    int count = in.readUnsignedShort();
    Object[] pool = new Object[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> pool[i] = in.readUTF();
        case 3 -> pool[i] = in.readInt();
        case 4 -> pool[i] = in.readFloat();
        case 5 -> pool[i++] = in.readLong();
        case 6 -> pool[i++] = in.readDouble();
        case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
        case 15 -> in.skipNBytes(3);
        case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
        default -> throw new IOException("constant pool tag " + tag + " at entry " + i);
      }
    }
    return pool;
  }

  /**
   * Reads one attribute table, adding its runtime-visible annotations (a method's parameters' too)
   * to {@code found}; an annotation default goes to {@code defaultValue[0]} (null where the table
   * cannot hold one).
   */
  private static void readAttributes(
      DataInputStream in, Object[] pool, List<Annotation> found, Object[] defaultValue)
      throws IOException {
    int count = in.readUnsignedShort();
    for (int i = 0; i < count; i++) {
      String name = (String) pool[in.readUnsignedShort()];
      int length = in.readInt();
      if (name.equals("RuntimeVisibleAnnotations")) {
        int annotations = in.readUnsignedShort();
        for (int a = 0; a < annotations; a++) {
          found.add(readAnnotation(in, pool));
        }
      } else if (name.equals("AnnotationDefault") && defaultValue != null) {
        defaultValue[0] = readValue(in, pool);
      } else if (name.equals("RuntimeVisibleParameterAnnotations")) {
        int parameters = in.readUnsignedByte();
        for (int p = 0; p < parameters; p++) {
          int annotations = in.readUnsignedShort();
          for (int a = 0; a < annotations; a++) {
            found.add(readAnnotation(in, pool));
          }
        }
      } else {
        in.skipNBytes(length);
      }
    }
  }

  private static Annotation readAnnotation(DataInputStream in, Object[] pool) throws IOException {
    String descriptor = (String) pool[in.readUnsignedShort()];
    int pairs = in.readUnsignedShort();
    Map<String, Object> values = new LinkedHashMap<>();
    for (int p = 0; p < pairs; p++) {
      String element = (String) pool[in.readUnsignedShort()];
      values.put(element, readValue(in, pool));
    }
    return new Annotation(descriptor, Collections.unmodifiableMap(values));
  }

  private static Object readValue(DataInputStream in, Object[] pool) throws IOException {
    int tag = in.readUnsignedByte();
    return switch (tag) {
      case 's', 'I', 'J', 'F', 'D' -> pool[in.readUnsignedShort()];
      case 'Z' -> ((Integer) pool[in.readUnsignedShort()]) != 0;
      case 'C' -> (char) (int) (Integer) pool[in.readUnsignedShort()];
      case 'B' -> (byte) (int) (Integer) pool[in.readUnsignedShort()];
      case 'S' -> (short) (int) (Integer) pool[in.readUnsignedShort()];
      case 'e' ->
          new EnumConstant(
              (String) pool[in.readUnsignedShort()], (String) pool[in.readUnsignedShort()]);
      case 'c' -> new ClassName((String) pool[in.readUnsignedShort()]);
      case '@' -> readAnnotation(in, pool);
      case '[' -> {
        Object[] values = new Object[in.readUnsignedShort()];
        for (int v = 0; v < values.length; v++) {
          values[v] = readValue(in, pool);
        }
        yield values;
      }
      default -> throw new IOException("element value tag '" + (char) tag + "'");
    };
  }
}
