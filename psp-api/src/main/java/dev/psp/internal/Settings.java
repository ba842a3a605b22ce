package dev.psp.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The one place that reads configuration: a system property {@code psp.x.y} wins over the
 * environment variable {@code PSP_X_Y}. Not API.
 */
public final class Settings {
  private Settings() {}

  /** The value of {@code psp.<key>} or, failing that, {@code PSP_<KEY>} (dots become underscores). */
  public static Optional<String> get(String key) {
    return property(key).or(() -> environment(key));
  }

  /** The system property {@code psp.<key>} alone. */
  public static Optional<String> property(String key) {
    String prop = System.getProperty("psp." + key);
    return prop == null || prop.isBlank() ? Optional.empty() : Optional.of(prop.trim());
  }

  /** The environment variable {@code PSP_<KEY>} alone. */
  public static Optional<String> environment(String key) {
    String env = System.getenv(envName(key));
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(env.trim());
  }

  /** The environment variable name for a key, e.g. {@code models.dir} → {@code PSP_MODELS_DIR}. */
  public static String envName(String key) {
    return "PSP_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
  }
}
