package io.engram.spark;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Memory;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Recall of one partition's queries, lazily and in order: {@value #CHUNK} queries at a time through
 * the core's batch kernel ({@link AmariHopfieldNetwork#recallBatch}: one pass over the weights
 * serves the whole chunk), or, for a seeded random asynchronous order, one at a time as {@link
 * AmariHopfieldNetwork#recall(float[], RecallOptions, int)} with the query's id as its batch index.
 * Either way each result equals the core's {@code recallBatch} over all queries in id order.
 */
final class PartitionRecall {

  /** Queries recalled together on one task. */
  static final int CHUNK = 256;

  private PartitionRecall() {}

  /**
   * @param net the network (shared, read only)
   * @param in the partition's items
   * @param cue an item's cue; must have length N and finite values (checked, naming {@code id})
   * @param id an item's id: its batch index for a seeded random order, and its name in errors
   * @param out the output for an item and its result
   */
  static <T, R> Iterator<R> recall(
      Memory net,
      RecallSpec spec,
      Iterator<T> in,
      Function<T, float[]> cue,
      ToLongFunction<T> id,
      BiFunction<T, RecallResult, R> out) {
    return recall(net, spec, in, cue, id, out, false);
  }

  /**
   * {@link #recall(Memory, RecallSpec, Iterator, Function, ToLongFunction, BiFunction)}, where
   * {@code passInvalid} lets {@code cue} give null for an item it refuses (a DataFrame's {@code
   * handleInvalid} skip or keep): such an item is not recalled, and its output is {@code out} with
   * a null result, in its place among the others (none where that is null).
   */
  static <T, R> Iterator<R> recall(
      Memory net,
      RecallSpec spec,
      Iterator<T> in,
      Function<T, float[]> cue,
      ToLongFunction<T> id,
      BiFunction<T, RecallResult, R> out,
      boolean passInvalid) {
    RecallOptions options = spec.toOptions();
    int n = net.numNeurons();
    return new Iterator<>() {
      private final ArrayDeque<R> ready = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && in.hasNext()) {
          fill(); // may leave nothing ready: outputs that are null are left out
        }
        return !ready.isEmpty();
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.removeFirst();
      }

      private void add(R output) {
        if (output != null) {
          ready.add(output);
        }
      }

      private void fill() {
        if (spec.randomOrder()) {
          T item = in.next();
          long i = id.applyAsLong(item);
          float[] raw = cue.apply(item);
          if (raw == null && passInvalid) {
            add(out.apply(item, null));
            return;
          }
          float[] c = checked(raw, i, n);
          int index = spec.queryIndex(i);
          AmariHopfieldNetwork classical = (AmariHopfieldNetwork) net; // only it has an order
          RecallResult r = OnTaskThread.run(() -> classical.recall(c, options, index));
          add(out.apply(item, r));
          return;
        }
        List<T> items = new ArrayList<>(CHUNK);
        float[][] cues = new float[CHUNK][];
        int invalid = 0;
        while (in.hasNext() && items.size() < CHUNK) {
          T item = in.next();
          float[] raw = cue.apply(item);
          if (raw == null && passInvalid) {
            invalid++;
          } else {
            cues[items.size()] = checked(raw, id.applyAsLong(item), n);
          }
          items.add(item);
        }
        float[][] batch = valid(cues, items.size(), invalid);
        List<RecallResult> rs =
            batch.length == 0 ? List.of() : OnTaskThread.run(() -> net.recallBatch(batch, options));
        for (int k = 0, r = 0; k < items.size(); k++) {
          add(out.apply(items.get(k), cues[k] == null ? null : rs.get(r++)));
        }
      }
    };
  }

  /** The first {@code count} cues less the {@code invalid} null ones, in order. */
  private static float[][] valid(float[][] cues, int count, int invalid) {
    if (invalid == 0) {
      return count == cues.length ? cues : java.util.Arrays.copyOf(cues, count);
    }
    float[][] v = new float[count - invalid][];
    for (int k = 0, j = 0; k < count; k++) {
      if (cues[k] != null) {
        v[j++] = cues[k];
      }
    }
    return v;
  }

  /**
   * The cue, checked as the core checks it but named by the query's id.
   *
   * @throws IllegalArgumentException for a null cue, a length other than N, or a non-finite value
   */
  static float[] checked(float[] c, long id, int n) {
    if (c == null) {
      throw new IllegalArgumentException("query " + id + " is null");
    }
    if (c.length != n) {
      throw new IllegalArgumentException(
          "query " + id + " has length " + c.length + ", expected N = " + n);
    }
    for (int i = 0; i < c.length; i++) {
      if (!Float.isFinite(c[i])) {
        throw new IllegalArgumentException(
            "query " + id + " has a non-finite value " + c[i] + " at index " + i);
      }
    }
    return c;
  }
}
