package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Help text a newcomer can read and copy from (issue 9, section 4): no picocli warnings, lines of
 * at most 80 columns broken only between words, paragraphs filled, and every example a command line
 * that parses.
 */
class HelpTest {

  /** Every command but help itself (a command added later is covered without a change here). */
  static final List<String> COMMANDS =
      EngramCli.withAllSubcommands().getSubcommands().keySet().stream()
          .filter(c -> !c.equals("help"))
          .toList();

  @Test
  void everyCommandIsCovered() {
    assertEquals(
        List.of(
            "train", "recall", "export", "inspect", "demo", "capacity", "corrupt", "completion"),
        COMMANDS);
  }

  private static List<ToolRun.Result> everyHelp() {
    List<ToolRun.Result> all = new ArrayList<>();
    all.add(ToolRun.run("--help"));
    all.add(ToolRun.run("help"));
    // picocli's help command has "%n" in its description, which was printed as it is
    all.add(ToolRun.run("help", "help"));
    all.add(ToolRun.run("help", "--help"));
    for (String c : COMMANDS) {
      all.add(ToolRun.run(c, "--help"));
      all.add(ToolRun.run("help", c));
    }
    return all;
  }

  @Test
  void everyCommandTellsTheVersion() {
    // -V of a command printed nothing, with exit status 0 (picocli's mixin without a version)
    ToolRun.Result top = ToolRun.run("--version");
    assertEquals(0, top.status());
    assertTrue(top.out().startsWith("engram "), top.out());
    for (String c : COMMANDS) {
      for (String flag : List.of("-V", "--version")) {
        ToolRun.Result r = ToolRun.run(c, flag);
        assertEquals(0, r.status(), c + " " + flag);
        assertEquals(top.out(), r.out(), c + " " + flag);
      }
    }
  }

  @Test
  void everyWayOfAskingGivesTheSameHelp() {
    // a command run alone sets up the help's layout only when its arguments ask for help
    for (String c : COMMANDS) {
      String help = ToolRun.run(c, "--help").out();
      assertEquals(help, ToolRun.run("help", c).out(), c);
      assertEquals(help, ToolRun.run(c, "-h").out(), c);
    }
    assertEquals(ToolRun.run("train", "--help").out(), ToolRun.run("train", "-qh").out());
    assertEquals(
        ToolRun.run("recall", "--help").out(),
        ToolRun.run("recall", "--model", "m.npz", "--help").out());
    assertTrue(EngramCli.asksForHelp(new String[] {"train", "-qh"}));
    assertFalse(EngramCli.asksForHelp(new String[] {"train", "--hebbian", "--out=h.npz", "-q"}));
  }

  @Test
  void everyHelpIsCleanAndFitsEightyColumns() {
    for (ToolRun.Result r : everyHelp()) {
      assertEquals(0, r.status(), r::toString);
      assertEquals("", r.err(), "nothing on stderr (no picocli WARN): " + r);
      assertFalse(r.out().contains("%%") || r.out().contains("%n"), r::toString);
      for (String line : r.out().lines().toList()) {
        assertTrue(line.length() <= HelpLayout.WIDTH, () -> "longer than 80: '" + line + "'");
        assertEquals(line.stripTrailing(), line, "no trailing blanks");
      }
    }
    assertTrue(ToolRun.run("demo", "--help").out().contains("corrupted (30%"));
  }

