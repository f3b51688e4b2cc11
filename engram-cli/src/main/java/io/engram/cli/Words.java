package io.engram.cli;

/**
 * Counted nouns for messages: {@code count(1, "pattern")} is "1 pattern", {@code count(3,
 * "pattern")} is "3 patterns", {@code count(2, "query")} is "2 queries". Plain concatenation (no
 * {@link String#format}: the command line counts its start-up in milliseconds).
 */
final class Words {

  private Words() {}

  /** The count and the noun, singular for exactly 1 (also -1), plural otherwise (0 included). */
  static String count(long n, String singular) {
    return n + " " + noun(n, singular);
  }

  /**
   * The noun alone, in the number a count of {@code n} takes: the singular for 1 (and -1); else the
   * plural, "ies" for a consonant followed by "y" (query, queries), an added "s" otherwise.
   */
  static String noun(long n, String singular) {
    if (n == 1 || n == -1) {
      return singular;
    }
    int last = singular.length() - 1;
    if (last > 0
        && singular.charAt(last) == 'y'
        && "aeiou".indexOf(singular.charAt(last - 1)) < 0) {
      return singular.substring(0, last) + "ies";
    }
    return singular + "s";
  }

  /** The words as alternatives: "a", "a or b", "a, b or c". */
  static String alternatives(java.util.List<String> words) {
    return listed(words, " or ");
  }

  /** The words together: "a", "a and b", "a, b and c". */
  static String all(java.util.List<String> words) {
    return listed(words, " and ");
  }

  private static String listed(java.util.List<String> words, String last) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      if (i > 0) {
        b.append(i == words.size() - 1 ? last : ", ");
      }
      b.append(words.get(i));
    }
    return b.toString();
  }
}
