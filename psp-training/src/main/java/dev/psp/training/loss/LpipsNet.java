package dev.psp.training.loss;

import java.util.ArrayList;
import java.util.List;

/**
 * The backbones of the official LPIPS (criteria/lpips/networks.py): torchvision's {@code features}
 * of AlexNet or VGG16, layer by layer with torchvision's indices, and the 0-based indices of the
 * ReLUs whose outputs LPIPS compares (the official 1-based {@code target_layers}
 * {@code [2,5,8,10,12]} and {@code [4,9,16,23,30]}). Channel widths are not fixed here: they come
 * from the weights. Immutable and thread-safe.
 */
public enum LpipsNet {
  /** {@code torchvision.models.alexnet().features}, the net of {@code LPIPS(net_type='alex')}. */
  ALEX("alex", alexLayers(), new int[] {1, 4, 7, 9, 11}, new int[] {64, 192, 384, 256, 256}),
  /** {@code torchvision.models.vgg16().features}, the net of {@code LPIPS(net_type='vgg')}. */
  VGG16("vgg", vggLayers(), new int[] {3, 8, 15, 22, 29}, new int[] {64, 128, 256, 512, 512});

  /** One entry of a torchvision {@code features} Sequential. */
  public record FeatureLayer(Kind kind, int kernel, int stride, int padding) {
    /** The layer types the two backbones use. */
    public enum Kind {
      /** {@code nn.Conv2d} with bias. */
      CONV,
      /** {@code nn.ReLU}. */
      RELU,
      /** {@code nn.MaxPool2d(kernel, stride)}, no padding. */
      MAX_POOL
    }

    static FeatureLayer conv(int kernel, int stride, int padding) {
      return new FeatureLayer(Kind.CONV, kernel, stride, padding);
    }

    static FeatureLayer relu() {
      return new FeatureLayer(Kind.RELU, 0, 0, 0);
    }

    static FeatureLayer pool(int kernel, int stride) {
      return new FeatureLayer(Kind.MAX_POOL, kernel, stride, 0);
    }
  }

  private final String netType;
  private final List<FeatureLayer> layers;
  private final int[] taps;
  private final int[] officialTapChannels;

  LpipsNet(String netType, List<FeatureLayer> layers, int[] taps, int[] officialTapChannels) {
    this.netType = netType;
    this.layers = List.copyOf(layers);
    this.taps = taps;
    this.officialTapChannels = officialTapChannels;
  }

  /** The official {@code net_type} name ({@code alex}, {@code vgg}), also the lin weight file's name. */
  public String netType() {
    return netType;
  }

  /** The {@code features} layers by torchvision index. */
  public List<FeatureLayer> layers() {
    return layers;
  }

  /** The 0-based indices of the compared layer outputs, ascending. */
  public int[] taps() {
    return taps.clone();
  }

  /** The official channel counts of the compared outputs ({@code n_channels_list}). */
  public int[] officialTapChannels() {
    return officialTapChannels.clone();
  }

  /** The net with the official name {@code alex} or {@code vgg}. */
  public static LpipsNet of(String netType) {
    for (LpipsNet n : values()) {
      if (n.netType.equals(netType)) {
        return n;
      }
    }
    throw new IllegalArgumentException("unsupported LPIPS net_type '" + netType + "'; use alex or vgg");
  }

  private static List<FeatureLayer> alexLayers() {
    return List.of(FeatureLayer.conv(11, 4, 2), FeatureLayer.relu(), FeatureLayer.pool(3, 2),
        FeatureLayer.conv(5, 1, 2), FeatureLayer.relu(), FeatureLayer.pool(3, 2),
        FeatureLayer.conv(3, 1, 1), FeatureLayer.relu(),
        FeatureLayer.conv(3, 1, 1), FeatureLayer.relu(),
        FeatureLayer.conv(3, 1, 1), FeatureLayer.relu(), FeatureLayer.pool(3, 2));
  }

  // torchvision's configuration "D": 2, 2, 3, 3, 3 convolutions per block, each block ending in a pool
  private static List<FeatureLayer> vggLayers() {
    List<FeatureLayer> l = new ArrayList<>();
    for (int convs : new int[] {2, 2, 3, 3, 3}) {
      for (int i = 0; i < convs; i++) {
        l.add(FeatureLayer.conv(3, 1, 1));
        l.add(FeatureLayer.relu());
      }
      l.add(FeatureLayer.pool(2, 2));
    }
    return l;
  }
}
