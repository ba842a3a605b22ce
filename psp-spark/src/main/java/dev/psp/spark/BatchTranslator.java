package dev.psp.spark;

import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.PspModel;
import dev.psp.align.FaceAligner;
import dev.psp.align.FaceChoice;
import dev.psp.align.ExifOrientation;
import dev.psp.align.NoFaceException;
import dev.psp.align.RgbImage;
import dev.psp.image.ImageConversion;
import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.imageio.ImageIO;

/**
 * Runs one partition's inputs through the executor's model in batches, lazily: a batch is read,
 * decoded (and aligned), preprocessed, encoded and decoded when its first result is asked for, so a
 * partition never sits in memory at once. The forward pass is the one of {@code psp translate}
 * ({@code encoder().encode} then {@code generator().synthesize}), so results equal the library's.
 * An input that cannot be read, decoded, aligned or preprocessed gives an error result; a failing
 * forward pass fails the task (that is no property of one image). Not thread-safe: one per task.
 */
final class BatchTranslator implements Iterator<ImageResult> {
  /** One input: its path, output name, and bytes (null: read from {@code path}). */
  record Input(String path, String name, byte[] content) {}

  private final Iterator<Input> inputs;
  private final PspSparkOptions options;
  private final ExecutorModel executorModel;
  private final Map<String, String> hadoopConf;
  private final Deque<ImageResult> ready = new ArrayDeque<>();

  BatchTranslator(Iterator<Input> inputs, PspSparkOptions options, ExecutorModel model, Map<String, String> hadoopConf) {
    this.inputs = inputs;
    this.options = options;
    this.executorModel = model;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public boolean hasNext() {
    if (ready.isEmpty() && inputs.hasNext()) {
      List<Input> batch = new ArrayList<>(options.batchSize());
      while (batch.size() < options.batchSize() && inputs.hasNext()) {
        batch.add(inputs.next());
      }
      ready.addAll(run(batch));
    }
    return !ready.isEmpty();
  }

  @Override
  public ImageResult next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.removeFirst();
  }

  /** The results of one batch, in input order. */
  private List<ImageResult> run(List<Input> batch) {
    PspModel model = executorModel.model();
    // loaded before the per-image catch: a landmark model that cannot load fails the task, not each image
    FaceAligner aligner = options.align() ? ExecutorModel.aligner(options) : null;
    ImageResult[] results = new ImageResult[batch.size()];
    List<Integer> ok = new ArrayList<>();
    List<float[]> tensors = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Input in = batch.get(i);
      try {
        BufferedImage image = decode(in, aligner);
        // per image, so that an image the task's preprocessing refuses fails alone
        tensors.add(model.encoder().preprocess(List.of(image)).toFloatArray());
        ok.add(i);
      } catch (IOException | NoFaceException | RuntimeException e) {
        // the path column is not nullable: a row without one is reported under the path ""
        results[i] = new ImageResult(in.path() == null ? "" : in.path(), in.name(), null, null, null, oneLine(e));
      }
    }
    if (!ok.isEmpty()) {
      forward(batch, ok, stack(tensors, model.encoder().inputNc()), results);
    }
    return List.of(results);
  }

  private BufferedImage decode(Input in, FaceAligner aligner) throws IOException, NoFaceException {
    if (in.content() == null && in.path() == null) {
      throw new IOException("the row has neither a path nor content");
    }
    byte[] bytes = in.content() != null ? in.content() : OutputStore.readInput(in.path(), hadoopConf);
    BufferedImage image;
    try {
      image = dev.psp.image.ImageFiles.decode(bytes, "image " + in.path());
    } catch (dev.psp.ImageFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (aligner != null) {
      try {
        image = aligner.align(RgbImage.of(image), FaceChoice.parse(options.face()), in.path()).get(0).image()
            .toBufferedImage();
      } catch (NoFaceException e) { // a photo on its side, as cameras store them: say so
        String name = in.path() != null ? Names.fileName(in.path()) : in.name() != null ? in.name() : "the photo";
        throw new NoFaceException(e.getMessage() + ExifOrientation.hint(ExifOrientation.of(bytes), name));
      }
    }
    return image;
  }

  private void forward(List<Input> batch, List<Integer> ok, TensorData x, ImageResult[] results) {
    PspModel model = executorModel.model();
    OutputSize size = OutputSize.of(options.pooled());
    Long[] seeds = new Long[ok.size()];
    if (options.seed().isPresent()) {
      for (int k = 0; k < ok.size(); k++) {
        seeds[k] = Names.noiseSeed(options.seed().getAsLong(), batch.get(ok.get(k)).name());
      }
    }
    LatentCode codes;
    List<TensorData> images = new ArrayList<>();
    try {
      codes = executorModel.infer(() -> {
        LatentCode c = model.encoder().encode(x);
        if (options.images()) {
          if (seeds[0] == null) {
            images.add(model.generator().synthesize(c, Noise.fixed(), size));
          } else {
            // each image its own seed (mixed from its name, the row's seed column): one decode per image
            for (int k = 0; k < ok.size(); k++) {
              images.add(model.generator().synthesize(c.sample(k), Noise.seeded(seeds[k]), size));
            }
          }
        }
        return c;
      });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("inference was interrupted", e);
    }
    for (int k = 0; k < ok.size(); k++) {
      Input in = batch.get(ok.get(k));
      byte[] png = null;
      if (options.images()) {
        // fixed noise: one batch of outputs; seeded noise: one output per image
        png = png(seeds[0] == null ? ImageConversion.toImage(images.get(0), k) : ImageConversion.toImage(images.get(k), 0));
      }
      float[][] code = options.codes() ? rows(codes, k) : null;
      results[ok.get(k)] = new ImageResult(in.path(), in.name(), png, code, seeds[k], null);
    }
  }

  /** Concatenates preprocessed single images {@code [1, C, 256, 256]} into one batch. */
  private static TensorData stack(List<float[]> tensors, int channels) {
    int per = tensors.get(0).length;
    float[] all = new float[per * tensors.size()];
    for (int i = 0; i < tensors.size(); i++) {
      System.arraycopy(tensors.get(i), 0, all, i * per, per);
    }
    int side = dev.psp.Encoder.INPUT_SIZE;
    return TensorData.ofFloats(all, tensors.size(), channels, side, side);
  }

  private static float[][] rows(LatentCode codes, int sample) {
    float[][] out = new float[codes.nStyles()][];
    for (int r = 0; r < codes.nStyles(); r++) {
      out[r] = codes.row(sample, r);
    }
    return out;
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a PNG in memory", e);
    }
    return out.toByteArray();
  }

  /** The message of an exception on one line, with its type where the message alone would be unclear. */
  static String oneLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      m = t.getClass().getSimpleName();
    }
    return m.replace('\n', ' ').replaceAll("\\s+", " ");
  }
}
