package io.engram.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * The command line's configuration of {@code java.util.logging}, named by the system property
 * {@value #PROPERTY} so that the JDK applies it when logging starts: the JDK's default
 * configuration, with the library's one-line notices (e.g. which kernels it uses) left out. Logging
 * starts only when the library logs, which most commands never do; configuring it up front started
 * it in every command (15-18 ms of a fresh JVM on the project machine).
 */
public final class LibraryLogging {

  /** The JDK's property naming a class whose constructor configures logging. */
  static final String PROPERTY = "java.util.logging.config.class";

  /** The JDK's {@code logging.properties}, and the library at WARNING. */
  private static final String CONFIG =
      "handlers=java.util.logging.ConsoleHandler\n"
          + ".level=INFO\n"
          + "java.util.logging.ConsoleHandler.level=INFO\n"
          + "java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter\n"
          + "io.engram.level=WARNING\n";

  /** Called by the JDK (by reflection) when logging starts. */
  public LibraryLogging() throws IOException {
    LogManager.getLogManager()
        .readConfiguration(new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /**
   * Names this configuration for the JDK, unless the user chose a configuration of their own (a
   * class or a file, e.g. in {@code ENGRAM_JAVA_OPTS}).
   */
  static void install() {
    if (System.getProperty(PROPERTY) == null
        && System.getProperty("java.util.logging.config.file") == null) {
      System.setProperty(PROPERTY, LibraryLogging.class.getName());
    }
  }
}
