package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read that an interrupt of its thread stops names its file and says it was interrupted: Java's
 * file channels throw a {@link ClosedByInterruptException}, whose message is null, so the reader's
 * exception named nothing ("null").
 */
class ReadInterruptTest {

  @TempDir Path dir;

  /** The exception of {@code read} on a thread whose interrupt status is set; the status kept. */
  private static Throwable interrupted(ThrowingRead read) {
    Thread.currentThread().interrupt();
    try {
      Throwable t = assertThrows(Exception.class, read::run);
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
      return t;
    } finally {
      Thread.interrupted();
    }
  }

  @FunctionalInterface
  private interface ThrowingRead {
    void run() throws Exception;
  }

  private static void namesTheFile(Throwable t, Path file) {
    InterruptedIOException e = assertInstanceOf(InterruptedIOException.class, t);
    assertEquals(
        file
            + ": reading was interrupted (the thread was interrupted, and Java closed the file it"
            + " was reading)",
        e.getMessage());
    assertInstanceOf(ClosedByInterruptException.class, e.getCause());
  }

  @Test
  void everyReaderNamesTheFileItWasReading() throws Exception {
    Path npy = dir.resolve("p.npy");
    Npy.write(npy, NdArray.ofFloats(new float[] {1, -1, 1, -1, 1, 1}, 2, 3));
    namesTheFile(interrupted(() -> Npy.read(npy)), npy);
    namesTheFile(interrupted(() -> Patterns.readNpy(npy)), npy);
    namesTheFile(interrupted(() -> Patterns.readFloatRows(npy)), npy);
  }

  /** A thread reading a large .npy over and over is interrupted by another: its read says so. */
  @Test
  void aReadInterruptedByAnotherThreadNamesItsFile() throws Exception {
    Path big = dir.resolve("big.npy");
    Npy.write(big, NdArray.ofFloats(new float[1 << 22], 1 << 10, 1 << 12)); // 16 MiB
    CountDownLatch reading = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                while (true) { // until an interrupt stops a read (only that ends the loop)
                  Patterns.readNpy(big);
                  reading.countDown();
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "npy-reader");
    reader.start();
    assertTrue(reading.await(60, TimeUnit.SECONDS), "the reader read the file once");
    reader.interrupt();
    reader.join(TimeUnit.SECONDS.toMillis(60));
    assertTrue(!reader.isAlive(), "the interrupted reader stopped");
    assertNotNull(failure.get());
    namesTheFile(failure.get(), big);
  }

  /**
   * A model write on an interrupted thread says so, leaves the file as it was and the interrupt
   * status set: it said "FILE: ClosedByInterruptException".
   */
  @Test
  void anInterruptedWriteSaysSoAndChangesNothing() throws Exception {
    Path m = dir.resolve("m.npz");
    io.engram.network.AmariHopfieldNetwork old = io.engram.network.AmariHopfieldNetwork.create(4);
    ModelFile.write(m, old);
    byte[] before = java.nio.file.Files.readAllBytes(m);
    io.engram.network.AmariHopfieldNetwork net = io.engram.network.AmariHopfieldNetwork.create(6);
    io.engram.learning.HebbianTrainer.create(net).train(new float[] {1, -1, 1, -1, 1, 1});
    Thread.currentThread().interrupt();
    AtomicFiles.WriteException e;
    try {
      e = assertThrows(AtomicFiles.WriteException.class, () -> ModelFile.write(m, net));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
    assertEquals(
        m
            + ": writing was interrupted (the thread was interrupted, and Java closed the file it"
            + " was writing); the file is as it was",
        e.getMessage());
    assertInstanceOf(ClosedByInterruptException.class, e.getCause());
    org.junit.jupiter.api.Assertions.assertArrayEquals(before, java.nio.file.Files.readAllBytes(m));
    assertEquals(4, ModelFile.read(m).numNeurons());
  }
}
