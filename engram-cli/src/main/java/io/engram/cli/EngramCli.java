package io.engram.cli;

import io.engram.Engram;
import io.engram.io.AtomicFiles;
import io.engram.io.EngramFormatException;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code engram} command. */
@Command(
    addMethodSubcommands = false,
    name = "engram",
    mixinStandardHelpOptions = true,
    versionProvider = EngramCli.Version.class,
    description =
        "Associative memory: store patterns in a classical (Hopfield) network or a modern (dense)"
            + " memory, and recall them from noisy or partial cues.",
    footer = {
      "",
      "Examples:",
      "  engram demo --images images/     # writes engram-demo.png and the images",
      "  engram train --patterns images/ --size 64x64 --out model.npz",
      "  engram corrupt --patterns images/ --size 64x64 --flip 0.3 --seed 42 --out noisy/",
      "  engram recall --model model.npz --queries noisy/ --out recalled/ --grid grid.png --stored images/",
      "  engram train --patterns memories.npy --out model.npz   # a P x N .npy of yours",
      "  engram corrupt --patterns memories.npy --flip 0.2 --out noisy.npy",
      "  engram recall --model model.npz --queries noisy.npy --out recalled.npy --report report.json",
      "  engram export --model model.npz --weights W.npy",
      "  engram inspect model.npz",
      "  engram capacity --rule hebbian --neurons 1000  # how many patterns it holds",
      "  source <(engram completion)                     # bash completion",
      "",
      "Outputs are written all or none, each atomically (through a symbolic link, to the file"
          + " it points to); an output must not be one of the inputs. /dev/stdout and devices"
          + " such as /dev/null are written directly (the summary line then goes to stderr).",
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

  /**
   * The subcommands, in the order the help lists them (a holder: filled when a command runs, not
   * for the version). Each is built only when it runs, or when the help, the completion script or
   * an unknown name needs them all: a command's model (its fields found by reflection, its
   * annotations read from its class file: {@link CommandModels}) is built when it is added, work a
   * fresh JVM did for seven commands it did not run.
   */
  private static final class Commands {
    static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

    static {
      ALL.put("train", TrainCommand::new);
      ALL.put("recall", RecallCommand::new);
      ALL.put("export", ExportCommand::new);
      ALL.put("inspect", InspectCommand::new);
      ALL.put("demo", DemoCommand::new);
      ALL.put("capacity", CapacityCommand::new);
      ALL.put("corrupt", CorruptCommand::new);
      ALL.put("completion", CompletionCommand::new);
      // a lambda, not HelpCommand::new: resolving that constructor reference while the archive
      // is written would link picocli's HelpCommand, which then stays out of it (see Errors)
      ALL.put("help", () -> new CommandLine.HelpCommand());
    }
  }

  /** The commands that compute with the kernels: their warm-up starts with the process. */
  private static final Set<String> KERNEL_COMMANDS = Set.of("train", "recall", "demo");

  /**
   * A model or pattern file at least this large (bytes) means heavy kernel work: a dense model of N
   * = 1449 and more, or some 2 million pattern values.
   */
  private static final long HEAVY_FILE_BYTES = 8L << 20;

  /**
   * Set by {@code bin/engram} to the process id of its stderr filter (which drops the JVM's
   * start-up notices); the JVM waits for the filter before it exits.
   */
  static final String STDERR_FILTER_PROPERTY = "engram.stderrFilter";

  /**
   * Set by the build ({@code engram-cli/pom.xml}) to run {@link ArchiveWorkload} through the jar's
   * own entry point ({@code java -jar}), so that the class list it records includes what the JVM
   * loads to apply the jar's manifest (its {@code Add-Exports}), as every command's start does.
   */
  static final String ARCHIVE_WORKLOAD_PROPERTY = "engram.archiveWorkload";

  public static void main(String[] args) throws java.io.IOException {
    if (Boolean.getBoolean(ARCHIVE_WORKLOAD_PROPERTY)) {
      ArchiveWorkload.main(args);
      return;
    }
    markStderrStart();
    int status;
    try {
      status = runMain(args);
    } catch (OutOfMemoryError e) {
      status = heapTooSmall();
    }
    try {
      awaitStderrFilter();
    } catch (OutOfMemoryError e) {
      // (a heap too small even for the wait: the filter may finish after the exit)
    }
    if (status != 0 && shutdownBegun()) {
      awaitHalt();
    }
    System.exit(status);
  }

  /**
   * Whether a signal began the JVM's shutdown: one of its hooks has noted it (they run at once, in
   * any order). The library's is asked last and guarded: {@code AtomicFiles} may not be loaded yet,
   * and where the heap is too small for Engram, loading it failed with an OutOfMemoryError that
   * ended main with exit 3.
   */
  private static boolean shutdownBegun() {
    if (interrupted) {
      return true;
    }
    try {
      return AtomicFiles.shuttingDown();
    } catch (OutOfMemoryError | LinkageError e) {
      return false;
    }
  }

  /**
   * Waits for the JVM to halt where a signal (SIGTERM, SIGINT, SIGHUP) began its shutdown: the
   * command failed because the shutdown hooks removed its temporary files, and the exit status to
   * keep is the signal's (143 for SIGTERM), which the JVM gives once its hooks have run. A {@code
   * System.exit(2)} here blocks until then, unless it comes after the hooks and before the halt:
   * then the JVM halts at once with 2 (seen once in a CI run under load: 2 instead of 143).
   */
  private static void awaitHalt() {
    long until = System.nanoTime() + 60_000_000_000L; // (a hook that never ends: exit after all)
    while (System.nanoTime() < until) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The line for a heap too small for Engram itself ({@code ENGRAM_JAVA_OPTS=-Xmx2m}), made when
   * the class is loaded: where the heap runs out that early, composing the advice ({@link
   * Memory#advice()}) runs out too, and the JVM's own report was a blank line and "Exception:
   * java.lang.OutOfMemoryError thrown from the UncaughtExceptionHandler", or a stack trace.
   */
  private static final byte[] HEAP_TOO_SMALL =
      ("engram: out of memory: the heap this JVM may use is too small for Engram to run at all;"
              + " give it more with ENGRAM_JAVA_OPTS=-Xmx256m (or leave -Xmx out)\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** Whether {@link #HEAP_TOO_SMALL} was written (once: the line came twice, seen in CI). */
  private static volatile boolean heapTooSmallSaid;

  /**
   * Writes {@link #HEAP_TOO_SMALL} as it is, allocating nothing, once (where the heap runs out
   * again after the line, in the code that follows the command, it is not written again); returns
   * exit status 1.
   */
  private static int heapTooSmall() {
    if (!heapTooSmallSaid) {
      heapTooSmallSaid = true;
      System.err.write(HEAP_TOO_SMALL, 0, HEAP_TOO_SMALL.length);
      System.err.flush();
    }
    return 1;
  }

  /** {@link #main} after the start marker: the command's exit status. */
  private static int runMain(String[] args) {
    if (!versionOnly(args)) {
      String bad = settingsProblem();
      if (bad != null) {
        // before the warm-up, which would meet the setting first
        System.err.println(bad);
        return 2;
      }
      setUp();
    }
    if (args.length > 0 && KERNEL_COMMANDS.contains(args[0])) {
      // compiles the SIMD kernels on a spare core while arguments are parsed and files read, at
      // once when the work will be heavy, else once it proves to be (after setUp: the kernels'
      // choice may log, and the command line keeps that quiet)
      if (readsLargeModel(args)) {
        // before the warm-up asks for its compilations: the scan of a model read in place
        io.engram.weights.DenseWeights.prepareScan();
      }
      if (readsManyPatterns(args)) {
        // likewise the scan of every block of patterns read
        io.engram.learning.PatternBlock.prepareScan();
      }
      Engram.startKernelWarmup(heavyKernelWork(args));
    }
    PrintWriter err = new PrintWriter(System.err, true);
    PrintWriter out = new SummaryOut(err);
    int status = run(args, out, err);
    if (out.checkError() && status == 0) {
      status = standardOutputFailed(err);
    }
    return status;
  }

  /**
   * Standard output for what a command prints, which goes to standard error instead once the
   * command has written an output's data to standard output ({@link Outputs#dataOnStandardOutput}):
   * the summary line must not follow the data there. Its errors are System.out's ({@link
   * PrintWriter#checkError}).
   */
  static final class SummaryOut extends PrintWriter {
    private final PrintWriter err;

    SummaryOut(PrintWriter err) {
      super(System.out, true);
      this.err = err;
    }

    @Override
    public void write(int c) {
      if (Outputs.dataOnStandardOutput) {
        err.write(c);
      } else {
        super.write(c);
      }
    }

    @Override
    public void write(char[] buf, int off, int len) {
      if (Outputs.dataOnStandardOutput) {
        err.write(buf, off, len);
      } else {
        super.write(buf, off, len);
      }
    }

    @Override
    public void write(String s, int off, int len) {
      if (Outputs.dataOnStandardOutput) {
        err.write(s, off, len);
      } else {
        super.write(s, off, len);
      }
    }

    @Override
    public void println() {
      if (Outputs.dataOnStandardOutput) {
        err.println();
      } else {
        super.println();
      }
    }

    @Override
    public void flush() {
      super.flush();
      err.flush();
    }
  }

  /** The exit status of a command whose reader left ({@code | head}): that of SIGPIPE's end. */
  static final int BROKEN_PIPE_STATUS = 141;

  /**
   * After a command whose writes to standard output failed (the stream only keeps a flag): says so
   * and returns 2, as a failed file output does ({@code inspect --json > /dev/full} reported
   * nothing and exit 0; a closed or read-only standard output the same); a reader that left (a
   * broken pipe) ends quietly with {@link #BROKEN_PIPE_STATUS}, as a tool killed by SIGPIPE does.
   * The reason is what one more byte written to the descriptor gives. Files the command wrote
   * before it printed its summary line are named ({@link Outputs#committed}): a {@code train --init
   * m.npz --out m.npz > /dev/full} said only that it failed, exit 2, while m.npz held its patterns,
   * and running it again stored them twice.
   */
  private static int standardOutputFailed(PrintWriter err) {
    String why = "write error";
    try {
      new java.io.FileOutputStream(FileDescriptor.out).write('\n');
    } catch (IOException e) {
      if ("Broken pipe".equals(e.getMessage())) {
        return BROKEN_PIPE_STATUS;
      }
      why = e.getMessage() != null ? e.getMessage() : why;
    }
    List<String> written = Outputs.committed;
    err.println(
        "engram: standard output: could not write ("
            + why
            + ")"
            + (written.isEmpty()
                ? ""
                : "; the command's files were written all the same, only its summary line was"
                    + " lost: "
                    + Outputs.byOption(written)));
    err.flush();
    return 2;
  }

  /**
   * The line by which {@code bin/engram}'s stderr filter knows that the JVM's start-up notices are
   * over: it drops it and copies the rest unchanged, bytes and all. Without it the filter took the
   * first line Engram wrote for the end of the notices, and that line passed through the shell's
   * {@code read}, which drops NUL bytes: {@code recall --out /dev/stderr} wrote a {@code .npy} two
   * bytes short, with exit 0.
   */
  static final byte[] STDERR_START = {0x1e, 'e', 'n', 'g', 'r', 'a', 'm', '\n'};

  /** Writes {@link #STDERR_START} when the launcher's filter is there, before anything else. */
  private static void markStderrStart() {
    if (System.getProperty(STDERR_FILTER_PROPERTY) == null) {
      return;
    }
    try {
      // straight to the descriptor: System.err may not be set up for bytes, nor flushed yet
      FileOutputStream err = new FileOutputStream(FileDescriptor.err);
      err.write(STDERR_START);
    } catch (java.io.IOException e) {
      // a stderr that cannot be written: nothing of ours reaches it either
    }
  }

  /**
   * When {@code bin/engram} filters stderr (a process that copies it), lets that process finish
   * before the JVM exits, so that every line has reached the real stderr when the caller sees the
   * exit status: stderr is closed here (the JDK points it at /dev/null), the filter then reads the
   * rest and exits, and this waits for it, at most 2 s. The filter is this JVM's child (the shell
   * that started it became the JVM), and this JVM never reaps it: it is done when its {@code
   * /proc/PID/stat} shows a zombie ({@code Z}). Where there is no /proc, it does not wait. (A
   * {@code ProcessHandle} wait costs a thread pool and some 45 classes: a tenth of a second on the
   * project machine.) Nothing is printed to stderr after this.
   */
  private static void awaitStderrFilter() {
    String pid = System.getProperty(STDERR_FILTER_PROPERTY);
    if (pid == null || pid.isEmpty() || pid.length() > 10) {
      return;
    }
    for (int i = 0; i < pid.length(); i++) {
      if (pid.charAt(i) < '0' || pid.charAt(i) > '9') {
        return;
      }
    }
    System.out.flush();
    System.err.flush();
    try {
      new FileOutputStream(FileDescriptor.err).close();
      // (String.concat: a '+' here would build its method handles, a few ms in a fresh JVM)
      String stat = "/proc/".concat(pid).concat("/stat");
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < deadline) {
        byte[] s;
        try (FileInputStream in = new FileInputStream(stat)) {
          s = in.readAllBytes();
        }
        int state = s.length - 1; // "pid (name) S ...": the state follows the name
        while (state >= 0 && s[state] != ')') {
          state--;
        }
        state += 2;
        if (state < 2 || state >= s.length || s[state] == 'Z' || s[state] == 'X') {
          return;
        }
        Thread.sleep(1);
      }
    } catch (IOException e) {
      // no /proc, or the filter is gone: nothing to wait for
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Pattern or query files from this size on have their scan compiled first ({@link #main}). */
  static final long MANY_PATTERNS_BYTES = 1L << 20;

  /** Whether a {@code --patterns} or {@code --queries} file is at least 1 MiB. */
  static boolean readsManyPatterns(String[] args) {
    for (String option : new String[] {"--patterns", "--queries"}) {
      for (String f : optionValues(args, option)) {
        if (sizeAtLeast(f, MANY_PATTERNS_BYTES)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a {@code --model} or {@code --init} file is at least {@link #HEAVY_FILE_BYTES}. */
  static boolean readsLargeModel(String[] args) {
    return !largeModels(args).isEmpty();
  }

  /** The {@code --model} and {@code --init} files of at least {@link #HEAVY_FILE_BYTES}. */
  private static List<String> largeModels(String[] args) {
    List<String> large = new ArrayList<>();
    for (String option : new String[] {"--model", "--init"}) {
      for (String f : optionValues(args, option)) {
        if (largeFile(f)) {
          large.add(f);
        }
      }
    }
    return large;
  }

  /**
   * The values the arguments give an option, as {@code --name V} or {@code --name=V}, in order:
   * read before picocli parses them, for the start-up hints only.
   */
  private static List<String> optionValues(String[] args, String name) {
    List<String> values = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(name) && i + 1 < args.length) {
        values.add(args[i + 1]);
      } else if (args[i].startsWith(name + "=")) {
        values.add(args[i].substring(name.length() + 1));
      }
    }
    return values;
  }

  /** Whether {@code name} is a file of at least {@link #HEAVY_FILE_BYTES}. */
  private static boolean largeFile(String name) {
    return sizeAtLeast(name, HEAVY_FILE_BYTES);
  }

  /** Whether {@code name} is a file of at least {@code bytes}. */
  private static boolean sizeAtLeast(String name, long bytes) {
    try {
      File f = new File(name);
      return f.isFile() && f.length() >= bytes;
    } catch (SecurityException e) {
      return false; // not readable here: then the command reports it
    }
  }

  /**
   * Multiply-adds of a modern memory's step below which a command warms its kernels up on demand
   * rather than at once (see {@link #lightModernWork}).
   */
  static final long MODERN_HEAVY_WORK = 1L << 30;

  /**
   * Whether the arguments promise heavy kernel work, judged before they are parsed (a hint only:
   * wrong either way, the work is just slower): dense training ({@code --weights dense}), or a
   * model, {@code --init} model or pattern file of at least {@link #HEAVY_FILE_BYTES} (a dense
   * model of some size; many patterns), unless that model is a modern memory whose step over the
   * queries is light ({@link #lightModernWork}); or the recall of a smaller low-rank model whose
   * first steps over the queries are heavy ({@link #heavyLowRankRecall}). Storing patterns in a
   * modern memory ({@code train --memory modern}) runs no kernels at all: a warm-up thread would
   * only take a core from reading and checking the patterns (a 10 MB store measured 1.24 s with
   * it).
   */
  static boolean heavyKernelWork(String[] args) {
    if (args.length > 0 && args[0].equals("train") && modernMemory(args)) {
      return false;
    }
    if (optionValues(args, "--weights").contains("dense")) {
      return true;
    }
    for (String p : optionValues(args, "--patterns")) {
      if (largeFile(p)) {
        return true;
      }
    }
    List<String> queries = optionValues(args, "--queries");
    String q = queries.isEmpty() ? null : queries.get(queries.size() - 1);
    for (String m : largeModels(args)) {
      if (!lightModernWork(args[0], m, q)) {
        return true;
      }
    }
    if (args.length > 0 && args[0].equals("recall")) {
      List<String> iterations = optionValues(args, "--iterations");
      String k = iterations.isEmpty() ? null : iterations.get(iterations.size() - 1);
      for (String m : optionValues(args, "--model")) {
        if (heavyLowRankRecall(m, q, k)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Multiply-adds in the first {@link #LOW_RANK_STEPS} steps of a low-rank model's recall from
   * which the command warms its kernels up at once ({@link #heavyLowRankRecall}): as many as the
   * twin does on demand before the warm-up starts ({@code KernelWarmup.ON_DEMAND_WORK}).
   */
  static final long LOW_RANK_HEAVY_WORK = 1L << 28;

  /**
   * The steps of a low-rank recall that {@link #LOW_RANK_HEAVY_WORK} counts: noisy cues take some
   * (4 to 10 for 64 cues with a fifth of their signs flipped, P = 400, N = 4096), random ones all
   * 20 of the default.
   */
  static final int LOW_RANK_STEPS = 4;

  /**
   * Whether {@code model} is a low-rank model (an archive with {@code T0.npy}, {@code T1.npy}, ...
   * of P_k x N) whose recall of the {@code queries} file does at least {@link #LOW_RANK_HEAVY_WORK}
   * multiply-adds in its first {@link #LOW_RANK_STEPS} steps (fewer if {@code iterations}, the
   * value of {@code --iterations}, says so): a step is {@code Y = T S} and {@code Tᵀ Y} for each
   * factor, 2 B P_k N multiply-adds, with B N taken as a quarter of the queries file's size. Such a
   * recall warmed up on demand only after its first steps, and its products ran on the twin until
   * the warm-up had the full tiles compiled, some tenths of a second later: 64 cues, P = 400, N =
   * 4096 (a model of 6.6 MB, below {@link #HEAVY_FILE_BYTES}) took longer than the same recall of
   * the dense model of 67 MB, whose warm-up starts with the process. Unknown (not a low-rank model,
   * queries not a file, anything unreadable): false. Without the Vector API module (a small command
   * {@code bin/engram} starts without it) there is nothing to warm up: false, the model unopened.
   */
  static boolean heavyLowRankRecall(String model, String queries, String iterations) {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    int steps = LOW_RANK_STEPS;
    if (iterations != null) {
      try {
        steps = Math.min(steps, Integer.parseInt(iterations.trim()));
      } catch (NumberFormatException e) {
        return false; // the command reports it
      }
    }
    try {
      File q = queries == null ? null : new File(queries);
      File m = new File(model);
      if (steps < 1 || q == null || !q.isFile() || !m.isFile()) {
        return false;
      }
      long rows = lowRankRows(model);
      // per step 2 x (B x N values) x (P_k summed over the factors)
      return 2.0 * (q.length() / 4) * rows * steps >= LOW_RANK_HEAVY_WORK;
    } catch (SecurityException e) {
      return false;
    }
  }

  /**
   * The rows of a low-rank model's factors summed (P_k of each {@code Tk.npy}, from its header), or
   * 0 when the file is not a low-rank model or cannot be read as one. Reads the archive's directory
   * and those members' headers.
   */
  static long lowRankRows(String model) {
    try (io.engram.io.NpzFile z = io.engram.io.NpzFile.open(Path.of(model))) {
      long rows = 0;
      for (int k = 0; z.contains("T" + k + ".npy"); k++) {
        int[] shape = z.shape("T" + k + ".npy");
        if (shape.length != 2) {
          return 0;
        }
        rows += shape[0];
      }
      return rows;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Whether {@code model} is a modern memory's model (a zip archive with an {@code X.npy} of P x N)
   * whose work in this command is light: none in {@code train} (it stores patterns), and in a
   * recall fewer than {@link #MODERN_HEAVY_WORK} multiply-adds per product, B x P x N, with B N
   * taken as a quarter of the {@code queries} file's size. The file's size says little of that
   * work, and a light recall is done before a warm-up started at once has the kernels compiled,
   * while its thread and compilations slow everything else: a recall of 64 queries from P = 10,000
   * patterns of N = 256 took 0.32-0.34 s on demand against 0.47-0.60 s with the warm-up from the
   * start; one of 1024 queries from P = 100,000 took 1.9 s with it and 6.0 s on demand (this
   * project's machine, 2026-11-30). Unknown (not a modern model, queries not a file, anything
   * unreadable): false, and the command reports what is wrong.
   */
  static boolean lightModernWork(String command, String model, String queries) {
    int[] shape = modernShape(model);
    if (shape == null) {
      return false;
    }
    if (command.equals("train")) {
      return true;
    }
    try {
      File q = queries == null ? null : new File(queries);
      if (q == null || !q.isFile()) {
        return false;
      }
      // B x N values (at most; a text file's values take more than four bytes each), times P
      double work = (double) (q.length() / 4) * shape[0];
      return work < MODERN_HEAVY_WORK;
    } catch (SecurityException e) {
      return false;
    }
  }

  /**
   * {P, N} of a modern memory's model file (the shape in the header of its {@code X.npy}), or null
   * when it is not one or cannot be read as one. Reads the archive's directory and that member's
   * header.
   */
  static int[] modernShape(String model) {
    try (io.engram.io.NpzFile z = io.engram.io.NpzFile.open(Path.of(model))) {
      if (!z.contains("X.npy")) {
        return null;
      }
      int[] shape = z.shape("X.npy");
      return shape.length == 2 ? shape : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Whether the arguments ask for {@code --memory modern} (or {@code --memory=modern}). */
  private static boolean modernMemory(String[] args) {
    return optionValues(args, "--memory").contains("modern");
  }

  /**
   * Set when the JVM begins to shut down while a command runs (SIGTERM, SIGINT): the command's
   * writes then fail as the shutdown removes its temporary files, and what that failure says ("I/O
   * error: closed") is not the user's problem; the process ends with the signal's status, quietly.
   */
  private static volatile boolean interrupted;

  /**
   * The line for an Engram system property set to a value it cannot have ({@code
   * ENGRAM_JAVA_OPTS=-Dengram.threads=two}), or null: refused before the command runs (a mistyped
   * {@code engram.vectorization} was a stack trace of the kernels' holder, exit 1; a mistyped
   * {@code engram.threads} or {@code engram.denseInHeap} was silently the default).
   */
  static String settingsProblem() {
    String progress = progressProblem(System.getenv("ENGRAM_PROGRESS"));
    if (progress != null) {
      return progress;
    }
    try {
      Engram.checkSettings();
      Fonts.checkSetting();
      return null;
    } catch (IllegalStateException e) {
      return "engram: "
          + printable(e.getMessage())
          + " (a -D option of the JVM, from ENGRAM_JAVA_OPTS or JAVA_TOOL_OPTIONS)";
    }
  }

  /**
   * The line for an {@code ENGRAM_PROGRESS} other than {@code auto}, {@code never} or {@code
   * always} (unset or empty: auto), or null; a mistyped value was silently the terminal test.
   */
  static String progressProblem(String value) {
    if (value == null || value.isEmpty() || Progress.MODES.contains(value)) {
      return null;
    }
    return "engram: ENGRAM_PROGRESS must be auto, never or always, got '" + printable(value) + "'";
  }

  /** What the process needs before a command runs (the version alone needs none of it). */
  static void setUp() {
    try {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> interrupted = true, "engram-interrupted"));
    } catch (IllegalStateException e) {
      // a signal before this (SIGINT, SIGTERM, SIGHUP while the JVM started): the shutdown is
      // under way, which this hook would have noted; it was a stack trace ("Shutdown in progress")
      interrupted = true;
    }
    // the library's one-line notices (e.g. which kernels it uses) are not for the command line
    LibraryLogging.install();
    System.setProperty("java.awt.headless", "true");
    excludeUnusedConverters();
  }

  /*
   * The converter and handlers handed to picocli are named classes, not lambdas: picocli's
   * interfaces are of class file version 49, and the class-data archive the build makes
   * (engram-cli/pom.xml) leaves out such an interface when a lambda for it is made while the
   * archive is written, and with it every class that implements it (some fifty of picocli's, its
   * type converters among them), which each command then read and parsed from the jar.
   */

  /**
   * The value of a boolean option that takes one ({@code --subtract-mean true|false}, each such
   * option's {@code preprocessor}): {@code true} or {@code false}, in any case, as picocli takes
   * them. picocli took an empty value ({@code --subtract-mean "$UNSET"}), {@code null} and {@code
   * Optional.empty} as false, silently, without asking the option's converter; they are an error
   * here. A value that looks like an option is left to picocli, which names it as a missing value.
   */
  static final class TrueOrFalse implements CommandLine.IParameterPreprocessor {
    @Override
    public boolean preprocess(
        java.util.Stack<String> args,
        CommandLine.Model.CommandSpec command,
        CommandLine.Model.ArgSpec arg,
        Map<String, Object> info) {
      if (!args.isEmpty()) {
        String v = args.peek();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false") && !v.startsWith("-")) {
          throw new CommandLine.ParameterException(
              command.commandLine(),
              "Invalid value for option '"
                  + ((CommandLine.Model.OptionSpec) arg).longestName()
                  + "': '"
                  + v
                  + "' is not true or false",
              arg,
              v);
        }
      }
      return false; // picocli goes on to read the value
    }
  }

  /** Path options: {@link #nonEmptyPath}. */
  static final class PathConverter implements CommandLine.ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      return nonEmptyPath(value);
    }
  }

  /** Whole-number options of type int: {@link #wholeNumber}. */
  static final class IntConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return (int) wholeNumber(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
      } catch (NumberFormatException e) {
        throw BeyondRange.orNot(value, "an int", Integer.MIN_VALUE, Integer.MAX_VALUE);
      }
    }
  }

  /** Whole-number options of type long: {@link #wholeNumber}. */
  static final class LongConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return wholeNumber(value, Long.MIN_VALUE, Long.MAX_VALUE);
      } catch (NumberFormatException e) {
        throw BeyondRange.orNot(value, "a long", Long.MIN_VALUE, Long.MAX_VALUE);
      }
    }
  }

  /**
   * A whole-number option's value of ASCII digits beyond its type's range ({@code --iterations
   * 99999999999999999999}), which picocli's line called "not an int", as if it were no number; the
   * parse-error handler names it as too large (or too small) with the limit: the option's own from
   * its command's {@link WholeRanges}, else its type's.
   */
  static final class BeyondRange extends CommandLine.TypeConversionException {
    private static final long serialVersionUID = 1L;

    /**
     * The type's limit that {@code value} passes: its minimum for a negative value, else its
     * maximum.
     */
    final long limit;

    private BeyondRange(String message, long limit) {
      super(message);
      this.limit = limit;
    }

    /**
     * For {@code value}, refused by {@link #wholeNumber}: a BeyondRange when it is a sign and ASCII
     * digits (so beyond the range {@code min..max}), else the line that it is not {@code type}.
     */
    static CommandLine.TypeConversionException orNot(
        String value, String type, long min, long max) {
      String line = "'" + value + "' is not " + type + asciiDigitsHint(value);
      if (value.matches("[+-]?[0-9]+")) {
        return new BeyondRange(line, value.startsWith("-") ? min : max);
      }
      return new CommandLine.TypeConversionException(line);
    }
  }

  /**
   * A command whose whole-number options accept less than their type's range: {@link BeyondRange}'s
   * line names the option's own limit.
   */
  interface WholeRanges {
    /** {min, max} that {@code option} (its longest name) accepts, or null for its type's range. */
    long[] range(String option);
  }

  /**
   * The line for a whole-number option given a value beyond its type's range ({@link BeyondRange}):
   * "--iterations 99999999999999999999: too large; at most 100000", with the option's own limit
   * when its command names one ({@link WholeRanges}), else the type's; null for any other error.
   */
  static String beyondRange(CommandLine.ParameterException ex) {
    if (!(ex.getCause() instanceof BeyondRange b)
        || !(ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o)
        || ex.getValue() == null) {
      return null;
    }
    boolean low = ex.getValue().startsWith("-");
    long limit = b.limit;
    Object command = ex.getCommandLine().getCommand();
    long[] own = command instanceof WholeRanges r ? r.range(o.longestName()) : null;
    if (own != null) {
      limit = low ? Math.max(limit, own[0]) : Math.min(limit, own[1]);
    }
    return o.longestName()
        + " "
        + ex.getValue()
        + (low ? ": too small; at least " : ": too large; at most ")
        + limit;
  }

  /** Decimal options of type double: {@link #decimal}. */
  static final class DoubleConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      return decimal(value, "a double");
    }
  }

  /** Decimal options of type float: {@link #decimal}, then rounded to float32. */
  static final class FloatConverter implements CommandLine.ITypeConverter<Float> {
    @Override
    public Float convert(String value) {
      return inRange(value, decimal(value, "a float").floatValue(), "a float");
    }
  }

  /**
   * The one rule for every decimal option ({@code --beta}, {@code --rho}, tolerances, ...): an
   * optional sign, ASCII digits with an optional '.', an optional exponent; or NaN / Infinity in
   * any case (numpy's {@code nan}, {@code inf} too), passed on for the option's own check to name.
   * Java's {@code Double.valueOf}, which picocli used, also took {@code 0.1f}, {@code 1d}, hex
   * floats ({@code 0x1p-3}) and surrounding blanks, which no whole-number option or CSV cell takes.
   */
  static Double decimal(String s, String type) {
    Double special = Decimals.notFinite(s);
    if (special != null) {
      return special;
    }
    if (!Decimals.isDecimal(s)) {
      throw new CommandLine.TypeConversionException(
          "'"
              + s
              + "' is not "
              + type
              + " (a decimal number such as 0.5, -2 or 1e-3)"
              + asciiDigitsHint(s));
    }
    return inRange(s, Double.valueOf(s), type);
  }

  /**
   * {@code v}, the value of the decimal {@code s} in the option's type, unless rounding to that
   * type lost it: a finite number beyond its range ({@code 1e309} became Infinity) or one too close
   * to 0 ({@code 1e-400} became 0), which the option's own check then named as a value that was not
   * given ("--beta must be a finite number > 0, got 0.0") or took without a word ({@code --ridge
   * 1e-400} as 0).
   */
  static <T extends Number> T inRange(String s, T v, String type) {
    double d = v.doubleValue();
    boolean isFloat = v instanceof Float;
    if (Double.isInfinite(d) && Decimals.isDecimal(s)) {
      throw new CommandLine.TypeConversionException(
          "'"
              + s
              + "' is not "
              + type
              + " (beyond its range: at most "
              + (isFloat ? Float.MAX_VALUE : Double.MAX_VALUE)
              + " in magnitude)");
    }
    int e = Math.max(s.indexOf('e'), s.indexOf('E'));
    String mantissa = e < 0 ? s : s.substring(0, e);
    if (d == 0 && mantissa.chars().anyMatch(c -> c >= '1' && c <= '9')) {
      throw new CommandLine.TypeConversionException(
          "'"
              + s
              + "' is not "
              + type
              + " (too close to 0: it would be read as 0, the smallest is "
              + (isFloat ? Float.MIN_VALUE : Double.MIN_VALUE)
              + "; give 0 if 0 is meant)");
    }
    return v;
  }

  /**
   * The one rule for every whole number on the command line (the int and long options, {@code
   * --size WxH}, capacity's loads): an optional sign and ASCII digits 0-9, within {@code [min,
   * max]}. Java's {@code Integer.parseInt}, which picocli used, also takes the digits of other
   * scripts, so that {@code --iterations ١٢} ran 12 steps and {@code --size ４x４} made 4x4 images,
   * where every decimal option refused them.
   *
   * @throws NumberFormatException for anything else (no digits, another character, a digit of
   *     another script, a number out of range)
   */
  static long wholeNumber(String s, long min, long max) {
    int start = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
    if (start == s.length()) {
      throw new NumberFormatException("no digits: '" + s + "'");
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException("not an ASCII digit in '" + s + "'");
      }
    }
    long v = Long.parseLong(s);
    if (v < min || v > max) {
      throw new NumberFormatException("out of range: '" + s + "'");
    }
    return v;
  }

  /**
   * " (digits 0-9 only)" when {@code s} holds a digit of another script (Arabic-Indic, fullwidth,
   * Devanagari ...), which looks like a number but is not one here; else "".
   */
  static String asciiDigitsHint(String s) {
    return s.codePoints().anyMatch(c -> Character.isDigit(c) && (c < '0' || c > '9'))
        ? " (digits 0-9 only)"
        : "";
  }

  /** Dashes a typesetter puts where "-" was typed: hyphen to horizontal bar, minus, small, wide. */
  private static final String DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d";

  /**
   * The line for an argument before {@code --} that starts with a typographic dash ({@link
   * #DASHES}) and is one of {@code names} once its dashes are ASCII ones (an em dash standing for
   * two): a command copied from a page that set {@code --patterns} as {@code —patterns}, which
   * picocli called an unexpected argument, or which made a required option "missing"; else null.
   */
  static String typographicDash(String[] args, java.util.Set<String> names) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return null;
      }
      if (arg.isEmpty() || DASHES.indexOf(arg.charAt(0)) < 0) {
        continue;
      }
      int k = 0;
      StringBuilder ascii = new StringBuilder();
      while (k < arg.length() && (arg.charAt(k) == '-' || DASHES.indexOf(arg.charAt(k)) >= 0)) {
        ascii.append(arg.charAt(k) == '\u2014' || arg.charAt(k) == '\u2015' ? "--" : "-");
        k++;
      }
      String rest = arg.substring(k);
      int eq = rest.indexOf('=');
      String name = eq < 0 ? rest : rest.substring(0, eq);
      for (String option : new String[] {ascii + name, "--" + name, "-" + name}) {
        if (!name.isEmpty() && names.contains(option)) {
          char d = arg.charAt(0);
          return "'"
              + arg
              + "' starts with '"
              + d
              + "' (U+"
              + String.format(java.util.Locale.ROOT, "%04X", (int) d)
              + " "
              + Character.getName(d)
              + "), not the '-' options start with (a command copied from a page that set its"
              + " dashes as typography?); write "
              + option
              + rest.substring(name.length());
        }
      }
    }
    return null;
  }

  /** Every error as one line on stderr, with the exit status {@link #USAGE} or 1. */
  static final class Errors
      implements CommandLine.IExitCodeExceptionMapper,
          CommandLine.IParameterExceptionHandler,
          CommandLine.IExecutionExceptionHandler {

    /** The command's held warnings, dropped before a user error's one line. */
    private final HeldWarnings held;

    Errors(HeldWarnings held) {
      this.held = held;
    }

    @Override
    public int getExitCode(Throwable exception) {
      return USAGE;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] a) {
      CommandLine c = ex.getCommandLine();
      // one line, as every user error: the message, then where the help is
      String msg =
          ex.getMessage() == null ? "bad arguments" : ex.getMessage().strip().replace('\n', ' ');
      String late =
          ex instanceof CommandLine.UnmatchedArgumentException
                  || ex instanceof CommandLine.MissingParameterException
              ? afterEndOfOptions(a, c.getCommandSpec().optionsMap().keySet())
              : null;
      String dash = typographicDash(a, c.getCommandSpec().optionsMap().keySet());
      String beyond = beyondRange(ex);
      if (dash != null) {
        msg = dash;
      } else if (beyond != null) {
        msg = beyond;
      } else if (late != null) {
        msg = late;
      } else if (c.getParent() == null
          && ex instanceof CommandLine.UnmatchedArgumentException
          && a.length > 0
          && !a[0].startsWith("-")) {
        msg = unknownCommand(a[0], c.getSubcommands().keySet());
      } else if (ex instanceof CommandLine.UnmatchedArgumentException u) {
        String option = positionalAsOption(u.getUnmatched(), c.getCommandSpec());
        if (option == null) {
          option = unknownOption(u.getUnmatched(), c.getCommandSpec().optionsMap().keySet());
        }
        if (option == null) {
          option = unmatched(u.getUnmatched(), a, msg, c.getCommandSpec());
        }
        msg = option != null ? option : msg;
      } else if (ex instanceof CommandLine.MissingParameterException) {
        // picocli checks required options before unknown ones: 'train --patern p.npy' said only
        // that --patterns is missing; a typo of an option is the cause to name
        java.util.Set<String> names = c.getCommandSpec().optionsMap().keySet();
        java.util.List<String> unknown = new java.util.ArrayList<>();
        for (String arg : a) {
          int eq = arg.indexOf('=');
          if (arg.startsWith("--") && !names.contains(eq < 0 ? arg : arg.substring(0, eq))) {
            unknown.add(arg);
          }
        }
        String option = positionalAsOption(unknown, c.getCommandSpec());
        if (option == null) {
          option = unknownOption(unknown, names);
        }
        if (option == null) {
          option = strayBesidesMissing(a, (CommandLine.MissingParameterException) ex);
        }
        msg = option != null ? option : msg;
      }
      held.drop();
      c.getErr()
          .println(
              "engram: "
                  + printable(msg)
                  + " (see '"
                  + c.getCommandSpec().qualifiedName()
                  + " --help')");
      c.getErr().flush();
      return USAGE;
    }

    @Override
    public int handleExecutionException(
        Exception ex, CommandLine c, CommandLine.ParseResult parseResult) {
      if (ex instanceof Outputs.ReaderLeft) {
        return BROKEN_PIPE_STATUS;
      }
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
      if (code == USAGE) {
        held.drop();
      }
      // (the hook that sets interrupted may run after the one that removes temporary files, whose
      // removal made the command fail: "cannot write a file in DIR (not written: the process is
      // shutting down)" was printed after SIGTERM, now and then)
      if (!interrupted && !AtomicFiles.shuttingDown()) {
        e.println("engram: " + printable(msg));
        e.flush();
      }
      return code;
    }
  }

  /** Whether the arguments only ask for the version ({@code --version} or {@code -V}). */
  private static boolean versionOnly(String[] args) {
    return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
  }

  /** Runs the command line with the given streams and returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    if (versionOnly(args)) {
      // what picocli prints for it, without loading picocli (about 170 classes)
      out.println(versionLine());
      out.flush();
      return 0;
    }
    String bad = settingsProblem();
    if (bad != null) {
      err.println(bad);
      err.flush();
      return 2;
    }
    CommandLine cl = CommandModels.commandLine(new EngramCli());
    // An argument is what it says: picocli would read '@NAME' as a file of further arguments when a
    // file NAME exists, so '--patterns @list' trained on whatever the file 'list' named, not on the
    // file '@list', and '--out @notes' could write where 'notes' pointed (issue 9 section 2)
    cl.setExpandAtFiles(false);
    // only the command that runs, when the first argument names one that never needs the others;
    // subcommands must be added before the layout and the settings below, which apply to those
    // present
    String first = args.length > 0 ? args[0] : "";
    String helpProblem = first.equals("help") ? helpArgumentsProblem(args) : null;
    if (helpProblem != null) {
      err.println("engram: " + printable(helpProblem));
      err.flush();
      return 2;
    }
    boolean alone =
        Commands.ALL.containsKey(first) && !first.equals("help") && !first.equals("completion");
    addSubcommands(cl, alone ? first : null);
    // after the subcommands: a converter registered here applies to those present
    cl.registerConverter(Path.class, new PathConverter());
    IntConverter ints = new IntConverter();
    LongConverter longs = new LongConverter();
    cl.registerConverter(Integer.class, ints);
    cl.registerConverter(int.class, ints);
    cl.registerConverter(Long.class, longs);
    cl.registerConverter(long.class, longs);
    DoubleConverter doubles = new DoubleConverter();
    FloatConverter floats = new FloatConverter();
    cl.registerConverter(Double.class, doubles);
    cl.registerConverter(double.class, doubles);
    cl.registerConverter(Float.class, floats);
    cl.registerConverter(float.class, floats);
    if (!alone || asksForHelp(args)) {
      HelpLayout.install(cl);
    }
    // warnings are held until the command goes on past its inputs (a progress bar, a line on
    // standard output or standard error, its end), and dropped on exit 2
    HeldWarnings held = new HeldWarnings(err);
    cl.setOut(HeldWarnings.releasingBefore(out));
    cl.setErr(new PrintWriter(held, true));
    Errors errors = new Errors(held);
    cl.setExitCodeExceptionMapper(errors);
    cl.setParameterExceptionHandler(errors);
    cl.setExecutionExceptionHandler(errors);
    cl.setExecutionStrategy(new StandardInputOnce());
    Memory.reset();
    Outputs.dataOnStandardOutput = false; // (a run in the same JVM before this one)
    Outputs.committed = List.of();
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      if (directMemory(e)) {
        held.end();
        err.println("engram: " + directMemoryLine(e));
        err.flush();
        return 1;
      }
      if (noThread(e)) {
        // not the heap: it was "needs about 82.8 MiB of heap; this JVM may use 5.89 GiB; give it
        // more with ENGRAM_JAVA_OPTS=-Xmx12g" under 'ulimit -u 25'
        err.println("engram: " + NO_THREAD);
        err.flush();
        return 1;
      }
      try {
        held.end();
        err.println("engram: " + Memory.advice());
        err.flush();
      } catch (OutOfMemoryError again) {
        return heapTooSmall(); // (the advice itself ran out: the heap is far too small)
      }
      return 1;
    } catch (Error e) {
      // an error of the JVM's own (a class that could not be set up, and the like) was a stack
      // trace: 'ulimit -n 7' failed the JDK's set-up of file channels with "Too many open files",
      // as an ExceptionInInitializerError out of the first file read
      String limit = tooManyOpenFiles(e);
      if (limit != null) {
        held.drop(); // exit 2: its one line
      }
      err.println("engram: " + printable(limit != null ? limit : "internal error: " + e));
      err.flush();
      return limit != null ? 2 : 1;
    } finally {
      held.end();
    }
  }

  /**
   * Whether an {@link OutOfMemoryError} says that a thread could not be started (a limit on
   * processes and threads, {@code ulimit -u}, or no memory for its stack), not that the heap is
   * full.
   */
  static boolean noThread(OutOfMemoryError e) {
    return e.getMessage() != null && e.getMessage().contains("unable to create native thread");
  }

  /**
   * Whether an {@link OutOfMemoryError} says that the JVM's direct buffer memory is used up (its
   * limit, {@code -XX:MaxDirectMemorySize}, too small for the buffers that file reads and writes
   * use), not that the heap is full.
   */
  static boolean directMemory(OutOfMemoryError e) {
    return e.getMessage() != null && e.getMessage().contains("direct buffer memory");
  }

  /**
   * The line for direct buffer memory used up ({@link #directMemory}): it was the heap's advice,
   * "reading 4.1 MiB of input needs about 12.2 MiB of heap; this JVM may use 5.89 GiB; give it more
   * with ENGRAM_JAVA_OPTS=-Xmx12g", under {@code -XX:MaxDirectMemorySize=64k}.
   */
  static String directMemoryLine(OutOfMemoryError e) {
    return "out of memory: the JVM's direct buffer memory is used up ("
        + e.getMessage()
        + "), not its heap: -XX:MaxDirectMemorySize (in ENGRAM_JAVA_OPTS or JAVA_TOOL_OPTIONS)"
        + " is too small for the buffers of Engram's file reads and writes; raise it, e.g. to"
        + " 64m, or leave it out";
  }

  /** The line for a thread that could not be started ({@link #noThread}). */
  static final String NO_THREAD =
      "out of memory: could not start a thread (unable to create native thread): this user may"
          + " run too few processes and threads at once (ulimit -u), or the machine's memory is"
          + " used up; raise the limit, or run fewer threads with"
          + " ENGRAM_JAVA_OPTS=-Dengram.threads=1";

  /**
   * The line for an error caused by the limit on open files ({@code ulimit -n}), or null when it is
   * not one.
   */
  static String tooManyOpenFiles(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException && "Too many open files".equals(t.getMessage())) {
        return "too many open files: this process may open too few at once (ulimit -n); Engram"
            + " needs at least "
            + MIN_OPEN_FILES
            + ": raise the limit";
      }
    }
    return null;
  }

  /**
   * The fewest open files ({@code ulimit -n}) every command works with: a recall with a folder of
   * images, --stored images, a grid, an energy plot and a report, at once. {@code bin/engram}
   * refuses a lower limit up front.
   */
  static final int MIN_OPEN_FILES = 10;

  /**
   * Refuses standard input ({@code -}) given to two of the command's input options (every {@code
   * Path} option and parameter is an input), before anything reads it: the second read found a pipe
   * empty, or a file redirected with {@code <} read again as data of another kind ({@code inspect -
   * --patterns - < m.npz} said "/dev/stdin: not a .npy file"). One option given {@code -} twice is
   * {@link Inputs#read}'s to refuse.
   */
  private static final class StandardInputOnce implements CommandLine.IExecutionStrategy {
    // (a class, not a lambda: a lambda of a picocli interface, made while the class-data archive
    // is written, keeps that interface and its classes out of the archive)
    @Override
    public int execute(CommandLine.ParseResult pr) {
      standardInputOnce(pr);
      return new CommandLine.RunLast().execute(pr);
    }
  }

  private static void standardInputOnce(CommandLine.ParseResult pr) {
    while (pr.hasSubcommand()) {
      pr = pr.subcommand();
    }
    if (pr.isUsageHelpRequested() || pr.isVersionHelpRequested()) {
      return;
    }
    String first = null;
    for (CommandLine.Model.ArgSpec arg : pr.matchedArgs()) {
      boolean paths =
          arg.type() == Path.class
              || java.util.Arrays.asList(arg.auxiliaryTypes()).contains(Path.class);
      if (!paths || !arg.originalStringValues().contains(Outputs.STANDARD)) {
        continue;
      }
      String name =
          arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
      if (first != null && !first.equals(name)) {
        UserError e =
            new UserError(
                first + " and " + name + " both read standard input; give one of them a file");
        throw new CommandLine.ExecutionException(pr.commandSpec().commandLine(), e.getMessage(), e);
      }
      first = name;
    }
  }

  /**
   * A path option's value (every one names an input): never empty, and {@code -} is standard input.
   * {@code Path.of("")} is the working folder, so that {@code --patterns "$DATA"} with DATA unset
   * trained on whatever images were in it, and an empty {@code --model} was named {@code ": not a
   * regular file"}.
   */
  static Path nonEmptyPath(String value) {
    if (value.isEmpty()) {
      throw new CommandLine.TypeConversionException("the path is empty");
    }
    if (value.isBlank()) {
      // (it was "engram:  : file not found", the name invisible)
      throw new CommandLine.TypeConversionException(
          "the path '" + value + "' is only blanks (spaces, tabs)");
    }
    // every Path option is an input: '-' is standard input, as for most tools (outputs are
    // strings, where '-' is standard output: Outputs.file)
    if (value.equals(Outputs.STANDARD)) {
      return Path.of("/dev/stdin");
    }
    // (a name whose bytes Java lost would otherwise be reported as not found, though ls shows it)
    if (Outputs.lostBytes(value)) {
      throw new CommandLine.TypeConversionException(
          "'"
              + value
              + "': no such file, and "
              + Outputs.LOST_BYTES
              + ": Java cannot open a file with such bytes in its name; rename it");
    }
    String tilde = Outputs.unexpandedTilde(null, value);
    if (tilde != null) {
      throw new CommandLine.TypeConversionException("'" + value + "': no such file: it " + tilde);
    }
    Path path = Path.of(value);
    if (Outputs.endsWithSeparator(value)
        && java.nio.file.Files.exists(path)
        && !java.nio.file.Files.isDirectory(path)) {
      // (Path.of drops the separator, so 'p.npy/' read the file p.npy; a path that ends in one
      // names a folder, and the system refuses it for a file: "Not a directory")
      throw new CommandLine.TypeConversionException(
          "'"
              + value
              + "' ends in "
              + File.separator
              + ", which names a folder, but "
              + path
              + " is not one; give it without the "
              + File.separator);
    }
    return path;
  }

  /**
   * A message as one line a terminal shows as it is: control characters (a newline, a tab, an
   * escape sequence's ESC, C1 controls, DEL) and the Unicode controls that reorder text on screen
   * (bidirectional marks, embeddings, overrides and isolates) or hide it (U+200B, U+FEFF: every
   * format character but the zero-width non-joiner and joiner) written as escapes ({@code \\n},
   * {@code \\t}, {@code \\r}, {@code \\x1b}, {@code \\u202e}). A file name may hold any of them:
   * printed as it is, a name with a newline split an error over two lines, and one with escape
   * sequences recoloured or rewrote the user's terminal.
   */
  static String printable(String s) {
    int i = 0;
    while (i < s.length() && !unprintable(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 8).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!unprintable(c)) {
        b.append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c < 0x100) {
        b.append("\\x")
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      } else {
        b.append("\\u").append(Integer.toHexString(0x10000 | c), 1, 5);
      }
    }
    return b.toString();
  }

  private static boolean unprintable(char c) {
    // the format characters (Cf) as the model files' member names refuse them: all but the
    // zero-width non-joiner and joiner, which words of Persian and Indic scripts need; and the
    // line and paragraph separators, line breaks where the output is shown
    return Character.isISOControl(c)
        || (Character.getType(c) == Character.FORMAT && c != '\u200c' && c != '\u200d')
        || c == '\u2028'
        || c == '\u2029';
  }

  /**
   * The message for a first argument that is not a command: the commands, and the one meant when it
   * is a small typo of one (one letter wrong, missing, extra or swapped). Not picocli's own
   * suggestions: by the similarity of letter pairs, they offer 'recall' for 'frobnicate'.
   */
  static String unknownCommand(String given, java.util.Collection<String> commands) {
    String meant = null;
    for (String c : commands) {
      if (editDistance(given.toLowerCase(java.util.Locale.ROOT), c)
          <= 1 + (c.length() > 6 ? 1 : 0)) {
        meant = c;
        break;
      }
    }
    return "'"
        + given
        + "' is not a command"
        + (meant == null ? "" : " (did you mean '" + meant + "'?)")
        + "; the commands are "
        + String.join(", ", commands);
  }

  /**
   * For an unknown option named like the command's one positional parameter ('inspect --model
   * m.npz', as recall and export take their model): where that parameter goes; else null. It was
   * "Unknown option: '--model'", with no word of how inspect takes its model.
   */
  static String positionalAsOption(
      java.util.List<String> unmatched, CommandLine.Model.CommandSpec spec) {
    List<CommandLine.Model.PositionalParamSpec> positional = spec.positionalParameters();
    if (unmatched.isEmpty() || positional.size() != 1) {
      return null;
    }
    String arg = unmatched.get(0);
    int eq = arg.indexOf('=');
    String given = eq < 0 ? arg : arg.substring(0, eq);
    String label = positional.get(0).paramLabel();
    if (!given.startsWith("--") || !given.substring(2).equalsIgnoreCase(label)) {
      return null;
    }
    return "Unknown option: '"
        + given
        + "': '"
        + spec.qualifiedName()
        + "' takes its "
        + label
        + " without an option name ('"
        + spec.qualifiedName()
        + " "
        + label
        + "')";
  }

  /**
   * The message for an unknown option that is a small typo of one of the command's (as {@link
   * #unknownCommand}), or the start of one option's name: "Unknown option: '--nuerons' (did you
   * mean '--neurons'?)"; null when none is near. Picocli's own line named the option's value too
   * ("Unknown options: '--nuerons', '30'"), as though it were another option.
   */
  static String unknownOption(
      java.util.List<String> unmatched, java.util.Collection<String> names) {
    for (String arg : unmatched) {
      if (!arg.startsWith("--") || arg.length() < 4) {
        continue;
      }
      int eq = arg.indexOf('=');
      String given = eq < 0 ? arg : arg.substring(0, eq);
      for (String name : names) {
        if (name.startsWith("--")
            && editDistance(given.toLowerCase(java.util.Locale.ROOT), name)
                <= 1 + (name.length() > 8 ? 1 : 0)) {
          return "Unknown option: '" + given + "' (did you mean '" + name + "'?)";
        }
      }
      // the start of one option's name ('--pat' for --patterns, which picocli does not
      // abbreviate): named, where 'train --pat p.npy' said only that --patterns was missing
      String only = null;
      for (String name : names) {
        if (name.startsWith("--") && name.startsWith(given) && !name.equals(given)) {
          if (only != null) {
            return null;
          }
          only = name;
        }
      }
      if (only != null) {
        return "Unknown option: '"
            + given
            + "' (did you mean '"
            + only
            + "'? option names are not abbreviated)";
      }
      return null;
    }
    return null;
  }

  /**
   * For a command that takes only options and misses a required one: the arguments that are neither
   * options nor their values, named before what is missing. 'recall m.npz q.npy' (files without
   * their options) said only that --model, --queries and --out were missing, as if the files had
   * not been given; null when there are none.
   */
  static String strayBesidesMissing(String[] args, CommandLine.MissingParameterException ex) {
    CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
    if (!spec.positionalParameters().isEmpty()
        || String.valueOf(ex.getMessage()).startsWith("Expected parameter")) {
      return null; // (an option without its value: picocli's line names it)
    }
    int start = java.util.Arrays.asList(args).indexOf(spec.name());
    java.util.List<String> stray = new java.util.ArrayList<>();
    for (int i = start + 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        break;
      }
      if (arg.startsWith("-") && arg.length() > 1 && !isNumber(arg)) {
        int eq = arg.indexOf('=');
        CommandLine.Model.OptionSpec o = spec.findOption(eq < 0 ? arg : arg.substring(0, eq));
        boolean optionalValue = o != null && o.arity().min() == 0;
        if (o != null
            && eq < 0
            && o.arity().max() > 0
            && i + 1 < args.length
            && spec.findOption(args[i + 1]) == null
            && (!optionalValue
                || args[i + 1].equalsIgnoreCase("true")
                || args[i + 1].equalsIgnoreCase("false"))) {
          i++; // its value
        }
        continue;
      }
      stray.add(arg);
    }
    if (stray.isEmpty()) {
      return null;
    }
    java.util.List<String> missing = new java.util.ArrayList<>();
    for (CommandLine.Model.ArgSpec m : ex.getMissing()) {
      if (m instanceof CommandLine.Model.OptionSpec o) {
        missing.add(o.longestName() + " " + o.paramLabel());
      }
    }
    return (stray.size() == 1
            ? "unexpected argument '" + stray.get(0) + "'"
            : "unexpected arguments '" + String.join("', '", stray) + "'")
        + ": '"
        + spec.qualifiedName()
        + "' takes only options, each value after its name"
        + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing));
  }

  /**
   * The message for an argument picocli matched to nothing, where no option's name is near it, or
   * null to keep picocli's: an unknown option is named alone ("Unknown option: '--frobnicate'",
   * where picocli's line was "Unknown options: '--frobnicate', '3'", its value read as another
   * option), and a value that follows another option's value is named with that option ("unexpected
   * argument 'b.npy' after '--patterns a.npy': an option takes one value; ..."), where picocli's
   * was "Unmatched argument at index 3: 'b.npy'".
   *
   * @param message picocli's message, which gives the index of the first unmatched argument
   */
  static String unmatched(
      java.util.List<String> unmatched,
      String[] args,
      String message,
      CommandLine.Model.CommandSpec spec) {
    if (unmatched.isEmpty()) {
      return null;
    }
    String first = unmatched.get(0);
    if (first.startsWith("-") && first.length() > 1 && !isNumber(first)) {
      int eq = first.indexOf('=');
      return "Unknown option: '" + (eq < 0 ? first : first.substring(0, eq)) + "'";
    }
    String what =
        unmatched.size() == 1
            ? "unexpected argument '" + first + "'"
            : "unexpected arguments '" + String.join("', '", unmatched) + "'";
    int at = indexIn(message);
    if (at >= 2 && at < args.length && args[at].equals(first)) {
      CommandLine.Model.OptionSpec before = spec.findOption(args[at - 2]);
      if (before != null
          && before.arity().max() == 1
          && (!args[at - 1].startsWith("-") || isNumber(args[at - 1]))) {
        String option = args[at - 2];
        return what
            + " after '"
            + option
            + " "
            + args[at - 1]
            + "': an option takes one value"
            + (before.isMultiValue()
                ? "; give the option again for another ('" + option + " " + first + "')"
                : "")
            + (before.paramLabel().contains(",")
                ? "; a list is one value, without blanks ('"
                    + option
                    + " "
                    + args[at - 1]
                    + ","
                    + first
                    + "')"
                : "");
      }
    }
    List<CommandLine.Model.PositionalParamSpec> positional = spec.positionalParameters();
    if (positional.isEmpty()) {
      return what
          + ": '"
          + spec.qualifiedName()
          + "' takes only options, each value after its name";
    }
    if (positional.size() == 1 && positional.get(0).arity().max() == 1) {
      return what
          + ": '"
          + spec.qualifiedName()
          + "' takes one "
          + positional.get(0).paramLabel()
          + " besides its options";
    }
    return null;
  }

  /** The number after "index " in picocli's message on unmatched arguments, or -1. */
  private static int indexIn(String message) {
    int i = message.indexOf("index ");
    if (i < 0) {
      return -1;
    }
    int from = i + "index ".length();
    int to = from;
    while (to < message.length() && to - from < 6 && Character.isDigit(message.charAt(to))) {
      to++;
    }
    return to == from ? -1 : Integer.parseInt(message.substring(from, to));
  }

  /** Whether an argument that starts with '-' is a number (a negative value), not an option. */
  private static boolean isNumber(String arg) {
    return arg.length() > 1 && (Character.isDigit(arg.charAt(1)) || arg.charAt(1) == '.');
  }

  /**
   * The message for one of the command's options given after {@code --}, which ends the options
   * (picocli then reads it as an argument), or null when none is: it was "Unknown option:
   * '--occlude' (did you mean '--occlude'?)", or a required option named as missing though it was
   * given.
   */
  static String afterEndOfOptions(String[] args, java.util.Collection<String> names) {
    int end = java.util.Arrays.asList(args).indexOf("--");
    for (int i = end + 1; end >= 0 && i < args.length; i++) {
      int eq = args[i].indexOf('=');
      String name = eq < 0 ? args[i] : args[i].substring(0, eq);
      if (names.contains(name)) {
        return "'"
            + name
            + "' comes after '--', which ends the options (what follows it is read as"
            + " arguments); give the options before '--'";
      }
    }
    return null;
  }

  /** Edits (insert, delete, replace, swap of neighbours) from {@code a} to {@code b}. */
  private static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** picocli's property naming the types whose built-in converters it does not set up. */
  static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

  /**
   * Tells picocli not to set up its converters for {@code java.sql} and {@code java.time} types,
   * unless the property is set already: it looks each of those classes up by reflection and
   * initialises it (about 100 classes, {@code DateTimeFormatter}'s tables among them: some 8 ms of
   * every command), and no option of ours has such a type ({@code StartupHintTest} checks). A
   * system property, so only for the process that {@link #main} runs: a program that calls {@link
   * #run} keeps picocli's defaults for its own command lines.
   */
  static void excludeUnusedConverters() {
    if (System.getProperty(CONVERTER_EXCLUDES) == null) {
      System.setProperty(CONVERTER_EXCLUDES, "java\\.(sql|time)\\..*");
    }
  }

  /**
   * Whether a command's arguments may ask for its help ({@code --help}, or {@code -h} alone or in a
   * cluster of short options), the only way a command run alone prints it: the help's layout (a
   * dozen section renderers, lambdas that the class-data archive cannot hold because picocli's
   * interfaces are too old a class file version for it) is set up only then.
   */
  static boolean asksForHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--help")
          || (a.length() > 1
              && a.charAt(0) == '-'
              && a.charAt(1) != '-'
              && a.indexOf('h') > 0
              && a.indexOf('=') < 0)) {
        return true;
      }
    }
    return false;
  }

  /** The command line with every subcommand (as the help and completion see it). */
  static CommandLine withAllSubcommands() {
    CommandLine cl = CommandModels.commandLine(new EngramCli());
    addSubcommands(cl, null);
    return cl;
  }

  /** Adds the subcommand named {@code only}, or all of them when it is null. */
  private static void addSubcommands(CommandLine cl, String only) {
    for (Map.Entry<String, Supplier<Object>> c : Commands.ALL.entrySet()) {
      if (only == null || c.getKey().equals(only)) {
        cl.addSubcommand(c.getKey(), CommandModels.commandLine(c.getValue().get()));
      }
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
      return n.getFile() + ": " + (n.getReason() == null ? "file not found" : n.getReason());
    }
    if (ex instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (ex instanceof AtomicFiles.CommitException c) {
      return c.getMessage();
    }
    if (ex instanceof FileSystemException f && isSocket(f.getFile())) {
      // the system's reason for opening a socket (ENXIO) named no socket: "s: No such device or
      // address", of a file that is there
      return f.getFile()
          + ": is a socket, which cannot be opened and read as a file; give a file, or a pipe"
          + " such as <(...)";
    }
    if (ex instanceof FileSystemException f) {
      return f.getMessage();
    }
    if (ex instanceof IOException) {
      return "I/O error: " + ex.getMessage();
    }
    return null;
  }

  /**
   * What is wrong with the arguments of {@code engram help} (picocli's help command), or null: it
   * printed the main usage for an unknown option ({@code help --foo}, exit 0) and the first
   * command's help for several ({@code help train recall}, the second dropped without a word); a
   * name that is no command is named with the commands, as for {@code engram NAME}.
   */
  static String helpArgumentsProblem(String[] args) {
    String command = null;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        continue;
      }
      if (a.startsWith("-") && a.length() > 1) {
        return "Unknown option: '" + a + "' (see 'engram help --help')";
      }
      if (command != null) {
        return "unexpected argument '"
            + a
            + "' after '"
            + command
            + "': 'engram help' shows one command's help at a time (see 'engram help --help')";
      }
      command = a;
    }
    if (command != null && !Commands.ALL.containsKey(command)) {
      // picocli's help command said "Unknown subcommand 'trian'.", where 'engram trian' names the
      // commands and the one meant
      return unknownCommand(command, Commands.ALL.keySet()) + " (see 'engram --help')";
    }
    return null;
  }

  /** Whether {@code file} (as an exception names it; may be null) is a Unix domain socket. */
  private static boolean isSocket(String file) {
    if (file == null) {
      return false;
    }
    try {
      Object mode = java.nio.file.Files.getAttribute(Path.of(file), "unix:mode");
      return mode instanceof Integer m && (m & 0170000) == 0140000;
    } catch (IOException | RuntimeException e) {
      return false; // no such file, no Unix modes here, a name that is no path
    }
  }

  /** The version line, e.g. {@code engram 0.1.0}. */
  static String versionLine() {
    String v = EngramCli.class.getPackage().getImplementationVersion();
    return "engram " + (v == null ? "dev" : v);
  }

  /** Prints the version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {versionLine()};
    }
  }
}
