/**
 * Files: numpy {@code .npy} arrays and {@code .npz} archives ({@link io.engram.io.Npy}, {@link
 * io.engram.io.NpzFile}, {@link io.engram.io.NdArray}), Engram model files ({@link
 * io.engram.io.ModelFile}, one codec per weight representation), blocked weight folders, pattern
 * conversion, and atomic writes. Every reader validates its input fully and reports a bad file as
 * an {@link io.engram.io.EngramFormatException} naming the file and the problem.
 */
package io.engram.io;
