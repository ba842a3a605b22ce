package dev.psp.training.loss;

import dev.psp.ModelMismatchException;
import dev.psp.io.DType;
import dev.psp.io.TensorData;
import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.training.loss.LpipsNet.FeatureLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * LPIPS v0.1 (Zhang et al., "The Unreasonable Effectiveness of Deep Features as a Perceptual
 * Metric", CVPR 2018) as criteria/lpips computes it: both images are shifted and scaled by the
 * fixed {@code net.mean}/{@code net.std} buffers, run through the backbone's {@code features}; each
 * compared feature map is divided by its channel L2 norm + 1e-10, the squared differences go through
 * the bias-free 1×1 convolution {@code lin.{i}.1}, are averaged over space, summed over layers and
 * samples and divided by the batch size.
 *
 * <p>Keys are those of the official {@code LPIPS} module: {@code net.mean}, {@code net.std}, {@code
 * net.layers.{i}.weight/bias}, {@code lin.{i}.1.weight}; {@link LpipsWeights} builds them from a
 * torchvision state_dict and a PerceptualSimilarity weight file. Runs in eval mode only (it has no
 * mode-dependent layers). Immutable and thread-safe.
 */
public final class Lpips implements Layer {
  /** The official shift of the scaling layer ({@code net.mean}, per RGB channel). */
  static final float[] MEAN = {-.030f, -.088f, -.188f};
  /** The official scale of the scaling layer ({@code net.std}). */
  static final float[] STD = {.458f, .448f, .450f};
  private static final double EPS = 1e-10;

  private final TorchvisionFeatures features;
  private final int[] tapChannels;

  /** LPIPS on {@code net} whose convolutions have the given output channels, in order. */
  public Lpips(LpipsNet net, int[] convWidths) {
    this.features = new TorchvisionFeatures("net.layers.", net, convWidths);
    this.tapChannels = features.tapChannels();
  }

  /** LPIPS with the official torchvision widths. */
  public static Lpips official(LpipsNet net) {
    List<Integer> widths = new ArrayList<>();
    int[] tapCh = net.officialTapChannels();
    int[] taps = net.taps();
    int t = 0;
    for (int i = 0; i < net.layers().size(); i++) {
      while (t < taps.length && taps[t] < i) {
        t++;
      }
      if (net.layers().get(i).kind() == FeatureLayer.Kind.CONV) {
        widths.add(tapCh[Math.min(t, taps.length - 1)]);
      }
    }
    return new Lpips(net, widths.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * LPIPS whose widths are read from {@code weights} (official LPIPS keys), checked against them.
   *
   * @throws ModelMismatchException listing every missing, unexpected or mis-shaped key
   */
  public static Lpips fromWeights(LpipsNet net, Map<String, TensorData> weights)
      throws ModelMismatchException {
    List<Integer> widths = new ArrayList<>();
    for (int i = 0; i < net.layers().size(); i++) {
      if (net.layers().get(i).kind() == FeatureLayer.Kind.CONV) {
        TensorData w = weights.get("net.layers." + i + ".weight");
        if (w == null || w.rank() != 4) {
          throw new ModelMismatchException("LPIPS " + net.netType() + " weights",
              List.of("missing key net.layers." + i + ".weight (a 4-d convolution weight)"));
        }
        widths.add(Math.toIntExact(w.dim(0)));
      }
    }
    Lpips lpips = new Lpips(net, widths.stream().mapToInt(Integer::intValue).toArray());
    lpips.stateDictSpec().check(weights, "LPIPS " + net.netType() + " weights");
    return lpips;
  }

  /** The backbone. */
  public LpipsNet net() {
    return features.net();
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.buffer("net.mean", DType.FLOAT32, new Init.Fixed("LPIPS scaling-layer mean", MEAN), 1, 3, 1, 1);
    spec.buffer("net.std", DType.FLOAT32, new Init.Fixed("LPIPS scaling-layer std", STD), 1, 3, 1, 1);
    spec.add(features);
    for (int i = 0; i < tapChannels.length; i++) {
      spec.parameter("lin." + i + ".1.weight", new Init.Uniform(1.0 / Math.sqrt(tapChannels[i])), 1,
          tapChannels[i], 1, 1);
    }
  }

  /** The 0-d LPIPS distance of x and y (both {@code [B,3,H,W]} in [-1, 1]). */
  public <T> T forward(TensorOps<T> ops, T x, T y) {
    long[] sx = ops.shape(x);
    if (sx.length != 4 || sx[1] != 3 || !Arrays.equals(sx, ops.shape(y))) {
      throw new IllegalArgumentException("LPIPS needs two RGB batches [B,3,H,W] of equal shape, got "
          + Arrays.toString(sx) + " and " + Arrays.toString(ops.shape(y)));
    }
    List<T> fx = features.forward(ops, zScore(ops, x));
    List<T> fy = features.forward(ops, zScore(ops, y));
    List<T> perLayer = new ArrayList<>(fx.size());
    for (int i = 0; i < fx.size(); i++) {
      int index = i;
      perLayer.add(ops.scoped(() -> layerDistance(ops, index, fx.get(index), fy.get(index))));
    }
    T total = ops.sum(ops.concat(perLayer, 0), new int[] {0, 1, 2, 3}, false);
    return ops.div(total, ops.constant(new float[] {(float) sx[0]}));
  }

  private <T> T zScore(TensorOps<T> ops, T x) {
    return ops.div(ops.sub(x, ops.constant(MEAN, 1, 3, 1, 1)), ops.constant(STD, 1, 3, 1, 1));
  }

  /** {@code lin_i((n(fx) − n(fy))²)} averaged over space: {@code [B,1,1,1]}. */
  private <T> T layerDistance(TensorOps<T> ops, int i, T fx, T fy) {
    T d = ops.sub(normalize(ops, fx), normalize(ops, fy));
    T weighted = ops.conv2d(ops.mul(d, d), ops.param("lin." + i + ".1.weight"), null, 1, 0);
    return ops.mean(weighted, new int[] {2, 3}, true);
  }

  /** {@code x / (sqrt(Σ_c x²) + 1e-10)} (utils.normalize_activation). */
  static <T> T normalize(TensorOps<T> ops, T x) {
    T norm = ops.sqrt(ops.sum(ops.mul(x, x), new int[] {1}, true));
    return ops.div(x, ops.addScalar(norm, EPS));
  }

  @Override
  public String toString() {
    return "LPIPS(net_type=" + net().netType() + ", " + features + ")";
  }
}
