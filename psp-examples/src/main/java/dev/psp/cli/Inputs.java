package dev.psp.cli;

import dev.psp.PspModel;
import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The encoder inputs of a command, in batches: image files (given the task's official
 * preprocessing) or one {@code .npy} tensor {@code [B, C, 256, 256]} taken as already preprocessed.
 */
final class Inputs {
  /**
   * One batch: the inputs' names (file stems) and the preprocessed tensor.
   *
   * @param names one per sample
   * @param tensor {@code [B, C, 256, 256]}
   */
  record Batch(List<String> names, TensorData tensor) {}

  private final List<String> names;
  private final List<Path> images;
  private final TensorData npy;

  private Inputs(List<String> names, List<Path> images, TensorData npy) {
    this.names = names;
    this.images = images;
    this.npy = npy;
  }

  static Inputs open(Path input) throws IOException {
    if (Io.isNpy(input)) {
      TensorData t = Io.readNpy(input);
      if (t.dtype() != dev.psp.io.DType.FLOAT32) {
        t = TensorData.ofFloats(t.toFloatArray(), t.shape()); // converted once, as the batches below assume
      }
      if (t.rank() != 4) {
        throw new IOException(input + ": an .npy input must be a preprocessed batch [B, C, 256, 256], got "
            + java.util.Arrays.toString(t.shape()));
      }
      List<String> names = new ArrayList<>();
      for (int b = 0; b < t.dim(0); b++) {
        names.add(String.format(Locale.ROOT, "%s_%03d", Io.stem(input), b));
      }
      return new Inputs(names, List.of(), t);
    }
    List<Path> files = Io.imageFiles(input);
    return new Inputs(files.stream().map(Io::stem).toList(), files, null);
  }

  int size() {
    return names.size();
  }

  List<String> names() {
    return names;
  }

  /** The batches, preprocessed for the model. */
  List<Batch> batches(PspModel model, int batchSize) throws IOException {
    if (batchSize < 1) {
      throw new PspCli.UsageException("--batch-size must be >= 1, got " + batchSize);
    }
    List<Batch> out = new ArrayList<>();
    for (int from = 0; from < size(); from += batchSize) {
      int to = Math.min(size(), from + batchSize);
      out.add(new Batch(names.subList(from, to), tensor(model, from, to)));
    }
    return out;
  }

  /** Loads one batch. Images are read lazily so a large folder never sits in memory at once. */
  TensorData tensor(PspModel model, int from, int to) throws IOException {
    if (npy != null) {
      // a view of the batch's rows: no conversion or copy of the whole file per batch
      int rowBytes = Math.toIntExact(npy.numel() / npy.dim(0) * 4);
      java.nio.ByteBuffer rows = npy.bytes().position(from * rowBytes).limit(to * rowBytes);
      long[] shape = npy.shape();
      shape[0] = to - from;
      return TensorData.of(dev.psp.io.DType.FLOAT32, shape, rows);
    }
    List<BufferedImage> imgs = new ArrayList<>();
    for (Path p : images.subList(from, to)) {
      imgs.add(Io.readImage(p));
    }
    return model.encoder().preprocess(imgs);
  }
}
