package dev.psp;

import dev.psp.internal.Settings;
import dev.psp.spi.Engine;
import dev.psp.spi.EngineProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The engines found on the class path through {@link java.util.ServiceLoader}, and the rule that picks
 * one: an explicit name, else the {@code psp.engine} property / {@code PSP_ENGINE} variable, else the
 * highest-ranked provider. Listing engines loads no native library.
 */
public final class Engines {
  private static final System.Logger LOG = System.getLogger(Engines.class.getName());

  private Engines() {}

  /** Names of the registered engines, best first. */
  public static List<String> names() {
    return providers().stream().map(EngineProvider::name).toList();
  }

  /**
   * Chooses an engine.
   *
   * @param name an engine name, or null for the configured or best one
   * @throws EngineException if the name is unknown or no engine is registered, listing what exists
   */
  public static Engine choose(String name) {
    List<EngineProvider> all = providers();
    if (all.isEmpty()) {
      throw new EngineException("no pSp engine on the class path; add a dependency on dev.psp:psp-djl-pytorch "
          + "or dev.psp:psp-onnx");
    }
    String wanted = name != null ? name : Settings.get("engine").orElse(null);
    if (wanted == null) {
      return all.get(0).engine();
    }
    String w = wanted.trim().toLowerCase(Locale.ROOT);
    for (EngineProvider p : all) {
      if (p.name().equals(w)) {
        return p.engine();
      }
    }
    throw new EngineException("unknown engine '" + wanted + "'; available: " + String.join(", ", names())
        + (name == null ? " (set by " + Settings.envName("engine") + " or -Dpsp.engine)" : ""));
  }

  static List<EngineProvider> providers() {
    List<EngineProvider> out = new ArrayList<>();
    Iterator<EngineProvider> it = ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader()).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        out.add(it.next());
      } catch (ServiceConfigurationError e) {
        LOG.log(System.Logger.Level.WARNING, "skipping an engine provider that failed to load: " + e.getMessage());
      }
    }
    out.sort(Comparator.comparingInt(EngineProvider::rank).reversed().thenComparing(EngineProvider::name));
    return out;
  }
}
