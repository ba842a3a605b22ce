package dev.psp.training.parser;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.encoder.Conv2d;
import dev.psp.training.loss.FeatureNetwork;
import dev.psp.training.loss.NearestResize;
import java.util.List;

/**
 * A small face parser, the SDK's own perceptual network: it labels every pixel of a face with one
 * of the {@value #CLASSES} CelebAMask-HQ classes, and a pSp model trained to match its feature maps
 * ({@code sdk_parser_lambda}) is graded on the parts a face is made of, eyes, glasses and mouth
 * included, where L2 sees a few pixels. Trained by {@link FaceParserTrainer} on the synthetic face
 * domain, whose faces come with exact label maps. With width w:
 *
 * <ul>
 *   <li>{@code convs.0}: 3×3, RGB → w, ReLU, at the full size;
 *   <li>{@code convs.1}, {@code convs.2}: 3×3 stride 2 then 3×3, → 2w, ReLU, at half size;
 *   <li>{@code convs.3}, {@code convs.4}: 3×3 stride 2 then 3×3, → 4w, ReLU, at quarter size;
 *   <li>{@code head}: 1×1 over the maps of {@code convs.0}, {@code convs.2} and {@code convs.4},
 *       the smaller two brought to the full size by nearest upsampling, → {@value #CLASSES} logits.
 * </ul>
 *
 * Its {@link #features} are those three maps and the logits. Immutable and thread-safe.
 */
public final class FaceParser implements Layer, FeatureNetwork {
  /** The CelebAMask-HQ classes, as {@code dev.psp.synthetic.FaceLabels} numbers them. */
  public static final int CLASSES = 19;

  private final int size;
  private final int width;
  private final Conv2d[] convs;
  private final Conv2d head;

  /**
   * A parser of {@code size}-px faces (a power of two, 16 to 1024) with {@code width} channels in its
   * first layer.
   */
  public FaceParser(int size, int width) {
    if (size < 16 || size > 1024 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("the face parser's size must be a power of two in [16, 1024], got " + size);
    }
    if (width < 1 || width > 1024) {
      throw new IllegalArgumentException("the face parser's width must be in [1, 1024], got " + width);
    }
    this.size = size;
    this.width = width;
    this.convs = new Conv2d[] {
        new Conv2d("convs.0.", 3, width, 3, 1, 1, true),
        new Conv2d("convs.1.", width, 2 * width, 3, 2, 1, true),
        new Conv2d("convs.2.", 2 * width, 2 * width, 3, 1, 1, true),
        new Conv2d("convs.3.", 2 * width, 4 * width, 3, 2, 1, true),
        new Conv2d("convs.4.", 4 * width, 4 * width, 3, 1, 1, true)};
    this.head = new Conv2d("head.", 7 * width, CLASSES, 1, 1, 0, true);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    for (Conv2d c : convs) {
      spec.add(c);
    }
    spec.add(head);
  }

  /** The class logits {@code [B,19,size,size]} of images {@code [B,3,size,size]} in [-1, 1]. */
  public <T> T logits(TensorOps<T> ops, T x) {
    List<T> f = features(ops, x);
    return f.get(3);
  }

  /**
   * The maps of {@code convs.0} {@code [B,w,S,S]}, {@code convs.2} {@code [B,2w,S/2,S/2]}, {@code
   * convs.4} {@code [B,4w,S/4,S/4]} (after their ReLU) and the logits {@code [B,19,S,S]}.
   *
   * @throws IllegalArgumentException if x is not {@code [B,3,size,size]}
   */
  @Override
  public <T> List<T> features(TensorOps<T> ops, T x) {
    long[] s = ops.shape(x);
    if (s.length != 4 || s[1] != 3 || s[2] != size || s[3] != size) {
      throw new IllegalArgumentException("the face parser reads [B,3," + size + "," + size + "] images, got "
          + java.util.Arrays.toString(s));
    }
    T f0 = ops.scoped(() -> ops.relu(convs[0].forward(ops, x)));
    T f2 = ops.scoped(() -> ops.relu(convs[2].forward(ops, ops.relu(convs[1].forward(ops, f0)))));
    T f4 = ops.scoped(() -> ops.relu(convs[4].forward(ops, ops.relu(convs[3].forward(ops, f2)))));
    T logits = ops.scoped(() -> head.forward(ops, ops.concat(List.of(f0,
        NearestResize.resize(ops, f2, size, size), NearestResize.resize(ops, f4, size, size)), 1)));
    return List.of(f0, f2, f4, logits);
  }

  @Override
  public int size() {
    return size;
  }

  /** The channels of the first layer. */
  public int width() {
    return width;
  }

  @Override
  public String kind() {
    return "face parser";
  }

  @Override
  public String toString() {
    return "FaceParser(size=" + size + ", width=" + width + ")";
  }
}
