package dev.psp.nn.stylegan2;

import dev.psp.nn.Init;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;

/**
 * The equalized-learning-rate linear layer ({@code model.EqualLinear}, Karras et al. 2018): stored
 * weight {@code [out,in]} ~ N(0,1)/lr_mul used as {@code W·lr_mul/√in}, stored bias (initialised to
 * {@code bias_init}) used as {@code bias·lr_mul}. Without activation {@code y = x·W_effᵀ + b_eff};
 * with {@code fused_lrelu}, {@code y = fused_leaky_relu(x·W_effᵀ, b_eff)} (slope 0.2, ×√2).
 * Immutable and thread-safe.
 */
public final class EqualLinear implements Layer {
  private final String prefix;
  private final int inDim;
  private final int outDim;
  private final boolean bias;
  private final double biasInit;
  private final double lrMul;
  private final boolean fusedLrelu;
  private final double weightScale;

  /** {@code EqualLinear(in, out)}: bias, bias_init 0, lr_mul 1, no activation. */
  public EqualLinear(String prefix, int inDim, int outDim) {
    this(prefix, inDim, outDim, true, 0, 1, false);
  }

  /**
   * The full configuration of {@code EqualLinear(in_dim, out_dim, bias, bias_init, lr_mul,
   * activation)}; {@code fusedLrelu} stands for {@code activation='fused_lrelu'}.
   */
  public EqualLinear(String prefix, int inDim, int outDim, boolean bias, double biasInit,
      double lrMul, boolean fusedLrelu) {
    if (inDim < 1 || outDim < 1 || !(lrMul > 0)) {
      throw new IllegalArgumentException("invalid EqualLinear configuration: in=" + inDim + " out="
          + outDim + " lr_mul=" + lrMul);
    }
    if (fusedLrelu && !bias) {
      throw new IllegalArgumentException("fused_lrelu needs a bias (the official layer adds it)");
    }
    this.prefix = prefix;
    this.inDim = inDim;
    this.outDim = outDim;
    this.bias = bias;
    this.biasInit = biasInit;
    this.lrMul = lrMul;
    this.fusedLrelu = fusedLrelu;
    this.weightScale = lrMul / Math.sqrt(inDim);
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.parameter(prefix + "weight", new Init.Normal(1 / lrMul), outDim, inDim);
    if (bias) {
      spec.parameter(prefix + "bias", new Init.Constant(biasInit), outDim);
    }
  }

  /** Maps x {@code [B,in]} to {@code [B,out]}. */
  public <T> T forward(TensorOps<T> ops, T x) {
    T w = ops.param(prefix + "weight");
    T y = ops.scale(ops.matmul(x, ops.permute(w, 1, 0)), weightScale);
    if (!bias) {
      return y;
    }
    T b = ops.param(prefix + "bias");
    if (lrMul != 1) {
      b = ops.scale(b, lrMul);
    }
    return fusedLrelu ? FusedLeakyReLU.apply(ops, y, b) : ops.add(y, b);
  }

  /** Input features. */
  public int inDim() {
    return inDim;
  }

  /** Output features. */
  public int outDim() {
    return outDim;
  }

  @Override
  public String toString() {
    return "EqualLinear(" + prefix + ", " + inDim + ", " + outDim + ", bias=" + bias + ", bias_init="
        + biasInit + ", lr_mul=" + lrMul + (fusedLrelu ? ", activation=fused_lrelu" : "") + ")";
  }
}
