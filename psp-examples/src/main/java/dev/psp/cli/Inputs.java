package dev.psp.cli;

import dev.psp.PspModel;
import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
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
   * @param from index of the batch's first input
   * @param names one per sample
   * @param tensor {@code [B, C, 256, 256]}
   * @param numbers one per sample: its place among all the command's inputs, also when finished
   *     ones were skipped (the stream number of its random noise)
   */
  record Batch(int from, List<String> names, TensorData tensor, long[] numbers) {}

  /** Reads one input image when its batch is due. */
  interface ImageReader {
    BufferedImage read() throws IOException;
  }

  private final List<String> names;
  private final List<ImageReader> images;
  private final TensorData npy;
  private final long[] numbers;

  private Inputs(List<String> names, List<ImageReader> images, TensorData npy) {
    this(names, images, npy, java.util.stream.LongStream.range(0, names.size()).toArray());
  }

  private Inputs(List<String> names, List<ImageReader> images, TensorData npy, long[] numbers) {
    this.names = names;
    this.images = images;
    this.npy = npy;
    this.numbers = numbers;
  }

  static Inputs open(Path input) throws IOException {
    if (Io.isNpy(input)) {
      TensorData t = Io.readNpy(input);
      if (t.dtype() != dev.psp.io.DType.FLOAT32 && t.dtype() != dev.psp.io.DType.FLOAT64) {
        throw new IOException(input + ": a preprocessed .npy input must be float32 or float64, got "
            + t.dtype().name().toLowerCase(Locale.ROOT));
      }
      if (t.rank() > 0 && t.dim(0) == 0) {
        throw new IOException(input + ": the file holds no inputs (batch 0)");
      }
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
    List<Path> files = Io.imageFilesNamingOutputs(input);
    return new Inputs(files.stream().map(Io::stem).toList(),
        files.stream().map(f -> (ImageReader) () -> Io.readImage(f)).toList(), null);
  }

  /** The image files of {@code input}, aligned first when {@code align} asks for it. */
  static Inputs open(Path input, AlignOptions align, Path modelDir, PrintWriter err) throws IOException {
    if (!align.align) {
      return open(input);
    }
    return aligned(alignedPhotos(input, align, modelDir, err));
  }

  /** Aligns the photos of {@code input} (an image or a folder) and reports the ones without a face. */
  static AlignedPhotos alignedPhotos(Path input, AlignOptions align, Path modelDir, PrintWriter err) throws IOException {
    if (Io.isNpy(input)) {
      throw new PspCli.UsageException("--align takes photos, not a preprocessed .npy: " + input);
    }
    List<Path> files = Io.imageFilesNamingOutputs(input);
    AlignedPhotos photos = AlignedPhotos.align(files, align.aligner(modelDir), align.choice(), err);
    photos.report(err);
    return photos;
  }

  /** The aligned crops as inputs, named after their entries. */
  static Inputs aligned(AlignedPhotos photos) {
    List<String> names = new ArrayList<>();
    List<ImageReader> images = new ArrayList<>();
    for (AlignedPhotos.Entry e : photos.entries) {
      names.add(e.name());
      images.add(() -> e.face().image().toBufferedImage());
    }
    return new Inputs(List.copyOf(names), List.copyOf(images), null);
  }

  int size() {
    return names.size();
  }

  /** These inputs without the ones {@code done} accepts by name (image inputs only). */
  Inputs without(java.util.function.Predicate<String> done) {
    if (npy != null) {
      throw new PspCli.UsageException("--skip-existing takes images or a folder of images, not an .npy batch");
    }
    List<String> keptNames = new ArrayList<>();
    List<ImageReader> keptImages = new ArrayList<>();
    java.util.stream.LongStream.Builder kept = java.util.stream.LongStream.builder();
    for (int i = 0; i < names.size(); i++) {
      if (!done.test(names.get(i))) {
        keptNames.add(names.get(i));
        keptImages.add(images.get(i));
        kept.add(numbers[i]);
      }
    }
    return new Inputs(List.copyOf(keptNames), List.copyOf(keptImages), null, kept.build().toArray());
  }

  List<String> names() {
    return names;
  }

  /** Refuses a {@code --batch-size} below 1: commands call it before loading a model. */
  static void checkBatchSize(int batchSize) {
    if (batchSize < 1) {
      throw new PspCli.UsageException("--batch-size must be >= 1, got " + batchSize);
    }
  }

  /**
   * The batches, preprocessed for the model. Each batch is read and preprocessed when the iteration
   * reaches it, so a folder of any size runs in the memory of one batch.
   */
  Iterable<Batch> batches(PspModel model, int batchSize) {
    checkBatchSize(batchSize);
    return () -> new java.util.Iterator<>() {
      private int from;

      @Override
      public boolean hasNext() {
        return from < size();
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        int to = (int) Math.min(size(), (long) from + batchSize);
        try {
          Batch b = new Batch(from, names.subList(from, to), tensor(model, from, to),
              java.util.Arrays.copyOfRange(numbers, from, to));
          from = to;
          return b;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
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
    for (ImageReader r : images.subList(from, to)) {
      imgs.add(r.read());
    }
    return model.encoder().preprocess(imgs);
  }
}
