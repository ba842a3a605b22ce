package dev.psp.training.loss;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.encoder.BatchNorm2d;
import dev.psp.nn.encoder.Conv2d;

/**
 * torchvision's ResNet {@code Bottleneck} (He et al., "Deep Residual Learning", CVPR 2016; the
 * "v1.5" variant with the stride on the 3×3 convolution): {@code relu(bn3(conv3(relu(bn2(conv2(
 * relu(bn1(conv1(x)))))))) + shortcut(x))}, where conv1 is 1×1 in→width, conv2 3×3 width→width with
 * the stride, conv3 1×1 width→out, all bias-free, and the shortcut is the identity or {@code
 * downsample} = 1×1 conv in→out with the stride → BatchNorm2d. Keys {@code conv1, bn1, conv2, bn2,
 * conv3, bn3, downsample.0, downsample.1}. Eval mode only. Immutable and thread-safe.
 */
public final class ResNetBottleneck implements Layer {
  private final String prefix;
  private final Conv2d conv1;
  private final BatchNorm2d bn1;
  private final Conv2d conv2;
  private final BatchNorm2d bn2;
  private final Conv2d conv3;
  private final BatchNorm2d bn3;
  private final Conv2d downConv;
  private final BatchNorm2d downBn;

  /**
   * A block under {@code prefix} (e.g. {@code layer2.0.}); a downsample shortcut is used when {@code
   * in != out} or {@code stride != 1}, as torchvision does.
   */
  public ResNetBottleneck(String prefix, int in, int width, int out, int stride) {
    this.prefix = prefix;
    conv1 = new Conv2d(prefix + "conv1.", in, width, 1, 1, 0, false);
    bn1 = new BatchNorm2d(prefix + "bn1.", width);
    conv2 = new Conv2d(prefix + "conv2.", width, width, 3, stride, 1, false);
    bn2 = new BatchNorm2d(prefix + "bn2.", width);
    conv3 = new Conv2d(prefix + "conv3.", width, out, 1, 1, 0, false);
    bn3 = new BatchNorm2d(prefix + "bn3.", out);
    if (in != out || stride != 1) {
      downConv = new Conv2d(prefix + "downsample.0.", in, out, 1, stride, 0, false);
      downBn = new BatchNorm2d(prefix + "downsample.1.", out);
    } else {
      downConv = null;
      downBn = null;
    }
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(conv1).add(bn1).add(conv2).add(bn2).add(conv3).add(bn3);
    if (downConv != null) {
      spec.add(downConv).add(downBn);
    }
  }

  /** Applies the block to x {@code [B,in,H,W]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T h = ops.relu(bn1.forward(ops, conv1.forward(ops, x)));
    h = ops.relu(bn2.forward(ops, conv2.forward(ops, h)));
    h = bn3.forward(ops, conv3.forward(ops, h));
    T shortcut = downConv == null ? x : downBn.forward(ops, downConv.forward(ops, x));
    return ops.relu(ops.add(h, shortcut));
  }

  @Override
  public String toString() {
    return "Bottleneck(" + prefix + ", downsample=" + (downConv != null) + ")";
  }
}
