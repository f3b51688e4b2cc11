package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.engram.learning.HebbianTrainer;
import io.engram.network.AmariHopfieldNetwork;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncated, oversized, mutated and hostile files: every failure must be an {@link IOException} (in
 * practice an {@link EngramFormatException}) whose message names the file; never another exception
 * type, an out-of-memory or a hang. The mutation part is seeded and runs in CI.
 */
class HostileFilesTest {

  @TempDir Path dir;

  static byte[] validModel() throws IOException {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(6);
    HebbianTrainer.create(net).train(new float[][] {{1, -1, 1, -1, 1, -1}, {1, 1, -1, -1, 1, 1}});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelFile.builder(net).writeTo(out);
    return out.toByteArray();
  }

  /** Reads a file of these bytes. */
  @FunctionalInterface
  interface Reader {
    void read(Path file) throws IOException;
  }

  /**
   * Writes the bytes to a file and reads it; returns the failure (which must be an IOException
   * naming the file), or null when the file was accepted.
   */
  private IOException read(byte[] bytes, String name, Reader reader) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    try {
      reader.read(f);
      return null;
    } catch (IOException e) {
      assertTrue(
          e.getMessage() != null && e.getMessage().contains(f.toString()),
          () ->
              "message does not name the file: " + e + " at " + Arrays.toString(e.getStackTrace()));
      return e;
    } catch (Throwable t) {
      throw new AssertionError(name + ": " + t, t);
    }
  }

  private IOException readModel(byte[] bytes, String name) throws IOException {
    return read(bytes, name, ModelFile::read);
  }

  private IOException readNpy(byte[] bytes, String name) throws IOException {
    return read(bytes, name, Npy::read);
  }

  @Test
  void everyTruncationIsAFormatError() throws IOException {
    byte[] ok = validModel();
    assertEquals(null, readModel(ok, "ok.npz"));
    for (int len = 0; len < ok.length; len++) {
      IOException e = readModel(Arrays.copyOf(ok, len), "cut.npz");
      if (e == null) {
        fail("a model cut to " + len + " of " + ok.length + " bytes was accepted");
      }
    }
  }

  @Test
  void seededByteMutationsFailCleanly() throws IOException {
    byte[] ok = validModel();
    SplittableRandom rnd = new SplittableRandom(20261129L);
    int rejected = 0;
    for (int round = 0; round < 1500; round++) {
      byte[] b = ok.clone();
      int flips = 1 + rnd.nextInt(4);
      for (int k = 0; k < flips; k++) {
        int pos = rnd.nextInt(b.length);
        b[pos] =
            rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (b[pos] ^ (1 << rnd.nextInt(8)));
      }
      rejected += readModel(b, "m" + (round % 8) + ".npz") == null ? 0 : 1;
    }
    // most mutations must be caught (CRCs cover the contents); the rest hit unused bytes
    assertTrue(rejected > 1200, "only " + rejected + " of 1500 mutations rejected");
  }

  @Test
  void seededNpyHeaderMutationsFailCleanly() throws IOException {
    byte[] ok = Npy.toBytes(NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    SplittableRandom rnd = new SplittableRandom(7L);
    byte[] alphabet =
        "{}()[],:' \"0123456789<>|=fiubTrueFalsedescrshapefortran_orderL\n\0\u0093"
            .getBytes(StandardCharsets.ISO_8859_1);
    for (int round = 0; round < 3000; round++) {
      byte[] b = ok.clone();
      int pos = rnd.nextInt(Math.min(b.length, 80));
      b[pos] = alphabet[rnd.nextInt(alphabet.length)];
      if (rnd.nextInt(4) == 0) {
        b = Arrays.copyOf(b, rnd.nextInt(b.length + 8));
      }
      readNpy(b, "h.npy");
    }
    for (int len = 0; len < ok.length; len++) {
      assertTrue(readNpy(Arrays.copyOf(ok, len), "t.npy") != null, "cut to " + len);
    }
  }

  private static byte[] npyWithHeader(String header, int dataBytes, int version) {
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    int pre = version == 1 ? 10 : 12;
    ByteBuffer b = ByteBuffer.allocate(pre + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    if (version == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    b.put(h);
    return b.array();
  }

  @Test
  void hostileNpyHeaders() throws IOException {
    String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n";
    assertEquals(null, readNpy(npyWithHeader(ok, 24, 1), "ok.npy"));
    // a header length far beyond the file, and beyond the limit
    byte[] huge = npyWithHeader(ok, 24, 2);
    ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7fffffff);
    assertTrue(readNpy(huge, "huge.npy").getMessage().contains("exceeds the limit"));
    // a shape that promises far more data than the file holds: refused before allocating
    String big = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }\n";
    assertTrue(readNpy(npyWithHeader(big, 24, 1), "big.npy").getMessage().contains("elements"));
    String lying = "{'descr': '<f4', 'fortran_order': False, 'shape': (20, 3), }\n";
    assertTrue(readNpy(npyWithHeader(lying, 24, 1), "lie.npy").getMessage().contains("truncated"));
    String extra = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }\n";
    assertTrue(
        readNpy(npyWithHeader(extra, 24, 1), "extra.npy")
            .getMessage()
            .contains("unexpected bytes"));
    for (String bad :
        new String[] {
          "{'descr': '|O', 'fortran_order': False, 'shape': (2, 3), }",
          "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
          "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': __import__('os'), }",
          "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }",
          "{'descr': '<f4', 'fortran_order': False, }",
          "{'descr': '<c8', 'fortran_order': False, 'shape': (2, 3), }",
          "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 3), }",
        }) {
      IOException e = readNpy(npyWithHeader(bad + "\n", 24, 1), "bad.npy");
      assertTrue(e instanceof EngramFormatException, bad);
    }
  }

  /** A zip with the given members, all stored or all deflated. */
  private static byte[] zip(boolean deflate, Object... nameAndBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (int i = 0; i < nameAndBytes.length; i += 2) {
        byte[] b = (byte[]) nameAndBytes[i + 1];
        ZipEntry e = new ZipEntry((String) nameAndBytes[i]);
        if (!deflate) {
          e.setMethod(ZipEntry.STORED);
          e.setSize(b.length);
          CRC32 crc = new CRC32();
          crc.update(b);
          e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(b);
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** Overwrites the uncompressed size of every member in local and central headers. */
  private static byte[] lieAboutSizes(byte[] zip, int size) {
    ByteBuffer b = ByteBuffer.wrap(zip.clone()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 4 <= zip.length; i++) {
      int sig = b.getInt(i);
      if (sig == 0x04034b50 && i + 26 <= zip.length) {
        b.putInt(i + 22, size);
      } else if (sig == 0x02014b50 && i + 28 <= zip.length) {
        b.putInt(i + 24, size);
      }
    }
    return b.array();
  }

  @Test
  void hostileArchives() throws IOException {
    byte[] w = Npy.toBytes(NdArray.ofFloats(new float[36], 6, 6));
    byte[] s = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1, 1, 1, 1, 1}, 6));
    byte[] meta =
        ("{\"format\": \"engram-model\", \"version\": 1, \"num_neurons\": 6, \"weights\": \"dense\","
                + " \"dynamics\": {\"activation\": \"sign\", \"temperature\": 1.0, \"threshold\": 0.0,"
                + " \"update\": \"sync\"}, \"history\": []}")
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(
        null, readModel(zip(false, "meta.json", meta, "W.npy", w, "state.npy", s), "ok.npz"));
    assertEquals(
        null, readModel(zip(true, "meta.json", meta, "W.npy", w, "state.npy", s), "okz.npz"));

    assertMessage(
        "unexpected member", zip(false, "meta.json", meta, "W.npy", w, "state.npy", s, "x.pkl", w));
    assertMessage("lacks 'W.npy'", zip(false, "meta.json", meta, "state.npy", s));
    assertMessage("W.npy has shape [6]", zip(false, "meta.json", meta, "W.npy", s, "state.npy", s));
    // a state that is not finite is named as the model's state (it was called "query 0")
    byte[] nanState = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1, Float.NaN, 1, 1, 1}, 6));
    assertMessage(
        "state.npy has a non-finite value NaN at index 2",
        zip(false, "meta.json", meta, "W.npy", w, "state.npy", nanState));
    // a zip bomb: 64 MiB of zeros deflate to about 64 KiB; its declared size is refused up front
    byte[] bomb = new byte[64 << 20];
    assertMessage("declares", zip(true, "meta.json", meta, "W.npy", bomb, "state.npy", s));
    // the same bomb lying about its size: inflation stops one byte past the declared size
    byte[] lying = lieAboutSizes(zip(true, "meta.json", meta, "W.npy", bomb, "state.npy", s), 100);
    assertTrue(readModel(lying, "lying.npz") != null);
    // stored members whose declared sizes are too small or too large
    assertTrue(
        readModel(
                lieAboutSizes(zip(false, "meta.json", meta, "W.npy", w, "state.npy", s), 10),
                "small.npz")
            != null);
    assertTrue(
        readModel(
                lieAboutSizes(zip(false, "meta.json", meta, "W.npy", w, "state.npy", s), 1 << 30),
                "large.npz")
            != null);
    // a duplicate member, made by renaming Q.npy to W.npy in the headers
    byte[] dup = zip(false, "meta.json", meta, "W.npy", w, "Q.npy", w, "state.npy", s);
    String text = new String(dup, StandardCharsets.ISO_8859_1).replace("Q.npy", "W.npy");
    assertTrue(readModel(text.getBytes(StandardCharsets.ISO_8859_1), "dup.npz") != null);
    // metadata out of range or of the wrong type
    for (String[] m :
        new String[][] {
          {"\"version\": 1", "\"version\": 99", "version 99 is newer than this Engram reads"},
          {"\"num_neurons\": 6", "\"num_neurons\": 4000000000", "out of range"},
          // a whole number beyond a long: out of range, with the range (was "expected an integer")
          {"\"num_neurons\": 6", "\"num_neurons\": 1e30", "num_neurons 1.0E30 out of range 1.."},
          {"\"num_neurons\": 6", "\"num_neurons\": -1e30", "num_neurons -1.0E30 out of range 1.."},
          {
            "\"num_neurons\": 6",
            "\"num_neurons\": 6.5",
            "'num_neurons' is 6.5, expected an integer"
          },
          {
            "\"history\": []",
            "\"history\": [{\"rule\": \"hebbian\", \"patterns\": 1e30}]",
            "'patterns' is 1.0E30, expected a count: out of range 0..2147483647"
          },
          {"\"num_neurons\": 6", "\"num_neurons\": 7", "W.npy"},
          {"\"dense\"", "\"low-rank\"", "a low-rank model must not hold W.npy"},
          {"\"dense\"", "\"sparse\"", "unsupported weight representation"},
          {"\"engram-model\"", "\"pickle\"", "not an Engram model"},
          {"\"sign\"", "\"relu\"", "invalid model"},
          {"\"temperature\": 1.0", "\"temperature\": \"hot\"", "temperature"},
          {
            "\"history\": []",
            "\"history\": [{\"rule\": \"hebbian\", \"patterns\": -3}]",
            "invalid model"
          },
          {
            "{\"format\"",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{\"format\"",
            "meta.json"
          },
        }) {
      byte[] bad =
          new String(meta, StandardCharsets.UTF_8)
              .replace(m[0], m[1])
              .getBytes(StandardCharsets.UTF_8);
      assertMessage(m[2], zip(false, "meta.json", bad, "W.npy", w, "state.npy", s));
    }
    float[] nan = new float[36];
    nan[7] = Float.NaN;
    byte[] wn = Npy.toBytes(NdArray.ofFloats(nan, 6, 6));
    assertMessage("expected finite", zip(false, "meta.json", meta, "W.npy", wn, "state.npy", s));
    assertThrows(
        java.nio.file.NoSuchFileException.class, () -> ModelFile.read(dir.resolve("absent.npz")));
    assertThrows(EngramFormatException.class, () -> ModelFile.read(dir));
  }

  /**
   * A zip archive whose members are compressed with a method Engram does not read (Python's zipfile
   * writes bzip2 and LZMA), or encrypted, is named so: it was "not a .npz (zip) archive: invalid
   * CEN header (bad compression method: 12)", of a valid zip archive.
   */
  @Test
  void membersOfAnotherCompressionOrEncryptedAreNamed() throws IOException {
    byte[] s = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1, 1, 1, 1, 1}, 6));
    byte[] plain = zip(false, "meta.json", new byte[] {'{', '}'}, "state.npy", s);
    assertMessage(
        ": a member is compressed with zip method 12 (bzip2), which Engram does not read (only"
            + " stored and deflated members",
        patchHeaders(plain, 12, 0));
    assertMessage(
        ": a member is compressed with zip method 14 (LZMA), which", patchHeaders(plain, 14, 0));
    assertMessage(": a member is compressed with zip method 77, which", patchHeaders(plain, 77, 0));
    assertMessage(": a member is encrypted, which Engram does not read", patchHeaders(plain, 0, 1));
  }

  /**
   * An empty file is called empty; a file of /sys, whose stated size (4096 bytes) is more than it
   * holds, is named so: its reason was the class name, "not a .npz (zip) archive: EOFException".
   */
  @Test
  void anEmptyFileAndOneShorterThanItsSizeAreNamed() throws IOException {
    Path empty = Files.write(dir.resolve("empty.npz"), new byte[0]);
    EngramFormatException e =
        assertThrows(EngramFormatException.class, () -> ModelFile.read(empty));
    assertEquals(
        empty + ": is empty (0 bytes by the size the system gives), not a .npz (zip) archive",
        e.getMessage());
    Path sys = Path.of("/sys/devices/system/cpu/online");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isReadable(sys) && Files.size(sys) > Files.readAllBytes(sys).length,
        "a file of /sys that holds less than its stated size");
    EngramFormatException s = assertThrows(EngramFormatException.class, () -> ModelFile.read(sys));
    assertEquals(
        sys
            + ": not a .npz (zip) archive: it ends before the "
            + Files.size(sys)
            + " bytes the system gives as its size (a file of /proc or /sys, or one that another"
            + " process is cutting short?)",
        s.getMessage());
  }

  /**
   * The archive with every local and central header's compression method set to {@code method} and
   * {@code flags} or-ed into its general-purpose flags (bit 0: encrypted).
   */
  private static byte[] patchHeaders(byte[] zip, int method, int flags) {
    byte[] b = zip.clone();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 4 <= b.length; i++) {
      int sig = bb.getInt(i);
      int at = sig == 0x04034b50 ? i + 6 : sig == 0x02014b50 ? i + 8 : -1;
      if (at >= 0) {
        bb.putShort(at, (short) (bb.getShort(at) | flags));
        bb.putShort(at + 2, (short) method);
      }
    }
    return b;
  }

  /** An order.npy that the dynamics would not use is a contradiction, never silently ignored. */
  @Test
  void anOrderTheDynamicsWouldIgnoreIsRefused() throws IOException {
    byte[] w = Npy.toBytes(NdArray.ofFloats(new float[36], 6, 6));
    byte[] s = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1, 1, 1, 1, 1}, 6));
    byte[] order = Npy.toBytes(NdArray.ofInts(new int[] {5, 4, 3, 2, 1, 0}, 6));
    String meta =
        "{\"format\": \"engram-model\", \"version\": 1, \"num_neurons\": 6, \"weights\": \"dense\","
            + " \"dynamics\": {\"activation\": \"sign\", \"temperature\": 1.0, \"threshold\": 0.0,"
            + " \"update\": \"UPDATE\"}, \"history\": []}";
    byte[] sync = meta.replace("UPDATE", "sync").getBytes(StandardCharsets.UTF_8);
    byte[] seeded =
        meta.replace("\"UPDATE\"", "\"async\", \"seed\": 3").getBytes(StandardCharsets.UTF_8);
    byte[] ordered =
        meta.replace("\"UPDATE\"", "\"async\", \"order\": \"order.npy\"")
            .getBytes(StandardCharsets.UTF_8);
    assertMessage(
        "order.npy is present, but the dynamics say update 'sync'",
        zip(false, "meta.json", sync, "W.npy", w, "state.npy", s, "order.npy", order));
    assertMessage(
        "update 'async' with a seed",
        zip(false, "meta.json", seeded, "W.npy", w, "state.npy", s, "order.npy", order));
    // the consistent file is read, and its order is the one used
    byte[] ok = zip(false, "meta.json", ordered, "W.npy", w, "state.npy", s, "order.npy", order);
    assertEquals(null, readModel(ok, "ordered.npz"));
    assertTrue(
        ModelFile.read(dir.resolve("ordered.npz")).dynamics().updateMode()
                instanceof io.engram.network.UpdateMode.FixedOrder f
            && Arrays.equals(f.order(), new int[] {5, 4, 3, 2, 1, 0}));
  }

  /**
   * A stored zip whose {@code copies} directory entries ({@code T0.npy}, {@code T1.npy}, ...) all
   * point at the bytes of one member: each name reads the same data, so a file of one member's size
   * made a reader allocate {@code copies} times that (with 4096 names and deflated data, an
   * out-of-memory from a small file).
   */
  static byte[] overlappingMembers(byte[] data, int copies) {
    CRC32 c = new CRC32();
    c.update(data);
    int crc = (int) c.getValue();
    ByteBuffer b =
        ByteBuffer.allocate(36 + data.length + copies * 52 + 22).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0).putInt(0);
    b.putInt(crc).putInt(data.length).putInt(data.length).putShort((short) 6).putShort((short) 0);
    b.put("T0.npy".getBytes(StandardCharsets.US_ASCII)).put(data);
    int cd = b.position();
    for (int k = 0; k < copies; k++) {
      b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0);
      b.putShort((short) 0).putInt(0).putInt(crc).putInt(data.length).putInt(data.length);
      b.putShort((short) 6).putShort((short) 0).putShort((short) 0).putShort((short) 0);
      b.putShort((short) 0).putInt(0).putInt(0);
      b.put(("T" + k + ".npy").getBytes(StandardCharsets.US_ASCII));
    }
    int cdSize = b.position() - cd;
    b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
    b.putShort((short) copies).putShort((short) copies).putInt(cdSize).putInt(cd);
    b.putShort((short) 0);
    return b.array();
  }

  /** Members that share bytes are refused when the archive is opened, before anything is read. */
  @Test
  void membersThatShareBytesAreRefused() throws IOException {
    byte[] npy = Npy.toBytes(NdArray.ofFloats(new float[64 * 32], 64, 32));
    // one entry of the same layout is an ordinary archive, read as such
    Path one = dir.resolve("one.npz");
    Files.write(one, overlappingMembers(npy, 1));
    try (NpzFile z = NpzFile.open(one)) {
      assertEquals(64 * 32, z.floatRows("T0", 64, 32).length);
    }
    IOException e = read(overlappingMembers(npy, 10), "overlap.npz", f -> NpzFile.open(f).close());
    assertTrue(e instanceof EngramFormatException, String.valueOf(e));
    assertTrue(e.getMessage().contains("members that overlap"), e.getMessage());
  }

  private void assertMessage(String part, byte[] bytes) throws IOException {
    IOException e = readModel(bytes, "case.npz");
    assertTrue(e != null, "accepted a file that should fail with '" + part + "'");
    assertTrue(e instanceof EngramFormatException, e::toString);
    assertTrue(
        e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
  }

  /**
   * Member names that are not plain relative names are refused when the archive is opened, named
   * with their control characters escaped; numpy's names and a folder-like key are read.
   */
  @Test
  void memberNamesThatAreNotPlainRelativeNamesAreRefused() throws IOException {
    byte[] npy = Npy.toBytes(NdArray.ofFloats(new float[] {1, -1}, 2));
    String[][] cases = {
      {"../x.npy", "'../x.npy' has a '..' path segment"},
      {"a/../../../etc/x.npy", "'a/../../../etc/x.npy' has a '..' path segment"},
      {"/abs.npy", "'/abs.npy' is an absolute path"},
      {"..\\x.npy", "'..\\x.npy' holds a backslash"},
      {"a\0b.npy", "'a\\u0000b.npy' holds the control character U+0000"},
      {"x\033]0;owned\007.npy", "'x\\u001b]0;owned\\u0007.npy' holds the control character U+001B"},
      {"\u0085.npy", "'\\u0085.npy' holds the control character U+0085"},
      // format characters (Cf): shown as they were, 'W\u202eypn..npy' read as 'W.npy.npy'
      {"W\u202eypn..npy", "'W\\u202eypn..npy' holds the format character U+202E"},
      {"a\u200e.npy", "'a\\u200e.npy' holds the format character U+200E"},
      {"\u2067x\u2069.npy", "'\\u2067x\\u2069.npy' holds the format character U+2067"},
      {"\ufeffW.npy", "'\\ufeffW.npy' holds the format character U+FEFF"},
      {"W\udb40\udc01.npy", "'W\\udb40\\udc01.npy' holds the format character U+E0001"},
      {"W\u2028.npy", "'W\\u2028.npy' holds the line or paragraph separator U+2028"},
      {"", "'' is empty"},
      {"./x.npy", "'./x.npy' has a '.' path segment"},
      {"a//x.npy", "'a//x.npy' has an empty path segment"},
    };
    for (String[] c : cases) {
      byte[] archive = zip(false, "ok.npy", npy, c[0], npy);
      for (Reader reader :
          new Reader[] {
            f -> NpzFile.open(f).close(), ModelFile::read, f -> NpzFile.readAll(f, 1 << 20)
          }) {
        // each was opened, and readAll gave the array under a key such as "../x"
        IOException e = read(archive, "names.npz", reader);
        assertTrue(e instanceof EngramFormatException, () -> c[0] + ": " + e);
        assertTrue(
            e.getMessage().contains(": member name " + c[1] + "; not a valid .npz member"),
            e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
        assertTrue(
            e.getMessage().codePoints().noneMatch(ch -> Character.getType(ch) == Character.FORMAT),
            e.getMessage());
      }
    }
    byte[] fine =
        zip(false, "W.npy", npy, "a/b.npy", npy, "é.npy", npy, "名前.npy", npy, "meta.json", npy);
    assertEquals(null, read(fine, "fine.npz", f -> NpzFile.open(f).close()));
    Files.write(dir.resolve("fine.npz"), fine);
    assertEquals(
        List.of("W", "a/b", "é", "名前"),
        List.copyOf(NpzFile.readAll(dir.resolve("fine.npz"), 1 << 20).keySet()));
  }

  /**
   * A training call's option values are strings (as written), booleans or finite numbers (read as
   * their text); NaN, ±Infinity (1e999 in the JSON), null, objects and lists are refused naming the
   * entry and the option. They were read as the text "-Infinity", "null", "{a=1}" and shown by
   * inspect, and written again by a later training call.
   */
  @Test
  void historyOptionValuesThatAreNoOptionAreRefused() throws IOException {
    byte[] w = Npy.toBytes(NdArray.ofFloats(new float[36], 6, 6));
    byte[] s = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1, 1, 1, 1, 1}, 6));
    String[][] cases = {
      {"-1e999", "-Infinity"},
      {"NaN", "NaN"},
      {"Infinity", "Infinity"},
      {"null", "null"},
      {"{\"a\": 1}", "an object"},
      {"[1, 2]", "a list"},
    };
    for (String[] c : cases) {
      byte[] meta = historyMeta(c[0]);
      assertMessage(
          ": history entry 0: option 'zero_diagonal' is "
              + c[1]
              + ", not a value (a string such as \"true\")",
          zip(false, "meta.json", meta, "W.npy", w, "state.npy", s));
    }
    // options that are not an object are named by what they are (it was "options is not an
    // object")
    for (String[] c : new String[][] {{"[1]", "a list"}, {"\"x\"", "\"x\""}, {"7", "7"}}) {
      byte[] meta =
          new String(historyMeta("\"true\""), StandardCharsets.UTF_8)
              .replace("{\"zero_diagonal\": \"true\"}", c[0])
              .getBytes(StandardCharsets.UTF_8);
      assertMessage(
          ": history entry 0: 'options' is " + c[1] + ", expected an object",
          zip(false, "meta.json", meta, "W.npy", w, "state.npy", s));
    }
    for (String fine : new String[] {"\"true\"", "true", "3", "0.5"}) {
      assertEquals(
          null,
          readModel(
              zip(false, "meta.json", historyMeta(fine), "W.npy", w, "state.npy", s), "ok.npz"),
          fine);
    }
  }

  /**
   * meta.json bytes that are not UTF-8 are refused naming the offset of the first: they were read
   * as U+FFFD without a word (a rule named "stork\uFFFDy" got as far as the rule check; a string
   * that is not checked was shown and written on as that character).
   */
  @Test
  void metaJsonThatIsNotUtf8IsRefusedNamingTheByte() throws IOException {
    byte[] w = Npy.toBytes(NdArray.ofFloats(new float[36], 6, 6));
    byte[] s = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1, 1, 1, 1, 1}, 6));
    byte[] meta = historyMeta("\"true\"");
    int at = new String(meta, StandardCharsets.UTF_8).indexOf("storkey") + 5;
    byte[] latin1 = meta.clone();
    latin1[at] = (byte) 0xE9; // 'é' in Latin-1, alone: no UTF-8 sequence
    assertMessage(
        "case.npz: meta.json is not valid UTF-8 (byte " + at + ")",
        zip(false, "meta.json", latin1, "W.npy", w, "state.npy", s));
    // a sequence cut short at the end of the member
    byte[] cut = java.util.Arrays.copyOf(meta, meta.length + 2);
    cut[meta.length] = (byte) 0xE2;
    cut[meta.length + 1] = (byte) 0x82;
    assertMessage(
        "meta.json is not valid UTF-8 (byte " + meta.length + ")",
        zip(false, "meta.json", cut, "W.npy", w, "state.npy", s));
    // UTF-8 outside strings' ASCII is read: a history option's value
    assertEquals(
        null,
        readModel(
            zip(false, "meta.json", historyMeta("\"vrai é\""), "W.npy", w, "state.npy", s),
            "ok.npz"));
  }

  private static byte[] historyMeta(String optionValue) {
    return ("{\"format\": \"engram-model\", \"version\": 1, \"num_neurons\": 6, \"weights\":"
            + " \"dense\", \"dynamics\": {\"activation\": \"sign\", \"temperature\": 1.0,"
            + " \"threshold\": 0.0, \"update\": \"sync\"}, \"history\": [{\"rule\": \"storkey\","
            + " \"options\": {\"zero_diagonal\": "
            + optionValue
            + "}, \"patterns\": 1, \"neurons\": 6, \"rho\": null}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A training call's rho that is not a number (nor null): refused naming the entry; it was a
   * ClassCastException whose text ("class java.lang.String cannot be cast to class java.lang.Number
   * (...)") was the message.
   */
  @Test
  void aHistoryRhoThatIsNoNumberIsRefused() throws IOException {
    byte[] w = Npy.toBytes(NdArray.ofFloats(new float[36], 6, 6));
    byte[] s = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1, 1, 1, 1, 1}, 6));
    for (String[] c : new String[][] {{"\"x\"", "\"x\""}, {"true", "true"}, {"[]", "[]"}}) {
      byte[] meta =
          new String(historyMeta("\"true\""), StandardCharsets.UTF_8)
              .replace("\"rho\": null", "\"rho\": " + c[0])
              .getBytes(StandardCharsets.UTF_8);
      assertMessage(
          ": history entry 0: 'rho' is " + c[1] + ", expected a number (or null for none)",
          zip(false, "meta.json", meta, "W.npy", w, "state.npy", s));
    }
  }

  /**
   * A training call's rho that is NaN, infinite or beyond float32 is refused naming the entry: NaN
   * was read as "not centred" and written back as null by {@code train --init}; an infinity or
   * 1e300 was "rho must be finite (or NaN for none), got Infinity", naming neither entry nor a
   * value the file held. A finite rho, a float32 widened (as early builds wrote it) and null still
   * read.
   */
  @Test
  void aHistoryRhoThatIsNotFiniteIsRefused() throws IOException {
    byte[] w = Npy.toBytes(NdArray.ofFloats(new float[36], 6, 6));
    byte[] s = Npy.toBytes(NdArray.ofFloats(new float[] {1, 1, 1, 1, 1, 1}, 6));
    String[][] cases = {
      {"NaN", "'rho' is NaN, expected a finite number (or null for none)"},
      {"-Infinity", "'rho' is -Infinity, expected a finite number (or null for none)"},
      {"1e999", "'rho' is Infinity, expected a finite number (or null for none)"},
      {"1e300", "'rho' is 1.0E300, beyond float32 (at most 3.4028235E38 in magnitude)"},
    };
    for (String[] c : cases) {
      assertMessage(
          ": history entry 0: " + c[1],
          zip(false, "meta.json", rhoMeta(c[0]), "W.npy", w, "state.npy", s));
    }
    for (String fine :
        new String[] {"null", "-0.10000000149011612", "0.0", "3.4028234663852886E38"}) {
      assertEquals(
          null,
          readModel(zip(false, "meta.json", rhoMeta(fine), "W.npy", w, "state.npy", s), "ok.npz"),
          fine);
    }
  }

  private static byte[] rhoMeta(String rho) {
    return new String(historyMeta("\"true\""), StandardCharsets.UTF_8)
        .replace("\"rho\": null", "\"rho\": " + rho)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The bytes of a model file of the memory. */
  private static byte[] modelBytes(io.engram.network.Memory m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelFile.builder(m).writeTo(out);
    return out.toByteArray();
  }

  private static float[] bipolar(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextBoolean() ? 1 : -1;
    }
    return x;
  }

  /**
   * A small model of every kind the format holds (dense and low-rank Hebbian with an anti-Hebbian
   * call, pseudo-inverse with a ridge and in dense form, Storkey with an explicit asynchronous
   * order, modern softmax and polynomial), cut at every byte and with every byte inverted: each is
   * refused with an IOException naming the file, or, where the byte was one the reader does not use
   * (a zip time stamp, header padding), read as the very model written. The first round cut and
   * mutated one low-rank model, at random offsets.
   */
  @Test
  void everyModelKindCutOrFlippedAtEveryByteIsRefusedOrUnchanged() throws IOException {
    int n = 8;
    float[] a = bipolar(n, 1);
    float[] b = bipolar(n, 2);
    List<io.engram.network.Memory> models = new java.util.ArrayList<>();
    AmariHopfieldNetwork dense =
        AmariHopfieldNetwork.create(
            n, io.engram.network.Dynamics.DEFAULT, io.engram.weights.WeightsMode.DENSE);
    HebbianTrainer.create(dense).train(a, b);
    models.add(dense);
    AmariHopfieldNetwork lowRank = AmariHopfieldNetwork.create(n);
    HebbianTrainer.create(lowRank).train(a, b);
    io.engram.learning.AntiHebbianTrainer.create(lowRank).train(bipolar(n, 3));
    models.add(lowRank);
    AmariHopfieldNetwork projection = AmariHopfieldNetwork.create(n);
    io.engram.learning.Trainer.of(
            projection,
            io.engram.learning.PseudoInverseRule.create(
                io.engram.learning.PseudoInverseOptions.DEFAULTS.withRidge(0.5)),
            true)
        .train(a, b);
    models.add(projection);
    AmariHopfieldNetwork denseProjection =
        AmariHopfieldNetwork.create(
            n, io.engram.network.Dynamics.DEFAULT, io.engram.weights.WeightsMode.DENSE);
    io.engram.learning.Trainer.of(
            denseProjection, io.engram.learning.PseudoInverseRule.create(), true)
        .train(a, b);
    models.add(denseProjection);
    AmariHopfieldNetwork storkey =
        AmariHopfieldNetwork.create(
            n,
            io.engram.network.Dynamics.DEFAULT.withUpdateMode(
                io.engram.network.UpdateMode.asynchronous(new int[] {7, 6, 5, 4, 3, 2, 1, 0})),
            io.engram.weights.WeightsMode.DENSE);
    io.engram.learning.Trainer.of(storkey, io.engram.learning.StorkeyRule.create(), true)
        .train(a, b);
    models.add(storkey);
    io.engram.memory.ModernHopfieldMemory softmax =
        io.engram.memory.ModernHopfieldMemory.softmax(n);
    softmax.store(new float[][] {a, b});
    models.add(softmax);
    io.engram.memory.ModernHopfieldMemory poly =
        io.engram.memory.ModernHopfieldMemory.polynomial(n, 4);
    poly.store(new float[][] {a, b});
    models.add(poly);
    int refused = 0;
    int bytes = 0;
    for (io.engram.network.Memory m : models) {
      byte[] ok = modelBytes(m);
      bytes += ok.length;
      String kind = m.toString();
      Reader same =
          f -> {
            byte[] again = modelBytes(ModelFile.readMemory(f));
            if (!Arrays.equals(again, ok)) {
              throw new AssertionError(kind + ": read as another model");
            }
          };
      assertEquals(null, read(ok, "ok.npz", same), kind);
      for (int len = 0; len < ok.length; len++) {
        if (read(Arrays.copyOf(ok, len), "cut.npz", same) == null) {
          fail(kind + ": cut to " + len + " of " + ok.length + " bytes was accepted");
        }
      }
      for (int pos = 0; pos < ok.length; pos++) {
        byte[] flipped = ok.clone();
        flipped[pos] ^= (byte) 0xFF;
        refused += read(flipped, "flip.npz", same) == null ? 0 : 1;
      }
    }
    // most bytes are covered by a CRC, a length or a check (measured: 7,660 of these 8,710, 88%)
    assertTrue(refused > bytes * 4 / 5, refused + " of " + bytes + " flips refused");
  }
}
