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
 * provider ranked highest for the device ({@link EngineProvider#rank(Device)}: on a CPU the engine
 * measured fastest for inference there, docs/engines.md). Listing engines loads no native library.
 */
public final class Engines {
  private static final System.Logger LOG = System.getLogger(Engines.class.getName());

  private Engines() {}

  /** Names of the registered engines, best first. */
  public static List<String> names() {
    return providers().stream().map(EngineProvider::name).toList();
  }

  /** Names of the registered engines, best first for {@code device}. */
  public static List<String> names(Device device) {
    return providers(device).stream().map(EngineProvider::name).toList();
  }

  /**
   * Chooses an engine for the CPU.
   *
   * @param name an engine name, or null for the configured or best one
   * @throws EngineException if the name is unknown or no engine is registered, listing what exists
   */
  public static Engine choose(String name) {
    return choose(name, Device.cpu());
  }

  /**
   * Chooses an engine.
   *
   * @param name an engine name, or null for the configured one or the best one for {@code device}
   * @param device the device the model will run on
   * @throws EngineException if the name is unknown or no engine is registered, listing what exists
   */
  public static Engine choose(String name, Device device) {
    List<EngineProvider> all = providers(device);
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
    return providers(Device.cpu());
  }

  static List<EngineProvider> providers(Device device) {
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
    out.sort(Comparator.comparingInt((EngineProvider p) -> p.rank(device)).reversed()
        .thenComparing(EngineProvider::name));
    return out;
  }
}
