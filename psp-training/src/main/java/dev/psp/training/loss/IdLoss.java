package dev.psp.training.loss;

import dev.psp.nn.AdaptiveAvgPool2d;
import dev.psp.nn.TensorOps;
import java.util.Objects;

/**
 * The identity loss of pSp (criteria/id_loss.py): each image is cropped to the face ({@link
 * CropBox#OFFICIAL} of a 256 image), average-pooled to 112×112 ({@code AdaptiveAvgPool2d}) and
 * embedded by the ArcFace {@link IdBackbone}; the loss is {@code mean_i(1 − ⟨f(ŷ_i), f(y_i)⟩)}.
 * Callers should pass y and x without gradients (the official code detaches f(y)). Eval mode only.
 * Immutable and thread-safe.
 */
public final class IdLoss {
  private final IdBackbone net;
  private final CropBox crop;
  private final AdaptiveAvgPool2d pool =
      new AdaptiveAvgPool2d(IdBackbone.INPUT_SIZE, IdBackbone.INPUT_SIZE);

  /** The official loss: crop {@link CropBox#OFFICIAL} of 256×256 images. */
  public IdLoss(IdBackbone net) {
    this(net, CropBox.OFFICIAL);
  }

  /** The loss with another crop (e.g. {@link CropBox#scaledTo} for other image sizes). */
  public IdLoss(IdBackbone net, CropBox crop) {
    this.net = Objects.requireNonNull(net, "net");
    this.crop = Objects.requireNonNull(crop, "crop");
  }

  /** The network. */
  public IdBackbone network() {
    return net;
  }

  /** Unit embeddings {@code [B,E]} of images {@code [B,3,H,W]} (id_loss.extract_feats). */
  public <T> T features(TensorOps<T> ops, T image) {
    return ops.scoped(() -> net.forward(ops, pool.forward(ops, crop.apply(ops, image))));
  }

  /** The loss and logs for output ŷ, target y and input x (all {@code [B,3,H,W]}). */
  public <T> SimilarityTerms<T> forward(TensorOps<T> ops, T yHat, T y, T x) {
    T fx = features(ops, x);
    T fy = features(ops, y);
    T fyHat = features(ops, yHat);
    return SimilarityTerms.of(ops, fyHat, fy, fx);
  }

  @Override
  public String toString() {
    return "IdLoss(crop=" + crop + ", " + net + ")";
  }
}
