package io.engram.kernels;

import java.util.Arrays;

/**
 * The k best scores of each of g queries, kept while blocks of scores stream past ({@link
 * Attention}): per query a list sorted best first, of at most k (index, score) pairs. Ties keep the
 * smaller index first, whatever the blocking: indices arrive in increasing order within a list, and
 * {@link #merge} puts the earlier chunk's entries first. Not thread-safe (one per thread).
 */
final class TopK {

  private final int k;
  private final int[] index; // g x k
  private final float[] score; // g x k
  private final int[] count; // held per query
  private final int[] scan; // the queries a block is scanned for
  private final float[] floor; // per query, what a candidate must beat besides its own list

  TopK(int g, int k) {
    this.k = k;
    this.index = new int[g * k];
    this.score = new float[g * k];
    this.count = new int[g];
    this.scan = new int[g];
    this.floor = new float[g];
    Arrays.fill(floor, Float.NEGATIVE_INFINITY);
  }

  /** Empties every list (and lowers the floors back to -∞). */
  void reset() {
    Arrays.fill(count, 0);
    Arrays.fill(floor, Float.NEGATIVE_INFINITY);
  }

  /**
   * Raises the floors to the thresholds of {@code earlier}, the lists of the chunks before these,
   * into which these will be {@link #merge merged}: a candidate not above the k-th best of those
   * could never be kept (on equal scores the earlier entry wins), so it is not even offered. The
   * merged lists are the same; a chunk no longer rescans blocks for candidates the chunks before it
   * already beat (each chunk's first block was scanned for every query).
   */
  void raiseFloors(TopK earlier) {
    for (int q = 0; q < floor.length; q++) {
      floor[q] = Math.max(floor[q], earlier.threshold(q));
    }
  }

  /** The score a candidate of query q must beat: the k-th best so far or the floor, else -∞. */
  private float threshold(int q) {
    return Math.max(floor[q], count[q] < k ? Float.NEGATIVE_INFINITY : score[q * k + k - 1]);
  }

  /**
   * Offers the block of scores {@code sc[r*ld + q]} (patterns {@code b0 + r}, {@code r < pb}): only
   * queries whose block maximum beats their threshold are scanned, the block row by row (along its
   * memory; down its columns each score was a cache miss) and each row's candidates in query order,
   * so every list still receives its candidates in increasing index.
   */
  void offer(float[] sc, int ld, int g, int b0, int pb, float[] blockMax) {
    int m = 0;
    for (int q = 0; q < g; q++) {
      if (blockMax[q] > threshold(q)) {
        scan[m++] = q;
      }
    }
    for (int r = 0; r < pb && m > 0; r++) {
      int o = r * ld;
      for (int j = 0; j < m; j++) {
        int q = scan[j];
        float v = sc[o + q];
        if (v > threshold(q)) {
          insert(q, b0 + r, v);
        }
      }
    }
  }

  /** Inserts after every entry with a score at least as large (ties: earlier index first). */
  private void insert(int q, int idx, float v) {
    int off = q * k;
    int pos = Math.min(count[q], k - 1);
    while (pos > 0 && score[off + pos - 1] < v) {
      index[off + pos] = index[off + pos - 1];
      score[off + pos] = score[off + pos - 1];
      pos--;
    }
    index[off + pos] = idx;
    score[off + pos] = v;
    count[q] = Math.min(k, count[q] + 1);
  }

  /** Merges the lists of a later chunk of patterns into these; on equal scores these first. */
  void merge(TopK later, int q) {
    int off = q * k;
    int na = count[q];
    int nb = later.count[q];
    int m = Math.min(k, na + nb);
    int[] ti = new int[m];
    float[] ts = new float[m];
    int i = 0;
    int j = 0;
    for (int t = 0; t < m; t++) {
      if (j >= nb || (i < na && score[off + i] >= later.score[off + j])) {
        ti[t] = index[off + i];
        ts[t] = score[off + i++];
      } else {
        ti[t] = later.index[off + j];
        ts[t] = later.score[off + j++];
      }
    }
    System.arraycopy(ti, 0, index, off, m);
    System.arraycopy(ts, 0, score, off, m);
    count[q] = m;
  }

  /** Copies query q's full list (k entries) to row {@code row} of the outputs (b x k). */
  void copyOut(int q, int[] topIndex, float[] topScore, int row) {
    System.arraycopy(index, q * k, topIndex, row * k, k);
    System.arraycopy(score, q * k, topScore, row * k, k);
  }
}
