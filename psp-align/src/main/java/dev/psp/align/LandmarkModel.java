package dev.psp.align;

import dev.psp.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds dlib's 68-point landmark model, {@value #FILE} (100 MB, the file the official alignment script
 * uses): in the model folders ({@code psp.models.dir}, {@code PSP_MODELS_DIR}, {@code ~/.psp/models}),
 * then in {@code /usr/share/dlib/}, where Debian's {@code libdlib-data} package installs it.
 */
public final class LandmarkModel {
  /** The file name of dlib's model. */
  public static final String FILE = "shape_predictor_68_face_landmarks.dat";
  /** Where dlib publishes the model (bzip2-compressed). */
  public static final String DOWNLOAD_URL = "http://dlib.net/files/shape_predictor_68_face_landmarks.dat.bz2";
  private static final Path SYSTEM_FOLDER = Path.of("/usr/share/dlib");

  private LandmarkModel() {}

  /** The folders searched, in order. */
  public static List<Path> searchFolders(Optional<Path> modelDir) {
    List<Path> out = new ArrayList<>(ModelRegistry.searchFolders(modelDir));
    out.add(SYSTEM_FOLDER);
    return out;
  }

  /**
   * The model file: {@code explicit} when given (a file, or a folder holding {@value #FILE}), else the
   * first found in {@link #searchFolders(Optional)}.
   *
   * @throws java.nio.file.NoSuchFileException naming the folders searched and how to get the file
   */
  public static Path locate(Optional<Path> explicit, Optional<Path> modelDir) throws java.nio.file.NoSuchFileException {
    if (explicit.isPresent()) {
      Path p = explicit.get();
      Path file = Files.isDirectory(p) ? p.resolve(FILE) : p;
      if (!Files.isRegularFile(file)) {
        throw new java.nio.file.NoSuchFileException(file.toString(), null,
            "dlib's landmark model not found there. " + howToGet());
      }
      return file;
    }
    List<Path> folders = searchFolders(modelDir);
    for (Path f : folders) {
      Path candidate = f.resolve(FILE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new java.nio.file.NoSuchFileException(FILE, null, "dlib's landmark model, needed to align faces, is not in "
        + folders + ". " + howToGet());
  }

  /** The advice given when the file is missing. */
  static String howToGet() {
    return "Install it with 'apt-get install libdlib-data' (Debian/Ubuntu, puts it in /usr/share/dlib), or download "
        + DOWNLOAD_URL + ", unpack it with bunzip2 into a model folder (PSP_MODELS_DIR or ~/.psp/models)";
  }
}
