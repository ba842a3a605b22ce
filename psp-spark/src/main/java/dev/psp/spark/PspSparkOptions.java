package dev.psp.spark;

import dev.psp.Device;
import dev.psp.TranslationTask;
import dev.psp.align.FaceChoice;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link PspSpark#transform} computes and with which model: the model name or path, engine,
 * device, task options, batch size, outputs, and how inference shares an executor's cores. Built
 * with {@link #of(String)} and {@code opt*} methods, each returning a new object; immutable,
 * serializable (Spark ships it to the executors with the task) and thread-safe.
 *
 * <p>The model itself is never serialized: each executor JVM loads it once, on first use, and keeps
 * it for every later task and partition with equal {@linkplain #modelKey() model options}.
 */
public final class PspSparkOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Images per forward pass when not set: measured fastest for the demo models on 2 cores (docs/spark.md). */
  public static final int DEFAULT_BATCH_SIZE = 8;

  private final String model;
  private final String engine;
  private final String device;
  private final String modelDir;
  private final TranslationTask task;
  private final int batchSize;
  private final boolean images;
  private final boolean codes;
  private final boolean pooled;
  private final Long seed;
  private final boolean align;
  private final String face;
  private final String landmarksModel;
  private final int threads;
  private final int inferenceSlots;
  private final String pathColumn;
  private final String contentColumn;

  private PspSparkOptions(Builder b) {
    this.model = b.model;
    this.engine = b.engine;
    this.device = b.device;
    this.modelDir = b.modelDir;
    this.task = b.task;
    this.batchSize = b.batchSize;
    this.images = b.images;
    this.codes = b.codes;
    this.pooled = b.pooled;
    this.seed = b.seed;
    this.align = b.align;
    this.face = b.face;
    this.landmarksModel = b.landmarksModel;
    this.threads = b.threads;
    this.inferenceSlots = b.inferenceSlots;
    this.pathColumn = b.pathColumn;
    this.contentColumn = b.contentColumn;
  }

  /**
   * Options for a model: an official name or alias ({@code encode}, {@code sketch}, ...), a {@code .pt}
   * path readable on every executor, a file shipped with {@code spark-submit --files} (its file name),
   * or a Hadoop URI ({@code hdfs://}, {@code s3a://}) that each executor copies once. Defaults: images
   * out, no codes, batch size {@value #DEFAULT_BATCH_SIZE}, fixed noise, full-size outputs, the CPU, one
   * single-threaded inference per task slot.
   *
   * @throws IllegalArgumentException if {@code model} is blank
   */
  public static PspSparkOptions of(String model) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must be a model name or a .pt path, got '" + model + "'");
    }
    Builder b = new Builder();
    b.model = model.trim();
    return new PspSparkOptions(b);
  }

  /** Uses the named engine ({@code pytorch}, {@code onnx}); default: the best one on the executors' class path. */
  public PspSparkOptions optEngine(String name) {
    return with(b -> b.engine = name == null || name.isBlank() ? null : name.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * Runs on {@code cpu} (default), {@code gpu} or {@code gpu:N}. With plain {@code gpu} an executor uses
   * the first GPU Spark assigned to the task that loads the model ({@code spark.task.resource.gpu.amount}),
   * else GPU 0.
   *
   * @throws IllegalArgumentException for an unknown device
   */
  public PspSparkOptions optDevice(String text) {
    Device.parse(text);
    return with(b -> b.device = text.trim().toLowerCase(Locale.ROOT));
  }

  /** Looks for official model files in this folder (on the executors) first. */
  public PspSparkOptions optModelDir(String folder) {
    return with(b -> b.modelDir = folder);
  }

  /** Treats the model as trained for this task (its preprocessing is used). */
  public PspSparkOptions optTask(TranslationTask t) {
    return with(b -> b.task = t);
  }

  /**
   * Images per forward pass inside a partition.
   *
   * @throws IllegalArgumentException if {@code size < 1}
   */
  public PspSparkOptions optBatchSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + size);
    }
    return with(b -> b.batchSize = size);
  }

  /** Whether to translate: the {@code image} column holds the PNG of {@code pSp(x)} (default true). */
  public PspSparkOptions optImages(boolean on) {
    return with(b -> b.images = on);
  }

  /** Whether to return the W+ codes (latent_avg included) in the {@code code} column (default false). */
  public PspSparkOptions optCodes(boolean on) {
    return with(b -> b.codes = on);
  }

  /** Pools outputs to 256×256 (the official {@code resize=True}, CLI {@code --resize}). */
  public PspSparkOptions optPooled(boolean on) {
    return with(b -> b.pooled = on);
  }

  /**
   * Draws the generator's noise at random instead of using the checkpoint's buffers: each image gets
   * its own seed, mixed from {@code seed} and its output name, so a result does not depend on how the
   * data is partitioned or batched; the seed used is in the {@code seed} column and
   * {@code Noise.seeded(seed)} on a batch of that one image reproduces it.
   */
  public PspSparkOptions optSeed(long seed) {
    return with(b -> b.seed = seed);
  }

  /** Back to the checkpoint's noise buffers (the official inference; the default). */
  public PspSparkOptions optFixedNoise() {
    return with(b -> b.seed = null);
  }

  /**
   * Aligns each photo as the official {@code align_all_parallel.py} does before encoding (dlib's detector
   * and 68 landmarks, {@code dev.psp.align.FaceAligner}); a photo without a face gets an error row.
   *
   * @param face {@code last} (the official choice), {@code largest} or a 0-based index; one face per
   *     input ({@code all} is refused: a row is one input)
   * @param landmarksModel dlib's {@code shape_predictor_68_face_landmarks.dat} on the executors, or null
   *     to search the model folders and {@code /usr/share/dlib}
   * @throws IllegalArgumentException for an invalid face choice
   */
  public PspSparkOptions optAlign(String face, String landmarksModel) {
    FaceChoice choice = FaceChoice.parse(face);
    if (choice.equals(FaceChoice.all())) {
      throw new IllegalArgumentException("face choice 'all' gives several outputs per input; a Spark row is one "
          + "input: use last, largest or an index");
    }
    return with(b -> {
      b.align = true;
      b.face = face.trim().toLowerCase(Locale.ROOT);
      b.landmarksModel = landmarksModel;
    });
  }

  /** No alignment (the default): inputs are taken as aligned already. */
  public PspSparkOptions optNoAlign() {
    return with(b -> {
      b.align = false;
      b.face = "last";
      b.landmarksModel = null;
    });
  }

  /**
   * Intra-op threads of one inference (libtorch's {@code ai.djl.pytorch.num_threads}, ONNX Runtime's
   * {@code psp.onnx.threads}), set in an executor JVM before its engine starts. 0 (default): the
   * executor's cores divided by the {@linkplain #optInferenceSlots inference slots}. An explicit JVM
   * setting of those properties wins.
   *
   * @throws IllegalArgumentException if negative
   */
  public PspSparkOptions optThreads(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0 = cores / inference slots), got " + n);
    }
    return with(b -> b.threads = n);
  }

  /**
   * How many batches one executor JVM runs through its model at the same time. Tasks of an executor share
   * one model; a task waits for a free slot before each forward pass. 0 (default): on the CPU one slot per
   * task the executor runs at once (its cores / {@code spark.task.cpus}), each inference with cores /
   * slots threads — on 2 cores, two 1-thread inferences were 1.5× faster than one 2-thread inference at a
   * time (docs/spark.md); on a GPU one slot. With fewer slots than tasks, the waiting tasks read, decode
   * and encode images meanwhile; libtorch's threads never outnumber the cores, as its OpenMP threads spin.
   * Slots and threads are fixed when an executor loads the model, by the options of that first task.
   *
   * @throws IllegalArgumentException if negative
   */
  public PspSparkOptions optInferenceSlots(int slots) {
    if (slots < 0) {
      throw new IllegalArgumentException("inference slots must be >= 0 (0 = one per task slot), got " + slots);
    }
    return with(b -> b.inferenceSlots = slots);
  }

  /** The input column holding each image's path or URI (default {@code path}, as Spark's {@code binaryFile} source). */
  public PspSparkOptions optPathColumn(String column) {
    Objects.requireNonNull(column, "column");
    return with(b -> b.pathColumn = column);
  }

  /**
   * The input column holding each image's bytes (default {@code content}, as {@code binaryFile}); when
   * the input has no such column, the executors read each path through Hadoop's file systems.
   */
  public PspSparkOptions optContentColumn(String column) {
    Objects.requireNonNull(column, "column");
    return with(b -> b.contentColumn = column);
  }

  /** The model name or path. */
  public String model() {
    return model;
  }

  /** The engine, if chosen. */
  public Optional<String> engine() {
    return Optional.ofNullable(engine);
  }

  /** The device text ({@code cpu}, {@code gpu}, {@code gpu:N}). */
  public String device() {
    return device;
  }

  /** The model folder, if chosen. */
  public Optional<String> modelDir() {
    return Optional.ofNullable(modelDir);
  }

  /** The task, if chosen. */
  public Optional<TranslationTask> task() {
    return Optional.ofNullable(task);
  }

  /** Images per forward pass. */
  public int batchSize() {
    return batchSize;
  }

  /** True when translated images are produced. */
  public boolean images() {
    return images;
  }

  /** True when W+ codes are produced. */
  public boolean codes() {
    return codes;
  }

  /** True for 256×256 pooled outputs. */
  public boolean pooled() {
    return pooled;
  }

  /** The base seed of random noise; empty for the checkpoint's fixed noise. */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /** True when photos are aligned first. */
  public boolean align() {
    return align;
  }

  /** The face choice of alignment. */
  public String face() {
    return face;
  }

  /** dlib's landmark model file, if given. */
  public Optional<String> landmarksModel() {
    return Optional.ofNullable(landmarksModel);
  }

  /** Intra-op threads per inference; 0 means cores / slots. */
  public int threads() {
    return threads;
  }

  /** Concurrent inferences per executor JVM; 0 means one per task slot on the CPU, one on a GPU. */
  public int inferenceSlots() {
    return inferenceSlots;
  }

  /** The path column. */
  public String pathColumn() {
    return pathColumn;
  }

  /** The content column. */
  public String contentColumn() {
    return contentColumn;
  }

  /**
   * What identifies the loaded model in an executor JVM: options that change the weights, the engine or
   * the device. Tasks whose options have the same key share one model.
   */
  public String modelKey() {
    return String.join("|", model, String.valueOf(engine), device, String.valueOf(modelDir), String.valueOf(task));
  }

  /**
   * Checks the combination.
   *
   * @throws IllegalArgumentException when nothing would be produced
   */
  public PspSparkOptions validate() {
    if (!images && !codes) {
      throw new IllegalArgumentException("nothing to produce: enable images, codes or both");
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PspSparkOptions p && p.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "PspSparkOptions[model=" + model + ", engine=" + (engine == null ? "auto" : engine) + ", device=" + device
        + ", modelDir=" + modelDir + ", task=" + task + ", batchSize=" + batchSize + ", images=" + images
        + ", codes=" + codes + ", pooled=" + pooled + ", noise=" + (seed == null ? "fixed" : "seeded(" + seed + ")")
        + ", align=" + (align ? face : "no") + ", landmarksModel=" + landmarksModel + ", threads="
        + (threads == 0 ? "auto" : threads) + ", inferenceSlots=" + (inferenceSlots == 0 ? "auto" : inferenceSlots) + ", pathColumn=" + pathColumn
        + ", contentColumn=" + contentColumn + "]";
  }

  private PspSparkOptions with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return new PspSparkOptions(b);
  }

  /** The mutable state behind the copy-on-write {@code opt*} methods. */
  private static final class Builder {
    String model;
    String engine;
    String device = "cpu";
    String modelDir;
    TranslationTask task;
    int batchSize = DEFAULT_BATCH_SIZE;
    boolean images = true;
    boolean codes;
    boolean pooled;
    Long seed;
    boolean align;
    String face = "last";
    String landmarksModel;
    int threads;
    int inferenceSlots;
    String pathColumn = "path";
    String contentColumn = "content";

    Builder() {}

    Builder(PspSparkOptions o) {
      model = o.model;
      engine = o.engine;
      device = o.device;
      modelDir = o.modelDir;
      task = o.task;
      batchSize = o.batchSize;
      images = o.images;
      codes = o.codes;
      pooled = o.pooled;
      seed = o.seed;
      align = o.align;
      face = o.face;
      landmarksModel = o.landmarksModel;
      threads = o.threads;
      inferenceSlots = o.inferenceSlots;
      pathColumn = o.pathColumn;
      contentColumn = o.contentColumn;
    }
  }
}
