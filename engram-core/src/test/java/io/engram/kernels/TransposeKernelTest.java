package io.engram.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tiled, threaded transpose against the two-loop one, over awkward shapes. */
class TransposeKernelTest {

  @Test
  void matchesTheTwoLoopTranspose() {
    Random rnd = new Random(3);
    int[] sizes = {0, 1, 2, 7, 63, 64, 65, 130, 257};
    int before = Kernels.parallelism();
    try {
      for (int threads = 1; threads <= 2; threads++) {
        Kernels.setParallelism(threads);
        for (int rows : sizes) {
          for (int cols : sizes) {
            float[] a = new float[rows * cols];
            for (int i = 0; i < a.length; i++) {
              a[i] = rnd.nextFloat();
            }
            float[] want = new float[a.length];
            for (int i = 0; i < rows; i++) {
              for (int j = 0; j < cols; j++) {
                want[j * rows + i] = a[i * cols + j];
              }
            }
            float[] t = new float[a.length];
            Kernels.transpose(a, rows, cols, t);
            assertArrayEquals(want, t, rows + "x" + cols);
          }
        }
      }
    } finally {
      Kernels.setParallelism(before);
    }
  }

  @Test
  void rejectsBadArguments() {
    float[] a = new float[6];
    assertThrows(IllegalArgumentException.class, () -> Kernels.transpose(a, 2, 3, new float[5]));
    assertThrows(IllegalArgumentException.class, () -> Kernels.transpose(a, 2, 3, a));
    assertThrows(IllegalArgumentException.class, () -> Kernels.transpose(a, -1, 3, new float[6]));
  }
}
