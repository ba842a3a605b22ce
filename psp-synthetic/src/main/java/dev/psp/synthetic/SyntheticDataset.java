package dev.psp.synthetic;

import dev.psp.TranslationTask;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Writes a synthetic dataset for one pSp task in the layout the official data configs point at:
 * {@code train_source/}, {@code train_target/}, {@code test_source/}, {@code test_target/}, each
 * holding {@code 00000.png}, {@code 00001.png}, ... where equal names form a pair (see {@link
 * SyntheticFaces#pair}). Training face {@code i} is face {@code i} of the seed's stream, test face
 * {@code i} is face {@link #TEST_OFFSET}{@code + i}, so the splits never share a face. A {@code
 * synthetic.properties} file beside the folders records task, seed, size and counts. Stateless.
 */
public final class SyntheticDataset {
  /** Folder of the training inputs ({@code train_source_root} of the official data configs). */
  public static final String TRAIN_SOURCE = "train_source";
  /** Folder of the training targets. */
  public static final String TRAIN_TARGET = "train_target";
  /** Folder of the test inputs. */
  public static final String TEST_SOURCE = "test_source";
  /** Folder of the test targets. */
  public static final String TEST_TARGET = "test_target";
  /** The face index of the first test pair. */
  public static final long TEST_OFFSET = 1L << 40;

  private SyntheticDataset() {}

  /**
   * Writes {@code count} training pairs and {@code max(1, count / 10)} test pairs for a task named
   * as {@link TranslationTask#forName} accepts: "inversion", "frontalization", "sketch",
   * "segmentation", "super_resolution" or "inpainting".
   *
   * @throws IllegalArgumentException for an unknown or unsupported task name or a bad count or size
   */
  public static void write(Path dir, String task, int count, int size, long seed) throws IOException {
    Objects.requireNonNull(task, "task");
    TranslationTask t = TranslationTask.forName(task).orElseThrow(() -> new IllegalArgumentException(
        "unknown task '" + task + "'; use inversion, frontalization, sketch, segmentation, super_resolution or inpainting"));
    write(dir, t, count, Math.max(1, count / 10), size, seed);
  }

  /**
   * Writes {@code trainCount} training and {@code testCount} test pairs of {@code size×size} PNGs.
   *
   * @throws IllegalArgumentException for toonify, a count below 0, or a size {@link FaceRenderer}
   *     does not accept
   */
  public static void write(Path dir, TranslationTask task, int trainCount, int testCount, int size, long seed)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    SyntheticFaces.requireSupported(task);
    if (trainCount < 0 || testCount < 0) {
      throw new IllegalArgumentException("counts must be >= 0, got train " + trainCount + ", test " + testCount);
    }
    if (size < FaceRenderer.MIN_SIZE || size > FaceRenderer.MAX_SIZE) {
      throw new IllegalArgumentException("size must be in [" + FaceRenderer.MIN_SIZE + ", "
          + FaceRenderer.MAX_SIZE + "], got " + size);
    }
    writeSplit(dir.resolve(TRAIN_SOURCE), dir.resolve(TRAIN_TARGET), task, 0, trainCount, size, seed);
    writeSplit(dir.resolve(TEST_SOURCE), dir.resolve(TEST_TARGET), task, TEST_OFFSET, testCount, size, seed);
    // written by hand rather than with Properties.store, which adds a timestamp: equal arguments, equal bytes
    String provenance = "# pSp synthetic face dataset\n"
        + "generator=" + SyntheticDataset.class.getName() + "\n"
        + "task=" + task.name().toLowerCase(Locale.ROOT) + "\n"
        + "seed=" + seed + "\n"
        + "size=" + size + "\n"
        + "train_count=" + trainCount + "\n"
        + "test_count=" + testCount + "\n"
        + "test_offset=" + TEST_OFFSET + "\n";
    dev.psp.internal.AtomicFiles.write(dir.resolve("synthetic.properties"), out -> out.write(provenance.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** The file name of pair {@code i} in a split of {@code count} pairs: at least five digits. */
  public static String fileName(int i, int count) {
    int digits = Math.max(5, Integer.toString(Math.max(0, count - 1)).length());
    return String.format(Locale.ROOT, "%0" + digits + "d.png", i);
  }

  private static void writeSplit(Path sourceDir, Path targetDir, TranslationTask task, long offset, int count,
      int size, long seed) throws IOException {
    Files.createDirectories(sourceDir);
    Files.createDirectories(targetDir);
    for (int i = 0; i < count; i++) {
      SyntheticFaces.Pair pair = SyntheticFaces.pair(task, seed, offset + i, size);
      String name = fileName(i, count);
      png(pair.source(), sourceDir.resolve(name));
      png(pair.target(), targetDir.resolve(name));
    }
  }

  private static void png(BufferedImage image, Path file) throws IOException {
    dev.psp.internal.AtomicFiles.writeImage(file, image, "png");
  }
}
