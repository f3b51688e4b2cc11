package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.learning.HebbianTrainer;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Dynamics;
import io.engram.network.RecallOptions;
import io.engram.network.RecallResult;
import io.engram.network.UpdateMode;
import io.engram.weights.DenseWeights;
import io.engram.weights.Weights;
import io.engram.weights.WeightsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dense models whose W is read where it lies in the file as it is needed ({@link
 * NpzFile#floatRowsInPlace}, {@link DenseWeights#overRows}): the same weights, products and
 * recalls, bit for bit, as W read into an array; the first change copies W in; a file written over
 * in place is an error, one replaced by a rename is not; what cannot be read in place (deflated,
 * big-endian, Fortran order, a corrupt member) is read as before, with the same messages.
 */
class DenseInPlaceTest {

  @TempDir Path tmp;

  @AfterEach
  void mapAgain() {
    System.clearProperty(DenseCodec.IN_HEAP_PROPERTY);
  }

  private static float[][] patterns(int p, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[p][n];
    for (float[] row : x) {
      for (int i = 0; i < n; i++) {
        row[i] = r.nextBoolean() ? 1f : -1f;
      }
    }
    return x;
  }

  /** A dense Hebbian model of N neurons and P patterns, written to {@code name}. */
  private Path model(String name, int n, int p) throws IOException {
    AmariHopfieldNetwork net = AmariHopfieldNetwork.create(n, Dynamics.DEFAULT, WeightsMode.DENSE);
    HebbianTrainer.create(net).train(patterns(p, n, 11));
    Path f = tmp.resolve(name);
    ModelFile.write(f, net);
    return f;
  }

  private static AmariHopfieldNetwork read(Path f, boolean map) throws IOException {
    System.setProperty(DenseCodec.IN_HEAP_PROPERTY, Boolean.toString(!map));
    try {
      return ModelFile.read(f);
    } finally {
      System.clearProperty(DenseCodec.IN_HEAP_PROPERTY);
    }
  }

  private static DenseWeights dense(AmariHopfieldNetwork net) {
    Weights w = net.weights();
    assertTrue(w instanceof DenseWeights, w.toString());
    return (DenseWeights) w;
  }

  /** Every read operation of the two weights gives the same bits. */
  private static void sameReads(Weights a, Weights b) {
    int n = a.size();
    assertEquals(n, b.size());
    assertArrayEquals(a.toDenseArray(), b.toDenseArray());
    assertEquals(a.maxAbsBound(), b.maxAbsBound());
    SplittableRandom r = new SplittableRandom(5);
    // l = 1..4 by dot products, 40 by tiles, 1100 (wider than one pass of tiles) in two parts
    for (int l : new int[] {1, 3, 4, 5, 40, 1100}) {
      float[] s = new float[n * l];
      for (int i = 0; i < s.length; i++) {
        s[i] = (float) r.nextGaussian();
      }
      float[] oa = new float[n * l];
      float[] ob = new float[n * l];
      a.multiplyColumns(s, l, oa);
      b.multiplyColumns(s, l, ob);
      assertArrayEquals(oa, ob, "l = " + l);
    }
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = r.nextBoolean() ? 1f : -1f;
    }
    float[] oa = new float[n];
    float[] ob = new float[n];
    a.multiply(s, oa);
    b.multiply(s, ob);
    assertArrayEquals(oa, ob);
    Weights.FieldTracker ta = a.fieldTracker(s);
    Weights.FieldTracker tb = b.fieldTracker(s);
    for (int i : new int[] {0, 1, n / 2, n - 1}) {
      assertEquals(a.rowDot(i, s), b.rowDot(i, s));
      assertEquals(ta.field(i), tb.field(i));
      assertEquals(a.get(i, n - 1 - i), b.get(i, n - 1 - i));
    }
    float[] ra = new float[3 * n];
    float[] rb = new float[3 * n];
    a.asDense().copyRows(n - 3, 3, ra);
    b.asDense().copyRows(n - 3, 3, rb);
    assertArrayEquals(ra, rb);
    assertArrayEquals(a.resized(n + 7, true).toDenseArray(), b.resized(n + 7, true).toDenseArray());
    assertArrayEquals(a.resized(n - 7, true).toDenseArray(), b.resized(n - 7, true).toDenseArray());
    assertArrayEquals(a.copy().toDenseArray(), b.copy().toDenseArray());
  }

  @Test
  void aModelReadInPlaceReadsAndRecallsAsOneReadIntoAnArray() throws IOException {
    Path f = model("m.npz", 300, 30);
    AmariHopfieldNetwork mapped = read(f, true);
    AmariHopfieldNetwork held = read(f, false);
    assertTrue(dense(mapped).isOverRows());
    assertFalse(dense(held).isOverRows());
    float[][] cues = patterns(12, 300, 3);
    for (UpdateMode mode :
        new UpdateMode[] {UpdateMode.synchronous(), UpdateMode.asynchronous(7L)}) {
      RecallOptions o =
          mapped.defaultRecallOptions().withDynamics(mapped.dynamics().withUpdateMode(mode));
      List<RecallResult> a = mapped.recallBatch(cues, o);
      List<RecallResult> b = held.recallBatch(cues, o);
      for (int q = 0; q < cues.length; q++) {
        assertArrayEquals(b.get(q).state(), a.get(q).state(), mode + ", cue " + q);
        assertEquals(b.get(q).steps(), a.get(q).steps());
      }
    }
    // recall did not copy W: it is still read from the file
    assertTrue(dense(mapped).isOverRows());
    sameReads(mapped.weights(), held.weights());
    // reading entries one by one (analyses, figures) copied it in
    assertFalse(dense(mapped).isOverRows());
  }

  /**
   * An interrupted thread's read of the file (the JVM closes the channel) threw "FILE: null" out of
   * a recall, which the interrupt does not otherwise stop: the read now goes on, the recall gives
   * its usual result, and the interrupt status is kept.
   */
  @Test
  void anInterruptedThreadsRecallReadsInPlaceToTheEndAndKeepsTheInterrupt() throws IOException {
    Path f = model("m.npz", 300, 30);
    AmariHopfieldNetwork mapped = read(f, true);
    AmariHopfieldNetwork held = read(f, false);
    float[][] cues = patterns(4, 300, 3);
    try {
      for (UpdateMode mode :
          new UpdateMode[] {UpdateMode.synchronous(), UpdateMode.asynchronous(7L)}) {
        RecallOptions o =
            mapped.defaultRecallOptions().withDynamics(mapped.dynamics().withUpdateMode(mode));
        List<RecallResult> expected = held.recallBatch(cues, o);
        Thread.currentThread().interrupt();
        List<RecallResult> got = mapped.recallBatch(cues, o);
        assertTrue(Thread.interrupted(), mode + ": the interrupt status is kept");
        for (int q = 0; q < cues.length; q++) {
          assertArrayEquals(expected.get(q).state(), got.get(q).state(), mode + ", cue " + q);
        }
      }
      assertTrue(dense(mapped).isOverRows(), "still read from the file (opened again)");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void valuesAreReadAcrossTheReadBuffers() throws IOException {
    // 600 x 600 floats: 1.44 MB, more than one read of a thread's 1 MiB buffer
    Path f = model("m.npz", 600, 30);
    try (NpzFile npz = NpzFile.open(f)) {
      assertNotNull(npz.floatRowsInPlace("W", 600, 600));
      assertNull(npz.floatRowsInPlace("W", 600, 599), "another shape is read as a stream");
    }
    sameReads(read(f, true).weights(), read(f, false).weights());
  }

  @Test
  void theCrcPassFindsTheLargestWeightWhereverItLies() throws IOException {
    // the pass that checks W's CRC-32 also finds max |W| (no second pass over the file): the
    // largest value first, last, and on either side of a read buffer's end (1 MiB of the member,
    // header included), as the scan of W read into an array finds it
    int n = 600;
    Path f = model("m.npz", n, 30);
    float[] w = read(f, false).weightMatrix();
    int header = Npy.toBytes(NdArray.ofFloats(w, n, n)).length - 4 * n * n;
    int edge = ((1 << 20) - header) / 4;
    for (int at : new int[] {0, edge - 1, edge, n * n - 1}) {
      float[] v = w.clone();
      v[at] = -7.5f;
      Path g = rewritten(f, "max" + at + ".npz", false, Npy.toBytes(NdArray.ofFloats(v, n, n)));
      try (NpzFile npz = NpzFile.open(g)) {
        DenseWeights.Rows rows = npz.floatRowsInPlace("W", n, n);
        assertEquals(Float.floatToIntBits(7.5f), rows.knownMaxAbsBits(), "max at " + at);
      }
      AmariHopfieldNetwork mapped = read(g, true);
      assertTrue(dense(mapped).isOverRows());
      assertEquals(dense(read(g, false)).maxAbsBound(), dense(mapped).maxAbsBound(), "at " + at);
      // a value that is not finite there: the weights scan W themselves to name it
      v[at] = Float.POSITIVE_INFINITY;
      Path h = rewritten(f, "inf" + at + ".npz", false, Npy.toBytes(NdArray.ofFloats(v, n, n)));
      String msg = assertThrows(EngramFormatException.class, () -> read(h, true)).getMessage();
      assertTrue(msg.contains("W[" + at / n + "][" + at % n + "] is Infinity"), msg);
    }
  }

  @Test
  void valuesAfterAHeaderOfAnOddLengthAreScannedAsTheyLie() throws IOException {
    // numpy pads its header to a multiple of 64 bytes; another writer may not: a header of 4k + 2
    // bytes leaves the values unaligned with the CRC pass's reads, and the weights scan them
    int n = 600;
    Path f = model("m.npz", n, 30);
    float[] w = read(f, false).weightMatrix();
    w[n * n - 1] = 9.25f;
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + n + "), }";
    String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64 + 2) + "\n";
    assertEquals(2, (10 + header.length()) % 4);
    java.nio.ByteBuffer npy =
        java.nio.ByteBuffer.allocate(10 + header.length() + 4 * n * n)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    npy.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    npy.put((byte) 1).put((byte) 0).putShort((short) header.length());
    npy.put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    npy.asFloatBuffer().put(w);
    Path odd = rewritten(f, "odd.npz", false, npy.array());
    try (NpzFile npz = NpzFile.open(odd)) {
      DenseWeights.Rows rows = npz.floatRowsInPlace("W", n, n);
      assertEquals(-1, rows.knownMaxAbsBits(), "not scanned in the CRC pass");
    }
    AmariHopfieldNetwork mapped = read(odd, true);
    assertTrue(dense(mapped).isOverRows());
    assertEquals(9.25, dense(mapped).maxAbsBound());
    assertArrayEquals(w, read(odd, false).weightMatrix());
  }

  @Test
  void byDefaultWOfAtMost64MiBIsReadIntoAnArrayAndLargerOnesInPlace() throws IOException {
    System.clearProperty(DenseCodec.IN_HEAP_PROPERTY);
    assertFalse(DenseCodec.inPlace(4096), "64 MiB: an array");
    assertTrue(DenseCodec.inPlace(4097), "larger: in place");
    assertTrue(DenseCodec.inPlace(46340));
    assertFalse(dense(ModelFile.read(model("small.npz", 40, 4))).isOverRows());
    System.setProperty(DenseCodec.IN_HEAP_PROPERTY, "false");
    assertTrue(DenseCodec.inPlace(40), "asked for: in place");
    System.setProperty(DenseCodec.IN_HEAP_PROPERTY, "true");
    assertFalse(DenseCodec.inPlace(46340), "asked for: an array");
  }

  @Test
  void aModelWrittenOverInPlaceWhileReadIsAnError() throws IOException {
    Path f = model("m.npz", 100, 10);
    AmariHopfieldNetwork inPlace = read(f, true);
    float[] s = new float[100];
    java.util.Arrays.fill(s, 1f);
    float[] out = new float[100];
    inPlace.weights().multiply(s, out);
    // another model of the same size written into the same file (as cp does)
    AmariHopfieldNetwork other =
        AmariHopfieldNetwork.create(100, Dynamics.DEFAULT, WeightsMode.DENSE);
    HebbianTrainer.create(other).train(patterns(10, 100, 99));
    Path o = tmp.resolve("o.npz");
    ModelFile.write(o, other);
    Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
    Files.write(f, Files.readAllBytes(o));
    java.io.UncheckedIOException e =
        assertThrows(java.io.UncheckedIOException.class, () -> inPlace.weights().multiply(s, out));
    assertTrue(e.getMessage().contains("changed in place while it was read"), e.getMessage());
    assertThrows(
        java.io.UncheckedIOException.class,
        () -> inPlace.recallBatch(patterns(2, 100, 5), inPlace.defaultRecallOptions()));
  }

  @Test
  void theFirstChangeCopiesWIntoTheWeights() throws IOException {
    Path f = model("m.npz", 200, 20);
    byte[] before = Files.readAllBytes(f);
    AmariHopfieldNetwork mapped = read(f, true);
    AmariHopfieldNetwork held = read(f, false);
    float[][] more = patterns(5, 200, 17);
    HebbianTrainer.create(mapped).train(more);
    HebbianTrainer.create(held).train(more);
    assertFalse(dense(mapped).isOverRows());
    assertArrayEquals(held.weightMatrix(), mapped.weightMatrix());
    AmariHopfieldNetwork again = read(f, true);
    again.weights().zeroDiagonal();
    assertFalse(dense(again).isOverRows());
    // the file is as it was, and so is a network read from it
    assertArrayEquals(before, Files.readAllBytes(f));
    assertArrayEquals(read(f, false).weightMatrix(), read(f, true).weightMatrix());
  }

  @Test
  void aModelReplacedByARenameLeavesTheOpenOneAsItWas() throws IOException {
    Path f = model("m.npz", 100, 10);
    AmariHopfieldNetwork mapped = read(f, true);
    float[] w = mapped.weightMatrix();
    // a training run that replaces the same file (by rename, as every write here)
    AmariHopfieldNetwork other =
        AmariHopfieldNetwork.create(100, Dynamics.DEFAULT, WeightsMode.DENSE);
    HebbianTrainer.create(other).train(patterns(10, 100, 99));
    ModelFile.write(f, other);
    assertArrayEquals(w, mapped.weightMatrix());
    assertArrayEquals(other.weightMatrix(), read(f, true).weightMatrix());
  }

  @Test
  void atMostSomeFilesStayOpenAndAClosedOneIsOpenedAgain() throws IOException {
    int count = FileRows.MAX_OPEN + 20;
    Path[] files = new Path[count];
    AmariHopfieldNetwork[] nets = new AmariHopfieldNetwork[count];
    for (int i = 0; i < count; i++) {
      files[i] = model("m" + i + ".npz", 40, 3);
      nets[i] = read(files[i], true);
      assertTrue(FileRows.openCount() <= FileRows.MAX_OPEN);
    }
    // the first ones were closed for the limit: read again, they give the same products
    float[] s = new float[40];
    java.util.Arrays.fill(s, 1f);
    for (int i = 0; i < count; i += 7) {
      float[] a = new float[40];
      float[] b = new float[40];
      nets[i].weights().multiply(s, a);
      read(files[i], false).weights().multiply(s, b);
      assertArrayEquals(b, a, "model " + i);
      assertTrue(dense(nets[i]).isOverRows());
    }
    // one closed for the limit and then replaced by a rename cannot be read again
    for (int i = 0; i < FileRows.MAX_OPEN; i++) {
      read(files[count - 1], true);
    }
    Path other = model("other.npz", 40, 5);
    Files.move(other, files[1], java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    java.io.UncheckedIOException e =
        assertThrows(
            java.io.UncheckedIOException.class, () -> nets[1].weights().multiply(s, new float[40]));
    assertTrue(
        e.getMessage().contains("replaced or changed since it was first read"), e.getMessage());
  }

  /** The archive with its W.npy rewritten by {@code how} (the other members as they were). */
  private Path rewritten(Path f, String name, boolean deflate, byte[] w) throws IOException {
    Path out = tmp.resolve(name);
    try (ZipFile z = new ZipFile(f.toFile());
        ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(out))) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        byte[] b = e.getName().equals("W.npy") ? w : z.getInputStream(e).readAllBytes();
        ZipEntry n = new ZipEntry(e.getName());
        if (deflate && e.getName().equals("W.npy")) {
          n.setMethod(ZipEntry.DEFLATED);
        } else {
          n.setMethod(ZipEntry.STORED);
          n.setSize(b.length);
          n.setCompressedSize(b.length);
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(b);
          n.setCrc(crc.getValue());
        }
        zo.putNextEntry(n);
        zo.write(b);
        zo.closeEntry();
      }
    }
    return out;
  }

  private static byte[] wBytes(Path f) throws IOException {
    try (ZipFile z = new ZipFile(f.toFile())) {
      return z.getInputStream(z.getEntry("W.npy")).readAllBytes();
    }
  }

  @Test
  void whatCannotBeMappedIsReadAsBefore() throws IOException {
    Path f = model("m.npz", 50, 5);
    float[] w = read(f, false).weightMatrix();
    // deflated (np.savez_compressed)
    Path deflated = rewritten(f, "deflated.npz", true, wBytes(f));
    assertFalse(dense(read(deflated, true)).isOverRows());
    assertArrayEquals(w, read(deflated, true).weightMatrix());
    // big-endian, and Fortran order (W transposed in the file)
    Path big = rewritten(f, "big.npz", false, npy(">f4", false, w));
    assertFalse(dense(read(big, true)).isOverRows());
    assertArrayEquals(w, read(big, true).weightMatrix());
    float[] t = new float[w.length];
    for (int i = 0; i < 50; i++) {
      for (int j = 0; j < 50; j++) {
        t[j * 50 + i] = w[i * 50 + j];
      }
    }
    Path fortran = rewritten(f, "fortran.npz", false, npy("<f4", true, t));
    assertFalse(dense(read(fortran, true)).isOverRows());
    assertArrayEquals(w, read(fortran, true).weightMatrix());
  }

  @Test
  void aCorruptOrNonFiniteMemberIsNamedAsBefore() throws IOException {
    Path f = model("m.npz", 40, 4);
    // one byte of W's data changed in the file: its CRC-32 no longer holds
    byte[] b = Files.readAllBytes(f);
    byte[] w = wBytes(f);
    int at = indexOf(b, w) + w.length - 10;
    b[at] ^= 0x40;
    Path bad = Files.write(tmp.resolve("bad.npz"), b);
    EngramFormatException e = assertThrows(EngramFormatException.class, () -> read(bad, true));
    assertEquals(
        assertThrows(EngramFormatException.class, () -> read(bad, false)).getMessage(),
        e.getMessage());
    assertTrue(e.getMessage().contains("fails its CRC-32 check"), e.getMessage());
    // a NaN weight with a valid CRC: the same message mapped as read
    float[] nan = read(f, false).weightMatrix();
    nan[3 * 40 + 5] = Float.NaN;
    Path nanFile = rewritten(f, "nan.npz", false, Npy.toBytes(NdArray.ofFloats(nan, 40, 40)));
    String mapped =
        assertThrows(EngramFormatException.class, () -> read(nanFile, true)).getMessage();
    String held =
        assertThrows(EngramFormatException.class, () -> read(nanFile, false)).getMessage();
    assertEquals(held, mapped);
    assertTrue(mapped.contains("W[3][5] is NaN"), mapped);
  }

  @Test
  void aMemberIsFoundFromTheCentralDirectoryWhereverItIs() throws IOException {
    Path f = model("m.npz", 30, 3);
    // W.npy last, after members with extra fields and a comment
    Path moved = tmp.resolve("moved.npz");
    try (ZipFile z = new ZipFile(f.toFile());
        ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(moved))) {
      List<? extends ZipEntry> entries = java.util.Collections.list(z.entries());
      entries.sort(
          (x, y) -> Boolean.compare(x.getName().equals("W.npy"), y.getName().equals("W.npy")));
      for (ZipEntry e : entries) {
        byte[] b = z.getInputStream(e).readAllBytes();
        ZipEntry n = new ZipEntry(e.getName());
        n.setMethod(ZipEntry.STORED);
        n.setSize(b.length);
        n.setCompressedSize(b.length);
        n.setCrc(e.getCrc());
        n.setExtra(new byte[] {(byte) 0xfe, (byte) 0xca, 3, 0, 1, 2, 3});
        n.setComment("member " + e.getName());
        zo.putNextEntry(n);
        zo.write(b);
        zo.closeEntry();
      }
      zo.setComment("an archive comment");
    }
    try (NpzFile npz = NpzFile.open(moved)) {
      assertNotNull(npz.floatRowsInPlace("W", 30, 30));
      assertNull(npz.floatRowsInPlace("W", 30, 29), "another shape is not read in place");
      assertNull(npz.floatRowsInPlace("state", 30, 30), "not a matrix");
    }
    assertArrayEquals(read(f, false).weightMatrix(), read(moved, true).weightMatrix());
  }

  /** A 50 x 50 float32 .npy of these values in the given byte order and layout. */
  private static byte[] npy(String descr, boolean fortran, float[] v) {
    java.nio.ByteBuffer data =
        java.nio.ByteBuffer.allocate(4 * v.length)
            .order(
                descr.startsWith(">")
                    ? java.nio.ByteOrder.BIG_ENDIAN
                    : java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      data.putFloat(x);
    }
    return LargeDenseTest.npy(descr, fortran, "(50, 50)", data.array());
  }

  /**
   * The archive rewritten in its Zip64 form, as a writer does for archives over 4 GiB: the
   * end-of-central-directory record points through a Zip64 locator and record, and W's central
   * directory entry gives its local header's offset in a Zip64 extra field.
   */
  private static byte[] zip64(byte[] zip) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int eocd = zip.length - 22;
    assertEquals(0x06054b50, in.getInt(eocd));
    int entries = in.getShort(eocd + 10) & 0xFFFF;
    int cdSize = in.getInt(eocd + 12);
    int cdOffset = in.getInt(eocd + 16);
    java.io.ByteArrayOutputStream cd = new java.io.ByteArrayOutputStream();
    for (int e = 0, at = cdOffset; e < entries; e++) {
      int nameLen = in.getShort(at + 28) & 0xFFFF;
      int extraLen = in.getShort(at + 30) & 0xFFFF;
      int commentLen = in.getShort(at + 32) & 0xFFFF;
      String name = new String(zip, at + 46, nameLen, java.nio.charset.StandardCharsets.UTF_8);
      int len = 46 + nameLen + extraLen + commentLen;
      byte[] entry = java.util.Arrays.copyOfRange(zip, at, at + len);
      if (name.equals("W.npy")) {
        java.nio.ByteBuffer x =
            java.nio.ByteBuffer.allocate(len + 12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        x.put(entry, 0, 46 + nameLen);
        x.putShort((short) 0x0001).putShort((short) 8).putLong(in.getInt(at + 42) & 0xFFFFFFFFL);
        x.put(entry, 46 + nameLen, extraLen + commentLen);
        x.putShort(30, (short) (extraLen + 12));
        x.putInt(42, 0xFFFFFFFF);
        entry = x.array();
      }
      cd.writeBytes(entry);
      at += len;
    }
    byte[] newCd = cd.toByteArray();
    java.nio.ByteBuffer out =
        java.nio.ByteBuffer.allocate(cdOffset + newCd.length + 56 + 20 + 22)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    out.put(zip, 0, cdOffset).put(newCd);
    long z64 = out.position();
    out.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45);
    out.putInt(0).putInt(0).putLong(entries).putLong(entries);
    out.putLong(newCd.length).putLong(cdOffset);
    out.putInt(0x07064b50).putInt(0).putLong(z64).putInt(1);
    out.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
    out.putShort((short) 0xFFFF).putShort((short) 0xFFFF).putInt(0xFFFFFFFF).putInt(0xFFFFFFFF);
    out.putShort((short) 0);
    assertTrue(cdSize > 0);
    return out.array();
  }

  @Test
  void aZip64ArchiveIsReadInPlace() throws IOException {
    Path f = model("m.npz", 64, 6);
    Path z = Files.write(tmp.resolve("zip64.npz"), zip64(Files.readAllBytes(f)));
    AmariHopfieldNetwork back = read(z, true);
    assertTrue(dense(back).isOverRows());
    sameReads(back.weights(), read(f, false).weights());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
