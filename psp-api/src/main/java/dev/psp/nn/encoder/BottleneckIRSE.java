package dev.psp.nn.encoder;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The IR-SE residual unit ({@code helpers.bottleneck_IR_SE(in, depth, stride)}; Deng et al.,
 * ArcFace, 2019): {@code res_layer(x) + shortcut(x)}, with <b>no activation after the sum</b>.
 *
 * <ul>
 *   <li>{@code res_layer}: BatchNorm2d(in) → 3×3 conv in→depth (stride 1, pad 1, no bias) →
 *       PReLU(depth) → 3×3 conv depth→depth (<b>stride s</b>, pad 1, no bias) → BatchNorm2d(depth)
 *       → SEModule(depth, 16); keys {@code res_layer.0..5}.
 *   <li>{@code shortcut}: for in == depth a parameter-free {@code MaxPool2d(1, s)} (the identity for
 *       s=1, pixel {@code [s·i, s·j]} for s=2), otherwise a bias-free 1×1 conv with stride s followed
 *       by BatchNorm2d (keys {@code shortcut_layer.0}, {@code shortcut_layer.1}).
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class BottleneckIRSE implements Layer {
  private final String prefix;
  private final int inChannels;
  private final int depth;
  private final int stride;
  private final Conv2d shortcutConv;
  private final BatchNorm2d shortcutBn;
  private final BatchNorm2d bn1;
  private final Conv2d conv1;
  private final PReLU prelu;
  private final Conv2d conv2;
  private final BatchNorm2d bn2;
  private final SEModule se;

  /** A unit whose keys start with {@code prefix} (e.g. {@code encoder.body.3.}). */
  public BottleneckIRSE(String prefix, int inChannels, int depth, int stride) {
    if (stride < 1) {
      throw new IllegalArgumentException("stride must be positive, got " + stride);
    }
    this.prefix = prefix;
    this.inChannels = inChannels;
    this.depth = depth;
    this.stride = stride;
    if (inChannels == depth) {
      shortcutConv = null;
      shortcutBn = null;
    } else {
      shortcutConv = new Conv2d(prefix + "shortcut_layer.0.", inChannels, depth, 1, stride, 0, false);
      shortcutBn = new BatchNorm2d(prefix + "shortcut_layer.1.", depth);
    }
    String r = prefix + "res_layer.";
    bn1 = new BatchNorm2d(r + "0.", inChannels);
    conv1 = new Conv2d(r + "1.", inChannels, depth, 3, 1, 1, false);
    prelu = new PReLU(r + "2.", depth);
    conv2 = new Conv2d(r + "3.", depth, depth, 3, stride, 1, false);
    bn2 = new BatchNorm2d(r + "4.", depth);
    se = new SEModule(r + "5.", depth, 16);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    if (shortcutConv != null) {
      spec.add(shortcutConv).add(shortcutBn);
    }
    spec.add(bn1).add(conv1).add(prelu).add(conv2).add(bn2).add(se);
  }

  /** Applies the unit to x {@code [B,in,H,W]}, giving {@code [B,depth,H/s,W/s]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T shortcut = shortcutConv == null
        ? subsample(ops, x, stride)
        : shortcutBn.forward(ops, shortcutConv.forward(ops, x));
    T r = bn1.forward(ops, x);
    r = prelu.forward(ops, conv1.forward(ops, r));
    r = bn2.forward(ops, conv2.forward(ops, r));
    r = se.forward(ops, r);
    return ops.add(r, shortcut);
  }

  /**
   * {@code MaxPool2d(kernel_size=1, stride=s)}: keeps pixel {@code [s·i, s·j]}; written as a reshape
   * to {@code [B,C,H/s,s,W/s,s]} and two slices, so it needs H and W divisible by s.
   */
  static <T> T subsample(TensorOps<T> ops, T x, int s) {
    if (s == 1) {
      return x;
    }
    long[] shape = ops.shape(x);
    long c = shape[1];
    long h = shape[2];
    long w = shape[3];
    if (h % s != 0 || w % s != 0) {
      throw new IllegalArgumentException("MaxPool2d(1, " + s + ") shortcut needs H and W divisible by "
          + s + ", got " + h + "x" + w + "; pSp encoders take 256x256 inputs");
    }
    T y = ops.reshape(x, -1, c, h / s, s, w / s, s);
    y = ops.slice(ops.slice(y, 3, 0, 1), 5, 0, 1);
    return ops.reshape(y, -1, c, h / s, w / s);
  }

  @Override
  public String toString() {
    return "bottleneck_IR_SE(" + prefix + ", in_channel=" + inChannels + ", depth=" + depth
        + ", stride=" + stride + ", shortcut=" + (shortcutConv == null ? "MaxPool2d(1, " + stride + ")"
        : "conv1x1+bn") + ")";
  }
}
