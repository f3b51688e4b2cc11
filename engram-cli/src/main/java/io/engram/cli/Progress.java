package io.engram.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for work that takes more than a moment: it appears only after {@link
 * #DELAY_MILLIS} ms, only when enabled (stderr is a terminal and not {@code --quiet}), and is
 * removed again when the work ends. Thread-safe: steps may come from recall's worker threads.
 */
final class Progress implements AutoCloseable {

  /** Work that finishes sooner shows no bar. */
  static final long DELAY_MILLIS = 400;

  private static final Progress NONE = new Progress(null, null, 0, null);

  private final String task;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private long total;
  private long done;
  private ProgressBar bar;
  private Consumer consumer;
  private boolean closed;

  private Progress(String task, PrintStream out, long total, ScheduledExecutorService timer) {
    this.task = task;
    this.out = out;
    this.total = total;
    this.timer = timer;
  }

  /** A bar that is never drawn. */
  static Progress none() {
    return NONE;
  }

  /** A bar for {@code total} steps ({@code -1}: unknown), drawn on {@code out} if it is enabled. */
  static Progress start(String task, long total, boolean enabled, PrintStream out) {
    // the work begins, past the inputs' checks: their warnings now, before any bar
    HeldWarnings.releaseNow();
    if (!enabled) {
      return NONE;
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "engram-progress");
              t.setDaemon(true);
              return t;
            });
    Progress p = new Progress(task, out, total, timer);
    try {
      timer.schedule(p::show, DELAY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (OutOfMemoryError e) {
      if (!EngramCli.noThread(e)) {
        throw e;
      }
      return NONE; // no thread for the bar (ulimit -u): the work goes on without one
    }
    return p;
  }

  /**
   * The values of {@code ENGRAM_PROGRESS}: auto (the terminal test, the default), never, always.
   */
  static final java.util.Set<String> MODES = java.util.Set.of("auto", "never", "always");

  /**
   * Whether bars should be drawn: not {@code --quiet}, and stderr is an interactive terminal (a
   * console is attached, and on Java 22+ it is a terminal). {@code ENGRAM_PROGRESS=never|always}
   * overrides the terminal test.
   */
  static boolean enabled(boolean quiet) {
    if (quiet) {
      return false;
    }
    String env = System.getenv("ENGRAM_PROGRESS");
    if ("never".equals(env)) {
      return false;
    }
    if ("always".equals(env)) {
      return true;
    }
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      // Java 22+ returns a console even when redirected; isTerminal() tells
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private synchronized void show() {
    if (closed || bar != null) {
      return;
    }
    consumer = new Consumer(out);
    if (!Consumer.watch(consumer)) {
      return; // shutting down already: no bar
    }
    bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setConsumer(consumer)
            .setUpdateIntervalMillis(200)
            // redraw every interval, not only when the count grows: the elapsed time and the
            // estimate stay current while one long step runs, and a redraw that raced with
            // a change of the total is corrected at the next interval
            .continuousUpdate()
            .clearDisplayOnFinish()
            .startsFrom(done, Duration.ofNanos(System.nanoTime() - startNanos))
            .build();
  }

  /** One more step done. */
  synchronized void step() {
    if (this == NONE) {
      return;
    }
    done++;
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  /**
   * Shows a fraction of some work, in percent: {@code done} of {@code total} units (e.g. the
   * multiply-adds of a training update). Turns an open-ended bar into one of 100 steps.
   */
  synchronized void fraction(long done, long total) {
    if (this == NONE || total <= 0) {
      return;
    }
    if (this.total != 100) {
      setTotal(100);
    }
    this.done = Math.min(100, Math.max(0, (long) (100.0 * done / total)));
    if (bar != null) {
      bar.stepTo(this.done);
    }
  }

  /** Changes the number of steps (e.g. once it is known). */
  synchronized void setTotal(long total) {
    if (this == NONE) {
      return;
    }
    this.total = total;
    if (bar != null) {
      bar.maxHint(total);
    }
  }

  /** Changes the label shown before the bar. */
  synchronized void setTask(String name) {
    if (bar != null) {
      bar.setExtraMessage(name);
    }
  }

  @Override
  public synchronized void close() {
    if (this == NONE || closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    if (bar != null) {
      bar.close();
      Consumer.forget(consumer);
    }
  }

  /**
   * Draws the bar, until the process is interrupted (SIGINT, SIGTERM, SIGHUP): then a bar on the
   * screen is ended with a newline and never drawn again. A bar cut short was left without one, so
   * that the shell's prompt (or its "Terminated") came after the bar, on the same line.
   */
  private static final class Consumer extends ConsoleProgressBarConsumer {
    /** Bars drawn and not closed. */
    private static final java.util.Set<Consumer> OPEN =
        java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static boolean hooked;

    private final PrintStream out;
    private boolean drawn;
    private boolean cut;

    Consumer(PrintStream out) {
      super(out, 100);
      this.out = out;
    }

    /** Records a bar about to be drawn; false when the process is shutting down already. */
    static synchronized boolean watch(Consumer c) {
      if (!hooked) {
        try {
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        for (Consumer open : OPEN) {
                          open.cut();
                        }
                      },
                      "engram-progress-cut"));
        } catch (IllegalStateException e) {
          return false;
        }
        hooked = true;
      }
      OPEN.add(c);
      return true;
    }

    static void forget(Consumer c) {
      OPEN.remove(c);
    }

    @Override
    public synchronized void accept(String rendered) {
      if (!cut) {
        super.accept(rendered);
        drawn = true;
      }
    }

    @Override
    public synchronized void close() {
      if (!cut) {
        super.close();
        drawn = false;
      }
    }

    /** Ends the line of a bar on the screen; nothing is drawn after. */
    synchronized void cut() {
      if (!cut) {
        cut = true;
        if (drawn) {
          out.print('\n');
          out.flush();
        }
      }
    }
  }
}