  /**
   * A command's description is whole paragraphs: each one ends a sentence (a description given one
   * line per element was printed as a paragraph per line, blank lines between).
   */
  @Test
  void descriptionParagraphsEndSentences() {
    for (String c : COMMANDS) {
      List<String> lines = ToolRun.run(c, "--help").out().lines().toList();
      int i = lines.indexOf("") + 1; // after the usage block
      StringBuilder paragraph = new StringBuilder();
      int paragraphs = 0;
      for (; i < lines.size() && !lines.get(i).endsWith(":"); i++) {
        String line = lines.get(i);
        if (!line.isBlank()) {
          paragraph.append(line.strip());
        }
        if ((line.isBlank() || i + 1 == lines.size()) && paragraph.length() > 0) {
          String p = paragraph.toString();
          assertTrue(
              p.endsWith(".") || p.endsWith(".)") || p.endsWith(":"),
              () -> c + ": a paragraph that ends mid-sentence: '" + p + "'");
          paragraphs++;
          paragraph.setLength(0);
        }
      }
      assertTrue(paragraphs > 0, c + " has a description");
    }
  }

  /** A wrapped paragraph never breaks a line early: the next word would not have fitted. */
  @Test
  void paragraphsAreFilledAndBrokenOnlyBetweenWords() {
    for (ToolRun.Result r : everyHelp()) {
      List<String> lines = r.out().lines().toList();
      for (int i = 0; i + 1 < lines.size(); i++) {
        String a = lines.get(i);
        String b = lines.get(i + 1);
        boolean sameParagraph =
            !a.isBlank()
                && !b.isBlank()
                && !a.endsWith("\\")
                && !a.endsWith(":")
                && indent(b) > 0 == indent(a) > 0
                && !b.strip().startsWith("-")
                && !b.strip().startsWith("engram ")
                && !b.strip().startsWith("#")
                && !a.startsWith("Usage:")
                && indent(a) == 0;
        if (sameParagraph) {
          String next = b.strip().split(" ")[0];
          assertTrue(
              a.length() + 1 + next.length() > HelpLayout.WIDTH,
              () -> "'" + next + "' would have fitted on: '" + a + "'");
        }
      }
    }
    // the examples that used to break inside a file name
    String recall = ToolRun.run("recall", "--help").out();
    assertTrue(recall.contains("--grid grid.png"), recall);
    assertTrue(recall.contains("--energy-plot energy.png"), recall);
    assertTrue(ToolRun.run("demo", "--help").out().contains("[--out=FILE.png]"));
  }

