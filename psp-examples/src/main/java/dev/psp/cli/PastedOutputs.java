package dev.psp.cli;

import dev.psp.align.PasteBack;
import dev.psp.align.RgbImage;
import dev.psp.image.ImageConversion;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where results go with {@code --paste-back}: each generated face is warped back into its photo, and
 * a photo is written once all its faces are in, as {@code <photo stem><suffix>.png} in a folder or as
 * the one output image.
 */
final class PastedOutputs {
  private final Path target;
  private final boolean folder;
  private final AlignedPhotos photos;
  private final Map<Path, Integer> facesPerPhoto = new HashMap<>();
  private final Map<String, Canvas> open = new HashMap<>();

  private static final class Canvas {
    RgbImage image;
    int missing;
  }

  /**
   * @param variants outputs per face (a photo is written once per variant)
   */
  PastedOutputs(Path target, AlignedPhotos photos, int variants) {
    if (Io.isNpy(target)) {
      throw new PspCli.UsageException("--paste-back writes photos; --output must be an image or a folder, not " + target);
    }
    this.target = target;
    this.photos = photos;
    this.folder = !Io.isImageName(target) || Files.isDirectory(target);
    int count = photos.photoCount() * variants;
    if (!folder && count > 1) {
      throw new PspCli.UsageException("--output " + target + " is one image but there are " + count
          + " pasted photos; give a folder");
    }
    for (AlignedPhotos.Entry e : photos.entries) {
      facesPerPhoto.merge(e.photo(), 1, Integer::sum);
    }
  }

  /**
   * Pastes a batch of generated faces: sample {@code b} belongs to entry {@code from + b}.
   *
   * @param suffix added to the photo's stem in the output name (empty, or {@code _mix<k>} ...)
   */
  void write(TensorData images, int from, String suffix) throws IOException {
    for (int b = 0; b < images.dim(0); b++) {
      AlignedPhotos.Entry e = photos.entries.get(from + b);
      paste(e, RgbImage.of(ImageConversion.toImage(images, b)), suffix);
    }
  }

  /** Pastes one generated face of entry {@code e}. */
  void paste(AlignedPhotos.Entry e, RgbImage face, String suffix) throws IOException {
    String key = Io.stem(e.photo()) + suffix;
    Canvas c = open.get(key);
    if (c == null) {
      c = new Canvas();
      c.image = RgbImage.of(Io.readImage(e.photo()));
      c.missing = facesPerPhoto.get(e.photo());
      open.put(key, c);
    }
    c.image = PasteBack.paste(c.image, e.face(), face);
    if (--c.missing == 0) {
      open.remove(key);
      Io.writeImage(c.image.toBufferedImage(), folder ? target.resolve(key + ".png") : target);
    }
  }

  /** Pastes one generated face of a photo with one face and writes it to {@code file}. */
  void pasteAs(AlignedPhotos.Entry e, RgbImage face, Path file) throws IOException {
    RgbImage photo = RgbImage.of(Io.readImage(e.photo()));
    Io.writeImage(PasteBack.paste(photo, e.face(), face).toBufferedImage(), file);
  }

  /** Checks that every photo was written. */
  void close() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("photos not completed: " + List.copyOf(open.keySet()));
    }
  }
}
