package dev.psp.nn.stylegan2;

import dev.psp.io.DType;
import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The StyleGAN2 generator of the rosinality port ({@code model.Generator}, Karras et al. 2020), the
 * pSp decoder. Architecture derived from {@code size} through the channel table:
 *
 * <ul>
 *   <li>{@code style}: the {@link MappingNetwork} (only used for z inputs);
 *   <li>{@code input}: {@link ConstantInput} at 4×4; {@code conv1} and {@code to_rgb1} at 4×4;
 *   <li>for each resolution r = 8 … size: {@code convs[2k]} (upsampling {@link StyledConv}),
 *       {@code convs[2k+1]}, {@code to_rgbs[k]} (with {@link Upsample}d skip);
 *   <li>{@code num_layers = 2·log2(size) - 3} noise buffers {@code noises.noise_i [1,1,2^((i+5)/2),
 *       …]}, {@code n_latent = 2·log2(size) - 2} W+ rows.
 * </ul>
 *
 * W+ row and noise use: conv1 row 0 / noise_0; to_rgb1 row 1; convs[2k] row 2k+1 / noise_{2k+1};
 * convs[2k+1] row 2k+2 / noise_{2k+2}; to_rgbs[k] row 2k+3 (a ToRGB shares its row with the next
 * upsampling conv). The output is the last RGB skip, with no tanh or clamp. Immutable and
 * thread-safe.
 */
public final class Generator implements Layer {
  private final String prefix;
  private final int size;
  private final int styleDim;
  private final int nMlp;
  private final double lrMlp;
  private final Map<Integer, Integer> channels;
  private final int logSize;
  private final int numLayers;
  private final int nLatent;
  private final MappingNetwork style;
  private final ConstantInput input;
  private final StyledConv conv1;
  private final ToRGB toRgb1;
  private final List<StyledConv> convs = new ArrayList<>();
  private final List<ToRGB> toRgbs = new ArrayList<>();

  /**
   * {@code Generator(size, style_dim, n_mlp, channel_multiplier)} with blur [1,3,3,1] and lr_mlp
   * 0.01; pSp uses {@code (S, 512, 8, 2)}.
   */
  public Generator(String prefix, int size, int styleDim, int nMlp, int channelMultiplier) {
    this(prefix, size, styleDim, nMlp, channelTable(channelMultiplier), StyledConv.DEFAULT_BLUR, 0.01);
  }

  /**
   * A generator with an explicit channel table (resolution → channels, for 4 … size), blur kernel
   * and mapping learning-rate multiplier.
   */
  public Generator(String prefix, int size, int styleDim, int nMlp, Map<Integer, Integer> channels,
      double[] blurKernel, double lrMlp) {
    if (size < 4 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("size must be a power of two ≥ 4, got " + size);
    }
    for (int r = 4; r <= size; r *= 2) {
      if (!channels.containsKey(r)) {
        throw new IllegalArgumentException("channel table has no entry for resolution " + r + ": "
            + channels);
      }
    }
    this.prefix = prefix;
    this.size = size;
    this.styleDim = styleDim;
    this.nMlp = nMlp;
    this.lrMlp = lrMlp;
    this.channels = Collections.unmodifiableMap(new TreeMap<>(channels));
    this.logSize = Integer.numberOfTrailingZeros(size);
    this.numLayers = (logSize - 2) * 2 + 1;
    this.nLatent = logSize * 2 - 2;
    this.style = new MappingNetwork(prefix + "style.", styleDim, nMlp, lrMlp);
    int c4 = channels.get(4);
    this.input = new ConstantInput(prefix + "input.", c4, 4);
    this.conv1 = new StyledConv(prefix + "conv1.", c4, c4, 3, styleDim, false, blurKernel, true);
    this.toRgb1 = new ToRGB(prefix + "to_rgb1.", c4, styleDim, false, blurKernel);
    int in = c4;
    for (int i = 3; i <= logSize; i++) {
      int out = channels.get(1 << i);
      int k = i - 3;
      convs.add(new StyledConv(prefix + "convs." + (2 * k) + ".", in, out, 3, styleDim, true,
          blurKernel, true));
      convs.add(new StyledConv(prefix + "convs." + (2 * k + 1) + ".", out, out, 3, styleDim, false,
          blurKernel, true));
      toRgbs.add(new ToRGB(prefix + "to_rgbs." + k + ".", out, styleDim, true, blurKernel));
      in = out;
    }
  }

