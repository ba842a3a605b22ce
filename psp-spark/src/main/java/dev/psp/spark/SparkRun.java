package dev.psp.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.psp.LoadOptions;
import dev.psp.ModelInfo;
import dev.psp.Psp;
import dev.psp.PspException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * The driver side of {@link PspSparkJob}: lists the inputs, leaves out those whose outputs exist, spreads
 * the rest over partitions by a hash of the path, and lets each task write its images and its Parquet parts.
 *
 * <p>Idempotency: an input is done when its error row exists, or when its image (if images are asked
 * for) and its code row (if codes are) exist. A task writes each image as it goes and, at its end, one
 * codes part and one errors part named after a hash of its inputs ({@code part-<16 hex>.parquet}), each
 * renamed into place whole; a task that is retried or run twice writes the same names. So a killed run
 * leaves only whole files (temporary ones are hidden, and removed by the next run), and the next run
 * computes exactly the inputs that lack an output: no input ends up in two parts.
 */
final class SparkRun {
  static final String IMAGES = "images";
  static final String CODES = "codes";
  static final String ERRORS = "errors";
  /** The options a folder's outputs were made with; a run with other ones is refused. */
  static final String MANIFEST = "_psp-spark.properties";
  /** Most images a partition gets when the partition count is chosen automatically. */
  static final int MAX_PARTITION_IMAGES = 1000;

  private static final StructType SUMMARY = new StructType(new StructField[] {
      DataTypes.createStructField("key", DataTypes.StringType, false),
      DataTypes.createStructField("inputs", DataTypes.IntegerType, false),
      DataTypes.createStructField("images", DataTypes.IntegerType, false),
      DataTypes.createStructField("codes", DataTypes.IntegerType, false),
      DataTypes.createStructField("errors", DataTypes.IntegerType, false),
      DataTypes.createStructField("first_error", DataTypes.StringType, true)});

  private final SparkSession spark;
  private final JobCommand command;
  private final PspSparkOptions options;
  private final PrintWriter out;
  /** The checkpoint file the model option resolves to on the driver, when it does. */
  private java.util.Optional<String> modelFile = java.util.Optional.empty();

  private SparkRun(SparkSession spark, JobCommand command, PspSparkOptions options, PrintWriter out) {
    this.spark = spark;
    this.command = command;
    this.options = options;
    this.out = out;
  }

