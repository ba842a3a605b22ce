package dev.psp.training.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Pairs of image files from a source folder and a target folder, matched by sorted order, as the
 * official {@code ImagesDataset} does ({@code utils/data_utils.make_dataset}: every image file under
 * the folder, recursively, sorted by path). For inversion and super-resolution both folders may be
 * the same. Files are decoded on each access.
 */
public final class ImageFolderDataset implements PairedDataset {
  private static final Set<String> EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "ppm", "bmp", "tif", "tiff");

  private final List<Path> sources;
  private final List<Path> targets;
  private final TaskTransforms transforms;
  private final boolean train;

  /**
   * A dataset over two folders.
   *
   * @param train whether the training transforms (random flips) apply
   * @throws IllegalArgumentException if a folder is missing or empty, or the counts differ
   */
  public ImageFolderDataset(Path sourceRoot, Path targetRoot, TaskTransforms transforms, boolean train) {
    this.sources = list(sourceRoot);
    this.targets = list(targetRoot);
    if (sources.size() != targets.size()) {
      throw new IllegalArgumentException("source folder " + sourceRoot + " has " + sources.size()
          + " images but target folder " + targetRoot + " has " + targets.size()
          + "; pairs are matched by sorted file name, so both must hold the same number");
    }
    this.transforms = transforms;
    this.train = train;
  }

  /** The image files under {@code root}, sorted by path. */
  static List<Path> list(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("dataset folder " + root + " does not exist");
    }
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> files = s.filter(Files::isRegularFile).filter(ImageFolderDataset::isImage)
          .map(Path::toString).sorted().map(Path::of).toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("dataset folder " + root + " holds no images (" + EXTENSIONS + ")");
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  @Override
  public int size() {
    return sources.size();
  }

  @Override
  public int sourceChannels() {
    return transforms.sourceChannels();
  }

  @Override
  public Sample get(int index, Random random) {
    BufferedImage target = read(targets.get(index));
    BufferedImage source = sources.get(index).equals(targets.get(index)) ? target : read(sources.get(index));
    return transforms.apply(source, target, train, random);
  }

  private static BufferedImage read(Path p) {
    try {
      return dev.psp.image.ImageFiles.read(p);
    } catch (dev.psp.ImageFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + p, e);
    }
  }
}
