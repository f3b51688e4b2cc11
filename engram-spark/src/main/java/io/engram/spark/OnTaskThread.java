package io.engram.spark;

import io.engram.Engram;
import java.util.function.Supplier;

/**
 * Runs core kernels on the calling Spark task's thread only: Spark already runs one task per core,
 * so the core's own thread pool would oversubscribe the executor. The one place where this module
 * reaches below the core's high-level API.
 */
final class OnTaskThread {

  private OnTaskThread() {}

  static <T> T run(Supplier<T> body) {
    return Engram.sequentially(body);
  }
}
