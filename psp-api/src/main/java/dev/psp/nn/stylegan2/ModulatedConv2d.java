package dev.psp.nn.stylegan2;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The StyleGAN2 modulated convolution ({@code model.ModulatedConv2d}, Karras et al. 2020, Sec. 2.2):
 * a per-sample style {@code s = modulation(w)} scales the input channels of the weight, and with
 * {@code demodulate} each output channel is renormalised.
 *
 * <p>The official code builds per-sample weights {@code W_b = scale·W·s[b]} and runs one grouped
 * convolution. This class uses the algebraically identical form that shares one convolution across
 * the batch: {@code conv2d(x·s[b,i], W) · scale · d[b,o]} with {@code d[b,o] = rsqrt(scale²·Σ_i
 * s[b,i]²·Σ_{kh,kw} W[o,i]² + 1e-8)} (d = 1 without demodulation).
 *
 * <p>With {@code upsample}, the official conv_transpose2d (stride 2) followed by {@code Blur(kernel
 * ×4, pad (1,1))} is replaced by its polyphase form (see {@link Polyphase}): the 3×3 weight is
 * mapped by a constant linear map (applied with matmul, so gradients reach the weight) to four 3×3
 * kernels, one per output phase (py,px); a single stride-1 convolution with {@code 4·out} output
 * channels and pad 1 computes all phases and a pixel shuffle interleaves them to {@code 2H×2W}.
 *
 * <p>Keys: {@code weight [1,out,in,k,k]}, {@code blur.kernel} (when upsampling) and {@code
 * modulation} = {@code EqualLinear(style_dim, in, bias_init=1)}. Immutable and thread-safe.
 */
public final class ModulatedConv2d implements Layer {
  /** The epsilon of the demodulation. */
  public static final double DEMOD_EPS = 1e-8;

  private final String prefix;
  private final int inChannel;
  private final int outChannel;
  private final int kernelSize;
  private final int styleDim;
  private final boolean demodulate;
  private final boolean upsample;
  private final double scale;
  private final int padding;
  private final Blur blur;
  private final EqualLinear modulation;
  private final Polyphase polyphase;
  private final float[] foldMatrix;

  /** {@code ModulatedConv2d(in, out, k, style_dim)}: demodulated, no upsampling. */
  public ModulatedConv2d(String prefix, int inChannel, int outChannel, int kernelSize, int styleDim) {
    this(prefix, inChannel, outChannel, kernelSize, styleDim, true, false, StyledConv.DEFAULT_BLUR);
  }

  /** The full configuration of {@code ModulatedConv2d(in, out, k, style_dim, demodulate, upsample, blur_kernel)}. */
  public ModulatedConv2d(String prefix, int inChannel, int outChannel, int kernelSize, int styleDim,
      boolean demodulate, boolean upsample, double[] blurKernel) {
    if (inChannel < 1 || outChannel < 1 || kernelSize < 1 || styleDim < 1) {
      throw new IllegalArgumentException("invalid ModulatedConv2d configuration: in=" + inChannel
          + " out=" + outChannel + " kernel=" + kernelSize + " style_dim=" + styleDim);
    }
    this.prefix = prefix;
    this.inChannel = inChannel;
    this.outChannel = outChannel;
    this.kernelSize = kernelSize;
    this.styleDim = styleDim;
    this.demodulate = demodulate;
    this.upsample = upsample;
    this.scale = 1 / Math.sqrt((double) inChannel * kernelSize * kernelSize);
    this.padding = kernelSize / 2;
    if (upsample) {
      int factor = 2;
      int p = (blurKernel.length - factor) - (kernelSize - 1);
      int pad0 = Math.floorDiv(p + 1, 2) + factor - 1;
      int pad1 = Math.floorDiv(p, 2) + 1;
      this.blur = new Blur(prefix + "blur.", blurKernel, pad0, pad1, factor);
      this.polyphase = new Polyphase(factor, kernelSize, Blur.separableKernel(blurKernel, factor),
          pad0, pad1);
      this.foldMatrix = polyphase.foldMatrix();
    } else {
      this.blur = null;
      this.polyphase = null;
      this.foldMatrix = null;
    }
    this.modulation = new EqualLinear(prefix + "modulation.", styleDim, inChannel, true, 1, 1, false);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.parameter(prefix + "weight", new Init.Normal(1), 1, outChannel, inChannel, kernelSize,
        kernelSize);
    if (blur != null) {
      spec.add(blur);
    }
    spec.add(modulation);
  }

