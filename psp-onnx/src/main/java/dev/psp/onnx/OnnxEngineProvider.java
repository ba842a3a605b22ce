package dev.psp.onnx;

import dev.psp.spi.Engine;
import dev.psp.spi.EngineProvider;

/**
 * Registers the {@code onnx} engine. Loads no native code: ONNX Runtime is loaded when {@link
 * #engine()} is first called. Rank 5: below {@code pytorch} on a GPU and on a CPU whose process runs
 * with the native allocator settings, above it on a CPU without them (see the pytorch provider).
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
