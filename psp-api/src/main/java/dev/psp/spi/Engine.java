package dev.psp.spi;

import dev.psp.Device;
import dev.psp.PspException;

/** A started engine: it turns model weights into runnable {@link EngineModel}s. Thread-safe. */
public interface Engine {
  /** The name its provider registered. */
  String name();

  /** The engine's version and that of its native library, for provenance (e.g. {@code PyTorch 2.7.1}). */
  String version();

  /**
   * Loads a model onto a device.
   *
   * @throws dev.psp.EngineException if the device is not available (e.g. a GPU without CUDA natives),
   *     saying what to install
   * @throws PspException if the weights cannot be used
   */
  EngineModel load(ModelWeights weights, Device device) throws PspException;
}
