package dev.psp.training.gan;

import dev.psp.nn.TensorOps;
import java.util.List;

/**
 * The minibatch standard deviation feature of the StyleGAN2 discriminator (Karras et al. 2018,
 * §3; {@code Discriminator.forward}): the batch is split into {@code G = min(B, group)} interleaved
 * groups (sample {@code b = g·M + m}, {@code M = B/G}); for each m and each of the {@code features}
 * channel slices, the standard deviation over the G samples ({@code sqrt(biased var + 1e-8)}) is
 * averaged over channels and pixels, and appended as extra constant channels. No parameters.
 * Immutable and thread-safe.
 */
public final class MinibatchStddev {
  private final int group;
  private final int features;

  /** The feature with {@code stddev_group} and {@code stddev_feat} (4 and 1 in StyleGAN2). */
  public MinibatchStddev(int group, int features) {
    if (group < 1 || features < 1) {
      throw new IllegalArgumentException("group and features must be positive, got " + group + ", "
          + features);
    }
    this.group = group;
    this.features = features;
  }

  /**
   * x {@code [B,C,H,W]} with the stddev maps appended: {@code [B,C+features,H,W]}.
   *
   * @throws IllegalArgumentException if B is not a multiple of {@code min(B, group)} or C of
   *     {@code features} (the official view fails there too)
   */
  public <T> T forward(TensorOps<T> ops, T x) {
    long[] s = ops.shape(x);
    long batch = s[0];
    long channels = s[1];
    long h = s[2];
    long w = s[3];
    long g = Math.min(batch, group);
    if (batch % g != 0 || channels % features != 0) {
      throw new IllegalArgumentException("minibatch stddev needs the batch (" + batch
          + ") divisible by min(batch, " + group + ") and the channels (" + channels
          + ") by " + features + "; use a batch size that is a multiple of " + group);
    }
    long m = batch / g;
    T y = ops.reshape(x, g, m, features, channels / features, h, w);
    T centred = ops.sub(y, ops.mean(y, new int[] {0}, true));
    T variance = ops.mean(ops.mul(centred, centred), new int[] {0}, false); // [M,F,C/F,H,W]
    T std = ops.sqrt(ops.addScalar(variance, 1e-8));
    T perGroup = ops.mean(std, new int[] {2, 3, 4}, false); // [M,F]
    // repeat(G, 1, H, W): sample g·M + m gets row m, broadcast over the pixels
    T tiled = ops.add(ops.reshape(perGroup, 1, m, features, 1, 1),
        ops.constant(new float[(int) (g * h * w)], g, 1, 1, h, w));
    return ops.concat(List.of(x, ops.reshape(tiled, batch, features, h, w)), 1);
  }

  @Override
  public String toString() {
    return "MinibatchStddev(group=" + group + ", features=" + features + ")";
  }
}
