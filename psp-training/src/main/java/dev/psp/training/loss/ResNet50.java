package dev.psp.training.loss;

import dev.psp.ModelMismatchException;
import dev.psp.io.TensorData;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.encoder.BatchNorm2d;
import dev.psp.nn.encoder.Conv2d;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code resnet50()} without its {@code fc} layer, as the MoCo loss uses it: conv1
 * (7×7, stride 2, pad 3, no bias) → bn1 → ReLU → max-pool (3, stride 2, pad 1) → layer1..layer4 of
 * {@link ResNetBottleneck}s (the first block of layers 2-4 with stride 2) → global average pool,
 * giving {@code [B, 4·widths[3]]}. The official network has stem 64, stage widths 64, 128, 256, 512
 * (outputs ×4) and 3, 4, 6, 3 blocks; other widths and depths serve as small versions. Keys are
 * torchvision's ({@code conv1.weight}, {@code layer1.0.conv1.weight}, …). Eval mode only. Immutable
 * and thread-safe.
 */
public final class ResNet50 implements Layer {
  /** Output channels of a bottleneck per width channel. */
  public static final int EXPANSION = 4;

  private final int stemWidth;
  private final int[] widths;
  private final int[] blocks;
  private final Conv2d conv1;
  private final BatchNorm2d bn1;
  private final List<ResNetBottleneck> units = new ArrayList<>();

  /** The official ResNet-50. */
  public static ResNet50 official() {
    return new ResNet50(64, new int[] {64, 128, 256, 512}, new int[] {3, 4, 6, 3});
  }

  /**
   * A ResNet with a {@code stemWidth}-channel stem, four stages of bottleneck width {@code widths[s]}
   * (outputs {@code 4·widths[s]}) and {@code blocks[s]} blocks.
   */
  public ResNet50(int stemWidth, int[] widths, int[] blocks) {
    if (widths.length != 4 || blocks.length != 4 || stemWidth < 1
        || Arrays.stream(widths).anyMatch(w -> w < 1) || Arrays.stream(blocks).anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException("a ResNet needs a positive stem width and 4 positive widths and"
          + " block counts, got stem " + stemWidth + ", widths " + Arrays.toString(widths) + ", blocks "
          + Arrays.toString(blocks));
    }
    this.stemWidth = stemWidth;
    this.widths = widths.clone();
    this.blocks = blocks.clone();
    this.conv1 = new Conv2d("conv1.", 3, stemWidth, 7, 2, 3, false);
    this.bn1 = new BatchNorm2d("bn1.", stemWidth);
    int in = stemWidth;
    for (int s = 0; s < 4; s++) {
      int out = widths[s] * EXPANSION;
      for (int b = 0; b < blocks[s]; b++) {
        int stride = s > 0 && b == 0 ? 2 : 1;
        units.add(new ResNetBottleneck("layer" + (s + 1) + "." + b + ".", in, widths[s], out, stride));
        in = out;
      }
    }
  }

  /**
   * The network whose widths and block counts are read from {@code weights} (torchvision keys),
   * checked against them.
   *
   * @throws ModelMismatchException if the weights do not describe such a network
   */
  public static ResNet50 fromWeights(Map<String, TensorData> weights) throws ModelMismatchException {
    String context = "ResNet-50 weights";
    TensorData stem = weights.get("conv1.weight");
    if (stem == null) {
      throw new ModelMismatchException(context, List.of("missing key conv1.weight"));
    }
    int[] widths = new int[4];
    int[] blocks = new int[4];
    for (int s = 0; s < 4; s++) {
      String p = "layer" + (s + 1) + ".";
      TensorData first = weights.get(p + "0.conv1.weight");
      if (first == null) {
        throw new ModelMismatchException(context, List.of("missing key " + p + "0.conv1.weight"));
      }
      widths[s] = Math.toIntExact(first.dim(0));
      while (weights.containsKey(p + blocks[s] + ".conv1.weight")) {
        blocks[s]++;
      }
    }
    ResNet50 net = new ResNet50(Math.toIntExact(stem.dim(0)), widths, blocks);
    net.stateDictSpec().check(BatchCounters.fillMissing(net, weights), context);
    return net;
  }

  /** The feature dimension, {@code 4·widths[3]} (2048 officially). */
  public int featureDim() {
    return widths[3] * EXPANSION;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(conv1).add(bn1);
    for (ResNetBottleneck u : units) {
      spec.add(u);
    }
  }

  /**
   * Globally pooled features {@code [B, featureDim]} of x {@code [B,3,H,W]}.
   *
   * @throws IllegalStateException if {@code ops} is in training mode
   */
  public <T> T forward(TensorOps<T> ops, T x) {
    if (ops.training()) {
      throw new IllegalStateException("the MoCo ResNet-50 runs in eval mode only; give it TensorOps"
          + " that are not in training mode");
    }
    T h = ops.scoped(() -> ops.maxPool2d(ops.relu(bn1.forward(ops, conv1.forward(ops, x))), 3, 2, 1));
    for (ResNetBottleneck u : units) {
      T in = h;
      h = ops.scoped(() -> u.forward(ops, in));
    }
    return ops.reshape(ops.mean(h, new int[] {2, 3}, false), -1, featureDim());
  }

  @Override
  public String toString() {
    return "ResNet50(stem " + stemWidth + ", widths " + Arrays.toString(widths) + ", blocks "
        + Arrays.toString(blocks) + ")";
  }
}
