package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Text cut to fit a figure's width: whole words where it has several, never through a number. */
class FigureTextTest {

  private static Graphics2D graphics() {
    Graphics2D g = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB).createGraphics();
    g.setFont(Fonts.font(Font.BOLD, 14f));
    return g;
  }

  /** The demo's title names the seed where the cues drew something, not for the bottom hidden. */
  @Test
  void theDemoTitleNamesTheSeedWhereItMatters() {
    io.engram.analysis.Corruption flip = io.engram.analysis.Corruption.of(0.3, 0, 0);
    io.engram.analysis.Corruption hide = io.engram.analysis.Corruption.of(0, 0, 0.5);
    io.engram.analysis.Corruption both = io.engram.analysis.Corruption.of(0.1, 0, 0.4);
    assertTrue(DemoCommand.title(flip, 1024, 42).endsWith(" flipped (seed 42)"));
    assertEquals("Engram demo: 1024 neurons, bottom 50% hidden", DemoCommand.title(hide, 1024, 42));
    assertTrue(DemoCommand.title(both, 1024, 7).endsWith(" hidden (seed 7)"));
  }

  @Test
  void aTitleLosesWholeWordsFromItsMiddle() {
    Graphics2D g = graphics();
    String title = "Engram demo: 16384 neurons, 30% of each cue flipped (seed 42)";
    int full = g.getFontMetrics().stringWidth(title);
    for (int width = full - 10; width > full / 3; width -= 25) {
      String t = Figures.fit(g, title, width);
      assertTrue(g.getFontMetrics().stringWidth(t) <= width, t + " is wider than " + width);
      assertTrue(t.contains(" \u2026 "), t);
      for (String w : t.split(" ")) {
        assertTrue(
            w.equals("\u2026") || title.contains(w), "'" + w + "' is not a word of the title");
      }
      assertTrue(t.startsWith("Engram"), t);
      assertTrue(t.endsWith("42)"), t);
    }
    assertEquals(title, Figures.fit(g, title, full));
  }

  @Test
  void aNameWithoutSpacesLosesCharactersFromItsMiddle() {
    Graphics2D g = graphics();
    String name = "recalled_photograph_of_a_face_0001.png";
    int width = g.getFontMetrics().stringWidth(name) / 2;
    String t = Figures.fit(g, name, width);
    assertTrue(g.getFontMetrics().stringWidth(t) <= width, t);
    assertTrue(t.startsWith("recalled") && t.endsWith(".png") && t.contains("\u2026"), t);
  }
}
