/**
 * Benchmarks (not a library): the JMH kernel benchmarks ({@link io.engram.bench.KernelBenchmarks},
 * {@link io.engram.bench.SyrkBench}), the side-by-side comparisons run by the scripts in {@code
 * engram-bench/} ({@link io.engram.bench.Compare} against numpy and Encog, {@link
 * io.engram.bench.RulesCompare} for the learning rules, {@link io.engram.bench.ModernBench} for
 * modern Hopfield retrieval) and the machine's FMA peak ({@code MachineProbe}, package-private,
 * called through {@code Machine}). Every figure is a ratio against a baseline timed in the same
 * process or script; {@code docs/BENCHMARKS.md} has the commands.
 */
package io.engram.bench;
