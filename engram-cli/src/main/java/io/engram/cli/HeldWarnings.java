package io.engram.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard error of one command, which holds back its warning lines ({@code engram: warning: ...})
 * until the command goes on past its inputs: they are written before any other line or progress, or
 * when the command ends, unless it ends with exit 2, whose one error line is then all that is
 * written. A warning about the inputs (images resized to the first one's size) followed by the
 * error they led to made the error two lines.
 */
final class HeldWarnings extends Writer {

  private static final String WARNING = "engram: warning: ";

  /** The command running in this JVM (one at a time), or null. */
  private static volatile HeldWarnings current;

  private final PrintWriter target;
  private final StringBuilder line = new StringBuilder();
  private final List<String> held = new ArrayList<>();

  HeldWarnings(PrintWriter target) {
    this.target = target;
    current = this;
  }

  /** Writes the warnings held so far: the command has begun its work (a progress bar starts). */
  static void releaseNow() {
    HeldWarnings h = current;
    if (h != null) {
      synchronized (h) {
        h.release();
        h.target.flush();
      }
    }
  }

  /**
   * Writes a warning line ({@code engram: warning: TEXT}) to the running command's standard error,
   * held as every warning is; nothing where no command runs.
   */
  static void warn(String text) {
    HeldWarnings h = current;
    if (h != null) {
      char[] c = (WARNING + EngramCli.printable(text) + "\n").toCharArray();
      h.write(c, 0, c.length);
    }
  }

  /**
   * Standard output that first writes the warnings held: a command's summary line or report comes
   * once it is past its inputs, and its warnings belong before it (held to the end, they came after
   * the summary line).
   */
  static PrintWriter releasingBefore(PrintWriter out) {
    return new PrintWriter(
        new Writer() {
          @Override
          public void write(char[] buf, int off, int len) {
            releaseNow();
            out.write(buf, off, len);
          }

          @Override
          public void flush() {
            out.flush();
          }

          @Override
          public void close() {
            out.flush();
          }
        },
        true);
  }

  /** Drops the warnings held: the command failed with a user error, its one line follows. */
  synchronized void drop() {
    held.clear();
  }

  /** The command ended: what is held is written (after {@link #drop} on exit 2: nothing). */
  synchronized void end() {
    release();
    if (line.length() > 0) {
      target.write(line.toString());
      line.setLength(0);
    }
    target.flush();
    if (current == this) {
      current = null;
    }
  }

  private void release() {
    for (String w : held) {
      target.write(w);
    }
    held.clear();
  }

  @Override
  public synchronized void write(char[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      char c = buf[i];
      line.append(c);
      if (c == '\n') {
        String l = line.toString();
        line.setLength(0);
        if (l.startsWith(WARNING)) {
          held.add(l);
        } else {
          release();
          target.write(l);
        }
      }
    }
  }

  @Override
  public synchronized void flush() {
    // a line written without its end (a prompt, a bar): the warnings before it, then it
    String l = line.toString();
    if (!l.isEmpty() && !l.startsWith(WARNING) && !WARNING.startsWith(l)) {
      release();
      target.write(l);
      line.setLength(0);
    }
    target.flush();
  }

  @Override
  public void close() {
    end();
  }
}
