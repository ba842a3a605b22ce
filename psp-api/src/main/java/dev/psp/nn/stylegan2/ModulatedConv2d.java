package dev.psp.nn.stylegan2;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * The StyleGAN2 modulated convolution ({@code model.ModulatedConv2d}, Karras et al. 2020, Sec. 2.2):
 * a per-sample style {@code s = modulation(w)} scales the input channels of the weight, and with
 * {@code demodulate} each output channel is renormalised.
 *
 * <p>The official code builds per-sample weights {@code W_b = scale·W·s[b]} (demodulated: times
 * {@code d[b,o] = rsqrt(Σ_{i,kh,kw} W_b[o,i]² + 1e-8)}) and runs one grouped convolution. With a
 * single sample (x and style of batch 1, known from their static shapes) whose weight has fewer
 * values than its input and output maps, this class does the same: it convolves with the modulated
 * weight, and no pass over the feature maps is spent on the modulation. Otherwise (a larger or
 * dynamic batch, or the low resolutions where the 512×512 weights outweigh the maps) it uses the
 * algebraically identical form that shares one convolution across the batch: {@code conv2d(x·s[b,i],
 * W) · scale · d[b,o]} with {@code d[b,o] = rsqrt(scale²·Σ_i s[b,i]²·Σ_{kh,kw} W[o,i]² + 1e-8)} (d
 * = 1 without demodulation).
 *
 * <p>With {@code upsample}, the official conv_transpose2d (stride 2, pad 0) is computed in
 * polyphase form (see {@link TransposedPhases}): one stride-1 convolution per output phase, with
 * the 2×2, 2×1, 1×2 and 1×1 kernels that a constant 0/1 matrix selects from the weight (applied
 * with matmul, so gradients reach the weight): 9 multiply-adds per input pixel and channel pair,
 * like the transposed convolution, where folding the blur into the phases took 36. A pixel shuffle
 * interleaves the phases: the transposed convolution followed by one exact zero. The {@code
 * Blur(kernel×4, pad (1,1))} then runs on that as the per-channel filter it is ({@link
 * Blur#filter}, with pads adjusted for the zero). The demodulation is a per-(sample, output
 * channel) scale and commutes with the blur.
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
  private final TransposedPhases phases;
  private final float[][] foldMatrices;

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
      this.phases = new TransposedPhases(factor, kernelSize);
      this.foldMatrices = new float[factor * factor][];
      for (int py = 0; py < factor; py++) {
        for (int px = 0; px < factor; px++) {
          foldMatrices[py * factor + px] = phases.phaseFold(py, px);
        }
      }
    } else {
      this.blur = null;
      this.phases = null;
      this.foldMatrices = null;
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
    return forward(ops, x, style, 1, null);
  }

  /**
   * {@code gain · forward(x, style) + bias}, with bias {@code [out]} (null for none): the gain is
   * applied to the weight or to the per-(sample, channel) coefficient rather than to the output
   * maps, and the bias is added by the convolution itself where that is possible, so neither costs
   * a pass over the output. Equal to the separate operations up to float rounding.
   */
  <T> T forward(TensorOps<T> ops, T x, T style, double gain, T bias) {
    long[] xs = ops.shape(x);
    if (xs.length != 4 || xs[1] != inChannel) {
      throw new IllegalArgumentException("ModulatedConv2d " + prefix + " expects x [B," + inChannel
          + ",H,W], got " + java.util.Arrays.toString(xs));
    }
    T s = modulation.forward(ops, style);
    T weight = ops.reshape(ops.param(prefix + "weight"), outChannel, inChannel, kernelSize,
        kernelSize);
    long h = xs[2];
    long w = xs[3];
    long mapValues = inChannel * h * w + outChannel * h * w * (upsample ? 4 : 1);
    long weightValues = (long) outChannel * inChannel * kernelSize * kernelSize;
    if (xs[0] == 1 && ops.shape(s)[0] == 1 && weightValues <= mapValues) {
      // one sample, and its weight is smaller than its feature maps: the official per-sample weight
      // scale·W·s, demodulated (the demodulation would undo a gain applied before it)
      T wm = ops.mul(weight, ops.reshape(ops.scale(s, demodulate ? scale : scale * gain), 1,
          inChannel, 1, 1));
      if (demodulate) {
        T energy = ops.sum(ops.mul(wm, wm), new int[] {1, 2, 3}, true); // [out,1,1,1]
        T d = ops.rsqrt(ops.addScalar(energy, DEMOD_EPS));
        wm = ops.mul(wm, gain == 1 ? d : ops.scale(d, gain));
      }
      return upsample ? addBias(ops, upsampled(ops, x, wm, null), bias)
          : ops.conv2d(x, wm, bias, 1, padding);
    }
    T xm = ops.mul(x, ops.reshape(s, -1, inChannel, 1, 1));
    if (!demodulate) {
      // the scalar scale·gain goes onto the weight
      T ws = ops.scale(weight, scale * gain);
      return upsample ? addBias(ops, upsampled(ops, xm, ws, null), bias)
          : ops.conv2d(xm, ws, bias, 1, padding);
    }
    // the coefficient per (sample, output channel): gain·scale·d[b,o]
    T wsq = ops.sum(ops.mul(weight, weight), new int[] {2, 3}, false); // [out,in]
    T energy = ops.matmul(ops.mul(s, s), ops.permute(wsq, 1, 0)); // [B,out]
    T d = ops.rsqrt(ops.addScalar(ops.scale(energy, scale * scale), DEMOD_EPS));
    T coef = ops.scale(d, scale * gain);
    if (upsample) {
      return addBias(ops, upsampled(ops, xm, weight, coef), bias);
    }
    T y = ops.mul(ops.conv2d(xm, weight, null, 1, padding),
        ops.reshape(coef, -1, outChannel, 1, 1));
    return addBias(ops, y, bias);
  }

  private <T> T addBias(TensorOps<T> ops, T y, T bias) {
    return bias == null ? y : ops.add(y, ops.reshape(bias, 1, outChannel, 1, 1));
  }

  /**
   * The transposed convolution of x {@code [B,in,h,w]} with {@code weight [out,in,k,k]} in
   * polyphase form, times {@code coef [B,out]} unless it is null, then the blur. The phases and their
   * interleaving, and the blur, run in scopes of their own, so an eager engine holds at most the
   * phases, their concatenation and the interleaved copy at once (at 1024 px each is 135 MB).
   */
  private <T> T upsampled(TensorOps<T> ops, T x, T weight, T coef) {
    long[] xs = ops.shape(x);
    int up = phases.up();
    long ph = xs[2] + phases.taps() - 1;
    long pw = xs[3] + phases.taps() - 1;
    T interleaved = ops.scoped(() -> interleavedPhases(ops, x, weight, coef, ph, pw));
    // the transposed convolution followed by `extra` zeros; blur with pads adjusted for them
    int pad1 = blur.pad1() - phases.extra();
    return ops.scoped(() -> {
      T y = interleaved;
      int p1 = pad1;
      if (p1 < 0) {
        y = ops.slice(ops.slice(y, 2, 0, ph * up + p1), 3, 0, pw * up + p1);
        p1 = 0;
      }
      return Blur.filter(ops, y, blur.kernel2d(), blur.length(), blur.pad0(), p1);
    });
  }

  /** The phase convolutions (times coef), interleaved to {@code [B,out,up·ph,up·pw]}. */
  private <T> T interleavedPhases(TensorOps<T> ops, T x, T weight, T coef, long ph, long pw) {
    int up = phases.up();
    int k = phases.taps();
    T flat = ops.reshape(weight, (long) outChannel * inChannel, (long) kernelSize * kernelSize);
    List<T> outs = new ArrayList<>(up * up);
    for (int py = 0; py < up; py++) {
      for (int px = 0; px < up; px++) {
        // one convolution per phase, over its non-zero taps only
        int y0 = phases.firstTap(py);
        int x0 = phases.firstTap(px);
        long ny = k - y0;
        long nx = k - x0;
        T wp = ops.matmul(flat, ops.constant(foldMatrices[py * up + px],
            (long) kernelSize * kernelSize, ny * nx));
        wp = ops.reshape(wp, outChannel, inChannel, ny, nx);
        T y = ops.conv2d(x, wp, null, 1, phases.padding()); // [B, out, h+K-1+y0, w+K-1+x0]
        if (y0 > 0) {
          y = ops.slice(y, 2, y0, y0 + ph);
        }
        if (x0 > 0) {
          y = ops.slice(y, 3, x0, x0 + pw);
        }
        outs.add(y);
      }
    }
    // phases along the channels ([B, up·up·out, ph, pw]: the slices are copied once, by the concat)
    T y = ops.reshape(ops.concat(outs, 1), -1, up, up, outChannel, ph, pw);
    if (coef != null) {
      y = ops.mul(y, ops.reshape(coef, -1, 1, 1, outChannel, 1, 1));
    }
    // interleave: [B, py, px, out, ph, pw] -> [B, out, ph, py, pw, px]
    return ops.reshape(ops.permute(y, 0, 3, 4, 1, 5, 2), -1, outChannel, ph * up, pw * up);
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
        + (upsample ? ", " + blur + ", polyphase " + phases.taps() + "x" + phases.taps() : "")
        + ")";
  }
}
