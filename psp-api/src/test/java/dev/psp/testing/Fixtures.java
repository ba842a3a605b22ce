package dev.psp.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared reference fixtures (outputs of the official pSp code) for tests: the directory
 * named by the system property {@code psp.fixtures}, which the parent pom sets.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The fixtures root directory; fails if {@code psp.fixtures} is unset or not a directory. */
  public static Path root() {
    String p = System.getProperty("psp.fixtures");
    if (p == null || p.isBlank()) {
      throw new IllegalStateException(
          "system property psp.fixtures is not set; run through Maven (the parent pom sets it) or pass"
              + " -Dpsp.fixtures=/path/to/shared/fixtures");
    }
    Path root = Path.of(p).toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("psp.fixtures=" + root + " is not a directory");
    }
    return root;
  }

  /** A path relative to the fixtures root, normalised (so {@code ../spec/...} works). */
  public static Path path(String relative) {
    return root().resolve(relative).normalize();
  }
}
