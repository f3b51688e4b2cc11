package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.io.NdArray;
import io.engram.io.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV patterns, hostile and friendly (issue 9, F6): every cell is a number or the file is refused
 * naming its line and column; nothing is silently dropped; a byte order mark, CRLF line ends,
 * semicolons and white space are fine.
 */
class CsvInputTest {

  @TempDir Path dir;

  /** The rows corrupt --flip 0 writes for this CSV text (it reads them exactly as train does). */
  private float[][] read(String name, byte[] csv) throws IOException {
    Path f = Files.write(dir.resolve(name), csv);
    Path out = dir.resolve(name + ".npy");
    ToolRun.Result r =
        ToolRun.run(
            "corrupt", "-q", "--flip", "0", "--patterns", f.toString(), "--out", out.toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err(), r::toString);
    NdArray a = Npy.read(out);
    float[] flat = a.toFloatArray();
    int n = a.shape()[1];
    float[][] rows = new float[a.shape()[0]][n];
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(flat, k * n, rows[k], 0, n);
    }
    return rows;
  }

  private float[][] read(String name, String csv) throws IOException {
    return read(name, csv.getBytes(StandardCharsets.UTF_8));
  }

  private void fails(String expected, String name, byte[] csv) throws IOException {
    Path f = Files.write(dir.resolve(name), csv);
    Map<String, String> before = ToolRun.snapshot(dir);
    ToolRun.Result r =
        ToolRun.run("train", "--patterns", f.toString(), "--out", dir.resolve("m.npz").toString());
    assertEquals(2, r.status(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(r.err().startsWith("engram: "), r::toString);
    assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in " + r);
    assertTrue(r.err().length() < 300, "a short message: " + r);
    assertEquals(before, ToolRun.snapshot(dir));
  }

  private void fails(String expected, String name, String csv) throws IOException {
    fails(expected, name, csv.getBytes(StandardCharsets.UTF_8));
  }

  private static final float[][] EXPECTED = {{1, -1, 1, -1}, {-1, 1, -1, 1}};

  /**
   * corrupt negates values: on 0/1 data a flipped 0 stays 0 (-0.0), which the summary counted as
   * flipped without a word; it says so now, and the values are still negated as asked.
   */
  @Test
  void flippingZerosOf01DataIsToldNotHidden() throws IOException {
    Path f = Files.writeString(dir.resolve("bits.csv"), "0,1,0,1,0,1,0,1\n1,1,0,0,1,1,0,0\n");
    Path out = dir.resolve("bits-noisy.npy");
    ToolRun.Result r =
        ToolRun.run(
            "corrupt", "-q", "--flip", "1", "--patterns", f.toString(), "--out", out.toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals(
        "engram: warning: 8 of the 16 values flipped were 0, which a sign flip leaves 0 (corrupt"
            + " negates values, as for +1/-1 patterns; for 0/1 data, map it to +1/-1 first: 2x -"
            + " 1)",
        r.err().strip(),
        r::toString);
    float[] v = Npy.read(out).toFloatArray();
    assertEquals(-1f, v[1]);
    assertEquals(-0f, v[0]); // negated, as asked: -0.0
    // +1/-1 data says nothing
    Path pm = Files.writeString(dir.resolve("pm.csv"), "1,-1,1,-1\n-1,1,-1,1\n");
    ToolRun.Result q =
        ToolRun.run(
            "corrupt",
            "-q",
            "--flip",
            "1",
            "--patterns",
            pm.toString(),
            "--out",
            dir.resolve("pm-noisy.npy").toString());
    assertEquals(0, q.status(), q::toString);
    assertEquals("", q.err(), q::toString);
  }

  @Test
  void emptyCellsAreErrorsNamingLineAndColumn() throws IOException {
    // was: the empty column vanished and N became 3
    fails("line 1, column 2 is empty", "empty.csv", "1,,1,-1\n-1,,-1,1\n1,,-1,-1\n");
    fails("line 2, column 4 is empty", "trailing.csv", "1,-1,1,-1\n-1,1,-1,\n");
    fails("line 1, column 1 is empty", "leading.csv", ",1,-1,1\n");
    fails("line 1, column 3 is empty", "semicolons.csv", "1;-1;;1\n");
    fails("line 1, column 2 is empty", "spaces.csv", "1, ,1,-1\n");
  }

  @Test
  void aByteOrderMarkIsAccepted() throws IOException {
    // was: "'\ufeff1' is not a number"
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "1,-1,1,-1\n-1,1,-1,1\n".getBytes(StandardCharsets.UTF_8);
    byte[] both = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, both, 0, 3);
    System.arraycopy(body, 0, both, 3, body.length);
    assertArrayEquals(EXPECTED, read("bom.csv", both));
    // only at the very start: one later in the file is not a number
    fails("line 2, column 1: '\\ufeff-1' is not a number", "bom2.csv", "1,-1\n\ufeff-1,1\n");
  }

  @Test
  void separatorsLineEndsCommentsAndBlankLines() throws IOException {
    assertArrayEquals(EXPECTED, read("crlf.csv", "1,-1,1,-1\r\n-1,1,-1,1\r\n"));
    assertArrayEquals(EXPECTED, read("semi.csv", "1;-1;1;-1\n-1;1;-1;1\n"));
    assertArrayEquals(EXPECTED, read("ws.csv", "1 -1\t1  -1\n  -1 1 -1 1  \n"));
    assertArrayEquals(EXPECTED, read("padded.csv", " 1 , -1 ,1, -1\n-1,1,-1,1"));
    assertArrayEquals(
        EXPECTED, read("comments.csv", "# a comment\n\n1,-1,1,-1\n\n# more\n-1,1,-1,1\n"));
    float[][] reals = read("reals.csv", "0.5,-1e-3,+2,.25\n1.,-0,3E2,-.5\n");
    assertArrayEquals(new float[] {0.5f, -1e-3f, 2f, 0.25f}, reals[0]);
    assertArrayEquals(new float[] {1f, -0f, 300f, -0.5f}, reals[1]);
  }

  @Test
  void valuesThatAreNotPlainNumbersAreRefused() throws IOException {
    fails("line 1, column 2: '1f' is not a number", "suffix.csv", "1,1f,1\n");
    fails("'1d' is not a number", "suffix2.csv", "1,1d,1\n");
    fails("'0x1p3' is not a number", "hex.csv", "1,0x1p3,1\n");
    // (a quoted number is the number: quotedNumbersAreNumbers)
    fails("line 1, column 2: 'one' is not a number", "quoted.csv", "1,\"one\",1\n");
    fails("line 1, column 2 is 'nan', expected a finite number", "nan.csv", "1,nan,1\n");
    fails("is 'NaN', expected a finite number", "nan2.csv", "1,NaN,1\n");
    fails("is '-inf', expected a finite number", "inf.csv", "1,-inf,1\n");
    fails(
        "is '1e999', beyond the float32 range of pattern values (at most 3.4028235E38 in"
            + " magnitude)",
        "huge.csv",
        "1,1e999,1\n");
    // finite, but not in float32 (it was called "not a finite number")
    fails(
        "line 1, column 2 is '-1e39', beyond the float32 range of pattern values",
        "big.csv",
        "1,-1e39,1\n");
    fails("'a' is not a number (a header line? start it with #)", "header.csv", "a,b,c\n1,2,3\n");
    fails("'1\\u0000' is not a number", "nul.csv", "1,1\u0000,1\n");
    fails("(10000 characters)", "long.csv", "1," + "9".repeat(9999) + "x,1\n");
    fails("line 2 has 3 values, the first pattern has 4", "ragged.csv", "1,-1,1,-1\n1,-1,1\n");
    fails("not a text (UTF-8) CSV file", "latin1.csv", new byte[] {'1', ',', (byte) 0xE9, '\n'});
  }

  @Test
  void aFileOfNothingButABomAndCommentsHasNoPatterns() throws IOException {
    fails(
        "nothing.csv holds no patterns to train on, and no --init model to start from",
        "nothing.csv",
        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '#', ' ', 'x', '\n', '\n'});
  }

  /**
   * Several pattern files are one block, in the order given; one file is its block as read (no copy
   * of its rows in between), with the same values and statistics.
   */
  @Test
  void patternFilesAreJoinedInTheOrderGiven() throws IOException {
    Path npy = dir.resolve("a.npy");
    Npy.writeFloats(npy, new float[] {1, -1, 1, -1, -1, 1}, 2, 3);
    Path csv = Files.write(dir.resolve("b.csv"), "1,1,-1\n".getBytes(StandardCharsets.UTF_8));
    io.engram.learning.PatternBlock both =
        Inputs.read(java.util.List.of(csv, npy), null, Progress.none()).block();
    assertEquals(3, both.count());
    assertArrayEquals(new float[] {1, 1, -1, 1, -1, 1, -1, -1, 1}, both.toArray());
    io.engram.learning.PatternBlock one =
        Inputs.read(java.util.List.of(npy), null, Progress.none()).block();
    io.engram.learning.PatternBlock direct = io.engram.io.Patterns.fromArray(Npy.read(npy));
    assertArrayEquals(direct.toArray(), one.toArray());
    assertEquals(direct.stats().toString(), one.stats().toString());
    assertEquals(2, one.count());
    assertEquals(3, one.length());
  }

  /**
   * Numbers in double quotes, as a spreadsheet that quotes every field writes them (RFC 4180), are
   * read as the numbers: they were "'"1"' is not a number (a header line? ...)". An empty quoted
   * cell is still an empty cell.
   */
  @Test
  void quotedNumbersAreNumbers() throws IOException {
    assertArrayEquals(
        EXPECTED, read("q.csv", "\"1\",\"-1\",\"1\",\"-1\"\r\n\"-1\", \" 1 \" ,-1,\"1\"\n"));
    fails("q0.csv: line 1, column 2 is empty", "q0.csv", "1,\"\",1,1\n");
  }

  /**
   * A quoted cell is one cell (RFC 4180), the separator in it included: {@code "1,5",1} was cut at
   * its comma and refused as "'"1' is not a number (a header line? ...)"; now its '1,5' gets the
   * decimal-comma hint. The separator is that of the first line outside quotes, {@code ""} inside
   * quotes is one quote, and quotes hold white space in a file separated by it.
   */
  @Test
  void aQuotedCellIsOneCellWithTheSeparatorInIt() throws IOException {
    fails(
        "qc.csv: line 1, column 1: '1,5' is not a number (a decimal comma? write 1.5)",
        "qc.csv",
        "\"1,5\",1\n");
    fails(
        "qs.csv: line 2, column 2: '0,5' is not a number (a decimal comma? write 0.5)",
        "qs.csv",
        "\"1\";\"-1\"\n\"-1\";\"0,5\"\n");
    assertArrayEquals(
        new float[][] {{1, -1}, {-1, 1}}, read("qsep.csv", "\"1\";\" -1\"\n-1;\"1\"\n"));
    assertArrayEquals(
        new float[][] {{1, -1}, {-1, 1}}, read("qws.csv", "\"1\" \"-1\"\n-1\t\" 1 \"\n"));
    fails("qb.csv: line 1, column 1: '1 5' is not a number", "qb.csv", "\"1 5\" 1\n");
    fails("qq.csv: line 1, column 2: 'a\"b' is not a number", "qq.csv", "1,\"a\"\"b\"\n");
    fails(
        "qo.csv: line 1, column 2: '\"1,1' is not a number (its double quote is not closed on its"
            + " line)",
        "qo.csv",
        "1,\"1,1\n");
    fails("qx.csv: line 1, column 1: '\"1\"x' is not a number", "qx.csv", "\"1\"x,1\n");
  }

  /**
   * A cell that looks like a number to a reader but is none here says why: a typographic minus or
   * dash, a digit of another script, a no-break space (copied from a document), a decimal comma, or
   * semicolons between values after a first line whose comma made ',' the separator (a European
   * spreadsheet's CSV). Each was "is not a number" alone, or took a header line for the cause.
   */
  @Test
  void cellsThatLookLikeNumbersSayWhyTheyAreNot() throws IOException {
    fails(
        "m.csv: line 1, column 2: '\u22121' is not a number (it holds '\u2212', U+2212 MINUS SIGN;"
            + " write -)",
        "m.csv",
        "1,\u22121,1\n");
    fails("(it holds '\u2013', U+2013 EN DASH; write -)", "d.csv", "\u20131,1\n");
    fails("(it holds '\u0661', U+0661 ARABIC-INDIC DIGIT ONE; write 0-9)", "a.csv", "\u0661,1\n");
    fails("(it holds '\u00a0', U+00A0 NO-BREAK SPACE; leave it out)", "s.csv", "1,\u00a0-1\n");
    fails(
        "line 2, column 3: '0,5' is not a number (a decimal comma? write 0.5)",
        "c.csv",
        "1;-1;1\n-1;1;0,5\n");
    fails(
        "line 1, column 2: '5;-1;1' is not a number (the first line's comma made ',' the separator;"
            + " with ; between values, write decimal points, not commas)",
        "e.csv",
        "1,5;-1;1\n");
    fails(
        "line 1, column 1: 'a' is not a number (a header line? start it with #)",
        "h.csv",
        "a,b\n1,2\n");
  }
}
