package dev.psp.training.parser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.image.Planes;
import dev.psp.io.TensorData;
import dev.psp.nn.RandomWeights;
import dev.psp.nn.StateDictSpec;
import dev.psp.synthetic.SyntheticFace;
import dev.psp.synthetic.SyntheticFaces;
import dev.psp.training.TrainingListener;
import dev.psp.training.optim.Adam;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link FaceParser} on faces of the synthetic domain and their exact label maps: Adam,
 * class-weighted cross-entropy (each class weighted by the inverse square root of its pixel share
 * in the first faces, so glasses, eyes and lips count although they cover few pixels), batches drawn
 * uniformly with replacement from faces {@code 0..faces-1} of a seed, each rendered once and kept
 * (4·size² bytes per face: 16 kB at 64 px). Deterministic: step i draws
 * from a generator seeded by {@code (seed, i)}, and the weights start from the official PyTorch
 * initialisation seeded by the seed. Owns native memory: close it. Not thread-safe.
 */
public final class FaceParserTrainer implements AutoCloseable {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final int WEIGHT_FACES = 200;

  private final FaceParser parser;
  private final long seed;
  private final int faces;
  private final int batch;
  private final NDManager root;
  private final Map<String, NDArray> weights;
  private final Adam adam;
  private final float[] classWeights;
  private final byte[][] rgbCache;
  private final byte[][] labelCache;
  private long step;
  private boolean closed;

