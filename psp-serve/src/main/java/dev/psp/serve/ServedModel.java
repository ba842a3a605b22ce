package dev.psp.serve;

import dev.psp.ModelConfig;
import dev.psp.ModelRegistry;
import dev.psp.PspModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One model a server serves: the name requests use, where it comes from, and its state (loading,
 * ready, failed). The {@link PspModel} is loaded once, on the inference thread, and shared by every
 * request. Thread-safe: the state is published through volatile fields.
 */
final class ServedModel {
  /** Where a model is in its life. */
  enum State {
    /** Waiting for or being loaded. */
    LOADING,
    /** Loaded; requests may use it. */
    READY,
    /** Loading failed; {@link #failure()} says why. */
    FAILED
  }

  private final String name;
  private final String spec;
  private final List<String> aliases;
  private volatile State state = State.LOADING;
  private volatile PspModel model;
  private volatile boolean bundled;
  private volatile Throwable failure;

  ServedModel(String spec) {
    this.spec = spec;
    this.name = nameOf(spec);
    List<String> a = new ArrayList<>();
    ModelRegistry.namesOf(spec).stream().filter(n -> !n.equalsIgnoreCase(name)).forEach(a::add);
    this.aliases = List.copyOf(a);
  }

  /** The name requests use for a model given as {@code spec}: the name itself, or a file's name without {@code .pt}. */
  static String nameOf(String spec) {
    if (ModelRegistry.isName(spec)) {
      return spec.trim().toLowerCase(Locale.ROOT);
    }
    String file = Path.of(spec).getFileName().toString();
    return file.toLowerCase(Locale.ROOT).endsWith(".pt") ? file.substring(0, file.length() - 3) : file;
  }

  /** The name requests use. */
  String name() {
    return name;
  }

  /** The name or path the model was configured with. */
  String spec() {
    return spec;
  }

  /** The other names of the model's task that requests may use too (empty for a path). */
  List<String> aliases() {
    return aliases;
  }

  /** Whether requests may call this model by {@code requested}. */
  boolean answersTo(String requested) {
    String r = requested.trim();
    return name.equalsIgnoreCase(r) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(r));
  }

  State state() {
    return state;
  }

  /** The loaded model, if ready. */
  Optional<PspModel> model() {
    return Optional.ofNullable(model);
  }

  /** The loaded model's configuration; only when ready. */
  ModelConfig config() {
    return model.config();
  }

  /** Whether the bundled demo model stands in for a missing official file. */
  boolean bundled() {
    return bundled;
  }

  /** Why loading failed, if it did. */
  Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  void ready(PspModel loaded, boolean isBundled) {
    this.bundled = isBundled;
    this.model = loaded;
    this.state = State.READY;
  }

  void failed(Throwable e) {
    this.failure = e;
    this.state = State.FAILED;
  }

  /** Closes the model, if loaded; call on the inference thread when nothing uses it any more. */
  void close() {
    PspModel m = model;
    if (m != null) {
      m.close();
    }
  }

  @Override
  public String toString() {
    return "ServedModel[" + name + ", " + spec + ", " + state + "]";
  }
}
