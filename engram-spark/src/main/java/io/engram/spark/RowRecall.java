package io.engram.spark;

import io.engram.memory.Separation;
import io.engram.network.Memory;
import io.engram.network.RecallResult;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/** Recall of one partition of rows (serialisable: no reference to the model). */
final class RowRecall implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final BroadcastNetwork net;
  private final RecallSpec spec;
  private final int column;
  private final String columnName;
  private final FeatureColumns.Kind kind;
  private final boolean steps;
  private final boolean converged;
  private final boolean energy;
  private final boolean best;
  private final boolean weight;
  private final Separation separation; // a modern memory's (which may refuse cues), or null
  private final StructType out; // the output rows' schema, which they carry
  private final String invalid; // handleInvalid: error, skip or keep

  /**
   * @param separation a modern memory's separation, whose check the cues pass (±1 for the binary
   *     ones), or null
   * @param out the schema of the output rows: each carries it, as a row read from Spark does (the
   *     optimiser may hand them to the next typed operation as they are, where {@code
   *     Row.fieldIndex} and {@code getAs(name)} need it)
   * @param invalid what a row whose cue is refused does ({@code handleInvalid}): {@code error}
   *     fails the task naming it, {@code skip} leaves it out, {@code keep} gives it null outputs
   */
  RowRecall(
      BroadcastNetwork net,
      RecallSpec spec,
      int column,
      String columnName,
      FeatureColumns.Kind kind,
      boolean steps,
      boolean converged,
      boolean energy,
      boolean best,
      boolean weight,
      Separation separation,
      StructType out,
      String invalid) {
    this.net = net;
    this.invalid = invalid;
    this.out = out;
    this.separation = separation;
    this.best = best;
    this.weight = weight;
    this.spec = spec;
    this.column = column;
    this.columnName = columnName;
    this.kind = kind;
    this.steps = steps;
    this.converged = converged;
    this.energy = energy;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    long[] next = {0};
    return callIndexed(
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return rows.hasNext();
          }

          @Override
          public Tuple2<Row, Long> next() {
            return new Tuple2<>(rows.next(), next[0]++);
          }
        },
        false);
  }

  /** This recall with another broadcast memory. */
  RowRecall with(BroadcastNetwork other) {
    return new RowRecall(
        other,
        spec,
        column,
        columnName,
        kind,
        steps,
        converged,
        energy,
        best,
        weight,
        separation,
        out,
        invalid);
  }

  Iterator<Row> callIndexed(Iterator<Tuple2<Row, Long>> rows) {
    return callIndexed(rows, true);
  }

  /**
   * @param global whether the indices are the rows' indices in the dataset (else in the partition)
   */
  private Iterator<Row> callIndexed(Iterator<Tuple2<Row, Long>> rows, boolean global) {
    Memory network = net.memory();
    int n = network.numNeurons();
    TaskContext task = TaskContext.get();
    String partition = task == null ? "" : " of partition " + task.partitionId();
    boolean error = "error".equals(invalid);
    return PartitionRecall.recall(
        network,
        spec,
        rows,
        r -> error ? cue(r._1(), r._2(), global ? "" : partition, n) : cueOrNull(r._1(), n),
        Tuple2::_2,
        this::output, // null for a row that skip leaves out
        !error);
  }

  /**
   * The rows of a chunk on the driver (a sharded memory's), recalled by {@code recall} in order,
   * those it cannot recall as {@code handleInvalid} says.
   *
   * @param index the first row's index in the dataset
   */
  List<Row> recallChunk(
      List<Row> chunk, long index, int n, Function<float[][], List<RecallResult>> recall) {
    boolean error = "error".equals(invalid);
    float[][] cues = new float[chunk.size()][];
    List<float[]> valid = new ArrayList<>(chunk.size());
    for (int q = 0; q < cues.length; q++) {
      cues[q] = error ? cue(chunk.get(q), index + q, "", n) : cueOrNull(chunk.get(q), n);
      if (cues[q] != null) {
        valid.add(cues[q]);
      }
    }
    List<RecallResult> rs =
        valid.isEmpty() ? List.of() : recall.apply(valid.toArray(new float[0][]));
    List<Row> rows = new ArrayList<>(cues.length);
    for (int q = 0, r = 0; q < cues.length; q++) {
      Row row = output(new Tuple2<>(chunk.get(q), index + q), cues[q] == null ? null : rs.get(r++));
      if (row != null) {
        rows.add(row);
      }
    }
    return rows;
  }

  /** The cue of {@code row}, or null where {@link #cue} refuses it (its message then unused). */
  private float[] cueOrNull(Row row, int n) {
    try {
      return cue(row, 0, "", n);
    } catch (IllegalArgumentException refused) {
      return null;
    }
  }

  float[] cue(Row row, long index, String partition, int n) {
    String where = "row " + index + partition + ": column " + columnName;
    float[] c;
    try {
      c = FeatureColumns.toFloats(row, column, kind, n);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " has " + e.getMessage(), e);
    }
    if (c == null) {
      throw new IllegalArgumentException(where + " is null");
    }
    if (c.length != n) {
      throw new IllegalArgumentException(where + " has length " + c.length + ", expected N = " + n);
    }
    for (int i = 0; i < c.length; i++) {
      if (!Float.isFinite(c[i])) {
        throw new IllegalArgumentException(
            where + " has a non-finite value " + c[i] + " at index " + i);
      }
    }
    if (separation != null) {
      separation.checkValues(c, 0, n, where);
    }
    return c;
  }

  /**
   * The output row of {@code in}: its columns and the result's; for a null result (a row refused
   * under {@code handleInvalid} skip or keep), null for skip, else null output columns.
   */
  Row output(Tuple2<Row, Long> in, RecallResult r) {
    if (r == null && "skip".equals(invalid)) {
      return null;
    }
    Row row = in._1();
    int w = row.length();
    Object[] v =
        new Object
            [w
                + 1
                + (steps ? 1 : 0)
                + (converged ? 1 : 0)
                + (energy ? 1 : 0)
                + (best ? 1 : 0)
                + (weight ? 1 : 0)];
    for (int i = 0; i < w; i++) {
      v[i] = row.get(i);
    }
    if (r == null) {
      return new GenericRowWithSchema(v, out); // the output columns null
    }
    v[w++] = FeatureColumns.toOutput(r.state(), kind);
    if (steps) {
      v[w++] = r.steps();
    }
    if (converged) {
      v[w++] = r.converged();
    }
    if (energy) {
      v[w++] = r.energy();
    }
    RecallResult.Match m = r.matches().isEmpty() ? null : r.matches().get(0);
    if (best) {
      v[w++] = m == null ? -1 : m.index();
    }
    if (weight) {
      v[w] = m == null ? Double.NaN : (double) m.weight();
    }
    return new GenericRowWithSchema(v, out);
  }
}