  /**
   * A trainer of {@code parser} from fresh weights, on {@code faces} faces of {@code seed}, {@code
   * batch} faces per step, learning rate {@code lr}.
   */
  public FaceParserTrainer(FaceParser parser, long seed, int faces, int batch, double lr) {
    if (faces < 1 || batch < 1) {
      throw new IllegalArgumentException("faces and batch must be >= 1, got " + faces + " and " + batch);
    }
    if ((long) batch * FaceParser.CLASSES * parser.size() * parser.size() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a batch of " + batch + " " + parser.size() + "-px faces has more one-hot"
          + " targets than a Java array holds; use a batch of at most "
          + Integer.MAX_VALUE / ((long) FaceParser.CLASSES * parser.size() * parser.size()));
    }
    this.parser = parser;
    this.seed = seed;
    this.faces = faces;
    this.batch = batch;
    this.rgbCache = new byte[faces][];
    this.labelCache = new byte[faces][];
    int counted = Math.min(faces, WEIGHT_FACES);
    for (int i = 0; i < counted; i++) {
      cache(i);
    }
    this.classWeights = classWeights(java.util.Arrays.asList(labelCache).subList(0, counted));
    this.root = PyTorchEngine.djl().newBaseManager();
    try {
      this.weights = DjlTensorOps.toNDArrays(root, RandomWeights.of(parser.stateDictSpec(), seed));
      weights.values().forEach(w -> w.setRequiresGradient(true));
      this.adam = new Adam(weights, lr);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** Renders face {@code index} into the cache unless it is there. */
  private void cache(int index) {
    if (rgbCache[index] == null) {
      SyntheticFace face = SyntheticFaces.sample(seed, index, parser.size());
      rgbCache[index] = rgbBytes(face);
      labelCache[index] = face.labels();
    }
  }

  /** Per class: (pixel share)^-1/2 over the label maps, scaled so the mean weight per pixel is 1; 0 if absent. */
  static float[] classWeights(java.util.List<byte[]> labelMaps) {
    double[] count = new double[FaceParser.CLASSES];
    for (byte[] map : labelMaps) {
      for (byte l : map) {
        count[l]++;
      }
    }
    return ClassWeights.of(count);
  }

  /** Trains steps {@link #steps()} .. {@code lastStep}, reporting {@code loss_ce} to the listener. */
  public void train(long lastStep, TrainingListener listener) {
    long t0 = System.nanoTime();
    long first = step;
    while (step <= lastStep) {
      long s = step;
      double loss = step();
      listener.onStep(s, lastStep, Map.of("loss_ce", loss), (System.nanoTime() - t0) / 1e9 / (s - first + 1));
    }
  }

  /** One Adam step on a batch; returns its class-weighted cross-entropy. */
  public double step() {
    checkOpen();
    SplittableRandom rng = new SplittableRandom(new SplittableRandom(seed + step * GOLDEN).nextLong());
    int s = parser.size();
    int plane = s * s;
    float[] images = new float[batch * 3 * plane];
    float[] target = new float[batch * FaceParser.CLASSES * plane];
    for (int b = 0; b < batch; b++) {
      int index = rng.nextInt(faces);
      cache(index);
      toModelInput(rgbCache[index], images, b);
      byte[] labels = labelCache[index];
      for (int i = 0; i < plane; i++) {
        target[(b * FaceParser.CLASSES + labels[i]) * plane + i] = classWeights[labels[i]];
      }
    }
    double value;
    try (NDManager call = root.newSubManager()) {
      NDArray x = call.create(images, new Shape(batch, 3, s, s));
      NDArray t = call.create(target, new Shape(batch, FaceParser.CLASSES, s, s));
      try (GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
        NDArray logits = parser.logits(new DjlTensorOps(call, weights), x);
        NDArray loss = logits.logSoftmax(1).mul(t).sum().mul(call.create(-1f / (batch * plane)));
        gc.backward(loss);
        value = loss.getFloat();
      }
    }
    adam.step();
    step++;
    return value;
  }

  /** Image b of a batch: RGB bytes to [-1, 1] as Preprocessing.rgb does. */
  private static void toModelInput(byte[] rgb, float[] batch, int b) {
    for (int i = 0; i < rgb.length; i++) {
      batch[b * rgb.length + i] = ((rgb[i] & 0xFF) / 255f - 0.5f) / 0.5f;
    }
  }

  /** The face's RGB planes, {@code [3,S,S]} bytes. */
  private static byte[] rgbBytes(SyntheticFace face) {
    int[][] planes = Planes.rgb(face.image());
    int plane = planes[0].length;
    byte[] out = new byte[3 * plane];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        out[c * plane + i] = (byte) planes[c][i];
      }
    }
    return out;
  }

  /**
   * How well the parser labels faces {@code from .. from+count-1} of {@code seed}: pixel accuracy and
   * per-class intersection over union (NaN for a class that is neither present nor predicted).
   */
  public Evaluation evaluate(long seed, long from, int count) {
    checkOpen();
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    int s = parser.size();
    int plane = s * s;
    long[] inter = new long[FaceParser.CLASSES];
    long[] union = new long[FaceParser.CLASSES];
    long right = 0;
    for (int done = 0; done < count; done += batch) {
      int n = Math.min(batch, count - done);
      float[] images = new float[n * 3 * plane];
      byte[][] labels = new byte[n][];
      for (int b = 0; b < n; b++) {
        SyntheticFace face = SyntheticFaces.sample(seed, from + done + b, s);
        toModelInput(rgbBytes(face), images, b);
        labels[b] = face.labels();
      }
      long[] predicted = DjlTensorOps.withoutGrad(() -> {
        try (NDManager call = root.newSubManager()) {
          NDArray logits = parser.logits(new DjlTensorOps(call, weights), call.create(images, new Shape(n, 3, s, s)));
          return logits.argMax(1).toLongArray();
        }
      });
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < plane; i++) {
          int truth = labels[b][i];
          int guess = (int) predicted[b * plane + i];
          if (truth == guess) {
            right++;
            inter[truth]++;
            union[truth]++;
          } else {
            union[truth]++;
            union[guess]++;
          }
        }
      }
    }
    double[] iou = new double[FaceParser.CLASSES];
    for (int c = 0; c < iou.length; c++) {
      iou[c] = union[c] == 0 ? Double.NaN : inter[c] / (double) union[c];
    }
    return new Evaluation(right / ((double) count * plane), iou);
  }

  /**
   * A parser's scores on held-out faces.
   *
   * @param pixelAccuracy the share of pixels labelled right
   * @param iou per class, intersection over union (NaN where neither present nor predicted)
   */
  public record Evaluation(double pixelAccuracy, double[] iou) {}

  /** The weights and step as a checkpoint. */
  public FaceParserCheckpoint checkpoint() {
    checkOpen();
    Map<String, TensorData> sd = new LinkedHashMap<>();
    for (StateDictSpec.Entry e : parser.stateDictSpec().entries()) {
      sd.put(e.key(), DjlTensorOps.toTensorData(weights.get(e.key())));
    }
    return new FaceParserCheckpoint(parser, step, sd);
  }

  /** The number of completed steps. */
  public long steps() {
    return step;
  }

  /** Releases every native array. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    adam.close();
    root.close();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this trainer is closed");
    }
  }

  @Override
  public String toString() {
    return "FaceParserTrainer[" + parser + ", step " + step + ", " + faces + " faces of seed " + seed
        + ", batch " + batch + ", " + adam + "]";
  }
}
