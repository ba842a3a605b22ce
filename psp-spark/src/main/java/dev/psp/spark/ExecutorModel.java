package dev.psp.spark;

import dev.psp.Device;
import dev.psp.LoadOptions;
import dev.psp.Psp;
import dev.psp.PspException;
import dev.psp.PspModel;
import dev.psp.align.FaceAligner;
import dev.psp.align.LandmarkModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.util.LongAccumulator;

/**
 * The models of this JVM (a Spark executor, or the driver in local mode): each loaded once, on the first
 * task that needs it, kept for every later task and partition, and closed when the JVM exits. Nothing
 * here is serialized; tasks carry only {@link PspSparkOptions}. Inference is guarded by a semaphore of
 * {@link PspSparkOptions#inferenceSlots()} permits per model (by default one per task slot on the CPU,
 * one on a GPU), so concurrent tasks of an executor do not run more forward passes at once than asked,
 * and the engine's threads are set to cores / slots. Thread-safe.
 */
final class ExecutorModel {
  private static final System.Logger LOG = System.getLogger(ExecutorModel.class.getName());
  private static final Map<String, ExecutorModel> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static final Map<String, AtomicInteger> LOADS_BY_KEY = new ConcurrentHashMap<>();
  private static final Map<String, FaceAligner> ALIGNERS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModel::closeAll, "psp-spark-close-models"));
  }

  private final PspModel model;
  private final Semaphore slots;
  private final String checkpoint;

  private ExecutorModel(PspModel model, int slots) {
    this.model = model;
    this.slots = new Semaphore(slots, true);
    this.checkpoint = model.source().getFileName().toString();
  }

  /**
   * The model of {@code options} in this JVM, loaded on first use.
   *
   * @param loads counts loads across the cluster; may be null
   * @throws IllegalStateException when the model cannot be loaded (the task fails: this is no per-image error)
   */
  static ExecutorModel get(PspSparkOptions options, LongAccumulator loads) {
    ExecutorModel m = MODELS.get(options.modelKey());
    if (m != null) {
      return m;
    }
    return MODELS.computeIfAbsent(options.modelKey(), k -> {
      ExecutorModel loaded = load(options);
      LOADS.incrementAndGet();
      LOADS_BY_KEY.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
      if (loads != null) {
        loads.add(1);
      }
      return loaded;
    });
  }

  /** Models loaded in this JVM since it started. */
  static int loadsInThisJvm() {
    return LOADS.get();
  }

  /** Loads in this JVM of the model of {@code modelKey} ({@link PspSparkOptions#modelKey()}). */
  static int loadsInThisJvm(String modelKey) {
    AtomicInteger n = LOADS_BY_KEY.get(modelKey);
    return n == null ? 0 : n.get();
  }

  /** The loaded model. */
  PspModel model() {
    return model;
  }

  /** The checkpoint's file name, for provenance columns. */
  String checkpoint() {
    return checkpoint;
  }

  /** Runs {@code work} (a forward pass) when an inference slot is free. */
  <T> T infer(Callable<T> work) throws Exception {
    slots.acquire();
    try {
      return work.call();
    } finally {
      slots.release();
    }
  }

  /** dlib's aligner of this JVM for {@code options}, loaded once. */
  static FaceAligner aligner(PspSparkOptions options) {
    String key = options.landmarksModel().orElse("") + "|" + options.modelDir().orElse("");
    return ALIGNERS.computeIfAbsent(key, k -> {
      try {
        Optional<Path> explicit = options.landmarksModel().map(ExecutorModel::localFile).map(Path::of);
        return FaceAligner.load(LandmarkModel.locate(explicit, options.modelDir().map(Path::of)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load dlib's landmark model on this executor: " + e.getMessage(), e);
      }
    });
  }

  private static ExecutorModel load(PspSparkOptions o) {
    Device device = device(o.device());
    int slots = o.inferenceSlots() > 0 ? o.inferenceSlots()
        : device.type() == Device.Type.GPU ? 1 : Math.max(1, executorCores() / taskCpus());
    configureThreads(o, slots);
    LoadOptions lo = LoadOptions.defaults().optDevice(device);
    if (o.engine().isPresent()) {
      lo = lo.optEngine(o.engine().get());
    }
    if (o.modelDir().isPresent()) {
      lo = lo.optModelDir(Path.of(o.modelDir().get()));
    }
    if (o.task().isPresent()) {
      lo = lo.optTask(o.task().get());
    }
    String model = dev.psp.ModelRegistry.isName(o.model()) ? o.model() : localFile(o.model());
    try {
      long start = System.nanoTime();
      PspModel m = Psp.load(model, lo);
      LOG.log(System.Logger.Level.INFO, "psp-spark: loaded " + m + " in " + (System.nanoTime() - start) / 1_000_000
          + " ms; " + slots + " inference slot(s) of " + System.getProperty("ai.djl.pytorch.num_threads") + " thread(s)");
      return new ExecutorModel(m, slots);
    } catch (PspException e) {
      throw new IllegalStateException("cannot load model '" + o.model() + "' on this executor: " + e.getMessage(), e);
    }
  }

  /**
   * A model or landmark file as a local path on this executor: a local file as it is, a file shipped with
   * {@code --files} by its name ({@link SparkFiles}), a Hadoop URI copied once into the executor's
   * temporary folder. Anything else is returned unchanged (the loader then reports it missing).
   */
  static String localFile(String nameOrPath) {
    org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(nameOrPath);
    String scheme = hp.toUri().getScheme();
    if (scheme != null && !scheme.equals("file")) {
      return copyToLocal(hp);
    }
    Path local = Path.of(scheme == null ? nameOrPath : hp.toUri().getPath());
    if (Files.isRegularFile(local)) {
      return local.toString();
    }
    try {
      Path shipped = Path.of(SparkFiles.get(local.getFileName().toString()));
      if (Files.isRegularFile(shipped)) {
        return shipped.toString();
      }
    } catch (RuntimeException notInSpark) {
      // no SparkEnv: not on an executor
    }
    return nameOrPath;
  }

  private static String copyToLocal(org.apache.hadoop.fs.Path remote) {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "psp-spark-models");
    Path target = dir.resolve(Names.sha256Hex(remote.toString()).substring(0, 12) + "-" + remote.getName());
    if (Files.isRegularFile(target)) {
      return target.toString();
    }
    try {
      Files.createDirectories(dir);
      Map<String, String> conf = hadoopSettings();
      try (InputStream in = remote.getFileSystem(OutputStore.configuration(conf)).open(remote)) {
        dev.psp.internal.AtomicFiles.write(target, in::transferTo);
      }
      return target.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + remote + " to " + target + ": " + e.getMessage(), e);
    }
  }

  /** The {@code spark.hadoop.*} settings of this JVM's Spark configuration, without the prefix. */
  static Map<String, String> hadoopSettings() {
    Map<String, String> out = new java.util.HashMap<>();
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      for (scala.Tuple2<String, String> kv : env.conf().getAll()) {
        if (kv._1().startsWith("spark.hadoop.")) {
          out.put(kv._1().substring("spark.hadoop.".length()), kv._2());
        }
      }
    }
    return out;
  }

  /**
   * {@code gpu} without an index means the first GPU Spark assigned to this task, if it assigned any.
   */
  private static Device device(String text) {
    Device d = Device.parse(text);
    if (d.type() == Device.Type.GPU && !text.contains(":")) {
      TaskContext tc = TaskContext.get();
      ResourceInformation gpu = tc == null ? null : tc.resourcesJMap().get("gpu");
      if (gpu != null && gpu.addresses().length > 0) {
        return Device.gpu(Integer.parseInt(gpu.addresses()[0].trim()));
      }
    }
    return d;
  }

  /**
   * Sets the engines' intra-op threads before the first model of this JVM starts its engine, unless the
   * JVM sets them itself: libtorch reads {@code ai.djl.pytorch.num_threads} once, when it starts.
   */
  private static void configureThreads(PspSparkOptions o, int slots) {
    int threads = o.threads() > 0 ? o.threads() : Math.max(1, executorCores() / slots);
    String n = Integer.toString(threads);
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", n);
    }
    if (System.getProperty("psp.onnx.threads") == null) {
      System.setProperty("psp.onnx.threads", n);
    }
  }

  /** Cores per task ({@code spark.task.cpus}). */
  static int taskCpus() {
    SparkEnv env = SparkEnv.get();
    return env == null ? 1 : Math.max(1, env.conf().getInt("spark.task.cpus", 1));
  }

  /** The cores Spark gives this executor: N of {@code local[N]}, else {@code spark.executor.cores}. */
  static int executorCores() {
    int available = Runtime.getRuntime().availableProcessors();
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      return available;
    }
    String master = env.conf().get("spark.master", "");
    if (master.startsWith("local-cluster")) {
      // local-cluster[workers, cores per worker, memory]: executors are JVMs of their own
      String[] parts = master.substring(master.indexOf('[') + 1, master.length() - 1).split(",");
      return parts.length > 1 ? Math.max(1, Integer.parseInt(parts[1].trim())) : 1;
    }
    if (master.startsWith("local")) {
      return localCores(master, available);
    }
    return Math.min(available, env.conf().getInt("spark.executor.cores", available));
  }

  /** The cores of a local master URL: {@code local} 1, {@code local[N]} N, {@code local[*]} all; also {@code local[N,F]}. */
  static int localCores(String master, int available) {
    String m = master.trim().toLowerCase(Locale.ROOT);
    if (m.equals("local")) {
      return 1;
    }
    int open = m.indexOf('[');
    int close = m.indexOf(']');
    if (open < 0 || close < open) {
      return available;
    }
    String n = m.substring(open + 1, close).split(",")[0].trim();
    if (n.equals("*")) {
      return available;
    }
    try {
      return Math.max(1, Integer.parseInt(n));
    } catch (NumberFormatException e) {
      return available;
    }
  }

  private static void closeAll() {
    MODELS.values().forEach(m -> m.model.close());
  }
}
