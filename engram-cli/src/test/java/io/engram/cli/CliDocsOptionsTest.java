package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/CLI.md and each command's --help name the same options: every option a command takes (under
 * one of its names, {@code -q} for {@code -q, --quiet}) is in that command's row of the commands
 * table (for capacity, also its section; for demo, the paragraph on --compare), and every option
 * the row names is one the command takes, or a named reference to another command's.
 */
class CliDocsOptionsTest {

  /** Options a row names that belong to another command, which it refers to. */
  static final Map<String, Set<String>> REFERENCES =
      Map.of(
          // "--queries as --patterns" (train's)
          "recall", Set.of("--patterns"),
          // "e.g. for engram capacity --data DIR/"
          "demo", Set.of("--data"));

  /**
   * Words of the docs that look like options of the engram command but are not, and why: the JVM's,
   * git's, and the misspellings that the bad-input table quotes as what a user typed.
   */
  static final Map<String, String> NOT_ENGRAM_OPTIONS =
      Map.of(
          "--add-modules", "the java launcher's",
          "--add-exports", "javac's and the java launcher's",
          "--stat", "git's",
          "--nuerons", "a typo the bad-input table quotes",
          "--patern", "a typo the bad-input table quotes",
          "--pat", "an abbreviation the bad-input table quotes",
          "--frobnicate", "an unknown option the bad-input table quotes");

  /** The user docs whose --options must be Engram's. */
  static final List<String> USER_DOCS =
      List.of(
          "README.md",
          "docs/CLI.md",
          "docs/USER_GUIDE.md",
          "docs/CAPACITY.md",
          "docs/MODEL_FORMAT.md",
          "docs/ARCHITECTURE.md");

  static Path cliDoc() {
    Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path doc = base.resolve("../docs/CLI.md").normalize();
    return Files.exists(doc) ? doc : Path.of("docs/CLI.md");
  }

  /** The text CLI.md gives a command: its row, and for capacity and demo their sections. */
  static String section(String doc, String command) {
    Matcher m = Pattern.compile("(?m)^\\| `" + command + "` \\|(.*)$").matcher(doc);
    assertTrue(m.find(), "CLI.md has no row for " + command);
    String text = m.group(1);
    if (command.equals("capacity")) {
      text += doc.substring(doc.indexOf("## The capacity lab"), doc.indexOf("### How long"));
    }
    if (command.equals("demo")) {
      text += doc.substring(doc.indexOf("`bin/engram demo --compare`"), doc.indexOf("## Images"));
    }
    return text;
  }

  /**
   * Every {@code --option} the user docs name is an option of some engram command (CLI.md's
   * bad-input table once named a {@code --rho} that no command has), or one of {@link
   * #NOT_ENGRAM_OPTIONS}.
   */
  @Test
  void everyOptionTheDocsNameExists() throws IOException {
    Set<String> all = new TreeSet<>();
    for (CommandLine c : EngramCli.withAllSubcommands().getSubcommands().values()) {
      for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
        all.addAll(List.of(o.names()));
      }
    }
    Path root = cliDoc().getParent().getParent();
    List<String> problems = new ArrayList<>();
    for (String doc : USER_DOCS) {
      Matcher m =
          Pattern.compile("(?<![\\w-])--[a-z][a-z-]*[a-z]")
              .matcher(Files.readString(root.resolve(doc)));
      Set<String> named = new TreeSet<>();
      while (m.find()) {
        named.add(m.group());
      }
      for (String o : named) {
        if (!all.contains(o) && !NOT_ENGRAM_OPTIONS.containsKey(o)) {
          problems.add(doc + ": " + o + " is no option of any engram command");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * USER_GUIDE.md's synopses of train and recall (the plain blocks whose lines begin {@code engram
   * train} or {@code engram recall}) name every option of the command.
   */
  @Test
  void theUserGuidesSynopsesNameEveryOption() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String command : List.of("train", "recall")) {
      StringBuilder synopsis = new StringBuilder();
      for (DocCommandsTest.Block b : DocCommandsTest.blocks("docs/USER_GUIDE.md")) {
        if (b.lang().isEmpty() && b.text().startsWith("engram " + command + " ")) {
          synopsis.append(b.text());
        }
      }
      assertTrue(synopsis.length() > 0, "USER_GUIDE.md has no synopsis of " + command);
      CommandLine c = EngramCli.withAllSubcommands().getSubcommands().get(command);
      for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        boolean named = false;
        for (String n : o.names()) {
          named |=
              Pattern.compile("(?<![\\w-])" + Pattern.quote(n) + "(?![\\w-])")
                  .matcher(synopsis)
                  .find();
        }
        if (!named) {
          problems.add(command + " " + o.longestName() + ": not in USER_GUIDE.md's synopsis");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyOptionOfEveryCommandIsInCliMdAndNoOther() throws IOException {
    String doc = Files.readString(cliDoc());
    CommandLine cl = EngramCli.withAllSubcommands();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, CommandLine> c : cl.getSubcommands().entrySet()) {
      String name = c.getKey();
      if (name.equals("help")) {
        continue;
      }
      String text = section(doc, name);
      Set<String> taken = new TreeSet<>();
      for (CommandLine.Model.OptionSpec o : c.getValue().getCommandSpec().options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        taken.addAll(List.of(o.names()));
        boolean named = false;
        for (String n : o.names()) {
          named |=
              Pattern.compile("(?<![\\w-])" + Pattern.quote(n) + "(?![\\w-])").matcher(text).find();
        }
        if (!named) {
          problems.add(name + " " + o.longestName() + ": in --help, not in CLI.md");
        }
      }
      if (name.equals("completion")) {
        continue; // its row lists the options it completes, of the other commands
      }
      Matcher m = Pattern.compile("`(--[a-z][a-z-]*)").matcher(text);
      while (m.find()) {
        String o = m.group(1);
        if (!taken.contains(o) && !REFERENCES.getOrDefault(name, Set.of()).contains(o)) {
          problems.add(name + " " + o + ": in CLI.md, not an option of the command");
        }
      }
    }
    assertEquals(List.of(), problems);
  }
}
