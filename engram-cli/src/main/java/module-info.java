/**
 * The {@code engram} command line: picocli subcommands over the core's API, progress bars on
 * stderr, figures and images. Exports nothing (it is an application); picocli reads and sets the
 * commands' annotated fields by reflection, so the package is open to it.
 *
 * <p>The packaged {@code engram.jar} is a shaded jar run on the class path ({@code bin/engram});
 * this descriptor is what the build compiles and tests against: the CLI reads only the core's
 * exported packages (and {@code io.engram.internal}, exported to it alone).
 */
// "requires-automatic": jline-terminal and jfreechart have no module descriptor, only an
// Automatic-Module-Name in their manifests
@SuppressWarnings("requires-automatic")
module io.engram.cli {
  requires io.engram.core;
  requires info.picocli;
  requires me.tongfei.progressbar;
  requires org.jline.terminal;
  requires org.jfree.jfreechart;
  requires java.desktop;
  requires java.logging;
  requires java.management;
  requires jdk.management;

  opens io.engram.cli to
      info.picocli;
}
