package dev.psp.nn.stylegan2;

import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * The StyleGAN2 mapping network z → w ({@code Generator.style}): {@code style.0} is {@link
 * PixelNorm}, {@code style.1 … style.n_mlp} are {@code EqualLinear(style_dim, style_dim,
 * lr_mul=lr_mlp, activation='fused_lrelu')}. Immutable and thread-safe.
 */
public final class MappingNetwork implements Layer {
  private final String prefix;
  private final int styleDim;
  private final double lrMlp;
  private final PixelNorm pixelNorm = new PixelNorm();
  private final List<EqualLinear> layers = new ArrayList<>();

  /** A mapping network with keys {@code prefix + i + "."} for i = 1..nMlp (e.g. {@code decoder.style.}). */
  public MappingNetwork(String prefix, int styleDim, int nMlp, double lrMlp) {
    if (nMlp < 1) {
      throw new IllegalArgumentException("n_mlp must be positive, got " + nMlp);
    }
    this.prefix = prefix;
    this.styleDim = styleDim;
    this.lrMlp = lrMlp;
    for (int i = 1; i <= nMlp; i++) {
      layers.add(new EqualLinear(prefix + i + ".", styleDim, styleDim, true, 0, lrMlp, true));
    }
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    for (EqualLinear l : layers) {
      spec.add(l);
    }
  }

  /** Maps z {@code [B,style_dim]} to w {@code [B,style_dim]}. */
  public <T> T forward(TensorOps<T> ops, T z) {
    T w = pixelNorm.forward(ops, z);
    for (EqualLinear l : layers) {
      w = l.forward(ops, w);
    }
    return w;
  }

  @Override
  public String toString() {
    return "MappingNetwork(" + prefix + ", style_dim=" + styleDim + ", n_mlp=" + layers.size()
        + ", lr_mlp=" + lrMlp + ")";
  }
}
