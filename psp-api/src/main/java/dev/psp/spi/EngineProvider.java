package dev.psp.spi;

/**
 * Registers an engine with {@link java.util.ServiceLoader}: one line naming the implementing class in
 * {@code META-INF/services/dev.psp.spi.EngineProvider}.
 *
 * <p>Discovery must stay cheap: the constructor, {@link #name()} and {@link #rank()} load no native
 * library. The engine itself is created by {@link #engine()} on first use.
 */
public interface EngineProvider {
  /** The engine's name as users type it, lower case: e.g. {@code pytorch}, {@code onnx}. */
  String name();

  /** Preference when no engine is chosen explicitly: the highest rank wins. */
  int rank();

  /**
   * Preference for a device when no engine is chosen explicitly: the highest rank wins. An engine may
   * rank itself by what it measured to be fastest there (see docs/engines.md); the default is
   * {@link #rank()}. Must load no native library.
   */
  default int rank(dev.psp.Device device) {
    return rank();
  }

  /**
   * The engine, created on first call (this may load native libraries).
   *
   * @throws dev.psp.EngineException if the engine cannot start on this machine, saying why
   */
  Engine engine();
}
