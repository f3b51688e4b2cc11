package io.engram.cli;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.WeightsMode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the command needs in memory, for the out-of-memory advice: commands say what they are about
 * to hold as soon as they know the sizes ({@link #need}); when the heap runs out, {@link #advice}
 * says how much the work needs, how much this JVM may use, the {@code -Xmx} that would do, and what
 * to change instead when the machine itself has too little memory.
 *
 * <p>The estimates count the large arrays and their copies, as the code holds them now: a float is
 * 4 bytes; dense weights are N x N floats, held once while a training call updates them in place
 * and streams them to the model file, twice while a call changes N (measured: N = 46340, 8.0 GiB of
 * weights, trains and saves with -Xmx10g); low-rank weights are R x N floats (R: patterns stored),
 * held twice while saved; patterns and queries are held about 3 times (as read, as a block, as
 * results). One process runs one command, so the state is process-wide; it is reset at the start of
 * every command.
 */
final class Memory {

  private static String what;
  private static long bytes;

  private Memory() {}

  /** Forgets what an earlier command needed (commands run one by one). */
  static synchronized void reset() {
    what = null;
    bytes = 0;
  }

  /** Notes that the work about to start needs about {@code bytes} of heap (the largest counts). */
  static synchronized void need(String work, long needed) {
    if (needed > bytes) {
      bytes = needed;
      what = work;
    }
  }

  /**
   * Notes the inputs about to be read: each file as read, and twice its values as floats (as a
   * block, as results). For a .npy file the values are counted from its header, so that a narrow
   * dtype is not underestimated (a bool file's floats are four times its size); for other files,
   * about 3 times their size.
   */
  static void reading(List<Path> files) {
    long total = 0;
    long floats = 0;
    for (Path f : files) {
      try {
        if (f != null && Files.isRegularFile(f)) {
          long size = Files.size(f);
          total += size;
          floats += Inputs.isNpy(f) ? 4 * io.engram.io.Npy.elements(f) : size;
        }
      } catch (java.io.IOException | RuntimeException e) {
        // unknown size: not counted
      }
    }
    if (total > 0) {
      need(readingWork(total, floats), total + 2 * floats);
    }
  }

  /** E.g. {@code reading 512.5 MiB of input (2.00 GiB as floats)}. */
  static String readingWork(long fileBytes, long floatBytes) {
    return "reading "
        + bytes(fileBytes)
        + " of input"
        + (floatBytes != fileBytes ? " (" + bytes(floatBytes) + " as floats)" : "");
  }

  /** The bytes of a float array of {@code a} x {@code b}. */
  static long floats(long a, long b) {
    return 4L * a * b;
  }

  /**
   * Notes a training call of {@code p} patterns of length {@code n} into {@code net} (null: a new
   * network) with the given weights mode (null: the network's own, or auto).
   */
  static void training(AmariHopfieldNetwork net, long p, int n, WeightsMode mode) {
    long rank = net == null ? 0 : Math.max(0, net.weights().rank());
    WeightsMode m = mode != null ? mode : WeightsMode.AUTO;
    boolean dense;
    if (net == null) {
      dense =
          m == WeightsMode.DENSE
              || (m == WeightsMode.AUTO && !WeightsMode.lowRankIsCheaper(n, p, 1));
    } else {
      dense =
          m == WeightsMode.DENSE
              || net.weights().isDense()
              || (m == WeightsMode.AUTO
                  && (net.numNeurons() != n || !net.weights().lowRankCheaperWith((int) p)));
    }
    boolean resized = net != null && net.numNeurons() != n;
    long patterns = 3 * floats(p, n);
    if (dense) {
      need(
          "training dense weights of N = "
              + n
              + " (N x N floats, "
              + bytes(floats(n, n))
              + (resized ? ", held twice while N changes" : "")
              + ")",
          (resized ? 2 : 1) * floats(n, n) + patterns);
    } else {
      need(
          "training low-rank weights of N = "
              + n
              + " with "
              + Words.count(rank + p, "pattern")
              + " stored ("
              + bytes(floats(rank + p, n))
              + ")",
          2 * floats(rank + p, n) + patterns);
    }
  }

  /**
   * Notes holding a model and {@code extra} more bytes for {@code work}: the weights' bytes, but
   * none for dense weights read in place from their file ({@link #inPlace}).
   */
  static void using(AmariHopfieldNetwork net, String work, long extra) {
    need(
        work + " with a model of N = " + net.numNeurons(),
        (inPlace(net) ? 0 : net.weights().memoryBytes()) + extra);
  }

  /**
   * Whether a model's weights are dense weights read where they lie in the model file, which no
   * heap holds (MODEL_FORMAT.md): its file's size says nothing of the heap then.
   */
  static boolean inPlace(io.engram.network.Memory model) {
    return model instanceof AmariHopfieldNetwork net
        && net.weights() instanceof io.engram.weights.DenseWeights d
        && d.isOverRows();
  }

  /** Notes holding a memory of any kind and {@code extra} more bytes for {@code work}. */
  static void using(io.engram.network.Memory memory, String work, long extra) {
    if (memory instanceof AmariHopfieldNetwork net) {
      using(net, work, extra);
    } else if (memory instanceof io.engram.memory.ModernHopfieldMemory m) {
      need(
          work + " with a modern memory of P = " + m.size() + ", N = " + m.numNeurons(),
          floats(m.size(), m.numNeurons()) + extra);
    }
  }

  /** The heap this JVM may use at most. */
  static long maxHeap() {
    return Runtime.getRuntime().maxMemory();
  }

  /** The machine's memory, or -1 when unknown. */
  static long physical() {
    try {
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        return os.getTotalMemorySize();
      }
    } catch (RuntimeException | LinkageError e) {
      // not available here
    }
    return -1;
  }

  /** The advice line for an out-of-memory error (without the "engram: " prefix). */
  static synchronized String advice() {
    return advice(what, bytes, maxHeap(), physical());
  }

  /**
   * The advice for work that needs {@code needed} bytes (0: unknown) in a JVM that may use {@code
   * heap} bytes on a machine of {@code machine} bytes (-1: unknown).
   */
  static String advice(String work, long needed, long heap, long machine) {
    return "out of memory" + (needed > 0 ? ": " : "; ") + shortfall(work, needed, heap, machine);
  }

  /**
   * What work that needs {@code needed} bytes (0: unknown) lacks in a JVM that may use {@code heap}
   * bytes on a machine of {@code machine} bytes (-1: unknown), and what to do: the {@code -Xmx}
   * that would do, or, where the machine is too small, what to change instead.
   */
  static String shortfall(String work, long needed, long heap, long machine) {
    return shortfall(work, needed, heap, machine, addressSpace());
  }

  /**
   * What bin/engram leaves the JVM besides its heap under a limit on the address space ({@code
   * ulimit -v}): it gives the heap what is left after this, at most a third of the limit.
   */
  static final long BESIDES_HEAP = 520L << 20;

  /** The least limit on the address space under which bin/engram gives the JVM {@code heap}. */
  private static long limitFor(long heap) {
    return Math.max(heap + BESIDES_HEAP, 3 * heap);
  }

  /**
   * This process's limit on its address space ({@code ulimit -v}) in bytes, from {@code
   * /proc/self/limits}; -1 where there is none or it cannot be read.
   */
  static long addressSpace() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max address space")) {
          String[] w = line.substring("Max address space".length()).trim().split("\\s+");
          return w.length > 0 && w[0].matches("[0-9]{1,18}") ? Long.parseLong(w[0]) : -1;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or not readable: no limit known
    }
    return -1;
  }

  /**
   * {@link #shortfall(String, long, long, long)} in a process whose address space is limited to
   * {@code addressSpace} bytes (-1: no limit): where the heap it suggests does not fit the limit as
   * bin/engram sizes the heap by it, the advice is to raise the limit (an -Xmx beyond it, and the
   * JVM could not start: the advice said "give it more with ENGRAM_JAVA_OPTS=-Xmx500m" under a
   * limit of 585 MiB).
   */
  static String shortfall(String work, long needed, long heap, long machine, long addressSpace) {
    StringBuilder sb = new StringBuilder();
    // a quarter more than the arrays, and 256 MiB for the rest of the program
    long suggest = needed + needed / 4 + (256L << 20);
    if (needed <= 0 || suggest <= heap) {
      suggest = 2 * heap; // unknown, or more than estimated: twice the present limit
    }
    if (needed > 0) {
      sb.append(work).append(" needs about ").append(bytes(needed)).append(" of heap; ");
    }
    sb.append("this JVM may use ").append(bytes(heap));
    if (machine > 0 && suggest > machine * 9 / 10) {
      sb.append(", and this machine has ")
          .append(bytes(machine))
          .append(" of memory in all: ")
          .append(
              work != null && work.startsWith("training dense")
                  ? "train with --weights low-rank (R x N floats for R patterns instead of N x N),"
                      + " or with fewer neurons"
                  : work != null && work.startsWith("a capacity sweep")
                      ? "sweep fewer neurons or smaller loads (--neurons, --patterns), or use a"
                          + " machine with more memory"
                      : "use fewer or smaller patterns, or a machine with more memory");
    } else if (addressSpace > 0 && limitFor(suggest) > addressSpace) {
      long limit = limitFor(suggest);
      sb.append(", and this process may map at most ")
          .append(bytes(addressSpace))
          .append(" (ulimit -v), by which bin/engram sizes the heap: raise the limit to at least ")
          .append(bytes(limit))
          .append(" (ulimit -v ")
          .append((limit + 1023) / 1024)
          .append(")");
    } else {
      sb.append("; give it more with ENGRAM_JAVA_OPTS=-Xmx").append(xmx(suggest));
      if (needed <= 0) {
        sb.append(" (twice the present limit; the need is not known)");
      } else if (needed + needed / 4 + (256L << 20) <= heap) {
        sb.append(" (twice the present limit; the work needed more than estimated)");
      }
    }
    return sb.toString();
  }

  /** An -Xmx value of at least {@code b} bytes: whole GiB, or MiB below 1 GiB. */
  static String xmx(long b) {
    long mib = (b + (1L << 20) - 1) >> 20;
    if (mib < 1024) {
      return mib + "m";
    }
    return ((mib + 1023) / 1024) + "g";
  }

  static String bytes(long b) {
    return InspectCommand.bytes(b);
  }
}
