package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The size of one model file member, with the numbers of the models that were written and then
 * refused by every reader (8193 x 65536 modern patterns, a low-rank call of 8200 x 65536). Nothing
 * here holds gigabytes: the checks are arithmetic.
 */
class MemberLimitTest {

  private static final long ROW = 4L * 65536;

  @Test
  void theLimitIsWhatAReaderTakesWholeLessTheLongestHeader() {
    assertEquals(Integer.MAX_VALUE - 8L - Npy.MAX_HEADER_BYTES - 16, ModelFile.MAX_MEMBER_BYTES);
    // the largest member that fits, with the longest header a reader accepts, is one byte array
    assertTrue(ModelFile.MAX_MEMBER_BYTES + Npy.MAX_HEADER_BYTES + 16 <= Npy.MAX_ELEMENTS);
  }

  @Test
  void membersOfTheFindingsAreRefusedByNameAndTheirLimit() {
    assertEquals(
        "8193 patterns of length 65536 (2147745792 bytes) are more than one model file member"
            + " can hold (at most 2147418087 bytes: 8191 of this length)",
        ModelFile.memberOverflow(8193, 65536, "patterns"));
    String lowRank = ModelFile.memberOverflow(8200, 65536, "patterns");
    assertTrue(lowRank.startsWith("8200 patterns of length 65536 (2149580800 bytes)"), lowRank);
    // the last that fits and the first that does not
    assertNull(ModelFile.memberOverflow(8191, 65536, "patterns"));
    assertTrue(8191 * ROW <= ModelFile.MAX_MEMBER_BYTES && 8192 * ROW > ModelFile.MAX_MEMBER_BYTES);
    assertTrue(ModelFile.memberOverflow(8192, 65536, "rows").startsWith("8192 rows of length"));
    // no overflow on the way: 2^31 rows of 2^31 values (2^64 bytes) are refused, not wrapped
    String huge = ModelFile.memberOverflow(Integer.MAX_VALUE, Integer.MAX_VALUE, "rows");
    assertTrue(huge.contains("(18446744056529682436 bytes)"), huge);
    assertTrue(
        ModelFile.memberOverflow(1, 600_000_000, "patterns").endsWith("not one of this length)"));
    assertNull(ModelFile.memberOverflow(0, 65536, "patterns"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelFile.checkMember("low-rank factor T0: ", 8200, 65536, "patterns"));
    assertTrue(e.getMessage().startsWith("low-rank factor T0: 8200 patterns of length 65536"));
  }
}
