package dev.psp.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the whole new one: the bytes go to a
 * temporary file beside it (created with the process's usual permissions, unlike {@code
 * Files.createTempFile}'s owner-only ones), which is then renamed over it. A failed write leaves the
 * old file as it was and no temporary file behind. Not API.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What writes the content. */
  public interface Writer {
    /** Writes the content to {@code out} (buffered; closed by the caller). */
    void write(OutputStream out) throws IOException;
  }

  /** Writes {@code file} through {@code writer}, atomically. */
  public static void write(Path file, Writer writer) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = temporary(abs);
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.WRITE), 1 << 20)) {
        writer.write(out);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes {@code text} as UTF-8, atomically. */
  public static void writeString(Path file, String text) throws IOException {
    write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Writes an image in an ImageIO format ({@code png}, {@code jpg}, {@code bmp}), atomically. */
  public static void writeImage(Path file, java.awt.image.RenderedImage image, String format) throws IOException {
    write(file, out -> {
      if (!javax.imageio.ImageIO.write(image, format, out)) {
        throw new IOException("no " + format + " image writer for " + file + "; check the JDK's javax.imageio plugins");
      }
    });
  }

  /** A new empty file beside {@code file}, named after it. */
  private static Path temporary(Path file) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(
          ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".partial");
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }
}
