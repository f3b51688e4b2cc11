package io.engram.cli;

/** The syntax of decimal numbers as people and numpy write them, on the command line and in CSV. */
final class Decimals {

  private Decimals() {}

  /**
   * Whether {@code s} is a decimal number as a person or numpy writes it: an optional sign, ASCII
   * digits with at most one '.' and at least one digit, an optional exponent ({@code e} or {@code
   * E}, an optional sign, digits). The one syntax of a decimal on the command line (options, {@link
   * EngramCli#decimal}) and in a CSV cell ({@link Inputs}). Read by hand: a regular expression in a
   * static initialiser loaded some 70 classes (java.util.regex and the lambda machinery) into every
   * command, {@code --version} included (0.035 -> 0.040 s).
   */
  static boolean isDecimal(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    boolean point = false;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exponent = 0;
      for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
        exponent++;
      }
      if (exponent == 0) {
        return false;
      }
    }
    return i == n;
  }

  /**
   * Not-a-number or an infinity as Java and numpy write them ({@code nan}, {@code inf}, {@code
   * infinity} in any case, with an optional sign), or null.
   */
  static Double notFinite(String s) {
    boolean minus = s.startsWith("-");
    String word = s.startsWith("+") || minus ? s.substring(1) : s;
    if (word.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("infinity")) {
      return minus ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return null;
  }
}
