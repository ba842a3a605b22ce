package dev.psp;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Options of {@link Psp#load(String, LoadOptions)}: which engine and device, where to look for model
 * files, and which task to assume. Built with {@code opt*} methods; immutable.
 */
public final class LoadOptions {
  private final String engine;
  private final Device device;
  private final Path modelDir;
  private final TranslationTask task;

  private LoadOptions(String engine, Device device, Path modelDir, TranslationTask task) {
    this.engine = engine;
    this.device = device;
    this.modelDir = modelDir;
    this.task = task;
  }

  /** Defaults: the configured or best engine, the CPU, the configured model folder, the checkpoint's task. */
  public static LoadOptions defaults() {
    return new LoadOptions(null, Device.cpu(), null, null);
  }

  /** Uses the named engine (e.g. {@code pytorch}, {@code onnx}). */
  public LoadOptions optEngine(String name) {
    return new LoadOptions(name, device, modelDir, task);
  }

  /** Runs on this device. */
  public LoadOptions optDevice(Device d) {
    if (d == null) {
      throw new IllegalArgumentException("device must not be null");
    }
    return new LoadOptions(engine, d, modelDir, task);
  }

  /** Looks for official model files in this folder first. */
  public LoadOptions optModelDir(Path dir) {
    return new LoadOptions(engine, device, dir, task);
  }

  /** Treats the model as trained for this task (its preprocessing is used). */
  public LoadOptions optTask(TranslationTask t) {
    return new LoadOptions(engine, device, modelDir, t);
  }

  /** The engine name, if chosen. */
  public Optional<String> engine() {
    return Optional.ofNullable(engine);
  }

  /** The device. */
  public Device device() {
    return device;
  }

  /** The model folder, if chosen. */
  public Optional<Path> modelDir() {
    return Optional.ofNullable(modelDir);
  }

  /** The task, if chosen. */
  public Optional<TranslationTask> task() {
    return Optional.ofNullable(task);
  }

  @Override
  public String toString() {
    return "LoadOptions[engine=" + (engine == null ? "auto" : engine) + ", device=" + device
        + ", modelDir=" + modelDir + ", task=" + task + "]";
  }
}
