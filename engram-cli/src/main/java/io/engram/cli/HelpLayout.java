package io.engram.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How help text is laid out, for every command: lines of at most {@link #WIDTH} columns, broken
 * only at spaces (never inside a word, an option or a file name), each description element one
 * paragraph, and examples printed as written: an example too long for a line continues on the next
 * with a shell {@code \}, so that it can be copied as it is. Text is never passed through {@code
 * String.format}: a {@code %} is printed as it is.
 */
final class HelpLayout {

  /** The widest line of help. */
  static final int WIDTH = 80;

  /** Where option descriptions start, at most. */
  private static final int MAX_LEFT = 30;

  private HelpLayout() {}

  /** Installs the layout on a command and all its subcommands. */
  static void install(CommandLine cl) {
    Map<String, CommandLine.IHelpSectionRenderer> m = cl.getHelpSectionMap();
    Section none = new Section(HelpLayout::noHeading);
    for (String heading :
        List.of(
            UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
            UsageMessageSpec.SECTION_KEY_DESCRIPTION_HEADING,
            UsageMessageSpec.SECTION_KEY_PARAMETER_LIST_HEADING,
            UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
            UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
            UsageMessageSpec.SECTION_KEY_FOOTER_HEADING)) {
      m.put(heading, none);
    }
    // a header (picocli's help command has one; Engram's commands none) opens the description
    m.put(UsageMessageSpec.SECTION_KEY_HEADER, none);
    m.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, new Section(HelpLayout::synopsis));
    m.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, new Section(HelpLayout::description));
    m.put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, new Section(HelpLayout::parameters));
    m.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, new Section(HelpLayout::options));
    m.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new Section(HelpLayout::commands));
    m.put(UsageMessageSpec.SECTION_KEY_FOOTER, new Section(HelpLayout::footer));
    cl.setHelpSectionMap(m);
    for (CommandLine sub : cl.getSubcommands().values()) {
      install(sub);
    }
  }

  /** A heading left out (each section writes its own). */
  private static String noHeading(Help help) {
    return "";
  }

  /**
   * A section of the help, rendered by a function of picocli's help: a named class rather than a
   * lambda for picocli's interface, which would keep that interface and every class implementing it
   * out of the build's class-data archive (see {@code EngramCli.Errors}).
   */
  static final class Section implements CommandLine.IHelpSectionRenderer {
    private final Function<Help, String> render;

    Section(Function<Help, String> render) {
      this.render = render;
    }

    @Override
    public String render(Help help) {
      return render.apply(help);
    }
  }

  /**
   * {@code text} broken at spaces into lines of at most {@code width - indent} characters after an
   * indent of {@code indent} spaces (the first line's indent is {@code firstIndent}); a word longer
   * than a line stays whole.
   */
  static List<String> wrap(String text, int firstIndent, int indent, int width) {
    List<String> words = new ArrayList<>();
    for (String w : text.strip().split(" +")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return wrap(words, firstIndent, indent, width);
  }

  /** Words (which may hold spaces) put on lines as {@link #wrap(String, int, int, int)} does. */
  static List<String> wrap(List<String> words, int firstIndent, int indent, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(" ".repeat(firstIndent));
    int lineIndent = firstIndent;
    for (String word : words) {
      boolean empty = line.length() == lineIndent;
      if (!empty && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line = new StringBuilder(" ".repeat(indent));
        lineIndent = indent;
        empty = true;
      }
      line.append(empty ? "" : " ").append(word);
    }
    if (line.length() > lineIndent || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static String lines(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l.stripTrailing()).append(System.lineSeparator());
    }
    return sb.toString();
  }

  /** picocli's synopsis, re-broken at spaces with the continuation under the first option. */
  private static String synopsis(Help help) {
    CommandLine.Model.UsageMessageSpec u = help.commandSpec().usageMessage();
    int width = u.width();
    String one;
    try {
      u.width(10_000); // one line; broken below, only between its parts
      one = help.synopsis(0).strip();
    } finally {
      u.width(width);
    }
    String head = "Usage: ";
    String name = help.commandSpec().qualifiedName();
    int indent = head.length() + name.length() + 1;
    String rest = one.startsWith(name) ? one.substring(name.length()).strip() : one;
    List<String> out = wrap(name + " " + rest, head.length(), indent, WIDTH);
    out.set(0, head + out.get(0).substring(head.length()));
    return lines(out) + System.lineSeparator();
  }

  /**
   * Each description element is a paragraph; a blank line separates them. A picocli line break
   * ({@code %n}, which picocli's own help command uses: "%nWhen no COMMAND is given, ...") also
   * separates paragraphs; it was printed as it is. A header, if any, is the first paragraph (it
   * stood above the usage line, without a blank line).
   */
  private static String description(Help help) {
    List<String> given = new ArrayList<>();
    UsageMessageSpec usage = help.commandSpec().usageMessage();
    for (String d : concat(usage.header(), usage.description())) {
      for (String part : d.split("%n", -1)) {
        if (!part.isBlank()) {
          given.add(part.strip());
        }
      }
    }
    String[] paragraphs = given.toArray(new String[0]);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < paragraphs.length; i++) {
      if (i > 0) {
        out.add("");
      }
      out.addAll(wrap(paragraphs[i], 0, 0, WIDTH));
    }
    return paragraphs.length == 0 ? "" : lines(out) + System.lineSeparator();
  }

  private static List<String> concat(String[] a, String[] b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all;
  }

  private static String parameters(Help help) {
    List<PositionalParamSpec> ps =
        help.commandSpec().positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (ps.isEmpty()) {
      return "";
    }
    List<String[]> rows = new ArrayList<>();
    for (PositionalParamSpec p : ps) {
      rows.add(new String[] {"      " + p.paramLabel(), text(p)});
    }
    return "Parameters:" + System.lineSeparator() + table(rows) + System.lineSeparator();
  }

  private static String options(Help help) {
    CommandSpec spec = help.commandSpec();
    List<OptionSpec> os =
        new ArrayList<>(spec.options().stream().filter(o -> !o.hidden()).toList());
    if (os.isEmpty()) {
      return "";
    }
    if (spec.usageMessage().sortOptions()) {
      os.sort(Comparator.comparing(o -> stripDashes(o.shortestName()).toLowerCase(Locale.ROOT)));
    }
    // --help and --version last
    os.sort(Comparator.comparing(o -> o.usageHelp() || o.versionHelp()));
    List<String[]> rows = new ArrayList<>();
    for (OptionSpec o : os) {
      String shortName = null;
      String longName = null;
      for (String n : o.names()) {
        if (n.startsWith("--")) {
          longName = longName == null ? n : longName;
        } else {
          shortName = shortName == null ? n : shortName;
        }
      }
      String label = o.typeInfo().isBoolean() && o.arity().max() == 0 ? "" : "=" + o.paramLabel();
      String left =
          "  "
              + (shortName == null ? "    " : shortName + (longName == null ? "" : ", "))
              + (longName == null ? "" : longName)
              + label;
      rows.add(new String[] {left, text(o)});
    }
    return "Options:" + System.lineSeparator() + table(rows) + System.lineSeparator();
  }

  private static String stripDashes(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '-') {
      i++;
    }
    return s.substring(i);
  }

  /** An option's or parameter's description, defaults filled in, as one paragraph. */
  private static String text(ArgSpec a) {
    String[] d = a.description();
    String joined = String.join(" ", d);
    String def = a.defaultValue() == null ? "" : a.defaultValue();
    return joined.replace("${DEFAULT-VALUE}", def);
  }

  /** Two columns: the left one padded, the right one wrapped with a hanging indent. */
  private static String table(List<String[]> rows) {
    int left = 0;
    for (String[] r : rows) {
      if (r[0].length() + 2 <= MAX_LEFT) {
        left = Math.max(left, r[0].length() + 2);
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      if (r[0].length() + 2 > left) {
        out.add(r[0]);
        out.addAll(wrap(r[1], left, left + 2, WIDTH));
      } else {
        List<String> d = wrap(r[1], left, left + 2, WIDTH);
        d.set(0, r[0] + d.get(0).substring(r[0].length()));
        out.addAll(d);
      }
    }
    return lines(out);
  }

  /** The subcommands, each with the first paragraph of its description. */
  private static String commands(Help help) {
    Map<String, Help> subs = help.subcommands();
    if (subs.isEmpty()) {
      return "";
    }
    List<String[]> rows = new ArrayList<>();
    for (Map.Entry<String, Help> e : subs.entrySet()) {
      CommandSpec s = e.getValue().commandSpec();
      if (s.usageMessage().hidden()) {
        continue;
      }
      String[] header = s.usageMessage().header();
      String[] d = header.length > 0 ? header : s.usageMessage().description();
      rows.add(new String[] {"  " + e.getKey(), d.length == 0 ? "" : d[0]});
    }
    return "Commands:" + System.lineSeparator() + table(rows) + System.lineSeparator();
  }

  /**
   * The footer as written. A line of an example ({@code engram ...}) too long for the width is
   * broken at spaces into shell continuation lines ending in {@code \}; its {@code # comment} goes
   * on a line of its own above it. Other long lines are wrapped.
   */
  private static String footer(Help help) {
    List<String> out = new ArrayList<>();
    for (String line : help.commandSpec().usageMessage().footer()) {
      if (!out.isEmpty() || !line.isBlank()) { // the sections above end with a blank line
        out.addAll(footerLine(line));
      }
    }
    return lines(out);
  }

  static List<String> footerLine(String line) {
    if (line.length() <= WIDTH) {
      return List.of(line);
    }
    int indent = line.length() - line.stripLeading().length();
    String body = line.strip();
    if (!body.startsWith("engram ") && !body.startsWith("source ")) {
      return wrap(body, indent, indent, WIDTH);
    }
    List<String> out = new ArrayList<>();
    int hash = body.indexOf(" #");
    if (hash > 0) {
      out.add(" ".repeat(indent) + body.substring(hash + 1).strip());
      body = body.substring(0, hash).strip();
      if (indent + body.length() <= WIDTH) {
        out.add(" ".repeat(indent) + body);
        return out;
      }
    }
    // an option and its value stay on one line: "--out model.npz" is one unit
    List<String> units = new ArrayList<>();
    for (String w : body.split(" +")) {
      int last = units.size() - 1;
      if (last >= 0
          && units.get(last).startsWith("-")
          && !units.get(last).contains(" ")
          && !w.startsWith("-")
          && !units.get(last).contains("=")) {
        units.set(last, units.get(last) + " " + w);
      } else {
        units.add(w);
      }
    }
    List<String> parts = wrap(units, indent, indent + 4, WIDTH - 2);
    for (int i = 0; i < parts.size(); i++) {
      out.add(parts.get(i) + (i < parts.size() - 1 ? " \\" : ""));
    }
    return out;
  }
}
