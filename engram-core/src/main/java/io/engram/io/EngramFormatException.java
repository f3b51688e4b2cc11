package io.engram.io;

import java.io.IOException;

/**
 * A file is not a valid file of the expected format (bad magic, unsupported version or dtype, shape
 * not matching the data, truncated, oversized or malformed header). The message names the file,
 * when known, and the problem.
 */
public final class EngramFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public EngramFormatException(String message) {
    super(message);
  }

  public EngramFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