  /** The per-sample input-channel scales {@code s = modulation(style)}, {@code [B,in]}. */
  public <T> T modulation(TensorOps<T> ops, T style) {
    return modulation.forward(ops, style);
  }

  /**
   * Convolves x {@code [B or 1,in,H,W]} modulated by style {@code [B,style_dim]}; the output is
   * {@code [B,out,H,W]}, or {@code [B,out,2H,2W]} when upsampling.
   */
  public <T> T forward(TensorOps<T> ops, T x, T style) {
    long[] xs = ops.shape(x);
    if (xs.length != 4 || xs[1] != inChannel) {
      throw new IllegalArgumentException("ModulatedConv2d " + prefix + " expects x [B," + inChannel
          + ",H,W], got " + java.util.Arrays.toString(xs));
    }
    long h = xs[2];
    long w = xs[3];
    T s = modulation.forward(ops, style);
    T weight = ops.reshape(ops.param(prefix + "weight"), outChannel, inChannel, kernelSize,
        kernelSize);
    // coefficient per (sample, output channel): scale·d[b,o], or the scalar scale
    T coef = null;
    if (demodulate) {
      T wsq = ops.sum(ops.mul(weight, weight), new int[] {2, 3}, false); // [out,in]
      T energy = ops.matmul(ops.mul(s, s), ops.permute(wsq, 1, 0)); // [B,out]
      T d = ops.rsqrt(ops.addScalar(ops.scale(energy, scale * scale), DEMOD_EPS));
      coef = ops.scale(d, scale);
    }
    T xm = ops.mul(x, ops.reshape(s, -1, inChannel, 1, 1));
    if (!upsample) {
      T y = ops.conv2d(xm, weight, null, 1, padding);
      return coef == null ? ops.scale(y, scale) : ops.mul(y, ops.reshape(coef, -1, outChannel, 1, 1));
    }
    int k = polyphase.taps();
    int phases = polyphase.up() * polyphase.up();
    T fold = ops.constant(foldMatrix, (long) kernelSize * kernelSize, (long) phases * k * k);
    T wf = ops.matmul(ops.reshape(weight, (long) outChannel * inChannel,
        (long) kernelSize * kernelSize), fold);
    wf = ops.reshape(wf, outChannel, inChannel, phases, k, k);
    wf = ops.reshape(ops.permute(wf, 2, 0, 1, 3, 4), (long) phases * outChannel, inChannel, k, k);
    T y = ops.conv2d(xm, wf, null, 1, polyphase.radius()); // [B, phases·out, H, W]
    y = ops.reshape(y, -1, polyphase.up(), polyphase.up(), outChannel, h, w);
    y = coef == null ? ops.scale(y, scale)
        : ops.mul(y, ops.reshape(coef, -1, 1, 1, outChannel, 1, 1));
    return Polyphase.pixelShuffle(ops, y, polyphase.up(), outChannel, h, w);
  }

  /** Input channels. */
  public int inChannel() {
    return inChannel;
  }

  /** Output channels. */
  public int outChannel() {
    return outChannel;
  }

  /** Whether this conv doubles the resolution. */
  public boolean upsample() {
    return upsample;
  }

  @Override
  public String toString() {
    return "ModulatedConv2d(" + prefix + ", " + inChannel + ", " + outChannel + ", " + kernelSize
        + ", style_dim=" + styleDim + ", demodulate=" + demodulate + ", upsample=" + upsample
        + (upsample ? ", " + blur + ", polyphase " + polyphase.taps() + "x" + polyphase.taps() : "")
        + ")";
  }
}
