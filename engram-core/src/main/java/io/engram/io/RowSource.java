package io.engram.io;

/**
 * Gives the rows of a float32 matrix a block at a time, for writers that stream a large matrix
 * (dense weights of N = 46340 are 8 GiB) instead of copying it whole.
 */
@FunctionalInterface
public interface RowSource {

  /**
   * Copies rows {@code from .. from+count-1}, row-major, into {@code dst} (from index 0).
   *
   * @param dst at least {@code count * cols} long
   */
  void copyRows(int from, int count, float[] dst);
}
