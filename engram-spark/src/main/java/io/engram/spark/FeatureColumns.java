package io.engram.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The features column and the output columns: which input types are accepted, the output schema,
 * and the conversion of one row's value to the float32 vector the core works on and back.
 */
final class FeatureColumns {

  /** The accepted types of the features column. */
  enum Kind {
    /** {@code array<float>}: used as is; the state comes back as {@code array<float>}. */
    FLOAT_ARRAY,
    /** {@code array<double>}: rounded to float32; the state comes back as {@code array<double>}. */
    DOUBLE_ARRAY,
    /**
     * An array of another numeric type (byte to long, decimal); the state is {@code array<float>}.
     */
    NUMERIC_ARRAY,
    /** An ML {@link Vector} (dense or sparse); the state comes back as a dense vector. */
    VECTOR;

    DataType outputType() {
      return switch (this) {
        case DOUBLE_ARRAY -> DataTypes.createArrayType(DataTypes.DoubleType, false);
        case VECTOR -> SQLDataTypes.VectorType();
        default -> DataTypes.createArrayType(DataTypes.FloatType, false);
      };
    }
  }

  private FeatureColumns() {}

  /**
   * Refuses a null dataset or schema given to {@code stage} (a NullPointerException from deep in
   * {@code fit} or {@code transform} named nothing).
   *
   * @throws IllegalArgumentException "{@code <uid>: the <what> is null}"
   */
  static void notNull(org.apache.spark.ml.util.Identifiable stage, Object value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(stage.uid() + ": the " + what + " is null");
    }
  }

  /**
   * Whether column names compare with case in {@code session}: Spark's {@code
   * spark.sql.caseSensitive} (default false), as its analyser resolves names.
   */
  static boolean caseSensitive(org.apache.spark.sql.SparkSession session) {
    return Boolean.parseBoolean(session.conf().get(SQLConf.CASE_SENSITIVE().key(), "false").trim());
  }

  /**
   * Whether column names compare with case where no dataset is at hand ({@code transformSchema}):
   * the active session's {@code spark.sql.caseSensitive}, as Spark's analyser reads it.
   */
  static boolean caseSensitive() {
    return SQLConf.get().caseSensitiveAnalysis();
  }

  /** Whether two column names are the same name: with case, or ignoring it (Spark's resolver). */
  static boolean sameName(String a, String b, boolean caseSensitive) {
    return caseSensitive ? a.equals(b) : a.equalsIgnoreCase(b);
  }

  /**
   * The features column: its index in the schema, its name there and its kind.
   *
   * @param index the column's position in the schema
   * @param name the column's name in the schema (it may differ in case from the parameter's)
   * @param kind its kind
   */
  record Found(int index, String name, Kind kind) {}

  /**
   * The column {@code name} of {@code schema}: the one column of exactly that name; else, where
   * names compare without case ({@code caseSensitive} false, Spark's default), the one column whose
   * name equals it ignoring case.
   *
   * @throws IllegalArgumentException if there is no such column or more than one, or its type is
   *     not accepted
   */
  static Found find(StructType schema, String name, boolean caseSensitive) {
    String[] names = schema.fieldNames();
    int at = -1;
    long same = 0;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        at = i;
        same++;
      }
    }
    if (same > 1) {
      throw new IllegalArgumentException(
          "Column '" + name + "' is ambiguous: the dataset has " + same + " columns of that name");
    }
    List<String> like = new ArrayList<>();
    if (same == 0) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(name)) {
          like.add(names[i]);
          if (!caseSensitive) {
            at = i;
          }
        }
      }
      if (like.isEmpty() || caseSensitive) {
        throw new IllegalArgumentException(
            "Column '"
                + name
                + "' does not exist; the columns are: "
                + String.join(", ", names)
                + (like.isEmpty()
                    ? ""
                    : " (spark.sql.caseSensitive is true: names compare with case)"));
      }
      if (like.size() > 1) {
        throw new IllegalArgumentException(
            "Column '"
                + name
                + "' is ambiguous: names compare without case (spark.sql.caseSensitive is false),"
                + " and the dataset has "
                + String.join(", ", like));
      }
    }
    return new Found(at, names[at], kindOf(schema.fields()[at]));
  }

  /**
   * The kind of column {@code f}.
   *
   * @throws IllegalArgumentException if its type is not accepted
   */
  private static Kind kindOf(StructField f) {
    String name = f.name();
    DataType t = f.dataType();
    if (t.equals(SQLDataTypes.VectorType())) {
      return Kind.VECTOR;
    }
    if (t instanceof ArrayType a && a.elementType() instanceof NumericType e) {
      if (e.equals(DataTypes.FloatType)) {
        return Kind.FLOAT_ARRAY;
      }
      return e.equals(DataTypes.DoubleType) ? Kind.DOUBLE_ARRAY : Kind.NUMERIC_ARRAY;
    }
    String actual =
        t instanceof org.apache.spark.sql.types.UserDefinedType<?> u
            ? u.getClass().getName() + " (" + t.catalogString() + ")"
            : t.catalogString();
    String hint =
        t.getClass().getName().equals("org.apache.spark.mllib.linalg.VectorUDT")
            ? " An org.apache.spark.mllib vector (the RDD API's) converts with"
                + " MLUtils.convertVectorColumnsToML."
            : "";
    throw new IllegalArgumentException(
        "Column "
            + name
            + " must be of type array<float>, array<double> (or another numeric array) or vector,"
            + " but was actually of type "
            + actual
            + "."
            + hint);
  }

  /**
   * The schema after transform: {@code schema} plus the output columns that are not empty ({@code
   * best} and {@code weight} for a {@code modern} memory). Names compare as Spark resolves them:
   * without case unless {@code caseSensitive} ({@code spark.sql.caseSensitive}).
   *
   * @throws IllegalArgumentException if an output column exists already, two output columns have
   *     the same name, or the prediction column is empty
   */
  static StructType outputSchema(
      StructType schema, HopfieldMemoryParams p, Kind kind, boolean modern, boolean caseSensitive) {
    if (p.getPredictionCol().isEmpty()) {
      throw new IllegalArgumentException(p.uid() + ": predictionCol must not be empty");
    }
    List<String> taken = new ArrayList<>(Arrays.asList(schema.fieldNames()));
    // handleInvalid keep gives a row it cannot recall null output columns
    boolean nullable = "keep".equals(p.getHandleInvalid());
    List<String> params = new ArrayList<>(); // the parameter that named each output column so far
    StructType out = schema;
    out = add(out, taken, params, p.predictionCol(), p, kind.outputType(), nullable, caseSensitive);
    out = add(out, taken, params, p.stepsCol(), p, DataTypes.IntegerType, nullable, caseSensitive);
    out =
        add(
            out,
            taken,
            params,
            p.convergedCol(),
            p,
            DataTypes.BooleanType,
            nullable,
            caseSensitive);
    out = add(out, taken, params, p.energyCol(), p, DataTypes.DoubleType, nullable, caseSensitive);
    if (modern) {
      out = add(out, taken, params, p.bestCol(), p, DataTypes.IntegerType, nullable, caseSensitive);
      out =
          add(out, taken, params, p.weightCol(), p, DataTypes.DoubleType, nullable, caseSensitive);
    }
    return out;
  }

  /**
   * {@code s} with output column {@code param} added (none for an empty name).
   *
   * @param taken the names of the dataset's columns, then of the output columns added so far
   * @param params the names of the parameters that named the output columns added so far
   * @throws IllegalArgumentException if the name is a column of the dataset, or another output
   *     parameter's (naming both parameters)
   */
  private static StructType add(
      StructType s,
      List<String> taken,
      List<String> params,
      org.apache.spark.ml.param.Param<String> param,
      HopfieldMemoryParams p,
      DataType type,
      boolean nullable,
      boolean caseSensitive) {
    String name = p.$(param);
    if (name.isEmpty()) {
      return s;
    }
    int inputs = taken.size() - params.size();
    for (int k = inputs; k < taken.size(); k++) {
      if (sameName(taken.get(k), name, caseSensitive)) {
        throw new IllegalArgumentException(
            p.uid()
                + ": "
                + params.get(k - inputs)
                + " and "
                + param.name()
                + " both name the output column "
                + name
                + (taken.get(k).equals(name) ? "" : " (as " + taken.get(k) + ", without case)")
                + "; give each output column its own name, or an empty one to leave it out");
      }
    }
    for (String t : taken.subList(0, inputs)) {
      if (sameName(t, name, caseSensitive)) {
        throw new IllegalArgumentException(
            "Output column "
                + name
                + " already exists"
                + (t.equals(name)
                    ? "."
                    : " (as "
                        + t
                        + "): names compare without case unless spark.sql.caseSensitive is"
                        + " true."));
      }
    }
    taken.add(name);
    params.add(param.name());
    return s.add(
        new StructField(name, type, nullable, org.apache.spark.sql.types.Metadata.empty()));
  }

  /**
   * The float32 values of field {@code i} of {@code row}, or null for a null value.
   *
   * @throws IllegalArgumentException for a null element of an array
   */
  static float[] toFloats(Row row, int i, Kind kind) {
    return toFloats(row, i, kind, -1);
  }

  /**
   * {@link #toFloats(Row, int, Kind)} for values of length {@code n} (or any length for {@code n <
   * 0}): a vector of another size is refused before it is expanded (a sparse vector may declare
   * billions of entries in a few bytes).
   *
   * @throws IllegalArgumentException for a null element of an array, or a vector whose size is not
   *     {@code n}
   */
  static float[] toFloats(Row row, int i, Kind kind, int n) {
    if (row.isNullAt(i)) {
      return null;
    }
    Object v = row.get(i);
    if (kind == Kind.VECTOR) {
      int size = ((Vector) v).size();
      if (n >= 0 && size != n) {
        throw new IllegalArgumentException("length " + size + ", expected N = " + n);
      }
      if (v instanceof org.apache.spark.ml.linalg.SparseVector sv) {
        // expanded into the float32 values alone, after checking that they fit this JVM's heap
        long bytes = 4L * size;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 2) {
          throw new IllegalArgumentException(
              "length "
                  + size
                  + " (a sparse vector), which expanded takes "
                  + (bytes >> 20)
                  + " MiB, more than half of this JVM's heap ("
                  + (heap >> 20)
                  + " MiB)");
        }
        float[] f = new float[size];
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) {
          f[idx[k]] = toFloat(val[k], idx[k]);
        }
        return f;
      }
      double[] d = ((Vector) v).toArray();
      float[] f = new float[d.length];
      for (int k = 0; k < d.length; k++) {
        f[k] = toFloat(d[k], k);
      }
      return f;
    }
    if (v instanceof scala.collection.mutable.ArraySeq.ofFloat a) {
      return a.array();
    }
    if (v instanceof scala.collection.immutable.ArraySeq.ofFloat a) {
      return a.unsafeArray();
    }
    // a row made by code rather than read from Spark's storage may hold a Java array or list (Spark
    // accepts both for an array column), and the optimiser hands such rows from one mapPartitions
    // to the next without converting them: Row.getList would fail with a ClassCastException
    if (v instanceof float[] a) {
      return a;
    }
    List<?> list =
        v instanceof List<?> l
            ? l
            : v != null && v.getClass().isArray()
                ? new ArrayList<>(arrayElements(v))
                : row.getList(i);
    float[] f = new float[list.size()];
    int k = 0;
    for (Object e : list) {
      if (e == null) {
        throw new IllegalArgumentException("null at index " + k + " of an array");
      }
      f[k] = e instanceof Float x ? x : toFloat(((Number) e).doubleValue(), k);
      k++;
    }
    return f;
  }

  /** The elements of Java array {@code a} (of primitives or objects), boxed. */
  private static List<Object> arrayElements(Object a) {
    int length = java.lang.reflect.Array.getLength(a);
    List<Object> out = new ArrayList<>(length);
    for (int k = 0; k < length; k++) {
      out.add(java.lang.reflect.Array.get(a, k));
    }
    return out;
  }

  /**
   * {@code d} rounded to float32.
   *
   * @throws IllegalArgumentException for a finite value beyond float32's range (it would round to
   *     an infinity, and be refused as one the user never gave)
   */
  private static float toFloat(double d, int index) {
    float f = (float) d;
    if (Float.isInfinite(f) && Double.isFinite(d)) {
      throw new IllegalArgumentException(
          "value " + d + " at index " + index + ", beyond float32's range (about ±3.4e38)");
    }
    return f;
  }

  /**
   * The float32 values of one partition's rows (field 0 each), converted as they are read.
   *
   * @throws IllegalArgumentException naming the row, partition and column, for a null value (the
   *     core's statistics threw a NullPointerException, a task failure that named nothing) or a
   *     null element of an array
   */
  static java.util.Iterator<float[]> patterns(
      int partition, java.util.Iterator<Row> rows, Kind kind, String column) {
    return new java.util.Iterator<>() {
      private long row;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public float[] next() {
        Row r = rows.next();
        long k = row++;
        float[] x;
        try {
          x = toFloats(r, 0, kind);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where(k) + " has " + e.getMessage(), e);
        }
        if (x == null) {
          throw new IllegalArgumentException(where(k) + " is null");
        }
        return x;
      }

      private String where(long k) {
        return "pattern " + k + " of partition " + partition + ": column " + column;
      }
    };
  }

  /**
   * The state as a value of the output column's type, as a {@link Row} read from Spark holds it: an
   * array as a Scala {@code Seq} (wrapping the values, not copying them). A Java array was accepted
   * where Spark stores the row, but the optimiser passes rows from one {@code mapPartitions} to the
   * next as they are (a second transform over the first one's output, a typed {@code map}), and
   * {@code Row.getList} or {@code getSeq} on a Java array is a ClassCastException.
   */
  static Object toOutput(float[] state, Kind kind) {
    if (kind == Kind.FLOAT_ARRAY || kind == Kind.NUMERIC_ARRAY) {
      return new scala.collection.mutable.ArraySeq.ofFloat(state);
    }
    double[] d = new double[state.length];
    for (int k = 0; k < d.length; k++) {
      d[k] = state[k];
    }
    return kind == Kind.VECTOR
        ? Vectors.dense(d)
        : new scala.collection.mutable.ArraySeq.ofDouble(d);
  }
}