  @Test
  void wrapBreaksOnlyAtSpaces() {
    assertEquals(
        List.of("one two", "  three", "  averyveryverylongword"),
        HelpLayout.wrap("one two three averyveryverylongword", 0, 2, 9));
    String example =
        "  engram recall --model m.npz --queries q.npy --out r.npy --grid grid.png --stored"
            + " images/ --energy-plot energy.png";
    List<String> lines = HelpLayout.footerLine(example);
    assertTrue(lines.size() > 1, lines::toString);
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      assertTrue(l.length() <= HelpLayout.WIDTH, l);
      assertEquals(i < lines.size() - 1, l.endsWith(" \\"), l);
      // an option and its value stay together
      assertFalse(l.endsWith("--grid \\") || l.endsWith("--stored \\"), l);
      joined.append(l.endsWith(" \\") ? l.substring(0, l.length() - 2) : l).append(' ');
    }
    assertEquals(example.strip(), joined.toString().strip().replaceAll(" +", " "));
  }

  private static int indent(String s) {
    return s.length() - s.stripLeading().length();
  }

  /** Every example, its continuation lines joined, is a command line that parses. */
  @Test
  void everyExampleParses() {
    int examples = 0;
    for (ToolRun.Result r : everyHelp()) {
      List<String> lines = r.out().lines().toList();
      int start = lines.indexOf("Examples:");
      if (start < 0) {
        start = lines.indexOf("Example:");
      }
      if (start < 0) {
        continue;
      }
      StringBuilder cmd = new StringBuilder();
      for (String line : lines.subList(start + 1, lines.size())) {
        String t = line.strip();
        if (t.isEmpty()) {
          break;
        }
        if (t.startsWith("#")) {
          continue;
        }
        cmd.append(t.endsWith("\\") ? t.substring(0, t.length() - 1) : t).append(' ');
        if (t.endsWith("\\")) {
          continue;
        }
        String c = cmd.toString();
        cmd.setLength(0);
        for (String cut : new String[] {" #", " > ", " | "}) { // a comment, shell redirection
          int at = c.indexOf(cut);
          if (at >= 0) {
            c = c.substring(0, at);
          }
        }
        c = c.strip();
        if (c.startsWith("source ") || c.startsWith("mkdir ")) {
          continue;
        }
        assertTrue(c.startsWith("engram "), c);
        String[] args = c.substring("engram ".length()).split(" +");
        try {
          EngramCli.withAllSubcommands().parseArgs(args);
        } catch (CommandLine.ParameterException e) {
          fail("example does not parse: " + c + ": " + e.getMessage());
        }
        examples++;
      }
    }
    assertTrue(examples > 40, "examples found: " + examples);
  }

  /** A first argument that is not a command names the commands, and the one a typo meant. */
  @Test
  void anUnknownCommandNamesTheCommands() {
    String all = String.join(", ", COMMANDS) + ", help";
    ToolRun.Result r = ToolRun.run("trian", "--patterns", "p.npy");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: 'trian' is not a command (did you mean 'train'?); the commands are "
            + all
            + " (see 'engram --help')",
        r.err().strip());
    r = ToolRun.run("frobnicate");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: 'frobnicate' is not a command; the commands are " + all + " (see 'engram --help')",
        r.err().strip());
    assertTrue(EngramCli.unknownCommand("Capcity", COMMANDS).contains("did you mean 'capacity'"));
    assertTrue(EngramCli.unknownCommand("exprot", COMMANDS).contains("did you mean 'export'"));
    assertFalse(EngramCli.unknownCommand("xyz", COMMANDS).contains("did you mean"));
    // so does 'help' of one ("Unknown subcommand 'trian'." before)
    r = ToolRun.run("help", "trian");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: 'trian' is not a command (did you mean 'train'?); the commands are "
            + all
            + " (see 'engram --help')",
        r.err().strip());
    // an unknown option is named
    assertTrue(ToolRun.run("-x").err().contains("Unknown option: '-x'"));
  }

  /**
   * A command's option with a typo is named with the option meant, and without its value (picocli's
   * line was "Unknown options: '--nuerons', '30'", the value read as another option).
   */
  @Test
  void anOptionWithATypoNamesTheOptionMeant() {
    ToolRun.Result r = ToolRun.run("capacity", "--nuerons", "30");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: Unknown option: '--nuerons' (did you mean '--neurons'?) (see 'engram capacity"
            + " --help')",
        r.err().strip());
    // a typo of a required option: picocli named only the missing option
    r = ToolRun.run("train", "--patern", "p.npy", "--out", "m.npz");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: Unknown option: '--patern' (did you mean '--patterns'?) (see 'engram train"
            + " --help')",
        r.err().strip());
    r = ToolRun.run("train", "--out", "m.npz");
    assertTrue(r.err().contains("Missing required option: '--patterns=FILE'"), r::toString);
    r = ToolRun.run("recall", "--model=m.npz", "--queries=q.npy", "--out=o.npy", "--iteration=3");
    assertEquals(2, r.status(), r::toString);
    assertTrue(
        r.err().contains("Unknown option: '--iteration' (did you mean '--iterations'?)"),
        r::toString);
    // nothing near: the option alone (picocli's line was "Unknown options: '--frobnicate', '3'")
    r = ToolRun.run("capacity", "--frobnicate", "3");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: Unknown option: '--frobnicate' (see 'engram capacity --help')", r.err().strip());
  }

  /**
   * An argument that follows an option's value is named with that option, and how to give a second
   * value: picocli's line was "Unmatched argument at index 3: 'b.csv'", in its own words.
   */
  @Test
  void aSecondValueForAnOptionSaysHowToGiveIt() {
    ToolRun.Result r = ToolRun.run("train", "--patterns", "a.csv", "b.csv", "--out", "m.npz");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: unexpected argument 'b.csv' after '--patterns a.csv': an option takes one value;"
            + " give the option again for another ('--patterns b.csv') (see 'engram train --help')",
        r.err().strip());
    r = ToolRun.run("capacity", "--neurons", "64", "--patterns", "2", "4");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: unexpected argument '4' after '--patterns 2': an option takes one value; a list"
            + " is one value, without blanks ('--patterns 2,4') (see 'engram capacity --help')",
        r.err().strip());
    r = ToolRun.run("corrupt", "--patterns", "p.npy", "--flip", "-0.1", "0.2", "--out", "c.npy");
    assertEquals(2, r.status(), r::toString);
    assertTrue(
        r.err()
            .startsWith("engram: unexpected argument '0.2' after '--flip -0.1': an option takes"),
        r::toString);
    // no option before it: what the command takes
    r = ToolRun.run("inspect", "m.npz", "n.npz");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: unexpected argument 'n.npz': 'engram inspect' takes one MODEL besides its options"
            + " (see 'engram inspect --help')",
        r.err().strip());
    r = ToolRun.run("recall", "extra", "--model", "m.npz", "--queries", "q.npy", "--out", "o.npy");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: unexpected argument 'extra': 'engram recall' takes only options, each value after"
            + " its name (see 'engram recall --help')",
        r.err().strip());
  }

  /**
   * The start of one option's name: picocli does not abbreviate, and 'train --pat p.npy' said only
   * that --patterns was missing; an option that is not missing was 'Unknown options: '--temp',
   * '2''. A start shared by several options names none.
   */
  @Test
  void theStartOfAnOptionsNameNamesTheOption() {
    ToolRun.Result r = ToolRun.run("train", "--pat", "p.npy", "--out", "m.npz");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: Unknown option: '--pat' (did you mean '--patterns'? option names are not"
            + " abbreviated) (see 'engram train --help')",
        r.err().strip());
    r = ToolRun.run("recall", "--mod", "m.npz", "--queries", "q.npy", "--out", "o.npy");
    assertTrue(r.err().contains("Unknown option: '--mod' (did you mean '--model'?"), r::toString);
    r = ToolRun.run("capacity", "--neur", "30");
    assertTrue(
        r.err().contains("Unknown option: '--neur' (did you mean '--neurons'?"), r::toString);
    // --st: --state-tolerance and --stored
    r = ToolRun.run("recall", "--model", "m.npz", "--queries", "q.npy", "--out", "o.npy", "--st");
    assertEquals(2, r.status(), r::toString);
    assertFalse(r.err().contains("did you mean"), r::toString);
  }

  /**
   * engram help with an unknown option or two commands is an error, exit 2, one line: {@code help
   * --foo} printed the main usage with exit 0, and {@code help train recall} train's help alone.
   */
  @Test
  void helpRefusesWhatItWouldDrop() {
    ToolRun.Result option = ToolRun.run("help", "--foo");
    assertEquals(2, option.status(), option::toString);
    assertEquals("", option.out(), option::toString);
    assertEquals("engram: Unknown option: '--foo' (see 'engram help --help')\n", option.err());
    ToolRun.Result two = ToolRun.run("help", "train", "recall");
    assertEquals(2, two.status(), two::toString);
    assertEquals("", two.out(), two::toString);
    assertEquals(
        "engram: unexpected argument 'recall' after 'train': 'engram help' shows one command's"
            + " help at a time (see 'engram help --help')\n",
        two.err());
    for (String[] fine : new String[][] {{"help", "-h"}, {"help", "train"}, {"help", "--help"}}) {
      ToolRun.Result r = ToolRun.run(fine);
      assertEquals(0, r.status(), () -> String.join(" ", fine) + ": " + r);
      assertTrue(r.out().startsWith("Usage: engram "), r::toString);
    }
  }
}
