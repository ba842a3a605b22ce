package dev.psp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The small demo models that ship inside the SDK's jar (resources under {@value #RESOURCE_DIR}):
 * pSp models trained by this SDK on its synthetic face domain, one per task, so that {@code
 * Psp.load("sketch")} works offline before the official files are downloaded. They are not the
 * official models and their outputs are 128-pixel synthetic faces.
 *
 * <p>A model is copied once to a cache folder ({@code psp.cache.dir} or {@code PSP_CACHE_DIR}, default {@code
 * ~/.psp/cache}, falling back to the temporary folder), because checkpoints are read through file
 * channels. The copy is atomic and lives in a folder named after the first 16 hex digits of its
 * SHA-256, so a model of the same name and size from another SDK version never reuses it.
 */
public final class BundledModels {
  /** The class-path folder of the bundled models. */
  public static final String RESOURCE_DIR = "/dev/psp/models/demo/";

  private BundledModels() {}

  /** The file name of a task's demo model, e.g. {@code demo_sketch_to_face.pt}. */
  public static String fileName(TranslationTask task) {
    return "demo_" + task.name().toLowerCase(Locale.ROOT) + ".pt";
  }

  /** Whether the class path holds a demo model for {@code task}. */
  public static boolean has(TranslationTask task) {
    return BundledModels.class.getResource(RESOURCE_DIR + fileName(task)) != null;
  }

  /** The demo model of {@code task} as a local file, or empty when none is bundled. */
  public static Optional<Path> extract(TranslationTask task) {
    return extract(fileName(task));
  }

  /** A bundled model by file name (e.g. {@code demo_restyle_inversion.pt}) as a local file, or empty. */
  public static Optional<Path> extract(String file) {
    URL url = BundledModels.class.getResource(RESOURCE_DIR + file);
    if (url == null) {
      return Optional.empty();
    }
    try {
      byte[] bytes;
      try (InputStream in = url.openStream()) {
        bytes = in.readAllBytes();
      }
      // one folder per content: a newer SDK whose model has the same name and size gets its own copy
      Path target = cacheDir().resolve(digest(bytes)).resolve(file);
      if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
        return Optional.of(target);
      }
      Files.createDirectories(target.getParent());
      dev.psp.internal.AtomicFiles.write(target, out -> out.write(bytes));
      return Optional.of(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the bundled model " + file
          + " to a cache folder; set -Dpsp.cache.dir (or PSP_CACHE_DIR) to a writable folder", e);
    }
  }

  /** The first 16 hex digits of the SHA-256 of {@code bytes}. */
  static String digest(byte[] bytes) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
      return java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static Path cacheDir() throws IOException {
    String configured = dev.psp.internal.Settings.get("cache.dir").orElse(null);
    Path preferred = configured != null ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".psp", "cache");
    try {
      return Files.createDirectories(preferred);
    } catch (IOException e) {
      if (configured != null) {
        throw e;
      }
      return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "psp-cache-"
          + System.getProperty("user.name", "user")));
    }
  }
}
