/**
 * Files: numpy {@code .npy} arrays and {@code .npz} archives ({@link io.engram.io.Npy}, {@link
 * io.engram.io.NpzFile}, {@link io.engram.io.NdArray}), Engram model files ({@link
 * io.engram.io.ModelFile}, one codec per weight representation), blocked weight folders, pattern
 * conversion, and atomic writes. Every reader validates its input fully and reports a bad file as
 * an {@link io.engram.io.EngramFormatException} naming the file and the problem.
 *
 * <p>Null arguments: a null argument is a {@link NullPointerException} whose message is the
 * parameter's name ({@code Objects.requireNonNull(x, "x")}, as the JDK), unless the parameter's
 * documentation gives null a meaning (a listener: none; options: the defaults); a null element
 * inside an array or list argument (a row, a cue of a batch) is bad data, an {@link
 * IllegalArgumentException} naming its index.
 */
package io.engram.io;
