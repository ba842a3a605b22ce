/**
 * pSp on Apache Spark: {@link dev.psp.spark.PspSpark#transform} maps a Dataset of images (Spark's
 * {@code binaryFile} source, or a column of paths) to translated images and W+ codes, and
 * {@link dev.psp.spark.PspSparkJob} runs a whole folder idempotently (images as files, codes and errors
 * as Parquet) with {@code spark-submit} or in local mode.
 *
 * <p>Each executor JVM loads a model once, on the first task that needs it, and keeps it for every later
 * task; tasks batch their images through it, at most {@link dev.psp.spark.PspSparkOptions#inferenceSlots()}
 * batches at once. Only {@link dev.psp.spark.PspSpark}, {@link dev.psp.spark.PspSparkOptions} and
 * {@link dev.psp.spark.PspSparkJob} are API; the other classes of the package are not. See docs/spark.md.
 */
package dev.psp.spark;
