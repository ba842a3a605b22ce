package dev.psp.nn.encoder;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * torchvision's ResNet {@code BasicBlock} (He et al. 2016) in eval mode: {@code relu(bn1(conv1(x)))}
 * → {@code bn2(conv2(·))} plus the shortcut ({@code downsample = [1×1 conv with stride, BatchNorm]}
 * when the stride or width changes, else x) → ReLU. Both 3×3 convolutions are bias-free with padding
 * 1; the first one carries the stride. Immutable and thread-safe.
 */
public final class BasicBlock implements Layer {
  private final String prefix;
  private final Conv2d conv1;
  private final BatchNorm2d bn1;
  private final Conv2d conv2;
  private final BatchNorm2d bn2;
  private final Conv2d downsampleConv;
  private final BatchNorm2d downsampleBn;

  /** A block whose keys start with {@code prefix} (e.g. {@code encoder.body.3.}). */
  public BasicBlock(String prefix, int in, int out, int stride) {
    this.prefix = prefix;
    this.conv1 = new Conv2d(prefix + "conv1.", in, out, 3, stride, 1, false);
    this.bn1 = new BatchNorm2d(prefix + "bn1.", out);
    this.conv2 = new Conv2d(prefix + "conv2.", out, out, 3, 1, 1, false);
    this.bn2 = new BatchNorm2d(prefix + "bn2.", out);
    boolean project = stride != 1 || in != out;
    this.downsampleConv = project ? new Conv2d(prefix + "downsample.0.", in, out, 1, stride, 0, false) : null;
    this.downsampleBn = project ? new BatchNorm2d(prefix + "downsample.1.", out) : null;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(conv1).add(bn1).add(conv2).add(bn2);
    if (downsampleConv != null) {
      spec.add(downsampleConv).add(downsampleBn);
    }
  }

  /** Applies the block to x {@code [B,in,H,W]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T h = ops.scoped(() -> ops.relu(bn1.forward(ops, conv1.forward(ops, x))));
    T residual = ops.scoped(() -> bn2.forward(ops, conv2.forward(ops, h)));
    T shortcut = downsampleConv == null ? x : ops.scoped(() -> downsampleBn.forward(ops, downsampleConv.forward(ops, x)));
    return ops.relu(ops.add(residual, shortcut));
  }

  @Override
  public String toString() {
    return "BasicBlock(" + prefix + (downsampleConv != null ? ", downsample" : "") + ")";
  }
}
