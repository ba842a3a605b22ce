package dev.psp.training.loss;

import dev.psp.nn.TensorOps;
import java.util.List;

/**
 * A network whose feature maps a {@link FeatureMatchingLoss} compares: a StyleGAN2 discriminator
 * ({@link dev.psp.training.gan.Discriminator}) or the SDK's face parser ({@link
 * dev.psp.training.parser.FaceParser}).
 */
public interface FeatureNetwork {
  /** The side of the square RGB images it reads. */
  int size();

  /** Its feature maps of images {@code [B,3,size,size]}, from the first layer to the last compared. */
  <T> List<T> features(TensorOps<T> ops, T x);

  /** What it is, for messages: "discriminator", "face parser". */
  String kind();
}
