package io.engram.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on this machine, made of the jars Maven resolved: a "Spark
 * installation" ({@code SPARK_HOME/jars}, links to the provided-scope jars), one master and {@code
 * w} workers, each a separate JVM bound to 127.0.0.1 only on free ports, with small memory. The
 * workers start executors as further JVMs from that installation, as on a real cluster; the
 * application's own jars reach them through {@code spark.jars}. {@link #close} stops every process
 * it started (the workers' executors first), also when the test JVM exits early.
 *
 * <p>For tests and the benchmark; the processes' output goes to log files in the work directory.
 */
public final class StandaloneCluster implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";

  private final Path work;
  private final Path sparkHome;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "stop-standalone-cluster");
  private String masterUrl;

  private StandaloneCluster(Path work) {
    this.work = work;
    this.sparkHome = work.resolve("spark-home");
  }

  /**
   * Starts a master and {@code workers} workers ({@code cores} cores and {@code workerMemory} each)
   * and waits until every worker has registered.
   *
   * @param sparkClasspath the Spark installation: the provided-scope jars, path-separated
   * @param timeout how long to wait for the cluster to come up
   * @throws IllegalStateException with the processes' log tails if it does not come up in time
   */
  public static StandaloneCluster start(
      Path work,
      String sparkClasspath,
      int workers,
      int cores,
      String workerMemory,
      Duration timeout)
      throws IOException, InterruptedException {
    StandaloneCluster c = new StandaloneCluster(work);
    Runtime.getRuntime().addShutdownHook(c.hook);
    try {
      c.install(sparkClasspath);
      long deadline = System.nanoTime() + timeout.toNanos();
      int port = freePort();
      c.masterUrl = "spark://" + LOOPBACK + ":" + port;
      Path masterLog =
          c.launch(
              "master",
              "org.apache.spark.deploy.master.Master",
              "--host",
              LOOPBACK,
              "--port",
              Integer.toString(port),
              "--webui-port",
              Integer.toString(freePort()));
      c.await(masterLog, "I have been elected leader", deadline);
      List<Path> workerLogs = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        Path dir = Files.createDirectories(work.resolve("worker-" + i));
        workerLogs.add(
            c.launch(
                "worker-" + i,
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                LOOPBACK,
                "--port",
                Integer.toString(freePort()),
                "--webui-port",
                Integer.toString(freePort()),
                "--cores",
                Integer.toString(cores),
                "--memory",
                workerMemory,
                "--work-dir",
                dir.toString(),
                c.masterUrl));
      }
      for (Path log : workerLogs) {
        c.await(log, "Successfully registered with master", deadline);
      }
      return c;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  /** {@code spark://127.0.0.1:port}. */
  public String masterUrl() {
    return masterUrl;
  }

  /** The installation's jars as a classpath (for a driver JVM such as spark-submit's). */
  public String sparkClasspath() {
    return sparkHome.resolve("jars").toString() + "/*";
  }

  /** {@code SPARK_HOME}. */
  public Path sparkHome() {
    return sparkHome;
  }

  /** The environment every process of the cluster (and a driver started for it) runs with. */
  public Map<String, String> environment() {
    return Map.of(
        "SPARK_HOME", sparkHome.toString(),
        "SPARK_SCALA_VERSION",
            scala.util.Properties.versionNumberString().replaceAll("\\.\\d+$", ""),
        "SPARK_LOCAL_IP", LOOPBACK,
        "SPARK_LOCAL_DIRS", work.resolve("local").toString(),
        "JAVA_HOME", System.getProperty("java.home"));
  }

  /**
   * The flags this JVM was started with that Spark's JVMs need too: the {@code --add-opens} list
   * that Spark's launcher would add, and the kernel selection ({@code --add-modules
   * jdk.incubator.vector}, {@code -Dengram.vectorization}).
   */
  public static List<String> jvmFlags() {
    List<String> out = new ArrayList<>();
    List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (int i = 0; i < in.size(); i++) {
      String a = in.get(i);
      if (a.startsWith("--add-opens")
          || a.startsWith("--enable-native-access")
          || a.startsWith("--sun-misc-unsafe-memory-access")
          || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Djdk.reflect.useDirectMethodHandle")
          || a.startsWith("-Dio.netty.tryReflectionSetAccessible")
          || a.startsWith("-Dengram.vectorization")
          || a.startsWith("--add-modules=")) {
        out.add(a);
      } else if (a.equals("--add-modules") && i + 1 < in.size()) {
        out.add(a + "=" + in.get(++i));
      }
    }
    return out;
  }

  /** The flags among {@link #jvmFlags} that choose the core's kernels (for the executors). */
  public static String kernelFlags() {
    List<String> k = new ArrayList<>();
    for (String f : jvmFlags()) {
      if (f.startsWith("-Dengram.vectorization") || f.startsWith("--add-modules=")) {
        k.add(f);
      }
    }
    return String.join(" ", k);
  }

  /**
   * Starts a JVM with the installation's classpath, the cluster's environment and {@link
   * #jvmFlags}; its output goes to {@code name.log} in the work directory.
   */
  public Process startJvm(String name, List<String> jvmArgs, String mainClass, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(sparkClasspath());
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    Path log = work.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(environment());
    Process p = pb.start();
    synchronized (processes) {
      processes.add(p);
      logs.add(log);
    }
    return p;
  }

  private Path launch(String name, String mainClass, String... args) throws IOException {
    // small, quick-starting JVMs: a master and a worker only coordinate
    startJvm(
        name, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), mainClass, args);
    return work.resolve(name + ".log");
  }

  /** Links every jar of the classpath into {@code SPARK_HOME/jars}. */
  private void install(String classpath) throws IOException {
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    Files.createDirectories(work.resolve("local"));
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path jar = Path.of(entry);
      Path link = jars.resolve(jar.getFileName());
      if (Files.isRegularFile(jar) && !Files.exists(link)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
  }

  private void await(Path log, String line, long deadline) throws InterruptedException {
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && read(log).contains(line)) {
        return;
      }
      synchronized (processes) {
        for (Process p : processes) {
          if (!p.isAlive()) {
            throw new IllegalStateException("a cluster process exited early\n" + tails());
          }
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("'" + line + "' not seen in " + log + " in time\n" + tails());
  }

  /** The last lines of every process's log, for error messages. */
  public String tails() {
    StringBuilder b = new StringBuilder();
    synchronized (processes) {
      for (Path log : logs) {
        String s = Files.exists(log) ? read(log) : "";
        b.append("---- ")
            .append(log.getFileName())
            .append('\n')
            .append(s, Math.max(0, s.length() - 3000), s.length())
            .append('\n');
      }
    }
    return b.toString();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port free on the loopback address now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return s.getLocalPort();
    }
  }

  /**
   * The jar that holds {@code c}: its code source when that is a jar, else a jar made in {@code
   * dir} from its classes directory.
   */
  public static Path jarOf(Class<?> c, Path dir) throws IOException {
    Path src;
    try {
      src = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    if (Files.isRegularFile(src)) {
      return src;
    }
    Path jar = dir.resolve(src.getParent().getParent().getFileName() + "-classes.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        out.putNextEntry(new JarEntry(src.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs stopAll anyway
    }
  }

  /** Stops the processes, newest first (workers before the master), each with its children. */
  private void stopAll() {
    List<Process> all;
    synchronized (processes) {
      all = new ArrayList<>(processes);
      processes.clear();
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Process p = all.get(i);
      List<ProcessHandle> children = p.descendants().toList();
      children.forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle h : children) {
          h.onExit().get(5, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        children.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }
}
