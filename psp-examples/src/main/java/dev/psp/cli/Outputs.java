package dev.psp.cli;

import dev.psp.image.ImageConversion;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's images go: one image file, a folder of PNGs named after the inputs, or one
 * {@code .npy} file holding the raw generator outputs {@code [N, 3, S, S]}, unclamped.
 */
final class Outputs {
  private final Path target;
  private final boolean npy;
  private final boolean folder;
  private final List<TensorData> collected = new ArrayList<>();

  Outputs(Path target, int count) {
    this.target = target;
    this.npy = Io.isNpy(target);
    boolean image = Io.isImageName(target);
    this.folder = !npy && (!image || Files.isDirectory(target));
    if (image && !folder && count > 1) {
      throw new PspCli.UsageException("--output " + target + " is one image but there are " + count
          + " outputs; give a folder or an .npy file");
    }
  }

  /** Writes (or collects) a batch of generator outputs named by {@code names}. */
  void write(TensorData images, List<String> names) throws IOException {
    if (npy) {
      collected.add(images);
      return;
    }
    for (int b = 0; b < names.size(); b++) {
      Path p = folder ? target.resolve(names.get(b) + ".png") : target;
      Io.writeImage(ImageConversion.toImage(images, b), p);
    }
  }

  /** Finishes: writes the collected {@code .npy}. */
  void close() throws IOException {
    if (npy && !collected.isEmpty()) {
      Io.writeNpy(Io.stack(collected), target);
    }
  }
}
