/**
 * Diagnostics of trained memories: {@link io.engram.analysis.HopfieldAnalyzer} (energies, overlaps,
 * best matches, capacity estimate and weight symmetry, as CANNs' {@code HopfieldAnalyzer}), and the
 * capacity lab: {@link io.engram.analysis.CapacitySweep} measures how many patterns a memory holds
 * (any rule or memory kind, through a {@link io.engram.analysis.MemoryFactory}), {@link
 * io.engram.analysis.CapacityTheory} gives the published curves to compare with.
 *
 * <p>Null arguments: a null argument is a {@link NullPointerException} whose message is the
 * parameter's name ({@code Objects.requireNonNull(x, "x")}, as the JDK), unless the parameter's
 * documentation gives null a meaning (a listener: none; options: the defaults); a null element
 * inside an array or list argument (a row, a cue of a batch) is bad data, an {@link
 * IllegalArgumentException} naming its index.
 */
package io.engram.analysis;
