package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The library's system properties are read strictly: a value they cannot have is an
 * IllegalStateException naming the property, the value and what it may be (engram.threads=two ran
 * on every core, engram.denseInHeap=maybe read as false, engram.warmup=no left the warm-up on). The
 * values are handed in directly: setting the real properties here would reach kernels that other
 * tests, or a warm-up thread, are running.
 */
class SettingsTest {

  @Test
  void threadsAreAWholeNumberFromOne() {
    assertEquals(7, Settings.threads(null, 7));
    assertEquals(2, Settings.threads("2", 7));
    assertEquals(1, Settings.threads("1", 7));
    for (String bad : new String[] {"two", "0", "-1", "2.0", "+2", "1e3", "9999999999", "２"}) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> Settings.threads(bad, 7), bad);
      assertEquals(
          "the setting engram.threads is '"
              + bad
              + "', expected a whole number of threads from 1, such as 2",
          e.getMessage());
    }
  }

  @Test
  void flagsAreTrueOrFalseInEitherCase() {
    assertTrue(Settings.flag(Settings.WARMUP, null, true));
    assertFalse(Settings.flag(Settings.WARMUP, null, false));
    assertTrue(Settings.flag(Settings.DENSE_IN_HEAP, "TRUE", false));
    assertFalse(Settings.flag(Settings.DENSE_IN_HEAP, "False", true));
    for (String bad : new String[] {"maybe", "yes", "1", "no"}) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> Settings.flag(Settings.DENSE_IN_HEAP, bad, false),
              bad);
      assertEquals(
          "the setting engram.denseInHeap is '" + bad + "', expected true or false",
          e.getMessage());
    }
  }

  @Test
  void vectorizationAndVectorBitsAreOneOfTheirValues() {
    assertEquals("scalar", Settings.vectorization("Scalar"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Settings.vectorization("simd"));
    assertEquals(
        "the setting engram.vectorization is 'simd', expected auto, panama or scalar",
        e.getMessage());
    // a narrower vector than the machine's, never a wider one
    assertEquals(512, Settings.vectorBits(null, 512));
    assertEquals(256, Settings.vectorBits("256", 512));
    assertEquals(128, Settings.vectorBits("128", 256));
    assertEquals(256, Settings.vectorBits("512", 256));
    for (String bad : new String[] {"abc", "100", "1024", "64"}) {
      e = assertThrows(IllegalStateException.class, () -> Settings.vectorBits(bad, 512), bad);
      assertEquals(
          "the setting engram.vectorBits is '" + bad + "', expected 128, 256 or 512",
          e.getMessage());
    }
  }

  @Test
  void aValueIsShownOnOneLineAndCut() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Settings.threads("1\n2\u001b[31m", 1));
    assertEquals(
        "the setting engram.threads is '1\\u000a2\\u001b[31m', expected a whole number of threads"
            + " from 1, such as 2",
        e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> Settings.threads("x".repeat(100), 1));
    assertTrue(e.getMessage().contains("'" + "x".repeat(60) + "...'"), e.getMessage());
  }

  /** The properties this JVM runs with (the build's) are all valid. */
  @Test
  void theseTestsRunWithValidSettings() {
    Settings.checkAll();
    Kernels.requireValidSettings();
  }
}
