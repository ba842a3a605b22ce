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
  private final String suffix;

  Outputs(Path target, int count) {
    this(target, count, "");
  }

  private Outputs(Path target, int count, String suffix) {
    this.suffix = suffix;
    this.target = target;
    this.npy = Io.isNpy(target);
    boolean image = Io.isImageName(target);
    this.folder = !npy && (!image || Files.isDirectory(target));
    if (folder && !Io.extension(target).isEmpty() && !Files.isDirectory(target)) {
      throw new PspCli.UsageException("--output " + target + ": ." + Io.extension(target) + " is not an output format;"
          + " use .png, .jpg, .bmp or .npy, or a folder name without an extension");
    }
    if (image && !folder && count > 1) {
      throw new PspCli.UsageException("--output " + target + " is one image but there are " + count
          + " outputs; give a folder or an .npy file");
    }
  }

  /** True when the outputs go to a folder, one PNG per input. */
  boolean isFolder() {
    return folder;
  }

  /** True when the folder already holds the output of the input named {@code name}. */
  boolean exists(String name) {
    return folder && Files.isRegularFile(target.resolve(name + suffix + ".png"));
  }

  /** Writes (or collects) a batch of generator outputs named by {@code names}. */
  void write(TensorData images, List<String> names) throws IOException {
    if (npy) {
      collected.add(images);
      return;
    }
    for (int b = 0; b < names.size(); b++) {
      Path p = folder ? target.resolve(names.get(b) + suffix + ".png") : target;
      Io.writeImage(ImageConversion.toImage(images, b), p);
    }
  }

  /**
   * Where the outputs of an intermediate step go: in a folder, each name gets {@code _step<k>}; a
   * file target gets it before its extension ({@code out.png} → {@code out_step0.png}).
   */
  Outputs forStep(int k, int count) {
    String tag = "_step" + k;
    if (folder) {
      return new Outputs(target, count, tag);
    }
    String name = target.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return new Outputs(target.resolveSibling(name.substring(0, dot) + tag + name.substring(dot)), count, "");
  }

  /** Finishes: writes the collected {@code .npy}. */
  void close() throws IOException {
    if (npy && !collected.isEmpty()) {
      Io.writeNpy(Io.stack(collected), target);
    }
  }
}
