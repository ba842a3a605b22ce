package dev.psp.training.parser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.djl.DjlTensorOps;
import dev.psp.nn.AdaptiveAvgPool2d;
import java.util.Arrays;
import java.util.Objects;

/**
 * Label consistency for segmentation-to-face: a face parser should read the input's label map back
 * from the output. The loss is the class-weighted cross-entropy {@code −(1/BS²) Σ w_c·t_c·log
 * softmax(P(ŷ))_c} over the pixels of the parser's {@code S×S} grid, where {@code t} is the one-hot
 * input label map area-averaged to that grid (the share of each class in a pixel) and the output ŷ
 * is area-averaged to it too. Each class is weighted by the inverse square root of its pixel share in
 * the batch's maps, scaled so the mean weight per pixel is 1, as {@code psp train-parser} weights its
 * classes: glasses, eyes and a hat's brim count though they cover few pixels.
 *
 * <p>L2 against the ground-truth face asks for colours a label map does not carry, and pulls the
 * output towards the average face; this term asks only for the regions the input names. Immutable
 * and thread-safe; the parser's weights live in the ops.
 */
public final class LabelConsistencyLoss {
  private final FaceParser parser;
  private final AdaptiveAvgPool2d pool;

  /** The loss on the labels of {@code parser}. */
  public LabelConsistencyLoss(FaceParser parser) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.pool = new AdaptiveAvgPool2d(parser.size(), parser.size());
  }

  /**
   * The 0-d loss of outputs {@code yHat} {@code [B,3,H,W]} against one-hot label maps {@code labels}
   * {@code [B,19,H,W]}, H and W multiples of the parser's size.
   *
   * @throws IllegalArgumentException if the shapes do not fit each other or the parser
   */
  public NDArray forward(DjlTensorOps ops, NDArray labels, NDArray yHat) {
    long[] l = labels.getShape().getShape();
    long[] y = yHat.getShape().getShape();
    int size = parser.size();
    if (l.length != 4 || l[1] != FaceParser.CLASSES || y.length != 4 || y[1] != 3 || l[0] != y[0]
        || l[2] != y[2] || l[3] != y[3] || l[2] % size != 0 || l[3] % size != 0) {
      throw new IllegalArgumentException("label consistency needs one-hot label maps [B," + FaceParser.CLASSES
          + ",H,W] and outputs [B,3,H,W] of the same size, a multiple of the face parser's " + size + " px; got "
          + Arrays.toString(l) + " and " + Arrays.toString(y));
    }
    NDManager m = ops.manager();
    NDArray t = DjlTensorOps.withoutGrad(() -> l[2] == size ? labels.stopGradient() : pool.forward(ops, labels));
    NDArray logits = parser.logits(ops, y[2] == size ? yHat : pool.forward(ops, yHat));
    float[] pixels = t.sum(new int[] {0, 2, 3}).toFloatArray();
    double[] counts = new double[pixels.length];
    for (int c = 0; c < pixels.length; c++) {
      counts[c] = pixels[c];
    }
    float[] w = ClassWeights.of(counts);
    NDArray weighted = t.mul(m.create(w, new Shape(1, FaceParser.CLASSES, 1, 1)));
    return logits.logSoftmax(1).mul(weighted).sum().mul(m.create(-1f / (l[0] * size * size))); // 0-d factor
  }

  /** The parser whose labels are compared. */
  public FaceParser parser() {
    return parser;
  }

  @Override
  public String toString() {
    return "LabelConsistencyLoss(" + parser + ")";
  }
}
