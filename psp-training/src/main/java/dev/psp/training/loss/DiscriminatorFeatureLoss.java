package dev.psp.training.loss;

import dev.psp.nn.AdaptiveAvgPool2d;
import dev.psp.nn.TensorOps;
import dev.psp.training.gan.Discriminator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Feature matching on a trained StyleGAN2 discriminator, a perceptual loss that needs no download:
 * {@code (1/K) Σₖ mean((Dₖ(ŷ) − Dₖ(y))²)} over the K feature maps of {@link
 * Discriminator#features} (its first convolution and every residual block), with both images
 * area-averaged to the discriminator's size first. An SDK addition ({@code sdk_d_features_lambda}):
 * the official perceptual losses run networks trained on ImageNet or faces (LPIPS's AlexNet, the ID
 * loss's IR-SE-50) that the SDK cannot download, while a discriminator trained by {@code psp
 * train-stylegan} on the same domain is at hand. The caller computes the targets' features, without
 * gradients, with {@link #features}. Immutable and thread-safe; the weights live in the ops.
 */
public final class DiscriminatorFeatureLoss {
  private final Discriminator discriminator;
  private final AdaptiveAvgPool2d pool;

  /** A loss on the features of {@code discriminator}. */
  public DiscriminatorFeatureLoss(Discriminator discriminator) {
    this.discriminator = Objects.requireNonNull(discriminator, "discriminator");
    this.pool = new AdaptiveAvgPool2d(discriminator.size(), discriminator.size());
  }

  /**
   * The discriminator's feature maps of images {@code [B,3,H,W]}, H and W multiples of its size.
   *
   * @throws IllegalArgumentException if the images are not RGB or their side is not a multiple of
   *     the discriminator's
   */
  public <T> List<T> features(TensorOps<T> ops, T images) {
    long[] s = ops.shape(images);
    int size = discriminator.size();
    if (s.length != 4 || s[1] != 3 || s[2] % size != 0 || s[3] % size != 0) {
      throw new IllegalArgumentException("the discriminator feature loss needs RGB images whose side is a"
          + " multiple of the discriminator's " + size + " px, got " + java.util.Arrays.toString(s)
          + "; use the discriminator of a StyleGAN2 trained at the output size");
    }
    T x = s[2] == size && s[3] == size ? images : pool.forward(ops, images);
    return discriminator.features(ops, x);
  }

  /** The 0-d loss of {@code yHat} against the features of the targets ({@link #features} of y). */
  public <T> T forward(TensorOps<T> ops, T yHat, List<T> targetFeatures) {
    List<T> out = features(ops, yHat);
    if (out.size() != targetFeatures.size()) {
      throw new IllegalArgumentException("expected " + out.size() + " target feature maps, got "
          + targetFeatures.size());
    }
    List<T> terms = new ArrayList<>();
    for (int k = 0; k < out.size(); k++) {
      terms.add(L2Loss.mse(ops, out.get(k), targetFeatures.get(k)));
    }
    T sum = terms.get(0);
    for (int k = 1; k < terms.size(); k++) {
      sum = ops.add(sum, terms.get(k));
    }
    return ops.scale(sum, 1.0 / terms.size());
  }

  /** The discriminator whose features are matched. */
  public Discriminator discriminator() {
    return discriminator;
  }

  @Override
  public String toString() {
    return "DiscriminatorFeatureLoss(" + discriminator + ")";
  }
}
