package dev.psp.cli;

import dev.psp.Device;
import dev.psp.LoadOptions;
import dev.psp.Psp;
import dev.psp.PspException;
import dev.psp.PspModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that choose a model, an engine and a device; shared by every command that runs a model. */
final class ModelOptions {
  @Option(names = {"-m", "--model"}, required = true, paramLabel = "<name|file.pt>",
      description = "Official name or alias (e.g. sketch, encode) or a .pt checkpoint.")
  String model;

  @Option(names = "--engine", paramLabel = "<name>", description = "Engine: pytorch or onnx (default: best available).")
  String engine;

  @Option(names = "--device", paramLabel = "<cpu|gpu|gpu:N>", defaultValue = "cpu",
      description = "Device (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--model-dir", paramLabel = "<folder>", description = "Folder holding the official .pt files.")
  Path modelDir;

  /** Checks the device, engine and model name without loading anything (usage errors, exit code 2). */
  void validate() {
    parseDevice();
    if (engine != null && !Psp.engines().contains(engine.toLowerCase(java.util.Locale.ROOT))) {
      throw new PspCli.UsageException("unknown engine '" + engine + "'; available: " + String.join(", ", Psp.engines()));
    }
    checkModelName(model);
  }

  private Device parseDevice() {
    try {
      return Device.parse(device);
    } catch (IllegalArgumentException e) {
      throw new PspCli.UsageException(e.getMessage());
    }
  }

  PspModel load() throws PspException {
    validate();
    Device d = parseDevice();
    LoadOptions o = LoadOptions.defaults().optDevice(d);
    if (engine != null) {
      o = o.optEngine(engine);
    }
    if (modelDir != null) {
      o = o.optModelDir(modelDir);
    }
    return Psp.load(model, o);
  }

  /** A name that is neither an official name nor an existing file is a usage error (exit code 2). */
  static void checkModelName(String model) {
    if (!dev.psp.ModelRegistry.isName(model) && !java.nio.file.Files.exists(Path.of(model))) {
      throw new PspCli.UsageException("unknown model '" + model + "': not a file, and not one of "
          + dev.psp.ModelRegistry.knownNames());
    }
  }
}
