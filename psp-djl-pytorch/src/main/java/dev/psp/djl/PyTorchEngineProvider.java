package dev.psp.djl;

import dev.psp.spi.Engine;
import dev.psp.spi.EngineProvider;

/**
 * Registers the {@code pytorch} engine. Loads no native code: libtorch is loaded when
 * {@link #engine()} is first called.
 */
public final class PyTorchEngineProvider implements EngineProvider {
  /** The engine name users choose it by. */
  public static final String NAME = "pytorch";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public PyTorchEngineProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int rank() {
    return 10;
  }

  @Override
  public Engine engine() {
    return PyTorchEngine.instance();
  }
}
