package dev.psp.spark;

import dev.psp.TranslationTask;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options of {@link PspSparkJob} ({@code psp spark}), named as those of {@code psp translate}. */
@Command(name = "spark", mixinStandardHelpOptions = true, versionProvider = JobCommand.Version.class,
    sortOptions = false,
    description = {"Translate and/or encode a folder of images with Apache Spark: a cluster through spark-submit, "
        + "or local mode (--master 'local[N]'). Writes <output>/images/<name>.png, <output>/codes/*.parquet "
        + "(--codes) and <output>/errors/*.parquet; a restarted run skips what is written already."})
final class JobCommand implements Callable<Integer> {
  enum NoiseMode { fixed, random }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--master", paramLabel = "<url>",
      description = "Spark master, e.g. 'local[2]' (default: the one spark-submit gives, else local[*]).")
  String master;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "<folder|glob|uri>",
      description = "Images (png, jpg, jpeg, bmp, gif): a folder, a glob or a Hadoop URI (hdfs://, s3a://, ...).")
  String input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<folder|uri>",
      description = "Output folder: images/, codes/, errors/. Run again with the same options to finish a killed run.")
  String output;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "<name|file.pt>",
      description = "Official name or alias (encode, sketch, ...), a .pt path on every node, a file shipped with "
          + "spark-submit --files (its name), or a Hadoop URI each executor copies once.")
  String model;

  @Option(names = "--engine", paramLabel = "<name>", description = "Engine: pytorch or onnx (default: best available).")
  String engine;

  @Option(names = "--device", paramLabel = "<cpu|gpu|gpu:N>", defaultValue = "cpu",
      description = "Device (default: ${DEFAULT-VALUE}); gpu takes the GPU Spark assigned to the task.")
  String device;

  @Option(names = "--model-dir", paramLabel = "<folder>", description = "Folder holding the official .pt files on the executors.")
  String modelDir;

  @Option(names = "--codes", description = "Also write the W+ codes [n_styles, 512] (latent_avg included) to codes/.")
  boolean codes;

  @Option(names = "--no-images", description = "Write no images (with --codes: encode only).")
  boolean noImages;

  @Option(names = "--batch-size", defaultValue = "" + PspSparkOptions.DEFAULT_BATCH_SIZE,
      description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--resize", description = "Pool outputs to 256x256 (the official face_pool).")
  boolean resize;

  @Option(names = "--noise", defaultValue = "fixed", paramLabel = "<fixed|random>",
      description = "fixed: the checkpoint's noise buffers (official inference); random: per-image noise seeded "
          + "from --seed and the image's name. Default: ${DEFAULT-VALUE}.")
  NoiseMode noise;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "<n>", description = "Base seed of random noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--task", paramLabel = "<name>", description = "Treat the model as trained for this task (its preprocessing).")
  String task;

  @Option(names = "--align", description = "Align photos first (dlib's detector and 68 landmarks, the official FFHQ "
      + "crop); photos without a face go to errors/.")
  boolean align;

  @Option(names = "--face", defaultValue = "last", paramLabel = "<last|largest|N>",
      description = "Which face to align when there are several (default: ${DEFAULT-VALUE}).")
  String face;

  @Option(names = "--landmarks-model", paramLabel = "<file>",
      description = "dlib's shape_predictor_68_face_landmarks.dat on the executors (default: model folders, /usr/share/dlib).")
  String landmarksModel;

  @Option(names = "--recursive", description = "Also read the input folder's subfolders.")
  boolean recursive;

  @Option(names = "--partitions", defaultValue = "0", paramLabel = "<n>",
      description = "Partitions of the work (default 0: 4 per core, at most 1,000 images each).")
  int partitions;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "<n>",
      description = "Intra-op threads per inference (default 0: executor cores / inference slots).")
  int threads;

  @Option(names = "--inference-slots", defaultValue = "0", paramLabel = "<n>",
      description = "Batches one executor JVM runs through its model at once (default 0: one per task slot on "
          + "the CPU, one on a GPU).")
  int inferenceSlots;

  @Option(names = "--conf", paramLabel = "<key=value>", description = "A Spark setting (repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--spark-jars", paramLabel = "<folder>",
      description = "Spark's jars, when Spark is not on the class path (default: PSP_SPARK_JARS, $SPARK_HOME/jars, "
          + "spark-jars/ beside the jar).")
  Path sparkJars;

  @Option(names = "--verbose", description = "Print stack traces of errors, and Spark's INFO log in local mode.")
  boolean verbose;

  private final String[] args;
  private final boolean inheritStreams;

  JobCommand(String[] args, boolean inheritStreams) {
    this.args = args.clone();
    this.inheritStreams = inheritStreams;
  }

  @Override
  public Integer call() throws Exception {
    PspSparkOptions options = options();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<List<String>> child = Launcher.childCommand(List.of(args), Optional.ofNullable(sparkJars), System.getenv());
    if (child.isPresent()) {
      return Launcher.run(child.get(), inheritStreams, out, err);
    }
    return SparkRun.run(this, options, out);
  }

  /** The options of {@link PspSpark#transform}, checked (usage errors name the option). */
  PspSparkOptions options() {
    if (noImages && !codes) {
      throw new UsageException("--no-images needs --codes: there would be nothing to write");
    }
    if (partitions < 0) {
      throw new UsageException("--partitions must be >= 0, got " + partitions);
    }
    if (!align && (landmarksModel != null || !face.equals("last"))) {
      throw new UsageException("--face and --landmarks-model are used with --align only");
    }
    if (model.isBlank()) {
      throw new UsageException("--model must not be empty");
    }
    try {
      PspSparkOptions o = PspSparkOptions.of(model).optDevice(device).optBatchSize(batchSize).optImages(!noImages)
          .optCodes(codes).optPooled(resize).optThreads(threads).optInferenceSlots(inferenceSlots)
          .optEngine(engine).optModelDir(modelDir);
      if (noise == NoiseMode.random) {
        o = o.optSeed(seed);
      }
      if (task != null) {
        o = o.optTask(TranslationTask.forName(task).orElseThrow(() -> new IllegalArgumentException(
            "unknown task '" + task + "'; use one of " + dev.psp.ModelRegistry.knownNames())));
      }
      if (align) {
        o = o.optAlign(face, landmarksModel);
      }
      return o.validate();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Bad arguments found after parsing (exit code 2). */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The SDK version. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"psp-spark " + SdkVersion.VALUE};
    }
  }
}
