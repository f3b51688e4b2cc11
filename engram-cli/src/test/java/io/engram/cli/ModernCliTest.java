package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engram.fixtures.DrawnImages;
import io.engram.internal.Json;
import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.memory.Separation;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --memory modern} through train, recall, inspect and export. */
class ModernCliTest {

  @TempDir Path tmp;
  Path patterns;
  Path queries;
  Path model;
  float[] x;

  static final int P = 30;
  static final int N = 64;

  @BeforeEach
  void setUp() throws IOException {
    SplittableRandom r = new SplittableRandom(8);
    x = new float[P * N];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextBoolean() ? 1 : -1;
    }
    patterns = tmp.resolve("patterns.npy");
    Npy.write(patterns, NdArray.ofFloats(x, P, N));
    float[] q = x.clone();
    for (int i = 0; i < q.length; i += 5) {
      q[i] = -q[i];
    }
    queries = tmp.resolve("queries.npy");
    Npy.write(queries, NdArray.ofFloats(q, P, N));
    model = tmp.resolve("modern.npz");
    ToolRun.Result res =
        ToolRun.run(
            "train",
            "--memory",
            "modern",
            "--beta",
            "0.5",
            "--patterns",
            patterns.toString(),
            "--out",
            model.toString());
    assertEquals(0, res.status(), res.toString());
    assertTrue(res.out().contains("modern memory (softmax, β = 0.5)"), res.out());
  }

  /**
   * A softmax memory of N = 4 whose cues end in a cycle of two states (the last bits of the floats
   * flip back and forth): with a huge --iterations each such query ends at once, reported as after
   * K steps and not converged; 0 steps return the cues. (Pins the behaviour recall --help
   * describes: no cap, no run-until-converged.)
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void aCyclingCueOfATinyMemoryEndsAtOnceNotConverged() throws IOException {
    // three +-1 patterns and eight cues (numpy's RandomState(5)) that all end in such a cycle
    float[] xs = {1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, -1};
    float[] qs = {
      -0.35882896184921265f, 0.603471577167511f, -1.6647884845733643f, -0.7001790404319763f,
      1.1513910293579102f, 1.8573310375213623f, -1.5111795663833618f, 0.6448475122451782f,
      -0.9806078672409058f, -0.8568531274795532f, -0.8718791604042053f, -0.4225079417228699f,
      0.9964398145675659f, 0.7124212980270386f, 0.059144243597984314f, -0.36331087350845337f,
      0.003288842970505357f, -0.10593044012784958f, 0.7930533289909363f, -0.6315716505050659f,
      -0.0061949086375534534f, -0.10106761008501053f, -0.05230814963579178f, 0.2492176592350006f,
      0.19766008853912354f, 1.3348485231399536f, -0.08687560260295868f, 1.5615322589874268f,
      -0.305853009223938f, -0.4777314066886902f, 0.10073819011449814f, 0.3554384708404541f,
    };
    Path x = tmp.resolve("x4.npy");
    Path q = tmp.resolve("q4.npy");
    Npy.write(x, NdArray.ofFloats(xs, 3, 4));
    Npy.write(q, NdArray.ofFloats(qs, 8, 4));
    Path m = tmp.resolve("m4.npz");
    ToolRun.Result res =
        ToolRun.run(
            "train", "-q", "--memory", "modern", "--patterns", x.toString(), "--out", m.toString());
    assertEquals(0, res.status(), res::toString);
    Path rep = tmp.resolve("r4.json");
    int cycled = 0;
    int k = 50_000_000; // at some 10^6 steps a second, minutes if each query stepped them all
    res =
        ToolRun.run(
            "recall",
            "-q",
            "--model",
            m.toString(),
            "--queries",
            q.toString(),
            "--out",
            tmp.resolve("o4.npy").toString(),
            "--iterations",
            String.valueOf(k),
            "--report",
            rep.toString());
    assertEquals(0, res.status(), res::toString);
    for (Object o : (List<?>) json(rep).get("queries")) {
      Map<?, ?> e = (Map<?, ?>) o;
      long steps = ((Number) e.get("steps")).longValue();
      assertTrue(Boolean.TRUE.equals(e.get("converged")) || steps == k, e::toString);
      cycled += steps == k ? 1 : 0;
    }
    assertTrue(cycled > 0, "no query ended in a cycle: the test lost its point");
    res =
        ToolRun.run(
            "recall",
            "-q",
            "--model",
            m.toString(),
            "--queries",
            q.toString(),
            "--out",
            tmp.resolve("o0.npy").toString(),
            "--iterations",
            "0",
            "--report",
            rep.toString());
    assertEquals(0, res.status(), res::toString);
    assertArrayEquals(qs, Npy.read(tmp.resolve("o0.npy")).toFloatArray());
    for (Object o : (List<?>) json(rep).get("queries")) {
      assertEquals(0L, ((Number) ((Map<?, ?>) o).get("steps")).longValue());
    }
  }

  /**
   * Embeddings are often kept as float16 (numpy {@code <f2}): stored and recalled as their float32
   * values (every half value is one), with the best match named.
   */
  @Test
  void float16EmbeddingsAreStoredAndRecalled() throws IOException {
    // halves of small integers over 8 (exact in float16), written as numpy writes them
    SplittableRandom r = new SplittableRandom(11);
    int p = 6;
    int n = 32;
    float[] v = new float[p * n];
    ByteBuffer half = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < v.length; i++) {
      int k = r.nextInt(-16, 17);
      v[i] = k / 8f;
      half.putShort(halfBits(k));
    }
    Path f16 = tmp.resolve("e16.npy");
    String header = "{'descr': '<f2', 'fortran_order': False, 'shape': (" + p + ", " + n + "), }";
    header = header + " ".repeat(63 - (10 + header.length()) % 64) + "\n";
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer file = ByteBuffer.allocate(10 + head.length + half.capacity());
    file.order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.US_ASCII));
    file.put((byte) 1).put((byte) 0).putShort((short) head.length).put(head).put(half.array());
    Files.write(f16, file.array());
    Path m = tmp.resolve("e.npz");
    ToolRun.Result t =
        ToolRun.run(
            "train",
            "--memory",
            "modern",
            "--beta",
            "8",
            "--patterns",
            f16.toString(),
            "--out",
            m.toString());
    assertEquals(0, t.status(), t.toString());
    assertArrayEquals(v, ((ModernHopfieldMemory) ModelFile.readMemory(m)).toArray());
    Path out = tmp.resolve("r.npy");
    Path report = tmp.resolve("r.json");
    ToolRun.Result q =
        ToolRun.run(
            "recall",
            "--model",
            m.toString(),
            "--queries",
            f16.toString(),
            "--out",
            out.toString(),
            "--report",
            report.toString());
    assertEquals(0, q.status(), q.toString());
    String json = Files.readString(report);
    for (int k = 0; k < p; k++) {
      assertTrue(json.contains("\"best\": " + k + ","), json);
    }
  }

  /** The float16 bits of {@code k / 8} for an integer {@code -16 <= k <= 16}. */
  private static short halfBits(int k) {
    if (k == 0) {
      return 0;
    }
    int sign = k < 0 ? 0x8000 : 0;
    int m = Math.abs(k);
    int e = 31 - Integer.numberOfLeadingZeros(m); // m = 2^e (1 + f)
    int fraction = ((m << 10) >> e) & 0x3FF;
    // value m / 8 = 2^(e - 3) (1 + f): biased exponent e - 3 + 15
    return (short) (sign | ((e + 12) << 10) | fraction);
  }

  /**
   * A float32 .npy is stored straight from the file's bytes (no pattern block between): the same
   * model as the block path gives (a CSV of the same values, and two files joined), and a bad
   * pattern is named with its file.
   */
  @Test
  void aFloat32FileIsStoredAsThroughTheBlock() throws IOException {
    StringBuilder csv = new StringBuilder();
    for (int k = 0; k < P; k++) {
      for (int i = 0; i < N; i++) {
        csv.append(i == 0 ? "" : ",").append((int) x[k * N + i]);
      }
      csv.append('\n');
    }
    Path text = Files.writeString(tmp.resolve("patterns.csv"), csv.toString());
    Path viaBlock = tmp.resolve("block.npz");
    ToolRun.Result r =
        ToolRun.run(
            "train",
            "-q",
            "--memory",
            "modern",
            "--beta",
            "0.5",
            "--patterns",
            text.toString(),
            "--out",
            viaBlock.toString());
    assertEquals(0, r.status(), r.toString());
    assertArrayEquals(Files.readAllBytes(viaBlock), Files.readAllBytes(model));
    // a second file: the block path, P patterns after P (a copy: one file given twice is refused)
    Path twice = tmp.resolve("twice.npz");
    Path copy = Files.copy(patterns, tmp.resolve("copy.npy"));
    r =
        ToolRun.run(
            "train",
            "-q",
            "--memory",
            "modern",
            "--patterns",
            patterns.toString(),
            "--patterns",
            copy.toString(),
            "--out",
            twice.toString());
    assertEquals(0, r.status(), r.toString());
    ModernHopfieldMemory m = (ModernHopfieldMemory) ModelFile.readMemory(twice);
    assertEquals(2 * P, m.size());
    assertArrayEquals(java.util.Arrays.copyOfRange(x, 0, N), m.pattern(P));
    float[] big = x.clone();
    big[2 * N] = 3e38f;
    big[2 * N + 1] = 3e38f;
    Path bad = tmp.resolve("big.npy");
    Npy.write(bad, NdArray.ofFloats(big, P, N));
    r =
        ToolRun.run(
            "train",
            "--memory",
            "modern",
            "--patterns",
            bad.toString(),
            "--out",
            tmp.resolve("no.npz").toString());
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().startsWith("engram: " + bad + ": pattern 2 has squared norm"), r.err());
    assertFalse(Files.exists(tmp.resolve("no.npz")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Path f) throws IOException {
    return (Map<String, Object>) Json.parse(Files.readString(f));
  }

  /** Patterns {@code rows} of X, row-major. */
  private float[] rowsOf(int... rows) {
    float[] out = new float[rows.length * N];
    for (int j = 0; j < rows.length; j++) {
      System.arraycopy(x, rows[j] * N, out, j * N, N);
    }
    return out;
  }

  @Test
  void trainRemovesStoredPatternsByIndex() throws IOException {
    // the modern counterpart of unlearning, from the command line: --remove with --init, alone or
    // before new patterns are stored (the library's remove had no command)
    Path less = tmp.resolve("less.npz");
    ToolRun.Result r =
        ToolRun.run(
            "train",
            "--init",
            model.toString(),
            "--remove",
            "3,0",
            "--remove",
            "29",
            "--out",
            less.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(
        r.out().startsWith("removed 3 patterns from modern memory (softmax, β = 0.5); P = 27"),
        r.out());
    int[] kept = new int[P - 3];
    for (int k = 0, j = 0; k < P; k++) {
      if (k != 0 && k != 3 && k != 29) {
        kept[j++] = k;
      }
    }
    ModernHopfieldMemory m = (ModernHopfieldMemory) ModelFile.readMemory(less);
    assertArrayEquals(rowsOf(kept), m.toArray(), "the patterns kept, in order");
    assertEquals(0.5f, m.beta());
    // a cue of a removed pattern no longer finds it; a kept one still does, under its new index
    Path cues = tmp.resolve("cues.npy");
    Npy.write(cues, NdArray.ofFloats(rowsOf(3, 4), 2, N));
    Path report = tmp.resolve("rm.json");
    assertEquals(
        0,
        ToolRun.run(
                "recall",
                "-q",
                "--model",
                less.toString(),
                "--queries",
                cues.toString(),
                "--out",
                tmp.resolve("rm.npy").toString(),
                "--report",
                report.toString())
            .status());
    List<?> qs = (List<?>) json(report).get("queries");
    assertEquals(2L, ((Map<?, ?>) qs.get(1)).get("best"), "pattern 4 is now pattern 2");
    float[] states = Npy.read(tmp.resolve("rm.npy")).toFloatArray();
    assertFalse(
        java.util.Arrays.equals(rowsOf(3), java.util.Arrays.copyOf(states, N)),
        "the removed pattern is not recalled");

    // removed first, then the new patterns appended, in one call written over its --init
    Path more = tmp.resolve("more.npy");
    Npy.write(more, NdArray.ofFloats(rowsOf(0, 3), 2, N));
    r =
        ToolRun.run(
            "train",
            "--init",
            less.toString(),
            "--remove",
            "26",
            "--patterns",
            more.toString(),
            "--out",
            less.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().startsWith("removed 1 pattern, stored 2 patterns of length"), r.out());
    int[] again = java.util.Arrays.copyOf(kept, kept.length + 1);
    again[kept.length - 1] = 0;
    again[kept.length] = 3;
    assertArrayEquals(rowsOf(again), ((ModernHopfieldMemory) ModelFile.readMemory(less)).toArray());

    // refused, nothing written or changed (the --init model given as --out too)
    String lessName = less.toString();
    assertUserError(
        "--remove 28: " + lessName + " stores 28 patterns, numbered 0 to 27",
        "train",
        "--init",
        lessName,
        "--remove",
        "1,28",
        "--out",
        lessName);
    assertUserError(
        "--remove -1: " + lessName + " stores 28 patterns",
        "train",
        "--init",
        lessName,
        "--remove",
        "-1",
        "--out",
        lessName);
    assertUserError(
        "--remove 2 is given twice",
        "train",
        "--init",
        lessName,
        "--remove",
        "2,5,2",
        "--out",
        lessName);
    assertUserError(
        "--remove forgets patterns stored in a model; give it with --init MODEL",
        "train",
        "--memory",
        "modern",
        "--patterns",
        patterns.toString(),
        "--remove",
        "1",
        "--out",
        tmp.resolve("new.npz").toString());
    Path classical = tmp.resolve("classical.npz");
    assertEquals(
        0,
        ToolRun.run("train", "-q", "--patterns", patterns.toString(), "--out", classical.toString())
            .status());
    assertUserError(
        "--remove forgets stored patterns of a modern memory; "
            + classical
            + " is a classical network, which keeps no patterns to remove: unlearn one by"
            + " training it with --rule anti-hebbian",
        "train",
        "--init",
        classical.toString(),
        "--remove",
        "1",
        "--out",
        classical.toString());
    assertUserError(
        "Missing required option: '--patterns=FILE'",
        "train",
        "--init",
        lessName,
        "--out",
        lessName);
    assertUserError(
        "--remove names no pattern index",
        "train",
        "--init",
        lessName,
        "--remove",
        ",",
        "--out",
        lessName);
    // every part a whole number: an empty one at the end was dropped ("1," removed pattern 1)
    String[][] parts = {{"1,x", "x"}, {"1,", ""}, {",1", ""}, {"1,,2", ""}, {"1, 2", " 2"}};
    for (String[] c : parts) {
      assertUserError(
          "--remove " + c[0] + ": '" + c[1] + "' is not a pattern index; give whole numbers",
          "train",
          "--init",
          lessName,
          "--remove",
          c[0],
          "--out",
          lessName);
    }
    // --remove alone reads no patterns: --size is named as resizing none, not "arrays"
    assertUserError(
        "--size 2x4 resizes --patterns images, but none are given; leave --size out",
        "train",
        "--init",
        lessName,
        "--remove",
        "1",
        "--size",
        "2x4",
        "--out",
        lessName);
  }

  @Test
  void theSummarySaysWhatTheRecallDid() throws IOException {
    // "0 converged within 1 step" was the summary of every successful one-step retrieval
    String[][] cases = {
      {"1", "recalled 30 queries of N = 64: one retrieval step each; states written to "},
      {"0", "recalled 30 queries of N = 64: no step (--iterations 0): the cues as they are;"},
      {"3", " converged (reached a fixed point) within 3 steps; states written to "},
    };
    for (String[] c : cases) {
      ToolRun.Result r =
          ToolRun.run(
              "recall",
              "--model",
              model.toString(),
              "--queries",
              queries.toString(),
              "--out",
              tmp.resolve("s.npy").toString(),
              "--iterations",
              c[0]);
      assertEquals(0, r.status(), r.toString());
      assertTrue(r.out().contains(c[1]), r.out());
    }
    Path classical = tmp.resolve("c.npz");
    assertEquals(
        0,
        ToolRun.run("train", "-q", "--patterns", patterns.toString(), "--out", classical.toString())
            .status());
    ToolRun.Result r =
        ToolRun.run(
            "recall",
            "--model",
            classical.toString(),
            "--queries",
            queries.toString(),
            "--out",
            tmp.resolve("s.npy").toString());
    assertTrue(
        r.out()
            .matches(
                "(?s)recalled 30 queries of N = 64: \\d+ converged \\(reached a fixed point\\)"
                    + " within 20 steps; states written to .*"),
        r.out());
  }

  @Test
  void recallWithoutStepsReportsTheCuesOwnBestMatches() throws IOException {
    // --iterations 0 returns the cues as they are; the report had neither "best" nor "weight"
    // (DESIGN: per query) and --top-k was refused: now they are the cue's own weights, those of
    // the step that --iterations 1 runs from it
    Path zero = tmp.resolve("zero.json");
    Path one = tmp.resolve("one.json");
    Path out = tmp.resolve("z.npy");
    for (String[] run :
        new String[][] {{"0", zero.toString(), out.toString()}, {"1", one.toString(), "o.npy"}}) {
      ToolRun.Result r =
          ToolRun.run(
              "recall",
              "-q",
              "--model",
              model.toString(),
              "--queries",
              queries.toString(),
              "--out",
              tmp.resolve(run[2]).toString(),
              "--report",
              run[1],
              "--iterations",
              run[0],
              "--top-k",
              "2");
      assertEquals(0, r.status(), r.toString());
    }
    assertArrayEquals(
        Npy.read(queries).toFloatArray(), Npy.read(out).toFloatArray(), "the cues, unchanged");
    List<?> zq = (List<?>) json(zero).get("queries");
    List<?> oq = (List<?>) json(one).get("queries");
    assertEquals(P, zq.size());
    for (int k = 0; k < P; k++) {
      Map<?, ?> z = (Map<?, ?>) zq.get(k);
      Map<?, ?> o = (Map<?, ?>) oq.get(k);
      assertEquals(0L, z.get("steps"), z.toString());
      assertEquals((long) k, z.get("best"), z.toString());
      assertEquals(o.get("best"), z.get("best"));
      assertEquals(o.get("weight"), z.get("weight"));
      assertEquals(o.get("matches"), z.get("matches"));
      assertEquals(2, ((List<?>) z.get("matches")).size(), z.toString());
    }
  }

  @Test
  void recallRetrievesInOneStepAndReportsTheBestMatch() throws IOException {
    Path out = tmp.resolve("r.npy");
    Path report = tmp.resolve("r.json");
    ToolRun.Result r =
        ToolRun.run(
            "recall",
            "--model",
            model.toString(),
            "--queries",
            queries.toString(),
            "--out",
            out.toString(),
            "--report",
            report.toString(),
            "--top-k",
            "3");
    assertEquals(0, r.status(), r.toString());
    float[] states = Npy.read(out).toFloatArray();
    for (int i = 0; i < states.length; i++) {
      assertEquals(x[i], states[i], 0.02, "value " + i);
    }
    Map<String, Object> rep = json(report);
    assertEquals("modern", rep.get("memory"));
    assertEquals(1L, rep.get("iterations"));
    List<?> qs = (List<?>) rep.get("queries");
    assertEquals(P, qs.size());
    for (int k = 0; k < P; k++) {
      Map<?, ?> e = (Map<?, ?>) qs.get(k);
      assertEquals(1L, e.get("steps"));
      assertEquals((long) k, e.get("best"));
      assertTrue(((Number) e.get("weight")).doubleValue() > 0.99, e.toString());
      List<?> ms = (List<?>) e.get("matches");
      assertEquals(3, ms.size());
      assertEquals((long) k, ((Map<?, ?>) ms.get(0)).get("index"));
      assertTrue(Double.isFinite(((Number) e.get("energy")).doubleValue()), e.toString());
    }
    // without a report no energy is computed (no output shows one): the same states
    Path bare = tmp.resolve("bare.npy");
    assertEquals(
        0,
        ToolRun.run(
                "recall",
                "--model",
                model.toString(),
                "--queries",
                queries.toString(),
                "--out",
                bare.toString())
            .status());
    assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(bare));
  }

  @Test
  void trainAppendsWithInitAndInspectShowsTheKind() throws IOException {
    ToolRun.Result r =
        ToolRun.run(
            "train",
            "--patterns",
            patterns.toString(),
            "--init",
            model.toString(),
            "--out",
            model.toString(),
            "-q");
    assertEquals(0, r.status(), r.toString());
    ModernHopfieldMemory m = (ModernHopfieldMemory) ModelFile.readMemory(model);
    assertEquals(2 * P, m.size());
    assertEquals(0.5f, m.beta());

    ToolRun.Result text = ToolRun.run("inspect", model.toString());
    assertEquals(0, text.status(), text.toString());
    assertTrue(text.out().contains("modern"), text.out());
    assertTrue(text.out().contains("softmax, beta = 0.5"), text.out());
    // numbers to 6 significant digits, as for the classical network: beta 0.1 is the float
    // 0.10000000149011612, which was printed so
    Path tenth = tmp.resolve("tenth.npz");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "-q",
                "--memory",
                "modern",
                "--beta",
                "0.1",
                "--patterns",
                patterns.toString(),
                "--out",
                tenth.toString())
            .status());
    String t = ToolRun.run("inspect", tenth.toString()).out();
    assertTrue(t.contains("softmax, beta = 0.1" + System.lineSeparator()), t);
    assertTrue(text.out().contains("stored patterns    60"), text.out());
    ToolRun.Result js =
        ToolRun.run("inspect", model.toString(), "--json", "--patterns", patterns.toString());
    assertEquals(0, js.status(), js.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> d = (Map<String, Object>) Json.parse(js.out());
    assertEquals("modern", d.get("memory"));
    assertEquals((long) N, d.get("num_neurons"));
    assertEquals(60L, d.get("stored_patterns"));
    assertEquals("softmax", d.get("separation"));
    assertEquals(0.5, ((Number) d.get("beta")).doubleValue());
    assertEquals(P, ((List<?>) d.get("best_matches")).size());
  }

  /**
   * Patterns of magnitude 1e-30 (their scores underflow float32, so one step returns their mean, as
   * float64 does at any β: β s stays below 1e-27) are not fixed points, and inspect says so; the
   * same patterns at scale 1 with a large β are. The bound was 1e-3 in absolute terms for patterns
   * below 1, so inspect called every tiny pattern a fixed point.
   */
  @Test
  void inspectCountsFixedPointsOfTinyPatternsAtTheirOwnScale() throws IOException {
    float[] tiny = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      tiny[i] = x[i] * 1e-30f;
    }
    Path small = tmp.resolve("tiny.npy");
    Npy.write(small, NdArray.ofFloats(tiny, P, N));
    for (String[] c : new String[][] {{small.toString(), "0"}, {patterns.toString(), "30"}}) {
      Path m = tmp.resolve("m.npz");
      ToolRun.Result t =
          ToolRun.run(
              "train",
              "--memory",
              "modern",
              "--beta",
              "1e30",
              "--patterns",
              c[0],
              "--out",
              m.toString());
      assertEquals(0, t.status(), t.toString());
      ToolRun.Result r = ToolRun.run("inspect", m.toString(), "--json", "--patterns", c[0]);
      assertEquals(0, r.status(), r.toString());
      Map<?, ?> d = (Map<?, ?>) Json.parse(r.out());
      assertEquals(Long.parseLong(c[1]), d.get("patterns_that_are_fixed_points"), c[0]);
    }
  }

  @Test
  void rowsReadForTheMemoryAloneBecomeItsPatternsWithoutACopy() {
    // what train does with a pattern file of more than 2 GiB (read into an array of its own): the
    // new memory keeps that array as X, so it needs one array of X's size, not two
    float[] owned = x.clone();
    ModernTraining.Rows rows =
        new ModernTraining.Rows(java.nio.FloatBuffer.wrap(owned), P, N, patterns, owned);
    ModernHopfieldMemory empty = ModernHopfieldMemory.of(N, Separation.SOFTMAX, 0.5f, 0);
    ModernHopfieldMemory m = rows.storeIn(empty);
    assertEquals(P, m.size());
    assertEquals(0.5f, m.beta());
    assertArrayEquals(java.util.Arrays.copyOf(x, N), m.pattern(0));
    owned[0] = -owned[0]; // the memory's X is that array
    assertEquals(owned[0], m.pattern(0)[0]);
    // a memory that already holds patterns appends a copy, as before
    ModernHopfieldMemory two = rows.storeIn(m);
    assertEquals(2 * P, two.size());
    // a bad pattern is named with its file
    float[] bad = x.clone();
    bad[N + 3] = Float.NaN;
    UserError e =
        assertThrows(
            UserError.class,
            () ->
                new ModernTraining.Rows(java.nio.FloatBuffer.wrap(bad), P, N, patterns, bad)
                    .storeIn(ModernHopfieldMemory.of(N, Separation.SOFTMAX, 0.5f, 0)));
    assertTrue(
        e.getMessage().startsWith(patterns + ": pattern 1 has a non-finite value"), e.getMessage());
  }

  @Test
  void patternEnergiesBeyondFloat32AreNumbers() throws IOException {
    // F(x) = x^30 of an overlap of 64 is 1.5e54, beyond float32: energies in float64
    Path m = tmp.resolve("deg30.npz");
    ToolRun.Result t =
        ToolRun.run(
            "train",
            "--memory",
            "modern",
            "--separation",
            "polynomial",
            "--degree",
            "30",
            "--patterns",
            patterns.toString(),
            "--out",
            m.toString(),
            "-q");
    assertEquals(0, t.status(), t.toString());
    ToolRun.Result r = ToolRun.run("inspect", m.toString(), "--patterns", patterns.toString());
    assertEquals(0, r.status(), r.toString());
    // a stored pattern's energy: -(64^30 + the others' overlaps^30), 64^30 = 1.5325e54
    assertTrue(r.out().contains("pattern energies   mean -1.5325e+54, std "), r.out());
    assertFalse(r.out().contains("NaN") || r.out().contains("Infinity"), r.out());
    // and recall reports them: a number, not null (a float32 energy was -Infinity)
    Path report = tmp.resolve("deg30.json");
    ToolRun.Result rc =
        ToolRun.run(
            "recall",
            "--model",
            m.toString(),
            "--queries",
            patterns.toString(),
            "--out",
            tmp.resolve("deg30.npy").toString(),
            "--report",
            report.toString(),
            "-q");
    assertEquals(0, rc.status(), rc.toString());
    String json = Files.readString(report);
    assertFalse(json.contains("\"energy\": null"), json);
    assertTrue(json.contains("\"energy\": -1.53"), json);
    // the theory's capacity as a whole number while it is one (N = 64, n = 30: 5.8e12)
    assertTrue(r.out().contains("capacity           about 5813660216638 random"), r.out());
  }

  @Test
  void defaultsAndSeparations() throws IOException {
    Path m = tmp.resolve("d.npz");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "--memory",
                "modern",
                "--patterns",
                patterns.toString(),
                "--out",
                m.toString())
            .status());
    ModernHopfieldMemory d = (ModernHopfieldMemory) ModelFile.readMemory(m);
    assertEquals(Separation.SOFTMAX, d.separation());
    assertEquals(1 / 8f, d.beta()); // 1/sqrt(64)
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "--memory",
                "modern",
                "--separation",
                "polynomial",
                "--patterns",
                patterns.toString(),
                "--out",
                m.toString())
            .status());
    d = (ModernHopfieldMemory) ModelFile.readMemory(m);
    assertEquals(Separation.POLYNOMIAL, d.separation());
    assertEquals(3, d.degree());
    Path out = tmp.resolve("b.npy");
    ToolRun.Result r =
        ToolRun.run(
            "recall",
            "--model",
            m.toString(),
            "--queries",
            queries.toString(),
            "--out",
            out.toString(),
            "--iterations",
            "10");
    assertEquals(0, r.status(), r.toString());
    assertArrayEquals(x, Npy.read(out).toFloatArray());
  }

  private void assertUserError(String expected, String... args) throws IOException {
    Map<String, String> before = new CliContractTest.Set(tmp).files;
    ToolRun.Result r = ToolRun.run(args);
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().startsWith("engram: "), r.toString());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r);
    assertFalse(r.err().contains("\tat "), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertEquals(before, new CliContractTest.Set(tmp).files, "a failed command changed files");
  }

  @Test
  void optionsOfTheOtherKindAreErrorsNamingTheOption() throws IOException {
    String p = patterns.toString();
    String o = tmp.resolve("new.npz").toString();
    assertUserError(
        "--rule does not apply to modern memory",
        "train",
        "--memory",
        "modern",
        "--rule",
        "hebbian",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--activation does not apply to modern memory",
        "train",
        "--memory",
        "modern",
        "--activation",
        "tanh",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--weights does not apply to modern memory",
        "train",
        "--patterns",
        p,
        "--init",
        model.toString(),
        "--weights",
        "dense",
        "--out",
        o);
    assertUserError(
        "--beta does not apply to the classical network",
        "train",
        "--beta",
        "2",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--separation does not apply to the classical network",
        "train",
        "--memory",
        "classical",
        "--separation",
        "exp",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--degree does not apply to --separation softmax",
        "train",
        "--memory",
        "modern",
        "--degree",
        "3",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--beta does not apply to --separation rectified",
        "train",
        "--memory",
        "modern",
        "--separation",
        "rectified",
        "--beta",
        "1",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--separation must be softmax, polynomial, rectified or exp, got 'relu'",
        "train",
        "--memory",
        "modern",
        "--separation",
        "relu",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--memory must be classical or modern, got 'quantum'",
        "train",
        "--memory",
        "quantum",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--beta must be a finite number > 0, got -1.0",
        "train",
        "--memory",
        "modern",
        "--beta",
        "-1",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--beta 1.0E-300 is outside float32, in which the memory computes: give a value from 1.4E-45 to 3.4028235E38",
        "train",
        "--memory",
        "modern",
        "--beta",
        "1e-300",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--beta 3.5E38 is outside float32, in which the memory computes: give a value from 1.4E-45 to 3.4028235E38",
        "train",
        "--memory",
        "modern",
        "--beta",
        "3.5e38",
        "--patterns",
        p,
        "--out",
        o);
    // in float32, but β times a stored pattern's score with itself is not: nothing could be
    // recalled
    assertUserError(
        "--beta 3.0E38 is too large for these patterns: times the score of the largest stored pattern with itself",
        "train",
        "--memory",
        "modern",
        "--beta",
        "3e38",
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "is a modern memory, but --memory classical was given",
        "train",
        "--memory",
        "classical",
        "--init",
        model.toString(),
        "--patterns",
        p,
        "--out",
        o);
    assertUserError(
        "--activation does not apply to modern memory",
        "recall",
        "--model",
        model.toString(),
        "--queries",
        queries.toString(),
        "--out",
        tmp.resolve("r.npy").toString(),
        "--activation",
        "tanh");
    assertUserError(
        "needs ±1 values",
        "train",
        "--memory",
        "modern",
        "--separation",
        "exp",
        "--patterns",
        writeRows("half.npy", 0.5f),
        "--out",
        o);
    assertUserError(
        "has no weight matrix to export",
        "export",
        "--model",
        model.toString(),
        "--weights",
        tmp.resolve("W.npy").toString());
    assertUserError(
        "--heatmap draws a weight matrix",
        "inspect",
        model.toString(),
        "--heatmap",
        tmp.resolve("h.png").toString());

    Path classical = tmp.resolve("classical.npz");
    assertEquals(0, ToolRun.run("train", "--patterns", p, "--out", classical.toString()).status());
    assertUserError(
        "--top-k does not apply to a classical network",
        "recall",
        "--model",
        classical.toString(),
        "--queries",
        queries.toString(),
        "--out",
        tmp.resolve("r.npy").toString(),
        "--top-k",
        "2");
    // the matches are in the report only: without one, --top-k changed nothing, without a word
    assertUserError(
        "--top-k lists the best matches in the report; give --report FILE.json too",
        "recall",
        "--model",
        model.toString(),
        "--queries",
        queries.toString(),
        "--out",
        tmp.resolve("r.npy").toString(),
        "--top-k",
        "2");
    // a polynomial memory's cue or pattern that is not +-1: the file and the row are named (the
    // memory's message said "query 0" without the file, also for inspect's patterns)
    Path poly = tmp.resolve("poly.npz");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "-q",
                "--memory",
                "modern",
                "--separation",
                "polynomial",
                "--patterns",
                patterns.toString(),
                "--out",
                poly.toString())
            .status());
    String half = writeRows("halves.npy", 0.5f);
    assertUserError(
        half + ": query 0 has the value 0.5 at index 0; polynomial separation needs ±1 values",
        "recall",
        "--model",
        poly.toString(),
        "--queries",
        half,
        "--out",
        tmp.resolve("r.npy").toString());
    assertUserError(
        half + ": pattern 0 has the value 0.5 at index 0; polynomial separation needs ±1 values",
        "inspect",
        poly.toString(),
        "--patterns",
        half);
  }

  private String writeRows(String name, float value) throws IOException {
    Path f = tmp.resolve(name);
    float[] v = new float[2 * N];
    java.util.Arrays.fill(v, value);
    Npy.write(f, NdArray.ofFloats(v, 2, N));
    return f.toString();
  }

  /**
   * The real-image case end to end: 20 line drawings as PNG files, cues with 20% of the pixels
   * flipped by {@code engram corrupt}; the classical network recalls none, modern memory all (its
   * report names the right drawing for every cue).
   */
  @Test
  void imagesInAndOutWhereHebbFails() throws IOException {
    Path images = tmp.resolve("drawings");
    Files.createDirectory(images);
    for (int k = 0; k < 20; k++) {
      File f = images.resolve(String.format("d%02d.png", k)).toFile();
      ImageIO.write(DrawnImages.image(k, 32), "png", f);
    }
    Path noisy = tmp.resolve("noisy");
    String[] common = {"--patterns", images.toString(), "-q"};
    assertEquals(
        0,
        ToolRun.run(
                "corrupt",
                "--patterns",
                images.toString(),
                "--flip",
                "0.2",
                "--seed",
                "3",
                "--out",
                noisy + "/",
                "-q")
            .status());
    Path modern = tmp.resolve("m.npz");
    Path hebb = tmp.resolve("h.npz");
    assertEquals(
        0,
        ToolRun.run(concat(common, "train", "--memory", "modern", "--out", modern.toString()))
            .status());
    assertEquals(0, ToolRun.run(concat(common, "train", "--out", hebb.toString())).status());
    Path rm = tmp.resolve("rm.json");
    Path grid = tmp.resolve("grid.png");
    ToolRun.Result r =
        ToolRun.run(
            "recall",
            "--model",
            modern.toString(),
            "--queries",
            noisy.toString(),
            "--out",
            tmp.resolve("out-m") + "/",
            "--report",
            rm.toString(),
            "--grid",
            grid.toString(),
            "--stored",
            images.toString(),
            "-q");
    assertEquals(0, r.status(), r.toString());
    assertTrue(Files.size(grid) > 1000);
    List<?> qs = (List<?>) json(rm).get("queries");
    for (int k = 0; k < 20; k++) {
      assertEquals((long) k, ((Map<?, ?>) qs.get(k)).get("best"), "cue " + k);
    }
    Path outM = tmp.resolve("m.npy");
    Path outH = tmp.resolve("h.npy");
    assertEquals(
        0,
        ToolRun.run(
                "recall",
                "--model",
                modern.toString(),
                "--queries",
                noisy.toString(),
                "--out",
                outM.toString(),
                "-q")
            .status());
    assertEquals(
        0,
        ToolRun.run(
                "recall",
                "--model",
                hebb.toString(),
                "--queries",
                noisy.toString(),
                "--out",
                outH.toString(),
                "-q")
            .status());
    float[][] s = Inputs.rows(Inputs.read(List.of(images), null, Progress.none()).block());
    float[] m = Npy.read(outM).toFloatArray();
    float[] h = Npy.read(outH).toFloatArray();
    int modernOk = 0;
    int hebbOk = 0;
    for (int k = 0; k < 20; k++) {
      boolean mk = true;
      boolean hk = true;
      for (int i = 0; i < s[k].length; i++) {
        mk &= Math.signum(m[k * s[k].length + i]) == s[k][i];
        hk &= h[k * s[k].length + i] == s[k][i];
      }
      modernOk += mk ? 1 : 0;
      hebbOk += hk ? 1 : 0;
    }
    assertEquals(1024, s[0].length);
    assertEquals(20, modernOk);
    assertEquals(0, hebbOk);
  }

  private static String[] concat(String[] tail, String... head) {
    String[] all = new String[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  /** numpy reads X and β from the model file and computes the same retrieval. */
  @Test
  void numpyComputesTheSameRetrievalFromTheModelFile() throws Exception {
    assumeTrue(haveNumpy(), "python3 with numpy not found");
    Path out = tmp.resolve("r.npy");
    assertEquals(
        0,
        ToolRun.run(
                "recall",
                "--model",
                model.toString(),
                "--queries",
                queries.toString(),
                "--out",
                out.toString(),
                "-q")
            .status());
    String script =
        String.join(
            "\n",
            "import json, sys, numpy as np",
            "m = np.load(sys.argv[1])",
            "meta = json.loads(bytes(m['meta.json']).decode())",
            "assert meta['memory'] == 'modern' and meta['separation'] == 'softmax', meta",
            "X = m['X']; q = np.load(sys.argv[2]); r = np.load(sys.argv[3])",
            "assert X.dtype == np.float32 and X.shape == (meta['num_patterns'], meta['num_neurons'])",
            "s = np.float32(meta['beta']) * (q @ X.T)",
            "w = np.exp(s - s.max(axis=1, keepdims=True)); w /= w.sum(axis=1, keepdims=True)",
            "err = np.abs(w @ X - r).max()",
            "assert err < 1e-5, err",
            "print('ok')");
    Path py = tmp.resolve("check.py");
    Files.writeString(py, script);
    Process proc =
        new ProcessBuilder(
                "python3", py.toString(), model.toString(), queries.toString(), out.toString())
            .redirectErrorStream(true)
            .start();
    String text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, proc.exitValue(), text);
    assertEquals("ok", text.strip());
  }

  private static boolean haveNumpy() {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * inspect --patterns takes the energies of many patterns from one scan per batch: each is the
   * memory's energy of that pattern alone, past one batch, for softmax (float32) and a polynomial
   * separation (float64).
   */
  @Test
  void inspect_energies_are_each_patterns_own() throws IOException {
    SplittableRandom r = new SplittableRandom(12);
    int p = ModernInspect.ENERGY_BATCH + 77;
    int n = 24;
    float[] x = new float[p * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextBoolean() ? 1 : -1;
    }
    Path given = tmp.resolve("given.npy");
    Npy.write(given, NdArray.ofFloats(x, p, n));
    Path stored = tmp.resolve("stored.npy");
    Npy.write(stored, NdArray.ofFloats(java.util.Arrays.copyOf(x, 40 * n), 40, n));
    for (String[] kind :
        new String[][] {{"--beta", "0.5"}, {"--separation", "polynomial", "--degree", "3"}}) {
      Path model = tmp.resolve("m" + kind.length + ".npz");
      List<String> train =
          new java.util.ArrayList<>(
              List.of(
                  "train",
                  "--memory",
                  "modern",
                  "--patterns",
                  stored.toString(),
                  "--out",
                  model.toString()));
      train.addAll(List.of(kind));
      ToolRun.Result t = ToolRun.run(train.toArray(new String[0]));
      assertEquals(0, t.status(), t.toString());
      ToolRun.Result j =
          ToolRun.run("inspect", model.toString(), "--patterns", given.toString(), "--json");
      assertEquals(0, j.status(), j.toString());
      @SuppressWarnings("unchecked")
      List<?> energies =
          (List<?>) ((Map<String, Object>) Json.parse(j.out())).get("pattern_energies");
      ModernHopfieldMemory m = (ModernHopfieldMemory) ModelFile.readMemory(model);
      assertEquals(p, energies.size());
      for (int k = 0; k < p; k++) {
        double e = m.energy(java.util.Arrays.copyOfRange(x, k * n, (k + 1) * n));
        // JSON writes a float32 energy's shortest decimal, a float64 one's
        double got = ((Number) energies.get(k)).doubleValue();
        assertEquals(
            kind.length == 2 ? (float) e : e,
            kind.length == 2 ? (float) got : got,
            0.0,
            String.join(" ", kind) + " pattern " + k);
      }
    }
  }
}
