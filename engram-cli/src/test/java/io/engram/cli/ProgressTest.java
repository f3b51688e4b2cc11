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
    // a bar of 4 steps: the step done before it appeared, then the second (close draws the bar
    // once more before it clears it)
    int first = s.indexOf("1/4");
    assertTrue(first >= 0 && s.indexOf("2/4", first) > first, s);
    assertTrue(s.contains("25%") && s.contains("50%"), s);
    // removed when the work ends: the last line drawn is blank
    String[] lines = s.split("\r");
    assertTrue(lines[lines.length - 1].isBlank(), s);
  }

  /** Waits up to 10 s for the condition. */
  private static boolean eventually(java.util.function.BooleanSupplier c)
      throws InterruptedException {
    for (int i = 0; i < 200 && !c.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    return c.getAsBoolean();
  }

  @Test
  void anOpenEndedBarShowsAFractionInPercent() throws InterruptedException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (Progress p =
        Progress.start("train", -1, true, new PrintStream(b, true, StandardCharsets.UTF_8))) {
      Thread.sleep(Progress.DELAY_MILLIS + 100);
      p.fraction(3, 4);
      // the bar redraws every 200 ms; on a loaded machine its thread may run later
      assertTrue(
          eventually(() -> b.toString(StandardCharsets.UTF_8).contains("75/100")), b::toString);
      p.fraction(5, 0); // no total: ignored
      p.fraction(9, 4); // clamped
      eventually(() -> b.toString(StandardCharsets.UTF_8).contains("100/100"));
    }
    assertTrue(
        b.toString(StandardCharsets.UTF_8).contains("100/100"), b.toString(StandardCharsets.UTF_8));
    Progress.none().fraction(1, 2); // never drawn, never fails
  }

  /**
   * The random-pattern demo draws bars while it stores and recalls, as every other command's work
   * does: --neurons 20000 --patterns 10000 ran for minutes and printed nothing until its table.
   */
  @Test
  void theRandomPatternDemoShowsItsWork(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException, InterruptedException {
    ToolRun.Result r =
        ToolRun.fresh(
            dir,
            java.util.List.of("env", "ENGRAM_PROGRESS=always"),
            java.util.List.of("-Xmx512m", "--add-modules", "jdk.incubator.vector"),
            "demo",
            "--neurons",
            "2000",
            "--patterns",
            "800");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.err().contains("recalling"), r::toString);
    assertTrue(r.out().contains("of 800 patterns came back exactly"), r::toString);
    ToolRun.Result quiet =
        ToolRun.fresh(
            dir,
            java.util.List.of("env", "ENGRAM_PROGRESS=always"),
            java.util.List.of("-Xmx512m"),
            "demo",
            "-q",
            "--neurons",
            "50",
            "--patterns",
            "3");
    assertEquals("", quiet.err(), quiet::toString);
  }
}
