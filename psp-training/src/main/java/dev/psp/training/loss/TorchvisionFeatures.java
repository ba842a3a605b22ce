package dev.psp.training.loss;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.encoder.Conv2d;
import dev.psp.training.loss.LpipsNet.FeatureLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A torchvision {@code features} Sequential of an {@link LpipsNet} (keys {@code prefix + index +
 * ".weight"/".bias"} of its convolutions), run up to its last compared layer as LPIPS's {@code
 * BaseNet.forward} does. The output channels of the convolutions are given, so narrow variants of
 * the same layout work too. Immutable and thread-safe.
 */
public final class TorchvisionFeatures implements Layer {
  private final String prefix;
  private final LpipsNet net;
  private final int[] convWidths;
  private final Conv2d[] convs;
  private final int[] tapChannels;

  /**
   * The features under {@code prefix} (e.g. {@code net.layers.}) with the given output channels of
   * the convolutions, in order (official AlexNet: 64, 192, 384, 256, 256).
   */
  public TorchvisionFeatures(String prefix, LpipsNet net, int[] convWidths) {
    this.prefix = prefix;
    this.net = net;
    this.convWidths = convWidths.clone();
    List<FeatureLayer> layers = net.layers();
    long nConvs = layers.stream().filter(l -> l.kind() == FeatureLayer.Kind.CONV).count();
    if (convWidths.length != nConvs) {
      throw new IllegalArgumentException(net + " has " + nConvs + " convolutions, got "
          + convWidths.length + " widths " + Arrays.toString(convWidths));
    }
    this.convs = new Conv2d[layers.size()];
    int in = 3;
    int c = 0;
    for (int i = 0; i < layers.size(); i++) {
      FeatureLayer l = layers.get(i);
      if (l.kind() == FeatureLayer.Kind.CONV) {
        convs[i] = new Conv2d(prefix + i + ".", in, convWidths[c], l.kernel(), l.stride(), l.padding(),
            true);
        in = convWidths[c++];
      }
    }
    int[] taps = net.taps();
    this.tapChannels = new int[taps.length];
    for (int t = 0; t < taps.length; t++) {
      tapChannels[t] = channelsAfter(taps[t]);
    }
  }

  private int channelsAfter(int index) {
    int ch = 3;
    for (int i = 0; i <= index; i++) {
      if (convs[i] != null) {
        ch = convs[i].outChannels();
      }
    }
    return ch;
  }

  /** The backbone. */
  public LpipsNet net() {
    return net;
  }

  /** The channel counts of the compared outputs. */
  public int[] tapChannels() {
    return tapChannels.clone();
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    for (Conv2d c : convs) {
      if (c != null) {
        spec.add(c);
      }
    }
  }

  /** The outputs of the compared layers for x {@code [B,3,H,W]}, in order. */
  public <T> List<T> forward(TensorOps<T> ops, T x) {
    int[] taps = net.taps();
    List<T> out = new ArrayList<>(taps.length);
    for (int i = 0; i <= taps[taps.length - 1]; i++) {
      int index = i;
      T in = x;
      x = ops.scoped(() -> apply(ops, index, in));
      if (Arrays.binarySearch(taps, i) >= 0) {
        out.add(x);
      }
    }
    return out;
  }

  private <T> T apply(TensorOps<T> ops, int index, T x) {
    FeatureLayer l = net.layers().get(index);
    return switch (l.kind()) {
      case CONV -> convs[index].forward(ops, x);
      case RELU -> ops.relu(x);
      case MAX_POOL -> ops.maxPool2d(x, l.kernel(), l.stride(), 0);
    };
  }

  @Override
  public String toString() {
    return "TorchvisionFeatures(" + prefix + ", " + net + ", conv widths " + Arrays.toString(convWidths)
        + ")";
  }
}
