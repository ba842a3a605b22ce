package dev.psp.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The native libraries this process has loaded, from {@code /proc/self/maps} (Linux). Not API. */
public final class NativeLibraries {
  private NativeLibraries() {}

  /**
   * The file of a loaded library whose name starts with {@code stem + ".so"} or {@code stem + "-"}
   * (e.g. {@code libc} finds {@code libc.so.6}); empty where the maps cannot be read or none matches.
   */
  public static Optional<String> loadedPath(String stem) {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(maps)) {
        int slash = line.indexOf('/');
        if (slash < 0) {
          continue;
        }
        String file = line.substring(slash);
        String name = Path.of(file).getFileName().toString();
        if (name.startsWith(stem + ".so") || name.startsWith(stem + "-")) {
          return Optional.of(file);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
