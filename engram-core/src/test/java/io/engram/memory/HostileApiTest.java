package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Bad arguments to the modern memory's public API: named, and the memory left as it was. */
class HostileApiTest {

  /** A null pattern was "pattern 1 has length null, expected 4". */
  @Test
  void aNullPatternIsNamedAsNull() {
    ModernHopfieldMemory m = ModernHopfieldMemory.softmax(4);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> m.store(new float[][] {{1, -1, 1, -1}, null}));
    assertEquals("pattern 1 is null", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> m.store(new float[][] {{1, -1, 1, -1}, {1}}));
    assertEquals("pattern 1 has length 1, expected 4", e.getMessage());
    assertEquals(0, m.size());
  }

  /**
   * A range outside the array: a softmax separation took any (it checks no values), a binary one
   * failed with an ArrayIndexOutOfBoundsException at its first index outside; a negative count was
   * taken by both.
   */
  @Test
  void checkValuesRefusesARangeOutsideTheArrayForEverySeparation() {
    float[] v = {1, -1, 1, -1};
    for (Separation s : Separation.values()) {
      assertThrows(IndexOutOfBoundsException.class, () -> s.checkValues(v, -1, 2, "x"));
      assertThrows(IndexOutOfBoundsException.class, () -> s.checkValues(v, 3, 2, "x"));
      assertThrows(
          IndexOutOfBoundsException.class, () -> s.checkValues(v, Integer.MAX_VALUE, 2, "x"));
      assertThrows(IndexOutOfBoundsException.class, () -> s.checkValues(v, 0, -1, "x"));
      assertEquals(
          "v",
          assertThrows(NullPointerException.class, () -> s.checkValues(null, 0, 0, "x"))
              .getMessage());
      s.checkValues(v, 0, 4, "x");
      s.checkValues(v, 4, 0, "x");
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Separation.POLYNOMIAL.checkValues(new float[] {1, 0.5f}, 0, 2, "query 3"));
    assertEquals(
        "query 3 has the value 0.5 at index 1; polynomial separation needs ±1 values",
        e.getMessage());
  }
}
