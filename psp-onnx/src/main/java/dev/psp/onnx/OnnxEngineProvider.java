package dev.psp.onnx;

import dev.psp.spi.Engine;
import dev.psp.spi.EngineProvider;

/**
 * Registers the {@code onnx} engine. Loads no native code: ONNX Runtime is loaded when {@link
 * #engine()} is first called. Ranked below {@code pytorch}, so it is used by default only when it is
 * the only engine on the class path.
 */
public final class OnnxEngineProvider implements EngineProvider {
  /** The engine name users choose it by. */
  public static final String NAME = "onnx";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public OnnxEngineProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int rank() {
    return 5;
  }

  @Override
  public Engine engine() {
    return OnnxEngine.instance();
  }
}
