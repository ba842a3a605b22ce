package dev.psp;

import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.StorageMode;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.nn.StateDictSpec;
import dev.psp.spi.Engine;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelExporter;
import dev.psp.spi.ModelWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Entry point of the SDK: loads pSp models.
 *
 * <pre>{@code
 * try (PspModel model = Psp.load("sketch")) {
 *   BufferedImage face = model.translate(sketch);
 * }
 * }</pre>
 *
 * <p>A model is loaded from an official checkpoint ({@code .pt}, read in pure Java: no Python, no
 * code from the file is run), validated against the architecture its {@code opts} describe, and run
 * on an engine found with {@link java.util.ServiceLoader} (see {@link Engines}).
 */
public final class Psp {
  private static final System.Logger LOG = System.getLogger(Psp.class.getName());

  private Psp() {}

  /** Loads a model by official name, alias (e.g. {@code sketch}) or {@code .pt} path, with default options. */
  public static PspModel load(String nameOrPath) throws PspException {
    return load(nameOrPath, LoadOptions.defaults());
  }

  /** Loads a checkpoint file with default options. */
  public static PspModel load(Path checkpoint) throws PspException {
    return load(checkpoint, LoadOptions.defaults());
  }

  /** Loads a checkpoint file. */
  public static PspModel load(Path checkpoint, LoadOptions options) throws PspException {
    return load(new ModelRegistry.Resolved(checkpoint, Optional.empty()), options);
  }

  /**
   * Loads a model by name or path.
   *
   * @throws ModelNotFoundException if the name is unknown or its file is missing
   * @throws CheckpointFormatException if the file is corrupt, truncated or unsafe
   * @throws ModelMismatchException if the state_dict does not fit the architecture its opts describe
   * @throws EngineException if the engine is unknown or cannot use the device
   */
  public static PspModel load(String nameOrPath, LoadOptions options) throws PspException {
    return load(ModelRegistry.resolve(nameOrPath, options.modelDir()), options);
  }

  /** Names of the engines on the class path, best first. */
  public static List<String> engines() {
    return Engines.names();
  }

  /**
   * Reads a model by name or path and checks it against the architecture its opts describe, without
   * any engine or native library: what {@code psp info} prints.
   *
   * @throws ModelNotFoundException if the name is unknown or its file is missing
   * @throws CheckpointFormatException if the file is corrupt, truncated or unsafe
   * @throws ModelMismatchException if the state_dict does not fit the architecture its opts describe
   */
  public static ModelInfo inspect(String nameOrPath, LoadOptions options) throws PspException {
    // mapped: checking shapes and a few buffers reads only what it touches
    return open(ModelRegistry.resolve(nameOrPath, options.modelDir()), options, StorageMode.MMAP, Opened::info);
  }

  /** {@link #inspect(String, LoadOptions)} with default options. */
  public static ModelInfo inspect(String nameOrPath) throws PspException {
    return inspect(nameOrPath, LoadOptions.defaults());
  }

  /** Formats {@link #export} can write: those of the {@link ModelExporter}s on the class path. */
  public static List<String> exportFormats() {
    List<String> out = new ArrayList<>();
    for (ModelExporter e : exporters()) {
      out.add(e.format());
    }
    return out;
  }

