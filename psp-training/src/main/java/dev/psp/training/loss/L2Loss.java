package dev.psp.training.loss;

import dev.psp.nn.TensorOps;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The pixel loss {@code F.mse_loss(y_hat, y)}: the mean of the squared differences over all
 * elements, optionally of a {@link CropBox} of both images (coach.calc_loss's {@code loss_l2} and
 * {@code loss_l2_crop}). Immutable and thread-safe.
 */
public final class L2Loss {
  private final CropBox crop;

  private L2Loss(CropBox crop) {
    this.crop = crop;
  }

  /** The loss over the whole image ({@code loss_l2}). */
  public static L2Loss whole() {
    return new L2Loss(null);
  }

  /** The loss over {@code crop} of both images ({@code loss_l2_crop} with {@link CropBox#OFFICIAL}). */
  public static L2Loss cropped(CropBox crop) {
    return new L2Loss(java.util.Objects.requireNonNull(crop, "crop"));
  }

  /** The crop, if any. */
  public Optional<CropBox> crop() {
    return Optional.ofNullable(crop);
  }

  /** The 0-d loss of y_hat against y (both {@code [B,C,H,W]}). */
  public <T> T forward(TensorOps<T> ops, T yHat, T y) {
    if (crop != null) {
      yHat = crop.apply(ops, yHat);
      y = crop.apply(ops, y);
    }
    return mse(ops, yHat, y);
  }

  /** {@code mean((a - b)²)} over every element of two tensors of the same shape. */
  public static <T> T mse(TensorOps<T> ops, T a, T b) {
    long[] sa = ops.shape(a);
    long[] sb = ops.shape(b);
    if (!Arrays.equals(sa, sb)) {
      throw new IllegalArgumentException("mse needs equal shapes, got " + Arrays.toString(sa) + " and "
          + Arrays.toString(sb));
    }
    T d = ops.sub(a, b);
    return ops.mean(ops.mul(d, d), IntStream.range(0, sa.length).toArray(), false);
  }

  @Override
  public String toString() {
    return crop == null ? "L2Loss" : "L2Loss(crop=" + crop + ")";
  }
}
