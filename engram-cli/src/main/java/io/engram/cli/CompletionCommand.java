package io.engram.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
      "  engram completion > ~/.local/share/bash-completion/completions/engram"
    })
final class CompletionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash("engram", root));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
