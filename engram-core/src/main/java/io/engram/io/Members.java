package io.engram.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Checks of a model file's members and of its {@code meta.json} fields, shared by {@link ModelFile}
 * and the {@link WeightsCodec}s. Field accessors throw {@link IllegalArgumentException} naming the
 * key (the reader turns it into an {@link EngramFormatException} naming the file).
 */
final class Members {

  private Members() {}

  static void expectDType(NdArray a, Path file, String name, DType d) throws EngramFormatException {
    if (a.dtype() != d) {
      throw new EngramFormatException(
          file + ": " + name + " has dtype " + a.dtype().code() + ", expected " + d.code());
    }
  }

  static void expectShape(NdArray a, Path file, String name, int... shape)
      throws EngramFormatException {
    if (!Arrays.equals(a.shape(), shape)) {
      throw new EngramFormatException(
          file
              + ": "
              + name
              + " has shape "
              + Arrays.toString(a.shape())
              + ", expected "
              + Arrays.toString(shape));
    }
  }

  /**
   * A value of meta.json as it is written there: a string in quotes, so that {@code "3"} is not
   * shown as the number 3 where a number is expected.
   */
  static String shown(Object v) {
    return v instanceof String s ? '"' + NpzFile.shown(s) + '"' : String.valueOf(v);
  }

  static Object field(Map<String, Object> m, String key) {
    if (!m.containsKey(key) || m.get(key) == null) {
      throw new IllegalArgumentException("missing '" + key + "'");
    }
    return m.get(key);
  }

  static long integer(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (beyondLong(v)) {
      throw new IllegalArgumentException(
          "'"
              + key
              + "' is "
              + shown(v)
              + ", out of range "
              + Long.MIN_VALUE
              + ".."
              + Long.MAX_VALUE);
    }
    if (!(v instanceof Long)) {
      throw new IllegalArgumentException("'" + key + "' is " + shown(v) + ", expected an integer");
    }
    return (Long) v;
  }

  /**
   * Whether {@code v} is a whole number beyond a long's range, which the JSON reader gives as a
   * double ({@code 1e30}, {@code 99999999999999999999}): it was called "expected an integer", as if
   * it were a fraction or no number, where it is an integer out of range.
   */
  static boolean beyondLong(Object v) {
    return v instanceof Double d
        && Double.isFinite(d)
        && d == Math.rint(d)
        && Math.abs(d) >= 0x1p63;
  }

  /**
   * {@link #integer}, but a whole number beyond a long's range ({@link #beyondLong}) as the long
   * nearest it, for a check of a smaller range to refuse with that range named.
   */
  static long integerOrNearest(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (beyondLong(v)) {
      return (Double) v < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return integer(m, key);
  }

  static int count(Map<String, Object> m, String key) {
    long v = integerOrNearest(m, key);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "'"
              + key
              + "' is "
              + shown(m.get(key))
              + ", expected a count: out of range 0.."
              + Integer.MAX_VALUE);
    }
    return (int) v;
  }

  static boolean bool(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (!(v instanceof Boolean)) {
      throw new IllegalArgumentException(
          "'" + key + "' is " + shown(v) + ", expected true or false");
    }
    return (Boolean) v;
  }

  static double number(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException("'" + key + "' is " + shown(v) + ", expected a number");
    }
    return ((Number) v).doubleValue();
  }

  static String string(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (!(v instanceof String)) {
      throw new IllegalArgumentException("'" + key + "' is " + shown(v) + ", expected a string");
    }
    return (String) v;
  }

  /**
   * A training call's {@code options}, each value as its text ({@link #optionValue}), in their
   * order; absent or null: none.
   */
  static Map<String, String> options(Map<String, Object> m) {
    Object o = m.get("options");
    Map<String, String> opts = new java.util.LinkedHashMap<>();
    if (o == null) {
      return opts;
    }
    if (!(o instanceof Map<?, ?> om)) {
      throw new IllegalArgumentException("'options' is " + what(o) + ", expected an object");
    }
    for (Map.Entry<?, ?> e : om.entrySet()) {
      opts.put(String.valueOf(e.getKey()), optionValue(e.getValue(), e.getKey()));
    }
    return opts;
  }

  /** A JSON value for a message: an object or a list by its kind, else {@link #shown}. */
  static String what(Object v) {
    return v instanceof Map ? "an object" : v instanceof java.util.List ? "a list" : shown(v);
  }

  /**
   * A training call's option value as its text: a string (as Engram writes them), a boolean or a
   * finite number. NaN, ±Infinity, null, objects and lists were read as the text "NaN", "null",
   * "{a=1}", shown by inspect and written again by a later call.
   */
  static String optionValue(Object v, Object key) {
    if (v instanceof String || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Number num && Double.isFinite(num.doubleValue())) {
      return v.toString();
    }
    throw new IllegalArgumentException(
        "option '" + key + "' is " + what(v) + ", not a value (a string such as \"true\")");
  }

  /**
   * A training call's {@code rho}: a number within float32, or null (or absent) for none, given as
   * NaN. A string was a ClassCastException's text; NaN was read as "not centred" and written back
   * as null by a later training call; an infinity, or a number beyond float32 (1e300), was the
   * record's "rho must be finite (or NaN for none)", a NaN the file did not hold.
   */
  static float rho(Map<String, Object> m) {
    Object rho = m.get("rho");
    if (rho == null) {
      return Float.NaN;
    }
    if (!(rho instanceof Number n && Math.abs(n.doubleValue()) <= Float.MAX_VALUE)) {
      throw new IllegalArgumentException(
          "'rho' is "
              + shown(rho)
              + (!(rho instanceof Number x)
                  ? ", expected a number (or null for none)"
                  : Double.isFinite(x.doubleValue())
                      ? ", beyond float32 (at most " + Float.MAX_VALUE + " in magnitude)"
                      : ", expected a finite number (or null for none)"));
    }
    return (float) ((Number) rho).doubleValue();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> m, String key) {
    Object v = field(m, key);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("'" + key + "' is not an object");
    }
    return (Map<String, Object>) v;
  }
}