  /** Starts (or joins) a Spark session, runs the job, and stops the session if it started it. */
  static int run(JobCommand c, PspSparkOptions options, PrintWriter out) throws Exception {
    long start = System.nanoTime();
    String master = c.master != null ? c.master : System.getProperty("spark.master", "local[*]");
    boolean local = master.startsWith("local");
    if (local && !c.verbose && System.getProperty("log4j2.configurationFile") == null) {
      QuietLog.apply(); // before Spark's first log record, which would install Spark's INFO defaults
    }
    SparkConf conf = new SparkConf().setMaster(master);
    if (local) {
      // local mode: no web UI, nothing bound beyond the loopback interface, and as many shuffle partitions as
      // the listing needs (Spark's 200 cost seconds of empty tasks on a few cores)
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      int cores = ExecutorModel.localCores(master, Runtime.getRuntime().availableProcessors());
      conf.setIfMissing("spark.sql.shuffle.partitions", Integer.toString(2 * cores));
    }
    c.conf.forEach(conf::set);
    conf.setIfMissing("spark.app.name", "psp-spark " + options.model());
    boolean joined = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      return new SparkRun(spark, c, options, out).execute(start);
    } finally {
      if (!joined) {
        spark.stop();
      }
    }
  }

  private int execute(long start) throws IOException {
    OutputStore store = OutputStore.of(command.output, PspSpark.hadoopSettings(spark));
    modelFile = describeModel();
    checkManifest(store);
    int partials = 0;
    for (String folder : List.of(IMAGES, CODES, ERRORS)) {
      store.mkdirs(folder);
      partials += store.deletePartials(folder);
    }
    Dataset<Row> named = PspSpark.withOutputNames(PspSpark.readImages(spark, command.input, command.recursive)
        .select("path")).select("path", "name").persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> done = done(named, store);
    // every input once, marked done or not; kept, as the work below starts from it
    Dataset<Row> marked = named.join(done, named.col("path").equalTo(done.col("done_path")), "left_outer")
        .select(col("path"), col("name"), col("done_path").isNotNull().as("done"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row counts = marked.agg(count(lit(1)), sum(when(col("done"), 1).otherwise(0))).first();
      long total = counts.getLong(0);
      long already = counts.isNullAt(1) ? 0 : counts.getLong(1);
      if (total == 0) {
        throw new IllegalStateException("no images (" + String.join(", ", PspSpark.IMAGE_EXTENSIONS) + ") in "
            + command.input + (command.recursive ? "" : "; add --recursive for subfolders"));
      }
      long n = total - already;
      out.println("psp-spark: " + total + " inputs in " + command.input + ", " + already + " done already"
          + (partials > 0 ? " (" + partials + " partial file(s) of a killed run removed)" : "") + "; model "
          + options.model() + " on " + spark.sparkContext().master());
      if (n == 0) {
        out.println("psp-spark: nothing to do; outputs in " + command.output);
        return 0;
      }
      int parts = command.partitions > 0 ? command.partitions : partitions(n);
      LongAccumulator loads = spark.sparkContext().longAccumulator("psp-spark model loads");
      // hash partitions of the path: the inputs of a partition, and so its part files' name, are the same in
      // every attempt of its task
      Dataset<Row> work = marked.filter(not(col("done"))).select("path", "name")
          .repartition(parts, col("path")).sortWithinPartitions("path");
      long t0 = System.nanoTime();
      List<Row> summary = work.mapPartitions(task(options, store, PspSpark.hadoopSettings(spark), loads,
          PspSpark.sdkVersion()), Encoders.row(SUMMARY)).collectAsList();
      double seconds = (System.nanoTime() - t0) / 1e9;
      report(store, summary, n, parts, seconds, (System.nanoTime() - start) / 1e9, loads.value());
      return 0;
    } finally {
      marked.unpersist();
      named.unpersist();
    }
  }

  /**
   * The paths ({@code done_path}) that have all their outputs: in errors/, or with their image (if images
   * are asked for) and their code row (if codes are).
   */
  private Dataset<Row> done(Dataset<Row> named, OutputStore store) {
    Dataset<Row> failed = spark.read().schema(PspSpark.ERRORS_SCHEMA).parquet(store.uri(ERRORS))
        .select(col("path").as("done_path"));
    Dataset<Row> complete = named.select(col("path").as("done_path"), col("name").as("done_name"));
    if (options.images()) {
      Dataset<Row> images = spark.read().format("binaryFile").option("pathGlobFilter", "*.png")
          .load(store.uri(IMAGES)).select(regexp_extract(col("path"), "([^/]+)\\.png$", 1).as("image_name"));
      complete = complete.join(images, complete.col("done_name").equalTo(images.col("image_name")), "left_semi");
    }
    if (options.codes()) {
      Dataset<Row> codes = spark.read().schema(PspSpark.CODES_SCHEMA).parquet(store.uri(CODES))
          .select(col("path").as("code_path"));
      complete = complete.join(codes, complete.col("done_path").equalTo(codes.col("code_path")), "left_semi");
    }
    return complete.select("done_path").union(failed).distinct();
  }

  /** 4 partitions per core, at most {@value #MAX_PARTITION_IMAGES} images and at least one batch each. */
  private int partitions(long n) {
    long cores = spark.sparkContext().defaultParallelism();
    long wanted = Math.max(4 * cores, (n + MAX_PARTITION_IMAGES - 1) / MAX_PARTITION_IMAGES);
    long batches = (n + options.batchSize() - 1) / options.batchSize();
    return (int) Math.max(1, Math.min(wanted, batches));
  }

  /** The work of one task: translate its inputs, write each image, then its codes and errors parts. */
  static MapPartitionsFunction<Row, Row> task(PspSparkOptions options, OutputStore store, Map<String, String> hadoop,
      LongAccumulator loads, String sdk) {
    return rows -> {
      if (!rows.hasNext()) {
        return Collections.emptyIterator();
      }
      ExecutorModel model = ExecutorModel.get(options, loads);
      String engine = model.model().engine();
      BatchTranslator results = new BatchTranslator(new PspSpark.InputColumns(0, 1, -1).inputs(rows), options,
          model, hadoop);
      List<String> paths = new ArrayList<>();
      int images = 0;
      String firstError = null;
      try (ParquetPart codes = new ParquetPart(store, CODES, ParquetPart.CODES);
          ParquetPart errors = new ParquetPart(store, ERRORS, ParquetPart.ERRORS)) {
        while (results.hasNext()) {
          ImageResult r = results.next();
          paths.add(r.path());
          if (r.failed()) {
            errors.addError(r, options.model(), sdk);
            if (firstError == null) {
              firstError = r.path() + ": " + r.error();
            }
            continue;
          }
          if (options.images()) {
            store.write(IMAGES + "/" + r.name() + ".png", r.png());
            images++;
          }
          if (options.codes()) {
            codes.addCode(r, options.model(), model.checkpoint(), engine, sdk);
          }
        }
        String part = "part-" + Names.key(paths) + ".parquet";
        errors.commit(part);
        codes.commit(part);
        Row summary = RowFactory.create(part, paths.size(), images, codes.rows(), errors.rows(), firstError);
        return List.of(summary).iterator();
      }
    };
  }

  private void report(OutputStore store, List<Row> summary, long n, int parts, double seconds, double total,
      long loads) {
    int inputs = 0;
    int images = 0;
    int codes = 0;
    int errors = 0;
    List<String> firstErrors = new ArrayList<>();
    for (Row r : summary) {
      inputs += r.getInt(1);
      images += r.getInt(2);
      codes += r.getInt(3);
      errors += r.getInt(4);
      if (!r.isNullAt(5) && firstErrors.size() < 5) {
        firstErrors.add(r.getString(5));
      }
    }
    out.println(String.format(Locale.ROOT, "psp-spark: %d inputs in %d partitions: %d images, %d codes, %d errors "
        + "in %.2f s (%.2f images/s; %.2f s with start-up); models loaded: %d -> %s", inputs, parts, images, codes,
        errors, seconds, inputs / seconds, total, loads, command.output));
    if (errors > 0) {
      out.println("psp-spark: " + errors + " input(s) failed; the reasons are in " + store.uri(ERRORS) + ", e.g.:");
      firstErrors.forEach(e -> out.println("  " + e));
    }
    if (inputs != n) {
      throw new IllegalStateException("the tasks processed " + inputs + " inputs, expected " + n);
    }
  }

  /**
   * Checks the model on the driver (no native code), so that a bad name fails before any task runs;
   * returns the file name it resolves to there, or empty when the executors resolve it.
   */
  private java.util.Optional<String> describeModel() {
    String m = options.model();
    boolean named = dev.psp.ModelRegistry.isName(m);
    String scheme = new org.apache.hadoop.fs.Path(m).toUri().getScheme();
    if (!named && scheme != null && !scheme.equals("file")) {
      out.println("psp-spark: model " + m + ": each executor copies it once");
      return java.util.Optional.empty();
    }
    String local = named ? m : ExecutorModel.localFile(m);
    if (!named && !java.nio.file.Files.isRegularFile(Path.of(local))) {
      out.println("psp-spark: model " + m + " is not a file on the driver; the executors resolve it");
      return java.util.Optional.empty();
    }
    LoadOptions lo = LoadOptions.defaults();
    if (options.modelDir().isPresent()) {
      lo = lo.optModelDir(Path.of(options.modelDir().get()));
    }
    if (options.task().isPresent()) {
      lo = lo.optTask(options.task().get());
    }
    try {
      ModelInfo info = Psp.inspect(local, lo);
      out.println("psp-spark: model " + info.file().getFileName() + (info.bundled() ? " (bundled demo model)" : "")
          + ": " + info.config().task() + ", " + info.config().outputSize() + " px");
      return java.util.Optional.of(info.file().getFileName() + (info.bundled() ? " (bundled)" : ""));
    } catch (PspException e) {
      throw new IllegalStateException("cannot use model '" + m + "': " + e.getMessage(), e);
    }
  }

  /** The options that decide the outputs; batch size, threads and partitions do not. */
  private Properties manifest() {
    Properties p = new Properties();
    p.setProperty("model", options.model());
    modelFile.ifPresent(f -> p.setProperty("model_file", f)); // a name may resolve to another file after a restart
    p.setProperty("task", options.task().map(Enum::name).orElse(""));
    p.setProperty("resize", Boolean.toString(options.pooled()));
    p.setProperty("noise", options.seed().isPresent() ? "seeded(" + options.seed().getAsLong() + ")" : "fixed");
    p.setProperty("align", options.align() ? options.face() : "no");
    return p;
  }

  private void checkManifest(OutputStore store) throws IOException {
    Properties wanted = manifest();
    if (store.exists(MANIFEST)) {
      Properties found = new Properties();
      found.load(new ByteArrayInputStream(store.read(MANIFEST)));
      if (!found.containsKey("model_file")) {
        wanted.remove("model_file"); // a folder begun before the manifest recorded it
      }
      if (!found.equals(wanted)) {
        throw new JobCommand.UsageException("--output " + command.output + " holds outputs made with " + found
            + ", not " + wanted + ": use another --output, or the same options to finish that run");
      }
      return;
    }
    store.mkdirs(".");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    wanted.store(bytes, "psp-spark: the options of these outputs");
    store.write(MANIFEST, bytes.toByteArray());
  }
}
