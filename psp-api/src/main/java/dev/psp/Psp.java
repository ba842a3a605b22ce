package dev.psp;

import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.spi.Engine;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelWeights;
import java.nio.file.Path;
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

  private static PspModel load(ModelRegistry.Resolved resolved, LoadOptions options) throws PspException {
    Engine engine = Engines.choose(options.engine().orElse(null), options.device());
    Path file = resolved.file();
    try (Checkpoint checkpoint = CheckpointReader.read(file)) {
      Optional<TensorData> latentAvg = checkpoint.latentAvg();
      ModelConfig config = ModelConfig.fromOpts(checkpoint.opts(), latentAvg.isPresent());
      Optional<TranslationTask> task = options.task().or(resolved::task);
      if (task.isPresent()) {
        config = config.withTask(task.get());
      }
      Map<String, TensorData> stateDict = checkpoint.stateDict();
      PspNetwork network = PspNetwork.forConfig(config);
      network.stateDictSpec().check(stateDict, file.toString());
      if (resolved.bundled()) {
        TranslationTask t = config.task();
        LOG.log(System.Logger.Level.INFO, "model '" + t.names().get(0) + "': loading the bundled demo model "
            + file.getFileName() + " on engine " + engine.name() + " (trained by this SDK on synthetic faces, "
            + config.outputSize() + " px; not the official model)" + t.officialFile().map(f -> ". For the"
            + " official model put " + f + " into " + ModelRegistry.searchFolders(options.modelDir()).get(0)
            + " (download: " + ModelRegistry.OFFICIAL_MODELS_URL + ")").orElse(""));
      } else {
        LOG.log(System.Logger.Level.INFO, "loading " + file + " (" + config.task() + ", " + config.outputSize()
            + "px) on engine " + engine.name() + ", " + options.device());
      }
      EngineModel model = engine.load(new ModelWeights(config, stateDict), options.device());
      return new PspModel(config, model, engine.name(), options.device(), file, latentAvg.orElse(null),
          network.styleDim());
    }
  }
}
