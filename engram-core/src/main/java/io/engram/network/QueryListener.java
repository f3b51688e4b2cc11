package io.engram.network;

/**
 * Called once per finished query of a batch recall, for progress reporting. In a parallel batch it
 * may be called from several threads, in any order of queries; {@code done} counts finished queries
 * so far. Implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface QueryListener {
  /**
   * @param query index of the finished query
   * @param done how many queries have finished, this one included
   * @param total queries in the batch
   * @param result its result
   */
  void onQueryDone(int query, int done, int total, RecallResult result);
}
