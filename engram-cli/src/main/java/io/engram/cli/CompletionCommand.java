package io.engram.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Spec;

/** {@code engram completion}: prints a bash/zsh completion script. */
@Command(
    addMethodSubcommands = false,
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
    description = {
      "Print a completion script for bash (and zsh with bashcompinit) to standard output."
    },
    footer = {
      "",
      "Examples:",
      "  source <(engram completion)                       # this shell only",
      "  # for good (bash-completion loads it when engram is first completed):",
      "  mkdir -p ~/.local/share/bash-completion/completions",
      "  engram completion > ~/.local/share/bash-completion/completions/engram"
    })
final class CompletionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash("engram", completionModel(root)));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * A label of a value that names a file or folder ({@code FILE}, {@code FILE|DIR/}, {@code MODEL},
   * {@code DIR/}, or a name with an extension such as {@code FILE.png}, {@code W.npy}).
   */
  private static final Pattern PATH_LABEL = Pattern.compile(".*(FILE|DIR|MODEL).*|.*\\.[a-z]+");

  /** The values of an option that takes {@code true} or {@code false}. */
  static final List<String> BOOLEANS = List.of("true", "false");

  /**
   * What the completion script offers for an option's value: {@code flag} (it takes none), {@code
   * files}, {@code values} (its candidates, {@code true|false} for a boolean that takes a value),
   * or {@code nothing} (a number, a size, a duration: anything).
   */
  static String completes(OptionSpec o) {
    if (o.arity().max() == 0) {
      return "flag";
    }
    if (o.completionCandidates() != null || isBoolean(o.type())) {
      return "values";
    }
    return takesPath(o) ? "files" : "nothing";
  }

  private static boolean isBoolean(Class<?> type) {
    return type == boolean.class || type == Boolean.class;
  }

  /**
   * Whether a value names a file or folder: a {@link Path} (every input) or a string whose label
   * says so (the outputs, strings so that {@code -} is standard output).
   */
  private static boolean takesPath(OptionSpec o) {
    Class<?> t = o.typeInfo().isMultiValue() ? o.typeInfo().getAuxiliaryTypes()[0] : o.type();
    return Path.class.isAssignableFrom(t)
        || t == File.class
        || (t == String.class && PATH_LABEL.matcher(o.paramLabel()).matches());
  }

  /**
   * The command line as the completion script should see it. picocli's script completes what a
   * value's Java type says: files for a {@link Path}, nothing for a string, and every boolean
   * option as a flag whatever its arity. So {@code train --out} (a string: {@code -} is standard
   * output) offered no files, and {@code --subtract-mean} (which takes true or false) offered no
   * value and was listed among the flags. This copy of the tree gives each option the type that
   * makes picocli's script offer the right thing ({@link #completes}): a path type for every option
   * whose value names a file, candidates {@code true false} for a boolean that takes a value.
   * Names, arities, labels, positional parameters and subcommands are those of {@code root}.
   */
  static CommandLine completionModel(CommandLine root) {
    CommandLine copy = new CommandLine(copy(root.getCommandSpec()));
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      copy.addSubcommand(sub.getKey(), completionModel(sub.getValue()));
    }
    return copy;
  }

  private static CommandSpec copy(CommandSpec original) {
    CommandSpec c = CommandSpec.wrapWithoutInspection(original.userObject());
    c.name(original.name());
    c.usageMessage().hidden(original.usageMessage().hidden());
    for (OptionSpec o : original.options()) {
      c.addOption(copy(o));
    }
    for (PositionalParamSpec p : original.positionalParameters()) {
      c.addPositional(p);
    }
    return c;
  }

  private static OptionSpec copy(OptionSpec o) {
    OptionSpec.Builder b =
        OptionSpec.builder(o.names())
            .arity(o.arity())
            .paramLabel(o.paramLabel())
            .hidden(o.hidden())
            .required(o.required());
    switch (completes(o)) {
      case "flag" -> b.type(boolean.class);
      case "values" ->
          b.type(String.class)
              .completionCandidates(
                  o.completionCandidates() != null ? o.completionCandidates() : BOOLEANS);
      case "files" -> b.type(Path.class);
      default -> b.type(String.class);
    }
    return b.build();
  }
}
