package dev.psp.training.gan;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.stylegan2.EqualLinear;
import dev.psp.nn.stylegan2.StyledConv;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The StyleGAN2 residual discriminator of the rosinality port ({@code model.Discriminator}, Karras
 * et al. 2020), derived from {@code size} through the channel table:
 *
 * <ul>
 *   <li>{@code convs.0}: {@link ConvLayer} 1×1, RGB → {@code channels[size]};
 *   <li>{@code convs.1 …}: one {@link ResBlock} per halving, size → 4, into {@code channels[r/2]};
 *   <li>{@link MinibatchStddev} (group 4, 1 feature), {@code final_conv} 3×3 into {@code
 *       channels[4]};
 *   <li>{@code final_linear.0} ({@code channels[4]·16 → channels[4]}, fused leaky ReLU) and {@code
 *       final_linear.1} (→ 1 logit).
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class Discriminator implements Layer, dev.psp.training.loss.FeatureNetwork {
  private final String prefix;
  private final int size;
  private final Map<Integer, Integer> channels;
  private final ConvLayer fromRgb;
  private final List<ResBlock> blocks = new ArrayList<>();
  private final MinibatchStddev stddev = new MinibatchStddev(4, 1);
  private final ConvLayer finalConv;
  private final EqualLinear finalLinear0;
  private final EqualLinear finalLinear1;

  /**
   * {@code Discriminator(size, channel_multiplier, blur_kernel=[1,3,3,1])} with an explicit channel
   * table (resolution → channels for 4 … size): {@link StyleGan2Config#channels()} gives the
   * official one (channel multiplier 2) divided by a width divisor.
   */
  public Discriminator(String prefix, int size, Map<Integer, Integer> channels) {
    if (size < 8 || size > 1024 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("size must be a power of two in [8, 1024], got " + size);
    }
    for (int r = 4; r <= size; r *= 2) {
      if (!channels.containsKey(r)) {
        throw new IllegalArgumentException("channel table has no entry for resolution " + r + ": "
            + channels);
      }
    }
    this.prefix = prefix;
    this.size = size;
    this.channels = Collections.unmodifiableMap(new TreeMap<>(channels));
    int in = channels.get(size);
    this.fromRgb = new ConvLayer(prefix + "convs.0.", 3, in, 1);
    int index = 1;
    for (int r = size; r > 4; r /= 2) {
      int out = channels.get(r / 2);
      blocks.add(new ResBlock(prefix + "convs." + index++ + ".", in, out, StyledConv.DEFAULT_BLUR));
      in = out;
    }
    int c4 = channels.get(4);
    this.finalConv = new ConvLayer(prefix + "final_conv.", in + 1, c4, 3);
    this.finalLinear0 = new EqualLinear(prefix + "final_linear.0.", c4 * 16, c4, true, 0, 1, true);
    this.finalLinear1 = new EqualLinear(prefix + "final_linear.1.", c4, 1);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(fromRgb);
    for (ResBlock b : blocks) {
      spec.add(b);
    }
    spec.add(finalConv).add(finalLinear0).add(finalLinear1);
  }

  /**
   * The realness logits {@code [B,1]} of images x {@code [B,3,size,size]}; B must be a multiple of
   * 4 or smaller than 4 (see {@link MinibatchStddev}). Each block runs in its own {@link
   * TensorOps#scoped} block.
   */
  public <T> T forward(TensorOps<T> ops, T x) {
    List<T> f = features(ops, x);
    T features = f.get(f.size() - 1);
    long batch = ops.shape(x)[0];
    T h = ops.scoped(() -> finalConv.forward(ops, stddev.forward(ops, features)));
    T flat = ops.reshape(h, batch, -1);
    return ops.scoped(() -> finalLinear1.forward(ops, finalLinear0.forward(ops, flat)));
  }

  /**
   * The feature maps of images x {@code [B,3,size,size]} before the minibatch-stddev head: the output
   * of {@code convs.0} (at {@code size}) and of every residual block (half the side each, down to
   * 4×4), in that order. Any batch size.
   */
  @Override
  public <T> List<T> features(TensorOps<T> ops, T x) {
    long[] s = ops.shape(x);
    if (s.length != 4 || s[1] != 3 || s[2] != size || s[3] != size) {
      throw new IllegalArgumentException("images must be [B,3," + size + "," + size + "], got "
          + java.util.Arrays.toString(s));
    }
    List<T> out = new ArrayList<>();
    out.add(ops.scoped(() -> fromRgb.forward(ops, x)));
    for (ResBlock b : blocks) {
      T in = out.get(out.size() - 1);
      out.add(ops.scoped(() -> b.forward(ops, in)));
    }
    return out;
  }

  /** The input resolution. */
  @Override
  public int size() {
    return size;
  }

  @Override
  public String kind() {
    return "discriminator";
  }

  /** The channel table (resolution → channels). */
  public Map<Integer, Integer> channels() {
    return channels;
  }

  @Override
  public String toString() {
    return "Discriminator(" + prefix + ", size=" + size + ", channels=" + channels + ", "
        + blocks.size() + " residual blocks, " + stddev + ")";
  }
}
