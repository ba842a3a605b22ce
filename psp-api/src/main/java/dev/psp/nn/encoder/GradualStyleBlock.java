package dev.psp.nn.encoder;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.stylegan2.EqualLinear;
import java.util.ArrayList;
import java.util.List;

/**
 * One map2style head of the GradualStyleEncoder ({@code psp_encoders.GradualStyleBlock(in_c, out_c,
 * spatial)}): {@code log2(spatial)} times a 3×3 stride-2 conv (pad 1, with bias) followed by
 * {@code nn.LeakyReLU()} with PyTorch's default slope <b>0.01</b>, reducing the map to 1×1; then
 * flatten to {@code [B,out_c]} and {@code EqualLinear(out_c, out_c, lr_mul=1)}. Keys {@code
 * convs.0, convs.2, …} (odd indices are the activations) and {@code linear}. Immutable and
 * thread-safe.
 */
public final class GradualStyleBlock implements Layer {
  /** The negative slope of {@code nn.LeakyReLU()}. */
  public static final double LEAKY_SLOPE = 0.01;

  private final String prefix;
  private final int inC;
  private final int outC;
  private final int spatial;
  private final List<Conv2d> convs = new ArrayList<>();
  private final EqualLinear linear;

  /** A head for a {@code spatial×spatial} input, keys starting with {@code prefix}. */
  public GradualStyleBlock(String prefix, int inC, int outC, int spatial) {
    if (spatial < 2 || Integer.bitCount(spatial) != 1) {
      throw new IllegalArgumentException("spatial must be a power of two ≥ 2, got " + spatial);
    }
    this.prefix = prefix;
    this.inC = inC;
    this.outC = outC;
    this.spatial = spatial;
    int numPools = Integer.numberOfTrailingZeros(spatial);
    for (int i = 0; i < numPools; i++) {
      convs.add(new Conv2d(prefix + "convs." + (2 * i) + ".", i == 0 ? inC : outC, outC, 3, 2, 1,
          true));
    }
    linear = new EqualLinear(prefix + "linear.", outC, outC);
  }

  /** The input spatial size this head expects. */
  public int spatial() {
    return spatial;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    for (Conv2d c : convs) {
      spec.add(c);
    }
    spec.add(linear);
  }

  /** Maps x {@code [B,in_c,spatial,spatial]} to a style {@code [B,out_c]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    long[] s = ops.shape(x);
    if (s.length != 4 || s[2] != spatial || s[3] != spatial) {
      throw new IllegalArgumentException("GradualStyleBlock " + prefix + " expects [B," + inC + ","
          + spatial + "," + spatial + "], got " + java.util.Arrays.toString(s)
          + " (the official code would silently change the batch size)");
    }
    for (Conv2d c : convs) {
      x = ops.leakyRelu(c.forward(ops, x), LEAKY_SLOPE);
    }
    return linear.forward(ops, ops.reshape(x, -1, outC));
  }

  @Override
  public String toString() {
    return "GradualStyleBlock(" + prefix + ", in_c=" + inC + ", out_c=" + outC + ", spatial="
        + spatial + ", convs=" + convs.size() + ", LeakyReLU(0.01))";
  }
}
