/**
 * Engram: associative memory for the JVM. This package holds only {@link io.engram.Engram}, the
 * library's runtime settings (kernels and threads). The API lives in the subpackages: {@code
 * network} (memories, recall), {@code learning} (learning rules, trainers, patterns), {@code
 * weights} (weight representations), {@code io} (numpy files and model files), {@code analysis}
 * (diagnostics). See {@code docs/ARCHITECTURE.md} for the layers.
 */
package io.engram;
