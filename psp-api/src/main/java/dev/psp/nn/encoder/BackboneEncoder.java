package dev.psp.nn.encoder;

import dev.psp.EncoderType;
import dev.psp.nn.Architecture;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * ReStyle's encoders (Alaluf et al. 2021; {@code restyle_psp_encoders}, {@code restyle_e4e_encoders}):
 * a {@link Backbone} (IR-SE-50 or ResNet-34) whose final 16×16 map feeds every {@link
 * GradualStyleBlock} head. {@code BackboneEncoder} and {@code ResNetBackboneEncoder} stack the heads'
 * outputs as W+ rows; the progressive ones ({@code ProgressiveBackboneEncoder}, {@code
 * ResNetProgressiveBackboneEncoder}) add each head to the first one as e4e does ({@link
 * ProgressiveDeltas}). The input is the image concatenated with the current reconstruction, {@code
 * input_nc} = 6 for RGB. Immutable and thread-safe.
 */
public final class BackboneEncoder implements Encoder {
  private final String prefix;
  private final EncoderType type;
  private final int inputNc;
  private final int nStyles;
  private final int styleDim;
  private final Backbone backbone;
  private final List<GradualStyleBlock> styles = new ArrayList<>();

  /** The encoder of a ReStyle type and architecture with keys under {@code prefix} (e.g. {@code encoder.}). */
  public BackboneEncoder(String prefix, EncoderType type, int inputNc, int nStyles, Architecture arch) {
    if (!type.isReStyle()) {
      throw new IllegalArgumentException(type.officialName() + " is not a ReStyle backbone encoder");
    }
    if (inputNc < 1 || nStyles < 1) {
      throw new IllegalArgumentException("input_nc and n_styles must be positive, got " + inputNc + ", " + nStyles);
    }
    this.prefix = prefix;
    this.type = type;
    this.inputNc = inputNc;
    this.nStyles = nStyles;
    this.styleDim = arch.styleDim();
    this.backbone = type.isResNet() ? new ResNet34Backbone(prefix, inputNc, arch)
        : new IRSE50Backbone(prefix, inputNc, arch);
    for (int i = 0; i < nStyles; i++) {
      styles.add(new GradualStyleBlock(prefix + "styles." + i + ".", backbone.outChannels(), styleDim, 16));
    }
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(backbone);
    for (GradualStyleBlock s : styles) {
      spec.add(s);
    }
  }

  @Override
  public <T> T forward(TensorOps<T> ops, T x) {
    Encoder.checkInput(ops.shape(x), inputNc, type.officialName());
    T features = backbone.forward(ops, x);
    if (type.isProgressive()) {
      return ProgressiveDeltas.combine(ops, nStyles, ProgressiveDeltas.INFERENCE_STAGE, styleDim,
          i -> ops.scoped(() -> styles.get(i).forward(ops, features)));
    }
    List<T> latents = new ArrayList<>(nStyles);
    for (GradualStyleBlock s : styles) {
      latents.add(ops.scoped(() -> ops.reshape(s.forward(ops, features), -1, 1, styleDim)));
    }
    return ops.concat(latents, 1);
  }

  /** The backbone. */
  public Backbone backbone() {
    return backbone;
  }

  @Override
  public int nStyles() {
    return nStyles;
  }

  @Override
  public int inputNc() {
    return inputNc;
  }

  @Override
  public boolean learnInW() {
    return false;
  }

  @Override
  public EncoderType type() {
    return type;
  }

  @Override
  public String toString() {
    return type.officialName() + "(" + prefix + ", input_nc=" + inputNc + ", n_styles=" + nStyles + ")";
  }
}
