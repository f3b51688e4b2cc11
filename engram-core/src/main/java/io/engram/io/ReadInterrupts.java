package io.engram.io;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;

/**
 * The exception of a file read that an interrupt of the reading thread stopped. Java's file
 * channels then close the file and throw a {@link ClosedByInterruptException}, which has no message
 * and names no file ({@code getMessage()} is null); the readers of this package throw this one
 * instead, naming the file and saying it was interrupted, with Java's as its cause. The thread's
 * interrupt status stays set, as the channel left it.
 */
final class ReadInterrupts {

  private ReadInterrupts() {}

  /** {@code FILE: reading was interrupted (...)}, caused by {@code e}. */
  static InterruptedIOException named(Path file, ClosedByInterruptException e) {
    InterruptedIOException x =
        new InterruptedIOException(
            file
                + ": reading was interrupted (the thread was interrupted, and Java closed the file"
                + " it was reading)");
    x.initCause(e);
    return x;
  }
}
