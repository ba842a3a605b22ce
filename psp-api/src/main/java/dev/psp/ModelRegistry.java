package dev.psp;

import dev.psp.internal.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves model names to checkpoint files.
 *
 * <p>A name is an official model name or a short alias (see {@link TranslationTask#names()}), or a
 * path to a {@code .pt} file. Official files are searched in this order: the folder given in
 * {@link LoadOptions#optModelDir}, the {@code psp.models.dir} system property, the
 * {@code PSP_MODELS_DIR} environment variable, then {@code ~/.psp/models}. When the official file
 * is in none of them, the small demo model bundled with the SDK for that task is used, if there is
 * one (see {@link BundledModels}); {@link Psp#load} logs which one it loaded.
 */
public final class ModelRegistry {
  /** Where the official pretrained files are published. */
  public static final String OFFICIAL_MODELS_URL = "https://github.com/eladrich/pixel2style2pixel#pretrained-models";

  private ModelRegistry() {}

  /**
   * A resolved model: the checkpoint file and, when it was named, its task.
   *
   * @param file the {@code .pt} checkpoint
   * @param task the task of the name, empty for a path
   * @param bundled true when {@code file} is the bundled demo model standing in for a missing
   *     official file
   */
  public record Resolved(Path file, Optional<TranslationTask> task, boolean bundled) {
    /** A resolved file that is not a bundled demo model. */
    public Resolved(Path file, Optional<TranslationTask> task) {
      this(file, task, false);
    }
  }

  /**
   * The folders searched for official files, in order: {@code explicit}, the {@code psp.models.dir}
   * property, the {@code PSP_MODELS_DIR} variable, {@code ~/.psp/models}.
   */
  public static List<Path> searchFolders(Optional<Path> explicit) {
    return searchFolders(explicit, Settings.property("models.dir"), Settings.environment("models.dir"));
  }

  static List<Path> searchFolders(Optional<Path> explicit, Optional<String> property, Optional<String> environment) {
    Set<Path> out = new LinkedHashSet<>();
    explicit.ifPresent(p -> out.add(p.toAbsolutePath().normalize()));
    property.ifPresent(p -> out.add(Path.of(p).toAbsolutePath().normalize()));
    environment.ifPresent(p -> out.add(Path.of(p).toAbsolutePath().normalize()));
    out.add(Path.of(System.getProperty("user.home"), ".psp", "models").toAbsolutePath().normalize());
    return new ArrayList<>(out);
  }

  /**
   * Resolves a name or path.
   *
   * @throws ModelNotFoundException naming the file, the folders searched and where to get it; or, for
   *     an unknown name, listing the known names
   */
  public static Resolved resolve(String nameOrPath, Optional<Path> modelDir) throws ModelNotFoundException {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new ModelNotFoundException("model name must not be empty; use one of " + knownNames()
          + " or a path to a .pt file");
    }
    Optional<FamilyModel> family = FamilyModel.forName(nameOrPath);
    if (family.isPresent()) {
      return resolve(family.get(), modelDir);
    }
    Optional<TranslationTask> task = TranslationTask.forName(nameOrPath);
    if (task.isEmpty()) {
      Path p = Path.of(nameOrPath);
      if (Files.isRegularFile(p)) {
        return new Resolved(p, Optional.empty());
      }
      if (nameOrPath.toLowerCase(Locale.ROOT).endsWith(".pt") || nameOrPath.contains("/")) {
        throw new ModelNotFoundException("checkpoint file " + p.toAbsolutePath() + " does not exist");
      }
      throw new ModelNotFoundException("unknown model '" + nameOrPath + "'; known names: " + knownNames()
          + "; or give the path of a .pt checkpoint");
    }
    TranslationTask t = task.get();
    if (t.officialFile().isEmpty()) {
      Optional<Path> demo = BundledModels.extract(t);
      if (demo.isPresent()) {
        return new Resolved(demo.get(), task, true);
      }
      throw new ModelNotFoundException("there is no official pretrained model for " + t.names().get(0)
          + "; train one with psp-training and load it by path");
    }
    String file = t.officialFile().get();
    List<Path> folders = searchFolders(modelDir);
    for (Path f : folders) {
      Path candidate = f.resolve(file);
      if (Files.isRegularFile(candidate)) {
        return new Resolved(candidate, task);
      }
    }
    Optional<Path> demo = BundledModels.extract(t);
    if (demo.isPresent()) {
      return new Resolved(demo.get(), task, true);
    }
    throw new ModelNotFoundException("model '" + nameOrPath + "' needs the file " + file + ", not found in "
        + folders + ". Download it from " + OFFICIAL_MODELS_URL + " into one of these folders, or set "
        + Settings.envName("models.dir") + " (or -Dpsp.models.dir) to the folder that holds it");
  }

  private static Resolved resolve(FamilyModel m, Optional<Path> modelDir) throws ModelNotFoundException {
    Optional<TranslationTask> task = Optional.of(m.task());
    List<Path> folders = searchFolders(modelDir);
    for (Path f : folders) {
      Path candidate = f.resolve(m.officialFile());
      if (Files.isRegularFile(candidate)) {
        return new Resolved(candidate, task);
      }
    }
    Optional<Path> demo = m.bundledFile().flatMap(BundledModels::extract);
    if (demo.isPresent()) {
      return new Resolved(demo.get(), task, true);
    }
    throw new ModelNotFoundException("model '" + m.names().get(0) + "' needs the file " + m.officialFile()
        + ", not found in " + folders + ". Download it from " + m.url() + " into one of these folders, or set "
        + Settings.envName("models.dir") + " (or -Dpsp.models.dir) to the folder that holds it");
  }

  /** Whether {@code name} is a model name (a task's or a {@link FamilyModel}'s), as opposed to a path. */
  public static boolean isName(String name) {
    return TranslationTask.forName(name).isPresent() || FamilyModel.forName(name).isPresent();
  }

  /** The other names of the model a name denotes (its official name and aliases), empty for a path. */
  public static List<String> namesOf(String name) {
    return TranslationTask.forName(name).map(TranslationTask::names)
        .or(() -> FamilyModel.forName(name).map(FamilyModel::names)).orElse(List.of());
  }

  /** All official names and aliases. */
  public static List<String> knownNames() {
    List<String> out = new ArrayList<>();
    for (TranslationTask t : TranslationTask.values()) {
      out.addAll(t.names());
    }
    for (FamilyModel m : FamilyModel.values()) {
      out.addAll(m.names());
    }
    return out;
  }
}
