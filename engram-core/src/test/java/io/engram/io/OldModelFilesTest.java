package io.engram.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.fixtures.OldModels;
import io.engram.memory.ModernHopfieldMemory;
import io.engram.network.AmariHopfieldNetwork;
import io.engram.network.Memory;
import io.engram.network.RecallResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Model files written by earlier Engram builds (every kind each could train, see {@link OldModels})
 * read today as they did then: {@link ModelFile#readMemory} recalls the cues those builds recalled
 * into the same states, step counts and convergence, and energies (and, for modern memory, best
 * matches and their weights) within float tolerance; with W read in place too. The file that
 * today's Engram refuses on purpose is refused with its message.
 */
class OldModelFilesTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty(DenseCodec.IN_HEAP_PROPERTY);
  }

  @TestFactory
  Stream<DynamicTest> everyOldModelRecallsAsItsBuildDid() {
    return OldModels.stream().map(m -> DynamicTest.dynamicTest(m.id(), () -> check(m)));
  }

  private static void check(OldModels.Model m) throws IOException {
    if (m.refusal() != null) {
      EngramFormatException e =
          assertThrows(EngramFormatException.class, () -> ModelFile.readMemory(m.file()));
      assertEquals(m.file() + ": " + m.refusal(), e.getMessage());
      return;
    }
    assertEquals(m.modern() ? "modern" : "classical", ModelFile.memoryKind(m.file()), m.id());
    recallsAsRecorded(m, ModelFile.readMemory(m.file()));
    if (!m.modern()) {
      // the classical reader reads it as readMemory does; W read where it lies in the file, too
      recallsAsRecorded(m, ModelFile.read(m.file()));
      System.setProperty(DenseCodec.IN_HEAP_PROPERTY, "false");
      recallsAsRecorded(m, ModelFile.read(m.file()));
    } else {
      EngramFormatException e =
          assertThrows(EngramFormatException.class, () -> ModelFile.read(m.file()));
      assertTrue(e.getMessage().contains("modern memory, not a classical network"), e::getMessage);
    }
  }

  private static void recallsAsRecorded(OldModels.Model m, Memory memory) throws IOException {
    assertEquals(m.modern(), memory instanceof ModernHopfieldMemory, m.id());
    assertEquals(!m.modern(), memory instanceof AmariHopfieldNetwork, m.id());
    float[][] cues = rows(Npy.read(m.cues()));
    float[][] recorded = rows(Npy.read(m.states()));
    List<Map<String, Object>> report = m.report();
    List<RecallResult> results = memory.recallBatch(cues, memory.defaultRecallOptions());
    assertEquals(recorded.length, results.size(), m.id());
    assertEquals(recorded.length, report.size(), m.id());
    for (int q = 0; q < cues.length; q++) {
      String where = m.id() + " query " + q;
      RecallResult r = results.get(q);
      assertEquals(recorded[q].length, r.state().length, where);
      for (int i = 0; i < recorded[q].length; i++) {
        assertEquals(recorded[q][i], r.state()[i], 1e-5, where + " value " + i);
      }
      Map<String, Object> rep = report.get(q);
      assertEquals(((Number) rep.get("steps")).intValue(), r.steps(), where);
      assertEquals(rep.get("converged"), r.converged(), where);
      double energy = ((Number) rep.get("energy")).doubleValue();
      assertEquals(energy, r.energy(), 1e-5 + 1e-5 * Math.abs(energy), where + " energy");
      if (m.modern()) {
        assertEquals(((Number) rep.get("best")).intValue(), r.matches().get(0).index(), where);
        assertEquals(
            ((Number) rep.get("weight")).doubleValue(), r.matches().get(0).weight(), 1e-6, where);
      }
    }
  }

  private static float[][] rows(NdArray a) {
    int b = a.shape()[0];
    int n = a.shape()[1];
    float[] flat = a.toFloatArray();
    float[][] rows = new float[b][n];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, i * n, rows[i], 0, n);
    }
    return rows;
  }

  /** Every generation and kind is there: a folder lost or a model missing fails here. */
  @Test
  void theGenerationsHoldWhatTheirBuildsCouldWrite() {
    Map<String, Long> counts =
        OldModels.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    OldModels.Model::generation, java.util.stream.Collectors.counting()));
    // 315ab41: dense Hebbian only; d120228: low-rank too; c3845e2: pseudo-inverse, Storkey and
    // modern memory too; current: all but the patterns too close to dependent, which it refuses
    assertEquals(Map.of("315ab41", 11L, "d120228", 16L, "c3845e2", 29L, "current", 28L), counts);
  }
}
