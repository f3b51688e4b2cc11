package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Memory;
import io.engram.weights.DenseWeights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad arguments to the file API: named by the exception (a null one: NPE), no file changed. */
class HostileApiTest {

  @TempDir Path dir;

  /** A null key: a NullPointerException naming the parameter, as every null argument. */
  private static void refused(String parameter, Executable call) {
    assertEquals(parameter, assertThrows(NullPointerException.class, call).getMessage());
  }

  @Test
  void npzNullKeysAreRefusedNotWrittenAsNullNpy() throws IOException {
    NdArray a = NdArray.ofFloats(new float[] {1, 2}, 2);
    // put(null, a) was taken and wrote a member named "null.npy"
    refused("key", () -> NpzFile.builder().put(null, a));
    refused("key", () -> NpzFile.builder().putFloatRows(null, 1, 2, (from, count, dst) -> {}));
    refused("member", () -> NpzFile.builder().putBytes(null, new byte[1]));
    Path f = dir.resolve("ok.npz");
    NpzFile.builder().put("a", a).write(f);
    try (NpzFile z = NpzFile.open(f)) {
      assertEquals(Set.of("a.npy"), z.memberNames());
      // contains, shape and array of null were NullPointerExceptions from String.endsWith
      refused("keyOrMember", () -> z.contains(null));
      refused("keyOrMember", () -> z.shape(null));
      refused("key", () -> z.array(null, 1024));
      refused("keyOrMember", () -> z.floatRows(null, 1, 2));
      assertFalse(z.contains("null"));
    }
    assertTrue(Files.isRegularFile(f));
  }

  private static void named(String parameter, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertEquals(parameter, e.getMessage());
  }

  @Test
  void ndArrayNamesANullArgument() {
    // NullPointerExceptions from values.length and the shape loop, naming no parameter
    named("values", () -> NdArray.ofFloats(null, 2));
    named("values", () -> NdArray.ofDoubles(null, 2));
    named("values", () -> NdArray.ofInts(null, 2));
    named("shape", () -> NdArray.ofFloats(new float[] {1, 2}, (int[]) null));
  }

