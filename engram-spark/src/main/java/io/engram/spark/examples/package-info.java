/**
 * Complete Spark applications to copy from: {@link io.engram.spark.examples.ParquetPipelineExample}
 * (Parquet in, pipeline fit, save and reload, transform, Parquet out). Each is run by the module's
 * tests, so it cannot rot.
 */
package io.engram.spark.examples;
