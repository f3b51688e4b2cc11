package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.internal.Json;
import io.engram.io.ModelFile;
import io.engram.io.NdArray;
import io.engram.io.Npy;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.weights.DenseWeights;
import io.engram.weights.ProjectionWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engram train --rule pseudo-inverse|storkey}: successive calls, the options that apply to
 * each rule (and exit 2 for those that do not), which models each rule continues, and {@code
 * inspect} / {@code export} of the results.
 */
class TrainRulesTest {

  @TempDir Path tmp;
  Path a;
  Path b;
  Path all;
  float[] xa;
  float[] xb;

  private static final int N = 48;

  private Path write(String name, float[] x, int p) throws IOException {
    Path f = tmp.resolve(name);
    Npy.write(f, NdArray.ofFloats(x, p, N));
    return f;
  }

  private static float[] bipolar(SplittableRandom r, int p) {
    float[] x = new float[p * N];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextBoolean() ? 1 : -1;
    }
    return x;
  }

  @BeforeEach
  void setUp() throws IOException {
    SplittableRandom r = new SplittableRandom(17);
    xa = bipolar(r, 6);
    xb = bipolar(r, 4);
    a = write("a.npy", xa, 6);
    b = write("b.npy", xb, 4);
    float[] x = new float[10 * N];
    System.arraycopy(xa, 0, x, 0, xa.length);
    System.arraycopy(xb, 0, x, xa.length, xb.length);
    all = write("all.npy", x, 10);
  }

  private static ToolRun.Result ok(String... args) {
    ToolRun.Result r = ToolRun.run(args);
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  private static float[] weights(Path model) throws IOException {
    return ModelFile.read(model).weightMatrix();
  }

  /**
   * Patterns whose values are all equal (all +1: rho = 1) are centred to zeros by --subtract-mean:
   * the call trains nothing (W stays 0), which train now says on one warning line, and stores them
   * with --subtract-mean false; a set with both signs gives no warning.
   */
  @Test
  void patternsCentredToZerosAreNamedInAWarning() throws IOException {
    float[] ones = new float[3 * N];
    java.util.Arrays.fill(ones, 1f);
    Path constant = write("ones.npy", ones, 3);
    Path m = tmp.resolve("m.npz");
    for (String rule : new String[] {"hebbian", "anti-hebbian"}) {
      ToolRun.Result r =
          ToolRun.run("train", "--rule", rule, "--patterns", constant.toString(), "--out", "" + m);
      assertEquals(0, r.status(), r.toString());
      assertEquals(
          "engram: warning: every value of the patterns is 1.0, so --subtract-mean (rho = 1.0)"
              + " leaves them all zero: this call changes no weight; --subtract-mean false stores"
              + " them",
          r.err().strip());
      AmariHopfieldNetwork net = ModelFile.read(m);
      assertArrayEquals(new float[N * N], net.weightMatrix());
    }
    ToolRun.Result kept =
        ToolRun.run(
            "train", "--subtract-mean", "false", "--patterns", "" + constant, "--out", "" + m);
    assertEquals(0, kept.status(), kept.toString());
    assertEquals("", kept.err());
    assertEquals(1f, ModelFile.read(m).weightMatrix()[1], 1e-6f);
    ToolRun.Result mixed = ToolRun.run("train", "--patterns", "" + a, "--out", "" + m);
    assertEquals("", mixed.err());
  }

  @Test
  void pseudoInverseWithInitEqualsOneCallInBothForms() throws IOException {
    for (String form : new String[] {"auto", "dense"}) {
      Path once = tmp.resolve(form + "-once.npz");
      Path twice = tmp.resolve(form + "-twice.npz");
      ok(
          "train",
          "--patterns",
          all.toString(),
          "--rule",
          "pseudo-inverse",
          "--weights",
          form,
          "--out",
          once.toString(),
          "-q");
      ok(
          "train",
          "--patterns",
          a.toString(),
          "--rule",
          "pseudo-inverse",
          "--weights",
          form,
          "--out",
          twice.toString(),
          "-q");
      ToolRun.Result r =
          ok(
              "train",
              "--patterns",
              b.toString(),
              "--init",
              twice.toString(),
              "--rule",
              "pseudo-inverse",
              "--out",
              twice.toString());
      assertTrue(r.out().contains("effective rank 10 (at most N)"), r.out());
      float[] w1 = weights(once);
      float[] w2 = weights(twice);
      for (int i = 0; i < w1.length; i++) {
        assertEquals(w1[i], w2[i], 1e-5, form + " " + i);
      }
      AmariHopfieldNetwork net = ModelFile.read(twice);
      assertTrue(
          form.equals("dense")
              ? net.weights() instanceof DenseWeights d && d.isProjection()
              : net.weights() instanceof ProjectionWeights,
          form);
    }
  }

  @Test
  void inspectShowsTheRuleItsOptionsAndTheRankAndExportGivesDenseW() throws IOException {
    Path m = tmp.resolve("m.npz");
    ok(
        "train",
        "--patterns",
        a.toString(),
        "--rule",
        "pseudo-inverse",
        "--ridge",
        "0.5",
        "--zero-diagonal",
        "false",
        "--out",
        m.toString(),
        "-q");
    ToolRun.Result t = ok("inspect", m.toString(), "--patterns", a.toString());
    String o = t.out();
    assertTrue(o.contains("weights            projection"), o);
    assertTrue(o.contains("pseudo-inverse") && o.contains("P = 6"), o);
    // the history's options, however inspect words them
    assertTrue(o.contains("zero_diagonal=false") || o.contains("no zero diagonal"), o);
    assertTrue(o.matches("(?s).*ridge[ =]0\\.5.*"), o);
    assertTrue(o.matches("(?s).*effective[ _]rank[ =]6\\b.*"), o);
    assertTrue(o.contains("6 of 6 patterns are fixed points"), o);
    @SuppressWarnings("unchecked")
    Map<String, Object> j =
        (Map<String, Object>) Json.parse(ok("inspect", m.toString(), "--json").out());
    assertEquals(6L, j.get("rank"));
    @SuppressWarnings("unchecked")
    Map<String, Object> call = (Map<String, Object>) ((List<Object>) j.get("history")).get(0);
    assertEquals("pseudo-inverse", call.get("rule"));
    // the capacity is the rule's: up to N independent patterns, not Hebb's 0.14 N
    assertEquals((long) N, j.get("capacity_estimate"));
    assertTrue(o.contains("capacity           about " + N + " patterns (N: every"), o);

    for (String rule : new String[] {"pseudo-inverse", "storkey"}) {
      Path model = tmp.resolve(rule + ".npz");
      Path w = tmp.resolve(rule + "-W.npy");
      ok("train", "--patterns", a.toString(), "--rule", rule, "--out", model.toString(), "-q");
      ok("export", "--model", model.toString(), "--weights", w.toString());
      @SuppressWarnings("unchecked")
      Map<String, Object> described =
          (Map<String, Object>) Json.parse(ok("inspect", model.toString(), "--json").out());
      assertEquals(
          rule.equals("storkey") ? Math.round(N / Math.sqrt(2 * Math.log(N))) : (long) N,
          described.get("capacity_estimate"),
          rule);
      NdArray exported = Npy.read(w);
      assertArrayEquals(new int[] {N, N}, exported.shape());
      assertArrayEquals(weights(model), exported.toFloatArray(), rule);
    }
  }

  @Test
  void storkeyContinuesWithInit() throws IOException {
    Path once = tmp.resolve("once.npz");
    Path twice = tmp.resolve("twice.npz");
    ok("train", "--patterns", all.toString(), "--rule", "storkey", "--out", once.toString(), "-q");
    ok("train", "--patterns", a.toString(), "--rule", "storkey", "--out", twice.toString(), "-q");
    ok(
        "train",
        "--patterns",
        b.toString(),
        "--init",
        twice.toString(),
        "--rule",
        "storkey",
        "--out",
        twice.toString(),
        "-q");
    assertArrayEquals(weights(once), weights(twice));
    assertEquals(2, ModelFile.read(twice).history().size());
  }

  /**
   * Without --rule, an --init model continues with its own rule where that is pseudo-inverse (with
   * its ridge) or Storkey's: the default was always hebbian, so a ridge model failed unless both
   * --rule and --ridge were repeated ("ridge 0.0 differs from the model's 0.5"), and a Storkey
   * model silently took Hebbian outer products (and train's line gave Hebb's capacity for it). A
   * model whose last call was anti-hebbian unlearning continues with hebbian, as before.
   */
  @Test
  void initContinuesWithTheModelsOwnRuleAndRidge() throws IOException {
    Path ridgeOnce = tmp.resolve("ridge-once.npz");
    Path ridge = tmp.resolve("ridge.npz");
    String[] pinv = {"--rule", "pseudo-inverse", "--ridge", "0.5", "-q"};
    ok(
        concat(
            new String[] {"train", "--patterns", all.toString(), "--out", ridgeOnce.toString()},
            pinv));
    ok(concat(new String[] {"train", "--patterns", a.toString(), "--out", ridge.toString()}, pinv));
    ok(
        "train",
        "--patterns",
        b.toString(),
        "--init",
        ridge.toString(),
        "--out",
        ridge.toString(),
        "-q");
    AmariHopfieldNetwork net = ModelFile.read(ridge);
    assertEquals("pseudo-inverse", net.history().get(1).rule());
    float[] w1 = weights(ridgeOnce);
    float[] w2 = net.weightMatrix();
    for (int i = 0; i < w1.length; i++) {
      assertEquals(w1[i], w2[i], 1e-5f, "W[" + i + "]");
    }
    // the same --ridge again is taken; another is refused naming both
    ok(
        "train",
        "--patterns",
        b.toString(),
        "--init",
        ridge.toString(),
        "--ridge",
        "0.5",
        "--out",
        tmp.resolve("r2.npz").toString(),
        "-q");
    rejected(
        "--ridge 0.25 differs from the ridge 0.5 of --init "
            + ridge
            + ", which keeps one ridge"
            + " for all its patterns",
        "train",
        "--patterns",
        b.toString(),
        "--init",
        ridge.toString(),
        "--ridge",
        "0.25",
        "--out",
        ridge.toString());
    // an option of another rule names the rule the model continues with
    rejected(
        "--subtract-mean does not apply to the pseudo-inverse rule, which the --init model"
            + " continues with (no --rule given): hebbian and anti-hebbian only",
        "train",
        "--patterns",
        b.toString(),
        "--init",
        ridge.toString(),
        "--subtract-mean",
        "false",
        "--out",
        ridge.toString());

    Path storkey = tmp.resolve("storkey.npz");
    ok("train", "--patterns", a.toString(), "--rule", "storkey", "--out", storkey.toString(), "-q");
    ToolRun.Result r =
        ok(
            "train",
            "--patterns",
            b.toString(),
            "--init",
            storkey.toString(),
            "--out",
            storkey.toString());
    // Storkey's capacity N / sqrt(2 ln N) = 17.25 for N = 48 (Hebb's 0.14 N is 6), as inspect says
    assertTrue(
        r.out().contains("stored with the storkey rule; N = 48, capacity about 17;"), r.toString());
    Path storkeyOnce = tmp.resolve("storkey-once.npz");
    ok(
        "train",
        "--patterns",
        all.toString(),
        "--rule",
        "storkey",
        "--out",
        storkeyOnce.toString(),
        "-q");
    assertArrayEquals(weights(storkeyOnce), weights(storkey));
    rejected(
        "--ridge does not apply to the storkey rule, which the --init model continues with (no"
            + " --rule given): pseudo-inverse only",
        "train",
        "--patterns",
        b.toString(),
        "--init",
        storkey.toString(),
        "--ridge",
        "1",
        "--out",
        storkey.toString());

    // after anti-hebbian unlearning, hebbian (the default) again
    Path hebb = tmp.resolve("hebb.npz");
    ok("train", "--patterns", all.toString(), "--out", hebb.toString(), "-q");
    ok(
        "train",
        "--patterns",
        b.toString(),
        "--init",
        hebb.toString(),
        "--rule",
        "anti-hebbian",
        "--out",
        hebb.toString(),
        "-q");
    ok(
        "train",
        "--patterns",
        b.toString(),
        "--init",
        hebb.toString(),
        "--out",
        hebb.toString(),
        "-q");
    List<String> rules = ModelFile.read(hebb).history().stream().map(h -> h.rule()).toList();
    assertEquals(List.of("hebbian", "anti-hebbian", "hebbian"), rules);
  }

  /**
   * {@code --rule pseudo-inverse} given again without {@code --ridge} continues a ridge model with
   * its ridge: a missing --ridge counted as 0 ("ridge 0.0 differs from the model's 0.5", exit 2),
   * so the rule could be repeated only with its ridge; the result is one call of all the patterns.
   */
  @Test
  void theRuleRepeatedWithoutItsRidgeContinuesWithTheModelsRidge() throws IOException {
    Path once = tmp.resolve("once.npz");
    Path twice = tmp.resolve("twice.npz");
    ok(
        "train",
        "--patterns",
        all.toString(),
        "--rule",
        "pseudo-inverse",
        "--ridge",
        "0.5",
        "--out",
        once.toString(),
        "-q");
    ok(
        "train",
        "--patterns",
        a.toString(),
        "--rule",
        "pseudo-inverse",
        "--ridge",
        "0.5",
        "--out",
        twice.toString(),
        "-q");
    ok(
        "train",
        "--patterns",
        b.toString(),
        "--init",
        twice.toString(),
        "--rule",
        "pseudo-inverse",
        "--out",
        twice.toString(),
        "-q");
    AmariHopfieldNetwork net = ModelFile.read(twice);
    assertEquals("0.5", net.history().get(1).options().get("ridge"));
    float[] w1 = weights(once);
    float[] w2 = net.weightMatrix();
    for (int i = 0; i < w1.length; i++) {
      assertEquals(w1[i], w2[i], 1e-5f, "W[" + i + "]");
    }
  }

  /**
   * The options a model's records keep and a call does not give are the model's: a Hebbian model
   * trained with --zero-diagonal false, --subtract-mean false and --normalize false continued by a
   * call without them is the model of one call with them (each was its default, true: the call
   * zeroed the diagonal the model kept, centred and normalised its own patterns); given, an option
   * applies to its call; --zero-diagonal carries over to a Storkey call on the same model.
   */
  @Test
  void initTakesTheOptionsTheModelKeeps() throws IOException {
    String[] raw = {"--subtract-mean", "false", "--zero-diagonal", "false", "--normalize", "false"};
    Path first = tmp.resolve("first.npz");
    ok(
        concat(
            new String[] {"train", "--patterns", a.toString(), "--out", first.toString(), "-q"},
            raw));
    Path kept = tmp.resolve("kept.npz");
    ok(
        "train",
        "--patterns",
        b.toString(),
        "--init",
        first.toString(),
        "--out",
        kept.toString(),
        "-q");
    Path repeated = tmp.resolve("repeated.npz");
    ok(
        concat(
            new String[] {
              "train",
              "--patterns",
              b.toString(),
              "--init",
              first.toString(),
              "--out",
              repeated.toString(),
              "-q"
            },
            raw));
    assertArrayEquals(weights(repeated), weights(kept));
    Map<String, String> second = ModelFile.read(kept).history().get(1).options();
    assertEquals("false", second.get("subtract_mean"));
    assertEquals("false", second.get("zero_diagonal"));
    assertEquals("false", second.get("normalize_by_patterns"));
    float[] w = weights(kept);
    assertTrue(w[0] != 0, "the diagonal is kept: W[0][0] = " + w[0]);
    // W = Σ x xᵀ over both calls, unnormalised and uncentred: W[0][0] = 10 patterns' x0² = 10
    assertEquals(10f, w[0]);
    // given, it applies to this call
    Path zeroed = tmp.resolve("zeroed.npz");
    ok(
        "train",
        "--patterns",
        b.toString(),
        "--init",
        first.toString(),
        "--zero-diagonal",
        "true",
        "--out",
        zeroed.toString(),
        "-q");
    assertEquals(0f, weights(zeroed)[0]);
    assertEquals("false", ModelFile.read(zeroed).history().get(1).options().get("subtract_mean"));
    // a Storkey call on the model keeps its diagonal too
    Path storkey = tmp.resolve("storkey.npz");
    ok(
        "train",
        "--patterns",
        b.toString(),
        "--init",
        first.toString(),
        "--rule",
        "storkey",
        "--out",
        storkey.toString(),
        "-q");
    assertEquals("false", ModelFile.read(storkey).history().get(1).options().get("zero_diagonal"));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /**
   * A Storkey network of one neuron: inspect failed (exit 2, "N must be >= 2 for a capacity in ln
   * N, got 1"), as Storkey's capacity N / sqrt(2 ln N) has no value at N = 1; one neuron holds one
   * pattern, as train's line and the Hebbian estimate say.
   */
  @Test
  void aStorkeyNetworkOfOneNeuronIsInspected() throws IOException {
    Path one = tmp.resolve("one.csv");
    Files.writeString(one, "1\n-1\n");
    Path m = tmp.resolve("one.npz");
    ok("train", "--patterns", one.toString(), "--rule", "storkey", "--out", m.toString(), "-q");
    ToolRun.Result r = ToolRun.run("inspect", m.toString(), "--patterns", one.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("neurons            1"), r::toString);
    r = ToolRun.run("inspect", m.toString(), "--json");
    assertEquals(0, r.status(), r::toString);
    Map<?, ?> json = (Map<?, ?>) Json.parse(r.out());
    assertEquals(1L, json.get("capacity_estimate"));
    // N = 2 keeps the formula: 2 / sqrt(2 ln 2) = 1.70, about 2
    Path two = tmp.resolve("two.csv");
    Files.writeString(two, "1,-1\n");
    Path m2 = tmp.resolve("two.npz");
    ok("train", "--patterns", two.toString(), "--rule", "storkey", "--out", m2.toString(), "-q");
    r = ToolRun.run("inspect", m2.toString(), "--json");
    assertEquals(0, r.status(), r::toString);
    assertEquals(2L, ((Map<?, ?>) Json.parse(r.out())).get("capacity_estimate"));
  }

  /** Exit 2, one line naming {@code expected}, and no file created or changed. */
  private void rejected(String expected, String... args) throws IOException {
    Map<String, String> before = ToolRun.snapshot(tmp);
    ToolRun.Result r = ToolRun.run(args);
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().startsWith("engram: "), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r.err());
    assertEquals(before, ToolRun.snapshot(tmp), "files changed by a failed command");
  }

  @Test
  void optionsThatDoNotApplyAreRejectedNamingTheOption() throws IOException {
    String out = tmp.resolve("x.npz").toString();
    String p = a.toString();
    for (String rule : new String[] {"pseudo-inverse", "storkey"}) {
      rejected(
          "--subtract-mean does not apply to the " + rule + " rule",
          "train",
          "--patterns",
          p,
          "--rule",
          rule,
          "--subtract-mean",
          "false",
          "--out",
          out);
      rejected(
          "--normalize does not apply to the " + rule + " rule",
          "train",
          "--patterns",
          p,
          "--rule",
          rule,
          "--normalize",
          "true",
          "--out",
          out);
    }
    for (String rule : new String[] {"hebbian", "anti-hebbian", "storkey"}) {
      rejected(
          "--ridge does not apply to the " + rule + " rule",
          "train",
          "--patterns",
          p,
          "--rule",
          rule,
          "--ridge",
          "1",
          "--out",
          out);
      rejected(
          "--tolerance does not apply to the " + rule + " rule",
          "train",
          "--patterns",
          p,
          "--rule",
          rule,
          "--tolerance",
          "0.01",
          "--out",
          out);
    }
    rejected(
        "--ridge: ridge is -1.0",
        "train",
        "--patterns",
        p,
        "--rule",
        "pseudo-inverse",
        "--ridge",
        "-1",
        "--out",
        out);
    rejected(
        "--tolerance must be a number in [0, 1), got 2.0",
        "train",
        "--patterns",
        p,
        "--rule",
        "pseudo-inverse",
        "--tolerance",
        "2",
        "--out",
        out);
    rejected(
        "--rule must be hebbian, anti-hebbian, pseudo-inverse or storkey, got 'oja'",
        "train",
        "--patterns",
        p,
        "--rule",
        "oja",
        "--out",
        out);
    rejected(
        "--weights low-rank does not apply to the storkey rule, which keeps dense weights; give"
            + " --weights dense or auto, or leave --weights out",
        "train",
        "--patterns",
        p,
        "--rule",
        "storkey",
        "--weights",
        "low-rank",
        "--out",
        out);
    assertFalse(Files.exists(tmp.resolve("x.npz")));
  }

  @Test
  void rulesDoNotContinueModelsTheyCannotContinue() throws IOException {
    Path pinv = tmp.resolve("pinv.npz");
    Path hebb = tmp.resolve("hebb.npz");
    ok(
        "train",
        "--patterns",
        a.toString(),
        "--rule",
        "pseudo-inverse",
        "--out",
        pinv.toString(),
        "-q");
    ok("train", "--patterns", a.toString(), "--out", hebb.toString(), "-q");
    String p = b.toString();
    rejected(
        "anti-hebbian does not continue a pseudo-inverse model",
        "train",
        "--patterns",
        p,
        "--init",
        pinv.toString(),
        "--rule",
        "anti-hebbian",
        "--out",
        pinv.toString());
    rejected(
        "hebbian does not continue a pseudo-inverse model",
        "train",
        "--patterns",
        p,
        "--init",
        pinv.toString(),
        "--rule",
        "hebbian",
        "--out",
        pinv.toString());
    rejected(
        "pseudo-inverse continues only pseudo-inverse weights",
        "train",
        "--patterns",
        p,
        "--init",
        hebb.toString(),
        "--rule",
        "pseudo-inverse",
        "--out",
        hebb.toString());
    rejected(
        "--ridge 2.0 differs from the ridge 0.0 of --init",
        "train",
        "--patterns",
        p,
        "--init",
        pinv.toString(),
        "--rule",
        "pseudo-inverse",
        "--ridge",
        "2",
        "--out",
        pinv.toString());
    // Storkey continues any dense weights, pseudo-inverse ones included
    Path s = tmp.resolve("s.npz");
    ok(
        "train",
        "--patterns",
        p,
        "--init",
        pinv.toString(),
        "--rule",
        "storkey",
        "--out",
        s.toString(),
        "-q");
    assertEquals(
        List.of("pseudo-inverse", "storkey"),
        ModelFile.read(s).history().stream().map(h -> h.rule()).toList());
  }
}
