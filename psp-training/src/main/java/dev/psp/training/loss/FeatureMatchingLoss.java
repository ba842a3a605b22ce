package dev.psp.training.loss;

import dev.psp.nn.AdaptiveAvgPool2d;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Feature matching, a perceptual loss on a network the SDK trains itself: {@code (1/K) Σₖ
 * mean((Fₖ(ŷ) − Fₖ(y))²)} over the K feature maps of a {@link FeatureNetwork}, with both images
 * area-averaged to the network's size first. The SDK's additions {@code sdk_d_features_lambda} (the
 * maps of a StyleGAN2 discriminator trained by {@code psp train-stylegan}) and {@code
 * sdk_parser_lambda} (those of a face parser trained by {@code psp train-parser}) use it: the
 * official perceptual losses run networks trained on ImageNet or faces (LPIPS's AlexNet, the ID
 * loss's IR-SE-50) that the SDK cannot download. The caller computes the targets' features, without
 * gradients, with {@link #features}. Immutable and thread-safe; the weights live in the ops.
 */
public final class FeatureMatchingLoss {
  private final FeatureNetwork network;
  private final AdaptiveAvgPool2d pool;

  /** A loss on the features of {@code network}. */
  public FeatureMatchingLoss(FeatureNetwork network) {
    this.network = Objects.requireNonNull(network, "network");
    this.pool = new AdaptiveAvgPool2d(network.size(), network.size());
  }

  /**
   * The network's feature maps of images {@code [B,3,H,W]}, H and W multiples of its size.
   *
   * @throws IllegalArgumentException if the images are not RGB or their side is not a multiple of
   *     the network's
   */
  public <T> List<T> features(TensorOps<T> ops, T images) {
    long[] s = ops.shape(images);
    int size = network.size();
    if (s.length != 4 || s[1] != 3 || s[2] % size != 0 || s[3] % size != 0) {
      throw new IllegalArgumentException("feature matching needs RGB images whose side is a multiple of the "
          + network.kind() + "'s " + size + " px, got " + java.util.Arrays.toString(s) + "; use a "
          + network.kind() + " trained at the output size");
    }
    T x = s[2] == size && s[3] == size ? images : pool.forward(ops, images);
    return network.features(ops, x);
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

  /** The network whose features are matched. */
  public FeatureNetwork network() {
    return network;
  }

  @Override
  public String toString() {
    return "FeatureMatchingLoss(" + network + ")";
  }
}
