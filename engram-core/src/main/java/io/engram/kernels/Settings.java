package io.engram.kernels;

import java.util.Locale;

/**
 * The library's system properties ({@code -Dengram.threads=2}, in {@code ENGRAM_JAVA_OPTS} for the
 * command line), read strictly: a value that is not one of the documented ones is an {@link
 * IllegalStateException} naming the property, the value and what it may be, never taken silently as
 * the default (a {@code -Dengram.threads=two} ran on every core, {@code -Dengram.denseInHeap=maybe}
 * read as {@code false}). Unset or blank means the default.
 */
public final class Settings {

  /** {@code auto}, {@code panama} or {@code scalar}: which kernels run. */
  public static final String VECTORIZATION = "engram.vectorization";

  /** 128, 256 or 512: the SIMD kernels' vector size, at most the machine's. */
  public static final String VECTOR_BITS = "engram.vectorBits";

  /** A whole number from 1: the most threads one kernel call uses. */
  public static final String THREADS = "engram.threads";

  /** {@code true} or {@code false}: the background compilation of the kernels (true). */
  public static final String WARMUP = "engram.warmup";

  /** {@code true} or {@code false}: a dense model's W read into the heap (by its size if unset). */
  public static final String DENSE_IN_HEAP = "engram.denseInHeap";

  /**
   * {@code true} or {@code false}: the SIMD kernels' plain-Java twin without the module (false).
   */
  public static final String TWIN_KERNELS = "engram.twinKernels";

  private static final String[] VECTORIZATIONS = {"auto", "panama", "scalar"};

  private static final String[] VECTOR_SIZES = {"128", "256", "512"};

  private Settings() {}

  /**
   * Checks every property above; throws for the first one set to a value it cannot have. For
   * programs (the command line) that would rather refuse a mistyped setting at once than at the
   * first call that reads it.
   *
   * @throws IllegalStateException naming the property, its value and what it may be
   */
  public static void checkAll() {
    checkKernels();
    threads(1);
    flag(WARMUP, true);
    flag(DENSE_IN_HEAP);
  }

  /**
   * Checks the properties that choose the kernels (vectorization, vector size, the twin): those
   * that {@code Providers} reads once for the whole JVM.
   *
   * @throws IllegalStateException naming the property, its value and what it may be
   */
  static void checkKernels() {
    vectorization();
    vectorBits(512);
    flag(TWIN_KERNELS, false);
  }

  /** {@link #VECTORIZATION}: {@code auto} (the default), {@code panama} or {@code scalar}. */
  public static String vectorization() {
    return vectorization(value(VECTORIZATION));
  }

  static String vectorization(String value) {
    return choice(VECTORIZATION, value, "auto", VECTORIZATIONS);
  }

  /**
   * {@link #VECTOR_BITS}: the vector size asked for, at most {@code preferred} (the machine's);
   * that when unset.
   */
  public static int vectorBits(int preferred) {
    return vectorBits(value(VECTOR_BITS), preferred);
  }

  static int vectorBits(String value, int preferred) {
    String v = choice(VECTOR_BITS, value, null, VECTOR_SIZES);
    return v == null ? preferred : Math.min(preferred, Integer.parseInt(v));
  }

  /** {@link #THREADS}: the number given, or {@code otherwise} when unset. */
  public static int threads(int otherwise) {
    return threads(value(THREADS), otherwise);
  }

  /** {@link #threads(int)} of a value (trimmed, null when unset). */
  static int threads(String v, int otherwise) {
    if (v == null) {
      return otherwise;
    }
    if (v.length() <= 9 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int t = Integer.parseInt(v);
      if (t >= 1) {
        return t;
      }
    }
    throw bad(THREADS, v, "a whole number of threads from 1, such as 2");
  }

  /** A {@code true} / {@code false} property (either case), or {@code otherwise} when unset. */
  public static boolean flag(String name, boolean otherwise) {
    return flag(name, value(name), otherwise);
  }

  /** A {@code true} / {@code false} property (either case), or null when unset. */
  public static Boolean flag(String name) {
    String v = value(name);
    return v == null ? null : flag(name, v, false);
  }

  /** {@link #flag(String, boolean)} of a value (trimmed, null when unset). */
  static boolean flag(String name, String v, boolean otherwise) {
    if (v == null) {
      return otherwise;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw bad(name, v, "true or false");
    }
  }

  /**
   * The value {@code v} of property {@code name} (trimmed, null when unset) in lower case, one of
   * {@code allowed}, or {@code otherwise} when unset.
   */
  private static String choice(String name, String v, String otherwise, String[] allowed) {
    if (v == null) {
      return otherwise;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(lower)) {
        return a;
      }
    }
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < allowed.length; i++) {
      expected.append(i == 0 ? "" : i == allowed.length - 1 ? " or " : ", ").append(allowed[i]);
    }
    throw bad(name, v, expected.toString());
  }

  /** The property's value, trimmed; null when unset or blank. */
  static String value(String name) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static IllegalStateException bad(String name, String value, String expected) {
    return new IllegalStateException(
        "the setting " + name + " is " + shown(value) + ", expected " + expected);
  }

  /** The value in quotes, control characters escaped (a value can hold a line break). */
  private static String shown(String value) {
    StringBuilder s = new StringBuilder("'");
    int shown = Math.min(value.length(), 60);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        s.append(c);
      }
    }
    return s.append(shown < value.length() ? "...'" : "'").toString();
  }
}
