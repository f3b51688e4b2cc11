/**
 * Engram on Apache Spark. For DataFrames and ML pipelines: {@link io.engram.spark.HopfieldMemory}
 * (an {@code Estimator}) and {@link io.engram.spark.HopfieldMemoryModel} (its {@code Model}, saved
 * as Spark metadata around an Engram model file). For RDDs: {@link io.engram.spark.SparkHebbian}
 * (distributed Hebbian training), {@link io.engram.spark.SparkRules} (pseudo-inverse and Storkey)
 * and {@link io.engram.spark.SparkRecall} (batch recall). Memories travel to the executors as the
 * bytes of their model file, or a modern memory's patterns as cached shards; everything else here
 * is internal.
 */
package io.engram.spark;
