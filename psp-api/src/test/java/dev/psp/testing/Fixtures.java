package dev.psp.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared reference fixtures, whose folder the build passes as {@code -Dpsp.fixtures}. */
public final class Fixtures {
  private Fixtures() {}

  /** The fixtures folder; fails with a message saying how to provide it when it is missing. */
  public static Path root() {
    String property = System.getProperty("psp.fixtures");
    if (property == null) {
      throw new IllegalStateException("system property psp.fixtures is not set; run the tests with Maven,"
          + " whose parent pom points it at ../shared/fixtures, or pass -Dpsp.fixtures=<folder>");
    }
    Path root = Path.of(property).toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("fixtures folder " + root + " (from -Dpsp.fixtures) does not exist;"
          + " check out the shared fixtures beside the repository or point psp.fixtures at them");
    }
    return root;
  }

  /** A file or folder inside the fixtures folder, which must exist. */
  public static Path path(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("fixture " + p + " does not exist; the fixtures folder is incomplete");
    }
    return p;
  }
}
