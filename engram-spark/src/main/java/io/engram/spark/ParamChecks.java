package io.engram.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.util.Identifiable;

/**
 * The validators of {@link MemoryParams}' parameters: each value is checked where it is given (a
 * setter, {@code set}, a {@code ParamMap} given to {@code copy} or {@code fit}, a saved stage's
 * metadata), for its type first (Java lets {@code ParamMap.put(seed(), 42)} box an Integer for a
 * long parameter), then for its range or its allowed values.
 */
final class ParamChecks {

  private ParamChecks() {}

  /**
   * The validator of a string parameter: one of the allowed values (any string, where there is no
   * list). It runs wherever a value is given (a setter, {@code set}, a {@code ParamMap} given to
   * {@code copy} or {@code fit}, a saved stage's metadata), and throws for null or a value that is
   * not a string itself ({@link Checks#type}), naming the parameter: Spark's message for a refused
   * value calls its {@code toString}, a NullPointerException that names nothing, and a value of
   * another type would fail later as a ClassCastException in a getter.
   */
  static final class Text extends scala.runtime.AbstractFunction1<Object, Object>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final String name;

    /** The allowed values, or null for any (an array: a field of a serialisable type). */
    private final String[] values;

    private Text(String uid, String name, List<String> values) {
      this.uid = uid;
      this.name = name;
      this.values = values == null ? null : values.toArray(new String[0]);
    }

    /** The validator, typed for a string parameter (it takes any object). */
    @SuppressWarnings("unchecked")
    static scala.Function1<String, Object> of(String uid, String name, List<String> values) {
      return (scala.Function1<String, Object>) (scala.Function1<?, ?>) new Text(uid, name, values);
    }

    /**
     * @throws IllegalArgumentException for null, a value that is not a string, or one that is not
     *     among the allowed values, naming them all (Spark's own message, "parameter handleInvalid
     *     given invalid value drop.", named none)
     */
    @Override
    public Object apply(Object v) {
      Checks.type(uid, name, String.class, v);
      if (values == null || Arrays.asList(values).contains(v)) {
        return true;
      }
      String like = null;
      for (String c : values) {
        if (c.equalsIgnoreCase(((String) v).trim())) {
          like = c;
        }
      }
      throw new IllegalArgumentException(
          uid
              + ": "
              + name
              + " must be one of "
              + String.join(", ", values)
              + ", not \""
              + v
              + "\""
              + (like == null ? "" : " (values are lower case, without blanks: " + like + ")"));
    }
  }

  /**
   * The validator of a numeric or boolean parameter: a value of exactly its boxed type ({@link
   * Checks#type}), then (numbers) the range {@code test} accepts (false: Spark's "given invalid
   * value" message).
   */
  static final class Valid extends scala.runtime.AbstractFunction1<Object, Object>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The range test. */
    interface Test extends java.io.Serializable {
      boolean ok(double v);
    }

    private final String uid;
    private final String name;
    private final Class<?> type;
    private final Test test; // null: any value of the type

    Valid(String uid, String name, Class<?> type, Test test) {
      this.uid = uid;
      this.name = name;
      this.type = type;
      this.test = test;
    }

    @Override
    public Object apply(Object v) {
      Checks.type(uid, name, type, v);
      return test == null || test.ok(((Number) v).doubleValue());
    }
  }

  /**
   * The validator of numeric parameter {@code name}: values of {@code type} that pass {@code test}.
   */
  static scala.Function1<Object, Object> number(
      Identifiable o, String name, Class<?> type, Valid.Test test) {
    return new Valid(o.uid(), name, type, test);
  }

  /**
   * A boolean parameter whose values are checked to be booleans (Spark's {@link BooleanParam} takes
   * no validator, and accepts any object an untyped {@code set} or a Java {@code ParamMap.put}
   * gives it: a string "true" then fails as a ClassCastException in the getter).
   */
  static final class Flag extends BooleanParam {
    private static final long serialVersionUID = 1L;

    private final Valid check;

    Flag(Identifiable parent, String name, String doc) {
      super(parent, name, doc);
      check = new Valid(parent.uid(), name, Boolean.class, null);
    }

    @Override
    public scala.Function1<Object, Object> isValid() {
      return check;
    }
  }

  /** The type check the validators share. */
  static final class Checks {
    private Checks() {}

    /** "a word" or "an word". */
    private static String article(String word) {
      return ("AEIOU".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    /**
     * Throws unless {@code v} is a {@code type}: a Java caller's {@code ParamMap.put(seed(), 42)}
     * or {@code put(temperature(), 2)} compiles (Spark's numeric and boolean parameters are {@code
     * Param<Object>} in Java) and boxes an Integer, which would fail later as a ClassCastException
     * naming no parameter.
     *
     * @throws IllegalArgumentException naming the stage, the parameter, the expected type and the
     *     value given (with the literal that fits, for a Java int given where a long or double is
     *     meant)
     */
    static void type(String uid, String name, Class<?> type, Object v) {
      if (v == null) {
        throw new IllegalArgumentException(uid + ": " + name + " must not be null");
      }
      if (type.isInstance(v)) {
        return;
      }
      String hint = "";
      if (type == Long.class && (v instanceof Integer || v instanceof Short || v instanceof Byte)) {
        hint = "; in Java, write " + v + "L";
      } else if (type == Double.class
          && (v instanceof Integer || v instanceof Long || v instanceof Short)) {
        hint = "; in Java, write " + v + ".0";
      } else if (type == Double.class && v instanceof Float) {
        hint = "; in Java, write (double) " + v + "f";
      }
      throw new IllegalArgumentException(
          uid
              + ": "
              + name
              + " must be "
              + article(type.getSimpleName())
              + ", not "
              + article(v.getClass().getSimpleName())
              + " ("
              + v
              + ")"
              + hint);
    }
  }
}
