package io.engram.cli;

import io.engram.io.AtomicFiles;
import io.engram.io.EngramFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code engram} command. */
@Command(
    name = "engram",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
    description = "Hebbian associative memory: store patterns, recall them from noisy cues.",
    subcommands = {
      TrainCommand.class,
      RecallCommand.class,
      ExportCommand.class,
      InspectCommand.class,
      DemoCommand.class,
      CapacityCommand.class,
      CorruptCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  engram demo                                     # writes engram-demo.png",
      "  engram train --patterns images/ --size 64x64 --out model.npz",
      "  engram corrupt --patterns images/ --size 64x64 --flip 0.3 --seed 42 --out noisy/",
      "  engram recall --model model.npz --queries noisy/ --out recalled/ --grid grid.png --stored images/",
      "  engram train --patterns memories.npy --out model.npz",
      "  engram recall --model model.npz --queries noisy.npy --out recalled.npy --report report.json",
      "  engram export --model model.npz --weights W.npy",
      "  engram inspect model.npz",
      "  engram capacity --rule hebbian --neurons 1000  # how many patterns it holds",
      "  source <(engram completion)                     # bash completion",
      "",
      "Outputs are written all or none, each atomically (through a symbolic link, to the file"
          + " it points to); an output must not be one of the inputs. /dev/stdout and devices"
          + " such as /dev/null are written directly (add -q with /dev/stdout).",
      "",
      "Exit status: 0 success, 2 bad arguments or input, 1 internal error."
    })
public final class EngramCli implements Runnable {

  /** Exit status for bad arguments or input. */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  // held strongly: java.util.logging keeps loggers only weakly
  private static final java.util.logging.Logger LIBRARY_LOG =
      java.util.logging.Logger.getLogger("io.engram");

  public static void main(String[] args) {
    // the library's one-line notices (e.g. which kernels it uses) are not for the command line
    LIBRARY_LOG.setLevel(java.util.logging.Level.WARNING);
    System.setProperty("java.awt.headless", "true");
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new EngramCli());
    HelpLayout.install(cl);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExitCodeExceptionMapper(e -> USAGE);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          // one line, as every user error: the message, then where the help is
          String msg =
              ex.getMessage() == null
                  ? "bad arguments"
                  : ex.getMessage().strip().replace('\n', ' ');
          c.getErr()
              .println(
                  "engram: " + msg + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
          c.getErr().flush();
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          PrintWriter e = c.getErr();
          int code = USAGE;
          String msg = describe(ex);
          if (ex instanceof Fonts.Unavailable) {
            code = 1;
            msg = ex.getMessage();
          } else if (msg == null) {
            code = 1;
            msg = "internal error: " + ex;
          }
          e.println("engram: " + msg);
          e.flush();
          return code;
        });
    Memory.reset();
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      err.println("engram: " + Memory.advice());
      err.flush();
      return 1;
    }
  }

  /** One line for a user error, or null when the exception is not one. */
  static String describe(Throwable ex) {
    if (ex instanceof UncheckedIOException u) {
      ex = u.getCause();
    }
    if (ex instanceof UserError) {
      return ex.getMessage();
    }
    if (ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    if (ex instanceof EngramFormatException) {
      return ex.getMessage();
    }
    if (ex instanceof NoSuchFileException n) {
      return n.getReason() == null
          ? "file not found: " + n.getFile()
          : n.getFile() + ": " + n.getReason();
    }
    if (ex instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (ex instanceof AtomicFiles.CommitException c) {
      return c.getMessage();
    }
    if (ex instanceof FileSystemException f) {
      return f.getMessage();
    }
    if (ex instanceof IOException) {
      return "I/O error: " + ex.getMessage();
    }
    return null;
  }

  /** Prints the version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = EngramCli.class.getPackage().getImplementationVersion();
      return new String[] {"engram " + (v == null ? "dev" : v)};
    }
  }
}
