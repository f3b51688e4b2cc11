/**
 * Diagnostics of trained memories: {@link io.engram.analysis.HopfieldAnalyzer} (energies, overlaps,
 * best matches, capacity estimate and weight symmetry, as CANNs' {@code HopfieldAnalyzer}), and the
 * capacity lab: {@link io.engram.analysis.CapacitySweep} measures how many patterns a memory holds
 * (any rule or memory kind, through a {@link io.engram.analysis.MemoryFactory}), {@link
 * io.engram.analysis.CapacityTheory} gives the published curves to compare with.
 */
package io.engram.analysis;
