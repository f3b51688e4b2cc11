package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void quietAndShortWorkDrawNothing() {
    assertFalse(Progress.enabled(true));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (Progress p =
        Progress.start("quick", 3, true, new PrintStream(b, true, StandardCharsets.UTF_8))) {
      p.step();
      p.step();
      p.step();
    }
    assertEquals(0, b.size());
  }

  @Test
  void longWorkDrawsABarOnTheGivenStream() throws InterruptedException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (Progress p =
        Progress.start("recall", 4, true, new PrintStream(b, true, StandardCharsets.UTF_8))) {
      p.step();
      Thread.sleep(Progress.DELAY_MILLIS + 400);
      p.step();
    }
    String s = b.toString(StandardCharsets.UTF_8);
    assertTrue(s.contains("recall"), s);
  }

  @Test
  void anOpenEndedBarShowsAFractionInPercent() throws InterruptedException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (Progress p =
        Progress.start("train", -1, true, new PrintStream(b, true, StandardCharsets.UTF_8))) {
      Thread.sleep(Progress.DELAY_MILLIS + 100);
      p.fraction(3, 4);
      // the bar redraws every 200 ms; on a loaded machine a redraw can come late
      assertTrue(eventually(b, "75/100"), b.toString(StandardCharsets.UTF_8));
      p.fraction(5, 0); // no total: ignored
      p.fraction(9, 4); // clamped
      eventually(b, "100/100");
    }
    assertTrue(
        b.toString(StandardCharsets.UTF_8).contains("100/100"), b.toString(StandardCharsets.UTF_8));
    Progress.none().fraction(1, 2); // never drawn, never fails
  }

  /** Waits up to 10 s for {@code text} to be drawn; true once it is. */
  private static boolean eventually(ByteArrayOutputStream b, String text)
      throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (b.toString(StandardCharsets.UTF_8).contains(text)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
