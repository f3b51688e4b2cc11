package io.engram.kernels;

import java.lang.System.Logger.Level;

/**
 * Adds up the finished work items of one long kernel pass and reports them to a {@link
 * Kernels.WorkListener}, one call at a time. A listener that throws is dropped for the rest of the
 * pass (one WARNING is logged) and the pass completes, so the output is never left half-written.
 */
final class WorkReport {
  private final Kernels.WorkListener listener;
  private final long total;
  private long done;
  private boolean dropped;

  WorkReport(Kernels.WorkListener listener, long total) {
    this.listener = listener;
    this.total = total;
  }

  synchronized void add(long work) {
    done = Math.min(total, done + work);
    if (dropped) {
      return;
    }
    try {
      listener.onWork(done, total);
    } catch (RuntimeException | Error e) {
      dropped = true;
      System.getLogger(Kernels.class.getName())
          .log(Level.WARNING, "progress listener failed; the kernel pass goes on without it", e);
    }
  }
}
