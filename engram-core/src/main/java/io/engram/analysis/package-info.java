/**
 * Diagnostics of trained memories, as CANNs' {@code HopfieldAnalyzer}: energies, overlaps, best
 * matches, capacity estimate and weight symmetry.
 */
package io.engram.analysis;
