/**
 * The {@code engram} command line (picocli): {@link io.engram.cli.EngramCli} and one class per
 * subcommand ({@code train}, {@code recall}, {@code export}, {@code inspect}, {@code corrupt},
 * {@code demo}, {@code capacity}, {@code completion}), with what they share: reading inputs and
 * checking options (exit status 2 with one line on stderr), path-safe all-or-nothing outputs,
 * progress bars, the memory kinds by their command-line names, and the figures and images the
 * commands draw. The library never prints; this package is the only place that does.
 */
package io.engram.cli;
