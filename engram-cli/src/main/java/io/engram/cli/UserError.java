package io.engram.cli;

/** A problem with the user's arguments or input: reported as one line, exit status 2. */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserError(String message) {
    super(message);
  }

  UserError(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@code value.get()}, with a library's refusal of it ({@link IllegalArgumentException}) named by
   * the option it came from: the library's messages name its own parameter ("temperature must be a
   * finite float32 value, got 1.0E39"), not the option. A message that begins with the parameter's
   * name has the option in its place ("--temperature must be a finite float32 value, got 1.0E39",
   * once "--temperature: temperature must be ..."); any other is put after the option and a colon.
   */
  static <T> T naming(String option, java.util.function.Supplier<T> value) {
    try {
      return value.get();
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      String parameter = option.replaceFirst("^-+", "").replace('-', ' ') + " ";
      throw new UserError(
          m.startsWith(parameter)
              ? option + m.substring(parameter.length() - 1)
              : option + ": " + m,
          e);
    }
  }
}