  /**
   * The official channel table: 512 up to 32×32, then {@code 256·m} at 64, {@code 128·m} at 128,
   * {@code 64·m} at 256, {@code 32·m} at 512, {@code 16·m} at 1024.
   */
  public static Map<Integer, Integer> channelTable(int channelMultiplier) {
    Map<Integer, Integer> t = new TreeMap<>();
    t.put(4, 512);
    t.put(8, 512);
    t.put(16, 512);
    t.put(32, 512);
    t.put(64, 256 * channelMultiplier);
    t.put(128, 128 * channelMultiplier);
    t.put(256, 64 * channelMultiplier);
    t.put(512, 32 * channelMultiplier);
    t.put(1024, 16 * channelMultiplier);
    return Collections.unmodifiableMap(t);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(style).add(input).add(conv1).add(toRgb1);
    for (StyledConv c : convs) {
      spec.add(c);
    }
    for (ToRGB t : toRgbs) {
      spec.add(t);
    }
    for (int i = 0; i < numLayers; i++) {
      spec.buffer(noiseKey(i), DType.FLOAT32, new Init.Normal(1), noiseShape(i));
    }
  }

  /** The mapping network: w {@code [B,style_dim]} for z {@code [B,style_dim]}. */
  public <T> T mapping(TensorOps<T> ops, T z) {
    return style.forward(ops, z);
  }

  /**
   * Synthesises images {@code [B,3,size,size]} from W+ codes {@code [B,n_latent,style_dim]} or a
   * single W code per sample {@code [B,style_dim]} (used for every row), with one noise map per
   * layer ({@code [1 or B,1,H,W]}, see {@link #noiseShape}). Each layer runs in its own {@link
   * TensorOps#scoped} block.
   */
  public <T> T forward(TensorOps<T> ops, T latent, List<T> noise) {
    long[] ls = ops.shape(latent);
    boolean wplus = ls.length == 3;
    if (!(ls.length == 2 && ls[1] == styleDim)
        && !(wplus && ls[1] == nLatent && ls[2] == styleDim)) {
      throw new IllegalArgumentException("latent must be [B," + nLatent + "," + styleDim + "] or [B,"
          + styleDim + "], got " + Arrays.toString(ls));
    }
    if (noise.size() != numLayers) {
      throw new IllegalArgumentException("expected " + numLayers + " noise maps, got " + noise.size());
    }
    T constant = input.forward(ops);
    T out = ops.scoped(() -> conv1.forward(ops, constant, row(ops, latent, wplus, 0), noise.get(0)));
    T first = out;
    T skip = ops.scoped(() -> toRgb1.forward(ops, first, row(ops, latent, wplus, 1), null));
    for (int k = 0; k < toRgbs.size(); k++) {
      int i = 2 * k + 1;
      StyledConv up = convs.get(2 * k);
      StyledConv same = convs.get(2 * k + 1);
      ToRGB rgb = toRgbs.get(k);
      T in = out;
      T h = ops.scoped(() -> up.forward(ops, in, row(ops, latent, wplus, i), noise.get(i)));
      out = ops.scoped(() -> same.forward(ops, h, row(ops, latent, wplus, i + 1), noise.get(i + 1)));
      T features = out;
      T prev = skip;
      skip = ops.scoped(() -> rgb.forward(ops, features, row(ops, latent, wplus, i + 2), prev));
    }
    return skip;
  }

  private <T> T row(TensorOps<T> ops, T latent, boolean wplus, int i) {
    return wplus ? ops.reshape(ops.slice(latent, 1, i, i + 1), -1, styleDim) : latent;
  }

  /** The stored noise buffers {@code noises.noise_i}, read through {@link TensorOps#param}. */
  public <T> List<T> storedNoises(TensorOps<T> ops) {
    List<T> out = new ArrayList<>(numLayers);
    for (int i = 0; i < numLayers; i++) {
      out.add(ops.param(noiseKey(i)));
    }
    return out;
  }

  /** The state_dict key of noise buffer i. */
  public String noiseKey(int i) {
    return prefix + "noises.noise_" + i;
  }

  /** The shape {@code [1,1,2^((i+5)/2),2^((i+5)/2)]} of noise map i. */
  public long[] noiseShape(int i) {
    if (i < 0 || i >= numLayers) {
      throw new IndexOutOfBoundsException("noise index " + i + " of " + numLayers);
    }
    long r = 1L << ((i + 5) / 2);
    return new long[] {1, 1, r, r};
  }

  /** The output resolution. */
  public int size() {
    return size;
  }

  /** The style dimension (512 in pSp). */
  public int styleDim() {
    return styleDim;
  }

  /** The number of W+ rows, {@code 2·log2(size) - 2}. */
  public int nLatent() {
    return nLatent;
  }

  /** The number of noise maps, {@code 2·log2(size) - 3}. */
  public int numLayers() {
    return numLayers;
  }

  /** The channel table (resolution → channels). */
  public Map<Integer, Integer> channels() {
    return channels;
  }

  @Override
  public String toString() {
    return "Generator(" + prefix + ", size=" + size + ", style_dim=" + styleDim + ", n_mlp=" + nMlp
        + ", lr_mlp=" + lrMlp + ", channels=" + channels + ", n_latent=" + nLatent + ", num_layers="
        + numLayers + ")";
  }
}
