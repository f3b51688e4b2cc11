package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * numpy opens the model file and the .npy outputs (skipped where python3 with numpy is missing).
 */
class NumpyReadsOutputsTest {

  @TempDir Path dir;

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

  @Test
  void numpyLoadsModelExportAndRecall() throws Exception {
    assumeTrue(
        haveNumpy(), "python3 with numpy not found: skipping the numpy interoperability test");
    Path pat = dir.resolve("p.csv");
    Files.writeString(pat, "1,-1,1,-1,1,-1\n1,1,-1,-1,1,1\n");
    Path model = dir.resolve("m.npz");
    Path w = dir.resolve("W.npy");
    Path noisy = dir.resolve("q.npy");
    Path out = dir.resolve("r.npy");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "--patterns",
                pat.toString(),
                "--out",
                model.toString(),
                "--weights",
                "dense",
                "-q")
            .status());
    Path lowRank = dir.resolve("lr.npz");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "--patterns",
                pat.toString(),
                "--out",
                lowRank.toString(),
                "--weights",
                "low-rank",
                "--zero-diagonal",
                "false",
                "-q")
            .status());
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "--patterns",
                pat.toString(),
                "--init",
                lowRank.toString(),
                "--out",
                lowRank.toString(),
                "--rule",
                "anti-hebbian",
                "--normalize",
                "false",
                "-q")
            .status());
    Path wLowRank = dir.resolve("Wlr.npy");
    assertEquals(
        0,
        ToolRun.run("export", "--model", lowRank.toString(), "--weights", wLowRank.toString())
            .status());
    assertEquals(
        0, ToolRun.run("export", "--model", model.toString(), "--weights", w.toString()).status());
    assertEquals(
        0,
        ToolRun.run(
                "corrupt",
                "--patterns",
                pat.toString(),
                "--flip",
                "0.2",
                "--out",
                noisy.toString(),
                "-q")
            .status());
    assertEquals(
        0,
        ToolRun.run(
                "recall",
                "--model",
                model.toString(),
                "--queries",
                noisy.toString(),
                "--out",
                out.toString(),
                "-q")
            .status());
    String script =
        String.join(
            "\n",
            "import json, sys, numpy as np",
            "m = np.load(sys.argv[1], allow_pickle=False)",
            "meta = json.loads(bytes(m['meta.json']).decode())",
            "assert meta['format'] == 'engram-model' and meta['version'] == 1 and meta['weights'] == 'dense', meta",
            "W = m['W']",
            "assert W.dtype == np.float32 and W.shape == (6, 6)",
            "p = np.array([[1,-1,1,-1,1,-1],[1,1,-1,-1,1,1]], dtype=np.float32)",
            "t = p - p.mean(); ref = t.T @ t / 2; np.fill_diagonal(ref, 0)",
            "assert np.allclose(W, ref, atol=1e-6), (W, ref)",
            "assert np.array_equal(np.load(sys.argv[2]), W)",
            "q = np.load(sys.argv[3]); r = np.load(sys.argv[4])",
            "assert q.shape == (2, 6) and r.shape == (2, 6) and r.dtype == np.float32",
            "assert meta['history'][0]['patterns'] == 2",
            // a low-rank model rebuilt in numpy from its documented members
            "lr = np.load(sys.argv[5], allow_pickle=False)",
            "lm = json.loads(bytes(lr['meta.json']).decode())",
            "assert lm['weights'] == 'low-rank' and 'W' not in lr.files, lr.files",
            "Wr = np.diag(lr['base_diagonal']).astype(np.float32)",
            "for k, f in enumerate(lm['factors']):",
            "    T = lr['T%d' % k]; u = (T.T @ T) / np.float32(f['divisor'])",
            "    Wr = Wr - u if f['negate'] else Wr + u",
            "    if f['zero_diagonal_after']: np.fill_diagonal(Wr, 0)",
            "assert np.allclose(Wr, np.load(sys.argv[6]), atol=1e-5), (Wr, np.load(sys.argv[6]))",
            "print('ok')");
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                script,
                model.toString(),
                w.toString(),
                noisy.toString(),
                out.toString(),
                lowRank.toString(),
                wLowRank.toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), said);
    assertEquals("ok", said.strip());
  }
}