  /**
   * Exports a model by name or path to {@code format} (e.g. {@code onnx}, with {@code psp-onnx} on
   * the class path) in {@code folder}, which is created if missing; returns the files written.
   *
   * @throws IllegalArgumentException if no exporter on the class path writes {@code format}
   * @throws java.io.UncheckedIOException if a file cannot be written
   */
  public static List<Path> export(String nameOrPath, String format, Path folder, LoadOptions options)
      throws PspException {
    String wanted = format.trim().toLowerCase(java.util.Locale.ROOT);
    ModelExporter exporter = exporters().stream().filter(e -> e.format().equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no exporter for format '" + format + "' on the class path"
            + " (available: " + exportFormats() + "); add dev.psp:psp-onnx for onnx"));
    return open(ModelRegistry.resolve(nameOrPath, options.modelDir()), options, StorageMode.MMAP, o -> {
      try {
        java.nio.file.Files.createDirectories(folder);
        return exporter.export(o.weights(), o.info(), folder);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("could not export to " + folder + ": " + e.getMessage(), e);
      }
    });
  }

  private static List<ModelExporter> exporters() {
    List<ModelExporter> out = new ArrayList<>();
    java.util.ServiceLoader.load(ModelExporter.class, Psp.class.getClassLoader()).forEach(out::add);
    return out;
  }

  /** A checkpoint read and checked: its file, configuration, validated state_dict and sizes. */
  private record Opened(ModelRegistry.Resolved resolved, ModelConfig config, Map<String, TensorData> stateDict,
      Optional<TensorData> latentAvg, PspNetwork network) {
    ModelWeights weights() {
      return new ModelWeights(config, stateDict);
    }

    ModelInfo info() {
      long enc = 0;
      long dec = 0;
      for (StateDictSpec.Entry e : network.stateDictSpec().entries()) {
        if (e.isParameter()) {
          if (e.key().startsWith("encoder.")) {
            enc += e.numel();
          } else {
            dec += e.numel();
          }
        }
      }
      long size;
      try {
        size = java.nio.file.Files.size(resolved.file());
      } catch (java.io.IOException e) {
        size = -1;
      }
      return new ModelInfo(resolved.file(), resolved.bundled(), size, config, latentAvg, enc, dec, stateDict.size());
    }
  }

  /** What to do with an opened checkpoint before it is closed. */
  private interface OpenedFunction<R> {
    R apply(Opened opened) throws PspException;
  }

  /**
   * The one loading sequence: read the checkpoint, build the configuration from its opts (the task
   * from the name or the options when given), check the state_dict against the architecture, then
   * run {@code then} while the checkpoint is open.
   */
  private static <R> R open(ModelRegistry.Resolved resolved, LoadOptions options, StorageMode storage,
      OpenedFunction<R> then) throws PspException {
    Path file = resolved.file();
    try (Checkpoint checkpoint = CheckpointReader.read(file, storage)) {
      Optional<TensorData> latentAvg = checkpoint.latentAvg();
      ModelConfig config = ModelConfig.fromOpts(checkpoint.opts(), latentAvg.isPresent());
      Optional<TranslationTask> task = options.task().or(resolved::task);
      if (task.isPresent()) {
        config = config.withTask(task.get());
      }
      Map<String, TensorData> stateDict = checkpoint.stateDict();
      PspNetwork network = PspNetwork.forConfig(config);
      network.stateDictSpec().check(stateDict, file.toString());
      checkFinite(stateDict, latentAvg, file);
      if (latentAvg.isPresent()) {
        checkLatentAvg(latentAvg.get(), config.nStyles(), network.styleDim(), file);
      }
      return then.apply(new Opened(resolved, config, stateDict, latentAvg, network));
    }
  }

  /** Refuses a latent_avg that is not [n_styles, dim], [1, dim] or [dim] for the network's style dimension. */
  private static void checkLatentAvg(TensorData avg, int nStyles, int styleDim, Path file)
      throws CheckpointFormatException {
    try {
      PspModel.latentAvgRows(avg, nStyles, styleDim);
    } catch (IllegalArgumentException e) {
      throw new CheckpointFormatException(file + ": " + e.getMessage()
          + "; the checkpoint is corrupt or its opts do not match its weights");
    }
  }

  /** Refuses weights that hold NaN or infinity: such a model computes nothing but NaN. */
  private static void checkFinite(Map<String, TensorData> stateDict, Optional<TensorData> latentAvg, Path file)
      throws CheckpointFormatException {
    Map<String, TensorData> all = new java.util.LinkedHashMap<>(stateDict);
    latentAvg.ifPresent(t -> all.put("latent_avg", t));
    for (Map.Entry<String, TensorData> e : all.entrySet()) {
      long i = e.getValue().firstNonFinite();
      if (i >= 0) {
        throw new CheckpointFormatException(file + ": " + e.getKey() + " holds a non-finite value (NaN or infinity)"
            + " at flat index " + i + "; the model would output NaN. The checkpoint is corrupt or comes from a"
            + " diverged training run: use an earlier checkpoint");
      }
    }
  }

  private static PspModel load(ModelRegistry.Resolved resolved, LoadOptions options) throws PspException {
    Engine engine = Engines.choose(options.engine().orElse(null), options.device());
    return open(resolved, options, StorageMode.fromSettings(), o -> {
      ModelConfig config = o.config();
      Path file = resolved.file();
      if (resolved.bundled()) {
        TranslationTask t = config.task();
        Optional<FamilyModel> fm = config.family() == ModelFamily.RESTYLE_PSP ? Optional.of(FamilyModel.RESTYLE_PSP)
            : Optional.empty();
        String name = fm.map(m -> m.names().get(0)).orElse(t.names().get(0));
        Optional<String> official = fm.map(FamilyModel::officialFile).or(t::officialFile);
        String url = fm.map(FamilyModel::url).orElse(ModelRegistry.OFFICIAL_MODELS_URL);
        LOG.log(System.Logger.Level.INFO, "model '" + name + "': loading the bundled demo model "
            + file.getFileName() + " on engine " + engine.name() + " (trained by this SDK on synthetic faces, "
            + config.outputSize() + " px; not the official model)" + official.map(f -> ". For the"
            + " official model put " + f + " into " + ModelRegistry.searchFolders(options.modelDir()).get(0)
            + " (download: " + url + ")").orElse(""));
      } else {
        LOG.log(System.Logger.Level.INFO, "loading " + file + " (" + config.task() + ", " + config.outputSize()
            + "px) on engine " + engine.name() + ", " + options.device());
      }
      EngineModel model = engine.load(o.weights(), options.device());
      try {
        return new PspModel(config, model, engine.name(), options.device(), file, o.latentAvg().orElse(null),
            o.network().styleDim());
      } catch (RuntimeException | Error e) {
        model.close(); // the engine's native weights
        throw e;
      }
    });
  }
}
