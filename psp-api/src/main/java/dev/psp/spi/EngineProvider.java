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
   * The engine, created on first call (this may load native libraries).
   *
   * @throws dev.psp.EngineException if the engine cannot start on this machine, saying why
   */
  Engine engine();
}