  @Test
  void aDimensionAnArrayHasNotIsNamedWithTheRank() {
    NdArray a = NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertEquals(3, a.dim(1));
    // was an ArrayIndexOutOfBoundsException "Index 2 out of bounds for length 2"
    for (int i : new int[] {2, -1}) {
      IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.dim(i));
      assertEquals(
          "dimension " + i + " of an array of 2 dimensions (shape [2, 3])", e.getMessage());
    }
    IndexOutOfBoundsException e =
        assertThrows(
            IndexOutOfBoundsException.class, () -> NdArray.ofFloats(new float[] {1}).dim(0));
    assertEquals("dimension 0 of an array of 0 dimensions (shape [])", e.getMessage());
  }

  @Test
  void readersAndPatternsNameANullArgument() throws IOException {
    // each was a NullPointerException from inside (Path.getFileSystem, array.length, a.rank())
    named("file", () -> Npy.read(null));
    named("file", () -> Npy.elements(null));
    named("file", () -> Npy.notFound(null));
    named("bytes", () -> Npy.parse((byte[]) null, "x.npy"));
    named("array", () -> Npy.toBytes(null));
    named("array", () -> Npy.write(null, new java.io.ByteArrayOutputStream()));
    named("out", () -> Npy.write(NdArray.ofFloats(new float[] {1}, 1), null));
    named("file", () -> Patterns.readNpy(null));
    named("file", () -> Patterns.readFloatRows(null));
    named("file", () -> Patterns.beyondOneBuffer(null));
    named("array", () -> Patterns.fromArray(null));
    named("arrays", () -> Patterns.fromArrays(null));
    NdArray a = NdArray.ofFloats(new float[] {1, -1}, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Patterns.fromArrays(java.util.Arrays.asList(a, null)));
    assertEquals("pattern 1 is null", e.getMessage());
    assertEquals(2, Patterns.fromArrays(List.of(a, a)).count());
  }

  @Test
  void writersNameANullArgumentAndMakeNoFile() throws IOException {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(4);
    NdArray a = NdArray.ofFloats(new float[] {1, -1}, 2);
    Path out = dir.resolve("out");
    Files.createDirectory(out);
    Path f = out.resolve("x.npz");
    RowSource rows = (from, count, dst) -> {};
    // NullPointerExceptions from inside (network.numNeurons(), memory.kind(), Map.of with no
    // message at all, source.copyRows after the header was written)
    named("network", () -> ModelFile.write(f, (AmariHopfieldNetwork) null));
    named("memory", () -> ModelFile.write(f, (Memory) null));
    named("file", () -> ModelFile.write(null, net));
    named("file", () -> ModelFile.write(null, (Memory) net));
    named("network", () -> ModelFile.builder((AmariHopfieldNetwork) null));
    named("history", () -> ModelFile.historyJson(null));
    named("weights", () -> ModelFile.describeWeights(null));
    named("file", () -> Npy.write(null, a));
    named("array", () -> Npy.write(f, (NdArray) null));
    named("file", () -> Npy.writeFloats(null, new float[] {1}, 1));
    named("values", () -> Npy.writeFloats(f, null, 1));
    named("source", () -> Npy.writeFloatRows(f, 1, 2, null));
    named("file", () -> Npy.writeFloatRows((Path) null, 1, 2, rows));
    named("source", () -> Npy.writeFloatRows(new ByteArrayOutputStream(), 1, 2, null));
    named("out", () -> Npy.writeFloatRows((OutputStream) null, 1, 2, rows));
    named("file", () -> NpzFile.builder().put("a", a).write(null));
    named("out", () -> NpzFile.builder().put("a", a).writeTo(null));
    named("target", () -> AtomicFiles.write(null, o -> o.write(1)));
    named("writer", () -> AtomicFiles.write(f, null));
    named("files", () -> AtomicFiles.writeAll(null));
    Map<Path, AtomicFiles.Writer> nullWriter = new HashMap<>();
    nullWriter.put(f, null);
    named("writer", () -> AtomicFiles.writeAll(nullWriter));
    named("dir", () -> BlockedWeights.writeBlock(null, 2, 2, 0, 0, new float[4]));
    named("dir", () -> BlockedWeights.writeManifest(null, 2, 2, null));
    named("dir", () -> BlockedWeights.write(null, DenseWeights.zeros(2), 2, null));
    named("weights", () -> BlockedWeights.write(out, null, 2, null));
    named("dir", () -> BlockedWeights.read(null));
    // nothing made, not even a temporary file
    try (Stream<Path> left = Files.list(out)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void npzMemberNamesThatAreNotPlainRelativeNamesAreRefusedOnWrite() throws IOException {
    NdArray a = NdArray.ofFloats(new float[] {1, 2}, 2);
    String[][] cases = {
      {"../x", "bad member name '../x.npy': it has a '..' path segment"},
      {"a/../../x", "bad member name 'a/../../x.npy': it has a '..' path segment"},
      {"/abs", "bad member name '/abs.npy': it is an absolute path"},
      {"a\\b", "bad member name 'a\\b.npy': it holds a backslash"},
      {"a\0b", "bad member name 'a\\u0000b.npy': it holds the control character U+0000"},
      {"x\033[2J", "bad member name 'x\\u001b[2J.npy': it holds the control character U+001B"},
      // format characters (Cf) reorder or hide text: 'W\u202eypn.' was shown as 'W.npy'
      {"W\u202eypn.", "bad member name 'W\\u202eypn..npy': it holds the format character U+202E"},
      {"a\u200eb", "bad member name 'a\\u200eb.npy': it holds the format character U+200E"},
      {
        "\u2066x\u2069",
        "bad member name '\\u2066x\\u2069.npy': it holds the format character U+2066"
      },
      {"x\u2069", "bad member name 'x\\u2069.npy': it holds the format character U+2069"},
      {"W\u200b", "bad member name 'W\\u200b.npy': it holds the format character U+200B"},
      {"\ufeffW", "bad member name '\\ufeffW.npy': it holds the format character U+FEFF"},
      {
        "W\udb40\udc01",
        "bad member name 'W\\udb40\\udc01.npy': it holds the format character U+E0001"
      },
      // the line and paragraph separators (Zl, Zp) break a listing's lines where names are shown
      {
        "a\u2028b",
        "bad member name 'a\\u2028b.npy': it holds the line or paragraph separator U+2028"
      },
      {
        "a\u2029b",
        "bad member name 'a\\u2029b.npy': it holds the line or paragraph separator U+2029"
      },
      {"./x", "bad member name './x.npy': it has a '.' path segment"},
      {"a//b", "bad member name 'a//b.npy': it has an empty path segment"},
      {"", "bad member name '.npy': its key is empty"},
    };
    for (String[] c : cases) {
      // each but the empty key was taken, and written into the archive under that name
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> NpzFile.builder().put(c[0], a));
      assertEquals(c[1], e.getMessage());
      IllegalArgumentException raw =
          assertThrows(
              IllegalArgumentException.class,
              () -> NpzFile.builder().putBytes(c[0] + ".npy", new byte[1]));
      assertEquals(c[1], raw.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> NpzFile.builder().putBytes("", new byte[1]));
    assertEquals("bad member name '': it is empty", e.getMessage());
    // numpy's names, a folder-like key (np.savez(f, **{"a/b": x}) writes a/b.npy) and non-ASCII
    Path f = dir.resolve("names.npz");
    NpzFile.builder()
        .put("W", a)
        .put("a/b", a)
        .put("é", a)
        .put("名前", a)
        .put("αβ", a)
        .put("می‌خواهم", a) // Persian needs the zero-width non-joiner
        .putBytes("meta.json", new byte[] {'{', '}'})
        .write(f);
    try (NpzFile z = NpzFile.open(f)) {
      assertEquals(
          List.of("W.npy", "a/b.npy", "é.npy", "名前.npy", "αβ.npy", "می‌خواهم.npy", "meta.json"),
          List.copyOf(z.memberNames()));
    }
  }

  /**
   * A read's own bad arguments are the caller's IllegalArgumentException, never a fault of the file
   * (EngramFormatException) nor accepted.
   */
  @Test
  void npzReadsNameTheCallersBadShapeBufferOrLimit() throws IOException {
    Path f = dir.resolve("m.npz");
    NpzFile.builder().put("m", NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)).write(f);
    try (NpzFile z = NpzFile.open(f)) {
      // a null or short dst was "member 'm.npy' is corrupt: ... because "dst" is null"
      named("dst", () -> z.readFloatRows("m", 2, 3, null));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> z.readFloatRows("m", 2, 3, new float[5]));
      assertEquals("dst has 5 values, fewer than 2 x 3 = 6", e.getMessage());
      // a negative shape was "m.npy has shape [2, 3], expected [-2, -3]", or accepted by
      // checkFloatRows (4 x (-2) x (-3) bytes is the member's size), or "more than one array holds"
      for (Executable call :
          new Executable[] {
            () -> z.readFloatRows("m", -2, -3, new float[6]),
            () -> z.checkFloatRows("m", -2, -3),
            () -> z.floatRows("m", -2, -3),
            () -> z.floatRows("m", 2, -3)
          }) {
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, call);
        assertTrue(n.getMessage().startsWith("negative shape "), n.getMessage());
      }
      // a negative limit was "declares 152 bytes, more than the -1 expected", or taken by array
      // (the header's bytes on top made it positive)
      for (Executable call :
          new Executable[] {
            () -> z.bytes("m", -1), () -> z.array("m", -1), () -> NpzFile.readAll(f, -1)
          }) {
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, call);
        assertTrue(n.getMessage().endsWith(" must be >= 0, got -1"), n.getMessage());
      }
      // Long.MAX_VALUE plus the header wrapped to a negative limit that refused every member
      assertEquals(6, z.array("m", Long.MAX_VALUE).size());
      float[] dst = new float[7];
      z.readFloatRows("m", 2, 3, dst);
      assertEquals(6f, dst[5]);
    }
    assertEquals(Set.of("m"), NpzFile.readAll(f, Long.MAX_VALUE).keySet());
  }

  @Test
  void aRowNoArrayHoldsIsRefusedBeforeWritingNotAnOutOfMemoryError() {
    RowSource rows = (from, count, dst) -> {};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // was "OutOfMemoryError: Requested array size exceeds VM limit" after the header was written
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Npy.writeFloatRows(out, 1, Integer.MAX_VALUE, rows));
    assertEquals(
        "a row of 2147483647 float32 values is more than one Java array holds (at most 2147483639)",
        e.getMessage());
    assertEquals(0, out.size());
    // refused when added, not when the archive is written
    assertThrows(
        IllegalArgumentException.class,
        () -> NpzFile.builder().putFloatRows("x", 1, Integer.MAX_VALUE, rows));
  }

  @Test
  void aNegativeBlockIndexHasNoFileName() {
    assertEquals("block-0-3.npy", BlockedWeights.blockFileName(0, 3));
    // was "block--1--1.npy"
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BlockedWeights.blockFileName(-1, -1));
    assertEquals("block (-1, -1) has a negative index", e.getMessage());
  }

  /**
   * An array of more than 32 dimensions was made and written, and the file was refused by Npy.read
   * ("more than 32 dimensions"); 32 is numpy's limit and the reader's.
   */
  @Test
  void anArrayNoNpyFileHoldsIsRefusedWhenMade() throws IOException {
    int[] shape = new int[33];
    Arrays.fill(shape, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> NdArray.ofFloats(new float[] {1}, shape));
    assertEquals("a shape of 33 dimensions is more than the 32 a .npy file holds", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NdArray.ofInts(new int[] {1}, shape));
    Path f = dir.resolve("many.npy");
    assertThrows(IllegalArgumentException.class, () -> Npy.writeFloats(f, new float[] {1}, shape));
    assertFalse(Files.exists(f));
    int[] most = Arrays.copyOf(shape, 32);
    Npy.writeFloats(f, new float[] {7}, most);
    NdArray back = Npy.read(f);
    assertEquals(32, back.rank());
    assertEquals(7f, back.toFloatArray()[0]);
  }

  /**
   * A read after close blamed the file: an EngramFormatException "a.npy is corrupt: zip file
   * closed". It is the caller's error, named as such.
   */
  @Test
  void anArchiveReadAfterCloseIsTheCallersError() throws IOException {
    Path f = dir.resolve("a.npz");
    NpzFile.builder().put("a", NdArray.ofFloats(new float[] {1, 2}, 2)).write(f);
    NpzFile zip = NpzFile.open(f);
    assertEquals(2, zip.shape("a")[0]);
    zip.close();
    String expected = f + ": the archive was closed; open it again to read it";
    for (Executable read :
        new Executable[] {
          () -> zip.shape("a"),
          () -> zip.bytes("a", 100),
          () -> zip.array("a", 100),
          () -> zip.floatRows("a", 1, 2),
          () -> zip.contains("a")
        }) {
      assertEquals(expected, assertThrows(IllegalStateException.class, read).getMessage());
    }
    zip.close(); // again: nothing
    assertEquals(Set.of("a.npy"), zip.memberNames());
  }
}
